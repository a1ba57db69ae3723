/* The path models (bezier, catmull-rom, keyframes, pattern) and the public
 * resampler (path.h), against references written out here independently of
 * the library:
 *   bezier       the Bernstein sum; constant speed against a dense polyline;
 *   catmull-rom  the Barry–Goldman pyramid (with the documented time warp),
 *                passage through every point, one-sided tangents at joints;
 *   keyframes    holds, steps and per-segment easings by hand;
 *   pattern      the shapes' vertices at perimeter-proportional fractions;
 *   interpolate  each method, closed variants, every error and ENOBUFS.
 * Randomised point sets print their seed. */
#include "holoanim.h"
#include "test.h"

/* ---- helpers ---- */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A motion from "name=value" assignments plus optional points / keys. */
static ha_motion *make_full(const char *model, const char *const *assign, const char *list_name,
                            const ha_vec3 *pts, size_t npts, const ha_keyframe *keys, size_t nkeys,
                            double T, ha_status want, ha_error *err_out) {
  ha_params *p = test_params(assign);
  ha_error err;
  if (pts != NULL) {
    CHECK_OK(ha_params_set_points(p, list_name, pts, npts));
  }
  if (keys != NULL) {
    CHECK_OK(ha_params_set_keyframes(p, list_name, keys, nkeys));
  }
  ha_timing tm = {T, HA_LOOP_ONCE, 1.0, HA_SEAM_BLEND};
  ha_motion *m = NULL;
  ha_status st = ha_motion_create(model, p, &tm, &m, &err);
  CHECK_MSG(st == want, "create %s: got %d want %d: %s", model, (int)st, (int)want,
            st == HA_OK ? "" : err.message);
  if (err_out != NULL) {
    *err_out = err;
  }
  ha_params_destroy(p);
  if (st != HA_OK) {
    ha_motion_destroy(m);
    return NULL;
  }
  return m;
}

static ha_motion *make(const char *model, const char *const *assign, double T) {
  return make_full(model, assign, NULL, NULL, 0, NULL, 0, T, HA_OK, NULL);
}

/* Position at progress p (duration T, loop once: t = p·T is τ). */
static ha_vec3 at(const ha_motion *m, double T, double p) {
  return ha_motion_eval(m, p * T, NULL);
}

static ha_vec3 v3(double x, double y, double z) {
  return ha_vec3_make(x, y, z);
}
static ha_vec3 add(ha_vec3 a, ha_vec3 b) {
  return v3(a.x + b.x, a.y + b.y, a.z + b.z);
}
static ha_vec3 sub(ha_vec3 a, ha_vec3 b) {
  return v3(a.x - b.x, a.y - b.y, a.z - b.z);
}
static ha_vec3 mul(ha_vec3 a, double s) {
  return v3(a.x * s, a.y * s, a.z * s);
}
static double dist(ha_vec3 a, ha_vec3 b) {
  ha_vec3 d = sub(a, b);
  return sqrt(d.x * d.x + d.y * d.y + d.z * d.z);
}
static double norm(ha_vec3 a) {
  return sqrt(a.x * a.x + a.y * a.y + a.z * a.z);
}
/* (1 − w)a + w b, the affine combination of the pyramid. */
static ha_vec3 mix(ha_vec3 a, ha_vec3 b, double wa, double wb) {
  return add(mul(a, wa), mul(b, wb));
}

/* ---- Bézier ---- */

/* The Bernstein sum Σ C(3, i)(1 − s)^(3 − i) s^i P_i. */
static ha_vec3 bernstein(const ha_vec3 cp[4], double s) {
  static const double binom[4] = {1, 3, 3, 1};
  ha_vec3 r = v3(0, 0, 0);
  for (int i = 0; i < 4; i++) {
    double b = binom[i] * pow(1.0 - s, 3 - i) * pow(s, i);
    r = add(r, mul(cp[i], b));
  }
  return r;
}

static double quad_in_out(double t) {
  return t < 0.5 ? 2.0 * t * t : 1.0 - (-2.0 * t + 2.0) * (-2.0 * t + 2.0) / 2.0;
}

static void test_bezier_bernstein(void) {
  const double T = 8.0;
  {
    ha_motion *m = make("bezier", NULL, T);
    const ha_vec3 cp[4] = {v3(-5, 0, 0), v3(-2, 5, 2), v3(2, 5, -2), v3(5, 0, 0)};
    for (double p = 0.0; p <= 1.0 + 1e-12; p += 0.0625) {
      CHECK_POINT(at(m, T, p), bernstein(cp, p), 1e-9);
    }
    ha_motion_destroy(m);
  }
  {
    const char *a[] = {"start=1,2,3", "control1=4,-1,0",    "control2=0,7,2",
                       "end=-3,-2,6", "easing=quad-in-out", NULL};
    ha_motion *m = make("bezier", a, T);
    const ha_vec3 cp[4] = {v3(1, 2, 3), v3(4, -1, 0), v3(0, 7, 2), v3(-3, -2, 6)};
    for (double p = 0.0; p <= 1.0 + 1e-12; p += 0.05) {
      CHECK_POINT(at(m, T, p), bernstein(cp, quad_in_out(p)), 1e-9);
    }
    /* The pivot is the start: rotation about it keeps the start fixed. */
    ha_vec3 pv = ha_motion_pivot(m);
    CHECK_POINT(pv, cp[0], 0);
    ha_motion_destroy(m);
  }
}

/* References for arc length, independent of the library's quadrature. */
typedef ha_vec3 (*curve_fn)(const void *ctx, double s);

static double polyline_length(curve_fn f, const void *ctx, double s0, double s1, int steps) {
  double L = 0.0;
  ha_vec3 prev = f(ctx, s0);
  for (int i = 1; i <= steps; i++) {
    ha_vec3 q = f(ctx, s0 + (s1 - s0) * i / steps);
    L += dist(prev, q);
    prev = q;
  }
  return L;
}

/* Arc length of f over [s0, s1]: dense polylines of `steps` and 2·steps
 * chords, Richardson-extrapolated (a chord falls short of its arc by
 * O(h²), so (4·L_2n − L_n)/3 is good to O(h⁴)). */
static double dense_length(curve_fn f, const void *ctx, double s0, double s1, int steps) {
  double l1 = polyline_length(f, ctx, s0, s1, steps);
  double l2 = polyline_length(f, ctx, s0, s1, 2 * steps);
  return (4.0 * l2 - l1) / 3.0;
}

static ha_vec3 bern_fn(const void *ctx, double s) {
  return bernstein((const ha_vec3 *)ctx, s);
}

typedef struct motion_ctx {
  const ha_motion *m;
  double T;
} motion_ctx;

static ha_vec3 motion_fn(const void *ctx, double s) {
  const motion_ctx *c = ctx;
  return at(c->m, c->T, s);
}

/* Max over p of |distance travelled(p)/L − target(p)| for a constant-speed
 * motion, measured along a dense polyline of the motion itself; also the
 * relative spread (max − min)/max of the distances travelled in successive
 * equal-p steps (meaningful for target = identity). */
