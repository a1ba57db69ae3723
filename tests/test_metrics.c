/* Metrics: exact counts, bucket placement, percentile estimates on known
 * distributions, JSON (parsed with jansson) and Prometheus text (checked by
 * a small line-by-line parser below), the HTTP endpoint over a real socket
 * (200, 404, 405, HEAD, garbage, silence, trickling, oversize, stop), and
 * recorders racing a snapshot thread (run it under -DHA_SANITIZE=thread). */
#include "holoanim.h"
#include "test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Bucket of a value, computed from the public bounds (independent of the
 * library's binary search). */
static size_t bucket_index(uint64_t ns) {
  size_t i = 0;
  while (i + 1 < HA_METRICS_BUCKETS && ns > ha_metrics_bucket_bound_ns(i)) {
    i++;
  }
  return i;
}

static size_t bucket_of_double(double ns) {
  return bucket_index(ns < 0 ? 0 : ns > 1.8e19 ? UINT64_MAX : (uint64_t)ns);
}

static ha_metrics_snap *snap_new(void) {
  ha_metrics_snap *s = malloc(sizeof(*s));
  if (s == NULL) {
    abort();
  }
  return s;
}

/* A snapshot of m (taken: checked) in a new heap snap. */
static ha_metrics_snap *snap_of(const ha_metrics *m) {
  ha_metrics_snap *s = snap_new();
  CHECK_OK(ha_metrics_snapshot(m, s));
  return s;
}

/* ---- Prometheus text checker ------------------------------------------------ */

typedef struct prom_family {
  char name[128];
  char type[16];
  bool help;
} prom_family;

typedef struct prom_check {
  prom_family fam[128];
  int nfam;
  int current; /* family the samples belong to, -1 none */
  int samples;
  char error[512];
  /* histogram series state: labels without le, last le, last cumulative */
  char series[256];
  double last_le;
  double last_cum;
  bool saw_inf;
  double inf_count;
} prom_check;

static bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
static bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

/* Parse a metric or label name at *p. */
static bool parse_name(const char **p, char *out, size_t cap, bool label) {
  const char *s = *p;
  size_t n = 0;
  if (!is_name_start(*s) || (label && *s == ':')) {
    return false;
  }
  while (is_name_char(*s) && !(label && *s == ':')) {
    if (n + 1 >= cap) {
      return false;
    }
    out[n++] = *s++;
  }
  out[n] = '\0';
  *p = s;
  return true;
}

