/* The show layer's internals (src/show): show files (load, compile,
 * diagnostics, edit, save, import), cues run offline, and the glue from a
 * show to the player. Not installed. The top layer of the library: sees every layer
 * below it (src/layers.txt). */
#ifndef HOLOANIM_SHOW_INTERNAL_H
#define HOLOANIM_SHOW_INTERNAL_H

#include <jansson.h>

#include "atomics.h"
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
/* Room for n keys at once (one table, not a growth per doubling). */
void ha__strmap_reserve(ha__strmap *m, size_t n);

/* ---- track id -> value hash map (open addressing; ids >= 1, 0 = empty) ---- */

typedef struct ha__idmap_slot {
  uint32_t id;
  int place; /* payload: a track's place in the document */
  size_t value;
} ha__idmap_slot;

typedef struct ha__idmap {
  ha__idmap_slot *slots;
  size_t cap, count;
} ha__idmap;

void ha__idmap_init(ha__idmap *m);
void ha__idmap_deinit(ha__idmap *m);
/* The slot of `id` (>= 1), made (zeroed) when new; NULL on ENOMEM. */
ha__idmap_slot *ha__idmap_put(ha__idmap *m, uint32_t id);
const ha__idmap_slot *ha__idmap_get(const ha__idmap *m, uint32_t id);
void ha__idmap_reserve(ha__idmap *m, size_t n);
/* dst (uninitialised) becomes a copy of src. HA_ENOMEM. */
ha_status ha__idmap_copy(ha__idmap *dst, const ha__idmap *src);

/* ---- growable text (paths, the JSON writer) ---- */

typedef struct ha__text {
  char *buf; /* NUL-terminated once anything was appended; NULL before */
  size_t len, cap;
  int oom; /* an append failed: the text is incomplete */
} ha__text;

/* Append `n` bytes of `s`; on ENOMEM sets oom and ignores this and every
 * later append. */
void ha__text_append(ha__text *t, const char *s, size_t n);

/* ---- JSON paths ("tracks[0].name", "outputs[1].trackMap[\"3\"]") ---- */

typedef ha__text ha__path;

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
  /* The text the map is made from, scanned at the first lookup: a file
   * without problems never pays for positions. */
  const char *text;
  size_t len;
  int scanned; /* 0 not yet, 1 done, -1 out of memory (no positions) */
  /* Keys renamed by migrations: a component ".to" was written ".from". */
  struct {
    char *from, *to;
  } renames[32];
  size_t nrenames;
} ha__posmap;

void ha__posmap_init(ha__posmap *pm);
void ha__posmap_deinit(ha__posmap *pm);
/* Positions of every value of valid JSON `text` (checked by jansson
 * first), which must outlive the map: it is scanned at the first
 * ha__posmap_find, not here. HA_OK. */
ha_status ha__posmap_scan(ha__posmap *pm, const char *text, size_t len);
/* Position of the value at `path` (key = 1: of its key, when it has one);
 * falls back to the closest recorded ancestor. 0 when nothing is known
 * (also when the scan ran out of memory). */
void ha__posmap_find(ha__posmap *pm, const char *path, int key, int *line, int *column);
void ha__posmap_rename(ha__posmap *pm, const char *from, const char *to);

/* ---- diagnostics ---- */

/* Context of one validation pass: where diagnostics go and how positions are
 * found. `pos` may be NULL (no positions, e.g. after an edit). */
typedef struct ha__dctx {
  ha_diags *diags;
  const char *file;
  ha__posmap *pos;
  size_t errors, warnings;
  int oom;
} ha__dctx;

/* Drop the diagnostics after the first `n` (and their counts). */
void ha__diags_truncate(ha_diags *d, size_t n);
/* Add a diagnostic at `path` (position of the value, or of the key when
 * at_key). Counts errors/warnings in the context even when diags is NULL. */
void ha__diag(ha__dctx *c, ha_diag_severity sev, const char *path, int at_key, const char *fmt, ...)
    HA__PRINTF(5, 6);
/* Add with an explicit position (jansson syntax errors). */
void ha__diag_at(ha__dctx *c, ha_diag_severity sev, int line, int column, const char *path,
                 const char *fmt, ...) HA__PRINTF(6, 7);
