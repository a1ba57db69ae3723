/* holoanim: OSC 1.0 codec.
 *
 * Encoding writes into caller buffers `(buf, cap)` and never allocates; every
 * encoder returns the number of bytes written or a negative status
 * (HA_ENOBUFS when `cap` is too small, HA_EINVAL for bad input). A `cap`
 * above INT_MAX is treated as INT_MAX (the results are `int`; a UDP datagram
 * is below 64 KiB anyway). Two shapes:
 *
 *   - fast paths for the hot `/track/N/xyz ,fff` message
 *     (`ha_osc_encode_fff`, `ha_osc_encode_track_fff`);
 *   - a general writer (`ha_osc_writer`) for any message or bundle: the type
 *     tag string is given up front and each `add_*` call must match the next
 *     tag; the first error sticks, so a sequence of calls can be checked once
 *     at `ha_osc_writer_finish`.
 *
 * Decoding validates the whole packet before the caller sees any of it and
 * never allocates: a message becomes a view (`ha_osc_message`) whose address,
 * strings and blobs point into the packet and whose arguments fill a
 * caller-provided array. A bundle becomes an iterator over its elements; the
 * framing of nested bundles is validated recursively up to HA_OSC_MAX_DEPTH.
 * A malformed packet is rejected with HA_EMALFORMED and, when an `ha_error` is
 * given, the byte offset and an exact reason ("unknown type tag 'x'").
 *
 * Strictness (documented choices):
 *   - packet and bundle element sizes must be multiples of 4;
 *   - padding bytes after strings and blobs must be NUL (OSC 1.0 says "zero
 *     bytes"; liblo rejects non-NUL string padding too);
 *   - a message must carry a type tag string (the pre-1.0 "address only" form
 *     is rejected), and no bytes may follow the last argument;
 *   - bundle elements must be non-empty and begin with '/' or "#bundle";
 *   - nested bundle time tags are not compared with their parent's.
 *
 * All functions are reentrant and touch only their arguments: any thread may
 * call them, including the real-time tick (no malloc, no locks, no I/O).
 */
#ifndef HOLOANIM_OSC_H
#define HOLOANIM_OSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "holoanim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Deepest nesting accepted for bundles inside bundles (the outermost bundle
 * is depth 1) and, separately, for arrays inside arrays. */
#define HA_OSC_MAX_DEPTH 8

/* NTP time tag (32.32 fixed point seconds since 1900-01-01 UTC) meaning
 * "immediately". */
#define HA_OSC_TIMETAG_IMMEDIATE ((uint64_t)1)

/* Argument types; each value is its OSC type tag character. */
typedef enum ha_osc_type {
  HA_OSC_INT32 = 'i',       /* int32 */
  HA_OSC_FLOAT32 = 'f',     /* float32 */
  HA_OSC_STRING = 's',      /* OSC-string */
  HA_OSC_BLOB = 'b',        /* int32 size + bytes */
  HA_OSC_INT64 = 'h',       /* int64 */
  HA_OSC_TIMETAG = 't',     /* NTP 32.32 time tag */
  HA_OSC_DOUBLE = 'd',      /* float64 */
  HA_OSC_SYMBOL = 'S',      /* OSC-string, "symbol" */
  HA_OSC_CHAR = 'c',        /* ASCII character in 32 bits */
  HA_OSC_RGBA = 'r',        /* 32-bit colour 0xRRGGBBAA */
  HA_OSC_MIDI = 'm',        /* port id, status, data1, data2 */
  HA_OSC_TRUE = 'T',        /* no data */
  HA_OSC_FALSE = 'F',       /* no data */
  HA_OSC_NIL = 'N',         /* no data */
  HA_OSC_INFINITUM = 'I',   /* no data */
  HA_OSC_ARRAY_BEGIN = '[', /* no data; opens an array */
  HA_OSC_ARRAY_END = ']'    /* no data; closes the innermost array */
} ha_osc_type;

/* ---------------------------------------------------------------------------
 * Time tags
 * ------------------------------------------------------------------------- */

/* NTP time tag from a CLOCK_REALTIME / Unix time in seconds (fractions kept to
 * 2^-32 s). Times before 1900 give 0; the NTP era wraps modulo 2^32 seconds
 * (February 2036), as on the wire.
 * Returns: the time tag. Errors: none. Thread: any. */
