/* Outputs: dialect, dead-band, rate divider, encoding and one sendmmsg.
 *
 * Design. Everything a tick needs is allocated by ha_output_create for
 * `max_tracks`: the packet buffer, the mmsghdr/iovec arrays, a per-track state
 * table and the list of "pending" positions of the tick. A tick walks the
 * positions once: non-finite → counted and skipped; track state found; wire
 * values computed (metres, degrees, or ADM-normalised); dead-band and
 * keep-alive decide; the message is encoded straight into the buffer (its own
 * datagram, or appended to the current bundle) from the track's address,
 * formatted once when the track was first seen. Then one sendmmsg sends every
 * datagram, and only the positions of the datagrams the kernel accepted are
 * committed as "sent": after ECONNREFUSED / EAGAIN the others stay pending,
 * the output stays due, and the next tick sends them again even if they no
 * longer move. Each call reports what it did (ha_output_report: messages,
 * bytes, errors) so the player adds those instead of diffing the cumulative
 * counters of every output every tick; the counters stay for
 * ha_output_get_stats.
 *
 * The dead-band compares wire values with the last *sent* wire values (not
 * the last seen ones), so a slow drift below the threshold per tick still gets
 * out once it adds up. Thresholds are converted to wire units once (ADM
 * metres / scale), so one comparison covers the four dialects.
 *
 * Track state lives in dense arrays in first-seen order (normally the
 * caller's order, so a tick walks memory sequentially); an open-addressing
 * table maps show id → dense index on first sight, and a per-call-index hint makes the usual "same
 * ids every tick" one compare with no hash probe (probing a table scattered over 2·max_tracks
 * entries was a cache miss per track: a third of the user time at 10,000 tracks).
 *
 * Rejected: one sendto per message (a syscall each: ~4.7 µs on this VM, the
 * bottleneck); formatting "/track/N/xyz" on every send (strlen + digits: 15%
 * of the user time); publishing each track's last sent position for other
 * threads (a per-track seqlock written on every send that only tests read:
 * what left is what a receiver decodes).
 */
#include "holoanim/output.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "atomics.h"
#include "holoanim/osc.h"
#include "io_internal.h"
#include "net.h"

/* Largest `,fff` message: "/adm/obj/4294967295/aed" (23 chars + NUL = 24)
 * + ",fff" padded (8) + 12 bytes of floats. */
#define MSG_MAX 44u
/* Largest `,f` gain message: "/adm/obj/4294967295/gain" (24 chars + NUL,
 * padded to 28) + ",f" padded (4) + one float. */
#define GAIN_MSG_MAX 36u
/* The kernel handles at most UIO_MAXIOV (1024) messages per sendmmsg. */
#define MMSG_MAX 1024u

/* Per-track state, touched only by the sending thread. */
typedef struct slot {
  uint32_t id;      /* show track id */
  uint32_t index;   /* device index on the wire */
  bool mapped;      /* false: map_only and not in the map */
  bool sent;        /* something left for this track */
  uint8_t addr_pad; /* bytes of the padded address (16, 20 or 24) */
  uint8_t addr[24]; /* the address, NUL-padded, as on the wire */
  double wire[3];   /* wire values of the last send */
  double last;      /* `now` of the last send */
  bool has_gain;    /* the track is in cfg.gains */
  bool gain_sent;   /* the gain left with a position */
  float gain_wire;  /* its value on the wire (linear for ADM-OSC, else dB) */
  double gain_last; /* `now` of the last gain send */
} slot;

/* A tracked position's slot before the encode marked it sent (the commit is
 * optimistic: see output_commit). */
typedef struct undo {
  double wire[3];
  double last;
  double gain_last;
  uint32_t slot; /* UINT32_MAX: untracked, nothing to undo */
  bool sent;
  bool gain;      /* a gain message went with it */
  bool gain_sent; /* before */
} undo;

typedef struct counters {
  ha__atomic_u64 ticks, rate_skips, messages, datagrams, bytes, syscalls, deadband_skips,
      keepalive_sends, nonfinite, unmapped, untracked, err_refused, err_unreachable, err_again,
      err_other, short_sends, unsent;
  ha__atomic_int last_errno;
} counters;

struct ha_output {
  ha_output_config cfg; /* host and map point at the copies below */
  char host[256];
  char dest[80];
  uint8_t dev_addr[16]; /* the resolved destination (IPv4 mapped), for echoes */
  uint16_t dev_port;
  ha_output_map_entry *map; /* sorted by track */
  ha_output_gain *gains;    /* sorted by track */
  int fd;
  size_t max_tracks;

  const char *prefix, *suffix;
  size_t prefix_len, suffix_len;
  bool aed, adm;
  ha_azimuth_sign sign;
  double thr[3]; /* dead-band in wire units */

  bool started; /* the schedule has an origin */
  double start; /* `now` of the first due tick */
  double next_due;
  double slack; /* a tick this early still counts as on time */

  size_t table_mask; /* table size − 1 (a power of two ≥ 2·max_tracks) */
  size_t tracked;    /* slots in use */
  uint64_t *keys;    /* 0 = empty, else (dense index + 1) << 32 | id */
  slot *slots;       /* dense, max_tracks */
  uint32_t *hint;    /* per call index: dense index + 1 of ids[i] last time */

  uint8_t *buf;
  size_t buf_cap;
  struct mmsghdr *msgs;
  struct iovec *iov;
  size_t max_dgrams;
  undo *pend;       /* per position encoded: its slot's state before */
  size_t *dg_first; /* first pending index of each datagram, + the end */

  counters c;
};

/* ---------------------------------------------------------------------------
 * Counters
 *
 * Each counter has one writer (the sending thread) and any number of readers
 * (ha_output_get_stats). Relaxed order is enough: the counters are
 * independent and a reader wants a recent value, not an ordering with other
 * memory; the atomic type only makes the concurrent read well defined (no torn
 * 64-bit read, no data race). A relaxed load + store rather than fetch_add
 * (ha__add_single_writer_relaxed_u64): with a single writer no update can be
 * lost, and the tick avoids a locked read-modify-write per counter.
 * ------------------------------------------------------------------------- */

