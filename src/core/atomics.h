/* Small atomic wrappers: the memory order is in the name, so every use site
 * reads as what it is ("load_acquire", "add_relaxed") and carries its own
 * why-comment. Internal; used by the store and the metrics.
 *
 * Only the orders we need are wrapped. Doubles travel as their 64-bit
 * pattern (ha__dbits / ha__bitsd) because _Atomic double is not lock-free on
 * every target and its compound operations may call libatomic. */
#ifndef HOLOANIM_ATOMICS_H
#define HOLOANIM_ATOMICS_H

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

typedef _Atomic uint64_t ha__atomic_u64;
typedef _Atomic uint32_t ha__atomic_u32;
typedef _Atomic uint8_t ha__atomic_u8;

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
/* Raise *p to v if v is larger (relaxed CAS loop). */
static inline void ha__max_relaxed_u64(ha__atomic_u64 *p, uint64_t v) {
  uint64_t cur = atomic_load_explicit(p, memory_order_relaxed);
  while (v > cur && !atomic_compare_exchange_weak_explicit(p, &cur, v, memory_order_relaxed,
                                                           memory_order_relaxed)) {
  }
}
/* Lower *p to v if v is smaller (relaxed CAS loop). */
static inline void ha__min_relaxed_u64(ha__atomic_u64 *p, uint64_t v) {
  uint64_t cur = atomic_load_explicit(p, memory_order_relaxed);
  while (v < cur && !atomic_compare_exchange_weak_explicit(p, &cur, v, memory_order_relaxed,
                                                           memory_order_relaxed)) {
  }
}

/* ---- 32 and 8-bit ---------------------------------------------------------- */

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
