/* Playing a show on an engine: instantiation and the cue runner.
 *
 * The instance owns one motion per group and one per inline start action,
 * made when it is created, so firing a cue never allocates: starting a group
 * twice restarts the same motion (the engine resets its per-track state).
 * It keeps a reference to the compiled show, so show edits do not disturb
 * it.
 *
 * Staggered preset moves: the engine's ha_engine_track_goto starts now, so
 * a move due later is kept in a small schedule (at most one entry per
 * track) and started by ha_show_instance_update when its time comes, with
 * the engine clock set to the due time so the transition is timed from
 * there. Any later action on a track cancels what is scheduled for it: the
 * last cue fired takes precedence, even over its predecessor's pending
 * moves. Stopping a group or an animation only touches the tracks it drives.
 * Rejected: emulating the delay with a longer transition (the track would
 * leave its animation at once instead of when its turn comes). */
#include "show_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct motion_rec {
  ha_motion *m;
  size_t animation;
  ha_anim_id anim;
  int running;
} motion_rec;

typedef struct pending {
  double due;
  uint32_t track;
  ha_vec3 target;
  double duration;
  ha_easing easing;
  bool aed;
} pending;

struct ha_show_instance {
  ha__show_model *model;
  ha_engine *e;
  motion_rec *groups; /* one per group */
  motion_rec *starts; /* one per inline start action, in cue/action order */
  size_t nstarts;
  size_t *cue_start; /* index of the cue's first inline start in `starts` */
  pending *pend;
  size_t npend, cap;
};

void ha_show_instance_destroy(ha_show_instance *inst) {
  if (inst == NULL) {
    return;
  }
  size_t ng = inst->model->ngroups;
  for (size_t i = 0; i < ng + inst->nstarts; i++) {
    motion_rec *r = i < ng ? &inst->groups[i] : &inst->starts[i - ng];
    if (r->running && ha_engine_animation_motion(inst->e, r->anim) == r->m) {
      ha_engine_animation_stop(inst->e, r->anim, 0.0);
    }
    ha_motion_destroy(r->m);
  }
  free(inst->groups);
  free(inst->starts);
  free(inst->cue_start);
  free(inst->pend);
  ha__show_model_unref(inst->model);
  free(inst);
}

bool ha_show_instance_owns(const ha_show_instance *inst, const ha_motion *m) {
  size_t ng = inst->model->ngroups;
  for (size_t i = 0; i < ng + inst->nstarts; i++) {
    const motion_rec *r = i < ng ? &inst->groups[i] : &inst->starts[i - ng];
    if (r->m == m) {
      return true;
    }
  }
  return false;
}

static void cancel_pending(ha_show_instance *inst, uint32_t track) {
  for (size_t i = 0; i < inst->npend; i++) {
    if (inst->pend[i].track == track) {
      inst->pend[i] = inst->pend[--inst->npend];
      return; /* at most one per track */
    }
  }
}

static void cancel_all(ha_show_instance *inst, const uint32_t *tracks, size_t n) {
  for (size_t i = 0; i < n; i++) {
    cancel_pending(inst, tracks[i]);
  }
}

static ha_status start_rec(ha_show_instance *inst, motion_rec *r, const ha_anim_spec *spec,
                           const uint32_t *tracks, size_t n, double t, ha_error *err) {
  cancel_all(inst, tracks, n);
  ha_anim_id id = -1;
  ha_anim_spec sp = *spec;
  if (r->animation < inst->model->nanims && inst->model->anims[r->animation].fade_in > 0.0) {
    sp.fade_in = inst->model->anims[r->animation].fade_in; /* the animation's fadeIn */
  }
  ha_status st = ha_engine_animation_start(inst->e, r->m, &sp, tracks, n, t, &id, err);
  if (st == HA_OK) {
    r->anim = id;
    r->running = 1;
  }
  return st;
}

static void stop_rec(ha_show_instance *inst, motion_rec *r, double fade) {
  /* The slot may have been reused by another animation since: check that
   * it still plays our motion. */
  if (r->running && ha_engine_animation_motion(inst->e, r->anim) == r->m) {
    ha_engine_animation_stop(inst->e, r->anim, fade);
  }
  r->running = 0;
}

