/* The show compiler: the pass over a whole document, and its metadata,
 * tracks and animations sections.
 *
 * The JSON document (jansson) is the source of truth: saving writes it back
 * canonically, edits are JSON operations on it. Validation compiles a
 * document into plain structs (ha__show_model) in one pass that never stops
 * at the first problem: each field is checked where it is read (through the
 * reading kit of show_fields.c), references (group -> animation/tracks, cue
 * -> group/preset/track, trackMap targets) once the tables they point into
 * exist, which is why the sections are compiled in document order: tracks
 * and animations here, then groups, presets and cues
 * (show_compile_cues.c), then outputs, limits and control
 * (show_compile_io.c). Every animation is validated as ha_motion_create
 * would (ha__motion_validate: the same checks, no motion made) so the
 * engine's own validation words the message; the show only adds the JSON
 * path and the position. When an animation fails, each of its parameters is
 * tried alone (with defaults for the rest) so all bad parameters are listed,
 * not just the first. */
#include "show_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- metadata, tracks ---- */

void ha__compile_metadata(ha__compiler *x, const json_t *doc) {
  size_t mark = 0;
  const json_t *md = ha__cc_open_object(x, doc, "metadata", NULL, &mark);
  if (md == NULL) {
    return;
  }
  const char *s;
  for (size_t i = 0; i < ha__schema_metadata.n; i++) {
    ha__cc_get_string(x, md, ha__schema_metadata.keys[i].key, 0, 0, &s);
  }
  ha__path_pop(&x->path, mark);
}

static int color_ok(const char *s) {
  if (strlen(s) != 7 || s[0] != '#') {
    return 0;
  }
  for (int i = 1; i < 7; i++) {
    if (!isxdigit((unsigned char)s[i])) {
      return 0;
    }
  }
  return 1;
}

/* A track is added to the table only when it is valid, so the engine's
 * track indices have no holes; its place in the document is kept for
 * messages about a later duplicate. */
/* The fields of a track into *t, its id checked against the tracks
 * before it when `unique`; 1 when all are valid. */
static int track_fields(ha__compiler *x, const json_t *o, int unique, ha_show_track *t,
                        long long *id) {
  ha__cc_unknown_keys(x, o, &ha__schema_track);
  memset(t, 0, sizeof(*t));
  t->name = "";
  int ok = ha__cc_get_integer(x, o, "id", 1, 1, HA__TRACK_ID_MAX, id) > 0;
  const ha__idmap_slot *other = ok && unique ? ha__cc_track_slot(x, *id) : NULL;
  if (other != NULL) {
    ha__cc_err_key(x, "id", "duplicate track id %lld (also tracks[%d])", *id, other->place);
    ok = 0;
  }
  t->id = (uint32_t)*id;
  ok &= ha__cc_get_string(x, o, "name", 0, 0, &t->name) >= 0;
  const char *color = NULL;
  int r = ha__cc_get_string(x, o, "color", 0, 0, &color);
  if (r > 0 && !color_ok(color)) {
    ha__cc_err_key(x, "color", "\"%s\" is not a colour #rrggbb", color);
    ok = 0;
  } else if (r > 0) {
    memcpy(t->color, color, 8);
  }
  ok &= r >= 0;
  ok &= ha__cc_get_vec3(x, o, "position", 0, HA__POS_MAX, &t->position) >= 0;
  r = ha__cc_get_number(x, o, "gain", 0, -60.0, 12.0, &t->gain);
  t->has_gain = r > 0;
  ok &= r >= 0;
  ok &= ha__cc_get_bool(x, o, "mute", &t->mute) >= 0;
  ok &= ha__cc_get_bool(x, o, "solo", &t->solo) >= 0;
  ok &= ha__cc_get_bool(x, o, "lock", &t->lock) >= 0;
  return ok;
}

