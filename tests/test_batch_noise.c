/* perlin-noise's batch kernels, table path against hash path against the
 * model: the kernels look the lattice gradients up in the motion's table
 * (perlin_noise.c builds it for every τ in [0, T] while it stays small) and
 * hash them otherwise. On random shapes (seed printed; HA_TEST_SEED changes
 * it), for every implementation:
 * - the same noise through both paths: a once-mode motion with a short
 *   duration (tabled) and its twin lasting 10^6 s (too many lattice points:
 *   hashed); their lattices are the same (no period), so at every time of
 *   the short one the two batches must agree to the bit;
 * - periodic (loop) motions, tabled and with a period too long to tabulate,
 *   and pingpong ones, against ha_motion_eval (the model hashes) to 1e-9 m
 *   at random times, exact wraps included, with random speeds and shifts.
 * Motions of both paths and of every octave count share vectors in the
 * batches of the second part, so the AVX2 kernel meets mixed vectors. */
#include "holoanim.h"
#include "test.h"

#define TOL_M 1e-9
#define PAIRS 23 /* not a multiple of 4: a masked last vector */
#define MIXED 61

static uint64_t g_seed;

static const ha_batch_impl impls[] = {HA_BATCH_IMPL_GENERIC, HA_BATCH_IMPL_SCALAR,
                                      HA_BATCH_IMPL_AVX2, HA_BATCH_IMPL_AVX512};
#define HA__COUNTOF_IMPLS (sizeof(impls) / sizeof(impls[0]))

/* A perlin-noise motion of random shape; frequency in [f_lo, f_hi]. */
static ha_motion *random_noise(uint64_t *rng, double f_lo, double f_hi, const ha_timing *tm) {
  ha_params *p = NULL;
  CHECK_OK(ha_params_create(&p));
  double c[3] = {ha_t_uniform(rng, -50, 50), ha_t_uniform(rng, -50, 50), ha_t_uniform(rng, -5, 5)};
  ha_params_set_numbers(p, "center", c, 3);
  ha_params_set_number(p, "scale", ha_t_uniform(rng, 0.5, 200));
  ha_params_set_number(p, "frequency", ha_t_uniform(rng, f_lo, f_hi));
  ha_params_set_number(p, "octaves", (double)(1 + ha_t_rand(rng) % 8));
  ha_params_set_number(p, "persistence", ha_t_uniform(rng, 0, 1));
  ha_params_set_number(p, "seed", (double)(ha_t_rand(rng) & 0xffffffffu));
  if (ha_t_rand(rng) & 1) {
    double e[3] = {ha_t_uniform(rng, -90, 90), ha_t_uniform(rng, -90, 90),
                   ha_t_uniform(rng, -180, 180)};
    ha_params_set_numbers(p, "rotation", e, 3);
  }
  ha_motion *m = NULL;
  ha_error err;
  ha_status st = ha_motion_create("perlin-noise", p, tm, &m, &err);
  CHECK_MSG(st == HA_OK, "perlin-noise: %s", err.message);
  ha_params_destroy(p);
  return m;
}

/* A batch of motions m[0..n) with contexts ctx, every track on its kernel. */
static ha_batch *batch_of(ha_motion *const *m, const ha_track_ctx *ctx, size_t n) {
  ha_batch *b = NULL;
  CHECK_OK(ha_batch_create(n, &b));
  for (size_t i = 0; i < n; i++) {
    CHECK_OK(ha_batch_add(b, m[i], &ctx[i], NULL));
  }
  ha_batch_stats st;
  ha_batch_get_stats(b, &st);
  CHECK_MSG(st.packed == n, "%zu of %zu tracks on kernels", st.packed, n);
  return b;
}

/* Bitwise equality of two doubles (NaN included). */
static int same_bits(double a, double b) {
  return memcmp(&a, &b, sizeof a) == 0;
}

