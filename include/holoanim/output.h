/* holoanim: outputs, the last step of the tick (positions → OSC → UDP).
 *
 * An output sends track positions to one destination (a Holophonix processor,
 * an ADM-OSC renderer, a devsim) in one dialect:
 *
 *   HOLOPHONIX xyz   /track/{n}/xyz   ,fff  metres
 *   HOLOPHONIX aed   /track/{n}/aed   ,fff  azimuth °, elevation °, distance m;
 *                                           azimuth sign per output
 *                                           (default clockwise, +90° = right)
 *   ADM_OSC xyz      /adm/obj/{n}/xyz ,fff  metres / adm_scale, clamped to [−1, 1]
 *   ADM_OSC aed      /adm/obj/{n}/aed ,fff  azimuth ° with + = left (ADM's sign,
 *                                           the per-output sign is ignored),
 *                                           elevation °, distance / adm_scale
 *                                           clamped to [0, 1]
 *
 * Numbers are always float32 on the wire. A show may have any number of
 * outputs, each with its own rate, dead-band, bundling and track mapping.
 *
 * Real time: ha_output_create does everything that may block or allocate
 * (getaddrinfo, socket, connect, buffers for `max_tracks`). ha_output_send and
 * ha_output_flush are tick-path calls: they never allocate, lock, print, sleep
 * or touch files, and their only syscall is sendmmsg on a non-blocking socket,
 * once per tick (once per 1024 datagrams, the kernel's per-call cap, when an
 * unbundled output has more tracks than that; bundle such outputs). A
 * destination that refuses or cannot be reached (ECONNREFUSED, EHOSTUNREACH,
 * ENETUNREACH, EAGAIN, ENOBUFS, ...) is counted and retried on the next tick;
 * positions that did not leave are not marked as sent, so the dead-band never
 * hides them.
 *
 * Thread: an output is driven by one thread (the tick). ha_output_get_stats
 * may be called from any thread at any time.
 */
#ifndef HOLOANIM_OUTPUT_H
#define HOLOANIM_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "holoanim/error.h"
#include "holoanim/math.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ha_output ha_output;

typedef enum ha_output_dialect {
  HA_DIALECT_HOLOPHONIX = 0, /* /track/{n}/... */
  HA_DIALECT_ADM_OSC = 1     /* /adm/obj/{n}/... */
} ha_output_dialect;

typedef enum ha_output_coords { HA_COORDS_XYZ = 0, HA_COORDS_AED = 1 } ha_output_coords;

/* A track's gain: show track id → dB (HA_OUTPUT_GAIN_DB_MIN..MAX). */
typedef struct ha_output_gain {
  uint32_t track;
  double db;
} ha_output_gain;

/* One entry of a track mapping: show track id → device index (≥ 1). */
typedef struct ha_output_map_entry {
  uint32_t track; /* the show's track id (the `ids` given to ha_output_send) */
  uint32_t index; /* the {n} on the wire */
} ha_output_map_entry;

#define HA_OUTPUT_PORT_DEFAULT 4003     /* Holophonix */
#define HA_OUTPUT_PORT_ADM_DEFAULT 4001 /* ADM-OSC receivers (the spec's port) */
#define HA_OUTPUT_GAIN_DB_MIN (-60.0)
#define HA_OUTPUT_GAIN_DB_MAX 12.0
#define HA_OUTPUT_RATE_MIN 1.0
#define HA_OUTPUT_RATE_MAX 1000.0
/* The largest UDP payload that fits a 1500-byte Ethernet frame (IPv4). */
#define HA_OUTPUT_DATAGRAM_DEFAULT 1472
#define HA_OUTPUT_DATAGRAM_MIN 64
#define HA_OUTPUT_DATAGRAM_MAX 65507
#define HA_OUTPUT_MAX_TRACKS 1000000