/* ---------------------------------------------------------------------------
 * Config
 * ------------------------------------------------------------------------- */

ha_output_config ha_output_config_default(void) {
  ha_output_config c;
  memset(&c, 0, sizeof c);
  c.host = "127.0.0.1";
  c.port = HA_OUTPUT_PORT_DEFAULT;
  c.dialect = HA_DIALECT_HOLOPHONIX;
  c.coords = HA_COORDS_XYZ;
  c.azimuth_sign = HA_AZIMUTH_CLOCKWISE;
  c.adm_scale = 10.0;
  c.rate_hz = 50.0;
  c.deadband_m = 0.001;
  c.deadband_deg = 0.1;
  c.keep_alive_s = 1.0;
  c.bundle = false;
  c.max_datagram = HA_OUTPUT_DATAGRAM_DEFAULT;
  c.bundle_max_messages = 0;
  c.lookahead_ms = 0.0;
  c.map = NULL;
  c.map_len = 0;
  c.map_only = false;
  return c;
}

static ha_status check_range(ha_error *err, const char *name, double v, double lo, double hi) {
  if (!(v >= lo && v <= hi)) {
    return ha__error_bounds(err, HA_CATEGORY_IO, name, v, lo, hi);
  }
  return HA_OK;
}

ha_status ha_output_config_validate(const ha_output_config *cfg, ha_error *err) {
  if (cfg == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "output", "NULL", "no configuration given");
  }
  if (cfg->host == NULL || cfg->host[0] == '\0') {
    return ha__error_invalid(err, HA_CATEGORY_IO, "host", "", "a host name or address is required");
  }
  if (strlen(cfg->host) >= 256) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "host", "", "longer than 255 characters");
  }
  ha_status st;
  if ((st = check_range(err, "port", cfg->port, 0, 65535)) != HA_OK) {
    return st;
  }
  switch (cfg->dialect) {
  case HA_DIALECT_HOLOPHONIX:
  case HA_DIALECT_ADM_OSC: break;
  default: {
    char v[16];
    snprintf(v, sizeof v, "%d", (int)cfg->dialect);
    return ha__error_invalid(err, HA_CATEGORY_IO, "dialect", v,
                             "must be HA_DIALECT_HOLOPHONIX or HA_DIALECT_ADM_OSC");
  }
  }
  switch (cfg->coords) {
  case HA_COORDS_XYZ:
  case HA_COORDS_AED: break;
  default: {
    char v[16];
    snprintf(v, sizeof v, "%d", (int)cfg->coords);
    return ha__error_invalid(err, HA_CATEGORY_IO, "coords", v,
                             "must be HA_COORDS_XYZ or HA_COORDS_AED");
  }
  }
  if (cfg->azimuth_sign != HA_AZIMUTH_CLOCKWISE &&
      cfg->azimuth_sign != HA_AZIMUTH_COUNTERCLOCKWISE) {
    char v[16];
    snprintf(v, sizeof v, "%d", (int)cfg->azimuth_sign);
    return ha__error_invalid(err, HA_CATEGORY_IO, "azimuth_sign", v,
                             "must be 1 (clockwise) or -1 (counter-clockwise)");
  }
  if ((st = check_range(err, "adm_scale", cfg->adm_scale, 0.001, 100000.0)) != HA_OK ||
      (st = check_range(err, "rate_hz", cfg->rate_hz, HA_OUTPUT_RATE_MIN, HA_OUTPUT_RATE_MAX)) !=
          HA_OK ||
      (st = check_range(err, "deadband_m", cfg->deadband_m, 0.0, 10.0)) != HA_OK ||
      (st = check_range(err, "deadband_deg", cfg->deadband_deg, 0.0, 180.0)) != HA_OK ||
      (st = check_range(err, "lookahead_ms", cfg->lookahead_ms, 0.0, 60000.0)) != HA_OK ||
      (st = check_range(err, "max_datagram", (double)cfg->max_datagram, HA_OUTPUT_DATAGRAM_MIN,
                        HA_OUTPUT_DATAGRAM_MAX)) != HA_OK ||
      (st = check_range(err, "bundle_max_messages", (double)cfg->bundle_max_messages, 0,
                        1000000)) != HA_OK) {
    return st;
  }
  if (!(ha__feq(cfg->keep_alive_s, 0.0) ||
        (cfg->keep_alive_s >= 0.001 && cfg->keep_alive_s <= 3600.0))) {
    return ha__error_bounds(err, HA_CATEGORY_IO, "keep_alive_s", cfg->keep_alive_s, 0.001, 3600.0);
  }
  if (cfg->gains_len > 0 && cfg->gains == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "gains", "NULL",
                             "gains_len is %zu but gains is NULL", cfg->gains_len);
  }
  for (size_t i = 0; i < cfg->gains_len; i++) {
    char name[48];
    snprintf(name, sizeof name, "gains[%zu].db", i);
    if ((st = check_range(err, name, cfg->gains[i].db, HA_OUTPUT_GAIN_DB_MIN,
                          HA_OUTPUT_GAIN_DB_MAX)) != HA_OK) {
      return st;
    }
  }
  if (cfg->map_len > 0 && cfg->map == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "map", "NULL", "map_len is %zu but map is NULL",
                             cfg->map_len);
  }
  for (size_t i = 0; i < cfg->map_len; i++) {
    char name[48], v[16];
    if (cfg->map[i].index == 0) {
      snprintf(name, sizeof name, "map[%zu].index", i);
      return ha__error_invalid(err, HA_CATEGORY_IO, name, "0", "device indices start at 1");
    }
    for (size_t j = 0; j < i; j++) {
      if (cfg->map[j].track == cfg->map[i].track) {
        snprintf(name, sizeof name, "map[%zu].track", i);
        snprintf(v, sizeof v, "%u", (unsigned)cfg->map[i].track);
        return ha__error_invalid(err, HA_CATEGORY_IO, name, v,
                                 "track %u appears twice (also map[%zu])",
                                 (unsigned)cfg->map[i].track, j);
      }
    }
  }
  return HA_OK;
}

