/* holoanim Node addon: the Player's control operations.
 *
 * Every control call (play, seek, startAnimation, goto, updateState, ...)
 * becomes one `update`: parsed from JS on the JS thread (parse_update for
 * objects, one small run_*_op helper per argument shape for the positional
 * methods), then applied (apply_update) either at once or
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

enum {
  U_PLAY = 1,
  U_PAUSE,
  U_STOP,
  U_SEEK,
  U_SPEED,
  U_CUE,
  U_PANIC,
  U_START,
  U_STOP_ANIM,
  U_STOP_TRACK,
  U_REPLACE,
  U_GOTO,
  U_SET_BASE,
  U_ECHO,
  U_FLAGS
};

/* One control operation, parsed on the JS thread, applied on any thread. */
typedef struct update {
  int type;
  double a;     /* time, speed, fade, cue number, duration */
  double delay; /* goto */
  uint32_t id;  /* tag or track */
  ha_vec3 v;
  ha_easing easing;
  bool aed;
  char model[64];
  ha_params *params; /* owned */
  ha_timing timing;
  uint32_t *tracks; /* owned */
  size_t ntracks;
  ha_anim_spec spec;
  unsigned flags; /* setTrackFlags: HA_TRACK_* */
} update;

/* ---- applying control operations ---------------------------------------------------------- */

static void update_deinit(update *u) {
  ha_params_destroy(u->params);
  u->params = NULL;
  free(u->tracks);
  u->tracks = NULL;
}

static void push_cue_event(ha_node_player *p, double number, const char *name, const char *source) {
  node_event e;
  memset(&e, 0, sizeof(e));
  e.type = NE_CUE;
  ha_player_status s;
  ha_player_get_status(p->player, &s);
  e.time = s.time;
  e.cue = number;
  snprintf(e.name, sizeof(e.name), "%s", name ? name : "");
  snprintf(e.source, sizeof(e.source), "%s", source ? source : "api");
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

ha_status ha_node_player_fire_cue(ha_node_player *p, double number, const char *source,
                                  size_t *index, ha_error *err) {
  ha_error_clear(err);
  if (p->closed || p->player == NULL) {
    return not_running(err, "player");
  }
  if (p->show == NULL) {
    snprintf(err->message, sizeof(err->message), "goCue: no show is loaded");
    return HA_ESTATE;
  }
  size_t idx = ha_show_cue_find(p->show, number);
  if (idx == SIZE_MAX) {
    err->kind = HA_ERROR_INVALID_PARAMETER;
    err->category = HA_CATEGORY_STATE;
    snprintf(err->name, sizeof(err->name), "cue");
    snprintf(err->value, sizeof(err->value), "%g", number);
    snprintf(err->reason, sizeof(err->reason), "the show has no such cue");
    snprintf(err->message, sizeof(err->message), "cue: the show has no cue %g", number);
    return HA_ENOTFOUND;
  }
  ha_status st = ha_show_player_fire_cue(p->show, p->player, idx, err);
  if (st == HA_OK) {
    size_t nc = 0;
    const ha_show_cue *cues = ha_show_cues(p->show, &nc);
    push_cue_event(p, cues[idx].number, cues[idx].name, source);
  }
  *index = idx;
  return op_status(st, err, "cue", "cannot fire");
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
    size_t idx;
    st = ha_node_player_fire_cue(p, u->a, "api", &idx, err);
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
  case U_FLAGS:
    st = op_status(ha_player_set_track_flags(hp, u->id, u->flags), err, "flags", "cannot set");
    break;
  default: st = HA_EINVAL; break;
  }
  pthread_mutex_unlock(&p->op_mu);
  return st;
}

/* ---- parsing operations (JS thread) ---------------------------------------------------------- */

/* The longest fade the engine accepts (ha_player_stop, stopAnimation,
 * stopTrack, an animation's fadeIn), seconds. */
#define FADE_MAX 3600.0

/* The number argument `name` of a transport or animation command, checked
 * against the range the player accepts, so that a value outside it is a
 * RangeError at the call (not a HoloanimError, nor a command that fails
 * later on the tick). */
