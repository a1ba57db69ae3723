/* Show files: load, migrate, validate, and the read-only compiled view.
 *
 * The JSON document (jansson) is the source of truth: saving writes it back
 * canonically, edits are JSON operations on it. Validation compiles a
 * document into plain structs (ha__show_model) in one pass that never stops
 * at the first problem: each field is checked where it is read, references
 * (group -> animation/tracks, cue -> group/preset/track, trackMap targets)
 * once the tables they point into exist, and every animation is built with
 * ha_motion_create so the engine's own validation words the message; the
 * show only adds the JSON path and the position. When an animation fails,
 * each of its parameters is tried alone (with defaults for the rest) so all
 * bad parameters are listed, not just the first.
 *
 * A compiled model is immutable and reference counted: the show holds one,
 * and so does every instance made from it, so an edit (which compiles a new
 * document into a new model) never pulls data from under a running
 * instance. Strings in the model point into its own document. */
#include "show_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRACK_ID_MAX 999999
#define POS_MAX 1000.0
#define SECONDS_MAX 3600.0

typedef struct cc {
  ha__dctx *c;
  ha__path path;
  ha__show_model *m;
  ha__strmap anim_names, group_names, preset_names, output_names;
} cc;

static const char *P(const cc *x) {
  return ha__path_str(&x->path);
}

static void err_at(cc *x, const char *fmt, ...) HA__PRINTF(2, 3);
static void err_at(cc *x, const char *fmt, ...) {
  char msg[480];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  ha__diag(x->c, HA_DIAG_ERROR, P(x), 0, "%s", msg);
}

static void warn_at(cc *x, int at_key, const char *fmt, ...) HA__PRINTF(3, 4);
static void warn_at(cc *x, int at_key, const char *fmt, ...) {
  char msg[480];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  ha__diag(x->c, HA_DIAG_WARNING, P(x), at_key, "%s", msg);
}

static void *alloc(cc *x, size_t n) {
  void *p = ha__arena_alloc(&x->m->arena, n ? n : 1);
  if (p == NULL) {
    x->c->oom = 1;
  }
  return p;
}

/* ---- unknown fields ---- */

static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 40 || lb > 40) {
    return 99;
  }
  size_t row[41];
  for (size_t j = 0; j <= lb; j++) {
    row[j] = j;
  }
  for (size_t i = 1; i <= la; i++) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t cur = row[j];
      size_t sub = prev + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
      size_t best = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
      row[j] = sub < best ? sub : best;
      prev = cur;
    }
  }
  return row[lb];
}

static void unknown_keys(cc *x, const json_t *obj, const ha__schema *s) {
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)(uintptr_t)obj, key, v) {
    if (ha__schema_has(s, key)) {
      continue;
    }
    const char *best = NULL;
    size_t bd = 3;
    for (size_t i = 0; i < s->n; i++) {
      size_t d = edit_distance(key, s->keys[i].key);
      if (d < bd) {
        bd = d;
        best = s->keys[i].key;
      }
    }
    size_t mark = ha__path_key(&x->path, key);
    if (best != NULL) {
      warn_at(x, 1, "unknown field, ignored (did you mean \"%s\"?)", best);
    } else {
      warn_at(x, 1, "unknown field, ignored");
    }
    ha__path_pop(&x->path, mark);
  }
}

/* ---- typed field readers: 1 read, 0 absent, -1 error (reported) ---- */

static void type_error(cc *x, const char *want, const json_t *v) {
  err_at(x, "expected %s, got %s", want, ha__json_kind(v));
}

static int number_value(cc *x, const json_t *v, double min, double max, double *out) {
  if (!json_is_number(v)) {
    type_error(x, "a number", v);
    return -1;
  }
  double d = json_number_value(v);
  if (d < min || d > max) {
    char a[40], b[40];
    ha_format_double(a, sizeof(a), d);
    ha_format_double(b, sizeof(b), d < min ? min : max);
    err_at(x, "%s is %s %s", a, d < min ? "below the minimum" : "above the maximum", b);
    return -1;
  }
  *out = d;
  return 1;
}

static int integer_value(cc *x, const json_t *v, double min, double max, long long *out) {
  double d = 0;
  if (json_is_real(v) && ha__feq(json_real_value(v), floor(json_real_value(v))) &&
      fabs(json_real_value(v)) < 1e15) {
    d = json_real_value(v); /* 5.0 is the whole number 5 */
  } else if (json_is_integer(v)) {
    d = (double)json_integer_value(v);
  } else if (json_is_real(v)) {
    char a[40];
    ha_format_double(a, sizeof(a), json_real_value(v));
    err_at(x, "%s is not a whole number", a);
    return -1;
  } else {
    type_error(x, "a whole number", v);
    return -1;
  }
  if (d < min || d > max) {
    char a[40], b[40];
    ha_format_double(a, sizeof(a), d);
    ha_format_double(b, sizeof(b), d < min ? min : max);
    err_at(x, "%s is %s %s", a, d < min ? "below the minimum" : "above the maximum", b);
    return -1;
  }
  *out = (long long)d;
  return 1;
}

static int vec3_value(cc *x, const json_t *v, double lim, ha_vec3 *out) {
  if (!json_is_array(v) || json_array_size(v) != 3) {
    if (json_is_array(v)) {
      err_at(x, "expected [x, y, z], got %zu values", json_array_size(v));
    } else {
      type_error(x, "[x, y, z]", v);
    }
    return -1;
  }
  double c[3];
  int ok = 1;
  for (size_t i = 0; i < 3; i++) {
    size_t mark = ha__path_index(&x->path, i);
    ok &= number_value(x, json_array_get(v, i), -lim, lim, &c[i]) > 0;
    ha__path_pop(&x->path, mark);
  }
  if (!ok) {
    return -1;
  }
  *out = ha_vec3_make(c[0], c[1], c[2]);
  return 1;
}

/* Each getter pushes the key, reads, pops. `required` reports absence. */
#define FIELD(x, obj, key, required, body)             \
  do {                                                 \
    const json_t *fv_ = json_object_get((obj), (key)); \
    if (fv_ == NULL) {                                 \
      if (required) {                                  \
        size_t mk_ = ha__path_key(&(x)->path, (key));  \
        err_at((x), "missing required field");         \
        ha__path_pop(&(x)->path, mk_);                 \
        return -1;                                     \
      }                                                \
      return 0;                                        \
    }                                                  \
    size_t mk_ = ha__path_key(&(x)->path, (key));      \
    int r_ = body;                                     \
    ha__path_pop(&(x)->path, mk_);                     \
    return r_;                                         \
  } while (0)

static int get_number(cc *x, const json_t *o, const char *key, int req, double min, double max,
                      double *out) {
  FIELD(x, o, key, req, number_value(x, fv_, min, max, out));
}

static int get_integer(cc *x, const json_t *o, const char *key, int req, double min, double max,
                       long long *out) {
  FIELD(x, o, key, req, integer_value(x, fv_, min, max, out));
}

static int get_vec3(cc *x, const json_t *o, const char *key, int req, double lim, ha_vec3 *out) {
  FIELD(x, o, key, req, vec3_value(x, fv_, lim, out));
}

static int string_value(cc *x, const json_t *v, int nonempty, const char **out) {
  if (!json_is_string(v)) {
    type_error(x, "a string", v);
    return -1;
  }
  if (nonempty && json_string_value(v)[0] == '\0') {
    err_at(x, "must not be empty");
    return -1;
  }
  *out = json_string_value(v);
  return 1;
}

static int get_string(cc *x, const json_t *o, const char *key, int req, int nonempty,
                      const char **out) {
  FIELD(x, o, key, req, string_value(x, fv_, nonempty, out));
}

static int bool_value(cc *x, const json_t *v, bool *out) {
  if (!json_is_boolean(v)) {
    type_error(x, "true or false", v);
    return -1;
  }
  *out = json_is_true(v);
  return 1;
}

static int get_bool(cc *x, const json_t *o, const char *key, bool *out) {
  FIELD(x, o, key, 0, bool_value(x, fv_, out));
}

/* Index of `s` among "a|b|c" (exact), or -1. */
static int choice_of(const char *choices, const char *s) {
  size_t n = strlen(s);
  const char *c = choices;
  for (int i = 0;; i++) {
    const char *e = strchr(c, '|');
    size_t len = e ? (size_t)(e - c) : strlen(c);
    if (len == n && strncmp(c, s, n) == 0) {
      return i;
    }
    if (e == NULL) {
      return -1;
    }
    c = e + 1;
  }
}

static int choice_value(cc *x, const json_t *v, const char *choices, int *out) {
  const char *s = NULL;
  if (string_value(x, v, 0, &s) < 0) {
    return -1;
  }
  int i = choice_of(choices, s);
  if (i < 0) {
    err_at(x, "'%s' is not one of %s", s, choices);
    return -1;
  }
  *out = i;
  return 1;
}

static int get_choice(cc *x, const json_t *o, const char *key, const char *choices, int *out) {
  FIELD(x, o, key, 0, choice_value(x, fv_, choices, out));
}

static int object_at(cc *x, const json_t *v) {
  if (!json_is_object(v)) {
    type_error(x, "an object", v);
    return 0;
  }
  return 1;
}

