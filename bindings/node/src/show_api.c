/* holoanim Node addon: show documents (load, validate, edit with undo, save).
 *
 * NativeShow wraps an ha_show: the document a server owns and edits. It is a
 * thin door onto show.h, so every rule (validation with line:column
 * diagnostics, JSON-Patch edits validated as a loaded file would be, undo
 * and redo, the canonical text, atomic saves with NAME.bak, .hpx import) is
 * the core's. JSON values cross as text: index.js stringifies and parses, so
 * this file never walks JS objects (rejected: converting napi values to
 * jansson here, which would duplicate the core's JSON handling).
 *
 * Thread: a show is used by the JS thread only (the core's "one control
 * thread"), so no locking. Failures throw a HoloanimError whose
 * `diagnostics` lists every problem (file, line, column, JSON path). */
#include "addon.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct node_show {
  ha_show *show;
} node_show;

static const napi_type_tag show_tag = {0x5d0c6a7e21b94f03ULL, 0x9a4e1c3b7f2d8e61ULL};

static void show_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  ha_show_destroy(((node_show *)data)->show);
  free(data);
}

static const char *severity_name(ha_diag_severity s) {
  switch (s) {
  case HA_DIAG_ERROR: return "error";
  case HA_DIAG_WARNING: return "warning";
  case HA_DIAG_NOTE: return "note";
  }
  return "error";
}

/* [{severity, file, line, column, path, message, text}] for every diagnostic. */
static napi_value diag_list(napi_env env, const ha_diags *d) {
  size_t n = d ? ha_diags_count(d) : 0;
  napi_value list;
  NAPI_CALL(env, napi_create_array_with_length(env, n, &list));
  for (size_t i = 0; i < n; i++) {
    const ha_diag *x = ha_diags_at(d, i);
    char line[768];
    napi_value o;
    ha_diag_format(x, line, sizeof(line));
    NAPI_CALL(env, napi_create_object(env, &o));
    if (!ha_node_set_string(env, o, "severity", severity_name(x->severity)) ||
        !ha_node_set_string(env, o, "file", x->file) ||
        !ha_node_set_number(env, o, "line", x->line) ||
        !ha_node_set_number(env, o, "column", x->column) ||
        !ha_node_set_string(env, o, "path", x->path) ||
        !ha_node_set_string(env, o, "message", x->message) ||
        !ha_node_set_string(env, o, "text", line)) {
      return NULL;
    }
    NAPI_CALL(env, napi_set_element(env, list, (uint32_t)i, o));
  }
  return list;
}

/* A HoloanimError for a failed load or edit: the first error's text,
 * position and path, and every diagnostic (NULL with a pending exception on
 * failure). Shared with the Player's loadShow. */
napi_value ha_node_diags_error(napi_env env, ha_status st, const ha_diags *d, const char *what) {
  ha_error err;
  ha_error_clear(&err);
  err.status = st;
  err.kind =
      st == HA_EIO ? HA_ERROR_IO : (st == HA_EPARSE ? HA_ERROR_PARSE : HA_ERROR_INVALID_PARAMETER);
  err.category = st == HA_EIO ? HA_CATEGORY_IO : HA_CATEGORY_STATE;
  const ha_diag *first = NULL;
  size_t n = d ? ha_diags_count(d) : 0;
  for (size_t i = 0; i < n && first == NULL; i++) {
    const ha_diag *x = ha_diags_at(d, i);
    if (x->severity == HA_DIAG_ERROR) {
      first = x;
    }
  }
  if (first != NULL) {
    ha_diag_format(first, err.message, sizeof(err.message));
    snprintf(err.file, sizeof(err.file), "%s", first->file ? first->file : "");
    err.line = first->line;
    err.column = first->column;
    snprintf(err.name, sizeof(err.name), "%s", first->path ? first->path : "");
    snprintf(err.reason, sizeof(err.reason), "%s", first->message ? first->message : "");
  } else {
    snprintf(err.message, sizeof(err.message), "%s: %s", what, ha_strerror(st));
  }
  napi_value e = ha_node_make_error(env, st, &err, what);
  if (e == NULL) {
    return NULL;
  }
  napi_value list = diag_list(env, d);
  if (list == NULL || !ha_node_set_value(env, e, "diagnostics", list)) {
    return NULL;
  }
  return e;
}

