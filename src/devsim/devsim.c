/* The simulated device: a receive thread over one UDP socket.
 *
 * The thread sleeps in poll() on the socket and a wake-up pipe (so stop is
 * immediate, not a polling interval), drains up to RX_BATCH datagrams with
 * one recvmmsg, timestamps them with CLOCK_MONOTONIC, and handles them under
 * the table mutex: strict decode (ha_osc_decode: a malformed packet is
 * counted with its reason and dropped), bundles walked recursively (the
 * decoder bounds the depth), then a dispatch on the address. Replies to /get
 * and ADM queries go back to the sender; changes go to every push destination.
 * Sends use the same socket (so the device answers from its own port, like
 * the hardware) with MSG_DONTWAIT: a slow destination loses messages, it never
 * stalls the device.
 *
 * The record file is fully buffered (1 MiB) and flushed within RECORD_FLUSH_S
 * of its first unflushed row: poll() wakes for it when no packet comes, so a
 * reader (a test, `tail -f`) sees what arrived while the device still runs.
 *
 * The track table is guarded by a mutex because ha_devsim_get_track and
 * ha_devsim_set_position come from other threads; the simulator is a test
 * double, not a real-time component, so the simplest correct choice wins.
 * Positions are stored as xyz doubles (the device's truth); aed is derived on
 * demand with the configured azimuth sign. */
#include "holoanim/devsim.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "holoanim/osc.h"
#include "io_internal.h"
#include "net.h"

#define RX_BATCH 16
#define RX_SIZE 65536      /* the largest UDP payload, rounded up */
#define RECORD_FLUSH_S 1.0 /* the record file is flushed this long after a row */
#define MAX_ARGS 16
#define XYZ_LIMIT 100.0
#define DIST_MIN 0.1
#define DIST_MAX 500.0
#define GAIN_MIN (-60.0)
#define GAIN_MAX 12.0

typedef struct track {
  double x, y, z;
  char name[HA_DEVSIM_NAME_MAX];
  float color[4];
  float gain_db;
  int mute;
  uint64_t updates;
} track;

struct ha_devsim {
  ha_devsim_config cfg;
  char bind_host[256];
  int fd;
  uint16_t port;
  int wake[2];
  pthread_t thread;
  bool thread_started;

  pthread_mutex_t mu; /* guards everything below */
  track *tracks;      /* tracks[n - 1] */
  ha__sockaddr push[HA_DEVSIM_MAX_PUSH];
  size_t npush;
  ha_devsim_stats st;

  /* receive thread only (rows are written for positions from the network,
   * which only this thread handles; stop flushes after the join) */
  FILE *rec;
  char *recbuf;
  bool rec_dirty;         /* rows written since the last flush */
  double rec_dirty_since; /* when the first of them arrived */
  uint8_t *rxbuf;
  struct mmsghdr rxmsgs[RX_BATCH];
  struct iovec rxiov[RX_BATCH];
  struct sockaddr_storage rxfrom[RX_BATCH];
  double rx_time;
  ha__sockaddr from; /* sender of the packet being handled */
};

/* ---------------------------------------------------------------------------
 * Config
 * ------------------------------------------------------------------------- */

ha_devsim_config ha_devsim_config_default(void) {
  ha_devsim_config c;
  memset(&c, 0, sizeof c);
  c.bind_host = "127.0.0.1";
  c.port = 4003;
  c.tracks = 64;
  c.adm_scale = 10.0;
  c.azimuth_sign = HA_AZIMUTH_CLOCKWISE;
  c.record_path = NULL;
  return c;
}

static ha_status validate(const ha_devsim_config *c, ha_error *err) {
  if (c == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "devsim", "NULL", "no configuration given");
  }
  if (c->bind_host != NULL && strlen(c->bind_host) >= 256) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "bind_host", "", "longer than 255 characters");
  }
  if (c->port < 0 || c->port > 65535) {
    return ha__error_bounds(err, HA_CATEGORY_IO, "port", c->port, 0, 65535);
  }
  if (c->tracks < 1 || c->tracks > HA_DEVSIM_MAX_TRACKS) {
    return ha__error_bounds(err, HA_CATEGORY_IO, "tracks", c->tracks, 1, HA_DEVSIM_MAX_TRACKS);
  }
  if (!(c->adm_scale >= 0.001 && c->adm_scale <= 100000.0)) {
    return ha__error_bounds(err, HA_CATEGORY_IO, "adm_scale", c->adm_scale, 0.001, 100000.0);
  }
  if (c->azimuth_sign != HA_AZIMUTH_CLOCKWISE && c->azimuth_sign != HA_AZIMUTH_COUNTERCLOCKWISE) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "azimuth_sign", "",
                             "must be 1 (clockwise) or -1 (counter-clockwise)");
  }
  return HA_OK;
}

