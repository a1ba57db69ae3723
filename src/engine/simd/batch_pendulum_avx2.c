/* AVX2 PENDULUM kernel: pendulum.c's RK4 grid in four lanes. Each lane
 * runs the model's operations in the same order, unfused, with the same
 * sine (ha__sin_det, restated here as sin_det), so every grid state is the
 * model's bits and the caches stay shared with it. Four lanes at a time:
 * the periodic fold of τ, then avx2_impl.h's grid4 (the grid index, where
 * to resume: checkpoint or cache); the cache is written back per lane;
 * the lanes step together up to the largest count. A lane past a settled
 * fold (the linear closed form) is left to the model (ha__motion_data_eval
 * on the slot's data); vectors with an angle beyond ha__sin_det's
 * polynomial range take its scalar sine. The position's sin θ and cos θ
 * are sincos4's (within an ulp).
 *
 * Stages over a chunk. One RK4 step is four sines in a row, each a Horner
 * chain (fixed by ha__sin_det's bits): ~80 cycles of latency per stage,
 * far more than its work. The kernel therefore works on chunks of PCH
 * tracks held in arrays (L1): one pass of per-lane bookkeeping, four lanes
 * at a time (τ, the fold, the grid index, the state resumed from), then
 * each RK4 stage as a loop over the chunk's vectors (independent chains
 * the out-of-order window overlaps), then the output. The partial step to
 * τ takes three stages: the position needs θ only, and the fourth sine
 * feeds ω alone. The next chunk's caches and fields (17 streams) are
 * prefetched: at 100,000 tracks the caches are 12.8 MB and the hardware
 * followed neither. Measured and dropped: four vectors per iteration
 * instead of two (no faster), prefetching two chunks ahead or the fields
 * 64 tracks ahead (slower). Forward play at 1 ms, 100,000 tracks, quiet
 * machine: ~18 ns of thread time per track, ~24 before the one-pass
 * bookkeeping, the three-stage partial step and the prefetches. */
#include "avx2_impl.h"

/* pendulum.c's folds, aux[3] and aux[4] (grid4 e0, e1): mode, time. */
enum { FOLD_SETTLED = 1, FOLD_PERIODIC = 2 };
#define PCH HA__GRID_LANES /* tracks per chunk */

#define IL 2        /* vectors per loop iteration, their chains interleaved */
#define PF_AHEAD 32 /* tracks ahead the fields are prefetched */
#define EACH(u) _Pragma("GCC unroll 4") for (int u = 0; u < IL; u++)

/* ha__sin_det's polynomials, highest degree first: sin r = r + r·z·S(z),
 * cos r = (1 − z/2) + z²·C(z). */
static const double sin_c[6] = {1.589682799074592e-10, -2.505075865436212e-08,
                                2.755731369523361e-06, -1.9841269829816972e-04,
                                8.333333333322425e-03, -1.6666666666666632e-01};
static const double cos_c[6] = {-1.1367930566525163e-11, 2.087589666464709e-09,
                                -2.755731573018792e-07,  2.4801587294597684e-05,
                                -1.3888888888882792e-03, 4.166666666666665e-02};

/* P(z) of IL vectors by Horner: the sine's (which = 0), the cosine's (1)
 * or per lane by quadrant parity (2, the coefficients blended). */
static HA__ALWAYS_INLINE void poly(const __m256d z[IL], const __m256d odd[IL], int which,
                                   __m256d p[IL]) {
#define COEF(d, u)                                                                  \
  (which == 2 ? select4(odd[u], _mm256_set1_pd(cos_c[d]), _mm256_set1_pd(sin_c[d])) \
              : _mm256_set1_pd(which ? cos_c[d] : sin_c[d]))
  EACH(u) {
    p[u] = _mm256_add_pd(COEF(1, u), _mm256_mul_pd(z[u], COEF(0, u)));
  }
  for (int d = 2; d < 6; d++) {
    EACH(u) {
      p[u] = _mm256_add_pd(COEF(d, u), _mm256_mul_pd(z[u], p[u]));
    }
  }
#undef COEF
}

