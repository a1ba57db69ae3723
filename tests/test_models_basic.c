/* Framework checks: registry integrity, parameter validation messages, the
 * frame transform, and the linear and circular models against MODELS.md. */
#include "holoanim.h"
#include "test.h"

static void test_registry_integrity(void) {
  CHECK(ha_model_count() >= 2);
  for (size_t i = 0; i < ha_model_count(); i++) {
    const ha_model_info *mi = ha_model_at(i);
    CHECK(ha_model_find(mi->name) == mi);
    /* Slots must not overlap and must fit. */
    int used[64] = {0};
    for (size_t j = 0; j < mi->param_count; j++) {
      const ha_param_info *pi = &mi->params[j];
      int width = pi->type == HA_PARAM_VEC3 ? 3 : 1;
      if (pi->slot < 0) {
        CHECK(pi->type == HA_PARAM_POINTS || pi->type == HA_PARAM_KEYFRAMES);
        continue;
      }
      CHECK_MSG(pi->slot + width <= 40, "%s.%s slot %d too high", mi->name, pi->name, pi->slot);
      for (int k = 0; k < width; k++) {
        CHECK_MSG(!used[pi->slot + k], "%s.%s overlaps slot %d", mi->name, pi->name, pi->slot + k);
        used[pi->slot + k] = 1;
      }
      CHECK(pi->description != NULL && pi->description[0] != '\0');
      if (pi->type == HA_PARAM_NUMBER || pi->type == HA_PARAM_INTEGER) {
        CHECK_MSG(pi->def[0] >= pi->min && pi->def[0] <= pi->max, "%s.%s default out of range",
                  mi->name, pi->name);
      }
    }
    /* Defaults alone must make a valid motion that evaluates finite. */
    ha_motion *m = NULL;
    ha_error err;
    ha_status st = ha_motion_create(mi->name, NULL, NULL, &m, &err);
    CHECK_MSG(st == HA_OK, "%s with defaults: %s", mi->name, err.message);
    for (double t = -1.0; m && t < 25.0; t += 0.37) {
      ha_vec3 v = ha_motion_eval(m, t, NULL);
      CHECK_MSG(ha_vec3_isfinite(v), "%s at %g not finite", mi->name, t);
    }
    ha_motion_destroy(m);
  }
}

static void test_errors(void) {
  ha_params *p = NULL;
  ha_motion *m = NULL;
  ha_error err;
  ha_recovery rec;
  CHECK_OK(ha_params_create(&p));
  ha_params_set_number(p, "radius", -2);
  CHECK_INT(ha_motion_create("circular", p, NULL, &m, &err), HA_ERANGE);
  CHECK_STR(err.message, "radius: -2 is below the minimum 0");
  CHECK(ha_error_is_recoverable(&err));
  CHECK_OK(ha_error_recovery(&err, &rec));
  CHECK_INT(rec.kind, HA_RECOVERY_CLAMP);
  CHECK_NEAR(rec.value, 0.0, 0);
  ha_params_clear(p);
  ha_params_set_string(p, "direction", "sideways");
  CHECK_INT(ha_motion_create("circular", p, NULL, &m, &err), HA_EINVAL);
  CHECK_STR(err.message, "direction: 'sideways' is not one of clockwise|counterclockwise");
  CHECK(!ha_error_is_recoverable(&err));
  CHECK_INT(ha_error_recovery(&err, &rec), HA_EINVAL);
  ha_params_clear(p);
  ha_params_set_number(p, "radiu", 3);
  CHECK_INT(ha_motion_create("circular", p, NULL, &m, &err), HA_EINVAL);
  CHECK_STR(err.name, "radiu");
  CHECK(strstr(err.message, "unknown parameter for model circular") != NULL);
  ha_params_clear(p);
  ha_params_set_number(p, "radius", NAN);
  CHECK_INT(ha_motion_create("circular", p, NULL, &m, &err), HA_EINVAL);
  CHECK_STR(err.message, "radius: NaN is not a finite number");
  ha_params_clear(p);
  double c[3] = {0, 2000, 0};
  ha_params_set_numbers(p, "center", c, 3);
  CHECK_INT(ha_motion_create("circular", p, NULL, &m, &err), HA_ERANGE);
  CHECK_STR(err.message, "center.y: 2000 is above the maximum 1000");
  ha_params_clear(p);
  ha_params_set_string(p, "radius", "big");
  CHECK_INT(ha_motion_create("circular", p, NULL, &m, &err), HA_EINVAL);
  CHECK_STR(err.message, "radius: expected a number, got a string");
  CHECK_INT(ha_motion_create("nope", NULL, NULL, &m, &err), HA_ENOTFOUND);
  ha_timing tm = ha_timing_default();
  tm.duration = 0;
  CHECK_INT(ha_motion_create("circular", NULL, &tm, &m, &err), HA_ERANGE);
  CHECK_STR(err.message, "duration: 0 is below the minimum 0.001");
  ha_params_destroy(p);
  CHECK(strcmp(ha_strerror(-999), "unknown status") == 0);
  CHECK_STR(ha_status_name(HA_EINVAL), "EINVAL");
}

