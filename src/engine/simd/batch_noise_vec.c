/* Vector PERLIN kernel: perlin_noise.c's octaves VW tracks at a time, lane
 * by lane the scalar reference's operations (batch_noise.c): the lattice
 * coordinate, floor, the period's wrap (exact integer doubles, as the
 * random kernel), the gradients, the fade and the sums unfused, so the
 * noise is bit-identical and only the folded frame (FMA) rounds
 * differently.
 *
 * The tables (one per motion, referenced by the slots) are read per lane:
 * each axis and octave's phase and gradient offset as one 16-byte load per
 * lane, transposed. An octave every lane's table holds (and τ in [0, T],
 * which the model's tables are built for) reads each lane's gradient pair
 * g_k, g_{k+1} with one 16-byte load from its address; otherwise the
 * vector hashes its lattice points (the hash's last round in 64-bit lanes,
 * vec_impl.h), which gives the very same doubles. The run's field arrays
 * are prefetched a few vectors ahead: the octaves fill the out-of-order
 * window before the next vector's loads issue (25% faster at 100,000
 * tracks). Rejected: AVX2 gathers for the pairs (two per octave and axis:
 * about 10% slower here, AMD EPYC); a range check per cell instead of per
 * octave (a cell count per entry: more loads and shuffles per entry).
 *
 * Octave counts differ per lane: the loop runs to the vector's largest and
 * a lane past its own count adds 0 (it reads its table's pad, cell 0).
 * Lanes past the end of the run read a zero table the same way. */
#include "vec_impl.h"

static const double zero_table[HA__PERLIN_PAD + 2];

/* The octave's lattice point keys for the hash: i and i + 1 wrapped by the
 * period p (lanes with p = 0: unwrapped), from the integer-valued fl; a
 * subtraction where every lane's fl lies in [0, 2p), else a division. */
static HA__ALWAYS_INLINE void keys_v(vd fl, vd per, vi *k0, vi *k1) {
  const vd zero = vzero(), one = vset1(1.0);
  vm has = vcmp(per, zero, _CMP_GT_OQ);
  vd safe = vsel(has, per, one);
  vd k = fl;
  vm near = vm_and(vcmp(fl, zero, _CMP_GE_OQ), vcmp(fl, vadd(safe, safe), _CMP_LT_OQ));
  if (vm_bits(vm_andnot(near, has)) != 0) {
    k = vsub(fl, vmul(safe, vfloor(vdiv(fl, safe))));
    k = vsel(vcmp(k, zero, _CMP_LT_OQ), vadd(k, safe), k);
  }
  k = vsel(vcmp(k, safe, _CMP_GE_OQ), vsub(k, safe), k);
  vd kn = vadd(k, one);
  kn = vsel(vcmp(kn, safe, _CMP_GE_OQ), vsub(kn, safe), kn);
  *k0 = to_i64(vsel(has, k, fl));
  *k1 = to_i64(vsel(has, kn, vadd(fl, one)));
}

/* The first two doubles at `at` of the lanes' tables (an entry's phase
 * and gradient offset). */
static HA__ALWAYS_INLINE void entry_v(const double *const tab[VW], size_t at, vd *first,
                                      vd *second) {
  const double *p[VW];
  for (size_t l = 0; l < VW; l++) {
    p[l] = tab[l] + at;
  }
  pairs_v(p, first, second);
}

/* g0, g1 of the cells at fl by the hash (entry `at`: its hash halves). */
static HA__ALWAYS_INLINE void hashed_v(const double *const tab[VW], size_t at, vd fl, vd p, vd *g0,
                                       vd *g1) {
  vd hi, lo;
  entry_v(tab, at + HA__PERLIN_HASH, &hi, &lo);
  vi h3 = vor_i(vslli(to_i64(hi), 32), to_i64(lo));
  vi k0, k1;
  keys_v(fl, p, &k0, &k1);
  *g0 = signed_v(h3, k0);
  *g1 = signed_v(h3, k1);
}

/* The gradient pairs at index `idx` of the lanes' tables: g0 = the first
 * of each pair, g1 = the second (one 16-byte load per lane, transposed). */
static HA__ALWAYS_INLINE void pair_v(const double *const tab[VW], vi idx, vd *g0, vd *g1) {
  int64_t k[VW];
  vstoreu_i(k, idx);
  const double *p[VW];
  for (size_t l = 0; l < VW; l++) {
    p[l] = tab[l] + k[l];
  }
  pairs_v(p, g0, g1);
}

/* One octave of one axis for VW lanes: entry `at` of their tables at
 * lattice rate r, period p; from the tables (`tabled`: the pad, cell 0,
 * outside `use`) or by hashing. */
