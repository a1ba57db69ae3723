/* Metrics: histograms, counters, gauges, error counts; JSON and Prometheus.
 *
 * Every number is one 64-bit atomic, updated with relaxed read-modify-write
 * operations. Why relaxed is enough: a counter publishes nothing but itself.
 * Nobody reads a counter and then relies on other memory written before the
 * increment, so no happens-before edge is needed; atomicity of the RMW is
 * what keeps concurrent increments from being lost, and per-location
 * coherence is what keeps every value a reader sees exact and monotone.
 * Stronger orders would only add fences on weakly ordered CPUs.
 *
 * Why atomic RMW at all when the tick is the main recorder: errors and
 * commands are also counted from control threads, and a plain
 * load-add-store would lose their counts. An uncontended `lock add` costs a
 * few nanoseconds; a tick records about ten of them (bench/bench_store.c).
 *
 * Why not make snapshots exact (a seqlock around a tick's recordings, as in
 * the store): it needs a single writer, which we just ruled out, and a
 * scrape does not need tick-exact agreement between a counter and a
 * histogram. What it does need, each histogram's `count` agreeing with its
 * buckets, it gets by deriving `count` from the copied buckets.
 *
 * Histogram buckets are log-spaced, 8 per decade from 1 µs to 10 s: the
 * bucket index is a binary search over 57 constant bounds (six compares, no
 * log(), no floating point on the tick). Rejected: HDR-style linear
 * sub-buckets (more precision than a p99 needs, 10x the memory per model),
 * and computing log10 (tens of ns and rounding at the bounds).
 *
 * Names of per-model keys are the only state under a mutex: set from
 * control threads, copied by snapshots; recording never touches them. */
#include "io_internal.h"

#include "atomics.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- bucket bounds --------------------------------------------------------- */

#define FINITE_BUCKETS (HA_METRICS_BUCKETS - 1)
/* 10^(k/8) x 1000 ns rounded, k = 0..7, times each decade. */
#define DECADE(p)                                                                            \
  1000u * (p), 1334u * (p), 1778u * (p), 2371u * (p), 3162u * (p), 4217u * (p), 5623u * (p), \
      7499u * (p)
static const uint64_t k_bounds[FINITE_BUCKETS] = {
    DECADE(1ull),     DECADE(10ull),     DECADE(100ull),     DECADE(1000ull),
    DECADE(10000ull), DECADE(100000ull), DECADE(1000000ull), 10000000000ull};
#undef DECADE

uint64_t ha_metrics_bucket_bound_ns(size_t i) {
  return i < FINITE_BUCKETS ? k_bounds[i] : UINT64_MAX;
}