/* A sample value in Go's float syntax. */
static bool parse_value(const char *s, double *v) {
  if (strcmp(s, "+Inf") == 0) {
    *v = INFINITY;
    return true;
  }
  if (strcmp(s, "-Inf") == 0) {
    *v = -INFINITY;
    return true;
  }
  if (strcmp(s, "NaN") == 0) {
    *v = NAN;
    return true;
  }
  if (*s == ' ' || *s == '\t' || *s == '\0') {
    return false; /* we emit exactly one space before a value */
  }
  char *end;
  errno = 0;
  *v = strtod(s, &end);
  return end != s && *end == '\0' && errno == 0;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

#define PFAIL(pc, ...)                                       \
  do {                                                       \
    snprintf((pc)->error, sizeof((pc)->error), __VA_ARGS__); \
    return false;                                            \
  } while (0)

static bool prom_close_series(prom_check *pc) {
  if (pc->series[0] != '\0' && !pc->saw_inf) {
    PFAIL(pc, "histogram series {%.100s} has no le=\"+Inf\" bucket", pc->series);
  }
  pc->series[0] = '\0';
  return true;
}

static bool prom_line(prom_check *pc, const char *line) {
  if (line[0] == '#') {
    char kw[8], name[128], rest[256];
    if (sscanf(line, "# %7s %127s %255[^\n]", kw, name, rest) != 3) {
      PFAIL(pc, "bad comment line: %.100s", line);
    }
    if (!prom_close_series(pc)) {
      return false;
    }
    if (strcmp(kw, "HELP") == 0) {
      for (int i = 0; i < pc->nfam; i++) {
        if (strcmp(pc->fam[i].name, name) == 0) {
          PFAIL(pc, "family %.100s declared twice", name);
        }
      }
      if (pc->nfam == 128) {
        PFAIL(pc, "too many families");
      }
      prom_family *f = &pc->fam[pc->nfam++];
      snprintf(f->name, sizeof(f->name), "%s", name);
      f->help = true;
      f->type[0] = '\0';
      pc->current = -1;
      return true;
    }
    if (strcmp(kw, "TYPE") == 0) {
      if (pc->nfam == 0 || strcmp(pc->fam[pc->nfam - 1].name, name) != 0 ||
          pc->fam[pc->nfam - 1].type[0] != '\0') {
        PFAIL(pc, "TYPE %.100s not right after its HELP", name);
      }
      if (strcmp(rest, "counter") != 0 && strcmp(rest, "gauge") != 0 &&
          strcmp(rest, "histogram") != 0) {
        PFAIL(pc, "unknown type %.100s", rest);
      }
      snprintf(pc->fam[pc->nfam - 1].type, sizeof(pc->fam[0].type), "%.15s", rest);
      pc->current = pc->nfam - 1;
      return true;
    }
    PFAIL(pc, "unknown comment keyword %.100s", kw);
  }
  /* sample: name[{labels}] SP value */
  const char *p = line;
  char name[160];
  if (!parse_name(&p, name, sizeof(name), false)) {
    PFAIL(pc, "bad metric name: %.100s", line);
  }
  if (strncmp(name, "holoanim_", 9) != 0) {
    PFAIL(pc, "name without prefix: %.100s", name);
  }
  char labels_no_le[256] = "";
  double le = NAN;
  bool has_le = false;
  if (*p == '{') {
    p++;
    while (*p != '}') {
      char lname[64];
      if (!parse_name(&p, lname, sizeof(lname), true) || *p++ != '=' || *p++ != '"') {
        PFAIL(pc, "bad label in: %.100s", line);
      }
      char lval[128];
      size_t n = 0;
      while (*p != '"') {
        if (*p == '\0' || *p == '\n' || n + 2 >= sizeof(lval)) {
          PFAIL(pc, "unterminated label value in: %.100s", line);
        }
        if (*p == '\\') {
          p++;
          if (*p != '\\' && *p != '"' && *p != 'n') {
            PFAIL(pc, "bad escape in: %.100s", line);
          }
        }
        lval[n++] = *p++;
      }
      lval[n] = '\0';
      p++;
      if (strcmp(lname, "le") == 0) {
        has_le = true;
        if (!parse_value(lval, &le)) {
          PFAIL(pc, "bad le value %.100s", lval);
        }
      } else {
        size_t used = strlen(labels_no_le);
        snprintf(labels_no_le + used, sizeof(labels_no_le) - used, "%s=%s,", lname, lval);
      }
      if (*p == ',') {
        p++;
      } else if (*p != '}') {
        PFAIL(pc, "expected , or } in: %.100s", line);
      }
    }
    p++;
  }
  if (*p++ != ' ') {
    PFAIL(pc, "expected one space before the value: %.100s", line);
  }
  double v;
  if (!parse_value(p, &v)) {
    PFAIL(pc, "bad value in: %.100s", line);
  }
  if (pc->current < 0) {
    PFAIL(pc, "sample before any TYPE: %.100s", line);
  }
  prom_family *f = &pc->fam[pc->current];
  pc->samples++;
  if (strcmp(f->type, "histogram") == 0) {
    size_t fl = strlen(f->name);
    if (strncmp(name, f->name, fl) != 0) {
      PFAIL(pc, "%.100s outside its family %.100s", name, f->name);
    }
    const char *suffix = name + fl;
    if (strcmp(suffix, "_bucket") == 0) {
      if (!has_le) {
        PFAIL(pc, "bucket without le: %.100s", line);
      }
      const char *key = labels_no_le[0] != '\0' ? labels_no_le : "-";
      if (strcmp(pc->series, key) != 0) {
        if (!prom_close_series(pc)) {
          return false;
        }
        snprintf(pc->series, sizeof(pc->series), "%s", key);
        pc->last_le = -INFINITY;
        pc->last_cum = 0;
        pc->saw_inf = false;
      }
      if (pc->saw_inf || !(le > pc->last_le) || v < pc->last_cum) {
        PFAIL(pc, "buckets not increasing / cumulative at: %.100s", line);
      }
      pc->last_le = le;
      pc->last_cum = v;
      if (isinf(le)) {
        pc->saw_inf = true;
        pc->inf_count = v;
      }
    } else if (strcmp(suffix, "_sum") == 0) {
      if (!pc->saw_inf) {
        PFAIL(pc, "_sum before the +Inf bucket: %.100s", line);
      }
    } else if (strcmp(suffix, "_count") == 0) {
      if (!pc->saw_inf || !(v >= pc->inf_count && v <= pc->inf_count)) {
        PFAIL(pc, "_count %g differs from the +Inf bucket %g", v, pc->inf_count);
      }
      pc->series[0] = '\0'; /* series complete */
    } else {
      PFAIL(pc, "unexpected histogram sample %.100s", name);
    }
    if (has_le && strcmp(suffix, "_bucket") != 0) {
      PFAIL(pc, "le on a non-bucket sample");
    }
  } else {
    if (strcmp(name, f->name) != 0) {
      PFAIL(pc, "%.100s outside its family %.100s", name, f->name);
    }
    if (strcmp(f->type, "counter") == 0 && (!ends_with(name, "_total") || v < 0)) {
      PFAIL(pc, "counter %.100s without _total or negative", name);
    }
  }
  return true;
}

/* Check a whole text; returns true when it is well-formed. */
static bool prom_check_text(const char *text, prom_check *pc) {
  memset(pc, 0, sizeof(*pc));
  pc->current = -1;
  size_t len = strlen(text);
  if (len == 0 || text[len - 1] != '\n') {
    PFAIL(pc, "text must end with a newline");
  }
  const char *p = text;
  char line[1024];
  while (*p != '\0') {
    const char *nl = strchr(p, '\n');
    size_t n = (size_t)(nl - p);
    if (n == 0 || n >= sizeof(line)) {
      PFAIL(pc, "empty or overlong line");
    }
    memcpy(line, p, n);
    line[n] = '\0';
    if (!prom_line(pc, line)) {
      return false;
    }
    p = nl + 1;
  }
  if (pc->series[0] != '\0') {
    PFAIL(pc, "histogram series {%.100s} not closed by _count", pc->series);
  }
  for (int i = 0; i < pc->nfam; i++) {
    if (pc->fam[i].type[0] == '\0') {
      PFAIL(pc, "family %.100s has no TYPE", pc->fam[i].name);
    }
  }
  return true;
}

/* Value of the sample line starting with `prefix` + " " (exact match). */
static bool prom_value(const char *text, const char *prefix, double *v) {
  size_t pl = strlen(prefix);
  for (const char *p = text; p != NULL && *p != '\0';) {
    if (strncmp(p, prefix, pl) == 0 && p[pl] == ' ') {
      char buf[64];
      size_t n = strcspn(p + pl + 1, "\n");
      if (n >= sizeof(buf)) {
        return false;
      }
      memcpy(buf, p + pl + 1, n);
      buf[n] = '\0';
      return parse_value(buf, v);
    }
    p = strchr(p, '\n');
    p = p != NULL ? p + 1 : NULL;
  }
  return false;
}

/* The checker itself must refuse broken text, or passing means nothing. */
static void test_prom_checker_refuses(void) {
  prom_check *pc = malloc(sizeof(*pc));
  const char *bad[] = {
      "holoanim_x_total 1\n", /* no TYPE */
      "# HELP holoanim_x_total h\n# TYPE holoanim_x_total counter\nholoanim_x_total 1", /* no \n */
      "# HELP holoanim_x h\n# TYPE holoanim_x counter\nholoanim_x 1\n", /* counter w/o _total */
      "# HELP holoanim_h h\n# TYPE holoanim_h histogram\nholoanim_h_bucket{le=\"1\"} 2\n"
      "holoanim_h_bucket{le=\"+Inf\"} 1\nholoanim_h_sum 1\nholoanim_h_count 1\n", /* not cumul. */
      "# HELP holoanim_h h\n# TYPE holoanim_h histogram\nholoanim_h_bucket{le=\"1\"} 1\n"
      "holoanim_h_sum 1\nholoanim_h_count 1\n", /* no +Inf */
      "# HELP holoanim_h h\n# TYPE holoanim_h histogram\nholoanim_h_bucket{le=\"+Inf\"} 2\n"
      "holoanim_h_sum 1\nholoanim_h_count 3\n",                              /* count != +Inf */
      "# HELP holoanim_g h\n# TYPE holoanim_g gauge\nholoanim_g{a=\"x} 1\n", /* bad label */
      "# HELP holoanim_g h\n# TYPE holoanim_g gauge\nholoanim_g  1\n",       /* two spaces */
      "# HELP other_g h\n# TYPE other_g gauge\nother_g 1\n",                 /* prefix */
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    CHECK_MSG(!prom_check_text(bad[i], pc), "checker accepted bad text #%zu", i);
  }
  const char *good =
      "# HELP holoanim_h h\n# TYPE holoanim_h histogram\nholoanim_h_bucket{m=\"a\\\"b\",le=\"1\"} "
      "1\n"
      "holoanim_h_bucket{m=\"a\\\"b\",le=\"+Inf\"} 2\nholoanim_h_sum{m=\"a\\\"b\"} 3.5\n"
      "holoanim_h_count{m=\"a\\\"b\"} 2\n";
  CHECK_MSG(prom_check_text(good, pc), "checker refused good text: %s", pc->error);
  free(pc);
}

/* ---- bounds and exact counts ------------------------------------------------ */

static void test_bucket_bounds(void) {
  CHECK_INT(ha_metrics_bucket_bound_ns(0), 1000);
  CHECK_INT(ha_metrics_bucket_bound_ns(8), 10000);
  CHECK_INT(ha_metrics_bucket_bound_ns(HA_METRICS_BUCKETS - 2), 10000000000ull);
  CHECK(ha_metrics_bucket_bound_ns(HA_METRICS_BUCKETS - 1) == UINT64_MAX);
  CHECK(ha_metrics_bucket_bound_ns(1000) == UINT64_MAX);
  for (size_t i = 1; i + 1 < HA_METRICS_BUCKETS; i++) {
    double r = (double)ha_metrics_bucket_bound_ns(i) / (double)ha_metrics_bucket_bound_ns(i - 1);
    CHECK_NEAR(r, pow(10.0, 1.0 / 8.0), 1e-3);
  }
}

static void test_counts_exact(void) {
  ha_metrics *m;
  CHECK_INT(ha_metrics_create(NULL), HA_EINVAL);
  CHECK_OK(ha_metrics_create(&m));
  ha_metrics_snap *s = snap_of(m);
  CHECK_INT(s->hist[HA_HIST_TICK].count, 0);
  CHECK_INT(s->hist[HA_HIST_TICK].min_ns, 0);
  CHECK_INT(s->hist[HA_HIST_TICK].max_ns, 0);
  CHECK_NEAR(ha_histogram_quantile(&s->hist[HA_HIST_TICK], 0.5), 0, 0);

  /* On a bound: that bucket; one above: the next; 0: the first; huge: overflow. */
  uint64_t values[] = {0, 1000, 1001, 1334, 1335, 10000000000ull, 10000000001ull, UINT64_MAX / 4};
  uint64_t sum = 0;
  for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
    CHECK_OK(ha_metrics_record(m, HA_HIST_LATENESS, values[i]));
    sum += values[i];
  }
  CHECK_OK(ha_metrics_snapshot(m, s));
  const ha_histogram_snap *h = &s->hist[HA_HIST_LATENESS];
  CHECK_INT(h->count, 8);
  CHECK(h->sum_ns == sum);
  CHECK_INT(h->min_ns, 0);
  CHECK(h->max_ns == UINT64_MAX / 4);
  CHECK_INT(h->buckets[0], 2);
  CHECK_INT(h->buckets[1], 2);
  CHECK_INT(h->buckets[2], 1);
  CHECK_INT(h->buckets[HA_METRICS_BUCKETS - 2], 1);
  CHECK_INT(h->buckets[HA_METRICS_BUCKETS - 1], 2);

  /* Ticks, counters, gauges, errors. */
  for (int i = 0; i < 1000; i++) {
    ha_metrics_record_tick(m, (uint64_t)(i + 1) * 1000, 0, i % 10 == 0);
  }
  CHECK_OK(ha_metrics_add(m, HA_COUNTER_MESSAGES, 12345));
  CHECK_OK(ha_metrics_add(m, HA_COUNTER_BYTES, 1u << 20));
  CHECK_OK(ha_metrics_add(m, HA_COUNTER_CLAMPS, 3));
  CHECK_INT(ha_metrics_add(m, (ha_metrics_counter)HA_METRICS_COUNTER_COUNT, 1), HA_EINVAL);
  CHECK_INT(ha_metrics_add(NULL, HA_COUNTER_CLAMPS, 1), HA_EINVAL);
  ha_metrics_record_memory(m, 123456789);
  CHECK_OK(ha_metrics_set_gauge(m, HA_GAUGE_ACTIVE_TRACKS, 42));
  CHECK_INT(ha_metrics_set_gauge(m, (ha_metrics_gauge)HA_METRICS_GAUGE_COUNT, 1), HA_EINVAL);
  CHECK_OK(ha_metrics_record_error(m, HA_ERROR_OUT_OF_BOUNDS, HA_CATEGORY_COMPUTATION));
  CHECK_OK(ha_metrics_record_error(m, HA_ERROR_OUT_OF_BOUNDS, HA_CATEGORY_COMPUTATION));
  CHECK_OK(ha_metrics_record_error(m, HA_ERROR_IO, HA_CATEGORY_IO));
  CHECK_INT(ha_metrics_record_error(m, HA_ERROR_NONE, HA_CATEGORY_IO), HA_EINVAL);
  CHECK_INT(ha_metrics_record_error(m, (ha_error_kind)99, HA_CATEGORY_IO), HA_EINVAL);
  CHECK_INT(ha_metrics_record_error(m, HA_ERROR_IO, (ha_error_category)99), HA_EINVAL);
  ha_error err;
  ha_error_clear(&err);
  CHECK_OK(ha_metrics_record_error_ex(m, &err)); /* kind NONE: nothing */
  CHECK_OK(ha_metrics_record_error_ex(m, NULL));
  err.kind = HA_ERROR_PARSE;
  err.category = HA_CATEGORY_STATE;
  CHECK_OK(ha_metrics_record_error_ex(m, &err));
  CHECK_INT(ha_metrics_record_model(m, HA_METRICS_MAX_KEYS, 1), HA_EINVAL);
  CHECK_INT(ha_metrics_record(m, (ha_metrics_hist)HA_METRICS_HIST_COUNT, 1), HA_EINVAL);
  CHECK_OK(ha_metrics_record_model(m, 5, 2500));
  CHECK_OK(ha_metrics_record_model(m, 5, 7500));

  CHECK_OK(ha_metrics_snapshot(m, s));
  CHECK_INT(s->counters[HA_COUNTER_TICKS], 1000);
  CHECK_INT(s->counters[HA_COUNTER_LATE_TICKS], 100);
  CHECK_INT(s->counters[HA_COUNTER_MESSAGES], 12345);
  CHECK_INT(s->counters[HA_COUNTER_BYTES], 1u << 20);
  CHECK_INT(s->counters[HA_COUNTER_CLAMPS], 3);
  CHECK_INT(s->counters[HA_COUNTER_SEND_ERRORS], 0);
  CHECK_NEAR(s->gauges[HA_GAUGE_MEMORY_BYTES], 123456789, 0);
  CHECK_NEAR(s->gauges[HA_GAUGE_ACTIVE_TRACKS], 42, 0);
  CHECK_INT(s->errors[HA_ERROR_OUT_OF_BOUNDS][HA_CATEGORY_COMPUTATION], 2);
  CHECK_INT(s->errors[HA_ERROR_IO][HA_CATEGORY_IO], 1);
  CHECK_INT(s->errors[HA_ERROR_PARSE][HA_CATEGORY_STATE], 1);
  CHECK_INT(s->errors_total, 4);
  CHECK_INT(s->hist[HA_HIST_TICK].count, 1000);
  CHECK_INT(s->hist[HA_HIST_TICK].sum_ns, 1000ull * 1001 / 2 * 1000);
  CHECK_INT(s->hist[HA_HIST_TICK].min_ns, 1000);
  CHECK_INT(s->hist[HA_HIST_TICK].max_ns, 1000000);
  CHECK_INT(s->hist[HA_HIST_LATENESS].count, 1008);
  CHECK_INT(s->model[5].count, 2);
  CHECK_INT(s->model[5].sum_ns, 10000);
  CHECK_INT(s->model[4].count, 0);
  ha_metrics_record_tick(NULL, 1, 1, true); /* no-op, no crash */
  ha_metrics_record_memory(NULL, 1);
  free(s);
  ha_metrics_destroy(m);
  ha_metrics_destroy(NULL);
}

