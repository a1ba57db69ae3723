/* holoanim Node addon: the real-time player (the seed's Bridge state side).
 *
 * NativePlayer wraps an ha_player. Control calls (play, seek, startAnimation,
 * ...) queue commands on the player from the JS thread; updateState does the
 * same from the libuv thread pool and settles a promise. An operation mutex
 * serializes them with close(), so a worker never touches a destroyed
 * player; it is held for microseconds (a command push, a motion creation)
 * and never by the tick.
 *
 * The other jobs have their own files: streaming (player_poll.c), control
 * operations (player_ops.c), shows (player_show.c); player_internal.h holds
 * the state they share. This file registers the class and owns the
 * lifecycle: construction and options, addTrack/addOutput, start, close,
 * and the state queries (snapshot, getStatus, getMetrics, getOutputStats).
 *
 * Lifetime: the C state is shared by the JS wrapper (napi_wrap finalizer)
 * and the thread-safe function (its finalizer); it is freed when both are
 * gone. close() — called by the user, by the wrapper's finalizer or by the
 * environment cleanup hook — stops the poller, releases the TSFN, shuts the
 * tick thread down and frees the player; it never waits on JS. The TSFN is
 * unref'd whenever nobody listens, so an idle player never keeps the event
 * loop alive. */
#include "player_internal.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const napi_type_tag player_tag = {0x1f7c2b9e04d3a865ULL, 0xc0ffee5ca1ab1e00ULL};

/* ---- lifetime ------------------------------------------------------------------ */

static void player_free(ha_node_player *p) {
  for (int i = 0; i < 3; i++) {
    ha_store_snapshot_destroy(p->slots[i]);
  }
  ha_store_snapshot_destroy(p->js_snap);
  free(p->msnap);
  free(p->json);
  free(p->ring);
  free(p->drain);
  pthread_mutex_destroy(&p->op_mu);
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->cv);
  free(p);
}

void ha_node_player_unref(ha_node_player *p) {
  if (--p->refs == 0) {
    player_free(p);
  }
}

/* Close everything that runs or holds the player. Idempotent; JS thread
 * (also from finalizers and the cleanup hook: no JS is run). */
static void player_close(ha_node_player *p) {
  if (p->closed) {
    return;
  }
  ha_node_player_poller_stop(p);
  ha_node_player_control_stop(p); /* before op_mu: its handlers take it */
  pthread_mutex_lock(&p->op_mu);
  p->closed = true;
  napi_threadsafe_function tsfn = p->tsfn;
  p->tsfn = NULL;
  ha_player_destroy(p->player); /* joins the tick thread after a final flush */
  p->player = NULL;
  ha_show_destroy(p->show);
  p->show = NULL;
  pthread_mutex_unlock(&p->op_mu);
  if (tsfn != NULL) {
    /* Its finalizer (later, on the JS thread) drops the TSFN's reference. */
    napi_release_threadsafe_function(tsfn, napi_tsfn_abort);
  }
  if (p->inst != NULL) {
    for (ha_node_player **pp = &p->inst->players; *pp != NULL; pp = &(*pp)->next) {
      if (*pp == p) {
        *pp = p->next;
        break;
      }
    }
    p->inst = NULL;
  }
}

void ha_node_players_close_all(ha_node_instance *inst) {
  while (inst->players != NULL) {
    player_close(inst->players);
  }
}

static void player_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  ha_node_player *p = data;
  player_close(p);
  ha_node_player_unref(p);
}

/* The checks of the method flags (PLAYER_OPEN, PLAYER_SETUP). */
static bool player_method_ready(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  unsigned flags = c->method->flags;
  if ((flags & PLAYER_OPEN) && p->closed) {
    ha_node_throw_message(env, HA_ESTATE, "the player is closed");
    return false;
  }
  if ((flags & PLAYER_SETUP) && p->started) {
    ha_node_throw_message(env, HA_ESTATE, "%s: only before start()", c->method->name);
    return false;
  }
  return true;
}

