/* OSC 1.0 codec: zero-allocation encoders, a validating decoder, address
 * pattern matching.
 *
 * Design. Encoders write straight into the caller's buffer: the size of every
 * piece is computed first, the capacity is checked once, then bytes are
 * stored with memcpy and explicit big-endian helpers (never through casted
 * pointers, so alignment and strict aliasing are never an issue). Padding is
 * produced by zeroing the last 32-bit word of a padded field before copying
 * its bytes, which costs one store instead of a loop. The `,fff` fast paths
 * exist because the real-time player emits one `/track/N/xyz` per source per
 * tick; they format the track number with a digit loop instead of snprintf.
 *
 * The general writer takes the type tag string up front (as tinyosc does)
 * rather than growing it as arguments arrive (as liblo does): the tags precede
 * the arguments on the wire, so knowing them first lets us write every byte
 * once, in order, with no scratch memory. Each add_* call is checked against
 * the next tag, and the first error sticks so callers may check only at the
 * end.
 *
 * The decoder validates before it reads: every string is found with memchr
 * inside the remaining bytes, every fixed-size argument and blob is checked
 * against what is left, padding must be NUL, and the whole packet must be
 * consumed. Bundle framing is checked recursively with an explicit depth
 * bound, so a hostile packet can neither overrun the buffer nor the stack.
 * Arguments are views into the packet; the caller owns the argument array.
 * Rejected alternative: decoding into a linked list or a heap array (liblo),
 * which costs allocations per message on the receive path.
 */
#include "io_internal.h"

#include "holoanim/osc.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define NTP_UNIX_OFFSET 2208988800u /* seconds from 1900-01-01 to 1970-01-01 */

/* Work budget per pattern match: bounds the backtracking of '*' combined with
 * '{...}' on hostile patterns. */
#define PATTERN_MAX_STEPS 100000u
/* Deepest '{...}' recursion per segment: bounds the stack. */
#define PATTERN_MAX_BRACES 32u

/* ---------------------------------------------------------------------------
 * Sizes (byte order: ha__put_be32 & co. in io_internal.h, shared with output.c)
 * ------------------------------------------------------------------------- */

static inline size_t pad4(size_t n) {
  return (n + 3u) & ~(size_t)3u;
}

/* Capacity beyond INT_MAX cannot be reported through an int return value; a
 * datagram is at most 64 KiB anyway. */
static inline size_t clamp_cap(size_t cap) {
  return cap > (size_t)INT_MAX ? (size_t)INT_MAX : cap;
}

/* ---------------------------------------------------------------------------
 * Time tags
 * ------------------------------------------------------------------------- */

uint64_t ha_osc_timetag_from_unix(double seconds) {
  double ntp = seconds + (double)NTP_UNIX_OFFSET;
  if (!isfinite(ntp) || !(ntp >= 0.0)) {
    return 0;
  }
  double whole = floor(ntp);
  /* Scaling by 2^32 is exact, so frac * 2^32 < 2^32 whenever frac < 1. */
  uint64_t frac = (uint64_t)((ntp - whole) * 4294967296.0);
  uint64_t sec = (uint64_t)fmod(whole, 4294967296.0);
  if (frac > 0xFFFFFFFFu) {
    frac = 0xFFFFFFFFu;
  }
  return sec << 32 | frac;
}

uint64_t ha_osc_timetag_from_timespec(const struct timespec *ts) {
  int64_t sec = (int64_t)ts->tv_sec + (int64_t)NTP_UNIX_OFFSET;
  long nsec = ts->tv_nsec;
  if (sec < 0) {
    return 0;
  }
  if (nsec < 0) {
    nsec = 0;
  } else if (nsec > 999999999L) {
    nsec = 999999999L;
  }
  uint64_t frac = ((uint64_t)nsec << 32) / 1000000000u;
  return ((uint64_t)sec & 0xFFFFFFFFu) << 32 | frac;
}

