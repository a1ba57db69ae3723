/* Options for the original animator's conventions (docs/models.md, "Options
 * for the original's conventions") against the original v2.3 formulas,
 * written out here: zigzag offsetAxis, helix circlePlane xy, catmull-rom
 * hermite form, bounce upAxis/restApex/maxBounces; and the group's delay with
 * the turning offset v2.3's rigid formations import as (offset, offsetTurn). */
#include "holoanim.h"
#include "test.h"

#define TOL 1e-9

/* oscillator-path: lerp(S, E, p) + amplitude·w(2π·cycles·p + phase) along a
 * fixed axis, whatever the path (sideways would move along −x here). */
static void test_zigzag_offset_axis(void) {
  ha_timing tm = {4.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  ha_motion *m = test_motionf("zigzag", &tm,
                              "pathStart=-4,1,2\npathEnd=3,-2,1\namplitude=1.5\ncycles=2.5\n"
                              "phase=30\nwaveform=sine\noffsetAxis=0,0,2\nplane=yz");
  for (double t = 0; m && t < 4.0; t += 0.37) {
    double p = t / 4.0;
    double w = sin(HA_TAU * 2.5 * p + 30.0 * HA_PI / 180.0);
    ha_vec3 ex = ha_vec3_lerp(ha_vec3_make(-4, 1, 2), ha_vec3_make(3, -2, 1), p);
    ex.z += 1.5 * w;
    ha_vec3 got = ha_motion_eval(m, t, NULL);
    CHECK_VEC_NEAR(got, ex.x, ex.y, ex.z, TOL);
  }
  ha_motion_destroy(m);
}

/* helix circlePlane xy: lerp(S, E, p) + r(cos θ, sin θ, 0), θ = ±2π·turns·p. */
static void test_helix_xy(void) {
  ha_timing tm = {5.0, HA_LOOP_ONCE, 1.0, HA_SEAM_BLEND};
  for (int cw = 0; cw < 2; cw++) {
    ha_motion *m = test_motionf("helix", &tm,
                                "axisStart=4,-4,2\naxisEnd=-1,3,-1\nradius=2.5\nturns=1.7\n"
                                "circlePlane=xy\ndirection=%s",
                                cw ? "clockwise" : "counterclockwise");
    for (double t = 0; m && t < 7.0; t += 0.41) {
      double p = fmin(t / 5.0, 1.0), th = (cw ? -1.0 : 1.0) * HA_TAU * 1.7 * p;
      ha_vec3 ex = ha_vec3_lerp(ha_vec3_make(4, -4, 2), ha_vec3_make(-1, 3, -1), p);
      CHECK_VEC_NEAR(ha_motion_eval(m, t, NULL), ex.x + 2.5 * cos(th), ex.y + 2.5 * sin(th), ex.z,
                     TOL);
    }
    ha_motion_destroy(m);
  }
}

/* The original's catmull-rom: m = n − 3 (open) or n (closed) uniform
 * segments, segment k from P[k+1] to P[k+2], tangents c·(P[k+2] − P[k]). */
static ha_vec3 hermite_ref(const ha_vec3 *P, size_t n, int closed, double c, double p) {
  size_t m = closed ? n : n - 3;
  double x = p * (double)m;
  size_t k = (size_t)floor(x);
  double t = x - floor(x);
  size_t q[4];
  for (size_t j = 0; j < 4; j++) {
    q[j] = closed ? (k + j) % n : (k + j < n ? k + j : n - 1);
  }
  double h[3];
  for (int a = 0; a < 3; a++) {
    double p0 = ((const double *)&P[q[0]])[a], p1 = ((const double *)&P[q[1]])[a];
    double p2 = ((const double *)&P[q[2]])[a], p3 = ((const double *)&P[q[3]])[a];
    double v0 = (p2 - p0) * c, v1 = (p3 - p1) * c;
    h[a] = (2 * p1 - 2 * p2 + v0 + v1) * t * t * t + (-3 * p1 + 3 * p2 - 2 * v0 - v1) * t * t +
           v0 * t + p1;
  }
  return ha_vec3_make(h[0], h[1], h[2]);
}

static void test_catmull_hermite(void) {
  const ha_vec3 P[5] = {{4.9, -4.78, 0.63},
                        {0.93, -2.74, -0.06},
                        {-4.43, 3.37, 0.54},
                        {-0.11, -4.7, 2.45},
                        {2, 2, 1}};
  ha_timing tm = {4.0, HA_LOOP_ONCE, 1.0, HA_SEAM_BLEND};
  for (int closed = 0; closed < 2; closed++) {
    ha_motion *m = test_motionf("catmull-rom", &tm,
                                "controlPoints=4.9,-4.78,0.63;0.93,-2.74,-0.06;-4.43,3.37,0.54;"
                                "-0.11,-4.7,2.45;2,2,1\nform=hermite\ntangentScale=0.43\n"
                                "closed=%s",
                                closed ? "true" : "false");
    for (double t = 0; m && t <= 4.0 + 1e-9; t += 0.25) {
      ha_vec3 ex = hermite_ref(P, 5, closed, 0.43, t / 4.0);
      CHECK_VEC_NEAR(ha_motion_eval(m, t, NULL), ex.x, ex.y, ex.z, TOL);
    }
    /* Open: starts at point 1, ends at point n − 2 (ends shape only). */
    if (m != NULL && !closed) {
      CHECK_VEC_NEAR(ha_motion_eval(m, 0.0, NULL), P[1].x, P[1].y, P[1].z, TOL);
      CHECK_VEC_NEAR(ha_motion_eval(m, 4.0, NULL), P[3].x, P[3].y, P[3].z, TOL);
    }
    ha_motion_destroy(m);
  }
  ha_error err;
  const char *three[] = {"controlPoints=0,0,0;1,0,0;2,1,0", "form=hermite", NULL};
  CHECK_INT(test_motion_status("catmull-rom", three, &err), HA_EINVAL);
}

/* The original's bounce, step by step as it computes it (y up, 20 rises,
 * rest below 0.01 m). */
static double bounce_ref(double time, double h0, double ground, double b, double g, double damp) {
  double total = 0.0, h = h0, eff = 1.0;
  int count = 0;
  if (time <= 0.0) {
    return h0; /* the intended start (the original returns ground at 0) */
  }
  while (total < time && count < 20) {
    double fall = sqrt(2.0 * (h - ground) / g);
    if (total + fall > time) {
      double dt = time - total;
      return fmax(ground, h - 0.5 * g * dt * dt);
    }
    total += fall;
    double v = sqrt(2.0 * g * (h - ground)) * b * eff;
    double rise = v / g;
    if (total + rise > time) {
      double dt = time - total;
      return ground + v * dt - 0.5 * g * dt * dt;
    }
    total += rise;
    h = ground + v * v / (2.0 * g);
    eff *= 1.0 - damp;
    count++;
    if (h - ground < 0.01) {
      break;
    }
  }
  return ground;
}

static void test_bounce_original(void) {
  const double sets[][5] = {{10.39, -1.69, 0.43, 16.91, 0.25}, {3, 0, 0.9, 9.81, 0.0}};
  for (size_t s = 0; s < 2; s++) {
    const double *k = sets[s];
    ha_timing tm = {20.0, HA_LOOP_ONCE, 1.0, HA_SEAM_BLEND};
    ha_motion *m = test_motionf("bounce", &tm,
                                "center=2.2,-2.73,2.28\nstartHeight=%g\ngroundLevel=%g\n"
                                "bounciness=%g\ngravity=%g\ndampingPerBounce=%g\nupAxis=y\n"
                                "restApex=0.01\nmaxBounces=20",
                                k[0], k[1], k[2], k[3], k[4]);
    for (double t = 0; m && t < 20.0; t += 0.0137) {
      double h = bounce_ref(t, k[0], k[1], k[2], k[3], k[4]);
      CHECK_VEC_NEAR(ha_motion_eval(m, t, NULL), 2.2, h, 2.28, 1e-9);
    }
    ha_motion_destroy(m);
  }
}

/* delay: τ = 0 until the delay, then the path that much later; v2.3's
 * offset (1, 0, 2) at 90° turning 0.25 turns per duration about +z, as
 * imported: offset = Rz(90°)·(1, 0, 2), offsetTurn = [0, 0, 90]. */
static void test_group_delay_offset(void) {
  ha_timing tm = {3.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  ha_motion *m = test_motionf("linear", &tm,
                              "startPosition=0,0,0\nendPosition=3,0,0\noffset=0,1,2\n"
                              "offsetTurn=0,0,90");
  ha_group g;
  ha_group_init(&g, m, 1);
  g.delay = 0.5;
  ha_error err;
  CHECK_OK(ha_group_validate(&g, &err));
  for (double t = 0; m && t < 8.0; t += 0.1) {
    double tau = t < 0.5 ? 0.0 : fmod(t - 0.5, 3.0);
    double a = HA_PI / 2 + HA_TAU * 0.25 * tau / 3.0;
    ha_vec3 got = ha_group_member_position(&g, 0, t);
    CHECK_VEC_NEAR(got, tau + cos(a), sin(a), 2.0, TOL);
  }
  g.delay = -1.0;
  CHECK_INT(ha_group_validate(&g, &err), HA_ERANGE);
  ha_motion_destroy(m);
}

int main(void) {
  RUN(test_zigzag_offset_axis);
  RUN(test_helix_xy);
  RUN(test_catmull_hermite);
  RUN(test_bounce_original);
  RUN(test_group_delay_offset);
  return test_done();
}
