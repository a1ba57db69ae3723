/* The real-time player: tick thread, command queue, events, retired memory.
 *
 * All mutable show state (the engine) belongs to the tick thread. Other
 * threads talk to it only through the command queue (MPMC, fixed capacity)
 * and read results through the state store, the metrics and the event ring;
 * so there is no lock anywhere on the tick path. Memory that a command
 * carried (a motion, a track list) comes back to a control thread through a
 * second ring ("garbage") and is freed there: ha_player_* calls, the event
 * consumer and shutdown all collect it.
 *
 * Deadlines are absolute: next += period, clock_nanosleep(TIMER_ABSTIME).
 * A late tick still evaluates at the real `now`, so positions never drift;
 * after a stall of stall_threshold periods or more the missed deadlines are
 * skipped (and counted) instead of bursting to catch up, and the stall is an
 * event naming the slowest track evaluation of the tick before (the engine
 * times each per-track evaluation: one clock read, no allocation).
 *
 * A tick is a list of named steps (player_tick()): measure the real step
 * since the last tick (the speed cap's time), apply the queued commands and
 * the device echoes (their own per-track slots, echo.c, so a flood never
 * blocks a command), take the transport time, evaluate (the engine applies
 * transitions, the NaN guard, then the venue limits), publish to the store, send to the outputs,
 * account (each output reports what its call did, so nothing is diffed), report endings and hand
 * retired motions back, then the status words. */
#include "player_impl.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

/* The engine's per-evaluation timing (ha_engine_config.on_timed, on the
 * tick): a lock-free histogram record under the model's key. A model
 * outside the named keys (more models than HA_METRICS_MAX_KEYS) is not
 * recorded. */
static void record_model_time(void *user, const char *model, double seconds) {
  ha_player *p = user;
  for (size_t k = 0; k < p->nmodel_keys; k++) {
    if (p->model_key[k] == model) {
      ha_metrics_record_model(p->metrics, (unsigned)k,
                              seconds > 0.0 ? (uint64_t)(seconds * 1e9) : 0u);
      return;
    }
  }
}

/* Key k is model k of the registry, named in the metrics. */
static ha_status name_model_keys(ha_player *p) {
  size_t n = ha_model_count();
  p->nmodel_keys = n < HA_METRICS_MAX_KEYS ? n : HA_METRICS_MAX_KEYS;
  for (size_t k = 0; k < p->nmodel_keys; k++) {
    p->model_key[k] = ha_model_at(k)->name;
    ha_status st = ha_metrics_set_key_name(p->metrics, (unsigned)k, p->model_key[k]);
    if (st != HA_OK) {
      return st;
    }
  }
  return HA_OK;
}

/* What ha_player_create allocated: the engine, the queues and rings, the
 * per-track and per-animation buffers. Nothing is allocated afterwards on
 * the tick, so this is the memory_bytes gauge for the player's life. */
static uint64_t player_memory_bytes(const ha_player *p) {
  const ha_player_config *c = &p->cfg;
  size_t n = c->max_tracks;
  size_t garbage_cap = 2 * c->queue_capacity + 4 * c->max_animations;
  return (uint64_t)(sizeof(*p) + ha_engine_memory_bytes(p->engine) +
                    c->queue_capacity * sizeof(cmd) + c->event_capacity * sizeof(ha_player_event) +
                    garbage_cap * sizeof(garbage) + c->max_outputs * sizeof(*p->outputs) +
                    c->max_animations * sizeof(*p->tags) + ha__history_bytes(&p->sent) +
                    n * (2 * sizeof(*p->ids) + 9 * sizeof(double) + 2));
}

