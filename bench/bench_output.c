/* bench_output: ha_output_send to a loopback receiver, against the raw
 * sendmmsg ceiling measured in the same run.
 *
 * For 128, 1,024 and 10,000 tracks:
 *   raw        pre-encoded /track/n/xyz datagrams (the same sizes), one
 *              sendmmsg per 1,024 (the kernel's cap), on a connected socket;
 *   unbundled  ha_output_send, every track moving every tick (no dead-band
 *              skip), one message per datagram;
 *   raw-b      pre-encoded bundles packed exactly like the output's (≤ 1472 B);
 *   bundled    ha_output_send with bundles.
 * Runs alternate (raw, output, raw, output, ...); the median of each is
 * printed, and the ratio is the median of the ratios of each adjacent pair,
 * by wall clock and by CPU time of the sending thread (which a loaded
 * machine's preemptions do not inflate)
 * (this VM's speed drifts by up to 1.7× between runs (BASELINES.md), so only
 * same-moment ratios mean anything). The positions of the output's ticks are
 * computed before the timing (two sets, alternating: every track moves every
 * tick), so only ha_output_send is timed. A receiver thread drains the socket
 * (recvmmsg) so the kernel delivers rather than drops, on a timer rather
 * than blocked in poll (bench_udp_drain_paced: no wake-ups charged to
 * either sender). */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "holoanim.h"

#define ROUNDS 15
#define RUN_SECONDS 0.1
#define MMSG_CAP 1024

/* User-mode CPU seconds of the calling thread: our own encoding and
 * bookkeeping, without the kernel's share (which dominates and is noisy). */
static double user_cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_THREAD, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6;
}

/* ---- receiver ------------------------------------------------------------- */

typedef struct receiver {
  int fd;
  uint16_t port;
  atomic_int stop;
  atomic_ullong datagrams;
  pthread_t thread;
} receiver;

static void *drain(void *arg) {
  receiver *r = arg;
  while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
    int n = bench_udp_drain_paced(r->fd, 100);
    if (n > 0) {
      atomic_fetch_add_explicit(&r->datagrams, (unsigned long long)n, memory_order_relaxed);
    }
  }
  return NULL;
}

static int receiver_start(receiver *r) {
  memset(r, 0, sizeof *r);
  r->fd = bench_udp_sink(8 << 20, &r->port);
  if (r->fd < 0) {
    return -1;
  }
  return pthread_create(&r->thread, NULL, drain, r);
}

static void receiver_stop(receiver *r) {
  atomic_store(&r->stop, 1);
  pthread_join(r->thread, NULL);
  close(r->fd);
}

/* ---- raw ceiling ---------------------------------------------------------- */

typedef struct raw {
  int fd;
  uint8_t *buf;
  struct mmsghdr *msgs;
  struct iovec *iov;
  size_t count; /* datagrams per tick */
  size_t positions;
} raw;

/* Pre-encode n tracks: one message per datagram, or bundles of ≤ 1472 bytes. */
static int raw_init(raw *r, uint16_t port, size_t n, bool bundle) {
  memset(r, 0, sizeof *r);
  r->fd = bench_udp_connect(port, SOCK_NONBLOCK, 4 << 20);
  r->buf = malloc(n * 64 + 64);
  r->msgs = calloc(n, sizeof *r->msgs);
  r->iov = calloc(n, sizeof *r->iov);
  if (r->fd < 0 || r->buf == NULL || r->msgs == NULL || r->iov == NULL) {
    return -1;
  }
  size_t pos = 0;
  size_t i = 0;
  while (i < n) {
    uint8_t *start = r->buf + pos;
    size_t len = 0;
    if (!bundle) {
      int k = ha_osc_encode_track_fff(start, 64, "/track/", (uint32_t)(i + 1), "/xyz", 1.0f, 2.0f,
                                      3.0f);
      len = (size_t)k;
      i++;
    } else {
      ha_osc_writer w;
      ha_osc_writer_init(&w, start, 1472);
      ha_osc_writer_begin_bundle(&w, HA_OSC_TIMETAG_IMMEDIATE);
      while (i < n) {
        ha_osc_writer probe = w;
        if (ha_osc_writer_add_track_fff(&probe, "/track/", (uint32_t)(i + 1), "/xyz", 1.0f, 2.0f,
                                        3.0f) != HA_OK ||
            probe.len > 1472) {
          break;
        }
        w = probe;
        i++;
      }
      ha_osc_writer_end_bundle(&w);
      len = (size_t)ha_osc_writer_finish(&w);
    }
    r->iov[r->count].iov_base = start;
    r->iov[r->count].iov_len = len;
    r->msgs[r->count].msg_hdr.msg_iov = &r->iov[r->count];
    r->msgs[r->count].msg_hdr.msg_iovlen = 1;
    r->count++;
    pos += len;
  }
  r->positions = n;
  return 0;
}

