/* Live state store: a ring of seqlocked buffers (a "latch" seqlock).
 *
 * Why a seqlock and not a triple buffer. A triple buffer never retries, but
 * it has exactly one reader: the reader owns the "front" buffer. We have many
 * readers (the addon, the OSC control thread, the metrics server, the CLI),
 * and the many-reader variants (reference-counted buffers) make the writer
 * look for a free buffer, i.e. wait or fail, or make readers pin and re-check
 * (a retry anyway). A seqlock has any number of readers that write nothing
 * shared on the common path (no cache-line ping-pong with the tick; only a
 * retry bumps one statistics word), and a writer that never waits: readers
 * detect a torn copy and retry.
 *
 * Why a ring of HA_STORE_SLOTS seqlocked buffers and not one. With a single
 * buffer, a reader copying 1,024 tracks (~55 KB, microseconds) while the tick
 * publishes fails and retries; a slow or preempted reader could starve. Here
 * publish k writes buffer k % SLOTS and then announces `version = k`; a
 * reader copies the announced buffer, which the writer will not touch again
 * for SLOTS - 1 publishes. A reader therefore fails only if it stalls for
 * more than SLOTS - 1 ticks in the middle of one copy. Cost: SLOTS copies of
 * the data in memory (4 x 55 KB for 1,024 tracks).
 *
 * The memory model. A textbook seqlock reads the protected data with plain
 * loads while the writer may be storing to it: a data race, undefined
 * behaviour in C11, and what ThreadSanitizer rightly reports. Every shared
 * field here is therefore an atomic, and (after Boehm, "Can seqlocks get
 * along with programming language memory models?", MSPC 2012):
 *
 *   writer                              reader
 *   seq = s + 1        (relaxed)        s1 = seq          (acquire)
 *   data[i] = v        (release)        v  = data[i]      (acquire)
 *   seq = s + 2        (release)        s2 = seq          (relaxed)
 *   version = k        (release)        ok iff s1 == s2 and s1 even
 *
 * If the reader's s1 is even and equals s2, no data load saw a value from a
 * later write: had one seen a store of the next write, that release store
 * (sequenced after `seq = s + 1`) synchronises with the reader's acquire load,
 * so `seq = s + 1` happens before the load of s2, and coherence forces
 * s2 != s1. And s1 (acquire) reading `seq = s + 2` (release) makes all the
 * data of that publish visible. The usual alternative, relaxed data accesses
 * plus one atomic_thread_fence on each side, is equally correct but
 * ThreadSanitizer does not model stand-alone fences (GCC warns -Wtsan), so
 * the sanitizer could not check it. Acquire loads and release stores cost
 * nothing extra on x86-64 (every mov already has those semantics; only the
 * compiler is constrained) and LDAR/STLR on AArch64. Doubles travel as their
 * bit patterns in 64-bit atomics.
 *
 * The copies. Element-wise atomics cost vectorisation: no compiler turns them
 * into memcpy, so a publish of 1,024 tracks was 8,192 scalar stores, 4.5-6.4x
 * a memcpy of the same 54 KB, and a read 4.5-7.9x (bench/bench_store.c).
 * So, except under ThreadSanitizer, the arrays are copied with memcpy
 * between the same sequence-word accesses plus one fence on each side (the
 * Linux kernel's and DPDK's seqlock: smp_wmb after the odd `seq`, smp_rmb
 * before the second `seq` load):
 *
 *   writer                              reader
 *   seq = s + 1        (relaxed)        s1 = seq          (acquire)
 *   fence (release)                     memcpy data
 *   memcpy data                         fence (acquire)
 *   seq = s + 2        (release)        s2 = seq          (relaxed)
 *
 * The fences order the plain copies against the sequence word for the
 * compiler and the CPU (a compiler barrier on x86-64, DMB on AArch64). A
 * copy that overlaps a publish is torn and discarded, never used; but in
 * C11's terms the overlapping accesses are a data race, which
 * ThreadSanitizer reports. Its builds (HA_STORE_ELEMENT_ATOMICS) therefore
 * keep the element-wise atomics above, with the same sequence-word protocol,
 * so the sanitizer still checks the protocol; the plain build's stress test
 * (tests/test_store.c) checks that no torn copy gets through. Rejected:
 * reader-pinned buffers (a writer that must find an unpinned buffer waits or
 * drops a publish when readers stall) and non-temporal stores (the readers
 * want the data in cache).
 *
 * The writer keeps no state of its own beyond the atomics: it is the only
 * thread that stores to them, so its relaxed loads read its own last stores. */
