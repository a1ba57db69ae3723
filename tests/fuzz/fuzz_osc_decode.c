/* libFuzzer target for the OSC decoder (see README.md in this directory).
 *
 * For each input: decode as a message (small, large and no argument array),
 * decode as a packet and walk every bundle element recursively, validate
 * deeply, and exercise the address helpers on what was decoded. Properties
 * checked (abort on violation, so the fuzzer reports a crash):
 *   - every view points inside the input;
 *   - decode, walk and ha_osc_validate agree on acceptance;
 *   - an accepted message re-encodes with ha_osc_writer to the same bytes
 *     (the decoder only accepts the canonical form: NUL padding, no trailing
 *     bytes), except that a 'c' argument keeps only its low byte.
 *
 * Build with HA_FUZZ_STANDALONE to get a main() that replays files given on
 * the command line without libFuzzer (gcc, CI regression runs). */
#include "holoanim/osc.h"

#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 64

static void check_view(const uint8_t *d, size_t len, const ha_osc_message *m,
                       const ha_osc_arg *args, size_t stored) {
  const uint8_t *end = d + len;
  REQUIRE((const uint8_t *)m->address == d);
  REQUIRE(d + m->address_len < end && d[m->address_len] == 0);
  REQUIRE((const uint8_t *)m->typetags > d && (const uint8_t *)m->typetags + m->typetag_len < end);
  for (size_t i = 0; i < stored; i++) {
    const ha_osc_arg *a = &args[i];
    REQUIRE((char)a->type == m->typetags[i]);
    switch (a->type) {
    case HA_OSC_STRING:
    case HA_OSC_SYMBOL:
      REQUIRE((const uint8_t *)a->v.s.ptr > d && (const uint8_t *)a->v.s.ptr + a->v.s.len < end);
      REQUIRE(strlen(a->v.s.ptr) == a->v.s.len);
      break;
    case HA_OSC_BLOB:
      REQUIRE(a->v.b.size == 0 || (a->v.b.ptr > d && a->v.b.ptr + a->v.b.size <= end));
      break;
    case HA_OSC_ARRAY_BEGIN:
      REQUIRE(a->v.array.end > i && a->v.array.end < m->arg_count);
      REQUIRE(m->typetags[a->v.array.end] == ']');
      break;
    case HA_OSC_INT32:
    case HA_OSC_FLOAT32:
    case HA_OSC_INT64:
    case HA_OSC_TIMETAG:
    case HA_OSC_DOUBLE:
    case HA_OSC_CHAR:
    case HA_OSC_RGBA:
    case HA_OSC_MIDI:
    case HA_OSC_TRUE:
    case HA_OSC_FALSE:
    case HA_OSC_NIL:
    case HA_OSC_INFINITUM:
    case HA_OSC_ARRAY_END: break;
    }
  }
}

/* Re-encode an accepted message and compare with the input. */
static void reencode(const uint8_t *d, size_t len, const ha_osc_message *m,
                     const ha_osc_arg *args) {
  static uint8_t out[1 << 17];
  if (len > sizeof out || strchr(m->typetags, 'c') != NULL) {
    return;
  }
  ha_osc_writer w;
  ha_osc_writer_init(&w, out, sizeof out);
  REQUIRE(ha_osc_writer_begin_message(&w, m->address, m->typetags) == HA_OK);
  for (size_t i = 0; i < m->arg_count; i++) {
    const ha_osc_arg *a = &args[i];
    ha_status st = HA_EINTERNAL;
    switch (a->type) {
    case HA_OSC_INT32: st = ha_osc_writer_add_int32(&w, a->v.i); break;
    case HA_OSC_FLOAT32: st = ha_osc_writer_add_float32(&w, a->v.f); break;
    case HA_OSC_STRING: st = ha_osc_writer_add_string(&w, a->v.s.ptr); break;
    case HA_OSC_SYMBOL: st = ha_osc_writer_add_symbol(&w, a->v.s.ptr); break;
    case HA_OSC_BLOB: st = ha_osc_writer_add_blob(&w, a->v.b.ptr, a->v.b.size); break;
    case HA_OSC_INT64: st = ha_osc_writer_add_int64(&w, a->v.h); break;
    case HA_OSC_TIMETAG: st = ha_osc_writer_add_timetag(&w, a->v.t); break;
    case HA_OSC_DOUBLE: st = ha_osc_writer_add_double(&w, a->v.d); break;
    case HA_OSC_CHAR: st = ha_osc_writer_add_char(&w, a->v.c); break;
    case HA_OSC_RGBA: st = ha_osc_writer_add_rgba(&w, a->v.r); break;
    case HA_OSC_MIDI: st = ha_osc_writer_add_midi(&w, a->v.m); break;
    case HA_OSC_TRUE:
    case HA_OSC_FALSE: st = ha_osc_writer_add_bool(&w, a->v.tf); break;
    case HA_OSC_NIL: st = ha_osc_writer_add_nil(&w); break;
    case HA_OSC_INFINITUM: st = ha_osc_writer_add_infinitum(&w); break;
    case HA_OSC_ARRAY_BEGIN: st = ha_osc_writer_begin_array(&w); break;
    case HA_OSC_ARRAY_END: st = ha_osc_writer_end_array(&w); break;
    }
    REQUIRE(st == HA_OK);
  }
  REQUIRE(ha_osc_writer_end_message(&w) == HA_OK);
  int n = ha_osc_writer_finish(&w);
  REQUIRE(n > 0 && (size_t)n == len);
  REQUIRE(memcmp(out, d, len) == 0);
}

