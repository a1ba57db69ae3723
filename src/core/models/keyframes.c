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
 * segment).
 *
 * ride v2.0 plays the keys as the original v2.0's custom animation does
 * (its calculateCustomPosition): the first cycle differs from the later ones
 * (ha__eval.cycle), see ride_v20. */
#include "model_impl.h"
#include "path_aux.h"

enum { S_INTERP = 0, S_RIDE = 1, S_FROM = 2 };

static const ha_param_info params[] = {
    HA__P_KEYS("keyframes", NULL, 1, 100000,
               "positions at times within the duration: {time s, position m, easing of the "
               "segment that starts there}"),
    HA__P_CHOICE(S_INTERP, "interpolation", NULL, "linear|catmull-rom|step", 0,
                 "how positions are interpolated between keys"),
    HA__P_CHOICE(S_RIDE, "ride", NULL, "plain|v2.0", 0,
                 "plain: as above; v2.0 (the original v2.0's custom animation): the first "
                 "cycle glides from rideStart to the first key, plays the keys at their times, "
                 "then glides back to the first key over the first key's time (or 1 s); later "
                 "cycles map [0, T] onto [first, first + last] (the keys, then the glide back); "
                 "segments linear with the keys' easings (step: hold), catmull-rom as linear"),
    HA__P_POS(S_FROM, "rideStart", NULL, 0, 0, 0,
              "ride v2.0: where the first cycle starts (the track's position) (m)"),
};

static const ha_keyframe default_keys[] = {
    {0.0, {-5, 0, 0}, HA_EASE_LINEAR},
    {5.0, {0, 5, 0}, HA_EASE_LINEAR},
    {10.0, {5, 0, 0}, HA_EASE_LINEAR},
};

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  (void)raw;
  (void)err;
  if ((int)d->s[S_INTERP] != HA__KEYS_CATMULL_ROM || d->nkeys < 2 || (int)d->s[S_RIDE] == 1) {
    return HA_OK;
  }
  ha__spline sp = ha__keys_spline(d->keys, d->nkeys);
  return path_aux_segments(d, &sp, ha__spline_segments(&sp), 0);
}

/* ride v2.0: the original's calculateCustomPosition (keys sorted). */
static ha_vec3 ride_v20(const ha__motion_data *d, const ha__eval *ev) {
  const ha_keyframe *k = d->keys;
  size_t n = d->nkeys;
  double f = k[0].time, last = k[n - 1].time, time = ev->tau;
  int first = ev->cycle < 0.5;
  if (first && time < f) {
    double w = fmin(time / fmax(f, 0.001), 1.0);
    return ha_vec3_lerp(ha__slot_vec3(d, S_FROM), k[0].position, w);
  }
  if (n == 1) {
    return k[0].position;
  }
  double eff = first ? time : f + (time / ev->T) * last;
  if (eff > last) {
    double w = fmin((eff - last) / (f > 0.0 ? f : 1.0), 1.0);
    return ha_vec3_lerp(k[n - 1].position, k[0].position, w);
  }
  size_t i = 0;
  while (i + 2 < n && !(eff >= k[i].time && eff <= k[i + 1].time)) {
    i++;
  }
  double dt = k[i + 1].time - k[i].time;
  double w = dt > 0.0 ? (eff - k[i].time) / dt : 0.0;
  double u = (int)d->s[S_INTERP] == HA__KEYS_STEP ? (w < 1.0 ? 0.0 : 1.0) : ha_ease(k[i].easing, w);
  return ha_vec3_lerp(k[i].position, k[i + 1].position, u);
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  if ((int)d->s[S_RIDE] == 1 && d->nkeys > 0) {
    return ride_v20(d, ev);
  }
  return ha__keyframes_eval(d->keys, d->nkeys, (int)d->s[S_INTERP], d->aux, ev->tau);
}

static ha_vec3 pivot(const ha__motion_data *d) {
  return d->nkeys > 0 ? d->keys[0].position : ha_vec3_zero();
}

/* The KEYS kernel (model_impl.h): local() without ride v2.0. */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  int interp = (int)d->s[S_INTERP];
  if ((int)d->s[S_RIDE] == 1 || d->nkeys == 0 ||
      (interp == HA__KEYS_CATMULL_ROM && d->nkeys > 1 && d->aux == NULL)) {
    return HA__KERNEL_NONE;
  }
  ha__kernel_identity(kp);
  kp->omega[0] = (double)interp;
  kp->table = d->aux;
  return HA__KERNEL_KEYS;
}

const ha__model ha__model_keyframes = {
    .info = HA__MODEL_INFO("keyframes", "custom", HA_MODEL_ABS_TIME, params,
                           "positions at given times, interpolated (linear, catmull-rom or step)"),
    .prepare = prepare,
    .local = local,
    .pivot = pivot,
    .pack = pack,
    .default_keys = default_keys,
    .default_nkeys = HA__COUNTOF(default_keys),
};