/* ---- percentiles ------------------------------------------------------------ */

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/* Record `n` values, then check p50/p90/p99 against the sorted truth (the
 * value of rank ceil(q n)): the estimate's bucket must be within one of the
 * true value's bucket; min and max exact. */
static void check_distribution(const char *name, uint64_t *v, size_t n) {
  ha_metrics *m;
  CHECK_OK(ha_metrics_create(&m));
  for (size_t i = 0; i < n; i++) {
    CHECK_OK(ha_metrics_record_model(m, 3, v[i]));
  }
  ha_metrics_snap *s = snap_of(m);
  const ha_histogram_snap *h = &s->model[3];
  qsort(v, n, sizeof(v[0]), cmp_u64);
  CHECK_INT(h->count, n);
  CHECK(h->min_ns == v[0]);
  CHECK(h->max_ns == v[n - 1]);
  CHECK_NEAR(ha_histogram_quantile(h, 1.0), (double)v[n - 1], 0);
  CHECK_NEAR(ha_histogram_quantile(h, 0.0), (double)v[0], 0);
  const double qs[] = {0.5, 0.9, 0.99, 0.999};
  for (size_t k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
    size_t rank = (size_t)ceil(qs[k] * (double)n);
    uint64_t truth = v[rank - 1];
    double est = ha_histogram_quantile(h, qs[k]);
    long tb = (long)bucket_index(truth), eb = (long)bucket_of_double(est);
    CHECK_MSG(labs(tb - eb) <= 1, "%s p%g: estimate %.0f ns (bucket %ld), truth %llu (bucket %ld)",
              name, qs[k] * 100, est, eb, (unsigned long long)truth, tb);
    CHECK(est >= (double)v[0] && est <= (double)v[n - 1]);
  }
  free(s);
  ha_metrics_destroy(m);
}

