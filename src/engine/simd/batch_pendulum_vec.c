/* Vector PENDULUM kernel: pendulum.c's RK4 grid in VW lanes. Each lane
 * runs the model's operations in the same order, unfused, with the same
 * sine (ha__sin_det, restated here as sin_det), so every grid state is the
 * model's bits and the caches stay shared with it. A vector at a time:
 * the periodic fold of τ, then vec_impl.h's grid_v (the grid index, where
 * to resume: checkpoint or cache); the cache is written back per lane;
 * the lanes step together up to the largest count. A lane past a settled
 * fold (the linear closed form) is left to the model (ha__motion_data_eval
 * on the slot's data); vectors with an angle beyond ha__sin_det's
 * polynomial range take its scalar sine. The position's sin θ and cos θ
 * are sincos_v's (within an ulp).
 *
 * Stages over a chunk. One RK4 step is four sines in a row, each a Horner
 * chain (fixed by ha__sin_det's bits): ~80 cycles of latency per stage,
 * far more than its work. The kernel therefore works on chunks of PCH
 * tracks held in arrays (L1): one pass of per-lane bookkeeping, a vector
 * at a time (τ, the fold, the grid index, the state resumed from), then
 * each RK4 stage as a loop over the chunk's vectors (independent chains
 * the out-of-order window overlaps), then the output. The partial step to
 * τ takes three stages: the position needs θ only, and the fourth sine
 * feeds ω alone. The next chunk's caches and fields (17 streams) are
 * prefetched: at 100,000 tracks the caches are 12.8 MB and the hardware
 * followed neither. Measured and dropped (AVX2): four vectors per iteration
 * instead of two (no faster), prefetching two chunks ahead or the fields
 * 64 tracks ahead (slower). Forward play at 1 ms, 100,000 tracks, quiet
 * machine: ~18 ns of thread time per track, ~24 before the one-pass
 * bookkeeping, the three-stage partial step and the prefetches. */
#include "vec_impl.h"