napi_value ha_node_throw_diags(napi_env env, ha_status st, const ha_diags *d, const char *what) {
  return ha_node_throw_value(env, ha_node_diags_error(env, st, d, what));
}

static napi_value show_ctor(napi_env env, napi_callback_info info) {
  napi_value self;
  size_t argc = 0;
  if (!ha_node_construct(env, info, "Show", &argc, NULL, &self)) {
    return NULL;
  }
  node_show *s = calloc(1, sizeof(*s));
  if (s == NULL) {
    return ha_node_throw(env, HA_ENOMEM, NULL, "Show");
  }
  ha_status st = ha_show_create(&s->show);
  if (st != HA_OK) {
    free(s);
    return ha_node_throw(env, st, NULL, "Show");
  }
  napi_status ns = napi_wrap(env, self, s, show_finalize, NULL, NULL);
  if (ns != napi_ok) {
    ha_show_destroy(s->show);
    free(s);
    return ha_node_napi_fail(env, ns, "napi_wrap", __LINE__);
  }
  NAPI_CALL(env, napi_type_tag_object(env, self, &show_tag));
  return self;
}

/* SRC_PROJECT_FILE: a file the user did not name (a server's projects
 * folder): no symbolic link, no file bytes in a syntax error. */
enum { SRC_TEXT = 0, SRC_FILE, SRC_HPX_TEXT, SRC_HPX_FILE, SRC_PROJECT_FILE };

/* _load(source, kind, name, autostart) → diagnostics (warnings, notes):
 * replace the document with a loaded (or imported) one; on failure nothing
 * changes. `autostart` (imports only): every imported group autoStart. */
static napi_value show_load(napi_env env, const ha_node_call *c) {
  node_show *s = c->self;
  uint32_t kind = 0;
  if (c->argc < 2 || !ha_node_get_u32(env, c->argv[1], "kind", SRC_TEXT, SRC_PROJECT_FILE, &kind)) {
    return ha_node_type_error(env, "_load(source, kind, name)");
  }
  size_t len = 0;
  char *src = ha_node_get_text(env, c->argv[0], "source", &len);
  if (src == NULL) {
    return NULL;
  }
  char name[256] = "show.json";
  if (c->argc > 2 && !ha_node_is_nullish(env, c->argv[2]) &&
      !ha_node_get_string(env, c->argv[2], "name", name, sizeof(name))) {
    free(src);
    return NULL;
  }
  bool autostart = false;
  if (c->argc > 3 && !ha_node_is_nullish(env, c->argv[3]) &&
      !ha_node_get_bool(env, c->argv[3], "autostart", &autostart)) {
    free(src);
    return NULL;
  }
  ha_show_import_options io = {.autostart = autostart};
  ha_diags *d = NULL;
  ha_show *show = NULL;
  ha_status st = ha_diags_create(&d);
  if (st == HA_OK) {
    switch (kind) {
    case SRC_FILE: st = ha_show_load_file(src, &show, d); break;
    case SRC_PROJECT_FILE:
      st = ha_show_load_file_ex(src, HA_SHOW_LOAD_NOFOLLOW | HA_SHOW_LOAD_NO_CONTENT, &show, d);
      break;
    case SRC_HPX_TEXT: st = ha_show_import_hpx_string_ex(src, len, name, &io, &show, d); break;
    case SRC_HPX_FILE: st = ha_show_import_hpx_ex(src, &io, &show, d); break;
    default: st = ha_show_load_string(src, len, name, &show, d); break;
    }
  }
  free(src);
  if (st != HA_OK) {
    ha_node_throw_diags(env, st, d, "loadShow");
    ha_diags_destroy(d);
    return NULL;
  }
  ha_show_destroy(s->show);
  s->show = show;
  napi_value list = diag_list(env, d);
  ha_diags_destroy(d);
  return list;
}

