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
 * Runs alternate (raw, output, raw, output, ...) and the median of each is
 * kept: this VM's speed drifts by up to 1.7× between runs (BASELINES.md), so
 * only same-run ratios mean anything. A receiver thread drains the socket
 * (recvmmsg) so the kernel delivers rather than drops, on a timer rather
 * than blocked in poll (bench_udp_drain_paced: no wake-ups charged to
 * either sender). */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_util.h"
#include "holoanim.h"

#define ROUNDS 5
#define RUN_SECONDS 0.25
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
  double *x, *y, *z;
  double clock; /* the `now` fed to ha_output_send */
} bench_case;

/* Positions per second through a raw sender for RUN_SECONDS; *user_ns gets
 * the user-mode CPU time per position. */
static double run_raw(raw *r, double *user_ns) {
  double u0 = user_cpu_s();
  double t0 = ha_monotonic_now(), t;
  unsigned long ticks = 0;
  do {
    raw_tick(r);
    ticks++;
    t = ha_monotonic_now();
  } while (t - t0 < RUN_SECONDS);
  double pos = (double)ticks * (double)r->positions;
  *user_ns = (user_cpu_s() - u0) / pos * 1e9;
  return pos / (t - t0);
}

/* Positions per second through ha_output_send; *tick_us gets the mean time
 * per call, *user_ns the user-mode CPU time per position. */
static double run_output(ha_output *o, bench_case *c, double *tick_us, double *user_ns) {
  ha_output_stats before, after;
  ha_output_get_stats(o, &before);
  double u0 = user_cpu_s();
  double t0 = ha_monotonic_now(), t;
  unsigned long ticks = 0;
  do {
    /* Every track moves: nothing is skipped by the dead-band. */
    double dx = (double)(ticks % 1000) * 0.01;
    for (size_t i = 0; i < c->n; i++) {
      c->x[i] = (double)i * 0.001 + dx;
    }
    c->clock += 0.001; /* rate 1000 Hz: due on every call */
    ha_output_send(o, c->clock, c->n, c->ids, c->x, c->y, c->z, NULL);
    ticks++;
    t = ha_monotonic_now();
  } while (t - t0 < RUN_SECONDS);
  double u1 = user_cpu_s();
  ha_output_get_stats(o, &after);
  double pos = (double)(after.messages - before.messages);
  *tick_us = (t - t0) / (double)ticks * 1e6;
  *user_ns = pos > 0 ? (u1 - u0) / pos * 1e9 : 0.0;
  return pos / (t - t0);
}

static void bench_size(receiver *rx, size_t n) {
  bench_case c = {n,
                  malloc(n * sizeof(uint32_t)),
                  malloc(n * sizeof(double)),
                  malloc(n * sizeof(double)),
                  malloc(n * sizeof(double)),
                  0.0};
  for (size_t i = 0; i < n; i++) {
    c.ids[i] = (uint32_t)(i + 1);
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
    double raw_rates[ROUNDS], out_rates[ROUNDS], tick_us[ROUNDS], raw_ns[ROUNDS], out_ns[ROUNDS];
    run_output(o, &c, &tick_us[0], &out_ns[0]); /* warm up: first sight of every track */
    for (int k = 0; k < ROUNDS; k++) {
      raw_rates[k] = run_raw(&r, &raw_ns[k]);
      out_rates[k] = run_output(o, &c, &tick_us[k], &out_ns[k]);
    }
    double rr = bench_median(raw_rates, ROUNDS), orate = bench_median(out_rates, ROUNDS);
    double us = bench_median(tick_us, ROUNDS);
    printf(
        "%6zu  %-9s  raw %10.0f pos/s (%5zu dgram/tick)  output %10.0f pos/s = %5.1f%% of raw"
        "  %8.1f us/tick  user ns/pos: raw %5.1f, output %5.1f\n",
        n, bundled ? "bundled" : "unbundled", rr, r.count, orate, 100.0 * orate / rr, us,
        bench_median(raw_ns, ROUNDS), bench_median(out_ns, ROUNDS));
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
  free(c.x);
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
      "targets: unbundled >= 80%% of the raw sendmmsg ceiling; bundled 10,000 tracks at "
      "100 Hz = 1 M pos/s on one core\n");
  const size_t sizes[] = {128, 1024, 10000};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    bench_size(&rx, sizes[i]);
  }
  receiver_stop(&rx);
  printf("receiver drained %llu datagrams\n", (unsigned long long)atomic_load(&rx.datagrams));
  return 0;
}
