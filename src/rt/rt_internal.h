/* The real-time layer's internals (src/rt): the tick thread (player), its
 * lock-free rings and the state store. Not installed. Sees I/O, engine and
 * core below it and nothing above (src/layers.txt): no show files. */
#ifndef HOLOANIM_RT_INTERNAL_H
#define HOLOANIM_RT_INTERNAL_H

#include "io_internal.h"

#include "holoanim/player.h"
#include "holoanim/store.h"

/* A player driver (player.h) on its way out: its release on a control
 * thread, then the heap copy freed (NULL is a no-op); and whether it owns
 * a motion (NULL owns none). src/rt/player_parts.c. */
void ha__driver_release(ha_player_driver *d);
bool ha__driver_owns(const ha_player_driver *d, const ha_motion *m);

#endif
