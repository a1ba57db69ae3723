/* pendulum: a damped pendulum hanging from an anchor, swinging in a plane.
 *
 * θ'' = −(g/L)·sin θ − damping·θ', θ(0) = initialAngle, θ'(0) = 0, by
 * classic RK4 on a fixed global grid t_k = k·dt, dt = 1 ms, from τ = 0. The
 * position at τ is the grid state k = ⌊τ/dt⌋ advanced by one partial RK4 step
 * of τ − t_k, computed on a copy. The grid state itself depends only on k, so
 * the result is bit-identical however it was reached: from τ = 0, from a
 * checkpoint, or from the per-track cache (ev->state: y[0] = θ, y[1] = ω,
 * y[2] = k, tau = t_k), which lets forward play cost only the new steps.
 *
 * prepare() integrates the grid once and keeps checkpoints in d->aux
 * (fixed_step.h), so any τ, reached by a seek, a backward step or a pingpong
 * turn, costs at most one checkpoint interval (64 steps for a span up to
 * 4194 s). The table spans [0, T] unless later times fold (find_fold):
 * once the swing is below SETTLE_ANGLE the rest is the linear damped closed
 * form from that grid state; undamped, τ is taken modulo the integrated
 * period. docs/models.md ("Physics models: bounded evaluation") gives the
 * bound, the memory and the measured distance to the unfolded integration. A
 * closed form of the whole motion (elliptic functions) was rejected: it has
 * no damping. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_impl.h"
#include "fixed_step.h"

enum { S_ANCHOR = 0, S_LEN = 3, S_ANGLE = 4, S_DAMP = 5, S_GRAVITY = 6, S_PLANE = 7 };

static const ha_param_info params[] = {
    HA__P_POS(S_ANCHOR, "anchorPoint", NULL, 0, 0, 5, "fixed point the pendulum hangs from (m)"),
    HA__P_NUM(S_LEN, "length", "pendulumLength", "m", 3, 0.01, HA__POS_MAX,
              "distance from the anchor to the source (m)"),
    HA__P_NUM(S_ANGLE, "initialAngle", NULL, "deg", 45, -180, 180,
              "release angle from straight down (deg), released at rest"),
    HA__P_NUM(S_DAMP, "damping", NULL, "1/s", 0.02, 0, 100,
              "angular velocity damping rate (1/s): 0 swings forever"),
    HA__P_NUM(S_GRAVITY, "gravity", NULL, "m/s²", 9.81, 0, 100,
              "gravitational acceleration (m/s²)"),
    HA__P_PLANE(S_PLANE, 1, "vertical plane of the swing: xz or yz hang along −Z, xy along −Y"),
};

#define NY 2 /* state size: y[0] = θ (rad), y[1] = ω (rad/s) */
_Static_assert(NY <= FIXED_STEP_MAX_NY, "the pendulum state must fit fixed_step's buffers");

/* One RK4 step of size h in place; w2 = g/L, c = damping. The sine is
 * ha__sin_det, which the batch's PENDULUM kernel computes bit for bit. */
static void rk4(double *y, double h, double w2, double c) {
  double th = y[0], om = y[1];
  double k1t = om, k1o = -w2 * ha__sin_det(th) - c * om;
  double t2 = th + 0.5 * h * k1t, o2 = om + 0.5 * h * k1o;
  double k2t = o2, k2o = -w2 * ha__sin_det(t2) - c * o2;
  double t3 = th + 0.5 * h * k2t, o3 = om + 0.5 * h * k2o;
  double k3t = o3, k3o = -w2 * ha__sin_det(t3) - c * o3;
  double t4 = th + h * k3t, o4 = om + h * k3o;
  double k4t = o4, k4o = -w2 * ha__sin_det(t4) - c * o4;
  y[0] = th + (h / 6.0) * (k1t + 2.0 * k2t + 2.0 * k3t + k4t);
  y[1] = om + (h / 6.0) * (k1o + 2.0 * k2o + 2.0 * k3o + k4o);
}

/* One grid step, for the checkpoints. */
static void pendulum_grid_step(const ha__motion_data *d, double *y) {
  rk4(y, DT, d->s[S_GRAVITY] / d->s[S_LEN], d->s[S_DAMP]);
}

/* The state at τ = 0: released at initialAngle, at rest. */
static void pendulum_initial(const ha__motion_data *d, double *y) {
  y[0] = ha_deg2rad(d->s[S_ANGLE]);
  y[1] = 0.0;
}

