/* AVX2 + FMA shape kernels (LERP, ROT1, ROT2, WAVE: model_impl.h), four
 * tracks per instruction, in double.
 *
 * Lane by lane the scalar reference (batch.c, shape_at) with its operations
 * in the same order and never fused where the reference rounds twice: the
 * time mapping (tau4), p = τ/T, θ = θ0 + ω0·u, κ = ω1·θ, the clamp and the
 * easing are then bit-identical to the reference and to the models, and
 * only sin/cos (sincos4, within about an ulp of libm) and the final sums
 * (FMA) round differently: ~1e-13 m at 1000 m.
 *
 * Per-lane choices (the easing family and variant, the waveform, u = τ or p)
 * are computed for every lane and blended; the dearer branches (the sine
 * easing's cosine, the waveform's sine) only when a lane of the vector needs
 * them (one movemask). The same two passes as batch_avx2.c: u into a chunk
 * buffer, then the rest. */
#include "avx2_impl.h"

static HA__ALWAYS_INLINE __m256d eq4(__m256d a, double b) {
  return _mm256_cmp_pd(a, _mm256_set1_pd(b), _CMP_EQ_OQ);
}

/* ha_ease (easing.c) of four progresses q ∈ [0, 1], the family (−1 linear)
 * and variant (0 in, 1 out, 2 in-out) per lane; families 0–4, 6 and 7 (the
 * others never reach a kernel: ha__kernel_ease_ok). */
static HA__ALWAYS_INLINE __m256d ease4(__m256d fam, __m256d var, __m256d t) {
  const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
  const __m256d half = _mm256_set1_pd(0.5), two = _mm256_set1_pd(2.0);
  __m256d lin = _mm256_cmp_pd(fam, zero, _CMP_LT_OQ);
  __m256d r = t;
  if (_mm256_movemask_pd(lin) != 0xF) {
    __m256d lower = _mm256_cmp_pd(t, half, _CMP_LT_OQ);
    __m256d inout =
        select4(lower, _mm256_mul_pd(two, t), _mm256_sub_pd(two, _mm256_mul_pd(two, t)));
    __m256d tin = select4(eq4(var, 0.0), t, select4(eq4(var, 1.0), _mm256_sub_pd(one, t), inout));
    __m256d t2 = _mm256_mul_pd(tin, tin);
    __m256d t3 = _mm256_mul_pd(t2, tin);
    __m256d t4 = _mm256_mul_pd(t3, tin);
    __m256d t5 = _mm256_mul_pd(t4, tin);
    __m256d circ = _mm256_sub_pd(one, _mm256_sqrt_pd(_mm256_sub_pd(one, t2)));
    const __m256d c1 = _mm256_set1_pd(1.70158), c3 = _mm256_set1_pd(1.70158 + 1.0);
    __m256d back = _mm256_sub_pd(_mm256_mul_pd(_mm256_mul_pd(_mm256_mul_pd(c3, tin), tin), tin),
                                 _mm256_mul_pd(_mm256_mul_pd(c1, tin), tin));
    __m256d f = select4(eq4(fam, 0.0), t2, t3);
    f = select4(eq4(fam, 2.0), t4, f);
    f = select4(eq4(fam, 3.0), t5, f);
    f = select4(eq4(fam, 6.0), circ, f);
    f = select4(eq4(fam, 7.0), back, f);
    __m256d is_sine = eq4(fam, 4.0);
    if (_mm256_movemask_pd(is_sine) != 0) {
      /* 1 − cos(t·π/2), as easing.c writes it: (t·π)/2 */
      __m256d sn, cs;
      sincos4(_mm256_div_pd(_mm256_mul_pd(tin, _mm256_set1_pd(HA_PI)), two), &sn, &cs);
      f = select4(is_sine, _mm256_sub_pd(one, cs), f);
    }
    __m256d fh = _mm256_mul_pd(f, half);
    __m256d out_io = select4(lower, fh, _mm256_sub_pd(one, fh));
    __m256d out = select4(eq4(var, 0.0), f, select4(eq4(var, 1.0), _mm256_sub_pd(one, f), out_io));
    r = select4(lin, t, out);
  }
  /* !(t > 0) → 0, t ≥ 1 → 1 */
  r = _mm256_and_pd(r, _mm256_cmp_pd(t, zero, _CMP_GT_OQ));
  return select4(_mm256_cmp_pd(t, one, _CMP_GE_OQ), one, r);
}

