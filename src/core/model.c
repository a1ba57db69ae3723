/* The model registry and the generic parameter parser (parameter sets:
 * params.c).
 *
 * Validation is table-driven: each model's ha_param_info table says the type,
 * range and storage slot of every parameter, so the checks (and their exact
 * messages) are written once here rather than in 24 model files. Models see
 * only validated numbers. Unknown parameter names are errors: a typo in a show
 * must not silently fall back to a default (the original animator's habit).
 *
 * The state-cache tag is a content hash of the validated data, so a cache
 * filled by one motion is reused only by a motion that computes the very same
 * path, and no global counter is needed. */
#include "model_impl.h"
#include "models/noise.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- registry ---- */

#define HA_MODEL(id) extern const ha__model ha__model_##id;
#include "models/models.def"
#undef HA_MODEL

const ha__model *const ha__models[] = {
#define HA_MODEL(id) &ha__model_##id,
#include "models/models.def"
#undef HA_MODEL
};
const size_t ha__model_total = HA__COUNTOF(ha__models);

size_t ha_model_count(void) {
  return ha__model_total;
}

const ha_model_info *ha_model_at(size_t i) {
  return i < ha__model_total ? &ha__models[i]->info : NULL;
}

/* 1 when `name` equals one of the comma-separated `list` entries. */
int ha__in_list(const char *list, const char *name, int nocase) {
  if (list == NULL || name == NULL) {
    return 0;
  }
  size_t n = strlen(name);
  const char *s = list;
  while (*s != '\0') {
    const char *e = strchr(s, ',');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    if (len == n && (nocase ? strncasecmp(s, name, n) == 0 : strncmp(s, name, n) == 0)) {
      return 1;
    }
    if (e == NULL) {
      break;
    }
    s = e + 1;
  }
  return 0;
}

const ha__model *ha__model_lookup(const char *name) {
  if (name == NULL) {
    return NULL;
  }
  for (size_t i = 0; i < ha__model_total; i++) {
    if (strcmp(ha__models[i]->info.name, name) == 0) { /* the canonical name, as saved */
      return ha__models[i];
    }
  }
  for (size_t i = 0; i < ha__model_total; i++) {
    const ha__model *m = ha__models[i];
    if (strcasecmp(m->info.name, name) == 0 || ha__in_list(m->info.aliases, name, 1)) {
      return m;
    }
  }
  return NULL;
}

const ha_model_info *ha_model_find(const char *name) {
  const ha__model *m = ha__model_lookup(name);
  return m ? &m->info : NULL;
}

static const ha_param_info common_params[] = {
    {.name = "rotation",
     .type = HA_PARAM_ROTATION,
     .unit = "deg",
     .min = -360000.0,
     .max = 360000.0,
     .description = "frame rotation about the pivot: Euler [rx, ry, rz] degrees, multiplied in "
                    "rotationOrder (default ZYX = Rz·Ry·Rx), or quaternion [w, x, y, z]",
     .slot = -1},
    {.name = "rotationOrder",
     .type = HA_PARAM_CHOICE,
     .unit = "",
     .def = {5}, /* ZYX: Rz·Ry·Rx, the order before this parameter existed */
     .choices = "XYZ|XZY|YXZ|YZX|ZXY|ZYX",
     .description = "order of the Euler rotation's factors, left to right as a matrix product "
                    "(XYZ = Rx·Ry·Rz; the original Animator's rotation is XZY); not with a "
                    "quaternion",
     .slot = -1},
    {.name = "scale",
     .type = HA_PARAM_SCALE,
     .unit = "",
     .def = {1, 1, 1},
     .min = -1000.0,
     .max = 1000.0,
     .description = "frame scale about the pivot: a number or [sx, sy, sz]",
     .slot = -1},
    {.name = "offset",
     .type = HA_PARAM_VEC3,
     .unit = "m",
     .min = -1e6,
     .max = 1e6,
     .description = "added to every position after rotation and scale (a formation member's "
                    "place beside the path)",
     .slot = -1},
    {.name = "offsetTurn",
     .type = HA_PARAM_VEC3,
     .unit = "deg",
     .min = -360000.0,
     .max = 360000.0,
     .description = "turns `offset` about this axis by its length in degrees over one cycle "
                    "(progress tau/T): [0, 0, 360] = once about z",
     .slot = -1},
};

