/* Import of a Holophonix Animator v2.3 animation (animations[] with
 * trackIds, transform, per-track animationState). See show_import.c for the
 * project as a whole.
 *
 * v2.3 plays (animationStore.ts) track by track: the track's own copy of
 * the animation (tracks[].animationState.animation, which holds the
 * per-track parameters of relative mode) at its time, then applyTransform:
 * relative adds transform.tracks[id].offset; formation adds
 * formation.anchor + offset (the rigid pattern turns the offset with
 * circular, circular-scan and spiral: the group's turning offset). So an
 * animation with a transform becomes one animation per track
 * with that track's parameters, its path moved by the track's offset (every
 * position parameter translated), and a single-track group each; the time
 * shift becomes the group's delay (the intended motion: see v23_group).
 *
 * Parameters: the v2.3 names special to a model (bezier's 13 fields,
 * oscillator planes and frequency, helix clockwise, ...) are converted by a
 * per-model function, the rest by the shared table (show_import_params.c).
 * The original rotates paths about their centre by THREE.Euler(rx, rz, -ry,
 * 'XYZ') in its y-up axes, which is Rx·Rz·Ry in the app's z-up axes: the
 * import keeps the angles and writes rotationOrder "XZY" (docs/models.md). */
#include "show_internal.h"

#include <math.h>
#include <string.h>

/* ---- parameters ---- */

/* {x,y,z} degrees -> [rx, ry, rz] (the original's angles as they are),
 * to be applied as Rx(rx)·Rz(rz)·Ry(ry): rotationOrder "XZY". */
static json_t *v23_rotation(const json_t *r) {
  const json_t *x = json_object_get(r, "x"), *y = json_object_get(r, "y"),
               *z = json_object_get(r, "z");
  if (!json_is_number(x) || !json_is_number(y) || !json_is_number(z)) {
    return NULL;
  }
  return json_pack("[o,o,o]", ha__hpx_num(json_number_value(x)), ha__hpx_num(json_number_value(y)),
                   ha__hpx_num(json_number_value(z)));
}

/* Take `key` out of the working copy `p`; its value (borrowed until `p` is
 * freed) or NULL. */
static const json_t *v23_take(json_t *p, json_t *taken, const char *key) {
  json_t *v = json_object_get(p, key);
  if (v != NULL) {
    json_object_set(taken, key, v);
    json_object_del(p, key);
  }
  return json_object_get(taken, key);
}

/* The offset axis of a v2.3 oscillator `plane` (applyOscillation: xy moves
 * along +y, xz and yz along +z). */
static json_t *v23_plane_axis(const json_t *plane) {
  const char *s = json_string_value(plane);
  int y = s == NULL || strcmp(s, "xy") == 0;
  return json_pack("[i,i,i]", 0, y ? 1 : 0, y ? 0 : 1);
}

typedef struct v23_ctx {
  ha__hpx *m;
  json_t *p;     /* working copy of the source parameters (taken keys removed) */
  json_t *taken; /* keys taken by the model's function */
  json_t *out;   /* the show's parameters */
  double duration;
  const json_t *anim; /* the animation (loop flags) */
} v23_ctx;

/* Take `key` and warn at it (the parameters' path) that `why`. */
static void v23_drop(v23_ctx *c, const char *key, const char *why) {
  if (v23_take(c->p, c->taken, key) != NULL) {
    ha__hpx_warn_key(c->m, key, "not imported: %s", why);
  }
}

/* The integrated models: the original steps explicit Euler per frame. */
static void v23_integrated(v23_ctx *c, const char *what) {
  ha__hpx_warn(c->m,
               "approximate: the original integrates the %s per frame (explicit Euler, dt = "
               "time since the previous frame, at most 0.1 s), so its path depends on the frame "
               "rate; holoanim computes it precisely",
               what);
  if (json_is_true(json_object_get(c->anim, "loop")) &&
      json_is_true(json_object_get(c->anim, "pingPong"))) {
    ha__hpx_warn(c->m,
                 "the original resets the %s at every frame of each backward half (its "
                 "time decreases); imported as the intended ping-pong",
                 what);
  }
}