/* ha__waveform (model.c) of four phases, the waveform per lane. */
static HA__ALWAYS_INLINE __m256d wave4(__m256d wave, __m256d a) {
  const __m256d one = _mm256_set1_pd(1.0), tau = _mm256_set1_pd(HA_TAU);
  __m256d tri, saw;
  {
    __m256d x = _mm256_add_pd(_mm256_div_pd(a, tau), _mm256_set1_pd(0.25));
    __m256d f = _mm256_sub_pd(_mm256_sub_pd(x, _mm256_floor_pd(x)), _mm256_set1_pd(0.5));
    tri = _mm256_sub_pd(one, _mm256_mul_pd(_mm256_set1_pd(4.0), abs4(f)));
  }
  {
    __m256d x = _mm256_div_pd(a, tau);
    saw = _mm256_sub_pd(_mm256_mul_pd(_mm256_set1_pd(2.0), _mm256_sub_pd(x, _mm256_floor_pd(x))),
                        one);
  }
  __m256d r = select4(eq4(wave, 1.0), tri, saw);
  __m256d need_sin = _mm256_cmp_pd(wave, _mm256_set1_pd(2.5), _CMP_LT_OQ);
  need_sin = _mm256_andnot_pd(eq4(wave, 1.0), need_sin); /* sine (0) or square (2) */
  if (_mm256_movemask_pd(need_sin) != 0) {
    __m256d sn, cs;
    sincos4(a, &sn, &cs);
    __m256d sq =
        select4(_mm256_cmp_pd(sn, _mm256_setzero_pd(), _CMP_GE_OQ), one, _mm256_set1_pd(-1.0));
    r = select4(eq4(wave, 0.0), sn, r);
    r = select4(eq4(wave, 2.0), sq, r);
  }
  return r;
}

enum { K_LERP = 0, K_ROT1, K_ROT2, K_WAVE, K_CUBIC };

/* Pass 1: u = p, τ (seconds) or the lap fraction, per lane. */
static HA__ALWAYS_INLINE __m256d shape_pass1(const ha__batch_soa *s, size_t i, __m256d t) {
  __m256d tau = tau4(s, i, t);
  __m256d p = _mm256_div_pd(tau, ld(s->T, i));
  __m256d mode = ld(s->um[0], i);
  __m256d lap = _mm256_mul_pd(ld(s->um[1], i), p);
  lap = _mm256_sub_pd(lap, _mm256_floor_pd(lap));
  __m256d u = select4(_mm256_cmp_pd(mode, _mm256_set1_pd(0.5), _CMP_GT_OQ), tau, p);
  return select4(_mm256_cmp_pd(mode, _mm256_set1_pd(1.5), _CMP_GT_OQ), lap, u);
}

