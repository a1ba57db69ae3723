/* holoanim validate | import | eval SHOW.json | render SHOW.json.
 *
 * A thin layer over holoanim/show.h: load (or import), report diagnostics,
 * and for eval/render put the show on an engine and sample it offline,
 * firing cues given as --cue N@T at their times. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_show.h"
#include "holoanim/show.h"
#include "svg.h"

int cli_show_is_show_file(const char *arg) {
  size_t n = arg ? strlen(arg) : 0;
  return n > 5 && strcmp(arg + n - 5, ".json") == 0;
}

static int show_load_exit_code(ha_status st) {
  return st == HA_EIO ? CLI_FAIL : (st == HA_ENOMEM ? CLI_FAIL : CLI_USAGE);
}

int cli_show_load(const char *path, ha_show **out) {
  ha_diags *d = NULL;
  if (ha_diags_create(&d) != HA_OK) {
    return cli_fail("out of memory");
  }
  ha_status st = ha_show_load_file(path, out, d);
  cli_print_diags(d, "");
  int rc = CLI_OK;
  if (st != HA_OK) {
    fprintf(stderr, "holoanim: %s: %zu error%s, %zu warning%s\n", path, ha_diags_errors(d),
            ha_diags_errors(d) == 1 ? "" : "s", ha_diags_warnings(d),
            ha_diags_warnings(d) == 1 ? "" : "s");
    rc = show_load_exit_code(st);
  }
  ha_diags_destroy(d);
  return rc;
}

/* ---- validate ---- */

static int validate_print_json(const char *path) {
  ha_diags *d = NULL;
  if (ha_diags_create(&d) != HA_OK) {
    return cli_fail("out of memory");
  }
  ha_show *show = NULL;
  ha_status st = ha_show_load_file(path, &show, d);
  json_t *arr = json_array();
  static const char *const sev[] = {"error", "warning", "note"};
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    const ha_diag *g = ha_diags_at(d, i);
    json_array_append_new(arr, json_pack("{s:s,s:s,s:i,s:i,s:s,s:s}", "severity", sev[g->severity],
                                         "file", g->file, "line", g->line, "column", g->column,
                                         "path", g->path, "message", g->message));
  }
  char *s = json_dumps(arr, JSON_INDENT(2));
  if (s != NULL) {
    puts(s);
  }
  free(s);
  json_decref(arr);
  ha_diags_destroy(d);
  ha_show_destroy(show);
  return st == HA_OK ? CLI_OK : show_load_exit_code(st);
}

int cli_show_validate(int argc, char **argv) {
  static const cli_command validate_command = {
      "validate",
      "validate SHOW.json [--json]",
      "Check a show: every problem (warnings too) on stderr as FILE:LINE:COLUMN: message,\n"
      "then \"ok: ...\" on stdout. Exit 2 when the show is invalid.",
      "show file",
      1,
      "give a show file (holoanim validate SHOW.json)"};
  const char *path = NULL;
  size_t npath = 0;
  int json = 0;
  cli_opt opts[] = {{CLI_FLAG("json", "the diagnostics as a JSON array on stdout instead", &json)}};
  int rc = cli_parse(&validate_command, opts, 1, argc, argv, &path, &npath);
  if (rc != CLI_CONTINUE) {
    return rc;
  }
  if (json) {
    return validate_print_json(path);
  }
  ha_show *show = NULL;
  rc = cli_show_load(path, &show);
  if (rc != CLI_OK) {
    return rc;
  }
  size_t nt, na, ng, np, nc, no;
  ha_show_tracks(show, &nt);
  ha_show_animations(show, &na);
  ha_show_groups(show, &ng);
  ha_show_presets(show, &np);
  ha_show_cues(show, &nc);
  ha_show_outputs(show, &no);
  printf("ok: %zu track%s, %zu animation%s, %zu group%s, %zu preset%s, %zu cue%s, %zu output%s\n",
         nt, nt == 1 ? "" : "s", na, na == 1 ? "" : "s", ng, ng == 1 ? "" : "s", np,
         np == 1 ? "" : "s", nc, nc == 1 ? "" : "s", no, no == 1 ? "" : "s");
  ha_show_destroy(show);
  return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}

/* ---- import ---- */

/* Without --autostart an imported show plays nothing by itself: say once
 * (one stderr line) what starts it, the show's cues or the flag. */
