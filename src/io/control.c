/* OSC input: remote control and device feedback (see control.h).
 *
 * One thread, one socket, poll() with a short timeout so stop is prompt.
 * Packets are decoded with the strict decoder into a stack buffer of
 * arguments; bundles are walked recursively (the decoder bounds the depth).
 * Rejected: one socket per role — the device pushes to a single destination
 * port and a show rarely needs both ports, so one input keeps setup simple. */
#include "io_internal.h"

#include "atomics.h"

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

#define MAX_ALLOW 32

struct ha_control {
  int fd;
  uint16_t port;
  ha_control_handlers h;
  ha_azimuth_sign sign;
  struct in_addr allow[MAX_ALLOW];
  size_t nallow;
  pthread_t thread;
  ha__atomic_int quit;
  /* relaxed counters: statistics read by other threads. */
  ha__atomic_u64 packets, commands, feedback, malformed, refused, unknown;
  ha_metrics *metrics; /* NULL: not counted there */
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

static int resolve4(const char *host, struct in_addr *out) {
  if (inet_pton(AF_INET, host, out) == 1) {
    return 0;
  }
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  if (getaddrinfo(host, NULL, &hints, &res) != 0 || res == NULL) {
    return -1;
  }
  *out = ((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr;
  freeaddrinfo(res);
  return 0;
}

static void control_reply(ha_control *c, const struct sockaddr_in *to, const char *what,
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
    (void)sendto(c->fd, buf, (size_t)n, MSG_DONTWAIT, (const struct sockaddr *)to, sizeof(*to));
  }
}

static int control_allowed(const ha_control *c, struct in_addr a) {
  if ((ntohl(a.s_addr) >> 24) == 127) {
    return 1;
  }
  for (size_t i = 0; i < c->nallow; i++) {
    if (c->allow[i].s_addr == a.s_addr) {
      return 1;
    }
  }
  return 0;
}

static int arg_number(const ha_osc_message *m, size_t i, double *out) {
  return i < m->arg_count && ha_osc_arg_to_double(&m->args[i], out);
}

static void handle_message(ha_control *c, const ha_osc_message *m, const struct sockaddr_in *from) {
  const char *a = m->address;
  uint32_t n = 0;
  const char *rest = NULL;
  if (c->metrics != NULL) {
    ha_metrics_add(c->metrics, HA_COUNTER_RECEIVED, 1);
  }
  if (ha_osc_parse_indexed(a, "/track/", &n, &rest) &&
      (strcmp(rest, "/xyz") == 0 || strcmp(rest, "/aed") == 0)) {
    double v[3];
    if (m->arg_count == 3 && arg_number(m, 0, &v[0]) && arg_number(m, 1, &v[1]) &&
        arg_number(m, 2, &v[2])) {
      ha_vec3 p = ha_vec3_make(v[0], v[1], v[2]);
      if (rest[1] == 'a') {
        p = ha_aed_to_xyz(p, c->sign);
      }
      if (ha_vec3_isfinite(p)) {
        ha__add_relaxed_u64(&c->feedback, 1);
        if (c->h.track_position != NULL) {
          c->h.track_position(c->h.user, n, p);
        }
        return;
      }
    }
    ha__add_relaxed_u64(&c->unknown, 1);
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
  ha__add_relaxed_u64(&c->unknown, 1);
  control_reply(c, from, "/holoanim/error", a, "unknown address");
}

static void handle_packet(ha_control *c, const uint8_t *data, size_t len,
                          const struct sockaddr_in *from, int depth) {
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
    struct sockaddr_in from;
    socklen_t fl = sizeof(from);
    ssize_t n = recvfrom(c->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
    if (n < 0) {
      continue;
    }
    ha__add_relaxed_u64(&c->packets, 1);
    if (!control_allowed(c, from.sin_addr)) {
      ha__add_relaxed_u64(&c->refused, 1);
      continue; /* no reply: do not talk to strangers */
    }
    handle_packet(c, buf, (size_t)n, &from, 0);
  }
  return NULL;
}

ha_status ha_control_start(const ha_control_config *cfg, const ha_control_handlers *h,
                           ha_control **out, ha_error *err) {
  ha_control_config cf = cfg ? *cfg : ha_control_config_default();
  const char *host = cf.bind_host ? cf.bind_host : "127.0.0.1";
  if (cf.allow_count > MAX_ALLOW) {
    return ha__error_bounds(err, HA_CATEGORY_IO, "allow", (double)cf.allow_count, 0, MAX_ALLOW);
  }
  ha_control *c = calloc(1, sizeof(*c));
  if (c == NULL) {
    return HA_ENOMEM;
  }
  c->h = h ? *h : (ha_control_handlers){NULL, NULL, NULL};
  c->metrics = cf.metrics;
  c->sign = cf.feedback_sign == HA_AZIMUTH_COUNTERCLOCKWISE ? HA_AZIMUTH_COUNTERCLOCKWISE
                                                            : HA_AZIMUTH_CLOCKWISE;
  for (size_t i = 0; i < cf.allow_count; i++) {
    if (resolve4(cf.allow[i], &c->allow[i]) != 0) {
      free(c);
      return ha__error_invalid(err, HA_CATEGORY_IO, "allow", cf.allow[i], "cannot resolve '%s'",
                               cf.allow[i]);
    }
  }
  c->nallow = cf.allow_count;
  struct sockaddr_in a;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_port = htons(cf.port);
  if (resolve4(host, &a.sin_addr) != 0) {
    free(c);
    return ha__error_invalid(err, HA_CATEGORY_IO, "bind", host, "cannot resolve '%s'", host);
  }
  c->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
    int e = errno;
    char what[96];
    snprintf(what, sizeof(what), "control %s:%u", host, (unsigned)cf.port);
    if (c->fd >= 0) {
      close(c->fd);
    }
    free(c);
    return ha__error_io(err, what, e);
  }
  socklen_t len = sizeof(a);
  getsockname(c->fd, (struct sockaddr *)&a, &len);
  c->port = ntohs(a.sin_port);
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
  struct sockaddr_in from;
  memset(&from, 0, sizeof(from));
  from.sin_family = AF_INET;
  from.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ha__add_relaxed_u64(&c->packets, 1);
  handle_packet(c, data, len, &from, 0);
}

void ha__control_destroy_local(ha_control *c) {
  free(c);
}

uint16_t ha_control_port(const ha_control *c) {
  return c->port;
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