/* ---------------------------------------------------------------------------
 * Sending (replies and pushes), with the mutex held
 * ------------------------------------------------------------------------- */

static void send_to(ha_devsim *s, const ha__sockaddr *to, const uint8_t *buf, int len,
                    uint64_t *counter) {
  if (len <= 0) {
    return;
  }
  ssize_t r =
      sendto(s->fd, buf, (size_t)len, MSG_DONTWAIT, (const struct sockaddr *)&to->ss, to->len);
  if (r < 0) {
    s->st.send_errors++;
  } else {
    (*counter)++;
  }
}

static void push_all(ha_devsim *s, const uint8_t *buf, int len) {
  for (size_t i = 0; i < s->npush; i++) {
    send_to(s, &s->push[i], buf, len, &s->st.pushes);
  }
}

static void devsim_reply(ha_devsim *s, const uint8_t *buf, int len) {
  send_to(s, &s->from, buf, len, &s->st.replies);
}

/* `prefix{n}{suffix}` into buf. */
static void track_address(char *buf, size_t cap, const char *prefix, uint32_t n,
                          const char *suffix) {
  snprintf(buf, cap, "%s%u%s", prefix, (unsigned)n, suffix);
}

static int encode_floats(uint8_t *buf, size_t cap, const char *addr, const double *v, int count) {
  static const char *const tags[] = {",", ",f", ",ff", ",fff", ",ffff"};
  ha_osc_writer w;
  ha_osc_writer_init(&w, buf, cap);
  ha_osc_writer_begin_message(&w, addr, tags[count]);
  for (int i = 0; i < count; i++) {
    ha_osc_writer_add_float32(&w, (float)v[i]);
  }
  ha_osc_writer_end_message(&w);
  return ha_osc_writer_finish(&w);
}

static int encode_string(uint8_t *buf, size_t cap, const char *addr, const char *str) {
  ha_osc_writer w;
  ha_osc_writer_init(&w, buf, cap);
  ha_osc_writer_begin_message(&w, addr, ",s");
  ha_osc_writer_add_string(&w, str);
  ha_osc_writer_end_message(&w);
  return ha_osc_writer_finish(&w);
}

static int encode_int(uint8_t *buf, size_t cap, const char *addr, int32_t v) {
  ha_osc_writer w;
  ha_osc_writer_init(&w, buf, cap);
  ha_osc_writer_begin_message(&w, addr, ",i");
  ha_osc_writer_add_int32(&w, v);
  ha_osc_writer_end_message(&w);
  return ha_osc_writer_finish(&w);
}

/* ---------------------------------------------------------------------------
 * Track state changes
 * ------------------------------------------------------------------------- */

static double clampd(double v, double lo, double hi, bool *clamped) {
  if (v < lo) {
    *clamped = true;
    return lo;
  }
  if (v > hi) {
    *clamped = true;
    return hi;
  }
  return v;
}

/* Azimuth into (−180, 180]. */
static double wrap180(double a) {
  double r = fmod(a, 360.0);
  if (r <= -180.0) {
    r += 360.0;
  } else if (r > 180.0) {
    r -= 360.0;
  }
  return r;
}

static void push_position(ha_devsim *s, uint32_t n) {
  if (s->npush == 0) {
    return;
  }
  const track *t = &s->tracks[n - 1];
  char addr[40];
  uint8_t buf[64];
  track_address(addr, sizeof addr, "/track/", n, "/xyz");
  double v[3] = {t->x, t->y, t->z};
  push_all(s, buf, encode_floats(buf, sizeof buf, addr, v, 3));
}

/* Store a position (clamped to the device's cube), count, record, push. */
static void set_position(ha_devsim *s, uint32_t n, double x, double y, double z, bool from_net,
                         bool clamped) {
  track *t = &s->tracks[n - 1];
  x = clampd(x, -XYZ_LIMIT, XYZ_LIMIT, &clamped);
  y = clampd(y, -XYZ_LIMIT, XYZ_LIMIT, &clamped);
  z = clampd(z, -XYZ_LIMIT, XYZ_LIMIT, &clamped);
  if (clamped) {
    s->st.clamped++;
  }
  bool changed = !ha__feq(x, t->x) || !ha__feq(y, t->y) || !ha__feq(z, t->z);
  t->x = x;
  t->y = y;
  t->z = z;
  t->updates++;
  if (from_net) {
    s->st.positions++;
    if (s->rec != NULL) {
      fprintf(s->rec, "%.6f,%u,%.9g,%.9g,%.9g\n", s->rx_time, (unsigned)n, x, y, z);
      if (!s->rec_dirty) {
        s->rec_dirty = true;
        s->rec_dirty_since = s->rx_time;
      }
    }
  }
  if (changed) {
    push_position(s, n);
  }
}

