/* elliptical: θ = rad(startAngle + phase) + p·rad(endAngle − startAngle);
 * (u, v) = (radiusX cos θ, radiusY sin θ) in the chosen plane around the
 * centre. An arc rather than a full turn when endAngle − startAngle ≠ 360. */
#include "model_impl.h"

enum { S_CENTER = 0, S_RX = 3, S_RY = 4, S_START = 5, S_END = 6, S_PHASE = 7, S_PLANE = 8 };

static const ha_param_info params[] = {
    HA__P_CENTER(S_CENTER, "centre of the ellipse (m)"),
    HA__P_LEN(S_RX, "radiusX", NULL, 5, "semi-axis along u (m)"),
    HA__P_LEN(S_RY, "radiusY", NULL, 3, "semi-axis along v (m)"),
    HA__P_DEG(S_START, "startAngle", NULL, 0,
              "parametric angle at the start (deg, 0 along u, counter-clockwise toward v)"),
    HA__P_DEG(S_END, "endAngle", NULL, 360,
              "parametric angle at the end (deg); 360 above startAngle makes one full turn"),
    HA__P_DEG(S_PHASE, "phase", NULL, 0, "angle added to the whole sweep (deg)"),
    HA__P_PLANE(S_PLANE, 0, "plane of the ellipse"),
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
  int plane = (int)d->s[S_PLANE];
  return ha__kernel_circle(kp, ha__slot_vec3(d, S_CENTER), ha__plane_map(plane, d->s[S_RX], 0.0),
                           ha__plane_map(plane, 0.0, d->s[S_RY]),
                           ha_deg2rad(d->s[S_START] + d->s[S_PHASE]),
                           ha_deg2rad(d->s[S_END] - d->s[S_START]));
}

const ha__model ha__model_elliptical = {
    .info = HA__MODEL_INFO("elliptical", "ellipse", 0, params,
                           "ellipse (or elliptical arc) around a centre in a plane"),
    .local = local,
    .pack = pack,
};
