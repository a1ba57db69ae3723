/* Parameters of a Holophonix Animator v2.0 animation, read as v2.0's
 * calculatePosition reads them and written as the engine's model
 * parameters (see show_import_v20.c).
 *
 * v2.0 reads a number as Number(v) || default, so 0 and a missing value are
 * its default, and a point as v || default: each is read here the same way
 * and always written, so the engine's defaults never stand in for v2.0's.
 * Where v2.0's editor form saves a value under a name its playback never
 * reads (helixDirection, bezierEasing, the epicycloid's fixedRadius, ...),
 * the form's value is imported (the intended motion) with a warning. Every
 * key of the parameters not read is a warning. */
#include "show_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct v20p {
  ha__hpx *m;
  const json_t *src;
  json_t *out;
  const char *used[24];
  size_t nused;
} v20p;

static void use(v20p *p, const char *key) {
  if (p->nused < HA__COUNTOF(p->used)) {
    p->used[p->nused++] = key;
  }
}

/* Number(v) || def */
static double num(v20p *p, const char *key, double def) {
  use(p, key);
  const json_t *v = json_object_get(p->src, key);
  double d = def;
  if (json_is_number(v)) {
    d = json_number_value(v);
  } else if (json_is_string(v)) {
    char *end = NULL;
    d = strtod(json_string_value(v), &end);
    d = end != NULL && *end == '\0' ? d : def;
  }
  return isfinite(d) && fabs(d) > 0.0 ? d : def;
}

static int has(const v20p *p, const char *key) {
  return json_object_get(p->src, key) != NULL;
}

/* v || def for a point */
static ha_vec3 vec(v20p *p, const char *key, double x, double y, double z) {
  use(p, key);
  json_t *a = ha__json_xyz(json_object_get(p->src, key), HA__HPX_XYZ);
  ha_vec3 v = ha_vec3_make(x, y, z);
  if (a != NULL) {
    v = ha_vec3_make(json_number_value(json_array_get(a, 0)),
                     json_number_value(json_array_get(a, 1)),
                     json_number_value(json_array_get(a, 2)));
  }
  json_decref(a);
  return v;
}

static const char *str(v20p *p, const char *key, const char *def) {
  use(p, key);
  const char *s = ha__hpx_str(p->src, key);
  return s != NULL && s[0] != '\0' ? s : def;
}

static void set_num(v20p *p, const char *key, double v) {
  json_object_set_new(p->out, key, ha__hpx_num(v));
}

static void set_vec(v20p *p, const char *key, ha_vec3 v) {
  json_object_set_new(p->out, key, ha__hpx_vec(v));
}

static void set_str(v20p *p, const char *key, const char *s) {
  json_object_set_new(p->out, key, json_string(s));
}

/* The form's name when it was saved (warned: playback reads `read`). */
static const char *form_name(v20p *p, const char *form, const char *read) {
  if (has(p, form)) {
    use(p, read);
    ha__hpx_warn_key(p->m, form,
                     "the original's form saves this as %s but v2.0 plays %s (left at its "
                     "default); imported as intended",
                     form, read);
    return form;
  }
  return read;
}

/* Plane index (xy 0, xz 1, yz 2) of a v2.0 plane name (anything else: xy). */
static int plane_of(const char *s) {
  return strcmp(s, "xz") == 0 ? 1 : strcmp(s, "yz") == 0 ? 2 : 0;
}

static const char *const plane_names[3] = {"xy", "xz", "yz"};

/* The plane's normal, oriented so angles turn counter-clockwise about it
 * (v2.0's rotateOffsetForAnimation turns x→y, x→z, y→z). */
static ha_vec3 plane_axis(int plane) {
  return plane == 1   ? ha_vec3_make(0, -1, 0)
         : plane == 2 ? ha_vec3_make(1, 0, 0)
                      : ha_vec3_make(0, 0, 1);
}

/* A quaternion [w, x, y, z] turning `deg` about `axis`. */
static void set_rotation(v20p *p, ha_vec3 axis, double deg) {
  json_object_set_new(p->out, "rotation", ha__hpx_quat(ha_quat_axis_angle(axis, ha_deg2rad(deg))));
}

