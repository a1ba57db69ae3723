/* What the vector kernel files (src/engine/simd, named *_vec.c) share: the
 * vector vocabulary of one width, sin/cos of a vector of doubles, the time
 * mapping of a vector of tracks, loads and masked stores. batch_vec.c's
 * opening comment explains the design (the sincos scheme, the two passes,
 * the masked last vector). Included only by those files.
 *
 * Each kernel file is compiled twice (CMakeLists.txt): with HA_VW = 4 and
 * -mavx2 -mfma (the AVX2 kernels, __m256d, names ending in _avx2), and
 * with HA_VW = 8 and -mavx512f -mavx512dq -mavx512vl (the AVX-512
 * kernels, __m512d, names ending in _avx512). The kernels are written once
 * against the names below: VW lanes of vd (doubles) or vi (64-bit
 * integers), and vm, a mask of VW lanes. With AVX2 a mask is a vector
 * read by its lanes' sign bits (a compare's all-ones or all-zeros lanes, or
 * any double's sign: vsignmask, for vsel and the vm_ functions only); with
 * AVX-512 it is a mask register (__mmask8), what its compares give and its
 * blends, zeroing moves and masked stores take. Masks are made by vcmp,
 * vcmpgt_i64 and vsignmask, combined by vm_and, vm_or and vm_andnot,
 * applied by vsel, vkeep and vdrop, and read by vm_bits (bit q: lane q).
 * The few shuffles (transposes of per-lane loads) are written for four
 * lanes in 256-bit registers; with eight lanes each half runs them and
 * vjoin puts the halves together. */
#ifndef HOLOANIM_VEC_IMPL_H
#define HOLOANIM_VEC_IMPL_H

#include "batch_impl.h"

#include <immintrin.h>

#if !defined(HA_VW)
#define HA_VW 4
#endif
#define VW HA_VW

