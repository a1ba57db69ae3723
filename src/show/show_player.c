/* Show → player glue (see show_player.h) and the live sink of the cue
 * interpreter (show_cue.c): every operation of a cue becomes one queued
 * player command (a staggered move is a goto with a delay, timed by the
 * player's transport); motions are created here, never on the tick. */
#include "show_internal.h"

#include <stdio.h>

ha_output_config ha_show_output_config(const ha_show_output *o) {
  ha_output_config c = ha_output_config_default();
  c.host = o->host;
  c.port = o->port;
  c.dialect = o->dialect == HA_SHOW_DIALECT_ADM_OSC ? HA_DIALECT_ADM_OSC : HA_DIALECT_HOLOPHONIX;
  c.coords = o->aed ? HA_COORDS_AED : HA_COORDS_XYZ;
  c.azimuth_sign = o->azimuth_sign;
  c.adm_scale = o->adm_scale;
  _Static_assert(sizeof(ha_show_track_gain) == sizeof(ha_output_gain), "gain layout");
  c.gains = (const ha_output_gain *)(const void *)o->gains;
  c.gains_len = o->gain_count;
  c.rate_hz = o->rate;
  c.deadband_m = o->deadband_position;
  c.deadband_deg = o->deadband_angle;
  c.keep_alive_s = o->keep_alive;
  c.bundle = o->bundle;
  c.lookahead_ms = o->bundle_lookahead_ms;
  /* The show's map entries have the same layout: {track, device}. */
  _Static_assert(sizeof(ha_show_track_map) == sizeof(ha_output_map_entry), "map layout");
  c.map = (const ha_output_map_entry *)(const void *)o->track_map;
  c.map_len = o->track_map_count;
  return c;
}

ha_player_config ha_show_player_config(const ha_show *show, const ha_player_config *base) {
  ha_player_config c = base ? *base : ha_player_config_default();
  ha_engine_config ec = ha_show_engine_config(show);
  size_t nout = 0;
  ha_show_outputs(show, &nout);
  if (c.max_tracks < ec.max_tracks) {
    c.max_tracks = ec.max_tracks;
  }
  if (c.max_animations < ec.max_animations) {
    c.max_animations = ec.max_animations;
  }
  if (c.max_outputs < nout + 1) {
    c.max_outputs = nout + 1;
  }
  c.limits = ec.limits;
  const ha_show_control *sc = ha_show_control_get(show);
  if (sc->sync) {
    c.sync.enabled = true;
    c.sync.tolerance = sc->sync_tolerance;
    c.sync.deadband = sc->sync_tolerance / 10.0;
    c.sync.gain = sc->sync_gain;
    c.sync.max_slew = sc->sync_max_slew;
  }
  return c;
}

static ha_status live_refused(ha_error *err, ha_status st);

/* The show's tracks' flags to the player: all of them, or (`set_only`,
 * a new player, every flag clear) those with a flag set. */
static ha_status live_track_flags(const ha_show *show, ha_player *p, bool set_only) {
  size_t nt = 0;
  const ha_show_track *tracks = ha_show_tracks(show, &nt);
  for (size_t i = 0; i < nt; i++) {
    unsigned f = (tracks[i].mute ? (unsigned)HA_TRACK_MUTE : 0u) |
                 (tracks[i].solo ? (unsigned)HA_TRACK_SOLO : 0u) |
                 (tracks[i].lock ? (unsigned)HA_TRACK_LOCK : 0u);
    ha_status st = set_only && f == 0 ? HA_OK : ha_player_set_track_flags(p, tracks[i].id, f);
    if (st != HA_OK) {
      return st;
    }
  }
  return HA_OK;
}

ha_status ha_show_player_track_flags(const ha_show *show, ha_player *p) {
  return live_track_flags(show, p, false);
}