/* ease-in / ease-out / ease-in-out of v2.0 (quadratic) */
static const char *easing_of(const char *s) {
  return strcmp(s, "ease-in") == 0       ? "quad-in"
         : strcmp(s, "ease-out") == 0    ? "quad-out"
         : strcmp(s, "ease-in-out") == 0 ? "quad-in-out"
                                         : "linear";
}

static void p_circular(v20p *p, ha__hpx_v20_turn *turn) {
  double sa = num(p, "startAngle", 0), ea = num(p, "endAngle", 360);
  int plane = plane_of(str(p, "plane", "xy"));
  set_vec(p, "center", vec(p, "center", 0, 0, 0));
  set_num(p, "radius", num(p, "radius", 3));
  set_num(p, "startAngle", sa);
  set_num(p, "speed", fabs(ea - sa) / 360.0);
  set_str(p, "direction", ea >= sa ? "counterclockwise" : "clockwise");
  set_str(p, "plane", plane_names[plane]);
  *turn = (ha__hpx_v20_turn){1, plane_axis(plane), sa, ea - sa};
}

static void p_elliptical(v20p *p) {
  double rx = num(p, "radiusX", 3), ry = num(p, "radiusY", 2), rz = num(p, "radiusZ", 1);
  use(p, "endAngle");
  const json_t *e = json_object_get(p->src, "endAngle");
  int plane = plane_of(str(p, "plane", "xy"));
  set_vec(p, "center",
          ha_vec3_make(num(p, "centerX", 0), num(p, "centerY", 0), num(p, "centerZ", 0)));
  set_num(p, "radiusX", plane == 2 ? ry : rx);
  set_num(p, "radiusY", plane == 0 ? ry : rz);
  set_num(p, "startAngle", num(p, "startAngle", 0));
  set_num(p, "endAngle", e != NULL ? json_number_value(e) : 360.0);
  set_str(p, "plane", plane_names[plane]);
  if (plane == 0 && has(p, "radiusZ")) {
    ha__hpx_warn_key(p->m, "radiusZ",
                     "not imported: v2.0 uses it only in the xz and yz planes (this one is xy)");
  }
}

static void p_spiral(v20p *p, ha__hpx_v20_turn *turn) {
  double r0 = num(p, "startRadius", 1), r1 = num(p, "endRadius", 5), rot = num(p, "rotations", 3);
  int plane = plane_of(str(p, "plane", "xy"));
  /* v2.0's "clockwise" turns by +angle (counter-clockwise seen from the
   * plane's normal) */
  int cw = strcmp(str(p, "direction", "clockwise"), "clockwise") == 0;
  set_vec(p, "center", vec(p, "center", 0, 0, 0));
  set_num(p, "startRadius", r0 <= r1 ? r0 : r1);
  set_num(p, "endRadius", r0 <= r1 ? r1 : r0);
  set_str(p, "direction", r0 <= r1 ? "outward" : "inward");
  set_num(p, "rotations", cw ? rot : -rot);
  set_str(p, "plane", plane_names[plane]);
  *turn = (ha__hpx_v20_turn){1, plane_axis(plane), 0, rot * 360.0};
}

static void p_wave(v20p *p) {
  use(p, "amplitude");
  const json_t *a = json_object_get(p->src, "amplitude");
  double def[3] = {2, 2, 1}, c[3];
  static const char *const k[3] = {"x", "y", "z"};
  for (int i = 0; i < 3; i++) {
    const json_t *v = json_object_get(a, k[i]);
    c[i] = json_is_number(v) && fabs(json_number_value(v)) > 0 ? json_number_value(v) : def[i];
  }
  double len = sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
  const char *w = str(p, "waveType", "sine");
  double phase = num(p, "phaseOffset", 0) * 180.0 / HA_PI;
  if (strcmp(w, "sawtooth") == 0) {
    phase += 180.0; /* v2.0's saw is 2(x − floor(x + 1/2)): half a cycle ahead */
  }
  set_vec(p, "center", vec(p, "center", 0, 0, 0));
  set_num(p, "amplitude", len);
  set_vec(p, "direction", ha_vec3_make(c[0] / len, c[1] / len, c[2] / len));
  set_num(p, "frequency", num(p, "frequency", 1));
  set_num(p, "phase", phase);
  set_str(p, "waveform",
          strcmp(w, "square") == 0 || strcmp(w, "triangle") == 0 || strcmp(w, "sawtooth") == 0
              ? w
              : "sine");
}

