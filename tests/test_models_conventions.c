/* Options for the original Animator's v2.0 conventions (lissajous
 * phaseAxis, circular-scan heightAxis, zoom sweepPlane, zigzag offsetAxis,
 * helix circlePlane xz), the common `offset` / `offsetTurn` parameters and
 * the group `delay` with a phase offset, each against its formula written out here, on the
 * per-track path and, where a model packs, through the batch too. */
#include "holoanim.h"
#include "test.h"

#define TOL 1e-9

static const double times[] = {0.0, 0.37, 1.0, 2.5, 3.99, 4.0, 5.3, 7.9};
#define NT (sizeof(times) / sizeof(times[0]))

static double rad(double d) {
  return d * HA_PI / 180.0;
}

/* The batch must agree with the per-track path for models that pack. */
static void check_batch(const ha_motion *m, double t) {
  ha_batch *b = NULL;
  CHECK_OK(ha_batch_create(4, &b));
  size_t slot = 0;
  CHECK_OK(ha_batch_add(b, m, NULL, &slot));
  double x[4], y[4], z[4];
  ha_batch_eval(b, t, x, y, z);
  ha_vec3 p = ha_motion_eval(m, t, NULL);
  CHECK_VEC_NEAR(p, x[slot], y[slot], z[slot], 1e-9);
  ha_batch_destroy(b);
}

static void test_lissajous_phase_y(void) {
  const double T = 8.0;
  ha_timing tm = {T, HA_LOOP_ONCE, 1.0, HA_SEAM_BLEND};
  ha_motion *m = test_motionf("lissajous", &tm,
                              "center=1,-2,3\nfrequencyRatioA=3\nfrequencyRatioB=2\n"
                              "phaseDifference=40\namplitudeX=2\namplitudeY=3\namplitudeZ=1\n"
                              "phaseAxis=y");
  for (size_t i = 0; m && i < NT; i++) {
    double th = HA_TAU * times[i] / T;
    CHECK_VEC_NEAR(ha_motion_eval(m, times[i], NULL), 1 + 2 * sin(3 * th),
                   -2 + 3 * sin(2 * th + rad(40)), 3 + sin(2.5 * th), TOL);
    check_batch(m, times[i]);
  }
  ha_motion_destroy(m);
}