ha_status ha_player_create(const ha_player_config *cfg, ha_player **out, ha_error *err) {
  ha_player_config c = cfg ? *cfg : ha_player_config_default();
  if (!(c.tick_rate >= 1.0 && c.tick_rate <= 2000.0)) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "tickRate", c.tick_rate, 1, 2000);
  }
  if (c.max_outputs == 0 || c.max_outputs > 64) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "maxOutputs", (double)c.max_outputs, 1, 64);
  }
  if (c.queue_capacity < 16 || c.event_capacity < 16) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "queueCapacity", "<16",
                             "queues need at least 16 entries");
  }
  if (!(c.conflict_tolerance > 0.0 && c.conflict_tolerance < 1000.0)) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "conflictTolerance", c.conflict_tolerance, 1e-6,
                            1000);
  }
  if (!(c.echo_window >= 0.05 && c.echo_window <= 60.0)) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "echoWindow", c.echo_window, 0.05, 60);
  }
  if (!(c.stall_threshold >= 1.0 && c.stall_threshold <= 1e6)) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "stallThreshold", c.stall_threshold, 1, 1e6);
  }
  ha_status sst = c.sync.enabled ? ha_sync_config_check(&c.sync, err) : HA_OK;
  if (sst != HA_OK) {
    return sst;
  }
  ha_player *p = calloc(1, sizeof(*p));
  if (p == NULL) {
    return HA_ENOMEM;
  }
  p->cfg = c;
  p->period = 1.0 / c.tick_rate;
  p->last_now = NAN;
  p->drive_from = NAN;
  ha_clock_init(&p->clock);
  ha__sync_init(&p->sync, &c.sync);
  ha_engine_config ec = ha_engine_config_default();
  ec.max_tracks = c.max_tracks;
  ec.max_animations = c.max_animations;
  ec.blend_window = c.blend_window;
  ec.takeover_fade = c.takeover_fade;
  ec.limits = c.limits;
  ec.time_tracks = true;           /* a stall names its slowest track */
  ec.on_timed = record_model_time; /* and every evaluation feeds its model's histogram */
  ec.on_timed_user = p;
  ec.on_track_eval = c.on_track_eval;
  ec.on_track_eval_user = c.on_track_eval_user;
  ha_status st = ha_engine_create(&ec, &p->engine, err);
  if (st == HA_OK) {
    st = ha_store_create(c.max_tracks, &p->store);
  }
  if (st == HA_OK) {
    st = ha_metrics_create(&p->metrics);
  }
  if (st == HA_OK) {
    st = ha__mpmc_init(&p->commands, c.queue_capacity, sizeof(cmd));
  }
  if (st == HA_OK) {
    st = ha__spsc_init(&p->events, c.event_capacity, sizeof(ha_player_event));
  }
  if (st == HA_OK) {
    /* Every queued command can return at most two pieces of memory, and
     * every animation its motion plus a blended-out one. */
    st = ha__spsc_init(&p->garbage, 2 * c.queue_capacity + 4 * c.max_animations, sizeof(garbage));
  }
  if (st == HA_OK) {
    size_t n = c.max_tracks;
    p->outputs = calloc(c.max_outputs, sizeof(*p->outputs));
    p->tags = calloc(c.max_animations, sizeof(*p->tags));
    ha_status hst = ha__history_init(&p->sent, n, (size_t)ceil(c.echo_window * c.tick_rate) + 2);
    p->ids = calloc(n, sizeof(*p->ids));
    p->x = calloc(6 * n, sizeof(double));
    p->status = calloc(n, 1);
    if (ha__echoes_init(&p->echoes, n) != HA_OK || ha__trackstate_init(&p->ts, n) != HA_OK ||
        hst != HA_OK || p->outputs == NULL || p->tags == NULL || p->ids == NULL || p->x == NULL ||
        p->status == NULL) {
      st = HA_ENOMEM;
    } else {
      p->y = p->x + n;
      p->z = p->x + 2 * n;
      p->vx = p->x + 3 * n;
      p->vy = p->x + 4 * n;
      p->vz = p->x + 5 * n;
    }
  }
  if (st == HA_OK) {
    st = name_model_keys(p);
  }
  if (st != HA_OK) {
    ha_player_destroy(p);
    return st;
  }
  ha_metrics_record_memory(p->metrics, player_memory_bytes(p));
  /* relaxed / release: no other thread has seen p yet. */
  ha__store_relaxed_u64(&p->st_speed_bits, ha__dbits(1.0));
  ha__flag_clear_release(&p->collecting);
  *out = p;
  return HA_OK;
}

/* ---- memory returned by the tick ---- */

static void give_back(ha_player *p, int kind, void *ptr) {
  if (ptr == NULL) {
    return;
  }
  garbage g = {kind, ptr};
  if (ha__spsc_push(&p->garbage, &g) != HA_OK) {
    /* Sized so this cannot happen; leaking beats freeing on the tick. */
    ha_metrics_record_error(p->metrics, HA_ERROR_INTERNAL, HA_CATEGORY_STATE);
  }
}

/* Control side: free what the tick gave back. Called from every command
 * sender, the event consumer and shutdown; never from the tick. */
static void collect_garbage(ha_player *p) {
  /* acquire/release: the ring has one consumer at a time; a thread that
   * finds another collecting simply leaves the work to it. */
  if (ha__flag_test_and_set_acquire(&p->collecting)) {
    return;
  }
  garbage g;
  while (ha__spsc_pop(&p->garbage, &g) == HA_OK) {
    if (g.kind == GARBAGE_MOTION) {
      ha_motion_destroy(g.ptr);
    } else if (g.kind == GARBAGE_DRIVER) {
      ha__driver_release(g.ptr);
    } else {
      free(g.ptr);
    }
  }
  ha__flag_clear_release(&p->collecting);
}

/* The engine's retired motions, but a driver's own (`also`: one being
 * replaced), go back to a control thread to be freed. */
static void retire_engine_motions(ha_player *p, const ha_player_driver *also) {
  ha_motion *m[16];
  size_t n;
  while ((n = ha_engine_take_retired(p->engine, m, 16)) > 0) {
    for (size_t i = 0; i < n; i++) {
      if (!ha__driver_owns(p->driver, m[i]) && !ha__driver_owns(also, m[i])) {
        give_back(p, GARBAGE_MOTION, m[i]);
      }
    }
  }
}

static void emit_event(ha_player *p, const ha_player_event *ev) {
  if (ha__spsc_push(&p->events, ev) != HA_OK) {
    /* relaxed: a statistic. */
    ha__add_relaxed_u64(&p->st_events_dropped, 1);
  }
}

static void emit_command_failed(ha_player *p, const cmd *c, ha_status st) {
  ha_player_event ev;
  memset(&ev, 0, sizeof(ev));
  ev.type = HA_EVENT_COMMAND_FAILED;
  ev.time = ha_engine_time(p->engine);
  ev.tag = c->tag;
  ev.track = c->track;
  ev.status = st;
  emit_event(p, &ev);
}

/* ---- commands, on the tick ---- */

static tagged *find_tag(ha_player *p, uint32_t tag) {
  for (size_t i = 0; i < p->cfg.max_animations; i++) {
    if (p->tags[i].used && p->tags[i].tag == tag) {
      return &p->tags[i];
    }
  }
  return NULL;
}

static void refresh_ids(ha_player *p) {
  size_t n = ha_engine_track_count(p->engine);
  for (size_t i = 0; i < n; i++) {
    ha_track_info ti;
    ha_engine_track_at(p->engine, i, &ti);
    p->ids[i] = ti.id;
  }
}

