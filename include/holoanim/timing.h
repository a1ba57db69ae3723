/* holoanim: time mapping and the transport clock.
 *
 * An animation has a duration T, a loop mode and a playback speed. The
 * transport clock integrates speed over unpaused wall time ("position"), so a
 * speed change never makes the path jump and a pause never drifts. A track's
 * animation time is a = position − shift (its group phase offset); τ is a
 * mapped into [0, T] by the loop mode (MODELS.md "Time"). Thread: any for the
 * pure functions; an ha_clock belongs to one thread (the tick). */
#ifndef HOLOANIM_TIMING_H
#define HOLOANIM_TIMING_H

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ha_loop_mode {
  HA_LOOP_ONCE = 0, /* τ = clamp(a, 0, T) */
  HA_LOOP_LOOP,     /* τ = a mod T */
  HA_LOOP_PINGPONG  /* forward, backward, forward, ... */
} ha_loop_mode;

/* What the loop mode does at the wrap of a model without a natural end
 * (docs/models.md "Loops and seams"). BLEND (the default, 0): random and
 * perlin-noise are periodic over T, pendulum, spring, attract-repel and
 * bounce ease into their start over the last min(0.5 s, T/10) of a cycle.
 * CUT: every model restarts as is (the original Animator's behaviour; the
 * .hpx importer writes it). Paths that end where the user put their end
 * (linear, bezier, ...) cut either way. */
typedef enum ha_seam { HA_SEAM_BLEND = 0, HA_SEAM_CUT } ha_seam;

typedef struct ha_timing {
  double duration;   /* T in seconds, > 0 (default 10) */
  ha_loop_mode loop; /* default HA_LOOP_LOOP */
  double speed;      /* playback rate, > 0 (default 1) */
  ha_seam seam;      /* default HA_SEAM_BLEND (0, so {T, loop, speed} gets it) */
} ha_timing;

#define HA_DURATION_MIN 1e-3
#define HA_DURATION_MAX 1e6
#define HA_SPEED_MIN 1e-3
#define HA_SPEED_MAX 1e3

/* Defaults: duration 10 s, loop, speed 1, seam blend. */
ha_timing ha_timing_default(void);

/* Checks duration and speed ranges (OutOfBounds naming "duration"/"speed"). */
ha_status ha_timing_validate(const ha_timing *t, ha_error *err);

/* τ for animation time `a` (already speed-scaled and shifted). NaN maps to 0. */
double ha_time_map(double a, double duration, ha_loop_mode mode);

/* Parse "once" | "loop" | "pingpong" (also "ping-pong"). */
ha_status ha_loop_mode_parse(const char *s, ha_loop_mode *out, ha_error *err);
const char *ha_loop_mode_name(ha_loop_mode m);

/* Parse "blend" | "cut". */
ha_status ha_seam_parse(const char *s, ha_seam *out, ha_error *err);
const char *ha_seam_name(ha_seam s);

/* Transport clock: position(now) = anchor_pos + (now − anchor_wall)·speed
 * while running; frozen while paused. Times in seconds on any monotonic
 * clock chosen by the caller. */
typedef struct ha_clock {
  double anchor_wall; /* wall time of the last anchor */
  double anchor_pos;  /* transport position at that anchor */
  double speed;       /* current rate (> 0) */
  int running;        /* 1 playing, 0 paused/stopped */
} ha_clock;

/* Stopped at position 0, speed 1. */
void ha_clock_init(ha_clock *c);
/* Start (or restart) from position `pos` at wall time `now`. */
void ha_clock_start(ha_clock *c, double now, double pos);
/* Pause: position freezes at its value at `now`. No-op when paused. */
void ha_clock_pause(ha_clock *c, double now);
/* Resume from the frozen position. No-op when running. */
void ha_clock_resume(ha_clock *c, double now);
/* Change rate, phase-continuous: position(now) is unchanged. */
void ha_clock_set_speed(ha_clock *c, double now, double speed);
/* Jump to `pos` (running state unchanged). */
void ha_clock_seek(ha_clock *c, double now, double pos);
/* Transport position at `now`. */
double ha_clock_position(const ha_clock *c, double now);

#ifdef __cplusplus
}
#endif
#endif