/* The array at `key` (NULL when absent or not an array: reported). */
static const json_t *get_array(cc *x, const json_t *o, const char *key, int req) {
  const json_t *v = json_object_get(o, key);
  size_t mark = ha__path_key(&x->path, key);
  if (v == NULL && req) {
    err_at(x, "missing required field");
  } else if (v != NULL && !json_is_array(v)) {
    type_error(x, "an array", v);
    v = NULL;
  }
  ha__path_pop(&x->path, mark);
  return v;
}

/* ---- name tables ---- */

static void id_key(char *buf, size_t cap, long long id) {
  snprintf(buf, cap, "%lld", id);
}

static size_t track_lookup(const cc *x, long long id) {
  char k[32];
  id_key(k, sizeof(k), id);
  const ha__strmap_slot *s = ha__strmap_get(&x->m->track_index, k);
  return s ? s->value : SIZE_MAX;
}

static size_t name_lookup(const ha__strmap *m, const char *name) {
  const ha__strmap_slot *s = ha__strmap_get(m, name);
  return s ? s->value : SIZE_MAX;
}

/* Register a unique name; reports a duplicate at the current path. */
static int register_name(cc *x, ha__strmap *m, const char *name, const char *what,
                         const char *section, size_t index) {
  const ha__strmap_slot *s = ha__strmap_get(m, name);
  if (s != NULL) {
    err_at(x, "duplicate %s name \"%s\" (also %s[%zu])", what, name, section, s->value);
    return -1;
  }
  ha__strmap_slot *n = ha__strmap_put(m, name);
  if (n == NULL) {
    x->c->oom = 1;
    return -1;
  }
  n->value = index;
  return 0;
}

/* A list of track ids at `key` of `o`: every id must be a known track, none
 * twice. Returns the count (ids in *out from the arena), -1 on error. */
static long track_list(cc *x, const json_t *o, const char *key, int req, int nonempty,
                       const char *what, uint32_t **out) {
  const json_t *a = get_array(x, o, key, req);
  if (a == NULL) {
    return json_object_get(o, key) == NULL && !req ? 0 : -1;
  }
  size_t mark = ha__path_key(&x->path, key);
  size_t n = json_array_size(a);
  long result = (long)n;
  if (n == 0 && nonempty) {
    err_at(x, "%s needs at least one track", what);
    result = -1;
  }
  uint32_t *ids = alloc(x, n * sizeof(uint32_t));
  for (size_t i = 0; ids != NULL && i < n; i++) {
    size_t m2 = ha__path_index(&x->path, i);
    long long id = 0;
    if (integer_value(x, json_array_get(a, i), 1, TRACK_ID_MAX, &id) < 0) {
      result = -1;
    } else if (track_lookup(x, id) == SIZE_MAX) {
      err_at(x, "no track with id %lld", id);
      result = -1;
    } else {
      for (size_t j = 0; j < i; j++) {
        if (ids[j] == (uint32_t)id) {
          err_at(x, "track %lld is listed twice", id);
          result = -1;
          break;
        }
      }
    }
    ids[i] = (uint32_t)id;
    ha__path_pop(&x->path, m2);
  }
  ha__path_pop(&x->path, mark);
  if (ids == NULL) {
    return -1;
  }
  *out = ids;
  return result;
}

/* ---- metadata, tracks ---- */

static void compile_metadata(cc *x, const json_t *doc) {
  const json_t *md = json_object_get(doc, "metadata");
  if (md == NULL) {
    return;
  }
  size_t mark = ha__path_key(&x->path, "metadata");
  if (object_at(x, md)) {
    const char *s;
    for (size_t i = 0; i < ha__schema_metadata.n; i++) {
      get_string(x, md, ha__schema_metadata.keys[i].key, 0, 0, &s);
    }
  }
  ha__path_pop(&x->path, mark);
}

static int color_ok(const char *s) {
  if (strlen(s) != 7 || s[0] != '#') {
    return 0;
  }
  for (int i = 1; i < 7; i++) {
    if (!isxdigit((unsigned char)s[i])) {
      return 0;
    }
  }
  return 1;
}

static void compile_tracks(cc *x, const json_t *doc) {
  const json_t *arr = get_array(x, doc, "tracks", 0);
  size_t n = arr ? json_array_size(arr) : 0;
  x->m->tracks = alloc(x, n * sizeof(ha_show_track));
  if (x->m->tracks == NULL) {
    return;
  }
  size_t mark = ha__path_key(&x->path, "tracks");
  for (size_t i = 0; i < n; i++) {
    size_t m2 = ha__path_index(&x->path, i);
    const json_t *o = json_array_get(arr, i);
    if (object_at(x, o)) {
      unknown_keys(x, o, &ha__schema_track);
      ha_show_track t;
      memset(&t, 0, sizeof(t));
      t.name = "";
      long long id = 0;
      int ok = get_integer(x, o, "id", 1, 1, TRACK_ID_MAX, &id) > 0;
      if (ok) {
        char k[32];
        id_key(k, sizeof(k), id);
        const ha__strmap_slot *other = ha__strmap_get(&x->m->track_index, k);
        if (other != NULL) {
          size_t m3 = ha__path_key(&x->path, "id");
          err_at(x, "duplicate track id %lld (also tracks[%d])", id, other->a);
          ha__path_pop(&x->path, m3);
          ok = 0;
        }
      }
      t.id = (uint32_t)id;
      ok &= get_string(x, o, "name", 0, 0, &t.name) >= 0;
      const char *color = NULL;
      int r = get_string(x, o, "color", 0, 0, &color);
      if (r > 0 && !color_ok(color)) {
        size_t m3 = ha__path_key(&x->path, "color");
        err_at(x, "\"%s\" is not a colour #rrggbb", color);
        ha__path_pop(&x->path, m3);
        ok = 0;
      } else if (r > 0) {
        memcpy(t.color, color, 8);
      }
      ok &= r >= 0;
      ok &= get_vec3(x, o, "position", 0, POS_MAX, &t.position) >= 0;
      r = get_number(x, o, "gain", 0, -60.0, 12.0, &t.gain);
      t.has_gain = r > 0;
      ok &= r >= 0;
      if (ok) {
        char k[32];
        id_key(k, sizeof(k), id);
        ha__strmap_slot *s = ha__strmap_put(&x->m->track_index, k);
        if (s == NULL) {
          x->c->oom = 1;
        } else {
          s->value = x->m->ntracks;
          s->a = (int)i; /* its place in the document, for messages */
          x->m->tracks[x->m->ntracks++] = t;
        }
      }
    }
    ha__path_pop(&x->path, m2);
  }
  ha__path_pop(&x->path, mark);
}

/* ---- animations ---- */

/* One JSON parameter into `p` (the registry info `pi` may be NULL). */
static int param_from_json(cc *x, ha_params *p, const char *key, const json_t *v,
                           const ha_param_info *pi) {
  ha_status st = HA_OK;
  switch (json_typeof(v)) {
  case JSON_INTEGER:
  case JSON_REAL: st = ha_params_set_number(p, key, json_number_value(v)); break;
  case JSON_TRUE:
  case JSON_FALSE: st = ha_params_set_bool(p, key, json_is_true(v)); break;
  case JSON_STRING: st = ha_params_set_string(p, key, json_string_value(v)); break;
  case JSON_OBJECT:
  case JSON_NULL: type_error(x, "a number, a string, a boolean or a list", v); return -1;
  case JSON_ARRAY: {
    size_t n = json_array_size(v);
    /* The first element says what the list is; the others must agree. */
    const json_t *first = json_array_get(v, 0);
    if (n == 0) {
      if (pi != NULL && pi->type == HA_PARAM_POINTS) {
        st = ha_params_set_points(p, key, NULL, 0);
      } else if (pi != NULL && pi->type == HA_PARAM_KEYFRAMES) {
        st = ha_params_set_keyframes(p, key, NULL, 0);
      } else {
        err_at(x, "expected a value, got an empty list");
        return -1;
      }
    } else if (json_is_number(first)) {
      if (n > 4) {
        err_at(x, "expected at most 4 numbers, got %zu", n);
        return -1;
      }
      double d[4];
      int ok = 1;
      for (size_t i = 0; i < n; i++) {
        size_t mark = ha__path_index(&x->path, i);
        ok &= number_value(x, json_array_get(v, i), -1e300, 1e300, &d[i]) > 0;
        ha__path_pop(&x->path, mark);
      }
      if (!ok) {
        return -1;
      }
      st = ha_params_set_numbers(p, key, d, n);
    } else if (json_is_array(first)) {
      ha_vec3 *pts = malloc(n * sizeof(*pts));
      if (pts == NULL) {
        x->c->oom = 1;
        return -1;
      }
      int ok = 1;
      for (size_t i = 0; i < n; i++) {
        size_t mark = ha__path_index(&x->path, i);
        ok &= vec3_value(x, json_array_get(v, i), 1e300, &pts[i]) > 0;
        ha__path_pop(&x->path, mark);
      }
      st = ok ? ha_params_set_points(p, key, pts, n) : HA_OK;
      free(pts);
      if (!ok) {
        return -1;
      }
    } else if (json_is_object(first)) {
      ha_keyframe *ks = calloc(n, sizeof(*ks));
      if (ks == NULL) {
        x->c->oom = 1;
        return -1;
      }
      static const ha__schema_key kkeys[] = {
          {"time", 0, NULL}, {"position", 0, NULL}, {"easing", 0, NULL}};
      static const ha__schema kschema = {kkeys, 3};
      int ok = 1;
      for (size_t i = 0; i < n; i++) {
        size_t mark = ha__path_index(&x->path, i);
        const json_t *o = json_array_get(v, i);
        if (!object_at(x, o)) {
          ok = 0;
          ha__path_pop(&x->path, mark);
          continue;
        }
        unknown_keys(x, o, &kschema);
        ok &= get_number(x, o, "time", 1, -1e300, 1e300, &ks[i].time) > 0;
        ok &= get_vec3(x, o, "position", 1, 1e300, &ks[i].position) > 0;
        const char *e = NULL;
        int r = get_string(x, o, "easing", 0, 0, &e);
        ok &= r >= 0;
        ks[i].easing = HA_EASE_LINEAR;
        if (r > 0) {
          ha_error err;
          size_t m3 = ha__path_key(&x->path, "easing");
          if (ha_easing_parse(e, &ks[i].easing, "easing", &err) != HA_OK) {
            err_at(x, "%s", err.reason);
            ok = 0;
          }
          ha__path_pop(&x->path, m3);
        }
        ha__path_pop(&x->path, mark);
      }
      st = ok ? ha_params_set_keyframes(p, key, ks, n) : HA_OK;
      free(ks);
      if (!ok) {
        return -1;
      }
    } else {
      err_at(x, "expected numbers, points [[x, y, z], ...] or keyframes [{time, position}, ...]");
      return -1;
    }
    break;
  }
  }
  if (st == HA_ENOMEM) {
    x->c->oom = 1;
    return -1;
  }
  if (st != HA_OK) {
    err_at(x, "parameter name too long (at most 63 bytes)");
    return -1;
  }
  return 0;
}

