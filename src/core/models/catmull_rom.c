/* catmull-rom: a spline through every control point.
 *
 * The shape is the Barry–Goldman (alpha) Catmull-Rom curve with mirrored
 * phantom end points and tangents scaled by (1 − tension); the motion passes
 * point i at p = i/(n − 1) (open) or i/n (closed, back at point 0 at p = 1)
 * and is C1 in p thanks to a monotone time warp inside each segment (the
 * construction and why it was chosen are in path.c). Consecutive coincident
 * points are a dwell: the source slows to a stop, stays for that segment's
 * share of the duration, and leaves again smoothly.
 *
 * With constantSpeed the same curve is traversed at constant speed, so the
 * control points are passed at their arc-length fractions instead of at
 * i/(n − 1). Segment coefficients (and with constantSpeed the arc-length
 * table) are built once in prepare into d->aux:
 *   aux[0 .. 14·nseg)          segment i at aux + 14·i (ha__spline_segment)
 *   aux[14·nseg .. + N + 1)    cumulative lengths (constantSpeed only)
 *
 * form hermite is the original v2.3's curve, evaluated directly (no aux):
 * uniform cubic Hermite segments, see hermite(). */
#include "model_impl.h"
#include "path_aux.h"

enum { S_ALPHA = 0, S_TENSION = 1, S_CLOSED = 2, S_CONST = 3, S_FORM = 4, S_TSCALE = 5 };

static const ha_param_info params[] = {
    HA__P_POINTS("controlPoints", NULL, 2, 1000, "points the spline passes through, in order (m)"),
    HA__P_NUM(S_ALPHA, "alpha", NULL, "", 0.5, 0, 1,
              "knot exponent: 0 uniform, 0.5 centripetal (no cusps), 1 chordal"),
    HA__P_NUM(S_TENSION, "tension", NULL, "", 0, 0, 1,
              "tangents scaled by (1 - tension): 0 Catmull-Rom, 1 straight with stops"),
    HA__P_BOOL(S_CLOSED, "closed", NULL, 0, "loop from the last point back to the first"),
    HA__P_BOOL(S_CONST, "constantSpeed", NULL, 0,
               "move at constant speed (points are then passed at arc-length fractions)"),
    HA__P_CHOICE(S_FORM, "form", NULL, "spline|hermite", 0,
                 "spline: the curve above; hermite: the original v2.3's uniform segments "
                 "(open: the first and last points only shape the ends, n - 3 segments; "
                 "closed: n segments from point 1), tangents tangentScale·(P[i+1] - P[i-1])"),
    HA__P_NUM(S_TSCALE, "tangentScale", NULL, "", 0.5, 0, 10,
              "hermite form: tangent factor (the original's tension; 0.5 = Catmull-Rom)"),
};

static const ha_vec3 default_pts[] = {{-5, 0, 0}, {-2, 3, 0}, {2, -3, 0}, {5, 0, 0}};

static size_t segments(const ha__motion_data *d) {
  return d->s[S_CLOSED] > 0.5 ? d->npts : d->npts - 1;
}

/* The whole spline over s in [0, 1], segment i on [i, i + 1]/nseg. */
static ha_vec3 curve_eval(const void *ctx, double s, ha_vec3 *deriv) {
  const ha__motion_data *d = ctx;
  size_t nseg = segments(d);
  double f;
  size_t j = ha__piece(s, nseg, &f);
  ha_vec3 p = ha__seg_eval(d->aux + j * HA__SEG_DOUBLES, f, deriv);
  if (deriv != NULL) {
    *deriv = ha_vec3_scale(*deriv, (double)nseg);
  }
  return p;
}

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  (void)raw;
  if ((int)d->s[S_FORM] == 1) {
    if (d->s[S_CLOSED] < 0.5 && d->npts < 4) {
      return ha__error_invalid(err, HA_CATEGORY_MODEL, "controlPoints", "fewer than 4",
                               "the open hermite form needs at least 4 points (the first and "
                               "last only shape the ends)");
    }
    return HA_OK;
  }
  int closed = d->s[S_CLOSED] > 0.5;
  int constant = d->s[S_CONST] > 0.5;
  size_t nseg = segments(d);
  size_t ntab = constant ? ha__arc_table_size(nseg) : 0;
  ha__spline sp = {d->pts,  sizeof(ha_vec3), NULL,          0,
                   d->npts, closed,          d->s[S_ALPHA], d->s[S_TENSION]};
  ha_status st = path_aux_segments(d, &sp, nseg, constant ? ntab + 1 : 0);
  if (st != HA_OK || !constant) {
    return st;
  }
  ha__curve c = {curve_eval, d, nseg}; /* reads the segments just built */
  ha__arc_table_build(&c, d->aux + nseg * HA__SEG_DOUBLES, ntab);
  return HA_OK;
}

