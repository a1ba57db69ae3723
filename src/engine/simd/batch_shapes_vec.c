/* Vector shape kernels (LERP, ROT1, ROT2, WAVE: model_impl.h), VW
 * tracks per instruction, in double.
 *
 * Lane by lane the scalar reference (batch.c, shape_at) with its operations
 * in the same order and never fused where the reference rounds twice: the
 * time mapping (tau_v), p = τ/T, θ = θ0 + ω0·u, κ = ω1·θ, the clamp and the
 * easing are then bit-identical to the reference and to the models, and
 * only sin/cos (sincos_v, within about an ulp of libm) and the final sums
 * (FMA) round differently: ~1e-13 m at 1000 m.
 *
 * Per-lane choices (the easing family and variant, the waveform, u = τ or p)
 * are computed for every lane and blended; the dearer branches (the sine
 * easing's cosine, the waveform's sine) only when a lane of the vector needs
 * them (one vm_bits). The same two passes as batch_vec.c: u into a chunk
 * buffer, then the rest. */
#include "vec_impl.h"

static HA__ALWAYS_INLINE vm eq_v(vd a, double b) {
  return vcmp(a, vset1(b), _CMP_EQ_OQ);
}

/* ha_ease (easing.c) of VW progresses q ∈ [0, 1], the family (−1 linear)
 * and variant (0 in, 1 out, 2 in-out) per lane; families 0–4, 6 and 7 (the
 * others never reach a kernel: ha__kernel_ease_ok). */
static HA__ALWAYS_INLINE vd ease_v(vd fam, vd var, vd t) {
  const vd zero = vzero(), one = vset1(1.0);
  const vd half = vset1(0.5), two = vset1(2.0);
  vm lin = vcmp(fam, zero, _CMP_LT_OQ);
  vd r = t;
  if (vm_bits(lin) != VFULL) {
    vm lower = vcmp(t, half, _CMP_LT_OQ);
    vd inout = vsel(lower, vmul(two, t), vsub(two, vmul(two, t)));
    vd tin = vsel(eq_v(var, 0.0), t, vsel(eq_v(var, 1.0), vsub(one, t), inout));
    vd t2 = vmul(tin, tin);
    vd t3 = vmul(t2, tin);
    vd t4 = vmul(t3, tin);
    vd t5 = vmul(t4, tin);
    vd circ = vsub(one, vsqrt(vsub(one, t2)));
    const vd c1 = vset1(1.70158), c3 = vset1(1.70158 + 1.0);
    vd back = vsub(vmul(vmul(vmul(c3, tin), tin), tin), vmul(vmul(c1, tin), tin));
    vd f = vsel(eq_v(fam, 0.0), t2, t3);
    f = vsel(eq_v(fam, 2.0), t4, f);
    f = vsel(eq_v(fam, 3.0), t5, f);
    f = vsel(eq_v(fam, 6.0), circ, f);
    f = vsel(eq_v(fam, 7.0), back, f);
    vm is_sine = eq_v(fam, 4.0);
    if (vm_bits(is_sine) != 0) {
      /* 1 − cos(t·π/2), as easing.c writes it: (t·π)/2 */
      vd sn, cs;
      sincos_v(vdiv(vmul(tin, vset1(HA_PI)), two), &sn, &cs);
      f = vsel(is_sine, vsub(one, cs), f);
    }
    vd fh = vmul(f, half);
    vd out_io = vsel(lower, fh, vsub(one, fh));
    vd out = vsel(eq_v(var, 0.0), f, vsel(eq_v(var, 1.0), vsub(one, f), out_io));
    r = vsel(lin, t, out);
  }
  /* !(t > 0) → 0, t ≥ 1 → 1 */
  r = vkeep(r, vcmp(t, zero, _CMP_GT_OQ));
  return vsel(vcmp(t, one, _CMP_GE_OQ), one, r);
}

