/* holoanim Node addon: the real-time player (the seed's Bridge state side).
 *
 * NativePlayer wraps an ha_player. Control calls (play, seek, startAnimation,
 * ...) queue commands on the player from the JS thread; updateState does the
 * same from the libuv thread pool and settles a promise. An operation mutex
 * serializes them with close(), so a worker never touches a destroyed
 * player; it is held for microseconds (a command push, a motion creation)
 * and never by the tick.
 *
 * Streaming (on('positions') / on('event')): the tick thread never calls
 * N-API. A small poller thread per player, running only while someone
 * listens, wakes at the requested rate, copies the latest published tick
 * from the player's store into a preallocated triple buffer and moves
 * player events into a preallocated ring, then signals ONE thread-safe
 * function (non-blocking, and only when no signal is already pending). The
 * JS side takes the newest frame and every buffered event in one call. A
 * slow consumer therefore never stalls anything: frames it did not take are
 * overwritten (counted as skipped) and the event ring drops its oldest
 * entries when full (counted). Rejected: one TSFN call per frame (the queue
 * grows with a slow consumer) and a blocking call (stalls the poller).
 *
 * Lifetime: the C state is shared by the JS wrapper (napi_wrap finalizer)
 * and the thread-safe function (its finalizer); it is freed when both are
 * gone. close() — called by the user, by the wrapper's finalizer or by the
 * environment cleanup hook — stops the poller, releases the TSFN, shuts the
 * tick thread down and frees the player; it never waits on JS. The TSFN is
 * unref'd whenever nobody listens, so an idle player never keeps the event
 * loop alive. */
#include "addon.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EVENT_RING 1024
#define AUTO_TAG_BASE 0x10000000u

enum {
  NE_CONFLICT = 1,
  NE_ANIMATION_ENDED,
  NE_SHOW_ENDED,
  NE_COMMAND_FAILED,
  NE_BASE_CHANGED,
  NE_CUE
};

typedef struct node_event {
  int type;
  double time;
  uint32_t track, tag;
  int status;
  ha_vec3 position, expected;
  double cue;
  char name[64];
} node_event;

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
  U_ECHO
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
} update;

struct ha_node_player {
  ha_node_player *next; /* in the environment's list of open players */
  ha_node_instance *inst;
  int refs; /* the JS wrapper + the TSFN (JS thread only) */

  pthread_mutex_t op_mu; /* serializes control operations with close */
  ha_player_config cfg;
  bool max_tracks_given;
  ha_player *player;
  size_t tracks_added, outputs_added;
  bool started, closed;
  ha_show *show;
  bool autostarted;
  uint32_t next_tag;
  uint32_t tick_priority; /* SCHED_FIFO priority asked for the tick thread (0: none) */
  uint32_t tick_priority_got;

  ha_store_snapshot *js_snap; /* snapshot() buffer (JS thread) */
  ha_metrics_snap *msnap;     /* getMetrics() buffers (JS thread) */
  char *json;
  size_t json_cap;

  /* streaming */
  napi_threadsafe_function tsfn;
  bool tsfn_refd;
  pthread_mutex_t mu; /* guards everything below (poller ↔ JS thread) */
  pthread_cond_t cv;
  pthread_t poller;
  bool poller_running;
  bool quit;
  double pos_rate; /* Hz; 0: no positions listener */
  bool want_events;
  ha_store_snapshot *slots[3];
  int back, ready, front;
  bool ready_fresh;
  uint64_t last_version;
  uint64_t frames, frames_skipped, events_dropped, signals;
  node_event *ring;
  size_t ring_head, ring_count;
  node_event *drain; /* JS thread scratch, EVENT_RING entries */
  atomic_int signal_pending;
};

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

static void player_unref(ha_node_player *p) {
  if (--p->refs == 0) {
    player_free(p);
  }
}

static void stop_poller(ha_node_player *p) {
  pthread_mutex_lock(&p->mu);
  bool running = p->poller_running;
  p->quit = true;
  pthread_cond_signal(&p->cv);
  pthread_mutex_unlock(&p->mu);
  if (running) {
    pthread_join(p->poller, NULL);
    pthread_mutex_lock(&p->mu);
    p->poller_running = false;
    pthread_mutex_unlock(&p->mu);
  }
}

/* Close everything that runs or holds the player. Idempotent; JS thread
 * (also from finalizers and the cleanup hook: no JS is run). */
static void player_close(ha_node_player *p) {
  if (p->closed) {
    return;
  }
  stop_poller(p);
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
  player_unref(p);
}

static ha_node_player *this_player(napi_env env, napi_callback_info info, size_t *argc,
                                   napi_value *argv, bool need_open) {
  napi_value self;
  if (napi_get_cb_info(env, info, argc, argv, &self, NULL) != napi_ok) {
    ha_node_napi_fail(env, napi_generic_failure, "napi_get_cb_info", __LINE__);
    return NULL;
  }
  bool tagged = false;
  void *data = NULL;
  if (!ha_node_is_type(env, self, napi_object) ||
      napi_check_object_type_tag(env, self, &player_tag, &tagged) != napi_ok || !tagged ||
      napi_unwrap(env, self, &data) != napi_ok) {
    ha_node_type_error(env, "the receiver must be a Player");
    return NULL;
  }
  ha_node_player *p = data;
  if (need_open && p->closed) {
    ha_error err;
    ha_error_clear(&err);
    snprintf(err.message, sizeof(err.message), "the player is closed");
    ha_node_throw(env, HA_ESTATE, &err, NULL);
    return NULL;
  }
  return p;
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
      !ha_node_opt_number(env, o, "conflictTolerance", &c->conflict_tolerance)) {
    return false;
  }
  c->max_tracks = max_tracks;
  c->max_animations = max_anims;
  c->max_outputs = max_outputs;
  c->queue_capacity = queue;
  c->event_capacity = events;
  if (!ha_node_get_prop(env, o, "limits", &v, &found)) {
    return false;
  }
  return !found || get_limits(env, v, &c->limits);
}

