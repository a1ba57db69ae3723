/* State store and metrics benchmark, 1,024 tracks.
 *
 *   publish            ha_store_publish of 1,024 tracks (pos, vel, id, status)
 *   publish + reader   the same while another thread reads in a loop
 *   read               ha_store_read into a caller snapshot
 *   baseline memcpy    a plain memcpy of the same bytes (54 KB) into one
 *                      buffer (hot in cache), and into a ring of
 *                      HA_STORE_SLOTS buffers (the store's cache footprint):
 *                      the floor of any copy-out design
 *   metrics per tick   what a tick records: record_tick, 8 per-model times,
 *                      4 counters; against the tick's period and against
 *                      the two clock_gettime calls it takes to time a tick
 *   snapshot + text    ha_metrics_snapshot + ha_metrics_to_prometheus
 *                      (off the tick; informational)
 *
 * Each figure is the median of REPEATS interleaved runs, because this kind
 * of VM drifts by more than the differences we measure. */
#include "bench_util.h"
#include "holoanim.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TRACKS 1024
#define REPEATS 9
#define TICKS 2000
#define METRIC_TICKS 200000

static volatile uint64_t g_sink;

/* ---- data ---------------------------------------------------------------- */

static uint32_t g_ids[TRACKS];
static double g_comp[6][TRACKS];
static uint8_t g_status[TRACKS];
/* Baseline destinations: the same bytes as the store's slots, one buffer
 * (hot in cache) and a ring of HA_STORE_SLOTS (the store's footprint). */
typedef struct plain_slot {
  uint32_t ids[TRACKS];
  double comp[6][TRACKS];
  uint8_t status[TRACKS];
} plain_slot;
static plain_slot g_plain[HA_STORE_SLOTS];

static ha_store *g_store;
static ha_store_snapshot *g_snap;
static ha_metrics *g_metrics;

static void fill(void) {
  for (size_t i = 0; i < TRACKS; i++) {
    g_ids[i] = (uint32_t)i + 1;
    g_status[i] = (uint8_t)(i % 3);
    for (int c = 0; c < 6; c++) {
      g_comp[c][i] = (double)i * 0.25 + c;
    }
  }
}

/* ---- store ------------------------------------------------------------------ */

static double bench_publish(void) {
  double t0 = bench_now_ns();
  for (uint64_t k = 1; k <= TICKS; k++) {
    ha_store_publish(g_store, k, (double)k * 0.01, TRACKS, g_ids, g_comp[0], g_comp[1], g_comp[2],
                     g_comp[3], g_comp[4], g_comp[5], g_status);
  }
  return (bench_now_ns() - t0) / TICKS;
}

static double bench_read(void) {
  double t0 = bench_now_ns();
  uint64_t acc = 0;
  for (int k = 0; k < TICKS; k++) {
    ha_store_read(g_store, g_snap);
    acc += g_snap->tick;
  }
  g_sink += acc;
  return (bench_now_ns() - t0) / TICKS;
}

static double bench_memcpy(int slots) {
  double t0 = bench_now_ns();
  for (int k = 0; k < TICKS; k++) {
    plain_slot *d = &g_plain[k % slots];
    g_comp[0][k % TRACKS] += 1.0; /* so the copies are not hoisted */
    memcpy(d->ids, g_ids, sizeof(g_ids));
    for (int c = 0; c < 6; c++) {
      memcpy(d->comp[c], g_comp[c], sizeof(g_comp[c]));
    }
    memcpy(d->status, g_status, sizeof(g_status));
    g_sink += d->status[k % TRACKS] + (uint64_t)d->comp[5][k % TRACKS];
  }
  return (bench_now_ns() - t0) / TICKS;
}

/* The benchmark's own stop flag (seq_cst; touched once per run). */
static atomic_int g_stop_reader;
static uint64_t g_reader_reads;

static void *reader_main(void *arg) {
  (void)arg;
  ha_store_snapshot *snap;
  if (ha_store_snapshot_create(TRACKS, &snap) != HA_OK) {
    return NULL;
  }
  uint64_t n = 0;
  while (!atomic_load(&g_stop_reader)) {
    if (ha_store_read(g_store, snap) == HA_OK) {
      n++;
    }
  }
  g_reader_reads = n;
  ha_store_snapshot_destroy(snap);
  return NULL;
}

/* ---- metrics ------------------------------------------------------------------ */

/* What one tick records. */
static inline void record_one_tick(uint64_t k) {
  ha_metrics_record_tick(g_metrics, 40000 + (k & 1023u) * 10, k & 63u, false);
  for (unsigned key = 0; key < 8; key++) {
    ha_metrics_record_model(g_metrics, key, 3000 + key * 100 + (k & 255u));
  }
  ha_metrics_add(g_metrics, HA_COUNTER_MESSAGES, TRACKS);
  ha_metrics_add(g_metrics, HA_COUNTER_BYTES, TRACKS * 32);
  ha_metrics_add(g_metrics, HA_COUNTER_COMMANDS, 1);
  ha_metrics_add(g_metrics, HA_COUNTER_CLAMPS, 0);
}

