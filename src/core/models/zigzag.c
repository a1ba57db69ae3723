/* zigzag: a waveform drawn along a straight path.
 * base = lerp(S, E, p); P = base + amplitude·w(2π·cycles·p + rad(phase))·n.
 *
 * The offset direction n is defined precisely as: N = the plane's oriented
 * normal (ha__plane_normal: xy +Z, xz −Y, yz +X), a = unit(E − S) with its N
 * component removed (its projection into the plane), n = N × unit(a), i.e.
 * the projected path direction turned +90° about N (counter-clockwise in the
 * plane's (u, v) angles). So n lies in the plane and is perpendicular to
 * E − S itself, not only to its projection. For the default path along +X in
 * xy, n = +Y. It is computed once in prepare into d->aux; S = E, or a path
 * perpendicular to the plane (no unique n), is an InvalidParameter.
 * A nonzero offsetAxis sets n to unit(offsetAxis) instead, whatever the path
 * and plane (the originals' fixed offset axes: v2.3's oscillator-path, v2.0's
 * zigzag). */
#include "model_impl.h"

enum {
  S_START = 0,
  S_END = 3,
  S_WAVE = 6,
  S_AMP = 7,
  S_CYCLES = 8,
  S_PHASE = 9,
  S_PLANE = 10,
  S_AXIS = 11
};

static const ha_param_info params[] = {
    HA__P_POS(S_START, "pathStart", NULL, -5, 0, 0, "where the path starts (m)"),
    HA__P_POS(S_END, "pathEnd", NULL, 5, 0, 0, "where the path ends (m)"),
    HA__P_CHOICE(S_WAVE, "waveform", NULL, "sine|triangle|square|sawtooth", 1,
                 "shape of the sideways offset"),
    HA__P_LEN(S_AMP, "amplitude", NULL, 2, "peak sideways offset from the path (m)"),
    HA__P_NUM(S_CYCLES, "cycles", NULL, "", 5, 0, 1000,
              "waveform periods along the path per duration"),
    HA__P_DEG(S_PHASE, "phase", NULL, 0, "phase of the waveform at the start (deg)"),
    HA__P_PLANE(S_PLANE, 0, "plane the sideways offset lies in"),
    HA__P_DIR(S_AXIS, "offsetAxis", NULL, 0, 0, 0,
              "fixed direction of the offset instead of sideways in the plane ([0, 0, 0]: "
              "sideways; the original v2.3 oscillator-path offsets along +y or +z, v2.0's "
              "zigzag along y, z or x)"),
};

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  (void)raw;
  ha_vec3 a;
  ha_status st =
      ha__slot_direction(d, S_START, S_END, "pathEnd",
                         "must differ from pathStart (the path needs a direction)", &a, err);
  if (st != HA_OK) {
    return st;
  }
  if (ha__aux_alloc(d, 3) != HA_OK) {
    return HA_ENOMEM;
  }
  ha_vec3 axis = ha__slot_vec3(d, S_AXIS);
  if (ha_vec3_dot(axis, axis) > 0.0) {
    /* The original's convention: a fixed axis, whatever the path. */
    ha__vec3_store(d->aux, ha_vec3_normalize(axis));
    return HA_OK;
  }
  int plane = (int)d->s[S_PLANE];
  ha_vec3 nrm = ha__plane_normal(plane);
  /* The normal is a coordinate axis, so this removes one component exactly. */
  ha_vec3 in = ha_vec3_normalize(ha_vec3_sub(a, ha_vec3_scale(nrm, ha_vec3_dot(a, nrm))));
  if (ha_vec3_dot(in, in) < 0.5) {
    static const char *const names[] = {"xy", "xz", "yz"};
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "plane", names[plane],
                             "the path from pathStart to pathEnd is perpendicular to the %s "
                             "plane, so the sideways direction is undefined (choose another "
                             "plane)",
                             names[plane]);
  }
  ha_vec3 n = ha_vec3_cross(nrm, in);
  ha__vec3_store(d->aux, n);
  return HA_OK;
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  ha_vec3 base = ha_vec3_lerp(ha__slot_vec3(d, S_START), ha__slot_vec3(d, S_END), ev->p);
  double alpha = HA_TAU * d->s[S_CYCLES] * ev->p + ha_deg2rad(d->s[S_PHASE]);
  double off = d->s[S_AMP] * ha__waveform((int)d->s[S_WAVE], alpha);
  return ha_vec3_add(base, ha_vec3_scale(ha__vec3_load(d->aux), off));
}

/* Batch kernel: P = S + (E − S)·p + (amplitude·n)·w(2π·cycles·p + phase). */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  ha_vec3 s = ha__slot_vec3(d, S_START);
  ha__kernel_shape(kp, s, ha_deg2rad(d->s[S_PHASE]), HA_TAU * d->s[S_CYCLES], HA_EASE_LINEAR);
  ha__kernel_col(kp, 0, ha_vec3_scale(ha__vec3_load(d->aux), d->s[S_AMP]));
  ha__kernel_col(kp, 2, ha_vec3_sub(ha__slot_vec3(d, S_END), s));
  kp->wave = (int)d->s[S_WAVE];
  return HA__KERNEL_WAVE;
}

const ha__model ha__model_zigzag = {
    .info = HA__MODEL_INFO("zigzag", "oscillator-path", 0, params,
                           "waveform offset sideways along a straight path (triangle: zigzag)"),
    .prepare = prepare,
    .local = local,
    .pack = pack,
};
