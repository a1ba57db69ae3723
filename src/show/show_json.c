/* The canonical text of a show, JSON Pointers, small JSON helpers, and the
 * one reader of show and project files (ha__show_load_path).
 *
 * Canonical text: objects of the show's schema list their known keys in the
 * documented order, then any unknown keys in document order; maps (preset
 * positions, trackMap, parameters, metadata's free keys) keep the document's
 * order, which carries meaning (a preset's order is its stagger order).
 * Arrays of up to 16 scalars sit on one line ("[1, 2, 0]"), longer ones one
 * item per line. Integers are written as integers, reals by the library's
 * one formatter in its JSON form (ha__format_double_ex, HA__FORMAT_JSON:
 * the shortest text that reads back exactly, -0 folded to 0), so the text of
 * a loaded canonical file is the same text.
 * Rejected: jansson's json_dumps — it puts every number of a point on its own
 * line, and it can only sort keys alphabetically or keep document order. */
#include "show_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- schema ---- */

#define KEYS(name, ...)                                      \
  static const ha__schema_key name##_keys[] = {__VA_ARGS__}; \
  const ha__schema ha__schema_##name = {name##_keys, HA__COUNTOF(name##_keys)};

KEYS(metadata, {"author", 0, NULL}, {"created", 0, NULL}, {"modified", 0, NULL}, {"notes", 0, NULL})
KEYS(track, {"id", 0, NULL}, {"name", 0, NULL}, {"color", 0, NULL}, {"position", 0, NULL},
     {"gain", 0, NULL}, {"mute", 0, NULL}, {"solo", 0, NULL}, {"lock", 0, NULL})
KEYS(animation, {"name", 0, NULL}, {"model", 0, NULL}, {"duration", 0, NULL}, {"loop", 0, NULL},
     {"pingPong", 0, NULL}, {"speed", 0, NULL}, {"seam", 0, NULL}, {"fadeIn", 0, NULL},
     {"fadeOut", 0, NULL}, {"parameters", 0, NULL})
KEYS(group, {"name", 0, NULL}, {"animation", 0, NULL}, {"tracks", 0, NULL}, {"mode", 0, NULL},
     {"phaseOffset", 0, NULL}, {"phaseSpread", 0, NULL}, {"delay", 0, NULL},
     {"rotateFormation", 0, NULL}, {"centerPoint", 0, NULL}, {"spreadRadius", 0, NULL},
     {"mirrorAxis", 0, NULL}, {"autoStart", 0, NULL})
KEYS(preset, {"name", 0, NULL}, {"positions", 0, NULL})
KEYS(action, {"type", 0, NULL}, {"group", 0, NULL}, {"animation", 0, NULL}, {"preset", 0, NULL},
     {"track", 0, NULL}, {"tracks", 0, NULL}, {"mode", 0, NULL}, {"phaseOffset", 0, NULL},
     {"phaseSpread", 0, NULL}, {"delay", 0, NULL}, {"rotateFormation", 0, NULL},
     {"centerPoint", 0, NULL}, {"spreadRadius", 0, NULL}, {"mirrorAxis", 0, NULL},
     {"position", 0, NULL}, {"transition", 0, NULL}, {"easing", 0, NULL}, {"space", 0, NULL},
     {"stagger", 0, NULL}, {"fade", 0, NULL})
KEYS(cue, {"number", 0, NULL}, {"name", 0, NULL}, {"osc", 0, NULL},
     {"actions", 2, &ha__schema_action})
KEYS(deadband, {"position", 0, NULL}, {"angle", 0, NULL})
KEYS(bundle, {"enabled", 0, NULL}, {"lookahead", 0, NULL})
KEYS(feedback, {"port", 0, NULL}, {"bind", 0, NULL})
KEYS(output, {"name", 0, NULL}, {"enabled", 0, NULL}, {"host", 0, NULL}, {"port", 0, NULL},
     {"dialect", 0, NULL}, {"coords", 0, NULL}, {"azimuthSign", 0, NULL}, {"admScale", 0, NULL},
     {"rate", 0, NULL}, {"deadband", 1, &ha__schema_deadband}, {"keepAlive", 0, NULL},
     {"bundle", 1, &ha__schema_bundle}, {"trackMap", 0, NULL},
     {"feedback", 1, &ha__schema_feedback})