/* ha__sin_det of IL vectors of angles, in place (all of them by the scalar
 * function when any lane leaves its polynomial range). A lane needs one of
 * the two polynomials (sin for an even quadrant, cos for an odd one), both
 * of the form A + B·P(z), the same operations in the same order as
 * ha__sin_det's. When every lane's quadrant has the same parity (a swing
 * within ±45° always does) only that polynomial is evaluated; otherwise one
 * Horner chain per lane on coefficients chosen per lane. */
static HA__ALWAYS_INLINE void sin_det(__m256d x[IL]) {
  const __m256d lim = _mm256_set1_pd(524288.0);
  __m256d big = _mm256_setzero_pd();
  EACH(u) {
    big = _mm256_or_pd(big, _mm256_cmp_pd(abs4(x[u]), lim, _CMP_NLE_UQ));
  }
  if (_mm256_movemask_pd(big) != 0) {
    _Alignas(32) double v[4 * IL];
    EACH(u) {
      _mm256_store_pd(v + 4 * u, x[u]);
    }
    for (int l = 0; l < 4 * IL; l++) {
      v[l] = ha__sin_det(v[l]);
    }
    EACH(u) {
      x[u] = _mm256_load_pd(v + 4 * u);
    }
    return;
  }
  /* k = round(x·2/π) as ha__sin_det rounds it; kd = 1.5·2^52 + k holds k
   * mod 4 (the quadrant) in its low mantissa bits. */
  const __m256d magic = _mm256_set1_pd(6755399441055744.0);
  __m256d r[IL], z[IL], odd[IL], neg[IL], p[IL], any = _mm256_setzero_pd(), all = any;
  EACH(u) {
    __m256d kd = _mm256_add_pd(_mm256_mul_pd(x[u], _mm256_set1_pd(0.6366197723675814)), magic);
    __m256d k = _mm256_sub_pd(kd, magic);
    r[u] = _mm256_sub_pd(_mm256_sub_pd(x[u], _mm256_mul_pd(k, _mm256_set1_pd(1.5707963267341256))),
                         _mm256_mul_pd(k, _mm256_set1_pd(6.077100506506192e-11)));
    z[u] = _mm256_mul_pd(r[u], r[u]);
    __m256i q = _mm256_castpd_si256(kd);
    odd[u] = _mm256_castsi256_pd(_mm256_slli_epi64(q, 63)); /* q = 1, 3: cos */
    neg[u] = _mm256_castsi256_pd(
        _mm256_slli_epi64(_mm256_and_si256(q, _mm256_set1_epi64x(2)), 62)); /* q = 2, 3 */
    any = _mm256_or_pd(any, odd[u]);
    all = u == 0 ? odd[u] : _mm256_and_pd(all, odd[u]);
  }
  __m256d a[IL], b[IL];
  if (_mm256_movemask_pd(any) == 0) {
    poly(z, odd, 0, p);
    EACH(u) {
      a[u] = r[u];
      b[u] = _mm256_mul_pd(r[u], z[u]);
    }
  } else if (_mm256_movemask_pd(all) == 15) {
    poly(z, odd, 1, p);
    EACH(u) {
      a[u] = _mm256_sub_pd(_mm256_set1_pd(1.0), _mm256_mul_pd(_mm256_set1_pd(0.5), z[u]));
      b[u] = _mm256_mul_pd(z[u], z[u]);
    }
  } else {
    poly(z, odd, 2, p);
    EACH(u) {
      a[u] = select4(odd[u],
                     _mm256_sub_pd(_mm256_set1_pd(1.0), _mm256_mul_pd(_mm256_set1_pd(0.5), z[u])),
                     r[u]);
      b[u] = _mm256_mul_pd(z[u], select4(odd[u], z[u], r[u])); /* z·z or (r·z) */
    }
  }
  EACH(u) {
    x[u] = _mm256_xor_pd(_mm256_add_pd(a[u], _mm256_mul_pd(b[u], p[u])), neg[u]);
  }
}

