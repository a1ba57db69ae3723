/* Each track's recent positions (history.h has the design). */
#include "history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && !defined(HA_NO_SIMD)
#include <emmintrin.h>
#endif

#define B HA__HISTORY_BLOCK
#define G HA__HISTORY_GROUP
/* Groups ahead whose lines ha__history_record asks for. */
#define AHEAD 8

ha_status ha__history_init(ha__history *h, size_t cap, size_t len) {
  h->cap = cap;
  h->groups = (cap + G - 1) / G;
  h->nblocks = (len + B - 1) / B;
  h->seen = 0;
  h->count = 0;
  size_t bytes = h->nblocks * h->groups * B * G * 3 * sizeof(float);
  h->pos = malloc(bytes);
  h->since = calloc(cap, sizeof(uint64_t));
  if (h->pos == NULL || h->since == NULL) {
    ha__history_deinit(h);
    return HA_ENOMEM;
  }
  /* Touched here, not by the tick's first pass over the ring (a page fault
   * every few hundred tracks for echo_window seconds: a third of the tick at
   * 10,000 tracks and 1 kHz). Not with zeros: compilers turn malloc + memset
   * 0 into calloc, which touches nothing. Only recorded ticks are read. */
  memset(h->pos, 0xff, bytes);
  return HA_OK;
}

void ha__history_deinit(ha__history *h) {
  free(h->pos);
  free(h->since);
  h->pos = NULL;
  h->since = NULL;
}

size_t ha__history_bytes(const ha__history *h) {
  return h->nblocks * h->groups * B * G * 3 * sizeof(float) + h->cap * sizeof(uint64_t);
}

/* Where tick r of track i is (r < count, within the last nblocks·B). */
static inline float *history_at(const ha__history *h, uint64_t r, size_t i) {
  size_t block = (size_t)((r / B) % h->nblocks), k = (size_t)(r % B);
  return h->pos + (((block * h->groups + i / G) * B + k) * G + i % G) * 3;
}

/* m tracks' tick (m ≤ G) as floats, one cast each. */
static inline void record_casts(float *p, const double *x, const double *y, const double *z,
                                size_t m) {
  for (size_t j = 0; j < m; j++) {
    p[3 * j] = (float)x[j];
    p[3 * j + 1] = (float)y[j];
    p[3 * j + 2] = (float)z[j];
  }
}

/* A whole group's tick: x0 y0 z0 x1 … z3 as floats (rounded to nearest,
 * as the casts). SSE2: the 12 conversions in 6 instructions and the
 * interleave in 8 shuffles, 3 stores: 0.87 ns a track instead of 1.3 for
 * the casts, recording 10,000 tracks in a loop (HA_NO_SIMD: the casts). */
_Static_assert(G == 4, "record_group writes groups of four tracks");
static inline void record_group(float *p, const double *x, const double *y, const double *z) {
#if defined(__SSE2__) && !defined(HA_NO_SIMD)
  __m128 xs = _mm_movelh_ps(_mm_cvtpd_ps(_mm_loadu_pd(x)), _mm_cvtpd_ps(_mm_loadu_pd(x + 2)));
  __m128 ys = _mm_movelh_ps(_mm_cvtpd_ps(_mm_loadu_pd(y)), _mm_cvtpd_ps(_mm_loadu_pd(y + 2)));
  __m128 zs = _mm_movelh_ps(_mm_cvtpd_ps(_mm_loadu_pd(z)), _mm_cvtpd_ps(_mm_loadu_pd(z + 2)));
  __m128 xy01 = _mm_unpacklo_ps(xs, ys);                                     /* x0 y0 x1 y1 */
  __m128 xy23 = _mm_unpackhi_ps(xs, ys);                                     /* x2 y2 x3 y3 */
  __m128 z0x1 = _mm_shuffle_ps(zs, xs, _MM_SHUFFLE(1, 1, 0, 0));             /* z0 z0 x1 x1 */
  __m128 y1z1 = _mm_shuffle_ps(ys, zs, _MM_SHUFFLE(1, 1, 1, 1));             /* y1 y1 z1 z1 */
  __m128 z2x3 = _mm_shuffle_ps(zs, xy23, _MM_SHUFFLE(2, 2, 2, 2));           /* z2 z2 x3 x3 */
  __m128 y3z3 = _mm_shuffle_ps(xy23, zs, _MM_SHUFFLE(3, 3, 3, 3));           /* y3 y3 z3 z3 */
  _mm_storeu_ps(p, _mm_shuffle_ps(xy01, z0x1, _MM_SHUFFLE(2, 0, 1, 0)));     /* x0 y0 z0 x1 */
  _mm_storeu_ps(p + 4, _mm_shuffle_ps(y1z1, xy23, _MM_SHUFFLE(1, 0, 2, 0))); /* y1 z1 x2 y2 */
  _mm_storeu_ps(p + 8, _mm_shuffle_ps(z2x3, y3z3, _MM_SHUFFLE(2, 0, 2, 0))); /* z2 x3 y3 z3 */
#else
  record_casts(p, x, y, z, G);
#endif
}

void ha__history_record(ha__history *h, size_t n, const double *x, const double *y,
                        const double *z) {
  for (size_t i = h->seen; i < n; i++) {
    h->since[i] = h->count;
  }
  h->seen = n;
  float *p = history_at(h, h->count, 0);
  for (size_t i = 0; i < n; i += G, p += B * G * 3) {
    if (i + AHEAD * G < n) {
      /* A group's 48 bytes, one or two lines, a group's block apart: asked
       * for ahead, the stores no longer wait for each line in turn. */
      __builtin_prefetch(p + AHEAD * B * G * 3, 1);
      __builtin_prefetch(p + AHEAD * B * G * 3 + G * 3 - 1, 1);
    }
    if (n - i < G) {
      record_casts(p, x + i, y + i, z + i, n - i); /* the last, partial group */
      break;
    }
    record_group(p, x + i, y + i, z + i);
  }
  h->count++;
}

bool ha__history_near(const ha__history *h, size_t i, ha_vec3 v, double tol, ha_vec3 *nearest,
                      double *dist) {
  uint64_t kept = (uint64_t)h->nblocks * B;
  uint64_t first = h->count > kept ? h->count - kept : 0;
  if (i >= h->seen) {
    first = h->count; /* not recorded yet */
  } else if (h->since[i] > first) {
    first = h->since[i];
  }
  double best = INFINITY;
  for (uint64_t r = h->count; r > first; r--) {
    const float *q = history_at(h, r - 1, i);
    ha_vec3 c = ha_vec3_make(q[0], q[1], q[2]);
    double d = ha_vec3_dist(c, v);
    if (d <= tol) {
      return true;
    }
    if (d < best) {
      best = d;
      *nearest = c;
    }
  }
  *dist = best;
  return false;
}
