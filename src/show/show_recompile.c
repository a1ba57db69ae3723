/* Edits compiled in part: a copy of the compiled model with only what the
 * edit touched compiled again.
 *
 * An edit changes a field or two of a show that was valid; compiling the
 * whole document again (13 ms for 1,000 tracks and animations, most of it
 * validating every animation with the engine) is what made edits slow. So
 * each operation's JSON Pointer names the unit it touched: a field of an
 * element (tracks[i], animations[i], groups[i], presets[i]) is that
 * element, anything in a cue is that cue, and the small sections (name,
 * metadata, outputs, limits, control) are compiled whole. The model is
 * copied (its tables and the arrays they point to, into a new arena; the
 * parameter sets are shared by reference; strings point into the document,
 * which shares every value the edit did not reach), the units are compiled
 * again in place, in document order, and what copies from them follows: the
 * actions that start or stop a group take its tracks and settings, a stop
 * without "fade" its animation's fadeOut, a preset action the preset's
 * tracks; a track's gain is in the outputs' gain table.
 *
 * Whatever this does not follow goes to the full compiler (HA_EAGAIN): an
 * element added or removed (indices move), a track id or a name (others
 * refer to them), a whole section, a cue whose inline starts change in
 * number (later tags would move). That one is given the old model
 * (ha__show_compile_from) and takes from it every animation whose JSON
 * object the edit did not reach, validating its parameters with the engine
 * being most of a compile: 2 ms -> 0.5 ms for a structural edit of the
 * 1,000-track show. So does any error: the full pass reports
 * it the way a load does, with everything else it finds, and the edit is
 * refused the same way. tests/test_show_incremental.c holds the result of
 * random edits and undos equal to a full load of the saved text.
 * Rejected: a chain of models that each own only what they recompiled
 * (every edit would keep all earlier models alive), and dependency
 * tracking at the field level (the element is cheap enough). */
#include "show_internal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- copying a model ---- */

/* Arrays already copied, by their old address, so an array several tables
 * point to (a group's tracks, its actions' tracks) is copied once and
 * stays shared. */
typedef struct reloc_entry {
  const void *from;
  void *to;
} reloc_entry;

typedef struct relocs {
  reloc_entry *v;
  size_t cap, n;
  ha__arena *arena;
  int oom;
} relocs;

static size_t reloc_slot(const relocs *r, const void *p) {
  size_t j = (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull) & (r->cap - 1);
  while (r->v[j].from != NULL && r->v[j].from != p) {
    j = (j + 1) & (r->cap - 1);
  }
  return j;
}

static int reloc_grow(relocs *r) {
  relocs bigger = *r;
  bigger.cap = r->cap ? 2 * r->cap : 256;
  bigger.v = calloc(bigger.cap, sizeof(*bigger.v));
  if (bigger.v == NULL) {
    return -1;
  }
  for (size_t i = 0; i < r->cap; i++) {
    if (r->v[i].from != NULL) {
      bigger.v[reloc_slot(&bigger, r->v[i].from)] = r->v[i];
    }
  }
  free(r->v);
  *r = bigger;
  return 0;
}

/* The copy of the `bytes` at p in the new arena (NULL for NULL). */
static void *reloc(relocs *r, const void *p, size_t bytes) {
  if (p == NULL || r->oom) {
    return NULL;
  }
  if ((r->n + 1) * 2 > r->cap && reloc_grow(r) != 0) {
    r->oom = 1;
    return NULL;
  }
  reloc_entry *e = &r->v[reloc_slot(r, p)];
  if (e->from != NULL) {
    return e->to;
  }
  void *q = ha__arena_alloc(r->arena, bytes ? bytes : 1);
  if (q == NULL) {
    r->oom = 1;
    return NULL;
  }
  memcpy(q, p, bytes);
  e->from = p;
  e->to = q;
  r->n++;
  return q;
}

static void clone_cues(relocs *r, ha__show_model *m) {
  m->cues = reloc(r, m->cues, m->ncues * sizeof(*m->cues));
  for (size_t c = 0; m->cues != NULL && c < m->ncues; c++) {
    ha_show_cue *cue = &m->cues[c];
    ha_show_action *acts = reloc(r, cue->actions, cue->action_count * sizeof(*acts));
    cue->actions = acts;
    for (size_t k = 0; acts != NULL && k < cue->action_count; k++) {
      acts[k].tracks = reloc(r, acts[k].tracks, acts[k].track_count * sizeof(uint32_t));
      acts[k].preset_index = reloc(r, acts[k].preset_index, acts[k].track_count * sizeof(size_t));
    }
  }
}

