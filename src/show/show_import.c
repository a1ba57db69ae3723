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
 * wave, custom, oscillator-stationary, oscillator-path); parameters are
 * mapped by show_import_params.c. Everything left out is a warning naming
 * the field of the .hpx, at its line and column; nothing is dropped
 * silently except run-time state (animationState, isSelected, internal "_"
 * keys). This file walks the project: metadata, tracks, animations,
 * presets, cues, connections and bounds, in that order, so ids are known
 * before cues refer to them. An animation locked to tracks (trackIds) becomes a group of the same
 * name; a cue playing it on those tracks starts that group. */
#include "show_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Integers stay integers, so imported files read naturally. */
json_t *ha__hpx_num(double v) {
  if (fabs(v) < 1e15 && ha__feq(v, floor(v))) {
    return json_integer((json_int_t)v);
  }
  return json_real(v);
}

int ha__hpx_set(json_t *obj, const char *key, json_t *v) {
  if (v == NULL) {
    return 0;
  }
  json_object_set_new(obj, key, v);
  return 1;
}

/* Set `key` of `obj` to a copy of the string `s` when there is one. */
static void hpx_set_string(json_t *obj, const char *key, const char *s) {
  ha__hpx_set(obj, key, s != NULL ? json_string(s) : NULL);
}

const char *ha__hpx_str(const json_t *o, const char *key) {
  return json_string_value(json_object_get(o, key));
}

/* One import step for an object element of a project list. */
typedef void (*hpx_element_fn)(ha__hpx *m, const json_t *e, size_t i, void *ctx);

/* Call `each` on every object element of `list` (anything but a list has
 * none), found at `key` below the current path, under its path key[i]. */
static void hpx_each(ha__hpx *m, const json_t *list, const char *key, hpx_element_fn each,
                     void *ctx) {
  size_t mark = ha__path_key(&m->path, key);
  for (size_t i = 0; i < json_array_size(list); i++) {
    const json_t *e = json_array_get(list, i);
    size_t m2 = ha__path_index(&m->path, i);
    if (json_is_object(e)) {
      each(m, e, i, ctx);
    }
    ha__path_pop(&m->path, m2);
  }
  ha__path_pop(&m->path, mark);
}

/* ---- tracks ---- */

static void import_color(ha__hpx *m, const json_t *c, json_t *t) {
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
  ha__hpx_warn_key(m, "color", "not imported: not a colour");
}

/* The Holophonix index of the project track `t`: its holophonixIndex when
 * usable (1..999999, not taken yet), else the next one above every index
 * the project gives (warned). */
static long long hpx_track_number(ha__hpx *m, const json_t *t, ha__strmap *used,
                                  long long *maxidx) {
  const json_t *hi = json_object_get(t, "holophonixIndex");
  long long idx = json_is_integer(hi) ? json_integer_value(hi) : 0;
  char k[32];
  snprintf(k, sizeof(k), "%lld", idx);
  if (idx < 1 || idx > 999999 || ha__strmap_get(used, k) != NULL) {
    idx = ++*maxidx;
    size_t mark = ha__path_key(&m->path, "holophonixIndex");
    if (hi == NULL) {
      ha__hpx_warn(m, "missing; track numbered %lld", idx);
    } else {
      ha__hpx_warn(m, "not usable (missing, out of range or a duplicate); track numbered %lld",
                   idx);
    }
    ha__path_pop(&m->path, mark);
    snprintf(k, sizeof(k), "%lld", idx);
  }
  ha__strmap_put(used, k);
  return idx;
}

/* The show's track for the project track `t`, numbered `idx`. */
static json_t *import_track(ha__hpx *m, const json_t *t, long long idx) {
  json_t *o = json_object();
  json_object_set_new(o, "id", json_integer(idx));
  hpx_set_string(o, "name", ha__hpx_str(t, "name"));
  if (json_object_get(t, "color") != NULL) {
    import_color(m, json_object_get(t, "color"), o);
  }
  /* The rest position: initialPosition when the project was saved
   * mid-animation, else position. */
  const json_t *pos = json_object_get(t, "initialPosition");
  json_t *p = pos ? ha__json_xyz(pos, HA__HPX_XYZ) : NULL;
  if (p == NULL) {
    pos = json_object_get(t, "position");
    p = pos ? ha__json_xyz(pos, HA__HPX_XYZ) : NULL;
  }
  if (!ha__hpx_set(o, "position", p) && json_object_get(t, "position") != NULL) {
    ha__hpx_warn_key(m, "position", "not imported: not a position {x, y, z}");
  }
  const json_t *vol = json_object_get(t, "volume");
  if (json_is_number(vol) && !ha__feq(json_number_value(vol), 1.0)) {
    double v = json_number_value(vol);
    double db = v > 0.0 ? 20.0 * log10(v) : -60.0;
    db = db < -60.0 ? -60.0 : (db > 12.0 ? 12.0 : db);
    json_object_set_new(o, "gain", ha__hpx_num(round(db * 100.0) / 100.0));
  }
  if (json_is_true(json_object_get(t, "isMuted"))) {
    ha__hpx_warn_key(m, "isMuted", "not imported: shows have no mute");
  }
  if (json_is_true(json_object_get(t, "isSolo"))) {
    ha__hpx_warn_key(m, "isSolo", "not imported: shows have no solo");
  }
  static const char *const known =
      "id|name|holophonixIndex|color|position|initialPosition|"
      "volume|isMuted|isSolo|isSelected|animationState|type|groupId";
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)(uintptr_t)t, key, v) {
    if (ha__list_index(known, '|', key) < 0) {
      ha__hpx_warn_key(m, key, "not imported");
    }
  }
  return o;
}

