/* The metrics endpoint under a flood of slow clients, over real sockets.
 *
 * FLOOD connections from one loopback address (127.0.0.2: Linux routes all
 * of 127/8 to lo, so a client can bind it as its source) send half a request
 * head, or nothing, or one byte a second, and are held open: one the server
 * closes is opened again, as an attacker would (a flood that is not
 * reopened is cleared by any server with deadlines, and proves little).
 * Meanwhile scrapes from another address (127.0.0.1) must get their 200
 * with the metric names. The server runs with its defaults, as the CLI
 * starts it. Nothing here asserts speed: a scrape only has to arrive within
 * a generous deadline. The hand-written server that libmicrohttpd replaced
 * (16 slots, 2 s deadlines) never let a scrape connect within it: the flood
 * held every slot and its backlog. */
#include "holoanim.h"
#include "test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FLOOD 300
#define DEADLINE_S 30.0
#define FLOOD_SRC "127.0.0.2"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static int ms_until(double deadline) {
  double left = deadline - now_s();
  return left <= 0 ? 0 : (int)(left * 1000.0) + 1;
}

/* Fill `ss` with the numeric address `host` (IPv4 or IPv6) and `port`;
 * returns its length, 0 when `host` is not numeric. */
static socklen_t addr_of(const char *host, uint16_t port, struct sockaddr_storage *ss) {
  memset(ss, 0, sizeof(*ss));
  struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)ss;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)ss;
  if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    return sizeof(*v4);
  }
  if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    return sizeof(*v6);
  }
  return 0;
}

/* A non-blocking TCP socket connecting to dst:port from `src` (NULL: the
 * kernel's choice). The connect may still be in progress. -1 when the
 * socket cannot be made or `src` cannot be bound. */
static int connect_to(const char *dst, const char *src, uint16_t port) {
  struct sockaddr_storage to, from;
  socklen_t tlen = addr_of(dst, port, &to);
  int fd = socket(to.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  if (src != NULL) {
    socklen_t flen = addr_of(src, 0, &from);
    if (flen == 0 || bind(fd, (struct sockaddr *)&from, flen) != 0) {
      close(fd);
      return -1;
    }
  }
  if (connect(fd, (struct sockaddr *)&to, tlen) != 0 && errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  return fd;
}

/* GET /metrics from dst:port and read the answer until the server closes,
 * all before `deadline`. Returns the answer (caller frees) or NULL, with
 * what went wrong in `why`. */
static char *scrape(const char *dst, uint16_t port, double deadline, const char **why) {
  int fd = connect_to(dst, NULL, port);
  if (fd < 0) {
    *why = "socket";
    return NULL;
  }
  struct pollfd p = {fd, POLLOUT, 0};
  int err = 0;
  socklen_t elen = sizeof(err);
  if (poll(&p, 1, ms_until(deadline)) != 1 ||
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 || err != 0) {
    *why = "no connection before the deadline";
    close(fd);
    return NULL;
  }
  const char req[] = "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n";
  if (send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof(req) - 1)) {
    *why = "send";
    close(fd);
    return NULL;
  }
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap + 1);
  *why = "no complete answer before the deadline";
  for (;;) {
    p.events = POLLIN;
    if (poll(&p, 1, ms_until(deadline)) != 1) {
      break;
    }
    if (n == cap) {
      cap *= 2;
      buf = realloc(buf, cap + 1);
    }
    ssize_t r = recv(fd, buf + n, cap - n, 0);
    if (r > 0) {
      n += (size_t)r;
      continue;
    }
    if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
      continue;
    }
    close(fd);
    buf[n] = '\0';
    return buf; /* EOF (or a reset after the answer) */
  }
  close(fd);
  free(buf);
  return NULL;
}

/* Check one scrape: 200, the Prometheus content type, the metric names.
 * False when no answer came before the deadline. */
