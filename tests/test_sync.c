/* Following an external clock: the chase rule (ha_sync_step) case by case,
 * then the player taking clock messages on its tick (ha_player_sync_clock):
 * a jump seeks within the tick, drift slews, the clock's play state starts
 * and pauses the transport, and local transport commands leave it alone. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "holoanim.h"
#include "test.h"

static ha_sync_input input(double ext, int playing, double age, double transport, bool running) {
  ha_sync_input in = {ext, playing, age, transport, running};
  return in;
}

static ha_sync_state fresh(void) {
  ha_sync_state s = {-1, false, false, 0.0, 0.0};
  return s;
}

static void test_config(void) {
  ha_sync_config c = ha_sync_config_default();
  ha_error err;
  CHECK_OK(ha_sync_config_check(&c, &err));
  CHECK_NEAR(c.tolerance, 0.1, 1e-12);
  c.tolerance = 0.0;
  CHECK_INT(ha_sync_config_check(&c, &err), HA_ERANGE);
  c = ha_sync_config_default();
  c.deadband = 0.5; /* wider than the tolerance */
  CHECK_INT(ha_sync_config_check(&c, &err), HA_ERANGE);
  c = ha_sync_config_default();
  c.max_slew = NAN;
  CHECK_INT(ha_sync_config_check(&c, &err), HA_ERANGE);
}

/* An error beyond the tolerance seeks to where the clock is now (its time
 * plus the message's age while it plays), either way, speed back to 1. */
static void test_jump_seeks(void) {
  ha_sync_config c = ha_sync_config_default();
  ha_sync_state s = fresh();
  ha_sync_input in = input(7.5, 1, 0.02, 2.0, true);
  ha_sync_action a = ha_sync_step(&s, &c, &in);
  CHECK((a.what & HA_SYNC_SEEK) != 0);
  CHECK_NEAR(a.seek, 7.52, 1e-12);
  CHECK_NEAR(a.error, 5.52, 1e-12);
  CHECK_NEAR(s.speed, 1.0, 1e-12);
  /* backwards by more than the tolerance */
  in = input(3.0, 1, 0.0, 3.3, true);
  a = ha_sync_step(&s, &c, &in);
  CHECK((a.what & HA_SYNC_SEEK) != 0);
  CHECK_NEAR(a.seek, 3.0, 1e-12);
  /* just inside: no seek */
  in = input(3.0, 1, 0.0, 3.09, true);
  a = ha_sync_step(&s, &c, &in);
  CHECK((a.what & HA_SYNC_SEEK) == 0);
}

/* Drift inside the tolerance slews the speed, capped, back to 1 in the
 * dead band; a stopped transport is never slewed: it seeks to the clock. */
static void test_drift_slews(void) {
  ha_sync_config c = ha_sync_config_default();
  ha_sync_state s = fresh();
  ha_sync_input in = input(10.03, 1, 0.0, 10.0, true);
  ha_sync_action a = ha_sync_step(&s, &c, &in);
  CHECK((a.what & (HA_SYNC_SEEK | HA_SYNC_SPEED)) == HA_SYNC_SPEED);
  CHECK_NEAR(a.speed, 1.0 + c.gain * 0.03, 1e-9);
  in = input(9.92, 1, 0.0, 10.0, true); /* behind by 0.08: capped */
  a = ha_sync_step(&s, &c, &in);
  CHECK_NEAR(a.speed, 1.0 - c.max_slew, 1e-12);
  in = input(10.005, 1, 0.0, 10.0, true); /* in the dead band */
  a = ha_sync_step(&s, &c, &in);
  CHECK((a.what & HA_SYNC_SPEED) != 0);
  CHECK_NEAR(a.speed, 1.0, 1e-12);
  in = input(10.006, 1, 0.0, 10.0, true); /* still there: nothing to do */
  a = ha_sync_step(&s, &c, &in);
  CHECK_INT((int)a.what, 0);
  in = input(10.05, 0, 0.0, 10.0, false); /* stopped: no slew; lands on 10.05 */
  a = ha_sync_step(&s, &c, &in);
  CHECK_INT((int)a.what, HA_SYNC_SEEK);
  CHECK_NEAR(a.seek, 10.05, 1e-12);
  in = input(10.05, 0, 0.0, 10.05, false); /* there: nothing to do */
  a = ha_sync_step(&s, &c, &in);
  CHECK_INT((int)a.what, 0);
}

/* The play state: said (REAPER's /play, /stop) or inferred from a clock
 * that advances; a stopped clock's time is not extrapolated. */
static void test_play_state(void) {
  ha_sync_config c = ha_sync_config_default();
  ha_sync_state s = fresh();
  ha_sync_input in = input(NAN, 1, 0.0, 0.0, false);
  ha_sync_action a = ha_sync_step(&s, &c, &in);
  CHECK((a.what & HA_SYNC_PLAY) != 0);
  CHECK(isnan(a.error));
  in = input(NAN, 0, 0.0, 1.0, true);
  a = ha_sync_step(&s, &c, &in);
  CHECK((a.what & HA_SYNC_PAUSE) != 0);
  in = input(4.0, -1, 5.0, 1.0, false); /* stopped: 4.0, not 9.0 */
  a = ha_sync_step(&s, &c, &in);
  CHECK_NEAR(a.seek, 4.0, 1e-12);
  /* stopped within the tolerance but beyond the deadband: lands on the
   * clock's time exactly (a paused transport 1.4 ticks off kept its place) */
  in = input(4.05, 0, 0.0, 4.0, false);
  a = ha_sync_step(&s, &c, &in);
  CHECK((a.what & HA_SYNC_SEEK) != 0);
  CHECK_NEAR(a.seek, 4.05, 1e-12);
  /* never said: inferred from the time */
  s = fresh();
  in = input(1.0, -1, 0.0, 1.0, false);
  a = ha_sync_step(&s, &c, &in);
  CHECK((a.what & (HA_SYNC_PLAY | HA_SYNC_PAUSE)) == 0);
  in = input(1.033, -1, 0.0, 1.0, false);
  a = ha_sync_step(&s, &c, &in);
  CHECK((a.what & HA_SYNC_PLAY) != 0);
  in = input(1.033, -1, 0.0, 1.04, true);
  a = ha_sync_step(&s, &c, &in);
  CHECK((a.what & HA_SYNC_PAUSE) != 0);
}

