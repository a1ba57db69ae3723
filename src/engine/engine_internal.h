/* The engine layer's internals (src/engine): the per-track pool, the SIMD
 * batch and the engine's track table. Not installed. Sees the core below it
 * and nothing above (src/layers.txt). */
#ifndef HOLOANIM_ENGINE_INTERNAL_H
#define HOLOANIM_ENGINE_INTERNAL_H

#include "core_internal.h"

#include "holoanim/batch.h"
#include "holoanim/engine.h"
#include "holoanim/pool.h"

#endif
