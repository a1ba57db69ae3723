/* Import of a Holophonix Animator v2.0 animation (no trackIds: the tracks
 * an animation drives are those whose animationState plays it). See
 * show_import.c for the project as a whole.
 *
 * v2.0 plays, per track, tracks[].animationState.animation (its own copy of
 * the animation, with per-track parameters in the position-relative modes)
 * at the track's own time max(0, t − currentTime), wrapped by the
 * animation's loop / ping-pong, plus, in the isobarycenter and centered
 * modes, the track's offset from the barycentre (or centre point) turned
 * with the rotating types (its rotateOffsetForAnimation). Each track thus
 * becomes an animation of its own (parameters baked: `offset`, turned by
 * `offsetTurn`) started by a one-track group (its `delay` holds the start),
 * unless every track plays the same thing at the same time: then one
 * animation and one group. The parameters are read as v2.0 reads them
 * (Number(v) || default: a 0 or a missing value is the v2.0 default) and
 * written in the engine's terms (show_import_v20_params.c). */
#include "show_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Both app versions write metadata.version "2.0.0": v2.0 is told by
 * content. v2.3 saves trackIds (and transform) on its animations; v2.0
 * saves multiTrackMode on the animation and none of those. Without
 * animations, a track playing an animation that has multiTrackMode (v2.0
 * keeps the mode there) tells it. */
int ha__hpx_is_v20(const json_t *src) {
  const json_t *anims = json_object_get(src, "animations");
  size_t i;
  const json_t *a;
  int v20 = 0;
  json_array_foreach(anims, i, a) {
    if (json_object_get(a, "trackIds") != NULL || json_object_get(a, "transform") != NULL ||
        json_object_get(a, "trackSelectionLocked") != NULL) {
      return 0;
    }
    if (json_object_get(a, "multiTrackMode") != NULL ||
        json_object_get(a, "phaseOffsetSeconds") != NULL) {
      v20 = 1;
    }
  }
  /* No animation said it: a track playing an animation that has the mode
   * (v2.0 keeps it there too) does. */
  const json_t *t;
  json_array_foreach(json_object_get(src, "tracks"), i, t) {
    const json_t *ta = json_object_get(json_object_get(t, "animationState"), "animation");
    if (json_object_get(ta, "trackIds") != NULL) {
      return 0;
    }
    if (json_object_get(ta, "multiTrackMode") != NULL ||
        json_object_get(json_object_get(ta, "parameters"), "_multiTrackMode") != NULL) {
      v20 = 1;
    }
  }
  return v20;
}

/* One track playing the animation. */
typedef struct v20_member {
  size_t index;     /* in the project's tracks[] */
  long long number; /* holophonixIndex */
  const json_t *anim;
  double delay;
  ha_vec3 offset;
  int has_offset;
  json_t *out; /* the show animation built for it */
} v20_member;

#define V20_MAX_MEMBERS 256

/* The animation a track plays, when it is `a` (same id, or the per-track
 * id "<id>-<track id>" of v2.0's save handler). */
static const json_t *v20_track_anim(const json_t *track, const char *aid) {
  const json_t *ta = json_object_get(json_object_get(track, "animationState"), "animation");
  const char *tid = ha__hpx_str(ta, "id");
  if (!json_is_object(ta) || tid == NULL || aid == NULL) {
    return NULL;
  }
  size_t n = strlen(aid);
  if (strcmp(tid, aid) == 0 ||
      (strncmp(tid, aid, n) == 0 && tid[n] == '-' && ha__hpx_str(track, "id") != NULL &&
       strcmp(tid + n + 1, ha__hpx_str(track, "id")) == 0)) {
    return ta;
  }
  return NULL;
}

static ha_vec3 v20_track_pos(const json_t *track) {
  json_t *p = ha__json_xyz(json_object_get(track, "position"), HA__HPX_XYZ);
  if (p == NULL) {
    p = ha__json_xyz(json_object_get(track, "initialPosition"), HA__HPX_XYZ);
  }
  ha_vec3 v = ha_vec3_zero();
  if (p != NULL) {
    v = ha_vec3_make(json_number_value(json_array_get(p, 0)),
                     json_number_value(json_array_get(p, 1)),
                     json_number_value(json_array_get(p, 2)));
  }
  json_decref(p);
  return v;
}

