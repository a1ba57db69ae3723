/* holoanim: vector, quaternion and matrix math, coordinate conversions.
 *
 * Value types passed by value with static inline helpers (cglm/raymath
 * style). Degenerate inputs have defined results: normalize(0) = 0 (and any
 * finite non-zero vector, however small or large, has a unit vector), a zero
 * quaternion normalizes to identity. Metres, right-handed, X right, Y front,
 * Z up (the Holophonix convention). Thread: any (pure functions).
 */
#ifndef HOLOANIM_MATH_H
#define HOLOANIM_MATH_H

#include <math.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HA_PI 3.14159265358979323846
#define HA_TAU 6.28318530717958647692

typedef struct ha_vec3 {
  double x, y, z;
} ha_vec3;

/* Unit quaternion w + xi + yj + zk. */
typedef struct ha_quat {
  double w, x, y, z;
} ha_quat;

/* Row-major 3x3 matrix: m[row][col]. */
typedef struct ha_mat3 {
  double m[3][3];
} ha_mat3;

static inline double ha_deg2rad(double d) {
  return d * (HA_PI / 180.0);
}
static inline double ha_rad2deg(double r) {
  return r * (180.0 / HA_PI);
}

static inline ha_vec3 ha_vec3_make(double x, double y, double z) {
  ha_vec3 v = {x, y, z};
  return v;
}
static inline ha_vec3 ha_vec3_zero(void) {
  return ha_vec3_make(0.0, 0.0, 0.0);
}
static inline ha_vec3 ha_vec3_add(ha_vec3 a, ha_vec3 b) {
  return ha_vec3_make(a.x + b.x, a.y + b.y, a.z + b.z);
}
static inline ha_vec3 ha_vec3_sub(ha_vec3 a, ha_vec3 b) {
  return ha_vec3_make(a.x - b.x, a.y - b.y, a.z - b.z);
}
static inline ha_vec3 ha_vec3_scale(ha_vec3 a, double s) {
  return ha_vec3_make(a.x * s, a.y * s, a.z * s);
}
static inline ha_vec3 ha_vec3_mul(ha_vec3 a, ha_vec3 b) {
  return ha_vec3_make(a.x * b.x, a.y * b.y, a.z * b.z);
}
static inline double ha_vec3_dot(ha_vec3 a, ha_vec3 b) {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}
static inline ha_vec3 ha_vec3_cross(ha_vec3 a, ha_vec3 b) {
  return ha_vec3_make(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
}
static inline double ha_vec3_len(ha_vec3 a) {
  return sqrt(ha_vec3_dot(a, a));
}
static inline double ha_vec3_dist(ha_vec3 a, ha_vec3 b) {
  return ha_vec3_len(ha_vec3_sub(a, b));
}
static inline int ha_vec3_isfinite(ha_vec3 a) {
  return isfinite(a.x) && isfinite(a.y) && isfinite(a.z);
}
/* Unit vector along a, for any finite non-zero a however small or large;
 * the zero vector when a is exactly zero or has a non-finite component.
 * a is first divided by its largest component (in magnitude), so the length
 * is taken of a vector within [1, √3]: it neither underflows to zero (a
 * 1e-300 vector) nor overflows to infinity (a 1e300 one). */
static inline ha_vec3 ha_vec3_normalize(ha_vec3 a) {
  double m = fmax(fabs(a.x), fmax(fabs(a.y), fabs(a.z)));
  if (!(m > 0.0) || !ha_vec3_isfinite(a)) {
    return ha_vec3_zero();
  }
  ha_vec3 b = ha_vec3_make(a.x / m, a.y / m, a.z / m);
  return ha_vec3_scale(b, 1.0 / ha_vec3_len(b));
}
/* a + (b - a) t */
static inline ha_vec3 ha_vec3_lerp(ha_vec3 a, ha_vec3 b, double t) {
  return ha_vec3_make(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, a.z + (b.z - a.z) * t);
}

static inline ha_quat ha_quat_identity(void) {
  ha_quat q = {1.0, 0.0, 0.0, 0.0};
  return q;
}
static inline ha_quat ha_quat_mul(ha_quat a, ha_quat b) {
  ha_quat q = {
      a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z, a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
      a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x, a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w};
  return q;
}
/* Unit quaternion; identity for a zero or non-finite input. */
static inline ha_quat ha_quat_normalize(ha_quat q) {
  double n = sqrt(q.w * q.w + q.x * q.x + q.y * q.y + q.z * q.z);
  if (!(n > 0.0) || isinf(n)) {
    return ha_quat_identity();
  }
  ha_quat r = {q.w / n, q.x / n, q.y / n, q.z / n};
  return r;
}
/* Rotation of `rad` radians about `axis` (normalized here; zero axis: identity). */
static inline ha_quat ha_quat_axis_angle(ha_vec3 axis, double rad) {
  ha_vec3 a = ha_vec3_normalize(axis);
  if (ha_vec3_dot(a, a) < 0.5) {
    return ha_quat_identity();
  }
  double s = sin(rad * 0.5);
  ha_quat q = {cos(rad * 0.5), a.x * s, a.y * s, a.z * s};
  return q;
}
/* Euler angles in degrees, applied as Rz·Ry·Rx (x first, then y, then z). */
static inline ha_quat ha_quat_from_euler_deg(double rx, double ry, double rz) {
  ha_quat qx = ha_quat_axis_angle(ha_vec3_make(1, 0, 0), ha_deg2rad(rx));
  ha_quat qy = ha_quat_axis_angle(ha_vec3_make(0, 1, 0), ha_deg2rad(ry));
  ha_quat qz = ha_quat_axis_angle(ha_vec3_make(0, 0, 1), ha_deg2rad(rz));
  return ha_quat_mul(qz, ha_quat_mul(qy, qx));
}
static inline ha_vec3 ha_quat_rotate(ha_quat q, ha_vec3 v) {
  /* v' = v + 2w(u×v) + 2u×(u×v), u = (x, y, z) */
  ha_vec3 u = ha_vec3_make(q.x, q.y, q.z);
  ha_vec3 t = ha_vec3_scale(ha_vec3_cross(u, v), 2.0);
  return ha_vec3_add(ha_vec3_add(v, ha_vec3_scale(t, q.w)), ha_vec3_cross(u, t));
}

static inline ha_mat3 ha_mat3_identity(void) {
  ha_mat3 r = {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
  return r;
}
static inline ha_mat3 ha_mat3_from_quat(ha_quat q) {
  double w = q.w, x = q.x, y = q.y, z = q.z;
  ha_mat3 r = {{{1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
                {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
                {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}}};
  return r;
}
static inline ha_mat3 ha_mat3_mul(ha_mat3 a, ha_mat3 b) {
  ha_mat3 r;
  for (int i = 0; i < 3; i++) {
    for (int j = 0; j < 3; j++) {
      r.m[i][j] = a.m[i][0] * b.m[0][j] + a.m[i][1] * b.m[1][j] + a.m[i][2] * b.m[2][j];
    }
  }
  return r;
}
static inline ha_vec3 ha_mat3_apply(const ha_mat3 *a, ha_vec3 v) {
  return ha_vec3_make(a->m[0][0] * v.x + a->m[0][1] * v.y + a->m[0][2] * v.z,
                      a->m[1][0] * v.x + a->m[1][1] * v.y + a->m[1][2] * v.z,
                      a->m[2][0] * v.x + a->m[2][1] * v.y + a->m[2][2] * v.z);
}
/* Rotation about the unit axis n by `rad` (Rodrigues). */
static inline ha_mat3 ha_mat3_axis_angle(ha_vec3 n, double rad) {
  return ha_mat3_from_quat(ha_quat_axis_angle(n, rad));
}

/* Azimuth sign convention of a polar (aed) coordinate system. */
typedef enum ha_azimuth_sign {
  HA_AZIMUTH_CLOCKWISE = 1,        /* Holophonix navigational: +90° = right (+X) */
  HA_AZIMUTH_COUNTERCLOCKWISE = -1 /* ADM-OSC: +90° = left (−X) */
} ha_azimuth_sign;

/* xyz (m) → (azimuth °, elevation °, distance m) as an ha_vec3 {a, e, d}.
 * Azimuth in (−180, 180], 0 = front (+Y). The origin maps to (0, 0, 0). */
static inline ha_vec3 ha_xyz_to_aed(ha_vec3 p, ha_azimuth_sign sign) {
  double d = ha_vec3_len(p);
  double a = ha_rad2deg(atan2((double)sign * p.x, p.y));
  double e = ha_rad2deg(atan2(p.z, hypot(p.x, p.y)));
  return ha_vec3_make(a, e, d);
}
/* (azimuth °, elevation °, distance m) → xyz (m). */
static inline ha_vec3 ha_aed_to_xyz(ha_vec3 aed, ha_azimuth_sign sign) {
  double a = ha_deg2rad(aed.x), e = ha_deg2rad(aed.y), d = aed.z;
  return ha_vec3_make((double)sign * d * cos(e) * sin(a), d * cos(e) * cos(a), d * sin(e));
}
/* Shortest signed angular difference b − a in degrees, in [−180, 180). */
static inline double ha_angle_diff_deg(double a, double b) {
  double d = fmod(b - a + 180.0, 360.0);
  if (d < 0) {
    d += 360.0;
  }
  return d - 180.0;
}

#ifdef __cplusplus
}
#endif
#endif /* HOLOANIM_MATH_H */
