/* The player's status words and accessors, read from any thread (player.h):
 * relaxed loads of independent words, and the parts a player owns. */
#include "player_impl.h"

#include <string.h>

void ha_player_get_status(const ha_player *p, ha_player_status *out) {
  memset(out, 0, sizeof(*out));
  /* relaxed: independent status words (see struct comment). */
  out->running = ha__load_relaxed_int(&p->st_running) != 0;
  out->playing = ha__load_relaxed_int(&p->st_playing) != 0;
  out->time = ha__bitsd(ha__load_relaxed_u64(&p->st_time_bits));
  out->speed = ha__bitsd(ha__load_relaxed_u64(&p->st_speed_bits));
  out->ticks = ha__load_relaxed_u64(&p->st_ticks);
  out->late_ticks = ha__load_relaxed_u64(&p->st_late);
  out->skipped_ticks = ha__load_relaxed_u64(&p->st_skipped);
  out->stalls = ha__load_relaxed_u64(&p->st_stalls);
  out->commands = ha__load_relaxed_u64(&p->st_commands);
  out->commands_dropped = ha__load_relaxed_u64(&p->st_dropped);
  out->events_dropped = ha__load_relaxed_u64(&p->st_events_dropped);
  out->conflicts = ha__load_relaxed_u64(&p->st_conflicts);
  out->realtime_active = ha__load_relaxed_int(&p->st_rt) != 0;
  out->memory_locked = ha__load_relaxed_int(&p->st_locked) != 0;
}

const ha_store *ha_player_store(const ha_player *p) {
  return p->store;
}
ha_metrics *ha_player_metrics(const ha_player *p) {
  return p->metrics;
}
size_t ha_player_output_count(const ha_player *p) {
  return p->noutputs;
}
const ha_output *ha_player_output(const ha_player *p, size_t i) {
  return i < p->noutputs ? p->outputs[i] : NULL;
}
