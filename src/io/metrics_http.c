/* A tiny HTTP/1.1 server for GET /metrics (Prometheus text 0.0.4).
 *
 * One thread, one poll() loop, non-blocking sockets, at most `max_clients`
 * connections served at once, one request per connection. Why not a thread
 * per connection or blocking reads with SO_RCVTIMEO: a single slow client
 * (slowloris) would then hold the only thread, or an unbounded number of
 * threads. Here each connection has its own deadline and its own bounded
 * buffer, so a client that sends nothing, trickles bytes, sends garbage or
 * never reads its answer costs one slot until its deadline, and the others
 * are served meanwhile. Garbage is refused at the first byte that cannot
 * start a request line (a TLS hello, a NUL, a lower-case letter), a head
 * larger than `max_request` is refused with 431, and a finished answer is
 * followed by a short "lingering close" (shutdown, then read and discard
 * until EOF) so the client's unread bytes do not turn our close into a RST
 * that destroys the answer in flight.
 *
 * Why not an HTTP library: the protocol subset is a request line, headers we
 * ignore, and a fixed-length answer; libmicrohttpd or civetweb would be
 * larger than the whole metrics module.
 *
 * The server thread allocates (the answer text grows as needed) and takes
 * the metrics name mutex through ha_metrics_snapshot; it never touches the
 * tick's path otherwise. Stop wakes it through a pipe, so stop is prompt
 * even when no client is connected. */
#include "io_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BODY_INITIAL ((size_t)64 * 1024)
#define BODY_MAX ((size_t)64 * 1024 * 1024)
/* Longest a finished connection lingers to drain the client's bytes. */
#define LINGER_MS 500
/* How long to stop accepting after accept() fails for lack of descriptors,
 * so poll does not spin on a listening socket we cannot serve. */
#define ACCEPT_PAUSE_MS 100

typedef enum conn_state { CONN_FREE = 0, CONN_READING, CONN_WRITING, CONN_DRAINING } conn_state;

typedef struct conn {
  int fd;
  conn_state state;
  int64_t deadline_ms;
  char *in; /* max_request + 1 bytes, allocated at start */
  size_t in_len;
  char *out; /* the whole answer, allocated per answer */
  size_t out_len;
  size_t out_off;
} conn;

struct ha_metrics_server {
  ha_metrics *m;
  int listen_fd;
  int wake[2]; /* wake[1] written by stop; wake[0] polled by the thread */
  uint16_t port;
  int timeout_ms;
  size_t max_request;
  int max_clients;
  conn *conns;
  struct pollfd *pfds; /* 2 + max_clients */
  int *pfd_conn;       /* pfds index -> conns index */
  ha_metrics_snap *snap;
  char *body;
  size_t body_cap;
  pthread_t thread;
};

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + (int64_t)(ts.tv_nsec / 1000000);
}

ha_metrics_http_config ha_metrics_http_config_default(void) {
  ha_metrics_http_config c;
  c.host = "127.0.0.1";
  c.port = 0;
  c.timeout_ms = 2000;
  c.max_request = 8192;
  c.max_clients = 16;
  return c;
}

/* ---- connections ----------------------------------------------------------- */

static void conn_close(conn *c) {
  if (c->fd >= 0) {
    close(c->fd);
  }
  free(c->out);
  c->fd = -1;
  c->state = CONN_FREE;
  c->in_len = 0;
  c->out = NULL;
  c->out_len = 0;
  c->out_off = 0;
}

/* Queue an answer: status line, headers, then `body_len` bytes of `body`
 * unless `head_only`. A failed allocation just drops the connection. */