uint64_t ha_osc_timetag_from_unix(double seconds);

/* NTP time tag from a `struct timespec` of CLOCK_REALTIME (or TIME_UTC).
 * `ts` must not be NULL; tv_nsec is expected in [0, 1e9).
 * Returns: the time tag. Errors: none. Thread: any. */
uint64_t ha_osc_timetag_from_timespec(const struct timespec *ts);

/* Unix time in seconds of an NTP time tag (era 0: 1900..2036).
 * Returns: seconds since 1970 (negative before 1970). Errors: none. Thread: any. */
double ha_osc_timetag_to_unix(uint64_t timetag);

/* The current wall-clock time (C11 timespec_get TIME_UTC, i.e. CLOCK_REALTIME)
 * as an NTP time tag.
 * Returns: the time tag, or HA_OSC_TIMETAG_IMMEDIATE if the clock fails.
 * Errors: none. Thread: any (a clock read, no allocation). */
uint64_t ha_osc_timetag_now(void);

/* ---------------------------------------------------------------------------
 * Fast encoders for `,fff` messages (the hot path)
 * ------------------------------------------------------------------------- */

/* Encode the message `address ,fff x y z` into `buf`.
 * address: NUL-terminated, must start with '/'.
 * buf, cap: destination; nothing is written when it is too small.
 * Returns: bytes written (a multiple of 4; 36 for "/track/1/xyz"), or
 *          HA_EINVAL (address NULL / not starting with '/', or buf NULL with a
 *          non-zero cap), HA_ENOBUFS (cap too small).
 * Thread: any; no allocation. */
int ha_osc_encode_fff(uint8_t *buf, size_t cap, const char *address, float x, float y, float z);

/* Encode `prefix N suffix ,fff x y z`, e.g. prefix "/track/", n 12, suffix
 * "/xyz" gives `/track/12/xyz ,fff x y z`. The decimal index is formatted
 * here without snprintf.
 * prefix: NUL-terminated, must start with '/'. suffix: NUL-terminated, may be
 * NULL or "" (nothing after the number).
 * Returns: bytes written, or HA_EINVAL (bad prefix, buf NULL with cap > 0),
 *          HA_ENOBUFS (cap too small; nothing written).
 * Thread: any; no allocation. */
int ha_osc_encode_track_fff(uint8_t *buf, size_t cap, const char *prefix, uint32_t n,
                            const char *suffix, float x, float y, float z);

/* ---------------------------------------------------------------------------
 * General writer: messages, bundles (nested), every type
 * ------------------------------------------------------------------------- */

/* Writer state in caller storage. Fields are private: use the functions.
 *
 *   ha_osc_writer w;
 *   ha_osc_writer_init(&w, buf, sizeof buf);
 *   ha_osc_writer_begin_bundle(&w, HA_OSC_TIMETAG_IMMEDIATE);
 *   ha_osc_writer_begin_message(&w, "/track/1/name", ",s");
 *   ha_osc_writer_add_string(&w, "violin");
 *   ha_osc_writer_end_message(&w);
 *   ha_osc_writer_add_track_fff(&w, "/track/", 1, "/xyz", 1.0f, 2.0f, 0.5f);
 *   ha_osc_writer_end_bundle(&w);
 *   int n = ha_osc_writer_finish(&w);   // bytes, or the first error
 */
typedef struct ha_osc_writer {
  uint8_t *buf;
  size_t cap;
  size_t len;                              /* bytes written so far */
  int status;                              /* first error (sticky), HA_OK otherwise */
  bool in_message;                         /* between begin_message and end_message */
  bool done;                               /* a top-level message or bundle has been completed */
  size_t msg_start;                        /* offset of the open message */
  size_t tag_pos;                          /* offset of the next type tag to satisfy */
  size_t tag_end;                          /* offset of the type tag string's NUL */
  unsigned depth;                          /* open bundles */
  size_t bundle_size_at[HA_OSC_MAX_DEPTH]; /* offset of each open bundle's size
                                              field (SIZE_MAX at top level) */
} ha_osc_writer;

/* Start writing one packet into (buf, cap).
 * w: caller storage (out). buf may be NULL only with cap 0.
 * Errors: none here; a NULL buf with cap > 0 makes later calls fail
 * with HA_EINVAL. Thread: any. */
