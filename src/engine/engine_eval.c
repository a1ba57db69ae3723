/* ha_engine_evaluate: every track at transport time t, as a pipeline of
 * named steps per track (ha_engine_evaluate at the end of this file): a
 * staggered goto that is due starts, the animation's position (batch slot or
 * per-track) with a replace blend, the transition, the NaN guard, the venue
 * limits, then position and velocity are committed. The NaN guard comes
 * before the box clamp: fmax(NaN, min) is min, so a clamp first would move a
 * NaN silently to the box's corner. Each step is a static
 * function the compiler inlines into the one loop, so the split costs
 * nothing; the numbers are those of the single function it replaced, bit for
 * bit (same operations in the same order).
 *
 * Steady state. Without limits, a batched track with no goto pending, no
 * transition and no blend has only three steps that are not no-ops (its
 * slot plus its offset, the NaN guard, the commit): runs of such tracks go
 * through eval_steady, a loop of just those with the same operations, which
 * also writes each track's velocity and status when the caller wants them
 * (ha__engine_evaluate_out, the player's tick: one pass over the tracks
 * instead of two). At 10,000 tracks of one circle it cut the evaluation's
 * cost per track to about a quarter (bench_player, perf).
 *
 * Batch path (cfg.use_batch). Most animated tracks are P_i(t) = M_i(t) +
 * off_i: the motion at the track's shifted time plus a group offset that
 * stays constant while the animation runs (shared, relative, spread,
 * isobarycentric/centered without rotate_formation:
 * ha__group_member_offset). When M is a closed-form model (ha_batch_would_pack)
 * and no blend is running (no replace blend, no parameter-update blend),
 * those M_i are computed together by one ha_batch (SIMD kernels) at the
 * transport time t, and evaluate adds off_i; everything else (mirror,
 * rotating formations, blends, other models) stays on the per-track path,
 * ha__group_member. A member's motion runs at the animation's time t − t0
 * with its shift s_i; the batch holds each animation's members as one
 * contiguous range evaluated at that animation's t − t0
 * (ha_batch_eval_range), so a = (t − t0)·speed − s_i is computed with the
 * per-track path's very operations and τ is bit-identical: the two paths
 * differ only by the kernels' sin/cos (≤ 1e-12 m at 1000 m), at any t and
 * speed. Rejected: one time for the whole batch with t0 folded into the
 * shift (a = t·speed − (s_i + t0·speed)): a rounding of a apart, which a
 * fast motion late in a show turns into more than 1e-9 m.
 *
 * Membership is derived state: every control operation that may change it
 * (a track joining or leaving an animation — start, takeover, stop,
 * stop_all, goto, remove —, replace, update, a replace blend ending) marks
 * it dirty, and evaluate rebuilds it first when dirty (O(tracks), no
 * allocation: the batch is sized max_tracks at create). Lazy, so a burst of
 * commands costs one rebuild. A motion changed behind the engine's back (its
 * generation moves) marks it dirty too, so the batch never runs a stale
 * capture. Rejected: incremental updates of the batch (slot bookkeeping for
 * a rare event), and a per-animation batch (many small batches, one call
 * each per tick). */
#include "engine_impl.h"

#include <string.h>
#include <time.h>

/* Tracks ahead whose hot line the loop asks for. */
#define EVAL_AHEAD 32

/* from → to at eased weight w, in xyz or aed (shorter azimuth arc). */
static ha_vec3 eval_mix(ha_vec3 from, ha_vec3 to, double w, int aed) {
  if (!aed) {
    return ha_vec3_lerp(from, to, w);
  }
  ha_vec3 a = ha_xyz_to_aed(from, HA_AZIMUTH_CLOCKWISE);
  ha_vec3 b = ha_xyz_to_aed(to, HA_AZIMUTH_CLOCKWISE);
  ha_vec3 m = ha_vec3_make(a.x + ha_angle_diff_deg(a.x, b.x) * w, a.y + (b.y - a.y) * w,
                           a.z + (b.z - a.z) * w);
  return ha_aed_to_xyz(m, HA_AZIMUTH_CLOCKWISE);
}

