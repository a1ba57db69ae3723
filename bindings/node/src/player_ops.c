/* holoanim Node addon: the Player's control operations.
 *
 * Every control call (play, seek, startAnimation, goto, updateState, ...)
 * becomes one `update`: parsed from JS on the JS thread (parse_update for
 * objects, an op_parse_* function for the positional methods, chosen by the
 * method's player_op), then applied (apply_update) either at once or
 * on the libuv thread pool for updateState, whose promise settles with the
 * result. apply_update takes the operation mutex, so a worker never touches
 * a player that close() destroyed; it holds it for microseconds (a command
 * push, a motion creation), never while the tick runs. Queued-command
 * functions return bare status codes; they get a parameter name and reason
 * here so the JS error says what was wrong. */
#include "player_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- applying control operations ---------------------------------------------------------- */

static void update_deinit(update *u) {
  ha_params_destroy(u->params);
  u->params = NULL;
  free(u->tracks);
  u->tracks = NULL;
}

static void push_cue_event(ha_node_player *p, double number, const char *name) {
  node_event e;
  memset(&e, 0, sizeof(e));
  e.type = NE_CUE;
  ha_player_status s;
  ha_player_get_status(p->player, &s);
  e.time = s.time;
  e.cue = number;
  snprintf(e.name, sizeof(e.name), "%s", name ? name : "");
  ha_node_player_post_event(p, &e);
}

static ha_status not_running(ha_error *err, const char *what) {
  ha_error_clear(err);
  err->kind = HA_ERROR_INVALID_PARAMETER;
  err->category = HA_CATEGORY_STATE;
  snprintf(err->name, sizeof(err->name), "%s", what);
  snprintf(err->reason, sizeof(err->reason), "the player is closed");
  snprintf(err->message, sizeof(err->message), "%s: the player is closed", what);
  return HA_ESTATE;
}

/* A status from a queued-command function (they return bare codes). */
static ha_status op_status(ha_status st, ha_error *err, const char *what, const char *why) {
  if (st != HA_OK && err->message[0] == '\0') {
    err->status = st;
    err->kind = st == HA_EAGAIN ? HA_ERROR_RESOURCE_EXHAUSTED : HA_ERROR_INVALID_PARAMETER;
    err->category = HA_CATEGORY_STATE;
    snprintf(err->name, sizeof(err->name), "%s", what);
    snprintf(err->reason, sizeof(err->reason), "%s",
             st == HA_EAGAIN ? "the command queue is full" : why);
    snprintf(err->message, sizeof(err->message), "%s: %s", what, err->reason);
  }
  return st;
}

/* Apply one operation. Any thread; takes op_mu. `*tag_out` receives the
 * tag of a started animation. */