static bool get_op_number(napi_env env, napi_value v, const char *name, double *out) {
  static const struct {
    const char *name;
    double min, max;
  } ranges[] = {
      {"time", -HA_SEEK_MAX, HA_SEEK_MAX},
      {"speed", HA_SPEED_MIN, HA_SPEED_MAX},
      {"fade", 0.0, FADE_MAX},
      {"fadeIn", 0.0, FADE_MAX},
      {"duration", 0.0, HA_DURATION_MAX},
      {"delay", 0.0, HA_DURATION_MAX},
  };
  for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
    if (strcmp(ranges[i].name, name) == 0) {
      return ha_node_get_number_in(env, v, name, ranges[i].min, ranges[i].max, out);
    }
  }
  return ha_node_get_number(env, v, name, out);
}

/* An optional property read by get_op_number. */
static bool opt_op_number(napi_env env, napi_value o, const char *key, double *out) {
  napi_value v;
  bool found;
  if (!ha_node_get_prop(env, o, key, &v, &found)) {
    return false;
  }
  return !found || get_op_number(env, v, key, out);
}

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

/* The group options (ha_node_get_group_options), fadeIn and fromBase. */
static bool get_spec(napi_env env, napi_value o, ha_anim_spec *spec) {
  return ha_node_get_group_options(env, o, "mode", "", spec) &&
         opt_op_number(env, o, "fadeIn", &spec->fade_in) &&
         ha_node_opt_bool(env, o, "fromBase", &spec->from_base);
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
  return opt_op_number(env, o, "fade", &u->a);
}