double ha_osc_timetag_to_unix(uint64_t timetag) {
  double sec = (double)(timetag >> 32);
  double frac = (double)(timetag & 0xFFFFFFFFu) / 4294967296.0;
  return sec - (double)NTP_UNIX_OFFSET + frac;
}

uint64_t ha_osc_timetag_now(void) {
  struct timespec ts;
  if (timespec_get(&ts, TIME_UTC) != TIME_UTC) {
    return HA_OSC_TIMETAG_IMMEDIATE;
  }
  return ha_osc_timetag_from_timespec(&ts);
}

/* ---------------------------------------------------------------------------
 * Fast `,fff` encoders
 * ------------------------------------------------------------------------- */

/* ",fff" plus its NUL padding: one 8-byte store. */
static const uint8_t FFF_TAGS[8] = {',', 'f', 'f', 'f', 0, 0, 0, 0};

static inline void put_fff_tail(uint8_t *p, float x, float y, float z) {
  memcpy(p, FFF_TAGS, sizeof FFF_TAGS);
  ha__put_be_f32(p + 8, x);
  ha__put_be_f32(p + 12, y);
  ha__put_be_f32(p + 16, z);
}

int ha_osc_encode_fff(uint8_t *buf, size_t cap, const char *address, float x, float y, float z) {
  if (address == NULL || address[0] != '/' || (buf == NULL && cap > 0)) {
    return HA_EINVAL;
  }
  cap = clamp_cap(cap);
  size_t alen = strlen(address);
  size_t apad = pad4(alen + 1);
  if (apad > cap || cap - apad < 20) {
    return HA_ENOBUFS;
  }
  /* Zero the address's last word first: covers its NUL and padding. */
  memset(buf + apad - 4, 0, 4);
  memcpy(buf, address, alen);
  put_fff_tail(buf + apad, x, y, z);
  return (int)(apad + 20);
}

static inline size_t decimal_digits(uint32_t n) {
  size_t d = 1;
  while (n >= 10u) {
    n /= 10u;
    d++;
  }
  return d;
}

int ha_osc_encode_track_fff(uint8_t *buf, size_t cap, const char *prefix, uint32_t n,
                            const char *suffix, float x, float y, float z) {
  if (prefix == NULL || prefix[0] != '/' || (buf == NULL && cap > 0)) {
    return HA_EINVAL;
  }
  if (suffix == NULL) {
    suffix = "";
  }
  cap = clamp_cap(cap);
  size_t nd = decimal_digits(n);
  size_t plen = strlen(prefix);
  size_t slen = strlen(suffix);
  size_t alen = plen + nd + slen;
  size_t apad = pad4(alen + 1);
  if (apad < alen || apad > cap || cap - apad < 20) {
    return HA_ENOBUFS;
  }
  memset(buf + apad - 4, 0, 4);
  memcpy(buf, prefix, plen);
  /* Digits go straight into place, last digit first. */
  uint8_t *d = buf + plen + nd;
  do {
    *--d = (uint8_t)('0' + n % 10u);
    n /= 10u;
  } while (n != 0);
  memcpy(buf + plen + nd, suffix, slen);
  put_fff_tail(buf + apad, x, y, z);
  return (int)(apad + 20);
}

/* ---------------------------------------------------------------------------
 * General writer
 * ------------------------------------------------------------------------- */

static ha_status wfail(ha_osc_writer *w, ha_status st) {
  if (w->status == HA_OK) {
    w->status = st;
  }
  return (ha_status)w->status;
}

/* Room for `n` more bytes at w->buf + w->len, or NULL (and HA_ENOBUFS). */
static uint8_t *wreserve(ha_osc_writer *w, size_t n) {
  if (n > w->cap - w->len) {
    wfail(w, HA_ENOBUFS);
    return NULL;
  }
  return w->buf + w->len;
}

/* Write an OSC-string (bytes, NUL, NUL padding) at p; returns its size. */
static size_t put_string(uint8_t *p, const char *s, size_t slen) {
  size_t total = pad4(slen + 1);
  memset(p + total - 4, 0, 4);
  memcpy(p, s, slen);
  return total;
}

