/* Internal: the player's live-data mappings (src/rt/mapping.c).
 *
 * Each mapping has a latest-value slot: any thread stores the scaled input
 * (its bits, then a release increment of `inputs`); the tick sees a new
 * count, reads the input and smooths its own value towards it, then
 * publishes the value (bits, then a release increment of `version`). The
 * consumer of the values takes them by version. Fixed capacity, inside the
 * player: nothing is allocated, nothing waits. */
#ifndef HOLOANIM_MAPPING_H
#define HOLOANIM_MAPPING_H

#include <stdint.h>

#include "atomics.h"
#include "holoanim/metrics.h"
#include "holoanim/player.h"

typedef struct ha__mapping {
  ha_mapping_config cfg;
  ha__atomic_u64 target_bits; /* the latest scaled input (any writer) */
  ha__atomic_u64 inputs;      /* inputs stored (release: target_bits is written) */
  ha__atomic_u64 value_bits;  /* the value the tick published */
  ha__atomic_u64 version;     /* values published (release: value_bits is written) */
  ha__atomic_u64 taken;       /* the version the consumer took last */
  /* the tick's own */
  uint64_t seen_inputs;
  double value, target;
} ha__mapping;

typedef struct ha__mappings {
  ha__mapping m[HA_PLAYER_MAX_MAPPINGS];
  size_t n; /* fixed before the tick thread starts */
} ha__mappings;

/* Thread: control, before the tick runs. */
ha_status ha__mappings_add(ha__mappings *ms, const ha_mapping_config *c, size_t *index,
                           ha_error *err);
/* Thread: the tick: smooth every active mapping over `dt` seconds. */
void ha__mappings_tick(ha__mappings *ms, double dt);
/* The player's mappings (src/rt/player.c); NULL when not started (add). */
ha__mappings *ha__player_mappings(ha_player *p);
/* 1 when mappings may still be added (the tick thread has not started). */
int ha__player_can_add(const ha_player *p);

#endif