/* The reporter of the passes that walk a document with a path (the
 * compiler, the .hpx import, the editor's request checks): add at `path`
 * (NULL: the document), or at `key` below it when `key` is not NULL (pushed
 * for the report, then popped; needs a path); `at_key` places it at the
 * key rather than the value. The message is cut at 479 bytes. */
void ha__diag_below(ha__dctx *c, ha__path *path, ha_diag_severity sev, const char *key, int at_key,
                    const char *fmt, ...) HA__PRINTF(6, 7);

/* ---- the compiled view ---- */

typedef struct ha__edit_op ha__edit_op;

/* An animation's parameter set, shared by the models an edit derives from
 * one another (an edit recompiles only what it touched). */
typedef struct ha__shared_params {
  int refs;
  ha_params *p;
} ha__shared_params;

/* NULL is a no-op. */
void ha__shared_params_unref(ha__shared_params *sp);

typedef struct ha__show_model {
  int refs;
  json_t *doc; /* owned reference; never modified after compilation */
  ha__arena arena;
  const char *name;
  ha_show_track *tracks;
  size_t ntracks;
  ha_show_animation *anims;
  size_t nanims;
  ha__shared_params **params; /* one reference each, one per animation */
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
  ha_show_mapping *mappings;
  size_t nmappings;
  ha_show_timeline timeline; /* show_compile_timeline.c */
  size_t start_actions;      /* inline start actions over all cues */
  size_t *start_anim;        /* [start_actions]: the animation inline start k plays */
  ha__idmap track_index;     /* id -> index (place: its place in the document) */
  size_t warnings;           /* warnings its compile said (recompiles: at least) */
} ha__show_model;

/* Validate `doc` (format HA_SHOW_FORMAT, already migrated) and build its
 * view. Diagnostics go to `c`. Returns HA_OK with *out (which takes a new
 * reference to doc), HA_EPARSE when there were errors, HA_ENOMEM. */
ha_status ha__show_compile(json_t *doc, ha__dctx *c, ha__show_model **out);
/* The same, taking from `prior` (the model of the document `doc` was edited
 * from, or NULL) what needs no compiling again: an animation whose JSON
 * object is the very one `prior` compiled (an edit shares every value it
 * did not reach) keeps its compiled form and parameter set, unless `prior`
 * said warnings (they would not be said again). */
ha_status ha__show_compile_from(const ha__show_model *prior, json_t *doc, ha__dctx *c,
                                ha__show_model **out);
/* Recompile only what `ops` (applied to the old model's document, giving
 * `doc`) touched, in a copy of `old` that takes a reference to doc: an
 * element's field, the element (and what copies it: a group's actions, an
 * animation's default stop fades, a preset's actions); a cue, the cues; a
 * small section, that section. Returns HA_OK with *out, or HA_EAGAIN when
 * a full ha__show_compile must do it: a change it does not follow (an
 * element added or removed, an id or a name, a whole section) or one with
 * errors (the full pass words them the way a load does; the diagnostics
 * this one added are left to the caller to drop). HA_ENOMEM. */
ha_status ha__show_recompile(const ha__show_model *old, json_t *doc, const ha__edit_op *ops,
                             size_t n, ha__dctx *c, ha__show_model **out);
void ha__show_model_ref(ha__show_model *m);
void ha__show_model_unref(ha__show_model *m);
/* The index of the cue numbered `number` (within 1e-9) among the first
 * `count` of `cues`, SIZE_MAX when none: the one rule of ha_show_cue_find,
 * ha_show_fire_cue and the compiler's duplicate check (which runs before
 * the model has its table, hence the array). */
size_t ha__show_cue_index(const ha_show_cue *cues, size_t count, double number);

/* Bring a document of an older format up to HA_SHOW_FORMAT in place (the
 * posmap learns renamed keys). Reports a newer or unknown format as an
 * error and returns HA_EUNSUPPORTED / HA_EPARSE. */
ha_status ha__show_migrate(json_t *doc, ha__dctx *c, ha__posmap *pos, int *source_format);

/* ---- the show object ---- */

struct ha__edit_op {
  int op; /* 0 add, 1 remove, 2 replace */
  char *pointer;
  json_t *value; /* NULL for remove */
};

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
ha_status ha__show_load_text(const char *text, size_t len, const char *name, unsigned flags,
                             ha_show **out, ha_diags *diags);
void ha__history_entry_free(ha__history_entry *e);

