/* Batch internals shared by src/batch.c (dispatch + scalar reference) and the
 * per-ISA kernel files in src/simd/. Not installed.
 *
 * Kernel parameters live in one array per field (structure of arrays),
 * indexed by the track's storage slot (the slots grouped by kernel kind,
 * batch.c): a range of slots on one kernel reads each field contiguously
 * (one unaligned vector load per field and 4 tracks) and writes x/y/z
 * contiguously. Rejected after measuring:
 * blocks of 4 tracks holding all fields (array of structures of arrays).
 * They help a lone kernel track between tracks of other models (7 cache
 * lines instead of 15), but a long run then reads one stream instead of 15,
 * and at 1,000,000 tracks (memory-bound) that halved the throughput: the
 * memory system serves several streams in parallel.
 *
 * Every kernel shares the field arrays:
 *   CIRCLE: P = c + m[:,0]·cos θ + m[:,1]·sin θ,  θ = ph[0] + w[0]·p
 *   SINES:  P = c + Σ_k m[:,k]·sin(w[k]·p + ph[k]), k = 0..2
 *   LERP, ROT1, ROT2, WAVE (the shape kernels, model_impl.h): θ0 in ph[0],
 *   ω0..2 in w[0..2], the easing in ez, ρ (or the waveform) in rho, n.
 *   PERLIN: rate, period, octaves in w[0..2], persistence in ph[0], the
 *   table in ref (model_impl.h), M·L folded as for the others.
 *   ATTRACT: strength, radius, maxSpeed in w[0..2], the target in ph,
 *   damping in um[0], the checkpoints, cache and tag in ref; the blended wrap as BOUNCE
 * (attract-repel.c's step, batch_attract.c). BOUNCE, SPRING: their parameters in w and ph (as
 * model_impl.h), bounce's maxBounces in rho[0], the blended wrap's start and window (s) in rho[1],
 * rho[2] (0: none) and the position it blends into (world frame) in n[:,0]. CUBIC: the control
 * points in m and n[:,0]. with the frame transform folded into c and m, w the model's angular rates
 * per unit of progress and p = τ/T, divided per track as ha_motion_eval does:
 * θ0 + ω·(τ/T) is then, operation for operation, how every CIRCLE model
 * computes its angle, so θ is bit-identical to the model's and only sin/cos
 * and the folded frame differ (≤ 1e-12 m at 1000 m). Rejected: dividing the
 * rates by T at capture (w = ω/T, no division per track): 5% faster, but θ
 * then differs by a rounding or two, up to 2e-9 m at 1000 turns on a 1000 m
 * radius. τ comes from the time mapping fields (T, speed, shift, mode =
 * ha_loop_mode as a double).
 *
 * Every field array has at least 7 slots of slack past the capacity and all
 * are zeroed at create, so a SIMD kernel may load a full vector at the end of
 * a run: the lanes past it hold other tracks' values or zeros, are computed
 * and discarded (masked stores). */
#ifndef HOLOANIM_BATCH_IMPL_H
#define HOLOANIM_BATCH_IMPL_H

#include "model_impl.h"

#include "holoanim/batch.h"

#include <string.h>

/* Per slot, besides the field arrays: the model's table (PERLIN, ATTRACT:
 * ha__kernel_params.table, owned by the motion data), the track's state
 * cache (ATTRACT: ha_track_ctx.state, may be NULL) and the data's cache tag
 * (ATTRACT, PENDULUM) and the data (PENDULUM); NULL / 0 for the other
 * kinds. SEGS: the spline segments in tab, their count in w[0]; KEYS: the
 * data (its keys) and its catmull-rom segments in tab. */
typedef struct ha__batch_ref {
  const double *tab;
  ha_motion_state *state;
  uint64_t tag;
  const ha__motion_data *data; /* PENDULUM, DIRECT, KEYS: the motion's data */
  uint32_t track;              /* DIRECT: the track id (ha_track_ctx) */
} ha__batch_ref;

/* Field arrays, each `capacity` (+ slack) doubles, 64-byte aligned. */
typedef struct ha__batch_soa {
  double *T;       /* duration T (s), > 0 */
  double *speed;   /* playback rate of the motion */
  double *shift;   /* the track's time shift (s) */
  double *mode;    /* 0 once, 1 loop, 2 pingpong */
  double *c[3];    /* centre (after the frame transform) */
  double *m[3][3]; /* m[row][col] */
  double *w[3];    /* angular rates (rad per unit of progress p = τ/T) */
  double *ph[3];   /* phases (rad) */
  double *ez[2];   /* shape kernels: easing family (−1 linear) and variant */
  double *rho[3];  /* ROT1/ROT2: ρ coefficients; WAVE: rho[0] the waveform */
  double *um[2];   /* shape kernels: u mode (0 p, 1 τ, 2 lap) and lap scale */
  double *n[3][2]; /* ROT2: the second rotating vector's columns */
  /* PERLIN, ATTRACT: what the slot references (moved with the fields).
   * Kernels read it only for the lanes of their run, never for the slack. */
  struct ha__batch_ref *ref;
} ha__batch_soa;