/* ha__waveform (model.c) of VW phases, the waveform per lane. */
static HA__ALWAYS_INLINE vd wave_v(vd wave, vd a) {
  const vd one = vset1(1.0), tau = vset1(HA_TAU);
  vd tri, saw;
  {
    vd x = vadd(vdiv(a, tau), vset1(0.25));
    vd f = vsub(vsub(x, vfloor(x)), vset1(0.5));
    tri = vsub(one, vmul(vset1(4.0), abs_v(f)));
  }
  {
    vd x = vdiv(a, tau);
    saw = vsub(vmul(vset1(2.0), vsub(x, vfloor(x))), one);
  }
  vd r = vsel(eq_v(wave, 1.0), tri, saw);
  vm need_sin = vcmp(wave, vset1(2.5), _CMP_LT_OQ);
  need_sin = vm_andnot(eq_v(wave, 1.0), need_sin); /* sine (0) or square (2) */
  if (vm_bits(need_sin) != 0) {
    vd sn, cs;
    sincos_v(a, &sn, &cs);
    vd sq = vsel(vcmp(sn, vzero(), _CMP_GE_OQ), one, vset1(-1.0));
    r = vsel(eq_v(wave, 0.0), sn, r);
    r = vsel(eq_v(wave, 2.0), sq, r);
  }
  return r;
}

enum { K_LERP = 0, K_ROT1, K_ROT2, K_WAVE, K_CUBIC };

/* Pass 1: u = p, τ (seconds) or the lap fraction, per lane (the same for
 * every kind). */
static HA__ALWAYS_INLINE vd shape_pass1(const ha__batch_soa *s, size_t i, vd t, int kind) {
  (void)kind;
  vd tau = tau_v(s, i, t);
  vd p = vdiv(tau, ld(s->T, i));
  vd mode = ld(s->um[0], i);
  vd lap = vmul(ld(s->um[1], i), p);
  lap = vsub(lap, vfloor(lap));
  vd u = vsel(vcmp(mode, vset1(0.5), _CMP_GT_OQ), tau, p);
  return vsel(vcmp(mode, vset1(1.5), _CMP_GT_OQ), lap, u);
}

static HA__ALWAYS_INLINE xyz_v shape_v(const ha__batch_soa *s, size_t i, vd u, int kind) {
  const vd zero = vzero(), one = vset1(1.0);
  vd q = vmul(u, ld(s->w[2], i));
  q = vmin(vmax(q, zero), one);
  vd g = ease_v(ld(s->ez[0], i), ld(s->ez[1], i), q);
  xyz_v v = {ld(s->c[0], i), ld(s->c[1], i), ld(s->c[2], i)};
  if (kind == K_CUBIC) {
    /* path.c's ha__bezier3 weights at g */
    const vd three = vset1(3.0);
    vd w = vsub(one, g), w3 = vmul(three, w);
    v = add_col(s, i, v, 0, vmul(vmul(w, w), w));
    v = add_col(s, i, v, 1, vmul(vmul(w3, w), g));
    v = add_col(s, i, v, 2, vmul(vmul(w3, g), g));
    vd b3 = vmul(vmul(g, g), g);
    v.x = vfmadd(ld(s->n[0][0], i), b3, v.x);
    v.y = vfmadd(ld(s->n[1][0], i), b3, v.y);
    v.z = vfmadd(ld(s->n[2][0], i), b3, v.z);
    return v;
  }
  v = add_col(s, i, v, 2, g);
  if (kind == K_LERP) {
    return v;
  }
  vd th = vadd(ld(s->ph[0], i), vmul(ld(s->w[0], i), u));
  if (kind == K_WAVE) {
    return add_col(s, i, v, 0, wave_v(ld(s->rho[0], i), th));
  }
  vd rho = vadd(ld(s->rho[0], i), vmul(ld(s->rho[1], i), g));
  if (kind == K_ROT2) {
    vd sk, ck;
    sincos_v(vmul(ld(s->w[1], i), th), &sk, &ck);
    rho = vadd(rho, vmul(ld(s->rho[2], i), ck));
    v.x = vfmadd(ld(s->n[0][1], i), sk, vfmadd(ld(s->n[0][0], i), ck, v.x));
    v.y = vfmadd(ld(s->n[1][1], i), sk, vfmadd(ld(s->n[1][0], i), ck, v.y));
    v.z = vfmadd(ld(s->n[2][1], i), sk, vfmadd(ld(s->n[2][0], i), ck, v.z));
  }
  vd sn, cs;
  sincos_v(th, &sn, &cs);
  v = add_col(s, i, v, 0, vmul(rho, cs));
  return add_col(s, i, v, 1, vmul(rho, sn));
}

static HA__ALWAYS_INLINE void shape_runs(const ha__batch_soa *s, size_t i0, size_t n, double t,
                                         double *x, double *y, double *z, int kind) {
  two_passes(s, i0, n, t, x, y, z, shape_pass1, shape_v, kind);
}

