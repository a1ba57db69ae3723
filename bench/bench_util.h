/* What several benchmarks measure with: the monotonic clock in nanoseconds
 * (in seconds it is the public ha_monotonic_now), the thread's CPU time, the double comparator and
 * in-place median of a sample, a sleep, the players' scene (one motion spread over every track),
 * and loopback UDP (a sink with a large receive buffer, a connected sender, one drain step that
 * empties a sink with recvmmsg; on tests/test_net.h's sockets). Header-only and static; besides it,
 * benches include only public headers and the tests' harness-free helpers (test_net.h,
 * test_alloc.h). */
#ifndef HA_BENCH_UTIL_H
#define HA_BENCH_UTIL_H

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../tests/test_net.h"
#include "holoanim.h"

/* ha_monotonic_now (CLOCK_MONOTONIC) in nanoseconds. */
static inline double bench_now_ns(void) {
  return 1e9 * ha_monotonic_now();
}

/* CPU seconds of the calling thread (user + kernel): what a piece of work
 * costs without the preemptions of a loaded machine. */
static inline double bench_thread_cpu_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* qsort comparator of doubles, ascending. */
static inline int bench_cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The median of v[0..n) (v is sorted in place). */
static inline double bench_median(double *v, size_t n) {
  qsort(v, n, sizeof *v, bench_cmp_double);
  return v[n / 2];
}

/* A UDP socket bound to 127.0.0.1 on a free port (tests/test_net.h) with a
 * receive buffer of rcvbuf bytes (0: the system's default); *port gets the
 * port. -1 on failure. */
static inline int bench_udp_sink(int rcvbuf, uint16_t *port) {
  int fd = test_udp_open(0, port);
  if (fd >= 0 && rcvbuf > 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  }
  return fd;
}

/* A UDP socket (type flags such as SOCK_NONBLOCK in `flags`) connected to
 * 127.0.0.1:port with a send buffer of sndbuf bytes. -1 on failure. */
static inline int bench_udp_connect(uint16_t port, int flags, int sndbuf) {
  int fd = socket(AF_INET, SOCK_DGRAM | flags, 0);
  struct sockaddr_in a = test_loopback(port);
  if (fd < 0) {
    return -1;
  }
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/* Sleep for `seconds` (nanosleep). */
static inline void bench_sleep_s(double seconds) {
  struct timespec d = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
  nanosleep(&d, NULL);
}

/* The players' scene: one `model` motion with its defaults on tracks ids[0..n)
 * in relative mode with phase spread, and the transport playing. */
static inline void bench_play_spread(ha_player *p, const char *model, const uint32_t *ids,
                                     size_t n) {
  ha_motion *m = NULL;
  ha_error err;
  ha_motion_create(model, NULL, NULL, &m, &err);
  ha_anim_spec sp = ha_anim_spec_default();
  sp.mode = HA_GROUP_RELATIVE;
  sp.phase_spread = true;
  ha_player_start_animation(p, 1, m, &sp, ids, n);
  ha_player_play(p);
}

/* One drain step of a sink: wait up to poll_ms for a datagram (poll first:
 * recvmmsg checks its timeout only after one), then take up to 64 at once
 * without waiting. Returns how many were taken (0 on timeout). The
 * datagrams are discarded into static buffers shared by every sink: call it
 * from one thread at a time, whatever the sink. */
static inline int bench_udp_drain(int fd, int poll_ms) {
  enum { BENCH_DRAIN_BATCH = 64 };
  static char bufs[BENCH_DRAIN_BATCH][2048];
  struct mmsghdr m[BENCH_DRAIN_BATCH];
  struct iovec io[BENCH_DRAIN_BATCH];
  struct pollfd p = {fd, POLLIN, 0};
  if (poll(&p, 1, poll_ms) <= 0) {
    return 0;
  }
  for (int i = 0; i < BENCH_DRAIN_BATCH; i++) {
    io[i].iov_base = bufs[i];
    io[i].iov_len = sizeof bufs[i];
    memset(&m[i], 0, sizeof m[i]);
    m[i].msg_hdr.msg_iov = &io[i];
    m[i].msg_hdr.msg_iovlen = 1;
  }
  int n = recvmmsg(fd, m, BENCH_DRAIN_BATCH, MSG_DONTWAIT, NULL);
  return n > 0 ? n : 0;
}

/* A sink's drain step that never blocks in the kernel: take what is there
 * (bench_udp_drain without waiting), and when that was less than a full
 * batch sleep `pause_us` before the next step. A sink blocked in poll() is
 * woken by the sender's sendmmsg itself, on the sender's time (an IPI and a
 * scheduler pass per wake-up on this VM); a sender that pauses between
 * bursts (a player computing its tick) lets the sink fall asleep and pays
 * those wake-ups, one that never pauses (a raw sendmmsg loop) mostly does
 * not: a loopback artifact (a device's NIC wakes nothing on our side) that
 * measured 3 to 4 times more wake-ups per datagram for the player than for
 * its raw ceiling. Sleeping on a timer, the sink is never waited on, so
 * neither sender pays; the receive buffer holds what arrives meanwhile.
 * Returns how many were taken. */
static inline int bench_udp_drain_paced(int fd, long pause_us) {
  int n = bench_udp_drain(fd, 0);
  if (n < 64) {
    struct timespec d = {0, pause_us * 1000};
    nanosleep(&d, NULL);
  }
  return n;
}

#endif