#define HA__BATCH_FIELDS 35 /* double arrays in ha__batch_soa */

/* The address of every field pointer of `s`, in a fixed order. */
static inline void ha__batch_soa_fields(ha__batch_soa *s, double **f[HA__BATCH_FIELDS]) {
  int n = 0;
  f[n++] = &s->T;
  f[n++] = &s->speed;
  f[n++] = &s->shift;
  f[n++] = &s->mode;
  for (int r = 0; r < 3; r++) {
    f[n++] = &s->c[r];
    f[n++] = &s->w[r];
    f[n++] = &s->ph[r];
    f[n++] = &s->rho[r];
    for (int k = 0; k < 3; k++) {
      f[n++] = &s->m[r][k];
    }
    for (int k = 0; k < 2; k++) {
      f[n++] = &s->n[r][k];
    }
  }
  f[n++] = &s->ez[0];
  f[n++] = &s->ez[1];
  f[n++] = &s->um[0];
  f[n++] = &s->um[1];
}

/* Time mapping of one track, the same arithmetic as ha_time_map (timing.c)
 * operation for operation, so that τ is bit-identical: a period decided
 * differently at a wrap would move a point by a whole turn. `a` must be
 * finite. τ is always in [0, T], which the integrated kernels' grid step
 * counts rely on. The SIMD kernels repeat these operations lane-wise. */
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
  /* Beyond |a|/T ≈ 2^53 the remainder is meaningless and may leave the
   * cycle: ha_time_map's start of a cycle, r = 0 (a kernel fed such a τ
   * could leave its segment tables: catmull-rom gave NaN). */
  if (mode < 1.5) {
    return r >= 0.0 && r < T ? r : 0.0;
  }
  if (!(r >= 0.0 && r <= T)) {
    r = 0.0;
  }
  /* Parity as k − 2·floor(k/2): exact for integers, NaN (odd, as fmod
   * gives) for an infinite k. */
  double parity = k - 2.0 * floor(k * 0.5);
  return ha__feq(parity, 0.0) ? r : T - r;
}

/* τ of track i at transport time t (a non-finite a counts as 0). */
static inline double ha__batch_tau_at(const ha__batch_soa *s, size_t i, double t) {
  double a = t * s->speed[i] - s->shift[i];
  if (!isfinite(a)) {
    a = 0.0;
  }
  return ha__batch_tau(a, s->T[i], s->mode[i]);
}

/* ---- ATTRACT, PENDULUM: the integrated models' grid (fixed_step.h's,
 * restated) ----
 * The 1 ms grid, its checkpoint table (d->aux: stride, count, offset, then
 * count states of ny doubles) and the per-track cache (y[0..ny) the state,
 * y[ny] its step, y[13] the steps the last evaluation took, tau = t_k),
 * with ha__motion_data_eval's rule that a cache of another data version is
 * reset first and tagged after. The state at step k is the same bits
 * whichever way it is reached, so kernels and model share caches. */
#define HA__GRID_DT 1e-3
#define HA__ATTRACT_NY 6

/* fixed_step.h's grid_index: the largest k with k·dt ≤ τ. */
static inline int64_t ha__grid_index(double tau) {
  if (!(tau > 0.0)) {
    return 0;
  }
  int64_t k = (int64_t)floor(tau / HA__GRID_DT);
  if ((double)(k + 1) * HA__GRID_DT <= tau) {
    k++;
  } else if (k > 0 && (double)k * HA__GRID_DT > tau) {
    k--;
  }
  return k;
}

/* The latest known grid state at or before step k into y (fixed_step.h's
 * fixed_step_resume, after the tag check); returns its step. */