static void conn_answer(ha_metrics_server *srv, conn *c, const char *status, const char *type,
                        const char *extra, const char *body, size_t body_len, bool head_only) {
  char head[512];
  int hn = snprintf(head, sizeof(head),
                    "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                    "Cache-Control: no-store\r\nConnection: close\r\n%s\r\n",
                    status, type, body_len, extra);
  if (hn < 0 || (size_t)hn >= sizeof(head)) {
    conn_close(c);
    return;
  }
  size_t total = (size_t)hn + (head_only ? 0 : body_len);
  c->out = malloc(total);
  if (c->out == NULL) {
    conn_close(c);
    return;
  }
  memcpy(c->out, head, (size_t)hn);
  if (!head_only && body_len > 0) {
    memcpy(c->out + hn, body, body_len);
  }
  c->out_len = total;
  c->out_off = 0;
  c->state = CONN_WRITING;
  c->deadline_ms = now_ms() + srv->timeout_ms;
}

static void conn_error(ha_metrics_server *srv, conn *c, const char *status, const char *extra) {
  char body[96];
  int n = snprintf(body, sizeof(body), "%s\n", status);
  conn_answer(srv, c, status, "text/plain; charset=utf-8", extra, body, (size_t)n, false);
}

/* Render the metrics into srv->body, growing it as needed. Returns the length
 * or a negative status. */
static int metrics_http_render(ha_metrics_server *srv, bool json) {
  if (ha_metrics_snapshot(srv->m, srv->snap) != HA_OK) {
    return HA_EINTERNAL;
  }
  for (;;) {
    int n = json ? ha_metrics_to_json(srv->snap, srv->body, srv->body_cap)
                 : ha_metrics_to_prometheus(srv->snap, srv->body, srv->body_cap);
    if (n != HA_ENOBUFS) {
      return n;
    }
    if (srv->body_cap >= BODY_MAX) {
      return HA_ENOBUFS;
    }
    char *bigger = realloc(srv->body, srv->body_cap * 2);
    if (bigger == NULL) {
      return HA_ENOMEM;
    }
    srv->body = bigger;
    srv->body_cap *= 2;
  }
}

static bool is_upper(char ch) {
  return ch >= 'A' && ch <= 'Z';
}

/* The head is complete (it holds an empty line); answer it. */
static void conn_request(ha_metrics_server *srv, conn *c) {
  /* Request line: METHOD SP TARGET SP HTTP/1.x CRLF (bare LF tolerated). */
  char *line = c->in;
  char *eol = strchr(line, '\n');
  if (eol == NULL) {
    conn_error(srv, c, "400 Bad Request", "");
    return;
  }
  *eol = '\0';
  if (eol > line && eol[-1] == '\r') {
    eol[-1] = '\0';
  }
  char *sp1 = strchr(line, ' ');
  char *sp2 = sp1 != NULL ? strchr(sp1 + 1, ' ') : NULL;
  if (sp1 == NULL || sp2 == NULL || sp1 == line || sp1 - line > 16 || sp2[1] == '\0') {
    conn_error(srv, c, "400 Bad Request", "");
    return;
  }
  *sp1 = '\0';
  *sp2 = '\0';
  const char *method = line;
  char *target = sp1 + 1;
  const char *version = sp2 + 1;
  for (const char *p = method; *p != '\0'; p++) {
    if (!is_upper(*p)) {
      conn_error(srv, c, "400 Bad Request", "");
      return;
    }
  }
  if (target[0] != '/' || strncmp(version, "HTTP/1.", 7) != 0 || version[7] < '0' ||
      version[7] > '9' || version[8] != '\0' || strchr(target, ' ') != NULL) {
    conn_error(srv, c, "400 Bad Request", "");
    return;
  }
  bool head_only = strcmp(method, "HEAD") == 0;
  if (!head_only && strcmp(method, "GET") != 0) {
    conn_error(srv, c, "405 Method Not Allowed", "Allow: GET, HEAD\r\n");
    return;
  }
  char *query = strchr(target, '?');
  if (query != NULL) {
    *query = '\0'; /* parameters are accepted and ignored */
  }
  bool prom = strcmp(target, "/metrics") == 0;
  bool json = strcmp(target, "/metrics.json") == 0;
  if (!prom && !json) {
    conn_error(srv, c, "404 Not Found", "");
    return;
  }
  int n = metrics_http_render(srv, json);
  if (n < 0) {
    conn_error(srv, c, "500 Internal Server Error", "");
    return;
  }
  conn_answer(srv, c, "200 OK",
              json ? "application/json" : "text/plain; version=0.0.4; charset=utf-8", "", srv->body,
              (size_t)n, head_only);
}

