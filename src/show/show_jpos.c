/* Source positions for JSON values, by JSON path.
 *
 * jansson reports line and column only for syntax errors, but a show's
 * diagnostics must point at the offending value of a well-formed file. So,
 * after jansson has accepted the text, this small scanner walks it once more
 * and records, for every value, the (line, column) of its first character
 * and of its key, keyed by the same path strings the validator prints.
 * Columns count characters (UTF-8 sequences count once), as jansson does.
 * The scan runs at the first lookup only (most files have nothing to
 * report: loading them never scans).
 * Rejected: recording positions in a tree parallel to jansson's — lookups by
 * path are simpler for callers that build paths anyway, and cost one hash. */
#include "show_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct scan {
  const char *s;
  size_t n, i;
  int line, col;
  ha__path path;
  ha__strmap *map;
  ha__text key; /* the last key decoded */
  int oom;
} scan;

static void scan_adv(scan *sc) {
  unsigned char c = (unsigned char)sc->s[sc->i++];
  if (c == '\n') {
    sc->line++;
    sc->col = 1;
  } else if ((c & 0xC0u) != 0x80u) {
    sc->col++;
  }
}

static int scan_peek(const scan *sc) {
  return sc->i < sc->n ? (unsigned char)sc->s[sc->i] : -1;
}

static void scan_skip_ws(scan *sc) {
  int c = scan_peek(sc);
  while (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
    scan_adv(sc);
    c = scan_peek(sc);
  }
}

/* Append to the key being decoded; -1 (and the scan's oom) on ENOMEM. */
static int scan_key_put(scan *sc, const char *b, size_t n) {
  ha__text_append(&sc->key, b, n);
  if (sc->key.oom) {
    sc->oom = 1;
    return -1;
  }
  return 0;
}

static unsigned scan_hex4(const char *p) {
  unsigned v = 0;
  for (int k = 0; k < 4; k++) {
    char c = p[k];
    v <<= 4;
    v |= (unsigned)(c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                           : c - 'A' + 10);
  }
  return v;
}

/* Skip a string at sc->i (which is '"'); when `decode`, its text (escapes
 * resolved, as jansson stores keys) replaces sc->key. */
static void scan_string(scan *sc, int decode) {
  if (decode) {
    sc->key.len = 0;
    if (scan_key_put(sc, "", 0) != 0) {
      return;
    }
  }
  scan_adv(sc); /* opening quote */
  while (sc->i < sc->n && sc->s[sc->i] != '"') {
    if (sc->s[sc->i] != '\\') {
      if (decode && scan_key_put(sc, sc->s + sc->i, 1) != 0) {
        return;
      }
      scan_adv(sc);
      continue;
    }
    scan_adv(sc);
    char e = sc->i < sc->n ? sc->s[sc->i] : '\0';
    char one = e == 'b'   ? '\b'
               : e == 'f' ? '\f'
               : e == 'n' ? '\n'
               : e == 'r' ? '\r'
               : e == 't' ? '\t'
                          : e;
    if (e != 'u') {
      if (decode && scan_key_put(sc, &one, 1) != 0) {
        return;
      }
      scan_adv(sc);
      continue;
    }
    /* \uXXXX, with a surrogate pair as one code point (jansson checked it). */
    unsigned cp = sc->i + 5 <= sc->n ? scan_hex4(sc->s + sc->i + 1) : 0xFFFDu;
    for (int k = 0; k < 5 && sc->i < sc->n; k++) {
      scan_adv(sc);
    }
    if (cp >= 0xD800u && cp <= 0xDBFFu && sc->i + 6 <= sc->n && sc->s[sc->i] == '\\' &&
        sc->s[sc->i + 1] == 'u') {
      unsigned lo = scan_hex4(sc->s + sc->i + 2);
      cp = 0x10000u + ((cp - 0xD800u) << 10) + (lo - 0xDC00u);
      for (int k = 0; k < 6; k++) {
        scan_adv(sc);
      }
    }
    char u[4];
    size_t un;
    if (cp < 0x80u) {
      u[0] = (char)cp;
      un = 1;
    } else if (cp < 0x800u) {
      u[0] = (char)(0xC0u | (cp >> 6));
      u[1] = (char)(0x80u | (cp & 0x3Fu));
      un = 2;
    } else if (cp < 0x10000u) {
      u[0] = (char)(0xE0u | (cp >> 12));
      u[1] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
      u[2] = (char)(0x80u | (cp & 0x3Fu));
      un = 3;
    } else {
      u[0] = (char)(0xF0u | (cp >> 18));
      u[1] = (char)(0x80u | ((cp >> 12) & 0x3Fu));
      u[2] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
      u[3] = (char)(0x80u | (cp & 0x3Fu));
      un = 4;
    }
    if (decode && scan_key_put(sc, u, un) != 0) {
      return;
    }
  }
  if (sc->i < sc->n) {
    scan_adv(sc); /* closing quote */
  }
}

static void scan_record(scan *sc, int kline, int kcol, int vline, int vcol) {
  ha__strmap_slot *s = ha__strmap_put(sc->map, ha__path_str(&sc->path));
  if (s == NULL || sc->path.oom) {
    sc->oom = 1;
    return;
  }
  s->a = kline;
  s->b = kcol;
  s->c = vline;
  s->d = vcol;
}

static void scan_value(scan *sc, int kline, int kcol);

/* The members of an object or the elements of an array (at its opening
 * bracket; `close` is its closing one), each recorded under its key or
 * index, a member with the position of its key. */
