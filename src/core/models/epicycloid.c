/* epicycloid: the path of a point on a circle of radius r rolling outside
 * (epicycloid) or inside (hypocycloid) a fixed circle of radius R, θ =
 * 2π·speed·p (MODELS.md formulas). rollingRadius has a positive minimum since
 * the formulas divide by it; a hypocycloid with R = r degenerates to a fixed
 * point (r, 0), which is finite and left alone. Rotating: heading θ. */
#include "model_impl.h"

enum { S_CENTER = 0, S_BIG = 3, S_SMALL = 4, S_SPEED = 5, S_TYPE = 6, S_PLANE = 7 };

static const ha_param_info params[] = {
    HA__P_CENTER(S_CENTER, "centre of the fixed circle (m)"),
    HA__P_LEN(S_BIG, "fixedRadius", NULL, 3, "radius R of the fixed circle (m)"),
    HA__P_NUM(S_SMALL, "rollingRadius", NULL, "m", 1, 0.001, HA__POS_MAX,
              "radius r of the rolling circle (m, > 0)"),
    HA__P_TURNS(S_SPEED, "speed", NULL, 1, "turns of the rolling circle's centre per duration"),
    HA__P_CHOICE(S_TYPE, "type", NULL, "epicycloid|hypocycloid", 0,
                 "roll outside (epicycloid) or inside (hypocycloid) the fixed circle"),
    HA__P_PLANE(S_PLANE, 0, "plane of the curve"),
};

static double theta(const ha__motion_data *d, double p) {
  return HA_TAU * d->s[S_SPEED] * p;
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double th = theta(d, ev->p), big = d->s[S_BIG], r = d->s[S_SMALL];
  double u, v;
  if ((int)d->s[S_TYPE] == 0) {
    double k = (big + r) / r;
    u = (big + r) * cos(th) - r * cos(k * th);
    v = (big + r) * sin(th) - r * sin(k * th);
  } else {
    double k = (big - r) / r;
    u = (big - r) * cos(th) + r * cos(k * th);
    v = (big - r) * sin(th) - r * sin(k * th);
  }
  return ha_vec3_add(ha__slot_vec3(d, S_CENTER), ha__plane_map((int)d->s[S_PLANE], u, v));
}

static double heading(const ha__motion_data *d, const ha__eval *ev, ha_vec3 *axis) {
  *axis = ha__plane_normal((int)d->s[S_PLANE]);
  return theta(d, ev->p);
}

/* Batch kernel: the centre's circle (R ± r)·(U cos θ + V sin θ) plus the
 * rolling point r·(∓U cos κ − V sin κ), κ = k·θ, U and V the plane's axes.
 * Left to the generic path when κ could pass the kernels' 2^30 rad. */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  double big = d->s[S_BIG], r = d->s[S_SMALL], w = HA_TAU * d->s[S_SPEED];
  int epi = (int)d->s[S_TYPE] == 0, plane = (int)d->s[S_PLANE];
  double k = epi ? (big + r) / r : (big - r) / r, a = epi ? big + r : big - r;
  if (!(fabs(k) * fabs(w) < 1073741824.0)) {
    return HA__KERNEL_NONE;
  }
  ha_vec3 u = ha__plane_map(plane, 1.0, 0.0), v = ha__plane_map(plane, 0.0, 1.0);
  ha__kernel_shape(kp, ha__slot_vec3(d, S_CENTER), 0.0, w, HA_EASE_LINEAR);
  kp->omega[1] = k;
  kp->rho[0] = 1.0;
  ha__kernel_col(kp, 0, ha_vec3_scale(u, a));
  ha__kernel_col(kp, 1, ha_vec3_scale(v, a));
  ha_vec3 n0 = ha_vec3_scale(u, epi ? -r : r), n1 = ha_vec3_scale(v, -r);
  kp->n[0][0] = n0.x;
  kp->n[1][0] = n0.y;
  kp->n[2][0] = n0.z;
  kp->n[0][1] = n1.x;
  kp->n[1][1] = n1.y;
  kp->n[2][1] = n1.z;
  return HA__KERNEL_ROT2;
}

const ha__model ha__model_epicycloid = {
    .info = HA__MODEL_INFO("epicycloid", NULL, HA_MODEL_ROTATING, params,
                           "epicycloid or hypocycloid: a point on a circle rolling on a circle"),
    .local = local,
    .heading = heading,
    .pack = pack,
};