static double anim_end(const ha_motion *m, const ha_anim_spec *sp, size_t ntracks, double t0) {
  ha_timing tm = ha_motion_timing(m);
  if (tm.loop != HA_LOOP_ONCE) {
    return INFINITY;
  }
  double maxshift = 0.0;
  if (ntracks > 1) {
    maxshift = sp->phase_spread ? tm.duration * (double)(ntracks - 1) / (double)ntracks
                                : fmax(0.0, sp->phase_offset * (double)(ntracks - 1));
  }
  return t0 + (tm.duration + maxshift + fmax(0.0, sp->delay)) / tm.speed;
}

/* CMD_STOP (fade c->a) and CMD_PANIC: every track stops, every tag goes. */
static void cmd_stop_everything(ha_player *p, const cmd *c, double now, double t) {
  ha_engine *e = p->engine;
  double fade = c->type == CMD_STOP ? c->a : 0.0;
  for (size_t i = 0; i < ha_engine_track_count(e); i++) {
    ha_track_info ti;
    ha_engine_track_at(e, i, &ti);
    if (!ha__trackstate_locked_at(&p->ts, i)) {
      ha_engine_track_stop(e, ti.id, fade);
    }
  }
  memset(p->tags, 0, p->cfg.max_animations * sizeof(*p->tags));
  p->flush_pending = 1;
  p->drive_armed = 0; /* a stopped show plays nothing until the next play or seek */
  if (c->type == CMD_PANIC) {
    ha_clock_pause(&p->clock, now);
    p->stop_pending = 0;
  } else if (fade > 0.0) {
    /* Transitions run on transport time: let it run until the tracks are
     * home, then rewind (tick_transport). */
    ha_clock_resume(&p->clock, now);
    p->stop_pending = 1;
    p->stop_at = t + fade;
  } else {
    ha_clock_pause(&p->clock, now);
    ha_clock_seek(&p->clock, now, 0.0);
    p->stop_pending = 0;
  }
}

/* CMD_START: the animation starts at t and answers to c->tag. */
static ha_status cmd_start_animation(ha_player *p, cmd *c, double t) {
  tagged *slot = NULL;
  for (size_t i = 0; i < p->cfg.max_animations && slot == NULL; i++) {
    if (!p->tags[i].used) {
      slot = &p->tags[i];
    }
  }
  ha_anim_id id = -1;
  ha_status st = slot ? ha_engine_animation_start(p->engine, c->motion, &c->spec, c->tracks,
                                                  c->ntracks, t, &id, NULL)
                      : HA_EEXHAUSTED;
  if (st != HA_OK) {
    return st;
  }
  for (size_t i = 0; i < p->cfg.max_animations; i++) {
    /* The newest animation answers to the tag, and an engine slot that was
     * reused belongs to this animation only. */
    if (p->tags[i].used && (p->tags[i].tag == c->tag || p->tags[i].anim == id)) {
      p->tags[i].used = 0;
    }
  }
  slot->used = 1;
  if ((size_t)(slot - p->tags) >= p->tags_end) {
    p->tags_end = (size_t)(slot - p->tags) + 1;
  }
  slot->tag = c->tag;
  slot->anim = id;
  slot->end = anim_end(c->motion, &c->spec, c->ntracks, t);
  slot->ended_reported = 0;
  p->ended_reported = 0;
  c->motion = NULL; /* the engine has it now */
  return HA_OK;
}

/* A device echo: track `idx` is at v on the device. Near something we
 * computed recently: our own echo. Else an idle track takes it as its base
 * and a moving one reports a conflict. */
static void tick_device_echo(void *ctx, size_t idx, ha_vec3 v) {
  ha_player *p = ctx;
  ha_engine *e = p->engine;
  double t = ha_engine_time(e);
  ha_track_info ti;
  if (ha_engine_track_at(e, idx, &ti) != HA_OK || ha__trackstate_locked_at(&p->ts, idx) ||
      !ha__trackstate_sends_at(&p->ts, idx)) {
    return; /* locked: it holds; silent: the device has what was sent last */
  }
  ha_vec3 nearest = ti.position;
  double best;
  if (ha__history_near(&p->sent, idx, v, p->cfg.conflict_tolerance, &nearest, &best)) {
    return; /* our own echo */
  }
  if (isinf(best) && ha_vec3_dist(ti.position, v) <= p->cfg.conflict_tolerance) {
    return; /* nothing sent yet, and where it is */
  }
  ha_player_event ev;
  memset(&ev, 0, sizeof(ev));
  ev.time = t;
  ev.track = ti.id;
  ev.position = v;
  ev.expected = nearest;
  if (ti.status == HA_TRACK_IDLE) {
    ha_engine_track_set_base(e, ti.id, v);
    ev.type = HA_EVENT_BASE_CHANGED;
  } else {
    ev.type = HA_EVENT_CONFLICT;
    /* relaxed: a statistic. */
    ha__add_relaxed_u64(&p->st_conflicts, 1);
    ha_metrics_add(p->metrics, HA_COUNTER_CONFLICTS, 1);
  }
  emit_event(p, &ev);
}

/* One command at monotonic time `now`; a failure comes back as an event,
 * the memory it carried goes back to a control thread. */