/* ---- JSON helpers and the file reader (show_json.c) ---- */

/* The one file reader of ha_show_load_file(_ex) and ha_show_import_hpx:
 * read the file at `path` (rules at HA_SHOW_MAX_FILE_BYTES; `flags` are
 * HA_SHOW_LOAD_*) and hand its text to `load`, named by the path so
 * diagnostics say which file. A file that cannot be read is one
 * diagnostic, "PATH: cannot read: <reason>", and HA_EIO or HA_ENOMEM. */
typedef ha_status (*ha__show_text_loader)(const char *text, size_t len, const char *name,
                                          unsigned flags, ha_show **out, ha_diags *diags);
ha_status ha__show_load_path(const char *path, unsigned flags, ha__show_text_loader load,
                             ha_show **out, ha_diags *diags);
/* The reader alone: the file's text (malloc'd, NUL-terminated) in *text,
 * or the same one diagnostic and status. */
ha_status ha__show_read_path(const char *path, unsigned flags, char **text, size_t *len,
                             ha_diags *diags);
/* The reason of a JSON syntax error for a diagnostic: jansson's text, or
 * with HA_SHOW_LOAD_NO_CONTENT a fixed text by its error code (jansson's
 * quotes the bytes near the error). */
const char *ha__json_error_reason(const json_error_t *je, unsigned flags);

/* Canonical pretty text of a document (see ha_show_save_string). */
ha_status ha__show_dump(const json_t *doc, char **out, size_t *len);
/* One-line text of any value (document order, shortest numbers). */
ha_status ha__json_compact(const json_t *v, char **out);
/* "a string", "a number", "an object", ... for messages. */
const char *ha__json_kind(const json_t *v);
/* How ha__json_xyz reads a point. */
enum {
  HA__XYZ_ONLY = 1u,  /* the object has no keys but x, y and z */
  HA__XYZ_ARRAY = 2u, /* a 3-element array is taken too, copied as it is */
  HA__XYZ_REAL = 4u   /* the object's numbers become reals (1 -> 1.0); else kept */
};
/* The point {x, y, z} (three numbers) of `v` as a new [x, y, z]; NULL when
 * `v` (which may be NULL) is not one. */
json_t *ha__json_xyz(const json_t *v, unsigned how);

json_t *ha__pointer_get(json_t *root, const char *pointer);
/* JSON Pointer (RFC 6901) for a change: the parent container and the last
 * token; HA_EINVAL (malformed), HA_ENOTFOUND (a missing intermediate),
 * HA_ENOMEM. `root` is the caller's own (shallow)
 * copy of a document it shares with others, and each container on the way
 * that is shared (referenced more than once) is replaced by a shallow copy
 * first, so the change leaves every other holder's document as it was and
 * copies only the containers on the pointer's way. */
ha_status ha__pointer_parent_own(json_t *root, const char *pointer, json_t **parent, char *token,
                                 size_t cap);
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
    ha__schema_control, ha__schema_sync, ha__schema_feedback, ha__schema_mapping,
    ha__schema_timeline, ha__schema_clip, ha__schema_marker;
/* True when `key` is one of the schema's keys. */
int ha__schema_has(const ha__schema *s, const char *key);

/* ---- the cue interpreter (show_cue.c) ---- */

/* ha_show_cue_ops on a compiled view (an offline instance keeps the view,
 * not the show). A missing cue is HA_ENOTFOUND with err saying "no cue
 * index N" (ha__show_no_cue), whichever sink asked. */
ha_status ha__show_cue_ops(const ha__show_model *m, size_t cue, ha_show_op_fn fn, void *user,
                           ha_error *err);
ha_status ha__show_no_cue(ha_error *err, size_t cue);
/* The operation that starts group `group` (< m->ngroups), as its start
 * action does; and the one that stops it with `fade` seconds (< 0: the
 * fadeOut of its animation, as a stop action without "fade"). Both sinks
 * take them from here, so a direct start or stop means the same live and
 * offline. */
ha_show_op ha__show_group_start_op(const ha__show_model *m, size_t group);
ha_show_op ha__show_group_stop_op(const ha__show_model *m, size_t group, double fade);

/* ---- playing on an engine (show_run.c, show_timeline.c) ---- */

