/* Device-echo slots: see echo.h for what and why.
 *
 * A slot is a seqlock: `seq` is odd while a writer writes; writers take
 * turns with a compare-exchange from even to odd, fence, store the echo's
 * bits into ring[count % KEEP] and count + 1, then publish the even seq and
 * set the slot's dirty bit. The tick takes a bitmap word at once, reads
 * seq, count and the ring, fences and reads seq again: equal and even means
 * a consistent copy; otherwise the writer (who sets the bit when done)
 * brings it back next tick. Every field is atomic (relaxed between the seq
 * accesses), so the pattern is data-race free under TSan. Rejected: one
 * value per slot (our own echo right after another controller's move would
 * hide the move) and a queue per slot (unbounded or refusing). */
#include "echo.h"

#include <stdlib.h>

struct ha__echo_slot {
  ha__atomic_u64 seq;
  ha__atomic_u64 count; /* echoes ever put */
  ha__atomic_u64 xyz[HA__ECHO_KEEP][3];
};

ha_status ha__echoes_init(ha__echoes *e, size_t cap) {
  e->cap = cap;
  e->slots = calloc(cap, sizeof(*e->slots));
  e->dirty = calloc((cap + 63) / 64, sizeof(*e->dirty));
  e->taken = calloc(cap, sizeof(*e->taken));
  size_t m = 1;
  while (m < 2 * cap) {
    m <<= 1;
  }
  e->map = calloc(m, sizeof(*e->map));
  e->mask = m - 1;
  if (e->slots == NULL || e->dirty == NULL || e->taken == NULL || e->map == NULL) {
    return HA_ENOMEM;
  }
  return HA_OK;
}

void ha__echoes_deinit(ha__echoes *e) {
  free(e->slots);
  free(e->dirty);
  free(e->taken);
  free(e->map);
}

static size_t echo_hash(const ha__echoes *e, uint32_t id) {
  return (size_t)((id * 2654435761u) & e->mask);
}

void ha__echoes_map(ha__echoes *e, uint32_t id, size_t index) {
  size_t h = echo_hash(e, id);
  while (e->map[h].id != 0) {
    h = (h + 1) & e->mask;
  }
  e->map[h].id = id;
  e->map[h].index = (uint32_t)index;
}

ha_status ha__echoes_put(ha__echoes *e, uint32_t id, ha_vec3 v) {
  size_t h = echo_hash(e, id);
  while (e->map[h].id != 0 && e->map[h].id != id) {
    h = (h + 1) & e->mask;
  }
  if (e->map[h].id == 0) {
    return HA_ENOTFOUND;
  }
  size_t i = e->map[h].index;
  ha__echo_slot *s = &e->slots[i];
  uint64_t seq;
  do {
    /* relaxed: only a guess (an even value) that the exchange checks;
     * acq_rel: writers of one slot take turns, each publishing its odd seq
     * (a writer in progress keeps it odd, so this spins until it is done). */
    seq = ha__load_relaxed_u64(&s->seq) & ~(uint64_t)1;
  } while (!ha__cas_weak_acq_rel_u64(&s->seq, &seq, seq + 1));
  /* release fence: a reader that sees any store below also sees odd seq. */
  ha__fence_release();
  /* relaxed: the sequence word orders them (the tick validates). */
  uint64_t n = ha__load_relaxed_u64(&s->count);
  ha__atomic_u64 *slot = s->xyz[n % HA__ECHO_KEEP];
  ha__store_relaxed_u64(&slot[0], ha__dbits(v.x));
  ha__store_relaxed_u64(&slot[1], ha__dbits(v.y));
  ha__store_relaxed_u64(&slot[2], ha__dbits(v.z));
  ha__store_relaxed_u64(&s->count, n + 1);
  /* release: the echo before the even seq. */
  ha__store_release_u64(&s->seq, seq + 2);
  /* release: the tick that takes the bit sees the echo. */
  ha__or_release_u64(&e->dirty[i / 64], (uint64_t)1 << (i % 64));
  return HA_OK;
}

/* Slot i's echoes not yet taken, to fn, if a consistent copy can be read. */
static void echo_drain_slot(ha__echoes *e, size_t i, void (*fn)(void *, size_t, ha_vec3),
                            void *ctx) {
  ha__echo_slot *s = &e->slots[i];
  /* acquire: what follows is at least this write's. */
  uint64_t s1 = ha__load_acquire_u64(&s->seq);
  /* relaxed: validated by the sequence word around them. */
  uint64_t n = ha__load_relaxed_u64(&s->count);
  ha_vec3 v[HA__ECHO_KEEP];
  for (size_t k = 0; k < HA__ECHO_KEEP; k++) {
    v[k] = ha_vec3_make(ha__bitsd(ha__load_relaxed_u64(&s->xyz[k][0])),
                        ha__bitsd(ha__load_relaxed_u64(&s->xyz[k][1])),
                        ha__bitsd(ha__load_relaxed_u64(&s->xyz[k][2])));
  }
  /* acquire fence: a writer's store seen above implies its odd seq below
   * (it fenced release between the two). */
  ha__fence_acquire();
  if ((s1 & 1u) != 0 || ha__load_relaxed_u64(&s->seq) != s1) {
    return; /* being written: its writer marks it again */
  }
  uint64_t from = e->taken[i];
  if (n - from > HA__ECHO_KEEP) {
    from = n - HA__ECHO_KEEP; /* a flood: the newest few */
  }
  for (uint64_t k = from; k < n; k++) {
    fn(ctx, i, v[k % HA__ECHO_KEEP]);
  }
  e->taken[i] = n;
}

void ha__echoes_drain(ha__echoes *e, size_t n, void (*fn)(void *ctx, size_t index, ha_vec3 v),
                      void *ctx) {
  for (size_t w = 0; w < (n + 63) / 64; w++) {
    /* acquire: pairs with the writers' release or; the word is taken whole. */
    uint64_t bits = ha__exchange_acquire_u64(&e->dirty[w], 0);
    while (bits != 0) {
      size_t i = w * 64 + (size_t)__builtin_ctzll(bits);
      bits &= bits - 1;
      if (i < n) {
        echo_drain_slot(e, i, fn, ctx);
      }
    }
  }
}