static void test_circular_formula(void) {
  const double T = 8.0;
  ha_timing tm = {T, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  const char *planes[] = {"xy", "xz", "yz"};
  for (int pl = 0; pl < 3; pl++) {
    char plane[32];
    snprintf(plane, sizeof(plane), "plane=%s", planes[pl]);
    const char *a[] = {"center=1,2,3",        "radius=2.5", "speed=2", "startAngle=30",
                       "direction=clockwise", plane,        NULL};
    ha_motion *m = test_motion("circular", a, &tm);
    for (double t = 0; t < 20; t += 0.77) {
      double tau = fmod(t, T), p = tau / T;
      double th = 30 * HA_PI / 180 - HA_TAU * 2 * p;
      double u = 2.5 * cos(th), v = 2.5 * sin(th);
      ha_vec3 got = ha_motion_eval(m, t, NULL);
      ha_vec3 ex = pl == 0   ? ha_vec3_make(1 + u, 2 + v, 3)
                   : pl == 1 ? ha_vec3_make(1 + u, 2, 3 + v)
                             : ha_vec3_make(1, 2 + u, 3 + v);
      CHECK_VEC_NEAR(got, ex.x, ex.y, ex.z, 1e-9);
    }
    ha_motion_destroy(m);
  }
}

static void test_linear_and_aed(void) {
  ha_timing tm = {4.0, HA_LOOP_ONCE, 1.0, HA_SEAM_BLEND};
  const char *a[] = {"startPosition=-5,0,0", "endPosition=5,2,1", "easing=quad-in", NULL};
  ha_motion *m = test_motion("linear", a, &tm);
  for (double t = -1; t < 6; t += 0.25) {
    double p = t < 0 ? 0 : t > 4 ? 1 : t / 4;
    double k = p * p;
    ha_vec3 got = ha_motion_eval(m, t, NULL);
    CHECK_VEC_NEAR(got, -5 + 10 * k, 2 * k, k, 1e-12);
  }
  ha_motion_destroy(m);
  /* aed: from azimuth 170° to −170° goes the short way through 180°. */
  ha_vec3 s = ha_aed_to_xyz(ha_vec3_make(170, 0, 4), HA_AZIMUTH_CLOCKWISE);
  ha_vec3 e = ha_aed_to_xyz(ha_vec3_make(-170, 0, 6), HA_AZIMUTH_CLOCKWISE);
  char sa[96], ea[96];
  snprintf(sa, sizeof(sa), "startPosition=%.17g,%.17g,%.17g", s.x, s.y, s.z);
  snprintf(ea, sizeof(ea), "endPosition=%.17g,%.17g,%.17g", e.x, e.y, e.z);
  const char *b[] = {sa, ea, "space=aed", NULL};
  m = test_motion("linear", b, &tm);
  ha_vec3 mid = ha_xyz_to_aed(ha_motion_eval(m, 2.0, NULL), HA_AZIMUTH_CLOCKWISE);
  CHECK_NEAR(fabs(mid.x), 180.0, 1e-9);
  CHECK_NEAR(mid.z, 5.0, 1e-9);
  ha_motion_destroy(m);
}

static void test_frame_transform(void) {
  ha_timing tm = {4.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  const char *a[] = {"center=1,1,0",    "radius=2",    "startAngle=0",
                     "rotation=90,0,0", "scale=1,1,1", NULL};
  ha_motion *m = test_motion("circular", a, &tm);
  /* Rotating the xy circle 90° about X puts it in the xz plane about the centre. */
  ha_vec3 p0 = ha_motion_eval(m, 0, NULL);
  CHECK_VEC_NEAR(p0, 3, 1, 0, 1e-12);
  ha_vec3 p1 = ha_motion_eval(m, 3.0, NULL); /* clockwise quarter back: θ = −270° = +90° */
  CHECK_VEC_NEAR(p1, 1, 1, 2, 1e-12);
  ha_motion_destroy(m);
  const char *b[] = {"center=0,0,0", "radius=1",
                     "rotation=0.7071067811865476,0,0,0.7071067811865476", "scale=2", NULL};
  m = test_motion("circular", b, &tm);
  CHECK_VEC_NEAR(ha_motion_eval(m, 0, NULL), 0, 2, 0, 1e-12);
  ha_motion_destroy(m);
  ha_quat q = ha_quat_from_euler_deg(10, 20, 30);
  ha_vec3 v = ha_quat_rotate(q, ha_vec3_make(1, 2, 3));
  /* Rz·Ry·Rx against composed matrices. */
  ha_mat3 rx = ha_mat3_axis_angle(ha_vec3_make(1, 0, 0), ha_deg2rad(10));
  ha_mat3 ry = ha_mat3_axis_angle(ha_vec3_make(0, 1, 0), ha_deg2rad(20));
  ha_mat3 rz = ha_mat3_axis_angle(ha_vec3_make(0, 0, 1), ha_deg2rad(30));
  ha_mat3 r = ha_mat3_mul(rz, ha_mat3_mul(ry, rx));
  ha_vec3 w = ha_mat3_apply(&r, ha_vec3_make(1, 2, 3));
  CHECK_VEC_NEAR(v, w.x, w.y, w.z, 1e-12);
}

static void test_aed_conversions(void) {
  ha_vec3 a = ha_xyz_to_aed(ha_vec3_make(1, 0, 0), HA_AZIMUTH_CLOCKWISE);
  CHECK_VEC_NEAR(a, 90, 0, 1, 1e-12);
  a = ha_xyz_to_aed(ha_vec3_make(1, 0, 0), HA_AZIMUTH_COUNTERCLOCKWISE);
  CHECK_VEC_NEAR(a, -90, 0, 1, 1e-12);
  a = ha_xyz_to_aed(ha_vec3_make(0, 0, 2), HA_AZIMUTH_CLOCKWISE);
  CHECK_VEC_NEAR(a, 0, 90, 2, 1e-12);
  uint64_t seed = test_seed(12345);
  for (int i = 0; i < 1000; i++) {
    ha_vec3 p = ha_vec3_make(ha_t_uniform(&seed, -50, 50), ha_t_uniform(&seed, -50, 50),
                             ha_t_uniform(&seed, -50, 50));
    for (int s = -1; s <= 1; s += 2) {
      ha_vec3 q = ha_aed_to_xyz(ha_xyz_to_aed(p, (ha_azimuth_sign)s), (ha_azimuth_sign)s);
      CHECK_VEC_NEAR(q, p.x, p.y, p.z, 1e-12);
    }
  }
  CHECK_NEAR(ha_angle_diff_deg(170, -170), 20, 1e-12);
  CHECK_NEAR(ha_angle_diff_deg(-170, 170), -20, 1e-12);
  ha_vec3 z = ha_vec3_normalize(ha_vec3_zero());
  CHECK_VEC_NEAR(z, 0, 0, 0, 0);
}

/* normalize scales by the largest component first: tiny vectors (whose
 * squared length underflows) and huge ones (whose squared length overflows)
 * still have a unit vector; only zero and non-finite input give zero. */
static void test_vec3_normalize(void) {
  const double scales[] = {1e-300, 1e-310, 1.0, 1e300, 1e308};
  for (size_t i = 0; i < sizeof(scales) / sizeof(scales[0]); i++) {
    double k = scales[i];
    ha_vec3 u = ha_vec3_normalize(ha_vec3_make(0.6 * k, -0.8 * k, 0));
    CHECK_VEC_NEAR(u, 0.6, -0.8, 0, 1e-9); /* 1e-310 is subnormal: fewer digits */
    CHECK_NEAR(ha_vec3_len(u), 1, 1e-15);
    u = ha_vec3_normalize(ha_vec3_make(k, k, k));
    CHECK_VEC_NEAR(u, 1 / sqrt(3), 1 / sqrt(3), 1 / sqrt(3), 1e-15);
  }
  ha_vec3 u = ha_vec3_normalize(ha_vec3_make(0, 0, 5e-324)); /* the smallest double */
  CHECK_VEC_NEAR(u, 0, 0, 1, 0);
  u = ha_vec3_normalize(ha_vec3_make(-1.7976931348623157e308, 0, 0)); /* the largest */
  CHECK_VEC_NEAR(u, -1, 0, 0, 0);
  /* A rotation about a tiny axis is still that rotation. */
  ha_vec3 r = ha_quat_rotate(ha_quat_axis_angle(ha_vec3_make(0, 0, 1e-300), HA_PI / 2),
                             ha_vec3_make(1, 0, 0));
  CHECK_VEC_NEAR(r, 0, 1, 0, 1e-15);
  u = ha_vec3_normalize(ha_vec3_make(0, INFINITY, 0));
  CHECK_VEC_NEAR(u, 0, 0, 0, 0);
  u = ha_vec3_normalize(ha_vec3_make(1, NAN, 0));
  CHECK_VEC_NEAR(u, 0, 0, 0, 0);
  u = ha_vec3_normalize(ha_vec3_make(-0.0, 0, 0));
  CHECK_VEC_NEAR(u, 0, 0, 0, 0);
}

int main(void) {
  RUN(test_registry_integrity);
  RUN(test_errors);
  RUN(test_circular_formula);
  RUN(test_linear_and_aed);
  RUN(test_frame_transform);
  RUN(test_aed_conversions);
  RUN(test_vec3_normalize);
  return test_done();
}
