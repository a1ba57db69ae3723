/* A show's live-data mappings on the player (see show_player.h): the
 * mappings added to the player at setup, OSC inputs handed to their slots,
 * and the edits their smoothed values make.
 *
 * An edit is a parameter change of the group's animation made the way
 * every live edit is: a new motion of the animation's model with the
 * parameter set (validated by ha_motion_create, here, on a control
 * thread), switched in by ha_player_update_animation, which the tick blends
 * over the player's blend window. Every mapped number of the group is set
 * from its mapping's current value, so one mapping's change never undoes
 * another's. The compiler checked the output ranges against the
 * parameters' allowed ranges, and the player clamps into them, so these
 * edits cannot fail validation. */
#include "show_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The parameter's info and the model of mapping `m`; NULL when the show
 * has no such group (cannot happen for a compiled show). */
static const ha_param_info *mapping_param(const ha_show *show, const ha_show_mapping *m,
                                          const ha_model_info **mi, const ha_show_animation **a) {
  const ha__show_model *sm = show->model;
  if (m->group >= sm->ngroups || sm->groups[m->group].animation >= sm->nanims) {
    return NULL;
  }
  *a = &sm->anims[sm->groups[m->group].animation];
  *mi = ha_model_find((*a)->model);
  return *mi != NULL ? ha_model_param_find(*mi, m->param) : NULL;
}

double ha_show_mapping_base(const ha_show *show, size_t i) {
  if (i >= show->model->nmappings) {
    return NAN;
  }
  const ha_show_mapping *m = &show->model->mappings[i];
  const ha_model_info *mi = NULL;
  const ha_show_animation *a = NULL;
  const ha_param_info *pi = mapping_param(show, m, &mi, &a);
  if (pi == NULL) {
    return NAN;
  }
  double v[4] = {pi->def[0], pi->def[1], pi->def[2], 0.0};
  size_t n = 0;
  (void)ha_params_get_numbers(a->params, pi, v, 3, &n);
  return v[m->component >= 0 ? m->component : 0];
}

ha_mapping_config ha_show_mapping_config(const ha_show *show, size_t i) {
  ha_mapping_config c = ha_mapping_config_default();
  if (i >= show->model->nmappings) {
    return c;
  }
  const ha_show_mapping *m = &show->model->mappings[i];
  c.in_min = m->in_min;
  c.in_max = m->in_max;
  c.out_min = m->out_min;
  c.out_max = m->out_max;
  c.smoothing = m->smoothing;
  c.kind = m->slew ? HA_SMOOTH_SLEW : HA_SMOOTH_ONE_POLE;
  c.integer = m->integer;
  c.initial = ha_show_mapping_base(show, i);
  return c;
}

ha_status ha_show_player_add_mappings(const ha_show *show, ha_player *p, ha_error *err) {
  for (size_t i = 0; i < show->model->nmappings; i++) {
    ha_mapping_config c = ha_show_mapping_config(show, i);
    ha_status st = ha_player_add_mapping(p, &c, NULL, err);
    if (st != HA_OK) {
      char path[32];
      snprintf(path, sizeof(path), "mappings[%zu]", i);
      ha__error_prefix(err, path);
      return st;
    }
  }
  return HA_OK;
}

ha_status ha_show_player_map_osc(const ha_show *show, ha_player *p, const char *address,
                                 const double *args, size_t nargs, size_t *taken) {
  size_t n = 0, matched = 0;
  size_t i = ha_show_mapping_match_osc(show, address, 0);
  for (; i != SIZE_MAX; i = ha_show_mapping_match_osc(show, address, i + 1)) {
    const ha_show_mapping *m = &show->model->mappings[i];
    matched++;
    if (i < ha_player_mapping_count(p) && m->arg < nargs &&
        ha_player_map_input(p, i, args[m->arg]) == HA_OK) {
      n++;
    }
  }
  if (taken != NULL) {
    *taken = n;
  }
  return matched == 0 ? HA_ENOTFOUND : (n == 0 ? HA_EINVAL : HA_OK);
}

/* Set mapping m's number to v in `ps` (a copy of the animation's set):
 * under the parameter's own name (an alias written in the show is
 * removed, so the engine reads this one), one axis of a vec3 keeping the
 * others as the show has them. */
static ha_status set_mapped(ha_params *ps, const ha_model_info *mi, const ha_param_info *pi,
                            int component, double v) {
  double cur[4] = {pi->def[0], pi->def[1], pi->def[2], 0.0};
  size_t n = 0;
  (void)ha_params_get_numbers(ps, pi, cur, 3, &n);
  for (size_t k = ha_params_count(ps); k-- > 0;) {
    char name[64];
    snprintf(name, sizeof name, "%s", ha_params_name_at(ps, k, NULL));
    if (strcmp(name, pi->name) != 0 && ha_model_param_find(mi, name) == pi) {
      (void)ha_params_unset(ps, name);
    }
  }
  if (component < 0) {
    return ha_params_set_number(ps, pi->name, v);
  }
  cur[component] = v;
  return ha_params_set_numbers(ps, pi->name, cur, 3);
}

/* Group g's animation with every active mapping of g at its value, to the
 * player (blended). */
static ha_status map_update_group(const ha_show *show, ha_player *p, size_t g, ha_error *err) {
  const ha__show_model *sm = show->model;
  const ha_show_animation *a = &sm->anims[sm->groups[g].animation];
  ha_params *ps = NULL;
  ha_status st = a->params ? ha_params_clone(a->params, &ps) : ha_params_create(&ps);
  for (size_t j = 0; st == HA_OK && j < sm->nmappings && j < ha_player_mapping_count(p); j++) {
    const ha_show_mapping *m = &sm->mappings[j];
    const ha_model_info *mi = NULL;
    const ha_show_animation *ma = NULL;
    const ha_param_info *pi = m->group == g ? mapping_param(show, m, &mi, &ma) : NULL;
    ha_mapping_state ms;
    if (pi != NULL && ha_player_mapping_get(p, j, &ms) == HA_OK && ms.active && !isnan(ms.value)) {
      st = set_mapped(ps, mi, pi, m->component, ms.value);
    }
  }
  ha_motion *mo = NULL;
  if (st == HA_OK) {
    st = ha_motion_create(a->model, ps, &a->timing, &mo, err);
  }
  ha_params_destroy(ps);
  if (st == HA_OK) {
    /* No animation with the tag (the group is not playing): nothing to edit. */
    st = ha_player_update_animation(p, (uint32_t)g, mo);
  }
  return st;
}

size_t ha_show_player_map_update(const ha_show *show, ha_player *p, ha_error *err) {
  const ha__show_model *sm = show->model;
  size_t n =
      sm->nmappings < ha_player_mapping_count(p) ? sm->nmappings : ha_player_mapping_count(p);
  bool fresh[HA_PLAYER_MAX_MAPPINGS];
  for (size_t i = 0; i < n; i++) {
    double v;
    fresh[i] = ha_player_mapping_take(p, i, &v) == HA_OK;
  }
  size_t groups = 0;
  for (size_t i = 0; i < n; i++) {
    size_t g = sm->mappings[i].group;
    bool first = fresh[i] && g < sm->ngroups;
    for (size_t j = 0; first && j < i; j++) {
      first = !(fresh[j] && sm->mappings[j].group == g); /* done with mapping j */
    }
    if (first && map_update_group(show, p, g, err) == HA_OK) {
      groups++;
    }
  }
  return groups;
}
