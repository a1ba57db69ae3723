/* orbit: a circle of radius R tilted about X by the inclination:
 * θ = 2π·speed·p + rad(phase); P = c + (R cos θ, R sin θ cos i, R sin θ sin i).
 * Rotating: the heading is θ − rad(phase) about the orbital plane normal
 * X × (0, cos i, sin i) = (0, −sin i, cos i), which is +Z at i = 0. */
#include "model_impl.h"

enum { S_CENTER = 0, S_RADIUS = 3, S_SPEED = 4, S_PHASE = 5, S_INCL = 6 };

static const ha_param_info params[] = {
    HA__P_CENTER(S_CENTER, "centre of the orbit (m)"),
    HA__P_LEN(S_RADIUS, "radius", NULL, 4, "radius of the orbit (m)"),
    HA__P_TURNS(S_SPEED, "speed", NULL, 1, "orbits per duration (negative turns the other way)"),
    HA__P_DEG(S_PHASE, "phase", NULL, 0, "angle along the orbit at the start (deg, 0 along +X)"),
    HA__P_NUM(S_INCL, "inclination", NULL, "deg", 0, -360, 360,
              "tilt of the orbital plane about X (deg, 0 = horizontal)"),
};

static double theta(const ha__motion_data *d, double p) {
  return HA_TAU * d->s[S_SPEED] * p + ha_deg2rad(d->s[S_PHASE]);
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double th = theta(d, ev->p), r = d->s[S_RADIUS], inc = ha_deg2rad(d->s[S_INCL]);
  ha_vec3 o = ha_vec3_make(r * cos(th), r * sin(th) * cos(inc), r * sin(th) * sin(inc));
  return ha_vec3_add(ha__slot_vec3(d, S_CENTER), o);
}

static double heading(const ha__motion_data *d, const ha__eval *ev, ha_vec3 *axis) {
  double inc = ha_deg2rad(d->s[S_INCL]);
  *axis = ha_vec3_make(0.0, -sin(inc), cos(inc));
  return theta(d, ev->p) - ha_deg2rad(d->s[S_PHASE]);
}

/* Batch kernel: a rotating vector with columns (R, 0, 0) and
 * (0, R cos i, R sin i); θ0 and ω give local()'s angle bit for bit. */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  double r = d->s[S_RADIUS], inc = ha_deg2rad(d->s[S_INCL]);
  return ha__kernel_circle(kp, ha__slot_vec3(d, S_CENTER), ha_vec3_make(r, 0.0, 0.0),
                           ha_vec3_make(0.0, r * cos(inc), r * sin(inc)), ha_deg2rad(d->s[S_PHASE]),
                           HA_TAU * d->s[S_SPEED]);
}

const ha__model ha__model_orbit = {
    .info = HA__MODEL_INFO("orbit", NULL, HA_MODEL_ROTATING, params,
                           "circular orbit around a centre with an inclined orbital plane"),
    .local = local,
    .heading = heading,
    .pack = pack,
};
