/* What the path models (bezier, catmull-rom, keyframes, pattern) share on
 * top of the curve toolkit (path_impl.h): the derived tables they build once
 * in prepare() into d->aux. */
#ifndef HOLOANIM_MODELS_PATH_AUX_H
#define HOLOANIM_MODELS_PATH_AUX_H

#include "model_impl.h"
#include "path_impl.h"

/* d->aux = the arc-length table of c: ha__arc_table_size(c->pieces) + 1
 * cumulative lengths, the last being the total. HA_ENOMEM on failure. */
static inline ha_status path_aux_arc_table(ha__motion_data *d, const ha__curve *c) {
  size_t n = ha__arc_table_size(c->pieces);
  if (ha__aux_alloc(d, n + 1) != HA_OK) {
    return HA_ENOMEM;
  }
  ha__arc_table_build(c, d->aux, n);
  return HA_OK;
}

/* The parameter of c at arc-length fraction frac, from that table. */
static inline double path_aux_arc_param(const ha__motion_data *d, const ha__curve *c, double frac) {
  return ha__arc_table_param(c, d->aux, d->naux - 1, frac);
}

/* d->aux = the nseg segments of sp (HA__SEG_DOUBLES each, segment i at
 * aux + i·HA__SEG_DOUBLES), then `extra` doubles left for the caller.
 * HA_ENOMEM on failure. */
static inline ha_status path_aux_segments(ha__motion_data *d, const ha__spline *sp, size_t nseg,
                                          size_t extra) {
  if (ha__aux_alloc(d, nseg * HA__SEG_DOUBLES + extra) != HA_OK) {
    return HA_ENOMEM;
  }
  for (size_t i = 0; i < nseg; i++) {
    ha__spline_segment(sp, i, d->aux + i * HA__SEG_DOUBLES);
  }
  return HA_OK;
}

#endif