static void test_percentiles(void) {
  const size_t n = 100000;
  uint64_t *v = malloc(n * sizeof(*v));
  uint64_t seed = 0x5eed1234u;
  printf("     percentile seed 0x%llx\n", (unsigned long long)seed);
  for (size_t i = 0; i < n; i++) {
    v[i] = (uint64_t)ha_t_uniform(&seed, 1000, 1000000); /* 1 µs .. 1 ms */
  }
  check_distribution("uniform", v, n);
  for (size_t i = 0; i < n; i++) {
    v[i] = (uint64_t)exp(ha_t_uniform(&seed, log(1e3), log(1e9))); /* log-uniform 1 µs .. 1 s */
  }
  check_distribution("log-uniform", v, n);
  for (size_t i = 0; i < n; i++) {
    v[i] = 5000;
  }
  check_distribution("constant", v, n);
  for (size_t i = 0; i < n; i++) {
    /* 98 % around 20 µs, 2 % around 4 ms: the p99 sits in the slow mode. */
    bool slow = ha_t_uniform(&seed, 0, 1) < 0.02;
    v[i] = (uint64_t)(slow ? ha_t_uniform(&seed, 3.5e6, 4.5e6) : ha_t_uniform(&seed, 15e3, 25e3));
  }
  check_distribution("bimodal", v, n);
  for (size_t i = 0; i < n; i++) {
    v[i] = (uint64_t)ha_t_uniform(&seed, 0, 3e10); /* reaches the overflow bucket */
  }
  check_distribution("wide", v, n);

  /* A constant distribution comes out exact (clamped to min = max). */
  ha_metrics *m;
  CHECK_OK(ha_metrics_create(&m));
  for (int i = 0; i < 10; i++) {
    ha_metrics_record_tick(m, 5000, 0, false);
  }
  ha_metrics_snap *s = snap_of(m);
  CHECK_NEAR(ha_histogram_quantile(&s->hist[HA_HIST_TICK], 0.5), 5000, 0);
  CHECK_NEAR(ha_histogram_quantile(&s->hist[HA_HIST_TICK], 0.99), 5000, 0);
  CHECK_NEAR(ha_histogram_quantile(&s->hist[HA_HIST_TICK], NAN), 5000, 0);
  CHECK_NEAR(ha_histogram_quantile(NULL, 0.5), 0, 0);
  free(s);
  ha_metrics_destroy(m);
  free(v);
}

/* ---- JSON -------------------------------------------------------------------- */

static ha_metrics *sample_metrics(void) {
  ha_metrics *m;
  if (ha_metrics_create(&m) != HA_OK) {
    abort();
  }
  for (uint64_t i = 0; i < 500; i++) {
    ha_metrics_record_tick(m, 10000 + i * 100, i % 50 == 0 ? 2000000 : 500, i % 50 == 0);
    ha_metrics_record_model(m, 0, 3000 + i);
    ha_metrics_record_model(m, 7, 800);
  }
  ha_metrics_set_key_name(m, 0, "circular");
  ha_metrics_set_key_name(m, 2, "odd \"name\" \\ with\tcontrol");
  ha_metrics_add(m, HA_COUNTER_MESSAGES, 64000);
  ha_metrics_add(m, HA_COUNTER_SEND_ERRORS, 2);
  ha_metrics_record_memory(m, 1u << 22);
  ha_metrics_record_error(m, HA_ERROR_OUT_OF_BOUNDS, HA_CATEGORY_COMPUTATION);
  ha_metrics_record_error(m, HA_ERROR_OUT_OF_BOUNDS, HA_CATEGORY_COMPUTATION);
  ha_metrics_record_error(m, HA_ERROR_INVALID_PARAMETER, HA_CATEGORY_MODEL);
  return m;
}

