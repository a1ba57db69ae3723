/* Outputs: dialect, dead-band, rate divider, encoding and one sendmmsg.
 *
 * Design. Everything a tick needs is allocated by ha_output_create for
 * `max_tracks`: the packet buffer, the mmsghdr/iovec arrays, a per-track state
 * table with each track's message template, and per datagram the positions
 * and the call index it starts at. A tick walks the
 * positions once: non-finite → counted and skipped; track state found; wire
 * values computed (metres, degrees, or ADM-normalised); dead-band and
 * keep-alive decide; the message is encoded straight into the buffer (its own
 * datagram, or appended to the current bundle) from the track's address,
 * formatted once when the track was first seen. Then one sendmmsg sends every
 * datagram. The encode marks every position it encodes as sent; if the kernel
 * did not take them all (ECONNREFUSED / EAGAIN), the tracks of the datagrams
 * from the first one left on are marked not sent: the output stays due, and
 * the next tick sends them again even if they no longer move. Each call reports what it did
 * (ha_output_report: messages, bytes, errors) so the player adds those instead of diffing the
 * cumulative counters of every output every tick; the counters stay for ha_output_get_stats.
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
 * The common case (a known track, mapped, no gain, not AED, sent before,
 * finite) runs in loops of their own (output_send.c), the bundled one with
 * its state in registers: one compare of the slot's key (id · 4 + flags,
 * made in one instruction) checks id and flags, the NaN guard shares the
 * dead-band's distances, a message is the track's template (size word,
 * address, type tags: fixed per track and dialect) and its last 16 bytes
 * (the type tags' 4 trailing zeros and three floats, converted and
 * byte-swapped together: one shuffle with SSSE3) in one store; a message
 * that goes where it went in the previous encode finds its template bytes
 * still in the buffer, and only its tail is written. The rare cases (a
 * track not in its call-order slot, a keep-alive, a full bundle, a moved
 * message) are out of the loop, so that its pointers stay in registers.
 * With a per-position undo log and byte-by-byte messages the encode took
 * 5.0-5.7 ns a position at 10,000 tracks; 3.4-3.6 ns with templates and
 * the SSE2 floats in the loop; 2.2-2.4 ns this way (this VM, loaded, the
 * send stubbed out, 128 to 10,000 tracks, the two builds alternating).
 *
 * Rejected: one sendto per message (a syscall each: ~4.7 µs on this VM, the
 * bottleneck); formatting "/track/N/xyz" on every send (strlen + digits: 15%
 * of the user time); publishing each track's last sent position for other
 * threads (a per-track seqlock written on every send that only tests read:
 * what left is what a receiver decodes); restoring each unsent track's
 * previous state from an undo log written for every position (48 bytes a
 * position for a rare failure: the next tick resends those tracks instead).
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
#include "output_impl.h"

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
  free(o->tmpl);
  free(o->gain_last);
  free(o->hint);
  free(o->buf);
  free(o->msgs);
  free(o->iov);
  free(o->dg_call);
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
  o->encodes = 1; /* slot.reused 0 never matches the previous encode's */
#if HA__OUTPUT_SSSE3
  o->ssse3 = __builtin_cpu_supports("ssse3");
#endif

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
  /* Slot 0 is a sentinel no key matches (hint 0: not known yet). */
  o->slots = calloc(max_tracks + 1, sizeof *o->slots);
  o->tmpl = calloc(max_tracks + 1, TMPL_SIZE);
  o->gain_last = calloc(max_tracks + 1, sizeof *o->gain_last);
  o->hint = calloc(max_tracks, sizeof *o->hint);
  o->buf = calloc(o->buf_cap, 1);
  o->msgs = calloc(o->max_dgrams, sizeof *o->msgs);
  o->iov = calloc(o->max_dgrams, sizeof *o->iov);
  o->dg_call = calloc(o->max_dgrams + 1, sizeof *o->dg_call);
  o->dg_first = calloc(o->max_dgrams + 1, sizeof *o->dg_first);
  if ((cfg->map_len > 0 && o->map == NULL) || (gains && o->gains == NULL) || o->keys == NULL ||
      o->slots == NULL || o->tmpl == NULL || o->gain_last == NULL || o->hint == NULL ||
      o->buf == NULL || o->msgs == NULL || o->iov == NULL || o->dg_call == NULL ||
      o->dg_first == NULL) {
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

void ha__output_use_ssse3(ha_output *o, bool on) {
#if HA__OUTPUT_SSSE3
  o->ssse3 = on && __builtin_cpu_supports("ssse3");
#else
  (void)o;
  (void)on;
#endif
}

size_t ha__output_slot_of(ha_output *o, uint32_t id, size_t call_index) {
  uint32_t h = o->hint[call_index];
  if (h != 0 && slot_id(&o->slots[h]) == id) {
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
      slot *s = &o->slots[dense + 1];
      uint32_t idx = id;
      bool in_map = map_lookup(o, id, &idx);
      s->index = idx;
      s->mapped = in_map || !o->cfg.map_only;
      double db = 0.0;
      s->has_gain = gain_lookup(o, id, &db);
      s->gain_sent = false;
      /* ADM-OSC's gain is linear, Holophonix's is in dB. */
      s->gain_wire = (float)(o->adm ? pow(10.0, db / 20.0) : db);
      /* The address once, via the codec (no snprintf on the tick). */
      uint8_t tmp[MSG_MAX];
      int len = ha_osc_encode_track_fff(tmp, sizeof tmp, o->prefix, idx, o->suffix, 0, 0, 0);
      s->head_len = (uint8_t)(len - 12);
      uint8_t *t = o->tmpl + (dense + 1) * TMPL_SIZE;
      memset(t, 0, TMPL_SIZE);
      ha__put_be32(t, (uint32_t)len);
      memcpy(t + 4, tmp, s->head_len);
      bool fast = s->mapped && !s->has_gain && !o->aed;
      s->key = SLOT_KEY(id) | (fast ? SLOT_FAST : 0);
      o->keys[pos] = (uint64_t)(dense + 1) << 32 | id;
      break;
    }
    pos = (pos + 1) & o->table_mask;
  }
  o->hint[call_index] = (uint32_t)(dense + 1);
  return dense;
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
