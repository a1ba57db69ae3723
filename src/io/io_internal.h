/* The I/O layer's internals (src/io): the OSC codec, sockets, outputs to the
 * device, the control/feedback input, discovery and the metrics with their
 * exposition. Not installed. Sees the engine and the core below it and
 * nothing above (src/layers.txt): no player, no show. */
#ifndef HOLOANIM_IO_INTERNAL_H
#define HOLOANIM_IO_INTERNAL_H

#include "engine_internal.h"

#include "holoanim/control.h"
#include "holoanim/discover.h"
#include "holoanim/metrics.h"
#include "holoanim/osc.h"
#include "holoanim/output.h"

#endif
