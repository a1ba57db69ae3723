/* Internal: the player's external-clock slot (src/rt/sync.c).
 *
 * The control thread hands clock messages to the tick through one
 * latest-wins slot under a seqlock (writers take turns with a flag): the
 * newest time with its arrival time, and the newest play state said. The
 * tick reads it once a tick, without waiting: a read that meets a writer is
 * left for the next tick. Rejected: the command queue (a 30 Hz clock would
 * compete with real commands and queue stale times behind each other). */
#ifndef HOLOANIM_SYNC_H
#define HOLOANIM_SYNC_H

#include <stdint.h>

#include "atomics.h"
#include "holoanim/metrics.h"
#include "holoanim/player.h"
#include "holoanim/timing.h"

typedef struct ha__sync {
  ha_sync_config cfg;
  /* written by ha__sync_put (any thread), read by the tick */
  ha__atomic_u64 seq; /* odd while a writer is inside */
  ha__atomic_u64 time_bits, arrival_bits, time_version;
  ha__atomic_int playing; /* -1 never said, 0, 1 */
  ha__atomic_flag writing;
  /* the tick's own */
  uint64_t seen_seq, seen_time_version;
  ha_sync_state state;
} ha__sync;

/* cfg checked (ha_sync_config_check) by the caller. Thread: control. */
void ha__sync_init(ha__sync *s, const ha_sync_config *cfg);
/* Store a message: time (NAN: none), playing (-1: not said), arrival (the
 * monotonic time now). Thread: any. */
void ha__sync_put(ha__sync *s, double time, int playing, double arrival);
/* Thread: the tick. A message newer than the last one taken: apply the
 * chase rule to `clock` at `now` (metrics recorded in m) and return the
 * HA_SYNC_* bits done; 0 when nothing new (or the slot was being written). */
unsigned ha__sync_tick(ha__sync *s, ha_clock *clock, double now, ha_metrics *m);
/* The player's slot (src/rt/player.c). Thread: any. */
ha__sync *ha__player_sync(ha_player *p);

#endif
