/* The tick path never allocates: 10,000 ha_batch_eval calls over 1,000
 * tracks of every registered model, counted by a malloc family interposed in
 * this executable (each call forwards to glibc's __libc_* entry points).
 * The counter is shown to work first: a direct malloc and a library call
 * that allocates both move it.
 *
 * Under a sanitizer (HA_SANITIZED) the sanitizer owns malloc, so the
 * interposition is compiled out and the test reports "skipped" (exit 77). */
#include "holoanim.h"

#include <stdio.h>

#if !defined(HA_SANITIZED) && defined(__GLIBC__)
#define HA_COUNTING 1
#include "test.h"
#endif

#if defined(HA_COUNTING)
/* glibc's own allocator entry points (exported, undocumented in headers). */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t n);

/* volatile: the compiler knows malloc's semantics and would otherwise
 * assume a call cannot change these counters. */
static volatile int g_counting;
static volatile size_t g_allocs, g_frees;

static void count_alloc(void) {
  if (g_counting) {
    g_allocs++;
  }
}

void *malloc(size_t n) {
  count_alloc();
  return __libc_malloc(n);
}
void *calloc(size_t n, size_t size) {
  count_alloc();
  return __libc_calloc(n, size);
}
void *realloc(void *p, size_t n) {
  count_alloc();
  return __libc_realloc(p, n);
}
void free(void *p) {
  if (g_counting && p != NULL) {
    g_frees++;
  }
  __libc_free(p);
}
int posix_memalign(void **out, size_t align, size_t n) {
  count_alloc();
  void *p = __libc_memalign(align, n);
  if (p == NULL) {
    return 12; /* ENOMEM */
  }
  *out = p;
  return 0;
}
void *aligned_alloc(size_t align, size_t n) {
  count_alloc();
  return __libc_memalign(align, n);
}

static void counting(int on) {
  if (on) {
    g_allocs = 0;
    g_frees = 0;
  }
  g_counting = on;
}

#define TRACKS 1000
#define CALLS 10000

static void test_counter_counts(void) {
  counting(1);
  void *volatile p = malloc(24);
  counting(0);
  CHECK_INT(g_allocs, 1);
  counting(1);
  free(p);
  counting(0);
  CHECK_INT(g_frees, 1);
  /* The library's calls are routed here too (static link). */
  ha_params *params = NULL;
  counting(1);
  CHECK_OK(ha_params_create(&params));
  ha_params_destroy(params);
  counting(0);
  CHECK(g_allocs >= 1);
  CHECK(g_frees >= 1);
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
  counting(1);
  for (int k = 0; k < CALLS; k++) {
    ha_batch_eval(b, 0.01 * k, x, y, z);
  }
  counting(0);
  CHECK_INT(g_allocs, 0);
  CHECK_INT(g_frees, 0);
  /* The other implementations too (fewer calls: the generic one is slow). */
  static const ha_batch_impl others[] = {HA_BATCH_IMPL_GENERIC, HA_BATCH_IMPL_SCALAR,
                                         HA_BATCH_IMPL_AVX2};
  for (size_t j = 0; j < sizeof(others) / sizeof(others[0]); j++) {
    if (!ha_batch_impl_available(others[j])) {
      continue;
    }
    counting(1);
    for (int k = 0; k < CALLS / 10; k++) {
      CHECK_OK(ha_batch_eval_with(b, 0.1 * k, x, y, z, others[j]));
    }
    counting(0);
    CHECK_MSG(g_allocs == 0 && g_frees == 0, "%s: %zu allocations, %zu frees",
              ha_batch_impl_name(others[j]), g_allocs, g_frees);
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
#if defined(HA_COUNTING)
  RUN(test_counter_counts);
  RUN(test_eval_allocates_nothing);
  return test_done();
#else
  printf("skipped: the sanitizer (or a non-glibc libc) owns malloc\n");
  return 77;
#endif
}
