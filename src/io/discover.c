/* Discovery: windowed /get probes from one local port.
 *
 * One loop serves both phases (names, then positions). A window of up to
 * HA_DISCOVER_WINDOW probes is in flight; each remembers its track number, its
 * attempts and when it was last sent. Replies are matched by the number they
 * carry (`/track/n/name`, `/track/n/xyz`, or the n inside
 * "Cannot get track,n,param"), never by arrival order, so reordering is
 * harmless and a late duplicate is simply absorbed. A probe whose reply does
 * not come within timeout_ms is sent again; after HA_DISCOVER_TRIES attempts
 * it counts as unanswered, which in the name phase ends the list there (the
 * protocol's "timeout with no answer").
 *
 * The socket is connect()ed to the device: replies are taken only from the
 * device's address and port (the kernel filters), so a spoofed reply from
 * elsewhere cannot add or rename a track.
 *
 * Rejected: strictly one probe at a time (one round trip per track: slow over
 * a real network, and no faster on loopback); a fixed sleep per probe (waits
 * even when the answer is there). */
#include "holoanim/discover.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "holoanim/osc.h"
#include "io_internal.h"
#include "net.h"

#define RX_SIZE 65536

typedef struct probe {
  uint32_t n;
  int tries;
  double sent;
  bool live;
} probe;

typedef struct ctx {
  int fd;
  ha__sockaddr dest;
  double timeout; /* seconds */
  ha_discovered_track *res;
  size_t cap;
  uint32_t end;  /* first track known not to exist (or not answering) */
  bool overflow; /* track cap + 1 exists */
  bool answered; /* anything came back at all */
  bool names;    /* phase: names (true) or positions */
  probe win[HA_DISCOVER_WINDOW];
  uint8_t *buf;
} ctx;

static void send_probe(ctx *c, probe *p, double now) {
  char what[48];
  uint8_t pkt[96];
  snprintf(what, sizeof what, "/track/%u/%s", (unsigned)p->n, c->names ? "name" : "xyz");
  ha_osc_writer w;
  ha_osc_writer_init(&w, pkt, sizeof pkt);
  ha_osc_writer_begin_message(&w, "/get", ",s");
  ha_osc_writer_add_string(&w, what);
  ha_osc_writer_end_message(&w);
  int len = ha_osc_writer_finish(&w);
  if (len > 0) {
    /* A failed send is a lost probe: the retry covers it. */
    (void)send(c->fd, pkt, (size_t)len, 0); /* connected to c->dest */
  }
  p->tries++;
  p->sent = now;
  p->live = true;
}

static probe *live_probe(ctx *c, uint32_t n) {
  for (size_t i = 0; i < HA_DISCOVER_WINDOW; i++) {
    if (c->win[i].live && c->win[i].n == n) {
      return &c->win[i];
    }
  }
  return NULL;
}

/* Track n is settled for the current phase (nothing more to ask). */
static bool discover_settled(const ctx *c, uint32_t n) {
  if (c->names) {
    if (n >= c->end) {
      return true;
    }
    return n <= c->cap ? c->res[n - 1].index != 0 : c->overflow;
  }
  return c->res[n - 1].has_position;
}

/* "... track,36,name" → 36 and "name". */
static bool parse_error(const char *text, uint32_t *n, const char **param) {
  const char *p = strstr(text, "track,");
  if (p == NULL) {
    return false;
  }
  p += 6;
  char *end = NULL;
  errno = 0;
  unsigned long v = strtoul(p, &end, 10);
  if (end == p || errno != 0 || v > UINT32_MAX || *end != ',') {
    return false;
  }
  *n = (uint32_t)v;
  *param = end + 1;
  return true;
}

