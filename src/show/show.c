/* Shows: the compiled model's lifetime, loading, and the read-only view.
 *
 * Loading is parse (jansson, with JSON_REJECT_DUPLICATES), migrate
 * (show_migrate.c) and compile (show_compile.c); any step's problems become
 * diagnostics, placed by the position map (show_jpos.c, which scans the text
 * only when a first diagnostic asks), and the show is only made when there
 * are no errors. A compiled model is immutable and reference counted: the
 * show holds one, and so does every instance made from it, so an edit
 * (which makes a new model: show_edit.c, show_recompile.c) never pulls data
 * from under a running instance; parameter sets are shared between the
 * models an edit derives from one another. Strings in the model point into its own
 * document. The accessors below hand out the model's tables as they are. */
#include "show_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the model ---- */

void ha__show_model_ref(ha__show_model *m) {
  m->refs++;
}

void ha__shared_params_unref(ha__shared_params *sp) {
  if (sp != NULL && --sp->refs == 0) {
    ha_params_destroy(sp->p);
    free(sp);
  }
}

void ha__show_model_unref(ha__show_model *m) {
  if (m == NULL || --m->refs > 0) {
    return;
  }
  for (size_t i = 0; m->params != NULL && i < m->nanims; i++) {
    ha__shared_params_unref(m->params[i]);
  }
  free(m->params);
  ha__idmap_deinit(&m->track_index);
  ha__arena_free(&m->arena);
  json_decref(m->doc);
  free(m);
}

/* ---- loading ---- */

ha_status ha__show_from_model(ha__show_model *m, int source_format, ha_show **out) {
  ha_show *s = calloc(1, sizeof(*s));
  if (s == NULL) {
    ha__show_model_unref(m);
    return HA_ENOMEM;
  }
  s->model = m;
  s->source_format = source_format;
  s->history_limit = 100;
  s->version = 1;
  *out = s;
  return HA_OK;
}

ha_status ha__show_load_text(const char *text, size_t len, const char *name, unsigned flags,
                             ha_show **out, ha_diags *diags) {
  *out = NULL;
  ha__dctx c = {diags, name ? name : "", NULL, 0, 0, 0};
  json_error_t je;
  json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (doc == NULL) {
    ha__diag_at(&c, HA_DIAG_ERROR, je.line > 0 ? je.line : 0, je.column > 0 ? je.column : 0, "",
                "%s", ha__json_error_reason(&je, flags));
    return c.oom ? HA_ENOMEM : HA_EPARSE;
  }
  ha__posmap pos;
  ha__posmap_init(&pos);
  ha_status st = ha__posmap_scan(&pos, text, len);
  c.pos = &pos;
  int source = HA_SHOW_FORMAT;
  if (st == HA_OK) {
    st = ha__show_migrate(doc, &c, &pos, &source);
  }
  ha__show_model *m = NULL;
  if (st == HA_OK) {
    st = ha__show_compile(doc, &c, &m);
  }
  ha__posmap_deinit(&pos);
  json_decref(doc);
  if (st == HA_OK && c.oom) {
    ha__show_model_unref(m);
    st = HA_ENOMEM;
  }
  if (st != HA_OK) {
    return st;
  }
  return ha__show_from_model(m, source, out);
}

ha_status ha_show_load_string(const char *text, size_t len, const char *name, ha_show **out,
                              ha_diags *diags) {
  if (out == NULL || (text == NULL && len > 0)) {
    return HA_EINVAL;
  }
  return ha__show_load_text(text ? text : "", len, name, 0, out, diags);
}

ha_status ha_show_load_file(const char *path, ha_show **out, ha_diags *diags) {
  return ha_show_load_file_ex(path, 0, out, diags);
}

ha_status ha_show_load_file_ex(const char *path, unsigned flags, ha_show **out, ha_diags *diags) {
  if (out == NULL || path == NULL ||
      (flags & ~(HA_SHOW_LOAD_NOFOLLOW | HA_SHOW_LOAD_NO_CONTENT)) != 0) {
    return HA_EINVAL;
  }
  return ha__show_load_path(path, flags, ha__show_load_text, out, diags);
}

ha_status ha_show_create(ha_show **out) {
  static const char empty[] = "{\"format\": 1}";
  return ha__show_load_text(empty, sizeof(empty) - 1, "", 0, out, NULL);
}

void ha__history_entry_free(ha__history_entry *e) {
  for (size_t i = 0; i < e->nfwd; i++) {
    free(e->fwd[i].pointer);
    json_decref(e->fwd[i].value);
  }
  for (size_t i = 0; i < e->ninv; i++) {
    free(e->inv[i].pointer);
    json_decref(e->inv[i].value);
  }
  free(e->fwd);
  free(e->inv);
  memset(e, 0, sizeof(*e));
}

void ha_show_destroy(ha_show *show) {
  if (show == NULL) {
    return;
  }
  for (size_t i = 0; i < show->nundo; i++) {
    ha__history_entry_free(&show->undo[i]);
  }
  for (size_t i = 0; i < show->nredo; i++) {
    ha__history_entry_free(&show->redo[i]);
  }
  free(show->undo);
  free(show->redo);
  ha__show_model_unref(show->model);
  free(show);
}

int ha_show_source_format(const ha_show *show) {
  return show->source_format;
}

/* ---- reading ---- */

const char *ha_show_name(const ha_show *show) {
  return show->model->name;
}