KEYS(box, {"min", 0, NULL}, {"max", 0, NULL})
KEYS(limits, {"box", 1, &ha__schema_box}, {"maxSpeed", 0, NULL})
KEYS(sync, {"source", 0, NULL}, {"tolerance", 0, NULL}, {"gain", 0, NULL}, {"maxSlew", 0, NULL})
KEYS(control, {"port", 0, NULL}, {"bind", 0, NULL}, {"allow", 0, NULL}, {"allowLoopback", 0, NULL},
     {"sync", 1, &ha__schema_sync}, {"echoFromAny", 0, NULL})
KEYS(mapping, {"address", 0, NULL}, {"arg", 0, NULL}, {"group", 0, NULL}, {"param", 0, NULL},
     {"input", 0, NULL}, {"output", 0, NULL}, {"smoothing", 0, NULL}, {"smoothingMode", 0, NULL})
KEYS(clip, {"group", 0, NULL}, {"start", 0, NULL}, {"duration", 0, NULL}, {"loop", 0, NULL})
KEYS(marker, {"cue", 0, NULL}, {"time", 0, NULL})
KEYS(timeline, {"length", 0, NULL}, {"clips", 2, &ha__schema_clip},
     {"markers", 2, &ha__schema_marker})
KEYS(root, {"format", 0, NULL}, {"name", 0, NULL}, {"metadata", 1, &ha__schema_metadata},
     {"tracks", 2, &ha__schema_track}, {"animations", 2, &ha__schema_animation},
     {"groups", 2, &ha__schema_group}, {"presets", 2, &ha__schema_preset},
     {"cues", 2, &ha__schema_cue}, {"outputs", 2, &ha__schema_output},
     {"limits", 1, &ha__schema_limits}, {"control", 1, &ha__schema_control},
     {"mappings", 2, &ha__schema_mapping}, {"timeline", 1, &ha__schema_timeline})

int ha__schema_has(const ha__schema *s, const char *key) {
  for (size_t i = 0; i < s->n; i++) {
    if (s->keys[i].key[0] == key[0] && strcmp(s->keys[i].key, key) == 0) {
      return 1;
    }
  }
  return 0;
}

/* ---- small helpers ---- */

const char *ha__json_kind(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER:
  case JSON_REAL: return "a number";
  case JSON_TRUE:
  case JSON_FALSE: return "a boolean";
  case JSON_NULL: return "null";
  }
  return "a value";
}

json_t *ha__json_xyz(const json_t *v, unsigned how) {
  if ((how & HA__XYZ_ARRAY) != 0 && json_is_array(v) && json_array_size(v) == 3) {
    return json_deep_copy(v);
  }
  if (!json_is_object(v) || ((how & HA__XYZ_ONLY) != 0 && json_object_size(v) != 3)) {
    return NULL;
  }
  const json_t *a = json_object_get(v, "x"), *b = json_object_get(v, "y"),
               *c = json_object_get(v, "z");
  if (!json_is_number(a) || !json_is_number(b) || !json_is_number(c)) {
    return NULL;
  }
  if ((how & HA__XYZ_REAL) != 0) {
    return json_pack("[f,f,f]", json_number_value(a), json_number_value(b), json_number_value(c));
  }
  return json_pack("[O,O,O]", a, b, c);
}

/* ---- the file reader ---- */

/* Rules (HA_SHOW_MAX_FILE_BYTES in show.h): open with O_NONBLOCK so a FIFO
 * or a device never blocks the open, then fstat the open descriptor (no
 * race with a rename between a check and the open) and read only a regular
 * file, only up to the size it had then. O_NOFOLLOW on request: the caller
 * decides whether a symbolic link is the user's own choice (a path on the
 * command line is; a name in a server's projects folder is not).
 * Rejected: lstat before fopen — a link swapped in between is followed. */
static const char *file_kind(mode_t m) {
  if (S_ISDIR(m)) {
    return "a directory";
  }
  if (S_ISFIFO(m)) {
    return "a FIFO (named pipe)";
  }
  if (S_ISCHR(m)) {
    return "a character device";
  }
  if (S_ISBLK(m)) {
    return "a block device";
  }
  if (S_ISSOCK(m)) {
    return "a socket";
  }
  return "not a regular file";
}

/* The whole file, NUL-terminated, or HA_EIO / HA_ENOMEM with the reason in
 * why[]. */
