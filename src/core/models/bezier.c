/* bezier: one cubic Bézier from start to end through the pull of two control
 * points, at s = ease(p).
 *
 * With constantSpeed the curve is reparameterised by arc length, so the
 * distance travelled is L·ease(p): the table (1024 Gauss–Legendre intervals)
 * is built once in prepare into d->aux and inverted per evaluation with a
 * binary search and a Newton solve (path.c). Overshooting easings (back,
 * elastic) give ease(p) outside [0, 1]: without constantSpeed the cubic
 * simply extrapolates; with it the source continues along the end tangent
 * at the same speed, so the distance stays L·ease(p) there too. */
#include "model_impl.h"
#include "path_aux.h"

enum { S_START = 0, S_C1 = 3, S_C2 = 6, S_END = 9, S_EASING = 12, S_CONST = 13 };

static const ha_param_info params[] = {
    HA__P_VEC(S_START, "start", NULL, -5, 0, 0, -HA__POS_MAX, HA__POS_MAX,
              "where the curve starts (m)"),
    HA__P_VEC(S_C1, "control1", NULL, -2, 5, 2, -HA__POS_MAX, HA__POS_MAX,
              "first control point: the curve leaves start toward it (m)"),
    HA__P_VEC(S_C2, "control2", NULL, 2, 5, -2, -HA__POS_MAX, HA__POS_MAX,
              "second control point: the curve arrives at end from it (m)"),
    HA__P_VEC(S_END, "end", NULL, 5, 0, 0, -HA__POS_MAX, HA__POS_MAX, "where the curve ends (m)"),
    HA__P_EASING(S_EASING, "easing", NULL, HA_EASE_LINEAR, "progress curve along the path"),
    HA__P_BOOL(S_CONST, "constantSpeed", NULL, 0,
               "move at constant speed along the curve (distance grows with ease(p))"),
};

static void control_points(const ha__motion_data *d, ha_vec3 cp[4]) {
  cp[0] = ha__slot_vec3(d, S_START);
  cp[1] = ha__slot_vec3(d, S_C1);
  cp[2] = ha__slot_vec3(d, S_C2);
  cp[3] = ha__slot_vec3(d, S_END);
}

static ha_vec3 curve_eval(const void *ctx, double s, ha_vec3 *deriv) {
  return ha__bezier3((const ha_vec3 *)ctx, s, deriv);
}

/* Unit direction the curve leaves cp[0] along (at_end: arrives at cp[3]
 * along): the first non-zero of the control-polygon differences. */
static ha_vec3 end_direction(const ha_vec3 cp[4], int at_end) {
  for (int i = 1; i <= 3; i++) {
    ha_vec3 v = at_end ? ha_vec3_sub(cp[3], cp[3 - i]) : ha_vec3_sub(cp[i], cp[0]);
    if (ha_vec3_len(v) > HA__COINCIDENT) {
      return ha_vec3_normalize(v);
    }
  }
  return ha_vec3_zero();
}

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  (void)raw;
  (void)err;
  if (d->s[S_CONST] < 0.5) {
    return HA_OK;
  }
  ha_vec3 cp[4];
  control_points(d, cp);
  ha__curve c = {curve_eval, cp, 1};
  return path_aux_arc_table(d, &c);
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  ha_vec3 cp[4];
  control_points(d, cp);
  double s = ha_ease((ha_easing)d->s[S_EASING], ev->p);
  if (d->aux == NULL) {
    return ha__bezier3(cp, s, NULL);
  }
  double total = d->aux[d->naux - 1]; /* the curve's length */
  if (s < 0.0) {
    return ha_vec3_add(cp[0], ha_vec3_scale(end_direction(cp, 0), s * total));
  }
  if (s > 1.0) {
    return ha_vec3_add(cp[3], ha_vec3_scale(end_direction(cp, 1), (s - 1.0) * total));
  }
  ha__curve c = {curve_eval, cp, 1};
  return ha__bezier3(cp, path_aux_arc_param(d, &c, s), NULL);
}

/* Batch kernel, without constantSpeed (the arc-length table stays generic):
 * the cubic at ease(p), the control points as the four columns. */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  int ease = (int)d->s[S_EASING];
  if (d->aux != NULL || !ha__kernel_ease_ok(ease)) {
    return HA__KERNEL_NONE;
  }
  ha_vec3 cp[4];
  control_points(d, cp);
  ha__kernel_shape(kp, ha_vec3_zero(), 0.0, 0.0, ease);
  for (int k = 0; k < 3; k++) {
    ha__kernel_col(kp, k, cp[k]);
  }
  kp->n[0][0] = cp[3].x;
  kp->n[1][0] = cp[3].y;
  kp->n[2][0] = cp[3].z;
  return HA__KERNEL_CUBIC;
}

const ha__model ha__model_bezier = {
    .info = HA__MODEL_INFO("bezier", NULL, 0, params,
                           "cubic Bézier curve from start to end shaped by two control points"),
    .prepare = prepare,
    .local = local,
    .pack = pack,
};