/* ---------------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------------- */

ha_status ha_output_dialect_parse(const char *s, ha_output_dialect *out, ha_error *err) {
  if (s != NULL && strcmp(s, "holophonix") == 0) {
    *out = HA_DIALECT_HOLOPHONIX;
    return HA_OK;
  }
  if (s != NULL &&
      (strcmp(s, "adm") == 0 || strcmp(s, "adm-osc") == 0 || strcmp(s, "adm_osc") == 0)) {
    *out = HA_DIALECT_ADM_OSC;
    return HA_OK;
  }
  return ha__error_invalid(err, HA_CATEGORY_IO, "dialect", s ? s : "",
                           "'%s' is not one of holophonix, adm", s ? s : "");
}

ha_status ha_output_coords_parse(const char *s, ha_output_coords *out, ha_error *err) {
  if (s != NULL && strcmp(s, "xyz") == 0) {
    *out = HA_COORDS_XYZ;
    return HA_OK;
  }
  if (s != NULL && strcmp(s, "aed") == 0) {
    *out = HA_COORDS_AED;
    return HA_OK;
  }
  return ha__error_invalid(err, HA_CATEGORY_IO, "coords", s ? s : "", "'%s' is not one of xyz, aed",
                           s ? s : "");
}

int ha_output_port_or_default(int port, ha_output_dialect d) {
  if (port != 0) {
    return port;
  }
  return d == HA_DIALECT_ADM_OSC ? HA_OUTPUT_PORT_ADM_DEFAULT : HA_OUTPUT_PORT_DEFAULT;
}

const char *ha_output_dialect_name(ha_output_dialect d) {
  switch (d) {
  case HA_DIALECT_HOLOPHONIX: return "holophonix";
  case HA_DIALECT_ADM_OSC: return "adm";
  }
  return "unknown";
}

const char *ha_output_coords_name(ha_output_coords c) {
  switch (c) {
  case HA_COORDS_XYZ: return "xyz";
  case HA_COORDS_AED: return "aed";
  }
  return "unknown";
}

/* ---------------------------------------------------------------------------
 * Create / destroy
 * ------------------------------------------------------------------------- */

static ha_status no_memory(ha_error *err) {
  ha__error_exhausted(err, HA_CATEGORY_IO, "memory", 0);
  if (err != NULL) {
    err->status = HA_ENOMEM;
  }
  return HA_ENOMEM;
}

static int cmp_map(const void *a, const void *b) {
  uint32_t x = ((const ha_output_map_entry *)a)->track;
  uint32_t y = ((const ha_output_map_entry *)b)->track;
  return (x > y) - (x < y);
}

static int cmp_gain(const void *a, const void *b) {
  uint32_t x = ((const ha_output_gain *)a)->track;
  uint32_t y = ((const ha_output_gain *)b)->track;
  return (x > y) - (x < y);
}

void ha_output_destroy(ha_output *o) {
  if (o == NULL) {
    return;
  }
  if (o->fd >= 0) {
    close(o->fd);
  }
  free(o->map);
  free(o->gains);
  free((void *)o->keys);
  free(o->slots);
  free(o->hint);
  free(o->buf);
  free(o->msgs);
  free(o->iov);
  free(o->pend);
  free(o->dg_first);
  free(o);
}