typedef struct ha__motion_rec {
  ha_motion *m;
  ha_anim_id anim;
  int running;
  int timeline; /* the timeline starts it (a clip, or a marker's cue): a rebuild stops it */
} ha__motion_rec;

/* One thing the timeline does at a time: kind 0 a clip ends, 1 a clip
 * starts, 2 a marker fires (the order at one time), `index` the clip or
 * marker. */
typedef struct ha__tl_event {
  double time;
  int kind;
  size_t index;
} ha__tl_event;

struct ha_show_instance {
  ha__show_model *model;
  ha_engine *e;           /* a player's timeline: set by each call of its driver */
  ha__motion_rec *groups; /* one per group: tag g */
  ha__motion_rec *starts; /* one per inline start action: tag HA_SHOW_TAG_INLINE | k */
  size_t nstarts;
  ha__motion_rec *clips; /* one per clip: tag HA_SHOW_TAG_CLIP | k */
  size_t nclips;
  ha__tl_event *events; /* the timeline's, in the order they apply */
  size_t nevents;
  double tl_last;          /* where the timeline was played to (NAN: rebuild) */
  double *sx, *sy, *sz;    /* an evaluation's positions at an event's time */
  unsigned char *tl_track; /* per show track: a clip moves it (a rebuild resets it) */
  uint32_t *unlocked;      /* a start's tracks without the locked ones (ntracks) */
};

/* An instance of `show` on `engine` (may be NULL: set before use): the
 * motions and the timeline's events, no track added, nothing started. */
ha_status ha__show_instance_make(const ha_show *show, ha_engine *engine, ha_show_instance **out,
                                 ha_error *err);
/* Stop what the instance plays on its engine (fade 0); free it (without
 * touching any engine). */
void ha__show_instance_detach(ha_show_instance *inst);
void ha__show_instance_free(ha_show_instance *inst);
void ha__show_run_stop_rec(ha_show_instance *inst, ha__motion_rec *r, double fade);
/* The motion records: the groups', then the inline starts', then the clips'
 * (ha__show_run_rec_at, i < ha__show_run_rec_count); the one answering to a
 * tag (NULL: not one of the show's). */
size_t ha__show_run_rec_count(const ha_show_instance *inst);
ha__motion_rec *ha__show_run_rec_at(const ha_show_instance *inst, size_t i);
ha__motion_rec *ha__show_run_rec_of_tag(ha_show_instance *inst, uint32_t tag);
/* One operation / a cue's operations applied at transport time t. */
ha_status ha__show_instance_apply(ha_show_instance *inst, const ha_show_op *op, double t,
                                  ha_error *err);
ha_status ha__show_instance_fire(ha_show_instance *inst, size_t cue, double t, ha_error *err);
/* The clips' motions and the sorted events (show_timeline.c). */
ha_status ha__show_timeline_prepare(ha_show_instance *inst, ha_error *err);

/* ---- the compiler's reading kit (show_fields.c) ---- */

#define HA__TRACK_ID_MAX 999999
#define HA__POS_MAX 1000.0
#define HA__SECONDS_MAX 3600.0

/* One compilation pass: where it reports, where it is in the document, the
 * model it fills and the names each section registers for later ones. */
/* Work done on the input that grows with it (name probes, duplicate
 * comparisons), counted into the load's diagnostics (ha_diags_work; nothing
 * when it has none) for the tests that hold loading to O(n log n) without
 * timing it (tests/test_show_large.c). c: the load's ha__dctx. */
void ha__diags_add_work(ha_diags *d, uint64_t n);
#define HA__PROBE(c, n) ha__diags_add_work((c)->diags, (uint64_t)(n))

typedef struct ha__auto_node {
  size_t group, prev; /* prev: 1 + the node before on the same track, 0: none */
} ha__auto_node;

typedef struct ha__compiler {
  ha__dctx *c;
  ha__path path;
  ha__show_model *m;
  const ha__show_model *prior; /* ha__show_compile_from's, or NULL */
  const json_t *prior_anims;   /* its document's animations */
  ha__strmap anim_names, group_names, preset_names, output_names;
  ha__strmap cue_osc; /* OSC address -> the first cue it fires */
  size_t *cue_same;   /* per cue, the first earlier cue of its number, or SIZE_MAX
                         (show_compile_cues.c); NULL: scan */
  /* autoStart groups by track (show_compile_cues.c): track id -> 1 + its
   * last node; a node is one (group, track) entry and links the one before */
  size_t *track_seen, track_stamp; /* per track, the last ha__cc_track_list call
                                      listing it (track_stamp counts calls) */
  ha__idmap auto_track;
  struct ha__auto_node *auto_nodes;
  size_t auto_count, auto_cap;
  /* the places of the tracks of the preset the last preset action named
   * (show_compile_cues.c) */
  const ha_show_preset *preset_where_of;
  ha__idmap preset_where;
} ha__compiler;

