/* The show compiler's "mappings" section: live data (a fader on a desk, a
 * sensor) that drives one number of a group's animation.
 *
 * Each mapping is checked as an edit of that number would be, once, here:
 * the group exists, its animation's model has the parameter and it is a
 * number (or one axis of a vec3: "center.x"), and the whole output range
 * lies inside the parameter's allowed range, so every value the mapping can
 * produce (clamped into that range at run time) is a valid edit. Two
 * mappings of the same number would fight: refused. Compiled after groups
 * and animations, which it refers to; nothing refers to it. */
#include "show_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const axis_names[] = {"x", "y", "z"};

/* A [lo, hi] pair of finite numbers at `key` (absent: *a, *b untouched).
 * 1 read, 0 absent, -1 reported. */
static int get_range(ha__compiler *x, const json_t *o, const char *key, int req, double *a,
                     double *b) {
  const json_t *v = json_object_get(o, key);
  if (v == NULL) {
    if (req) {
      ha__cc_err_key(x, key, "missing required field \"%s\" ([from, to])", key);
      return -1;
    }
    return 0;
  }
  size_t mark = ha__path_key(&x->path, key);
  double r[2];
  int ok = -1;
  if (!json_is_array(v) || json_array_size(v) != 2) {
    ha__cc_type_error(x, "[from, to] (two numbers)", v);
  } else if (ha__cc_numbers(x, v, 1e12, r) > 0) {
    *a = r[0];
    *b = r[1];
    ok = 1;
  }
  ha__path_pop(&x->path, mark);
  return ok;
}

/* The names of the model's numeric parameters, for a message. */
static void numeric_names(const ha_model_info *mi, char *buf, size_t cap) {
  size_t k = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < mi->param_count && k + 2 < cap; i++) {
    const ha_param_info *pi = &mi->params[i];
    const char *suffix = pi->type == HA_PARAM_VEC3 ? ".x|y|z" : "";
    if (pi->type == HA_PARAM_NUMBER || pi->type == HA_PARAM_INTEGER || pi->type == HA_PARAM_VEC3) {
      int w = snprintf(buf + k, cap - k, "%s%s%s", k ? ", " : "", pi->name, suffix);
      k += w > 0 ? (size_t)w : 0;
    }
  }
}

/* "param": a number parameter of the group's model, or "name.x|y|z" of a
 * vec3 one. Sets param, component and integer; returns its info or NULL
 * (reported). */
static const ha_param_info *compile_param(ha__compiler *x, const json_t *o, ha_show_mapping *m,
                                          const ha_model_info *mi, const char *group) {
  const char *text = NULL;
  if (ha__cc_get_string(x, o, "param", 1, 1, &text) <= 0 || mi == NULL) {
    return NULL;
  }
  char name[64];
  snprintf(name, sizeof name, "%s", text);
  char *dot = strrchr(name, '.');
  int comp = -1;
  if (dot != NULL) {
    *dot = '\0';
    for (int a = 0; a < 3; a++) {
      comp = strcmp(dot + 1, axis_names[a]) == 0 ? a : comp;
    }
  }
  const ha_param_info *pi = ha_model_param_find(mi, name);
  char known[400];
  numeric_names(mi, known, sizeof known);
  const char *why = NULL;
  if (pi == NULL) {
    why = "is not a parameter of";
  } else if (dot != NULL && (comp < 0 || pi->type != HA_PARAM_VEC3)) {
    why = comp < 0 ? "names no axis (.x, .y or .z) of" : "has no axes in";
  } else if (dot == NULL && pi->type == HA_PARAM_VEC3) {
    why = "is a vec3 (map one axis: .x, .y or .z) in";
  } else if (pi->type != HA_PARAM_NUMBER && pi->type != HA_PARAM_INTEGER &&
             pi->type != HA_PARAM_VEC3) {
    why = "is not a number in";
  }
  if (why != NULL) {
    ha__cc_err_key(x, "param", "\"%s\" %s model %s (group \"%s\"; numeric parameters: %s)", text,
                   why, mi->name, group, known);
    return NULL;
  }
  m->param = pi->name;
  m->component = comp;
  m->integer = pi->type == HA_PARAM_INTEGER;
  return pi;
}