#if VW == 8
typedef __m512d vd;
typedef __m512i vi;
#define VFULL 0xffu
#define HA__V(name) name##_avx512
#define vset1 _mm512_set1_pd
#define vzero _mm512_setzero_pd
#define vadd _mm512_add_pd
#define vsub _mm512_sub_pd
#define vmul _mm512_mul_pd
#define vdiv _mm512_div_pd
#define vfmadd _mm512_fmadd_pd
#define vfnmadd _mm512_fnmadd_pd
#define vmin _mm512_min_pd
#define vmax _mm512_max_pd
#define vsqrt _mm512_sqrt_pd
#define vfloor _mm512_floor_pd
#define vand _mm512_and_pd
#define vxor _mm512_xor_pd
#define vload _mm512_load_pd
#define vloadu _mm512_loadu_pd
#define vstore _mm512_store_pd
#define vstoreu _mm512_storeu_pd
#define vstoreu_i(p, v) _mm512_storeu_si512((void *)(p), (v))
#define vcast_i2d _mm512_castsi512_pd
#define vcast_d2i _mm512_castpd_si512
#define vset1_i64(v) _mm512_set1_epi64(v)
#define vslli _mm512_slli_epi64
#define vsrli _mm512_srli_epi64
#define vadd_i64 _mm512_add_epi64
#define vsub_i64 _mm512_sub_epi64
#define vand_i _mm512_and_si512
#define vor_i _mm512_or_si512
#define vxor_i _mm512_xor_si512
#define vmul_epu32 _mm512_mul_epu32
typedef __mmask8 vm;
#define vcmp(a, b, p) _mm512_cmp_pd_mask((a), (b), (p))
#define vcmpgt_i64(a, b) _mm512_cmpgt_epi64_mask((a), (b))
static inline vm vm_and(vm a, vm b) {
  return (vm)(a & b);
}
static inline vm vm_or(vm a, vm b) {
  return (vm)(a | b);
}
/* (not a) and b */
static inline vm vm_andnot(vm a, vm b) {
  return (vm)(~a & b);
}
static inline unsigned vm_bits(vm m) {
  return m;
}
static inline vm vm_none(void) {
  return 0;
}
static inline vm vsignmask(vd v) {
  return _mm512_movepi64_mask(_mm512_castpd_si512(v));
}
/* yes where m, no elsewhere */
static inline vd vsel(vm m, vd yes, vd no) {
  return _mm512_mask_blend_pd(m, no, yes);
}
/* v where m, 0 elsewhere */
static inline vd vkeep(vd v, vm m) {
  return _mm512_maskz_mov_pd(m, v);
}
/* 0 where m, v elsewhere */
static inline vd vdrop(vm m, vd v) {
  return _mm512_maskz_mov_pd((vm)~m, v);
}
static inline vd vmaskload(const double *p, vm m) {
  return _mm512_maskz_loadu_pd(m, p);
}
static inline void vmaskstore(double *p, vm m, vd v) {
  _mm512_mask_storeu_pd(p, m, v);
}
static inline vi vlane_index(void) {
  return _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
}
static inline double vhmax(vd v) {
  return _mm512_reduce_max_pd(v);
}
/* Two 4-lane halves as one vector, and back. */
static inline vd vjoin(__m256d lo, __m256d hi) {
  return _mm512_insertf64x4(_mm512_castpd256_pd512(lo), hi, 1);
}
static inline __m256d vhalf(vd v, int h) {
  return h ? _mm512_extractf64x4_pd(v, 1) : _mm512_castpd512_pd256(v);
}
#elif VW == 4
typedef __m256d vd;
typedef __m256i vi;
#define VFULL 0xfu
#define HA__V(name) name##_avx2
#define vset1 _mm256_set1_pd
#define vzero _mm256_setzero_pd
#define vadd _mm256_add_pd
#define vsub _mm256_sub_pd
#define vmul _mm256_mul_pd
#define vdiv _mm256_div_pd
#define vfmadd _mm256_fmadd_pd
#define vfnmadd _mm256_fnmadd_pd
#define vmin _mm256_min_pd
#define vmax _mm256_max_pd
#define vsqrt _mm256_sqrt_pd
#define vfloor _mm256_floor_pd
#define vand _mm256_and_pd
#define vxor _mm256_xor_pd
#define vload _mm256_load_pd
#define vloadu _mm256_loadu_pd
#define vstore _mm256_store_pd
#define vstoreu _mm256_storeu_pd
#define vstoreu_i(p, v) _mm256_storeu_si256((__m256i *)(void *)(p), (v))
#define vcast_i2d _mm256_castsi256_pd
#define vcast_d2i _mm256_castpd_si256
#define vset1_i64(v) _mm256_set1_epi64x(v)
#define vslli _mm256_slli_epi64
#define vsrli _mm256_srli_epi64
#define vadd_i64 _mm256_add_epi64
#define vsub_i64 _mm256_sub_epi64
#define vand_i _mm256_and_si256
#define vor_i _mm256_or_si256
#define vxor_i _mm256_xor_si256
#define vmul_epu32 _mm256_mul_epu32
typedef __m256d vm;
#define vcmp _mm256_cmp_pd
#define vcmpgt_i64(a, b) _mm256_castsi256_pd(_mm256_cmpgt_epi64((a), (b)))
#define vm_and _mm256_and_pd
#define vm_or _mm256_or_pd
#define vm_andnot _mm256_andnot_pd
#define vm_bits(m) ((unsigned)_mm256_movemask_pd(m))
#define vm_none _mm256_setzero_pd
/* vsel, vm_and, vm_or, vm_andnot and vm_bits read (and keep) a mask's
 * sign bits alone, so there any double's sign bits are a mask as they are
 * (vsignmask); vkeep and vdrop (and, andnot: cheaper than a blend) need
 * whole lanes, a compare's. */
#define vsignmask(v) (v)
#define vsel(m, yes, no) _mm256_blendv_pd((no), (yes), (m))
#define vkeep(v, m) _mm256_and_pd((v), (m))
#define vdrop _mm256_andnot_pd
#define vmaskload(p, m) _mm256_maskload_pd((p), _mm256_castpd_si256(m))
#define vmaskstore(p, m, v) _mm256_maskstore_pd((p), _mm256_castpd_si256(m), (v))
static inline vi vlane_index(void) {
  return _mm256_setr_epi64x(0, 1, 2, 3);
}
static inline double vhmax(vd v) {
  __m256d m = _mm256_max_pd(v, _mm256_permute4x64_pd(v, 0x4e));
  return _mm256_cvtsd_f64(_mm256_max_pd(m, _mm256_permute_pd(m, 5)));
}
static inline vd vjoin(__m256d lo, __m256d hi) {
  (void)hi;
  return lo;
}
static inline __m256d vhalf(vd v, int h) {
  (void)h;
  return v;
}
#else
#error "HA_VW must be 4 or 8"
#endif