void ha_osc_writer_init(ha_osc_writer *w, uint8_t *buf, size_t cap);

/* Begin a message: writes the address and the type tag string. Inside a bundle
 * the message becomes the next element. The arguments must then be added in
 * the order of `typetag`.
 * address: must start with '/'. typetag: e.g. ",fff" (the leading ',' may be
 * omitted; "" or "," means no arguments); tags from ha_osc_type only, with
 * balanced brackets nested at most HA_OSC_MAX_DEPTH deep.
 * Returns: HA_OK, or HA_EINVAL (bad address or type tags), HA_ESTATE (a
 * message is already open, or the top-level packet is complete),
 * HA_ENOBUFS, or an earlier sticky error. Thread: any. */
ha_status ha_osc_writer_begin_message(ha_osc_writer *w, const char *address, const char *typetag);

/* Argument appenders. Each must match the next tag of the open message
 * (add_bool accepts 'T' for true and 'F' for false).
 * add_string / add_symbol: `s` NUL-terminated, not NULL.
 * add_blob: `size` bytes from `data` (data may be NULL when size is 0);
 *           size must fit in an int32.
 * add_char: the character travels as the low byte of a 32-bit word.
 * add_rgba: 0xRRGGBBAA. add_midi: {port id, status, data1, data2}.
 * add_timetag: NTP 32.32 (see ha_osc_timetag_*).
 * Returns: HA_OK, or HA_EINVAL (type mismatch, no more tags, NULL argument),
 * HA_ESTATE (no open message), HA_ENOBUFS, or an earlier sticky error.
 * Thread: any. */
/* Append an int32 ('i'). */
ha_status ha_osc_writer_add_int32(ha_osc_writer *w, int32_t v);
/* Append a float32 ('f'). */
ha_status ha_osc_writer_add_float32(ha_osc_writer *w, float v);
/* Append an OSC-string ('s'). */
ha_status ha_osc_writer_add_string(ha_osc_writer *w, const char *s);
/* Append a blob ('b'): int32 size, bytes, NUL padding. */
ha_status ha_osc_writer_add_blob(ha_osc_writer *w, const void *data, size_t size);
/* Append an int64 ('h'). */
ha_status ha_osc_writer_add_int64(ha_osc_writer *w, int64_t v);
/* Append an NTP time tag ('t'). */
ha_status ha_osc_writer_add_timetag(ha_osc_writer *w, uint64_t timetag);
/* Append a float64 ('d'). */
ha_status ha_osc_writer_add_double(ha_osc_writer *w, double v);
/* Append a symbol ('S'), encoded like a string. */
ha_status ha_osc_writer_add_symbol(ha_osc_writer *w, const char *s);
/* Append a character ('c'). */
ha_status ha_osc_writer_add_char(ha_osc_writer *w, char c);
/* Append an RGBA colour ('r'). */
ha_status ha_osc_writer_add_rgba(ha_osc_writer *w, uint32_t rgba);
/* Append a MIDI message ('m'). */
ha_status ha_osc_writer_add_midi(ha_osc_writer *w, const uint8_t midi[4]);
/* Satisfy a 'T' (v true) or 'F' (v false) tag; no data bytes. */
ha_status ha_osc_writer_add_bool(ha_osc_writer *w, bool v);
/* Satisfy an 'N' tag; no data bytes. */
ha_status ha_osc_writer_add_nil(ha_osc_writer *w);
/* Satisfy an 'I' tag; no data bytes. */
ha_status ha_osc_writer_add_infinitum(ha_osc_writer *w);
/* Satisfy a '[' tag (open an array); no data bytes. */
ha_status ha_osc_writer_begin_array(ha_osc_writer *w);
/* Satisfy a ']' tag (close the array); no data bytes. */
ha_status ha_osc_writer_end_array(ha_osc_writer *w);

/* End the open message; inside a bundle, patches the element's size.
 * Returns: HA_OK, or HA_ESTATE (no open message, or tags left unsatisfied),
 * or an earlier sticky error. Thread: any. */
ha_status ha_osc_writer_end_message(ha_osc_writer *w);

/* Begin a bundle with `timetag` (HA_OSC_TIMETAG_IMMEDIATE = now). At top
 * level it starts the packet; inside a bundle it becomes the next element.
 * Returns: HA_OK, or HA_ESTATE (inside a message, packet complete, or more
 * than HA_OSC_MAX_DEPTH open bundles), HA_ENOBUFS, or a sticky error.
 * Thread: any. */
