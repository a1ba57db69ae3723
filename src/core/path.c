/* Curves for the path models and the public resampler (path.h).
 *
 * Catmull-Rom. Each segment's shape is the Barry–Goldman curve with knot
 * intervals dt = |ΔP|^alpha, written in Hermite form: the tangent at point i,
 * in knot units, is
 *   m_i = (P_i − P_i−1)/dt_i−1 − (P_i+1 − P_i−1)/(dt_i−1 + dt_i) + (P_i+1 − P_i)/dt_i
 * and segment i is the cubic Hermite from P_i to P_i+1 with end derivatives
 * (1 − tension)·dt_i·m_i and (1 − tension)·dt_i·m_i+1 over its knot fraction
 * u in [0, 1]; at tension 0 this is exactly the Barry–Goldman pyramid. Open
 * ends use phantom points mirrored across the end point, so the end tangent
 * points at the neighbour. Two consecutive coincident points (closer than
 * HA__COINCIDENT) make a dwell: the tangents on both sides are zero, so the
 * motion slows to a stop there instead of dividing by a zero knot interval.
 *
 * Timing. MODELS.md pins point i at p = i/(n − 1) and asks for C1 motion. With
 * alpha > 0 those two clash if each segment simply runs u = local time: the
 * velocity at a joint is m_i·dt_i−1 on one side and m_i·dt_i on the other.
 * Rejected: shared Hermite tangents (C1, but the curve is no longer the
 * Barry–Goldman one and short segments next to long ones overshoot into the
 * loops centripetal knots exist to prevent). Chosen: keep the shape and warp
 * time inside each segment, u = h(s), a monotone cubic with h(0) = 0,
 * h(1) = 1, h'(0) = ρ_i/κ_i, h'(1) = ρ_i+1/κ_i, where κ_i = dt_i/duration_i is
 * the segment's mean knot speed and ρ_i the harmonic mean of the κ on both
 * sides of joint i (the lone κ at an end). Both sides of a joint then move at
 * (1 − tension)·m_i·ρ_i per unit time: C1. The harmonic mean is at most twice
 * the smaller κ, so both slopes stay in (0, 2] and h is strictly monotone
 * (Fritsch–Carlson); where all κ agree h is the identity. Keyframes use the
 * same construction with their times as durations.
 *
 * Arc length. Tables hold the cumulative length at n + 1 equally spaced
 * parameters, each interval measured by 5-point Gauss–Legendre on |P'| and
 * aligned with the curve's pieces (so no interval straddles a joint). The
 * inverse finds the interval by binary search, then solves length(a, s) =
 * want with Newton steps on the Gauss–Legendre length (derivative |P'(s)|),
 * falling back to bisection when a step leaves the bracket (zero speed at
 * tension 1 or at a dwell). Distance travelled then grows linearly to about
 * 1e-13 of the length (tests/test_paths.c measures it against a
 * Richardson-extrapolated dense polyline: ≤ 1e-13 for the Bézier, the
 * Catmull-Rom splines and the figure8), at ~2 Newton steps per lookup.
 * Rejected: linear interpolation between table nodes alone (the speed then
 * ripples by about the relative change of |P'| across one interval) and a
 * cubic fit of s(l) from node speeds (fails where the speed is zero). */
#include "path_impl.h"

#include <stdio.h>
#include <string.h>

/* ---- Bézier ---- */

ha_vec3 ha__bezier3(const ha_vec3 cp[4], double t, ha_vec3 *deriv) {
  double u = 1.0 - t;
  if (deriv != NULL) {
    ha_vec3 a = ha_vec3_sub(cp[1], cp[0]), b = ha_vec3_sub(cp[2], cp[1]),
            c = ha_vec3_sub(cp[3], cp[2]);
    *deriv = ha_vec3_add(ha_vec3_add(ha_vec3_scale(a, 3.0 * u * u), ha_vec3_scale(b, 6.0 * u * t)),
                         ha_vec3_scale(c, 3.0 * t * t));
  }
  double b0 = u * u * u, b1 = 3.0 * u * u * t, b2 = 3.0 * u * t * t, b3 = t * t * t;
  return ha_vec3_make(b0 * cp[0].x + b1 * cp[1].x + b2 * cp[2].x + b3 * cp[3].x,
                      b0 * cp[0].y + b1 * cp[1].y + b2 * cp[2].y + b3 * cp[3].y,
                      b0 * cp[0].z + b1 * cp[1].z + b2 * cp[2].z + b3 * cp[3].z);
}