typedef struct ha_output_config {
  const char *host;             /* destination name or address (copied); default "127.0.0.1" */
  int port;                     /* 1..65535, or 0: the dialect's default port
                                   (4003 Holophonix, 4001 ADM-OSC); default 4003 */
  ha_output_dialect dialect;    /* default HA_DIALECT_HOLOPHONIX */
  ha_output_coords coords;      /* default HA_COORDS_XYZ */
  ha_azimuth_sign azimuth_sign; /* Holophonix aed only; default clockwise */
  double adm_scale;             /* ADM-OSC: metres that map to 1.0; 0.001..100000, default 10.
                                   In xyz a position beyond the normalised cube is scaled
                                   down as a whole (largest |component| = 1): its direction
                                   is kept, as an aed receiver would see it */
  const ha_output_gain *gains;  /* per-track gains (copied); NULL/0 = none sent. A listed
                                   track's gain leaves with its first position and again
                                   once per keep-alive period (a restarted device gets it
                                   back), in the same bundle or the datagram just before:
                                   /adm/obj/{n}/gain linear (10^(dB/20)), /track/{n}/gain
                                   in dB. Not counted in `messages` */
  size_t gains_len;
  double rate_hz;                 /* sends per second, 1..1000 (default 50). An output slower
                                     than the tick sends on the first tick at or after each
                                     of its own deadlines (start + k / rate); missed deadlines
                                     are skipped, never sent in a burst. A tick at most
                                     min(period / 4, 2 ms) early counts as on time, so an
                                     output at the tick's own rate loses no frame to jitter */
  double deadband_m;              /* xyz: skip a track whose every axis moved at most
                                     this much since it was last sent; aed: the distance
                                     threshold. 0..10 m, default 0.001 (1 mm) */
  double deadband_deg;            /* aed: azimuth and elevation threshold, 0..180,
                                     default 0.1° */
  double keep_alive_s;            /* resend an unchanged track at least this often;
                                     0 = never, else 0.001..3600 (default 1) */
  bool bundle;                    /* pack messages into bundles (default false: one
                                     message per datagram, all in one sendmmsg) */
  size_t max_datagram;            /* bundle size limit in bytes, 64..65507 (default 1472) */
  size_t bundle_max_messages;     /* messages per bundle, 0 = as many as fit
                                     (default 0) */
  double lookahead_ms;            /* bundle time tag = wall-clock now + lookahead (NTP);
                                     0 = "immediately" (default); 0..60000 */
  const ha_output_map_entry *map; /* show track id → device index (copied);
                                     NULL/0 = identity */
  size_t map_len;
  /* true: tracks missing from `map` are not sent (counted as `unmapped`);
   * false (default): they keep their own id. */
  bool map_only;
} ha_output_config;

/* The defaults listed above. Thread: any. */
ha_output_config ha_output_config_default(void);

/* Check every field. Errors name the field and its range, e.g.
 * "rate_hz: 2000 is above the maximum 1000" (HA_ERANGE, OutOfBounds) or
 * "map[2].track: 7 appears twice" (HA_EINVAL). Does not resolve the host.
 * Returns: HA_OK, HA_EINVAL, HA_ERANGE. Thread: any. */
ha_status ha_output_config_validate(const ha_output_config *cfg, ha_error *err);

/* Create an output: validate, resolve the host (getaddrinfo: may block),
 * open a non-blocking UDP socket connected to the destination and
 * preallocate every buffer for up to `max_tracks` positions per call (and as
 * many distinct track ids; more distinct ids are still sent, without
 * dead-band, and counted as `untracked`).
 * max_tracks: 1..HA_OUTPUT_MAX_TRACKS. out: receives the output.
 * Returns: HA_OK, HA_EINVAL / HA_ERANGE (config; unknown host), HA_EIO
 * (socket, connect), HA_ENOMEM. Thread: control (never the tick). */
ha_status ha_output_create(const ha_output_config *cfg, size_t max_tracks, ha_output **out,
                           ha_error *err);

/* Close the socket and free. NULL is a no-op. Thread: control, once the
 * sending thread no longer uses the output. */
void ha_output_destroy(ha_output *out);

/* What one ha_output_send / ha_output_flush call did, for a caller that
 * keeps its own totals (the player's metrics) instead of reading and diffing
 * every output's cumulative counters (ha_output_stats, which still count
 * everything). All zero when the call was not due or was refused. */
typedef struct ha_output_report {
  uint64_t messages;    /* OSC messages that left (the call's return value) */
  uint64_t datagrams;   /* datagrams that left */
  uint64_t bytes;       /* UDP payload bytes that left */
  uint64_t send_errors; /* failed sendmmsg calls and short sends: what this call
                           added to err_* and short_sends of ha_output_stats */
  uint64_t unsent;      /* messages encoded that did not leave (retried) */
} ha_output_report;

/* The tick-path call: send the positions of this tick.
 * now: the caller's monotonic time in seconds (drives the rate divider and
 *      keep-alive; if it jumps back by more than a period, the rate schedule
 *      restarts from it).
 * n, ids, x, y, z: n ≤ max_tracks positions in metres of the show tracks
 *      ids[i] (mapped to device indices by the config).
 * report: out, may be NULL: what this call did (ha_output_report).
 * When the output is not due (rate divider) nothing happens. Otherwise every
 * track that moved beyond the dead-band, or was not sent for keep_alive_s, is
 * encoded and everything leaves in one sendmmsg. Non-finite positions are
 * skipped and counted (NaN never reaches the wire). Send errors are counted
 * (see ha_output_stats), never returned: the unsent positions are retried on
 * the next call, which is due again.
 * Returns: the number of messages that left (≥ 0), or HA_EINVAL (NULL output,
 * NULL arrays with n > 0, n > max_tracks). Thread: the sending thread;
 * no allocation, no lock, no print. */
