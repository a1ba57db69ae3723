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

int main(void) {
  RUN(test_nan_caught_before_the_box_clamp);
  RUN(test_nan_and_clamp_counted_in_metrics);
  return test_done();
}