/* ---- Catmull-Rom ---- */

size_t ha__spline_segments(const ha__spline *sp) {
  if (sp->n < 2) {
    return 0;
  }
  return sp->closed ? sp->n : sp->n - 1;
}

/* Index i wrapped into [0, n) (closed curves); open curves only ask for
 * indices already inside. */
static size_t spline_wrap_index(const ha__spline *sp, ptrdiff_t i) {
  ptrdiff_t n = (ptrdiff_t)sp->n;
  ptrdiff_t r = i % n;
  return (size_t)(r < 0 ? r + n : r);
}

static ha_vec3 sp_pt(const ha__spline *sp, ptrdiff_t i) {
  ha_vec3 v;
  memcpy(&v, (const char *)sp->pts + spline_wrap_index(sp, i) * sp->pstride, sizeof(v));
  return v;
}

static double sp_time(const ha__spline *sp, ptrdiff_t i) {
  double t;
  memcpy(&t, (const char *)sp->times + spline_wrap_index(sp, i) * sp->tstride, sizeof(t));
  return t;
}

/* Knot interval |b − a|^alpha for a distance d. */
static double knot(double d, double alpha) {
  if (!(alpha > 0.0)) {
    return 1.0;
  }
  return ha__feq(alpha, 0.5) ? sqrt(d) : pow(d, alpha);
}

typedef struct seginfo {
  int exists; /* the segment is part of the curve */
  int moving; /* its end points differ */
  double dt;  /* knot interval */
  double dur; /* duration (1 when the spline has no times) */
} seginfo;

/* Segment j runs from point j to point j + 1. */
static seginfo seg_info(const ha__spline *sp, ptrdiff_t j) {
  seginfo s = {0, 0, 0.0, 0.0};
  if (!sp->closed && (j < 0 || j + 2 > (ptrdiff_t)sp->n)) {
    return s;
  }
  s.exists = 1;
  double d = ha_vec3_dist(sp_pt(sp, j), sp_pt(sp, j + 1));
  s.moving = d > HA__COINCIDENT;
  s.dt = knot(d, sp->alpha);
  s.dur = sp->times != NULL ? sp_time(sp, j + 1) - sp_time(sp, j) : 1.0;
  return s;
}

/* Mean knot speed of a segment that takes part in timing, else 0. */
static double knot_speed(const seginfo *s) {
  return s->exists && s->moving && s->dur > 0.0 ? s->dt / s->dur : 0.0;
}

/* Barry–Goldman tangent at point i in knot units. A side is missing at an
 * open end or across a jump (zero duration): it is replaced by the mirror
 * of the other side. A dwell on either side, or no side at all, gives 0. */
static ha_vec3 tangent(const ha__spline *sp, ptrdiff_t i) {
  seginfo ls = seg_info(sp, i - 1), rs = seg_info(sp, i);
  int has_l = ls.exists && ls.dur > 0.0, has_r = rs.exists && rs.dur > 0.0;
  if ((has_l && !ls.moving) || (has_r && !rs.moving) || (!has_l && !has_r)) {
    return ha_vec3_zero();
  }
  ha_vec3 c = sp_pt(sp, i), l = c, r = c;
  double dl = 1.0, dr = 1.0;
  if (has_l) {
    l = sp_pt(sp, i - 1);
    dl = ls.dt;
  }
  if (has_r) {
    r = sp_pt(sp, i + 1);
    dr = rs.dt;
  }
  if (!has_l) {
    l = ha_vec3_sub(ha_vec3_scale(c, 2.0), r);
    dl = dr;
  }
  if (!has_r) {
    r = ha_vec3_sub(ha_vec3_scale(c, 2.0), l);
    dr = dl;
  }
  ha_vec3 m = ha_vec3_scale(ha_vec3_sub(c, l), 1.0 / dl);
  m = ha_vec3_sub(m, ha_vec3_scale(ha_vec3_sub(r, l), 1.0 / (dl + dr)));
  return ha_vec3_add(m, ha_vec3_scale(ha_vec3_sub(r, c), 1.0 / dr));
}