static napi_value player_ctor(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], self, target;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, &self, NULL));
  NAPI_CALL(env, napi_get_new_target(env, info, &target));
  if (target == NULL) {
    return ha_node_type_error(env, "Class constructor Player cannot be invoked without 'new'");
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

/* ---- events ring -------------------------------------------------------------------- */

/* Push under p->mu; drops the oldest event when full. */
static void ring_push_locked(ha_node_player *p, const node_event *e) {
  if (p->ring_count == EVENT_RING) {
    p->ring_head = (p->ring_head + 1) % EVENT_RING;
    p->ring_count--;
    p->events_dropped++;
  }
  p->ring[(p->ring_head + p->ring_count) % EVENT_RING] = *e;
  p->ring_count++;
}

/* Wake the JS side unless a wake-up is already pending. Any thread. */
static void signal_js(ha_node_player *p, napi_threadsafe_function tsfn) {
  if (tsfn == NULL) {
    return;
  }
  /* acq_rel: pairs with the consumer's release reset once its listeners
   * returned; data pushed before the reset is re-signalled by the poller. */
  if (atomic_exchange_explicit(&p->signal_pending, 1, memory_order_acq_rel) == 0) {
    if (napi_call_threadsafe_function(tsfn, NULL, napi_tsfn_nonblocking) != napi_ok) {
      atomic_store_explicit(&p->signal_pending, 0, memory_order_release);
    } else {
      pthread_mutex_lock(&p->mu);
      p->signals++;
      pthread_mutex_unlock(&p->mu);
    }
  }
}

static int event_type(ha_player_event_type t) {
  switch (t) {
  case HA_EVENT_CONFLICT: return NE_CONFLICT;
  case HA_EVENT_ANIMATION_ENDED: return NE_ANIMATION_ENDED;
  case HA_EVENT_SHOW_ENDED: return NE_SHOW_ENDED;
  case HA_EVENT_COMMAND_FAILED: return NE_COMMAND_FAILED;
  case HA_EVENT_BASE_CHANGED: return NE_BASE_CHANGED;
  }
  return NE_COMMAND_FAILED;
}

/* ---- the poller thread ------------------------------------------------------------------ */

static void ts_add(struct timespec *ts, double s) {
  long ns = (long)(s * 1e9);
  ts->tv_sec += ns / 1000000000L;
  ts->tv_nsec += ns % 1000000000L;
  if (ts->tv_nsec >= 1000000000L) {
    ts->tv_nsec -= 1000000000L;
    ts->tv_sec++;
  }
}

static double ts_sec(const struct timespec *ts) {
  return (double)ts->tv_sec + (double)ts->tv_nsec * 1e-9;
}

static void *poller_main(void *arg) {
  ha_node_player *p = arg;
  /* The player and the TSFN outlive this thread: close joins it first. */
  ha_player *hp = p->player;
  napi_threadsafe_function tsfn = p->tsfn;
  const ha_store *store = ha_player_store(hp);
  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  double next_frame = 0.0;
  pthread_mutex_lock(&p->mu);
  while (!p->quit) {
    double rate = p->pos_rate;
    bool events = p->want_events;
    pthread_mutex_unlock(&p->mu);

    bool wake = false;
    if (events) {
      ha_player_event pe;
      node_event batch[64];
      size_t n = 0;
      bool more = true;
      while (more) {
        more = ha_player_poll_event(hp, &pe) == HA_OK;
        if (more) {
          node_event *e = &batch[n++];
          memset(e, 0, sizeof(*e));
          e->type = event_type(pe.type);
          e->time = pe.time;
          e->track = pe.track;
          e->tag = pe.tag;
          e->status = pe.status;
          e->position = pe.position;
          e->expected = pe.expected;
        }
        if (n == 64 || (!more && n > 0)) {
          pthread_mutex_lock(&p->mu);
          for (size_t i = 0; i < n; i++) {
            ring_push_locked(p, &batch[i]);
          }
          pthread_mutex_unlock(&p->mu);
          n = 0;
          wake = true;
        }
      }
    }
    double now = ha_monotonic_now();
    if (rate > 0.0 && now >= next_frame) {
      next_frame = fmax(next_frame + 1.0 / rate, now + 0.5 / rate);
      if (ha_store_version(store) != p->last_version &&
          ha_store_read(store, p->slots[p->back]) == HA_OK) {
        /* Only this thread writes last_version and the back slot. */
        p->last_version = p->slots[p->back]->version;
        pthread_mutex_lock(&p->mu);
        int t = p->ready;
        p->ready = p->back;
        p->back = t;
        if (p->ready_fresh) {
          p->frames_skipped++;
        }
        p->ready_fresh = true;
        p->frames++;
        pthread_mutex_unlock(&p->mu);
        wake = true;
      }
    }
    pthread_mutex_lock(&p->mu);
    /* Also re-signal what a busy JS thread has not taken yet. */
    wake = wake || p->ready_fresh || p->ring_count > 0;
    pthread_mutex_unlock(&p->mu);
    if (wake) {
      signal_js(p, tsfn);
    }

    pthread_mutex_lock(&p->mu);
    double hz = p->pos_rate > 50.0 ? p->pos_rate : 50.0;
    ts_add(&next, 1.0 / hz);
    if (ts_sec(&next) < now) {
      clock_gettime(CLOCK_MONOTONIC, &next); /* stalled: resume from now */
      ts_add(&next, 1.0 / hz);
    }
    while (!p->quit && pthread_cond_timedwait(&p->cv, &p->mu, &next) == 0) {
      /* woken for a rate change or quit: re-evaluate at once */
      break;
    }
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

/* Start the poller if someone listens and the player runs; ref the TSFN
 * while it may deliver. JS thread. */
static bool update_streaming(napi_env env, ha_node_player *p) {
  pthread_mutex_lock(&p->mu);
  bool wanted =
      (p->pos_rate > 0.0 || p->want_events) && p->started && !p->closed && p->tsfn != NULL;
  bool running = p->poller_running;
  pthread_mutex_unlock(&p->mu);
  if (wanted && !running) {
    if (p->slots[0] == NULL) {
      size_t cap = ha_store_capacity(ha_player_store(p->player));
      for (int i = 0; i < 3; i++) {
        if (ha_store_snapshot_create(cap, &p->slots[i]) != HA_OK) {
          ha_node_throw(env, HA_ENOMEM, NULL, "on");
          return false;
        }
      }
    }
    pthread_mutex_lock(&p->mu);
    p->quit = false;
    pthread_mutex_unlock(&p->mu);
    if (pthread_create(&p->poller, NULL, poller_main, p) != 0) {
      ha_node_throw(env, HA_EINTERNAL, NULL, "cannot start the poller thread");
      return false;
    }
    pthread_mutex_lock(&p->mu);
    p->poller_running = true;
    pthread_mutex_unlock(&p->mu);
  } else if (!wanted && running) {
    stop_poller(p);
  } else if (running) {
    pthread_mutex_lock(&p->mu);
    pthread_cond_signal(&p->cv); /* pick up a new rate now */
    pthread_mutex_unlock(&p->mu);
  }
  if (p->tsfn != NULL && wanted != p->tsfn_refd) {
    if (wanted) {
      NAPI_CALL_B(env, napi_ref_threadsafe_function(env, p->tsfn));
    } else {
      NAPI_CALL_B(env, napi_unref_threadsafe_function(env, p->tsfn));
    }
    p->tsfn_refd = wanted;
  }
  return true;
}

/* ---- JS-side delivery -------------------------------------------------------------------- */

static napi_value snapshot_object(napi_env env, const ha_store_snapshot *s) {
  size_t n = s->count;
  napi_value o, ids, pos, vel, st;
  void *pb = NULL, *vb = NULL;
  napi_value pab, vab;
  NAPI_CALL(env, napi_create_object(env, &o));
  ids = ha_node_typed_copy(env, napi_uint32_array, s->ids, n, sizeof(uint32_t));
  st = ha_node_typed_copy(env, napi_uint8_array, s->status, n, 1);
  if (ids == NULL || st == NULL) {
    return NULL;
  }
  NAPI_CALL(env, napi_create_arraybuffer(env, 3 * n * sizeof(double), &pb, &pab));
  NAPI_CALL(env, napi_create_arraybuffer(env, 3 * n * sizeof(double), &vb, &vab));
  double *pd = pb, *vd = vb;
  for (size_t i = 0; i < n; i++) {
    pd[3 * i] = s->x[i];
    pd[3 * i + 1] = s->y[i];
    pd[3 * i + 2] = s->z[i];
    vd[3 * i] = s->vx[i];
    vd[3 * i + 1] = s->vy[i];
    vd[3 * i + 2] = s->vz[i];
  }
  NAPI_CALL(env, napi_create_typedarray(env, napi_float64_array, 3 * n, pab, 0, &pos));
  NAPI_CALL(env, napi_create_typedarray(env, napi_float64_array, 3 * n, vab, 0, &vel));
  if (!ha_node_set_number(env, o, "tick", (double)s->tick) ||
      !ha_node_set_number(env, o, "time", s->time) || !ha_node_set_value(env, o, "ids", ids) ||
      !ha_node_set_value(env, o, "positions", pos) ||
      !ha_node_set_value(env, o, "velocities", vel) || !ha_node_set_value(env, o, "status", st)) {
    return NULL;
  }
  return o;
}

static const char *event_name(int t) {
  switch (t) {
  case NE_CONFLICT: return "conflict";
  case NE_ANIMATION_ENDED: return "animationEnded";
  case NE_SHOW_ENDED: return "showEnded";
  case NE_COMMAND_FAILED: return "commandFailed";
  case NE_BASE_CHANGED: return "baseChanged";
  case NE_CUE: return "cue";
  default: return "unknown";
  }
}

static napi_value event_object(napi_env env, const node_event *e) {
  napi_value o, v;
  NAPI_CALL(env, napi_create_object(env, &o));
  if (!ha_node_set_string(env, o, "type", event_name(e->type)) ||
      !ha_node_set_number(env, o, "time", e->time)) {
    return NULL;
  }
  bool ok = true;
  switch (e->type) {
  case NE_CONFLICT:
  case NE_BASE_CHANGED:
    ok = ha_node_set_number(env, o, "track", e->track) &&
         (v = ha_node_vec3_array(env, e->position)) != NULL &&
         ha_node_set_value(env, o, "position", v) &&
         (e->type != NE_CONFLICT || ((v = ha_node_vec3_array(env, e->expected)) != NULL &&
                                     ha_node_set_value(env, o, "expected", v)));
    break;
  case NE_ANIMATION_ENDED: ok = ha_node_set_number(env, o, "tag", e->tag); break;
  case NE_COMMAND_FAILED: {
    napi_value err = ha_node_make_error(env, (ha_status)e->status, NULL, "command failed");
    ok = err != NULL && ha_node_set_string(env, o, "code", ha_status_name(e->status)) &&
         ha_node_set_number(env, o, "tag", e->tag) &&
         ha_node_set_number(env, o, "track", e->track) && ha_node_set_value(env, o, "error", err);
    break;
  }
  case NE_CUE:
    ok = ha_node_set_number(env, o, "cue", e->cue) && ha_node_set_string(env, o, "name", e->name);
    break;
  default: break;
  }
  return ok ? o : NULL;
}

/* Runs on the JS thread for each signal: hand the newest frame and all
 * buffered events to the dispatcher (index.js). */
static void deliver(napi_env env, napi_value js_cb, ha_node_player *p) {
  size_t nev = 0;
  bool have_frame = false;
  pthread_mutex_lock(&p->mu);
  while (p->ring_count > 0) {
    p->drain[nev++] = p->ring[p->ring_head];
    p->ring_head = (p->ring_head + 1) % EVENT_RING;
    p->ring_count--;
  }
  if (p->ready_fresh) {
    int t = p->front;
    p->front = p->ready;
    p->ready = t;
    p->ready_fresh = false;
    have_frame = true;
  }
  pthread_mutex_unlock(&p->mu);
  if (!have_frame && nev == 0) {
    return;
  }
  napi_value frame, events, undef;
  if (napi_get_undefined(env, &undef) != napi_ok || napi_get_null(env, &frame) != napi_ok ||
      napi_get_null(env, &events) != napi_ok) {
    return;
  }
  /* The front slot belongs to this thread until the next call. */
  if (have_frame && (frame = snapshot_object(env, p->slots[p->front])) == NULL) {
    return;
  }
  if (nev > 0) {
    if (napi_create_array_with_length(env, nev, &events) != napi_ok) {
      return;
    }
    for (size_t i = 0; i < nev; i++) {
      napi_value e = event_object(env, &p->drain[i]);
      if (e == NULL || napi_set_element(env, events, (uint32_t)i, e) != napi_ok) {
        return;
      }
    }
  }
  napi_value args[2] = {frame, events};
  napi_value r;
  if (napi_call_function(env, undef, js_cb, 2, args, &r) != napi_ok) {
    /* A listener threw: report it as an uncaught exception, as an
     * EventEmitter listener would. */
    napi_value exc;
    if (napi_get_and_clear_last_exception(env, &exc) == napi_ok) {
      napi_fatal_exception(env, exc);
    }
  }
}

/* Runs on the JS thread for each signal: hand the newest frame and all
 * buffered events to the dispatcher (index.js). The pending flag is cleared
 * only after the listeners return: Node runs up to 1000 queued calls of a
 * TSFN in one turn of the event loop, so a signal queued while a slow
 * listener runs would let the stream starve timers and I/O. Data that
 * arrives meanwhile is re-signalled by the poller on its next wake-up. */
static void call_js(napi_env env, napi_value js_cb, void *context, void *data) {
  (void)data;
  if (env == NULL || js_cb == NULL) {
    return; /* the TSFN is being torn down */
  }
  ha_node_player *p = context;
  deliver(env, js_cb, p);
  atomic_store_explicit(&p->signal_pending, 0, memory_order_release);
}

static void tsfn_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  player_unref(hint);
}

/* _listen(dispatcher): create the thread-safe function (once). */
static napi_value player_listen(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  ha_node_player *p = this_player(env, info, &argc, argv, true);
  if (p == NULL) {
    return NULL;
  }
  if (argc < 1 || !ha_node_is_type(env, argv[0], napi_function)) {
    return ha_node_type_error(env, "_listen expects a function");
  }
  if (p->tsfn != NULL) {
    return NULL;
  }
  napi_value name;
  NAPI_CALL(env, napi_create_string_utf8(env, "holoanim.Player.stream", NAPI_AUTO_LENGTH, &name));
  NAPI_CALL(env, napi_create_threadsafe_function(env, argv[0], NULL, name, 0, 1, NULL,
                                                 tsfn_finalize, p, call_js, &p->tsfn));
  p->refs++; /* the TSFN's */
  NAPI_CALL(env, napi_unref_threadsafe_function(env, p->tsfn));
  p->tsfn_refd = false;
  return NULL;
}

/* _setStreaming(positionsRateHz, wantEvents) */
static napi_value player_set_streaming(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  ha_node_player *p = this_player(env, info, &argc, argv, false);
  if (p == NULL) {
    return NULL;
  }
  double rate;
  bool events;
  if (!ha_node_get_number(env, argc > 0 ? argv[0] : NULL, "rate", &rate) ||
      !ha_node_get_bool(env, argc > 1 ? argv[1] : NULL, "events", &events)) {
    return NULL;
  }
  if (rate < 0.0 || rate > 1000.0) {
    return ha_node_range_error(env, "rate must be in [0, 1000] Hz, got %g", rate);
  }
  if (p->closed) {
    return NULL;
  }
  pthread_mutex_lock(&p->mu);
  p->pos_rate = rate;
  p->want_events = events;
  pthread_mutex_unlock(&p->mu);
  update_streaming(env, p);
  return NULL;
}

static napi_value player_stream_stats(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  ha_node_player *p = this_player(env, info, &argc, NULL, false);
  if (p == NULL) {
    return NULL;
  }
  napi_value o;
  NAPI_CALL(env, napi_create_object(env, &o));
  pthread_mutex_lock(&p->mu);
  uint64_t frames = p->frames, skipped = p->frames_skipped, dropped = p->events_dropped,
           signals = p->signals;
  bool running = p->poller_running;
  pthread_mutex_unlock(&p->mu);
  if (!ha_node_set_number(env, o, "frames", (double)frames) ||
      !ha_node_set_number(env, o, "framesSkipped", (double)skipped) ||
      !ha_node_set_number(env, o, "eventsDropped", (double)dropped) ||
      !ha_node_set_number(env, o, "signals", (double)signals) ||
      !ha_node_set_bool(env, o, "pollerRunning", running) ||
      !ha_node_set_bool(env, o, "loopRef", p->tsfn_refd)) {
    return NULL;
  }
  return o;
}

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
  pthread_mutex_lock(&p->mu);
  bool listening = p->want_events;
  if (listening) {
    ring_push_locked(p, &e);
  }
  pthread_mutex_unlock(&p->mu);
  if (listening) {
    signal_js(p, p->tsfn);
  }
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
static ha_status bare(ha_status st, ha_error *err, const char *what, const char *why) {
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
    st = bare(st, err, "play", "cannot play");
    break;
  case U_PAUSE: st = bare(ha_player_pause(hp), err, "pause", "cannot pause"); break;
  case U_STOP:
    st = bare(ha_player_stop(hp, u->a), err, "fade", "must be in [0, 3600] s");
    if (st == HA_OK) {
      p->autostarted = false;
    }
    break;
  case U_SEEK:
    st = bare(ha_player_seek(hp, u->a), err, "time", "must be finite, |t| <= 1e9 s");
    break;
  case U_SPEED:
    st = bare(ha_player_set_speed(hp, u->a), err, "speed", "must be in (0, 1000]");
    break;
  case U_PANIC: st = bare(ha_player_panic(hp), err, "panic", "cannot panic"); break;
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
    st = bare(st, err, "cue", "cannot fire");
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
      st = bare(st, err, "tracks", "needs 1 to maxTracks tracks");
    } else {
      st = ha_player_update_animation(hp, u->id, m);
      st = bare(st, err, "tag", "unknown animation");
    }
    break;
  }
  case U_STOP_ANIM:
    st = bare(ha_player_stop_animation(hp, u->id, u->a), err, "fade", "must be in [0, 3600] s");
    break;
  case U_STOP_TRACK:
    st = bare(ha_player_stop_track(hp, u->id, u->a), err, "fade", "must be in [0, 3600] s");
    break;
  case U_GOTO:
    st = bare(ha_player_goto(hp, u->id, u->v, u->a, u->easing, u->aed, u->delay), err, "goto",
              "duration and delay must be in [0, 1e6] s");
    break;
  case U_SET_BASE:
    st = bare(ha_player_set_base(hp, u->id, u->v), err, "position", "must be finite");
    break;
  case U_ECHO:
    st = bare(ha_player_device_echo(hp, u->id, u->v), err, "position", "must be finite");
    break;
  default: st = HA_EINVAL; break;
  }
  pthread_mutex_unlock(&p->op_mu);
  return st;
}

