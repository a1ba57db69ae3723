/* Parameter sets (ha_params): named numbers, vectors, strings, booleans,
 * point and keyframe lists, as a show, the CLI or the addon hand them to a
 * model; set from text (`radius=3`, `center=1,2,0`) with strict numbers.
 * Validation against a model's table is model.c's. */
#include "model_impl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- parameter sets ---- */

typedef struct entry {
  char name[64];
  ha_value_kind kind;
  double num[4];
  size_t n;
  char *str;
  ha_vec3 *pts;
  ha_keyframe *keys;
  int b;
} entry;

struct ha_params {
  entry *e;
  size_t n, cap;
};

ha_status ha_params_create(ha_params **out) {
  ha_params *p = calloc(1, sizeof(*p));
  if (p == NULL) {
    return HA_ENOMEM;
  }
  *out = p;
  return HA_OK;
}

static void entry_free(entry *e) {
  free(e->str);
  free(e->pts);
  free(e->keys);
  e->str = NULL;
  e->pts = NULL;
  e->keys = NULL;
}

void ha_params_clear(ha_params *p) {
  if (p == NULL) {
    return;
  }
  for (size_t i = 0; i < p->n; i++) {
    entry_free(&p->e[i]);
  }
  p->n = 0;
}

void ha_params_destroy(ha_params *p) {
  if (p == NULL) {
    return;
  }
  ha_params_clear(p);
  free(p->e);
  free(p);
}

/* The entry for `name`, created (empty) when absent. NULL on ENOMEM/EINVAL. */
static entry *slot_for(ha_params *p, const char *name, ha_status *st) {
  if (name == NULL || strlen(name) >= sizeof(((entry *)0)->name) || name[0] == '\0') {
    *st = HA_EINVAL;
    return NULL;
  }
  for (size_t i = 0; i < p->n; i++) {
    if (strcmp(p->e[i].name, name) == 0) {
      entry_free(&p->e[i]);
      return &p->e[i];
    }
  }
  if (p->n == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 8;
    entry *ne = realloc(p->e, cap * sizeof(*ne));
    if (ne == NULL) {
      *st = HA_ENOMEM;
      return NULL;
    }
    p->e = ne;
    p->cap = cap;
  }
  entry *e = &p->e[p->n++];
  memset(e, 0, sizeof(*e));
  strcpy(e->name, name);
  return e;
}

/* slot_for for a value that owns `copy` (a string or a list just copied):
 * NULL with *st = HA_ENOMEM when the copy failed; the copy is freed when the
 * entry cannot be made. */
static entry *slot_for_owned(ha_params *p, const char *name, void *copy, ha_status *st) {
  if (copy == NULL) {
    *st = HA_ENOMEM;
    return NULL;
  }
  entry *e = slot_for(p, name, st);
  if (e == NULL) {
    free(copy);
  }
  return e;
}

/* A heap copy of n elements of `size` bytes (one allocated when n = 0, so an
 * empty list is not NULL); NULL when out of memory. */
static void *list_copy(const void *src, size_t n, size_t size) {
  void *copy = malloc((n ? n : 1) * size);
  if (copy != NULL && n > 0) {
    memcpy(copy, src, n * size);
  }
  return copy;
}

ha_status ha_params_set_numbers(ha_params *p, const char *name, const double *v, size_t n) {
  ha_status st = HA_OK;
  if (n == 0 || n > 4) {
    return HA_EINVAL;
  }
  entry *e = slot_for(p, name, &st);
  if (e == NULL) {
    return st;
  }
  e->kind = HA_VALUE_NUMBERS;
  e->n = n;
  memcpy(e->num, v, n * sizeof(double));
  return HA_OK;
}

ha_status ha_params_set_number(ha_params *p, const char *name, double v) {
  return ha_params_set_numbers(p, name, &v, 1);
}

ha_status ha_params_set_vec3(ha_params *p, const char *name, ha_vec3 v) {
  double a[3] = {v.x, v.y, v.z};
  return ha_params_set_numbers(p, name, a, 3);
}

ha_status ha_params_set_string(ha_params *p, const char *name, const char *s) {
  ha_status st = HA_OK;
  if (s == NULL) {
    return HA_EINVAL;
  }
  char *copy = strdup(s);
  entry *e = slot_for_owned(p, name, copy, &st);
  if (e == NULL) {
    return st;
  }
  e->kind = HA_VALUE_STRING;
  e->str = copy;
  return HA_OK;
}

ha_status ha_params_set_bool(ha_params *p, const char *name, bool b) {
  ha_status st = HA_OK;
  entry *e = slot_for(p, name, &st);
  if (e == NULL) {
    return st;
  }
  e->kind = HA_VALUE_BOOL;
  e->b = b ? 1 : 0;
  return HA_OK;
}

