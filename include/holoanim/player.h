/* holoanim: the real-time player.
 *
 * A dedicated tick thread with absolute deadlines on CLOCK_MONOTONIC
 * (`next += period`, clock_nanosleep TIMER_ABSTIME). Every tick it
 *   1. applies the commands queued by other threads (lock-free MPMC queue)
 *      and the device echoes (a latest-wins slot per track, not queued),
 *   2. evaluates every track at the transport time of *now* (a late tick
 *      computes positions for its real time, so the path never drifts; the
 *      engine applies transitions, venue limits and the NaN guard),
 *   3. publishes positions to the live state store,
 *   4. sends them through every output (one sendmmsg each),
 *   5. records metrics (tick time, lateness, counters: each output reports
 *      what its call sent, ha_output_report); a tick that starts
 *      stall_threshold periods late skips the missed deadlines and reports
 *      a HA_EVENT_STALL naming the slowest track evaluation,
 *   6. reports animations and the show that ended, as events.
 * (src/rt/player.c: player_tick() is these steps, one named function each.)
 *
 * THE TICK PATH MUST NOT: malloc, free, printf (or any stdio), lock a mutex,
 * sleep other than the deadline wait, do file I/O, or resolve names
 * (getaddrinfo). Everything it touches is sized when the player is created
 * or an output added; memory it stops using (motions, command payloads) goes
 * back to a control thread through a ring and is freed there. Tests count
 * allocations over 10,000 ticks (test_player_alloc) and, on a running
 * player given starts, stops, gotos, cues, seeks and echoes (and playing a
 * show timeline: clips and markers on the tick), allocations
 * and stdio calls on the tick thread (test_player_stdio); both expect 0.
 *
 * Commands are asynchronous: the functions below return HA_OK when the
 * command was queued (HA_EAGAIN when the queue is full) and its effect is
 * visible from the next tick on. Failures while applying (e.g. an unknown
 * track) come back as HA_EVENT_COMMAND_FAILED events.
 *
 * Thread: control functions may be called from any thread; events are read
 * by one consumer thread at a time. */
#ifndef HOLOANIM_PLAYER_H
#define HOLOANIM_PLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "control.h"
#include "easing.h"
#include "engine.h"
#include "error.h"
#include "math.h"
#include "metrics.h"
#include "motion.h"
#include "output.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ha_player ha_player;

/* ---- following an external clock (a DAW's transport, docs/sync.md) ----
 *
 * The chase rule, a pure function (ha_sync_step) that the tick applies to
 * the latest clock message (ha_player_sync_clock): the error is the
 * external time, advanced by the message's age while the external transport
 * plays, minus the transport time now. |error| > tolerance: seek there
 * (deterministic: the positions are those of playing there) and speed 1;
 * deadband < |error| <= tolerance while playing: slew the speed to
 * 1 + clamp(gain·error, ±max_slew); |error| <= deadband: speed 1. The
 * external play state starts, and stops (pauses), the transport. */
typedef struct ha_sync_config {
  bool enabled;     /* default false: the transport is the player's own */
  double tolerance; /* s, 0.001..10 (default 0.1): a larger error seeks */
  double deadband;  /* s, 0..tolerance (default tolerance/10): speed 1 within it */
  double gain;      /* 1/s, 0..100 (default 1): speed change per second of error */
  double max_slew;  /* 0..0.5 (default 0.05): the speed stays in 1 ± max_slew */
} ha_sync_config;

ha_sync_config ha_sync_config_default(void);

/* What the chase remembers between messages (zero it to start). */
typedef struct ha_sync_state {
  int ext_playing; /* the external transport: -1 not known yet (zeroed: see told) */
  bool told;       /* a message said the play state (else it is inferred) */
  bool have_last;  /* last_ext holds a previous message's time */
  double last_ext; /* the previous message's time */
  double speed;    /* the speed the chase set (0: not set yet, taken as 1) */
} ha_sync_state;

