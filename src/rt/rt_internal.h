/* The real-time layer's internals (src/rt): the tick thread (player), its
 * lock-free rings and the state store. Not installed. Sees I/O, engine and
 * core below it and nothing above (src/layers.txt): no show files. */
#ifndef HOLOANIM_RT_INTERNAL_H
#define HOLOANIM_RT_INTERNAL_H

#include "io_internal.h"

#include "holoanim/player.h"
#include "holoanim/store.h"

#endif
