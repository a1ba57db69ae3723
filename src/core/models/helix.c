/* helix: a helix around the axis from axisStart (S) to axisEnd (E).
 * θ = d·2π·turns·p (d = +1 counterclockwise about S→E); P = lerp(S, E, p) +
 * r(cos θ·u + sin θ·v), where (u, v) are X and Y carried by the minimal
 * rotation taking Z onto a = unit(E − S) (exactly antiparallel: 180° about
 * X, so u = X, v = −Y).
 *
 * The rotation is written in closed form, R = I + [k]× + [k]×²/(1 + a_z)
 * with k = Z × a. Near a = −Z, 1 + a_z cancels catastrophically, so there it
 * is computed as (a_x² + a_y²)/(1 − a_z), which is exact algebra and keeps
 * full precision. The frame is built once in prepare into d->aux.
 *
 * circlePlane xy (the original v2.3's helix): u = X, v = Y whatever the
 * axis, so the circle lies in a horizontal plane moving along the axis;
 * circlePlane xz (the original v2.0's helix): u = X, v = Z whatever the
 * axis. */
#include "model_impl.h"

enum { S_START = 0, S_END = 3, S_RADIUS = 6, S_TURNS = 7, S_DIR = 8, S_PLANE = 9 };

static const ha_param_info params[] = {
    HA__P_POS(S_START, "axisStart", NULL, 0, 0, -5, "start of the helix axis (m)"),
    HA__P_POS(S_END, "axisEnd", NULL, 0, 0, 5, "end of the helix axis (m)"),
    HA__P_LEN(S_RADIUS, "radius", NULL, 3, "distance from the axis (m)"),
    HA__P_TURNS(S_TURNS, "turns", NULL, 3, "turns per duration"),
    HA__P_CHOICE(S_DIR, "direction", NULL, "counterclockwise|clockwise", 0,
                 "turning direction seen looking from axisEnd back to axisStart"),
    HA__P_CHOICE(S_PLANE, "circlePlane", NULL, "perpendicular|xy|xz", 0,
                 "plane of the circle: perpendicular to the axis; xy whatever the axis (the "
                 "original v2.3's helix; the direction is seen from +z); xz whatever the axis "
                 "(the original v2.0's helix: u = X, v = Z)"),
};

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  (void)raw;
  ha_vec3 a;
  ha_status st =
      ha__slot_direction(d, S_START, S_END, "axisEnd",
                         "must differ from axisStart (the helix axis needs a direction)", &a, err);
  if (st != HA_OK) {
    return st;
  }
  ha_vec3 u, v;
  double h2 = a.x * a.x + a.y * a.y;
  int plane = (int)d->s[S_PLANE];
  if (plane > 0) {
    u = ha_vec3_make(1.0, 0.0, 0.0);
    v = plane == 1 ? ha_vec3_make(0.0, 1.0, 0.0) : ha_vec3_make(0.0, 0.0, 1.0);
  } else if (!(h2 > 0.0)) {
    u = ha_vec3_make(1.0, 0.0, 0.0);
    v = ha_vec3_make(0.0, a.z > 0.0 ? 1.0 : -1.0, 0.0);
  } else {
    double k = a.z >= 0.0 ? 1.0 / (1.0 + a.z) : (1.0 - a.z) / h2;
    u = ha_vec3_make(1.0 - a.x * a.x * k, -a.x * a.y * k, -a.x);
    v = ha_vec3_make(-a.x * a.y * k, 1.0 - a.y * a.y * k, -a.y);
  }
  if (ha__aux_alloc(d, 6) != HA_OK) {
    return HA_ENOMEM;
  }
  ha__vec3_store(d->aux, u);
  ha__vec3_store(d->aux + 3, v);
  return HA_OK;
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double dir = (int)d->s[S_DIR] == 0 ? 1.0 : -1.0;
  double th = dir * HA_TAU * d->s[S_TURNS] * ev->p, r = d->s[S_RADIUS];
  ha_vec3 u = ha__vec3_load(d->aux), v = ha__vec3_load(d->aux + 3);
  ha_vec3 base = ha_vec3_lerp(ha__slot_vec3(d, S_START), ha__slot_vec3(d, S_END), ev->p);
  return ha_vec3_add(base,
                     ha_vec3_add(ha_vec3_scale(u, r * cos(th)), ha_vec3_scale(v, r * sin(th))));
}

/* Batch kernel: P = S + (E − S)·p + r·u·cos θ + r·v·sin θ, θ as local(). */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  double dir = (int)d->s[S_DIR] == 0 ? 1.0 : -1.0, r = d->s[S_RADIUS];
  ha_vec3 s = ha__slot_vec3(d, S_START);
  ha__kernel_shape(kp, s, 0.0, dir * HA_TAU * d->s[S_TURNS], HA_EASE_LINEAR);
  kp->rho[0] = 1.0;
  ha__kernel_col(kp, 0, ha_vec3_scale(ha__vec3_load(d->aux), r));
  ha__kernel_col(kp, 1, ha_vec3_scale(ha__vec3_load(d->aux + 3), r));
  ha__kernel_col(kp, 2, ha_vec3_sub(ha__slot_vec3(d, S_END), s));
  return HA__KERNEL_ROT1;
}

const ha__model ha__model_helix = {
    .info = HA__MODEL_INFO("helix", NULL, 0, params,
                           "helix winding around an axis from axisStart to axisEnd"),
    .prepare = prepare,
    .local = local,
    .pack = pack,
};
