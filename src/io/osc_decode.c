/* OSC 1.0 strict decoder: ha_osc_decode, ha_osc_decode_message,
 * ha_osc_validate, bundle iteration and argument conversion.
 *
 * Design. The decoder validates before it reads: every string is found with
 * memchr inside the remaining bytes, every fixed-size argument and blob is
 * checked against what is left, padding must be NUL, and the whole packet
 * must be consumed. Bundle framing is checked recursively with an explicit
 * depth bound, so a hostile packet can neither overrun the buffer nor the
 * stack. Arguments are views into the packet; the caller owns the argument
 * array. Rejected alternative: decoding into a linked list or a heap array
 * (liblo), which costs allocations per message on the receive path.
 *
 * A message is read in named steps that share one cursor (msg_reader): the
 * head (length, address, type tag string), then one reader per argument
 * kind, then the '[...]' bookkeeping. The steps are static inline so the
 * compiler still sees the one loop it had before the split. Every rejection
 * goes through malformed(), which records the byte offset in the outermost
 * packet and a reason; tests/test_osc.c pins each of them.
 */
#include "io_internal.h"

#include "holoanim/osc.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * Errors and the shared checks
 * ------------------------------------------------------------------------- */

static ha_status malformed(ha_error *err, size_t offset, const char *fmt, ...) HA__PRINTF(3, 4);

/* Fills `err` for a rejected packet: status HA_EMALFORMED, kind Parse,
 * category bridge, column = byte offset + 1, value "byte N". */
static ha_status malformed(ha_error *err, size_t offset, const char *fmt, ...) {
  if (err == NULL) {
    return HA_EMALFORMED;
  }
  memset(err, 0, sizeof *err);
  err->status = HA_EMALFORMED;
  err->kind = HA_ERROR_PARSE;
  err->category = HA_CATEGORY_BRIDGE;
  snprintf(err->name, sizeof err->name, "osc");
  snprintf(err->value, sizeof err->value, "byte %zu", offset);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->reason, sizeof err->reason, fmt, ap);
  va_end(ap);
  err->line = 1;
  err->column = offset < (size_t)INT_MAX ? (int)offset + 1 : INT_MAX;
  snprintf(err->message, sizeof err->message, "osc: malformed packet at byte %zu: %s", offset,
           err->reason);
  return HA_EMALFORMED;
}

static ha_status too_many_args(ha_error *err, size_t needed, size_t cap) {
  if (err == NULL) {
    return HA_ENOBUFS;
  }
  memset(err, 0, sizeof *err);
  err->status = HA_ENOBUFS;
  err->kind = HA_ERROR_RESOURCE_EXHAUSTED;
  err->category = HA_CATEGORY_BRIDGE;
  snprintf(err->name, sizeof err->name, "osc arguments");
  snprintf(err->value, sizeof err->value, "%zu", needed);
  err->limit = (uint64_t)cap;
  snprintf(err->reason, sizeof err->reason, "message has %zu arguments, capacity is %zu", needed,
           cap);
  snprintf(err->message, sizeof err->message, "osc arguments: %s", err->reason);
  return HA_ENOBUFS;
}

/* A printable rendering of a tag byte for error messages. */
static void tag_text(char out[8], uint8_t t) {
  if (t >= 0x20 && t < 0x7f) {
    snprintf(out, 8, "'%c'", (char)t);
  } else {
    snprintf(out, 8, "0x%02x", (unsigned)t);
  }
}

/* Check the OSC-string at d[off..len) (off a multiple of 4): NUL found inside
 * the packet, padding NUL. Sets *slen and *next (offset after padding). */
static ha_status check_string(const uint8_t *d, size_t len, size_t off, size_t base,
                              const char *what, size_t *slen, size_t *next, ha_error *err) {
  const uint8_t *nul = memchr(d + off, 0, len - off);
  if (nul == NULL) {
    return malformed(err, base + off, "unterminated %s (no NUL before the end)", what);
  }
  size_t n = (size_t)(nul - (d + off));
  size_t end = off + ha__pad4(n + 1);
  if (end > len) {
    return malformed(err, base + off, "%s padding runs past the end", what);
  }
  for (size_t k = off + n + 1; k < end; k++) {
    if (d[k] != 0) {
      return malformed(err, base + k, "non-NUL padding byte 0x%02x after %s", (unsigned)d[k], what);
    }
  }
  *slen = n;
  *next = end;
  return HA_OK;
}