static ha_status apply_update(ha_node_player *p, update *u, ha_error *err) {
  ha_error_clear(err);
  pthread_mutex_lock(&p->op_mu);
  ha_status st = HA_OK;
  ha_player *hp = p->player;
  if (p->closed || hp == NULL) {
    pthread_mutex_unlock(&p->op_mu);
    return not_running(err, "player");
  }
  switch (u->type) {
  case U_PLAY:
    if (p->show != NULL && !p->autostarted) {
      st = ha_show_player_play(p->show, hp, err);
      p->autostarted = st == HA_OK;
    } else {
      st = ha_player_play(hp);
    }
    st = op_status(st, err, "play", "cannot play");
    break;
  case U_PAUSE: st = op_status(ha_player_pause(hp), err, "pause", "cannot pause"); break;
  case U_STOP:
    st = op_status(ha_player_stop(hp, u->a), err, "fade", "must be in [0, 3600] s");
    if (st == HA_OK) {
      p->autostarted = false;
    }
    break;
  case U_SEEK:
    st = op_status(ha_player_seek(hp, u->a), err, "time", "must be finite, |t| <= 1e9 s");
    break;
  case U_SPEED:
    st = op_status(ha_player_set_speed(hp, u->a), err, "speed", "must be in [0.001, 1000]");
    break;
  case U_PANIC: st = op_status(ha_player_panic(hp), err, "panic", "cannot panic"); break;
  case U_CUE: {
    if (p->show == NULL) {
      st = HA_ESTATE;
      snprintf(err->message, sizeof(err->message), "goCue: no show is loaded");
      break;
    }
    size_t idx = ha_show_cue_find(p->show, u->a);
    if (idx == SIZE_MAX) {
      st = HA_ENOTFOUND;
      err->kind = HA_ERROR_INVALID_PARAMETER;
      err->category = HA_CATEGORY_STATE;
      snprintf(err->name, sizeof(err->name), "cue");
      snprintf(err->value, sizeof(err->value), "%g", u->a);
      snprintf(err->reason, sizeof(err->reason), "the show has no such cue");
      snprintf(err->message, sizeof(err->message), "cue: the show has no cue %g", u->a);
      break;
    }
    st = ha_show_player_fire_cue(p->show, hp, idx, err);
    if (st == HA_OK) {
      size_t nc = 0;
      const ha_show_cue *cues = ha_show_cues(p->show, &nc);
      ha_metrics_add(ha_player_metrics(hp), HA_COUNTER_CUES, 1);
      push_cue_event(p, cues[idx].number, cues[idx].name);
    }
    st = op_status(st, err, "cue", "cannot fire");
    break;
  }
  case U_START:
  case U_REPLACE: {
    ha_motion *m = NULL;
    st = ha_motion_create(u->model, u->params, &u->timing, &m, err);
    if (st != HA_OK) {
      break;
    }
    if (u->type == U_START) {
      st = ha_player_start_animation(hp, u->id, m, &u->spec, u->tracks, u->ntracks);
      st = op_status(st, err, "tracks", "needs 1 to maxTracks tracks");
    } else {
      st = ha_player_update_animation(hp, u->id, m);
      st = op_status(st, err, "tag", "unknown animation");
    }
    break;
  }
  case U_STOP_ANIM:
    st =
        op_status(ha_player_stop_animation(hp, u->id, u->a), err, "fade", "must be in [0, 3600] s");
    break;
  case U_STOP_TRACK:
    st = op_status(ha_player_stop_track(hp, u->id, u->a), err, "fade", "must be in [0, 3600] s");
    break;
  case U_GOTO:
    st = op_status(ha_player_goto(hp, u->id, u->v, u->a, u->easing, u->aed, u->delay), err, "goto",
                   "duration and delay must be in [0, 1e6] s");
    break;
  case U_SET_BASE:
    st = op_status(ha_player_set_base(hp, u->id, u->v), err, "position", "must be finite");
    break;
  case U_ECHO:
    st = op_status(ha_player_device_echo(hp, u->id, u->v), err, "position", "must be finite");
    break;
  default: st = HA_EINVAL; break;
  }
  pthread_mutex_unlock(&p->op_mu);
  return st;
}

/* ---- parsing operations (JS thread) ---------------------------------------------------------- */

static bool get_tracks(napi_env env, napi_value v, update *u) {
  bool arr = false;
  napi_typedarray_type type = napi_uint32_array;
  size_t len = 0;
  void *data = NULL;
  bool typed = ha_node_typedarray(env, v, &type, &len, &data);
  NAPI_CALL_B(env, napi_is_array(env, v, &arr));
  if ((!typed && !arr) || type != napi_uint32_array) {
    ha_node_type_error(env, "tracks must be an array of track ids or a Uint32Array");
    return false;
  }
  if (arr) {
    uint32_t n;
    NAPI_CALL_B(env, napi_get_array_length(env, v, &n));
    len = n;
  }
  u->tracks = malloc((len ? len : 1) * sizeof(uint32_t));
  if (u->tracks == NULL) {
    ha_node_throw(env, HA_ENOMEM, NULL, "tracks");
    return false;
  }
  u->ntracks = len;
  if (typed) {
    memcpy(u->tracks, data, len * sizeof(uint32_t));
    return true;
  }
  for (uint32_t i = 0; i < (uint32_t)len; i++) {
    napi_value e;
    char what[32];
    snprintf(what, sizeof(what), "tracks[%u]", i);
    NAPI_CALL_B(env, napi_get_element(env, v, i, &e));
    if (!ha_node_get_u32(env, e, what, 1, UINT32_MAX, &u->tracks[i])) {
      return false;
    }
  }
  return true;
}