/* Every NativePlayer method goes through here. */
static napi_value player_call(napi_env env, napi_callback_info info) {
  return ha_node_method_call(env, info, &player_tag, "Player", player_method_ready);
}

/* ---- options --------------------------------------------------------------------- */

static bool get_limits(napi_env env, napi_value obj, ha_limits *l) {
  if (!ha_node_is_type(env, obj, napi_object)) {
    ha_node_type_error(env, "limits must be an object {box: {min, max}, maxSpeed}");
    return false;
  }
  napi_value box, v;
  bool found;
  if (!ha_node_get_prop(env, obj, "box", &box, &found)) {
    return false;
  }
  if (found) {
    l->box_enabled = true;
    if (!ha_node_get_prop(env, box, "min", &v, &found) ||
        !ha_node_get_vec3(env, v, "limits.box.min", &l->box_min) ||
        !ha_node_get_prop(env, box, "max", &v, &found) ||
        !ha_node_get_vec3(env, v, "limits.box.max", &l->box_max)) {
      return false;
    }
  }
  return ha_node_opt_number(env, obj, "maxSpeed", &l->max_speed);
}

/* options.sync: true/false, or {tolerance, deadband, gain, maxSlew} (the
 * transport follows the external clock openControl receives). */
static bool get_sync(napi_env env, napi_value v, ha_sync_config *s) {
  if (ha_node_is_type(env, v, napi_boolean)) {
    NAPI_CALL_B(env, napi_get_value_bool(env, v, &s->enabled));
    return true;
  }
  if (!ha_node_is_type(env, v, napi_object)) {
    ha_node_type_error(env, "sync must be a boolean or {tolerance, deadband, gain, maxSlew}");
    return false;
  }
  bool found = false;
  napi_value d;
  s->enabled = true;
  if (!ha_node_opt_number(env, v, "tolerance", &s->tolerance) ||
      !ha_node_get_prop(env, v, "deadband", &d, &found)) {
    return false;
  }
  s->deadband = found ? s->deadband : s->tolerance / 10.0;
  return ha_node_opt_number(env, v, "deadband", &s->deadband) &&
         ha_node_opt_number(env, v, "gain", &s->gain) &&
         ha_node_opt_number(env, v, "maxSlew", &s->max_slew);
}

static bool get_player_config(napi_env env, napi_value o, ha_player_config *c, bool *max_given) {
  *max_given = false;
  if (ha_node_is_nullish(env, o)) {
    return true;
  }
  if (!ha_node_is_type(env, o, napi_object)) {
    ha_node_type_error(env, "Player options must be an object");
    return false;
  }
  uint32_t max_tracks = (uint32_t)c->max_tracks, max_anims = (uint32_t)c->max_animations,
           max_outputs = (uint32_t)c->max_outputs, queue = (uint32_t)c->queue_capacity,
           events = (uint32_t)c->event_capacity;
  napi_value v;
  bool found;
  if (!ha_node_get_prop(env, o, "maxTracks", &v, &found)) {
    return false;
  }
  *max_given = found;
  if (!ha_node_opt_number(env, o, "tickRate", &c->tick_rate) ||
      !ha_node_opt_u32(env, o, "maxTracks", 1, 1u << 24, &max_tracks) ||
      !ha_node_opt_u32(env, o, "maxAnimations", 1, 1u << 20, &max_anims) ||
      !ha_node_opt_u32(env, o, "maxOutputs", 1, 1024, &max_outputs) ||
      !ha_node_opt_u32(env, o, "queueCapacity", 1, 1u << 24, &queue) ||
      !ha_node_opt_u32(env, o, "eventCapacity", 1, 1u << 24, &events) ||
      !ha_node_opt_number(env, o, "blendWindow", &c->blend_window) ||
      !ha_node_opt_number(env, o, "takeoverFade", &c->takeover_fade) ||
      !ha_node_opt_bool(env, o, "realtime", &c->realtime) ||
      !ha_node_opt_number(env, o, "conflictTolerance", &c->conflict_tolerance) ||
      !ha_node_opt_number(env, o, "echoWindow", &c->echo_window) ||
      !ha_node_opt_number(env, o, "stallThreshold", &c->stall_threshold)) {
    return false;
  }
  c->max_tracks = max_tracks;
  c->max_animations = max_anims;
  c->max_outputs = max_outputs;
  c->queue_capacity = queue;
  c->event_capacity = events;
  if (!ha_node_get_prop(env, o, "sync", &v, &found) || (found && !get_sync(env, v, &c->sync)) ||
      !ha_node_get_prop(env, o, "limits", &v, &found)) {
    return false;
  }
  return !found || get_limits(env, v, &c->limits);
}