const ha_param_info *ha_common_params(size_t *count) {
  if (count != NULL) {
    *count = HA__COUNTOF(common_params);
  }
  return common_params;
}

static const ha_param_info *find_in(const ha_param_info *ps, size_t n, const char *name) {
  /* The first letters compared inline first: most names differ there. */
  for (size_t i = 0; i < n; i++) {
    if ((ps[i].name[0] == name[0] && strcmp(ps[i].name, name) == 0) ||
        ha__in_list(ps[i].aliases, name, 0)) {
      return &ps[i];
    }
  }
  int c0 = tolower((unsigned char)name[0]);
  for (size_t i = 0; i < n; i++) {
    if ((tolower((unsigned char)ps[i].name[0]) == c0 && strcasecmp(ps[i].name, name) == 0) ||
        ha__in_list(ps[i].aliases, name, 1)) {
      return &ps[i];
    }
  }
  return NULL;
}

const ha_param_info *ha_model_param_find(const ha_model_info *m, const char *name) {
  if (m == NULL || name == NULL) {
    return NULL;
  }
  const ha_param_info *p = find_in(m->params, m->param_count, name);
  return p ? p : find_in(common_params, HA__COUNTOF(common_params), name);
}

const char *ha_param_type_name(ha_param_type t) {
  switch (t) {
  case HA_PARAM_NUMBER: return "number";
  case HA_PARAM_INTEGER: return "integer";
  case HA_PARAM_VEC3: return "vec3";
  case HA_PARAM_CHOICE: return "choice";
  case HA_PARAM_BOOL: return "bool";
  case HA_PARAM_EASING: return "easing";
  case HA_PARAM_POINTS: return "points";
  case HA_PARAM_KEYFRAMES: return "keyframes";
  case HA_PARAM_ROTATION: return "rotation";
  case HA_PARAM_SCALE: return "scale";
  }
  return "unknown";
}

ha_status ha_param_choice_at(const ha_param_info *p, size_t index, char *buf, size_t cap) {
  if (p == NULL || p->choices == NULL || cap == 0) {
    return HA_ENOTFOUND;
  }
  const char *s = p->choices;
  for (size_t i = 0;; i++) {
    const char *e = strchr(s, '|');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    if (i == index) {
      if (len >= cap) {
        return HA_ENOBUFS;
      }
      memcpy(buf, s, len);
      buf[len] = '\0';
      return HA_OK;
    }
    if (e == NULL) {
      return HA_ENOTFOUND;
    }
    s = e + 1;
  }
}

/* Index of `name` among "a|b|c" (case-insensitive), or -1. */
static int choice_index(const char *choices, const char *name) {
  size_t n = strlen(name);
  const char *s = choices;
  for (int i = 0;; i++) {
    const char *e = strchr(s, '|');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    if (len == n && strncasecmp(s, name, n) == 0) {
      return i;
    }
    if (e == NULL) {
      return -1;
    }
    s = e + 1;
  }
}

/* ---- generic validation ---- */

static const char *kind_name(ha_value_kind k, size_t n) {
  switch (k) {
  case HA_VALUE_NUMBERS: return n == 1 ? "a number" : "a list of numbers";
  case HA_VALUE_STRING: return "a string";
  case HA_VALUE_BOOL: return "a boolean";
  case HA_VALUE_POINTS: return "a list of points";
  case HA_VALUE_KEYFRAMES: return "a list of keyframes";
  }
  return "a value";
}

static ha_status wrong_type(ha_error *err, const ha_param_info *pi, const ha__value *v,
                            const char *want) {
  char val[64];
  if (v->kind == HA_VALUE_STRING) {
    snprintf(val, sizeof(val), "%s", v->str);
  } else if (v->kind == HA_VALUE_NUMBERS) {
    ha_format_double(val, sizeof(val), v->num[0]);
  } else {
    snprintf(val, sizeof(val), "%s", kind_name(v->kind, v->n));
  }
  return ha__error_invalid(err, HA_CATEGORY_MODEL, pi->name, val, "expected %s, got %s", want,
                           kind_name(v->kind, v->n));
}

static ha_status check_number(ha_error *err, const char *name, double x, double min, double max) {
  if (!isfinite(x)) {
    char val[32];
    ha_format_double(val, sizeof(val), x);
    return ha__error_invalid(err, HA_CATEGORY_MODEL, name, val, "%s is not a finite number", val);
  }
  if (x < min || x > max) {
    return ha__error_bounds(err, HA_CATEGORY_MODEL, name, x, min, max);
  }
  return HA_OK;
}

