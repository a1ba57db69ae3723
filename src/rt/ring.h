/* Internal lock-free queues of fixed-size items, sized at creation.
 *
 * ha__mpmc: bounded multi-producer multi-consumer queue (per-cell sequence
 * numbers, after D. Vyukov's bounded queue): any control thread pushes
 * commands, the tick thread pops. A full queue refuses (HA_EAGAIN) rather
 * than blocking or allocating.
 * ha__spsc: single-producer single-consumer ring (events and retired memory
 * from the tick to one control thread). */
#ifndef HOLOANIM_RING_H
#define HOLOANIM_RING_H

#include <stddef.h>
#include <stdint.h>

#include "atomics.h"
#include "holoanim/error.h"

typedef struct ha__mpmc {
  unsigned char *cells; /* cap × (seq word + item), each cell 64-byte aligned */
  size_t cell_size;
  size_t item_size;
  size_t mask;
  _Alignas(64) ha__atomic_size head; /* next to pop */
  _Alignas(64) ha__atomic_size tail; /* next to push */
} ha__mpmc;

/* capacity is rounded up to a power of two. HA_ENOMEM, HA_EINVAL. */
ha_status ha__mpmc_init(ha__mpmc *q, size_t capacity, size_t item_size);
void ha__mpmc_deinit(ha__mpmc *q);
/* HA_OK or HA_EAGAIN (full). Thread: any. */
ha_status ha__mpmc_push(ha__mpmc *q, const void *item);
/* HA_OK or HA_EAGAIN (empty). Thread: any. */
ha_status ha__mpmc_pop(ha__mpmc *q, void *item);

typedef struct ha__spsc {
  unsigned char *items;
  size_t item_size;
  size_t mask;
  _Alignas(64) ha__atomic_size head; /* consumer */
  _Alignas(64) ha__atomic_size tail; /* producer */
} ha__spsc;

ha_status ha__spsc_init(ha__spsc *r, size_t capacity, size_t item_size);
void ha__spsc_deinit(ha__spsc *r);
/* Producer only. HA_EAGAIN when full. */
ha_status ha__spsc_push(ha__spsc *r, const void *item);
/* Consumer only. HA_EAGAIN when empty. */
ha_status ha__spsc_pop(ha__spsc *r, void *item);

#endif