static void tick_apply_command(ha_player *p, cmd *c, double now) {
  ha_engine *e = p->engine;
  ha_status st = HA_OK;
  double t = ha_clock_position(&p->clock, now);
  ha_engine_set_time(e, t);
  if ((c->type == CMD_GOTO || c->type == CMD_STOP_TRACK || c->type == CMD_SET_BASE) &&
      ha__trackstate_locked(&p->ts, e, c->track)) {
    c->type = CMD_HELD;
  } else if (c->type == CMD_START) {
    c->ntracks = ha__trackstate_unlocked(&p->ts, e, c->tracks, c->ntracks);
    c->type = c->ntracks > 0 ? CMD_START : CMD_HELD;
  }
  switch (c->type) {
  case CMD_PLAY:
    p->drive_from = p->drive_armed ? p->drive_from : NAN;
    p->drive_armed = 1;
    p->stop_pending = 0;
    if (!p->clock.running && !p->sync.cfg.enabled) {
      ha_clock_resume(&p->clock, now);
    }
    p->ended_reported = 0;
    break;
  case CMD_PAUSE:
    if (!p->sync.cfg.enabled) { /* the external clock owns the transport */
      ha_clock_pause(&p->clock, now);
      p->flush_pending = 1;
    }
    break;
  case CMD_STOP:
  case CMD_PANIC: cmd_stop_everything(p, c, now, t); break;
  case CMD_SEEK:
    if (!p->sync.cfg.enabled) {
      ha_clock_seek(&p->clock, now, c->a);
      p->drive_armed = 1;
      p->drive_from = NAN;
      p->ended_reported = 0;
      p->flush_pending = 1;
    }
    break;
  case CMD_SPEED:
    if (!p->sync.cfg.enabled) {
      ha_clock_set_speed(&p->clock, now, c->a);
    }
    break;
  case CMD_START: st = cmd_start_animation(p, c, t); break;
  case CMD_STOP_ANIM:
    for (size_t i = 0; i < p->cfg.max_animations; i++) {
      if (p->tags[i].used && p->tags[i].tag == c->tag) {
        ha_engine_animation_stop(e, p->tags[i].anim, c->a);
        p->tags[i].used = 0;
      }
    }
    break;
  case CMD_STOP_TRACK: st = ha_engine_track_stop(e, c->track, c->a); break;
  case CMD_REPLACE: {
    tagged *tg = find_tag(p, c->tag);
    /* Updating an animation that is not running is a no-op (a show reload
     * updates every group, running or not). Paused, the edit shows at once:
     * a blend runs on transport time, which does not move. */
    double window = p->clock.running ? p->cfg.blend_window : 0.0;
    st = tg ? ha_engine_animation_replace(e, tg->anim, c->motion, window) : HA_OK;
    if (tg != NULL && st == HA_OK) {
      c->motion = NULL; /* the engine has it; else it goes back with the command */
    }
    break;
  }
  case CMD_GOTO:
    st = ha_engine_track_goto_at(e, c->track, c->v, t + c->delay, c->a, (ha_easing)c->easing,
                                 c->aed != 0);
    break;
  case CMD_SET_BASE: st = ha_engine_track_set_base(e, c->track, c->v); break;
  case CMD_FLAGS: st = ha__trackstate_set(&p->ts, e, c->track, (unsigned)c->easing); break;
  case CMD_HELD: break;
  case CMD_DRIVER: {
    ha_player_driver *old = p->driver;
    p->driver = c->driver;
    c->driver = NULL;
    p->drive_from = NAN;
    if (old != NULL && old->detach != NULL) {
      old->detach(old->user, e);
    }
    retire_engine_motions(p, old); /* before the old driver's motions can be freed */
    give_back(p, GARBAGE_DRIVER, old);
    break;
  }
  default: st = HA_EINVAL; break;
  }
  if (st != HA_OK) {
    emit_command_failed(p, c, st);
  }
  give_back(p, GARBAGE_MOTION, c->motion);
  give_back(p, GARBAGE_FREE, c->tracks);
  give_back(p, GARBAGE_DRIVER, c->driver);
}

/* ---- the tick, step by step ---- */

/* Apply the queued commands, at most 1024 so a flood cannot stall output. */
static void tick_apply_commands(ha_player *p, double now) {
  cmd c;
  uint64_t applied = 0;
  while (applied < 1024 && ha__mpmc_pop(&p->commands, &c) == HA_OK) {
    tick_apply_command(p, &c, now);
    applied++;
  }
  if (applied > 0) {
    refresh_ids(p);
    ha_metrics_add(p->metrics, HA_COUNTER_COMMANDS, applied);
    /* relaxed: a statistic. */
    ha__add_relaxed_u64(&p->st_commands, applied);
  }
}

/* Real seconds since the previous tick (one period for the first): the
 * speed cap's time, whatever the transport does. */
static double tick_real_step(ha_player *p, double now) {
  double step = isnan(p->last_now) ? p->period : fmax(0.0, now - p->last_now);
  p->last_now = now;
  return step;
}

/* The device echoes that arrived since the last tick (echo.h), at the
 * transport time of now. */
static void tick_apply_echoes(ha_player *p, double now) {
  ha_engine_set_time(p->engine, ha_clock_position(&p->clock, now));
  ha__echoes_drain(&p->echoes, ha_engine_track_count(p->engine), tick_device_echo, p);
}

/* The external clock's latest message, if any (sync.h): its play, pause
 * and seek take effect in this tick like the commands'. */
static void tick_sync(ha_player *p, double now) {
  unsigned what = ha__sync_tick(&p->sync, &p->clock, now, p->metrics);
  if (what & (HA_SYNC_PLAY | HA_SYNC_SEEK)) {
    p->drive_from = (what & HA_SYNC_SEEK) || !p->drive_armed ? NAN : p->drive_from;
    p->drive_armed = 1;
    p->stop_pending = 0;
    p->ended_reported = 0;
  }
  if (what & (HA_SYNC_PAUSE | HA_SYNC_SEEK)) {
    p->flush_pending = 1;
  }
}

