/* AVX2 ATTRACT kernel: attract_repel.c's fixed step in four lanes, each
 * lane the scalar reference's operations in the same order, unfused
 * (sqrt and division are correctly rounded in both), so every grid state
 * is the model's bits and the caches stay shared with it. The grid index
 * and where each lane resumes (checkpoint or cache) come from avx2_impl.h's
 * grid4, the cache is written back per lane; the lanes then step together
 * up to the largest count, a lane that has arrived keeping its state
 * (blend). Lanes past the end of the run take no steps and are discarded.
 * The fields (25 streams) are prefetched a chunk ahead: the hardware
 * prefetcher did not follow them all (1.3x at 100,000 tracks).
 *
 * Stages over a chunk, as the PENDULUM kernel: a step is one chain of two
 * square roots and four divisions (~120 cycles of latency, far more than
 * its work), so the kernel works on chunks of ACH tracks held in arrays:
 * one pass of per-lane bookkeeping four lanes at a time, then each step as
 * a loop over the chunk's vectors, two at a time (independent chains the
 * out-of-order window overlaps), then the part of a step to τ and the
 * output. Measured and dropped: four vectors at a time (no faster); the
 * fields 64 tracks ahead, or not prefetched (slower); keeping grid state
 * k + 1 in the cache so that forward play takes one step, not two (as
 * fast: at 100,000 tracks the kernel waits on memory, ~600 bytes per
 * track, and in cache a step is ~2 ns of its ~21). */
#include "avx2_impl.h"

#define ACH HA__GRID_LANES /* tracks per chunk (a multiple of 4 · IL) */
#define IL 2               /* vectors per loop iteration, their chains interleaved */
#define PF_AHEAD 32        /* tracks ahead the fields are prefetched */
#define EACH(u) _Pragma("GCC unroll 4") for (int u = 0; u < IL; u++)

/* One chunk: per lane the state, the steps to take, the parameters. */
typedef struct chunk {
  _Alignas(32) double y[HA__ATTRACT_NY][ACH]; /* x in y[0..2], v in y[3..5] */
  _Alignas(32) double cnt[ACH];               /* grid steps to take */
  _Alignas(32) double tg[3][ACH], strength[ACH], radius[ACH], vmax[ACH], keep[ACH];
  _Alignas(32) double tau[ACH], k[ACH], from[ACH];
  double most;
} chunk;

/* attract_step for IL vectors at lane g of the chunk: y[a][u] component a
 * of vector u. */
static HA__ALWAYS_INLINE void step_il(const chunk *ch, size_t g, __m256d y[HA__ATTRACT_NY][IL]) {
  const __m256d dt = _mm256_set1_pd(HA__GRID_DT), zero = _mm256_setzero_pd();
  __m256d dv[3][IL], dist[IL], f[IL], pos[IL];
  EACH(u) {
    size_t at = g + 4 * (size_t)u;
    for (int a = 0; a < 3; a++) {
      dv[a][u] = _mm256_sub_pd(_mm256_load_pd(ch->tg[a] + at), y[a][u]);
    }
    __m256d d2 =
        _mm256_add_pd(_mm256_mul_pd(dv[0][u], dv[0][u]), _mm256_mul_pd(dv[1][u], dv[1][u]));
    dist[u] = _mm256_sqrt_pd(_mm256_add_pd(d2, _mm256_mul_pd(dv[2][u], dv[2][u])));
    __m256d st = _mm256_load_pd(ch->strength + at);
    f[u] = select4(_mm256_cmp_pd(dist[u], _mm256_load_pd(ch->radius + at), _CMP_LT_OQ),
                   _mm256_mul_pd(_mm256_set1_pd(-2.0), st), st);
    pos[u] = _mm256_cmp_pd(dist[u], zero, _CMP_GT_OQ);
  }
  __m256d sp[IL], over = zero;
  EACH(u) {
    __m256d keep = _mm256_load_pd(ch->keep + g + 4 * (size_t)u);
    for (int a = 0; a < 3; a++) {
      __m256d un = _mm256_and_pd(_mm256_div_pd(dv[a][u], dist[u]), pos[u]);
      y[3 + a][u] = _mm256_mul_pd(
          _mm256_add_pd(y[3 + a][u], _mm256_mul_pd(_mm256_mul_pd(f[u], un), dt)), keep);
    }
    __m256d s2 = _mm256_add_pd(_mm256_mul_pd(y[3][u], y[3][u]), _mm256_mul_pd(y[4][u], y[4][u]));
    sp[u] = _mm256_sqrt_pd(_mm256_add_pd(s2, _mm256_mul_pd(y[5][u], y[5][u])));
    over = _mm256_or_pd(
        over, _mm256_cmp_pd(sp[u], _mm256_load_pd(ch->vmax + g + 4 * (size_t)u), _CMP_GT_OQ));
  }
  /* The speed limit: the division only when a lane is over it. */
  if (_mm256_movemask_pd(over) != 0) {
    EACH(u) {
      __m256d vmax = _mm256_load_pd(ch->vmax + g + 4 * (size_t)u);
      __m256d on = _mm256_cmp_pd(sp[u], vmax, _CMP_GT_OQ);
      __m256d r = _mm256_div_pd(vmax, sp[u]);
      for (int a = 3; a < 6; a++) {
        y[a][u] = select4(on, _mm256_mul_pd(y[a][u], r), y[a][u]);
      }
    }
  }
  EACH(u) {
    for (int a = 0; a < 3; a++) {
      y[a][u] = _mm256_add_pd(y[a][u], _mm256_mul_pd(y[3 + a][u], dt));
    }
  }
}

