/* Playing a show on an engine: instantiation and the offline sink of the
 * cue interpreter (show_cue.c).
 *
 * The instance owns one motion per group and one per inline start action,
 * made when it is created, so firing a cue never allocates: starting a group
 * twice restarts the same motion (the engine resets its per-track state).
 * The interpreter's tags find them: group g is groups[g], the start action
 * with tag HA_SHOW_TAG_INLINE | k is starts[k]. The instance keeps a
 * reference to the compiled show, so show edits do not disturb it.
 *
 * Staggered preset moves are the engine's delayed gotos
 * (ha_engine_track_goto_at at the cue's time plus the delay), started by
 * ha_engine_evaluate when their time comes and dropped by any later goto,
 * stop or animation start on the track, exactly as on the live player.
 * Rejected: a schedule of pending moves in the instance (a second copy of
 * what the engine does, which disagreed with the live player), and
 * emulating the delay with a longer transition (the track would leave its
 * animation at once instead of when its turn comes).
 *
 * Locked tracks (tracks[].lock) are left out of every operation here, as
 * the live player leaves them out (HA_TRACK_LOCK): a start goes on without
 * them, from a list copied into `unlocked` (sized when created). */
#include "show_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The motion record answering to a tag (NULL: not one of the show's). */
ha__motion_rec *ha__show_run_rec_of_tag(ha_show_instance *inst, uint32_t tag) {
  if (tag < inst->model->ngroups) {
    return &inst->groups[tag];
  }
  if ((tag & HA_SHOW_TAG_CLIP) != 0) {
    size_t k = tag & ~HA_SHOW_TAG_CLIP;
    return k < inst->nclips ? &inst->clips[k] : NULL;
  }
  size_t k = tag & ~HA_SHOW_TAG_INLINE;
  return (tag & HA_SHOW_TAG_INLINE) != 0 && k < inst->nstarts ? &inst->starts[k] : NULL;
}

static bool run_locked(const ha__show_model *m, uint32_t id) {
  const ha__idmap_slot *s = ha__idmap_get(&m->track_index, id);
  return s != NULL && m->tracks[s->value].lock;
}

/* op's tracks without the locked ones: op's own list when none is locked,
 * else a copy in inst->unlocked; *n gets the count. */
static const uint32_t *run_unlocked(ha_show_instance *inst, const ha_show_op *op, size_t *n) {
  size_t k = 0;
  for (size_t i = 0; i < op->track_count; i++) {
    if (!run_locked(inst->model, op->tracks[i]) && k < inst->model->ntracks) {
      inst->unlocked[k++] = op->tracks[i];
    }
  }
  *n = k;
  return k == op->track_count ? op->tracks : inst->unlocked;
}

/* Every motion record: the groups', the inline starts', the clips'. */
size_t ha__show_run_rec_count(const ha_show_instance *inst) {
  return inst->groups != NULL && inst->starts != NULL && inst->clips != NULL
             ? inst->model->ngroups + inst->nstarts + inst->nclips
             : 0;
}

ha__motion_rec *ha__show_run_rec_at(const ha_show_instance *inst, size_t i) {
  size_t ng = inst->model->ngroups;
  if (i < ng) {
    return &inst->groups[i];
  }
  return i < ng + inst->nstarts ? &inst->starts[i - ng] : &inst->clips[i - ng - inst->nstarts];
}

void ha__show_run_stop_rec(ha_show_instance *inst, ha__motion_rec *r, double fade) {
  /* The slot may have been reused by another animation since: check that
   * it still plays our motion. */
  if (r->running && ha_engine_animation_motion(inst->e, r->anim) == r->m) {
    ha_engine_animation_stop(inst->e, r->anim, fade);
  }
  r->running = 0;
}

void ha__show_instance_detach(ha_show_instance *inst) {
  for (size_t i = 0; inst->e != NULL && i < ha__show_run_rec_count(inst); i++) {
    ha__show_run_stop_rec(inst, ha__show_run_rec_at(inst, i), 0.0);
  }
}

void ha__show_instance_free(ha_show_instance *inst) {
  if (inst == NULL) {
    return;
  }
  for (size_t i = 0; i < ha__show_run_rec_count(inst); i++) {
    ha_motion_destroy(ha__show_run_rec_at(inst, i)->m);
  }
  free(inst->groups);
  free(inst->starts);
  free(inst->unlocked);
  free(inst->clips);
  free(inst->events);
  free(inst->sx);
  free(inst->tl_track);
  ha__show_model_unref(inst->model);
  free(inst);
}

