/* AVX2 PENDULUM kernel: pendulum.c's RK4 grid in four lanes. Each lane
 * runs the model's operations in the same order, unfused, with the same
 * sine (ha__sin_det, restated here as sin4_det), so every grid state is the
 * model's bits and the caches stay shared with it. Per lane, in scalar
 * code: the periodic fold of τ, the grid index, where to resume
 * (checkpoint or cache) and the cache written back; the lanes step together
 * up to the largest count. A lane past a settled fold (the linear closed
 * form) is left to the model (ha__motion_data_eval on the slot's data), as
 * are lanes whose angle leaves ha__sin_det's polynomial range. The
 * position's sin θ and cos θ are sincos4's (within an ulp). */
#include "avx2_impl.h"

#define CK_HEADER 3 /* fixed_step.h: stride, count, offset; the folds follow */
enum { E_MODE = 0, E_T = 1, FOLD_SETTLED = 1, FOLD_PERIODIC = 2 };

/* ha__sin_det of four angles (lanes beyond its range: the scalar one). */
static HA__ALWAYS_INLINE __m256d sin4_det(__m256d x) {
  __m256d big = _mm256_cmp_pd(abs4(x), _mm256_set1_pd(524288.0), _CMP_NLE_UQ);
  if (_mm256_movemask_pd(big) != 0) {
    _Alignas(32) double v[4];
    _mm256_store_pd(v, x);
    for (int l = 0; l < 4; l++) {
      v[l] = ha__sin_det(v[l]);
    }
    return _mm256_load_pd(v);
  }
#define C_(v) _mm256_set1_pd(v)
  __m256d k =
      _mm256_sub_pd(_mm256_add_pd(_mm256_mul_pd(x, C_(0.6366197723675814)), C_(6755399441055744.0)),
                    C_(6755399441055744.0));
  __m256d r = _mm256_sub_pd(_mm256_sub_pd(x, _mm256_mul_pd(k, C_(1.5707963267341256))),
                            _mm256_mul_pd(k, C_(6.077100506506192e-11)));
  __m256d z = _mm256_mul_pd(r, r);
  __m256d ps =
      _mm256_add_pd(C_(-2.505075865436212e-08), _mm256_mul_pd(z, C_(1.589682799074592e-10)));
  ps = _mm256_add_pd(C_(2.755731369523361e-06), _mm256_mul_pd(z, ps));
  ps = _mm256_add_pd(C_(-1.9841269829816972e-04), _mm256_mul_pd(z, ps));
  ps = _mm256_add_pd(C_(8.333333333322425e-03), _mm256_mul_pd(z, ps));
  ps = _mm256_add_pd(C_(-1.6666666666666632e-01), _mm256_mul_pd(z, ps));
  __m256d pc =
      _mm256_add_pd(C_(2.087589666464709e-09), _mm256_mul_pd(z, C_(-1.1367930566525163e-11)));
  pc = _mm256_add_pd(C_(-2.755731573018792e-07), _mm256_mul_pd(z, pc));
  pc = _mm256_add_pd(C_(2.4801587294597684e-05), _mm256_mul_pd(z, pc));
  pc = _mm256_add_pd(C_(-1.3888888888882792e-03), _mm256_mul_pd(z, pc));
  pc = _mm256_add_pd(C_(4.166666666666665e-02), _mm256_mul_pd(z, pc));
  __m256d sn = _mm256_add_pd(r, _mm256_mul_pd(_mm256_mul_pd(r, z), ps));
  __m256d cs = _mm256_add_pd(_mm256_sub_pd(C_(1.0), _mm256_mul_pd(C_(0.5), z)),
                             _mm256_mul_pd(_mm256_mul_pd(z, z), pc));
#undef C_
  __m256i q = _mm256_and_si256(to_i64(k), _mm256_set1_epi64x(3));
  __m256d odd = _mm256_castsi256_pd(_mm256_slli_epi64(q, 63)); /* q = 1, 3: cos */
  __m256d neg = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_srli_epi64(q, 1), 63)); /* q = 2, 3 */
  return _mm256_xor_pd(select4(odd, cs, sn), neg);
}

/* −w2·sin θ − c·ω, as rk4 writes it. */
static HA__ALWAYS_INLINE __m256d accel4(__m256d nw2, __m256d c, __m256d th, __m256d om) {
  return _mm256_sub_pd(_mm256_mul_pd(nw2, sin4_det(th)), _mm256_mul_pd(c, om));
}

/* pendulum.c's rk4 of size h (per lane) on (θ, ω); nw2 = −g/L. */
static HA__ALWAYS_INLINE void rk4_4(__m256d *th, __m256d *om, __m256d h, __m256d nw2, __m256d c) {
  const __m256d two = _mm256_set1_pd(2.0);
  __m256d hh = _mm256_mul_pd(_mm256_set1_pd(0.5), h);
  __m256d k1t = *om, k1o = accel4(nw2, c, *th, *om);
  __m256d o2 = _mm256_add_pd(*om, _mm256_mul_pd(hh, k1o));
  __m256d k2o = accel4(nw2, c, _mm256_add_pd(*th, _mm256_mul_pd(hh, k1t)), o2);
  __m256d k2t = o2;
  __m256d o3 = _mm256_add_pd(*om, _mm256_mul_pd(hh, k2o));
  __m256d k3o = accel4(nw2, c, _mm256_add_pd(*th, _mm256_mul_pd(hh, k2t)), o3);
  __m256d k3t = o3;
  __m256d o4 = _mm256_add_pd(*om, _mm256_mul_pd(h, k3o));
  __m256d k4o = accel4(nw2, c, _mm256_add_pd(*th, _mm256_mul_pd(h, k3t)), o4);
  __m256d k4t = o4;
  __m256d h6 = _mm256_div_pd(h, _mm256_set1_pd(6.0));
  __m256d st = _mm256_add_pd(
      _mm256_add_pd(_mm256_add_pd(k1t, _mm256_mul_pd(two, k2t)), _mm256_mul_pd(two, k3t)), k4t);
  __m256d so = _mm256_add_pd(
      _mm256_add_pd(_mm256_add_pd(k1o, _mm256_mul_pd(two, k2o)), _mm256_mul_pd(two, k3o)), k4o);
  *th = _mm256_add_pd(*th, _mm256_mul_pd(h6, st));
  *om = _mm256_add_pd(*om, _mm256_mul_pd(h6, so));
}