static void test_json(void) {
  ha_metrics *m = sample_metrics();
  ha_metrics_snap *s = snap_of(m);
  size_t cap = 1 << 20;
  char *buf = malloc(cap);
  int len = ha_metrics_to_json(s, buf, cap);
  CHECK(len > 0);
  CHECK_INT(strlen(buf), len);
  json_error_t jerr;
  json_t *root = json_loads(buf, 0, &jerr);
  CHECK_MSG(root != NULL, "JSON does not parse: %s at %d:%d", jerr.text, jerr.line, jerr.column);
  if (root != NULL) {
    json_t *tick = json_object_get(json_object_get(root, "histograms"), "tick_duration");
    CHECK_INT(json_integer_value(json_object_get(tick, "count")), 500);
    CHECK_INT(json_integer_value(json_object_get(tick, "min_ns")), 10000);
    CHECK_INT(json_integer_value(json_object_get(tick, "max_ns")), 10000 + 499 * 100);
    double p50 = json_number_value(json_object_get(tick, "p50_ns"));
    CHECK(p50 >= 10000 && p50 <= 59900);
    json_t *buckets = json_object_get(tick, "buckets");
    CHECK(json_is_array(buckets) && json_array_size(buckets) > 0);
    json_int_t total = 0;
    for (size_t i = 0; i < json_array_size(buckets); i++) {
      total += json_integer_value(json_object_get(json_array_get(buckets, i), "count"));
    }
    CHECK_INT(total, 500);
    json_t *models = json_object_get(root, "models");
    CHECK_INT(json_array_size(models), 3); /* keys 0 (named, used), 2 (named), 7 (used) */
    CHECK_STR(json_string_value(json_object_get(json_array_get(models, 0), "name")), "circular");
    CHECK_STR(json_string_value(json_object_get(json_array_get(models, 1), "name")),
              "odd \"name\" \\ with_control");
    CHECK_INT(json_integer_value(json_object_get(json_array_get(models, 1), "count")), 0);
    CHECK_INT(json_integer_value(json_object_get(json_array_get(models, 2), "key")), 7);
    json_t *counters = json_object_get(root, "counters");
    CHECK_INT(json_integer_value(json_object_get(counters, "ticks")), 500);
    CHECK_INT(json_integer_value(json_object_get(counters, "late_ticks")), 10);
    CHECK_INT(json_integer_value(json_object_get(counters, "messages_sent")), 64000);
    CHECK_INT(json_integer_value(json_object_get(counters, "send_errors")), 2);
    CHECK_NEAR(json_number_value(json_object_get(json_object_get(root, "gauges"), "memory_bytes")),
               1 << 22, 0);
    json_t *errors = json_object_get(root, "errors");
    CHECK_INT(json_integer_value(json_object_get(errors, "total")), 3);
    json_t *by = json_object_get(errors, "by_kind");
    CHECK_INT(json_array_size(by), 2);
    CHECK_STR(json_string_value(json_object_get(json_array_get(by, 0), "kind")),
              "InvalidParameter");
    CHECK_STR(json_string_value(json_object_get(json_array_get(by, 1), "category")), "computation");
    CHECK_INT(json_integer_value(json_object_get(json_array_get(by, 1), "count")), 2);
    json_decref(root);
  }

  /* Too small: HA_ENOBUFS and a NUL-terminated prefix; exactly enough: OK. */
  char *small = malloc((size_t)len + 1);
  CHECK_INT(ha_metrics_to_json(s, small, (size_t)len), HA_ENOBUFS);
  CHECK_INT(small[len - 1], 0);
  CHECK_INT(ha_metrics_to_json(s, small, (size_t)len + 1), len);
  CHECK_INT(memcmp(small, buf, (size_t)len + 1), 0);
  CHECK_INT(ha_metrics_to_json(s, NULL, 0), HA_ENOBUFS);
  CHECK_INT(ha_metrics_to_json(s, NULL, 10), HA_EINVAL);
  CHECK_INT(ha_metrics_to_json(NULL, buf, cap), HA_EINVAL);
  free(small);
  free(buf);
  free(s);
  ha_metrics_destroy(m);
}

/* ---- Prometheus ---------------------------------------------------------------- */

static void test_prometheus(void) {
  ha_metrics *m = sample_metrics();
  ha_metrics_snap *s = snap_of(m);
  size_t cap = 1 << 20;
  char *buf = malloc(cap);
  int len = ha_metrics_to_prometheus(s, buf, cap);
  CHECK(len > 0);
  prom_check *pc = malloc(sizeof(*pc));
  CHECK_MSG(prom_check_text(buf, pc), "Prometheus text refused: %s", pc->error);
  CHECK(pc->samples > 100);
  double v = -1;
  CHECK(prom_value(buf, "holoanim_ticks_total", &v) && v >= 500 && v <= 500);
  CHECK(prom_value(buf, "holoanim_late_ticks_total", &v) && v >= 10 && v <= 10);
  CHECK(prom_value(buf, "holoanim_tick_duration_seconds_count", &v) && v >= 500 && v <= 500);
  CHECK(prom_value(buf, "holoanim_tick_duration_seconds_bucket{le=\"+Inf\"}", &v) && v >= 500 &&
        v <= 500);
  CHECK(prom_value(buf, "holoanim_tick_duration_seconds_bucket{le=\"1e-05\"}", &v) && v >= 1 &&
        v <= 1);
  double sum_s = (500.0 * 10000 + 100.0 * 499 * 500 / 2) / 1e9;
  CHECK(prom_value(buf, "holoanim_tick_duration_seconds_sum", &v));
  CHECK_NEAR(v, sum_s, 1e-12);
  CHECK(prom_value(buf, "holoanim_tick_duration_max_seconds", &v));
  CHECK_NEAR(v, 59900e-9, 1e-15);
  CHECK(prom_value(buf, "holoanim_messages_sent_total", &v) && v >= 64000 && v <= 64000);
  CHECK(prom_value(buf, "holoanim_memory_bytes", &v) && v >= 4194304 && v <= 4194304);
  CHECK(
      prom_value(buf, "holoanim_errors_total{kind=\"OutOfBounds\",category=\"computation\"}", &v) &&
      v >= 2 && v <= 2);
  CHECK(prom_value(buf, "holoanim_errors_total{kind=\"Io\",category=\"io\"}", &v) && v <= 0);
  CHECK(
      prom_value(buf, "holoanim_model_duration_seconds_count{key=\"0\",model=\"circular\"}", &v) &&
      v >= 500 && v <= 500);
  CHECK(prom_value(buf, "holoanim_model_duration_seconds_count{key=\"7\",model=\"7\"}", &v) &&
        v >= 500 && v <= 500);
  CHECK(strstr(buf, "model=\"odd \\\"name\\\" \\\\ with_control\"") != NULL);
  CHECK(strstr(buf, "# TYPE holoanim_tick_duration_seconds histogram\n") != NULL);
  CHECK(strstr(buf, "# TYPE holoanim_ticks_total counter\n") != NULL);

  char *small = malloc((size_t)len);
  CHECK_INT(ha_metrics_to_prometheus(s, small, (size_t)len), HA_ENOBUFS);
  CHECK_INT(small[len - 1], 0);
  free(small);

  /* An empty set of metrics renders well-formed too (no model family). */
  ha_metrics *empty;
  CHECK_OK(ha_metrics_create(&empty));
  CHECK_OK(ha_metrics_snapshot(empty, s));
  CHECK(ha_metrics_to_prometheus(s, buf, cap) > 0);
  CHECK_MSG(prom_check_text(buf, pc), "empty Prometheus text refused: %s", pc->error);
  CHECK(strstr(buf, "holoanim_model_duration") == NULL);
  CHECK(ha_metrics_to_json(s, buf, cap) > 0);
  json_t *root = json_loads(buf, 0, NULL);
  CHECK(root != NULL);
  json_decref(root);
  ha_metrics_destroy(empty);
  free(pc);
  free(buf);
  free(s);
  ha_metrics_destroy(m);
}

