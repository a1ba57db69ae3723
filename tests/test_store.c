/* Live state store: API behaviour, and a stress test with one writer
 * publishing as fast as it can and one reader per core checking that every
 * snapshot comes from one single tick (run it under -DHA_SANITIZE=thread).
 *
 * The stress runs to fixed counts (publishes, and reads and distinct ticks
 * seen by every reader) within a 60 s deadline, never for a fixed time;
 * HA_STRESS_SECONDS makes it also run at least that long (a soak). */
#include "holoanim.h"
#include "test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

/* Exact float equality for values the test computed the same way. */
static int same(double a, double b) {
  return !(a < b) && !(a > b);
}

/* ---- basic API -------------------------------------------------------------- */

static void test_create_invalid(void) {
  ha_store *s = NULL;
  CHECK_INT(ha_store_create(0, &s), HA_EINVAL);
  CHECK_INT(ha_store_create((size_t)1 << 25, &s), HA_EINVAL);
  CHECK_INT(ha_store_create(4, NULL), HA_EINVAL);
  CHECK(s == NULL);
  ha_store_snapshot *snap = NULL;
  CHECK_INT(ha_store_snapshot_create(0, &snap), HA_EINVAL);
  CHECK_INT(ha_store_snapshot_create(4, NULL), HA_EINVAL);
  ha_store_destroy(NULL);
  ha_store_snapshot_destroy(NULL);
  CHECK_INT(ha_store_capacity(NULL), 0);
  CHECK_INT(ha_store_version(NULL), 0);
  CHECK_INT(ha_store_retries(NULL), 0);
}

static void test_empty(void) {
  ha_store *s;
  ha_store_snapshot *snap;
  CHECK_OK(ha_store_create(8, &s));
  CHECK_OK(ha_store_snapshot_create(8, &snap));
  CHECK_INT(ha_store_capacity(s), 8);
  CHECK_INT(ha_store_read(s, snap), HA_EAGAIN);
  uint64_t tick = 99;
  CHECK_INT(ha_store_tick(s, &tick), HA_EAGAIN);
  CHECK_INT(tick, 99);
  CHECK_INT(ha_store_version(s), 0);
  CHECK_INT(ha_store_read(NULL, snap), HA_EINVAL);
  CHECK_INT(ha_store_read(s, NULL), HA_EINVAL);
  CHECK_INT(ha_store_tick(s, NULL), HA_EINVAL);
  ha_store_snapshot_destroy(snap);
  ha_store_destroy(s);
}

