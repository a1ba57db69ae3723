/* What the AVX2 kernel files share (the src/engine/simd files named *_avx2.c, compiled with
 * -mavx2 -mfma): sin/cos of four doubles, the time mapping of four tracks,
 * loads and masked stores. batch_avx2.c's opening comment explains the
 * design (the sincos scheme, the two passes, the masked last vector).
 * Included only by those files. */
#ifndef HOLOANIM_AVX2_IMPL_H
#define HOLOANIM_AVX2_IMPL_H

#include "batch_impl.h"

#include <immintrin.h>

/* Tracks (or times) per chunk of the two-pass loops: the pass-1 buffer,
 * 1 KiB on the stack, stays in L1. A multiple of 4. */
#define CHUNK 128

/* π/2 = P1 + P2 (+ P3 = -1.4973849048591698e-33, dropped: see sincos4),
 * each the double nearest the remainder; 2/π; 1.5·2^52, which rounds a
 * double below 2^51 in magnitude to an integer held in its low mantissa
 * bits. */
#define PIO2_1 1.5707963267948966
#define PIO2_2 6.123233995736766e-17
#define TWO_OVER_PI 0.6366197723675814
#define ROUND_MAGIC 6755399441055744.0

/* sin r = r + r³·(S1 + z·(S2 + … + z·S6)) */
#define S1 -0.16666666666666632
#define S2 0.008333333333322425
#define S3 -0.00019841269829816972
#define S4 2.755731369523361e-06
#define S5 -2.505075865436212e-08
#define S6 1.589682799074592e-10
/* cos r = 1 − z/2 + z²·(C1 + z·(C2 + … + z·C6)) */
#define C1 0.04166666666666665
#define C2 -0.0013888888888882792
#define C3 2.4801587294597684e-05
#define C4 -2.755731573018792e-07
#define C5 2.087589666464709e-09
#define C6 -1.1367930566525163e-11

static inline __m256d abs4(__m256d v) {
  return _mm256_and_pd(v, _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL)));
}

/* sin and cos of four angles (see the file comment). */
static HA__ALWAYS_INLINE void sincos4(__m256d x, __m256d *sin_out, __m256d *cos_out) {
  /* NaN and huge arguments become 0 (the compare is false for NaN). */
  __m256d ok = _mm256_cmp_pd(abs4(x), _mm256_set1_pd(1073741824.0), _CMP_LE_OQ);
  x = _mm256_and_pd(x, ok);
  /* k = x·2/π rounded to nearest (one rounding, in the FMA); kd keeps k in
   * its low mantissa bits for the quadrant below. */
  const __m256d magic = _mm256_set1_pd(ROUND_MAGIC);
  __m256d kd = _mm256_fmadd_pd(x, _mm256_set1_pd(TWO_OVER_PI), magic);
  __m256d k = _mm256_sub_pd(kd, magic);
  /* x − k·P1 is exact (FMA, and r needs at most 53 bits); the P2 term leaves
   * r within half an ulp; the P3 term (|k·P3| < 2e-24 for |x| ≤ 2^30) is
   * below that ulp whenever |r| > 1e-8, and below 1e-24 in absolute terms
   * always: positions only need the absolute error. */
  __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(PIO2_1), x);
  r = _mm256_fnmadd_pd(k, _mm256_set1_pd(PIO2_2), r);
  __m256d z = _mm256_mul_pd(r, r);

  __m256d z2 = _mm256_mul_pd(z, z);
  __m256d s12 = _mm256_fmadd_pd(_mm256_set1_pd(S2), z, _mm256_set1_pd(S1));
  __m256d s34 = _mm256_fmadd_pd(_mm256_set1_pd(S4), z, _mm256_set1_pd(S3));
  __m256d s56 = _mm256_fmadd_pd(_mm256_set1_pd(S6), z, _mm256_set1_pd(S5));
  __m256d ps = _mm256_fmadd_pd(_mm256_fmadd_pd(s56, z2, s34), z2, s12);
  __m256d sr = _mm256_fmadd_pd(ps, _mm256_mul_pd(z, r), r);

  __m256d c12 = _mm256_fmadd_pd(_mm256_set1_pd(C2), z, _mm256_set1_pd(C1));
  __m256d c34 = _mm256_fmadd_pd(_mm256_set1_pd(C4), z, _mm256_set1_pd(C3));
  __m256d c56 = _mm256_fmadd_pd(_mm256_set1_pd(C6), z, _mm256_set1_pd(C5));
  __m256d pc = _mm256_fmadd_pd(_mm256_fmadd_pd(c56, z2, c34), z2, c12);
  __m256d cr =
      _mm256_fmadd_pd(pc, z2, _mm256_fnmadd_pd(z, _mm256_set1_pd(0.5), _mm256_set1_pd(1.0)));

  /* Quadrant q = k mod 4 = the low bits of kd (2^51 + k in the mantissa;
   * 2^51 ≡ 0 mod 4), no conversion needed. q odd swaps sin and cos (bit 0
   * shifted into the sign bit, which is all blendv reads); sin is negated
   * for q ∈ {2, 3}, cos for q ∈ {1, 2}: bit 1 of q and of q + 1, moved to
   * the sign bit. */
  __m256i q = _mm256_castpd_si256(kd);
  const __m256i two = _mm256_set1_epi64x(2);
  __m256d swap = _mm256_castsi256_pd(_mm256_slli_epi64(q, 63));
  __m256d sign_s = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_and_si256(q, two), 62));
  __m256d sign_c = _mm256_castsi256_pd(
      _mm256_slli_epi64(_mm256_and_si256(_mm256_add_epi64(q, _mm256_set1_epi64x(1)), two), 62));
  *sin_out = _mm256_xor_pd(_mm256_blendv_pd(sr, cr, swap), sign_s);
  *cos_out = _mm256_xor_pd(_mm256_blendv_pd(cr, sr, swap), sign_c);
}