/* Bytes `need` must remain at off for argument `idx` with tag `t`. */
static ha_status need_bytes(size_t len, size_t off, size_t need, size_t base, size_t idx, uint8_t t,
                            ha_error *err) {
  if (len - off < need) {
    char tt[8];
    tag_text(tt, t);
    return malformed(err, base + off, "truncated argument %zu (%s): needs %zu bytes, %zu left", idx,
                     tt, need, len - off);
  }
  return HA_OK;
}

/* ---------------------------------------------------------------------------
 * Messages
 * ------------------------------------------------------------------------- */

/* A message being decoded: its bytes, their offset in the outermost packet
 * (errors report that one), the next unread byte, where errors go. */
typedef struct {
  const uint8_t *d;
  size_t len;
  size_t base;
  size_t off;
  ha_error *err;
} msg_reader;

/* Length, leading '/', the address and the ',' type tag string. On success
 * r->off is at the first argument, *alen is the address length, *tag_off the
 * offset of the ',' and *tlen the type tag string's length with its ','. */
static inline ha_status read_message_head(msg_reader *r, size_t *alen, size_t *tag_off,
                                          size_t *tlen) {
  const uint8_t *d = r->d;
  size_t len = r->len, base = r->base;
  if (len == 0) {
    return malformed(r->err, base, "empty packet");
  }
  if (len % 4 != 0) {
    return malformed(r->err, base, "length %zu is not a multiple of 4", len);
  }
  if (d[0] != '/') {
    if (d[0] == '#') {
      return malformed(r->err, base, "expected a message, found a bundle");
    }
    char tt[8];
    tag_text(tt, d[0]);
    return malformed(r->err, base, "address does not start with '/' (found %s)", tt);
  }
  size_t off;
  ha_status st = check_string(d, len, 0, base, "address", alen, &off, r->err);
  if (st != HA_OK) {
    return st;
  }
  if (off == len) {
    return malformed(r->err, base + off, "missing type tag string");
  }
  if (d[off] != ',') {
    char tt[8];
    tag_text(tt, d[off]);
    return malformed(r->err, base + off, "type tag string does not start with ',' (found %s)", tt);
  }
  *tag_off = off;
  size_t next; /* not &r->off: the cursor stays in a register */
  st = check_string(d, len, off, base, "type tag string", tlen, &next, r->err);
  if (st == HA_OK) {
    r->off = next;
  }
  return st;
}

/* Argument k with a one-word tag t (i f c r m). */
static inline ha_status read_word_arg(msg_reader *r, size_t k, uint8_t t, ha_osc_arg *a) {
  ha_status st = need_bytes(r->len, r->off, 4, r->base, k, t, r->err);
  if (st != HA_OK) {
    return st;
  }
  const uint8_t *p = r->d + r->off;
  uint32_t u = ha__get_be32(p);
  if (t == 'i') {
    memcpy(&a->v.i, &u, 4);
  } else if (t == 'f') {
    memcpy(&a->v.f, &u, 4);
  } else if (t == 'c') {
    a->v.c = (char)(unsigned char)(u & 0xFFu);
  } else if (t == 'r') {
    a->v.r = u;
  } else {
    memcpy(a->v.m, p, 4);
  }
  r->off += 4;
  return HA_OK;
}

/* Argument k with a two-word tag t (h t d). */
static inline ha_status read_dword_arg(msg_reader *r, size_t k, uint8_t t, ha_osc_arg *a) {
  ha_status st = need_bytes(r->len, r->off, 8, r->base, k, t, r->err);
  if (st != HA_OK) {
    return st;
  }
  uint64_t u = ha__get_be64(r->d + r->off);
  if (t == 'h') {
    memcpy(&a->v.h, &u, 8);
  } else if (t == 't') {
    a->v.t = u;
  } else {
    memcpy(&a->v.d, &u, 8);
  }
  r->off += 8;
  return HA_OK;
}

