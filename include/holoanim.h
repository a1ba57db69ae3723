/* holoanim: spatial-audio source animation engine.
 * Umbrella header: include this one. The simulated device (holoanim/devsim.h)
 * is a library of its own, libholoanim-devsim: include its header and link it
 * where you need it. */
#ifndef HOLOANIM_H
#define HOLOANIM_H

#include "holoanim/error.h"
#include "holoanim/math.h"
#include "holoanim/easing.h"
#include "holoanim/timing.h"
#include "holoanim/model.h"
#include "holoanim/motion.h"
#include "holoanim/batch.h"
#include "holoanim/path.h"
#include "holoanim/pool.h"
#include "holoanim/group.h"
#include "holoanim/engine.h"
#include "holoanim/show.h"
#include "holoanim/osc.h"
#include "holoanim/output.h"
#include "holoanim/discover.h"
#include "holoanim/store.h"
#include "holoanim/metrics.h"

#include "holoanim/player.h"
#include "holoanim/control.h"
#include "holoanim/show_player.h"

#endif