/* Knot speed ρ shared by both sides of joint i: the harmonic mean of the
 * segments' mean knot speeds, or the only one there is. */
static double joint_rate(const ha__spline *sp, ptrdiff_t i) {
  seginfo ls = seg_info(sp, i - 1), rs = seg_info(sp, i);
  double kl = knot_speed(&ls), kr = knot_speed(&rs);
  if (kl > 0.0 && kr > 0.0) {
    return 2.0 * kl * kr / (kl + kr);
  }
  return kl > 0.0 ? kl : kr;
}

static void put3(double *k, ha_vec3 v) {
  k[0] = v.x;
  k[1] = v.y;
  k[2] = v.z;
}

void ha__spline_segment(const ha__spline *sp, size_t i, double *k) {
  ptrdiff_t j = (ptrdiff_t)i;
  seginfo s = seg_info(sp, j);
  ha_vec3 p0 = sp_pt(sp, j), p1 = sp_pt(sp, j + 1);
  ha_vec3 t0 = ha_vec3_zero(), t1 = ha_vec3_zero();
  double wa = 1.0, wb = 1.0;
  if (s.moving) {
    double g = (1.0 - sp->tension) * s.dt;
    t0 = ha_vec3_scale(tangent(sp, j), g);
    t1 = ha_vec3_scale(tangent(sp, j + 1), g);
    double kap = knot_speed(&s);
    if (kap > 0.0) {
      wa = joint_rate(sp, j) / kap;
      wb = joint_rate(sp, j + 1) / kap;
    }
  }
  ha_vec3 d = ha_vec3_sub(p1, p0);
  put3(k + 0, p0);
  put3(k + 3, t0);
  put3(k + 6, ha_vec3_sub(ha_vec3_scale(d, 3.0), ha_vec3_add(ha_vec3_scale(t0, 2.0), t1)));
  put3(k + 9, ha_vec3_add(ha_vec3_scale(d, -2.0), ha_vec3_add(t0, t1)));
  k[12] = wa;
  k[13] = wb;
}

/* One coordinate of the cubic c0 + c1 u + c2 u² + c3 u³ (k: four vec3). */
static double cubic_at(const double *k, int axis, double u) {
  return k[axis] + u * (k[3 + axis] + u * (k[6 + axis] + u * k[9 + axis]));
}

/* Its derivative in u. */
static double cubic_slope(const double *k, int axis, double u) {
  return k[3 + axis] + u * (2.0 * k[6 + axis] + 3.0 * u * k[9 + axis]);
}

ha_vec3 ha__seg_eval(const double *k, double s, ha_vec3 *deriv) {
  double wa = k[12], wb = k[13];
  double e2 = 3.0 - 2.0 * wa - wb, e3 = wa + wb - 2.0;
  double u = s * (wa + s * (e2 + s * e3)); /* the time warp h(s) */
  if (deriv != NULL) {
    double du = wa + s * (2.0 * e2 + 3.0 * e3 * s);
    *deriv = ha_vec3_make(cubic_slope(k, 0, u) * du, cubic_slope(k, 1, u) * du,
                          cubic_slope(k, 2, u) * du);
  }
  return ha_vec3_make(cubic_at(k, 0, u), cubic_at(k, 1, u), cubic_at(k, 2, u));
}

/* ---- keyframes ---- */

_Static_assert((int)HA_KEYFRAMES_LINEAR == HA__KEYS_LINEAR &&
                   (int)HA_KEYFRAMES_CATMULL_ROM == HA__KEYS_CATMULL_ROM &&
                   (int)HA_KEYFRAMES_STEP == HA__KEYS_STEP,
               "ha_keyframe_interp and the model's interpolation choice must agree");