static ha_status read_whole_file(const char *path, unsigned flags, char **out, size_t *len,
                                 char *why, size_t whylen) {
  int of = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
  if ((flags & HA_SHOW_LOAD_NOFOLLOW) != 0) {
    of |= O_NOFOLLOW;
  }
  int fd = open(path, of);
  if (fd < 0) {
    int e = errno;
    struct stat ls;
    if (e == ELOOP && (flags & HA_SHOW_LOAD_NOFOLLOW) != 0 && lstat(path, &ls) == 0 &&
        S_ISLNK(ls.st_mode)) {
      snprintf(why, whylen, "a symbolic link, not followed here");
    } else {
      snprintf(why, whylen, "%s", strerror(e));
    }
    return HA_EIO;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    snprintf(why, whylen, "%s", strerror(errno));
    close(fd);
    return HA_EIO;
  }
  if (!S_ISREG(st.st_mode)) {
    snprintf(why, whylen, "%s, not a regular file", file_kind(st.st_mode));
    close(fd);
    return HA_EIO;
  }
  if (st.st_size < 0 || (unsigned long long)st.st_size > HA_SHOW_MAX_FILE_BYTES) {
    snprintf(why, whylen, "%lld bytes, over the limit of %u bytes (64 MiB)", (long long)st.st_size,
             HA_SHOW_MAX_FILE_BYTES);
    close(fd);
    return HA_EIO;
  }
  size_t size = (size_t)st.st_size, n = 0;
  char *buf = malloc(size + 1);
  if (buf == NULL) {
    snprintf(why, whylen, "%s", strerror(ENOMEM));
    close(fd);
    return HA_ENOMEM;
  }
  while (n < size) { /* a file that grows meanwhile is read to its first size */
    ssize_t r = read(fd, buf + n, size - n);
    if (r < 0 && errno == EINTR) {
      continue;
    }
    if (r < 0) {
      snprintf(why, whylen, "%s", strerror(errno));
      free(buf);
      close(fd);
      return HA_EIO;
    }
    if (r == 0) {
      break; /* it shrank */
    }
    n += (size_t)r;
  }
  close(fd);
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return HA_OK;
}

ha_status ha__show_read_path(const char *path, unsigned flags, char **text, size_t *len,
                             ha_diags *diags) {
  char why[128] = "";
  ha_status st = read_whole_file(path, flags, text, len, why, sizeof(why));
  if (st != HA_OK) {
    ha__dctx c = {diags, path, NULL, 0, 0, 0};
    ha__diag_at(&c, HA_DIAG_ERROR, 0, 0, "", "cannot read: %s", why);
  }
  return st;
}

ha_status ha__show_load_path(const char *path, unsigned flags, ha__show_text_loader load,
                             ha_show **out, ha_diags *diags) {
  *out = NULL;
  char *text = NULL;
  size_t len = 0;
  ha_status st = ha__show_read_path(path, flags, &text, &len, diags);
  if (st != HA_OK) {
    return st;
  }
  st = load(text, len, path, flags, out, diags);
  free(text);
  return st;
}

const char *ha__json_error_reason(const json_error_t *je, unsigned flags) {
  if ((flags & HA_SHOW_LOAD_NO_CONTENT) == 0) {
    return je->text;
  }
  switch ((int)json_error_code(je)) {
  case json_error_out_of_memory: return "out of memory";
  case json_error_stack_overflow: return "nested too deeply";
  case json_error_invalid_utf8: return "not valid UTF-8";
  case json_error_premature_end_of_input: return "the text ends too early";
  case json_error_end_of_input_expected: return "text after the end of the JSON value";
  case json_error_null_character: return "a NUL character";
  case json_error_duplicate_key: return "duplicate object key";
  case json_error_numeric_overflow: return "a number out of range";
  default: return "not valid JSON";
  }
}

/* ---- canonical writer ---- */

typedef struct json_out {
  ha__text t;
  int compact; /* one line, no spaces (ha__json_compact) */
} json_out;

static void json_out_put(json_out *o, const char *s, size_t n) {
  ha__text_append(&o->t, s, n);
}

static void json_out_str(json_out *o, const char *s) {
  json_out_put(o, s, strlen(s));
}

static void json_out_indent(json_out *o, int depth) {
  for (int i = 0; i < depth; i++) {
    json_out_put(o, "  ", 2);
  }
}

/* The escape of byte `c` inside a JSON string (in `u` for other control
 * bytes), or NULL when it stands as is. */
static const char *json_escape(unsigned char c, char u[8]) {
  switch (c) {
  case '"': return "\\\"";
  case '\\': return "\\\\";
  case '\n': return "\\n";
  case '\t': return "\\t";
  case '\r': return "\\r";
  case '\b': return "\\b";
  case '\f': return "\\f";
  default: break;
  }
  if (c < 0x20) {
    snprintf(u, 8, "\\u%04x", c);
    return u;
  }
  return NULL;
}