ha_status ha_osc_writer_begin_bundle(ha_osc_writer *w, uint64_t timetag);

/* Close the innermost open bundle (patching its element size when nested).
 * Returns: HA_OK, HA_ESTATE (no open bundle, or a message is open), or a
 * sticky error. Thread: any. */
ha_status ha_osc_writer_end_bundle(ha_osc_writer *w);

/* Append a complete, already encoded packet (message or bundle) as the next
 * element of the open bundle. The bytes are copied as they are (not
 * re-validated).
 * packet, len: len > 0, a multiple of 4 and at most INT32_MAX.
 * Returns: HA_OK, HA_EINVAL (bad length / NULL), HA_ESTATE (no open bundle or
 * a message is open), HA_ENOBUFS, or a sticky error. Thread: any. */
ha_status ha_osc_writer_add_element(ha_osc_writer *w, const uint8_t *packet, size_t len);

/* Append `address ,fff x y z` (ha_osc_encode_fff) as the next bundle element,
 * or as the whole packet when no bundle is open.
 * Returns: HA_OK, HA_EINVAL, HA_ESTATE, HA_ENOBUFS, or a sticky error.
 * Thread: any. */
ha_status ha_osc_writer_add_fff(ha_osc_writer *w, const char *address, float x, float y, float z);

/* Same with `prefix N suffix` (ha_osc_encode_track_fff).
 * Returns: HA_OK, HA_EINVAL, HA_ESTATE, HA_ENOBUFS, or a sticky error.
 * Thread: any. */
ha_status ha_osc_writer_add_track_fff(ha_osc_writer *w, const char *prefix, uint32_t n,
                                      const char *suffix, float x, float y, float z);

/* Finish: the packet's size in bytes when it is complete (no open message or
 * bundle, something written), otherwise a negative status: the first sticky
 * error, or HA_ESTATE (unbalanced / empty). Does not modify the writer.
 * Thread: any. */
int ha_osc_writer_finish(const ha_osc_writer *w);

/* ---------------------------------------------------------------------------
 * Decoding
 * ------------------------------------------------------------------------- */

/* One decoded argument. Pointers refer into the decoded packet, which must
 * outlive the view. */
typedef struct ha_osc_arg {
  ha_osc_type type;
  union {
    int32_t i;  /* 'i' */
    float f;    /* 'f' */
    int64_t h;  /* 'h' */
    uint64_t t; /* 't' */
    double d;   /* 'd' */
    struct {
      const char *ptr; /* NUL-terminated inside the packet */
      size_t len;      /* strlen(ptr) */
    } s;               /* 's', 'S' */
    struct {
      const uint8_t *ptr; /* inside the packet (NULL when size is 0) */
      size_t size;
    } b;          /* 'b' */
    char c;       /* 'c': the low byte of the 32-bit word */
    uint32_t r;   /* 'r': 0xRRGGBBAA */
    uint8_t m[4]; /* 'm': port id, status, data1, data2 */
    bool tf;      /* 'T' (true), 'F' (false) */
    struct {
      size_t count; /* direct elements inside (nested arrays count as one) */
      size_t end;   /* index of the matching ']' in the args array */
    } array;        /* '[' */
  } v;
} ha_osc_arg;

/* A decoded message view. */
typedef struct ha_osc_message {
  const char *address; /* NUL-terminated inside the packet, starts with '/' */
  size_t address_len;
  const char *typetags; /* after the ',' (NUL-terminated inside the packet) */
  size_t typetag_len;   /* number of tags (equals arg_count) */
  ha_osc_arg *args;     /* the caller's array, NULL in validate-only mode */
  size_t arg_count;     /* tags in the message, '[' and ']' included */
} ha_osc_message;

/* Bundle iterator over the elements of a validated bundle. */
typedef struct ha_osc_bundle {
  uint64_t timetag;
  const uint8_t *elements; /* first element's size field */
  size_t len;              /* bytes of all elements */
  size_t pos;              /* iterator position within `elements` */
} ha_osc_bundle;

typedef enum ha_osc_packet_kind {
  HA_OSC_PACKET_MESSAGE = 1,
  HA_OSC_PACKET_BUNDLE = 2
} ha_osc_packet_kind;

