/* doppler: a straight pass-by. q = clamp(p·passBySpeed, 0, 1); P = lerp(S, E,
 * q): with passBySpeed > 1 the source arrives early and waits at the end. */
#include "model_impl.h"

enum { S_START = 0, S_END = 3, S_PASS = 6 };

static const ha_param_info params[] = {
    HA__P_POS(S_START, "pathStart", NULL, -10, 0, 0, "where the pass-by starts (m)"),
    HA__P_POS(S_END, "pathEnd", NULL, 10, 0, 0, "where the pass-by ends (m)"),
    HA__P_NUM(S_PASS, "passBySpeed", NULL, "", 1, 0, 1000,
              "passes per duration: 1 crosses in the whole duration, 2 in half of it"),
};

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double q = ev->p * d->s[S_PASS];
  q = q < 0.0 ? 0.0 : q > 1.0 ? 1.0 : q;
  return ha_vec3_lerp(ha__slot_vec3(d, S_START), ha__slot_vec3(d, S_END), q);
}

/* Batch kernel: P = S + (E − S)·clamp(p·passBySpeed, 0, 1). */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  ha_vec3 s = ha__slot_vec3(d, S_START);
  ha__kernel_shape(kp, s, 0.0, 0.0, HA_EASE_LINEAR);
  kp->omega[2] = d->s[S_PASS];
  ha__kernel_col(kp, 2, ha_vec3_sub(ha__slot_vec3(d, S_END), s));
  return HA__KERNEL_LERP;
}

const ha__model ha__model_doppler = {
    .info =
        HA__MODEL_INFO("doppler", NULL, 0, params, "straight pass-by from a start to an end point"),
    .local = local,
    .pack = pack,
};