static void exercise_address(const ha_osc_message *m, const ha_osc_arg *args, size_t stored) {
  uint32_t n;
  const char *rest;
  if (ha_osc_parse_indexed(m->address, "/track/", &n, &rest)) {
    REQUIRE(*rest == '\0' || *rest == '/');
  }
  (void)ha_osc_pattern_match("/track/*/{xyz,aed}", m->address);
  /* The address is also a pattern (the decoder accepts any characters). */
  (void)ha_osc_pattern_match(m->address, "/track/12/xyz");
  for (size_t i = 0; i < stored; i++) {
    if (args[i].type == HA_OSC_STRING) {
      (void)ha_osc_pattern_match(args[i].v.s.ptr, m->address);
    }
  }
}

/* Returns true when the packet (and everything inside) decodes. */
static bool walk(const uint8_t *d, size_t len, int depth) {
  static ha_osc_arg args[MAX_ARGS];
  ha_osc_packet pkt;
  REQUIRE(depth <= HA_OSC_MAX_DEPTH);
  ha_status st = ha_osc_decode(d, len, &pkt, args, MAX_ARGS, NULL);
  if (st == HA_ENOBUFS) {
    return ha_osc_decode(d, len, &pkt, NULL, 0, NULL) == HA_OK;
  }
  if (st != HA_OK) {
    REQUIRE(st == HA_EMALFORMED);
    return false;
  }
  if (pkt.kind == HA_OSC_PACKET_MESSAGE) {
    check_view(d, len, &pkt.message, args, pkt.message.arg_count);
    exercise_address(&pkt.message, args, pkt.message.arg_count);
    reencode(d, len, &pkt.message, args);
    return true;
  }
  REQUIRE(pkt.kind == HA_OSC_PACKET_BUNDLE);
  bool all = true;
  const uint8_t *e;
  size_t elen;
  while (ha_osc_bundle_next(&pkt.bundle, &e, &elen)) {
    REQUIRE(e > d && e + elen <= d + len && elen % 4 == 0);
    all = walk(e, elen, depth + 1) && all;
  }
  REQUIRE(pkt.bundle.pos == pkt.bundle.len); /* framing was validated */
  return all;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A NULL data pointer with size 0 is legal for libFuzzer; keep a valid one. */
  static const uint8_t empty[1] = {0};
  const uint8_t *d = size > 0 ? data : empty;
  ha_osc_arg small[2];
  ha_osc_message m;
  ha_error err;

  ha_status st_small = ha_osc_decode_message(d, size, &m, small, 2, &err);
  ha_status st_none = ha_osc_decode_message(d, size, &m, NULL, 0, &err);
  REQUIRE(st_none == HA_OK || st_none == HA_EMALFORMED);
  REQUIRE(st_small == st_none || (st_small == HA_ENOBUFS && st_none == HA_OK));
  if (st_none != HA_OK) {
    REQUIRE(err.status == HA_EMALFORMED && err.message[0] != '\0');
  }
  if (st_small == HA_OK || st_small == HA_ENOBUFS) {
    (void)ha_osc_decode_message(d, size, &m, small, 2, NULL);
    check_view(d, size, &m, small, m.arg_count < 2 ? m.arg_count : 2);
  }

  bool walked = walk(d, size, 0);
  ha_status deep = ha_osc_validate(d, size, &err);
  REQUIRE((deep == HA_OK) == walked);
  return 0;
}
