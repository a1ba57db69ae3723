/* Error cases for every parameter of every model, driven by the registry:
 * below the minimum and above the maximum give OutOfBounds with the exact
 * message and a clamp recovery; NaN, wrong types and unknown choices give
 * InvalidParameter naming the parameter; the extremes of every range are
 * accepted (or refused by a cross-parameter check naming another parameter,
 * never by the range check) and evaluate to finite positions. */
#include "holoanim.h"
#include "test.h"

static void fmt(char *b, size_t cap, double v) {
  if (v > -1e15 && v < 1e15 && !(v > floor(v)) && !(v < floor(v))) {
    snprintf(b, cap, "%.0f", v);
    return;
  }
  for (int p = 1; p <= 17; p++) {
    snprintf(b, cap, "%.*g", p, v);
    double back = strtod(b, NULL);
    if (!(back < v) && !(back > v))
      return;
  }
}

static ha_status try_value(const ha_model_info *mi, const ha_param_info *pi, const double *v,
                           size_t n, ha_error *err) {
  ha_params *p = NULL;
  ha_params_create(&p);
  ha_params_set_numbers(p, pi->name, v, n);
  ha_motion *m = NULL;
  ha_error_clear(err);
  ha_status st = ha_motion_create(mi->name, p, NULL, &m, err);
  if (st == HA_OK) {
    for (double t = 0; t < 12; t += 0.61) {
      ha_vec3 q = ha_motion_eval(m, t, NULL);
      CHECK_MSG(ha_vec3_isfinite(q), "%s.%s=%g not finite at t=%g", mi->name, pi->name, v[0], t);
    }
  }
  ha_motion_destroy(m);
  ha_params_destroy(p);
  return st;
}

static void test_numeric_ranges(void) {
  int checked = 0;
  for (size_t i = 0; i < ha_model_count(); i++) {
    const ha_model_info *mi = ha_model_at(i);
    for (size_t j = 0; j < mi->param_count; j++) {
      const ha_param_info *pi = &mi->params[j];
      if (pi->type != HA_PARAM_NUMBER && pi->type != HA_PARAM_INTEGER &&
          pi->type != HA_PARAM_VEC3) {
        continue;
      }
      size_t n = pi->type == HA_PARAM_VEC3 ? 3 : 1;
      double v[3];
      ha_error err;
      char expect[256], a[32], b[32];
      const char *suffix = pi->type == HA_PARAM_VEC3 ? ".x" : "";
      /* below the minimum */
      double below = pi->min - (fabs(pi->min) > 1 ? fabs(pi->min) : 1);
      v[0] = v[1] = v[2] = pi->type == HA_PARAM_VEC3 ? 0 : pi->def[0];
      v[0] = below;
      if (pi->type == HA_PARAM_VEC3)
        v[1] = pi->def[1], v[2] = pi->def[2];
      CHECK_INT(try_value(mi, pi, v, n, &err), HA_ERANGE);
      fmt(a, sizeof(a), below);
      fmt(b, sizeof(b), pi->min);
      snprintf(expect, sizeof(expect), "%s%s: %s is below the minimum %s", pi->name, suffix, a, b);
      CHECK_STR(err.message, expect);
      CHECK_INT(err.kind, HA_ERROR_OUT_OF_BOUNDS);
      CHECK(ha_error_is_recoverable(&err));
      ha_recovery rec;
      CHECK_OK(ha_error_recovery(&err, &rec));
      CHECK_NEAR(rec.value, pi->min, 0);
      /* above the maximum */
      double above = pi->max + (fabs(pi->max) > 1 ? fabs(pi->max) : 1);
      v[0] = above;
      CHECK_INT(try_value(mi, pi, v, n, &err), HA_ERANGE);
      fmt(a, sizeof(a), above);
      fmt(b, sizeof(b), pi->max);
      snprintf(expect, sizeof(expect), "%s%s: %s is above the maximum %s", pi->name, suffix, a, b);
      CHECK_STR(err.message, expect);
      CHECK_OK(ha_error_recovery(&err, &rec));
      CHECK_NEAR(rec.value, pi->max, 0);
      /* NaN and infinity */
      v[0] = NAN;
      CHECK_INT(try_value(mi, pi, v, n, &err), HA_EINVAL);
      CHECK_INT(err.kind, HA_ERROR_INVALID_PARAMETER);
      CHECK(strstr(err.message, "is not a finite number") != NULL);
      v[0] = INFINITY;
      CHECK_INT(try_value(mi, pi, v, n, &err), HA_EINVAL);
      /* the extremes are in range (a cross-parameter check may still refuse
       * them, naming a parameter, never as OutOfBounds of this one) */
      double ext[2] = {pi->min, pi->max};
      for (int k = 0; k < 2; k++) {
        v[0] = ext[k];
        ha_status st = try_value(mi, pi, v, n, &err);
        /* Refused only by a cross-parameter check: an InvalidParameter, or
         * an OutOfBounds whose range is not this parameter's own. */
        int static_range = st == HA_ERANGE && strncmp(err.name, pi->name, strlen(pi->name)) == 0 &&
                           !(err.min > pi->min) && !(err.max < pi->max);
        CHECK_MSG(st == HA_OK || (st == HA_EINVAL && err.name[0] != '\0') ||
                      (st == HA_ERANGE && !static_range),
                  "%s.%s = %g refused: %s", mi->name, pi->name, ext[k], err.message);
      }
      /* wrong type */
      ha_params *p = NULL;
      ha_params_create(&p);
      ha_params_set_string(p, pi->name, "abc");
      ha_motion *m = NULL;
      CHECK_INT(ha_motion_create(mi->name, p, NULL, &m, &err), HA_EINVAL);
      CHECK_STR(err.name, pi->name);
      CHECK(strstr(err.message, "expected") != NULL);
      ha_params_destroy(p);
      checked++;
    }
  }
  printf("numeric parameters checked: %d\n", checked);
  CHECK(checked > 20);
}