/* edit(op, pointer, valueJson) / patch(patchJson) → the new version. */
static napi_value show_edit_or_patch(napi_env env, const ha_node_call *c, bool patch) {
  node_show *s = c->self;
  const char *method = patch ? "patch" : "edit";
  char op[16] = "";
  char *pointer = NULL, *value = NULL;
  if (!patch) {
    if (c->argc < 2 || !ha_node_get_string(env, c->argv[0], "op", op, sizeof(op))) {
      return c->argc < 2 ? ha_node_type_error(env, "edit(op, pointer, value)") : NULL;
    }
    pointer = ha_node_get_text(env, c->argv[1], "pointer", NULL);
    if (pointer == NULL) {
      return NULL;
    }
    if (c->argc > 2 && !ha_node_is_nullish(env, c->argv[2])) {
      value = ha_node_get_text(env, c->argv[2], "value", NULL);
      if (value == NULL) {
        free(pointer);
        return NULL;
      }
    }
  } else {
    if (c->argc < 1) {
      return ha_node_type_error(env, "patch(operations) expects a JSON array");
    }
    value = ha_node_get_text(env, c->argv[0], "patch", NULL);
    if (value == NULL) {
      return NULL;
    }
  }
  ha_diags *d = NULL;
  ha_status st = ha_diags_create(&d);
  if (st == HA_OK) {
    st = patch ? ha_show_edit_patch(s->show, value, d)
               : ha_show_edit(s->show, op, pointer, value ? value : "null", d);
  }
  free(pointer);
  free(value);
  if (st != HA_OK) {
    ha_node_throw_diags(env, st, d, method);
    ha_diags_destroy(d);
    return NULL;
  }
  ha_diags_destroy(d);
  napi_value r;
  NAPI_CALL(env, napi_create_double(env, (double)ha_show_version(s->show), &r));
  return r;
}

static napi_value show_edit(napi_env env, const ha_node_call *c) {
  return show_edit_or_patch(env, c, false);
}

static napi_value show_patch(napi_env env, const ha_node_call *c) {
  return show_edit_or_patch(env, c, true);
}

/* undo() / redo() → the new version. */
static napi_value show_undo_or_redo(napi_env env, const ha_node_call *c, bool redo) {
  node_show *s = c->self;
  const char *method = redo ? "redo" : "undo";
  ha_status st = redo ? ha_show_redo(s->show) : ha_show_undo(s->show);
  if (st != HA_OK) {
    ha_error err;
    ha_error_clear(&err);
    err.kind = HA_ERROR_INVALID_PARAMETER;
    err.category = HA_CATEGORY_STATE;
    snprintf(err.message, sizeof(err.message), "%s: nothing to %s", method, method);
    return ha_node_throw(env, st, &err, method);
  }
  napi_value r;
  NAPI_CALL(env, napi_create_double(env, (double)ha_show_version(s->show), &r));
  return r;
}

static napi_value show_undo(napi_env env, const ha_node_call *c) {
  return show_undo_or_redo(env, c, false);
}

static napi_value show_redo(napi_env env, const ha_node_call *c) {
  return show_undo_or_redo(env, c, true);
}

/* _state() → {version, canUndo, canRedo, sourceFormat, name} */
static napi_value show_state(napi_env env, const ha_node_call *c) {
  node_show *s = c->self;
  napi_value o;
  NAPI_CALL(env, napi_create_object(env, &o));
  const char *name = ha_show_name(s->show);
  if (!ha_node_set_number(env, o, "version", (double)ha_show_version(s->show)) ||
      !ha_node_set_bool(env, o, "canUndo", ha_show_can_undo(s->show)) ||
      !ha_node_set_bool(env, o, "canRedo", ha_show_can_redo(s->show)) ||
      !ha_node_set_number(env, o, "sourceFormat", ha_show_source_format(s->show)) ||
      !ha_node_set_string(env, o, "name", name ? name : "")) {
    return NULL;
  }
  return o;
}