/* One chunk: per lane the state, the steps to take, the partial step. */
typedef struct chunk {
  _Alignas(32) double y[2][PCH];        /* θ, ω: the state resumed from, then grid state k */
  _Alignas(32) double cnt[PCH], h[PCH]; /* grid steps to take; the partial step to τ */
  _Alignas(32) double tau[PCH];         /* τ, unfolded (the seam, the model) */
  _Alignas(32) double k[PCH], from[PCH];
  _Alignas(32) double nw2[PCH], c[PCH]; /* −g/L, damping */
  _Alignas(32) double st[PCH], so[PCH]; /* RK4: the weighted sums of k */
  _Alignas(32) double kt[PCH], ko[PCH]; /* RK4: the last stage's k */
  unsigned model;                       /* bit l: lane l is left to the model */
  int partial;                          /* some lane has h > 0 */
  double most;
} chunk;

/* The lines of slots [i, i + 8) in every field the kernel reads (past the
 * run too: avx2_impl.h's prefetch_at). */
static HA__ALWAYS_INLINE void prefetch_slice(const ha__batch_soa *s, size_t i) {
  const double *f[] = {s->T,       s->speed,   s->shift,   s->mode,    s->w[0],    s->w[1],
                       s->c[0],    s->c[1],    s->c[2],    s->m[0][0], s->m[0][1], s->m[1][0],
                       s->m[1][1], s->m[2][0], s->m[2][1], s->rho[1],  s->rho[2]};
  for (size_t a = 0; a < sizeof(f) / sizeof(f[0]); a++) {
    prefetch_at(f[a], i * sizeof(double));
  }
}

/* Lanes g..g + 3 of the chunk (slots i + g..): τ, the fold, the grid
 * index k and where to resume (avx2_impl.h's grid4), the state resumed
 * from; lanes left to the model or past the run at rest (no step, h 0). */
static HA__ALWAYS_INLINE void prepare4(const ha__batch_soa *s, size_t i, size_t g, size_t end,
                                       __m256d tv, chunk *ch) {
  const __m256d zero = _mm256_setzero_pd();
  size_t at = i + g;
  grid_prefetch4(s, at, end, 2);
  if (g % 8 == 0) {
    prefetch_slice(s, at + PF_AHEAD);
  }
  __m256d tau = tau4(s, at, tv);
  _mm256_store_pd(ch->tau + g, tau);
  _mm256_store_pd(ch->nw2 + g, _mm256_sub_pd(zero, ld(s->w[0], at)));
  _mm256_store_pd(ch->c + g, ld(s->w[1], at));
  grid4 gr;
  grid_heads4(s, at, end, 2, &gr);
  /* The folds: past a settled one the model evaluates, past a periodic one τ wraps. */
  __m256d past = _mm256_cmp_pd(tau, gr.e1, _CMP_GE_OQ);
  __m256d settled =
      _mm256_and_pd(_mm256_cmp_pd(gr.e0, _mm256_set1_pd(FOLD_SETTLED), _CMP_EQ_OQ), past);
  __m256d periodic =
      _mm256_and_pd(_mm256_cmp_pd(gr.e0, _mm256_set1_pd(FOLD_PERIODIC), _CMP_EQ_OQ), past);
  if (_mm256_movemask_pd(periodic) != 0) {
    __m256d folded =
        _mm256_sub_pd(tau, _mm256_mul_pd(gr.e1, _mm256_floor_pd(_mm256_div_pd(tau, gr.e1))));
    tau = select4(periodic, folded, tau);
  }
  ch->model |= (unsigned)_mm256_movemask_pd(settled) << g;
  grid_plan4(&gr, tau);
  /* Lanes that step: in the run, not left to the model. */
  __m256d live = _mm256_castsi256_pd(lanes_below(end - at));
  live = _mm256_andnot_pd(settled, live);
  __m256d h =
      _mm256_and_pd(_mm256_sub_pd(tau, _mm256_mul_pd(gr.k, _mm256_set1_pd(HA__GRID_DT))), live);
  _mm256_store_pd(ch->k + g, gr.k);
  _mm256_store_pd(ch->from + g, gr.from);
  _mm256_store_pd(ch->cnt + g, _mm256_and_pd(_mm256_sub_pd(gr.k, gr.from), live));
  _mm256_store_pd(ch->h + g, h);
  ch->partial |= _mm256_movemask_pd(_mm256_cmp_pd(h, zero, _CMP_GT_OQ));
  unsigned on = (unsigned)_mm256_movemask_pd(live);
  _Pragma("GCC unroll 4") for (size_t q = 0; q < 4; q++) {
    ch->y[0][g + q] = ch->y[1][g + q] = 0.0;
    if (on >> q & 1u) {
      const double *y = grid_state(&s->ref[at + q], q, 2, &gr);
      ch->y[0][g + q] = y[0];
      ch->y[1][g + q] = y[1];
    }
  }
}