/* Set from polar values in the device's convention (Holophonix). */
static void set_aed(ha_devsim *s, uint32_t n, double a, double e, double d, ha_azimuth_sign sign,
                    bool clamped) {
  a = wrap180(a);
  e = clampd(e, -90.0, 90.0, &clamped);
  d = clampd(d, DIST_MIN, DIST_MAX, &clamped);
  ha_vec3 p = ha_aed_to_xyz(ha_vec3_make(a, e, d), sign);
  set_position(s, n, p.x, p.y, p.z, true, clamped);
}

static ha_vec3 get_aed(const ha_devsim *s, uint32_t n, ha_azimuth_sign sign) {
  const track *t = &s->tracks[n - 1];
  return ha_xyz_to_aed(ha_vec3_make(t->x, t->y, t->z), sign);
}

static void push_param(ha_devsim *s, uint32_t n, const char *param) {
  if (s->npush == 0) {
    return;
  }
  const track *t = &s->tracks[n - 1];
  char addr[48];
  uint8_t buf[256];
  track_address(addr, sizeof addr, "/track/", n, param);
  int len = 0;
  if (strcmp(param, "/name") == 0) {
    len = encode_string(buf, sizeof buf, addr, t->name);
  } else if (strcmp(param, "/color") == 0) {
    double v[4] = {t->color[0], t->color[1], t->color[2], t->color[3]};
    len = encode_floats(buf, sizeof buf, addr, v, 4);
  } else if (strcmp(param, "/gain") == 0) {
    double v = t->gain_db;
    len = encode_floats(buf, sizeof buf, addr, &v, 1);
  } else {
    len = encode_int(buf, sizeof buf, addr, t->mute);
  }
  push_all(s, buf, len);
}

static void set_name(ha_devsim *s, uint32_t n, const ha_osc_arg *a) {
  track *t = &s->tracks[n - 1];
  size_t len = a->v.s.len < HA_DEVSIM_NAME_MAX - 1 ? a->v.s.len : HA_DEVSIM_NAME_MAX - 1;
  memcpy(t->name, a->v.s.ptr, len);
  t->name[len] = '\0';
  push_param(s, n, "/name");
}

static void set_gain_db(ha_devsim *s, uint32_t n, double db, bool clamped) {
  s->tracks[n - 1].gain_db = (float)clampd(db, GAIN_MIN, GAIN_MAX, &clamped);
  if (clamped) {
    s->st.clamped++;
  }
  push_param(s, n, "/gain");
}

static void set_mute(ha_devsim *s, uint32_t n, double v) {
  s->tracks[n - 1].mute = ha__feq(v, 0.0) ? 0 : 1;
  push_param(s, n, "/mute");
}

/* ---------------------------------------------------------------------------
 * Messages
 * ------------------------------------------------------------------------- */

/* The message's arguments as `count` finite numbers. */
static bool devsim_numbers(const ha_osc_message *m, double *v, size_t count) {
  if (m->arg_count != count) {
    return false;
  }
  for (size_t i = 0; i < count; i++) {
    if (!ha_osc_arg_to_double(&m->args[i], &v[i]) || !isfinite(v[i])) {
      return false;
    }
  }
  return true;
}

static bool one_string(const ha_osc_message *m) {
  return m->arg_count == 1 &&
         (m->args[0].type == HA_OSC_STRING || m->args[0].type == HA_OSC_SYMBOL);
}

/* "/azim", "/elev", "/dist", each optionally followed by "++" (relative). */
static bool polar_axis(const char *rest, bool *rel) {
  if (strncmp(rest, "/azim", 5) != 0 && strncmp(rest, "/elev", 5) != 0 &&
      strncmp(rest, "/dist", 5) != 0) {
    return false;
  }
  *rel = strcmp(rest + 5, "++") == 0;
  return *rel || rest[5] == '\0';
}

