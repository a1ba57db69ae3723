/* The show compiler's cue chain: groups, presets, then cues and their
 * actions, each resolved against the sections before it.
 *
 * A group binds an animation to tracks with a group spec; a preset is a
 * position per track, in an order that is its stagger order; a cue is a
 * numbered list of actions (start, stop, preset, goto) that name groups,
 * animations, presets and tracks. Each action is compiled into the
 * ha_show_action the interpreter (show_cue.c) plays: its
 * target, tracks and spec are taken from what it names, so playing a cue
 * never looks anything up by name. Fields an action type does not use are
 * warned about, never silently ignored. */
#include "show_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- groups and the shared group spec ---- */

static int compile_spec(ha__compiler *x, const json_t *o, ha_anim_spec *spec) {
  *spec = ha_anim_spec_default();
  int ok = 1;
  const char *mode = NULL;
  int r = ha__cc_get_string(x, o, "mode", 0, 0, &mode);
  ok &= r >= 0;
  ha_error err;
  if (r > 0 && ha_group_mode_parse(mode, &spec->mode, &err) != HA_OK) {
    ha__cc_err_key(x, "mode", "%s", err.reason);
    ok = 0;
  }
  ok &= ha__cc_get_number(x, o, "phaseOffset", 0, -1e6, 1e6, &spec->phase_offset) >= 0;
  ok &= ha__cc_get_bool(x, o, "phaseSpread", &spec->phase_spread) >= 0;
  ok &= ha__cc_get_number(x, o, "delay", 0, 0.0, 1e6, &spec->delay) >= 0;
  ok &= ha__cc_get_bool(x, o, "rotateFormation", &spec->rotate_formation) >= 0;
  ok &= ha__cc_get_vec3(x, o, "centerPoint", 0, HA__POS_MAX, &spec->center_point) >= 0;
  ok &= ha__cc_get_number(x, o, "spreadRadius", 0, 0.0, 1000.0, &spec->spread_radius) >= 0;
  int axis = 0;
  r = ha__cc_get_choice(x, o, "mirrorAxis", "x|y|z", &axis);
  ok &= r >= 0;
  if (r > 0) {
    spec->mirror_axis = (char)('x' + axis);
  }
  return ok ? 0 : -1;
}

/* One clash of warn_auto_start_overlap: tracks[a] of the later group is
 * in earlier group j. */
typedef struct auto_clash {
  size_t group, a;
} auto_clash;

static int auto_clash_cmp(const void *pa, const void *pb) {
  const auto_clash *p = pa, *q = pb;
  if (p->group != q->group) {
    return p->group < q->group ? -1 : 1;
  }
  return p->a < q->a ? -1 : p->a > q->a;
}

/* Group i's clashes with earlier autoStart groups, walking only the groups
 * on its tracks (x->auto_track), sorted as a scan of groups then tracks
 * finds them; *n set. NULL when there are none or out of memory. */
static auto_clash *auto_clashes(ha__compiler *x, const ha_show_group *g, size_t *n) {
  auto_clash *v = NULL;
  size_t cap = 0;
  *n = 0;
  for (size_t a = 0; a < g->track_count; a++) {
    const ha__idmap_slot *s = ha__idmap_get(&x->auto_track, g->tracks[a]);
    for (size_t k = s != NULL ? s->value : 0; k != 0; k = x->auto_nodes[k - 1].prev) {
      HA__PROBE(x->c, 1);
      if (*n == cap) {
        cap = cap ? 2 * cap : 8;
        auto_clash *bigger = realloc(v, cap * sizeof(*v));
        if (bigger == NULL) {
          x->c->oom = 1;
          free(v);
          *n = 0;
          return NULL;
        }
        v = bigger;
      }
      v[(*n)++] = (auto_clash){x->auto_nodes[k - 1].group, a};
    }
  }
  if (*n > 1) { /* v is NULL when nothing clashed: qsort takes no NULL */
    qsort(v, *n, sizeof(*v), auto_clash_cmp);
  }
  return v;
}

