/* Internal curve toolkit shared by the path models (bezier, catmull-rom,
 * keyframes, pattern) and the public resampler (path.h, path.c).
 *
 * Three pieces:
 *  - cubic Bézier evaluation;
 *  - Catmull-Rom splines in Hermite form: the Barry–Goldman curve for any
 *    knot exponent alpha, tangents scaled by (1 − tension), phantom end
 *    points by mirroring, closed loops, plus a per-segment time warp that
 *    makes the motion C1 in time (see path.c);
 *  - arc length: Gauss–Legendre lengths, tables built once (prepare) and an
 *    inverse lookup (binary search + safeguarded Newton) that never allocates.
 * Nothing here allocates or prints. */
#ifndef HOLOANIM_PATH_IMPL_H
#define HOLOANIM_PATH_IMPL_H

#include "core_internal.h"

/* ---- cubic Bézier ---- */

/* B(t) for control points cp[0..3] (Bernstein form); `deriv` (may be NULL)
 * receives dB/dt. Any t is accepted (outside [0, 1] the polynomial
 * extrapolates). */
ha_vec3 ha__bezier3(const ha_vec3 cp[4], double t, ha_vec3 *deriv);

/* ---- Catmull-Rom splines ---- */

/* Consecutive points closer than this (metres) count as coincident: the
 * segment between them is a dwell and the tangents at both ends are zero. */
#define HA__COINCIDENT 1e-9

/* A spline through n points. Points (and times) are read with a byte stride,
 * so a plain ha_vec3 array and the positions inside an ha_keyframe array both
 * work without copying. */
typedef struct ha__spline {
  const ha_vec3 *pts;  /* point 0 */
  size_t pstride;      /* bytes from one point to the next */
  const double *times; /* time of point 0, or NULL: segments of equal duration */
  size_t tstride;      /* bytes from one time to the next */
  size_t n;            /* number of points (≥ 1) */
  int closed;          /* join the last point back to the first (times must be NULL) */
  double alpha;        /* knot exponent: 0 uniform, 0.5 centripetal, 1 chordal */
  double tension;      /* tangents scaled by (1 − tension) */
} ha__spline;

/* Segment count: n − 1 open (0 for a single point), n closed. */
size_t ha__spline_segments(const ha__spline *sp);

/* Doubles per precomputed segment: Hermite power-basis coefficients c0..c3
 * (12) and the time-warp end slopes (2). */
#define HA__SEG_DOUBLES 14

/* Coefficients of segment i (0 ≤ i < segments) into k[HA__SEG_DOUBLES]. */
void ha__spline_segment(const ha__spline *sp, size_t i, double *k);

/* Position on a segment at its local time fraction s (0 at its first point,
 * 1 at its second; s outside [0, 1] extrapolates the cubics); `deriv` (may be
 * NULL) receives dP/ds. */
ha_vec3 ha__seg_eval(const double *k, double s, ha_vec3 *deriv);

/* ---- keyframes ---- */

/* Keyframe interpolation, in the order of the model's `interpolation` choice
 * and of ha_keyframe_interp. */
enum { HA__KEYS_LINEAR = 0, HA__KEYS_CATMULL_ROM = 1, HA__KEYS_STEP = 2 };

/* Centripetal: the knot exponent keyframe splines use. */
#define HA__KEYS_ALPHA 0.5

/* The spline through n ≥ 1 keys: their positions, their times as the
 * segments' durations, centripetal, tension 0, open. */
ha__spline ha__keys_spline(const ha_keyframe *keys, size_t n);

/* Position at time t (seconds) for validated keys (n ≥ 1, times
 * non-decreasing): hold the first before the first key and the last after the
 * last; segment i uses keys[i].easing on its local fraction. `segs` holds the
 * (n − 1) precomputed catmull-rom segments of ha__keys_spline, or is NULL
 * (computed on the fly). */
ha_vec3 ha__keyframes_eval(const ha_keyframe *keys, size_t n, int interp, const double *segs,
                           double t);

/* Where time t falls (n ≥ 1 validated keys): 0 when the first or last key
 * holds (before the first, from the last on; that key in *lo), else 1 with
 * the segment [*lo, *lo + 1] and its eased local fraction in *e. */
int ha__keys_locate(const ha_keyframe *keys, size_t n, double t, size_t *lo, double *e);

/* ---- arc length ---- */

/* A curve over s in [0, 1], smooth inside each of `pieces` equal parts (the
 * arc-length tables align their intervals with the parts). */
typedef struct ha__curve {
  ha_vec3 (*eval)(const void *ctx, double s, ha_vec3 *deriv); /* deriv = dP/ds, may be NULL */
  const void *ctx;
  size_t pieces;
} ha__curve;

/* The part of [0, 1] split into `pieces` (≥ 1) equal parts that s falls in
 * (s = 1 belongs to the last part), and s's fraction within it in *local.
 * s outside [0, 1] maps to the first or last part with *local outside
 * [0, 1]. */
size_t ha__piece(double s, size_t pieces, double *local);

/* Length of the curve over [a, b] by 5-point Gauss–Legendre. */
double ha__arc_gl(const ha__curve *c, double a, double b);

/* Table size for a curve of `pieces` parts: a multiple of pieces, at least
 * 1024 intervals and 4 per part. The table holds size + 1 doubles. */
size_t ha__arc_table_size(size_t pieces);

/* Fill table[0..n] with the cumulative length at s = k/n; returns the total. */
double ha__arc_table_build(const ha__curve *c, double *table, size_t n);

/* The s at which the length from 0 reaches frac·total (frac clamped into
 * [0, 1]); frac itself for a curve of zero length. */
double ha__arc_table_param(const ha__curve *c, const double *table, size_t n, double frac);

/* The s in [a, b] at which the length from a reaches `want`, given the
 * interval's length `len` (want clamped into [0, len]). */
double ha__arc_solve(const ha__curve *c, double a, double b, double len, double want);

/* ---- polylines ---- */

/* Cumulative lengths of a polyline of nv vertices into cum[0..m] (m = nv for
 * a closed polyline, whose last edge returns to vertex 0; nv − 1 when open);
 * returns the total length. */
double ha__polyline_build(const ha_vec3 *v, size_t nv, int closed, double *cum);

/* The point at arc-length fraction `frac` (clamped into [0, 1]) along the
 * polyline described by ha__polyline_build. A zero-length polyline gives v[0]. */
ha_vec3 ha__polyline_at(const ha_vec3 *v, size_t nv, int closed, const double *cum, double frac);

#endif