/* What check_number accepts. */
static int in_range(double x, double min, double max) {
  return isfinite(x) && x >= min && x <= max;
}

static ha_status check_vec3(ha_error *err, const char *name, const double *v, double min,
                            double max) {
  static const char axes[3] = {'x', 'y', 'z'};
  for (int i = 0; i < 3; i++) {
    if (in_range(v[i], min, max)) {
      continue; /* the name is only for the message */
    }
    char nm[96];
    snprintf(nm, sizeof(nm), "%s.%c", name, axes[i]);
    ha_status st = check_number(err, nm, v[i], min, max);
    if (st != HA_OK) {
      return st;
    }
  }
  return HA_OK;
}

/* ---- one declared parameter, by kind ----
 * The slot readers (number, vec3, choice, bool, easing) get the value the
 * user gave and store it into the parameter's slot; parse_one applies the
 * declared default when it was left out. The list readers get NULL then and
 * fall back to the model's default list. */

static ha_status param_read_number(double *slot, const ha_param_info *pi, const ha__value *v,
                                   ha_error *err) {
  if (v->kind == HA_VALUE_NUMBERS && v->n == 3 && (pi->flags & HA_PARAM_F_VEC3_OK)) {
    /* A vector where a magnitude is wanted: its length, checked twice. */
    ha_status st = check_vec3(err, pi->name, v->num, -pi->max, pi->max);
    if (st == HA_OK) {
      *slot = sqrt(v->num[0] * v->num[0] + v->num[1] * v->num[1] + v->num[2] * v->num[2]);
      st = check_number(err, pi->name, *slot, pi->min, pi->max);
    }
    return st;
  }
  if (v->kind != HA_VALUE_NUMBERS || v->n != 1) {
    return wrong_type(err, pi, v, pi->type == HA_PARAM_INTEGER ? "a whole number" : "a number");
  }
  if (pi->type == HA_PARAM_INTEGER && isfinite(v->num[0]) &&
      !ha__feq(v->num[0], floor(v->num[0]))) {
    char val[32];
    ha_format_double(val, sizeof(val), v->num[0]);
    return ha__error_invalid(err, HA_CATEGORY_MODEL, pi->name, val, "%s is not a whole number",
                             val);
  }
  *slot = v->num[0];
  return check_number(err, pi->name, v->num[0], pi->min, pi->max);
}

static ha_status param_read_vec3(double *slot, const ha_param_info *pi, const ha__value *v,
                                 ha_error *err) {
  if (v->kind != HA_VALUE_NUMBERS || v->n != 3) {
    return wrong_type(err, pi, v, "a point [x, y, z]");
  }
  memcpy(slot, v->num, 3 * sizeof(double));
  return check_vec3(err, pi->name, v->num, pi->min, pi->max);
}

static ha_status param_read_choice(double *slot, const ha_param_info *pi, const ha__value *v,
                                   ha_error *err) {
  if (v->kind != HA_VALUE_STRING) {
    char want[160];
    snprintf(want, sizeof(want), "one of %s", pi->choices);
    return wrong_type(err, pi, v, want);
  }
  int idx = choice_index(pi->choices, v->str);
  if (idx < 0) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, pi->name, v->str, "'%s' is not one of %s",
                             v->str, pi->choices);
  }
  *slot = (double)idx;
  return HA_OK;
}

static ha_status param_read_bool(double *slot, const ha_param_info *pi, const ha__value *v,
                                 ha_error *err) {
  if (v->kind == HA_VALUE_BOOL) {
    *slot = v->b ? 1.0 : 0.0;
    return HA_OK;
  }
  if (v->kind == HA_VALUE_NUMBERS && v->n == 1 &&
      (ha__feq(v->num[0], 0.0) || ha__feq(v->num[0], 1.0))) {
    *slot = v->num[0];
    return HA_OK;
  }
  return wrong_type(err, pi, v, "true or false");
}

static ha_status param_read_easing(double *slot, const ha_param_info *pi, const ha__value *v,
                                   ha_error *err) {
  if (v->kind != HA_VALUE_STRING) {
    return wrong_type(err, pi, v, "an easing name");
  }
  ha_easing e = HA_EASE_LINEAR;
  ha_status st = ha_easing_parse(v->str, &e, pi->name, err);
  *slot = (double)e;
  return st;
}