static ha_vec3 eval_clamp_box(const ha_limits *l, ha_vec3 p, int *clamped) {
  ha_vec3 q = ha_vec3_make(fmin(fmax(p.x, l->box_min.x), l->box_max.x),
                           fmin(fmax(p.y, l->box_min.y), l->box_max.y),
                           fmin(fmax(p.z, l->box_min.z), l->box_max.z));
  *clamped = !ha__feq(q.x, p.x) || !ha__feq(q.y, p.y) || !ha__feq(q.z, p.z);
  return q;
}

/* The batch's members and offsets from the tracks and animations as they
 * are now, each animation's members as one contiguous range (file comment).
 * Never allocates. */
static void eval_batch_rebuild(ha_engine *e) {
  e->batch_dirty = 0;
  e->nbanims = 0;
  ha_batch_clear(e->batch);
  for (size_t k = 0; k < e->cfg.max_animations; k++) {
    anim *a = &e->anims[k];
    a->batched =
        a->active && a->prev == NULL && !(a->g.delay > 0.0) && ha_batch_would_pack(a->g.motion);
    a->bcount = 0;
    if (a->batched) {
      ha_motion_info_state ms;
      ha_motion_get_state(a->g.motion, &ms);
      a->bgen = ms.generation;
    }
  }
  /* Members with a constant offset (bslot −2 for now), counted ... */
  for (size_t i = 0; i < e->ntracks; i++) {
    track *tr = &e->tracks[i];
    anim *a = tr->anim >= 0 ? &e->anims[tr->anim] : NULL;
    tr->bslot = -1;
    if (a != NULL && a->batched &&
        ha__group_member_offset(&a->g, tr->member, tr->group_base, a->bary, &tr->boff)) {
      tr->bslot = -2;
      a->bcount++;
    }
  }
  /* ... given one range per animation ... */
  size_t total = 0;
  for (size_t k = 0; k < e->cfg.max_animations; k++) {
    anim *a = &e->anims[k];
    if (a->batched && a->bcount > 0) {
      a->bfirst = total;
      total += a->bcount;
      a->bcount = 0;
      e->banims[e->nbanims++] = (uint32_t)k;
    }
  }
  /* ... placed (track order within a range) ... */
  for (size_t i = 0; i < e->ntracks; i++) {
    track *tr = &e->tracks[i];
    if (tr->bslot == -2) {
      anim *a = &e->anims[tr->anim];
      e->border[a->bfirst + a->bcount++] = (uint32_t)i;
    }
  }
  /* ... and added in that order, so slot j is border[j]. */
  for (size_t j = 0; j < total; j++) {
    track *tr = &e->tracks[e->border[j]];
    const anim *a = &e->anims[tr->anim];
    ha_track_ctx ctx = {tr->id, ha_group_shift(&a->g, tr->member), &tr->state[0], NULL};
    size_t slot = 0;
    tr->bslot = ha_batch_add(e->batch, a->g.motion, &ctx, &slot) == HA_OK ? (int32_t)slot : -1;
    if (tr->bslot >= 0) {
      e->ox[slot] = tr->boff.x;
      e->oy[slot] = tr->boff.y;
      e->oz[slot] = tr->boff.z;
    }
  }
}

static double eval_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The one timed step (cfg.time_tracks): the time from *mark (the previous
 * timed step's end, or the loop's start) to now, so it also carries the
 * bounded work in between, is reported to cfg.on_timed under the model of
 * animation k and, for a per-track evaluation (of track id ≠ 0), kept when it is
 * the slowest of the evaluation, for the player's stall report. One clock
 * read. A batched range passes id 0: it is reported, never "the slowest
 * track". */
