/* The stateful, physics and stochastic models (pendulum, bounce, spring,
 * attract-repel, random, perlin-noise) against references computed here,
 * independently of the library:
 *   pendulum      RK4 at dt = 1e-5 s, and the small-angle analytic solution;
 *   attract-repel the 1 ms step of MODELS.md written out again;
 *   bounce        impact times and apex heights in closed form;
 *   spring        the textbook under-, critically and over-damped formulas;
 *   random/perlin the formulas re-derived from their documented keys, so a
 *                 seed keeps naming the same path across versions.
 * Plus the laws every model here must keep: bit-identical results for equal
 * parameters, with or without a state cache, after backward seeks, in every
 * loop. Randomised orders print their seed. */
#include "holoanim.h"
#include "test.h"

/* ---- helpers ---- */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static ha_motion *make(const char *model, const char *const *assign, double T, ha_loop_mode loop) {
  ha_timing tm = {T, loop, 1.0, HA_SEAM_BLEND};
  return test_motion(model, assign, &tm);
}

static int same_bits(ha_vec3 a, ha_vec3 b) {
  double x[3] = {a.x, a.y, a.z}, y[3] = {b.x, b.y, b.z};
  return memcmp(x, y, sizeof(x)) == 0;
}

/* Absolute distance check (metres), printing both points. */
#define CHECK_POS(got, ex, tol, tau) CHECK_POINT_AT(got, ex, tol, "at tau %.17g", (double)(tau))

static ha_vec3 at(const ha_motion *m, double tau) {
  return ha_motion_eval(m, tau, NULL);
}

/* Frame times of forward play at 60 Hz over [0, T], plus odd times between. */
static size_t play_times(double T, double *t, size_t cap) {
  size_t n = 0;
  for (double x = 0.0; x <= T && n < cap; x += 1.0 / 60.0) {
    t[n++] = x;
    if (n < cap && x + 0.0037 <= T) {
      t[n++] = x + 0.0037;
    }
  }
  if (n < cap) {
    t[n++] = T;
  }
  return n;
}

/* The cache laws on a motion created with `once` timing over [0, T]: play
 * forward with a cache; the same times without a cache, and again in a
 * shuffled order (backward seeks) through the used cache, and through a cache
 * filled by another motion, all give bit-identical positions. */
static void check_cache_laws(const ha_motion *m, const ha_motion *other, double T, uint32_t track,
                             uint64_t seed) {
  enum { CAP = 4096 };
  static double t[CAP];
  static ha_vec3 fw[CAP];
  static size_t order[CAP];
  size_t n = play_times(T, t, CAP);
  ha_motion_state st, st2;
  ha_motion_state_reset(&st);
  ha_track_ctx ctx = {track, 0.0, &st, NULL};
  for (size_t i = 0; i < n; i++) {
    fw[i] = ha_motion_eval(m, t[i], &ctx);
  }
  ha_track_ctx bare = {track, 0.0, NULL, NULL};
  int bad = 0;
  for (size_t i = 0; i < n; i += 7) {
    bad += !same_bits(ha_motion_eval(m, t[i], &bare), fw[i]);
  }
  CHECK_MSG(bad == 0, "%d positions differ without a cache", bad);
  printf("  shuffle seed %llu\n", (unsigned long long)seed);
  for (size_t i = 0; i < n; i++) {
    order[i] = i;
  }
  for (size_t i = n - 1; i > 0; i--) {
    size_t j = (size_t)(ha_t_rand(&seed) % (i + 1));
    size_t s = order[i];
    order[i] = order[j];
    order[j] = s;
  }
  bad = 0;
  size_t visits = n < 600 ? n : 600;
  for (size_t i = 0; i < visits; i++) {
    bad += !same_bits(ha_motion_eval(m, t[order[i]], &ctx), fw[order[i]]);
  }
  CHECK_MSG(bad == 0, "%d positions differ after backward seeks", bad);
  /* A cache filled by another motion is not reused. */
  ha_motion_state_reset(&st2);
  ha_track_ctx octx = {track, 0.0, &st2, NULL};
  (void)ha_motion_eval(other, T * 0.9, &octx);
  bad = 0;
  for (size_t i = 0; i < n; i += n / 13 + 1) {
    bad += !same_bits(ha_motion_eval(m, t[i], &octx), fw[i]);
  }
  CHECK_MSG(bad == 0, "%d positions differ through a foreign cache", bad);
}

/* ---- pendulum ---- */

static void pend_rhs(double w2, double c, const double y[2], double out[2]) {
  out[0] = y[1];
  out[1] = -w2 * sin(y[0]) - c * y[1];
}

