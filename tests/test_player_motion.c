/* The velocities and statuses the player publishes (ha_store_snapshot vx,
 * vy, vz, status) are those of the tick they come with: the tick writes them
 * in the engine's evaluation pass (ha__engine_evaluate_out), so each must be
 * the track's after its own step, not before. The oracle needs no engine:
 * a velocity is (x − x of the previous tick) · (1 / dt) with dt the
 * snapshots' time difference, the engine's very operations, so it must
 * match bit for bit; statuses follow the scenario (an idle track, a
 * batched circling one, a goto at once, a goto that waits). */
#include <math.h>
#include <stdio.h>

#include "holoanim.h"
#include "test.h"

enum { NTRACKS = 4, TICKS = 120 };

/* a == b without -Wfloat-equal's complaint (bit-for-bit is meant). */
static int same(double a, double b) {
  return !(a < b || a > b);
}

static void test_motion_of_the_tick(void) {
  ha_player_config cfg = ha_player_config_default();
  cfg.max_tracks = NTRACKS;
  cfg.tick_rate = 100;
  ha_player *p = NULL;
  ha_error err;
  CHECK_OK(ha_player_create(&cfg, &p, &err));
  for (uint32_t id = 1; id <= NTRACKS; id++) {
    CHECK_OK(ha_player_add_track(p, id, ha_vec3_make(id, 0, 0), &err));
  }
  ha_motion *m = NULL;
  CHECK_OK(ha_motion_create("circular", NULL, NULL, &m, &err));
  ha_anim_spec sp = ha_anim_spec_default();
  uint32_t animated[] = {2};
  CHECK_OK(ha_player_start_animation(p, 1, m, &sp, animated, 1));
  CHECK_OK(ha_player_goto(p, 3, ha_vec3_make(3, 4, 0), 0.5, HA_EASE_SINE_IN_OUT, false, 0));
  CHECK_OK(ha_player_goto(p, 4, ha_vec3_make(4, -2, 1), 0.3, HA_EASE_LINEAR, false, 0.2));
  CHECK_OK(ha_player_play(p));
  ha_store_snapshot *cur = NULL, *prev = NULL;
  CHECK_OK(ha_store_snapshot_create(NTRACKS, &cur));
  CHECK_OK(ha_store_snapshot_create(NTRACKS, &prev));
  double now = 100.0;
  size_t checked = 0, moving = 0;
  for (int k = 0; k < TICKS; k++) {
    now += 0.01;
    CHECK_OK(ha_player_tick_once(p, now));
    ha_store_snapshot *s = prev;
    prev = cur;
    cur = s;
    CHECK_OK(ha_store_read(ha_player_store(p), cur));
    CHECK_INT(cur->count, NTRACKS);
    if (k == 0) {
      continue;
    }
    double inv = 1.0 / (cur->time - prev->time);
    for (size_t i = 0; i < NTRACKS; i++) {
      double ex = (cur->x[i] - prev->x[i]) * inv, ey = (cur->y[i] - prev->y[i]) * inv,
             ez = (cur->z[i] - prev->z[i]) * inv;
      CHECK_MSG(same(cur->vx[i], ex) && same(cur->vy[i], ey) && same(cur->vz[i], ez),
                "tick %d track %zu: velocity (%.17g, %.17g, %.17g), moved (%.17g, %.17g, %.17g)", k,
                i + 1, cur->vx[i], cur->vy[i], cur->vz[i], ex, ey, ez);
      moving += !(same(ex, 0.0) && same(ey, 0.0) && same(ez, 0.0));
      checked++;
    }
    double t = cur->time;
    CHECK_INT(cur->status[0], HA_TRACK_IDLE);
    CHECK_INT(cur->status[1], HA_TRACK_ANIMATED);
    CHECK_INT(cur->status[2], t < 0.45 ? HA_TRACK_TRANSITION : cur->status[2]);
    CHECK_INT(cur->status[2], t > 0.55 ? HA_TRACK_IDLE : cur->status[2]);
    CHECK_INT(cur->status[3], t < 0.15 || t > 0.55 ? HA_TRACK_IDLE : cur->status[3]);
    CHECK_INT(cur->status[3], t > 0.25 && t < 0.45 ? HA_TRACK_TRANSITION : cur->status[3]);
  }
  printf("     %zu velocities checked, %zu of them moving\n", checked, moving);
  CHECK(moving > (TICKS - 1) + 60); /* the circling track all along, both gotos moved */
  ha_store_snapshot_destroy(cur);
  ha_store_snapshot_destroy(prev);
  ha_player_destroy(p);
}

int main(void) {
  RUN(test_motion_of_the_tick);
  return test_done();
}
