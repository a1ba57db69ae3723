/* GET /metrics (Prometheus text 0.0.4) and /metrics.json, served by
 * libmicrohttpd.
 *
 * Why a library: the hand-written poll() server this replaces held at most 16
 * connections, each until an absolute 2 s deadline, so ~300 half-open
 * connections from anywhere kept a scrape waiting indefinitely. Growing the
 * table only moved the number. libmicrohttpd (what the Prometheus C client's
 * promhttp uses) gives the missing pieces, tested by others for years: one
 * epoll thread for any number of connections, a per-address connection
 * limit (a flood from one address is refused at accept and cannot take the
 * slots another address's scrape needs), a global limit, an idle timeout and
 * a fixed memory pool per connection (a head that outgrows it is answered
 * 431 or 414). Memory stays bounded: max_clients pools plus, per connection
 * still sending, one copy of the answer.
 *
 * We keep the listening socket ours (MHD_OPTION_LISTEN_SOCKET): bind errors
 * then name the address and errno as before, IPv4 and IPv6 need no flags,
 * and port 0 is read back with getsockname. MHD never logs (no
 * MHD_USE_ERROR_LOG): the library does not print.
 *
 * All requests are handled on MHD's single internal thread, so the snapshot
 * and the render buffer are used by one thread at a time and need no lock;
 * reading the metrics is ha_metrics_snapshot as before, off the tick path. */
#include "io_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BODY_INITIAL ((size_t)64 * 1024)
#define BODY_MAX ((size_t)64 * 1024 * 1024)
/* MHD's per-connection pool holds the read buffer (the request head), the
 * parsed headers and the answer's head; this much on top of max_request. */
#define POOL_EXTRA ((size_t)4096)
#define PROM_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct ha_metrics_server {
  ha_metrics *m;
  struct MHD_Daemon *daemon;
  uint16_t port;
  ha_metrics_snap *snap;
  char *body;
  size_t body_cap;
};

ha_metrics_http_config ha_metrics_http_config_default(void) {
  ha_metrics_http_config c;
  c.host = "127.0.0.1";
  c.port = 0;
  c.timeout_ms = 2000;
  c.max_request = 8192;
  c.max_clients = 256;
  c.max_per_address = 32;
  return c;
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

/* Queue an answer with `len` bytes of `body` (copied unless `persistent`),
 * one request per connection as before. */
static enum MHD_Result metrics_http_answer(struct MHD_Connection *conn, unsigned status,
                                           const char *type, const char *body, size_t len,
                                           bool persistent) {
  struct MHD_Response *resp = MHD_create_response_from_buffer(
      len, (void *)(uintptr_t)body, persistent ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_COPY);
  if (resp == NULL) {
    return MHD_NO; /* MHD drops the connection */
  }
  bool ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type) == MHD_YES &&
            MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") == MHD_YES &&
            MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close") == MHD_YES;
  if (ok && status == MHD_HTTP_METHOD_NOT_ALLOWED) {
    ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") == MHD_YES;
  }
  enum MHD_Result r = ok ? MHD_queue_response(conn, status, resp) : MHD_NO;
  MHD_destroy_response(resp); /* MHD keeps its own reference while sending */
  return r;
}

static enum MHD_Result metrics_http_error(struct MHD_Connection *conn, unsigned status,
                                          const char *text) {
  return metrics_http_answer(conn, status, "text/plain; charset=utf-8", text, strlen(text), true);
}

static bool all_upper(const char *s) {
  if (*s == '\0') {
    return false;
  }
  for (; *s != '\0'; s++) {
    if (*s < 'A' || *s > 'Z') {
      return false;
    }
  }
  return true;
}

/* MHD's access handler: called on MHD's thread once the head is parsed
 * (and again per body chunk, which we never wait for: the answer goes at
 * the first call). `url` comes without its query, which is ignored. */
