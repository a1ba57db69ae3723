/* Batch internals shared by src/batch.c (dispatch + scalar reference) and the
 * per-ISA kernel files in src/simd/. Not installed.
 *
 * Kernel parameters are stored by blocks of 4 consecutive tracks (add
 * order): a block holds every field for its 4 tracks, each field as 4
 * doubles, one per lane ("array of structures of arrays"). A SIMD kernel
 * reads one field of 4 tracks with one aligned load, and a block is one
 * contiguous 704-byte stream, which the hardware prefetchers follow whether a
 * run of tracks is long (every block read in order) or a single track
 * between tracks of other models (its fields sit in 7 or 8 adjacent cache
 * lines). Rejected: one array per field (22 concurrent streams: fine for
 * long runs in cache, but a lone track misses on up to 22 cache lines), and
 * one structure per track (SIMD would need a transpose per field group).
 *
 * Both kernels share the fields:
 *   CIRCLE: P = c + m[:,0]·cos θ + m[:,1]·sin θ,  θ = ph0 + w0·τ
 *   SINES:  P = c + Σ_k m[:,k]·sin(w_k·τ + ph_k), k = 0..2
 * with the frame transform folded into c and m, and the model's angular rates
 * per unit of progress p divided by T at capture (w = ω/T), so ω·p = ω·τ/T
 * costs no division per track. τ comes from the time mapping fields (T,
 * speed, shift, mode = ha_loop_mode as a double). The CIRCLE fields come
 * first, so a CIRCLE block touches only its first 480 bytes. */
#ifndef HOLOANIM_BATCH_IMPL_H
#define HOLOANIM_BATCH_IMPL_H

#include "model_impl.h"

#include "holoanim/batch.h"

enum {
  HA__BF_T = 0, /* duration T (s), > 0 */
  HA__BF_SPEED, /* playback rate of the motion */
  HA__BF_SHIFT, /* the track's time shift (s) */
  HA__BF_MODE,  /* 0 once, 1 loop, 2 pingpong */
  HA__BF_C0,    /* c: x, y, z */
  HA__BF_C1,
  HA__BF_C2,
  HA__BF_W0,  /* rate of angle 0 (rad per second of τ) */
  HA__BF_PH0, /* phase of angle 0 (rad) */
  HA__BF_M00, /* m[row][col]: columns 0 and 1 */
  HA__BF_M01,
  HA__BF_M10,
  HA__BF_M11,
  HA__BF_M20,
  HA__BF_M21,
  HA__BF_CIRCLE_END, /* the fields above are all CIRCLE reads */
  HA__BF_M02 = HA__BF_CIRCLE_END,
  HA__BF_M12,
  HA__BF_M22,
  HA__BF_W1,
  HA__BF_W2,
  HA__BF_PH1,
  HA__BF_PH2,
  HA__BF_COUNT
};

#define HA__BATCH_LANES 4

/* 4 tracks' fields (22 × 32 bytes = 11 cache lines; 64-byte aligned). */
typedef struct ha__batch_block {
  double f[HA__BF_COUNT][HA__BATCH_LANES];
} ha__batch_block;

/* Field f of track i. */
static inline double ha__bf(const ha__batch_block *b, size_t i, int f) {
  return b[i / HA__BATCH_LANES].f[f][i % HA__BATCH_LANES];
}

/* The m[r][k] field index. */
static inline int ha__bf_m(int r, int k) {
  static const int idx[3][3] = {{HA__BF_M00, HA__BF_M01, HA__BF_M02},
                                {HA__BF_M10, HA__BF_M11, HA__BF_M12},
                                {HA__BF_M20, HA__BF_M21, HA__BF_M22}};
  return idx[r][k];
}

/* Time mapping of one track, the same arithmetic as ha_time_map (timing.c)
 * operation for operation, so that τ is bit-identical: a period decided
 * differently at a wrap would move a point by a whole turn. `a` must be
 * finite. The SIMD kernels repeat these operations lane-wise. */
static inline double ha__batch_tau(double a, double T, double mode) {
  if (mode < 0.5) {
    return a < 0.0 ? 0.0 : (a > T ? T : a);
  }
  double k = floor(a / T);
  double r = a - T * k;
  if (r >= T) {
    r -= T;
    k += 1.0;
  }
  if (r < 0.0) {
    r = 0.0;
  }
  if (mode < 1.5) {
    return r;
  }
  /* Parity as k − 2·floor(k/2): exact for integers, NaN (odd, as fmod
   * gives) for an infinite k. */
  double parity = k - 2.0 * floor(k * 0.5);
  return ha__feq(parity, 0.0) ? r : T - r;
}

/* τ of track i at transport time t (a non-finite a counts as 0). */
static inline double ha__batch_tau_at(const ha__batch_block *b, size_t i, double t) {
  double a = t * ha__bf(b, i, HA__BF_SPEED) - ha__bf(b, i, HA__BF_SHIFT);
  if (!isfinite(a)) {
    a = 0.0;
  }
  return ha__batch_tau(a, ha__bf(b, i, HA__BF_T), ha__bf(b, i, HA__BF_MODE));
}

/* Kernels: evaluate tracks [i0, i0 + n) into x/y/z at the same indices.
 * They may compute (never store) the other lanes of the first and last
 * blocks, so every block must hold finite or zero values (batch.c zeroes
 * them at create). */
void ha__batch_circle_scalar(const ha__batch_block *b, size_t i0, size_t n, double t, double *x,
                             double *y, double *z);
void ha__batch_sines_scalar(const ha__batch_block *b, size_t i0, size_t n, double t, double *x,
                            double *y, double *z);
#if defined(HA_HAVE_AVX2)
void ha__batch_circle_avx2(const ha__batch_block *b, size_t i0, size_t n, double t, double *x,
                           double *y, double *z);
void ha__batch_sines_avx2(const ha__batch_block *b, size_t i0, size_t n, double t, double *x,
                          double *y, double *z);
#endif

#endif