/* One clock message, as the chase sees it. */
typedef struct ha_sync_input {
  double ext_time;  /* the external time when the message arrived; NAN: no time in it */
  int ext_playing;  /* -1: says nothing about the transport, 0 stopped, 1 playing */
  double age;       /* s since it arrived (>= 0) */
  double transport; /* the player's transport time now */
  bool running;     /* the player's transport runs */
} ha_sync_input;

enum {
  HA_SYNC_PLAY = 1,  /* resume the transport */
  HA_SYNC_PAUSE = 2, /* pause it */
  HA_SYNC_SEEK = 4,  /* jump to action.seek */
  HA_SYNC_SPEED = 8  /* set the speed to action.speed */
};

typedef struct ha_sync_action {
  unsigned what; /* HA_SYNC_* bits, applied in the order play/pause, seek, speed */
  double seek;
  double speed;
  double error; /* s, external minus transport (NAN: no time in the message) */
} ha_sync_action;

/* The chase rule for one message (see above). A time-only message while the
 * external play state is unknown infers it: a clock that advanced since the
 * previous message plays, one that stood still is stopped. Thread: any
 * (pure; `s` belongs to the caller). */
ha_sync_action ha_sync_step(ha_sync_state *s, const ha_sync_config *cfg, const ha_sync_input *in);
/* HA_OK or HA_ERANGE, err naming the field out of range. Thread: any. */
ha_status ha_sync_config_check(const ha_sync_config *cfg, ha_error *err);

typedef struct ha_player_config {
  double tick_rate;          /* Hz, 1..2000 (default 100); outputs send at their own rate */
  size_t max_tracks;         /* default 1024 */
  size_t max_animations;     /* default 256 */
  size_t max_outputs;        /* default 8 */
  size_t queue_capacity;     /* commands in flight (default 4096) */
  size_t event_capacity;     /* events buffered for the consumer (default 4096) */
  double blend_window;       /* live parameter changes (default 0.25 s) */
  double takeover_fade;      /* crossfade when an animation takes a track (default 0.25 s) */
  ha_limits limits;          /* venue box / speed cap (default none) */
  bool realtime;             /* run the tick thread under SCHED_FIFO (needs privileges) */
  bool lock_memory;          /* mlockall(MCL_CURRENT|MCL_FUTURE) at start; not inside a
                                JavaScript engine, which must change page protections */
  double conflict_tolerance; /* m: a device echo farther than this from everything we
                                sent recently is another controller (default 0.05) */
  double echo_window;        /* s, 0.05..60 (default 2): "recently" above: how late a device
                                echo of our own may arrive and still be recognised */
  double stall_threshold;    /* periods, 1..1e6 (default 3): a tick that starts this late
                                is a stall: the missed deadlines are skipped (counted)
                                and a HA_EVENT_STALL names the slowest evaluation */
  double *lateness_trace;    /* optional caller buffer: the tick writes the lateness (s)
                                of tick k into [k] while k < cap (benchmarks) */
  size_t lateness_trace_cap;
  /* Default NULL. Instrumentation, passed to the engine
   * (ha_engine_config.on_track_eval): called on the tick thread with the
   * track's id before each per-track evaluation; must not allocate, lock or
   * do I/O outside tests. */
  void (*on_track_eval)(void *user, uint32_t track);
  void *on_track_eval_user;
  /* Default disabled. When enabled, the transport follows the clock given
   * to ha_player_sync_clock, and play, pause, seek and set_speed leave the
   * transport alone (they are accepted, and start nothing: the clock owns
   * it); stop, cues and animations work as usual. */
  ha_sync_config sync;
} ha_player_config;

ha_player_config ha_player_config_default(void);

/* Create a stopped player (no thread yet). Errors: HA_EINVAL naming the
 * field, HA_ENOMEM. Thread: control. */