static void test_key_names(void) {
  ha_metrics *m;
  CHECK_OK(ha_metrics_create(&m));
  CHECK_INT(ha_metrics_set_key_name(m, HA_METRICS_MAX_KEYS, "x"), HA_EINVAL);
  CHECK_INT(ha_metrics_set_key_name(NULL, 0, "x"), HA_EINVAL);
  char longname[100];
  memset(longname, 'a', sizeof(longname) - 1);
  longname[sizeof(longname) - 1] = '\0';
  CHECK_OK(ha_metrics_set_key_name(m, 1, longname));
  CHECK_OK(ha_metrics_set_key_name(m, 2, "gone"));
  CHECK_OK(ha_metrics_set_key_name(m, 2, NULL));
  CHECK_OK(ha_metrics_set_key_name(m, 3, "caf\xc3\xa9"));
  ha_metrics_snap *s = snap_of(m);
  CHECK_INT(strlen(s->model_name[1]), HA_METRICS_NAME_MAX - 1);
  CHECK_STR(s->model_name[2], "");
  CHECK_STR(s->model_name[3], "caf__");
  free(s);
  ha_metrics_destroy(m);
}

/* ---- concurrency --------------------------------------------------------------- */

#define REC_THREADS 2
#define REC_ITERS 100000

typedef struct race {
  ha_metrics *m;
  atomic_int done; /* the test's own flag: seq_cst, once per run */
  int snapshots;
  int bad;
} race;

static void *recorder_main(void *arg) {
  race *r = arg;
  for (uint64_t i = 0; i < REC_ITERS; i++) {
    ha_metrics_record_tick(r->m, 1000 + (i % 4096) * 250, i % 7, (i & 15u) == 0);
    ha_metrics_record_model(r->m, (unsigned)(i % 4), 2000 + i % 100);
    ha_metrics_add(r->m, HA_COUNTER_MESSAGES, 3);
    if (i % 100 == 0) {
      ha_metrics_record_error(r->m, HA_ERROR_OUT_OF_BOUNDS, HA_CATEGORY_COMPUTATION);
      ha_metrics_record_memory(r->m, i);
    }
  }
  return NULL;
}

static void *snapshotter_main(void *arg) {
  race *r = arg;
  ha_metrics_snap *s = snap_new();
  ha_metrics_snap *prev = snap_new();
  memset(prev, 0, sizeof(*prev));
  char *text = malloc(1 << 20);
  /* do-while: at least one snapshot even when the scheduler lets the
   * recorders finish first (a loaded machine). */
  do {
    ha_metrics_snapshot(r->m, s);
    r->snapshots++;
    /* Each number only grows; the buckets and the count agree. */
    const ha_histogram_snap *h = &s->hist[HA_HIST_TICK];
    uint64_t sum = 0;
    for (size_t i = 0; i < HA_METRICS_BUCKETS; i++) {
      sum += h->buckets[i];
      if (h->buckets[i] < prev->hist[HA_HIST_TICK].buckets[i]) {
        r->bad++;
      }
    }
    if (sum != h->count || h->count < prev->hist[HA_HIST_TICK].count ||
        s->counters[HA_COUNTER_MESSAGES] < prev->counters[HA_COUNTER_MESSAGES] ||
        s->counters[HA_COUNTER_TICKS] < prev->counters[HA_COUNTER_TICKS] ||
        s->errors_total < prev->errors_total || h->sum_ns < prev->hist[HA_HIST_TICK].sum_ns) {
      r->bad++;
    }
    if ((r->snapshots & 7) == 0 && ha_metrics_to_prometheus(s, text, 1 << 20) < 0) {
      r->bad++;
    }
    ha_metrics_snap *t = prev;
    prev = s;
    s = t;
  } while (!atomic_load(&r->done));
  free(text);
  free(s);
  free(prev);
  return NULL;
}

static void test_concurrent_record_and_snapshot(void) {
  race r;
  memset(&r, 0, sizeof(r));
  atomic_init(&r.done, 0);
  CHECK_OK(ha_metrics_create(&r.m));
  pthread_t rec[REC_THREADS], snap;
  CHECK_INT(pthread_create(&snap, NULL, snapshotter_main, &r), 0);
  for (int i = 0; i < REC_THREADS; i++) {
    CHECK_INT(pthread_create(&rec[i], NULL, recorder_main, &r), 0);
  }
  for (int i = 0; i < REC_THREADS; i++) {
    pthread_join(rec[i], NULL);
  }
  atomic_store(&r.done, 1);
  pthread_join(snap, NULL);
  ha_metrics_snap *s = snap_of(r.m);
  uint64_t n = (uint64_t)REC_THREADS * REC_ITERS;
  CHECK_INT(s->counters[HA_COUNTER_TICKS], n);
  CHECK_INT(s->counters[HA_COUNTER_LATE_TICKS], n / 16);
  CHECK_INT(s->counters[HA_COUNTER_MESSAGES], 3 * n);
  CHECK_INT(s->hist[HA_HIST_TICK].count, n);
  CHECK_INT(s->hist[HA_HIST_LATENESS].count, n);
  uint64_t sum = 0;
  for (uint64_t i = 0; i < REC_ITERS; i++) {
    sum += 1000 + (i % 4096) * 250;
  }
  CHECK(s->hist[HA_HIST_TICK].sum_ns == sum * REC_THREADS);
  CHECK_INT(s->hist[HA_HIST_TICK].max_ns, 1000 + 4095 * 250);
  CHECK_INT(s->hist[HA_HIST_TICK].min_ns, 1000);
  CHECK_INT(s->model[0].count + s->model[1].count + s->model[2].count + s->model[3].count, n);
  CHECK_INT(s->errors[HA_ERROR_OUT_OF_BOUNDS][HA_CATEGORY_COMPUTATION], n / 100);
  CHECK_INT(r.bad, 0);
  CHECK(r.snapshots > 0);
  printf("     %d snapshots raced %llu records\n", r.snapshots, (unsigned long long)n);
  free(s);
  ha_metrics_destroy(r.m);
}

