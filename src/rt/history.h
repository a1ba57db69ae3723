/* Internal: each track's recent positions, for the player to recognise its
 * own device echoes (src/rt/history.c).
 *
 * The tick records every track's position once per tick; an echo is "ours"
 * when it lies within a tolerance of one of its track's positions of the last
 * `len` ticks. Layout: blocks of HA__HISTORY_BLOCK ticks; inside a block the
 * tracks in groups of HA__HISTORY_GROUP, each group's ticks one after the
 * other, each tick the group's positions side by side (group-major within
 * the block, tick-major across blocks). A tick's writes then go 48 bytes at
 * a time at a constant 768-byte stride, the same lines for HA__HISTORY_BLOCK
 * ticks in a row: three eighths of a cache line a track. A lookup reads one
 * 768-byte run per block, newest first, and stops at the first position near
 * enough (our own echoes come back within a few ticks). Rejected: one ring
 * of `len` per track (the layout before: a tick wrote each track into its
 * own page, a TLB miss and a cache line per track, ~250 ns a track at 10,000
 * tracks, page faults included); one track per group (192 bytes a block, a
 * whole cache line written per track each tick: 6.1-7.5 TSC cycles a
 * position at 10,000 tracks in bench_player, 2.8-4.0 now; a lookup of a
 * point far from everything, 2,000 ticks kept, costs the same 25-30 µs,
 * its distances not its reads); one row of every track per tick (a tick
 * writes sequentially, but an echo far from everything reads `len` rows, a
 * cache miss each). */
#ifndef HOLOANIM_HISTORY_H
#define HOLOANIM_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "holoanim/error.h"
#include "holoanim/math.h"

#define HA__HISTORY_BLOCK 16
#define HA__HISTORY_GROUP 4

typedef struct ha__history {
  float *pos;      /* nblocks × groups × BLOCK × GROUP × 3 */
  uint64_t *since; /* per track: `count` when it was first recorded */
  size_t cap;      /* tracks */
  size_t groups;   /* ⌈cap / GROUP⌉ */
  size_t nblocks;
  size_t seen;    /* tracks of the last record */
  uint64_t count; /* ticks recorded */
} ha__history;

/* Room for `cap` tracks and at least `len` ticks of each. HA_ENOMEM. Thread:
 * control (creation). */
ha_status ha__history_init(ha__history *h, size_t cap, size_t len);
void ha__history_deinit(ha__history *h);

/* Bytes allocated. */
size_t ha__history_bytes(const ha__history *h);

/* Record the positions of tracks [0, n) (n ≤ cap) as the newest tick;
 * tracks from the previous record's count up start their history here.
 * Tick thread. */
void ha__history_record(ha__history *h, size_t n, const double *x, const double *y,
                        const double *z);

/* Whether track i has a kept position within `tol` of v (newest first, stops
 * at the first). When it has none, *nearest and *dist get the nearest kept
 * one; with nothing kept at all *dist is INFINITY and *nearest untouched.
 * Tick thread. */
bool ha__history_near(const ha__history *h, size_t i, ha_vec3 v, double tol, ha_vec3 *nearest,
                      double *dist);

#endif
