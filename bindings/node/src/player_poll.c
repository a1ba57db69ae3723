/* holoanim Node addon: the Player's streaming (on('positions') / on('event')).
 *
 * The tick thread never calls N-API. A small poller thread per player,
 * running only while someone listens, wakes at the requested rate, copies
 * the latest published tick from the player's store into a preallocated
 * triple buffer and moves player events into a preallocated ring, then
 * signals ONE thread-safe function (non-blocking, and only when no signal is
 * already pending). The JS side takes the newest frame and every buffered
 * event in one call. A slow consumer therefore never stalls anything: frames
 * it did not take are overwritten (counted as skipped) and the event ring
 * drops its oldest entries when full (counted). Rejected: one TSFN call per
 * frame (the queue grows with a slow consumer) and a blocking call (stalls
 * the poller).
 *
 * The TSFN holds a reference on the player state (dropped by its finalizer)
 * and is unref'd whenever nobody listens, so an idle player never keeps the
 * event loop alive. Cue events (goCue) enter the same ring from the thread
 * that fired the cue (ha_node_player_post_event). */
#include "player_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void ha_node_player_poller_stop(ha_node_player *p) {
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

void ha_node_player_post_event(ha_node_player *p, const node_event *e) {
  pthread_mutex_lock(&p->mu);
  bool listening = p->want_events;
  if (listening) {
    ring_push_locked(p, e);
  }
  pthread_mutex_unlock(&p->mu);
  if (listening) {
    signal_js(p, p->tsfn);
  }
}

static int event_type_from_player(ha_player_event_type t) {
  switch (t) {
  case HA_EVENT_CONFLICT: return NE_CONFLICT;
  case HA_EVENT_ANIMATION_ENDED: return NE_ANIMATION_ENDED;
  case HA_EVENT_SHOW_ENDED: return NE_SHOW_ENDED;
  case HA_EVENT_COMMAND_FAILED: return NE_COMMAND_FAILED;
  case HA_EVENT_BASE_CHANGED: return NE_BASE_CHANGED;
  case HA_EVENT_STALL: return NE_STALL;
  }
  return NE_COMMAND_FAILED;
}

/* ---- the poller thread ------------------------------------------------------------------ */

static void timespec_add_seconds(struct timespec *ts, double s) {
  long ns = (long)(s * 1e9);
  ts->tv_sec += ns / 1000000000L;
  ts->tv_nsec += ns % 1000000000L;
  if (ts->tv_nsec >= 1000000000L) {
    ts->tv_nsec -= 1000000000L;
    ts->tv_sec++;
  }
}

static double timespec_seconds(const struct timespec *ts) {
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
          e->type = event_type_from_player(pe.type);
          e->time = pe.time;
          e->track = pe.track;
          e->tag = pe.tag;
          e->status = pe.status;
          e->position = pe.position;
          e->expected = pe.expected;
          if (pe.type == HA_EVENT_STALL) {
            snprintf(e->name, sizeof(e->name), "%s", pe.model ? pe.model : "");
            e->skipped = (double)pe.skipped;
            e->lateness = pe.lateness;
            e->cost = pe.cost;
          }
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
    timespec_add_seconds(&next, 1.0 / hz);
    if (timespec_seconds(&next) < now) {
      clock_gettime(CLOCK_MONOTONIC, &next); /* stalled: resume from now */
      timespec_add_seconds(&next, 1.0 / hz);
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
bool ha_node_player_streaming_update(napi_env env, ha_node_player *p) {
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
    ha_node_player_poller_stop(p);
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

napi_value ha_node_player_snapshot_object(napi_env env, const ha_store_snapshot *s) {
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
  case NE_STALL: return "stall";
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
    ok = ha_node_set_number(env, o, "cue", e->cue) && ha_node_set_string(env, o, "name", e->name) &&
         ha_node_set_string(env, o, "source", e->source);
    break;
  case NE_STALL:
    ok = ha_node_set_number(env, o, "skipped", e->skipped) &&
         ha_node_set_number(env, o, "lateness", e->lateness) &&
         ha_node_set_number(env, o, "cost", e->cost) &&
         ha_node_set_number(env, o, "track", e->track) &&
         ha_node_set_number(env, o, "tag", e->tag) && ha_node_set_string(env, o, "model", e->name);
    break;
  default: break;
  }
  return ok ? o : NULL;
}

/* Runs on the JS thread for each signal: hand the newest frame and all
 * buffered events to the dispatcher (index.js). */
static void stream_deliver(napi_env env, napi_value js_cb, ha_node_player *p) {
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
  if (have_frame && (frame = ha_node_player_snapshot_object(env, p->slots[p->front])) == NULL) {
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
static void stream_call_js(napi_env env, napi_value js_cb, void *context, void *data) {
  (void)data;
  if (env == NULL || js_cb == NULL) {
    return; /* the TSFN is being torn down */
  }
  ha_node_player *p = context;
  stream_deliver(env, js_cb, p);
  atomic_store_explicit(&p->signal_pending, 0, memory_order_release);
}

static void tsfn_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  ha_node_player_unref(hint);
}

/* _listen(dispatcher): create the thread-safe function (once). */
static napi_value player_listen(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  if (c->argc < 1 || !ha_node_is_type(env, c->argv[0], napi_function)) {
    return ha_node_type_error(env, "_listen expects a function");
  }
  if (p->tsfn != NULL) {
    return NULL;
  }
  napi_value name;
  NAPI_CALL(env, napi_create_string_utf8(env, "holoanim.Player.stream", NAPI_AUTO_LENGTH, &name));
  NAPI_CALL(env, napi_create_threadsafe_function(env, c->argv[0], NULL, name, 0, 1, NULL,
                                                 tsfn_finalize, p, stream_call_js, &p->tsfn));
  p->refs++; /* the TSFN's */
  NAPI_CALL(env, napi_unref_threadsafe_function(env, p->tsfn));
  p->tsfn_refd = false;
  return NULL;
}

/* _setStreaming(positionsRateHz, wantEvents) */
static napi_value player_set_streaming(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  double rate;
  bool events;
  if (!ha_node_get_number(env, c->argc > 0 ? c->argv[0] : NULL, "rate", &rate) ||
      !ha_node_get_bool(env, c->argc > 1 ? c->argv[1] : NULL, "events", &events)) {
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
  ha_node_player_streaming_update(env, p);
  return NULL;
}

static napi_value player_stream_stats(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
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

const ha_node_method ha_node_player_stream_methods[] = {
    {"_listen", player_listen, PLAYER_OPEN},
    {"_setStreaming", player_set_streaming, 0},
    {"streamStats", player_stream_stats, 0},
};
const size_t ha_node_player_stream_method_count =
    sizeof(ha_node_player_stream_methods) / sizeof(ha_node_player_stream_methods[0]);
