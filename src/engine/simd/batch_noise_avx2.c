/* AVX2 PERLIN kernel: perlin_noise.c's octaves four tracks at a time, lane
 * by lane the scalar reference's operations (batch_noise.c): the lattice
 * coordinate, floor, the period's wrap (exact integer doubles, as the
 * random kernel), the hash's last round in 64-bit lanes (avx2_impl.h), the
 * fade and the sums unfused, so the noise is bit-identical and only the
 * folded frame (FMA) rounds differently.
 *
 * The tables (one per motion, referenced by the slots) are read per lane:
 * the phase and the hash of each axis and octave, four scalar loads each.
 * Octave counts differ per lane: the loop runs to the vector's largest and
 * a lane past its own count adds 0 (every table holds all 8 octaves). Lanes
 * past the end of the run read a zero table. */
#include "avx2_impl.h"

static const double zero_table[HA__PERLIN_AT(3, 0)];

/* The octave's lattice point keys: i and i + 1 wrapped by the period
 * (lanes with period 0: unwrapped), from the integer-valued fl. */
static HA__ALWAYS_INLINE void keys4(__m256d fl, __m256d per, __m256i *k0, __m256i *k1) {
  const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
  __m256d has = _mm256_cmp_pd(per, zero, _CMP_GT_OQ);
  __m256d safe = select4(has, per, one);
  __m256d k = _mm256_sub_pd(fl, _mm256_mul_pd(safe, _mm256_floor_pd(_mm256_div_pd(fl, safe))));
  k = select4(_mm256_cmp_pd(k, zero, _CMP_LT_OQ), _mm256_add_pd(k, safe), k);
  k = select4(_mm256_cmp_pd(k, safe, _CMP_GE_OQ), _mm256_sub_pd(k, safe), k);
  __m256d kn = _mm256_add_pd(k, one);
  kn = select4(_mm256_cmp_pd(kn, safe, _CMP_GE_OQ), _mm256_sub_pd(kn, safe), kn);
  *k0 = to_i64(select4(has, k, fl));
  *k1 = to_i64(select4(has, kn, _mm256_add_pd(fl, one)));
}

/* One octave of one axis for four lanes at lattice coordinate x. */
static HA__ALWAYS_INLINE __m256d octave4(__m256i h3, __m256d x, __m256d per) {
  __m256d fl = _mm256_floor_pd(x);
  __m256d t = _mm256_sub_pd(x, fl);
  __m256i k0, k1;
  keys4(fl, per, &k0, &k1);
  __m256d g0 = signed4(h3, k0), g1 = signed4(h3, k1);
  __m256d t3 = _mm256_mul_pd(_mm256_mul_pd(t, t), t);
  __m256d inner = _mm256_sub_pd(_mm256_mul_pd(t, _mm256_set1_pd(6.0)), _mm256_set1_pd(15.0));
  inner = _mm256_add_pd(_mm256_mul_pd(t, inner), _mm256_set1_pd(10.0));
  __m256d fade = _mm256_mul_pd(t3, inner);
  __m256d a = _mm256_mul_pd(g0, t);
  __m256d b = _mm256_mul_pd(g1, _mm256_sub_pd(t, _mm256_set1_pd(1.0)));
  return _mm256_add_pd(a, _mm256_mul_pd(fade, _mm256_sub_pd(b, a)));
}

/* The phase and folded hash of entry `at` of the four lanes' tables. */
static HA__ALWAYS_INLINE void entry4(const double *const tab[4], size_t at, __m256d *phase,
                                     __m256i *h3) {
  *phase = _mm256_setr_pd(tab[0][at], tab[1][at], tab[2][at], tab[3][at]);
  __m256d hi = _mm256_setr_pd(tab[0][at + 1], tab[1][at + 1], tab[2][at + 1], tab[3][at + 1]);
  __m256d lo = _mm256_setr_pd(tab[0][at + 2], tab[1][at + 2], tab[2][at + 2], tab[3][at + 2]);
  *h3 = _mm256_or_si256(_mm256_slli_epi64(to_i64(hi), 32), to_i64(lo));
}

static HA__ALWAYS_INLINE xyz4 perlin4(const ha__batch_soa *s, size_t i, size_t rem, __m256d tv) {
  const double *tab[4];
  for (size_t l = 0; l < 4; l++) {
    tab[l] = l < rem && s->ref[i + l].tab != NULL ? s->ref[i + l].tab : zero_table;
  }
  __m256d tau = tau4(s, i, tv);
  __m256d rate = ld(s->w[0], i), per = ld(s->w[1], i), oct = ld(s->w[2], i);
  __m256d pers = ld(s->ph[0], i);
  double most = 0.0;
  for (size_t l = 0; l < 4 && l < rem; l++) {
    most = s->w[2][i + l] > most ? s->w[2][i + l] : most;
  }
  __m256d sum[3] = {_mm256_setzero_pd(), _mm256_setzero_pd(), _mm256_setzero_pd()};
  __m256d amp = _mm256_set1_pd(1.0), scale = _mm256_set1_pd(1.0);
  for (int o = 0; o < (int)most; o++) {
    /* rate·2^o and period·2^o exactly; amp 0 where o ≥ the lane's count. */
    __m256d on = _mm256_cmp_pd(_mm256_set1_pd((double)o), oct, _CMP_LT_OQ);
    __m256d w = _mm256_and_pd(amp, on);
    __m256d r = _mm256_mul_pd(rate, scale);
    __m256d p = _mm256_mul_pd(per, scale);
    for (int a = 0; a < 3; a++) {
      __m256d phase;
      __m256i h3;
      entry4(tab, HA__PERLIN_AT(a, o), &phase, &h3);
      __m256d x = _mm256_add_pd(_mm256_mul_pd(r, tau), phase);
      sum[a] = _mm256_add_pd(sum[a], _mm256_mul_pd(w, octave4(h3, x, p)));
    }
    amp = _mm256_mul_pd(amp, pers);
    scale = _mm256_add_pd(scale, scale);
  }
  return frame4(s, i, sum);
}

HA__LANES_KERNEL(ha__batch_perlin_avx2, perlin4)
