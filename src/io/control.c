/* OSC input: remote control and device feedback (see control.h).
 *
 * One thread, one socket, poll() with a short timeout so stop is prompt.
 * Packets are decoded with the strict decoder into a stack buffer of
 * arguments; bundles are walked recursively (the decoder bounds the depth).
 * Rejected: one socket per role — the device pushes to a single destination
 * port and a show rarely needs both ports, so one input keeps setup simple.
 *
 * Senders are compared as 16-byte IPv6 addresses (IPv4 mapped into
 * ::ffff:0:0/96), so one CIDR test serves both families and an IPv4 sender
 * reaching a dual-stack "::" socket matches its IPv4 entry. Refused senders
 * are reported once each through a fixed table of HA_CONTROL_REFUSED_LOG
 * addresses: a flood of spoofed sources costs no memory and no log flood. */
#include "io_internal.h"

#include "atomics.h"
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* An allow-list entry: an IPv6 address (IPv4 as ::ffff:a.b.c.d, so an
 * IPv4-mapped sender compares as IPv4) and how many leading bits must match. */
typedef struct allow_entry {
  uint8_t addr[16];
  unsigned prefix;
} allow_entry;

struct ha_control {
  int fd;
  uint16_t port;
  bool loopback_only;
  char address[80];
  ha_control_handlers h;
  ha_status (*address_cb)(void *user, const char *address, char *reply, size_t reply_cap);
  void (*refused_cb)(void *user, const char *from);
  void (*clock_cb)(void *user, double time, int playing);
  void (*echo_cb)(void *user, const ha_control_echo *e);
  ha_status (*values_cb)(void *user, const char *address, const double *args, size_t nargs);
  ha_azimuth_sign sign;
  allow_entry allow[HA_CONTROL_MAX_ALLOW];
  size_t nallow;
  bool deny_loopback;
  /* Refused senders already reported (control thread only): bounded, so a
   * flood of spoofed sources costs no memory. */
  uint8_t refused_seen[HA_CONTROL_REFUSED_LOG][16];
  size_t nrefused_seen;
  bool refused_overflow;
  pthread_t thread;
  ha__atomic_int quit;
  /* relaxed counters: statistics read by other threads. */
  ha__atomic_u64 packets, commands, feedback, malformed, refused, unknown;
  ha_metrics *metrics; /* NULL: not counted there */
  /* The packet being handled (written by the control thread; relaxed
   * atomics, so a call from another thread reads NULL or a pointer, never a
   * torn value: only the control thread may follow it). */
  const ha__sockaddr *cur_from;
  /* ha__control_create_local: replies go here (fd is -1, no thread). */
  ha__control_reply_fn reply;
  void *reply_user;
};

ha_control_config ha_control_config_default(void) {
  ha_control_config c;
  memset(&c, 0, sizeof(c));
  c.bind_host = "127.0.0.1";
  c.feedback_sign = HA_AZIMUTH_CLOCKWISE;
  return c;
}

/* ---- addresses and the allow list ---- */

static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* A socket address as 16 bytes (IPv4 mapped); 0 for another family. */
static int addr_key(const struct sockaddr_storage *ss, uint8_t out[16]) {
  ha__sockaddr a;
  memcpy(&a.ss, ss, sizeof a.ss);
  a.len = sizeof a.ss;
  return ha__net_key(&a, out) ? 1 : 0;
}

static bool key_is_v4(const uint8_t k[16]) {
  return memcmp(k, v4_mapped, 12) == 0;
}

static bool key_is_loopback(const uint8_t k[16]) {
  static const uint8_t v6_loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return (key_is_v4(k) && k[12] == 127) || memcmp(k, v6_loopback, 16) == 0;
}

static bool key_in(const uint8_t k[16], const allow_entry *e) {
  unsigned whole = e->prefix / 8, rest = e->prefix % 8;
  if (memcmp(k, e->addr, whole) != 0) {
    return false;
  }
  uint8_t mask = (uint8_t)(0xffu << (8 - rest));
  return rest == 0 || (k[whole] & mask) == (e->addr[whole] & mask);
}

/* "text" without surrounding [brackets] into buf; 0 when it does not fit. */
static int strip_brackets(const char *text, char *buf, size_t cap) {
  size_t n = strlen(text);
  if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
    text++;
    n -= 2;
  }
  if (n == 0 || n >= cap) {
    return 0;
  }
  memcpy(buf, text, n);
  buf[n] = '\0';
  return 1;
}

