/* The tick path never allocates: 10,000 ha_batch_eval calls over 1,000
 * tracks of every registered model, counted by test_alloc.h's malloc family
 * interposed in this executable (each call forwards to glibc's __libc_*).
 * The counter is shown to work first: a direct malloc and a library call
 * that allocates both move it.
 *
 * Under a sanitizer (HA_SANITIZED) the sanitizer owns malloc, so the
 * interposition is compiled out and the test reports "skipped" (exit 77). */
#include "holoanim.h"

#include <stdio.h>

#include "test_alloc.h"

#if defined(HA_T_COUNTING)
#include "test.h"

#define TRACKS 1000
#define CALLS 10000

static void test_counter_counts(void) {
  alloc_count_start();
  void *volatile p = malloc(24);
  alloc_count_stop();
  CHECK_INT(ha_t_allocs, 1);
  alloc_count_start();
  free(p);
  alloc_count_stop();
  CHECK_INT(ha_t_frees, 1);
  /* The library's calls are routed here too (static link). */
  ha_params *params = NULL;
  alloc_count_start();
  CHECK_OK(ha_params_create(&params));
  ha_params_destroy(params);
  alloc_count_stop();
  CHECK(ha_t_allocs >= 1);
  CHECK(ha_t_frees >= 1);
}

static void test_eval_allocates_nothing(void) {
  size_t nmodels = ha_model_count();
  ha_motion **motions = calloc(nmodels, sizeof(*motions));
  ha_track_ctx *ctx = calloc(TRACKS, sizeof(*ctx));
  ha_motion_state *state = calloc(TRACKS, sizeof(*state));
  double *xyz = calloc(3 * TRACKS, sizeof(double));
  ha_batch *b = NULL;
  CHECK_OK(ha_batch_create(TRACKS, &b));
  for (size_t i = 0; i < nmodels; i++) {
    ha_error err;
    ha_timing tm = {10.0, (ha_loop_mode)(i % 3), 1.0};
    ha_status st = ha_motion_create(ha_model_at(i)->name, NULL, &tm, &motions[i], &err);
    CHECK_MSG(st == HA_OK, "%s: %s", ha_model_at(i)->name, err.message);
  }
  for (size_t i = 0; i < TRACKS; i++) {
    ctx[i].track_id = (uint32_t)i;
    ctx[i].shift = 0.01 * (double)i;
    ctx[i].state = &state[i];
    if (motions[i % nmodels] != NULL) {
      CHECK_OK(ha_batch_add(b, motions[i % nmodels], &ctx[i], NULL));
    }
  }
  ha_batch_stats st;
  ha_batch_get_stats(b, &st);
  printf("     %zu tracks of %zu models (%zu on kernels), %s\n", st.size, nmodels, st.packed,
         ha_batch_impl_name(ha_batch_active_impl(b)));
  double *x = xyz, *y = xyz + TRACKS, *z = xyz + 2 * TRACKS;

  /* 100 s of transport at 100 Hz: every loop wraps and every physics
   * model re-integrates from τ = 0 several times. */
  alloc_count_start();
  for (int k = 0; k < CALLS; k++) {
    ha_batch_eval(b, 0.01 * k, x, y, z);
  }
  alloc_count_stop();
  CHECK_INT(ha_t_allocs, 0);
  CHECK_INT(ha_t_frees, 0);
  /* The other implementations too (fewer calls: the generic one is slow). */
  static const ha_batch_impl others[] = {HA_BATCH_IMPL_GENERIC, HA_BATCH_IMPL_SCALAR,
                                         HA_BATCH_IMPL_AVX2};
  for (size_t j = 0; j < sizeof(others) / sizeof(others[0]); j++) {
    if (!ha_batch_impl_available(others[j])) {
      continue;
    }
    alloc_count_start();
    for (int k = 0; k < CALLS / 10; k++) {
      CHECK_OK(ha_batch_eval_with(b, 0.1 * k, x, y, z, others[j]));
    }
    alloc_count_stop();
    CHECK_MSG(ha_t_allocs == 0 && ha_t_frees == 0, "%s: %zu allocations, %zu frees",
              ha_batch_impl_name(others[j]), ha_t_allocs, ha_t_frees);
  }
  for (size_t i = 0; i < st.size; i++) {
    CHECK(isfinite(x[i]) && isfinite(y[i]) && isfinite(z[i]));
  }
  ha_batch_destroy(b);
  for (size_t i = 0; i < nmodels; i++) {
    ha_motion_destroy(motions[i]);
  }
  free(motions);
  free(ctx);
  free(state);
  free(xyz);
}
#endif

int main(void) {
#if defined(HA_T_COUNTING)
  RUN(test_counter_counts);
  RUN(test_eval_allocates_nothing);
  return test_done();
#else
  printf("skipped: the sanitizer (or a non-glibc libc) owns malloc\n");
  return 77;
#endif
}
