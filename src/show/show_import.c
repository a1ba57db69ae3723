/* Import of Holophonix Animator projects (.hpx, v2.0 to v2.3).
 *
 * A project is JSON: tracks (string ids, holophonixIndex, position {x,y,z},
 * colour {r,g,b,a} in 0..1, volume), animations (type, duration, loop,
 * pingPong, parameters, multiTrackMode, phaseOffsetSeconds, centerPoint,
 * trackIds), position presets (positions by track id), cues (in
 * show.cueLists[].cues, or at the top level) and oscConnections. The import
 * builds a format-1 document and validates it like any loaded show.
 *
 * Mapping: model types go through the registry (its aliases already cover
 * wave, custom, oscillator-stationary, oscillator-path). Parameter names go
 * through a table of v2.0/v2.3 names that the registry does not know
 * (helixRadius -> radius, zigzagCount -> cycles, bounds -> boundsX/Y/Z, ...),
 * then through the registry's own names and aliases; {x,y,z} objects become
 * [x, y, z] arrays; v2.0's phaseOffset in radians becomes phase in degrees.
 * A parameter the engine still refuses (out of its range) is left out so the
 * model's default applies. Everything left out is a warning naming the
 * field of the .hpx, at its line and column; nothing is dropped silently
 * except run-time state (animationState, isSelected, internal "_" keys).
 * An animation locked to tracks (trackIds) becomes a group of the same name;
 * a cue playing it on those tracks starts that group. */
#include "show_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct imp {
  ha__dctx *c;
  ha__path path; /* in the .hpx */
  json_t *src;
  json_t *out;
  /* track string id -> holophonix index */
  ha__strmap track_ids;
  /* animation id -> index in out.animations */
  ha__strmap anim_ids;
  ha__strmap anim_names;
  ha__strmap group_of_anim; /* animation id -> index in out.groups */
  ha__strmap preset_ids;    /* preset id -> index in out.presets */
  ha__strmap preset_names;
} imp;

static const char *P(const imp *m) {
  return ha__path_str(&m->path);
}

static void warn(imp *m, const char *fmt, ...) HA__PRINTF(2, 3);
static void warn(imp *m, const char *fmt, ...) {
  char msg[480];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  ha__diag(m->c, HA_DIAG_WARNING, P(m), 1, "%s", msg);
}

static void warn_key(imp *m, const char *key, const char *fmt, const char *arg) {
  size_t mark = ha__path_key(&m->path, key);
  warn(m, fmt, arg);
  ha__path_pop(&m->path, mark);
}

/* {x, y, z} -> [x, y, z] (NULL when not such an object). */
static json_t *xyz(const json_t *v) {
  if (json_is_array(v) && json_array_size(v) == 3) {
    return json_deep_copy(v);
  }
  if (!json_is_object(v)) {
    return NULL;
  }
  const json_t *a = json_object_get(v, "x"), *b = json_object_get(v, "y"),
               *c = json_object_get(v, "z");
  if (!json_is_number(a) || !json_is_number(b) || !json_is_number(c)) {
    return NULL;
  }
  return json_pack("[f,f,f]", json_number_value(a), json_number_value(b), json_number_value(c));
}

/* Integers stay integers, so imported files read naturally. */
static json_t *num(double v) {
  if (fabs(v) < 1e15 && ha__feq(v, floor(v))) {
    return json_integer((json_int_t)v);
  }
  return json_real(v);
}

static const char *str(const json_t *o, const char *key) {
  return json_string_value(json_object_get(o, key));
}

/* ---- tracks ---- */

static void import_color(imp *m, const json_t *c, json_t *t) {
  char buf[8];
  if (json_is_string(c)) {
    const char *s = json_string_value(c);
    if (strlen(s) == 7 && s[0] == '#') {
      json_object_set_new(t, "color", json_string(s));
      return;
    }
  } else if (json_is_object(c)) {
    double rgb[3];
    const char *k[3] = {"r", "g", "b"};
    int ok = 1;
    for (int i = 0; i < 3; i++) {
      const json_t *v = json_object_get(c, k[i]);
      ok &= json_is_number(v);
      double d = json_number_value(v);
      /* 0..1 in the v2 types; tolerate 0..255 from older devices */
      rgb[i] = d > 1.0 ? d / 255.0 : d;
      rgb[i] = rgb[i] < 0 ? 0 : (rgb[i] > 1 ? 1 : rgb[i]);
    }
    if (ok) {
      snprintf(buf, sizeof(buf), "#%02x%02x%02x", (unsigned)lround(rgb[0] * 255.0),
               (unsigned)lround(rgb[1] * 255.0), (unsigned)lround(rgb[2] * 255.0));
      json_object_set_new(t, "color", json_string(buf));
      return;
    }
  }
  warn_key(m, "color", "not imported: not a colour%s", "");
}

