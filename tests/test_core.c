/* Easing, time mapping, the transport clock, blending, velocity, groups,
 * maintain_formation, the pool and the engine's track table. */
#include <pthread.h>

#include "holoanim.h"
#include "test.h"

/* ---- easing ---- */

static double penner_ref(const char *name, double t) {
  /* Independent spot formulas for a few curves. */
  if (strcmp(name, "quad-in") == 0)
    return t * t;
  if (strcmp(name, "cubic-out") == 0)
    return 1 - pow(1 - t, 3);
  if (strcmp(name, "sine-in-out") == 0)
    return -(cos(HA_PI * t) - 1) / 2;
  if (strcmp(name, "expo-in-out") == 0)
    return t < 0.5 ? pow(2, 20 * t - 10) / 2 : (2 - pow(2, -20 * t + 10)) / 2;
  if (strcmp(name, "back-in") == 0)
    return 2.70158 * t * t * t - 1.70158 * t * t;
  if (strcmp(name, "circ-in-out") == 0)
    return t < 0.5 ? (1 - sqrt(1 - pow(2 * t, 2))) / 2 : (sqrt(1 - pow(-2 * t + 2, 2)) + 1) / 2;
  if (strcmp(name, "elastic-out") == 0)
    return pow(2, -10 * t) * sin((t * 10 - 0.75) * (2 * HA_PI / 3)) + 1;
  if (strcmp(name, "quint-in-out") == 0)
    return t < 0.5 ? 16 * pow(t, 5) : 1 - pow(-2 * t + 2, 5) / 2;
  return NAN;
}

static void test_easing(void) {
  CHECK_INT(HA_EASE_COUNT, 31);
  for (int i = 0; i < (int)HA_EASE_COUNT; i++) {
    ha_easing e = (ha_easing)i;
    CHECK_NEAR(ha_ease(e, 0.0), 0.0, 0);
    CHECK_NEAR(ha_ease(e, 1.0), 1.0, 0);
    CHECK_NEAR(ha_ease(e, -3.0), 0.0, 0);
    CHECK_NEAR(ha_ease(e, 7.0), 1.0, 0);
    CHECK_NEAR(ha_ease(e, NAN), 0.0, 0);
    const char *name = ha_easing_name(e);
    ha_easing back;
    CHECK_OK(ha_easing_parse(name, &back, "easing", NULL));
    CHECK_INT(back, e);
    /* in-out curves are point-symmetric about (0.5, 0.5). */
    if (strstr(name, "in-out") != NULL) {
      for (double t = 0.0; t <= 1.0; t += 0.0625) {
        CHECK_NEAR(ha_ease(e, 1.0 - t), 1.0 - ha_ease(e, t), 1e-12);
      }
    }
    /* out(t) = 1 − in(1 − t) */
    if (strstr(name, "-out") != NULL && strstr(name, "in-out") == NULL) {
      char in[32];
      snprintf(in, sizeof(in), "%.*s-in", (int)(strchr(name, '-') - name), name);
      ha_easing ein;
      CHECK_OK(ha_easing_parse(in, &ein, "easing", NULL));
      for (double t = 0.0; t <= 1.0; t += 0.0625) {
        CHECK_NEAR(ha_ease(e, t), 1.0 - ha_ease(ein, 1.0 - t), 1e-12);
      }
    }
    double r = penner_ref(name, 0.3);
    if (!isnan(r)) {
      CHECK_NEAR(ha_ease(e, 0.3), r, 1e-12);
      CHECK_NEAR(ha_ease(e, 0.8), penner_ref(name, 0.8), 1e-12);
    }
  }
  CHECK_NEAR(ha_ease(HA_EASE_BOUNCE_OUT, 0.5), 0.765625, 1e-12);
  ha_easing e;
  CHECK_OK(ha_easing_parse("easeInOutCubic", &e, "easing", NULL));
  CHECK_INT(e, HA_EASE_CUBIC_IN_OUT);
  CHECK_OK(ha_easing_parse("ease-in", &e, "easing", NULL));
  CHECK_INT(e, HA_EASE_QUAD_IN);
  CHECK_OK(ha_easing_parse("ease-out", &e, "easing", NULL));
  CHECK_INT(e, HA_EASE_QUAD_OUT);
  CHECK_OK(ha_easing_parse("ease-in-out", &e, "easing", NULL));
  CHECK_INT(e, HA_EASE_QUAD_IN_OUT);
  CHECK_OK(ha_easing_parse("easeOutBounce", &e, "easing", NULL));
  CHECK_INT(e, HA_EASE_BOUNCE_OUT);
  ha_error err;
  CHECK_INT(ha_easing_parse("wobble", &e, "easing", &err), HA_EINVAL);
  CHECK(strstr(err.message, "easing: 'wobble' is not a known easing") == err.message);
}