/* A numeric IPv4 or IPv6 address into a key; returns its bit count (32 or
 * 128), 0 when not numeric. */
static unsigned parse_numeric(const char *host, uint8_t key[16]) {
  struct in_addr a4;
  if (inet_pton(AF_INET, host, &a4) == 1) {
    memcpy(key, v4_mapped, 12);
    memcpy(key + 12, &a4, 4);
    return 32;
  }
  return inet_pton(AF_INET6, host, key) == 1 ? 128 : 0;
}

static bool is_host_name(const char *s) {
  size_t n = strlen(s);
  return n > 0 && n <= 253 &&
         strspn(s,
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                "0123456789.-_") == n;
}

/* Parse one entry; `resolve` looks host names up (else only their form is
 * checked). */
static ha_status allow_parse(const char *entry, bool resolve, allow_entry *out, ha_error *err) {
  char buf[260];
  const char *slash = entry != NULL ? strchr(entry, '/') : NULL;
  size_t hlen = entry == NULL ? 0 : slash != NULL ? (size_t)(slash - entry) : strlen(entry);
  char host[260];
  if (entry == NULL || hlen == 0 || hlen >= sizeof host) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "allow", entry ? entry : "",
                             "'%s' is not an address, a CIDR range or a host name",
                             entry ? entry : "");
  }
  memcpy(host, entry, hlen);
  host[hlen] = '\0';
  if (!strip_brackets(host, buf, sizeof buf)) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "allow", entry, "'%s' has an empty address",
                             entry);
  }
  unsigned bits = parse_numeric(buf, out->addr);
  if (slash != NULL) {
    long p = -1;
    const char *d = slash + 1;
    if (d[0] != '\0' && strspn(d, "0123456789") == strlen(d) && strlen(d) <= 3) {
      p = strtol(d, NULL, 10);
    }
    if (bits == 0 || p < 0 || p > (long)bits) {
      return ha__error_invalid(
          err, HA_CATEGORY_IO, "allow", entry,
          "'%s' is not a CIDR range (a numeric address, '/', a prefix length 0..32 for IPv4, "
          "0..128 for IPv6)",
          entry);
    }
    out->prefix = (unsigned)p + (bits == 32 ? 96u : 0u);
    return HA_OK;
  }
  out->prefix = 128;
  if (bits != 0) {
    return HA_OK;
  }
  if (!is_host_name(buf)) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "allow", entry,
                             "'%s' is not an address, a CIDR range or a host name", entry);
  }
  if (resolve) {
    ha__sockaddr a;
    ha_status st = ha__net_resolve(buf, 0, false, "allow", &a, err);
    if (st != HA_OK) {
      return st;
    }
    addr_key(&a.ss, out->addr);
  }
  return HA_OK;
}

ha_status ha_control_allow_check(const char *entry, ha_error *err) {
  allow_entry e;
  return allow_parse(entry, false, &e, err);
}

static bool control_allowed(const ha_control *c, const uint8_t k[16]) {
  if (key_is_loopback(k) && !c->deny_loopback) {
    return true;
  }
  if (c->nallow == 0) {
    return !key_is_loopback(k);
  }
  for (size_t i = 0; i < c->nallow; i++) {
    if (key_in(k, &c->allow[i])) {
      return true;
    }
  }
  return false;
}

/* Count a refused packet; report its sender the first time (bounded). */
static void control_refuse(ha_control *c, const uint8_t k[16]) {
  ha__add_relaxed_u64(&c->refused, 1);
  if (c->metrics != NULL) {
    ha_metrics_add(c->metrics, HA_COUNTER_CONTROL_REFUSED, 1);
  }
  for (size_t i = 0; i < c->nrefused_seen; i++) {
    if (memcmp(c->refused_seen[i], k, 16) == 0) {
      return;
    }
  }
  if (c->nrefused_seen == HA_CONTROL_REFUSED_LOG) {
    if (!c->refused_overflow && c->refused_cb != NULL) {
      c->refused_cb(c->h.user, NULL);
    }
    c->refused_overflow = true;
    return;
  }
  memcpy(c->refused_seen[c->nrefused_seen++], k, 16);
  if (c->refused_cb != NULL) {
    char text[INET6_ADDRSTRLEN];
    c->refused_cb(c->h.user, ha_control_format_addr(k, text, sizeof text));
  }
}

