/* Vector batch kernels: VW tracks per instruction (4 with AVX2 + FMA, 8
 * with AVX-512: vec_impl.h), in double.
 *
 * The same computation as the scalar reference in batch.c, lane by lane:
 *   - the time mapping repeats ha_time_map's operations exactly (division,
 *     floor, multiply, subtract, never fused), so τ is bit-identical to the
 *     scalar path's and a loop wrap is never decided differently; the three
 *     loop modes are all computed and blended per lane;
 *   - p = τ/T and θ = ph + w·p, not fused either: bit-identical to the
 *     scalar θ (and, for CIRCLE, to the model's: batch_impl.h);
 *   - sin and cos are our own, so neither libmvec nor -ffast-math is needed
 *     (-ffast-math would also remove NaN checks):
 *       1. k = round(x·2/π), r = x − k·π/2 with π/2 split in two doubles
 *          (Cody–Waite). The first product is subtracted with an FMA, which is
 *          exact here since r needs at most 53 bits; the tail carries the
 *          next 53 bits of π/2, so r is good to an ulp, in absolute terms,
 *          for |x| up to 2^30 (validated parameters stay below 10^4 rad).
 *          k is rounded by adding 1.5·2^52 (in the same FMA as the product),
 *          which leaves k mod 4 in the low mantissa bits: no round or
 *          float-to-int conversion instruction (both long latency).
 *       2. on r ∈ [−π/4, π/4], z = r²: sin r = r + r³·S(z), cos r =
 *          1 − z/2 + z²·C(z), S and C of degree 5 evaluated by Estrin's scheme
 *          (shorter dependency chains than Horner): weighted minimax fits
 *          (Remez exchange in 60-digit arithmetic; relative error of sin
 *          3.4e-18, absolute error of cos 1.5e-19 before the coefficients are
 *          rounded to double), so results are within about an ulp of libm.
 *       3. the quadrant k mod 4 swaps sin/cos and flips signs (bit operations
 *          on those mantissa bits).
 *     |x| > 2^30 (unreachable from validated input) and NaN are evaluated as
 *     x = 0, so no lane can produce NaN.
 * Rejected: glibc's libmvec (needs -ffast-math, glibc only), float (1e-9 m
 * agreement needs double), a scalar loop for partial vectors (see below).
 *
 * Two passes. Each vector is one long dependency chain (the division and
 * floor of the time mapping, the range reduction, the polynomials: ~100
 * cycles), and the out-of-order window holds only about
 * three iterations of a loop doing it all, so one fused loop stalls on
 * latency. The kernels therefore run over chunks of CHUNK lanes in two
 * loops: the time mapping (and θ) into a buffer, then sin/cos and the
 * output; each loop's chain is short enough for the window to overlap many
 * iterations: 1.3x (batch) to 1.5x (one motion at many times) faster.
 * Rejected after measuring (one motion at many times, Zen 4): the divisions
 * replaced by a reciprocal and an FMA correction (Markstein; bit-identical
 * but no faster: the FMA ports, not the divider, bound the loops); and
 * the last term of each polynomial dropped (4% faster; 7e-12 from libm
 * without a refit, 7e-9 m on a 1000 m radius).
 *
 * A run whose length is not a multiple of VW ends with a partial vector: the
 * full vector is loaded anyway (the field arrays have slack and are zeroed,
 * batch_impl.h), computed by the same code, and only the run's lanes are
 * stored (masked stores), so a 1-track run costs one vector iteration. The
 * other lanes belong to other tracks or are zero (T = 0 gives NaN there);
 * they never leave the registers. */
#include "vec_impl.h"

/* c_r + m_r0·a + m_r1·b (+ m_r2·d) for output row r. */
static inline vd row2(const ha__batch_soa *s, int r, size_t i, vd a, vd b) {
  vd v = vfmadd(ld(s->m[r][0], i), a, ld(s->c[r], i));
  return vfmadd(ld(s->m[r][1], i), b, v);
}
static inline vd row3(const ha__batch_soa *s, int r, size_t i, vd a, vd b, vd d) {
  return vfmadd(ld(s->m[r][2], i), d, row2(s, r, i, a, b));
}