static HA__ALWAYS_INLINE xyz4 shape4(const ha__batch_soa *s, size_t i, __m256d u, int kind) {
  const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
  __m256d q = _mm256_mul_pd(u, ld(s->w[2], i));
  q = _mm256_min_pd(_mm256_max_pd(q, zero), one);
  __m256d g = ease4(ld(s->ez[0], i), ld(s->ez[1], i), q);
  xyz4 v = {ld(s->c[0], i), ld(s->c[1], i), ld(s->c[2], i)};
  if (kind == K_CUBIC) {
    /* path.c's ha__bezier3 weights at g */
    const __m256d three = _mm256_set1_pd(3.0);
    __m256d w = _mm256_sub_pd(one, g), w3 = _mm256_mul_pd(three, w);
    v = add_col(s, i, v, 0, _mm256_mul_pd(_mm256_mul_pd(w, w), w));
    v = add_col(s, i, v, 1, _mm256_mul_pd(_mm256_mul_pd(w3, w), g));
    v = add_col(s, i, v, 2, _mm256_mul_pd(_mm256_mul_pd(w3, g), g));
    __m256d b3 = _mm256_mul_pd(_mm256_mul_pd(g, g), g);
    v.x = _mm256_fmadd_pd(ld(s->n[0][0], i), b3, v.x);
    v.y = _mm256_fmadd_pd(ld(s->n[1][0], i), b3, v.y);
    v.z = _mm256_fmadd_pd(ld(s->n[2][0], i), b3, v.z);
    return v;
  }
  v = add_col(s, i, v, 2, g);
  if (kind == K_LERP) {
    return v;
  }
  __m256d th = _mm256_add_pd(ld(s->ph[0], i), _mm256_mul_pd(ld(s->w[0], i), u));
  if (kind == K_WAVE) {
    return add_col(s, i, v, 0, wave4(ld(s->rho[0], i), th));
  }
  __m256d rho = _mm256_add_pd(ld(s->rho[0], i), _mm256_mul_pd(ld(s->rho[1], i), g));
  if (kind == K_ROT2) {
    __m256d sk, ck;
    sincos4(_mm256_mul_pd(ld(s->w[1], i), th), &sk, &ck);
    rho = _mm256_add_pd(rho, _mm256_mul_pd(ld(s->rho[2], i), ck));
    v.x = _mm256_fmadd_pd(ld(s->n[0][1], i), sk, _mm256_fmadd_pd(ld(s->n[0][0], i), ck, v.x));
    v.y = _mm256_fmadd_pd(ld(s->n[1][1], i), sk, _mm256_fmadd_pd(ld(s->n[1][0], i), ck, v.y));
    v.z = _mm256_fmadd_pd(ld(s->n[2][1], i), sk, _mm256_fmadd_pd(ld(s->n[2][0], i), ck, v.z));
  }
  __m256d sn, cs;
  sincos4(th, &sn, &cs);
  v = add_col(s, i, v, 0, _mm256_mul_pd(rho, cs));
  return add_col(s, i, v, 1, _mm256_mul_pd(rho, sn));
}

static HA__ALWAYS_INLINE void shape_runs(const ha__batch_soa *s, size_t i0, size_t n, double t,
                                         double *x, double *y, double *z, int kind) {
  _Alignas(32) double buf[CHUNK];
  __m256d tv = _mm256_set1_pd(t);
  for (size_t c0 = i0, end = i0 + n; c0 < end; c0 += CHUNK) {
    size_t m = end - c0 < CHUNK ? end - c0 : CHUNK;
    for (size_t j = 0; j < m; j += 4) {
      _mm256_store_pd(buf + j, shape_pass1(s, c0 + j, tv));
    }
    for (size_t j = 0; j < m; j += 4) {
      store4(shape4(s, c0 + j, _mm256_load_pd(buf + j), kind), c0 + j - i0, m - j, x, y, z);
    }
  }
}

void ha__batch_lerp_avx2(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                         double *y, double *z) {
  shape_runs(s, i0, n, t, x, y, z, K_LERP);
}
void ha__batch_rot1_avx2(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                         double *y, double *z) {
  shape_runs(s, i0, n, t, x, y, z, K_ROT1);
}
void ha__batch_rot2_avx2(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                         double *y, double *z) {
  shape_runs(s, i0, n, t, x, y, z, K_ROT2);
}
void ha__batch_wave_avx2(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                         double *y, double *z) {
  shape_runs(s, i0, n, t, x, y, z, K_WAVE);
}

/* ---- bounce: bounce.c's walk over the flights, four lanes at a time ----
 *
 * Each lane walks its own flights with bounce_height's operations (batch.c);
 * the loop runs until every lane has found its flight or rests, so a vector
 * costs its slowest lane (the model walks at most maxBounces flights, and the
 * default ones come to rest after about ten). Lanes past the run's end take
 * no step. */