/* The transport time of this tick. Once a stop's fade is over, the glides
 * finish at their end time and the transport goes back to 0, paused. */
static double tick_transport(ha_player *p, double now, double step) {
  double t = ha_clock_position(&p->clock, now);
  if (p->stop_pending && t >= p->stop_at) {
    ha_engine_evaluate_step(p->engine, t, step, p->x, p->y, p->z, p->cfg.max_tracks);
    p->stop_pending = 0;
    p->stop_rewound = 1;
    ha_clock_pause(&p->clock, now);
    ha_clock_seek(&p->clock, now, 0.0);
    t = 0.0;
  }
  return t;
}

/* Every track at t (the engine applies transitions, the NaN guard and the
 * limits, the speed cap over `step` real seconds), then velocities and
 * statuses, and each position into the track's echo history. Returns the
 * track count. */
static size_t tick_evaluate(ha_player *p, double t, double step) {
  size_t n = ha_engine_track_count(p->engine);
  ha__engine_out out = {p->x, p->y, p->z, p->vx, p->vy, p->vz, p->status};
  size_t moving = 0;
  ha__engine_evaluate_out(p->engine, t, step, &out, p->cfg.max_tracks, &moving);
  ha__history_record(&p->sent, n, p->x, p->y, p->z);
  ha_metrics_set_gauge(p->metrics, HA_GAUGE_ACTIVE_TRACKS, (double)moving);
  return n;
}

/* The tick's positions to the store, for other threads. */
static void tick_publish(ha_player *p, uint64_t tickno, double t, size_t n) {
  ha_store_publish(p->store, tickno, t, n, p->ids, p->x, p->y, p->z, p->vx, p->vy, p->vz,
                   p->status);
}

/* Every output sends (or flushes once after pause/stop/seek/panic); *sum
 * gets what they did together. */
static void send_to_outputs(ha_player *p, double now, size_t n, bool flush, ha_output_report *sum) {
  memset(sum, 0, sizeof(*sum));
  const uint32_t *ids = p->ids;
  const double *x = p->x, *y = p->y, *z = p->z;
  n = ha__trackstate_sendable(&p->ts, n, &ids, &x, &y, &z); /* mute, solo */
  for (size_t o = 0; o < p->noutputs; o++) {
    ha_output_report r;
    if (flush) {
      ha_output_flush(p->outputs[o], now, n, ids, x, y, z, &r);
    } else {
      ha_output_send(p->outputs[o], now, n, ids, x, y, z, &r);
    }
    sum->messages += r.messages;
    sum->datagrams += r.datagrams;
    sum->bytes += r.bytes;
    sum->send_errors += r.send_errors;
    sum->unsent += r.unsent;
  }
}

/* The outputs' report into the metrics. */
static void account_sends(ha_player *p, const ha_output_report *sent) {
  if (sent->messages > 0) {
    ha_metrics_add(p->metrics, HA_COUNTER_MESSAGES, sent->messages);
  }
  if (sent->bytes > 0) {
    ha_metrics_add(p->metrics, HA_COUNTER_BYTES, sent->bytes);
  }
  if (sent->send_errors > 0) {
    ha_metrics_add(p->metrics, HA_COUNTER_SEND_ERRORS, sent->send_errors);
  }
}

/* The engine's clamps and NaN guards since the last tick into the metrics
 * (one read of its counters). */
static void tick_account_engine(ha_player *p) {
  ha_engine_stats es;
  ha_engine_get_stats(p->engine, &es);
  uint64_t clamps = es.clamps_box + es.clamps_speed;
  if (clamps != p->last_clamps) {
    ha_metrics_add(p->metrics, HA_COUNTER_CLAMPS, clamps - p->last_clamps);
    p->last_clamps = clamps;
  }
  if (es.nan_guards != p->last_nan) {
    ha_metrics_add(p->metrics, HA_COUNTER_NAN_GUARDS, es.nan_guards - p->last_nan);
    p->last_nan = es.nan_guards;
  }
}

/* Report the animations, then the show, that ended by t. */
static void tick_endings(ha_player *p, double t) {
  double last = -INFINITY;
  int any = 0, all_finite = 1;
  size_t running = 0, end = 0;
  for (size_t i = 0; i < p->tags_end; i++) {
    tagged *tg = &p->tags[i];
    if (tg->used && ha_engine_animation_tracks(p->engine, tg->anim) == 0) {
      tg->used = 0; /* taken over or stopped on every track */
    }
    if (!tg->used) {
      continue;
    }
    end = i + 1;
    any = 1;
    running++;
    if (isinf(tg->end)) {
      all_finite = 0;
      continue;
    }
    last = fmax(last, tg->end);
    if (t >= tg->end && !tg->ended_reported) {
      tg->ended_reported = 1;
      ha_player_event ev;
      memset(&ev, 0, sizeof(ev));
      ev.type = HA_EVENT_ANIMATION_ENDED;
      ev.time = t;
      ev.tag = tg->tag;
      emit_event(p, &ev);
    }
  }
  p->tags_end = end;
  ha_metrics_set_gauge(p->metrics, HA_GAUGE_ACTIVE_ANIMATIONS, (double)running);
  if (any && all_finite && t >= last && !p->ended_reported) {
    p->ended_reported = 1;
    ha_player_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = HA_EVENT_SHOW_ENDED;
    ev.time = t;
    emit_event(p, &ev);
  }
}