static const char *v20_mode(const json_t *a, const json_t *ta) {
  const char *mode = ha__hpx_str(a, "multiTrackMode");
  if (mode == NULL && ta != NULL) {
    mode = ha__hpx_str(ta, "multiTrackMode");
  }
  if (mode == NULL && ta != NULL) {
    mode = ha__hpx_str(json_object_get(ta, "parameters"), "_multiTrackMode");
  }
  return mode != NULL ? mode : "identical";
}

/* Per-track start delays: the tracks' currentTime (v2.0 plays each at
 * max(0, t − currentTime)); all 0 in a phase-offset mode is the editor's
 * save bug (it forgets i·phaseOffsetSeconds): the intended stagger is used. */
static void v20_delays(ha__hpx *m, const json_t *a, const char *mode, v20_member *mb, size_t n) {
  const json_t *tracks = json_object_get(m->src, "tracks");
  int any = 0;
  for (size_t k = 0; k < n; k++) {
    const json_t *st = json_object_get(json_array_get(tracks, mb[k].index), "animationState");
    const json_t *ct = json_object_get(st, "currentTime");
    mb[k].delay = json_is_number(ct) && json_number_value(ct) > 0 ? json_number_value(ct) : 0.0;
    any |= mb[k].delay > 0.0;
  }
  const json_t *ph = json_object_get(a, "phaseOffsetSeconds");
  int phased = strcmp(mode, "phase-offset") == 0 || strcmp(mode, "phase-offset-relative") == 0;
  if (!any && phased && n > 1 && json_is_number(ph) && json_number_value(ph) > 0) {
    for (size_t k = 0; k < n; k++) {
      mb[k].delay = (double)k * json_number_value(ph);
    }
    ha__hpx_warn_key(m, "phaseOffsetSeconds",
                     "the original's editor saved every track with currentTime 0, so v2.0 "
                     "plays them in step; imported as intended: track i starts i x %g s later",
                     json_number_value(ph));
  }
}

/* Formation offsets of the isobarycenter and centered modes: the saved
 * _trackOffset when there is one, else the track's position minus the
 * barycentre (or centre point), as v2.0's save handler computes them. */
static void v20_offsets(ha__hpx *m, const json_t *a, const char *mode, v20_member *mb, size_t n) {
  int iso = strcmp(mode, "isobarycenter") == 0, cen = strcmp(mode, "centered") == 0;
  if ((!iso && !cen) || n < 2) {
    return;
  }
  const json_t *tracks = json_object_get(m->src, "tracks");
  ha_vec3 c = ha_vec3_zero();
  if (iso) {
    for (size_t k = 0; k < n; k++) {
      c = ha_vec3_add(c, v20_track_pos(json_array_get(tracks, mb[k].index)));
    }
    c = ha_vec3_scale(c, 1.0 / (double)n);
  } else {
    json_t *cp = ha__json_xyz(json_object_get(a, "centerPoint"), HA__HPX_XYZ);
    if (cp != NULL) {
      c = ha_vec3_make(json_number_value(json_array_get(cp, 0)),
                       json_number_value(json_array_get(cp, 1)),
                       json_number_value(json_array_get(cp, 2)));
    }
    json_decref(cp);
  }
  int saved = 0;
  for (size_t k = 0; k < n; k++) {
    const json_t *to = json_object_get(json_object_get(mb[k].anim, "parameters"), "_trackOffset");
    json_t *p = to ? ha__json_xyz(to, HA__HPX_XYZ) : NULL;
    if (p != NULL) {
      mb[k].offset = ha_vec3_make(json_number_value(json_array_get(p, 0)),
                                  json_number_value(json_array_get(p, 1)),
                                  json_number_value(json_array_get(p, 2)));
      saved = 1;
    } else {
      mb[k].offset = ha_vec3_sub(v20_track_pos(json_array_get(tracks, mb[k].index)), c);
    }
    json_decref(p);
    mb[k].has_offset = 1;
  }
  if (!saved) {
    ha__hpx_warn_key(m, "multiTrackMode",
                     "the original's editor saved no formation offsets (_trackOffset), so v2.0 "
                     "plays every track on the same path; imported as intended: each track "
                     "keeps its offset from the %s",
                     iso ? "barycentre" : "centre point");
  }
}