static inline __m256d ld(const double *f, size_t i) {
  return _mm256_loadu_pd(f + i);
}

/* τ of tracks i..i+3 at transport time t (ha__batch_tau_at ×4). */
static inline __m256d tau4(const ha__batch_soa *s, size_t i, __m256d t) {
  const __m256d zero = _mm256_setzero_pd();
  __m256d T = ld(s->T, i);
  __m256d mode = ld(s->mode, i);
  __m256d a = _mm256_sub_pd(_mm256_mul_pd(t, ld(s->speed, i)), ld(s->shift, i));
  /* Non-finite a (t NaN or ±inf) counts as 0, as in ha_motion_eval. */
  a = _mm256_and_pd(a, _mm256_cmp_pd(abs4(a), _mm256_set1_pd(HUGE_VAL), _CMP_LT_OQ));

  /* loop / pingpong: k = floor(a/T), r = a − T·k, folded into [0, T). */
  __m256d k = _mm256_floor_pd(_mm256_div_pd(a, T));
  __m256d r = _mm256_sub_pd(a, _mm256_mul_pd(T, k));
  __m256d wrap = _mm256_cmp_pd(r, T, _CMP_GE_OQ);
  r = _mm256_blendv_pd(r, _mm256_sub_pd(r, T), wrap);
  k = _mm256_add_pd(k, _mm256_and_pd(wrap, _mm256_set1_pd(1.0)));
  /* r outside the cycle (below 0, or |a|/T beyond 2^53) → 0, as
   * ha__batch_tau: [0, T) for loop, [0, T] for pingpong. */
  __m256d from0 = _mm256_cmp_pd(r, zero, _CMP_GE_OQ);
  __m256d r_loop = _mm256_and_pd(r, _mm256_and_pd(from0, _mm256_cmp_pd(r, T, _CMP_LT_OQ)));
  r = _mm256_and_pd(r, _mm256_and_pd(from0, _mm256_cmp_pd(r, T, _CMP_LE_OQ)));
  __m256d half = _mm256_floor_pd(_mm256_mul_pd(k, _mm256_set1_pd(0.5)));
  __m256d parity = _mm256_sub_pd(k, _mm256_add_pd(half, half));
  __m256d even = _mm256_cmp_pd(parity, zero, _CMP_EQ_OQ);
  __m256d pingpong = _mm256_blendv_pd(_mm256_sub_pd(T, r), r, even);
  /* once: clamp(a, 0, T). */
  __m256d once = _mm256_min_pd(_mm256_max_pd(a, zero), T);

  __m256d is_pp = _mm256_cmp_pd(mode, _mm256_set1_pd(1.5), _CMP_GT_OQ);
  __m256d is_once = _mm256_cmp_pd(mode, _mm256_set1_pd(0.5), _CMP_LT_OQ);
  return _mm256_blendv_pd(_mm256_blendv_pd(r_loop, pingpong, is_pp), once, is_once);
}

