/* Per-track mute, solo and lock for the player (trackstate.h).
 *
 * Sending filters a copy rather than marking positions NaN for the outputs
 * to skip: a NaN is counted as an engine fault, and the outputs' dead-band
 * state for a muted track must stay as it was sent last, so an unmuted
 * track sends again only when it moved. The copy is made only while a
 * track is muted or soloed; otherwise the outputs read the tick's arrays.
 * Rejected: a flag per output (mute is the track's, whatever it feeds). */
#include "rt_internal.h"

#include "trackstate.h"

#include <stdlib.h>

ha_status ha__trackstate_init(ha__trackstate *s, size_t cap) {
  s->flags = calloc(cap > 0 ? cap : 1, 1);
  s->ids = calloc(cap > 0 ? cap : 1, sizeof(*s->ids));
  s->x = calloc(3 * (cap > 0 ? cap : 1), sizeof(double));
  s->nmute = s->nsolo = 0;
  s->cap = cap;
  if (s->flags == NULL || s->ids == NULL || s->x == NULL) {
    ha__trackstate_deinit(s);
    return HA_ENOMEM;
  }
  s->y = s->x + cap;
  s->z = s->x + 2 * cap;
  return HA_OK;
}

void ha__trackstate_deinit(ha__trackstate *s) {
  free(s->flags);
  free(s->ids);
  free(s->x);
  s->flags = NULL;
  s->ids = NULL;
  s->x = s->y = s->z = NULL;
}

ha_status ha__trackstate_set(ha__trackstate *s, ha_engine *e, uint32_t id, unsigned flags) {
  size_t i = 0;
  if (ha__engine_track_index(e, id, &i) != HA_OK || i >= s->cap) {
    return HA_ENOTFOUND;
  }
  unsigned old = s->flags[i];
  s->nmute = s->nmute - ((old & HA_TRACK_MUTE) != 0) + ((flags & HA_TRACK_MUTE) != 0);
  s->nsolo = s->nsolo - ((old & HA_TRACK_SOLO) != 0) + ((flags & HA_TRACK_SOLO) != 0);
  s->flags[i] = (uint8_t)(flags & HA_TRACK_FLAGS_ALL);
  if ((flags & HA_TRACK_LOCK) && !(old & HA_TRACK_LOCK)) {
    /* Holds where it stands: fade 0 keeps the last evaluated position. */
    return ha_engine_track_stop(e, id, 0.0);
  }
  return HA_OK;
}

bool ha__trackstate_sends_at(const ha__trackstate *s, size_t i) {
  unsigned f = i < s->cap ? s->flags[i] : 0u;
  return !(f & HA_TRACK_MUTE) && (s->nsolo == 0 || (f & HA_TRACK_SOLO));
}

bool ha__trackstate_locked_at(const ha__trackstate *s, size_t i) {
  return i < s->cap && (s->flags[i] & HA_TRACK_LOCK) != 0;
}

bool ha__trackstate_locked(const ha__trackstate *s, const ha_engine *e, uint32_t id) {
  size_t i = 0;
  return ha__engine_track_index(e, id, &i) == HA_OK && ha__trackstate_locked_at(s, i);
}

size_t ha__trackstate_unlocked(const ha__trackstate *s, const ha_engine *e, uint32_t *tracks,
                               size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (!ha__trackstate_locked(s, e, tracks[i])) {
      tracks[k++] = tracks[i];
    }
  }
  return k;
}

size_t ha__trackstate_sendable(ha__trackstate *s, size_t n, const uint32_t **ids, const double **x,
                               const double **y, const double **z) {
  if (s->nmute == 0 && s->nsolo == 0) {
    return n;
  }
  size_t k = 0;
  for (size_t i = 0; i < n && i < s->cap; i++) {
    if (!ha__trackstate_sends_at(s, i)) {
      continue;
    }
    s->ids[k] = (*ids)[i];
    s->x[k] = (*x)[i];
    s->y[k] = (*y)[i];
    s->z[k] = (*z)[i];
    k++;
  }
  *ids = s->ids;
  *x = s->x;
  *y = s->y;
  *z = s->z;
  return k;
}
