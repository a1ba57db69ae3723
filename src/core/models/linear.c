/* linear: from startPosition to endPosition with an easing, in xyz or in aed
 * (distance and elevation lerped, azimuth along the shorter arc). */
#include "model_impl.h"

enum { S_START = 0, S_END = 3, S_EASING = 6, S_SPACE = 7 };

static const ha_param_info params[] = {
    HA__P_POS(S_START, "startPosition", "start,startPoint", -5, 0, 0, "where the source starts"),
    HA__P_POS(S_END, "endPosition", "end,endPoint", 5, 0, 0, "where the source ends"),
    HA__P_EASING(S_EASING, "easing", NULL, HA_EASE_LINEAR, "progress curve along the line"),
    HA__P_CHOICE(S_SPACE, "space", "interpolation", "xyz|aed", 0,
                 "interpolate in cartesian (xyz) or polar (aed) coordinates"),
};

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  ha_vec3 s = ha__slot_vec3(d, S_START), e = ha__slot_vec3(d, S_END);
  double k = ha_ease((ha_easing)d->s[S_EASING], ev->p);
  if ((int)d->s[S_SPACE] == 0) {
    return ha_vec3_lerp(s, e, k);
  }
  ha_vec3 a = ha_xyz_to_aed(s, HA_AZIMUTH_CLOCKWISE), b = ha_xyz_to_aed(e, HA_AZIMUTH_CLOCKWISE);
  double az = a.x + ha_angle_diff_deg(a.x, b.x) * k;
  ha_vec3 aed = ha_vec3_make(az, a.y + (b.y - a.y) * k, a.z + (b.z - a.z) * k);
  return ha_aed_to_xyz(aed, HA_AZIMUTH_CLOCKWISE);
}

/* Batch kernel (xyz only; aed turns the azimuth): P = S + (E − S)·g. */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  int ease = (int)d->s[S_EASING];
  if ((int)d->s[S_SPACE] != 0 || !ha__kernel_ease_ok(ease)) {
    return HA__KERNEL_NONE;
  }
  ha_vec3 s = ha__slot_vec3(d, S_START);
  ha__kernel_shape(kp, s, 0.0, 0.0, ease);
  ha__kernel_col(kp, 2, ha_vec3_sub(ha__slot_vec3(d, S_END), s));
  return HA__KERNEL_LERP;
}

const ha__model ha__model_linear = {
    .info = HA__MODEL_INFO("linear", "line", 0, params,
                           "straight move from a start to an end position with an easing"),
    .local = local,
    .pack = pack,
};
