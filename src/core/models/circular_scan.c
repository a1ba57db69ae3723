/* circular-scan: a horizontal circle at `height` above the centre, always in
 * the XY plane: θ = rad(startAngle) + 2π·sweepCount·p;
 * P = (cx + r cos θ, cy + r sin θ, cz + height). Rotating about +Z.
 * heightAxis y (the original v2.0's y-up convention): the circle in x-z,
 * P = (cx + r cos θ, cy + height, cz + r sin θ), rotating about −Y. */
#include "model_impl.h"

enum { S_CENTER = 0, S_RADIUS = 3, S_HEIGHT = 4, S_SWEEPS = 5, S_START = 6, S_HAXIS = 7 };

static const ha_param_info params[] = {
    HA__P_CENTER(S_CENTER, "centre of the scan (m)"),
    HA__P_LEN(S_RADIUS, "radius", NULL, 5, "radius of the scan (m)"),
    HA__P_NUM(S_HEIGHT, "height", NULL, "m", 0, -HA__POS_MAX, HA__POS_MAX,
              "height of the scan circle above the centre (m)"),
    HA__P_TURNS(S_SWEEPS, "sweepCount", NULL, 2,
                "sweeps (turns) per duration, counter-clockwise seen from above"),
    HA__P_DEG(S_START, "startAngle", NULL, 0,
              "angle at the start (deg, 0 along +X, counter-clockwise toward +Y)"),
    HA__P_CHOICE(S_HAXIS, "heightAxis", NULL, "z|y", 0,
                 "the axis of the height: z (the circle in x-y), or y (the original v2.0's "
                 "y-up convention: the circle in x-z, x = r cos θ, z = r sin θ)"),
};

static double theta(const ha__motion_data *d, double p) {
  return ha_deg2rad(d->s[S_START]) + HA_TAU * d->s[S_SWEEPS] * p;
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double th = theta(d, ev->p), r = d->s[S_RADIUS];
  ha_vec3 c = ha__slot_vec3(d, S_CENTER);
  if ((int)d->s[S_HAXIS] == 1) {
    return ha_vec3_make(c.x + r * cos(th), c.y + d->s[S_HEIGHT], c.z + r * sin(th));
  }
  return ha_vec3_make(c.x + r * cos(th), c.y + r * sin(th), c.z + d->s[S_HEIGHT]);
}

static double heading(const ha__motion_data *d, const ha__eval *ev, ha_vec3 *axis) {
  /* heightAxis y: x toward z, counter-clockwise about −Y */
  *axis = (int)d->s[S_HAXIS] == 1 ? ha_vec3_make(0.0, -1.0, 0.0) : ha_vec3_make(0.0, 0.0, 1.0);
  return theta(d, ev->p) - ha_deg2rad(d->s[S_START]);
}

/* Batch kernel: a rotating vector in XY around (cx, cy, cz + height). */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  double r = d->s[S_RADIUS];
  ha_vec3 c = ha__slot_vec3(d, S_CENTER);
  if ((int)d->s[S_HAXIS] == 1) {
    return ha__kernel_circle(kp, ha_vec3_make(c.x, c.y + d->s[S_HEIGHT], c.z),
                             ha_vec3_make(r, 0.0, 0.0), ha_vec3_make(0.0, 0.0, r),
                             ha_deg2rad(d->s[S_START]), HA_TAU * d->s[S_SWEEPS]);
  }
  return ha__kernel_circle(kp, ha_vec3_make(c.x, c.y, c.z + d->s[S_HEIGHT]),
                           ha_vec3_make(r, 0.0, 0.0), ha_vec3_make(0.0, r, 0.0),
                           ha_deg2rad(d->s[S_START]), HA_TAU * d->s[S_SWEEPS]);
}

const ha__model ha__model_circular_scan = {
    .info = HA__MODEL_INFO("circular-scan", NULL, HA_MODEL_ROTATING, params,
                           "horizontal sweeping circle at a height above a centre"),
    .local = local,
    .heading = heading,
    .pack = pack,
};
