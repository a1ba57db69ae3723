/* The motion engine: the seed's computation API plus the track table that
 * the player drives.
 *
 * Design: flat arrays sized at creation (tracks, animations, one state block
 * per track from an ha_pool), so evaluate/start/stop never allocate. A track
 * belongs to at most one animation (last takes precedence); taking it over
 * starts a crossfade from where it is, so a switch between motions never
 * jumps. Transitions (takeover, stop-with-fade, goto) are one per-track
 * record: from → (live animation | fixed target) with an easing.
 * Rejected: a hash map from track id to slot — the device has at most a few
 * hundred sources and control operations are rare, a scan is simpler.
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
#include "engine_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TR_NONE = 0, TR_TO_ANIM, TR_TO_TARGET };

typedef struct track {
  uint32_t id;
  ha_vec3 base; /* rest position */
  ha_vec3 pos;  /* last evaluated (what was output) */
  ha_vec3 hold; /* where the track rests when nothing drives it */
  ha_vec3 vel;
  ha_vec3 group_base;     /* position when its animation started */
  int32_t anim;           /* −1: none */
  uint32_t member;        /* index within its animation */
  ha_motion_state *state; /* [0] current path, [1] old path while blending */
  uint32_t clamped;
  uint32_t mark; /* == engine stamp: already listed in this start */
  int32_t bslot; /* index in the engine's batch output, −1: per-track path */
  ha_vec3 boff;  /* its constant group offset (batch path) */
  int tr_kind;
  int tr_aed;
  ha_easing tr_ease;
  ha_vec3 tr_from, tr_to;
  double tr_t0, tr_dur;
  int pend; /* a goto waiting for its start time */
  int pend_aed;
  ha_easing pend_ease;
  ha_vec3 pend_to;
  double pend_t, pend_dur;
} track;

typedef struct anim {
  int active;
  ha_group g; /* mode and phase; motion; count = members at start */
  ha_vec3 bary;
  double t0;
  size_t members_left;
  const ha_motion *prev; /* old motion while a replace blends in */
  double blend_t0, blend_w;
  int batched;           /* its members with a constant offset are in the batch */
  uint64_t bgen;         /* the motion's generation when they were captured */
  size_t bfirst, bcount; /* their range in the batch */
} anim;

struct ha_engine {
  ha_engine_config cfg;
  track *tracks;
  size_t ntracks;
  /* id → index+1 in `tracks`, open addressing (linear probing), 0 = empty;
   * sized 2·max_tracks rounded up to a power of two at creation. */
  uint32_t *index;
  size_t index_mask;
  uint32_t stamp; /* duplicate detection in animation_start */
  anim *anims;
  ha_pool *states;
  const ha_motion **retired; /* ring of motions no longer used */
  size_t retired_head, retired_n, retired_cap;
  double now;
  double last_t;
  int have_last;
  ha_engine_stats stats;
  /* Batch path (file comment); batch NULL when cfg.use_batch is false. */
  ha_batch *batch;
  double *bx, *by, *bz; /* its output, max_tracks each */
  uint32_t *border;     /* rebuild scratch: track indices in batch order */
  uint32_t *banims;     /* animations with members in it */
  size_t nbanims;
  int batch_dirty; /* membership must be rebuilt before the next evaluate */
};

ha_engine_config ha_engine_config_default(void) {
  ha_engine_config c;
  memset(&c, 0, sizeof(c));
  c.max_tracks = 1024;
  c.max_animations = 256;
  c.blend_window = HA_BLEND_WINDOW_DEFAULT;
  c.takeover_fade = 0.25;
  c.use_batch = true;
  return c;
}

static ha_status check_limits(const ha_limits *l, ha_error *err) {
  if (l->box_enabled) {
    if (!ha_vec3_isfinite(l->box_min) || !ha_vec3_isfinite(l->box_max) ||
        l->box_min.x > l->box_max.x || l->box_min.y > l->box_max.y || l->box_min.z > l->box_max.z) {
      return ha__error_invalid(err, HA_CATEGORY_STATE, "limits.box", "empty",
                               "the venue box needs min ≤ max on every axis");
    }
  }
  if (!(l->max_speed >= 0.0 && l->max_speed <= 1e6)) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "limits.maxSpeed", l->max_speed, 0.0, 1e6);
  }
  return HA_OK;
}

