/* ha_anim_spec.from_base: a relative group started on a track that stands
 * away from its base (held there by a stop, moved by a goto) is offset from
 * the base, not from where the track stands; with a fade_in it glides from
 * where it stands onto that path. Without from_base it is offset from where
 * the track stands (the documented default). */
#include <math.h>

#include "holoanim.h"
#include "test.h"

static ha_vec3 pos_at(ha_engine *e, double t) {
  double x[1], y[1], z[1];
  CHECK_OK(ha_engine_evaluate(e, t, x, y, z, 1));
  return ha_vec3_make(x[0], y[0], z[0]);
}

/* Track 1 based at (2, 0, 1.5), moved to (5, 5, 1.5); a relative circle of
 * radius 1 about the origin (pivot at the origin) started at t = 1. Its
 * position at t = 1 + 0.25 (a quarter of a 1 s loop, 1.5 s fade or none). */
static ha_vec3 run(bool from_base, double fade) {
  ha_engine_config cfg = ha_engine_config_default();
  cfg.max_tracks = 2;
  ha_engine *e = NULL;
  ha_error err;
  CHECK_OK(ha_engine_create(&cfg, &e, &err));
  CHECK_OK(ha_engine_track_add(e, 1, ha_vec3_make(2, 0, 1.5), &err));
  CHECK_OK(ha_engine_track_goto(e, 1, ha_vec3_make(5, 5, 1.5), 0.0, HA_EASE_LINEAR, false));
  ha_vec3 p = pos_at(e, 1.0);
  CHECK(fabs(p.x - 5) < 1e-9 && fabs(p.y - 5) < 1e-9);
  ha_timing tm = {1.0, HA_LOOP_LOOP, 1, HA_SEAM_BLEND};
  ha_motion *m = test_motionf("circular", &tm, "radius=1\ncenter=0,0,0");
  ha_anim_spec sp = ha_anim_spec_default();
  sp.mode = HA_GROUP_RELATIVE;
  sp.from_base = from_base;
  sp.fade_in = fade;
  uint32_t ids[] = {1};
  ha_anim_id a;
  CHECK_OK(ha_engine_animation_start(e, m, &sp, ids, 1, 1.0, &a, &err));
  ha_vec3 q = pos_at(e, fade > 0 ? 1.0 + 0.001 : 1.25);
  if (fade > 0) {
    /* just after the start: still where it stood (a glide, not a jump) */
    CHECK_MSG(fabs(q.x - 5) < 0.01 && fabs(q.y - 5) < 0.01, "glides from (5, 5): (%g, %g)", q.x,
              q.y);
    q = pos_at(e, 1.0 + 3.25); /* past the fade, a quarter turn into a loop */
  }
  ha_engine_destroy(e);
  ha_motion_destroy(m);
  return q;
}

static void test_from_base(void) {
  /* the circle's point a quarter turn in, relative to the pivot */
  ha_vec3 off = run(true, 0.0);
  ha_vec3 held = run(false, 0.0);
  /* from the base (2, 0) and from where it stood (5, 5): 3, 5 apart */
  CHECK_MSG(fabs((held.x - off.x) - 3) < 1e-9 && fabs((held.y - off.y) - 5) < 1e-9,
            "from_base (%g, %g), from where it stood (%g, %g)", off.x, off.y, held.x, held.y);
  CHECK_MSG(hypot(off.x - 2, off.y) > 0.99 && hypot(off.x - 2, off.y) < 1.01,
            "on the 1 m circle about the base: (%g, %g)", off.x, off.y);
  ha_vec3 faded = run(true, 1.5);
  CHECK_MSG(
      fabs(faded.x - off.x) < 1e-9 && fabs(faded.y - off.y) < 1e-9 && fabs(faded.z - 1.5) < 1e-9,
      "after the glide on the base's path: (%g, %g) vs (%g, %g)", faded.x, faded.y, off.x, off.y);
}

int main(void) {
  RUN(test_from_base);
  return test_done();
}
