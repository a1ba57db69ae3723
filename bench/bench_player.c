/* The full tick: evaluate + publish + encode + send, to a loopback receiver.
 *
 * 1. Throughput: ticks run back to back (ha_player_tick_once) for 128, 1,024
 *    and 10,000 tracks, one message per datagram (one sendmmsg per tick),
 *    beside the raw sendmmsg ceiling measured in the same run with the same
 *    pre-encoded datagrams; then with bundles.
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
#include <unistd.h>

#include "bench_util.h"
#include "holoanim.h"

static atomic_int stop_sink;
static int sink_fd;

static void *sink(void *arg) {
  (void)arg;
  while (!atomic_load(&stop_sink)) {
    (void)bench_udp_drain(sink_fd, 50);
  }
  return NULL;
}

static ha_player *make(size_t n, uint16_t port, bool bundle, double rate, double *trace,
                       size_t trace_cap) {
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
  if (ha_player_add_output(p, &oc, NULL, &err) != HA_OK) {
    fprintf(stderr, "%s\n", err.message);
    exit(1);
  }
  bench_play_spread(p, "circular", ids, n);
  free(ids);
  return p;
}

/* Raw ceiling: the same number of datagrams of the same size through one
 * connected socket with sendmmsg, no work between. */
static double raw_ceiling(uint16_t port, size_t dgram_size, size_t per_call, double seconds) {
  int fd = bench_udp_connect(port, 0, 32 << 20);
  static char payload[65536];
  struct mmsghdr *m = calloc(per_call, sizeof(*m));
  struct iovec *io = calloc(per_call, sizeof(*io));
  for (size_t i = 0; i < per_call; i++) {
    io[i].iov_base = payload;
    io[i].iov_len = dgram_size;
    m[i].msg_hdr.msg_iov = &io[i];
    m[i].msg_hdr.msg_iovlen = 1;
  }
  double t0 = ha_monotonic_now(), t = t0;
  uint64_t sent = 0;
  while (t - t0 < seconds) {
    size_t off = 0;
    while (off < per_call) {
      unsigned batch = (unsigned)(per_call - off > 1024 ? 1024 : per_call - off);
      int r = sendmmsg(fd, m + off, batch, 0);
      if (r <= 0)
        break;
      off += (size_t)r;
      sent += (uint64_t)r;
    }
    t = ha_monotonic_now();
  }
  free(m);
  free(io);
  close(fd);
  return (double)sent / (t - t0);
}

static double throughput(size_t n, uint16_t port, bool bundle, double seconds, double *dgrams) {
  ha_player *p = make(n, port, bundle, 1000, NULL, 0);
  double now = 1000.0;
  ha_player_tick_once(p, now); /* start */
  double t0 = ha_monotonic_now(), t = t0;
  uint64_t ticks = 0;
  while (t - t0 < seconds) {
    now += 0.001;
    ha_player_tick_once(p, now);
    ticks++;
    t = ha_monotonic_now();
  }
  ha_output_stats os;
  ha_output_get_stats(ha_player_output(p, 0), &os);
  *dgrams = (double)os.datagrams / (t - t0);
  double pos = (double)os.messages / (t - t0);
  ha_player_destroy(p);
  return pos;
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
    size_t n = sizes[s];
    double dg_raw = raw_ceiling(port, 40, n, seconds);
    double dg = 0;
    double pos = throughput(n, port, false, seconds, &dg);
    printf(
        "  %5zu tracks, unbundled: %9.0f positions/s (%8.0f datagrams/s); raw sendmmsg of "
        "40-byte datagrams %8.0f/s: %5.1f%% of the ceiling\n",
        n, pos, dg, dg_raw, 100.0 * dg / dg_raw);
    double dgb = 0;
    double posb = throughput(n, port, true, seconds, &dgb);
    double raw_b = raw_ceiling(port, 1472, (n * 40 + 1471) / 1472, seconds);
    printf(
        "  %5zu tracks, bundled:   %9.0f positions/s (%8.0f datagrams/s); raw sendmmsg of "
        "1472-byte datagrams %8.0f/s: %5.1f%%\n",
        n, posb, dgb, raw_b, 100.0 * dgb / raw_b);
  }
  /* Real time: 10,000 tracks at 100 Hz, bundled, on the player thread. */
  size_t cap = (size_t)(seconds * 100) + 64;
  double *trace = calloc(cap, sizeof(double));
  ha_player *p = make(10000, port, true, 100, trace, cap);
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
