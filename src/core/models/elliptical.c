/* elliptical: θ = rad(startAngle + phase) + p·rad(endAngle − startAngle);
 * (u, v) = (radiusX cos θ, radiusY sin θ) in the chosen plane around the
 * centre. An arc rather than a full turn when endAngle − startAngle ≠ 360. */
#include "model_impl.h"

enum { S_CENTER = 0, S_RX = 3, S_RY = 4, S_START = 5, S_END = 6, S_PHASE = 7, S_PLANE = 8 };

static const ha_param_info params[] = {
    HA__P_VEC(S_CENTER, "center", NULL, 0, 0, 0, -HA__POS_MAX, HA__POS_MAX,
              "centre of the ellipse (m)"),
    HA__P_NUM(S_RX, "radiusX", NULL, "m", 5, 0, HA__POS_MAX, "semi-axis along u (m)"),
    HA__P_NUM(S_RY, "radiusY", NULL, "m", 3, 0, HA__POS_MAX, "semi-axis along v (m)"),
    HA__P_NUM(S_START, "startAngle", NULL, "deg", 0, -36000, 36000,
              "parametric angle at the start (deg, 0 along u, counter-clockwise toward v)"),
    HA__P_NUM(S_END, "endAngle", NULL, "deg", 360, -36000, 36000,
              "parametric angle at the end (deg); 360 above startAngle makes one full turn"),
    HA__P_NUM(S_PHASE, "phase", NULL, "deg", 0, -36000, 36000,
              "angle added to the whole sweep (deg)"),
    HA__P_CHOICE(S_PLANE, "plane", NULL, HA__PLANE_CHOICES, 0, "plane of the ellipse"),
};

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double th =
      ha_deg2rad(d->s[S_START] + d->s[S_PHASE]) + ev->p * ha_deg2rad(d->s[S_END] - d->s[S_START]);
  return ha_vec3_add(ha__slot_vec3(d, S_CENTER),
                     ha__plane_map((int)d->s[S_PLANE], d->s[S_RX] * cos(th), d->s[S_RY] * sin(th)));
}

/* Batch kernel: a rotating vector, θ = θ0 + ω·p with the same θ0 and ω as
 * local() computes, so the batch sees the same angle bit for bit. */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  static const ha__kernel_params zero;
  int plane = (int)d->s[S_PLANE];
  ha_vec3 u = ha__plane_map(plane, d->s[S_RX], 0.0), v = ha__plane_map(plane, 0.0, d->s[S_RY]);
  *kp = zero;
  for (int r = 0; r < 3; r++) {
    kp->c[r] = d->s[S_CENTER + r];
  }
  kp->m[0][0] = u.x;
  kp->m[1][0] = u.y;
  kp->m[2][0] = u.z;
  kp->m[0][1] = v.x;
  kp->m[1][1] = v.y;
  kp->m[2][1] = v.z;
  kp->theta0 = ha_deg2rad(d->s[S_START] + d->s[S_PHASE]);
  kp->omega[0] = ha_deg2rad(d->s[S_END] - d->s[S_START]);
  return HA__KERNEL_CIRCLE;
}

const ha__model ha__model_elliptical = {
    .info = {.name = "elliptical",
             .aliases = "ellipse",
             .description = "ellipse (or elliptical arc) around a centre in a plane",
             .params = params,
             .param_count = HA__COUNTOF(params),
             .flags = 0},
    .local = local,
    .pack = pack,
};
