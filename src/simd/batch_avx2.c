/* AVX2 + FMA batch kernels: four tracks per instruction, in double.
 *
 * The same computation as the scalar reference in batch.c, lane by lane:
 *   - the time mapping repeats ha_time_map's operations exactly (division,
 *     floor, multiply, subtract, never fused), so τ is bit-identical to the
 *     scalar path's and a loop wrap is never decided differently; the three
 *     loop modes are all computed and blended per lane;
 *   - θ = ph + w·τ (w = ω/T, folded at capture: batch_impl.h), not fused
 *     either: bit-identical to the scalar θ;
 *   - sin and cos are our own, so neither libmvec nor -ffast-math is needed
 *     (-ffast-math would also remove NaN checks):
 *       1. k = round(x·2/π), r = x − k·π/2 with π/2 split in three doubles
 *          (Cody–Waite). The first product is subtracted with an FMA, which is
 *          exact here since r needs at most 53 bits; the two tails carry the
 *          next 106 bits of π/2, so r is good to an ulp for |x| up to 2^30
 *          (validated parameters stay below 10^4 rad).
 *       2. on r ∈ [−π/4, π/4], z = r²: sin r = r + r³·S(z), cos r =
 *          1 − z/2 + z²·C(z), S and C of degree 5 evaluated by Estrin's scheme
 *          (shorter dependency chains than Horner): weighted minimax fits
 *          (Remez exchange in 60-digit arithmetic; relative error of sin
 *          3.4e-18, absolute error of cos 1.5e-19 before the coefficients are
 *          rounded to double), so results are within about an ulp of libm.
 *       3. the quadrant k mod 4 swaps sin/cos and flips signs (bit operations
 *          on k converted to int64 lanes).
 *     |x| > 2^30 (unreachable from validated input) and NaN are evaluated as
 *     x = 0, so no lane can produce NaN.
 * Rejected: glibc's libmvec (needs -ffast-math, glibc only), float (1e-9 m
 * agreement needs double), a scalar loop for partial vectors (see below).
 *
 * A run whose length is not a multiple of 4 ends with a partial vector: the
 * full vector is loaded anyway (the field arrays have slack and are zeroed,
 * batch_impl.h), computed by the same code, and only the run's lanes are
 * stored (masked stores), so a 1-track run costs one vector iteration. The
 * other lanes belong to other tracks or are zero (T = 0 gives NaN there);
 * they never leave the registers. */
#include "../batch_impl.h"

#include <immintrin.h>

/* π/2 = P1 + P2 + P3 (each the double nearest the remainder), 2/π. */
#define PIO2_1 1.5707963267948966
#define PIO2_2 6.123233995736766e-17
#define PIO2_3 -1.4973849048591698e-33
#define TWO_OVER_PI 0.6366197723675814

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
static inline void sincos4(__m256d x, __m256d *sin_out, __m256d *cos_out) {
  /* NaN and huge arguments become 0 (the compare is false for NaN). */
  __m256d ok = _mm256_cmp_pd(abs4(x), _mm256_set1_pd(1073741824.0), _CMP_LE_OQ);
  x = _mm256_and_pd(x, ok);
  __m256d k = _mm256_round_pd(_mm256_mul_pd(x, _mm256_set1_pd(TWO_OVER_PI)),
                              _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(PIO2_1), x);
  r = _mm256_fnmadd_pd(k, _mm256_set1_pd(PIO2_2), r);
  r = _mm256_fnmadd_pd(k, _mm256_set1_pd(PIO2_3), r);
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

  /* Quadrant q = k mod 4 (k is integral and |k| < 2^30: exact in int32).
   * q odd swaps sin and cos; sin is negated for q ∈ {2, 3}, cos for
   * q ∈ {1, 2}, i.e. bit 1 of q and of q + 1, moved to the sign bit. */
  __m256i q = _mm256_cvtepi32_epi64(_mm256_cvtpd_epi32(k));
  const __m256i one = _mm256_set1_epi64x(1), two = _mm256_set1_epi64x(2);
  __m256d swap = _mm256_castsi256_pd(_mm256_cmpeq_epi64(_mm256_and_si256(q, one), one));
  __m256d sign_s = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_and_si256(q, two), 62));
  __m256d sign_c =
      _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_and_si256(_mm256_add_epi64(q, one), two), 62));
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
  r = _mm256_max_pd(r, zero); /* r < 0 → 0 (a −0 may become +0: same point) */
  __m256d half = _mm256_floor_pd(_mm256_mul_pd(k, _mm256_set1_pd(0.5)));
  __m256d parity = _mm256_sub_pd(k, _mm256_add_pd(half, half));
  __m256d even = _mm256_cmp_pd(parity, zero, _CMP_EQ_OQ);
  __m256d pingpong = _mm256_blendv_pd(_mm256_sub_pd(T, r), r, even);
  /* once: clamp(a, 0, T). */
  __m256d once = _mm256_min_pd(_mm256_max_pd(a, zero), T);

  __m256d is_pp = _mm256_cmp_pd(mode, _mm256_set1_pd(1.5), _CMP_GT_OQ);
  __m256d is_once = _mm256_cmp_pd(mode, _mm256_set1_pd(0.5), _CMP_LT_OQ);
  return _mm256_blendv_pd(_mm256_blendv_pd(r, pingpong, is_pp), once, is_once);
}