static HA__ALWAYS_INLINE __m256d bounce_height4(const ha__batch_soa *s, size_t i, __m256d tau,
                                                __m256d live) {
  const __m256d zero = _mm256_setzero_pd(), half = _mm256_set1_pd(0.5);
  const __m256d one = _mm256_set1_pd(1.0), two = _mm256_set1_pd(2.0);
  __m256d g = ld(s->w[0], i), ground = ld(s->w[1], i), start = ld(s->w[2], i);
  __m256d bouncy = ld(s->ph[0], i), keepf = ld(s->ph[1], i), rest = ld(s->ph[2], i);
  __m256d nmax = ld(s->rho[0], i);
  __m256d hg = _mm256_mul_pd(half, g), g2 = _mm256_mul_pd(two, g);
  __m256d h0 = _mm256_sub_pd(start, ground);
  __m256d t_drop = _mm256_sqrt_pd(_mm256_div_pd(_mm256_mul_pd(two, h0), g));
  __m256d falling = _mm256_cmp_pd(tau, t_drop, _CMP_LT_OQ);
  __m256d result =
      select4(falling, _mm256_sub_pd(start, _mm256_mul_pd(_mm256_mul_pd(hg, tau), tau)), ground);
  __m256d sv = _mm256_sub_pd(tau, t_drop);
  __m256d v = _mm256_sqrt_pd(_mm256_mul_pd(g2, h0));
  __m256d keep = one, k = one;
  __m256d rests = _mm256_cmp_pd(rest, zero, _CMP_GT_OQ);
  __m256d active = _mm256_andnot_pd(falling, live);
  for (;;) {
    active = _mm256_and_pd(active, _mm256_cmp_pd(k, nmax, _CMP_LE_OQ));
    if (_mm256_movemask_pd(active) == 0) {
      break;
    }
    v = _mm256_mul_pd(v, _mm256_mul_pd(bouncy, keep));
    keep = _mm256_mul_pd(keep, keepf);
    /* s·(v − g·s/2): the height of a flight s after its impact */
    __m256d arc = _mm256_add_pd(ground, _mm256_mul_pd(sv, _mm256_sub_pd(v, _mm256_mul_pd(hg, sv))));
    /* v/g once: the model's 2·v/g is (2·v)/g, which is 2·(v/g) exactly
     * (scaling by two commutes with a rounded division). */
    __m256d vg = _mm256_div_pd(v, g);
    __m256d resting = _mm256_and_pd(active, rests);
    if (_mm256_movemask_pd(resting) != 0) {
      /* (rest > 0 only: the division is skipped when no lane rests) */
      __m256d low = _mm256_cmp_pd(_mm256_div_pd(_mm256_mul_pd(v, v), g2), rest, _CMP_LT_OQ);
      __m256d last = _mm256_or_pd(low, _mm256_cmp_pd(k, nmax, _CMP_EQ_OQ));
      __m256d apex = _mm256_and_pd(resting, last);
      __m256d rising = _mm256_cmp_pd(sv, vg, _CMP_LT_OQ);
      result = select4(apex, select4(rising, arc, ground), result);
      active = _mm256_andnot_pd(apex, active);
    }
    __m256d slow = _mm256_and_pd(_mm256_andnot_pd(rests, active),
                                 _mm256_cmp_pd(v, _mm256_set1_pd(0.01), _CMP_LT_OQ));
    result = select4(slow, ground, result);
    active = _mm256_andnot_pd(slow, active);
    __m256d flight = _mm256_add_pd(vg, vg);
    __m256d lands = _mm256_and_pd(active, _mm256_cmp_pd(sv, flight, _CMP_LT_OQ));
    result = select4(lands, arc, result);
    active = _mm256_andnot_pd(lands, active);
    sv = select4(active, _mm256_sub_pd(sv, flight), sv);
    k = _mm256_add_pd(k, one);
  }
  return result;
}

void ha__batch_cubic_avx2(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                          double *y, double *z) {
  shape_runs(s, i0, n, t, x, y, z, K_CUBIC);
}

/* ---- spring: spring.c's exact response ----
 *
 * exp4: e^x to about an ulp, for x ≤ 0 down to an underflow to 0 below
 * −708 (libm would return a subnormal there: < 1e-307 of the
 * displacement) and for x up to 20: n = round(x/ln 2), r = x − n·ln 2 with
 * ln 2 in two parts (Cody–Waite, FMA), |r| ≤ 0.35, e^r by its Taylor series
 * to r¹³ (truncation below 1e-17), times 2^n built in the exponent bits. */