static void raw_tick(raw *r) {
  size_t done = 0;
  while (done < r->count) {
    size_t batch = r->count - done < MMSG_CAP ? r->count - done : MMSG_CAP;
    int k = sendmmsg(r->fd, r->msgs + done, (unsigned)batch, 0);
    if (k <= 0) {
      break; /* EAGAIN: count what left only */
    }
    done += (size_t)k;
  }
}

static void raw_free(raw *r) {
  close(r->fd);
  free(r->buf);
  free(r->msgs);
  free(r->iov);
}

/* ---- measurements --------------------------------------------------------- */

typedef struct bench_case {
  size_t n;
  uint32_t *ids;
  double *x[2], *y, *z; /* two x sets: tick k sends x[k % 2] */
  double clock;         /* the `now` fed to ha_output_send */
} bench_case;

/* One timed run: positions per wall-clock second and per CPU second of
 * the sending thread (user + kernel: on loopback the kernel's share is the
 * send and the delivery; a loaded machine's preemptions are not in it), the
 * user-mode CPU time per position, the mean time per call. */
typedef struct run_result {
  double wall, cpu, user_ns, tick_us;
} run_result;

static run_result result_of(double pos, unsigned long ticks, double t0, double t, double c0,
                            double u0) {
  run_result r;
  r.wall = pos / (t - t0);
  r.cpu = pos / (bench_thread_cpu_s() - c0);
  r.user_ns = pos > 0 ? (user_cpu_s() - u0) / pos * 1e9 : 0.0;
  r.tick_us = (t - t0) / (double)ticks * 1e6;
  return r;
}

/* A raw sender for RUN_SECONDS. */
static run_result run_raw(raw *r) {
  double u0 = user_cpu_s(), c0 = bench_thread_cpu_s();
  double t0 = ha_monotonic_now(), t;
  unsigned long ticks = 0;
  do {
    raw_tick(r);
    ticks++;
    t = ha_monotonic_now();
  } while (t - t0 < RUN_SECONDS);
  return result_of((double)ticks * (double)r->positions, ticks, t0, t, c0, u0);
}

/* ha_output_send for RUN_SECONDS (positions: what its counters say left). */
static run_result run_output(ha_output *o, bench_case *c) {
  ha_output_stats before, after;
  ha_output_get_stats(o, &before);
  double u0 = user_cpu_s(), c0 = bench_thread_cpu_s();
  double t0 = ha_monotonic_now(), t;
  unsigned long ticks = 0;
  do {
    /* Every track moves: nothing is skipped by the dead-band. */
    c->clock += 0.001; /* rate 1000 Hz: due on every call */
    ha_output_send(o, c->clock, c->n, c->ids, c->x[ticks % 2], c->y, c->z, NULL);
    ticks++;
    t = ha_monotonic_now();
  } while (t - t0 < RUN_SECONDS);
  ha_output_get_stats(o, &after);
  return result_of((double)(after.messages - before.messages), ticks, t0, t, c0, u0);
}

/* The median of the field at `offset` of ROUNDS results. */
static double median_of(const run_result *res, size_t offset) {
  double v[ROUNDS];
  for (int k = 0; k < ROUNDS; k++) {
    memcpy(&v[k], (const char *)&res[k] + offset, sizeof(double));
  }
  return bench_median(v, ROUNDS);
}
#define MEDIAN_OF(res, f) median_of((res), offsetof(run_result, f))