int ha__compile_track_at(ha__compiler *x, const json_t *o, size_t i) {
  ha_show_track t;
  long long id = 0;
  if (!track_fields(x, o, 0, &t, &id) || i >= x->m->ntracks) {
    return 0;
  }
  x->m->tracks[i] = t;
  return 1;
}

static void compile_track(ha__compiler *x, const json_t *o, size_t index, void *items) {
  ha_show_track *tracks = items;
  ha_show_track t;
  long long id = 0;
  if (!track_fields(x, o, 1, &t, &id)) {
    return;
  }
  ha__idmap_slot *s = ha__idmap_put(&x->m->track_index, (uint32_t)id);
  if (s == NULL) {
    x->c->oom = 1;
    return;
  }
  s->value = x->m->ntracks;
  s->place = (int)index; /* its place in the document, for messages */
  tracks[x->m->ntracks++] = t;
}

/* The length of the array `key` of doc (0 when it is not one). */
static size_t section_size(const json_t *doc, const char *key) {
  return json_array_size(json_object_get(doc, key));
}

void ha__compile_tracks(ha__compiler *x, const json_t *doc) {
  static const ha__cc_section_spec spec = {"tracks", sizeof(ha_show_track), 0, NULL,
                                           NULL,     compile_track};
  ha__idmap_reserve(&x->m->track_index, section_size(doc, "tracks"));
  x->m->tracks = ha__cc_section(x, doc, &spec, NULL);
}

/* ---- animations ---- */

static const ha__schema_key keyframe_keys[] = {
    {"time", 0, NULL}, {"position", 0, NULL}, {"easing", 0, NULL}};
static const ha__schema keyframe_schema = {keyframe_keys, HA__COUNTOF(keyframe_keys)};

/* One keyframe {time, position, easing} at the current path. */
static int keyframe_from_json(ha__compiler *x, const json_t *o, ha_keyframe *k) {
  if (!ha__cc_object(x, o)) {
    return -1;
  }
  ha__cc_unknown_keys(x, o, &keyframe_schema);
  int ok = ha__cc_get_number(x, o, "time", 1, -1e300, 1e300, &k->time) > 0;
  ok &= ha__cc_get_vec3(x, o, "position", 1, 1e300, &k->position) > 0;
  k->easing = HA_EASE_LINEAR;
  ok &= ha__cc_get_easing(x, o, "easing", &k->easing) >= 0;
  return ok ? 1 : -1;
}

/* A list parameter, told by its first element: up to 4 numbers, points
 * [[x, y, z], ...] or keyframes [{time, position}, ...]. Returns -1 when
 * reported, else 0 with the status of storing it in *st. */
static int param_list_from_json(ha__compiler *x, ha_params *p, const char *key, const json_t *v,
                                const ha_model_info *mi, ha_status *st) {
  size_t n = json_array_size(v);
  const json_t *first = json_array_get(v, 0);
  /* the declared type tells an empty list's kind (looked up only then) */
  const ha_param_info *pi = n == 0 && mi != NULL ? ha_model_param_find(mi, key) : NULL;
  if (n == 0 && pi != NULL && pi->type == HA_PARAM_POINTS) {
    *st = ha_params_set_points(p, key, NULL, 0);
  } else if (n == 0 && pi != NULL && pi->type == HA_PARAM_KEYFRAMES) {
    *st = ha_params_set_keyframes(p, key, NULL, 0);
  } else if (n == 0) {
    ha__cc_err(x, "expected a value, got an empty list");
    return -1;
  } else if (json_is_number(first)) {
    double d[4];
    if (n > 4) {
      ha__cc_err(x, "expected at most 4 numbers, got %zu", n);
      return -1;
    }
    if (ha__cc_numbers(x, v, 1e300, d) < 0) {
      return -1;
    }
    *st = ha_params_set_numbers(p, key, d, n);
  } else if (json_is_array(first) || json_is_object(first)) {
    int points = json_is_array(first);
    ha_vec3 *pts = points ? malloc(n * sizeof(*pts)) : NULL;
    ha_keyframe *ks = points ? NULL : calloc(n, sizeof(*ks));
    if (pts == NULL && ks == NULL) {
      x->c->oom = 1;
      return -1;
    }
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
      const json_t *e = json_array_get(v, i);
      if (points && ha__json_vec3_ok(e, 1e300, &pts[i])) {
        continue; /* a valid point: no path built */
      }
      size_t mark = ha__path_index(&x->path, i);
      ok &= (points ? ha__cc_vec3(x, e, 1e300, &pts[i]) : keyframe_from_json(x, e, &ks[i])) > 0;
      ha__path_pop(&x->path, mark);
    }
    if (ok) {
      *st = points ? ha_params_set_points(p, key, pts, n) : ha_params_set_keyframes(p, key, ks, n);
    }
    free(pts);
    free(ks);
    return ok ? 0 : -1;
  } else {
    ha__cc_err(x, "expected numbers, points [[x, y, z], ...] or keyframes [{time, position}, ...]");
    return -1;
  }
  return 0;
}

