/* holoanim eval: positions of one motion at chosen times, as CSV or JSON.
 * Numbers are printed in the shortest form that reads back to the same
 * double (cli_format_number, i.e. the library's ha_format_double), so `eval`
 * output can be compared exactly with other paths. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Times from --from/--to/--step into a new array. */
static int eval_range_times(double from, double to, double step, double **out, size_t *n) {
  if (!(step > 0.0)) {
    return cli_usage_error("--step: %g must be above 0", step);
  }
  if (to < from) {
    return cli_usage_error("--to %g is before --from %g", to, from);
  }
  double count = floor((to - from) / step + 1e-9) + 1.0;
  if (count > 1e7) {
    return cli_usage_error("--from/--to/--step give %.3g samples; the limit is 1e+07", count);
  }
  size_t k = (size_t)count;
  double *ts = malloc(k * sizeof(double));
  if (ts == NULL) {
    return cli_fail("out of memory");
  }
  for (size_t i = 0; i < k; i++) {
    ts[i] = from + (double)i * step;
  }
  *out = ts;
  *n = k;
  return CLI_OK;
}

static const cli_command eval_command = {
    "eval",
    "eval --model NAME [--param K=V]... [--duration S] [--loop MODE] [--speed X]\n"
    "     (--t T1,T2,... | --from A --to B --step S) [--format csv|json]\n"
    "     [--track N] [--shift S]\n"
    "eval SHOW.json [options] (see 'holoanim eval SHOW.json --help')",
    "Positions of one motion at the given times, as CSV (t,x,y,z) or JSON, each number\n"
    "in the shortest form that reads back to the same double.",
    NULL,
    0,
    NULL};

typedef struct eval_opts {
  cli_motion motion;
  double *ts; /* every --t time in order (malloc'd), or NULL */
  size_t nts, cap_ts;
  double from, to, step, shift;
  long track;
  int have_from, have_to, have_step, json;
} eval_opts;

/* CLI_OPT_CALL handler of --t T1,T2,...: repeatable, the times add up.
 * Each list is read as given, so an error quotes what was typed. */
static int eval_add_times(void *ctx, const char *value) {
  eval_opts *o = ctx;
  const char *s = value;
  if (*s == '\0') {
    return cli_usage_error("--t: '' is not a list of times");
  }
  for (;;) {
    const char *comma = strchr(s, ',');
    size_t len = comma != NULL ? (size_t)(comma - s) : strlen(s);
    double t = 0.0;
    if (ha_parse_double(s, len, &t) != HA_OK) {
      return cli_usage_error("--t: '%s' is not a comma-separated list of finite times", value);
    }
    if (o->nts == o->cap_ts) {
      size_t cap = o->cap_ts != 0 ? 2 * o->cap_ts : 64;
      double *grown = realloc(o->ts, cap * sizeof *grown);
      if (grown == NULL) {
        return cli_fail("out of memory");
      }
      o->ts = grown;
      o->cap_ts = cap;
    }
    o->ts[o->nts++] = t;
    if (comma == NULL) {
      return CLI_OK;
    }
    s = comma + 1;
  }
}

/* What the table cannot say: --t or a complete range, not both. */
static int eval_check(const eval_opts *o) {
  int any = o->have_from || o->have_to || o->have_step;
  if (any && o->ts != NULL) {
    return cli_usage_error("give --t or --from/--to/--step, not both");
  }
  if (any && !(o->have_from && o->have_to && o->have_step)) {
    return cli_usage_error("--from, --to and --step go together");
  }
  if (!any && o->ts == NULL) {
    return cli_usage_error("give --t t1,t2,... or --from A --to B --step S");
  }
  return CLI_CONTINUE;
}

/* Fill *o from argv; o->motion is live only when this returns CLI_CONTINUE. */
static int eval_parse(int argc, char **argv, eval_opts *o) {
  memset(o, 0, sizeof *o);
  cli_motion_init(&o->motion);
  o->track = 1;
  cli_opt opts[] = {
      CLI_MOTION_OPTIONS(&o->motion, "the motion's length in seconds"),
      {CLI_CALL("t", "T1,T2,...", "the times to evaluate, in seconds (repeatable)", NULL,
                eval_add_times, o)},
      {CLI_NUMBER("from", "A", "first time of a range (with --to and --step)", NULL, &o->from),
       .seen = &o->have_from},
      {CLI_NUMBER("to", "B", "last time of the range", NULL, &o->to), .seen = &o->have_to},
      {CLI_NUMBER("step", "S", "time between samples of the range", NULL, &o->step),
       .seen = &o->have_step},
      {CLI_CHOICE("format", "F", "csv | json", "csv", &o->json, "csv|json")},
      {CLI_INT("track", "N", "the track number the motion sees, 1..1000000", "1", &o->track, 1,
               1000000)},
      {CLI_NUMBER("shift", "S", "the track's time shift in seconds", "0", &o->shift)},
  };
  int rc = cli_parse(&eval_command, opts, sizeof opts / sizeof opts[0], argc, argv, NULL, NULL);
  rc = rc == CLI_CONTINUE ? eval_check(o) : rc;
  if (rc != CLI_CONTINUE) {
    cli_motion_deinit(&o->motion);
    free(o->ts);
    o->ts = NULL;
  }
  return rc;
}

static void eval_print(const ha_motion *m, const eval_opts *o, const double *ts, size_t n) {
  ha_motion_state st;
  ha_motion_state_reset(&st);
  ha_track_ctx ctx = {(uint32_t)o->track, o->shift, &st, NULL};
  if (o->json) {
    printf("{\"model\":\"%s\",\"samples\":[", ha_motion_model(m)->name);
  } else {
    puts("t,x,y,z");
  }
  for (size_t i = 0; i < n; i++) {
    ha_vec3 p = ha_motion_eval(m, ts[i], &ctx);
    char b[4][40];
    cli_format_number(b[0], sizeof(b[0]), ts[i]);
    cli_format_number(b[1], sizeof(b[1]), p.x);
    cli_format_number(b[2], sizeof(b[2]), p.y);
    cli_format_number(b[3], sizeof(b[3]), p.z);
    if (o->json) {
      printf("%s{\"t\":%s,\"x\":%s,\"y\":%s,\"z\":%s}", i ? "," : "", b[0], b[1], b[2], b[3]);
    } else {
      printf("%s,%s,%s,%s\n", b[0], b[1], b[2], b[3]);
    }
  }
  if (o->json) {
    puts("]}");
  }
}

int cmd_eval(int argc, char **argv) {
  eval_opts o;
  int rc = eval_parse(argc, argv, &o);
  if (rc != CLI_CONTINUE) {
    return rc;
  }
  ha_motion *m = NULL;
  double *ts = o.ts;
  size_t n = o.nts;
  rc = cli_motion_create(&o.motion, &m);
  if (rc == CLI_OK && ts == NULL) {
    rc = eval_range_times(o.from, o.to, o.step, &ts, &n);
  }
  if (rc == CLI_OK) {
    eval_print(m, &o, ts, n);
    rc = fflush(stdout) != 0 ? CLI_FAIL : CLI_OK;
  }
  free(ts);
  ha_motion_destroy(m);
  cli_motion_deinit(&o.motion);
  return rc;
}