/* pendulum: calculate() reads plane and ignores the rotation the editor
 * shows. */
static void v23_pendulum(v23_ctx *c) {
  v23_drop(c, "rotation", "the original's pendulum ignores it (it swings in `plane`)");
  v23_integrated(c, "pendulum");
}

static void v23_spring(v23_ctx *c) {
  v23_integrated(c, "spring");
}

/* random: Math.random targets, smoothed per frame; `speed` is not read. */
static void v23_random(v23_ctx *c) {
  v23_drop(c, "speed", "the original's random does not read it");
  ha__hpx_warn(c->m,
               "approximate: the original draws new Math.random targets per track and per "
               "play, smoothed per frame; holoanim's random path is seeded and repeatable");
}

/* perlin-noise: pathSegments only draws the preview. */
static void v23_perlin(v23_ctx *c) {
  v23_drop(c, "pathSegments", "it only sets the editor's path preview");
  ha__hpx_warn(c->m,
               "approximate: the original uses its own hash noise; holoanim's noise has "
               "the same parameters but another pattern");
}

/* bezier: startX..endZ -> start, control1, control2, end; easingType. */
static void v23_bezier(v23_ctx *c) {
  static const char *const pts[4] = {"start", "control1", "control2", "end"};
  static const double defs[4][3] = {{-5, 0, 0}, {-2, 5, 2}, {2, 5, -2}, {5, 0, 0}};
  for (int i = 0; i < 4; i++) {
    json_t *a = json_array();
    int any = 0;
    for (int k = 0; k < 3; k++) {
      char key[32];
      snprintf(key, sizeof(key), "%s%c", pts[i], 'X' + k);
      const json_t *v = v23_take(c->p, c->taken, key);
      any |= v != NULL;
      json_array_append_new(a, ha__hpx_num(json_is_number(v) ? json_number_value(v) : defs[i][k]));
    }
    if (any) {
      json_object_set_new(c->out, pts[i], a);
    } else {
      json_decref(a);
    }
  }
  const json_t *e = v23_take(c->p, c->taken, "easingType");
  if (e != NULL) {
    size_t mark = ha__path_key(&c->m->path, "easingType");
    if (!ha__hpx_set(c->out, "easing", ha__hpx_easing(c->m, e))) {
      ha__hpx_warn(c->m, "not imported: unknown easing");
    }
    ha__path_pop(&c->m->path, mark);
  }
}

/* oscillator-stationary: plane -> direction (+y or +z). */
static void v23_oscillator(v23_ctx *c) {
  const json_t *pl = v23_take(c->p, c->taken, "plane");
  if (pl != NULL) {
    json_object_set_new(c->out, "direction", v23_plane_axis(pl));
  }
}

/* oscillator-path: frequency in Hz of time -> cycles per duration; plane ->
 * offsetAxis (+y or +z, not perpendicular to the path). */
static void v23_zigzag(v23_ctx *c) {
  const json_t *f = v23_take(c->p, c->taken, "frequency");
  json_object_set_new(c->out, "cycles",
                      ha__hpx_num((json_is_number(f) ? json_number_value(f) : 1.0) * c->duration));
  const json_t *pl = v23_take(c->p, c->taken, "plane");
  json_object_set_new(c->out, "offsetAxis", v23_plane_axis(pl));
  if (json_is_string(pl)) {
    json_object_set_new(c->out, "plane", json_string(json_string_value(pl)));
  }
  if (json_object_get(c->p, "waveform") == NULL) {
    json_object_set_new(c->out, "waveform", json_string("sine")); /* the original's default */
  }
}

/* helix: the circle in xy whatever the axis; clockwise (default true) turns
 * +angle, which is counterclockwise seen from +z. */
static void v23_helix(v23_ctx *c) {
  const json_t *cw = v23_take(c->p, c->taken, "clockwise");
  json_object_set_new(c->out, "circlePlane", json_string("xy"));
  json_object_set_new(c->out, "direction",
                      json_string(json_is_false(cw) ? "clockwise" : "counterclockwise"));
}

