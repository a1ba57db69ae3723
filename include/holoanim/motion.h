/* holoanim: parameter sets and motions (one model + validated parameters +
 * timing). The seed's AnimationModel interface lives here:
 * calculate_position, update_parameters, get_state, reset, supports_groups
 * (calculate_group_positions is in group.h).
 *
 * A motion is created from a model name and a parameter set; validation
 * happens once, there. Evaluation never allocates. Updating a running
 * motion's parameters blends from the old path to the new over a window
 * (default 0.25 s), so the source never jumps.
 *
 * Thread: a motion may be evaluated from several threads at once (evaluation
 * only reads it, per-track state is the caller's); create/update/destroy must
 * not run concurrently with evaluation of the same motion. */
#ifndef HOLOANIM_MOTION_H
#define HOLOANIM_MOTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "easing.h"
#include "error.h"
#include "math.h"
#include "model.h"
#include "timing.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- parameter sets (what a user typed, before validation) ---- */

typedef struct ha_keyframe {
  double time;      /* seconds within [0, duration] */
  ha_vec3 position; /* metres */
  ha_easing easing; /* easing of the segment that starts here */
} ha_keyframe;

typedef enum ha_value_kind {
  HA_VALUE_NUMBERS = 0, /* 1..4 numbers: number, vec3, quaternion, scale */
  HA_VALUE_STRING,
  HA_VALUE_BOOL,
  HA_VALUE_POINTS,
  HA_VALUE_KEYFRAMES
} ha_value_kind;

typedef struct ha_params ha_params;

/* Create an empty set (HA_ENOMEM). Thread: any. */
ha_status ha_params_create(ha_params **out);
/* Free; NULL is a no-op. */
void ha_params_destroy(ha_params *p);
/* Remove every entry. */
void ha_params_clear(ha_params *p);
/* Deep copy of `src` into a new set. */
ha_status ha_params_clone(const ha_params *src, ha_params **out);

/* Setters replace an existing entry of the same name. Names are at most 63
 * bytes (HA_EINVAL beyond). HA_ENOMEM on allocation failure. */
ha_status ha_params_set_number(ha_params *p, const char *name, double v);
ha_status ha_params_set_numbers(ha_params *p, const char *name, const double *v, size_t n);
ha_status ha_params_set_vec3(ha_params *p, const char *name, ha_vec3 v);
ha_status ha_params_set_string(ha_params *p, const char *name, const char *s);
ha_status ha_params_set_bool(ha_params *p, const char *name, bool b);
ha_status ha_params_set_points(ha_params *p, const char *name, const ha_vec3 *pts, size_t n);
ha_status ha_params_set_keyframes(ha_params *p, const char *name, const ha_keyframe *k, size_t n);
/* Parse CLI text: "5" number, "1,2,0" numbers, "true"/"false" bool,
 * "x,y,z;x,y,z;..." points, "t:x,y,z[:easing];..." keyframes, anything else a
 * string. HA_EINVAL (err names the parameter) for malformed numbers. */
ha_status ha_params_set_text(ha_params *p, const char *name, const char *text, ha_error *err);
/* Parse "name=value" (as set_text). */
ha_status ha_params_set_assignment(ha_params *p, const char *assignment, ha_error *err);
/* Remove an entry; HA_ENOTFOUND when absent. */
ha_status ha_params_unset(ha_params *p, const char *name);

/* The numbers of the entry that model parameter `pi` reads (its name or an
 * alias, found as the engine finds it): up to `cap` into out, their count
 * in *n. HA_ENOTFOUND when the set has no such entry or it holds no
 * numbers. Thread: any. */
ha_status ha_params_get_numbers(const ha_params *p, const ha_param_info *pi, double *out,
                                size_t cap, size_t *n);
size_t ha_params_count(const ha_params *p);
/* Name and kind of the i-th entry (NULL past the end). */
const char *ha_params_name_at(const ha_params *p, size_t i, ha_value_kind *kind);

/* ---- motions ---- */

typedef struct ha_motion ha_motion;

/* Per-track cache for stateful (integrated) models: the integrator's state at
 * the last evaluated τ, so playing forward costs only the new steps. Owned by
 * the caller (e.g. from an ha_pool), zeroed by ha_motion_state_reset. */
typedef struct ha_motion_state {
  uint64_t tag; /* which motion version filled it (0 = empty) */
  double tau;   /* τ the state is at */
  double y[14]; /* integrator variables; y[13]: grid steps the last evaluation took */
} ha_motion_state;

