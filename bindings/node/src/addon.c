/* holoanim Node addon: module init, per-environment state, errors and the
 * conversions every module shares.
 *
 * The module is context-aware (NAPI_MODULE_INIT): each environment (main
 * thread, every worker) gets its own ha_node_instance through
 * napi_set_instance_data, freed by its finalizer; an environment cleanup
 * hook closes the players left open when the environment goes away, so a
 * worker that exits (or a process that ends) never waits on our threads.
 *
 * Errors: the JS class HoloanimError is defined in index.js (extending Error
 * is natural there and awkward in C) and registered once per environment
 * with `_init`; the C side builds instances of it with code (the stable
 * ha_status_name), message, recoverable, kind and the detail fields.
 *
 * Methods: each class lists its methods in an ha_node_method table (name,
 * body, a per-method constant, flags) and defines them through one
 * trampoline that unwraps `this` (type-tagged), runs the class's checks and
 * calls the body with the arguments (ha_node_method_call). Module
 * functions have no receiver to check: they are plain napi_callback
 * functions listed in napi_property_descriptor arrays. Rejected: one N-API
 * callback per class method, which repeated the receiver code in every one
 * of them. */
#include "addon.h"

#include <math.h>
#include <stdarg.h>
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define HA_NODE_HAVE_MALLINFO2 1
#else
#define HA_NODE_HAVE_MALLINFO2 0
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- checking ---------------------------------------------------------------- */

napi_value ha_node_napi_fail(napi_env env, napi_status status, const char *call, int line) {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {
    return NULL;
  }
  const napi_extended_error_info *info = NULL;
  const char *what = "N-API call failed";
  if (napi_get_last_error_info(env, &info) == napi_ok && info != NULL &&
      info->error_message != NULL) {
    what = info->error_message;
  }
  char msg[384];
  snprintf(msg, sizeof(msg), "holoanim addon: %s (status %d) in %.200s at line %d", what,
           (int)status, call, line);
  napi_throw_error(env, "EINTERNAL", msg);
  return NULL;
}

ha_node_instance *ha_node_instance_get(napi_env env) {
  void *data = NULL;
  if (napi_get_instance_data(env, &data) != napi_ok) {
    return NULL;
  }
  return data;
}

/* ---- errors -------------------------------------------------------------------- */

bool ha_node_set_number(napi_env env, napi_value obj, const char *key, double v) {
  napi_value n = NULL;
  NAPI_CALL_B(env, napi_create_double(env, v, &n));
  return ha_node_set_value(env, obj, key, n);
}

bool ha_node_set_string(napi_env env, napi_value obj, const char *key, const char *s) {
  napi_value v = NULL;
  NAPI_CALL_B(env, napi_create_string_utf8(env, s ? s : "", NAPI_AUTO_LENGTH, &v));
  return ha_node_set_value(env, obj, key, v);
}

bool ha_node_set_bool(napi_env env, napi_value obj, const char *key, bool b) {
  napi_value v = NULL;
  NAPI_CALL_B(env, napi_get_boolean(env, b, &v));
  return ha_node_set_value(env, obj, key, v);
}

bool ha_node_set_value(napi_env env, napi_value obj, const char *key, napi_value v) {
  NAPI_CALL_B(env, napi_set_named_property(env, obj, key, v));
  return true;
}

/* Attach the detail of `err` to the error object `e`. */
static bool fill_error(napi_env env, napi_value e, ha_status status, const ha_error *err) {
  if (!ha_node_set_string(env, e, "code", ha_status_name(status))) {
    return false;
  }
  bool recoverable = err != NULL && ha_error_is_recoverable(err);
  if (!ha_node_set_bool(env, e, "recoverable", recoverable)) {
    return false;
  }
  if (err == NULL || err->kind == HA_ERROR_NONE) {
    return true;
  }
  if (!ha_node_set_string(env, e, "kind", ha_error_kind_name(err->kind)) ||
      !ha_node_set_string(env, e, "category", ha_error_category_name(err->category))) {
    return false;
  }
  bool ok = true;
  switch (err->kind) {
  case HA_ERROR_INVALID_PARAMETER:
    if (err->name[0]) {
      ok = ok && ha_node_set_string(env, e, "parameter", err->name);
    }
    if (err->value[0]) {
      ok = ok && ha_node_set_string(env, e, "value", err->value);
    }
    if (err->reason[0]) {
      ok = ok && ha_node_set_string(env, e, "reason", err->reason);
    }
    break;
  case HA_ERROR_OUT_OF_BOUNDS: {
    if (err->name[0]) {
      ok = ok && ha_node_set_string(env, e, "parameter", err->name);
    }
    ok = ok && ha_node_set_number(env, e, "value", err->number) &&
         ha_node_set_number(env, e, "min", err->min) && ha_node_set_number(env, e, "max", err->max);
    ha_recovery rec;
    if (ok && ha_error_recovery(err, &rec) == HA_OK && rec.kind == HA_RECOVERY_CLAMP) {
      napi_value r;
      NAPI_CALL_B(env, napi_create_object(env, &r));
      ok = ha_node_set_string(env, r, "type", "clamp") &&
           ha_node_set_number(env, r, "value", rec.value) &&
           ha_node_set_value(env, e, "recovery", r);
    }
    break;
  }
  case HA_ERROR_RESOURCE_EXHAUSTED:
    if (err->name[0]) {
      ok = ok && ha_node_set_string(env, e, "resource", err->name);
    }
    ok = ok && ha_node_set_number(env, e, "limit", (double)err->limit);
    break;
  case HA_ERROR_PARSE:
    if (err->file[0]) {
      ok = ok && ha_node_set_string(env, e, "file", err->file);
    }
    if (err->line > 0) {
      ok = ok && ha_node_set_number(env, e, "line", err->line) &&
           ha_node_set_number(env, e, "column", err->column);
    }
    if (err->name[0]) {
      ok = ok && ha_node_set_string(env, e, "parameter", err->name);
    }
    break;
  case HA_ERROR_IO:
  case HA_ERROR_INTERNAL:
  case HA_ERROR_NONE:
    if (err->name[0]) {
      ok = ok && ha_node_set_string(env, e, "parameter", err->name);
    }
    break;
  }
  return ok;
}