/* The alignment of a vd in memory: VW doubles, 32 or 64 bytes. */
#define VALIGN (VW * 8)

/* Tracks (or times) per chunk of the two-pass loops: the pass-1 buffer,
 * 1 KiB on the stack, stays in L1. A multiple of 8 (VW). */
#define CHUNK 128

/* π/2 = P1 + P2 (+ P3 = -1.4973849048591698e-33, dropped: see sincos_v),
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

static inline vd abs_v(vd v) {
  return vand(v, vcast_i2d(vset1_i64(0x7fffffffffffffffLL)));
}

/* sin and cos of VW angles (see the file comment). */
static HA__ALWAYS_INLINE void sincos_v(vd x, vd *sin_out, vd *cos_out) {
  /* NaN and huge arguments become 0 (the compare is false for NaN). */
  vm ok = vcmp(abs_v(x), vset1(1073741824.0), _CMP_LE_OQ);
  x = vkeep(x, ok);
  /* k = x·2/π rounded to nearest (one rounding, in the FMA); kd keeps k in
   * its low mantissa bits for the quadrant below. */
  const vd magic = vset1(ROUND_MAGIC);
  vd kd = vfmadd(x, vset1(TWO_OVER_PI), magic);
  vd k = vsub(kd, magic);
  /* x − k·P1 is exact (FMA, and r needs at most 53 bits); the P2 term leaves
   * r within half an ulp; the P3 term (|k·P3| < 2e-24 for |x| ≤ 2^30) is
   * below that ulp whenever |r| > 1e-8, and below 1e-24 in absolute terms
   * always: positions only need the absolute error. */
  vd r = vfnmadd(k, vset1(PIO2_1), x);
  r = vfnmadd(k, vset1(PIO2_2), r);
  vd z = vmul(r, r);

  vd z2 = vmul(z, z);
  vd s12 = vfmadd(vset1(S2), z, vset1(S1));
  vd s34 = vfmadd(vset1(S4), z, vset1(S3));
  vd s56 = vfmadd(vset1(S6), z, vset1(S5));
  vd ps = vfmadd(vfmadd(s56, z2, s34), z2, s12);
  vd sr = vfmadd(ps, vmul(z, r), r);

  vd c12 = vfmadd(vset1(C2), z, vset1(C1));
  vd c34 = vfmadd(vset1(C4), z, vset1(C3));
  vd c56 = vfmadd(vset1(C6), z, vset1(C5));
  vd pc = vfmadd(vfmadd(c56, z2, c34), z2, c12);
  vd cr = vfmadd(pc, z2, vfnmadd(z, vset1(0.5), vset1(1.0)));

  /* Quadrant q = k mod 4 = the low bits of kd (2^51 + k in the mantissa;
   * 2^51 ≡ 0 mod 4), no conversion needed. q odd swaps sin and cos (bit 0
   * shifted into the sign bit, which is all vsignmask reads); sin is negated
   * for q ∈ {2, 3}, cos for q ∈ {1, 2}: bit 1 of q and of q + 1, moved to
   * the sign bit. */
  vi q = vcast_d2i(kd);
  const vi two = vset1_i64(2);
  vd swap = vcast_i2d(vslli(q, 63));
  vd sign_s = vcast_i2d(vslli(vand_i(q, two), 62));
  vd sign_c = vcast_i2d(vslli(vand_i(vadd_i64(q, vset1_i64(1)), two), 62));
  vm odd = vsignmask(swap);
  *sin_out = vxor(vsel(odd, cr, sr), sign_s);
  *cos_out = vxor(vsel(odd, sr, cr), sign_c);
}

static inline vd ld(const double *f, size_t i) {
  return vloadu(f + i);
}

/* a = t·speed − shift, non-finite (t NaN or ±inf) counted as 0 as in
 * ha_motion_eval. */
static HA__ALWAYS_INLINE vd time_arg_v(vd t, vd speed, vd shift) {
  vd a = vsub(vmul(t, speed), shift);
  return vkeep(a, vcmp(abs_v(a), vset1(HUGE_VAL), _CMP_LT_OQ));
}