void ha_motion_state_reset(ha_motion_state *s);

/* Where and who a position is evaluated for. */
typedef struct ha_track_ctx {
  uint32_t track_id;           /* seeds per-track randomness (random model) */
  double shift;                /* time shift s_i in seconds (group phase offset) */
  ha_motion_state *state;      /* cache for stateful models; NULL: integrate from 0 */
  ha_motion_state *state_prev; /* cache for the old path while blending; may be NULL */
} ha_track_ctx;

#define HA_BLEND_WINDOW_DEFAULT 0.25

/* Create a motion. `model`: name or alias; `params` may be NULL (defaults);
 * `timing` may be NULL (ha_timing_default). Errors: HA_ENOTFOUND (unknown
 * model), HA_EINVAL (InvalidParameter: unknown parameter, wrong type, bad
 * choice), HA_ERANGE (OutOfBounds: value, min, max), HA_ENOMEM.
 * Thread: control. */
ha_status ha_motion_create(const char *model, const ha_params *params, const ha_timing *timing,
                           ha_motion **out, ha_error *err);
/* Convenience creators of the seed's engine API. */
ha_status ha_motion_create_circular(ha_vec3 center, double radius, double turns, bool clockwise,
                                    const ha_timing *timing, ha_motion **out, ha_error *err);
ha_status ha_motion_create_linear(ha_vec3 start, ha_vec3 end, ha_easing easing,
                                  const ha_timing *timing, ha_motion **out, ha_error *err);
/* Free; NULL is a no-op. */
void ha_motion_destroy(ha_motion *m);

const ha_model_info *ha_motion_model(const ha_motion *m);
ha_timing ha_motion_timing(const ha_motion *m);
/* The parameters the motion was created (or last updated) with. */
const ha_params *ha_motion_params(const ha_motion *m);

/* Position at transport time `t` (seconds since play, pauses excluded) for a
 * track: a = t·speed − shift, τ = map(a), then the model. `ctx` may be NULL
 * (track 0, no shift, no cache). Never allocates; the result is always finite
 * for finite t (non-finite t gives the position at τ = 0).
 * Thread: any (see above); tick-safe. */
ha_vec3 ha_motion_eval(const ha_motion *m, double t, const ha_track_ctx *ctx);

/* The seed's calculate_position(time): ha_motion_eval with checks; HA_EINVAL
 * for a non-finite time. */
ha_status ha_motion_calculate_position(const ha_motion *m, double t, ha_vec3 *out, ha_error *err);

/* τ for transport time t and a shift (the time mapping of this motion). */
double ha_motion_tau(const ha_motion *m, double t, double shift);

/* The model's pivot (centre, anchor or first point), the point that rotation
 * and scale turn about and that group modes move onto track bases. */
ha_vec3 ha_motion_pivot(const ha_motion *m);

/* Heading (radians) of rotating models at τ (θ − start angle), with the unit
 * axis it turns about; 0 and +Z for models without one. */
double ha_motion_heading(const ha_motion *m, double tau, ha_vec3 *axis);

/* The seed's update_parameters: validate `params` (NULL keeps the current
 * ones) and `timing` (NULL keeps the current) and switch to them, blending
 * from the old path to the new over `window` seconds of transport time
 * starting at `now` (window 0: switch at once). On error the motion is
 * untouched. Thread: control, never concurrently with evaluation. */
ha_status ha_motion_update_parameters(ha_motion *m, const ha_params *params,
                                      const ha_timing *timing, double now, double window,
                                      ha_error *err);

/* The seed's get_state. */
typedef struct ha_motion_info_state {
  const char *model; /* canonical model name */
  ha_timing timing;
  bool blending;       /* an update is blending in */
  double blend_start;  /* transport time the blend started */
  double blend_window; /* seconds */
  uint64_t generation; /* increments on every successful update */
} ha_motion_info_state;
void ha_motion_get_state(const ha_motion *m, ha_motion_info_state *out);

/* The seed's reset: end any blend (the motion keeps its current parameters). */
void ha_motion_reset(ha_motion *m);

/* The seed's supports_groups: every model can drive a group; true. */
bool ha_motion_supports_groups(const ha_motion *m);

/* Velocity (m/s) by central finite difference over transport time, h = 1 ms. */
ha_vec3 ha_motion_velocity(const ha_motion *m, double t, const ha_track_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif
