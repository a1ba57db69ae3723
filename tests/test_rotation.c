/* The frame transform's rotation, checked against matrices written out here,
 * for every registered model: with `rotation` [rx, ry, rz] degrees and each
 * `rotationOrder`, the position is pivot + M·(unrotated − pivot), where M is
 * the product of Rx, Ry, Rz in the order's letters, left to right; with a
 * quaternion [w, x, y, z], M is the unit quaternion's matrix. One more case
 * rebuilds the original Animator's rotation as three.js computes it (its
 * Y-up frame, THREE.Euler(rx, rz, −ry, 'XYZ')) and checks that
 * rotationOrder "XZY" reproduces it. Refusals: a bad order, an order with a
 * quaternion. */
#include "holoanim.h"
#include "test.h"

#define TOL 1e-9
#define COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct mat {
  double m[3][3];
} mat;

static mat mat_mul(mat a, mat b) {
  mat r;
  for (int i = 0; i < 3; i++) {
    for (int j = 0; j < 3; j++) {
      r.m[i][j] = a.m[i][0] * b.m[0][j] + a.m[i][1] * b.m[1][j] + a.m[i][2] * b.m[2][j];
    }
  }
  return r;
}

static ha_vec3 mat_apply(mat a, ha_vec3 v) {
  return ha_vec3_make(a.m[0][0] * v.x + a.m[0][1] * v.y + a.m[0][2] * v.z,
                      a.m[1][0] * v.x + a.m[1][1] * v.y + a.m[1][2] * v.z,
                      a.m[2][0] * v.x + a.m[2][1] * v.y + a.m[2][2] * v.z);
}

static double rad(double deg) {
  return deg * 3.14159265358979323846 / 180.0;
}

/* Right-handed rotations about the axes, angle in degrees. */
static mat rot_x(double deg) {
  double c = cos(rad(deg)), s = sin(rad(deg));
  mat r = {{{1, 0, 0}, {0, c, -s}, {0, s, c}}};
  return r;
}
static mat rot_y(double deg) {
  double c = cos(rad(deg)), s = sin(rad(deg));
  mat r = {{{c, 0, s}, {0, 1, 0}, {-s, 0, c}}};
  return r;
}
static mat rot_z(double deg) {
  double c = cos(rad(deg)), s = sin(rad(deg));
  mat r = {{{c, -s, 0}, {s, c, 0}, {0, 0, 1}}};
  return r;
}