/* Group i's tracks into x->auto_track, for the groups after it. */
static void auto_add(ha__compiler *x, const ha_show_group *g, size_t i) {
  for (size_t a = 0; a < g->track_count; a++) {
    if (x->auto_count == x->auto_cap) {
      size_t cap = x->auto_cap ? 2 * x->auto_cap : 64;
      ha__auto_node *bigger = realloc(x->auto_nodes, cap * sizeof(*bigger));
      if (bigger == NULL) {
        x->c->oom = 1;
        return;
      }
      x->auto_nodes = bigger;
      x->auto_cap = cap;
    }
    ha__idmap_slot *s = ha__idmap_put(&x->auto_track, g->tracks[a]);
    if (s == NULL) {
      x->c->oom = 1;
      return;
    }
    x->auto_nodes[x->auto_count++] = (ha__auto_node){i, s->value};
    s->value = x->auto_count;
  }
}

/* Two autoStart groups on one track: the later takes it (LTP); said once
 * per shared track, at the later group's tracks[a]. */
static void warn_auto_start_overlap(ha__compiler *x, const ha_show_group *groups, size_t i) {
  const ha_show_group *g = &groups[i];
  if (!g->auto_start) {
    return;
  }
  size_t n = 0;
  auto_clash *v = auto_clashes(x, g, &n);
  for (size_t c = 0; c < n; c++) {
    size_t m3 = ha__path_key(&x->path, "tracks");
    size_t m4 = ha__path_index(&x->path, v[c].a);
    ha__cc_warn(x,
                "track %u is also started by groups[%zu] (\"%s\"); this later group takes "
                "it over",
                g->tracks[v[c].a], v[c].group, groups[v[c].group].name);
    ha__path_pop(&x->path, m4);
    ha__path_pop(&x->path, m3);
  }
  free(v);
  auto_add(x, g, i);
}

static void compile_group(ha__compiler *x, const json_t *o, size_t i, void *items) {
  ha_show_group *g = &((ha_show_group *)items)[i];
  ha__cc_unknown_keys(x, o, &ha__schema_group);
  const char *anim = NULL;
  ha__cc_name(x, o, &x->group_names, "group", "groups", i, &g->name);
  if (ha__cc_get_string(x, o, "animation", 1, 1, &anim) > 0) {
    g->animation = ha__cc_ref(x, &x->anim_names, "animation", anim, "animation");
  }
  uint32_t *ids = NULL;
  long cnt = ha__cc_track_list(x, o, "tracks", 1, 1, "a group", &ids);
  if (cnt > 0) {
    g->tracks = ids;
    g->track_count = (size_t)cnt;
  }
  compile_spec(x, o, &g->spec);
  ha__cc_get_bool(x, o, "autoStart", &g->auto_start);
  warn_auto_start_overlap(x, items, i);
}

void ha__compile_group_at(ha__compiler *x, const json_t *o, size_t i) {
  memset(&x->m->groups[i], 0, sizeof(x->m->groups[i]));
  compile_group(x, o, i, x->m->groups);
}

void ha__compile_groups(ha__compiler *x, const json_t *doc) {
  static const ha__cc_section_spec spec = {"groups", sizeof(ha_show_group), 0, NULL,
                                           NULL,     compile_group};
  x->m->groups = ha__cc_section(x, doc, &spec, &x->m->ngroups);
}

/* ---- presets ---- */

/* positions {"<track id>": [x, y, z], ...}, kept in the document's order. */
static void compile_positions(ha__compiler *x, const json_t *pos, ha_show_preset *p) {
  size_t cnt = json_object_size(pos);
  uint32_t *ids = ha__cc_alloc(x, cnt * sizeof(uint32_t));
  ha_vec3 *ps = ha__cc_alloc(x, cnt * sizeof(ha_vec3));
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)(uintptr_t)pos, k, v) {
    if (ids == NULL || ps == NULL) {
      break;
    }
    size_t mark = ha__path_key(&x->path, k);
    long long id = 0;
    ha_vec3 q;
    if (ha__cc_track_key(x, k, &id) == 0 && ha__cc_vec3(x, v, HA__POS_MAX, &q) > 0) {
      ids[p->count] = (uint32_t)id;
      ps[p->count] = q;
      p->count++;
    }
    ha__path_pop(&x->path, mark);
  }
  p->tracks = ids;
  p->positions = ps;
}