static void on_message(ctx *c, const ha_osc_message *m) {
  uint32_t n = 0;
  const char *rest = NULL;
  if (strcmp(m->address, "/error") == 0) {
    const char *param = NULL;
    if (m->arg_count < 1 || m->args[0].type != HA_OSC_STRING ||
        !parse_error(m->args[0].v.s.ptr, &n, &param)) {
      return;
    }
    c->answered = true;
    if (strncmp(param, "name", 4) == 0) {
      if (c->names && n >= 1 && n < c->end) {
        c->end = n;
      }
    } else if (strncmp(param, "xyz", 3) == 0 && !c->names) {
      probe *p = live_probe(c, n);
      if (p != NULL) {
        p->live = false; /* no position for this one */
      }
    }
    return;
  }
  if (!ha_osc_parse_indexed(m->address, "/track/", &n, &rest) || n == 0) {
    return;
  }
  if (strcmp(rest, "/name") == 0 && m->arg_count == 1 && m->args[0].type == HA_OSC_STRING) {
    c->answered = true;
    if (n <= c->cap) {
      ha_discovered_track *t = &c->res[n - 1];
      size_t len = m->args[0].v.s.len < HA_DISCOVER_NAME_MAX - 1 ? m->args[0].v.s.len
                                                                 : HA_DISCOVER_NAME_MAX - 1;
      memcpy(t->name, m->args[0].v.s.ptr, len);
      t->name[len] = '\0';
      t->index = n;
    } else if (n == c->cap + 1) {
      c->overflow = true;
    }
  } else if (strcmp(rest, "/xyz") == 0 && m->arg_count == 3) {
    double v[3];
    for (int i = 0; i < 3; i++) {
      if (!ha_osc_arg_to_double(&m->args[i], &v[i]) || !isfinite(v[i])) {
        return;
      }
    }
    c->answered = true;
    if (n <= c->cap) {
      c->res[n - 1].position = ha_vec3_make(v[0], v[1], v[2]);
      c->res[n - 1].has_position = true;
    }
  }
}

/* A datagram: a message, or a bundle (walked recursively; the decoder
 * bounds the nesting). Anything malformed is ignored. */
static void on_packet(ctx *c, const uint8_t *data, size_t len) {
  ha_osc_arg args[8];
  ha_osc_packet pkt;
  if (ha_osc_decode(data, len, &pkt, args, 8, NULL) != HA_OK) {
    return;
  }
  if (pkt.kind == HA_OSC_PACKET_MESSAGE) {
    on_message(c, &pkt.message);
    return;
  }
  const uint8_t *el;
  size_t el_len;
  while (ha_osc_bundle_next(&pkt.bundle, &el, &el_len)) {
    on_packet(c, el, el_len);
  }
}

/* Wait until `deadline` (monotonic seconds) or until replies arrive; handle
 * every datagram already queued. */
static void wait_replies(ctx *c, double deadline) {
  double now = ha__net_monotonic();
  int ms = deadline > now ? (int)((deadline - now) * 1000.0) + 1 : 0;
  struct pollfd pfd = {c->fd, POLLIN, 0};
  int r = poll(&pfd, 1, ms);
  if (r <= 0) {
    return;
  }
  for (;;) {
    ssize_t got = recv(c->fd, c->buf, RX_SIZE, MSG_DONTWAIT);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      return; /* EAGAIN: drained; ECONNREFUSED (nothing on the port): asked again */
    }
    on_packet(c, c->buf, (size_t)got);
  }
}

/* One phase: names (tracks 1.. until the end) or positions (1..limit). */
static void run_phase(ctx *c, bool names, uint32_t limit) {
  c->names = names;
  memset(c->win, 0, sizeof c->win);
  uint32_t next = 1;
  for (;;) {
    uint32_t top = names ? (c->end - 1 < limit ? c->end - 1 : limit) : limit;
    size_t nlive = 0;
    for (size_t i = 0; i < HA_DISCOVER_WINDOW; i++) {
      probe *p = &c->win[i];
      if (p->live && discover_settled(c, p->n)) {
        p->live = false;
      }
      nlive += p->live;
    }
    double now = ha__net_monotonic();
    for (size_t i = 0; i < HA_DISCOVER_WINDOW && next <= top; i++) {
      if (c->win[i].live) {
        continue;
      }
      while (next <= top && discover_settled(c, next)) {
        next++;
      }
      if (next > top) {
        break;
      }
      c->win[i].n = next++;
      c->win[i].tries = 0;
      send_probe(c, &c->win[i], now);
      nlive++;
    }
    if (nlive == 0) {
      return;
    }
    double deadline = 0.0;
    bool first = true;
    for (size_t i = 0; i < HA_DISCOVER_WINDOW; i++) {
      if (c->win[i].live && (first || c->win[i].sent + c->timeout < deadline)) {
        deadline = c->win[i].sent + c->timeout;
        first = false;
      }
    }
    wait_replies(c, deadline);
    now = ha__net_monotonic();
    for (size_t i = 0; i < HA_DISCOVER_WINDOW; i++) {
      probe *p = &c->win[i];
      if (!p->live || discover_settled(c, p->n) || now < p->sent + c->timeout) {
        continue;
      }
      if (p->tries < HA_DISCOVER_TRIES) {
        send_probe(c, p, now);
      } else {
        p->live = false;
        if (names && p->n < c->end) {
          c->end = p->n; /* no answer: the list ends here */
        }
      }
    }
  }
}

