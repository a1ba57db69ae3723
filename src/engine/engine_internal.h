/* The engine layer's internals (src/engine): the per-track pool, the SIMD
 * batch and the engine's track table. Not installed. Sees the core below it
 * and nothing above (src/layers.txt). */
#ifndef HOLOANIM_ENGINE_INTERNAL_H
#define HOLOANIM_ENGINE_INTERNAL_H

#include "core_internal.h"

#include "holoanim/batch.h"
#include "holoanim/engine.h"
#include "holoanim/pool.h"

/* Test hook: when set, called with the track's id inside the timed region
 * of every track evaluation that cfg.time_tracks times (a test makes one
 * evaluation slow with it to force a stall). NULL in production; set it
 * only while no evaluation runs. */
extern void (*ha__engine_eval_hook)(uint32_t track);

#endif
