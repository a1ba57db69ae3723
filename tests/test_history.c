/* The player's echo history (src/rt/history.c, compiled in here) against a
 * plain model: every recorded tick of every track kept as it was recorded,
 * and a lookup over the same window (the last nblocks·HA__HISTORY_BLOCK ticks
 * from the track's first record on) written its own way (oldest first, no
 * early stop; the history searches newest first and stops). Random
 * positions, tracks added over time, lookups of recorded positions of every
 * age (the newest rows, the block being moved, the blocks), of points far
 * from all, and of tracks not recorded yet; the answer must be the same, and
 * when it is "none near" the nearest position and the distance too
 * (history.h leaves them unspecified otherwise). Seed printed
 * (HA_TEST_SEED). */
#include <stdio.h>
#include <stdlib.h>

#include "../src/rt/history.c"
#include "test.h"

enum { CAP = 37, TICKS = 700 };

typedef struct model {
  float (*pos)[CAP][3]; /* [tick][track] */
  uint64_t since[CAP];
  size_t seen;
  uint64_t count;
  uint64_t kept;
} model;

/* The plain model's answer, oldest row first: true when any row of track i
 * still kept (since it was first seen) lies within tol (nearest and dist
 * untouched), else the nearest row, the newest of equals (what the
 * history's newest-first search keeps), and its distance. */
static bool model_near(const model *m, size_t i, ha_vec3 v, double tol, ha_vec3 *nearest,
                       double *dist) {
  uint64_t lo = 0;
  if (m->count > m->kept) {
    lo = m->count - m->kept;
  }
  if (i >= m->seen) {
    lo = m->count; /* never recorded */
  }
  if (i < m->seen && m->since[i] > lo) {
    lo = m->since[i];
  }
  bool within = false;
  double best = INFINITY;
  ha_vec3 at = ha_vec3_zero();
  for (uint64_t r = lo; r < m->count; r++) {
    ha_vec3 c = ha_vec3_make(m->pos[r][i][0], m->pos[r][i][1], m->pos[r][i][2]);
    double d = ha_vec3_dist(c, v);
    within = within || d <= tol;
    if (d <= best) {
      best = d;
      at = c;
    }
  }
  if (within) {
    return true; /* nearest and dist are left as they were */
  }
  if (best < INFINITY) {
    *nearest = at;
  }
  *dist = best;
  return false;
}

static void run(size_t len, uint64_t seed) {
  ha__history h;
  CHECK_OK(ha__history_init(&h, CAP, len));
  model m;
  memset(&m, 0, sizeof(m));
  m.pos = calloc(TICKS, sizeof(*m.pos));
  m.kept = (uint64_t)h.nblocks * HA__HISTORY_BLOCK;
  double x[CAP], y[CAP], z[CAP];
  size_t n = 3, lookups = 0, found = 0;
  for (uint64_t t = 0; t < TICKS; t++) {
    if (n < CAP && ha_t_rand(&seed) % 23 == 0) {
      n += 1 + ha_t_rand(&seed) % 4;
      n = n < CAP ? n : CAP;
    }
    for (size_t i = 0; i < n; i++) {
      x[i] = ha_t_uniform(&seed, -50, 50);
      y[i] = ha_t_uniform(&seed, -50, 50);
      z[i] = ha_t_uniform(&seed, 0, 20);
    }
    ha__history_record(&h, n, x, y, z);
    for (size_t i = m.seen; i < n; i++) {
      m.since[i] = m.count;
    }
    m.seen = n;
    for (size_t i = 0; i < n; i++) {
      m.pos[t][i][0] = (float)x[i];
      m.pos[t][i][1] = (float)y[i];
      m.pos[t][i][2] = (float)z[i];
    }
    m.count++;
    for (int k = 0; k < 8; k++) {
      size_t i = ha_t_rand(&seed) % CAP; /* some not recorded yet */
      uint64_t age = ha_t_rand(&seed) % (m.kept + 40);
      ha_vec3 v = ha_vec3_make(ha_t_uniform(&seed, -60, 60), 0, 0);
      if (age <= t && i < n && k % 4 != 0) {
        const float *q = m.pos[t - age][i]; /* near a recorded one (or too old) */
        double off = k % 2 ? 0.001 : 0.0;
        v = ha_vec3_make(q[0] + off, q[1], q[2] - off);
      }
      double tol = k % 2 ? 0.01 : 1e-6;
      ha_vec3 n1 = ha_vec3_make(-1, -1, -1), n2 = n1;
      double d1 = -1, d2 = -1;
      bool a = ha__history_near(&h, i, v, tol, &n1, &d1);
      bool b = model_near(&m, i, v, tol, &n2, &d2);
      /* history.h: nearest and dist are the answer only when none is near. */
      CHECK_MSG(a == b && (a || (ha_vec3_dist(n1, n2) <= 0.0 && !(d1 < d2 || d1 > d2))),
                "len %zu tick %llu track %zu age %llu: %d (%g %g %g, %g) vs the model's %d (%g %g "
                "%g, %g)",
                len, (unsigned long long)t, i, (unsigned long long)age, a, n1.x, n1.y, n1.z, d1, b,
                n2.x, n2.y, n2.z, d2);
      lookups++;
      found += b;
    }
  }
  printf("     len %zu (%zu blocks): %zu lookups, %zu found\n", len, h.nblocks, lookups, found);
  /* Both answers in fair numbers: found was 8–48% of the lookups over
   * 1,200 runs (200 seeds × 6 lengths); 1/8 failed for seeds 5 and 6. */
  CHECK(found > lookups / 20 && found < lookups);
  free(m.pos);
  ha__history_deinit(&h);
}

static void test_history_against_model(void) {
  const char *s = getenv("HA_TEST_SEED");
  uint64_t seed = s ? strtoull(s, NULL, 0) : 0x4157ull;
  printf("     seed %llu (set HA_TEST_SEED to change)\n", (unsigned long long)seed);
  size_t lens[] = {5, 16, 17, 40, 100, 250};
  for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
    run(lens[k], seed + k);
  }
}

int main(void) {
  RUN(test_history_against_model);
  return test_done();
}
