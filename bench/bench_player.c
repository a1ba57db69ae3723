/* The full tick: evaluate + publish + encode + send, to a loopback receiver.
 *
 * 1. Throughput: ticks run back to back (ha_player_tick_once) for 128, 1,024
 *    and 10,000 tracks, one message per datagram (one sendmmsg per tick),
 *    then with bundles; beside the raw sendmmsg ceiling of the same
 *    datagrams (as many a call as a tick sends, of their mean size, from one
 *    payload: the targets' ceiling) and the same from distinct buffers, in
 *    alternating rounds, the median of each ratio.
 *    For bundles, where a tick's time goes: the same player without its
 *    output (evaluate, publish, the rest), the output, and the raw send of
 *    the same datagrams (per tick, thread CPU time).
 * 2. Real time: 10,000 tracks at 100 Hz with bundles on the player thread for
 *    a few seconds (1 M positions/s): ticks, late ticks, lateness p99.
 *
 *   bench_player [--seconds S] */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "holoanim.h"

static atomic_int stop_sink;
static int sink_fd;

static void *sink(void *arg) {
  (void)arg;
  while (!atomic_load(&stop_sink)) {
    (void)bench_udp_drain_paced(sink_fd, 100);
  }
  return NULL;
}

/* A player of n tracks playing circles; with an output to the loopback port
 * unless `output` is false (the tick's own work alone). */
static ha_player *make(size_t n, uint16_t port, bool output, bool bundle, double rate,
                       double *trace, size_t trace_cap) {
  ha_player_config cfg = ha_player_config_default();
  cfg.max_tracks = n;
  cfg.tick_rate = rate;
  cfg.lateness_trace = trace;
  cfg.lateness_trace_cap = trace_cap;
  ha_player *p = NULL;
  ha_error err;
  if (ha_player_create(&cfg, &p, &err) != HA_OK) {
    fprintf(stderr, "%s\n", err.message);
    exit(1);
  }
  uint32_t *ids = malloc(n * sizeof(uint32_t));
  for (size_t i = 0; i < n; i++) {
    ids[i] = (uint32_t)(i + 1);
    ha_player_add_track(p, ids[i],
                        ha_vec3_make((double)(i % 100) * 0.1, (double)(i / 100) * 0.1, 0), &err);
  }
  ha_output_config oc = ha_output_config_default();
  oc.host = "127.0.0.1";
  oc.port = port;
  oc.rate_hz = 1000;
  oc.deadband_m = 0; /* every position every tick: the worst case */
  oc.bundle = bundle;
  if (output && ha_player_add_output(p, &oc, NULL, &err) != HA_OK) {
    fprintf(stderr, "%s\n", err.message);
    exit(1);
  }
  bench_play_spread(p, "circular", ids, n);
  free(ids);
  return p;
}

/* Raw ceiling: the player's datagrams (as many per call, of their mean
 * size) through one connected socket with sendmmsg, no work between. Each
 * from one 64 KiB payload (hot in cache: the ceiling of the targets), or,
 * `distinct`, each from its own part of one buffer as the player's are (a
 * tick's datagrams are per_call × size bytes the kernel copies from wherever
 * they were encoded). */
typedef struct raw_sender {
  int fd;
  struct mmsghdr *m;
  struct iovec *io;
  char *own; /* distinct: the datagrams' bytes */
  size_t per_call;
} raw_sender;

static void raw_init(raw_sender *r, uint16_t port, size_t dgram_size, size_t per_call,
                     bool distinct) {
  static char payload[65536];
  r->fd = bench_udp_connect(port, 0, 32 << 20);
  r->per_call = per_call;
  r->m = calloc(per_call, sizeof(*r->m));
  r->io = calloc(per_call, sizeof(*r->io));
  r->own = distinct ? malloc(per_call * dgram_size) : NULL;
  if (r->own != NULL) {
    memset(r->own, 0x2f, per_call * dgram_size);
  }
  for (size_t i = 0; i < per_call; i++) {
    r->io[i].iov_base = r->own != NULL ? r->own + i * dgram_size : payload;
    r->io[i].iov_len = dgram_size;
    r->m[i].msg_hdr.msg_iov = &r->io[i];
    r->m[i].msg_hdr.msg_iovlen = 1;
  }
}

static void raw_free(raw_sender *r) {
  free(r->m);
  free(r->io);
  free(r->own);
  close(r->fd);
}

