/* perlin-noise: a wandering source, fractal 1-D gradient noise per axis.
 *
 * Each axis a ∈ {x, y, z} is its own stream: octave o (0 ≤ o < octaves) is
 * improved-Perlin 1-D gradient noise n(x) evaluated at x = f·2^o·τ + φ(a, o),
 * weighted by persistence^o. Lattice point i carries a gradient g_i uniform in
 * [−1, 1) hashed from (seed, axis, octave, i); φ is a hashed phase in [0, 1)
 * so the lattice points (where every octave of 1-D gradient noise is 0) of
 * the three axes and of the octaves never line up: without it the source
 * would pass through the centre every 1/f seconds. The position is
 *   P_a = center_a + scale · Σ_o p^o n_o / (N · Σ_o p^o),   N = 1/2,
 * so |P_a − center_a| ≤ scale (proof of N below).
 *
 * In a cell, t = x − i ∈ [0, 1): n = (1 − F)·g_i·t + F·g_{i+1}·(t − 1) with
 * the quintic fade F(t) = 6t⁵ − 15t⁴ + 10t³. F' and F'' vanish at 0 and 1, so
 * n is C² across cells (n' = g_i at every lattice point from both sides):
 * position and velocity are continuous.
 *
 * Bound |n| ≤ 1/2: with |g| ≤ 1, |n| ≤ φ(t) = (1 − F)t + F(1 − t)
 * = t + F(1 − 2t), and φ(t) − 1/2 = (1 − 2t)(F(t) − 1/2). F is increasing
 * with F(1/2) = 1/2, so both factors change sign at t = 1/2 in opposite
 * directions and the product is ≤ 0: φ ≤ 1/2, reached at t = 1/2 with
 * g_i = −g_{i+1} = ±1. Normalising by 1/2 is therefore tight.
 *
 * The path does not depend on the track id: "same seed, same path" for every
 * member of a group (the group modes then offset it per track, as for any
 * other model). Tracks that must wander independently use different seeds.
 *
 * In the loop mode the noise is periodic over the duration, so the wrap is
 * seamless (docs/models.md "Loops and seams"): prepare() sets the cells per
 * cycle of the first octave n = max(1, round(T·f)) and the rate to n/T (f
 * itself when T·f is a whole number: the path is then unchanged but for
 * the last (1 + φ)/(n·2^o) of the cycle, at most 2/n of it, where a lattice
 * point ≥ n·2^o is used); octave o has n·2^o cells per cycle and its
 * lattice index is taken modulo that, so x(T) = x(0) + n·2^o lands on the
 * same gradients and the noise, C² everywhere, is C² across the wrap too.
 * Once, pingpong and seam "cut" keep the free lattice. */
#include <math.h>

#include "model_impl.h"
#include "noise.h"

enum {
  S_CENTER = 0,
  S_SCALE = 3,
  S_FREQ = 4,
  S_OCT = 5,
  S_PERS = 6,
  S_SEED = 7,
  S_RATE = 8,  /* derived: lattice rate of octave 0 actually used */
  S_PERIOD = 9 /* derived: cells per cycle of octave 0 in loop mode, 0 = none */
};

/* Max of |1-D improved Perlin noise| with gradients in [−1, 1] (see above). */
#define NOISE_MAX 0.5

static const ha_param_info params[] = {
    HA__P_CENTER(S_CENTER, "centre the source wanders around (m)"),
    HA__P_LEN(S_SCALE, "scale", NULL, 5, "largest excursion from the centre on each axis (m)"),
    HA__P_NUM(S_FREQ, "frequency", NULL, "Hz", 0.5, 0.001, 100,
              "lattice rate of the first octave (Hz): about one change of direction per 1/f s"),
    HA__P_INT(S_OCT, "octaves", NULL, "", 3, 1, 8,
              "number of noise layers, each at twice the frequency of the previous"),
    HA__P_NUM(S_PERS, "persistence", NULL, "", 0.5, 0, 1,
              "weight ratio between successive octaves (0 smooth, 1 rough)"),
    HA__P_SEED(S_SEED),
};

/* d->aux (HA__PERLIN_AT, model_impl.h): per axis a and octave o the phase
 * φ(a, o) and the gradients' hash ha__noise_hash4(seed, a, o, ·) folded up
 * to its last key (as two 32-bit halves, exact in doubles), so an
 * evaluation hashes each lattice point with one mixing round instead of
 * four and no phase; then, for the batch kernels, the gradients themselves
 * of every lattice point an evaluation can reach, octave by octave from the
 * first while they fit in GRADIENTS_MAX doubles: τ ∈ [0, T] always, so
 * x ≤ rate·2^o·T + φ (the kernels' operations, each rounding monotone) and
 * the cells are k = 0..⌊that⌋, with the period's wrap built in (g_k is the
 * gradient of lattice point k mod n·2^o), so the kernels index by ⌊x⌋
 * as it is. Each value is ha__noise_signed of the hash, the double the
 * hash path computes, so a lookup replaces two multiply rounds per lattice
 * point exactly. local() keeps hashing: it is the reference the batch is
 * tested against. Rejected: tables for the periodic case only (loop mode);
 * once and pingpong bound τ just the same. */
#define GRADIENTS_MAX 4096

/* The cells of octave o (phase φ) that evaluations can reach. */
static double reach_cells(const ha__motion_data *d, int o, double phase) {
  return floor(ldexp(d->s[S_RATE], o) * d->timing.duration + phase) + 1.0;
}

