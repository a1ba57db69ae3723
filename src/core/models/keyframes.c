/* keyframes: positions at given times (seconds), interpolated.
 *
 * Before the first key the source holds the first position, after the last
 * key the last one. Segment i (key i to key i+1) runs on the local fraction
 * w = (τ − t_i)/(t_i+1 − t_i) eased with key i's easing: linear lerps, step
 * holds P_i until the next key, catmull-rom follows the centripetal spline
 * through the keys, timed by the keys (C1 in time when easings are linear;
 * repeated positions are smooth stops; see path.c). Keys with equal times are
 * a jump, the later key winning at that instant.
 *
 * Times are seconds, validated against [0, duration] by the generic parser,
 * so the model reads τ (HA_MODEL_ABS_TIME). The default keys span the default
 * 10 s duration; a shorter duration needs its own keys. Catmull-rom segment
 * coefficients are built once in prepare into d->aux (14 doubles per
 * segment). */
#include "model_impl.h"
#include "path_aux.h"

enum { S_INTERP = 0 };

static const ha_param_info params[] = {
    HA__P_KEYS("keyframes", NULL, 1, 100000,
               "positions at times within the duration: {time s, position m, easing of the "
               "segment that starts there}"),
    HA__P_CHOICE(S_INTERP, "interpolation", NULL, "linear|catmull-rom|step", 0,
                 "how positions are interpolated between keys"),
};

static const ha_keyframe default_keys[] = {
    {0.0, {-5, 0, 0}, HA_EASE_LINEAR},
    {5.0, {0, 5, 0}, HA_EASE_LINEAR},
    {10.0, {5, 0, 0}, HA_EASE_LINEAR},
};

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  (void)raw;
  (void)err;
  if ((int)d->s[S_INTERP] != HA__KEYS_CATMULL_ROM || d->nkeys < 2) {
    return HA_OK;
  }
  ha__spline sp = ha__keys_spline(d->keys, d->nkeys);
  return path_aux_segments(d, &sp, ha__spline_segments(&sp), 0);
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  return ha__keyframes_eval(d->keys, d->nkeys, (int)d->s[S_INTERP], d->aux, ev->tau);
}

static ha_vec3 pivot(const ha__motion_data *d) {
  return d->nkeys > 0 ? d->keys[0].position : ha_vec3_zero();
}

const ha__model ha__model_keyframes = {
    .info = HA__MODEL_INFO("keyframes", "custom", HA_MODEL_ABS_TIME, params,
                           "positions at given times, interpolated (linear, catmull-rom or step)"),
    .prepare = prepare,
    .local = local,
    .pivot = pivot,
    .default_keys = default_keys,
    .default_nkeys = HA__COUNTOF(default_keys),
};