static void p_lissajous(v20p *p) {
  set_vec(p, "center", vec(p, "center", 0, 0, 0));
  set_num(p, "frequencyRatioA", num(p, "frequencyRatioA", 3));
  set_num(p, "frequencyRatioB", num(p, "frequencyRatioB", 2));
  set_num(p, "phaseDifference", num(p, "phaseDifference", 0));
  set_num(p, "amplitudeX", num(p, "amplitudeX", 3));
  set_num(p, "amplitudeY", num(p, "amplitudeY", 3));
  set_num(p, "amplitudeZ", num(p, "amplitudeZ", 1));
  set_str(p, "phaseAxis", "y"); /* v2.0 puts the phase difference on y */
}

static void p_helix(v20p *p) {
  set_vec(p, "axisStart", vec(p, "axisStart", 0, -5, 0));
  set_vec(p, "axisEnd", vec(p, "axisEnd", 0, 5, 0));
  set_num(p, "radius", num(p, "helixRadius", 2));
  set_num(p, "turns", num(p, "helixRotations", 5));
  const char *d = str(p, form_name(p, "helixDirection", "direction"), "clockwise");
  /* v2.0's "clockwise" turns from x toward z: counter-clockwise about −Y */
  set_str(p, "direction", strcmp(d, "clockwise") == 0 ? "counterclockwise" : "clockwise");
  set_str(p, "circlePlane", "xz"); /* v2.0 draws the circle in x-z whatever the axis */
}

static void p_bezier(v20p *p) {
  set_vec(p, "start", vec(p, "bezierStart", -5, 0, 0));
  set_vec(p, "control1", vec(p, "bezierControl1", -2, 5, 2));
  set_vec(p, "control2", vec(p, "bezierControl2", 2, 5, -2));
  set_vec(p, "end", vec(p, "bezierEnd", 5, 0, 0));
  set_str(p, "easing", easing_of(str(p, form_name(p, "bezierEasing", "easingFunction"), "linear")));
}

static void p_zigzag(v20p *p) {
  set_vec(p, "pathStart", vec(p, "zigzagStart", -5, 0, 0));
  set_vec(p, "pathEnd", vec(p, "zigzagEnd", 5, 0, 0));
  set_num(p, "cycles", num(p, "zigzagCount", 5));
  set_num(p, "amplitude", num(p, "zigzagAmplitude", 2));
  const char *pl = str(p, "zigzagPlane", "xy");
  set_str(p, "waveform", "triangle");
  set_num(p, "phase", -90); /* v2.0's zigzag starts at −amplitude */
  /* v2.0 offsets along y (xy), z (xz), else x, whatever the path */
  int k = strcmp(pl, "xy") == 0 ? 1 : strcmp(pl, "xz") == 0 ? 2 : 0;
  set_vec(p, "offsetAxis", ha_vec3_make(k == 0, k == 1, k == 2));
}

static void p_rose(v20p *p) {
  int plane = plane_of(str(p, "plane", "xy"));
  set_vec(p, "center", vec(p, "center", 0, 0, 0));
  set_num(p, "radius", num(p, "roseRadius", 3));
  set_num(p, "petalCount", num(p, "petalCount", 5));
  set_str(p, "plane", plane_names[plane]);
  /* roseRotation turns the whole figure (not the petals' phase) */
  double rot = num(p, "roseRotation", 0);
  if (fabs(rot) > 0) {
    set_rotation(p, plane_axis(plane), rot);
  }
}