/* Pass 1 (see the file comment): p = τ/T for SINES, θ = θ0 + w·p for
 * CIRCLE, not fused: the scalar path's (and the models') rounding. */
static HA__ALWAYS_INLINE vd pass1(const ha__batch_soa *s, size_t i, vd t, int sines) {
  vd p = vdiv(tau_v(s, i, t), ld(s->T, i));
  return sines ? p : vadd(ld(s->ph[0], i), vmul(ld(s->w[0], i), p));
}

static HA__ALWAYS_INLINE xyz_v circle_v(const ha__batch_soa *s, size_t i, vd th) {
  vd sn, cs;
  sincos_v(th, &sn, &cs);
  xyz_v o = {row2(s, 0, i, cs, sn), row2(s, 1, i, cs, sn), row2(s, 2, i, cs, sn)};
  return o;
}

/* Written out rather than as a loop over k: GCC kept that loop, with the
 * sines in memory, which was about 2x slower. */
static HA__ALWAYS_INLINE xyz_v sines_v(const ha__batch_soa *s, size_t i, vd p) {
  vd s0, s1, s2, unused;
  sincos_v(vadd(vmul(ld(s->w[0], i), p), ld(s->ph[0], i)), &s0, &unused);
  sincos_v(vadd(vmul(ld(s->w[1], i), p), ld(s->ph[1], i)), &s1, &unused);
  sincos_v(vadd(vmul(ld(s->w[2], i), p), ld(s->ph[2], i)), &s2, &unused);
  xyz_v o = {row3(s, 0, i, s0, s1, s2), row3(s, 1, i, s0, s1, s2), row3(s, 2, i, s0, s1, s2)};
  return o;
}

/* Pass 2: the positions of CIRCLE (θ in b) or SINES (p in b). */
static HA__ALWAYS_INLINE xyz_v pass2(const ha__batch_soa *s, size_t i, vd b, int sines) {
  return sines ? sines_v(s, i, b) : circle_v(s, i, b);
}

/* Evaluate tracks [i0, i0 + n) a vector at a time, in chunks of CHUNK tracks
 * and two passes per chunk (see the file comment). */
static HA__ALWAYS_INLINE void for_runs(const ha__batch_soa *s, size_t i0, size_t n, double t,
                                       double *x, double *y, double *z, int sines) {
  two_passes(s, i0, n, t, x, y, z, pass1, pass2, sines);
}

HA__KERNEL_VIA(ha__batch_circle, for_runs, 0)

HA__KERNEL_VIA(ha__batch_sines, for_runs, 1)

/* ---- one motion, many times (ha_motion_eval_times) ----
 *
 * The parameters are broadcast once; each vector holds VW times. The loop
 * mode is known for the whole call, so only its branch of the time mapping
 * is computed, and the output layout too: planar arrays (stride 1), or
 * interleaved x, y, z (stride 3, y = x + 1, z = x + 2: what a JavaScript
 * Float64Array of positions holds), where four positions at a time are
 * transposed in registers into three 256-bit vectors (12 consecutive
 * doubles); any other stride is stored lane by lane. */

enum { LAYOUT_PLANAR = 0, LAYOUT_XYZ = 1, LAYOUT_STRIDED = 2 };

typedef struct times_v {
  vd T, speed, shift;
  vd c[3], m[3][3], w[3], ph[3];
} times_v;

static void times_v_init(const ha__times_params *p, times_v *v) {
  v->T = vset1(p->T);
  v->speed = vset1(p->speed);
  v->shift = vset1(p->shift);
  for (int r = 0; r < 3; r++) {
    v->c[r] = vset1(p->c[r]);
    v->w[r] = vset1(p->w[r]);
    v->ph[r] = vset1(p->ph[r]);
    for (int k = 0; k < 3; k++) {
      v->m[r][k] = vset1(p->m[r][k]);
    }
  }
}