static HA__ALWAYS_INLINE __m256d exp4(__m256d x) {
  const __m256d magic = _mm256_set1_pd(ROUND_MAGIC);
  __m256d live = _mm256_cmp_pd(x, _mm256_set1_pd(-708.0), _CMP_GE_OQ);
  x = _mm256_max_pd(x, _mm256_set1_pd(-708.0));
  __m256d kd = _mm256_fmadd_pd(x, _mm256_set1_pd(1.4426950408889634), magic);
  __m256d k = _mm256_sub_pd(kd, magic);
  __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(6.93147180369123816490e-01), x);
  r = _mm256_fnmadd_pd(k, _mm256_set1_pd(1.90821492927058770002e-10), r);
  static const double inv_fact[] = {1.0 / 6227020800.0,
                                    1.0 / 479001600.0,
                                    1.0 / 39916800.0,
                                    1.0 / 3628800.0,
                                    1.0 / 362880.0,
                                    1.0 / 40320.0,
                                    1.0 / 5040.0,
                                    1.0 / 720.0,
                                    1.0 / 120.0,
                                    1.0 / 24.0,
                                    1.0 / 6.0,
                                    0.5,
                                    1.0,
                                    1.0};
  __m256d p = _mm256_set1_pd(inv_fact[0]);
  for (int j = 1; j < 14; j++) {
    p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(inv_fact[j]));
  }
  /* 2^k: k + 1023 into the exponent field (k ≥ −1022 here). */
  __m256i bits = _mm256_sub_epi64(_mm256_castpd_si256(kd), _mm256_castpd_si256(magic));
  bits = _mm256_slli_epi64(_mm256_add_epi64(bits, _mm256_set1_epi64x(1023)), 52);
  return _mm256_and_pd(_mm256_mul_pd(p, _mm256_castsi256_pd(bits)), live);
}

/* sinh x for 0 ≤ x < 1 by its Taylor series to x¹⁷ (no cancellation). */
static HA__ALWAYS_INLINE __m256d sinh_small4(__m256d x) {
  __m256d z = _mm256_mul_pd(x, x);
  __m256d p = _mm256_set1_pd(1.0 / 355687428096000.0);
  static const double c[] = {
      1.0 / 1307674368000.0, 1.0 / 6227020800.0, 1.0 / 39916800.0, 1.0 / 362880.0,
      1.0 / 5040.0,          1.0 / 120.0,        1.0 / 6.0,        1.0};
  for (int j = 0; j < 8; j++) {
    p = _mm256_fmadd_pd(p, z, _mm256_set1_pd(c[j]));
  }
  return _mm256_mul_pd(p, x);
}

/* spring.c's response g(τ), the case per lane in w[2] (0 critical, 1
 * under-, 2 over-damped), a in w[0], ω or β in w[1]; the over-damped far
 * form's slow root, a/β and a + β in ph[0..2]. */
static HA__ALWAYS_INLINE __m256d spring4(const ha__batch_soa *s, size_t i, __m256d tau) {
  const __m256d one = _mm256_set1_pd(1.0), sixth = _mm256_set1_pd(6.0);
  const __m256d small = _mm256_set1_pd(1e-4), half = _mm256_set1_pd(0.5);
  const __m256d sign = _mm256_set1_pd(-0.0);
  __m256d a = ld(s->w[0], i), w = ld(s->w[1], i), kase = ld(s->w[2], i);
  __m256d at = _mm256_mul_pd(a, tau);
  __m256d e = exp4(_mm256_mul_pd(_mm256_xor_pd(a, sign), tau));
  __m256d g = _mm256_mul_pd(e, _mm256_add_pd(one, at));
  __m256d x = _mm256_mul_pd(w, tau);
  __m256d xx6 = _mm256_div_pd(_mm256_mul_pd(x, x), sixth);
  __m256d tiny = _mm256_cmp_pd(x, small, _CMP_LT_OQ);
  __m256d under = eq4(kase, 1.0), over = eq4(kase, 2.0);
  if (_mm256_movemask_pd(under) != 0) {
    __m256d sn, cs;
    sincos4(x, &sn, &cs);
    __m256d sinc = select4(tiny, _mm256_sub_pd(one, xx6), _mm256_div_pd(sn, x));
    g = select4(under, _mm256_mul_pd(e, _mm256_add_pd(cs, _mm256_mul_pd(at, sinc))), g);
  }
  if (_mm256_movemask_pd(over) != 0) {
    __m256d near = _mm256_cmp_pd(x, _mm256_set1_pd(20.0), _CMP_LT_OQ);
    __m256d xn = _mm256_min_pd(x, _mm256_set1_pd(20.0));
    __m256d ep = exp4(xn), em = exp4(_mm256_xor_pd(xn, sign));
    __m256d ch = _mm256_mul_pd(half, _mm256_add_pd(ep, em));
    __m256d sh = select4(_mm256_cmp_pd(xn, one, _CMP_LT_OQ), sinh_small4(xn),
                         _mm256_mul_pd(half, _mm256_sub_pd(ep, em)));
    __m256d shc = select4(tiny, _mm256_add_pd(one, xx6), _mm256_div_pd(sh, xn));
    __m256d gn = _mm256_mul_pd(e, _mm256_add_pd(ch, _mm256_mul_pd(at, shc)));
    __m256d r = ld(s->ph[1], i);
    __m256d f1 = _mm256_mul_pd(_mm256_add_pd(one, r), exp4(_mm256_mul_pd(ld(s->ph[0], i), tau)));
    __m256d f2 = _mm256_mul_pd(_mm256_sub_pd(one, r),
                               exp4(_mm256_mul_pd(_mm256_xor_pd(ld(s->ph[2], i), sign), tau)));
    __m256d gf = _mm256_mul_pd(half, _mm256_add_pd(f1, f2));
    g = select4(over, select4(near, gn, gf), g);
  }
  return g;
}

