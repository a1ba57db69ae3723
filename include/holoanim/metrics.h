/* holoanim: metrics (the seed's Metrics: HistogramTimer, Gauge, Counter).
 *
 * - Histograms of computation time with log-spaced buckets, 8 per decade
 *   from 1 µs to 10 s (plus one bucket above 10 s): the tick's compute time,
 *   the tick's lateness, and one per "key" (a small integer the caller
 *   chooses, e.g. a model index < HA_METRICS_MAX_KEYS). p50/p99 are
 *   estimated from the buckets (within one bucket), min and max are exact.
 * - Counters of operations (ticks, late ticks, messages, bytes, ...) and of
 *   errors by kind and category; gauges (memory bytes, ...).
 *
 * Recording is meant for the tick thread: lock-free, no allocation, no
 * system call, a few relaxed atomic additions (tens of nanoseconds). It is
 * also safe from any other thread at the same time (counts are never lost).
 * ha_metrics_snapshot copies everything for any thread; the snapshot renders
 * as JSON or as Prometheus text, and a tiny HTTP server can expose it.
 *
 *   ha_metrics *m; ha_metrics_create(&m);                       (control)
 *   ha_metrics_record_tick(m, compute_ns, lateness_ns, late);    (tick)
 *   ha_metrics_add(m, HA_COUNTER_MESSAGES, sent);                (tick)
 *   ha_metrics_snap snap; ha_metrics_snapshot(m, &snap);         (any)
 */
#ifndef HOLOANIM_METRICS_H
#define HOLOANIM_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- registries (X-macros: adding a metric is one line) -------------------
 *
 * Histograms: X(ENUM, name, help). Prometheus family holoanim_<name>_seconds,
 * JSON key <name>. */
#define HA_METRICS_HIST_MAP(X)                                   \
  X(TICK, "tick_duration", "Time to compute and send one tick.") \
  X(LATENESS, "tick_lateness", "How late each tick started after its deadline.")

/* Counters: X(ENUM, name, help). Prometheus holoanim_<name>_total. */
#define HA_METRICS_COUNTER_MAP(X)                                                           \
  X(TICKS, "ticks", "Ticks run.")                                                           \
  X(LATE_TICKS, "late_ticks", "Ticks that started after their deadline.")                   \
  X(SKIPPED_TICKS, "skipped_ticks", "Deadlines skipped after a stall.")                     \
  X(STALLS, "stalls", "Ticks that started stall_threshold periods late or more.")           \
  X(MESSAGES, "messages_sent", "OSC messages sent.")                                        \
  X(BYTES, "sent_bytes", "Bytes of OSC sent.")                                              \
  X(SEND_ERRORS, "send_errors", "Sends that failed.")                                       \
  X(CONFLICTS, "conflicts", "Tracks claimed by two animations at once.")                    \
  X(CLAMPS, "clamps", "Positions or speeds clamped into the limits.")                       \
  X(COMMANDS, "commands", "Control commands applied by the tick.")                          \
  X(COMMANDS_DROPPED, "commands_dropped", "Control commands refused (queue full).")         \
  X(CUES, "cues_fired", "Cues fired.")                                                      \
  X(NAN_GUARDS, "nan_guards", "Non-finite positions replaced before sending.")              \
  X(RECEIVED, "messages_received", "OSC messages received on the control port.")            \
  X(CONTROL_REFUSED, "control_refused", "Control packets refused: sender not allowed.")     \
  X(SYNC_SEEKS, "sync_seeks", "Seeks made to follow an external clock.")                    \
  X(ECHOES_FOREIGN, "echoes_foreign", "Device echoes from no output's device (not taken).") \
  X(MAPPED, "mapped_messages", "Inputs taken by a live-data mapping (a fader, a sensor).")

/* Gauges: X(ENUM, name, help). Prometheus holoanim_<name>. */
#define HA_METRICS_GAUGE_MAP(X)                                                       \
  X(MEMORY_BYTES, "memory_bytes", "Bytes the player allocated at setup.")             \
  X(ACTIVE_TRACKS, "active_tracks", "Tracks animated or in a transition.")            \
  X(ACTIVE_ANIMATIONS, "active_animations", "Animations driving at least one track.") \
  X(SYNC_ERROR, "sync_error_seconds", "External clock minus transport at the last message.")