/* The JSON path being compiled ("" at the root). */
const char *ha__cc_path(const ha__compiler *x);
/* Reports (ha__diag_below) at the current path or at `key` below it: an
 * error at the value (err, err_key) or at the current path's own key
 * (err_at_key: a bad map key), a warning at the value (warn) or at the key
 * (warn_key). */
#define ha__cc_err(x, ...) ha__diag_below((x)->c, &(x)->path, HA_DIAG_ERROR, NULL, 0, __VA_ARGS__)
#define ha__cc_err_key(x, key, ...) \
  ha__diag_below((x)->c, &(x)->path, HA_DIAG_ERROR, (key), 0, __VA_ARGS__)
#define ha__cc_err_at_key(x, ...) \
  ha__diag_below((x)->c, &(x)->path, HA_DIAG_ERROR, NULL, 1, __VA_ARGS__)
#define ha__cc_warn(x, ...) \
  ha__diag_below((x)->c, &(x)->path, HA_DIAG_WARNING, NULL, 0, __VA_ARGS__)
#define ha__cc_warn_key(x, key, ...) \
  ha__diag_below((x)->c, &(x)->path, HA_DIAG_WARNING, (key), 1, __VA_ARGS__)
void ha__cc_type_error(ha__compiler *x, const char *want, const json_t *v);
/* Zeroed memory from the model's arena (n = 0 is fine); NULL sets oom. */
void *ha__cc_alloc(ha__compiler *x, size_t n);
/* Warn about each key of `obj` the schema does not have (with a "did you
 * mean" when one is close). */
void ha__cc_unknown_keys(ha__compiler *x, const json_t *obj, const ha__schema *s);

/* Index of `s` among the words of `list` separated by `sep` ("a|b|c"),
 * compared exactly; -1 when absent. */
int ha__list_index(const char *list, char sep, const char *s);
/* Readers of a value at the current path: 1 read, -1 reported. */
int ha__cc_number(ha__compiler *x, const json_t *v, double min, double max, double *out);
int ha__cc_integer(ha__compiler *x, const json_t *v, double min, double max, long long *out);
/* Each element of the array `v` into out[] within [-lim, lim]. */
int ha__cc_numbers(ha__compiler *x, const json_t *v, double lim, double *out);
int ha__cc_vec3(ha__compiler *x, const json_t *v, double lim, ha_vec3 *out);
/* 1 with *out when `v` is [x, y, z] within [-lim, lim] (what ha__cc_vec3
 * accepts), else 0; reports nothing. */
int ha__json_vec3_ok(const json_t *v, double lim, ha_vec3 *out);
int ha__cc_string(ha__compiler *x, const json_t *v, int nonempty, const char **out);
/* Index of the string among "a|b|c". */
int ha__cc_choice(ha__compiler *x, const json_t *v, const char *choices, int *out);
/* 1 for an object; else reported, 0. */
int ha__cc_object(ha__compiler *x, const json_t *v);

/* Readers of the field `key` of `o`: 1 read, 0 absent (and not `req`),
 * -1 reported (a missing required field too). */
int ha__cc_get_number(ha__compiler *x, const json_t *o, const char *key, int req, double min,
                      double max, double *out);
int ha__cc_get_integer(ha__compiler *x, const json_t *o, const char *key, int req, double min,
                       double max, long long *out);
int ha__cc_get_vec3(ha__compiler *x, const json_t *o, const char *key, int req, double lim,
                    ha_vec3 *out);
int ha__cc_get_string(ha__compiler *x, const json_t *o, const char *key, int req, int nonempty,
                      const char **out);
int ha__cc_get_bool(ha__compiler *x, const json_t *o, const char *key, bool *out);
int ha__cc_get_choice(ha__compiler *x, const json_t *o, const char *key, const char *choices,
                      int *out);
