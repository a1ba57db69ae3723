/* The motion engine's track table: tracks, animations on groups of tracks,
 * transitions, venue limits. Evaluation is engine_eval.c.
 *
 * Design: flat arrays sized at creation (tracks, animations, one state block
 * per track from an ha_pool), so evaluate/start/stop never allocate. A track
 * belongs to at most one animation (last takes precedence); taking it over
 * starts a crossfade from where it is, so a switch between motions never
 * jumps. Transitions (takeover, stop-with-fade, goto) are one per-track
 * record: from → (live animation | fixed target) with an easing.
 * Track ids find their slot through an open-addressing table (Fibonacci
 * hashing, linear probing) sized 2·max_tracks at creation and rebuilt only
 * when a track is removed. Rejected: scanning the track table per lookup —
 * simpler, but animation_start looks up every listed track and the player
 * does so per command, O(tracks) each.
 *
 * The seed's MotionEngine computations (calculate_position,
 * create_circular_motion, calculate_group_positions, maintain_formation,
 * interpolate_trajectory) are not here: they need no engine state and live
 * with what they compute (motion.h, group.h, path.h). */
#include "engine_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
  e->slowest.animation = -1;
  /* Aligned: each track's hot fields on one line (engine_impl.h). */
  e->tracks = aligned_alloc(64, c.max_tracks * sizeof(track));
  if (e->tracks != NULL) {
    memset(e->tracks, 0, c.max_tracks * sizeof(track));
  }
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
    e->bx = malloc(6 * c.max_tracks * sizeof(double));
    e->banims = malloc(c.max_animations * sizeof(*e->banims));
    e->border = malloc(c.max_tracks * sizeof(*e->border));
    e->by = e->bx ? e->bx + c.max_tracks : NULL;
    e->bz = e->bx ? e->bx + 2 * c.max_tracks : NULL;
    e->ox = e->bx ? e->bx + 3 * c.max_tracks : NULL;
    e->oy = e->bx ? e->bx + 4 * c.max_tracks : NULL;
    e->oz = e->bx ? e->bx + 5 * c.max_tracks : NULL;
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