static napi_value player_ctor(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], self;
  if (!ha_node_construct(env, info, "Player", &argc, argv, &self)) {
    return NULL;
  }
  ha_player_config cfg = ha_player_config_default();
  bool max_given = false;
  if (!get_player_config(env, argc > 0 ? argv[0] : NULL, &cfg, &max_given)) {
    return NULL;
  }
  uint32_t tick_priority = 0;
  if (argc > 0 && ha_node_is_type(env, argv[0], napi_object) &&
      !ha_node_opt_u32(env, argv[0], "tickPriority", 0, 99, &tick_priority)) {
    return NULL;
  }
  ha_error err;
  ha_error_clear(&err);
  ha_player *hp = NULL;
  ha_status st = ha_player_create(&cfg, &hp, &err);
  if (st != HA_OK) {
    return ha_node_throw(env, st, &err, "Player");
  }
  ha_node_player *p = calloc(1, sizeof(*p));
  node_event *ring = calloc(EVENT_RING, sizeof(node_event));
  node_event *drain = calloc(EVENT_RING, sizeof(node_event));
  if (p == NULL || ring == NULL || drain == NULL) {
    free(p);
    free(ring);
    free(drain);
    ha_player_destroy(hp);
    return ha_node_throw(env, HA_ENOMEM, NULL, "Player");
  }
  p->cfg = cfg;
  p->tick_priority = tick_priority;
  p->max_tracks_given = max_given;
  p->player = hp;
  p->ring = ring;
  p->drain = drain;
  p->next_tag = AUTO_TAG_BASE;
  p->back = 0;
  p->ready = 1;
  p->front = 2;
  pthread_mutex_init(&p->op_mu, NULL);
  pthread_mutex_init(&p->mu, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&p->cv, &ca);
  pthread_condattr_destroy(&ca);
  p->refs = 1;
  napi_status s = napi_wrap(env, self, p, player_finalize, NULL, NULL);
  if (s != napi_ok) {
    ha_player_destroy(hp);
    p->player = NULL;
    player_free(p);
    return ha_node_napi_fail(env, s, "napi_wrap", __LINE__);
  }
  NAPI_CALL(env, napi_type_tag_object(env, self, &player_tag));
  p->inst = ha_node_instance_get(env);
  if (p->inst != NULL) {
    p->next = p->inst->players;
    p->inst->players = p;
  }
  return self;
}

/* ---- setup: tracks, outputs, start, close --------------------------------------------- */

static napi_value player_add_track(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  uint32_t id;
  ha_vec3 base = {0.0, 0.0, 0.0};
  if (!ha_node_get_u32(env, c->argc > 0 ? c->argv[0] : NULL, "id", 1, UINT32_MAX, &id) ||
      (c->argc > 1 && !ha_node_is_nullish(env, c->argv[1]) &&
       !ha_node_get_vec3(env, c->argv[1], "base", &base))) {
    return NULL;
  }
  ha_error err;
  ha_error_clear(&err);
  pthread_mutex_lock(&p->op_mu);
  ha_status st = ha_player_add_track(p->player, id, base, &err);
  if (st == HA_OK) {
    p->tracks_added++;
  }
  pthread_mutex_unlock(&p->op_mu);
  return st == HA_OK ? NULL : ha_node_throw(env, st, &err, "addTrack");
}

#define MAP_SHAPE "map must be [[track, index], ...] or {track: index}"

/* Entry i of a map: [track, index] element i of the array v (keys NULL),
 * or key i of the object v (keys: its property names) and its value. */
