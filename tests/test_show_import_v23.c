/* Import of Holophonix Animator v2.3 projects: every mapping checked
 * through the engine against the original's formulas written out here
 * (rotation through three.js's axes, per-track parameters of relative mode,
 * formation anchor + offsets, rigid offsets turning with circular-scan, time
 * shifts as delays, bezier's 13 fields, oscillator planes and frequency,
 * helix, catmull-rom, bounce), and the warnings for what differs. */
#include "holoanim.h"
#include "holoanim/show.h"
#include "test.h"

#define TOL 1e-9

static const char project[] =
    "{\"name\": \"p\", \"tracks\": ["
    " {\"id\": \"a\", \"holophonixIndex\": 1, \"position\": {\"x\": 0, \"y\": 0, \"z\": 0},"
    "  \"animationState\": {\"animation\": {\"id\": \"bo-track-a\", \"type\": \"bounce\","
    "   \"duration\": 4, \"loop\": true, \"parameters\": {\"center\": {\"x\": 1, \"y\": 2, \"z\": "
    "3},"
    "   \"startHeight\": 6, \"groundLevel\": -1, \"gravity\": 9.81}}}},"
    " {\"id\": \"b\", \"holophonixIndex\": 2, \"position\": {\"x\": 1, \"y\": 0, \"z\": 0},"
    "  \"animationState\": {\"animation\": {\"id\": \"bo-track-b\", \"type\": \"bounce\","
    "   \"duration\": 4, \"loop\": true, \"parameters\": {\"center\": {\"x\": -4, \"y\": 5, \"z\": "
    "0.5},"
    "   \"startHeight\": 6, \"groundLevel\": -1, \"gravity\": 9.81}}}},"
    " {\"id\": \"c\", \"holophonixIndex\": 3}],"
    "\"animations\": ["
    " {\"id\": \"ci\", \"name\": \"ci\", \"type\": \"circular\", \"duration\": 4, \"loop\": true,"
    "  \"parameters\": {\"center\": {\"x\": 1, \"y\": 2, \"z\": 3}, \"radius\": 2, \"speed\": 1,"
    "  \"startAngle\": 10, \"direction\": \"counterclockwise\","
    "  \"rotation\": {\"x\": 30, \"y\": -20, \"z\": 50}}, \"trackIds\": [\"c\"]},"
    " {\"id\": \"bo\", \"name\": \"bo\", \"type\": \"bounce\", \"duration\": 4, \"loop\": true,"
    "  \"parameters\": {\"center\": {\"x\": 1, \"y\": 2, \"z\": 3}, \"startHeight\": 6,"
    "  \"groundLevel\": -1, \"gravity\": 9.81}, \"trackIds\": [\"a\", \"b\"],"
    "  \"transform\": {\"mode\": \"relative\", \"tracks\": {"
    "   \"a\": {\"offset\": {\"x\": 0, \"y\": 0, \"z\": 0}, \"timeShift\": 0},"
    "   \"b\": {\"offset\": {\"x\": 0.5, \"y\": 0, \"z\": 0}, \"timeShift\": 0}}}},"
    " {\"id\": \"cs\", \"name\": \"cs\", \"type\": \"circular-scan\", \"duration\": 5,"
    "  \"loop\": true, \"pingPong\": true, \"parameters\": {\"center\": {\"x\": -1, \"y\": 2, "
    "\"z\": 1},"
    "  \"radius\": 1.5, \"height\": 0.5, \"sweepCount\": 2.5, \"startAngle\": 40},"
    "  \"trackIds\": [\"a\", \"b\"], \"transform\": {\"mode\": \"formation\", \"tracks\": {"
    "   \"a\": {\"offset\": {\"x\": 1, \"y\": -2, \"z\": 0.5}, \"timeShift\": 0},"
    "   \"b\": {\"offset\": {\"x\": -1, \"y\": 2, \"z\": -0.5}, \"timeShift\": 0.75}},"
    "   \"formation\": {\"anchor\": {\"x\": 3, \"y\": -1, \"z\": 2}, \"pattern\": \"rigid\"}}},"
    " {\"id\": \"bz\", \"name\": \"bz\", \"type\": \"bezier\", \"duration\": 3, \"loop\": false,"
    "  \"parameters\": {\"startX\": 5, \"startY\": -3, \"startZ\": -6, \"control1X\": 4,"
    "  \"control1Y\": -6, \"control1Z\": 5, \"control2X\": 7, \"control2Y\": -4,"
    "  \"control2Z\": 2, \"endX\": 4, \"endY\": 4, \"endZ\": 1, \"easingType\": \"ease-in\"},"
    "  \"trackIds\": [\"c\"]},"
    " {\"id\": \"op\", \"name\": \"op\", \"type\": \"oscillator-path\", \"duration\": 3,"
    "  \"loop\": true, \"parameters\": {\"pathStart\": {\"x\": -4, \"y\": -2, \"z\": 1},"
    "  \"pathEnd\": {\"x\": 3, \"y\": -1, \"z\": 1}, \"waveform\": \"sine\", \"amplitude\": 1.2,"
    "  \"frequency\": 1.5, \"phase\": 40, \"plane\": \"xz\"},"
    "  \"trackIds\": [\"c\"]},"
    " {\"id\": \"os\", \"name\": \"os\", \"type\": \"oscillator-stationary\", \"duration\": 3,"
    "  \"loop\": true, \"parameters\": {\"center\": {\"x\": 1, \"y\": 1, \"z\": 1},"
    "  \"waveform\": \"triangle\", \"amplitude\": 2, \"frequency\": 0.7, \"phase\": 20,"
    "  \"plane\": \"yz\"}, \"trackIds\": [\"c\"]},"
    " {\"id\": \"hx\", \"name\": \"hx\", \"type\": \"helix\", \"duration\": 4,"
    "  \"loop\": false, \"parameters\": {\"axisStart\": {\"x\": 4, \"y\": -4, \"z\": 2},"
    "  \"axisEnd\": {\"x\": -1, \"y\": 3, \"z\": -1}, \"radius\": 2, \"turns\": 1.5,"
    "  \"clockwise\": false}, \"trackIds\": [\"c\"]},"
    " {\"id\": \"cr\", \"name\": \"cr\", \"type\": \"catmull-rom\", \"duration\": 4,"
    "  \"loop\": false, \"parameters\": {\"controlPoints\": [{\"x\": 0, \"y\": 0, \"z\": 0},"
    "  {\"x\": 1, \"y\": 2, \"z\": 0}, {\"x\": 3, \"y\": -1, \"z\": 1},"
    "  {\"x\": 5, \"y\": 0, \"z\": 2}], \"tension\": 0.3, \"closed\": false},"
    "  \"trackIds\": [\"c\"]}"
    "], \"show\": {\"cueLists\": [{\"cues\": [{\"type\": \"animation\", \"number\": 1,"
    " \"data\": {\"animationId\": \"cs\", \"trackIds\": [\"b\", \"a\"]}}]}]}}";