/* P = c + m[:,2]·h(τ), then the blended wrap: bounce and spring. */
static HA__ALWAYS_INLINE void tau_runs(const ha__batch_soa *s, size_t i0, size_t n, double t,
                                       double *x, double *y, double *z, int spring) {
  const __m256d tv = _mm256_set1_pd(t), one = _mm256_set1_pd(1.0);
  for (size_t i = i0, end = i0 + n; i < end; i += 4) {
    __m256i lane = _mm256_setr_epi64x(0, 1, 2, 3);
    __m256d live =
        _mm256_castsi256_pd(_mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)(end - i)), lane));
    __m256d tau = tau4(s, i, tv);
    __m256d h = spring ? spring4(s, i, tau) : bounce_height4(s, i, tau, live);
    xyz4 v = {ld(s->c[0], i), ld(s->c[1], i), ld(s->c[2], i)};
    v = add_col(s, i, v, 2, h);
    /* The blended wrap (model.c): w = u²(3 − 2u) toward n[:,0]. */
    __m256d from = ld(s->rho[1], i), window = ld(s->rho[2], i);
    __m256d blend = _mm256_and_pd(_mm256_cmp_pd(window, _mm256_setzero_pd(), _CMP_GT_OQ),
                                  _mm256_cmp_pd(tau, from, _CMP_GT_OQ));
    if (_mm256_movemask_pd(blend) != 0) {
      __m256d u = _mm256_min_pd(_mm256_div_pd(_mm256_sub_pd(tau, from), window), one);
      __m256d w =
          _mm256_mul_pd(_mm256_mul_pd(u, u),
                        _mm256_sub_pd(_mm256_set1_pd(3.0), _mm256_mul_pd(_mm256_set1_pd(2.0), u)));
      w = _mm256_and_pd(w, blend);
      v.x = _mm256_add_pd(v.x, _mm256_mul_pd(_mm256_sub_pd(ld(s->n[0][0], i), v.x), w));
      v.y = _mm256_add_pd(v.y, _mm256_mul_pd(_mm256_sub_pd(ld(s->n[1][0], i), v.y), w));
      v.z = _mm256_add_pd(v.z, _mm256_mul_pd(_mm256_sub_pd(ld(s->n[2][0], i), v.z), w));
    }
    store4(v, i - i0, end - i, x, y, z);
  }
}

void ha__batch_bounce_avx2(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                           double *y, double *z) {
  tau_runs(s, i0, n, t, x, y, z, 0);
}

void ha__batch_spring_avx2(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                           double *y, double *z) {
  tau_runs(s, i0, n, t, x, y, z, 1);
}

/* ---- random: random.c's waypoints, hashed four lanes at a time (the
 * hashing helpers: avx2_impl.h) ---- */

/* center + bounds·(2·u − 1), u the top 53 bits of the hash over 2^53. */
static HA__ALWAYS_INLINE __m256d waypoint4(__m256i h3, __m256i key, __m256d center,
                                           __m256d bounds) {
  return _mm256_add_pd(center, _mm256_mul_pd(bounds, signed4(h3, key)));
}