static void import_tracks(imp *m) {
  const json_t *tracks = json_object_get(m->src, "tracks");
  json_t *out = json_array();
  json_object_set_new(m->out, "tracks", out);
  if (tracks == NULL) {
    return;
  }
  size_t mark = ha__path_key(&m->path, "tracks");
  if (!json_is_array(tracks)) {
    warn(m, "not imported: not a list");
    ha__path_pop(&m->path, mark);
    return;
  }
  /* First the indices the project gives, so generated ones avoid them. */
  long long maxidx = 0;
  size_t i;
  json_t *t;
  json_array_foreach(tracks, i, t) {
    const json_t *hi = json_object_get(t, "holophonixIndex");
    if (json_is_integer(hi) && json_integer_value(hi) > maxidx) {
      maxidx = json_integer_value(hi);
    }
  }
  ha__strmap used;
  ha__strmap_init(&used);
  json_array_foreach(tracks, i, t) {
    size_t m2 = ha__path_index(&m->path, i);
    if (!json_is_object(t)) {
      warn(m, "not imported: not a track object");
      ha__path_pop(&m->path, m2);
      continue;
    }
    const json_t *hi = json_object_get(t, "holophonixIndex");
    long long idx = json_is_integer(hi) ? json_integer_value(hi) : 0;
    char k[32];
    snprintf(k, sizeof(k), "%lld", idx);
    if (idx < 1 || idx > 999999 || ha__strmap_get(&used, k) != NULL) {
      long long nidx = ++maxidx;
      size_t m3 = ha__path_key(&m->path, "holophonixIndex");
      if (hi == NULL) {
        warn(m, "missing; track numbered %lld", nidx);
      } else {
        warn(m, "not usable (missing, out of range or a duplicate); track numbered %lld", nidx);
      }
      ha__path_pop(&m->path, m3);
      idx = nidx;
      snprintf(k, sizeof(k), "%lld", idx);
    }
    ha__strmap_put(&used, k);
    const char *sid = str(t, "id");
    if (sid != NULL) {
      ha__strmap_slot *s = ha__strmap_put(&m->track_ids, sid);
      if (s != NULL) {
        s->value = (size_t)idx;
      }
    }
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(idx));
    if (str(t, "name") != NULL) {
      json_object_set_new(o, "name", json_string(str(t, "name")));
    }
    if (json_object_get(t, "color") != NULL) {
      import_color(m, json_object_get(t, "color"), o);
    }
    /* The rest position: initialPosition when the project was saved
     * mid-animation, else position. */
    const json_t *pos = json_object_get(t, "initialPosition");
    json_t *p = pos ? xyz(pos) : NULL;
    if (p == NULL) {
      pos = json_object_get(t, "position");
      p = pos ? xyz(pos) : NULL;
    }
    if (p != NULL) {
      json_object_set_new(o, "position", p);
    } else if (json_object_get(t, "position") != NULL) {
      warn_key(m, "position", "not imported: not a position {x, y, z}%s", "");
    }
    const json_t *vol = json_object_get(t, "volume");
    if (json_is_number(vol) && !ha__feq(json_number_value(vol), 1.0)) {
      double v = json_number_value(vol);
      double db = v > 0.0 ? 20.0 * log10(v) : -60.0;
      db = db < -60.0 ? -60.0 : (db > 12.0 ? 12.0 : db);
      json_object_set_new(o, "gain", num(round(db * 100.0) / 100.0));
    }
    if (json_is_true(json_object_get(t, "isMuted"))) {
      warn_key(m, "isMuted", "not imported: shows have no mute%s", "");
    }
    if (json_is_true(json_object_get(t, "isSolo"))) {
      warn_key(m, "isSolo", "not imported: shows have no solo%s", "");
    }
    const char *key;
    json_t *v;
    json_object_foreach(t, key, v) {
      static const char *const known[] = {
          "id",     "name",    "holophonixIndex", "color",      "position",       "initialPosition",
          "volume", "isMuted", "isSolo",          "isSelected", "animationState", "type",
          "groupId"};
      int k2 = 0;
      for (size_t j = 0; j < HA__COUNTOF(known) && !k2; j++) {
        k2 = strcmp(key, known[j]) == 0;
      }
      if (!k2) {
        warn_key(m, key, "not imported%s", "");
      }
    }
    json_array_append_new(out, o);
    ha__path_pop(&m->path, m2);
  }
  ha__strmap_deinit(&used);
  ha__path_pop(&m->path, mark);
}

/* Holophonix index of a project track id (string), or 0. */
static long long track_index(const imp *m, const json_t *id) {
  if (json_is_string(id)) {
    const ha__strmap_slot *s = ha__strmap_get(&m->track_ids, json_string_value(id));
    return s ? (long long)s->value : 0;
  }
  return 0;
}

/* Map a list of project track ids; unknown ones are warned about. */
static json_t *map_tracks(imp *m, const json_t *ids, const char *key) {
  json_t *out = json_array();
  size_t mark = ha__path_key(&m->path, key);
  size_t i;
  json_t *v;
  json_array_foreach(ids, i, v) {
    long long idx = track_index(m, v);
    if (idx == 0) {
      size_t m2 = ha__path_index(&m->path, i);
      warn(m, "not imported: no track with this id in the project");
      ha__path_pop(&m->path, m2);
      continue;
    }
    int dup = 0;
    for (size_t j = 0; j < json_array_size(out) && !dup; j++) {
      dup = json_integer_value(json_array_get(out, j)) == idx;
    }
    if (!dup) {
      json_array_append_new(out, json_integer(idx));
    }
  }
  ha__path_pop(&m->path, mark);
  return out;
}

/* ---- animation parameters ---- */

enum {
  CV_AUTO = 0,    /* {x,y,z} -> [x,y,z], lists of {x,y,z} -> points, else as is */
  CV_RAD2DEG,     /* radians -> degrees */
  CV_BOUNDS,      /* {x,y,z} -> boundsX, boundsY, boundsZ */
  CV_CENTER_AXIS, /* centerX/Y/Z -> one component of center */
  CV_ROTATION,    /* number (about z) or {x,y,z} Euler degrees -> [rx, ry, rz] */
  CV_EASING,      /* easing name (cubic-bezier has no equivalent) */
  CV_SPIRAL_DIR,  /* spiral clockwise/counterclockwise -> sign of rotations */
  CV_INTERP,      /* custom: linear|bezier|step -> linear|catmull-rom|step */
  CV_DROP         /* no equivalent: warn */
};

typedef struct pmap {
  const char *model; /* canonical model name, or NULL for any */
  const char *from;
  const char *to;
  int cv;
} pmap;

static const pmap param_map[] = {
    {"elliptical", "centerX", "center", CV_CENTER_AXIS},
    {"elliptical", "centerY", "center", CV_CENTER_AXIS},
    {"elliptical", "centerZ", "center", CV_CENTER_AXIS},
    {"elliptical", "radiusZ", NULL, CV_DROP},
    {"spiral", "direction", "rotations", CV_SPIRAL_DIR},
    {"spiral", "pitch", NULL, CV_DROP},
    {"random", "bounds", NULL, CV_BOUNDS},
    {"random", "randomWaypoints", NULL, CV_DROP},
    {"oscillator", "phaseOffset", "phase", CV_RAD2DEG},
    {"oscillator", "axisDirection", "direction", CV_AUTO},
    {"oscillator", "waveType", "waveform", CV_AUTO},
    {"helix", "helixRadius", "radius", CV_AUTO},
    {"helix", "helixRotations", "turns", CV_AUTO},
    {"helix", "rotations", "turns", CV_AUTO},
    {"helix", "helixPitch", NULL, CV_DROP},
    {"bezier", "bezierStart", "start", CV_AUTO},
    {"bezier", "bezierControl1", "control1", CV_AUTO},
    {"bezier", "bezierControl2", "control2", CV_AUTO},
    {"bezier", "bezierEnd", "end", CV_AUTO},
    {"bezier", "easingFunction", "easing", CV_EASING},
    {"catmull-rom", "closedLoop", "closed", CV_AUTO},
    {"zigzag", "zigzagStart", "pathStart", CV_AUTO},
    {"zigzag", "zigzagEnd", "pathEnd", CV_AUTO},
    {"zigzag", "zigzagCount", "cycles", CV_AUTO},
    {"zigzag", "zigzagAmplitude", "amplitude", CV_AUTO},
    {"zigzag", "zigzagPlane", "plane", CV_AUTO},
    {"zigzag", "waveType", "waveform", CV_AUTO},
    {"perlin-noise", "noiseFrequency", "frequency", CV_AUTO},
    {"perlin-noise", "noiseOctaves", "octaves", CV_AUTO},
    {"perlin-noise", "noisePersistence", "persistence", CV_AUTO},
    {"perlin-noise", "noiseScale", "scale", CV_AUTO},
    {"perlin-noise", "noiseSeed", "seed", CV_AUTO},
    {"rose-curve", "roseRadius", "radius", CV_AUTO},
    {"rose-curve", "roseRotation", "angularOffset", CV_AUTO},
    {"epicycloid", "fixedCircleRadius", "fixedRadius", CV_AUTO},
    {"epicycloid", "rollingCircleRadius", "rollingRadius", CV_AUTO},
    {"epicycloid", "rollingSpeed", "speed", CV_AUTO},
    {"epicycloid", "rollingType", "type", CV_AUTO},
    {"orbit", "orbitalRadius", "radius", CV_AUTO},
    {"orbit", "orbitalSpeed", "speed", CV_AUTO},
    {"orbit", "orbitalPhase", "phase", CV_AUTO},
    {"doppler", "closestApproach", NULL, CV_DROP},
    {"doppler", "listenerPosition", NULL, CV_DROP},
    {"circular-scan", "scanRadius", "radius", CV_AUTO},
    {"circular-scan", "scanHeight", "height", CV_AUTO},
    {"circular-scan", "scanSpeed", "sweepCount", CV_AUTO},
    {"circular-scan", "startAngleOffset", "startAngle", CV_AUTO},
    {"zoom", "accelerationCurve", "easing", CV_EASING},
    {"keyframes", "interpolation", "interpolation", CV_INTERP},
    {NULL, "rotation", "rotation", CV_ROTATION},
    {NULL, "easing", "easing", CV_EASING},
};

