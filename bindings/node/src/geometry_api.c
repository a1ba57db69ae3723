/* holoanim Node addon: geometry without a player — interpolateTrajectory
 * (ha_path_interpolate over JS points), groupPositions (a formation of
 * tracks around one motion at one time: ha_group_positions) and
 * maintainFormation.
 *
 * Each call converts its JS arguments on the JS thread, computes
 * synchronously and returns an interleaved Float64Array of x, y, z (the
 * batch shape the rest of the addon uses). Rejected: async variants, as
 * these are cheap next to the conversion of their arguments. */
#include "addon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- interpolateTrajectory ---------------------------------------------------------------- */

static napi_value js_interpolate(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  ha_vec3 *pts;
  size_t n;
  if (!ha_node_get_points(env, argc > 0 ? argv[0] : NULL, "points", &pts, &n)) {
    return NULL;
  }
  ha_path_options o = ha_path_options_default();
  if (argc > 1 && !ha_node_is_nullish(env, argv[1])) {
    if (!ha_node_is_type(env, argv[1], napi_object)) {
      free(pts);
      return ha_node_type_error(env, "options must be an object");
    }
    char method[32];
    bool found = false;
    uint32_t samples = (uint32_t)o.samples;
    if (!ha_node_opt_string(env, argv[1], "method", method, sizeof(method), &found) ||
        !ha_node_opt_number(env, argv[1], "alpha", &o.alpha) ||
        !ha_node_opt_number(env, argv[1], "tension", &o.tension) ||
        !ha_node_opt_bool(env, argv[1], "closed", &o.closed) ||
        !ha_node_opt_bool(env, argv[1], "constantSpeed", &o.constant_speed) ||
        !ha_node_opt_u32(env, argv[1], "samples", 0, 10000000, &samples)) {
      free(pts);
      return NULL;
    }
    o.samples = samples;
    if (found) {
      if (strcmp(method, "linear") == 0) {
        o.method = HA_PATH_LINEAR;
      } else if (strcmp(method, "catmull-rom") == 0 || strcmp(method, "catmullRom") == 0) {
        o.method = HA_PATH_CATMULL_ROM;
      } else if (strcmp(method, "bezier") == 0) {
        o.method = HA_PATH_BEZIER;
      } else {
        free(pts);
        ha_error err;
        ha_error_clear(&err);
        err.kind = HA_ERROR_INVALID_PARAMETER;
        snprintf(err.name, sizeof(err.name), "method");
        snprintf(err.value, sizeof(err.value), "%.60s", method);
        snprintf(err.reason, sizeof(err.reason), "expected linear, catmull-rom or bezier");
        snprintf(err.message, sizeof(err.message),
                 "method: '%.60s' is not one of linear, catmull-rom, bezier", method);
        return ha_node_throw(env, HA_EINVAL, &err, "interpolateTrajectory");
      }
    }
  }
  size_t cap = o.samples >= 2 ? o.samples : 2;
  ha_vec3 *out = malloc(cap * sizeof(*out));
  if (out == NULL) {
    free(pts);
    return ha_node_throw(env, HA_ENOMEM, NULL, "interpolateTrajectory");
  }
  size_t got = 0;
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha_path_interpolate(pts, n, &o, out, cap, &got, &err);
  free(pts);
  return ha_node_points_result(env, st, &err, "interpolateTrajectory", out, got);
}

/* ---- groups ------------------------------------------------------------------------------ */

/* group.tracks (ids, owned) and group.bases (owned), reconciled with
 * group.count into *count (at least 1). false: an exception is pending. */
static bool group_members(napi_env env, napi_value g, uint32_t *count, uint32_t **ids,
                          ha_vec3 **bases) {
  napi_value v;
  bool found;
  *count = 0;
  if (!ha_node_opt_u32(env, g, "count", 1, 1000000, count) ||
      !ha_node_get_prop(env, g, "tracks", &v, &found)) {
    return false;
  }
  if (found) {
    bool arr = false;
    uint32_t len = 0;
    NAPI_CALL_B(env, napi_is_array(env, v, &arr));
    if (!arr) {
      ha_node_type_error(env, "group.tracks must be an array of track ids");
      return false;
    }
    NAPI_CALL_B(env, napi_get_array_length(env, v, &len));
    *ids = malloc((len ? len : 1) * sizeof(**ids));
    if (*ids == NULL) {
      ha_node_throw(env, HA_ENOMEM, NULL, "groupPositions");
      return false;
    }
    for (uint32_t i = 0; i < len; i++) {
      napi_value e;
      char what[48];
      snprintf(what, sizeof(what), "group.tracks[%u]", i);
      NAPI_CALL_B(env, napi_get_element(env, v, i, &e));
      if (!ha_node_get_u32(env, e, what, 0, UINT32_MAX, &(*ids)[i])) {
        return false;
      }
    }
    if (*count != 0 && *count != len) {
      ha_node_range_error(env, "group.count (%u) differs from group.tracks.length (%u)", *count,
                          len);
      return false;
    }
    *count = len;
  }
  size_t nbases = 0;
  if (!ha_node_get_prop(env, g, "bases", &v, &found) ||
      (found && !ha_node_get_points(env, v, "group.bases", bases, &nbases))) {
    return false;
  }
  if (found && *count != 0 && nbases != *count) {
    ha_node_range_error(env, "group.bases has %zu points for %u tracks", nbases, *count);
    return false;
  }
  if (found && *count == 0) {
    *count = (uint32_t)nbases;
  }
  if (*count == 0) {
    *count = 1;
  }
  return true;
}