/* One JSON parameter into `p` (the model `mi` may be NULL: unknown). */
static int param_from_json(ha__compiler *x, ha_params *p, const char *key, const json_t *v,
                           const ha_model_info *mi) {
  ha_status st = HA_OK;
  switch (json_typeof(v)) {
  case JSON_INTEGER:
  case JSON_REAL: st = ha_params_set_number(p, key, json_number_value(v)); break;
  case JSON_TRUE:
  case JSON_FALSE: st = ha_params_set_bool(p, key, json_is_true(v)); break;
  case JSON_STRING: st = ha_params_set_string(p, key, json_string_value(v)); break;
  case JSON_OBJECT:
  case JSON_NULL: ha__cc_type_error(x, "a number, a string, a boolean or a list", v); return -1;
  case JSON_ARRAY:
    if (param_list_from_json(x, p, key, v, mi, &st) < 0) {
      return -1;
    }
    break;
  }
  if (st == HA_ENOMEM) {
    x->c->oom = 1;
    return -1;
  }
  if (st != HA_OK) {
    ha__cc_err(x, "parameter name too long (at most 63 bytes)");
    return -1;
  }
  return 0;
}

/* The JSON path of an engine error name ("center.x", "keyframes[2].time")
 * under animations[i].parameters: the head is mapped back to the key the
 * file used (an alias, perhaps) and ".x/.y/.z" of a point become [0..2]. */
static void engine_param_path(ha__compiler *x, const ha_model_info *mi, const json_t *params,
                              const char *name, char *buf, size_t cap) {
  char head[96];
  size_t hl = strcspn(name, ".[");
  snprintf(head, sizeof(head), "%.*s", (int)hl, name);
  const char *key = head;
  const ha_param_info *want = ha_model_param_find(mi, head);
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)(uintptr_t)params, k, v) {
    if (strcmp(k, head) == 0) {
      key = k;
      break;
    }
    if (want != NULL && ha_model_param_find(mi, k) == want) {
      key = k;
    }
  }
  char base[256];
  ha__path_join(base, sizeof(base), ha__cc_path(x), "parameters");
  ha__path_join(buf, cap, base, key);
  const char *r = name + hl;
  while (*r != '\0') {
    size_t len = strlen(buf);
    if (r[0] == '.' && (r[1] == 'x' || r[1] == 'y' || r[1] == 'z') &&
        (r[2] == '\0' || r[2] == '.' || r[2] == '[')) {
      snprintf(buf + len, cap - len, "[%d]", r[1] - 'x');
      r += 2;
      continue;
    }
    size_t seg = 1 + strcspn(r + 1, ".[");
    snprintf(buf + len, cap - len, "%.*s", (int)seg, r);
    r += seg;
  }
}

/* Parameters of the animation being compiled that could not be read (so
 * the engine judged their defaults: its words about them would mislead). */