static void put_string(json_out *o, const char *s, size_t n) {
  json_out_put(o, "\"", 1);
  size_t run = 0; /* bytes since the last escape, written in one piece */
  for (size_t i = 0; i < n; i++) {
    char u[8];
    const char *esc = json_escape((unsigned char)s[i], u);
    if (esc != NULL) {
      json_out_put(o, s + i - run, run);
      run = 0;
      json_out_str(o, esc);
    } else {
      run++;
    }
  }
  json_out_put(o, s + n - run, run);
  json_out_put(o, "\"", 1);
}

static int is_scalar(const json_t *v) {
  return !json_is_object(v) && !json_is_array(v);
}

static void json_dump_value(json_out *o, const json_t *v, const ha__schema *schema, int depth);

static void json_dump_member(json_out *o, const char *key, const json_t *v, const ha__schema *sub,
                             int depth, int *first) {
  if (o->compact) {
    json_out_str(o, *first ? "" : ",");
  } else {
    json_out_str(o, *first ? "\n" : ",\n");
    json_out_indent(o, depth + 1);
  }
  *first = 0;
  put_string(o, key, strlen(key));
  json_out_str(o, o->compact ? ":" : ": ");
  json_dump_value(o, v, sub, depth + 1);
}

static void json_dump_value(json_out *o, const json_t *v, const ha__schema *schema, int depth) {
  char num[40];
  switch (json_typeof(v)) {
  case JSON_OBJECT: {
    if (json_object_size(v) == 0) {
      json_out_str(o, "{}");
      return;
    }
    json_out_str(o, "{");
    int first = 1;
    if (schema != NULL) {
      for (size_t i = 0; i < schema->n; i++) {
        const json_t *m = json_object_get(v, schema->keys[i].key);
        if (m != NULL) {
          const ha__schema *sub = schema->keys[i].kind != 0 ? schema->keys[i].sub : NULL;
          /* kind 2 is an array of objects: the array passes the schema on */
          json_dump_member(o, schema->keys[i].key, m, sub, depth, &first);
        }
      }
    }
    const char *key;
    json_t *m;
    json_object_foreach((json_t *)(uintptr_t)v, key, m) {
      if (schema == NULL || !ha__schema_has(schema, key)) {
        json_dump_member(o, key, m, NULL, depth, &first);
      }
    }
    if (!o->compact) {
      json_out_str(o, "\n");
      json_out_indent(o, depth);
    }
    json_out_str(o, "}");
    return;
  }
  case JSON_ARRAY: {
    size_t n = json_array_size(v);
    if (n == 0) {
      json_out_str(o, "[]");
      return;
    }
    int inline_ = n <= 16 || o->compact;
    for (size_t i = 0; i < n && inline_; i++) {
      inline_ = is_scalar(json_array_get(v, i));
    }
    json_out_str(o, "[");
    for (size_t i = 0; i < n; i++) {
      if (inline_) {
        json_out_str(o, i ? (o->compact ? "," : ", ") : "");
      } else {
        json_out_str(o, i ? ",\n" : "\n");
        json_out_indent(o, depth + 1);
      }
      json_dump_value(o, json_array_get(v, i), schema, depth + 1);
    }
    if (!inline_) {
      json_out_str(o, "\n");
      json_out_indent(o, depth);
    }
    json_out_str(o, "]");
    return;
  }
  case JSON_STRING: put_string(o, json_string_value(v), json_string_length(v)); return;
  case JSON_INTEGER:
    snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    json_out_str(o, num);
    return;
  case JSON_REAL:
    ha__format_double_ex(num, sizeof(num), json_real_value(v), HA__FORMAT_JSON);
    json_out_str(o, num);
    return;
  case JSON_TRUE: json_out_str(o, "true"); return;
  case JSON_FALSE: json_out_str(o, "false"); return;
  case JSON_NULL: json_out_str(o, "null"); return;
  }
}

ha_status ha__json_compact(const json_t *v, char **outp) {
  json_out o = {{NULL, 0, 0, 0}, 1};
  json_dump_value(&o, v, NULL, 0);
  if (o.t.oom || o.t.buf == NULL) {
    free(o.t.buf);
    return HA_ENOMEM;
  }
  *outp = o.t.buf;
  return HA_OK;
}

ha_status ha__show_dump(const json_t *doc, char **outp, size_t *len) {
  json_out o = {{NULL, 0, 0, 0}, 0};
  json_dump_value(&o, doc, &ha__schema_root, 0);
  json_out_str(&o, "\n");
  if (o.t.oom) {
    free(o.t.buf);
    return HA_ENOMEM;
  }
  *outp = o.t.buf;
  if (len != NULL) {
    *len = o.t.len;
  }
  return HA_OK;
}