/* The JSON path of an engine error name ("center.x", "keyframes[2].time")
 * under animations[i].parameters: the head is mapped back to the key the
 * file used (an alias, perhaps) and ".x/.y/.z" of a point become [0..2]. */
static void engine_param_path(cc *x, const ha_model_info *mi, const json_t *params,
                              const char *name, char *buf, size_t cap) {
  char head[96];
  size_t hl = strcspn(name, ".[");
  snprintf(head, sizeof(head), "%.*s", (int)hl, name);
  const char *key = head;
  const ha_param_info *want = ha_model_param_find(mi, head);
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)(uintptr_t)params, k, v) {
    if (strcmp(k, head) == 0) {
      key = k;
      break;
    }
    if (want != NULL && ha_model_param_find(mi, k) == want) {
      key = k;
    }
  }
  char base[256];
  ha__path_join(base, sizeof(base), P(x), "parameters");
  ha__path_join(buf, cap, base, key);
  const char *r = name + hl;
  while (*r != '\0') {
    size_t len = strlen(buf);
    if (r[0] == '.' && (r[1] == 'x' || r[1] == 'y' || r[1] == 'z') &&
        (r[2] == '\0' || r[2] == '.' || r[2] == '[')) {
      snprintf(buf + len, cap - len, "[%d]", r[1] - 'x');
      r += 2;
      continue;
    }
    size_t seg = 1 + strcspn(r + 1, ".[");
    snprintf(buf + len, cap - len, "%.*s", (int)seg, r);
    r += seg;
  }
}

/* Parameters of the animation being compiled that could not be read (so
 * the engine judged their defaults: its words about them would mislead). */
typedef struct failed_keys {
  const char *key[32];
  size_t n;
} failed_keys;

static void report_motion_error(cc *x, const ha_model_info *mi, const json_t *params,
                                const ha_error *err, const failed_keys *failed) {
  char path[300];
  if (strcmp(err->name, "model") == 0 || mi == NULL) {
    ha__path_join(path, sizeof(path), P(x), "model");
  } else {
    char head[96];
    snprintf(head, sizeof(head), "%.*s", (int)strcspn(err->name, ".["), err->name);
    const ha_param_info *pi = ha_model_param_find(mi, head);
    for (size_t i = 0; failed != NULL && i < failed->n; i++) {
      if (strcmp(failed->key[i], head) == 0 ||
          (pi != NULL && ha_model_param_find(mi, failed->key[i]) == pi)) {
        return;
      }
    }
    engine_param_path(x, mi, params, err->name, path, sizeof(path));
  }
  ha__diag(x->c, HA_DIAG_ERROR, path, 0, "%s", err->reason[0] ? err->reason : err->message);
}

/* Build the motion once to validate; on failure try each parameter alone to
 * list every bad one. */
static void check_motion(cc *x, const char *model, const ha_params *p, const ha_timing *tm,
                         const json_t *params, const failed_keys *failed) {
  ha_error err;
  ha_error_clear(&err);
  ha_motion *mo = NULL;
  ha_status st = ha_motion_create(model, p, tm, &mo, &err);
  ha_motion_destroy(mo);
  if (st == HA_OK) {
    return;
  }
  if (st == HA_ENOMEM) {
    x->c->oom = 1;
    return;
  }
  const ha_model_info *mi = ha_model_find(model);
  if (mi == NULL) {
    report_motion_error(x, NULL, params, &err, failed);
    return;
  }
  size_t found = 0;
  const ha_params *fullp = p;
  for (size_t i = 0; i < ha_params_count(fullp); i++) {
    const char *name = ha_params_name_at(fullp, i, NULL);
    ha_params *c1 = NULL;
    if (ha_params_clone(fullp, &c1) != HA_OK) {
      x->c->oom = 1;
      break;
    }
    /* keep only entry i */
    for (size_t j = ha_params_count(c1); j-- > 0;) {
      const char *nj = ha_params_name_at(c1, j, NULL);
      if (strcmp(nj, name) != 0) {
        ha_params_unset(c1, nj);
      }
    }
    ha_error e1;
    ha_error_clear(&e1);
    ha_motion *m1 = NULL;
    if (ha_motion_create(model, c1, tm, &m1, &e1) != HA_OK) {
      report_motion_error(x, mi, params, &e1, failed);
      found++;
    }
    ha_motion_destroy(m1);
    ha_params_destroy(c1);
  }
  if (found == 0) {
    report_motion_error(x, mi, params, &err, failed);
  }
}

static void compile_animation(cc *x, const json_t *o, size_t index) {
  ha__show_model *m = x->m;
  ha_show_animation a;
  memset(&a, 0, sizeof(a));
  a.timing = ha_timing_default();
  unknown_keys(x, o, &ha__schema_animation);
  /* Problems are reported where found; each field read independently, so
   * one bad field does not hide the others. */
  const char *name = NULL, *model = NULL;
  if (get_string(x, o, "name", 1, 1, &name) > 0) {
    size_t mark = ha__path_key(&x->path, "name");
    register_name(x, &x->anim_names, name, "animation", "animations", index);
    ha__path_pop(&x->path, mark);
  }
  get_string(x, o, "model", 1, 1, &model);
  get_number(x, o, "duration", 0, -1e300, 1e300, &a.timing.duration);
  get_number(x, o, "speed", 0, -1e300, 1e300, &a.timing.speed);
  const json_t *lv = json_object_get(o, "loop");
  if (lv != NULL) {
    size_t mark = ha__path_key(&x->path, "loop");
    if (json_is_boolean(lv)) {
      a.timing.loop = json_is_true(lv) ? HA_LOOP_LOOP : HA_LOOP_ONCE;
    } else if (json_is_string(lv)) {
      ha_error err;
      if (ha_loop_mode_parse(json_string_value(lv), &a.timing.loop, &err) != HA_OK) {
        err_at(x, "%s", err.reason);
      }
    } else {
      type_error(x, "once, loop, pingpong or a boolean", lv);
    }
    ha__path_pop(&x->path, mark);
  }
  bool pp = false;
  if (get_bool(x, o, "pingPong", &pp) > 0 && pp) {
    a.timing.loop = HA_LOOP_PINGPONG;
  }
  get_number(x, o, "fadeIn", 0, 0.0, SECONDS_MAX, &a.fade_in);
  get_number(x, o, "fadeOut", 0, 0.0, SECONDS_MAX, &a.fade_out);

  ha_params *p = NULL;
  if (ha_params_create(&p) != HA_OK) {
    x->c->oom = 1;
    return;
  }
  m->params[index] = p;
  a.params = p;
  const ha_model_info *mi = model ? ha_model_find(model) : NULL;
  const json_t *params = json_object_get(o, "parameters");
  int pok = 1;
  failed_keys failed;
  failed.n = 0;
  if (params != NULL) {
    size_t mark = ha__path_key(&x->path, "parameters");
    if (object_at(x, params)) {
      const char *k;
      json_t *v;
      json_object_foreach((json_t *)(uintptr_t)params, k, v) {
        /* A parameter that cannot be read is reported and left out, so the
         * engine still checks all the others. */
        size_t m2 = ha__path_key(&x->path, k);
        if (param_from_json(x, p, k, v, mi ? ha_model_param_find(mi, k) : NULL) != 0 &&
            failed.n < HA__COUNTOF(failed.key)) {
          failed.key[failed.n++] = k;
        }
        ha__path_pop(&x->path, m2);
      }
    } else {
      pok = 0;
    }
    ha__path_pop(&x->path, mark);
  }
  a.model = mi ? mi->name : (model ? model : "");
  a.name = name ? name : "";
  ha_error err;
  if (ha_timing_validate(&a.timing, &err) != HA_OK) {
    size_t mark = ha__path_key(&x->path, err.name);
    err_at(x, "%s", err.reason);
    ha__path_pop(&x->path, mark);
  } else if (model != NULL && (pok || mi == NULL)) {
    /* json_is_object(NULL) is false: engine_param_path copes with no params */
    check_motion(x, model, pok ? p : NULL, &a.timing, json_is_object(params) ? params : NULL,
                 &failed);
  }
  m->anims[index] = a;
}

