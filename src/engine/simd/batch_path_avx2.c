/* AVX2 SEGS and KEYS kernels. SEGS: catmull-rom's precomputed spline
 * segments four tracks at a time, lane by lane the scalar reference's operations (batch_path.c:
 * ha__piece, then ha__seg_eval's time warp and Hermite cubics, unfused), so
 * the local position is the model's bits and only the folded frame (FMA)
 * rounds differently.
 *
 * The segment index comes out of the vector (floor, clamped as ha__piece
 * clamps), then each lane's 14 coefficients are read from its own table
 * (one per motion, referenced by the slot) and transposed into vectors
 * (coefs4: a load per lane and four coefficients, then shuffles; it was
 * four scalar loads per coefficient). Lanes past the end of the run read a
 * zero segment.
 *
 * KEYS: keyframes lane by lane as far as where τ falls among the keys
 * (path.c's ha__keys_locate, its search without branches on the times),
 * then in vectors the segment's fraction (ha_ease per lane only where a
 * segment is not linear), the lerp (linear), the held key (step; before the
 * first key, from the last on) or the segment's cubics (catmull-rom, as
 * SEGS) and the frame. */
#include "avx2_impl.h"
#include "path_impl.h"

#include <stddef.h>

static const double zero_seg[HA__SEG_DOUBLES];

/* The four lanes' segments k transposed into 14 vectors (coefficient q of
 * lane l in lane l of c[q]): four coefficients at a time, one unaligned
 * load per lane and a 4 × 4 transpose; the last two as 128-bit pairs (a
 * segment may end its table: nothing past coefficient 13 is read). */
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

static HA__ALWAYS_INLINE void coefs4(const double *const k[4], __m256d c[HA__SEG_DOUBLES]) {
  for (int q = 0; q < 12; q += 4) {
    const double *const at[4] = {k[0] + q, k[1] + q, k[2] + q, k[3] + q};
    transpose4(at, c + q);
  }
  __m128d p0 = _mm_loadu_pd(k[0] + 12), p1 = _mm_loadu_pd(k[1] + 12);
  __m128d p2 = _mm_loadu_pd(k[2] + 12), p3 = _mm_loadu_pd(k[3] + 12);
  c[12] = _mm256_set_m128d(_mm_unpacklo_pd(p2, p3), _mm_unpacklo_pd(p0, p1));
  c[13] = _mm256_set_m128d(_mm_unpackhi_pd(p2, p3), _mm_unpackhi_pd(p0, p1));
}

/* ha__seg_eval of the four lanes' segments k at f into l: the time warp
 * u = h(f) = f·(wa + f·(e2 + f·e3)), then the cubics. */
static HA__ALWAYS_INLINE void seg4(const double *const k[4], __m256d f, __m256d l[3]) {
  __m256d c[HA__SEG_DOUBLES];
  coefs4(k, c);
  __m256d wa = c[12], wb = c[13];
  __m256d e2 =
      _mm256_sub_pd(_mm256_sub_pd(_mm256_set1_pd(3.0), _mm256_mul_pd(_mm256_set1_pd(2.0), wa)), wb);
  __m256d e3 = _mm256_sub_pd(_mm256_add_pd(wa, wb), _mm256_set1_pd(2.0));
  __m256d u = _mm256_mul_pd(
      f, _mm256_add_pd(wa, _mm256_mul_pd(f, _mm256_add_pd(e2, _mm256_mul_pd(f, e3)))));
  for (int a = 0; a < 3; a++) {
    __m256d v = _mm256_add_pd(c[6 + a], _mm256_mul_pd(u, c[9 + a]));
    v = _mm256_add_pd(c[3 + a], _mm256_mul_pd(u, v));
    l[a] = _mm256_add_pd(c[a], _mm256_mul_pd(u, v));
  }
}

static HA__ALWAYS_INLINE xyz4 segs4(const ha__batch_soa *s, size_t i, size_t rem, __m256d tv) {
  const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
  __m256d nseg = ld(s->w[0], i);
  /* ha__piece: x = p·nseg; j = trunc(x) for x > 0 (floor there), 0 below,
   * nseg − 1 from x ≥ nseg on; f = x − j. */
  __m256d xs = _mm256_mul_pd(_mm256_div_pd(tau4(s, i, tv), ld(s->T, i)), nseg);
  __m256d j = _mm256_min_pd(_mm256_max_pd(_mm256_floor_pd(xs), zero), _mm256_sub_pd(nseg, one));
  __m256d f = _mm256_sub_pd(xs, j);
  _Alignas(32) double jd[4];
  _mm256_store_pd(jd, j);
  const double *k[4];
  for (size_t l = 0; l < 4; l++) {
    k[l] = l < rem && s->ref[i + l].tab != NULL
               ? s->ref[i + l].tab + (size_t)jd[l] * HA__SEG_DOUBLES
               : zero_seg;
  }
  __m256d l[3];
  seg4(k, f, l);
  return frame4(s, i, l);
}

HA__LANES_KERNEL(ha__batch_segs_avx2, segs4)

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

static HA__ALWAYS_INLINE xyz4 keys4(const ha__batch_soa *s, size_t i, size_t rem, __m256d tv) {
  _Alignas(32) double tau[4];
  const double *k[4];
  const ha_keyframe *ka[4], *kb[4];
  ha_easing ease[4];
  __m256d tauv = tau4(s, i, tv);
  _mm256_store_pd(tau, tauv);
  int any_cat = 0, eased = 0;
  for (size_t l = 0; l < 4; l++) {
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
  __m256d a[4], b[4];
  const double *const pa[4] = {&ka[0]->time, &ka[1]->time, &ka[2]->time, &ka[3]->time};
  const double *const pb[4] = {&kb[0]->time, &kb[1]->time, &kb[2]->time, &kb[3]->time};
  transpose4(pa, a); /* time, x, y, z */
  transpose4(pb, b);
  const __m256d zero = _mm256_setzero_pd();
  __m256d held = _mm256_cmp_pd(a[0], b[0], _CMP_EQ_OQ);
  /* key_fraction: (τ − t_a)/(t_b − t_a) eased; linear is ha_ease's clamp
   * to [0, 1] (NaN to 0); held lanes 0. */
  __m256d q = _mm256_div_pd(_mm256_sub_pd(tauv, a[0]), _mm256_sub_pd(b[0], a[0]));
  __m256d e = _mm256_min_pd(_mm256_max_pd(q, zero), _mm256_set1_pd(1.0));
  if (eased) {
    _Alignas(32) double ev[4];
    _mm256_store_pd(ev, q);
    for (size_t l = 0; l < 4; l++) {
      ev[l] = ha_ease(ease[l], ev[l]);
    }
    e = _mm256_load_pd(ev);
  }
  e = _mm256_andnot_pd(held, e);
  __m256d l[3];
  for (int c = 0; c < 3; c++) {
    l[c] = _mm256_add_pd(a[c + 1], _mm256_mul_pd(_mm256_sub_pd(b[c + 1], a[c + 1]), e));
  }
  if (any_cat) {
    __m256d on = _mm256_andnot_pd(
        held, _mm256_cmp_pd(ld(s->w[0], i), _mm256_set1_pd(HA__KEYS_CATMULL_ROM), _CMP_EQ_OQ));
    __m256d cv[3];
    seg4(k, e, cv);
    for (int c = 0; c < 3; c++) {
      l[c] = select4(on, cv[c], l[c]);
    }
  }
  return frame4(s, i, l);
}

HA__LANES_KERNEL(ha__batch_keys_avx2, keys4)
