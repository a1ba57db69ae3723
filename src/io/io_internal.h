/* The I/O layer's internals (src/io): the OSC codec, sockets, outputs to the
 * device, the control/feedback input, discovery and the metrics with their
 * exposition. Not installed. Sees the engine and the core below it and
 * nothing above (src/layers.txt): no player, no show. Also the
 * big-endian, padding and digit-count helpers that the codec (osc.c,
 * osc_decode.c) and the outputs share. */
#ifndef HOLOANIM_IO_INTERNAL_H
#define HOLOANIM_IO_INTERNAL_H

#include "engine_internal.h"

#include "holoanim/control.h"
#include "holoanim/discover.h"
#include "holoanim/metrics.h"
#include "holoanim/osc.h"
#include "holoanim/output.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- big-endian byte order (OSC's), for the codec and the outputs ----------
 * Through a byte array and memcpy, never a casted pointer: alignment and
 * strict aliasing never matter, and compilers still emit one bswap + mov. */

static inline void ha__put_be32(uint8_t *p, uint32_t v) {
  const uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
  memcpy(p, b, 4);
}

static inline void ha__put_be64(uint8_t *p, uint64_t v) {
  ha__put_be32(p, (uint32_t)(v >> 32));
  ha__put_be32(p + 4, (uint32_t)v);
}

static inline void ha__put_be_f32(uint8_t *p, float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  ha__put_be32(p, u);
}

static inline uint32_t ha__get_be32(const uint8_t *p) {
  uint8_t b[4];
  memcpy(b, p, 4);
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

static inline uint64_t ha__get_be64(const uint8_t *p) {
  return (uint64_t)ha__get_be32(p) << 32 | (uint64_t)ha__get_be32(p + 4);
}

/* Two's complement reinterpretation without implementation-defined casts. */
static inline int32_t ha__get_be_i32(const uint8_t *p) {
  uint32_t u = ha__get_be32(p);
  int32_t v;
  memcpy(&v, &u, sizeof v);
  return v;
}

/* ---- sizes on the wire -------------------------------------------------- */

/* n rounded up to OSC's 4-byte alignment. */
static inline size_t ha__pad4(size_t n) {
  return (n + 3u) & ~(size_t)3u;
}

/* Decimal digits of n (1 for 0): the length of a track number in an address,
 * by a loop rather than snprintf because it runs per source per tick. */
static inline size_t ha__decimal_digits(uint32_t n) {
  size_t d = 1;
  while (n >= 10u) {
    n /= 10u;
    d++;
  }
  return d;
}

/* ---- the control input without socket or thread ------------------------
 * For the fuzz target (tests/fuzz/fuzz_control.c) and tests: the same
 * decoder and dispatcher as ha_control_start's thread, fed by the caller.
 * Each packet is handled as one from 127.0.0.1; every reply goes to
 * `reply` (what: "/holoanim/ack" or "/holoanim/error") instead of a socket. */
typedef void (*ha__control_reply_fn)(void *user, const char *what, const char *address,
                                     const char *text);
ha_status ha__control_create_local(const ha_control_handlers *h, ha_azimuth_sign sign,
                                   ha__control_reply_fn reply, void *reply_user, ha_control **out);
void ha__control_feed(ha_control *c, const uint8_t *data, size_t len);
/* Free a control made by ha__control_create_local (NULL is a no-op). */
void ha__control_destroy_local(ha_control *c);

/* Whether the output's bundled fast loop takes its SSSE3 copy (when the CPU
 * has it; ha_output_create chooses it then): tests run both copies. */
void ha__output_use_ssse3(ha_output *o, bool on);

#endif