static inline int64_t ha__grid_resume(const ha__batch_ref *r, size_t ny, int64_t k, double *y) {
  const double *aux = r->tab;
  int64_t stride = (int64_t)aux[0];
  int64_t j = k / stride;
  if (j > (int64_t)aux[1] - 1) {
    j = (int64_t)aux[1] - 1;
  }
  int64_t at = j * stride;
  memcpy(y, &aux[(size_t)aux[2] + ny * (size_t)j], ny * sizeof(double));
  ha_motion_state *st = r->state;
  if (st != NULL && st->tag != r->tag) {
    memset(st, 0, sizeof(*st));
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

/* Keep grid state k in the cache and tag it (fixed_step_remember). */
static inline void ha__grid_remember(const ha__batch_ref *r, size_t ny, int64_t k, int64_t from,
                                     const double *y) {
  ha_motion_state *st = r->state;
  if (st != NULL) {
    st->tau = (double)k * HA__GRID_DT;
    memcpy(st->y, y, ny * sizeof(double));
    st->y[ny] = (double)k;
    st->y[13] = (double)(k - from);
    st->tag = r->tag;
  }
}

/* The blended wrap of slot i at τ (BOUNCE, SPRING, ATTRACT): the world
 * position v eased into n[:,0] over [rho[1], rho[1] + rho[2]] (rho[2] 0:
 * none), as ha__motion_data_eval does. */
static inline void ha__batch_seam(const ha__batch_soa *s, size_t i, double tau, double v[3]) {
  if (s->rho[2][i] > 0.0 && tau > s->rho[1][i]) {
    double u = (tau - s->rho[1][i]) / s->rho[2][i];
    u = u > 1.0 ? 1.0 : u;
    double w = u * u * (3.0 - 2.0 * u);
    for (int r = 0; r < 3; r++) {
      v[r] = v[r] + (s->n[r][0][i] - v[r]) * w;
    }
  }
}

/* Slot i's folded frame applied to a local position l: c + M·l into
 * *x, *y, *z (the kernels whose model gives L in its own frame). */
static inline void ha__batch_frame_put(const ha__batch_soa *s, size_t i, const double l[3],
                                       double *x, double *y, double *z) {
  double v[3];
  for (int r = 0; r < 3; r++) {
    v[r] = s->c[r][i] + s->m[r][0][i] * l[0] + s->m[r][1][i] * l[1] + s->m[r][2][i] * l[2];
  }
  *x = v[0];
  *y = v[1];
  *z = v[2];
}

/* One motion at many times (ha_motion_eval_times): the same closed forms
 * with the parameters as scalars, broadcast across the lanes, and the times
 * varying per lane. The fields mean what they mean in ha__batch_soa. */
typedef struct ha__times_params {
  double T, speed, shift;
  ha_loop_mode mode;
  double c[3];
  double m[3][3];
  double w[3];
  double ph[3];
} ha__times_params;

/* Where position i goes: x[i·stride], y[i·stride], z[i·stride]. */
typedef struct ha__times_out {
  double *x, *y, *z;
  size_t stride;
} ha__times_out;

/* Kernels: evaluate the tracks in storage slots [i0, i0 + n) into
 * x/y/z[0, n). */
typedef void (*ha__batch_kernel_fn)(const ha__batch_soa *s, size_t i0, size_t n, double t,
                                    double *x, double *y, double *z);
/* DIRECT: any other stateless model, its own local() on the slot's data
 * (batch_direct.c); one implementation for every ISA. */
void ha__batch_direct(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x, double *y,
                      double *z);
/* The shape kernels, scalar reference (batch.c) and vector
 * (simd/batch_shapes_vec.c, as AVX2 and AVX-512). */
#define HA__SHAPE_KERNELS(X) \
  X(lerp)                    \
  X(rot1)                    \
  X(rot2)                    \
  X(wave) X(bounce) X(cubic) X(spring) X(random) X(perlin) X(attract) X(pendulum) X(segs) X(keys)
#define HA__DECLARE_SHAPE(name)                                                                    \
  void ha__batch_##name##_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x, \
                                 double *y, double *z);
HA__SHAPE_KERNELS(HA__DECLARE_SHAPE)
#undef HA__DECLARE_SHAPE
#if defined(HA_HAVE_AVX2)
#define HA__DECLARE_SHAPE(name)                                                                    \
  void ha__batch_##name##_avx2(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,   \
                               double *y, double *z);                                              \
  void ha__batch_##name##_avx512(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x, \
                                 double *y, double *z);
HA__SHAPE_KERNELS(HA__DECLARE_SHAPE)
#undef HA__DECLARE_SHAPE
#endif
void ha__batch_circle_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                             double *y, double *z);
void ha__batch_sines_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                            double *y, double *z);
/* Kernels over times: positions at t[0..n) into `o`. The time mapping is
 * ha_time_map's, operation for operation. */
void ha__times_circle_scalar(const ha__times_params *p, const double *t, size_t n,
                             const ha__times_out *o);
void ha__times_sines_scalar(const ha__times_params *p, const double *t, size_t n,
                            const ha__times_out *o);
#if defined(HA_HAVE_AVX2)
/* The vector kernels of one motion at many times and of the batch's
 * CIRCLE and SINES, each in its 4-lane (_avx2) and 8-lane (_avx512)
 * build (simd/batch_vec.c). */
#define HA__DECLARE_VEC(sfx)                                                                    \
  void ha__times_circle_##sfx(const ha__times_params *p, const double *t, size_t n,             \
                              const ha__times_out *o);                                          \
  void ha__times_sines_##sfx(const ha__times_params *p, const double *t, size_t n,              \
                             const ha__times_out *o);                                           \
  void ha__batch_circle_##sfx(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x, \
                              double *y, double *z);                                            \
  void ha__batch_sines_##sfx(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,  \
                             double *y, double *z);
HA__DECLARE_VEC(avx2)
HA__DECLARE_VEC(avx512)
#undef HA__DECLARE_VEC
#endif

#endif
