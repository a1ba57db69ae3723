/* holoanim render: an SVG picture of a trajectory (top and side views). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "svg.h"

int cmd_render(int argc, char **argv) {
  cli_motion cm;
  cli_motion_init(&cm);
  const char *out = NULL, *title = NULL;
  double from = 0, to = -1, samples = 0, track = 1;
  int rc = CLI_OK;
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
      rc = cli_usage_error("render: unknown option or missing value '%s'", a);
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
      out = v;
    } else if (strcmp(a, "--title") == 0) {
      title = v;
    } else if (strcmp(a, "--from") == 0) {
      rc = cli_parse_double(v, "--from", &from) ? CLI_USAGE : CLI_OK;
    } else if (strcmp(a, "--to") == 0) {
      rc = cli_parse_double(v, "--to", &to) ? CLI_USAGE : CLI_OK;
    } else if (strcmp(a, "--samples") == 0) {
      rc = cli_parse_double(v, "--samples", &samples) ? CLI_USAGE : CLI_OK;
      if (rc == CLI_OK && !(samples >= 2 && samples <= 1e6)) {
        rc = cli_usage_error("--samples: %g is not in [2, 1000000]", samples);
      }
    } else if (strcmp(a, "--track") == 0) {
      rc = cli_parse_double(v, "--track", &track) ? CLI_USAGE : CLI_OK;
    } else {
      rc = cli_usage_error("render: unknown option '%s'", a);
    }
    i++;
  }
  if (rc == CLI_OK && out == NULL) {
    rc = cli_usage_error("render: -o FILE.svg is required");
  }
  ha_motion *m = NULL;
  if (rc == CLI_OK) {
    rc = cli_motion_create(&cm, &m);
  }
  double *buf = NULL;
  if (rc == CLI_OK) {
    ha_timing tm = ha_motion_timing(m);
    if (to < 0) {
      /* One full cycle by default (two for pingpong: there and back). */
      to = from + tm.duration * (tm.loop == HA_LOOP_PINGPONG ? 2.0 : 1.0) / tm.speed;
    }
    if (!(to > from)) {
      rc = cli_usage_error("render: --to %g must be after --from %g", to, from);
    }
    size_t n = samples > 0 ? (size_t)samples : 1001;
    buf = malloc(4 * n * sizeof(double));
    if (rc == CLI_OK && buf == NULL) {
      rc = cli_usage_error("out of memory");
    }
    if (rc == CLI_OK) {
      double *t = buf, *x = buf + n, *y = buf + 2 * n, *z = buf + 3 * n;
      ha_motion_state st;
      ha_motion_state_reset(&st);
      ha_track_ctx ctx = {(uint32_t)track, 0.0, &st, NULL};
      for (size_t i = 0; i < n; i++) {
        t[i] = from + (to - from) * (double)i / (double)(n - 1);
        ha_vec3 p = ha_motion_eval(m, t[i], &ctx);
        x[i] = p.x;
        y[i] = p.y;
        z[i] = p.z;
      }
      char name[128];
      snprintf(name, sizeof(name), "%s", ha_motion_model(m)->name);
      ha_svg_track trk = {name, NULL, t, x, y, z, n};
      ha_svg_options opt = ha_svg_options_default();
      opt.title = title ? title : name;
      FILE *f = fopen(out, "w");
      if (f == NULL) {
        rc = cli_usage_error("render: cannot write '%s'", out);
      } else {
        int w = ha_svg_write(f, &trk, 1, &opt);
        if (fclose(f) != 0 || w != 0) {
          rc = cli_usage_error("render: failed writing '%s'", out);
        }
      }
    }
  }
  free(buf);
  ha_motion_destroy(m);
  cli_motion_deinit(&cm);
  return rc;
}