napi_value ha_node_make_error(napi_env env, ha_status status, const ha_error *err,
                              const char *context) {
  char msg[640];
  if (err != NULL && err->message[0] != '\0') {
    snprintf(msg, sizeof(msg), "%s", err->message);
  } else if (context != NULL && context[0] != '\0') {
    snprintf(msg, sizeof(msg), "%s: %s", context, ha_strerror(status));
  } else {
    snprintf(msg, sizeof(msg), "%s", ha_strerror(status));
  }
  napi_value jsmsg, e = NULL;
  NAPI_CALL(env, napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &jsmsg));
  ha_node_instance *inst = ha_node_instance_get(env);
  napi_value ctor = NULL;
  if (inst != NULL && inst->error_ctor != NULL) {
    NAPI_CALL(env, napi_get_reference_value(env, inst->error_ctor, &ctor));
  }
  if (ctor != NULL) {
    NAPI_CALL(env, napi_new_instance(env, ctor, 1, &jsmsg, &e));
  } else {
    NAPI_CALL(env, napi_create_error(env, NULL, jsmsg, &e));
  }
  if (!fill_error(env, e, status, err)) {
    return NULL;
  }
  return e;
}

napi_value ha_node_throw_value(napi_env env, napi_value e) {
  if (e != NULL) {
    napi_throw(env, e);
  }
  return NULL;
}

napi_value ha_node_throw(napi_env env, ha_status status, const ha_error *err, const char *context) {
  return ha_node_throw_value(env, ha_node_make_error(env, status, err, context));
}

napi_value ha_node_throw_message(napi_env env, ha_status status, const char *fmt, ...) {
  ha_error err;
  ha_error_clear(&err);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err.message, sizeof(err.message), fmt, ap);
  va_end(ap);
  return ha_node_throw(env, status, &err, NULL);
}

napi_value ha_node_js_error(napi_env env, ha_node_js_error_kind kind, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && !pending) {
    if (kind == HA_NODE_RANGE_ERROR) {
      napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
    } else {
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
    }
  }
  return NULL;
}

bool ha_node_construct(napi_env env, napi_callback_info info, const char *cls, size_t *argc,
                       napi_value *argv, napi_value *self) {
  napi_value target;
  NAPI_CALL_B(env, napi_get_cb_info(env, info, argc, argv, self, NULL));
  NAPI_CALL_B(env, napi_get_new_target(env, info, &target));
  if (target == NULL) {
    ha_node_type_error(env, "Class constructor %s cannot be invoked without 'new'", cls);
    return false;
  }
  return true;
}

napi_value ha_node_string_take(napi_env env, char *s, size_t len) {
  napi_value r;
  napi_status made = napi_create_string_utf8(env, s, len, &r);
  free(s);
  NAPI_CALL(env, made);
  return r;
}

bool ha_node_typedarray(napi_env env, napi_value v, napi_typedarray_type *type, size_t *len,
                        void **data) {
  bool is = false;
  return v != NULL && napi_is_typedarray(env, v, &is) == napi_ok && is &&
         napi_get_typedarray_info(env, v, type, len, data, NULL, NULL) == napi_ok;
}

/* ---- receivers and async work ----------------------------------------------------- */

/* The native object `this` wraps when it carries `tag` (argc/argv as
 * napi_get_cb_info; *data the method's descriptor data), or NULL with a
 * TypeError "the receiver must be a <cls>". */
static void *unwrap_this(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv,
                         void **data, const napi_type_tag *tag, const char *cls) {
  napi_value self;
  if (napi_get_cb_info(env, info, argc, argv, &self, data) != napi_ok) {
    ha_node_napi_fail(env, napi_generic_failure, "napi_get_cb_info", __LINE__);
    return NULL;
  }
  bool tagged = false;
  void *native = NULL;
  if (!ha_node_is_type(env, self, napi_object) ||
      napi_check_object_type_tag(env, self, tag, &tagged) != napi_ok || !tagged ||
      napi_unwrap(env, self, &native) != napi_ok) {
    ha_node_type_error(env, "the receiver must be a %s", cls);
    return NULL;
  }
  return native;
}

napi_value ha_node_method_call(napi_env env, napi_callback_info info, const napi_type_tag *tag,
                               const char *cls,
                               bool (*ready)(napi_env env, const ha_node_call *c)) {
  ha_node_call c;
  void *data = NULL;
  c.argc = HA_NODE_MAX_ARGS;
  c.self = unwrap_this(env, info, &c.argc, c.argv, &data, tag, cls);
  c.method = data;
  if (c.argc > HA_NODE_MAX_ARGS) {
    c.argc = HA_NODE_MAX_ARGS; /* napi_get_cb_info reports all; only these were read */
  }
  if (c.self == NULL || (ready != NULL && !ready(env, &c))) {
    return NULL;
  }
  return c.method->fn(env, &c);
}