void ha_osc_writer_init(ha_osc_writer *w, uint8_t *buf, size_t cap) {
  memset(w, 0, sizeof *w);
  w->buf = buf;
  w->cap = clamp_cap(cap);
  w->status = (buf == NULL && cap > 0) ? HA_EINVAL : HA_OK;
}

static bool is_known_tag(char t) {
  switch (t) {
  case 'i':
  case 'f':
  case 's':
  case 'b':
  case 'h':
  case 't':
  case 'd':
  case 'S':
  case 'c':
  case 'r':
  case 'm':
  case 'T':
  case 'F':
  case 'N':
  case 'I':
  case '[':
  case ']': return true;
  default: return false;
  }
}

ha_status ha_osc_writer_begin_message(ha_osc_writer *w, const char *address, const char *typetag) {
  if (w->status != HA_OK) {
    return (ha_status)w->status;
  }
  if (w->in_message || w->done) {
    return wfail(w, HA_ESTATE);
  }
  if (address == NULL || address[0] != '/' || typetag == NULL) {
    return wfail(w, HA_EINVAL);
  }
  const char *tags = typetag[0] == ',' ? typetag + 1 : typetag;
  int depth = 0;
  size_t ntags = 0;
  for (; tags[ntags] != '\0'; ntags++) {
    char t = tags[ntags];
    if (!is_known_tag(t)) {
      return wfail(w, HA_EINVAL);
    }
    if (t == '[' && ++depth > HA_OSC_MAX_DEPTH) {
      return wfail(w, HA_EINVAL);
    }
    if (t == ']' && --depth < 0) {
      return wfail(w, HA_EINVAL);
    }
  }
  if (depth != 0) {
    return wfail(w, HA_EINVAL);
  }
  size_t alen = strlen(address);
  size_t prefix = w->depth > 0 ? 4u : 0u; /* element size, patched at the end */
  size_t need = prefix + pad4(alen + 1) + pad4(ntags + 2);
  uint8_t *p = wreserve(w, need);
  if (p == NULL) {
    return (ha_status)w->status;
  }
  size_t at = w->len + prefix;
  size_t off = at + put_string(w->buf + at, address, alen);
  size_t tsize = pad4(ntags + 2);
  memset(w->buf + off + tsize - 4, 0, 4);
  w->buf[off] = ',';
  memcpy(w->buf + off + 1, tags, ntags);
  w->msg_start = at;
  w->tag_pos = off + 1;
  w->tag_end = off + 1 + ntags;
  w->len = off + tsize;
  w->in_message = true;
  return HA_OK;
}

/* Consume the next tag if it is `expect`. */
static ha_status take_tag(ha_osc_writer *w, char expect) {
  if (w->status != HA_OK) {
    return (ha_status)w->status;
  }
  if (!w->in_message) {
    return wfail(w, HA_ESTATE);
  }
  if (w->tag_pos >= w->tag_end || w->buf[w->tag_pos] != (uint8_t)expect) {
    return wfail(w, HA_EINVAL);
  }
  w->tag_pos++;
  return HA_OK;
}

static ha_status add_word(ha_osc_writer *w, char tag, uint32_t v) {
  ha_status st = take_tag(w, tag);
  if (st != HA_OK) {
    return st;
  }
  uint8_t *p = wreserve(w, 4);
  if (p == NULL) {
    return (ha_status)w->status;
  }
  ha__put_be32(p, v);
  w->len += 4;
  return HA_OK;
}

static ha_status add_dword(ha_osc_writer *w, char tag, uint64_t v) {
  ha_status st = take_tag(w, tag);
  if (st != HA_OK) {
    return st;
  }
  uint8_t *p = wreserve(w, 8);
  if (p == NULL) {
    return (ha_status)w->status;
  }
  ha__put_be64(p, v);
  w->len += 8;
  return HA_OK;
}