/* A list parameter's length n against its declared [min, max]; `what` names
 * the items ("points", "keyframes") in the message. */
static ha_status check_list_length(ha_error *err, const ha_param_info *pi, size_t n,
                                   const char *what) {
  if ((double)n < pi->min || (double)n > pi->max) {
    char val[32];
    snprintf(val, sizeof(val), "%zu %s", n, what);
    return ha__error_invalid(err, HA_CATEGORY_MODEL, pi->name, val,
                             "needs between %g and %g %s, got %zu", pi->min, pi->max, what, n);
  }
  return HA_OK;
}

/* A list of points (given, else the model's default list) → d->pts. */
static ha_status param_read_points(ha__motion_data *d, const ha__model *m, const ha_param_info *pi,
                                   const ha__value *v, ha_error *err) {
  const ha_vec3 *src = m->default_pts;
  size_t n = m->default_npts;
  if (v != NULL) {
    if (v->kind != HA_VALUE_POINTS) {
      return wrong_type(err, pi, v, "a list of points [[x, y, z], ...]");
    }
    src = v->pts;
    n = v->n;
  }
  if (v == NULL && n == 0) {
    return HA_OK; /* optional list left out; prepare decides */
  }
  ha_status st = check_list_length(err, pi, n, "points");
  for (size_t i = 0; st == HA_OK && i < n; i++) {
    if (in_range(src[i].x, -HA__POS_MAX, HA__POS_MAX) &&
        in_range(src[i].y, -HA__POS_MAX, HA__POS_MAX) &&
        in_range(src[i].z, -HA__POS_MAX, HA__POS_MAX)) {
      continue; /* the name is only for the message */
    }
    char nm[96];
    snprintf(nm, sizeof(nm), "%s[%zu]", pi->name, i);
    double c[3] = {src[i].x, src[i].y, src[i].z};
    st = check_vec3(err, nm, c, -HA__POS_MAX, HA__POS_MAX);
  }
  if (st != HA_OK) {
    return st;
  }
  d->pts = malloc(n * sizeof(ha_vec3));
  if (d->pts == NULL) {
    return HA_ENOMEM;
  }
  memcpy(d->pts, src, n * sizeof(ha_vec3));
  d->npts = n;
  return HA_OK;
}

/* Keyframe i of src: time within [0, duration] and not before its
 * predecessor's, a known easing, a position in range. */
static ha_status check_keyframe(ha_error *err, const ha_param_info *pi, const ha_keyframe *src,
                                size_t i, double duration) {
  const ha_keyframe *k = &src[i];
  if (in_range(k->time, 0.0, duration) && (i == 0 || k->time >= src[i - 1].time) &&
      (int)k->easing >= 0 && k->easing < HA_EASE_COUNT &&
      in_range(k->position.x, -HA__POS_MAX, HA__POS_MAX) &&
      in_range(k->position.y, -HA__POS_MAX, HA__POS_MAX) &&
      in_range(k->position.z, -HA__POS_MAX, HA__POS_MAX)) {
    return HA_OK; /* what the checks below pass, without naming it first */
  }
  char nm[96];
  snprintf(nm, sizeof(nm), "%s[%zu].time", pi->name, i);
  ha_status st = check_number(err, nm, src[i].time, 0.0, duration);
  if (st == HA_OK && i > 0 && src[i].time < src[i - 1].time) {
    char val[32];
    ha_format_double(val, sizeof(val), src[i].time);
    st = ha__error_invalid(err, HA_CATEGORY_MODEL, nm, val,
                           "keyframe times must not decrease (%s after %g)", val, src[i - 1].time);
  }
  if (st == HA_OK && ((int)src[i].easing < 0 || src[i].easing >= HA_EASE_COUNT)) {
    snprintf(nm, sizeof(nm), "%s[%zu].easing", pi->name, i);
    st = ha__error_invalid(err, HA_CATEGORY_MODEL, nm, "?", "unknown easing");
  }
  if (st == HA_OK) {
    snprintf(nm, sizeof(nm), "%s[%zu].position", pi->name, i);
    double c[3] = {src[i].position.x, src[i].position.y, src[i].position.z};
    st = check_vec3(err, nm, c, -HA__POS_MAX, HA__POS_MAX);
  }
  return st;
}