HA__KERNEL_VIA(ha__batch_lerp, shape_runs, K_LERP)
HA__KERNEL_VIA(ha__batch_rot1, shape_runs, K_ROT1)
HA__KERNEL_VIA(ha__batch_rot2, shape_runs, K_ROT2)
HA__KERNEL_VIA(ha__batch_wave, shape_runs, K_WAVE)

/* ---- bounce: bounce.c's walk over the flights, a vector at a time ----
 *
 * Each lane walks its own flights with bounce_height's operations (batch.c);
 * the loop runs until every lane has found its flight or rests, so a vector
 * costs its slowest lane (the model walks at most maxBounces flights, and the
 * default ones come to rest after about ten). Lanes past the run's end take
 * no step. */
static HA__ALWAYS_INLINE vd bounce_height_v(const ha__batch_soa *s, size_t i, vd tau, vm live) {
  const vd zero = vzero(), half = vset1(0.5);
  const vd one = vset1(1.0), two = vset1(2.0);
  vd g = ld(s->w[0], i), ground = ld(s->w[1], i), start = ld(s->w[2], i);
  vd bouncy = ld(s->ph[0], i), keepf = ld(s->ph[1], i), rest = ld(s->ph[2], i);
  vd nmax = ld(s->rho[0], i);
  vd hg = vmul(half, g), g2 = vmul(two, g);
  vd h0 = vsub(start, ground);
  vd t_drop = vsqrt(vdiv(vmul(two, h0), g));
  vm falling = vcmp(tau, t_drop, _CMP_LT_OQ);
  vd result = vsel(falling, vsub(start, vmul(vmul(hg, tau), tau)), ground);
  vd sv = vsub(tau, t_drop);
  vd v = vsqrt(vmul(g2, h0));
  vd keep = one, k = one;
  vm rests = vcmp(rest, zero, _CMP_GT_OQ);
  vm active = vm_andnot(falling, live);
  for (;;) {
    active = vm_and(active, vcmp(k, nmax, _CMP_LE_OQ));
    if (vm_bits(active) == 0) {
      break;
    }
    v = vmul(v, vmul(bouncy, keep));
    keep = vmul(keep, keepf);
    /* s·(v − g·s/2): the height of a flight s after its impact */
    vd arc = vadd(ground, vmul(sv, vsub(v, vmul(hg, sv))));
    /* v/g once: the model's 2·v/g is (2·v)/g, which is 2·(v/g) exactly
     * (scaling by two commutes with a rounded division). */
    vd vg = vdiv(v, g);
    vm resting = vm_and(active, rests);
    if (vm_bits(resting) != 0) {
      /* (rest > 0 only: the division is skipped when no lane rests) */
      vm low = vcmp(vdiv(vmul(v, v), g2), rest, _CMP_LT_OQ);
      vm last = vm_or(low, vcmp(k, nmax, _CMP_EQ_OQ));
      vm apex = vm_and(resting, last);
      vm rising = vcmp(sv, vg, _CMP_LT_OQ);
      result = vsel(apex, vsel(rising, arc, ground), result);
      active = vm_andnot(apex, active);
    }
    vm slow = vm_and(vm_andnot(rests, active), vcmp(v, vset1(0.01), _CMP_LT_OQ));
    result = vsel(slow, ground, result);
    active = vm_andnot(slow, active);
    vd flight = vadd(vg, vg);
    vm lands = vm_and(active, vcmp(sv, flight, _CMP_LT_OQ));
    result = vsel(lands, arc, result);
    active = vm_andnot(lands, active);
    sv = vsel(active, vsub(sv, flight), sv);
    k = vadd(k, one);
  }
  return result;
}

HA__KERNEL_VIA(ha__batch_cubic, shape_runs, K_CUBIC)

/* ---- spring: spring.c's exact response ----
 *
 * exp_v: e^x to about an ulp, for x ≤ 0 down to an underflow to 0 below
 * −708 (libm would return a subnormal there: < 1e-307 of the
 * displacement) and for x up to 20: n = round(x/ln 2), r = x − n·ln 2 with
 * ln 2 in two parts (Cody–Waite, FMA), |r| ≤ 0.35, e^r by its Taylor series
 * to r¹³ (truncation below 1e-17), times 2^n built in the exponent bits. */