static void compile_preset(ha__compiler *x, const json_t *o, size_t i, void *items) {
  ha_show_preset *p = &((ha_show_preset *)items)[i];
  ha__cc_unknown_keys(x, o, &ha__schema_preset);
  ha__cc_name(x, o, &x->preset_names, "preset", "presets", i, &p->name);
  const json_t *pos = json_object_get(o, "positions");
  size_t mark = ha__path_key(&x->path, "positions");
  if (pos == NULL) {
    ha__cc_err(x, "missing required field");
  } else if (ha__cc_object(x, pos)) {
    compile_positions(x, pos, p);
  }
  ha__path_pop(&x->path, mark);
}

void ha__compile_preset_at(ha__compiler *x, const json_t *o, size_t i) {
  x->preset_where_of = NULL; /* its places change */
  memset(&x->m->presets[i], 0, sizeof(x->m->presets[i]));
  compile_preset(x, o, i, x->m->presets);
}

void ha__compile_presets(ha__compiler *x, const json_t *doc) {
  static const ha__cc_section_spec spec = {"presets", sizeof(ha_show_preset), 0, NULL,
                                           NULL,      compile_preset};
  x->m->presets = ha__cc_section(x, doc, &spec, &x->m->npresets);
}

/* ---- cue actions ---- */

static const char *const action_types = "start|stop|preset|goto";

/* Fields each action type reads (besides "type"). */
static const char *const action_fields[4] = {
    "group,animation,tracks,mode,phaseOffset,phaseSpread,delay,rotateFormation,centerPoint,"
    "spreadRadius,mirrorAxis",
    "group,animation,tracks,fade",
    "preset,tracks,transition,easing,space,stagger",
    "track,position,transition,easing,space",
};

/* transition, easing, space (and stagger) of preset and goto actions. */
static void compile_motion_fields(ha__compiler *x, const json_t *o, ha_show_action *a) {
  double tr = 0.0, st = 0.0;
  ha__cc_get_number(x, o, "transition", 0, 0.0, HA__SECONDS_MAX, &tr);
  a->transition = tr;
  a->easing = HA_EASE_LINEAR;
  ha__cc_get_easing(x, o, "easing", &a->easing);
  int space = 0;
  ha__cc_get_choice(x, o, "space", "xyz|aed", &space);
  a->aed = space == 1;
  if (a->type == HA_SHOW_ACTION_PRESET) {
    ha__cc_get_number(x, o, "stagger", 0, 0.0, HA__SECONDS_MAX, &st);
    a->stagger = st;
  }
}

/* A start of a group uses the group's own tracks and settings. */
static void target_group(ha__compiler *x, const json_t *o, ha_show_action *a, const char *gname) {
  a->target = HA_SHOW_TARGET_GROUP;
  a->group = ha__cc_ref(x, &x->group_names, "group", gname, "group");
  if (a->group == SIZE_MAX) {
    return;
  }
  const ha_show_group *g = &x->m->groups[a->group];
  a->animation = g->animation;
  a->tracks = g->tracks;
  a->track_count = g->track_count;
  a->spec = g->spec;
  if (a->type != HA_SHOW_ACTION_START) {
    return;
  }
  a->tag = (uint32_t)a->group; /* a group answers to its index */
  static const char *const own[] = {"tracks",      "mode",         "phaseOffset",
                                    "phaseSpread", "delay",        "rotateFormation",
                                    "centerPoint", "spreadRadius", "mirrorAxis"};
  for (size_t i = 0; i < HA__COUNTOF(own); i++) {
    if (json_object_get(o, own[i]) != NULL) {
      ha__cc_warn_key(x, own[i], "ignored: a group start uses the group's own tracks and settings");
    }
  }
}

/* tracks of a start (with its spec) or a stop of one animation or of
 * tracks; `what` names the action in messages. */
static void target_tracks(ha__compiler *x, const json_t *o, ha_show_action *a, const char *what) {
  uint32_t *ids = NULL;
  long cnt = ha__cc_track_list(x, o, "tracks", 1, 1, what, &ids);
  if (cnt > 0) {
    a->tracks = ids;
    a->track_count = (size_t)cnt;
  }
}

/* A stop without "fade": the fadeOut of the animation it stops (a group's
 * or its own), else 0. */
static double default_fade(const ha__show_model *m, const ha_show_action *a) {
  if (a->target != HA_SHOW_TARGET_ALL && a->target != HA_SHOW_TARGET_TRACKS &&
      a->animation < m->nanims) {
    return m->anims[a->animation].fade_out;
  }
  return 0.0;
}

