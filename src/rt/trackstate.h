/* Internal: the player's per-track mute, solo and lock (src/rt/trackstate.c).
 *
 * The flags belong to the tick thread (set by a queued command, so they
 * take effect in order with cues and starts). Mute and solo act on sending
 * only: the tick still evaluates and publishes every track, and the
 * outputs get the sendable subset, copied into arrays sized at create
 * (nothing allocated on the tick). Lock acts on commands: the player asks
 * before applying one that would move a track. */
#ifndef HOLOANIM_TRACKSTATE_H
#define HOLOANIM_TRACKSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "holoanim/engine.h"
#include "holoanim/error.h"

typedef struct ha__trackstate {
  uint8_t *flags;      /* per track index (add order): HA_TRACK_* bits */
  size_t nmute, nsolo; /* tracks with each flag set */
  uint32_t *ids;       /* the sendable subset (cap entries each) */
  double *x, *y, *z;
  size_t cap;
} ha__trackstate;

/* Room for `cap` tracks, every flag clear. HA_ENOMEM. Thread: control. */
ha_status ha__trackstate_init(ha__trackstate *s, size_t cap);
/* Free; a zeroed struct is fine. Thread: control. */
void ha__trackstate_deinit(ha__trackstate *s);
/* Track `id` of engine `e` gets `flags`; a track newly locked stops where it
 * stands (it leaves its animation, its delayed move is dropped).
 * HA_ENOTFOUND. Thread: the tick. */
ha_status ha__trackstate_set(ha__trackstate *s, ha_engine *e, uint32_t id, unsigned flags);
/* Does the track at index i send (not muted, and soloed when any is)?
 * Thread: the tick. */
bool ha__trackstate_sends_at(const ha__trackstate *s, size_t i);
/* Is the track at index i (or with id `id`) locked? Thread: the tick. */
bool ha__trackstate_locked_at(const ha__trackstate *s, size_t i);
bool ha__trackstate_locked(const ha__trackstate *s, const ha_engine *e, uint32_t id);
/* The locked tracks taken out of tracks[0, n) in place, order kept;
 * returns how many are left. Thread: the tick. */
size_t ha__trackstate_unlocked(const ha__trackstate *s, const ha_engine *e, uint32_t *tracks,
                               size_t n);

/* What the outputs get of positions [0, n): *ids.. point at the inputs
 * when nothing is muted or soloed, else at the sendable tracks copied (a
 * muted one never; with any solo, only soloed ones). Returns the count.
 * Thread: the tick. */
size_t ha__trackstate_sendable(ha__trackstate *s, size_t n, const uint32_t **ids, const double **x,
                               const double **y, const double **z);

#endif
