/* The DIRECT kind: a stateless model without a closed-form kernel (the path
 * models: catmull-rom, keyframes, bezier at constant speed, pattern's
 * polygons; linear and zoom with an easing the kernels lack) runs its own
 * local() on the data the slot references: its tables (segments, arc
 * lengths) were built at creation and are read in place, and the batch
 * skips ha_motion_eval's dispatch (the blend check, the second time
 * mapping, the pivot, the frame about it): τ is the batch's (bit-identical
 * to ha_time_map), the cycle data_cycle's, and the frame is folded as for
 * the kernels (c + M·L). A blended wrap stays generic (no such model is
 * stateless today). The same code serves every ISA: no vector form. */
#include "batch_impl.h"

void ha__batch_direct(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x, double *y,
                      double *z) {
  for (size_t i = i0; i < i0 + n; i++) {
    const ha__batch_ref *r = &s->ref[i];
    const ha__motion_data *d = r->data;
    double tau = ha__batch_tau_at(s, i, t);
    /* motion.c's data_cycle */
    double a = t * s->speed[i] - s->shift[i], cycle = 0.0;
    if (isfinite(a) && a > 0.0 && s->mode[i] > 0.5) {
      cycle = floor(a / s->T[i]);
    }
    ha__eval ev = {tau, tau / s->T[i], s->T[i], cycle, r->track, NULL};
    ha_vec3 l = d->model->local(d, &ev);
    const double lv[3] = {l.x, l.y, l.z};
    ha__batch_frame_put(s, i, lv, x + (i - i0), y + (i - i0), z + (i - i0));
  }
}
