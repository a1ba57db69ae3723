/* The show compiler's reading kit: typed field readers, name and track
 * tables, and the one walk over an array section.
 *
 * Every section compiler (show_compile.c, show_compile_cues.c,
 * show_compile_io.c) reads the document through these helpers, so a field
 * is checked, and a problem worded and placed, the same way everywhere: a
 * reader pushes the field's key onto the JSON path, reads, reports at that
 * path (with the position the posmap knows) and pops. Readers return 1 when
 * the field was read, 0 when it is absent and optional, -1 on an error that
 * has been reported; they never stop the pass, so one run lists every
 * problem. References (a group's animation, a cue's preset, track ids) are
 * resolved through the name tables filled as the sections are compiled in
 * document order. */
#include "show_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ha__cc_path(const ha__compiler *x) {
  return ha__path_str(&x->path);
}

void *ha__cc_alloc(ha__compiler *x, size_t n) {
  void *p = ha__arena_alloc(&x->m->arena, n ? n : 1);
  if (p == NULL) {
    x->c->oom = 1;
  }
  return p;
}

/* ---- unknown fields ---- */

/* Case-blind Levenshtein distance (99 for long words: no suggestion). */
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

void ha__cc_unknown_keys(ha__compiler *x, const json_t *obj, const ha__schema *s) {
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
    if (best != NULL) {
      ha__cc_warn_key(x, key, "unknown field, ignored (did you mean \"%s\"?)", best);
    } else {
      ha__cc_warn_key(x, key, "unknown field, ignored");
    }
  }
}

/* ---- typed values ---- */

void ha__cc_type_error(ha__compiler *x, const char *want, const json_t *v) {
  ha__cc_err(x, "expected %s, got %s", want, ha__json_kind(v));
}

/* Reports `d` outside [min, max]; returns -1 then, else 1. */
static int check_range(ha__compiler *x, double d, double min, double max) {
  if (d >= min && d <= max) {
    return 1;
  }
  char a[40], b[40];
  ha_format_double(a, sizeof(a), d);
  ha_format_double(b, sizeof(b), d < min ? min : max);
  ha__cc_err(x, "%s is %s %s", a, d < min ? "below the minimum" : "above the maximum", b);
  return -1;
}

/* A number of v within [min, max] into *out; 0 (nothing written) for
 * anything the readers would report. */
static int number_ok(const json_t *v, double min, double max, double *out) {
  double d = json_number_value(v);
  if (!json_is_number(v) || !(d >= min && d <= max)) {
    return 0;
  }
  *out = d;
  return 1;
}

int ha__cc_number(ha__compiler *x, const json_t *v, double min, double max, double *out) {
  if (!json_is_number(v)) {
    ha__cc_type_error(x, "a number", v);
    return -1;
  }
  double d = json_number_value(v);
  if (check_range(x, d, min, max) < 0) {
    return -1;
  }
  *out = d;
  return 1;
}

int ha__cc_integer(ha__compiler *x, const json_t *v, double min, double max, long long *out) {
  double d = 0;
  if (json_is_real(v) && ha__feq(json_real_value(v), floor(json_real_value(v))) &&
      fabs(json_real_value(v)) < 1e15) {
    d = json_real_value(v); /* 5.0 is the whole number 5 */
  } else if (json_is_integer(v)) {
    d = (double)json_integer_value(v);
  } else if (json_is_real(v)) {
    char a[40];
    ha_format_double(a, sizeof(a), json_real_value(v));
    ha__cc_err(x, "%s is not a whole number", a);
    return -1;
  } else {
    ha__cc_type_error(x, "a whole number", v);
    return -1;
  }
  if (check_range(x, d, min, max) < 0) {
    return -1;
  }
  *out = (long long)d;
  return 1;
}

int ha__cc_numbers(ha__compiler *x, const json_t *v, double lim, double *out) {
  size_t n = json_array_size(v), valid = 0;
  while (valid < n && number_ok(json_array_get(v, valid), -lim, lim, &out[valid])) {
    valid++; /* all valid (the common case): no path built */
  }
  if (valid == n) {
    return 1;
  }
  int ok = 1;
  for (size_t i = 0; i < n; i++) {
    size_t mark = ha__path_index(&x->path, i);
    ok &= ha__cc_number(x, json_array_get(v, i), -lim, lim, &out[i]) > 0;
    ha__path_pop(&x->path, mark);
  }
  return ok ? 1 : -1;
}

int ha__json_vec3_ok(const json_t *v, double lim, ha_vec3 *out) {
  double c[3];
  if (!json_is_array(v) || json_array_size(v) != 3 ||
      !number_ok(json_array_get(v, 0), -lim, lim, &c[0]) ||
      !number_ok(json_array_get(v, 1), -lim, lim, &c[1]) ||
      !number_ok(json_array_get(v, 2), -lim, lim, &c[2])) {
    return 0;
  }
  *out = ha_vec3_make(c[0], c[1], c[2]);
  return 1;
}