static json_t *auto_value(const json_t *v) {
  json_t *a = xyz(v);
  if (a != NULL) {
    return a;
  }
  if (json_is_array(v) && json_array_size(v) > 0 && json_is_object(json_array_get(v, 0))) {
    json_t *pts = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
      json_t *p = xyz(e);
      if (p == NULL) {
        json_decref(pts);
        return NULL;
      }
      json_array_append_new(pts, p);
    }
    return pts;
  }
  if (json_is_object(v) || json_is_null(v)) {
    return NULL;
  }
  return json_deep_copy(v);
}

static json_t *easing_value(imp *m, const json_t *v) {
  const char *s = json_string_value(v);
  ha_easing e;
  if (s != NULL && ha_easing_parse(s, &e, "easing", NULL) == HA_OK) {
    return json_string(ha_easing_name(e));
  }
  if (s != NULL && strcmp(s, "cubic-bezier") == 0) {
    warn(m, "cubic-bezier easing imported as cubic-in-out");
    return json_string("cubic-in-out");
  }
  return NULL;
}

/* Keyframes of a custom animation: [{time, position {x,y,z}, interpolation}]. */
static json_t *keyframes_value(imp *m, const json_t *v) {
  if (!json_is_array(v)) {
    return NULL;
  }
  json_t *out = json_array();
  size_t i;
  json_t *k;
  json_array_foreach(v, i, k) {
    size_t mark = ha__path_index(&m->path, i);
    json_t *pos = xyz(json_object_get(k, "position"));
    const json_t *t = json_object_get(k, "time");
    if (pos == NULL || !json_is_number(t)) {
      warn(m, "not imported: a keyframe needs time and position {x, y, z}");
      json_decref(pos);
      ha__path_pop(&m->path, mark);
      continue;
    }
    json_t *o = json_object();
    json_object_set_new(o, "time", num(json_number_value(t)));
    json_object_set_new(o, "position", pos);
    const json_t *interp = json_object_get(k, "interpolation");
    if (interp != NULL) {
      size_t m2 = ha__path_key(&m->path, "interpolation");
      json_t *e = easing_value(m, interp);
      if (e != NULL) {
        json_object_set_new(o, "easing", e);
      } else {
        warn(m, "not imported: unknown interpolation");
      }
      ha__path_pop(&m->path, m2);
    }
    if (json_object_get(k, "easing") != NULL) {
      warn_key(m, "easing", "not imported: bezier easing handles have no equivalent%s", "");
    }
    json_array_append_new(out, o);
    ha__path_pop(&m->path, mark);
  }
  return out;
}

static const pmap *find_map(const char *model, const char *key) {
  for (size_t i = 0; i < HA__COUNTOF(param_map); i++) {
    if ((param_map[i].model == NULL || strcmp(param_map[i].model, model) == 0) &&
        strcmp(param_map[i].from, key) == 0) {
      return &param_map[i];
    }
  }
  return NULL;
}

static void import_params(imp *m, const ha_model_info *mi, const json_t *src, json_t *out) {
  const char *key;
  json_t *v;
  json_t *center = NULL;
  json_object_foreach((json_t *)(uintptr_t)src, key, v) {
    if (key[0] == '_') {
      continue; /* run-time internals of the original (multi-track offsets) */
    }
    size_t mark = ha__path_key(&m->path, key);
    const pmap *pm = find_map(mi->name, key);
    const char *to = pm ? pm->to : NULL;
    int cv = pm ? pm->cv : CV_AUTO;
    if (pm == NULL) {
      const ha_param_info *pi = ha_model_param_find(mi, key);
      to = pi ? pi->name : NULL;
      if (pi != NULL && pi->type == HA_PARAM_EASING) {
        cv = CV_EASING;
      }
      if (pi != NULL && pi->type == HA_PARAM_KEYFRAMES) {
        json_t *kf = keyframes_value(m, v);
        if (kf != NULL) {
          json_object_set_new(out, pi->name, kf);
        }
        ha__path_pop(&m->path, mark);
        continue;
      }
    }
    json_t *val = NULL;
    if (cv == CV_DROP || (to == NULL && cv != CV_BOUNDS)) {
      warn(m, "not imported: %s has no such parameter", mi->name);
    } else if (cv == CV_AUTO) {
      val = auto_value(v);
    } else if (cv == CV_RAD2DEG && json_is_number(v)) {
      val = num(json_number_value(v) * 180.0 / HA_PI);
    } else if (cv == CV_BOUNDS) {
      static const char *const axes[3] = {"boundsX", "boundsY", "boundsZ"};
      static const char *const k3[3] = {"x", "y", "z"};
      for (int i = 0; i < 3; i++) {
        const json_t *c = json_object_get(v, k3[i]);
        if (json_is_number(c)) {
          json_object_set_new(out, axes[i], num(json_number_value(c)));
        }
      }
      ha__path_pop(&m->path, mark);
      continue;
    } else if (cv == CV_CENTER_AXIS && json_is_number(v)) {
      if (center == NULL) {
        center = json_pack("[i,i,i]", 0, 0, 0);
      }
      json_array_set_new(center, (size_t)(key[6] - 'X'), num(json_number_value(v)));
      ha__path_pop(&m->path, mark);
      continue;
    } else if (cv == CV_ROTATION) {
      val = json_is_number(v) ? json_pack("[i,i,o]", 0, 0, num(json_number_value(v))) : xyz(v);
    } else if (cv == CV_EASING) {
      val = easing_value(m, v);
    } else if (cv == CV_SPIRAL_DIR) {
      const char *d = json_string_value(v);
      if (d != NULL && (strcmp(d, "outward") == 0 || strcmp(d, "inward") == 0)) {
        json_object_set_new(out, "direction", json_string(d));
      } else if (d != NULL && strcmp(d, "clockwise") == 0) {
        /* The spiral turns counterclockwise for positive rotations. */
        const json_t *r = json_object_get(src, "rotations");
        double turns = json_is_number(r) ? json_number_value(r) : 3.0;
        json_object_set_new(out, "rotations", num(-fabs(turns)));
      }
      ha__path_pop(&m->path, mark);
      continue;
    } else if (cv == CV_INTERP) {
      const char *s = json_string_value(v);
      val = s == NULL                  ? NULL
            : strcmp(s, "bezier") == 0 ? json_string("catmull-rom")
                                       : json_string(s);
    }
    if (val != NULL) {
      if (!(strcmp(to, "rotations") == 0 && json_object_get(out, "rotations") != NULL)) {
        json_object_set_new(out, to, val);
      } else {
        json_decref(val);
      }
    } else if (cv != CV_DROP && to != NULL) {
      warn(m, "not imported: the value has no equivalent");
    }
    ha__path_pop(&m->path, mark);
  }
  if (center != NULL) {
    json_object_set_new(out, "center", center);
  }
}

