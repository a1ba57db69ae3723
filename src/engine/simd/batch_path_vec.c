/* Vector SEGS and KEYS kernels. SEGS: catmull-rom's precomputed spline
 * segments VW tracks at a time, lane by lane the scalar reference's operations (batch_path.c:
 * ha__piece, then ha__seg_eval's time warp and Hermite cubics, unfused), so
 * the local position is the model's bits and only the folded frame (FMA)
 * rounds differently.
 *
 * The segment index comes out of the vector (floor, clamped as ha__piece
 * clamps), then each lane's 14 coefficients are read from its own table
 * (one per motion, referenced by the slot) and transposed into vectors
 * (coefs_v: a load per lane and four coefficients, then shuffles; it was
 * four scalar loads per coefficient). Lanes past the end of the run read a
 * zero segment.
 *
 * KEYS: keyframes lane by lane as far as where τ falls among the keys
 * (path.c's ha__keys_locate, its search without branches on the times),
 * then in vectors the segment's fraction (ha_ease per lane only where a
 * segment is not linear), the lerp (linear), the held key (step; before the
 * first key, from the last on) or the segment's cubics (catmull-rom, as
 * SEGS) and the frame. */
#include "vec_impl.h"
#include "path_impl.h"

#include <stddef.h>

static const double zero_seg[HA__SEG_DOUBLES];

