/* holoanim render: an SVG picture of a trajectory (top and side views). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_write_svg(const char *path, const ha_svg_track *tracks, size_t n,
                  const ha_svg_options *opt) {
  FILE *f = fopen(path, "w");
  if (f == NULL) {
    fprintf(stderr, "holoanim: render: cannot write '%s'\n", path);
    return -1;
  }
  int w = ha_svg_write(f, tracks, n, opt);
  if (fclose(f) != 0 || w != 0) {
    fprintf(stderr, "holoanim: render: failed writing '%s'\n", path);
    return -1;
  }
  return 0;
}

static const cli_command render_command = {
    "render",
    "render --model NAME [--param K=V]... [--duration S] [--loop MODE] [--speed X]\n"
    "       -o FILE.svg [--from A] [--to B] [--samples N] [--track N] [--title T]\n"
    "render SHOW.json -o FILE.svg [options] (see 'holoanim render SHOW.json --help')",
    "Draw one motion's trajectory: a top (X-Y) and a side (X-Z) view on one scale.",
    NULL,
    0,
    NULL};

typedef struct render_opts {
  cli_motion motion;
  const char *out, *title;
  double from, to;
  long samples, track;
  int have_to;
} render_opts;

/* Fill *o from argv; o->motion is live only when this returns CLI_CONTINUE. */
static int render_parse(int argc, char **argv, render_opts *o) {
  memset(o, 0, sizeof *o);
  cli_motion_init(&o->motion);
  o->samples = 1001;
  o->track = 1;
  cli_opt opts[] = {
      CLI_MOTION_OPTIONS(&o->motion, "the motion's length in seconds"),
      {CLI_STRING("output", "FILE.svg", "the picture to write (required)", NULL, &o->out),
       .letter = 'o'},
      {CLI_STRING("title", "T", "the picture's title", "the model's name", &o->title)},
      {CLI_NUMBER("from", "A", "first time drawn, in seconds", "0", &o->from)},
      {CLI_NUMBER("to", "B", "last time drawn", "one cycle after --from", &o->to),
       .seen = &o->have_to},
      {CLI_INT("samples", "N", "points on the path, 2..1000000", "1001", &o->samples, 2, 1000000)},
      {CLI_INT("track", "N", "the track number the motion sees, 1..1000000", "1", &o->track, 1,
               1000000)},
  };
  int rc = cli_parse(&render_command, opts, sizeof opts / sizeof opts[0], argc, argv, NULL, NULL);
  if (rc == CLI_CONTINUE && o->out == NULL) {
    rc = cli_usage_error("render: -o FILE.svg is required");
  }
  if (rc != CLI_CONTINUE) {
    cli_motion_deinit(&o->motion);
  }
  return rc;
}

/* n samples of the motion from o->from to o->to, drawn into o->out. */
static int render_motion(const ha_motion *m, const render_opts *o, const char *name) {
  size_t n = (size_t)o->samples;
  double *buf = malloc(4 * n * sizeof(double));
  if (buf == NULL) {
    return cli_fail("out of memory");
  }
  double *t = buf, *x = buf + n, *y = buf + 2 * n, *z = buf + 3 * n;
  ha_motion_state st;
  ha_motion_state_reset(&st);
  ha_track_ctx ctx = {(uint32_t)o->track, 0.0, &st, NULL};
  for (size_t i = 0; i < n; i++) {
    t[i] = o->from + (o->to - o->from) * (double)i / (double)(n - 1);
    ha_vec3 p = ha_motion_eval(m, t[i], &ctx);
    x[i] = p.x;
    y[i] = p.y;
    z[i] = p.z;
  }
  ha_svg_track trk = {name, NULL, t, x, y, z, n};
  ha_svg_options opt = ha_svg_options_default();
  opt.title = o->title ? o->title : name;
  int rc = cli_write_svg(o->out, &trk, 1, &opt) == 0 ? CLI_OK : CLI_FAIL;
  free(buf);
  return rc;
}

int cmd_render(int argc, char **argv) {
  render_opts o;
  int rc = render_parse(argc, argv, &o);
  if (rc != CLI_CONTINUE) {
    return rc;
  }
  ha_motion *m = NULL;
  rc = cli_motion_create(&o.motion, &m);
  if (rc == CLI_OK && !o.have_to) {
    /* One full cycle by default (two for pingpong: there and back). */
    ha_timing tm = ha_motion_timing(m);
    o.to = o.from + tm.duration * (tm.loop == HA_LOOP_PINGPONG ? 2.0 : 1.0) / tm.speed;
  }
  if (rc == CLI_OK && !(o.to > o.from)) {
    rc = cli_usage_error("render: --to %g must be after --from %g", o.to, o.from);
  }
  if (rc == CLI_OK) {
    char name[128];
    snprintf(name, sizeof(name), "%s", ha_motion_model(m)->name);
    rc = render_motion(m, &o, name);
  }
  ha_motion_destroy(m);
  cli_motion_deinit(&o.motion);
  return rc;
}