/* A list of keyframes (given, else the model's default list) → d->keys. */
static ha_status param_read_keyframes(ha__motion_data *d, const ha__model *m,
                                      const ha_param_info *pi, const ha__value *v, ha_error *err) {
  const ha_keyframe *src = m->default_keys;
  size_t n = m->default_nkeys;
  if (v != NULL) {
    if (v->kind != HA_VALUE_KEYFRAMES) {
      return wrong_type(err, pi, v, "a list of keyframes [{time, position}, ...]");
    }
    src = v->keys;
    n = v->n;
  }
  ha_status st = check_list_length(err, pi, n, "keyframes");
  for (size_t i = 0; st == HA_OK && i < n; i++) {
    st = check_keyframe(err, pi, src, i, d->timing.duration);
  }
  if (st != HA_OK) {
    return st;
  }
  d->keys = malloc((n ? n : 1) * sizeof(ha_keyframe));
  if (d->keys == NULL) {
    return HA_ENOMEM;
  }
  if (n > 0) {
    memcpy(d->keys, src, n * sizeof(ha_keyframe));
  }
  d->nkeys = n;
  return HA_OK;
}

/* Slots a parameter kind fills: 3 for a vec3, 1 for the other slot kinds, 0
 * for the lists and the frame transform (not stored in slots). */
static size_t slot_width(ha_param_type type) {
  switch (type) {
  case HA_PARAM_VEC3: return 3;
  case HA_PARAM_NUMBER:
  case HA_PARAM_INTEGER:
  case HA_PARAM_CHOICE:
  case HA_PARAM_BOOL:
  case HA_PARAM_EASING: return 1;
  case HA_PARAM_POINTS:
  case HA_PARAM_KEYFRAMES:
  case HA_PARAM_ROTATION:
  case HA_PARAM_SCALE: break;
  }
  return 0;
}

/* Read, check and store one declared parameter of model m. */
static ha_status parse_one(ha__motion_data *d, const ha__model *m, const ha_param_info *pi,
                           const ha_params *raw, ha_error *err) {
  ha__value given;
  const ha__value *v = ha__params_get(raw, pi, &given) ? &given : NULL;
  double *slot = pi->slot >= 0 ? &d->s[pi->slot] : NULL;
  size_t width = slot_width(pi->type);
  if (v == NULL && width > 0) {
    memcpy(slot, pi->def, width * sizeof(double)); /* left out: the declared default */
    return HA_OK;
  }
  switch (pi->type) {
  case HA_PARAM_NUMBER:
  case HA_PARAM_INTEGER: return param_read_number(slot, pi, v, err);
  case HA_PARAM_VEC3: return param_read_vec3(slot, pi, v, err);
  case HA_PARAM_CHOICE: return param_read_choice(slot, pi, v, err);
  case HA_PARAM_BOOL: return param_read_bool(slot, pi, v, err);
  case HA_PARAM_EASING: return param_read_easing(slot, pi, v, err);
  case HA_PARAM_POINTS: return param_read_points(d, m, pi, v, err);
  case HA_PARAM_KEYFRAMES: return param_read_keyframes(d, m, pi, v, err);
  case HA_PARAM_ROTATION:
  case HA_PARAM_SCALE: break;
  }
  return HA_OK;
}

/* Euler angles in degrees as the product of the three axis rotations in the
 * order's letters, left to right ("XZY" = Rx·Rz·Ry: y turns first). Grouped
 * q0·(q1·q2) so that the default ZYX is bit for bit ha_quat_from_euler_deg. */
static ha_quat euler_quat(const double deg[3], const char *order) {
  ha_quat f[3];
  for (int i = 0; i < 3; i++) {
    int axis = order[i] - 'X';
    ha_vec3 n = ha_vec3_make(axis == 0, axis == 1, axis == 2);
    f[i] = ha_quat_axis_angle(n, ha_deg2rad(deg[axis]));
  }
  return ha_quat_mul(f[0], ha_quat_mul(f[1], f[2]));
}

/* `rotation` (Euler in `rotationOrder`, or a quaternion) → *q; *given when
 * the user gave a rotation. */