/* catmull-rom: the original's uniform Hermite segments; its tension is the
 * tangent factor. */
static void v23_catmull_rom(v23_ctx *c) {
  const json_t *t = v23_take(c->p, c->taken, "tension");
  json_object_set_new(c->out, "form", json_string("hermite"));
  json_object_set_new(c->out, "tangentScale",
                      ha__hpx_num(json_is_number(t) ? json_number_value(t) : 0.5));
  const json_t *cl = v23_take(c->p, c->taken, "closed");
  json_object_set_new(c->out, "closed", json_boolean(json_is_true(cl)));
}

/* bounce: the original drops along y (written y-up), ignores center.y, and
 * rests at the apex of the first bounce lower than 0.01 m or of the 20th. */
static void v23_bounce(v23_ctx *c) {
  json_object_set_new(c->out, "upAxis", json_string("y"));
  json_object_set_new(c->out, "restApex", json_real(0.01));
  json_object_set_new(c->out, "maxBounces", json_integer(20));
  ha__hpx_warn(c->m,
               "bounce: at exactly t = 0 the original returns groundLevel (its loop does "
               "not run at time 0); imported as the intended drop from startHeight");
}

typedef struct v23_model {
  const char *type; /* the original's v2.3 model type */
  void (*fn)(v23_ctx *c);
} v23_model;

static const v23_model v23_models[] = {
    /* clang-format off */
    {"bezier", v23_bezier},
    {"oscillator-stationary", v23_oscillator},
    {"oscillator-path", v23_zigzag},
    {"helix", v23_helix},
    {"catmull-rom", v23_catmull_rom},
    {"bounce", v23_bounce},
    {"pendulum", v23_pendulum},
    {"spring", v23_spring},
    {"random", v23_random},
    {"perlin-noise", v23_perlin},
    /* clang-format on */
};

/* The parameters `src` of a v2.3 animation of `type` (model `mi`) into
 * `out`. */
static void v23_params(ha__hpx *m, const json_t *a, const ha_model_info *mi, const json_t *src,
                       double duration, json_t *out) {
  const char *type = ha__hpx_str(a, "type");
  v23_ctx c = {m, json_deep_copy(src), json_object(), out, duration, a};
  for (size_t i = 0; type != NULL && i < HA__COUNTOF(v23_models); i++) {
    if (strcmp(v23_models[i].type, type) == 0) {
      v23_models[i].fn(&c);
    }
  }
  const json_t *rot = json_object_get(c.p, "rotation");
  json_t *q = json_is_object(rot) ? v23_rotation(rot) : NULL;
  if (q != NULL) {
    json_object_del(c.p, "rotation");
  }
  ha__hpx_params(m, mi, c.p, out);
  if (q != NULL) {
    json_object_set_new(out, "rotation", q);
    json_object_set_new(out, "rotationOrder", json_string("XZY"));
  }
  json_decref(c.p);
  json_decref(c.taken);
}

/* ---- per-track copies ---- */

/* Parameters that are directions or displacements, not positions: a
 * translation of the path leaves them alone. */
static int v23_is_position(const ha_model_info *mi, const char *key) {
  const ha_param_info *pi = ha_model_param_find(mi, key);
  if (pi == NULL || (pi->type != HA_PARAM_VEC3 && pi->type != HA_PARAM_POINTS)) {
    return 0;
  }
  static const char *const not_pos = "direction|offsetAxis|initialDisplacement";
  return ha__list_index(not_pos, '|', pi->name) < 0;
}

