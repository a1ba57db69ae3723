/* Edits compiled in part (src/show/show_recompile.c) give the show a full
 * load gives: random single-field edits, patches, undos and redos on a
 * generated show, each result compared field by field (every table the
 * accessors return, the parameters through the motions they make) with a
 * fresh load of the show's saved text. Refused edits change nothing. */
#include <stdarg.h>

#include "holoanim.h"
#include "holoanim/show.h"
#include "test.h"

#define COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

enum { NT = 40, NA = 24, NG = 6, NC = 12 };

typedef struct sbuf {
  char s[65536];
  size_t n;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int w = vsnprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, ap);
  va_end(ap);
  if (w > 0 && (size_t)w < sizeof(b->s) - b->n) {
    b->n += (size_t)w;
  }
}

/* Animation i: circular (i % 3 == 0), linear (1) or keyframes (2). */
static void gen_animation(sbuf *b, int i) {
  put(b, "%s{\"name\": \"a%d\", \"duration\": %d, ", i ? ", " : "", i, 4 + i % 5);
  if (i % 4 == 1) {
    put(b, "\"fadeOut\": %d.5, ", i % 3);
  }
  switch (i % 3) {
  case 0:
    put(b, "\"model\": \"circular\", \"parameters\": {\"radius\": %d.5, \"center\": [0, %d, 1]}}",
        1 + i % 4, i % 3);
    break;
  case 1:
    put(b,
        "\"model\": \"linear\", \"loop\": \"pingpong\", \"parameters\": {\"startPosition\": [-%d, "
        "0, 0], \"endPosition\": [%d, 1, 0], \"easing\": \"sine-in-out\"}}",
        1 + i % 5, 1 + i % 4);
    break;
  default:
    put(b,
        "\"model\": \"keyframes\", \"parameters\": {\"keyframes\": [{\"time\": 0, \"position\": "
        "[0, 0, 0]}, {\"time\": 2, \"position\": [%d, 1, 0]}, {\"time\": 4, \"position\": [0, "
        "2, 1]}]}}",
        i % 5);
    break;
  }
}

/* Cue c: each kind of action, in turn. */
static void gen_cue(sbuf *b, int c) {
  put(b, "%s{\"number\": %d%s, \"osc\": \"/cue/%d\", \"actions\": [", c ? ", " : "", c + 1,
      c % 5 == 4 ? ".5" : "", c);
  switch (c % 6) {
  case 0: put(b, "{\"type\": \"start\", \"group\": \"g%d\"}", c % NG); break;
  case 1:
    put(b,
        "{\"type\": \"stop\", \"group\": \"g%d\"}, {\"type\": \"stop\", \"group\": \"g%d\", "
        "\"fade\": 2}",
        c % NG, (c + 1) % NG);
    break;
  case 2:
    put(b,
        "{\"type\": \"start\", \"animation\": \"a%d\", \"tracks\": [%d, %d], \"phaseOffset\": "
        "0.25}",
        c % NA, c % NT + 1, (c + 7) % NT + 1);
    break;
  case 3:
    put(b,
        "{\"type\": \"stop\", \"animation\": \"a%d\"}, {\"type\": \"stop\", \"tracks\": [%d], "
        "\"fade\": 1}",
        (c + 2) % NA, c + 1);
    break;
  case 4:
    put(b,
        "{\"type\": \"preset\", \"preset\": \"sub\", \"transition\": 1}, {\"type\": \"preset\", "
        "\"preset\": \"all\", \"tracks\": [3, 1], \"stagger\": 0.5}");
    break;
  default:
    put(b,
        "{\"type\": \"goto\", \"track\": %d, \"position\": [1, 2, 0]}, {\"type\": \"stop\", "
        "\"fade\": 0.5}",
        c + 2);
    break;
  }
  put(b, "]}");
}