static void compile_animations(cc *x, const json_t *doc) {
  const json_t *arr = get_array(x, doc, "animations", 0);
  size_t n = arr ? json_array_size(arr) : 0;
  x->m->anims = alloc(x, n * sizeof(ha_show_animation));
  x->m->params = calloc(n ? n : 1, sizeof(ha_params *));
  if (x->m->anims == NULL || x->m->params == NULL) {
    x->c->oom = 1;
    return;
  }
  x->m->nanims = n;
  size_t mark = ha__path_key(&x->path, "animations");
  for (size_t i = 0; i < n; i++) {
    size_t m2 = ha__path_index(&x->path, i);
    const json_t *o = json_array_get(arr, i);
    if (object_at(x, o)) {
      compile_animation(x, o, i);
    } else {
      x->m->anims[i].name = "";
      x->m->anims[i].model = "";
      x->m->anims[i].timing = ha_timing_default();
    }
    ha__path_pop(&x->path, m2);
  }
  ha__path_pop(&x->path, mark);
}

/* ---- groups and the shared group spec ---- */

static int compile_spec(cc *x, const json_t *o, ha_anim_spec *spec) {
  *spec = ha_anim_spec_default();
  int ok = 1;
  const char *mode = NULL;
  int r = get_string(x, o, "mode", 0, 0, &mode);
  ok &= r >= 0;
  if (r > 0) {
    ha_error err;
    size_t mark = ha__path_key(&x->path, "mode");
    if (ha_group_mode_parse(mode, &spec->mode, &err) != HA_OK) {
      err_at(x, "%s", err.reason);
      ok = 0;
    }
    ha__path_pop(&x->path, mark);
  }
  ok &= get_number(x, o, "phaseOffset", 0, -1e6, 1e6, &spec->phase_offset) >= 0;
  ok &= get_bool(x, o, "phaseSpread", &spec->phase_spread) >= 0;
  ok &= get_bool(x, o, "rotateFormation", &spec->rotate_formation) >= 0;
  ok &= get_vec3(x, o, "centerPoint", 0, POS_MAX, &spec->center_point) >= 0;
  ok &= get_number(x, o, "spreadRadius", 0, 0.0, 1000.0, &spec->spread_radius) >= 0;
  int axis = 0;
  r = get_choice(x, o, "mirrorAxis", "x|y|z", &axis);
  ok &= r >= 0;
  if (r > 0) {
    spec->mirror_axis = (char)('x' + axis);
  }
  return ok ? 0 : -1;
}

static void compile_groups(cc *x, const json_t *doc) {
  const json_t *arr = get_array(x, doc, "groups", 0);
  size_t n = arr ? json_array_size(arr) : 0;
  ha__show_model *m = x->m;
  m->groups = alloc(x, n * sizeof(ha_show_group));
  if (m->groups == NULL) {
    return;
  }
  m->ngroups = n;
  size_t mark = ha__path_key(&x->path, "groups");
  for (size_t i = 0; i < n; i++) {
    size_t m2 = ha__path_index(&x->path, i);
    const json_t *o = json_array_get(arr, i);
    ha_show_group *g = &m->groups[i];
    g->name = "";
    g->spec = ha_anim_spec_default();
    if (object_at(x, o)) {
      unknown_keys(x, o, &ha__schema_group);
      const char *name = NULL, *anim = NULL;
      if (get_string(x, o, "name", 1, 1, &name) > 0) {
        size_t m3 = ha__path_key(&x->path, "name");
        register_name(x, &x->group_names, name, "group", "groups", i);
        ha__path_pop(&x->path, m3);
        g->name = name;
      }
      if (get_string(x, o, "animation", 1, 1, &anim) > 0) {
        g->animation = name_lookup(&x->anim_names, anim);
        if (g->animation == SIZE_MAX) {
          size_t m3 = ha__path_key(&x->path, "animation");
          err_at(x, "no animation named \"%s\"", anim);
          ha__path_pop(&x->path, m3);
        }
      }
      uint32_t *ids = NULL;
      long cnt = track_list(x, o, "tracks", 1, 1, "a group", &ids);
      if (cnt > 0) {
        g->tracks = ids;
        g->track_count = (size_t)cnt;
      }
      compile_spec(x, o, &g->spec);
      get_bool(x, o, "autoStart", &g->auto_start);
      /* Two autoStart groups on one track: the later takes it (LTP). */
      for (size_t j = 0; g->auto_start && j < i; j++) {
        const ha_show_group *h = &m->groups[j];
        if (!h->auto_start) {
          continue;
        }
        for (size_t a = 0; a < g->track_count; a++) {
          for (size_t b = 0; b < h->track_count; b++) {
            if (g->tracks[a] == h->tracks[b]) {
              size_t m3 = ha__path_key(&x->path, "tracks");
              size_t m4 = ha__path_index(&x->path, a);
              warn_at(x, 0,
                      "track %u is also started by groups[%zu] (\"%s\"); this later group takes "
                      "it over",
                      g->tracks[a], j, h->name);
              ha__path_pop(&x->path, m4);
              ha__path_pop(&x->path, m3);
            }
          }
        }
      }
    }
    ha__path_pop(&x->path, m2);
  }
  ha__path_pop(&x->path, mark);
}

/* ---- presets ---- */

static int parse_track_key(const char *k, long long *id) {
  if (k[0] < '1' || k[0] > '9' || strlen(k) > 6) {
    return -1;
  }
  long long v = 0;
  for (const char *c = k; *c; c++) {
    if (*c < '0' || *c > '9') {
      return -1;
    }
    v = v * 10 + (*c - '0');
  }
  *id = v;
  return 0;
}

static void compile_presets(cc *x, const json_t *doc) {
  const json_t *arr = get_array(x, doc, "presets", 0);
  size_t n = arr ? json_array_size(arr) : 0;
  ha__show_model *m = x->m;
  m->presets = alloc(x, n * sizeof(ha_show_preset));
  if (m->presets == NULL) {
    return;
  }
  m->npresets = n;
  size_t mark = ha__path_key(&x->path, "presets");
  for (size_t i = 0; i < n; i++) {
    size_t m2 = ha__path_index(&x->path, i);
    const json_t *o = json_array_get(arr, i);
    ha_show_preset *p = &m->presets[i];
    p->name = "";
    if (object_at(x, o)) {
      unknown_keys(x, o, &ha__schema_preset);
      const char *name = NULL;
      if (get_string(x, o, "name", 1, 1, &name) > 0) {
        size_t m3 = ha__path_key(&x->path, "name");
        register_name(x, &x->preset_names, name, "preset", "presets", i);
        ha__path_pop(&x->path, m3);
        p->name = name;
      }
      const json_t *pos = json_object_get(o, "positions");
      size_t m3 = ha__path_key(&x->path, "positions");
      if (pos == NULL) {
        err_at(x, "missing required field");
      } else if (object_at(x, pos)) {
        size_t cnt = json_object_size(pos);
        uint32_t *ids = alloc(x, cnt * sizeof(uint32_t));
        ha_vec3 *ps = alloc(x, cnt * sizeof(ha_vec3));
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)(uintptr_t)pos, k, v) {
          if (ids == NULL || ps == NULL) {
            break;
          }
          size_t m4 = ha__path_key(&x->path, k);
          long long id = 0;
          ha_vec3 q;
          if (parse_track_key(k, &id) != 0) {
            ha__diag(x->c, HA_DIAG_ERROR, P(x), 1, "\"%s\" is not a track id", k);
          } else if (track_lookup(x, id) == SIZE_MAX) {
            ha__diag(x->c, HA_DIAG_ERROR, P(x), 1, "no track with id %lld", id);
          } else if (vec3_value(x, v, POS_MAX, &q) > 0) {
            ids[p->count] = (uint32_t)id;
            ps[p->count] = q;
            p->count++;
          }
          ha__path_pop(&x->path, m4);
        }
        p->tracks = ids;
        p->positions = ps;
      }
      ha__path_pop(&x->path, m3);
    }
    ha__path_pop(&x->path, m2);
  }
  ha__path_pop(&x->path, mark);
}

/* ---- cues ---- */

static const char *const action_types = "start|stop|preset|goto";

/* Fields each action type reads (besides "type"). */
static const char *const action_fields[4] = {
    "group,animation,tracks,mode,phaseOffset,phaseSpread,rotateFormation,centerPoint,"
    "spreadRadius,mirrorAxis",
    "group,animation,tracks,fade",
    "preset,tracks,transition,easing,space,stagger",
    "track,position,transition,easing,space",
};