/* a folded into the cycle of T: *loop in [0, T), *pingpong in [0, T] (r
 * outside the cycle, below 0 or |a|/T beyond 2^53, → 0, as ha__batch_tau).
 * A caller that reads one of them leaves the other's work to the
 * compiler's dead-code pass. */
static HA__ALWAYS_INLINE void fold_v(vd a, vd T, vd *loop, vd *pingpong) {
  const vd zero = vzero();
  /* k = floor(a/T), r = a − T·k, into [0, T). */
  vd k = vfloor(vdiv(a, T));
  vd r = vsub(a, vmul(T, k));
  vm wrap = vcmp(r, T, _CMP_GE_OQ);
  r = vsel(wrap, vsub(r, T), r);
  k = vadd(k, vkeep(vset1(1.0), wrap));
  vm from0 = vcmp(r, zero, _CMP_GE_OQ);
  *loop = vkeep(r, vm_and(from0, vcmp(r, T, _CMP_LT_OQ)));
  r = vkeep(r, vm_and(from0, vcmp(r, T, _CMP_LE_OQ)));
  vd half = vfloor(vmul(k, vset1(0.5)));
  vd parity = vsub(k, vadd(half, half));
  vm even = vcmp(parity, zero, _CMP_EQ_OQ);
  *pingpong = vsel(even, r, vsub(T, r));
}

/* τ of tracks i..i + VW − 1 at transport time t (ha__batch_tau_at per lane). */
static inline vd tau_v(const ha__batch_soa *s, size_t i, vd t) {
  vd T = ld(s->T, i);
  vd mode = ld(s->mode, i);
  vd a = time_arg_v(t, ld(s->speed, i), ld(s->shift, i));
  vd loop, pingpong;
  fold_v(a, T, &loop, &pingpong);
  /* once: clamp(a, 0, T). */
  vd once = vmin(vmax(a, vzero()), T);
  vm is_pp = vcmp(mode, vset1(1.5), _CMP_GT_OQ);
  vm is_once = vcmp(mode, vset1(0.5), _CMP_LT_OQ);
  return vsel(is_once, once, vsel(is_pp, pingpong, loop));
}

/* ---- hashing (random, perlin-noise) ----
 *
 * The last round of noise.h's hash (model.c: ha__noise_last) in 64-bit
 * lanes: xor-shifts as they are, each 64-bit multiply one AVX-512 vpmullq,
 * or with AVX2 three 32 × 32 multiplies (the high product is not needed
 * modulo 2^64). Integers and
 * doubles convert exactly through the 2^52 (and 1.5·2^52) magic numbers:
 * every value involved is an integer below 2^52 in magnitude. */
static HA__ALWAYS_INLINE vi mul64c(vi a, uint64_t c) {
#if VW == 8
  return _mm512_mullo_epi64(a, _mm512_set1_epi64((long long)c)); /* AVX512DQ */
#else
  const vi lo = vset1_i64((long long)(c & 0xffffffffu));
  const vi hi = vset1_i64((long long)(c >> 32));
  vi cross = vadd_i64(vmul_epu32(vsrli(a, 32), lo), vmul_epu32(a, hi));
  return vadd_i64(vmul_epu32(a, lo), vslli(cross, 32));
#endif
}
static HA__ALWAYS_INLINE vi mix_v(vi h) {
  h = vxor_i(h, vsrli(h, 33));
  h = mul64c(h, 0xff51afd7ed558ccdull);
  h = vxor_i(h, vsrli(h, 33));
  h = mul64c(h, 0xc4ceb9fe1a85ec53ull);
  return vxor_i(h, vsrli(h, 33));
}
/* An integer-valued double (|v| < 2^51) as its int64. */
static HA__ALWAYS_INLINE vi to_i64(vd v) {
  const vd magic = vset1(ROUND_MAGIC);
  return vsub_i64(vcast_d2i(vadd(v, magic)), vcast_d2i(magic));
}
/* 2·u − 1 (noise.h's ha__noise_signed) of the last hash round of (h3, key),
 * u the top 53 bits of h over 2^53, exactly: 2u − 1 = (h >> 11)·2^−52 − 1
 * is a multiple of 2^−52 below 1 in magnitude, so a double; with
 * v = 2 + (h >> 12)·2^−51 ∈ [2, 4) (h's bits under 2.0's exponent) it is
 * (v − 3) + b·2^−52, b = bit 11 of h: v − 3 is exact (Sterbenz), and so is
 * the sum, representable. */