static void eval_timed(ha_engine *e, int32_t k, uint32_t id, double *mark) {
  double now = eval_clock();
  double spent = now - *mark;
  *mark = now;
  int slowest = id != 0 && spent > e->slowest.seconds;
  if (e->cfg.on_timed == NULL && !slowest) {
    return;
  }
  ha_motion_info_state ms;
  ha_motion_get_state(e->anims[k].g.motion, &ms);
  if (e->cfg.on_timed != NULL) {
    e->cfg.on_timed(e->cfg.on_timed_user, ms.model, spent);
  }
  if (slowest) {
    e->slowest.track = id;
    e->slowest.animation = k;
    e->slowest.model = ms.model;
    e->slowest.seconds = spent;
  }
}

/* Rebuild the batch if a control operation or a motion changed since the
 * last capture, then compute each animation's range at its time t − t0 into
 * bx/by/bz. */
static void eval_batch(ha_engine *e, double t) {
  for (size_t k = 0; k < e->nbanims && !e->batch_dirty; k++) {
    const anim *a = &e->anims[e->banims[k]];
    ha_motion_info_state ms;
    if (a->active) {
      ha_motion_get_state(a->g.motion, &ms);
    }
    /* Updated behind the engine's back (ha_engine_animation_update marks
     * the batch itself): the capture is stale. */
    e->batch_dirty = !a->active || ms.generation != a->bgen;
  }
  if (e->batch_dirty) {
    eval_batch_rebuild(e);
  }
  int timed = e->cfg.time_tracks && e->cfg.on_timed != NULL;
  double mark = timed ? eval_clock() : 0.0;
  for (size_t k = 0; k < e->nbanims; k++) {
    const anim *a = &e->anims[e->banims[k]];
    (void)ha_batch_eval_range(e->batch, t - a->t0, a->bfirst, a->bcount, e->bx, e->by, e->bz);
    if (timed) {
      eval_timed(e, (int32_t)e->banims[k], 0, &mark); /* the range, under its model */
    }
  }
}

/* A staggered goto whose start time has come begins now, from wherever
 * the track is. */
static void eval_start_due_goto(ha_engine *e, track *tr, double t) {
  if (!(tr->pend && t >= tr->pend_t)) {
    return; /* none, or not yet (a NaN t starts nothing) */
  }
  tr->pend = 0;
  ha__engine_leave_anim(e, tr);
  if (tr->pend_dur > 0.0) {
    ha__engine_start_goto(e, tr, tr->pend_to, tr->pend_dur, tr->pend_ease, tr->pend_aed);
    tr->tr_t0 = tr->pend_t;
  } else {
    tr->tr_kind = TR_NONE;
    tr->hold = tr->pend_to;
  }
}

/* While a replace blends in: from the old motion's path to p (smoothstep
 * over blend_w); once over, the old motion is retired. */
static ha_vec3 eval_replace_blend(ha_engine *e, anim *a, track *tr, double t, ha_vec3 p) {
  double u = (t - a->blend_t0) / a->blend_w;
  if (u >= 1.0) {
    ha__engine_retire(e, a->prev);
    a->prev = NULL;
    e->batch_dirty = 1; /* its members may join the batch */
  } else if (u >= 0.0) {
    ha_group old = a->g;
    old.motion = a->prev;
    ha_vec3 q = ha__group_member(&old, tr->member, t - a->t0, tr->group_base, a->bary, tr->id,
                                 &tr->state[1]);
    p = ha_vec3_lerp(q, p, u * u * (3.0 - 2.0 * u));
  }
  return p;
}

/* Where the track's animation puts it at t (its batch slot plus its
 * constant offset, or the per-track path), blended while a replace runs;
 * its hold position when no animation drives it. */
static HA__ALWAYS_INLINE ha_vec3 eval_animation(ha_engine *e, track *tr, double t) {
  if (tr->anim < 0) {
    return tr->hold;
  }
  anim *a = &e->anims[tr->anim];
  ha_vec3 p;
  if (tr->bslot >= 0) {
    size_t b = (size_t)tr->bslot;
    p = ha_vec3_make(e->bx[b] + e->ox[b], e->by[b] + e->oy[b], e->bz[b] + e->oz[b]);
    e->stats.batch_tracks++;
  } else {
    p = ha__group_member(&a->g, tr->member, t - a->t0, tr->group_base, a->bary, tr->id,
                         &tr->state[0]);
  }
  if (a->prev != NULL) {
    p = eval_replace_blend(e, a, tr, t, p);
  }
  return p;
}