static ha_status add_str(ha_osc_writer *w, char tag, const char *s) {
  if (s == NULL && w->status == HA_OK) {
    return wfail(w, HA_EINVAL);
  }
  ha_status st = take_tag(w, tag);
  if (st != HA_OK) {
    return st;
  }
  size_t slen = strlen(s);
  uint8_t *p = wreserve(w, pad4(slen + 1));
  if (p == NULL) {
    return (ha_status)w->status;
  }
  w->len += put_string(p, s, slen);
  return HA_OK;
}

ha_status ha_osc_writer_add_int32(ha_osc_writer *w, int32_t v) {
  uint32_t u;
  memcpy(&u, &v, sizeof u);
  return add_word(w, 'i', u);
}

ha_status ha_osc_writer_add_float32(ha_osc_writer *w, float v) {
  uint32_t u;
  memcpy(&u, &v, sizeof u);
  return add_word(w, 'f', u);
}

ha_status ha_osc_writer_add_string(ha_osc_writer *w, const char *s) {
  return add_str(w, 's', s);
}

ha_status ha_osc_writer_add_symbol(ha_osc_writer *w, const char *s) {
  return add_str(w, 'S', s);
}

ha_status ha_osc_writer_add_blob(ha_osc_writer *w, const void *data, size_t size) {
  if ((size > (size_t)INT32_MAX || (data == NULL && size > 0)) && w->status == HA_OK) {
    return wfail(w, HA_EINVAL);
  }
  ha_status st = take_tag(w, 'b');
  if (st != HA_OK) {
    return st;
  }
  size_t padded = pad4(size);
  uint8_t *p = wreserve(w, 4 + padded);
  if (p == NULL) {
    return (ha_status)w->status;
  }
  ha__put_be32(p, (uint32_t)size);
  if (size > 0) {
    memset(p + 4 + padded - 4, 0, 4);
    memcpy(p + 4, data, size);
  }
  w->len += 4 + padded;
  return HA_OK;
}

ha_status ha_osc_writer_add_int64(ha_osc_writer *w, int64_t v) {
  uint64_t u;
  memcpy(&u, &v, sizeof u);
  return add_dword(w, 'h', u);
}

ha_status ha_osc_writer_add_timetag(ha_osc_writer *w, uint64_t timetag) {
  return add_dword(w, 't', timetag);
}

ha_status ha_osc_writer_add_double(ha_osc_writer *w, double v) {
  uint64_t u;
  memcpy(&u, &v, sizeof u);
  return add_dword(w, 'd', u);
}

ha_status ha_osc_writer_add_char(ha_osc_writer *w, char c) {
  return add_word(w, 'c', (uint32_t)(unsigned char)c);
}

ha_status ha_osc_writer_add_rgba(ha_osc_writer *w, uint32_t rgba) {
  return add_word(w, 'r', rgba);
}

ha_status ha_osc_writer_add_midi(ha_osc_writer *w, const uint8_t midi[4]) {
  if (midi == NULL && w->status == HA_OK) {
    return wfail(w, HA_EINVAL);
  }
  ha_status st = take_tag(w, 'm');
  if (st != HA_OK) {
    return st;
  }
  uint8_t *p = wreserve(w, 4);
  if (p == NULL) {
    return (ha_status)w->status;
  }
  memcpy(p, midi, 4);
  w->len += 4;
  return HA_OK;
}

ha_status ha_osc_writer_add_bool(ha_osc_writer *w, bool v) {
  return take_tag(w, v ? 'T' : 'F');
}

ha_status ha_osc_writer_add_nil(ha_osc_writer *w) {
  return take_tag(w, 'N');
}

ha_status ha_osc_writer_add_infinitum(ha_osc_writer *w) {
  return take_tag(w, 'I');
}

ha_status ha_osc_writer_begin_array(ha_osc_writer *w) {
  return take_tag(w, '[');
}

ha_status ha_osc_writer_end_array(ha_osc_writer *w) {
  return take_tag(w, ']');
}