/* The hermite form: segment k of m runs from point k + 1 to k + 2 (indices
 * wrap when closed, clamp when open), with tangents c·(P[k+2] − P[k]) and
 * c·(P[k+3] − P[k+1]). */
static ha_vec3 hermite(const ha__motion_data *d, double p) {
  int closed = d->s[S_CLOSED] > 0.5;
  size_t n = d->npts, m = closed ? n : n - 3;
  double x = fmin(fmax(p, 0.0), 1.0) * (double)m;
  double kf = floor(x);
  double t = x - kf;
  size_t k = (size_t)kf, q[4];
  for (size_t j = 0; j < 4; j++) {
    q[j] = closed ? (k + j) % n : (k + j < n ? k + j : n - 1);
  }
  double c = d->s[S_TSCALE], t2 = t * t, t3 = t2 * t;
  const ha_vec3 *P = d->pts;
  ha_vec3 v0 = ha_vec3_scale(ha_vec3_sub(P[q[2]], P[q[0]]), c);
  ha_vec3 v1 = ha_vec3_scale(ha_vec3_sub(P[q[3]], P[q[1]]), c);
  ha_vec3 a = ha_vec3_add(ha_vec3_scale(ha_vec3_sub(P[q[1]], P[q[2]]), 2.0), ha_vec3_add(v0, v1));
  ha_vec3 b = ha_vec3_sub(ha_vec3_scale(ha_vec3_sub(P[q[2]], P[q[1]]), 3.0),
                          ha_vec3_add(ha_vec3_scale(v0, 2.0), v1));
  return ha_vec3_add(ha_vec3_add(ha_vec3_scale(a, t3), ha_vec3_scale(b, t2)),
                     ha_vec3_add(ha_vec3_scale(v0, t), P[q[1]]));
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  if ((int)d->s[S_FORM] == 1) {
    return hermite(d, ev->p);
  }
  double s = ev->p;
  if (d->s[S_CONST] > 0.5) {
    size_t nseg = segments(d);
    ha__curve c = {curve_eval, d, nseg};
    s = ha__arc_table_param(&c, d->aux + nseg * HA__SEG_DOUBLES, ha__arc_table_size(nseg), s);
  }
  return curve_eval(d, s, NULL);
}

static ha_vec3 pivot(const ha__motion_data *d) {
  return d->pts[0];
}

/* The SEGS kernel (model_impl.h): curve_eval over the segments in d->aux;
 * the hermite form and constantSpeed (its arc-length inversion) stay with
 * local(). */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  if ((int)d->s[S_FORM] == 1 || d->s[S_CONST] > 0.5 || d->aux == NULL) {
    return HA__KERNEL_NONE;
  }
  ha__kernel_identity(kp);
  kp->omega[0] = (double)segments(d);
  kp->table = d->aux;
  return HA__KERNEL_SEGS;
}

const ha__model ha__model_catmull_rom = {
    .info = HA__MODEL_INFO("catmull-rom", NULL, 0, params,
                           "smooth spline through every control point (centripetal by default)"),
    .prepare = prepare,
    .local = local,
    .pivot = pivot,
    .pack = pack,
    .default_pts = default_pts,
    .default_npts = HA__COUNTOF(default_pts),
};