/* start: a group, or an animation on tracks; stop: a group, an animation,
 * tracks or (none named) everything, with its fade. */
static void compile_start_stop(ha__compiler *x, const json_t *o, ha_show_action *a) {
  ha__show_model *m = x->m;
  const char *gname = NULL, *aname = NULL;
  int hg = ha__cc_get_string(x, o, "group", 0, 1, &gname);
  int ha = ha__cc_get_string(x, o, "animation", 0, 1, &aname);
  int ht = json_object_get(o, "tracks") != NULL;
  int start = a->type == HA_SHOW_ACTION_START;
  int given = (hg > 0) + (ha > 0) + (!start && ht);
  if (given > 1) {
    ha__cc_err(x, start ? "give either \"group\" or \"animation\", not both"
                        : "give only one of \"group\", \"animation\" or \"tracks\"");
    return;
  }
  if (start && hg == 0 && ha == 0) {
    ha__cc_err(x, "a start action needs \"group\" or \"animation\"");
    return;
  }
  if (hg > 0) {
    target_group(x, o, a, gname);
    if (a->group == SIZE_MAX) {
      return;
    }
  } else if (ha > 0) {
    a->target = HA_SHOW_TARGET_ANIMATION;
    a->animation = ha__cc_ref(x, &x->anim_names, "animation", aname, "animation");
    if (a->animation == SIZE_MAX) {
      return;
    }
    if (start) {
      target_tracks(x, o, a, "a start action");
      compile_spec(x, o, &a->spec);
      /* Unique over the show: a running count of these actions. */
      a->tag = HA_SHOW_TAG_INLINE | (uint32_t)m->start_actions++;
    }
  } else if (ht) {
    a->target = HA_SHOW_TARGET_TRACKS;
    target_tracks(x, o, a, "a stop action");
  } else {
    a->target = HA_SHOW_TARGET_ALL;
  }
  if (!start) {
    double fade = 0.0;
    int r = ha__cc_get_number(x, o, "fade", 0, 0.0, HA__SECONDS_MAX, &fade);
    a->fade = r == 0 ? default_fade(m, a) : fade;
  }
}

static int cmp_size(const void *a, const void *b) {
  size_t p = *(const size_t *)a, q = *(const size_t *)b;
  return p < q ? -1 : p > q;
}

/* Where each track is in preset p (its place + 1 in `value`), made once
 * per preset the actions name, in x->preset_where; NULL on ENOMEM (the
 * places are then found by a scan). */
static const ha__idmap *preset_places(ha__compiler *x, const ha_show_preset *p) {
  if (x->preset_where_of == p) {
    return &x->preset_where;
  }
  ha__idmap_deinit(&x->preset_where);
  x->preset_where_of = NULL;
  for (size_t j = 0; j < p->count; j++) {
    ha__idmap_slot *s = ha__idmap_put(&x->preset_where, p->tracks[j]);
    if (s == NULL) {
      ha__idmap_deinit(&x->preset_where);
      return NULL;
    }
    if (s->value == 0) {
      s->value = j + 1; /* the first place, as a scan finds it */
    }
  }
  x->preset_where_of = p;
  return &x->preset_where;
}

/* The place of track `id` in preset p, p->count when it is not there. */
static size_t preset_place(const ha__idmap *where, const ha_show_preset *p, uint32_t id) {
  if (where != NULL) {
    const ha__idmap_slot *s = ha__idmap_get(where, id);
    return s != NULL ? s->value - 1 : p->count;
  }
  size_t j = 0;
  while (j < p->count && p->tracks[j] != id) {
    j++;
  }
  return j;
}

/* The subset of the preset's tracks that "tracks" names, in the preset's
 * own order (its stagger order), with where each is in the preset; every
 * one must be in the preset. None named: all of them. */
