/* Vector ATTRACT kernel: attract_repel.c's fixed step in VW lanes, each
 * lane the scalar reference's operations in the same order, unfused
 * (sqrt and division are correctly rounded in both), so every grid state
 * is the model's bits and the caches stay shared with it. The grid index
 * and where each lane resumes (checkpoint or cache) come from vec_impl.h's
 * grid_v, the cache is written back per lane; the lanes then step together
 * up to the largest count, a lane that has arrived keeping its state
 * (blend). Lanes past the end of the run take no steps and are discarded.
 * The fields (25 streams) are prefetched a chunk ahead: the hardware
 * prefetcher did not follow them all (1.3x at 100,000 tracks).
 *
 * Stages over a chunk, as the PENDULUM kernel: a step is one chain of two
 * square roots and four divisions (~120 cycles of latency, far more than
 * its work), so the kernel works on chunks of ACH tracks held in arrays:
 * one pass of per-lane bookkeeping a vector at a time, then each step as
 * a loop over the chunk's vectors, two at a time (independent chains the
 * out-of-order window overlaps), then the part of a step to τ and the
 * output. Measured and dropped (AVX2): four vectors at a time (no faster); the
 * fields 64 tracks ahead, or not prefetched (slower); keeping grid state
 * k + 1 in the cache so that forward play takes one step, not two (as
 * fast: at 100,000 tracks the kernel waits on memory, ~600 bytes per
 * track, and in cache a step is ~2 ns of its ~21). */
#include "vec_impl.h"

#define ACH HA__GRID_LANES /* tracks per chunk (a multiple of VW · IL) */
#define IL 2               /* vectors per loop iteration, their chains interleaved */
#define PF_AHEAD 32        /* tracks ahead the fields are prefetched */
#define EACH(u) _Pragma("GCC unroll 4") for (int u = 0; u < IL; u++)

/* One chunk: per lane the state, the steps to take, the parameters. */
typedef struct chunk {
  _Alignas(VALIGN) double y[HA__ATTRACT_NY][ACH]; /* x in y[0..2], v in y[3..5] */
  _Alignas(VALIGN) double cnt[ACH];               /* grid steps to take */
  _Alignas(VALIGN) double tg[3][ACH], strength[ACH], radius[ACH], vmax[ACH], keep[ACH];
  _Alignas(VALIGN) double tau[ACH], k[ACH], from[ACH];
  double most;
} chunk;

/* attract_step for IL vectors at lane g of the chunk: y[a][u] component a
 * of vector u. */
static HA__ALWAYS_INLINE void step_il(const chunk *ch, size_t g, vd y[HA__ATTRACT_NY][IL]) {
  const vd dt = vset1(HA__GRID_DT), zero = vzero();
  vd dv[3][IL], dist[IL], f[IL];
  vm pos[IL];
  EACH(u) {
    size_t at = g + VW * (size_t)u;
    for (int a = 0; a < 3; a++) {
      dv[a][u] = vsub(vload(ch->tg[a] + at), y[a][u]);
    }
    vd d2 = vadd(vmul(dv[0][u], dv[0][u]), vmul(dv[1][u], dv[1][u]));
    dist[u] = vsqrt(vadd(d2, vmul(dv[2][u], dv[2][u])));
    vd st = vload(ch->strength + at);
    f[u] = vsel(vcmp(dist[u], vload(ch->radius + at), _CMP_LT_OQ), vmul(vset1(-2.0), st), st);
    pos[u] = vcmp(dist[u], zero, _CMP_GT_OQ);
  }
  vd sp[IL];
  vm over = vm_none();
  EACH(u) {
    vd keep = vload(ch->keep + g + VW * (size_t)u);
    for (int a = 0; a < 3; a++) {
      vd un = vkeep(vdiv(dv[a][u], dist[u]), pos[u]);
      y[3 + a][u] = vmul(vadd(y[3 + a][u], vmul(vmul(f[u], un), dt)), keep);
    }
    vd s2 = vadd(vmul(y[3][u], y[3][u]), vmul(y[4][u], y[4][u]));
    sp[u] = vsqrt(vadd(s2, vmul(y[5][u], y[5][u])));
    over = vm_or(over, vcmp(sp[u], vload(ch->vmax + g + VW * (size_t)u), _CMP_GT_OQ));
  }
  /* The speed limit: the division only when a lane is over it. */
  if (vm_bits(over) != 0) {
    EACH(u) {
      vd vmax = vload(ch->vmax + g + VW * (size_t)u);
      vm on = vcmp(sp[u], vmax, _CMP_GT_OQ);
      vd r = vdiv(vmax, sp[u]);
      for (int a = 3; a < 6; a++) {
        y[a][u] = vsel(on, vmul(y[a][u], r), y[a][u]);
      }
    }
  }
  EACH(u) {
    for (int a = 0; a < 3; a++) {
      y[a][u] = vadd(y[a][u], vmul(y[3 + a][u], dt));
    }
  }
}

/* The lines of slots [i, i + 8) in every field the kernel reads (past the
 * run too: vec_impl.h's prefetch_at). */
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

/* Lanes g..g + VW − 1 of the chunk (slots i + g..): τ, the parameters, the
 * grid index k and where to resume (vec_impl.h's grid_v), the state
 * resumed from; lanes past the run at rest (no step). */