/* The lines of slots [i, i + 8) in every field the kernel reads (past the
 * run too: avx2_impl.h's prefetch_at). */
static HA__ALWAYS_INLINE void prefetch_slice(const ha__batch_soa *s, size_t i) {
  const double *f[] = {s->T,       s->speed,   s->shift,   s->mode,    s->ph[0],
                       s->ph[1],   s->ph[2],   s->w[0],    s->w[1],    s->w[2],
                       s->um[0],   s->c[0],    s->c[1],    s->c[2],    s->m[0][0],
                       s->m[0][1], s->m[0][2], s->m[1][0], s->m[1][1], s->m[1][2],
                       s->m[2][0], s->m[2][1], s->m[2][2], s->rho[1],  s->rho[2]};
  for (size_t a = 0; a < sizeof(f) / sizeof(f[0]); a++) {
    prefetch_at(f[a], i * sizeof(double));
  }
}

/* Lanes g..g + 3 of the chunk (slots i + g..): τ, the parameters, the
 * grid index k and where to resume (avx2_impl.h's grid4), the state
 * resumed from; lanes past the run at rest (no step). */
static HA__ALWAYS_INLINE void prepare4(const ha__batch_soa *s, size_t i, size_t g, size_t end,
                                       __m256d tv, chunk *ch) {
  const __m256d dt = _mm256_set1_pd(HA__GRID_DT);
  size_t at = i + g;
  grid_prefetch4(s, at, end, HA__ATTRACT_NY);
  if (g % 8 == 0) {
    prefetch_slice(s, at + PF_AHEAD);
  }
  for (int a = 0; a < 3; a++) {
    _mm256_store_pd(ch->tg[a] + g, ld(s->ph[a], at));
  }
  _mm256_store_pd(ch->strength + g, ld(s->w[0], at));
  _mm256_store_pd(ch->radius + g, ld(s->w[1], at));
  _mm256_store_pd(ch->vmax + g, ld(s->w[2], at));
  _mm256_store_pd(ch->keep + g,
                  _mm256_sub_pd(_mm256_set1_pd(1.0), _mm256_mul_pd(ld(s->um[0], at), dt)));
  __m256d tau = tau4(s, at, tv);
  grid4 gr;
  grid_heads4(s, at, end, HA__ATTRACT_NY, &gr);
  grid_plan4(&gr, tau);
  __m256d live = _mm256_castsi256_pd(lanes_below(end - at));
  _mm256_store_pd(ch->tau + g, tau);
  _mm256_store_pd(ch->k + g, gr.k);
  _mm256_store_pd(ch->from + g, gr.from);
  _mm256_store_pd(ch->cnt + g, _mm256_and_pd(_mm256_sub_pd(gr.k, gr.from), live));
  _Pragma("GCC unroll 4") for (size_t q = 0; q < 4; q++) {
    if (at + q < end) {
      const double *y = grid_state(&s->ref[at + q], q, HA__ATTRACT_NY, &gr);
      for (int a = 0; a < HA__ATTRACT_NY; a++) {
        ch->y[a][g + q] = y[a];
      }
    } else {
      for (int a = 0; a < HA__ATTRACT_NY; a++) {
        ch->y[a][g + q] = 0.0;
      }
    }
  }
}

