/* pattern: a closed unit shape traversed at constant speed around a centre.
 *
 * P = center + shape(f), f = frac(speed·p) the lap fraction (p = 1 ends a
 * lap; negative speeds run the shape backwards). Shapes lie in the xy plane,
 * start at their first point and run counter-clockwise (seen from +Z):
 *   circle   (cos 2πf, sin 2πf), starting at (1, 0);
 *   square   corners (1, 1), (−1, 1), (−1, −1), (1, −1);
 *   triangle inscribed in r = 1, vertices at 90°, 210°, 330° (first at (0, 1));
 *   star     5 points: outer r = 1 at 90° + k·72°, inner r = 0.382 halfway
 *            between (10 vertices, first at (0, 1));
 *   figure8  (sin θ, sin θ·cos θ), θ in [0, 2π), starting at the origin;
 *   points   the closed polyline of the given points (offsets from center;
 *            with the default center 0 they are absolute positions).
 * Polygons and polylines are exactly arc-length parameterised (cumulative
 * edge lengths); the figure8 uses an arc-length table; all are built once in
 * prepare into d->aux. Other planes, sizes and orientations come from the
 * common frame parameters, which act about the pivot = center: `scale`
 * (MODELS.md's scale, number or per axis) and `rotation` (quaternion or
 * Euler), giving center + R·(scale·shape) as MODELS.md writes it; so the
 * model has no scale parameter of its own (it would be applied twice). */
#include "model_impl.h"
#include "path_aux.h"

enum { S_CENTER = 0, S_PATTERN = 3, S_SPEED = 4 };
enum { CIRCLE = 0, SQUARE, TRIANGLE, STAR, FIGURE8 };

_Static_assert(sizeof(ha_vec3) == 3 * sizeof(double), "ha_vec3 must be three packed doubles");

static const ha_param_info params[] = {
    HA__P_CHOICE(S_PATTERN, "pattern", NULL, "circle|square|triangle|star|figure8", 0,
                 "the unit shape to trace (ignored when points are given)"),
    HA__P_POINTS("points", NULL, 2, 1000,
                 "a closed polyline to trace instead of a built-in shape (m, from center)"),
    HA__P_VEC(S_CENTER, "center", NULL, 0, 0, 0, -HA__POS_MAX, HA__POS_MAX,
              "centre of the shape; rotation and scale act about it (m)"),
    HA__P_NUM(S_SPEED, "speed", NULL, "laps", 1, -1000, 1000,
              "laps per duration (negative: backwards)"),
};

#define STAR_INNER 0.382

/* The polygon of a built-in shape into v (room for 10); its vertex count. */
static size_t polygon(int shape, ha_vec3 *v) {
  switch (shape) {
  case SQUARE:
    v[0] = ha_vec3_make(1, 1, 0);
    v[1] = ha_vec3_make(-1, 1, 0);
    v[2] = ha_vec3_make(-1, -1, 0);
    v[3] = ha_vec3_make(1, -1, 0);
    return 4;
  case TRIANGLE:
    for (int k = 0; k < 3; k++) {
      double a = ha_deg2rad(90.0 + 120.0 * k);
      v[k] = ha_vec3_make(cos(a), sin(a), 0.0);
    }
    return 3;
  case STAR:
    for (int k = 0; k < 10; k++) {
      double a = ha_deg2rad(90.0 + 36.0 * k), r = k % 2 == 0 ? 1.0 : STAR_INNER;
      v[k] = ha_vec3_make(r * cos(a), r * sin(a), 0.0);
    }
    return 10;
  default: return 0;
  }
}

static ha_vec3 figure8(const void *ctx, double s, ha_vec3 *deriv) {
  (void)ctx;
  double th = HA_TAU * s, st = sin(th), ct = cos(th);
  if (deriv != NULL) {
    *deriv = ha_vec3_make(HA_TAU * ct, HA_TAU * cos(2.0 * th), 0.0);
  }
  return ha_vec3_make(st, st * ct, 0.0);
}

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  int shape = (int)d->s[S_PATTERN];
  if (d->npts > 0) {
    ha__value v;
    if (ha__params_get(raw, &params[0], &v)) {
      return ha__error_invalid(err, HA_CATEGORY_MODEL, "pattern", v.str ? v.str : "?",
                               "give either a pattern or points, not both");
    }
    if (ha__aux_alloc(d, d->npts + 1) != HA_OK) {
      return HA_ENOMEM;
    }
    ha__polyline_build(d->pts, d->npts, 1, d->aux);
    return HA_OK;
  }
  if (shape == FIGURE8) {
    ha__curve c = {figure8, NULL, 1};
    return path_aux_arc_table(d, &c);
  }
  ha_vec3 v[10];
  size_t nv = polygon(shape, v);
  if (nv == 0) {
    return HA_OK; /* circle: closed form */
  }
  /* nv vertices (3 doubles each), then nv + 1 cumulative lengths. */
  if (ha__aux_alloc(d, 4 * nv + 1) != HA_OK) {
    return HA_ENOMEM;
  }
  ha_vec3 *dst = (ha_vec3 *)(void *)d->aux;
  for (size_t i = 0; i < nv; i++) {
    dst[i] = v[i];
  }
  ha__polyline_build(dst, nv, 1, d->aux + 3 * nv);
  return HA_OK;
}

static ha_vec3 shape_at(const ha__motion_data *d, double f) {
  if (d->npts > 0) {
    return ha__polyline_at(d->pts, d->npts, 1, d->aux, f);
  }
  switch ((int)d->s[S_PATTERN]) {
  case SQUARE:
  case TRIANGLE:
  case STAR: {
    size_t nv = (d->naux - 1) / 4;
    return ha__polyline_at((const ha_vec3 *)(const void *)d->aux, nv, 1, d->aux + 3 * nv, f);
  }
  case FIGURE8: {
    ha__curve c = {figure8, NULL, 1};
    return figure8(NULL, path_aux_arc_param(d, &c, f), NULL);
  }
  default: return ha_vec3_make(cos(HA_TAU * f), sin(HA_TAU * f), 0.0);
  }
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double x = d->s[S_SPEED] * ev->p;
  double f = x - floor(x);
  return ha_vec3_add(ha__slot_vec3(d, S_CENTER), shape_at(d, f));
}

/* Batch kernel, the circle only: (cos 2πf, sin 2πf) about the centre, f the
 * lap fraction of speed·p. The polygons and tables stay generic. */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  if (d->npts > 0 || (int)d->s[S_PATTERN] != CIRCLE) {
    return HA__KERNEL_NONE;
  }
  ha__kernel_shape(kp, ha__slot_vec3(d, S_CENTER), 0.0, HA_TAU, HA_EASE_LINEAR);
  kp->u_mode = 2;
  kp->u_scale = d->s[S_SPEED];
  kp->rho[0] = 1.0;
  ha__kernel_col(kp, 0, ha_vec3_make(1.0, 0.0, 0.0));
  ha__kernel_col(kp, 1, ha_vec3_make(0.0, 1.0, 0.0));
  return HA__KERNEL_ROT1;
}

const ha__model ha__model_pattern = {
    .info = HA__MODEL_INFO("pattern", NULL, 0, params,
                           "closed shape (circle, square, triangle, star, figure8 or points) "
                           "traced at constant speed"),
    .prepare = prepare,
    .local = local,
    .pack = pack,
};
