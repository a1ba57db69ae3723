/* elliptical: θ = rad(startAngle + phase) + p·rad(endAngle − startAngle);
 * (u, v) = (radiusX cos θ, radiusY sin θ) in the chosen plane around the
 * centre. An arc rather than a full turn when endAngle − startAngle ≠ 360. */
#include "../model_impl.h"

enum {
  S_CENTER = 0,
  S_RX = 3,
  S_RY = 4,
  S_START = 5,
  S_END = 6,
  S_PHASE = 7,
  S_PLANE = 8
};

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
  double th = ha_deg2rad(d->s[S_START] + d->s[S_PHASE]) +
              ev->p * ha_deg2rad(d->s[S_END] - d->s[S_START]);
  return ha_vec3_add(ha__slot_vec3(d, S_CENTER),
                     ha__plane_map((int)d->s[S_PLANE], d->s[S_RX] * cos(th),
                                   d->s[S_RY] * sin(th)));
}

const ha__model ha__model_elliptical = {
    .info = {.name = "elliptical",
             .aliases = "ellipse",
             .description = "ellipse (or elliptical arc) around a centre in a plane",
             .params = params,
             .param_count = HA__COUNTOF(params),
             .flags = 0},
    .local = local,
};