/* The group options (ha_node_get_group_options) into grp. false: an
 * exception is pending. */
static bool group_layout(napi_env env, napi_value g, ha_group *grp) {
  ha_anim_spec spec = ha_anim_spec_default();
  spec.mode = grp->mode;
  spec.phase_offset = grp->phase_offset;
  spec.phase_spread = grp->phase_spread;
  spec.delay = grp->delay;
  spec.rotate_formation = grp->rotate_formation;
  spec.center_point = grp->center_point;
  spec.spread_radius = grp->spread_radius;
  spec.mirror_axis = grp->mirror_axis;
  if (!ha_node_get_group_options(env, g, "groupPositions", "group.", &spec)) {
    return false;
  }
  grp->mode = spec.mode;
  grp->phase_offset = spec.phase_offset;
  grp->phase_spread = spec.phase_spread;
  grp->delay = spec.delay;
  grp->rotate_formation = spec.rotate_formation;
  grp->center_point = spec.center_point;
  grp->spread_radius = spec.spread_radius;
  grp->mirror_axis = spec.mirror_axis;
  return true;
}

/* groupPositions({motion, count|tracks, bases, mode, ...}, time) → Float64Array */
static napi_value js_group_positions(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2 || !ha_node_is_type(env, argv[0], napi_object)) {
    return ha_node_type_error(env, "groupPositions(group, time): group must be an object");
  }
  double t;
  if (!ha_node_get_number(env, argv[1], "time", &t)) {
    return NULL;
  }
  napi_value g = argv[0], v;
  bool found;
  if (!ha_node_get_prop(env, g, "motion", &v, &found)) {
    return NULL;
  }
  if (!found) {
    return ha_node_type_error(env, "group.motion must be a Motion or a {model, params, timing}");
  }
  ha_node_pattern p;
  if (!ha_node_get_pattern(env, v, "group.motion", &p)) {
    return NULL;
  }
  ha_error err;
  ha_error_clear(&err);
  ha_motion *tmp = NULL;
  const ha_motion *m = ha_node_motion_get(p.motion);
  uint32_t *ids = NULL, count = 0;
  ha_vec3 *bases = NULL, *out = NULL;
  ha_motion_state *states = NULL;
  napi_value result = NULL;
  ha_status st = HA_OK;
  ha_group grp;
  if (!group_members(env, g, &count, &ids, &bases)) {
    goto done;
  }
  if (m == NULL) {
    st = ha_motion_create(p.model, p.params, &p.timing, &tmp, &err);
    if (st != HA_OK) {
      goto done;
    }
    m = tmp;
  }
  ha_group_init(&grp, m, count);
  grp.track_ids = ids;
  grp.bases = bases;
  if (!group_layout(env, g, &grp)) {
    goto done;
  }
  states = calloc(count, sizeof(*states));
  out = malloc(count * sizeof(*out));
  if (states == NULL || out == NULL) {
    st = HA_ENOMEM;
    goto done;
  }
  for (uint32_t i = 0; i < count; i++) {
    ha_motion_state_reset(&states[i]);
  }
  grp.states = states;
  st = ha_group_positions(&grp, t, out, count, &err);
  if (st == HA_OK) {
    result = ha_node_points_f64(env, out, count);
  }
done:
  if (st != HA_OK) {
    ha_node_throw(env, st, &err, "groupPositions");
  }
  ha_motion_destroy(tmp);
  ha_node_pattern_deinit(&p);
  free(ids);
  free(bases);
  free(out);
  free(states);
  return result;
}

/* maintainFormation(center, members) → Float64Array */
static napi_value js_maintain_formation(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  ha_vec3 center;
  if (!ha_node_get_vec3(env, argc > 0 ? argv[0] : NULL, "center", &center)) {
    return NULL;
  }
  ha_vec3 *pts;
  size_t n;
  if (!ha_node_get_points(env, argc > 1 ? argv[1] : NULL, "members", &pts, &n)) {
    return NULL;
  }
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha_maintain_formation(center, pts, n, pts, &err);
  return ha_node_points_result(env, st, &err, "maintainFormation", pts, n);
}

napi_value ha_node_init_geometry(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"interpolateTrajectory", NULL, js_interpolate, NULL, NULL, NULL, napi_default, NULL},
      {"groupPositions", NULL, js_group_positions, NULL, NULL, NULL, napi_default, NULL},
      {"maintainFormation", NULL, js_maintain_formation, NULL, NULL, NULL, napi_default, NULL},
  };
  NAPI_CALL(env, napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}
