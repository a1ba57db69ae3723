/* The player's private state: its commands, its retired memory and the
 * player itself, shared by player.c (the tick and the control side) and
 * player_state.c (status and accessors). Nothing outside src/rt includes it. */
#ifndef HA_RT_PLAYER_IMPL_H
#define HA_RT_PLAYER_IMPL_H

#include "rt_internal.h"

#include "atomics.h"
#include "echo.h"
#include "history.h"
#include "mapping.h"
#include "ring.h"
#include "sync.h"
#include "trackstate.h"

#include <pthread.h>

enum {
  CMD_PLAY = 1,
  CMD_PAUSE,
  CMD_STOP,
  CMD_SEEK,
  CMD_SPEED,
  CMD_START,
  CMD_STOP_ANIM,
  CMD_STOP_TRACK,
  CMD_REPLACE,
  CMD_GOTO,
  CMD_SET_BASE,
  CMD_PANIC,
  CMD_FLAGS,
  CMD_DRIVER,
  CMD_HELD /* a command a locked track ignores (trackstate.h) */
};

typedef struct cmd {
  int type;
  uint32_t tag;
  uint32_t track;
  int easing;
  int aed;
  double a;
  double delay;
  ha_vec3 v;
  ha_motion *motion;
  uint32_t *tracks; /* START: heap copy, returned as garbage */
  size_t ntracks;
  ha_anim_spec spec;
  ha_player_driver *driver; /* DRIVER: heap copy, the tick's once applied */
} cmd;

enum { GARBAGE_MOTION = 1, GARBAGE_FREE, GARBAGE_DRIVER };
typedef struct garbage {
  int kind;
  void *ptr;
} garbage;

/* A running animation as the player knows it. */
typedef struct tagged {
  int used;
  uint32_t tag;
  ha_anim_id anim;
  double end; /* transport time it ends (once), or INFINITY */
  int ended_reported;
} tagged;

struct ha_player {
  ha_player_config cfg;
  ha_engine *engine;
  ha_store *store;
  ha_metrics *metrics;
  ha_output **outputs;
  size_t noutputs;
  ha__mpmc commands;
  ha__spsc events;
  ha__spsc garbage;
  tagged *tags;
  size_t tags_end; /* no tag from here on is used (tick_endings walks [0, tags_end)) */
  /* Each track's positions of the last `echo_window` seconds (history.h):
   * at least that long in real time, since a tick records one and ticks are
   * never more frequent than tick_rate. Floats: the tolerance is
   * centimetres, a float is exact to 0.1 mm at 1 km. */
  ha__history sent;
  ha__echoes echoes; /* device echoes, a slot per track (echo.h) */
  ha__sync sync;     /* the external clock when following one (sync.h) */
  ha__mappings maps; /* live data mapped to values, smoothed here (mapping.h) */
  ha__trackstate ts; /* mute, solo, lock (trackstate.h) */
  /* Per-model histogram keys: key k is model k of the registry, found by
   * its canonical name's pointer (ha_motion_get_state returns the
   * registry's own string), so the tick compares pointers, never strings. */
  const char *model_key[HA_METRICS_MAX_KEYS];
  size_t nmodel_keys;
  uint32_t *ids;
  double *x, *y, *z, *vx, *vy, *vz;
  uint8_t *status;
  ha_clock clock;
  double period;
  double last_now; /* monotonic time of the previous tick (NAN before the first) */
  int ended_reported;
  uint64_t last_clamps, last_nan; /* engine counters already reported */
  int flush_pending; /* pause/stop/seek/panic: send every track once, dead-band or not */
  int stop_pending;  /* a stop with fade: rewind once stop_at is reached */
  int stop_rewound;  /* this tick rewound after a stop's fade (evaluated once already) */
  double stop_at;
  ha_player_driver *driver;   /* the tick's (ha_player_set_driver), or NULL */
  int drive_armed;            /* the transport runs or was sought since the last stop */
  double drive_from;          /* the driver's previous `to` (NAN: a jump) */
  ha__atomic_flag collecting; /* one control thread frees garbage at a time */
  pthread_t thread;
  int thread_started;
  ha__atomic_int quit;
  /* Status for other threads: relaxed atomics, each value on its own (a
   * status read may straddle a tick; the store has consistent positions). */
  ha__atomic_u64 st_ticks, st_late, st_skipped, st_stalls, st_commands, st_dropped,
      st_events_dropped, st_conflicts, st_time_bits, st_speed_bits;
  ha__atomic_int st_playing, st_running, st_rt, st_locked;
};

#endif
