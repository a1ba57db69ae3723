/* holoanim CLI: SVG picture of trajectories (`holoanim render`).
 *
 * Two panels side by side: TOP view (X right, Y up on the page) and SIDE view
 * (X right, Z up), one common scale in metres so that 1 m is the same number
 * of pixels horizontally and vertically in both panels. A 1-2-5 grid with
 * labelled axes, the origin cross, the optional venue box; per track a
 * polyline, a filled start circle labelled "start", an end square labelled
 * "end", direction arrowheads and time ticks ("2 s") at a common interval.
 * Dark theme, a legend when there is more than one track, the title on top.
 *
 * The output is well-formed XML and SVG 1.1, deterministic (same input, same
 * bytes: pixel coordinates are rounded to 0.1 px), with one <polyline> per
 * track and panel. Thread: any (no globals; the FILE* is the caller's).
 */
#ifndef HOLOANIM_TOOLS_SVG_H
#define HOLOANIM_TOOLS_SVG_H

#include <stddef.h>
#include <stdio.h>

/* One path: n samples (t[i], x[i], y[i], z[i]) in seconds and metres.
 * t may be NULL (no time ticks); x, y and z are required when n > 0.
 * A sample with any non-finite value is skipped. Times should not decrease;
 * ticks are placed by linear interpolation between samples. */
typedef struct ha_svg_track {
  const char *name;  /* legend text (UTF-8, escaped on output); NULL: "track N" */
  const char *color; /* "#rgb", "#rrggbb" or a CSS colour name; NULL: palette */
  const double *t;
  const double *x, *y, *z;
  size_t n;
} ha_svg_track;

/* Start from ha_svg_options_default(): a zeroed struct has show_side = 0. */
typedef struct ha_svg_options {
  const char *title;      /* NULL: no title line */
  double width_px;        /* picture width; <= 0: 1000; clamped to [320, 8000] */
  int show_side;          /* nonzero: add the SIDE (X-Z) panel next to the TOP one */
  double tick_interval_s; /* time between ticks; <= 0: about 10 ticks, 1-2-2.5-5 steps */
  const double *box;      /* optional venue limits [xmin,xmax,ymin,ymax,zmin,zmax] (m) */
} ha_svg_options;

/* The defaults: no title, 1000 px wide, side panel on, automatic ticks, no box. */
ha_svg_options ha_svg_options_default(void);

/* Writes the SVG document for `ntracks` tracks to f. opt NULL: the defaults.
 * ntracks == 0 gives the empty panels. Returns 0, or -1 on bad input (f NULL,
 * tracks NULL with ntracks > 0, a NULL coordinate array with n > 0, a malformed
 * colour, a box with non-finite or inverted limits, a non-finite width or tick
 * interval, coordinates too large to place) or on an I/O error (the stream's
 * error flag, or a failed fflush). On error part of the document may have been
 * written. */
int ha_svg_write(FILE *f, const ha_svg_track *tracks, size_t ntracks, const ha_svg_options *opt);

#endif /* HOLOANIM_TOOLS_SVG_H */
