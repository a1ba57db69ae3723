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

static size_t pow2(size_t n) {
  size_t c = 1;
  while (c < n) {
    c <<= 1;
  }
  return c;
}

static _Atomic size_t *cell_seq(const ha__mpmc *q, size_t pos) {
  return (_Atomic size_t *)(void *)(q->cells + (pos & q->mask) * q->cell_size);
}

static void *cell_item(const ha__mpmc *q, size_t pos) {
  return q->cells + (pos & q->mask) * q->cell_size + 64;
}

ha_status ha__mpmc_init(ha__mpmc *q, size_t capacity, size_t item_size) {
  if (capacity == 0 || item_size == 0 || capacity > ((size_t)1 << 24)) {
    return HA_EINVAL;
  }
  size_t cap = pow2(capacity);
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
  size_t pos = atomic_load_explicit(&q->tail, memory_order_relaxed);
  for (;;) {
    /* acquire: pairs with the consumer's release that freed this cell. */
    size_t seq = atomic_load_explicit(cell_seq(q, pos), memory_order_acquire);
    intptr_t dif = (intptr_t)seq - (intptr_t)pos;
    if (dif == 0) {
      if (atomic_compare_exchange_weak_explicit(&q->tail, &pos, pos + 1, memory_order_relaxed,
                                                memory_order_relaxed)) {
        break;
      }
    } else if (dif < 0) {
      return HA_EAGAIN; /* full */
    } else {
      pos = atomic_load_explicit(&q->tail, memory_order_relaxed);
    }
  }
  memcpy(cell_item(q, pos), item, q->item_size);
  /* release: the item bytes become visible before the consumer sees seq. */
  atomic_store_explicit(cell_seq(q, pos), pos + 1, memory_order_release);
  return HA_OK;
}

ha_status ha__mpmc_pop(ha__mpmc *q, void *item) {
  size_t pos = atomic_load_explicit(&q->head, memory_order_relaxed);
  for (;;) {
    /* acquire: pairs with the producer's release of the item. */
    size_t seq = atomic_load_explicit(cell_seq(q, pos), memory_order_acquire);
    intptr_t dif = (intptr_t)seq - (intptr_t)(pos + 1);
    if (dif == 0) {
      if (atomic_compare_exchange_weak_explicit(&q->head, &pos, pos + 1, memory_order_relaxed,
                                                memory_order_relaxed)) {
        break;
      }
    } else if (dif < 0) {
      return HA_EAGAIN; /* empty */
    } else {
      pos = atomic_load_explicit(&q->head, memory_order_relaxed);
    }
  }
  memcpy(item, cell_item(q, pos), q->item_size);
  /* release: our read of the item happens before a producer reuses it. */
  atomic_store_explicit(cell_seq(q, pos), pos + q->mask + 1, memory_order_release);
  return HA_OK;
}

ha_status ha__spsc_init(ha__spsc *r, size_t capacity, size_t item_size) {
  if (capacity == 0 || item_size == 0 || capacity > ((size_t)1 << 24)) {
    return HA_EINVAL;
  }
  size_t cap = pow2(capacity);
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
  size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
  /* acquire: the consumer finished reading the slot we may overwrite. */
  size_t head = atomic_load_explicit(&r->head, memory_order_acquire);
  if (tail - head > r->mask) {
    return HA_EAGAIN;
  }
  memcpy(r->items + (tail & r->mask) * r->item_size, item, r->item_size);
  /* release: the item is written before the consumer sees the new tail. */
  atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
  return HA_OK;
}

ha_status ha__spsc_pop(ha__spsc *r, void *item) {
  size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
  /* acquire: pairs with the producer's release of tail. */
  size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
  if (head == tail) {
    return HA_EAGAIN;
  }
  memcpy(item, r->items + (head & r->mask) * r->item_size, r->item_size);
  /* release: the slot may be reused once the producer sees the new head. */
  atomic_store_explicit(&r->head, head + 1, memory_order_release);
  return HA_OK;
}
