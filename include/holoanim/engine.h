/* holoanim: the motion engine (the seed's MotionEngine).
 *
 * The track table the player drives: tracks with base positions, animations
 * (a motion on a group of tracks, last takes precedence per track),
 * transitions (takeover crossfade, stop with a fade back to base, go to a
 * position), venue limits and a speed cap, and `ha_engine_evaluate` which
 * computes every track at transport time t into SoA arrays.
 *
 * The seed's MotionEngine computations need no engine state and live with
 * what they compute: calculate_position is ha_motion_calculate_position,
 * create_circular_motion / create_linear_motion are ha_motion_create_circular
 * / ha_motion_create_linear (motion.h), calculate_group_positions is
 * ha_group_positions and maintain_formation ha_maintain_formation (group.h),
 * interpolate_trajectory is ha_path_interpolate (path.h).
 *
 * Everything is sized at creation: evaluate, start, stop and transitions never
 * allocate (motions are created by the caller, on a control thread, and
 * borrowed by the engine until the animation ends).
 *
 * Thread: an engine belongs to one thread at a time (the player's tick
 * thread once playing; other threads send it commands through the player). */
#ifndef HOLOANIM_ENGINE_H
#define HOLOANIM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "easing.h"
#include "error.h"
#include "group.h"
#include "math.h"
#include "motion.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ha_engine ha_engine;

typedef struct ha_limits {
  bool box_enabled; /* clamp positions into the venue box */
  ha_vec3 box_min;  /* metres */
  ha_vec3 box_max;
  double max_speed; /* m/s of real time (see ha_engine_evaluate_step); 0 = no cap */
} ha_limits;

typedef struct ha_engine_config {
  size_t max_tracks;     /* default 1024 */
  size_t max_animations; /* default 256 */
  double blend_window;   /* parameter-update blend, seconds (default 0.25) */
  double takeover_fade;  /* crossfade when an animation takes a track over (default 0.25) */
  ha_limits limits;      /* default: no box, no speed cap */
  /* Default true: ha_engine_evaluate computes the motion of every track
   * whose group offset is constant (shared, relative, spread,
   * isobarycentric/centered without rotate_formation), driven by a
   * closed-form model that is not blending, with the SIMD batch (batch.h),
   * within 1e-9 m of the per-track path. false: per track always. */
  bool use_batch;
  /* Default false. true: ha_engine_evaluate reads the monotonic clock after
   * each track it evaluates on the per-track path (the batch path is closed
   * form, bounded, never timed) and keeps the slowest of the evaluation
   * (ha_engine_get_slowest): one clock read, tens of nanoseconds, per such
   * track. The player turns it on to name the cause of a stall. */
  bool time_tracks;
  /* Default NULL. With time_tracks: called inside ha_engine_evaluate after
   * each timed evaluation (one per-track motion evaluation, or one
   * animation's batched range, all its batched tracks at once) with the
   * model's canonical name (static) and the seconds it took. It runs on the
   * evaluating thread (the tick): it must not allocate, lock or do I/O (the
   * player records a lock-free per-model histogram). */
  void (*on_timed)(void *user, const char *model, double seconds);
  void *on_timed_user;
  /* Default NULL. Instrumentation: called inside ha_engine_evaluate with the
   * track's id just before each per-track evaluation of an animated track
   * (inside the region time_tracks times; batched tracks are not reported).
   * On the evaluating thread, under on_timed's rules; a test makes one
   * evaluation slow with it to force a stall. */
  void (*on_track_eval)(void *user, uint32_t track);
  void *on_track_eval_user;
} ha_engine_config;

ha_engine_config ha_engine_config_default(void);

/* Create an engine. Errors: HA_EINVAL (zero or absurd capacities: name the
 * field), HA_ENOMEM. Thread: control. */
ha_status ha_engine_create(const ha_engine_config *cfg, ha_engine **out, ha_error *err);
/* Free; NULL is a no-op. Motions are not owned and are not freed. */
void ha_engine_destroy(ha_engine *e);

/* The engine's current transport time (set by ha_engine_evaluate or
 * ha_engine_set_time). */
double ha_engine_time(const ha_engine *e);
void ha_engine_set_time(ha_engine *e, double t);

/* ---- tracks ---- */

/* Add a track (device index `id`, ≥ 1) at `base`. Errors: HA_EINVAL (id 0,
 * duplicate, non-finite base), HA_EEXHAUSTED (ResourceExhausted{"tracks",
 * max_tracks}). */
ha_status ha_engine_track_add(ha_engine *e, uint32_t id, ha_vec3 base, ha_error *err);
/* Remove a track (it leaves its animation). HA_ENOTFOUND. */
ha_status ha_engine_track_remove(ha_engine *e, uint32_t id);
/* Set a track's base (its rest position). If the track is not animated it
 * also moves there. HA_ENOTFOUND, HA_EINVAL (non-finite). */