void ha_show_instance_destroy(ha_show_instance *inst) {
  if (inst == NULL) {
    return;
  }
  ha__show_instance_detach(inst);
  ha__show_instance_free(inst);
}

bool ha_show_instance_owns(const ha_show_instance *inst, const ha_motion *m) {
  for (size_t i = 0; i < ha__show_run_rec_count(inst); i++) {
    if (ha__show_run_rec_at(inst, i)->m == m) {
      return true;
    }
  }
  return false;
}

/* The offline sink: one operation applied to the engine at the cue's time
 * (the engine's clock is already there). */
typedef struct run_sink {
  ha_show_instance *inst;
  double t;
} run_sink;

static ha_status run_apply_op(void *user, const ha_show_op *op, ha_error *err) {
  const run_sink *s = user;
  ha_engine *e = s->inst->e;
  ha__motion_rec *r = NULL;
  ha_status st = HA_OK;
  switch (op->type) {
  case HA_SHOW_OP_START:
    r = ha__show_run_rec_of_tag(s->inst, op->tag);
    if (r == NULL) {
      return ha__error_internal(err, HA_CATEGORY_STATE, "no motion for tag %u", op->tag);
    }
    ha_anim_id id = -1;
    size_t n = 0;
    const uint32_t *tracks = run_unlocked(s->inst, op, &n);
    if (n == 0) {
      return HA_OK; /* every track locked: nothing starts */
    }
    st = ha_engine_animation_start(e, r->m, &op->spec, tracks, n, s->t, &id, err);
    if (st == HA_OK) {
      r->anim = id;
      r->running = 1;
    }
    return st;
  case HA_SHOW_OP_STOP_TAG:
    r = ha__show_run_rec_of_tag(s->inst, op->tag);
    if (r != NULL) {
      ha__show_run_stop_rec(s->inst, r, op->fade);
    }
    return HA_OK;
  case HA_SHOW_OP_STOP_TRACK:
    if (run_locked(s->inst->model, op->track)) {
      return HA_OK;
    }
    (void)ha_engine_track_stop(e, op->track, op->fade); /* every show track is on the engine */
    return HA_OK;
  case HA_SHOW_OP_GOTO:
    if (run_locked(s->inst->model, op->track)) {
      return HA_OK;
    }
    st = ha_engine_track_goto_at(e, op->track, op->position, s->t + op->delay, op->duration,
                                 op->easing, op->aed);
    if (st != HA_OK) {
      char v[32];
      snprintf(v, sizeof(v), "%u", op->track);
      return ha__error_invalid(err, HA_CATEGORY_STATE, "track", v, "cannot move track %u: %s",
                               op->track, ha_strerror(st));
    }
    return HA_OK;
  }
  return HA_OK;
}

ha_status ha__show_instance_make(const ha_show *show, ha_engine *engine, ha_show_instance **out,
                                 ha_error *err) {
  ha__show_model *m = show->model;
  ha_show_instance *inst = calloc(1, sizeof(*inst));
  if (inst == NULL) {
    return HA_ENOMEM;
  }
  ha__show_model_ref(m);
  inst->model = m;
  inst->e = engine;
  inst->nstarts = m->start_actions;
  inst->nclips = m->timeline.clip_count;
  inst->groups = calloc(m->ngroups ? m->ngroups : 1, sizeof(ha__motion_rec));
  inst->starts = calloc(m->start_actions ? m->start_actions : 1, sizeof(ha__motion_rec));
  inst->clips = calloc(inst->nclips ? inst->nclips : 1, sizeof(ha__motion_rec));
  inst->unlocked = calloc(m->ntracks ? m->ntracks : 1, sizeof(uint32_t));
  ha_status st = inst->groups && inst->starts && inst->clips && inst->unlocked ? HA_OK : HA_ENOMEM;
  for (size_t i = 0; i < m->ngroups && st == HA_OK; i++) {
    inst->groups[i].anim = -1;
    st = ha_show_animation_motion(show, m->groups[i].animation, &inst->groups[i].m, err);
  }
  for (size_t k = 0; k < m->start_actions && st == HA_OK; k++) {
    inst->starts[k].anim = -1;
    st = ha_show_animation_motion(show, m->start_anim[k], &inst->starts[k].m, err);
  }
  if (st == HA_OK) {
    st = ha__show_timeline_prepare(inst, err);
  }
  if (st != HA_OK) {
    ha__show_instance_free(inst);
    return st;
  }
  *out = inst;
  return HA_OK;
}