/* Move the path of `params` (of model `mi`) by `d`. */
static void v23_translate(const ha_model_info *mi, json_t *params, ha_vec3 d) {
  const char *key;
  json_t *v;
  const char *up = ha__hpx_str(params, "upAxis");
  if (up != NULL && strcmp(up, "y") == 0) {
    /* bounce drawn y-up: its height is on y, where center.y is not read;
     * the original's applyTransform moves the ball along y all the same. */
    static const char *const heights[] = {"startHeight", "groundLevel"};
    for (size_t i = 0; i < HA__COUNTOF(heights); i++) {
      const json_t *h = json_object_get(params, heights[i]);
      const ha_param_info *pi = ha_model_param_find(mi, heights[i]);
      double now = json_is_number(h) ? json_number_value(h) : pi != NULL ? pi->def[0] : 0.0;
      json_object_set_new(params, heights[i], ha__hpx_num(now + d.y));
    }
  }
  json_object_foreach(params, key, v) {
    if (!v23_is_position(mi, key) || !json_is_array(v)) {
      continue;
    }
    json_t *list = json_is_array(json_array_get(v, 0)) ? v : NULL;
    size_t n = list ? json_array_size(list) : 1;
    for (size_t i = 0; i < n; i++) {
      json_t *p = list ? json_array_get(list, i) : v;
      double c[3] = {d.x, d.y, d.z};
      for (size_t k = 0; k < 3 && k < json_array_size(p); k++) {
        json_array_set_new(p, k, ha__hpx_num(json_number_value(json_array_get(p, k)) + c[k]));
      }
    }
  }
}

static ha_vec3 v23_xyz(const json_t *o) {
  return ha_vec3_make(json_number_value(json_object_get(o, "x")),
                      json_number_value(json_object_get(o, "y")),
                      json_number_value(json_object_get(o, "z")));
}

/* ---- animations ---- */

/* The show's animation for `a` (parameters from `psrc`), named `name`. */
static json_t *v23_anim_object(ha__hpx *m, const ha_model_info *mi, const json_t *a,
                               const json_t *psrc, const char *name) {
  double T = 0.0;
  json_t *o = ha__hpx_anim_timing(m, a, name, &T); /* as calculateAnimationTime */
  json_object_set_new(o, "model", json_string(mi->name));
  json_t *params = json_object();
  json_object_set_new(o, "parameters", params);
  if (json_is_object(psrc)) {
    size_t mark = ha__path_key(&m->path, "parameters");
    v23_params(m, a, mi, psrc, T, params);
    ha__path_pop(&m->path, mark);
  }
  const json_t *kf = json_object_get(a, "keyframes");
  if (json_is_array(kf) && json_array_size(kf) > 0) {
    size_t mark = ha__path_key(&m->path, "keyframes");
    if (strcmp(mi->name, "keyframes") == 0 && json_object_get(params, "keyframes") == NULL) {
      ha__hpx_set(params, "keyframes", ha__hpx_keyframes(m, kf));
    } else {
      ha__hpx_warn(m, "not imported: only custom animations use keyframes");
    }
    ha__path_pop(&m->path, mark);
  }
  ha__hpx_settle_params(m, mi->name, o, "parameters");
  if (json_object_get(a, "multiTrackParameters") != NULL) {
    ha__hpx_warn_key(m, "multiTrackParameters", "not imported: per-track parameters");
  }
  ha__hpx_warn_coords(m, a);
  return o;
}

/* Register animation `o` (named) and its single group on `tracks` (the
 * group, borrowed, or NULL without tracks). */
static json_t *v23_add(ha__hpx *m, const json_t *a, json_t *o, json_t *tracks, double delay,
                       ha__hpx_anims *out) {
  const char *name = json_string_value(json_object_get(o, "name"));
  size_t index = json_array_size(out->anims);
  json_array_append_new(out->anims, o);
  const char *id = ha__hpx_str(a, "id");
  if (id != NULL && ha__strmap_get(&m->anim_ids, id) == NULL) {
    ha__strmap_slot *s = ha__strmap_put(&m->anim_ids, id);
    if (s != NULL) {
      s->value = index;
    }
  }
  if (tracks == NULL) {
    return NULL;
  }
  json_t *g = ha__hpx_group(name, tracks, delay);
  if (id != NULL && ha__strmap_get(&m->group_of_anim, id) == NULL) {
    ha__strmap_slot *s = ha__strmap_put(&m->group_of_anim, id);
    if (s != NULL) {
      s->value = json_array_size(out->groups);
    }
  }
  ha__strmap_slot *n = id != NULL ? ha__strmap_put(&m->groups_of_anim, id) : NULL;
  if (n != NULL) {
    n->value++; /* consecutive groups of this animation (one per track) */
  }
  json_array_append_new(out->groups, g);
  return g;
}