ha_status ha_engine_create(const ha_engine_config *cfg, ha_engine **out, ha_error *err) {
  ha_engine_config c = cfg ? *cfg : ha_engine_config_default();
  if (c.max_tracks == 0 || c.max_tracks > 65536) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "maxTracks", (double)c.max_tracks, 1, 65536);
  }
  if (c.max_animations == 0 || c.max_animations > 65536) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "maxAnimations", (double)c.max_animations, 1,
                            65536);
  }
  if (!(c.blend_window >= 0.0 && c.blend_window <= 60.0)) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "blendWindow", c.blend_window, 0, 60);
  }
  if (!(c.takeover_fade >= 0.0 && c.takeover_fade <= 60.0)) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "takeoverFade", c.takeover_fade, 0, 60);
  }
  ha_status st = check_limits(&c.limits, err);
  if (st != HA_OK) {
    return st;
  }
  ha_engine *e = calloc(1, sizeof(*e));
  if (e == NULL) {
    return HA_ENOMEM;
  }
  e->cfg = c;
  e->tracks = calloc(c.max_tracks, sizeof(track));
  e->anims = calloc(c.max_animations, sizeof(anim));
  size_t isz = 1;
  while (isz < 2 * c.max_tracks) {
    isz <<= 1;
  }
  e->index = calloc(isz, sizeof(*e->index));
  e->index_mask = isz - 1;
  /* Every animation can retire its motion and one blended-out motion before
   * anyone drains the ring; twice that is ample. */
  e->retired_cap = 4 * c.max_animations;
  e->retired = calloc(e->retired_cap, sizeof(*e->retired));
  st = ha_pool_create(2 * sizeof(ha_motion_state), c.max_tracks, &e->states);
  if (st == HA_OK && c.use_batch) {
    st = ha_batch_create(c.max_tracks, &e->batch);
    e->bx = malloc(3 * c.max_tracks * sizeof(double));
    e->banims = malloc(c.max_animations * sizeof(*e->banims));
    e->border = malloc(c.max_tracks * sizeof(*e->border));
    e->by = e->bx ? e->bx + c.max_tracks : NULL;
    e->bz = e->bx ? e->bx + 2 * c.max_tracks : NULL;
    e->batch_dirty = 1;
  }
  if (e->tracks == NULL || e->anims == NULL || e->retired == NULL || e->index == NULL ||
      st != HA_OK || (c.use_batch && (e->bx == NULL || e->banims == NULL || e->border == NULL))) {
    ha_engine_destroy(e);
    return HA_ENOMEM;
  }
  *out = e;
  return HA_OK;
}

void ha_engine_destroy(ha_engine *e) {
  if (e == NULL) {
    return;
  }
  ha_pool_destroy(e->states);
  ha_batch_destroy(e->batch);
  free(e->bx);
  free(e->banims);
  free(e->border);
  free(e->tracks);
  free(e->index);
  free(e->anims);
  free((void *)e->retired);
  free(e);
}

/* ---- the seed's computation API ---- */

ha_status ha_engine_calculate_position(const ha_engine *e, const ha_motion *m, double t,
                                       ha_vec3 *out, ha_error *err) {
  (void)e;
  return ha_motion_calculate_position(m, t, out, err);
}

ha_status ha_engine_create_circular_motion(const ha_engine *e, const ha_circular_params *p,
                                           ha_motion **out, ha_error *err) {
  (void)e;
  return ha_motion_create_circular(p->center, p->radius, p->speed, p->clockwise, &p->timing, out,
                                   err);
}

ha_status ha_engine_create_linear_motion(const ha_engine *e, const ha_linear_params *p,
                                         ha_motion **out, ha_error *err) {
  (void)e;
  return ha_motion_create_linear(p->start, p->end, p->easing, &p->timing, out, err);
}