ha_status ha_params_set_points(ha_params *p, const char *name, const ha_vec3 *pts, size_t n) {
  ha_status st = HA_OK;
  ha_vec3 *copy = list_copy(pts, n, sizeof(*copy));
  entry *e = slot_for_owned(p, name, copy, &st);
  if (e == NULL) {
    return st;
  }
  e->kind = HA_VALUE_POINTS;
  e->pts = copy;
  e->n = n;
  return HA_OK;
}

ha_status ha_params_set_keyframes(ha_params *p, const char *name, const ha_keyframe *k, size_t n) {
  ha_status st = HA_OK;
  ha_keyframe *copy = list_copy(k, n, sizeof(*copy));
  entry *e = slot_for_owned(p, name, copy, &st);
  if (e == NULL) {
    return st;
  }
  e->kind = HA_VALUE_KEYFRAMES;
  e->keys = copy;
  e->n = n;
  return HA_OK;
}

ha_status ha_params_unset(ha_params *p, const char *name) {
  for (size_t i = 0; i < p->n; i++) {
    if (strcmp(p->e[i].name, name) == 0) {
      entry_free(&p->e[i]);
      memmove(&p->e[i], &p->e[i + 1], (p->n - i - 1) * sizeof(entry));
      p->n--;
      return HA_OK;
    }
  }
  return HA_ENOTFOUND;
}

size_t ha_params_count(const ha_params *p) {
  return p ? p->n : 0;
}

const char *ha_params_name_at(const ha_params *p, size_t i, ha_value_kind *kind) {
  if (p == NULL || i >= p->n) {
    return NULL;
  }
  if (kind != NULL) {
    *kind = p->e[i].kind;
  }
  return p->e[i].name;
}

ha_status ha_params_clone(const ha_params *src, ha_params **out) {
  ha_params *p = NULL;
  ha_status st = ha_params_create(&p);
  for (size_t i = 0; st == HA_OK && src != NULL && i < src->n; i++) {
    const entry *e = &src->e[i];
    switch (e->kind) {
    case HA_VALUE_NUMBERS: st = ha_params_set_numbers(p, e->name, e->num, e->n); break;
    case HA_VALUE_STRING: st = ha_params_set_string(p, e->name, e->str); break;
    case HA_VALUE_BOOL: st = ha_params_set_bool(p, e->name, e->b != 0); break;
    case HA_VALUE_POINTS: st = ha_params_set_points(p, e->name, e->pts, e->n); break;
    case HA_VALUE_KEYFRAMES: st = ha_params_set_keyframes(p, e->name, e->keys, e->n); break;
    }
  }
  if (st != HA_OK) {
    ha_params_destroy(p);
    return st;
  }
  *out = p;
  return HA_OK;
}

/* Parse up to `max` comma-separated numbers from [s, end). Returns the count,
 * or -1 when a piece is not a number. */
static int parse_numbers(const char *s, const char *end, double *out, int max) {
  int n = 0;
  while (s < end) {
    if (n == max) {
      return -1;
    }
    const char *c = memchr(s, ',', (size_t)(end - s));
    size_t len = (size_t)((c ? c : end) - s);
    double v = 0.0;
    if (ha_parse_double(s, len, &v) != HA_OK) {
      return -1;
    }
    out[n++] = v;
    if (c == NULL) {
      break;
    }
    s = c + 1;
    if (s == end) {
      return -1; /* trailing comma */
    }
  }
  return n;
}

/* Starts like a number once leading spaces are skipped, so that " 3" is
 * refused as a badly written number (ha_parse_double takes no spaces on
 * either side), like "3 ", not taken as a string. */
static int looks_numeric(const char *s) {
  while (isspace((unsigned char)*s)) {
    s++;
  }
  return *s != '\0' && (isdigit((unsigned char)*s) || *s == '-' || *s == '+' || *s == '.');
}