/* ---- HTTP ------------------------------------------------------------------------ */

static int tcp_connect(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return -1;
  }
  struct timeval tv = {60, 0}; /* never hang the test */
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  struct sockaddr_in a;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static bool send_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) {
      return false;
    }
    p += w;
    n -= (size_t)w;
  }
  return true;
}

/* Read until EOF or a reset; NULL when our 60 s receive timeout expires
 * (the server hung). */
static char *recv_all(int fd, size_t *len) {
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap + 1);
  for (;;) {
    if (n == cap) {
      cap *= 2;
      buf = realloc(buf, cap + 1);
    }
    ssize_t r = recv(fd, buf + n, cap - n, 0);
    if (r > 0) {
      n += (size_t)r;
      continue;
    }
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      free(buf);
      return NULL; /* our 60 s timeout: the server hung */
    }
    break; /* EOF or reset */
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

static char *http(uint16_t port, const char *request, size_t *len) {
  int fd = tcp_connect(port);
  if (fd < 0) {
    return NULL;
  }
  char *resp = NULL;
  if (send_all(fd, request, strlen(request))) {
    resp = recv_all(fd, len);
  }
  close(fd);
  return resp;
}

static const char *body_of(const char *resp) {
  const char *b = strstr(resp, "\r\n\r\n");
  return b != NULL ? b + 4 : "";
}

static void test_http_basic(void) {
  ha_metrics *m = sample_metrics();
  ha_metrics_server *srv = NULL;
  ha_error err;
  CHECK_OK(ha_metrics_http_start(m, NULL, 0, &srv, &err));
  uint16_t port = ha_metrics_http_port(srv);
  CHECK(port != 0);
  size_t len = 0;

  char *r = http(port, "GET /metrics HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n", &len);
  CHECK(r != NULL);
  if (r != NULL) {
    CHECK(strncmp(r, "HTTP/1.1 200 OK\r\n", 17) == 0);
    CHECK(strstr(r, "\r\nContent-Type: text/plain; version=0.0.4") != NULL);
    const char *body = body_of(r);
    const char *cl = strstr(r, "Content-Length: ");
    CHECK(cl != NULL && (size_t)atol(cl + 16) == strlen(body));
    prom_check *pc = malloc(sizeof(*pc));
    CHECK_MSG(prom_check_text(body, pc), "served text refused: %s", pc->error);
    double v;
    CHECK(prom_value(body, "holoanim_ticks_total", &v) && v >= 500 && v <= 500);
    free(pc);
    free(r);
  }
  /* Fresh numbers at each scrape. */
  ha_metrics_add(m, HA_COUNTER_TICKS, 1);
  r = http(port, "GET /metrics?name=x HTTP/1.0\n\n", &len);
  CHECK(r != NULL && strstr(r, "\nholoanim_ticks_total 501\n") != NULL);
  free(r);

  r = http(port, "GET /metrics.json HTTP/1.1\r\n\r\n", &len);
  CHECK(r != NULL && strstr(r, "Content-Type: application/json") != NULL);
  if (r != NULL) {
    json_t *root = json_loads(body_of(r), 0, NULL);
    CHECK(root != NULL);
    json_decref(root);
    free(r);
  }
  r = http(port, "GET /other HTTP/1.1\r\n\r\n", &len);
  CHECK(r != NULL && strncmp(r, "HTTP/1.1 404 ", 13) == 0);
  free(r);
  r = http(port, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n", &len);
  CHECK(r != NULL && strncmp(r, "HTTP/1.1 405 ", 13) == 0 && strstr(r, "Allow: GET") != NULL);
  free(r);
  r = http(port, "HEAD /metrics HTTP/1.1\r\n\r\n", &len);
  CHECK(r != NULL && strncmp(r, "HTTP/1.1 200 ", 13) == 0 && body_of(r)[0] == '\0');
  free(r);
  /* Malformed requests get an error status (400, or 505 for HTTP/2.0) or,
   * when libmicrohttpd cannot make a request of them at all (no method, a
   * TLS hello), a close without an answer; never a 200. (A doubled space
   * between the request line's words is tolerated, as RFC 9112 section 3
   * allows.) */
  const char *malformed[] = {"GET\r\n\r\n",
                             "GET /metrics\r\n\r\n",
                             "GET metrics HTTP/1.1\r\n\r\n",
                             "GET /metrics HTTP/2.0\r\n\r\n",
                             "get /metrics HTTP/1.1\r\n\r\n",
                             "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
                             "GET /metrics HTTP/1.1 extra\r\n\r\n"};
  for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
    r = http(port, malformed[i], &len);
    bool refused = r != NULL && (len == 0 || strncmp(r, "HTTP/1.1 4", 10) == 0 ||
                                 strncmp(r, "HTTP/1.1 5", 10) == 0);
    CHECK_MSG(refused, "malformed #%zu: %.40s", i, r != NULL ? r : "(timeout)");
    free(r);
  }
  /* Still serving after all that. */
  r = http(port, "GET /metrics HTTP/1.1\r\n\r\n", &len);
  CHECK(r != NULL && strncmp(r, "HTTP/1.1 200 ", 13) == 0);
  free(r);

  double t0 = now_s();
  ha_metrics_http_stop(srv);
  CHECK_MSG(now_s() - t0 < 60.0, "stop took %.3f s", now_s() - t0);
  /* Stopped: nobody listens any more. */
  int fd = tcp_connect(port);
  CHECK(fd < 0);
  if (fd >= 0) {
    close(fd);
  }
  ha_metrics_http_stop(NULL);
  CHECK_INT(ha_metrics_http_port(NULL), 0);
  ha_metrics_destroy(m);
}

/* recv with MSG_DONTWAIT on fd: 1 while the server keeps it open and
 * silent, 0 when it has closed (EOF or reset), -1 when it answered. */
static int conn_open_state(int fd) {
  char c;
  ssize_t rr = recv(fd, &c, 1, MSG_DONTWAIT);
  if (rr > 0) {
    return -1;
  }
  return rr < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? 1 : 0;
}