int ha_output_send(ha_output *out, double now, size_t n, const uint32_t *ids, const double *x,
                   const double *y, const double *z, ha_output_report *report);

/* Like ha_output_send but every finite position is sent, regardless of the
 * rate divider and the dead-band (use on stop, pause, seek, reconnect). The
 * rate schedule is not moved.
 * Returns and thread: as ha_output_send. */
int ha_output_flush(ha_output *out, double now, size_t n, const uint32_t *ids, const double *x,
                    const double *y, const double *z, ha_output_report *report);

/* Counters since creation. */
typedef struct ha_output_stats {
  uint64_t ticks;           /* send/flush calls that were due */
  uint64_t rate_skips;      /* send calls skipped by the rate divider */
  uint64_t messages;        /* OSC messages that left */
  uint64_t datagrams;       /* datagrams that left */
  uint64_t bytes;           /* UDP payload bytes that left */
  uint64_t syscalls;        /* sendmmsg calls */
  uint64_t deadband_skips;  /* positions not sent: within the dead-band */
  uint64_t keepalive_sends; /* unchanged positions resent by keep-alive */
  uint64_t nonfinite;       /* positions skipped: NaN or infinite */
  uint64_t unmapped;        /* positions skipped: not in the map (map_only) */
  uint64_t untracked;       /* positions of ids beyond max_tracks distinct ids */
  uint64_t err_refused;     /* sends failed with ECONNREFUSED */
  uint64_t err_unreachable; /* EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ENETDOWN */
  uint64_t err_again;       /* EAGAIN / EWOULDBLOCK / ENOBUFS / EINTR */
  uint64_t err_other;       /* any other errno (e.g. EMSGSIZE, EPERM) */
  uint64_t short_sends;     /* sendmmsg stopped partway; it drops the errno
                               (typically ECONNREFUSED: a closed port answers
                               the first datagram with ICMP, which fails the
                               second), so the rest waits for the next tick */
  uint64_t unsent;          /* messages that did not leave (retried) */
  int last_errno;           /* errno of the last failed send, 0 if none */
} ha_output_stats;

/* Copy the counters. Each counter is read atomically, the set is not a
 * snapshot of one instant (counters advance independently).
 * Returns: HA_OK, HA_EINVAL (NULL). Thread: any. */
ha_status ha_output_get_stats(const ha_output *out, ha_output_stats *stats);

/* The device index `id` is sent as (the mapping), and whether it is sent at
 * all (false when map_only and unmapped). Thread: any. */
bool ha_output_map_id(const ha_output *out, uint32_t id, uint32_t *index);

/* The device's resolved address as 16 bytes (IPv4 mapped ::ffff:a.b.c.d, as
 * in ha_control_echo.from) and its port (may be NULL). Thread: any. */
void ha_output_device_address(const ha_output *out, uint8_t addr[16], uint16_t *port);

/* The show track id a device index `index` on this output stands for (the
 * inverse of the mapping). False when no track is sent as `index` (map_only
 * and unmapped, or an identity index that the map gives to another track).
 * Thread: any (not the tick: a linear scan of the map). */
bool ha_output_track_of(const ha_output *out, uint32_t index, uint32_t *id);

/* A device echo's values (as received: /track/{n}/xyz|aed, or ADM-OSC's
 * /adm/obj/{n}/xyz|aed when `adm`) in metres, with this output's ADM
 * scale and azimuth sign (ADM-OSC: counterclockwise). Thread: any. */
ha_vec3 ha_output_echo_position(const ha_output *out, bool adm, bool aed, const double v[3]);

/* The destination as "host:port" (resolved numeric address). Thread: any. */
const char *ha_output_destination(const ha_output *out);

/* Parse "holophonix"|"adm" (also "adm-osc", "adm_osc") and "xyz"|"aed".
 * Returns: HA_OK, HA_EINVAL naming `what`. Thread: any. */
/* The port an output sends to: `port`, or when 0 the dialect's default
 * (HA_OUTPUT_PORT_DEFAULT, HA_OUTPUT_PORT_ADM_DEFAULT). Thread: any. */
int ha_output_port_or_default(int port, ha_output_dialect d);

ha_status ha_output_dialect_parse(const char *s, ha_output_dialect *out, ha_error *err);
ha_status ha_output_coords_parse(const char *s, ha_output_coords *out, ha_error *err);
const char *ha_output_dialect_name(ha_output_dialect d);
const char *ha_output_coords_name(ha_output_coords c);

#ifdef __cplusplus
}
#endif
#endif /* HOLOANIM_OUTPUT_H */