static double speed_error(const ha_motion *m, double T, double (*target)(double), int steps,
                          double *step_spread) {
  motion_ctx c = {m, T};
  double L = dense_length(motion_fn, &c, 0.0, 1.0, 40000);
  double worst = 0.0, acc = 0.0, smin = 1e300, smax = 0.0;
  for (int k = 1; k <= steps; k++) {
    double p0 = (double)(k - 1) / steps, p1 = (double)k / steps;
    double seg = dense_length(motion_fn, &c, p0, p1, 40000 / steps);
    acc += seg;
    double e = fabs(acc / L - target(p1));
    worst = e > worst ? e : worst;
    smin = seg < smin ? seg : smin;
    smax = seg > smax ? seg : smax;
  }
  if (step_spread != NULL) {
    *step_spread = (smax - smin) / smax;
  }
  return worst;
}

static double ident(double p) {
  return p;
}

static void test_bezier_constant_speed(void) {
  const double T = 10.0;
  const char *a[] = {"start=-5,0,0", "control1=-4,8,0",    "control2=5,6,3",
                     "end=5,0,0",    "constantSpeed=true", NULL};
  ha_motion *m = make("bezier", a, T);
  const ha_vec3 cp[4] = {v3(-5, 0, 0), v3(-4, 8, 0), v3(5, 6, 3), v3(5, 0, 0)};
  CHECK_POINT(at(m, T, 0.0), cp[0], 1e-12);
  CHECK_POINT(at(m, T, 1.0), cp[3], 1e-9);
  double spread = 0.0;
  double e = speed_error(m, T, ident, 100, &spread);
  printf("bezier constant speed: max |s/L - p| = %.3g, equal-p step spread = %.3g\n", e, spread);
  CHECK(e < 1e-9);
  CHECK(spread < 0.005);
  /* Every position is on the Bézier, and the Bernstein curve's own arc length
   * up to it is p·L: find t by a coarse search refined by Newton on
   * (B(t) − q)·B'(t) = 0, then measure. */
  double L = dense_length(bern_fn, cp, 0.0, 1.0, 40000);
  for (double p = 0.1; p < 1.0; p += 0.2) {
    ha_vec3 q = at(m, T, p);
    double t = 0.0, best = 1e300;
    for (int i = 0; i <= 1000; i++) {
      double dd = dist(bernstein(cp, i / 1000.0), q);
      if (dd < best) {
        best = dd;
        t = i / 1000.0;
      }
    }
    for (int it = 0; it < 30; it++) {
      double u = 1.0 - t;
      ha_vec3 d1 = add(add(mul(sub(cp[1], cp[0]), 3 * u * u), mul(sub(cp[2], cp[1]), 6 * u * t)),
                       mul(sub(cp[3], cp[2]), 3 * t * t));
      ha_vec3 r = sub(bernstein(cp, t), q);
      t -= ha_vec3_dot(r, d1) / ha_vec3_dot(d1, d1);
    }
    CHECK(dist(bernstein(cp, t), q) < 1e-9);
    CHECK_NEAR(dense_length(bern_fn, cp, 0.0, t, 40000) / L, p, 1e-9);
  }
  ha_motion_destroy(m);

  /* With an easing, distance grows as L·ease(p). */
  const char *b[] = {"start=-5,0,0",
                     "control1=-4,8,0",
                     "control2=5,6,3",
                     "end=5,0,0",
                     "constantSpeed=true",
                     "easing=quad-in-out",
                     NULL};
  m = make("bezier", b, T);
  e = speed_error(m, T, quad_in_out, 50, NULL);
  printf("bezier constant speed + quad-in-out: max |s/L - ease(p)| = %.3g\n", e);
  CHECK(e < 1e-9);
  ha_motion_destroy(m);

  /* An overshooting easing continues along the end tangents, finite. */
  const char *c[] = {"start=0,0,0", "control1=0,0,0",     "control2=2,2,0",
                     "end=4,0,0",   "constantSpeed=true", "easing=back-in",
                     NULL};
  m = make("bezier", c, T);
  for (double p = 0.0; p <= 1.0; p += 0.01) {
    ha_vec3 q = at(m, T, p);
    CHECK(ha_vec3_isfinite(q));
  }
  /* back-in dips below 0 early: the point lies on the ray from start away
   * from control2 (the start tangent direction when control1 = start). */
  ha_vec3 q = at(m, T, 0.2);
  CHECK(q.x < 0.0);
  CHECK_NEAR(q.x, q.y, 1e-12);
  ha_motion_destroy(m);
}

/* ---- Catmull-Rom: the independent reference ---- */

static double knot_dt(ha_vec3 a, ha_vec3 b, double alpha) {
  return pow(dist(a, b), alpha);
}

/* Barry–Goldman pyramid on [t1, t2] at fraction u, knots from |ΔP|^alpha. */
static ha_vec3 barry_goldman(ha_vec3 p0, ha_vec3 p1, ha_vec3 p2, ha_vec3 p3, double alpha,
                             double u) {
  double t0 = 0.0;
  double t1 = t0 + knot_dt(p0, p1, alpha);
  double t2 = t1 + knot_dt(p1, p2, alpha);
  double t3 = t2 + knot_dt(p2, p3, alpha);
  double t = t1 + u * (t2 - t1);
  ha_vec3 a1 = mix(p0, p1, (t1 - t) / (t1 - t0), (t - t0) / (t1 - t0));
  ha_vec3 a2 = mix(p1, p2, (t2 - t) / (t2 - t1), (t - t1) / (t2 - t1));
  ha_vec3 a3 = mix(p2, p3, (t3 - t) / (t3 - t2), (t - t2) / (t3 - t2));
  ha_vec3 b1 = mix(a1, a2, (t2 - t) / (t2 - t0), (t - t0) / (t2 - t0));
  ha_vec3 b2 = mix(a2, a3, (t3 - t) / (t3 - t1), (t - t1) / (t3 - t1));
  return mix(b1, b2, (t2 - t) / (t2 - t1), (t - t1) / (t2 - t1));
}

/* Point i of an open (phantoms mirrored) or closed point list, i in [−1, n]. */
static ha_vec3 ref_pt(const ha_vec3 *P, int n, int closed, int i) {
  if (closed) {
    return P[((i % n) + n) % n];
  }
  if (i < 0) {
    return sub(mul(P[0], 2.0), P[1]);
  }
  if (i >= n) {
    return sub(mul(P[n - 1], 2.0), P[n - 2]);
  }
  return P[i];
}

/* The documented reference: segment j's Barry–Goldman curve at u = h(s),
 * h the cubic with h(0) = 0, h(1) = 1, h'(0) = ρ_j/κ_j, h'(1) = ρ_j+1/κ_j,
 * κ = the segment's knot interval (equal durations), ρ = the harmonic mean
 * of the κ on both sides of a joint (the one κ at an open end). */
static ha_vec3 ref_catmull(const ha_vec3 *P, int n, int closed, double alpha, double p) {
  int nseg = closed ? n : n - 1;
  double x = p * nseg;
  int j = (int)floor(x);
  if (j >= nseg) {
    j = nseg - 1;
  }
  if (j < 0) {
    j = 0;
  }
  double s = x - j;
  double kap[3];
  int have[3];
  for (int d = -1; d <= 1; d++) {
    int seg = j + d;
    have[d + 1] = closed || (seg >= 0 && seg < nseg);
    kap[d + 1] = have[d + 1]
                     ? knot_dt(ref_pt(P, n, closed, seg), ref_pt(P, n, closed, seg + 1), alpha)
                     : 0.0;
  }
  double rho0 = have[0] ? 2 * kap[0] * kap[1] / (kap[0] + kap[1]) : kap[1];
  double rho1 = have[2] ? 2 * kap[1] * kap[2] / (kap[1] + kap[2]) : kap[1];
  double a = rho0 / kap[1], b = rho1 / kap[1];
  double u = (a + b - 2) * s * s * s + (3 - 2 * a - b) * s * s + a * s;
  return barry_goldman(ref_pt(P, n, closed, j - 1), ref_pt(P, n, closed, j),
                       ref_pt(P, n, closed, j + 1), ref_pt(P, n, closed, j + 2), alpha, u);
}

