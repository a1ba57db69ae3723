/* holoanim Node addon: listModels() — the model registry with parameter
 * metadata, in the shape of `holoanim models --json` (the UI builds its
 * forms from it): every model's name, aliases, flags and parameters (type,
 * unit, default, range or choices), the common parameters, timing ranges
 * and the easing names. Built from the core's registry on each call, so it
 * cannot drift from what the engine accepts. */
#include "addon.h"

#include <string.h>

/* ---- listModels ------------------------------------------------------------------------------ */

static napi_value string_list(napi_env env, const char *csv) {
  napi_value a, s;
  NAPI_CALL(env, napi_create_array(env, &a));
  uint32_t k = 0;
  const char *p = csv;
  while (p != NULL && *p != '\0') {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    NAPI_CALL(env, napi_create_string_utf8(env, p, n, &s));
    NAPI_CALL(env, napi_set_element(env, a, k++, s));
    p = e ? e + 1 : p + n;
  }
  return a;
}

static napi_value param_default(napi_env env, const ha_param_info *p) {
  napi_value v;
  char buf[64];
  switch (p->type) {
  case HA_PARAM_NUMBER:
  case HA_PARAM_INTEGER: NAPI_CALL(env, napi_create_double(env, p->def[0], &v)); return v;
  case HA_PARAM_BOOL: NAPI_CALL(env, napi_get_boolean(env, p->def[0] > 0.5, &v)); return v;
  case HA_PARAM_VEC3:
  case HA_PARAM_SCALE: return ha_node_vec3_array(env, (ha_vec3){p->def[0], p->def[1], p->def[2]});
  case HA_PARAM_ROTATION: return ha_node_vec3_array(env, (ha_vec3){0.0, 0.0, 0.0});
  case HA_PARAM_CHOICE:
    if (ha_param_choice_at(p, (size_t)p->def[0], buf, sizeof(buf)) == HA_OK) {
      NAPI_CALL(env, napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &v));
      return v;
    }
    break;
  case HA_PARAM_EASING:
    NAPI_CALL(env, napi_create_string_utf8(env, ha_easing_name((ha_easing)(int)p->def[0]),
                                           NAPI_AUTO_LENGTH, &v));
    return v;
  case HA_PARAM_POINTS:
  case HA_PARAM_KEYFRAMES: break;
  }
  NAPI_CALL(env, napi_get_null(env, &v));
  return v;
}

static napi_value easing_names(napi_env env) {
  napi_value a, s;
  NAPI_CALL(env, napi_create_array_with_length(env, HA_EASE_COUNT, &a));
  for (uint32_t i = 0; i < (uint32_t)HA_EASE_COUNT; i++) {
    NAPI_CALL(env,
              napi_create_string_utf8(env, ha_easing_name((ha_easing)i), NAPI_AUTO_LENGTH, &s));
    NAPI_CALL(env, napi_set_element(env, a, i, s));
  }
  return a;
}

static napi_value param_object(napi_env env, const ha_param_info *p) {
  napi_value o, v;
  NAPI_CALL(env, napi_create_object(env, &o));
  if (!ha_node_set_string(env, o, "name", p->name) || (v = string_list(env, p->aliases)) == NULL ||
      !ha_node_set_value(env, o, "aliases", v) ||
      !ha_node_set_string(env, o, "type", ha_param_type_name(p->type)) ||
      !ha_node_set_string(env, o, "unit", p->unit ? p->unit : "") ||
      (v = param_default(env, p)) == NULL || !ha_node_set_value(env, o, "default", v)) {
    return NULL;
  }
  switch (p->type) {
  case HA_PARAM_NUMBER:
  case HA_PARAM_INTEGER:
  case HA_PARAM_VEC3:
  case HA_PARAM_ROTATION:
  case HA_PARAM_SCALE:
    if (!ha_node_set_number(env, o, "min", p->min) || !ha_node_set_number(env, o, "max", p->max)) {
      return NULL;
    }
    break;
  case HA_PARAM_POINTS:
  case HA_PARAM_KEYFRAMES:
    if (!ha_node_set_number(env, o, "minCount", p->min) ||
        !ha_node_set_number(env, o, "maxCount", p->max)) {
      return NULL;
    }
    break;
  case HA_PARAM_CHOICE: {
    napi_value a, s;
    char buf[64];
    NAPI_CALL(env, napi_create_array(env, &a));
    for (uint32_t i = 0; ha_param_choice_at(p, i, buf, sizeof(buf)) == HA_OK; i++) {
      NAPI_CALL(env, napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &s));
      NAPI_CALL(env, napi_set_element(env, a, i, s));
    }
    if (!ha_node_set_value(env, o, "choices", a)) {
      return NULL;
    }
    break;
  }
  case HA_PARAM_EASING:
    if ((v = easing_names(env)) == NULL || !ha_node_set_value(env, o, "choices", v)) {
      return NULL;
    }
    break;
  case HA_PARAM_BOOL: break;
  }
  if (!ha_node_set_string(env, o, "description", p->description ? p->description : "")) {
    return NULL;
  }
  return o;
}