const char *ha_control_format_addr(const uint8_t addr[16], char *buf, size_t cap) {
  if (cap == 0) {
    return buf;
  }
  const char *r = key_is_v4(addr) ? inet_ntop(AF_INET, addr + 12, buf, (socklen_t)cap)
                                  : inet_ntop(AF_INET6, addr, buf, (socklen_t)cap);
  if (r == NULL) {
    snprintf(buf, cap, "?");
  }
  return buf;
}

/* ---- messages ---- */

static void control_reply(ha_control *c, const ha__sockaddr *to, const char *what,
                          const char *address, const char *text) {
  if (c->reply != NULL) {
    c->reply(c->reply_user, what, address, text);
    return;
  }
  uint8_t buf[512];
  ha_osc_writer w;
  ha_osc_writer_init(&w, buf, sizeof(buf));
  ha_osc_writer_begin_message(&w, what, ",ss");
  ha_osc_writer_add_string(&w, address);
  ha_osc_writer_add_string(&w, text);
  ha_osc_writer_end_message(&w);
  int n = ha_osc_writer_finish(&w);
  if (n > 0) {
    /* Best effort: a sender that went away does not matter. */
    (void)sendto(c->fd, buf, (size_t)n, MSG_DONTWAIT, (const struct sockaddr *)&to->ss, to->len);
  }
}

static int arg_number(const ha_osc_message *m, size_t i, double *out) {
  return i < m->arg_count && ha_osc_arg_to_double(&m->args[i], out);
}

/* Live data for the application's mappings: 1 when `values` took the
 * message or refused it (answered), 0 to try `address`. */
static int control_values(ha_control *c, const ha_osc_message *m, const ha__sockaddr *from) {
  double v[HA_CONTROL_MAX_VALUES];
  size_t n = m->arg_count < HA_CONTROL_MAX_VALUES ? m->arg_count : HA_CONTROL_MAX_VALUES;
  for (size_t i = 0; i < n; i++) {
    v[i] = NAN; /* a string, a blob, ...: not a number */
    (void)arg_number(m, i, &v[i]);
  }
  ha_status st = c->values_cb(c->h.user, m->address, v, n);
  if (st == HA_ENOTFOUND) {
    return 0;
  }
  if (st == HA_OK) {
    ha__add_relaxed_u64(&c->commands, 1);
  } else {
    ha__add_relaxed_u64(&c->unknown, 1);
    control_reply(c, from, "/holoanim/error", m->address,
                  st == HA_EINVAL ? "mapped: needs a number argument" : ha_strerror(st));
  }
  return 1;
}

/* An address outside the table: the application's (a cue's trigger). */
static void control_other_address(ha_control *c, const ha_osc_message *m,
                                  const ha__sockaddr *from) {
  const char *a = m->address;
  char text[200] = "";
  ha_status st = HA_ENOTFOUND;
  if (c->values_cb != NULL && control_values(c, m, from)) {
    return;
  }
  if (c->address_cb != NULL) {
    st = c->address_cb(c->h.user, a, text, sizeof(text));
  }
  if (st == HA_ENOTFOUND) {
    ha__add_relaxed_u64(&c->unknown, 1);
    /* Following a DAW, its feedback carries dozens of addresses we do not
     * follow (/beat/str, /track/n/volume, ...): counted, not answered. */
    if (c->clock_cb == NULL) {
      control_reply(c, from, "/holoanim/error", a, "unknown address");
    }
    return;
  }
  ha__add_relaxed_u64(&c->commands, 1);
  if (st == HA_OK) {
    control_reply(c, from, "/holoanim/ack", a, text[0] ? text : "ok");
  } else {
    control_reply(c, from, "/holoanim/error", a, text[0] ? text : ha_strerror(st));
  }
}

/* An argument as a truth value: a number (non-zero: true) or T/F. */
static int arg_flag(const ha_osc_message *m, size_t i, int *out) {
  double v = 0.0;
  if (i < m->arg_count && m->args[i].type == HA_OSC_TRUE) {
    v = 1.0;
  } else if (i < m->arg_count && m->args[i].type == HA_OSC_FALSE) {
    v = 0.0;
  } else if (!arg_number(m, i, &v) || !isfinite(v)) {
    return 0;
  }
  *out = fabs(v) > 0.5 ? 1 : 0;
  return 1;
}

/* An external clock's message (REAPER's default pattern or ours): 1 when
 * it was one (handled, or a wrong argument counted), 0 for another address. */