static bool map_entry(napi_env env, napi_value v, napi_value keys, uint32_t i,
                      ha_output_map_entry *m) {
  char what[48];
  napi_value track, index;
  if (keys == NULL) {
    napi_value e;
    snprintf(what, sizeof(what), "map[%u]", i);
    if (napi_get_element(env, v, i, &e) != napi_ok ||
        napi_get_element(env, e, 0, &track) != napi_ok ||
        napi_get_element(env, e, 1, &index) != napi_ok ||
        !ha_node_get_u32(env, track, what, 1, UINT32_MAX, &m->track) ||
        !ha_node_get_u32(env, index, what, 1, UINT32_MAX, &m->index)) {
      ha_node_type_error(env, MAP_SHAPE); /* unless get_u32 threw already */
      return false;
    }
    return true;
  }
  napi_value k;
  snprintf(what, sizeof(what), "map key %u", i);
  return napi_get_element(env, keys, i, &k) == napi_ok &&
         napi_get_property(env, v, k, &index) == napi_ok &&
         napi_coerce_to_number(env, k, &track) == napi_ok &&
         ha_node_get_u32(env, track, what, 1, UINT32_MAX, &m->track) &&
         ha_node_get_u32(env, index, "map value", 1, UINT32_MAX, &m->index);
}

/* map: [[track, index], ...] or {track: index} into a new array. */
static bool parse_map(napi_env env, napi_value v, ha_output_map_entry **out, size_t *n) {
  *out = NULL;
  *n = 0;
  bool arr = false;
  NAPI_CALL_B(env, napi_is_array(env, v, &arr));
  if (!arr && !ha_node_is_type(env, v, napi_object)) {
    ha_node_type_error(env, MAP_SHAPE);
    return false;
  }
  napi_value keys = NULL;
  uint32_t len;
  if (!arr) {
    NAPI_CALL_B(env, napi_get_property_names(env, v, &keys));
  }
  NAPI_CALL_B(env, napi_get_array_length(env, arr ? v : keys, &len));
  ha_output_map_entry *m = calloc(len ? len : 1, sizeof(*m));
  if (m == NULL) {
    ha_node_throw(env, HA_ENOMEM, NULL, "map");
    return false;
  }
  for (uint32_t i = 0; i < len; i++) {
    if (!map_entry(env, v, keys, i, &m[i])) {
      free(m);
      return false;
    }
  }
  *out = m;
  *n = len;
  return true;
}