ha_status ha_player_create(const ha_player_config *cfg, ha_player **out, ha_error *err);
/* Stop the thread if running (flushing outputs), free everything, including
 * motions handed to the player. NULL is a no-op. Thread: control. */
void ha_player_destroy(ha_player *p);

/* Before ha_player_start only (HA_ESTATE afterwards): */
ha_status ha_player_add_track(ha_player *p, uint32_t id, ha_vec3 base, ha_error *err);
/* Open an output (resolves the host now). Returns its index in *index. */
ha_status ha_player_add_output(ha_player *p, const ha_output_config *cfg, size_t *index,
                               ha_error *err);

/* Start the tick thread (transport stopped at 0). HA_ESTATE if started. */
ha_status ha_player_start(ha_player *p, ha_error *err);
/* Stop the tick thread after a final flush of every output (counted in the
 * metrics like any send); the player can be inspected afterwards (stats,
 * metrics) and destroyed. Idempotent. */
void ha_player_shutdown(ha_player *p);

/* ---- commands (any thread, queued) ---- */
ha_status ha_player_play(ha_player *p);  /* run the transport (resume when paused) */
ha_status ha_player_pause(ha_player *p); /* freeze the transport; outputs flush once */
/* Stop: transport back to 0 and paused; every animation stops; tracks glide
 * to their bases over `fade` seconds (0: stay where they are). */
ha_status ha_player_stop(ha_player *p, double fade);
/* The farthest transport position ha_player_seek accepts, in seconds either
 * way from 0. */
#define HA_SEEK_MAX 1e9
/* Transport position, seconds, in [-HA_SEEK_MAX, HA_SEEK_MAX]; HA_EINVAL
 * outside (or not finite). */
ha_status ha_player_seek(ha_player *p, double t);
/* Phase-continuous; s in [HA_SPEED_MIN, HA_SPEED_MAX] = [0.001, 1000] (a
 * speed that rounds to a frozen transport is refused, not accepted). */
ha_status ha_player_set_speed(ha_player *p, double s);
/* Start `motion` (ownership passes to the player, also on error) on tracks
 * at the current transport time. `tag` names the animation for later
 * stop/update commands and events (e.g. a group index). The track list is
 * copied. HA_EINVAL (no tracks, more than max_tracks), HA_EAGAIN, HA_ENOMEM. */
ha_status ha_player_start_animation(ha_player *p, uint32_t tag, ha_motion *motion,
                                    const ha_anim_spec *spec, const uint32_t *tracks,
                                    size_t ntracks);
/* Stop the animation(s) with `tag` (fade as ha_player_stop). */
ha_status ha_player_stop_animation(ha_player *p, uint32_t tag, double fade);
ha_status ha_player_stop_track(ha_player *p, uint32_t id, double fade);
/* Live parameter change: switch the animation `tag` to `motion` (built and
 * validated by the caller; ownership passes to the player) with a blend of
 * blend_window while the transport runs, at once while it is paused. No
 * effect (the motion is freed) when no animation has `tag`. */
ha_status ha_player_update_animation(ha_player *p, uint32_t tag, ha_motion *motion);
/* Move a track to a position over `duration` seconds (xyz or aed),
 * starting `delay` seconds of transport time from now (0: at once; a
 * staggered cue gives each track its own delay). */
ha_status ha_player_goto(ha_player *p, uint32_t id, ha_vec3 target, double duration,
                         ha_easing easing, bool aed, double delay);