/* What prepare() found about times after the table (d->aux[CK_HEADER + E_*]):
 * E_MODE = FOLD_NONE (the table covers [0, T]), FOLD_SETTLED (from E_T on,
 * the linear closed form from the grid state E_TH, E_OM at E_T) or
 * FOLD_PERIODIC (undamped: τ is taken modulo the period E_T). */
enum { E_MODE = 0, E_T, E_TH, E_OM, E_COUNT };
enum { FOLD_NONE = 0, FOLD_SETTLED, FOLD_PERIODIC };

#define SETTLE_ANGLE 1e-3 /* rad: below it, sin θ = θ to 1.7e-7 relative */
#define SETTLE_PHASE 1e-4 /* rad: the phase the linear form may lose, in all */

/* The linear damped oscillator θ'' = −w2·θ − c·θ' at t ≥ 0 from θ(0) = th,
 * θ'(0) = om, in the form of spring.c (continuous across critical damping,
 * no overflow when over-damped). Exact when w2 = 0. */
static double linear_angle(double w2, double c, double th, double om, double t) {
  double a = 0.5 * c, disc = a * a - w2, v = om + a * th;
  if (fabs(disc) <= 1e-12 * fmax(a * a, w2)) {
    return exp(-a * t) * (th + v * t);
  }
  if (disc < 0.0) {
    double wd = sqrt(-disc), x = wd * t;
    return exp(-a * t) * (th * cos(x) + v * sin(x) / wd);
  }
  double b = sqrt(disc), x = b * t;
  if (x < 20.0) {
    double shc = x < 1e-4 ? 1.0 + x * x / 6.0 : sinh(x) / x;
    return exp(-a * t) * (th * cosh(x) + v * t * shc);
  }
  /* e^(−at)·cosh, e^(−at)·sinh with the slow root b − a = −w2/(a + b). */
  double slow = exp(-w2 / (a + b) * t), fast = exp(-(a + b) * t);
  return 0.5 * th * (slow + fast) + v * (slow - fast) / (2.0 * b);
}

/* ω at h ∈ [0, dt] past grid state y (the model's partial step). */
static double omega_after(const double *y, double h, double w2, double c) {
  double z[NY] = {y[0], y[1]};
  if (h > 0.0) {
    rk4(z, h, w2, c);
  }
  return z[1];
}

/* Walk the grid from y (state 0) up to step kmax looking for a fold: the
 * swing settled (linear from then on, see below), or, undamped, the
 * second turn (ω back to 0 with the sign it started with: one period, found
 * to the partial step by bisection). Fills e[E_COUNT]; returns the last grid
 * step the table must cover. */
static int64_t find_fold(const ha__motion_data *d, double *y, int64_t kmax, double *e, double *tab,
                         int64_t stride) {
  double w2 = d->s[S_GRAVITY] / d->s[S_LEN], c = d->s[S_DAMP];
  /* Settled: the linearised swing's energy w2·θ² + ω² (never increased by
   * damping) below w2·A², A ≤ SETTLE_ANGLE. The linear form runs faster by
   * A²/16 relative, and the swing's A² decays at rate c: the phase it loses
   * in all, √w2·A²/(16c), must stay below SETTLE_PHASE. Undamped (c = 0)
   * only a pendulum at rest settles. */
  double a2 = fmin(SETTLE_ANGLE * SETTLE_ANGLE, 16.0 * c * SETTLE_PHASE / sqrt(w2));
  double settle = w2 * a2;
  int turns = 0, sign = 0, damped = c > 0.0;
  e[E_MODE] = FOLD_NONE;
  for (int64_t k = 0; k < kmax; k++) {
    if (k % stride == 0) {
      memcpy(&tab[NY * (size_t)(k / stride)], y, sizeof(double) * NY);
    }
    if (!(w2 > 0.0) || w2 * y[0] * y[0] + y[1] * y[1] <= settle) {
      e[E_MODE] = FOLD_SETTLED;
      e[E_T] = (double)k * DT;
      e[E_TH] = y[0];
      e[E_OM] = y[1];
      return k;
    }
    double prev[NY] = {y[0], y[1]};
    rk4(y, DT, w2, c);
    int sg = (y[1] > 0.0) - (y[1] < 0.0);
    if (!damped && sg != 0 && sg != sign) {
      if (sign != 0 && ++turns == 2) {
        double lo = 0.0, hi = DT;
        for (int i = 0; i < 60; i++) {
          double mid = 0.5 * (lo + hi);
          double wm = omega_after(prev, mid, w2, c);
          if ((wm > 0.0 ? 1 : -1) == sg) {
            hi = mid;
          } else {
            lo = mid;
          }
        }
        e[E_MODE] = FOLD_PERIODIC;
        e[E_T] = (double)k * DT + hi;
        kmax = k + 1;
        break;
      }
      sign = sg;
    }
  }
  if (kmax % stride == 0) {
    memcpy(&tab[NY * (size_t)(kmax / stride)], y, sizeof(double) * NY);
  }
  return kmax;
}