ha__spline ha__keys_spline(const ha_keyframe *keys, size_t n) {
  ha__spline sp = {&keys[0].position,
                   sizeof(ha_keyframe),
                   &keys[0].time,
                   sizeof(ha_keyframe),
                   n,
                   0,
                   HA__KEYS_ALPHA,
                   0.0};
  return sp;
}

/* For keys[0].time <= t < keys[n − 1].time: the last key at or before t
 * (so the segment [lo, lo + 1] has a positive duration). */
static size_t find_key(const ha_keyframe *keys, size_t n, double t) {
  size_t lo = 0, hi = n - 1; /* keys[lo].time <= t < keys[hi].time */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (keys[mid].time <= t) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/* Eased local fraction of t inside segment lo. */
static double key_fraction(const ha_keyframe *keys, size_t lo, double t) {
  const ha_keyframe *a = &keys[lo], *b = &keys[lo + 1];
  return ha_ease(a->easing, (t - a->time) / (b->time - a->time));
}

int ha__keys_locate(const ha_keyframe *keys, size_t n, double t, size_t *lo, double *e) {
  if (!(t >= keys[0].time)) {
    *lo = 0;
    return 0;
  }
  if (t >= keys[n - 1].time) {
    *lo = n - 1;
    return 0;
  }
  *lo = find_key(keys, n, t);
  *e = key_fraction(keys, *lo, t);
  return 1;
}

ha_vec3 ha__keyframes_eval(const ha_keyframe *keys, size_t n, int interp, const double *segs,
                           double t) {
  if (n == 0) {
    return ha_vec3_zero();
  }
  size_t lo;
  double e;
  if (!ha__keys_locate(keys, n, t, &lo, &e)) {
    return keys[lo].position;
  }
  switch (interp) {
  case HA__KEYS_STEP: return keys[lo].position;
  case HA__KEYS_CATMULL_ROM: {
    if (segs != NULL) {
      return ha__seg_eval(segs + lo * HA__SEG_DOUBLES, e, NULL);
    }
    double k[HA__SEG_DOUBLES];
    ha__spline sp = ha__keys_spline(keys, n);
    ha__spline_segment(&sp, lo, k);
    return ha__seg_eval(k, e, NULL);
  }
  default: return ha_vec3_lerp(keys[lo].position, keys[lo + 1].position, e);
  }
}

/* ---- arc length ---- */

size_t ha__piece(double s, size_t pieces, double *local) {
  if (pieces == 0) {
    pieces = 1;
  }
  double x = s * (double)pieces;
  size_t j = 0;
  if (x >= (double)pieces) {
    j = pieces - 1;
  } else if (x > 0.0) {
    j = (size_t)x;
  }
  *local = x - (double)j;
  return j;
}

/* 5-point Gauss–Legendre nodes and weights on [−1, 1]. */
static const double gl_x[5] = {-0.90617984593866399, -0.53846931010568309, 0.0, 0.53846931010568309,
                               0.90617984593866399};
static const double gl_w[5] = {0.23692688505618909, 0.47862867049936647, 0.56888888888888889,
                               0.47862867049936647, 0.23692688505618909};

double ha__arc_gl(const ha__curve *c, double a, double b) {
  double h = 0.5 * (b - a), m = 0.5 * (a + b), sum = 0.0;
  for (int i = 0; i < 5; i++) {
    ha_vec3 d;
    c->eval(c->ctx, m + h * gl_x[i], &d);
    sum += gl_w[i] * ha_vec3_len(d);
  }
  return sum * h;
}

size_t ha__arc_table_size(size_t pieces) {
  if (pieces == 0) {
    pieces = 1;
  }
  size_t per = (1024 + pieces - 1) / pieces;
  return pieces * (per < 4 ? 4 : per);
}

double ha__arc_table_build(const ha__curve *c, double *table, size_t n) {
  table[0] = 0.0;
  for (size_t k = 0; k < n; k++) {
    double a = (double)k / (double)n, b = (double)(k + 1) / (double)n;
    table[k + 1] = table[k] + ha__arc_gl(c, a, b);
  }
  return table[n];
}

double ha__arc_solve(const ha__curve *c, double a, double b, double len, double want) {
  if (!(len > 0.0) || !(want > 0.0)) {
    return a;
  }
  if (want >= len) {
    return b;
  }
  /* Newton on g(s) = length(a, s) − want from the linear guess, keeping a
   * bracket [lo, hi] around the root; a step that leaves it bisects. A step
   * below 1e-7 of the interval is accepted without measuring again: Newton
   * converges quadratically, so what remains is ~1e-14 of the interval. */
  double lo = a, hi = b, s = a + (b - a) * (want / len);
  double tiny = 1e-7 * (b - a);
  for (int it = 0; it < 60; it++) {
    double g = ha__arc_gl(c, a, s) - want;
    if (ha__feq(g, 0.0)) {
      return s;
    }
    if (g > 0.0) {
      hi = s;
    } else {
      lo = s;
    }
    ha_vec3 d;
    c->eval(c->ctx, s, &d);
    double v = ha_vec3_len(d);
    double next = v > 0.0 ? s - g / v : lo;
    if (next > lo && next < hi) {
      if (fabs(next - s) <= tiny) {
        return next;
      }
    } else {
      next = 0.5 * (lo + hi);
      if (!(next > lo && next < hi)) {
        return s; /* the bracket is down to adjacent doubles */
      }
    }
    s = next;
  }
  return s;
}

double ha__arc_table_param(const ha__curve *c, const double *table, size_t n, double frac) {
  double total = table[n];
  if (!(frac > 0.0)) {
    frac = 0.0;
  }
  if (frac > 1.0) {
    frac = 1.0;
  }
  if (!(total > 1e-12)) {
    return frac;
  }
  double want = frac * total;
  /* The last interval starting at or before `want`. */
  size_t lo = 0, hi = n - 1;
  while (lo < hi) {
    size_t mid = lo + (hi - lo + 1) / 2;
    if (table[mid] <= want) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  double a = (double)lo / (double)n, b = (double)(lo + 1) / (double)n;
  return ha__arc_solve(c, a, b, table[lo + 1] - table[lo], want - table[lo]);
}

/* ---- polylines ---- */

static size_t poly_edges(size_t nv, int closed) {
  if (nv < 2) {
    return 0;
  }
  return closed ? nv : nv - 1;
}

double ha__polyline_build(const ha_vec3 *v, size_t nv, int closed, double *cum) {
  size_t m = poly_edges(nv, closed);
  cum[0] = 0.0;
  for (size_t e = 0; e < m; e++) {
    cum[e + 1] = cum[e] + ha_vec3_dist(v[e], v[(e + 1) % nv]);
  }
  return cum[m];
}

ha_vec3 ha__polyline_at(const ha_vec3 *v, size_t nv, int closed, const double *cum, double frac) {
  size_t m = poly_edges(nv, closed);
  if (nv == 0) {
    return ha_vec3_zero();
  }
  if (m == 0 || !(cum[m] > 0.0)) {
    return v[0];
  }
  if (!(frac > 0.0)) {
    frac = 0.0;
  }
  if (frac > 1.0) {
    frac = 1.0;
  }
  double want = frac * cum[m];
  size_t lo = 0, hi = m - 1;
  while (lo < hi) {
    size_t mid = lo + (hi - lo + 1) / 2;
    if (cum[mid] <= want) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  double len = cum[lo + 1] - cum[lo];
  if (!(len > 0.0)) {
    return v[lo];
  }
  double t = (want - cum[lo]) / len;
  return ha_vec3_lerp(v[lo], v[(lo + 1) % nv], t > 1.0 ? 1.0 : t);
}

/* ---- public: ha_path_interpolate ---- */

ha_path_options ha_path_options_default(void) {
  ha_path_options o;
  memset(&o, 0, sizeof(o));
  o.method = HA_PATH_CATMULL_ROM;
  o.alpha = 0.5;
  o.tension = 0.0;
  o.closed = false;
  o.samples = 100;
  o.constant_speed = false;
  return o;
}

/* The last catmull-rom segment computed (evaluation is mostly sequential). */
typedef struct seg_cache {
  size_t seg;
  int valid;
  double k[HA__SEG_DOUBLES];
} seg_cache;

typedef struct path_ctx {
  const ha_vec3 *pts;
  size_t n;
  size_t nseg;
  ha_path_method method;
  int closed;
  ha__spline sp;
  seg_cache *cache;
} path_ctx;

static ha_vec3 path_eval(const void *vctx, double s, ha_vec3 *deriv) {
  const path_ctx *c = vctx;
  double f;
  size_t j = ha__piece(s, c->nseg, &f);
  double scale = (double)c->nseg;
  ha_vec3 p, d;
  switch (c->method) {
  case HA_PATH_BEZIER: {
    ha_vec3 cp[4] = {c->pts[3 * j], c->pts[3 * j + 1], c->pts[3 * j + 2],
                     c->pts[(3 * j + 3) % c->n]};
    p = ha__bezier3(cp, f, &d);
    break;
  }
  case HA_PATH_CATMULL_ROM:
    if (!c->cache->valid || c->cache->seg != j) {
      ha__spline_segment(&c->sp, j, c->cache->k);
      c->cache->seg = j;
      c->cache->valid = 1;
    }
    p = ha__seg_eval(c->cache->k, f, &d);
    break;
  case HA_PATH_LINEAR:
  default: {
    ha_vec3 a = c->pts[j], b = c->pts[(j + 1) % c->n];
    p = ha_vec3_lerp(a, b, f);
    d = ha_vec3_sub(b, a);
    break;
  }
  }
  if (deriv != NULL) {
    *deriv = ha_vec3_scale(d, scale);
  }
  return p;
}

static ha_status no_room(ha_error *err, const char *what, size_t need, size_t cap) {
  char v[32];
  snprintf(v, sizeof(v), "%zu", cap);
  ha__error_invalid(err, HA_CATEGORY_COMPUTATION, what, v,
                    "the result needs %zu points, the buffer holds %zu", need, cap);
  if (err != NULL) {
    err->status = HA_ENOBUFS;
    err->kind = HA_ERROR_RESOURCE_EXHAUSTED;
    err->limit = (uint64_t)cap;
  }
  return HA_ENOBUFS;
}

static ha_status check_points(const ha_vec3 *pts, size_t n, ha_error *err) {
  for (size_t i = 0; i < n; i++) {
    if (!ha_vec3_isfinite(pts[i])) {
      char nm[48];
      snprintf(nm, sizeof(nm), "points[%zu]", i);
      return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, nm, "non-finite",
                               "every coordinate must be a finite number");
    }
  }
  return HA_OK;
}

ha_status ha_path_interpolate(const ha_vec3 *pts, size_t n, const ha_path_options *opt,
                              ha_vec3 *out, size_t out_cap, size_t *out_n, ha_error *err) {
  ha_path_options o = opt != NULL ? *opt : ha_path_options_default();
  if (out_n != NULL) {
    *out_n = 0;
  }
  size_t nseg = 0;
  int closed = o.closed ? 1 : 0;
  switch (o.method) {
  case HA_PATH_LINEAR:
  case HA_PATH_CATMULL_ROM:
    if (n < 2) {
      char v[32];
      snprintf(v, sizeof(v), "%zu points", n);
      return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, "points", v,
                               "needs at least 2 points, got %zu", n);
    }
    nseg = closed ? n : n - 1;
    break;
  case HA_PATH_BEZIER:
    if (closed ? (n < 3 || n % 3 != 0) : (n < 4 || n % 3 != 1)) {
      char v[32];
      snprintf(v, sizeof(v), "%zu points", n);
      return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, "points", v,
                               "a %s Bézier chain needs %s points (P0, C1, C2, P1, ...), got %zu",
                               closed ? "closed" : "open",
                               closed ? "3k (k >= 1)" : "3k + 1 (k >= 1)", n);
    }
    nseg = closed ? n / 3 : (n - 1) / 3;
    break;
  default: {
    char v[32];
    snprintf(v, sizeof(v), "%d", (int)o.method);
    return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, "method", v,
                             "unknown method %d (linear, catmull-rom or bezier)", (int)o.method);
  }
  }
  if (!(o.alpha >= 0.0 && o.alpha <= 1.0)) {
    return ha__error_bounds(err, HA_CATEGORY_COMPUTATION, "alpha", o.alpha, 0.0, 1.0);
  }
  if (!(o.tension >= 0.0 && o.tension <= 1.0)) {
    return ha__error_bounds(err, HA_CATEGORY_COMPUTATION, "tension", o.tension, 0.0, 1.0);
  }
  if (o.samples < 2) {
    char v[32];
    snprintf(v, sizeof(v), "%zu", o.samples);
    return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, "samples", v,
                             "needs at least 2 samples, got %zu", o.samples);
  }
  if (pts == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, "points", "NULL", "no points given");
  }
  ha_status st = check_points(pts, n, err);
  if (st != HA_OK) {
    return st;
  }
  if (out_cap < o.samples) {
    if (out_n != NULL) {
      *out_n = o.samples;
    }
    return no_room(err, "out", o.samples, out_cap);
  }
  if (out == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, "out", "NULL", "no output buffer");
  }

  seg_cache cache;
  memset(&cache, 0, sizeof(cache));
  path_ctx ctx = {pts,      n,      nseg,
                  o.method, closed, {pts, sizeof(ha_vec3), NULL, 0, n, closed, o.alpha, o.tension},
                  &cache};
  ha__curve curve = {path_eval, &ctx, nseg};
  size_t count = o.samples;
  /* Sample k at fraction k/last: open curves end on their last point, closed
   * ones stop one step before returning to the first. */
  double last = closed ? (double)count : (double)(count - 1);

  if (!o.constant_speed) {
    for (size_t k = 0; k < count; k++) {
      out[k] = path_eval(&ctx, (double)k / last, NULL);
    }
  } else {
    /* Two streaming passes over the same intervals (no table): the total,
     * then each target length solved inside the interval that holds it. The
     * second pass sums in the same order, so it reaches the same total. */
    size_t per = (1024 + nseg - 1) / nseg;
    size_t m = nseg * (per < 16 ? 16 : per);
    double total = 0.0;
    for (size_t j = 0; j < m; j++) {
      total += ha__arc_gl(&curve, (double)j / (double)m, (double)(j + 1) / (double)m);
    }
    double acc = 0.0;
    size_t k = 0;
    for (size_t j = 0; j < m && k < count; j++) {
      double a = (double)j / (double)m, b = (double)(j + 1) / (double)m;
      double len = ha__arc_gl(&curve, a, b);
      while (k < count) {
        double want = total * ((double)k / last);
        if (want > acc + len && j + 1 < m) {
          break;
        }
        double s = ha__arc_solve(&curve, a, b, len, want - acc);
        out[k++] = path_eval(&ctx, s, NULL);
      }
      acc += len;
    }
  }
  if (out_n != NULL) {
    *out_n = count;
  }
  return HA_OK;
}