static HA__ALWAYS_INLINE vd signed_v(vi h3, vi key) {
  vi h = mix_v(vxor_i(h3, vadd_i64(key, vset1_i64((long long)0x8cb92ba72f3d8dd7ull))));
  vd v = vcast_i2d(vor_i(vsrli(h, 12), vcast_d2i(vset1(2.0))));
  /* Bit 11 moved to the sign bit selects 2^−52. */
  vd low = vsel(vsignmask(vcast_i2d(vslli(h, 52))), vset1(0x1p-52), vzero());
  return vadd(vsub(v, vset1(3.0)), low);
}

/* One output vector triple. */
typedef struct xyz_v {
  vd x, y, z;
} xyz_v;

/* v + m[:,col]·a, row by row. */
static HA__ALWAYS_INLINE xyz_v add_col(const ha__batch_soa *s, size_t i, xyz_v v, int col, vd a) {
  v.x = vfmadd(ld(s->m[0][col], i), a, v.x);
  v.y = vfmadd(ld(s->m[1][col], i), a, v.y);
  v.z = vfmadd(ld(s->m[2][col], i), a, v.z);
  return v;
}

/* c + M·l of tracks i..i + VW − 1 (the folded frame on a local position). */
static HA__ALWAYS_INLINE xyz_v frame_v(const ha__batch_soa *s, size_t i, const vd l[3]) {
  xyz_v v = {ld(s->c[0], i), ld(s->c[1], i), ld(s->c[2], i)};
  for (int col = 0; col < 3; col++) {
    v = add_col(s, i, v, col, l[col]);
  }
  return v;
}

/* The blended wrap (ha__batch_seam) of tracks i..i + VW − 1 at τ. */
static HA__ALWAYS_INLINE xyz_v seam_v(const ha__batch_soa *s, size_t i, vd tau, xyz_v v) {
  const vd zero = vzero();
  vd from = ld(s->rho[1], i), win = ld(s->rho[2], i);
  vm in = vm_and(vcmp(win, zero, _CMP_GT_OQ), vcmp(tau, from, _CMP_GT_OQ));
  if (vm_bits(in) == 0) {
    return v;
  }
  vd u = vmin(vdiv(vsub(tau, from), win), vset1(1.0));
  vd w = vmul(vmul(u, u), vsub(vset1(3.0), vadd(u, u)));
  w = vkeep(w, in);
  v.x = vadd(v.x, vmul(vsub(ld(s->n[0][0], i), v.x), w));
  v.y = vadd(v.y, vmul(vsub(ld(s->n[1][0], i), v.y), w));
  v.z = vadd(v.z, vmul(vsub(ld(s->n[2][0], i), v.z), w));
  return v;
}

/* The lanes q < rem (all VW when rem ≥ VW). */
static inline vm lanes_below(size_t rem) {
  return vcmpgt_i64(vset1_i64((long long)(rem < VW ? rem : VW)), vlane_index());
}

/* The largest of v[0 .. VW·nv) (v VALIGN-byte aligned) and 0. */
static inline double max_of_v(const double *v, size_t nv) {
  vd most = vzero();
  for (size_t g = 0; g < VW * nv; g += VW) {
    most = vmax(most, vload(v + g));
  }
  return vhmax(most);
}

/* Store the first `rem` lanes of o at x/y/z + i (rem ≥ 1; all VW when
 * rem ≥ VW). Masked stores never touch the other lanes' memory. */
static inline void store_v(xyz_v o, size_t i, size_t rem, double *x, double *y, double *z) {
  if (rem >= VW) {
    vstoreu(x + i, o.x);
    vstoreu(y + i, o.y);
    vstoreu(z + i, o.z);
    return;
  }
  vm mask = lanes_below(rem);
  vmaskstore(x + i, mask, o.x);
  vmaskstore(y + i, mask, o.y);
  vmaskstore(z + i, mask, o.z);
}

/* Two doubles at each lane's p[l]: first[l] = p[l][0], second[l] =
 * p[l][1] (one 16-byte load per lane, transposed four lanes at a time in
 * 256-bit halves). */
