/* holoanim Node addon: what a cue does, as the core says.
 *
 * goCue(n) fires cue n through the core's one cue interpreter (the show
 * layer's ha_show_cue_ops, whose live sink queues the operations on the
 * player) and then lists the same operations; cueEffects(n) lists them
 * without firing. Each operation becomes one object: {action, type:
 * 'start' | 'stopAnimation' | 'stopTrack' | 'goto', tag, tracks, ...} with
 * the tags the show was compiled with, so JavaScript never re-derives a tag
 * (the web server's runtime uses them to know which animation owns which
 * track). */
#include "player_internal.h"

#include <stdio.h>
#include <string.h>

typedef struct cue_effects_ctx {
  napi_env env;
  const ha_show *show;
  napi_value list;
  uint32_t n;
} cue_effects_ctx;

static bool cue_effect_fields(napi_env env, const ha_show *show, const ha_show_op *op,
                              napi_value o) {
  size_t na = 0, ng = 0;
  const ha_show_animation *anims = ha_show_animations(show, &na);
  const ha_show_group *groups = ha_show_groups(show, &ng);
  bool ok = true;
  if (op->group < ng) {
    ok = ha_node_set_string(env, o, "group", groups[op->group].name);
  }
  switch (op->type) {
  case HA_SHOW_OP_START: {
    napi_value list;
    NAPI_CALL_B(env, napi_create_array_with_length(env, op->track_count, &list));
    for (uint32_t i = 0; i < op->track_count; i++) {
      napi_value id;
      NAPI_CALL_B(env, napi_create_uint32(env, op->tracks[i], &id));
      NAPI_CALL_B(env, napi_set_element(env, list, i, id));
    }
    return ok && ha_node_set_string(env, o, "type", "start") &&
           ha_node_set_number(env, o, "tag", op->tag) &&
           ha_node_set_value(env, o, "tracks", list) &&
           ha_node_set_string(env, o, "animation",
                              op->animation < na ? anims[op->animation].name : "");
  }
  case HA_SHOW_OP_STOP_TAG:
    return ok && ha_node_set_string(env, o, "type", "stopAnimation") &&
           ha_node_set_number(env, o, "tag", op->tag) &&
           ha_node_set_number(env, o, "fade", op->fade);
  case HA_SHOW_OP_STOP_TRACK:
    return ok && ha_node_set_string(env, o, "type", "stopTrack") &&
           ha_node_set_number(env, o, "track", op->track) &&
           ha_node_set_number(env, o, "fade", op->fade);
  case HA_SHOW_OP_GOTO:
    return ok && ha_node_set_string(env, o, "type", "goto") &&
           ha_node_set_number(env, o, "track", op->track) &&
           ha_node_set_value(env, o, "position", ha_node_vec3_array(env, op->position)) &&
           ha_node_set_number(env, o, "duration", op->duration) &&
           ha_node_set_string(env, o, "easing", ha_easing_name(op->easing)) &&
           ha_node_set_string(env, o, "space", op->aed ? "aed" : "xyz") &&
           ha_node_set_number(env, o, "delay", op->delay);
  }
  return ok;
}

static ha_status cue_effect_add(void *user, const ha_show_op *op, ha_error *err) {
  (void)err;
  cue_effects_ctx *c = user;
  napi_value o;
  if (napi_create_object(c->env, &o) != napi_ok ||
      !ha_node_set_number(c->env, o, "action", (double)op->action) ||
      !cue_effect_fields(c->env, c->show, op, o) ||
      napi_set_element(c->env, c->list, c->n++, o) != napi_ok) {
    return HA_EINVAL; /* stops the listing; the JS exception tells */
  }
  return HA_OK;
}

napi_value ha_node_cue_effects(napi_env env, ha_node_player *p, double number) {
  cue_effects_ctx c = {env, NULL, NULL, 0};
  NAPI_CALL(env, napi_create_array(env, &c.list));
  pthread_mutex_lock(&p->op_mu);
  c.show = p->show;
  size_t idx = c.show != NULL ? ha_show_cue_find(c.show, number) : SIZE_MAX;
  ha_status st = idx != SIZE_MAX ? ha_show_cue_ops(c.show, idx, cue_effect_add, &c, NULL) : HA_OK;
  pthread_mutex_unlock(&p->op_mu);
  if (st != HA_OK) {
    return ha_node_napi_fail(env, napi_pending_exception, "cueEffects", __LINE__);
  }
  if (idx == SIZE_MAX) {
    ha_error err;
    ha_error_clear(&err);
    snprintf(err.name, sizeof(err.name), "cue");
    snprintf(err.message, sizeof(err.message),
             c.show ? "cue: the show has no cue %g" : "cueEffects: no show is loaded", number);
    return ha_node_throw(env, c.show ? HA_ENOTFOUND : HA_ESTATE, &err, NULL);
  }
  return c.list;
}