/* ---- time ---- */

static void test_time_map(void) {
  const double T = 4.0;
  CHECK_NEAR(ha_time_map(-1, T, HA_LOOP_ONCE), 0, 0);
  CHECK_NEAR(ha_time_map(2.5, T, HA_LOOP_ONCE), 2.5, 0);
  CHECK_NEAR(ha_time_map(9, T, HA_LOOP_ONCE), 4, 0);
  CHECK_NEAR(ha_time_map(5, T, HA_LOOP_LOOP), 1, 1e-15);
  CHECK_NEAR(ha_time_map(4, T, HA_LOOP_LOOP), 0, 0);
  CHECK_NEAR(ha_time_map(-1, T, HA_LOOP_LOOP), 3, 1e-15);
  CHECK_NEAR(ha_time_map(5, T, HA_LOOP_PINGPONG), 3, 1e-15);  /* backward leg */
  CHECK_NEAR(ha_time_map(9, T, HA_LOOP_PINGPONG), 1, 1e-15);  /* forward again */
  CHECK_NEAR(ha_time_map(4, T, HA_LOOP_PINGPONG), 4, 1e-15);  /* turning point */
  CHECK_NEAR(ha_time_map(-1, T, HA_LOOP_PINGPONG), 1, 1e-15); /* k = −1: odd */
  CHECK_NEAR(ha_time_map(NAN, T, HA_LOOP_LOOP), 0, 0);
  /* Absurd times stay inside [0, T] (a physics model must never integrate
   * to τ = 1e284). */
  for (double a = 1e15; a < 1e300; a *= 1e7) {
    double tau = ha_time_map(a, 3.7, HA_LOOP_LOOP);
    CHECK_MSG(tau >= 0 && tau < 3.7, "loop tau %g at a=%g", tau, a);
    tau = ha_time_map(-a, 3.7, HA_LOOP_PINGPONG);
    CHECK_MSG(tau >= 0 && tau <= 3.7, "pingpong tau %g at a=%g", tau, -a);
  }
  /* Loop wrap stays inside [0, T) for values near multiples of T. */
  for (int k = -50; k < 50; k++) {
    double a = k * 0.1;
    double tau = ha_time_map(a * T, T, HA_LOOP_LOOP);
    CHECK_MSG(tau >= 0.0 && tau < T, "loop tau %g out of [0,T) at a=%g", tau, a * T);
    double pp = ha_time_map(a * T, T, HA_LOOP_PINGPONG);
    CHECK_MSG(pp >= 0.0 && pp <= T, "pingpong tau %g out of [0,T] at a=%g", pp, a * T);
  }
  /* Pingpong is continuous. */
  double prev = ha_time_map(0, T, HA_LOOP_PINGPONG);
  for (double a = 0.001; a < 20; a += 0.001) {
    double cur = ha_time_map(a, T, HA_LOOP_PINGPONG);
    CHECK_MSG(fabs(cur - prev) < 0.0011, "pingpong jumps at %g", a);
    prev = cur;
  }
  ha_loop_mode lm;
  CHECK_OK(ha_loop_mode_parse("pingpong", &lm, NULL));
  CHECK_INT(lm, HA_LOOP_PINGPONG);
  ha_error err;
  CHECK_INT(ha_loop_mode_parse("forever", &lm, &err), HA_EINVAL);
  CHECK_STR(err.message, "loop: 'forever' is not one of once|loop|pingpong");
}