ha_status ha_show_instantiate(const ha_show *show, ha_engine *engine, double t0,
                              ha_show_instance **out, ha_error *err) {
  if (show == NULL || engine == NULL || out == NULL || !isfinite(t0)) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "instantiate", "",
                             "needs a show, an engine and a finite start time");
  }
  ha__show_model *m = show->model;
  ha_show_instance *inst = calloc(1, sizeof(*inst));
  if (inst == NULL) {
    return HA_ENOMEM;
  }
  ha__show_model_ref(m);
  inst->model = m;
  inst->e = engine;
  inst->nstarts = m->start_actions;
  inst->groups = calloc(m->ngroups ? m->ngroups : 1, sizeof(motion_rec));
  inst->starts = calloc(m->start_actions ? m->start_actions : 1, sizeof(motion_rec));
  inst->cue_start = calloc(m->ncues + 1, sizeof(size_t));
  inst->cap = m->ntracks ? m->ntracks : 1;
  inst->pend = calloc(inst->cap, sizeof(pending));
  if (inst->groups == NULL || inst->starts == NULL || inst->cue_start == NULL ||
      inst->pend == NULL) {
    ha_show_instance_destroy(inst);
    return HA_ENOMEM;
  }
  ha_status st = HA_OK;
  for (size_t i = 0; i < m->ngroups && st == HA_OK; i++) {
    inst->groups[i].animation = m->groups[i].animation;
    inst->groups[i].anim = -1;
    st = ha_show_animation_motion(show, m->groups[i].animation, &inst->groups[i].m, err);
  }
  size_t k = 0;
  for (size_t c = 0; c < m->ncues && st == HA_OK; c++) {
    inst->cue_start[c] = k;
    const ha_show_cue *cue = &m->cues[c];
    for (size_t a = 0; a < cue->action_count && st == HA_OK; a++) {
      const ha_show_action *ac = &cue->actions[a];
      if (ac->type == HA_SHOW_ACTION_START && ac->target == HA_SHOW_TARGET_ANIMATION) {
        inst->starts[k].animation = ac->animation;
        inst->starts[k].anim = -1;
        st = ha_show_animation_motion(show, ac->animation, &inst->starts[k].m, err);
        k++;
      }
    }
  }
  inst->cue_start[m->ncues] = k;
  for (size_t i = 0; i < m->ntracks && st == HA_OK; i++) {
    st = ha_engine_track_add(engine, m->tracks[i].id, m->tracks[i].position, err);
  }
  if (st == HA_OK && (m->limits.box_enabled || m->limits.max_speed > 0.0)) {
    st = ha_engine_set_limits(engine, &m->limits, err);
  }
  if (st == HA_OK) {
    ha_engine_set_time(engine, t0);
  }
  for (size_t i = 0; i < m->ngroups && st == HA_OK; i++) {
    if (m->groups[i].auto_start) {
      st = ha_show_start_group(inst, i, t0, err);
      if (st != HA_OK && err != NULL) {
        char where[64];
        snprintf(where, sizeof(where), "groups[%zu]", i);
        ha__error_prefix(err, where);
      }
    }
  }
  if (st != HA_OK) {
    ha_show_instance_destroy(inst);
    return st;
  }
  *out = inst;
  return HA_OK;
}

ha_status ha_show_start_group(ha_show_instance *inst, size_t group, double t, ha_error *err) {
  if (group >= inst->model->ngroups) {
    return HA_ENOTFOUND;
  }
  const ha_show_group *g = &inst->model->groups[group];
  ha_engine_set_time(inst->e, t);
  return start_rec(inst, &inst->groups[group], &g->spec, g->tracks, g->track_count, t, err);
}

ha_status ha_show_stop_group(ha_show_instance *inst, size_t group, double fade, double t) {
  if (group >= inst->model->ngroups) {
    return HA_ENOTFOUND;
  }
  ha_engine_set_time(inst->e, t);
  stop_rec(inst, &inst->groups[group], fade);
  return HA_OK;
}

static const ha_vec3 *preset_position(const ha_show_preset *p, uint32_t track) {
  for (size_t i = 0; i < p->count; i++) {
    if (p->tracks[i] == track) {
      return &p->positions[i];
    }
  }
  return NULL;
}

static ha_status go(ha_show_instance *inst, uint32_t track, ha_vec3 target, double duration,
                    ha_easing easing, bool aed, ha_error *err) {
  ha_status st = ha_engine_track_goto(inst->e, track, target, duration, easing, aed);
  if (st != HA_OK) {
    char v[32];
    snprintf(v, sizeof(v), "%u", track);
    return ha__error_invalid(err, HA_CATEGORY_STATE, "track", v, "cannot move track %u: %s", track,
                             ha_strerror(st));
  }
  return HA_OK;
}

