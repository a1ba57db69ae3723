/* The show layer's internals (src/show): show files (load, diagnostics,
 * edit, save, import), cues run offline, and the glue from a show to the
 * player. Not installed. The top layer of the library: sees every layer
 * below it (src/layers.txt). */
#ifndef HOLOANIM_SHOW_INTERNAL_H
#define HOLOANIM_SHOW_INTERNAL_H

#include <jansson.h>

#include "rt_internal.h"

#include "holoanim/show.h"
#include "holoanim/show_player.h"

/* ---- arena: many small allocations freed together ---- */

typedef struct ha__arena_block ha__arena_block;
typedef struct ha__arena {
  ha__arena_block *head;
} ha__arena;

/* Zeroed, 16-byte aligned memory that lives until ha__arena_free. NULL on
 * ENOMEM. */
void *ha__arena_alloc(ha__arena *a, size_t size);
char *ha__arena_strdup(ha__arena *a, const char *s);
void ha__arena_free(ha__arena *a);

/* ---- string -> value hash map (open addressing, keys copied) ---- */

typedef struct ha__strmap_slot {
  const char *key;
  size_t hash;
  size_t value;
  int a, b, c, d; /* payload for position maps */
} ha__strmap_slot;

typedef struct ha__strmap {
  ha__strmap_slot *slots;
  size_t cap, count;
  ha__arena keys;
} ha__strmap;

void ha__strmap_init(ha__strmap *m);
void ha__strmap_deinit(ha__strmap *m);
/* Insert or overwrite; returns the slot (NULL on ENOMEM). */
ha__strmap_slot *ha__strmap_put(ha__strmap *m, const char *key);
const ha__strmap_slot *ha__strmap_get(const ha__strmap *m, const char *key);

/* ---- JSON paths ("tracks[0].name", "outputs[1].trackMap[\"3\"]") ---- */

typedef struct ha__path {
  char *buf;
  size_t len, cap;
  int oom;
} ha__path;

void ha__path_init(ha__path *p);
void ha__path_deinit(ha__path *p);
/* Push a key / an index; returns the previous length for ha__path_pop. */
size_t ha__path_key(ha__path *p, const char *key);
size_t ha__path_index(ha__path *p, size_t i);
void ha__path_pop(ha__path *p, size_t len);
/* The current path ("" at the root); never NULL. */
const char *ha__path_str(const ha__path *p);
/* Append the key component to a caller buffer (same syntax). */
void ha__path_join(char *buf, size_t cap, const char *base, const char *key);

/* ---- source positions of every value, by JSON path ---- */

typedef struct ha__posmap {
  ha__strmap map; /* path -> (key line, key col, value line, value col) */
  /* Keys renamed by migrations: a component ".to" was written ".from". */
  struct {
    char *from, *to;
  } renames[32];
  size_t nrenames;
} ha__posmap;

void ha__posmap_init(ha__posmap *pm);
void ha__posmap_deinit(ha__posmap *pm);
/* Record every value of valid JSON `text` (checked by jansson first).
 * HA_ENOMEM. */
ha_status ha__posmap_scan(ha__posmap *pm, const char *text, size_t len);
/* Position of the value at `path` (key = 1: of its key, when it has one);
 * falls back to the closest recorded ancestor. 0 when nothing is known. */
void ha__posmap_find(const ha__posmap *pm, const char *path, int key, int *line, int *column);
void ha__posmap_rename(ha__posmap *pm, const char *from, const char *to);

/* ---- diagnostics ---- */

/* Context of one validation pass: where diagnostics go and how positions are
 * found. `pos` may be NULL (no positions, e.g. after an edit). */
typedef struct ha__dctx {
  ha_diags *diags;
  const char *file;
  const ha__posmap *pos;
  size_t errors, warnings;
  int oom;
} ha__dctx;

/* Add a diagnostic at `path` (position of the value, or of the key when
 * at_key). Counts errors/warnings in the context even when diags is NULL. */
void ha__diag(ha__dctx *c, ha_diag_severity sev, const char *path, int at_key, const char *fmt, ...)
    HA__PRINTF(5, 6);
/* Add with an explicit position (jansson syntax errors). */
void ha__diag_at(ha__dctx *c, ha_diag_severity sev, int line, int column, const char *path,
                 const char *fmt, ...) HA__PRINTF(6, 7);

/* ---- the compiled view ---- */

typedef struct ha__show_model {
  int refs;
  json_t *doc; /* owned reference; never modified after compilation */
  ha__arena arena;
  const char *name;
  ha_show_track *tracks;
  size_t ntracks;
  ha_show_animation *anims;
  size_t nanims;
  ha_params **params; /* owned, one per animation */
  ha_show_group *groups;
  size_t ngroups;
  ha_show_preset *presets;
  size_t npresets;
  ha_show_cue *cues;
  size_t ncues;
  ha_show_output *outputs;
  size_t noutputs;
  ha_limits limits;
  ha_show_control control;
  size_t start_actions;   /* inline start actions over all cues */
  ha__strmap track_index; /* "id" -> index (decimal) */
} ha__show_model;

