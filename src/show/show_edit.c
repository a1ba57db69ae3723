/* Editing shows: JSON-Patch operations with validation, undo and redo.
 *
 * An edit is applied to a copy of the document, and the copy is validated
 * exactly as a loaded file would be; only a valid result replaces the show's
 * compiled model, so an invalid edit changes nothing and reports why. Each
 * successful edit records its operations and their inverses (computed while
 * applying: replace <-> replace with the old value, add <-> remove, remove
 * <-> add of the old value), so history costs the size of the changes, not a
 * copy of the show per step. Undo applies the inverses in reverse order, redo
 * the operations again, through the same path.
 * The copy is shallow where nothing changes: the edited document shares
 * every value the operations did not reach with the model's, and only what
 * they touched is compiled again (ha__show_recompile: the element of a
 * field, what copies from it); a change it does not follow, or one with
 * errors, compiles the whole document, so refusals read as a load's.
 * Rejected: snapshots of the whole document per step (a 1,000-track show
 * times 100 steps), applying edits to the live document in place (a
 * running instance shares it), and a deep copy plus a full compile per
 * edit (13 ms on a 1,000-track show). */
#include "show_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In the order of their names in op_parse. */
enum { OP_ADD = 0, OP_REMOVE = 1, OP_REPLACE = 2 };

static const char *op_name(int op) {
  return op == OP_ADD ? "add" : op == OP_REMOVE ? "remove" : "replace";
}

/* OP_* of an operation name, or -1. */
static int op_parse(const char *s) {
  return s != NULL ? ha__list_index("add|remove|replace", '|', s) : -1;
}

static void ops_free(ha__edit_op *ops, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(ops[i].pointer);
    json_decref(ops[i].value);
  }
  free(ops);
}

/* Pointer of element `i` under the parent of `pointer` (for inverses of
 * array operations addressed with "-"). */
static char *sibling_pointer(const char *pointer, size_t i) {
  const char *slash = strrchr(pointer, '/');
  size_t base = (size_t)(slash - pointer);
  char *p = malloc(base + 24);
  if (p != NULL) {
    snprintf(p, base + 24, "%.*s/%zu", (int)base, pointer, i);
  }
  return p;
}

/* Apply `op` to `doc`; on success fill `inv` with its inverse. Errors are
 * reported as diagnostics at the pointer's path. */