typedef struct ha_osc_packet {
  ha_osc_packet_kind kind;
  ha_osc_message message; /* kind == HA_OSC_PACKET_MESSAGE */
  ha_osc_bundle bundle;   /* kind == HA_OSC_PACKET_BUNDLE */
} ha_osc_packet;

/* Decode one message.
 * data, len: the message bytes (a whole datagram or a bundle element).
 * msg: out, filled on HA_OK (and on HA_ENOBUFS: address, type tags, the first
 *      `cap` args and arg_count = the number needed).
 * args, cap: caller storage for the arguments. args == NULL selects
 *      validate-only mode: the message is fully checked and counted, nothing
 *      stored, and HA_ENOBUFS is never returned.
 * err: optional detail (byte offset in err->column - 1, reason, message).
 * Returns: HA_OK, HA_EMALFORMED (any violation; see the file comment),
 *          HA_ENOBUFS (more arguments than cap), HA_EINVAL (NULL data or msg).
 * Thread: any; no allocation. */
ha_status ha_osc_decode_message(const uint8_t *data, size_t len, ha_osc_message *msg,
                                ha_osc_arg *args, size_t cap, ha_error *err);

/* Decode a packet: a message (as ha_osc_decode_message) or a bundle, whose
 * header and element framing (sizes, nesting up to HA_OSC_MAX_DEPTH, element
 * kinds) are validated recursively; the messages inside are decoded when the
 * caller reaches them (ha_osc_bundle_next + ha_osc_decode).
 * pkt: out. args, cap: used only for a message.
 * Returns: HA_OK, HA_EMALFORMED, HA_ENOBUFS, HA_EINVAL (NULL data or pkt).
 * Thread: any; no allocation. */
ha_status ha_osc_decode(const uint8_t *data, size_t len, ha_osc_packet *pkt, ha_osc_arg *args,
                        size_t cap, ha_error *err);

/* Next element of a bundle decoded by ha_osc_decode.
 * elem, elem_len: out, the element's bytes (a message or a bundle: pass them
 * to ha_osc_decode).
 * Returns: true with an element, false at the end (or if the iterator was not
 * produced by ha_osc_decode and its framing is inconsistent). Thread: any. */
bool ha_osc_bundle_next(ha_osc_bundle *b, const uint8_t **elem, size_t *elem_len);

/* Validate a packet deeply: every message in every nested bundle.
 * Returns: HA_OK, HA_EMALFORMED, HA_EINVAL (NULL data). Thread: any. */
ha_status ha_osc_validate(const uint8_t *data, size_t len, ha_error *err);

/* Numeric value of an argument as a double: 'i', 'f', 'h', 'd' convert; 'T'
 * gives 1 and 'F' 0.
 * Returns: true and *out set, or false for other types. Thread: any. */
bool ha_osc_arg_to_double(const ha_osc_arg *arg, double *out);

/* ---------------------------------------------------------------------------
 * Addresses
 * ------------------------------------------------------------------------- */

/* OSC 1.0 address pattern matching, segment by segment ('/' is never matched
 * by a wildcard): `?` one character, `*` any run (possibly empty), `[abc]`,
 * `[a-z]`, `[!a-z]` a character (not) in the set, `{foo,bar}` one of the
 * literal alternatives. A malformed pattern (unclosed '[' or '{') matches
 * nothing; so does a pathological pattern that needs more than 100,000 match
 * steps.
 * Returns: true when `address` matches `pattern`; false otherwise or when
 * either is NULL. Thread: any; no allocation, bounded stack. */
bool ha_osc_pattern_match(const char *pattern, const char *address);

/* Parse an indexed address: `address` = `prefix` + decimal N + rest, where N
 * has no sign and no leading zero ("0" itself is accepted), fits in uint32_t,
 * and is followed by '/' or the end. E.g. ("/track/12/xyz", "/track/") gives
 * n = 12, rest = "/xyz".
 * n, rest: out (rest points into address); either may be NULL.
 * Returns: true when the address has that shape. Thread: any. */
bool ha_osc_parse_indexed(const char *address, const char *prefix, uint32_t *n, const char **rest);

#ifdef __cplusplus
}
#endif
#endif /* HOLOANIM_OSC_H */