/* c_r + m_r0·a + m_r1·b (+ m_r2·d) for output row r. */
static inline __m256d row2(const ha__batch_soa *s, int r, size_t i, __m256d a, __m256d b) {
  __m256d v = _mm256_fmadd_pd(ld(s->m[r][0], i), a, ld(s->c[r], i));
  return _mm256_fmadd_pd(ld(s->m[r][1], i), b, v);
}
static inline __m256d row3(const ha__batch_soa *s, int r, size_t i, __m256d a, __m256d b,
                           __m256d d) {
  return _mm256_fmadd_pd(ld(s->m[r][2], i), d, row2(s, r, i, a, b));
}

/* One output vector triple. */
typedef struct xyz4 {
  __m256d x, y, z;
} xyz4;

static inline xyz4 circle4(const ha__batch_soa *s, size_t i, __m256d t) {
  __m256d tau = tau4(s, i, t);
  /* θ = θ0 + w·τ, not fused: the same rounding as the scalar path. */
  __m256d th = _mm256_add_pd(ld(s->ph[0], i), _mm256_mul_pd(ld(s->w[0], i), tau));
  __m256d sn, cs;
  sincos4(th, &sn, &cs);
  xyz4 o = {row2(s, 0, i, cs, sn), row2(s, 1, i, cs, sn), row2(s, 2, i, cs, sn)};
  return o;
}

static inline xyz4 sines4(const ha__batch_soa *s, size_t i, __m256d t) {
  __m256d tau = tau4(s, i, t);
  __m256d sn[3], unused;
  for (int k = 0; k < 3; k++) {
    __m256d arg = _mm256_add_pd(_mm256_mul_pd(ld(s->w[k], i), tau), ld(s->ph[k], i));
    sincos4(arg, &sn[k], &unused);
  }
  xyz4 o = {row3(s, 0, i, sn[0], sn[1], sn[2]), row3(s, 1, i, sn[0], sn[1], sn[2]),
            row3(s, 2, i, sn[0], sn[1], sn[2])};
  return o;
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
  __m256i mask =
      _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)rem), _mm256_setr_epi64x(0, 1, 2, 3));
  _mm256_maskstore_pd(x + i, mask, o.x);
  _mm256_maskstore_pd(y + i, mask, o.y);
  _mm256_maskstore_pd(z + i, mask, o.z);
}

/* Evaluate tracks [i0, i0 + n) four at a time with `body`. (Inlined into
 * each kernel with `body` known, so that call is inlined too.) */
static inline void for_runs(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                            double *y, double *z,
                            xyz4 (*body)(const ha__batch_soa *, size_t, __m256d)) {
  __m256d tv = _mm256_set1_pd(t);
  for (size_t i = i0, end = i0 + n; i < end; i += 4) {
    store4(body(s, i, tv), i, end - i, x, y, z);
  }
}

void ha__batch_circle_avx2(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                           double *y, double *z) {
  for_runs(s, i0, n, t, x, y, z, circle4);
}

void ha__batch_sines_avx2(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                          double *y, double *z) {
  for_runs(s, i0, n, t, x, y, z, sines4);
}