static void scan_container(scan *sc, int close) {
  scan_adv(sc);
  scan_skip_ws(sc);
  if (scan_peek(sc) == close) {
    scan_adv(sc);
    return;
  }
  for (size_t k = 0; !sc->oom && sc->i < sc->n; k++) {
    int kl = 0, kc = 0;
    size_t mark;
    if (close == '}') {
      scan_skip_ws(sc);
      kl = sc->line;
      kc = sc->col;
      scan_string(sc, 1);
      scan_skip_ws(sc);
      if (scan_peek(sc) == ':') {
        scan_adv(sc);
      }
      mark = ha__path_key(&sc->path, sc->key.buf != NULL ? sc->key.buf : "");
    } else {
      mark = ha__path_index(&sc->path, k);
    }
    scan_value(sc, kl, kc);
    ha__path_pop(&sc->path, mark);
    scan_skip_ws(sc);
    if (scan_peek(sc) != ',') {
      if (scan_peek(sc) == close) {
        scan_adv(sc);
      }
      return;
    }
    scan_adv(sc);
  }
}

static void scan_value(scan *sc, int kline, int kcol) {
  scan_skip_ws(sc);
  scan_record(sc, kline, kcol, sc->line, sc->col);
  int c = scan_peek(sc);
  if (sc->oom || c < 0) {
    return;
  }
  if (c == '{' || c == '[') {
    scan_container(sc, c == '{' ? '}' : ']');
    return;
  }
  if (c == '"') {
    scan_string(sc, 0);
    return;
  }
  while (sc->i < sc->n && strchr(",]} \t\r\n", sc->s[sc->i]) == NULL) {
    scan_adv(sc);
  }
}

void ha__posmap_init(ha__posmap *pm) {
  memset(pm, 0, sizeof(*pm));
}

void ha__posmap_deinit(ha__posmap *pm) {
  ha__strmap_deinit(&pm->map);
  for (size_t i = 0; i < pm->nrenames; i++) {
    free(pm->renames[i].from);
    free(pm->renames[i].to);
  }
  memset(pm, 0, sizeof(*pm));
}

ha_status ha__posmap_scan(ha__posmap *pm, const char *text, size_t len) {
  pm->text = text;
  pm->len = len;
  pm->scanned = 0;
  return HA_OK;
}

/* The scan itself, once, at the first lookup. */
static void posmap_scan_now(ha__posmap *pm) {
  const char *text = pm->text;
  size_t len = pm->len;
  scan sc;
  memset(&sc, 0, sizeof(sc));
  sc.s = text;
  sc.n = len;
  sc.line = 1;
  sc.col = 1;
  sc.map = &pm->map;
  ha__path_init(&sc.path);
  scan_value(&sc, 0, 0);
  ha__path_deinit(&sc.path);
  free(sc.key.buf);
  pm->scanned = sc.oom ? -1 : 1;
}

void ha__posmap_rename(ha__posmap *pm, const char *from, const char *to) {
  if (pm == NULL || pm->nrenames == HA__COUNTOF(pm->renames)) {
    return;
  }
  char *f = strdup(from), *t = strdup(to);
  if (f == NULL || t == NULL) {
    free(f);
    free(t);
    return;
  }
  pm->renames[pm->nrenames].from = f;
  pm->renames[pm->nrenames].to = t;
  pm->nrenames++;
}

/* Length of the path without its last component ("a.b[2]" -> "a.b"). */
static size_t parent_len(const char *p) {
  size_t i = 0, last = 0;
  while (p[i] != '\0') {
    last = i;
    if (p[i] == '[') {
      if (p[i + 1] == '"') {
        i += 2;
        while (p[i] != '\0' && p[i] != '"') {
          i += p[i] == '\\' && p[i + 1] != '\0' ? 2 : 1;
        }
      }
      while (p[i] != '\0' && p[i] != ']') {
        i++;
      }
      if (p[i] == ']') {
        i++;
      }
    } else {
      i++; /* '.' or the first character of the root key */
      while (p[i] != '\0' && p[i] != '.' && p[i] != '[') {
        i++;
      }
    }
  }
  return last;
}

static int find_exact(const ha__posmap *pm, const char *path, int key, int *line, int *col,
                      int depth) {
  const ha__strmap_slot *s = ha__strmap_get(&pm->map, path);
  if (s != NULL) {
    int use_key = key && s->a > 0;
    *line = use_key ? s->a : s->c;
    *col = use_key ? s->b : s->d;
    return 1;
  }
  if (depth > 2) {
    return 0;
  }
  /* A key renamed by a migration: try the old spelling of each component. */
  for (size_t i = 0; i < pm->nrenames; i++) {
    size_t n = strlen(pm->renames[i].to);
    for (const char *c = strchr(path, '.'); c != NULL; c = strchr(c + 1, '.')) {
      char next = c[1 + n];
      if (strncmp(c + 1, pm->renames[i].to, n) == 0 &&
          (next == '\0' || next == '.' || next == '[')) {
        char buf[512];
        snprintf(buf, sizeof(buf), "%.*s.%s%s", (int)(c - path), path, pm->renames[i].from,
                 c + 1 + n);
        if (find_exact(pm, buf, key, line, col, depth + 1)) {
          return 1;
        }
      }
    }
  }
  return 0;
}

void ha__posmap_find(ha__posmap *pm, const char *path, int key, int *line, int *column) {
  *line = 0;
  *column = 0;
  if (pm == NULL || path == NULL) {
    return;
  }
  if (pm->scanned == 0 && pm->text != NULL) {
    posmap_scan_now(pm);
  }
  if (pm->scanned < 0) {
    return;
  }
  char buf[512];
  snprintf(buf, sizeof(buf), "%s", path);
  for (;;) {
    if (find_exact(pm, buf, key, line, column, 0)) {
      return;
    }
    if (buf[0] == '\0') {
      return;
    }
    buf[parent_len(buf)] = '\0';
    key = 0; /* an ancestor: point at its value (the enclosing object) */
  }
}