static int in_csv(const char *csv, const char *key) {
  size_t n = strlen(key);
  for (const char *s = csv; *s;) {
    const char *e = strchr(s, ',');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    if (len == n && strncmp(s, key, n) == 0) {
      return 1;
    }
    if (e == NULL) {
      break;
    }
    s = e + 1;
  }
  return 0;
}

static void compile_motion_fields(cc *x, const json_t *o, ha_show_action *a) {
  double tr = 0.0, st = 0.0;
  get_number(x, o, "transition", 0, 0.0, SECONDS_MAX, &tr);
  a->transition = tr;
  a->easing = HA_EASE_LINEAR;
  const char *e = NULL;
  if (get_string(x, o, "easing", 0, 0, &e) > 0) {
    ha_error err;
    size_t mark = ha__path_key(&x->path, "easing");
    if (ha_easing_parse(e, &a->easing, "easing", &err) != HA_OK) {
      err_at(x, "%s", err.reason);
    }
    ha__path_pop(&x->path, mark);
  }
  int space = 0;
  get_choice(x, o, "space", "xyz|aed", &space);
  a->aed = space == 1;
  if (a->type == HA_SHOW_ACTION_PRESET) {
    get_number(x, o, "stagger", 0, 0.0, SECONDS_MAX, &st);
    a->stagger = st;
  }
}

static void compile_action(cc *x, const json_t *o, ha_show_action *a) {
  ha__show_model *m = x->m;
  memset(a, 0, sizeof(*a));
  a->spec = ha_anim_spec_default();
  a->easing = HA_EASE_LINEAR;
  a->tag = HA_SHOW_NO_TAG;
  unknown_keys(x, o, &ha__schema_action);
  int type = 0;
  const json_t *tv = json_object_get(o, "type");
  size_t mark = ha__path_key(&x->path, "type");
  if (tv == NULL) {
    err_at(x, "missing required field");
    ha__path_pop(&x->path, mark);
    return;
  }
  if (choice_value(x, tv, action_types, &type) < 0) {
    ha__path_pop(&x->path, mark);
    return;
  }
  ha__path_pop(&x->path, mark);
  a->type = (ha_show_action_type)type;
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)(uintptr_t)o, k, v) {
    if (strcmp(k, "type") != 0 && ha__schema_has(&ha__schema_action, k) &&
        !in_csv(action_fields[type], k)) {
      size_t m2 = ha__path_key(&x->path, k);
      warn_at(x, 1, "not used by a %s action, ignored", json_string_value(tv));
      ha__path_pop(&x->path, m2);
    }
  }
  const char *gname = NULL, *aname = NULL, *pname = NULL;
  int hg = 0, ha = 0;
  switch (a->type) {
  case HA_SHOW_ACTION_START:
  case HA_SHOW_ACTION_STOP: {
    hg = get_string(x, o, "group", 0, 1, &gname);
    ha = get_string(x, o, "animation", 0, 1, &aname);
    int ht = json_object_get(o, "tracks") != NULL;
    int given = (hg > 0) + (ha > 0) + (a->type == HA_SHOW_ACTION_STOP && ht);
    if (given > 1) {
      err_at(x, a->type == HA_SHOW_ACTION_START
                    ? "give either \"group\" or \"animation\", not both"
                    : "give only one of \"group\", \"animation\" or \"tracks\"");
      return;
    }
    if (a->type == HA_SHOW_ACTION_START && hg == 0 && ha == 0) {
      err_at(x, "a start action needs \"group\" or \"animation\"");
      return;
    }
    if (hg > 0) {
      a->target = HA_SHOW_TARGET_GROUP;
      a->group = name_lookup(&x->group_names, gname);
      if (a->group == SIZE_MAX) {
        size_t m2 = ha__path_key(&x->path, "group");
        err_at(x, "no group named \"%s\"", gname);
        ha__path_pop(&x->path, m2);
        return;
      }
      const ha_show_group *g = &m->groups[a->group];
      a->animation = g->animation;
      a->tracks = g->tracks;
      a->track_count = g->track_count;
      a->spec = g->spec;
      if (a->type == HA_SHOW_ACTION_START) {
        a->tag = (uint32_t)a->group; /* a group answers to its index */
        static const char *const own[] = {
            "tracks",          "mode",        "phaseOffset",  "phaseSpread",
            "rotateFormation", "centerPoint", "spreadRadius", "mirrorAxis"};
        for (size_t i = 0; i < HA__COUNTOF(own); i++) {
          if (json_object_get(o, own[i]) != NULL) {
            size_t m2 = ha__path_key(&x->path, own[i]);
            warn_at(x, 1, "ignored: a group start uses the group's own tracks and settings");
            ha__path_pop(&x->path, m2);
          }
        }
      }
    } else if (ha > 0) {
      a->target = HA_SHOW_TARGET_ANIMATION;
      a->animation = name_lookup(&x->anim_names, aname);
      if (a->animation == SIZE_MAX) {
        size_t m2 = ha__path_key(&x->path, "animation");
        err_at(x, "no animation named \"%s\"", aname);
        ha__path_pop(&x->path, m2);
        return;
      }
      if (a->type == HA_SHOW_ACTION_START) {
        uint32_t *ids = NULL;
        long cnt = track_list(x, o, "tracks", 1, 1, "a start action", &ids);
        if (cnt > 0) {
          a->tracks = ids;
          a->track_count = (size_t)cnt;
        }
        compile_spec(x, o, &a->spec);
        /* Unique over the show: a running count of these actions. */
        a->tag = HA_SHOW_TAG_INLINE | (uint32_t)m->start_actions++;
      }
    } else if (ht) {
      uint32_t *ids = NULL;
      long cnt = track_list(x, o, "tracks", 1, 1, "a stop action", &ids);
      a->target = HA_SHOW_TARGET_TRACKS;
      if (cnt > 0) {
        a->tracks = ids;
        a->track_count = (size_t)cnt;
      }
    } else {
      a->target = HA_SHOW_TARGET_ALL;
    }
    if (a->type == HA_SHOW_ACTION_STOP) {
      double fade = 0.0;
      int r = get_number(x, o, "fade", 0, 0.0, SECONDS_MAX, &fade);
      if (r == 0 && a->target != HA_SHOW_TARGET_ALL && a->target != HA_SHOW_TARGET_TRACKS &&
          a->animation < m->nanims) {
        fade = m->anims[a->animation].fade_out;
      }
      a->fade = fade;
    }
    break;
  }
  case HA_SHOW_ACTION_PRESET: {
    compile_motion_fields(x, o, a);
    if (get_string(x, o, "preset", 1, 1, &pname) <= 0) {
      return;
    }
    a->preset = name_lookup(&x->preset_names, pname);
    if (a->preset == SIZE_MAX) {
      size_t m2 = ha__path_key(&x->path, "preset");
      err_at(x, "no preset named \"%s\"", pname);
      ha__path_pop(&x->path, m2);
      return;
    }
    const ha_show_preset *p = &m->presets[a->preset];
    a->tracks = p->tracks;
    a->track_count = p->count;
    uint32_t *ids = NULL;
    long cnt = track_list(x, o, "tracks", 0, 1, "a preset action", &ids);
    if (cnt > 0) {
      /* The subset, in the preset's own order (its stagger order). */
      const json_t *tl = json_object_get(o, "tracks");
      for (long i = 0; i < cnt; i++) {
        size_t j = 0;
        while (j < p->count && p->tracks[j] != ids[i]) {
          j++;
        }
        if (j == p->count) {
          size_t m2 = ha__path_key(&x->path, "tracks");
          size_t m3 = ha__path_index(&x->path, (size_t)i);
          err_at(x, "track %u is not in preset \"%s\"", ids[i], p->name);
          ha__path_pop(&x->path, m3);
          ha__path_pop(&x->path, m2);
        }
      }
      uint32_t *ordered = alloc(x, (size_t)cnt * sizeof(uint32_t));
      size_t nk = 0;
      for (size_t j = 0; ordered != NULL && j < p->count; j++) {
        for (long i = 0; i < cnt; i++) {
          if (ids[i] == p->tracks[j]) {
            ordered[nk++] = p->tracks[j];
          }
        }
      }
      (void)tl;
      a->tracks = ordered;
      a->track_count = nk;
    }
    break;
  }
  case HA_SHOW_ACTION_GOTO: {
    compile_motion_fields(x, o, a);
    long long id = 0;
    if (get_integer(x, o, "track", 1, 1, TRACK_ID_MAX, &id) > 0) {
      if (track_lookup(x, id) == SIZE_MAX) {
        size_t m2 = ha__path_key(&x->path, "track");
        err_at(x, "no track with id %lld", id);
        ha__path_pop(&x->path, m2);
      } else {
        uint32_t *one = alloc(x, sizeof(uint32_t));
        if (one != NULL) {
          *one = (uint32_t)id;
          a->tracks = one;
          a->track_count = 1;
        }
      }
    }
    get_vec3(x, o, "position", 1, POS_MAX, &a->position);
    break;
  }
  }
}