/* ---- hashing (random, perlin-noise) ----
 *
 * The last round of noise.h's hash (model.c: ha__noise_last) in 64-bit
 * lanes: xor-shifts as they are, each 64-bit multiply from three 32 × 32
 * multiplies (the high product is not needed modulo 2^64). Integers and
 * doubles convert exactly through the 2^52 (and 1.5·2^52) magic numbers:
 * every value involved is an integer below 2^52 in magnitude. */
static HA__ALWAYS_INLINE __m256i mul64c(__m256i a, uint64_t c) {
  const __m256i lo = _mm256_set1_epi64x((long long)(c & 0xffffffffu));
  const __m256i hi = _mm256_set1_epi64x((long long)(c >> 32));
  __m256i cross =
      _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(a, 32), lo), _mm256_mul_epu32(a, hi));
  return _mm256_add_epi64(_mm256_mul_epu32(a, lo), _mm256_slli_epi64(cross, 32));
}
static HA__ALWAYS_INLINE __m256i mix4(__m256i h) {
  h = _mm256_xor_si256(h, _mm256_srli_epi64(h, 33));
  h = mul64c(h, 0xff51afd7ed558ccdull);
  h = _mm256_xor_si256(h, _mm256_srli_epi64(h, 33));
  h = mul64c(h, 0xc4ceb9fe1a85ec53ull);
  return _mm256_xor_si256(h, _mm256_srli_epi64(h, 33));
}
/* An integer-valued double (|v| < 2^51) as its int64. */
static HA__ALWAYS_INLINE __m256i to_i64(__m256d v) {
  const __m256d magic = _mm256_set1_pd(ROUND_MAGIC);
  return _mm256_sub_epi64(_mm256_castpd_si256(_mm256_add_pd(v, magic)), _mm256_castpd_si256(magic));
}
/* 2·u − 1 (noise.h's ha__noise_signed) of the last hash round of (h3, key),
 * u the top 53 bits of h over 2^53, exactly: 2u − 1 = (h >> 11)·2^−52 − 1
 * is a multiple of 2^−52 below 1 in magnitude, so a double; with
 * v = 2 + (h >> 12)·2^−51 ∈ [2, 4) (h's bits under 2.0's exponent) it is
 * (v − 3) + b·2^−52, b = bit 11 of h: v − 3 is exact (Sterbenz), and so is
 * the sum, representable. */
static HA__ALWAYS_INLINE __m256d signed4(__m256i h3, __m256i key) {
  __m256i h = mix4(_mm256_xor_si256(
      h3, _mm256_add_epi64(key, _mm256_set1_epi64x((long long)0x8cb92ba72f3d8dd7ull))));
  __m256d v = _mm256_castsi256_pd(
      _mm256_or_si256(_mm256_srli_epi64(h, 12), _mm256_castpd_si256(_mm256_set1_pd(2.0))));
  /* Bit 11 moved to the sign bit selects 2^−52. */
  __m256d low = _mm256_blendv_pd(_mm256_setzero_pd(), _mm256_set1_pd(0x1p-52),
                                 _mm256_castsi256_pd(_mm256_slli_epi64(h, 52)));
  return _mm256_add_pd(_mm256_sub_pd(v, _mm256_set1_pd(3.0)), low);
}

static HA__ALWAYS_INLINE __m256d select4(__m256d mask, __m256d yes, __m256d no) {
  return _mm256_blendv_pd(no, yes, mask);
}

/* One output vector triple. */
typedef struct xyz4 {
  __m256d x, y, z;
} xyz4;

/* v + m[:,col]·a, row by row. */
static HA__ALWAYS_INLINE xyz4 add_col(const ha__batch_soa *s, size_t i, xyz4 v, int col,
                                      __m256d a) {
  v.x = _mm256_fmadd_pd(ld(s->m[0][col], i), a, v.x);
  v.y = _mm256_fmadd_pd(ld(s->m[1][col], i), a, v.y);
  v.z = _mm256_fmadd_pd(ld(s->m[2][col], i), a, v.z);
  return v;
}

/* c + M·l of tracks i..i+3 (the folded frame on a local position). */
static HA__ALWAYS_INLINE xyz4 frame4(const ha__batch_soa *s, size_t i, const __m256d l[3]) {
  xyz4 v = {ld(s->c[0], i), ld(s->c[1], i), ld(s->c[2], i)};
  for (int col = 0; col < 3; col++) {
    v = add_col(s, i, v, col, l[col]);
  }
  return v;
}

