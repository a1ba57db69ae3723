/* holoanim: show files — load, validate, save, import, edit with undo, and
 * play offline.
 *
 * A show is a JSON document (docs/show-format.md, docs/show.schema.json):
 * tracks, animations, groups, position presets, cues, outputs, venue limits
 * and remote control. Loading parses it once and validates everything:
 * every animation is built with ha_motion_create, so the engine's own words
 * explain a bad value, prefixed with the JSON path of the field and its
 * file:line:column ("show.json:14:23: animations[2].parameters.radius: -1 is
 * below the minimum 0"). Every problem of a file is reported, not only the
 * first; unknown fields are warnings.
 *
 * Ownership and lifetime
 * - An `ha_show` owns its document and a compiled, read-only view of it
 *   (the arrays returned by the accessors below). Every pointer an accessor
 *   returns (structs, strings, track lists, parameter sets) stays valid until
 *   the next successful change of the show (ha_show_edit*, undo, redo) or
 *   ha_show_destroy, whichever comes first; the version counter tells when.
 * - An `ha_show_instance` (ha_show_instantiate) keeps its own reference to
 *   the compiled view it was made from, so it survives later edits and even
 *   ha_show_destroy; it owns the motions it starts on the engine.
 *
 * Thread: a show is used by one thread at a time (a control thread). The
 * instance functions marked tick-safe never allocate.
 */
#ifndef HOLOANIM_SHOW_H
#define HOLOANIM_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "easing.h"
#include "engine.h"
#include "error.h"
#include "group.h"
#include "math.h"
#include "motion.h"
#include "timing.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The show format this build writes; it reads every format from 0 up to it
 * and migrates older ones forward. */
#define HA_SHOW_FORMAT 2

/* ---- diagnostics ---- */

typedef enum ha_diag_severity {
  HA_DIAG_ERROR = 0, /* the show is invalid */
  HA_DIAG_WARNING,   /* ignored or suspicious input; the show loads */
  HA_DIAG_NOTE       /* information (e.g. "migrated from format 0") */
} ha_diag_severity;

typedef struct ha_diag {
  ha_diag_severity severity;
  const char *file;    /* file or source name as given ("" when none) */
  int line, column;    /* 1-based; 0 when unknown (e.g. after an edit) */
  const char *path;    /* JSON path: "animations[2].parameters.radius" ("" = document) */
  const char *message; /* what is wrong, without the path */
} ha_diag;

/* A growing list of diagnostics, owned by the caller. */
typedef struct ha_diags ha_diags;

ha_status ha_diags_create(ha_diags **out);
/* NULL is a no-op. */
void ha_diags_destroy(ha_diags *d);
void ha_diags_clear(ha_diags *d);
size_t ha_diags_count(const ha_diags *d);
/* Work the loads and imports reporting into d did on their input that grows
 * with it (name probes, duplicate comparisons), summed: a count for tests
 * that hold loading to O(n log n) without timing it. 0 for NULL. */
uint64_t ha_diags_work(const ha_diags *d);
/* The i-th diagnostic (NULL past the end); valid until the list changes. */
const ha_diag *ha_diags_at(const ha_diags *d, size_t i);
size_t ha_diags_errors(const ha_diags *d);
size_t ha_diags_warnings(const ha_diags *d);

/* One line, no newline: "show.json:14:23: animations[2].parameters.radius:
 * -1 is below the minimum 0" for errors; warnings and notes say so after the
 * position ("show.json:3:5: warning: tracks[0].colour: unknown field, ...").
 * The position is left out when unknown. snprintf semantics: returns the
 * length of the full line (it is truncated when >= cap). Thread: any. */
int ha_diag_format(const ha_diag *d, char *buf, size_t cap);

/* ---- the compiled show: plain data ---- */

