/* spiral: an Archimedean spiral in a plane. r goes linearly from startRadius
 * to endRadius (outward) or back (inward) while θ = 2π·rotations·p; (u, v) =
 * r(cos θ, sin θ) around the centre. Rotating: the heading is θ itself. */
#include "model_impl.h"

enum { S_CENTER = 0, S_R0 = 3, S_R1 = 4, S_ROT = 5, S_DIR = 6, S_PLANE = 7 };

static const ha_param_info params[] = {
    HA__P_CENTER(S_CENTER, "centre of the spiral (m)"),
    HA__P_LEN(S_R0, "startRadius", NULL, 1, "inner radius: where an outward spiral starts (m)"),
    HA__P_LEN(S_R1, "endRadius", NULL, 10, "outer radius: where an outward spiral ends (m)"),
    HA__P_TURNS(S_ROT, "rotations", NULL, 3, "turns per duration (negative turns clockwise)"),
    HA__P_CHOICE(S_DIR, "direction", NULL, "outward|inward", 0,
                 "outward: startRadius to endRadius; inward: endRadius to startRadius"),
    HA__P_PLANE(S_PLANE, 0, "plane of the spiral"),
};

static double theta(const ha__motion_data *d, double p) {
  return HA_TAU * d->s[S_ROT] * p;
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double r0 = d->s[S_R0], r1 = d->s[S_R1];
  double r = (int)d->s[S_DIR] == 0 ? r0 + (r1 - r0) * ev->p : r1 - (r1 - r0) * ev->p;
  double th = theta(d, ev->p);
  return ha_vec3_add(ha__slot_vec3(d, S_CENTER),
                     ha__plane_map((int)d->s[S_PLANE], r * cos(th), r * sin(th)));
}

static double heading(const ha__motion_data *d, const ha__eval *ev, ha_vec3 *axis) {
  *axis = ha__plane_normal((int)d->s[S_PLANE]);
  return theta(d, ev->p);
}

/* Batch kernel: ρ = r0 + (r1 − r0)·p outward, r1 + (−(r1 − r0))·p inward
 * (the same numbers as local()'s r1 − (r1 − r0)·p), θ = (2π·rotations)·p. */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  double r0 = d->s[S_R0], r1 = d->s[S_R1];
  int plane = (int)d->s[S_PLANE];
  ha__kernel_shape(kp, ha__slot_vec3(d, S_CENTER), 0.0, HA_TAU * d->s[S_ROT], HA_EASE_LINEAR);
  kp->rho[0] = (int)d->s[S_DIR] == 0 ? r0 : r1;
  kp->rho[1] = (int)d->s[S_DIR] == 0 ? r1 - r0 : -(r1 - r0);
  ha__kernel_col(kp, 0, ha__plane_map(plane, 1.0, 0.0));
  ha__kernel_col(kp, 1, ha__plane_map(plane, 0.0, 1.0));
  return HA__KERNEL_ROT1;
}

const ha__model ha__model_spiral = {
    .info = HA__MODEL_INFO("spiral", NULL, HA_MODEL_ROTATING, params,
                           "Archimedean spiral around a centre in a plane"),
    .local = local,
    .heading = heading,
    .pack = pack,
};