int ha__cc_vec3(ha__compiler *x, const json_t *v, double lim, ha_vec3 *out) {
  if (!json_is_array(v) || json_array_size(v) != 3) {
    if (json_is_array(v)) {
      ha__cc_err(x, "expected [x, y, z], got %zu values", json_array_size(v));
    } else {
      ha__cc_type_error(x, "[x, y, z]", v);
    }
    return -1;
  }
  double c[3];
  if (ha__cc_numbers(x, v, lim, c) < 0) {
    return -1;
  }
  *out = ha_vec3_make(c[0], c[1], c[2]);
  return 1;
}

int ha__cc_string(ha__compiler *x, const json_t *v, int nonempty, const char **out) {
  if (!json_is_string(v)) {
    ha__cc_type_error(x, "a string", v);
    return -1;
  }
  if (nonempty && json_string_value(v)[0] == '\0') {
    ha__cc_err(x, "must not be empty");
    return -1;
  }
  *out = json_string_value(v);
  return 1;
}

static int bool_value(ha__compiler *x, const json_t *v, bool *out) {
  if (!json_is_boolean(v)) {
    ha__cc_type_error(x, "true or false", v);
    return -1;
  }
  *out = json_is_true(v);
  return 1;
}

int ha__list_index(const char *list, char sep, const char *s) {
  const char seps[2] = {sep, '\0'};
  size_t n = strlen(s);
  int i = 0;
  for (const char *p = list;; p++, i++) {
    size_t len = strcspn(p, seps);
    if (len == n && strncmp(p, s, n) == 0) {
      return i;
    }
    p += len;
    if (*p == '\0') {
      return -1;
    }
  }
}

int ha__cc_choice(ha__compiler *x, const json_t *v, const char *choices, int *out) {
  const char *s = NULL;
  if (ha__cc_string(x, v, 0, &s) < 0) {
    return -1;
  }
  int i = ha__list_index(choices, '|', s);
  if (i < 0) {
    ha__cc_err(x, "'%s' is not one of %s", s, choices);
    return -1;
  }
  *out = i;
  return 1;
}

int ha__cc_object(ha__compiler *x, const json_t *v) {
  if (!json_is_object(v)) {
    ha__cc_type_error(x, "an object", v);
    return 0;
  }
  return 1;
}

/* ---- fields: push the key, read, pop ---- */

/* What a field reader reads: the kind of value and its limits. */
typedef enum {
  FIELD_NUMBER,
  FIELD_INTEGER,
  FIELD_VEC3,
  FIELD_STRING,
  FIELD_BOOL,
  FIELD_CHOICE
} field_kind;
typedef struct field_read {
  field_kind kind;
  int required, nonempty;
  double min, max; /* FIELD_VEC3: each coordinate within [-max, max] */
  const char *choices;
  void *out;
} field_read;

/* The field read at once when it is valid: most are, and then the path
 * (only ever used to report) need not be built. 1 read, 0 see the full
 * reader. */
static int read_valid(const json_t *v, const field_read *f) {
  switch (f->kind) {
  case FIELD_NUMBER: return number_ok(v, f->min, f->max, f->out);
  case FIELD_INTEGER: {
    double d = 0;
    if (!json_is_integer(v) || !number_ok(v, f->min, f->max, &d)) {
      return 0;
    }
    *(long long *)f->out = (long long)d;
    return 1;
  }
  case FIELD_VEC3: return ha__json_vec3_ok(v, f->max, f->out);
  case FIELD_STRING:
    if (!json_is_string(v) || (f->nonempty && json_string_value(v)[0] == '\0')) {
      return 0;
    }
    *(const char **)f->out = json_string_value(v);
    return 1;
  case FIELD_BOOL:
    if (!json_is_boolean(v)) {
      return 0;
    }
    *(bool *)f->out = json_is_true(v);
    return 1;
  case FIELD_CHOICE: {
    int i = json_is_string(v) ? ha__list_index(f->choices, '|', json_string_value(v)) : -1;
    if (i < 0) {
      return 0;
    }
    *(int *)f->out = i;
    return 1;
  }
  }
  return 0;
}

/* The one field reader: the value at `key` read with the key pushed on the
 * path; absence is 0, or reported and -1 when required. */