/* ---- parsing operations (JS thread) ---------------------------------------------------------- */

static bool get_tracks(napi_env env, napi_value v, update *u) {
  bool arr = false, ta = false;
  NAPI_CALL_B(env, napi_is_array(env, v, &arr));
  NAPI_CALL_B(env, napi_is_typedarray(env, v, &ta));
  if (ta) {
    napi_typedarray_type type;
    size_t len;
    void *data;
    NAPI_CALL_B(env, napi_get_typedarray_info(env, v, &type, &len, &data, NULL, NULL));
    if (type != napi_uint32_array) {
      ha_node_type_error(env, "tracks must be an array of track ids or a Uint32Array");
      return false;
    }
    u->tracks = malloc((len ? len : 1) * sizeof(uint32_t));
    if (u->tracks == NULL) {
      ha_node_throw(env, HA_ENOMEM, NULL, "tracks");
      return false;
    }
    memcpy(u->tracks, data, len * sizeof(uint32_t));
    u->ntracks = len;
    return true;
  }
  if (!arr) {
    ha_node_type_error(env, "tracks must be an array of track ids or a Uint32Array");
    return false;
  }
  uint32_t len;
  NAPI_CALL_B(env, napi_get_array_length(env, v, &len));
  u->tracks = malloc((len ? len : 1) * sizeof(uint32_t));
  if (u->tracks == NULL) {
    ha_node_throw(env, HA_ENOMEM, NULL, "tracks");
    return false;
  }
  u->ntracks = len;
  for (uint32_t i = 0; i < len; i++) {
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

/* Run an update synchronously; throw on failure; return the tag for starts. */
static napi_value run_sync(napi_env env, ha_node_player *p, update *u) {
  ha_error err;
  ha_status st = apply_update(p, u, &err);
  uint32_t tag = u->id;
  int type = u->type;
  update_deinit(u);
  if (st != HA_OK) {
    return ha_node_throw(env, st, &err, NULL);
  }
  if (type == U_START) {
    napi_value r;
    NAPI_CALL(env, napi_create_uint32(env, tag, &r));
    return r;
  }
  return NULL;
}

/* ---- updateState (async) ----------------------------------------------------------------------
 */

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
    napi_value v = NULL;
    bool ok = status == napi_ok && w->status == HA_OK;
    if (ok) {
      if (w->u.type == U_START) {
        napi_create_uint32(env, w->u.id, &v);
      } else {
        napi_get_undefined(env, &v);
      }
    } else {
      v = ha_node_make_error(env, status == napi_ok ? w->status : HA_EINTERNAL, &w->err,
                             "updateState");
    }
    if (v == NULL) {
      napi_get_and_clear_last_exception(env, &v);
      ok = false;
    }
    if (ok) {
      napi_resolve_deferred(env, w->deferred, v);
    } else {
      napi_reject_deferred(env, w->deferred, v);
    }
    napi_delete_async_work(env, w->work);
  }
  update_deinit(&w->u);
  player_unref(w->p);
  free(w);
}