/* An easing name ("cubic-in-out"); *out is left alone when absent. */
int ha__cc_get_easing(ha__compiler *x, const json_t *o, const char *key, ha_easing *out);
/* The array at `key` (NULL when absent or not an array: reported). */
const json_t *ha__cc_get_array(ha__compiler *x, const json_t *o, const char *key, int req);

/* The optional object at `key` of `o` with `key` pushed on the path (pop
 * with ha__path_pop(&x->path, *mark)) and, with a schema, its unknown keys
 * warned about. NULL, path unchanged, when absent or not an object
 * (reported). */
const json_t *ha__cc_open_object(ha__compiler *x, const json_t *o, const char *key,
                                 const ha__schema *schema, size_t *mark);

/* An array section of objects ("tracks", "cues", a cue's "actions"). */
typedef struct ha__cc_section_spec {
  const char *key;
  size_t item_size;
  int required;              /* absence is an error (and no table is made) */
  const char *empty_warning; /* said at the array when it is empty, or NULL */
  /* Defaults of every element, object or not, that the element compiler
   * or a later element can see (NULL: zeroes). */
  void (*blank)(void *item);
  /* Compile the object `o`, element `index` of the table `items` (whose
   * earlier elements are already compiled), at the path "key[index]". */
  void (*element)(ha__compiler *x, const json_t *o, size_t index, void *items);
} ha__cc_section_spec;
/* Walk the array at s->key of `parent`: allocate its table in the arena,
 * compile each element under its path, report elements that are not
 * objects. Returns the table (and its length in *count when not NULL);
 * NULL on ENOMEM or when a required array is missing or not an array. An
 * absent optional array gives an empty table. */
void *ha__cc_section(ha__compiler *x, const json_t *parent, const ha__cc_section_spec *s,
                     size_t *count);

/* Tracks and names registered so far. */
const ha__idmap_slot *ha__cc_track_slot(const ha__compiler *x, long long id);
size_t ha__cc_track_lookup(const ha__compiler *x, long long id); /* SIZE_MAX: none */
/* A map key naming a known track ("3"); reported at the key, -1, if not. */
int ha__cc_track_key(ha__compiler *x, const char *k, long long *id);
/* The required unique "name" of `o`, registered in `names` as `index` (a
 * duplicate is reported naming section[other index]); *out is "" when it
 * could not be read. Returns as a reader. */
int ha__cc_name(ha__compiler *x, const json_t *o, ha__strmap *names, const char *what,
                const char *section, size_t index, const char **out);
/* The index registered for `name`; else reported at `key`, SIZE_MAX. */
size_t ha__cc_ref(ha__compiler *x, const ha__strmap *names, const char *key, const char *name,
                  const char *what);
/* A list of track ids at `key` of `o`: every id must be a known track, none
 * twice. Returns the count (ids in *out from the arena), -1 on error. */
long ha__cc_track_list(ha__compiler *x, const json_t *o, const char *key, int req, int nonempty,
                       const char *what, uint32_t **out);

/* A compiler filling `m` and reporting to `c` (empty name tables), and its
 * end (the tables freed; the model stays). */
void ha__compiler_init(ha__compiler *x, ha__dctx *c, ha__show_model *m);
void ha__compiler_deinit(ha__compiler *x);
/* One element compiled again in place at the current path (the element
 * `o` of its section, index i): what an edit of its fields needs. A
 * track's id and the names are not registered (an edit of those compiles
 * the whole show). Each returns 1 when the element compiled without
 * errors. */
int ha__compile_track_at(ha__compiler *x, const json_t *o, size_t i);
void ha__compile_animation_at(ha__compiler *x, const json_t *o, size_t i);
void ha__compile_group_at(ha__compiler *x, const json_t *o, size_t i);
void ha__compile_preset_at(ha__compiler *x, const json_t *o, size_t i);
/* Cue `i` of `doc` compiled again (the inline start tags it had kept);
 * HA_EAGAIN when its number of inline starts changed (the cues after it
 * would be renumbered) or its number or OSC address clashes with another
 * cue's. */
ha_status ha__compile_cue_at(ha__compiler *x, const json_t *doc, size_t i);
/* After group g, animation a or preset p was compiled again: the actions
 * of the cues that copy from it brought up to date (a group's tracks and
 * settings, the default fade of a stop, a preset action's tracks). */