static void test_publish_read(void) {
  ha_store *s;
  ha_store_snapshot *snap;
  CHECK_OK(ha_store_create(4, &s));
  CHECK_OK(ha_store_snapshot_create(4, &snap));
  uint32_t ids[3] = {7, 8, 12};
  double x[3] = {1, 2, 3}, y[3] = {-1, -2, -3}, z[3] = {0.5, 0.25, 0.125};
  double vx[3] = {10, 20, 30}, vy[3] = {0, 0, 1}, vz[3] = {-4, -5, -6};
  uint8_t st[3] = {0, 1, 2};
  CHECK_OK(ha_store_publish(s, 42, 1.5, 3, ids, x, y, z, vx, vy, vz, st));
  CHECK_OK(ha_store_read(s, snap));
  CHECK_INT(snap->version, 1);
  CHECK_INT(snap->tick, 42);
  CHECK_NEAR(snap->time, 1.5, 0);
  CHECK_INT(snap->count, 3);
  for (size_t i = 0; i < 3; i++) {
    CHECK_INT(snap->ids[i], ids[i]);
    CHECK_NEAR(snap->x[i], x[i], 0);
    CHECK_NEAR(snap->y[i], y[i], 0);
    CHECK_NEAR(snap->z[i], z[i], 0);
    CHECK_NEAR(snap->vx[i], vx[i], 0);
    CHECK_NEAR(snap->vy[i], vy[i], 0);
    CHECK_NEAR(snap->vz[i], vz[i], 0);
    CHECK_INT(snap->status[i], st[i]);
  }
  uint64_t tick = 0;
  CHECK_OK(ha_store_tick(s, &tick));
  CHECK_INT(tick, 42);
  CHECK_INT(ha_store_version(s), 1);

  /* Velocity and status omitted: zeros and HA_TRACK_ANIMATED. Fewer tracks. */
  CHECK_OK(ha_store_publish(s, 43, 1.6, 2, ids, x, y, z, NULL, NULL, NULL, NULL));
  CHECK_OK(ha_store_read(s, snap));
  CHECK_INT(snap->version, 2);
  CHECK_INT(snap->tick, 43);
  CHECK_INT(snap->count, 2);
  for (size_t i = 0; i < 2; i++) {
    CHECK_NEAR(snap->vx[i], 0, 0);
    CHECK_NEAR(snap->vy[i], 0, 0);
    CHECK_NEAR(snap->vz[i], 0, 0);
    CHECK_INT(snap->status[i], HA_TRACK_ANIMATED);
  }

  /* No tracks at all is a valid tick. */
  CHECK_OK(ha_store_publish(s, 44, 1.7, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  CHECK_OK(ha_store_read(s, snap));
  CHECK_INT(snap->count, 0);
  CHECK_INT(snap->tick, 44);
  ha_store_snapshot_destroy(snap);
  ha_store_destroy(s);
}

static void test_publish_invalid(void) {
  ha_store *s;
  ha_store_snapshot *snap;
  CHECK_OK(ha_store_create(2, &s));
  CHECK_OK(ha_store_snapshot_create(2, &snap));
  uint32_t ids[3] = {1, 2, 3};
  double v[3] = {1, 2, 3};
  CHECK_INT(ha_store_publish(s, 1, 0, 3, ids, v, v, v, NULL, NULL, NULL, NULL), HA_EINVAL);
  CHECK_INT(ha_store_publish(s, 1, 0, 1, NULL, v, v, v, NULL, NULL, NULL, NULL), HA_EINVAL);
  CHECK_INT(ha_store_publish(s, 1, 0, 1, ids, v, NULL, v, NULL, NULL, NULL, NULL), HA_EINVAL);
  CHECK_INT(ha_store_publish(s, 1, 0, 1, ids, v, v, v, v, NULL, v, NULL), HA_EINVAL);
  CHECK_INT(ha_store_publish(NULL, 1, 0, 1, ids, v, v, v, NULL, NULL, NULL, NULL), HA_EINVAL);
  /* Nothing was published by the refused calls. */
  CHECK_INT(ha_store_version(s), 0);
  CHECK_INT(ha_store_read(s, snap), HA_EAGAIN);
  ha_store_snapshot_destroy(snap);
  ha_store_destroy(s);
}

static void test_snapshot_too_small(void) {
  ha_store *s;
  ha_store_snapshot *small;
  CHECK_OK(ha_store_create(16, &s));
  CHECK_OK(ha_store_snapshot_create(15, &small));
  uint32_t id = 1;
  double v = 0;
  CHECK_OK(ha_store_publish(s, 1, 0, 1, &id, &v, &v, &v, NULL, NULL, NULL, NULL));
  CHECK_INT(ha_store_read(s, small), HA_ENOBUFS);
  ha_store_snapshot_destroy(small);
  ha_store_destroy(s);
}

/* Many publishes wrap the ring of slots: the read always gets the last. */
static void test_wraps_slots(void) {
  ha_store *s;
  ha_store_snapshot *snap;
  CHECK_OK(ha_store_create(3, &s));
  CHECK_OK(ha_store_snapshot_create(3, &snap));
  for (uint64_t k = 1; k <= 3 * HA_STORE_SLOTS + 1; k++) {
    uint32_t ids[3] = {(uint32_t)k, (uint32_t)k + 1, (uint32_t)k + 2};
    double x[3] = {(double)k, (double)k + 0.5, (double)k + 0.25};
    CHECK_OK(ha_store_publish(s, 100 + k, (double)k, 3, ids, x, x, x, x, x, x, NULL));
    CHECK_OK(ha_store_read(s, snap));
    CHECK_INT(snap->version, k);
    CHECK_INT(snap->tick, 100 + k);
    CHECK_INT(snap->ids[2], k + 2);
    CHECK_NEAR(snap->vz[1], (double)k + 0.5, 0);
  }
  ha_store_snapshot_destroy(snap);
  ha_store_destroy(s);
}

/* A snapshot larger than the store is fine. */
static void test_snapshot_larger(void) {
  ha_store *s;
  ha_store_snapshot *snap;
  CHECK_OK(ha_store_create(2, &s));
  CHECK_OK(ha_store_snapshot_create(100, &snap));
  uint32_t ids[2] = {5, 6};
  double v[2] = {1, 2};
  CHECK_OK(ha_store_publish(s, 9, 0, 2, ids, v, v, v, NULL, NULL, NULL, NULL));
  CHECK_OK(ha_store_read(s, snap));
  CHECK_INT(snap->count, 2);
  CHECK_INT(snap->ids[1], 6);
  ha_store_snapshot_destroy(snap);
  ha_store_destroy(s);
}

/* ---- stress ---------------------------------------------------------------- */

#define STRESS_TRACKS 1024
/* The counts a stress run reaches before it stops: publishes, and per
 * reader reads and ticks seen change (the data moves, not one frozen tick). */
#define STRESS_PUBLISHES 2000u
#define STRESS_READS 1000u
#define STRESS_DISTINCT 100u
#define STRESS_DEADLINE_S 60.0

/* Everything the writer publishes at tick k is a function of k, so a reader
 * can check each snapshot against the tick it claims. Components are exact
 * doubles: k * 8 + c + i / 2048 needs < 40 bits for any k we reach. */
static double f_comp(uint64_t k, size_t i, int c) {
  return (double)(k * 8 + (uint64_t)c) + (double)i / 2048.0;
}
static uint32_t f_id(uint64_t k, size_t i) {
  return (uint32_t)(k * 31u + i);
}
static uint8_t f_status(uint64_t k, size_t i) {
  return (uint8_t)((k + i) % 3u);
}
static size_t f_count(uint64_t k) {
  return 1 + (size_t)(k % STRESS_TRACKS);
}
static double f_time(uint64_t k) {
  return (double)k * 0.001;
}

typedef struct stress {
  ha_store *s;
  double min_seconds;
  int nreaders;
  /* The test's own flags, outside the library: seq_cst is the simplest
   * correct choice for a once-per-run stop signal and a count of readers
   * done. */
  atomic_int stop;
  atomic_int readers_done;
  uint64_t published;
  double seconds;
} stress;

typedef struct reader_result {
  stress *st;
  uint64_t reads;
  uint64_t starved;
  uint64_t bad;
  uint64_t distinct_ticks;
} reader_result;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *writer_main(void *arg) {
  stress *st = arg;
  static uint32_t ids[STRESS_TRACKS];
  static double comp[6][STRESS_TRACKS];
  static uint8_t status[STRESS_TRACKS];
  double start = now_s();
  uint64_t k = 0;
  for (;;) {
    k++;
    size_t n = f_count(k);
    for (size_t i = 0; i < n; i++) {
      ids[i] = f_id(k, i);
      status[i] = f_status(k, i);
      for (int c = 0; c < 6; c++) {
        comp[c][i] = f_comp(k, i, c);
      }
    }
    if (ha_store_publish(st->s, k, f_time(k), n, ids, comp[0], comp[1], comp[2], comp[3], comp[4],
                         comp[5], status) != HA_OK) {
      break;
    }
    if ((k & 63u) == 0) {
      double t = now_s() - start;
      bool counted = k >= STRESS_PUBLISHES && atomic_load(&st->readers_done) == st->nreaders;
      if ((counted && t >= st->min_seconds) || t > STRESS_DEADLINE_S) {
        break;
      }
    }
  }
  st->published = k;
  st->seconds = now_s() - start;
  atomic_store(&st->stop, 1);
  return NULL;
}

static void *reader_main(void *arg) {
  reader_result *r = arg;
  ha_store_snapshot *snap = NULL;
  if (ha_store_snapshot_create(STRESS_TRACKS, &snap) != HA_OK) {
    r->bad++;
    return NULL;
  }
  uint64_t last_version = 0, last_tick = 0;
  bool done = false;
  while (!atomic_load(&r->st->stop)) {
    if (!done && r->reads >= STRESS_READS && r->distinct_ticks >= STRESS_DISTINCT) {
      done = true;
      atomic_fetch_add(&r->st->readers_done, 1);
    }
    /* Something was published before the read: EAGAIN then means starved. */
    bool published = ha_store_version(r->st->s) != 0;
    ha_status rc = ha_store_read(r->st->s, snap);
    if (rc == HA_EAGAIN) {
      r->starved += published ? 1u : 0u;
      continue;
    }
    if (rc != HA_OK) {
      r->bad++;
      break;
    }
    r->reads++;
    uint64_t k = snap->tick;
    bool ok = snap->version == k && snap->version >= last_version && k >= last_tick &&
              snap->count == f_count(k) && same(snap->time, f_time(k));
    for (size_t i = 0; ok && i < snap->count; i++) {
      ok = snap->ids[i] == f_id(k, i) && snap->status[i] == f_status(k, i) &&
           same(snap->x[i], f_comp(k, i, 0)) && same(snap->y[i], f_comp(k, i, 1)) &&
           same(snap->z[i], f_comp(k, i, 2)) && same(snap->vx[i], f_comp(k, i, 3)) &&
           same(snap->vy[i], f_comp(k, i, 4)) && same(snap->vz[i], f_comp(k, i, 5));
    }
    if (!ok) {
      if (r->bad++ == 0) {
        fprintf(stderr, "torn snapshot: version %llu tick %llu count %zu\n",
                (unsigned long long)snap->version, (unsigned long long)k, snap->count);
      }
    }
    if (k != last_tick) {
      r->distinct_ticks++;
    }
    last_version = snap->version;
    last_tick = k;
  }
  ha_store_snapshot_destroy(snap);
  return NULL;
}

static void test_stress_one_writer_many_readers(void) {
  stress st;
  memset(&st, 0, sizeof(st));
  atomic_init(&st.stop, 0);
  atomic_init(&st.readers_done, 0);
  const char *env = getenv("HA_STRESS_SECONDS");
  if (env != NULL && atof(env) > 0) {
    st.min_seconds = atof(env);
  }
  CHECK_OK(ha_store_create(STRESS_TRACKS, &st.s));
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  int nreaders = ncpu < 1 ? 1 : ncpu > 64 ? 64 : (int)ncpu;
  st.nreaders = nreaders;
  reader_result res[64];
  pthread_t readers[64];
  memset(res, 0, sizeof(res));
  for (int i = 0; i < nreaders; i++) {
    res[i].st = &st;
    CHECK_INT(pthread_create(&readers[i], NULL, reader_main, &res[i]), 0);
  }
  pthread_t writer;
  CHECK_INT(pthread_create(&writer, NULL, writer_main, &st), 0);
  pthread_join(writer, NULL);
  uint64_t reads = 0, bad = 0, starved = 0, distinct = 0;
  for (int i = 0; i < nreaders; i++) {
    pthread_join(readers[i], NULL);
    reads += res[i].reads;
    bad += res[i].bad;
    starved += res[i].starved;
    distinct += res[i].distinct_ticks;
  }
  printf(
      "     stress: %.1f s, 1 writer + %d readers, %llu publishes, %llu reads "
      "(%llu distinct ticks), %llu retried copies, %llu starved, %llu torn\n",
      st.seconds, nreaders, (unsigned long long)st.published, (unsigned long long)reads,
      (unsigned long long)distinct, (unsigned long long)ha_store_retries(st.s),
      (unsigned long long)starved, (unsigned long long)bad);
  CHECK_INT(bad, 0);
  CHECK_MSG(st.published >= STRESS_PUBLISHES, "%llu publishes in %.0f s",
            (unsigned long long)st.published, STRESS_DEADLINE_S);
  /* Every reader read, and saw the data move, not one frozen tick. */
  for (int i = 0; i < nreaders; i++) {
    CHECK_MSG(res[i].reads >= STRESS_READS && res[i].distinct_ticks >= STRESS_DISTINCT,
              "reader %d: %llu reads, %llu distinct ticks when the writer stopped", i,
              (unsigned long long)res[i].reads, (unsigned long long)res[i].distinct_ticks);
  }
  ha_store_destroy(st.s);
}

int main(void) {
  RUN(test_create_invalid);
  RUN(test_empty);
  RUN(test_publish_read);
  RUN(test_publish_invalid);
  RUN(test_snapshot_too_small);
  RUN(test_wraps_slots);
  RUN(test_snapshot_larger);
  RUN(test_stress_one_writer_many_readers);
  return test_done();
}