static ha_status parse_rotation(const ha__motion_data *d, const ha_params *raw, ha_quat *q,
                                int *given, ha_error *err) {
  const ha_param_info *rot = &common_params[0], *ord = &common_params[1];
  ha__value v, o;
  double order_index = ord->def[0];
  int has_order = ha__params_get(raw, ord, &o);
  if (has_order) {
    ha_status st = param_read_choice(&order_index, ord, &o, err);
    if (st != HA_OK) {
      return st;
    }
  }
  /* A model that declares its own `rotation` owns that name: the frame
   * transform then does not read it, and an order would have nothing to
   * order. */
  const ha_model_info *mi = &d->model->info;
  if (find_in(mi->params, mi->param_count, rot->name) != NULL) {
    return has_order ? ha__error_invalid(err, HA_CATEGORY_MODEL, ord->name, o.str,
                                         "model %s has no frame rotation to order", mi->name)
                     : HA_OK;
  }
  *given = ha__params_get(raw, rot, &v);
  if (!*given) {
    return HA_OK;
  }
  if (v.kind != HA_VALUE_NUMBERS || (v.n != 3 && v.n != 4)) {
    return wrong_type(err, rot, &v, "[rx, ry, rz] degrees or a quaternion [w, x, y, z]");
  }
  for (size_t i = 0; i < v.n; i++) {
    char nm[32];
    snprintf(nm, sizeof(nm), "rotation[%zu]", i);
    ha_status st = check_number(err, nm, v.num[i], rot->min, rot->max);
    if (st != HA_OK) {
      return st;
    }
  }
  if (v.n == 3) {
    static const char *const orders[] = {"XYZ", "XZY", "YXZ", "YZX", "ZXY", "ZYX"};
    *q = euler_quat(v.num, orders[(size_t)order_index]);
    return HA_OK;
  }
  if (has_order) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, ord->name, o.str,
                             "'%s' orders Euler angles only; rotation is a quaternion "
                             "[w, x, y, z] here: leave rotationOrder out",
                             o.str);
  }
  ha_quat in = {v.num[0], v.num[1], v.num[2], v.num[3]};
  double n2 = in.w * in.w + in.x * in.x + in.y * in.y + in.z * in.z;
  if (!(n2 > 1e-12)) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "rotation", "[0, 0, 0, 0]",
                             "a quaternion must not be zero");
  }
  *q = ha_quat_normalize(in);
  return HA_OK;
}

/* rotation, rotationOrder and scale → d->xf = R·diag(scale), d->rot = R. */
static ha_status parse_frame(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  ha__value v;
  ha_quat q = ha_quat_identity();
  ha_vec3 sc = ha_vec3_make(1, 1, 1);
  const ha_param_info *scl = &common_params[2];
  int any = 0;
  ha_status rst = parse_rotation(d, raw, &q, &any, err);
  if (rst != HA_OK) {
    return rst;
  }
  /* A model that declares its own `scale` (perlin-noise's amplitude) owns
   * that name: the frame transform then does not read it too. */
  const ha_model_info *mi = &d->model->info;
  int own_scl = find_in(mi->params, mi->param_count, scl->name) != NULL;
  if (!own_scl && ha__params_get(raw, scl, &v)) {
    if (v.kind != HA_VALUE_NUMBERS || (v.n != 1 && v.n != 3)) {
      return wrong_type(err, scl, &v, "a number or [sx, sy, sz]");
    }
    double c[3] = {v.num[0], v.n == 3 ? v.num[1] : v.num[0], v.n == 3 ? v.num[2] : v.num[0]};
    ha_status st = v.n == 3 ? check_vec3(err, "scale", c, scl->min, scl->max)
                            : check_number(err, "scale", c[0], scl->min, scl->max);
    if (st != HA_OK) {
      return st;
    }
    sc = ha_vec3_make(c[0], c[1], c[2]);
    any = 1;
  }
  static const char *const offk[2] = {"offset", "offsetTurn"};
  ha_vec3 *offv[2] = {&d->off, &d->off_turn};
  for (int k = 0; k < 2; k++) {
    const ha_param_info *pi = &common_params[3 + k];
    if (!ha__params_get(raw, pi, &v)) {
      continue;
    }
    if (v.kind != HA_VALUE_NUMBERS || v.n != 3) {
      return wrong_type(err, pi, &v, "[x, y, z]");
    }
    ha_status st = check_vec3(err, offk[k], v.num, pi->min, pi->max);
    if (st != HA_OK) {
      return st;
    }
    *offv[k] = ha_vec3_make(v.num[0], v.num[1], v.num[2]);
    d->has_off = 1;
  }
  /* The turn's unit axis and rate, once (as ha_quat_axis_angle: same bits) */
  d->off_axis = ha_vec3_normalize(d->off_turn);
  if (ha_vec3_dot(d->off_axis, d->off_axis) < 0.5) {
    d->off_axis = ha_vec3_zero();
  }
  d->off_deg = ha_vec3_len(d->off_turn);
  d->rot = q;
  d->xf = ha_mat3_from_quat(q);
  for (int r = 0; r < 3; r++) {
    d->xf.m[r][0] *= sc.x;
    d->xf.m[r][1] *= sc.y;
    d->xf.m[r][2] *= sc.z;
  }
  d->has_xf = any;
  return HA_OK;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) {
    h = (h ^ b[i]) * 0x100000001b3ull;
  }
  return h;
}