ha_status ha_player_set_base(ha_player *p, uint32_t id, ha_vec3 base);
/* Per-track state (ha_player_set_track_flags), bits: */
enum {
  /* Sends nothing to any output; still evaluated and published. A track
   * that does not send (muted, or not soloed while another is) ignores
   * device echoes: the device still has what was sent last. */
  HA_TRACK_MUTE = 1,
  /* While any track is soloed, only soloed tracks send (a muted one never). */
  HA_TRACK_SOLO = 2,
  /* Holds where it stands: locking stops what drives it (fade 0); then
   * animation starts (cues, group starts, ha_player_start_animation) skip it
   * and start on the others (none left: nothing starts), and gotos, track
   * stops, set_base, device echoes and the stop's return to base leave it
   * alone; live parameter changes (mappings) reach only the animation's
   * other tracks. Unlocking leaves it at rest there. */
  HA_TRACK_LOCK = 4,
  HA_TRACK_FLAGS_ALL = 7
};
/* Set track `id`'s flags (HA_TRACK_* bits, replacing the old ones), queued
 * like any command (before or after start; an unknown id comes back as a
 * HA_EVENT_COMMAND_FAILED). HA_EINVAL for other bits, HA_EAGAIN. */
ha_status ha_player_set_track_flags(ha_player *p, uint32_t id, unsigned flags);

/* ---- a driver: something that plays on the tick (a show's timeline) ----
 *
 * A driver is called on the tick thread, after the commands and before the
 * evaluation, with the transport interval the tick covers: `from` is the
 * time of the driver's previous call, NAN after a seek (ha_player_seek or
 * the external clock), a play after a stop, or a new driver; `to` is the
 * time about to be evaluated. It drives the engine directly (starts and
 * stops its own motions, may evaluate at the times it chooses) and must not
 * allocate, lock or do I/O. It is not called while the transport is
 * stopped (ha_player_stop, panic, and a stop's fade home) until the next
 * play or seek; it is called while paused (a seek while paused shows the
 * state there). Motions it starts stay its own: `owns` tells the player
 * not to free them. `detach` runs on the tick when the driver is replaced
 * or removed (stop what it started); `release` on a control thread once
 * the tick is done with it (free it). */
typedef struct ha_player_driver {
  void (*advance)(void *user, ha_engine *e, double from, double to);
  bool (*owns)(void *user, const ha_motion *m);
  void (*detach)(void *user, ha_engine *e);
  void (*release)(void *user);
  void *user;
} ha_player_driver;
/* Install `d` (copied; NULL removes the driver), replacing the previous
 * one, on the next tick. On HA_EAGAIN (queue full) d->release has been
 * called. Thread: control. */
ha_status ha_player_set_driver(ha_player *p, const ha_player_driver *d);
/* Panic: stop every animation at once where it is and pause. */
ha_status ha_player_panic(ha_player *p);
/* A position the device reported for a track (its echo). Tracks at rest
 * adopt it as their base; an animated track whose echo is farther than
 * conflict_tolerance from everything sent recently raises a conflict.
 * Not queued with the commands (a flood of echoes never makes a command
 * HA_EAGAIN): each track has one latest-wins slot, O(1), that the next tick
 * takes; an echo that arrives before the tick replaces the one waiting.
 * HA_EINVAL (non-finite); HA_OK, ignored, for an id that is not a track. */
ha_status ha_player_device_echo(ha_player *p, uint32_t id, ha_vec3 position);
/* A device echo with its sender (ha_control_config.echo), attributed to the
 * output whose device sent it: the output with the sender's address and
 * port, else the first with its address (a device may answer from another
 * port). That output's mapping gives the show track and its units (ADM
 * scale, azimuth sign) the position; then as ha_player_device_echo.
 * output (may be NULL) receives the output's index.
 * Returns HA_OK (taken; or ignored when the index is no track of that
 * output), HA_ENOTFOUND when no output's device sent it: not an echo,
 * counted in HA_COUNTER_ECHOES_FOREIGN and not taken. Thread: any but the
 * tick (the control thread). */
ha_status ha_player_device_echo_from(ha_player *p, const ha_control_echo *e, size_t *output);