/* addOutput({host, port, dialect, coords, ...}) → index */
static napi_value player_add_output(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  ha_output_config cfg = ha_output_config_default();
  napi_value o = c->argc > 0 ? c->argv[0] : NULL;
  if (!ha_node_is_type(env, o, napi_object)) {
    return ha_node_type_error(env, "addOutput expects an options object {host, port, ...}");
  }
  char host[256], dialect[32], coords[32], az[32];
  bool has_host = false, has_dialect = false, has_coords = false, has_az = false, found;
  /* 0 when not given: the dialect's default port (4003, ADM-OSC 4001). */
  uint32_t port = 0, maxdg = (uint32_t)cfg.max_datagram, bmax = (uint32_t)cfg.bundle_max_messages;
  ha_error err;
  ha_error_clear(&err);
  if (!ha_node_opt_string(env, o, "host", host, sizeof(host), &has_host) ||
      !ha_node_opt_u32(env, o, "port", 1, 65535, &port) ||
      !ha_node_opt_string(env, o, "dialect", dialect, sizeof(dialect), &has_dialect) ||
      !ha_node_opt_string(env, o, "coords", coords, sizeof(coords), &has_coords) ||
      !ha_node_opt_string(env, o, "azimuthSign", az, sizeof(az), &has_az) ||
      !ha_node_opt_number(env, o, "admScale", &cfg.adm_scale) ||
      !ha_node_opt_number(env, o, "rate", &cfg.rate_hz) ||
      !ha_node_opt_number(env, o, "deadband", &cfg.deadband_m) ||
      !ha_node_opt_number(env, o, "deadbandDeg", &cfg.deadband_deg) ||
      !ha_node_opt_number(env, o, "keepAlive", &cfg.keep_alive_s) ||
      !ha_node_opt_bool(env, o, "bundle", &cfg.bundle) ||
      !ha_node_opt_u32(env, o, "maxDatagram", 0, 65507, &maxdg) ||
      !ha_node_opt_u32(env, o, "bundleMaxMessages", 0, 1u << 20, &bmax) ||
      !ha_node_opt_number(env, o, "lookaheadMs", &cfg.lookahead_ms) ||
      !ha_node_opt_bool(env, o, "mapOnly", &cfg.map_only)) {
    return NULL;
  }
  cfg.port = (int)port;
  cfg.max_datagram = maxdg;
  cfg.bundle_max_messages = bmax;
  if (has_host) {
    cfg.host = host;
  }
  ha_status st = HA_OK;
  if (has_dialect) {
    st = ha_output_dialect_parse(dialect, &cfg.dialect, &err);
  }
  if (st == HA_OK && has_coords) {
    st = ha_output_coords_parse(coords, &cfg.coords, &err);
  }
  if (st == HA_OK && has_az) {
    if (strcmp(az, "clockwise") == 0 || strcmp(az, "cw") == 0) {
      cfg.azimuth_sign = HA_AZIMUTH_CLOCKWISE;
    } else if (strcmp(az, "counterclockwise") == 0 || strcmp(az, "ccw") == 0) {
      cfg.azimuth_sign = HA_AZIMUTH_COUNTERCLOCKWISE;
    } else {
      return ha_node_range_error(env, "azimuthSign must be 'clockwise' or 'counterclockwise'");
    }
  }
  if (st != HA_OK) {
    return ha_node_throw(env, st, &err, "addOutput");
  }
  napi_value mv;
  ha_output_map_entry *map = NULL;
  size_t nmap = 0;
  if (!ha_node_get_prop(env, o, "map", &mv, &found) ||
      (found && !parse_map(env, mv, &map, &nmap))) {
    return NULL;
  }
  cfg.map = map;
  cfg.map_len = nmap;
  size_t index = 0;
  pthread_mutex_lock(&p->op_mu);
  st = ha_player_add_output(p->player, &cfg, &index, &err);
  if (st == HA_OK) {
    p->outputs_added++;
  }
  pthread_mutex_unlock(&p->op_mu);
  free(map);
  if (st != HA_OK) {
    return ha_node_throw(env, st, &err, "addOutput");
  }
  napi_value r;
  NAPI_CALL(env, napi_create_uint32(env, (uint32_t)index, &r));
  return r;
}

static napi_value player_start(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  if (p->started) {
    return ha_node_throw(env, HA_ESTATE, NULL, "start: already started");
  }
  ha_error err;
  ha_error_clear(&err);
  /* tickPriority: the tick thread inherits the scheduling of the thread that
   * creates it, so this thread switches to SCHED_FIFO for the duration of
   * ha_player_start only (the poller, created later, stays normal). Unlike
   * the `realtime` option there is no mlockall, which V8 does not survive.
   * Needs CAP_SYS_NICE or RLIMIT_RTPRIO; without them the tick runs normal. */
  int policy = SCHED_OTHER;
  struct sched_param saved;
  bool raised = false;
  if (p->tick_priority > 0 && pthread_getschedparam(pthread_self(), &policy, &saved) == 0) {
    struct sched_param sp;
    memset(&sp, 0, sizeof(sp));
    sp.sched_priority = (int)p->tick_priority;
    raised = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp) == 0;
  }
  pthread_mutex_lock(&p->op_mu);
  ha_status st = ha_player_start(p->player, &err);
  pthread_mutex_unlock(&p->op_mu);
  if (raised) {
    pthread_setschedparam(pthread_self(), policy, &saved);
    p->tick_priority_got = st == HA_OK ? p->tick_priority : 0;
  }
  if (st != HA_OK) {
    return ha_node_throw(env, st, &err, "start");
  }
  p->started = true;
  ha_node_player_streaming_update(env, p);
  return NULL;
}