static ha_show *import_v23(char *lines, size_t cap) {
  ha_diags *d = NULL;
  ha_diags_create(&d);
  ha_show *s = NULL;
  CHECK_OK(ha_show_import_hpx_string(project, strlen(project), "p.hpx", &s, d));
  size_t len = 0;
  lines[0] = '\0';
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    char line[700];
    ha_diag_format(ha_diags_at(d, i), line, sizeof(line));
    len += (size_t)snprintf(lines + len, cap - len, "%s\n", line);
  }
  CHECK_INT(ha_diags_errors(d), 0);
  ha_diags_destroy(d);
  return s;
}

/* Position of the single-track group `name` at time t, as a show plays it. */
static ha_vec3 group_at(const ha_show *s, const char *name, double t) {
  size_t gi = ha_show_group_find(s, name), n = 0;
  CHECK_MSG(gi != SIZE_MAX, "no group %s", name);
  const ha_show_group *g = ha_show_groups(s, &n);
  ha_motion *m = NULL;
  if (gi == SIZE_MAX || ha_show_animation_motion(s, g[gi].animation, &m, NULL) != HA_OK) {
    return ha_vec3_zero();
  }
  ha_group gr;
  ha_group_init(&gr, m, 1);
  gr.delay = g[gi].spec.delay;
  ha_vec3 p = ha_group_member_position(&gr, 0, t);
  ha_motion_destroy(m);
  return p;
}

