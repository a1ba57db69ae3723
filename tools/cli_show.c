/* holoanim validate | import | eval SHOW.json | render SHOW.json.
 *
 * A thin layer over holoanim/show.h: load (or import), report diagnostics,
 * and for eval/render put the show on an engine and sample it offline,
 * firing cues given as --cue N@T at their times. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
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

static void print_diags(const ha_diags *d) {
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    char line[1024];
    ha_diag_format(ha_diags_at(d, i), line, sizeof(line));
    fprintf(stderr, "%s\n", line);
  }
}

static int load_status_exit(ha_status st) {
  return st == HA_EIO ? CLI_FAIL : (st == HA_ENOMEM ? CLI_FAIL : CLI_USAGE);
}

/* Load a show, printing diagnostics; returns an exit code (0 with *out). */
static int load(const char *path, ha_show **out) {
  ha_diags *d = NULL;
  if (ha_diags_create(&d) != HA_OK) {
    return cli_usage_error("out of memory");
  }
  ha_status st = ha_show_load_file(path, out, d);
  print_diags(d);
  int rc = CLI_OK;
  if (st != HA_OK) {
    fprintf(stderr, "holoanim: %s: %zu error%s, %zu warning%s\n", path, ha_diags_errors(d),
            ha_diags_errors(d) == 1 ? "" : "s", ha_diags_warnings(d),
            ha_diags_warnings(d) == 1 ? "" : "s");
    rc = load_status_exit(st);
  }
  ha_diags_destroy(d);
  return rc;
}

/* ---- validate ---- */

static int validate_json(const char *path) {
  ha_diags *d = NULL;
  if (ha_diags_create(&d) != HA_OK) {
    return cli_usage_error("out of memory");
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
  return st == HA_OK ? CLI_OK : load_status_exit(st);
}

int cli_show_validate(int argc, char **argv) {
  const char *path = NULL;
  int json = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) {
      json = 1;
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      return cli_usage_error("validate: unknown option '%s'", argv[i]);
    } else if (path == NULL) {
      path = argv[i];
    } else {
      return cli_usage_error("validate: one show file at a time ('%s' is extra)", argv[i]);
    }
  }
  if (path == NULL) {
    return cli_usage_error("validate: give a show file (holoanim validate SHOW.json)");
  }
  if (json) {
    return validate_json(path);
  }
  ha_show *show = NULL;
  int rc = load(path, &show);
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

int cli_show_import(int argc, char **argv) {
  const char *in = NULL, *out = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
      if (i + 1 >= argc) {
        return cli_usage_error("import: %s needs a file name", argv[i]);
      }
      out = argv[++i];
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      return cli_usage_error("import: unknown option '%s'", argv[i]);
    } else if (in == NULL) {
      in = argv[i];
    } else {
      return cli_usage_error("import: one project at a time ('%s' is extra)", argv[i]);
    }
  }
  if (in == NULL) {
    return cli_usage_error("import: give a project (holoanim import PROJECT.hpx -o SHOW.json)");
  }
  ha_diags *d = NULL;
  if (ha_diags_create(&d) != HA_OK) {
    return cli_usage_error("out of memory");
  }
  ha_show *show = NULL;
  ha_status st = ha_show_import_hpx(in, &show, d);
  print_diags(d);
  size_t warnings = ha_diags_warnings(d);
  ha_diags_destroy(d);
  if (st != HA_OK) {
    fprintf(stderr, "holoanim: %s: not imported\n", in);
    return load_status_exit(st);
  }
  int rc = CLI_OK;
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
      rc = cli_usage_error("out of memory");
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

typedef struct play_opts {
  const char *show_path;
  const char *out, *title, *format;
  double from, to, rate;
  int have_to, have_rate;
  cue_at *cues;
  size_t ncues;
} play_opts;

static int cmp_cue(const void *a, const void *b) {
  const cue_at *p = a, *q = b;
  return p->t < q->t ? -1 : p->t > q->t;
}

static int parse_cue(const char *s, play_opts *o) {
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
    return cli_usage_error("out of memory");
  }
  o->cues = v;
  o->cues[o->ncues++] = c;
  return CLI_OK;
}