static bool check_scrape(const char *dst, uint16_t port, const char *when) {
  const char *why = "";
  char *r = scrape(dst, port, now_s() + DEADLINE_S, &why);
  CHECK_MSG(r != NULL, "%s: scrape of %s failed: %s", when, dst, why);
  if (r == NULL) {
    return false;
  }
  CHECK_MSG(strncmp(r, "HTTP/1.1 200 ", 13) == 0, "%s: answer %.40s", when, r);
  CHECK(strstr(r, "text/plain; version=0.0.4") != NULL);
  CHECK(strstr(r, "\nholoanim_ticks_total ") != NULL);
  CHECK(strstr(r, "# TYPE holoanim_tick_duration_seconds histogram\n") != NULL);
  free(r);
  return true;
}

/* The flood: FLOOD connections from FLOOD_SRC held open by a thread of its
 * own, as an attacker holds them: a connection the server closes is opened
 * again a little later (REOPEN_S), so the server cannot clear the flood by
 * dropping it at a deadline. */
#define REOPEN_S 0.25

typedef enum flood_mode {
  FLOOD_HALF_OPEN, /* even slots send half a request head, odd ones nothing */
  FLOOD_TRICKLE    /* every slot sends one byte a second of an endless head */
} flood_mode;

typedef struct flood {
  uint16_t port;
  flood_mode mode;
  int fd[FLOOD];
  double reopen_at[FLOOD];
  double next_send[FLOOD];
  size_t sent[FLOOD];
  atomic_bool stop;
  atomic_int reopened; /* connections the server closed */
  pthread_t thread;
} flood;

static const char HALF_HEAD[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n";
static const char SLOW_HEAD[] = "GET /metrics HTTP/1.1\r\nX-Slow: ";

/* The next bytes slot i sends (none when nothing is due). */
static const char *flood_piece(const flood *f, int i, double now, size_t *n) {
  *n = 0;
  if (f->mode == FLOOD_HALF_OPEN) {
    if (i % 2 == 0 && f->sent[i] < sizeof(HALF_HEAD) - 1) {
      *n = sizeof(HALF_HEAD) - 1 - f->sent[i];
      return HALF_HEAD + f->sent[i];
    }
    return NULL;
  }
  if (now < f->next_send[i]) {
    return NULL;
  }
  *n = 1;
  return f->sent[i] < sizeof(SLOW_HEAD) - 1 ? SLOW_HEAD + f->sent[i] : "a";
}

static void flood_drop(flood *f, int i, double now) {
  close(f->fd[i]);
  f->fd[i] = -1;
  f->reopen_at[i] = now + REOPEN_S;
  atomic_fetch_add(&f->reopened, 1);
}

static void flood_step(flood *f, int i, double now) {
  if (f->fd[i] < 0) {
    if (now >= f->reopen_at[i]) {
      f->fd[i] = connect_to("127.0.0.1", FLOOD_SRC, f->port);
      f->sent[i] = 0;
      f->next_send[i] = now;
      f->reopen_at[i] = now + REOPEN_S; /* if that failed: try again then */
    }
    return;
  }
  char sink[256];
  ssize_t r = recv(f->fd[i], sink, sizeof(sink), MSG_DONTWAIT);
  if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN)) {
    flood_drop(f, i, now);
    return;
  }
  size_t n;
  const char *piece = flood_piece(f, i, now, &n);
  if (piece == NULL) {
    return;
  }
  ssize_t w = send(f->fd[i], piece, n, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (w > 0) {
    f->sent[i] += (size_t)w;
    f->next_send[i] = now + 1.0;
  } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN) {
    flood_drop(f, i, now);
  } /* else still connecting (waiting in the server's backlog): next time */
}

static void *flood_run(void *arg) {
  flood *f = arg;
  while (!atomic_load(&f->stop)) {
    double now = now_s();
    for (int i = 0; i < FLOOD; i++) {
      flood_step(f, i, now);
    }
    sleep_ms(20);
  }
  return NULL;
}