/* eval_animation on the per-track path (an animated track outside the
 * batch), after cfg.on_track_eval and timed by eval_timed when
 * cfg.time_tracks asks. */
static ha_vec3 eval_animation_timed(ha_engine *e, track *tr, double t, double *mark) {
  if (tr->anim < 0 || tr->bslot >= 0) {
    return eval_animation(e, tr, t);
  }
  if (e->cfg.on_track_eval != NULL) {
    e->cfg.on_track_eval(e->cfg.on_track_eval_user, tr->id);
  }
  ha_vec3 p = eval_animation(e, tr, t);
  if (e->cfg.time_tracks) {
    eval_timed(e, tr->anim, tr->id, mark);
  }
  return p;
}

/* A running transition (takeover crossfade, stop fade, goto): from its start
 * to its target (a fixed point, or p for a takeover) at the eased weight;
 * ended (and held there when idle) once complete. */
static ha_vec3 eval_transition(track *tr, double t, ha_vec3 p) {
  if (tr->tr_kind == TR_NONE) {
    return p;
  }
  double u = tr->tr_dur > 0.0 ? (t - tr->tr_t0) / tr->tr_dur : 1.0;
  if (u < 0.0) {
    u = 0.0; /* seek before the transition began: hold its start */
  }
  double w = ha_ease(tr->tr_ease, u);
  ha_vec3 to = tr->tr_kind == TR_TO_ANIM ? p : tr->tr_to;
  p = u >= 1.0 ? to : eval_mix(tr->tr_from, to, w, tr->tr_aed);
  if (u >= 1.0) {
    tr->tr_kind = TR_NONE;
    if (tr->anim < 0) {
      tr->hold = to;
    }
  }
  return p;
}

/* The NaN guard, before the limits: a non-finite position (NaN or an
 * overflow to infinity) never reaches the wire; the track holds its last
 * good position (or its base), which the limits then see like any other.
 * Counted. */
static ha_vec3 eval_nan_guard(ha_engine *e, const track *tr, ha_vec3 p) {
  if (!ha_vec3_isfinite(p)) {
    p = ha_vec3_isfinite(tr->pos) ? tr->pos : tr->base;
    e->stats.nan_guards++;
  }
  return p;
}

/* The venue limits: into the box, then the speed cap against the position
 * of the previous evaluation (real_dt real seconds ago, so the cap holds
 * whatever the transport does; none before the first evaluation); each
 * clamp counted. */
static ha_vec3 eval_limits(ha_engine *e, const ha_limits *lim, int have_last, track *tr, ha_vec3 p,
                           double real_dt) {
  if (lim->box_enabled) {
    int c = 0;
    p = eval_clamp_box(lim, p, &c);
    if (c) {
      e->stats.clamps_box++;
      tr->clamped++;
    }
  }
  if (lim->max_speed > 0.0 && have_last) {
    ha_vec3 d = ha_vec3_sub(p, tr->pos);
    double len = ha_vec3_len(d), maxd = lim->max_speed * real_dt;
    if (len > maxd) {
      /* A step too long to measure (two finite far-apart points) stays put
       * rather than scaling infinity by 0 into a NaN. */
      p = isfinite(len) ? ha_vec3_add(tr->pos, ha_vec3_scale(d, maxd / len)) : tr->pos;
      e->stats.clamps_speed++;
      tr->clamped++;
    }
  }
  return p;
}

/* From its last position to p over dt (inv_dt: 1.0 / dt, computed once per
 * evaluation). */