static enum MHD_Result metrics_http_handle(void *cls, struct MHD_Connection *conn, const char *url,
                                           const char *method, const char *version,
                                           const char *upload_data, size_t *upload_data_size,
                                           void **req_cls) {
  (void)upload_data;
  (void)upload_data_size;
  (void)req_cls;
  ha_metrics_server *srv = cls;
  if (!all_upper(method) || url[0] != '/' ||
      (strcmp(version, MHD_HTTP_VERSION_1_0) != 0 && strcmp(version, MHD_HTTP_VERSION_1_1) != 0)) {
    return metrics_http_error(conn, MHD_HTTP_BAD_REQUEST, "400 Bad Request\n");
  }
  if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
    return metrics_http_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "405 Method Not Allowed\n");
  }
  bool prom = strcmp(url, "/metrics") == 0;
  bool json = strcmp(url, "/metrics.json") == 0;
  if (!prom && !json) {
    return metrics_http_error(conn, MHD_HTTP_NOT_FOUND, "404 Not Found\n");
  }
  int n = metrics_http_render(srv, json);
  if (n < 0) {
    return metrics_http_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "500 Internal Server Error\n");
  }
  /* HEAD: MHD sends the head (with Content-Length) and no body. */
  return metrics_http_answer(conn, MHD_HTTP_OK, json ? "application/json" : PROM_TYPE, srv->body,
                             (size_t)n, false);
}

static void metrics_http_no_log(void *cls, const char *fmt, va_list ap) {
  (void)cls;
  (void)fmt;
  (void)ap;
}

/* ---- start / stop ---------------------------------------------------------- */

static void server_free(ha_metrics_server *srv) {
  if (srv->daemon != NULL) {
    MHD_stop_daemon(srv->daemon); /* joins its thread, closes every socket */
  }
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
  if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 128) != 0) {
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
      cfg->max_clients <= 0 || cfg->max_clients > 4096 || cfg->max_per_address <= 0 ||
      cfg->max_per_address > cfg->max_clients) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "metrics http config", "",
                             "timeout_ms > 0, 16 <= max_request <= 1 MiB, "
                             "1 <= max_clients <= 4096 and "
                             "1 <= max_per_address <= max_clients are required");
  }
  ha_metrics_server *srv = calloc(1, sizeof(*srv));
  if (srv == NULL) {
    return HA_ENOMEM;
  }
  srv->m = m;
  srv->snap = malloc(sizeof(*srv->snap));
  srv->body = malloc(BODY_INITIAL);
  srv->body_cap = BODY_INITIAL;
  if (srv->snap == NULL || srv->body == NULL) {
    server_free(srv);
    return HA_ENOMEM;
  }
  const char *host = cfg->host != NULL ? cfg->host : "127.0.0.1";
  int fd = open_listener(host, cfg->port, &srv->port, err);
  if (fd < 0) {
    server_free(srv);
    return (ha_status)fd;
  }
  /* MHD counts its idle timeout in whole seconds: round up. */
  unsigned timeout_s = (unsigned)((cfg->timeout_ms + 999) / 1000);
  /* The server thread takes no signals: they stay with the application's
   * threads (it inherits the mask in effect when MHD creates it). */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  srv->daemon =
      MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD, 0, NULL, NULL, metrics_http_handle, srv,
                       MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd, MHD_OPTION_CONNECTION_LIMIT,
                       (unsigned)cfg->max_clients, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                       (unsigned)cfg->max_per_address, MHD_OPTION_CONNECTION_TIMEOUT, timeout_s,
                       MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->max_request + POOL_EXTRA,
                       MHD_OPTION_EXTERNAL_LOGGER, metrics_http_no_log, NULL, MHD_OPTION_END);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (srv->daemon == NULL) {
    close(fd); /* MHD takes the socket only when it starts */
    server_free(srv);
    return ha__error_io(err, "metrics http daemon", errno != 0 ? errno : EIO);
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
  server_free(srv);
}