/* Check the bytes just received (from `from`): refuse garbage early, and
 * answer once the head is complete. */
static void conn_scan(ha_metrics_server *srv, conn *c, size_t from) {
  if (from == 0 && c->in_len > 0 && !is_upper(c->in[0])) {
    conn_error(srv, c, "400 Bad Request", "");
    return;
  }
  if (memchr(c->in + from, '\0', c->in_len - from) != NULL) {
    conn_error(srv, c, "400 Bad Request", "");
    return;
  }
  c->in[c->in_len] = '\0';
  /* Search from a little before the new bytes: the empty line may straddle
   * two reads. */
  size_t start = from > 3 ? from - 3 : 0;
  if (strstr(c->in + start, "\r\n\r\n") != NULL || strstr(c->in + start, "\n\n") != NULL) {
    conn_request(srv, c);
    return;
  }
  if (c->in_len >= srv->max_request) {
    conn_error(srv, c, "431 Request Header Fields Too Large", "");
  }
}

static void conn_on_readable(ha_metrics_server *srv, conn *c) {
  if (c->state == CONN_DRAINING) {
    char sink[1024];
    ssize_t r = recv(c->fd, sink, sizeof(sink), 0);
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      conn_close(c);
    }
    return;
  }
  size_t room = srv->max_request - c->in_len;
  ssize_t r = recv(c->fd, c->in + c->in_len, room, 0);
  if (r > 0) {
    size_t from = c->in_len;
    c->in_len += (size_t)r;
    conn_scan(srv, c, from);
  } else if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    conn_close(c); /* gone before finishing its request: nothing to answer */
  }
}

static void conn_on_writable(ha_metrics_server *srv, conn *c) {
  while (c->out_off < c->out_len) {
    /* MSG_NOSIGNAL: a client that went away must not SIGPIPE the process. */
    ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
    if (w > 0) {
      c->out_off += (size_t)w;
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    } else {
      conn_close(c);
      return;
    }
  }
  free(c->out);
  c->out = NULL;
  shutdown(c->fd, SHUT_WR);
  c->state = CONN_DRAINING;
  int64_t linger = srv->timeout_ms < LINGER_MS ? srv->timeout_ms : LINGER_MS;
  c->deadline_ms = now_ms() + linger;
}

/* ---- the loop -------------------------------------------------------------- */

static void accept_some(ha_metrics_server *srv, int64_t *pause_until) {
  for (int i = 0; i < srv->max_clients; i++) {
    conn *c = &srv->conns[i];
    if (c->state != CONN_FREE) {
      continue;
    }
    int fd = accept4(srv->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        *pause_until = now_ms() + ACCEPT_PAUSE_MS;
      }
      return; /* EAGAIN: nobody waiting; ECONNABORTED etc.: next time */
    }
    c->fd = fd;
    c->state = CONN_READING;
    c->in_len = 0;
    c->deadline_ms = now_ms() + srv->timeout_ms;
  }
}