/* Argument k, a string ('s') or a symbol ('S'): a view into the packet. */
static inline ha_status read_string_arg(msg_reader *r, size_t k, uint8_t t, ha_osc_arg *a) {
  if (r->off == r->len) {
    return need_bytes(r->len, r->off, 4, r->base, k, t, r->err);
  }
  size_t slen, next;
  ha_status st =
      check_string(r->d, r->len, r->off, r->base, t == 's' ? "string argument" : "symbol argument",
                   &slen, &next, r->err);
  if (st != HA_OK) {
    return st;
  }
  a->v.s.ptr = (const char *)(r->d + r->off);
  a->v.s.len = slen;
  r->off = next;
  return HA_OK;
}

/* Argument k, a blob: size word, bytes, NUL padding; a view into the packet. */
static inline ha_status read_blob_arg(msg_reader *r, size_t k, ha_osc_arg *a) {
  const uint8_t *d = r->d;
  size_t len = r->len, off = r->off, base = r->base;
  ha_status st = need_bytes(len, off, 4, base, k, 'b', r->err);
  if (st != HA_OK) {
    return st;
  }
  int32_t size = ha__get_be_i32(d + off);
  if (size < 0) {
    return malformed(r->err, base + off, "blob size %d is negative", (int)size);
  }
  size_t left = len - off - 4;
  if ((size_t)size > left) {
    return malformed(r->err, base + off, "blob size %d runs past the end (%zu bytes left)",
                     (int)size, left);
  }
  size_t end = off + 4 + ha__pad4((size_t)size);
  if (end > len) {
    return malformed(r->err, base + off, "blob padding runs past the end");
  }
  for (size_t j = off + 4 + (size_t)size; j < end; j++) {
    if (d[j] != 0) {
      return malformed(r->err, base + j, "non-NUL padding byte 0x%02x after blob", (unsigned)d[j]);
    }
  }
  a->v.b.ptr = size > 0 ? d + off + 4 : NULL;
  a->v.b.size = (size_t)size;
  r->off = end;
  return HA_OK;
}

/* Argument k with tag t, found at byte tag_at of the message, into *a (its
 * type already set); `depth` arrays are open before it. */
static inline ha_status read_arg(msg_reader *r, size_t k, uint8_t t, size_t tag_at, size_t depth,
                                 ha_osc_arg *a) {
  switch (t) {
  case 'i':
  case 'f':
  case 'c':
  case 'r':
  case 'm': return read_word_arg(r, k, t, a);
  case 'h':
  case 't':
  case 'd': return read_dword_arg(r, k, t, a);
  case 's':
  case 'S': return read_string_arg(r, k, t, a);
  case 'b': return read_blob_arg(r, k, a);
  case 'T': a->v.tf = true; return HA_OK;
  case 'F': a->v.tf = false; return HA_OK;
  case 'N':
  case 'I': return HA_OK;
  case '[':
    if (depth == HA_OSC_MAX_DEPTH) {
      return malformed(r->err, r->base + tag_at, "arrays nested deeper than %d", HA_OSC_MAX_DEPTH);
    }
    return HA_OK;
  case ']':
    if (depth == 0) {
      return malformed(r->err, r->base + tag_at, "unbalanced ']' at type tag %zu", k);
    }
    return HA_OK;
  default: {
    char tt[8];
    tag_text(tt, t);
    return malformed(r->err, r->base + tag_at, "unknown type tag %s at position %zu", tt, k);
  }
  }
}

/* The arrays open while the type tags are read: the args index of each
 * open '[', the first `depth` of them meaningful. */
typedef struct {
  size_t open[HA_OSC_MAX_DEPTH];
  size_t depth;
} arg_arrays;

/* Array bookkeeping after tag t of argument k was read (and checked): a ']'
 * closes its '[' and does not count as an element; everything else (a nested
 * '[' included) is one element of the enclosing array. Entries past `cap`
 * are counted but not stored. */
static inline void track_arrays(arg_arrays *arr, ha_osc_arg *args, size_t cap, size_t k,
                                uint8_t t) {
  if (t == ']') {
    arr->depth--;
    if (args != NULL && arr->open[arr->depth] < cap) {
      args[arr->open[arr->depth]].v.array.end = k;
    }
    return;
  }
  if (arr->depth > 0 && args != NULL && arr->open[arr->depth - 1] < cap) {
    args[arr->open[arr->depth - 1]].v.array.count++;
  }
  if (t == '[') {
    arr->open[arr->depth++] = k;
  }
}