static void p_epicycloid(v20p *p) {
  set_vec(p, "center", vec(p, "center", 0, 0, 0));
  set_num(p, "fixedRadius", num(p, form_name(p, "fixedRadius", "fixedCircleRadius"), 3));
  set_num(p, "rollingRadius", num(p, form_name(p, "rollingRadius", "rollingCircleRadius"), 1));
  set_num(p, "speed", num(p, form_name(p, "epicycloidSpeed", "rollingSpeed"), 1));
  const char *t = str(p, form_name(p, "epicycloidType", "rollingType"), "epicycloid");
  set_str(p, "type", strcmp(t, "epicycloid") == 0 ? "epicycloid" : "hypocycloid");
  set_str(p, "plane", plane_names[plane_of(str(p, "plane", "xy"))]);
}

static void p_orbit(v20p *p, ha__hpx_v20_turn *turn) {
  double speed = num(p, "orbitalSpeed", 1);
  set_vec(p, "center", vec(p, "center", 0, 0, 0));
  set_num(p, "radius", num(p, "orbitalRadius", 4));
  set_num(p, "speed", speed);
  set_num(p, "phase", num(p, "orbitalPhase", 0));
  set_num(p, "inclination", num(p, "inclination", 0));
  /* v2.0 turns formation offsets about the speed param (Number(speed) ||
   * 1, which orbit does not have) in params.plane || xy */
  use(p, "plane");
  *turn = (ha__hpx_v20_turn){1, plane_axis(plane_of(str(p, "plane", "xy"))), 0,
                             360.0 * num(p, "speed", 1)};
}

static void p_scan(v20p *p, ha__hpx_v20_turn *turn) {
  set_vec(p, "center", vec(p, "center", 0, 0, 0));
  set_num(p, "radius", num(p, "scanRadius", 5));
  set_num(p, "height", num(p, "scanHeight", 0));
  set_num(p, "sweepCount", num(p, "sweepCount", 1));
  set_num(p, "startAngle", num(p, "startAngleOffset", 0));
  /* v2.0 sweeps x-z with the height on y: (x, y, z) → (x, z, y) */
  set_str(p, "heightAxis", "y");
  double sa = num(p, "startAngle", 0), ea = num(p, "endAngle", 360);
  *turn = (ha__hpx_v20_turn){1, plane_axis(plane_of(str(p, "plane", "xy"))), sa, ea - sa};
}

static void p_zoom(v20p *p) {
  set_vec(p, "zoomCenter", vec(p, "zoomCenter", 0, 0, 0));
  set_num(p, "startDistance", num(p, "startDistance", 10));
  set_num(p, "endDistance", num(p, "endDistance", 1));
  set_str(p, "easing", easing_of(str(p, "accelerationCurve", "linear")));
  set_str(p, "sweepPlane", "xz"); /* v2.0 turns once around y while zooming */
}

static void p_linear(v20p *p) {
  set_vec(p, "startPosition", vec(p, "startPosition", 0, 0, 0));
  set_vec(p, "endPosition", vec(p, "endPosition", 5, 5, 5));
  set_str(p, "easing", "linear");
}

static void p_doppler(v20p *p) {
  set_vec(p, "pathStart", vec(p, "pathStart", -10, 0, 5));
  set_vec(p, "pathEnd", vec(p, "pathEnd", 10, 0, 5));
  set_num(p, "passBySpeed", num(p, "passBySpeed", 1));
}

/* ---- approximate models (no expected positions): same-meaning
 * parameters; the engine integrates in closed form or its own way ---- */

static void p_random(v20p *p) {
  ha_vec3 b = vec(p, "bounds", 5, 5, 5);
  set_vec(p, "center", vec(p, "center", 0, 0, 0));
  set_num(p, "boundsX", fabs(b.x));
  set_num(p, "boundsY", fabs(b.y));
  set_num(p, "boundsZ", fabs(b.z));
  set_num(p, "updateFrequency", num(p, "updateFrequency", 2));
  set_num(p, "smoothness", num(p, "smoothness", 0.5));
  if (!has(p, "randomWaypoints")) {
    ha__hpx_warn(p->m,
                 "v2.0 saved no randomWaypoints, so it draws a new random path at every "
                 "frame (jumps); imported as an intended smooth random walk");
  } else {
    use(p, "randomWaypoints");
    ha__hpx_warn_key(p->m, "randomWaypoints",
                     "not imported: the engine draws its own waypoints (seeded)");
  }
  if (has(p, "speed")) {
    num(p, "speed", 1);
    ha__hpx_warn_key(p->m, "speed", "not imported: v2.0 random does not use it");
  }
}

