/* A counting allocator for the "allocates nothing" tests: malloc, calloc,
 * realloc, free, posix_memalign and aligned_alloc are interposed in the
 * executable that includes this header (include it from one file only) and
 * forward to glibc's own __libc_* entry points. While counting is on, every
 * allocation and every free of a non-NULL pointer is counted (the library is
 * linked statically, so its calls land here too).
 *
 * A sanitizer owns malloc, and other C libraries have no __libc_*: under
 * HA_SANITIZED or without glibc nothing is interposed and HA_T_COUNTING
 * stays undefined, so a test can compile its counting checks out.
 *
 *   RUN(alloc_self_test);    (first: the counter is shown to count)
 *   alloc_count_start();  work();  alloc_count_stop();
 *   CHECK_INT(alloc_calls(), 0);
 *
 * The checks come from test.h, which this header includes.
 */
#ifndef HA_TEST_ALLOC_H
#define HA_TEST_ALLOC_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>

#include "test.h"

#if !defined(HA_SANITIZED) && defined(__GLIBC__)
#define HA_T_COUNTING 1

/* glibc's allocator entry points (exported, undocumented in headers). */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t n);

/* volatile: the compiler knows malloc's semantics and would otherwise
 * assume a call cannot change these counters. Atomic: a test may count the
 * calls of another thread (the player's tick) while this one works. */
static volatile int ha_t_alloc_on;
static _Atomic size_t ha_t_allocs, ha_t_frees;
/* A thread that set this (alloc_exempt_this_thread) is not counted: a
 * control thread that builds commands while the tick's calls are counted. */
static _Thread_local int ha_t_alloc_exempt;

static inline void ha_t_note_alloc(void) {
  if (ha_t_alloc_on && !ha_t_alloc_exempt) {
    ha_t_allocs++;
  }
}

void *malloc(size_t n) {
  ha_t_note_alloc();
  return __libc_malloc(n);
}
void *calloc(size_t n, size_t size) {
  ha_t_note_alloc();
  return __libc_calloc(n, size);
}
void *realloc(void *p, size_t n) {
  ha_t_note_alloc();
  return __libc_realloc(p, n);
}
void free(void *p) {
  if (ha_t_alloc_on && !ha_t_alloc_exempt && p != NULL) {
    ha_t_frees++;
  }
  __libc_free(p);
}
int posix_memalign(void **out, size_t align, size_t n) {
  ha_t_note_alloc();
  void *p = __libc_memalign(align, n);
  if (p == NULL) {
    return 12; /* ENOMEM */
  }
  *out = p;
  return 0;
}
void *aligned_alloc(size_t align, size_t n) {
  ha_t_note_alloc();
  return __libc_memalign(align, n);
}

/* Counting on or off; the counts are kept. */
static inline void alloc_counting(int on) {
  ha_t_alloc_on = on;
}

/* The calling thread's allocations are (not) counted from now on. */
static inline void alloc_exempt_this_thread(int exempt) {
  ha_t_alloc_exempt = exempt;
}

/* Both counts back to zero. */
static inline void alloc_count_reset(void) {
  ha_t_allocs = 0;
  ha_t_frees = 0;
}

/* Zero the counts and count from now on; alloc_count_stop() ends it. */
static inline void alloc_count_start(void) {
  alloc_count_reset();
  alloc_counting(1);
}

static inline void alloc_count_stop(void) {
  alloc_counting(0);
}

/* Allocations plus frees counted. */
static inline size_t alloc_calls(void) {
  return ha_t_allocs + ha_t_frees;
}

/* The counter counts: each interposed function called once on its own is
 * counted once, and a library call that allocates (the library is linked
 * statically) lands here too. Every "allocates nothing" test runs this
 * first, so a zero it reads later means no allocation, not a dead counter.
 * volatile pointers keep the compiler from pairing and eliding the calls. */
static inline void alloc_self_test(void) {
  void *volatile p[5];
  void *q = NULL;

  alloc_count_start();
  p[0] = malloc(16);
  alloc_count_stop();
  CHECK_MSG(ha_t_allocs == 1, "malloc: %zu allocations counted", ha_t_allocs);

  alloc_count_start();
  p[1] = calloc(4, 8);
  alloc_count_stop();
  CHECK_MSG(ha_t_allocs == 1, "calloc: %zu allocations counted", ha_t_allocs);

  p[2] = malloc(8);
  alloc_count_start();
  p[2] = realloc(p[2], 4096);
  alloc_count_stop();
  CHECK_MSG(ha_t_allocs == 1, "realloc: %zu allocations counted", ha_t_allocs);

  alloc_count_start();
  int rc = posix_memalign(&q, 64, 64);
  alloc_count_stop();
  p[3] = q;
  CHECK_INT(rc, 0);
  CHECK_MSG(ha_t_allocs == 1, "posix_memalign: %zu allocations counted", ha_t_allocs);

  alloc_count_start();
  p[4] = aligned_alloc(64, 128);
  alloc_count_stop();
  CHECK_MSG(ha_t_allocs == 1, "aligned_alloc: %zu allocations counted", ha_t_allocs);

  for (int i = 0; i < 5; i++) {
    CHECK_MSG(p[i] != NULL, "allocation %d failed", i);
  }
  alloc_count_start();
  free(p[0]);
  alloc_count_stop();
  CHECK_MSG(ha_t_frees == 1 && ha_t_allocs == 0, "free: %zu frees, %zu allocations counted",
            ha_t_frees, ha_t_allocs);
  for (int i = 1; i < 5; i++) {
    free(p[i]);
  }

  ha_params *params = NULL;
  alloc_count_start();
  ha_status st = ha_params_create(&params);
  ha_params_destroy(params);
  alloc_count_stop();
  CHECK_OK(st);
  CHECK_MSG(ha_t_allocs >= 1 && ha_t_frees >= 1,
            "ha_params_create/destroy: %zu allocations, %zu frees counted", ha_t_allocs,
            ha_t_frees);
  alloc_count_reset(); /* for tests that count with alloc_counting() alone */
}
#endif

#endif