double ha_engine_time(const ha_engine *e) {
  return e->now;
}
void ha_engine_set_time(ha_engine *e, double t) {
  e->now = t;
}

ha_status ha_engine_calculate_group_positions(const ha_engine *e, const ha_group *g, ha_vec3 *out,
                                              size_t out_cap, ha_error *err) {
  return ha_group_positions(g, e->now, out, out_cap, err);
}

ha_status ha_engine_maintain_formation(const ha_engine *e, ha_vec3 center, const ha_vec3 *members,
                                       size_t n, ha_vec3 *out, ha_error *err) {
  (void)e;
  return ha_maintain_formation(center, members, n, out, err);
}

/* ---- tracks ---- */

static size_t hash_id(uint32_t id) {
  uint32_t h = id * 0x9E3779B1u; /* Fibonacci hashing: spreads sequential ids */
  return (size_t)(h ^ (h >> 16));
}

static track *find_track(const ha_engine *e, uint32_t id) {
  for (size_t i = hash_id(id) & e->index_mask;; i = (i + 1) & e->index_mask) {
    uint32_t v = e->index[i];
    if (v == 0) {
      return NULL;
    }
    if (e->tracks[v - 1].id == id) {
      return &e->tracks[v - 1];
    }
  }
}

static void index_put(ha_engine *e, uint32_t id, size_t slot) {
  size_t i = hash_id(id) & e->index_mask;
  while (e->index[i] != 0) {
    i = (i + 1) & e->index_mask;
  }
  e->index[i] = (uint32_t)(slot + 1);
}

static void index_rebuild(ha_engine *e) {
  memset(e->index, 0, (e->index_mask + 1) * sizeof(*e->index));
  for (size_t k = 0; k < e->ntracks; k++) {
    index_put(e, e->tracks[k].id, k);
  }
}

ha_status ha_engine_track_add(ha_engine *e, uint32_t id, ha_vec3 base, ha_error *err) {
  char v[32];
  snprintf(v, sizeof(v), "%u", id);
  if (id == 0) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "track", v, "track ids start at 1");
  }
  if (find_track(e, id) != NULL) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "track", v, "track %u already exists", id);
  }
  if (!ha_vec3_isfinite(base)) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "base", "non-finite",
                             "base positions must be finite");
  }
  if (e->ntracks == e->cfg.max_tracks) {
    return ha__error_exhausted(err, HA_CATEGORY_STATE, "tracks", e->cfg.max_tracks);
  }
  void *block = NULL;
  ha_status st = ha_pool_acquire_ex(e->states, &block, "track states", err);
  if (st != HA_OK) {
    return st;
  }
  track *t = &e->tracks[e->ntracks];
  index_put(e, id, e->ntracks);
  e->ntracks++;
  memset(t, 0, sizeof(*t));
  t->id = id;
  t->base = base;
  t->pos = base;
  t->hold = base;
  t->anim = -1;
  t->bslot = -1;
  t->state = block;
  return HA_OK;
}

static void retire(ha_engine *e, const ha_motion *m) {
  if (m == NULL) {
    return;
  }
  if (e->retired_n == e->retired_cap) {
    /* Nobody drains: forget the oldest (the owner still has it). */
    e->retired_head = (e->retired_head + 1) % e->retired_cap;
    e->retired_n--;
  }
  e->retired[(e->retired_head + e->retired_n) % e->retired_cap] = m;
  e->retired_n++;
}

size_t ha_engine_take_retired(ha_engine *e, ha_motion **out, size_t cap) {
  size_t k = 0;
  while (k < cap && e->retired_n > 0) {
    out[k++] = (ha_motion *)(uintptr_t)e->retired[e->retired_head];
    e->retired_head = (e->retired_head + 1) % e->retired_cap;
    e->retired_n--;
  }
  return k;
}

