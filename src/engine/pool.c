/* Fixed-capacity, lock-free block pool.
 *
 * Free blocks form a stack of indices linked through `next[]`. The head packs
 * (tag << 32 | index + 1) in one 64-bit atomic; the tag increments on every
 * push and pop, so a pop that read a stale `next` (ABA) fails its CAS and
 * retries. A mutex would be simpler but the tick thread must never block.
 * Rejected: a ring buffer (needs two counters and a full/empty protocol for
 * the same result). */
#include "engine_internal.h"

#include "atomics.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct ha_pool {
  ha__atomic_u64 head;  /* tag << 32 | (index + 1), 0 index = empty */
  ha__atomic_u32 *next; /* next[i] = index + 1 of the block below i */
  ha__atomic_size in_use;
  unsigned char *blocks;
  size_t stride;
  size_t block_size;
  size_t capacity;
};

ha_status ha_pool_create(size_t block_size, size_t capacity, ha_pool **out) {
  if (block_size == 0 || capacity == 0 || capacity >= ((size_t)1 << 31)) {
    return HA_EINVAL;
  }
  ha_pool *p = calloc(1, sizeof(*p));
  if (p == NULL) {
    return HA_ENOMEM;
  }
  p->stride = (block_size + 63u) & ~(size_t)63u;
  p->block_size = block_size;
  p->capacity = capacity;
  p->next = calloc(capacity, sizeof(*p->next));
  p->blocks = aligned_alloc(64, p->stride * capacity);
  if (p->next == NULL || p->blocks == NULL) {
    free(p->next);
    free(p->blocks);
    free(p);
    return HA_ENOMEM;
  }
  for (size_t i = 0; i < capacity; i++) {
    /* Block i sits on block i + 1; block 0 is on top. */
    atomic_init(&p->next[i], i + 1 < capacity ? (uint32_t)(i + 2) : 0u);
  }
  atomic_init(&p->head, (uint64_t)1);
  atomic_init(&p->in_use, 0);
  *out = p;
  return HA_OK;
}

void ha_pool_destroy(ha_pool *p) {
  if (p == NULL) {
    return;
  }
  free((void *)p->next);
  free(p->blocks);
  free(p);
}

void *ha_pool_acquire(ha_pool *p) {
  /* acquire: the winner must see the `next` link written by the releaser. */
  uint64_t old = ha__load_acquire_u64(&p->head);
  for (;;) {
    uint32_t idx1 = (uint32_t)(old & 0xffffffffu);
    if (idx1 == 0) {
      return NULL;
    }
    /* relaxed: a stale value is harmless, the tagged CAS below rejects it. */
    uint32_t below = ha__load_relaxed_u32(&p->next[idx1 - 1]);
    uint64_t nh = (((old >> 32) + 1) << 32) | below;
    if (ha__cas_weak_acq_rel_u64(&p->head, &old, nh)) {
      /* relaxed: a statistic, not used for synchronisation. */
      ha__add_relaxed_size(&p->in_use, 1);
      void *b = p->blocks + (size_t)(idx1 - 1) * p->stride;
      memset(b, 0, p->block_size);
      return b;
    }
  }
}

ha_status ha_pool_acquire_ex(ha_pool *p, void **out, const char *resource, ha_error *err) {
  void *b = ha_pool_acquire(p);
  if (b == NULL) {
    return ha__error_exhausted(err, HA_CATEGORY_STATE, resource ? resource : "pool",
                               (uint64_t)p->capacity);
  }
  *out = b;
  return HA_OK;
}

ha_status ha_pool_release(ha_pool *p, void *block) {
  unsigned char *b = block;
  if (b < p->blocks || b >= p->blocks + p->stride * p->capacity ||
      (size_t)(b - p->blocks) % p->stride != 0) {
    return HA_EINVAL;
  }
  uint32_t idx1 = (uint32_t)((size_t)(b - p->blocks) / p->stride + 1);
  /* relaxed: only a first guess; the CAS below checks it. */
  uint64_t old = ha__load_relaxed_u64(&p->head);
  for (;;) {
    /* relaxed: published by the release CAS that follows. */
    ha__store_relaxed_u32(&p->next[idx1 - 1], (uint32_t)(old & 0xffffffffu));
    uint64_t nh = (((old >> 32) + 1) << 32) | idx1;
    /* release: publishes the `next` link (and the caller's last writes to the
     * block) to the thread that acquires it next. */
    if (ha__cas_weak_release_u64(&p->head, &old, nh)) {
      /* relaxed: a statistic. */
      ha__sub_relaxed_size(&p->in_use, 1);
      return HA_OK;
    }
  }
}

size_t ha_pool_capacity(const ha_pool *p) {
  return p->capacity;
}
size_t ha_pool_block_size(const ha_pool *p) {
  return p->block_size;
}
size_t ha_pool_in_use(const ha_pool *p) {
  /* relaxed: a snapshot of a statistic. */
  return ha__load_relaxed_size(&p->in_use);
}

size_t ha_pool_memory_bytes(const ha_pool *p) {
  return sizeof(*p) + p->capacity * (sizeof(*p->next) + p->stride);
}
