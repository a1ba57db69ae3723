/* The core layer's internals (src/core): error constructors, number
 * formatting, small helpers every layer above uses. Not installed.
 * Includes only the core's public headers: see src/layers.txt. */
#ifndef HOLOANIM_CORE_INTERNAL_H
#define HOLOANIM_CORE_INTERNAL_H

#include "holoanim/easing.h"
#include "holoanim/error.h"
#include "holoanim/group.h"
#include "holoanim/math.h"
#include "holoanim/model.h"
#include "holoanim/motion.h"
#include "holoanim/path.h"
#include "holoanim/timing.h"

/* HA__ALWAYS_INLINE: a step the compiler must copy into each caller (hot
 * loops whose constant arguments then fold away; GCC 12 dropped a prefetch
 * in a plain static inline helper). */
#if defined(__GNUC__)
#define HA__PRINTF(a, b) __attribute__((format(printf, a, b)))
#define HA__UNLIKELY(x) __builtin_expect(!!(x), 0)
#define HA__ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define HA__PRINTF(a, b)
#define HA__UNLIKELY(x) (x)
#define HA__ALWAYS_INLINE inline
#endif

/* Exact float equality, spelled out (the build warns on ==). */
static inline int ha__feq(double a, double b) {
  return !(a < b) && !(a > b);
}

#define HA__COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

/* ha_format_double with options (0: exactly ha_format_double).
 * HA__FORMAT_JSON is how a saved show writes a JSON real: -0 as "0", and
 * whole numbers by the same shortest "%g" search as every other value
 * ("1e+01", not "10"), which is the canonical text saved shows have always
 * had, so re-saving an existing file does not rewrite its numbers. */
#define HA__FORMAT_JSON 1u
void ha__format_double_ex(char *buf, size_t cap, double v, unsigned flags);

/* Error constructors: each fills `err` (when not NULL), formats its message
 * and returns the status, so callers can `return ha__error_...(err, ...)`. */
ha_status ha__error_invalid(ha_error *err, ha_error_category cat, const char *name,
                            const char *value, const char *reason_fmt, ...) HA__PRINTF(5, 6);
ha_status ha__error_bounds(ha_error *err, ha_error_category cat, const char *name, double value,
                           double min, double max);
ha_status ha__error_exhausted(ha_error *err, ha_error_category cat, const char *resource,
                              uint64_t limit);
ha_status ha__error_parse(ha_error *err, const char *file, int line, int column, const char *name,
                          const char *reason_fmt, ...) HA__PRINTF(6, 7);
ha_status ha__error_io(ha_error *err, const char *what, int errnum);
ha_status ha__error_internal(ha_error *err, ha_error_category cat, const char *fmt, ...)
    HA__PRINTF(3, 4);
/* Prefix `err->name` and `err->message` with `prefix` + "." (JSON paths). */
void ha__error_prefix(ha_error *err, const char *prefix);

/* What ha_motion_create would say about (model, params, timing), without
 * making the motion or copying the parameters (motion.c): the show
 * compiler validates every animation of a file with it. Same statuses and
 * error as ha_motion_create. Thread: any. */
ha_status ha__motion_validate(const char *model, const ha_params *params, const ha_timing *timing,
                              ha_error *err);

/* One group member (group.c): base and barycentre given, so callers that
 * keep them (the engine) pay O(1) per member. */
ha_vec3 ha__group_member(const ha_group *g, size_t i, double t, ha_vec3 base, ha_vec3 bary,
                         uint32_t track_id, ha_motion_state *state);
/* The offset of member i from its motion's position when that offset is
 * constant in time, so P_i(t) = M_i(t) + *off: shared (0), relative
 * (base − pivot), spread (its Fibonacci point · radius), isobarycentric and
 * centered without rotate_formation ((B − pivot) + (base − B)). Returns 1,
 * or 0 (*off untouched) for mirror and rotating formations. ha__group_member
 * uses it; so does the engine's batch path (engine_eval.c). */
int ha__group_member_offset(const ha_group *g, size_t i, ha_vec3 base, ha_vec3 bary, ha_vec3 *off);

#endif