static HA__ALWAYS_INLINE vd octave_v(const double *const tab[VW], size_t at, vd r, vd tau, vd p,
                                     vm use, int tabled) {
  vd phase, off;
  entry_v(tab, at, &phase, &off);
  vd x = vadd(vmul(r, tau), phase);
  vd fl = vfloor(x);
  vd t = vsub(x, fl);
  vd g0, g1;
  if (tabled) {
    /* The table's cell: fl itself (the period is wrapped in). */
    vd k = vkeep(fl, use);
    pair_v(tab, to_i64(vadd(off, k)), &g0, &g1);
  } else {
    hashed_v(tab, at, fl, p, &g0, &g1);
  }
  vd t3 = vmul(vmul(t, t), t);
  vd inner = vsub(vmul(t, vset1(6.0)), vset1(15.0));
  inner = vadd(vmul(t, inner), vset1(10.0));
  vd fade = vmul(t3, inner);
  vd a = vmul(g0, t);
  vd b = vmul(g1, vsub(t, vset1(1.0)));
  return vadd(a, vmul(fade, vsub(b, a)));
}

/* Prefetch the run's streams `ahead` tracks on, once per cache line: the
 * octaves keep the out-of-order window too busy to reach the next
 * vectors' loads. */
static HA__ALWAYS_INLINE void prefetch_fields(const ha__batch_soa *s, size_t i) {
  const size_t ahead = 16;
  if ((i & 7) != 0) {
    return;
  }
  const double *const f[] = {s->T,       s->speed,   s->shift,   s->mode,    s->w[0],
                             s->w[1],    s->w[2],    s->ph[0],   s->c[0],    s->c[1],
                             s->c[2],    s->m[0][0], s->m[0][1], s->m[0][2], s->m[1][0],
                             s->m[1][1], s->m[1][2], s->m[2][0], s->m[2][1], s->m[2][2]};
  /* Addresses as integers: they may lie past the arrays' ends (a prefetch
   * never faults). */
  for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
    _mm_prefetch((const char *)((uintptr_t)f[k] + (i + ahead) * sizeof(double)), _MM_HINT_T0);
  }
  uintptr_t ref = (uintptr_t)s->ref + (i + ahead) * sizeof(*s->ref);
  for (size_t b = 0; b < 8 * sizeof(*s->ref); b += 64) {
    _mm_prefetch((const char *)(ref + b), _MM_HINT_T0);
  }
}

static HA__ALWAYS_INLINE xyz_v perlin_v(const ha__batch_soa *s, size_t i, size_t rem, vd tv) {
  prefetch_fields(s, i);
  const double *tab[VW];
  for (size_t l = 0; l < VW; l++) {
    tab[l] = l < rem && s->ref[i + l].tab != NULL ? s->ref[i + l].tab : zero_table;
  }
  vm live = lanes_below(rem);
  vd tau = tau_v(s, i, tv);
  vd rate = ld(s->w[0], i), per = ld(s->w[1], i), oct = ld(s->w[2], i);
  vd pers = ld(s->ph[0], i);
  /* Octaves from the table: the lane's count where its table covers τ
   * (τ ∈ [0, T]: always, as the model builds it), else 0. */
  vd held, upto;
  entry_v(tab, HA__PERLIN_TABLED, &held, &upto);
  held = vkeep(held, vm_and(vcmp(tau, vzero(), _CMP_GE_OQ), vcmp(tau, upto, _CMP_LE_OQ)));
  double most = 0.0;
  for (size_t l = 0; l < VW && l < rem; l++) {
    most = s->w[2][i + l] > most ? s->w[2][i + l] : most;
  }
  vd sum[3] = {vzero(), vzero(), vzero()};
  vd amp = vset1(1.0), scale = vset1(1.0);
  for (int o = 0; o < (int)most; o++) {
    /* rate·2^o and period·2^o exactly; amp 0 where o ≥ the lane's count. */
    vd ov = vset1((double)o);
    vm on = vcmp(ov, oct, _CMP_LT_OQ);
    vd w = vkeep(amp, on);
    vm use = vm_and(live, on); /* the lanes that take this octave */
    int tabled = vm_bits(vm_andnot(vcmp(ov, held, _CMP_LT_OQ), use)) == 0;
    vd r = vmul(rate, scale);
    vd p = vmul(per, scale);
    for (int a = 0; a < 3; a++) {
      vd n = octave_v(tab, HA__PERLIN_AT(a, o), r, tau, p, use, tabled);
      sum[a] = vadd(sum[a], vmul(w, n));
    }
    amp = vmul(amp, pers);
    scale = vadd(scale, scale);
  }
  return frame_v(s, i, sum);
}

HA__LANES_KERNEL(HA__V(ha__batch_perlin), perlin_v)