static void import_tracks(ha__hpx *m) {
  const json_t *tracks = json_object_get(m->src, "tracks");
  json_t *out = json_array();
  json_object_set_new(m->out, "tracks", out);
  if (tracks == NULL) {
    return;
  }
  size_t mark = ha__path_key(&m->path, "tracks");
  if (!json_is_array(tracks)) {
    ha__hpx_warn(m, "not imported: not a list");
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
      ha__hpx_warn(m, "not imported: not a track object");
    } else {
      long long idx = hpx_track_number(m, t, &used, &maxidx);
      const char *sid = ha__hpx_str(t, "id");
      ha__strmap_slot *s = sid != NULL ? ha__strmap_put(&m->track_ids, sid) : NULL;
      if (s != NULL) {
        s->value = (size_t)idx;
      }
      json_array_append_new(out, import_track(m, t, idx));
    }
    ha__path_pop(&m->path, m2);
  }
  ha__strmap_deinit(&used);
  ha__path_pop(&m->path, mark);
}

/* Holophonix index of a project track id (string), or 0. */
long long ha__hpx_track_index(const ha__hpx *m, const json_t *id) {
  if (json_is_string(id)) {
    const ha__strmap_slot *s = ha__strmap_get(&m->track_ids, json_string_value(id));
    return s ? (long long)s->value : 0;
  }
  return 0;
}

/* Map a list of project track ids; unknown ones are warned about. */
json_t *ha__hpx_map_tracks(ha__hpx *m, const json_t *ids, const char *key) {
  json_t *out = json_array();
  ha__strmap seen; /* the indices in out */
  ha__strmap_init(&seen);
  size_t mark = ha__path_key(&m->path, key);
  size_t i;
  json_t *v;
  json_array_foreach(ids, i, v) {
    long long idx = ha__hpx_track_index(m, v);
    if (idx == 0) {
      size_t m2 = ha__path_index(&m->path, i);
      ha__hpx_warn(m, "not imported: no track with this id in the project");
      ha__path_pop(&m->path, m2);
      continue;
    }
    char k[24];
    snprintf(k, sizeof(k), "%lld", idx);
    HA__PROBE(m->c, 1);
    if (ha__strmap_get(&seen, k) == NULL) {
      if (ha__strmap_put(&seen, k) == NULL) {
        m->c->oom = 1;
      }
      json_array_append_new(out, json_integer(idx));
    }
  }
  ha__strmap_deinit(&seen);
  ha__path_pop(&m->path, mark);
  return out;
}

/* ---- animations and their groups ---- */

/* A unique name: the project's, else "<fallback> N"; a clash gets " (2)",
 * " (3)", ... and a warning at `key` of the current path. */
