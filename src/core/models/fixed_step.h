/* Shared by the integrated models (pendulum, attract-repel): a fixed 1 ms
 * step grid from τ = 0 and the layout of the checkpoints kept in d->aux, so
 * a seek backwards restarts from the nearest checkpoint instead of from 0
 * while staying bit-identical to integrating from 0. */
#ifndef HOLOANIM_FIXED_STEP_H
#define HOLOANIM_FIXED_STEP_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#define DT 1e-3                 /* s, the integration step */
#define CK_MIN_STRIDE 64        /* steps between checkpoints, at least */
#define CK_MAX_COUNT 4096       /* checkpoints, at most */
#define CK_HORIZON_STEPS 600000 /* grid steps covered by checkpoints (600 s) */

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

#endif