typedef struct ha_show_track {
  uint32_t id;      /* Holophonix track index, >= 1 */
  const char *name; /* "" when not given */
  char color[8];    /* "#rrggbb" ("" when not given) */
  ha_vec3 position; /* base position (m) */
  bool has_gain;
  double gain; /* dB, when has_gain */
  bool mute;   /* sends nothing to any output (still computed and shown) */
  bool solo;   /* when any track is soloed, only soloed tracks send */
  bool lock;   /* cues, group starts, gotos and stops leave it where it stands */
} ha_show_track;

typedef struct ha_show_animation {
  const char *name;         /* unique */
  const char *model;        /* canonical model name ("circular") */
  const ha_params *params;  /* as written, validated by ha_motion_create */
  ha_timing timing;         /* duration, loop, speed */
  double fade_in, fade_out; /* seconds (fade_out: default fade of stops) */
} ha_show_animation;

typedef struct ha_show_group {
  const char *name;
  const uint32_t *tracks; /* selection order (phase offsets follow it) */
  size_t track_count;
  size_t animation;  /* index into the animations */
  ha_anim_spec spec; /* mode, phaseOffset, phaseSpread, ... */
  bool auto_start;   /* started by ha_show_instantiate */
} ha_show_group;

typedef struct ha_show_preset {
  const char *name;
  const uint32_t *tracks;   /* in the document's order (stagger order) */
  const ha_vec3 *positions; /* one per track */
  size_t count;
} ha_show_preset;

typedef enum ha_show_action_type {
  HA_SHOW_ACTION_START = 0, /* start a group, or an animation on tracks */
  HA_SHOW_ACTION_STOP,      /* stop a group / an animation / tracks / everything */
  HA_SHOW_ACTION_PRESET,    /* move tracks to a preset's positions */
  HA_SHOW_ACTION_GOTO       /* move one track to a position */
} ha_show_action_type;

typedef enum ha_show_target {
  HA_SHOW_TARGET_ALL = 0,   /* stop: every track of the show */
  HA_SHOW_TARGET_GROUP,     /* start/stop a group */
  HA_SHOW_TARGET_ANIMATION, /* start an animation on `tracks`; stop every use of it */
  HA_SHOW_TARGET_TRACKS     /* stop what drives `tracks` */
} ha_show_target;

typedef struct ha_show_action {
  ha_show_action_type type;
  ha_show_target target;  /* START: GROUP or ANIMATION; STOP: any */
  size_t group;           /* TARGET_GROUP: index into the groups */
  size_t animation;       /* TARGET_ANIMATION (and GROUP: the group's animation) */
  size_t preset;          /* PRESET: index into the presets */
  const uint32_t *tracks; /* START/ANIMATION and STOP/TRACKS: the tracks; PRESET: the
                             subset in preset order (all of the preset's when not given);
                             GOTO: the one track */
  size_t track_count;
  const size_t *preset_index; /* PRESET: where each of `tracks` is in the preset
                                 (its position is positions[preset_index[i]]) */
  ha_anim_spec spec;          /* START/ANIMATION: the group spec; START/GROUP: the group's */
  uint32_t tag;               /* START: the tag of the animation it starts (see "Animation
                                 tags" below); HA_SHOW_NO_TAG for the other types */
  double fade;                /* STOP: seconds to glide back to base (0: stay) */
  ha_vec3 position;           /* GOTO: target (m) */
  double transition;          /* PRESET, GOTO: seconds (0: jump) */
  ha_easing easing;           /* PRESET, GOTO */
  bool aed;                   /* PRESET, GOTO: interpolate in aed (shorter azimuth arc) */
  double stagger;             /* PRESET: delay between successive tracks (s) */
} ha_show_action;

typedef struct ha_show_cue {
  double number;    /* unique, >= 0 (1, 1.5, 2, ...) */
  const char *name; /* "" when not given */
  const char *osc;  /* OSC address that fires it, or NULL */
  const ha_show_action *actions;
  size_t action_count;
} ha_show_cue;

typedef enum ha_show_dialect {
  HA_SHOW_DIALECT_HOLOPHONIX = 0, /* /track/{n}/xyz|aed */
  HA_SHOW_DIALECT_ADM_OSC         /* /adm/obj/{n}/xyz|aed, normalised */
} ha_show_dialect;