ha_status ha__motion_data_check(ha__motion_data *d, const ha__model *m, const ha_params *raw,
                                const ha_timing *timing, ha_error *err) {
  memset(d, 0, sizeof(*d));
  d->model = m;
  d->timing = timing ? *timing : ha_timing_default();
  ha_status st = ha_timing_validate(&d->timing, err);
  /* Every user-given name must be known to this model. */
  for (size_t i = 0; st == HA_OK && raw != NULL && i < ha_params_count(raw); i++) {
    const char *name = ha_params_name_at(raw, i, NULL);
    if (ha_model_param_find(&m->info, name) == NULL) {
      char known[400];
      size_t k = 0;
      known[0] = '\0';
      for (size_t j = 0; j < m->info.param_count && k + 2 < sizeof(known); j++) {
        int w =
            snprintf(known + k, sizeof(known) - k, "%s%s", j ? ", " : "", m->info.params[j].name);
        k += w > 0 ? (size_t)w : 0;
      }
      st = ha__error_invalid(
          err, HA_CATEGORY_MODEL, name, name,
          "unknown parameter for model %s (known: %s, rotation, rotationOrder, scale, "
          "offset, offsetTurn)",
          m->info.name, known);
    }
  }
  for (size_t i = 0; st == HA_OK && i < m->info.param_count; i++) {
    st = parse_one(d, m, &m->info.params[i], raw, err);
  }
  if (st == HA_OK) {
    st = parse_frame(d, raw, err);
  }
  if (st == HA_OK && m->prepare != NULL) {
    st = m->prepare(d, raw, err);
  }
  if (st != HA_OK) {
    ha__motion_data_free(d);
  }
  return st;
}

ha_status ha__motion_data_build(ha__motion_data *d, const ha__model *m, const ha_params *raw,
                                const ha_timing *timing, ha_error *err) {
  ha_status st = ha__motion_data_check(d, m, raw, timing, err);
  if (st != HA_OK) {
    return st;
  }
  if (m->seam == HA__SEAM_BLEND && ha__seamless(d)) {
    double T = d->timing.duration, w = HA__SEAM_WINDOW_FRACTION * T;
    d->seam_window = w < HA__SEAM_WINDOW_MAX ? w : HA__SEAM_WINDOW_MAX;
    d->seam_from = T - d->seam_window;
  }
  uint64_t h = 0xcbf29ce484222325ull;
  h = fnv(h, m->info.name, strlen(m->info.name));
  h = fnv(h, d->s, sizeof(d->s));
  h = fnv(h, &d->timing.duration, sizeof(double));
  h = fnv(h, &d->xf, sizeof(d->xf));
  h = fnv(h, &d->off, sizeof(d->off));
  h = fnv(h, &d->off_turn, sizeof(d->off_turn));
  if (d->npts) {
    h = fnv(h, d->pts, d->npts * sizeof(ha_vec3));
  }
  if (d->nkeys) {
    h = fnv(h, d->keys, d->nkeys * sizeof(ha_keyframe));
  }
  d->tag = h | 1u; /* never 0: 0 marks an empty cache */
  return HA_OK;
}

void ha__motion_data_free(ha__motion_data *d) {
  free(d->pts);
  free(d->keys);
  free(d->aux);
  d->pts = NULL;
  d->keys = NULL;
  d->aux = NULL;
  d->npts = d->nkeys = d->naux = 0;
}

ha_vec3 ha__motion_data_pivot(const ha__motion_data *d) {
  return d->model->pivot ? d->model->pivot(d) : ha__slot_vec3(d, 0);
}