static double status_time(ha_player *p, bool *playing) {
  ha_player_status st;
  ha_player_get_status(p, &st);
  *playing = st.playing;
  return st.time;
}

/* The player: each message takes effect in the next tick. */
static void test_player_chases(void) {
  ha_player_config cfg = ha_player_config_default();
  cfg.max_tracks = 4;
  ha_player *p = NULL;
  ha_error err;
  CHECK_OK(ha_player_create(&cfg, &p, &err));
  CHECK_INT(ha_player_sync_clock(p, 1.0, 1), HA_ESTATE);
  ha_player_destroy(p);
  cfg.sync.enabled = true;
  CHECK_OK(ha_player_create(&cfg, &p, &err));
  CHECK_OK(ha_player_add_track(p, 1, ha_vec3_make(0, 0, 0), &err));
  CHECK_INT(ha_player_sync_clock(p, NAN, -1), HA_EINVAL);
  CHECK_INT(ha_player_sync_clock(p, INFINITY, 1), HA_EINVAL);
  double now = ha_monotonic_now();
  CHECK_OK(ha_player_sync_clock(p, 2.0, 1));
  CHECK_OK(ha_player_tick_once(p, now));
  bool playing = false;
  double t = status_time(p, &playing);
  CHECK(playing);
  CHECK_NEAR(t, 2.0, 0.05); /* plus the message's age */
  /* local transport commands leave the transport to the clock */
  CHECK_OK(ha_player_pause(p));
  CHECK_OK(ha_player_seek(p, 100.0));
  CHECK_OK(ha_player_tick_once(p, now + 0.5));
  t = status_time(p, &playing);
  CHECK(playing);
  CHECK(t < 10.0);
  /* a jump: seek in this tick */
  CHECK_OK(ha_player_sync_clock(p, 7.5, -1));
  now = ha_monotonic_now();
  CHECK_OK(ha_player_tick_once(p, now));
  t = status_time(p, &playing);
  CHECK_NEAR(t, 7.5, 0.05);
  ha_metrics_snap ms;
  CHECK_OK(ha_metrics_snapshot(ha_player_metrics(p), &ms));
  CHECK_INT((int)ms.counters[HA_COUNTER_SYNC_SEEKS], 2);
  /* the DAW stops */
  CHECK_OK(ha_player_sync_clock(p, NAN, 0));
  CHECK_OK(ha_player_tick_once(p, now + 0.01));
  double t_stop = status_time(p, &playing);
  CHECK(!playing);
  CHECK_OK(ha_player_tick_once(p, now + 1.0));
  CHECK_NEAR(status_time(p, &playing), t_stop, 1e-12);
  ha_player_destroy(p);
}

/* The show's control.sync: validated, and what ha_show_player_config gives
 * the player. */
static void test_show_setting(void) {
  static const char good[] =
      "{\"format\": 1, \"control\": {\"port\": 9000, \"sync\": "
      "{\"source\": \"osc\", \"tolerance\": 0.2, \"maxSlew\": 0.1}}}";
  ha_show *show = NULL;
  ha_diags *d = NULL;
  CHECK_OK(ha_diags_create(&d));
  CHECK_OK(ha_show_load_string(good, sizeof good - 1, "good", &show, d));
  const ha_show_control *sc = ha_show_control_get(show);
  CHECK(sc->sync);
  CHECK_NEAR(sc->sync_tolerance, 0.2, 1e-12);
  ha_player_config pc = ha_show_player_config(show, NULL);
  CHECK(pc.sync.enabled);
  CHECK_NEAR(pc.sync.tolerance, 0.2, 1e-12);
  CHECK_NEAR(pc.sync.max_slew, 0.1, 1e-12);
  CHECK_NEAR(pc.sync.gain, 1.0, 1e-12);
  ha_error err;
  CHECK_OK(ha_sync_config_check(&pc.sync, &err));
  ha_show_destroy(show);
  static const char *const bad[] = {
      "{\"format\": 1, \"control\": {\"sync\": {\"source\": \"ltc\"}}}",
      "{\"format\": 1, \"control\": {\"sync\": {\"source\": \"osc\", \"tolerance\": 0}}}",
      "{\"format\": 1, \"control\": {\"sync\": {\"maxSlew\": 2}}}",
      "{\"format\": 1, \"control\": {\"sync\": \"osc\"}}",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ha_diags_clear(d);
    show = NULL;
    CHECK_INT(ha_show_load_string(bad[i], strlen(bad[i]), "bad", &show, d), HA_EPARSE);
    CHECK_MSG(ha_diags_errors(d) > 0, "show %zu has no error", i);
    const ha_diag *first = ha_diags_at(d, 0);
    CHECK_MSG(first != NULL && strstr(first->path, "control.sync") != NULL, "show %zu: %s", i,
              first != NULL ? first->path : "(none)");
    ha_show_destroy(show);
  }
  ha_diags_destroy(d);
}

int main(void) {
  RUN(test_config);
  RUN(test_jump_seeks);
  RUN(test_drift_slews);
  RUN(test_play_state);
  RUN(test_player_chases);
  RUN(test_show_setting);
  return test_done();
}
