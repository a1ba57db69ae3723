/* The output's state, shared by output.c (configuration, creation, the
 * track table, statistics) and output_send.c (the send pass of a tick).
 * Private to src/io. */
#ifndef HA_IO_OUTPUT_IMPL_H
#define HA_IO_OUTPUT_IMPL_H

#include "holoanim/output.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "atomics.h"

/* Largest `,fff` message: "/adm/obj/4294967295/aed" (23 chars + NUL = 24)
 * + ",fff" padded (8) + 12 bytes of floats. */
#define MSG_MAX 44u
/* Largest `,f` gain message: "/adm/obj/4294967295/gain" (24 chars + NUL,
 * padded to 28) + ",f" padded (4) + one float. */
#define GAIN_MSG_MAX 36u
/* The kernel handles at most UIO_MAXIOV (1024) messages per sendmmsg. */
#define MMSG_MAX 1024u

/* A slot's key: its show id shifted up by two, and two flags below, so
 * that the bundled fast path checks id, "fast" and "sent" in one compare
 * with a key made in one instruction (id * 4 + 3). */
#define SLOT_FAST 1ull /* mapped, no gain, not AED: the fast paths take it */
#define SLOT_SENT 2ull /* something left for this track */
#define SLOT_KEY(id) ((uint64_t)(id) << 2)

/* The bundled fast loop has a copy for SSSE3 (x86 with SIMD; chosen at
 * ha_output_create by the CPU, ha_output.ssse3). */
#if defined(__SSE2__) && !defined(HA_NO_SIMD) && defined(__GNUC__)
#define HA__OUTPUT_SSSE3 1
#else
#define HA__OUTPUT_SSSE3 0
#endif

/* slot.reused's step per encode: above every buffer offset (the largest
 * buffer, HA_OUTPUT_MAX_TRACKS messages with gains and a bundle header
 * each, stays under 2^30), and small enough to be an instruction's
 * immediate. */
#define REUSE_STEP (1ull << 30)
_Static_assert((uint64_t)HA_OUTPUT_MAX_TRACKS *(MSG_MAX + 4 + 16 + GAIN_MSG_MAX + 4) + 64 <
                   REUSE_STEP,
               "slot.reused: a buffer offset reaches REUSE_STEP");

/* Each track's message template: the `,fff` message's size (big-endian, as
 * a bundle element starts), its address, ",fff" and padding, then room for
 * the three floats (zeros): at most 4 + 32 + 12 bytes. */
#define TMPL_SIZE 48u

/* Per-track state, touched only by the sending thread: 64 bytes, what every
 * send reads first. */
typedef struct slot {
  uint64_t key;   /* SLOT_KEY(id) | SLOT_FAST | SLOT_SENT */
  double wire[3]; /* wire values of the last send */
  double last;    /* `now` of the last send */
  /* The encode count (ha_output.encodes) · REUSE_STEP + the buffer offset
   * of the track's last message from the bundled fast path. The buffer is
   * written in order from 0 on every encode, every write exactly its bytes:
   * when a track's message goes at the same offset as in the previous
   * encode, its size word, address and type tags are still there (only the
   * floats change), and the template need not be read. */
  uint64_t reused;
  uint32_t index;   /* device index on the wire */
  float gain_wire;  /* its value on the wire (linear for ADM-OSC, else dB) */
  uint8_t head_len; /* bytes of the message before its floats (24, 28 or 32) */
  bool mapped;      /* false: map_only and not in the map */
  bool has_gain;    /* the track is in cfg.gains */
  bool gain_sent;   /* the gain left with a position */
} slot;

static inline uint32_t slot_id(const slot *s) {
  return (uint32_t)(s->key >> 2);
}

static inline bool slot_sent(const slot *s) {
  return (s->key & SLOT_SENT) != 0;
}

static inline void slot_set_sent(slot *s, bool sent) {
  s->key = sent ? s->key | SLOT_SENT : s->key & ~SLOT_SENT;
}

typedef struct counters {
  ha__atomic_u64 ticks, rate_skips, messages, datagrams, bytes, syscalls, deadband_skips,
      keepalive_sends, nonfinite, unmapped, untracked, err_refused, err_unreachable, err_again,
      err_other, short_sends, unsent;
  ha__atomic_int last_errno;
} counters;

struct ha_output {
  ha_output_config cfg; /* host and map point at the copies below */
  char host[256];
  char dest[80];
  uint8_t dev_addr[16]; /* the resolved destination (IPv4 mapped), for echoes */
  uint16_t dev_port;
  ha_output_map_entry *map; /* sorted by track */
  ha_output_gain *gains;    /* sorted by track */
  int fd;
  size_t max_tracks;

  const char *prefix, *suffix;
  size_t prefix_len, suffix_len;
  bool aed, adm;
  ha_azimuth_sign sign;
  double thr[3]; /* dead-band in wire units */

  bool started; /* the schedule has an origin */
  double start; /* `now` of the first due tick */
  double next_due;
  double slack; /* a tick this early still counts as on time */

  size_t table_mask; /* table size − 1 (a power of two ≥ 2·max_tracks) */
  size_t tracked;    /* slots in use */
  uint64_t *keys;    /* 0 = empty, else (dense index + 1) << 32 | id */
  slot *slots;       /* 1 + max_tracks: a sentinel, then dense (first seen first) */
  uint8_t *tmpl;     /* 1 + max_tracks templates (TMPL_SIZE each), as slots */
  double *gain_last; /* 1 + max_tracks, as slots: `now` of the track's last gain send */
  uint32_t encodes;  /* due calls so far (the high half of slot.reused) */
  uint32_t *hint;    /* per call index: dense index + 1 of ids[i] last time */
  bool ssse3;        /* the bundled fast loop's SSSE3 copy (HA__OUTPUT_SSSE3 and the CPU) */

  uint8_t *buf;
  size_t buf_cap;
  struct mmsghdr *msgs;
  struct iovec *iov;
  size_t max_dgrams;
  size_t *dg_first; /* per datagram: the number of positions encoded before it, + the end */
  size_t *dg_call;  /* per datagram: the call index of its first position */

  counters c;
};

/* The dense slot of `id`, inserted on first sight (call_index's hint
 * remembers it); SIZE_MAX when max_tracks ids are known already. Sending
 * thread only. */
size_t ha__output_slot_of(ha_output *o, uint32_t id, size_t call_index);

#endif