ha_vec3 ha__motion_data_eval(const ha__motion_data *d, double tau, double cycle, uint32_t track,
                             ha_motion_state *state) {
  ha__eval ev = {tau, tau / d->timing.duration, d->timing.duration, cycle, track, state};
  if (state != NULL && state->tag != d->tag) {
    ha_motion_state_reset(state);
  }
  ha_vec3 p = d->model->local(d, &ev);
  if (d->seam_window > 0.0 && tau > d->seam_from) {
    /* Blended wrap: ease into the next cycle's start with the C1 weight
     * w = u²(3 − 2u), so the position meets it at τ = T with zero velocity
     * (the blended models start at rest) and leaves the path with its own. */
    ha__eval ev0 = {0.0, 0.0, d->timing.duration, cycle + 1.0, track, NULL};
    double u = (tau - d->seam_from) / d->seam_window;
    u = u > 1.0 ? 1.0 : u;
    p = ha_vec3_lerp(p, d->model->local(d, &ev0), u * u * (3.0 - 2.0 * u));
  }
  if (d->has_xf) {
    ha_vec3 pv = ha__motion_data_pivot(d);
    p = ha_vec3_add(pv, ha_mat3_apply(&d->xf, ha_vec3_sub(p, pv)));
  }
  if (d->has_off) {
    /* offset, turned about offsetTurn by |offsetTurn| degrees per cycle */
    ha_vec3 o = d->off;
    if (d->off_deg > 0.0 && ha_vec3_dot(d->off_axis, d->off_axis) > 0.0) {
      double half = 0.5 * ha_deg2rad(d->off_deg * ev.p), s = sin(half);
      ha_quat q = {cos(half), d->off_axis.x * s, d->off_axis.y * s, d->off_axis.z * s};
      ha_mat3 r = ha_mat3_from_quat(q);
      o = ha_mat3_apply(&r, o);
    }
    p = ha_vec3_add(p, o);
  }
  if (state != NULL) {
    state->tag = d->tag;
  }
  return p;
}

void ha_motion_state_reset(ha_motion_state *s) {
  if (s != NULL) {
    memset(s, 0, sizeof(*s));
  }
}

/* ---- helpers shared by the model files ---- */

uint64_t ha__noise_prefix(uint64_t seed, uint64_t a, uint64_t b) {
  return ha__noise_hash3(seed, a, b);
}
uint64_t ha__noise_last(uint64_t h3, uint64_t c) {
  return ha__noise_hash_last(h3, c);
}

double ha__waveform(int wave, double alpha) {
  switch (wave) {
  case 1: {
    /* (2/π)·asin(sin α), folded exactly: asin(sin α) near a peak loses
     * half the digits (sin α rounds to 1 up to 1e-8 rad from it). */
    double x = alpha / HA_TAU + 0.25;
    return 1.0 - 4.0 * fabs((x - floor(x)) - 0.5);
  }
  case 2: return sin(alpha) >= 0.0 ? 1.0 : -1.0;
  case 3: {
    double x = alpha / HA_TAU;
    return 2.0 * (x - floor(x)) - 1.0;
  }
  default: return sin(alpha);
  }
}

ha_status ha__aux_alloc(ha__motion_data *d, size_t n) {
  d->aux = malloc(n * sizeof(double));
  d->naux = d->aux != NULL ? n : 0;
  return d->aux != NULL ? HA_OK : HA_ENOMEM;
}

ha_status ha__unit_direction(ha_vec3 v, const char *name, const char *shown, const char *why,
                             ha_vec3 *dir, ha_error *err) {
  *dir = ha_vec3_normalize(v);
  if (ha_vec3_dot(*dir, *dir) < 0.5) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, name, shown, "%s", why);
  }
  return HA_OK;
}

ha_status ha__slot_direction(const ha__motion_data *d, int from, int to, const char *to_name,
                             const char *why, ha_vec3 *dir, ha_error *err) {
  ha_vec3 end = ha__slot_vec3(d, to);
  char shown[100];
  ha__format_vec3(shown, sizeof(shown), end);
  return ha__unit_direction(ha_vec3_sub(end, ha__slot_vec3(d, from)), to_name, shown, why, dir,
                            err);
}

void ha__format_vec3(char *buf, size_t cap, ha_vec3 v) {
  char x[32], y[32], z[32];
  ha_format_double(x, sizeof(x), v.x);
  ha_format_double(y, sizeof(y), v.y);
  ha_format_double(z, sizeof(z), v.z);
  snprintf(buf, cap, "[%s, %s, %s]", x, y, z);
}