ha_status ha_output_create(const ha_output_config *cfg, size_t max_tracks, ha_output **out,
                           ha_error *err) {
  if (out == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_IO, "out", "NULL", "no place for the output");
  }
  *out = NULL;
  ha_status st = ha_output_config_validate(cfg, err);
  if (st != HA_OK) {
    return st;
  }
  if (max_tracks < 1 || max_tracks > HA_OUTPUT_MAX_TRACKS) {
    return ha__error_bounds(err, HA_CATEGORY_IO, "max_tracks", (double)max_tracks, 1,
                            HA_OUTPUT_MAX_TRACKS);
  }
  ha__sockaddr dest;
  int port = ha_output_port_or_default(cfg->port, cfg->dialect);
  st = ha__net_resolve(cfg->host, port, false, "host", &dest, err);
  if (st != HA_OK) {
    return st;
  }

  ha_output *o = calloc(1, sizeof *o);
  if (o == NULL) {
    return no_memory(err);
  }
  o->fd = -1;
  o->cfg = *cfg;
  o->cfg.port = port;
  memcpy(o->host, cfg->host, strlen(cfg->host) + 1);
  o->cfg.host = o->host;
  ha__net_format(&dest, o->dest, sizeof o->dest);
  o->max_tracks = max_tracks;

  size_t table = 1;
  while (table < 2 * max_tracks) {
    table <<= 1;
  }
  o->table_mask = table - 1;
  /* Unbundled: one datagram per message. Bundled: at most one message per
   * datagram too (bundle_max_messages 1), plus a 16-byte header each. A gain
   * goes before its position: its own datagram, or in the same bundle. */
  const bool gains = cfg->gains_len > 0;
  o->max_dgrams = gains ? 2 * max_tracks : max_tracks;
  o->buf_cap = max_tracks * (MSG_MAX + 4 + 16 + (gains ? GAIN_MSG_MAX + 4 : 0)) + 64;
  if (gains) {
    o->gains = malloc(cfg->gains_len * sizeof *o->gains);
  }
  if (cfg->map_len > 0) {
    o->map = malloc(cfg->map_len * sizeof *o->map);
  }
  o->keys = calloc(table, sizeof *o->keys);
  o->slots = calloc(max_tracks, sizeof *o->slots);
  o->hint = calloc(max_tracks, sizeof *o->hint);
  o->buf = calloc(o->buf_cap, 1);
  o->msgs = calloc(o->max_dgrams, sizeof *o->msgs);
  o->iov = calloc(o->max_dgrams, sizeof *o->iov);
  o->pend = calloc(max_tracks, sizeof *o->pend);
  o->dg_first = calloc(o->max_dgrams + 1, sizeof *o->dg_first);
  if ((cfg->map_len > 0 && o->map == NULL) || (gains && o->gains == NULL) || o->keys == NULL ||
      o->slots == NULL || o->hint == NULL || o->buf == NULL || o->msgs == NULL || o->iov == NULL ||
      o->pend == NULL || o->dg_first == NULL) {
    ha_output_destroy(o);
    return no_memory(err);
  }
  if (cfg->map_len > 0) {
    memcpy(o->map, cfg->map, cfg->map_len * sizeof *o->map);
    qsort(o->map, cfg->map_len, sizeof *o->map, cmp_map);
  }
  o->cfg.map = o->map;
  if (gains) {
    memcpy(o->gains, cfg->gains, cfg->gains_len * sizeof *o->gains);
    qsort(o->gains, cfg->gains_len, sizeof *o->gains, cmp_gain);
    for (size_t i = 1; i < cfg->gains_len; i++) {
      if (o->gains[i].track == o->gains[i - 1].track) {
        char v[16];
        snprintf(v, sizeof v, "%u", (unsigned)o->gains[i].track);
        ha_output_destroy(o);
        return ha__error_invalid(err, HA_CATEGORY_IO, "gains", v, "track %s appears twice", v);
      }
    }
  }
  o->cfg.gains = o->gains;
  for (size_t d = 0; d < o->max_dgrams; d++) {
    o->msgs[d].msg_hdr.msg_iov = &o->iov[d];
    o->msgs[d].msg_hdr.msg_iovlen = 1;
  }

  o->adm = cfg->dialect == HA_DIALECT_ADM_OSC;
  (void)ha__net_key(&dest, o->dev_addr);
  o->dev_port = ha__net_port(&dest);
  o->aed = cfg->coords == HA_COORDS_AED;
  o->prefix = o->adm ? "/adm/obj/" : "/track/";
  o->suffix = o->aed ? "/aed" : "/xyz";
  o->prefix_len = strlen(o->prefix);
  o->suffix_len = strlen(o->suffix);
  /* ADM's azimuth is counter-clockwise by definition. */
  o->sign = o->adm ? HA_AZIMUTH_COUNTERCLOCKWISE : cfg->azimuth_sign;
  double m = o->adm ? cfg->deadband_m / cfg->adm_scale : cfg->deadband_m;
  if (o->aed) {
    o->thr[0] = cfg->deadband_deg;
    o->thr[1] = cfg->deadband_deg;
    o->thr[2] = m;
  } else {
    o->thr[0] = o->thr[1] = o->thr[2] = m;
  }
  double period = 1.0 / cfg->rate_hz;
  o->slack = period * 0.25 < 0.002 ? period * 0.25 : 0.002;

  atomic_init(&o->c.last_errno, 0);
  ha__atomic_u64 *ctrs[] = {&o->c.ticks,           &o->c.rate_skips,      &o->c.messages,
                            &o->c.datagrams,       &o->c.bytes,           &o->c.syscalls,
                            &o->c.deadband_skips,  &o->c.keepalive_sends, &o->c.nonfinite,
                            &o->c.unmapped,        &o->c.untracked,       &o->c.err_refused,
                            &o->c.err_unreachable, &o->c.err_again,       &o->c.err_other,
                            &o->c.short_sends,     &o->c.unsent};
  for (size_t i = 0; i < HA__COUNTOF(ctrs); i++) {
    atomic_init(ctrs[i], 0);
  }

  int fd = ha__net_udp_socket(dest.ss.ss_family, true, err);
  if (fd < 0) {
    ha_output_destroy(o);
    return (ha_status)fd;
  }
  o->fd = fd;
  /* Connected: the kernel skips the per-send route lookup and reports ICMP
   * errors (ECONNREFUSED) on this socket. */
  if (connect(fd, (const struct sockaddr *)&dest.ss, dest.len) != 0) {
    int e = errno;
    char what[128];
    snprintf(what, sizeof what, "connect %s", o->dest);
    ha_output_destroy(o);
    return ha__error_io(err, what, e);
  }
  /* Room for a full tick in the send queue (best effort). */
  size_t want = max_tracks * 256u;
  ha__net_grow_buffer(fd, SO_SNDBUF, want > (4u << 20) ? (int)(4u << 20) : (int)want);
  *out = o;
  return HA_OK;
}

/* ---------------------------------------------------------------------------
 * Track table
 * ------------------------------------------------------------------------- */

static inline size_t hash_id(uint32_t id, size_t mask) {
  return (size_t)((id * 0x9E3779B1u) ^ (id >> 16)) & mask;
}

static bool map_lookup(const ha_output *o, uint32_t id, uint32_t *index) {
  size_t lo = 0, hi = o->cfg.map_len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (o->map[mid].track < id) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < o->cfg.map_len && o->map[lo].track == id) {
    *index = o->map[lo].index;
    return true;
  }
  return false;
}

/* The gain of track `id` (binary search of the sorted copy). */
static bool gain_lookup(const ha_output *o, uint32_t id, double *db) {
  size_t lo = 0, hi = o->cfg.gains_len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (o->gains[mid].track < id) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < o->cfg.gains_len && o->gains[lo].track == id) {
    *db = o->gains[lo].db;
    return true;
  }
  return false;
}

bool ha_output_map_id(const ha_output *o, uint32_t id, uint32_t *index) {
  uint32_t idx = id;
  bool found = o != NULL && map_lookup(o, id, &idx);
  if (o == NULL || (!found && o->cfg.map_only)) {
    return false;
  }
  if (index != NULL) {
    *index = idx;
  }
  return true;
}

void ha_output_device_address(const ha_output *o, uint8_t addr[16], uint16_t *port) {
  memcpy(addr, o->dev_addr, 16);
  if (port != NULL) {
    *port = o->dev_port;
  }
}