/* θ at the sorted times `taus` by RK4 with steps ≤ 1e-5 s. */
static void pend_ref(double L, double deg, double c, double g, const double *taus, size_t n,
                     double *theta) {
  double y[2] = {deg * HA_PI / 180.0, 0.0}, t = 0.0, w2 = g / L;
  for (size_t i = 0; i < n; i++) {
    double span = taus[i] - t;
    long steps = (long)ceil(span / 1e-5);
    double h = steps > 0 ? span / (double)steps : 0.0;
    for (long s = 0; s < steps; s++) {
      double k1[2], k2[2], k3[2], k4[2], tmp[2];
      pend_rhs(w2, c, y, k1);
      for (int j = 0; j < 2; j++)
        tmp[j] = y[j] + h / 2 * k1[j];
      pend_rhs(w2, c, tmp, k2);
      for (int j = 0; j < 2; j++)
        tmp[j] = y[j] + h / 2 * k2[j];
      pend_rhs(w2, c, tmp, k3);
      for (int j = 0; j < 2; j++)
        tmp[j] = y[j] + h * k3[j];
      pend_rhs(w2, c, tmp, k4);
      for (int j = 0; j < 2; j++)
        y[j] += h / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
    }
    t = taus[i];
    theta[i] = y[0];
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static ha_vec3 pend_pos(ha_vec3 a, double L, double th, int plane) {
  double u = L * sin(th), v = -L * cos(th);
  switch (plane) {
  case 0: return ha_vec3_make(a.x + u, a.y + v, a.z);  /* xy */
  case 1: return ha_vec3_make(a.x + u, a.y, a.z + v);  /* xz */
  default: return ha_vec3_make(a.x, a.y + u, a.z + v); /* yz */
  }
}

static void test_pendulum_vs_rk4(void) {
  struct {
    double ax, ay, az, L, deg, c, g, T;
    int plane;
  } cases[] = {
      {0, 0, 5, 3, 45, 0.02, 9.81, 10, 1},    /* MODELS.md defaults, xz */
      {1, -2, 4, 1.5, -120, 0.5, 3.7, 12, 2}, /* yz, heavy damping */
      {0, 0, 0, 0.5, 170, 0, 20, 6, 0},       /* xy, near the top, undamped */
  };
  const char *planes[] = {"xy", "xz", "yz"};
  for (size_t c = 0; c < NELEM(cases); c++) {
    char a[6][80];
    snprintf(a[0], 80, "anchorPoint=%g,%g,%g", cases[c].ax, cases[c].ay, cases[c].az);
    snprintf(a[1], 80, "length=%g", cases[c].L);
    snprintf(a[2], 80, "initialAngle=%g", cases[c].deg);
    snprintf(a[3], 80, "damping=%g", cases[c].c);
    snprintf(a[4], 80, "gravity=%g", cases[c].g);
    snprintf(a[5], 80, "plane=%s", planes[cases[c].plane]);
    const char *as[] = {a[0], a[1], a[2], a[3], a[4], a[5], NULL};
    ha_motion *m = make("pendulum", as, cases[c].T, HA_LOOP_ONCE);
    double T = cases[c].T;
    double taus[] = {0,   0.0004, 0.001,  0.0217, 0.5,       1.2345,
                     2.5, 3.3333, 5.0005, T / 2,  T * 0.999, T};
    double th[NELEM(taus)];
    qsort(taus, NELEM(taus), sizeof(double), cmp_double);
    pend_ref(cases[c].L, cases[c].deg, cases[c].c, cases[c].g, taus, NELEM(taus), th);
    ha_vec3 anchor = ha_vec3_make(cases[c].ax, cases[c].ay, cases[c].az);
    for (size_t i = 0; i < NELEM(taus); i++) {
      CHECK_POS(at(m, taus[i]), pend_pos(anchor, cases[c].L, th[i], cases[c].plane), 1e-4, taus[i]);
    }
    /* The default plane is xz. */
    if (c == 0) {
      ha_motion *d = make("pendulum", NULL, T, HA_LOOP_ONCE);
      CHECK(same_bits(at(d, 3.21), at(m, 3.21)));
      ha_motion_destroy(d);
    }
    ha_motion_destroy(m);
  }
}

static void test_pendulum_small_angle(void) {
  /* θ0 = 0.5°: the nonlinear frequency shift (θ0²/16) moves the phase by
   * < 1e-4 rad over 10 s, far below the tolerance. */
  const double L = 2, g = 9.81, c = 0.1, th0 = 0.5 * HA_PI / 180;
  const char *a[] = {
      "anchorPoint=0,0,3", "length=2", "initialAngle=0.5", "damping=0.1", "gravity=9.81",
      "plane=xz",          NULL};
  ha_motion *m = make("pendulum", a, 10, HA_LOOP_ONCE);
  double wd = sqrt(g / L - c * c / 4);
  for (double tau = 0; tau <= 10; tau += 0.25) {
    double th = th0 * exp(-c * tau / 2) * (cos(wd * tau) + c / (2 * wd) * sin(wd * tau));
    CHECK_POS(at(m, tau), ha_vec3_make(L * sin(th), 0, 3 - L * cos(th)), 1e-4, tau);
  }
  ha_motion_destroy(m);
}

/* θ at the sorted times `taus` exactly as the model defines it: RK4 on the
 * grid t_k = k·1 ms from 0, then one partial step to τ, with no fold. */
static void pend_grid(double L, double deg, double c, double g, const double *taus, size_t n,
                      double *theta) {
  double y[2] = {deg * HA_PI / 180.0, 0.0}, w2 = g / L;
  long k = 0;
  for (size_t i = 0; i < n; i++) {
    for (;;) {
      double h = (double)(k + 1) * 1e-3 <= taus[i] ? 1e-3 : taus[i] - (double)k * 1e-3;
      double z[2] = {y[0], y[1]}, k1[2], k2[2], k3[2], k4[2], tmp[2];
      pend_rhs(w2, c, z, k1);
      for (int j = 0; j < 2; j++)
        tmp[j] = z[j] + 0.5 * h * k1[j];
      pend_rhs(w2, c, tmp, k2);
      for (int j = 0; j < 2; j++)
        tmp[j] = z[j] + 0.5 * h * k2[j];
      pend_rhs(w2, c, tmp, k3);
      for (int j = 0; j < 2; j++)
        tmp[j] = z[j] + h * k3[j];
      pend_rhs(w2, c, tmp, k4);
      for (int j = 0; j < 2; j++)
        z[j] += (h / 6.0) * (k1[j] + 2.0 * k2[j] + 2.0 * k3[j] + k4[j]);
      if (h < 1e-3) {
        theta[i] = h > 0.0 ? z[0] : y[0];
        break;
      }
      y[0] = z[0];
      y[1] = z[1];
      k++;
    }
  }
}

static void test_pendulum_folds_match_grid(void) {
  /* The model folds the times after its checkpoint table (settled swing:
   * linear closed form; undamped: τ modulo the period). Against the plain
   * grid integration, long after the fold, the positions stay within tol
   * (metres): 1e-7 in general, 5e-6 for an undamped swing near the top
   * (170°), whose period is the most sensitive to the integrator's drift. */
  struct {
    double L, deg, c, g, T, tol;
  } cases[] = {
      {3, 45, 0.02, 9.81, 1500, 1e-7},   /* defaults: settles at ~700 s */
      {3, 30, 0, 9.81, 3000, 1e-7},      /* undamped */
      {0.5, 170, 0, 9.81, 1200, 5e-6},   /* undamped near the top */
      {10, 90, 0.005, 9.81, 4000, 1e-7}, /* light damping */
      {3, 45, 100, 9.81, 600, 1e-7},     /* over-damped */
      {3, 45, 0.02, 0, 600, 1e-7},       /* no gravity: linear, exact */
      {3, 0.01, 0, 9.81, 600, 1e-7},     /* small from the start */
      {3, -60, 4.0, 12.0, 600, 1e-7},    /* critically damped: c = 2·√(g/L) */
  };
  for (size_t c = 0; c < NELEM(cases); c++) {
    char a[4][80];
    snprintf(a[0], 80, "length=%g", cases[c].L);
    snprintf(a[1], 80, "initialAngle=%g", cases[c].deg);
    snprintf(a[2], 80, "damping=%g", cases[c].c);
    snprintf(a[3], 80, "gravity=%g", cases[c].g);
    const char *as[] = {a[0], a[1], a[2], a[3], NULL};
    double T = cases[c].T;
    ha_motion *m = make("pendulum", as, T, HA_LOOP_PINGPONG);
    double taus[] = {0.3, 7.77, T * 0.25 + 0.0003, T * 0.5, T * 0.77, T * 0.9, T * 0.9991, T};
    double th[NELEM(taus)];
    pend_grid(cases[c].L, cases[c].deg, cases[c].c, cases[c].g, taus, NELEM(taus), th);
    ha_vec3 anchor = ha_vec3_make(0, 0, 5);
    for (size_t i = 0; i < NELEM(taus); i++) {
      ha_vec3 ex = pend_pos(anchor, cases[c].L, th[i], 1);
      CHECK_POS(at(m, taus[i]), ex, cases[c].tol, taus[i]);
      /* Pingpong: the way back passes the same point. */
      CHECK_POS(at(m, 2 * T - taus[i]), ex, cases[c].tol, 2 * T - taus[i]);
    }
    ha_motion_destroy(m);
  }
}

/* Two motions of `model` from the same assignments `a` (10 s, once) agree
 * to the bit, and the cache laws hold against one from `b`. */
static void check_twins_and_cache(const char *model, const char *const *a, const char *const *b,
                                  uint64_t seed) {
  ha_motion *m1 = make(model, a, 10, HA_LOOP_ONCE);
  ha_motion *m2 = make(model, a, 10, HA_LOOP_ONCE);
  ha_motion *o = make(model, b, 10, HA_LOOP_ONCE);
  int bad = 0;
  for (double tau = 0; tau <= 10; tau += 0.0731) {
    bad += !same_bits(at(m1, tau), at(m2, tau));
  }
  CHECK_INT(bad, 0);
  check_cache_laws(m1, o, 10, 0, seed);
  ha_motion_destroy(m1);
  ha_motion_destroy(m2);
  ha_motion_destroy(o);
}

static void test_pendulum_determinism_and_cache(void) {
  const char *a[] = {"length=2.2", "initialAngle=60", "damping=0.05", NULL};
  const char *b[] = {"length=2.2", "initialAngle=61", "damping=0.05", NULL};
  check_twins_and_cache("pendulum", a, b, 20240611);
  /* In a loop the path restarts: τ = t − T·floor(t/T) is exact for these t. */
  ha_motion *lp = make("pendulum", a, 8, HA_LOOP_LOOP);
  ha_motion_state st;
  ha_motion_state_reset(&st);
  ha_track_ctx ctx = {0, 0.0, &st, NULL};
  for (double t = 0; t < 8; t += 0.125) {
    ha_vec3 p0 = ha_motion_eval(lp, t, &ctx);
    ha_vec3 p1 = ha_motion_eval(lp, t + 8, &ctx);
    ha_vec3 p2 = ha_motion_eval(lp, t + 24, &ctx);
    CHECK(same_bits(p0, p1) && same_bits(p0, p2));
  }
  ha_motion_destroy(lp);
}

static void test_pendulum_long_duration(void) {
  /* Deep into a long motion: the cache and a cold start from the nearest
   * checkpoint agree bit for bit. */
  const char *a[] = {"damping=0", "initialAngle=30", NULL};
  ha_motion *m = make("pendulum", a, 700, HA_LOOP_ONCE);
  ha_motion_state st;
  ha_motion_state_reset(&st);
  ha_track_ctx ctx = {0, 0.0, &st, NULL};
  ha_vec3 warm = ha_vec3_zero();
  for (double t = 640; t <= 650.31; t += 0.5) {
    warm = ha_motion_eval(m, t, &ctx);
  }
  ha_vec3 warm2 = ha_motion_eval(m, 650.3125, &ctx);
  CHECK(same_bits(ha_motion_eval(m, 650.3125, NULL), warm2));
  CHECK(same_bits(ha_motion_eval(m, 650.0, NULL), warm));
  /* Undamped: the swing keeps its amplitude (energy) to RK4 accuracy. */
  double th = asin(warm2.x / 3.0);
  double w2 = 9.81 / 3.0;
  ha_vec3 v = ha_motion_velocity(m, 650.3125, NULL);
  double om = hypot(v.x, v.z) / 3.0;
  double e = 0.5 * om * om - w2 * cos(th), e0 = -w2 * cos(30 * HA_PI / 180);
  CHECK_NEAR(e, e0, 1e-2);
  ha_motion_destroy(m);
}

/* ---- bounded evaluation (fixed_step.h) ---- */

/* The documented bound on grid steps per evaluation for duration T:
 * min(128, max(64, ⌈⌊T/dt⌋ / 65535⌉)) (src/core/models/fixed_step.h). */
static double step_bound(double T) {
  double k = floor(T / 1e-3 + 1e-9), s = ceil(k / 65535.0);
  s = s > 128 ? 128 : s;
  return s < 64 ? 64 : s;
}

/* Evaluate `m` through one per-track cache at adversarial animation times
 * (pingpong turns, seeks far ahead, backward steps, random jumps) and return
 * the most grid steps one evaluation took (the cache's diagnostic
 * y[13]). */
static double worst_steps(const ha_motion *m, double T, uint64_t seed) {
  /* Past the bound the verdict is in: stop there (unbounded code is slow). */
  const double stop = step_bound(T);
  ha_motion_state st;
  ha_motion_state_reset(&st);
  ha_track_ctx ctx = {0, 0.0, &st, NULL};
  double worst = 0.0;
  double fixed[] = {0.5,          T * 0.97,     T - 0.01,    T + 0.01, 2 * T - 3.0,
                    2 * T + 0.02, 500000.0,     499999.99,   T * 0.51, T * 0.5,
                    T * 0.49,     T * 0.73,     T * 0.2,     3 * T,    1.0,
                    T - 1e-4,     T * 0.999999, 4 * T + 0.3, T * 0.6,  T * 0.59};
  for (size_t i = 0; i < NELEM(fixed); i++) {
    (void)ha_motion_eval(m, fixed[i], &ctx);
    worst = fmax(worst, st.y[13]);
    if (worst > stop) {
      return worst;
    }
  }
  /* Backward play in 10 ms steps from deep into the motion. */
  for (double t = T * 0.9; t > T * 0.9 - 2.0; t -= 0.01) {
    (void)ha_motion_eval(m, t, &ctx);
    worst = fmax(worst, st.y[13]);
    if (worst > stop) {
      return worst;
    }
  }
  printf("  jump seed %llu\n", (unsigned long long)seed);
  for (int i = 0; i < 300; i++) {
    double t = (double)(ha_t_rand(&seed) % 1000000) * 1e-6 * 5.0 * T;
    (void)ha_motion_eval(m, t, &ctx);
    worst = fmax(worst, st.y[13]);
    if (worst > stop) {
      return worst;
    }
  }
  return worst;
}

static void test_bounded_steps(void) {
  const char *pend[] = {"damping=0.02", "initialAngle=70", NULL};
  const char *ar[] = {"damping=0.1", NULL};
  const char *models[] = {"pendulum", "attract-repel"};
  const char *const *params[] = {pend, ar};
  double durations[] = {1200.0, 5000.0};
  ha_loop_mode loops[] = {HA_LOOP_PINGPONG, HA_LOOP_LOOP, HA_LOOP_ONCE};
  for (size_t mi = 0; mi < NELEM(models); mi++) {
    for (size_t di = 0; di < NELEM(durations); di++) {
      for (size_t li = 0; li < NELEM(loops); li++) {
        double T = durations[di];
        ha_motion *m = make(models[mi], params[mi], T, loops[li]);
        double w = worst_steps(m, T, 1000u + mi * 10u + di * 3u + li);
        CHECK_MSG(w <= step_bound(T) && w > 0.0,
                  "%s T=%g loop %d: %g steps in one evaluation (bound %g)", models[mi], T,
                  (int)loops[li], w, step_bound(T));
        ha_motion_destroy(m);
      }
    }
  }
  /* The longest duration: the pendulum's table ends at its fold (settled, or
   * one undamped period), so the bound stays 64 steps. */
  const char *und[] = {"damping=0", "initialAngle=120", NULL};
  const char *const *longp[] = {pend, und};
  for (size_t i = 0; i < NELEM(longp); i++) {
    ha_motion *m = make("pendulum", longp[i], 1e6, HA_LOOP_PINGPONG);
    double w = worst_steps(m, 1e6, 2000u + i);
    CHECK_MSG(w <= 64.0, "pendulum T=1e6 (%zu): %g steps in one evaluation", i, w);
    ha_motion_destroy(m);
  }
}

/* ---- attract-repel ---- */

typedef struct ar_params {
  double start[3], target[3], strength, radius, vmax, damping;
} ar_params;

/* One step exactly as MODELS.md writes it. */
static void ar_step(const ar_params *p, double x[3], double v[3]) {
  const double dt = 0.001;
  double d[3], len = 0;
  for (int i = 0; i < 3; i++) {
    d[i] = p->target[i] - x[i];
    len += d[i] * d[i];
  }
  len = sqrt(len);
  double mag = len < p->radius ? -2.0 * p->strength : p->strength;
  for (int i = 0; i < 3; i++) {
    double unit = len > 0 ? d[i] / len : 0.0;
    v[i] = (v[i] + mag * unit * dt) * (1.0 - p->damping * dt);
  }
  double sp = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  if (sp > p->vmax) {
    for (int i = 0; i < 3; i++)
      v[i] *= p->vmax / sp;
  }
  for (int i = 0; i < 3; i++)
    x[i] += v[i] * dt;
}

/* Position at τ: grid state k (k·dt ≤ τ), lerped toward state k + 1. */
static ha_vec3 ar_ref(const ar_params *p, double tau) {
  double x[3] = {p->start[0], p->start[1], p->start[2]}, v[3] = {0, 0, 0};
  long k = 0;
  while ((double)(k + 1) * 0.001 <= tau) {
    k++;
  }
  for (long i = 0; i < k; i++) {
    ar_step(p, x, v);
  }
  double w = (tau - (double)k * 0.001) / 0.001;
  double x1[3] = {x[0], x[1], x[2]}, v1[3] = {v[0], v[1], v[2]};
  ar_step(p, x1, v1);
  return ha_vec3_make(x[0] + (x1[0] - x[0]) * w, x[1] + (x1[1] - x[1]) * w,
                      x[2] + (x1[2] - x[2]) * w);
}

static void test_attract_repel_vs_step(void) {
  ar_params cases[] = {
      {{5, 5, 5}, {0, 0, 0}, 5, 1, 10, 0},   /* MODELS.md defaults */
      {{-4, 1, 2}, {1, 1, 1}, 8, 2, 3, 0.5}, /* speed-capped, damped */
      {{0.2, 0, 0}, {0, 0, 0}, 2, 1, 10, 0}, /* starts inside the radius */
      {{1, 2, 3}, {1, 2, 3}, 5, 1, 10, 0.1}, /* starts on the target */
  };
  for (size_t c = 0; c < NELEM(cases); c++) {
    const ar_params *p = &cases[c];
    char a[6][96];
    snprintf(a[0], 96, "startPosition=%g,%g,%g", p->start[0], p->start[1], p->start[2]);
    snprintf(a[1], 96, "targetPosition=%g,%g,%g", p->target[0], p->target[1], p->target[2]);
    snprintf(a[2], 96, "attractionStrength=%g", p->strength);
    snprintf(a[3], 96, "repulsionRadius=%g", p->radius);
    snprintf(a[4], 96, "maxSpeed=%g", p->vmax);
    snprintf(a[5], 96, "damping=%g", p->damping);
    const char *as[] = {a[0], a[1], a[2], a[3], a[4], a[5], NULL};
    ha_motion *m = make("attract-repel", as, 12, HA_LOOP_ONCE);
    double taus[] = {0, 0.0005, 0.001, 0.0015, 0.0333, 0.1, 1.00049, 2.5, 4.321, 7.77, 12};
    for (size_t i = 0; i < NELEM(taus); i++) {
      CHECK_POS(at(m, taus[i]), ar_ref(p, taus[i]), 1e-9, taus[i]);
    }
    ha_vec3 s = ha_vec3_make(p->start[0], p->start[1], p->start[2]);
    CHECK(same_bits(at(m, 0), s));
    if (c == 2) {
      CHECK(at(m, 0.1).x > 0.2); /* pushed outward first */
    }
    if (c == 3) {
      CHECK(same_bits(at(m, 7.77), s)); /* unit(0) = 0: no force on the target */
    }
    if (c == 1) {
      /* Never faster than maxSpeed (grid positions 1 ms apart). */
      double fastest = 0;
      for (double tau = 0; tau < 5; tau += 0.001) {
        double d = ha_vec3_dist(at(m, tau), at(m, tau + 0.001)) / 0.001;
        fastest = d > fastest ? d : fastest;
      }
      CHECK(fastest <= 3 * (1 + 1e-6));
      CHECK(fastest > 2.9);
    }
    ha_motion_destroy(m);
  }
}

static void test_attract_repel_long(void) {
  /* A 25-minute pingpong motion, far past the old 600 s table, on the way
   * out and back, through one cache jumping around: the plain step from 0. */
  ar_params p = {{5, 5, 5}, {0, 0, 0}, 5, 1, 10, 0.05};
  const char *as[] = {"damping=0.05", NULL};
  ha_motion *m = make("attract-repel", as, 1500, HA_LOOP_PINGPONG);
  ha_motion_state st;
  ha_motion_state_reset(&st);
  ha_track_ctx ctx = {0, 0.0, &st, NULL};
  double taus[] = {1234.5678, 1499.9995, 700.25, 1000.0};
  for (size_t i = 0; i < NELEM(taus); i++) {
    ha_vec3 ex = ar_ref(&p, taus[i]);
    CHECK_POS(ha_motion_eval(m, taus[i], &ctx), ex, 1e-9, taus[i]);
    CHECK_POS(ha_motion_eval(m, 3000.0 - taus[i], &ctx), ex, 1e-9, 3000.0 - taus[i]);
  }
  ha_motion_destroy(m);
}

static void test_attract_repel_determinism_and_cache(void) {
  const char *a[] = {"startPosition=3,-2,1", "targetPosition=0,0,1", "repulsionRadius=1.5",
                     "damping=0.3", NULL};
  const char *b[] = {"startPosition=3,-2,1", "targetPosition=0,0,1", "repulsionRadius=1.5",
                     "damping=0.4", NULL};
  check_twins_and_cache("attract-repel", a, b, 77);
  /* Pingpong plays backward through the cache. */
  ha_motion *pp = make("attract-repel", a, 4, HA_LOOP_PINGPONG);
  ha_motion_state st;
  ha_motion_state_reset(&st);
  ha_track_ctx ctx = {0, 0.0, &st, NULL};
  int bad = 0;
  for (double t = 0; t < 4; t += 1.0 / 64) {
    ha_vec3 fw = ha_motion_eval(pp, t, &ctx);
    ha_vec3 bw = ha_motion_eval(pp, 8 - t, &ctx);
    bad += !same_bits(fw, bw) || !same_bits(fw, ha_motion_eval(pp, t, NULL));
  }
  CHECK_INT(bad, 0);
  ha_motion_destroy(pp);
}

/* ---- bounce ---- */

static void test_bounce_analytic(void) {
  const double cx = 1, cy = 2, h = 5, ground = -0.5, b = 0.7, g = 9.81, dpb = 0.1;
  const char *a[] = {"center=1,2,3",
                     "startHeight=5",
                     "groundLevel=-0.5",
                     "bounciness=0.7",
                     "gravity=9.81",
                     "dampingPerBounce=0.1",
                     NULL};
  ha_motion *m = make("bounce", a, 20, HA_LOOP_ONCE);
  double h0 = h - ground;
  double tdrop = sqrt(2 * h0 / g);
  CHECK_POS(at(m, 0), ha_vec3_make(cx, cy, h), 1e-12, 0.0);
  CHECK_POS(at(m, tdrop / 2), ha_vec3_make(cx, cy, h - g * tdrop * tdrop / 8), 1e-9, tdrop / 2);
  /* Walk the flights: impact i at t_i, apex of flight i at t_i + v_i/g. */
  double t = tdrop, v = sqrt(2 * g * h0);
  int flights = 0;
  for (int i = 1; i <= 100; i++) {
    v = v * b * pow(1 - dpb, i - 1);
    if (v < 0.01) {
      break;
    }
    CHECK_POS(at(m, t), ha_vec3_make(cx, cy, ground), 1e-9, t);
    double apex = t + v / g;
    CHECK_POS(at(m, apex), ha_vec3_make(cx, cy, ground + v * v / (2 * g)), 1e-9, apex);
    double q = t + 0.3 * (2 * v / g);
    double zq = ground + v * (q - t) - g * (q - t) * (q - t) / 2;
    CHECK_POS(at(m, q), ha_vec3_make(cx, cy, zq), 1e-9, q);
    t += 2 * v / g;
    flights++;
  }
  CHECK(flights == 8); /* v_9 ≈ 0.009 m/s < 0.01 */
  /* At rest from the last impact on, exactly on the ground. */
  for (double r = t + 1e-9; r <= 20; r += 0.01) {
    CHECK_NEAR(at(m, r).z, ground, 0);
  }
  /* Never below the floor. */
  double lowest = 1e9;
  for (double r = 0; r <= 20; r += 0.0007) {
    double z = at(m, r).z;
    lowest = z < lowest ? z : lowest;
  }
  CHECK(lowest >= ground);
  ha_motion_destroy(m);
}

static void test_bounce_edges(void) {
  /* Perfectly elastic: 100 bounces to full height, then rest. */
  const char *a[] = {"startHeight=1", "groundLevel=-1", "bounciness=1", "dampingPerBounce=0", NULL};
  ha_motion *m = make("bounce", a, 300, HA_LOOP_ONCE);
  double g = 9.81, tdrop = sqrt(2 * 2 / g), fl = 2 * sqrt(2 * g * 2) / g;
  CHECK_NEAR(at(m, tdrop + 99.5 * fl).z, 1, 1e-6);
  CHECK_NEAR(at(m, tdrop + 100 * fl + 0.01).z, -1, 0);
  CHECK_NEAR(at(m, 299).z, -1, 0);
  ha_motion_destroy(m);
  /* Dropped from the floor: rests. No bounciness: one drop. */
  const char *b[] = {"startHeight=2", "groundLevel=2", NULL};
  m = make("bounce", b, 10, HA_LOOP_ONCE);
  for (double r = 0; r <= 10; r += 0.5) {
    CHECK_POS(at(m, r), ha_vec3_make(0, 0, 2), 0, r);
  }
  ha_motion_destroy(m);
  const char *c[] = {"bounciness=0", NULL};
  m = make("bounce", c, 10, HA_LOOP_ONCE);
  CHECK_NEAR(at(m, sqrt(10 / 9.81) + 1e-6).z, 0, 0);
  ha_motion_destroy(m);
  /* The floor above the drop height is out of bounds, clamped to startHeight. */
  ha_error err;
  const char *d[] = {"startHeight=2", "groundLevel=3", NULL};
  CHECK_INT(test_motion_status("bounce", d, &err), HA_ERANGE);
  CHECK_STR(err.name, "groundLevel");
  CHECK_NEAR(err.max, 2, 0);
  ha_recovery rec;
  CHECK_OK(ha_error_recovery(&err, &rec));
  CHECK_NEAR(rec.value, 2, 0);
}

/* ---- spring ---- */

/* Textbook g(t) for m g'' + c g' + k g = 0, g(0) = 1, g'(0) = 0. */
static double spring_ref(double k, double c, double m, double t, int *kind) {
  double w0 = sqrt(k / m), zeta = c / (2 * sqrt(k * m));
  if (fabs(zeta - 1) < 1e-15) {
    *kind = 0;
    return exp(-w0 * t) * (1 + w0 * t);
  }
  if (zeta < 1) {
    *kind = -1;
    double wd = w0 * sqrt(1 - zeta * zeta);
    return exp(-zeta * w0 * t) * (cos(wd * t) + zeta * w0 / wd * sin(wd * t));
  }
  *kind = 1;
  /* Roots r1 = −a + √(a² − ω0²), r2 = −a − √(...), r1 via r1·r2 = ω0². */
  double a = c / (2 * m), s = sqrt(a * a - w0 * w0);
  double r2 = -(a + s), r1 = w0 * w0 / r2;
  return (r2 * exp(r1 * t) - r1 * exp(r2 * t)) / (r2 - r1);
}

static void test_spring_cases(void) {
  struct {
    double k, c, m;
    int kind;
  } cases[] = {
      {10, 0.5, 1, -1}, {250, 3, 2.5, -1}, {4, 4, 1, 0},       {3, 6, 3, 0},
      {4, 10, 1, 1},    {2, 30, 0.5, 1},   {1e5, 0, 1e-3, -1}, {1e-3, 1e5, 1e-3, 1},
  };
  for (size_t i = 0; i < NELEM(cases); i++) {
    char a[5][96];
    snprintf(a[0], 96, "restPosition=1,-2,0.5");
    snprintf(a[1], 96, "initialDisplacement=3,-4,2");
    snprintf(a[2], 96, "stiffness=%.17g", cases[i].k);
    snprintf(a[3], 96, "damping=%.17g", cases[i].c);
    snprintf(a[4], 96, "mass=%.17g", cases[i].m);
    const char *as[] = {a[0], a[1], a[2], a[3], a[4], NULL};
    ha_motion *mo = make("spring", as, 20, HA_LOOP_ONCE);
    for (double t = 0; t <= 20; t += 0.173) {
      int kind = 9;
      double g = spring_ref(cases[i].k, cases[i].c, cases[i].m, t, &kind);
      CHECK_INT(kind, cases[i].kind);
      CHECK_POS(at(mo, t), ha_vec3_make(1 + 3 * g, -2 - 4 * g, 0.5 + 2 * g), 1e-6, t);
    }
    ha_motion_destroy(mo);
  }
  /* Defaults: k 10, c 0.5, m 1, rest 0, displacement (5, 5, 0). */
  ha_motion *d = make("spring", NULL, 10, HA_LOOP_ONCE);
  for (double t = 0; t <= 10; t += 0.31) {
    int kind;
    double g = spring_ref(10, 0.5, 1, t, &kind);
    CHECK_POS(at(d, t), ha_vec3_make(5 * g, 5 * g, 0), 1e-6, t);
  }
  ha_motion_destroy(d);
  /* v2.0 names. */
  const char *old[] = {"springStiffness=4", "dampingCoefficient=4", NULL};
  d = make("spring", old, 10, HA_LOOP_ONCE);
  CHECK_NEAR(at(d, 1).x, 5 * exp(-2.0) * 3, 1e-9);
  ha_motion_destroy(d);
}

static void test_spring_continuity_at_critical(void) {
  /* k = 4, m = 1: c = 4 is critical. Just below and above (both inside and
   * outside the model's band) the response stays on the critical curve. */
  const double eps[] = {-1e-6, -1e-9, -1e-13, 0, 1e-13, 1e-9, 1e-6};
  for (size_t i = 0; i < NELEM(eps); i++) {
    char c[64];
    snprintf(c, sizeof(c), "damping=%.17g", 4 * (1 + eps[i]));
    const char *as[] = {"stiffness=4", "mass=1", "initialDisplacement=5,0,0", c, NULL};
    ha_motion *m = make("spring", as, 20, HA_LOOP_ONCE);
    for (double t = 0; t <= 20; t += 0.0917) {
      /* The true response leaves the critical curve by O(ε): ~2e-6 m at 1e-6. */
      double crit = 5 * exp(-2 * t) * (1 + 2 * t);
      if (fabs(eps[i]) <= 1e-9) {
        CHECK_POS(at(m, t), ha_vec3_make(crit, 0, 0), 1e-7, t);
      }
      if (fabs(eps[i]) >= 1e-9) {
        int kind;
        double g = spring_ref(4, 4 * (1 + eps[i]), 1, t, &kind);
        CHECK_POS(at(m, t), ha_vec3_make(5 * g, 0, 0), 1e-6, t);
      }
    }
    ha_motion_destroy(m);
  }
  /* No spring, no damping: stays displaced. */
  const char *z[] = {"stiffness=0", "damping=0", NULL};
  ha_motion *m = make("spring", z, 10, HA_LOOP_ONCE);
  CHECK_POS(at(m, 7.3), ha_vec3_make(5, 5, 0), 0, 7.3);
  ha_motion_destroy(m);
}

/* ---- random ---- */

/* The documented key derivation (src/models/noise.h), written out again. */
static uint64_t ref_fmix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}
static uint64_t ref_hash(uint64_t seed, uint64_t a, uint64_t b, uint64_t c) {
  uint64_t h = ref_fmix(seed + 0x9e3779b97f4a7c15ull);
  h = ref_fmix(h ^ (a + 0xd1b54a32d192ed03ull));
  h = ref_fmix(h ^ (b + 0xaf251af3b0f025b5ull));
  return ref_fmix(h ^ (c + 0x8cb92ba72f3d8dd7ull));
}
static double ref_u01(uint64_t h) {
  return ldexp((double)(h >> 11), -53);
}

typedef struct rnd_params {
  double c[3], b[3], f, s;
  uint64_t seed;
} rnd_params;

static ha_vec3 random_ref(const rnd_params *p, uint32_t track, double tau) {
  double x = tau * p->f;
  double k = floor(x), w = x - k;
  double hw = (1 - p->s) * w + p->s * (3 * w * w - 2 * w * w * w);
  double out[3];
  for (int a = 0; a < 3; a++) {
    double u0 = 2 * ref_u01(ref_hash(p->seed, track, (uint64_t)a, (uint64_t)(int64_t)k)) - 1;
    double u1 = 2 * ref_u01(ref_hash(p->seed, track, (uint64_t)a, (uint64_t)(int64_t)k + 1)) - 1;
    double p0 = p->c[a] + p->b[a] * u0, p1 = p->c[a] + p->b[a] * u1;
    out[a] = p0 + (p1 - p0) * hw;
  }
  return ha_vec3_make(out[0], out[1], out[2]);
}

static ha_motion *make_random(const rnd_params *p, double T, ha_loop_mode loop) {
  char a[7][96];
  snprintf(a[0], 96, "center=%g,%g,%g", p->c[0], p->c[1], p->c[2]);
  snprintf(a[1], 96, "boundsX=%g", p->b[0]);
  snprintf(a[2], 96, "boundsY=%g", p->b[1]);
  snprintf(a[3], 96, "boundsZ=%g", p->b[2]);
  snprintf(a[4], 96, "updateFrequency=%g", p->f);
  snprintf(a[5], 96, "smoothness=%g", p->s);
  snprintf(a[6], 96, "seed=%llu", (unsigned long long)p->seed);
  const char *as[] = {a[0], a[1], a[2], a[3], a[4], a[5], a[6], NULL};
  return make("random", as, T, loop);
}

static void test_random_formula(void) {
  rnd_params cases[] = {
      {{0, 0, 0}, {5, 5, 2}, 10, 0.5, 0}, /* MODELS.md defaults */
      {{1, -2, 3}, {3, 0.5, 0}, 2.5, 1, 12345},
      {{0, 0, 1}, {1, 2, 3}, 0.37, 0, 4294967295ull},
  };
  uint32_t tracks[] = {0, 7, 3};
  for (size_t c = 0; c < NELEM(cases); c++) {
    ha_motion *m = make_random(&cases[c], 30, HA_LOOP_ONCE);
    ha_track_ctx ctx = {tracks[c], 0.0, NULL, NULL};
    for (double tau = 0; tau <= 30; tau += 0.0371) {
      CHECK_POS(ha_motion_eval(m, tau, &ctx), random_ref(&cases[c], tracks[c], tau), 1e-9, tau);
    }
    ha_motion_destroy(m);
  }
  ha_motion *d = make("random", NULL, 10, HA_LOOP_ONCE);
  CHECK_POS(at(d, 3.33), random_ref(&cases[0], 0, 3.33), 1e-9, 3.33);
  ha_motion_destroy(d);
}

static void test_random_statistics(void) {
  /* Waypoints fill the box: inside it, near its faces, centred on average. */
  rnd_params p = {{1, 2, 3}, {4, 2, 0.5}, 4, 0.5, 99};
  ha_motion *m = make_random(&p, 1000, HA_LOOP_ONCE);
  double lo[3] = {1e9, 1e9, 1e9}, hi[3] = {-1e9, -1e9, -1e9}, sum[3] = {0, 0, 0};
  const int n = 3000;
  for (int k = 0; k < n; k++) {
    ha_vec3 q = at(m, k / 4.0); /* τ·f = k exactly: waypoint k */
    double v[3] = {q.x - 1, q.y - 2, q.z - 3};
    for (int a = 0; a < 3; a++) {
      lo[a] = v[a] < lo[a] ? v[a] : lo[a];
      hi[a] = v[a] > hi[a] ? v[a] : hi[a];
      sum[a] += v[a];
    }
  }
  for (int a = 0; a < 3; a++) {
    CHECK(lo[a] >= -p.b[a] && hi[a] <= p.b[a]);
    CHECK(lo[a] < -0.99 * p.b[a] && hi[a] > 0.99 * p.b[a]);
    CHECK(fabs(sum[a] / n) < 0.06 * p.b[a]); /* σ of the mean ≈ 0.0105·b */
  }
  ha_motion_destroy(m);
  /* smoothness 1: no velocity at a waypoint; 0: constant speed in between. */
  rnd_params s1 = {{0, 0, 0}, {5, 5, 5}, 2, 1, 5}, s0 = {{0, 0, 0}, {5, 5, 5}, 2, 0, 5};
  ha_motion *m1 = make_random(&s1, 10, HA_LOOP_ONCE), *m0 = make_random(&s0, 10, HA_LOOP_ONCE);
  CHECK(ha_vec3_dist(at(m1, 1.5 - 1e-4), at(m1, 1.5 + 1e-4)) < 1e-5);
  ha_vec3 q0 = at(m0, 1.0), q1 = at(m0, 1.25), q2 = at(m0, 1.5 - 1e-12);
  CHECK_POS(q1, ha_vec3_lerp(q0, q2, 0.5), 1e-9, 1.25);
  ha_motion_destroy(m1);
  ha_motion_destroy(m0);
}

static void test_random_determinism(void) {
  rnd_params p = {{0, 0, 0}, {5, 5, 2}, 3, 0.5, 42}, q = p;
  q.seed = 43;
  ha_motion *m1 = make_random(&p, 8, HA_LOOP_LOOP), *m2 = make_random(&p, 8, HA_LOOP_LOOP);
  ha_motion *o = make_random(&q, 8, HA_LOOP_LOOP);
  int same = 0, diff_seed = 0, diff_track = 0, loops = 0, total = 0;
  ha_track_ctx t5 = {5, 0.0, NULL, NULL};
  for (double t = 0; t < 8; t += 1.0 / 64) {
    ha_vec3 a = at(m1, t);
    same += same_bits(a, at(m2, t));
    diff_seed += ha_vec3_dist(a, at(o, t)) > 1e-3;
    diff_track += ha_vec3_dist(a, ha_motion_eval(m1, t, &t5)) > 1e-3;
    /* Dyadic t and T: τ wraps exactly, so every loop is bit-identical. */
    loops += same_bits(a, at(m1, t + 8)) && same_bits(a, at(m1, t + 800));
    total++;
  }
  CHECK_INT(same, total);
  CHECK_INT(loops, total);
  CHECK(diff_seed > total * 9 / 10);
  CHECK(diff_track > total * 9 / 10);
  ha_motion_destroy(m1);
  ha_motion_destroy(m2);
  ha_motion_destroy(o);
  /* seed is a whole number in [0, 2^32 − 1]. */
  ha_error err;
  const char *neg[] = {"seed=-1", NULL}, *frac[] = {"seed=1.5", NULL};
  CHECK_INT(test_motion_status("random", neg, &err), HA_ERANGE);
  CHECK_INT(test_motion_status("random", frac, &err), HA_EINVAL);
  CHECK_STR(err.name, "seed");
}

/* ---- perlin-noise ---- */

typedef struct prl_params {
  double c[3], scale, f, pers;
  int oct;
  uint64_t seed;
} prl_params;

/* 1-D improved Perlin noise in a cell: gradients g0, g1, offset t ∈ [0, 1). */
static double perlin1(double g0, double g1, double t) {
  double fade = 10 * t * t * t - 15 * t * t * t * t + 6 * t * t * t * t * t;
  return (1 - fade) * g0 * t + fade * g1 * (t - 1);
}

static ha_vec3 perlin_ref(const prl_params *p, double tau) {
  double out[3];
  for (int a = 0; a < 3; a++) {
    double sum = 0, norm = 0;
    for (int o = 0; o < p->oct; o++) {
      double phase = ref_u01(ref_hash(p->seed, (uint64_t)a, (uint64_t)(8 + o), 0));
      double x = p->f * pow(2, o) * tau + phase;
      double i = floor(x);
      double g0 =
          2 * ref_u01(ref_hash(p->seed, (uint64_t)a, (uint64_t)o, (uint64_t)(int64_t)i)) - 1;
      double g1 =
          2 * ref_u01(ref_hash(p->seed, (uint64_t)a, (uint64_t)o, (uint64_t)(int64_t)i + 1)) - 1;
      double w = pow(p->pers, o);
      sum += w * perlin1(g0, g1, x - i);
      norm += w;
    }
    out[a] = p->c[a] + p->scale * sum / (0.5 * norm);
  }
  return ha_vec3_make(out[0], out[1], out[2]);
}

static ha_motion *make_perlin(const prl_params *p, double T) {
  char a[6][96];
  snprintf(a[0], 96, "center=%g,%g,%g", p->c[0], p->c[1], p->c[2]);
  snprintf(a[1], 96, "scale=%g", p->scale);
  snprintf(a[2], 96, "frequency=%g", p->f);
  snprintf(a[3], 96, "persistence=%g", p->pers);
  snprintf(a[4], 96, "octaves=%d", p->oct);
  snprintf(a[5], 96, "seed=%llu", (unsigned long long)p->seed);
  const char *as[] = {a[0], a[1], a[2], a[3], a[4], a[5], NULL};
  return make("perlin-noise", as, T, HA_LOOP_ONCE);
}

static void test_perlin_bound_of_1d_noise(void) {
  /* |n| ≤ 1/2 for gradients in [−1, 1], attained at t = 1/2, g0 = −g1 = ±1
   * (the extremes are at the corners of the gradient square: n is linear in
   * each gradient). The model normalises by this bound. */
  double worst = 0;
  for (int i = 0; i <= 100000; i++) {
    double t = i / 100000.0;
    for (int s0 = -1; s0 <= 1; s0 += 2) {
      for (int s1 = -1; s1 <= 1; s1 += 2) {
        double n = fabs(perlin1(s0, s1, t));
        worst = n > worst ? n : worst;
      }
    }
  }
  CHECK(worst <= 0.5 + 1e-15);
  CHECK_NEAR(perlin1(1, -1, 0.5), 0.5, 1e-15);
}

static void test_perlin_formula_and_bounds(void) {
  prl_params cases[] = {
      {{0, 0, 0}, 5, 0.5, 0.5, 3, 0},             /* MODELS.md defaults */
      {{1, -1, 2}, 2, 3, 1, 8, 777},              /* roughest */
      {{0, 0, 0}, 1, 1.7, 0.3, 1, 4294967295ull}, /* one octave: reaches near the bound */
  };
  for (size_t c = 0; c < NELEM(cases); c++) {
    const prl_params *p = &cases[c];
    ha_motion *m = make_perlin(p, 1e4);
    for (double tau = 0; tau <= 50; tau += 0.0173) {
      CHECK_POS(at(m, tau), perlin_ref(p, tau), 1e-9, tau);
    }
    /* 1e5 samples: every axis within ±scale. */
    double worst = 0;
    int out = 0;
    for (int i = 0; i < 100000; i++) {
      double tau = i * 0.0977;
      ha_vec3 q = at(m, tau);
      double e[3] = {fabs(q.x - p->c[0]), fabs(q.y - p->c[1]), fabs(q.z - p->c[2])};
      for (int a = 0; a < 3; a++) {
        out += e[a] > p->scale;
        worst = e[a] > worst ? e[a] : worst;
      }
    }
    CHECK_INT(out, 0);
    CHECK(worst > 0.3 * p->scale); /* it does wander */
    if (p->oct == 1) {
      CHECK(worst > 0.8 * p->scale); /* the normalisation is not loose */
    }
    ha_motion_destroy(m);
  }
  ha_motion *d = make("perlin-noise", NULL, 100, HA_LOOP_ONCE);
  CHECK_POS(at(d, 12.34), perlin_ref(&cases[0], 12.34), 1e-9, 12.34);
  ha_motion_destroy(d);
}

static void test_perlin_velocity_continuous(void) {
  /* Finite-difference velocity 1 ms apart changes by at most the bound on
   * the acceleration times 1 ms: a jump in velocity would show up as a change
   * of order scale·f, tens of times larger. For one octave at frequency
   * f_o: |n''| ≤ max|F''|·1 + 2·max|F'|·2 = 2.887 + 7.5 < 10.4 per lattice
   * unit², times f_o², weighted and normalised like the position. */
  prl_params cases[] = {{{0, 0, 0}, 5, 0.5, 0.5, 3, 3}, {{0, 0, 0}, 2, 2, 1, 5, 9}};
  for (size_t c = 0; c < NELEM(cases); c++) {
    const prl_params *p = &cases[c];
    double accel = 0, norm = 0;
    for (int o = 0; o < p->oct; o++) {
      double fo = p->f * pow(2, o);
      accel += pow(p->pers, o) * fo * fo * 10.4;
      norm += pow(p->pers, o);
    }
    accel *= p->scale / (0.5 * norm);
    ha_motion *m = make_perlin(p, 100);
    const double h = 1e-5, dt = 1e-3;
    ha_vec3 prev = ha_vec3_zero();
    double worst = 0, fastest = 0;
    for (int i = 0; i < 40000; i++) {
      double tau = i * dt;
      ha_vec3 v = ha_vec3_scale(ha_vec3_sub(at(m, tau + h), at(m, tau)), 1 / h);
      if (i > 0) {
        double jump = ha_vec3_dist(v, prev);
        worst = jump > worst ? jump : worst;
      }
      fastest = ha_vec3_len(v) > fastest ? ha_vec3_len(v) : fastest;
      prev = v;
    }
    CHECK_MSG(worst <= accel * dt * 1.05 + 1e-6, "velocity jump %g > %g", worst, accel * dt);
    CHECK(fastest > 1.0); /* it does move (m/s) */
    ha_motion_destroy(m);
  }
}

static void test_perlin_determinism(void) {
  prl_params p = {{0, 0, 0}, 5, 0.5, 0.5, 3, 11}, q = p;
  q.seed = 12;
  ha_motion *m1 = make_perlin(&p, 50), *m2 = make_perlin(&p, 50), *o = make_perlin(&q, 50);
  int same = 0, diff_seed = 0, track_same = 0, total = 0;
  ha_track_ctx t9 = {9, 0.0, NULL, NULL};
  for (double tau = 0; tau <= 50; tau += 0.1) {
    ha_vec3 a = at(m1, tau);
    same += same_bits(a, at(m2, tau));
    diff_seed += ha_vec3_dist(a, at(o, tau)) > 1e-3;
    track_same += same_bits(a, ha_motion_eval(m1, tau, &t9)); /* not per track */
    total++;
  }
  CHECK_INT(same, total);
  CHECK_INT(track_same, total);
  CHECK(diff_seed > total * 9 / 10);
  ha_motion_destroy(m1);
  ha_motion_destroy(m2);
  ha_motion_destroy(o);
}

static void test_perlin_scale_is_amplitude(void) {
  /* `scale` is the model's amplitude (MODELS.md), not also the common frame
   * scale; a frame rotation still turns the path about the centre. */
  prl_params p = {{1, 2, 3}, 4, 0.8, 0.5, 3, 21};
  const char *a[] = {"center=1,2,3", "scale=4",         "frequency=0.8",
                     "seed=21",      "rotation=0,0,90", NULL};
  ha_motion *m = make("perlin-noise", a, 20, HA_LOOP_ONCE);
  for (double tau = 0; tau <= 20; tau += 0.37) {
    ha_vec3 r = perlin_ref(&p, tau);
    ha_vec3 ex = ha_vec3_make(1 - (r.y - 2), 2 + (r.x - 1), r.z); /* Rz(90°) about c */
    CHECK_POS(at(m, tau), ex, 1e-9, tau);
  }
  ha_motion_destroy(m);
}

/* ---- registry facts ---- */

static void test_flags(void) {
  struct {
    const char *name;
    unsigned flags;
  } want[] = {
      {"pendulum", HA_MODEL_ABS_TIME | HA_MODEL_STATEFUL},
      {"attract-repel", HA_MODEL_ABS_TIME | HA_MODEL_STATEFUL},
      {"bounce", HA_MODEL_ABS_TIME},
      {"spring", HA_MODEL_ABS_TIME},
      {"random", HA_MODEL_ABS_TIME | HA_MODEL_PER_TRACK},
      {"perlin-noise", HA_MODEL_ABS_TIME},
  };
  for (size_t i = 0; i < NELEM(want); i++) {
    const ha_model_info *mi = ha_model_find(want[i].name);
    CHECK_MSG(mi != NULL, "%s not registered", want[i].name);
    if (mi != NULL) {
      CHECK_MSG(mi->flags == want[i].flags, "%s flags %u, want %u", want[i].name, mi->flags,
                want[i].flags);
    }
  }
  /* v2.0 name of the pendulum length. */
  const char *a[] = {"pendulumLength=2", "initialAngle=0", NULL};
  ha_motion *m = make("pendulum", a, 10, HA_LOOP_ONCE);
  CHECK_POS(at(m, 3), ha_vec3_make(0, 0, 3), 1e-12, 3.0);
  ha_motion_destroy(m);
}

int main(void) {
  RUN(test_pendulum_vs_rk4);
  RUN(test_pendulum_small_angle);
  RUN(test_pendulum_folds_match_grid);
  RUN(test_pendulum_determinism_and_cache);
  RUN(test_pendulum_long_duration);
  RUN(test_bounded_steps);
  RUN(test_attract_repel_vs_step);
  RUN(test_attract_repel_long);
  RUN(test_attract_repel_determinism_and_cache);
  RUN(test_bounce_analytic);
  RUN(test_bounce_edges);
  RUN(test_spring_cases);
  RUN(test_spring_continuity_at_critical);
  RUN(test_random_formula);
  RUN(test_random_statistics);
  RUN(test_random_determinism);
  RUN(test_perlin_bound_of_1d_noise);
  RUN(test_perlin_formula_and_bounds);
  RUN(test_perlin_velocity_continuous);
  RUN(test_perlin_determinism);
  RUN(test_perlin_scale_is_amplitude);
  RUN(test_flags);
  return test_done();
}
