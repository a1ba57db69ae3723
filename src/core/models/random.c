/* random: seeded waypoints inside a box, smoothly joined.
 *
 * Waypoint k sits at τ = k/f at center + bounds∘u_k, u_k uniform in [−1, 1)³
 * from a hash of (seed, track id, axis, k) (noise.h). Between waypoints the
 * position is lerp(P_k, P_k+1, h(w)), w the fraction of the interval and
 * h(w) = (1−s)·w + s·(3w² − 2w³): s = 0 moves at constant speed, s = 1 eases
 * in and out of every waypoint (velocity 0 there).
 *
 * Because u_k is a function of its key, the position is a pure function of τ:
 * the same in every loop, after any seek, and with or without caches (the
 * original animator drew from Math.random() per tick, so every loop took a
 * different path). Different track ids take independent paths.
 *
 * In the loop mode the waypoints are periodic over the duration, so the wrap
 * is seamless (docs/models.md "Loops and seams"): prepare() sets the number
 * of intervals per cycle n = max(1, round(T·f)) and the rate to n/T (f
 * itself when T·f is a whole number, the path then unchanged but for its
 * last interval), and waypoint n is waypoint 0: the last interval leads back
 * into the first waypoint, with the velocity any waypoint has (0 for
 * smoothness 1). Once, pingpong and seam "cut" keep the free sequence. */
#include <math.h>

#include "model_impl.h"
#include "noise.h"

enum {
  S_CENTER = 0,
  S_BX = 3,
  S_BY = 4,
  S_BZ = 5,
  S_FREQ = 6,
  S_SMOOTH = 7,
  S_SEED = 8,
  S_RATE = 9,   /* derived: waypoints per second actually used */
  S_PERIOD = 10 /* derived: waypoints per cycle in loop mode, 0 = no period */
};

static const ha_param_info params[] = {
    HA__P_CENTER(S_CENTER, "centre of the box the waypoints are drawn in (m)"),
    HA__P_LEN(S_BX, "boundsX", NULL, 5,
              "half-width of the box along X (m): waypoints within center.x ± boundsX"),
    HA__P_LEN(S_BY, "boundsY", NULL, 5,
              "half-width of the box along Y (m): waypoints within center.y ± boundsY"),
    HA__P_LEN(S_BZ, "boundsZ", NULL, 2,
              "half-height of the box along Z (m): waypoints within center.z ± boundsZ"),
    HA__P_NUM(S_FREQ, "updateFrequency", NULL, "Hz", 10, 0.001, 1000,
              "new waypoints per second (Hz)"),
    HA__P_NUM(S_SMOOTH, "smoothness", NULL, "", 0.5, 0, 1,
              "0 constant speed between waypoints, 1 ease in and out of each one"),
    HA__P_SEED(S_SEED),
};

/* Axis `axis` of waypoint k for `track`. */
static double waypoint(const ha__motion_data *d, uint32_t track, int axis, int64_t k) {
  uint64_t h =
      ha__noise_hash4((uint64_t)d->s[S_SEED], (uint64_t)track, (uint64_t)axis, ha__noise_key(k));
  return d->s[S_CENTER + axis] + d->s[S_BX + axis] * ha__noise_signed(h);
}

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  (void)raw;
  (void)err;
  d->s[S_RATE] = ha__noise_cycle_rate(d, d->s[S_FREQ], &d->s[S_PERIOD]);
  return HA_OK;
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double x = ev->tau * d->s[S_RATE];
  double kd = floor(x);
  double w = x - kd;
  double s = d->s[S_SMOOTH];
  double h = w + s * (w * w * (3.0 - 2.0 * w) - w);
  int64_t k = (int64_t)kd, k1 = k + 1;
  if (d->s[S_PERIOD] > 0.0) {
    int64_t n = (int64_t)d->s[S_PERIOD];
    k = ((k % n) + n) % n;
    k1 = (k + 1) % n;
  }
  double out[3];
  for (int a = 0; a < 3; a++) {
    double p0 = waypoint(d, ev->track, a, k), p1 = waypoint(d, ev->track, a, k1);
    out[a] = p0 + (p1 - p0) * h;
  }
  return ha_vec3_make(out[0], out[1], out[2]);
}

/* Batch kernel: the waypoints' parameters; the per-track hash prefix is the
 * batch's (it knows the track). */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  ha__kernel_shape(kp, ha_vec3_zero(), 0.0, 0.0, HA_EASE_LINEAR);
  for (int a = 0; a < 3; a++) {
    kp->m[a][a] = 1.0;
    kp->phase[a] = d->s[S_CENTER + a];
    kp->rho[a] = d->s[S_BX + a];
  }
  kp->omega[0] = d->s[S_RATE];
  kp->omega[1] = d->s[S_PERIOD];
  kp->omega[2] = d->s[S_SMOOTH];
  kp->u_scale = d->s[S_SEED];
  return HA__KERNEL_RANDOM;
}

const ha__model ha__model_random = {
    .info = HA__MODEL_INFO("random", NULL, HA_MODEL_ABS_TIME | HA_MODEL_PER_TRACK, params,
                           "seeded random waypoints in a box around a centre, smoothly joined; "
                           "the same path every loop and seek, one per track"),
    .prepare = prepare,
    .local = local,
    .seam = HA__SEAM_PERIODIC,
    .pack = pack,
};