static void *metrics_http_serve(void *arg) {
  ha_metrics_server *srv = arg;
  int64_t pause_until = 0;
  for (;;) {
    int64_t now = now_ms();
    int timeout = -1;
    nfds_t n = 0;
    srv->pfds[n].fd = srv->wake[0];
    srv->pfds[n].events = POLLIN;
    n++;
    int active = 0;
    for (int i = 0; i < srv->max_clients; i++) {
      conn *c = &srv->conns[i];
      if (c->state == CONN_FREE) {
        continue;
      }
      if (now >= c->deadline_ms) {
        conn_close(c); /* too slow: drop it */
        continue;
      }
      active++;
      int left = (int)(c->deadline_ms - now);
      timeout = timeout < 0 || left < timeout ? left : timeout;
      srv->pfds[n].fd = c->fd;
      srv->pfds[n].events = c->state == CONN_WRITING ? POLLOUT : POLLIN;
      srv->pfd_conn[n] = i;
      n++;
    }
    bool listening = active < srv->max_clients && now >= pause_until;
    if (listening) {
      srv->pfds[n].fd = srv->listen_fd;
      srv->pfds[n].events = POLLIN;
      srv->pfd_conn[n] = -1;
      n++;
    } else if (now < pause_until) {
      int left = (int)(pause_until - now);
      timeout = timeout < 0 || left < timeout ? left : timeout;
    }
    int r = poll(srv->pfds, n, timeout);
    if (r < 0) {
      continue; /* EINTR (signals are blocked, but be safe) */
    }
    if (srv->pfds[0].revents != 0) {
      break; /* stop */
    }
    for (nfds_t k = 1; k < n; k++) {
      short ev = srv->pfds[k].revents;
      if (ev == 0) {
        continue;
      }
      if (srv->pfd_conn[k] < 0) {
        accept_some(srv, &pause_until);
        continue;
      }
      conn *c = &srv->conns[srv->pfd_conn[k]];
      if (c->state == CONN_WRITING && (ev & (POLLOUT | POLLERR | POLLHUP)) != 0) {
        conn_on_writable(srv, c);
      } else if ((ev & (POLLIN | POLLERR | POLLHUP)) != 0) {
        conn_on_readable(srv, c);
      }
    }
  }
  for (int i = 0; i < srv->max_clients; i++) {
    conn_close(&srv->conns[i]);
  }
  return NULL;
}

/* ---- start / stop ---------------------------------------------------------- */

static void server_free(ha_metrics_server *srv) {
  if (srv->conns != NULL) {
    for (int i = 0; i < srv->max_clients; i++) {
      conn_close(&srv->conns[i]);
      free(srv->conns[i].in);
    }
  }
  if (srv->listen_fd >= 0) {
    close(srv->listen_fd);
  }
  if (srv->wake[0] >= 0) {
    close(srv->wake[0]);
  }
  if (srv->wake[1] >= 0) {
    close(srv->wake[1]);
  }
  free(srv->conns);
  free(srv->pfds);
  free(srv->pfd_conn);
  free(srv->snap);
  free(srv->body);
  free(srv);
}

/* Bind and listen on host:port. Returns the fd or a negative status. */
static int open_listener(const char *host, uint16_t port, uint16_t *bound, ha_error *err) {
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof(ss));
  socklen_t len;
  struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)&ss;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)&ss;
  if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof(*v4);
  } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof(*v6);
  } else {
    return ha__error_invalid(err, HA_CATEGORY_IO, "host", host,
                             "not a numeric IPv4 or IPv6 address");
  }
  char what[96];
  snprintf(what, sizeof(what), "metrics http %s:%u", host, (unsigned)port);
  int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return ha__error_io(err, what, errno);
  }
  int one = 1;
  /* A restarted player must be able to bind while old connections sit in
   * TIME_WAIT. */
  (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 64) != 0) {
    int e = errno;
    close(fd);
    return ha__error_io(err, what, e);
  }
  struct sockaddr_storage got;
  socklen_t glen = sizeof(got);
  if (getsockname(fd, (struct sockaddr *)&got, &glen) != 0) {
    int e = errno;
    close(fd);
    return ha__error_io(err, what, e);
  }
  *bound = got.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)(void *)&got)->sin6_port)
                                     : ntohs(((struct sockaddr_in *)(void *)&got)->sin_port);
  return fd;
}