/* /track/{n}/<rest>; false when the arguments do not fit the address. */
static bool holophonix_set(ha_devsim *s, uint32_t n, const char *rest, const ha_osc_message *m) {
  double v[4];
  bool rel = false;
  ha_azimuth_sign sign = s->cfg.azimuth_sign;
  track *t = &s->tracks[n - 1];
  if (strcmp(rest, "/xyz") == 0) {
    if (!devsim_numbers(m, v, 3)) {
      return false;
    }
    set_position(s, n, v[0], v[1], v[2], true, false);
  } else if (strcmp(rest, "/aed") == 0) {
    if (!devsim_numbers(m, v, 3)) {
      return false;
    }
    set_aed(s, n, v[0], v[1], v[2], sign, false);
  } else if (strcmp(rest, "/x") == 0 || strcmp(rest, "/y") == 0 || strcmp(rest, "/z") == 0) {
    if (!devsim_numbers(m, v, 1)) {
      return false;
    }
    double p[3] = {t->x, t->y, t->z};
    p[rest[1] - 'x'] = v[0];
    set_position(s, n, p[0], p[1], p[2], true, false);
  } else if (polar_axis(rest, &rel)) {
    if (!devsim_numbers(m, v, 1)) {
      return false;
    }
    ha_vec3 aed = get_aed(s, n, sign);
    double *c = rest[1] == 'a' ? &aed.x : (rest[1] == 'e' ? &aed.y : &aed.z);
    *c = rel ? *c + v[0] : v[0];
    set_aed(s, n, aed.x, aed.y, aed.z, sign, false);
  } else if (strcmp(rest, "/name") == 0) {
    if (!one_string(m)) {
      return false;
    }
    set_name(s, n, &m->args[0]);
  } else if (strcmp(rest, "/color") == 0) {
    if (!devsim_numbers(m, v, 4)) {
      return false;
    }
    bool clamped = false;
    for (int i = 0; i < 4; i++) {
      t->color[i] = (float)clampd(v[i], 0.0, 1.0, &clamped);
    }
    if (clamped) {
      s->st.clamped++;
    }
    push_param(s, n, "/color");
  } else if (strcmp(rest, "/gain") == 0) {
    if (!devsim_numbers(m, v, 1)) {
      return false;
    }
    set_gain_db(s, n, v[0], false);
  } else if (strcmp(rest, "/mute") == 0) {
    if (!devsim_numbers(m, v, 1)) {
      return false;
    }
    set_mute(s, n, v[0]);
  } else {
    s->st.unknown_address++;
  }
  return true;
}

/* Reply to `/get "/track/{n}/<param>"` (or the /error the device sends). */
static void handle_get(ha_devsim *s, const char *what) {
  uint8_t buf[256];
  char addr[64], text[200];
  uint32_t n = 0;
  const char *rest = NULL;
  s->st.queries++;
  if (!ha_osc_parse_indexed(what, "/track/", &n, &rest) || rest[0] != '/') {
    snprintf(text, sizeof text, "from Core: Cannot get %.150s", what);
    devsim_reply(s, buf, encode_string(buf, sizeof buf, "/error", text));
    return;
  }
  const char *param = rest + 1;
  int len = -1;
  if (n >= 1 && n <= s->cfg.tracks) {
    const track *t = &s->tracks[n - 1];
    ha_vec3 aed = get_aed(s, n, s->cfg.azimuth_sign);
    track_address(addr, sizeof addr, "/track/", n, rest);
    double v[4];
    if (strcmp(param, "xyz") == 0 || strcmp(param, "aed") == 0) {
      bool polar = param[0] == 'a';
      v[0] = polar ? aed.x : t->x;
      v[1] = polar ? aed.y : t->y;
      v[2] = polar ? aed.z : t->z;
      len = encode_floats(buf, sizeof buf, addr, v, 3);
    } else if (strcmp(param, "x") == 0 || strcmp(param, "y") == 0 || strcmp(param, "z") == 0) {
      v[0] = param[0] == 'x' ? t->x : (param[0] == 'y' ? t->y : t->z);
      len = encode_floats(buf, sizeof buf, addr, v, 1);
    } else if (strcmp(param, "azim") == 0 || strcmp(param, "elev") == 0 ||
               strcmp(param, "dist") == 0) {
      v[0] = param[0] == 'a' ? aed.x : (param[0] == 'e' ? aed.y : aed.z);
      len = encode_floats(buf, sizeof buf, addr, v, 1);
    } else if (strcmp(param, "name") == 0) {
      len = encode_string(buf, sizeof buf, addr, t->name);
    } else if (strcmp(param, "color") == 0) {
      for (int i = 0; i < 4; i++) {
        v[i] = t->color[i];
      }
      len = encode_floats(buf, sizeof buf, addr, v, 4);
    } else if (strcmp(param, "gain") == 0) {
      v[0] = t->gain_db;
      len = encode_floats(buf, sizeof buf, addr, v, 1);
    } else if (strcmp(param, "mute") == 0) {
      len = encode_int(buf, sizeof buf, addr, t->mute);
    }
  } else {
    s->st.unknown_track++;
  }
  if (len < 0) {
    snprintf(text, sizeof text, "from Core: Cannot get track,%u,%.100s", (unsigned)n, param);
    len = encode_string(buf, sizeof buf, "/error", text);
  }
  devsim_reply(s, buf, len);
}