ha_status ha_osc_writer_end_message(ha_osc_writer *w) {
  if (w->status != HA_OK) {
    return (ha_status)w->status;
  }
  if (!w->in_message || w->tag_pos != w->tag_end) {
    return wfail(w, HA_ESTATE);
  }
  if (w->depth > 0) {
    ha__put_be32(w->buf + w->msg_start - 4, (uint32_t)(w->len - w->msg_start));
  } else {
    w->done = true;
  }
  w->in_message = false;
  return HA_OK;
}

ha_status ha_osc_writer_begin_bundle(ha_osc_writer *w, uint64_t timetag) {
  if (w->status != HA_OK) {
    return (ha_status)w->status;
  }
  if (w->in_message || w->done || w->depth >= HA_OSC_MAX_DEPTH) {
    return wfail(w, HA_ESTATE);
  }
  size_t prefix = w->depth > 0 ? 4u : 0u;
  uint8_t *p = wreserve(w, prefix + 16);
  if (p == NULL) {
    return (ha_status)w->status;
  }
  w->bundle_size_at[w->depth] = w->depth > 0 ? w->len : SIZE_MAX;
  memcpy(p + prefix, "#bundle", 8); /* 7 characters and the NUL */
  ha__put_be64(p + prefix + 8, timetag);
  w->len += prefix + 16;
  w->depth++;
  return HA_OK;
}

ha_status ha_osc_writer_end_bundle(ha_osc_writer *w) {
  if (w->status != HA_OK) {
    return (ha_status)w->status;
  }
  if (w->in_message || w->depth == 0) {
    return wfail(w, HA_ESTATE);
  }
  w->depth--;
  size_t at = w->bundle_size_at[w->depth];
  if (at != SIZE_MAX) {
    ha__put_be32(w->buf + at, (uint32_t)(w->len - at - 4));
  }
  if (w->depth == 0) {
    w->done = true;
  }
  return HA_OK;
}

/* Common checks for whole-element appenders; returns the element prefix size
 * (4 inside a bundle, 0 for a top-level packet) or a negative status. */
static int element_prefix(ha_osc_writer *w) {
  if (w->status != HA_OK) {
    return w->status;
  }
  if (w->in_message || w->done) {
    return wfail(w, HA_ESTATE);
  }
  return w->depth > 0 ? 4 : 0;
}

/* Account for an element of `n` bytes (or error `n`) encoded after `prefix`. */
static ha_status element_done(ha_osc_writer *w, int prefix, int n) {
  if (n < 0) {
    return wfail(w, (ha_status)n);
  }
  if (prefix > 0) {
    ha__put_be32(w->buf + w->len, (uint32_t)n);
  } else {
    w->done = true;
  }
  w->len += (size_t)prefix + (size_t)n;
  return HA_OK;
}

ha_status ha_osc_writer_add_element(ha_osc_writer *w, const uint8_t *packet, size_t len) {
  int prefix = element_prefix(w);
  if (prefix < 0) {
    return (ha_status)prefix;
  }
  if (prefix == 0) {
    return wfail(w, HA_ESTATE);
  }
  if (packet == NULL || len == 0 || len % 4 != 0 || len > (size_t)INT32_MAX) {
    return wfail(w, HA_EINVAL);
  }
  uint8_t *p = wreserve(w, 4 + len);
  if (p == NULL) {
    return (ha_status)w->status;
  }
  memcpy(p + 4, packet, len);
  return element_done(w, prefix, (int)len);
}

ha_status ha_osc_writer_add_fff(ha_osc_writer *w, const char *address, float x, float y, float z) {
  int prefix = element_prefix(w);
  if (prefix < 0) {
    return (ha_status)prefix;
  }
  if (w->cap - w->len < (size_t)prefix) {
    return wfail(w, HA_ENOBUFS);
  }
  size_t at = w->len + (size_t)prefix;
  int n = ha_osc_encode_fff(w->buf + at, w->cap - at, address, x, y, z);
  return element_done(w, prefix, n);
}