ha_status ha_discover(const char *host, int port, int listen_port, int timeout_ms,
                      ha_discovered_track *results, size_t cap, size_t *n, ha_error *err) {
  if (n != NULL) {
    *n = 0;
  }
  if (n == NULL || (results == NULL && cap > 0)) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "results", "NULL", "no place for the results");
  }
  if (port < 1 || port > 65535) {
    return ha__error_bounds(err, HA_CATEGORY_IO, "port", port, 1, 65535);
  }
  if (listen_port < 0 || listen_port > 65535) {
    return ha__error_bounds(err, HA_CATEGORY_IO, "listen_port", listen_port, 0, 65535);
  }
  if (timeout_ms < 1 || timeout_ms > 60000) {
    return ha__error_bounds(err, HA_CATEGORY_IO, "timeout_ms", timeout_ms, 1, 60000);
  }
  if (cap > (size_t)UINT32_MAX - 2) {
    cap = (size_t)UINT32_MAX - 2;
  }
  ctx c;
  memset(&c, 0, sizeof c);
  c.fd = -1;
  ha_status st = ha__net_resolve(host, port, false, "host", &c.dest, err);
  if (st != HA_OK) {
    return st;
  }
  c.buf = malloc(RX_SIZE);
  if (c.buf == NULL) {
    return HA_ENOMEM;
  }
  const char *any = c.dest.ss.ss_family == AF_INET6 ? "::" : "0.0.0.0";
  int fd = ha__net_udp_bind(any, listen_port, false, NULL, NULL, err);
  if (fd < 0) {
    free(c.buf);
    return (ha_status)fd;
  }
  /* Connected: the kernel picks the local address of the route toward the
   * device and delivers only datagrams from the device's address and port;
   * another host's (or another local port's) reply-shaped packet never
   * reaches on_packet. */
  if (connect(fd, (const struct sockaddr *)&c.dest.ss, c.dest.len) != 0) {
    char dest[80];
    ha__net_format(&c.dest, dest, sizeof dest);
    ha__error_io(err, dest, errno);
    close(fd);
    free(c.buf);
    return HA_EIO;
  }
  ha__net_grow_buffer(fd, SO_RCVBUF, 1 << 20);
  c.fd = fd;
  c.timeout = timeout_ms / 1000.0;
  c.res = results;
  c.cap = cap;
  c.end = UINT32_MAX;
  for (size_t i = 0; i < cap; i++) {
    memset(&results[i], 0, sizeof results[i]);
  }

  run_phase(&c, true, (uint32_t)cap + 1);
  uint32_t found = c.end - 1 < (uint32_t)cap ? c.end - 1 : (uint32_t)cap;
  if (found > 0) {
    run_phase(&c, false, found);
  }
  close(fd);
  free(c.buf);

  if (!c.answered) {
    char dest[80];
    ha__net_format(&c.dest, dest, sizeof dest);
    ha__error_io(err, dest, ETIMEDOUT);
    if (err != NULL) {
      err->status = HA_ENOTFOUND;
      snprintf(err->message, sizeof err->message,
               "no reply from %s (%d tries, %d ms apart): is it a Holophonix device or devsim?",
               dest, HA_DISCOVER_TRIES, timeout_ms);
    }
    return HA_ENOTFOUND;
  }
  *n = found;
  if (c.overflow && c.end > (uint32_t)cap + 1) {
    if (err != NULL) {
      ha__error_exhausted(err, HA_CATEGORY_IO, "discovery results", cap);
      err->status = HA_ENOBUFS;
    }
    return HA_ENOBUFS;
  }
  return HA_OK;
}
