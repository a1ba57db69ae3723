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
 * perpendicular to the plane (no unique n), is an InvalidParameter. */
#include "model_impl.h"

#include <stdio.h>
#include <stdlib.h>

enum { S_START = 0, S_END = 3, S_WAVE = 6, S_AMP = 7, S_CYCLES = 8, S_PHASE = 9, S_PLANE = 10 };

static const ha_param_info params[] = {
    HA__P_VEC(S_START, "pathStart", NULL, -5, 0, 0, -HA__POS_MAX, HA__POS_MAX,
              "where the path starts (m)"),
    HA__P_VEC(S_END, "pathEnd", NULL, 5, 0, 0, -HA__POS_MAX, HA__POS_MAX,
              "where the path ends (m)"),
    HA__P_CHOICE(S_WAVE, "waveform", NULL, "sine|triangle|square|sawtooth", 1,
                 "shape of the sideways offset"),
    HA__P_NUM(S_AMP, "amplitude", NULL, "m", 2, 0, HA__POS_MAX,
              "peak sideways offset from the path (m)"),
    HA__P_NUM(S_CYCLES, "cycles", NULL, "", 5, 0, 1000,
              "waveform periods along the path per duration"),
    HA__P_NUM(S_PHASE, "phase", NULL, "deg", 0, -36000, 36000,
              "phase of the waveform at the start (deg)"),
    HA__P_CHOICE(S_PLANE, "plane", NULL, HA__PLANE_CHOICES, 0, "plane the sideways offset lies in"),
};

/* unit(v), or zero for the zero vector (scaled first: no underflow). */
static ha_vec3 unit_of(ha_vec3 v) {
  double m = fmax(fabs(v.x), fmax(fabs(v.y), fabs(v.z)));
  if (!(m > 0.0)) {
    return ha_vec3_zero();
  }
  return ha_vec3_normalize(ha_vec3_make(v.x / m, v.y / m, v.z / m));
}

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  (void)raw;
  ha_vec3 a = unit_of(ha_vec3_sub(ha__slot_vec3(d, S_END), ha__slot_vec3(d, S_START)));
  if (ha_vec3_dot(a, a) < 0.5) {
    char v[100], x[32], y[32], z[32];
    ha_format_double(x, sizeof(x), d->s[S_END]);
    ha_format_double(y, sizeof(y), d->s[S_END + 1]);
    ha_format_double(z, sizeof(z), d->s[S_END + 2]);
    snprintf(v, sizeof(v), "[%s, %s, %s]", x, y, z);
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "pathEnd", v,
                             "must differ from pathStart (the path needs a direction)");
  }
  int plane = (int)d->s[S_PLANE];
  ha_vec3 nrm = ha__plane_normal(plane);
  /* The normal is a coordinate axis, so this removes one component exactly. */
  ha_vec3 in = unit_of(ha_vec3_sub(a, ha_vec3_scale(nrm, ha_vec3_dot(a, nrm))));
  if (ha_vec3_dot(in, in) < 0.5) {
    static const char *const names[] = {"xy", "xz", "yz"};
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "plane", names[plane],
                             "the path from pathStart to pathEnd is perpendicular to the %s "
                             "plane, so the sideways direction is undefined (choose another "
                             "plane)",
                             names[plane]);
  }
  ha_vec3 n = ha_vec3_cross(nrm, in);
  d->aux = malloc(3 * sizeof(double));
  if (d->aux == NULL) {
    return HA_ENOMEM;
  }
  d->aux[0] = n.x;
  d->aux[1] = n.y;
  d->aux[2] = n.z;
  d->naux = 3;
  return HA_OK;
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  ha_vec3 base = ha_vec3_lerp(ha__slot_vec3(d, S_START), ha__slot_vec3(d, S_END), ev->p);
  double alpha = HA_TAU * d->s[S_CYCLES] * ev->p + ha_deg2rad(d->s[S_PHASE]);
  double off = d->s[S_AMP] * ha__waveform((int)d->s[S_WAVE], alpha);
  ha_vec3 n = ha_vec3_make(d->aux[0], d->aux[1], d->aux[2]);
  return ha_vec3_add(base, ha_vec3_scale(n, off));
}

const ha__model ha__model_zigzag = {
    .info = {.name = "zigzag",
             .aliases = "oscillator-path",
             .description = "waveform offset sideways along a straight path (triangle: zigzag)",
             .params = params,
             .param_count = HA__COUNTOF(params),
             .flags = 0},
    .prepare = prepare,
    .local = local,
};
