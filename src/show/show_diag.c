/* Show diagnostics, and the small containers the show modules share: an
 * arena, a string hash map, a track id map and JSON path builders.
 *
 * A diagnostic owns one allocation holding its file, path and message, so a
 * list can outlive the document it describes. Paths use the syntax people
 * read in messages (tracks[0].name, outputs[1].trackMap["3"]), and the
 * position map (show_jpos.c) is keyed by exactly the same strings. */
#include "show_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena ---- */

struct ha__arena_block {
  ha__arena_block *next;
  size_t used, cap;
  _Alignas(16) unsigned char data[];
};

void *ha__arena_alloc(ha__arena *a, size_t size) {
  size = (size + 15u) & ~(size_t)15u;
  ha__arena_block *b = a->head;
  if (b == NULL || b->cap - b->used < size) {
    size_t cap = size > 8192 ? size : 8192;
    b = malloc(sizeof(*b) + cap);
    if (b == NULL) {
      return NULL;
    }
    b->next = a->head;
    b->used = 0;
    b->cap = cap;
    a->head = b;
  }
  void *p = b->data + b->used;
  b->used += size;
  memset(p, 0, size);
  return p;
}

char *ha__arena_strdup(ha__arena *a, const char *s) {
  size_t n = strlen(s);
  char *d = ha__arena_alloc(a, n + 1);
  if (d != NULL) {
    memcpy(d, s, n + 1);
  }
  return d;
}

void ha__arena_free(ha__arena *a) {
  ha__arena_block *b = a->head;
  while (b != NULL) {
    ha__arena_block *n = b->next;
    free(b);
    b = n;
  }
  a->head = NULL;
}

/* ---- string map ---- */

static size_t str_hash(const char *s) {
  size_t h = (size_t)1469598103934665603ull;
  for (; *s; s++) {
    h = (h ^ (unsigned char)*s) * (size_t)1099511628211ull;
  }
  return h;
}

void ha__strmap_init(ha__strmap *m) {
  memset(m, 0, sizeof(*m));
}

void ha__strmap_deinit(ha__strmap *m) {
  free(m->slots);
  ha__arena_free(&m->keys);
  memset(m, 0, sizeof(*m));
}

/* The capacity that holds n keys under 3/4 full (at least `cap`). */
static size_t map_cap_for(size_t n, size_t cap) {
  cap = cap ? cap : 64;
  while ((n + 1) * 4 > cap * 3) {
    cap *= 2;
  }
  return cap;
}

static int strmap_resize(ha__strmap *m, size_t cap) {
  ha__strmap_slot *s = calloc(cap, sizeof(*s));
  if (s == NULL) {
    return -1;
  }
  for (size_t i = 0; i < m->cap; i++) {
    if (m->slots[i].key != NULL) {
      size_t j = m->slots[i].hash & (cap - 1);
      while (s[j].key != NULL) {
        j = (j + 1) & (cap - 1);
      }
      s[j] = m->slots[i];
    }
  }
  free(m->slots);
  m->slots = s;
  m->cap = cap;
  return 0;
}

/* The slot holding `key`, or the empty slot where it would go (the table
 * is never full: it grows at 3/4). */
static size_t strmap_probe(const ha__strmap *m, const char *key, size_t h) {
  size_t j = h & (m->cap - 1);
  for (; m->slots[j].key != NULL; j = (j + 1) & (m->cap - 1)) {
    if (m->slots[j].hash == h && strcmp(m->slots[j].key, key) == 0) {
      break;
    }
  }
  return j;
}

void ha__strmap_reserve(ha__strmap *m, size_t n) {
  size_t cap = map_cap_for(n, m->cap);
  if (cap != m->cap) {
    strmap_resize(m, cap); /* on ENOMEM the puts grow it */
  }
}

ha__strmap_slot *ha__strmap_put(ha__strmap *m, const char *key) {
  if ((m->count + 1) * 4 > m->cap * 3 && strmap_resize(m, map_cap_for(m->count, m->cap)) != 0) {
    return NULL;
  }
  size_t h = str_hash(key);
  ha__strmap_slot *s = &m->slots[strmap_probe(m, key, h)];
  if (s->key != NULL) {
    return s;
  }
  char *k = ha__arena_strdup(&m->keys, key);
  if (k == NULL) {
    return NULL;
  }
  memset(s, 0, sizeof(*s));
  s->key = k;
  s->hash = h;
  m->count++;
  return s;
}