/* ---- public: keyframes ---- */

static ha_status check_keys(const ha_keyframe *keys, size_t n, ha_keyframe_interp interp,
                            ha_error *err) {
  if (n == 0 || keys == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, "keys", "0 keyframes",
                             "needs at least 1 keyframe");
  }
  if ((int)interp < HA__KEYS_LINEAR || (int)interp > HA__KEYS_STEP) {
    char v[32];
    snprintf(v, sizeof(v), "%d", (int)interp);
    return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, "interpolation", v,
                             "unknown interpolation %d (linear, catmull-rom or step)", (int)interp);
  }
  for (size_t i = 0; i < n; i++) {
    char nm[48], v[32];
    if (!isfinite(keys[i].time) || (i > 0 && keys[i].time < keys[i - 1].time)) {
      snprintf(nm, sizeof(nm), "keys[%zu].time", i);
      ha_format_double(v, sizeof(v), keys[i].time);
      return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, nm, v,
                               isfinite(keys[i].time) ? "keyframe times must not decrease"
                                                      : "a keyframe time must be a finite number");
    }
    if (!ha_vec3_isfinite(keys[i].position)) {
      snprintf(nm, sizeof(nm), "keys[%zu].position", i);
      return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, nm, "non-finite",
                               "every coordinate must be a finite number");
    }
    if ((int)keys[i].easing < 0 || keys[i].easing >= HA_EASE_COUNT) {
      snprintf(nm, sizeof(nm), "keys[%zu].easing", i);
      snprintf(v, sizeof(v), "%d", (int)keys[i].easing);
      return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, nm, v, "unknown easing");
    }
  }
  return HA_OK;
}

