/* The SEGS and KEYS kernels' scalar references (batch_impl.h,
 * model_impl.h): catmull-rom's curve_eval on the slot's segment table and
 * keyframes' ha__keyframes_eval on the data's keys, with path.c's own
 * functions, so the local position is the model's bits and only the folded
 * frame rounds differently. The vector kernels (simd/batch_path_vec.c)
 * repeat these operations lane-wise. */
#include "batch_impl.h"
#include "path_impl.h"

void ha__batch_segs_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                           double *y, double *z) {
  for (size_t i = i0; i < i0 + n; i++) {
    double f;
    size_t j = ha__piece(ha__batch_tau_at(s, i, t) / s->T[i], (size_t)s->w[0][i], &f);
    ha_vec3 l = ha__seg_eval(s->ref[i].tab + j * HA__SEG_DOUBLES, f, NULL);
    const double lv[3] = {l.x, l.y, l.z};
    ha__batch_frame_put(s, i, lv, x + (i - i0), y + (i - i0), z + (i - i0));
  }
}

void ha__batch_keys_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                           double *y, double *z) {
  for (size_t i = i0; i < i0 + n; i++) {
    const ha__batch_ref *r = &s->ref[i];
    ha_vec3 l = ha__keyframes_eval(r->data->keys, r->data->nkeys, (int)s->w[0][i], r->tab,
                                   ha__batch_tau_at(s, i, t));
    const double lv[3] = {l.x, l.y, l.z};
    ha__batch_frame_put(s, i, lv, x + (i - i0), y + (i - i0), z + (i - i0));
  }
}
