/* spring: a mass on a damped spring released from rest + displacement.
 *
 * Exact solution of m·g'' + c·g' + k·g = 0, g(0) = 1, g'(0) = 0, and
 * P = rest + displacement·g(τ). With a = c/2m, ω0² = k/m and the
 * discriminant Δ = a² − ω0², every case is one expression:
 *   g = e^(−aτ)·(C(τ) + a·τ·S(τ)),
 *   under-damped (Δ < 0, ω = √−Δ):  C = cos ωτ,  S = sin(ωτ)/(ωτ);
 *   over-damped  (Δ > 0, β = √Δ):   C = cosh βτ, S = sinh(βτ)/(βτ);
 *   critical     (Δ = 0):           C = 1,       S = 1.
 * Written this way (rather than the textbook split into ratios of
 * exponentials and 1/ω factors) both damped forms tend to the critical one as
 * Δ → 0 with no cancellation, so g is continuous in the parameters across
 * c² = 4km. Inside a relative band |Δ| ≤ 1e-12·max(a², ω0²) the critical form
 * is used outright; the two differ there by O(Δτ²)·e^(−aτ) ≤ 1e-12-ish.
 * For large βτ the over-damped form switches to the sum of its two decaying
 * exponentials so that cosh never overflows against e^(−aτ). */
#include <math.h>

#include "model_impl.h"

enum { S_REST = 0, S_DISP = 3, S_K = 6, S_C = 7, S_M = 8 };

static const ha_param_info params[] = {
    HA__P_POS(S_REST, "restPosition", NULL, 0, 0, 0,
              "equilibrium position the source settles at (m)"),
    HA__P_POS(S_DISP, "initialDisplacement", NULL, 5, 5, 0,
              "offset from the rest position at the start, released at rest (m)"),
    HA__P_NUM(S_K, "stiffness", "springStiffness", "N/m", 10, 0, 1e5,
              "spring constant k (N/m): higher is a faster oscillation"),
    HA__P_NUM(S_C, "damping", "dampingCoefficient", "N·s/m", 0.5, 0, 1e5,
              "damping coefficient c (N·s/m): c² = 4km is critical damping"),
    HA__P_NUM(S_M, "mass", NULL, "kg", 1, 0.001, 1e4, "moving mass m (kg)"),
};

/* sin(x)/x and sinh(x)/x, exact to rounding near 0 (x ≥ 0). */
static double sinc(double x) {
  return x < 1e-4 ? 1.0 - x * x / 6.0 : sin(x) / x;
}
static double sinhc(double x) {
  return x < 1e-4 ? 1.0 + x * x / 6.0 : sinh(x) / x;
}

static double response(const ha__motion_data *d, double t) {
  double m = d->s[S_M];
  double a = d->s[S_C] / (2.0 * m);
  double w2 = d->s[S_K] / m;
  double disc = a * a - w2;
  double band = 1e-12 * fmax(a * a, w2);
  if (fabs(disc) <= band) {
    return exp(-a * t) * (1.0 + a * t);
  }
  if (disc < 0.0) {
    double x = sqrt(-disc) * t;
    return exp(-a * t) * (cos(x) + a * t * sinc(x));
  }
  double b = sqrt(disc); /* 0 < b ≤ a */
  double x = b * t;
  if (x < 20.0) {
    return exp(-a * t) * (cosh(x) + a * t * sinhc(x));
  }
  /* The slow root b − a, without the cancellation: (b − a)(b + a) = −ω0². */
  double slow = -w2 / (a + b), r = a / b;
  return 0.5 * ((1.0 + r) * exp(slow * t) + (1.0 - r) * exp(-(a + b) * t));
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double g = response(d, ev->tau);
  return ha_vec3_add(ha__slot_vec3(d, S_REST), ha_vec3_scale(ha__slot_vec3(d, S_DISP), g));
}

/* Batch kernel: response()'s constants, computed as response() computes
 * them, so each case is decided identically. Left generic when ω·T could
 * pass the kernels' 2^30 rad. */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  double m = d->s[S_M];
  double a = d->s[S_C] / (2.0 * m);
  double w2 = d->s[S_K] / m;
  double disc = a * a - w2;
  double band = 1e-12 * fmax(a * a, w2);
  ha__kernel_shape(kp, ha__slot_vec3(d, S_REST), 0.0, 0.0, HA_EASE_LINEAR);
  ha__kernel_col(kp, 2, ha__slot_vec3(d, S_DISP));
  kp->omega[0] = a;
  if (fabs(disc) <= band) {
    kp->omega[2] = 0.0;
  } else if (disc < 0.0) {
    kp->omega[1] = sqrt(-disc);
    kp->omega[2] = 1.0;
    if (!(kp->omega[1] * d->timing.duration < 1073741824.0)) {
      return HA__KERNEL_NONE;
    }
  } else {
    double b = sqrt(disc);
    kp->omega[1] = b;
    kp->omega[2] = 2.0;
    kp->phase[0] = -w2 / (a + b);
    kp->phase[1] = a / b;
    kp->phase[2] = a + b;
  }
  return HA__KERNEL_SPRING;
}

const ha__model ha__model_spring = {
    .info = HA__MODEL_INFO("spring", NULL, HA_MODEL_ABS_TIME, params,
                           "damped spring: released from rest + displacement, it oscillates "
                           "back to the rest position (exact solution)"),
    .local = local,
    .seam = HA__SEAM_BLEND,
    .pack = pack,
};