/* pendulum.c's folds, aux[3] and aux[4] (grid_v e0, e1): mode, time. */
enum { FOLD_SETTLED = 1, FOLD_PERIODIC = 2 };
#define PCH HA__GRID_LANES /* tracks per chunk */
_Static_assert(PCH <= 64, "a chunk's lanes are the bits of its uint64_t model mask");

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
static HA__ALWAYS_INLINE void poly(const vd z[IL], const vm odd[IL], int which, vd p[IL]) {
#define COEF(d, u) \
  (which == 2 ? vsel(odd[u], vset1(cos_c[d]), vset1(sin_c[d])) : vset1(which ? cos_c[d] : sin_c[d]))
  EACH(u) {
    p[u] = vadd(COEF(1, u), vmul(z[u], COEF(0, u)));
  }
  for (int d = 2; d < 6; d++) {
    EACH(u) {
      p[u] = vadd(COEF(d, u), vmul(z[u], p[u]));
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
static HA__ALWAYS_INLINE void sin_det(vd x[IL]) {
  const vd lim = vset1(524288.0);
  vm big = vm_none();
  EACH(u) {
    big = vm_or(big, vcmp(abs_v(x[u]), lim, _CMP_NLE_UQ));
  }
  if (vm_bits(big) != 0) {
    _Alignas(VALIGN) double v[VW * IL];
    EACH(u) {
      vstore(v + VW * u, x[u]);
    }
    for (int l = 0; l < VW * IL; l++) {
      v[l] = ha__sin_det(v[l]);
    }
    EACH(u) {
      x[u] = vload(v + VW * u);
    }
    return;
  }
  /* k = round(x·2/π) as ha__sin_det rounds it; kd = 1.5·2^52 + k holds k
   * mod 4 (the quadrant) in its low mantissa bits. */
  const vd magic = vset1(6755399441055744.0);
  vd r[IL], z[IL], neg[IL], p[IL];
  vm odd[IL], any = vm_none(), all = any;
  EACH(u) {
    vd kd = vadd(vmul(x[u], vset1(0.6366197723675814)), magic);
    vd k = vsub(kd, magic);
    r[u] =
        vsub(vsub(x[u], vmul(k, vset1(1.5707963267341256))), vmul(k, vset1(6.077100506506192e-11)));
    z[u] = vmul(r[u], r[u]);
    vi q = vcast_d2i(kd);
    odd[u] = vsignmask(vcast_i2d(vslli(q, 63)));            /* q = 1, 3: cos */
    neg[u] = vcast_i2d(vslli(vand_i(q, vset1_i64(2)), 62)); /* q = 2, 3 */
    any = vm_or(any, odd[u]);
    all = u == 0 ? odd[u] : vm_and(all, odd[u]);
  }
  vd a[IL], b[IL];
  if (vm_bits(any) == 0) {
    poly(z, odd, 0, p);
    EACH(u) {
      a[u] = r[u];
      b[u] = vmul(r[u], z[u]);
    }
  } else if (vm_bits(all) == VFULL) {
    poly(z, odd, 1, p);
    EACH(u) {
      a[u] = vsub(vset1(1.0), vmul(vset1(0.5), z[u]));
      b[u] = vmul(z[u], z[u]);
    }
  } else {
    poly(z, odd, 2, p);
    EACH(u) {
      a[u] = vsel(odd[u], vsub(vset1(1.0), vmul(vset1(0.5), z[u])), r[u]);
      b[u] = vmul(z[u], vsel(odd[u], z[u], r[u])); /* z·z or (r·z) */
    }
  }
  EACH(u) {
    x[u] = vxor(vadd(a[u], vmul(b[u], p[u])), neg[u]);
  }
}

/* One chunk: per lane the state, the steps to take, the partial step. */
typedef struct chunk {
  _Alignas(VALIGN) double y[2][PCH];        /* θ, ω: the state resumed from, then grid state k */
  _Alignas(VALIGN) double cnt[PCH], h[PCH]; /* grid steps to take; the partial step to τ */
  _Alignas(VALIGN) double tau[PCH];         /* τ, unfolded (the seam, the model) */
  _Alignas(VALIGN) double k[PCH], from[PCH];
  _Alignas(VALIGN) double nw2[PCH], c[PCH]; /* −g/L, damping */
  _Alignas(VALIGN) double st[PCH], so[PCH]; /* RK4: the weighted sums of k */
  _Alignas(VALIGN) double kt[PCH], ko[PCH]; /* RK4: the last stage's k */
  uint64_t model;                           /* bit l: lane l is left to the model */
  unsigned partial;                         /* some lane has h > 0 */
  double most;
} chunk;

/* The lines of slots [i, i + 8) in every field the kernel reads (past the
 * run too: vec_impl.h's prefetch_at). */
static HA__ALWAYS_INLINE void prefetch_slice(const ha__batch_soa *s, size_t i) {
  const double *f[] = {s->T,       s->speed,   s->shift,   s->mode,    s->w[0],    s->w[1],
                       s->c[0],    s->c[1],    s->c[2],    s->m[0][0], s->m[0][1], s->m[1][0],
                       s->m[1][1], s->m[2][0], s->m[2][1], s->rho[1],  s->rho[2]};
  for (size_t a = 0; a < sizeof(f) / sizeof(f[0]); a++) {
    prefetch_at(f[a], i * sizeof(double));
  }
}

/* Lanes g..g + VW − 1 of the chunk (slots i + g..): τ, the fold, the grid
 * index k and where to resume (vec_impl.h's grid_v), the state resumed
 * from; lanes left to the model or past the run at rest (no step, h 0). */
static HA__ALWAYS_INLINE void prepare_v(const ha__batch_soa *s, size_t i, size_t g, size_t end,
                                        vd tv, chunk *ch) {
  const vd zero = vzero();
  size_t at = i + g;
  grid_prefetch_v(s, at, end, 2);
  if (g % 8 == 0) {
    prefetch_slice(s, at + PF_AHEAD);
  }
  vd tau = tau_v(s, at, tv);
  vstore(ch->tau + g, tau);
  vstore(ch->nw2 + g, vsub(zero, ld(s->w[0], at)));
  vstore(ch->c + g, ld(s->w[1], at));
  grid_v gr;
  grid_heads_v(s, at, end, 2, &gr);
  /* The folds: past a settled one the model evaluates, past a periodic one τ wraps. */
  vm past = vcmp(tau, gr.e1, _CMP_GE_OQ);
  vm settled = vm_and(vcmp(gr.e0, vset1(FOLD_SETTLED), _CMP_EQ_OQ), past);
  vm periodic = vm_and(vcmp(gr.e0, vset1(FOLD_PERIODIC), _CMP_EQ_OQ), past);
  if (vm_bits(periodic) != 0) {
    vd folded = vsub(tau, vmul(gr.e1, vfloor(vdiv(tau, gr.e1))));
    tau = vsel(periodic, folded, tau);
  }
  ch->model |= (uint64_t)vm_bits(settled) << g;
  grid_plan_v(&gr, tau);
  /* Lanes that step: in the run, not left to the model. */
  vm live = vm_andnot(settled, lanes_below(end - at));
  vd h = vkeep(vsub(tau, vmul(gr.k, vset1(HA__GRID_DT))), live);
  vstore(ch->k + g, gr.k);
  vstore(ch->from + g, gr.from);
  vstore(ch->cnt + g, vkeep(vsub(gr.k, gr.from), live));
  vstore(ch->h + g, h);
  ch->partial |= vm_bits(vcmp(h, zero, _CMP_GT_OQ));
  unsigned on = vm_bits(live);
  _Pragma("GCC unroll 8") for (size_t q = 0; q < VW; q++) {
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
  const vd half = vset1(0.5), dt = vset1(HA__GRID_DT);
  for (size_t g = 0; g < VW * nv; g += VW * IL) {
    vd ts[IL], os[IL], sn[IL];
    EACH(u) {
      size_t at = g + VW * (size_t)u;
      ts[u] = vload(ch->y[0] + at);
      os[u] = vload(ch->y[1] + at);
      if (stage > 1) {
        vd hv = h != NULL ? vload(h + at) : dt;
        vd hs = stage < 4 ? vmul(half, hv) : hv;
        ts[u] = vadd(ts[u], vmul(hs, vload(ch->kt + at)));
        os[u] = vadd(os[u], vmul(hs, vload(ch->ko + at)));
      }
      sn[u] = ts[u];
    }
    sin_det(sn);
    EACH(u) {
      size_t at = g + VW * (size_t)u;
      /* −w2·sin θ − c·ω, as rk4 writes it. */
      vd ko = vsub(vmul(vload(ch->nw2 + at), sn[u]), vmul(vload(ch->c + at), os[u]));
      if (stage == 1) {
        vstore(ch->st + at, os[u]);
        vstore(ch->so + at, ko);
      } else {
        vd wt = stage < 4 ? vadd(os[u], os[u]) : os[u]; /* = 2.0·k */
        vd wo = stage < 4 ? vadd(ko, ko) : ko;
        vstore(ch->st + at, vadd(vload(ch->st + at), wt));
        vstore(ch->so + at, vadd(vload(ch->so + at), wo));
      }
      vstore(ch->kt + at, os[u]);
      vstore(ch->ko + at, ko);
    }
  }
}

/* Grid step j of every lane of the chunk (the state kept where j < cnt). */
static void grid_step(chunk *ch, size_t nv, double j) {
  for (int stage = 1; stage <= 4; stage++) {
    rk4_stage(ch, nv, NULL, stage);
  }
  const vd h6 = vset1(HA__GRID_DT / 6.0);
  for (size_t g = 0; g < VW * nv; g += VW) {
    vm on = vcmp(vset1(j), vload(ch->cnt + g), _CMP_LT_OQ);
    vd th = vload(ch->y[0] + g), om = vload(ch->y[1] + g);
    vd t2 = vadd(th, vmul(h6, vload(ch->st + g)));
    vd o2 = vadd(om, vmul(h6, vload(ch->so + g)));
    vstore(ch->y[0] + g, vsel(on, t2, th));
    vstore(ch->y[1] + g, vsel(on, o2, om));
  }
}

/* θ at τ of lanes g..g + VW − 1: the partial step's θ from its first three
 * stages (k4 of θ is ω after stage 3; the fourth sine only feeds ω, which
 * the position does not need), where h > 0. */
static HA__ALWAYS_INLINE vd partial_theta(const chunk *ch, size_t g) {
  vd th = vload(ch->y[0] + g);
  if (!ch->partial) {
    return th;
  }
  vd h = vload(ch->h + g);
  vd o4 = vadd(vload(ch->y[1] + g), vmul(h, vload(ch->ko + g)));
  vd sum = vadd(vload(ch->st + g), o4);
  vd t2 = vadd(th, vmul(vdiv(h, vset1(6.0)), sum));
  return vsel(vcmp(h, vzero(), _CMP_GT_OQ), t2, th);
}

/* Tracks [i, i + PCH) of the run [.., end) (fewer at its end) into
 * x/y/z + o. */
static void pendulum_chunk(const ha__batch_soa *s, size_t i, size_t end, vd tv, size_t o, double *x,
                           double *y, double *z) {
  size_t m = end - i < PCH ? end - i : PCH;
  chunk ch;
  size_t nv = (m + VW - 1) / VW, nvi = (nv + IL - 1) / IL * IL;
  ch.model = 0;
  ch.partial = 0;
  for (size_t g = 0; g < VW * nvi; g += VW) {
    if (g < VW * nv) { /* the fields past the run's last vector are not ours to read */
      prepare_v(s, i, g, end, tv, &ch);
      continue;
    }
    const vd zero = vzero();
    vstore(ch.y[0] + g, zero);
    vstore(ch.y[1] + g, zero);
    vstore(ch.cnt + g, zero);
    vstore(ch.h + g, zero);
    vstore(ch.nw2 + g, zero);
    vstore(ch.c + g, zero);
  }
  ch.most = max_of_v(ch.cnt, nv);
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
  for (size_t g = 0; g < VW * nv; g += VW) {
    vd sn, cs;
    sincos_v(partial_theta(&ch, g), &sn, &cs);
    size_t at = i + g;
    xyz_v v;
    v.x = vfmadd(ld(s->m[0][1], at), cs, vfmadd(ld(s->m[0][0], at), sn, ld(s->c[0], at)));
    v.y = vfmadd(ld(s->m[1][1], at), cs, vfmadd(ld(s->m[1][0], at), sn, ld(s->c[1], at)));
    v.z = vfmadd(ld(s->m[2][1], at), cs, vfmadd(ld(s->m[2][0], at), sn, ld(s->c[2], at)));
    store_v(seam_v(s, at, vload(ch.tau + g), v), o + g, m - g, x, y, z);
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

void HA__V(ha__batch_pendulum)(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                               double *y, double *z) {
  const vd tv = vset1(t);
  grid_prefetch_first(s, i0, i0 + n, 2);
  for (size_t i = i0, end = i0 + n; i < end; i += PCH) {
    pendulum_chunk(s, i, end, tv, i - i0, x, y, z);
  }
}