static int handle_clock(ha_control *c, const ha_osc_message *m) {
  const char *a = m->address;
  double t = NAN;
  int flag = -1, ok = 0;
  if (strcmp(a, "/time") == 0) {
    ok = m->arg_count == 1 && arg_number(m, 0, &t) && isfinite(t);
  } else if (strcmp(a, "/holoanim/time") == 0) {
    ok = (m->arg_count == 1 || (m->arg_count == 2 && arg_flag(m, 1, &flag))) &&
         arg_number(m, 0, &t) && isfinite(t);
  } else if (strcmp(a, "/play") == 0) {
    ok = m->arg_count == 1 && arg_flag(m, 0, &flag);
  } else if (strcmp(a, "/stop") == 0 || strcmp(a, "/pause") == 0) {
    /* REAPER: /stop 1 when it stops, /stop 0 when it no longer is
     * stopped (its /play 1 says what it does then). */
    ok = m->arg_count == 1 && arg_flag(m, 0, &flag);
    flag = ok && flag == 1 ? 0 : -1;
  } else {
    return 0;
  }
  if (!ok) {
    ha__add_relaxed_u64(&c->unknown, 1);
    return 1;
  }
  ha__add_relaxed_u64(&c->commands, 1);
  if (!isnan(t) || flag >= 0) {
    c->clock_cb(c->h.user, t, flag);
  }
  return 1;
}

/* A device echo: /track/{n}/xyz|aed or /adm/obj/{n}/xyz|aed. Returns false
 * when the address is not one (handled elsewhere). */
static bool handle_echo(ha_control *c, const ha_osc_message *m, const ha__sockaddr *from) {
  const char *a = m->address;
  uint32_t n = 0;
  const char *rest = NULL;
  bool adm = false;
  if (ha_osc_parse_indexed(a, "/adm/obj/", &n, &rest)) {
    adm = true;
  } else if (!ha_osc_parse_indexed(a, "/track/", &n, &rest)) {
    return false;
  }
  if (strcmp(rest, "/xyz") != 0 && strcmp(rest, "/aed") != 0) {
    return false;
  }
  ha_control_echo e;
  memset(&e, 0, sizeof e);
  if (m->arg_count != 3 || !arg_number(m, 0, &e.v[0]) || !arg_number(m, 1, &e.v[1]) ||
      !arg_number(m, 2, &e.v[2]) || !isfinite(e.v[0]) || !isfinite(e.v[1]) || !isfinite(e.v[2]) ||
      (adm && c->echo_cb == NULL)) {
    ha__add_relaxed_u64(&c->unknown, 1);
    return true;
  }
  e.adm = adm;
  e.aed = rest[1] == 'a';
  e.index = n;
  ha__add_relaxed_u64(&c->feedback, 1);
  if (c->echo_cb != NULL) {
    addr_key(&from->ss, e.from);
    e.from_port = ha__net_port(from);
    c->echo_cb(c->h.user, &e);
    return true;
  }
  ha_vec3 p = ha_vec3_make(e.v[0], e.v[1], e.v[2]);
  if (e.aed) {
    p = ha_aed_to_xyz(p, c->sign);
  }
  if (c->h.track_position != NULL && ha_vec3_isfinite(p)) {
    c->h.track_position(c->h.user, n, p);
  }
  return true;
}

static void handle_message(ha_control *c, const ha_osc_message *m, const ha__sockaddr *from) {
  const char *a = m->address;
  if (c->metrics != NULL) {
    ha_metrics_add(c->metrics, HA_COUNTER_RECEIVED, 1);
  }
  if (handle_echo(c, m, from)) {
    return;
  }
  if (c->clock_cb != NULL && handle_clock(c, m)) {
    return;
  }
  static const struct {
    const char *address;
    ha_control_action action;
    int arg; /* 0 none, 1 optional name, 2 required number */
  } table[] = {
      {"/holoanim/play", HA_CONTROL_PLAY, 1},        {"/holoanim/pause", HA_CONTROL_PAUSE, 0},
      {"/holoanim/stop", HA_CONTROL_STOP, 1},        {"/holoanim/seek", HA_CONTROL_SEEK, 2},
      {"/holoanim/speed", HA_CONTROL_SPEED, 2},      {"/holoanim/cue/go", HA_CONTROL_CUE, 2},
      {"/holoanim/panic", HA_CONTROL_PANIC, 0},      {"/anim/play", HA_CONTROL_PLAY, 0},
      {"/anim/pause", HA_CONTROL_PAUSE, 0},          {"/anim/stop", HA_CONTROL_STOP, 0},
      {"/anim/gotoStart", HA_CONTROL_GOTO_START, 0},
  };
  for (size_t i = 0; i < HA__COUNTOF(table); i++) {
    if (strcmp(a, table[i].address) != 0) {
      continue;
    }
    const char *name = NULL;
    double value = 0.0;
    if (table[i].arg == 1 && m->arg_count >= 1) {
      if (m->args[0].type == HA_OSC_STRING || m->args[0].type == HA_OSC_SYMBOL) {
        name = m->args[0].v.s.ptr;
      } else {
        control_reply(c, from, "/holoanim/error", a, "the argument must be a name (string)");
        return;
      }
    }
    if (table[i].arg == 2 && (!arg_number(m, 0, &value) || !isfinite(value))) {
      control_reply(c, from, "/holoanim/error", a, "needs one number argument");
      return;
    }
    ha__add_relaxed_u64(&c->commands, 1);
    char text[200] = "";
    ha_status st = HA_EUNSUPPORTED;
    if (c->h.action != NULL) {
      st = c->h.action(c->h.user, table[i].action, name, value, text, sizeof(text));
    }
    if (st == HA_OK) {
      control_reply(c, from, "/holoanim/ack", a, text[0] ? text : "ok");
    } else {
      control_reply(c, from, "/holoanim/error", a, text[0] ? text : ha_strerror(st));
    }
    return;
  }
  control_other_address(c, m, from);
}

