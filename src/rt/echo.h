/* Internal: the player's device-echo slots (src/rt/echo.c).
 *
 * Echoes do not share the command queue (a flood would make play and stop
 * HA_EAGAIN): each track has a slot keeping its last HA__ECHO_KEEP echoes
 * under a seqlock, and a bit in a bitmap says it changed. Any thread puts
 * (O(1): track id → slot through an open-addressing map filled while tracks
 * are added, read-only once the player runs); the tick drains only the set
 * bits and sees each slot's echoes it has not seen, oldest first, the latest
 * last (latest wins). Keeping a few rather than one means the device's
 * report of another controller's move survives our own echo arriving just
 * after it; a flood keeps only the newest few. */
#ifndef HOLOANIM_ECHO_H
#define HOLOANIM_ECHO_H

#include <stddef.h>
#include <stdint.h>

#include "atomics.h"
#include "holoanim/error.h"
#include "holoanim/math.h"

#define HA__ECHO_KEEP 4

typedef struct ha__echo_slot ha__echo_slot;

typedef struct ha__echo_key {
  uint32_t id;    /* 0: empty (track ids are ≥ 1) */
  uint32_t index; /* the track's index (add order) = its slot */
} ha__echo_key;

typedef struct ha__echoes {
  ha__echo_slot *slots;  /* cap */
  ha__atomic_u64 *dirty; /* a bit per slot */
  uint64_t *taken;       /* tick side: echoes of each slot already drained */
  ha__echo_key *map;     /* mask + 1 entries */
  size_t mask, cap;
} ha__echoes;

/* Room for `cap` tracks. HA_ENOMEM. Thread: control. */
ha_status ha__echoes_init(ha__echoes *e, size_t cap);
/* Free; a zeroed struct is fine. Thread: control. */
void ha__echoes_deinit(ha__echoes *e);
/* Track `id` has slot `index` (< cap; ids distinct). Thread: control,
 * before the tick runs. */
void ha__echoes_map(ha__echoes *e, uint32_t id, size_t index);
/* Record an echo for track `id`: HA_OK, or HA_ENOTFOUND for an id without
 * a slot. Never blocks for long (writers of one slot take turns, a few
 * stores each). Thread: any. */
ha_status ha__echoes_put(ha__echoes *e, uint32_t id, ha_vec3 v);
/* Thread: the tick. Each slot below n with echoes not yet drained gives
 * them to fn(ctx, index, v), oldest first (at most HA__ECHO_KEEP). A slot
 * being written is left for the next drain (its writer marks it again). */
void ha__echoes_drain(ha__echoes *e, size_t n, void (*fn)(void *ctx, size_t index, ha_vec3 v),
                      void *ctx);

#endif