/* RK4 stage `stage` (1..4) of pendulum.c's rk4 on every vector of the
 * chunk (nv of them, a multiple of IL), step h per lane (NULL: dt). */
static HA__ALWAYS_INLINE void rk4_stage(chunk *ch, size_t nv, const double *h, int stage) {
  const __m256d half = _mm256_set1_pd(0.5), dt = _mm256_set1_pd(HA__GRID_DT);
  for (size_t g = 0; g < 4 * nv; g += 4 * IL) {
    __m256d ts[IL], os[IL], sn[IL];
    EACH(u) {
      size_t at = g + 4 * (size_t)u;
      ts[u] = _mm256_load_pd(ch->y[0] + at);
      os[u] = _mm256_load_pd(ch->y[1] + at);
      if (stage > 1) {
        __m256d hv = h != NULL ? _mm256_load_pd(h + at) : dt;
        __m256d hs = stage < 4 ? _mm256_mul_pd(half, hv) : hv;
        ts[u] = _mm256_add_pd(ts[u], _mm256_mul_pd(hs, _mm256_load_pd(ch->kt + at)));
        os[u] = _mm256_add_pd(os[u], _mm256_mul_pd(hs, _mm256_load_pd(ch->ko + at)));
      }
      sn[u] = ts[u];
    }
    sin_det(sn);
    EACH(u) {
      size_t at = g + 4 * (size_t)u;
      /* −w2·sin θ − c·ω, as rk4 writes it. */
      __m256d ko = _mm256_sub_pd(_mm256_mul_pd(_mm256_load_pd(ch->nw2 + at), sn[u]),
                                 _mm256_mul_pd(_mm256_load_pd(ch->c + at), os[u]));
      if (stage == 1) {
        _mm256_store_pd(ch->st + at, os[u]);
        _mm256_store_pd(ch->so + at, ko);
      } else {
        __m256d wt = stage < 4 ? _mm256_add_pd(os[u], os[u]) : os[u]; /* = 2.0·k */
        __m256d wo = stage < 4 ? _mm256_add_pd(ko, ko) : ko;
        _mm256_store_pd(ch->st + at, _mm256_add_pd(_mm256_load_pd(ch->st + at), wt));
        _mm256_store_pd(ch->so + at, _mm256_add_pd(_mm256_load_pd(ch->so + at), wo));
      }
      _mm256_store_pd(ch->kt + at, os[u]);
      _mm256_store_pd(ch->ko + at, ko);
    }
  }
}

/* Grid step j of every lane of the chunk (the state kept where j < cnt). */
static void grid_step(chunk *ch, size_t nv, double j) {
  for (int stage = 1; stage <= 4; stage++) {
    rk4_stage(ch, nv, NULL, stage);
  }
  const __m256d h6 = _mm256_set1_pd(HA__GRID_DT / 6.0);
  for (size_t g = 0; g < 4 * nv; g += 4) {
    __m256d on = _mm256_cmp_pd(_mm256_set1_pd(j), _mm256_load_pd(ch->cnt + g), _CMP_LT_OQ);
    __m256d th = _mm256_load_pd(ch->y[0] + g), om = _mm256_load_pd(ch->y[1] + g);
    __m256d t2 = _mm256_add_pd(th, _mm256_mul_pd(h6, _mm256_load_pd(ch->st + g)));
    __m256d o2 = _mm256_add_pd(om, _mm256_mul_pd(h6, _mm256_load_pd(ch->so + g)));
    _mm256_store_pd(ch->y[0] + g, select4(on, t2, th));
    _mm256_store_pd(ch->y[1] + g, select4(on, o2, om));
  }
}

/* θ at τ of lanes g..g + 3: the partial step's θ from its first three
 * stages (k4 of θ is ω after stage 3; the fourth sine only feeds ω, which
 * the position does not need), where h > 0. */