static bool get_goto(napi_env env, napi_value o, update *u) {
  char ease[64];
  bool found = false;
  u->easing = HA_EASE_LINEAR;
  if (!opt_op_number(env, o, "duration", &u->a) || !opt_op_number(env, o, "delay", &u->delay) ||
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
    return NEED("time", get_op_number(env, v, "time", &u->a));
  } else if (strcmp(type, "setSpeed") == 0) {
    u->type = U_SPEED;
    return NEED("speed", get_op_number(env, v, "speed", &u->a));
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

/* method(arg?) with at most one number argument (arg NULL: none): u.a is
 * the argument, `def` when it is not given (a TypeError when `required`). */
static napi_value run_number_op(napi_env env, const ha_node_call *c, int type, const char *arg,
                                bool required, double def) {
  update u;
  memset(&u, 0, sizeof(u));
  u.type = type;
  u.a = def;
  if (arg != NULL) {
    if (c->argc > 0 && !ha_node_is_nullish(env, c->argv[0])) {
      if (!get_op_number(env, c->argv[0], arg, &u.a)) {
        return NULL;
      }
    } else if (required) {
      return ha_node_type_error(env, "%s must be a number", arg);
    }
  }
  return update_apply_sync(env, c->self, &u);
}

/* method(id, fade?): `arg` names the id, whose smallest value is min_id
 * (tags 0, tracks 1). */
static napi_value run_id_fade_op(napi_env env, const ha_node_call *c, int type, const char *arg,
                                 uint32_t min_id) {
  update u;
  memset(&u, 0, sizeof(u));
  u.type = type;
  if (!ha_node_get_u32(env, c->argc > 0 ? c->argv[0] : NULL, arg, min_id, UINT32_MAX, &u.id) ||
      (c->argc > 1 && !ha_node_is_nullish(env, c->argv[1]) &&
       !get_op_number(env, c->argv[1], "fade", &u.a))) {
    return NULL;
  }
  return update_apply_sync(env, c->self, &u);
}

/* method(track, [x, y, z]), and goto's options object third. */
static napi_value run_track_pos_op(napi_env env, const ha_node_call *c, int type) {
  update u;
  memset(&u, 0, sizeof(u));
  u.type = type;
  if (!ha_node_get_u32(env, c->argc > 0 ? c->argv[0] : NULL, "track", 1, UINT32_MAX, &u.id) ||
      !ha_node_get_vec3(env, c->argc > 1 ? c->argv[1] : NULL, "position", &u.v)) {
    return NULL;
  }
  if (type == U_GOTO && c->argc > 2 && !ha_node_is_nullish(env, c->argv[2])) {
    if (!ha_node_is_type(env, c->argv[2], napi_object)) {
      return ha_node_type_error(env, "goto options must be an object");
    }
    if (!get_goto(env, c->argv[2], &u)) {
      return NULL;
    }
  }
  return update_apply_sync(env, c->self, &u);
}

/* method({...}): parse_update of a copy of the options with `type` set. */
static napi_value run_object_op(napi_env env, const ha_node_call *c, const char *method,
                                const char *type) {
  if (c->argc < 1 || !ha_node_is_type(env, c->argv[0], napi_object)) {
    return ha_node_type_error(env, "%s expects an options object", method);
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

static napi_value player_play(napi_env env, const ha_node_call *c) {
  return run_number_op(env, c, U_PLAY, NULL, false, 0.0);
}

static napi_value player_pause(napi_env env, const ha_node_call *c) {
  return run_number_op(env, c, U_PAUSE, NULL, false, 0.0);
}

static napi_value player_panic(napi_env env, const ha_node_call *c) {
  return run_number_op(env, c, U_PANIC, NULL, false, 0.0);
}

static napi_value player_stop(napi_env env, const ha_node_call *c) {
  return run_number_op(env, c, U_STOP, "fade", false, 0.0);
}

static napi_value player_seek(napi_env env, const ha_node_call *c) {
  return run_number_op(env, c, U_SEEK, "time", true, 0.0);
}

static napi_value player_set_speed(napi_env env, const ha_node_call *c) {
  return run_number_op(env, c, U_SPEED, "speed", true, 1.0);
}

static napi_value player_stop_animation(napi_env env, const ha_node_call *c) {
  return run_id_fade_op(env, c, U_STOP_ANIM, "tag", 0);
}

static napi_value player_stop_track(napi_env env, const ha_node_call *c) {
  return run_id_fade_op(env, c, U_STOP_TRACK, "track", 1);
}

static napi_value player_goto(napi_env env, const ha_node_call *c) {
  return run_track_pos_op(env, c, U_GOTO);
}

static napi_value player_set_base(napi_env env, const ha_node_call *c) {
  return run_track_pos_op(env, c, U_SET_BASE);
}

static napi_value player_device_echo(napi_env env, const ha_node_call *c) {
  return run_track_pos_op(env, c, U_ECHO);
}

/* setTrackFlags(track, {mute, solo, lock}): booleans, absent ones false. */
static napi_value player_set_track_flags(napi_env env, const ha_node_call *c) {
  update u;
  memset(&u, 0, sizeof(u));
  u.type = U_FLAGS;
  if (!ha_node_get_u32(env, c->argc > 0 ? c->argv[0] : NULL, "track", 1, UINT32_MAX, &u.id)) {
    return NULL;
  }
  if (c->argc < 2 || !ha_node_is_type(env, c->argv[1], napi_object)) {
    return ha_node_type_error(env, "setTrackFlags expects (track, {mute, solo, lock})");
  }
  static const struct {
    const char *key;
    unsigned bit;
  } keys[] = {{"mute", HA_TRACK_MUTE}, {"solo", HA_TRACK_SOLO}, {"lock", HA_TRACK_LOCK}};
  for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
    napi_value v;
    bool found = false, on = false;
    if (!ha_node_get_prop(env, c->argv[1], keys[i].key, &v, &found) ||
        (found && !ha_node_is_nullish(env, v) && !ha_node_get_bool(env, v, keys[i].key, &on))) {
      return NULL;
    }
    u.flags |= on ? keys[i].bit : 0u;
  }
  return update_apply_sync(env, c->self, &u);
}

/* startAnimation({...}) → tag */
static napi_value player_start_animation(napi_env env, const ha_node_call *c) {
  return run_object_op(env, c, "startAnimation", "startAnimation");
}

/* replaceAnimation({tag, ...}): a setParameter update (nothing merged here). */
static napi_value player_replace_animation(napi_env env, const ha_node_call *c) {
  return run_object_op(env, c, "setParameter", "setParameter");
}

const ha_node_method ha_node_player_op_methods[] = {
    {"play", player_play, PLAYER_OPEN},
    {"pause", player_pause, PLAYER_OPEN},
    {"stop", player_stop, PLAYER_OPEN},
    {"seek", player_seek, PLAYER_OPEN},
    {"setSpeed", player_set_speed, PLAYER_OPEN},
    {"panic", player_panic, PLAYER_OPEN},
    {"startAnimation", player_start_animation, PLAYER_OPEN},
    {"replaceAnimation", player_replace_animation, PLAYER_OPEN},
    {"stopAnimation", player_stop_animation, PLAYER_OPEN},
    {"stopTrack", player_stop_track, PLAYER_OPEN},
    {"goto", player_goto, PLAYER_OPEN},
    {"setBase", player_set_base, PLAYER_OPEN},
    {"deviceEcho", player_device_echo, PLAYER_OPEN},
    {"setTrackFlags", player_set_track_flags, PLAYER_OPEN},
    {"updateState", player_update_state, 0},
};
const size_t ha_node_player_op_method_count =
    sizeof(ha_node_player_op_methods) / sizeof(ha_node_player_op_methods[0]);
