/* holoanim Node addon: what a cue does, as the core says.
 *
 * goCue(n) fires cue n through the core's one cue interpreter (the show
 * layer's ha_show_cue_ops, whose live sink queues the operations on the
 * player) and returns {number, name, effects}; cueEffects(n) lists the
 * effects without firing; actionTag(n, a) is the tag the show compiled for
 * action a of cue n. Each operation becomes one object: {action, type:
 * 'start' | 'stopAnimation' | 'stopTrack' | 'goto', tag, tracks, ...} with
 * the tags the show was compiled with, so JavaScript never re-derives a tag
 * (the web server's runtime uses them to know which animation owns which
 * track).
 *
 * goCue takes op_mu once: it finds the cue, copies its operations into a C
 * array and fires it; the JS values are built after the unlock (no N-API
 * call under the lock). The listing comes first, so a listing that fails
 * (out of memory) throws before anything ran, and a cue that ran always
 * returns its effects. The copied operations point into the show's arrays:
 * p->show changes only on the JS thread (loadShow, replaceShow), so they
 * stay valid until the call returns. */
#include "player_internal.h"

#include <stdio.h>
#include <stdlib.h>

/* The operations of one cue, copied out of the show. */
typedef struct cue_op_list {
  ha_show_op *ops;
  size_t n, cap;
} cue_op_list;

static ha_status cue_op_collect(void *user, const ha_show_op *op, ha_error *err) {
  (void)err;
  cue_op_list *l = user;
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 16;
    ha_show_op *ops = realloc(l->ops, cap * sizeof(*ops));
    if (ops == NULL) {
      return HA_ENOMEM;
    }
    l->ops = ops;
    l->cap = cap;
  }
  l->ops[l->n++] = *op;
  return HA_OK;
}

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

/* The effects array of the copied operations. */
static napi_value cue_effect_list(napi_env env, const ha_show *show, const cue_op_list *l) {
  napi_value list;
  NAPI_CALL(env, napi_create_array_with_length(env, l->n, &list));
  for (size_t i = 0; i < l->n; i++) {
    napi_value o;
    NAPI_CALL(env, napi_create_object(env, &o));
    if (!ha_node_set_number(env, o, "action", (double)l->ops[i].action) ||
        !cue_effect_fields(env, show, &l->ops[i], o)) {
      return NULL;
    }
    NAPI_CALL(env, napi_set_element(env, list, (uint32_t)i, o));
  }
  return list;
}

/* The cue number argument: "cue must be a number" when missing. */
static bool cue_number(napi_env env, const ha_node_call *c, double *out) {
  if (c->argc > 0 && !ha_node_is_nullish(env, c->argv[0])) {
    return ha_node_get_number(env, c->argv[0], "cue", out);
  }
  ha_node_type_error(env, "cue must be a number");
  return false;
}

/* The error of a cue that is not there (ESTATE without a show). */
static napi_value throw_no_cue(napi_env env, const ha_show *show, const char *method,
                               double number) {
  ha_error err;
  ha_error_clear(&err);
  snprintf(err.name, sizeof(err.name), "cue");
  if (show != NULL) {
    err.kind = HA_ERROR_INVALID_PARAMETER;
    err.category = HA_CATEGORY_STATE;
    snprintf(err.value, sizeof(err.value), "%g", number);
    snprintf(err.reason, sizeof(err.reason), "the show has no such cue");
    snprintf(err.message, sizeof(err.message), "cue: the show has no cue %g", number);
    return ha_node_throw(env, HA_ENOTFOUND, &err, NULL);
  }
  snprintf(err.message, sizeof(err.message), "%s: no show is loaded", method);
  return ha_node_throw(env, HA_ESTATE, &err, NULL);
}

/* goCue(number) → {number, name, effects}: fire the cue (the core queues
 * its operations on the player) and say what it did. */