static void select_preset_tracks(ha__compiler *x, const json_t *o, ha_show_action *a,
                                 const ha_show_preset *p) {
  uint32_t *ids = NULL;
  long cnt = ha__cc_track_list(x, o, "tracks", 0, 1, "a preset action", &ids);
  if (cnt == 0) {
    size_t *all = ha__cc_alloc(x, p->count * sizeof(size_t));
    for (size_t j = 0; all != NULL && j < p->count; j++) {
      all[j] = j;
    }
    a->tracks = p->tracks;
    a->track_count = p->count;
    a->preset_index = all;
    return;
  }
  if (cnt < 0) {
    return;
  }
  const ha__idmap *where = preset_places(x, p);
  for (long i = 0; i < cnt; i++) {
    size_t j = preset_place(where, p, ids[i]);
    if (j == p->count) {
      size_t m2 = ha__path_key(&x->path, "tracks");
      size_t m3 = ha__path_index(&x->path, (size_t)i);
      ha__cc_err(x, "track %u is not in preset \"%s\"", ids[i], p->name);
      ha__path_pop(&x->path, m3);
      ha__path_pop(&x->path, m2);
    }
  }
  uint32_t *ordered = ha__cc_alloc(x, (size_t)cnt * sizeof(uint32_t));
  size_t *index = ha__cc_alloc(x, (size_t)cnt * sizeof(size_t));
  size_t nk = 0;
  for (long i = 0; ordered != NULL && index != NULL && i < cnt; i++) {
    size_t j = preset_place(where, p, ids[i]);
    if (j < p->count) {
      index[nk++] = j;
    }
  }
  if (nk > 1) { /* the preset's order (a list names each track once) */
    qsort(index, nk, sizeof(*index), cmp_size);
  }
  for (size_t k = 0; k < nk; k++) {
    ordered[k] = p->tracks[index[k]];
  }
  a->tracks = ordered;
  a->track_count = nk;
  a->preset_index = index;
}

/* A preset recall, on all its tracks or on the subset "tracks" names. */
static void compile_preset_action(ha__compiler *x, const json_t *o, ha_show_action *a) {
  const char *pname = NULL;
  compile_motion_fields(x, o, a);
  if (ha__cc_get_string(x, o, "preset", 1, 1, &pname) <= 0) {
    return;
  }
  a->preset = ha__cc_ref(x, &x->preset_names, "preset", pname, "preset");
  if (a->preset < x->m->npresets) {
    select_preset_tracks(x, o, a, &x->m->presets[a->preset]);
  }
}

/* A goto moves one track to a position. */
static void compile_goto_action(ha__compiler *x, const json_t *o, ha_show_action *a) {
  compile_motion_fields(x, o, a);
  long long id = 0;
  if (ha__cc_get_integer(x, o, "track", 1, 1, HA__TRACK_ID_MAX, &id) > 0) {
    if (ha__cc_track_lookup(x, id) == SIZE_MAX) {
      ha__cc_err_key(x, "track", "no track with id %lld", id);
    } else {
      uint32_t *one = ha__cc_alloc(x, sizeof(uint32_t));
      if (one != NULL) {
        *one = (uint32_t)id;
        a->tracks = one;
        a->track_count = 1;
      }
    }
  }
  ha__cc_get_vec3(x, o, "position", 1, HA__POS_MAX, &a->position);
}

/* What an action has before its fields are read: no tag (only a start
 * gets one), the default spec and easing. */
static void blank_action(void *item) {
  ha_show_action *a = item;
  a->spec = ha_anim_spec_default();
  a->easing = HA_EASE_LINEAR;
  a->tag = HA_SHOW_NO_TAG;
}

/* One element of a cue's "actions": its type, then what that type reads. */
static void compile_action(ha__compiler *x, const json_t *o, size_t index, void *items) {
  ha_show_action *a = &((ha_show_action *)items)[index];
  ha__cc_unknown_keys(x, o, &ha__schema_action);
  int type = 0;
  const json_t *tv = json_object_get(o, "type");
  if (tv == NULL) {
    ha__cc_err_key(x, "type", "missing required field");
    return;
  }
  size_t mark = ha__path_key(&x->path, "type");
  int r = ha__cc_choice(x, tv, action_types, &type);
  ha__path_pop(&x->path, mark);
  if (r < 0) {
    return;
  }
  a->type = (ha_show_action_type)type;
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)(uintptr_t)o, k, v) {
    if (strcmp(k, "type") != 0 && ha__schema_has(&ha__schema_action, k) &&
        ha__list_index(action_fields[type], ',', k) < 0) {
      ha__cc_warn_key(x, k, "not used by a %s action, ignored", json_string_value(tv));
    }
  }
  switch (a->type) {
  case HA_SHOW_ACTION_START:
  case HA_SHOW_ACTION_STOP: compile_start_stop(x, o, a); break;
  case HA_SHOW_ACTION_PRESET: compile_preset_action(x, o, a); break;
  case HA_SHOW_ACTION_GOTO: compile_goto_action(x, o, a); break;
  }
}

