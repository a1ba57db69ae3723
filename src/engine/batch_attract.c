/* The ATTRACT kernel's scalar reference (batch_impl.h, model_impl.h):
 * attract_repel.c's fixed step, operation for operation (no fused
 * operations: the build is ISO C), from its checkpoint table or the
 * track's cache (ha__grid_resume), so the grid states are the model's
 * bits and the cache it leaves is the one the model would leave. Then the
 * interpolation to τ, the blended wrap (as bounce and spring) and the
 * folded frame. */
#include "batch_impl.h"

/* attract_step: y[0..2] = x, y[3..5] = v; the slot's parameters. */
static void step(const ha__batch_soa *s, size_t i, double *y) {
  double dv[3] = {s->ph[0][i] - y[0], s->ph[1][i] - y[1], s->ph[2][i] - y[2]};
  double dist = sqrt(dv[0] * dv[0] + dv[1] * dv[1] + dv[2] * dv[2]);
  double f = dist < s->w[1][i] ? -2.0 * s->w[0][i] : s->w[0][i];
  double keep = 1.0 - s->um[0][i] * HA__GRID_DT;
  for (int a = 0; a < 3; a++) {
    double u = dist > 0.0 ? dv[a] / dist : 0.0;
    y[3 + a] = (y[3 + a] + f * u * HA__GRID_DT) * keep;
  }
  double sp = sqrt(y[3] * y[3] + y[4] * y[4] + y[5] * y[5]);
  if (sp > s->w[2][i]) {
    double r = s->w[2][i] / sp;
    for (int a = 3; a < 6; a++) {
      y[a] *= r;
    }
  }
  for (int a = 0; a < 3; a++) {
    y[a] += y[3 + a] * HA__GRID_DT;
  }
}

void ha__batch_attract_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                              double *y, double *z) {
  for (size_t i = i0; i < i0 + n; i++) {
    double tau = ha__batch_tau_at(s, i, t);
    int64_t k = ha__grid_index(tau);
    double st[HA__ATTRACT_NY];
    int64_t from = ha__grid_resume(&s->ref[i], HA__ATTRACT_NY, k, st);
    for (int64_t at = from; at < k; at++) {
      step(s, i, st);
    }
    ha__grid_remember(&s->ref[i], HA__ATTRACT_NY, k, from, st);
    double l[3] = {st[0], st[1], st[2]};
    double w = (tau - (double)k * HA__GRID_DT) / HA__GRID_DT;
    if (w > 0.0) {
      double next[HA__ATTRACT_NY];
      memcpy(next, st, sizeof(st));
      step(s, i, next);
      for (int a = 0; a < 3; a++) {
        l[a] = st[a] + (next[a] - st[a]) * w;
      }
    }
    double v[3];
    for (int r = 0; r < 3; r++) {
      v[r] = s->c[r][i] + s->m[r][0][i] * l[0] + s->m[r][1][i] * l[1] + s->m[r][2][i] * l[2];
    }
    ha__batch_seam(s, i, tau, v);
    x[i - i0] = v[0];
    y[i - i0] = v[1];
    z[i - i0] = v[2];
  }
}

/* PENDULUM's scalar reference: the model itself on the slot's data (its
 * grid, folds, cache rule, wrap and frame), without ha_motion_eval's
 * dispatch; the vector kernel steps the grid in lanes (simd/batch_pendulum_vec.c). */
void ha__batch_pendulum_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                               double *y, double *z) {
  for (size_t i = i0; i < i0 + n; i++) {
    const ha__batch_ref *r = &s->ref[i];
    ha_vec3 v = ha__motion_data_eval(r->data, ha__batch_tau_at(s, i, t), 0.0, 0, r->state);
    x[i - i0] = v.x;
    y[i - i0] = v.y;
    z[i - i0] = v.z;
  }
}