static double bench_metrics_tick(void) {
  double t0 = bench_now_ns();
  for (uint64_t k = 0; k < METRIC_TICKS; k++) {
    record_one_tick(k);
  }
  return (bench_now_ns() - t0) / METRIC_TICKS;
}

static double bench_clock_pair(void) {
  double t0 = bench_now_ns();
  uint64_t acc = 0;
  for (int k = 0; k < METRIC_TICKS; k++) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    clock_gettime(CLOCK_MONOTONIC, &b);
    acc += (uint64_t)(b.tv_nsec - a.tv_nsec);
  }
  g_sink += acc;
  return (bench_now_ns() - t0) / METRIC_TICKS;
}

static char g_text[1 << 20];

static double bench_scrape(void) {
  static ha_metrics_snap snap;
  const int n = 200;
  double t0 = bench_now_ns();
  for (int k = 0; k < n; k++) {
    ha_metrics_snapshot(g_metrics, &snap);
    int len = ha_metrics_to_prometheus(&snap, g_text, sizeof(g_text));
    g_sink += (uint64_t)len;
  }
  return (bench_now_ns() - t0) / n;
}

int main(void) {
  fill();
  if (ha_store_create(TRACKS, &g_store) != HA_OK ||
      ha_store_snapshot_create(TRACKS, &g_snap) != HA_OK ||
      ha_metrics_create(&g_metrics) != HA_OK) {
    fprintf(stderr, "setup failed\n");
    return 1;
  }
  for (unsigned key = 0; key < 8; key++) {
    char name[16];
    snprintf(name, sizeof(name), "model%u", key);
    ha_metrics_set_key_name(g_metrics, key, name);
  }
  double pub[REPEATS], rd[REPEATS], cpy[REPEATS], ring[REPEATS], met[REPEATS], clk[REPEATS];
  double scr[REPEATS];
  bench_publish(); /* warm up: fault the pages in */
  bench_read();
  bench_memcpy(HA_STORE_SLOTS);
  bench_metrics_tick();
  for (int r = 0; r < REPEATS; r++) {
    pub[r] = bench_publish();
    rd[r] = bench_read();
    cpy[r] = bench_memcpy(1);
    ring[r] = bench_memcpy(HA_STORE_SLOTS);
    met[r] = bench_metrics_tick();
    clk[r] = bench_clock_pair();
    scr[r] = bench_scrape();
  }
  /* Publish while a reader copies continuously on another core. */
  double pubc[REPEATS];
  atomic_init(&g_stop_reader, 0);
  pthread_t reader;
  pthread_create(&reader, NULL, reader_main, NULL);
  for (int r = 0; r < REPEATS; r++) {
    pubc[r] = bench_publish();
  }
  atomic_store(&g_stop_reader, 1);
  pthread_join(reader, NULL);

  double p = bench_median(pub, REPEATS), pc = bench_median(pubc, REPEATS),
         rr = bench_median(rd, REPEATS);
  double c = bench_median(cpy, REPEATS), cr = bench_median(ring, REPEATS);
  double m = bench_median(met, REPEATS), k = bench_median(clk, REPEATS);
  double s = bench_median(scr, REPEATS);
  size_t bytes = sizeof(g_ids) + sizeof(g_comp) + sizeof(g_status);
  printf("state store, %d tracks (%zu bytes per tick), median of %d runs\n", TRACKS, bytes,
         REPEATS);
  printf("  baseline memcpy            %9.0f ns/tick   (%.1f GB/s)\n", c, (double)bytes / c);
  printf("  baseline memcpy, %d-ring    %9.0f ns/tick   (the store's footprint)\n", HA_STORE_SLOTS,
         cr);
  printf(
      "  publish                    %9.0f ns/tick   %5.2fx memcpy  %5.2fx ring  %5.2f ns/track\n",
      p, p / c, p / cr, p / TRACKS);
  printf("  publish, reader running    %9.0f ns/tick   %5.2fx memcpy  (%llu reads meanwhile)\n", pc,
         pc / c, (unsigned long long)g_reader_reads);
  printf("  read (snapshot)            %9.0f ns/read   %5.2fx memcpy\n", rr, rr / c);
  printf("  publish at 100 Hz / 1 kHz  %8.4f %% / %.3f %% of the tick period\n", p / 1e7 * 100,
         p / 1e6 * 100);
  printf("metrics\n");
  printf("  record per tick            %9.1f ns/tick   (tick + 8 models + 4 counters)\n", m);
  printf("  baseline clock_gettime x2  %9.1f ns        record/clocks = %.2fx\n", k, m / k);
  printf("  overhead at 100 Hz / 1 kHz %8.5f %% / %.4f %% of the tick period\n", m / 1e7 * 100,
         m / 1e6 * 100);
  printf("  snapshot + Prometheus text %9.0f ns        (off the tick)\n", s);
  ha_metrics_destroy(g_metrics);
  ha_store_snapshot_destroy(g_snap);
  ha_store_destroy(g_store);
  return g_sink == 42 ? 2 : 0;
}