static napi_value player_go_cue(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  double number;
  if (!cue_number(env, c, &number)) {
    return NULL;
  }
  cue_op_list ops = {NULL, 0, 0};
  ha_error err;
  ha_error_clear(&err);
  ha_status st = HA_OK;
  size_t idx = SIZE_MAX;
  pthread_mutex_lock(&p->op_mu);
  const ha_show *show = p->show;
  if (show != NULL && !p->closed) {
    idx = ha_show_cue_find(show, number);
    if (idx != SIZE_MAX) {
      st = ha_show_cue_ops(show, idx, cue_op_collect, &ops, NULL);
    }
  }
  if (st == HA_OK) {
    /* reports no show, no cue and a closed player itself */
    st = ha_node_player_fire_cue(p, number, "api", &idx, &err);
  } else {
    snprintf(err.message, sizeof(err.message), "goCue: listing cue %g: %s", number,
             ha_strerror(st));
  }
  pthread_mutex_unlock(&p->op_mu);
  if (st != HA_OK) {
    free(ops.ops);
    return ha_node_throw(env, st, &err, NULL);
  }
  size_t nc = 0;
  const ha_show_cue *cue = &ha_show_cues(show, &nc)[idx];
  napi_value r = NULL, effects = cue_effect_list(env, show, &ops);
  free(ops.ops);
  if (effects == NULL) {
    return NULL;
  }
  NAPI_CALL(env, napi_create_object(env, &r));
  if (!ha_node_set_number(env, r, "number", cue->number) ||
      !ha_node_set_string(env, r, "name", cue->name) ||
      !ha_node_set_value(env, r, "effects", effects)) {
    return NULL;
  }
  return r;
}

/* cueEffects(number) → what goCue(number) would do, without firing it. */
static napi_value player_cue_effects(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  double number;
  if (!cue_number(env, c, &number)) {
    return NULL;
  }
  cue_op_list ops = {NULL, 0, 0};
  ha_status st = HA_OK;
  pthread_mutex_lock(&p->op_mu);
  const ha_show *show = p->show;
  size_t idx = show != NULL ? ha_show_cue_find(show, number) : SIZE_MAX;
  if (idx != SIZE_MAX) {
    st = ha_show_cue_ops(show, idx, cue_op_collect, &ops, NULL);
  }
  pthread_mutex_unlock(&p->op_mu);
  if (st != HA_OK) {
    free(ops.ops);
    return ha_node_throw(env, st, NULL, "cueEffects");
  }
  if (idx == SIZE_MAX) {
    return throw_no_cue(env, show, "cueEffects", number);
  }
  napi_value list = cue_effect_list(env, show, &ops);
  free(ops.ops);
  return list;
}

/* actionTag(number, action) → the tag action `action` of cue `number`
 * starts (the show's compiled ha_show_action.tag), null for an action that
 * starts nothing; ENOTFOUND when the cue or the action is not there. */
static napi_value player_action_tag(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  double number;
  uint32_t action;
  if (!cue_number(env, c, &number) ||
      !ha_node_get_u32(env, c->argc > 1 ? c->argv[1] : NULL, "action", 0, UINT32_MAX, &action)) {
    return NULL;
  }
  pthread_mutex_lock(&p->op_mu);
  const ha_show *show = p->show;
  size_t idx = show != NULL ? ha_show_cue_find(show, number) : SIZE_MAX;
  size_t nc = 0, count = 0;
  uint32_t tag = HA_SHOW_NO_TAG;
  if (idx != SIZE_MAX) {
    const ha_show_cue *cue = &ha_show_cues(show, &nc)[idx];
    count = cue->action_count;
    if (action < count) {
      tag = cue->actions[action].tag;
    }
  }
  pthread_mutex_unlock(&p->op_mu);
  if (idx == SIZE_MAX) {
    return throw_no_cue(env, show, "actionTag", number);
  }
  if (action >= count) {
    ha_error err;
    ha_error_clear(&err);
    err.kind = HA_ERROR_INVALID_PARAMETER;
    err.category = HA_CATEGORY_STATE;
    snprintf(err.name, sizeof(err.name), "action");
    snprintf(err.value, sizeof(err.value), "%u", action);
    snprintf(err.reason, sizeof(err.reason), "the cue has %zu actions", count);
    snprintf(err.message, sizeof(err.message), "action: cue %g has no action %u", number, action);
    return ha_node_throw(env, HA_ENOTFOUND, &err, NULL);
  }
  napi_value r;
  if (tag == HA_SHOW_NO_TAG) {
    NAPI_CALL(env, napi_get_null(env, &r));
  } else {
    NAPI_CALL(env, napi_create_uint32(env, tag, &r));
  }
  return r;
}

const ha_node_method ha_node_player_cue_methods[] = {
    {"goCue", player_go_cue, PLAYER_OPEN},
    {"cueEffects", player_cue_effects, PLAYER_OPEN},
    {"actionTag", player_action_tag, PLAYER_OPEN},
};
const size_t ha_node_player_cue_method_count =
    sizeof(ha_node_player_cue_methods) / sizeof(ha_node_player_cue_methods[0]);
