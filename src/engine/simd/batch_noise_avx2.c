/* AVX2 PERLIN kernel: perlin_noise.c's octaves four tracks at a time, lane
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
 * avx2_impl.h), which gives the very same doubles. The run's field arrays
 * are prefetched a few vectors ahead: the octaves fill the out-of-order
 * window before the next vector's loads issue (25% faster at 100,000
 * tracks). Rejected: AVX2 gathers for the pairs (two per octave and axis:
 * about 10% slower here, AMD EPYC); a range check per cell instead of per
 * octave (a cell count per entry: more loads and shuffles per entry).
 *
 * Octave counts differ per lane: the loop runs to the vector's largest and
 * a lane past its own count adds 0 (it reads its table's pad, cell 0).
 * Lanes past the end of the run read a zero table the same way. */
#include "avx2_impl.h"

static const double zero_table[HA__PERLIN_PAD + 2];

/* The octave's lattice point keys for the hash: i and i + 1 wrapped by the
 * period p (lanes with p = 0: unwrapped), from the integer-valued fl; a
 * subtraction where every lane's fl lies in [0, 2p), else a division. */
static HA__ALWAYS_INLINE void keys4(__m256d fl, __m256d per, __m256i *k0, __m256i *k1) {
  const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
  __m256d has = _mm256_cmp_pd(per, zero, _CMP_GT_OQ);
  __m256d safe = select4(has, per, one);
  __m256d k = fl;
  __m256d near = _mm256_and_pd(_mm256_cmp_pd(fl, zero, _CMP_GE_OQ),
                               _mm256_cmp_pd(fl, _mm256_add_pd(safe, safe), _CMP_LT_OQ));
  if (_mm256_movemask_pd(_mm256_andnot_pd(near, has)) != 0) {
    k = _mm256_sub_pd(fl, _mm256_mul_pd(safe, _mm256_floor_pd(_mm256_div_pd(fl, safe))));
    k = select4(_mm256_cmp_pd(k, zero, _CMP_LT_OQ), _mm256_add_pd(k, safe), k);
  }
  k = select4(_mm256_cmp_pd(k, safe, _CMP_GE_OQ), _mm256_sub_pd(k, safe), k);
  __m256d kn = _mm256_add_pd(k, one);
  kn = select4(_mm256_cmp_pd(kn, safe, _CMP_GE_OQ), _mm256_sub_pd(kn, safe), kn);
  *k0 = to_i64(select4(has, k, fl));
  *k1 = to_i64(select4(has, kn, _mm256_add_pd(fl, one)));
}

/* The first two doubles at `at` of the four lanes' tables (an entry's
 * phase and gradient offset). */
static HA__ALWAYS_INLINE void entry4(const double *const tab[4], size_t at, __m256d *first,
                                     __m256d *second) {
  __m256d even = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(tab[0] + at)),
                                      _mm_loadu_pd(tab[2] + at), 1);
  __m256d odd = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(tab[1] + at)),
                                     _mm_loadu_pd(tab[3] + at), 1);
  *first = _mm256_unpacklo_pd(even, odd);
  *second = _mm256_unpackhi_pd(even, odd);
}

/* g0, g1 of the cells at fl by the hash (entry `at`: its hash halves). */
static HA__ALWAYS_INLINE void hashed4(const double *const tab[4], size_t at, __m256d fl, __m256d p,
                                      __m256d *g0, __m256d *g1) {
  __m256d hi, lo;
  entry4(tab, at + HA__PERLIN_HASH, &hi, &lo);
  __m256i h3 = _mm256_or_si256(_mm256_slli_epi64(to_i64(hi), 32), to_i64(lo));
  __m256i k0, k1;
  keys4(fl, p, &k0, &k1);
  *g0 = signed4(h3, k0);
  *g1 = signed4(h3, k1);
}

/* The gradient pairs at index `idx` of the four lanes' tables: g0 = the
 * first of each pair, g1 = the second (one 16-byte load per lane,
 * transposed). */
static HA__ALWAYS_INLINE void pair4(const double *const tab[4], __m256i idx, __m256d *g0,
                                    __m256d *g1) {
  int64_t k[4];
  _mm256_storeu_si256((__m256i *)k, idx);
  __m256d even = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(tab[0] + k[0])),
                                      _mm_loadu_pd(tab[2] + k[2]), 1);
  __m256d odd = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(tab[1] + k[1])),
                                     _mm_loadu_pd(tab[3] + k[3]), 1);
  *g0 = _mm256_unpacklo_pd(even, odd);
  *g1 = _mm256_unpackhi_pd(even, odd);
}