/* ADM-OSC query: /adm/obj/{n}/<param> with no argument. */
static void adm_query(ha_devsim *s, uint32_t n, const char *rest) {
  const track *t = &s->tracks[n - 1];
  const double k = s->cfg.adm_scale;
  bool c = false;
  char addr[64];
  uint8_t buf[256];
  double v[3];
  int count = 0, len = -1;
  track_address(addr, sizeof addr, "/adm/obj/", n, rest);
  ha_vec3 aed = get_aed(s, n, HA_AZIMUTH_COUNTERCLOCKWISE);
  if (strcmp(rest, "/xyz") == 0 || strcmp(rest, "/xy") == 0) {
    v[0] = clampd(t->x / k, -1, 1, &c);
    v[1] = clampd(t->y / k, -1, 1, &c);
    v[2] = clampd(t->z / k, -1, 1, &c);
    count = rest[3] == 'z' ? 3 : 2;
  } else if (strcmp(rest, "/aed") == 0) {
    v[0] = aed.x;
    v[1] = aed.y;
    v[2] = clampd(aed.z / k, 0, 1, &c);
    count = 3;
  } else if (strcmp(rest, "/x") == 0 || strcmp(rest, "/y") == 0 || strcmp(rest, "/z") == 0) {
    double p = rest[1] == 'x' ? t->x : (rest[1] == 'y' ? t->y : t->z);
    v[0] = clampd(p / k, -1, 1, &c);
    count = 1;
  } else if (strcmp(rest, "/azim") == 0 || strcmp(rest, "/elev") == 0) {
    v[0] = rest[1] == 'a' ? aed.x : aed.y;
    count = 1;
  } else if (strcmp(rest, "/dist") == 0) {
    v[0] = clampd(aed.z / k, 0, 1, &c);
    count = 1;
  } else if (strcmp(rest, "/gain") == 0) {
    v[0] = t->gain_db <= GAIN_MIN ? 0.0 : pow(10.0, t->gain_db / 20.0);
    count = 1;
  } else if (strcmp(rest, "/mute") == 0) {
    len = encode_int(buf, sizeof buf, addr, t->mute);
  } else if (strcmp(rest, "/name") == 0) {
    len = encode_string(buf, sizeof buf, addr, t->name);
  } else {
    s->st.unknown_address++;
    return;
  }
  s->st.queries++;
  if (count > 0) {
    len = encode_floats(buf, sizeof buf, addr, v, count);
  }
  devsim_reply(s, buf, len);
}