static int read_field(ha__compiler *x, const json_t *o, const char *key, const field_read *f) {
  const json_t *v = json_object_get(o, key);
  if (v == NULL) {
    if (f->required) {
      ha__cc_err_key(x, key, "missing required field");
    }
    return f->required ? -1 : 0;
  }
  if (read_valid(v, f)) {
    return 1;
  }
  size_t mark = ha__path_key(&x->path, key);
  int r = -1;
  switch (f->kind) {
  case FIELD_NUMBER: r = ha__cc_number(x, v, f->min, f->max, f->out); break;
  case FIELD_INTEGER: r = ha__cc_integer(x, v, f->min, f->max, f->out); break;
  case FIELD_VEC3: r = ha__cc_vec3(x, v, f->max, f->out); break;
  case FIELD_STRING: r = ha__cc_string(x, v, f->nonempty, f->out); break;
  case FIELD_BOOL: r = bool_value(x, v, f->out); break;
  case FIELD_CHOICE: r = ha__cc_choice(x, v, f->choices, f->out); break;
  }
  ha__path_pop(&x->path, mark);
  return r;
}

int ha__cc_get_number(ha__compiler *x, const json_t *o, const char *key, int req, double min,
                      double max, double *out) {
  return read_field(x, o, key, &(field_read){FIELD_NUMBER, req, 0, min, max, NULL, out});
}

int ha__cc_get_integer(ha__compiler *x, const json_t *o, const char *key, int req, double min,
                       double max, long long *out) {
  return read_field(x, o, key, &(field_read){FIELD_INTEGER, req, 0, min, max, NULL, out});
}

int ha__cc_get_vec3(ha__compiler *x, const json_t *o, const char *key, int req, double lim,
                    ha_vec3 *out) {
  return read_field(x, o, key, &(field_read){FIELD_VEC3, req, 0, -lim, lim, NULL, out});
}

int ha__cc_get_string(ha__compiler *x, const json_t *o, const char *key, int req, int nonempty,
                      const char **out) {
  return read_field(x, o, key, &(field_read){FIELD_STRING, req, nonempty, 0, 0, NULL, out});
}

int ha__cc_get_bool(ha__compiler *x, const json_t *o, const char *key, bool *out) {
  return read_field(x, o, key, &(field_read){FIELD_BOOL, 0, 0, 0, 0, NULL, out});
}

int ha__cc_get_choice(ha__compiler *x, const json_t *o, const char *key, const char *choices,
                      int *out) {
  return read_field(x, o, key, &(field_read){FIELD_CHOICE, 0, 0, 0, 0, choices, out});
}

int ha__cc_get_easing(ha__compiler *x, const json_t *o, const char *key, ha_easing *out) {
  const char *name = NULL;
  int r = ha__cc_get_string(x, o, key, 0, 0, &name);
  if (r > 0) {
    ha_error err;
    if (ha_easing_parse(name, out, "easing", &err) != HA_OK) {
      ha__cc_err_key(x, key, "%s", err.reason);
      r = -1;
    }
  }
  return r;
}

const json_t *ha__cc_get_array(ha__compiler *x, const json_t *o, const char *key, int req) {
  const json_t *v = json_object_get(o, key);
  size_t mark = ha__path_key(&x->path, key);
  if (v == NULL && req) {
    ha__cc_err(x, "missing required field");
  } else if (v != NULL && !json_is_array(v)) {
    ha__cc_type_error(x, "an array", v);
    v = NULL;
  }
  ha__path_pop(&x->path, mark);
  return v;
}

const json_t *ha__cc_open_object(ha__compiler *x, const json_t *o, const char *key,
                                 const ha__schema *schema, size_t *mark) {
  const json_t *v = json_object_get(o, key);
  if (v == NULL) {
    return NULL;
  }
  *mark = ha__path_key(&x->path, key);
  if (!ha__cc_object(x, v)) {
    ha__path_pop(&x->path, *mark);
    return NULL;
  }
  if (schema != NULL) {
    ha__cc_unknown_keys(x, v, schema);
  }
  return v;
}

/* ---- array sections ---- */

void *ha__cc_section(ha__compiler *x, const json_t *parent, const ha__cc_section_spec *s,
                     size_t *count) {
  const json_t *arr = ha__cc_get_array(x, parent, s->key, s->required);
  if (arr == NULL && s->required) {
    return NULL;
  }
  size_t n = arr ? json_array_size(arr) : 0;
  unsigned char *items = ha__cc_alloc(x, n * s->item_size);
  if (items == NULL) {
    return NULL;
  }
  size_t mark = ha__path_key(&x->path, s->key);
  if (n == 0 && arr != NULL && s->empty_warning != NULL) {
    ha__cc_warn(x, "%s", s->empty_warning);
  }
  for (size_t i = 0; i < n; i++) {
    size_t m2 = ha__path_index(&x->path, i);
    const json_t *o = json_array_get(arr, i);
    if (s->blank != NULL) {
      s->blank(items + i * s->item_size);
    }
    if (ha__cc_object(x, o)) {
      s->element(x, o, i, items);
    }
    ha__path_pop(&x->path, m2);
  }
  ha__path_pop(&x->path, mark);
  if (count != NULL) {
    *count = n;
  }
  return items;
}