static void compile_cues(cc *x, const json_t *doc) {
  const json_t *arr = get_array(x, doc, "cues", 0);
  size_t n = arr ? json_array_size(arr) : 0;
  ha__show_model *m = x->m;
  m->cues = alloc(x, n * sizeof(ha_show_cue));
  if (m->cues == NULL) {
    return;
  }
  m->ncues = n;
  size_t mark = ha__path_key(&x->path, "cues");
  for (size_t i = 0; i < n; i++) {
    size_t m2 = ha__path_index(&x->path, i);
    const json_t *o = json_array_get(arr, i);
    ha_show_cue *c = &m->cues[i];
    c->name = "";
    c->number = -1.0;
    if (object_at(x, o)) {
      unknown_keys(x, o, &ha__schema_cue);
      double num = 0;
      if (get_number(x, o, "number", 1, 0.0, 1e6, &num) > 0) {
        for (size_t j = 0; j < i; j++) {
          if (fabs(m->cues[j].number - num) <= 1e-9) {
            char a[40];
            ha_format_double(a, sizeof(a), num);
            size_t m3 = ha__path_key(&x->path, "number");
            err_at(x, "duplicate cue number %s (also cues[%zu])", a, j);
            ha__path_pop(&x->path, m3);
            break;
          }
        }
        c->number = num;
      }
      get_string(x, o, "name", 0, 0, &c->name);
      const char *osc = NULL;
      if (get_string(x, o, "osc", 0, 1, &osc) > 0) {
        size_t m3 = ha__path_key(&x->path, "osc");
        if (osc[0] != '/' || strpbrk(osc, " #*,?[]{}") != NULL) {
          err_at(x,
                 "\"%s\" is not an OSC address (it starts with '/' and has no spaces or "
                 "pattern characters)",
                 osc);
        } else {
          for (size_t j = 0; j < i; j++) {
            if (m->cues[j].osc != NULL && strcmp(m->cues[j].osc, osc) == 0) {
              err_at(x, "OSC address \"%s\" already fires cues[%zu]", osc, j);
              break;
            }
          }
          c->osc = osc;
        }
        ha__path_pop(&x->path, m3);
      }
      const json_t *acts = get_array(x, o, "actions", 1);
      if (acts != NULL) {
        size_t na = json_array_size(acts);
        size_t m3 = ha__path_key(&x->path, "actions");
        if (na == 0) {
          warn_at(x, 0, "the cue has no actions");
        }
        ha_show_action *av = alloc(x, na * sizeof(ha_show_action));
        for (size_t k = 0; av != NULL && k < na; k++) {
          size_t m4 = ha__path_index(&x->path, k);
          const json_t *ao = json_array_get(acts, k);
          if (object_at(x, ao)) {
            compile_action(x, ao, &av[k]);
          }
          ha__path_pop(&x->path, m4);
        }
        ha__path_pop(&x->path, m3);
        c->actions = av;
        c->action_count = av ? na : 0;
      }
    }
    ha__path_pop(&x->path, m2);
  }
  ha__path_pop(&x->path, mark);
}

/* ---- outputs, limits, control ---- */

static int cmp_map(const void *a, const void *b) {
  const ha_show_track_map *p = a, *q = b;
  return p->track < q->track ? -1 : p->track > q->track;
}

static void compile_output(cc *x, const json_t *o, size_t index, ha_show_output *out) {
  memset(out, 0, sizeof(*out));
  out->name = "";
  out->host = "";
  out->port = 4003;
  out->azimuth_sign = HA_AZIMUTH_CLOCKWISE;
  out->adm_scale = 10.0;
  out->rate = 50.0;
  out->deadband_position = 0.001;
  out->deadband_angle = 0.1;
  out->keep_alive = 1.0;
  out->enabled = true;
  unknown_keys(x, o, &ha__schema_output);
  const char *name = NULL;
  if (get_string(x, o, "name", 1, 1, &name) > 0) {
    size_t mark = ha__path_key(&x->path, "name");
    register_name(x, &x->output_names, name, "output", "outputs", index);
    ha__path_pop(&x->path, mark);
    out->name = name;
  }
  get_string(x, o, "host", 1, 1, &out->host);
  long long port = 4003;
  get_integer(x, o, "port", 0, 1, 65535, &port);
  out->port = (uint16_t)port;
  int dialect = 0, coords = 0, sign = 0;
  get_choice(x, o, "dialect", "holophonix|adm-osc", &dialect);
  out->dialect = (ha_show_dialect)dialect;
  get_choice(x, o, "coords", "xyz|aed", &coords);
  out->aed = coords == 1;
  int r = get_choice(x, o, "azimuthSign", "clockwise|counterclockwise", &sign);
  out->azimuth_sign = sign ? HA_AZIMUTH_COUNTERCLOCKWISE : HA_AZIMUTH_CLOCKWISE;
  if (out->dialect == HA_SHOW_DIALECT_ADM_OSC) {
    if (r > 0) {
      size_t mark = ha__path_key(&x->path, "azimuthSign");
      warn_at(x, 1, "ignored: ADM-OSC always counts azimuth counterclockwise (+ = left)");
      ha__path_pop(&x->path, mark);
    }
    out->azimuth_sign = HA_AZIMUTH_COUNTERCLOCKWISE;
  }
  get_number(x, o, "admScale", 0, 0.001, 10000.0, &out->adm_scale);
  get_number(x, o, "rate", 0, 1.0, 1000.0, &out->rate);
  const json_t *db = json_object_get(o, "deadband");
  if (db != NULL) {
    size_t mark = ha__path_key(&x->path, "deadband");
    if (object_at(x, db)) {
      unknown_keys(x, db, &ha__schema_deadband);
      get_number(x, db, "position", 0, 0.0, 10.0, &out->deadband_position);
      get_number(x, db, "angle", 0, 0.0, 45.0, &out->deadband_angle);
    }
    ha__path_pop(&x->path, mark);
  }
  get_number(x, o, "keepAlive", 0, 0.0, SECONDS_MAX, &out->keep_alive);
  const json_t *bu = json_object_get(o, "bundle");
  if (bu != NULL) {
    size_t mark = ha__path_key(&x->path, "bundle");
    if (object_at(x, bu)) {
      unknown_keys(x, bu, &ha__schema_bundle);
      get_bool(x, bu, "enabled", &out->bundle);
      get_number(x, bu, "lookahead", 0, 0.0, 1000.0, &out->bundle_lookahead_ms);
    }
    ha__path_pop(&x->path, mark);
  }
  get_bool(x, o, "enabled", &out->enabled);
  const json_t *tm = json_object_get(o, "trackMap");
  if (tm != NULL) {
    size_t mark = ha__path_key(&x->path, "trackMap");
    if (object_at(x, tm)) {
      size_t n = json_object_size(tm);
      ha_show_track_map *map = alloc(x, n * sizeof(*map));
      const char *k;
      json_t *v;
      json_object_foreach((json_t *)(uintptr_t)tm, k, v) {
        if (map == NULL) {
          break;
        }
        size_t m2 = ha__path_key(&x->path, k);
        long long id = 0, dev = 0;
        if (parse_track_key(k, &id) != 0) {
          ha__diag(x->c, HA_DIAG_ERROR, P(x), 1, "\"%s\" is not a track id", k);
        } else if (track_lookup(x, id) == SIZE_MAX) {
          ha__diag(x->c, HA_DIAG_ERROR, P(x), 1, "no track with id %lld", id);
        } else if (integer_value(x, v, 1, TRACK_ID_MAX, &dev) > 0) {
          for (size_t j = 0; j < out->track_map_count; j++) {
            if (map[j].device == (uint32_t)dev) {
              err_at(x, "device index %lld is already the target of track %u", dev, map[j].track);
              break;
            }
          }
          map[out->track_map_count].track = (uint32_t)id;
          map[out->track_map_count].device = (uint32_t)dev;
          out->track_map_count++;
        }
        ha__path_pop(&x->path, m2);
      }
      if (map != NULL) {
        qsort(map, out->track_map_count, sizeof(*map), cmp_map);
      }
      out->track_map = map;
    }
    ha__path_pop(&x->path, mark);
  }
}

static void compile_outputs(cc *x, const json_t *doc) {
  const json_t *arr = get_array(x, doc, "outputs", 0);
  size_t n = arr ? json_array_size(arr) : 0;
  x->m->outputs = alloc(x, n * sizeof(ha_show_output));
  if (x->m->outputs == NULL) {
    return;
  }
  x->m->noutputs = n;
  size_t mark = ha__path_key(&x->path, "outputs");
  for (size_t i = 0; i < n; i++) {
    size_t m2 = ha__path_index(&x->path, i);
    const json_t *o = json_array_get(arr, i);
    if (object_at(x, o)) {
      compile_output(x, o, i, &x->m->outputs[i]);
    }
    ha__path_pop(&x->path, m2);
  }
  ha__path_pop(&x->path, mark);
}