static bool get_spec(napi_env env, napi_value o, ha_anim_spec *spec) {
  char s[32];
  bool found = false;
  napi_value v;
  if (!ha_node_opt_string(env, o, "mode", s, sizeof(s), &found)) {
    return false;
  }
  if (found) {
    ha_error err;
    ha_status st = ha_group_mode_parse(s, &spec->mode, &err);
    if (st != HA_OK) {
      ha_node_throw(env, st, &err, "mode");
      return false;
    }
  }
  if (!ha_node_opt_number(env, o, "phaseOffset", &spec->phase_offset) ||
      !ha_node_opt_number(env, o, "fadeIn", &spec->fade_in) ||
      !ha_node_opt_bool(env, o, "phaseSpread", &spec->phase_spread) ||
      !ha_node_opt_bool(env, o, "rotateFormation", &spec->rotate_formation) ||
      !ha_node_opt_number(env, o, "spreadRadius", &spec->spread_radius) ||
      !ha_node_opt_string(env, o, "mirrorAxis", s, sizeof(s), &found)) {
    return false;
  }
  if (found) {
    if (strlen(s) != 1 || strchr("xyz", s[0]) == NULL) {
      ha_node_range_error(env, "mirrorAxis must be 'x', 'y' or 'z'");
      return false;
    }
    spec->mirror_axis = s[0];
  }
  if (!ha_node_get_prop(env, o, "centerPoint", &v, &found)) {
    return false;
  }
  return !found || ha_node_get_vec3(env, v, "centerPoint", &spec->center_point);
}

/* The motion of a start/replace: {motion} or {model, params, timing}. */
static bool get_anim_source(napi_env env, napi_value o, update *u) {
  napi_value v;
  bool found;
  if (!ha_node_get_prop(env, o, "motion", &v, &found)) {
    return false;
  }
  ha_node_pattern pat;
  if (!ha_node_get_pattern(env, found ? v : o, found ? "motion" : "animation", &pat)) {
    return false;
  }
  if (pat.motion != NULL) {
    const ha_motion *m = ha_node_motion_get(pat.motion);
    snprintf(u->model, sizeof(u->model), "%s", ha_motion_model(m)->name);
    u->timing = ha_motion_timing(m);
    ha_status st = ha_params_clone(ha_motion_params(m), &u->params);
    if (st != HA_OK) {
      ha_node_throw(env, st, NULL, "motion");
      return false;
    }
    return true;
  }
  memcpy(u->model, pat.model, sizeof(u->model));
  u->params = pat.params; /* ownership moves */
  u->timing = pat.timing;
  return true;
}

static bool get_fade(napi_env env, napi_value o, update *u) {
  u->a = 0.0;
  return ha_node_opt_number(env, o, "fade", &u->a);
}

static bool get_goto(napi_env env, napi_value o, update *u) {
  char ease[64];
  bool found = false;
  u->easing = HA_EASE_LINEAR;
  if (!ha_node_opt_number(env, o, "duration", &u->a) ||
      !ha_node_opt_number(env, o, "delay", &u->delay) ||
      !ha_node_opt_bool(env, o, "aed", &u->aed) ||
      !ha_node_opt_string(env, o, "easing", ease, sizeof(ease), &found)) {
    return false;
  }
  if (found) {
    ha_error err;
    ha_status st = ha_easing_parse(ease, &u->easing, "easing", &err);
    if (st != HA_OK) {
      ha_node_throw(env, st, &err, "easing");
      return false;
    }
  }
  return true;
}