/* The show animation for one member (or for the animation alone). */
static json_t *v20_build(ha__hpx *m, const json_t *ta, const char *name, const json_t *track,
                         const v20_member *mb) {
  double dur = 0.0;
  json_t *o = ha__hpx_anim_timing(m, ta, name, &dur);
  json_t *params = json_object();
  size_t mark = ha__path_key(&m->path, "parameters");
  ha__hpx_v20_turn turn = {0};
  const char *model = ha__hpx_v20_params(m, ta, track, params, &turn);
  ha__path_pop(&m->path, mark);
  if (model == NULL) {
    json_decref(params);
    json_decref(o);
    return NULL;
  }
  json_object_set_new(o, "model", json_string(model));
  if (mb != NULL && mb->has_offset) {
    ha__hpx_set_offset(params, mb->offset, turn.axis, turn.from, turn.by); /* 0: fixed */
  }
  json_object_set_new(o, "parameters", params);
  ha__hpx_settle_params(m, model, o, "parameters");
  return o;
}

static const char *const v20_anim_keys =
    "id|name|type|duration|loop|pingPong|parameters|keyframes|coordinateSystem|"
    "multiTrackMode|phaseOffsetSeconds|centerPoint";

static void v20_warn_keys(ha__hpx *m, const json_t *a) {
  ha__hpx_warn_keys(m, a, NULL, v20_anim_keys, "unknown animation field");
  ha__hpx_warn_coords(m, a);
}

static void v20_register(const char *id, ha__strmap *map, size_t value) {
  ha__strmap_slot *s = id != NULL ? ha__strmap_put(map, id) : NULL;
  if (s != NULL) {
    s->value = value;
  }
}

/* Members' animations equal (and started together): one group suffices. */
static int v20_all_same(const v20_member *mb, size_t n) {
  for (size_t k = 1; k < n; k++) {
    if (!json_equal(mb[k].out, mb[0].out) || fabs(mb[k].delay - mb[0].delay) > 0.0) {
      return 0;
    }
  }
  return 1;
}

/* The members' animations and groups into the show. */
static void v20_emit(ha__hpx *m, const json_t *a, const char *name, v20_member *mb, size_t n,
                     ha__hpx_anims *out) {
  const char *id = ha__hpx_str(a, "id");
  v20_register(id, &m->anim_ids, json_array_size(out->anims));
  v20_register(id, &m->group_of_anim, json_array_size(out->groups));
  if (v20_all_same(mb, n)) {
    json_array_append(out->anims, mb[0].out);
    json_t *g = ha__hpx_group(name, json_array(), mb[0].delay);
    for (size_t k = 0; k < n; k++) {
      json_array_append_new(json_object_get(g, "tracks"), json_integer(mb[k].number));
    }
    json_array_append_new(out->groups, g);
    return;
  }
  /* One group per track: a cue playing the animation starts them all
   * (hpx_per_track_actions), as for v2.3. v2.0 itself saves no cues. */
  v20_register(id, &m->groups_of_anim, n);
  for (size_t k = 0; k < n; k++) {
    char nbuf[200], want[200];
    snprintf(want, sizeof(want), "%s (track %lld)", name, mb[k].number);
    ha__hpx_unique_name(m, &m->anim_names, want, nbuf, sizeof(nbuf), "Animation", 0, "name");
    json_object_set_new(mb[k].out, "name", json_string(nbuf));
    json_array_append(out->anims, mb[k].out);
    json_array_append_new(
        out->groups, ha__hpx_group(nbuf, json_pack("[I]", (json_int_t)mb[k].number), mb[k].delay));
  }
}

