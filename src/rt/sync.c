/* Following an external clock: the chase rule and the player's slot.
 *
 * ha_sync_step is the whole rule, pure, so a table of cases tests it
 * (tests/test_sync.c); the tick calls it with the transport time it is
 * about to evaluate, so the error it measures is exact (not the status
 * word's time of the last tick) and what it decides applies in that same
 * tick. A large error seeks: the clock's seek is deterministic, so the
 * positions after a jump are those of playing there. A small one slews the
 * speed (proportional, capped) rather than seeking, so a DAW whose clock
 * wanders by milliseconds never makes a source jump. Rejected: a PLL on the
 * message timestamps (the DAW's sending jitter is not its clock's: the age
 * of each message, measured at arrival, is enough at 30 Hz). */
#include "rt_internal.h"

#include "sync.h"

#include <math.h>
#include <string.h>

ha_sync_config ha_sync_config_default(void) {
  ha_sync_config c;
  memset(&c, 0, sizeof c);
  c.tolerance = 0.1;
  c.deadband = 0.01;
  c.gain = 1.0;
  c.max_slew = 0.05;
  return c;
}

ha_status ha_sync_config_check(const ha_sync_config *c, ha_error *err) {
  if (!(c->tolerance >= 0.001 && c->tolerance <= 10.0)) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "sync.tolerance", c->tolerance, 0.001, 10);
  }
  if (!(c->deadband >= 0.0 && c->deadband <= c->tolerance)) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "sync.deadband", c->deadband, 0, c->tolerance);
  }
  if (!(c->gain >= 0.0 && c->gain <= 100.0)) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "sync.gain", c->gain, 0, 100);
  }
  if (!(c->max_slew >= 0.0 && c->max_slew <= 0.5)) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "sync.maxSlew", c->max_slew, 0, 0.5);
  }
  return HA_OK;
}

/* The external play state this message implies: said, remembered, or
 * (never said) inferred from the clock moving since the last message. */
static int sync_playing(ha_sync_state *s, const ha_sync_input *in) {
  if (in->ext_playing == 0 || in->ext_playing == 1) {
    s->told = true;
    s->ext_playing = in->ext_playing;
  } else if (!s->told && isfinite(in->ext_time) && s->have_last) {
    s->ext_playing = in->ext_time > s->last_ext ? 1 : 0;
  } else if (!s->told && !s->have_last) {
    s->ext_playing = -1;
  }
  return s->ext_playing;
}

ha_sync_action ha_sync_step(ha_sync_state *s, const ha_sync_config *cfg, const ha_sync_input *in) {
  ha_sync_action a = {0, NAN, NAN, NAN};
  double speed = s->speed > 0.0 ? s->speed : 1.0;
  int playing = sync_playing(s, in);
  bool run = in->running;
  if (playing == 1 && !run) {
    a.what |= HA_SYNC_PLAY;
    run = true;
  } else if (playing == 0 && run) {
    a.what |= HA_SYNC_PAUSE;
    run = false;
  }
  double want = speed;
  if (isfinite(in->ext_time)) {
    /* Where the external clock is now: it ran on since the message
     * arrived if it plays. */
    double ext = in->ext_time + (playing == 1 ? fmax(0.0, in->age) : 0.0);
    a.error = ext - in->transport;
    want = 1.0;
    /* Stopped, the transport lands on the clock's time exactly (beyond
     * the deadband): what is heard after a DAW stop is the position at the
     * DAW's time, and a paused seek moves nothing audibly. */
    if (fabs(a.error) > cfg->tolerance || (!run && fabs(a.error) > cfg->deadband)) {
      a.what |= HA_SYNC_SEEK;
      a.seek = ext;
    } else if (run && fabs(a.error) > cfg->deadband) {
      double slew = fmax(-cfg->max_slew, fmin(cfg->max_slew, cfg->gain * a.error));
      want = 1.0 + slew;
    }
    s->last_ext = in->ext_time;
    s->have_last = true;
  }
  if (fabs(want - speed) > 1e-12 || s->speed <= 0.0) {
    a.what |= HA_SYNC_SPEED;
    a.speed = want;
  }
  s->speed = want;
  return a;
}