const ha__strmap_slot *ha__strmap_get(const ha__strmap *m, const char *key) {
  if (m->cap == 0) {
    return NULL;
  }
  const ha__strmap_slot *s = &m->slots[strmap_probe(m, key, str_hash(key))];
  return s->key != NULL ? s : NULL;
}

/* ---- id map ---- */

static size_t id_hash(uint32_t id) {
  return (size_t)(id * 2654435761u); /* Knuth's multiplicative hash */
}

void ha__idmap_init(ha__idmap *m) {
  memset(m, 0, sizeof(*m));
}

void ha__idmap_deinit(ha__idmap *m) {
  free(m->slots);
  memset(m, 0, sizeof(*m));
}

static size_t idmap_probe(const ha__idmap *m, uint32_t id) {
  size_t j = id_hash(id) & (m->cap - 1);
  while (m->slots[j].id != 0 && m->slots[j].id != id) {
    j = (j + 1) & (m->cap - 1);
  }
  return j;
}

static int idmap_resize(ha__idmap *m, size_t cap) {
  ha__idmap old = *m;
  m->slots = calloc(cap, sizeof(*m->slots));
  if (m->slots == NULL) {
    *m = old;
    return -1;
  }
  m->cap = cap;
  for (size_t i = 0; i < old.cap; i++) {
    if (old.slots[i].id != 0) {
      m->slots[idmap_probe(m, old.slots[i].id)] = old.slots[i];
    }
  }
  free(old.slots);
  return 0;
}

void ha__idmap_reserve(ha__idmap *m, size_t n) {
  size_t cap = map_cap_for(n, m->cap);
  if (cap != m->cap) {
    idmap_resize(m, cap); /* on ENOMEM the puts grow it */
  }
}

ha__idmap_slot *ha__idmap_put(ha__idmap *m, uint32_t id) {
  if ((m->count + 1) * 4 > m->cap * 3 && idmap_resize(m, map_cap_for(m->count, m->cap)) != 0) {
    return NULL;
  }
  ha__idmap_slot *s = &m->slots[idmap_probe(m, id)];
  if (s->id == 0) {
    s->id = id;
    m->count++;
  }
  return s;
}

const ha__idmap_slot *ha__idmap_get(const ha__idmap *m, uint32_t id) {
  if (m->cap == 0 || id == 0) {
    return NULL;
  }
  const ha__idmap_slot *s = &m->slots[idmap_probe(m, id)];
  return s->id != 0 ? s : NULL;
}

ha_status ha__idmap_copy(ha__idmap *dst, const ha__idmap *src) {
  *dst = *src;
  if (src->cap == 0) {
    return HA_OK;
  }
  dst->slots = malloc(src->cap * sizeof(*dst->slots));
  if (dst->slots == NULL) {
    ha__idmap_init(dst);
    return HA_ENOMEM;
  }
  memcpy(dst->slots, src->slots, src->cap * sizeof(*dst->slots));
  return HA_OK;
}

/* ---- growable text ---- */

void ha__text_append(ha__text *t, const char *s, size_t n) {
  if (t->oom) {
    return;
  }
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 64;
    while (cap < t->len + n + 1) {
      cap *= 2;
    }
    char *b = realloc(t->buf, cap);
    if (b == NULL) {
      t->oom = 1;
      return;
    }
    t->buf = b;
    t->cap = cap;
  }
  memcpy(t->buf + t->len, s, n);
  t->len += n;
  t->buf[t->len] = '\0';
}

/* ---- paths ---- */

void ha__path_init(ha__path *p) {
  memset(p, 0, sizeof(*p));
}
void ha__path_deinit(ha__path *p) {
  free(p->buf);
  memset(p, 0, sizeof(*p));
}

static int is_ident(const char *k) {
  if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || *k == '_')) {
    return 0;
  }
  for (k++; *k; k++) {
    if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
          *k == '_')) {
      return 0;
    }
  }
  return 1;
}