static void bench_size(receiver *rx, size_t n) {
  bench_case c = {n,
                  malloc(n * sizeof(uint32_t)),
                  {malloc(n * sizeof(double)), malloc(n * sizeof(double))},
                  malloc(n * sizeof(double)),
                  malloc(n * sizeof(double)),
                  0.0};
  for (size_t i = 0; i < n; i++) {
    c.ids[i] = (uint32_t)(i + 1);
    c.x[0][i] = (double)i * 0.001;
    c.x[1][i] = (double)i * 0.001 + 0.01;
    c.y[i] = 2.0;
    c.z[i] = 3.0;
  }
  for (int bundled = 0; bundled <= 1; bundled++) {
    raw r;
    if (raw_init(&r, rx->port, n, bundled != 0) != 0) {
      fprintf(stderr, "bench_output: raw sender setup failed\n");
      exit(1);
    }
    ha_output_config cfg = ha_output_config_default();
    cfg.host = "127.0.0.1";
    cfg.port = rx->port;
    cfg.rate_hz = 1000;
    cfg.deadband_m = 0;
    cfg.bundle = bundled != 0;
    ha_output *o = NULL;
    ha_error err;
    if (ha_output_create(&cfg, n, &o, &err) != HA_OK) {
      fprintf(stderr, "bench_output: %s\n", err.message);
      exit(1);
    }
    run_result rr[ROUNDS], orr[ROUNDS];
    double wall_ratio[ROUNDS], cpu_ratio[ROUNDS];
    run_output(o, &c); /* warm up: first sight of every track */
    for (int k = 0; k < ROUNDS; k++) {
      rr[k] = run_raw(&r);
      orr[k] = run_output(o, &c);
      wall_ratio[k] = orr[k].wall / rr[k].wall;
      cpu_ratio[k] = orr[k].cpu / rr[k].cpu;
    }
    double us = MEDIAN_OF(orr, tick_us), orate = MEDIAN_OF(orr, wall);
    printf(
        "%6zu  %-9s  raw %10.0f pos/s (%5zu dgram/tick)  output %10.0f pos/s = %5.1f%% of raw"
        "  per CPU s: raw %10.0f, output %10.0f = %5.1f%%  %8.1f us/tick  user ns/pos: raw "
        "%5.1f, output %5.1f\n",
        n, bundled ? "bundled" : "unbundled", MEDIAN_OF(rr, wall), r.count, orate,
        100.0 * bench_median(wall_ratio, ROUNDS), MEDIAN_OF(rr, cpu), MEDIAN_OF(orr, cpu),
        100.0 * bench_median(cpu_ratio, ROUNDS), us, MEDIAN_OF(rr, user_ns),
        MEDIAN_OF(orr, user_ns));
    if (bundled && n == 10000) {
      printf(
          "        10,000 tracks bundled at 100 Hz = 1.0 M pos/s needs %.1f ms of each "
          "10 ms tick (%.0f%% of one core); measured ceiling %.2f M pos/s\n",
          us / 1000.0, us / 100.0, orate / 1e6);
    }
    fflush(stdout);
    ha_output_destroy(o);
    raw_free(&r);
  }
  free(c.ids);
  free(c.x[0]);
  free(c.x[1]);
  free(c.y);
  free(c.z);
}

int main(void) {
  receiver rx;
  if (receiver_start(&rx) != 0) {
    fprintf(stderr, "bench_output: receiver: %s\n", strerror(errno));
    return 1;
  }
  printf("bench_output: loopback UDP, median of %d alternating runs of %.2f s each\n", ROUNDS,
         RUN_SECONDS);
  printf(
      "targets: unbundled >= 95%% and bundled >= 90%% of the raw sendmmsg ceiling (%% of raw: "
      "median of the paired rounds' ratios); bundled 10,000 tracks at 100 Hz = 1 M pos/s on "
      "one core\n");
  const size_t sizes[] = {128, 1024, 10000};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    bench_size(&rx, sizes[i]);
  }
  receiver_stop(&rx);
  printf("receiver drained %llu datagrams\n", (unsigned long long)atomic_load(&rx.datagrams));
  return 0;
}