static ha_status run_action(ha_show_instance *inst, size_t cue, size_t *start_k,
                            const ha_show_action *a, double t, ha_error *err) {
  const ha__show_model *m = inst->model;
  switch (a->type) {
  case HA_SHOW_ACTION_START:
    if (a->target == HA_SHOW_TARGET_GROUP) {
      return ha_show_start_group(inst, a->group, t, err);
    } else {
      motion_rec *r = &inst->starts[inst->cue_start[cue] + (*start_k)++];
      return start_rec(inst, r, &a->spec, a->tracks, a->track_count, t, err);
    }
  case HA_SHOW_ACTION_STOP:
    switch (a->target) {
    case HA_SHOW_TARGET_ALL:
      inst->npend = 0;
      for (size_t i = 0; i < m->ntracks; i++) {
        ha_engine_track_stop(inst->e, m->tracks[i].id, a->fade);
      }
      return HA_OK;
    case HA_SHOW_TARGET_GROUP: stop_rec(inst, &inst->groups[a->group], a->fade); return HA_OK;
    case HA_SHOW_TARGET_ANIMATION:
      for (size_t i = 0; i < m->ngroups + inst->nstarts; i++) {
        motion_rec *r = i < m->ngroups ? &inst->groups[i] : &inst->starts[i - m->ngroups];
        if (r->animation == a->animation) {
          stop_rec(inst, r, a->fade);
        }
      }
      return HA_OK;
    case HA_SHOW_TARGET_TRACKS:
      cancel_all(inst, a->tracks, a->track_count);
      for (size_t i = 0; i < a->track_count; i++) {
        ha_engine_track_stop(inst->e, a->tracks[i], a->fade);
      }
      return HA_OK;
    }
    return HA_OK;
  case HA_SHOW_ACTION_PRESET: {
    const ha_show_preset *p = &m->presets[a->preset];
    for (size_t i = 0; i < a->track_count; i++) {
      const ha_vec3 *target = preset_position(p, a->tracks[i]);
      if (target == NULL) {
        continue;
      }
      cancel_pending(inst, a->tracks[i]);
      double delay = (double)i * a->stagger;
      if (delay > 0.0) {
        if (inst->npend < inst->cap) {
          pending *q = &inst->pend[inst->npend++];
          q->due = t + delay;
          q->track = a->tracks[i];
          q->target = *target;
          q->duration = a->transition;
          q->easing = a->easing;
          q->aed = a->aed;
        }
        continue;
      }
      ha_status st = go(inst, a->tracks[i], *target, a->transition, a->easing, a->aed, err);
      if (st != HA_OK) {
        return st;
      }
    }
    return HA_OK;
  }
  case HA_SHOW_ACTION_GOTO:
    cancel_pending(inst, a->tracks[0]);
    return go(inst, a->tracks[0], a->position, a->transition, a->easing, a->aed, err);
  }
  return HA_OK;
}

ha_status ha_show_fire_cue_at(ha_show_instance *inst, size_t index, double t, ha_error *err) {
  if (inst == NULL || index >= inst->model->ncues) {
    return HA_ENOTFOUND;
  }
  if (!isfinite(t)) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "time", "non-finite",
                             "a cue fires at a finite time");
  }
  const ha_show_cue *c = &inst->model->cues[index];
  size_t start_k = 0;
  ha_engine_set_time(inst->e, t);
  for (size_t i = 0; i < c->action_count; i++) {
    ha_status st = run_action(inst, index, &start_k, &c->actions[i], t, err);
    if (st != HA_OK) {
      if (err != NULL) {
        char where[64];
        snprintf(where, sizeof(where), "cues[%zu].actions[%zu]", index, i);
        ha__error_prefix(err, where);
      }
      return st;
    }
  }
  return HA_OK;
}

ha_status ha_show_fire_cue(ha_show_instance *inst, double number, double t, ha_error *err) {
  if (inst == NULL) {
    return HA_EINVAL;
  }
  for (size_t i = 0; i < inst->model->ncues; i++) {
    if (fabs(inst->model->cues[i].number - number) <= 1e-9) {
      return ha_show_fire_cue_at(inst, i, t, err);
    }
  }
  char v[40];
  ha_format_double(v, sizeof(v), number);
  ha__error_invalid(err, HA_CATEGORY_STATE, "cue", v, "no cue number %s", v);
  if (err != NULL) {
    err->status = HA_ENOTFOUND;
  }
  return HA_ENOTFOUND;
}

void ha_show_instance_update(ha_show_instance *inst, double t) {
  for (;;) {
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < inst->npend; i++) {
      if (inst->pend[i].due <= t &&
          (best == SIZE_MAX || inst->pend[i].due < inst->pend[best].due)) {
        best = i;
      }
    }
    if (best == SIZE_MAX) {
      break;
    }
    pending q = inst->pend[best];
    inst->pend[best] = inst->pend[--inst->npend];
    ha_engine_set_time(inst->e, q.due);
    (void)ha_engine_track_goto(inst->e, q.track, q.target, q.duration, q.easing, q.aed);
  }
  ha_engine_set_time(inst->e, t);
}

ha_status ha_show_instance_evaluate(ha_show_instance *inst, double t, double *x, double *y,
                                    double *z, size_t cap) {
  ha_show_instance_update(inst, t);
  return ha_engine_evaluate(inst->e, t, x, y, z, cap);
}

size_t ha_show_instance_pending(const ha_show_instance *inst) {
  return inst->npend;
}