static void import_print_start_hint(const ha_show *show) {
  size_t ng, nc;
  ha_show_groups(show, &ng);
  const ha_show_cue *c = ha_show_cues(show, &nc);
  if (ng == 0) {
    return;
  }
  fprintf(stderr, "holoanim: nothing starts on play: ");
  if (nc > 0) {
    fprintf(stderr, "fire a cue (");
    for (size_t i = 0; i < nc && i < 8; i++) {
      fprintf(stderr, "%s%g", i > 0 ? ", " : "", c[i].number);
    }
    fprintf(stderr, "%s; eval --cue N@T, or the remote control) or ", nc > 8 ? ", ..." : "");
  }
  fprintf(stderr, "import with --autostart to start every animation on play\n");
}

int cli_show_import(int argc, char **argv) {
  static const cli_command import_command = {
      "import",
      "import PROJECT.hpx [-o SHOW.json] [--autostart]",
      "Convert an original Animator project. A warning on stderr for everything not\n"
      "mapped; the show (canonical text) to SHOW.json (atomically, keeping a .bak) or stdout.\n"
      "The original starts animations by hand: without --autostart the show starts them\n"
      "by its cues only.",
      "project",
      1,
      "give a project (holoanim import PROJECT.hpx -o SHOW.json)"};
  const char *in = NULL, *out = NULL;
  size_t nin = 0;
  int autostart = 0;
  cli_opt opts[] = {
      {CLI_STRING("output", "SHOW.json", "the show to write", "stdout", &out), .letter = 'o'},
      {CLI_FLAG("autostart", "every imported animation starts on play (autoStart groups)",
                &autostart)}};
  int rc = cli_parse(&import_command, opts, 2, argc, argv, &in, &nin);
  if (rc != CLI_CONTINUE) {
    return rc;
  }
  ha_diags *d = NULL;
  if (ha_diags_create(&d) != HA_OK) {
    return cli_fail("out of memory");
  }
  ha_show *show = NULL;
  ha_show_import_options io = {.autostart = autostart != 0};
  ha_status st = ha_show_import_hpx_ex(in, &io, &show, d);
  cli_print_diags(d, "");
  size_t warnings = ha_diags_warnings(d);
  ha_diags_destroy(d);
  if (st != HA_OK) {
    fprintf(stderr, "holoanim: %s: not imported\n", in);
    return show_load_exit_code(st);
  }
  if (!autostart) {
    import_print_start_hint(show);
  }
  rc = CLI_OK;
  if (out != NULL) {
    ha_error err;
    ha_error_clear(&err);
    st = ha_show_save_file(show, out, &err);
    if (st != HA_OK) {
      rc = cli_report(&err, st);
    } else {
      fprintf(stderr, "holoanim: imported %s into %s (%zu warning%s)\n", in, out, warnings,
              warnings == 1 ? "" : "s");
    }
  } else {
    char *text = NULL;
    if (ha_show_save_string(show, &text, NULL) != HA_OK) {
      rc = cli_fail("out of memory");
    } else {
      fputs(text, stdout);
      free(text);
      rc = fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
    }
  }
  ha_show_destroy(show);
  return rc;
}

/* ---- eval / render: offline play ---- */

typedef struct cue_at {
  double number, t;
} cue_at;

typedef struct offline_opts {
  const char *show_path;
  const char *out, *title;
  double from, to, rate;
  int have_to, json;
  cue_at *cues;
  size_t ncues;
} offline_opts;

static int cue_at_cmp(const void *a, const void *b) {
  const cue_at *p = a, *q = b;
  return p->t < q->t ? -1 : p->t > q->t;
}

/* CLI_OPT_CALL handler of --cue N@T; ctx is the offline_opts. */
static int offline_add_cue(void *ctx, const char *s) {
  offline_opts *o = ctx;
  const char *at = strchr(s, '@');
  char num[64];
  if (at == NULL || (size_t)(at - s) >= sizeof(num)) {
    return cli_usage_error("--cue: '%s' is not N@T (cue number at a time in seconds)", s);
  }
  memcpy(num, s, (size_t)(at - s));
  num[at - s] = '\0';
  cue_at c;
  if (cli_parse_double(num, "--cue number", &c.number) != 0 ||
      cli_parse_double(at + 1, "--cue time", &c.t) != 0) {
    return CLI_USAGE;
  }
  cue_at *v = realloc(o->cues, (o->ncues + 1) * sizeof(*v));
  if (v == NULL) {
    return cli_fail("out of memory");
  }
  o->cues = v;
  o->cues[o->ncues++] = c;
  return CLI_OK;
}