/* A track's gain (the tracks' `gain`), as the outputs send it. */
typedef struct ha_show_track_gain {
  uint32_t track; /* show track id */
  double db;
} ha_show_track_gain;

typedef struct ha_show_track_map {
  uint32_t track;  /* show track id */
  uint32_t device; /* index on the device */
} ha_show_track_map;

typedef struct ha_show_output {
  const char *name;
  const char *host;
  uint16_t port;                /* default 4003, 4001 for adm-osc */
  ha_show_dialect dialect;      /* default holophonix */
  bool aed;                     /* coords: false xyz (default), true aed */
  ha_azimuth_sign azimuth_sign; /* holophonix: given or clockwise; adm-osc: counterclockwise */
  double adm_scale;             /* metres for normalised 1.0 (default 10) */
  double rate;                  /* Hz, 1..1000 (default 50) */
  double deadband_position;     /* m (default 0.001) */
  double deadband_angle;        /* degrees (default 0.1) */
  double keep_alive;            /* s: resend unchanged values this often; 0 never (default 1) */
  bool bundle;                  /* send bundles (default false) */
  double bundle_lookahead_ms;   /* timetag lookahead (default 0: immediate) */
  const ha_show_track_map *track_map; /* sorted by show track id */
  const ha_show_track_gain *gains;    /* the tracks' gains (sorted by id), sent by every
                                         output; shared by all outputs */
  size_t gain_count;
  size_t track_map_count;
  bool enabled; /* default true */
  /* "feedback": {"port", "bind"}: where this device's echoes and replies
   * arrive when not on the shared control port: its own UDP port (0: the
   * control port, the default) and address to listen on (NULL: the
   * control's bind, else 127.0.0.1). */
  uint16_t feedback_port;
  const char *feedback_bind;
} ha_show_output;

/* The device index for a show track on an output (the trackMap entry, else
 * the id itself). Thread: any. */
uint32_t ha_show_output_device_index(const ha_show_output *o, uint32_t track);

typedef struct ha_show_control {
  int port;                 /* remote-control UDP port; 0 when not given */
  const char *bind;         /* address to listen on ("bind"); NULL when not given */
  const char *const *allow; /* senders allowed: addresses, CIDR ranges, host names (none: any) */
  size_t allow_count;
  bool allow_loopback; /* "allowLoopback" (default true): loopback senders always allowed */
  /* "sync": follow an external clock on the control port (docs/sync.md). */
  bool sync;             /* sync.source "osc" (default "none": the transport is ours) */
  double sync_tolerance; /* sync.tolerance, s (default 0.1): a larger error seeks */
  double sync_gain;      /* sync.gain, 1/s (default 1): slew per second of error */
  double sync_max_slew;  /* sync.maxSlew (default 0.05): speed within 1 ± this */
  /* "echoFromAny" (default false): device echoes from an address that is no
   * output's device are taken (by track number) instead of ignored. */
  bool echo_from_any;
} ha_show_control;

/* A live-data mapping ("mappings"): the argument `arg` of OSC messages to
 * `address` drives one number of group `group`'s animation, scaled from
 * the input range to the output range (clamped) and smoothed; see
 * docs/show-format.md "Mappings" and ha_show_player_map_osc. */
typedef struct ha_show_mapping {
  const char *address;     /* a plain OSC address ("/desk/fader/1") */
  unsigned arg;            /* which argument of the message (0: the first) */
  size_t group;            /* index into the groups */
  const char *param;       /* the model parameter's canonical name ("radius") */
  int component;           /* -1: a number; 0, 1, 2: x, y, z of a vec3 ("center.x") */
  double in_min, in_max;   /* "input" (default [0, 1]) */
  double out_min, out_max; /* "output": inside the parameter's allowed range */
  double smoothing;        /* s (default 0) */
  bool slew;               /* "smoothingMode" "slew" (default "one-pole") */
  bool integer;            /* an integer parameter: values are rounded */
} ha_show_mapping;