void ha__hpx_v20_animation(ha__hpx *m, const json_t *a, size_t i, ha__hpx_anims *out) {
  char nbuf[160];
  const char *type = ha__hpx_str(a, "type");
  if (type == NULL || !ha__hpx_v20_known(type)) {
    ha__hpx_warn_key(m, "type", "not imported: no model for v2.0 animation type '%s'",
                     type ? type : "(missing)");
    return;
  }
  const char *name = ha__hpx_unique_name(m, &m->anim_names, ha__hpx_str(a, "name"), nbuf,
                                         sizeof(nbuf), "Animation", i, "name");
  v20_warn_keys(m, a);
  const json_t *tracks = json_object_get(m->src, "tracks");
  const char *aid = ha__hpx_str(a, "id");
  v20_member mb[V20_MAX_MEMBERS];
  size_t n = 0;
  for (size_t j = 0; j < json_array_size(tracks) && n < V20_MAX_MEMBERS; j++) {
    const json_t *t = json_array_get(tracks, j);
    const json_t *ta = v20_track_anim(t, aid);
    long long num = ta ? ha__hpx_track_index(m, json_object_get(t, "id")) : 0;
    if (ta != NULL && num > 0) {
      memset(&mb[n], 0, sizeof(mb[n]));
      mb[n].index = j;
      mb[n].number = num;
      mb[n].anim = ta;
      n++;
    }
  }
  const char *mode = v20_mode(a, n > 0 ? mb[0].anim : NULL);
  if (n == 0) {
    /* Played by no track: the animation alone, for cues that play it. */
    json_t *o = v20_build(m, a, name, NULL, NULL);
    if (o != NULL) {
      v20_register(aid, &m->anim_ids, json_array_size(out->anims));
      json_array_append_new(out->anims, o);
    }
    return;
  }
  v20_delays(m, a, mode, mb, n);
  v20_offsets(m, a, mode, mb, n);
  size_t built = 0;
  for (size_t k = 0; k < n; k++) {
    ha__hpx_path_track_anim(m, mb[k].index);
    mb[k].out = v20_build(m, mb[k].anim, name, json_array_get(tracks, mb[k].index), &mb[k]);
    built += mb[k].out != NULL;
  }
  ha__hpx_path_anim(m, i);
  if (built == n) {
    v20_emit(m, a, name, mb, n, out);
  }
  for (size_t k = 0; k < n; k++) {
    json_decref(mb[k].out);
  }
}

/* ---- custom keyframes ---- */

typedef struct v20_key {
  double t;
  ha_vec3 p;
} v20_key;

static int v20_key_cmp(const void *a, const void *b) {
  double d = ((const v20_key *)a)->t - ((const v20_key *)b)->t;
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/* The keyframes of a custom animation, sorted, for the keyframes model's
 * `ride: v2.0` (v2.0's calculateCustomPosition): bezier is a cubic
 * ease-in-out per key segment. Keys after the duration (the engine refuses
 * them) are left out, warned. */
json_t *ha__hpx_v20_keys(ha__hpx *m, const json_t *kf, const json_t *ta, const json_t *track,
                         const char *interp) {
  (void)track;
  v20_key *k = calloc(json_array_size(kf) + 1, sizeof(*k));
  size_t n = 0;
  if (k == NULL) {
    m->c->oom = 1;
    return NULL;
  }
  size_t i;
  const json_t *e;
  const json_t *d = json_object_get(ta, "duration");
  double T = json_is_number(d) && json_number_value(d) > 0 ? json_number_value(d) : 10.0;
  json_array_foreach(kf, i, e) {
    json_t *pos = ha__json_xyz(json_object_get(e, "position"), HA__HPX_XYZ);
    const json_t *t = json_object_get(e, "time");
    double tv = json_number_value(t);
    if (pos != NULL && json_is_number(t) && tv >= 0.0 && tv <= T) {
      k[n].t = tv;
      k[n].p = ha_vec3_make(json_number_value(json_array_get(pos, 0)),
                            json_number_value(json_array_get(pos, 1)),
                            json_number_value(json_array_get(pos, 2)));
      n++;
    } else {
      ha__hpx_warn(m,
                   "not imported: keyframes[%zu] (a key needs a time within the duration "
                   "and a position {x, y, z})",
                   i);
    }
    json_decref(pos);
  }
  if (n == 0) {
    free(k);
    return NULL;
  }
  qsort(k, n, sizeof(k[0]), v20_key_cmp);
  const char *ease = strcmp(interp, "bezier") == 0 ? "cubic-in-out" : "linear";
  json_t *out = json_array();
  for (size_t j = 0; j < n; j++) {
    json_t *o = json_object();
    json_object_set_new(o, "time", ha__hpx_num(k[j].t));
    json_object_set_new(o, "position", ha__hpx_vec(k[j].p));
    json_object_set_new(o, "easing", json_string(ease));
    json_array_append_new(out, o);
  }
  free(k);
  return out;
}