/* The track's own copy of animation `a` (animationState.animation with the
 * same id, or the editor's per-track id), else `a`. */
static const json_t *v23_track_anim(ha__hpx *m, const json_t *tid, const json_t *a,
                                    size_t anim_index, size_t *track_index) {
  const json_t *tracks = json_object_get(m->src, "tracks");
  size_t i;
  const json_t *t;
  json_array_foreach(tracks, i, t) {
    if (json_equal(json_object_get(t, "id"), (json_t *)(uintptr_t)tid)) {
      const json_t *ta = json_object_get(json_object_get(t, "animationState"), "animation");
      const char *id = ha__hpx_str(a, "id");
      const char *tid2 = ha__hpx_str(ta, "id");
      size_t n = id != NULL ? strlen(id) : 0;
      /* The editor saves relative mode's copies as "<id>-track-<track id>". */
      if (json_is_object(ta) && id != NULL && tid2 != NULL && strncmp(tid2, id, n) == 0 &&
          (tid2[n] == '\0' || strncmp(tid2 + n, "-track-", 7) == 0)) {
        const char *type = ha__hpx_str(a, "type"), *type2 = ha__hpx_str(ta, "type");
        if (type2 == NULL || strcmp(type, type2) != 0) {
          /* Not a copy the editor saved: the animation's own definition. */
          ha__hpx_path_track_anim(m, i);
          ha__hpx_warn_key(m, "type",
                           "not imported: this track's copy of the animation is not a %s; the "
                           "track plays the animation's own parameters",
                           type);
          ha__hpx_path_anim(m, anim_index);
          return a;
        }
        *track_index = i;
        return ta;
      }
    }
  }
  return a;
}

/* The angle (degrees at τ = 0, turns per duration) by which a rigid
 * formation turns its offsets about +z: the model's calculateRotationAngle
 * (circular, circular-scan, spiral); 0 for the others (fixed offsets). The
 * original's `||` defaults: a 0 is its default. */
static int v23_offset_turn(const char *type, const json_t *p, double *angle, double *turns) {
  double sa = json_number_value(json_object_get(p, "startAngle"));
  if (strcmp(type, "circular") == 0) {
    double sp = json_number_value(json_object_get(p, "speed"));
    const char *dir = ha__hpx_str(p, "direction");
    int cw = dir == NULL || strcmp(dir, "clockwise") == 0;
    *angle = sa;
    *turns = (fabs(sp) > 0.0 ? sp : 1.0) * (cw ? -1.0 : 1.0);
    return 1;
  }
  if (strcmp(type, "circular-scan") == 0) {
    *angle = sa;
    *turns = 1.0; /* whatever sweepCount says */
    return 1;
  }
  if (strcmp(type, "spiral") == 0) {
    double r = json_number_value(json_object_get(p, "rotations"));
    *angle = 0.0;
    *turns = fabs(r) > 0.0 ? r : 3.0;
    return 1;
  }
  return 0;
}