ha_status ha_path_keyframes_sample(const ha_keyframe *keys, size_t n, ha_keyframe_interp interp,
                                   const double *times, size_t count, ha_vec3 *out, ha_error *err) {
  ha_status st = check_keys(keys, n, interp, err);
  if (st != HA_OK) {
    return st;
  }
  if (count == 0) {
    return HA_OK;
  }
  if (times == NULL || out == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, times == NULL ? "times" : "out", "NULL",
                             "no buffer given for %zu samples", count);
  }
  for (size_t i = 0; i < count; i++) {
    if (!isfinite(times[i])) {
      char nm[48], v[32];
      snprintf(nm, sizeof(nm), "times[%zu]", i);
      ha_format_double(v, sizeof(v), times[i]);
      return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, nm, v,
                               "a sample time must be a finite number");
    }
  }
  for (size_t i = 0; i < count; i++) {
    out[i] = ha__keyframes_eval(keys, n, (int)interp, NULL, times[i]);
  }
  return HA_OK;
}

ha_status ha_path_resample_keyframes(const ha_keyframe *keys, size_t n, ha_keyframe_interp interp,
                                     double rate_hz, ha_vec3 *out, size_t out_cap, size_t *out_n,
                                     ha_error *err) {
  if (out_n != NULL) {
    *out_n = 0;
  }
  ha_status st = check_keys(keys, n, interp, err);
  if (st != HA_OK) {
    return st;
  }
  if (!(rate_hz >= 1e-6 && rate_hz <= 1e6)) {
    return ha__error_bounds(err, HA_CATEGORY_COMPUTATION, "rate_hz", rate_hz, 1e-6, 1e6);
  }
  double t0 = keys[0].time;
  double periods = floor((keys[n - 1].time - t0) * rate_hz + 1e-9);
  if (periods + 1.0 > 1e9) {
    char v[32];
    ha_format_double(v, sizeof(v), periods + 1.0);
    return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, "rate_hz", v,
                             "%s samples is more than the limit of 1e9", v);
  }
  size_t count = (size_t)periods + 1;
  if (out_cap < count) {
    if (out_n != NULL) {
      *out_n = count;
    }
    return no_room(err, "out", count, out_cap);
  }
  if (out == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, "out", "NULL", "no output buffer");
  }
  /* Sequential times: keep the current catmull-rom segment between samples. */
  ha__spline sp = ha__keys_spline(keys, n);
  double k[HA__SEG_DOUBLES];
  size_t have = (size_t)-1;
  for (size_t i = 0; i < count; i++) {
    double t = t0 + (double)i / rate_hz;
    if (interp != HA_KEYFRAMES_CATMULL_ROM || n < 2 || t >= keys[n - 1].time) {
      out[i] = ha__keyframes_eval(keys, n, (int)interp, NULL, t);
      continue;
    }
    size_t lo = find_key(keys, n, t);
    if (lo != have) {
      ha__spline_segment(&sp, lo, k);
      have = lo;
    }
    out[i] = ha__seg_eval(k, key_fraction(keys, lo, t), NULL);
  }
  if (out_n != NULL) {
    *out_n = count;
  }
  return HA_OK;
}