static void leave_anim(ha_engine *e, track *t) {
  if (t->anim >= 0) {
    e->batch_dirty = 1;
    anim *a = &e->anims[t->anim];
    if (a->members_left > 0 && --a->members_left == 0) {
      a->active = 0;
      retire(e, a->g.motion);
      retire(e, a->prev);
      a->g.motion = NULL;
      a->prev = NULL;
    }
    t->anim = -1;
  }
}

ha_status ha_engine_track_remove(ha_engine *e, uint32_t id) {
  track *t = find_track(e, id);
  if (t == NULL) {
    return HA_ENOTFOUND;
  }
  leave_anim(e, t);
  ha_pool_release(e->states, t->state);
  size_t i = (size_t)(t - e->tracks);
  memmove(t, t + 1, (e->ntracks - i - 1) * sizeof(track));
  e->ntracks--;
  index_rebuild(e);
  return HA_OK;
}

ha_status ha_engine_track_set_base(ha_engine *e, uint32_t id, ha_vec3 base) {
  track *t = find_track(e, id);
  if (t == NULL) {
    return HA_ENOTFOUND;
  }
  if (!ha_vec3_isfinite(base)) {
    return HA_EINVAL;
  }
  t->base = base;
  if (t->anim < 0 && t->tr_kind == TR_NONE) {
    t->hold = base;
  }
  return HA_OK;
}

size_t ha_engine_track_count(const ha_engine *e) {
  return e->ntracks;
}

static void fill_info(const track *t, ha_track_info *out) {
  out->id = t->id;
  out->base = t->base;
  out->position = t->pos;
  out->velocity = t->vel;
  out->status = t->anim >= 0 ? HA_TRACK_ANIMATED
                             : (t->tr_kind != TR_NONE ? HA_TRACK_TRANSITION : HA_TRACK_IDLE);
  out->animation = t->anim;
  out->clamped = t->clamped;
  out->goto_pending = t->pend != 0;
}

ha_status ha_engine_track_at(const ha_engine *e, size_t i, ha_track_info *out) {
  if (i >= e->ntracks) {
    return HA_ENOTFOUND;
  }
  fill_info(&e->tracks[i], out);
  return HA_OK;
}

ha_status ha_engine_track_get(const ha_engine *e, uint32_t id, ha_track_info *out) {
  const track *t = find_track(e, id);
  if (t == NULL) {
    return HA_ENOTFOUND;
  }
  fill_info(t, out);
  return HA_OK;
}

/* ---- animations ---- */

ha_anim_spec ha_anim_spec_default(void) {
  ha_anim_spec s;
  memset(&s, 0, sizeof(s));
  s.mode = HA_GROUP_SHARED;
  s.rotate_formation = true;
  s.spread_radius = 1.0;
  s.mirror_axis = 'x';
  return s;
}