typedef enum ha_metrics_hist {
#define HA__METRICS_HIST_ENUM(e, name, help) HA_HIST_##e,
  HA_METRICS_HIST_MAP(HA__METRICS_HIST_ENUM)
#undef HA__METRICS_HIST_ENUM
} ha_metrics_hist;

typedef enum ha_metrics_counter {
#define HA__METRICS_COUNTER_ENUM(e, name, help) HA_COUNTER_##e,
  HA_METRICS_COUNTER_MAP(HA__METRICS_COUNTER_ENUM)
#undef HA__METRICS_COUNTER_ENUM
} ha_metrics_counter;

typedef enum ha_metrics_gauge {
#define HA__METRICS_GAUGE_ENUM(e, name, help) HA_GAUGE_##e,
  HA_METRICS_GAUGE_MAP(HA__METRICS_GAUGE_ENUM)
#undef HA__METRICS_GAUGE_ENUM
} ha_metrics_gauge;

/* How many of each: one "+ 1" per entry of the map. */
#define HA__METRICS_PLUS_ONE(e, name, help) +1
enum {
  HA_METRICS_HIST_COUNT = 0 HA_METRICS_HIST_MAP(HA__METRICS_PLUS_ONE),
  HA_METRICS_COUNTER_COUNT = 0 HA_METRICS_COUNTER_MAP(HA__METRICS_PLUS_ONE),
  HA_METRICS_GAUGE_COUNT = 0 HA_METRICS_GAUGE_MAP(HA__METRICS_PLUS_ONE)
};

/* ---- sizes ---------------------------------------------------------------- */

/* Finite bucket bounds: 1 µs × 10^(i/8), i = 0..56 (1 µs .. 10 s, rounded to
 * whole nanoseconds), then one overflow bucket. */
#define HA_METRICS_BUCKETS 58
/* Keys for per-model histograms: 0 .. HA_METRICS_MAX_KEYS - 1. */
#define HA_METRICS_MAX_KEYS 64
/* Longest key name, NUL included. */
#define HA_METRICS_NAME_MAX 32
/* Error kinds and categories counted (follow holoanim/error.h). */
#define HA_METRICS_ERROR_KINDS ((int)HA_ERROR_INTERNAL + 1)
#define HA_METRICS_ERROR_CATEGORIES ((int)HA_CATEGORY_IO + 1)

/* Upper bound (inclusive) of bucket i in nanoseconds; UINT64_MAX for the
 * overflow bucket and beyond. Thread: any. */
uint64_t ha_metrics_bucket_bound_ns(size_t i);

/* ---- lifecycle ------------------------------------------------------------ */

typedef struct ha_metrics ha_metrics;

/* Create an empty set of metrics (all counts 0). Errors: HA_EINVAL (NULL),
 * HA_ENOMEM. Thread: control. */
ha_status ha_metrics_create(ha_metrics **out);

/* Free; NULL is a no-op. Thread: control, once no thread records, snapshots or
 * serves (stop the HTTP server first). */
void ha_metrics_destroy(ha_metrics *m);

/* Name per-model key `key` ("circular"), used as the `model` label in the
 * outputs; NULL or "" removes the name. Names longer than
 * HA_METRICS_NAME_MAX - 1 bytes are cut. Errors: HA_EINVAL (NULL m, key out
 * of range). Thread: control; takes a mutex that recording never takes. */
ha_status ha_metrics_set_key_name(ha_metrics *m, unsigned key, const char *name);

/* ---- recording: tick-safe (lock-free, no allocation, no system call) ----- */

/* One tick: records `compute_ns` in HA_HIST_TICK and `lateness_ns` in
 * HA_HIST_LATENESS, adds 1 to HA_COUNTER_TICKS and, when `late`, to
 * HA_COUNTER_LATE_TICKS. NULL m is a no-op. Thread: any (normally tick). */
void ha_metrics_record_tick(ha_metrics *m, uint64_t compute_ns, uint64_t lateness_ns, bool late);

/* Record `ns` in histogram `h`. Errors: HA_EINVAL (NULL m, h out of range;
 * nothing recorded). Thread: any. */