/* Drop parameters the engine refuses, one at a time, with a warning each. */
static void settle_params(imp *m, const char *model, json_t *anim, const char *src_params_key) {
  json_t *params = json_object_get(anim, "parameters");
  ha_timing tm = ha_timing_default();
  tm.duration = json_number_value(json_object_get(anim, "duration"));
  for (int round = 0; round < 64 && json_object_size(params) > 0; round++) {
    ha_params *p = NULL;
    if (ha_params_create(&p) != HA_OK) {
      return;
    }
    const char *k;
    json_t *v;
    json_object_foreach(params, k, v) {
      if (json_is_number(v)) {
        ha_params_set_number(p, k, json_number_value(v));
      } else if (json_is_string(v)) {
        ha_params_set_string(p, k, json_string_value(v));
      } else if (json_is_boolean(v)) {
        ha_params_set_bool(p, k, json_is_true(v));
      } else if (json_is_array(v) && json_array_size(v) > 0 &&
                 json_is_number(json_array_get(v, 0)) && json_array_size(v) <= 4) {
        double d[4];
        for (size_t i = 0; i < json_array_size(v); i++) {
          d[i] = json_number_value(json_array_get(v, i));
        }
        ha_params_set_numbers(p, k, d, json_array_size(v));
      } else if (json_is_array(v) && json_array_size(v) > 0 &&
                 json_is_array(json_array_get(v, 0))) {
        size_t n = json_array_size(v);
        ha_vec3 *pts = calloc(n, sizeof(*pts));
        for (size_t i = 0; pts != NULL && i < n; i++) {
          const json_t *e = json_array_get(v, i);
          pts[i] = ha_vec3_make(json_number_value(json_array_get(e, 0)),
                                json_number_value(json_array_get(e, 1)),
                                json_number_value(json_array_get(e, 2)));
        }
        if (pts != NULL) {
          ha_params_set_points(p, k, pts, n);
        }
        free(pts);
      } else if (json_is_array(v)) {
        size_t n = json_array_size(v);
        ha_keyframe *ks = calloc(n ? n : 1, sizeof(*ks));
        for (size_t i = 0; ks != NULL && i < n; i++) {
          const json_t *e = json_array_get(v, i);
          const json_t *pos = json_object_get(e, "position");
          ks[i].time = json_number_value(json_object_get(e, "time"));
          ks[i].position = ha_vec3_make(json_number_value(json_array_get(pos, 0)),
                                        json_number_value(json_array_get(pos, 1)),
                                        json_number_value(json_array_get(pos, 2)));
          ks[i].easing = HA_EASE_LINEAR;
          if (str(e, "easing") != NULL) {
            ha_easing_parse(str(e, "easing"), &ks[i].easing, "easing", NULL);
          }
        }
        if (ks != NULL) {
          ha_params_set_keyframes(p, k, ks, n);
        }
        free(ks);
      }
    }
    ha_error err;
    ha_error_clear(&err);
    ha_motion *mo = NULL;
    ha_status st = ha_motion_create(model, p, &tm, &mo, &err);
    ha_motion_destroy(mo);
    ha_params_destroy(p);
    if (st == HA_OK || st == HA_ENOMEM) {
      return;
    }
    char head[96];
    snprintf(head, sizeof(head), "%.*s", (int)strcspn(err.name, ".["), err.name);
    const ha_model_info *mi = ha_model_find(model);
    const ha_param_info *pi = mi ? ha_model_param_find(mi, head) : NULL;
    const char *victim = NULL;
    json_object_foreach(params, k, v) {
      if (strcmp(k, head) == 0 || (pi != NULL && ha_model_param_find(mi, k) == pi)) {
        victim = k;
        break;
      }
    }
    if (victim == NULL) {
      return; /* a combination; the final validation reports it */
    }
    size_t mark = ha__path_key(&m->path, src_params_key);
    size_t m2 = ha__path_key(&m->path, victim);
    warn(m, "%s; left out, the default is used", err.reason);
    ha__path_pop(&m->path, m2);
    ha__path_pop(&m->path, mark);
    json_object_del(params, victim);
  }
}

/* ---- animations and their groups ---- */

/* A unique name: the project's, else "<fallback> N"; a clash gets " (2)",
 * " (3)", ... and a warning at `key` of the current path. */
static const char *unique_name(imp *m, ha__strmap *names, const char *want, char *buf, size_t cap,
                               const char *fallback, size_t n, const char *key) {
  if (want == NULL || want[0] == '\0') {
    snprintf(buf, cap, "%s %zu", fallback, n + 1);
  } else {
    snprintf(buf, cap, "%s", want);
  }
  int renamed = 0;
  for (int k = 2; ha__strmap_get(names, buf) != NULL; k++) {
    snprintf(buf, cap, "%s (%d)", want && want[0] ? want : fallback, k);
    renamed = 1;
  }
  if (renamed) {
    warn_key(m, key, "renamed \"%s\" (names must be unique)", buf);
  }
  ha__strmap_put(names, buf);
  return buf;
}

