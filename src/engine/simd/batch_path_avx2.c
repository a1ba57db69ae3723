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
 * (path.c's ha__keys_locate: search and easing), then in vectors the lerp
 * (linear), the held key (step; before the first key, from the last on) or
 * the segment's cubics (catmull-rom, as SEGS) and the frame. */
#include "avx2_impl.h"
#include "path_impl.h"

static const double zero_seg[HA__SEG_DOUBLES];
static const ha_vec3 zero_pos;

/* The four lanes' segments k transposed into 14 vectors (coefficient q of
 * lane l in lane l of c[q]): four coefficients at a time, one unaligned
 * load per lane and a 4 × 4 transpose; the last two as 128-bit pairs (a
 * segment may end its table: nothing past coefficient 13 is read). */
static HA__ALWAYS_INLINE void coefs4(const double *const k[4], __m256d c[HA__SEG_DOUBLES]) {
  for (int q = 0; q < 12; q += 4) {
    __m256d r0 = _mm256_loadu_pd(k[0] + q), r1 = _mm256_loadu_pd(k[1] + q);
    __m256d r2 = _mm256_loadu_pd(k[2] + q), r3 = _mm256_loadu_pd(k[3] + q);
    __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
    __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
    c[q] = _mm256_permute2f128_pd(t0, t2, 0x20);
    c[q + 1] = _mm256_permute2f128_pd(t1, t3, 0x20);
    c[q + 2] = _mm256_permute2f128_pd(t0, t2, 0x31);
    c[q + 3] = _mm256_permute2f128_pd(t1, t3, 0x31);
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

static HA__ALWAYS_INLINE xyz4 keys4(const ha__batch_soa *s, size_t i, size_t rem, __m256d tv) {
  _Alignas(32) double tau[4], pa[3][4], pb[3][4], ev[4], cat[4];
  const double *k[4];
  _mm256_store_pd(tau, tau4(s, i, tv));
  int any_cat = 0;
  for (size_t l = 0; l < 4; l++) {
    const ha_vec3 *a = &zero_pos, *b = &zero_pos;
    double e = 0.0;
    k[l] = zero_seg;
    cat[l] = 0.0;
    if (l < rem) {
      const ha__motion_data *d = s->ref[i + l].data;
      int interp = (int)s->w[0][i + l];
      size_t lo;
      if (!ha__keys_locate(d->keys, d->nkeys, tau[l], &lo, &e) || interp == HA__KEYS_STEP) {
        a = b = &d->keys[lo].position;
        e = 0.0;
      } else if (interp == HA__KEYS_CATMULL_ROM) {
        k[l] = s->ref[i + l].tab + lo * HA__SEG_DOUBLES;
        cat[l] = 1.0;
        any_cat = 1;
      } else {
        a = &d->keys[lo].position;
        b = &d->keys[lo + 1].position;
      }
    }
    pa[0][l] = a->x;
    pa[1][l] = a->y;
    pa[2][l] = a->z;
    pb[0][l] = b->x;
    pb[1][l] = b->y;
    pb[2][l] = b->z;
    ev[l] = e;
  }
  __m256d e = _mm256_load_pd(ev), l[3];
  for (int a = 0; a < 3; a++) {
    __m256d va = _mm256_load_pd(pa[a]);
    l[a] = _mm256_add_pd(va, _mm256_mul_pd(_mm256_sub_pd(_mm256_load_pd(pb[a]), va), e));
  }
  if (any_cat) {
    __m256d on = _mm256_cmp_pd(_mm256_load_pd(cat), _mm256_setzero_pd(), _CMP_GT_OQ), c[3];
    seg4(k, e, c);
    for (int a = 0; a < 3; a++) {
      l[a] = select4(on, c[a], l[a]);
    }
  }
  return frame4(s, i, l);
}

HA__LANES_KERNEL(ha__batch_keys_avx2, keys4)
