/* Playing the show's timeline (clips and markers) on an engine: the one
 * player of it, used offline by an instance's evaluations (holoanim eval,
 * render) and live as a player driver (ha_show_player_timeline) on the
 * tick, so both do the same engine operations at the same transport times.
 *
 * The timeline is a sorted list of events (a clip starts, a clip ends, a
 * marker fires), made when the instance is. Advancing from `from` to `to`
 * applies each event in (from, to] at its own time: the engine is first
 * evaluated at that time (so a stop's fade, a takeover's crossfade and a
 * relative group's start see the positions of that moment, not those of
 * the tick), then the event's operations go through the offline sink of
 * the cue interpreter (show_run.c): a clip start is its group's start
 * operation under the clip's own tag and motion, its end the group's stop
 * with the animation's fadeOut, a marker its cue. A jump (a seek, the
 * first call) rebuilds: everything stops, every track goes back to its
 * base, and every event up to `to` is applied the same way. So the state
 * at t is the state of playing from 0 to t, whichever way the transport
 * came. Rejected: keeping what cues fired by hand across a jump (the state
 * at t would depend on the history again), and applying events at the
 * tick's time (positions would depend on the tick rate). */
#include "show_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int tl_event_cmp(const void *pa, const void *pb) {
  const ha__tl_event *a = pa, *b = pb;
  if (a->time < b->time || a->time > b->time) {
    return a->time < b->time ? -1 : 1;
  }
  if (a->kind != b->kind) {
    return a->kind < b->kind ? -1 : 1;
  }
  return a->index < b->index ? -1 : a->index > b->index;
}

/* The tracks a marker's cue moves are the timeline's too: a rebuild puts
 * them back at their bases before the cue fires again. */
typedef struct tl_mark_sink {
  ha_show_instance *inst;
} tl_mark_sink;

static void tl_mark_track(ha_show_instance *inst, uint32_t id) {
  const ha__idmap_slot *slot = ha__idmap_get(&inst->model->track_index, id);
  if (slot != NULL) {
    inst->tl_track[slot->value] = 1;
  }
}

static ha_status tl_mark_op(void *user, const ha_show_op *op, ha_error *err) {
  (void)err;
  ha_show_instance *inst = ((tl_mark_sink *)user)->inst;
  const ha__show_model *m = inst->model;
  for (size_t i = 0; i < op->track_count; i++) {
    tl_mark_track(inst, op->tracks[i]);
  }
  ha__motion_rec *r = op->type == HA_SHOW_OP_START ? ha__show_run_rec_of_tag(inst, op->tag) : NULL;
  if (r != NULL) {
    r->timeline = 1;
  }
  if (op->type == HA_SHOW_OP_STOP_TRACK || op->type == HA_SHOW_OP_GOTO) {
    tl_mark_track(inst, op->track);
  }
  if (op->type == HA_SHOW_OP_STOP_TAG && op->group < m->ngroups) {
    for (size_t i = 0; i < m->groups[op->group].track_count; i++) {
      tl_mark_track(inst, m->groups[op->group].tracks[i]);
    }
  }
  return HA_OK;
}

ha_status ha__show_timeline_prepare(ha_show_instance *inst, ha_error *err) {
  const ha__show_model *m = inst->model;
  const ha_show_timeline *tl = &m->timeline;
  inst->tl_last = NAN;
  inst->nevents = 2 * tl->clip_count + tl->marker_count;
  size_t nt = m->ntracks ? m->ntracks : 1;
  inst->events = calloc(inst->nevents ? inst->nevents : 1, sizeof(ha__tl_event));
  inst->sx = calloc(3 * nt, sizeof(double));
  inst->tl_track = calloc(nt, 1);
  if (inst->events == NULL || inst->sx == NULL || inst->tl_track == NULL) {
    return HA_ENOMEM;
  }
  inst->sy = inst->sx + nt;
  inst->sz = inst->sy + nt;
  size_t n = 0;
  for (size_t k = 0; k < tl->clip_count; k++) {
    const ha_show_clip *c = &tl->clips[k];
    const ha_show_animation *a = &m->anims[m->groups[c->group].animation];
    ha_timing tm = a->timing;
    if (c->has_loop) {
      tm.loop = c->loop;
    }
    inst->clips[k].anim = -1;
    inst->clips[k].timeline = 1;
    ha_status st = ha_motion_create(a->model, a->params, &tm, &inst->clips[k].m, err);
    if (st != HA_OK) {
      return st;
    }
    const ha_show_group *g = &m->groups[c->group];
    for (size_t j = 0; j < g->track_count; j++) {
      tl_mark_track(inst, g->tracks[j]);
    }
    inst->events[n++] = (ha__tl_event){c->start + c->duration, 0, k};
    inst->events[n++] = (ha__tl_event){c->start, 1, k};
  }
  tl_mark_sink sink = {inst};
  for (size_t i = 0; i < tl->marker_count; i++) {
    inst->events[n++] = (ha__tl_event){tl->markers[i].time, 2, i};
    (void)ha__show_cue_ops(m, tl->markers[i].cue, tl_mark_op, &sink, NULL);
  }
  qsort(inst->events, n, sizeof(*inst->events), tl_event_cmp);
  return HA_OK;
}