/* {type, ...} → update. */
static bool parse_update(napi_env env, ha_node_player *p, napi_value o, update *u) {
  memset(u, 0, sizeof(*u));
  u->spec = ha_anim_spec_default();
  u->timing = ha_timing_default();
  if (!ha_node_is_type(env, o, napi_object)) {
    ha_node_type_error(env, "update must be an object {type, ...}");
    return false;
  }
  char type[32];
  napi_value v;
  bool found;
  if (!ha_node_get_prop(env, o, "type", &v, &found)) {
    return false;
  }
  if (!found || !ha_node_get_string(env, v, "update.type", type, sizeof(type))) {
    if (!found) {
      ha_node_type_error(env, "update.type must be a string");
    }
    return false;
  }
#define NEED(key, getter)                                                                      \
  (ha_node_get_prop(env, o, key, &v, &found) &&                                                \
   (found || (ha_node_type_error(env, "update.%s is required for '%s'", key, type), false)) && \
   (getter))
  if (strcmp(type, "play") == 0) {
    u->type = U_PLAY;
  } else if (strcmp(type, "pause") == 0) {
    u->type = U_PAUSE;
  } else if (strcmp(type, "panic") == 0) {
    u->type = U_PANIC;
  } else if (strcmp(type, "stop") == 0) {
    u->type = U_STOP;
    return get_fade(env, o, u);
  } else if (strcmp(type, "seek") == 0) {
    u->type = U_SEEK;
    return NEED("time", ha_node_get_number(env, v, "time", &u->a));
  } else if (strcmp(type, "setSpeed") == 0) {
    u->type = U_SPEED;
    return NEED("speed", ha_node_get_number(env, v, "speed", &u->a));
  } else if (strcmp(type, "goCue") == 0) {
    u->type = U_CUE;
    return NEED("cue", ha_node_get_number(env, v, "cue", &u->a));
  } else if (strcmp(type, "startAnimation") == 0) {
    u->type = U_START;
    u->id = p->next_tag;
    if (!ha_node_opt_u32(env, o, "tag", 0, UINT32_MAX, &u->id) ||
        !NEED("tracks", get_tracks(env, v, u)) || !get_spec(env, o, &u->spec) ||
        !get_anim_source(env, o, u)) {
      return false;
    }
    napi_value tv;
    if (!ha_node_get_prop(env, o, "tag", &tv, &found)) {
      return false;
    }
    if (!found) {
      p->next_tag++;
    }
    return true;
  } else if (strcmp(type, "setParameter") == 0 || strcmp(type, "replaceAnimation") == 0) {
    u->type = U_REPLACE;
    return NEED("tag", ha_node_get_u32(env, v, "tag", 0, UINT32_MAX, &u->id)) &&
           get_anim_source(env, o, u);
  } else if (strcmp(type, "stopAnimation") == 0) {
    u->type = U_STOP_ANIM;
    return NEED("tag", ha_node_get_u32(env, v, "tag", 0, UINT32_MAX, &u->id)) &&
           get_fade(env, o, u);
  } else if (strcmp(type, "stopTrack") == 0) {
    u->type = U_STOP_TRACK;
    return NEED("track", ha_node_get_u32(env, v, "track", 1, UINT32_MAX, &u->id)) &&
           get_fade(env, o, u);
  } else if (strcmp(type, "goto") == 0) {
    u->type = U_GOTO;
    return NEED("track", ha_node_get_u32(env, v, "track", 1, UINT32_MAX, &u->id)) &&
           NEED("position", ha_node_get_vec3(env, v, "position", &u->v)) && get_goto(env, o, u);
  } else if (strcmp(type, "setBase") == 0 || strcmp(type, "deviceEcho") == 0) {
    u->type = type[0] == 's' ? U_SET_BASE : U_ECHO;
    return NEED("track", ha_node_get_u32(env, v, "track", 1, UINT32_MAX, &u->id)) &&
           NEED("position", ha_node_get_vec3(env, v, "position", &u->v));
  } else {
    ha_node_type_error(env,
                       "update.type '%s' is not one of play, pause, stop, seek, setSpeed, goCue, "
                       "panic, startAnimation, stopAnimation, stopTrack, setParameter, goto, "
                       "setBase, deviceEcho",
                       type);
    return false;
  }
#undef NEED
  return true;
}

/* What an applied update returns to JS: the tag of a started animation,
 * undefined otherwise. */
static napi_value update_result(napi_env env, const update *u) {
  napi_value r;
  if (u->type == U_START) {
    NAPI_CALL(env, napi_create_uint32(env, u->id, &r));
  } else {
    NAPI_CALL(env, napi_get_undefined(env, &r));
  }
  return r;
}

/* Run an update synchronously; throw on failure; return the tag for starts. */
static napi_value update_apply_sync(napi_env env, ha_node_player *p, update *u) {
  ha_error err;
  ha_status st = apply_update(p, u, &err);
  napi_value r = st == HA_OK ? update_result(env, u) : ha_node_throw(env, st, &err, NULL);
  update_deinit(u);
  return r;
}

/* ---- updateState (async) --------------------------------------------------------------------- */

typedef struct update_work {
  napi_async_work work;
  napi_deferred deferred;
  ha_node_player *p;
  update u;
  ha_status status;
  ha_error err;
} update_work;