static void handle_packet(ha_control *c, const uint8_t *data, size_t len, const ha__sockaddr *from,
                          int depth) {
  ha_osc_arg args[16];
  ha_osc_packet pkt;
  ha_error err;
  ha_status st = ha_osc_decode(data, len, &pkt, args, HA__COUNTOF(args), &err);
  if (st != HA_OK) {
    ha__add_relaxed_u64(&c->malformed, 1);
    if (depth == 0) {
      control_reply(c, from, "/holoanim/error", "", err.message[0] ? err.message : ha_strerror(st));
    }
    return;
  }
  if (pkt.kind == HA_OSC_PACKET_MESSAGE) {
    handle_message(c, &pkt.message, from);
    return;
  }
  const uint8_t *elem;
  size_t elen;
  while (ha_osc_bundle_next(&pkt.bundle, &elem, &elen)) {
    handle_packet(c, elem, elen, from, depth + 1);
  }
}

static void *control_main(void *arg) {
  ha_control *c = arg;
  uint8_t buf[65536];
  while (!ha__load_acquire_int(&c->quit)) {
    struct pollfd pfd = {c->fd, POLLIN, 0};
    if (poll(&pfd, 1, 50) <= 0) {
      continue;
    }
    ha__sockaddr from;
    memset(&from, 0, sizeof from);
    from.len = sizeof(from.ss);
    ssize_t n = recvfrom(c->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from.ss, &from.len);
    uint8_t key[16];
    if (n < 0 || !addr_key(&from.ss, key)) {
      continue;
    }
    ha__add_relaxed_u64(&c->packets, 1);
    if (!control_allowed(c, key)) {
      control_refuse(c, key);
      continue; /* no reply: do not talk to strangers */
    }
    __atomic_store_n(&c->cur_from, &from, __ATOMIC_RELAXED);
    handle_packet(c, buf, (size_t)n, &from, 0);
    __atomic_store_n(&c->cur_from, NULL, __ATOMIC_RELAXED);
  }
  return NULL;
}

/* The socket bound to host:port; `c->address` and `c->loopback_only` set. */
static int control_bind(ha_control *c, const char *host, uint16_t port, ha_error *err) {
  char name[260];
  ha__sockaddr a;
  if (!strip_brackets(host, name, sizeof name)) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "bind", host, "'%s' is not a host", host);
  }
  int fd = ha__net_udp_bind(name, port, false, "control", &a, err);
  if (fd < 0) {
    return fd;
  }
  uint8_t key[16];
  c->loopback_only = addr_key(&a.ss, key) && key_is_loopback(key);
  c->port = ha__net_local_port(fd);
  ha__net_format(&a, c->address, sizeof c->address);
  return fd;
}