static const cli_command offline_eval_command = {
    "eval",
    "eval SHOW.json [--from A] [--to B] [--rate HZ] [--format csv|json] [--cue N@T]...",
    "Every track of the show, sampled offline: CSV columns t,track,x,y,z (or JSON),\n"
    "firing each --cue N at its time T.",
    "show file",
    1,
    "give a show file"};

static const cli_command offline_render_command = {
    "render",
    "render SHOW.json -o FILE.svg [--from A] [--to B] [--rate HZ] [--title T] [--cue N@T]...",
    "Every track's path, coloured per track, with the venue box; each --cue N fired at\n"
    "its time T.",
    "show file",
    1,
    "give a show file"};

/* eval SHOW.json and render SHOW.json: the same options but for the
 * output ones. */
static int offline_parse(int argc, char **argv, offline_opts *o, int render) {
  memset(o, 0, sizeof(*o));
  o->rate = render ? 100.0 : 50.0;
  cli_opt opts[] = {
      /* render only */
      {CLI_STRING("output", "FILE.svg", "the picture to write (required)", NULL, &o->out),
       .letter = 'o'},
      {CLI_STRING("title", "T", "the picture's title", "the show's name", &o->title)},
      /* both */
      {CLI_NUMBER("from", "A", "first time shown, in seconds (the show still plays from 0)", "0",
                  &o->from)},
      {CLI_NUMBER("to", "B", "last time", "one cycle of the longest auto-started group, or 10 s",
                  &o->to),
       .seen = &o->have_to},
      {CLI_NUMBER("rate", "HZ", "samples per second, in (0, 10000]", render ? "100" : "50",
                  &o->rate),
       .min = 0, .max = 10000, .range = CLI_RANGE_ABOVE},
      {CLI_CALL("cue", "N@T", "fire cue number N at time T (repeatable)", NULL, offline_add_cue,
                o)},
      /* eval only */
      {CLI_CHOICE("format", "F", "csv | json", "csv", &o->json, "csv|json")},
  };
  const cli_opt *rows = render ? opts : opts + 2;
  size_t nrows = sizeof opts / sizeof opts[0] - (render ? 1 : 2);
  size_t npaths = 0;
  int rc = cli_parse(render ? &offline_render_command : &offline_eval_command, rows, nrows, argc,
                     argv, &o->show_path, &npaths);
  if (rc != CLI_CONTINUE) {
    return rc;
  }
  if (render && o->out == NULL) {
    return cli_usage_error("render: -o FILE.svg is required");
  }
  if (o->ncues > 1) {
    qsort(o->cues, o->ncues, sizeof(*o->cues), cue_at_cmp);
  }
  return CLI_CONTINUE;
}

/* One cycle of the longest auto-started group, else 10 s; later cues
 * extend it. */
static double offline_natural_end(const ha_show *show, const offline_opts *o) {
  size_t ng, na;
  const ha_show_group *g = ha_show_groups(show, &ng);
  const ha_show_animation *a = ha_show_animations(show, &na);
  double end = 0.0;
  for (size_t i = 0; i < ng; i++) {
    if (g[i].auto_start) {
      const ha_timing *tm = &a[g[i].animation].timing;
      double len = tm->duration / tm->speed * (tm->loop == HA_LOOP_PINGPONG ? 2.0 : 1.0);
      end = len > end ? len : end;
    }
  }
  if (end <= 0.0) {
    end = 10.0;
  }
  double length = ha_show_timeline_get(show)->length;
  if (length > 0.0) {
    end = length; /* a timeline says where the show ends */
  }
  if (o->ncues > 0 && o->cues[o->ncues - 1].t + 5.0 > end) {
    end = o->cues[o->ncues - 1].t + 5.0;
  }
  return o->from + end;
}

typedef struct offline_run {
  ha_show *show;
  ha_engine *engine;
  ha_show_instance *inst;
  size_t ntracks;
  size_t nsamples;
  double *t, *x, *y, *z; /* x/y/z: nsamples × ntracks, sample-major */
} offline_run;

static void offline_run_free(offline_run *p) {
  ha_show_instance_destroy(p->inst);
  ha_engine_destroy(p->engine);
  ha_show_destroy(p->show);
  free(p->t);
  free(p->x);
  free(p->y);
  free(p->z);
}

/* Play p->show's instance from 0 at every sample time i / rate, firing the
 * cues at their times on the way (cues given before 0 fire at 0), and keep
 * the samples from index `first` on. The samples before the window are
 * evaluated too, into a scratch row: the engine's speed cap, fades, delayed
 * gotos and integrated models depend on the positions before, so the window
 * is exactly those rows of a run from 0. Rejected: instantiating at --from
 * (restarts the show there) and jumping the engine to --from (the speed cap
 * and the integrators would see one step where the full run sees many). */