/* Smallest i with ns <= bound(i); FINITE_BUCKETS for the overflow bucket. */
static size_t bucket_of(uint64_t ns) {
  size_t lo = 0;
  size_t hi = FINITE_BUCKETS;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (ns <= k_bounds[mid]) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

/* ---- the live metrics ------------------------------------------------------ */

typedef struct hist {
  alignas(64) ha__atomic_u64 buckets[HA_METRICS_BUCKETS];
  ha__atomic_u64 sum;
  ha__atomic_u64 min; /* UINT64_MAX while empty */
  ha__atomic_u64 max;
} hist;

struct ha_metrics {
  hist hist[HA_METRICS_HIST_COUNT];
  hist model[HA_METRICS_MAX_KEYS];
  alignas(64) ha__atomic_u64 counters[HA_METRICS_COUNTER_COUNT];
  ha__atomic_u64 gauges[HA_METRICS_GAUGE_COUNT]; /* double bits */
  ha__atomic_u64 errors[HA_METRICS_ERROR_KINDS][HA_METRICS_ERROR_CATEGORIES];
  pthread_mutex_t names_lock;
  char names[HA_METRICS_MAX_KEYS][HA_METRICS_NAME_MAX];
};

static void hist_init(hist *h) {
  for (size_t i = 0; i < HA_METRICS_BUCKETS; i++) {
    atomic_init(&h->buckets[i], 0);
  }
  atomic_init(&h->sum, 0);
  atomic_init(&h->min, UINT64_MAX);
  atomic_init(&h->max, 0);
}

ha_status ha_metrics_create(ha_metrics **out) {
  if (out == NULL) {
    return HA_EINVAL;
  }
  *out = NULL;
  size_t bytes = (sizeof(ha_metrics) + 63u) & ~(size_t)63u;
  ha_metrics *m = aligned_alloc(64, bytes);
  if (m == NULL) {
    return HA_ENOMEM;
  }
  memset(m, 0, sizeof(*m));
  if (pthread_mutex_init(&m->names_lock, NULL) != 0) {
    free(m);
    return HA_ENOMEM;
  }
  for (size_t i = 0; i < HA_METRICS_HIST_COUNT; i++) {
    hist_init(&m->hist[i]);
  }
  for (size_t i = 0; i < HA_METRICS_MAX_KEYS; i++) {
    hist_init(&m->model[i]);
  }
  for (size_t i = 0; i < HA_METRICS_COUNTER_COUNT; i++) {
    atomic_init(&m->counters[i], 0);
  }
  for (size_t i = 0; i < HA_METRICS_GAUGE_COUNT; i++) {
    atomic_init(&m->gauges[i], ha__dbits(0.0));
  }
  for (size_t k = 0; k < HA_METRICS_ERROR_KINDS; k++) {
    for (size_t c = 0; c < HA_METRICS_ERROR_CATEGORIES; c++) {
      atomic_init(&m->errors[k][c], 0);
    }
  }
  *out = m;
  return HA_OK;
}

void ha_metrics_destroy(ha_metrics *m) {
  if (m == NULL) {
    return;
  }
  pthread_mutex_destroy(&m->names_lock);
  free(m);
}

ha_status ha_metrics_set_key_name(ha_metrics *m, unsigned key, const char *name) {
  if (m == NULL || key >= HA_METRICS_MAX_KEYS) {
    return HA_EINVAL;
  }
  char clean[HA_METRICS_NAME_MAX];
  size_t n = 0;
  /* Printable ASCII only, so that no output format needs more escaping than
   * quotes and backslashes, and JSON stays valid UTF-8. */
  for (; name != NULL && name[n] != '\0' && n + 1 < sizeof(clean); n++) {
    unsigned char c = (unsigned char)name[n];
    clean[n] = (c >= 0x20 && c < 0x7f) ? (char)c : '_';
  }
  clean[n] = '\0';
  pthread_mutex_lock(&m->names_lock);
  memcpy(m->names[key], clean, sizeof(clean));
  pthread_mutex_unlock(&m->names_lock);
  return HA_OK;
}

/* ---- recording ------------------------------------------------------------- */

static inline void hist_record(hist *h, uint64_t ns) {
  /* relaxed (all four): independent statistics, see the design comment. The
   * RMWs never lose a concurrent record; min/max are CAS loops that only
   * write when the extreme moves, so in steady state they are plain loads. */
  ha__add_relaxed_u64(&h->buckets[bucket_of(ns)], 1);
  ha__add_relaxed_u64(&h->sum, ns);
  ha__max_relaxed_u64(&h->max, ns);
  ha__min_relaxed_u64(&h->min, ns);
}

void ha_metrics_record_tick(ha_metrics *m, uint64_t compute_ns, uint64_t lateness_ns, bool late) {
  if (m == NULL) {
    return;
  }
  hist_record(&m->hist[HA_HIST_TICK], compute_ns);
  hist_record(&m->hist[HA_HIST_LATENESS], lateness_ns);
  /* relaxed: a statistic (design comment). */
  ha__add_relaxed_u64(&m->counters[HA_COUNTER_TICKS], 1);
  if (late) {
    /* relaxed: a statistic. */
    ha__add_relaxed_u64(&m->counters[HA_COUNTER_LATE_TICKS], 1);
  }
}

ha_status ha_metrics_record(ha_metrics *m, ha_metrics_hist h, uint64_t ns) {
  if (m == NULL || (unsigned)h >= HA_METRICS_HIST_COUNT) {
    return HA_EINVAL;
  }
  hist_record(&m->hist[h], ns);
  return HA_OK;
}

ha_status ha_metrics_record_model(ha_metrics *m, unsigned key, uint64_t ns) {
  if (m == NULL || key >= HA_METRICS_MAX_KEYS) {
    return HA_EINVAL;
  }
  hist_record(&m->model[key], ns);
  return HA_OK;
}

ha_status ha_metrics_add(ha_metrics *m, ha_metrics_counter c, uint64_t n) {
  if (m == NULL || (unsigned)c >= HA_METRICS_COUNTER_COUNT) {
    return HA_EINVAL;
  }
  /* relaxed: a statistic (design comment). */
  ha__add_relaxed_u64(&m->counters[c], n);
  return HA_OK;
}

ha_status ha_metrics_set_gauge(ha_metrics *m, ha_metrics_gauge g, double value) {
  if (m == NULL || (unsigned)g >= HA_METRICS_GAUGE_COUNT) {
    return HA_EINVAL;
  }
  /* relaxed: a gauge publishes only itself; the last store wins. */
  ha__store_relaxed_u64(&m->gauges[g], ha__dbits(value));
  return HA_OK;
}

void ha_metrics_record_memory(ha_metrics *m, uint64_t bytes) {
  (void)ha_metrics_set_gauge(m, HA_GAUGE_MEMORY_BYTES, (double)bytes);
}

ha_status ha_metrics_record_error(ha_metrics *m, ha_error_kind kind, ha_error_category category) {
  if (m == NULL || kind == HA_ERROR_NONE || (unsigned)kind >= (unsigned)HA_METRICS_ERROR_KINDS ||
      (unsigned)category >= (unsigned)HA_METRICS_ERROR_CATEGORIES) {
    return HA_EINVAL;
  }
  /* relaxed: a statistic (design comment). */
  ha__add_relaxed_u64(&m->errors[kind][category], 1);
  return HA_OK;
}

ha_status ha_metrics_record_error_ex(ha_metrics *m, const ha_error *err) {
  if (m == NULL) {
    return HA_EINVAL;
  }
  if (err == NULL || err->kind == HA_ERROR_NONE) {
    return HA_OK;
  }
  return ha_metrics_record_error(m, err->kind, err->category);
}

/* ---- snapshot -------------------------------------------------------------- */

static void hist_copy(const hist *h, ha_histogram_snap *out) {
  uint64_t count = 0;
  for (size_t i = 0; i < HA_METRICS_BUCKETS; i++) {
    /* relaxed (all loads here): each value is exact on its own; the set may
     * straddle a record, as documented in the header. */
    out->buckets[i] = ha__load_relaxed_u64(&h->buckets[i]);
    count += out->buckets[i];
  }
  out->count = count;
  out->sum_ns = ha__load_relaxed_u64(&h->sum);
  uint64_t mn = ha__load_relaxed_u64(&h->min);
  out->min_ns = mn == UINT64_MAX ? 0 : mn;
  out->max_ns = ha__load_relaxed_u64(&h->max);
}

ha_status ha_metrics_snapshot(const ha_metrics *m, ha_metrics_snap *out) {
  if (m == NULL || out == NULL) {
    return HA_EINVAL;
  }
  for (size_t i = 0; i < HA_METRICS_HIST_COUNT; i++) {
    hist_copy(&m->hist[i], &out->hist[i]);
  }
  for (size_t i = 0; i < HA_METRICS_MAX_KEYS; i++) {
    hist_copy(&m->model[i], &out->model[i]);
  }
  for (size_t i = 0; i < HA_METRICS_COUNTER_COUNT; i++) {
    /* relaxed: a statistic. */
    out->counters[i] = ha__load_relaxed_u64(&m->counters[i]);
  }
  for (size_t i = 0; i < HA_METRICS_GAUGE_COUNT; i++) {
    /* relaxed: a gauge publishes only itself. */
    out->gauges[i] = ha__bitsd(ha__load_relaxed_u64(&m->gauges[i]));
  }
  out->errors_total = 0;
  for (size_t k = 0; k < HA_METRICS_ERROR_KINDS; k++) {
    for (size_t c = 0; c < HA_METRICS_ERROR_CATEGORIES; c++) {
      /* relaxed: a statistic. */
      out->errors[k][c] = ha__load_relaxed_u64(&m->errors[k][c]);
      out->errors_total += out->errors[k][c];
    }
  }
  /* The mutex is logically mutable state of a const object: snapshots from
   * several threads may run at once and must not see a half-written name. */
  pthread_mutex_t *lock = (pthread_mutex_t *)&m->names_lock;
  pthread_mutex_lock(lock);
  memcpy(out->model_name, m->names, sizeof(out->model_name));
  pthread_mutex_unlock(lock);
  return HA_OK;
}

double ha_histogram_quantile(const ha_histogram_snap *h, double q) {
  if (h == NULL || h->count == 0) {
    return 0.0;
  }
  if (!(q > 0.0)) {
    return (double)h->min_ns;
  }
  if (!(q < 1.0)) {
    return (double)h->max_ns;
  }
  /* The rank of the wanted value, 1-based: the smallest r with r >= q*n. */
  double target = ceil(q * (double)h->count);
  if (target < 1.0) {
    target = 1.0;
  }
  double cum = 0.0;
  for (size_t i = 0; i < HA_METRICS_BUCKETS; i++) {
    double b = (double)h->buckets[i];
    if (!(b > 0.0) || cum + b < target) {
      cum += b;
      continue;
    }
    double lower = i == 0 ? 0.0 : (double)k_bounds[i - 1];
    double upper = i < FINITE_BUCKETS ? (double)k_bounds[i] : (double)h->max_ns;
    if (upper < lower) {
      upper = lower; /* overflow bucket whose max is not visible yet */
    }
    double est = lower + (upper - lower) * ((target - cum) / b);
    /* The exact extremes bound every estimate, and make single-value and
     * narrow distributions come out exact. */
    if (est < (double)h->min_ns) {
      est = (double)h->min_ns;
    }
    if (est > (double)h->max_ns) {
      est = (double)h->max_ns;
    }
    return est;
  }
  return (double)h->max_ns;
}

/* ---- output helpers -------------------------------------------------------- */

/* Appends into buf[cap]; once the text no longer fits, keeps counting the
 * length so the caller learns it overflowed, and keeps buf NUL-terminated. */
typedef struct outbuf {
  char *buf;
  size_t cap;
  size_t len;
} outbuf;

static void out_vprintf(outbuf *o, const char *fmt, va_list ap) {
  char *dst = o->len < o->cap ? o->buf + o->len : NULL;
  size_t room = o->len < o->cap ? o->cap - o->len : 0;
  int n = vsnprintf(dst, room, fmt, ap);
  if (n > 0) {
    o->len += (size_t)n;
  }
}

static void out_printf(outbuf *o, const char *fmt, ...) HA__PRINTF(2, 3);
static void out_printf(outbuf *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  out_vprintf(o, fmt, ap);
  va_end(ap);
}

static int out_finish(const outbuf *o) {
  if (o->len >= o->cap || o->len > (size_t)INT_MAX) {
    if (o->cap > 0) {
      o->buf[o->cap - 1] = '\0';
    }
    return HA_ENOBUFS;
  }
  return (int)o->len;
}

/* A label or JSON string value: names are printable ASCII already (see
 * ha_metrics_set_key_name), so escaping quotes and backslashes suffices for
 * both formats. */
static void out_quoted(outbuf *o, const char *s) {
  out_printf(o, "\"");
  for (; *s != '\0'; s++) {
    if (*s == '"' || *s == '\\') {
      out_printf(o, "\\%c", *s);
    } else {
      out_printf(o, "%c", *s);
    }
  }
  out_printf(o, "\"");
}

/* A Prometheus sample value: Go's float syntax (+Inf, -Inf, NaN). */
static void fmt_prom(char *b, size_t cap, double v) {
  if (isnan(v)) {
    snprintf(b, cap, "NaN");
  } else if (isinf(v)) {
    snprintf(b, cap, v > 0 ? "+Inf" : "-Inf");
  } else {
    ha_format_double(b, cap, v);
  }
}

static const char *const k_hist_names[] = {
#define X(e, name, help) name,
    HA_METRICS_HIST_MAP(X)
#undef X
};
static const char *const k_hist_help[] = {
#define X(e, name, help) help,
    HA_METRICS_HIST_MAP(X)
#undef X
};
static const char *const k_counter_names[] = {
#define X(e, name, help) name,
    HA_METRICS_COUNTER_MAP(X)
#undef X
};
static const char *const k_counter_help[] = {
#define X(e, name, help) help,
    HA_METRICS_COUNTER_MAP(X)
#undef X
};
static const char *const k_gauge_names[] = {
#define X(e, name, help) name,
    HA_METRICS_GAUGE_MAP(X)
#undef X
};
static const char *const k_gauge_help[] = {
#define X(e, name, help) help,
    HA_METRICS_GAUGE_MAP(X)
#undef X
};

/* Keys worth showing: named, or recorded into. */
static bool key_shown(const ha_metrics_snap *s, size_t k) {
  return s->model_name[k][0] != '\0' || s->model[k].count > 0;
}

/* ---- JSON ------------------------------------------------------------------ */

static void json_hist_fields(outbuf *o, const ha_histogram_snap *h) {
  char p50[40], p90[40], p99[40], mean[40];
  /* Estimates: whole nanoseconds are all the precision they have. */
  ha_format_double(p50, sizeof(p50), round(ha_histogram_quantile(h, 0.50)));
  ha_format_double(p90, sizeof(p90), round(ha_histogram_quantile(h, 0.90)));
  ha_format_double(p99, sizeof(p99), round(ha_histogram_quantile(h, 0.99)));
  ha_format_double(mean, sizeof(mean), h->count > 0 ? (double)h->sum_ns / (double)h->count : 0.0);
  out_printf(o,
             "\"count\":%" PRIu64 ",\"sum_ns\":%" PRIu64 ",\"min_ns\":%" PRIu64
             ",\"max_ns\":%" PRIu64
             ",\"mean_ns\":%s,\"p50_ns\":%s,\"p90_ns\":%s,"
             "\"p99_ns\":%s,\"buckets\":[",
             h->count, h->sum_ns, h->min_ns, h->max_ns, mean, p50, p90, p99);
  bool first = true;
  for (size_t i = 0; i < HA_METRICS_BUCKETS; i++) {
    if (h->buckets[i] == 0) {
      continue;
    }
    out_printf(o, first ? "" : ",");
    first = false;
    if (i < FINITE_BUCKETS) {
      out_printf(o, "{\"le_ns\":%" PRIu64 ",\"count\":%" PRIu64 "}", k_bounds[i], h->buckets[i]);
    } else {
      out_printf(o, "{\"le_ns\":null,\"count\":%" PRIu64 "}", h->buckets[i]);
    }
  }
  out_printf(o, "]");
}

int ha_metrics_to_json(const ha_metrics_snap *snap, char *buf, size_t cap) {
  if (snap == NULL || (buf == NULL && cap > 0)) {
    return HA_EINVAL;
  }
  outbuf o = {buf, cap, 0};
  out_printf(&o, "{\"histograms\":{");
  for (size_t i = 0; i < HA_METRICS_HIST_COUNT; i++) {
    out_printf(&o, "%s\"%s\":{", i > 0 ? "," : "", k_hist_names[i]);
    json_hist_fields(&o, &snap->hist[i]);
    out_printf(&o, "}");
  }
  out_printf(&o, "},\"models\":[");
  bool first = true;
  for (size_t k = 0; k < HA_METRICS_MAX_KEYS; k++) {
    if (!key_shown(snap, k)) {
      continue;
    }
    out_printf(&o, "%s{\"key\":%zu,\"name\":", first ? "" : ",", k);
    first = false;
    out_quoted(&o, snap->model_name[k]);
    out_printf(&o, ",");
    json_hist_fields(&o, &snap->model[k]);
    out_printf(&o, "}");
  }
  out_printf(&o, "],\"counters\":{");
  for (size_t i = 0; i < HA_METRICS_COUNTER_COUNT; i++) {
    out_printf(&o, "%s\"%s\":%" PRIu64, i > 0 ? "," : "", k_counter_names[i], snap->counters[i]);
  }
  out_printf(&o, "},\"gauges\":{");
  for (size_t i = 0; i < HA_METRICS_GAUGE_COUNT; i++) {
    char v[40];
    if (isfinite(snap->gauges[i])) {
      ha_format_double(v, sizeof(v), snap->gauges[i]);
    } else {
      snprintf(v, sizeof(v), "null"); /* JSON has no NaN or Infinity */
    }
    out_printf(&o, "%s\"%s\":%s", i > 0 ? "," : "", k_gauge_names[i], v);
  }
  out_printf(&o, "},\"errors\":{\"total\":%" PRIu64 ",\"by_kind\":[", snap->errors_total);
  first = true;
  for (int k = 0; k < HA_METRICS_ERROR_KINDS; k++) {
    for (int c = 0; c < HA_METRICS_ERROR_CATEGORIES; c++) {
      if (snap->errors[k][c] == 0) {
        continue;
      }
      out_printf(&o, "%s{\"kind\":\"%s\",\"category\":\"%s\",\"count\":%" PRIu64 "}",
                 first ? "" : ",", ha_error_kind_name((ha_error_kind)k),
                 ha_error_category_name((ha_error_category)c), snap->errors[k][c]);
      first = false;
    }
  }
  out_printf(&o, "]}}");
  return out_finish(&o);
}

/* ---- Prometheus text 0.0.4 -------------------------------------------------- */

/* The `le` texts of the finite bounds in seconds, formatted once per
 * rendering. Every bound has at most 4 significant digits, so %.4g is the
 * shortest exact text ("1.334e-06", "0.007499", "10"). */
typedef char le_texts[FINITE_BUCKETS][16];

static void make_le_texts(le_texts le) {
  for (size_t i = 0; i < FINITE_BUCKETS; i++) {
    snprintf(le[i], sizeof(le[i]), "%.4g", (double)k_bounds[i] / 1e9);
  }
}

/* Samples of one histogram; `labels` is "" or `key="3",model="x",` (with the
 * trailing comma, so `le` can follow). */
static void prom_hist_samples(outbuf *o, const char *family, const char *labels, le_texts le,
                              const ha_histogram_snap *h) {
  uint64_t cum = 0;
  char v[40];
  for (size_t i = 0; i < FINITE_BUCKETS; i++) {
    cum += h->buckets[i];
    out_printf(o, "%s_bucket{%sle=\"%s\"} %" PRIu64 "\n", family, labels, le[i], cum);
  }
  cum += h->buckets[FINITE_BUCKETS];
  out_printf(o, "%s_bucket{%sle=\"+Inf\"} %" PRIu64 "\n", family, labels, cum);
  fmt_prom(v, sizeof(v), (double)h->sum_ns / 1e9);
  /* Labels without the trailing comma for _sum and _count. */
  size_t ln = strlen(labels);
  int lw = ln > 0 ? (int)(ln - 1) : 0;
  if (ln > 0) {
    out_printf(o, "%s_sum{%.*s} %s\n", family, lw, labels, v);
    out_printf(o, "%s_count{%.*s} %" PRIu64 "\n", family, lw, labels, cum);
  } else {
    out_printf(o, "%s_sum %s\n", family, v);
    out_printf(o, "%s_count %" PRIu64 "\n", family, cum);
  }
}

static void prom_head(outbuf *o, const char *family, const char *help, const char *type) {
  out_printf(o, "# HELP %s %s\n# TYPE %s %s\n", family, help, family, type);
}

/* `key="3",model="circular",` into b (names are escaped already-clean ASCII). */
static void prom_key_labels(char *b, size_t cap, size_t key, const char *name) {
  outbuf o = {b, cap, 0};
  out_printf(&o, "key=\"%zu\",model=", key);
  if (name[0] != '\0') {
    out_quoted(&o, name);
  } else {
    out_printf(&o, "\"%zu\"", key);
  }
  out_printf(&o, ",");
}

int ha_metrics_to_prometheus(const ha_metrics_snap *snap, char *buf, size_t cap) {
  if (snap == NULL || (buf == NULL && cap > 0)) {
    return HA_EINVAL;
  }
  outbuf o = {buf, cap, 0};
  char family[96];
  char v[40];
  char labels[2 * HA_METRICS_NAME_MAX + 48];
  le_texts le;
  make_le_texts(le);

  for (size_t i = 0; i < HA_METRICS_HIST_COUNT; i++) {
    snprintf(family, sizeof(family), "holoanim_%s_seconds", k_hist_names[i]);
    prom_head(&o, family, k_hist_help[i], "histogram");
    prom_hist_samples(&o, family, "", le, &snap->hist[i]);
  }
  bool any_key = false;
  for (size_t k = 0; k < HA_METRICS_MAX_KEYS; k++) {
    any_key = any_key || key_shown(snap, k);
  }
  if (any_key) {
    prom_head(&o, "holoanim_model_duration_seconds", "Time to evaluate one model per tick.",
              "histogram");
    for (size_t k = 0; k < HA_METRICS_MAX_KEYS; k++) {
      if (key_shown(snap, k)) {
        prom_key_labels(labels, sizeof(labels), k, snap->model_name[k]);
        prom_hist_samples(&o, "holoanim_model_duration_seconds", labels, le, &snap->model[k]);
      }
    }
  }

  for (size_t i = 0; i < HA_METRICS_HIST_COUNT; i++) {
    snprintf(family, sizeof(family), "holoanim_%s_max_seconds", k_hist_names[i]);
    prom_head(&o, family, "Largest value recorded (exact).", "gauge");
    fmt_prom(v, sizeof(v), (double)snap->hist[i].max_ns / 1e9);
    out_printf(&o, "%s %s\n", family, v);
  }
  if (any_key) {
    prom_head(&o, "holoanim_model_duration_max_seconds",
              "Largest model evaluation time recorded (exact).", "gauge");
    for (size_t k = 0; k < HA_METRICS_MAX_KEYS; k++) {
      if (key_shown(snap, k)) {
        prom_key_labels(labels, sizeof(labels), k, snap->model_name[k]);
        fmt_prom(v, sizeof(v), (double)snap->model[k].max_ns / 1e9);
        out_printf(&o, "holoanim_model_duration_max_seconds{%.*s} %s\n", (int)(strlen(labels) - 1),
                   labels, v);
      }
    }
  }

  for (size_t i = 0; i < HA_METRICS_COUNTER_COUNT; i++) {
    snprintf(family, sizeof(family), "holoanim_%s_total", k_counter_names[i]);
    prom_head(&o, family, k_counter_help[i], "counter");
    out_printf(&o, "%s %" PRIu64 "\n", family, snap->counters[i]);
  }
  prom_head(&o, "holoanim_errors_total", "Errors by kind and category.", "counter");
  for (int k = 1; k < HA_METRICS_ERROR_KINDS; k++) { /* 0 is HA_ERROR_NONE */
    for (int c = 0; c < HA_METRICS_ERROR_CATEGORIES; c++) {
      out_printf(&o, "holoanim_errors_total{kind=\"%s\",category=\"%s\"} %" PRIu64 "\n",
                 ha_error_kind_name((ha_error_kind)k), ha_error_category_name((ha_error_category)c),
                 snap->errors[k][c]);
    }
  }
  for (size_t i = 0; i < HA_METRICS_GAUGE_COUNT; i++) {
    snprintf(family, sizeof(family), "holoanim_%s", k_gauge_names[i]);
    prom_head(&o, family, k_gauge_help[i], "gauge");
    fmt_prom(v, sizeof(v), snap->gauges[i]);
    out_printf(&o, "%s %s\n", family, v);
  }
  return out_finish(&o);
}