/* Relocate every array of `m` (a struct copy of the old model) into its own
 * arena, groups and presets before the cues that point into them. */
static int clone_tables(ha__show_model *m) {
  relocs r = {NULL, 0, 0, &m->arena, 0};
  m->tracks = reloc(&r, m->tracks, m->ntracks * sizeof(*m->tracks));
  m->anims = reloc(&r, m->anims, m->nanims * sizeof(*m->anims));
  m->groups = reloc(&r, m->groups, m->ngroups * sizeof(*m->groups));
  for (size_t g = 0; m->groups != NULL && g < m->ngroups; g++) {
    ha_show_group *gr = &m->groups[g];
    gr->tracks = reloc(&r, gr->tracks, gr->track_count * sizeof(uint32_t));
  }
  m->presets = reloc(&r, m->presets, m->npresets * sizeof(*m->presets));
  for (size_t p = 0; m->presets != NULL && p < m->npresets; p++) {
    ha_show_preset *pr = &m->presets[p];
    pr->tracks = reloc(&r, pr->tracks, pr->count * sizeof(uint32_t));
    pr->positions = reloc(&r, pr->positions, pr->count * sizeof(ha_vec3));
  }
  clone_cues(&r, m);
  m->outputs = reloc(&r, m->outputs, m->noutputs * sizeof(*m->outputs));
  for (size_t o = 0; m->outputs != NULL && o < m->noutputs; o++) {
    ha_show_output *out = &m->outputs[o];
    out->track_map = reloc(&r, out->track_map, out->track_map_count * sizeof(*out->track_map));
    out->gains = reloc(&r, out->gains, out->gain_count * sizeof(*out->gains));
  }
  m->control.allow = reloc(&r, m->control.allow, m->control.allow_count * sizeof(char *));
  m->mappings = reloc(&r, m->mappings, m->nmappings * sizeof(*m->mappings));
  m->start_anim = reloc(&r, m->start_anim, m->start_actions * sizeof(size_t));
  free(r.v);
  return r.oom ? -1 : 0;
}

/* A copy of `old` on `doc` that compiling in place may change. */
static ha__show_model *model_clone(const ha__show_model *old, json_t *doc) {
  ha__show_model *m = malloc(sizeof(*m));
  if (m == NULL) {
    return NULL;
  }
  *m = *old;
  m->refs = 1;
  m->doc = json_incref(doc);
  m->arena.head = NULL;
  m->params = calloc(old->nanims ? old->nanims : 1, sizeof(*m->params));
  int ok = m->params != NULL;
  for (size_t i = 0; ok && i < old->nanims; i++) {
    m->params[i] = old->params[i];
    m->params[i]->refs++;
  }
  if (ha__idmap_copy(&m->track_index, &old->track_index) != HA_OK) {
    ok = 0;
  }
  if (!ok || clone_tables(m) != 0) {
    if (m->params == NULL) {
      m->nanims = 0; /* nothing to release */
    }
    ha__show_model_unref(m);
    return NULL;
  }
  return m;
}

/* ---- what an operation touched ---- */

/* In document order: units are compiled in this order. */
typedef enum unit_kind {
  UNIT_NAME,
  UNIT_METADATA,
  UNIT_TRACK,
  UNIT_ANIMATION,
  UNIT_GROUP,
  UNIT_PRESET,
  UNIT_CUE,
  UNIT_OUTPUTS,
  UNIT_LIMITS,
  UNIT_CONTROL,
  UNIT_NONE, /* nothing compiled reads it ("format", an unknown key) */
  UNIT_FULL  /* the whole show */
} unit_kind;

typedef struct unit {
  unit_kind kind;
  size_t index; /* the element's, for TRACK ... CUE */
} unit;

/* The first `want` reference tokens of `pointer` (as written: a "~"
 * escape makes it UNIT_FULL's business); the number found. */
static size_t pointer_tokens(const char *pointer, char tok[3][64], size_t want) {
  size_t n = 0;
  const char *p = pointer;
  while (n < want && *p == '/') {
    size_t len = strcspn(p + 1, "/");
    if (len >= 64 || memchr(p + 1, '~', len) != NULL) {
      return 0;
    }
    memcpy(tok[n], p + 1, len);
    tok[n][len] = '\0';
    n++;
    p += 1 + len;
  }
  return n;
}

