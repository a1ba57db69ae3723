/* holoanim: groups — several tracks driven by one motion (MODELS.md "Groups").
 *
 * Modes: shared (every track on the same path), relative (the path's pivot
 * moved onto each track's base), isobarycentric (the path carries the
 * barycentre of the bases and the formation rides on it, optionally turning
 * with rotating models), centered (as isobarycentric about a chosen point),
 * spread (offsets on a Fibonacci sphere around the path) and mirror (track
 * i > 0 mirrored across a plane through the pivot). Phase offset is
 * orthogonal to the mode: s_i = i·phaseOffset, or with phaseSpread
 * s_i = i·T/N. Thread: any for evaluation (per-track caches are the
 * caller's); evaluation never allocates. */
#ifndef HOLOANIM_GROUP_H
#define HOLOANIM_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "math.h"
#include "motion.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ha_group_mode {
  HA_GROUP_SHARED = 0,
  HA_GROUP_RELATIVE,
  HA_GROUP_ISOBARYCENTRIC,
  HA_GROUP_CENTERED,
  HA_GROUP_SPREAD,
  HA_GROUP_MIRROR
} ha_group_mode;

typedef struct ha_group {
  const ha_motion *motion;
  ha_group_mode mode;
  size_t count;              /* number of member tracks (≥ 1) */
  const uint32_t *track_ids; /* count ids (selection order), or NULL: 1..count */
  const ha_vec3 *bases;      /* count base positions (needed by relative,
                                isobarycentric, centered; may be NULL otherwise) */
  double phase_offset;       /* s_i = i·phase_offset seconds */
  bool phase_spread;         /* s_i = i·T/count instead */
  double delay;              /* every member holds its τ = 0 position for `delay`
                                seconds of animation time, then plays that much
                                later (the original's time shift; 0: none) */
  bool rotate_formation;     /* isobarycentric/centered: turn with the heading */
  ha_vec3 center_point;      /* centered: the formation's centre */
  double spread_radius;      /* spread: radius of the sphere (m) */
  char mirror_axis;          /* mirror: 'x', 'y' or 'z' = 0 plane through the pivot */
  ha_motion_state *states;   /* optional per-member caches (count), NULL: none */
} ha_group;

/* A group with defaults: shared, no phase, rotate_formation true, spread
 * radius 1 m, mirror across x. */
void ha_group_init(ha_group *g, const ha_motion *motion, size_t count);

/* Check a group (count, ids, bases for the modes that need them, mirror
 * axis, radius) once, before playing it. HA_EINVAL with the field named. */
ha_status ha_group_validate(const ha_group *g, ha_error *err);

/* Time shift of member i (seconds of animation time). */
double ha_group_shift(const ha_group *g, size_t i);

/* Position of member i at transport time t. Never allocates. */
ha_vec3 ha_group_member_position(const ha_group *g, size_t i, double t);

/* The seed's calculate_group_positions: all members at transport time t
 * into out[0..count). HA_ENOBUFS when out_cap < count; validation errors as
 * ha_group_validate. */
ha_status ha_group_positions(const ha_group *g, double t, ha_vec3 *out, size_t out_cap,
                             ha_error *err);

/* The seed's maintain_formation: move `members` rigidly so their barycentre
 * lands on `center` (out may alias members). HA_EINVAL for n == 0 or a
 * non-finite input. */
ha_status ha_maintain_formation(ha_vec3 center, const ha_vec3 *members, size_t n, ha_vec3 *out,
                                ha_error *err);

/* Parse "shared" | "relative" | "isobarycentric" | "centered" | "spread" |
 * "mirror", plus the original animator's names ("identical" = shared,
 * "position-relative" = relative, "isobarycenter" = isobarycentric,
 * "phase-offset" = shared and "phase-offset-relative" = relative: the phase
 * is set separately). */
ha_status ha_group_mode_parse(const char *s, ha_group_mode *out, ha_error *err);
const char *ha_group_mode_name(ha_group_mode m);

#ifdef __cplusplus
}
#endif
#endif