/* /adm/obj/{n}/<rest> with arguments. */
static bool adm_set(ha_devsim *s, uint32_t n, const char *rest, const ha_osc_message *m) {
  const double k = s->cfg.adm_scale;
  track *t = &s->tracks[n - 1];
  double v[3];
  bool c = false;
  if (strcmp(rest, "/xyz") == 0 || strcmp(rest, "/xy") == 0) {
    size_t count = rest[3] == 'z' ? 3 : 2;
    if (!devsim_numbers(m, v, count)) {
      return false;
    }
    double z = count == 3 ? clampd(v[2], -1, 1, &c) * k : t->z;
    set_position(s, n, clampd(v[0], -1, 1, &c) * k, clampd(v[1], -1, 1, &c) * k, z, true, c);
  } else if (strcmp(rest, "/x") == 0 || strcmp(rest, "/y") == 0 || strcmp(rest, "/z") == 0) {
    if (!devsim_numbers(m, v, 1)) {
      return false;
    }
    double p[3] = {t->x, t->y, t->z};
    p[rest[1] - 'x'] = clampd(v[0], -1, 1, &c) * k;
    set_position(s, n, p[0], p[1], p[2], true, c);
  } else if (strcmp(rest, "/aed") == 0 || strcmp(rest, "/azim") == 0 ||
             strcmp(rest, "/elev") == 0 || strcmp(rest, "/dist") == 0) {
    ha_vec3 aed = get_aed(s, n, HA_AZIMUTH_COUNTERCLOCKWISE);
    double a = aed.x, e = aed.y, d = aed.z / k;
    if (strcmp(rest, "/aed") == 0) {
      if (!devsim_numbers(m, v, 3)) {
        return false;
      }
      a = v[0];
      e = v[1];
      d = v[2];
    } else {
      if (!devsim_numbers(m, v, 1)) {
        return false;
      }
      *(rest[1] == 'a' ? &a : (rest[1] == 'e' ? &e : &d)) = v[0];
    }
    a = clampd(a, -180, 180, &c);
    e = clampd(e, -90, 90, &c);
    d = clampd(d, 0, 1, &c);
    ha_vec3 p = ha_aed_to_xyz(ha_vec3_make(a, e, d * k), HA_AZIMUTH_COUNTERCLOCKWISE);
    set_position(s, n, p.x, p.y, p.z, true, c);
  } else if (strcmp(rest, "/gain") == 0) {
    if (!devsim_numbers(m, v, 1)) {
      return false;
    }
    double g = clampd(v[0], 0.0, INFINITY, &c);
    set_gain_db(s, n, g > 0.0 ? 20.0 * log10(g) : GAIN_MIN, c);
  } else if (strcmp(rest, "/mute") == 0) {
    if (!devsim_numbers(m, v, 1)) {
      return false;
    }
    set_mute(s, n, v[0]);
  } else if (strcmp(rest, "/name") == 0) {
    if (!one_string(m)) {
      return false;
    }
    set_name(s, n, &m->args[0]);
  } else {
    s->st.unknown_address++;
  }
  return true;
}

static void handle_message(ha_devsim *s, const ha_osc_message *m) {
  s->st.messages++;
  uint32_t n = 0;
  const char *rest = NULL;
  if (strcmp(m->address, "/get") == 0) {
    if (!one_string(m)) {
      s->st.bad_args++;
      return;
    }
    handle_get(s, m->args[0].v.s.ptr);
    return;
  }
  bool adm = false;
  if (ha_osc_parse_indexed(m->address, "/track/", &n, &rest)) {
    adm = false;
  } else if (ha_osc_parse_indexed(m->address, "/adm/obj/", &n, &rest)) {
    adm = true;
  } else {
    s->st.unknown_address++;
    return;
  }
  if (rest[0] != '/') {
    s->st.unknown_address++;
    return;
  }
  if (n < 1 || n > s->cfg.tracks) {
    s->st.unknown_track++;
    return;
  }
  bool ok;
  if (adm && m->arg_count == 0) {
    adm_query(s, n, rest);
    ok = true;
  } else {
    ok = adm ? adm_set(s, n, rest, m) : holophonix_set(s, n, rest, m);
  }
  if (!ok) {
    s->st.bad_args++;
  }
}

static void malformed(ha_devsim *s, const char *why) {
  s->st.malformed++;
  size_t len = strlen(why);
  if (len >= sizeof s->st.last_malformed) {
    len = sizeof s->st.last_malformed - 1;
  }
  memcpy(s->st.last_malformed, why, len);
  s->st.last_malformed[len] = '\0';
}

/* A packet or bundle element. The decoder has validated the framing of
 * nested bundles up to HA_OSC_MAX_DEPTH, so this recursion is bounded. */
static void handle_packet(ha_devsim *s, const uint8_t *data, size_t len) {
  ha_osc_arg args[MAX_ARGS];
  ha_osc_packet pkt;
  ha_error e;
  ha_error_clear(&e);
  ha_status st = ha_osc_decode(data, len, &pkt, args, MAX_ARGS, &e);
  if (st == HA_ENOBUFS) {
    s->st.messages++;
    s->st.bad_args++; /* well formed, more arguments than any address takes */
    return;
  }
  if (st != HA_OK) {
    malformed(s, e.message[0] != '\0' ? e.message : ha_strerror(st));
    return;
  }
  if (pkt.kind == HA_OSC_PACKET_MESSAGE) {
    handle_message(s, &pkt.message);
    return;
  }
  s->st.bundles++;
  const uint8_t *el;
  size_t el_len;
  while (ha_osc_bundle_next(&pkt.bundle, &el, &el_len)) {
    handle_packet(s, el, el_len);
  }
}

/* ---------------------------------------------------------------------------
 * Thread
 * ------------------------------------------------------------------------- */

/* Flush the record file once its oldest unflushed row is RECORD_FLUSH_S old;
 * returns poll()'s timeout until the next such flush (-1: none pending). */
static int devsim_record_flush_due(ha_devsim *s) {
  if (!s->rec_dirty) {
    return -1;
  }
  double left = s->rec_dirty_since + RECORD_FLUSH_S - ha__net_monotonic();
  if (left > 0.0) {
    return (int)(left * 1000.0) + 1; /* + 1: never a 0 ms poll that spins */
  }
  fflush(s->rec); /* no lock: the table's readers do not wait for the disk */
  s->rec_dirty = false;
  return -1;
}

static void *devsim_main(void *arg) {
  ha_devsim *s = arg;
  for (;;) {
    struct pollfd pfd[2] = {{s->fd, POLLIN, 0}, {s->wake[0], POLLIN, 0}};
    int r = poll(pfd, 2, devsim_record_flush_due(s));
    if (r == 0) {
      continue; /* a record flush is due: the next turn does it */
    }
    if (r < 0) {
      if (errno == EINTR) {
        continue;
      }
      break;
    }
    if (pfd[1].revents != 0) {
      break;
    }
    for (int i = 0; i < RX_BATCH; i++) {
      s->rxiov[i].iov_base = s->rxbuf + (size_t)i * RX_SIZE;
      s->rxiov[i].iov_len = RX_SIZE;
      memset(&s->rxmsgs[i].msg_hdr, 0, sizeof s->rxmsgs[i].msg_hdr);
      s->rxmsgs[i].msg_hdr.msg_iov = &s->rxiov[i];
      s->rxmsgs[i].msg_hdr.msg_iovlen = 1;
      s->rxmsgs[i].msg_hdr.msg_name = &s->rxfrom[i];
      s->rxmsgs[i].msg_hdr.msg_namelen = sizeof s->rxfrom[i];
    }
    int got = recvmmsg(s->fd, s->rxmsgs, RX_BATCH, MSG_DONTWAIT, NULL);
    if (got <= 0) {
      continue; /* EAGAIN, or an ICMP error reported on the socket: keep going */
    }
    double now = ha__net_monotonic();
    pthread_mutex_lock(&s->mu);
    s->rx_time = now;
    for (int i = 0; i < got; i++) {
      s->st.packets++;
      memcpy(&s->from.ss, &s->rxfrom[i], sizeof s->from.ss);
      s->from.len = s->rxmsgs[i].msg_hdr.msg_namelen;
      if (s->rxmsgs[i].msg_hdr.msg_flags & MSG_TRUNC) {
        malformed(s, "datagram larger than 65536 bytes (truncated)");
        continue;
      }
      handle_packet(s, s->rxbuf + (size_t)i * RX_SIZE, s->rxmsgs[i].msg_len);
    }
    pthread_mutex_unlock(&s->mu);
  }
  return NULL;
}

/* ---------------------------------------------------------------------------
 * Lifecycle and accessors
 * ------------------------------------------------------------------------- */

static void free_sim(ha_devsim *s) {
  if (s->rec != NULL) {
    fclose(s->rec);
  }
  free(s->recbuf);
  if (s->fd >= 0) {
    close(s->fd);
  }
  if (s->wake[0] >= 0) {
    close(s->wake[0]);
  }
  if (s->wake[1] >= 0) {
    close(s->wake[1]);
  }
  free(s->tracks);
  free(s->rxbuf);
  pthread_mutex_destroy(&s->mu);
  free(s);
}

ha_status ha_devsim_start(const ha_devsim_config *cfg, ha_devsim **out, ha_error *err) {
  if (out == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "out", "NULL", "no place for the devsim");
  }
  *out = NULL;
  ha_status st = validate(cfg, err);
  if (st != HA_OK) {
    return st;
  }
  ha_devsim *s = calloc(1, sizeof *s);
  if (s == NULL) {
    return HA_ENOMEM;
  }
  s->cfg = *cfg;
  const char *bind_host = cfg->bind_host != NULL ? cfg->bind_host : "";
  memcpy(s->bind_host, bind_host, strlen(bind_host) + 1);
  s->cfg.bind_host = s->bind_host;
  s->cfg.record_path = NULL;
  s->fd = -1;
  s->wake[0] = s->wake[1] = -1;
  pthread_mutex_init(&s->mu, NULL);
  s->tracks = calloc(cfg->tracks, sizeof *s->tracks);
  s->rxbuf = malloc((size_t)RX_BATCH * RX_SIZE);
  if (s->tracks == NULL || s->rxbuf == NULL) {
    free_sim(s);
    return HA_ENOMEM;
  }
  for (uint32_t n = 1; n <= cfg->tracks; n++) {
    track *t = &s->tracks[n - 1];
    snprintf(t->name, sizeof t->name, "Track %u", (unsigned)n);
    t->color[0] = t->color[1] = t->color[2] = t->color[3] = 1.0f;
  }
  if (pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
    int e = errno;
    free_sim(s);
    return ha__error_io(err, "pipe", e);
  }
  if (cfg->record_path != NULL) {
    s->rec = fopen(cfg->record_path, "w");
    if (s->rec == NULL) {
      int e = errno;
      char what[300];
      snprintf(what, sizeof what, "record file %.250s", cfg->record_path);
      free_sim(s);
      return ha__error_io(err, what, e);
    }
    /* Full buffering: one write per MiB, not per line. */
    s->recbuf = malloc(1u << 20);
    if (s->recbuf != NULL) {
      setvbuf(s->rec, s->recbuf, _IOFBF, 1u << 20);
    }
    fputs("time_s,track,x,y,z\n", s->rec);
  }
  int fd = ha__net_udp_bind(bind_host, cfg->port, true, NULL, NULL, err);
  if (fd < 0) {
    free_sim(s);
    return (ha_status)fd;
  }
  s->fd = fd;
  s->port = ha__net_local_port(fd);
  ha__net_grow_buffer(fd, SO_RCVBUF, 4 << 20);
  int rc = pthread_create(&s->thread, NULL, devsim_main, s);
  if (rc != 0) {
    free_sim(s);
    return ha__error_io(err, "devsim thread", rc);
  }
  s->thread_started = true;
  *out = s;
  return HA_OK;
}

void ha_devsim_stop(ha_devsim *s) {
  if (s == NULL) {
    return;
  }
  if (s->thread_started) {
    ssize_t w;
    do {
      w = write(s->wake[1], "x", 1);
    } while (w < 0 && errno == EINTR);
    pthread_join(s->thread, NULL);
  }
  if (s->rec != NULL) {
    fflush(s->rec);
  }
  free_sim(s);
}

uint16_t ha_devsim_port(const ha_devsim *s) {
  return s != NULL ? s->port : 0;
}

ha_status ha_devsim_add_push(ha_devsim *s, const char *host, int port, ha_error *err) {
  if (s == NULL) {
    return HA_EINVAL;
  }
  if (port < 1 || port > 65535) {
    return ha__error_bounds(err, HA_CATEGORY_IO, "push port", port, 1, 65535);
  }
  ha__sockaddr a;
  ha_status st = ha__net_resolve(host, port, false, "push host", &a, err);
  if (st != HA_OK) {
    return st;
  }
  pthread_mutex_lock(&s->mu);
  if (s->npush >= HA_DEVSIM_MAX_PUSH) {
    pthread_mutex_unlock(&s->mu);
    return ha__error_exhausted(err, HA_CATEGORY_IO, "push destinations", HA_DEVSIM_MAX_PUSH);
  }
  s->push[s->npush++] = a;
  pthread_mutex_unlock(&s->mu);
  return HA_OK;
}

ha_status ha_devsim_get_track(ha_devsim *s, uint32_t n, ha_devsim_track *out) {
  if (s == NULL || out == NULL) {
    return HA_EINVAL;
  }
  if (n < 1 || n > s->cfg.tracks) {
    return HA_ENOTFOUND;
  }
  pthread_mutex_lock(&s->mu);
  const track *t = &s->tracks[n - 1];
  out->index = n;
  out->position = ha_vec3_make(t->x, t->y, t->z);
  memcpy(out->name, t->name, sizeof out->name);
  memcpy(out->color, t->color, sizeof out->color);
  out->gain_db = t->gain_db;
  out->mute = t->mute;
  out->updates = t->updates;
  pthread_mutex_unlock(&s->mu);
  return HA_OK;
}

ha_status ha_devsim_set_position(ha_devsim *s, uint32_t n, ha_vec3 pos) {
  if (s == NULL || !isfinite(pos.x) || !isfinite(pos.y) || !isfinite(pos.z)) {
    return HA_EINVAL;
  }
  if (n < 1 || n > s->cfg.tracks) {
    return HA_ENOTFOUND;
  }
  pthread_mutex_lock(&s->mu);
  set_position(s, n, pos.x, pos.y, pos.z, false, false);
  pthread_mutex_unlock(&s->mu);
  return HA_OK;
}

ha_status ha_devsim_get_stats(ha_devsim *s, ha_devsim_stats *out) {
  if (s == NULL || out == NULL) {
    return HA_EINVAL;
  }
  pthread_mutex_lock(&s->mu);
  *out = s->st;
  pthread_mutex_unlock(&s->mu);
  return HA_OK;
}
