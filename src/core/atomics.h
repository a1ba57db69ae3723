/* Small atomic wrappers: the memory order is in the name, so every use site
 * reads as what it is ("load_acquire", "add_relaxed") and carries its own
 * why-comment. Internal; the library's only door to <stdatomic.h> (the pool,
 * the rings, the player, the store, the metrics, the outputs, the control
 * input).
 *
 * Names are ha__<operation>_<order>_<type>. Only the orders we need are
 * wrapped. A compare-exchange names its success order; on failure it uses
 * the strongest order allowed for that (acquire after acq_rel or acquire,
 * relaxed after release or relaxed), and it is the weak form: callers loop.
 * Doubles travel as their 64-bit pattern (ha__dbits / ha__bitsd) because
 * _Atomic double is not lock-free on every target and its compound
 * operations may call libatomic. */
#ifndef HOLOANIM_ATOMICS_H
#define HOLOANIM_ATOMICS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef _Atomic uint64_t ha__atomic_u64;
typedef _Atomic uint32_t ha__atomic_u32;
typedef _Atomic uint8_t ha__atomic_u8;
typedef _Atomic size_t ha__atomic_size;
typedef _Atomic int ha__atomic_int;
typedef atomic_flag ha__atomic_flag;

/* ---- 64-bit ---------------------------------------------------------------- */

static inline uint64_t ha__load_relaxed_u64(const ha__atomic_u64 *p) {
  return atomic_load_explicit((ha__atomic_u64 *)p, memory_order_relaxed);
}
static inline uint64_t ha__load_acquire_u64(const ha__atomic_u64 *p) {
  return atomic_load_explicit((ha__atomic_u64 *)p, memory_order_acquire);
}
static inline void ha__store_relaxed_u64(ha__atomic_u64 *p, uint64_t v) {
  atomic_store_explicit(p, v, memory_order_relaxed);
}
static inline void ha__store_release_u64(ha__atomic_u64 *p, uint64_t v) {
  atomic_store_explicit(p, v, memory_order_release);
}
static inline uint64_t ha__add_relaxed_u64(ha__atomic_u64 *p, uint64_t v) {
  return atomic_fetch_add_explicit(p, v, memory_order_relaxed);
}
static inline uint64_t ha__add_release_u64(ha__atomic_u64 *p, uint64_t v) {
  return atomic_fetch_add_explicit(p, v, memory_order_release);
}
/* Raise *p to v if v is larger (relaxed CAS loop). */
static inline void ha__max_relaxed_u64(ha__atomic_u64 *p, uint64_t v) {
  uint64_t cur = atomic_load_explicit(p, memory_order_relaxed);
  while (v > cur && !atomic_compare_exchange_weak_explicit(p, &cur, v, memory_order_relaxed,
                                                           memory_order_relaxed)) {
  }
}
/* *p += v for a counter with ONE writer: a relaxed load and a relaxed store,
 * not a locked read-modify-write (no update can be lost with one writer;
 * readers on other threads see a whole value). Adding 0 writes nothing. */
static inline void ha__add_single_writer_relaxed_u64(ha__atomic_u64 *p, uint64_t v) {
  if (v != 0) {
    atomic_store_explicit(p, atomic_load_explicit(p, memory_order_relaxed) + v,
                          memory_order_relaxed);
  }
}
static inline bool ha__cas_weak_acq_rel_u64(ha__atomic_u64 *p, uint64_t *expected,
                                            uint64_t desired) {
  return atomic_compare_exchange_weak_explicit(p, expected, desired, memory_order_acq_rel,
                                               memory_order_acquire);
}
static inline bool ha__cas_weak_release_u64(ha__atomic_u64 *p, uint64_t *expected,
                                            uint64_t desired) {
  return atomic_compare_exchange_weak_explicit(p, expected, desired, memory_order_release,
                                               memory_order_relaxed);
}
static inline void ha__or_release_u64(ha__atomic_u64 *p, uint64_t bits) {
  atomic_fetch_or_explicit(p, bits, memory_order_release);
}
static inline uint64_t ha__exchange_acquire_u64(ha__atomic_u64 *p, uint64_t v) {
  return atomic_exchange_explicit(p, v, memory_order_acquire);
}
/* Fences, for the seqlock pattern (relaxed data between a sequence word's
 * updates): see the use sites. */
