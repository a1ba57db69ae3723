/* The evaluation paths allocate nothing: 10,000 ha_batch_eval calls over
 * 1,000 tracks of every registered model (and fewer through each other
 * implementation), and ha_motion_eval_times on kernel motions and on the
 * generic fallback, counted by test_alloc.h's malloc family interposed in
 * this executable (each call forwards to glibc's __libc_*). The counter is
 * first shown to count (alloc_self_test).
 *
 * Under a sanitizer (HA_SANITIZED) the sanitizer owns malloc, so the
 * interposition is compiled out and the test exits 77 (skipped). */
#include <stdio.h>

#include "holoanim.h"
#include "test_alloc.h"

#ifndef HA_T_COUNTING

int main(void) {
  puts("skipped: the allocation counter needs glibc's malloc (no sanitizer)");
  return 77;
}

#else

#include "test.h"

#define TRACKS 1000
#define CALLS 10000

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
    ha_timing tm = {10.0, (ha_loop_mode)(i % 3), 1.0, HA_SEAM_BLEND};
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
                                         HA_BATCH_IMPL_AVX2, HA_BATCH_IMPL_AVX512};
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

/* ha_motion_eval_times allocates nothing, on a kernel motion or on the
 * generic fallback (with a state cache). */
static void test_eval_times_allocates_nothing(void) {
  static const char *const models[] = {"circular", "lissajous", "pendulum", "catmull-rom"};
  enum { N = 1001 };
  static double t[N], out[3 * N];
  for (size_t i = 0; i < N; i++) {
    t[i] = 0.0123 * (double)i;
  }
  for (size_t k = 0; k < sizeof(models) / sizeof(models[0]); k++) {
    ha_motion *m = NULL;
    ha_error err;
    CHECK_OK(ha_motion_create(models[k], NULL, NULL, &m, &err));
    ha_motion_state cache;
    ha_motion_state_reset(&cache);
    ha_track_ctx ctx = {1, 0.5, &cache, NULL};
    alloc_count_start();
    for (int rep = 0; rep < 20; rep++) {
      CHECK_OK(ha_motion_eval_times(m, &ctx, t, N, out, out + N, out + 2 * N));
      CHECK_OK(
          ha_motion_eval_times_with(m, &ctx, t, N, out, out + 1, out + 2, 3, HA_BATCH_IMPL_AUTO));
    }
    alloc_count_stop();
    CHECK_MSG(alloc_calls() == 0, "ha_motion_eval_times(%s): %zu allocations and frees", models[k],
              alloc_calls());
    ha_motion_destroy(m);
  }
}

int main(void) {
  RUN(alloc_self_test);
  RUN(test_eval_allocates_nothing);
  RUN(test_eval_times_allocates_nothing);
  return test_done();
}

#endif