static int offline_sample(const offline_opts *o, offline_run *p, size_t first) {
  size_t nt = p->ntracks, next_cue = 0;
  double *scratch = malloc((3 * nt + 1) * sizeof(double));
  if (scratch == NULL) {
    return cli_fail("out of memory");
  }
  ha_error err;
  ha_error_clear(&err);
  for (size_t i = 0; i < first + p->nsamples; i++) {
    double t = (double)i / o->rate;
    while (next_cue < o->ncues && o->cues[next_cue].t <= t + 1e-12) {
      double at = o->cues[next_cue].t < 0.0 ? 0.0 : o->cues[next_cue].t;
      ha_status st = ha_show_fire_cue(p->inst, o->cues[next_cue].number, at, &err);
      if (st != HA_OK) {
        free(scratch);
        return cli_report(&err, st);
      }
      next_cue++;
    }
    if (i < first) {
      ha_show_instance_evaluate(p->inst, t, scratch, scratch + nt, scratch + 2 * nt, nt);
      continue;
    }
    size_t k = i - first;
    p->t[k] = t;
    ha_show_instance_evaluate(p->inst, t, p->x + k * nt, p->y + k * nt, p->z + k * nt, nt);
  }
  free(scratch);
  return CLI_OK;
}

/* The window's sample indices: the first i with i / rate >= from, the last
 * with i / rate <= to (as --from 0 counts them). */
static int offline_window(const offline_opts *o, size_t *first, size_t *count) {
  if (!(o->from >= 0.0)) {
    return cli_usage_error("--from %g: the show starts at 0", o->from);
  }
  if (!(o->to >= o->from)) {
    return cli_usage_error("--to %g is before --from %g", o->to, o->from);
  }
  double last = floor(o->to * o->rate + 1e-9);
  if (last - floor(o->from * o->rate) > 1e7 || last > 1e8) {
    return cli_usage_error(
        "--from/--to/--rate give too many samples; the limit is 10000000 "
        "shown and 100000000 played");
  }
  size_t i0 = (size_t)ceil(o->from * o->rate);
  while (i0 > 0 && (double)(i0 - 1) / o->rate >= o->from) {
    i0--;
  }
  while ((double)i0 / o->rate < o->from) {
    i0++;
  }
  if ((double)i0 > last) {
    return cli_usage_error("no sample time i/%g between --from %g and --to %g", o->rate, o->from,
                           o->to);
  }
  *first = i0;
  *count = (size_t)last - i0 + 1;
  return CLI_OK;
}

/* Load the show, put it on an engine and sample every track. */
static int offline_run_show(offline_opts *o, offline_run *p) {
  memset(p, 0, sizeof(*p));
  int rc = cli_show_load(o->show_path, &p->show);
  if (rc != CLI_OK) {
    return rc;
  }
  if (!o->have_to) {
    o->to = offline_natural_end(p->show, o);
  }
  size_t first = 0, ns = 0;
  rc = offline_window(o, &first, &ns);
  if (rc != CLI_OK) {
    return rc;
  }
  ha_engine_config cfg = ha_show_engine_config(p->show);
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha_engine_create(&cfg, &p->engine, &err);
  if (st == HA_OK) {
    st = ha_show_instantiate(p->show, p->engine, 0.0, &p->inst, &err);
  }
  if (st != HA_OK) {
    return cli_report(&err, st);
  }
  size_t nt = ha_engine_track_count(p->engine);
  p->ntracks = nt;
  p->nsamples = ns;
  p->t = malloc(ns * sizeof(double));
  p->x = malloc((ns * nt + 1) * sizeof(double));
  p->y = malloc((ns * nt + 1) * sizeof(double));
  p->z = malloc((ns * nt + 1) * sizeof(double));
  if (p->t == NULL || p->x == NULL || p->y == NULL || p->z == NULL) {
    return cli_fail("out of memory");
  }
  return offline_sample(o, p, first);
}

