/* bounce: a ball dropped from startHeight bouncing on a floor at groundLevel.
 *
 * Closed form per flight, no integration: the drop from h0 = startHeight −
 * groundLevel lasts √(2h0/g) and hits at v0 = √(2g·h0); bounce i ≥ 1 leaves
 * at v_i = v_{i−1}·bounciness·(1 − dampingPerBounce)^(i−1), flies 2v_i/g with
 * z = ground + v_i·s − g·s²/2 (s since its impact). Once v_i < 0.01 m/s, or
 * after maxBounces (100) bounces, the ball rests on the ground. With
 * restApex > 0 (the original v2.3's rule) bounce i rises to its apex and
 * the ball rests there on the floor when that apex is below restApex or i
 * is maxBounces. upAxis y puts the height on y (the original was y-up). The height is on Z; x and
 * y stay at the centre. Evaluating τ walks at most 100 flights, so the model
 * needs no state and is a pure function of τ. */
#include <math.h>

#include "model_impl.h"

enum {
  S_CENTER = 0,
  S_START = 3,
  S_GROUND = 4,
  S_BOUNCY = 5,
  S_GRAVITY = 6,
  S_DAMP = 7,
  S_UP = 8,
  S_REST = 9,
  S_MAXB = 10
};

#define REST_SPEED 0.01 /* m/s */

static const ha_param_info params[] = {
    HA__P_CENTER(S_CENTER, "where the ball bounces: x and y of the path (m); z is not used"),
    HA__P_NUM(S_START, "startHeight", NULL, "m", 5, -HA__POS_MAX, HA__POS_MAX,
              "height (Z) the ball is dropped from (m)"),
    HA__P_NUM(S_GROUND, "groundLevel", NULL, "m", 0, -HA__POS_MAX, HA__POS_MAX,
              "height (Z) of the floor (m), at most startHeight"),
    HA__P_NUM(S_BOUNCY, "bounciness", NULL, "", 0.7, 0, 1,
              "restitution: launch speed over impact speed at each bounce"),
    HA__P_NUM(S_GRAVITY, "gravity", NULL, "m/s²", 9.81, 0.01, 100,
              "gravitational acceleration (m/s²)"),
    HA__P_NUM(S_DAMP, "dampingPerBounce", NULL, "", 0.1, 0, 1,
              "extra speed loss compounding with each bounce (0 none, 1 stops after the first)"),
    HA__P_CHOICE(S_UP, "upAxis", NULL, "z|y", 0,
                 "axis of the height: z, or y (the original v2.3, written y-up: x and z then "
                 "stay at the centre)"),
    HA__P_NUM(S_REST, "restApex", NULL, "m", 0, 0, HA__POS_MAX,
              "0: rest once a bounce leaves slower than 0.01 m/s; > 0 (the original: 0.01): "
              "rest on the floor at the apex of the first bounce lower than this, and at the "
              "apex of bounce maxBounces"),
    HA__P_INT(S_MAXB, "maxBounces", NULL, "", 100, 1, 1000, "bounces before resting"),
};

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  (void)raw;
  if (d->s[S_GROUND] > d->s[S_START]) {
    return ha__error_bounds(err, HA_CATEGORY_MODEL, "groundLevel", d->s[S_GROUND], -HA__POS_MAX,
                            d->s[S_START]);
  }
  return HA_OK;
}

static double height(const ha__motion_data *d, double tau) {
  double g = d->s[S_GRAVITY], ground = d->s[S_GROUND], start = d->s[S_START];
  double h0 = start - ground;
  double t_drop = sqrt(2.0 * h0 / g);
  if (tau < t_drop) {
    return start - 0.5 * g * tau * tau;
  }
  double s = tau - t_drop;
  double v = sqrt(2.0 * g * h0);
  double keep = 1.0; /* (1 − dampingPerBounce)^(i−1) */
  double rest = d->s[S_REST];
  int nmax = (int)d->s[S_MAXB];
  for (int i = 1; i <= nmax; i++) {
    v *= d->s[S_BOUNCY] * keep;
    keep *= 1.0 - d->s[S_DAMP];
    if (rest > 0.0 && (v * v / (2.0 * g) < rest || i == nmax)) {
      /* The original's end: this bounce rises to its apex, then rests. */
      return s < v / g ? ground + s * (v - 0.5 * g * s) : ground;
    }
    if (rest <= 0.0 && v < REST_SPEED) {
      break;
    }
    double flight = 2.0 * v / g;
    if (s < flight) {
      /* s·(v − g·s/2) ≥ 0 for s < 2v/g: never below the floor. */
      return ground + s * (v - 0.5 * g * s);
    }
    s -= flight;
  }
  return ground;
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double h = height(d, ev->tau);
  if ((int)d->s[S_UP] == 1) {
    return ha_vec3_make(d->s[S_CENTER], h, d->s[S_CENTER + 2]);
  }
  return ha_vec3_make(d->s[S_CENTER], d->s[S_CENTER + 1], h);
}

/* Batch kernel: P = base + up·h(τ), base the centre with its height
 * component 0 (so base + up·h is exactly local()'s position). */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  int y_up = (int)d->s[S_UP] == 1;
  ha_vec3 c = ha__slot_vec3(d, S_CENTER);
  ha_vec3 base = y_up ? ha_vec3_make(c.x, 0.0, c.z) : ha_vec3_make(c.x, c.y, 0.0);
  ha__kernel_shape(kp, base, 0.0, 0.0, HA_EASE_LINEAR);
  ha__kernel_col(kp, 2, y_up ? ha_vec3_make(0.0, 1.0, 0.0) : ha_vec3_make(0.0, 0.0, 1.0));
  kp->omega[0] = d->s[S_GRAVITY];
  kp->omega[1] = d->s[S_GROUND];
  kp->omega[2] = d->s[S_START];
  kp->phase[0] = d->s[S_BOUNCY];
  kp->phase[1] = 1.0 - d->s[S_DAMP];
  kp->phase[2] = d->s[S_REST];
  kp->rho[0] = d->s[S_MAXB];
  return HA__KERNEL_BOUNCE;
}

const ha__model ha__model_bounce = {
    .info = HA__MODEL_INFO("bounce", NULL, HA_MODEL_ABS_TIME, params,
                           "ball dropped onto a floor, bouncing lower each time until it rests"),
    .prepare = prepare,
    .local = local,
    .seam = HA__SEAM_BLEND,
    .pack = pack,
};