/* The interval of tracks i..i+3 (random.c's local before the waypoints):
 * the eased fraction h and the two waypoint keys. */
static HA__ALWAYS_INLINE void random_keys4(const ha__batch_soa *s, size_t i, __m256d tv, __m256d *h,
                                           __m256i *key0, __m256i *key1) {
  const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
  const __m256d two = _mm256_set1_pd(2.0);
  __m256d tau = tau4(s, i, tv);
  __m256d xw = _mm256_mul_pd(tau, ld(s->w[0], i));
  __m256d kd = _mm256_floor_pd(xw);
  __m256d w = _mm256_sub_pd(xw, kd);
  __m256d smooth = _mm256_sub_pd(
      _mm256_mul_pd(_mm256_mul_pd(w, w), _mm256_sub_pd(_mm256_set1_pd(3.0), _mm256_mul_pd(two, w))),
      w);
  *h = _mm256_add_pd(w, _mm256_mul_pd(ld(s->w[2], i), smooth));
  /* ((k mod n) + n) mod n and (k + 1) mod n in exact integer doubles */
  __m256d per = ld(s->w[1], i);
  __m256d has = _mm256_cmp_pd(per, zero, _CMP_GT_OQ);
  __m256d safe = select4(has, per, one);
  __m256d k = _mm256_sub_pd(kd, _mm256_mul_pd(safe, _mm256_floor_pd(_mm256_div_pd(kd, safe))));
  k = select4(_mm256_cmp_pd(k, zero, _CMP_LT_OQ), _mm256_add_pd(k, safe), k);
  k = select4(_mm256_cmp_pd(k, safe, _CMP_GE_OQ), _mm256_sub_pd(k, safe), k);
  __m256d k1 = _mm256_add_pd(k, one);
  k1 = select4(_mm256_cmp_pd(k1, safe, _CMP_GE_OQ), _mm256_sub_pd(k1, safe), k1);
  *key0 = to_i64(select4(has, k, kd));
  *key1 = to_i64(select4(has, k1, _mm256_add_pd(kd, one)));
}

/* Axis a of tracks i..i+3: the waypoints' lerp. */
static HA__ALWAYS_INLINE __m256d random_axis4(const ha__batch_soa *s, size_t i, int a, __m256d h,
                                              __m256i key0, __m256i key1) {
  __m256i h3 =
      _mm256_or_si256(_mm256_slli_epi64(to_i64(ld(s->n[a][0], i)), 32), to_i64(ld(s->n[a][1], i)));
  __m256d c = ld(s->ph[a], i), bnd = ld(s->rho[a], i);
  __m256d p0 = waypoint4(h3, key0, c, bnd), p1 = waypoint4(h3, key1, c, bnd);
  return _mm256_add_pd(p0, _mm256_mul_pd(_mm256_sub_pd(p1, p0), h));
}

/* Two vectors (eight tracks) a step at a time: one vector's chain of
 * dependent operations (τ, the interval, six hash rounds) was longer than
 * the out-of-order window could overlap with the next vector's; in
 * lockstep the two chains run side by side. */
void ha__batch_random_avx2(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                           double *y, double *z) {
  const __m256d tv = _mm256_set1_pd(t);
  size_t i = i0, end = i0 + n;
  for (; i + 4 < end; i += 8) {
    __m256d h[2], l[2][3];
    __m256i key0[2], key1[2];
    for (size_t u = 0; u < 2; u++) {
      random_keys4(s, i + 4 * u, tv, &h[u], &key0[u], &key1[u]);
    }
    for (int a = 0; a < 3; a++) {
      for (size_t u = 0; u < 2; u++) {
        l[u][a] = random_axis4(s, i + 4 * u, a, h[u], key0[u], key1[u]);
      }
    }
    store4(frame4(s, i, l[0]), i - i0, end - i, x, y, z);
    store4(frame4(s, i + 4, l[1]), i + 4 - i0, end - i - 4, x, y, z);
  }
  if (i < end) {
    __m256d h, l[3];
    __m256i key0, key1;
    random_keys4(s, i, tv, &h, &key0, &key1);
    for (int a = 0; a < 3; a++) {
      l[a] = random_axis4(s, i, a, h, key0, key1);
    }
    store4(frame4(s, i, l), i - i0, end - i, x, y, z);
  }
}