bool ha_output_track_of(const ha_output *o, uint32_t index, uint32_t *id) {
  /* The map is sorted by track, not by index: a linear scan (echoes are
   * decoded on the control thread, maps are short). */
  bool index_taken = false;
  for (size_t i = 0; i < o->cfg.map_len; i++) {
    if (o->map[i].index == index) {
      *id = o->map[i].track;
      return true;
    }
    index_taken = index_taken || o->map[i].track == index;
  }
  /* Unmapped tracks go out under their own id, unless that id is mapped
   * elsewhere (then `index` on the wire is not it) or only mapped ones go. */
  if (o->cfg.map_only || index_taken) {
    return false;
  }
  *id = index;
  return true;
}

ha_vec3 ha_output_echo_position(const ha_output *o, bool adm, bool aed, const double v[3]) {
  double scale = adm ? o->cfg.adm_scale : 1.0;
  if (!aed) {
    return ha_vec3_make(v[0] * scale, v[1] * scale, v[2] * scale);
  }
  /* ADM-OSC counts azimuth counterclockwise whatever the output says. */
  ha_azimuth_sign sign = adm ? HA_AZIMUTH_COUNTERCLOCKWISE : o->cfg.azimuth_sign;
  return ha_aed_to_xyz(ha_vec3_make(v[0], v[1], v[2] * scale), sign);
}

/* The dense slot of `id`, inserted on first sight; SIZE_MAX when max_tracks
 * ids are known already. Sending thread only. */
static size_t slot_of(ha_output *o, uint32_t id, size_t call_index) {
  uint32_t h = o->hint[call_index];
  if (h != 0 && o->slots[h - 1].id == id) {
    return h - 1;
  }
  size_t pos = hash_id(id, o->table_mask);
  size_t dense;
  for (;;) {
    uint64_t k = o->keys[pos];
    if (k != 0 && (uint32_t)k == id) {
      dense = (size_t)(k >> 32) - 1;
      break;
    }
    if (k == 0) {
      if (o->tracked >= o->max_tracks) {
        return SIZE_MAX;
      }
      dense = o->tracked++;
      slot *s = &o->slots[dense];
      uint32_t idx = id;
      bool in_map = map_lookup(o, id, &idx);
      s->id = id;
      s->index = idx;
      s->mapped = in_map || !o->cfg.map_only;
      s->sent = false;
      double db = 0.0;
      s->has_gain = gain_lookup(o, id, &db);
      s->gain_sent = false;
      /* ADM-OSC's gain is linear, Holophonix's is in dB. */
      s->gain_wire = (float)(o->adm ? pow(10.0, db / 20.0) : db);
      /* The address once, via the codec (no snprintf on the tick). */
      uint8_t tmp[MSG_MAX];
      int len = ha_osc_encode_track_fff(tmp, sizeof tmp, o->prefix, idx, o->suffix, 0, 0, 0);
      s->addr_pad = (uint8_t)(len - 20);
      memset(s->addr, 0, sizeof s->addr);
      memcpy(s->addr, tmp, s->addr_pad);
      o->keys[pos] = (uint64_t)(dense + 1) << 32 | id;
      break;
    }
    pos = (pos + 1) & o->table_mask;
  }
  o->hint[call_index] = (uint32_t)(dense + 1);
  return dense;
}

/* ---------------------------------------------------------------------------
 * The tick
 * ------------------------------------------------------------------------- */

static inline double clampd(double v, double lo, double hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

/* Wire values of a position for this output's dialect. */
static inline void to_wire(const ha_output *o, double x, double y, double z, double w[3]) {
  if (!o->aed) {
    w[0] = x;
    w[1] = y;
    w[2] = z;
    if (o->adm) {
      /* Outside the normalised cube the whole vector shrinks until its
       * largest component is 1: the direction survives (an xyz receiver
       * and an aed one agree), only the distance saturates. Clamping each
       * axis would pull every far source towards a corner of the cube. */
      double s = o->cfg.adm_scale;
      w[0] = x / s;
      w[1] = y / s;
      w[2] = z / s;
      double m = fmax(fabs(w[0]), fmax(fabs(w[1]), fabs(w[2])));
      if (m > 1.0) {
        w[0] /= m;
        w[1] /= m;
        w[2] /= m;
      }
    }
    return;
  }
  ha_vec3 aed = ha_xyz_to_aed(ha_vec3_make(x, y, z), o->sign);
  /* + 0.0 folds atan2's −0 (e.g. straight up) into +0 on the wire. */
  w[0] = aed.x + 0.0;
  w[1] = aed.y + 0.0;
  w[2] = o->adm ? clampd(aed.z / o->cfg.adm_scale, 0.0, 1.0) : aed.z;
}

/* True when `w` differs from the last sent values beyond the dead-band. */
static inline bool moved_beyond_deadband(const ha_output *o, const slot *s, const double w[3]) {
  double d0 = o->aed ? fabs(ha_angle_diff_deg(s->wire[0], w[0])) : fabs(w[0] - s->wire[0]);
  return d0 > o->thr[0] || fabs(w[1] - s->wire[1]) > o->thr[1] ||
         fabs(w[2] - s->wire[2]) > o->thr[2];
}

/* `{prefix}{index}/gain ,f g` at p (room for GAIN_MSG_MAX bytes). Returns
 * its size. */
static size_t encode_gain(const ha_output *o, const slot *s, uint32_t index, uint8_t *p) {
  size_t n = o->prefix_len, d = ha__decimal_digits(index);
  size_t pad = ha__pad4(n + d + 5 + 1);
  memset(p, 0, pad);
  memcpy(p, o->prefix, n);
  for (size_t k = d; k > 0; k--) {
    p[n + k - 1] = (uint8_t)('0' + index % 10u);
    index /= 10u;
  }
  memcpy(p + n + d, "/gain", 5);
  memcpy(p + pad, ",f\0\0", 4);
  ha__put_be_f32(p + pad + 4, s->gain_wire);
  return pad + 8;
}

/* Whether a gain goes with this tracked position: the first time, then at
 * the keep-alive period (a restarted device gets it back). */
static inline bool gain_due(const ha_output *o, const slot *s, double now) {
  if (s == NULL || !s->has_gain) {
    return false;
  }
  double keep = o->cfg.keep_alive_s;
  return !s->gain_sent || now < s->gain_last || (keep > 0.0 && now - s->gain_last >= keep);
}

/* ",fff" and its padding. */
static const uint8_t FFF_TAGS[8] = {',', 'f', 'f', 'f', 0, 0, 0, 0};

/* One `,fff` message at p (room for MSG_MAX bytes guaranteed by the buffer
 * sizing): from the slot's cached address, or formatted for an untracked id.
 * Returns its size. */
static inline int encode_fff(const ha_output *o, const slot *s, uint32_t index, uint8_t *p,
                             const double w[3]) {
  if (s == NULL) {
    return ha_osc_encode_track_fff(p, MSG_MAX, o->prefix, index, o->suffix, (float)w[0],
                                   (float)w[1], (float)w[2]);
  }
  /* A fixed 24-byte copy: the bytes past addr_pad are overwritten by the
   * tags just after. */
  memcpy(p, s->addr, sizeof s->addr);
  size_t a = s->addr_pad;
  memcpy(p + a, FFF_TAGS, sizeof FFF_TAGS);
  ha__put_be_f32(p + a + 8, (float)w[0]);
  ha__put_be_f32(p + a + 12, (float)w[1]);
  ha__put_be_f32(p + a + 16, (float)w[2]);
  return (int)a + 20;
}

static uint64_t bundle_timetag(const ha_output *o) {
  if (!(o->cfg.lookahead_ms > 0.0)) {
    return HA_OSC_TIMETAG_IMMEDIATE;
  }
  struct timespec ts;
  /* CLOCK_REALTIME through the vDSO: no syscall. OSC time tags are wall
   * clock (NTP), unlike `now`. */
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
    return HA_OSC_TIMETAG_IMMEDIATE;
  }
  long long ns = (long long)ts.tv_nsec + (long long)llround(o->cfg.lookahead_ms * 1e6);
  ts.tv_sec += (time_t)(ns / 1000000000LL);
  ts.tv_nsec = (long)(ns % 1000000000LL);
  return ha_osc_timetag_from_timespec(&ts);
}