/* The show's timeline ("timeline", format 2; docs/show-format.md
 * "Timeline"): a length, clips that play a group's animation over a span
 * of transport time, and markers that fire a cue when the transport
 * crosses them. A show without one has length 0 and no clips or markers. */
typedef struct ha_show_clip {
  size_t group;      /* index into the groups */
  double start;      /* transport time (s) at which the clip's animation time is 0 */
  double duration;   /* s, > 0: the clip stops at start + duration */
  bool has_loop;     /* "loop" given: it overrides the animation's loop mode */
  ha_loop_mode loop; /* when has_loop */
  double fade_out;   /* s back to base when it stops (the animation's fadeOut; 0: holds) */
} ha_show_clip;

typedef struct ha_show_marker {
  double time; /* s */
  size_t cue;  /* index into the cues */
} ha_show_marker;

typedef struct ha_show_timeline {
  double length; /* s (0: no timeline) */
  const ha_show_clip *clips;
  size_t clip_count;
  const ha_show_marker *markers;
  size_t marker_count;
} ha_show_timeline;

/* Animation tags. Whatever a show starts answers to a tag, unique in the
 * show, so it can be stopped again: group g is tag g, and the k-th start
 * action of an animation on tracks (counting over every cue in document
 * order, from 0) is HA_SHOW_TAG_INLINE | k. A start action's tag is its
 * `tag` field (ha_show_cues(...)[c].actions[a].tag). They are assigned when
 * the show is compiled (loading, every edit), so an edit of the cues may
 * renumber them. */
#define HA_SHOW_TAG_INLINE 0x40000000u
/* Clip k of the timeline answers to HA_SHOW_TAG_CLIP | k (cues never
 * name it: a clip belongs to the timeline). */
#define HA_SHOW_TAG_CLIP 0x20000000u
#define HA_SHOW_NO_TAG 0xffffffffu

/* ---- loading ---- */

typedef struct ha_show ha_show;

/* Load and validate a show file. On success *out is a new show (warnings and
 * notes may have been added to `diags`). On failure *out is NULL and `diags`
 * lists every problem with file, line, column and JSON path. `diags` may be
 * NULL (then only the status tells). Returns HA_OK, HA_EIO (unreadable
 * file), HA_EPARSE (not JSON, or invalid: the errors are in diags),
 * HA_EUNSUPPORTED (written by a newer holoanim), HA_ENOMEM.
 * Thread: control. */
ha_status ha_show_load_file(const char *path, ha_show **out, ha_diags *diags);
/* What the file readers accept (ha_show_load_file, ha_show_import_hpx):
 * a regular file (a FIFO, device, directory or socket is refused at once,
 * never read) of at most HA_SHOW_MAX_FILE_BYTES (64 MiB); the reader takes
 * the size the file has when opened. A symbolic link the caller names is
 * followed unless HA_SHOW_LOAD_NOFOLLOW. Refusals are HA_EIO with one
 * diagnostic, "PATH: cannot read: <what the file is / the limit>". */
#define HA_SHOW_MAX_FILE_BYTES (64u * 1024u * 1024u)
/* ha_show_load_file_ex flags, for files the user did not name (a server's
 * projects folder): NOFOLLOW refuses a symbolic link as the last component
 * of `path` ("a symbolic link, not followed"); NO_CONTENT makes a JSON
 * syntax error say only its position and a fixed reason, never the
 * file's bytes (ha_show_load_file quotes the text near the error). */
#define HA_SHOW_LOAD_NOFOLLOW 1u
#define HA_SHOW_LOAD_NO_CONTENT 2u
ha_status ha_show_load_file_ex(const char *path, unsigned flags, ha_show **out, ha_diags *diags);
/* Same from memory; `name` labels the diagnostics (may be NULL). */
ha_status ha_show_load_string(const char *text, size_t len, const char *name, ha_show **out,
                              ha_diags *diags);
/* An empty, valid show (format 2, no tracks). */
ha_status ha_show_create(ha_show **out);
/* NULL is a no-op. Instances made from the show stay valid. */
void ha_show_destroy(ha_show *show);

