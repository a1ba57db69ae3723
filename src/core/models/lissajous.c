/* lissajous: θ = 2πp; P = c + (Ax sin(aθ + δ), Ay sin(bθ), Az sin((a+b)θ/2)).
 * The z term at the mean frequency lifts the flat figure into 3-D. */
#include "model_impl.h"

enum { S_CENTER = 0, S_A = 3, S_B = 4, S_DELTA = 5, S_AX = 6, S_AY = 7, S_AZ = 8, S_PAXIS = 9 };

static const ha_param_info params[] = {
    HA__P_CENTER(S_CENTER, "centre of the figure (m)"),
    HA__P_NUM(S_A, "frequencyRatioA", NULL, "", 3, 0, 100,
              "cycles of the x component per duration"),
    HA__P_NUM(S_B, "frequencyRatioB", NULL, "", 2, 0, 100,
              "cycles of the y component per duration"),
    HA__P_DEG(S_DELTA, "phaseDifference", NULL, 90, "phase of the x component relative to y (deg)"),
    HA__P_LEN(S_AX, "amplitudeX", NULL, 5, "half-width along X (m)"),
    HA__P_LEN(S_AY, "amplitudeY", NULL, 5, "half-depth along Y (m)"),
    HA__P_LEN(S_AZ, "amplitudeZ", NULL, 2, "half-height along Z (m)"),
    HA__P_CHOICE(S_PAXIS, "phaseAxis", NULL, "x|y", 0,
                 "the component phaseDifference shifts: x, or y (the original v2.0's "
                 "convention: x = Ax sin(aθ), y = Ay sin(bθ + δ))"),
};

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double th = HA_TAU * ev->p, a = d->s[S_A], b = d->s[S_B];
  double dx = (int)d->s[S_PAXIS] == 0 ? ha_deg2rad(d->s[S_DELTA]) : 0.0;
  double dy = (int)d->s[S_PAXIS] == 0 ? 0.0 : ha_deg2rad(d->s[S_DELTA]);
  ha_vec3 o = ha_vec3_make(d->s[S_AX] * sin(a * th + dx), d->s[S_AY] * sin(b * th + dy),
                           d->s[S_AZ] * sin((a + b) * th * 0.5));
  return ha_vec3_add(ha__slot_vec3(d, S_CENTER), o);
}

/* Batch kernel: three sines, one per axis, at 2π·(a, b, (a+b)/2) per
 * duration (the angles round differently from local() by ~1e-15 rad). */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  static const ha__kernel_params zero;
  double a = d->s[S_A], b = d->s[S_B];
  *kp = zero;
  ha__vec3_store(kp->c, ha__slot_vec3(d, S_CENTER));
  kp->m[0][0] = d->s[S_AX];
  kp->m[1][1] = d->s[S_AY];
  kp->m[2][2] = d->s[S_AZ];
  kp->omega[0] = HA_TAU * a;
  kp->omega[1] = HA_TAU * b;
  kp->omega[2] = HA_TAU * (a + b) * 0.5;
  kp->phase[(int)d->s[S_PAXIS] == 0 ? 0 : 1] = ha_deg2rad(d->s[S_DELTA]);
  return HA__KERNEL_SINES;
}

const ha__model ha__model_lissajous = {
    .info = HA__MODEL_INFO("lissajous", NULL, 0, params,
                           "Lissajous figure around a centre, with a height component"),
    .local = local,
    .pack = pack,
};