/* mode string and phase into a group/start object. */
static void import_mode(imp *m, const json_t *a, json_t *g) {
  const char *mode = str(a, "multiTrackMode");
  if (mode == NULL) {
    return;
  }
  ha_group_mode gm;
  const char *name = NULL;
  if (ha_group_mode_parse(mode, &gm, NULL) == HA_OK) {
    name = ha_group_mode_name(gm);
  } else if (strcmp(mode, "barycentric") == 0 || strcmp(mode, "formation") == 0) {
    const char *var = str(a, "barycentricVariant");
    name = var != NULL && ha_group_mode_parse(var, &gm, NULL) == HA_OK ? ha_group_mode_name(gm)
                                                                       : "isobarycentric";
  } else {
    warn_key(m, "multiTrackMode", "not imported: unknown mode '%s'; shared is used", mode);
  }
  if (name != NULL && strcmp(name, "shared") != 0) {
    json_object_set_new(g, "mode", json_string(name));
  }
  if (strstr(mode, "phase-offset") != NULL) {
    const json_t *ph = json_object_get(a, "phaseOffsetSeconds");
    if (json_is_number(ph)) {
      json_object_set_new(g, "phaseOffset", num(json_number_value(ph)));
    }
  }
  const json_t *cp = json_object_get(a, "centerPoint");
  if (cp == NULL) {
    cp = json_object_get(a, "customCenter");
  }
  json_t *c = cp ? xyz(cp) : NULL;
  if (c != NULL && name != NULL && strcmp(name, "centered") == 0) {
    json_object_set_new(g, "centerPoint", c);
  } else {
    json_decref(c);
  }
}

static void import_animation(imp *m, const json_t *a, size_t i, json_t *anims, json_t *groups) {
  const char *type = str(a, "type");
  const ha_model_info *mi = type ? ha_model_find(type) : NULL;
  if (mi == NULL) {
    warn_key(m, "type", "not imported: no model for animation type '%s'",
             type ? type : "(missing)");
    return;
  }
  char nbuf[160];
  const char *name =
      unique_name(m, &m->anim_names, str(a, "name"), nbuf, sizeof(nbuf), "Animation", i, "name");
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(name));
  json_object_set_new(o, "model", json_string(mi->name));
  const json_t *d = json_object_get(a, "duration");
  json_object_set_new(
      o, "duration",
      num(json_is_number(d) && json_number_value(d) > 0 ? json_number_value(d) : 10.0));
  int loop = json_is_true(json_object_get(a, "loop"));
  int pp = json_is_true(json_object_get(a, "pingPong"));
  json_object_set_new(o, "loop", json_string(pp ? "pingpong" : loop ? "loop" : "once"));
  json_t *params = json_object();
  json_object_set_new(o, "parameters", params);
  const json_t *sp = json_object_get(a, "parameters");
  if (json_is_object(sp)) {
    size_t mark = ha__path_key(&m->path, "parameters");
    import_params(m, mi, sp, params);
    ha__path_pop(&m->path, mark);
  }
  const json_t *kf = json_object_get(a, "keyframes");
  if (json_is_array(kf) && json_array_size(kf) > 0) {
    size_t mark = ha__path_key(&m->path, "keyframes");
    if (strcmp(mi->name, "keyframes") == 0 && json_object_get(params, "keyframes") == NULL) {
      json_t *k = keyframes_value(m, kf);
      if (k != NULL) {
        json_object_set_new(params, "keyframes", k);
      }
    } else {
      warn(m, "not imported: only custom animations use keyframes");
    }
    ha__path_pop(&m->path, mark);
  }
  settle_params(m, mi->name, o, "parameters");
  if (json_object_get(a, "multiTrackParameters") != NULL) {
    warn_key(m, "multiTrackParameters", "not imported: per-track parameters%s", "");
  }
  const char *cs = str(json_object_get(a, "coordinateSystem"), "type");
  if (cs != NULL && strcmp(cs, "xyz") != 0) {
    warn_key(m, "coordinateSystem", "not imported: animations are computed in xyz%s", "");
  }
  size_t index = json_array_size(anims);
  json_array_append_new(anims, o);
  const char *id = str(a, "id");
  if (id != NULL) {
    ha__strmap_slot *s = ha__strmap_put(&m->anim_ids, id);
    if (s != NULL) {
      s->value = index;
    }
  }
  /* Locked to tracks: a group of the same name. */
  const json_t *ids = json_object_get(a, "trackIds");
  if (json_is_array(ids) && json_array_size(ids) > 0) {
    json_t *tr = map_tracks(m, ids, "trackIds");
    if (json_array_size(tr) == 0) {
      json_decref(tr);
      return;
    }
    json_t *g = json_object();
    json_object_set_new(g, "name", json_string(name));
    json_object_set_new(g, "animation", json_string(name));
    json_object_set_new(g, "tracks", tr);
    import_mode(m, a, g);
    if (id != NULL) {
      ha__strmap_slot *s = ha__strmap_put(&m->group_of_anim, id);
      if (s != NULL) {
        s->value = json_array_size(groups);
      }
    }
    json_array_append_new(groups, g);
  } else if (str(a, "multiTrackMode") != NULL || json_object_get(a, "phaseOffsetSeconds")) {
    /* Kept for the cues that play it on tracks of their own. */
  }
}

static void import_animations(imp *m) {
  json_t *anims = json_array(), *groups = json_array();
  json_object_set_new(m->out, "animations", anims);
  json_object_set_new(m->out, "groups", groups);
  const json_t *src = json_object_get(m->src, "animations");
  if (src == NULL) {
    return;
  }
  size_t mark = ha__path_key(&m->path, "animations");
  size_t i;
  json_t *a;
  json_array_foreach(src, i, a) {
    size_t m2 = ha__path_index(&m->path, i);
    if (json_is_object(a)) {
      import_animation(m, a, i, anims, groups);
    }
    ha__path_pop(&m->path, m2);
  }
  ha__path_pop(&m->path, mark);
}

/* ---- presets ---- */

static void import_preset(imp *m, const json_t *p, size_t i, json_t *out) {
  const json_t *pos = json_object_get(p, "positions");
  if (!json_is_object(pos)) {
    warn(m, "not imported: not a position preset (animation presets are not imported)");
    return;
  }
  char nbuf[160];
  unique_name(m, &m->preset_names, str(p, "name"), nbuf, sizeof(nbuf), "Preset", i, "name");
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(nbuf));
  json_t *ps = json_object();
  json_object_set_new(o, "positions", ps);
  /* The preset's track order (its stagger order): trackIds when given. */
  const json_t *order = json_object_get(p, "trackIds");
  size_t mark = ha__path_key(&m->path, "positions");
  size_t n = json_is_array(order) ? json_array_size(order) : json_object_size(pos);
  const char *key;
  json_t *v;
  void *it = json_object_iter((json_t *)(uintptr_t)pos);
  for (size_t j = 0; j < n; j++) {
    if (json_is_array(order)) {
      key = json_string_value(json_array_get(order, j));
      v = key ? json_object_get(pos, key) : NULL;
    } else {
      key = json_object_iter_key(it);
      v = json_object_iter_value(it);
      it = json_object_iter_next((json_t *)(uintptr_t)pos, it);
    }
    if (key == NULL || v == NULL) {
      continue;
    }
    size_t m2 = ha__path_key(&m->path, key);
    json_t *idv = json_string(key);
    long long idx = track_index(m, idv);
    json_decref(idv);
    json_t *q = xyz(v);
    if (idx == 0 || q == NULL) {
      warn(m, idx == 0 ? "not imported: no track with this id in the project"
                       : "not imported: not a position {x, y, z}");
      json_decref(q);
    } else {
      char k2[32];
      snprintf(k2, sizeof(k2), "%lld", idx);
      json_object_set_new(ps, k2, q);
    }
    ha__path_pop(&m->path, m2);
  }
  ha__path_pop(&m->path, mark);
  const char *id = str(p, "id");
  if (id != NULL) {
    ha__strmap_slot *s = ha__strmap_put(&m->preset_ids, id);
    if (s != NULL) {
      s->value = json_array_size(out);
    }
  }
  json_array_append_new(out, o);
}