static ha_motion *make_cr(const ha_vec3 *P, size_t n, double alpha, double tension, int closed,
                          int constant, double T) {
  char a1[64], a2[64], a3[64], a4[64];
  snprintf(a1, sizeof(a1), "alpha=%.17g", alpha);
  snprintf(a2, sizeof(a2), "tension=%.17g", tension);
  snprintf(a3, sizeof(a3), "closed=%s", closed ? "true" : "false");
  snprintf(a4, sizeof(a4), "constantSpeed=%s", constant ? "true" : "false");
  const char *a[] = {a1, a2, a3, a4, NULL};
  return make_full("catmull-rom", a, "controlPoints", P, n, NULL, 0, T, HA_OK, NULL);
}

/* Irregularly spaced points (segment lengths differ by up to ~10x). */
static void random_points(uint64_t *seed, ha_vec3 *P, int n) {
  for (int i = 0; i < n; i++) {
    double step = ha_t_uniform(seed, 0.5, 6.0);
    double ang = ha_t_uniform(seed, -2.0, 2.0);
    ha_vec3 prev = i ? P[i - 1] : v3(0, 0, 0);
    P[i] = add(prev, v3(step * cos(ang), step * sin(ang), ha_t_uniform(seed, -1.0, 1.0)));
  }
}

/* random_points from a fresh seed, printed first. */
static void seeded_points(uint64_t seed, ha_vec3 *P, int n) {
  uint64_t state = test_seed(seed);
  random_points(&state, P, n);
}

static void test_catmull_rom_barry_goldman(void) {
  const double T = 6.0;
  uint64_t seed = test_seed(20240611);
  static const double alphas[] = {0.0, 0.5, 1.0};
  for (int rep = 0; rep < 4; rep++) {
    ha_vec3 P[7];
    int n = 4 + rep;
    random_points(&seed, P, n);
    for (size_t ai = 0; ai < NELEM(alphas); ai++) {
      for (int closed = 0; closed <= 1; closed++) {
        ha_motion *m = make_cr(P, (size_t)n, alphas[ai], 0.0, closed, 0, T);
        for (double p = 0.0; p <= 1.0 + 1e-12; p += 1.0 / 64.0) {
          ha_vec3 ex = ref_catmull(P, n, closed, alphas[ai], p);
          CHECK_POINT(at(m, T, p), ex, 1e-9);
        }
        ha_motion_destroy(m);
      }
    }
  }
  /* Where every segment has the same knot interval the warp is the identity:
   * the model is the bare pyramid at u = local time. A regular pentagon: */
  ha_vec3 Q[5];
  for (int i = 0; i < 5; i++) {
    Q[i] = v3(3 * cos(HA_TAU * i / 5), 3 * sin(HA_TAU * i / 5), 0.5);
  }
  for (size_t ai = 0; ai < NELEM(alphas); ai++) {
    ha_motion *m = make_cr(Q, 5, alphas[ai], 0.0, 1, 0, T);
    for (int j = 0; j < 5; j++) {
      for (double u = 0.0; u < 1.0; u += 0.125) {
        ha_vec3 ex =
            barry_goldman(Q[(j + 4) % 5], Q[j], Q[(j + 1) % 5], Q[(j + 2) % 5], alphas[ai], u);
        CHECK_POINT(at(m, T, (j + u) / 5.0), ex, 1e-9);
      }
    }
    ha_motion_destroy(m);
  }
}

static void test_catmull_rom_through_points(void) {
  const double T = 10.0;
  ha_vec3 P[9];
  seeded_points(77, P, 9);
  static const double alphas[] = {0.0, 0.5, 1.0};
  static const double tensions[] = {0.0, 0.3, 1.0};
  for (size_t ai = 0; ai < NELEM(alphas); ai++) {
    for (size_t ti = 0; ti < NELEM(tensions); ti++) {
      for (int closed = 0; closed <= 1; closed++) {
        ha_motion *m = make_cr(P, 9, alphas[ai], tensions[ti], closed, 0, T);
        int nseg = closed ? 9 : 8;
        for (int i = 0; i <= nseg; i++) {
          CHECK_POINT(at(m, T, (double)i / nseg), P[i % 9], 1e-9);
        }
        CHECK_POINT(ha_motion_pivot(m), P[0], 0);
        ha_motion_destroy(m);
      }
    }
  }
  /* The defaults pass through the MODELS.md points at p = i/3. */
  ha_motion *m = make("catmull-rom", NULL, T);
  const ha_vec3 D[4] = {v3(-5, 0, 0), v3(-2, 3, 0), v3(2, -3, 0), v3(5, 0, 0)};
  for (int i = 0; i < 4; i++) {
    CHECK_POINT(at(m, T, i / 3.0), D[i], 1e-9);
  }
  ha_motion_destroy(m);
  /* The frame turns about the first point: rotation 90° about Z maps an
   * offset (x, y, z) from P0 to (−y, x, z). */
  const char *rot[] = {"rotation=0,0,90", "scale=2", NULL};
  ha_motion *r = make_full("catmull-rom", rot, "controlPoints", P, 9, NULL, 0, T, HA_OK, NULL);
  ha_motion *u = make_cr(P, 9, 0.5, 0.0, 0, 0, T);
  for (double p = 0.0; p <= 1.0; p += 0.05) {
    ha_vec3 o = sub(at(u, T, p), P[0]);
    CHECK_POINT(at(r, T, p), add(P[0], v3(-2 * o.y, 2 * o.x, 2 * o.z)), 1e-9);
  }
  ha_motion_destroy(r);
  ha_motion_destroy(u);
  /* Two points: a straight line at uniform speed. */
  const ha_vec3 two[2] = {v3(0, 0, 0), v3(4, 2, 0)};
  m = make_cr(two, 2, 0.5, 0.0, 0, 0, T);
  for (double p = 0.0; p <= 1.0; p += 0.1) {
    CHECK_POINT(at(m, T, p), v3(4 * p, 2 * p, 0), 1e-12);
  }
  ha_motion_destroy(m);
}

/* dP/dp from one side by the second-order one-sided difference. */
static ha_vec3 one_sided(const ha_motion *m, double T, double p, double h) {
  ha_vec3 a = at(m, T, p), b = at(m, T, p + h), c = at(m, T, p + 2 * h);
  return mul(add(add(mul(a, -3.0), mul(b, 4.0)), mul(c, -1.0)), 1.0 / (2.0 * h));
}

static void check_c1(const ha_motion *m, double T, double p, double h, const char *what) {
  ha_vec3 left = one_sided(m, T, p, -h), right = one_sided(m, T, p, h);
  double mag = norm(left) > 1.0 ? norm(left) : 1.0;
  double jump = dist(left, right) / mag;
  CHECK_MSG(jump < 1e-6, "%s at p = %g: left (%g, %g, %g) right (%g, %g, %g) rel jump %.3g", what,
            p, left.x, left.y, left.z, right.x, right.y, right.z, jump);
}