/* One animation + group per track of the transform. */
static void v23_per_track(ha__hpx *m, const ha_model_info *mi, const json_t *a, size_t anim_index,
                          const char *name, const json_t *ids, ha__hpx_anims *out) {
  const json_t *tf = json_object_get(a, "transform");
  const char *mode = ha__hpx_str(tf, "mode");
  const json_t *form = json_object_get(tf, "formation");
  int formation = mode != NULL && strcmp(mode, "formation") == 0;
  ha_vec3 anchor = formation ? v23_xyz(json_object_get(form, "anchor")) : ha_vec3_zero();
  const char *pattern = ha__hpx_str(form, "pattern");
  int rigid = formation && (pattern == NULL || strcmp(pattern, "rigid") == 0);
  size_t mark = ha__path_key(&m->path, "transform");
  if (mode != NULL && !formation && strcmp(mode, "relative") != 0 &&
      strcmp(mode, "absolute") != 0) {
    ha__hpx_warn_key(m, "mode", "not imported: unknown transform mode '%s'", mode);
  }
  ha__path_pop(&m->path, mark);
  size_t i;
  const json_t *tid;
  json_array_foreach(ids, i, tid) {
    long long idx = ha__hpx_track_index(m, tid);
    if (idx == 0) {
      continue; /* warned by ha__hpx_map_tracks */
    }
    const json_t *tt = json_object_get(json_object_get(tf, "tracks"), json_string_value(tid));
    ha_vec3 off = json_is_object(tt) ? v23_xyz(json_object_get(tt, "offset")) : ha_vec3_zero();
    const json_t *ts = json_object_get(tt, "timeShift");
    double shift = json_is_number(ts) ? json_number_value(ts) : 0.0;
    size_t tk = 0;
    const json_t *ta = v23_track_anim(m, tid, a, anim_index, &tk);
    char want[200], nbuf[220];
    snprintf(want, sizeof(want), "%s (track %lld)", name, idx);
    const char *aname =
        ha__hpx_unique_name(m, &m->anim_names, want, nbuf, sizeof(nbuf), "Animation", i, "name");
    /* The track's copy is read at its own path (its warnings point there);
     * the animation is at animations[anim_index] from the root. */
    if (ta != a) {
      ha__hpx_path_track_anim(m, tk);
    }
    json_t *o = v23_anim_object(m, mi, ta, json_object_get(ta, "parameters"), aname);
    if (ta != a) {
      ha__hpx_path_anim(m, anim_index);
    }
    ha_vec3 d =
        /* applyTransform: no entry for the track, or absolute: no offset. */
        mode == NULL || strcmp(mode, "absolute") == 0 || !json_is_object(tt)
            ? ha_vec3_zero()
            : ha_vec3_add(anchor, off);
    double angle = 0.0, turns = 0.0;
    const char *type = ha__hpx_str(ta, "type");
    if (rigid && type != NULL && ha_vec3_dot(off, off) > 0.0 &&
        v23_offset_turn(type, json_object_get(ta, "parameters"), &angle, &turns)) {
      d = anchor; /* the offset turns: the animation's offset, offsetTurn */
    } else {
      off = ha_vec3_zero();
    }
    v23_translate(mi, json_object_get(o, "parameters"), d);
    if (shift > 0.0) {
      size_t m2 = ha__path_key(&m->path, "transform");
      ha__path_key(&m->path, "tracks");
      ha__path_key(&m->path, json_string_value(tid));
      ha__hpx_warn_key(m, "timeShift",
                       "the original takes this time shift off the already looped time (the "
                       "track waits at its start in every cycle and skips the cycle's end); "
                       "imported as the intended delay: the track plays %g s later",
                       shift);
      ha__path_pop(&m->path, m2);
    }
    if (ha_vec3_dot(off, off) > 0.0) {
      /* turned about +z by angle + 360·turns·τ/T degrees */
      ha__hpx_set_offset(json_object_get(o, "parameters"), off, ha_vec3_make(0, 0, 1), angle,
                         360.0 * turns);
    }
    v23_add(m, a, o, json_pack("[I]", (json_int_t)idx), shift, out);
  }
}