/* One octave of one axis for four lanes: entry `at` of their tables at
 * lattice rate r, period p; from the tables (`tabled`: pad cell 0
 * where `skip`) or by hashing. */
static HA__ALWAYS_INLINE __m256d octave4(const double *const tab[4], size_t at, __m256d r,
                                         __m256d tau, __m256d p, __m256d skip, int tabled) {
  __m256d phase, off;
  entry4(tab, at, &phase, &off);
  __m256d x = _mm256_add_pd(_mm256_mul_pd(r, tau), phase);
  __m256d fl = _mm256_floor_pd(x);
  __m256d t = _mm256_sub_pd(x, fl);
  __m256d g0, g1;
  if (tabled) {
    /* The table's cell: fl itself (the period is wrapped in). */
    __m256d k = _mm256_andnot_pd(skip, fl);
    pair4(tab, to_i64(_mm256_add_pd(off, k)), &g0, &g1);
  } else {
    hashed4(tab, at, fl, p, &g0, &g1);
  }
  __m256d t3 = _mm256_mul_pd(_mm256_mul_pd(t, t), t);
  __m256d inner = _mm256_sub_pd(_mm256_mul_pd(t, _mm256_set1_pd(6.0)), _mm256_set1_pd(15.0));
  inner = _mm256_add_pd(_mm256_mul_pd(t, inner), _mm256_set1_pd(10.0));
  __m256d fade = _mm256_mul_pd(t3, inner);
  __m256d a = _mm256_mul_pd(g0, t);
  __m256d b = _mm256_mul_pd(g1, _mm256_sub_pd(t, _mm256_set1_pd(1.0)));
  return _mm256_add_pd(a, _mm256_mul_pd(fade, _mm256_sub_pd(b, a)));
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

static HA__ALWAYS_INLINE xyz4 perlin4(const ha__batch_soa *s, size_t i, size_t rem, __m256d tv) {
  prefetch_fields(s, i);
  const double *tab[4];
  for (size_t l = 0; l < 4; l++) {
    tab[l] = l < rem && s->ref[i + l].tab != NULL ? s->ref[i + l].tab : zero_table;
  }
  __m256d dead = _mm256_castsi256_pd(
      _mm256_cmpgt_epi64(_mm256_setr_epi64x(1, 2, 3, 4), _mm256_set1_epi64x((long long)rem)));
  __m256d tau = tau4(s, i, tv);
  __m256d rate = ld(s->w[0], i), per = ld(s->w[1], i), oct = ld(s->w[2], i);
  __m256d pers = ld(s->ph[0], i);
  /* Octaves from the table: the lane's count where its table covers τ
   * (τ ∈ [0, T]: always, as the model builds it), else 0. */
  __m256d held, upto;
  entry4(tab, HA__PERLIN_TABLED, &held, &upto);
  held = _mm256_and_pd(held, _mm256_and_pd(_mm256_cmp_pd(tau, _mm256_setzero_pd(), _CMP_GE_OQ),
                                           _mm256_cmp_pd(tau, upto, _CMP_LE_OQ)));
  double most = 0.0;
  for (size_t l = 0; l < 4 && l < rem; l++) {
    most = s->w[2][i + l] > most ? s->w[2][i + l] : most;
  }
  __m256d sum[3] = {_mm256_setzero_pd(), _mm256_setzero_pd(), _mm256_setzero_pd()};
  __m256d amp = _mm256_set1_pd(1.0), scale = _mm256_set1_pd(1.0);
  for (int o = 0; o < (int)most; o++) {
    /* rate·2^o and period·2^o exactly; amp 0 where o ≥ the lane's count. */
    __m256d ov = _mm256_set1_pd((double)o);
    __m256d on = _mm256_cmp_pd(ov, oct, _CMP_LT_OQ);
    __m256d w = _mm256_and_pd(amp, on);
    __m256d skip = _mm256_or_pd(dead, _mm256_cmp_pd(ov, oct, _CMP_NLT_UQ));
    int tabled = _mm256_movemask_pd(_mm256_or_pd(skip, _mm256_cmp_pd(ov, held, _CMP_LT_OQ))) == 0xf;
    __m256d r = _mm256_mul_pd(rate, scale);
    __m256d p = _mm256_mul_pd(per, scale);
    for (int a = 0; a < 3; a++) {
      __m256d n = octave4(tab, HA__PERLIN_AT(a, o), r, tau, p, skip, tabled);
      sum[a] = _mm256_add_pd(sum[a], _mm256_mul_pd(w, n));
    }
    amp = _mm256_mul_pd(amp, pers);
    scale = _mm256_add_pd(scale, scale);
  }
  return frame4(s, i, sum);
}

HA__LANES_KERNEL(ha__batch_perlin_avx2, perlin4)