static void test_catmull_rom_c1(void) {
  /* h = 1e-6: the differences' truncation error (∝ h²) stays far below the
   * tolerance even at the tightest turns of these random curves. */
  const double T = 1.0;
  const double h = 1e-6;
  ha_vec3 P[7];
  seeded_points(4242, P, 7);
  static const double alphas[] = {0.0, 0.5, 1.0};
  for (size_t ai = 0; ai < NELEM(alphas); ai++) {
    for (int closed = 0; closed <= 1; closed++) {
      for (int constant = 0; constant <= 1; constant++) {
        ha_motion *m = make_cr(P, 7, alphas[ai], 0.25, closed, constant, T);
        int nseg = closed ? 7 : 6;
        if (!constant) {
          for (int i = 1; i < nseg; i++) {
            check_c1(m, T, (double)i / nseg, h, "joint");
          }
        } else {
          for (double p = 0.05; p < 1.0; p += 0.05) {
            check_c1(m, T, p, h, "constant speed");
          }
        }
        if (closed && !constant) {
          /* Across the seam: arriving at p = 1 and leaving at p = 0. */
          ha_vec3 in = one_sided(m, T, 1.0, -h), out = one_sided(m, T, 0.0, h);
          CHECK(dist(in, out) / norm(in) < 1e-6);
        }
        ha_motion_destroy(m);
      }
    }
  }
  /* Uniform time per segment alone would not be C1 with alpha > 0 (this is
   * what the warp fixes): the bare pyramid's one-sided speeds at a joint
   * between unequal segments differ by the ratio of their knot intervals. */
  ha_vec3 Q[4] = {v3(0, 0, 0), v3(1, 0, 0), v3(6, 1, 0), v3(7, 3, 0)};
  ha_vec3 ph = sub(mul(Q[0], 2.0), Q[1]);
  double bare_l = dist(barry_goldman(ph, Q[0], Q[1], Q[2], 0.5, 1.0),
                       barry_goldman(ph, Q[0], Q[1], Q[2], 0.5, 1.0 - 1e-6));
  double bare_r = dist(barry_goldman(Q[0], Q[1], Q[2], Q[3], 0.5, 1e-6),
                       barry_goldman(Q[0], Q[1], Q[2], Q[3], 0.5, 0.0));
  CHECK(fabs(bare_l / bare_r - 1.0) > 0.3);
  ha_motion *m = make_cr(Q, 4, 0.5, 0.0, 0, 0, T);
  check_c1(m, T, 1.0 / 3.0, h, "unequal joint");
  ha_motion_destroy(m);
}

static void test_catmull_rom_tension(void) {
  const double T = 1.0, h = 1e-5;
  ha_vec3 P[5] = {v3(0, 0, 0), v3(2, 1, 0), v3(3, 4, 1), v3(6, 4, 0), v3(7, 0, 2)};
  ha_motion *m0 = make_cr(P, 5, 0.5, 0.0, 0, 0, T);
  ha_motion *mh = make_cr(P, 5, 0.5, 0.6, 0, 0, T);
  ha_motion *m1 = make_cr(P, 5, 0.5, 1.0, 0, 0, T);
  for (int i = 0; i <= 4; i++) {
    double p = i / 4.0;
    /* Tangents scale by (1 − tension): the velocity at every point too. */
    ha_vec3 v0 = i < 4 ? one_sided(m0, T, p, h) : one_sided(m0, T, p, -h);
    ha_vec3 vh = i < 4 ? one_sided(mh, T, p, h) : one_sided(mh, T, p, -h);
    CHECK_POINT(vh, mul(v0, 0.4), 1e-5 * norm(v0));
    ha_vec3 v1 = i < 4 ? one_sided(m1, T, p, h) : one_sided(m1, T, p, -h);
    CHECK(norm(v1) < 1e-4);
  }
  /* Tension 1: straight segments between the points. */
  for (double p = 0.0; p <= 1.0; p += 0.01) {
    int j = p >= 1.0 ? 3 : (int)floor(p * 4);
    ha_vec3 q = at(m1, T, p), a = P[j], b = P[j + 1];
    ha_vec3 ab = sub(b, a), aq = sub(q, a);
    ha_vec3 cr = ha_vec3_cross(ab, aq);
    CHECK(norm(cr) < 1e-9 * norm(ab));
    CHECK(ha_vec3_dot(aq, ab) >= -1e-12 && ha_vec3_dot(aq, ab) <= ha_vec3_dot(ab, ab) + 1e-9);
  }
  ha_motion_destroy(m0);
  ha_motion_destroy(mh);
  ha_motion_destroy(m1);
}

static void test_catmull_rom_constant_speed(void) {
  const double T = 10.0;
  ha_vec3 P[6];
  seeded_points(99, P, 6);
  for (int closed = 0; closed <= 1; closed++) {
    ha_motion *plain = make_cr(P, 6, 0.5, 0.0, closed, 0, T);
    ha_motion *m = make_cr(P, 6, 0.5, 0.0, closed, 1, T);
    double spread = 0.0;
    double e = speed_error(m, T, ident, 100, &spread);
    printf("catmull-rom %s constant speed: max |s/L - p| = %.3g, equal-p step spread = %.3g\n",
           closed ? "closed" : "open", e, spread);
    CHECK(e < 1e-9);
    CHECK(spread < 0.005);
    /* Control points are passed at their arc-length fractions, measured on
     * the plain (equal time per segment) motion: the same curve. */
    motion_ctx c = {plain, T};
    int nseg = closed ? 6 : 5;
    double L = dense_length(motion_fn, &c, 0.0, 1.0, 40000);
    for (int i = 0; i <= nseg; i++) {
      double li = dense_length(motion_fn, &c, 0.0, (double)i / nseg, 40000 * i / nseg + 1);
      CHECK_POINT(at(m, T, li / L), P[i % 6], 1e-8);
    }
    ha_motion_destroy(plain);
    ha_motion_destroy(m);
  }
}

static void test_catmull_rom_dwell(void) {
  const double T = 1.0, h = 1e-5;
  /* A repeated point: a stop, not a NaN, for every alpha. */
  ha_vec3 P[5] = {v3(0, 0, 0), v3(3, 0, 0), v3(3, 0, 0), v3(3, 4, 0), v3(0, 4, 0)};
  static const double alphas[] = {0.0, 0.5, 1.0};
  for (size_t ai = 0; ai < NELEM(alphas); ai++) {
    for (int constant = 0; constant <= 1; constant++) {
      ha_motion *m = make_cr(P, 5, alphas[ai], 0.0, 0, constant, T);
      for (double p = 0.0; p <= 1.0; p += 0.001) {
        CHECK(ha_vec3_isfinite(at(m, T, p)));
      }
      if (!constant) {
        for (double p = 0.25; p <= 0.5; p += 0.05) {
          CHECK_POINT(at(m, T, p), P[1], 1e-12);
        }
        CHECK(norm(one_sided(m, T, 0.25, -h)) < 1e-4);
        CHECK(norm(one_sided(m, T, 0.5, h)) < 1e-4);
      }
      ha_motion_destroy(m);
    }
  }
  /* All points equal: a fixed source, even at constant speed. */
  ha_vec3 same[3] = {v3(1, 2, 3), v3(1, 2, 3), v3(1, 2, 3)};
  ha_motion *m = make_cr(same, 3, 0.5, 0.0, 1, 1, T);
  for (double p = 0.0; p <= 1.0; p += 0.1) {
    CHECK_POINT(at(m, T, p), same[0], 1e-12);
  }
  ha_motion_destroy(m);
  /* Too few points is an error naming the parameter. */
  ha_error err;
  make_full("catmull-rom", NULL, "controlPoints", P, 1, NULL, 0, T, HA_EINVAL, &err);
  CHECK_STR(err.name, "controlPoints");
}