/* What one due call did, step by step (encode, transmit, commit). */
typedef struct output_pass {
  size_t npend; /* positions encoded (pend) */
  size_t ndg;   /* datagrams built (iov, dg_first) */
  size_t done;  /* datagrams the kernel took */
  bool failed;  /* a send failed or stopped short: retry next call */
  uint64_t nonfinite, unmapped, untracked, skips, keepalives, syscalls, errors;
} output_pass;

/* Count a failed send by kind (ha_output_stats) and in the pass. */
static void output_count_error(ha_output *o, output_pass *pass, int e) {
  switch (e) {
  case ECONNREFUSED: ha__add_single_writer_relaxed_u64(&o->c.err_refused, 1); break;
  case EHOSTUNREACH:
  case ENETUNREACH:
  case EHOSTDOWN:
  case ENETDOWN: ha__add_single_writer_relaxed_u64(&o->c.err_unreachable, 1); break;
#if EWOULDBLOCK != EAGAIN
  case EWOULDBLOCK:
#endif
  case EAGAIN:
  case ENOBUFS:
  case EINTR: ha__add_single_writer_relaxed_u64(&o->c.err_again, 1); break;
  default: ha__add_single_writer_relaxed_u64(&o->c.err_other, 1); break;
  }
  pass->errors++;
  /* Relaxed: a diagnostic value, no ordering needed (see Counters). */
  ha__store_relaxed_int(&o->c.last_errno, e);
}

/* The rate divider: whether this call sends (a flush always does). */
static bool output_due(ha_output *o, double now, bool force) {
  if (!force && o->started && now + o->slack < o->next_due) {
    if (o->next_due - now <= 1.0 / o->cfg.rate_hz + o->slack) {
      ha__add_single_writer_relaxed_u64(&o->c.rate_skips, 1);
      return false;
    }
    /* `now` went back by more than a period (a clock restarted by the
     * caller): start a new schedule rather than stall until it catches up. */
    o->started = false;
  }
  return true;
}

/* One tracked `,fff` message at p from the slot's cached address (room for
 * MSG_MAX bytes guaranteed by the buffer sizing). Returns its size. */
static inline size_t encode_fff_slot(const slot *s, uint8_t *p, const double w[3]) {
  /* A fixed 24-byte copy: the bytes past addr_pad are overwritten by the
   * tags just after. */
  memcpy(p, s->addr, sizeof s->addr);
  size_t a = s->addr_pad;
  memcpy(p + a, FFF_TAGS, sizeof FFF_TAGS);
  ha__put_be_f32(p + a + 8, (float)w[0]);
  ha__put_be_f32(p + a + 12, (float)w[1]);
  ha__put_be_f32(p + a + 16, (float)w[2]);
  return a + 20;
}

/* Whether a tracked position goes out (the dead-band and the keep-alive);
 * *keepalive tells that only the keep-alive sends it. */
static inline bool output_wanted(const ha_output *o, const slot *s, const double w[3], double now,
                                 bool *keepalive) {
  *keepalive = false;
  if (!s->sent || moved_beyond_deadband(o, s, w)) {
    return true;
  }
  double keep = o->cfg.keep_alive_s;
  *keepalive = keep > 0.0 && (now - s->last >= keep || now < s->last);
  return *keepalive;
}

/* Walk the positions once: skip what must not or need not go, encode the
 * rest into buf (datagrams in iov, their positions pending).
 *
 * Every array and flag the loop uses is read out of `o` into a local once:
 * the messages are written byte by byte, and a char store may alias any
 * memory the compiler cannot prove private, so a field read through `o`
 * inside the loop was reloaded after every store (with the bookkeeping that
 * came with it, ~30 ns a position, against ~5 of real work). */