typedef struct failed_keys {
  const char *key[32];
  size_t n;
} failed_keys;

static void report_motion_error(ha__compiler *x, const ha_model_info *mi, const json_t *params,
                                const ha_error *err, const failed_keys *failed) {
  char path[300];
  if (strcmp(err->name, "model") == 0 || mi == NULL) {
    ha__path_join(path, sizeof(path), ha__cc_path(x), "model");
  } else {
    char head[96];
    snprintf(head, sizeof(head), "%.*s", (int)strcspn(err->name, ".["), err->name);
    const ha_param_info *pi = ha_model_param_find(mi, head);
    for (size_t i = 0; failed != NULL && i < failed->n; i++) {
      if (strcmp(failed->key[i], head) == 0 ||
          (pi != NULL && ha_model_param_find(mi, failed->key[i]) == pi)) {
        return;
      }
    }
    engine_param_path(x, mi, params, err->name, path, sizeof(path));
  }
  ha__diag(x->c, HA_DIAG_ERROR, path, 0, "%s", err->reason[0] ? err->reason : err->message);
}

/* Build the motion once to validate; on failure try each parameter alone to
 * list every bad one. */
static void check_motion(ha__compiler *x, const char *model, const ha_params *p,
                         const ha_timing *tm, const json_t *params, const failed_keys *failed) {
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha__motion_validate(model, p, tm, &err);
  if (st == HA_OK) {
    return;
  }
  if (st == HA_ENOMEM) {
    x->c->oom = 1;
    return;
  }
  const ha_model_info *mi = ha_model_find(model);
  if (mi == NULL) {
    report_motion_error(x, NULL, params, &err, failed);
    return;
  }
  size_t found = 0;
  const ha_params *fullp = p;
  for (size_t i = 0; i < ha_params_count(fullp); i++) {
    const char *name = ha_params_name_at(fullp, i, NULL);
    ha_params *c1 = NULL;
    if (ha_params_clone(fullp, &c1) != HA_OK) {
      x->c->oom = 1;
      break;
    }
    /* keep only entry i */
    for (size_t j = ha_params_count(c1); j-- > 0;) {
      const char *nj = ha_params_name_at(c1, j, NULL);
      if (strcmp(nj, name) != 0) {
        ha_params_unset(c1, nj);
      }
    }
    ha_error e1;
    ha_error_clear(&e1);
    if (ha__motion_validate(model, c1, tm, &e1) != HA_OK) {
      report_motion_error(x, mi, params, &e1, failed);
      found++;
    }
    ha_params_destroy(c1);
  }
  if (found == 0) {
    report_motion_error(x, mi, params, &err, failed);
  }
}

/* Animation `index` as the prior model compiled it, when `o` is the very
 * object it compiled (an element added or removed moves the others by one):
 * its name registered, its table entry and parameter set shared. 0 when
 * not. */
static int reuse_animation(ha__compiler *x, const json_t *o, size_t index,
                           ha_show_animation *anims) {
  const ha__show_model *old = x->prior;
  if (old == NULL || old->warnings > 0) {
    return 0;
  }
  const size_t cand[3] = {index, index - 1, index + 1};
  for (size_t k = 0; k < 3; k++) {
    size_t j = cand[k];
    if (j >= old->nanims || json_array_get(x->prior_anims, j) != o) {
      continue;
    }
    const char *name = NULL;
    ha__cc_name(x, o, &x->anim_names, "animation", "animations", index, &name);
    ha__shared_params *sp = old->params[j];
    sp->refs++;
    ha__shared_params_unref(x->m->params[index]);
    x->m->params[index] = sp;
    anims[index] = old->anims[j];
    return 1;
  }
  return 0;
}