/* ---- keyframes ---- */

static void test_keyframes(void) {
  const double T = 10.0;
  const ha_vec3 A = v3(-4, 0, 1), B = v3(0, 6, 0), C = v3(4, 2, -1);
  ha_keyframe k[3] = {
      {2.0, A, HA_EASE_QUAD_IN}, {5.0, B, HA_EASE_LINEAR}, {8.0, C, HA_EASE_LINEAR}};
  const char *lin[] = {"interpolation=linear", NULL};
  ha_motion *m = make_full("keyframes", lin, "keyframes", NULL, 0, k, 3, T, HA_OK, NULL);
  /* hold before the first and after the last */
  CHECK_POINT(ha_motion_eval(m, 0.0, NULL), A, 0);
  CHECK_POINT(ha_motion_eval(m, 1.9, NULL), A, 0);
  CHECK_POINT(ha_motion_eval(m, 8.0, NULL), C, 0);
  CHECK_POINT(ha_motion_eval(m, 9.5, NULL), C, 0);
  /* each segment uses the easing of its starting key */
  for (double t = 2.0; t < 8.0; t += 0.25) {
    ha_vec3 ex;
    if (t < 5.0) {
      double w = (t - 2.0) / 3.0;
      ex = add(A, mul(sub(B, A), w * w));
    } else {
      double w = (t - 5.0) / 3.0;
      ex = add(B, mul(sub(C, B), w));
    }
    CHECK_POINT(ha_motion_eval(m, t, NULL), ex, 1e-12);
  }
  CHECK_POINT(ha_motion_pivot(m), A, 0);
  ha_motion_destroy(m);

  const char *step[] = {"interpolation=step", NULL};
  m = make_full("custom", step, "keyframes", NULL, 0, k, 3, T, HA_OK, NULL);
  CHECK_STR(ha_motion_model(m)->name, "keyframes");
  for (int i = 0; i <= 100; i++) {
    double t = i / 10.0;
    ha_vec3 ex = t < 5.0 ? A : (t < 8.0 ? B : C);
    CHECK_POINT(ha_motion_eval(m, t, NULL), ex, 0);
  }
  ha_motion_destroy(m);

  /* catmull-rom: through every key at its time, C1 in time with linear
   * easings (the keys are unevenly timed and spaced). */
  ha_keyframe kc[5] = {{0.5, v3(0, 0, 0), HA_EASE_LINEAR},
                       {1.5, v3(3, 1, 0), HA_EASE_LINEAR},
                       {4.0, v3(4, 5, 1), HA_EASE_LINEAR},
                       {4.5, v3(7, 5, 0), HA_EASE_LINEAR},
                       {9.0, v3(8, -2, 0), HA_EASE_LINEAR}};
  const char *cr[] = {"interpolation=catmull-rom", NULL};
  m = make_full("keyframes", cr, "keyframes", NULL, 0, kc, 5, T, HA_OK, NULL);
  for (int i = 0; i < 5; i++) {
    CHECK_POINT(ha_motion_eval(m, kc[i].time, NULL), kc[i].position, 1e-9);
  }
  for (int i = 1; i < 4; i++) {
    check_c1(m, T, kc[i].time / T, 1e-6, "keyframe");
  }
  /* The public sampler computes the same curve. */
  double times[40];
  ha_vec3 out[40];
  for (int i = 0; i < 40; i++) {
    times[i] = i * 0.25;
  }
  CHECK_OK(ha_path_keyframes_sample(kc, 5, HA_KEYFRAMES_CATMULL_ROM, times, 40, out, NULL));
  for (int i = 0; i < 40; i++) {
    CHECK_POINT(out[i], ha_motion_eval(m, times[i], NULL), 1e-12);
  }
  ha_motion_destroy(m);

  /* an eased catmull-rom segment runs the same curve on ease(w) */
  ha_keyframe ke[3] = {{0.0, v3(0, 0, 0), HA_EASE_CUBIC_IN_OUT},
                       {4.0, v3(4, 2, 0), HA_EASE_LINEAR},
                       {8.0, v3(8, 0, 0), HA_EASE_LINEAR}};
  ha_keyframe kl[3] = {ke[0], ke[1], ke[2]};
  kl[0].easing = HA_EASE_LINEAR;
  ha_motion *me = make_full("keyframes", cr, "keyframes", NULL, 0, ke, 3, T, HA_OK, NULL);
  ha_motion *ml = make_full("keyframes", cr, "keyframes", NULL, 0, kl, 3, T, HA_OK, NULL);
  for (double w = 0.0; w <= 1.0; w += 0.125) {
    double e = w < 0.5 ? 4 * w * w * w : 1 - pow(-2 * w + 2, 3) / 2;
    CHECK_POINT(ha_motion_eval(me, 4.0 * w, NULL), ha_motion_eval(ml, 4.0 * e, NULL), 1e-12);
  }
  ha_motion_destroy(me);
  ha_motion_destroy(ml);

  /* a single key holds; equal times jump (the later key wins) */
  ha_keyframe one[1] = {{3.0, v3(1, 1, 1), HA_EASE_LINEAR}};
  m = make_full("keyframes", cr, "keyframes", NULL, 0, one, 1, T, HA_OK, NULL);
  CHECK_POINT(ha_motion_eval(m, 0.0, NULL), v3(1, 1, 1), 0);
  CHECK_POINT(ha_motion_eval(m, 7.0, NULL), v3(1, 1, 1), 0);
  ha_motion_destroy(m);
  ha_keyframe jump[4] = {{0.0, v3(0, 0, 0), HA_EASE_LINEAR},
                         {2.0, v3(2, 0, 0), HA_EASE_LINEAR},
                         {2.0, v3(2, 5, 0), HA_EASE_LINEAR},
                         {4.0, v3(4, 5, 0), HA_EASE_LINEAR}};
  for (int interp = 0; interp < 3; interp++) {
    const char *names[] = {"interpolation=linear", "interpolation=catmull-rom",
                           "interpolation=step"};
    const char *a[] = {names[interp], NULL};
    m = make_full("keyframes", a, "keyframes", NULL, 0, jump, 4, T, HA_OK, NULL);
    CHECK_POINT(ha_motion_eval(m, 2.0, NULL), v3(2, 5, 0), 1e-12);
    CHECK(ha_motion_eval(m, 1.999, NULL).y < 0.01);
    for (double t = 0.0; t <= 10.0; t += 0.01) {
      CHECK(ha_vec3_isfinite(ha_motion_eval(m, t, NULL)));
    }
    ha_motion_destroy(m);
  }

  /* a key after the duration is refused by the parser, naming it */
  ha_keyframe late[2] = {{0.0, v3(0, 0, 0), HA_EASE_LINEAR}, {12.0, v3(1, 0, 0), HA_EASE_LINEAR}};
  ha_error err;
  make_full("keyframes", NULL, "keyframes", NULL, 0, late, 2, T, HA_ERANGE, &err);
  CHECK_STR(err.name, "keyframes[1].time");

  /* the defaults: 3 keys over the default 10 s */
  m = make("keyframes", NULL, 10.0);
  CHECK_POINT(ha_motion_eval(m, 0.0, NULL), v3(-5, 0, 0), 0);
  CHECK_POINT(ha_motion_eval(m, 5.0, NULL), v3(0, 5, 0), 1e-12);
  CHECK_POINT(ha_motion_eval(m, 10.0, NULL), v3(5, 0, 0), 0);
  ha_motion_destroy(m);
}