static void test_table_equals_hash(void) {
  uint64_t rng = g_seed ^ 0x7ab1e;
  int before = ha_t_failed_checks; /* one report at the first failing time */
  ha_motion *tabled[PAIRS], *hashed[PAIRS];
  ha_track_ctx ctx[PAIRS];
  double longest = 0.0;
  for (size_t i = 0; i < PAIRS; i++) {
    uint64_t fork = ha_t_rand(&rng);
    ha_timing shorter = {ha_t_uniform(&rng, 0.5, 40.0), HA_LOOP_ONCE, 1.0, HA_SEAM_BLEND};
    ha_timing longer = {1e6, HA_LOOP_ONCE, 1.0, HA_SEAM_BLEND};
    uint64_t twin = fork;
    /* f ≥ 0.05 Hz: 10^6 s hold ≥ 5·10^4 cells, far past any table. */
    tabled[i] = random_noise(&fork, 0.05, 3.0, &shorter);
    hashed[i] = random_noise(&twin, 0.05, 3.0, &longer);
    ctx[i] = (ha_track_ctx){(uint32_t)i, 0.0, NULL, NULL};
    longest = shorter.duration > longest ? shorter.duration : longest;
  }
  ha_batch *bt = batch_of(tabled, ctx, PAIRS), *bh = batch_of(hashed, ctx, PAIRS);
  double xt[PAIRS], yt[PAIRS], zt[PAIRS], xh[PAIRS], yh[PAIRS], zh[PAIRS];
  size_t compared = 0;
  for (size_t k = 0; k < HA__COUNTOF_IMPLS; k++) {
    if (!ha_batch_impl_available(impls[k])) {
      continue;
    }
    for (int j = 0; j <= 400 && ha_t_failed_checks == before; j++) {
      /* t in [0, the longest duration]: a once motion past its end holds
       * its last point (τ = T), which its twin does not: skipped below. */
      double t = j == 400 ? 0.0 : ha_t_uniform(&rng, 0.0, longest);
      CHECK_OK(ha_batch_eval_with(bt, t, xt, yt, zt, impls[k]));
      CHECK_OK(ha_batch_eval_with(bh, t, xh, yh, zh, impls[k]));
      for (size_t i = 0; i < PAIRS; i++) {
        if (t > ha_motion_timing(tabled[i]).duration) {
          continue;
        }
        compared++;
        CHECK_MSG(same_bits(xt[i], xh[i]) && same_bits(yt[i], yh[i]) && same_bits(zt[i], zh[i]),
                  "%s, track %zu, t = %.17g: table (%.17g, %.17g, %.17g) != hash (%.17g, %.17g, "
                  "%.17g)",
                  ha_batch_impl_name(impls[k]), i, t, xt[i], yt[i], zt[i], xh[i], yh[i], zh[i]);
        ha_vec3 ref = ha_motion_eval(tabled[i], t, &ctx[i]);
        CHECK_POINT_AT(ha_vec3_make(xt[i], yt[i], zt[i]), ref, TOL_M, "%s track %zu t %.17g",
                       ha_batch_impl_name(impls[k]), i, t);
      }
    }
  }
  CHECK(compared > 1000);
  printf("     %zu positions compared table vs hash vs model\n", compared);
  ha_batch_destroy(bt);
  ha_batch_destroy(bh);
  for (size_t i = 0; i < PAIRS; i++) {
    ha_motion_destroy(tabled[i]);
    ha_motion_destroy(hashed[i]);
  }
}

static void test_mixed_against_model(void) {
  uint64_t rng = g_seed ^ 0x313ed;
  int before = ha_t_failed_checks;
  ha_motion *m[MIXED];
  ha_track_ctx ctx[MIXED];
  double wraps[3 * MIXED];
  size_t nw = 0;
  for (size_t i = 0; i < MIXED; i++) {
    static const ha_loop_mode modes[] = {HA_LOOP_LOOP, HA_LOOP_LOOP, HA_LOOP_PINGPONG,
                                         HA_LOOP_ONCE};
    ha_timing tm = {ha_t_uniform(&rng, 0.5, 60.0), modes[ha_t_rand(&rng) % 4],
                    ha_t_uniform(&rng, 0.25, 4.0), HA_SEAM_BLEND};
    if (ha_t_rand(&rng) % 5 == 0) {
      tm.seam = HA_SEAM_CUT; /* a loop without the period */
    }
    double f_hi = 3.0;
    if (ha_t_rand(&rng) % 4 == 0) {
      tm.duration = ha_t_uniform(&rng, 2e4, 1e5); /* a period too long to tabulate */
      f_hi = 1.0;
    }
    m[i] = random_noise(&rng, 0.05, f_hi, &tm);
    ctx[i] = (ha_track_ctx){(uint32_t)i, ha_t_uniform(&rng, -100.0, 100.0), NULL, NULL};
    /* The wraps: a = speed·t − shift = k·T. */
    for (int w = 1; w <= 3; w++) {
      wraps[nw++] = ((double)w * tm.duration + ctx[i].shift) / tm.speed;
    }
  }
  ha_batch *b = batch_of(m, ctx, MIXED);
  double x[MIXED], y[MIXED], z[MIXED];
  for (size_t k = 0; k < HA__COUNTOF_IMPLS; k++) {
    if (!ha_batch_impl_available(impls[k])) {
      continue;
    }
    for (size_t j = 0; j < 300 + nw && ha_t_failed_checks == before; j++) {
      double t = j < nw ? wraps[j] : ha_t_uniform(&rng, -200.0, 3e5);
      CHECK_OK(ha_batch_eval_with(b, t, x, y, z, impls[k]));
      for (size_t i = 0; i < MIXED; i++) {
        ha_vec3 ref = ha_motion_eval(m[i], t, &ctx[i]);
        CHECK_POINT_AT(ha_vec3_make(x[i], y[i], z[i]), ref, TOL_M, "%s track %zu t %.17g",
                       ha_batch_impl_name(impls[k]), i, t);
      }
    }
  }
  ha_batch_destroy(b);
  for (size_t i = 0; i < MIXED; i++) {
    ha_motion_destroy(m[i]);
  }
}

int main(void) {
  const char *e = getenv("HA_TEST_SEED");
  g_seed = test_seed(e != NULL ? strtoull(e, NULL, 0) : 0x9e71a5ull);
  RUN(test_table_equals_hash);
  RUN(test_mixed_against_model);
  return test_done();
}