#include "rt_internal.h"

#include "atomics.h"

#include <sched.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

/* ThreadSanitizer builds copy element by element through atomics (see the
 * design comment); the others copy with memcpy between fences. */
#if defined(__SANITIZE_THREAD__)
#define HA_STORE_ELEMENT_ATOMICS 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HA_STORE_ELEMENT_ATOMICS 1
#endif
#endif

/* memcpy that takes an empty copy from anywhere (a publish of 0 tracks may
 * pass NULL arrays; memcpy's arguments must not be NULL even then). */
static inline void copy_bytes(void *dst, const void *src, size_t n) {
  if (n > 0) {
    memcpy(dst, src, n);
  }
}

#define MAX_CAPACITY ((size_t)1 << 24)
/* Failed copies in a row before a reader yields its time slice to let the
 * (possibly descheduled) world move on. */
#define YIELD_AFTER 8
/* Status published when the caller passes none: HA_TRACK_ANIMATED. */
#define DEFAULT_STATUS ((uint8_t)1)

enum { POS_X, POS_Y, POS_Z, VEL_X, VEL_Y, VEL_Z, NCOMP };

typedef struct slot {
  ha__atomic_u64 seq;     /* odd while the writer fills the slot */
  ha__atomic_u64 version; /* publish number held by the slot */
  ha__atomic_u64 tick;
  ha__atomic_u64 time; /* double bits */
  ha__atomic_u64 count;
  ha__atomic_u64 *comp[NCOMP]; /* capacity elements each, double bits */
  ha__atomic_u32 *ids;
  ha__atomic_u8 *status;
} slot;

struct ha_store {
  /* Read by every poller; written once per publish. On its own line so that
   * the header words of slot 0 do not share it. */
  alignas(64) ha__atomic_u64 version; /* publishes so far, 0 = none */
  ha__atomic_u64 last_tick;
  /* Copies readers discarded (statistics; written only on a retry, so on its
   * own line to keep it away from the words every read loads). */
  alignas(64) ha__atomic_u64 retries;
  alignas(64) slot slots[HA_STORE_SLOTS];
  size_t capacity;
  void *block; /* all slots' arrays, one allocation */
};

static size_t round_up64(size_t n) {
  return (n + 63u) & ~(size_t)63u;
}

ha_status ha_store_create(size_t capacity, ha_store **out) {
  if (out == NULL || capacity == 0 || capacity > MAX_CAPACITY) {
    return HA_EINVAL;
  }
  *out = NULL;
  ha_store *s = aligned_alloc(64, round_up64(sizeof(*s)));
  if (s == NULL) {
    return HA_ENOMEM;
  }
  memset(s, 0, sizeof(*s));
  size_t comp_bytes = round_up64(capacity * sizeof(ha__atomic_u64));
  size_t ids_bytes = round_up64(capacity * sizeof(ha__atomic_u32));
  size_t status_bytes = round_up64(capacity * sizeof(ha__atomic_u8));
  size_t slot_bytes = NCOMP * comp_bytes + ids_bytes + status_bytes;
  unsigned char *block = aligned_alloc(64, slot_bytes * HA_STORE_SLOTS);
  if (block == NULL) {
    free(s);
    return HA_ENOMEM;
  }
  /* All-zero bytes are the value 0 of these lock-free atomic integers. The
   * store reaches other threads only after create returns, through whatever
   * synchronisation hands them the pointer, so these plain writes race with
   * nothing. */
  memset(block, 0, slot_bytes * HA_STORE_SLOTS);
  for (size_t k = 0; k < HA_STORE_SLOTS; k++) {
    slot *sl = &s->slots[k];
    unsigned char *p = block + k * slot_bytes;
    for (size_t c = 0; c < NCOMP; c++) {
      sl->comp[c] = (ha__atomic_u64 *)(void *)p;
      p += comp_bytes;
    }
    sl->ids = (ha__atomic_u32 *)(void *)p;
    p += ids_bytes;
    sl->status = (ha__atomic_u8 *)(void *)p;
    atomic_init(&sl->seq, 0);
    atomic_init(&sl->version, 0);
    atomic_init(&sl->tick, 0);
    atomic_init(&sl->time, 0);
    atomic_init(&sl->count, 0);
  }
  atomic_init(&s->version, 0);
  atomic_init(&s->last_tick, 0);
  atomic_init(&s->retries, 0);
  s->capacity = capacity;
  s->block = block;
  *out = s;
  return HA_OK;
}