/* Status words for readers on other threads. */
static void tick_status(ha_player *p, uint64_t tickno, double t) {
  /* relaxed: each word on its own (see the struct comment). */
  ha__store_relaxed_u64(&p->st_time_bits, ha__dbits(t));
  ha__store_relaxed_u64(&p->st_speed_bits, ha__dbits(p->clock.speed));
  ha__store_relaxed_int(&p->st_playing, p->clock.running);
  ha__store_relaxed_u64(&p->st_ticks, tickno);
}

/* A tick that starts `late` seconds after its deadline, stall_threshold
 * periods or more: the missed deadlines are skipped (tick_main resumes the
 * grid from now) and counted, and a HA_EVENT_STALL names the cause when the
 * previous tick's slowest track evaluation (the engine's, still that tick's)
 * took a period or more. */
static void tick_stall(ha_player *p, double late) {
  uint64_t missed = (uint64_t)(late / p->period);
  /* relaxed: statistics. */
  ha__add_relaxed_u64(&p->st_skipped, missed);
  ha__add_relaxed_u64(&p->st_stalls, 1);
  ha_metrics_add(p->metrics, HA_COUNTER_SKIPPED_TICKS, missed);
  ha_metrics_add(p->metrics, HA_COUNTER_STALLS, 1);
  ha_engine_slowest sl;
  ha_engine_get_slowest(p->engine, &sl);
  ha_player_event ev;
  memset(&ev, 0, sizeof(ev));
  ev.type = HA_EVENT_STALL;
  ev.time = ha_engine_time(p->engine);
  ev.skipped = missed;
  ev.lateness = late;
  ev.cost = sl.seconds;
  if (sl.track != 0 && sl.seconds >= p->period) {
    ev.track = sl.track;
    ev.model = sl.model;
    for (size_t i = 0; i < p->cfg.max_animations; i++) {
      if (p->tags[i].used && p->tags[i].anim == sl.animation) {
        ev.tag = p->tags[i].tag;
      }
    }
  }
  emit_event(p, &ev);
}

/* One tick at monotonic time `now`. Tick path: see the header's list. */
static void player_tick(ha_player *p, double now) {
  double step = tick_real_step(p, now);
  tick_apply_commands(p, now);
  tick_sync(p, now);
  tick_apply_echoes(p, now);
  ha__mappings_tick(&p->maps, step);
  double t = tick_transport(p, now, step);
  if (p->driver != NULL && p->drive_armed && !p->stop_pending) {
    p->driver->advance(p->driver->user, p->engine, p->drive_from, t);
    p->drive_from = t;
  }
  /* A stop's rewind evaluated once already: no real time passes twice. */
  size_t n = tick_evaluate(p, t, p->stop_rewound ? 0.0 : step);
  p->stop_rewound = 0;
  /* relaxed: only this thread writes st_ticks. */
  uint64_t tickno = ha__load_relaxed_u64(&p->st_ticks) + 1;
  tick_publish(p, tickno, t, n);
  ha_output_report sent;
  send_to_outputs(p, now, n, p->flush_pending != 0, &sent);
  p->flush_pending = 0;
  account_sends(p, &sent);
  tick_account_engine(p);
  tick_endings(p, t);
  retire_engine_motions(p, NULL);
  tick_status(p, tickno, t);
}

/* The tick thread's last act: every output sends every track once more. */
static void flush_outputs_at_exit(ha_player *p, double now) {
  ha_output_report sent;
  send_to_outputs(p, now, ha_engine_track_count(p->engine), true, &sent);
  account_sends(p, &sent);
}

static void *tick_main(void *arg) {
  ha_player *p = arg;
  if (p->cfg.realtime) {
    struct sched_param sp;
    memset(&sp, 0, sizeof(sp));
    sp.sched_priority = 50;
    /* relaxed: a status word. */
    ha__store_relaxed_int(&p->st_rt, pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp) == 0);
  }
  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  const long period_ns = (long)(p->period * 1e9);
  /* acquire: pairs with the release in ha_player_shutdown. */
  while (!ha__load_acquire_int(&p->quit)) {
    next.tv_nsec += period_ns;
    while (next.tv_nsec >= 1000000000L) {
      next.tv_nsec -= 1000000000L;
      next.tv_sec++;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {
    }
    double deadline = (double)next.tv_sec + (double)next.tv_nsec * 1e-9;
    double now = ha_monotonic_now();
    double late = now - deadline;
    /* relaxed: only this thread writes st_ticks. */
    uint64_t k = ha__load_relaxed_u64(&p->st_ticks);
    if (p->cfg.lateness_trace != NULL && k < p->cfg.lateness_trace_cap) {
      p->cfg.lateness_trace[k] = late;
    }
    int is_late = late > 0.5 * p->period;
    if (is_late) {
      /* relaxed: a statistic. */
      ha__add_relaxed_u64(&p->st_late, 1);
    }
    if (late >= p->cfg.stall_threshold * p->period) {
      tick_stall(p, late);
      clock_gettime(CLOCK_MONOTONIC, &next); /* resume the grid from now */
    }
    player_tick(p, now);
    double spent = ha_monotonic_now() - now;
    ha_metrics_record_tick(p->metrics, (uint64_t)(spent * 1e9),
                           late > 0.0 ? (uint64_t)(late * 1e9) : 0u, is_late != 0);
  }
  flush_outputs_at_exit(p, ha_monotonic_now());
  return NULL;
}