double ha_engine_time(const ha_engine *e) {
  return e->now;
}
void ha_engine_set_time(ha_engine *e, double t) {
  e->now = t;
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

void ha__engine_retire(ha_engine *e, const ha_motion *m) {
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

void ha__engine_leave_anim(ha_engine *e, track *t) {
  if (t->anim >= 0) {
    e->batch_dirty = 1;
    anim *a = &e->anims[t->anim];
    if (a->members_left > 0 && --a->members_left == 0) {
      a->active = 0;
      ha__engine_retire(e, a->g.motion);
      ha__engine_retire(e, a->prev);
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
  ha__engine_leave_anim(e, t);
  ha_pool_release(e->states, t->state);
  size_t i = (size_t)(t - e->tracks);
  memmove(t, t + 1, (e->ntracks - i - 1) * sizeof(track));
  e->ntracks--;
  index_rebuild(e);
  return HA_OK;
}

ha_status ha__engine_track_index(const ha_engine *e, uint32_t id, size_t *index) {
  const track *t = find_track(e, id);
  if (t == NULL) {
    return HA_ENOTFOUND;
  }
  *index = (size_t)(t - e->tracks);
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
  out->status = ha__track_status(t);
  out->animation = t->anim;
  out->clamped = t->clamped;
  out->goto_pending = t->pend != 0;
  out->steps = t->anim >= 0 && t->state != NULL ? (uint32_t)t->state[0].y[13] : 0;
}

ha_status ha_engine_track_at(const ha_engine *e, size_t i, ha_track_info *out) {
  if (i >= e->ntracks) {
    return HA_ENOTFOUND;
  }
  fill_info(&e->tracks[i], out);
  return HA_OK;
}

size_t ha__engine_motion(const ha_engine *e, size_t n, double *vx, double *vy, double *vz,
                         uint8_t *status) {
  size_t moving = 0;
  n = n < e->ntracks ? n : e->ntracks;
  for (size_t i = 0; i < n; i++) {
    const track *t = &e->tracks[i];
    ha_track_status st = ha__track_status(t);
    moving += st != HA_TRACK_IDLE;
    vx[i] = t->vel.x;
    vy[i] = t->vel.y;
    vz[i] = t->vel.z;
    status[i] = (uint8_t)st;
  }
  return moving;
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

/* A bad entry in an animation's track list: unknown (missing) or listed
 * twice. Formats only when the caller wants the details: the player starts
 * animations on the tick (err NULL), where stdio is not allowed. */
static ha_status track_list_error(ha_error *err, uint32_t id, int missing) {
  if (err == NULL) {
    return HA_EINVAL;
  }
  char v[32];
  snprintf(v, sizeof(v), "%u", id);
  if (missing) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "tracks", v, "no track %u", id);
  }
  return ha__error_invalid(err, HA_CATEGORY_STATE, "tracks", v, "track %u is listed twice", id);
}

/* Track tr crossfades from where it is onto its animation's path over
 * `fade` seconds (0: none, it is on the path at once). */
static void start_fade(ha_engine *e, track *tr, double fade) {
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

/* spec.start_glide: each member no other fade moves that stands away from
 * its path's start (the member at the animation's time 0, evaluated once
 * here and its state reset, so the tick sees a fresh start) glides there.
 * Rejected: always crossfading (a track already on its path would lag its
 * path for the whole glide). */
static void start_glides(ha_engine *e, anim *a, const uint32_t *tracks, size_t ntracks,
                         double glide) {
  for (size_t i = 0; i < ntracks; i++) {
    track *tr = find_track(e, tracks[i]);
    if (tr->tr_kind != TR_NONE) {
      continue;
    }
    ha_vec3 at =
        ha__group_member(&a->g, tr->member, 0.0, tr->group_base, a->bary, tr->id, &tr->state[0]);
    ha_motion_state_reset(&tr->state[0]);
    if (!(ha_vec3_dist(at, tr->pos) <= HA_START_GLIDE_TOLERANCE)) {
      start_fade(e, tr, glide);
    }
  }
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
  if (!(sp.start_glide >= 0.0 && sp.start_glide <= 3600.0)) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "startGlide", sp.start_glide, 0.0, 3600.0);
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
    if (tr == NULL || tr->mark == e->stamp) {
      return track_list_error(err, tracks[i], tr == NULL);
    }
    tr->mark = e->stamp;
  }
  ha_group g;
  ha_group_init(&g, motion, ntracks);
  g.mode = sp.mode;
  g.phase_offset = sp.phase_offset;
  g.phase_spread = sp.phase_spread;
  g.delay = sp.delay;
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
    ha__engine_leave_anim(e, tr);
    tr->pend = 0; /* last takes precedence: a delayed goto waiting for it is dropped */
    tr->anim = (int32_t)slot;
    tr->member = (uint32_t)i;
    tr->group_base = sp.from_base ? tr->base : tr->pos;
    sum = ha_vec3_add(sum, tr->group_base);
    ha_motion_state_reset(&tr->state[0]);
    ha_motion_state_reset(&tr->state[1]);
    a->members_left++;
    /* Crossfade from wherever the track is to the new path: over the
     * animation's fade-in, or over takeover_fade when it takes the track
     * from something moving it (else start_glide decides, below). */
    double fade = sp.fade_in > 0.0                         ? sp.fade_in
                  : (was_driven || tr->tr_kind != TR_NONE) ? e->cfg.takeover_fade
                                                           : 0.0;
    start_fade(e, tr, fade);
  }
  a->bary = ha_vec3_scale(sum, 1.0 / (double)ntracks);
  if (sp.start_glide > 0.0) {
    start_glides(e, a, tracks, ntracks, sp.start_glide);
  }
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

void ha__engine_start_goto(ha_engine *e, track *t, ha_vec3 target, double dur, ha_easing ease,
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
  ha__engine_leave_anim(e, t);
  if (fade > 0.0 && isfinite(fade)) {
    ha__engine_start_goto(e, t, t->base, fade, HA_EASE_SINE_IN_OUT, 0);
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
  ha__engine_retire(e, an->prev); /* a blend still running is cut short */
  an->prev = window > 0.0 ? an->g.motion : NULL;
  if (an->prev == NULL) {
    ha__engine_retire(e, an->g.motion);
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
  ha__engine_leave_anim(e, t);
  if (duration > 0.0) {
    ha__engine_start_goto(e, t, target, duration, easing, aed ? 1 : 0);
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

void ha_engine_get_stats(const ha_engine *e, ha_engine_stats *out) {
  *out = e->stats;
}

size_t ha_engine_memory_bytes(const ha_engine *e) {
  const ha_engine_config *c = &e->cfg;
  size_t n = sizeof(*e) + c->max_tracks * sizeof(*e->tracks) +
             c->max_animations * sizeof(*e->anims) + (e->index_mask + 1) * sizeof(*e->index) +
             e->retired_cap * sizeof(*e->retired) + ha_pool_memory_bytes(e->states);
  if (e->batch != NULL) {
    n += ha_batch_memory_bytes(e->batch) + 3 * c->max_tracks * sizeof(double) +
         c->max_animations * sizeof(*e->banims) + c->max_tracks * sizeof(*e->border);
  }
  return n;
}

void ha_engine_get_slowest(const ha_engine *e, ha_engine_slowest *out) {
  *out = e->slowest;
}