static ha_status tl_apply(ha_show_instance *inst, const ha__tl_event *ev, ha_error *err) {
  const ha__show_model *m = inst->model;
  const ha_show_clip *c = ev->kind < 2 ? &m->timeline.clips[ev->index] : NULL;
  ha_status st = HA_OK;
  ha_show_op op;
  if (ev->kind == 1) {
    op = ha__show_group_start_op(m, c->group);
    op.tag = HA_SHOW_TAG_CLIP | (uint32_t)ev->index;
    st = ha__show_instance_apply(inst, &op, ev->time, err);
  } else if (ev->kind == 0) {
    op = ha__show_group_stop_op(m, c->group, c->fade_out);
    op.tag = HA_SHOW_TAG_CLIP | (uint32_t)ev->index;
    st = ha__show_instance_apply(inst, &op, ev->time, err);
  } else {
    st = ha__show_instance_fire(inst, m->timeline.markers[ev->index].cue, ev->time, err);
  }
  if (st != HA_OK && err != NULL) {
    char where[64];
    snprintf(where, sizeof(where), "timeline.%s[%zu]", ev->kind < 2 ? "clips" : "markers",
             ev->index);
    ha__error_prefix(err, where);
  }
  return st;
}

/* The timeline's own animations (its clips', and those its markers' cues
 * start) stop and its tracks are back at their bases; what else plays on
 * other tracks (an autoStart group, a cue fired by hand) is left alone. */
static void tl_reset(ha_show_instance *inst) {
  const ha__show_model *m = inst->model;
  for (size_t i = 0; i < ha__show_run_rec_count(inst); i++) {
    ha__motion_rec *r = ha__show_run_rec_at(inst, i);
    if (r->timeline) {
      ha__show_run_stop_rec(inst, r, 0.0);
    }
  }
  for (size_t i = 0; i < m->ntracks; i++) {
    if (inst->tl_track[i]) {
      (void)ha_engine_track_stop(inst->e, m->tracks[i].id, 0.0); /* a delayed goto too */
      (void)ha_engine_track_set_base(inst->e, m->tracks[i].id, m->tracks[i].position);
    }
  }
}

ha_status ha_show_instance_advance(ha_show_instance *inst, double from, double to, ha_error *err) {
  if (inst == NULL || inst->e == NULL || !isfinite(to)) {
    return HA_EINVAL;
  }
  ha_status first = HA_OK;
  if (inst->nevents == 0) {
    inst->tl_last = to;
    return HA_OK;
  }
  int rebuild = !(from <= to);
  if (rebuild) {
    tl_reset(inst);
  }
  size_t nt = inst->model->ntracks;
  for (size_t i = 0; i < inst->nevents; i++) {
    const ha__tl_event *ev = &inst->events[i];
    if (ev->time > to) {
      break;
    }
    if (!rebuild && !(ev->time > from)) {
      continue;
    }
    ha_engine_evaluate(inst->e, ev->time, inst->sx, inst->sy, inst->sz, nt);
    ha_status st = tl_apply(inst, ev, first == HA_OK ? err : NULL);
    if (first == HA_OK) {
      first = st;
    }
  }
  inst->tl_last = to;
  return first;
}

void ha_show_instance_seek(ha_show_instance *inst) {
  if (inst != NULL) {
    inst->tl_last = NAN;
  }
}

/* ---- live: the timeline as a player driver ---- */

static void drive_advance(void *user, ha_engine *e, double from, double to) {
  ha_show_instance *inst = user;
  inst->e = e;
  (void)ha_show_instance_advance(inst, from, to, NULL); /* an event's failure skips only it */
}

static bool drive_owns(void *user, const ha_motion *m) {
  return ha_show_instance_owns(user, m);
}

static void drive_detach(void *user, ha_engine *e) {
  ha_show_instance *inst = user;
  inst->e = e;
  ha__show_instance_detach(inst);
}

static void drive_release(void *user) {
  ha__show_instance_free(user);
}

ha_status ha_show_player_timeline(const ha_show *show, ha_player *p, ha_error *err) {
  const ha_show_timeline *tl = &show->model->timeline;
  if (tl->clip_count == 0 && tl->marker_count == 0) {
    return ha_player_set_driver(p, NULL);
  }
  ha_show_instance *inst = NULL;
  ha_status st = ha__show_instance_make(show, NULL, &inst, err);
  if (st != HA_OK) {
    return st;
  }
  ha_player_driver d = {drive_advance, drive_owns, drive_detach, drive_release, inst};
  return ha_player_set_driver(p, &d);
}