static HA__ALWAYS_INLINE vd exp_v(vd x) {
  const vd magic = vset1(ROUND_MAGIC);
  vm live = vcmp(x, vset1(-708.0), _CMP_GE_OQ);
  x = vmax(x, vset1(-708.0));
  vd kd = vfmadd(x, vset1(1.4426950408889634), magic);
  vd k = vsub(kd, magic);
  vd r = vfnmadd(k, vset1(6.93147180369123816490e-01), x);
  r = vfnmadd(k, vset1(1.90821492927058770002e-10), r);
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
  vd p = vset1(inv_fact[0]);
  for (int j = 1; j < 14; j++) {
    p = vfmadd(p, r, vset1(inv_fact[j]));
  }
  /* 2^k: k + 1023 into the exponent field (k ≥ −1022 here). */
  vi bits = vsub_i64(vcast_d2i(kd), vcast_d2i(magic));
  bits = vslli(vadd_i64(bits, vset1_i64(1023)), 52);
  return vkeep(vmul(p, vcast_i2d(bits)), live);
}

/* sinh x for 0 ≤ x < 1 by its Taylor series to x¹⁷ (no cancellation). */
static HA__ALWAYS_INLINE vd sinh_small_v(vd x) {
  vd z = vmul(x, x);
  vd p = vset1(1.0 / 355687428096000.0);
  static const double c[] = {
      1.0 / 1307674368000.0, 1.0 / 6227020800.0, 1.0 / 39916800.0, 1.0 / 362880.0,
      1.0 / 5040.0,          1.0 / 120.0,        1.0 / 6.0,        1.0};
  for (int j = 0; j < 8; j++) {
    p = vfmadd(p, z, vset1(c[j]));
  }
  return vmul(p, x);
}

/* spring.c's response g(τ), the case per lane in w[2] (0 critical, 1
 * under-, 2 over-damped), a in w[0], ω or β in w[1]; the over-damped far
 * form's slow root, a/β and a + β in ph[0..2]. */
static HA__ALWAYS_INLINE vd spring_v(const ha__batch_soa *s, size_t i, vd tau) {
  const vd one = vset1(1.0), sixth = vset1(6.0);
  const vd small = vset1(1e-4), half = vset1(0.5);
  const vd sign = vset1(-0.0);
  vd a = ld(s->w[0], i), w = ld(s->w[1], i), kase = ld(s->w[2], i);
  vd at = vmul(a, tau);
  vd e = exp_v(vmul(vxor(a, sign), tau));
  vd g = vmul(e, vadd(one, at));
  vd x = vmul(w, tau);
  vd xx6 = vdiv(vmul(x, x), sixth);
  vm tiny = vcmp(x, small, _CMP_LT_OQ);
  vm under = eq_v(kase, 1.0), over = eq_v(kase, 2.0);
  if (vm_bits(under) != 0) {
    vd sn, cs;
    sincos_v(x, &sn, &cs);
    vd sinc = vsel(tiny, vsub(one, xx6), vdiv(sn, x));
    g = vsel(under, vmul(e, vadd(cs, vmul(at, sinc))), g);
  }
  if (vm_bits(over) != 0) {
    vm near = vcmp(x, vset1(20.0), _CMP_LT_OQ);
    vd xn = vmin(x, vset1(20.0));
    vd ep = exp_v(xn), em = exp_v(vxor(xn, sign));
    vd ch = vmul(half, vadd(ep, em));
    vd sh = vsel(vcmp(xn, one, _CMP_LT_OQ), sinh_small_v(xn), vmul(half, vsub(ep, em)));
    vd shc = vsel(tiny, vadd(one, xx6), vdiv(sh, xn));
    vd gn = vmul(e, vadd(ch, vmul(at, shc)));
    vd r = ld(s->ph[1], i);
    vd f1 = vmul(vadd(one, r), exp_v(vmul(ld(s->ph[0], i), tau)));
    vd f2 = vmul(vsub(one, r), exp_v(vmul(vxor(ld(s->ph[2], i), sign), tau)));
    vd gf = vmul(half, vadd(f1, f2));
    g = vsel(over, vsel(near, gn, gf), g);
  }
  return g;
}

/* P = c + m[:,2]·h(τ), then the blended wrap: bounce and spring. */
static HA__ALWAYS_INLINE void tau_runs(const ha__batch_soa *s, size_t i0, size_t n, double t,
                                       double *x, double *y, double *z, int spring) {
  const vd tv = vset1(t);
  for (size_t i = i0, end = i0 + n; i < end; i += VW) {
    vm live = lanes_below(end - i);
    vd tau = tau_v(s, i, tv);
    vd h = spring ? spring_v(s, i, tau) : bounce_height_v(s, i, tau, live);
    xyz_v v = {ld(s->c[0], i), ld(s->c[1], i), ld(s->c[2], i)};
    v = add_col(s, i, v, 2, h);
    store_v(seam_v(s, i, tau, v), i - i0, end - i, x, y, z);
  }
}