static HA__ALWAYS_INLINE void pairs_v(const double *const p[VW], vd *first, vd *second) {
  __m256d f[VW / 4], g[VW / 4];
  for (int h = 0; h < VW / 4; h++) {
    const double *const *q = p + 4 * h;
    __m256d even =
        _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(q[0])), _mm_loadu_pd(q[2]), 1);
    __m256d odd =
        _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(q[1])), _mm_loadu_pd(q[3]), 1);
    f[h] = _mm256_unpacklo_pd(even, odd);
    g[h] = _mm256_unpackhi_pd(even, odd);
  }
  *first = vjoin(f[0], f[VW / 4 - 1]);
  *second = vjoin(g[0], g[VW / 4 - 1]);
}

/* Tracks [i0, i0 + n) in chunks of CHUNK and two passes per chunk
 * (batch_vec.c's file comment): first(s, i, tv, arg), VW tracks' first
 * values into a buffer, then rest(s, i, those values, arg) → the VW
 * positions, stored. Both functions are constants after inlining. */
static HA__ALWAYS_INLINE void two_passes(const ha__batch_soa *s, size_t i0, size_t n, double t,
                                         double *x, double *y, double *z,
                                         vd (*first)(const ha__batch_soa *, size_t, vd, int),
                                         xyz_v (*rest)(const ha__batch_soa *, size_t, vd, int),
                                         int arg) {
  _Alignas(VALIGN) double buf[CHUNK];
  vd tv = vset1(t);
  for (size_t c0 = i0, end = i0 + n; c0 < end; c0 += CHUNK) {
    size_t m = end - c0 < CHUNK ? end - c0 : CHUNK;
    for (size_t j = 0; j < m; j += VW) {
      vstore(buf + j, first(s, c0 + j, tv, arg));
    }
    for (size_t j = 0; j < m; j += VW) {
      store_v(rest(s, c0 + j, vload(buf + j), arg), c0 + j - i0, m - j, x, y, z);
    }
  }
}

/* Kernel `name` (ha__batch_kernel_fn, its ISA suffix added) as
 * run(s, i0, n, t, x, y, z, arg): one loop body for several kinds. */
#define HA__KERNEL_VIA(name, run, arg)                                                          \
  void HA__V(name)(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x, double *y, \
                   double *z) {                                                                 \
    run(s, i0, n, t, x, y, z, arg);                                                             \
  }

/* Kernel `name` (ha__batch_kernel_fn) evaluating its run VW tracks at a
 * time with at_v(s, i, rem, t) → xyz_v, the last vector masked. */
#define HA__LANES_KERNEL(name, at_v)                                                     \
  void name(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x, double *y, \
            double *z) {                                                                 \
    const vd tv = vset1(t);                                                              \
    for (size_t i = i0, end = i0 + n; i < end; i += VW) {                                \
      store_v(at_v(s, i, end - i, tv), i - i0, end - i, x, y, z);                        \
    }                                                                                    \
  }

/* ---- the integrated kernels' grid (ATTRACT, PENDULUM), VW lanes at a time ----
 * ha__grid_index and ha__grid_resume (batch_impl.h) for the VW slots
 * [at, at + VW) of a run [.., end), in one pass so that each lane's data is
 * read once: grid_heads_v reads each lane's table header and cache step
 * (and resets a cache of another data version, as ha__grid_resume does),
 * grid_plan_v computes the grid index, the checkpoint and which state to
 * resume from in doubles (every value an integer below 2^53, and
 * floor(k / stride) of a division is exact for k below 2^46), grid_state
 * gives the state a lane resumes from, grid_remember writes the cache
 * back. One lane in scalar code took ~60 cycles (a division, an integer
 * division, conversions, a chain of branches). The kernels work on chunks
 * of HA__GRID_LANES slots and prefetch the next chunk's (grid_prefetch_v):
 * eight vectors, so that each stage of a step has enough independent
 * chains to overlap (32 slots with AVX2; with AVX-512, 64 measured 7–9%
 * faster than 32 for PENDULUM and ATTRACT at 100,000 tracks, best of six
 * runs each, and 128 no faster than 64). */
#define HA__GRID_LANES (8 * VW)

typedef struct grid_v {
  vd stride, count;              /* the table's checkpoint spacing and count */
  vd e0, e1;                     /* the table's aux[3], aux[4] (PENDULUM: its folds) */
  vd kc;                         /* the cache's step, −1: none */
  vd k, from;                    /* out: the grid index, the step resumed from */
  _Alignas(VALIGN) double j[VW]; /* out: the checkpoint (when not cached) */
  unsigned cached;               /* out: bit q, resume from the cache */
} grid_v;