/* The format the document had when loaded (0 for a migrated format 0 file);
 * HA_SHOW_FORMAT for shows made or imported in memory. */
int ha_show_source_format(const ha_show *show);

/* ---- reading ---- */

const char *ha_show_name(const ha_show *show);
/* A metadata string ("author", "created", "modified", "notes" or a free
 * key); NULL when absent or not a string. */
const char *ha_show_metadata(const ha_show *show, const char *key);

const ha_show_track *ha_show_tracks(const ha_show *show, size_t *count);
const ha_show_animation *ha_show_animations(const ha_show *show, size_t *count);
const ha_show_group *ha_show_groups(const ha_show *show, size_t *count);
const ha_show_preset *ha_show_presets(const ha_show *show, size_t *count);
const ha_show_cue *ha_show_cues(const ha_show *show, size_t *count);
const ha_show_output *ha_show_outputs(const ha_show *show, size_t *count);
const ha_show_mapping *ha_show_mappings(const ha_show *show, size_t *count);
/* Venue limits (box_enabled false and max_speed 0 when the show has none). */
const ha_limits *ha_show_limits(const ha_show *show);
const ha_show_control *ha_show_control_get(const ha_show *show);
/* The timeline (length 0, no clips or markers when the show has none). */
const ha_show_timeline *ha_show_timeline_get(const ha_show *show);

/* Lookups; SIZE_MAX when absent. Cue numbers match within 1e-9. */
size_t ha_show_track_find(const ha_show *show, uint32_t id);
size_t ha_show_animation_find(const ha_show *show, const char *name);
size_t ha_show_group_find(const ha_show *show, const char *name);
size_t ha_show_preset_find(const ha_show *show, const char *name);
size_t ha_show_cue_find(const ha_show *show, double number);
size_t ha_show_cue_find_osc(const ha_show *show, const char *address);
/* The first cue at index >= `from` whose `osc` address the OSC address
 * pattern `pattern` matches (ha_osc_pattern_match: "/cue/{1,2}" matches
 * /cue/1 and /cue/2); SIZE_MAX when none. Loop with from = hit + 1 for all.
 * Thread: control. */
size_t ha_show_cue_match_osc(const ha_show *show, const char *pattern, size_t from);

/* The first mapping at index >= `from` whose address the OSC address
 * pattern `pattern` matches (as ha_show_cue_match_osc); SIZE_MAX when none.
 * Thread: control. */
size_t ha_show_mapping_match_osc(const ha_show *show, const char *pattern, size_t from);
/* The value mapping i's parameter has in the show (its group's animation
 * as written, else the model's default); NAN past the end. */
double ha_show_mapping_base(const ha_show *show, size_t i);

/* A new motion for the i-th animation (the caller owns it). HA_ENOTFOUND
 * past the end; otherwise as ha_motion_create (cannot fail validation: the
 * show was validated). */
ha_status ha_show_animation_motion(const ha_show *show, size_t i, ha_motion **out, ha_error *err);

/* An engine configuration sized for the show: max_tracks = track count (at
 * least 1), max_animations = groups + start actions + clips + 8, the show's limits. */
ha_engine_config ha_show_engine_config(const ha_show *show);

/* ---- saving ---- */

/* The canonical text of the show: pretty (2 spaces), keys in the documented
 * order (unknown keys kept, after the known ones), numbers in their shortest
 * exact form, ending with a newline. Loading it gives the same text again.
 * *out is malloc'd (free it with free()); *len may be NULL.
 * HA_ENOMEM. Thread: control. */
ha_status ha_show_save_string(const ha_show *show, char **out, size_t *len);

/* Write the canonical text to `path` atomically: a temporary file in the
 * same directory is written, fsynced and renamed over `path`, then the
 * directory is fsynced. The previous file, if any, is kept as `path`.bak
 * (hard-linked, or copied where links are not possible, before the rename).
 * A crash at any point leaves `path` either old or new, never partial;
 * the temporary files such a crash leaves (".NAME.tmp.XXXXXX[.bak]") are
 * removed by the next successful save of the same `path` once they are
 * more than an hour old (a younger one may be a concurrent save's).
 * HA_EIO (err names the step and errno), HA_ENOMEM. Thread: control. */