/* One pass: the table is laid out for [0, T] and filled while looking for
 * the fold; when the fold is early enough to change the layout (a span of
 * more than 4,194 s cut short), the shorter table is integrated again. */
static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  (void)raw;
  (void)err;
  double y0[NY], y[NY], e[E_COUNT] = {0};
  pendulum_initial(d, y0);
  pendulum_initial(d, y);
  int64_t kmax = grid_index(d->timing.duration);
  double *tab = fixed_step_alloc(d, NY, kmax, E_COUNT);
  if (tab == NULL) {
    return HA_ENOMEM;
  }
  int64_t stride = (int64_t)d->aux[0], s2;
  size_t count;
  int64_t covered = find_fold(d, y, kmax, e, tab, stride);
  ck_layout(covered, &s2, &count);
  if (s2 == stride) {
    size_t n = CK_HEADER + E_COUNT + count * NY;
    double *shrunk = realloc(d->aux, n * sizeof(double));
    if (shrunk != NULL) {
      d->aux = shrunk;
      d->naux = n;
    }
    d->aux[1] = (double)count;
  } else {
    free(d->aux);
    d->aux = NULL;
    d->naux = 0;
    ha_status st = fixed_step_checkpoints(d, NY, y0, pendulum_grid_step, covered, E_COUNT);
    if (st != HA_OK) {
      return st;
    }
  }
  memcpy(&d->aux[CK_HEADER], e, sizeof(e));
  return HA_OK;
}

/* θ at τ (see the file comment for the cache rule and the folds). */
static double angle(const ha__motion_data *d, const ha__eval *ev) {
  double w2 = d->s[S_GRAVITY] / d->s[S_LEN], c = d->s[S_DAMP];
  double tau = ev->tau;
  const double *e = d->aux != NULL ? &d->aux[CK_HEADER] : NULL;
  int mode = e != NULL ? (int)e[E_MODE] : FOLD_NONE;
  if (mode == FOLD_SETTLED && tau >= e[E_T]) {
    return linear_angle(w2, c, e[E_TH], e[E_OM], tau - e[E_T]);
  }
  if (mode == FOLD_PERIODIC && tau >= e[E_T]) {
    tau -= e[E_T] * floor(tau / e[E_T]);
  }
  int64_t k = grid_index(tau);
  double y[NY];
  pendulum_initial(d, y);
  int64_t from = fixed_step_resume(d, ev->state, NY, k, y);
  for (int64_t at = from; at < k; at++) {
    rk4(y, DT, w2, c);
  }
  fixed_step_remember(ev->state, NY, k, from, y);
  double h = tau - (double)k * DT;
  if (h > 0.0) {
    rk4(y, h, w2, c); /* the partial step stays out of the cache */
  }
  return y[0];
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double th = angle(d, ev), L = d->s[S_LEN];
  return ha_vec3_add(ha__slot_vec3(d, S_ANCHOR),
                     ha__plane_map((int)d->s[S_PLANE], L * sin(th), -L * cos(th)));
}

/* The PENDULUM kernel (model_impl.h): P = anchor + M·(sin θ, cos θ). */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  static const ha__kernel_params zero;
  *kp = zero;
  double L = d->s[S_LEN];
  ha_vec3 a = ha__slot_vec3(d, S_ANCHOR);
  ha__vec3_store(kp->c, a);
  ha__kernel_col(kp, 0, ha__plane_map((int)d->s[S_PLANE], L, 0.0));
  ha__kernel_col(kp, 1, ha__plane_map((int)d->s[S_PLANE], 0.0, -L));
  kp->omega[0] = d->s[S_GRAVITY] / d->s[S_LEN];
  kp->omega[1] = d->s[S_DAMP];
  kp->table = d->aux;
  return d->aux != NULL && d->naux >= CK_HEADER + E_COUNT ? HA__KERNEL_PENDULUM : HA__KERNEL_NONE;
}

const ha__model ha__model_pendulum = {
    .info = HA__MODEL_INFO("pendulum", NULL, HA_MODEL_ABS_TIME | HA_MODEL_STATEFUL, params,
                           "damped pendulum swinging below an anchor in a vertical plane "
                           "(integrated, RK4 at 1 ms)"),
    .prepare = prepare,
    .local = local,
    .pack = pack,
    .seam = HA__SEAM_BLEND,
};