/* ---- pattern ---- */

static ha_motion *make_pattern(const char *const *a, double T) {
  return make("pattern", a, T);
}

static void test_pattern_square_triangle_circle(void) {
  const double T = 10.0;
  const char *sq[] = {"pattern=square", "center=1,2,3", "scale=2", NULL};
  ha_motion *m = make_pattern(sq, T);
  const ha_vec3 corners[4] = {v3(1, 1, 0), v3(-1, 1, 0), v3(-1, -1, 0), v3(1, -1, 0)};
  for (int i = 0; i < 4; i++) {
    ha_vec3 ex = add(v3(1, 2, 3), mul(corners[i], 2.0));
    CHECK_POINT(at(m, T, i * 0.25), ex, 1e-12);
    /* perimeter-proportional: halfway along each edge at i/4 + 1/8 */
    ha_vec3 mid = add(v3(1, 2, 3), mul(add(corners[i], corners[(i + 1) % 4]), 1.0));
    CHECK_POINT(at(m, T, i * 0.25 + 0.125), mid, 1e-12);
  }
  CHECK_POINT(at(m, T, 1.0), add(v3(1, 2, 3), mul(corners[0], 2.0)), 1e-12);
  CHECK_POINT(ha_motion_pivot(m), v3(1, 2, 3), 0);
  ha_motion_destroy(m);

  /* speed 2: two laps; speed −1: backwards */
  const char *sq2[] = {"pattern=square", "speed=2", NULL};
  m = make_pattern(sq2, T);
  CHECK_POINT(at(m, T, 0.125), corners[1], 1e-12);
  CHECK_POINT(at(m, T, 0.625), corners[1], 1e-12);
  CHECK_POINT(at(m, T, 0.75), corners[2], 1e-12);
  ha_motion_destroy(m);
  const char *sqr[] = {"pattern=square", "speed=-1", NULL};
  m = make_pattern(sqr, T);
  CHECK_POINT(at(m, T, 0.25), corners[3], 1e-12);
  ha_motion_destroy(m);

  /* a quaternion rotation (90° about Z) turns the shape about the centre */
  const char *rot[] = {"pattern=square", "center=5,0,0",
                       "rotation=0.70710678118654757,0,0,0.70710678118654757", NULL};
  m = make_pattern(rot, T);
  CHECK_POINT(at(m, T, 0.0), v3(4, 1, 0), 1e-12);
  CHECK_POINT(at(m, T, 0.25), v3(4, -1, 0), 1e-12);
  ha_motion_destroy(m);

  const char *tri[] = {"pattern=triangle", NULL};
  m = make_pattern(tri, T);
  for (int k = 0; k < 3; k++) {
    double a = HA_PI / 2 + k * HA_TAU / 3;
    CHECK_POINT(at(m, T, k / 3.0), v3(cos(a), sin(a), 0), 1e-12);
  }
  ha_motion_destroy(m);

  const char *cir[] = {"pattern=circle", "center=0,0,1", "scale=3", "speed=1.5", NULL};
  m = make_pattern(cir, T);
  for (double p = 0.0; p <= 1.0; p += 0.05) {
    double f = 1.5 * p - floor(1.5 * p);
    CHECK_POINT(at(m, T, p), v3(3 * cos(HA_TAU * f), 3 * sin(HA_TAU * f), 1), 1e-9);
  }
  ha_motion_destroy(m);
}

static void test_pattern_star_figure8_points(void) {
  const double T = 10.0;
  const char *st[] = {"pattern=star", NULL};
  ha_motion *m = make_pattern(st, T);
  /* All ten edges have the same length, so vertex k is at fraction k/10. */
  for (int k = 0; k < 10; k++) {
    double a = HA_PI / 2 + k * HA_PI / 5, r = k % 2 ? 0.382 : 1.0;
    CHECK_POINT(at(m, T, k / 10.0), v3(r * cos(a), r * sin(a), 0), 1e-12);
  }
  /* Vertex count: a lap is made of exactly 10 straight runs. Directions come
   * from short chords; a chord across a vertex gives a one-off direction,
   * so only runs of several equal directions count as edges. */
  int edges = 0, run = 0;
  const int N = 4000;
  ha_vec3 run_dir = v3(0, 0, 0);
  for (int i = 0; i < N; i++) {
    ha_vec3 a = at(m, T, (i + 0.25) / N), b = at(m, T, (i + 0.75) / N);
    ha_vec3 d = ha_vec3_normalize(sub(b, a));
    if (run > 0 && ha_vec3_dot(d, run_dir) > 1.0 - 1e-9) {
      run++;
    } else {
      edges += run >= 3;
      run = 1;
      run_dir = d;
    }
  }
  edges += run >= 3;
  CHECK_INT(edges, 10);
  ha_motion_destroy(m);

  const char *f8[] = {"pattern=figure8", "center=1,0,0", NULL};
  m = make_pattern(f8, T);
  CHECK_POINT(at(m, T, 0.0), v3(1, 0, 0), 1e-12);
  for (double p = 0.0; p < 1.0; p += 0.01) {
    ha_vec3 q = sub(at(m, T, p), v3(1, 0, 0));
    /* (sin θ, sin θ cos θ) satisfies y² = x²(1 − x²). */
    CHECK_NEAR(q.y * q.y, q.x * q.x * (1 - q.x * q.x), 1e-9);
    CHECK_NEAR(q.z, 0.0, 0);
  }
  double spread = 0.0;
  double e = speed_error(m, T, ident, 100, &spread);
  printf("figure8 constant speed: max |s/L - p| = %.3g, equal-p step spread = %.3g\n", e, spread);
  CHECK(e < 1e-9);
  CHECK(spread < 0.005);
  ha_motion_destroy(m);

  /* points: a closed polyline (3-4-5 triangle, perimeter 12) from its first point */
  const ha_vec3 tri[3] = {v3(0, 0, 0), v3(3, 0, 0), v3(3, 4, 0)};
  const char *c[] = {"center=10,0,0", NULL};
  m = make_full("pattern", c, "points", tri, 3, NULL, 0, T, HA_OK, NULL);
  CHECK_POINT(at(m, T, 0.0), v3(10, 0, 0), 1e-12);
  CHECK_POINT(at(m, T, 0.125), v3(11.5, 0, 0), 1e-12);
  CHECK_POINT(at(m, T, 0.25), v3(13, 0, 0), 1e-12);
  CHECK_POINT(at(m, T, 7.0 / 12.0), v3(13, 4, 0), 1e-12);
  CHECK_POINT(at(m, T, 1.0 - 2.5 / 12.0), v3(11.5, 2, 0), 1e-12); /* closing edge, halfway */
  ha_motion_destroy(m);
  /* two points: back and forth */
  const ha_vec3 two[2] = {v3(0, 0, 0), v3(2, 0, 0)};
  m = make_full("pattern", NULL, "points", two, 2, NULL, 0, T, HA_OK, NULL);
  CHECK_POINT(at(m, T, 0.5), v3(2, 0, 0), 1e-12);
  CHECK_POINT(at(m, T, 0.75), v3(1, 0, 0), 1e-12);
  ha_motion_destroy(m);
  /* pattern and points together: refused */
  ha_error err;
  const char *both[] = {"pattern=star", NULL};
  make_full("pattern", both, "points", tri, 3, NULL, 0, T, HA_EINVAL, &err);
  CHECK_STR(err.name, "pattern");
}