/* ---- names and tracks ---- */

const ha__idmap_slot *ha__cc_track_slot(const ha__compiler *x, long long id) {
  return id >= 1 && id <= HA__TRACK_ID_MAX ? ha__idmap_get(&x->m->track_index, (uint32_t)id) : NULL;
}

size_t ha__cc_track_lookup(const ha__compiler *x, long long id) {
  const ha__idmap_slot *s = ha__cc_track_slot(x, id);
  return s ? s->value : SIZE_MAX;
}

int ha__cc_track_key(ha__compiler *x, const char *k, long long *id) {
  long long v = 0;
  int ok = k[0] >= '1' && k[0] <= '9' && strlen(k) <= 6;
  for (const char *c = k; ok && *c; c++) {
    ok = *c >= '0' && *c <= '9';
    v = v * 10 + (*c - '0');
  }
  if (!ok) {
    ha__cc_err_at_key(x, "\"%s\" is not a track id", k);
    return -1;
  }
  if (ha__cc_track_lookup(x, v) == SIZE_MAX) {
    ha__cc_err_at_key(x, "no track with id %lld", v);
    return -1;
  }
  *id = v;
  return 0;
}

/* Register a unique name; reports a duplicate at the current path. */
static int register_name(ha__compiler *x, ha__strmap *m, const char *name, const char *what,
                         const char *section, size_t index) {
  const ha__strmap_slot *s = ha__strmap_get(m, name);
  if (s != NULL) {
    ha__cc_err(x, "duplicate %s name \"%s\" (also %s[%zu])", what, name, section, s->value);
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

int ha__cc_name(ha__compiler *x, const json_t *o, ha__strmap *names, const char *what,
                const char *section, size_t index, const char **out) {
  const char *name = NULL;
  int r = ha__cc_get_string(x, o, "name", 1, 1, &name);
  *out = r > 0 ? name : ""; /* later messages may name it (a group's overlap) */
  if (r > 0) {
    size_t mark = ha__path_key(&x->path, "name");
    register_name(x, names, name, what, section, index);
    ha__path_pop(&x->path, mark);
  }
  return r;
}

size_t ha__cc_ref(ha__compiler *x, const ha__strmap *names, const char *key, const char *name,
                  const char *what) {
  const ha__strmap_slot *s = ha__strmap_get(names, name);
  if (s == NULL) {
    ha__cc_err_key(x, key, "no %s named \"%s\"", what, name);
    return SIZE_MAX;
  }
  return s->value;
}

/* Whether track `id` (known) is among ids[0..i) of the list being read:
 * a mark per track (x->track_seen, stamped per list), else a scan. */
static int listed_twice(ha__compiler *x, const uint32_t *ids, size_t i, long long id) {
  size_t n = x->m->ntracks;
  size_t k = ha__cc_track_lookup(x, id);
  HA__PROBE(x->c, 1);
  if (x->track_seen != NULL && k < n) {
    int seen = x->track_seen[k] == x->track_stamp;
    x->track_seen[k] = x->track_stamp;
    return seen;
  }
  for (size_t j = 0; j < i; j++) {
    HA__PROBE(x->c, 1);
    if (ids[j] == (uint32_t)id) {
      return 1;
    }
  }
  return 0;
}

long ha__cc_track_list(ha__compiler *x, const json_t *o, const char *key, int req, int nonempty,
                       const char *what, uint32_t **out) {
  const json_t *a = ha__cc_get_array(x, o, key, req);
  if (a == NULL) {
    return json_object_get(o, key) == NULL && !req ? 0 : -1;
  }
  size_t mark = ha__path_key(&x->path, key);
  size_t n = json_array_size(a);
  long result = (long)n;
  if (n == 0 && nonempty) {
    ha__cc_err(x, "%s needs at least one track", what);
    result = -1;
  }
  uint32_t *ids = ha__cc_alloc(x, n * sizeof(uint32_t));
  if (x->track_seen == NULL && x->m->ntracks > 0) {
    x->track_seen = calloc(x->m->ntracks, sizeof(size_t)); /* NULL: listed_twice scans */
  }
  x->track_stamp++;
  for (size_t i = 0; ids != NULL && i < n; i++) {
    size_t m2 = ha__path_index(&x->path, i);
    long long id = 0;
    if (ha__cc_integer(x, json_array_get(a, i), 1, HA__TRACK_ID_MAX, &id) < 0) {
      result = -1;
    } else if (ha__cc_track_lookup(x, id) == SIZE_MAX) {
      ha__cc_err(x, "no track with id %lld", id);
      result = -1;
    } else if (listed_twice(x, ids, i, id)) {
      ha__cc_err(x, "track %lld is listed twice", id);
      result = -1;
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