static void output_encode(ha_output *o, double now, size_t n, const uint32_t *ids, const double *x,
                          const double *y, const double *z, bool force, output_pass *pass) {
  uint8_t *const buf = o->buf;
  slot *const slots = o->slots;
  const uint32_t *const hint = o->hint;
  struct iovec *const iov = o->iov;
  size_t *const dg_first = o->dg_first;
  undo *const pend = o->pend;
  const bool bundle = o->cfg.bundle, gains = o->cfg.gains_len > 0;
  const bool plain = !o->aed && !o->adm; /* wire values = the position */
  const size_t max_dg = o->cfg.max_datagram, bmax = o->cfg.bundle_max_messages;
  const uint64_t tt = bundle ? bundle_timetag(o) : 0;
  uint64_t nonfinite = 0, unmapped = 0, untracked = 0, skips = 0, keepalives = 0;
  size_t npend = 0, ndg = 0, pos = 0, dg_start = 0, in_dg = 0;

  for (size_t i = 0; i < n; i++) {
    double w[3] = {x[i], y[i], z[i]};
    if (!isfinite(w[0]) || !isfinite(w[1]) || !isfinite(w[2])) {
      nonfinite++;
      continue;
    }
    uint32_t id = ids[i], h = hint[i], index = id;
    size_t si = h != 0 && slots[h - 1].id == id ? h - 1 : slot_of(o, id, i);
    slot *s = si != SIZE_MAX ? &slots[si] : NULL;
    if (s != NULL) {
      if (!s->mapped) {
        unmapped++;
        continue;
      }
      index = s->index;
    } else {
      untracked++;
      if (!ha_output_map_id(o, id, &index)) {
        unmapped++;
        continue;
      }
    }
    if (!plain) {
      to_wire(o, w[0], w[1], w[2], w);
    }
    bool keepalive = false;
    if (!force && s != NULL && !output_wanted(o, s, w, now, &keepalive)) {
      skips++;
      continue;
    }
    keepalives += keepalive;

    const bool gain = gains && gain_due(o, s, now);
    if (bundle) {
      size_t msize =
          s != NULL ? (size_t)s->addr_pad + 20
                    : ha__pad4(o->prefix_len + ha__decimal_digits(index) + o->suffix_len + 1) + 20;
      size_t need = 4 + msize + (gain ? 4 + GAIN_MSG_MAX : 0);
      if (in_dg > 0 && (pos - dg_start + need > max_dg || (bmax > 0 && in_dg >= bmax))) {
        iov[ndg].iov_base = buf + dg_start;
        iov[ndg].iov_len = pos - dg_start;
        ndg++;
        in_dg = 0;
      }
      if (in_dg == 0) {
        dg_start = pos;
        memcpy(buf + pos, "#bundle", 8);
        ha__put_be64(buf + pos + 8, tt);
        pos += 16;
        dg_first[ndg] = npend;
      }
      if (gain) {
        size_t g = encode_gain(o, s, index, buf + pos + 4);
        ha__put_be32(buf + pos, (uint32_t)g);
        pos += 4 + g;
      }
      size_t r = s != NULL ? encode_fff_slot(s, buf + pos + 4, w)
                           : (size_t)encode_fff(o, NULL, index, buf + pos + 4, w);
      ha__put_be32(buf + pos, (uint32_t)r);
      pos += 4 + r;
      in_dg++;
    } else {
      if (gain) {
        size_t g = encode_gain(o, s, index, buf + pos);
        iov[ndg].iov_base = buf + pos;
        iov[ndg].iov_len = g;
        dg_first[ndg] = npend;
        ndg++;
        pos += g;
      }
      size_t r = s != NULL ? encode_fff_slot(s, buf + pos, w)
                           : (size_t)encode_fff(o, NULL, index, buf + pos, w);
      iov[ndg].iov_base = buf + pos;
      iov[ndg].iov_len = r;
      dg_first[ndg] = npend;
      ndg++;
      pos += r;
    }
    undo *u = &pend[npend++];
    u->slot = UINT32_MAX;
    if (s != NULL) {
      /* Sent, until the commit says otherwise. */
      u->slot = (uint32_t)si;
      memcpy(u->wire, s->wire, sizeof u->wire);
      u->last = s->last;
      u->sent = s->sent;
      memcpy(s->wire, w, sizeof s->wire);
      s->last = now;
      s->sent = true;
      u->gain = gain;
      if (gain) {
        u->gain_sent = s->gain_sent;
        u->gain_last = s->gain_last;
        s->gain_sent = true;
        s->gain_last = now;
      }
    }
  }
  if (bundle && in_dg > 0) {
    iov[ndg].iov_base = buf + dg_start;
    iov[ndg].iov_len = pos - dg_start;
    ndg++;
  }
  dg_first[ndg] = npend;
  pass->npend = npend;
  pass->ndg = ndg;
  pass->nonfinite = nonfinite;
  pass->unmapped = unmapped;
  pass->untracked = untracked;
  pass->skips = skips;
  pass->keepalives = keepalives;
}

/* Send the datagrams: one sendmmsg (per MMSG_MAX datagrams); stop at the
 * first failure or short send. */
static void output_transmit(ha_output *o, output_pass *pass) {
  size_t done = 0;
  while (done < pass->ndg) {
    size_t batch = pass->ndg - done < MMSG_MAX ? pass->ndg - done : MMSG_MAX;
    int r = sendmmsg(o->fd, o->msgs + done, (unsigned int)batch, 0);
    pass->syscalls++;
    if (r < 0) {
      output_count_error(o, pass, errno);
      pass->failed = true;
      break;
    }
    done += (size_t)r;
    if ((size_t)r < batch) {
      /* The kernel stopped early (an error after some datagrams, whose errno
       * it drops): retry the rest next tick. */
      ha__add_single_writer_relaxed_u64(&o->c.short_sends, 1);
      pass->errors++;
      pass->failed = true;
      break;
    }
  }
  pass->done = done;
}

