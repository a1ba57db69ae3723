/* The metrics endpoint under a flood of slow clients, over real sockets.
 *
 * Hundreds of connections from one loopback address (127.0.0.2: Linux
 * routes all of 127/8 to lo, so a client can bind it as its source) that
 * send half a request head, or nothing, or one byte a second, and keep their
 * sockets open; meanwhile a scrape from another address (127.0.0.1) must get
 * its 200 with the metric names. The server runs with its defaults, as the
 * CLI starts it. Nothing here asserts speed: the scrape only has to arrive
 * within a generous deadline, which a server whose slots the flood holds
 * never meets (the hand-written server before libmicrohttpd did not: see
 * the commit that added this file). */
#include "holoanim.h"
#include "test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
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

static int ms_until(double deadline) {
  double left = deadline - now_s();
  return left <= 0 ? 0 : (int)(left * 1000.0) + 1;
}

/* A non-blocking TCP socket connecting to 127.0.0.1:port from `src` (NULL:
 * the kernel's choice, 127.0.0.1). The connect may still be in progress.
 * -1 when the socket cannot be made or `src` cannot be bound. */
static int connect_from(const char *src, uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  struct sockaddr_in a;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  if (src != NULL) {
    inet_pton(AF_INET, src, &a.sin_addr);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
      close(fd);
      return -1;
    }
  }
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 && errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  return fd;
}

/* GET /metrics from 127.0.0.1 and read the answer until the server closes,
 * all before `deadline`. Returns the answer (caller frees) or NULL, with
 * what went wrong in `why`. */
static char *scrape(uint16_t port, double deadline, const char **why) {
  int fd = connect_from(NULL, port);
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

/* Check one scrape: 200, the Prometheus content type, the metric names. */
static void check_scrape(uint16_t port, const char *when) {
  const char *why = "";
  char *r = scrape(port, now_s() + DEADLINE_S, &why);
  CHECK_MSG(r != NULL, "%s: scrape from 127.0.0.1 failed: %s", when, why);
  if (r == NULL) {
    return;
  }
  CHECK_MSG(strncmp(r, "HTTP/1.1 200 ", 13) == 0, "%s: answer %.40s", when, r);
  CHECK(strstr(r, "text/plain; version=0.0.4") != NULL);
  CHECK(strstr(r, "\nholoanim_ticks_total ") != NULL);
  CHECK(strstr(r, "# TYPE holoanim_tick_duration_seconds histogram\n") != NULL);
  free(r);
}

typedef struct flood {
  int fd[FLOOD];
  int open; /* sockets not yet closed by the server */
} flood;

/* Open FLOOD connections from FLOOD_SRC; false when that address cannot be
 * bound (then the test is skipped). */
static bool flood_open(flood *f, uint16_t port) {
  f->open = 0;
  for (int i = 0; i < FLOOD; i++) {
    f->fd[i] = connect_from(FLOOD_SRC, port);
    if (f->fd[i] < 0) {
      for (int k = 0; k < i; k++) {
        close(f->fd[k]);
      }
      return false;
    }
    f->open++;
  }
  return true;
}

/* Send `bytes` (a piece of a request head that never ends) on every flood
 * socket still open; a socket the server closed is closed here too (and not
 * reopened: the flood is the connections that got in, or are waiting to). */
static void flood_send(flood *f, const char *bytes) {
  for (int i = 0; i < FLOOD; i++) {
    if (f->fd[i] < 0) {
      continue;
    }
    char sink[256];
    ssize_t r = recv(f->fd[i], sink, sizeof(sink), MSG_DONTWAIT);
    bool gone = r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN);
    if (!gone && bytes != NULL) {
      ssize_t w = send(f->fd[i], bytes, strlen(bytes), MSG_NOSIGNAL | MSG_DONTWAIT);
      /* EAGAIN: still connecting (in the server's backlog); try next time. */
      gone = w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN;
    }
    if (gone) {
      close(f->fd[i]);
      f->fd[i] = -1;
      f->open--;
    }
  }
}

static void flood_close(flood *f) {
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

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static bool g_skipped;

/* FLOOD connections, half sending half a request head and half nothing,
 * all kept open: scrapes from another address are answered meanwhile. */
static void test_half_open_flood(void) {
  ha_metrics *m = metrics_with_ticks();
  ha_metrics_server *srv = NULL;
  CHECK_OK(ha_metrics_http_start(m, NULL, 0, &srv, NULL));
  uint16_t port = ha_metrics_http_port(srv);
  flood *f = malloc(sizeof(*f));
  if (!flood_open(f, port)) {
    printf("     cannot bind %s: skipped\n", FLOOD_SRC);
    g_skipped = true;
    free(f);
    ha_metrics_http_stop(srv);
    ha_metrics_destroy(m);
    return;
  }
  sleep_ms(200); /* let the connections reach the server */
  for (int i = 0; i < FLOOD; i += 2) {
    (void)send(f->fd[i], "GET /metrics HTTP/1.1\r\nHost: x\r\n", 32, MSG_NOSIGNAL | MSG_DONTWAIT);
  }
  check_scrape(port, "first scrape under the flood");
  check_scrape(port, "second scrape under the flood");
  flood_send(f, NULL);
  printf("     %d of %d flood connections still open\n", f->open, FLOOD);
  flood_close(f);
  free(f);
  ha_metrics_http_stop(srv);
  ha_metrics_destroy(m);
}

/* FLOOD connections each sending one byte a second of a head that never
 * ends (each byte resets an idle timeout): scrapes from another address,
 * one a second, are answered all along. */
static void test_trickling_flood(void) {
  ha_metrics *m = metrics_with_ticks();
  ha_metrics_server *srv = NULL;
  CHECK_OK(ha_metrics_http_start(m, NULL, 0, &srv, NULL));
  uint16_t port = ha_metrics_http_port(srv);
  flood *f = malloc(sizeof(*f));
  if (!flood_open(f, port)) {
    printf("     cannot bind %s: skipped\n", FLOOD_SRC);
    g_skipped = true;
    free(f);
    ha_metrics_http_stop(srv);
    ha_metrics_destroy(m);
    return;
  }
  const char *head = "GET /metrics HTTP/1.1\r\nX-Slow: aaaaaaaa";
  for (int sec = 0; sec < 5; sec++) {
    char one[2] = {head[sec % (int)strlen(head)], '\0'};
    flood_send(f, one);
    char when[48];
    snprintf(when, sizeof(when), "scrape %d while trickling", sec + 1);
    check_scrape(port, when);
    sleep_ms(1000);
  }
  printf("     %d of %d trickling connections still open\n", f->open, FLOOD);
  flood_close(f);
  free(f);
  ha_metrics_http_stop(srv);
  ha_metrics_destroy(m);
}

int main(void) {
  RUN(test_half_open_flood);
  RUN(test_trickling_flood);
  if (g_skipped && ha_t_failed == 0) {
    return 77;
  }
  return test_done();
}