/* Open the flood and start its thread; false when FLOOD_SRC cannot be
 * bound (then the test is skipped). */
static bool flood_start(flood *f, uint16_t port, flood_mode mode) {
  int probe = connect_to("127.0.0.1", FLOOD_SRC, port);
  if (probe < 0) {
    return false;
  }
  close(probe);
  f->port = port;
  f->mode = mode;
  atomic_init(&f->stop, false);
  atomic_init(&f->reopened, 0);
  for (int i = 0; i < FLOOD; i++) {
    f->fd[i] = -1;
    f->reopen_at[i] = 0;
  }
  double now = now_s();
  for (int i = 0; i < FLOOD; i++) {
    flood_step(f, i, now);
  }
  if (pthread_create(&f->thread, NULL, flood_run, f) != 0) {
    abort();
  }
  sleep_ms(500); /* let the connections reach the server first */
  return true;
}

static void flood_stop(flood *f) {
  atomic_store(&f->stop, true);
  pthread_join(f->thread, NULL);
  for (int i = 0; i < FLOOD; i++) {
    if (f->fd[i] >= 0) {
      close(f->fd[i]);
    }
  }
}

static ha_metrics *metrics_with_ticks(void) {
  ha_metrics *m;
  if (ha_metrics_create(&m) != HA_OK) {
    abort();
  }
  ha_metrics_add(m, HA_COUNTER_TICKS, 42);
  ha_metrics_record_tick(m, 10000, 500, false);
  return m;
}

static bool g_skipped;

/* Scrapes from 127.0.0.1, one a second for `seconds`, under a flood in
 * `mode` from FLOOD_SRC against a server with the defaults. */
static void scrapes_under_flood(flood_mode mode, int seconds) {
  ha_metrics *m = metrics_with_ticks();
  ha_metrics_server *srv = NULL;
  CHECK_OK(ha_metrics_http_start(m, NULL, 0, &srv, NULL));
  uint16_t port = ha_metrics_http_port(srv);
  flood *f = malloc(sizeof(*f));
  if (!flood_start(f, port, mode)) {
    printf("     cannot bind %s: skipped\n", FLOOD_SRC);
    g_skipped = true;
  } else {
    for (int sec = 0; sec < seconds; sec++) {
      char when[64];
      snprintf(when, sizeof(when), "scrape %d under the flood", sec + 1);
      if (!check_scrape("127.0.0.1", port, when)) {
        break; /* one starved scrape says it; the rest would wait as long */
      }
      sleep_ms(1000);
    }
    flood_stop(f);
    printf("     the server closed %d flood connections\n", atomic_load(&f->reopened));
  }
  free(f);
  ha_metrics_http_stop(srv);
  ha_metrics_destroy(m);
}

/* Half of the flood sends half a request head, half nothing. */
static void test_half_open_flood(void) {
  scrapes_under_flood(FLOOD_HALF_OPEN, 3);
}

/* Every flood connection sends one byte a second of a head that never
 * ends, so no idle timeout fires on it. */
static void test_trickling_flood(void) {
  scrapes_under_flood(FLOOD_TRICKLE, 5);
}

/* The same endpoint on IPv6 loopback, when the host has it. */
static void test_ipv6(void) {
  ha_metrics *m = metrics_with_ticks();
  ha_metrics_server *srv = NULL;
  if (ha_metrics_http_start(m, "::1", 0, &srv, NULL) != HA_OK) {
    printf("     no IPv6 loopback: not checked\n");
  } else {
    check_scrape("::1", ha_metrics_http_port(srv), "IPv6");
    ha_metrics_http_stop(srv);
  }
  ha_metrics_destroy(m);
}

int main(void) {
  RUN(test_ipv6);
  RUN(test_half_open_flood);
  RUN(test_trickling_flood);
  if (g_skipped && ha_t_failed == 0) {
    return 77;
  }
  return test_done();
}