ha_status ha_engine_animation_start(ha_engine *e, ha_motion *motion, const ha_anim_spec *spec,
                                    const uint32_t *tracks, size_t ntracks, double t,
                                    ha_anim_id *out, ha_error *err) {
  ha_anim_spec sp = spec ? *spec : ha_anim_spec_default();
  if (motion == NULL || ntracks == 0 || tracks == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "tracks", "[]",
                             "an animation needs a motion and at least one track");
  }
  if (!isfinite(t)) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "time", "non-finite",
                             "the start time must be finite");
  }
  if (!(sp.fade_in >= 0.0 && sp.fade_in <= 3600.0)) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "fadeIn", sp.fade_in, 0.0, 3600.0);
  }
  if (++e->stamp == 0) {
    /* The stamp wrapped: clear every mark once so old ones cannot match. */
    for (size_t k = 0; k < e->ntracks; k++) {
      e->tracks[k].mark = 0;
    }
    e->stamp = 1;
  }
  for (size_t i = 0; i < ntracks; i++) {
    track *tr = find_track(e, tracks[i]);
    char v[32];
    snprintf(v, sizeof(v), "%u", tracks[i]);
    if (tr == NULL) {
      return ha__error_invalid(err, HA_CATEGORY_STATE, "tracks", v, "no track %u", tracks[i]);
    }
    if (tr->mark == e->stamp) {
      return ha__error_invalid(err, HA_CATEGORY_STATE, "tracks", v, "track %u is listed twice",
                               tracks[i]);
    }
    tr->mark = e->stamp;
  }
  ha_group g;
  ha_group_init(&g, motion, ntracks);
  g.mode = sp.mode;
  g.phase_offset = sp.phase_offset;
  g.phase_spread = sp.phase_spread;
  g.rotate_formation = sp.rotate_formation;
  g.center_point = sp.center_point;
  g.spread_radius = sp.spread_radius;
  g.mirror_axis = sp.mirror_axis;
  {
    /* Validate with a one-member view so no array of bases is needed. */
    ha_group v = g;
    v.count = 1;
    v.bases = &v.center_point;
    if (!ha_vec3_isfinite(v.center_point)) {
      v.center_point = ha_vec3_zero();
      if (sp.mode == HA_GROUP_CENTERED) {
        return ha__error_invalid(err, HA_CATEGORY_MODEL, "centerPoint", "non-finite",
                                 "the centre point must be finite");
      }
    }
    ha_status st = ha_group_validate(&v, err);
    if (st != HA_OK) {
      return st;
    }
  }
  g.bases = NULL;
  size_t slot = e->cfg.max_animations;
  for (size_t i = 0; i < e->cfg.max_animations; i++) {
    if (!e->anims[i].active) {
      slot = i;
      break;
    }
  }
  if (slot == e->cfg.max_animations) {
    return ha__error_exhausted(err, HA_CATEGORY_STATE, "animations", e->cfg.max_animations);
  }
  anim *a = &e->anims[slot];
  e->batch_dirty = 1;
  a->active = 1;
  a->g = g;
  a->t0 = t;
  a->members_left = 0;
  a->prev = NULL;
  ha_vec3 sum = ha_vec3_zero();
  for (size_t i = 0; i < ntracks; i++) {
    track *tr = find_track(e, tracks[i]);
    int was_driven = tr->anim >= 0;
    if (was_driven) {
      e->stats.takeovers++;
    }
    leave_anim(e, tr);
    tr->pend = 0; /* last takes precedence: a delayed goto waiting for it is dropped */
    tr->anim = (int32_t)slot;
    tr->member = (uint32_t)i;
    tr->group_base = tr->pos;
    sum = ha_vec3_add(sum, tr->pos);
    ha_motion_state_reset(&tr->state[0]);
    ha_motion_state_reset(&tr->state[1]);
    a->members_left++;
    /* Crossfade from wherever the track is to the new path: over the
     * animation's fade-in, or over takeover_fade when it takes the track
     * from something moving it. */
    double fade = sp.fade_in > 0.0                         ? sp.fade_in
                  : (was_driven || tr->tr_kind != TR_NONE) ? e->cfg.takeover_fade
                                                           : 0.0;
    if (fade > 0.0) {
      tr->tr_kind = TR_TO_ANIM;
      tr->tr_from = tr->pos;
      tr->tr_t0 = e->now;
      tr->tr_dur = fade;
      tr->tr_ease = HA_EASE_SINE_IN_OUT;
      tr->tr_aed = 0;
    } else {
      tr->tr_kind = TR_NONE;
    }
  }
  a->bary = ha_vec3_scale(sum, 1.0 / (double)ntracks);
  if (out != NULL) {
    *out = (ha_anim_id)slot;
  }
  return HA_OK;
}

static anim *get_anim(const ha_engine *e, ha_anim_id a) {
  if (a < 0 || (size_t)a >= e->cfg.max_animations || !e->anims[a].active) {
    return NULL;
  }
  return &e->anims[a];
}

static void start_goto(ha_engine *e, track *t, ha_vec3 target, double dur, ha_easing ease,
                       int aed) {
  t->hold = target;
  t->tr_kind = TR_TO_TARGET;
  t->tr_from = t->pos;
  t->tr_to = target;
  t->tr_t0 = e->now;
  t->tr_dur = dur;
  t->tr_ease = ease;
  t->tr_aed = aed;
}

