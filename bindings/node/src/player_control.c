/* holoanim Node addon: the Player's OSC control port (openControl).
 *
 * openControl({port, bind, allow, allowLoopback}) starts the library's
 * control input (ha_control: its own thread) for this player, as `holoanim
 * play --control` does: /holoanim/play|pause|stop|seek|speed|panic, a cue
 * by number (/holoanim/cue/go n) or by the show's own `osc` address (an OSC
 * pattern fires every cue it matches, in cue order), each answered
 * /holoanim/ack or /holoanim/error; device echoes go to the output whose
 * device sent them. A fired cue reaches on('event') as {type: 'cue', cue,
 * name, source}, source "osc 10.0.0.5:53000" or "control
 * /holoanim/cue/go" (goCue: "api"). A player that follows an external
 * clock (its sync option, or the show's control.sync) takes the clock's
 * messages here too (ha_player_sync_clock), and refuses transport commands.
 *
 * The handlers run on the control thread and take op_mu, as every control
 * call does, so they never race close() or replaceShow(); close() stops the
 * control before it takes op_mu (the thread may be waiting for it). No
 * N-API call here but on the JS thread: events go through the ring. */
#include "player_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTROL_MAX_ALLOW 32

/* op_mu held: the player can take commands. */
static ha_status control_ready(ha_node_player *p, char *reply, size_t cap) {
  if (p->closed || p->player == NULL) {
    snprintf(reply, cap, "the player is closed");
    return HA_ESTATE;
  }
  return HA_OK;
}

/* op_mu held: the transport follows an external clock, and `a` would move
 * it (refused: the clock's messages own the transport, as in `holoanim play
 * --sync osc`). */
static bool control_clock_owns(const ha_node_player *p, ha_control_action a, char *reply,
                               size_t cap) {
  if (!p->cfg.sync.enabled || a == HA_CONTROL_CUE || a == HA_CONTROL_PANIC) {
    return false;
  }
  snprintf(reply, cap, "following an external clock (sync osc): the transport is the clock's");
  return true;
}

static ha_status control_on_action(void *user, ha_control_action a, const char *name, double value,
                                   char *reply, size_t cap) {
  ha_node_player *p = user;
  ha_error err;
  ha_error_clear(&err);
  pthread_mutex_lock(&p->op_mu);
  ha_status st = control_ready(p, reply, cap);
  size_t idx = 0;
  if (st == HA_OK && control_clock_owns(p, a, reply, cap)) {
    pthread_mutex_unlock(&p->op_mu);
    return HA_ESTATE;
  }
  if (st == HA_OK) {
    switch (a) {
    case HA_CONTROL_PLAY: st = name == NULL ? ha_player_play(p->player) : HA_EUNSUPPORTED; break;
    case HA_CONTROL_PAUSE: st = ha_player_pause(p->player); break;
    case HA_CONTROL_STOP:
      st = name == NULL ? ha_player_stop(p->player, 0.0) : HA_EUNSUPPORTED;
      break;
    case HA_CONTROL_SEEK: st = ha_player_seek(p->player, value); break;
    case HA_CONTROL_SPEED: st = ha_player_set_speed(p->player, value); break;
    case HA_CONTROL_PANIC: st = ha_player_panic(p->player); break;
    case HA_CONTROL_GOTO_START: st = ha_player_seek(p->player, 0.0); break;
    case HA_CONTROL_CUE:
      st = ha_node_player_fire_cue(p, value, "control /holoanim/cue/go", &idx, &err);
      if (st == HA_OK) {
        snprintf(reply, cap, "cue %g", value);
      } else {
        snprintf(reply, cap, "%s", err.message[0] ? err.message : ha_strerror(st));
      }
      break;
    }
  }
  pthread_mutex_unlock(&p->op_mu);
  if (st == HA_EUNSUPPORTED) {
    snprintf(reply, cap, "a group by name: fire a cue instead");
  }
  return st;
}

