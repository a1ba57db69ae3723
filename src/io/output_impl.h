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

/* Per-track state, touched only by the sending thread. */
typedef struct slot {
  /* What every send reads, first. */
  uint32_t id;      /* show track id */
  bool fast;        /* mapped, no gain, not AED: output_encode_fast takes it */
  bool sent;        /* something left for this track */
  bool mapped;      /* false: map_only and not in the map */
  uint8_t head_len; /* bytes of head (24, 28 or 32) */
  double wire[3];   /* wire values of the last send */
  double last;      /* `now` of the last send */
  uint8_t head[32]; /* the message before its floats: address, ",fff", NUL-padded */
  uint32_t index;   /* device index on the wire */
  bool has_gain;    /* the track is in cfg.gains */
  bool gain_sent;   /* the gain left with a position */
  float gain_wire;  /* its value on the wire (linear for ADM-OSC, else dB) */
  double gain_last; /* `now` of the last gain send */
} slot;

/* A tracked position's slot before the encode marked it sent (the commit is
 * optimistic: see output_commit). */
typedef struct undo {
  double wire[3];
  double last;
  double gain_last;
  uint32_t slot; /* UINT32_MAX: untracked, nothing to undo */
  bool sent;
  bool gain;      /* a gain message went with it */
  bool gain_sent; /* before */
} undo;

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
  slot *slots;       /* dense, max_tracks */
  uint32_t *hint;    /* per call index: dense index + 1 of ids[i] last time */

  uint8_t *buf;
  size_t buf_cap;
  struct mmsghdr *msgs;
  struct iovec *iov;
  size_t max_dgrams;
  undo *pend;       /* per position encoded: its slot's state before */
  size_t *dg_first; /* first pending index of each datagram, + the end */

  counters c;
};

/* The dense slot of `id`, inserted on first sight (call_index's hint
 * remembers it); SIZE_MAX when max_tracks ids are known already. Sending
 * thread only. */
size_t ha__output_slot_of(ha_output *o, uint32_t id, size_t call_index);

#endif