/* The order's letters as a matrix product, left to right: "XZY" = Rx·Rz·Ry. */
static mat euler_matrix(const char *order, const double deg[3]) {
  mat r = {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
  for (int i = 0; i < 3; i++) {
    mat f = order[i] == 'X' ? rot_x(deg[0]) : order[i] == 'Y' ? rot_y(deg[1]) : rot_z(deg[2]);
    r = mat_mul(r, f);
  }
  return r;
}

/* The rotation matrix of the unit quaternion q/|q| (Hamilton, w first). */
static mat quat_matrix(const double q4[4]) {
  double n = sqrt(q4[0] * q4[0] + q4[1] * q4[1] + q4[2] * q4[2] + q4[3] * q4[3]);
  double w = q4[0] / n, x = q4[1] / n, y = q4[2] / n, z = q4[3] / n;
  mat r = {{{1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
            {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
            {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}}};
  return r;
}

static const char *const ORDERS[] = {"XYZ", "XZY", "YXZ", "YZX", "ZXY", "ZYX"};

static const double ANGLES[][3] = {{0, 0, 0},
                                   {90, 0, 0},
                                   {0, 90, 0},
                                   {0, 0, 90},
                                   {-90, 0, 0},
                                   {0, -90, 0},
                                   {0, 0, -90},
                                   {180, 0, 0},
                                   {90, -90, 180},
                                   {180, 90, -90},
                                   {30, -45, 60},
                                   {-90, 90, 90},
                                   {-123.4, 56.7, 271.9},
                                   {12.5, 180, -33.3},
                                   {400, -7, 725}};

static const double TIMES[] = {0.0, 0.7, 3.3, 7.1};

static int owns(const ha_model_info *mi, const char *name) {
  for (size_t j = 0; j < mi->param_count; j++) {
    if (strcmp(mi->params[j].name, name) == 0) {
      return 1;
    }
  }
  return 0;
}

static ha_motion *make(const char *model, const double *rot, size_t n, const char *order) {
  ha_params *p = NULL;
  ha_params_create(&p);
  if (rot != NULL) {
    ha_params_set_numbers(p, "rotation", rot, n);
  }
  if (order != NULL) {
    ha_params_set_string(p, "rotationOrder", order);
  }
  ha_motion *m = NULL;
  ha_error err;
  ha_status st = ha_motion_create(model, p, NULL, &m, &err);
  CHECK_MSG(st == HA_OK, "%s: %s", model, err.message);
  ha_params_destroy(p);
  return m;
}

static ha_vec3 at(const ha_motion *m, double t) {
  ha_track_ctx ctx = {3, 0.0, NULL, NULL};
  return ha_motion_eval(m, t, &ctx);
}

/* Largest distance over TIMES between the rotated motion and pivot +
 * M·(plain − pivot); *moved gets the largest |plain − pivot|. */
static double worst(const ha_motion *plain, const ha_motion *rotated, mat M, double *moved) {
  ha_vec3 pv = ha_motion_pivot(plain);
  double w = 0;
  for (size_t k = 0; k < COUNTOF(TIMES); k++) {
    ha_vec3 u = at(plain, TIMES[k]);
    ha_vec3 want = ha_vec3_add(pv, mat_apply(M, ha_vec3_sub(u, pv)));
    double d = ha_vec3_dist(at(rotated, TIMES[k]), want);
    w = d > w ? d : w;
    double r = ha_vec3_dist(u, pv);
    *moved = r > *moved ? r : *moved;
  }
  return w;
}

/* Every model, every order, every angle triple. */
static void test_euler_every_order_every_model(void) {
  size_t checked = 0, moving = 0;
  for (size_t i = 0; i < ha_model_count(); i++) {
    const ha_model_info *mi = ha_model_at(i);
    if (owns(mi, "rotation")) {
      continue; /* no frame rotation: the name is the model's own */
    }
    ha_motion *plain = make(mi->name, NULL, 0, NULL);
    double moved = 0;
    for (size_t o = 0; o < COUNTOF(ORDERS); o++) {
      for (size_t a = 0; a < COUNTOF(ANGLES); a++) {
        ha_motion *r = make(mi->name, ANGLES[a], 3, ORDERS[o]);
        CHECK_POINT_AT(ha_motion_pivot(r), ha_motion_pivot(plain), 0.0, "%s pivot", mi->name);
        double w = worst(plain, r, euler_matrix(ORDERS[o], ANGLES[a]), &moved);
        CHECK_MSG(w <= TOL, "%s rotation=[%g, %g, %g] rotationOrder=%s: off by %.3g m", mi->name,
                  ANGLES[a][0], ANGLES[a][1], ANGLES[a][2], ORDERS[o], w);
        ha_motion_destroy(r);
        checked++;
      }
    }
    moving += moved > 0.1;
    ha_motion_destroy(plain);
  }
  CHECK(checked >= 24 * COUNTOF(ORDERS) * COUNTOF(ANGLES));
  /* The check means something only where the path leaves the pivot. */
  CHECK_MSG(moving + 2 >= ha_model_count(), "%zu of %zu models move off their pivot", moving,
            ha_model_count());
}

/* No rotationOrder is ZYX (Rz·Ry·Rx), the convention before the parameter. */
static void test_default_order_is_zyx(void) {
  for (size_t a = 0; a < COUNTOF(ANGLES); a++) {
    ha_motion *plain = make("lissajous", NULL, 0, NULL);
    ha_motion *r = make("lissajous", ANGLES[a], 3, NULL);
    double moved = 0;
    CHECK_NEAR(
        worst(plain, r,
              mat_mul(rot_z(ANGLES[a][2]), mat_mul(rot_y(ANGLES[a][1]), rot_x(ANGLES[a][0]))),
              &moved),
        0.0, TOL);
    ha_motion_destroy(r);
    ha_motion_destroy(plain);
  }
}

/* Quaternions [w, x, y, z], unit or not, against the written-out matrix. */
static void test_quaternion_every_model(void) {
  static const double Q[][4] = {{1, 0, 0, 0},          {2, 0, 0, 0},         {0, 1, 0, 0},
                                {0, 0, 0, 1},          {1, 1, 0, 0},         {1, 0, -1, 0},
                                {0.3, -0.5, 0.7, 0.2}, {-1, 0.2, 0.3, -0.4}, {0, 0.6, 0.8, 0}};
  for (size_t i = 0; i < ha_model_count(); i++) {
    const ha_model_info *mi = ha_model_at(i);
    if (owns(mi, "rotation")) {
      continue;
    }
    ha_motion *plain = make(mi->name, NULL, 0, NULL);
    double moved = 0;
    for (size_t q = 0; q < COUNTOF(Q); q++) {
      ha_motion *r = make(mi->name, Q[q], 4, NULL);
      double w = worst(plain, r, quat_matrix(Q[q]), &moved);
      CHECK_MSG(w <= TOL, "%s rotation=[%g, %g, %g, %g]: off by %.3g m", mi->name, Q[q][0], Q[q][1],
                Q[q][2], Q[q][3], w);
      ha_motion_destroy(r);
    }
    ha_motion_destroy(plain);
  }
}

/* The original Animator (v2.3, src/utils/pathTransforms.ts) rotates a point p
 * about a centre c in three.js's Y-up frame: T(x, y, z) = (x, z, −y), then
 * Matrix4.makeRotationFromEuler(new THREE.Euler(rx°, rz°, −ry°, 'XYZ')), then
 * back with T⁻¹(x, y, z) = (x, −z, y). The matrix below is three.js's 'XYZ'
 * case written out (a, b = cos, sin of the first angle; c, d of the second;
 * e, f of the third). Claim: that is rotation=[rx, ry, rz],
 * rotationOrder="XZY" here, i.e. Rx(rx)·Rz(rz)·Ry(ry). */
static ha_vec3 original_rotate(ha_vec3 p, ha_vec3 ctr, const double deg[3]) {
  double x = rad(deg[0]), y = rad(deg[2]), z = rad(-deg[1]);
  double a = cos(x), b = sin(x), c = cos(y), d = sin(y), e = cos(z), f = sin(z);
  double ae = a * e, af = a * f, be = b * e, bf = b * f;
  double te[16] = {0}; /* column-major, as three.js stores it */
  te[0] = c * e;
  te[4] = -c * f;
  te[8] = d;
  te[1] = af + be * d;
  te[5] = ae - bf * d;
  te[9] = -b * c;
  te[2] = bf - ae * d;
  te[6] = be + af * d;
  te[10] = a * c;
  ha_vec3 c3 = ha_vec3_make(ctr.x, ctr.z, -ctr.y);
  ha_vec3 v = ha_vec3_sub(ha_vec3_make(p.x, p.z, -p.y), c3);
  ha_vec3 r =
      ha_vec3_make(te[0] * v.x + te[4] * v.y + te[8] * v.z, te[1] * v.x + te[5] * v.y + te[9] * v.z,
                   te[2] * v.x + te[6] * v.y + te[10] * v.z);
  r = ha_vec3_add(r, c3);
  return ha_vec3_make(r.x, -r.z, r.y);
}

static void test_original_animator_is_xzy(void) {
  for (size_t i = 0; i < ha_model_count(); i++) {
    const ha_model_info *mi = ha_model_at(i);
    if (owns(mi, "rotation")) {
      continue;
    }
    ha_motion *plain = make(mi->name, NULL, 0, NULL);
    ha_vec3 pv = ha_motion_pivot(plain);
    for (size_t a = 0; a < COUNTOF(ANGLES); a++) {
      ha_motion *r = make(mi->name, ANGLES[a], 3, "XZY");
      double w = 0;
      for (size_t k = 0; k < COUNTOF(TIMES); k++) {
        ha_vec3 want = original_rotate(at(plain, TIMES[k]), pv, ANGLES[a]);
        double dist = ha_vec3_dist(at(r, TIMES[k]), want);
        w = dist > w ? dist : w;
      }
      CHECK_MSG(w <= TOL, "%s original rotation {%g, %g, %g}: off by %.3g m", mi->name,
                ANGLES[a][0], ANGLES[a][1], ANGLES[a][2], w);
      ha_motion_destroy(r);
    }
    ha_motion_destroy(plain);
  }
}

static ha_status refused(const double *rot, size_t n, const char *order, ha_error *err) {
  ha_params *p = NULL;
  ha_params_create(&p);
  if (rot != NULL) {
    ha_params_set_numbers(p, "rotation", rot, n);
  }
  ha_params_set_string(p, "rotationOrder", order);
  ha_motion *m = NULL;
  ha_error_clear(err);
  ha_status st = ha_motion_create("circular", p, NULL, &m, err);
  ha_motion_destroy(m);
  ha_params_destroy(p);
  return st;
}

static void test_refusals(void) {
  ha_error err;
  double e[3] = {10, 20, 30}, q[4] = {1, 0, 0, 0};
  CHECK_INT(refused(e, 3, "XXY", &err), HA_EINVAL);
  CHECK_STR(err.name, "rotationOrder");
  CHECK_STR(err.message, "rotationOrder: 'XXY' is not one of XYZ|XZY|YXZ|YZX|ZXY|ZYX");
  CHECK_INT(refused(NULL, 0, "", &err), HA_EINVAL);
  CHECK_STR(err.name, "rotationOrder");
  CHECK_INT(refused(q, 4, "ZYX", &err), HA_EINVAL);
  CHECK_STR(err.name, "rotationOrder");
  CHECK_MSG(strstr(err.message, "quaternion") != NULL, "%s", err.message);
  /* Accepted: lower case, and an order with no rotation (identity). */
  CHECK_INT(refused(e, 3, "xzy", &err), HA_OK);
  CHECK_INT(refused(NULL, 0, "YXZ", &err), HA_OK);
  const ha_model_info *mi = ha_model_find("circular");
  const ha_param_info *pi = ha_model_param_find(mi, "rotationOrder");
  CHECK(pi != NULL && pi->type == HA_PARAM_CHOICE);
  size_t nc = 0;
  const ha_param_info *common = ha_common_params(&nc);
  int listed = 0;
  for (size_t j = 0; j < nc; j++) {
    listed += strcmp(common[j].name, "rotationOrder") == 0;
  }
  CHECK_INT(listed, 1);
}

int main(void) {
  RUN(test_euler_every_order_every_model);
  RUN(test_default_order_is_zyx);
  RUN(test_quaternion_every_model);
  RUN(test_original_animator_is_xzy);
  RUN(test_refusals);
  return test_done();
}