static const char *gen_show(void) {
  static sbuf b;
  b.n = 0;
  put(&b, "{\"format\": 1, \"name\": \"inc\", \"tracks\": [");
  for (int i = 0; i < NT; i++) {
    put(&b, "%s{\"id\": %d, \"name\": \"t%d\", \"position\": [%d, %d.5, 1]", i ? ", " : "", i + 1,
        i, i % 7 - 3, i % 5);
    if (i % 3 == 0) {
      put(&b, ", \"gain\": -%d", i % 11);
    }
    put(&b, "}");
  }
  put(&b, "], \"animations\": [");
  for (int i = 0; i < NA; i++) {
    gen_animation(&b, i);
  }
  put(&b, "], \"groups\": [");
  for (int g = 0; g < NG; g++) {
    put(&b,
        "%s{\"name\": \"g%d\", \"animation\": \"a%d\", \"tracks\": [%d, %d, %d], \"mode\": \"%s\", "
        "\"autoStart\": %s}",
        g ? ", " : "", g, (g * 5) % NA, g * 3 + 1, g * 3 + 2, g * 3 + 3,
        g % 2 ? "relative" : "isobarycentric", g % 3 ? "true" : "false");
  }
  put(&b, "], \"presets\": [{\"name\": \"all\", \"positions\": {");
  for (int i = 0; i < NT; i++) {
    put(&b, "%s\"%d\": [%d, 0, 1]", i ? ", " : "", i + 1, i % 9);
  }
  put(&b,
      "}}, {\"name\": \"sub\", \"positions\": {\"5\": [1, 1, 1], \"2\": [2, 2, 2]}}], \"cues\": [");
  for (int c = 0; c < NC; c++) {
    gen_cue(&b, c);
  }
  put(&b,
      "], \"outputs\": [{\"name\": \"dev\", \"host\": \"127.0.0.1\", \"trackMap\": {\"3\": 30, "
      "\"1\": 10}}, {\"name\": \"adm\", \"host\": \"::1\", \"dialect\": \"adm-osc\"}], "
      "\"limits\": {\"box\": {\"min\": [-20, -20, 0], \"max\": [20, 20, 10]}, \"maxSpeed\": "
      "30}, \"control\": {\"port\": 9000, \"allow\": [\"10.0.0.0/8\"]}}");
  return b.s;
}

/* ---- comparing two shows field by field ---- */

/* Bitwise equality of doubles (both come from the same decimal text). */
static int same(double a, double b) {
  return memcmp(&a, &b, sizeof(a)) == 0;
}

static int same3(ha_vec3 a, ha_vec3 b) {
  return same(a.x, b.x) && same(a.y, b.y) && same(a.z, b.z);
}