/* Datagrams per second for `seconds`; *cpu gets them per CPU second. */
static double raw_round(raw_sender *r, double seconds, double *cpu) {
  double c0 = bench_thread_cpu_s();
  double t0 = ha_monotonic_now(), t = t0;
  uint64_t sent = 0;
  while (t - t0 < seconds) {
    size_t off = 0;
    while (off < r->per_call) {
      unsigned batch = (unsigned)(r->per_call - off > 1024 ? 1024 : r->per_call - off);
      int k = sendmmsg(r->fd, r->m + off, batch, 0);
      if (k <= 0)
        break;
      off += (size_t)k;
      sent += (uint64_t)k;
    }
    t = ha_monotonic_now();
  }
  *cpu = (double)sent / (bench_thread_cpu_s() - c0);
  return (double)sent / (t - t0);
}

/* Ticks of p back to back, 1 ms of show time apart, for `seconds` of wall
 * time: returns the ticks, *wall their wall time, *cpu their thread CPU
 * time (seconds). */
static uint64_t tick_for(ha_player *p, double *now, double seconds, double *wall, double *cpu) {
  double c0 = bench_thread_cpu_s();
  double t0 = ha_monotonic_now(), t = t0;
  uint64_t ticks = 0;
  while (t - t0 < seconds) {
    *now += 0.001;
    ha_player_tick_once(p, *now);
    ticks++;
    t = ha_monotonic_now();
  }
  *cpu = bench_thread_cpu_s() - c0;
  *wall = t - t0;
  return ticks;
}

/* Ticks back to back for `seconds`: datagrams per second, *pos positions per
 * second (from the output's counters), *cpu datagrams per CPU second. */
static double player_round(ha_player *p, double *now, double seconds, double *pos, double *cpu) {
  ha_output_stats a, b;
  ha_output_get_stats(ha_player_output(p, 0), &a);
  double wall, cpu_s;
  (void)tick_for(p, now, seconds, &wall, &cpu_s);
  ha_output_get_stats(ha_player_output(p, 0), &b);
  *cpu = (double)(b.datagrams - a.datagrams) / cpu_s;
  *pos = (double)(b.messages - a.messages) / wall;
  return (double)(b.datagrams - a.datagrams) / wall;
}

/* Ticks of a player without outputs back to back for `seconds`: seconds of
 * thread CPU time per tick. */
static double bare_round(ha_player *p, double *now, double seconds) {
  double wall, cpu_s;
  uint64_t ticks = tick_for(p, now, seconds, &wall, &cpu_s);
  return cpu_s / (double)ticks;
}

/* One case: the player and the raw sender of its datagrams in alternating
 * rounds (this VM's speed drifts between runs: only same-moment ratios mean
 * anything), the median of each. */