static void test_other_types(void) {
  int checked = 0;
  for (size_t i = 0; i < ha_model_count(); i++) {
    const ha_model_info *mi = ha_model_at(i);
    for (size_t j = 0; j < mi->param_count; j++) {
      const ha_param_info *pi = &mi->params[j];
      ha_params *p = NULL;
      ha_params_create(&p);
      ha_motion *m = NULL;
      ha_error err;
      char expect[256];
      switch (pi->type) {
      case HA_PARAM_CHOICE:
        ha_params_set_string(p, pi->name, "bogus");
        CHECK_INT(ha_motion_create(mi->name, p, NULL, &m, &err), HA_EINVAL);
        snprintf(expect, sizeof(expect), "%s: 'bogus' is not one of %s", pi->name, pi->choices);
        CHECK_STR(err.message, expect);
        /* every choice is accepted */
        for (size_t c = 0;; c++) {
          char buf[64];
          if (ha_param_choice_at(pi, c, buf, sizeof(buf)) != HA_OK)
            break;
          ha_params_set_string(p, pi->name, buf);
          ha_status st = ha_motion_create(mi->name, p, NULL, &m, &err);
          /* Every choice parses; a cross-parameter check may still refuse
           * it with the defaults (zigzag's yz plane with a path along x). */
          CHECK_MSG(
              st == HA_OK || (st == HA_EINVAL && strstr(err.message, "is not one of") == NULL),
              "%s.%s=%s: %s", mi->name, pi->name, buf, err.message);
          ha_motion_destroy(m);
          m = NULL;
        }
        checked++;
        break;
      case HA_PARAM_BOOL:
        ha_params_set_string(p, pi->name, "yes");
        CHECK_INT(ha_motion_create(mi->name, p, NULL, &m, &err), HA_EINVAL);
        snprintf(expect, sizeof(expect), "%s: expected true or false, got a string", pi->name);
        CHECK_STR(err.message, expect);
        checked++;
        break;
      case HA_PARAM_EASING:
        ha_params_set_string(p, pi->name, "wobbly");
        CHECK_INT(ha_motion_create(mi->name, p, NULL, &m, &err), HA_EINVAL);
        CHECK_STR(err.name, pi->name);
        checked++;
        break;
      case HA_PARAM_POINTS:
        if (pi->min >= 1) {
          ha_vec3 one = {0, 0, 0};
          ha_params_set_points(p, pi->name, &one, (size_t)pi->min - 1);
          CHECK_INT(ha_motion_create(mi->name, p, NULL, &m, &err), HA_EINVAL);
          CHECK_STR(err.name, pi->name);
          CHECK(strstr(err.message, "needs between") != NULL);
        }
        {
          ha_vec3 bad[4] = {{0, 0, 0}, {1, NAN, 0}, {2, 0, 0}, {3, 1, 0}};
          ha_params_set_points(p, pi->name, bad, 4);
          CHECK_INT(ha_motion_create(mi->name, p, NULL, &m, &err), HA_EINVAL);
          snprintf(expect, sizeof(expect), "%s[1].y", pi->name);
          CHECK_STR(err.name, expect);
        }
        checked++;
        break;
      case HA_PARAM_KEYFRAMES: {
        ha_keyframe k[2] = {{2.0, {0, 0, 0}, HA_EASE_LINEAR}, {1.0, {1, 0, 0}, HA_EASE_LINEAR}};
        ha_params_set_keyframes(p, pi->name, k, 2);
        CHECK_INT(ha_motion_create(mi->name, p, NULL, &m, &err), HA_EINVAL);
        snprintf(expect, sizeof(expect), "%s[1].time", pi->name);
        CHECK_STR(err.name, expect);
        k[1].time = 99.0; /* beyond the default duration of 10 s */
        ha_params_set_keyframes(p, pi->name, k, 2);
        CHECK_INT(ha_motion_create(mi->name, p, NULL, &m, &err), HA_ERANGE);
        CHECK_STR(err.name, expect);
        checked++;
        break;
      }
      case HA_PARAM_NUMBER:
      case HA_PARAM_INTEGER:
      case HA_PARAM_VEC3:
      case HA_PARAM_ROTATION:
      case HA_PARAM_SCALE: break;
      }
      ha_motion_destroy(m);
      ha_params_destroy(p);
    }
    /* common parameters on every model */
    ha_params *p = NULL;
    ha_params_create(&p);
    ha_motion *m = NULL;
    ha_error err;
    double q0[4] = {0, 0, 0, 0};
    ha_params_set_numbers(p, "rotation", q0, 4);
    CHECK_INT(ha_motion_create(mi->name, p, NULL, &m, &err), HA_EINVAL);
    CHECK_STR(err.message, "rotation: a quaternion must not be zero");
    ha_params_clear(p);
    double two[2] = {1, 2};
    ha_params_set_numbers(p, "scale", two, 2);
    CHECK_INT(ha_motion_create(mi->name, p, NULL, &m, &err), HA_EINVAL);
    CHECK_STR(err.name, "scale");
    ha_params_clear(p);
    ha_params_set_number(p, "scale", 5000);
    CHECK_INT(ha_motion_create(mi->name, p, NULL, &m, &err), HA_ERANGE);
    CHECK_STR(err.message, "scale: 5000 is above the maximum 1000");
    ha_params_destroy(p);
  }
  printf("other parameters checked: %d\n", checked);
  CHECK(checked > 10);
}