static napi_value player_update_state(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  ha_node_player *p = this_player(env, info, &argc, argv, false);
  if (p == NULL) {
    return NULL;
  }
  update_work *w = calloc(1, sizeof(*w));
  if (w == NULL) {
    return ha_node_throw(env, HA_ENOMEM, NULL, "updateState");
  }
  if (!parse_update(env, p, argc > 0 ? argv[0] : NULL, &w->u)) {
    update_deinit(&w->u);
    free(w);
    return NULL;
  }
  w->p = p;
  napi_value promise, name;
  napi_status s = napi_create_promise(env, &w->deferred, &promise);
  if (s == napi_ok) {
    s = napi_create_string_utf8(env, "holoanim.updateState", NAPI_AUTO_LENGTH, &name);
  }
  if (s == napi_ok) {
    s = napi_create_async_work(env, NULL, name, update_execute, update_complete, w, &w->work);
  }
  if (s == napi_ok) {
    s = napi_queue_async_work(env, w->work);
    if (s != napi_ok) {
      napi_delete_async_work(env, w->work);
    }
  }
  if (s != napi_ok) {
    update_deinit(&w->u);
    free(w);
    return ha_node_napi_fail(env, s, "updateState", __LINE__);
  }
  p->refs++; /* the work's, dropped in update_complete */
  return promise;
}

