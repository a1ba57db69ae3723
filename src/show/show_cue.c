/* The cue interpreter: what each action of a cue does, as operations on
 * tracks and tagged animations (ha_show_op, listed in show.h), handed in
 * order to a sink. There are two sinks: the engine of an offline instance
 * (show_run.c) and the command queue of a live player (show_player.c); the
 * addon lists the operations to tell its caller what a cue did. So a cue
 * means one thing whichever way it is played, and the tags it uses are the
 * show's own (assigned when the show is compiled: ha_show_action.tag).
 *
 * Operations are plain values with the show's pointers in them: no
 * allocation, nothing kept between calls. Cancelling what an earlier cue
 * scheduled is the engine's job (a goto, a stop or an animation start drops
 * a track's delayed goto), so the interpreter does not track time at all.
 * Rejected: a per-sink interpretation of the action structs (three copies
 * that disagreed on stagger order and on cancellation), and tags derived
 * from (cue, action) positions (they collide past 256 actions per cue). */
#include "show_internal.h"

#include <stdio.h>
#include <string.h>

static ha_show_op cue_op_blank(ha_show_op_type type, size_t action) {
  ha_show_op op;
  memset(&op, 0, sizeof(op));
  op.type = type;
  op.action = action;
  op.tag = HA_SHOW_NO_TAG;
  op.animation = SIZE_MAX;
  op.group = SIZE_MAX;
  op.spec = ha_anim_spec_default();
  op.easing = HA_EASE_LINEAR;
  return op;
}

/* START of `animation` on tracks with spec, with the animation's fadeIn. */
static ha_show_op cue_start_op(const ha__show_model *m, size_t action, uint32_t tag,
                               size_t animation, const ha_anim_spec *spec, const uint32_t *tracks,
                               size_t n) {
  ha_show_op op = cue_op_blank(HA_SHOW_OP_START, action);
  op.tag = tag;
  op.animation = animation;
  op.spec = *spec;
  if (animation < m->nanims && m->anims[animation].fade_in > 0.0) {
    op.spec.fade_in = m->anims[animation].fade_in;
  }
  op.tracks = tracks;
  op.track_count = n;
  return op;
}

ha_show_op ha__show_group_start_op(const ha__show_model *m, size_t group) {
  const ha_show_group *g = &m->groups[group];
  ha_show_op op =
      cue_start_op(m, SIZE_MAX, (uint32_t)group, g->animation, &g->spec, g->tracks, g->track_count);
  op.group = group;
  return op;
}

ha_show_op ha__show_group_stop_op(const ha__show_model *m, size_t group, double fade) {
  ha_show_op op = cue_op_blank(HA_SHOW_OP_STOP_TAG, SIZE_MAX);
  op.tag = (uint32_t)group;
  op.group = group;
  if (fade < 0.0) {
    size_t anim = m->groups[group].animation;
    fade = anim < m->nanims ? m->anims[anim].fade_out : 0.0;
  }
  op.fade = fade;
  return op;
}

/* Stop every use of an animation: its groups, then its start actions. */
static ha_status cue_stop_animation(const ha__show_model *m, const ha_show_action *a, size_t action,
                                    ha_show_op_fn fn, void *user, ha_error *err) {
  ha_status st = HA_OK;
  for (size_t g = 0; g < m->ngroups && st == HA_OK; g++) {
    if (m->groups[g].animation == a->animation) {
      ha_show_op op = ha__show_group_stop_op(m, g, a->fade);
      op.action = action;
      st = fn(user, &op, err);
    }
  }
  for (size_t k = 0; k < m->start_actions && st == HA_OK; k++) {
    if (m->start_anim[k] == a->animation) {
      ha_show_op op = cue_op_blank(HA_SHOW_OP_STOP_TAG, action);
      op.tag = HA_SHOW_TAG_INLINE | (uint32_t)k;
      op.fade = a->fade;
      st = fn(user, &op, err);
    }
  }
  return st;
}