bool ha_node_method_props(napi_env env, const ha_node_method *list, size_t n,
                          napi_callback trampoline, napi_property_descriptor *out, size_t *count,
                          size_t cap) {
  if (n > cap - *count) {
    napi_throw_error(env, "EINTERNAL", "holoanim addon: a class has more methods than its table");
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    bool getter = (list[i].flags & HA_NODE_GETTER) != 0;
    napi_property_descriptor d = {
        list[i].name, NULL, getter ? NULL : trampoline, getter ? trampoline : NULL, NULL, NULL,
        (list[i].flags & HA_NODE_ENUMERABLE) ? napi_enumerable : napi_default,
        /* never written through: the cast drops const */
        (void *)&list[i]};
    out[(*count)++] = d;
  }
  return true;
}

napi_status ha_node_queue_work(napi_env env, const char *name, napi_async_execute_callback execute,
                               napi_async_complete_callback complete, void *data,
                               napi_async_work *work) {
  napi_value resource_name;
  napi_status s = napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource_name);
  if (s == napi_ok) {
    s = napi_create_async_work(env, NULL, resource_name, execute, complete, data, work);
  }
  if (s == napi_ok) {
    s = napi_queue_async_work(env, *work);
    if (s != napi_ok) {
      napi_delete_async_work(env, *work);
    }
  }
  return s;
}

void ha_node_settle(napi_env env, napi_deferred deferred, napi_value v, bool ok) {
  if (v == NULL) {
    ok = false;
    if (napi_get_and_clear_last_exception(env, &v) != napi_ok) {
      return;
    }
  }
  if (ok) {
    napi_resolve_deferred(env, deferred, v);
  } else {
    napi_reject_deferred(env, deferred, v);
  }
}

/* ---- argument helpers ----------------------------------------------------------- */

static const char *type_name(napi_valuetype t) {
  switch (t) {
  case napi_undefined: return "undefined";
  case napi_null: return "null";
  case napi_boolean: return "a boolean";
  case napi_number: return "a number";
  case napi_string: return "a string";
  case napi_symbol: return "a symbol";
  case napi_object: return "an object";
  case napi_function: return "a function";
  case napi_external: return "an external";
  case napi_bigint: return "a bigint";
  }
  return "an unknown value";
}

static const char *describe_value(napi_env env, napi_value v) {
  napi_valuetype t = napi_undefined;
  if (v == NULL || napi_typeof(env, v, &t) != napi_ok) {
    return "undefined";
  }
  if (t == napi_object) {
    bool arr = false;
    napi_is_array(env, v, &arr);
    if (arr) {
      return "an array";
    }
  }
  return type_name(t);
}

bool ha_node_is_type(napi_env env, napi_value v, napi_valuetype t) {
  napi_valuetype vt;
  return v != NULL && napi_typeof(env, v, &vt) == napi_ok && vt == t;
}

bool ha_node_is_nullish(napi_env env, napi_value v) {
  napi_valuetype vt;
  if (v == NULL || napi_typeof(env, v, &vt) != napi_ok) {
    return true;
  }
  return vt == napi_undefined || vt == napi_null;
}

bool ha_node_get_number(napi_env env, napi_value v, const char *what, double *out) {
  if (!ha_node_is_type(env, v, napi_number)) {
    ha_node_type_error(env, "%s must be a number, got %s", what, describe_value(env, v));
    return false;
  }
  double d;
  NAPI_CALL_B(env, napi_get_value_double(env, v, &d));
  if (!isfinite(d)) {
    char got[32];
    ha_node_format_number(d, got, sizeof(got));
    ha_node_range_error(env, "%s must be a finite number, got %s", what, got);
    return false;
  }
  *out = d;
  return true;
}

void ha_node_format_number(double d, char *buf, size_t cap) {
  if (isnan(d)) {
    snprintf(buf, cap, "NaN");
  } else if (isinf(d)) {
    snprintf(buf, cap, "%sInfinity", d < 0.0 ? "-" : "");
  } else {
    snprintf(buf, cap, "%.17g", d);
  }
}

bool ha_node_get_number_in(napi_env env, napi_value v, const char *what, double min, double max,
                           double *out) {
  double d;
  if (!ha_node_get_number(env, v, what, &d)) {
    return false;
  }
  if (!(d >= min && d <= max)) {
    char got[32];
    ha_node_format_number(d, got, sizeof(got));
    ha_node_range_error(env, "%s must be in [%g, %g], got %s", what, min, max, got);
    return false;
  }
  *out = d;
  return true;
}

bool ha_node_get_u32(napi_env env, napi_value v, const char *what, uint32_t min, uint32_t max,
                     uint32_t *out) {
  double d;
  if (!ha_node_get_number(env, v, what, &d)) {
    return false;
  }
  /* floor(d) < d || floor(d) > d: not a whole number (no float ==). */
  if (floor(d) < d || d < (double)min || d > (double)max) {
    ha_node_range_error(env, "%s must be a whole number in [%u, %u], got %g", what, min, max, d);
    return false;
  }
  *out = (uint32_t)d;
  return true;
}