void ha_store_destroy(ha_store *s) {
  if (s == NULL) {
    return;
  }
  free(s->block);
  free(s);
}

size_t ha_store_capacity(const ha_store *s) {
  return s == NULL ? 0 : s->capacity;
}

/* The slot's arrays, filled by the writer. With element atomics: each a
 * release store, so a reader whose acquire load sees any of these values
 * also sees the odd `seq` stored before them, which is how it learns its
 * copy is torn (see the design comment). Without: memcpy / memset after the
 * release fence that follows the odd `seq`. */
static void put_doubles(ha__atomic_u64 *dst, const double *src, size_t n) {
#ifdef HA_STORE_ELEMENT_ATOMICS
  for (size_t i = 0; i < n; i++) {
    ha__store_release_u64(&dst[i], ha__dbits(src[i]));
  }
#else
  copy_bytes((void *)dst, src, n * sizeof(*src));
#endif
}

static void put_zeros(ha__atomic_u64 *dst, size_t n) {
#ifdef HA_STORE_ELEMENT_ATOMICS
  for (size_t i = 0; i < n; i++) {
    /* release: as in put_doubles. */
    ha__store_release_u64(&dst[i], 0);
  }
#else
  /* All-zero bytes are the value 0 (see ha_store_create). */
  memset((void *)dst, 0, n * sizeof(*dst));
#endif
}

static void put_ids(ha__atomic_u32 *dst, const uint32_t *src, size_t n) {
#ifdef HA_STORE_ELEMENT_ATOMICS
  for (size_t i = 0; i < n; i++) {
    /* release: as in put_doubles. */
    ha__store_release_u32(&dst[i], src[i]);
  }
#else
  copy_bytes((void *)dst, src, n * sizeof(*src));
#endif
}

/* status NULL: every track DEFAULT_STATUS. */
static void put_status(ha__atomic_u8 *dst, const uint8_t *src, size_t n) {
#ifdef HA_STORE_ELEMENT_ATOMICS
  for (size_t i = 0; i < n; i++) {
    /* release: as in put_doubles. */
    ha__store_release_u8(&dst[i], src != NULL ? src[i] : DEFAULT_STATUS);
  }
#else
  if (src != NULL) {
    copy_bytes((void *)dst, src, n);
  } else {
    memset((void *)dst, DEFAULT_STATUS, n);
  }
#endif
}