static unit op_unit(const char *pointer) {
  static const struct {
    const char *section, *key; /* key: the field that others refer to */
    unit_kind kind;
  } elements[] = {{"tracks", "id", UNIT_TRACK},
                  {"animations", "name", UNIT_ANIMATION},
                  {"groups", "name", UNIT_GROUP},
                  {"presets", "name", UNIT_PRESET},
                  {"cues", NULL, UNIT_CUE}};
  static const struct {
    const char *key;
    unit_kind kind;
  } sections[] = {{"name", UNIT_NAME},     {"metadata", UNIT_METADATA}, {"outputs", UNIT_OUTPUTS},
                  {"limits", UNIT_LIMITS}, {"control", UNIT_CONTROL},   {"format", UNIT_NONE}};
  char tok[3][64];
  size_t n = pointer_tokens(pointer, tok, 3);
  unit u = {UNIT_FULL, 0};
  if (n == 0) {
    return u;
  }
  for (size_t i = 0; i < HA__COUNTOF(sections); i++) {
    if (strcmp(tok[0], sections[i].key) == 0) {
      u.kind = sections[i].kind;
      return u;
    }
  }
  for (size_t i = 0; i < HA__COUNTOF(elements); i++) {
    if (strcmp(tok[0], elements[i].section) != 0) {
      continue;
    }
    /* inside one element, and not the field others refer to */
    size_t dig = n >= 2 ? strspn(tok[1], "0123456789") : 0;
    if (n < 3 || dig == 0 || tok[1][dig] != '\0' || dig > 9 ||
        (tok[1][0] == '0' && tok[1][1] != '\0') ||
        (elements[i].key != NULL && strcmp(tok[2], elements[i].key) == 0)) {
      return u;
    }
    u.kind = elements[i].kind;
    u.index = (size_t)strtoul(tok[1], NULL, 10);
    return u;
  }
  if (!ha__schema_has(&ha__schema_root, tok[0])) {
    u.kind = UNIT_NONE; /* an unknown key: only ever a warning */
  }
  return u;
}

static int unit_cmp(const void *pa, const void *pb) {
  const unit *a = pa, *b = pb;
  if (a->kind != b->kind) {
    return a->kind < b->kind ? -1 : 1;
  }
  return a->index < b->index ? -1 : a->index > b->index;
}

/* The units of ops[0..n), sorted and each once, in u[0..*count); 0 when
 * one of them needs the full compiler (or there are too many). */
static int ops_units(const ha__edit_op *ops, size_t n, unit *u, size_t cap, size_t *count) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    unit one = op_unit(ops[i].pointer);
    if (one.kind == UNIT_FULL) {
      return 0;
    }
    int seen = one.kind == UNIT_NONE;
    for (size_t j = 0; j < k && !seen; j++) {
      seen = u[j].kind == one.kind && u[j].index == one.index;
    }
    if (!seen && k == cap) {
      return 0;
    }
    if (!seen) {
      u[k++] = one;
    }
  }
  qsort(u, k, sizeof(*u), unit_cmp);
  *count = k;
  return 1;
}

/* ---- compiling the units ---- */

/* `names` filled with the name of each of `count` structs of `stride`
 * bytes from `base` (the name first in each), by index. */
_Static_assert(offsetof(ha_show_animation, name) == 0, "fill_names reads the name first");
_Static_assert(offsetof(ha_show_group, name) == 0, "fill_names reads the name first");
_Static_assert(offsetof(ha_show_preset, name) == 0, "fill_names reads the name first");
static void fill_names(ha__compiler *x, ha__strmap *names, const void *base, size_t stride,
                       size_t count) {
  ha__strmap_deinit(names);
  ha__strmap_init(names);
  ha__strmap_reserve(names, count);
  for (size_t i = 0; i < count; i++) {
    const char *name = *(const char *const *)(const void *)((const char *)base + i * stride);
    ha__strmap_slot *s = ha__strmap_put(names, name);
    if (s == NULL) {
      x->c->oom = 1;
      return;
    }
    s->value = i;
  }
}

/* Element `i` of section `key` of doc, with the path pointing at it (pop
 * with *mark); NULL (path unchanged) when it is not an object. */
static const json_t *element_at(ha__compiler *x, const json_t *doc, const char *key, size_t i,
                                size_t count, size_t *mark) {
  const json_t *o = json_array_get(json_object_get(doc, key), i);
  if (!json_is_object(o) || i >= count) {
    return NULL;
  }
  *mark = ha__path_key(&x->path, key);
  ha__path_index(&x->path, i);
  return o;
}