/* The blended wrap (ha__batch_seam) of tracks i..i+3 at τ. */
static HA__ALWAYS_INLINE xyz4 seam4(const ha__batch_soa *s, size_t i, __m256d tau, xyz4 v) {
  const __m256d zero = _mm256_setzero_pd();
  __m256d from = ld(s->rho[1], i), win = ld(s->rho[2], i);
  __m256d in =
      _mm256_and_pd(_mm256_cmp_pd(win, zero, _CMP_GT_OQ), _mm256_cmp_pd(tau, from, _CMP_GT_OQ));
  if (_mm256_movemask_pd(in) == 0) {
    return v;
  }
  __m256d u = _mm256_min_pd(_mm256_div_pd(_mm256_sub_pd(tau, from), win), _mm256_set1_pd(1.0));
  __m256d w =
      _mm256_mul_pd(_mm256_mul_pd(u, u), _mm256_sub_pd(_mm256_set1_pd(3.0), _mm256_add_pd(u, u)));
  w = _mm256_and_pd(w, in);
  v.x = _mm256_add_pd(v.x, _mm256_mul_pd(_mm256_sub_pd(ld(s->n[0][0], i), v.x), w));
  v.y = _mm256_add_pd(v.y, _mm256_mul_pd(_mm256_sub_pd(ld(s->n[1][0], i), v.y), w));
  v.z = _mm256_add_pd(v.z, _mm256_mul_pd(_mm256_sub_pd(ld(s->n[2][0], i), v.z), w));
  return v;
}

/* All ones in the lanes q < rem (all four when rem ≥ 4), zeros above. */
static inline __m256i lanes_below(size_t rem) {
  return _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)(rem < 4 ? rem : 4)),
                            _mm256_setr_epi64x(0, 1, 2, 3));
}

/* The largest of v[0 .. 4·nv) (v 32-byte aligned) and 0. */
static inline double max_of4(const double *v, size_t nv) {
  __m256d most = _mm256_setzero_pd();
  for (size_t g = 0; g < 4 * nv; g += 4) {
    most = _mm256_max_pd(most, _mm256_load_pd(v + g));
  }
  most = _mm256_max_pd(most, _mm256_permute4x64_pd(most, 0x4e));
  return _mm256_cvtsd_f64(_mm256_max_pd(most, _mm256_permute_pd(most, 5)));
}

/* Store the first `rem` lanes of o at x/y/z + i (rem ≥ 1; all 4 when
 * rem ≥ 4). Masked stores never touch the other lanes' memory. */
static inline void store4(xyz4 o, size_t i, size_t rem, double *x, double *y, double *z) {
  if (rem >= 4) {
    _mm256_storeu_pd(x + i, o.x);
    _mm256_storeu_pd(y + i, o.y);
    _mm256_storeu_pd(z + i, o.z);
    return;
  }
  /* A lane is stored when its mask's sign bit is set: lane < rem. */
  __m256i mask = lanes_below(rem);
  _mm256_maskstore_pd(x + i, mask, o.x);
  _mm256_maskstore_pd(y + i, mask, o.y);
  _mm256_maskstore_pd(z + i, mask, o.z);
}

/* Kernel `name` (ha__batch_kernel_fn) evaluating its run four tracks at a
 * time with at4(s, i, rem, t) → xyz4, the last vector masked. */
#define HA__LANES_KERNEL(name, at4)                                                      \
  void name(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x, double *y, \
            double *z) {                                                                 \
    const __m256d tv = _mm256_set1_pd(t);                                                \
    for (size_t i = i0, end = i0 + n; i < end; i += 4) {                                 \
      store4(at4(s, i, end - i, tv), i - i0, end - i, x, y, z);                          \
    }                                                                                    \
  }

/* ---- the integrated kernels' grid (ATTRACT, PENDULUM), four lanes at a time ----
 * ha__grid_index and ha__grid_resume (batch_impl.h) for the four slots
 * [at, at + 4) of a run [.., end), in one pass so that each lane's data is
 * read once: grid_heads4 reads each lane's table header and cache step
 * (and resets a cache of another data version, as ha__grid_resume does),
 * grid_plan4 computes the grid index, the checkpoint and which state to
 * resume from in doubles (every value an integer below 2^53, and
 * floor(k / stride) of a division is exact for k below 2^46), grid_state
 * gives the state a lane resumes from, grid_remember writes the cache
 * back. One lane in scalar code took ~60 cycles (a division, an integer
 * division, conversions, a chain of branches). The kernels work on chunks
 * of HA__GRID_LANES slots and prefetch the next chunk's (grid_prefetch4). */