/* ---- the slot ---- */

void ha__sync_init(ha__sync *s, const ha_sync_config *cfg) {
  s->cfg = *cfg;
  /* relaxed: before the tick thread exists. */
  ha__store_relaxed_int(&s->playing, -1);
  memset(&s->state, 0, sizeof s->state);
  s->state.ext_playing = -1;
}

void ha__sync_put(ha__sync *s, double time, int playing, double arrival) {
  /* acquire: the previous writer's stores are complete before ours. */
  while (ha__flag_test_and_set_acquire(&s->writing)) {
  }
  uint64_t q = ha__load_relaxed_u64(&s->seq);
  ha__store_relaxed_u64(&s->seq, q + 1);
  /* release: the odd sequence is visible before any field changes. */
  ha__fence_release();
  if (isfinite(time)) {
    ha__store_relaxed_u64(&s->time_bits, ha__dbits(time));
    ha__store_relaxed_u64(&s->arrival_bits, ha__dbits(arrival));
    ha__store_relaxed_u64(&s->time_version, ha__load_relaxed_u64(&s->time_version) + 1);
  }
  if (playing == 0 || playing == 1) {
    ha__store_relaxed_int(&s->playing, playing);
  }
  /* release: the fields are visible before the even sequence. */
  ha__store_release_u64(&s->seq, q + 2);
  ha__flag_clear_release(&s->writing);
}

unsigned ha__sync_tick(ha__sync *s, ha_clock *clock, double now, ha_metrics *m) {
  if (!s->cfg.enabled) {
    return 0;
  }
  /* acquire: pairs with the writer's closing release. */
  uint64_t q = ha__load_acquire_u64(&s->seq);
  if (q == s->seen_seq || (q & 1u) != 0) {
    return 0; /* nothing new, or a writer inside: the next tick takes it */
  }
  double time = ha__bitsd(ha__load_relaxed_u64(&s->time_bits));
  double arrival = ha__bitsd(ha__load_relaxed_u64(&s->arrival_bits));
  uint64_t tv = ha__load_relaxed_u64(&s->time_version);
  int playing = ha__load_relaxed_int(&s->playing);
  /* acquire: the field loads complete before the sequence is read again. */
  ha__fence_acquire();
  if (ha__load_relaxed_u64(&s->seq) != q) {
    return 0;
  }
  s->seen_seq = q;
  ha_sync_input in;
  in.ext_time = tv != s->seen_time_version ? time : NAN;
  s->seen_time_version = tv;
  in.ext_playing = playing;
  in.age = fmax(0.0, now - arrival);
  in.transport = ha_clock_position(clock, now);
  in.running = clock->running != 0;
  ha_sync_action a = ha_sync_step(&s->state, &s->cfg, &in);
  if (a.what & HA_SYNC_PLAY) {
    ha_clock_resume(clock, now);
  }
  if (a.what & HA_SYNC_PAUSE) {
    ha_clock_pause(clock, now);
  }
  if (a.what & HA_SYNC_SEEK) {
    ha_clock_seek(clock, now, a.seek);
    ha_metrics_add(m, HA_COUNTER_SYNC_SEEKS, 1);
  }
  if (a.what & HA_SYNC_SPEED) {
    ha_clock_set_speed(clock, now, a.speed);
  }
  if (isfinite(a.error)) {
    ha_metrics_set_gauge(m, HA_GAUGE_SYNC_ERROR, a.error);
  }
  return a.what;
}

ha_status ha_player_sync_clock(ha_player *p, double time, int playing) {
  ha__sync *s = ha__player_sync(p);
  if (!s->cfg.enabled) {
    return HA_ESTATE;
  }
  if (isnan(time) ? playing < 0 : !(fabs(time) <= HA_SEEK_MAX)) {
    return HA_EINVAL; /* says nothing, or not a time */
  }
  ha__sync_put(s, time, playing, ha_monotonic_now());
  return HA_OK;
}