/* A cue's own address (a pattern fires every match): HA_ENOTFOUND when
 * none, answered "unknown address". */
static ha_status control_on_address(void *user, const char *address, char *reply, size_t cap) {
  ha_node_player *p = user;
  char from[80], source[96];
  ha_error err;
  ha_error_clear(&err);
  pthread_mutex_lock(&p->op_mu);
  ha_status st = control_ready(p, reply, cap);
  snprintf(source, sizeof source, "osc %s", ha_control_sender(p->control, from, sizeof from));
  size_t used = 0, fired = 0, nc = 0;
  const ha_show_cue *cues = st == HA_OK && p->show != NULL ? ha_show_cues(p->show, &nc) : NULL;
  st = st == HA_OK ? HA_ENOTFOUND : st;
  size_t i = cues != NULL ? ha_show_cue_match_osc(p->show, address, 0) : SIZE_MAX;
  for (; i != SIZE_MAX; i = ha_show_cue_match_osc(p->show, address, i + 1)) {
    size_t idx = 0;
    st = ha_node_player_fire_cue(p, cues[i].number, source, &idx, &err);
    if (st != HA_OK) {
      snprintf(reply, cap, "%s", err.message[0] ? err.message : ha_strerror(st));
      break;
    }
    int n = snprintf(reply + used, cap - used, "%s %g", fired == 0 ? "cue" : ",", cues[i].number);
    used = n > 0 && (size_t)n < cap - used ? used + (size_t)n : used;
    fired++;
  }
  pthread_mutex_unlock(&p->op_mu);
  return st;
}

static void control_on_echo(void *user, const ha_control_echo *e) {
  ha_node_player *p = user;
  pthread_mutex_lock(&p->op_mu);
  if (!p->closed && p->player != NULL) {
    (void)ha_player_device_echo_from(p->player, e, NULL); /* foreign: counted */
  }
  pthread_mutex_unlock(&p->op_mu);
}

/* An external clock's message (/time, /play, /stop, /pause,
 * /holoanim/time): to the player's latest-wins slot; the tick chases it. */
static void control_on_clock(void *user, double time, int playing) {
  ha_node_player *p = user;
  pthread_mutex_lock(&p->op_mu);
  if (!p->closed && p->player != NULL) {
    (void)ha_player_sync_clock(p->player, time, playing); /* ESTATE: not syncing now */
  }
  pthread_mutex_unlock(&p->op_mu);
}

/* The allow list of options.allow (strings) into list[], their copies in
 * text (freed by the caller). */
static bool control_allow(napi_env env, napi_value opts, char **text, const char **list,
                          size_t *n) {
  napi_value arr;
  bool found = false, is_array = false;
  *n = 0;
  if (!ha_node_get_prop(env, opts, "allow", &arr, &found)) {
    return false;
  }
  if (!found) {
    return true;
  }
  NAPI_CALL_B(env, napi_is_array(env, arr, &is_array));
  uint32_t len = 0;
  if (is_array) {
    NAPI_CALL_B(env, napi_get_array_length(env, arr, &len));
  }
  if (!is_array || len > CONTROL_MAX_ALLOW) {
    ha_node_type_error(env, "allow must be an array of at most 32 addresses or CIDR ranges");
    return false;
  }
  for (uint32_t i = 0; i < len; i++) {
    napi_value v;
    NAPI_CALL_B(env, napi_get_element(env, arr, i, &v));
    text[i] = ha_node_get_text(env, v, "allow[]", NULL);
    if (text[i] == NULL) {
      return false;
    }
    list[(*n)++] = text[i];
  }
  return true;
}

/* openControl({port = 0, bind = '127.0.0.1', allow, allowLoopback = true})
 * → {address, port}. ESTATE when one is open already. */