#define HA__GRID_LANES 32

typedef struct grid4 {
  __m256d stride, count;    /* the table's checkpoint spacing and count */
  __m256d e0, e1;           /* the table's aux[3], aux[4] (PENDULUM: its folds) */
  __m256d kc;               /* the cache's step, −1: none */
  __m256d k, from;          /* out: the grid index, the step resumed from */
  _Alignas(32) double j[4]; /* out: the checkpoint (when not cached) */
  unsigned cached;          /* out: bit q, resume from the cache */
} grid4;

/* Headers and cache steps of lanes [at, at + 4) ∩ [.., end) (ny state
 * doubles); lanes past the run 1, 1, 0, 0, −1 (at rest, taking no step). */
static HA__ALWAYS_INLINE void grid_heads4(const ha__batch_soa *s, size_t at, size_t end, size_t ny,
                                          grid4 *g) {
  double v[5][4];
  _Pragma("GCC unroll 4") for (size_t q = 0; q < 4; q++) {
    v[0][q] = v[1][q] = 1.0;
    v[2][q] = v[3][q] = 0.0;
    v[4][q] = -1.0;
    if (at + q >= end) {
      continue;
    }
    const ha__batch_ref *r = &s->ref[at + q];
    v[0][q] = r->tab[0];
    v[1][q] = r->tab[1];
    v[2][q] = r->tab[3];
    v[3][q] = r->tab[4];
    ha_motion_state *st = r->state;
    if (st != NULL && st->tag != r->tag) {
      memset(st, 0, sizeof(*st));
    }
    if (st != NULL && st->tag != 0) {
      v[4][q] = st->y[ny];
    }
  }
  g->stride = _mm256_setr_pd(v[0][0], v[0][1], v[0][2], v[0][3]);
  g->count = _mm256_setr_pd(v[1][0], v[1][1], v[1][2], v[1][3]);
  g->e0 = _mm256_setr_pd(v[2][0], v[2][1], v[2][2], v[2][3]);
  g->e1 = _mm256_setr_pd(v[3][0], v[3][1], v[3][2], v[3][3]);
  g->kc = _mm256_setr_pd(v[4][0], v[4][1], v[4][2], v[4][3]);
}

/* The grid index of τ, the checkpoint at or before it and the state to
 * resume from. The index: an estimate within one of ⌊τ/dt⌋ (τ·1000, no
 * division), then ha__grid_index's two corrections, which land on the
 * largest k with k·dt ≤ τ from either side, the same k. */
static HA__ALWAYS_INLINE void grid_plan4(grid4 *g, __m256d tau) {
  const __m256d dt = _mm256_set1_pd(HA__GRID_DT), one = _mm256_set1_pd(1.0);
  const __m256d zero = _mm256_setzero_pd();
  __m256d k = _mm256_floor_pd(_mm256_mul_pd(tau, _mm256_set1_pd(1.0 / HA__GRID_DT)));
  __m256d up = _mm256_cmp_pd(_mm256_mul_pd(_mm256_add_pd(k, one), dt), tau, _CMP_LE_OQ);
  __m256d down =
      _mm256_andnot_pd(up, _mm256_and_pd(_mm256_cmp_pd(k, zero, _CMP_GT_OQ),
                                         _mm256_cmp_pd(_mm256_mul_pd(k, dt), tau, _CMP_GT_OQ)));
  k = _mm256_sub_pd(_mm256_add_pd(k, _mm256_and_pd(up, one)), _mm256_and_pd(down, one));
  k = _mm256_and_pd(k, _mm256_cmp_pd(tau, zero, _CMP_GT_OQ)); /* !(τ > 0): 0 */
  __m256d j =
      _mm256_min_pd(_mm256_floor_pd(_mm256_div_pd(k, g->stride)), _mm256_sub_pd(g->count, one));
  __m256d cp = _mm256_mul_pd(j, g->stride);
  __m256d y = g->kc;
  __m256d kc = _mm256_floor_pd(y); /* (int64_t) of a value ≥ 0 */
  __m256d use = _mm256_and_pd(
      _mm256_and_pd(_mm256_cmp_pd(y, zero, _CMP_GE_OQ), _mm256_cmp_pd(y, k, _CMP_LE_OQ)),
      _mm256_cmp_pd(kc, cp, _CMP_GT_OQ));
  g->k = k;
  g->from = select4(use, kc, cp);
  _mm256_store_pd(g->j, j);
  g->cached = (unsigned)_mm256_movemask_pd(use);
}