/* τ of VW times: ha_time_map(t·speed − shift) lane by lane, for `mode`. */
static HA__ALWAYS_INLINE vd times_tau_v(const times_v *v, vd t, int mode) {
  vd a = time_arg_v(t, v->speed, v->shift);
  if (mode == HA_LOOP_ONCE) {
    return vmin(vmax(a, vzero()), v->T);
  }
  vd loop, pingpong;
  fold_v(a, v->T, &loop, &pingpong);
  return mode == HA_LOOP_LOOP ? loop : pingpong;
}

/* Pass 1 (see times_loop): p = τ/T for SINES, θ = θ0 + w·p for CIRCLE
 * (not fused, as pass1 above). */
static HA__ALWAYS_INLINE vd times_pass1(const times_v *v, vd t, int sines, int mode) {
  vd p = vdiv(times_tau_v(v, t, mode), v->T);
  return sines ? p : vadd(v->ph[0], vmul(v->w[0], p));
}

static HA__ALWAYS_INLINE xyz_v times_circle_v(const times_v *v, vd th) {
  vd sn, cs;
  sincos_v(th, &sn, &cs);
  xyz_v o;
  o.x = vfmadd(v->m[0][1], sn, vfmadd(v->m[0][0], cs, v->c[0]));
  o.y = vfmadd(v->m[1][1], sn, vfmadd(v->m[1][0], cs, v->c[1]));
  o.z = vfmadd(v->m[2][1], sn, vfmadd(v->m[2][0], cs, v->c[2]));
  return o;
}

/* Row r of c + m·(a, b, d). */
static HA__ALWAYS_INLINE vd times_row3(const times_v *v, int r, vd a, vd b, vd d) {
  vd acc = vfmadd(v->m[r][0], a, v->c[r]);
  acc = vfmadd(v->m[r][1], b, acc);
  return vfmadd(v->m[r][2], d, acc);
}

/* Written out, not as loops over k and r: GCC kept such loops (and the
 * three sines in memory), which was 2x slower. */
static HA__ALWAYS_INLINE xyz_v times_sines_v(const times_v *v, vd p) {
  vd s0, s1, s2, unused;
  sincos_v(vadd(vmul(v->w[0], p), v->ph[0]), &s0, &unused);
  sincos_v(vadd(vmul(v->w[1], p), v->ph[1]), &s1, &unused);
  sincos_v(vadd(vmul(v->w[2], p), v->ph[2]), &s2, &unused);
  xyz_v o = {times_row3(v, 0, s0, s1, s2), times_row3(v, 1, s0, s1, s2),
             times_row3(v, 2, s0, s1, s2)};
  return o;
}

/* Four positions as x0 y0 z0 x1 | y1 z1 x2 y2 | z2 x3 y3 z3. */
static HA__ALWAYS_INLINE void interleave4(__m256d x, __m256d y, __m256d z, __m256d *a, __m256d *b,
                                          __m256d *c) {
  __m256d xy02 = _mm256_unpacklo_pd(x, y);  /* x0 y0 | x2 y2 */
  __m256d xy13 = _mm256_unpackhi_pd(x, y);  /* x1 y1 | x3 y3 */
  __m256d zx = _mm256_unpacklo_pd(z, xy13); /* z0 x1 | z2 x3 */
  __m256d yz = _mm256_unpackhi_pd(xy13, z); /* y1 z1 | y3 z3 */
  *a = _mm256_permute2f128_pd(xy02, zx, 0x20);
  *b = _mm256_permute2f128_pd(yz, xy02, 0x30);
  *c = _mm256_permute2f128_pd(zx, yz, 0x31);
}

/* Store the first `rem` lanes of o as positions i, i + 1, ... (rem ≥ 1; all
 * VW when rem ≥ VW). */