static napi_value player_close_js(napi_env env, const ha_node_call *c) {
  (void)env;
  player_close(c->self);
  return NULL;
}

/* ---- state ----------------------------------------------------------------------------------- */

static napi_value player_snapshot(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  const ha_store *store = ha_player_store(p->player);
  if (p->js_snap == NULL || p->js_snap->capacity < ha_store_capacity(store)) {
    ha_store_snapshot_destroy(p->js_snap);
    p->js_snap = NULL;
    ha_status st = ha_store_snapshot_create(ha_store_capacity(store), &p->js_snap);
    if (st != HA_OK) {
      return ha_node_throw(env, st, NULL, "snapshot");
    }
  }
  ha_status st = ha_store_read(store, p->js_snap);
  if (st == HA_EAGAIN) {
    napi_value n;
    NAPI_CALL(env, napi_get_null(env, &n));
    return n; /* nothing published yet */
  }
  if (st != HA_OK) {
    return ha_node_throw(env, st, NULL, "snapshot");
  }
  return ha_node_player_snapshot_object(env, p->js_snap);
}

static napi_value player_get_status(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  napi_value o;
  NAPI_CALL(env, napi_create_object(env, &o));
  ha_player_status s;
  memset(&s, 0, sizeof(s));
  if (p->player != NULL) {
    ha_player_get_status(p->player, &s);
  }
  if (!ha_node_set_bool(env, o, "running", s.running) ||
      !ha_node_set_bool(env, o, "playing", s.playing) ||
      !ha_node_set_bool(env, o, "closed", p->closed) ||
      !ha_node_set_number(env, o, "time", s.time) ||
      !ha_node_set_number(env, o, "speed", s.speed) ||
      !ha_node_set_number(env, o, "ticks", (double)s.ticks) ||
      !ha_node_set_number(env, o, "lateTicks", (double)s.late_ticks) ||
      !ha_node_set_number(env, o, "skippedTicks", (double)s.skipped_ticks) ||
      !ha_node_set_number(env, o, "stalls", (double)s.stalls) ||
      !ha_node_set_number(env, o, "commands", (double)s.commands) ||
      !ha_node_set_number(env, o, "commandsDropped", (double)s.commands_dropped) ||
      !ha_node_set_number(env, o, "eventsDropped", (double)s.events_dropped) ||
      !ha_node_set_number(env, o, "conflicts", (double)s.conflicts) ||
      !ha_node_set_bool(env, o, "realtimeActive", s.realtime_active) ||
      !ha_node_set_bool(env, o, "memoryLocked", s.memory_locked) ||
      !ha_node_set_number(env, o, "tickPriority", (double)p->tick_priority_got)) {
    return NULL;
  }
  return o;
}

static napi_value player_get_metrics(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  if (p->msnap == NULL && (p->msnap = malloc(sizeof(*p->msnap))) == NULL) {
    return ha_node_throw(env, HA_ENOMEM, NULL, "getMetrics");
  }
  ha_status st = ha_metrics_snapshot(ha_player_metrics(p->player), p->msnap);
  if (st != HA_OK) {
    return ha_node_throw(env, st, NULL, "getMetrics");
  }
  int n = HA_ENOBUFS;
  while (true) {
    if (p->json_cap > 0) {
      n = ha_metrics_to_json(p->msnap, p->json, p->json_cap);
    }
    if (n != HA_ENOBUFS || p->json_cap >= (1u << 26)) {
      break;
    }
    size_t cap = p->json_cap ? 2 * p->json_cap : 16384;
    char *b = realloc(p->json, cap);
    if (b == NULL) {
      return ha_node_throw(env, HA_ENOMEM, NULL, "getMetrics");
    }
    p->json = b;
    p->json_cap = cap;
  }
  if (n < 0) {
    return ha_node_throw(env, (ha_status)n, NULL, "getMetrics");
  }
  napi_value global, json, parse, text, r;
  NAPI_CALL(env, napi_get_global(env, &global));
  NAPI_CALL(env, napi_get_named_property(env, global, "JSON", &json));
  NAPI_CALL(env, napi_get_named_property(env, json, "parse", &parse));
  NAPI_CALL(env, napi_create_string_utf8(env, p->json, (size_t)n, &text));
  NAPI_CALL(env, napi_call_function(env, json, parse, 1, &text, &r));
  return r;
}