static void test_circular_scan_height_y(void) {
  const double T = 4.0;
  ha_timing tm = {T, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  ha_motion *m = test_motionf("circular-scan", &tm,
                              "center=1,2,3\nradius=4\nheight=1.5\nsweepCount=2\n"
                              "startAngle=30\nheightAxis=y");
  for (size_t i = 0; m && i < NT; i++) {
    double tau = ha_time_map(times[i], T, HA_LOOP_LOOP);
    double th = rad(30) + HA_TAU * 2 * tau / T;
    CHECK_VEC_NEAR(ha_motion_eval(m, times[i], NULL), 1 + 4 * cos(th), 3.5, 3 + 4 * sin(th), TOL);
    check_batch(m, times[i]);
  }
  ha_motion_destroy(m);
}

static void test_zoom_sweep_xz(void) {
  const double T = 8.0;
  ha_timing tm = {T, HA_LOOP_ONCE, 1.0, HA_SEAM_BLEND};
  ha_motion *m = test_motionf("zoom", &tm,
                              "zoomCenter=1,2,3\nstartDistance=6\nendDistance=2\n"
                              "easing=quad-in\nsweepPlane=xz");
  for (size_t i = 0; m && i < NT; i++) {
    double p = times[i] / T;
    double dist = 6 + (2 - 6) * p * p;
    CHECK_VEC_NEAR(ha_motion_eval(m, times[i], NULL), 1 + dist * cos(HA_TAU * p), 2,
                   3 + dist * sin(HA_TAU * p), TOL);
  }
  ha_motion_destroy(m);
}

static void test_zigzag_axis_v20(void) {
  const double T = 8.0;
  ha_timing tm = {T, HA_LOOP_ONCE, 1.0, HA_SEAM_BLEND};
  static const char *const axes[3] = {"1,0,0", "0,1,0", "0,0,1"};
  for (int k = 0; k < 3; k++) {
    /* a slanted path: the offset still goes along the named axis */
    ha_motion *m = test_motionf("zigzag", &tm,
                                "pathStart=-4,1,2\npathEnd=3,-2,5\ncycles=3\namplitude=1.5\n"
                                "waveform=triangle\nphase=-90\nplane=xz\noffsetAxis=%s",
                                axes[k]);
    for (size_t i = 0; m && i < NT; i++) {
      double p = times[i] / T;
      double w = (2.0 / HA_PI) * asin(sin(HA_TAU * 3 * p - HA_PI / 2));
      double e[3] = {-4 + 7 * p, 1 - 3 * p, 2 + 3 * p};
      e[k] += 1.5 * w;
      CHECK_VEC_NEAR(ha_motion_eval(m, times[i], NULL), e[0], e[1], e[2], TOL);
    }
    ha_motion_destroy(m);
  }
}

static void test_helix_circle_xz(void) {
  const double T = 8.0;
  ha_timing tm = {T, HA_LOOP_ONCE, 1.0, HA_SEAM_BLEND};
  ha_motion *m = test_motionf("helix", &tm,
                              "axisStart=1,-3,2\naxisEnd=2,4,-1\nradius=1.5\nturns=2\n"
                              "direction=clockwise\ncirclePlane=xz");
  for (size_t i = 0; m && i < NT; i++) {
    double p = times[i] / T, th = -HA_TAU * 2 * p;
    CHECK_VEC_NEAR(ha_motion_eval(m, times[i], NULL), 1 + p + 1.5 * cos(th), -3 + 7 * p,
                   2 - 3 * p + 1.5 * sin(th), TOL);
  }
  ha_motion_destroy(m);
}

/* offset turned about offsetTurn by |offsetTurn|·τ/T degrees, after the
 * frame; the batch (circular packs) takes the per-track path. */
static void test_offset_turn(void) {
  const double T = 4.0;
  ha_timing tm = {T, HA_LOOP_PINGPONG, 1.0, HA_SEAM_BLEND};
  ha_motion *m = test_motionf("circular", &tm,
                              "center=0,0,0\nradius=2\nplane=xz\noffset=1,0.5,-2\n"
                              "offsetTurn=0,-90,0");
  for (size_t i = 0; m && i < NT; i++) {
    double tau = ha_time_map(times[i], T, HA_LOOP_PINGPONG);
    double a = rad(90 * tau / T);
    /* about −Y by a: x → z */
    ha_vec3 off = ha_vec3_make(1 * cos(a) - (-2) * sin(a), 0.5, 1 * sin(a) + (-2) * cos(a));
    ha_motion *plain = test_motionf("circular", &tm, "center=0,0,0\nradius=2\nplane=xz");
    ha_vec3 b = ha_motion_eval(plain, times[i], NULL);
    ha_motion_destroy(plain);
    CHECK_VEC_NEAR(ha_motion_eval(m, times[i], NULL), b.x + off.x, b.y + off.y, b.z + off.z, TOL);
    check_batch(m, times[i]);
  }
  ha_motion_destroy(m);
  /* a fixed offset: the path moved */
  m = test_motionf("linear", &tm, "startPosition=0,0,0\nendPosition=4,0,0\noffset=1,2,3");
  CHECK_VEC_NEAR(ha_motion_eval(m, 0.0, NULL), 1, 2, 3, TOL);
  ha_motion_destroy(m);
}

/* A group's delay holds every member at its start (τ = 0) until its
 * animation time reaches its shift + delay, then plays it that much later,
 * also in a loop (no wrap back). */
static void test_group_delay(void) {
  const double T = 2.0;
  ha_timing tm = {T, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  ha_motion *m = test_motionf("linear", &tm, "startPosition=0,0,0\nendPosition=2,0,0");
  ha_group g;
  ha_group_init(&g, m, 2);
  g.delay = 0.75;
  g.phase_offset = 0.5;
  ha_error err;
  ha_vec3 out[2];
  for (size_t i = 0; m && i < NT; i++) {
    CHECK_OK(ha_group_positions(&g, times[i], out, 2, &err));
    for (int k = 0; k < 2; k++) {
      double a = times[i] < 0.75 + 0.5 * k ? 0.0 : times[i] - 0.75 - 0.5 * k;
      CHECK_NEAR(out[k].x, ha_time_map(a, T, HA_LOOP_LOOP), TOL);
    }
  }
  g.delay = -1;
  CHECK(ha_group_validate(&g, &err) != HA_OK);
  CHECK_STR(err.name, "delay");
  ha_motion_destroy(m);
}

/* keyframes ride v2.0, written out: keys K0 (1 s), K1 (3 s), K2 (4 s) in
 * T = 6 s, looping; first cycle: rideStart → K0 over [0, 1], the keys,
 * K2 → K0 over 1 s after 4 s, then K0; later cycles: e = 1 + 4·τ/T, the
 * keys on e, K2 → K0 for e > 4. bezier keys: cubic ease-in-out; step holds. */
static ha_vec3 ride_expect(double t, int step) {
  const double T = 6.0, kt[3] = {1, 3, 4};
  const ha_vec3 kp[3] = {{0, 0, 0}, {4, 0, 0}, {4, 2, 0}}, from = {-2, 1, 1};
  int first = t < T;
  double tau = ha_time_map(t, T, HA_LOOP_LOOP);
  if (first && tau < kt[0]) {
    return ha_vec3_lerp(from, kp[0], tau / kt[0]);
  }
  double e = first ? tau : kt[0] + tau / T * kt[2];
  if (e > kt[2]) {
    return ha_vec3_lerp(kp[2], kp[0], fmin((e - kt[2]) / kt[0], 1.0));
  }
  int i = e <= kt[1] ? 0 : 1;
  double w = (e - kt[i]) / (kt[i + 1] - kt[i]);
  double u = step ? (w < 1 ? 0 : 1) : (w < 0.5 ? 4 * w * w * w : 1 - pow(-2 * w + 2, 3) / 2);
  return ha_vec3_lerp(kp[i], kp[i + 1], u);
}

static void test_keyframes_ride_v20(void) {
  ha_timing tm = {6.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  for (int step = 0; step < 2; step++) {
    ha_motion *m = test_motionf("keyframes", &tm,
                                "keyframes=1:0,0,0:%s;3:4,0,0:%s;4:4,2,0:%s\n"
                                "interpolation=%s\nride=v2.0\nrideStart=-2,1,1",
                                step ? "linear" : "cubic-in-out", step ? "linear" : "cubic-in-out",
                                step ? "linear" : "cubic-in-out", step ? "step" : "linear");
    for (double t = 0.0; m && t < 20.0; t += 0.25) {
      ha_vec3 e = ride_expect(t, step);
      CHECK_VEC_NEAR(ha_motion_eval(m, t, NULL), e.x, e.y, e.z, TOL);
    }
    ha_motion_destroy(m);
  }
}

int main(void) {
  RUN(test_lissajous_phase_y);
  RUN(test_circular_scan_height_y);
  RUN(test_zoom_sweep_xz);
  RUN(test_zigzag_axis_v20);
  RUN(test_helix_circle_xz);
  RUN(test_offset_turn);
  RUN(test_group_delay);
  RUN(test_keyframes_ride_v20);
  return test_done();
}