static ha_status edit_apply_op(json_t *doc, const ha__edit_op *op, ha__edit_op *inv, ha__dctx *c) {
  char path[512];
  ha__pointer_to_path(doc, op->pointer, path, sizeof(path));
  if (op->pointer[0] == '\0') {
    ha__diag(c, HA_DIAG_ERROR, "", 0, "an edit cannot %s the whole document", op_name(op->op));
    return HA_EINVAL;
  }
  json_t *parent = NULL;
  char tok[512];
  ha_status st = ha__pointer_parent_own(doc, op->pointer, &parent, tok, sizeof(tok));
  if (st == HA_ENOMEM) {
    return st;
  }
  if (st == HA_EINVAL) {
    ha__diag(c, HA_DIAG_ERROR, "", 0, "\"%s\" is not a JSON Pointer (e.g. /tracks/0/name)",
             op->pointer);
    return HA_EINVAL;
  }
  if (st != HA_OK) {
    ha__diag(c, HA_DIAG_ERROR, path, 0, "no such location in the show");
    return HA_EINVAL;
  }
  memset(inv, 0, sizeof(*inv));
  json_t *value = op->value ? json_deep_copy(op->value) : NULL;
  if (op->value != NULL && value == NULL) {
    return HA_ENOMEM;
  }
  if (json_is_object(parent)) {
    json_t *old = json_object_get(parent, tok);
    if ((op->op == OP_REMOVE || op->op == OP_REPLACE) && old == NULL) {
      json_decref(value);
      ha__diag(c, HA_DIAG_ERROR, path, 0, "no such field to %s", op_name(op->op));
      return HA_EINVAL;
    }
    inv->pointer = strdup(op->pointer);
    inv->op = old == NULL ? OP_REMOVE : (op->op == OP_REMOVE ? OP_ADD : OP_REPLACE);
    inv->value = old != NULL ? json_incref(old) : NULL;
    if (op->op == OP_REMOVE) {
      json_object_del(parent, tok);
    } else if (json_object_set_new(parent, tok, value) != 0) {
      free(inv->pointer);
      json_decref(inv->value);
      return HA_ENOMEM;
    }
    return inv->pointer ? HA_OK : HA_ENOMEM;
  }
  if (json_is_array(parent)) {
    size_t n = json_array_size(parent);
    long long idx = -1;
    if (strcmp(tok, "-") == 0 && op->op == OP_ADD) {
      idx = (long long)n;
    } else if (tok[0] != '\0' && strspn(tok, "0123456789") == strlen(tok) &&
               (tok[0] != '0' || tok[1] == '\0') && strlen(tok) < 10) {
      idx = atoll(tok);
    }
    size_t limit = op->op == OP_ADD ? n : (n ? n - 1 : 0);
    if (idx < 0 || (size_t)idx > limit || (op->op != OP_ADD && n == 0)) {
      json_decref(value);
      ha__diag(c, HA_DIAG_ERROR, path, 0, "index %s is outside the list (%zu items)", tok, n);
      return HA_EINVAL;
    }
    size_t i = (size_t)idx;
    inv->pointer = sibling_pointer(op->pointer, i);
    if (inv->pointer == NULL) {
      json_decref(value);
      return HA_ENOMEM;
    }
    int rc = 0;
    if (op->op == OP_ADD) {
      inv->op = OP_REMOVE;
      rc = json_array_insert_new(parent, i, value);
    } else if (op->op == OP_REMOVE) {
      inv->op = OP_ADD;
      inv->value = json_incref(json_array_get(parent, i));
      rc = json_array_remove(parent, i);
    } else {
      inv->op = OP_REPLACE;
      inv->value = json_incref(json_array_get(parent, i));
      rc = json_array_set_new(parent, i, value);
    }
    if (rc != 0) {
      free(inv->pointer);
      json_decref(inv->value);
      return HA_ENOMEM;
    }
    return HA_OK;
  }
  json_decref(value);
  ha__diag(c, HA_DIAG_ERROR, path, 0, "cannot %s inside %s", op_name(op->op),
           ha__json_kind(parent));
  return HA_EINVAL;
}

/* Apply ops[0..n) to a copy of the current document; on success the copy is
 * compiled into *model and, when `inv` is not NULL, the inverses are
 * returned in the order to apply them. */
static ha_status edit_run_ops(ha_show *show, const ha__edit_op *ops, size_t n, ha__edit_op **inv,
                              ha_diags *diags, ha__show_model **model) {
  ha__dctx c = {diags, "", NULL, 0, 0, 0};
  /* The edited document shares all it did not change with the model's
   * (ha__pointer_parent_own copies the containers on each op's way). */
  json_t *work = json_copy(show->model->doc);
  ha__edit_op *iv = calloc(n ? n : 1, sizeof(*iv));
  if (work == NULL || iv == NULL) {
    json_decref(work);
    free(iv);
    return HA_ENOMEM;
  }
  ha_status st = HA_OK;
  size_t done = 0;
  for (; done < n && st == HA_OK; done++) {
    st = edit_apply_op(work, &ops[done], &iv[n - 1 - done], &c);
  }
  if (st == HA_OK) {
    /* A patch may not change the format; migrations are for files. */
    const json_t *f = json_object_get(work, "format");
    if (!json_is_integer(f) || json_integer_value(f) != HA_SHOW_FORMAT) {
      ha__diag(&c, HA_DIAG_ERROR, "format", 0, "must stay %d", HA_SHOW_FORMAT);
      st = HA_EINVAL;
    }
  }
  if (st == HA_OK) {
    /* Only what the ops touched, else (or on any error, to word it as a
     * load does) the whole show. */
    size_t mark = ha_diags_count(diags);
    ha__dctx ci = {diags, "", NULL, 0, 0, 0};
    st = ha__show_recompile(show->model, work, ops, n, &ci, model);
    if (st == HA_EAGAIN) {
      ha__diags_truncate(diags, mark);
      st = ha__show_compile_from(show->model, work, &c, model);
    }
    if (st == HA_EPARSE) {
      st = HA_EINVAL;
    }
  }
  json_decref(work);
  if (st != HA_OK || inv == NULL) {
    /* Only the applied ops have inverses: they sit at the end of iv. */
    for (size_t i = 0; i < n; i++) {
      free(iv[i].pointer);
      json_decref(iv[i].value);
    }
    free(iv);
    return st == HA_OK && c.oom ? HA_ENOMEM : st;
  }
  *inv = iv;
  return HA_OK;
}