/* Writes the component for `key` (".key", "key" at the root, or ["k"]) by
 * calling `emit` on pieces, so the growing and the fixed-buffer builders
 * share one rule. */
static void key_component(int at_root, const char *key, void (*emit)(void *, const char *, size_t),
                          void *ctx) {
  if (is_ident(key)) {
    if (!at_root) {
      emit(ctx, ".", 1);
    }
    emit(ctx, key, strlen(key));
    return;
  }
  emit(ctx, "[\"", 2);
  for (const char *c = key; *c; c++) {
    if (*c == '"' || *c == '\\') {
      emit(ctx, "\\", 1);
    }
    emit(ctx, c, 1);
  }
  emit(ctx, "\"]", 2);
}

static void emit_path(void *ctx, const char *s, size_t n) {
  ha__text_append(ctx, s, n);
}

size_t ha__path_key(ha__path *p, const char *key) {
  size_t old = p->len;
  size_t n = strlen(key);
  if (p->len > 0 && n < 64 && is_ident(key)) { /* the common case, in one append */
    char b[65];
    b[0] = '.';
    memcpy(b + 1, key, n);
    ha__text_append(p, b, n + 1);
    return old;
  }
  key_component(p->len == 0, key, emit_path, p);
  return old;
}

size_t ha__path_index(ha__path *p, size_t i) {
  size_t old = p->len;
  char b[32]; /* "[digits]" written backwards from the end: no snprintf on this hot path */
  char *e = b + sizeof(b), *d = e;
  *--d = ']';
  do {
    *--d = (char)('0' + i % 10);
    i /= 10;
  } while (i != 0);
  *--d = '[';
  ha__text_append(p, d, (size_t)(e - d));
  return old;
}

void ha__path_pop(ha__path *p, size_t len) {
  if (p->buf != NULL && len <= p->len) {
    p->len = len;
    p->buf[len] = '\0';
  }
}

const char *ha__path_str(const ha__path *p) {
  return p->buf != NULL && !p->oom ? p->buf : "";
}

typedef struct fixed_buf {
  char *buf;
  size_t cap, len;
} fixed_buf;

static void emit_fixed(void *ctx, const char *s, size_t n) {
  fixed_buf *f = ctx;
  for (size_t i = 0; i < n && f->len + 1 < f->cap; i++) {
    f->buf[f->len++] = s[i];
  }
  f->buf[f->len] = '\0';
}

void ha__path_join(char *buf, size_t cap, const char *base, const char *key) {
  if (cap == 0) {
    return;
  }
  fixed_buf f = {buf, cap, 0};
  buf[0] = '\0';
  emit_fixed(&f, base, strlen(base));
  key_component(base[0] == '\0', key, emit_fixed, &f);
}

/* ---- diagnostics ---- */

typedef struct diag_entry {
  ha_diag d;
  char *mem;
} diag_entry;

struct ha_diags {
  diag_entry *v;
  size_t n, cap;
  size_t errors, warnings;
  uint64_t work; /* ha_diags_work */
};

void ha__diags_add_work(ha_diags *d, uint64_t n) {
  if (d != NULL) {
    d->work += n;
  }
}

uint64_t ha_diags_work(const ha_diags *d) {
  return d != NULL ? d->work : 0;
}

ha_status ha_diags_create(ha_diags **out) {
  ha_diags *d = calloc(1, sizeof(*d));
  if (d == NULL) {
    return HA_ENOMEM;
  }
  *out = d;
  return HA_OK;
}

void ha_diags_clear(ha_diags *d) {
  if (d == NULL) {
    return;
  }
  for (size_t i = 0; i < d->n; i++) {
    free(d->v[i].mem);
  }
  d->n = 0;
  d->errors = 0;
  d->warnings = 0;
}

void ha_diags_destroy(ha_diags *d) {
  if (d == NULL) {
    return;
  }
  ha_diags_clear(d);
  free(d->v);
  free(d);
}