void ha__compile_group_actions(ha__compiler *x, const json_t *doc, size_t g);
void ha__compile_stop_fades(ha__compiler *x, const json_t *doc, size_t a);
void ha__compile_preset_actions(ha__compiler *x, const json_t *doc, size_t p);
/* The tracks' gains shared by the outputs, from the tracks table. */
void ha__compile_gains(ha__compiler *x);

/* The section compilers, in document order (show_compile.c,
 * show_compile_cues.c, show_compile_io.c). */
void ha__compile_metadata(ha__compiler *x, const json_t *doc);
void ha__compile_tracks(ha__compiler *x, const json_t *doc);
void ha__compile_animations(ha__compiler *x, const json_t *doc);
void ha__compile_groups(ha__compiler *x, const json_t *doc);
void ha__compile_presets(ha__compiler *x, const json_t *doc);
void ha__compile_cues(ha__compiler *x, const json_t *doc);
void ha__compile_outputs(ha__compiler *x, const json_t *doc);
void ha__compile_limits(ha__compiler *x, const json_t *doc);
void ha__compile_control(ha__compiler *x, const json_t *doc);
void ha__compile_mappings(ha__compiler *x, const json_t *doc); /* show_compile_map.c */
void ha__compile_timeline(ha__compiler *x, const json_t *doc); /* show_compile_timeline.c */

/* ---- importing .hpx projects (show_import.c, show_import_params.c) ---- */

/* One import: the project read, the show being built, where in the .hpx
 * the import is (warnings carry its positions), and the project's ids. */
typedef struct ha__hpx {
  ha__dctx *c;
  ha__path path; /* in the .hpx */
  json_t *src;
  json_t *out;
  ha__strmap track_ids;      /* track string id -> holophonix index */
  ha__strmap anim_ids;       /* animation id -> index in out.animations */
  ha__strmap anim_names;     /* names given so far */
  ha__strmap group_of_anim;  /* animation id -> index in out.groups */
  ha__strmap groups_of_anim; /* animation id -> how many groups from there (v2.3
                                imports one per track) */
  ha__strmap preset_ids;     /* preset id -> index in out.presets */
  ha__strmap preset_names;
  ha__strmap name_next; /* "<names map>\x1f<base>" -> the suffix to try next */
  int v20;              /* saved by v2.0 (ha__hpx_is_v20), else v2.3 */
} ha__hpx;

/* A warning at the current .hpx path, or at `key` below it, pointing at
 * the key (ha__diag_below). */
#define ha__hpx_warn(m, ...) \
  ha__diag_below((m)->c, &(m)->path, HA_DIAG_WARNING, NULL, 1, __VA_ARGS__)
#define ha__hpx_warn_key(m, key, ...) \
  ha__diag_below((m)->c, &(m)->path, HA_DIAG_WARNING, (key), 1, __VA_ARGS__)
/* How the import reads a project's points: {x, y, z} (other keys ignored)
 * with its numbers as reals, or a [x, y, z] array copied as it is. */
#define HA__HPX_XYZ (HA__XYZ_ARRAY | HA__XYZ_REAL)
/* A new number: an integer when whole (below 1e15), else a real. */
json_t *ha__hpx_num(double v);
/* Set `key` of `obj` to the new value `v` (taking it) when `v` is not
 * NULL; 1 when set. */
int ha__hpx_set(json_t *obj, const char *key, json_t *v);
/* The string at `key` of `o`, or NULL. */
const char *ha__hpx_str(const json_t *o, const char *key);
/* New arrays [x, y, z] and [w, x, y, z] (numbers as ha__hpx_num). */
json_t *ha__hpx_vec(ha_vec3 v);
json_t *ha__hpx_quat(ha_quat q);
/* A formation member's place beside its path as the animation parameters
 * `offset` (`off` turned `from` degrees about the unit `axis`) and, when
 * `by` is not 0, `offsetTurn` (axis·by: `by` degrees more per cycle): the
 * originals' rotating formations (v2.3 calculateRotationAngle, v2.0
 * rotateOffsetForAnimation). */
void ha__hpx_set_offset(json_t *params, ha_vec3 off, ha_vec3 axis, double from, double by);
/* A new group `name` playing the animation of the same name on `tracks`
 * (taken), held `delay` seconds first when > 0. */