ha_status ha_show_instantiate(const ha_show *show, ha_engine *engine, double t0,
                              ha_show_instance **out, ha_error *err) {
  if (show == NULL || engine == NULL || out == NULL || !isfinite(t0)) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "instantiate", "",
                             "needs a show, an engine and a finite start time");
  }
  ha__show_model *m = show->model;
  ha_show_instance *inst = NULL;
  ha_status st = ha__show_instance_make(show, engine, &inst, err);
  if (st != HA_OK) {
    return st;
  }
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

ha_status ha__show_instance_apply(ha_show_instance *inst, const ha_show_op *op, double t,
                                  ha_error *err) {
  ha_engine_set_time(inst->e, t);
  run_sink sink = {inst, t};
  return run_apply_op(&sink, op, err);
}

ha_status ha__show_instance_fire(ha_show_instance *inst, size_t cue, double t, ha_error *err) {
  ha_engine_set_time(inst->e, t);
  run_sink sink = {inst, t};
  return ha__show_cue_ops(inst->model, cue, run_apply_op, &sink, err);
}

ha_status ha_show_start_group(ha_show_instance *inst, size_t group, double t, ha_error *err) {
  if (group >= inst->model->ngroups) {
    return HA_ENOTFOUND;
  }
  ha_engine_set_time(inst->e, t);
  run_sink sink = {inst, t};
  ha_show_op op = ha__show_group_start_op(inst->model, group);
  return run_apply_op(&sink, &op, err);
}

ha_status ha_show_stop_group(ha_show_instance *inst, size_t group, double fade, double t) {
  if (group >= inst->model->ngroups) {
    return HA_ENOTFOUND;
  }
  ha_engine_set_time(inst->e, t);
  run_sink sink = {inst, t};
  ha_show_op op = ha__show_group_stop_op(inst->model, group, fade);
  return run_apply_op(&sink, &op, NULL);
}

ha_status ha_show_fire_cue_at(ha_show_instance *inst, size_t index, double t, ha_error *err) {
  if (inst == NULL) {
    return HA_ENOTFOUND;
  }
  if (index >= inst->model->ncues) {
    return ha__show_no_cue(err, index); /* before the engine's clock moves */
  }
  if (!isfinite(t)) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "time", "non-finite",
                             "a cue fires at a finite time");
  }
  ha_engine_set_time(inst->e, t);
  run_sink sink = {inst, t};
  return ha__show_cue_ops(inst->model, index, run_apply_op, &sink, err);
}

ha_status ha_show_fire_cue(ha_show_instance *inst, double number, double t, ha_error *err) {
  if (inst == NULL) {
    return HA_EINVAL;
  }
  size_t i = ha__show_cue_index(inst->model->cues, inst->model->ncues, number);
  if (i != SIZE_MAX) {
    return ha_show_fire_cue_at(inst, i, t, err);
  }
  char v[40];
  ha_format_double(v, sizeof(v), number);
  ha__error_invalid(err, HA_CATEGORY_STATE, "cue", v, "no cue number %s", v);
  if (err != NULL) {
    err->status = HA_ENOTFOUND;
  }
  return HA_ENOTFOUND;
}

ha_status ha_show_instance_evaluate(ha_show_instance *inst, double t, double *x, double *y,
                                    double *z, size_t cap) {
  if (inst->nevents > 0) {
    ha_show_instance_advance(inst, inst->tl_last, t, NULL);
  }
  return ha_engine_evaluate(inst->e, t, x, y, z, cap);
}

size_t ha_show_instance_pending(const ha_show_instance *inst) {
  size_t n = 0;
  for (size_t i = 0; i < inst->model->ntracks; i++) {
    ha_track_info ti;
    if (ha_engine_track_get(inst->e, inst->model->tracks[i].id, &ti) == HA_OK && ti.goto_pending) {
      n++;
    }
  }
  return n;
}