size_t ha_diags_count(const ha_diags *d) {
  return d ? d->n : 0;
}
const ha_diag *ha_diags_at(const ha_diags *d, size_t i) {
  return d != NULL && i < d->n ? &d->v[i].d : NULL;
}
size_t ha_diags_errors(const ha_diags *d) {
  return d ? d->errors : 0;
}
size_t ha_diags_warnings(const ha_diags *d) {
  return d ? d->warnings : 0;
}

int ha_diag_format(const ha_diag *d, char *buf, size_t cap) {
  char pos[64] = "";
  const char *sev = d->severity == HA_DIAG_WARNING ? "warning: "
                    : d->severity == HA_DIAG_NOTE  ? "note: "
                                                   : "";
  const char *file = d->file ? d->file : "";
  if (file[0] != '\0' && d->line > 0) {
    snprintf(pos, sizeof(pos), ":%d:%d: ", d->line, d->column);
  } else if (file[0] != '\0') {
    snprintf(pos, sizeof(pos), ": ");
  }
  const char *path = d->path ? d->path : "";
  return snprintf(buf, cap, "%s%s%s%s%s%s", file, pos, sev, path, path[0] ? ": " : "",
                  d->message ? d->message : "");
}

void ha__diags_truncate(ha_diags *d, size_t n) {
  while (d != NULL && d->n > n) {
    diag_entry *e = &d->v[--d->n];
    d->errors -= e->d.severity == HA_DIAG_ERROR;
    d->warnings -= e->d.severity == HA_DIAG_WARNING;
    free(e->mem);
  }
}

static int diags_push(ha_diags *d, ha_diag_severity sev, const char *file, int line, int col,
                      const char *path, const char *msg) {
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 16;
    diag_entry *v = realloc(d->v, cap * sizeof(*v));
    if (v == NULL) {
      return -1;
    }
    d->v = v;
    d->cap = cap;
  }
  size_t fl = strlen(file), pl = strlen(path), ml = strlen(msg);
  char *mem = malloc(fl + pl + ml + 3);
  if (mem == NULL) {
    return -1;
  }
  memcpy(mem, file, fl + 1);
  memcpy(mem + fl + 1, path, pl + 1);
  memcpy(mem + fl + pl + 2, msg, ml + 1);
  diag_entry *e = &d->v[d->n++];
  e->mem = mem;
  e->d.severity = sev;
  e->d.file = mem;
  e->d.path = mem + fl + 1;
  e->d.message = mem + fl + pl + 2;
  e->d.line = line;
  e->d.column = col;
  d->errors += sev == HA_DIAG_ERROR;
  d->warnings += sev == HA_DIAG_WARNING;
  return 0;
}

static void diag_v(ha__dctx *c, ha_diag_severity sev, int line, int col, const char *path,
                   const char *fmt, va_list ap) {
  c->errors += sev == HA_DIAG_ERROR;
  c->warnings += sev == HA_DIAG_WARNING;
  if (c->diags == NULL) {
    return;
  }
  char msg[512];
  vsnprintf(msg, sizeof(msg), fmt, ap);
  if (diags_push(c->diags, sev, c->file ? c->file : "", line, col, path ? path : "", msg) != 0) {
    c->oom = 1;
  }
}

void ha__diag(ha__dctx *c, ha_diag_severity sev, const char *path, int at_key, const char *fmt,
              ...) {
  int line = 0, col = 0;
  if (c->pos != NULL) {
    ha__posmap_find(c->pos, path ? path : "", at_key, &line, &col);
  }
  va_list ap;
  va_start(ap, fmt);
  diag_v(c, sev, line, col, path, fmt, ap);
  va_end(ap);
}

void ha__diag_at(ha__dctx *c, ha_diag_severity sev, int line, int column, const char *path,
                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_v(c, sev, line, column, path, fmt, ap);
  va_end(ap);
}

void ha__diag_below(ha__dctx *c, ha__path *path, ha_diag_severity sev, const char *key, int at_key,
                    const char *fmt, ...) {
  char msg[480]; /* the cut these passes always had */
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  size_t mark = key != NULL ? ha__path_key(path, key) : 0;
  ha__diag(c, sev, path != NULL ? ha__path_str(path) : "", at_key, "%s", msg);
  if (key != NULL) {
    ha__path_pop(path, mark);
  }
}
