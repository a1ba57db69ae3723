/* Shared by the integrated models (pendulum, attract-repel): a fixed 1 ms
 * step grid from τ = 0, and checkpoints of the grid state kept in d->aux so
 * a seek backwards restarts from the nearest checkpoint instead of from 0
 * while staying bit-identical to integrating from 0.
 *
 * A model keeps its state as ny doubles (ny < 14) and evaluates τ as
 *   k = grid_index(τ); y = initial state;
 *   for (at = fixed_step_resume(d, st, ny, k, y); at < k; at++) step(y);
 *   fixed_step_remember(st, ny, k, y);   then the part of a step to τ.
 * The per-track cache (ha_motion_state) holds y[0..ny) and y[ny] = k, with
 * tau = t_k. The step loop stays in the model, calling its step directly: no
 * indirect call on the tick path. */
#ifndef HOLOANIM_FIXED_STEP_H
#define HOLOANIM_FIXED_STEP_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model_impl.h"

#define DT 1e-3                 /* s, the integration step */
#define CK_MIN_STRIDE 64        /* steps between checkpoints, at least */
#define CK_MAX_COUNT 4096       /* checkpoints, at most */
#define CK_HORIZON_STEPS 600000 /* grid steps covered by checkpoints (600 s) */
#define FIXED_STEP_MAX_NY \
  13 /* state doubles, at most (the cache adds k); each model asserts its NY */

/* Largest k with k·dt ≤ τ (τ ≥ 0); exact despite dt not being binary. */
static inline int64_t grid_index(double tau) {
  if (!(tau > 0.0)) {
    return 0;
  }
  int64_t k = (int64_t)floor(tau / DT);
  if ((double)(k + 1) * DT <= tau) {
    k++;
  } else if (k > 0 && (double)k * DT > tau) {
    k--;
  }
  return k;
}

/* Checkpoint spacing (steps) and count for a duration: a pure function of T
 * so prepare() and local() agree without storing it. */
static inline void ck_layout(double T, int64_t *stride, size_t *count) {
  int64_t covered = grid_index(T);
  if (covered > CK_HORIZON_STEPS) {
    covered = CK_HORIZON_STEPS;
  }
  int64_t s = (covered + CK_MAX_COUNT - 2) / (CK_MAX_COUNT - 1);
  *stride = s < CK_MIN_STRIDE ? CK_MIN_STRIDE : s;
  *count = (size_t)(covered / *stride) + 1;
}

/* prepare(): integrate from the initial state y0 (ny doubles) with `step`
 * (one grid step in place) and keep the state at every stride-th step in
 * d->aux. Only prepare calls this, so the indirect step costs nothing on the
 * tick path. HA_ENOMEM when the table cannot be allocated. */
static inline ha_status fixed_step_checkpoints(ha__motion_data *d, size_t ny, const double *y0,
                                               void (*step)(const ha__motion_data *, double *)) {
  int64_t stride;
  size_t count;
  ck_layout(d->timing.duration, &stride, &count);
  if (ha__aux_alloc(d, count * ny) != HA_OK) {
    return HA_ENOMEM;
  }
  double y[FIXED_STEP_MAX_NY];
  memcpy(y, y0, ny * sizeof(double));
  for (size_t j = 0; j < count; j++) {
    if (j > 0) {
      for (int64_t i = 0; i < stride; i++) {
        step(d, y);
      }
    }
    memcpy(&d->aux[ny * j], y, ny * sizeof(double));
  }
  return HA_OK;
}

/* The latest grid state known at or before step k: the checkpoint at or
 * before k, or the per-track cache when it is later. Copies it into y (left
 * as the caller's initial state when there is neither) and returns its step. */
static inline int64_t fixed_step_resume(const ha__motion_data *d, const ha_motion_state *st,
                                        size_t ny, int64_t k, double *y) {
  int64_t stride;
  size_t count;
  ck_layout(d->timing.duration, &stride, &count);
  int64_t at = 0;
  if (d->aux != NULL && d->naux >= ny * count) {
    int64_t j = k / stride;
    if (j > (int64_t)count - 1) {
      j = (int64_t)count - 1;
    }
    at = j * stride;
    memcpy(y, &d->aux[ny * (size_t)j], ny * sizeof(double));
  }
  if (st != NULL && st->tag != 0 && st->y[ny] >= 0.0 && st->y[ny] <= (double)k) {
    int64_t kc = (int64_t)st->y[ny];
    if (kc > at) {
      at = kc;
      memcpy(y, st->y, ny * sizeof(double));
    }
  }
  return at;
}

/* Keep grid state k (y, ny doubles) in the per-track cache, if any. */
static inline void fixed_step_remember(ha_motion_state *st, size_t ny, int64_t k, const double *y) {
  if (st != NULL) {
    st->tau = (double)k * DT;
    memcpy(st->y, y, ny * sizeof(double));
    st->y[ny] = (double)k;
  }
}

#endif