static double rad(double d) {
  return d * HA_PI / 180.0;
}

/* applyRotationToPath: to three.js axes (x, z, −y), Euler(rx, rz, −ry,
 * 'XYZ') = Rx·Ry·Rz there, back. */
static ha_vec3 three_rotate(ha_vec3 v, double rx, double ry, double rz) {
  double p[3] = {v.x, v.z, -v.y};
  double a[3] = {rad(rx), rad(rz), rad(-ry)};
  /* Rz, then Ry, then Rx (R = Rx·Ry·Rz applied to p). */
  double q[3] = {p[0] * cos(a[2]) - p[1] * sin(a[2]), p[0] * sin(a[2]) + p[1] * cos(a[2]), p[2]};
  double r[3] = {q[0] * cos(a[1]) + q[2] * sin(a[1]), q[1], -q[0] * sin(a[1]) + q[2] * cos(a[1])};
  double w[3] = {r[0], r[1] * cos(a[0]) - r[2] * sin(a[0]), r[1] * sin(a[0]) + r[2] * cos(a[0])};
  return ha_vec3_make(w[0], -w[2], w[1]);
}

static void test_rotation(void) {
  char lines[8192];
  ha_show *s = import_v23(lines, sizeof(lines));
  for (double t = 0; s && t < 4.0; t += 0.3) {
    double a = rad(10) + HA_TAU * t / 4.0;
    ha_vec3 rel = three_rotate(ha_vec3_make(2 * cos(a), 2 * sin(a), 0), 30, -20, 50);
    CHECK_VEC_NEAR(group_at(s, "ci", t), 1 + rel.x, 2 + rel.y, 3 + rel.z, TOL);
  }
  ha_show_destroy(s);
}

/* Relative mode: each track's own parameters (its animationState copy),
 * plus its offset; the bounce along y. */
static void test_relative(void) {
  char lines[8192];
  ha_show *s = import_v23(lines, sizeof(lines));
  for (double t = 0.05; s && t < 1.0; t += 0.2) {
    double h = 6 - 0.5 * 9.81 * t * t;
    CHECK_VEC_NEAR(group_at(s, "bo (track 1)", t), 1, h, 3, TOL);
    CHECK_VEC_NEAR(group_at(s, "bo (track 2)", t), -4 + 0.5, h, 0.5, TOL);
  }
  ha_show_destroy(s);
}

/* Formation, rigid: anchor + path + offset turned by startAngle + p·360°
 * (circular-scan's calculateRotationAngle), track b 0.75 s later. */
static void test_formation(void) {
  char lines[8192];
  ha_show *s = import_v23(lines, sizeof(lines));
  const double T = 5.0;
  for (double t = 0; s && t < 14.0; t += 0.35) {
    for (int k = 0; k < 2; k++) {
      double e = t - (k ? 0.75 : 0.0);
      double tau = e < 0 ? 0.0 : fmod(e, 2 * T);
      tau = tau > T ? 2 * T - tau : tau; /* pingpong */
      double p = tau / T;
      double ang = rad(40) + p * 2.5 * HA_TAU, rot = rad(40) + p * HA_TAU;
      double ox = k ? -1 : 1, oy = k ? 2 : -2, oz = k ? -0.5 : 0.5;
      ha_vec3 ex =
          ha_vec3_make(-1 + 1.5 * cos(ang) + 3 + ox * cos(rot) - oy * sin(rot),
                       2 + 1.5 * sin(ang) - 1 + ox * sin(rot) + oy * cos(rot), 1 + 0.5 + 2 + oz);
      ha_vec3 got = group_at(s, k ? "cs (track 2)" : "cs (track 1)", t);
      CHECK_VEC_NEAR(got, ex.x, ex.y, ex.z, TOL);
    }
  }
  CHECK_MSG(strstr(lines,
                   "transform.tracks.b.timeShift: the original takes this time shift off "
                   "the already looped time") != NULL,
            "%s", lines);
  ha_show_destroy(s);
}

