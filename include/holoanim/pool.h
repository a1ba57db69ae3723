/* holoanim: fixed-capacity memory pool (the seed's MemoryPool).
 *
 * Blocks of one size, all allocated at creation; acquire and release never
 * allocate and never lock (a tagged Treiber stack of block indices, so they
 * may be called from any thread, including the tick). Used for per-track
 * state. */
#ifndef HOLOANIM_POOL_H
#define HOLOANIM_POOL_H

#include <stddef.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ha_pool ha_pool;

/* Create a pool of `capacity` blocks of `block_size` bytes (each aligned to
 * 64 bytes). Errors: HA_EINVAL (zero size or capacity, capacity ≥ 2^31),
 * HA_ENOMEM. Thread: control. */
ha_status ha_pool_create(size_t block_size, size_t capacity, ha_pool **out);
/* Free the pool and every block; NULL is a no-op. Thread: control, when no
 * other thread uses the pool. */
void ha_pool_destroy(ha_pool *p);

/* A zeroed block, or NULL when all are in use. Thread: any; lock-free. */
void *ha_pool_acquire(ha_pool *p);
/* As ha_pool_acquire, reporting exhaustion as ResourceExhausted{resource,
 * capacity} (HA_EEXHAUSTED). */
ha_status ha_pool_acquire_ex(ha_pool *p, void **out, const char *resource, ha_error *err);
/* Give a block back. A pointer that is not a block of this pool is refused
 * (HA_EINVAL); releasing the same block twice is a caller bug the pool does
 * not detect. Thread: any; lock-free. */
ha_status ha_pool_release(ha_pool *p, void *block);

size_t ha_pool_capacity(const ha_pool *p);
size_t ha_pool_block_size(const ha_pool *p);
/* Bytes the pool allocated at creation (blocks and free list; it never
 * allocates afterwards). Thread: any. */
size_t ha_pool_memory_bytes(const ha_pool *p);
/* Blocks currently acquired (a snapshot). Thread: any. */
size_t ha_pool_in_use(const ha_pool *p);

#ifdef __cplusplus
}
#endif
#endif
