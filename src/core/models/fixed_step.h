/* Shared by the integrated models (pendulum, attract-repel): a fixed 1 ms
 * step grid from τ = 0, and a table of grid states (checkpoints) kept in
 * d->aux so that ANY τ the motion can be asked for is at most one checkpoint
 * interval of steps away, while staying bit-identical to integrating from 0.
 *
 * Bounded evaluation. τ is always in [0, T] (the loop mode maps the
 * animation time into it before a model sees it), so prepare() integrates
 * the grid over [0, T] once (or over a shorter span when the model folds
 * later times itself, as the pendulum does) and keeps every stride-th state:
 *   stride = max(CK_MIN_STRIDE, ⌈k_T / 65535⌉), k_T = ⌊T/dt⌋ (or the
 *            span's last step), then at most CK_MAX_STRIDE,
 *   count  = ⌊k_T / stride⌋ + 1 checkpoints (7,812,501 at 10⁶ s).
 * An evaluation then takes at most `stride` grid steps (plus the partial step
 * to τ), whatever τ and whatever was asked before: a seek, a backward step or
 * a pingpong turn cost the same as forward play's worst case. With dt = 1 ms
 * the bound is 64 steps for T ≤ 4194 s, grows with T up to 128 at 8,389 s and
 * stays 128 up to the longest duration (10⁶ s): the table then grows instead.
 * 128 keeps a seek of 128 tracks of the slowest integrated model within
 * 10% of a 100 Hz tick; 256 did not (bench_worst).
 * Memory: count·ny doubles (+ a header): 65536·ny·8 bytes (1 MiB for the
 * pendulum, 3 MiB for attract-repel) up to 4194 s, then ny·62.5 bytes per
 * second of span beyond 8,389 s (at 10⁶ s: 125 MB for the pendulum when it
 * does not fold, 375 MB for attract-repel). prepare() costs k_T steps once,
 * off the tick (about 80 s for 10⁹ steps: see docs/models.md).
 *
 * A model keeps its state as ny doubles (ny < 13) and evaluates τ as
 *   k = grid_index(τ); y = initial state;
 *   for (at = fixed_step_resume(d, st, ny, k, y); at < k; at++) step(y);
 *   fixed_step_remember(st, ny, k, from, y);   then the part of a step to τ
 * (from: what fixed_step_resume returned).
 * The per-track cache (ha_motion_state) holds y[0..ny) and y[ny] = k, with
 * tau = t_k; it only ever shortens the walk (forward play costs the new
 * steps). y[FIXED_STEP_COUNTER] records how many grid steps the last
 * evaluation took: a diagnostic the tests read to check the bound. The step
 * loop stays in the model, calling its step directly: no indirect call on
 * the tick path. */
#ifndef HOLOANIM_FIXED_STEP_H
#define HOLOANIM_FIXED_STEP_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model_impl.h"

#define DT 1e-3           /* s, the integration step */
#define CK_MIN_STRIDE 64  /* steps between checkpoints, at least */
#define CK_MAX_STRIDE 128 /* steps between checkpoints, at most: the evaluation bound */
#define CK_HEADER 3       /* d->aux[0] = stride, [1] = count, [2] = the table's offset in d->aux */
#define FIXED_STEP_MAX_NY 12  /* state doubles, at most; each model asserts its NY */
#define FIXED_STEP_COUNTER 13 /* ha_motion_state.y index: steps of the last evaluation */

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

/* Checkpoint spacing (steps) and count covering grid steps [0, covered]. */
static inline void ck_layout(int64_t covered, int64_t *stride, size_t *count) {
  int64_t s = (covered + 65534) / 65535;
  s = s > CK_MAX_STRIDE ? CK_MAX_STRIDE : s;
  *stride = s < CK_MIN_STRIDE ? CK_MIN_STRIDE : s;
  *count = (size_t)(covered / *stride) + 1;
}

/* prepare(): integrate from the initial state y0 (ny doubles) with `step`
 * (one grid step in place) over grid steps [0, covered] (grid_index(T) for
 * the whole motion; less when the model folds later times elsewhere) and keep
 * the state at every stride-th step in d->aux, after the layout header and
 * `extra` doubles the model may keep at d->aux[CK_HEADER]. Only prepare calls
 * this, so the indirect step costs nothing on the tick path. HA_ENOMEM when
 * the table cannot be allocated. */
/* Allocate the table for grid steps [0, covered] with `extra` doubles after
 * the header and fill the header; returns the table (count·ny doubles, not
 * filled), NULL when it cannot be allocated. */
static inline double *fixed_step_alloc(ha__motion_data *d, size_t ny, int64_t covered,
                                       size_t extra) {
  int64_t stride;
  size_t count;
  ck_layout(covered, &stride, &count);
  if (ha__aux_alloc(d, CK_HEADER + extra + count * ny) != HA_OK) {
    return NULL;
  }
  d->aux[0] = (double)stride;
  d->aux[1] = (double)count;
  d->aux[2] = (double)(CK_HEADER + extra);
  return d->aux + CK_HEADER + extra;
}

static inline ha_status fixed_step_checkpoints(ha__motion_data *d, size_t ny, const double *y0,
                                               void (*step)(const ha__motion_data *, double *),
                                               int64_t covered, size_t extra) {
  double *tab = fixed_step_alloc(d, ny, covered, extra);
  if (tab == NULL) {
    return HA_ENOMEM;
  }
  int64_t stride = (int64_t)d->aux[0];
  size_t count = (size_t)d->aux[1];
  double y[FIXED_STEP_MAX_NY];
  memcpy(y, y0, ny * sizeof(double));
  for (size_t j = 0; j < count; j++) {
    if (j > 0) {
      for (int64_t i = 0; i < stride; i++) {
        step(d, y);
      }
    }
    memcpy(&tab[ny * j], y, ny * sizeof(double));
  }
  return HA_OK;
}

/* The latest grid state known at or before step k: the checkpoint at or
 * before k, or the per-track cache when it is later. Copies it into y (left
 * as the caller's initial state when there is no table) and returns its
 * step. */
static inline int64_t fixed_step_resume(const ha__motion_data *d, const ha_motion_state *st,
                                        size_t ny, int64_t k, double *y) {
  int64_t at = 0;
  if (d->aux != NULL && d->naux >= CK_HEADER) {
    int64_t stride = (int64_t)d->aux[0];
    size_t count = (size_t)d->aux[1];
    int64_t j = k / stride;
    if (j > (int64_t)count - 1) {
      j = (int64_t)count - 1;
    }
    at = j * stride;
    memcpy(y, &d->aux[(size_t)d->aux[2] + ny * (size_t)j], ny * sizeof(double));
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

/* Keep grid state k (y, ny doubles) in the per-track cache, if any, with the
 * number of grid steps this evaluation took (k − from). */
static inline void fixed_step_remember(ha_motion_state *st, size_t ny, int64_t k, int64_t from,
                                       const double *y) {
  if (st != NULL) {
    st->tau = (double)k * DT;
    memcpy(st->y, y, ny * sizeof(double));
    st->y[ny] = (double)k;
    st->y[FIXED_STEP_COUNTER] = (double)(k - from);
  }
}

#endif