static inline ha_vec3 eval_velocity(const track *tr, ha_vec3 p, double dt, double inv_dt) {
  return dt > 0.0 ? ha_vec3_scale(ha_vec3_sub(p, tr->pos), inv_dt) : ha_vec3_zero();
}

/* The track is at p now: its velocity, and an idle track rests there. */
static void eval_commit(const ha_limits *lim, track *tr, ha_vec3 p, double dt, double inv_dt) {
  tr->vel = eval_velocity(tr, p, dt, inv_dt);
  tr->pos = p;
  if (tr->anim < 0 && tr->tr_kind == TR_NONE && lim->max_speed <= 0.0) {
    tr->hold = p; /* a clamped rest position stays clamped */
  }
}

/* What every track's step reads of the evaluation. */
typedef struct eval_step {
  double t, real_dt, dt, inv_dt;
  ha_limits lim;
  int have_last;
} eval_step;

/* Every step of one track (the file comment's pipeline). */
static HA__ALWAYS_INLINE ha_vec3 eval_track(ha_engine *e, const eval_step *s, track *tr,
                                            double *mark) {
  eval_start_due_goto(e, tr, s->t);
  ha_vec3 p = eval_animation_timed(e, tr, s->t, mark);
  p = eval_transition(tr, s->t, p);
  p = eval_nan_guard(e, tr, p);
  p = eval_limits(e, &s->lim, s->have_last, tr, p, s->real_dt);
  eval_commit(&s->lim, tr, p, s->dt, s->inv_dt);
  return p;
}

/* Whether the track is in the steady state (below), limits aside. */
static inline bool eval_is_steady(const track *tr, const anim *anims) {
  return tr->bslot >= 0 && tr->anim >= 0 && (tr->pend | tr->tr_kind) == 0 &&
         anims[tr->anim].prev == NULL;
}

/* The steady state from track i on: a batched track without a goto, a
 * transition or a blend, when the engine has no limits, is its batch slot
 * plus its offset, the NaN guard and the commit (the file comment's steps
 * that are not no-ops for it, with the same operations), status
 * HA_TRACK_ANIMATED. Returns the first track that is not (n: none), for
 * eval_track. What the loop reads lives in locals, few enough to stay in
 * registers: the loop's stores (doubles, status bytes) could alias anything
 * read through a pointer, and inlined beside eval_track's many paths it
 * spilled them all. */
static HA__ALWAYS_INLINE size_t eval_steady(ha_engine *e, const ha__engine_out *out, size_t i,
                                            size_t n, double dt, double inv_dt, bool motion) {
  track *const tracks = e->tracks;
  const anim *const anims = e->anims;
  /* bx, by, bz, ox, oy, oz: one block, max_tracks each (one register). */
  const double *const bo = e->bx;
  const size_t bn = e->cfg.max_tracks;
  double *const x = out->x, *const y = out->y, *const z = out->z;
  double *const vx = out->vx, *const vy = out->vy, *const vz = out->vz;
  uint8_t *const status = out->status;
  for (; i < n; i++) {
    track *tr = &tracks[i];
    if (i + EVAL_AHEAD < n) {
      /* Its hot line, a whole track apart from the next (the hardware's
       * prefetchers missed them: a third of this loop waited there). */
      __builtin_prefetch(&tracks[i + EVAL_AHEAD], 1);
    }
    if (!eval_is_steady(tr, anims)) {
      break;
    }
    const double *o = bo + tr->bslot;
    ha_vec3 p = ha_vec3_make(o[0] + o[3 * bn], o[bn] + o[4 * bn], o[2 * bn] + o[5 * bn]);
    if (HA__UNLIKELY(!(fabs(p.x) + fabs(p.y) + fabs(p.z) < INFINITY))) {
      p = eval_nan_guard(e, tr, p); /* a NaN, an infinity, or a sum too large */
    }
    /* eval_commit of an animated track. */
    ha_vec3 v = eval_velocity(tr, p, dt, inv_dt);
    tr->vel = v;
    tr->pos = p;
    x[i] = p.x;
    y[i] = p.y;
    z[i] = p.z;
    if (motion) {
      vx[i] = v.x;
      vy[i] = v.y;
      vz[i] = v.z;
      status[i] = HA_TRACK_ANIMATED;
    }
  }
  return i;
}