ha_status ha_params_set_text(ha_params *p, const char *name, const char *text, ha_error *err) {
  const char *end = text + strlen(text);
  if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
    return ha_params_set_bool(p, name, text[0] == 't');
  }
  if (strchr(text, ':') != NULL && looks_numeric(text)) {
    /* keyframes: t:x,y,z[:easing];... */
    size_t cap = 1;
    for (const char *c = text; *c; c++) {
      cap += *c == ';';
    }
    ha_keyframe *ks = calloc(cap, sizeof(*ks));
    if (ks == NULL) {
      return HA_ENOMEM;
    }
    size_t n = 0;
    const char *s = text;
    while (s < end) {
      const char *semi = strchr(s, ';');
      const char *stop = semi ? semi : end;
      const char *c1 = memchr(s, ':', (size_t)(stop - s));
      double t[1], xyz[3];
      const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(stop - c1 - 1)) : NULL;
      ha_keyframe k = {0.0, {0, 0, 0}, HA_EASE_LINEAR};
      if (c1 == NULL || parse_numbers(s, c1, t, 1) != 1 ||
          parse_numbers(c1 + 1, c2 ? c2 : stop, xyz, 3) != 3) {
        free(ks);
        return ha__error_invalid(err, HA_CATEGORY_MODEL, name, text,
                                 "keyframes must be written t:x,y,z[:easing];... (got '%s')", text);
      }
      if (c2 != NULL) {
        char ename[48];
        size_t len = (size_t)(stop - c2 - 1);
        if (len >= sizeof(ename)) {
          len = sizeof(ename) - 1;
        }
        memcpy(ename, c2 + 1, len);
        ename[len] = '\0';
        ha_status st = ha_easing_parse(ename, &k.easing, name, err);
        if (st != HA_OK) {
          free(ks);
          return st;
        }
      }
      k.time = t[0];
      k.position = ha_vec3_make(xyz[0], xyz[1], xyz[2]);
      ks[n++] = k;
      if (semi == NULL) {
        break;
      }
      s = semi + 1;
    }
    ha_status st = ha_params_set_keyframes(p, name, ks, n);
    free(ks);
    return st;
  }
  if (strchr(text, ';') != NULL) {
    size_t cap = 1;
    for (const char *c = text; *c; c++) {
      cap += *c == ';';
    }
    ha_vec3 *pts = calloc(cap, sizeof(*pts));
    if (pts == NULL) {
      return HA_ENOMEM;
    }
    size_t n = 0;
    const char *s = text;
    while (s < end) {
      const char *semi = strchr(s, ';');
      double xyz[3];
      if (parse_numbers(s, semi ? semi : end, xyz, 3) != 3) {
        free(pts);
        return ha__error_invalid(err, HA_CATEGORY_MODEL, name, text,
                                 "points must be written x,y,z;x,y,z;... (got '%s')", text);
      }
      pts[n++] = ha_vec3_make(xyz[0], xyz[1], xyz[2]);
      if (semi == NULL) {
        break;
      }
      s = semi + 1;
    }
    ha_status st = ha_params_set_points(p, name, pts, n);
    free(pts);
    return st;
  }
  if (looks_numeric(text)) {
    double v[4];
    int n = parse_numbers(text, end, v, 4);
    if (n <= 0) {
      return ha__error_invalid(err, HA_CATEGORY_MODEL, name, text,
                               "'%s' is not a number or a list of up to 4 numbers x,y,z "
                               "(decimal, no spaces: 3, -0.5, 1e3, 1,2,0)",
                               text);
    }
    return ha_params_set_numbers(p, name, v, (size_t)n);
  }
  return ha_params_set_string(p, name, text);
}

ha_status ha_params_set_assignment(ha_params *p, const char *assignment, ha_error *err) {
  const char *eq = strchr(assignment, '=');
  if (eq == NULL || eq == assignment) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "param", assignment,
                             "expected name=value, got '%s'", assignment);
  }
  char name[64];
  size_t len = (size_t)(eq - assignment);
  if (len >= sizeof(name)) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "param", assignment,
                             "parameter name too long");
  }
  memcpy(name, assignment, len);
  name[len] = '\0';
  return ha_params_set_text(p, name, eq + 1, err);
}

int ha__params_get(const ha_params *raw, const ha_param_info *pi, ha__value *out) {
  if (raw == NULL) {
    return 0;
  }
  const entry *found = NULL;
  /* The first letters compared inline first: most names differ there. */
  for (size_t i = 0; i < raw->n && found == NULL; i++) {
    const char *n = raw->e[i].name;
    if ((n[0] == pi->name[0] && strcmp(n, pi->name) == 0) ||
        (pi->aliases != NULL && ha__in_list(pi->aliases, n, 0))) {
      found = &raw->e[i];
    }
  }
  for (size_t i = 0; i < raw->n && found == NULL; i++) {
    const char *n = raw->e[i].name;
    if ((tolower((unsigned char)n[0]) == tolower((unsigned char)pi->name[0]) &&
         strcasecmp(n, pi->name) == 0) ||
        (pi->aliases != NULL && ha__in_list(pi->aliases, n, 1))) {
      found = &raw->e[i];
    }
  }
  if (found == NULL) {
    return 0;
  }
  memset(out, 0, sizeof(*out));
  out->kind = found->kind;
  memcpy(out->num, found->num, sizeof(out->num));
  out->n = found->n;
  out->str = found->str;
  out->pts = found->pts;
  out->keys = found->keys;
  out->b = found->b;
  return 1;
}

ha_status ha_params_get_numbers(const ha_params *p, const ha_param_info *pi, double *out,
                                size_t cap, size_t *n) {
  ha__value v;
  if (pi == NULL || !ha__params_get(p, pi, &v) || v.kind != HA_VALUE_NUMBERS) {
    return HA_ENOTFOUND;
  }
  size_t k = v.n < cap ? v.n : cap;
  memcpy(out, v.num, k * sizeof(double));
  if (n != NULL) {
    *n = v.n;
  }
  return HA_OK;
}