static void compile_animation(ha__compiler *x, const json_t *o, size_t index, void *items) {
  ha__show_model *m = x->m;
  ha_show_animation *anims = items;
  if (reuse_animation(x, o, index, anims)) {
    return;
  }
  ha_show_animation a;
  memset(&a, 0, sizeof(a));
  a.timing = ha_timing_default();
  ha__cc_unknown_keys(x, o, &ha__schema_animation);
  /* Problems are reported where found; each field read independently, so
   * one bad field does not hide the others. */
  const char *name = NULL, *model = NULL;
  ha__cc_name(x, o, &x->anim_names, "animation", "animations", index, &name);
  ha__cc_get_string(x, o, "model", 1, 1, &model);
  ha__cc_get_number(x, o, "duration", 0, -1e300, 1e300, &a.timing.duration);
  ha__cc_get_number(x, o, "speed", 0, -1e300, 1e300, &a.timing.speed);
  const json_t *lv = json_object_get(o, "loop");
  if (lv != NULL) {
    size_t mark = ha__path_key(&x->path, "loop");
    if (json_is_boolean(lv)) {
      a.timing.loop = json_is_true(lv) ? HA_LOOP_LOOP : HA_LOOP_ONCE;
    } else if (json_is_string(lv)) {
      ha_error err;
      if (ha_loop_mode_parse(json_string_value(lv), &a.timing.loop, &err) != HA_OK) {
        ha__cc_err(x, "%s", err.reason);
      }
    } else {
      ha__cc_type_error(x, "once, loop, pingpong or a boolean", lv);
    }
    ha__path_pop(&x->path, mark);
  }
  bool pp = false;
  if (ha__cc_get_bool(x, o, "pingPong", &pp) > 0 && pp) {
    a.timing.loop = HA_LOOP_PINGPONG;
  }
  int seam = 0; /* ha_seam order */
  if (ha__cc_get_choice(x, o, "seam", "blend|cut", &seam) > 0) {
    a.timing.seam = seam == 1 ? HA_SEAM_CUT : HA_SEAM_BLEND;
  }
  ha__cc_get_number(x, o, "fadeIn", 0, 0.0, HA__SECONDS_MAX, &a.fade_in);
  ha__cc_get_number(x, o, "fadeOut", 0, 0.0, HA__SECONDS_MAX, &a.fade_out);

  ha_params *p = NULL;
  ha__shared_params *sp = malloc(sizeof(*sp));
  if (sp == NULL || ha_params_create(&p) != HA_OK) {
    free(sp);
    x->c->oom = 1;
    return;
  }
  sp->refs = 1;
  sp->p = p;
  ha__shared_params_unref(m->params[index]); /* compiled again: the one it had */
  m->params[index] = sp;
  a.params = p;
  const ha_model_info *mi = model ? ha_model_find(model) : NULL;
  const json_t *params = json_object_get(o, "parameters");
  int pok = 1;
  failed_keys failed;
  failed.n = 0;
  if (params != NULL) {
    size_t mark = ha__path_key(&x->path, "parameters");
    if (ha__cc_object(x, params)) {
      const char *k;
      json_t *v;
      json_object_foreach((json_t *)(uintptr_t)params, k, v) {
        /* A parameter that cannot be read is reported and left out, so the
         * engine still checks all the others. */
        size_t m2 = ha__path_key(&x->path, k);
        if (param_from_json(x, p, k, v, mi) != 0 && failed.n < HA__COUNTOF(failed.key)) {
          failed.key[failed.n++] = k;
        }
        ha__path_pop(&x->path, m2);
      }
    } else {
      pok = 0;
    }
    ha__path_pop(&x->path, mark);
  }
  a.model = mi ? mi->name : (model ? model : "");
  a.name = name ? name : "";
  ha_error err;
  if (ha_timing_validate(&a.timing, &err) != HA_OK) {
    ha__cc_err_key(x, err.name, "%s", err.reason);
  } else if (model != NULL && (pok || mi == NULL)) {
    /* json_is_object(NULL) is false: engine_param_path copes with no params */
    check_motion(x, model, pok ? p : NULL, &a.timing, json_is_object(params) ? params : NULL,
                 &failed);
  }
  anims[index] = a;
}

