/* Pieces of the player that need none of its state: its configuration's
 * defaults, the monotonic clock, and the two helpers of player drivers
 * (player.h "a driver") that the tick and the control side share; the
 * driver's life is in player.c. */
#include "rt_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

ha_player_config ha_player_config_default(void) {
  ha_player_config c;
  memset(&c, 0, sizeof(c));
  c.tick_rate = 100.0;
  c.max_tracks = 1024;
  c.max_animations = 256;
  c.max_outputs = 8;
  c.queue_capacity = 4096;
  c.event_capacity = 4096;
  c.blend_window = HA_BLEND_WINDOW_DEFAULT;
  c.takeover_fade = 0.25;
  c.conflict_tolerance = 0.05;
  c.echo_window = 2.0;
  c.stall_threshold = 3.0;
  c.sync = ha_sync_config_default();
  return c;
}

double ha_monotonic_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void ha__driver_release(ha_player_driver *d) {
  if (d == NULL) {
    return;
  }
  if (d->release != NULL) {
    d->release(d->user);
  }
  free(d);
}

bool ha__driver_owns(const ha_player_driver *d, const ha_motion *m) {
  return d != NULL && d->owns != NULL && d->owns(d->user, m);
}