static napi_value player_open_control(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  napi_value opts = c->argc > 0 && !ha_node_is_nullish(env, c->argv[0]) ? c->argv[0] : NULL;
  if (opts != NULL && !ha_node_is_type(env, opts, napi_object)) {
    ha_node_type_error(env, "options must be an object {port, bind, allow, allowLoopback}");
    return NULL;
  }
  uint32_t port = 0;
  bool loopback = true, found = false;
  char bind[256] = "127.0.0.1";
  char *text[CONTROL_MAX_ALLOW] = {NULL};
  const char *allow[CONTROL_MAX_ALLOW];
  size_t nallow = 0;
  bool ok = opts == NULL || (ha_node_opt_u32(env, opts, "port", 0, 65535, &port) &&
                             ha_node_opt_string(env, opts, "bind", bind, sizeof bind, &found) &&
                             ha_node_opt_bool(env, opts, "allowLoopback", &loopback) &&
                             control_allow(env, opts, text, allow, &nallow));
  napi_value r = NULL;
  if (ok) {
    ha_control_config cc = ha_control_config_default();
    cc.port = (uint16_t)port;
    cc.bind_host = bind;
    cc.allow = allow;
    cc.allow_count = nallow;
    cc.deny_loopback = !loopback;
    cc.address = control_on_address;
    cc.echo = control_on_echo;
    cc.values = ha_node_player_map_values; /* the show's mappings (player_map.c) */
    ha_control_handlers h = {p, control_on_action, NULL};
    bool syncing = false;
    ha_error err;
    ha_error_clear(&err);
    ha_status st = HA_ESTATE;
    /* op_mu across the start: a handler (which takes op_mu) sees
     * p->control set. */
    pthread_mutex_lock(&p->op_mu);
    if (p->control == NULL && p->player != NULL) {
      /* The clock's addresses are the clock's only while the player
       * follows one (the show's control.sync or the sync option). */
      syncing = p->cfg.sync.enabled;
      cc.clock = syncing ? control_on_clock : NULL;
      st = ha_control_start(&cc, &h, &p->control, &err);
      if (st == HA_OK) {
        ha_node_player_mapper_start(p);
      }
    } else {
      snprintf(err.message, sizeof err.message, "openControl: the control port is open already");
    }
    char address[80] = "";
    uint16_t bound = 0;
    if (st == HA_OK) {
      snprintf(address, sizeof address, "%s", ha_control_address(p->control));
      bound = ha_control_port(p->control);
    }
    pthread_mutex_unlock(&p->op_mu);
    if (st != HA_OK) {
      ha_node_throw(env, st, &err, NULL);
    } else if (napi_create_object(env, &r) != napi_ok ||
               !ha_node_set_string(env, r, "address", address) ||
               !ha_node_set_number(env, r, "port", bound) ||
               !ha_node_set_bool(env, r, "sync", syncing)) {
      r = NULL;
    }
  }
  for (size_t i = 0; i < CONTROL_MAX_ALLOW; i++) {
    free(text[i]);
  }
  return r;
}

void ha_node_player_control_stop(ha_node_player *p) {
  pthread_mutex_lock(&p->op_mu);
  ha_control *ctl = p->control;
  p->control = NULL;
  pthread_mutex_unlock(&p->op_mu);
  /* Outside op_mu: its thread may be waiting for op_mu in a handler. */
  ha_control_stop(ctl);
  ha_node_player_mapper_stop(p);
}

static napi_value player_close_control(napi_env env, const ha_node_call *c) {
  ha_node_player_control_stop(c->self);
  napi_value u;
  NAPI_CALL(env, napi_get_undefined(env, &u));
  return u;
}

const ha_node_method ha_node_player_control_methods[] = {
    {"openControl", player_open_control, PLAYER_OPEN},
    {"closeControl", player_close_control, 0},
};
const size_t ha_node_player_control_method_count =
    sizeof(ha_node_player_control_methods) / sizeof(ha_node_player_control_methods[0]);