ha_status ha_show_save_file(const ha_show *show, const char *path, ha_error *err);

/* ---- editing, undo, redo ---- */

/* Apply one JSON-Patch operation (RFC 6902 subset) to the document:
 * op "add" | "remove" | "replace", a JSON Pointer (RFC 6901, e.g.
 * "/animations/0/parameters/radius"; "-" appends to an array) and the value
 * as JSON text (ignored by "remove"). The result is validated as a loaded
 * file would be; if it has errors, nothing changes and `diags` says why
 * (HA_EINVAL), in the words a load of the edited show would use. A change
 * of fields inside an element (a track, an animation, a group, a preset, a
 * cue) or of a small section (name, metadata, outputs, limits, control)
 * compiles only that part again (and what copies from it), so it costs
 * about the same whatever the size of the show; then the warnings added to
 * `diags` are those of that part. Other changes (an element added or
 * removed, a track id, a name, a whole section) compile the whole show,
 * taking each animation the change did not reach from the show as it was
 * (its parameters are not validated again).
 * A change is one undo step and bumps the version.
 * Errors: HA_EINVAL (bad op, pointer, value, or invalid result), HA_ENOMEM.
 * Thread: control. */
ha_status ha_show_edit(ha_show *show, const char *op, const char *pointer, const char *value_json,
                       ha_diags *diags);
/* Several operations as one undo step: `patch_json` is a JSON array of
 * {"op", "path", "value"} objects, applied in order, all or nothing. */
ha_status ha_show_edit_patch(ha_show *show, const char *patch_json, ha_diags *diags);

/* Undo / redo the last change. HA_ESTATE when there is nothing to undo/redo. */
ha_status ha_show_undo(ha_show *show);
ha_status ha_show_redo(ha_show *show);
bool ha_show_can_undo(const ha_show *show);
bool ha_show_can_redo(const ha_show *show);
/* Keep at most `count` undo steps (default 100; 0 disables undo). Older
 * steps are dropped first. */
void ha_show_set_history_limit(ha_show *show, size_t count);
/* Starts at 1; increments on every change (edit, undo, redo). */
uint64_t ha_show_version(const ha_show *show);

/* The JSON text of the value at a JSON Pointer ("" = the whole document),
 * compact. *out is malloc'd. HA_ENOTFOUND, HA_EINVAL (bad pointer). */
ha_status ha_show_get_json(const ha_show *show, const char *pointer, char **out);

/* ---- import ---- */

/* Import a Holophonix Animator project (.hpx, v2.0 to v2.3). Everything
 * that could not be mapped is reported as a warning naming the field; the
 * result is a valid show (on success). Errors: HA_EIO, HA_EPARSE (not JSON
 * or not a project), HA_ENOMEM. Thread: control. */
ha_status ha_show_import_hpx(const char *path, ha_show **out, ha_diags *diags);
ha_status ha_show_import_hpx_string(const char *text, size_t len, const char *name, ha_show **out,
                                    ha_diags *diags);

/* How an import is done; all false is the plain import above. */
typedef struct ha_show_import_options {
  /* Every imported group gets "autoStart": true, so every imported
   * animation starts when the show plays. Off: the original starts them by
   * hand or by cue, and so does the imported show. */
  bool autostart;
} ha_show_import_options;

/* ha_show_import_hpx / _string with options (NULL: all false). Same errors,
 * same thread. */
ha_status ha_show_import_hpx_ex(const char *path, const ha_show_import_options *opts, ha_show **out,
                                ha_diags *diags);
ha_status ha_show_import_hpx_string_ex(const char *text, size_t len, const char *name,
                                       const ha_show_import_options *opts, ha_show **out,
                                       ha_diags *diags);