static HA__ALWAYS_INLINE void prepare_v(const ha__batch_soa *s, size_t i, size_t g, size_t end,
                                        vd tv, chunk *ch) {
  const vd dt = vset1(HA__GRID_DT);
  size_t at = i + g;
  grid_prefetch_v(s, at, end, HA__ATTRACT_NY);
  if (g % 8 == 0) {
    prefetch_slice(s, at + PF_AHEAD);
  }
  for (int a = 0; a < 3; a++) {
    vstore(ch->tg[a] + g, ld(s->ph[a], at));
  }
  vstore(ch->strength + g, ld(s->w[0], at));
  vstore(ch->radius + g, ld(s->w[1], at));
  vstore(ch->vmax + g, ld(s->w[2], at));
  vstore(ch->keep + g, vsub(vset1(1.0), vmul(ld(s->um[0], at), dt)));
  vd tau = tau_v(s, at, tv);
  grid_v gr;
  grid_heads_v(s, at, end, HA__ATTRACT_NY, &gr);
  grid_plan_v(&gr, tau);
  vm live = lanes_below(end - at);
  vstore(ch->tau + g, tau);
  vstore(ch->k + g, gr.k);
  vstore(ch->from + g, gr.from);
  vstore(ch->cnt + g, vkeep(vsub(gr.k, gr.from), live));
  _Pragma("GCC unroll 8") for (size_t q = 0; q < VW; q++) {
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
    for (size_t g = 0; g < VW * nvi; g += VW * IL) {
      vd y[HA__ATTRACT_NY][IL];
      vm on[IL];
      EACH(u) {
        size_t at = g + VW * (size_t)u;
        on[u] = vcmp(vset1(j), vload(ch->cnt + at), _CMP_LT_OQ);
        for (int a = 0; a < HA__ATTRACT_NY; a++) {
          y[a][u] = vload(ch->y[a] + at);
        }
      }
      step_il(ch, g, y);
      EACH(u) {
        size_t at = g + VW * (size_t)u;
        for (int a = 0; a < HA__ATTRACT_NY; a++) {
          vstore(ch->y[a] + at, vsel(on[u], y[a][u], vload(ch->y[a] + at)));
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
static void attract_chunk(const ha__batch_soa *s, size_t i, size_t end, vd tv, size_t o, double *x,
                          double *y, double *z) {
  const vd dt = vset1(HA__GRID_DT), zero = vzero();
  chunk ch;
  size_t m = end - i < ACH ? end - i : ACH;
  size_t nv = (m + VW - 1) / VW, nvi = (nv + IL - 1) / IL * IL;
  for (size_t g = 0; g < VW * nvi; g += VW) {
    if (g < VW * nv) { /* the fields past the run's last vector are not ours to read */
      prepare_v(s, i, g, end, tv, &ch);
      continue;
    }
    double *zeroed[] = {ch.y[0], ch.y[1],     ch.y[2],   ch.y[3],  ch.y[4], ch.y[5],
                        ch.cnt,  ch.tg[0],    ch.tg[1],  ch.tg[2], ch.tau,  ch.k,
                        ch.from, ch.strength, ch.radius, ch.vmax,  ch.keep};
    for (size_t a = 0; a < sizeof(zeroed) / sizeof(zeroed[0]); a++) {
      vstore(zeroed[a] + g, zero);
    }
  }
  ch.most = max_of_v(ch.cnt, nv);
  walk_chunk(s, i, m, nvi, &ch);
  /* The part of a step to τ, on a copy: the cache stays on the grid. */
  for (size_t g = 0; g < VW * nv; g += VW * IL) {
    vd yy[HA__ATTRACT_NY][IL], w[IL];
    vm part = vm_none();
    EACH(u) {
      size_t at = g + VW * (size_t)u;
      for (int a = 0; a < HA__ATTRACT_NY; a++) {
        yy[a][u] = vload(ch.y[a] + at);
      }
      w[u] = vdiv(vsub(vload(ch.tau + at), vmul(vload(ch.k + at), dt)), dt);
      part = vm_or(part, vcmp(w[u], zero, _CMP_GT_OQ));
    }
    if (vm_bits(part) != 0) {
      step_il(&ch, g, yy);
    }
    EACH(u) {
      size_t at = g + VW * (size_t)u;
      if (at >= VW * nv) {
        break;
      }
      vm on = vcmp(w[u], zero, _CMP_GT_OQ);
      vd l[3];
      for (int a = 0; a < 3; a++) {
        vd ya = vload(ch.y[a] + at);
        vd lerp = vadd(ya, vmul(vsub(yy[a][u], ya), w[u]));
        l[a] = vsel(on, lerp, ya);
      }
      store_v(seam_v(s, i + at, vload(ch.tau + at), frame_v(s, i + at, l)), o + at, m - at, x, y,
              z);
    }
  }
}

void HA__V(ha__batch_attract)(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                              double *y, double *z) {
  const vd tv = vset1(t);
  grid_prefetch_first(s, i0, i0 + n, HA__ATTRACT_NY);
  for (size_t i = i0, end = i0 + n; i < end; i += ACH) {
    attract_chunk(s, i, end, tv, i - i0, x, y, z);
  }
}