static int same_str(const char *a, const char *b) {
  return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int same_ids(const uint32_t *a, const uint32_t *b, size_t n) {
  return n == 0 || memcmp(a, b, n * sizeof(*a)) == 0;
}

static int same_spec(const ha_anim_spec *a, const ha_anim_spec *b) {
  return a->mode == b->mode && same(a->fade_in, b->fade_in) &&
         same(a->phase_offset, b->phase_offset) && a->phase_spread == b->phase_spread &&
         same(a->delay, b->delay) && a->rotate_formation == b->rotate_formation &&
         same3(a->center_point, b->center_point) && same(a->spread_radius, b->spread_radius) &&
         a->mirror_axis == b->mirror_axis;
}

/* Report a difference (once per comparison: the first is enough). */
#define DIFF(cond, ...)                      \
  do {                                       \
    if (!(cond)) {                           \
      CHECK_MSG(0, "step %d: " __VA_ARGS__); \
      return 0;                              \
    }                                        \
  } while (0)

static int cmp_tracks(int step, const ha_show *a, const ha_show *b) {
  size_t na, nb;
  const ha_show_track *ta = ha_show_tracks(a, &na), *tb = ha_show_tracks(b, &nb);
  DIFF(na == nb, "%zu tracks, a full load has %zu", step, na, nb);
  for (size_t i = 0; i < na; i++) {
    DIFF(ta[i].id == tb[i].id && same_str(ta[i].name, tb[i].name) &&
             strcmp(ta[i].color, tb[i].color) == 0 && same3(ta[i].position, tb[i].position) &&
             ta[i].has_gain == tb[i].has_gain && (!ta[i].has_gain || same(ta[i].gain, tb[i].gain)),
         "tracks[%zu] differs", step, i);
    DIFF(ha_show_track_find(a, ta[i].id) == i, "track %u not found", step, ta[i].id);
  }
  return 1;
}

/* Parameters compared by their names and kinds and by the motions they
 * make, evaluated at a few times. */
static int cmp_motion(int step, const ha_show *a, const ha_show *b, size_t i) {
  const ha_show_animation *x = &ha_show_animations(a, NULL)[i];
  const ha_show_animation *y = &ha_show_animations(b, NULL)[i];
  size_t n = ha_params_count(x->params);
  DIFF(n == ha_params_count(y->params), "animations[%zu]: parameter count", step, i);
  for (size_t k = 0; k < n; k++) {
    ha_value_kind ka, kb;
    const char *na = ha_params_name_at(x->params, k, &ka);
    const char *nb = ha_params_name_at(y->params, k, &kb);
    DIFF(same_str(na, nb) && ka == kb, "animations[%zu]: parameter %zu", step, i, k);
  }
  ha_motion *ma = NULL, *mb = NULL;
  CHECK_OK(ha_show_animation_motion(a, i, &ma, NULL));
  CHECK_OK(ha_show_animation_motion(b, i, &mb, NULL));
  int ok = ma != NULL && mb != NULL;
  static const double ts[] = {0.0, 0.7, 1.9, 3.3, 6.1};
  for (size_t k = 0; ok && k < COUNTOF(ts); k++) {
    ok = same3(ha_motion_eval(ma, ts[k], NULL), ha_motion_eval(mb, ts[k], NULL));
  }
  ha_motion_destroy(ma);
  ha_motion_destroy(mb);
  DIFF(ok, "animations[%zu]: the motions differ", step, i);
  return 1;
}

static int cmp_animations(int step, const ha_show *a, const ha_show *b) {
  size_t na, nb;
  const ha_show_animation *x = ha_show_animations(a, &na), *y = ha_show_animations(b, &nb);
  DIFF(na == nb, "%zu animations, a full load has %zu", step, na, nb);
  for (size_t i = 0; i < na; i++) {
    DIFF(same_str(x[i].name, y[i].name) && same_str(x[i].model, y[i].model) &&
             same(x[i].timing.duration, y[i].timing.duration) &&
             x[i].timing.loop == y[i].timing.loop && same(x[i].timing.speed, y[i].timing.speed) &&
             x[i].timing.seam == y[i].timing.seam && same(x[i].fade_in, y[i].fade_in) &&
             same(x[i].fade_out, y[i].fade_out),
         "animations[%zu] differs", step, i);
    if (!cmp_motion(step, a, b, i)) {
      return 0;
    }
  }
  return 1;
}

static int cmp_groups_presets(int step, const ha_show *a, const ha_show *b) {
  size_t na, nb;
  const ha_show_group *x = ha_show_groups(a, &na), *y = ha_show_groups(b, &nb);
  DIFF(na == nb, "%zu groups, a full load has %zu", step, na, nb);
  for (size_t i = 0; i < na; i++) {
    DIFF(same_str(x[i].name, y[i].name) && x[i].track_count == y[i].track_count &&
             same_ids(x[i].tracks, y[i].tracks, x[i].track_count) &&
             x[i].animation == y[i].animation && same_spec(&x[i].spec, &y[i].spec) &&
             x[i].auto_start == y[i].auto_start,
         "groups[%zu] differs", step, i);
  }
  const ha_show_preset *p = ha_show_presets(a, &na), *q = ha_show_presets(b, &nb);
  DIFF(na == nb, "%zu presets, a full load has %zu", step, na, nb);
  for (size_t i = 0; i < na; i++) {
    DIFF(same_str(p[i].name, q[i].name) && p[i].count == q[i].count &&
             same_ids(p[i].tracks, q[i].tracks, p[i].count),
         "presets[%zu] differs", step, i);
    for (size_t k = 0; k < p[i].count; k++) {
      DIFF(same3(p[i].positions[k], q[i].positions[k]), "presets[%zu].positions", step, i);
    }
  }
  return 1;
}

static int same_action(const ha_show_action *x, const ha_show_action *y) {
  int ok = x->type == y->type && x->target == y->target && x->group == y->group &&
           x->animation == y->animation && x->preset == y->preset &&
           x->track_count == y->track_count && same_ids(x->tracks, y->tracks, x->track_count) &&
           same_spec(&x->spec, &y->spec) && x->tag == y->tag && same(x->fade, y->fade) &&
           same3(x->position, y->position) && same(x->transition, y->transition) &&
           x->easing == y->easing && x->aed == y->aed && same(x->stagger, y->stagger);
  if (ok && x->type == HA_SHOW_ACTION_PRESET) {
    ok = (x->preset_index == NULL) == (y->preset_index == NULL) &&
         (x->preset_index == NULL ||
          memcmp(x->preset_index, y->preset_index, x->track_count * sizeof(size_t)) == 0);
  }
  return ok;
}

static int cmp_cues(int step, const ha_show *a, const ha_show *b) {
  size_t na, nb;
  const ha_show_cue *x = ha_show_cues(a, &na), *y = ha_show_cues(b, &nb);
  DIFF(na == nb, "%zu cues, a full load has %zu", step, na, nb);
  for (size_t i = 0; i < na; i++) {
    DIFF(same(x[i].number, y[i].number) && same_str(x[i].name, y[i].name) &&
             same_str(x[i].osc, y[i].osc) && x[i].action_count == y[i].action_count,
         "cues[%zu] differs", step, i);
    for (size_t k = 0; k < x[i].action_count; k++) {
      DIFF(same_action(&x[i].actions[k], &y[i].actions[k]), "cues[%zu].actions[%zu] differs", step,
           i, k);
    }
  }
  DIFF(ha_show_engine_config(a).max_animations == ha_show_engine_config(b).max_animations,
       "the engine configuration differs", step);
  return 1;
}

static int same_output(const ha_show_output *x, const ha_show_output *y) {
  int ok = same_str(x->name, y->name) && same_str(x->host, y->host) && x->port == y->port &&
           x->dialect == y->dialect && x->aed == y->aed && x->azimuth_sign == y->azimuth_sign &&
           same(x->adm_scale, y->adm_scale) && same(x->rate, y->rate) &&
           same(x->deadband_position, y->deadband_position) &&
           same(x->deadband_angle, y->deadband_angle) && same(x->keep_alive, y->keep_alive) &&
           x->bundle == y->bundle && same(x->bundle_lookahead_ms, y->bundle_lookahead_ms) &&
           x->enabled == y->enabled && x->feedback_port == y->feedback_port &&
           same_str(x->feedback_bind, y->feedback_bind) &&
           x->track_map_count == y->track_map_count && x->gain_count == y->gain_count;
  for (size_t k = 0; ok && k < x->track_map_count; k++) {
    ok = x->track_map[k].track == y->track_map[k].track &&
         x->track_map[k].device == y->track_map[k].device;
  }
  for (size_t k = 0; ok && k < x->gain_count; k++) {
    ok = x->gains[k].track == y->gains[k].track && same(x->gains[k].db, y->gains[k].db);
  }
  return ok;
}

static int cmp_io(int step, const ha_show *a, const ha_show *b) {
  size_t na, nb;
  const ha_show_output *x = ha_show_outputs(a, &na), *y = ha_show_outputs(b, &nb);
  DIFF(na == nb, "%zu outputs, a full load has %zu", step, na, nb);
  for (size_t i = 0; i < na; i++) {
    DIFF(same_output(&x[i], &y[i]), "outputs[%zu] differs", step, i);
  }
  const ha_limits *la = ha_show_limits(a), *lb = ha_show_limits(b);
  DIFF(la->box_enabled == lb->box_enabled && same3(la->box_min, lb->box_min) &&
           same3(la->box_max, lb->box_max) && same(la->max_speed, lb->max_speed),
       "the limits differ", step);
  const ha_show_control *ca = ha_show_control_get(a), *cb = ha_show_control_get(b);
  int ok = ca->port == cb->port && same_str(ca->bind, cb->bind) &&
           ca->allow_count == cb->allow_count && ca->allow_loopback == cb->allow_loopback &&
           ca->sync == cb->sync && same(ca->sync_tolerance, cb->sync_tolerance) &&
           same(ca->sync_gain, cb->sync_gain) && same(ca->sync_max_slew, cb->sync_max_slew) &&
           ca->echo_from_any == cb->echo_from_any;
  for (size_t k = 0; ok && k < ca->allow_count; k++) {
    ok = same_str(ca->allow[k], cb->allow[k]);
  }
  DIFF(ok, "the control differs", step);
  DIFF(same_str(ha_show_name(a), ha_show_name(b)), "the name differs", step);
  return 1;
}

/* The show against a full load of its saved text. */
static void check_like_reload(int step, const ha_show *s) {
  char *text = NULL;
  CHECK_OK(ha_show_save_string(s, &text, NULL));
  ha_show *ref = NULL;
  CHECK_OK(ha_show_load_string(text, strlen(text), "saved", &ref, NULL));
  if (ref != NULL) {
    (void)(cmp_tracks(step, s, ref) && cmp_animations(step, s, ref) &&
           cmp_groups_presets(step, s, ref) && cmp_cues(step, s, ref) && cmp_io(step, s, ref));
  }
  ha_show_destroy(ref);
  free(text);
}

/* ---- random edits ---- */

typedef struct edit {
  const char *op;
  char pointer[96];
  char value[160];
} edit;

static int pick(uint64_t *rng, int n) {
  return (int)(ha_t_rand(rng) % (uint64_t)n);
}

/* Track ids 1..NT, three different ones as a JSON list. */
static void three_tracks(uint64_t *rng, char *buf, size_t cap) {
  int a = 1 + pick(rng, NT), b = 1 + (a + pick(rng, NT - 2)) % NT, c = b % NT + 1;
  if (c == a) {
    c = c % NT + 1;
  }
  snprintf(buf, cap, "[%d, %d, %d]", a, b == a ? b % NT + 1 : b, c);
}

static void edit_track(uint64_t *rng, edit *e) {
  int i = pick(rng, NT), v = pick(rng, 40);
  switch (pick(rng, 6)) {
  case 0:
    e->op = "replace";
    snprintf(e->pointer, sizeof e->pointer, "/tracks/%d/position", i);
    snprintf(e->value, sizeof e->value, "[%d.25, %d, 1.5]", v - 20, v % 7);
    break;
  case 1:
    e->op = "replace";
    snprintf(e->pointer, sizeof e->pointer, "/tracks/%d/name", i);
    snprintf(e->value, sizeof e->value, "\"n%d\"", v);
    break;
  case 2:
    e->op = "add";
    snprintf(e->pointer, sizeof e->pointer, "/tracks/%d/gain", i);
    snprintf(e->value, sizeof e->value, "%d", v > 35 ? 40 : -v); /* 40: above the maximum */
    break;
  case 3:
    e->op = "remove";
    snprintf(e->pointer, sizeof e->pointer, "/tracks/%d/gain", i);
    break;
  case 4:
    e->op = "add";
    snprintf(e->pointer, sizeof e->pointer, "/tracks/%d/color", i);
    snprintf(e->value, sizeof e->value, "\"#%06x\"", (unsigned)v * 0x10101u);
    break;
  default: /* the full compiler's: ids are referred to */
    e->op = "replace";
    snprintf(e->pointer, sizeof e->pointer, "/tracks/%d/id", i);
    snprintf(e->value, sizeof e->value, "%d", 100 + v);
    break;
  }
}

static void edit_animation(uint64_t *rng, edit *e) {
  int i = pick(rng, NA), v = pick(rng, 9);
  e->op = "add";
  switch (pick(rng, 6)) {
  case 0:
    snprintf(e->pointer, sizeof e->pointer, "/animations/%d/duration", i);
    snprintf(e->value, sizeof e->value, "%d", v == 0 ? -1 : v); /* -1 is refused */
    break;
  case 1: /* a5 and a11: stopped by cues without a "fade" of their own */
    i = v % 3 == 0 ? i : v % 3 == 1 ? 5 : 11;
    snprintf(e->pointer, sizeof e->pointer, "/animations/%d/fadeOut", i);
    snprintf(e->value, sizeof e->value, "%d.5", v);
    break;
  case 2:
    snprintf(e->pointer, sizeof e->pointer, "/animations/%d/fadeIn", i);
    snprintf(e->value, sizeof e->value, "%d", v);
    break;
  case 3:
    if (i % 3 == 0) {
      snprintf(e->pointer, sizeof e->pointer, "/animations/%d/parameters/radius", i);
      snprintf(e->value, sizeof e->value, "%d.5", v - 1); /* -0.5 is refused */
    } else if (i % 3 == 1) {
      snprintf(e->pointer, sizeof e->pointer, "/animations/%d/parameters/endPosition", i);
      snprintf(e->value, sizeof e->value, "[%d, 1, 0.5]", v);
    } else {
      e->op = "replace";
      snprintf(e->pointer, sizeof e->pointer, "/animations/%d/parameters/keyframes/1/time", i);
      snprintf(e->value, sizeof e->value, "%d", v % 5); /* 0 and 4: not increasing */
    }
    break;
  case 4:
    snprintf(e->pointer, sizeof e->pointer, "/animations/%d/model", i);
    snprintf(e->value, sizeof e->value, "\"%s\"", v % 2 ? "circular" : "linear");
    break;
  default:
    snprintf(e->pointer, sizeof e->pointer, "/animations/%d/loop", i);
    snprintf(e->value, sizeof e->value, "\"%s\"", v % 3 ? "pingpong" : "once");
    break;
  }
}

static void edit_group(uint64_t *rng, edit *e) {
  int g = pick(rng, NG), v = pick(rng, NA + 1);
  e->op = "add";
  switch (pick(rng, 6)) {
  case 0:
    snprintf(e->pointer, sizeof e->pointer, "/groups/%d/phaseOffset", g);
    snprintf(e->value, sizeof e->value, "0.%d", v);
    break;
  case 1:
    snprintf(e->pointer, sizeof e->pointer, "/groups/%d/tracks", g);
    three_tracks(rng, e->value, sizeof e->value);
    break;
  case 2:
    snprintf(e->pointer, sizeof e->pointer, "/groups/%d/animation", g);
    snprintf(e->value, sizeof e->value, v == NA ? "\"nope\"" : "\"a%d\"", v);
    break;
  case 3:
    snprintf(e->pointer, sizeof e->pointer, "/groups/%d/autoStart", g);
    snprintf(e->value, sizeof e->value, "%s", v % 2 ? "true" : "false");
    break;
  case 4:
    snprintf(e->pointer, sizeof e->pointer, "/groups/%d/mode", g);
    snprintf(e->value, sizeof e->value, "\"%s\"", v % 3 ? "relative" : "shared");
    break;
  default:
    snprintf(e->pointer, sizeof e->pointer, "/groups/%d/centerPoint", g);
    snprintf(e->value, sizeof e->value, "[%d, 0, 1]", v);
    break;
  }
}

static void edit_preset_cue(uint64_t *rng, edit *e) {
  int c = pick(rng, NC), v = pick(rng, NT) + 1;
  e->op = "add";
  switch (pick(rng, 6)) {
  case 0:
    snprintf(e->pointer, sizeof e->pointer, "/presets/%d/positions/%d", v % 2, v);
    snprintf(e->value, sizeof e->value, "[%d, 1, 2]", v % 9);
    break;
  case 1:
    snprintf(e->pointer, sizeof e->pointer, "/cues/%d/name", c);
    snprintf(e->value, sizeof e->value, "\"cue %d\"", v);
    break;
  case 2:
    e->op = "replace";
    snprintf(e->pointer, sizeof e->pointer, "/cues/%d/number", c);
    snprintf(e->value, sizeof e->value, "%d", v % 16); /* may clash: refused */
    break;
  case 3:
    snprintf(e->pointer, sizeof e->pointer, "/cues/%d/actions/0/fade", c);
    snprintf(e->value, sizeof e->value, "%d", v % 4);
    break;
  case 4:
    snprintf(e->pointer, sizeof e->pointer, "/cues/%d/osc", c);
    snprintf(e->value, sizeof e->value, "\"/cue/%d\"", v % 16); /* may clash: refused */
    break;
  default:
    snprintf(e->pointer, sizeof e->pointer, "/cues/%d/actions/0/tracks", c);
    three_tracks(rng, e->value, sizeof e->value);
    break;
  }
}

static void edit_other(uint64_t *rng, edit *e) {
  int v = pick(rng, 50);
  e->op = "replace";
  switch (pick(rng, 6)) {
  case 0:
    e->op = "add";
    snprintf(e->pointer, sizeof e->pointer, "/outputs/%d/rate", v % 2);
    snprintf(e->value, sizeof e->value, "%d", 10 + v);
    break;
  case 1:
    snprintf(e->pointer, sizeof e->pointer, "/limits/maxSpeed");
    snprintf(e->value, sizeof e->value, "%d", v);
    break;
  case 2:
    snprintf(e->pointer, sizeof e->pointer, "/control/port");
    snprintf(e->value, sizeof e->value, "%d", 9000 + v);
    break;
  case 3:
    snprintf(e->pointer, sizeof e->pointer, "/name");
    snprintf(e->value, sizeof e->value, "\"show %d\"", v);
    break;
  case 4: /* the full compiler's: an element added */
    e->op = "add";
    snprintf(e->pointer, sizeof e->pointer, "/tracks/-");
    snprintf(e->value, sizeof e->value, "{\"id\": %d, \"gain\": -3}", 200 + v);
    break;
  default:
    snprintf(e->pointer, sizeof e->pointer, "/animations/%d/name", v % NA);
    snprintf(e->value, sizeof e->value, "\"renamed %d\"", v);
    break;
  }
}

/* An element added (at an index or the end), removed, or renamed: the
 * others move, and what names them may no longer find them (refused). */
static void edit_structure(uint64_t *rng, edit *e) {
  static const char *const sections[] = {"tracks", "animations", "groups", "presets", "cues"};
  int k = pick(rng, 5), v = pick(rng, 60), i = pick(rng, k == 0 ? NT + 2 : NA + 2);
  char at[16];
  snprintf(at, sizeof at, v % 3 == 0 ? "-" : "%d", i);
  switch (pick(rng, 3)) {
  case 0:
    e->op = "add";
    snprintf(e->pointer, sizeof e->pointer, "/%s/%s", sections[k], at);
    switch (k) {
    case 0:
      snprintf(e->value, sizeof e->value, "{\"id\": %d, \"position\": [%d, 0, 1]}", 300 + v, v);
      break;
    case 1:
      snprintf(e->value, sizeof e->value,
               "{\"name\": \"n%d\", \"model\": \"circular\", \"parameters\": {\"radius\": %d}}", v,
               1 + v % 4);
      break;
    case 2:
      snprintf(e->value, sizeof e->value,
               "{\"name\": \"n%d\", \"animation\": \"a%d\", \"tracks\": [%d, %d]}", v, v % NA,
               1 + v % NT, 1 + (v + 7) % NT);
      break;
    case 3:
      snprintf(e->value, sizeof e->value, "{\"name\": \"n%d\", \"positions\": {\"%d\": [1, 2, 3]}}",
               v, 1 + v % NT);
      break;
    default:
      snprintf(e->value, sizeof e->value,
               "{\"number\": %d.5, \"actions\": [{\"type\": \"start\", \"group\": \"g%d\"}]}", v,
               v % NG);
      break;
    }
    break;
  case 1:
    e->op = "remove";
    snprintf(e->pointer, sizeof e->pointer, "/%s/%d", sections[k], i);
    break;
  default:
    e->op = "replace";
    snprintf(e->pointer, sizeof e->pointer, "/%s/%d/%s", sections[k], i,
             k == 0   ? "id"
             : k == 4 ? "number"
                      : "name");
    if (k == 0 || k == 4) {
      snprintf(e->value, sizeof e->value, "%d", 400 + v);
    } else {
      snprintf(e->value, sizeof e->value, "\"r%d\"", v);
    }
    break;
  }
}

static void random_edit(uint64_t *rng, edit *e) {
  e->value[0] = '\0';
  switch (pick(rng, 6)) {
  case 5: edit_structure(rng, e); break;
  case 0: edit_track(rng, e); break;
  case 1: edit_animation(rng, e); break;
  case 2: edit_group(rng, e); break;
  case 3: edit_preset_cue(rng, e); break;
  default: edit_other(rng, e); break;
  }
}

/* A refused edit leaves the very text, and says why. */
static void check_refused(int step, ha_show *s, const char *before, uint64_t version,
                          const ha_diags *d) {
  char *after = NULL;
  CHECK_OK(ha_show_save_string(s, &after, NULL));
  CHECK_MSG(after != NULL && strcmp(after, before) == 0, "step %d: a refused edit changed the show",
            step);
  CHECK_MSG(ha_show_version(s) == version, "step %d: a refused edit bumped the version", step);
  CHECK_MSG(ha_diags_errors(d) > 0, "step %d: a refused edit without an error", step);
  free(after);
}

typedef void (*edit_gen)(uint64_t *rng, edit *e);

/* `steps` random edits (from `gen`), undos and redos, each result compared
 * with a reload; refused edits change nothing. */
static void random_steps(edit_gen gen, int steps, int *done, int *refused, int *undos, int *redos);

static void test_random_edits_match_a_reload(void) {
  int done = 0, refused = 0, undos = 0, redos = 0;
  random_steps(random_edit, 1500, &done, &refused, &undos, &redos);
  printf("%d edits, %d refused, %d undos, %d redos\n", done, refused, undos, redos);
  CHECK(done > 300 && refused > 50 && undos > 100 && redos > 20);
}

/* Elements added (at an index or the end), removed and renamed, then
 * field edits on what moved: compiled again from the model edited (what
 * did not change is taken from it), they match a reload too. */
static void test_structural_edits_match_a_reload(void) {
  int done = 0, refused = 0, undos = 0, redos = 0;
  random_steps(edit_structure, 600, &done, &refused, &undos, &redos);
  printf("%d structural edits, %d refused, %d undos, %d redos\n", done, refused, undos, redos);
  CHECK(done > 100 && refused > 30 && undos > 50 && redos > 10);
}

static void random_steps(edit_gen gen, int steps, int *done_out, int *refused_out, int *undos_out,
                         int *redos_out) {
  uint64_t rng = test_seed(20261206);
  const char *text = gen_show();
  ha_show *s = NULL;
  CHECK_OK(ha_show_load_string(text, strlen(text), "gen.json", &s, NULL));
  if (s == NULL) {
    return;
  }
  ha_diags *d = NULL;
  CHECK_OK(ha_diags_create(&d));
  int done = 0, refused = 0, undos = 0, redos = 0;
  for (int step = 0; step < steps && ha_t_failed_checks == 0; step++) {
    int what = pick(&rng, 10);
    if (what < 2 && ha_show_can_undo(s)) {
      CHECK_OK(ha_show_undo(s));
      undos++;
    } else if (what < 3 && ha_show_can_redo(s)) {
      CHECK_OK(ha_show_redo(s));
      redos++;
    } else {
      edit e;
      e.value[0] = '\0';
      gen(&rng, &e);
      char *before = NULL;
      CHECK_OK(ha_show_save_string(s, &before, NULL));
      uint64_t version = ha_show_version(s);
      ha_diags_clear(d);
      ha_status st = ha_show_edit(s, e.op, e.pointer, e.value, d);
      if (st == HA_OK) {
        done++;
      } else {
        CHECK_MSG(st == HA_EINVAL, "step %d: %s %s %s: status %d", step, e.op, e.pointer, e.value,
                  (int)st);
        check_refused(step, s, before, version, d);
        refused++;
      }
      free(before);
    }
    check_like_reload(step, s);
  }
  *done_out = done;
  *refused_out = refused;
  *undos_out = undos;
  *redos_out = redos;
  ha_diags_destroy(d);
  ha_show_destroy(s);
}

/* Several operations as one step, touching several units at once. */
static void test_patches_match_a_reload(void) {
  const char *text = gen_show();
  ha_show *s = NULL;
  CHECK_OK(ha_show_load_string(text, strlen(text), "gen.json", &s, NULL));
  if (s == NULL) {
    return;
  }
  static const char *const patches[] = {
      "[{\"op\": \"add\", \"path\": \"/animations/5/fadeOut\", \"value\": 3}, {\"op\": \"add\", "
      "\"path\": \"/groups/1/animation\", \"value\": \"a5\"}, {\"op\": \"add\", \"path\": "
      "\"/tracks/3/gain\", \"value\": -7}]",
      "[{\"op\": \"replace\", \"path\": \"/cues/2/actions/0/tracks\", \"value\": [9, 8]}, "
      "{\"op\": \"add\", \"path\": \"/presets/1/positions/7\", \"value\": [0, 0, 0]}, {\"op\": "
      "\"add\", \"path\": \"/outputs/0/rate\", \"value\": 60}]",
      "[{\"op\": \"add\", \"path\": \"/groups/0/tracks\", \"value\": [4, 5]}, {\"op\": \"add\", "
      "\"path\": \"/cues/0/name\", \"value\": \"go\"}, {\"op\": \"remove\", \"path\": "
      "\"/tracks/0/gain\"}]",
  };
  ha_diags *d = NULL;
  CHECK_OK(ha_diags_create(&d));
  for (size_t i = 0; i < COUNTOF(patches); i++) {
    char line[512] = "";
    ha_diags_clear(d);
    CHECK_OK(ha_show_edit_patch(s, patches[i], d));
    if (ha_diags_errors(d) > 0) {
      ha_diag_format(ha_diags_at(d, 0), line, sizeof line);
    }
    CHECK_MSG(ha_diags_errors(d) == 0, "patch %zu: %s", i, line);
    check_like_reload((int)i, s);
  }
  ha_diags_destroy(d);
  for (size_t i = 0; i < COUNTOF(patches); i++) {
    CHECK_OK(ha_show_undo(s));
    check_like_reload((int)i, s);
  }
  ha_show_destroy(s);
}

/* A refused edit reads as a load of the edited text would: the path and
 * the engine's words, every problem (the full compiler says them). */
static void test_refusals_are_worded_as_a_load(void) {
  const char *text = gen_show();
  ha_show *s = NULL;
  CHECK_OK(ha_show_load_string(text, strlen(text), "gen.json", &s, NULL));
  if (s == NULL) {
    return;
  }
  ha_diags *d = NULL;
  CHECK_OK(ha_diags_create(&d));
  CHECK_INT(ha_show_edit(s, "replace", "/animations/3/parameters/radius", "-2", d), HA_EINVAL);
  char line[512] = "";
  ha_diag_format(ha_diags_at(d, 0), line, sizeof line);
  CHECK_STR(line, "animations[3].parameters.radius: -2 is below the minimum 0");
  CHECK_INT(ha_diags_count(d), 1);
  ha_diags_clear(d);
  CHECK_INT(ha_show_edit(s, "add", "/tracks/4/gain", "20", d), HA_EINVAL);
  ha_diag_format(ha_diags_at(d, 0), line, sizeof line);
  CHECK_STR(line, "tracks[4].gain: 20 is above the maximum 12");
  /* the track left out, what names it fails too: all of it said */
  CHECK(ha_diags_errors(d) > 1);
  ha_diags_clear(d);
  CHECK_INT(ha_show_edit(s, "replace", "/cues/3/number", "1", d), HA_EINVAL);
  ha_diag_format(ha_diags_at(d, 0), line, sizeof line);
  CHECK_STR(line, "cues[3].number: duplicate cue number 1 (also cues[0])");
  CHECK_INT(ha_show_version(s), 1);
  ha_diags_destroy(d);
  ha_show_destroy(s);
}

int main(void) {
  RUN(test_random_edits_match_a_reload);
  RUN(test_structural_edits_match_a_reload);
  RUN(test_patches_match_a_reload);
  RUN(test_refusals_are_worded_as_a_load);
  return test_done();
}