bool ha_node_get_bool(napi_env env, napi_value v, const char *what, bool *out) {
  if (!ha_node_is_type(env, v, napi_boolean)) {
    ha_node_type_error(env, "%s must be a boolean, got %s", what, describe_value(env, v));
    return false;
  }
  NAPI_CALL_B(env, napi_get_value_bool(env, v, out));
  return true;
}

bool ha_node_get_string(napi_env env, napi_value v, const char *what, char *buf, size_t cap) {
  if (!ha_node_is_type(env, v, napi_string)) {
    ha_node_type_error(env, "%s must be a string, got %s", what, describe_value(env, v));
    return false;
  }
  size_t len = 0;
  NAPI_CALL_B(env, napi_get_value_string_utf8(env, v, NULL, 0, &len));
  if (len + 1 > cap) {
    ha_node_range_error(env, "%s is too long (%zu bytes, at most %zu)", what, len, cap - 1);
    return false;
  }
  NAPI_CALL_B(env, napi_get_value_string_utf8(env, v, buf, cap, &len));
  return true;
}

char *ha_node_get_text(napi_env env, napi_value v, const char *what, size_t *len) {
  if (!ha_node_is_type(env, v, napi_string)) {
    ha_node_type_error(env, "%s must be a string", what);
    return NULL;
  }
  size_t n = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &n) != napi_ok) {
    ha_node_napi_fail(env, napi_generic_failure, "napi_get_value_string_utf8", __LINE__);
    return NULL;
  }
  char *s = malloc(n + 1);
  if (s == NULL) {
    ha_node_throw(env, HA_ENOMEM, NULL, what);
    return NULL;
  }
  if (napi_get_value_string_utf8(env, v, s, n + 1, &n) != napi_ok) {
    free(s);
    ha_node_napi_fail(env, napi_generic_failure, "napi_get_value_string_utf8", __LINE__);
    return NULL;
  }
  if (len != NULL) {
    *len = n;
  }
  return s;
}

bool ha_node_get_prop(napi_env env, napi_value obj, const char *key, napi_value *out, bool *found) {
  napi_value v;
  NAPI_CALL_B(env, napi_get_named_property(env, obj, key, &v));
  *found = !ha_node_is_nullish(env, v);
  *out = v;
  return true;
}

static bool numbers_from_array(napi_env env, napi_value v, const char *what, double *out,
                               uint32_t min_len, uint32_t max_len, uint32_t *len) {
  bool arr = false;
  NAPI_CALL_B(env, napi_is_array(env, v, &arr));
  if (!arr) {
    ha_node_type_error(env, "%s must be an array of numbers, got %s", what, describe_value(env, v));
    return false;
  }
  uint32_t n;
  NAPI_CALL_B(env, napi_get_array_length(env, v, &n));
  if (n < min_len || n > max_len) {
    if (min_len == max_len) {
      ha_node_type_error(env, "%s must have %u numbers, got %u", what, min_len, n);
    } else {
      ha_node_type_error(env, "%s must have %u to %u numbers, got %u", what, min_len, max_len, n);
    }
    return false;
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    NAPI_CALL_B(env, napi_get_element(env, v, i, &e));
    char name[160];
    snprintf(name, sizeof(name), "%s[%u]", what, i);
    if (!ha_node_get_number(env, e, name, &out[i])) {
      return false;
    }
  }
  *len = n;
  return true;
}

bool ha_node_get_vec3(napi_env env, napi_value v, const char *what, ha_vec3 *out) {
  bool arr = false;
  if (v != NULL && ha_node_is_type(env, v, napi_object)) {
    NAPI_CALL_B(env, napi_is_array(env, v, &arr));
    if (!arr) {
      /* {x, y, z} */
      double c[3];
      static const char *const keys[3] = {"x", "y", "z"};
      for (int i = 0; i < 3; i++) {
        napi_value e;
        NAPI_CALL_B(env, napi_get_named_property(env, v, keys[i], &e));
        char name[160];
        snprintf(name, sizeof(name), "%s.%s", what, keys[i]);
        if (!ha_node_get_number(env, e, name, &c[i])) {
          return false;
        }
      }
      *out = (ha_vec3){c[0], c[1], c[2]};
      return true;
    }
  }
  if (!arr) {
    ha_node_type_error(env, "%s must be [x, y, z], got %s", what, describe_value(env, v));
    return false;
  }
  double c[3];
  uint32_t n;
  if (!numbers_from_array(env, v, what, c, 3, 3, &n)) {
    return false;
  }
  *out = (ha_vec3){c[0], c[1], c[2]};
  return true;
}

bool ha_node_opt_number(napi_env env, napi_value obj, const char *key, double *out) {
  napi_value v;
  bool found;
  if (!ha_node_get_prop(env, obj, key, &v, &found)) {
    return false;
  }
  return !found || ha_node_get_number(env, v, key, out);
}

bool ha_node_opt_number_in(napi_env env, napi_value obj, const char *key, double min, double max,
                           double *out) {
  napi_value v;
  bool found;
  if (!ha_node_get_prop(env, obj, key, &v, &found)) {
    return false;
  }
  return !found || ha_node_get_number_in(env, v, key, min, max, out);
}

