/* rose-curve: θ = 2πp + rad(angularOffset); ρ = radius·cos(petalCount·θ);
 * (u, v) = (ρ cos θ, ρ sin θ) around the centre. petalCount is a number, not
 * an integer: rational values give the open "rhodonea" variants and keep
 * imported projects loadable. Rotating: the heading is θ − rad(angularOffset). */
#include "model_impl.h"

enum { S_CENTER = 0, S_RADIUS = 3, S_PETALS = 4, S_OFFSET = 5, S_PLANE = 6 };

static const ha_param_info params[] = {
    HA__P_CENTER(S_CENTER, "centre of the rose (m)"),
    HA__P_LEN(S_RADIUS, "radius", NULL, 5, "petal length (m)"),
    HA__P_NUM(S_PETALS, "petalCount", NULL, "", 5, 0, 100,
              "k in ρ = r·cos(kθ): k petals when odd, 2k when even"),
    HA__P_DEG(S_OFFSET, "angularOffset", NULL, 0, "polar angle at the start (deg, 0 along u)"),
    HA__P_PLANE(S_PLANE, 0, "plane of the rose"),
};

static double theta(const ha__motion_data *d, double p) {
  return HA_TAU * p + ha_deg2rad(d->s[S_OFFSET]);
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double th = theta(d, ev->p);
  double rho = d->s[S_RADIUS] * cos(d->s[S_PETALS] * th);
  return ha_vec3_add(ha__slot_vec3(d, S_CENTER),
                     ha__plane_map((int)d->s[S_PLANE], rho * cos(th), rho * sin(th)));
}

static double heading(const ha__motion_data *d, const ha__eval *ev, ha_vec3 *axis) {
  *axis = ha__plane_normal((int)d->s[S_PLANE]);
  return theta(d, ev->p) - ha_deg2rad(d->s[S_OFFSET]);
}

/* Batch kernel: ρ = radius·cos κ, κ = petalCount·θ, θ = 2π·p + offset. */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  int plane = (int)d->s[S_PLANE];
  ha__kernel_shape(kp, ha__slot_vec3(d, S_CENTER), ha_deg2rad(d->s[S_OFFSET]), HA_TAU,
                   HA_EASE_LINEAR);
  kp->omega[1] = d->s[S_PETALS];
  kp->rho[2] = d->s[S_RADIUS];
  ha__kernel_col(kp, 0, ha__plane_map(plane, 1.0, 0.0));
  ha__kernel_col(kp, 1, ha__plane_map(plane, 0.0, 1.0));
  return HA__KERNEL_ROT2;
}

const ha__model ha__model_rose_curve = {
    .info = HA__MODEL_INFO("rose-curve", "rose", HA_MODEL_ROTATING, params,
                           "rose (rhodonea) curve of petals around a centre in a plane"),
    .local = local,
    .heading = heading,
    .pack = pack,
};