/* Each connection's deadline runs from its accept (after the test's clock
 * read before connecting), so a drop seen earlier than TIMEOUT_S after that
 * read is a deadline fired early; the server counts whole milliseconds,
 * hence the 2 ms. How late a drop or an answer comes is not asserted (60 s
 * deadlines only): only the order of events. The deadline is the server's
 * default, long enough that the "not held up" answers come first even on a
 * loaded machine. */
#define TIMEOUT_MS 2000
#define TIMEOUT_S (TIMEOUT_MS / 1000.0)
#define EARLY_S 0.002

static void test_http_bad_clients(void) {
  ha_metrics *m = sample_metrics();
  ha_metrics_http_config cfg = ha_metrics_http_config_default();
  cfg.timeout_ms = TIMEOUT_MS;
  cfg.max_request = 1024;
  cfg.max_clients = 4;
  cfg.max_per_address = 4;
  ha_metrics_server *srv = NULL;
  CHECK_OK(ha_metrics_http_start_ex(m, &cfg, &srv, NULL));
  uint16_t port = ha_metrics_http_port(srv);
  size_t len;

  /* A silent client does not hold up others: a newcomer is answered while
   * the silent connection is still open. The silent one is dropped at its
   * deadline, not before. */
  double t0 = now_s();
  int silent = tcp_connect(port);
  CHECK(silent >= 0);
  char *r = http(port, "GET /metrics HTTP/1.1\r\n\r\n", &len);
  CHECK(r != NULL && strncmp(r, "HTTP/1.1 200 ", 13) == 0);
  free(r);
  CHECK_MSG(conn_open_state(silent) == 1,
            "the silent client was closed before the newcomer was answered");
  char *gone = recv_all(silent, &len);
  double waited = now_s() - t0;
  CHECK_MSG(gone != NULL && len == 0, "silent client not dropped");
  CHECK_MSG(waited >= TIMEOUT_S - EARLY_S, "silent client dropped after %.3f s, deadline %.3f s",
            waited, TIMEOUT_S);
  free(gone);
  close(silent);

  /* A trickling client is not dropped by the idle timeout (each byte is
   * activity); tests/test_metrics_http.c checks that it holds up nobody. */

  /* An oversized head is refused: 414 for a long request line, 431 for
   * long header fields. MHD's pool is max_request + 4 KiB, hence 16 KiB. */
  char *big = malloc(16 * 1024 + 64);
  memcpy(big, "GET /", 5);
  memset(big + 5, 'a', 16 * 1024);
  memcpy(big + 5 + 16 * 1024, " HTTP/1.1\r\n\r\n", 14);
  r = http(port, big, &len);
  CHECK_MSG(r != NULL && strncmp(r, "HTTP/1.1 414 ", 13) == 0, "long line: %.40s",
            r != NULL ? r : "(timeout)");
  free(r);
  const char *head = "GET /metrics HTTP/1.1\r\nX: ";
  size_t hn = strlen(head);
  memcpy(big, head, hn);
  memset(big + hn, 'a', 16 * 1024);
  memcpy(big + hn + 16 * 1024, "\r\n\r\n", 5);
  r = http(port, big, &len);
  CHECK_MSG(r != NULL && strncmp(r, "HTTP/1.1 431 ", 13) == 0, "long header: %.40s",
            r != NULL ? r : "(timeout)");
  free(r);
  free(big);

  /* All slots taken by silent clients: a newcomer waits in the backlog until
   * a slot frees at a deadline, then is served. */
  t0 = now_s();
  int hog[4];
  for (int i = 0; i < 4; i++) {
    hog[i] = tcp_connect(port);
  }
  r = http(port, "GET /metrics HTTP/1.1\r\n\r\n", &len);
  waited = now_s() - t0;
  CHECK(r != NULL && strncmp(r, "HTTP/1.1 200 ", 13) == 0);
  CHECK_MSG(waited >= TIMEOUT_S - EARLY_S, "newcomer served after %.3f s, before a slot freed",
            waited);
  CHECK_MSG(waited < 60.0, "newcomer waited %.3f s", waited);
  free(r);
  for (int i = 0; i < 4; i++) {
    close(hog[i]);
  }

  /* A client that never reads its (large) answer does not block stop. */
  int deaf = tcp_connect(port);
  int rcv = 1024;
  setsockopt(deaf, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
  send_all(deaf, "GET /metrics HTTP/1.1\r\n\r\n", 25);
  int idle = tcp_connect(port);
  struct timespec ts = {0, 50 * 1000 * 1000};
  nanosleep(&ts, NULL);
  t0 = now_s();
  ha_metrics_http_stop(srv);
  CHECK_MSG(now_s() - t0 < 60.0, "stop took %.3f s", now_s() - t0);
  close(deaf);
  close(idle);
  ha_metrics_destroy(m);
}

static void test_http_start_errors(void) {
  ha_metrics *m;
  CHECK_OK(ha_metrics_create(&m));
  ha_metrics_server *a = NULL, *b = NULL;
  ha_error err;
  CHECK_INT(ha_metrics_http_start(m, "localhost-not-numeric", 0, &b, &err), HA_EINVAL);
  CHECK(b == NULL);
  CHECK_INT(err.kind, HA_ERROR_INVALID_PARAMETER);
  CHECK_INT(ha_metrics_http_start(NULL, NULL, 0, &b, &err), HA_EINVAL);
  CHECK_INT(ha_metrics_http_start(m, NULL, 0, NULL, NULL), HA_EINVAL);
  ha_metrics_http_config cfg = ha_metrics_http_config_default();
  cfg.timeout_ms = 0;
  CHECK_INT(ha_metrics_http_start_ex(m, &cfg, &b, &err), HA_EINVAL);
  CHECK_OK(ha_metrics_http_start(m, "127.0.0.1", 0, &a, &err));
  uint16_t port = ha_metrics_http_port(a);
  CHECK_INT(ha_metrics_http_start(m, "127.0.0.1", port, &b, &err), HA_EIO);
  CHECK(b == NULL);
  CHECK_INT(err.kind, HA_ERROR_IO);
  CHECK(strstr(err.message, "127.0.0.1") != NULL);
  /* IPv6 loopback, when the host has it. */
  if (ha_metrics_http_start(m, "::1", 0, &b, NULL) == HA_OK) {
    CHECK(ha_metrics_http_port(b) != 0);
    ha_metrics_http_stop(b);
  }
  ha_metrics_http_stop(a);
  ha_metrics_destroy(m);
}

int main(void) {
  RUN(test_prom_checker_refuses);
  RUN(test_bucket_bounds);
  RUN(test_counts_exact);
  RUN(test_percentiles);
  RUN(test_json);
  RUN(test_prometheus);
  RUN(test_key_names);
  RUN(test_concurrent_record_and_snapshot);
  RUN(test_http_basic);
  RUN(test_http_bad_clients);
  RUN(test_http_start_errors);
  return test_done();
}
