/* OSC 1.0 encoders: time tags, the zero-allocation `,fff` fast paths and the
 * general writer (messages, arrays, nested bundles). The strict decoder is
 * osc_decode.c, address patterns are osc_pattern.c.
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
 */
#include "io_internal.h"

#include "holoanim/osc.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#define NTP_UNIX_OFFSET 2208988800u /* seconds from 1900-01-01 to 1970-01-01 */

/* ---------------------------------------------------------------------------
 * Sizes (byte order, padding and digit counts: io_internal.h, shared with
 * the decoder and output.c)
 * ------------------------------------------------------------------------- */

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
  size_t apad = ha__pad4(alen + 1);
  if (apad > cap || cap - apad < 20) {
    return HA_ENOBUFS;
  }
  /* Zero the address's last word first: covers its NUL and padding. */
  memset(buf + apad - 4, 0, 4);
  memcpy(buf, address, alen);
  put_fff_tail(buf + apad, x, y, z);
  return (int)(apad + 20);
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
  size_t nd = ha__decimal_digits(n);
  size_t plen = strlen(prefix);
  size_t slen = strlen(suffix);
  size_t alen = plen + nd + slen;
  size_t apad = ha__pad4(alen + 1);
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
  size_t total = ha__pad4(slen + 1);
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
  size_t need = prefix + ha__pad4(alen + 1) + ha__pad4(ntags + 2);
  uint8_t *p = wreserve(w, need);
  if (p == NULL) {
    return (ha_status)w->status;
  }
  size_t at = w->len + prefix;
  size_t off = at + put_string(w->buf + at, address, alen);
  size_t tsize = ha__pad4(ntags + 2);
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

/* Consume the next tag if it is `tag` and claim `n` bytes for its value:
 * where to write them, or NULL with the error in w->status. */
static inline uint8_t *take_arg(ha_osc_writer *w, char tag, size_t n) {
  if (take_tag(w, tag) != HA_OK) {
    return NULL;
  }
  uint8_t *p = wreserve(w, n);
  if (p != NULL) {
    w->len += n;
  }
  return p;
}

/* An argument whose value is one big-endian word (size 4: i f c r) or two
 * (size 8: h t d); size is a constant at every call, so the branch folds. */
static inline ha_status add_number(ha_osc_writer *w, char tag, uint64_t v, size_t size) {
  uint8_t *p = take_arg(w, tag, size);
  if (p == NULL) {
    return (ha_status)w->status;
  }
  if (size == 4) {
    ha__put_be32(p, (uint32_t)v);
  } else {
    ha__put_be64(p, v);
  }
  return HA_OK;
}

static inline ha_status add_str(ha_osc_writer *w, char tag, const char *s) {
  if (s == NULL) {
    return w->status == HA_OK ? wfail(w, HA_EINVAL) : (ha_status)w->status;
  }
  size_t slen = strlen(s);
  uint8_t *p = take_arg(w, tag, ha__pad4(slen + 1));
  if (p == NULL) {
    return (ha_status)w->status;
  }
  put_string(p, s, slen);
  return HA_OK;
}

ha_status ha_osc_writer_add_int32(ha_osc_writer *w, int32_t v) {
  uint32_t u;
  memcpy(&u, &v, sizeof u);
  return add_number(w, 'i', u, 4);
}

ha_status ha_osc_writer_add_float32(ha_osc_writer *w, float v) {
  uint32_t u;
  memcpy(&u, &v, sizeof u);
  return add_number(w, 'f', u, 4);
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
  size_t padded = ha__pad4(size);
  uint8_t *p = take_arg(w, 'b', 4 + padded);
  if (p == NULL) {
    return (ha_status)w->status;
  }
  ha__put_be32(p, (uint32_t)size);
  if (size > 0) {
    memset(p + 4 + padded - 4, 0, 4);
    memcpy(p + 4, data, size);
  }
  return HA_OK;
}

ha_status ha_osc_writer_add_int64(ha_osc_writer *w, int64_t v) {
  uint64_t u;
  memcpy(&u, &v, sizeof u);
  return add_number(w, 'h', u, 8);
}

ha_status ha_osc_writer_add_timetag(ha_osc_writer *w, uint64_t timetag) {
  return add_number(w, 't', timetag, 8);
}

ha_status ha_osc_writer_add_double(ha_osc_writer *w, double v) {
  uint64_t u;
  memcpy(&u, &v, sizeof u);
  return add_number(w, 'd', u, 8);
}

ha_status ha_osc_writer_add_char(ha_osc_writer *w, char c) {
  return add_number(w, 'c', (uint32_t)(unsigned char)c, 4);
}

ha_status ha_osc_writer_add_rgba(ha_osc_writer *w, uint32_t rgba) {
  return add_number(w, 'r', rgba, 4);
}

ha_status ha_osc_writer_add_midi(ha_osc_writer *w, const uint8_t midi[4]) {
  if (midi == NULL && w->status == HA_OK) {
    return wfail(w, HA_EINVAL);
  }
  uint8_t *p = take_arg(w, 'm', 4);
  if (p == NULL) {
    return (ha_status)w->status;
  }
  memcpy(p, midi, 4);
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