/* getJson(pointer) → compact JSON text of the value there. */
static napi_value show_get_json(napi_env env, const ha_node_call *c) {
  node_show *s = c->self;
  char *pointer = c->argc > 0 && !ha_node_is_nullish(env, c->argv[0])
                      ? ha_node_get_text(env, c->argv[0], "pointer", NULL)
                      : NULL;
  if (c->argc > 0 && !ha_node_is_nullish(env, c->argv[0]) && pointer == NULL) {
    return NULL;
  }
  char *out = NULL;
  ha_status st = ha_show_get_json(s->show, pointer ? pointer : "", &out);
  if (st != HA_OK) {
    ha_error err;
    ha_error_clear(&err);
    err.kind = HA_ERROR_INVALID_PARAMETER;
    err.category = HA_CATEGORY_STATE;
    snprintf(err.name, sizeof(err.name), "pointer");
    snprintf(err.value, sizeof(err.value), "%.200s", pointer ? pointer : "");
    snprintf(err.message, sizeof(err.message), "get: %.200s: %s", pointer ? pointer : "",
             st == HA_ENOTFOUND ? "no such value" : ha_strerror(st));
    free(pointer);
    return ha_node_throw(env, st, &err, "get");
  }
  free(pointer);
  return ha_node_string_take(env, out, NAPI_AUTO_LENGTH);
}

/* toString() → the canonical text (what save writes). */
static napi_value show_save_string(napi_env env, const ha_node_call *c) {
  node_show *s = c->self;
  char *out = NULL;
  size_t len = 0;
  ha_status st = ha_show_save_string(s->show, &out, &len);
  if (st != HA_OK) {
    return ha_node_throw(env, st, NULL, "toString");
  }
  return ha_node_string_take(env, out, len);
}

/* save(path): atomic write, the previous file kept as path.bak. */
static napi_value show_save_file(napi_env env, const ha_node_call *c) {
  node_show *s = c->self;
  char *path = c->argc > 0 ? ha_node_get_text(env, c->argv[0], "path", NULL) : NULL;
  if (path == NULL) {
    return c->argc > 0 ? NULL : ha_node_type_error(env, "save(path) expects a file path");
  }
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha_show_save_file(s->show, path, &err);
  free(path);
  if (st != HA_OK) {
    return ha_node_throw(env, st, &err, "save");
  }
  return NULL;
}

static napi_value show_set_history_limit(napi_env env, const ha_node_call *c) {
  node_show *s = c->self;
  uint32_t n = 0;
  if (!ha_node_get_u32(env, c->argc ? c->argv[0] : NULL, "count", 0, 1000000, &n)) {
    return NULL;
  }
  ha_show_set_history_limit(s->show, n);
  return NULL;
}

static napi_value show_call(napi_env env, napi_callback_info info) {
  return ha_node_method_call(env, info, &show_tag, "Show", NULL);
}

static const ha_node_method show_methods[] = {
    {"_load", show_load, 0},       {"edit", show_edit, 0},
    {"patch", show_patch, 0},      {"undo", show_undo, 0},
    {"redo", show_redo, 0},        {"_state", show_state, 0},
    {"getJson", show_get_json, 0}, {"toString", show_save_string, 0},
    {"save", show_save_file, 0},   {"setHistoryLimit", show_set_history_limit, 0},
};

napi_value ha_node_init_show(napi_env env, napi_value exports) {
  napi_property_descriptor props[sizeof(show_methods) / sizeof(show_methods[0])];
  size_t n = 0;
  if (!ha_node_method_props(env, show_methods, sizeof(show_methods) / sizeof(show_methods[0]),
                            show_call, props, &n, sizeof(props) / sizeof(props[0]))) {
    return NULL;
  }
  napi_value ctor;
  NAPI_CALL(env, napi_define_class(env, "NativeShow", NAPI_AUTO_LENGTH, show_ctor, NULL, n, props,
                                   &ctor));
  NAPI_CALL(env, napi_set_named_property(env, exports, "NativeShow", ctor));
  return exports;
}
