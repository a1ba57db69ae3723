/* holoanim: the live state store (the seed's LockFreeState).
 *
 * The tick thread publishes, every tick, the position, velocity, status and
 * id of every track together with the tick number and the transport time.
 * Any other thread copies the latest complete tick into a snapshot it owns,
 * at any time, without ever making the tick wait: publishing takes no lock,
 * never allocates and never waits for readers; a reader retries only when the
 * writer overwrote the very buffer it was copying (see src/rt/store.c).
 *
 * A snapshot is always consistent: every field of every track comes from one
 * and the same publish. One writer (the tick), any number of readers.
 *
 *   ha_store *s;             ha_store_create(1024, &s);            (control)
 *   ha_store_publish(s, tick, t, n, ids, x, y, z, vx, vy, vz, st); (tick)
 *   ha_store_snapshot *snap; ha_store_snapshot_create(1024, &snap);
 *   if (ha_store_read(s, snap) == HA_OK) use(snap->x[i], ...);     (any)
 */
#ifndef HOLOANIM_STORE_H
#define HOLOANIM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ha_store ha_store;

/* A reader's copy of one published tick, structure of arrays. All arrays
 * have `capacity` elements; the first `count` are valid. Fill it with
 * ha_store_read; the library never keeps a pointer to it. */
typedef struct ha_store_snapshot {
  uint64_t version; /* publish number, 1 for the first publish (see ha_store_version) */
  uint64_t tick;    /* tick number given to ha_store_publish */
  double time;      /* transport time given to ha_store_publish, seconds */
  size_t count;     /* tracks in this snapshot */
  size_t capacity;  /* tracks the arrays can hold */
  uint32_t *ids;
  double *x, *y, *z;    /* position, metres */
  double *vx, *vy, *vz; /* velocity, metres per second */
  uint8_t *status;      /* ha_track_status values (holoanim/engine.h) */
} ha_store_snapshot;

/* Create a store for at most `capacity` tracks. Everything the store will
 * ever need is allocated here. Errors: HA_EINVAL (capacity 0 or above
 * 2^24), HA_ENOMEM. Thread: control. */
ha_status ha_store_create(size_t capacity, ha_store **out);

/* Free the store; NULL is a no-op. Thread: control, once no thread publishes
 * to or reads from the store any more. */
void ha_store_destroy(ha_store *s);

/* The capacity given at creation. Thread: any. */
size_t ha_store_capacity(const ha_store *s);

/* Publish one tick: `n` tracks given as arrays of `n` elements (structure of
 * arrays, as the engine produces them). `vx`, `vy`, `vz` may all be NULL
 * (velocities published as 0); `status` may be NULL (every track published as
 * HA_TRACK_ANIMATED, 1). `tick` should grow from one publish to the next;
 * the store does not require it. Never allocates, never blocks, never waits
 * for readers; O(n). Errors: HA_EINVAL (n > capacity, NULL ids or
 * positions with n > 0, only some velocity arrays NULL); nothing is published
 * then. Thread: the single writer (the tick thread); two threads must never
 * publish to the same store concurrently. */
ha_status ha_store_publish(ha_store *s, uint64_t tick, double time, size_t n, const uint32_t *ids,
                           const double *x, const double *y, const double *z, const double *vx,
                           const double *vy, const double *vz, const uint8_t *status);

/* Copy the latest published tick into `snap`, consistent (all tracks from
 * one publish). Lock-free; the writer is never delayed. The copy retries
 * when the writer overwrote the buffer being copied, which needs the reader
 * to be stalled for more than HA_STORE_SLOTS - 1 publishes; after
 * HA_STORE_READ_ATTEMPTS such failures in a row it gives up with HA_EAGAIN.
 * Returns HA_OK; HA_EAGAIN (nothing published yet, or starved as above;
 * `snap` then holds no valid tick); HA_ENOBUFS (snap->capacity smaller than the
 * store's capacity); HA_EINVAL (NULL). Thread: any, any number at once,
 * each with its own snapshot. */
ha_status ha_store_read(const ha_store *s, ha_store_snapshot *snap);

/* The tick number of the latest publish, into `*tick`. A cheap way for a
 * control thread to see whether anything changed since a tick it saw (one
 * atomic load, no copy). Returns HA_OK, or HA_EAGAIN when nothing has been
 * published yet. Thread: any. */
ha_status ha_store_tick(const ha_store *s, uint64_t *tick);

/* Number of publishes so far (0: none). Grows by one per publish whatever
 * the tick numbers are, so `ha_store_version(s) != snap->version` means
 * "a newer tick exists" even across a transport seek. One atomic load.
 * Thread: any. */
uint64_t ha_store_version(const ha_store *s);

/* Copies that readers started and discarded because the writer overwrote
 * the buffer meanwhile, since creation (a health statistic: near 0 when
 * readers keep up). Thread: any. */
uint64_t ha_store_retries(const ha_store *s);

/* Buffers the store rotates through: a reader may be stalled for this many
 * publishes minus one before its copy is overwritten. */
#define HA_STORE_SLOTS 4
/* Consecutive overwritten copies after which ha_store_read gives up. */
#define HA_STORE_READ_ATTEMPTS 1000

/* Create a snapshot able to hold `capacity` tracks (use the store's
 * capacity). Errors: HA_EINVAL (capacity 0 or above 2^24), HA_ENOMEM.
 * Thread: any (it allocates; not the tick). */
ha_status ha_store_snapshot_create(size_t capacity, ha_store_snapshot **out);

/* Free a snapshot; NULL is a no-op. Thread: the snapshot's owner. */
void ha_store_snapshot_destroy(ha_store_snapshot *snap);

#ifdef __cplusplus
}
#endif
#endif