/* The state (ny doubles) lane q of slot r resumes from. */
static HA__ALWAYS_INLINE const double *grid_state(const ha__batch_ref *r, size_t q, size_t ny,
                                                  const grid4 *g) {
  return g->cached >> q & 1u ? r->state->y : &r->tab[(size_t)r->tab[2] + ny * (size_t)g->j[q]];
}

/* ha__grid_remember for lane l of a chunk's state y (step k, resumed
 * from `from`): the same cache, but y[13] (the step counter, in the
 * struct's last cache line) is written only when it changes, which in
 * forward play it does not: that line then stays clean. */
static HA__ALWAYS_INLINE void grid_remember(const ha__batch_ref *r, size_t ny, double k,
                                            double from, double (*y)[HA__GRID_LANES], size_t l) {
  ha_motion_state *st = r->state;
  if (st == NULL) {
    return;
  }
  st->tau = k * HA__GRID_DT;
  for (size_t a = 0; a < ny; a++) {
    st->y[a] = y[a][l];
  }
  st->y[ny] = k;
  double took = k - from;
  uint64_t was, now;
  memcpy(&was, &st->y[13], sizeof(was));
  memcpy(&now, &took, sizeof(now));
  if (was != now) {
    st->y[13] = took;
  }
  st->tag = r->tag;
}

/* Prefetch the line at byte `off` of array p. A prefetch never faults:
 * the address may lie past the run, even past the array (the batch calls a
 * kernel on consecutive runs, and the next run's data is the next to be
 * read); the address is computed as an integer, not as a pointer past the
 * array. */
static HA__ALWAYS_INLINE void prefetch_at(const void *p, size_t off) {
  _mm_prefetch((const char *)(uintptr_t)((uintptr_t)p + off), _MM_HINT_T0);
}

/* The lines slot r's evaluation reads of its cache (the first, the one
 * after y[ny], the last: a cache need not be line-aligned). Not the table
 * header: one line per motion, mostly cached, and prefetching it was
 * slower. */
static HA__ALWAYS_INLINE void grid_prefetch(const ha__batch_ref *r, size_t ny) {
  if (r->state != NULL) {
    const char *c = (const char *)r->state;
    _mm_prefetch(c, _MM_HINT_T0);
    _mm_prefetch(c + sizeof(double) * (ny + 3) - 1, _MM_HINT_T0);
    _mm_prefetch(c + sizeof(ha_motion_state) - 1, _MM_HINT_T0);
  }
}

/* Prefetches for the four slots [at, at + 4) of a run [.., end): the
 * ref targets (grid_prefetch) of the slots a chunk ahead, the refs of the
 * slots two chunks ahead (which those prefetches read; past the run too). The caches are 12.8 MB at
 * 100,000 tracks, and the hardware did not follow them. (-mavx2 has no prefetchw.) */
static HA__ALWAYS_INLINE void grid_prefetch4(const ha__batch_soa *s, size_t at, size_t end,
                                             size_t ny) {
  /* The four refs two chunks ahead (160 bytes: four lines at most). */
  size_t after = (at + 2 * HA__GRID_LANES) * sizeof(ha__batch_ref);
  for (size_t b = 0; b < 4 * sizeof(ha__batch_ref) + 64; b += 64) {
    prefetch_at(s->ref, after + b);
  }
  _Pragma("GCC unroll 4") for (size_t q = 0; q < 4; q++) {
    size_t next = at + q + HA__GRID_LANES;
    if (next < end) {
      grid_prefetch(&s->ref[next], ny);
    }
  }
}

/* The first chunk's of a run [i, end) (grid_prefetch4 prefetches a chunk
 * ahead; a mixed batch calls a kernel on runs of 256 slots or fewer, 8
 * chunks). */
static HA__ALWAYS_INLINE void grid_prefetch_first(const ha__batch_soa *s, size_t i, size_t end,
                                                  size_t ny) {
  for (size_t l = i; l < i + HA__GRID_LANES && l < end; l++) {
    grid_prefetch(&s->ref[l], ny);
  }
}

#endif