static int parse_play(int argc, char **argv, play_opts *o, int render) {
  memset(o, 0, sizeof(*o));
  o->format = "csv";
  o->rate = render ? 100.0 : 50.0;
  const char *cmd = render ? "render" : "eval";
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-' || a[1] == '\0') {
      if (o->show_path != NULL) {
        return cli_usage_error("%s: one show file at a time ('%s' is extra)", cmd, a);
      }
      o->show_path = a;
      continue;
    }
    if (i + 1 >= argc) {
      return cli_usage_error("%s: unknown option or missing value '%s'", cmd, a);
    }
    const char *v = argv[++i];
    int rc = CLI_OK;
    if (strcmp(a, "--from") == 0) {
      rc = cli_parse_double(v, "--from", &o->from) ? CLI_USAGE : CLI_OK;
    } else if (strcmp(a, "--to") == 0) {
      o->have_to = 1;
      rc = cli_parse_double(v, "--to", &o->to) ? CLI_USAGE : CLI_OK;
    } else if (strcmp(a, "--rate") == 0) {
      o->have_rate = 1;
      rc = cli_parse_double(v, "--rate", &o->rate) ? CLI_USAGE : CLI_OK;
      if (rc == CLI_OK && !(o->rate > 0.0 && o->rate <= 10000.0)) {
        rc = cli_usage_error("--rate: %g is not in (0, 10000] Hz", o->rate);
      }
    } else if (strcmp(a, "--cue") == 0) {
      rc = parse_cue(v, o);
    } else if (!render && strcmp(a, "--format") == 0) {
      o->format = v;
      if (strcmp(v, "csv") != 0 && strcmp(v, "json") != 0) {
        rc = cli_usage_error("--format: '%s' is not one of csv|json", v);
      }
    } else if (render && (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)) {
      o->out = v;
    } else if (render && strcmp(a, "--title") == 0) {
      o->title = v;
    } else {
      rc = cli_usage_error("%s: unknown option '%s'", cmd, a);
    }
    if (rc != CLI_OK) {
      return rc;
    }
  }
  if (o->show_path == NULL) {
    return cli_usage_error("%s: give a show file", cmd);
  }
  if (render && o->out == NULL) {
    return cli_usage_error("render: -o FILE.svg is required");
  }
  if (o->ncues > 1) {
    qsort(o->cues, o->ncues, sizeof(*o->cues), cmp_cue);
  }
  return CLI_OK;
}

/* One cycle of the longest auto-started group, else 10 s; later cues
 * extend it. */
static double natural_end(const ha_show *show, const play_opts *o) {
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
  if (o->ncues > 0 && o->cues[o->ncues - 1].t + 5.0 > end) {
    end = o->cues[o->ncues - 1].t + 5.0;
  }
  return o->from + end;
}

typedef struct play {
  ha_show *show;
  ha_engine *engine;
  ha_show_instance *inst;
  size_t ntracks;
  size_t nsamples;
  double *t, *x, *y, *z; /* x/y/z: nsamples × ntracks, sample-major */
} play;

static void play_free(play *p) {
  ha_show_instance_destroy(p->inst);
  ha_engine_destroy(p->engine);
  ha_show_destroy(p->show);
  free(p->t);
  free(p->x);
  free(p->y);
  free(p->z);
}

static int run_play(play_opts *o, play *p) {
  memset(p, 0, sizeof(*p));
  int rc = load(o->show_path, &p->show);
  if (rc != CLI_OK) {
    return rc;
  }
  if (!o->have_to) {
    o->to = natural_end(p->show, o);
  }
  if (!(o->to >= o->from)) {
    return cli_usage_error("--to %g is before --from %g", o->to, o->from);
  }
  double count = floor((o->to - o->from) * o->rate + 1e-9) + 1.0;
  if (count > 1e7) {
    return cli_usage_error("--from/--to/--rate give %.0f samples; the limit is 10000000", count);
  }
  ha_engine_config cfg = ha_show_engine_config(p->show);
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha_engine_create(&cfg, &p->engine, &err);
  if (st == HA_OK) {
    st = ha_show_instantiate(p->show, p->engine, o->from, &p->inst, &err);
  }
  if (st != HA_OK) {
    return cli_report(&err, st);
  }
  size_t nt = ha_engine_track_count(p->engine);
  size_t ns = (size_t)count;
  p->ntracks = nt;
  p->nsamples = ns;
  p->t = malloc(ns * sizeof(double));
  p->x = malloc((ns * nt + 1) * sizeof(double));
  p->y = malloc((ns * nt + 1) * sizeof(double));
  p->z = malloc((ns * nt + 1) * sizeof(double));
  if (p->t == NULL || p->x == NULL || p->y == NULL || p->z == NULL) {
    return cli_usage_error("out of memory");
  }
  size_t next_cue = 0;
  /* Cues given before --from fire at --from. */
  for (size_t i = 0; i < ns; i++) {
    double t = o->from + (double)i / o->rate;
    while (next_cue < o->ncues && o->cues[next_cue].t <= t + 1e-12) {
      double at = o->cues[next_cue].t < o->from ? o->from : o->cues[next_cue].t;
      st = ha_show_fire_cue(p->inst, o->cues[next_cue].number, at, &err);
      if (st != HA_OK) {
        return cli_report(&err, st);
      }
      next_cue++;
    }
    p->t[i] = t;
    ha_show_instance_evaluate(p->inst, t, p->x + i * nt, p->y + i * nt, p->z + i * nt, nt);
  }
  return CLI_OK;
}