/* An external clock's message (cfg.sync enabled, else HA_ESTATE): `time`
 * in seconds (NAN when the message carries none; else finite and within
 * HA_SEEK_MAX, HA_EINVAL otherwise) and the external transport's state
 * (-1 not said, 0 stopped, 1 playing). Latest wins, never queued: the next
 * tick takes the newest time, and the newest play state, and applies the
 * chase rule (ha_sync_step) with the time since the call. Metrics:
 * HA_GAUGE_SYNC_ERROR, HA_COUNTER_SYNC_SEEKS. Thread: any (one writer at a
 * time is cheapest; writers take turns). */
ha_status ha_player_sync_clock(ha_player *p, double time, int playing);

/* ---- live data mapped to a parameter (a fader, a sensor) ----
 *
 * A mapping turns an input number into a value in an output range and
 * smooths it on the tick: the control thread hands each input to the
 * mapping's latest-value slot (ha_player_map_input: scaled, clamped, NaN
 * refused; never queued, never allocating), the tick moves the mapping's
 * value towards it (one-pole or slew, ha_mapping_smooth) with the real time
 * since the last tick and publishes it. What the value drives is the
 * caller's: a control thread takes each new value (ha_player_mapping_take)
 * and makes the edit (the show layer switches the group's animation to
 * the new parameter with ha_player_update_animation, blended). Rejected:
 * building the edited motion on the tick (validation and a path model's
 * tables allocate). */
#define HA_PLAYER_MAX_MAPPINGS 64

typedef enum ha_smoothing {
  HA_SMOOTH_ONE_POLE = 0, /* exponential: `smoothing` is the time constant */
  HA_SMOOTH_SLEW          /* linear: `smoothing` is the time to cross the whole output range */
} ha_smoothing;

typedef struct ha_mapping_config {
  double in_min, in_max;   /* input range, finite, in_min != in_max (reversed: inverts) */
  double out_min, out_max; /* output range, finite: values are clamped into it */
  double smoothing;        /* s, 0..60 (0: the value follows at once) */
  ha_smoothing kind;       /* default one-pole */
  double initial;          /* the value before the first input (NAN: none; the first
                              input is taken at once) */
  bool integer;            /* round the value (an integer parameter) */
} ha_mapping_config;

/* Input [0, 1] to output [0, 1], no smoothing, one-pole, initial NAN. */
ha_mapping_config ha_mapping_config_default(void);
/* HA_OK or HA_EINVAL / HA_ERANGE with err naming the field. Thread: any. */
ha_status ha_mapping_config_check(const ha_mapping_config *c, ha_error *err);
/* The input scaled from the input range to the output range and clamped
 * into it (rounded when integer); NAN for a NaN input (+-inf clamp to an
 * end). Thread: any (pure). */
double ha_mapping_scale(const ha_mapping_config *c, double input);
/* One smoothing step: from `current` towards `target` over `dt` seconds
 * (dt <= 0: current), clamped into the output range; a one-pole step
 * within 1e-6 of the range from the target lands on it, so the value
 * settles. Thread: any (pure). */
double ha_mapping_smooth(const ha_mapping_config *c, double current, double target, double dt);

/* Before ha_player_start only (HA_ESTATE afterwards). Returns its index in
 * *index (may be NULL). Errors as ha_mapping_config_check; HA_EEXHAUSTED
 * past HA_PLAYER_MAX_MAPPINGS. Thread: control. */
ha_status ha_player_add_mapping(ha_player *p, const ha_mapping_config *c, size_t *index,
                                ha_error *err);
size_t ha_player_mapping_count(const ha_player *p);
/* An input for mapping `index` (latest wins; the next tick smooths towards
 * it). Counted in HA_COUNTER_MAPPED. HA_EINVAL for NaN (not taken),
 * HA_ENOTFOUND for no such mapping. Thread: any. */
ha_status ha_player_map_input(ha_player *p, size_t index, double input);