/* What the import does not take from animation `a`, warned at its path. */
static void v23_warn_rest(ha__hpx *m, const json_t *a) {
  ha__hpx_warn_keys(
      m, a, NULL,
      "id|name|type|duration|loop|pingPong|parameters|keyframes|coordinateSystem|"
      "transform|trackIds|trackSelectionLocked|multiTrackMode|phaseOffsetSeconds|"
      "centerPoint|customCenter|barycentricVariant|multiTrackParameters|fadeIn|fadeOut",
      "unknown animation field");
  static const char *const fades[2] = {"fadeIn", "fadeOut"};
  for (int k = 0; k < 2; k++) {
    const json_t *f = json_object_get(a, fades[k]);
    if (json_is_true(json_object_get(f, "enabled"))) {
      ha__hpx_warn_key(m, fades[k],
                       "not imported: the original eases the tracks %s the animation, as a "
                       "separate move (a show's %s crossfades onto the running path)",
                       k == 0 ? "to its start before" : "home after", fades[k]);
    }
  }
  if (json_is_true(json_object_get(a, "trackSelectionLocked"))) {
    ha__hpx_warn_key(m, "trackSelectionLocked", "not imported: the cue editor's track lock");
  }
  const json_t *tf = json_object_get(a, "transform");
  if (json_is_object(tf)) {
    ha__hpx_warn_keys(m, tf, "transform", "mode|tracks|formation", "unknown transform field");
    size_t mark = ha__path_key(&m->path, "transform");
    const json_t *form = json_object_get(tf, "formation");
    if (json_is_object(form)) {
      ha__hpx_warn_keys(m, form, "formation", "anchor|pattern", "unknown formation field");
    }
    const char *pat = ha__hpx_str(form, "pattern");
    if (pat != NULL && strcmp(pat, "rigid") != 0 && strcmp(pat, "spherical") != 0) {
      size_t m2 = ha__path_key(&m->path, "formation");
      ha__hpx_warn_key(m, "pattern", "unknown pattern '%s': imported as rigid", pat);
      ha__path_pop(&m->path, m2);
    }
    const json_t *trs = json_object_get(tf, "tracks");
    size_t m2 = ha__path_key(&m->path, "tracks");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)(uintptr_t)trs, k, v) {
      ha__hpx_warn_keys(m, v, k, "offset|timeShift", "unknown track transform field");
      int listed = 0;
      size_t j;
      const json_t *id;
      json_array_foreach(json_object_get(a, "trackIds"), j, id) {
        listed |= json_is_string(id) && strcmp(json_string_value(id), k) == 0;
      }
      if (!listed) {
        ha__hpx_warn_key(m, k, "not imported: the track is not in trackIds (not played)");
      }
    }
    ha__path_pop(&m->path, m2);
    ha__path_pop(&m->path, mark);
  }
}

void ha__hpx_v23_animation(ha__hpx *m, const json_t *a, size_t i, ha__hpx_anims *out) {
  const char *type = ha__hpx_str(a, "type");
  const ha_model_info *mi = type ? ha_model_find(type) : NULL;
  if (mi == NULL) {
    ha__hpx_warn_key(m, "type", "not imported: no model for animation type '%s'",
                     type ? type : "(missing)");
    return;
  }
  v23_warn_rest(m, a);
  char nbuf[160];
  const json_t *ids = json_object_get(a, "trackIds");
  const json_t *tf = json_object_get(a, "transform");
  if (json_is_array(ids) && json_array_size(ids) > 0 && json_is_object(tf)) {
    json_t *tr = ha__hpx_map_tracks(m, ids, "trackIds"); /* warns unknown ids */
    json_decref(tr);
    const char *n = ha__hpx_str(a, "name");
    v23_per_track(m, mi, a, i, n && n[0] ? n : "Animation", ids, out);
    return;
  }
  const char *name = ha__hpx_unique_name(m, &m->anim_names, ha__hpx_str(a, "name"), nbuf,
                                         sizeof(nbuf), "Animation", i, "name");
  json_t *o = v23_anim_object(m, mi, a, json_object_get(a, "parameters"), name);
  json_t *tr = NULL;
  if (json_is_array(ids) && json_array_size(ids) > 0) {
    tr = ha__hpx_map_tracks(m, ids, "trackIds");
    if (json_array_size(tr) == 0) {
      json_decref(tr);
      tr = NULL;
    }
  }
  json_t *g = v23_add(m, a, o, tr, 0.0, out);
  if (g != NULL) {
    ha__hpx_mode(m, a, g); /* the older multiTrackMode fields */
  }
}