/* ---- ha_path_interpolate ---- */

static void test_interpolate_linear(void) {
  const ha_vec3 P[3] = {v3(0, 0, 0), v3(1, 0, 0), v3(1, 3, 0)};
  ha_path_options o = ha_path_options_default();
  CHECK_INT(o.method, HA_PATH_CATMULL_ROM);
  CHECK_INT(o.samples, 100);
  o.method = HA_PATH_LINEAR;
  o.samples = 5;
  ha_vec3 out[8];
  size_t n = 0;
  CHECK_OK(ha_path_interpolate(P, 3, &o, out, 8, &n, NULL));
  CHECK_INT(n, 5);
  CHECK_POINT(out[0], P[0], 0);
  CHECK_POINT(out[1], v3(0.5, 0, 0), 1e-15);
  CHECK_POINT(out[2], v3(1, 0, 0), 1e-15);
  CHECK_POINT(out[3], v3(1, 1.5, 0), 1e-15);
  CHECK_POINT(out[4], P[2], 1e-15);
  o.constant_speed = true;
  CHECK_OK(ha_path_interpolate(P, 3, &o, out, 8, &n, NULL));
  for (int k = 0; k < 5; k++) {
    ha_vec3 ex = k <= 1 ? v3(k, 0, 0) : v3(1, k - 1, 0);
    CHECK_POINT(out[k], ex, 1e-9);
  }
  /* closed: the loop is not repeated; sample k at k/samples */
  o.closed = true;
  o.constant_speed = false;
  o.samples = 6;
  CHECK_OK(ha_path_interpolate(P, 3, &o, out, 8, &n, NULL));
  CHECK_INT(n, 6);
  CHECK_POINT(out[0], P[0], 0);
  CHECK_POINT(out[2], P[1], 1e-15);
  CHECK_POINT(out[5], v3(0.5, 1.5, 0), 1e-15);
}

/* (max − min)/max of the distances between successive samples. */
static double chord_spread(const ha_vec3 *v, size_t n) {
  double lo = 1e300, hi = 0.0;
  for (size_t k = 1; k < n; k++) {
    double d = dist(v[k - 1], v[k]);
    lo = d < lo ? d : lo;
    hi = d > hi ? d : hi;
  }
  return (hi - lo) / hi;
}

static void test_interpolate_catmull_rom(void) {
  ha_vec3 P[6];
  seeded_points(31337, P, 6);
  ha_vec3 out[301];
  size_t n = 0;
  for (int closed = 0; closed <= 1; closed++) {
    ha_path_options o = ha_path_options_default();
    o.closed = closed;
    o.samples = closed ? 300 : 301;
    o.alpha = 0.5;
    CHECK_OK(ha_path_interpolate(P, 6, &o, out, 301, &n, NULL));
    CHECK_INT(n, o.samples);
    /* the same curve as the reference (and so as the model) */
    for (size_t k = 0; k < n; k++) {
      CHECK_POINT(out[k], ref_catmull(P, 6, closed, 0.5, (double)k / 300.0), 1e-9);
    }
    /* through every point */
    int nseg = closed ? 6 : 5;
    for (int i = 0; i < nseg; i++) {
      CHECK_POINT(out[i * 300 / nseg], P[i], 1e-9);
    }
    /* constant speed: the constant-speed model's positions (checked against
     * a dense polyline above), and equal chords within 0.5 % */
    static ha_vec3 big[2001];
    o.constant_speed = true;
    o.samples = closed ? 2000 : 2001;
    CHECK_OK(ha_path_interpolate(P, 6, &o, big, 2001, &n, NULL));
    CHECK_INT(n, o.samples);
    ha_motion *m = make_cr(P, 6, 0.5, 0.0, closed, 1, 1.0);
    for (size_t k = 0; k < n; k += 50) {
      CHECK_POINT(big[k], at(m, 1.0, (double)k / 2000.0), 1e-9);
    }
    ha_motion_destroy(m);
    CHECK(chord_spread(big, n) < 0.005);
    CHECK_POINT(big[0], P[0], 1e-12);
    if (!closed) {
      CHECK_POINT(big[n - 1], P[5], 1e-9);
    }
  }
}

static void test_interpolate_bezier(void) {
  /* Two segments, point-symmetric about P3 (so C1 there, equal lengths). */
  const ha_vec3 P[7] = {v3(0, 0, 0),  v3(1, 2, 0),  v3(3, 2, 0), v3(4, 0, 0),
                        v3(5, -2, 0), v3(7, -2, 0), v3(8, 0, 0)};
  ha_path_options o = ha_path_options_default();
  o.method = HA_PATH_BEZIER;
  o.samples = 21;
  ha_vec3 out[21];
  size_t n = 0;
  CHECK_OK(ha_path_interpolate(P, 7, &o, out, 21, &n, NULL));
  for (int k = 0; k <= 20; k++) {
    double s = k / 20.0 * 2.0;
    int j = s >= 2.0 ? 1 : (int)floor(s);
    CHECK_POINT(out[k], bernstein(P + 3 * j, s - j), 1e-12);
  }
  /* closed: 3k points, the last group returns to P0 */
  ha_vec3 Q[6] = {v3(0, 0, 0), v3(1, 1, 0), v3(2, 1, 0), v3(3, 0, 0), v3(2, -1, 0), v3(1, -1, 0)};
  o.closed = true;
  o.samples = 20;
  CHECK_OK(ha_path_interpolate(Q, 6, &o, out, 21, &n, NULL));
  const ha_vec3 last[4] = {Q[3], Q[4], Q[5], Q[0]};
  CHECK_POINT(out[15], bernstein(last, 0.5), 1e-12);
  /* constant speed: equal chords within 0.5 % */
  static ha_vec3 big[2001];
  o.closed = false;
  o.constant_speed = true;
  o.samples = 2001;
  CHECK_OK(ha_path_interpolate(P, 7, &o, big, 2001, &n, NULL));
  CHECK(chord_spread(big, n) < 0.005);
  CHECK_POINT(big[2000], P[6], 1e-9);
  CHECK_POINT(big[1000], P[3], 1e-9); /* the chain is symmetric: mid-length is P3 */
}