/* ---- cues ---- */

static void blank_cue(void *item) {
  ha_show_cue *c = item;
  c->name = "";
  c->number = -1.0;
}

/* A unique cue number (compared within 1e-9). */
static void compile_cue_number(ha__compiler *x, const json_t *o, ha_show_cue *cues, size_t i) {
  double num = 0;
  if (ha__cc_get_number(x, o, "number", 1, 0.0, 1e6, &num) <= 0) {
    return;
  }
  size_t j;
  if (x->cue_same != NULL) {
    j = x->cue_same[i];
  } else {
    HA__PROBE(x->c, i);
    j = ha__show_cue_index(cues, i, num);
  }
  if (j != SIZE_MAX) {
    char a[40];
    ha_format_double(a, sizeof(a), num);
    ha__cc_err_key(x, "number", "duplicate cue number %s (also cues[%zu])", a, j);
  }
  cues[i].number = num;
}

/* The OSC address that fires the cue: plain (no pattern characters) and
 * unique. */
static void compile_cue_osc(ha__compiler *x, const json_t *o, ha_show_cue *cues, size_t i) {
  const char *osc = NULL;
  if (ha__cc_get_string(x, o, "osc", 0, 1, &osc) <= 0) {
    return;
  }
  size_t mark = ha__path_key(&x->path, "osc");
  if (osc[0] != '/' || strpbrk(osc, " #*,?[]{}") != NULL) {
    ha__cc_err(x,
               "\"%s\" is not an OSC address (it starts with '/' and has no spaces or "
               "pattern characters)",
               osc);
  } else {
    HA__PROBE(x->c, 1);
    const ha__strmap_slot *first = ha__strmap_get(&x->cue_osc, osc);
    if (first != NULL) {
      ha__cc_err(x, "OSC address \"%s\" already fires cues[%zu]", osc, first->value);
    } else {
      ha__strmap_slot *slot = ha__strmap_put(&x->cue_osc, osc);
      if (slot == NULL) {
        x->c->oom = 1;
      } else {
        slot->value = i;
      }
    }
    cues[i].osc = osc;
  }
  ha__path_pop(&x->path, mark);
}

static void compile_cue(ha__compiler *x, const json_t *o, size_t i, void *items) {
  static const ha__cc_section_spec actions = {
      "actions", sizeof(ha_show_action), 1, "the cue has no actions", blank_action, compile_action};
  ha_show_cue *c = &((ha_show_cue *)items)[i];
  ha__cc_unknown_keys(x, o, &ha__schema_cue);
  compile_cue_number(x, o, items, i);
  ha__cc_get_string(x, o, "name", 0, 0, &c->name);
  compile_cue_osc(x, o, items, i);
  c->actions = ha__cc_section(x, o, &actions, &c->action_count);
}

/* The animation of each inline start, by its k (HA_SHOW_TAG_INLINE | k),
 * so stopping an animation and making an instance's motions need not walk
 * the cues. */
static void record_start_animations(ha__compiler *x) {
  ha__show_model *m = x->m;
  m->start_anim = ha__cc_alloc(x, m->start_actions * sizeof(size_t));
  for (size_t c = 0; m->start_anim != NULL && c < m->ncues; c++) {
    for (size_t i = 0; i < m->cues[c].action_count; i++) {
      const ha_show_action *a = &m->cues[c].actions[i];
      if (a->type == HA_SHOW_ACTION_START && (a->tag & HA_SHOW_TAG_INLINE) != 0 &&
          a->tag != HA_SHOW_NO_TAG) {
        m->start_anim[a->tag & ~HA_SHOW_TAG_INLINE] = a->animation;
      }
    }
  }
}

/* ---- duplicate cue numbers, found by a sort ----
 *
 * For each cue, the first earlier cue whose number is within 1e-9 of its
 * own, as the scan ha__show_cue_index(cues, i, number) would find it, but
 * in O(n log n): the valid numbers sorted, each one's window of numbers
 * within 1e-9 (a contiguous run, moving up as the numbers do) and the
 * least cue index in the window (a sliding minimum). The window's least
 * index is the answer when it is below the cue's own. */