/* ---- what a cue does ----
 *
 * One interpreter turns the actions of a cue into operations on tracks and
 * tagged animations, in order; the offline instance (ha_show_fire_cue)
 * applies them to its engine, the player glue (ha_show_player_fire_cue)
 * queues them on a player, and anyone can list them (ha_show_cue_ops): the
 * same cue does the same thing everywhere. Per action:
 *   start a group     START (tag = group index, its tracks and settings)
 *   start animation   START (its own tag, the action's tracks and settings)
 *   stop a group      STOP_TAG (the group's tag)
 *   stop animation    STOP_TAG for each group and each start action that
 *                     plays it (whether it runs or not)
 *   stop tracks       STOP_TRACK for each listed track
 *   stop (everything) STOP_TRACK for each track of the show
 *   preset            GOTO for each of its tracks (or the subset), in the
 *                     preset's order, the k-th with delay k·stagger
 *   goto              GOTO (delay 0)
 * A START carries the animation's fadeIn (when it has one) in its spec.
 * The semantics of the cue as a whole: docs/show-format.md, "Cues". */

typedef enum ha_show_op_type {
  HA_SHOW_OP_START = 0,  /* start `animation` on `tracks` with `spec`, answering to `tag` */
  HA_SHOW_OP_STOP_TAG,   /* stop the animation answering to `tag` (nothing if none runs) */
  HA_SHOW_OP_STOP_TRACK, /* stop whatever drives `track` (and its delayed move) */
  HA_SHOW_OP_GOTO        /* move `track` to `position`, `delay` s after the cue */
} ha_show_op_type;

/* Seconds: a cue's animation start (a start action, of a group or inline)
 * glides each track that stands away from where its path starts onto it
 * over this, when the animation has no fadeIn and no takeover fades it
 * (ha_anim_spec.start_glide; the web server's starts glide the same way).
 * Group starts outside cues (autoStart, ha_show_player_start_group) do not. */
#define HA_SHOW_START_GLIDE 1.0

typedef struct ha_show_op {
  ha_show_op_type type;
  size_t action;          /* index of the action in its cue (SIZE_MAX: a group
                             started or stopped directly) */
  uint32_t tag;           /* START, STOP_TAG */
  size_t animation;       /* START: index into the animations */
  size_t group;           /* START, STOP_TAG of a group: its index; else SIZE_MAX */
  ha_anim_spec spec;      /* START (fade_in: the animation's fadeIn when it has one;
                             start_glide: HA_SHOW_START_GLIDE in a cue) */
  const uint32_t *tracks; /* START: selection order (points into the show) */
  size_t track_count;
  uint32_t track;   /* STOP_TRACK, GOTO */
  double fade;      /* STOP_TAG, STOP_TRACK: seconds back to base (0: stay) */
  ha_vec3 position; /* GOTO: target (m) */
  double duration;  /* GOTO: seconds (0: jump) */
  ha_easing easing; /* GOTO */
  bool aed;         /* GOTO: interpolate in aed (shorter azimuth arc) */
  double delay;     /* GOTO: seconds after the cue fires (a preset's stagger) */
} ha_show_op;

/* Receives one operation. Anything but HA_OK stops the cue there (fill
 * `err`, which may be NULL, when you can). */
typedef ha_status (*ha_show_op_fn)(void *user, const ha_show_op *op, ha_error *err);

/* The operations of cue `index`, in order, each handed to fn(user, op,
 * err). Stops at the first error and returns it, err's name prefixed with
 * "cues[i].actions[j]". HA_ENOTFOUND (no such cue; err says "no cue index
 * N"). Never allocates; the
 * op's pointers live as long as the show's arrays. Thread: the show's. */
ha_status ha_show_cue_ops(const ha_show *show, size_t index, ha_show_op_fn fn, void *user,
                          ha_error *err);

/* ---- playing on an engine ---- */

typedef struct ha_show_instance ha_show_instance;