static void edit_set_model(ha_show *show, ha__show_model *m) {
  ha__show_model_unref(show->model);
  show->model = m;
  show->version++;
}

static void push_undo(ha_show *show, ha__history_entry *e) {
  if (show->history_limit == 0) {
    ha__history_entry_free(e);
    return;
  }
  if (show->nundo == show->history_limit) {
    ha__history_entry_free(&show->undo[0]);
    memmove(show->undo, show->undo + 1, (show->nundo - 1) * sizeof(*show->undo));
    show->nundo--;
  }
  /* The array grows to the limit once; realloc failure drops the step. */
  ha__history_entry *u = realloc(show->undo, (show->nundo + 1) * sizeof(*u));
  if (u == NULL) {
    ha__history_entry_free(e);
    return;
  }
  show->undo = u;
  show->undo[show->nundo++] = *e;
}

static void clear_redo(ha_show *show) {
  for (size_t i = 0; i < show->nredo; i++) {
    ha__history_entry_free(&show->redo[i]);
  }
  show->nredo = 0;
}

static ha_status edit_commit(ha_show *show, ha__edit_op *ops, size_t n, ha_diags *diags) {
  ha__edit_op *inv = NULL;
  ha__show_model *m = NULL;
  ha_status st = edit_run_ops(show, ops, n, &inv, diags, &m);
  if (st != HA_OK) {
    ops_free(ops, n);
    return st;
  }
  edit_set_model(show, m);
  clear_redo(show);
  ha__history_entry e = {ops, n, inv, n};
  push_undo(show, &e);
  return HA_OK;
}

/* A malformed request (not the show's text: no position) reported at
 * `where` (an ha__path *, NULL: the document); evaluates to HA_EINVAL. A
 * macro so the format and its arguments reach ha__diag_below checked. */
#define edit_input_error(diags, where, ...)                                                 \
  (ha__diag_below(&(ha__dctx){(diags), "", NULL, 0, 0, 0}, (where), HA_DIAG_ERROR, NULL, 0, \
                  __VA_ARGS__),                                                             \
   HA_EINVAL)

ha_status ha_show_edit(ha_show *show, const char *op, const char *pointer, const char *value_json,
                       ha_diags *diags) {
  if (show == NULL) {
    return HA_EINVAL;
  }
  int o = op_parse(op);
  if (o < 0) {
    return edit_input_error(diags, NULL, "'%s' is not one of add|remove|replace",
                            op ? op : "(null)");
  }
  if (pointer == NULL) {
    return edit_input_error(diags, NULL, "%s needs a JSON Pointer", op);
  }
  json_t *value = NULL;
  if (o != OP_REMOVE) {
    json_error_t je;
    value =
        value_json ? json_loads(value_json, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je) : NULL;
    if (value == NULL) {
      return edit_input_error(diags, NULL, "the value is not JSON: %s",
                              value_json ? je.text : "none");
    }
  }
  ha__edit_op *ops = calloc(1, sizeof(*ops));
  char *p = strdup(pointer);
  if (ops == NULL || p == NULL) {
    free(ops);
    free(p);
    json_decref(value);
    return HA_ENOMEM;
  }
  ops[0].op = o;
  ops[0].pointer = p;
  ops[0].value = value;
  return edit_commit(show, ops, 1, diags);
}