static void p_pendulum(v20p *p) {
  set_vec(p, "anchorPoint", vec(p, "anchorPoint", 0, 5, 0));
  set_num(p, "length", num(p, "pendulumLength", 3));
  set_num(p, "initialAngle", num(p, "initialAngle", 45));
  set_num(p, "damping", num(p, "damping", 0.02));
  set_num(p, "gravity", num(p, "gravity", 9.81));
  set_str(p, "plane", plane_names[plane_of(str(p, "plane", "xz"))]);
  ha__hpx_warn(p->m,
               "pendulum: v2.0 integrates per frame (and restarts the swing at every "
               "frame of a ping-pong's backward half); imported as the engine's pendulum");
}

static void p_bounce(v20p *p) {
  set_vec(p, "center", vec(p, "center", 0, 0, 0));
  set_num(p, "startHeight", num(p, "startHeight", 5));
  set_num(p, "groundLevel", num(p, "groundLevel", 0));
  double b = num(p, "bounciness", 0.8);
  set_num(p, "bounciness", b < 0 ? 0 : b > 1 ? 1 : b);
  set_num(p, "dampingPerBounce", num(p, "dampingPerBounce", 0.05));
  set_num(p, "gravity", num(p, "gravity", 20));
  ha__hpx_warn(p->m,
               "bounce: v2.0 never computes the impact velocity, so its ball falls once "
               "and stays on the ground; imported as a bouncing ball (the engine's law; "
               "v2.0 bounces along y, the engine along z)");
}

static void p_spring(v20p *p) {
  set_vec(p, "restPosition", vec(p, "restPosition", 0, 0, 0));
  set_vec(p, "initialDisplacement", vec(p, "initialDisplacement", 5, 5, 0));
  set_num(p, "stiffness", num(p, "springStiffness", 10));
  set_num(p, "damping", num(p, "dampingCoefficient", 0.5));
  set_num(p, "mass", num(p, "mass", 1));
}

static void p_perlin(v20p *p) {
  ha_vec3 b = vec(p, "bounds", 5, 5, 5);
  set_vec(p, "center", vec(p, "center", 0, 0, 0));
  set_num(p, "frequency", num(p, "noiseFrequency", 1));
  set_num(p, "octaves", num(p, "noiseOctaves", 3));
  set_num(p, "persistence", num(p, "noisePersistence", 0.5));
  double sc = fabs(num(p, "noiseScale", 1));
  double big = fmax(fabs(b.x), fmax(fabs(b.y), fabs(b.z)));
  set_num(p, "scale", big * sc);
  set_num(p, "seed", num(p, "noiseSeed", 12345));
  ha__hpx_warn(p->m,
               "perlin-noise: v2.0's own noise is not reproduced; the largest of bounds "
               "x noiseScale imported as the engine's excursion (the same on every axis)");
}

static void p_attract(v20p *p) {
  set_vec(p, "startPosition", vec(p, "center", 5, 5, 5));
  set_vec(p, "targetPosition", vec(p, "targetPosition", 0, 0, 0));
  set_num(p, "attractionStrength", num(p, "attractionStrength", 5));
  set_num(p, "repulsionRadius", num(p, "repulsionRadius", 1));
  set_num(p, "maxSpeed", num(p, "maxSpeed", 10));
  ha__hpx_warn(p->m,
               "attract-repel: v2.0 starts its one shared state at the origin, not at "
               "center (frozen there with the default target); imported from center");
}