/* ---- JSON Pointer ---- */

/* The next reference token of `p` (after its '/') into tok, unescaped;
 * returns the rest, or NULL when malformed. */
static const char *next_token(const char *p, char *tok, size_t cap) {
  size_t n = 0;
  p++; /* '/' */
  while (*p != '\0' && *p != '/') {
    char c = *p++;
    if (c == '~') {
      if (*p == '0') {
        c = '~';
      } else if (*p == '1') {
        c = '/';
      } else {
        return NULL;
      }
      p++;
    }
    if (n + 1 >= cap) {
      return NULL;
    }
    tok[n++] = c;
  }
  tok[n] = '\0';
  return p;
}

/* Array index of a token: digits without a leading zero; -1 otherwise. */
static long long token_index(const char *t) {
  if (t[0] == '\0' || (t[0] == '0' && t[1] != '\0') || strlen(t) > 9) {
    return -1;
  }
  long long v = 0;
  for (const char *c = t; *c; c++) {
    if (*c < '0' || *c > '9') {
      return -1;
    }
    v = v * 10 + (*c - '0');
  }
  return v;
}

static json_t *pointer_step(json_t *cur, const char *tok) {
  if (json_is_object(cur)) {
    return json_object_get(cur, tok);
  }
  if (json_is_array(cur)) {
    long long i = token_index(tok);
    return i >= 0 ? json_array_get(cur, (size_t)i) : NULL;
  }
  return NULL;
}

json_t *ha__pointer_get(json_t *root, const char *pointer) {
  if (pointer == NULL) {
    return NULL;
  }
  json_t *cur = root;
  const char *p = pointer;
  char tok[512];
  while (*p != '\0' && cur != NULL) {
    if (*p != '/' || (p = next_token(p, tok, sizeof(tok))) == NULL) {
      return NULL;
    }
    cur = pointer_step(cur, tok);
  }
  return cur;
}

/* `cur`'s child at `tok` made the caller's own: a shared container (more
 * than one reference: another document, a history step) is replaced by a
 * shallow copy. NULL on ENOMEM. */
static json_t *own_child(json_t *cur, const char *tok, json_t *child) {
  if ((!json_is_object(child) && !json_is_array(child)) || child->refcount <= 1) {
    return child;
  }
  json_t *copy = json_copy(child);
  int rc = -1;
  if (copy != NULL && json_is_object(cur)) {
    rc = json_object_set_new(cur, tok, copy);
  } else if (copy != NULL) {
    rc = json_array_set_new(cur, (size_t)token_index(tok), copy);
  }
  return rc == 0 ? copy : NULL;
}

ha_status ha__pointer_parent_own(json_t *root, const char *pointer, json_t **parent, char *token,
                                 size_t cap) {
  if (pointer == NULL || pointer[0] != '/') {
    return HA_EINVAL;
  }
  json_t *cur = root;
  const char *p = pointer;
  for (;;) {
    p = next_token(p, token, cap);
    if (p == NULL) {
      return HA_EINVAL;
    }
    if (*p == '\0') {
      *parent = cur;
      return HA_OK;
    }
    json_t *child = pointer_step(cur, token);
    if (child == NULL) {
      return HA_ENOTFOUND;
    }
    cur = own_child(cur, token, child);
    if (cur == NULL) {
      return HA_ENOMEM;
    }
  }
}

void ha__pointer_to_path(const json_t *root, const char *pointer, char *buf, size_t cap) {
  if (cap == 0) {
    return;
  }
  buf[0] = '\0';
  const json_t *cur = root;
  const char *p = pointer;
  char tok[512], tmp[512];
  while (p != NULL && *p == '/') {
    p = next_token(p, tok, sizeof(tok));
    if (p == NULL) {
      return;
    }
    long long idx = token_index(tok);
    if ((cur != NULL && json_is_array(cur) && idx >= 0) || (cur == NULL && idx >= 0) ||
        (json_is_array(cur) && strcmp(tok, "-") == 0)) {
      size_t len = strlen(buf);
      snprintf(buf + len, cap - len, "[%.20s]", tok);
    } else {
      snprintf(tmp, sizeof(tmp), "%s", buf);
      ha__path_join(buf, cap, tmp, tok);
    }
    cur = cur != NULL ? pointer_step((json_t *)(uintptr_t)cur, tok) : NULL;
  }
}