static double tri(double a) {
  return 2.0 / HA_PI * asin(sin(a));
}

static void test_parameters(void) {
  char lines[8192];
  ha_show *s = import_v23(lines, sizeof(lines));
  if (s == NULL) {
    return;
  }
  /* bezier: startX.. -> start; ease-in = t². */
  ha_vec3 p0 = group_at(s, "bz", 0.0);
  CHECK_VEC_NEAR(p0, 5, -3, -6, TOL);
  double u = 0.6 * 0.6, w = 1 - u;
  CHECK_VEC_NEAR(group_at(s, "bz", 1.8),
                 w * w * w * 5 + 3 * w * w * u * 4 + 3 * w * u * u * 7 + u * u * u * 4,
                 w * w * w * -3 + 3 * w * w * u * -6 + 3 * w * u * u * -4 + u * u * u * 4,
                 w * w * w * -6 + 3 * w * w * u * 5 + 3 * w * u * u * 2 + u * u * u * 1, TOL);
  for (double t = 0; t < 3.0; t += 0.23) {
    /* oscillator-path: Hz of time, the offset along +z for xz. */
    double p = t / 3.0, a = HA_TAU * 1.5 * t + rad(40);
    CHECK_VEC_NEAR(group_at(s, "op", t), -4 + 7 * p, -2 + p, 1 + 1.2 * sin(a), TOL);
    /* oscillator-stationary: yz moves along +z. */
    CHECK_VEC_NEAR(group_at(s, "os", t), 1, 1, 1 + 2 * tri(HA_TAU * 0.7 * t + rad(20)), TOL);
  }
  /* helix: the circle in xy; clockwise false turns −angle. */
  for (double t = 0; t < 5.0; t += 0.37) {
    double p = fmin(t / 4.0, 1.0), a = -HA_TAU * 1.5 * p;
    CHECK_VEC_NEAR(group_at(s, "hx", t), 4 - 5 * p + 2 * cos(a), -4 + 7 * p + 2 * sin(a), 2 - 3 * p,
                   TOL);
  }
  /* catmull-rom open, 4 points: one segment from point 1 to point 2 with
   * tangents 0.3·(P2 − P0) and 0.3·(P3 − P1). */
  for (double t = 0; t <= 4.0; t += 0.5) {
    double q = t / 4.0, h00 = 2 * q * q * q - 3 * q * q + 1, h10 = q * q * q - 2 * q * q + q;
    double h01 = -2 * q * q * q + 3 * q * q, h11 = q * q * q - q * q;
    CHECK_VEC_NEAR(group_at(s, "cr", t), h00 * 1 + h10 * 0.9 + h01 * 3 + h11 * 1.2,
                   h00 * 2 + h10 * -0.3 + h01 * -1 + h11 * -0.6,
                   h00 * 0 + h10 * 0.3 + h01 * 1 + h11 * 0.6, TOL);
  }
  ha_show_destroy(s);
}

/* A cue playing a per-track animation on its tracks starts every group. */
static void test_cue(void) {
  char lines[8192];
  ha_show *s = import_v23(lines, sizeof(lines));
  size_t n = 0;
  const ha_show_cue *c = s ? ha_show_cues(s, &n) : NULL;
  CHECK_INT(n, 1);
  if (c == NULL || n < 1) {
    ha_show_destroy(s);
    return;
  }
  CHECK_INT(c[0].action_count, 2);
  size_t ng = 0;
  const ha_show_group *g = ha_show_groups(s, &ng);
  for (size_t i = 0; i < c[0].action_count && i < 2; i++) {
    CHECK_INT(c[0].actions[i].type, HA_SHOW_ACTION_START);
    CHECK_INT(c[0].actions[i].target, HA_SHOW_TARGET_GROUP);
    CHECK_STR(g[c[0].actions[i].group].name, i == 0 ? "cs (track 1)" : "cs (track 2)");
  }
  ha_show_destroy(s);
}

int main(void) {
  RUN(test_rotation);
  RUN(test_relative);
  RUN(test_formation);
  RUN(test_parameters);
  RUN(test_cue);
  return test_done();
}