static void throughput(size_t n, uint16_t port, bool bundle, double seconds) {
  enum { ROUNDS = 7 };
  ha_player *p = make(n, port, true, bundle, 1000, NULL, 0);
  /* For bundles: the same player without its output, ticked in turn. */
  ha_player *bare = bundle ? make(n, port, false, bundle, 1000, NULL, 0) : NULL;
  double now = 1000.0;
  ha_player_tick_once(p, now); /* start: every track seen once */
  ha_output_stats a, b;
  ha_output_get_stats(ha_player_output(p, 0), &a);
  for (int k = 0; k < 20; k++) {
    now += 0.001;
    ha_player_tick_once(p, now);
  }
  ha_output_get_stats(ha_player_output(p, 0), &b);
  size_t per_tick = (size_t)((b.datagrams - a.datagrams) / 20);
  size_t size = (size_t)((b.bytes - a.bytes) / (b.datagrams - a.datagrams));
  raw_sender r, rd;
  raw_init(&r, port, size, per_tick, false);
  raw_init(&rd, port, size, per_tick, true);
  double dg[ROUNDS], pos[ROUNDS], raw[ROUNDS], wall_ratio[ROUNDS], cpu_ratio[ROUNDS];
  double distinct_ratio[ROUNDS], tick_s[ROUNDS], bare_s[ROUNDS], raw_s[ROUNDS];
  double bare_now = now;
  if (bare != NULL) {
    ha_player_tick_once(bare, bare_now);
  }
  for (int k = 0; k < ROUNDS; k++) {
    double raw_cpu, dg_cpu, rd_cpu;
    raw[k] = raw_round(&r, seconds / ROUNDS, &raw_cpu);
    double rdk = raw_round(&rd, seconds / ROUNDS, &rd_cpu);
    dg[k] = player_round(p, &now, seconds / ROUNDS, &pos[k], &dg_cpu);
    wall_ratio[k] = dg[k] / raw[k];
    cpu_ratio[k] = dg_cpu / raw_cpu;
    distinct_ratio[k] = dg[k] / rdk;
    /* Per tick in thread CPU time: the player's whole tick, its tick
     * without outputs (every other part), the raw sends of its datagrams. */
    tick_s[k] = (double)per_tick / dg_cpu;
    raw_s[k] = (double)per_tick / raw_cpu;
    bare_s[k] = bare != NULL ? bare_round(bare, &bare_now, seconds / ROUNDS / 2) : 0.0;
  }
  double d = bench_median(dg, ROUNDS), rr = bench_median(raw, ROUNDS);
  /* % of the ceiling: the median of each round pair's ratio, by wall clock
   * and by the CPU time of the sending thread (a loaded machine's
   * preemptions are in the first only); and of the distinct-buffer raw
   * sender's (wall clock). */
  printf(
      "  %5zu tracks, %-9s %9.0f positions/s (%8.0f datagrams/s); raw sendmmsg of %zu "
      "%zu-byte datagrams a call %8.0f/s: %5.1f%% of the ceiling (per CPU second %5.1f%%; of "
      "raw from distinct buffers %5.1f%%)\n",
      n, bundle ? "bundled:" : "unbundled:", bench_median(pos, ROUNDS), d, per_tick, size, rr,
      100.0 * bench_median(wall_ratio, ROUNDS), 100.0 * bench_median(cpu_ratio, ROUNDS),
      100.0 * bench_median(distinct_ratio, ROUNDS));
  if (bare != NULL) {
    /* Where the tick's time goes (medians of the rounds, CPU time): what
     * is not the output, the output's encoding and send beyond the raw
     * send of the same datagrams, and that raw send. */
    double tick = bench_median(tick_s, ROUNDS), bare_tick = bench_median(bare_s, ROUNDS);
    double raw_tick = bench_median(raw_s, ROUNDS);
    printf(
        "         a tick: %.1f us = evaluate, publish and the rest %.1f us (%.0f%%) + the output "
        "%.1f us, of which its raw sendmmsg %.1f us; beyond the raw send %.1f ns a position\n",
        tick * 1e6, bare_tick * 1e6, 100.0 * bare_tick / tick, (tick - bare_tick) * 1e6,
        raw_tick * 1e6, (tick - raw_tick) * 1e9 / (double)n);
  }
  fflush(stdout);
  if (bare != NULL) {
    ha_player_destroy(bare);
  }
  raw_free(&rd);
  raw_free(&r);
  ha_player_destroy(p);
}

int main(int argc, char **argv) {
  double seconds = 2.0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = atof(argv[++i]);
    }
  }
  uint16_t port = 0;
  sink_fd = bench_udp_sink(32 << 20, &port);
  pthread_t th;
  pthread_create(&th, NULL, sink, NULL);
  printf("full tick (evaluate + publish + encode + send) to a loopback receiver, %.1f s per case\n",
         seconds);
  size_t sizes[3] = {128, 1024, 10000};
  for (int s = 0; s < 3; s++) {
    throughput(sizes[s], port, false, seconds);
    throughput(sizes[s], port, true, seconds);
  }
  /* Real time: 10,000 tracks at 100 Hz, bundled, on the player thread. */
  size_t cap = (size_t)(seconds * 100) + 64;
  double *trace = calloc(cap, sizeof(double));
  ha_player *p = make(10000, port, true, true, 100, trace, cap);
  ha_error err;
  ha_player_start(p, &err);
  bench_sleep_s(seconds);
  ha_player_shutdown(p);
  ha_player_status st;
  ha_player_get_status(p, &st);
  ha_output_stats os;
  ha_output_get_stats(ha_player_output(p, 0), &os);
  ha_metrics_snap ms;
  ha_metrics_snapshot(ha_player_metrics(p), &ms);
  size_t n = st.ticks < cap ? (size_t)st.ticks : cap;
  qsort(trace, n, sizeof(double), bench_cmp_double);
  printf(
      "  real time, 10000 tracks at 100 Hz bundled: %llu ticks, %llu late, lateness p50 %.3f ms "
      "p99 %.3f ms max %.3f ms, %.0f positions/s sent, tick compute p99 %.3f ms\n",
      (unsigned long long)st.ticks, (unsigned long long)st.late_ticks, trace[n / 2] * 1e3,
      trace[(size_t)((double)n * 0.99)] * 1e3, trace[n - 1] * 1e3, (double)os.messages / seconds,
      ha_histogram_quantile(&ms.hist[HA_HIST_TICK], 0.99) * 1e-6);
  ha_player_destroy(p);
  free(trace);
  atomic_store(&stop_sink, 1);
  pthread_join(th, NULL);
  return 0;
}
