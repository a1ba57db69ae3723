/* holoanim eval: positions of one motion at chosen times, as CSV or JSON.
 * Numbers are printed in the shortest form that reads back to the same
 * double, so `eval` output can be compared exactly with other paths. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_fmt_double(char *buf, size_t cap, double v);

void cli_fmt_double(char *buf, size_t cap, double v) {
  if (v > -5e-324 && v < 5e-324) {
    snprintf(buf, cap, "0"); /* also folds −0 */
    return;
  }
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, cap, "%.*g", prec, v);
    double back = strtod(buf, NULL);
    if (!(back < v) && !(back > v)) {
      return;
    }
  }
}

/* Times from "--t a,b,c" or from/to/step into a new array. */
static int collect_times(const char *list, double from, double to, double step, int have_range,
                         double **out, size_t *n) {
  if (list != NULL) {
    size_t cap = 1;
    for (const char *c = list; *c; c++) {
      cap += *c == ',';
    }
    double *ts = malloc(cap * sizeof(double));
    if (ts == NULL) {
      return cli_usage_error("out of memory");
    }
    size_t k = 0;
    const char *s = list;
    while (*s) {
      char *end = NULL;
      double v = strtod(s, &end);
      if (end == s || (*end != ',' && *end != '\0') || !isfinite(v)) {
        free(ts);
        return cli_usage_error("--t: '%s' is not a comma-separated list of finite times", list);
      }
      ts[k++] = v;
      s = *end == ',' ? end + 1 : end;
    }
    *out = ts;
    *n = k;
    return CLI_OK;
  }
  if (!have_range) {
    return cli_usage_error("give --t t1,t2,... or --from A --to B --step S");
  }
  if (!(step > 0.0)) {
    return cli_usage_error("--step: %g must be above 0", step);
  }
  if (to < from) {
    return cli_usage_error("--to %g is before --from %g", to, from);
  }
  double count = floor((to - from) / step + 1e-9) + 1.0;
  if (count > 1e7) {
    return cli_usage_error("--from/--to/--step give %.0f samples; the limit is 10000000", count);
  }
  size_t k = (size_t)count;
  double *ts = malloc(k * sizeof(double));
  if (ts == NULL) {
    return cli_usage_error("out of memory");
  }
  for (size_t i = 0; i < k; i++) {
    ts[i] = from + (double)i * step;
  }
  *out = ts;
  *n = k;
  return CLI_OK;
}

int cmd_eval(int argc, char **argv) {
  cli_motion cm;
  cli_motion_init(&cm);
  const char *tlist = NULL, *format = "csv";
  double from = 0, to = 0, step = 0, shift = 0;
  int have_from = 0, have_to = 0, have_step = 0, rc = CLI_OK;
  double track = 1;
  for (int i = 1; i < argc && rc == CLI_OK; i++) {
    int r = cli_motion_arg(&cm, argc, argv, &i);
    if (r < 0) {
      rc = CLI_USAGE;
      break;
    }
    if (r > 0) {
      continue;
    }
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (v == NULL) {
      rc = cli_usage_error("eval: unknown option or missing value '%s'", a);
    } else if (strcmp(a, "--t") == 0) {
      tlist = v;
    } else if (strcmp(a, "--from") == 0) {
      have_from = 1;
      rc = cli_parse_double(v, "--from", &from) ? CLI_USAGE : CLI_OK;
    } else if (strcmp(a, "--to") == 0) {
      have_to = 1;
      rc = cli_parse_double(v, "--to", &to) ? CLI_USAGE : CLI_OK;
    } else if (strcmp(a, "--step") == 0) {
      have_step = 1;
      rc = cli_parse_double(v, "--step", &step) ? CLI_USAGE : CLI_OK;
    } else if (strcmp(a, "--format") == 0) {
      format = v;
      if (strcmp(v, "csv") != 0 && strcmp(v, "json") != 0) {
        rc = cli_usage_error("--format: '%s' is not one of csv|json", v);
      }
    } else if (strcmp(a, "--track") == 0) {
      rc = cli_parse_double(v, "--track", &track) ? CLI_USAGE : CLI_OK;
      if (rc == CLI_OK && !(track >= 1 && track <= 1e6 && !(track > floor(track)))) {
        rc = cli_usage_error("--track: %g is not a track number in [1, 1000000]", track);
      }
    } else if (strcmp(a, "--shift") == 0) {
      rc = cli_parse_double(v, "--shift", &shift) ? CLI_USAGE : CLI_OK;
    } else {
      rc = cli_usage_error("eval: unknown option '%s'", a);
    }
    i++;
  }
  ha_motion *m = NULL;
  double *ts = NULL;
  size_t n = 0;
  if (rc == CLI_OK && (have_from || have_to || have_step) && !(have_from && have_to && have_step)) {
    rc = cli_usage_error("--from, --to and --step go together");
  }
  if (rc == CLI_OK) {
    rc = cli_motion_create(&cm, &m);
  }
  if (rc == CLI_OK) {
    rc = collect_times(tlist, from, to, step, have_from, &ts, &n);
  }
  if (rc == CLI_OK) {
    ha_motion_state st;
    ha_motion_state_reset(&st);
    ha_track_ctx ctx = {(uint32_t)track, shift, &st, NULL};
    int json = strcmp(format, "json") == 0;
    if (json) {
      printf("{\"model\":\"%s\",\"samples\":[", ha_motion_model(m)->name);
    } else {
      puts("t,x,y,z");
    }
    for (size_t i = 0; i < n; i++) {
      ha_vec3 p = ha_motion_eval(m, ts[i], &ctx);
      char b[4][40];
      cli_fmt_double(b[0], sizeof(b[0]), ts[i]);
      cli_fmt_double(b[1], sizeof(b[1]), p.x);
      cli_fmt_double(b[2], sizeof(b[2]), p.y);
      cli_fmt_double(b[3], sizeof(b[3]), p.z);
      if (json) {
        printf("%s{\"t\":%s,\"x\":%s,\"y\":%s,\"z\":%s}", i ? "," : "", b[0], b[1], b[2], b[3]);
      } else {
        printf("%s,%s,%s,%s\n", b[0], b[1], b[2], b[3]);
      }
    }
    if (json) {
      puts("]}");
    }
    if (fflush(stdout) != 0) {
      rc = CLI_FAIL;
    }
  }
  free(ts);
  ha_motion_destroy(m);
  cli_motion_deinit(&cm);
  return rc;
}