static void stop_track(ha_engine *e, track *t, double fade) {
  t->pend = 0;
  leave_anim(e, t);
  if (fade > 0.0 && isfinite(fade)) {
    start_goto(e, t, t->base, fade, HA_EASE_SINE_IN_OUT, 0);
  } else {
    t->tr_kind = TR_NONE;
    t->hold = t->pos;
  }
}

ha_status ha_engine_animation_stop(ha_engine *e, ha_anim_id a, double fade) {
  if (get_anim(e, a) == NULL) {
    return HA_ENOTFOUND;
  }
  for (size_t i = 0; i < e->ntracks; i++) {
    if (e->tracks[i].anim == a) {
      stop_track(e, &e->tracks[i], fade);
    }
  }
  return HA_OK;
}

ha_status ha_engine_track_stop(ha_engine *e, uint32_t id, double fade) {
  track *t = find_track(e, id);
  if (t == NULL) {
    return HA_ENOTFOUND;
  }
  stop_track(e, t, fade);
  return HA_OK;
}

void ha_engine_stop_all(ha_engine *e) {
  for (size_t i = 0; i < e->ntracks; i++) {
    stop_track(e, &e->tracks[i], 0.0);
  }
}

ha_status ha_engine_animation_update(ha_engine *e, ha_anim_id a, const ha_params *params,
                                     const ha_timing *timing, ha_error *err) {
  anim *an = get_anim(e, a);
  if (an == NULL) {
    return HA_ENOTFOUND;
  }
  /* The motion is borrowed mutable: the caller handed it over at start. */
  ha_motion *m = (ha_motion *)(uintptr_t)an->g.motion;
  e->batch_dirty = 1; /* new capture, or a blend: per-track path */
  return ha_motion_update_parameters(m, params, timing, e->now - an->t0, e->cfg.blend_window, err);
}

ha_status ha_engine_animation_replace(ha_engine *e, ha_anim_id a, ha_motion *motion,
                                      double window) {
  anim *an = get_anim(e, a);
  if (an == NULL) {
    return HA_ENOTFOUND;
  }
  if (motion == NULL || !(window >= 0.0 && window <= 60.0)) {
    return HA_EINVAL;
  }
  e->batch_dirty = 1;
  retire(e, an->prev); /* a blend still running is cut short */
  an->prev = window > 0.0 ? an->g.motion : NULL;
  if (an->prev == NULL) {
    retire(e, an->g.motion);
  }
  an->g.motion = motion;
  an->blend_t0 = e->now;
  an->blend_w = window;
  for (size_t i = 0; i < e->ntracks; i++) {
    track *tr = &e->tracks[i];
    if (tr->anim == a) {
      /* The old path keeps its cache in the second slot. */
      tr->state[1] = tr->state[0];
      ha_motion_state_reset(&tr->state[0]);
    }
  }
  return HA_OK;
}

ha_motion *ha_engine_animation_motion(const ha_engine *e, ha_anim_id a) {
  anim *an = get_anim(e, a);
  return an ? (ha_motion *)(uintptr_t)an->g.motion : NULL;
}

size_t ha_engine_animation_tracks(const ha_engine *e, ha_anim_id a) {
  anim *an = get_anim(e, a);
  return an ? an->members_left : 0;
}

ha_status ha_engine_track_goto(ha_engine *e, uint32_t id, ha_vec3 target, double duration,
                               ha_easing easing, bool aed) {
  track *t = find_track(e, id);
  if (t == NULL) {
    return HA_ENOTFOUND;
  }
  if (!ha_vec3_isfinite(target) || !(duration >= 0.0 && duration <= 1e6) || (int)easing < 0 ||
      easing >= HA_EASE_COUNT) {
    return HA_EINVAL;
  }
  t->pend = 0;
  leave_anim(e, t);
  if (duration > 0.0) {
    start_goto(e, t, target, duration, easing, aed ? 1 : 0);
  } else {
    /* A jump: the speed cap (if any) still limits how fast it is made. */
    t->tr_kind = TR_NONE;
    t->hold = target;
  }
  return HA_OK;
}

