/* Each track's recent positions (history.h has the design). */
#include "history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define B HA__HISTORY_BLOCK
/* Tracks ahead whose line ha__history_record asks for. */
#define AHEAD 16

ha_status ha__history_init(ha__history *h, size_t cap, size_t len) {
  h->cap = cap;
  h->nblocks = (len + B - 1) / B;
  h->seen = 0;
  h->count = 0;
  size_t bytes = h->nblocks * cap * B * 3 * sizeof(float);
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
  return h->nblocks * h->cap * B * 3 * sizeof(float) + h->cap * sizeof(uint64_t);
}

/* Where tick r of track i is (r < count, within the last nblocks·B). */
static inline float *history_at(const ha__history *h, uint64_t r, size_t i) {
  size_t block = (size_t)((r / B) % h->nblocks), k = (size_t)(r % B);
  return h->pos + ((block * h->cap + i) * B + k) * 3;
}

void ha__history_record(ha__history *h, size_t n, const double *x, const double *y,
                        const double *z) {
  for (size_t i = h->seen; i < n; i++) {
    h->since[i] = h->count;
  }
  h->seen = n;
  float *p = history_at(h, h->count, 0);
  for (size_t i = 0; i < n; i++, p += B * 3) {
    if (i + AHEAD < n) {
      /* A line per track, a track's block apart: asked for ahead, the
       * stores no longer wait for each line in turn (half of this loop). */
      __builtin_prefetch(p + AHEAD * B * 3, 1);
    }
    p[0] = (float)x[i];
    p[1] = (float)y[i];
    p[2] = (float)z[i];
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