const char *ha__hpx_unique_name(ha__hpx *m, ha__strmap *names, const char *want, char *buf,
                                size_t cap, const char *fallback, size_t n, const char *key) {
  if (want == NULL || want[0] == '\0') {
    snprintf(buf, cap, "%s %zu", fallback, n + 1);
  } else {
    snprintf(buf, cap, "%s", want);
  }
  int renamed = 0;
  if (HA__PROBE(m->c, 1), ha__strmap_get(names, buf) != NULL) {
    /* Names are never taken back, so the probing for this base resumes
     * where the last clash on it stopped: each suffix is tried once. */
    const char *base = want && want[0] ? want : fallback;
    char nkey[300];
    snprintf(nkey, sizeof(nkey), "%p\x1f%s", (void *)names, base);
    ha__strmap_slot *next = ha__strmap_put(&m->name_next, nkey);
    size_t k = next != NULL && next->value >= 2 ? next->value : 2;
    for (;; k++) {
      /* a long base is cut to leave the suffix room (cut, every candidate
       * would be the same text, and the probing would never end) */
      int room = (int)cap - 1 - snprintf(NULL, 0, " (%zu)", k);
      int keep = (int)strlen(base) < room ? (int)strlen(base) : room > 0 ? room : 0;
      snprintf(buf, cap, "%.*s (%zu)", keep, base, k);
      if (HA__PROBE(m->c, 1), ha__strmap_get(names, buf) == NULL) {
        break;
      }
    }
    if (next != NULL) {
      next->value = k + 1;
    }
    renamed = 1;
  }
  if (renamed) {
    ha__hpx_warn_key(m, key, "renamed \"%s\" (names must be unique)", buf);
  }
  ha__strmap_put(names, buf);
  return buf;
}

/* mode string and phase into a group/start object. */
void ha__hpx_mode(ha__hpx *m, const json_t *a, json_t *g) {
  const char *mode = ha__hpx_str(a, "multiTrackMode");
  if (mode == NULL) {
    return;
  }
  ha_group_mode gm;
  const char *name = NULL;
  if (ha_group_mode_parse(mode, &gm, NULL) == HA_OK) {
    name = ha_group_mode_name(gm);
  } else if (strcmp(mode, "barycentric") == 0 || strcmp(mode, "formation") == 0) {
    const char *var = ha__hpx_str(a, "barycentricVariant");
    name = var != NULL && ha_group_mode_parse(var, &gm, NULL) == HA_OK ? ha_group_mode_name(gm)
                                                                       : "isobarycentric";
  } else {
    ha__hpx_warn_key(m, "multiTrackMode", "not imported: unknown mode '%s'; shared is used", mode);
  }
  if (name != NULL && strcmp(name, "shared") != 0) {
    json_object_set_new(g, "mode", json_string(name));
  }
  if (strstr(mode, "phase-offset") != NULL) {
    const json_t *ph = json_object_get(a, "phaseOffsetSeconds");
    if (json_is_number(ph)) {
      json_object_set_new(g, "phaseOffset", ha__hpx_num(json_number_value(ph)));
    }
  }
  const json_t *cp = json_object_get(a, "centerPoint");
  if (cp == NULL) {
    cp = json_object_get(a, "customCenter");
  }
  json_t *c = cp ? ha__json_xyz(cp, HA__HPX_XYZ) : NULL;
  if (c != NULL && name != NULL && strcmp(name, "centered") == 0) {
    json_object_set_new(g, "centerPoint", c);
  } else {
    json_decref(c);
  }
}

/* One animation of the project, by the version that saved it. */
static void import_animation(ha__hpx *m, const json_t *a, size_t i, void *ctx) {
  if (m->v20) {
    ha__hpx_v20_animation(m, a, i, ctx);
  } else {
    ha__hpx_v23_animation(m, a, i, ctx);
  }
}

static void import_animations(ha__hpx *m) {
  ha__hpx_anims o = {json_array(), json_array()};
  json_object_set_new(m->out, "animations", o.anims);
  json_object_set_new(m->out, "groups", o.groups);
  const json_t *src = json_object_get(m->src, "animations");
  if (src != NULL) {
    hpx_each(m, src, "animations", import_animation, &o);
  }
}

/* ---- presets ---- */