ha_status ha_store_publish(ha_store *s, uint64_t tick, double time, size_t n, const uint32_t *ids,
                           const double *x, const double *y, const double *z, const double *vx,
                           const double *vy, const double *vz, const uint8_t *status) {
  if (HA__UNLIKELY(s == NULL || n > s->capacity)) {
    return HA_EINVAL;
  }
  bool has_vel = vx != NULL || vy != NULL || vz != NULL;
  if (HA__UNLIKELY(n > 0 && (ids == NULL || x == NULL || y == NULL || z == NULL ||
                             (has_vel && (vx == NULL || vy == NULL || vz == NULL))))) {
    return HA_EINVAL;
  }
  /* relaxed: we are the only thread that stores `version`, so this reads our
   * own previous store. */
  uint64_t v = ha__load_relaxed_u64(&s->version) + 1;
  slot *sl = &s->slots[v % HA_STORE_SLOTS];
  /* relaxed: only the writer stores `seq`; it reads its own last store. */
  uint64_t seq = ha__load_relaxed_u64(&sl->seq);
  /* relaxed: odd = "being written". Ordering comes from the release stores
   * of the data that follow: whoever sees one of them sees this too. */
  ha__store_relaxed_u64(&sl->seq, seq + 1);
#ifndef HA_STORE_ELEMENT_ATOMICS
  /* release: the plain copies below stay after the odd `seq` (smp_wmb). */
  ha__fence_release();
#endif

  /* release (each field below): see put_doubles. */
  ha__store_release_u64(&sl->version, v);
  ha__store_release_u64(&sl->tick, tick);
  ha__store_release_u64(&sl->time, ha__dbits(time));
  ha__store_release_u64(&sl->count, (uint64_t)n);
  const double *src[NCOMP] = {x, y, z, vx, vy, vz};
  for (size_t c = 0; c < NCOMP; c++) {
    if (src[c] != NULL) {
      put_doubles(sl->comp[c], src[c], n);
    } else {
      put_zeros(sl->comp[c], n);
    }
  }
  put_ids(sl->ids, ids, n);
  put_status(sl->status, status, n);

  /* release: a reader that loads this even value (acquire) sees every store
   * above; it closes the slot. */
  ha__store_release_u64(&sl->seq, seq + 2);
  /* release: whoever reads the new version (acquire) sees the tick too. */
  ha__store_release_u64(&s->last_tick, tick);
  /* release: announces the slot; a reader that loads `v` (acquire) finds
   * the closed slot and its even `seq`. */
  ha__store_release_u64(&s->version, v);
  return HA_OK;
}

/* Copy the slot's arrays out. With element atomics: acquire loads, so if a
 * load sees a value of a later publish, the writer's odd `seq` becomes
 * visible to our final `seq` load (see the design comment) and the torn copy
 * is detected. Without: memcpy, then the acquire fence before that load. */
static void get_doubles(double *dst, const ha__atomic_u64 *src, size_t n) {
#ifdef HA_STORE_ELEMENT_ATOMICS
  for (size_t i = 0; i < n; i++) {
    dst[i] = ha__bitsd(ha__load_acquire_u64(&src[i]));
  }
#else
  copy_bytes(dst, (const void *)src, n * sizeof(*dst));
#endif
}

static void get_ids(uint32_t *dst, const ha__atomic_u32 *src, size_t n) {
#ifdef HA_STORE_ELEMENT_ATOMICS
  for (size_t i = 0; i < n; i++) {
    /* acquire: see get_doubles. */
    dst[i] = ha__load_acquire_u32(&src[i]);
  }
#else
  copy_bytes(dst, (const void *)src, n * sizeof(*dst));
#endif
}

static void get_status(uint8_t *dst, const ha__atomic_u8 *src, size_t n) {
#ifdef HA_STORE_ELEMENT_ATOMICS
  for (size_t i = 0; i < n; i++) {
    /* acquire: see get_doubles. */
    dst[i] = ha__load_acquire_u8(&src[i]);
  }
#else
  copy_bytes(dst, (const void *)src, n);
#endif
}

