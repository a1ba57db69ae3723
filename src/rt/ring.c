/* Lock-free bounded queues (see ring.h).
 *
 * MPMC: each cell carries a sequence number. A producer may write cell
 * (pos & mask) when its seq equals pos; it then publishes seq = pos + 1. A
 * consumer may read it when seq equals pos + 1, and frees it for the next lap
 * with seq = pos + capacity. Producers and consumers race only on their own
 * index with a CAS, so nobody ever waits on a descheduled thread holding a
 * lock: the tick can always pop (or see "empty") in bounded time. */
#include "ring.h"

#include <stdlib.h>
#include <string.h>

static size_t ring_pow2(size_t n) {
  size_t c = 1;
  while (c < n) {
    c <<= 1;
  }
  return c;
}

static ha__atomic_size *cell_seq(const ha__mpmc *q, size_t pos) {
  return (ha__atomic_size *)(void *)(q->cells + (pos & q->mask) * q->cell_size);
}

static void *cell_item(const ha__mpmc *q, size_t pos) {
  return q->cells + (pos & q->mask) * q->cell_size + 64;
}

ha_status ha__mpmc_init(ha__mpmc *q, size_t capacity, size_t item_size) {
  if (capacity == 0 || item_size == 0 || capacity > ((size_t)1 << 24)) {
    return HA_EINVAL;
  }
  size_t cap = ring_pow2(capacity);
  q->item_size = item_size;
  q->cell_size = 64 + ((item_size + 63u) & ~(size_t)63u);
  q->mask = cap - 1;
  q->cells = aligned_alloc(64, cap * q->cell_size);
  if (q->cells == NULL) {
    return HA_ENOMEM;
  }
  for (size_t i = 0; i < cap; i++) {
    atomic_init(cell_seq(q, i), i);
  }
  atomic_init(&q->head, 0);
  atomic_init(&q->tail, 0);
  return HA_OK;
}

void ha__mpmc_deinit(ha__mpmc *q) {
  free(q->cells);
  q->cells = NULL;
}

ha_status ha__mpmc_push(ha__mpmc *q, const void *item) {
  /* relaxed: the index is only a ticket; the cell's seq orders the data. */
  size_t pos = ha__load_relaxed_size(&q->tail);
  for (;;) {
    /* acquire: pairs with the consumer's release that freed this cell. */
    size_t seq = ha__load_acquire_size(cell_seq(q, pos));
    intptr_t dif = (intptr_t)seq - (intptr_t)pos;
    if (dif == 0) {
      /* relaxed: claims the ticket only; the cell's seq orders the data. */
      if (ha__cas_weak_relaxed_size(&q->tail, &pos, pos + 1)) {
        break;
      }
    } else if (dif < 0) {
      return HA_EAGAIN; /* full */
    } else {
      pos = ha__load_relaxed_size(&q->tail);
    }
  }
  memcpy(cell_item(q, pos), item, q->item_size);
  /* release: the item bytes become visible before the consumer sees seq. */
  ha__store_release_size(cell_seq(q, pos), pos + 1);
  return HA_OK;
}

ha_status ha__mpmc_pop(ha__mpmc *q, void *item) {
  /* relaxed: the index is only a ticket (as in push). */
  size_t pos = ha__load_relaxed_size(&q->head);
  for (;;) {
    /* acquire: pairs with the producer's release of the item. */
    size_t seq = ha__load_acquire_size(cell_seq(q, pos));
    intptr_t dif = (intptr_t)seq - (intptr_t)(pos + 1);
    if (dif == 0) {
      /* relaxed: claims the ticket only; the cell's seq orders the data. */
      if (ha__cas_weak_relaxed_size(&q->head, &pos, pos + 1)) {
        break;
      }
    } else if (dif < 0) {
      return HA_EAGAIN; /* empty */
    } else {
      pos = ha__load_relaxed_size(&q->head);
    }
  }
  memcpy(item, cell_item(q, pos), q->item_size);
  /* release: our read of the item happens before a producer reuses it. */
  ha__store_release_size(cell_seq(q, pos), pos + q->mask + 1);
  return HA_OK;
}

ha_status ha__spsc_init(ha__spsc *r, size_t capacity, size_t item_size) {
  if (capacity == 0 || item_size == 0 || capacity > ((size_t)1 << 24)) {
    return HA_EINVAL;
  }
  size_t cap = ring_pow2(capacity);
  r->items = malloc(cap * item_size);
  if (r->items == NULL) {
    return HA_ENOMEM;
  }
  r->item_size = item_size;
  r->mask = cap - 1;
  atomic_init(&r->head, 0);
  atomic_init(&r->tail, 0);
  return HA_OK;
}

void ha__spsc_deinit(ha__spsc *r) {
  free(r->items);
  r->items = NULL;
}

ha_status ha__spsc_push(ha__spsc *r, const void *item) {
  /* relaxed: only the producer writes tail. */
  size_t tail = ha__load_relaxed_size(&r->tail);
  /* acquire: the consumer finished reading the slot we may overwrite. */
  size_t head = ha__load_acquire_size(&r->head);
  if (tail - head > r->mask) {
    return HA_EAGAIN;
  }
  memcpy(r->items + (tail & r->mask) * r->item_size, item, r->item_size);
  /* release: the item is written before the consumer sees the new tail. */
  ha__store_release_size(&r->tail, tail + 1);
  return HA_OK;
}

ha_status ha__spsc_pop(ha__spsc *r, void *item) {
  /* relaxed: only the consumer writes head. */
  size_t head = ha__load_relaxed_size(&r->head);
  /* acquire: pairs with the producer's release of tail. */
  size_t tail = ha__load_acquire_size(&r->tail);
  if (head == tail) {
    return HA_EAGAIN;
  }
  memcpy(item, r->items + (head & r->mask) * r->item_size, r->item_size);
  /* release: the slot may be reused once the producer sees the new head. */
  ha__store_release_size(&r->head, head + 1);
  return HA_OK;
}