ha_status ha_engine_track_goto_at(ha_engine *e, uint32_t id, ha_vec3 target, double start,
                                  double duration, ha_easing easing, bool aed) {
  track *t = find_track(e, id);
  if (t == NULL) {
    return HA_ENOTFOUND;
  }
  if (!isfinite(start) || start <= e->now) {
    return ha_engine_track_goto(e, id, target, duration, easing, aed);
  }
  if (!ha_vec3_isfinite(target) || !(duration >= 0.0 && duration <= 1e6) || (int)easing < 0 ||
      easing >= HA_EASE_COUNT) {
    return HA_EINVAL;
  }
  t->pend = 1;
  t->pend_t = start;
  t->pend_to = target;
  t->pend_dur = duration;
  t->pend_ease = easing;
  t->pend_aed = aed ? 1 : 0;
  return HA_OK;
}

ha_status ha_engine_set_limits(ha_engine *e, const ha_limits *limits, ha_error *err) {
  ha_status st = check_limits(limits, err);
  if (st == HA_OK) {
    e->cfg.limits = *limits;
  }
  return st;
}

/* from → to at eased weight w, in xyz or aed (shorter azimuth arc). */
static ha_vec3 mix(ha_vec3 from, ha_vec3 to, double w, int aed) {
  if (!aed) {
    return ha_vec3_lerp(from, to, w);
  }
  ha_vec3 a = ha_xyz_to_aed(from, HA_AZIMUTH_CLOCKWISE);
  ha_vec3 b = ha_xyz_to_aed(to, HA_AZIMUTH_CLOCKWISE);
  ha_vec3 m = ha_vec3_make(a.x + ha_angle_diff_deg(a.x, b.x) * w, a.y + (b.y - a.y) * w,
                           a.z + (b.z - a.z) * w);
  return ha_aed_to_xyz(m, HA_AZIMUTH_CLOCKWISE);
}

static ha_vec3 clamp_box(const ha_limits *l, ha_vec3 p, int *clamped) {
  ha_vec3 q = ha_vec3_make(fmin(fmax(p.x, l->box_min.x), l->box_max.x),
                           fmin(fmax(p.y, l->box_min.y), l->box_max.y),
                           fmin(fmax(p.z, l->box_min.z), l->box_max.z));
  *clamped = !ha__feq(q.x, p.x) || !ha__feq(q.y, p.y) || !ha__feq(q.z, p.z);
  return q;
}

/* The batch's members and offsets from the tracks and animations as they
 * are now, each animation's members as one contiguous range (file comment).
 * Never allocates. */
static void batch_rebuild(ha_engine *e) {
  e->batch_dirty = 0;
  e->nbanims = 0;
  ha_batch_clear(e->batch);
  for (size_t k = 0; k < e->cfg.max_animations; k++) {
    anim *a = &e->anims[k];
    a->batched = a->active && a->prev == NULL && ha_batch_would_pack(a->g.motion);
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
  }
}

/* Rebuild the batch if a control operation or a motion changed since the
 * last capture, then compute each animation's range at its time t − t0 into
 * bx/by/bz. */
static void batch_eval(ha_engine *e, double t) {
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
    batch_rebuild(e);
  }
  for (size_t k = 0; k < e->nbanims; k++) {
    const anim *a = &e->anims[e->banims[k]];
    (void)ha_batch_eval_range(e->batch, t - a->t0, a->bfirst, a->bcount, e->bx, e->by, e->bz);
  }
}