/* ---- synchronous control methods ----------------------------------------------------------------
 */

static napi_value simple_cmd(napi_env env, napi_callback_info info, int type, const char *arg,
                             bool required, double def) {
  size_t argc = 1;
  napi_value argv[1];
  ha_node_player *p = this_player(env, info, &argc, argv, true);
  if (p == NULL) {
    return NULL;
  }
  update u;
  memset(&u, 0, sizeof(u));
  u.type = type;
  u.a = def;
  if (arg != NULL) {
    if (argc > 0 && !ha_node_is_nullish(env, argv[0])) {
      if (!ha_node_get_number(env, argv[0], arg, &u.a)) {
        return NULL;
      }
    } else if (required) {
      return ha_node_type_error(env, "%s must be a number", arg);
    }
  }
  return run_sync(env, p, &u);
}

static napi_value player_play(napi_env env, napi_callback_info info) {
  return simple_cmd(env, info, U_PLAY, NULL, false, 0.0);
}
static napi_value player_pause(napi_env env, napi_callback_info info) {
  return simple_cmd(env, info, U_PAUSE, NULL, false, 0.0);
}
static napi_value player_panic(napi_env env, napi_callback_info info) {
  return simple_cmd(env, info, U_PANIC, NULL, false, 0.0);
}
static napi_value player_stop(napi_env env, napi_callback_info info) {
  return simple_cmd(env, info, U_STOP, "fade", false, 0.0);
}
static napi_value player_seek(napi_env env, napi_callback_info info) {
  return simple_cmd(env, info, U_SEEK, "time", true, 0.0);
}
static napi_value player_set_speed(napi_env env, napi_callback_info info) {
  return simple_cmd(env, info, U_SPEED, "speed", true, 1.0);
}
/* The cue's operations as the core's interpreter makes them
 * (ha_show_cue_ops), one object per operation: {action, type: 'start' |
 * 'stopAnimation' | 'stopTrack' | 'goto', ...}. */
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

/* The effects of cue `number` of the player's show, or NULL with an
 * exception (ESTATE: no show, ENOTFOUND: no such cue). */