static void update_execute(napi_env env, void *data) {
  (void)env;
  update_work *w = data;
  w->status = apply_update(w->p, &w->u, &w->err);
}

static void update_complete(napi_env env, napi_status status, void *data) {
  update_work *w = data;
  if (env != NULL) {
    bool ok = status == napi_ok && w->status == HA_OK;
    napi_value v = ok ? update_result(env, &w->u)
                      : ha_node_make_error(env, status == napi_ok ? w->status : HA_EINTERNAL,
                                           &w->err, "updateState");
    ha_node_settle(env, w->deferred, v, ok);
    napi_delete_async_work(env, w->work);
  }
  update_deinit(&w->u);
  ha_node_player_unref(w->p);
  free(w);
}

static napi_value player_update_state(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  update_work *w = calloc(1, sizeof(*w));
  if (w == NULL) {
    return ha_node_throw(env, HA_ENOMEM, NULL, "updateState");
  }
  if (!parse_update(env, p, c->argc > 0 ? c->argv[0] : NULL, &w->u)) {
    update_deinit(&w->u);
    free(w);
    return NULL;
  }
  w->p = p;
  napi_value promise;
  napi_status s = napi_create_promise(env, &w->deferred, &promise);
  if (s == napi_ok) {
    s = ha_node_queue_work(env, "holoanim.updateState", update_execute, update_complete, w,
                           &w->work);
  }
  if (s != napi_ok) {
    update_deinit(&w->u);
    free(w);
    return ha_node_napi_fail(env, s, "updateState", __LINE__);
  }
  p->refs++; /* the work's, dropped in update_complete */
  return promise;
}

/* ---- synchronous control methods ----------------------------------------------------------- */

/* What a positional control method does (its ha_node_method.arg): the
 * update type, the parser of its arguments and what the parser needs. */
typedef struct player_op player_op;
struct player_op {
  int type; /* U_* */
  bool (*parse)(napi_env env, const ha_node_call *c, const player_op *op, update *u);
  const char *arg; /* the first argument's name */
  bool required;   /* number methods: it must be given */
  double def;      /* number methods: its value when not given */
  uint32_t min_id; /* id methods: the smallest id (tags 0, tracks 1) */
};

/* play(), pause(), panic(), stop(fade?), seek(time), setSpeed(speed), goCue(cue) */
static bool op_parse_number(napi_env env, const ha_node_call *c, const player_op *op, update *u) {
  if (op->arg == NULL) {
    return true;
  }
  if (c->argc > 0 && !ha_node_is_nullish(env, c->argv[0])) {
    return ha_node_get_number(env, c->argv[0], op->arg, &u->a);
  }
  if (op->required) {
    ha_node_type_error(env, "%s must be a number", op->arg);
    return false;
  }
  return true;
}

/* stopAnimation(tag, fade?), stopTrack(track, fade?) */
static bool op_parse_id_fade(napi_env env, const ha_node_call *c, const player_op *op, update *u) {
  return ha_node_get_u32(env, c->argc > 0 ? c->argv[0] : NULL, op->arg, op->min_id, UINT32_MAX,
                         &u->id) &&
         (c->argc < 2 || ha_node_is_nullish(env, c->argv[1]) ||
          ha_node_get_number(env, c->argv[1], "fade", &u->a));
}

/* goto(track, [x,y,z], options?), setBase(track, [x,y,z]), deviceEcho(track, [x,y,z]) */
static bool op_parse_track_pos(napi_env env, const ha_node_call *c, const player_op *op,
                               update *u) {
  (void)op;
  if (!ha_node_get_u32(env, c->argc > 0 ? c->argv[0] : NULL, "track", 1, UINT32_MAX, &u->id) ||
      !ha_node_get_vec3(env, c->argc > 1 ? c->argv[1] : NULL, "position", &u->v)) {
    return false;
  }
  if (u->type != U_GOTO || c->argc < 3 || ha_node_is_nullish(env, c->argv[2])) {
    return true;
  }
  if (!ha_node_is_type(env, c->argv[2], napi_object)) {
    ha_node_type_error(env, "goto options must be an object");
    return false;
  }
  return get_goto(env, c->argv[2], u);
}

static napi_value player_positional_op(napi_env env, const ha_node_call *c) {
  const player_op *op = c->method->arg;
  update u;
  memset(&u, 0, sizeof(u));
  u.type = op->type;
  u.a = op->def;
  if (!op->parse(env, c, op, &u)) {
    return NULL;
  }
  return update_apply_sync(env, c->self, &u);
}

