/* attract-repel: a source pulled toward a target and pushed back inside a
 * radius, so it ends up orbiting or oscillating about the shell.
 *
 * The fixed 1 ms semi-implicit Euler step of MODELS.md, from τ = 0 at
 * startPosition with zero velocity, on the grid t_k = k·dt:
 *   d = target − x, u = d/|d| (u = 0 when x = target),
 *   F = strength·u when |d| ≥ repulsionRadius, −2·strength·u when |d| < it,
 *   v ← (v + F·dt)·(1 − damping·dt), then v scaled to maxSpeed if faster,
 *   x ← x + v·dt.
 * The step size is part of the model's definition (a smaller step would be a
 * different path, not a more accurate one), so between grid points the
 * position is the linear interpolation of the grid positions k and k + 1
 * (k = ⌊τ/dt⌋), which is also exactly the motion the step itself describes
 * (constant velocity v_{k+1} over the interval). The grid state depends only
 * on k, so the result is bit-identical from τ = 0, from a checkpoint or from
 * the per-track cache (ev->state: y[0..2] = x, y[3..5] = v, y[6] = k,
 * tau = t_k). prepare() keeps checkpoints over [0, T] in d->aux
 * (fixed_step.h), so any τ costs at most one checkpoint interval of steps. */
#include <math.h>
#include <string.h>

#include "model_impl.h"
#include "fixed_step.h"

enum { S_START = 0, S_TARGET = 3, S_STRENGTH = 6, S_RADIUS = 7, S_VMAX = 8, S_DAMP = 9 };

#define NY 6 /* state size: x, v */
_Static_assert(NY <= FIXED_STEP_MAX_NY, "the attract-repel state must fit fixed_step's buffers");

static const ha_param_info params[] = {
    HA__P_POS(S_START, "startPosition", NULL, 5, 5, 5, "where the source starts, at rest (m)"),
    HA__P_POS(S_TARGET, "targetPosition", NULL, 0, 0, 0, "the attractor (m)"),
    HA__P_NUM(S_STRENGTH, "attractionStrength", NULL, "m/s²", 5, 0, 1000,
              "acceleration toward the target outside the radius (m/s²); twice it away "
              "from the target inside"),
    HA__P_LEN(S_RADIUS, "repulsionRadius", NULL, 1,
              "distance from the target inside which the source is pushed away (m)"),
    HA__P_NUM(S_VMAX, "maxSpeed", NULL, "m/s", 10, 0, 1000, "speed limit (m/s)"),
    HA__P_NUM(S_DAMP, "damping", NULL, "1/s", 0, 0, 100,
              "velocity damping rate (1/s): 0 keeps oscillating"),
};

/* One step in place: y[0..2] = x, y[3..5] = v. */
static void attract_step(const ha__motion_data *d, double *y) {
  const double *tg = &d->s[S_TARGET];
  double dv[3] = {tg[0] - y[0], tg[1] - y[1], tg[2] - y[2]};
  double dist = sqrt(dv[0] * dv[0] + dv[1] * dv[1] + dv[2] * dv[2]);
  double f = dist < d->s[S_RADIUS] ? -2.0 * d->s[S_STRENGTH] : d->s[S_STRENGTH];
  double keep = 1.0 - d->s[S_DAMP] * DT;
  for (int i = 0; i < 3; i++) {
    double u = dist > 0.0 ? dv[i] / dist : 0.0;
    y[3 + i] = (y[3 + i] + f * u * DT) * keep;
  }
  double sp = sqrt(y[3] * y[3] + y[4] * y[4] + y[5] * y[5]);
  if (sp > d->s[S_VMAX]) {
    double r = d->s[S_VMAX] / sp;
    for (int i = 3; i < 6; i++) {
      y[i] *= r;
    }
  }
  for (int i = 0; i < 3; i++) {
    y[i] += y[3 + i] * DT;
  }
}

static void attract_initial(const ha__motion_data *d, double *y) {
  memcpy(y, &d->s[S_START], 3 * sizeof(double));
  y[3] = y[4] = y[5] = 0.0;
}

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  (void)raw;
  (void)err;
  double y0[NY];
  attract_initial(d, y0);
  return fixed_step_checkpoints(d, NY, y0, attract_step, grid_index(d->timing.duration), 0);
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  int64_t k = grid_index(ev->tau);
  double y[NY];
  attract_initial(d, y);
  int64_t from = fixed_step_resume(d, ev->state, NY, k, y);
  for (int64_t at = from; at < k; at++) {
    attract_step(d, y);
  }
  fixed_step_remember(ev->state, NY, k, from, y);
  double w = (ev->tau - (double)k * DT) / DT;
  if (!(w > 0.0)) {
    return ha_vec3_make(y[0], y[1], y[2]);
  }
  double next[NY];
  memcpy(next, y, sizeof(y));
  attract_step(d, next); /* on a copy: the cache stays on the grid */
  return ha_vec3_make(y[0] + (next[0] - y[0]) * w, y[1] + (next[1] - y[1]) * w,
                      y[2] + (next[2] - y[2]) * w);
}

/* The ATTRACT kernel (model_impl.h): the step's parameters and the table. */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  ha__kernel_identity(kp);
  for (int a = 0; a < 3; a++) {
    kp->phase[a] = d->s[S_TARGET + a];
  }
  kp->omega[0] = d->s[S_STRENGTH];
  kp->omega[1] = d->s[S_RADIUS];
  kp->omega[2] = d->s[S_VMAX];
  kp->u_scale = d->s[S_DAMP];
  kp->table = d->aux;
  return d->aux != NULL && d->naux >= CK_HEADER ? HA__KERNEL_ATTRACT : HA__KERNEL_NONE;
}

const ha__model ha__model_attract_repel = {
    .info = HA__MODEL_INFO("attract-repel", NULL, HA_MODEL_ABS_TIME | HA_MODEL_STATEFUL, params,
                           "pulled toward a target, pushed back inside a radius: settles into "
                           "motion about the shell (integrated at 1 ms)"),
    .prepare = prepare,
    .local = local,
    .pack = pack,
    .seam = HA__SEAM_BLEND,
};