void ha__compile_animation_at(ha__compiler *x, const json_t *o, size_t i) {
  compile_animation(x, o, i, x->m->anims);
}

void ha__compile_animations(ha__compiler *x, const json_t *doc) {
  static const ha__cc_section_spec spec = {"animations", sizeof(ha_show_animation), 0, NULL,
                                           NULL,         compile_animation};
  /* One parameter set per element, owned by the model (not the arena). */
  const json_t *arr = json_object_get(doc, "animations");
  size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
  ha__strmap_reserve(&x->anim_names, n);
  x->m->params = calloc(n ? n : 1, sizeof(*x->m->params));
  if (x->m->params == NULL) {
    x->c->oom = 1;
    return;
  }
  x->m->anims = ha__cc_section(x, doc, &spec, &x->m->nanims);
}

void ha__compiler_init(ha__compiler *x, ha__dctx *c, ha__show_model *m) {
  memset(x, 0, sizeof(*x));
  x->c = c;
  x->m = m;
  ha__path_init(&x->path);
  ha__strmap_init(&x->anim_names);
  ha__strmap_init(&x->group_names);
  ha__strmap_init(&x->preset_names);
  ha__strmap_init(&x->output_names);
  ha__strmap_init(&x->cue_osc);
  ha__idmap_init(&x->auto_track);
  ha__idmap_init(&x->preset_where);
}

void ha__compiler_deinit(ha__compiler *x) {
  ha__path_deinit(&x->path);
  ha__strmap_deinit(&x->anim_names);
  ha__strmap_deinit(&x->group_names);
  ha__strmap_deinit(&x->preset_names);
  ha__strmap_deinit(&x->output_names);
  ha__strmap_deinit(&x->cue_osc);
  ha__idmap_deinit(&x->auto_track);
  ha__idmap_deinit(&x->preset_where);
  free(x->auto_nodes);
  free(x->track_seen);
  x->auto_nodes = NULL;
  x->track_seen = NULL;
}

ha_status ha__show_compile(json_t *doc, ha__dctx *c, ha__show_model **out) {
  return ha__show_compile_from(NULL, doc, c, out);
}

ha_status ha__show_compile_from(const ha__show_model *prior, json_t *doc, ha__dctx *c,
                                ha__show_model **out) {
  ha__show_model *m = calloc(1, sizeof(*m));
  if (m == NULL) {
    return HA_ENOMEM;
  }
  m->refs = 1;
  m->doc = json_incref(doc);
  m->name = "";
  ha__idmap_init(&m->track_index);
  ha__compiler x;
  ha__compiler_init(&x, c, m);
  if (prior != NULL) {
    x.prior = prior;
    x.prior_anims = json_object_get(prior->doc, "animations");
  }
  size_t errors_before = c->errors, warnings_before = c->warnings;
  if (!json_is_object(doc)) {
    ha__cc_type_error(&x, "an object", doc);
  } else {
    ha__cc_unknown_keys(&x, doc, &ha__schema_root);
    ha__cc_get_string(&x, doc, "name", 0, 0, &m->name);
    ha__compile_metadata(&x, doc);
    ha__compile_tracks(&x, doc);
    ha__compile_animations(&x, doc);
    ha__compile_groups(&x, doc);
    ha__compile_presets(&x, doc);
    ha__compile_cues(&x, doc);
    ha__compile_outputs(&x, doc);
    ha__compile_limits(&x, doc);
    ha__compile_control(&x, doc);
    ha__compile_mappings(&x, doc);
    ha__compile_timeline(&x, doc);
  }
  int oom = c->oom || x.path.oom;
  ha__compiler_deinit(&x);
  m->warnings = c->warnings - warnings_before;
  if (oom || c->errors > errors_before) {
    ha__show_model_unref(m);
    return oom ? HA_ENOMEM : HA_EPARSE;
  }
  *out = m;
  return HA_OK;
}