static HA__ALWAYS_INLINE __m256d partial_theta(const chunk *ch, size_t g) {
  __m256d th = _mm256_load_pd(ch->y[0] + g);
  if (!ch->partial) {
    return th;
  }
  __m256d h = _mm256_load_pd(ch->h + g);
  __m256d o4 =
      _mm256_add_pd(_mm256_load_pd(ch->y[1] + g), _mm256_mul_pd(h, _mm256_load_pd(ch->ko + g)));
  __m256d sum = _mm256_add_pd(_mm256_load_pd(ch->st + g), o4);
  __m256d t2 = _mm256_add_pd(th, _mm256_mul_pd(_mm256_div_pd(h, _mm256_set1_pd(6.0)), sum));
  return select4(_mm256_cmp_pd(h, _mm256_setzero_pd(), _CMP_GT_OQ), t2, th);
}

/* Tracks [i, i + PCH) of the run [.., end) (fewer at its end) into
 * x/y/z + o. */
static void pendulum_chunk(const ha__batch_soa *s, size_t i, size_t end, __m256d tv, size_t o,
                           double *x, double *y, double *z) {
  size_t m = end - i < PCH ? end - i : PCH;
  chunk ch;
  size_t nv = (m + 3) / 4, nvi = (nv + IL - 1) / IL * IL;
  ch.model = 0;
  ch.partial = 0;
  for (size_t g = 0; g < 4 * nvi; g += 4) {
    if (g < 4 * nv) { /* the fields past the run's last vector are not ours to read */
      prepare4(s, i, g, end, tv, &ch);
      continue;
    }
    const __m256d zero = _mm256_setzero_pd();
    _mm256_store_pd(ch.y[0] + g, zero);
    _mm256_store_pd(ch.y[1] + g, zero);
    _mm256_store_pd(ch.cnt + g, zero);
    _mm256_store_pd(ch.h + g, zero);
    _mm256_store_pd(ch.nw2 + g, zero);
    _mm256_store_pd(ch.c + g, zero);
  }
  ch.most = max_of4(ch.cnt, nv);
  for (double j = 0.0; j < ch.most; j += 1.0) {
    grid_step(&ch, nvi, j);
  }
  for (size_t l = 0; l < m; l++) {
    if (!(ch.model >> l & 1u)) {
      grid_remember(&s->ref[i + l], 2, ch.k[l], ch.from[l], ch.y, l);
    }
  }
  /* The partial step to τ (where h > 0), outside the cache. */
  for (int stage = 1; ch.partial && stage <= 3; stage++) {
    rk4_stage(&ch, nvi, ch.h, stage);
  }
  for (size_t g = 0; g < 4 * nv; g += 4) {
    __m256d sn, cs;
    sincos4(partial_theta(&ch, g), &sn, &cs);
    size_t at = i + g;
    xyz4 v;
    v.x = _mm256_fmadd_pd(ld(s->m[0][1], at), cs,
                          _mm256_fmadd_pd(ld(s->m[0][0], at), sn, ld(s->c[0], at)));
    v.y = _mm256_fmadd_pd(ld(s->m[1][1], at), cs,
                          _mm256_fmadd_pd(ld(s->m[1][0], at), sn, ld(s->c[1], at)));
    v.z = _mm256_fmadd_pd(ld(s->m[2][1], at), cs,
                          _mm256_fmadd_pd(ld(s->m[2][0], at), sn, ld(s->c[2], at)));
    store4(seam4(s, at, _mm256_load_pd(ch.tau + g), v), o + g, m - g, x, y, z);
  }
  for (size_t l = 0; ch.model != 0 && l < m; l++) {
    if (ch.model >> l & 1u) {
      const ha__batch_ref *r = &s->ref[i + l];
      ha_vec3 p = ha__motion_data_eval(r->data, ch.tau[l], 0.0, 0, r->state);
      x[o + l] = p.x;
      y[o + l] = p.y;
      z[o + l] = p.z;
    }
  }
}

void ha__batch_pendulum_avx2(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                             double *y, double *z) {
  const __m256d tv = _mm256_set1_pd(t);
  grid_prefetch_first(s, i0, i0 + n, 2);
  for (size_t i = i0, end = i0 + n; i < end; i += PCH) {
    pendulum_chunk(s, i, end, tv, i - i0, x, y, z);
  }
}
