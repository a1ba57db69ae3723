/* The engine layer's internals (src/engine): the per-track pool, the SIMD
 * batch and the engine's track table. Not installed. Sees the core below it
 * and nothing above (src/layers.txt). */
#ifndef HOLOANIM_ENGINE_INTERNAL_H
#define HOLOANIM_ENGINE_INTERNAL_H

#include "core_internal.h"

#include "holoanim/batch.h"
#include "holoanim/engine.h"
#include "holoanim/pool.h"

/* Velocity and status (ha_track_status) of tracks [0, n) as
 * ha_engine_track_at reports them, into the caller's arrays, in one pass
 * over the tracks rather than a call and a ha_track_info copy per track.
 * Returns how many are not HA_TRACK_IDLE. Tick thread (the engine's). */
size_t ha__engine_motion(const ha_engine *e, size_t n, double *vx, double *vy, double *vz,
                         uint8_t *status);
/* Where ha__engine_evaluate_out writes: positions as ha_engine_evaluate_step
 * does and, when status is not NULL, each track's velocity and status as
 * ha__engine_motion gives them (vx, vy, vz then not NULL either). */
typedef struct ha__engine_out {
  double *x, *y, *z;
  double *vx, *vy, *vz;
  uint8_t *status;
} ha__engine_out;
/* ha_engine_evaluate_step and ha__engine_motion in one pass over the tracks
 * (the same values); *moving (if not NULL) gets ha__engine_motion's count.
 * HA_ENOBUFS when cap < the track count. Tick thread (the engine's). */
ha_status ha__engine_evaluate_out(ha_engine *e, double t, double real_dt, const ha__engine_out *out,
                                  size_t cap, size_t *moving);
/* The index (add order) of track `id` in *index: HA_OK, or HA_ENOTFOUND.
 * O(1) (the engine's id map). Any thread that owns the engine. */
ha_status ha__engine_track_index(const ha_engine *e, uint32_t id, size_t *index);

#endif
