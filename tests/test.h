/* Minimal test harness: assertion macros that print both operands and
 * file:line, a runner that isolates nothing (CTest runs each file in its own
 * process) and a closing line "N passed, N failed" that CI reads; plus the
 * few fixtures many tests build the same way (a motion from "name=value"
 * assignments). Header-only and static: the checks inside the helpers count
 * into the including test's totals.
 *
 *   static void test_x(void) { CHECK_NEAR(f(1), 2.0, 1e-9); }
 *   int main(void) { RUN(test_x); return test_done(); }
 *
 * Sockets live in test_net.h, the counting allocator in test_alloc.h. */
#ifndef HA_TEST_H
#define HA_TEST_H

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "holoanim.h"

static int ha_t_failed_checks;
static int ha_t_passed;
static int ha_t_failed;
static const char *ha_t_current = "";

#define HA_T_FAIL(...)                                                   \
  do {                                                                   \
    ha_t_failed_checks++;                                                \
    fprintf(stderr, "%s:%d: in %s: ", __FILE__, __LINE__, ha_t_current); \
    fprintf(stderr, __VA_ARGS__);                                        \
    fputc('\n', stderr);                                                 \
  } while (0)

#define CHECK(cond)                         \
  do {                                      \
    if (!(cond))                            \
      HA_T_FAIL("CHECK(%s) failed", #cond); \
  } while (0)

#define CHECK_MSG(cond, ...)  \
  do {                        \
    if (!(cond))              \
      HA_T_FAIL(__VA_ARGS__); \
  } while (0)

#define CHECK_INT(a, b)                                            \
  do {                                                             \
    long long ha_t_a = (long long)(a), ha_t_b = (long long)(b);    \
    if (ha_t_a != ha_t_b)                                          \
      HA_T_FAIL("%s == %s: %lld != %lld", #a, #b, ha_t_a, ha_t_b); \
  } while (0)

#define CHECK_STR(a, b)                                                           \
  do {                                                                            \
    const char *ha_t_a = (a), *ha_t_b = (b);                                      \
    if (ha_t_a == NULL || ha_t_b == NULL || strcmp(ha_t_a, ha_t_b) != 0)          \
      HA_T_FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b, ha_t_a ? ha_t_a : "(null)", \
                ha_t_b ? ha_t_b : "(null)");                                      \
  } while (0)

/* Relative + absolute tolerance: |a-b| <= tol * max(1, |a|, |b|). */
static inline int ha_t_near(double a, double b, double tol) {
  if (isnan(a) || isnan(b))
    return 0;
  double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
  if (m < 1.0)
    m = 1.0;
  return fabs(a - b) <= tol * m;
}

#define CHECK_NEAR(a, b, tol)                                                             \
  do {                                                                                    \
    double ha_t_a = (double)(a), ha_t_b = (double)(b);                                    \
    if (!ha_t_near(ha_t_a, ha_t_b, (tol)))                                                \
      HA_T_FAIL("%s ~= %s: %.17g != %.17g (diff %.3g, tol %.3g)", #a, #b, ha_t_a, ha_t_b, \
                ha_t_a - ha_t_b, (double)(tol));                                          \
  } while (0)

#define CHECK_VEC_NEAR(v, ex, ey, ez, tol) \
  do {                                     \
    CHECK_NEAR((v).x, (ex), (tol));        \
    CHECK_NEAR((v).y, (ey), (tol));        \
    CHECK_NEAR((v).z, (ez), (tol));        \
  } while (0)

/* Two points within tol metres of each other (absolute distance), both
 * printed on failure after `where` (a printf format and its arguments). */
#define CHECK_POINT_AT(got, ex, tol, where, ...)                                                 \
  do {                                                                                           \
    ha_vec3 ha_t_g = (got), ha_t_e = (ex);                                                       \
    double ha_t_d = ha_vec3_dist(ha_t_g, ha_t_e);                                                \
    CHECK_MSG(ha_t_d <= (tol),                                                                   \
              where ": got (%.12g, %.12g, %.12g) expected (%.12g, %.12g, %.12g), off by %.3g m", \
              __VA_ARGS__, ha_t_g.x, ha_t_g.y, ha_t_g.z, ha_t_e.x, ha_t_e.y, ha_t_e.z, ha_t_d);  \
  } while (0)

#define CHECK_POINT(got, ex, tol) CHECK_POINT_AT(got, ex, tol, "%s", "position")

#define CHECK_OK(expr)                             \
  do {                                             \
    int ha_t_st = (int)(expr);                     \
    if (ha_t_st != 0)                              \
      HA_T_FAIL("%s returned %d", #expr, ha_t_st); \
  } while (0)

#define RUN(fn)                              \
  do {                                       \
    int ha_t_before = ha_t_failed_checks;    \
    ha_t_current = #fn;                      \
    fn();                                    \
    if (ha_t_failed_checks == ha_t_before) { \
      ha_t_passed++;                         \
      printf("ok   %s\n", #fn);              \
    } else {                                 \
      ha_t_failed++;                         \
      printf("FAIL %s\n", #fn);              \
    }                                        \
    fflush(stdout);                          \
  } while (0)

static inline int test_done(void) {
  printf("%d passed, %d failed\n", ha_t_passed, ha_t_failed);
  return ha_t_failed == 0 && ha_t_passed > 0 ? 0 : 1;
}

/* Deterministic PRNG for randomised tests (print the seed you use). */
static inline uint64_t ha_t_rand(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static inline double ha_t_uniform(uint64_t *s, double lo, double hi) {
  return lo + (hi - lo) * (double)(ha_t_rand(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* Prints "seed N" and returns N: `uint64_t seed = test_seed(77);`. */
static inline uint64_t test_seed(uint64_t seed) {
  printf("seed %llu\n", (unsigned long long)seed);
  return seed;
}

/* ---- fixtures ---- */

/* Parameters from "name=value" assignments (a NULL-terminated list, or
 * NULL); every assignment must be accepted. */
static inline ha_params *test_params(const char *const *assign) {
  ha_params *p = NULL;
  ha_error err;
  CHECK_OK(ha_params_create(&p));
  for (size_t i = 0; assign && assign[i]; i++) {
    ha_status st = ha_params_set_assignment(p, assign[i], &err);
    CHECK_MSG(st == HA_OK, "%s: %s", assign[i], err.message);
  }
  return p;
}

/* A motion of `model` from assignments and a timing (NULL: the default);
 * creation must succeed. */
static inline ha_motion *test_motion(const char *model, const char *const *assign,
                                     const ha_timing *tm) {
  ha_params *p = test_params(assign);
  ha_motion *m = NULL;
  ha_error err;
  ha_status st = ha_motion_create(model, p, tm, &m, &err);
  CHECK_MSG(st == HA_OK, "create %s: %s", model, err.message);
  ha_params_destroy(p);
  return m;
}

/* test_motion with the assignments written by a printf format, one per
 * line: test_motionf("orbit", &tm, "radius=%g\nspeed=%g", r, sp). */
static inline ha_motion *test_motionf(const char *model, const ha_timing *tm, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline ha_motion *test_motionf(const char *model, const ha_timing *tm, const char *fmt,
                                      ...) {
  char text[1024];
  const char *assign[17];
  size_t n = 0;
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  CHECK_MSG(len >= 0 && (size_t)len < sizeof text, "assignments too long: %s", fmt);
  char *line = text;
  for (; line != NULL && n < 16; n++) {
    assign[n] = line;
    line = strchr(line, '\n');
    if (line != NULL) {
      *line++ = '\0';
    }
  }
  CHECK_MSG(line == NULL, "more than 16 assignments, from: %s", line);
  assign[n] = NULL;
  return test_motion(model, assign, tm);
}

/* What creating `model` from assignments (default timing) returns, with its
 * error in *err; a motion that was created is destroyed at once. */
static inline ha_status test_motion_status(const char *model, const char *const *assign,
                                           ha_error *err) {
  ha_params *p = test_params(assign);
  ha_motion *m = NULL;
  memset(err, 0, sizeof *err);
  ha_status st = ha_motion_create(model, p, NULL, &m, err);
  ha_motion_destroy(m);
  ha_params_destroy(p);
  return st;
}

#endif