bool ha_node_opt_bool(napi_env env, napi_value obj, const char *key, bool *out) {
  napi_value v;
  bool found;
  if (!ha_node_get_prop(env, obj, key, &v, &found)) {
    return false;
  }
  return !found || ha_node_get_bool(env, v, key, out);
}

bool ha_node_opt_u32(napi_env env, napi_value obj, const char *key, uint32_t min, uint32_t max,
                     uint32_t *out) {
  napi_value v;
  bool found;
  if (!ha_node_get_prop(env, obj, key, &v, &found)) {
    return false;
  }
  return !found || ha_node_get_u32(env, v, key, min, max, out);
}

bool ha_node_opt_string(napi_env env, napi_value obj, const char *key, char *buf, size_t cap,
                        bool *found) {
  napi_value v;
  if (!ha_node_get_prop(env, obj, key, &v, found)) {
    return false;
  }
  return !*found || ha_node_get_string(env, v, key, buf, cap);
}

bool ha_node_get_points(napi_env env, napi_value v, const char *what, ha_vec3 **out, size_t *n) {
  *out = NULL;
  *n = 0;
  napi_typedarray_type type = napi_float64_array;
  size_t count = 0;
  void *data = NULL;
  bool typed = ha_node_typedarray(env, v, &type, &count, &data);
  bool arr = false;
  if (typed) {
    if (type != napi_float64_array || count % 3 != 0) {
      ha_node_type_error(env, "%s must be a Float64Array of x, y, z triples", what);
      return false;
    }
    count /= 3;
  } else {
    if (v != NULL) {
      NAPI_CALL_B(env, napi_is_array(env, v, &arr));
    }
    if (!arr) {
      ha_node_type_error(env, "%s must be an array of [x, y, z] or a Float64Array, got %s", what,
                         describe_value(env, v));
      return false;
    }
    uint32_t len;
    NAPI_CALL_B(env, napi_get_array_length(env, v, &len));
    count = len;
  }
  ha_vec3 *pts = malloc((count ? count : 1) * sizeof(*pts));
  if (pts == NULL) {
    ha_node_throw(env, HA_ENOMEM, NULL, what);
    return false;
  }
  const double *d = data;
  for (size_t i = 0; i < count; i++) {
    napi_value e;
    char name[160];
    if (typed) {
      pts[i] = (ha_vec3){d[3 * i], d[3 * i + 1], d[3 * i + 2]};
      continue;
    }
    snprintf(name, sizeof(name), "%s[%zu]", what, i);
    if (napi_get_element(env, v, (uint32_t)i, &e) != napi_ok ||
        !ha_node_get_vec3(env, e, name, &pts[i])) {
      free(pts);
      ha_node_napi_fail(env, napi_generic_failure, "napi_get_element", __LINE__);
      return false;
    }
  }
  *out = pts;
  *n = count;
  return true;
}

/* ---- parameters ------------------------------------------------------------------- */

/* [{time, position, easing?}, ...] into a new array. */
static bool get_keyframes(napi_env env, napi_value arr, const char *name, uint32_t len,
                          ha_keyframe **out) {
  ha_keyframe *k = malloc((len ? len : 1) * sizeof(*k));
  if (k == NULL) {
    ha_node_throw(env, HA_ENOMEM, NULL, name);
    return false;
  }
  for (uint32_t i = 0; i < len; i++) {
    napi_value e, v;
    char what[160];
    bool found;
    if (napi_get_element(env, arr, i, &e) != napi_ok) {
      free(k);
      ha_node_napi_fail(env, napi_generic_failure, "napi_get_element", __LINE__);
      return false;
    }
    snprintf(what, sizeof(what), "%s[%u].time", name, i);
    if (!ha_node_get_prop(env, e, "time", &v, &found) ||
        !ha_node_get_number(env, v, what, &k[i].time)) {
      free(k);
      return false;
    }
    snprintf(what, sizeof(what), "%s[%u].position", name, i);
    if (!ha_node_get_prop(env, e, "position", &v, &found) ||
        !ha_node_get_vec3(env, v, what, &k[i].position)) {
      free(k);
      return false;
    }
    k[i].easing = HA_EASE_LINEAR;
    char ease[64];
    snprintf(what, sizeof(what), "%s[%u].easing", name, i);
    if (!ha_node_opt_string(env, e, "easing", ease, sizeof(ease), &found)) {
      free(k);
      return false;
    }
    if (found) {
      ha_error err;
      ha_status st = ha_easing_parse(ease, &k[i].easing, what, &err);
      if (st != HA_OK) {
        free(k);
        ha_node_throw(env, st, &err, what);
        return false;
      }
    }
  }
  *out = k;
  return true;
}