/* Validate `doc` (format HA_SHOW_FORMAT, already migrated) and build its
 * view. Diagnostics go to `c`. Returns HA_OK with *out (which takes a new
 * reference to doc), HA_EPARSE when there were errors, HA_ENOMEM. */
ha_status ha__show_compile(json_t *doc, ha__dctx *c, ha__show_model **out);
void ha__show_model_ref(ha__show_model *m);
void ha__show_model_unref(ha__show_model *m);

/* Bring a document of an older format up to HA_SHOW_FORMAT in place (the
 * posmap learns renamed keys). Reports a newer or unknown format as an
 * error and returns HA_EUNSUPPORTED / HA_EPARSE. */
ha_status ha__show_migrate(json_t *doc, ha__dctx *c, ha__posmap *pos, int *source_format);

/* ---- the show object ---- */

typedef struct ha__edit_op {
  int op; /* 0 add, 1 remove, 2 replace */
  char *pointer;
  json_t *value; /* NULL for remove */
} ha__edit_op;

typedef struct ha__history_entry {
  ha__edit_op *fwd; /* the patch as applied */
  size_t nfwd;
  ha__edit_op *inv; /* its inverse, in application order */
  size_t ninv;
} ha__history_entry;

struct ha_show {
  ha__show_model *model;
  int source_format;
  ha__history_entry *undo; /* oldest first */
  size_t nundo;
  ha__history_entry *redo; /* most recent undo last */
  size_t nredo;
  size_t history_limit;
  uint64_t version;
};

/* Wrap a validated document as a new show (takes the model reference). */
ha_status ha__show_from_model(ha__show_model *m, int source_format, ha_show **out);
/* Parse + migrate + compile text; the shared body of the loaders. */
ha_status ha__show_load_text(const char *text, size_t len, const char *name, ha_show **out,
                             ha_diags *diags);
void ha__history_entry_free(ha__history_entry *e);

/* ---- JSON helpers ---- */

/* Canonical pretty text of a document (see ha_show_save_string). */
ha_status ha__show_dump(const json_t *doc, char **out, size_t *len);
/* One-line text of any value (document order, shortest numbers). */
ha_status ha__json_compact(const json_t *v, char **out);
/* Shortest text of a double that reads back exactly ("0.1", "5", "1e-07"). */
void ha__json_number(char *buf, size_t cap, double v);
/* "a string", "a number", "an object", ... for messages. */
const char *ha__json_kind(const json_t *v);

/* JSON Pointer (RFC 6901): the parent container and the last token.
 * HA_EINVAL (malformed), HA_ENOTFOUND (a missing intermediate). */
ha_status ha__pointer_parent(json_t *root, const char *pointer, json_t **parent, char *token,
                             size_t cap);
json_t *ha__pointer_get(json_t *root, const char *pointer);
/* JSON path of a pointer for diagnostics ("/tracks/0/name" -> "tracks[0].name"),
 * following `root` to tell array indices from object keys. */
void ha__pointer_to_path(const json_t *root, const char *pointer, char *buf, size_t cap);

/* Key order of the show's objects, for the canonical text and for telling
 * unknown fields. */
typedef struct ha__schema ha__schema;
typedef struct ha__schema_key {
  const char *key;
  int kind; /* 0 leaf (any value, written as is), 1 object, 2 array of objects */
  const ha__schema *sub;
} ha__schema_key;
struct ha__schema {
  const ha__schema_key *keys;
  size_t n;
};
extern const ha__schema ha__schema_root, ha__schema_metadata, ha__schema_track,
    ha__schema_animation, ha__schema_group, ha__schema_preset, ha__schema_cue, ha__schema_action,
    ha__schema_output, ha__schema_deadband, ha__schema_bundle, ha__schema_limits, ha__schema_box,
    ha__schema_control;
/* True when `key` is one of the schema's keys. */
int ha__schema_has(const ha__schema *s, const char *key);

/* ---- the cue interpreter (show_cue.c) ---- */

/* ha_show_cue_ops on a compiled view (an offline instance keeps the view,
 * not the show). */
ha_status ha__show_cue_ops(const ha__show_model *m, size_t cue, ha_show_op_fn fn, void *user,
                           ha_error *err);
/* The operation that starts group `group` (< m->ngroups), as its start
 * action does; and the one that stops it with `fade` seconds. */
ha_show_op ha__show_group_start_op(const ha__show_model *m, size_t group);
ha_show_op ha__show_group_stop_op(size_t group, double fade);

/* Read a whole file (NUL-terminated) into *out. HA_EIO with errno in *errnum. */
ha_status ha__read_file(const char *path, char **out, size_t *len, int *errnum);

#endif