static ha_status cue_stop(const ha__show_model *m, const ha_show_action *a, size_t action,
                          ha_show_op_fn fn, void *user, ha_error *err) {
  ha_status st = HA_OK;
  ha_show_op op = cue_op_blank(HA_SHOW_OP_STOP_TRACK, action);
  op.fade = a->fade;
  switch (a->target) {
  case HA_SHOW_TARGET_GROUP:
    op = ha__show_group_stop_op(m, a->group, a->fade);
    op.action = action;
    return fn(user, &op, err);
  case HA_SHOW_TARGET_ANIMATION: return cue_stop_animation(m, a, action, fn, user, err);
  case HA_SHOW_TARGET_TRACKS:
    for (size_t i = 0; i < a->track_count && st == HA_OK; i++) {
      op.track = a->tracks[i];
      st = fn(user, &op, err);
    }
    return st;
  case HA_SHOW_TARGET_ALL:
    for (size_t i = 0; i < m->ntracks && st == HA_OK; i++) {
      op.track = m->tracks[i].id;
      st = fn(user, &op, err);
    }
    return st;
  }
  return st;
}

/* The k-th track moved (in the action's list, which is in the preset's
 * order) starts k·stagger after the cue, to its position in the preset
 * (the compiler found where each is). */
static ha_status cue_preset(const ha__show_model *m, const ha_show_action *a, size_t action,
                            ha_show_op_fn fn, void *user, ha_error *err) {
  const ha_show_preset *p = &m->presets[a->preset];
  ha_show_op op = cue_op_blank(HA_SHOW_OP_GOTO, action);
  op.duration = a->transition;
  op.easing = a->easing;
  op.aed = a->aed;
  ha_status st = HA_OK;
  for (size_t i = 0; i < a->track_count && st == HA_OK; i++) {
    op.track = a->tracks[i];
    op.position = p->positions[a->preset_index[i]];
    op.delay = (double)i * a->stagger;
    st = fn(user, &op, err);
  }
  return st;
}

static ha_status cue_action(const ha__show_model *m, const ha_show_action *a, size_t action,
                            ha_show_op_fn fn, void *user, ha_error *err) {
  ha_show_op op;
  switch (a->type) {
  case HA_SHOW_ACTION_START:
    if (a->target == HA_SHOW_TARGET_GROUP) {
      op = ha__show_group_start_op(m, a->group);
      op.action = action;
    } else {
      op = cue_start_op(m, action, a->tag, a->animation, &a->spec, a->tracks, a->track_count);
    }
    /* A cue's start glides a track that stands away from its path's start
     * (a group's autoStart at t0 does not: its tracks are where the show
     * begins, as the original Animator has them). */
    op.spec.start_glide = HA_SHOW_START_GLIDE;
    return fn(user, &op, err);
  case HA_SHOW_ACTION_STOP: return cue_stop(m, a, action, fn, user, err);
  case HA_SHOW_ACTION_PRESET: return cue_preset(m, a, action, fn, user, err);
  case HA_SHOW_ACTION_GOTO: /* the compiler made sure of its one track */
    op = cue_op_blank(HA_SHOW_OP_GOTO, action);
    op.track = a->tracks[0];
    op.position = a->position;
    op.duration = a->transition;
    op.easing = a->easing;
    op.aed = a->aed;
    return fn(user, &op, err);
  }
  return HA_OK;
}

ha_status ha__show_no_cue(ha_error *err, size_t cue) {
  char v[32];
  snprintf(v, sizeof(v), "%zu", cue);
  ha__error_invalid(err, HA_CATEGORY_STATE, "cue", v, "no cue index %s", v);
  if (err != NULL) {
    err->status = HA_ENOTFOUND;
  }
  return HA_ENOTFOUND;
}

ha_status ha__show_cue_ops(const ha__show_model *m, size_t cue, ha_show_op_fn fn, void *user,
                           ha_error *err) {
  if (cue >= m->ncues) {
    return ha__show_no_cue(err, cue);
  }
  const ha_show_cue *c = &m->cues[cue];
  for (size_t i = 0; i < c->action_count; i++) {
    ha_status st = cue_action(m, &c->actions[i], i, fn, user, err);
    if (st != HA_OK) {
      if (err != NULL) {
        char where[64];
        snprintf(where, sizeof(where), "cues[%zu].actions[%zu]", cue, i);
        ha__error_prefix(err, where);
      }
      return st;
    }
  }
  return HA_OK;
}

ha_status ha_show_cue_ops(const ha_show *show, size_t index, ha_show_op_fn fn, void *user,
                          ha_error *err) {
  if (show == NULL || fn == NULL) {
    return HA_EINVAL;
  }
  return ha__show_cue_ops(show->model, index, fn, user, err);
}