static void import_presets(imp *m) {
  json_t *out = json_array();
  json_object_set_new(m->out, "presets", out);
  static const char *const keys[] = {"positionPresets", "presets"};
  for (size_t k = 0; k < 2; k++) {
    const json_t *src = json_object_get(m->src, keys[k]);
    if (!json_is_array(src)) {
      continue;
    }
    size_t mark = ha__path_key(&m->path, keys[k]);
    size_t i;
    json_t *p;
    json_array_foreach(src, i, p) {
      size_t m2 = ha__path_index(&m->path, i);
      if (json_is_object(p)) {
        import_preset(m, p, i, out);
      }
      ha__path_pop(&m->path, m2);
    }
    ha__path_pop(&m->path, mark);
  }
}

/* ---- cues ---- */

static int same_tracks(const json_t *a, const json_t *b) {
  if (json_array_size(a) != json_array_size(b)) {
    return 0;
  }
  for (size_t i = 0; i < json_array_size(a); i++) {
    if (json_integer_value(json_array_get(a, i)) != json_integer_value(json_array_get(b, i))) {
      return 0;
    }
  }
  return 1;
}

static json_t *animation_action(imp *m, const json_t *cue, const json_t *data) {
  const char *aid = str(data, "animationId");
  const ha__strmap_slot *s = aid ? ha__strmap_get(&m->anim_ids, aid) : NULL;
  if (s == NULL) {
    warn(m, "not imported: the cue plays an animation the import does not have");
    return NULL;
  }
  json_t *anims = json_object_get(m->out, "animations");
  const char *aname = str(json_array_get(anims, s->value), "name");
  const json_t *ids = json_object_get(data, "trackIds");
  const ha__strmap_slot *gs = ha__strmap_get(&m->group_of_anim, aid);
  json_t *group = gs ? json_array_get(json_object_get(m->out, "groups"), gs->value) : NULL;
  const char *legacy = str(cue, "action");
  json_t *act = json_object();
  if (legacy != NULL && strcmp(legacy, "stop") == 0) {
    json_object_set_new(act, "type", json_string("stop"));
    json_object_set_new(act, "animation", json_string(aname));
    return act;
  }
  json_object_set_new(act, "type", json_string("start"));
  json_t *tr =
      json_is_array(ids) && json_array_size(ids) > 0 ? map_tracks(m, ids, "trackIds") : NULL;
  if (group != NULL && (tr == NULL || same_tracks(tr, json_object_get(group, "tracks")))) {
    json_decref(tr);
    json_object_set_new(act, "group", json_string(str(group, "name")));
    return act;
  }
  if (tr == NULL || json_array_size(tr) == 0) {
    json_decref(tr);
    json_decref(act);
    warn(m, "not imported: the cue names no tracks (the original used the selection)");
    return NULL;
  }
  json_object_set_new(act, "animation", json_string(aname));
  json_object_set_new(act, "tracks", tr);
  json_t *srcanim = NULL;
  size_t i;
  json_t *a;
  json_array_foreach(json_object_get(m->src, "animations"), i, a) {
    if (aid != NULL && str(a, "id") != NULL && strcmp(str(a, "id"), aid) == 0) {
      srcanim = a;
    }
  }
  if (str(data, "multiTrackMode") != NULL) {
    import_mode(m, data, act);
  } else if (srcanim != NULL) {
    import_mode(m, srcanim, act);
  }
  static const char *const dropped[] = {"playbackSpeed", "loop", "reverse", "cueSpecificParams",
                                        "animationParameters"};
  for (size_t k = 0; k < HA__COUNTOF(dropped); k++) {
    if (json_object_get(data, dropped[k]) != NULL) {
      warn_key(m, dropped[k], "not imported: cue overrides of the animation%s", "");
    }
  }
  return act;
}

