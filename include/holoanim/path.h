/* holoanim: trajectory interpolation and keyframe resampling.
 *
 * The seed's `interpolate_trajectory(points)`: turn a handful of points into
 * a smooth trajectory sampled into a caller buffer, with the same curves the
 * path models use (linear polyline, Catmull-Rom through every point, chained
 * cubic Béziers), sampled evenly in the curve parameter or evenly by arc
 * length. And the keyframe interpolation of the `keyframes` model, exposed so
 * a tool can bake keys into a fixed-rate stream.
 *
 * Nothing here allocates: results go to caller buffers `(out, out_cap)`; a
 * buffer that is too small is HA_ENOBUFS with `*out_n` set to the count that
 * is needed. Arc-length spacing is computed in two streaming passes over the
 * curve (Gauss–Legendre lengths, then a safeguarded Newton solve per sample),
 * so it needs no table either. Thread: any (pure functions of their inputs).
 */
#ifndef HOLOANIM_PATH_H
#define HOLOANIM_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "math.h"
#include "motion.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ha_path_method {
  HA_PATH_LINEAR = 0,  /* straight segments between the points */
  HA_PATH_CATMULL_ROM, /* Catmull-Rom spline through every point (alpha, tension) */
  HA_PATH_BEZIER       /* chained cubic Béziers: P0, C1, C2, P1, C1, C2, P2, ... */
} ha_path_method;

typedef struct ha_path_options {
  ha_path_method method; /* default HA_PATH_CATMULL_ROM */
  double alpha;          /* catmull-rom knot exponent in [0, 1]: 0 uniform, 0.5 centripetal
                            (default), 1 chordal */
  double tension;        /* catmull-rom, in [0, 1]: tangents scaled by (1 − tension); default 0 */
  bool closed;           /* join the last point back to the first; default false */
  size_t samples;        /* output points, ≥ 2; default 100 */
  bool constant_speed;   /* equal arc length between samples (else equal parameter steps,
                            i.e. equal time per segment); default false */
} ha_path_options;

/* The defaults above. Thread: any. */
ha_path_options ha_path_options_default(void);

/* Sample the curve through `pts` into `out`.
 *
 * The curve has one segment per pair of consecutive points (bezier: per
 * P, C1, C2, P group), plus, when `closed`, one from the last point back to
 * the first (bezier closed: the last group's end point is pts[0]). Without
 * constant_speed, each segment takes an equal share of the parameter and
 * sample k sits at parameter k/(samples − 1) (open) or k/samples (closed:
 * the loop is not repeated, sample 0 is pts[0] and the last sample comes just
 * before it). With constant_speed, samples are at those fractions of the
 * total arc length instead (to about 1e-13 of the length, see path.c).
 *
 * Catmull-Rom details (the same curve as the catmull-rom model): the shape of
 * each segment is the Barry–Goldman curve with knots |ΔP|^alpha, end tangents
 * from points mirrored across the ends, every tangent scaled by
 * (1 − tension); consecutive coincident points make a dwell (zero tangents on
 * both sides). The parameter passes every point at an equal share and the
 * curve is C1 in it (a monotone time warp per segment; see path.c).
 *
 * pts, n       the points (finite); linear and catmull-rom need n ≥ 2, bezier
 *              3k + 1 points open (k ≥ 1) or 3k closed.
 * opt          options, or NULL for ha_path_options_default().
 * out, out_cap the output buffer and its capacity in points.
 * out_n        receives the number of points written, or on HA_ENOBUFS the
 *              number needed (may be NULL).
 * err          optional detail.
 * Returns HA_OK; HA_EINVAL (NULL pts/out with a nonzero count, wrong point
 * count, non-finite point "points[i]", unknown method, samples < 2),
 * HA_ERANGE (alpha or tension outside [0, 1]), HA_ENOBUFS (out_cap < samples).
 * Thread: any. */
ha_status ha_path_interpolate(const ha_vec3 *pts, size_t n, const ha_path_options *opt,
                              ha_vec3 *out, size_t out_cap, size_t *out_n, ha_error *err);

/* Keyframe interpolation (the keyframes model's `interpolation`). */
typedef enum ha_keyframe_interp {
  HA_KEYFRAMES_LINEAR = 0,  /* lerp(P_i, P_i+1, ease_i(w)) */
  HA_KEYFRAMES_CATMULL_ROM, /* centripetal Catmull-Rom through the keys, C1 in time
                               with linear easings, at ease_i(w) */
  HA_KEYFRAMES_STEP         /* P_i until the next key */
} ha_keyframe_interp;

/* Positions of the keyframe curve at `count` times (seconds).
 *
 * Before the first key the first position holds, after the last key the last.
 * Between key i and key i+1 the local fraction w = (t − t_i)/(t_i+1 − t_i) is
 * eased with keys[i].easing. Keys with equal times make a jump (the later one
 * wins at that time).
 *
 * keys, n      the keys (n ≥ 1; times finite and non-decreasing; positions
 *              finite; easings valid).
 * times, count the sample times (finite); out receives `count` positions.
 * Returns HA_OK; HA_EINVAL (NULL with a nonzero count, no keys, a bad key
 * "keys[i].time" / ".position" / ".easing", unknown interp, a non-finite
 * time "times[i]"). Thread: any. */
ha_status ha_path_keyframes_sample(const ha_keyframe *keys, size_t n, ha_keyframe_interp interp,
                                   const double *times, size_t count, ha_vec3 *out, ha_error *err);

/* Resample keys at a fixed rate: sample k at t_first + k/rate_hz, for every
 * such time up to the last key's time (within 1e-9 of a period), so the count
 * is floor((t_last − t_first)·rate_hz) + 1 (a single key gives one sample).
 *
 * rate_hz      samples per second, in [1e-6, 1e6].
 * out, out_cap the output buffer and its capacity in points.
 * out_n        receives the number written, or on HA_ENOBUFS the number
 *              needed (may be NULL).
 * Returns HA_OK; HA_EINVAL (as ha_path_keyframes_sample, or more than 1e9
 * samples); HA_ERANGE (rate_hz outside [1e-6, 1e6], NaN included); HA_ENOBUFS.
 * Thread: any. */
ha_status ha_path_resample_keyframes(const ha_keyframe *keys, size_t n, ha_keyframe_interp interp,
                                     double rate_hz, ha_vec3 *out, size_t out_cap, size_t *out_n,
                                     ha_error *err);

#ifdef __cplusplus
}
#endif
#endif /* HOLOANIM_PATH_H */