static void test_shift_wraps(void) {
  /* A delayed track (shift s) is at the position the first track had s
   * seconds earlier, in every cycle: it never freezes at the start. */
  ha_timing tm = {4.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  const char *a[] = {"radius=3", NULL};
  ha_motion *m = test_motion("circular", a, &tm);
  for (double t = 0; t < 30; t += 0.13) {
    ha_track_ctx c = {2, 1.5, NULL, NULL};
    ha_vec3 p = ha_motion_eval(m, t, &c);
    ha_vec3 q = ha_motion_eval(m, t - 1.5, NULL);
    CHECK_VEC_NEAR(p, q.x, q.y, q.z, 1e-12);
  }
  /* At t = 0.5 a track shifted by 1.5 is at τ = 3 (wrapped), not at 0. */
  ha_track_ctx c = {2, 1.5, NULL, NULL};
  CHECK_NEAR(ha_motion_tau(m, 0.5, 1.5), 3.0, 1e-12);
  ha_vec3 p = ha_motion_eval(m, 0.5, &c);
  ha_vec3 start = ha_motion_eval(m, 0.0, NULL);
  CHECK(ha_vec3_dist(p, start) > 1.0);
  ha_motion_destroy(m);
}

static void test_clock(void) {
  ha_clock c;
  ha_clock_init(&c);
  CHECK_NEAR(ha_clock_position(&c, 5.0), 0.0, 0);
  ha_clock_start(&c, 10.0, 0.0);
  CHECK_NEAR(ha_clock_position(&c, 12.0), 2.0, 1e-12);
  ha_clock_pause(&c, 12.0);
  CHECK_NEAR(ha_clock_position(&c, 100.0), 2.0, 1e-12); /* pause: no drift */
  ha_clock_resume(&c, 100.0);
  CHECK_NEAR(ha_clock_position(&c, 101.0), 3.0, 1e-12);
  /* Speed change is phase-continuous. */
  double before = ha_clock_position(&c, 102.0);
  ha_clock_set_speed(&c, 102.0, 2.5);
  CHECK_NEAR(ha_clock_position(&c, 102.0), before, 1e-12);
  CHECK_NEAR(ha_clock_position(&c, 104.0), before + 5.0, 1e-12);
  ha_clock_seek(&c, 104.0, 1.0);
  CHECK_NEAR(ha_clock_position(&c, 105.0), 3.5, 1e-12);
  /* A path driven by the clock has no jump at a speed change. */
  ha_timing tm = {4.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  ha_motion *m = test_motion("circular", NULL, &tm);
  ha_clock_init(&c);
  ha_clock_start(&c, 0.0, 0.0);
  ha_vec3 last = ha_motion_eval(m, ha_clock_position(&c, 0.0), NULL);
  double maxstep = 0;
  for (int i = 1; i <= 2000; i++) {
    double now = i * 0.001;
    if (i == 1000) {
      ha_clock_set_speed(&c, now, 1.7);
    }
    ha_vec3 p = ha_motion_eval(m, ha_clock_position(&c, now), NULL);
    double step = ha_vec3_dist(p, last);
    maxstep = step > maxstep ? step : maxstep;
    last = p;
  }
  /* r = 5, one turn per 4 s at ×1.7: ≤ 2π·5/4·1.7·1 ms ≈ 13.4 mm per step. */
  CHECK_MSG(maxstep < 0.0135, "largest step %g m", maxstep);
  ha_motion_destroy(m);
}

/* ---- blending ---- */

static void test_blend_no_jump(void) {
  ha_timing tm = {8.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  const char *a[] = {"radius=2", NULL};
  ha_motion *m = test_motion("circular", a, &tm);
  ha_params *p = NULL;
  CHECK_OK(ha_params_create(&p));
  ha_params_set_number(p, "radius", 6);
  ha_params_set_vec3(p, "center", ha_vec3_make(1, 1, 0));
  const double t0 = 3.0, dt = 0.001;
  ha_vec3 before = ha_motion_eval(m, t0, NULL);
  ha_error err;
  CHECK_OK(ha_motion_update_parameters(m, p, NULL, t0, HA_BLEND_WINDOW_DEFAULT, &err));
  ha_motion_info_state st;
  ha_motion_get_state(m, &st);
  CHECK(st.blending);
  CHECK_INT(st.generation, 1);
  /* No jump at the switch, bounded step during the window, new path after. */
  ha_vec3 at = ha_motion_eval(m, t0, NULL);
  CHECK_VEC_NEAR(at, before.x, before.y, before.z, 1e-12);
  ha_vec3 last = at;
  double maxstep = 0;
  for (double t = t0 + dt; t < t0 + 0.5; t += dt) {
    ha_vec3 q = ha_motion_eval(m, t, NULL);
    double s = ha_vec3_dist(q, last);
    maxstep = s > maxstep ? s : maxstep;
    last = q;
  }
  /* Largest step of the new path alone is 2π·6/8 mm ≈ 4.7 mm; the blend adds
   * at most (max distance between paths ≈ 9 m)·(1.5/0.25 s)·1 ms ≈ 54 mm. */
  CHECK_MSG(maxstep < 0.06, "blend step %g m", maxstep);
  double t1 = t0 + 0.3;
  ha_vec3 q = ha_motion_eval(m, t1, NULL);
  double th = -HA_TAU * (t1 / 8.0);
  CHECK_VEC_NEAR(q, 1 + 6 * cos(th), 1 + 6 * sin(th), 0, 1e-12);
  /* An invalid update leaves the motion untouched. */
  ha_params_set_number(p, "radius", -1);
  CHECK_INT(ha_motion_update_parameters(m, p, NULL, 5.0, 0.25, &err), HA_ERANGE);
  ha_vec3 r = ha_motion_eval(m, t1, NULL);
  CHECK_VEC_NEAR(r, q.x, q.y, q.z, 0);
  ha_motion_reset(m);
  ha_motion_get_state(m, &st);
  CHECK(!st.blending);
  ha_params_destroy(p);
  ha_motion_destroy(m);
}

static void test_velocity(void) {
  ha_timing tm = {10.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  const char *a[] = {"radius=5", "direction=counterclockwise", NULL};
  ha_motion *m = test_motion("circular", a, &tm);
  ha_vec3 v = ha_motion_velocity(m, 0.0, NULL);
  /* ω = 2π/10 rad/s, speed r·ω = π m/s, tangent at θ = 0 is +Y. */
  CHECK_NEAR(ha_vec3_len(v), HA_PI, 1e-3);
  CHECK_NEAR(v.y, HA_PI, 1e-3);
  ha_motion_destroy(m);
}

/* ---- groups ---- */

static void test_group_modes(void) {
  ha_timing tm = {4.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  const char *a[] = {"center=0,0,0", "radius=2", "direction=counterclockwise", NULL};
  ha_motion *m = test_motion("circular", a, &tm);
  ha_vec3 bases[3] = {{1, 0, 0}, {3, 0, 0}, {2, 3, 1}};
  ha_vec3 out[3];
  ha_group g;
  ha_group_init(&g, m, 3);
  g.bases = bases;
  const double t = 1.0; /* quarter turn: θ = 90° */
  ha_vec3 M = ha_motion_eval(m, t, NULL);
  CHECK_VEC_NEAR(M, 0, 2, 0, 1e-12);

  g.mode = HA_GROUP_SHARED;
  CHECK_OK(ha_group_positions(&g, t, out, 3, NULL));
  for (int i = 0; i < 3; i++)
    CHECK_VEC_NEAR(out[i], 0, 2, 0, 1e-12);

  g.mode = HA_GROUP_RELATIVE;
  CHECK_OK(ha_group_positions(&g, t, out, 3, NULL));
  for (int i = 0; i < 3; i++)
    CHECK_VEC_NEAR(out[i], bases[i].x, bases[i].y + 2, bases[i].z, 1e-12);

  /* isobarycentric: B = (2, 1, 1/3); formation turned by the heading (90°). */
  g.mode = HA_GROUP_ISOBARYCENTRIC;
  g.rotate_formation = false;
  CHECK_OK(ha_group_positions(&g, t, out, 3, NULL));
  CHECK_VEC_NEAR(out[0], 1, 2, 0, 1e-12); /* B + M + off: (2,1,⅓)+(0,2,0)+(−1,−1,−⅓) */
  g.rotate_formation = true;
  CHECK_OK(ha_group_positions(&g, t, out, 3, NULL));
  /* off0 = (−1, −1, −⅓) turned 90° about +Z = (1, −1, −⅓) */
  CHECK_VEC_NEAR(out[0], 2 + 0 + 1, 1 + 2 - 1, 1.0 / 3 - 1.0 / 3, 1e-12);
  /* The barycentre of the formation follows the path. */
  ha_vec3 s = ha_vec3_scale(ha_vec3_add(ha_vec3_add(out[0], out[1]), out[2]), 1.0 / 3);
  CHECK_VEC_NEAR(s, 2, 3, 1.0 / 3, 1e-12);

  g.mode = HA_GROUP_CENTERED;
  g.center_point = ha_vec3_make(0, 0, 0);
  g.rotate_formation = false;
  CHECK_OK(ha_group_positions(&g, t, out, 3, NULL));
  CHECK_VEC_NEAR(out[1], 3, 2, 0, 1e-12);

  g.mode = HA_GROUP_SPREAD;
  g.spread_radius = 1.5;
  CHECK_OK(ha_group_positions(&g, t, out, 3, NULL));
  for (int i = 0; i < 3; i++)
    CHECK_NEAR(ha_vec3_dist(out[i], M), 1.5, 1e-12);
  CHECK(ha_vec3_dist(out[0], out[1]) > 1.0);

  g.mode = HA_GROUP_MIRROR;
  g.mirror_axis = 'y';
  CHECK_OK(ha_group_positions(&g, t, out, 3, NULL));
  CHECK_VEC_NEAR(out[0], 0, 2, 0, 1e-12);
  CHECK_VEC_NEAR(out[1], 0, -2, 0, 1e-12);

  /* Phase offset and phase spread. */
  g.mode = HA_GROUP_SHARED;
  g.phase_offset = 0.5;
  CHECK_NEAR(ha_group_shift(&g, 2), 1.0, 0);
  g.phase_spread = true;
  CHECK_NEAR(ha_group_shift(&g, 1), 4.0 / 3.0, 1e-15);
  CHECK_OK(ha_group_positions(&g, t, out, 3, NULL));
  ha_vec3 e1 = ha_motion_eval(m, t - 4.0 / 3.0, NULL);
  CHECK_VEC_NEAR(out[1], e1.x, e1.y, e1.z, 1e-12);

  /* Errors. */
  ha_error err;
  CHECK_INT(ha_group_positions(&g, t, out, 2, &err), HA_ENOBUFS);
  g.mode = HA_GROUP_RELATIVE;
  g.bases = NULL;
  CHECK_INT(ha_group_positions(&g, t, out, 3, &err), HA_EINVAL);
  CHECK_STR(err.message, "bases: mode relative needs the tracks' base positions");
  g.mode = HA_GROUP_MIRROR;
  g.mirror_axis = 'w';
  CHECK_INT(ha_group_validate(&g, &err), HA_EINVAL);
  CHECK_STR(err.message, "mirrorAxis: 'w' is not one of x|y|z");
  ha_group_mode gm;
  CHECK_OK(ha_group_mode_parse("isobarycenter", &gm, NULL));
  CHECK_INT(gm, HA_GROUP_ISOBARYCENTRIC);
  ha_motion_destroy(m);
}

static void test_maintain_formation(void) {
  ha_vec3 mem[3] = {{0, 0, 0}, {2, 0, 0}, {1, 3, 3}};
  ha_vec3 out[3];
  CHECK_OK(ha_maintain_formation(ha_vec3_make(10, 10, 10), mem, 3, out, NULL));
  ha_vec3 s = ha_vec3_scale(ha_vec3_add(ha_vec3_add(out[0], out[1]), out[2]), 1.0 / 3);
  CHECK_VEC_NEAR(s, 10, 10, 10, 1e-12);
  CHECK_NEAR(ha_vec3_dist(out[0], out[1]), 2.0, 1e-12); /* rigid */
  ha_error err;
  CHECK_INT(ha_maintain_formation(ha_vec3_make(0, 0, 0), mem, 0, out, &err), HA_EINVAL);
  mem[1].x = NAN;
  CHECK_INT(ha_maintain_formation(ha_vec3_make(0, 0, 0), mem, 3, out, &err), HA_EINVAL);
  CHECK_STR(err.name, "members[1]");
}

/* ---- pool ---- */

typedef struct pool_arg {
  ha_pool *pool;
  int rounds;
  int errors;
} pool_arg;

static void *pool_worker(void *p) {
  pool_arg *a = p;
  for (int i = 0; i < a->rounds; i++) {
    unsigned char *b = ha_pool_acquire(a->pool);
    if (b == NULL) {
      continue;
    }
    for (size_t k = 0; k < 32; k++) {
      if (b[k] != 0)
        a->errors++; /* acquire hands out zeroed blocks */
    }
    memset(b, 0xab, 32);
    if (ha_pool_release(a->pool, b) != HA_OK)
      a->errors++;
  }
  return NULL;
}

static void test_pool(void) {
  ha_pool *p = NULL;
  CHECK_INT(ha_pool_create(0, 4, &p), HA_EINVAL);
  CHECK_OK(ha_pool_create(40, 4, &p));
  void *b[5];
  for (int i = 0; i < 4; i++) {
    b[i] = ha_pool_acquire(p);
    CHECK(b[i] != NULL);
    CHECK_INT((uintptr_t)b[i] % 64, 0);
  }
  CHECK_INT(ha_pool_in_use(p), 4);
  b[4] = ha_pool_acquire(p);
  CHECK(b[4] == NULL);
  ha_error err;
  void *x = NULL;
  CHECK_INT(ha_pool_acquire_ex(p, &x, "track states", &err), HA_EEXHAUSTED);
  CHECK_INT(err.kind, HA_ERROR_RESOURCE_EXHAUSTED);
  CHECK_INT(err.limit, 4);
  CHECK_STR(err.message, "track states exhausted: all 4 in use");
  int local = 0;
  CHECK_INT(ha_pool_release(p, &local), HA_EINVAL);
  for (int i = 0; i < 4; i++)
    CHECK_OK(ha_pool_release(p, b[i]));
  CHECK_INT(ha_pool_in_use(p), 0);
  ha_pool_destroy(p);
  /* Contended: 4 threads on 8 blocks, every block handed out zeroed. */
  CHECK_OK(ha_pool_create(64, 8, &p));
  pthread_t th[4];
  pool_arg args[4];
  for (int i = 0; i < 4; i++) {
    args[i] = (pool_arg){p, 200000, 0};
    pthread_create(&th[i], NULL, pool_worker, &args[i]);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    CHECK_INT(args[i].errors, 0);
  }
  CHECK_INT(ha_pool_in_use(p), 0);
  ha_pool_destroy(p);
  ha_pool_destroy(NULL);
}

/* ---- engine ---- */

/* The seed's MotionEngine computations, where they live (engine.h says
 * which function is which): motion.h and group.h, no engine needed; the
 * engine keeps the transport time they may be asked at. */
static void test_engine_seed_api(void) {
  ha_engine *e = NULL;
  ha_error err;
  CHECK_OK(ha_engine_create(NULL, &e, &err));
  ha_timing loop4 = {4.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  ha_motion *m = NULL;
  CHECK_OK(ha_motion_create_circular(ha_vec3_make(1, 0, 0), 2.0, 1.0, false, &loop4, &m, &err));
  ha_vec3 p;
  CHECK_OK(ha_motion_calculate_position(m, 1.0, &p, &err));
  CHECK_VEC_NEAR(p, 1, 2, 0, 1e-12);
  CHECK_INT(ha_motion_calculate_position(m, NAN, &p, &err), HA_EINVAL);
  CHECK_STR(err.name, "time");
  ha_timing once5 = {5.0, HA_LOOP_ONCE, 1.0, HA_SEAM_BLEND};
  ha_motion *l = NULL;
  CHECK_OK(ha_motion_create_linear(ha_vec3_make(0, 0, 0), ha_vec3_make(10, 0, 0), HA_EASE_LINEAR,
                                   &once5, &l, &err));
  CHECK_OK(ha_motion_calculate_position(l, 2.5, &p, &err));
  CHECK_VEC_NEAR(p, 5, 0, 0, 1e-12);
  ha_motion *bad = NULL;
  CHECK_INT(ha_motion_create_circular(ha_vec3_make(1, 0, 0), -1, 1.0, false, &loop4, &bad, &err),
            HA_ERANGE);
  ha_group g;
  ha_group_init(&g, m, 2);
  g.phase_offset = 1.0;
  ha_engine_set_time(e, 2.0);
  CHECK_NEAR(ha_engine_time(e), 2.0, 0);
  ha_vec3 out[2];
  CHECK_OK(ha_group_positions(&g, ha_engine_time(e), out, 2, &err));
  CHECK_VEC_NEAR(out[0], -1, 0, 0, 1e-12);
  CHECK_VEC_NEAR(out[1], 1, 2, 0, 1e-12);
  ha_vec3 mem[2] = {{0, 0, 0}, {2, 0, 0}};
  CHECK_OK(ha_maintain_formation(ha_vec3_make(0, 5, 0), mem, 2, out, &err));
  CHECK_VEC_NEAR(out[0], -1, 5, 0, 1e-12);
  ha_motion_destroy(m);
  ha_motion_destroy(l);
  ha_engine_destroy(e);
}

static void test_engine_tracks(void) {
  ha_engine_config cfg = ha_engine_config_default();
  cfg.max_tracks = 4;
  cfg.max_animations = 2;
  ha_engine *e = NULL;
  ha_error err;
  CHECK_OK(ha_engine_create(&cfg, &e, &err));
  for (uint32_t id = 1; id <= 4; id++) {
    CHECK_OK(ha_engine_track_add(e, id, ha_vec3_make((double)id, 0, 0), &err));
  }
  CHECK_INT(ha_engine_track_add(e, 9, ha_vec3_zero(), &err), HA_EEXHAUSTED);
  CHECK_STR(err.message, "tracks exhausted: all 4 in use");
  CHECK_INT(ha_engine_track_add(e, 0, ha_vec3_zero(), &err), HA_EINVAL);

  ha_timing tm = {4.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  const char *a[] = {"radius=1", "direction=counterclockwise", NULL};
  ha_motion *m1 = test_motion("circular", a, &tm);
  ha_motion *m2 = test_motion("linear", NULL, &tm);
  double x[4], y[4], z[4];
  CHECK_INT(ha_engine_evaluate(e, 0.0, x, y, z, 3), HA_ENOBUFS);
  CHECK_OK(ha_engine_evaluate(e, 0.0, x, y, z, 4));
  CHECK_NEAR(x[2], 3.0, 0); /* idle tracks sit at their base */

  /* relative circle on tracks 1 and 2 */
  ha_anim_spec sp = ha_anim_spec_default();
  sp.mode = HA_GROUP_RELATIVE;
  uint32_t t12[2] = {1, 2};
  ha_anim_id an1;
  CHECK_OK(ha_engine_animation_start(e, m1, &sp, t12, 2, 0.0, &an1, &err));
  CHECK_OK(ha_engine_evaluate(e, 1.0, x, y, z, 4));
  /* base + (M − pivot): M(1 s) = (0, 1, 0), pivot = centre = 0 */
  CHECK_NEAR(x[0], 1.0, 1e-12);
  CHECK_NEAR(y[0], 1.0, 1e-12);
  CHECK_NEAR(x[1], 2.0, 1e-12);
  ha_track_info ti;
  CHECK_OK(ha_engine_track_get(e, 1, &ti));
  CHECK_INT(ti.status, HA_TRACK_ANIMATED);
  CHECK_INT(ti.animation, an1);

  /* Last takes precedence: track 2 goes to the linear motion; track 1 stays. */
  uint32_t t2[1] = {2};
  ha_anim_id an2;
  CHECK_OK(ha_engine_animation_start(e, m2, NULL, t2, 1, 1.0, &an2, &err));
  CHECK_INT(ha_engine_animation_tracks(e, an1), 1);
  CHECK_INT(ha_engine_animation_tracks(e, an2), 1);
  /* Crossfade: at the takeover instant the track has not jumped. */
  CHECK_OK(ha_engine_evaluate(e, 1.0, x, y, z, 4));
  CHECK_NEAR(x[1], 2.0, 1e-12);
  CHECK_NEAR(y[1], 1.0, 1e-12);
  /* After the fade it is on the linear path: t' = 1 s of 4 → x = −5 + 10/4. */
  CHECK_OK(ha_engine_evaluate(e, 2.0, x, y, z, 4));
  CHECK_NEAR(x[1], -2.5, 1e-12);
  ha_engine_stats stats;
  ha_engine_get_stats(e, &stats);
  CHECK_INT(stats.takeovers, 1);

  /* Stop with a fade back to base. */
  CHECK_OK(ha_engine_track_stop(e, 2, 1.0));
  CHECK_OK(ha_engine_evaluate(e, 2.5, x, y, z, 4));
  CHECK(x[1] > -2.5 && x[1] < 2.0);
  CHECK_OK(ha_engine_evaluate(e, 3.0, x, y, z, 4));
  CHECK_NEAR(x[1], 2.0, 1e-12);
  CHECK_INT(ha_engine_animation_tracks(e, an2), 0);

  /* Live update of a running animation blends (no jump). */
  ha_params *p = NULL;
  CHECK_OK(ha_params_create(&p));
  ha_params_set_number(p, "radius", 3);
  CHECK_OK(ha_engine_evaluate(e, 3.0, x, y, z, 4));
  double bx = x[0], by = y[0];
  CHECK_OK(ha_engine_animation_update(e, an1, p, NULL, &err));
  CHECK_OK(ha_engine_evaluate(e, 3.0, x, y, z, 4));
  CHECK_NEAR(x[0], bx, 1e-12);
  CHECK_NEAR(y[0], by, 1e-12);
  ha_params_set_number(p, "radius", -3);
  CHECK_INT(ha_engine_animation_update(e, an1, p, NULL, &err), HA_ERANGE);
  ha_params_destroy(p);

  /* goto in aed takes the shorter azimuth arc. */
  ha_vec3 from = ha_aed_to_xyz(ha_vec3_make(170, 0, 2), HA_AZIMUTH_CLOCKWISE);
  ha_vec3 to = ha_aed_to_xyz(ha_vec3_make(-170, 0, 2), HA_AZIMUTH_CLOCKWISE);
  CHECK_OK(ha_engine_track_goto(e, 3, from, 0.0, HA_EASE_LINEAR, false));
  CHECK_OK(ha_engine_evaluate(e, 3.0, x, y, z, 4)); /* the jump happens here */
  CHECK_NEAR(x[2], from.x, 1e-12);
  CHECK_OK(ha_engine_track_goto(e, 3, to, 2.0, HA_EASE_LINEAR, true));
  CHECK_OK(ha_engine_evaluate(e, 4.0, x, y, z, 4));
  ha_vec3 mid = ha_xyz_to_aed(ha_vec3_make(x[2], y[2], z[2]), HA_AZIMUTH_CLOCKWISE);
  CHECK_NEAR(fabs(mid.x), 180.0, 1e-9);
  CHECK_NEAR(mid.z, 2.0, 1e-12);

  /* Limits: box clamp and speed cap, counted. */
  ha_limits lim = {true, {-1, -1, -1}, {1, 1, 1}, 0.0};
  CHECK_OK(ha_engine_set_limits(e, &lim, &err));
  CHECK_OK(ha_engine_evaluate(e, 4.5, x, y, z, 4));
  for (int i = 0; i < 4; i++) {
    CHECK(x[i] <= 1 && x[i] >= -1 && y[i] <= 1 && y[i] >= -1);
  }
  ha_engine_get_stats(e, &stats);
  CHECK(stats.clamps_box > 0);
  lim.box_min = ha_vec3_make(2, 0, 0);
  CHECK_INT(ha_engine_set_limits(e, &lim, &err), HA_EINVAL);
  ha_limits cap = {false, {0, 0, 0}, {0, 0, 0}, 1.0};
  CHECK_OK(ha_engine_set_limits(e, &cap, &err));
  CHECK_OK(ha_engine_track_goto(e, 4, ha_vec3_make(50, 0, 0), 0.0, HA_EASE_LINEAR, false));
  CHECK_OK(ha_engine_evaluate(e, 5.0, x, y, z, 4));
  CHECK_NEAR(x[3], 1.0 + 0.5, 1e-9); /* moved at most 1 m/s · 0.5 s from the clamp at 1 */
  ha_engine_get_stats(e, &stats);
  CHECK(stats.clamps_speed > 0);
  CHECK_INT(stats.nan_guards, 0);

  CHECK_OK(ha_engine_track_remove(e, 1));
  CHECK_INT(ha_engine_track_count(e), 3);
  CHECK_INT(ha_engine_animation_tracks(e, an1), 0);
  ha_motion_destroy(m1);
  ha_motion_destroy(m2);
  ha_engine_destroy(e);
}

static void test_engine_fade_in(void) {
  ha_engine *e = NULL;
  CHECK_OK(ha_engine_create(NULL, &e, NULL));
  CHECK_OK(ha_engine_track_add(e, 1, ha_vec3_make(0, 0, 0), NULL));
  ha_timing tm = {4.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  const char *a[] = {"radius=3", NULL};
  ha_motion *m = test_motion("circular", a, &tm);
  ha_anim_spec sp = ha_anim_spec_default();
  sp.fade_in = 1.0;
  double x, y, z;
  CHECK_OK(ha_engine_evaluate(e, 0.0, &x, &y, &z, 1));
  CHECK_OK(ha_engine_animation_start(e, m, &sp, (uint32_t[]){1}, 1, 0.0, NULL, NULL));
  CHECK_OK(ha_engine_evaluate(e, 0.0, &x, &y, &z, 1));
  CHECK_NEAR(x, 0.0, 1e-12); /* no jump onto the circle at (3, 0, 0) */
  CHECK_OK(ha_engine_evaluate(e, 0.5, &x, &y, &z, 1));
  CHECK(x > 0.1 && x < 3.0);
  CHECK_OK(ha_engine_evaluate(e, 1.5, &x, &y, &z, 1));
  ha_vec3 on = ha_motion_eval(m, 1.5, NULL);
  CHECK_NEAR(x, on.x, 1e-12);
  CHECK_NEAR(y, on.y, 1e-12);
  sp.fade_in = -1;
  ha_error err;
  CHECK_INT(ha_engine_animation_start(e, m, &sp, (uint32_t[]){1}, 1, 0.0, NULL, &err), HA_ERANGE);
  CHECK_STR(err.name, "fadeIn");
  ha_engine_destroy(e);
  ha_motion_destroy(m);
}

/* ha_parse_double: strictly decimal, no spaces either side, finite only. */
static void test_parse_double(void) {
  static const struct {
    const char *text;
    double want;
  } good[] = {{"3", 3},  {"-0.25", -0.25}, {"+7", 7},         {".5", 0.5},
              {"5.", 5}, {"1e3", 1000},    {"2.5E-2", 0.025}, {"1e-300", 1e-300}};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    double v = -1;
    CHECK_MSG(ha_parse_double(good[i].text, strlen(good[i].text), &v) == HA_OK, "'%s' refused",
              good[i].text);
    CHECK_NEAR(v, good[i].want, 0.0);
  }
  static const char *const bad[] = {"",      " ",  "0x10", "inf", "nan", "1e400", "3 4",
                                    "3,",    "e5", "1e",   "1e+", "--1", "+",     ".",
                                    "1.2.3", "3x", "0b1",  "١٢",  " 3",  "3 ",    "\t42\n"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    double v = 7;
    CHECK_MSG(ha_parse_double(bad[i], strlen(bad[i]), &v) == HA_EINVAL, "'%s' accepted", bad[i]);
    CHECK_NEAR(v, 7, 0.0); /* untouched */
  }
  /* n bounds the text: "12" of "123" */
  double v = 0;
  CHECK_OK(ha_parse_double("123", 2, &v));
  CHECK_NEAR(v, 12, 0.0);
}

int main(void) {
  RUN(test_parse_double);
  RUN(test_engine_fade_in);
  RUN(test_easing);
  RUN(test_time_map);
  RUN(test_shift_wraps);
  RUN(test_clock);
  RUN(test_blend_no_jump);
  RUN(test_velocity);
  RUN(test_group_modes);
  RUN(test_maintain_formation);
  RUN(test_pool);
  RUN(test_engine_seed_api);
  RUN(test_engine_tracks);
  return test_done();
}