ha_status ha_osc_writer_add_track_fff(ha_osc_writer *w, const char *prefix_str, uint32_t n,
                                      const char *suffix, float x, float y, float z) {
  int prefix = element_prefix(w);
  if (prefix < 0) {
    return (ha_status)prefix;
  }
  if (w->cap - w->len < (size_t)prefix) {
    return wfail(w, HA_ENOBUFS);
  }
  size_t at = w->len + (size_t)prefix;
  int r = ha_osc_encode_track_fff(w->buf + at, w->cap - at, prefix_str, n, suffix, x, y, z);
  return element_done(w, prefix, r);
}

int ha_osc_writer_finish(const ha_osc_writer *w) {
  if (w->status != HA_OK) {
    return w->status;
  }
  if (w->in_message || w->depth > 0 || !w->done) {
    return HA_ESTATE;
  }
  return (int)w->len;
}

/* ---------------------------------------------------------------------------
 * Decoding
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
  size_t end = off + pad4(n + 1);
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

static ha_status decode_message_at(const uint8_t *d, size_t len, size_t base, ha_osc_message *msg,
                                   ha_osc_arg *args, size_t cap, ha_error *err) {
  if (len == 0) {
    return malformed(err, base, "empty packet");
  }
  if (len % 4 != 0) {
    return malformed(err, base, "length %zu is not a multiple of 4", len);
  }
  if (d[0] != '/') {
    if (d[0] == '#') {
      return malformed(err, base, "expected a message, found a bundle");
    }
    char tt[8];
    tag_text(tt, d[0]);
    return malformed(err, base, "address does not start with '/' (found %s)", tt);
  }
  size_t alen, off;
  ha_status st = check_string(d, len, 0, base, "address", &alen, &off, err);
  if (st != HA_OK) {
    return st;
  }
  if (off == len) {
    return malformed(err, base + off, "missing type tag string");
  }
  if (d[off] != ',') {
    char tt[8];
    tag_text(tt, d[off]);
    return malformed(err, base + off, "type tag string does not start with ',' (found %s)", tt);
  }
  size_t tag_off = off, tlen;
  st = check_string(d, len, tag_off, base, "type tag string", &tlen, &off, err);
  if (st != HA_OK) {
    return st;
  }
  const uint8_t *tags = d + tag_off + 1;
  size_t ntags = tlen - 1;

  size_t open[HA_OSC_MAX_DEPTH]; /* args index of each open '[' */
  size_t depth = 0;
  bool store = args != NULL;
  for (size_t k = 0; k < ntags; k++) {
    uint8_t t = tags[k];
    ha_osc_arg a;
    memset(&a, 0, sizeof a);
    a.type = (ha_osc_type)t;
    size_t slen, next;
    switch (t) {
    case 'i':
    case 'f':
    case 'c':
    case 'r':
    case 'm': {
      if ((st = need_bytes(len, off, 4, base, k, t, err)) != HA_OK) {
        return st;
      }
      uint32_t u = ha__get_be32(d + off);
      if (t == 'i') {
        memcpy(&a.v.i, &u, 4);
      } else if (t == 'f') {
        memcpy(&a.v.f, &u, 4);
      } else if (t == 'c') {
        a.v.c = (char)(unsigned char)(u & 0xFFu);
      } else if (t == 'r') {
        a.v.r = u;
      } else {
        memcpy(a.v.m, d + off, 4);
      }
      off += 4;
      break;
    }
    case 'h':
    case 't':
    case 'd': {
      if ((st = need_bytes(len, off, 8, base, k, t, err)) != HA_OK) {
        return st;
      }
      uint64_t u = ha__get_be64(d + off);
      if (t == 'h') {
        memcpy(&a.v.h, &u, 8);
      } else if (t == 't') {
        a.v.t = u;
      } else {
        memcpy(&a.v.d, &u, 8);
      }
      off += 8;
      break;
    }
    case 's':
    case 'S':
      if (off == len) {
        return need_bytes(len, off, 4, base, k, t, err);
      }
      st = check_string(d, len, off, base, t == 's' ? "string argument" : "symbol argument", &slen,
                        &next, err);
      if (st != HA_OK) {
        return st;
      }
      a.v.s.ptr = (const char *)(d + off);
      a.v.s.len = slen;
      off = next;
      break;
    case 'b': {
      if ((st = need_bytes(len, off, 4, base, k, t, err)) != HA_OK) {
        return st;
      }
      int32_t size = ha__get_be_i32(d + off);
      if (size < 0) {
        return malformed(err, base + off, "blob size %d is negative", (int)size);
      }
      size_t left = len - off - 4;
      if ((size_t)size > left) {
        return malformed(err, base + off, "blob size %d runs past the end (%zu bytes left)",
                         (int)size, left);
      }
      size_t end = off + 4 + pad4((size_t)size);
      if (end > len) {
        return malformed(err, base + off, "blob padding runs past the end");
      }
      for (size_t j = off + 4 + (size_t)size; j < end; j++) {
        if (d[j] != 0) {
          return malformed(err, base + j, "non-NUL padding byte 0x%02x after blob", (unsigned)d[j]);
        }
      }
      a.v.b.ptr = size > 0 ? d + off + 4 : NULL;
      a.v.b.size = (size_t)size;
      off = end;
      break;
    }
    case 'T': a.v.tf = true; break;
    case 'F': a.v.tf = false; break;
    case 'N':
    case 'I': break;
    case '[':
      if (depth == HA_OSC_MAX_DEPTH) {
        return malformed(err, base + tag_off + 1 + k, "arrays nested deeper than %d",
                         HA_OSC_MAX_DEPTH);
      }
      break;
    case ']':
      if (depth == 0) {
        return malformed(err, base + tag_off + 1 + k, "unbalanced ']' at type tag %zu", k);
      }
      break;
    default: {
      char tt[8];
      tag_text(tt, t);
      return malformed(err, base + tag_off + 1 + k, "unknown type tag %s at position %zu", tt, k);
    }
    }
    /* Array bookkeeping: a ']' closes its '[' and does not count as an
     * element; everything else (a nested '[' included) is one element of the
     * enclosing array. */
    if (t == ']') {
      depth--;
      if (store && open[depth] < cap) {
        args[open[depth]].v.array.end = k;
      }
    } else {
      if (depth > 0 && store && open[depth - 1] < cap) {
        args[open[depth - 1]].v.array.count++;
      }
      if (t == '[') {
        open[depth++] = k;
      }
    }
    if (store && k < cap) {
      args[k] = a;
    }
  }
  if (depth != 0) {
    return malformed(err, base + tag_off + 1 + ntags, "unbalanced '[': %zu array(s) not closed",
                     depth);
  }
  if (off != len) {
    return malformed(err, base + off, "%zu unexpected bytes after the last argument", len - off);
  }
  msg->address = (const char *)d;
  msg->address_len = alen;
  msg->typetags = (const char *)tags;
  msg->typetag_len = ntags;
  msg->args = args;
  msg->arg_count = ntags;
  if (store && ntags > cap) {
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

/* ---------------------------------------------------------------------------
 * Address patterns
 * ------------------------------------------------------------------------- */

/* Match character `c` against the set starting after '[' at p (p < pe).
 * Returns 1 (in set), 0 (not in set) or -1 (no closing ']'); *after is set
 * past the ']'. */
static int match_class(const char *p, const char *pe, char c, const char **after) {
  bool negate = false;
  bool hit = false;
  if (p < pe && *p == '!') {
    negate = true;
    p++;
  }
  while (p < pe && *p != ']') {
    if (p + 2 < pe && p[1] == '-' && p[2] != ']') {
      unsigned char lo = (unsigned char)p[0], hi = (unsigned char)p[2];
      if (lo > hi) {
        unsigned char tmp = lo;
        lo = hi;
        hi = tmp;
      }
      if ((unsigned char)c >= lo && (unsigned char)c <= hi) {
        hit = true;
      }
      p += 3;
    } else {
      if (*p == c) {
        hit = true;
      }
      p++;
    }
  }
  if (p >= pe) {
    return -1;
  }
  *after = p + 1;
  return hit != negate ? 1 : 0;
}

/* Match one segment (no '/') of pattern [p, pe) against [s, se). '*' uses the
 * classic single backtrack point; '{' recurses on the rest of the pattern
 * for each alternative, so a failed brace falls back to the last star. */
static bool match_segment(const char *p, const char *pe, const char *s, const char *se,
                          unsigned *steps, unsigned braces) {
  const char *star_p = NULL, *star_s = NULL;
  for (;;) {
    if (++*steps > PATTERN_MAX_STEPS) {
      return false;
    }
    if (p < pe) {
      char c = *p;
      if (c == '*') {
        while (p < pe && *p == '*') {
          p++;
        }
        if (p == pe) {
          return true;
        }
        star_p = p;
        star_s = s;
        continue;
      }
      if (c == '{') {
        const char *close = memchr(p, '}', (size_t)(pe - p));
        if (close == NULL || braces >= PATTERN_MAX_BRACES) {
          return false;
        }
        const char *alt = p + 1;
        for (;;) {
          const char *comma = memchr(alt, ',', (size_t)(close - alt));
          const char *alt_end = comma != NULL ? comma : close;
          size_t n = (size_t)(alt_end - alt);
          if ((size_t)(se - s) >= n && memcmp(alt, s, n) == 0 &&
              match_segment(close + 1, pe, s + n, se, steps, braces + 1)) {
            return true;
          }
          if (comma == NULL) {
            break;
          }
          alt = comma + 1;
        }
        goto backtrack;
      }
      if (s < se) {
        const char *next = p + 1;
        bool ok;
        if (c == '?') {
          ok = true;
        } else if (c == '[') {
          int r = match_class(p + 1, pe, *s, &next);
          if (r < 0) {
            return false;
          }
          ok = r == 1;
        } else {
          ok = c == *s;
        }
        if (ok) {
          p = next;
          s++;
          continue;
        }
      }
    } else if (s == se) {
      return true;
    }
  backtrack:
    if (star_p == NULL || star_s >= se) {
      return false;
    }
    star_s++;
    s = star_s;
    p = star_p;
  }
}

bool ha_osc_pattern_match(const char *pattern, const char *address) {
  if (pattern == NULL || address == NULL) {
    return false;
  }
  unsigned steps = 0;
  const char *p = pattern, *s = address;
  for (;;) {
    const char *pe = strchr(p, '/');
    const char *se = strchr(s, '/');
    if (pe == NULL) {
      pe = p + strlen(p);
    }
    if (se == NULL) {
      se = s + strlen(s);
    }
    if (!match_segment(p, pe, s, se, &steps, 0)) {
      return false;
    }
    if (*pe == '\0' || *se == '\0') {
      return *pe == *se;
    }
    p = pe + 1;
    s = se + 1;
  }
}

bool ha_osc_parse_indexed(const char *address, const char *prefix, uint32_t *n, const char **rest) {
  if (address == NULL || prefix == NULL) {
    return false;
  }
  size_t plen = strlen(prefix);
  if (strncmp(address, prefix, plen) != 0) {
    return false;
  }
  const char *p = address + plen;
  if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9')) {
    return false;
  }
  uint32_t v = 0;
  while (*p >= '0' && *p <= '9') {
    uint32_t digit = (uint32_t)(*p - '0');
    if (v > (UINT32_MAX - digit) / 10u) {
      return false;
    }
    v = v * 10u + digit;
    p++;
  }
  if (*p != '\0' && *p != '/') {
    return false;
  }
  if (n != NULL) {
    *n = v;
  }
  if (rest != NULL) {
    *rest = p;
  }
  return true;
}