ha_status ha_player_start(ha_player *p, ha_error *err) {
  if (p->thread_started) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "player", "running", "already started");
  }
  if (p->cfg.lock_memory) {
    /* relaxed: a status word. */
    ha__store_relaxed_int(&p->st_locked, mlockall(MCL_CURRENT | MCL_FUTURE) == 0);
  }
  refresh_ids(p);
  /* relaxed: pthread_create orders it before the thread's first load. */
  ha__store_relaxed_int(&p->quit, 0);
  if (pthread_create(&p->thread, NULL, tick_main, p) != 0) {
    return ha__error_internal(err, HA_CATEGORY_STATE, "cannot start the tick thread");
  }
  p->thread_started = 1;
  /* relaxed: a status word. */
  ha__store_relaxed_int(&p->st_running, 1);
  return HA_OK;
}

void ha_player_shutdown(ha_player *p) {
  if (p == NULL || !p->thread_started) {
    return;
  }
  /* release: the thread sees every command queued before the stop. */
  ha__store_release_int(&p->quit, 1);
  pthread_join(p->thread, NULL);
  p->thread_started = 0;
  /* relaxed: a status word. */
  ha__store_relaxed_int(&p->st_running, 0);
  /* Commands left in the queue carry memory: give it back. */
  cmd c;
  while (ha__mpmc_pop(&p->commands, &c) == HA_OK) {
    ha_motion_destroy(c.motion);
    free(c.tracks);
    ha__driver_release(c.driver);
  }
  collect_garbage(p);
}

void ha_player_destroy(ha_player *p) {
  if (p == NULL) {
    return;
  }
  ha_player_shutdown(p);
  if (p->garbage.items != NULL) {
    collect_garbage(p);
  }
  if (p->engine != NULL) {
    /* Motions still driving tracks belong to the player. */
    ha_engine_stop_all(p->engine);
    ha_motion *m[16];
    size_t n;
    while ((n = ha_engine_take_retired(p->engine, m, 16)) > 0) {
      for (size_t i = 0; i < n; i++) {
        if (!ha__driver_owns(p->driver, m[i])) {
          ha_motion_destroy(m[i]);
        }
      }
    }
  }
  ha__driver_release(p->driver);
  for (size_t o = 0; o < p->noutputs; o++) {
    ha_output_destroy(p->outputs[o]);
  }
  ha_engine_destroy(p->engine);
  ha_store_destroy(p->store);
  ha_metrics_destroy(p->metrics);
  if (p->commands.cells != NULL) {
    ha__mpmc_deinit(&p->commands);
  }
  if (p->events.items != NULL) {
    ha__spsc_deinit(&p->events);
  }
  if (p->garbage.items != NULL) {
    ha__spsc_deinit(&p->garbage);
  }
  free(p->outputs);
  free(p->tags);
  ha__history_deinit(&p->sent);
  ha__echoes_deinit(&p->echoes);
  ha__trackstate_deinit(&p->ts);
  free(p->ids);
  free(p->x);
  free(p->status);
  free(p);
}

ha_status ha_player_add_track(ha_player *p, uint32_t id, ha_vec3 base, ha_error *err) {
  if (p->thread_started) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "player", "running",
                             "tracks are added before the player starts");
  }
  ha_status st = ha_engine_track_add(p->engine, id, base, err);
  if (st == HA_OK) {
    p->ids[ha_engine_track_count(p->engine) - 1] = id; /* added last */
    ha__echoes_map(&p->echoes, id, ha_engine_track_count(p->engine) - 1);
    p->x[ha_engine_track_count(p->engine) - 1] = base.x;
    p->y[ha_engine_track_count(p->engine) - 1] = base.y;
    p->z[ha_engine_track_count(p->engine) - 1] = base.z;
  }
  return st;
}

ha_status ha_player_add_output(ha_player *p, const ha_output_config *cfg, size_t *index,
                               ha_error *err) {
  if (p->thread_started) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "player", "running",
                             "outputs are added before the player starts");
  }
  if (p->noutputs == p->cfg.max_outputs) {
    return ha__error_exhausted(err, HA_CATEGORY_STATE, "outputs", p->cfg.max_outputs);
  }
  ha_output *o = NULL;
  ha_status st = ha_output_create(cfg, p->cfg.max_tracks, &o, err);
  if (st != HA_OK) {
    return st;
  }
  if (index != NULL) {
    *index = p->noutputs;
  }
  p->outputs[p->noutputs++] = o;
  return HA_OK;
}

/* ---- command senders ---- */

static ha_status send_cmd(ha_player *p, cmd *c) {
  collect_garbage(p);
  ha_status st = ha__mpmc_push(&p->commands, c);
  if (st != HA_OK) {
    /* relaxed: a statistic (any control thread may add). */
    ha__add_relaxed_u64(&p->st_dropped, 1);
    ha_metrics_add(p->metrics, HA_COUNTER_COMMANDS_DROPPED, 1);
    ha_motion_destroy(c->motion);
    free(c->tracks);
    ha__driver_release(c->driver);
    return HA_EAGAIN;
  }
  return HA_OK;
}

/* A command with its common fields set, everything else zero. */
static cmd cmd_make(int type, uint32_t tag, uint32_t track, double a) {
  cmd c;
  memset(&c, 0, sizeof(c));
  c.type = type;
  c.tag = tag;
  c.track = track;
  c.a = a;
  return c;
}

static ha_status send_simple_cmd(ha_player *p, int type, double a) {
  cmd c = cmd_make(type, 0, 0, a);
  return send_cmd(p, &c);
}

/* A stop with a fade: the fades commands accept are [0, 3600] s. */
static ha_status send_fade_cmd(ha_player *p, int type, uint32_t tag, uint32_t track, double fade) {
  if (!(fade >= 0.0 && fade <= 3600.0)) {
    return HA_EINVAL;
  }
  cmd c = cmd_make(type, tag, track, fade);
  return send_cmd(p, &c);
}