ha_status ha_metrics_record(ha_metrics *m, ha_metrics_hist h, uint64_t ns);

/* Record `ns` in the per-model histogram of `key` (the seed's
 * record_computation). Errors: HA_EINVAL (NULL m, key >=
 * HA_METRICS_MAX_KEYS; nothing recorded). Thread: any. */
ha_status ha_metrics_record_model(ha_metrics *m, unsigned key, uint64_t ns);

/* Add `n` to counter `c`. Errors: HA_EINVAL (NULL m, c out of range).
 * Thread: any. */
ha_status ha_metrics_add(ha_metrics *m, ha_metrics_counter c, uint64_t n);

/* Set gauge `g` to `value`. Errors: HA_EINVAL (NULL m, g out of range).
 * Thread: any; the last store wins. */
ha_status ha_metrics_set_gauge(ha_metrics *m, ha_metrics_gauge g, double value);

/* The seed's record_memory: set HA_GAUGE_MEMORY_BYTES to `bytes`. NULL m
 * is a no-op. Thread: any. */
void ha_metrics_record_memory(ha_metrics *m, uint64_t bytes);

/* Count one error of `kind` in `category` (the seed's record_error).
 * Errors: HA_EINVAL (NULL m, HA_ERROR_NONE, kind or category out of range).
 * Thread: any. */
ha_status ha_metrics_record_error(ha_metrics *m, ha_error_kind kind, ha_error_category category);

/* Count `err` by its kind and category; a NULL err or HA_ERROR_NONE kind
 * counts nothing (HA_OK). Errors: as ha_metrics_record_error. Thread: any. */
ha_status ha_metrics_record_error_ex(ha_metrics *m, const ha_error *err);

/* ---- reading -------------------------------------------------------------- */

typedef struct ha_histogram_snap {
  /* Values per bucket (not cumulative): buckets[i] counts values v with
   * bound(i - 1) < v <= bound(i); the last one counts v > 10 s. */
  uint64_t buckets[HA_METRICS_BUCKETS];
  uint64_t count;  /* sum of buckets */
  uint64_t sum_ns; /* sum of the recorded values */
  uint64_t min_ns; /* exact; 0 when empty */
  uint64_t max_ns; /* exact; 0 when empty */
} ha_histogram_snap;

/* A copy of every metric, plain values (~36 KB: allocate it where that is
 * fine). */
typedef struct ha_metrics_snap {
  ha_histogram_snap hist[HA_METRICS_HIST_COUNT];
  ha_histogram_snap model[HA_METRICS_MAX_KEYS];
  char model_name[HA_METRICS_MAX_KEYS][HA_METRICS_NAME_MAX]; /* "" = unnamed */
  uint64_t counters[HA_METRICS_COUNTER_COUNT];
  double gauges[HA_METRICS_GAUGE_COUNT];
  uint64_t errors[HA_METRICS_ERROR_KINDS][HA_METRICS_ERROR_CATEGORIES];
  uint64_t errors_total;
} ha_metrics_snap;

/* Copy every metric into `out`. What "consistent" means here: every single
 * number (each counter, each bucket, each sum, min, max) is exact, a value
 * it really held during the copy; a histogram's `count` is the sum of its
 * copied buckets, so the cumulative buckets and the count always agree.
 * The set as a whole may straddle a tick: a tick recorded during the copy
 * may appear in some numbers and not in others (e.g. in `sum_ns` but not
 * yet in its bucket, or in HA_HIST_TICK but not in HA_COUNTER_TICKS).
 * Never blocks the recorders. Errors: HA_EINVAL (NULL). Thread: any. */
ha_status ha_metrics_snapshot(const ha_metrics *m, ha_metrics_snap *out);

/* Estimate the q-quantile (0 <= q <= 1) of a histogram in nanoseconds:
 * linear interpolation inside the bucket holding the rank, clamped to the
 * exact [min, max], so the estimate lies in the right bucket. q = 1 gives
 * the exact max, q = 0 the exact min. 0 for an empty histogram; q is
 * clamped into [0, 1] (NaN counts as 0). Thread: any. */
double ha_histogram_quantile(const ha_histogram_snap *h, double q);