static HA__ALWAYS_INLINE void times_store_v(xyz_v o, size_t i, size_t rem, const ha__times_out *d,
                                            int layout) {
  if (layout == LAYOUT_PLANAR) {
    store_v(o, i, rem, d->x, d->y, d->z);
    return;
  }
  if (layout == LAYOUT_XYZ && rem >= VW) {
    /* Four positions (12 doubles) per 256-bit half. */
    for (int h = 0; h < VW / 4; h++) {
      __m256d a, b, c;
      interleave4(vhalf(o.x, h), vhalf(o.y, h), vhalf(o.z, h), &a, &b, &c);
      double *p = d->x + 3 * (i + 4 * (size_t)h);
      _mm256_storeu_pd(p, a);
      _mm256_storeu_pd(p + 4, b);
      _mm256_storeu_pd(p + 8, c);
    }
    return;
  }
  double lx[VW], ly[VW], lz[VW];
  vstoreu(lx, o.x);
  vstoreu(ly, o.y);
  vstoreu(lz, o.z);
  for (size_t k = 0; k < rem && k < VW; k++) {
    d->x[(i + k) * d->stride] = lx[k];
    d->y[(i + k) * d->stride] = ly[k];
    d->z[(i + k) * d->stride] = lz[k];
  }
}

/* The loop over times for one kernel, mode and layout (all constants after
 * inlining: each combination is compiled as its own loop), in chunks of
 * CHUNK times and two passes per chunk (see the file comment). The last
 * partial vector loads only the caller's times (masked load; the other
 * lanes are 0, computed and not stored). */
static HA__ALWAYS_INLINE void times_loop(const times_v *v, const double *t, size_t n,
                                         const ha__times_out *d, int sines, int mode, int layout) {
  _Alignas(VALIGN) double buf[CHUNK];
  for (size_t i0 = 0; i0 < n; i0 += CHUNK) {
    size_t m = n - i0 < CHUNK ? n - i0 : CHUNK;
    size_t i = 0;
    for (; i + VW <= m; i += VW) {
      vstore(buf + i, times_pass1(v, vloadu(t + i0 + i), sines, mode));
    }
    if (i < m) {
      vm mask = lanes_below(m - i);
      vstore(buf + i, times_pass1(v, vmaskload(t + i0 + i, mask), sines, mode));
    }
    for (i = 0; i < m; i += VW) {
      vd b = vload(buf + i);
      times_store_v(sines ? times_sines_v(v, b) : times_circle_v(v, b), i0 + i, m - i, d, layout);
    }
  }
}

static int times_layout(const ha__times_out *d) {
  if (d->stride == 1) {
    return LAYOUT_PLANAR;
  }
  /* Compared as addresses: x + 2 need not point into the caller's x. */
  uintptr_t x = (uintptr_t)d->x;
  if (d->stride == 3 && (uintptr_t)d->y == x + sizeof(double) &&
      (uintptr_t)d->z == x + 2 * sizeof(double)) {
    return LAYOUT_XYZ;
  }
  return LAYOUT_STRIDED;
}

static HA__ALWAYS_INLINE void times_modes(const times_v *v, const double *t, size_t n,
                                          const ha__times_out *d, int sines, ha_loop_mode mode,
                                          int layout) {
  switch (mode) {
  case HA_LOOP_ONCE: times_loop(v, t, n, d, sines, HA_LOOP_ONCE, layout); break;
  case HA_LOOP_LOOP: times_loop(v, t, n, d, sines, HA_LOOP_LOOP, layout); break;
  case HA_LOOP_PINGPONG: times_loop(v, t, n, d, sines, HA_LOOP_PINGPONG, layout); break;
  }
}

static HA__ALWAYS_INLINE void times_kernel(const ha__times_params *p, const double *t, size_t n,
                                           const ha__times_out *d, int sines) {
  times_v v;
  times_v_init(p, &v);
  switch (times_layout(d)) {
  case LAYOUT_PLANAR: times_modes(&v, t, n, d, sines, p->mode, LAYOUT_PLANAR); break;
  case LAYOUT_XYZ: times_modes(&v, t, n, d, sines, p->mode, LAYOUT_XYZ); break;
  default: times_modes(&v, t, n, d, sines, p->mode, LAYOUT_STRIDED); break;
  }
}

void HA__V(ha__times_circle)(const ha__times_params *p, const double *t, size_t n,
                             const ha__times_out *d) {
  times_kernel(p, t, n, d, 0);
}

void HA__V(ha__times_sines)(const ha__times_params *p, const double *t, size_t n,
                            const ha__times_out *d) {
  times_kernel(p, t, n, d, 1);
}