static napi_value cue_effects(napi_env env, ha_node_player *p, double number) {
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

static bool cue_number_arg(napi_env env, napi_callback_info info, ha_node_player **p,
                           double *number) {
  size_t argc = 1;
  napi_value argv[1];
  *p = this_player(env, info, &argc, argv, true);
  if (*p == NULL) {
    return false;
  }
  if (argc < 1 || ha_node_is_nullish(env, argv[0])) {
    ha_node_type_error(env, "cue must be a number");
    return false;
  }
  return ha_node_get_number(env, argv[0], "cue", number);
}

/* goCue(number) → what it did: fire the cue (the core queues its
 * operations on the player), then list them with the show's tags. */
static napi_value player_go_cue(napi_env env, napi_callback_info info) {
  ha_node_player *p = NULL;
  update u;
  memset(&u, 0, sizeof(u));
  u.type = U_CUE;
  if (!cue_number_arg(env, info, &p, &u.a)) {
    return NULL;
  }
  bool pending = false;
  run_sync(env, p, &u);
  NAPI_CALL(env, napi_is_exception_pending(env, &pending));
  return pending ? NULL : cue_effects(env, p, u.a);
}

/* cueEffects(number) → what goCue(number) would do, without firing it. */
static napi_value player_cue_effects(napi_env env, napi_callback_info info) {
  ha_node_player *p = NULL;
  double number = 0.0;
  return cue_number_arg(env, info, &p, &number) ? cue_effects(env, p, number) : NULL;
}

/* startAnimation({...}) → tag; and the others taking an object: all go
 * through parse_update with a forced type. */
static napi_value object_cmd(napi_env env, napi_callback_info info, const char *type) {
  size_t argc = 1;
  napi_value argv[1];
  ha_node_player *p = this_player(env, info, &argc, argv, true);
  if (p == NULL) {
    return NULL;
  }
  if (argc < 1 || !ha_node_is_type(env, argv[0], napi_object)) {
    return ha_node_type_error(env, "%s expects an options object", type);
  }
  napi_value o = ha_node_assign(env, argv[0], NULL), t;
  if (o == NULL) {
    return NULL;
  }
  NAPI_CALL(env, napi_create_string_utf8(env, type, NAPI_AUTO_LENGTH, &t));
  NAPI_CALL(env, napi_set_named_property(env, o, "type", t));
  update u;
  if (!parse_update(env, p, o, &u)) {
    update_deinit(&u);
    return NULL;
  }
  return run_sync(env, p, &u);
}

static napi_value player_start_animation(napi_env env, napi_callback_info info) {
  return object_cmd(env, info, "startAnimation");
}
static napi_value player_replace_animation(napi_env env, napi_callback_info info) {
  return object_cmd(env, info, "setParameter");
}

/* (id|tag, fade?) */
static napi_value id_fade_cmd(napi_env env, napi_callback_info info, int type, const char *what,
                              uint32_t min) {
  size_t argc = 2;
  napi_value argv[2];
  ha_node_player *p = this_player(env, info, &argc, argv, true);
  if (p == NULL) {
    return NULL;
  }
  update u;
  memset(&u, 0, sizeof(u));
  u.type = type;
  if (!ha_node_get_u32(env, argc > 0 ? argv[0] : NULL, what, min, UINT32_MAX, &u.id) ||
      (argc > 1 && !ha_node_is_nullish(env, argv[1]) &&
       !ha_node_get_number(env, argv[1], "fade", &u.a))) {
    return NULL;
  }
  return run_sync(env, p, &u);
}

static napi_value player_stop_animation(napi_env env, napi_callback_info info) {
  return id_fade_cmd(env, info, U_STOP_ANIM, "tag", 0);
}
static napi_value player_stop_track(napi_env env, napi_callback_info info) {
  return id_fade_cmd(env, info, U_STOP_TRACK, "track", 1);
}

/* (track, [x,y,z], options?) */
static napi_value track_pos_cmd(napi_env env, napi_callback_info info, int type) {
  size_t argc = 3;
  napi_value argv[3];
  ha_node_player *p = this_player(env, info, &argc, argv, true);
  if (p == NULL) {
    return NULL;
  }
  update u;
  memset(&u, 0, sizeof(u));
  u.type = type;
  if (!ha_node_get_u32(env, argc > 0 ? argv[0] : NULL, "track", 1, UINT32_MAX, &u.id) ||
      !ha_node_get_vec3(env, argc > 1 ? argv[1] : NULL, "position", &u.v)) {
    return NULL;
  }
  if (type == U_GOTO && argc > 2 && !ha_node_is_nullish(env, argv[2])) {
    if (!ha_node_is_type(env, argv[2], napi_object)) {
      return ha_node_type_error(env, "goto options must be an object");
    }
    if (!get_goto(env, argv[2], &u)) {
      return NULL;
    }
  }
  return run_sync(env, p, &u);
}

static napi_value player_goto(napi_env env, napi_callback_info info) {
  return track_pos_cmd(env, info, U_GOTO);
}
static napi_value player_set_base(napi_env env, napi_callback_info info) {
  return track_pos_cmd(env, info, U_SET_BASE);
}
static napi_value player_device_echo(napi_env env, napi_callback_info info) {
  return track_pos_cmd(env, info, U_ECHO);
}

/* ---- setup: tracks, outputs, shows, start, close ----------------------------------------------
 */

static bool before_start(napi_env env, ha_node_player *p, const char *what) {
  if (p->started) {
    ha_error err;
    ha_error_clear(&err);
    snprintf(err.message, sizeof(err.message), "%s: only before start()", what);
    ha_node_throw(env, HA_ESTATE, &err, what);
    return false;
  }
  return true;
}

static napi_value player_add_track(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  ha_node_player *p = this_player(env, info, &argc, argv, true);
  if (p == NULL || !before_start(env, p, "addTrack")) {
    return NULL;
  }
  uint32_t id;
  ha_vec3 base = {0.0, 0.0, 0.0};
  if (!ha_node_get_u32(env, argc > 0 ? argv[0] : NULL, "id", 1, UINT32_MAX, &id) ||
      (argc > 1 && !ha_node_is_nullish(env, argv[1]) &&
       !ha_node_get_vec3(env, argv[1], "base", &base))) {
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

static bool parse_map(napi_env env, napi_value v, ha_output_map_entry **out, size_t *n) {
  *out = NULL;
  *n = 0;
  bool arr = false;
  NAPI_CALL_B(env, napi_is_array(env, v, &arr));
  if (arr) {
    /* [[track, index], ...] */
    uint32_t len;
    NAPI_CALL_B(env, napi_get_array_length(env, v, &len));
    ha_output_map_entry *m = calloc(len ? len : 1, sizeof(*m));
    if (m == NULL) {
      ha_node_throw(env, HA_ENOMEM, NULL, "map");
      return false;
    }
    for (uint32_t i = 0; i < len; i++) {
      napi_value e, a, b;
      char what[48];
      snprintf(what, sizeof(what), "map[%u]", i);
      if (napi_get_element(env, v, i, &e) != napi_ok ||
          napi_get_element(env, e, 0, &a) != napi_ok ||
          napi_get_element(env, e, 1, &b) != napi_ok ||
          !ha_node_get_u32(env, a, what, 1, UINT32_MAX, &m[i].track) ||
          !ha_node_get_u32(env, b, what, 1, UINT32_MAX, &m[i].index)) {
        free(m);
        ha_node_type_error(env, "map must be [[track, index], ...] or {track: index}");
        return false;
      }
    }
    *out = m;
    *n = len;
    return true;
  }
  if (!ha_node_is_type(env, v, napi_object)) {
    ha_node_type_error(env, "map must be [[track, index], ...] or {track: index}");
    return false;
  }
  napi_value keys;
  uint32_t len;
  NAPI_CALL_B(env, napi_get_property_names(env, v, &keys));
  NAPI_CALL_B(env, napi_get_array_length(env, keys, &len));
  ha_output_map_entry *m = calloc(len ? len : 1, sizeof(*m));
  if (m == NULL) {
    ha_node_throw(env, HA_ENOMEM, NULL, "map");
    return false;
  }
  for (uint32_t i = 0; i < len; i++) {
    napi_value k, val, num;
    char what[48];
    snprintf(what, sizeof(what), "map key %u", i);
    if (napi_get_element(env, keys, i, &k) != napi_ok ||
        napi_get_property(env, v, k, &val) != napi_ok ||
        napi_coerce_to_number(env, k, &num) != napi_ok ||
        !ha_node_get_u32(env, num, what, 1, UINT32_MAX, &m[i].track) ||
        !ha_node_get_u32(env, val, "map value", 1, UINT32_MAX, &m[i].index)) {
      free(m);
      return false;
    }
  }
  *out = m;
  *n = len;
  return true;
}

/* addOutput({host, port, dialect, coords, ...}) → index */
static napi_value player_add_output(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  ha_node_player *p = this_player(env, info, &argc, argv, true);
  if (p == NULL || !before_start(env, p, "addOutput")) {
    return NULL;
  }
  ha_output_config c = ha_output_config_default();
  napi_value o = argc > 0 ? argv[0] : NULL;
  if (!ha_node_is_type(env, o, napi_object)) {
    return ha_node_type_error(env, "addOutput expects an options object {host, port, ...}");
  }
  char host[256], dialect[32], coords[32], az[32];
  bool has_host = false, has_dialect = false, has_coords = false, has_az = false, found;
  uint32_t port = (uint32_t)c.port, maxdg = (uint32_t)c.max_datagram,
           bmax = (uint32_t)c.bundle_max_messages;
  ha_error err;
  ha_error_clear(&err);
  if (!ha_node_opt_string(env, o, "host", host, sizeof(host), &has_host) ||
      !ha_node_opt_u32(env, o, "port", 1, 65535, &port) ||
      !ha_node_opt_string(env, o, "dialect", dialect, sizeof(dialect), &has_dialect) ||
      !ha_node_opt_string(env, o, "coords", coords, sizeof(coords), &has_coords) ||
      !ha_node_opt_string(env, o, "azimuthSign", az, sizeof(az), &has_az) ||
      !ha_node_opt_number(env, o, "admScale", &c.adm_scale) ||
      !ha_node_opt_number(env, o, "rate", &c.rate_hz) ||
      !ha_node_opt_number(env, o, "deadband", &c.deadband_m) ||
      !ha_node_opt_number(env, o, "deadbandDeg", &c.deadband_deg) ||
      !ha_node_opt_number(env, o, "keepAlive", &c.keep_alive_s) ||
      !ha_node_opt_bool(env, o, "bundle", &c.bundle) ||
      !ha_node_opt_u32(env, o, "maxDatagram", 0, 65507, &maxdg) ||
      !ha_node_opt_u32(env, o, "bundleMaxMessages", 0, 1u << 20, &bmax) ||
      !ha_node_opt_number(env, o, "lookaheadMs", &c.lookahead_ms) ||
      !ha_node_opt_bool(env, o, "mapOnly", &c.map_only)) {
    return NULL;
  }
  c.port = (int)port;
  c.max_datagram = maxdg;
  c.bundle_max_messages = bmax;
  if (has_host) {
    c.host = host;
  }
  ha_status st = HA_OK;
  if (has_dialect) {
    st = ha_output_dialect_parse(dialect, &c.dialect, &err);
  }
  if (st == HA_OK && has_coords) {
    st = ha_output_coords_parse(coords, &c.coords, &err);
  }
  if (st == HA_OK && has_az) {
    if (strcmp(az, "clockwise") == 0 || strcmp(az, "cw") == 0) {
      c.azimuth_sign = HA_AZIMUTH_CLOCKWISE;
    } else if (strcmp(az, "counterclockwise") == 0 || strcmp(az, "ccw") == 0) {
      c.azimuth_sign = HA_AZIMUTH_COUNTERCLOCKWISE;
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
  c.map = map;
  c.map_len = nmap;
  size_t index = 0;
  pthread_mutex_lock(&p->op_mu);
  st = ha_player_add_output(p->player, &c, &index, &err);
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

/* loadShow(textOrPath, isPath) → summary */
static napi_value player_load_show(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  ha_node_player *p = this_player(env, info, &argc, argv, true);
  if (p == NULL || !before_start(env, p, "loadShow")) {
    return NULL;
  }
  if (p->show != NULL || p->tracks_added > 0 || p->outputs_added > 0) {
    ha_error err;
    ha_error_clear(&err);
    snprintf(err.message, sizeof(err.message),
             "loadShow: call it once, before addTrack/addOutput (the show sizes the player)");
    return ha_node_throw(env, HA_ESTATE, &err, "loadShow");
  }
  bool is_path = false;
  if (argc < 1 || !ha_node_is_type(env, argv[0], napi_string)) {
    return ha_node_type_error(env, "loadShow expects JSON text, a file path or an object");
  }
  if (argc > 1 && !ha_node_get_bool(env, argv[1], "isPath", &is_path)) {
    return NULL;
  }
  size_t len = 0;
  NAPI_CALL(env, napi_get_value_string_utf8(env, argv[0], NULL, 0, &len));
  char *text = malloc(len + 1);
  if (text == NULL) {
    return ha_node_throw(env, HA_ENOMEM, NULL, "loadShow");
  }
  NAPI_CALL(env, napi_get_value_string_utf8(env, argv[0], text, len + 1, &len));
  ha_diags *d = NULL;
  ha_show *show = NULL;
  ha_status st = ha_diags_create(&d);
  if (st == HA_OK) {
    st = is_path ? ha_show_load_file(text, &show, d)
                 : ha_show_load_string(text, len, "show.json", &show, d);
  }
  free(text);
  if (st != HA_OK) {
    napi_value e = ha_node_diags_error(env, st, d, "loadShow");
    ha_diags_destroy(d);
    if (e != NULL) {
      napi_throw(env, e);
    }
    return NULL;
  }
  /* Size a new player for the show (limits, tracks, outputs), then fill it. */
  ha_player_config cfg = p->cfg;
  if (!p->max_tracks_given) {
    cfg.max_tracks = 1;
  }
  cfg = ha_show_player_config(show, &cfg);
  ha_error err;
  ha_error_clear(&err);
  ha_player *hp = NULL;
  st = ha_player_create(&cfg, &hp, &err);
  if (st == HA_OK) {
    st = ha_show_player_setup(show, hp, &err);
  }
  if (st != HA_OK) {
    ha_player_destroy(hp);
    ha_show_destroy(show);
    ha_diags_destroy(d);
    return ha_node_throw(env, st, &err, "loadShow");
  }
  pthread_mutex_lock(&p->op_mu);
  ha_player *old = p->player;
  p->player = hp;
  p->show = show;
  p->cfg = cfg;
  p->autostarted = false;
  pthread_mutex_unlock(&p->op_mu);
  ha_player_destroy(old);

  size_t nt = 0, na = 0, ng = 0, nc = 0, no = 0, np = 0;
  ha_show_tracks(show, &nt);
  ha_show_animations(show, &na);
  const ha_show_group *groups = ha_show_groups(show, &ng);
  const ha_show_cue *cues = ha_show_cues(show, &nc);
  ha_show_outputs(show, &no);
  ha_show_presets(show, &np);
  napi_value r, warnings, gl, cl;
  NAPI_CALL(env, napi_create_object(env, &r));
  NAPI_CALL(env, napi_create_array(env, &warnings));
  uint32_t k = 0;
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    char line[768];
    napi_value s;
    ha_diag_format(ha_diags_at(d, i), line, sizeof(line));
    NAPI_CALL(env, napi_create_string_utf8(env, line, NAPI_AUTO_LENGTH, &s));
    NAPI_CALL(env, napi_set_element(env, warnings, k++, s));
  }
  ha_diags_destroy(d);
  NAPI_CALL(env, napi_create_array_with_length(env, ng, &gl));
  for (size_t i = 0; i < ng; i++) {
    napi_value g;
    NAPI_CALL(env, napi_create_object(env, &g));
    if (!ha_node_set_string(env, g, "name", groups[i].name) ||
        !ha_node_set_number(env, g, "tag", (double)i) ||
        !ha_node_set_bool(env, g, "autoStart", groups[i].auto_start)) {
      return NULL;
    }
    NAPI_CALL(env, napi_set_element(env, gl, (uint32_t)i, g));
  }
  NAPI_CALL(env, napi_create_array_with_length(env, nc, &cl));
  for (size_t i = 0; i < nc; i++) {
    napi_value c;
    NAPI_CALL(env, napi_create_object(env, &c));
    if (!ha_node_set_number(env, c, "number", cues[i].number) ||
        !ha_node_set_string(env, c, "name", cues[i].name)) {
      return NULL;
    }
    NAPI_CALL(env, napi_set_element(env, cl, (uint32_t)i, c));
  }
  const char *name = ha_show_name(show);
  if (!ha_node_set_string(env, r, "name", name ? name : "") ||
      !ha_node_set_number(env, r, "tracks", (double)nt) ||
      !ha_node_set_number(env, r, "animations", (double)na) ||
      !ha_node_set_value(env, r, "groups", gl) || !ha_node_set_value(env, r, "cues", cl) ||
      !ha_node_set_number(env, r, "presets", (double)np) ||
      !ha_node_set_number(env, r, "outputs", (double)ha_player_output_count(hp)) ||
      !ha_node_set_value(env, r, "warnings", warnings)) {
    return NULL;
  }
  return r;
}

/* replaceShow(text) → summary of cues: swap the show the player fires cues
 * and starts groups from, without rebuilding the player (its tracks, outputs
 * and limits stay). The new show must have the same track ids; an edit that
 * changes tracks, outputs or limits needs a new player (ESTATE). */
static napi_value player_replace_show(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  ha_node_player *p = this_player(env, info, &argc, argv, true);
  if (p == NULL) {
    return NULL;
  }
  if (argc < 1 || !ha_node_is_type(env, argv[0], napi_string)) {
    return ha_node_type_error(env, "replaceShow expects the show as JSON text");
  }
  size_t len = 0;
  NAPI_CALL(env, napi_get_value_string_utf8(env, argv[0], NULL, 0, &len));
  char *text = malloc(len + 1);
  if (text == NULL) {
    return ha_node_throw(env, HA_ENOMEM, NULL, "replaceShow");
  }
  NAPI_CALL(env, napi_get_value_string_utf8(env, argv[0], text, len + 1, &len));
  ha_diags *d = NULL;
  ha_show *show = NULL;
  ha_status st = ha_diags_create(&d);
  if (st == HA_OK) {
    st = ha_show_load_string(text, len, "show.json", &show, d);
  }
  free(text);
  if (st != HA_OK) {
    napi_value e = ha_node_diags_error(env, st, d, "loadShow");
    ha_diags_destroy(d);
    if (e != NULL) {
      napi_throw(env, e);
    }
    return NULL;
  }
  ha_diags_destroy(d);
  pthread_mutex_lock(&p->op_mu);
  size_t n_old = 0, n_new = 0;
  const ha_show_track *a = p->show ? ha_show_tracks(p->show, &n_old) : NULL;
  const ha_show_track *b = ha_show_tracks(show, &n_new);
  bool same = p->show != NULL && n_old == n_new;
  for (size_t i = 0; same && i < n_new; i++) {
    same = a[i].id == b[i].id;
  }
  ha_show *old = NULL;
  if (same) {
    old = p->show;
    p->show = show;
  }
  pthread_mutex_unlock(&p->op_mu);
  if (!same) {
    ha_show_destroy(show);
    ha_error err;
    ha_error_clear(&err);
    snprintf(err.message, sizeof(err.message),
             "replaceShow: the player was loaded from a show with other tracks (load it in a "
             "new player)");
    return ha_node_throw(env, HA_ESTATE, &err, "replaceShow");
  }
  ha_show_destroy(old);
  return NULL;
}

static napi_value player_start(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  ha_node_player *p = this_player(env, info, &argc, NULL, true);
  if (p == NULL) {
    return NULL;
  }
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
  update_streaming(env, p);
  return NULL;
}

static napi_value player_close_js(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  ha_node_player *p = this_player(env, info, &argc, NULL, false);
  if (p != NULL) {
    player_close(p);
  }
  return NULL;
}

/* ---- state -------------------------------------------------------------------------------------
 */

static napi_value player_snapshot(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  ha_node_player *p = this_player(env, info, &argc, NULL, true);
  if (p == NULL) {
    return NULL;
  }
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
  return snapshot_object(env, p->js_snap);
}

static napi_value player_get_status(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  ha_node_player *p = this_player(env, info, &argc, NULL, false);
  if (p == NULL) {
    return NULL;
  }
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

static napi_value player_get_metrics(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  ha_node_player *p = this_player(env, info, &argc, NULL, true);
  if (p == NULL) {
    return NULL;
  }
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

static napi_value player_output_stats(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  ha_node_player *p = this_player(env, info, &argc, NULL, true);
  if (p == NULL) {
    return NULL;
  }
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

/* ---- init
 * ------------------------------------------------------------------------------------------ */

#define METHOD(name, fn) \
  { name, NULL, fn, NULL, NULL, NULL, napi_default, NULL }

napi_value ha_node_init_player(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      METHOD("addTrack", player_add_track),
      METHOD("addOutput", player_add_output),
      METHOD("loadShow", player_load_show),
      METHOD("replaceShow", player_replace_show),
      METHOD("start", player_start),
      METHOD("close", player_close_js),
      METHOD("play", player_play),
      METHOD("pause", player_pause),
      METHOD("stop", player_stop),
      METHOD("seek", player_seek),
      METHOD("setSpeed", player_set_speed),
      METHOD("goCue", player_go_cue),
      METHOD("cueEffects", player_cue_effects),
      METHOD("panic", player_panic),
      METHOD("startAnimation", player_start_animation),
      METHOD("replaceAnimation", player_replace_animation),
      METHOD("stopAnimation", player_stop_animation),
      METHOD("stopTrack", player_stop_track),
      METHOD("goto", player_goto),
      METHOD("setBase", player_set_base),
      METHOD("deviceEcho", player_device_echo),
      METHOD("updateState", player_update_state),
      METHOD("snapshot", player_snapshot),
      METHOD("getStatus", player_get_status),
      METHOD("getMetrics", player_get_metrics),
      METHOD("getOutputStats", player_output_stats),
      METHOD("_listen", player_listen),
      METHOD("_setStreaming", player_set_streaming),
      METHOD("streamStats", player_stream_stats),
  };
  napi_value ctor;
  NAPI_CALL(env, napi_define_class(env, "NativePlayer", NAPI_AUTO_LENGTH, player_ctor, NULL,
                                   sizeof(props) / sizeof(props[0]), props, &ctor));
  NAPI_CALL(env, napi_set_named_property(env, exports, "NativePlayer", ctor));
  return exports;
}