/* One parameter value into the set. */
static bool set_param(napi_env env, ha_params *p, const char *name, napi_value v) {
  napi_valuetype t;
  NAPI_CALL_B(env, napi_typeof(env, v, &t));
  ha_status st = HA_OK;
  char what[128];
  snprintf(what, sizeof(what), "params.%s", name);
  if (t == napi_number) {
    double d;
    if (!ha_node_get_number(env, v, what, &d)) {
      return false;
    }
    st = ha_params_set_number(p, name, d);
  } else if (t == napi_boolean) {
    bool b;
    NAPI_CALL_B(env, napi_get_value_bool(env, v, &b));
    st = ha_params_set_bool(p, name, b);
  } else if (t == napi_string) {
    char s[256];
    if (!ha_node_get_string(env, v, what, s, sizeof(s))) {
      return false;
    }
    st = ha_params_set_string(p, name, s);
  } else if (t == napi_object) {
    bool arr = false, ta = false;
    NAPI_CALL_B(env, napi_is_array(env, v, &arr));
    NAPI_CALL_B(env, napi_is_typedarray(env, v, &ta));
    if (ta) {
      ha_vec3 *pts;
      size_t n;
      if (!ha_node_get_points(env, v, what, &pts, &n)) {
        return false;
      }
      st = ha_params_set_points(p, name, pts, n);
      free(pts);
    } else if (!arr) {
      /* {x, y, z}: a vector (the v2.0 style). */
      ha_vec3 vec;
      if (!ha_node_get_vec3(env, v, what, &vec)) {
        return false;
      }
      st = ha_params_set_vec3(p, name, vec);
    } else {
      uint32_t len;
      NAPI_CALL_B(env, napi_get_array_length(env, v, &len));
      napi_value first = NULL;
      napi_valuetype ft = napi_undefined;
      bool first_arr = false;
      if (len > 0) {
        NAPI_CALL_B(env, napi_get_element(env, v, 0, &first));
        NAPI_CALL_B(env, napi_typeof(env, first, &ft));
        NAPI_CALL_B(env, napi_is_array(env, first, &first_arr));
      }
      if (len == 0 || first_arr) {
        ha_vec3 *pts;
        size_t n;
        if (!ha_node_get_points(env, v, what, &pts, &n)) {
          return false;
        }
        st = ha_params_set_points(p, name, pts, n);
        free(pts);
      } else if (ft == napi_number) {
        double nums[4];
        uint32_t n;
        if (!numbers_from_array(env, v, what, nums, 1, 4, &n)) {
          return false;
        }
        st = ha_params_set_numbers(p, name, nums, n);
      } else if (ft == napi_object) {
        ha_keyframe *k;
        if (!get_keyframes(env, v, what, len, &k)) {
          return false;
        }
        st = ha_params_set_keyframes(p, name, k, len);
        free(k);
      } else {
        ha_node_type_error(env,
                           "%s: an array must hold numbers, [x, y, z] points or "
                           "{time, position, easing} keyframes",
                           what);
        return false;
      }
    }
  } else {
    ha_node_type_error(env,
                       "%s must be a number, [x, y, z], a string, a boolean, points or "
                       "keyframes, got %s",
                       what, type_name(t));
    return false;
  }
  if (st != HA_OK) {
    ha_error err;
    ha_error_clear(&err);
    ha_node_throw(env, st, NULL, what);
    return false;
  }
  return true;
}

bool ha_node_get_params(napi_env env, napi_value obj, ha_params **out) {
  *out = NULL;
  if (!ha_node_is_type(env, obj, napi_object)) {
    ha_node_type_error(env, "params must be a plain object, got %s", describe_value(env, obj));
    return false;
  }
  bool arr = false;
  NAPI_CALL_B(env, napi_is_array(env, obj, &arr));
  if (arr) {
    ha_node_type_error(env, "params must be a plain object, got an array");
    return false;
  }
  ha_params *p = NULL;
  ha_status st = ha_params_create(&p);
  if (st != HA_OK) {
    ha_node_throw(env, st, NULL, "params");
    return false;
  }
  napi_value keys;
  uint32_t n = 0;
  if (napi_get_property_names(env, obj, &keys) != napi_ok ||
      napi_get_array_length(env, keys, &n) != napi_ok) {
    ha_params_destroy(p);
    ha_node_napi_fail(env, napi_generic_failure, "napi_get_property_names", __LINE__);
    return false;
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value k, v;
    char name[64];
    if (napi_get_element(env, keys, i, &k) != napi_ok) {
      ha_params_destroy(p);
      ha_node_napi_fail(env, napi_generic_failure, "napi_get_element", __LINE__);
      return false;
    }
    if (!ha_node_get_string(env, k, "parameter name", name, sizeof(name)) ||
        napi_get_property(env, obj, k, &v) != napi_ok) {
      ha_params_destroy(p);
      return false;
    }
    if (ha_node_is_type(env, v, napi_undefined)) {
      continue;
    }
    if (!set_param(env, p, name, v)) {
      ha_params_destroy(p);
      return false;
    }
  }
  *out = p;
  return true;
}

bool ha_node_get_timing(napi_env env, napi_value obj, ha_timing *out) {
  if (!ha_node_is_type(env, obj, napi_object)) {
    ha_node_type_error(env, "timing must be an object {duration, loop, speed}, got %s",
                       describe_value(env, obj));
    return false;
  }
  if (!ha_node_opt_number(env, obj, "duration", &out->duration) ||
      !ha_node_opt_number(env, obj, "speed", &out->speed)) {
    return false;
  }
  napi_value v;
  bool found;
  if (!ha_node_get_prop(env, obj, "loop", &v, &found)) {
    return false;
  }
  if (found) {
    if (ha_node_is_type(env, v, napi_boolean)) {
      bool b;
      NAPI_CALL_B(env, napi_get_value_bool(env, v, &b));
      out->loop = b ? HA_LOOP_LOOP : HA_LOOP_ONCE;
    } else {
      char s[32];
      if (!ha_node_get_string(env, v, "timing.loop", s, sizeof(s))) {
        return false;
      }
      ha_error err;
      ha_status st = ha_loop_mode_parse(s, &out->loop, &err);
      if (st != HA_OK) {
        ha_node_throw(env, st, &err, "timing.loop");
        return false;
      }
    }
  }
  bool pp = false;
  if (!ha_node_opt_bool(env, obj, "pingPong", &pp)) {
    return false;
  }
  if (pp) {
    out->loop = HA_LOOP_PINGPONG;
  }
  char seam[16];
  bool seam_found = false;
  if (!ha_node_opt_string(env, obj, "seam", seam, sizeof(seam), &seam_found)) {
    return false;
  }
  if (seam_found) {
    ha_error err;
    ha_status st = ha_seam_parse(seam, &out->seam, &err);
    if (st != HA_OK) {
      ha_node_throw(env, st, &err, "timing.seam");
      return false;
    }
  }
  return true;
}

