/* AVX2 ATTRACT kernel: attract_repel.c's fixed step in four lanes, each
 * lane the scalar reference's operations in the same order, unfused
 * (sqrt and division are correctly rounded in both), so every grid state
 * is the model's bits and the caches stay shared with it. Per lane, in
 * scalar code: the grid index, where to resume (checkpoint or cache) and
 * the cache written back; the lanes then step together up to the largest
 * count, a lane that has arrived keeping its state (blend). Lanes past the
 * end of the run take no steps and are discarded. */
#include "avx2_impl.h"

typedef struct attract4 {
  __m256d tg[3], strength, radius, vmax, keep;
} attract4;

/* attract_step for four lanes: x in y[0..2], v in y[3..5]. */
static HA__ALWAYS_INLINE void step4(const attract4 *p, __m256d y[6]) {
  const __m256d dt = _mm256_set1_pd(HA__GRID_DT), zero = _mm256_setzero_pd();
  __m256d dv[3];
  for (int a = 0; a < 3; a++) {
    dv[a] = _mm256_sub_pd(p->tg[a], y[a]);
  }
  __m256d d2 = _mm256_add_pd(_mm256_mul_pd(dv[0], dv[0]), _mm256_mul_pd(dv[1], dv[1]));
  __m256d dist = _mm256_sqrt_pd(_mm256_add_pd(d2, _mm256_mul_pd(dv[2], dv[2])));
  __m256d f = select4(_mm256_cmp_pd(dist, p->radius, _CMP_LT_OQ),
                      _mm256_mul_pd(_mm256_set1_pd(-2.0), p->strength), p->strength);
  __m256d pos = _mm256_cmp_pd(dist, zero, _CMP_GT_OQ);
  for (int a = 0; a < 3; a++) {
    __m256d u = _mm256_and_pd(_mm256_div_pd(dv[a], dist), pos);
    y[3 + a] =
        _mm256_mul_pd(_mm256_add_pd(y[3 + a], _mm256_mul_pd(_mm256_mul_pd(f, u), dt)), p->keep);
  }
  __m256d s2 = _mm256_add_pd(_mm256_mul_pd(y[3], y[3]), _mm256_mul_pd(y[4], y[4]));
  __m256d sp = _mm256_sqrt_pd(_mm256_add_pd(s2, _mm256_mul_pd(y[5], y[5])));
  __m256d over = _mm256_cmp_pd(sp, p->vmax, _CMP_GT_OQ);
  __m256d r = _mm256_div_pd(p->vmax, sp);
  for (int a = 3; a < 6; a++) {
    y[a] = select4(over, _mm256_mul_pd(y[a], r), y[a]);
  }
  for (int a = 0; a < 3; a++) {
    y[a] = _mm256_add_pd(y[a], _mm256_mul_pd(y[3 + a], dt));
  }
}

/* The grid states of the four lanes at their steps k (walked from where
 * each resumes), the caches updated; y[0..5] out. */
static HA__ALWAYS_INLINE void walk4(const ha__batch_soa *s, size_t i, size_t rem, const attract4 *p,
                                    const double tau[4], double kd[4], __m256d y[6]) {
  _Alignas(32) double ys[HA__ATTRACT_NY][4] = {{0}};
  _Alignas(32) double cnt[4] = {0};
  int64_t k[4] = {0}, from[4] = {0};
  double most = 0.0;
  for (size_t l = 0; l < 4; l++) {
    kd[l] = 0.0;
    if (l < rem) {
      double st[HA__ATTRACT_NY];
      k[l] = ha__grid_index(tau[l]);
      from[l] = ha__grid_resume(&s->ref[i + l], HA__ATTRACT_NY, k[l], st);
      for (int a = 0; a < HA__ATTRACT_NY; a++) {
        ys[a][l] = st[a];
      }
      kd[l] = (double)k[l];
      cnt[l] = (double)(k[l] - from[l]);
      most = cnt[l] > most ? cnt[l] : most;
    }
  }
  for (int a = 0; a < HA__ATTRACT_NY; a++) {
    y[a] = _mm256_load_pd(ys[a]);
  }
  __m256d left = _mm256_load_pd(cnt);
  for (double j = 0.0; j < most; j += 1.0) {
    __m256d on = _mm256_cmp_pd(_mm256_set1_pd(j), left, _CMP_LT_OQ);
    __m256d nx[6];
    memcpy(nx, y, sizeof(nx));
    step4(p, nx);
    for (int a = 0; a < HA__ATTRACT_NY; a++) {
      y[a] = select4(on, nx[a], y[a]);
    }
  }
  for (int a = 0; a < HA__ATTRACT_NY; a++) {
    _mm256_store_pd(ys[a], y[a]);
  }
  for (size_t l = 0; l < rem && l < 4; l++) {
    double st[HA__ATTRACT_NY];
    for (int a = 0; a < HA__ATTRACT_NY; a++) {
      st[a] = ys[a][l];
    }
    ha__grid_remember(&s->ref[i + l], HA__ATTRACT_NY, k[l], from[l], st);
  }
}

static HA__ALWAYS_INLINE xyz4 attract_at(const ha__batch_soa *s, size_t i, size_t rem, __m256d tv) {
  const __m256d dt = _mm256_set1_pd(HA__GRID_DT), zero = _mm256_setzero_pd();
  attract4 p;
  for (int a = 0; a < 3; a++) {
    p.tg[a] = ld(s->ph[a], i);
  }
  p.strength = ld(s->w[0], i);
  p.radius = ld(s->w[1], i);
  p.vmax = ld(s->w[2], i);
  p.keep = _mm256_sub_pd(_mm256_set1_pd(1.0), _mm256_mul_pd(ld(s->um[0], i), dt));
  __m256d tau = grid_tau4(s, i, tv);
  _Alignas(32) double taus[4], kd[4];
  _mm256_store_pd(taus, tau);
  __m256d y[6];
  walk4(s, i, rem, &p, taus, kd, y);
  /* The part of a step to τ, on a copy: the cache stays on the grid. */
  __m256d w = _mm256_div_pd(_mm256_sub_pd(tau, _mm256_mul_pd(_mm256_load_pd(kd), dt)), dt);
  __m256d part = _mm256_cmp_pd(w, zero, _CMP_GT_OQ);
  __m256d nx[6];
  memcpy(nx, y, sizeof(nx));
  step4(&p, nx);
  __m256d l[3];
  for (int a = 0; a < 3; a++) {
    __m256d lerp = _mm256_add_pd(y[a], _mm256_mul_pd(_mm256_sub_pd(nx[a], y[a]), w));
    l[a] = select4(part, lerp, y[a]);
  }
  return seam4(s, i, tau, frame4(s, i, l));
}

HA__LANES_KERNEL(ha__batch_attract_avx2, attract_at)