/* Four doubles at each of p[0..3], transposed: r[q] holds p[l][q] in lane l. */
static HA__ALWAYS_INLINE void transpose4(const double *const p[4], __m256d r[4]) {
  __m256d r0 = _mm256_loadu_pd(p[0]), r1 = _mm256_loadu_pd(p[1]);
  __m256d r2 = _mm256_loadu_pd(p[2]), r3 = _mm256_loadu_pd(p[3]);
  __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
  __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
  r[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
  r[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
  r[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
  r[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

/* Four doubles at each lane's p[l], transposed into r[0..3] (four lanes at
 * a time). */
static HA__ALWAYS_INLINE void transpose_v(const double *const p[VW], vd r[4]) {
  __m256d h[VW / 4][4];
  for (int g = 0; g < VW / 4; g++) {
    transpose4(p + 4 * g, h[g]);
  }
  for (int q = 0; q < 4; q++) {
    r[q] = vjoin(h[0][q], h[VW / 4 - 1][q]);
  }
}

/* The lanes' segments k transposed into 14 vectors (coefficient q of lane
 * l in lane l of c[q]): four coefficients at a time, one unaligned load
 * per lane and a 4 × 4 transpose; the last two as 16-byte pairs (a
 * segment may end its table: nothing past coefficient 13 is read). */
static HA__ALWAYS_INLINE void coefs_v(const double *const k[VW], vd c[HA__SEG_DOUBLES]) {
  const double *at[VW];
  for (int q = 0; q < 12; q += 4) {
    for (size_t l = 0; l < VW; l++) {
      at[l] = k[l] + q;
    }
    transpose_v(at, c + q);
  }
  for (size_t l = 0; l < VW; l++) {
    at[l] = k[l] + 12;
  }
  pairs_v(at, &c[12], &c[13]);
}

/* ha__seg_eval of the lanes' segments k at f into l: the time warp
 * u = h(f) = f·(wa + f·(e2 + f·e3)), then the cubics. */
static HA__ALWAYS_INLINE void seg_v(const double *const k[VW], vd f, vd l[3]) {
  vd c[HA__SEG_DOUBLES];
  coefs_v(k, c);
  vd wa = c[12], wb = c[13];
  vd e2 = vsub(vsub(vset1(3.0), vmul(vset1(2.0), wa)), wb);
  vd e3 = vsub(vadd(wa, wb), vset1(2.0));
  vd u = vmul(f, vadd(wa, vmul(f, vadd(e2, vmul(f, e3)))));
  for (int a = 0; a < 3; a++) {
    vd v = vadd(c[6 + a], vmul(u, c[9 + a]));
    v = vadd(c[3 + a], vmul(u, v));
    l[a] = vadd(c[a], vmul(u, v));
  }
}

static HA__ALWAYS_INLINE xyz_v segs_v(const ha__batch_soa *s, size_t i, size_t rem, vd tv) {
  const vd zero = vzero(), one = vset1(1.0);
  vd nseg = ld(s->w[0], i);
  /* ha__piece: x = p·nseg; j = trunc(x) for x > 0 (floor there), 0 below,
   * nseg − 1 from x ≥ nseg on; f = x − j. */
  vd xs = vmul(vdiv(tau_v(s, i, tv), ld(s->T, i)), nseg);
  vd j = vmin(vmax(vfloor(xs), zero), vsub(nseg, one));
  vd f = vsub(xs, j);
  _Alignas(VALIGN) double jd[VW];
  vstore(jd, j);
  const double *k[VW];
  for (size_t l = 0; l < VW; l++) {
    k[l] = l < rem && s->ref[i + l].tab != NULL
               ? s->ref[i + l].tab + (size_t)jd[l] * HA__SEG_DOUBLES
               : zero_seg;
  }
  vd l[3];
  seg_v(k, f, l);
  return frame_v(s, i, l);
}

HA__LANES_KERNEL(HA__V(ha__batch_segs), segs_v)

/* path.c's find_key for any τ, without branches on the keys' times: the
 * last key of [0, n − 2] at or before τ (0 when none is), the same unique
 * key as find_key's search where τ lies inside the keys (a sorted array has
 * one segment [lo, lo + 1] of positive duration holding τ). The loop's
 * trip count depends on n alone; the comparison feeds a conditional add. */
static HA__ALWAYS_INLINE size_t key_below(const ha_keyframe *keys, size_t n, double tau) {
  size_t lo = 0;
  for (size_t len = n - 1; len > 1;) {
    size_t half = len / 2;
    lo += keys[lo + half].time <= tau ? half : 0;
    len -= half;
  }
  return lo;
}

/* A key's time and position as one 32-byte load (the easing that follows
 * the position is read and discarded). */
_Static_assert(offsetof(ha_keyframe, position) == sizeof(double) &&
                   offsetof(ha_keyframe, position.z) + sizeof(double) < sizeof(ha_keyframe),
               "a key's time, x, y and z must be four consecutive doubles within the key");

static const ha_keyframe zero_key;

static HA__ALWAYS_INLINE xyz_v keys_v(const ha__batch_soa *s, size_t i, size_t rem, vd tv) {
  _Alignas(VALIGN) double tau[VW];
  const double *k[VW];
  const ha_keyframe *ka[VW], *kb[VW];
  ha_easing ease[VW];
  vd tauv = tau_v(s, i, tv);
  vstore(tau, tauv);
  int any_cat = 0, eased = 0;
  for (size_t l = 0; l < VW; l++) {
    ka[l] = kb[l] = &zero_key;
    k[l] = zero_seg;
    ease[l] = HA_EASE_LINEAR;
    if (l < rem) {
      /* ha__keys_locate and ha__keyframes_eval's cases: before the first
       * key (or NaN) and from the last on, the held key (kb = ka); step
       * holds too. */
      const ha__motion_data *d = s->ref[i + l].data;
      const ha_keyframe *keys = d->keys;
      size_t n = d->nkeys;
      int interp = (int)s->w[0][i + l];
      double t = tau[l];
      int below = !(t >= keys[0].time), above = t >= keys[n - 1].time;
      size_t lo = key_below(keys, n, t);
      lo = below ? 0 : above ? n - 1 : lo;
      int hold = below | above | (interp == HA__KEYS_STEP);
      ka[l] = keys + lo;
      kb[l] = ka[l] + (hold ? 0 : 1);
      if (!hold) {
        ease[l] = ka[l]->easing;
        eased |= ka[l]->easing != HA_EASE_LINEAR;
        if (interp == HA__KEYS_CATMULL_ROM) {
          k[l] = s->ref[i + l].tab + lo * HA__SEG_DOUBLES;
          any_cat = 1;
        }
      }
    }
  }
  /* A held lane has kb = ka, t_a = t_b; a lane in a segment t_a < t_b. */
  vd a[4], b[4];
  const double *pa[VW], *pb[VW];
  for (size_t l = 0; l < VW; l++) {
    pa[l] = &ka[l]->time;
    pb[l] = &kb[l]->time;
  }
  transpose_v(pa, a); /* time, x, y, z */
  transpose_v(pb, b);
  const vd zero = vzero();
  vm held = vcmp(a[0], b[0], _CMP_EQ_OQ);
  /* key_fraction: (τ − t_a)/(t_b − t_a) eased; linear is ha_ease's clamp
   * to [0, 1] (NaN to 0); held lanes 0. */
  vd q = vdiv(vsub(tauv, a[0]), vsub(b[0], a[0]));
  vd e = vmin(vmax(q, zero), vset1(1.0));
  if (eased) {
    _Alignas(VALIGN) double ev[VW];
    vstore(ev, q);
    for (size_t l = 0; l < VW; l++) {
      ev[l] = ha_ease(ease[l], ev[l]);
    }
    e = vload(ev);
  }
  e = vdrop(held, e);
  vd l[3];
  for (int c = 0; c < 3; c++) {
    l[c] = vadd(a[c + 1], vmul(vsub(b[c + 1], a[c + 1]), e));
  }
  if (any_cat) {
    vm on = vm_andnot(held, vcmp(ld(s->w[0], i), vset1(HA__KEYS_CATMULL_ROM), _CMP_EQ_OQ));
    vd cv[3];
    seg_v(k, e, cv);
    for (int c = 0; c < 3; c++) {
      l[c] = vsel(on, cv[c], l[c]);
    }
  }
  return frame_v(s, i, l);
}

HA__LANES_KERNEL(HA__V(ha__batch_keys), keys_v)