static void fmt(char *buf, size_t cap, double v) {
  if (v > -5e-324 && v < 5e-324) {
    snprintf(buf, cap, "0");
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

int cli_show_eval(int argc, char **argv) {
  play_opts o;
  int rc = parse_play(argc, argv, &o, 0);
  play p;
  memset(&p, 0, sizeof(p));
  if (rc == CLI_OK) {
    rc = run_play(&o, &p);
  }
  if (rc == CLI_OK) {
    int json = strcmp(o.format, "json") == 0;
    if (json) {
      json_t *name = json_string(o.show_path);
      char *q = name ? json_dumps(name, JSON_ENCODE_ANY) : NULL;
      printf("{\"show\":%s,\"samples\":[", q ? q : "null");
      free(q);
      json_decref(name);
    } else {
      puts("t,track,x,y,z");
    }
    int first = 1;
    for (size_t i = 0; i < p.nsamples; i++) {
      for (size_t k = 0; k < p.ntracks; k++) {
        ha_track_info ti;
        ha_engine_track_at(p.engine, k, &ti);
        char b[4][40];
        fmt(b[0], sizeof(b[0]), p.t[i]);
        fmt(b[1], sizeof(b[1]), p.x[i * p.ntracks + k]);
        fmt(b[2], sizeof(b[2]), p.y[i * p.ntracks + k]);
        fmt(b[3], sizeof(b[3]), p.z[i * p.ntracks + k]);
        if (json) {
          printf("%s{\"t\":%s,\"track\":%u,\"x\":%s,\"y\":%s,\"z\":%s}", first ? "" : ",", b[0],
                 ti.id, b[1], b[2], b[3]);
          first = 0;
        } else {
          printf("%s,%u,%s,%s,%s\n", b[0], ti.id, b[1], b[2], b[3]);
        }
      }
    }
    if (json) {
      puts("]}");
    }
    if (fflush(stdout) != 0) {
      rc = CLI_FAIL;
    }
  }
  play_free(&p);
  free(o.cues);
  return rc;
}

int cli_show_render(int argc, char **argv) {
  play_opts o;
  int rc = parse_play(argc, argv, &o, 1);
  play p;
  memset(&p, 0, sizeof(p));
  if (rc == CLI_OK) {
    rc = run_play(&o, &p);
  }
  ha_svg_track *tr = NULL;
  double *cols = NULL;
  char(*names)[160] = NULL;
  if (rc == CLI_OK) {
    size_t nt = p.ntracks, ns = p.nsamples;
    tr = calloc(nt ? nt : 1, sizeof(*tr));
    cols = malloc((3 * nt * ns + 1) * sizeof(double));
    names = calloc(nt ? nt : 1, sizeof(*names));
    if (tr == NULL || cols == NULL || names == NULL) {
      rc = cli_usage_error("out of memory");
    }
    size_t nst;
    const ha_show_track *st = ha_show_tracks(p.show, &nst);
    for (size_t k = 0; rc == CLI_OK && k < nt; k++) {
      /* samples are sample-major; the SVG wants one array per track */
      double *x = cols + 3 * k * ns, *y = x + ns, *z = y + ns;
      for (size_t i = 0; i < ns; i++) {
        x[i] = p.x[i * nt + k];
        y[i] = p.y[i * nt + k];
        z[i] = p.z[i * nt + k];
      }
      const ha_show_track *s = k < nst ? &st[k] : NULL;
      if (s != NULL && s->name[0] != '\0') {
        snprintf(names[k], sizeof(names[k]), "%u %s", s->id, s->name);
      } else {
        snprintf(names[k], sizeof(names[k]), "track %u", s ? s->id : (unsigned)k + 1);
      }
      tr[k].name = names[k];
      tr[k].color = s != NULL && s->color[0] != '\0' ? s->color : NULL;
      tr[k].t = p.t;
      tr[k].x = x;
      tr[k].y = y;
      tr[k].z = z;
      tr[k].n = ns;
    }
    if (rc == CLI_OK) {
      ha_svg_options opt = ha_svg_options_default();
      const char *nm = ha_show_name(p.show);
      opt.title = o.title ? o.title : (nm[0] != '\0' ? nm : o.show_path);
      const ha_limits *lim = ha_show_limits(p.show);
      double box[6];
      if (lim->box_enabled) {
        box[0] = lim->box_min.x;
        box[1] = lim->box_max.x;
        box[2] = lim->box_min.y;
        box[3] = lim->box_max.y;
        box[4] = lim->box_min.z;
        box[5] = lim->box_max.z;
        opt.box = box;
      }
      FILE *f = fopen(o.out, "w");
      if (f == NULL) {
        fprintf(stderr, "holoanim: render: cannot write '%s'\n", o.out);
        rc = CLI_FAIL;
      } else {
        int w = ha_svg_write(f, tr, nt, &opt);
        if (fclose(f) != 0 || w != 0) {
          fprintf(stderr, "holoanim: render: failed writing '%s'\n", o.out);
          rc = CLI_FAIL;
        }
      }
    }
  }
  free(tr);
  free(cols);
  free(names);
  play_free(&p);
  free(o.cues);
  return rc;
}