typedef struct ha_mapping_state {
  bool active;      /* an input arrived: the value drives */
  double target;    /* the last input, scaled (NAN before any) */
  double value;     /* the smoothed value the tick published (NAN before any) */
  uint64_t inputs;  /* inputs taken */
  uint64_t version; /* increments each tick the value changes */
} ha_mapping_state;
/* HA_OK, HA_ENOTFOUND. Thread: any. */
ha_status ha_player_mapping_get(const ha_player *p, size_t index, ha_mapping_state *out);
/* The value when it changed since the last take: HA_OK with *value, else
 * HA_EAGAIN (or HA_ENOTFOUND). One consumer thread. */
ha_status ha_player_mapping_take(ha_player *p, size_t index, double *value);

/* ---- events ---- */
typedef enum ha_player_event_type {
  HA_EVENT_CONFLICT = 1,    /* track, position (echo), expected (our last send) */
  HA_EVENT_ANIMATION_ENDED, /* tag: a `once` animation reached its end */
  HA_EVENT_SHOW_ENDED,      /* every started animation is `once` and has ended */
  HA_EVENT_COMMAND_FAILED,  /* status, tag/track of the failed command */
  HA_EVENT_BASE_CHANGED,    /* track, position: a device echo moved a resting track */
  /* The tick started stall_threshold periods late or more: lateness,
   * skipped (deadlines skipped); when the previous tick's slowest track
   * evaluation took a period or more, that is the cause: track, tag (its
   * animation's), model, cost (its evaluation, seconds); else track 0 and
   * model NULL (the time went elsewhere: host preemption, outputs). */
  HA_EVENT_STALL
} ha_player_event_type;

typedef struct ha_player_event {
  ha_player_event_type type;
  double time; /* transport time */
  uint32_t track;
  uint32_t tag;
  int status; /* ha_status for COMMAND_FAILED */
  ha_vec3 position;
  ha_vec3 expected;
  const char *model; /* STALL: static model name, or NULL */
  uint64_t skipped;  /* STALL: deadlines skipped */
  double lateness;   /* STALL: seconds late */
  double cost;       /* STALL: seconds the slowest track evaluation took */
} ha_player_event;

/* Next event, HA_OK, or HA_EAGAIN when none. One consumer thread. */
ha_status ha_player_poll_event(ha_player *p, ha_player_event *ev);

/* ---- state (any thread) ---- */
typedef struct ha_player_status {
  bool running; /* the tick thread is alive */
  bool playing; /* the transport runs */
  double time;  /* transport position at the last tick */
  double speed;
  uint64_t ticks;
  uint64_t late_ticks;       /* started more than half a period late */
  uint64_t skipped_ticks;    /* deadlines skipped after stalls (stall_threshold) */
  uint64_t stalls;           /* ticks that started stall_threshold periods late or more */
  uint64_t commands;         /* commands applied */
  uint64_t commands_dropped; /* refused because the queue was full */
  uint64_t events_dropped;   /* events lost because nobody read them */
  uint64_t conflicts;
  bool realtime_active; /* SCHED_FIFO obtained */
  bool memory_locked;   /* mlockall obtained */
} ha_player_status;
void ha_player_get_status(const ha_player *p, ha_player_status *out);

/* The live state store the tick publishes to (read snapshots from any
 * thread) and the metrics it records. Owned by the player. */
const ha_store *ha_player_store(const ha_player *p);
ha_metrics *ha_player_metrics(const ha_player *p);
size_t ha_player_output_count(const ha_player *p);
const ha_output *ha_player_output(const ha_player *p, size_t i);

/* Evaluate one tick synchronously on the calling thread at monotonic time
 * `now` (for tests and offline use: the thread must not be running).
 * HA_ESTATE when the thread runs. */
ha_status ha_player_tick_once(ha_player *p, double now);

/* CLOCK_MONOTONIC in seconds (the player's and the device simulator's clock). */
double ha_monotonic_now(void);

#ifdef __cplusplus
}
#endif
#endif