static void test_cli_text_values(void) {
  ha_params *p = NULL;
  ha_error err;
  ha_params_create(&p);
  CHECK_INT(ha_params_set_assignment(p, "radius", &err), HA_EINVAL);
  CHECK_INT(ha_params_set_assignment(p, "center=1,,2", &err), HA_EINVAL);
  CHECK_STR(err.name, "center");
  CHECK_OK(ha_params_set_assignment(p, "center=1,2,3", &err));
  CHECK_OK(ha_params_set_assignment(p, "closed=true", &err));
  CHECK_OK(ha_params_set_assignment(p, "controlPoints=0,0,0;1,1,0;2,0,0", &err));
  CHECK_OK(ha_params_set_assignment(p, "keyframes=0:0,0,0;2:1,0,0:cubic-in", &err));
  CHECK_INT(ha_params_set_assignment(p, "keyframes=0:0,0;2:1,0,0", &err), HA_EINVAL);
  CHECK_INT(ha_params_count(p), 4);
  ha_value_kind k;
  CHECK_STR(ha_params_name_at(p, 2, &k), "controlPoints");
  CHECK_INT(k, HA_VALUE_POINTS);
  ha_params_name_at(p, 3, &k);
  CHECK_INT(k, HA_VALUE_KEYFRAMES);
  CHECK_OK(ha_params_unset(p, "closed"));
  CHECK_INT(ha_params_unset(p, "closed"), HA_ENOTFOUND);
  ha_params_destroy(p);
}

int main(void) {
  RUN(test_numeric_ranges);
  RUN(test_other_types);
  RUN(test_cli_text_values);
  return test_done();
}