static void offline_print_samples(const offline_opts *o, const offline_run *p) {
  if (o->json) {
    json_t *name = json_string(o->show_path);
    char *q = name ? json_dumps(name, JSON_ENCODE_ANY) : NULL;
    printf("{\"show\":%s,\"samples\":[", q ? q : "null");
    free(q);
    json_decref(name);
  } else {
    puts("t,track,x,y,z");
  }
  int first = 1;
  for (size_t i = 0; i < p->nsamples; i++) {
    for (size_t k = 0; k < p->ntracks; k++) {
      ha_track_info ti;
      ha_engine_track_at(p->engine, k, &ti);
      char b[4][40];
      size_t at = i * p->ntracks + k;
      cli_format_number(b[0], sizeof(b[0]), p->t[i]);
      cli_format_number(b[1], sizeof(b[1]), p->x[at]);
      cli_format_number(b[2], sizeof(b[2]), p->y[at]);
      cli_format_number(b[3], sizeof(b[3]), p->z[at]);
      if (o->json) {
        printf("%s{\"t\":%s,\"track\":%u,\"x\":%s,\"y\":%s,\"z\":%s}", first ? "" : ",", b[0],
               ti.id, b[1], b[2], b[3]);
        first = 0;
      } else {
        printf("%s,%u,%s,%s,%s\n", b[0], ti.id, b[1], b[2], b[3]);
      }
    }
  }
  if (o->json) {
    puts("]}");
  }
}

/* Per track: its name for the legend ("3 Violin" or "track 3") and colour. */
static void offline_track_label(const ha_show *show, size_t k, char *name, size_t cap,
                                const char **color) {
  size_t nst;
  const ha_show_track *st = ha_show_tracks(show, &nst);
  const ha_show_track *s = k < nst ? &st[k] : NULL;
  if (s != NULL && s->name[0] != '\0') {
    snprintf(name, cap, "%u %s", s->id, s->name);
  } else {
    snprintf(name, cap, "track %u", s ? s->id : (unsigned)k + 1);
  }
  *color = s != NULL && s->color[0] != '\0' ? s->color : NULL;
}

/* The picture: one SVG track per show track, over the venue box. */
static int offline_render_svg(const offline_opts *o, const offline_run *p) {
  size_t nt = p->ntracks, ns = p->nsamples;
  ha_svg_track *tr = calloc(nt ? nt : 1, sizeof(*tr));
  double *cols = malloc((3 * nt * ns + 1) * sizeof(double));
  char(*names)[160] = calloc(nt ? nt : 1, sizeof(*names));
  int rc = tr == NULL || cols == NULL || names == NULL ? cli_fail("out of memory") : CLI_OK;
  for (size_t k = 0; rc == CLI_OK && k < nt; k++) {
    /* samples are sample-major; the SVG wants one array per track */
    double *x = cols + 3 * k * ns, *y = x + ns, *z = y + ns;
    for (size_t i = 0; i < ns; i++) {
      x[i] = p->x[i * nt + k];
      y[i] = p->y[i * nt + k];
      z[i] = p->z[i * nt + k];
    }
    const char *color = NULL;
    offline_track_label(p->show, k, names[k], sizeof(names[k]), &color);
    tr[k] = (ha_svg_track){names[k], color, p->t, x, y, z, ns};
  }
  if (rc == CLI_OK) {
    ha_svg_options opt = ha_svg_options_default();
    const char *nm = ha_show_name(p->show);
    opt.title = o->title ? o->title : (nm[0] != '\0' ? nm : o->show_path);
    const ha_limits *lim = ha_show_limits(p->show);
    double box[6] = {lim->box_min.x, lim->box_max.x, lim->box_min.y,
                     lim->box_max.y, lim->box_min.z, lim->box_max.z};
    opt.box = lim->box_enabled ? box : NULL;
    rc = cli_write_svg(o->out, tr, nt, &opt) == 0 ? CLI_OK : CLI_FAIL;
  }
  free(tr);
  free(cols);
  free(names);
  return rc;
}

/* eval SHOW.json and render SHOW.json: parse, sample, then print or draw. */
static int offline_command(int argc, char **argv, int render) {
  offline_opts o;
  int rc = offline_parse(argc, argv, &o, render);
  if (rc != CLI_CONTINUE) {
    free(o.cues);
    return rc;
  }
  offline_run p;
  rc = offline_run_show(&o, &p);
  if (rc == CLI_OK && render) {
    rc = offline_render_svg(&o, &p);
  } else if (rc == CLI_OK) {
    offline_print_samples(&o, &p);
    rc = fflush(stdout) != 0 ? CLI_FAIL : CLI_OK;
  }
  offline_run_free(&p);
  free(o.cues);
  return rc;
}

int cli_show_eval(int argc, char **argv) {
  return offline_command(argc, argv, 0);
}

int cli_show_render(int argc, char **argv) {
  return offline_command(argc, argv, 1);
}