/* The output range must lie inside the parameter's allowed range. */
static void check_output(ha__compiler *x, const ha_show_mapping *m, const ha_param_info *pi) {
  double lo = m->out_min < m->out_max ? m->out_min : m->out_max;
  double hi = m->out_min < m->out_max ? m->out_max : m->out_min;
  if (lo < pi->min || hi > pi->max) {
    char a[32], b[32], c[32], d[32];
    ha_format_double(a, sizeof a, m->out_min);
    ha_format_double(b, sizeof b, m->out_max);
    ha_format_double(c, sizeof c, pi->min);
    ha_format_double(d, sizeof d, pi->max);
    ha__cc_err_key(x, "output", "[%s, %s] is outside %s's allowed range [%s, %s]%s%s", a, b,
                   pi->name, c, d, pi->unit[0] ? " " : "", pi->unit);
  }
}

/* The same number mapped twice: the later one is refused. */
static void check_unique(ha__compiler *x, const ha_show_mapping *all, size_t i) {
  const ha_show_mapping *m = &all[i];
  for (size_t j = 0; j < i; j++) {
    HA__PROBE(x->c, 1);
    if (all[j].param != NULL && all[j].group == m->group && strcmp(all[j].param, m->param) == 0 &&
        all[j].component == m->component) {
      ha__cc_err_key(x, "param", "%s%s%s of this group is already mapped by mappings[%zu]",
                     m->param, m->component >= 0 ? "." : "",
                     m->component >= 0 ? axis_names[m->component] : "", j);
      return;
    }
  }
}

static void compile_mapping(ha__compiler *x, const json_t *o, size_t i, void *items) {
  ha_show_mapping *m = &((ha_show_mapping *)items)[i];
  ha__cc_unknown_keys(x, o, &ha__schema_mapping);
  if (ha__cc_get_string(x, o, "address", 1, 1, &m->address) > 0 &&
      (m->address[0] != '/' || strpbrk(m->address, " #*,?[]{}") != NULL)) {
    ha__cc_err_key(x, "address",
                   "\"%s\" is not an OSC address (it starts with '/' and has no spaces or "
                   "pattern characters)",
                   m->address);
  } else if (m->address[0] != '\0' && ha__strmap_get(&x->cue_osc, m->address) != NULL) {
    /* The control port gives a mapped address to the mapping first. */
    ha__cc_err_key(x, "address", "\"%s\" already fires cues[%zu]", m->address,
                   ha__strmap_get(&x->cue_osc, m->address)->value);
  }
  long long arg = 0;
  if (ha__cc_get_integer(x, o, "arg", 0, 0, 15, &arg) > 0) {
    m->arg = (unsigned)arg;
  }
  const char *group = NULL;
  const ha_model_info *mi = NULL;
  if (ha__cc_get_string(x, o, "group", 1, 1, &group) > 0) {
    m->group = ha__cc_ref(x, &x->group_names, "group", group, "group");
    if (m->group < x->m->ngroups && x->m->groups[m->group].animation < x->m->nanims) {
      mi = ha_model_find(x->m->anims[x->m->groups[m->group].animation].model);
    }
  }
  const ha_param_info *pi = compile_param(x, o, m, mi, group);
  if (get_range(x, o, "input", 0, &m->in_min, &m->in_max) > 0 && !(m->in_max > m->in_min) &&
      !(m->in_max < m->in_min)) {
    ha__cc_err_key(x, "input", "the input range needs two different numbers");
  }
  int out = get_range(x, o, "output", 1, &m->out_min, &m->out_max);
  ha__cc_get_number(x, o, "smoothing", 0, 0, 60, &m->smoothing);
  int mode = 0;
  ha__cc_get_choice(x, o, "smoothingMode", "one-pole|slew", &mode);
  m->slew = mode == 1;
  if (pi != NULL && out > 0) {
    check_output(x, m, pi);
  }
  if (m->param != NULL && i < HA_PLAYER_MAX_MAPPINGS) { /* beyond: refused as too many */
    check_unique(x, items, i);
  }
}

static void blank_mapping(void *item) {
  ha_show_mapping *m = item;
  memset(m, 0, sizeof *m);
  m->address = "";
  m->group = SIZE_MAX;
  m->component = -1;
  m->in_max = 1.0;
}

void ha__compile_mappings(ha__compiler *x, const json_t *doc) {
  static const ha__cc_section_spec spec = {"mappings", sizeof(ha_show_mapping), 0,
                                           NULL,       blank_mapping,           compile_mapping};
  x->m->mappings = ha__cc_section(x, doc, &spec, &x->m->nmappings);
  if (x->m->nmappings > HA_PLAYER_MAX_MAPPINGS) {
    size_t mark = ha__path_key(&x->path, "mappings");
    ha__cc_err(x, "%zu mappings: a show has at most %d", x->m->nmappings, HA_PLAYER_MAX_MAPPINGS);
    ha__path_pop(&x->path, mark);
  }
}