const char *ha_show_metadata(const ha_show *show, const char *key) {
  const json_t *md = json_object_get(show->model->doc, "metadata");
  const json_t *v = key ? json_object_get(md, key) : NULL;
  return json_is_string(v) ? json_string_value(v) : NULL;
}

#define ARRAY_ACCESSOR(fn, type, field, nfield)        \
  const type *fn(const ha_show *show, size_t *count) { \
    if (count != NULL) {                               \
      *count = show->model->nfield;                    \
    }                                                  \
    return show->model->field;                         \
  }

ARRAY_ACCESSOR(ha_show_tracks, ha_show_track, tracks, ntracks)
ARRAY_ACCESSOR(ha_show_animations, ha_show_animation, anims, nanims)
ARRAY_ACCESSOR(ha_show_groups, ha_show_group, groups, ngroups)
ARRAY_ACCESSOR(ha_show_presets, ha_show_preset, presets, npresets)
ARRAY_ACCESSOR(ha_show_cues, ha_show_cue, cues, ncues)
ARRAY_ACCESSOR(ha_show_outputs, ha_show_output, outputs, noutputs)
ARRAY_ACCESSOR(ha_show_mappings, ha_show_mapping, mappings, nmappings)

const ha_limits *ha_show_limits(const ha_show *show) {
  return &show->model->limits;
}
const ha_show_control *ha_show_control_get(const ha_show *show) {
  return &show->model->control;
}
const ha_show_timeline *ha_show_timeline_get(const ha_show *show) {
  return &show->model->timeline;
}

size_t ha_show_track_find(const ha_show *show, uint32_t id) {
  const ha__idmap_slot *s = ha__idmap_get(&show->model->track_index, id);
  return s ? s->value : SIZE_MAX;
}

size_t ha_show_animation_find(const ha_show *show, const char *name) {
  for (size_t i = 0; name != NULL && i < show->model->nanims; i++) {
    if (strcmp(show->model->anims[i].name, name) == 0) {
      return i;
    }
  }
  return SIZE_MAX;
}

size_t ha_show_group_find(const ha_show *show, const char *name) {
  for (size_t i = 0; name != NULL && i < show->model->ngroups; i++) {
    if (strcmp(show->model->groups[i].name, name) == 0) {
      return i;
    }
  }
  return SIZE_MAX;
}

size_t ha_show_preset_find(const ha_show *show, const char *name) {
  for (size_t i = 0; name != NULL && i < show->model->npresets; i++) {
    if (strcmp(show->model->presets[i].name, name) == 0) {
      return i;
    }
  }
  return SIZE_MAX;
}

size_t ha__show_cue_index(const ha_show_cue *cues, size_t count, double number) {
  for (size_t i = 0; i < count; i++) {
    if (fabs(cues[i].number - number) <= 1e-9) {
      return i;
    }
  }
  return SIZE_MAX;
}

size_t ha_show_cue_find(const ha_show *show, double number) {
  return ha__show_cue_index(show->model->cues, show->model->ncues, number);
}

size_t ha_show_cue_find_osc(const ha_show *show, const char *address) {
  for (size_t i = 0; address != NULL && i < show->model->ncues; i++) {
    const char *o = show->model->cues[i].osc;
    if (o != NULL && strcmp(o, address) == 0) {
      return i;
    }
  }
  return SIZE_MAX;
}

size_t ha_show_cue_match_osc(const ha_show *show, const char *pattern, size_t from) {
  for (size_t i = from; pattern != NULL && i < show->model->ncues; i++) {
    const char *o = show->model->cues[i].osc;
    if (o != NULL && ha_osc_pattern_match(pattern, o)) {
      return i;
    }
  }
  return SIZE_MAX;
}

size_t ha_show_mapping_match_osc(const ha_show *show, const char *pattern, size_t from) {
  for (size_t i = from; pattern != NULL && i < show->model->nmappings; i++) {
    if (ha_osc_pattern_match(pattern, show->model->mappings[i].address)) {
      return i;
    }
  }
  return SIZE_MAX;
}

static int cmp_track_to_map(const void *key, const void *entry) {
  uint32_t t = *(const uint32_t *)key;
  const ha_show_track_map *e = entry;
  return t < e->track ? -1 : t > e->track;
}

uint32_t ha_show_output_device_index(const ha_show_output *o, uint32_t track) {
  /* The map is sorted by track (show_compile_io.c), one entry per track. */
  const ha_show_track_map *hit =
      o->track_map_count > 0
          ? bsearch(&track, o->track_map, o->track_map_count, sizeof(*hit), cmp_track_to_map)
          : NULL;
  return hit != NULL ? hit->device : track;
}

ha_status ha_show_animation_motion(const ha_show *show, size_t i, ha_motion **out, ha_error *err) {
  if (i >= show->model->nanims) {
    return HA_ENOTFOUND;
  }
  const ha_show_animation *a = &show->model->anims[i];
  return ha_motion_create(a->model, a->params, &a->timing, out, err);
}

ha_engine_config ha_show_engine_config(const ha_show *show) {
  ha_engine_config c = ha_engine_config_default();
  const ha__show_model *m = show->model;
  c.max_tracks = m->ntracks > 0 ? m->ntracks : 1;
  c.max_animations = m->ngroups + m->start_actions + m->timeline.clip_count + 8;
  c.limits = m->limits;
  return c;
}