/* Headers and cache steps of lanes [at, at + VW) ∩ [.., end) (ny state
 * doubles); lanes past the run 1, 1, 0, 0, −1 (at rest, taking no step). */
static HA__ALWAYS_INLINE void grid_heads_v(const ha__batch_soa *s, size_t at, size_t end, size_t ny,
                                           grid_v *g) {
  double v[5][VW];
  _Pragma("GCC unroll 8") for (size_t q = 0; q < VW; q++) {
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
  g->stride = vloadu(v[0]);
  g->count = vloadu(v[1]);
  g->e0 = vloadu(v[2]);
  g->e1 = vloadu(v[3]);
  g->kc = vloadu(v[4]);
}

/* The grid index of τ, the checkpoint at or before it and the state to
 * resume from. The index: an estimate within one of ⌊τ/dt⌋ (τ·1000, no
 * division), then ha__grid_index's two corrections, which land on the
 * largest k with k·dt ≤ τ from either side, the same k. */
static HA__ALWAYS_INLINE void grid_plan_v(grid_v *g, vd tau) {
  const vd dt = vset1(HA__GRID_DT), one = vset1(1.0);
  const vd zero = vzero();
  vd k = vfloor(vmul(tau, vset1(1.0 / HA__GRID_DT)));
  vm up = vcmp(vmul(vadd(k, one), dt), tau, _CMP_LE_OQ);
  vm down = vm_andnot(up, vm_and(vcmp(k, zero, _CMP_GT_OQ), vcmp(vmul(k, dt), tau, _CMP_GT_OQ)));
  k = vsub(vadd(k, vkeep(one, up)), vkeep(one, down));
  k = vkeep(k, vcmp(tau, zero, _CMP_GT_OQ)); /* !(τ > 0): 0 */
  vd j = vmin(vfloor(vdiv(k, g->stride)), vsub(g->count, one));
  vd cp = vmul(j, g->stride);
  vd y = g->kc;
  vd kc = vfloor(y); /* (int64_t) of a value ≥ 0 */
  vm use =
      vm_and(vm_and(vcmp(y, zero, _CMP_GE_OQ), vcmp(y, k, _CMP_LE_OQ)), vcmp(kc, cp, _CMP_GT_OQ));
  g->k = k;
  g->from = vsel(use, kc, cp);
  vstore(g->j, j);
  g->cached = vm_bits(use);
}

/* The state (ny doubles) lane q of slot r resumes from. */
static HA__ALWAYS_INLINE const double *grid_state(const ha__batch_ref *r, size_t q, size_t ny,
                                                  const grid_v *g) {
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

/* Prefetches for the VW slots [at, at + VW) of a run [.., end): the
 * ref targets (grid_prefetch) of the slots a chunk ahead, the refs of the
 * slots two chunks ahead (which those prefetches read; past the run too). The caches are 12.8 MB at
 * 100,000 tracks, and the hardware did not follow them. (-mavx2 has no prefetchw.) */
static HA__ALWAYS_INLINE void grid_prefetch_v(const ha__batch_soa *s, size_t at, size_t end,
                                              size_t ny) {
  /* The VW refs two chunks ahead (VW · 40 bytes). */
  size_t after = (at + 2 * HA__GRID_LANES) * sizeof(ha__batch_ref);
  for (size_t b = 0; b < VW * sizeof(ha__batch_ref) + 64; b += 64) {
    prefetch_at(s->ref, after + b);
  }
  _Pragma("GCC unroll 8") for (size_t q = 0; q < VW; q++) {
    size_t next = at + q + HA__GRID_LANES;
    if (next < end) {
      grid_prefetch(&s->ref[next], ny);
    }
  }
}

/* The first chunk's of a run [i, end) (grid_prefetch_v prefetches a chunk
 * ahead; a mixed batch calls a kernel on runs of 256 slots or fewer, 8
 * chunks). */
static HA__ALWAYS_INLINE void grid_prefetch_first(const ha__batch_soa *s, size_t i, size_t end,
                                                  size_t ny) {
  for (size_t l = i; l < i + HA__GRID_LANES && l < end; l++) {
    grid_prefetch(&s->ref[l], ny);
  }
}

#endif