ha_status ha_engine_track_set_base(ha_engine *e, uint32_t id, ha_vec3 base);
size_t ha_engine_track_count(const ha_engine *e);

typedef enum ha_track_status {
  HA_TRACK_IDLE = 0,  /* at rest (base or where it stopped) */
  HA_TRACK_ANIMATED,  /* driven by an animation */
  HA_TRACK_TRANSITION /* moving to a position / back to base */
} ha_track_status;

typedef struct ha_track_info {
  uint32_t id;
  ha_vec3 base;
  ha_vec3 position; /* last evaluated */
  ha_vec3 velocity; /* m/s, finite difference over the last two evaluations */
  ha_track_status status;
  int32_t animation; /* animation handle, or −1 */
  uint32_t clamped;  /* limit clamps applied to this track so far */
  bool goto_pending; /* a delayed goto (ha_engine_track_goto_at) waits for its start */
  uint32_t steps;    /* integration grid steps its last evaluation took (integrated
                        models: the per-track cache's y[13], at most 256); 0 otherwise */
} ha_track_info;

/* The i-th track (add order, i < track_count). HA_ENOTFOUND past the end. */
ha_status ha_engine_track_at(const ha_engine *e, size_t i, ha_track_info *out);
/* A track by id. HA_ENOTFOUND. */
ha_status ha_engine_track_get(const ha_engine *e, uint32_t id, ha_track_info *out);

/* ---- animations ---- */

typedef int32_t ha_anim_id;

/* How an animation spreads over its tracks (the group of group.h without the
 * motion and track list). */
typedef struct ha_anim_spec {
  ha_group_mode mode;
  double fade_in; /* seconds to crossfade from where each track is onto the path
                     (0: only a takeover fades, over takeover_fade) */
  double phase_offset;
  bool phase_spread;
  double delay;   /* seconds every track holds its start before playing (group.h) */
  bool from_base; /* each track's base for the group is its rest position (base), not
                     where it is now; with fade_in it glides from where it is onto that path */
  bool rotate_formation;
  ha_vec3 center_point;
  double spread_radius;
  char mirror_axis;
  /* Seconds (0..3600, default 0: none). When no fade_in or takeover fade
   * applies, a track standing more than HA_START_GLIDE_TOLERANCE from where
   * its path starts glides onto the path over start_glide instead of
   * jumping (the show's starts use HA_SHOW_START_GLIDE). */
  double start_glide;
} ha_anim_spec;

/* m: a track this close to its path's start does not glide (start_glide). */
#define HA_START_GLIDE_TOLERANCE 1e-3

/* Shared mode, no phase, rotate_formation, spread radius 1, mirror x. */
ha_anim_spec ha_anim_spec_default(void);

/* Start `motion` on `tracks` (selection order) at transport time `t`: the
 * animation's own time is t' = t_now − t. Each track's base for the group is
 * its position now (spec->from_base: its rest position). A track driven by another animation is
 * taken over (last takes precedence; the other keeps its other tracks) with a crossfade of
 * takeover_fade, and a delayed goto waiting for it (ha_engine_track_goto_at)
 * is dropped. The motion is borrowed until the animation ends.
 * Errors: HA_EINVAL (no tracks, unknown track id named, spec invalid),
 * HA_EEXHAUSTED (animations or state blocks). Never allocates. */
ha_status ha_engine_animation_start(ha_engine *e, ha_motion *motion, const ha_anim_spec *spec,
                                    const uint32_t *tracks, size_t ntracks, double t,
                                    ha_anim_id *out, ha_error *err);
/* Stop an animation on all its tracks; with fade > 0 they glide back to
 * their bases over `fade` seconds, else they stay where they are.
 * HA_ENOTFOUND. */
ha_status ha_engine_animation_stop(ha_engine *e, ha_anim_id a, double fade);
/* Stop whatever drives one track (same fade rule). HA_ENOTFOUND. */
ha_status ha_engine_track_stop(ha_engine *e, uint32_t id, double fade);
/* Stop everything at once, tracks stay where they are. */
void ha_engine_stop_all(ha_engine *e);
/* Live parameter change of a running animation: blends over blend_window.
 * Errors as ha_motion_update_parameters; the animation is untouched on error.
 * Thread: the engine's thread (the motion is evaluated by it). */
ha_status ha_engine_animation_update(ha_engine *e, ha_anim_id a, const ha_params *params,
                                     const ha_timing *timing, ha_error *err);