ha_status ha_metrics_http_start_ex(ha_metrics *m, const ha_metrics_http_config *cfg,
                                   ha_metrics_server **out, ha_error *err) {
  if (out != NULL) {
    *out = NULL;
  }
  if (m == NULL || cfg == NULL || out == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "metrics http", "NULL",
                             "metrics, config and out are required");
  }
  if (cfg->timeout_ms <= 0 || cfg->max_request < 16 || cfg->max_request > ((size_t)1 << 20) ||
      cfg->max_clients <= 0 || cfg->max_clients > 1024) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "metrics http config", "",
                             "timeout_ms > 0, 16 <= max_request <= 1 MiB and "
                             "1 <= max_clients <= 1024 are required");
  }
  ha_metrics_server *srv = calloc(1, sizeof(*srv));
  if (srv == NULL) {
    return HA_ENOMEM;
  }
  srv->m = m;
  srv->listen_fd = -1;
  srv->wake[0] = srv->wake[1] = -1;
  srv->timeout_ms = cfg->timeout_ms;
  srv->max_request = cfg->max_request;
  srv->max_clients = cfg->max_clients;
  size_t nc = (size_t)cfg->max_clients;
  srv->conns = calloc(nc, sizeof(*srv->conns));
  srv->pfds = calloc(nc + 2, sizeof(*srv->pfds));
  srv->pfd_conn = calloc(nc + 2, sizeof(*srv->pfd_conn));
  srv->snap = malloc(sizeof(*srv->snap));
  srv->body = malloc(BODY_INITIAL);
  srv->body_cap = BODY_INITIAL;
  if (srv->conns == NULL || srv->pfds == NULL || srv->pfd_conn == NULL || srv->snap == NULL ||
      srv->body == NULL) {
    srv->max_clients = srv->conns == NULL ? 0 : srv->max_clients;
    server_free(srv);
    return HA_ENOMEM;
  }
  for (size_t i = 0; i < nc; i++) {
    srv->conns[i].fd = -1;
    srv->conns[i].in = malloc(cfg->max_request + 1);
    if (srv->conns[i].in == NULL) {
      server_free(srv);
      return HA_ENOMEM;
    }
  }
  const char *host = cfg->host != NULL ? cfg->host : "127.0.0.1";
  int fd = open_listener(host, cfg->port, &srv->port, err);
  if (fd < 0) {
    server_free(srv);
    return (ha_status)fd;
  }
  srv->listen_fd = fd;
  if (pipe2(srv->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
    int e = errno;
    server_free(srv);
    return ha__error_io(err, "metrics http wake pipe", e);
  }
  /* The server thread takes no signals: they stay with the application's
   * threads (it inherits the mask in effect at pthread_create). */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int rc = pthread_create(&srv->thread, NULL, metrics_http_serve, srv);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc != 0) {
    server_free(srv);
    return ha__error_io(err, "metrics http thread", rc);
  }
  *out = srv;
  return HA_OK;
}

ha_status ha_metrics_http_start(ha_metrics *m, const char *host, uint16_t port,
                                ha_metrics_server **out, ha_error *err) {
  ha_metrics_http_config cfg = ha_metrics_http_config_default();
  if (host != NULL) {
    cfg.host = host;
  }
  cfg.port = port;
  return ha_metrics_http_start_ex(m, &cfg, out, err);
}

uint16_t ha_metrics_http_port(const ha_metrics_server *srv) {
  return srv == NULL ? 0 : srv->port;
}

void ha_metrics_http_stop(ha_metrics_server *srv) {
  if (srv == NULL) {
    return;
  }
  char one = 1;
  /* A full pipe already holds a wake-up, so a failed write is fine. */
  ssize_t w;
  do {
    w = write(srv->wake[1], &one, 1);
  } while (w < 0 && errno == EINTR);
  pthread_join(srv->thread, NULL);
  server_free(srv);
}
