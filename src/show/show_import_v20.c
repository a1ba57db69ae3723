/* Import of a Holophonix Animator v2.0 animation (no trackIds: the tracks
 * an animation drives are those whose animationState plays it). See
 * show_import.c for the project as a whole. */
#include "show_internal.h"

#include <string.h>

/* Both app versions write metadata.version "2.0.0": v2.0 is told by
 * content. v2.3 saves trackIds (and transform) on its animations; v2.0
 * saves multiTrackMode on the animation and none of those. */
int ha__hpx_is_v20(const json_t *src) {
  const json_t *anims = json_object_get(src, "animations");
  size_t i;
  const json_t *a;
  int v20 = 0;
  json_array_foreach(anims, i, a) {
    if (json_object_get(a, "trackIds") != NULL || json_object_get(a, "transform") != NULL ||
        json_object_get(a, "trackSelectionLocked") != NULL) {
      return 0;
    }
    if (json_object_get(a, "multiTrackMode") != NULL ||
        json_object_get(a, "phaseOffsetSeconds") != NULL) {
      v20 = 1;
    }
  }
  return v20;
}

void ha__hpx_v20_animation(ha__hpx *m, const json_t *a, size_t i, ha__hpx_anims *out) {
  ha__hpx_v23_animation(m, a, i, out);
}
