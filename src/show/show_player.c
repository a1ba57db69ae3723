/* Show → player glue (see show_player.h). Every action becomes player
 * commands; motions are created here, never on the tick. */
#include "show_internal.h"

#include "holoanim/show_player.h"

#include <stdio.h>
#include <string.h>

ha_output_config ha_show_output_config(const ha_show_output *o) {
  ha_output_config c = ha_output_config_default();
  c.host = o->host;
  c.port = o->port;
  c.dialect = o->dialect == HA_SHOW_DIALECT_ADM_OSC ? HA_DIALECT_ADM_OSC : HA_DIALECT_HOLOPHONIX;
  c.coords = o->aed ? HA_COORDS_AED : HA_COORDS_XYZ;
  c.azimuth_sign = o->azimuth_sign;
  c.adm_scale = o->adm_scale;
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
  return c;
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
  return HA_OK;
}

static ha_status start_anim(const ha_show *show, ha_player *p, uint32_t tag, size_t anim,
                            const ha_anim_spec *spec, const uint32_t *tracks, size_t n,
                            ha_error *err) {
  ha_motion *m = NULL;
  ha_status st = ha_show_animation_motion(show, anim, &m, err);
  if (st != HA_OK) {
    return st;
  }
  size_t na = 0;
  const ha_show_animation *a = ha_show_animations(show, &na);
  ha_anim_spec sp = *spec;
  if (anim < na && a[anim].fade_in > 0.0) {
    sp.fade_in = a[anim].fade_in; /* the animation's fadeIn */
  }
  return ha_player_start_animation(p, tag, m, &sp, tracks, n);
}

ha_status ha_show_player_start_group(const ha_show *show, ha_player *p, size_t group,
                                     ha_error *err) {
  size_t ng = 0;
  const ha_show_group *g = ha_show_groups(show, &ng);
  if (group >= ng) {
    return HA_ENOTFOUND;
  }
  return start_anim(show, p, (uint32_t)group, g[group].animation, &g[group].spec, g[group].tracks,
                    g[group].track_count, err);
}

static double default_fade(const ha_show *show, size_t anim) {
  size_t na = 0;
  const ha_show_animation *a = ha_show_animations(show, &na);
  return anim < na ? a[anim].fade_out : 0.0;
}

ha_status ha_show_player_stop_group(const ha_show *show, ha_player *p, size_t group, double fade) {
  size_t ng = 0;
  const ha_show_group *g = ha_show_groups(show, &ng);
  if (group >= ng) {
    return HA_ENOTFOUND;
  }
  return ha_player_stop_animation(p, (uint32_t)group,
                                  fade < 0.0 ? default_fade(show, g[group].animation) : fade);
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

static ha_status stop_animation_everywhere(const ha_show *show, ha_player *p, size_t anim,
                                           double fade) {
  size_t ng = 0, nc = 0;
  const ha_show_group *g = ha_show_groups(show, &ng);
  ha_status st = HA_OK;
  for (size_t i = 0; i < ng && st == HA_OK; i++) {
    if (g[i].animation == anim) {
      st = ha_player_stop_animation(p, (uint32_t)i, fade);
    }
  }
  const ha_show_cue *cues = ha_show_cues(show, &nc);
  for (size_t c = 0; c < nc && st == HA_OK; c++) {
    for (size_t a = 0; a < cues[c].action_count && st == HA_OK; a++) {
      const ha_show_action *ac = &cues[c].actions[a];
      if (ac->type == HA_SHOW_ACTION_START && ac->target == HA_SHOW_TARGET_ANIMATION &&
          ac->animation == anim) {
        st = ha_player_stop_animation(p, HA_SHOW_TAG_ACTION(c, a), fade);
      }
    }
  }
  return st;
}

ha_status ha_show_player_fire_cue(const ha_show *show, ha_player *p, size_t index, ha_error *err) {
  size_t nc = 0, np = 0, nt = 0;
  const ha_show_cue *cues = ha_show_cues(show, &nc);
  if (index >= nc) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "cue", "?", "no such cue");
  }
  const ha_show_preset *presets = ha_show_presets(show, &np);
  const ha_show_track *tracks = ha_show_tracks(show, &nt);
  const ha_show_cue *cue = &cues[index];
  ha_status st = HA_OK;
  for (size_t a = 0; a < cue->action_count && st == HA_OK; a++) {
    const ha_show_action *ac = &cue->actions[a];
    switch (ac->type) {
    case HA_SHOW_ACTION_START:
      if (ac->target == HA_SHOW_TARGET_GROUP) {
        st = ha_show_player_start_group(show, p, ac->group, err);
      } else {
        st = start_anim(show, p, HA_SHOW_TAG_ACTION(index, a), ac->animation, &ac->spec, ac->tracks,
                        ac->track_count, err);
      }
      break;
    case HA_SHOW_ACTION_STOP:
      switch (ac->target) {
      case HA_SHOW_TARGET_GROUP:
        st = ha_show_player_stop_group(show, p, ac->group, ac->fade);
        break;
      case HA_SHOW_TARGET_ANIMATION:
        st = stop_animation_everywhere(show, p, ac->animation, ac->fade);
        break;
      case HA_SHOW_TARGET_TRACKS:
        for (size_t k = 0; k < ac->track_count && st == HA_OK; k++) {
          st = ha_player_stop_track(p, ac->tracks[k], ac->fade);
        }
        break;
      case HA_SHOW_TARGET_ALL:
        for (size_t k = 0; k < nt && st == HA_OK; k++) {
          st = ha_player_stop_track(p, tracks[k].id, ac->fade);
        }
        break;
      }
      break;
    case HA_SHOW_ACTION_PRESET: {
      if (ac->preset >= np) {
        st = HA_ENOTFOUND;
        break;
      }
      const ha_show_preset *pr = &presets[ac->preset];
      /* Stagger follows the order of the action's track list (the preset's
       * order when none was given). */
      size_t k = 0;
      for (size_t j = 0; j < pr->count && st == HA_OK; j++) {
        int wanted = ac->track_count == 0;
        for (size_t s = 0; s < ac->track_count && !wanted; s++) {
          wanted = ac->tracks[s] == pr->tracks[j];
        }
        if (!wanted) {
          continue;
        }
        st = ha_player_goto(p, pr->tracks[j], pr->positions[j], ac->transition, ac->easing, ac->aed,
                            (double)k * ac->stagger);
        k++;
      }
      break;
    }
    case HA_SHOW_ACTION_GOTO:
      if (ac->track_count >= 1) {
        st = ha_player_goto(p, ac->tracks[0], ac->position, ac->transition, ac->easing, ac->aed,
                            0.0);
      }
      break;
    }
  }
  return st;
}