/* Compile one unit again; HA_EAGAIN when the full compiler must. */
static ha_status unit_compile(ha__compiler *x, const json_t *doc, const unit *u, int *gains) {
  ha__show_model *m = x->m;
  size_t mark = 0;
  const json_t *o = NULL;
  switch (u->kind) {
  case UNIT_NAME:
    m->name = "";
    ha__cc_get_string(x, doc, "name", 0, 0, &m->name);
    return HA_OK;
  case UNIT_METADATA: ha__compile_metadata(x, doc); return HA_OK;
  case UNIT_TRACK: {
    if ((o = element_at(x, doc, "tracks", u->index, m->ntracks, &mark)) == NULL) {
      return HA_EAGAIN;
    }
    ha_show_track before = m->tracks[u->index];
    int ok = ha__compile_track_at(x, o, u->index);
    ha__path_pop(&x->path, mark);
    const ha_show_track *t = &m->tracks[u->index];
    *gains |= t->has_gain != before.has_gain || !ha__feq(t->gain, before.gain);
    return ok ? HA_OK : HA_EAGAIN;
  }
  case UNIT_ANIMATION:
    if ((o = element_at(x, doc, "animations", u->index, m->nanims, &mark)) == NULL) {
      return HA_EAGAIN;
    }
    ha__compile_animation_at(x, o, u->index);
    ha__path_pop(&x->path, mark);
    ha__compile_stop_fades(x, doc, u->index);
    return HA_OK;
  case UNIT_GROUP:
    if ((o = element_at(x, doc, "groups", u->index, m->ngroups, &mark)) == NULL) {
      return HA_EAGAIN;
    }
    ha__compile_group_at(x, o, u->index);
    ha__path_pop(&x->path, mark);
    ha__compile_group_actions(x, doc, u->index);
    return HA_OK;
  case UNIT_PRESET:
    if ((o = element_at(x, doc, "presets", u->index, m->npresets, &mark)) == NULL) {
      return HA_EAGAIN;
    }
    ha__compile_preset_at(x, o, u->index);
    ha__path_pop(&x->path, mark);
    ha__compile_preset_actions(x, doc, u->index);
    return HA_OK;
  case UNIT_CUE: return ha__compile_cue_at(x, doc, u->index);
  case UNIT_OUTPUTS:
    ha__compile_outputs(x, doc); /* its gains too */
    *gains = 0;
    return HA_OK;
  case UNIT_LIMITS:
    memset(&m->limits, 0, sizeof(m->limits));
    ha__compile_limits(x, doc);
    return HA_OK;
  case UNIT_CONTROL:
    memset(&m->control, 0, sizeof(m->control));
    ha__compile_control(x, doc);
    return HA_OK;
  case UNIT_NONE:
  case UNIT_FULL: break;
  }
  return HA_EAGAIN;
}

ha_status ha__show_recompile(const ha__show_model *old, json_t *doc, const ha__edit_op *ops,
                             size_t n, ha__dctx *c, ha__show_model **out) {
  unit units[16];
  size_t nu = 0;
  if (!ops_units(ops, n, units, HA__COUNTOF(units), &nu)) {
    return HA_EAGAIN;
  }
  /* Mappings name a group and a parameter of its animation's model: an
   * edit of either is checked against them by the full compiler. */
  for (size_t i = 0; old->nmappings > 0 && i < nu; i++) {
    if (units[i].kind == UNIT_ANIMATION || units[i].kind == UNIT_GROUP) {
      return HA_EAGAIN;
    }
  }
  ha__show_model *m = model_clone(old, doc);
  if (m == NULL) {
    return HA_ENOMEM;
  }
  ha__compiler x;
  ha__compiler_init(&x, c, m);
  size_t errors = c->errors, warnings = c->warnings;
  ha_status st = HA_OK;
  int gains = 0, named = 0;
  for (size_t i = 0; i < nu && st == HA_OK; i++) {
    /* Names are registered by their own element's compile (from an empty
     * table: an edit of a name is the full compiler's); the later units
     * look them up. */
    if (units[i].kind >= UNIT_GROUP && named < 1) {
      fill_names(&x, &x.anim_names, m->anims, sizeof(*m->anims), m->nanims);
      named = 1;
    }
    if (units[i].kind >= UNIT_CUE && named < 2) {
      fill_names(&x, &x.group_names, m->groups, sizeof(*m->groups), m->ngroups);
      fill_names(&x, &x.preset_names, m->presets, sizeof(*m->presets), m->npresets);
      named = 2;
    }
    st = unit_compile(&x, doc, &units[i], &gains);
  }
  if (st == HA_OK && gains) {
    ha__compile_gains(&x);
  }
  int oom = c->oom || x.path.oom;
  ha__compiler_deinit(&x);
  if (st == HA_OK && (oom || c->errors > errors)) {
    st = oom ? HA_ENOMEM : HA_EAGAIN;
  }
  if (st != HA_OK) {
    ha__show_model_unref(m);
    return st;
  }
  m->warnings = old->warnings + (c->warnings - warnings);
  *out = m;
  return HA_OK;
}