static ha_status decode_message_at(const uint8_t *d, size_t len, size_t base, ha_osc_message *msg,
                                   ha_osc_arg *args, size_t cap, ha_error *err) {
  msg_reader r = {d, len, base, 0, err};
  size_t alen = 0, tag_off = 0, tlen = 0;
  ha_status st = read_message_head(&r, &alen, &tag_off, &tlen);
  if (st != HA_OK) {
    return st;
  }
  const uint8_t *tags = d + tag_off + 1;
  size_t ntags = tlen - 1;
  arg_arrays arr;
  arr.depth = 0;
  for (size_t k = 0; k < ntags; k++) {
    uint8_t t = tags[k];
    ha_osc_arg a;
    memset(&a, 0, sizeof a);
    a.type = (ha_osc_type)t;
    st = read_arg(&r, k, t, tag_off + 1 + k, arr.depth, &a);
    if (st != HA_OK) {
      return st;
    }
    track_arrays(&arr, args, cap, k, t);
    if (args != NULL && k < cap) {
      args[k] = a;
    }
  }
  if (arr.depth != 0) {
    return malformed(err, base + tag_off + 1 + ntags, "unbalanced '[': %zu array(s) not closed",
                     arr.depth);
  }
  if (r.off != len) {
    return malformed(err, base + r.off, "%zu unexpected bytes after the last argument",
                     len - r.off);
  }
  msg->address = (const char *)d;
  msg->address_len = alen;
  msg->typetags = (const char *)tags;
  msg->typetag_len = ntags;
  msg->args = args;
  msg->arg_count = ntags;
  if (args != NULL && ntags > cap) {
    return too_many_args(err, ntags, cap);
  }
  return HA_OK;
}

ha_status ha_osc_decode_message(const uint8_t *data, size_t len, ha_osc_message *msg,
                                ha_osc_arg *args, size_t cap, ha_error *err) {
  if (data == NULL || msg == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_BRIDGE, "data", NULL, "must not be NULL");
  }
  return decode_message_at(data, len, 0, msg, args, cap, err);
}

/* Validate the framing of the bundle d[0..len): header, element sizes and
 * kinds, nested bundles to HA_OSC_MAX_DEPTH. `base` is d's offset in the
 * outermost packet, for error messages. */
static ha_status check_bundle(const uint8_t *d, size_t len, size_t base, unsigned depth,
                              ha_error *err) {
  if (len < 16) {
    return malformed(err, base, "bundle too short: %zu bytes, needs at least 16", len);
  }
  if (memcmp(d, "#bundle", 8) != 0) {
    return malformed(err, base, "bad bundle header (expected \"#bundle\" and a NUL)");
  }
  if (depth > HA_OSC_MAX_DEPTH) {
    return malformed(err, base, "bundles nested deeper than %d", HA_OSC_MAX_DEPTH);
  }
  size_t off = 16;
  while (off < len) {
    if (len - off < 4) {
      return malformed(err, base + off, "truncated bundle element size");
    }
    int32_t size = ha__get_be_i32(d + off);
    if (size < 0) {
      return malformed(err, base + off, "bundle element size %d is negative", (int)size);
    }
    if (size == 0) {
      return malformed(err, base + off, "empty bundle element (size 0)");
    }
    if (size % 4 != 0) {
      return malformed(err, base + off, "bundle element size %d is not a multiple of 4", (int)size);
    }
    size_t left = len - off - 4;
    if ((size_t)size > left) {
      return malformed(err, base + off, "bundle element size %d runs past the end (%zu bytes left)",
                       (int)size, left);
    }
    const uint8_t *e = d + off + 4;
    if (e[0] == '#') {
      ha_status st = check_bundle(e, (size_t)size, base + off + 4, depth + 1, err);
      if (st != HA_OK) {
        return st;
      }
    } else if (e[0] != '/') {
      return malformed(err, base + off + 4,
                       "bundle element is neither a message ('/') nor a bundle ('#')");
    }
    off += 4 + (size_t)size;
  }
  return HA_OK;
}