typedef struct cue_num {
  double number;
  size_t cue;
} cue_num;

static int cue_num_cmp(const void *pa, const void *pb) {
  const cue_num *a = pa, *b = pb;
  if (a->number < b->number || a->number > b->number) {
    return a->number < b->number ? -1 : 1;
  }
  return a->cue < b->cue ? -1 : a->cue > b->cue;
}

/* The numbers compile_cue_number accepts (a number in 0..1e6), sorted. */
static size_t cue_numbers(const json_t *arr, cue_num *v) {
  size_t n = 0, i;
  const json_t *o;
  json_array_foreach(arr, i, o) {
    const json_t *num = json_is_object(o) ? json_object_get(o, "number") : NULL;
    double d = json_is_number(num) ? json_number_value(num) : -1.0;
    if (json_is_number(num) && d >= 0.0 && d <= 1e6) {
      v[n++] = (cue_num){d, i};
    }
  }
  qsort(v, n, sizeof(v[0]), cue_num_cmp);
  return n;
}

static void find_same_numbers(ha__dctx *c, const cue_num *v, size_t n, size_t *q, size_t *same) {
  size_t lo = 0, hi = 0, head = 0, tail = 0; /* q[head..tail): window minima */
  for (size_t p = 0; p < n; p++) {
    for (; hi < n && fabs(v[hi].number - v[p].number) <= 1e-9; hi++) {
      while (tail > head && v[q[tail - 1]].cue >= v[hi].cue) {
        HA__PROBE(c, 1);
        tail--;
      }
      q[tail++] = hi;
    }
    for (; fabs(v[lo].number - v[p].number) > 1e-9; lo++) {
      HA__PROBE(c, 1);
    }
    for (; q[head] < lo; head++) {
      HA__PROBE(c, 1);
    }
    size_t least = v[q[head]].cue;
    same[v[p].cue] = least < v[p].cue ? least : SIZE_MAX;
  }
}

/* x->cue_same for the cues of `doc`; left NULL when out of memory (the
 * scan then does it). */
static void plan_cue_numbers(ha__compiler *x, const json_t *doc) {
  const json_t *arr = json_is_object(doc) ? json_object_get(doc, "cues") : NULL;
  size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
  if (n == 0) {
    return;
  }
  cue_num *v = malloc(n * sizeof(*v));
  size_t *q = malloc(n * sizeof(*q));
  size_t *same = malloc(n * sizeof(*same));
  if (v != NULL && q != NULL && same != NULL) {
    for (size_t i = 0; i < n; i++) {
      same[i] = SIZE_MAX;
    }
    find_same_numbers(x->c, v, cue_numbers(arr, v), q, same);
    x->cue_same = same;
    same = NULL;
  }
  free(v);
  free(q);
  free(same);
}

void ha__compile_cues(ha__compiler *x, const json_t *doc) {
  static const ha__cc_section_spec spec = {"cues", sizeof(ha_show_cue), 0,
                                           NULL,   blank_cue,           compile_cue};
  plan_cue_numbers(x, doc);
  x->m->cues = ha__cc_section(x, doc, &spec, &x->m->ncues);
  free(x->cue_same);
  x->cue_same = NULL;
  record_start_animations(x);
}

/* ---- compiling parts again after an edit (show_recompile.c) ---- */

/* The JSON of action k of cue c in `doc`. */
static const json_t *action_json(const json_t *doc, size_t c, size_t k) {
  const json_t *cue = json_array_get(json_object_get(doc, "cues"), c);
  return json_array_get(json_object_get(cue, "actions"), k);
}

void ha__compile_group_actions(ha__compiler *x, const json_t *doc, size_t g) {
  ha__show_model *m = x->m;
  const ha_show_group *gr = &m->groups[g];
  for (size_t c = 0; c < m->ncues; c++) {
    ha_show_action *acts = (ha_show_action *)(uintptr_t)m->cues[c].actions;
    for (size_t k = 0; k < m->cues[c].action_count; k++) {
      ha_show_action *a = &acts[k];
      if (a->target != HA_SHOW_TARGET_GROUP || a->group != g) {
        continue;
      }
      a->animation = gr->animation; /* as target_group copies them */
      a->tracks = gr->tracks;
      a->track_count = gr->track_count;
      a->spec = gr->spec;
      if (a->type == HA_SHOW_ACTION_STOP &&
          json_object_get(action_json(doc, c, k), "fade") == NULL) {
        a->fade = default_fade(m, a);
      }
    }
  }
}