ha_status ha_player_play(ha_player *p) {
  return send_simple_cmd(p, CMD_PLAY, 0.0);
}
ha_status ha_player_pause(ha_player *p) {
  return send_simple_cmd(p, CMD_PAUSE, 0.0);
}
ha_status ha_player_panic(ha_player *p) {
  return send_simple_cmd(p, CMD_PANIC, 0.0);
}

ha_status ha_player_stop(ha_player *p, double fade) {
  return send_fade_cmd(p, CMD_STOP, 0, 0, fade);
}

ha_status ha_player_seek(ha_player *p, double t) {
  if (!isfinite(t) || fabs(t) > HA_SEEK_MAX) {
    return HA_EINVAL;
  }
  return send_simple_cmd(p, CMD_SEEK, t);
}

ha_status ha_player_set_speed(ha_player *p, double s) {
  if (!(s >= HA_SPEED_MIN && s <= HA_SPEED_MAX)) {
    return HA_EINVAL;
  }
  return send_simple_cmd(p, CMD_SPEED, s);
}

ha_status ha_player_start_animation(ha_player *p, uint32_t tag, ha_motion *motion,
                                    const ha_anim_spec *spec, const uint32_t *tracks,
                                    size_t ntracks) {
  if (motion == NULL || tracks == NULL || ntracks == 0 || ntracks > p->cfg.max_tracks) {
    ha_motion_destroy(motion);
    return HA_EINVAL;
  }
  cmd c = cmd_make(CMD_START, tag, 0, 0.0);
  c.motion = motion;
  c.spec = spec ? *spec : ha_anim_spec_default();
  c.tracks = malloc(ntracks * sizeof(uint32_t));
  if (c.tracks == NULL) {
    ha_motion_destroy(motion);
    return HA_ENOMEM;
  }
  memcpy(c.tracks, tracks, ntracks * sizeof(uint32_t));
  c.ntracks = ntracks;
  return send_cmd(p, &c);
}

ha_status ha_player_stop_animation(ha_player *p, uint32_t tag, double fade) {
  return send_fade_cmd(p, CMD_STOP_ANIM, tag, 0, fade);
}

ha_status ha_player_stop_track(ha_player *p, uint32_t id, double fade) {
  return send_fade_cmd(p, CMD_STOP_TRACK, 0, id, fade);
}

ha_status ha_player_update_animation(ha_player *p, uint32_t tag, ha_motion *motion) {
  if (motion == NULL) {
    return HA_EINVAL;
  }
  cmd c = cmd_make(CMD_REPLACE, tag, 0, 0.0);
  c.motion = motion;
  return send_cmd(p, &c);
}

ha_status ha_player_goto(ha_player *p, uint32_t id, ha_vec3 target, double duration,
                         ha_easing easing, bool aed, double delay) {
  if (!ha_vec3_isfinite(target) || !(duration >= 0.0 && duration <= 1e6) || (int)easing < 0 ||
      easing >= HA_EASE_COUNT || !(delay >= 0.0 && delay <= 1e6)) {
    return HA_EINVAL;
  }
  cmd c = cmd_make(CMD_GOTO, 0, id, duration);
  c.v = target;
  c.easing = (int)easing;
  c.aed = aed ? 1 : 0;
  c.delay = delay;
  return send_cmd(p, &c);
}

/* A command about one track and one position (set base). */
static ha_status send_track_point_cmd(ha_player *p, int type, uint32_t id, ha_vec3 v) {
  if (!ha_vec3_isfinite(v)) {
    return HA_EINVAL;
  }
  cmd c = cmd_make(type, 0, id, 0.0);
  c.v = v;
  return send_cmd(p, &c);
}

ha_status ha_player_set_track_flags(ha_player *p, uint32_t id, unsigned flags) {
  if (flags & ~(unsigned)HA_TRACK_FLAGS_ALL) {
    return HA_EINVAL;
  }
  cmd c = cmd_make(CMD_FLAGS, 0, id, 0.0);
  c.easing = (int)flags; /* the flags ride in an int field the command has no use for */
  return send_cmd(p, &c);
}

ha_status ha_player_set_base(ha_player *p, uint32_t id, ha_vec3 base) {
  return send_track_point_cmd(p, CMD_SET_BASE, id, base);
}

ha_status ha_player_device_echo(ha_player *p, uint32_t id, ha_vec3 position) {
  if (!ha_vec3_isfinite(position)) {
    return HA_EINVAL;
  }
  /* An id that is not a track: the device knows tracks the show does not. */
  (void)ha__echoes_put(&p->echoes, id, position);
  return HA_OK;
}

ha__sync *ha__player_sync(ha_player *p) {
  return &p->sync;
}
ha__mappings *ha__player_mappings(ha_player *p) {
  return &p->maps;
}
int ha__player_can_add(const ha_player *p) {
  return !p->thread_started;
}

ha_status ha_player_poll_event(ha_player *p, ha_player_event *ev) {
  collect_garbage(p);
  return ha__spsc_pop(&p->events, ev);
}

ha_status ha_player_tick_once(ha_player *p, double now) {
  if (p->thread_started) {
    return HA_ESTATE;
  }
  player_tick(p, now);
  return HA_OK;
}

ha_status ha_player_set_driver(ha_player *p, const ha_player_driver *d) {
  cmd c = cmd_make(CMD_DRIVER, 0, 0, 0.0);
  if (d != NULL && (c.driver = malloc(sizeof(*c.driver))) == NULL) {
    if (d->release != NULL) {
      d->release(d->user);
    }
    return HA_ENOMEM;
  }
  if (d != NULL) {
    *c.driver = *d;
  }
  return send_cmd(p, &c);
}