typedef struct lanes4 {
  _Alignas(32) double th[4], om[4], cnt[4], h[4];
  int64_t k[4], from[4];
  int model[4]; /* left to the model */
  double most;
} lanes4;

/* Per lane: fold, grid index, resume (lanes.model set where the model
 * evaluates it). */
static void prepare4(const ha__batch_soa *s, size_t i, size_t rem, const double *tau, lanes4 *ln) {
  memset(ln, 0, sizeof(*ln));
  for (size_t l = 0; l < 4 && l < rem; l++) {
    const ha__batch_ref *r = &s->ref[i + l];
    const double *e = r->tab + CK_HEADER;
    double tl = tau[l];
    if ((int)e[E_MODE] == FOLD_SETTLED && tl >= e[E_T]) {
      ln->model[l] = 1;
      continue;
    }
    if ((int)e[E_MODE] == FOLD_PERIODIC && tl >= e[E_T]) {
      tl -= e[E_T] * floor(tl / e[E_T]);
    }
    double y[2];
    ln->k[l] = ha__grid_index(tl);
    ln->from[l] = ha__grid_resume(r, 2, ln->k[l], y);
    ln->th[l] = y[0];
    ln->om[l] = y[1];
    ln->cnt[l] = (double)(ln->k[l] - ln->from[l]);
    ln->h[l] = tl - (double)ln->k[l] * HA__GRID_DT;
    ln->most = ln->cnt[l] > ln->most ? ln->cnt[l] : ln->most;
  }
}

static HA__ALWAYS_INLINE xyz4 pendulum4(const ha__batch_soa *s, size_t i, size_t rem, __m256d tv,
                                        double *tau) {
  __m256d tv4 = grid_tau4(s, i, tv);
  _mm256_store_pd(tau, tv4);
  lanes4 ln;
  prepare4(s, i, rem, tau, &ln);
  __m256d nw2 = _mm256_sub_pd(_mm256_setzero_pd(), ld(s->w[0], i)), c = ld(s->w[1], i);
  __m256d th = _mm256_load_pd(ln.th), om = _mm256_load_pd(ln.om);
  __m256d left = _mm256_load_pd(ln.cnt), dt = _mm256_set1_pd(HA__GRID_DT);
  for (double j = 0.0; j < ln.most; j += 1.0) {
    __m256d on = _mm256_cmp_pd(_mm256_set1_pd(j), left, _CMP_LT_OQ);
    __m256d t2 = th, o2 = om;
    rk4_4(&t2, &o2, dt, nw2, c);
    th = select4(on, t2, th);
    om = select4(on, o2, om);
  }
  _mm256_store_pd(ln.th, th);
  _mm256_store_pd(ln.om, om);
  for (size_t l = 0; l < 4 && l < rem; l++) {
    if (!ln.model[l]) {
      double y[2] = {ln.th[l], ln.om[l]};
      ha__grid_remember(&s->ref[i + l], 2, ln.k[l], ln.from[l], y);
    }
  }
  /* The partial step to τ, outside the cache. */
  __m256d h = _mm256_load_pd(ln.h), t2 = th, o2 = om;
  rk4_4(&t2, &o2, h, nw2, c);
  th = select4(_mm256_cmp_pd(h, _mm256_setzero_pd(), _CMP_GT_OQ), t2, th);
  __m256d sn, cs;
  sincos4(th, &sn, &cs);
  xyz4 v;
  v.x = _mm256_fmadd_pd(ld(s->m[0][1], i), cs,
                        _mm256_fmadd_pd(ld(s->m[0][0], i), sn, ld(s->c[0], i)));
  v.y = _mm256_fmadd_pd(ld(s->m[1][1], i), cs,
                        _mm256_fmadd_pd(ld(s->m[1][0], i), sn, ld(s->c[1], i)));
  v.z = _mm256_fmadd_pd(ld(s->m[2][1], i), cs,
                        _mm256_fmadd_pd(ld(s->m[2][0], i), sn, ld(s->c[2], i)));
  return seam4(s, i, tv4, v);
}

void ha__batch_pendulum_avx2(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                             double *y, double *z) {
  const __m256d tv = _mm256_set1_pd(t);
  for (size_t i = i0, end = i0 + n; i < end; i += 4) {
    _Alignas(32) double tau[4];
    xyz4 v = pendulum4(s, i, end - i, tv, tau);
    store4(v, i - i0, end - i, x, y, z);
    for (size_t l = 0; l < 4 && l < end - i; l++) {
      const ha__batch_ref *r = &s->ref[i + l];
      const double *e = r->tab + CK_HEADER;
      if ((int)e[E_MODE] == FOLD_SETTLED && tau[l] >= e[E_T]) {
        ha_vec3 p = ha__motion_data_eval(r->data, tau[l], 0.0, 0, r->state);
        x[i - i0 + l] = p.x;
        y[i - i0 + l] = p.y;
        z[i - i0 + l] = p.z;
      }
    }
  }
}
