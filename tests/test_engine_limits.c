/* The engine's venue limits and NaN guard, in the order that keeps a NaN
 * from hiding: the guard first (counted), then the box clamp (counted).
 *
 * A NaN without corrupting anything: a goto from a track at the edge of the
 * doubles (base x = 1.7e308, finite and accepted) to the opposite edge has
 * to − from = −inf, so its first evaluation (eased weight 0) is
 * from + (−inf)·0 = NaN, and every later one −inf. */
#include <math.h>
#include <stdio.h>

#include "holoanim.h"
#include "test.h"

static ha_engine *boxed_engine(void) {
  ha_engine_config cfg = ha_engine_config_default();
  cfg.max_tracks = 8;
  cfg.max_animations = 4;
  cfg.limits.box_enabled = true;
  cfg.limits.box_min = ha_vec3_make(-10, -10, -10);
  cfg.limits.box_max = ha_vec3_make(10, 10, 10);
  ha_engine *e = NULL;
  ha_error err;
  CHECK_OK(ha_engine_create(&cfg, &e, &err));
  return e;
}

/* With a venue box, a NaN is caught (nan_guards) and the track holds its
 * last good position clamped into the box, never the box's min corner. */
static void test_nan_caught_before_the_box_clamp(void) {
  ha_engine *e = boxed_engine();
  ha_error err;
  CHECK_OK(ha_engine_track_add(e, 1, ha_vec3_make(1.7e308, 3, 4), &err));
  CHECK_OK(ha_engine_track_goto(e, 1, ha_vec3_make(-1.7e308, 3, 4), 2.0, HA_EASE_LINEAR, false));
  double x[8], y[8], z[8];
  for (int k = 0; k < 3; k++) {
    CHECK_OK(ha_engine_evaluate(e, 0.5 * k, x, y, z, 8));
    /* The last good position is the base, (1.7e308, 3, 4): into the box
     * it is (10, 3, 4). A clamp before the guard gives (−10, 3, 4). */
    CHECK_VEC_NEAR(ha_vec3_make(x[0], y[0], z[0]), 10, 3, 4, 1e-12);
  }
  ha_engine_stats st;
  ha_engine_get_stats(e, &st);
  CHECK_INT(st.nan_guards, 3);
  CHECK(st.clamps_box >= 1);
  ha_engine_destroy(e);
}

/* One counter of the player's metrics. */
static uint64_t metric(ha_player *p, ha_metrics_counter c) {
  static ha_metrics_snap snap; /* ~36 KB */
  CHECK_OK(ha_metrics_snapshot(ha_player_metrics(p), &snap));
  return snap.counters[c];
}

/* Through the player: the NaN guard and the clamp reach the metrics. */
static void test_nan_and_clamp_counted_in_metrics(void) {
  ha_player_config cfg = ha_player_config_default();
  cfg.max_tracks = 8;
  cfg.limits.box_enabled = true;
  cfg.limits.box_min = ha_vec3_make(-10, -10, -10);
  cfg.limits.box_max = ha_vec3_make(10, 10, 10);
  ha_player *p = NULL;
  ha_error err;
  CHECK_OK(ha_player_create(&cfg, &p, &err));
  CHECK_OK(ha_player_add_track(p, 1, ha_vec3_make(1.7e308, 3, 4), &err));
  CHECK_OK(ha_player_goto(p, 1, ha_vec3_make(-1.7e308, 3, 4), 2.0, HA_EASE_LINEAR, false, 0));
  CHECK_OK(ha_player_play(p));
  for (int k = 0; k < 4; k++) {
    CHECK_OK(ha_player_tick_once(p, 100.0 + 0.01 * k));
  }
  CHECK_INT(metric(p, HA_COUNTER_NAN_GUARDS), 4);
  CHECK(metric(p, HA_COUNTER_CLAMPS) >= 1);
  ha_player_destroy(p);
}

enum { CAP_TICKS = 50 };

/* The largest distance track 1 moved in one tick over `ticks` ticks of
 * 10 ms from *now (advanced), the first from *last (where it was at the
 * previous tick; updated). */
static double largest_step(ha_player *p, double *now, ha_vec3 *last, int ticks) {
  ha_store_snapshot *snap = NULL;
  CHECK_OK(ha_store_snapshot_create(4, &snap));
  double worst = 0.0;
  for (int k = 0; k < ticks; k++) {
    *now += 0.01;
    CHECK_OK(ha_player_tick_once(p, *now));
    CHECK_OK(ha_store_read(ha_player_store(p), snap));
    ha_vec3 pos = ha_vec3_make(snap->x[0], snap->y[0], snap->z[0]);
    worst = fmax(worst, ha_vec3_dist(pos, *last));
    *last = pos;
  }
  ha_store_snapshot_destroy(snap);
  return worst;
}

/* limits.maxSpeed is metres per real second: at transport speed 10, after
 * a backward seek and while paused, no tick moves a track farther than
 * max_speed × the 10 ms between ticks. (Measured in transport time, speed
 * 10 allowed 10× the cap, and a backward seek or a pause turned it off.) */
static void test_speed_cap_in_real_time(void) {
  ha_player_config cfg = ha_player_config_default();
  cfg.max_tracks = 4;
  cfg.limits.max_speed = 2.0; /* 2 cm per 10 ms tick */
  ha_player *p = NULL;
  ha_error err;
  CHECK_OK(ha_player_create(&cfg, &p, &err));
  CHECK_OK(ha_player_add_track(p, 1, ha_vec3_zero(), &err));
  ha_timing tm = {10, HA_LOOP_ONCE, 1, HA_SEAM_BLEND};
  ha_motion *m = test_motionf("linear", &tm, "startPosition=0,0,0\nendPosition=100,0,0");
  uint32_t track = 1;
  CHECK_OK(ha_player_start_animation(p, 1, m, NULL, &track, 1));
  CHECK_OK(ha_player_set_speed(p, 10));
  CHECK_OK(ha_player_play(p));
  double now = 100.0;
  ha_vec3 last = ha_vec3_zero();
  const double cap = 2.0 * 0.01 + 1e-9;
  double w = largest_step(p, &now, &last, CAP_TICKS);
  CHECK_MSG(w <= cap, "speed 10: %g m in one 10 ms tick", w);
  CHECK_MSG(w > 0.5 * cap, "speed 10: the track hardly moved (%g m)", w);

  CHECK_OK(ha_player_seek(p, 0.0));
  w = largest_step(p, &now, &last, CAP_TICKS);
  CHECK_MSG(w <= cap, "after a backward seek: %g m in one 10 ms tick", w);

  CHECK_OK(ha_player_stop(p, 0.0)); /* paused, the track idle where it is */
  CHECK_OK(ha_player_set_base(p, 1, ha_vec3_make(-50, 0, 0)));
  w = largest_step(p, &now, &last, CAP_TICKS);
  CHECK_MSG(w <= cap, "paused: %g m in one 10 ms tick", w);
  CHECK_MSG(w > 0.5 * cap, "paused: the track did not glide to its base (%g m)", w);
  ha_player_destroy(p);
}

int main(void) {
  RUN(test_nan_caught_before_the_box_clamp);
  RUN(test_nan_and_clamp_counted_in_metrics);
  RUN(test_speed_cap_in_real_time);
  return test_done();
}