static void p_catmull(v20p *p) {
  use(p, "controlPoints");
  const json_t *cp = json_object_get(p->src, "controlPoints");
  json_t *pts = json_array();
  size_t i;
  const json_t *e;
  json_array_foreach(cp, i, e) {
    json_t *q = ha__json_xyz(e, HA__HPX_XYZ);
    if (q != NULL) {
      json_array_append_new(pts, q);
    }
  }
  if (json_array_size(pts) < 2) {
    json_decref(pts);
    pts = json_pack("[[i,i,i],[i,i,i],[i,i,i],[i,i,i]]", -5, 0, 0, -2, 3, 2, 2, 3, -2, 5, 0, 0);
  }
  json_object_set_new(p->out, "controlPoints", pts);
  json_object_set_new(p->out, "closed",
                      json_boolean(json_is_true(json_object_get(p->src, "closedLoop"))));
  use(p, "closedLoop");
  /* playback reads tension, the form writes catmullRomTension */
  static const char *const tk[2] = {"tension", "catmullRomTension"};
  for (int k = 0; k < 2; k++) {
    if (has(p, tk[k])) {
      use(p, tk[k]);
      ha__hpx_warn_key(p->m, tk[k],
                       "not imported: v2.0's spline (tension x an unhalved Catmull-Rom term "
                       "plus (1 - tension) x a straight line) jumps back at every control "
                       "point; the engine's centripetal Catmull-Rom through the points is used");
    }
  }
}

/* custom: the saved keyframes (v2.0 plays parameters.keyframes, which
 * its editor never writes: the animation's keyframes are the intent). A
 * later ride maps [0, T] onto [first, last + first] and glides back to the
 * first key; a first ride starts from the track's position. */
static void p_custom(v20p *p, const json_t *ta, const json_t *track) {
  use(p, "keyframes");
  use(p, "initialPosition");
  const json_t *kf = json_object_get(p->src, "keyframes");
  if (!json_is_array(kf) || json_array_size(kf) == 0) {
    kf = json_object_get(ta, "keyframes");
    if (json_is_array(kf) && json_array_size(kf) > 0) {
      ha__hpx_warn(p->m,
                   "v2.0 plays parameters.keyframes, which its editor does not save (it "
                   "plays built-in test keys); imported: the animation's keyframes");
    }
  }
  const char *interp = str(p, "interpolation", "linear");
  json_t *keys = ha__hpx_v20_keys(p->m, kf, ta, track, interp);
  if (keys != NULL) {
    json_object_set_new(p->out, "keyframes", keys);
  }
  set_str(p, "interpolation", strcmp(interp, "step") == 0 ? "step" : "linear");
  set_str(p, "ride", "v2.0");
  /* the first ride starts where the track is (v2.0 injects
   * initialPosition) */
  json_t *ip = ha__json_xyz(json_object_get(track, "initialPosition"), HA__HPX_XYZ);
  if (ip == NULL) {
    ip = ha__json_xyz(json_object_get(track, "position"), HA__HPX_XYZ);
  }
  json_object_set_new(p->out, "rideStart", ip != NULL ? ip : json_pack("[i,i,i]", 0, 0, 0));
}

typedef struct v20_type {
  const char *type;
  const char *model;
  int kind;
} v20_type;

enum {
  K_LINEAR,
  K_CIRCULAR,
  K_ELLIPTICAL,
  K_SPIRAL,
  K_RANDOM,
  K_CUSTOM,
  K_PENDULUM,
  K_BOUNCE,
  K_SPRING,
  K_WAVE,
  K_LISSAJOUS,
  K_HELIX,
  K_BEZIER,
  K_CATMULL,
  K_ZIGZAG,
  K_PERLIN,
  K_ROSE,
  K_EPICYCLOID,
  K_ORBIT,
  K_ATTRACT,
  K_DOPPLER,
  K_SCAN,
  K_ZOOM
};

