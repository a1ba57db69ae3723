/* holoanim Node addon: what the Player's files share (player_api.c,
 * player_poll.c, player_ops.c, player_cue.c, player_show.c). Internal to the
 * addon.
 *
 * One ha_node_player per NativePlayer: the ha_player, the operation mutex
 * that serializes control calls with close(), and the streaming state (the
 * poller thread, the triple buffer of store snapshots, the event ring and
 * the thread-safe function). The lifetime rules are in player_api.c, the
 * streaming rules in player_poll.c. */
#ifndef HOLOANIM_NODE_PLAYER_INTERNAL_H
#define HOLOANIM_NODE_PLAYER_INTERNAL_H

#include "addon.h"

#include <pthread.h>
#include <stdatomic.h>

#define EVENT_RING 1024
#define AUTO_TAG_BASE 0x10000000u

enum {
  NE_CONFLICT = 1,
  NE_ANIMATION_ENDED,
  NE_SHOW_ENDED,
  NE_COMMAND_FAILED,
  NE_BASE_CHANGED,
  NE_CUE,
  NE_STALL
};

typedef struct node_event {
  int type;
  double time;
  uint32_t track, tag;
  int status;
  ha_vec3 position, expected;
  double cue;
  char name[64];                  /* CUE: the cue's name; STALL: the model's ("" when none) */
  char source[96];                /* CUE: what fired it ("api", "osc HOST:PORT", ...) */
  double skipped, lateness, cost; /* STALL */
} node_event;

struct ha_node_player {
  ha_node_player *next; /* in the environment's list of open players */
  ha_node_instance *inst;
  int refs; /* the JS wrapper + the TSFN (JS thread only) */

  pthread_mutex_t op_mu; /* serializes control operations with close */
  ha_player_config cfg;
  bool max_tracks_given;
  ha_player *player;
  size_t tracks_added, outputs_added;
  bool started, closed;
  ha_show *show;
  ha_control *control; /* openControl's input, NULL when closed (op_mu) */
  pthread_t mapper;    /* makes the mapped edits (player_map.c) */
  bool mapper_running; /* op_mu */
  atomic_int mapper_quit;
  bool autostarted;
  uint32_t next_tag;
  uint32_t tick_priority; /* SCHED_FIFO priority asked for the tick thread (0: none) */
  uint32_t tick_priority_got;

  ha_store_snapshot *js_snap; /* snapshot() buffer (JS thread) */
  ha_metrics_snap *msnap;     /* getMetrics() buffers (JS thread) */
  char *json;
  size_t json_cap;

  /* streaming */
  napi_threadsafe_function tsfn;
  bool tsfn_refd;
  pthread_mutex_t mu; /* guards everything below (poller ↔ JS thread) */
  pthread_cond_t cv;
  pthread_t poller;
  bool poller_running;
  bool quit;
  double pos_rate; /* Hz; 0: no positions listener */
  bool want_events;
  ha_store_snapshot *slots[3];
  int back, ready, front;
  bool ready_fresh;
  uint64_t last_version;
  uint64_t frames, frames_skipped, events_dropped, signals;
  node_event *ring;
  size_t ring_head, ring_count;
  node_event *drain; /* JS thread scratch, EVENT_RING entries */
  atomic_int signal_pending;
};

/* ---- player_api.c: lifetime -------------------------------------------------------- */

/* Player method flags (ha_node_method.flags), checked by the class's
 * trampoline before the method runs: an open player (else ESTATE "the player
 * is closed"), not yet started (else ESTATE "<method>: only before start()"). */
#define PLAYER_OPEN HA_NODE_CLASS_FLAG
#define PLAYER_SETUP (HA_NODE_CLASS_FLAG << 1)

/* Drop one reference (the wrapper's, the TSFN's or an async work's); frees
 * the state with the last. JS thread. */
void ha_node_player_unref(ha_node_player *p);
/* ---- player_poll.c: streaming ------------------------------------------------------ */

/* Stop and join the poller thread (if it runs). JS thread. */
void ha_node_player_poller_stop(ha_node_player *p);
/* Start or stop the poller and ref/unref the TSFN after a change of
 * listeners or of the running state. false: a JS exception is pending. */
bool ha_node_player_streaming_update(napi_env env, ha_node_player *p);
/* Queue an event for the 'event' listeners (dropped when nobody listens) and
 * wake the JS side. Any thread. */
void ha_node_player_post_event(ha_node_player *p, const node_event *e);
/* {tick, time, ids, positions, velocities, status} of a store snapshot. */
napi_value ha_node_player_snapshot_object(napi_env env, const ha_store_snapshot *s);

/* Each file's methods of the NativePlayer class (player_api.c defines the
 * class with all of them). */
extern const ha_node_method ha_node_player_stream_methods[];
extern const size_t ha_node_player_stream_method_count;

/* ---- player_ops.c: control operations ---------------------------------------------- */

/* Fire cue `number` of the player's show: the core queues its operations
 * on the player; the cue counter and the 'cue' event (with `source`: what
 * fired it) follow. Call with op_mu held. *index receives the cue's index.
 * ESTATE (closed, no show), ENOTFOUND (no such cue) or the core's error,
 * with err filled. Any thread. */
ha_status ha_node_player_fire_cue(ha_node_player *p, double number, const char *source,
                                  size_t *index, ha_error *err);

extern const ha_node_method ha_node_player_op_methods[];
extern const size_t ha_node_player_op_method_count;

/* ---- player_cue.c: what cues do ------------------------------------------------------- */

extern const ha_node_method ha_node_player_cue_methods[];
extern const size_t ha_node_player_cue_method_count;

/* ---- player_control.c: the OSC control port ------------------------------------------ */

/* Stop the control input if open (takes op_mu; call without it). JS thread. */
void ha_node_player_control_stop(ha_node_player *p);
extern const ha_node_method ha_node_player_control_methods[];
extern const size_t ha_node_player_control_method_count;

/* ---- player_map.c: live-data mappings ------------------------------------------------ */

/* Inputs for the show's mappings (ha_control_config.values; any thread,
 * takes op_mu). */
ha_status ha_node_player_map_values(void *user, const char *address, const double *args,
                                    size_t nargs);
/* Start the mapper thread when the show has mappings (op_mu held), stop
 * it (without op_mu; JS thread). */
void ha_node_player_mapper_start(ha_node_player *p);
void ha_node_player_mapper_stop(ha_node_player *p);
extern const ha_node_method ha_node_player_map_methods[];
extern const size_t ha_node_player_map_method_count;

/* ---- player_show.c: shows ---------------------------------------------------------- */

extern const ha_node_method ha_node_player_show_methods[];
extern const size_t ha_node_player_show_method_count;

#endif
