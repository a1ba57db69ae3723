/* The integrated models (pendulum, attract-repel) take a bounded number of
 * grid steps per evaluation through the engine, whatever time the transport
 * asks: pingpong turns, a seek to 500,000 s, backward jumps, random jumps.
 * Counted, not timed: each track reports the grid steps its last evaluation
 * took (ha_track_info.steps, the per-track cache's y[13],
 * src/core/models/fixed_step.h), which must stay at most 128.
 *
 * attract-repel runs 20,000 s: there the first layout (65,536 checkpoints
 * at most) spaced them 306 steps apart, and the next one 256 (the bound
 * before it was lowered to 128 for the 100 Hz tick budget); 10⁶ s would hold
 * the same verdict but costs 10⁹ steps to create. */
#include <math.h>
#include <stdio.h>

#include "holoanim.h"
#include "test.h"

#define BOUND 128u

/* Evaluate the engine at t and return track 1's step count. */
static uint32_t steps_at(ha_engine *e, double t) {
  double x[1], y[1], z[1];
  CHECK_OK(ha_engine_evaluate(e, t, x, y, z, 1));
  CHECK(isfinite(x[0]) && isfinite(y[0]) && isfinite(z[0]));
  ha_track_info info;
  CHECK_OK(ha_engine_track_get(e, 1, &info));
  return info.steps;
}

static void check_bounded(const char *model, const char *params, double T, uint64_t seed) {
  ha_engine_config cfg = ha_engine_config_default();
  cfg.max_tracks = 4;
  ha_engine *e = NULL;
  ha_error err;
  CHECK_OK(ha_engine_create(&cfg, &e, &err));
  CHECK_OK(ha_engine_track_add(e, 1, ha_vec3_make(0, 0, 0), &err));
  ha_timing tm = {T, HA_LOOP_PINGPONG, 1, HA_SEAM_BLEND};
  ha_motion *m = test_motionf(model, &tm, "%s", params);
  ha_anim_spec sp = ha_anim_spec_default();
  uint32_t ids[] = {1};
  ha_anim_id a;
  CHECK_OK(ha_engine_animation_start(e, m, &sp, ids, 1, 0.0, &a, &err));
  uint32_t worst = 0;
  double fixed[] = {0.0,         0.5,      500000.0, 499999.99,  T - 0.01, T + 0.01,  2 * T - 3,
                    T * 0.9,     T * 0.5,  T * 0.49, T * 0.2,    1.0,      T * 0.999, T * 0.73,
                    3 * T + 0.3, 500000.0, 250000.5, T * 0.6001, T * 0.6,  T * 0.59};
  for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
    uint32_t s = steps_at(e, fixed[i]);
    CHECK_MSG(s <= BOUND, "%s T=%g at t=%g: %u steps", model, T, fixed[i], s);
    worst = s > worst ? s : worst;
  }
  /* Backward play, 10 ms a tick, deep into the motion. */
  for (double t = T * 0.8; t > T * 0.8 - 2.0; t -= 0.01) {
    uint32_t s = steps_at(e, t);
    worst = s > worst ? s : worst;
  }
  for (int i = 0; i < 200; i++) {
    double t = (double)(ha_t_rand(&seed) % 1000000) * 1e-6 * 4.0 * T;
    uint32_t s = steps_at(e, t);
    worst = s > worst ? s : worst;
  }
  printf("%s T=%g: at most %u steps in one evaluation\n", model, T, worst);
  CHECK_MSG(worst <= BOUND && worst > 0, "%s T=%g: %u steps in one evaluation (bound %u)", model, T,
            worst, BOUND);
  ha_engine_destroy(e);
  ha_motion_destroy(m);
}

/* A 20-minute pingpong pendulum, damped (it folds into its closed form once
 * settled) and undamped (folded by its period). */
static void test_pendulum_20_minutes(void) {
  check_bounded("pendulum", "damping=0.02", 1200.0, 11u);
  check_bounded("pendulum", "damping=0", 1200.0, 12u);
}

/* A long undamped attract-repel: no fold, the whole [0, T] in its table. */
static void test_attract_repel_long(void) {
  check_bounded("attract-repel", "damping=0", 20000.0, 13u);
}

int main(void) {
  RUN(test_pendulum_20_minutes);
  RUN(test_attract_repel_long);
  return test_done();
}