static ha_status decode_at(const uint8_t *d, size_t len, size_t base, ha_osc_packet *pkt,
                           ha_osc_arg *args, size_t cap, ha_error *err) {
  if (len == 0) {
    return malformed(err, base, "empty packet");
  }
  if (len % 4 != 0) {
    return malformed(err, base, "length %zu is not a multiple of 4", len);
  }
  if (d[0] == '#') {
    ha_status st = check_bundle(d, len, base, 1, err);
    if (st != HA_OK) {
      return st;
    }
    pkt->kind = HA_OSC_PACKET_BUNDLE;
    pkt->bundle.timetag = ha__get_be64(d + 8);
    pkt->bundle.elements = d + 16;
    pkt->bundle.len = len - 16;
    pkt->bundle.pos = 0;
    return HA_OK;
  }
  pkt->kind = HA_OSC_PACKET_MESSAGE;
  return decode_message_at(d, len, base, &pkt->message, args, cap, err);
}

ha_status ha_osc_decode(const uint8_t *data, size_t len, ha_osc_packet *pkt, ha_osc_arg *args,
                        size_t cap, ha_error *err) {
  if (data == NULL || pkt == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_BRIDGE, "data", NULL, "must not be NULL");
  }
  memset(pkt, 0, sizeof *pkt);
  return decode_at(data, len, 0, pkt, args, cap, err);
}

bool ha_osc_bundle_next(ha_osc_bundle *b, const uint8_t **elem, size_t *elem_len) {
  if (b == NULL || b->elements == NULL || b->pos >= b->len || b->len - b->pos < 4) {
    return false;
  }
  int32_t size = ha__get_be_i32(b->elements + b->pos);
  if (size <= 0 || (size_t)size > b->len - b->pos - 4) {
    b->pos = b->len; /* inconsistent framing: stop for good */
    return false;
  }
  if (elem != NULL) {
    *elem = b->elements + b->pos + 4;
  }
  if (elem_len != NULL) {
    *elem_len = (size_t)size;
  }
  b->pos += 4 + (size_t)size;
  return true;
}

/* Recursion is bounded: decode_at has validated the framing of the whole tree
 * to HA_OSC_MAX_DEPTH before we descend. */
static ha_status validate_at(const uint8_t *d, size_t len, size_t base, ha_error *err) {
  ha_osc_packet pkt;
  memset(&pkt, 0, sizeof pkt);
  ha_status st = decode_at(d, len, base, &pkt, NULL, 0, err);
  if (st != HA_OK || pkt.kind == HA_OSC_PACKET_MESSAGE) {
    return st;
  }
  const uint8_t *e;
  size_t elen;
  while (ha_osc_bundle_next(&pkt.bundle, &e, &elen)) {
    st = validate_at(e, elen, base + (size_t)(e - d), err);
    if (st != HA_OK) {
      return st;
    }
  }
  return HA_OK;
}

ha_status ha_osc_validate(const uint8_t *data, size_t len, ha_error *err) {
  if (data == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_BRIDGE, "data", NULL, "must not be NULL");
  }
  return validate_at(data, len, 0, err);
}

bool ha_osc_arg_to_double(const ha_osc_arg *arg, double *out) {
  double v;
  if (arg == NULL) {
    return false;
  }
  switch (arg->type) {
  case HA_OSC_INT32: v = (double)arg->v.i; break;
  case HA_OSC_FLOAT32: v = (double)arg->v.f; break;
  case HA_OSC_INT64: v = (double)arg->v.h; break;
  case HA_OSC_DOUBLE: v = arg->v.d; break;
  case HA_OSC_TRUE: v = 1.0; break;
  case HA_OSC_FALSE: v = 0.0; break;
  case HA_OSC_STRING:
  case HA_OSC_BLOB:
  case HA_OSC_TIMETAG:
  case HA_OSC_SYMBOL:
  case HA_OSC_CHAR:
  case HA_OSC_RGBA:
  case HA_OSC_MIDI:
  case HA_OSC_NIL:
  case HA_OSC_INFINITUM:
  case HA_OSC_ARRAY_BEGIN:
  case HA_OSC_ARRAY_END:
  default: return false;
  }
  if (out != NULL) {
    *out = v;
  }
  return true;
}
