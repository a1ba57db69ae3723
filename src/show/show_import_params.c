/* Import of a Holophonix Animator animation's parameters (see
 * show_import.c for the project as a whole).
 *
 * Parameter names go through a table of v2.0/v2.3 names that the registry
 * does not know (helixRadius -> radius, zigzagCount -> cycles, bounds ->
 * boundsX/Y/Z, ...), then through the registry's own names and aliases;
 * {x,y,z} objects become [x, y, z] arrays; v2.0's phaseOffset in radians
 * becomes phase in degrees. A parameter the engine still refuses (out of its
 * range) is left out so the model's default applies (settle). Everything
 * left out is a warning naming the field of the .hpx, at its line and
 * column. Rejected: extending the registry's aliases with these names —
 * they belong to one old file format, not to the engine's vocabulary.
 *
 * At the end, what the v2.3 and v2.0 importers (show_import_v23.c,
 * show_import_v20*.c) share: vectors and quaternions as JSON, a formation
 * member's turning offset, the one-animation group, the path of a track's
 * own copy, an animation's timing and the unknown-key warnings. */
#include "show_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static json_t *hpx_auto_value(const json_t *v) {
  json_t *a = ha__json_xyz(v, HA__HPX_XYZ);
  if (a != NULL) {
    return a;
  }
  if (json_is_array(v) && json_array_size(v) > 0 && json_is_object(json_array_get(v, 0))) {
    json_t *pts = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
      json_t *p = ha__json_xyz(e, HA__HPX_XYZ);
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

json_t *ha__hpx_easing(ha__hpx *m, const json_t *v) {
  const char *s = json_string_value(v);
  ha_easing e;
  if (s != NULL && ha_easing_parse(s, &e, "easing", NULL) == HA_OK) {
    return json_string(ha_easing_name(e));
  }
  if (s != NULL && strcmp(s, "cubic-bezier") == 0) {
    ha__hpx_warn(m, "cubic-bezier easing imported as cubic-in-out");
    return json_string("cubic-in-out");
  }
  return NULL;
}

/* Keyframes of a custom animation: [{time, position {x,y,z}, interpolation}]. */
json_t *ha__hpx_keyframes(ha__hpx *m, const json_t *v) {
  if (!json_is_array(v)) {
    return NULL;
  }
  json_t *out = json_array();
  size_t i;
  json_t *k;
  json_array_foreach(v, i, k) {
    size_t mark = ha__path_index(&m->path, i);
    json_t *pos = ha__json_xyz(json_object_get(k, "position"), HA__HPX_XYZ);
    const json_t *t = json_object_get(k, "time");
    if (pos == NULL || !json_is_number(t)) {
      ha__hpx_warn(m, "not imported: a keyframe needs time and position {x, y, z}");
      json_decref(pos);
      ha__path_pop(&m->path, mark);
      continue;
    }
    json_t *o = json_object();
    json_object_set_new(o, "time", ha__hpx_num(json_number_value(t)));
    json_object_set_new(o, "position", pos);
    const json_t *interp = json_object_get(k, "interpolation");
    if (interp != NULL) {
      size_t m2 = ha__path_key(&m->path, "interpolation");
      if (!ha__hpx_set(o, "easing", ha__hpx_easing(m, interp))) {
        ha__hpx_warn(m, "not imported: unknown interpolation");
      }
      ha__path_pop(&m->path, m2);
    }
    if (json_object_get(k, "easing") != NULL) {
      ha__hpx_warn_key(m, "easing", "not imported: bezier easing handles have no equivalent");
    }
    json_array_append_new(out, o);
    ha__path_pop(&m->path, mark);
  }
  return out;
}

static const pmap *hpx_find_map(const char *model, const char *key) {
  for (size_t i = 0; i < HA__COUNTOF(param_map); i++) {
    if ((param_map[i].model == NULL || strcmp(param_map[i].model, model) == 0) &&
        strcmp(param_map[i].from, key) == 0) {
      return &param_map[i];
    }
  }
  return NULL;
}

void ha__hpx_params(ha__hpx *m, const ha_model_info *mi, const json_t *src, json_t *out) {
  const char *key;
  json_t *v;
  json_t *center = NULL;
  json_object_foreach((json_t *)(uintptr_t)src, key, v) {
    if (key[0] == '_') {
      continue; /* run-time internals of the original (multi-track offsets) */
    }
    size_t mark = ha__path_key(&m->path, key);
    const pmap *pm = hpx_find_map(mi->name, key);
    const char *to = pm ? pm->to : NULL;
    int cv = pm ? pm->cv : CV_AUTO;
    if (pm == NULL) {
      const ha_param_info *pi = ha_model_param_find(mi, key);
      to = pi ? pi->name : NULL;
      if (pi != NULL && pi->type == HA_PARAM_EASING) {
        cv = CV_EASING;
      }
      if (pi != NULL && pi->type == HA_PARAM_KEYFRAMES) {
        ha__hpx_set(out, pi->name, ha__hpx_keyframes(m, v));
        ha__path_pop(&m->path, mark);
        continue;
      }
    }
    json_t *val = NULL;
    if (cv == CV_DROP || (to == NULL && cv != CV_BOUNDS)) {
      ha__hpx_warn(m, "not imported: %s has no such parameter", mi->name);
    } else if (cv == CV_AUTO) {
      val = hpx_auto_value(v);
    } else if (cv == CV_RAD2DEG && json_is_number(v)) {
      val = ha__hpx_num(json_number_value(v) * 180.0 / HA_PI);
    } else if (cv == CV_BOUNDS) {
      static const char *const axes[3] = {"boundsX", "boundsY", "boundsZ"};
      static const char *const k3[3] = {"x", "y", "z"};
      for (int i = 0; i < 3; i++) {
        const json_t *c = json_object_get(v, k3[i]);
        if (json_is_number(c)) {
          json_object_set_new(out, axes[i], ha__hpx_num(json_number_value(c)));
        }
      }
      ha__path_pop(&m->path, mark);
      continue;
    } else if (cv == CV_CENTER_AXIS && json_is_number(v)) {
      if (center == NULL) {
        center = json_pack("[i,i,i]", 0, 0, 0);
      }
      json_array_set_new(center, (size_t)(key[6] - 'X'), ha__hpx_num(json_number_value(v)));
      ha__path_pop(&m->path, mark);
      continue;
    } else if (cv == CV_ROTATION) {
      val = json_is_number(v) ? json_pack("[i,i,o]", 0, 0, ha__hpx_num(json_number_value(v)))
                              : ha__json_xyz(v, HA__HPX_XYZ);
    } else if (cv == CV_EASING) {
      val = ha__hpx_easing(m, v);
    } else if (cv == CV_SPIRAL_DIR) {
      const char *d = json_string_value(v);
      if (d != NULL && (strcmp(d, "outward") == 0 || strcmp(d, "inward") == 0)) {
        json_object_set_new(out, "direction", json_string(d));
      } else if (d != NULL && strcmp(d, "clockwise") == 0) {
        /* The spiral turns counterclockwise for positive rotations. */
        const json_t *r = json_object_get(src, "rotations");
        double turns = json_is_number(r) ? json_number_value(r) : 3.0;
        json_object_set_new(out, "rotations", ha__hpx_num(-fabs(turns)));
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
      ha__hpx_warn(m, "not imported: the value has no equivalent");
    }
    ha__path_pop(&m->path, mark);
  }
  if (center != NULL) {
    json_object_set_new(out, "center", center);
  }
}

/* Drop parameters the engine refuses, one at a time, with a warning each. */
void ha__hpx_settle_params(ha__hpx *m, const char *model, json_t *anim,
                           const char *src_params_key) {
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
          if (ha__hpx_str(e, "easing") != NULL) {
            ha_easing_parse(ha__hpx_str(e, "easing"), &ks[i].easing, "easing", NULL);
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
    ha__hpx_warn(m, "%s; left out, the default is used", err.reason);
    ha__path_pop(&m->path, m2);
    ha__path_pop(&m->path, mark);
    json_object_del(params, victim);
  }
}

json_t *ha__hpx_vec(ha_vec3 v) {
  return json_pack("[o,o,o]", ha__hpx_num(v.x), ha__hpx_num(v.y), ha__hpx_num(v.z));
}

json_t *ha__hpx_quat(ha_quat q) {
  return json_pack("[o,o,o,o]", ha__hpx_num(q.w), ha__hpx_num(q.x), ha__hpx_num(q.y),
                   ha__hpx_num(q.z));
}

void ha__hpx_set_offset(json_t *params, ha_vec3 off, ha_vec3 axis, double from, double by) {
  ha_mat3 r = ha_mat3_axis_angle(axis, ha_deg2rad(from));
  json_object_set_new(params, "offset", ha__hpx_vec(ha_mat3_apply(&r, off)));
  if (fabs(by) > 0.0) {
    json_object_set_new(params, "offsetTurn", ha__hpx_vec(ha_vec3_scale(axis, by)));
  }
}

json_t *ha__hpx_group(const char *name, json_t *tracks, double delay) {
  json_t *g = json_object();
  json_object_set_new(g, "name", json_string(name));
  json_object_set_new(g, "animation", json_string(name));
  json_object_set_new(g, "tracks", tracks);
  if (delay > 0.0) {
    json_object_set_new(g, "delay", ha__hpx_num(delay));
  }
  return g;
}

void ha__hpx_path_track_anim(ha__hpx *m, size_t j) {
  ha__path_pop(&m->path, 0);
  ha__path_key(&m->path, "tracks");
  ha__path_index(&m->path, j);
  ha__path_key(&m->path, "animationState");
  ha__path_key(&m->path, "animation");
}

void ha__hpx_path_anim(ha__hpx *m, size_t i) {
  ha__path_pop(&m->path, 0);
  ha__path_key(&m->path, "animations");
  ha__path_index(&m->path, i);
}

void ha__hpx_warn_coords(ha__hpx *m, const json_t *a) {
  const char *cs = ha__hpx_str(json_object_get(a, "coordinateSystem"), "type");
  if (cs != NULL && strcmp(cs, "xyz") != 0) {
    ha__hpx_warn_key(m, "coordinateSystem", "not imported: animations are computed in xyz");
  }
}

json_t *ha__hpx_anim_timing(ha__hpx *m, const json_t *a, const char *name, double *T) {
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(name));
  const json_t *d = json_object_get(a, "duration");
  *T = json_is_number(d) && json_number_value(d) > 0 ? json_number_value(d) : 10.0;
  json_object_set_new(o, "duration", ha__hpx_num(*T));
  int loop = json_is_true(json_object_get(a, "loop"));
  int pp = json_is_true(json_object_get(a, "pingPong"));
  json_object_set_new(o, "loop", json_string(loop && pp ? "pingpong" : loop ? "loop" : "once"));
  /* The original restarts every model at the wrap (docs/models.md "Loops and
   * seams"): imported shows keep that. */
  json_object_set_new(o, "seam", json_string("cut"));
  if (pp && !loop) {
    ha__hpx_warn_key(m, "pingPong", "ignored, as the original does: loop is false (played once)");
  }
  return o;
}

void ha__hpx_warn_keys(ha__hpx *m, const json_t *o, const char *key, const char *known,
                       const char *why) {
  size_t mark = key != NULL ? ha__path_key(&m->path, key) : 0;
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)(uintptr_t)o, k, v) {
    if (ha__list_index(known, '|', k) < 0) {
      ha__hpx_warn_key(m, k, "not imported: %s", why);
    }
  }
  if (key != NULL) {
    ha__path_pop(&m->path, mark);
  }
}