static napi_value player_output_stats(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  size_t n = ha_player_output_count(p->player);
  napi_value a;
  NAPI_CALL(env, napi_create_array_with_length(env, n, &a));
  for (size_t i = 0; i < n; i++) {
    const ha_output *out = ha_player_output(p->player, i);
    ha_output_stats s;
    ha_output_get_stats(out, &s);
    napi_value o;
    NAPI_CALL(env, napi_create_object(env, &o));
    if (!ha_node_set_string(env, o, "destination", ha_output_destination(out)) ||
        !ha_node_set_number(env, o, "messages", (double)s.messages) ||
        !ha_node_set_number(env, o, "datagrams", (double)s.datagrams) ||
        !ha_node_set_number(env, o, "bytes", (double)s.bytes) ||
        !ha_node_set_number(env, o, "deadbandSkips", (double)s.deadband_skips) ||
        !ha_node_set_number(env, o, "nonfinite", (double)s.nonfinite) ||
        !ha_node_set_number(env, o, "errRefused", (double)s.err_refused) ||
        !ha_node_set_number(env, o, "errOther", (double)s.err_other) ||
        !ha_node_set_number(env, o, "unsent", (double)s.unsent)) {
      return NULL;
    }
    NAPI_CALL(env, napi_set_element(env, a, (uint32_t)i, o));
  }
  return a;
}

/* ---- init ---------------------------------------------------------------------- */

static const ha_node_method player_methods[] = {
    {"addTrack", player_add_track, PLAYER_OPEN | PLAYER_SETUP},
    {"addOutput", player_add_output, PLAYER_OPEN | PLAYER_SETUP},
    {"start", player_start, PLAYER_OPEN},
    {"close", player_close_js, 0},
    {"snapshot", player_snapshot, PLAYER_OPEN},
    {"getStatus", player_get_status, 0},
    {"getMetrics", player_get_metrics, PLAYER_OPEN},
    {"getOutputStats", player_output_stats, PLAYER_OPEN},
};

/* NativePlayer: this file's methods, then the control operations, the
 * cues, the show loaders and the streaming calls (props: room for all;
 * ha_node_method_props throws when they outgrow it). */
napi_value ha_node_init_player(napi_env env, napi_value exports) {
  napi_property_descriptor props[56];
  size_t n = 0, cap = sizeof(props) / sizeof(props[0]);
  if (!ha_node_method_props(env, player_methods, sizeof(player_methods) / sizeof(player_methods[0]),
                            player_call, props, &n, cap) ||
      !ha_node_method_props(env, ha_node_player_op_methods, ha_node_player_op_method_count,
                            player_call, props, &n, cap) ||
      !ha_node_method_props(env, ha_node_player_cue_methods, ha_node_player_cue_method_count,
                            player_call, props, &n, cap) ||
      !ha_node_method_props(env, ha_node_player_control_methods,
                            ha_node_player_control_method_count, player_call, props, &n, cap) ||
      !ha_node_method_props(env, ha_node_player_show_methods, ha_node_player_show_method_count,
                            player_call, props, &n, cap) ||
      !ha_node_method_props(env, ha_node_player_map_methods, ha_node_player_map_method_count,
                            player_call, props, &n, cap) ||
      !ha_node_method_props(env, ha_node_player_stream_methods, ha_node_player_stream_method_count,
                            player_call, props, &n, cap)) {
    return NULL;
  }
  napi_value ctor;
  NAPI_CALL(env, napi_define_class(env, "NativePlayer", NAPI_AUTO_LENGTH, player_ctor, NULL, n,
                                   props, &ctor));
  NAPI_CALL(env, napi_set_named_property(env, exports, "NativePlayer", ctor));
  return exports;
}