static napi_value params_array(napi_env env, const ha_param_info *ps, size_t n) {
  napi_value a;
  NAPI_CALL(env, napi_create_array_with_length(env, n, &a));
  for (size_t i = 0; i < n; i++) {
    napi_value o = param_object(env, &ps[i]);
    if (o == NULL) {
      return NULL;
    }
    NAPI_CALL(env, napi_set_element(env, a, (uint32_t)i, o));
  }
  return a;
}

static napi_value range_object(napi_env env, double def, double min, double max, const char *unit) {
  napi_value o;
  NAPI_CALL(env, napi_create_object(env, &o));
  if (!ha_node_set_number(env, o, "default", def) || !ha_node_set_number(env, o, "min", min) ||
      !ha_node_set_number(env, o, "max", max) || !ha_node_set_string(env, o, "unit", unit)) {
    return NULL;
  }
  return o;
}

static napi_value js_list_models(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value root, models, v;
  NAPI_CALL(env, napi_create_object(env, &root));
  size_t n = ha_model_count();
  NAPI_CALL(env, napi_create_array_with_length(env, n, &models));
  for (size_t i = 0; i < n; i++) {
    const ha_model_info *m = ha_model_at(i);
    napi_value o;
    NAPI_CALL(env, napi_create_object(env, &o));
    if (!ha_node_set_string(env, o, "name", m->name) ||
        (v = string_list(env, m->aliases)) == NULL || !ha_node_set_value(env, o, "aliases", v) ||
        !ha_node_set_string(env, o, "description", m->description ? m->description : "") ||
        !ha_node_set_string(env, o, "time",
                            (m->flags & HA_MODEL_ABS_TIME) ? "absolute" : "progress") ||
        !ha_node_set_bool(env, o, "stateful", (m->flags & HA_MODEL_STATEFUL) != 0) ||
        !ha_node_set_bool(env, o, "rotating", (m->flags & HA_MODEL_ROTATING) != 0) ||
        !ha_node_set_bool(env, o, "perTrack", (m->flags & HA_MODEL_PER_TRACK) != 0) ||
        (v = params_array(env, m->params, m->param_count)) == NULL ||
        !ha_node_set_value(env, o, "parameters", v)) {
      return NULL;
    }
    NAPI_CALL(env, napi_set_element(env, models, (uint32_t)i, o));
  }
  size_t nc = 0;
  const ha_param_info *common = ha_common_params(&nc);
  if (!ha_node_set_value(env, root, "models", models) ||
      (v = params_array(env, common, nc)) == NULL ||
      !ha_node_set_value(env, root, "commonParameters", v)) {
    return NULL;
  }
  napi_value timing, loop, choices, s, seam, seams;
  ha_timing td = ha_timing_default();
  NAPI_CALL(env, napi_create_object(env, &timing));
  NAPI_CALL(env, napi_create_object(env, &loop));
  NAPI_CALL(env, napi_create_array_with_length(env, 3, &choices));
  for (uint32_t i = 0; i < 3; i++) {
    NAPI_CALL(env, napi_create_string_utf8(env, ha_loop_mode_name((ha_loop_mode)i),
                                           NAPI_AUTO_LENGTH, &s));
    NAPI_CALL(env, napi_set_element(env, choices, i, s));
  }
  NAPI_CALL(env, napi_create_object(env, &seam));
  NAPI_CALL(env, napi_create_array_with_length(env, 2, &seams));
  for (uint32_t i = 0; i < 2; i++) {
    NAPI_CALL(env, napi_create_string_utf8(env, ha_seam_name((ha_seam)i), NAPI_AUTO_LENGTH, &s));
    NAPI_CALL(env, napi_set_element(env, seams, i, s));
  }
  if ((v = range_object(env, td.duration, HA_DURATION_MIN, HA_DURATION_MAX, "s")) == NULL ||
      !ha_node_set_value(env, timing, "duration", v) ||
      !ha_node_set_value(env, loop, "choices", choices) ||
      !ha_node_set_string(env, loop, "default", ha_loop_mode_name(td.loop)) ||
      !ha_node_set_value(env, timing, "loop", loop) ||
      (v = range_object(env, td.speed, HA_SPEED_MIN, HA_SPEED_MAX, "x")) == NULL ||
      !ha_node_set_value(env, timing, "speed", v) ||
      !ha_node_set_value(env, seam, "choices", seams) ||
      !ha_node_set_string(env, seam, "default", ha_seam_name(td.seam)) ||
      !ha_node_set_value(env, timing, "seam", seam) ||
      !ha_node_set_value(env, root, "timing", timing) || (v = easing_names(env)) == NULL ||
      !ha_node_set_value(env, root, "easings", v)) {
    return NULL;
  }
  return root;
}

napi_value ha_node_init_models(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"listModels", NULL, js_list_models, NULL, NULL, NULL, napi_default, NULL},
  };
  NAPI_CALL(env, napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}
