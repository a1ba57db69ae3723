/* circular: θ = rad(startAngle) + d·2π·speed·p, d = −1 clockwise; (u, v) =
 * r(cos θ, sin θ) in the chosen plane around the centre. */
#include "model_impl.h"

enum { S_CENTER = 0, S_RADIUS = 3, S_SPEED = 4, S_START = 5, S_DIR = 6, S_PLANE = 7 };

static const ha_param_info params[] = {
    HA__P_CENTER(S_CENTER, "centre of the circle"),
    HA__P_LEN(S_RADIUS, "radius", NULL, 5, "radius of the circle"),
    HA__P_TURNS(S_SPEED, "speed", "turns", 1, "turns per duration"),
    HA__P_DEG(S_START, "startAngle", NULL, 0,
              "angle at the start (0 along u, counter-clockwise toward v)"),
    HA__P_CHOICE(S_DIR, "direction", NULL, "clockwise|counterclockwise", 0, "turning direction"),
    HA__P_PLANE(S_PLANE, 0, "plane of the circle"),
};

/* Radians per duration, negative clockwise. */
static double omega(const ha__motion_data *d) {
  double dir = (int)d->s[S_DIR] == 0 ? -1.0 : 1.0;
  return dir * HA_TAU * d->s[S_SPEED];
}

static double theta(const ha__motion_data *d, double p) {
  return ha_deg2rad(d->s[S_START]) + omega(d) * p;
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

/* Batch kernel: the plane's u and v axes scaled by r; θ0 and ω as theta(). */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  double r = d->s[S_RADIUS];
  int plane = (int)d->s[S_PLANE];
  return ha__kernel_circle(kp, ha__slot_vec3(d, S_CENTER), ha__plane_map(plane, r, 0.0),
                           ha__plane_map(plane, 0.0, r), ha_deg2rad(d->s[S_START]), omega(d));
}

const ha__model ha__model_circular = {
    .info = HA__MODEL_INFO("circular", "circle", HA_MODEL_ROTATING, params,
                           "circle around a centre in a plane"),
    .local = local,
    .heading = heading,
    .pack = pack,
};
