/* helix: a helix around the axis from axisStart (S) to axisEnd (E).
 * θ = d·2π·turns·p (d = +1 counterclockwise about S→E); P = lerp(S, E, p) +
 * r(cos θ·u + sin θ·v), where (u, v) are X and Y carried by the minimal
 * rotation taking Z onto a = unit(E − S) (exactly antiparallel: 180° about
 * X, so u = X, v = −Y).
 *
 * The rotation is written in closed form, R = I + [k]× + [k]×²/(1 + a_z)
 * with k = Z × a. Near a = −Z, 1 + a_z cancels catastrophically, so there it
 * is computed as (a_x² + a_y²)/(1 − a_z), which is exact algebra and keeps
 * full precision. The frame is built once in prepare into d->aux. */
#include "model_impl.h"

#include <stdio.h>
#include <stdlib.h>

enum { S_START = 0, S_END = 3, S_RADIUS = 6, S_TURNS = 7, S_DIR = 8 };

static const ha_param_info params[] = {
    HA__P_VEC(S_START, "axisStart", NULL, 0, 0, -5, -HA__POS_MAX, HA__POS_MAX,
              "start of the helix axis (m)"),
    HA__P_VEC(S_END, "axisEnd", NULL, 0, 0, 5, -HA__POS_MAX, HA__POS_MAX,
              "end of the helix axis (m)"),
    HA__P_NUM(S_RADIUS, "radius", NULL, "m", 3, 0, HA__POS_MAX, "distance from the axis (m)"),
    HA__P_NUM(S_TURNS, "turns", NULL, "turns", 3, -1000, 1000, "turns per duration"),
    HA__P_CHOICE(S_DIR, "direction", NULL, "counterclockwise|clockwise", 0,
                 "turning direction seen looking from axisEnd back to axisStart"),
};

/* unit(v), or zero for the zero vector (scaled first: no underflow). */
static ha_vec3 unit_of(ha_vec3 v) {
  double m = fmax(fabs(v.x), fmax(fabs(v.y), fabs(v.z)));
  if (!(m > 0.0)) {
    return ha_vec3_zero();
  }
  return ha_vec3_normalize(ha_vec3_make(v.x / m, v.y / m, v.z / m));
}

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  (void)raw;
  ha_vec3 a = unit_of(ha_vec3_sub(ha__slot_vec3(d, S_END), ha__slot_vec3(d, S_START)));
  if (ha_vec3_dot(a, a) < 0.5) {
    char v[100], x[32], y[32], z[32];
    ha_format_double(x, sizeof(x), d->s[S_END]);
    ha_format_double(y, sizeof(y), d->s[S_END + 1]);
    ha_format_double(z, sizeof(z), d->s[S_END + 2]);
    snprintf(v, sizeof(v), "[%s, %s, %s]", x, y, z);
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "axisEnd", v,
                             "must differ from axisStart (the helix axis needs a direction)");
  }
  ha_vec3 u, v;
  double h2 = a.x * a.x + a.y * a.y;
  if (!(h2 > 0.0)) {
    u = ha_vec3_make(1.0, 0.0, 0.0);
    v = ha_vec3_make(0.0, a.z > 0.0 ? 1.0 : -1.0, 0.0);
  } else {
    double k = a.z >= 0.0 ? 1.0 / (1.0 + a.z) : (1.0 - a.z) / h2;
    u = ha_vec3_make(1.0 - a.x * a.x * k, -a.x * a.y * k, -a.x);
    v = ha_vec3_make(-a.x * a.y * k, 1.0 - a.y * a.y * k, -a.y);
  }
  d->aux = malloc(6 * sizeof(double));
  if (d->aux == NULL) {
    return HA_ENOMEM;
  }
  d->aux[0] = u.x;
  d->aux[1] = u.y;
  d->aux[2] = u.z;
  d->aux[3] = v.x;
  d->aux[4] = v.y;
  d->aux[5] = v.z;
  d->naux = 6;
  return HA_OK;
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double dir = (int)d->s[S_DIR] == 0 ? 1.0 : -1.0;
  double th = dir * HA_TAU * d->s[S_TURNS] * ev->p, r = d->s[S_RADIUS];
  ha_vec3 u = ha_vec3_make(d->aux[0], d->aux[1], d->aux[2]);
  ha_vec3 v = ha_vec3_make(d->aux[3], d->aux[4], d->aux[5]);
  ha_vec3 base = ha_vec3_lerp(ha__slot_vec3(d, S_START), ha__slot_vec3(d, S_END), ev->p);
  return ha_vec3_add(base,
                     ha_vec3_add(ha_vec3_scale(u, r * cos(th)), ha_vec3_scale(v, r * sin(th))));
}

const ha__model ha__model_helix = {
    .info = {.name = "helix",
             .aliases = NULL,
             .description = "helix winding around an axis from axisStart to axisEnd",
             .params = params,
             .param_count = HA__COUNTOF(params),
             .flags = 0},
    .prepare = prepare,
    .local = local,
};