static json_t *position_action(imp *m, const json_t *data) {
  const char *pid = str(data, "presetId");
  const ha__strmap_slot *s = pid ? ha__strmap_get(&m->preset_ids, pid) : NULL;
  if (s == NULL) {
    warn(m, "not imported: the cue recalls a preset the import does not have");
    return NULL;
  }
  json_t *presets = json_object_get(m->out, "presets");
  json_t *act = json_object();
  json_object_set_new(act, "type", json_string("preset"));
  json_object_set_new(act, "preset", json_string(str(json_array_get(presets, s->value), "name")));
  const json_t *tr = json_object_get(data, "transition");
  const json_t *dur = json_object_get(tr, "duration");
  if (json_is_number(dur) && json_number_value(dur) > 0) {
    json_object_set_new(act, "transition", num(json_number_value(dur)));
  }
  const json_t *ease = json_object_get(tr, "easing");
  if (ease != NULL) {
    json_t *e = easing_value(m, ease);
    if (e != NULL) {
      json_object_set_new(act, "easing", e);
    }
  }
  const char *mode = str(tr, "mode");
  const char *coords = str(data, "coordinateSystem");
  if ((mode != NULL && strcmp(mode, "spherical") == 0) ||
      (coords != NULL && strcmp(coords, "aed") == 0)) {
    json_object_set_new(act, "space", json_string("aed"));
  } else if (mode != NULL && strcmp(mode, "cartesian") != 0) {
    size_t mark = ha__path_key(&m->path, "transition");
    warn_key(m, "mode", "not imported: interpolation '%s'; xyz is used", mode);
    ha__path_pop(&m->path, mark);
  }
  const json_t *stg = json_object_get(tr, "stagger");
  if (json_is_true(json_object_get(stg, "enabled"))) {
    const json_t *dl = json_object_get(stg, "delay");
    if (json_is_number(dl) && json_number_value(dl) > 0) {
      json_object_set_new(act, "stagger", num(json_number_value(dl)));
    }
    const char *smode = str(stg, "mode");
    if (smode != NULL && strcmp(smode, "sequential") != 0) {
      size_t mark = ha__path_key(&m->path, "transition");
      size_t m2 = ha__path_key(&m->path, "stagger");
      warn_key(m, "mode", "not imported: stagger order '%s'; the preset's order is used", smode);
      ha__path_pop(&m->path, m2);
      ha__path_pop(&m->path, mark);
    }
  }
  const json_t *ids = json_object_get(data, "trackIds");
  if (json_is_array(ids) && json_array_size(ids) > 0) {
    json_t *t = map_tracks(m, ids, "trackIds");
    /* keep only tracks the preset has */
    json_t *pp = json_object_get(json_array_get(presets, s->value), "positions");
    json_t *keep = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(t, i, v) {
      char k[32];
      snprintf(k, sizeof(k), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
      if (json_object_get(pp, k) != NULL) {
        json_array_append(keep, v);
      }
    }
    json_decref(t);
    if (json_array_size(keep) > 0) {
      json_object_set_new(act, "tracks", keep);
    } else {
      json_decref(keep);
    }
  }
  return act;
}

static void import_cue(imp *m, const json_t *cue, json_t *out, double *next_number) {
  const char *type = str(cue, "type");
  if (type == NULL) {
    type = str(cue, "category");
  }
  const json_t *data = json_object_get(cue, "data");
  if (data == NULL) {
    data = json_object_get(cue, "parameters");
  }
  json_t *act = NULL;
  size_t mark = ha__path_key(&m->path, json_object_get(cue, "data") ? "data" : "parameters");
  if (type != NULL && strcmp(type, "animation") == 0) {
    act = animation_action(m, cue, data);
  } else if (type != NULL && strcmp(type, "position") == 0) {
    act = position_action(m, data);
  }
  ha__path_pop(&m->path, mark);
  if (act == NULL) {
    if (type == NULL || (strcmp(type, "animation") != 0 && strcmp(type, "position") != 0)) {
      warn_key(m, "type", "not imported: '%s' cues have no equivalent", type ? type : "(missing)");
    }
    return;
  }
  json_t *o = json_object();
  const json_t *nv = json_object_get(cue, "number");
  double number =
      json_is_number(nv) && json_number_value(nv) >= 0 ? json_number_value(nv) : *next_number;
  for (size_t j = 0; j < json_array_size(out); j++) {
    if (fabs(json_number_value(json_object_get(json_array_get(out, j), "number")) - number) <
        1e-9) {
      number = *next_number;
      warn_key(m, "number", "duplicate number; renumbered%s", "");
      j = (size_t)-1; /* rescan */
      *next_number += 1.0;
    }
  }
  if (number >= *next_number) {
    *next_number = floor(number) + 1.0;
  }
  json_object_set_new(o, "number", num(number));
  if (str(cue, "name") != NULL) {
    json_object_set_new(o, "name", json_string(str(cue, "name")));
  }
  size_t i;
  json_t *t;
  json_array_foreach(json_object_get(cue, "triggers"), i, t) {
    const char *addr = str(t, "oscAddress");
    if (addr != NULL && json_object_get(o, "osc") == NULL) {
      if (addr[0] == '/' && strpbrk(addr, " #*,?[]{}") == NULL) {
        json_object_set_new(o, "osc", json_string(addr));
      } else {
        size_t m2 = ha__path_key(&m->path, "triggers");
        size_t m3 = ha__path_index(&m->path, i);
        warn_key(m, "oscAddress", "not imported: '%s' is not a plain OSC address", addr);
        ha__path_pop(&m->path, m3);
        ha__path_pop(&m->path, m2);
      }
    }
  }
  if (json_is_false(json_object_get(cue, "isEnabled"))) {
    warn_key(m, "isEnabled", "the cue is disabled in the project; it is imported%s", "");
  }
  json_t *acts = json_array();
  json_array_append_new(acts, act);
  json_object_set_new(o, "actions", acts);
  json_array_append_new(out, o);
}

static void import_cue_list(imp *m, const json_t *list, const char *key, json_t *out,
                            double *next) {
  size_t mark = ha__path_key(&m->path, key);
  size_t i;
  json_t *c;
  json_array_foreach(list, i, c) {
    size_t m2 = ha__path_index(&m->path, i);
    if (json_is_object(c)) {
      import_cue(m, c, out, next);
    }
    ha__path_pop(&m->path, m2);
  }
  ha__path_pop(&m->path, mark);
}

static void import_cues(imp *m) {
  json_t *out = json_array();
  json_object_set_new(m->out, "cues", out);
  double next = 1.0;
  /* Numbers the project gives come first so generated ones avoid them. */
  const json_t *show = json_object_get(m->src, "show");
  size_t i;
  json_t *l;
  if (json_is_object(show)) {
    size_t mark = ha__path_key(&m->path, "show");
    size_t m2 = ha__path_key(&m->path, "cueLists");
    json_array_foreach(json_object_get(show, "cueLists"), i, l) {
      size_t m3 = ha__path_index(&m->path, i);
      import_cue_list(m, json_object_get(l, "cues"), "cues", out, &next);
      ha__path_pop(&m->path, m3);
    }
    ha__path_pop(&m->path, m2);
    if (json_is_array(json_object_get(show, "cues"))) {
      import_cue_list(m, json_object_get(show, "cues"), "cues", out, &next);
    }
    ha__path_pop(&m->path, mark);
  }
  if (json_is_array(json_object_get(m->src, "cues"))) {
    import_cue_list(m, json_object_get(m->src, "cues"), "cues", out, &next);
  }
}

/* ---- outputs, limits, metadata ---- */

static void import_outputs(imp *m) {
  json_t *out = json_array();
  json_object_set_new(m->out, "outputs", out);
  const json_t *src = json_object_get(m->src, "oscConnections");
  const char *coords = str(json_object_get(m->src, "coordinateSystem"), "type");
  size_t mark = ha__path_key(&m->path, "oscConnections");
  size_t i;
  json_t *c;
  json_array_foreach(src, i, c) {
    size_t m2 = ha__path_index(&m->path, i);
    const char *host = str(c, "host");
    const json_t *port = json_object_get(c, "port");
    if (host == NULL || host[0] == '\0') {
      warn(m, "not imported: no host");
      ha__path_pop(&m->path, m2);
      continue;
    }
    json_t *o = json_object();
    char name[64];
    snprintf(name, sizeof(name), "output %zu", json_array_size(out) + 1);
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "host", json_string(host));
    if (json_is_integer(port) && json_integer_value(port) >= 1 &&
        json_integer_value(port) <= 65535) {
      json_object_set_new(o, "port", json_integer(json_integer_value(port)));
    }
    if (coords != NULL && strcmp(coords, "aed") == 0) {
      json_object_set_new(o, "coords", json_string("aed"));
    }
    json_array_append_new(out, o);
    ha__path_pop(&m->path, m2);
  }
  ha__path_pop(&m->path, mark);
}

