/* Import of a Holophonix Animator v2.3 animation (animations[] with
 * trackIds, transform, per-track animationState). See show_import.c for the
 * project as a whole. */
#include "show_internal.h"

#include <string.h>

void ha__hpx_v23_animation(ha__hpx *m, const json_t *a, size_t i, ha__hpx_anims *out) {
  json_t *anims = out->anims, *groups = out->groups;
  const char *type = ha__hpx_str(a, "type");
  const ha_model_info *mi = type ? ha_model_find(type) : NULL;
  if (mi == NULL) {
    ha__hpx_warn_key(m, "type", "not imported: no model for animation type '%s'",
                     type ? type : "(missing)");
    return;
  }
  char nbuf[160];
  const char *name = ha__hpx_unique_name(m, &m->anim_names, ha__hpx_str(a, "name"), nbuf,
                                         sizeof(nbuf), "Animation", i, "name");
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(name));
  json_object_set_new(o, "model", json_string(mi->name));
  const json_t *d = json_object_get(a, "duration");
  json_object_set_new(
      o, "duration",
      ha__hpx_num(json_is_number(d) && json_number_value(d) > 0 ? json_number_value(d) : 10.0));
  int loop = json_is_true(json_object_get(a, "loop"));
  int pp = json_is_true(json_object_get(a, "pingPong"));
  json_object_set_new(o, "loop", json_string(pp ? "pingpong" : loop ? "loop" : "once"));
  json_t *params = json_object();
  json_object_set_new(o, "parameters", params);
  const json_t *sp = json_object_get(a, "parameters");
  if (json_is_object(sp)) {
    size_t mark = ha__path_key(&m->path, "parameters");
    ha__hpx_params(m, mi, sp, params);
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
  const char *cs = ha__hpx_str(json_object_get(a, "coordinateSystem"), "type");
  if (cs != NULL && strcmp(cs, "xyz") != 0) {
    ha__hpx_warn_key(m, "coordinateSystem", "not imported: animations are computed in xyz");
  }
  size_t index = json_array_size(anims);
  json_array_append_new(anims, o);
  const char *id = ha__hpx_str(a, "id");
  if (id != NULL) {
    ha__strmap_slot *s = ha__strmap_put(&m->anim_ids, id);
    if (s != NULL) {
      s->value = index;
    }
  }
  /* Locked to tracks: a group of the same name. */
  const json_t *ids = json_object_get(a, "trackIds");
  if (json_is_array(ids) && json_array_size(ids) > 0) {
    json_t *tr = ha__hpx_map_tracks(m, ids, "trackIds");
    if (json_array_size(tr) == 0) {
      json_decref(tr);
      return;
    }
    json_t *g = json_object();
    json_object_set_new(g, "name", json_string(name));
    json_object_set_new(g, "animation", json_string(name));
    json_object_set_new(g, "tracks", tr);
    ha__hpx_mode(m, a, g);
    if (id != NULL) {
      ha__strmap_slot *s = ha__strmap_put(&m->group_of_anim, id);
      if (s != NULL) {
        s->value = json_array_size(groups);
      }
    }
    json_array_append_new(groups, g);
  } else if (ha__hpx_str(a, "multiTrackMode") != NULL || json_object_get(a, "phaseOffsetSeconds")) {
    /* Kept for the cues that play it on tracks of their own. */
  }
}
