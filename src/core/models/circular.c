/* circular: θ = rad(startAngle) + d·2π·speed·p, d = −1 clockwise; (u, v) =
 * r(cos θ, sin θ) in the chosen plane around the centre. */
#include "model_impl.h"

#include <string.h>

enum { S_CENTER = 0, S_RADIUS = 3, S_SPEED = 4, S_START = 5, S_DIR = 6, S_PLANE = 7 };

static const ha_param_info params[] = {
    HA__P_VEC(S_CENTER, "center", NULL, 0, 0, 0, -HA__POS_MAX, HA__POS_MAX, "centre of the circle"),
    HA__P_NUM(S_RADIUS, "radius", NULL, "m", 5, 0, HA__POS_MAX, "radius of the circle"),
    HA__P_NUM(S_SPEED, "speed", "turns", "turns", 1, -1000, 1000, "turns per duration"),
    HA__P_NUM(S_START, "startAngle", NULL, "deg", 0, -36000, 36000,
              "angle at the start (0 along u, counter-clockwise toward v)"),
    HA__P_CHOICE(S_DIR, "direction", NULL, "clockwise|counterclockwise", 0, "turning direction"),
    HA__P_CHOICE(S_PLANE, "plane", NULL, HA__PLANE_CHOICES, 0, "plane of the circle"),
};

static double theta(const ha__motion_data *d, double p) {
  double dir = (int)d->s[S_DIR] == 0 ? -1.0 : 1.0;
  return ha_deg2rad(d->s[S_START]) + dir * HA_TAU * d->s[S_SPEED] * p;
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double th = theta(d, ev->p), r = d->s[S_RADIUS];
  return ha_vec3_add(ha__slot_vec3(d, S_CENTER),
                     ha__plane_map((int)d->s[S_PLANE], r * cos(th), r * sin(th)));
}

static double heading(const ha__motion_data *d, const ha__eval *ev, ha_vec3 *axis) {
  *axis = ha__plane_normal((int)d->s[S_PLANE]);
  return theta(d, ev->p) - ha_deg2rad(d->s[S_START]);
}

static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  double r = d->s[S_RADIUS];
  ha_vec3 u = ha__plane_map((int)d->s[S_PLANE], r, 0.0),
          v = ha__plane_map((int)d->s[S_PLANE], 0.0, r);
  memset(kp, 0, sizeof(*kp));
  kp->c[0] = d->s[S_CENTER];
  kp->c[1] = d->s[S_CENTER + 1];
  kp->c[2] = d->s[S_CENTER + 2];
  kp->m[0][0] = u.x;
  kp->m[1][0] = u.y;
  kp->m[2][0] = u.z;
  kp->m[0][1] = v.x;
  kp->m[1][1] = v.y;
  kp->m[2][1] = v.z;
  kp->theta0 = ha_deg2rad(d->s[S_START]);
  kp->omega[0] = ((int)d->s[S_DIR] == 0 ? -1.0 : 1.0) * HA_TAU * d->s[S_SPEED];
  return HA__KERNEL_CIRCLE;
}

const ha__model ha__model_circular = {
    .info = {.name = "circular",
             .aliases = "circle",
             .description = "circle around a centre in a plane",
             .params = params,
             .param_count = HA__COUNTOF(params),
             .flags = HA_MODEL_ROTATING},
    .local = local,
    .heading = heading,
    .pack = pack,
};