HA__KERNEL_VIA(ha__batch_bounce, tau_runs, 0)

HA__KERNEL_VIA(ha__batch_spring, tau_runs, 1)

/* ---- random: random.c's waypoints, hashed a vector at a time (the
 * hashing helpers: vec_impl.h) ---- */

/* center + bounds·(2·u − 1), u the top 53 bits of the hash over 2^53. */
static HA__ALWAYS_INLINE vd waypoint_v(vi h3, vi key, vd center, vd bounds) {
  return vadd(center, vmul(bounds, signed_v(h3, key)));
}

/* The interval of tracks i..i + VW − 1 (random.c's local before the waypoints):
 * the eased fraction h and the two waypoint keys. */
static HA__ALWAYS_INLINE void random_keys_v(const ha__batch_soa *s, size_t i, vd tv, vd *h,
                                            vi *key0, vi *key1) {
  const vd zero = vzero(), one = vset1(1.0);
  const vd two = vset1(2.0);
  vd tau = tau_v(s, i, tv);
  vd xw = vmul(tau, ld(s->w[0], i));
  vd kd = vfloor(xw);
  vd w = vsub(xw, kd);
  vd smooth = vsub(vmul(vmul(w, w), vsub(vset1(3.0), vmul(two, w))), w);
  *h = vadd(w, vmul(ld(s->w[2], i), smooth));
  /* ((k mod n) + n) mod n and (k + 1) mod n in exact integer doubles */
  vd per = ld(s->w[1], i);
  vm has = vcmp(per, zero, _CMP_GT_OQ);
  vd safe = vsel(has, per, one);
  vd k = vsub(kd, vmul(safe, vfloor(vdiv(kd, safe))));
  k = vsel(vcmp(k, zero, _CMP_LT_OQ), vadd(k, safe), k);
  k = vsel(vcmp(k, safe, _CMP_GE_OQ), vsub(k, safe), k);
  vd k1 = vadd(k, one);
  k1 = vsel(vcmp(k1, safe, _CMP_GE_OQ), vsub(k1, safe), k1);
  *key0 = to_i64(vsel(has, k, kd));
  *key1 = to_i64(vsel(has, k1, vadd(kd, one)));
}

/* Axis a of tracks i..i + VW − 1: the waypoints' lerp. */
static HA__ALWAYS_INLINE vd random_axis_v(const ha__batch_soa *s, size_t i, int a, vd h, vi key0,
                                          vi key1) {
  vi h3 = vor_i(vslli(to_i64(ld(s->n[a][0], i)), 32), to_i64(ld(s->n[a][1], i)));
  vd c = ld(s->ph[a], i), bnd = ld(s->rho[a], i);
  vd p0 = waypoint_v(h3, key0, c, bnd), p1 = waypoint_v(h3, key1, c, bnd);
  return vadd(p0, vmul(vsub(p1, p0), h));
}

/* Two vectors (eight tracks) a step at a time: one vector's chain of
 * dependent operations (τ, the interval, six hash rounds) was longer than
 * the out-of-order window could overlap with the next vector's; in
 * lockstep the two chains run side by side. */
void HA__V(ha__batch_random)(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                             double *y, double *z) {
  const vd tv = vset1(t);
  size_t i = i0, end = i0 + n;
  for (; i + VW < end; i += 2 * VW) {
    vd h[2], l[2][3];
    vi key0[2], key1[2];
    for (size_t u = 0; u < 2; u++) {
      random_keys_v(s, i + VW * u, tv, &h[u], &key0[u], &key1[u]);
    }
    for (int a = 0; a < 3; a++) {
      for (size_t u = 0; u < 2; u++) {
        l[u][a] = random_axis_v(s, i + VW * u, a, h[u], key0[u], key1[u]);
      }
    }
    store_v(frame_v(s, i, l[0]), i - i0, end - i, x, y, z);
    store_v(frame_v(s, i + VW, l[1]), i + VW - i0, end - i - VW, x, y, z);
  }
  if (i < end) {
    vd h, l[3];
    vi key0, key1;
    random_keys_v(s, i, tv, &h, &key0, &key1);
    for (int a = 0; a < 3; a++) {
      l[a] = random_axis_v(s, i, a, h, key0, key1);
    }
    store_v(frame_v(s, i, l), i - i0, end - i, x, y, z);
  }
}