static inline void ha__fence_acquire(void) {
  atomic_thread_fence(memory_order_acquire);
}
static inline void ha__fence_release(void) {
  atomic_thread_fence(memory_order_release);
}
/* Lower *p to v if v is smaller (relaxed CAS loop). */
static inline void ha__min_relaxed_u64(ha__atomic_u64 *p, uint64_t v) {
  uint64_t cur = atomic_load_explicit(p, memory_order_relaxed);
  while (v < cur && !atomic_compare_exchange_weak_explicit(p, &cur, v, memory_order_relaxed,
                                                           memory_order_relaxed)) {
  }
}

/* ---- 32 and 8-bit ---------------------------------------------------------- */

static inline uint32_t ha__load_relaxed_u32(const ha__atomic_u32 *p) {
  return atomic_load_explicit((ha__atomic_u32 *)p, memory_order_relaxed);
}
static inline void ha__store_relaxed_u32(ha__atomic_u32 *p, uint32_t v) {
  atomic_store_explicit(p, v, memory_order_relaxed);
}
static inline uint32_t ha__load_acquire_u32(const ha__atomic_u32 *p) {
  return atomic_load_explicit((ha__atomic_u32 *)p, memory_order_acquire);
}
static inline void ha__store_release_u32(ha__atomic_u32 *p, uint32_t v) {
  atomic_store_explicit(p, v, memory_order_release);
}
static inline uint8_t ha__load_acquire_u8(const ha__atomic_u8 *p) {
  return atomic_load_explicit((ha__atomic_u8 *)p, memory_order_acquire);
}
static inline void ha__store_release_u8(ha__atomic_u8 *p, uint8_t v) {
  atomic_store_explicit(p, v, memory_order_release);
}

/* ---- size_t (ring indices, counts) ------------------------------------------ */

static inline size_t ha__load_relaxed_size(const ha__atomic_size *p) {
  return atomic_load_explicit((ha__atomic_size *)p, memory_order_relaxed);
}
static inline size_t ha__load_acquire_size(const ha__atomic_size *p) {
  return atomic_load_explicit((ha__atomic_size *)p, memory_order_acquire);
}
static inline void ha__store_release_size(ha__atomic_size *p, size_t v) {
  atomic_store_explicit(p, v, memory_order_release);
}
static inline size_t ha__add_relaxed_size(ha__atomic_size *p, size_t v) {
  return atomic_fetch_add_explicit(p, v, memory_order_relaxed);
}
static inline size_t ha__sub_relaxed_size(ha__atomic_size *p, size_t v) {
  return atomic_fetch_sub_explicit(p, v, memory_order_relaxed);
}
static inline bool ha__cas_weak_relaxed_size(ha__atomic_size *p, size_t *expected, size_t desired) {
  return atomic_compare_exchange_weak_explicit(p, expected, desired, memory_order_relaxed,
                                               memory_order_relaxed);
}

/* ---- int (flags, errno) and atomic_flag ----------------------------------- */

static inline int ha__load_relaxed_int(const ha__atomic_int *p) {
  return atomic_load_explicit((ha__atomic_int *)p, memory_order_relaxed);
}
static inline int ha__load_acquire_int(const ha__atomic_int *p) {
  return atomic_load_explicit((ha__atomic_int *)p, memory_order_acquire);
}
static inline void ha__store_relaxed_int(ha__atomic_int *p, int v) {
  atomic_store_explicit(p, v, memory_order_relaxed);
}
static inline void ha__store_release_int(ha__atomic_int *p, int v) {
  atomic_store_explicit(p, v, memory_order_release);
}
/* Set the flag; returns whether it was already set. */
static inline bool ha__flag_test_and_set_acquire(ha__atomic_flag *f) {
  return atomic_flag_test_and_set_explicit(f, memory_order_acquire);
}
static inline void ha__flag_clear_release(ha__atomic_flag *f) {
  atomic_flag_clear_explicit(f, memory_order_release);
}

/* ---- double <-> bits ------------------------------------------------------- */

static inline uint64_t ha__dbits(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof(u));
  return u;
}
static inline double ha__bitsd(uint64_t u) {
  double d;
  memcpy(&d, &u, sizeof(d));
  return d;
}

#endif