bool ha_node_get_group_options(napi_env env, napi_value obj, const char *context,
                               const char *prefix, ha_anim_spec *out) {
  char s[32], what[48];
  bool found = false;
  napi_value v;
  if (!ha_node_opt_string(env, obj, "mode", s, sizeof(s), &found)) {
    return false;
  }
  if (found) {
    ha_error err;
    ha_error_clear(&err);
    ha_status st = ha_group_mode_parse(s, &out->mode, &err);
    if (st != HA_OK) {
      ha_node_throw(env, st, &err, context);
      return false;
    }
  }
  if (!ha_node_opt_number(env, obj, "phaseOffset", &out->phase_offset) ||
      !ha_node_opt_bool(env, obj, "phaseSpread", &out->phase_spread) ||
      !ha_node_opt_number(env, obj, "delay", &out->delay) ||
      !ha_node_opt_bool(env, obj, "rotateFormation", &out->rotate_formation) ||
      !ha_node_opt_number(env, obj, "spreadRadius", &out->spread_radius) ||
      !ha_node_opt_string(env, obj, "mirrorAxis", s, sizeof(s), &found)) {
    return false;
  }
  if (found) {
    if (strlen(s) != 1 || strchr("xyz", s[0]) == NULL) {
      ha_node_range_error(env, "mirrorAxis must be 'x', 'y' or 'z'");
      return false;
    }
    out->mirror_axis = s[0];
  }
  if (!ha_node_get_prop(env, obj, "centerPoint", &v, &found)) {
    return false;
  }
  snprintf(what, sizeof(what), "%scenterPoint", prefix);
  return !found || ha_node_get_vec3(env, v, what, &out->center_point);
}

static bool copy_props(napi_env env, napi_value dst, napi_value src) {
  if (src == NULL || ha_node_is_nullish(env, src)) {
    return true;
  }
  napi_value keys;
  uint32_t n;
  NAPI_CALL_B(env, napi_get_property_names(env, src, &keys));
  NAPI_CALL_B(env, napi_get_array_length(env, keys, &n));
  for (uint32_t i = 0; i < n; i++) {
    napi_value k, v;
    NAPI_CALL_B(env, napi_get_element(env, keys, i, &k));
    NAPI_CALL_B(env, napi_get_property(env, src, k, &v));
    NAPI_CALL_B(env, napi_set_property(env, dst, k, v));
  }
  return true;
}

napi_value ha_node_assign(napi_env env, napi_value a, napi_value b) {
  napi_value o;
  NAPI_CALL(env, napi_create_object(env, &o));
  if (!copy_props(env, o, a) || !copy_props(env, o, b)) {
    return NULL;
  }
  return o;
}

/* ---- value builders ------------------------------------------------------------------- */

napi_value ha_node_vec3_object(napi_env env, ha_vec3 v) {
  napi_value o;
  NAPI_CALL(env, napi_create_object(env, &o));
  if (!ha_node_set_number(env, o, "x", v.x) || !ha_node_set_number(env, o, "y", v.y) ||
      !ha_node_set_number(env, o, "z", v.z)) {
    return NULL;
  }
  return o;
}

napi_value ha_node_vec3_array(napi_env env, ha_vec3 v) {
  napi_value a, n;
  NAPI_CALL(env, napi_create_array_with_length(env, 3, &a));
  const double c[3] = {v.x, v.y, v.z};
  for (uint32_t i = 0; i < 3; i++) {
    NAPI_CALL(env, napi_create_double(env, c[i], &n));
    NAPI_CALL(env, napi_set_element(env, a, i, n));
  }
  return a;
}

napi_value ha_node_typed_copy(napi_env env, napi_typedarray_type type, const void *data,
                              size_t count, size_t elem_size) {
  void *buf = NULL;
  napi_value ab, ta;
  NAPI_CALL(env, napi_create_arraybuffer(env, count * elem_size, &buf, &ab));
  if (count > 0) {
    memcpy(buf, data, count * elem_size);
  }
  NAPI_CALL(env, napi_create_typedarray(env, type, count, ab, 0, &ta));
  return ta;
}

napi_value ha_node_points_result(napi_env env, ha_status st, const ha_error *err, const char *what,
                                 ha_vec3 *pts, size_t n) {
  napi_value r = st == HA_OK ? ha_node_points_f64(env, pts, n) : ha_node_throw(env, st, err, what);
  free(pts);
  return r;
}

