/* The engine's private state, shared by its two files: engine.c (tracks,
 * animations, transitions as control operations set them up) and
 * engine_eval.c (ha_engine_evaluate and the batch path). Not a layer header:
 * only those two files include it. */
#ifndef HOLOANIM_ENGINE_IMPL_H
#define HOLOANIM_ENGINE_IMPL_H

#include "engine_internal.h"

#include <stddef.h>

enum { TR_NONE = 0, TR_TO_ANIM, TR_TO_TARGET };

/* One track. Its first cache line holds what every evaluation reads and
 * writes (the tracks array is 64-byte aligned, a track a whole number of
 * lines); the rest is read only while a goto, a transition, a blend or a
 * per-track motion runs, on an idle track, and by control operations. A
 * batched track in the steady state then costs the tick one line instead of
 * the five it spread over (measured at 10,000 tracks: the first load of a
 * track, then on its fifth line, was a fifth of ha_engine_evaluate). */
typedef struct track {
  _Alignas(64) int32_t anim; /* −1: none */
  int32_t bslot;             /* index in the engine's batch output, −1: per-track path */
  int tr_kind;
  int pend;    /* a goto waiting for its start time */
  ha_vec3 pos; /* last evaluated (what was output) */
  ha_vec3 vel;
  /* Cold. */
  uint32_t id;
  uint32_t member;        /* index within its animation */
  ha_vec3 base;           /* rest position */
  ha_vec3 hold;           /* where the track rests when nothing drives it */
  ha_vec3 group_base;     /* position when its animation started */
  ha_motion_state *state; /* [0] current path, [1] old path while blending */
  uint32_t clamped;
  uint32_t mark; /* == engine stamp: already listed in this start */
  ha_vec3 boff;  /* its constant group offset (batch rebuild scratch) */
  int tr_aed;
  ha_easing tr_ease;
  ha_vec3 tr_from, tr_to;
  double tr_t0, tr_dur;
  int pend_aed;
  ha_easing pend_ease;
  ha_vec3 pend_to;
  double pend_t, pend_dur;
} track;
_Static_assert(offsetof(track, vel) + sizeof(ha_vec3) <= 64, "a track's hot fields: one line");

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
  ha_engine_slowest slowest; /* of the last evaluation (cfg.time_tracks) */
  /* Batch path (file comment); batch NULL when cfg.use_batch is false. */
  ha_batch *batch;
  double *bx, *by, *bz; /* its output, max_tracks each */
  double *ox, *oy, *oz; /* each slot's constant group offset, max_tracks each;
                         * the six one block from bx, in this order */
  uint32_t *border;     /* rebuild scratch: track indices in batch order */
  uint32_t *banims;     /* animations with members in it */
  size_t nbanims;
  int batch_dirty; /* membership must be rebuilt before the next evaluate */
};

/* As ha_engine_track_at reports it. */
static inline ha_track_status ha__track_status(const track *t) {
  return t->anim >= 0 ? HA_TRACK_ANIMATED
                      : (t->tr_kind != TR_NONE ? HA_TRACK_TRANSITION : HA_TRACK_IDLE);
}

/* A track leaves its animation (the batch membership becomes dirty); the
 * animation ends when its last track leaves, retiring its motions. */
void ha__engine_leave_anim(ha_engine *e, track *t);
/* A transition from where the track is to `target` over `dur` seconds,
 * starting at the engine's time. */
void ha__engine_start_goto(ha_engine *e, track *t, ha_vec3 target, double dur, ha_easing ease,
                           int aed);
/* Hand a motion the engine no longer uses to the retired ring. */
void ha__engine_retire(ha_engine *e, const ha_motion *m);

#endif