static const v20_type v20_types[] = {
    {"linear", "linear", K_LINEAR},
    {"circular", "circular", K_CIRCULAR},
    {"elliptical", "elliptical", K_ELLIPTICAL},
    {"spiral", "spiral", K_SPIRAL},
    {"random", "random", K_RANDOM},
    {"custom", "keyframes", K_CUSTOM},
    {"pendulum", "pendulum", K_PENDULUM},
    {"bounce", "bounce", K_BOUNCE},
    {"spring", "spring", K_SPRING},
    {"wave", "oscillator", K_WAVE},
    {"lissajous", "lissajous", K_LISSAJOUS},
    {"helix", "helix", K_HELIX},
    {"bezier", "bezier", K_BEZIER},
    {"catmull-rom", "catmull-rom", K_CATMULL},
    {"zigzag", "zigzag", K_ZIGZAG},
    {"perlin-noise", "perlin-noise", K_PERLIN},
    {"rose-curve", "rose-curve", K_ROSE},
    {"epicycloid", "epicycloid", K_EPICYCLOID},
    {"orbit", "orbit", K_ORBIT},
    {"attract-repel", "attract-repel", K_ATTRACT},
    {"doppler", "doppler", K_DOPPLER},
    {"circular-scan", "circular-scan", K_SCAN},
    {"zoom", "zoom", K_ZOOM},
};

static const v20_type *v20_find(const char *type) {
  for (size_t i = 0; type != NULL && i < HA__COUNTOF(v20_types); i++) {
    if (strcmp(v20_types[i].type, type) == 0) {
      return &v20_types[i];
    }
  }
  return NULL;
}

int ha__hpx_v20_known(const char *type) {
  return v20_find(type) != NULL;
}

/* Keys v2.0 does not read: warned, each at its path. */
static void warn_unread(v20p *p, const char *type) {
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)(uintptr_t)p->src, key, v) {
    int read = key[0] == '_';
    for (size_t i = 0; i < p->nused && !read; i++) {
      read = strcmp(p->used[i], key) == 0;
    }
    if (!read) {
      ha__hpx_warn_key(p->m, key, "not imported: v2.0 %s does not use it", type);
    }
  }
}

static void v20_dispatch(v20p *p, int kind, const json_t *ta, const json_t *track,
                         ha__hpx_v20_turn *turn) {
  switch (kind) {
  case K_LINEAR: p_linear(p); break;
  case K_CIRCULAR: p_circular(p, turn); break;
  case K_ELLIPTICAL: p_elliptical(p); break;
  case K_SPIRAL: p_spiral(p, turn); break;
  case K_RANDOM: p_random(p); break;
  case K_CUSTOM: p_custom(p, ta, track); break;
  case K_PENDULUM: p_pendulum(p); break;
  case K_BOUNCE: p_bounce(p); break;
  case K_SPRING: p_spring(p); break;
  case K_WAVE: p_wave(p); break;
  case K_LISSAJOUS: p_lissajous(p); break;
  case K_HELIX: p_helix(p); break;
  case K_BEZIER: p_bezier(p); break;
  case K_CATMULL: p_catmull(p); break;
  case K_ZIGZAG: p_zigzag(p); break;
  case K_PERLIN: p_perlin(p); break;
  case K_ROSE: p_rose(p); break;
  case K_EPICYCLOID: p_epicycloid(p); break;
  case K_ORBIT: p_orbit(p, turn); break;
  case K_ATTRACT: p_attract(p); break;
  case K_DOPPLER: p_doppler(p); break;
  case K_SCAN: p_scan(p, turn); break;
  case K_ZOOM: p_zoom(p); break;
  default: break;
  }
}

const char *ha__hpx_v20_params(ha__hpx *m, const json_t *ta, const json_t *track, json_t *out,
                               ha__hpx_v20_turn *turn) {
  const v20_type *t = v20_find(ha__hpx_str(ta, "type"));
  if (t == NULL) {
    return NULL;
  }
  json_t *none = NULL;
  const json_t *src = json_object_get(ta, "parameters");
  if (!json_is_object(src)) {
    none = json_object();
    src = none;
  }
  v20p p = {m, src, out, {NULL}, 0};
  v20_dispatch(&p, t->kind, ta, track, turn);
  warn_unread(&p, t->type);
  json_decref(none);
  return t->model;
}