json_t *ha__hpx_group(const char *name, json_t *tracks, double delay);
/* Point the path at tracks[j].animationState.animation (a track's own copy
 * of an animation), or back at animations[i], both from the root. */
void ha__hpx_path_track_anim(ha__hpx *m, size_t j);
void ha__hpx_path_anim(ha__hpx *m, size_t i);
/* Warn at `coordinateSystem` of animation `a` when it is not xyz. */
void ha__hpx_warn_coords(ha__hpx *m, const json_t *a);
/* Warn "not imported: `why`" at every key of object `o` (at `key` below
 * the current path, or the current object for NULL) not in the '|' list
 * `known`. */
void ha__hpx_warn_keys(ha__hpx *m, const json_t *o, const char *key, const char *known,
                       const char *why);
/* A new show animation `name` with the duration (10 s when missing or not
 * above 0, into *T) and loop of animation `a`: both versions ping-pong only
 * when loop is set too (else played once, warned). */
json_t *ha__hpx_anim_timing(ha__hpx *m, const json_t *a, const char *name, double *T);
/* An easing name the engine knows (cubic-bezier: cubic-in-out, warned). */
json_t *ha__hpx_easing(ha__hpx *m, const json_t *v);
/* Keyframes [{time, position {x,y,z}, interpolation}] -> the show's. */
json_t *ha__hpx_keyframes(ha__hpx *m, const json_t *v);
/* An animation's parameters `src` (of model `mi`) into `out`, renamed and
 * converted; what has no equivalent is warned about. */
void ha__hpx_params(ha__hpx *m, const ha_model_info *mi, const json_t *src, json_t *out);
/* Drop, one at a time with a warning each, the parameters of `anim` the
 * engine refuses, so the model's defaults apply. */
void ha__hpx_settle_params(ha__hpx *m, const char *model, json_t *anim, const char *src_params_key);

/* Holophonix index of a project track id (string), or 0. */
long long ha__hpx_track_index(const ha__hpx *m, const json_t *id);
/* A list of project track ids mapped to indices; unknown ones warned about. */
json_t *ha__hpx_map_tracks(ha__hpx *m, const json_t *ids, const char *key);
/* A unique name: the project's, else "<fallback> N"; a clash gets " (2)",
 * " (3)", ... and a warning at `key` of the current path. */
const char *ha__hpx_unique_name(ha__hpx *m, ha__strmap *names, const char *want, char *buf,
                                size_t cap, const char *fallback, size_t n, const char *key);
/* An animation's multi-track mode, phase and centre into group `g`. */
void ha__hpx_mode(ha__hpx *m, const json_t *a, json_t *g);

/* Where imported animations go: the show's animations, and the groups of
 * animations locked to tracks. */
typedef struct ha__hpx_anims {
  json_t *anims, *groups;
} ha__hpx_anims;
/* 1 when the project was saved by v2.0 (told by content: both versions
 * write metadata.version "2.0.0"). */
int ha__hpx_is_v20(const json_t *src);
/* Import animation `a` (index i of animations[]) of a v2.3 / v2.0 project. */
void ha__hpx_v23_animation(ha__hpx *m, const json_t *a, size_t i, ha__hpx_anims *out);
void ha__hpx_v20_animation(ha__hpx *m, const json_t *a, size_t i, ha__hpx_anims *out);
/* v2.0 (show_import_v20*.c): how formation offsets turn with a rotating
 * type (its rotateOffsetForAnimation): `from` + `by`·τ/T degrees about
 * `axis`; `turns` 0 for the types whose offsets stay fixed. */
typedef struct ha__hpx_v20_turn {
  int turns;
  ha_vec3 axis;
  double from, by;
} ha__hpx_v20_turn;
/* 1 when a v2.0 animation type has a model. */
int ha__hpx_v20_known(const char *type);
/* The engine model and parameters (into `out`) of the animation `ta` a
 * track plays (`track`, NULL for an animation no track plays); NULL when
 * the type has no model. */
const char *ha__hpx_v20_params(ha__hpx *m, const json_t *ta, const json_t *track, json_t *out,
                               ha__hpx_v20_turn *turn);
/* A custom animation's keyframes as v2.0 plays them (interpolation
 * linear | bezier | step). */
json_t *ha__hpx_v20_keys(ha__hpx *m, const json_t *kf, const json_t *ta, const json_t *track,
                         const char *interp);

#endif