static void import_preset(ha__hpx *m, const json_t *p, size_t i, void *ctx) {
  json_t *out = ctx;
  const json_t *pos = json_object_get(p, "positions");
  if (!json_is_object(pos)) {
    ha__hpx_warn(m, "not imported: not a position preset (animation presets are not imported)");
    return;
  }
  char nbuf[160];
  ha__hpx_unique_name(m, &m->preset_names, ha__hpx_str(p, "name"), nbuf, sizeof(nbuf), "Preset", i,
                      "name");
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
    long long idx = ha__hpx_track_index(m, idv);
    json_decref(idv);
    json_t *q = ha__json_xyz(v, HA__HPX_XYZ);
    if (idx == 0 || q == NULL) {
      ha__hpx_warn(m, idx == 0 ? "not imported: no track with this id in the project"
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
  const char *id = ha__hpx_str(p, "id");
  if (id != NULL) {
    ha__strmap_slot *s = ha__strmap_put(&m->preset_ids, id);
    if (s != NULL) {
      s->value = json_array_size(out);
    }
  }
  json_array_append_new(out, o);
}

static void import_presets(ha__hpx *m) {
  json_t *out = json_array();
  json_object_set_new(m->out, "presets", out);
  static const char *const keys[] = {"positionPresets", "presets"};
  for (size_t k = 0; k < 2; k++) {
    const json_t *src = json_object_get(m->src, keys[k]);
    if (json_is_array(src)) {
      hpx_each(m, src, keys[k], import_preset, out);
    }
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

/* What the project id at `id_key` of `data` became: its element of the
 * show's `section`; NULL (warned: `missing`) when the import has none. */
static json_t *hpx_imported(ha__hpx *m, const json_t *data, const char *id_key,
                            const ha__strmap *ids, const char *section, const char *missing) {
  const char *id = ha__hpx_str(data, id_key);
  const ha__strmap_slot *s = id ? ha__strmap_get(ids, id) : NULL;
  if (s == NULL) {
    ha__hpx_warn(m, "%s", missing);
    return NULL;
  }
  return json_array_get(json_object_get(m->out, section), s->value);
}

static json_t *animation_action(ha__hpx *m, const json_t *cue, const json_t *data) {
  const json_t *anim =
      hpx_imported(m, data, "animationId", &m->anim_ids, "animations",
                   "not imported: the cue plays an animation the import does not have");
  if (anim == NULL) {
    return NULL;
  }
  const char *aid = ha__hpx_str(data, "animationId");
  const char *aname = ha__hpx_str(anim, "name");
  const json_t *ids = json_object_get(data, "trackIds");
  const ha__strmap_slot *gs = ha__strmap_get(&m->group_of_anim, aid);
  json_t *group = gs ? json_array_get(json_object_get(m->out, "groups"), gs->value) : NULL;
  const char *legacy = ha__hpx_str(cue, "action");
  json_t *act = json_object();
  if (legacy != NULL && strcmp(legacy, "stop") == 0) {
    json_object_set_new(act, "type", json_string("stop"));
    json_object_set_new(act, "animation", json_string(aname));
    return act;
  }
  json_object_set_new(act, "type", json_string("start"));
  json_t *tr = json_is_array(ids) && json_array_size(ids) > 0
                   ? ha__hpx_map_tracks(m, ids, "trackIds")
                   : NULL;
  if (group != NULL && (tr == NULL || same_tracks(tr, json_object_get(group, "tracks")))) {
    json_decref(tr);
    json_object_set_new(act, "group", json_string(ha__hpx_str(group, "name")));
    return act;
  }
  if (tr == NULL || json_array_size(tr) == 0) {
    json_decref(tr);
    json_decref(act);
    ha__hpx_warn(m, "not imported: the cue names no tracks (the original used the selection)");
    return NULL;
  }
  json_object_set_new(act, "animation", json_string(aname));
  json_object_set_new(act, "tracks", tr);
  json_t *srcanim = NULL;
  size_t i;
  json_t *a;
  json_array_foreach(json_object_get(m->src, "animations"), i, a) {
    if (aid != NULL && ha__hpx_str(a, "id") != NULL && strcmp(ha__hpx_str(a, "id"), aid) == 0) {
      srcanim = a;
    }
  }
  if (ha__hpx_str(data, "multiTrackMode") != NULL) {
    ha__hpx_mode(m, data, act);
  } else if (srcanim != NULL) {
    ha__hpx_mode(m, srcanim, act);
  }
  static const char *const dropped[] = {"playbackSpeed", "loop", "reverse", "cueSpecificParams",
                                        "animationParameters"};
  for (size_t k = 0; k < HA__COUNTOF(dropped); k++) {
    if (json_object_get(data, dropped[k]) != NULL) {
      ha__hpx_warn_key(m, dropped[k], "not imported: cue overrides of the animation");
    }
  }
  return act;
}

static json_t *position_action(ha__hpx *m, const json_t *data) {
  const json_t *preset =
      hpx_imported(m, data, "presetId", &m->preset_ids, "presets",
                   "not imported: the cue recalls a preset the import does not have");
  if (preset == NULL) {
    return NULL;
  }
  json_t *act = json_object();
  json_object_set_new(act, "type", json_string("preset"));
  json_object_set_new(act, "preset", json_string(ha__hpx_str(preset, "name")));
  const json_t *tr = json_object_get(data, "transition");
  const json_t *dur = json_object_get(tr, "duration");
  if (json_is_number(dur) && json_number_value(dur) > 0) {
    json_object_set_new(act, "transition", ha__hpx_num(json_number_value(dur)));
  }
  const json_t *ease = json_object_get(tr, "easing");
  if (ease != NULL) {
    ha__hpx_set(act, "easing", ha__hpx_easing(m, ease));
  }
  const char *mode = ha__hpx_str(tr, "mode");
  const char *coords = ha__hpx_str(data, "coordinateSystem");
  if ((mode != NULL && strcmp(mode, "spherical") == 0) ||
      (coords != NULL && strcmp(coords, "aed") == 0)) {
    json_object_set_new(act, "space", json_string("aed"));
  } else if (mode != NULL && strcmp(mode, "cartesian") != 0) {
    size_t mark = ha__path_key(&m->path, "transition");
    ha__hpx_warn_key(m, "mode", "not imported: interpolation '%s'; xyz is used", mode);
    ha__path_pop(&m->path, mark);
  }
  const json_t *stg = json_object_get(tr, "stagger");
  if (json_is_true(json_object_get(stg, "enabled"))) {
    const json_t *dl = json_object_get(stg, "delay");
    if (json_is_number(dl) && json_number_value(dl) > 0) {
      json_object_set_new(act, "stagger", ha__hpx_num(json_number_value(dl)));
    }
    const char *smode = ha__hpx_str(stg, "mode");
    if (smode != NULL && strcmp(smode, "sequential") != 0) {
      size_t mark = ha__path_key(&m->path, "transition");
      size_t m2 = ha__path_key(&m->path, "stagger");
      ha__hpx_warn_key(m, "mode", "not imported: stagger order '%s'; the preset's order is used",
                       smode);
      ha__path_pop(&m->path, m2);
      ha__path_pop(&m->path, mark);
    }
  }
  const json_t *ids = json_object_get(data, "trackIds");
  if (json_is_array(ids) && json_array_size(ids) > 0) {
    json_t *t = ha__hpx_map_tracks(m, ids, "trackIds");
    /* keep only tracks the preset has */
    const json_t *pp = json_object_get(preset, "positions");
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

/* Where imported cues go, and the next free cue number. */
typedef struct hpx_cue_out {
  json_t *cues;
  double next;
} hpx_cue_out;

/* A v2.3 animation imported as one group per track: a cue that starts
 * (stops) its first group (animation) does the same to the others. */
static void hpx_per_track_actions(ha__hpx *m, const json_t *data, json_t *act, json_t *acts) {
  const char *aid = ha__hpx_str(data, "animationId");
  const ha__strmap_slot *first = aid ? ha__strmap_get(&m->group_of_anim, aid) : NULL;
  const ha__strmap_slot *n = aid ? ha__strmap_get(&m->groups_of_anim, aid) : NULL;
  const json_t *groups = json_object_get(m->out, "groups");
  const char *g0 = ha__hpx_str(act, "group");
  const char *a0 = ha__hpx_str(act, "animation");
  const char *type = ha__hpx_str(act, "type");
  if (first == NULL || n == NULL || type == NULL) {
    return;
  }
  const json_t *gfirst = json_array_get(groups, first->value);
  if (g0 == NULL && strcmp(type, "start") == 0 && a0 != NULL &&
      strcmp(a0, ha__hpx_str(gfirst, "animation")) == 0) {
    /* Started on the animation's own tracks (each once): its groups. */
    const json_t *tr = json_object_get(act, "tracks");
    size_t hits = 0;
    for (size_t k = 0; k < n->value; k++) {
      const json_t *gt = json_object_get(json_array_get(groups, first->value + k), "tracks");
      for (size_t j = 0; j < json_array_size(tr); j++) {
        hits += json_equal(json_array_get(gt, 0), json_array_get(tr, j)) ? 1 : 0;
      }
    }
    if (hits != n->value || json_array_size(tr) != n->value) {
      return;
    }
    json_object_clear(act);
    json_object_set_new(act, "type", json_string("start"));
    json_object_set_new(act, "group", json_string(ha__hpx_str(gfirst, "name")));
    g0 = ha__hpx_str(act, "group");
    type = "start"; /* the old string went with the cleared object */
    a0 = NULL;
  }
  int start = g0 != NULL && strcmp(g0, ha__hpx_str(gfirst, "name")) == 0;
  int stop =
      strcmp(type, "stop") == 0 && a0 != NULL && strcmp(a0, ha__hpx_str(gfirst, "animation")) == 0;
  for (size_t k = 1; (start || stop) && k < n->value; k++) {
    const json_t *g = json_array_get(groups, first->value + k);
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(type));
    json_object_set_new(o, start ? "group" : "animation",
                        json_string(ha__hpx_str(g, start ? "name" : "animation")));
    json_array_append_new(acts, o);
  }
}

static void import_cue(ha__hpx *m, const json_t *cue, size_t index, void *ctx) {
  json_t *out = ((hpx_cue_out *)ctx)->cues;
  double *next_number = &((hpx_cue_out *)ctx)->next;
  (void)index;
  const char *type = ha__hpx_str(cue, "type");
  if (type == NULL) {
    type = ha__hpx_str(cue, "category");
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
      ha__hpx_warn_key(m, "type", "not imported: '%s' cues have no equivalent",
                       type ? type : "(missing)");
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
      ha__hpx_warn_key(m, "number", "duplicate number; renumbered");
      j = (size_t)-1; /* rescan */
      *next_number += 1.0;
    }
  }
  if (number >= *next_number) {
    *next_number = floor(number) + 1.0;
  }
  json_object_set_new(o, "number", ha__hpx_num(number));
  hpx_set_string(o, "name", ha__hpx_str(cue, "name"));
  size_t i;
  json_t *t;
  json_array_foreach(json_object_get(cue, "triggers"), i, t) {
    const char *addr = ha__hpx_str(t, "oscAddress");
    if (addr != NULL && json_object_get(o, "osc") == NULL) {
      if (addr[0] == '/' && strpbrk(addr, " #*,?[]{}") == NULL) {
        json_object_set_new(o, "osc", json_string(addr));
      } else {
        size_t m2 = ha__path_key(&m->path, "triggers");
        size_t m3 = ha__path_index(&m->path, i);
        ha__hpx_warn_key(m, "oscAddress", "not imported: '%s' is not a plain OSC address", addr);
        ha__path_pop(&m->path, m3);
        ha__path_pop(&m->path, m2);
      }
    }
  }
  if (json_is_false(json_object_get(cue, "isEnabled"))) {
    ha__hpx_warn_key(m, "isEnabled", "the cue is disabled in the project; it is imported");
  }
  json_t *acts = json_array();
  json_array_append_new(acts, act);
  hpx_per_track_actions(m, data, act, acts);
  json_object_set_new(o, "actions", acts);
  json_array_append_new(out, o);
}

/* The cues of one of show.cueLists[]. */
static void import_cue_list(ha__hpx *m, const json_t *list, size_t index, void *ctx) {
  (void)index;
  hpx_each(m, json_object_get(list, "cues"), "cues", import_cue, ctx);
}

static void import_cues(ha__hpx *m) {
  hpx_cue_out o = {json_array(), 1.0};
  json_object_set_new(m->out, "cues", o.cues);
  /* Numbers the project gives come first so generated ones avoid them. */
  const json_t *show = json_object_get(m->src, "show");
  if (json_is_object(show)) {
    size_t mark = ha__path_key(&m->path, "show");
    hpx_each(m, json_object_get(show, "cueLists"), "cueLists", import_cue_list, &o);
    if (json_is_array(json_object_get(show, "cues"))) {
      hpx_each(m, json_object_get(show, "cues"), "cues", import_cue, &o);
    }
    ha__path_pop(&m->path, mark);
  }
  if (json_is_array(json_object_get(m->src, "cues"))) {
    hpx_each(m, json_object_get(m->src, "cues"), "cues", import_cue, &o);
  }
}

/* ---- outputs, limits, metadata ---- */

static void import_outputs(ha__hpx *m) {
  json_t *out = json_array();
  json_object_set_new(m->out, "outputs", out);
  const json_t *src = json_object_get(m->src, "oscConnections");
  const char *coords = ha__hpx_str(json_object_get(m->src, "coordinateSystem"), "type");
  size_t mark = ha__path_key(&m->path, "oscConnections");
  size_t i;
  json_t *c;
  json_array_foreach(src, i, c) {
    size_t m2 = ha__path_index(&m->path, i);
    const char *host = ha__hpx_str(c, "host");
    const json_t *port = json_object_get(c, "port");
    if (host == NULL || host[0] == '\0') {
      ha__hpx_warn(m, "not imported: no host");
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

static void import_limits(ha__hpx *m) {
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
  json_object_set_new(
      box, "min", json_pack("[o,o,o]", ha__hpx_num(lo[0]), ha__hpx_num(lo[1]), ha__hpx_num(lo[2])));
  json_object_set_new(
      box, "max", json_pack("[o,o,o]", ha__hpx_num(hi[0]), ha__hpx_num(hi[1]), ha__hpx_num(hi[2])));
  json_t *lim = json_object();
  json_object_set_new(lim, "box", box);
  json_object_set_new(m->out, "limits", lim);
}

static void import_meta(ha__hpx *m, const char *file) {
  const char *name = ha__hpx_str(m->src, "name");
  json_object_set_new(m->out, "name", json_string(name ? name : ""));
  const json_t *md = json_object_get(m->src, "metadata");
  json_t *o = json_object();
  static const char *const copied[] = {"author", "created", "modified"};
  for (size_t i = 0; i < HA__COUNTOF(copied); i++) {
    hpx_set_string(o, copied[i], ha__hpx_str(md, copied[i]));
  }
  const char *version = ha__hpx_str(md, "version");
  if (version == NULL) {
    version = ha__hpx_str(m->src, "version");
  }
  char notes[1024];
  const char *desc = ha__hpx_str(m->src, "description");
  /* Both apps write "2.0.0": which one saved it is told by content. */
  const char *app = m->v20 ? "2.0" : "2.3";
  snprintf(notes, sizeof(notes),
           "%s%sImported from %s (Holophonix Animator project%s%s, read as saved by the v%s "
           "app).",
           desc ? desc : "", desc ? "\n" : "", file[0] ? file : "a project", version ? " v" : "",
           version ? version : "", app);
  json_object_set_new(o, "notes", json_string(notes));
  hpx_set_string(o, "hpxVersion", version);
  hpx_set_string(o, "hpxApp", app);
  json_object_set_new(m->out, "metadata", o);
}

static void warn_rest(ha__hpx *m) {
  static const char *const handled =
      "id|name|description|tracks|animations|presets|"
      "positionPresets|show|cues|oscConnections|metadata|"
      "coordinateSystem|version";
  const char *key;
  json_t *v;
  json_object_foreach(m->src, key, v) {
    if (ha__list_index(handled, '|', key) >= 0) {
      continue;
    }
    if ((json_is_array(v) && json_array_size(v) == 0) || json_is_null(v)) {
      continue; /* nothing lost */
    }
    if (strcmp(key, "groups") == 0) {
      ha__hpx_warn_key(m, key,
                       "not imported: track groups (a show's groups bind tracks to an "
                       "animation; see animations[].trackIds)");
    } else if (strcmp(key, "timelines") == 0) {
      ha__hpx_warn_key(m, key, "not imported: timelines");
    } else {
      ha__hpx_warn_key(m, key, "not imported");
    }
  }
}

/* `fn` (init or deinit) on each of the import's id and name maps. */
static void hpx_each_map(ha__hpx *m, void (*fn)(ha__strmap *)) {
  ha__strmap *maps[] = {&m->track_ids,  &m->anim_ids,     &m->anim_names,     &m->group_of_anim,
                        &m->preset_ids, &m->preset_names, &m->groups_of_anim, &m->name_next};
  for (size_t i = 0; i < HA__COUNTOF(maps); i++) {
    fn(maps[i]);
  }
}

/* --autostart: every group starts on play (the original starts them by hand). */
static void set_autostart(json_t *out) {
  size_t i;
  json_t *g;
  json_array_foreach(json_object_get(out, "groups"), i, g) {
    json_object_set_new(g, "autoStart", json_true());
  }
}

/* The .hpx key a section of the generated show is made from, or NULL. */
static const char *hpx_source_key(const json_t *src, const char *section) {
  static const char *const map[][2] = {
      {"tracks", "tracks"},     {"animations", "animations"},  {"groups", "animations"},
      {"presets", "presets"},   {"outputs", "oscConnections"}, {"limits", "coordinateSystem"},
      {"metadata", "metadata"}, {"name", "metadata"},
  };
  if (strcmp(section, "cues") == 0) {
    return json_object_get(src, "show") != NULL ? "show" : "cues";
  }
  for (size_t i = 0; i < HA__COUNTOF(map); i++) {
    if (strcmp(section, map[i][0]) == 0) {
      return map[i][1];
    }
  }
  return NULL;
}

/* The compiler refused the generated show. That is an importer bug (it is
 * meant to warn and leave out what a show cannot hold), but the refusal
 * must still point into the project: one error at the .hpx element the
 * first refused field came from (the element of the same index when its
 * section was imported one to one, else the section, else the start),
 * quoting the compiler's error (diagnostics from index `first` on). */
static void refuse_at_source(const ha__hpx *m, size_t first) {
  ha__dctx *c = m->c;
  const ha_diag *e = NULL;
  for (size_t i = first; c->diags != NULL && i < ha_diags_count(c->diags) && e == NULL; i++) {
    e = ha_diags_at(c->diags, i)->severity == HA_DIAG_ERROR ? ha_diags_at(c->diags, i) : NULL;
  }
  const char *opath = e != NULL ? e->path : "";
  char section[32], spath[64] = "";
  size_t n = strcspn(opath, "[.");
  snprintf(section, sizeof(section), "%.*s", (int)(n < sizeof(section) ? n : 0), opath);
  const char *skey = hpx_source_key(m->src, section);
  int line = 0, col = 0;
  if (skey != NULL) {
    const json_t *slist = json_object_get(m->src, skey);
    unsigned long k = opath[n] == '[' ? strtoul(opath + n + 1, NULL, 10) : 0;
    if (opath[n] == '[' && json_is_array(slist) &&
        json_array_size(slist) == json_array_size(json_object_get(m->out, section))) {
      snprintf(spath, sizeof(spath), "%s[%lu]", skey, k);
    } else {
      snprintf(spath, sizeof(spath), "%s", skey);
    }
    ha__posmap_find(c->pos, spath, 0, &line, &col);
  }
  if (line < 1 || col < 1) {
    line = col = 1;
    spath[0] = '\0';
  }
  ha__diag_at(c, HA_DIAG_ERROR, line, col, spath,
              "not imported: the show made of it is not valid (%s: %s)",
              e ? opath : "(imported show)", e ? e->message : "see its errors");
}

static ha_status import_doc(json_t *src, const char *file, const ha_show_import_options *opts,
                            ha__dctx *c, ha_show **out) {
  ha__hpx m;
  memset(&m, 0, sizeof(m));
  m.c = c;
  m.src = src;
  m.out = json_object();
  if (m.out == NULL) {
    return HA_ENOMEM;
  }
  ha__path_init(&m.path);
  hpx_each_map(&m, ha__strmap_init);
  json_object_set_new(m.out, "format", json_integer(HA_SHOW_FORMAT));
  m.v20 = ha__hpx_is_v20(src);
  import_meta(&m, file);
  import_tracks(&m);
  import_animations(&m);
  import_presets(&m);
  import_cues(&m);
  import_outputs(&m);
  import_limits(&m);
  warn_rest(&m);
  if (opts != NULL && opts->autostart) {
    set_autostart(m.out);
  }
  /* Drop empty sections so the result reads like a hand-written show. */
  static const char *const sections[] = {"groups", "presets", "cues", "outputs"};
  for (size_t i = 0; i < HA__COUNTOF(sections); i++) {
    if (json_array_size(json_object_get(m.out, sections[i])) == 0) {
      json_object_del(m.out, sections[i]);
    }
  }
  ha__path_deinit(&m.path);
  hpx_each_map(&m, ha__strmap_deinit);
  /* Validate the result like a loaded file; its diagnostics name the
   * generated show's fields, so they carry no .hpx position. */
  ha__dctx c2 = {c->diags, "(imported show)", NULL, 0, 0, 0};
  ha__show_model *model = NULL;
  size_t first = c->diags != NULL ? ha_diags_count(c->diags) : 0;
  ha_status st = ha__show_compile(m.out, &c2, &model);
  c->oom |= c2.oom;
  if (st != HA_OK && st != HA_ENOMEM) {
    refuse_at_source(&m, first);
  }
  json_decref(m.out);
  if (st != HA_OK) {
    return st;
  }
  return ha__show_from_model(model, HA_SHOW_FORMAT, out);
}

ha_status ha_show_import_hpx_string(const char *text, size_t len, const char *name, ha_show **out,
                                    ha_diags *diags) {
  return ha_show_import_hpx_string_ex(text, len, name, NULL, out, diags);
}

ha_status ha_show_import_hpx_string_ex(const char *text, size_t len, const char *name,
                                       const ha_show_import_options *opts, ha_show **out,
                                       ha_diags *diags) {
  if (out == NULL || text == NULL) {
    return HA_EINVAL;
  }
  *out = NULL;
  ha__dctx c = {diags, name ? name : "", NULL, 0, 0, 0};
  json_error_t je;
  json_t *src = json_loadb(text, len, 0, &je);
  if (src == NULL) {
    /* jansson says column 0 at the start of a line (an empty text, an end
     * right after a newline): the error is at its first column. */
    ha__diag_at(&c, HA_DIAG_ERROR, je.line > 1 ? je.line : 1, je.column > 1 ? je.column : 1, "",
                "%s", je.text);
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
    st = import_doc(src, name ? name : "", opts, &c, out);
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
  return ha_show_import_hpx_ex(path, NULL, out, diags);
}

ha_status ha_show_import_hpx_ex(const char *path, const ha_show_import_options *opts, ha_show **out,
                                ha_diags *diags) {
  if (path == NULL || out == NULL) {
    return HA_EINVAL;
  }
  *out = NULL;
  char *text = NULL;
  size_t len = 0;
  ha_status st = ha__show_read_path(path, 0, &text, &len, diags);
  if (st == HA_OK) {
    st = ha_show_import_hpx_string_ex(text, len, path, opts, out, diags);
    free(text);
  }
  return st;
}