napi_value ha_node_points_f64(napi_env env, const ha_vec3 *pts, size_t n) {
  void *buf = NULL;
  napi_value ab, ta;
  NAPI_CALL(env, napi_create_arraybuffer(env, 3 * n * sizeof(double), &buf, &ab));
  double *d = buf;
  for (size_t i = 0; i < n; i++) {
    d[3 * i] = pts[i].x;
    d[3 * i + 1] = pts[i].y;
    d[3 * i + 2] = pts[i].z;
  }
  NAPI_CALL(env, napi_create_typedarray(env, napi_float64_array, 3 * n, ab, 0, &ta));
  return ta;
}

/* ---- module --------------------------------------------------------------------------- */

/* _init({HoloanimError}): register the error class of this environment. */
static napi_value js_init(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  ha_node_instance *inst = ha_node_instance_get(env);
  if (inst == NULL) {
    return ha_node_throw(env, HA_EINTERNAL, NULL, "_init");
  }
  napi_value ctor;
  bool found = false;
  if (argc < 1 || !ha_node_is_type(env, argv[0], napi_object) ||
      !ha_node_get_prop(env, argv[0], "HoloanimError", &ctor, &found) || !found ||
      !ha_node_is_type(env, ctor, napi_function)) {
    return ha_node_type_error(env, "_init expects {HoloanimError: class}");
  }
  if (inst->error_ctor != NULL) {
    NAPI_CALL(env, napi_delete_reference(env, inst->error_ctor));
    inst->error_ctor = NULL;
  }
  NAPI_CALL(env, napi_create_reference(env, ctor, 1, &inst->error_ctor));
  napi_value reg;
  if (!ha_node_get_prop(env, argv[0], "registerMotion", &reg, &found)) {
    return NULL;
  }
  if (found && ha_node_is_type(env, reg, napi_function) && inst->motion_register == NULL) {
    NAPI_CALL(env, napi_create_reference(env, reg, 1, &inst->motion_register));
  }
  return NULL;
}

/* _stats(): counters for leak tests. With glibc 2.33 or later also
 * mallocInUse: the bytes the process's malloc has handed out and not had
 * back (mallinfo2: every arena's allocated chunks and the mmapped ones),
 * which, unlike the RSS, does not move with what the allocator keeps or
 * gives back to the system. */
static napi_value js_stats(napi_env env, napi_callback_info info) {
  (void)info;
  ha_node_instance *inst = ha_node_instance_get(env);
  napi_value o;
  NAPI_CALL(env, napi_create_object(env, &o));
  if (inst != NULL) {
    if (!ha_node_set_number(env, o, "motionsLive", (double)inst->motions_live) ||
        !ha_node_set_number(env, o, "motionsCreated", (double)inst->motions_created)) {
      return NULL;
    }
  }
#if HA_NODE_HAVE_MALLINFO2
  struct mallinfo2 mi = mallinfo2();
  if (!ha_node_set_number(env, o, "mallocInUse", (double)(mi.uordblks + mi.hblkhd))) {
    return NULL;
  }
#endif
  return o;
}

/* statusName(code), strerror(code). */
static napi_value js_status_name(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], r;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  double code;
  if (!ha_node_get_number(env, argc ? argv[0] : NULL, "code", &code)) {
    return NULL;
  }
  NAPI_CALL(env, napi_create_string_utf8(env, ha_status_name((int)code), NAPI_AUTO_LENGTH, &r));
  return r;
}

static void instance_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  ha_node_instance *inst = data;
  /* The references die with the environment; only the struct is ours. */
  (void)env;
  free(inst->motion_slots);
  free(inst->motion_free);
  free(inst);
}

static void env_cleanup(void *arg) {
  ha_node_instance *inst = arg;
  ha_node_players_close_all(inst);
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  ha_node_instance *inst = calloc(1, sizeof(*inst));
  if (inst == NULL) {
    napi_throw_error(env, "ENOMEM", "holoanim: out of memory");
    return NULL;
  }
  if (napi_set_instance_data(env, inst, instance_finalize, NULL) != napi_ok) {
    free(inst);
    return ha_node_napi_fail(env, napi_generic_failure, "napi_set_instance_data", __LINE__);
  }
  NAPI_CALL(env, napi_add_env_cleanup_hook(env, env_cleanup, inst));

  napi_property_descriptor props[] = {
      {"_init", NULL, js_init, NULL, NULL, NULL, napi_default, NULL},
      {"_stats", NULL, js_stats, NULL, NULL, NULL, napi_default, NULL},
      {"statusName", NULL, js_status_name, NULL, NULL, NULL, napi_default, NULL},
  };
  NAPI_CALL(env, napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));

  napi_value napi_ver, lib_ver;
  NAPI_CALL(env, napi_create_uint32(env, NAPI_VERSION, &napi_ver));
  NAPI_CALL(env, napi_set_named_property(env, exports, "napiVersion", napi_ver));
  char v[32];
  snprintf(v, sizeof(v), "%s", HA_NODE_LIB_VERSION);
  NAPI_CALL(env, napi_create_string_utf8(env, v, NAPI_AUTO_LENGTH, &lib_ver));
  NAPI_CALL(env, napi_set_named_property(env, exports, "libraryVersion", lib_ver));

  if (ha_node_init_engine(env, exports) == NULL || ha_node_init_player(env, exports) == NULL ||
      ha_node_init_devsim(env, exports) == NULL || ha_node_init_show(env, exports) == NULL ||
      ha_node_init_geometry(env, exports) == NULL || ha_node_init_models(env, exports) == NULL) {
    return NULL;
  }
  return exports;
}