ha_status ha_show_edit_patch(ha_show *show, const char *patch_json, ha_diags *diags) {
  if (show == NULL || patch_json == NULL) {
    return HA_EINVAL;
  }
  json_error_t je;
  json_t *patch = json_loads(patch_json, JSON_REJECT_DUPLICATES, &je);
  if (!json_is_array(patch)) {
    json_decref(patch);
    return edit_input_error(diags, NULL, "a patch is a JSON array of operations%s",
                            patch ? "" : " (it is not JSON)");
  }
  size_t n = json_array_size(patch);
  ha__edit_op *ops = calloc(n ? n : 1, sizeof(*ops));
  if (ops == NULL) {
    json_decref(patch);
    return HA_ENOMEM;
  }
  ha_status st = HA_OK;
  ha__path where; /* "patch[i]" */
  ha__path_init(&where);
  ha__path_key(&where, "patch");
  for (size_t i = 0; i < n && st == HA_OK; i++) {
    const json_t *e = json_array_get(patch, i);
    size_t mark = ha__path_index(&where, i);
    const char *opn = json_string_value(json_object_get(e, "op"));
    const char *ptr = json_string_value(json_object_get(e, "path"));
    json_t *val = json_object_get(e, "value");
    int o = op_parse(opn);
    if (o < 0) {
      st = edit_input_error(diags, &where, "op '%s' is not one of add|remove|replace",
                            opn ? opn : "(missing)");
    } else if (ptr == NULL) {
      st = edit_input_error(diags, &where, "%s needs a \"path\" (a JSON Pointer)", opn);
    } else if (o != OP_REMOVE && val == NULL) {
      st = edit_input_error(diags, &where, "%s needs a \"value\"", opn);
    } else {
      ops[i].op = o;
      ops[i].pointer = strdup(ptr);
      ops[i].value = o != OP_REMOVE ? json_incref(val) : NULL;
      if (ops[i].pointer == NULL) {
        st = HA_ENOMEM;
      }
    }
    ha__path_pop(&where, mark);
  }
  ha__path_deinit(&where);
  json_decref(patch);
  if (st != HA_OK) {
    ops_free(ops, n);
    return st;
  }
  return edit_commit(show, ops, n, diags);
}

ha_status ha_show_undo(ha_show *show) {
  if (show == NULL || show->nundo == 0) {
    return HA_ESTATE;
  }
  ha__history_entry *e = &show->undo[show->nundo - 1];
  ha__show_model *m = NULL;
  ha_status st = edit_run_ops(show, e->inv, e->ninv, NULL, NULL, &m);
  if (st != HA_OK) {
    return st == HA_ENOMEM ? st : HA_EINTERNAL;
  }
  ha__history_entry *r = realloc(show->redo, (show->nredo + 1) * sizeof(*r));
  if (r == NULL) {
    ha__show_model_unref(m);
    return HA_ENOMEM;
  }
  show->redo = r;
  show->redo[show->nredo++] = *e;
  show->nundo--;
  edit_set_model(show, m);
  return HA_OK;
}

ha_status ha_show_redo(ha_show *show) {
  if (show == NULL || show->nredo == 0) {
    return HA_ESTATE;
  }
  ha__history_entry e = show->redo[show->nredo - 1];
  ha__show_model *m = NULL;
  ha_status st = edit_run_ops(show, e.fwd, e.nfwd, NULL, NULL, &m);
  if (st != HA_OK) {
    return st == HA_ENOMEM ? st : HA_EINTERNAL;
  }
  show->nredo--;
  edit_set_model(show, m);
  push_undo(show, &e);
  return HA_OK;
}

bool ha_show_can_undo(const ha_show *show) {
  return show != NULL && show->nundo > 0;
}
bool ha_show_can_redo(const ha_show *show) {
  return show != NULL && show->nredo > 0;
}

void ha_show_set_history_limit(ha_show *show, size_t count) {
  if (show == NULL) {
    return;
  }
  show->history_limit = count;
  while (show->nundo > count) {
    ha__history_entry_free(&show->undo[0]);
    memmove(show->undo, show->undo + 1, (show->nundo - 1) * sizeof(*show->undo));
    show->nundo--;
  }
}

uint64_t ha_show_version(const ha_show *show) {
  return show ? show->version : 0;
}

ha_status ha_show_get_json(const ha_show *show, const char *pointer, char **out) {
  if (show == NULL || pointer == NULL || out == NULL) {
    return HA_EINVAL;
  }
  if (pointer[0] != '\0' && pointer[0] != '/') {
    return HA_EINVAL;
  }
  const json_t *v = ha__pointer_get(show->model->doc, pointer);
  if (v == NULL) {
    return HA_ENOTFOUND;
  }
  return ha__json_compact(v, out);
}
