/* zoom: P = zoomCenter + unit(direction)·lerp(startDistance, endDistance,
 * ease(p)). The direction is normalised once in prepare (stored back into its
 * slots, which only ever serve as the unit vector); ha_vec3_normalize keeps
 * tiny but non-zero vectors from underflowing to zero. */
#include "model_impl.h"

enum { S_CENTER = 0, S_D0 = 3, S_D1 = 4, S_DIR = 5, S_EASING = 8, S_SWEEP = 9 };

static const ha_param_info params[] = {
    HA__P_POS(S_CENTER, "zoomCenter", NULL, 0, 0, 0,
              "point the source zooms toward or away from (m)"),
    HA__P_LEN(S_D0, "startDistance", NULL, 10, "distance from zoomCenter at the start (m)"),
    HA__P_LEN(S_D1, "endDistance", NULL, 2, "distance from zoomCenter at the end (m)"),
    HA__P_DIR(S_DIR, "direction", NULL, 1, 0, 0,
              "direction from zoomCenter to the source (any non-zero length)"),
    HA__P_EASING(S_EASING, "easing", NULL, HA_EASE_QUAD_IN_OUT, "progress curve of the zoom"),
    HA__P_CHOICE(S_SWEEP, "sweepPlane", NULL, "none|xz", 0,
                 "none: along direction; xz (the original v2.0's zoom): the source also turns "
                 "once per duration around the centre in x-z, P = c + dist·(cos 2πp, 0, "
                 "sin 2πp), direction unused"),
};

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  (void)raw;
  ha_vec3 u;
  ha_status st =
      ha__unit_direction(ha__slot_vec3(d, S_DIR), "direction", "[0, 0, 0]",
                         "must not be the zero vector (it gives the zoom's direction)", &u, err);
  if (st == HA_OK) {
    ha__vec3_store(&d->s[S_DIR], u);
  }
  return st;
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double k = ha_ease((ha_easing)d->s[S_EASING], ev->p);
  double dist = d->s[S_D0] + (d->s[S_D1] - d->s[S_D0]) * k;
  if ((int)d->s[S_SWEEP] == 1) {
    double a = HA_TAU * ev->p;
    return ha_vec3_add(ha__slot_vec3(d, S_CENTER), ha_vec3_make(dist * cos(a), 0.0, dist * sin(a)));
  }
  return ha_vec3_add(ha__slot_vec3(d, S_CENTER), ha_vec3_scale(ha__slot_vec3(d, S_DIR), dist));
}

/* Batch kernel: along the direction, P = (c + d0·u) + ((d1 − d0)·u)·g;
 * the xz sweep, a circle of radius ρ = d0 + (d1 − d0)·g at θ = 2πp. */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  int ease = (int)d->s[S_EASING];
  if (!ha__kernel_ease_ok(ease)) {
    return HA__KERNEL_NONE;
  }
  ha_vec3 c = ha__slot_vec3(d, S_CENTER), u = ha__slot_vec3(d, S_DIR);
  double d0 = d->s[S_D0], d1 = d->s[S_D1];
  if ((int)d->s[S_SWEEP] == 1) {
    ha__kernel_shape(kp, c, 0.0, HA_TAU, ease);
    kp->rho[0] = d0;
    kp->rho[1] = d1 - d0;
    ha__kernel_col(kp, 0, ha_vec3_make(1.0, 0.0, 0.0));
    ha__kernel_col(kp, 1, ha_vec3_make(0.0, 0.0, 1.0));
    return HA__KERNEL_ROT1;
  }
  ha__kernel_shape(kp, ha_vec3_add(c, ha_vec3_scale(u, d0)), 0.0, 0.0, ease);
  ha__kernel_col(kp, 2, ha_vec3_scale(u, d1 - d0));
  return HA__KERNEL_LERP;
}

const ha__model ha__model_zoom = {
    .info = HA__MODEL_INFO("zoom", NULL, 0, params,
                           "move toward or away from a point along a fixed direction"),
    .prepare = prepare,
    .local = local,
    .pack = pack,
};