/* Render as one JSON object (UTF-8, no trailing newline) into buf[cap],
 * NUL-terminated: {"histograms": {"tick_duration": {count, sum_ns, min_ns,
 * max_ns, mean_ns, p50_ns, p90_ns, p99_ns, buckets: [{le_ns, count}, ...
 * non-empty buckets only, le_ns null for the overflow bucket]}, ...},
 * "models": [{key, name, <histogram fields>} for each named or used key],
 * "counters": {name: n}, "gauges": {name: v}, "errors": {"total": n,
 * "by_kind": [{kind, category, count} for each non-zero pair]}}.
 * Returns the length (excluding the NUL) or HA_ENOBUFS (buf then holds a
 * truncated, NUL-terminated prefix when cap > 0), HA_EINVAL (NULL snap, or
 * NULL buf with cap > 0). Thread: any; no allocation. */
int ha_metrics_to_json(const ha_metrics_snap *snap, char *buf, size_t cap);

/* Render in the Prometheus text exposition format 0.0.4 into buf[cap],
 * NUL-terminated: "# HELP" and "# TYPE" lines per family, names prefixed
 * "holoanim_", histograms as cumulative `_bucket{le="..."}` (seconds, ending
 * with le="+Inf") + `_sum` (seconds) + `_count`, counters as `_total`, per
 * model histograms labelled model="<name or key>", errors as
 * holoanim_errors_total{kind="...",category="..."}, and the exact maxima as
 * gauges holoanim_<name>_max_seconds. Returns the length or HA_ENOBUFS /
 * HA_EINVAL as ha_metrics_to_json. Thread: any; no allocation. */
int ha_metrics_to_prometheus(const ha_metrics_snap *snap, char *buf, size_t cap);

/* ---- HTTP endpoint -------------------------------------------------------- */

typedef struct ha_metrics_server ha_metrics_server;

typedef struct ha_metrics_http_config {
  const char *host;    /* numeric IPv4 or IPv6 address; default "127.0.0.1" */
  uint16_t port;       /* 0: let the system pick (see ha_metrics_http_port) */
  int timeout_ms;      /* a connection idle this long (sending or taking
                          nothing) is dropped; rounded up to whole seconds;
                          default 2000 */
  size_t max_request;  /* request head bytes accepted; default 8192 */
  int max_clients;     /* connections held at once, from all addresses;
                          more wait in the listen backlog; default 256 */
  int max_per_address; /* connections held at once from one client address;
                          more are closed at accept; default 32 */
} ha_metrics_http_config;

/* Defaults as listed above. Thread: any. */
ha_metrics_http_config ha_metrics_http_config_default(void);

/* Start a thread serving GET /metrics (200, "text/plain; version=0.0.4",
 * the Prometheus text of a fresh snapshot) and, as a convenience,
 * GET /metrics.json (application/json). HEAD works too; anything else is 404
 * (unknown path), 405 (other method) or 400 (malformed); one request per
 * connection ("Connection: close"). Served by libmicrohttpd on one thread:
 * silent clients are dropped after the idle timeout, oversized heads are
 * refused (431 or 414), and the per-address limit keeps a flood of slow or
 * half-open connections from one address from holding up a scrape from
 * another. Errors: HA_EINVAL (NULL, bad host, zero timeout/sizes, a
 * per-address limit above max_clients),
 * HA_EIO (socket, bind or listen failed; err names the address and errno),
 * HA_ENOMEM. Thread: control. `m` must outlive the server. */
ha_status ha_metrics_http_start_ex(ha_metrics *m, const ha_metrics_http_config *cfg,
                                   ha_metrics_server **out, ha_error *err);

/* ha_metrics_http_start_ex with the defaults and `host` (NULL: 127.0.0.1),
 * `port`. Thread: control. */
ha_status ha_metrics_http_start(ha_metrics *m, const char *host, uint16_t port,
                                ha_metrics_server **out, ha_error *err);

/* The port the server is bound to (useful after port 0). 0 for NULL.
 * Thread: any. */
uint16_t ha_metrics_http_port(const ha_metrics_server *srv);

/* Stop the server: wake its thread, close every connection, join the thread
 * and free. NULL is a no-op. Thread: control (not the server's thread). */
void ha_metrics_http_stop(ha_metrics_server *srv);

#ifdef __cplusplus
}
#endif
#endif