/* The steps to each lane's grid state, the caches updated. */
static void walk_chunk(const ha__batch_soa *s, size_t i, size_t m, size_t nvi, chunk *ch) {
  for (double j = 0.0; j < ch->most; j += 1.0) {
    for (size_t g = 0; g < 4 * nvi; g += 4 * IL) {
      __m256d y[HA__ATTRACT_NY][IL], on[IL];
      EACH(u) {
        size_t at = g + 4 * (size_t)u;
        on[u] = _mm256_cmp_pd(_mm256_set1_pd(j), _mm256_load_pd(ch->cnt + at), _CMP_LT_OQ);
        for (int a = 0; a < HA__ATTRACT_NY; a++) {
          y[a][u] = _mm256_load_pd(ch->y[a] + at);
        }
      }
      step_il(ch, g, y);
      EACH(u) {
        size_t at = g + 4 * (size_t)u;
        for (int a = 0; a < HA__ATTRACT_NY; a++) {
          _mm256_store_pd(ch->y[a] + at, select4(on[u], y[a][u], _mm256_load_pd(ch->y[a] + at)));
        }
      }
    }
  }
  for (size_t l = 0; l < m; l++) {
    grid_remember(&s->ref[i + l], HA__ATTRACT_NY, ch->k[l], ch->from[l], ch->y, l);
  }
}

/* Tracks [i, i + ACH) of the run [.., end) (fewer at its end) into
 * x/y/z + o. */
static void attract_chunk(const ha__batch_soa *s, size_t i, size_t end, __m256d tv, size_t o,
                          double *x, double *y, double *z) {
  const __m256d dt = _mm256_set1_pd(HA__GRID_DT), zero = _mm256_setzero_pd();
  chunk ch;
  size_t m = end - i < ACH ? end - i : ACH;
  size_t nv = (m + 3) / 4, nvi = (nv + IL - 1) / IL * IL;
  for (size_t g = 0; g < 4 * nvi; g += 4) {
    if (g < 4 * nv) { /* the fields past the run's last vector are not ours to read */
      prepare4(s, i, g, end, tv, &ch);
      continue;
    }
    double *zeroed[] = {ch.y[0], ch.y[1],     ch.y[2],   ch.y[3],  ch.y[4], ch.y[5],
                        ch.cnt,  ch.tg[0],    ch.tg[1],  ch.tg[2], ch.tau,  ch.k,
                        ch.from, ch.strength, ch.radius, ch.vmax,  ch.keep};
    for (size_t a = 0; a < sizeof(zeroed) / sizeof(zeroed[0]); a++) {
      _mm256_store_pd(zeroed[a] + g, zero);
    }
  }
  ch.most = max_of4(ch.cnt, nv);
  walk_chunk(s, i, m, nvi, &ch);
  /* The part of a step to τ, on a copy: the cache stays on the grid. */
  for (size_t g = 0; g < 4 * nv; g += 4 * IL) {
    __m256d yy[HA__ATTRACT_NY][IL], w[IL], part = zero;
    EACH(u) {
      size_t at = g + 4 * (size_t)u;
      for (int a = 0; a < HA__ATTRACT_NY; a++) {
        yy[a][u] = _mm256_load_pd(ch.y[a] + at);
      }
      w[u] = _mm256_div_pd(
          _mm256_sub_pd(_mm256_load_pd(ch.tau + at), _mm256_mul_pd(_mm256_load_pd(ch.k + at), dt)),
          dt);
      part = _mm256_or_pd(part, _mm256_cmp_pd(w[u], zero, _CMP_GT_OQ));
    }
    if (_mm256_movemask_pd(part) != 0) {
      step_il(&ch, g, yy);
    }
    EACH(u) {
      size_t at = g + 4 * (size_t)u;
      if (at >= 4 * nv) {
        break;
      }
      __m256d on = _mm256_cmp_pd(w[u], zero, _CMP_GT_OQ), l[3];
      for (int a = 0; a < 3; a++) {
        __m256d ya = _mm256_load_pd(ch.y[a] + at);
        __m256d lerp = _mm256_add_pd(ya, _mm256_mul_pd(_mm256_sub_pd(yy[a][u], ya), w[u]));
        l[a] = select4(on, lerp, ya);
      }
      store4(seam4(s, i + at, _mm256_load_pd(ch.tau + at), frame4(s, i + at, l)), o + at, m - at, x,
             y, z);
    }
  }
}

void ha__batch_attract_avx2(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                            double *y, double *z) {
  const __m256d tv = _mm256_set1_pd(t);
  grid_prefetch_first(s, i0, i0 + n, HA__ATTRACT_NY);
  for (size_t i = i0, end = i0 + n; i < end; i += ACH) {
    attract_chunk(s, i, end, tv, i - i0, x, y, z);
  }
}