ha_status ha_show_player_setup(const ha_show *show, ha_player *p, ha_error *err) {
  size_t nt = 0, no = 0;
  const ha_show_track *tracks = ha_show_tracks(show, &nt);
  for (size_t i = 0; i < nt; i++) {
    ha_status st = ha_player_add_track(p, tracks[i].id, tracks[i].position, err);
    if (st != HA_OK) {
      char path[32];
      snprintf(path, sizeof(path), "tracks[%zu]", i);
      ha__error_prefix(err, path);
      return st;
    }
  }
  ha_status fst = live_track_flags(show, p, true);
  if (fst != HA_OK) {
    return live_refused(err, fst);
  }
  const ha_show_output *outs = ha_show_outputs(show, &no);
  for (size_t i = 0; i < no; i++) {
    if (!outs[i].enabled) {
      continue;
    }
    ha_output_config oc = ha_show_output_config(&outs[i]);
    ha_status st = ha_player_add_output(p, &oc, NULL, err);
    if (st != HA_OK) {
      char path[32];
      snprintf(path, sizeof(path), "outputs[%zu]", i);
      ha__error_prefix(err, path);
      return st;
    }
  }
  ha_status st = ha_show_player_add_mappings(show, p, err);
  return st == HA_OK ? ha_show_player_timeline(show, p, err) : st;
}

/* A player command refused when queued (they return bare statuses). */
static ha_status live_refused(ha_error *err, ha_status st) {
  if (err != NULL && st != HA_OK) {
    ha__error_invalid(err, HA_CATEGORY_STATE, "player", "", "%s",
                      st == HA_EAGAIN ? "the command queue is full" : ha_strerror(st));
    err->status = st;
    if (st == HA_EAGAIN) {
      err->kind = HA_ERROR_RESOURCE_EXHAUSTED;
    }
  }
  return st;
}

/* The live sink: one operation queued on the player. */
typedef struct live_sink {
  const ha_show *show;
  ha_player *p;
} live_sink;

static ha_status live_queue_op(void *user, const ha_show_op *op, ha_error *err) {
  const live_sink *s = user;
  ha_status st = HA_OK;
  switch (op->type) {
  case HA_SHOW_OP_START: {
    ha_motion *m = NULL;
    st = ha_show_animation_motion(s->show, op->animation, &m, err);
    if (st != HA_OK) {
      return st;
    }
    st = ha_player_start_animation(s->p, op->tag, m, &op->spec, op->tracks, op->track_count);
    break;
  }
  case HA_SHOW_OP_STOP_TAG: st = ha_player_stop_animation(s->p, op->tag, op->fade); break;
  case HA_SHOW_OP_STOP_TRACK: st = ha_player_stop_track(s->p, op->track, op->fade); break;
  case HA_SHOW_OP_GOTO:
    st =
        ha_player_goto(s->p, op->track, op->position, op->duration, op->easing, op->aed, op->delay);
    break;
  }
  return live_refused(err, st);
}

ha_status ha_show_player_start_group(const ha_show *show, ha_player *p, size_t group,
                                     ha_error *err) {
  if (group >= show->model->ngroups) {
    return HA_ENOTFOUND;
  }
  live_sink sink = {show, p};
  ha_show_op op = ha__show_group_start_op(show->model, group);
  return live_queue_op(&sink, &op, err);
}

ha_status ha_show_player_stop_group(const ha_show *show, ha_player *p, size_t group, double fade) {
  const ha__show_model *m = show->model;
  if (group >= m->ngroups) {
    return HA_ENOTFOUND;
  }
  live_sink sink = {show, p};
  ha_show_op op = ha__show_group_stop_op(m, group, fade);
  return live_queue_op(&sink, &op, NULL);
}

ha_status ha_show_player_play(const ha_show *show, ha_player *p, ha_error *err) {
  size_t ng = 0;
  const ha_show_group *g = ha_show_groups(show, &ng);
  for (size_t i = 0; i < ng; i++) {
    if (g[i].auto_start) {
      ha_status st = ha_show_player_start_group(show, p, i, err);
      if (st != HA_OK) {
        return st;
      }
    }
  }
  return ha_player_play(p);
}

ha_status ha_show_player_fire_cue(const ha_show *show, ha_player *p, size_t index, ha_error *err) {
  live_sink sink = {show, p};
  ha_status st = ha__show_cue_ops(show->model, index, live_queue_op, &sink, err);
  if (st == HA_OK) {
    ha_metrics_add(ha_player_metrics(p), HA_COUNTER_CUES, 1);
  }
  return st;
}