ha_status ha_store_read(const ha_store *s, ha_store_snapshot *snap) {
  if (s == NULL || snap == NULL) {
    return HA_EINVAL;
  }
  if (snap->capacity < s->capacity) {
    return HA_ENOBUFS;
  }
  double *dst[NCOMP] = {snap->x, snap->y, snap->z, snap->vx, snap->vy, snap->vz};
  /* The statistic is the one word readers write; the store was created
   * mutable, so writing through the cast is defined. */
  ha__atomic_u64 *retries = (ha__atomic_u64 *)&s->retries;
  for (int attempt = 0; attempt < HA_STORE_READ_ATTEMPTS; attempt++) {
    if (attempt > 0) {
      /* relaxed: a statistic, orders nothing. */
      ha__add_relaxed_u64(retries, 1);
    }
    if (attempt >= YIELD_AFTER) {
      sched_yield();
    }
    /* acquire: pairs with the release store of `version` in publish, so the
     * slot it names is closed (or was reused since: `seq` tells). */
    uint64_t v = ha__load_acquire_u64(&s->version);
    if (v == 0) {
      return HA_EAGAIN;
    }
    const slot *sl = &s->slots[v % HA_STORE_SLOTS];
    /* acquire: reading the writer's closing (even) `seq` makes that
     * publish's data visible to the loads below. */
    uint64_t s1 = ha__load_acquire_u64(&sl->seq);
    if (s1 & 1u) {
      continue; /* the writer lapped us and is refilling this slot */
    }
    /* acquire (each field below): see get_doubles. */
    uint64_t version = ha__load_acquire_u64(&sl->version);
    uint64_t tick = ha__load_acquire_u64(&sl->tick);
    double time = ha__bitsd(ha__load_acquire_u64(&sl->time));
    uint64_t count = ha__load_acquire_u64(&sl->count);
    /* A torn count is still <= capacity (publish checks n), so the loops
     * below stay in bounds even when this copy is about to be discarded. */
    size_t n = count <= s->capacity ? (size_t)count : s->capacity;
    for (size_t c = 0; c < NCOMP; c++) {
      get_doubles(dst[c], sl->comp[c], n);
    }
    get_ids(snap->ids, sl->ids, n);
    get_status(snap->status, sl->status, n);
#ifndef HA_STORE_ELEMENT_ATOMICS
    /* acquire: the plain copies above complete before `seq` is loaded
     * again (smp_rmb). */
    ha__fence_acquire();
#endif
    /* relaxed: ordered after every acquire load (or the fence) above, which
     * is all the check needs; equal and even means no publish touched the
     * slot. */
    uint64_t s2 = ha__load_relaxed_u64(&sl->seq);
    if (s1 == s2) {
      snap->version = version;
      snap->tick = tick;
      snap->time = time;
      snap->count = n;
      return HA_OK;
    }
  }
  snap->count = 0;
  return HA_EAGAIN;
}

ha_status ha_store_tick(const ha_store *s, uint64_t *tick) {
  if (s == NULL || tick == NULL) {
    return HA_EINVAL;
  }
  /* acquire: pairs with the release store of `version`; a non-zero version
   * guarantees that the matching (or a later) `last_tick` is visible. */
  if (ha__load_acquire_u64(&s->version) == 0) {
    return HA_EAGAIN;
  }
  /* relaxed: ordered by the acquire load above. */
  *tick = ha__load_relaxed_u64(&s->last_tick);
  return HA_OK;
}

uint64_t ha_store_version(const ha_store *s) {
  if (s == NULL) {
    return 0;
  }
  /* acquire: so that a caller who sees a new version and then reads gets at
   * least that publish (the read's own acquire load would too; this keeps the
   * promise even for callers comparing versions only). */
  return ha__load_acquire_u64(&s->version);
}

uint64_t ha_store_retries(const ha_store *s) {
  /* relaxed: a statistic. */
  return s == NULL ? 0 : ha__load_relaxed_u64(&s->retries);
}

ha_status ha_store_snapshot_create(size_t capacity, ha_store_snapshot **out) {
  if (out == NULL || capacity == 0 || capacity > MAX_CAPACITY) {
    return HA_EINVAL;
  }
  *out = NULL;
  /* One allocation: the header then the arrays, each on a 64-byte boundary
   * like the store's own, so a read copies between buffers of the same
   * alignment (glibc's memcpy, rep movsb beyond a few KB, is fastest so).
   * Before, the arrays started 104 bytes into a 16-byte-aligned block. */
  size_t head = round_up64(sizeof(ha_store_snapshot));
  size_t comp_bytes = round_up64(capacity * sizeof(double));
  size_t ids_bytes = round_up64(capacity * sizeof(uint32_t));
  size_t bytes = head + NCOMP * comp_bytes + ids_bytes + round_up64(capacity);
  unsigned char *block = aligned_alloc(64, bytes);
  if (block == NULL) {
    return HA_ENOMEM;
  }
  memset(block, 0, bytes);
  ha_store_snapshot *snap = (ha_store_snapshot *)(void *)block;
  double **comp[NCOMP] = {&snap->x, &snap->y, &snap->z, &snap->vx, &snap->vy, &snap->vz};
  unsigned char *p = block + head;
  for (size_t c = 0; c < NCOMP; c++) {
    *comp[c] = (double *)(void *)p;
    p += comp_bytes;
  }
  snap->ids = (uint32_t *)(void *)p;
  snap->status = p + ids_bytes;
  snap->capacity = capacity;
  *out = snap;
  return HA_OK;
}

void ha_store_snapshot_destroy(ha_store_snapshot *snap) {
  free(snap);
}