ha_status ha_control_start(const ha_control_config *cfg, const ha_control_handlers *h,
                           ha_control **out, ha_error *err) {
  ha_control_config cf = cfg ? *cfg : ha_control_config_default();
  const char *host = cf.bind_host ? cf.bind_host : "127.0.0.1";
  if (cf.allow_count > HA_CONTROL_MAX_ALLOW) {
    return ha__error_bounds(err, HA_CATEGORY_IO, "allow", (double)cf.allow_count, 0,
                            HA_CONTROL_MAX_ALLOW);
  }
  ha_control *c = calloc(1, sizeof(*c));
  if (c == NULL) {
    return HA_ENOMEM;
  }
  c->h = h ? *h : (ha_control_handlers){NULL, NULL, NULL};
  c->address_cb = cf.address;
  c->refused_cb = cf.refused;
  c->clock_cb = cf.clock;
  c->echo_cb = cf.echo;
  c->values_cb = cf.values;
  c->metrics = cf.metrics;
  c->deny_loopback = cf.deny_loopback;
  c->sign = cf.feedback_sign == HA_AZIMUTH_COUNTERCLOCKWISE ? HA_AZIMUTH_COUNTERCLOCKWISE
                                                            : HA_AZIMUTH_CLOCKWISE;
  for (size_t i = 0; i < cf.allow_count; i++) {
    ha_status st = allow_parse(cf.allow[i], true, &c->allow[i], err);
    if (st != HA_OK) {
      free(c);
      return st;
    }
  }
  c->nallow = cf.allow_count;
  c->fd = control_bind(c, host, cf.port, err);
  if (c->fd < 0) {
    ha_status st = (ha_status)c->fd;
    free(c);
    return st;
  }
  if (pthread_create(&c->thread, NULL, control_main, c) != 0) {
    close(c->fd);
    free(c);
    return ha__error_internal(err, HA_CATEGORY_IO, "cannot start the control thread");
  }
  *out = c;
  return HA_OK;
}

ha_status ha__control_create_local(const ha_control_handlers *h, ha_azimuth_sign sign,
                                   ha__control_reply_fn reply, void *reply_user, ha_control **out) {
  ha_control *c = calloc(1, sizeof(*c));
  if (c == NULL) {
    return HA_ENOMEM;
  }
  c->fd = -1;
  c->h = h ? *h : (ha_control_handlers){NULL, NULL, NULL};
  c->sign =
      sign == HA_AZIMUTH_COUNTERCLOCKWISE ? HA_AZIMUTH_COUNTERCLOCKWISE : HA_AZIMUTH_CLOCKWISE;
  c->reply = reply;
  c->reply_user = reply_user;
  *out = c;
  return HA_OK;
}

void ha__control_feed(ha_control *c, const uint8_t *data, size_t len) {
  /* as if from 127.0.0.1 (no socket: replies go to c->reply) */
  ha__sockaddr from;
  memset(&from, 0, sizeof(from));
  struct sockaddr_in *in = (struct sockaddr_in *)&from.ss;
  in->sin_family = AF_INET;
  in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  from.len = sizeof(*in);
  ha__add_relaxed_u64(&c->packets, 1);
  __atomic_store_n(&c->cur_from, &from, __ATOMIC_RELAXED);
  handle_packet(c, data, len, &from, 0);
  __atomic_store_n(&c->cur_from, NULL, __ATOMIC_RELAXED);
}

const char *ha_control_sender(const ha_control *c, char *buf, size_t cap) {
  if (cap > 0) {
    buf[0] = '\0';
  }
  const ha__sockaddr *from = c != NULL ? __atomic_load_n(&c->cur_from, __ATOMIC_RELAXED) : NULL;
  if (from != NULL && cap > 0) {
    ha__net_format(from, buf, cap);
  }
  return buf;
}

void ha__control_destroy_local(ha_control *c) {
  free(c);
}

uint16_t ha_control_port(const ha_control *c) {
  return c->port;
}

const char *ha_control_address(const ha_control *c) {
  return c->address;
}

bool ha_control_loopback_only(const ha_control *c) {
  return c->loopback_only;
}

void ha_control_stop(ha_control *c) {
  if (c == NULL) {
    return;
  }
  /* release: the thread stops after its current packet. */
  ha__store_release_int(&c->quit, 1);
  pthread_join(c->thread, NULL);
  close(c->fd);
  free(c);
}

void ha_control_get_stats(const ha_control *c, ha_control_stats *out) {
  /* relaxed: independent statistics. */
  out->packets = ha__load_relaxed_u64(&c->packets);
  out->commands = ha__load_relaxed_u64(&c->commands);
  out->feedback = ha__load_relaxed_u64(&c->feedback);
  out->malformed = ha__load_relaxed_u64(&c->malformed);
  out->refused = ha__load_relaxed_u64(&c->refused);
  out->unknown = ha__load_relaxed_u64(&c->unknown);
}