void ha__compile_stop_fades(ha__compiler *x, const json_t *doc, size_t anim) {
  ha__show_model *m = x->m;
  for (size_t c = 0; c < m->ncues; c++) {
    ha_show_action *acts = (ha_show_action *)(uintptr_t)m->cues[c].actions;
    for (size_t k = 0; k < m->cues[c].action_count; k++) {
      ha_show_action *a = &acts[k];
      if (a->type == HA_SHOW_ACTION_STOP && a->animation == anim &&
          json_object_get(action_json(doc, c, k), "fade") == NULL) {
        a->fade = default_fade(m, a);
      }
    }
  }
}

void ha__compile_preset_actions(ha__compiler *x, const json_t *doc, size_t p) {
  ha__show_model *m = x->m;
  for (size_t c = 0; c < m->ncues; c++) {
    ha_show_action *acts = (ha_show_action *)(uintptr_t)m->cues[c].actions;
    for (size_t k = 0; k < m->cues[c].action_count; k++) {
      if (acts[k].type != HA_SHOW_ACTION_PRESET || acts[k].preset != p) {
        continue;
      }
      size_t m1 = ha__path_key(&x->path, "cues");
      ha__path_index(&x->path, c);
      ha__path_key(&x->path, "actions");
      ha__path_index(&x->path, k);
      select_preset_tracks(x, action_json(doc, c, k), &acts[k], &m->presets[p]);
      ha__path_pop(&x->path, m1);
    }
  }
}

/* Inline start actions of cue c. */
static size_t inline_starts(const ha_show_cue *cue) {
  size_t n = 0;
  for (size_t k = 0; k < cue->action_count; k++) {
    const ha_show_action *a = &cue->actions[k];
    n += a->type == HA_SHOW_ACTION_START && a->target == HA_SHOW_TARGET_ANIMATION &&
         a->tag != HA_SHOW_NO_TAG;
  }
  return n;
}

/* Whether cue i's number or OSC address is another cue's too. */
static int cue_clashes(const ha__show_model *m, size_t i) {
  const ha_show_cue *cue = &m->cues[i];
  for (size_t j = 0; j < m->ncues; j++) {
    const ha_show_cue *o = &m->cues[j];
    if (j != i && (fabs(o->number - cue->number) <= 1e-9 ||
                   (cue->osc != NULL && o->osc != NULL && strcmp(cue->osc, o->osc) == 0))) {
      return 1;
    }
  }
  return 0;
}

ha_status ha__compile_cue_at(ha__compiler *x, const json_t *doc, size_t i) {
  ha__show_model *m = x->m;
  const json_t *o = json_array_get(json_object_get(doc, "cues"), i);
  if (!json_is_object(o) || i >= m->ncues) {
    return HA_EAGAIN;
  }
  size_t before = 0, total = m->start_actions;
  for (size_t c = 0; c < i; c++) {
    before += inline_starts(&m->cues[c]);
  }
  size_t had = inline_starts(&m->cues[i]);
  m->start_actions = before; /* its inline starts keep their tags */
  memset(&m->cues[i], 0, sizeof(m->cues[i]));
  blank_cue(&m->cues[i]);
  size_t mark = ha__path_key(&x->path, "cues");
  ha__path_index(&x->path, i);
  compile_cue(x, o, i, m->cues);
  ha__path_pop(&x->path, mark);
  size_t now = m->start_actions - before;
  m->start_actions = total;
  if (now != had || cue_clashes(m, i)) {
    return HA_EAGAIN;
  }
  const ha_show_cue *cue = &m->cues[i];
  for (size_t k = 0; k < cue->action_count; k++) {
    const ha_show_action *a = &cue->actions[k];
    if (a->type == HA_SHOW_ACTION_START && a->target == HA_SHOW_TARGET_ANIMATION &&
        a->tag != HA_SHOW_NO_TAG) {
      m->start_anim[a->tag & ~HA_SHOW_TAG_INLINE] = a->animation;
    }
  }
  return HA_OK;
}