static void compile_limits(cc *x, const json_t *doc) {
  const json_t *l = json_object_get(doc, "limits");
  if (l == NULL) {
    return;
  }
  size_t mark = ha__path_key(&x->path, "limits");
  if (object_at(x, l)) {
    unknown_keys(x, l, &ha__schema_limits);
    const json_t *box = json_object_get(l, "box");
    if (box != NULL) {
      size_t m2 = ha__path_key(&x->path, "box");
      if (object_at(x, box)) {
        unknown_keys(x, box, &ha__schema_box);
        ha_vec3 lo, hi;
        int a = get_vec3(x, box, "min", 1, 1e4, &lo);
        int b = get_vec3(x, box, "max", 1, 1e4, &hi);
        if (a > 0 && b > 0) {
          double lv[3] = {lo.x, lo.y, lo.z}, hv[3] = {hi.x, hi.y, hi.z};
          int ok = 1;
          for (size_t k = 0; k < 3; k++) {
            if (lv[k] > hv[k]) {
              char s1[40], s2[40];
              ha_format_double(s1, sizeof(s1), lv[k]);
              ha_format_double(s2, sizeof(s2), hv[k]);
              size_t m3 = ha__path_key(&x->path, "min");
              size_t m4 = ha__path_index(&x->path, k);
              err_at(x, "%s is above max[%zu] %s (the box would be empty)", s1, k, s2);
              ha__path_pop(&x->path, m4);
              ha__path_pop(&x->path, m3);
              ok = 0;
            }
          }
          if (ok) {
            x->m->limits.box_enabled = true;
            x->m->limits.box_min = lo;
            x->m->limits.box_max = hi;
          }
        }
      }
      ha__path_pop(&x->path, m2);
    }
    get_number(x, l, "maxSpeed", 0, 0.0, 1e6, &x->m->limits.max_speed);
  }
  ha__path_pop(&x->path, mark);
}

static void compile_control(cc *x, const json_t *doc) {
  const json_t *c = json_object_get(doc, "control");
  if (c == NULL) {
    return;
  }
  size_t mark = ha__path_key(&x->path, "control");
  if (object_at(x, c)) {
    unknown_keys(x, c, &ha__schema_control);
    long long port = 0;
    if (get_integer(x, c, "port", 0, 1, 65535, &port) > 0) {
      x->m->control.port = (int)port;
    }
    const json_t *allow = get_array(x, c, "allow", 0);
    if (allow != NULL) {
      size_t n = json_array_size(allow);
      const char **hosts = alloc(x, n * sizeof(char *));
      size_t m2 = ha__path_key(&x->path, "allow");
      for (size_t i = 0; hosts != NULL && i < n; i++) {
        size_t m3 = ha__path_index(&x->path, i);
        if (string_value(x, json_array_get(allow, i), 1, &hosts[i]) > 0) {
          x->m->control.allow_count++;
        }
        ha__path_pop(&x->path, m3);
      }
      ha__path_pop(&x->path, m2);
      x->m->control.allow = hosts;
    }
  }
  ha__path_pop(&x->path, mark);
}

/* ---- the model ---- */

void ha__show_model_ref(ha__show_model *m) {
  m->refs++;
}

void ha__show_model_unref(ha__show_model *m) {
  if (m == NULL || --m->refs > 0) {
    return;
  }
  for (size_t i = 0; m->params != NULL && i < m->nanims; i++) {
    ha_params_destroy(m->params[i]);
  }
  free(m->params);
  ha__strmap_deinit(&m->track_index);
  ha__arena_free(&m->arena);
  json_decref(m->doc);
  free(m);
}

ha_status ha__show_compile(json_t *doc, ha__dctx *c, ha__show_model **out) {
  ha__show_model *m = calloc(1, sizeof(*m));
  if (m == NULL) {
    return HA_ENOMEM;
  }
  m->refs = 1;
  m->doc = json_incref(doc);
  m->name = "";
  ha__strmap_init(&m->track_index);
  cc x;
  memset(&x, 0, sizeof(x));
  x.c = c;
  x.m = m;
  ha__path_init(&x.path);
  ha__strmap_init(&x.anim_names);
  ha__strmap_init(&x.group_names);
  ha__strmap_init(&x.preset_names);
  ha__strmap_init(&x.output_names);
  size_t errors_before = c->errors;
  if (!json_is_object(doc)) {
    type_error(&x, "an object", doc);
  } else {
    unknown_keys(&x, doc, &ha__schema_root);
    get_string(&x, doc, "name", 0, 0, &m->name);
    compile_metadata(&x, doc);
    compile_tracks(&x, doc);
    compile_animations(&x, doc);
    compile_groups(&x, doc);
    compile_presets(&x, doc);
    compile_cues(&x, doc);
    compile_outputs(&x, doc);
    compile_limits(&x, doc);
    compile_control(&x, doc);
  }
  int oom = c->oom || x.path.oom;
  ha__path_deinit(&x.path);
  ha__strmap_deinit(&x.anim_names);
  ha__strmap_deinit(&x.group_names);
  ha__strmap_deinit(&x.preset_names);
  ha__strmap_deinit(&x.output_names);
  if (oom || c->errors > errors_before) {
    ha__show_model_unref(m);
    return oom ? HA_ENOMEM : HA_EPARSE;
  }
  *out = m;
  return HA_OK;
}

/* ---- migration ---- */

/* {x, y, z} -> [x, y, z]; anything else unchanged (NULL). */
static json_t *xyz_array(const json_t *v) {
  if (!json_is_object(v) || json_object_size(v) != 3) {
    return NULL;
  }
  const json_t *a = json_object_get(v, "x"), *b = json_object_get(v, "y"),
               *c = json_object_get(v, "z");
  if (!json_is_number(a) || !json_is_number(b) || !json_is_number(c)) {
    return NULL;
  }
  return json_pack("[O,O,O]", a, b, c);
}

static void fix_xyz(json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  json_t *arr = v ? xyz_array(v) : NULL;
  if (arr != NULL) {
    json_object_set_new(obj, key, arr);
  }
}

/* Rename a key in place, keeping its position among the keys. */
static void rename_key(json_t *obj, const char *from, const char *to) {
  if (json_object_get(obj, from) == NULL || json_object_get(obj, to) != NULL) {
    return;
  }
  json_t *n = json_object();
  if (n == NULL) {
    return;
  }
  const char *k;
  json_t *v;
  json_object_foreach(obj, k, v) {
    json_object_set(n, strcmp(k, from) == 0 ? to : k, v);
  }
  json_object_clear(obj);
  json_object_update(obj, n);
  json_decref(n);
}

/* Points and keyframes of format 0 used {x, y, z} objects everywhere. */
static void fix_param_value(json_t *params, const char *key, json_t *v) {
  json_t *arr = xyz_array(v);
  if (arr != NULL) {
    json_object_set_new(params, key, arr);
    return;
  }
  if (!json_is_array(v)) {
    return;
  }
  size_t i;
  json_t *e;
  json_array_foreach(v, i, e) {
    json_t *a = xyz_array(e);
    if (a != NULL) {
      json_array_set_new(v, i, a);
    } else if (json_is_object(e)) {
      fix_xyz(e, "position");
    }
  }
}

static void migrate_0_to_1(json_t *doc, ha__posmap *pos) {
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(doc, "tracks"), i, e) {
    if (json_is_object(e)) {
      fix_xyz(e, "position");
    }
  }
  json_array_foreach(json_object_get(doc, "animations"), i, e) {
    if (!json_is_object(e)) {
      continue;
    }
    rename_key(e, "type", "model");
    json_t *params = json_object_get(e, "parameters");
    if (json_is_object(params)) {
      const char *k;
      json_t *v;
      json_object_foreach(params, k, v) {
        fix_param_value(params, k, v);
      }
    }
  }
  json_array_foreach(json_object_get(doc, "groups"), i, e) {
    if (json_is_object(e)) {
      rename_key(e, "trackIds", "tracks");
      fix_xyz(e, "centerPoint");
    }
  }
  json_array_foreach(json_object_get(doc, "presets"), i, e) {
    json_t *ps = json_is_object(e) ? json_object_get(e, "positions") : NULL;
    if (json_is_object(ps)) {
      const char *k;
      json_t *v;
      json_object_foreach(ps, k, v) {
        fix_xyz(ps, k);
      }
    }
  }
  json_array_foreach(json_object_get(doc, "cues"), i, e) {
    size_t j;
    json_t *a;
    json_array_foreach(json_is_object(e) ? json_object_get(e, "actions") : NULL, j, a) {
      if (json_is_object(a)) {
        fix_xyz(a, "position");
        fix_xyz(a, "centerPoint");
        rename_key(a, "trackIds", "tracks");
      }
    }
  }
  json_t *box = json_object_get(json_object_get(doc, "limits"), "box");
  if (json_is_object(box)) {
    fix_xyz(box, "min");
    fix_xyz(box, "max");
  }
  ha__posmap_rename(pos, "type", "model");
  ha__posmap_rename(pos, "trackIds", "tracks");
  json_object_set_new(doc, "format", json_integer(1));
}