/* The encode marked every position it encoded as sent (dead-band reference,
 * keep-alive clock) while its slot was in cache; here the positions of the
 * datagrams the kernel did not take get their slot's state back, newest
 * first (an id twice in one call restores the oldest state last). Then the
 * pass goes to the counters and the caller's report. Returns the messages
 * that left. A second walk over every sent position's slot to commit it
 * cost more than the encoding itself at 10,000 tracks. */
static size_t output_commit(ha_output *o, const output_pass *pass, ha_output_report *report) {
  size_t sent_msgs = o->dg_first[pass->done];
  uint64_t bytes = 0;
  for (size_t d = 0; d < pass->done; d++) {
    bytes += o->iov[d].iov_len;
  }
  for (size_t k = pass->npend; k > sent_msgs; k--) {
    const undo *u = &o->pend[k - 1];
    if (u->slot == UINT32_MAX) {
      continue;
    }
    slot *s = &o->slots[u->slot];
    memcpy(s->wire, u->wire, sizeof s->wire);
    s->last = u->last;
    s->sent = u->sent;
    if (u->gain) {
      s->gain_sent = u->gain_sent;
      s->gain_last = u->gain_last;
    }
  }
  ha__add_single_writer_relaxed_u64(&o->c.ticks, 1);
  ha__add_single_writer_relaxed_u64(&o->c.messages, sent_msgs);
  ha__add_single_writer_relaxed_u64(&o->c.datagrams, pass->done);
  ha__add_single_writer_relaxed_u64(&o->c.bytes, bytes);
  ha__add_single_writer_relaxed_u64(&o->c.syscalls, pass->syscalls);
  ha__add_single_writer_relaxed_u64(&o->c.unsent, pass->npend - sent_msgs);
  ha__add_single_writer_relaxed_u64(&o->c.deadband_skips, pass->skips);
  ha__add_single_writer_relaxed_u64(&o->c.keepalive_sends, pass->keepalives);
  ha__add_single_writer_relaxed_u64(&o->c.nonfinite, pass->nonfinite);
  ha__add_single_writer_relaxed_u64(&o->c.unmapped, pass->unmapped);
  ha__add_single_writer_relaxed_u64(&o->c.untracked, pass->untracked);
  if (report != NULL) {
    report->messages = sent_msgs;
    report->datagrams = pass->done;
    report->bytes = bytes;
    report->send_errors = pass->errors;
    report->unsent = pass->npend - sent_msgs;
  }
  return sent_msgs;
}

/* Next deadline: the first start + k / rate after now (missed ones are
 * skipped, not sent in a burst). */
static void output_schedule(ha_output *o, double now) {
  if (!o->started) {
    o->started = true;
    o->start = now;
  }
  double k = floor((now - o->start + o->slack) * o->cfg.rate_hz) + 1.0;
  o->next_due = o->start + k / o->cfg.rate_hz;
}

/* ha_output_send (force false) and ha_output_flush (force true). */
static int output_send_positions(ha_output *o, double now, size_t n, const uint32_t *ids,
                                 const double *x, const double *y, const double *z, bool force,
                                 ha_output_report *report) {
  if (report != NULL) {
    memset(report, 0, sizeof *report);
  }
  if (o == NULL || (n > 0 && (ids == NULL || x == NULL || y == NULL || z == NULL)) ||
      n > o->max_tracks || !isfinite(now)) {
    return HA_EINVAL;
  }
  if (!output_due(o, now, force)) {
    return 0;
  }
  output_pass pass;
  memset(&pass, 0, sizeof pass);
  output_encode(o, now, n, ids, x, y, z, force, &pass);
  output_transmit(o, &pass);
  size_t sent = output_commit(o, &pass, report);
  if (!force && !pass.failed) {
    output_schedule(o, now);
  }
  return (int)sent;
}

int ha_output_send(ha_output *o, double now, size_t n, const uint32_t *ids, const double *x,
                   const double *y, const double *z, ha_output_report *report) {
  return output_send_positions(o, now, n, ids, x, y, z, false, report);
}

int ha_output_flush(ha_output *o, double now, size_t n, const uint32_t *ids, const double *x,
                    const double *y, const double *z, ha_output_report *report) {
  return output_send_positions(o, now, n, ids, x, y, z, true, report);
}

ha_status ha_output_get_stats(const ha_output *o, ha_output_stats *st) {
  if (o == NULL || st == NULL) {
    return HA_EINVAL;
  }
  st->ticks = ha__load_relaxed_u64(&o->c.ticks);
  st->rate_skips = ha__load_relaxed_u64(&o->c.rate_skips);
  st->messages = ha__load_relaxed_u64(&o->c.messages);
  st->datagrams = ha__load_relaxed_u64(&o->c.datagrams);
  st->bytes = ha__load_relaxed_u64(&o->c.bytes);
  st->syscalls = ha__load_relaxed_u64(&o->c.syscalls);
  st->deadband_skips = ha__load_relaxed_u64(&o->c.deadband_skips);
  st->keepalive_sends = ha__load_relaxed_u64(&o->c.keepalive_sends);
  st->nonfinite = ha__load_relaxed_u64(&o->c.nonfinite);
  st->unmapped = ha__load_relaxed_u64(&o->c.unmapped);
  st->untracked = ha__load_relaxed_u64(&o->c.untracked);
  st->err_refused = ha__load_relaxed_u64(&o->c.err_refused);
  st->err_unreachable = ha__load_relaxed_u64(&o->c.err_unreachable);
  st->err_again = ha__load_relaxed_u64(&o->c.err_again);
  st->err_other = ha__load_relaxed_u64(&o->c.err_other);
  st->short_sends = ha__load_relaxed_u64(&o->c.short_sends);
  st->unsent = ha__load_relaxed_u64(&o->c.unsent);
  /* Relaxed: a diagnostic value (see Counters). */
  st->last_errno = ha__load_relaxed_int(&o->c.last_errno);
  return HA_OK;
}

const char *ha_output_destination(const ha_output *o) {
  return o != NULL ? o->dest : "";
}
