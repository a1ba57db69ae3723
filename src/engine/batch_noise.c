/* The PERLIN kernel's scalar reference (batch_impl.h, model_impl.h):
 * perlin_noise.c's octaves with the model's table referenced from the
 * batch slot, operation for operation, so the noise sums are bit-identical
 * to the model's and only the folded frame rounds differently. The lattice
 * index is reduced by the period with a subtraction where it lies in
 * [0, 2·period) (it does for every τ in [0, T]) instead of two integer
 * divisions; the same value. The gradients come from the table for the
 * octaves it holds (the model precomputed them, the same doubles, for
 * every τ in [0, T]: the kernels check τ rather than each cell), else from
 * the hash. */
#include "batch_impl.h"

/* i mod period (≥ 0) for period > 0, as ((i % period) + period) % period. */
static int64_t wrap_index(int64_t i, int64_t period) {
  if (i >= 0 && i < period) {
    return i;
  }
  if (i >= period && i - period < period) {
    return i - period;
  }
  return ((i % period) + period) % period;
}

/* 2u − 1 of the last hash round of (h3, key): noise.h's ha__noise_signed. */
static double hashed(uint64_t h3, int64_t key) {
  return 2.0 * ((double)(ha__noise_last(h3, (uint64_t)key) >> 11) * (1.0 / 9007199254740992.0)) -
         1.0;
}

/* One octave at x (lattice units): perlin_noise.c's gradient_noise, for the
 * table entry e (HA__PERLIN_AT) of `tab`, looked up when `tabled`. */
static double octave(const double *tab, const double *e, double x, int64_t period, int tabled) {
  double fl = floor(x);
  double t = x - fl;
  int64_t i = (int64_t)fl, i1 = i + 1;
  if (period > 0) {
    i = wrap_index(i, period);
    i1 = i + 1 == period ? 0 : i + 1;
  }
  double g0, g1;
  if (tabled) {
    const double *g = tab + (size_t)e[1] + (size_t)fl; /* the period wrapped in */
    g0 = g[0];
    g1 = g[1];
  } else {
    uint64_t h3 = (uint64_t)e[HA__PERLIN_HASH] << 32 | (uint64_t)e[HA__PERLIN_HASH + 1];
    g0 = hashed(h3, i);
    g1 = hashed(h3, i1);
  }
  double fade = t * t * t * (t * (t * 6.0 - 15.0) + 10.0);
  double a = g0 * t, b = g1 * (t - 1.0);
  return a + fade * (b - a);
}

void ha__batch_perlin_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                             double *y, double *z) {
  for (size_t i = i0; i < i0 + n; i++) {
    double tau = ha__batch_tau_at(s, i, t);
    double rate = s->w[0][i], pers = s->ph[0][i];
    int64_t period = (int64_t)s->w[1][i];
    int octaves = (int)s->w[2][i];
    const double *tab = s->ref[i].tab;
    /* The table's octaves where it covers τ (always, as the model builds it). */
    int tabled = tau >= 0.0 && tau <= tab[HA__PERLIN_TABLED + 1] ? (int)tab[HA__PERLIN_TABLED] : 0;
    double rates[8], l[3];
    for (int o = 0; o < octaves; o++) {
      rates[o] = o == 0 ? rate : rates[o - 1] * 2.0; /* ldexp(rate, o), exactly */
    }
    for (int a = 0; a < 3; a++) {
      double sum = 0.0, amp = 1.0;
      for (int o = 0; o < octaves; o++) {
        const double *e = tab + HA__PERLIN_AT(a, o);
        sum += amp * octave(tab, e, rates[o] * tau + e[0], period << o, o < tabled);
        amp *= pers;
      }
      l[a] = sum;
    }
    double v[3];
    for (int r = 0; r < 3; r++) {
      v[r] = s->c[r][i] + s->m[r][0][i] * l[0] + s->m[r][1][i] * l[1] + s->m[r][2][i] * l[2];
    }
    x[i - i0] = v[0];
    y[i - i0] = v[1];
    z[i - i0] = v[2];
  }
}