/* Octave o's gradients, g_0..g_n, from `next` on: *next moves past them. */
static void fill_gradients(const ha__motion_data *d, int o, double *e, uint64_t h, size_t *next) {
  size_t n = (size_t)reach_cells(d, o, e[0]);
  uint64_t period = (uint64_t)d->s[S_PERIOD] << o;
  e[1] = (double)*next;
  for (uint64_t k = 0; k <= n; k++) {
    uint64_t key = period > 0 ? k % period : k;
    d->aux[(*next)++] = ha__noise_signed(ha__noise_hash_last(h, key));
  }
}

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  (void)raw;
  (void)err;
  d->s[S_RATE] = ha__noise_cycle_rate(d, d->s[S_FREQ], &d->s[S_PERIOD]);
  uint64_t seed = (uint64_t)d->s[S_SEED];
  double phase[3][8];
  double total = (double)(HA__PERLIN_PAD + 2);
  int tabled = 0;
  for (int o = 0; o < 8; o++) {
    double need = 0.0;
    for (int a = 0; a < 3; a++) {
      phase[a][o] = ha__noise_unit01(ha__noise_hash4(seed, (uint64_t)a, 8 + (uint64_t)o, 0));
      need += reach_cells(d, o, phase[a][o]) + 1.0;
    }
    if (tabled == o && o < (int)d->s[S_OCT] && total + need <= GRADIENTS_MAX) {
      total += need;
      tabled++;
    }
  }
  if (ha__aux_alloc(d, (size_t)total) != HA_OK) {
    return HA_ENOMEM;
  }
  d->aux[HA__PERLIN_TABLED] = (double)tabled;
  d->aux[HA__PERLIN_TABLED + 1] = d->timing.duration;
  d->aux[HA__PERLIN_PAD] = d->aux[HA__PERLIN_PAD + 1] = 0.0;
  size_t next = HA__PERLIN_PAD + 2;
  for (int o = 0; o < 8; o++) {
    for (int a = 0; a < 3; a++) {
      double *e = d->aux + HA__PERLIN_AT(a, o);
      uint64_t h = ha__noise_hash3(seed, (uint64_t)a, (uint64_t)o);
      e[0] = phase[a][o];
      e[1] = (double)HA__PERLIN_PAD;
      e[HA__PERLIN_HASH] = (double)(h >> 32);
      e[HA__PERLIN_HASH + 1] = (double)(h & 0xffffffffu);
      if (o < tabled) {
        fill_gradients(d, o, e, h, &next);
      }
    }
  }
  return HA_OK;
}

/* One octave of one axis at x (lattice units); period: lattice points per
 * cycle (gradients repeat), 0 for none. */
static double gradient_noise(uint64_t h3, double x, int64_t period) {
  double fl = floor(x);
  double t = x - fl;
  int64_t i = (int64_t)fl, i1 = i + 1;
  if (period > 0) {
    i = ((i % period) + period) % period;
    i1 = (i + 1) % period;
  }
  double g0 = ha__noise_signed(ha__noise_hash_last(h3, ha__noise_key(i)));
  double g1 = ha__noise_signed(ha__noise_hash_last(h3, ha__noise_key(i1)));
  double fade = t * t * t * (t * (t * 6.0 - 15.0) + 10.0);
  double a = g0 * t, b = g1 * (t - 1.0);
  return a + fade * (b - a);
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  int octaves = (int)d->s[S_OCT];
  double pers = d->s[S_PERS];
  double out[3];
  for (int a = 0; a < 3; a++) {
    double sum = 0.0, amp = 1.0, norm = 0.0;
    for (int o = 0; o < octaves; o++) {
      /* Sub-streams 0..7 hold the gradients, 8..15 the phases. */
      const double *e = d->aux + HA__PERLIN_AT(a, o);
      uint64_t h3 = (uint64_t)e[HA__PERLIN_HASH] << 32 | (uint64_t)e[HA__PERLIN_HASH + 1];
      double x = ldexp(d->s[S_RATE], o) * ev->tau + e[0];
      int64_t period = (int64_t)d->s[S_PERIOD] << o;
      sum += amp * gradient_noise(h3, x, period);
      norm += amp;
      amp *= pers;
    }
    out[a] = d->s[S_CENTER + a] + d->s[S_SCALE] * sum / (NOISE_MAX * norm);
  }
  return ha_vec3_make(out[0], out[1], out[2]);
}

/* The PERLIN kernel (model_impl.h): the octaves over the table above. */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  static const ha__kernel_params zero;
  *kp = zero;
  double amp = 1.0, norm = 0.0;
  for (int o = 0; o < (int)d->s[S_OCT]; o++) {
    norm += amp;
    amp *= d->s[S_PERS];
  }
  double k = d->s[S_SCALE] / (NOISE_MAX * norm);
  for (int a = 0; a < 3; a++) {
    kp->c[a] = d->s[S_CENTER + a];
    kp->m[a][a] = k;
  }
  kp->omega[0] = d->s[S_RATE];
  kp->omega[1] = d->s[S_PERIOD];
  kp->omega[2] = d->s[S_OCT];
  kp->phase[0] = d->s[S_PERS];
  kp->table = d->aux;
  return HA__KERNEL_PERLIN;
}

const ha__model ha__model_perlin_noise = {
    .info = HA__MODEL_INFO("perlin-noise", NULL, HA_MODEL_ABS_TIME, params,
                           "smooth fractal noise wandering around a centre, within ±scale per "
                           "axis; seeded and repeatable"),
    .prepare = prepare,
    .local = local,
    .pack = pack,
    .seam = HA__SEAM_PERIODIC,
};
