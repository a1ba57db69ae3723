/* Show files: load + validate time for a generated show with 1,000 tracks
 * and 1,000 animations (plus groups, presets and cues), against the same
 * run's baseline of parsing the text with jansson alone (the two alternate,
 * so both see the same machine); then save, single-field edits of an
 * animation, a track and a group and their undos (each beside the full
 * load), and instantiation.
 *
 *   build/bench/bench_show [tracks] [animations] [repeats] */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "holoanim.h"

typedef struct buf {
  char *p;
  size_t n, cap;
} buf;

static void add(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(buf *b, const char *fmt, ...) {
  va_list ap;
  for (;;) {
    va_start(ap, fmt);
    int w = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    if (w >= 0 && (size_t)w < b->cap - b->n) {
      b->n += (size_t)w;
      return;
    }
    b->cap = b->cap * 2 + (size_t)(w > 0 ? w : 0) + 1024;
    b->p = realloc(b->p, b->cap);
    if (b->p == NULL) {
      exit(1);
    }
  }
}

/* Animations cycle through a few models with real parameters. */
static void add_animation(buf *b, int i) {
  add(b, "%s\n{\"name\": \"anim %d\", ", i ? "," : "", i);
  switch (i % 5) {
  case 0:
    add(b,
        "\"model\": \"circular\", \"duration\": %d, \"parameters\": {\"radius\": %d.5, "
        "\"center\": [0, %d, 1.5], \"direction\": \"counterclockwise\"}}",
        8 + i % 7, 1 + i % 9, i % 5);
    break;
  case 1:
    add(b,
        "\"model\": \"linear\", \"duration\": 4, \"loop\": \"pingpong\", \"parameters\": "
        "{\"startPosition\": [-%d, 0, 0], \"endPosition\": [%d, 2, 1], \"easing\": "
        "\"cubic-in-out\"}}",
        1 + i % 8, 1 + i % 8);
    break;
  case 2:
    add(b,
        "\"model\": \"lissajous\", \"duration\": 12, \"parameters\": {\"frequencyRatioA\": %d, "
        "\"frequencyRatioB\": 2, \"amplitudeX\": 4, \"amplitudeY\": 3}}",
        1 + i % 4);
    break;
  case 3:
    add(b,
        "\"model\": \"catmull-rom\", \"duration\": 10, \"parameters\": {\"controlPoints\": "
        "[[0, 0, 0], [%d, 1, 0], [2, -1, 1], [3, 0, 0], [4, 2, 0]], \"closed\": true}}",
        1 + i % 3);
    break;
  default:
    add(b,
        "\"model\": \"keyframes\", \"duration\": 6, \"parameters\": {\"keyframes\": ["
        "{\"time\": 0, \"position\": [0, 0, 0]}, {\"time\": 2, \"position\": [1, %d, 0], "
        "\"easing\": \"sine-in-out\"}, {\"time\": 6, \"position\": [2, 0, 1]}]}}",
        i % 6);
    break;
  }
}

static char *make_show(int tracks, int anims, size_t *len) {
  buf b = {NULL, 0, 0};
  add(&b,
      "{\"format\": 1, \"name\": \"bench\", \"metadata\": {\"author\": \"bench_show\"},\n"
      "\"tracks\": [");
  for (int i = 0; i < tracks; i++) {
    add(&b,
        "%s\n{\"id\": %d, \"name\": \"source %d\", \"color\": \"#%06x\", \"position\": [%d.25, "
        "%d.5, 1.5], \"gain\": -%d}",
        i ? "," : "", i + 1, i + 1, ((unsigned)i * 2654435761u) & 0xffffffu, i % 20 - 10,
        i % 13 - 6, i % 12);
  }
  add(&b, "],\n\"animations\": [");
  for (int i = 0; i < anims; i++) {
    add_animation(&b, i);
  }
  /* a group of 10 tracks per 10 animations */
  add(&b, "],\n\"groups\": [");
  int ngroups = tracks / 10 < anims ? tracks / 10 : anims;
  for (int g = 0; g < ngroups; g++) {
    add(&b,
        "%s\n{\"name\": \"group %d\", \"animation\": \"anim %d\", \"mode\": \"%s\", "
        "\"phaseOffset\": 0.1, \"autoStart\": %s, \"tracks\": [",
        g ? "," : "", g, g, g % 2 ? "relative" : "isobarycentric", g % 3 ? "true" : "false");
    for (int k = 0; k < 10; k++) {
      add(&b, "%s%d", k ? ", " : "", g * 10 + k + 1);
    }
    add(&b, "]}");
  }
  add(&b, "],\n\"presets\": [{\"name\": \"home\", \"positions\": {");
  for (int i = 0; i < tracks; i++) {
    add(&b, "%s\"%d\": [%d, 0, 1]", i ? ", " : "", i + 1, i % 10);
  }
  add(&b, "}}],\n\"cues\": [");
  for (int c = 0; c < 100; c++) {
    add(&b,
        "%s\n{\"number\": %d, \"osc\": \"/cue/%d\", \"actions\": [{\"type\": \"start\", "
        "\"group\": \"group %d\"}, {\"type\": \"preset\", \"preset\": \"home\", \"tracks\": "
        "[%d], \"transition\": 2, \"space\": \"aed\"}]}",
        c ? "," : "", c + 1, c + 1, c % (ngroups ? ngroups : 1), c % tracks + 1);
  }
  add(&b,
      "],\n\"outputs\": [{\"name\": \"device\", \"host\": \"127.0.0.1\", \"port\": 4003}],\n"
      "\"limits\": {\"box\": {\"min\": [-20, -20, 0], \"max\": [20, 20, 10]}, \"maxSpeed\": "
      "30}\n}\n");
  *len = b.n;
  return b.p;
}

/* Best of `reps` runs of body, seconds, into out. */
#define BEST(reps, out, body)                \
  do {                                       \
    double best_ = 1e30;                     \
    for (int r_ = 0; r_ < (reps); r_++) {    \
      double t0_ = ha_monotonic_now();       \
      body;                                  \
      double dt_ = ha_monotonic_now() - t0_; \
      best_ = dt_ < best_ ? dt_ : best_;     \
    }                                        \
    (out) = best_;                           \
  } while (0)

/* Seconds one call of body took. */
#define TIME(out, body)               \
  do {                                \
    double t0_ = ha_monotonic_now();  \
    body;                             \
    (out) = ha_monotonic_now() - t0_; \
  } while (0)

static double parse_once(const char *text, size_t len) {
  double t;
  json_error_t je;
  json_t *doc = NULL;
  TIME(t, {
    doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    json_decref(doc);
  });
  if (doc == NULL) {
    fprintf(stderr, "generated show is not JSON: %s\n", je.text);
    exit(1);
  }
  return t;
}

/* Destroy *show and load the text again (what a reload costs). */
static double load_once(const char *text, size_t len, ha_show **show) {
  double t;
  ha_status st;
  ha_diags *d = NULL;
  ha_diags_create(&d);
  TIME(t, {
    ha_show_destroy(*show);
    *show = NULL;
    st = ha_show_load_string(text, len, "bench.json", show, d);
  });
  if (st != HA_OK || ha_diags_count(d) != 0) {
    char line[600] = "";
    if (ha_diags_count(d) > 0) {
      ha_diag_format(ha_diags_at(d, 0), line, sizeof(line));
    }
    fprintf(stderr, "generated show does not load (%d): %s\n", st, line);
    exit(1);
  }
  ha_diags_destroy(d);
  return t;
}

/* One kind of edit: the best of `reps` edits of `pointer` (values from
 * fmt, which takes one int) and the best of their undos. */
typedef struct edit_case {
  const char *label, *pointer, *fmt;
} edit_case;

static void bench_edit(ha_show *show, const edit_case *ec, int reps, double *edit, double *undo) {
  *edit = *undo = 1e30;
  char val[64];
  for (int r = 0; r < reps; r++) {
    snprintf(val, sizeof(val), ec->fmt, 1 + r % 9);
    double te, tu;
    ha_status st;
    TIME(te, st = ha_show_edit(show, "replace", ec->pointer, val, NULL));
    if (st != HA_OK) {
      fprintf(stderr, "edit %s = %s failed (%d)\n", ec->pointer, val, st);
      exit(1);
    }
    TIME(tu, st = ha_show_undo(show));
    if (st != HA_OK) {
      fprintf(stderr, "undo of %s failed (%d)\n", ec->pointer, st);
      exit(1);
    }
    *edit = te < *edit ? te : *edit;
    *undo = tu < *undo ? tu : *undo;
  }
}

/* Structural edits (an element added, removed or renamed): the best of
 * `reps` of op + undo, each a separate figure. */
typedef struct struct_case {
  const char *label, *op, *pointer, *value;
  const char *setup; /* an element added before (and removed after), or NULL */
} struct_case;

#define NEW_TRACK "{\"id\": 900001, \"name\": \"new\", \"position\": [1, 2, 3]}"
#define NEW_PRESET "{\"name\": \"p2\", \"positions\": {\"1\": [0, 0, 1], \"2\": [1, 0, 1]}}"
#define NEW_GROUP "{\"name\": \"new group\", \"animation\": \"anim 5\", \"tracks\": [1, 2, 3]}"

static const struct_case structural[] = {
    {"add a track", "add", "/tracks/-", NEW_TRACK, NULL},
    {"remove a track (in no group)", "remove", "/tracks/1000", NULL, "/tracks/-\n" NEW_TRACK},
    {"rename tracks[500]", "replace", "/tracks/500/name", "\"renamed\"", NULL},
    {"add an animation", "add", "/animations/-",
     "{\"name\": \"new anim\", \"model\": \"circular\", \"duration\": 5, "
     "\"parameters\": {\"radius\": 2}}",
     NULL},
    {"remove animations[999] (unused)", "remove", "/animations/999", NULL, NULL},
    {"rename animations[999] (unused)", "replace", "/animations/999/name", "\"renamed\"", NULL},
    {"add a group", "add", "/groups/-", NEW_GROUP, NULL},
    {"remove a group (in no cue)", "remove", "/groups/100", NULL, "/groups/-\n" NEW_GROUP},
    {"rename a group (in no cue)", "replace", "/groups/100/name", "\"renamed\"",
     "/groups/-\n" NEW_GROUP},
    {"add a preset", "add", "/presets/-", NEW_PRESET, NULL},
    {"remove a preset (in no cue)", "remove", "/presets/1", NULL, "/presets/-\n" NEW_PRESET},
    {"rename a preset (in no cue)", "replace", "/presets/1/name", "\"renamed\"",
     "/presets/-\n" NEW_PRESET},
    {"add a cue", "add", "/cues/-",
     "{\"number\": 500, \"actions\": [{\"type\": \"start\", \"group\": \"group 1\"}]}", NULL},
    {"remove cues[50]", "remove", "/cues/50", NULL, NULL},
};

static void bench_structural(ha_show *show, int reps, double t_load) {
  for (size_t i = 0; i < sizeof(structural) / sizeof(structural[0]); i++) {
    const struct_case *sc = &structural[i];
    double edit = 1e30, undo = 1e30;
    if (sc->setup != NULL) {
      char where[64];
      const char *nl = strchr(sc->setup, '\n');
      snprintf(where, sizeof(where), "%.*s", (int)(nl - sc->setup), sc->setup);
      if (ha_show_edit(show, "add", where, nl + 1, NULL) != HA_OK) {
        fprintf(stderr, "setup of %s failed\n", sc->label);
        exit(1);
      }
    }
    for (int r = 0; r < reps; r++) {
      double te, tu;
      ha_status st;
      ha_diags *d = NULL;
      ha_diags_create(&d);
      TIME(te, st = ha_show_edit(show, sc->op, sc->pointer, sc->value, d));
      if (st != HA_OK) {
        char line[600] = "";
        if (ha_diags_count(d) > 0) {
          ha_diag_format(ha_diags_at(d, 0), line, sizeof(line));
        }
        fprintf(stderr, "%s failed (%d): %s\n", sc->label, st, line);
        exit(1);
      }
      ha_diags_destroy(d);
      TIME(tu, st = ha_show_undo(show));
      if (st != HA_OK) {
        fprintf(stderr, "undo of %s failed (%d)\n", sc->label, st);
        exit(1);
      }
      edit = te < edit ? te : edit;
      undo = tu < undo ? tu : undo;
    }
    if (sc->setup != NULL && ha_show_undo(show) != HA_OK) {
      fprintf(stderr, "undo of the setup of %s failed\n", sc->label);
      exit(1);
    }
    printf("%-38s %9.3f ms (undo %6.3f ms)  %5.3fx the full load\n", sc->label, edit * 1e3,
           undo * 1e3, edit / t_load);
  }
}

int main(int argc, char **argv) {
  int tracks = argc > 1 ? atoi(argv[1]) : 1000;
  int anims = argc > 2 ? atoi(argv[2]) : 1000;
  int reps = argc > 3 ? atoi(argv[3]) : 7;
  if (tracks < 10 || anims < 1 || reps < 1) {
    fprintf(stderr, "usage: bench_show [tracks >= 10] [animations >= 1] [repeats >= 1]\n");
    return 2;
  }
  size_t len = 0;
  char *text = make_show(tracks, anims, &len);
  printf("show: %d tracks, %d animations, %d groups, 100 cues; %zu bytes; best of %d\n", tracks,
         anims, tracks / 10 < anims ? tracks / 10 : anims, len, reps);

  /* The baseline and the load alternate, so both see the same machine;
   * the ratio is also the median of each round's own (a loaded machine
   * slows rounds, not one of the pair). Each timed run follows an untimed
   * run of itself, so it meets the heap its own kind leaves (the frees of
   * one, consolidated by the next large allocation, are not billed to the
   * other). */
  double t_json = 1e30, t_load = 1e30, t_save, t_inst;
  double *ratio = calloc((size_t)reps, sizeof(double));
  ha_show *show = NULL;
  for (int r = 0; r < reps && ratio != NULL; r++) {
    parse_once(text, len);
    double a = parse_once(text, len);
    load_once(text, len, &show);
    double b = load_once(text, len, &show);
    t_json = a < t_json ? a : t_json;
    t_load = b < t_load ? b : t_load;
    ratio[r] = b / a;
  }
  if (ratio == NULL) {
    return 1;
  }
  double ratio_median = bench_median(ratio, (size_t)reps);
  free(ratio);
  char *saved = NULL;
  BEST(reps, t_save, {
    free(saved);
    saved = NULL;
    ha_show_save_string(show, &saved, NULL);
  });
  static const edit_case edits[] = {
      {"edit animations[0].parameters.radius", "/animations/0/parameters/radius", "%d.75"},
      {"edit tracks[500].position", "/tracks/500/position", "[%d, 2, 1.5]"},
      {"edit groups[3].phaseOffset", "/groups/3/phaseOffset", "0.%d"},
  };
  double t_edit[3], t_undo[3];
  for (size_t i = 0; i < 3; i++) {
    bench_edit(show, &edits[i], reps * 5, &t_edit[i], &t_undo[i]);
  }
  BEST(reps, t_inst, {
    ha_engine_config cfg = ha_show_engine_config(show);
    ha_engine *e = NULL;
    ha_show_instance *inst = NULL;
    if (ha_engine_create(&cfg, &e, NULL) != HA_OK ||
        ha_show_instantiate(show, e, 0.0, &inst, NULL) != HA_OK) {
      fprintf(stderr, "instantiate failed\n");
      return 1;
    }
    ha_show_instance_destroy(inst);
    ha_engine_destroy(e);
  });
  double mb = (double)len / 1e6;
  printf("%-38s %9.3f ms  %7.1f MB/s  (baseline)\n", "jansson parse only", t_json * 1e3,
         mb / t_json);
  printf("%-38s %9.3f ms  %7.1f MB/s  %5.2fx baseline (median of rounds %.2fx)\n",
         "load + validate (ha_show_load)", t_load * 1e3, mb / t_load, t_load / t_json,
         ratio_median);
  printf("%-38s %9.3f us per animation\n", "  beyond parsing, per animation",
         (t_load - t_json) / anims * 1e6);
  printf("%-38s %9.3f ms  %7.1f MB/s  %5.2fx baseline\n", "save (canonical text)", t_save * 1e3,
         (double)strlen(saved) / 1e6 / t_save, t_save / t_json);
  for (size_t i = 0; i < 3; i++) {
    printf("%-38s %9.3f ms              %5.3fx the full load\n", edits[i].label, t_edit[i] * 1e3,
           t_edit[i] / t_load);
    printf("%-38s %9.3f ms              %5.3fx the full load\n", "  its undo", t_undo[i] * 1e3,
           t_undo[i] / t_load);
  }
  printf("%-38s %9.3f ms\n", "instantiate on an engine", t_inst * 1e3);
  printf("structural edits (target <= 1 ms each), best of %d:\n", reps * 3);
  bench_structural(show, reps * 3, t_load);
  free(saved);
  free(text);
  ha_show_destroy(show);
  return 0;
}