/* eval_steady with velocities and statuses out, and without. */
static __attribute__((noinline)) size_t eval_steady_motion(ha_engine *e, const ha__engine_out *out,
                                                           size_t i, size_t n, double dt,
                                                           double inv_dt) {
  return eval_steady(e, out, i, n, dt, inv_dt, true);
}

static __attribute__((noinline)) size_t eval_steady_plain(ha_engine *e, const ha__engine_out *out,
                                                          size_t i, size_t n, double dt,
                                                          double inv_dt) {
  return eval_steady(e, out, i, n, dt, inv_dt, false);
}

ha_status ha_engine_evaluate(ha_engine *e, double t, double *x, double *y, double *z, size_t cap) {
  return ha_engine_evaluate_step(e, t, e->have_last ? fabs(t - e->last_t) : 0.0, x, y, z, cap);
}

ha_status ha_engine_evaluate_step(ha_engine *e, double t, double real_dt, double *x, double *y,
                                  double *z, size_t cap) {
  ha__engine_out out = {x, y, z, NULL, NULL, NULL, NULL};
  return ha__engine_evaluate_out(e, t, real_dt, &out, cap, NULL);
}

ha_status ha__engine_evaluate_out(ha_engine *e, double t, double real_dt, const ha__engine_out *out,
                                  size_t cap, size_t *moving) {
  if (cap < e->ntracks) {
    return HA_ENOBUFS;
  }
  if (!(real_dt > 0.0 && real_dt < INFINITY)) {
    real_dt = 0.0;
  }
  if (e->batch != NULL) {
    eval_batch(e, t);
  }
  /* Velocity is in transport time (the path's own speed). */
  double dt = e->have_last ? t - e->last_t : 0.0;
  double inv_dt = dt > 0.0 ? 1.0 / dt : 0.0;
  e->now = t;
  e->slowest = (ha_engine_slowest){0, -1, NULL, 0.0};
  double mark = e->cfg.time_tracks ? eval_clock() : 0.0;
  const ha_limits lim = e->cfg.limits;
  const eval_step step = {t, real_dt, dt, inv_dt, lim, e->have_last};
  /* No limits: batched tracks without a goto, a transition or a blend take
   * the steady state's short path, runs of them at a time. */
  const bool steady = !lim.box_enabled && !(lim.max_speed > 0.0);
  const size_t n = e->ntracks;
  size_t busy = 0, nbatch = 0;
  for (size_t i = 0; i < n; i++) {
    if (steady && eval_is_steady(&e->tracks[i], e->anims)) {
      size_t j = out->status != NULL ? eval_steady_motion(e, out, i, n, dt, inv_dt)
                                     : eval_steady_plain(e, out, i, n, dt, inv_dt);
      nbatch += j - i;
      busy += j - i;
      if ((i = j) == n) {
        break;
      }
    }
    track *tr = &e->tracks[i];
    if (i + EVAL_AHEAD < n) {
      __builtin_prefetch(&e->tracks[i + EVAL_AHEAD], 1);
    }
    ha_vec3 p = eval_track(e, &step, tr, &mark);
    out->x[i] = p.x;
    out->y[i] = p.y;
    out->z[i] = p.z;
    if (out->status != NULL) {
      ha_track_status st = ha__track_status(tr);
      busy += st != HA_TRACK_IDLE;
      out->vx[i] = tr->vel.x;
      out->vy[i] = tr->vel.y;
      out->vz[i] = tr->vel.z;
      out->status[i] = (uint8_t)st;
    }
  }
  e->stats.batch_tracks += nbatch;
  e->last_t = t;
  e->have_last = 1;
  e->stats.evaluations++;
  if (moving != NULL) {
    *moving = busy;
  }
  return HA_OK;
}