ha_status ha_engine_evaluate(ha_engine *e, double t, double *x, double *y, double *z, size_t cap) {
  if (cap < e->ntracks) {
    return HA_ENOBUFS;
  }
  if (e->batch != NULL) {
    batch_eval(e, t);
  }
  double dt = e->have_last ? t - e->last_t : 0.0;
  const ha_limits *lim = &e->cfg.limits;
  e->now = t;
  for (size_t i = 0; i < e->ntracks; i++) {
    track *tr = &e->tracks[i];
    if (tr->pend && t >= tr->pend_t) {
      /* A staggered goto begins now, from wherever the track is. */
      tr->pend = 0;
      leave_anim(e, tr);
      if (tr->pend_dur > 0.0) {
        start_goto(e, tr, tr->pend_to, tr->pend_dur, tr->pend_ease, tr->pend_aed);
        tr->tr_t0 = tr->pend_t;
      } else {
        tr->tr_kind = TR_NONE;
        tr->hold = tr->pend_to;
      }
    }
    ha_vec3 p = tr->hold;
    if (tr->anim >= 0) {
      anim *a = &e->anims[tr->anim];
      if (tr->bslot >= 0) {
        size_t b = (size_t)tr->bslot;
        p = ha_vec3_add(ha_vec3_make(e->bx[b], e->by[b], e->bz[b]), tr->boff);
        e->stats.batch_tracks++;
      } else {
        p = ha__group_member(&a->g, tr->member, t - a->t0, tr->group_base, a->bary, tr->id,
                             &tr->state[0]);
      }
      if (a->prev != NULL) {
        double u = (t - a->blend_t0) / a->blend_w;
        if (u >= 1.0) {
          retire(e, a->prev);
          a->prev = NULL;
          e->batch_dirty = 1; /* its members may join the batch */
        } else if (u >= 0.0) {
          ha_group old = a->g;
          old.motion = a->prev;
          ha_vec3 q = ha__group_member(&old, tr->member, t - a->t0, tr->group_base, a->bary, tr->id,
                                       &tr->state[1]);
          p = ha_vec3_lerp(q, p, u * u * (3.0 - 2.0 * u));
        }
      }
    }
    if (tr->tr_kind != TR_NONE) {
      double u = tr->tr_dur > 0.0 ? (t - tr->tr_t0) / tr->tr_dur : 1.0;
      if (u < 0.0) {
        u = 0.0; /* seek before the transition began: hold its start */
      }
      double w = ha_ease(tr->tr_ease, u);
      ha_vec3 to = tr->tr_kind == TR_TO_ANIM ? p : tr->tr_to;
      p = u >= 1.0 ? to : mix(tr->tr_from, to, w, tr->tr_aed);
      if (u >= 1.0) {
        tr->tr_kind = TR_NONE;
        if (tr->anim < 0) {
          tr->hold = to;
        }
      }
    }
    if (lim->box_enabled) {
      int c = 0;
      p = clamp_box(lim, p, &c);
      if (c) {
        e->stats.clamps_box++;
        tr->clamped++;
      }
    }
    if (lim->max_speed > 0.0 && dt > 0.0) {
      ha_vec3 d = ha_vec3_sub(p, tr->pos);
      double len = ha_vec3_len(d), maxd = lim->max_speed * dt;
      if (len > maxd) {
        p = ha_vec3_add(tr->pos, ha_vec3_scale(d, maxd / len));
        e->stats.clamps_speed++;
        tr->clamped++;
      }
    }
    if (!ha_vec3_isfinite(p)) {
      /* Never reaches the wire: hold the last good position. */
      p = ha_vec3_isfinite(tr->pos) ? tr->pos : tr->base;
      e->stats.nan_guards++;
    }
    tr->vel = dt > 0.0 ? ha_vec3_scale(ha_vec3_sub(p, tr->pos), 1.0 / dt) : ha_vec3_zero();
    tr->pos = p;
    if (tr->anim < 0 && tr->tr_kind == TR_NONE && lim->max_speed <= 0.0) {
      tr->hold = p; /* a clamped rest position stays clamped */
    }
    x[i] = p.x;
    y[i] = p.y;
    z[i] = p.z;
  }
  e->last_t = t;
  e->have_last = 1;
  e->stats.evaluations++;
  return HA_OK;
}

void ha_engine_get_stats(const ha_engine *e, ha_engine_stats *out) {
  *out = e->stats;
}