static void test_interpolate_errors(void) {
  const ha_vec3 P[4] = {v3(0, 0, 0), v3(1, 0, 0), v3(2, 1, 0), v3(3, 0, 0)};
  ha_vec3 out[16];
  size_t n = 99;
  ha_error err;
  ha_path_options o = ha_path_options_default();
  o.samples = 16;
  /* NULL options are the defaults (100 samples: too many for 16) */
  CHECK_INT(ha_path_interpolate(P, 4, NULL, out, 16, &n, &err), HA_ENOBUFS);
  CHECK_INT(n, 100);
  CHECK_INT(err.status, HA_ENOBUFS);
  CHECK_STR(err.name, "out");
  CHECK_INT(ha_path_interpolate(P, 1, &o, out, 16, &n, &err), HA_EINVAL);
  CHECK_STR(err.name, "points");
  CHECK_INT(n, 0);
  CHECK_INT(ha_path_interpolate(NULL, 4, &o, out, 16, &n, &err), HA_EINVAL);
  ha_vec3 bad[3] = {v3(0, 0, 0), v3(NAN, 0, 0), v3(1, 1, 1)};
  CHECK_INT(ha_path_interpolate(bad, 3, &o, out, 16, &n, &err), HA_EINVAL);
  CHECK_STR(err.name, "points[1]");
  bad[1] = v3(0, INFINITY, 0);
  CHECK_INT(ha_path_interpolate(bad, 3, &o, out, 16, &n, NULL), HA_EINVAL);
  o.alpha = 1.5;
  CHECK_INT(ha_path_interpolate(P, 4, &o, out, 16, &n, &err), HA_ERANGE);
  CHECK_STR(err.name, "alpha");
  o.alpha = NAN;
  CHECK_INT(ha_path_interpolate(P, 4, &o, out, 16, &n, &err), HA_ERANGE);
  o.alpha = 0.5;
  o.tension = -0.1;
  CHECK_INT(ha_path_interpolate(P, 4, &o, out, 16, &n, &err), HA_ERANGE);
  CHECK_STR(err.name, "tension");
  o.tension = 0.0;
  o.samples = 1;
  CHECK_INT(ha_path_interpolate(P, 4, &o, out, 16, &n, &err), HA_EINVAL);
  CHECK_STR(err.name, "samples");
  o.samples = 16;
  o.method = (ha_path_method)7;
  CHECK_INT(ha_path_interpolate(P, 4, &o, out, 16, &n, &err), HA_EINVAL);
  CHECK_STR(err.name, "method");
  o.method = HA_PATH_BEZIER;
  CHECK_INT(ha_path_interpolate(P, 3, &o, out, 16, &n, &err), HA_EINVAL);
  CHECK(strstr(err.message, "3k + 1") != NULL);
  o.closed = true;
  CHECK_INT(ha_path_interpolate(P, 4, &o, out, 16, &n, &err), HA_EINVAL);
  CHECK_OK(ha_path_interpolate(P, 3, &o, out, 16, &n, &err));
  o.closed = false;
  CHECK_INT(ha_path_interpolate(P, 4, &o, out, 15, &n, &err), HA_ENOBUFS);
  CHECK_INT(n, 16);
  CHECK_INT(ha_path_interpolate(P, 4, &o, NULL, 16, &n, &err), HA_EINVAL);
  CHECK_OK(ha_path_interpolate(P, 4, &o, out, 16, NULL, NULL));
}

static void test_resample_keyframes(void) {
  ha_keyframe k[3] = {{1.0, v3(0, 0, 0), HA_EASE_LINEAR},
                      {2.0, v3(10, 0, 0), HA_EASE_LINEAR},
                      {3.0, v3(10, 10, 0), HA_EASE_LINEAR}};
  ha_vec3 out[32];
  size_t n = 0;
  ha_error err;
  CHECK_OK(ha_path_resample_keyframes(k, 3, HA_KEYFRAMES_LINEAR, 10.0, out, 32, &n, &err));
  CHECK_INT(n, 21);
  for (size_t i = 0; i < n; i++) {
    double t = 1.0 + (double)i / 10.0;
    ha_vec3 ex = t <= 2.0 ? v3(10 * (t - 1), 0, 0) : v3(10, 10 * (t - 2), 0);
    CHECK_POINT(out[i], ex, 1e-9);
  }
  CHECK_INT(ha_path_resample_keyframes(k, 3, HA_KEYFRAMES_LINEAR, 10.0, out, 20, &n, &err),
            HA_ENOBUFS);
  CHECK_INT(n, 21);
  CHECK_INT(ha_path_resample_keyframes(k, 3, HA_KEYFRAMES_LINEAR, 0.0, out, 32, &n, &err),
            HA_ERANGE);
  CHECK_STR(err.name, "rate_hz");
  CHECK_INT(ha_path_resample_keyframes(k, 0, HA_KEYFRAMES_LINEAR, 10.0, out, 32, &n, &err),
            HA_EINVAL);
  CHECK_INT(ha_path_resample_keyframes(k, 3, (ha_keyframe_interp)9, 10.0, out, 32, &n, &err),
            HA_EINVAL);
  ha_keyframe bad[2] = {{2.0, v3(0, 0, 0), HA_EASE_LINEAR}, {1.0, v3(1, 0, 0), HA_EASE_LINEAR}};
  CHECK_INT(ha_path_resample_keyframes(bad, 2, HA_KEYFRAMES_STEP, 10.0, out, 32, &n, &err),
            HA_EINVAL);
  CHECK_STR(err.name, "keys[1].time");
  bad[1].time = 3.0;
  bad[1].position.z = NAN;
  CHECK_INT(ha_path_resample_keyframes(bad, 2, HA_KEYFRAMES_STEP, 10.0, out, 32, &n, &err),
            HA_EINVAL);
  CHECK_STR(err.name, "keys[1].position");
  /* the resampled catmull-rom matches the point sampler */
  CHECK_OK(ha_path_resample_keyframes(k, 3, HA_KEYFRAMES_CATMULL_ROM, 10.0, out, 32, &n, NULL));
  double times[21];
  ha_vec3 ref[21];
  for (int i = 0; i < 21; i++) {
    times[i] = 1.0 + i / 10.0;
  }
  CHECK_OK(ha_path_keyframes_sample(k, 3, HA_KEYFRAMES_CATMULL_ROM, times, 21, ref, NULL));
  for (int i = 0; i < 21; i++) {
    CHECK_POINT(out[i], ref[i], 1e-12);
  }
  times[3] = NAN;
  CHECK_INT(ha_path_keyframes_sample(k, 3, HA_KEYFRAMES_LINEAR, times, 21, ref, &err), HA_EINVAL);
  CHECK_STR(err.name, "times[3]");
  /* a single key: one sample */
  CHECK_OK(ha_path_resample_keyframes(k, 1, HA_KEYFRAMES_LINEAR, 50.0, out, 32, &n, NULL));
  CHECK_INT(n, 1);
}

int main(void) {
  RUN(test_bezier_bernstein);
  RUN(test_bezier_constant_speed);
  RUN(test_catmull_rom_barry_goldman);
  RUN(test_catmull_rom_through_points);
  RUN(test_catmull_rom_c1);
  RUN(test_catmull_rom_tension);
  RUN(test_catmull_rom_constant_speed);
  RUN(test_catmull_rom_dwell);
  RUN(test_keyframes);
  RUN(test_pattern_square_triangle_circle);
  RUN(test_pattern_star_figure8_points);
  RUN(test_interpolate_linear);
  RUN(test_interpolate_catmull_rom);
  RUN(test_interpolate_bezier);
  RUN(test_interpolate_errors);
  RUN(test_resample_keyframes);
  return test_done();
}