/* Switch a running animation to another motion (e.g. the same model with new
 * parameters, validated on a control thread), blending from the old path to
 * the new over `window` seconds. Tick-safe: no allocation, no validation.
 * The old motion is retired when the blend ends (see
 * ha_engine_take_retired). HA_ENOTFOUND, HA_EINVAL (NULL motion). */
ha_status ha_engine_animation_replace(ha_engine *e, ha_anim_id a, ha_motion *motion, double window);

/* Motions the engine no longer uses (animations that ended, were stopped or
 * taken over on every track, and old motions after a replace blend), oldest
 * first, up to `cap` into out; returns how many. Each is reported once. The
 * engine never frees motions: whoever owns them frees them after this (the
 * player hands them to a control thread). Thread: the engine's. */
size_t ha_engine_take_retired(ha_engine *e, ha_motion **out, size_t cap);

/* The motion of an animation (NULL when not running). */
ha_motion *ha_engine_animation_motion(const ha_engine *e, ha_anim_id a);
/* Number of tracks an animation still drives (0 when ended/unknown). */
size_t ha_engine_animation_tracks(const ha_engine *e, ha_anim_id a);

/* Move a track (stopping what drives it) to `target` over `duration`
 * seconds with an easing, interpolating in xyz or in aed (azimuth along the
 * shorter arc, about the origin). HA_ENOTFOUND, HA_EINVAL. */
ha_status ha_engine_track_goto(ha_engine *e, uint32_t id, ha_vec3 target, double duration,
                               ha_easing easing, bool aed);

/* As ha_engine_track_goto, but the move begins at transport time `start`
 * (≥ now): until then the track keeps doing what it does (a staggered cue).
 * A later goto, stop or animation start on the track replaces a pending one. */
ha_status ha_engine_track_goto_at(ha_engine *e, uint32_t id, ha_vec3 target, double start,
                                  double duration, ha_easing easing, bool aed);

/* Venue limits (checked once here). HA_EINVAL for an empty box or a
 * negative/non-finite speed. */
ha_status ha_engine_set_limits(ha_engine *e, const ha_limits *limits, ha_error *err);

/* Evaluate every track at transport time t: positions into x/y/z (track add
 * order, `cap` ≥ track_count else HA_ENOBUFS), applying transitions, the
 * NaN guard (a non-finite position holds the track's last good one, counted
 * in nan_guards), then the limits (box clamp, speed cap against the previous
 * evaluation; each counted), and updating each track's position and velocity. Animations played
 * `once` that have ended stay at their end position. Never allocates, never locks. Returns HA_OK.
 * Thread: the engine's. */
ha_status ha_engine_evaluate(ha_engine *e, double t, double *x, double *y, double *z, size_t cap);

/* As ha_engine_evaluate, with `real_dt` the real seconds since the previous
 * evaluation (the player's tick step): the speed cap lets a track move at
 * most max_speed·real_dt metres per evaluation whatever the transport does
 * (any speed, paused, a seek either way). ha_engine_evaluate is this with
 * real_dt = |t − the previous t|, for offline use where the transport is
 * the only clock. A negative or non-finite real_dt counts as 0 (the track
 * holds). The first evaluation is never capped. Thread: the engine's. */
ha_status ha_engine_evaluate_step(ha_engine *e, double t, double real_dt, double *x, double *y,
                                  double *z, size_t cap);

/* Counters since creation. */
typedef struct ha_engine_stats {
  uint64_t evaluations;
  uint64_t clamps_box;   /* positions moved into the venue box */
  uint64_t clamps_speed; /* steps shortened by the speed cap */
  uint64_t nan_guards;   /* non-finite positions replaced (should stay 0) */
  uint64_t takeovers;    /* tracks taken from another animation */
  uint64_t batch_tracks; /* track positions whose motion came from the batch path
                            (cfg.use_batch) rather than per-track evaluation */
} ha_engine_stats;
void ha_engine_get_stats(const ha_engine *e, ha_engine_stats *out);

/* Bytes the engine allocated at creation: its tracks, animations, index,
 * retired ring, state pool and batch. It never allocates afterwards, so
 * this is constant for its life. Thread: any. */
size_t ha_engine_memory_bytes(const ha_engine *e);

/* The track whose evaluation took longest in the last ha_engine_evaluate
 * (cfg.time_tracks; track 0 when nothing was timed). */
typedef struct ha_engine_slowest {
  uint32_t track;       /* 0: none */
  ha_anim_id animation; /* the animation driving it, −1 when none */
  const char *model;    /* its model's canonical name (static), NULL when none */
  double seconds;       /* how long its evaluation took */
} ha_engine_slowest;
void ha_engine_get_slowest(const ha_engine *e, ha_engine_slowest *out);

#ifdef __cplusplus
}
#endif
#endif