ha_status ha__show_migrate(json_t *doc, ha__dctx *c, ha__posmap *pos, int *source_format) {
  if (!json_is_object(doc)) {
    ha__diag(c, HA_DIAG_ERROR, "", 0, "expected an object, got %s", ha__json_kind(doc));
    return HA_EPARSE;
  }
  const json_t *f = json_object_get(doc, "format");
  if (f == NULL) {
    ha__diag(c, HA_DIAG_ERROR, "format", 0,
             "missing required field (a show file starts with \"format\": %d)", HA_SHOW_FORMAT);
    return HA_EPARSE;
  }
  if (!json_is_integer(f)) {
    ha__diag(c, HA_DIAG_ERROR, "format", 0, "expected a whole number, got %s",
             json_is_real(f) ? "a fractional number" : ha__json_kind(f));
    return HA_EPARSE;
  }
  json_int_t v = json_integer_value(f);
  if (v > HA_SHOW_FORMAT) {
    ha__diag(c, HA_DIAG_ERROR, "format", 0,
             "format %" JSON_INTEGER_FORMAT
             " is newer than this holoanim reads (formats 0 to %d); upgrade holoanim",
             v, HA_SHOW_FORMAT);
    return HA_EUNSUPPORTED;
  }
  if (v < 0) {
    ha__diag(c, HA_DIAG_ERROR, "format", 0,
             "%" JSON_INTEGER_FORMAT " is not a show format (0 to %d)", v, HA_SHOW_FORMAT);
    return HA_EPARSE;
  }
  *source_format = (int)v;
  if (v == 0) {
    migrate_0_to_1(doc, pos);
    ha__diag(c, HA_DIAG_NOTE, "format", 0, "migrated from format 0 to %d; saving writes format %d",
             HA_SHOW_FORMAT, HA_SHOW_FORMAT);
  }
  return HA_OK;
}

/* ---- loading ---- */

ha_status ha__show_from_model(ha__show_model *m, int source_format, ha_show **out) {
  ha_show *s = calloc(1, sizeof(*s));
  if (s == NULL) {
    ha__show_model_unref(m);
    return HA_ENOMEM;
  }
  s->model = m;
  s->source_format = source_format;
  s->history_limit = 100;
  s->version = 1;
  *out = s;
  return HA_OK;
}

ha_status ha__show_load_text(const char *text, size_t len, const char *name, ha_show **out,
                             ha_diags *diags) {
  *out = NULL;
  ha__dctx c = {diags, name ? name : "", NULL, 0, 0, 0};
  json_error_t je;
  json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (doc == NULL) {
    ha__diag_at(&c, HA_DIAG_ERROR, je.line > 0 ? je.line : 0, je.column > 0 ? je.column : 0, "",
                "%s", je.text);
    return c.oom ? HA_ENOMEM : HA_EPARSE;
  }
  ha__posmap pos;
  ha__posmap_init(&pos);
  ha_status st = ha__posmap_scan(&pos, text, len);
  c.pos = &pos;
  int source = HA_SHOW_FORMAT;
  if (st == HA_OK) {
    st = ha__show_migrate(doc, &c, &pos, &source);
  }
  ha__show_model *m = NULL;
  if (st == HA_OK) {
    st = ha__show_compile(doc, &c, &m);
  }
  ha__posmap_deinit(&pos);
  json_decref(doc);
  if (st == HA_OK && c.oom) {
    ha__show_model_unref(m);
    st = HA_ENOMEM;
  }
  if (st != HA_OK) {
    return st;
  }
  return ha__show_from_model(m, source, out);
}

ha_status ha_show_load_string(const char *text, size_t len, const char *name, ha_show **out,
                              ha_diags *diags) {
  if (out == NULL || (text == NULL && len > 0)) {
    return HA_EINVAL;
  }
  return ha__show_load_text(text ? text : "", len, name, out, diags);
}

ha_status ha_show_load_file(const char *path, ha_show **out, ha_diags *diags) {
  if (out == NULL || path == NULL) {
    return HA_EINVAL;
  }
  *out = NULL;
  char *text = NULL;
  size_t len = 0;
  int e = 0;
  ha_status st = ha__read_file(path, &text, &len, &e);
  if (st != HA_OK) {
    ha__dctx c = {diags, path, NULL, 0, 0, 0};
    ha__diag_at(&c, HA_DIAG_ERROR, 0, 0, "", "cannot read: %s", strerror(e));
    return st;
  }
  st = ha__show_load_text(text, len, path, out, diags);
  free(text);
  return st;
}

ha_status ha_show_create(ha_show **out) {
  static const char empty[] = "{\"format\": 1}";
  return ha__show_load_text(empty, sizeof(empty) - 1, "", out, NULL);
}

void ha__history_entry_free(ha__history_entry *e) {
  for (size_t i = 0; i < e->nfwd; i++) {
    free(e->fwd[i].pointer);
    json_decref(e->fwd[i].value);
  }
  for (size_t i = 0; i < e->ninv; i++) {
    free(e->inv[i].pointer);
    json_decref(e->inv[i].value);
  }
  free(e->fwd);
  free(e->inv);
  memset(e, 0, sizeof(*e));
}

void ha_show_destroy(ha_show *show) {
  if (show == NULL) {
    return;
  }
  for (size_t i = 0; i < show->nundo; i++) {
    ha__history_entry_free(&show->undo[i]);
  }
  for (size_t i = 0; i < show->nredo; i++) {
    ha__history_entry_free(&show->redo[i]);
  }
  free(show->undo);
  free(show->redo);
  ha__show_model_unref(show->model);
  free(show);
}

int ha_show_source_format(const ha_show *show) {
  return show->source_format;
}

/* ---- reading ---- */

const char *ha_show_name(const ha_show *show) {
  return show->model->name;
}

const char *ha_show_metadata(const ha_show *show, const char *key) {
  const json_t *md = json_object_get(show->model->doc, "metadata");
  const json_t *v = key ? json_object_get(md, key) : NULL;
  return json_is_string(v) ? json_string_value(v) : NULL;
}

#define ARRAY_ACCESSOR(fn, type, field, nfield)        \
  const type *fn(const ha_show *show, size_t *count) { \
    if (count != NULL) {                               \
      *count = show->model->nfield;                    \
    }                                                  \
    return show->model->field;                         \
  }

ARRAY_ACCESSOR(ha_show_tracks, ha_show_track, tracks, ntracks)
ARRAY_ACCESSOR(ha_show_animations, ha_show_animation, anims, nanims)
ARRAY_ACCESSOR(ha_show_groups, ha_show_group, groups, ngroups)
ARRAY_ACCESSOR(ha_show_presets, ha_show_preset, presets, npresets)
ARRAY_ACCESSOR(ha_show_cues, ha_show_cue, cues, ncues)
ARRAY_ACCESSOR(ha_show_outputs, ha_show_output, outputs, noutputs)

const ha_limits *ha_show_limits(const ha_show *show) {
  return &show->model->limits;
}
const ha_show_control *ha_show_control_get(const ha_show *show) {
  return &show->model->control;
}

size_t ha_show_track_find(const ha_show *show, uint32_t id) {
  char k[32];
  snprintf(k, sizeof(k), "%u", id);
  const ha__strmap_slot *s = ha__strmap_get(&show->model->track_index, k);
  return s ? s->value : SIZE_MAX;
}

size_t ha_show_animation_find(const ha_show *show, const char *name) {
  for (size_t i = 0; name != NULL && i < show->model->nanims; i++) {
    if (strcmp(show->model->anims[i].name, name) == 0) {
      return i;
    }
  }
  return SIZE_MAX;
}

size_t ha_show_group_find(const ha_show *show, const char *name) {
  for (size_t i = 0; name != NULL && i < show->model->ngroups; i++) {
    if (strcmp(show->model->groups[i].name, name) == 0) {
      return i;
    }
  }
  return SIZE_MAX;
}

size_t ha_show_preset_find(const ha_show *show, const char *name) {
  for (size_t i = 0; name != NULL && i < show->model->npresets; i++) {
    if (strcmp(show->model->presets[i].name, name) == 0) {
      return i;
    }
  }
  return SIZE_MAX;
}

size_t ha_show_cue_find(const ha_show *show, double number) {
  for (size_t i = 0; i < show->model->ncues; i++) {
    if (fabs(show->model->cues[i].number - number) <= 1e-9) {
      return i;
    }
  }
  return SIZE_MAX;
}

size_t ha_show_cue_find_osc(const ha_show *show, const char *address) {
  for (size_t i = 0; address != NULL && i < show->model->ncues; i++) {
    const char *o = show->model->cues[i].osc;
    if (o != NULL && strcmp(o, address) == 0) {
      return i;
    }
  }
  return SIZE_MAX;
}

uint32_t ha_show_output_device_index(const ha_show_output *o, uint32_t track) {
  size_t lo = 0, hi = o->track_map_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (o->track_map[mid].track < track) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < o->track_map_count && o->track_map[lo].track == track ? o->track_map[lo].device
                                                                    : track;
}

ha_status ha_show_animation_motion(const ha_show *show, size_t i, ha_motion **out, ha_error *err) {
  if (i >= show->model->nanims) {
    return HA_ENOTFOUND;
  }
  const ha_show_animation *a = &show->model->anims[i];
  return ha_motion_create(a->model, a->params, &a->timing, out, err);
}

ha_engine_config ha_show_engine_config(const ha_show *show) {
  ha_engine_config c = ha_engine_config_default();
  const ha__show_model *m = show->model;
  c.max_tracks = m->ntracks > 0 ? m->ntracks : 1;
  c.max_animations = m->ngroups + m->start_actions + 8;
  c.limits = m->limits;
  return c;
}