/* Put a show on an engine at transport time t0: add every track at its base
 * position (the engine must not have tracks with the same ids), apply the
 * show's limits when it has any, create one motion per group and per inline
 * start action and per timeline clip (owned by the instance), and start
 * the autoStart groups at t0 in document order; the timeline is played
 * from t0 by the evaluations (ha_show_instance_advance). Size the engine
 * with ha_show_engine_config.
 * Errors: as ha_engine_track_add / ha_engine_animation_start (err names the
 * track or group), HA_ENOMEM. On error the engine may hold some of the
 * tracks. Thread: the engine's. */
ha_status ha_show_instantiate(const ha_show *show, ha_engine *engine, double t0,
                              ha_show_instance **out, ha_error *err);
/* Stop the instance's animations on its engine and free its motions. Call it
 * while the engine still exists (before ha_engine_destroy). NULL is a no-op. */
void ha_show_instance_destroy(ha_show_instance *inst);

/* Fire a cue at transport time t: its operations (ha_show_cue_ops) are
 * applied to the engine in order. Every action takes its tracks over (last
 * takes precedence, the engine crossfades), and cancels what an earlier cue
 * had scheduled for them. Staggered preset moves: the k-th moved track (in
 * the preset's order) starts k·stagger seconds after t, as a delayed goto
 * of the engine (ha_engine_track_goto_at) that ha_engine_evaluate starts
 * when its time comes. HA_ENOTFOUND (no such cue: err says "no cue number
 * N", or "no cue index N" by index; the engine is untouched); errors of the engine
 * with err naming the action ("cues[2].actions[0].tracks: ..."). Never
 * allocates. Thread: the engine's. */
ha_status ha_show_fire_cue(ha_show_instance *inst, double number, double t, ha_error *err);
/* The same by cue index. */
ha_status ha_show_fire_cue_at(ha_show_instance *inst, size_t index, double t, ha_error *err);
/* Start / stop one group at t (as the start/stop actions do). fade:
 * seconds back to base; < 0 uses the fadeOut of the group's animation, as
 * a stop action without "fade" does (and as ha_show_player_stop_group).
 * HA_ENOTFOUND (no such group). */
ha_status ha_show_start_group(ha_show_instance *inst, size_t group, double t, ha_error *err);
ha_status ha_show_stop_group(ha_show_instance *inst, size_t group, double fade, double t);

/* ha_engine_evaluate(t, ...) on the instance's engine (which starts the
 * staggered moves that are due, each at its own time), after playing the
 * timeline up to t (ha_show_instance_advance from the previous evaluation's
 * time). Tick-safe. */
ha_status ha_show_instance_evaluate(ha_show_instance *inst, double t, double *x, double *y,
                                    double *z, size_t cap);
/* Play the timeline from transport time `from` to `to`: every clip start,
 * clip end and marker in (from, to] is applied at its own time, in time
 * order (at one time: ends, then starts, then markers; each in document
 * order), the engine evaluated at that time first. With `from` NAN or
 * `to` < `from` (a seek, the first call) the timeline's state at `to` is
 * rebuilt: what the timeline started stops, the tracks of its clips and
 * of its markers' cues go back to their bases (what plays on them
 * otherwise stops), and every event
 * at or before `to` is applied the same way. So the state of the clips'
 * tracks at t does not depend on how the transport got there. No effect when
 * the show has no clips and no markers. Errors of the engine (err names
 * the clip or marker); the rest is still applied. Never allocates.
 * Thread: the engine's (the tick, for a player's timeline). */
ha_status ha_show_instance_advance(ha_show_instance *inst, double from, double to, ha_error *err);
/* The next evaluation rebuilds the timeline's state at its time (a seek). */
void ha_show_instance_seek(ha_show_instance *inst);

/* Staggered moves of the show's tracks not yet started (delayed gotos
 * waiting in the engine). */
size_t ha_show_instance_pending(const ha_show_instance *inst);
/* True when `m` is one of the instance's motions (so whoever collects the
 * engine's retired motions knows not to free it). */
bool ha_show_instance_owns(const ha_show_instance *inst, const ha_motion *m);

#ifdef __cplusplus
}
#endif
#endif /* HOLOANIM_SHOW_H */