static void import_limits(imp *m) {
  const json_t *b = json_object_get(json_object_get(m->src, "coordinateSystem"), "bounds");
  if (!json_is_object(b)) {
    return;
  }
  double lo[3], hi[3];
  static const char *const ax[3] = {"x", "y", "z"};
  for (int i = 0; i < 3; i++) {
    const json_t *r = json_object_get(b, ax[i]);
    const json_t *a = json_object_get(r, "min"), *z = json_object_get(r, "max");
    if (!json_is_number(a) || !json_is_number(z) || json_number_value(a) > json_number_value(z)) {
      return; /* partial or polar bounds: no box */
    }
    lo[i] = json_number_value(a);
    hi[i] = json_number_value(z);
  }
  json_t *box = json_object();
  json_object_set_new(box, "min", json_pack("[o,o,o]", num(lo[0]), num(lo[1]), num(lo[2])));
  json_object_set_new(box, "max", json_pack("[o,o,o]", num(hi[0]), num(hi[1]), num(hi[2])));
  json_t *lim = json_object();
  json_object_set_new(lim, "box", box);
  json_object_set_new(m->out, "limits", lim);
}

static void import_meta(imp *m, const char *file) {
  const char *name = str(m->src, "name");
  json_object_set_new(m->out, "name", json_string(name ? name : ""));
  const json_t *md = json_object_get(m->src, "metadata");
  json_t *o = json_object();
  if (str(md, "author") != NULL) {
    json_object_set_new(o, "author", json_string(str(md, "author")));
  }
  if (str(md, "created") != NULL) {
    json_object_set_new(o, "created", json_string(str(md, "created")));
  }
  if (str(md, "modified") != NULL) {
    json_object_set_new(o, "modified", json_string(str(md, "modified")));
  }
  const char *version = str(md, "version");
  if (version == NULL) {
    version = str(m->src, "version");
  }
  char notes[1024];
  const char *desc = str(m->src, "description");
  snprintf(notes, sizeof(notes), "%s%sImported from %s (Holophonix Animator project%s%s).",
           desc ? desc : "", desc ? "\n" : "", file[0] ? file : "a project", version ? " v" : "",
           version ? version : "");
  json_object_set_new(o, "notes", json_string(notes));
  if (version != NULL) {
    json_object_set_new(o, "hpxVersion", json_string(version));
  }
  json_object_set_new(m->out, "metadata", o);
}

static void warn_rest(imp *m) {
  static const char *const handled[] = {
      "id",         "name",           "description",     "tracks",
      "animations", "presets",        "positionPresets", "show",
      "cues",       "oscConnections", "metadata",        "coordinateSystem",
      "version"};
  const char *key;
  json_t *v;
  json_object_foreach(m->src, key, v) {
    int known = 0;
    for (size_t i = 0; i < HA__COUNTOF(handled) && !known; i++) {
      known = strcmp(key, handled[i]) == 0;
    }
    if (known) {
      continue;
    }
    if ((json_is_array(v) && json_array_size(v) == 0) || json_is_null(v)) {
      continue; /* nothing lost */
    }
    if (strcmp(key, "groups") == 0) {
      warn_key(m, key,
               "not imported: track groups (a show's groups bind tracks to an "
               "animation; see animations[].trackIds)%s",
               "");
    } else if (strcmp(key, "timelines") == 0) {
      warn_key(m, key, "not imported: timelines%s", "");
    } else {
      warn_key(m, key, "not imported%s", "");
    }
  }
}

static ha_status import_doc(json_t *src, const char *file, ha__dctx *c, ha_show **out) {
  imp m;
  memset(&m, 0, sizeof(m));
  m.c = c;
  m.src = src;
  m.out = json_object();
  if (m.out == NULL) {
    return HA_ENOMEM;
  }
  ha__path_init(&m.path);
  ha__strmap_init(&m.track_ids);
  ha__strmap_init(&m.anim_ids);
  ha__strmap_init(&m.anim_names);
  ha__strmap_init(&m.group_of_anim);
  ha__strmap_init(&m.preset_ids);
  ha__strmap_init(&m.preset_names);
  json_object_set_new(m.out, "format", json_integer(HA_SHOW_FORMAT));
  import_meta(&m, file);
  import_tracks(&m);
  import_animations(&m);
  import_presets(&m);
  import_cues(&m);
  import_outputs(&m);
  import_limits(&m);
  warn_rest(&m);
  /* Drop empty sections so the result reads like a hand-written show. */
  static const char *const sections[] = {"groups", "presets", "cues", "outputs"};
  for (size_t i = 0; i < HA__COUNTOF(sections); i++) {
    if (json_array_size(json_object_get(m.out, sections[i])) == 0) {
      json_object_del(m.out, sections[i]);
    }
  }
  ha__path_deinit(&m.path);
  ha__strmap_deinit(&m.track_ids);
  ha__strmap_deinit(&m.anim_ids);
  ha__strmap_deinit(&m.anim_names);
  ha__strmap_deinit(&m.group_of_anim);
  ha__strmap_deinit(&m.preset_ids);
  ha__strmap_deinit(&m.preset_names);
  /* Validate the result like a loaded file; its diagnostics name the
   * generated show's fields, so they carry no .hpx position. */
  ha__dctx c2 = {c->diags, "(imported show)", NULL, 0, 0, 0};
  ha__show_model *model = NULL;
  ha_status st = ha__show_compile(m.out, &c2, &model);
  json_decref(m.out);
  c->oom |= c2.oom;
  if (st != HA_OK) {
    return st;
  }
  return ha__show_from_model(model, HA_SHOW_FORMAT, out);
}

ha_status ha_show_import_hpx_string(const char *text, size_t len, const char *name, ha_show **out,
                                    ha_diags *diags) {
  if (out == NULL || text == NULL) {
    return HA_EINVAL;
  }
  *out = NULL;
  ha__dctx c = {diags, name ? name : "", NULL, 0, 0, 0};
  json_error_t je;
  json_t *src = json_loadb(text, len, 0, &je);
  if (src == NULL) {
    ha__diag_at(&c, HA_DIAG_ERROR, je.line, je.column, "", "%s", je.text);
    return HA_EPARSE;
  }
  if (!json_is_object(src) || !json_is_array(json_object_get(src, "tracks"))) {
    json_decref(src);
    ha__diag_at(&c, HA_DIAG_ERROR, 1, 1, "",
                "not a Holophonix Animator project (no \"tracks\" list at the top level)");
    return HA_EPARSE;
  }
  ha__posmap pos;
  ha__posmap_init(&pos);
  ha_status st = ha__posmap_scan(&pos, text, len);
  c.pos = &pos;
  if (st == HA_OK) {
    st = import_doc(src, name ? name : "", &c, out);
  }
  ha__posmap_deinit(&pos);
  json_decref(src);
  if (st == HA_OK && c.oom) {
    ha_show_destroy(*out);
    *out = NULL;
    st = HA_ENOMEM;
  }
  return st;
}

ha_status ha_show_import_hpx(const char *path, ha_show **out, ha_diags *diags) {
  if (path == NULL || out == NULL) {
    return HA_EINVAL;
  }
  return ha__show_load_path(path, ha_show_import_hpx_string, out, diags);
}