/* goCue(number) → what it did: fire the cue (the core queues its
 * operations on the player), then list them with the show's tags. */
static napi_value player_go_cue(napi_env env, const ha_node_call *c) {
  update u;
  memset(&u, 0, sizeof(u));
  if (!op_parse_number(env, c, c->method->arg, &u)) {
    return NULL;
  }
  napi_value done = player_positional_op(env, c);
  bool pending = false;
  NAPI_CALL(env, napi_is_exception_pending(env, &pending));
  return done == NULL || pending ? NULL : ha_node_cue_effects(env, c->self, u.a);
}

/* cueEffects(number) → what goCue(number) would do, without firing it. */
static napi_value player_cue_effects(napi_env env, const ha_node_call *c) {
  update u;
  memset(&u, 0, sizeof(u));
  return op_parse_number(env, c, c->method->arg, &u) ? ha_node_cue_effects(env, c->self, u.a)
                                                     : NULL;
}

/* startAnimation({...}) → tag, replaceAnimation({...}) = setParameter:
 * parse_update of a copy of the options with the type forced (arg). */
static napi_value player_object_op(napi_env env, const ha_node_call *c) {
  const char *type = c->method->arg;
  if (c->argc < 1 || !ha_node_is_type(env, c->argv[0], napi_object)) {
    return ha_node_type_error(env, "%s expects an options object", type);
  }
  napi_value o = ha_node_assign(env, c->argv[0], NULL);
  if (o == NULL || !ha_node_set_string(env, o, "type", type)) {
    return NULL;
  }
  update u;
  if (!parse_update(env, c->self, o, &u)) {
    update_deinit(&u);
    return NULL;
  }
  return update_apply_sync(env, c->self, &u);
}

/* {type, parse, arg, required, def, min_id} */
static const player_op op_play = {U_PLAY, op_parse_number, NULL, false, 0.0, 0};
static const player_op op_pause = {U_PAUSE, op_parse_number, NULL, false, 0.0, 0};
static const player_op op_panic = {U_PANIC, op_parse_number, NULL, false, 0.0, 0};
static const player_op op_stop = {U_STOP, op_parse_number, "fade", false, 0.0, 0};
static const player_op op_seek = {U_SEEK, op_parse_number, "time", true, 0.0, 0};
static const player_op op_speed = {U_SPEED, op_parse_number, "speed", true, 1.0, 0};
static const player_op op_cue = {U_CUE, op_parse_number, "cue", true, 0.0, 0};
static const player_op op_stop_anim = {U_STOP_ANIM, op_parse_id_fade, "tag", false, 0.0, 0};
static const player_op op_stop_track = {U_STOP_TRACK, op_parse_id_fade, "track", false, 0.0, 1};
static const player_op op_goto = {U_GOTO, op_parse_track_pos, NULL, false, 0.0, 0};
static const player_op op_set_base = {U_SET_BASE, op_parse_track_pos, NULL, false, 0.0, 0};
static const player_op op_echo = {U_ECHO, op_parse_track_pos, NULL, false, 0.0, 0};

#define OP(name, op) \
  { name, player_positional_op, op, PLAYER_OPEN }

const ha_node_method ha_node_player_op_methods[] = {
    OP("play", &op_play),
    OP("pause", &op_pause),
    OP("stop", &op_stop),
    OP("seek", &op_seek),
    OP("setSpeed", &op_speed),
    {"goCue", player_go_cue, &op_cue, PLAYER_OPEN},
    {"cueEffects", player_cue_effects, &op_cue, PLAYER_OPEN},
    OP("panic", &op_panic),
    {"startAnimation", player_object_op, "startAnimation", PLAYER_OPEN},
    {"replaceAnimation", player_object_op, "setParameter", PLAYER_OPEN},
    OP("stopAnimation", &op_stop_anim),
    OP("stopTrack", &op_stop_track),
    OP("goto", &op_goto),
    OP("setBase", &op_set_base),
    OP("deviceEcho", &op_echo),
    {"updateState", player_update_state, NULL, 0},
};
const size_t ha_node_player_op_method_count =
    sizeof(ha_node_player_op_methods) / sizeof(ha_node_player_op_methods[0]);
