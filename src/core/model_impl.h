/* Internal model interface: what a model file provides.
 *
 * A model is a static table entry (ha__model) with its public info (name,
 * parameter table) and three functions. The generic parser (model.c) turns a
 * user's ha_params into `d->s[]` slots according to the parameter table, so a
 * model's code only reads validated numbers: `d->s[SLOT]`. Choices are stored
 * as their index, booleans as 0/1, easings as their ha_easing value, vec3 as
 * three consecutive slots. Lists (points, keyframes) are copied into d->pts /
 * d->keys. Anything derived (arc-length tables) is built once in `prepare`
 * into d->aux, never during evaluation.
 *
 * What several models share is written once: here (vec3 slots, a checked
 * direction, the circle kernel, the common parameter entries, HA__MODEL_INFO),
 * in src/core/models/fixed_step.h (the integrated models' step grid and
 * checkpoints), noise.h (the stochastic models' hashing and seed) and
 * path_aux.h (the path models' tables). Each model file keeps its own
 * formula. The inline helpers are the ones evaluation uses; the out-of-line
 * ones (model.c) serve prepare() only.
 *
 * Adding a model = one file in src/core/models/ + one line in
 * src/core/models/models.def. */
#ifndef HOLOANIM_MODEL_IMPL_H
#define HOLOANIM_MODEL_IMPL_H

#include "core_internal.h"

#define HA__MAX_SLOTS 40

typedef struct ha__model ha__model;

/* Closed forms that the batch evaluator runs as SIMD kernels. A model that
 * can be written in one of them provides `pack`, which fills the kernel's
 * parameters in the model's local frame (before rotation/scale; the batch
 * folds the frame transform into c, m and n). With p = τ/T:
 *   CIRCLE: P = c + m[:,0]·cos(θ0 + ω0·p) + m[:,1]·sin(θ0 + ω0·p)
 *   SINES:  P = c + Σ_k m[:,k]·sin(ω_k·p + φ_k), k = 0..2
 * The shape kernels share g = ease(clamp(u·ω2, 0, 1)) (ha_ease; `ease` is
 * an easing the kernels support, ha__kernel_ease_ok) and θ = θ0 + ω0·u:
 *   LERP:   P = c + m[:,2]·g
 *   ROT1:   P = c + m[:,2]·g + ρ·(m[:,0]·cos θ + m[:,1]·sin θ),
 *           ρ = rho[0] + rho[1]·g
 *   ROT2:   ROT1 with ρ += rho[2]·cos κ and + n[:,0]·cos κ + n[:,1]·sin κ,
 *           κ = ω1·θ (|κ| < 2^30 for every p: pack checks)
 *   WAVE:   P = c + m[:,2]·g + m[:,0]·ha__waveform(wave, θ0 + ω0·u)
 *   BOUNCE: P = c + m[:,2]·h(τ), h bounce.c's height with gravity, ground,
 *           start in omega[0..2], bounciness, 1 − dampingPerBounce, restApex
 *           in phase[0..2], maxBounces in rho[0]; the only kernel that
 *           takes the blended wrap (the batch adds it).
 *   CUBIC:  P = c + m[:,0]·w³ + m[:,1]·3w²g + m[:,2]·3wg² + n[:,0]·g³,
 *           w = 1 − g: path.c's cubic Bézier at g (c = 0 before the frame).
 *   SPRING: P = c + m[:,2]·g(τ), spring.c's response with its case (0
 *           critical, 1 under-, 2 over-damped) in omega[2], a and ω or β in
 *           omega[0..1], the far form's slow root, a/β, a + β in phase[0..2];
 *           blended wrap as BOUNCE.
 *   RANDOM: P = c + M·L, L_a = lerp of waypoints k, k + 1 of axis a
 *           (random.c) at its smoothed fraction: rate, period and
 *           smoothness in omega[0..2], centre and bounds in phase and rho,
 *           the seed in u_scale; c = 0 and M = I before the frame. The batch
 *           hashes (seed, track, axis) once per track (ha__noise_prefix).
 *   PERLIN: P = c + M·L, L_a = Σ_o pers^o·n_o(x), perlin_noise.c's octaves
 *           (x = rate·2^o·τ + φ(a, o)): rate, period (0 none) and octaves
 *           in omega[0..2], persistence in phase[0], the phases and the
 *           folded hashes and the precomputed lattice gradients in
 *           `table` (perlin_noise.c's d->aux, which the batch references,
 *           never copies: HA__PERLIN_AT below); c = centre and
 *           M = scale/(N·Σ pers^o)·I before the frame.
 *   ATTRACT: P = c + M·x(τ), attract_repel.c's grid state x (its fixed
 *           step, checkpoints in `table` = d->aux, the per-track cache)
 *           linearly interpolated to τ: strength, radius, maxSpeed in
 *           omega[0..2], the target in phase, damping in u_scale; c = 0,
 *           M = I before the frame. Blended wrap as BOUNCE.
 *   PENDULUM: P = c + m[:,0]·sin θ + m[:,1]·cos θ, θ(τ) pendulum.c's RK4
 *           grid (ha__sin_det) from `table` = d->aux (checkpoints after
 *           the folds' header: pendulum.c) or the cache: g/L and damping
 *           in omega[0..1]. Times past a settled fold the batch leaves to
 *           the model. Blended wrap as BOUNCE.
 *   SEGS:   P = c + M·S_j(h(f)), path.c's precomputed spline segment j
 *           (ha__seg_eval: time warp h, then the Hermite cubics) of
 *           nseg equal parts of p (ha__piece: j, f), nseg in omega[0], the
 *           segments (HA__SEG_DOUBLES each) in `table` = d->aux; c = 0 and
 *           M = I before the frame (catmull-rom's spline form).
 *   KEYS:   P = c + M·K(τ), path.c's ha__keyframes_eval on the data's keys
 *           (the batch references the data) with the interpolation in
 *           omega[0] and its catmull-rom segments in `table` = d->aux; c = 0
 *           and M = I before the frame (keyframes, ride plain).
 * where the shape kernels' u (in g and θ alike) is p, or τ in seconds
 * (u_mode 1), or the lap fraction x − ⌊x⌋ of x = u_scale·p (u_mode 2).
 * (m[r][k]: row r = axis x/y/z, column k.) Each formula is written with the
 * model's own operations in the same order (θ, κ, ρ, g), so the angles are
 * bit-identical to local()'s and the positions differ by roundings only. */
typedef enum ha__kernel {
  HA__KERNEL_NONE = 0,
  HA__KERNEL_CIRCLE,
  HA__KERNEL_SINES,
  HA__KERNEL_LERP,
  HA__KERNEL_ROT1,
  HA__KERNEL_ROT2,
  HA__KERNEL_WAVE,
  HA__KERNEL_BOUNCE,
  HA__KERNEL_CUBIC,
  HA__KERNEL_SPRING,
  HA__KERNEL_RANDOM,
  HA__KERNEL_PERLIN,
  HA__KERNEL_ATTRACT,
  HA__KERNEL_PENDULUM,
  HA__KERNEL_SEGS,
  HA__KERNEL_KEYS
} ha__kernel;
typedef struct ha__kernel_params {
  double c[3];
  double m[3][3];
  double theta0;   /* CIRCLE */
  double omega[3]; /* CIRCLE uses omega[0] */
  double phase[3]; /* SINES; shape kernels: θ0 in phase[0] */
  double n[3][2];  /* ROT2 */
  double rho[3];   /* ROT1, ROT2 */
  int ease;        /* shape kernels: a ha_easing */
  int wave;        /* WAVE: ha__waveform's index */
  int u_mode;      /* shape kernels: u = p (0), τ (1) or frac(u_scale·p) (2) */
  double u_scale;
  const double *table; /* PERLIN, SEGS, ...: the model's table, owned by the motion data */
} ha__kernel_params;

/* The pendulum's sine (its RK4 steps): Cody–Waite reduction by π/2 (the
 * first part of π/2 has 33 bits, so k·P1 is exact for |k| < 2^20) and
 * fdlibm's kernel polynomials, with plain multiplies and adds only, so the
 * batch's vector kernel (simd/batch_pendulum_vec.c, sin_det) computes the same bits lane
 * by lane whatever the libm: the integrated grid states are then one
 * function of k for the model and the kernel alike, and their caches can
 * be shared. Within about an ulp of sin; |x| > 2^19 goes to libm. */
static inline double ha__sin_det(double x) {
  if (!(fabs(x) <= 524288.0)) {
    return sin(x);
  }
  /* k = x·2/π rounded to nearest by adding and removing 1.5·2^52 (no
   * floor() call: baseline x86-64 has no rounding instruction). */
  double k = (x * 0.6366197723675814 + 6755399441055744.0) - 6755399441055744.0;
  double r = (x - k * 1.5707963267341256) - k * 6.077100506506192e-11;
  double z = r * r;
  double ps = -1.6666666666666632e-01 +
              z * (8.333333333322425e-03 +
                   z * (-1.9841269829816972e-04 +
                        z * (2.755731369523361e-06 +
                             z * (-2.505075865436212e-08 + z * 1.589682799074592e-10))));
  double pc = 4.166666666666665e-02 +
              z * (-1.3888888888882792e-03 +
                   z * (2.4801587294597684e-05 +
                        z * (-2.755731573018792e-07 +
                             z * (2.087589666464709e-09 + z * -1.1367930566525163e-11))));
  double sn = r + r * z * ps;
  double cs = (1.0 - 0.5 * z) + z * z * pc;
  int q = (int)((int64_t)k & 3);
  return q == 0 ? sn : q == 1 ? cs : q == 2 ? -sn : -cs;
}

/* perlin-noise's table (PERLIN above): axis a, octave o (< 8) has its
 * phase φ and the offset (in doubles from the table's start) of its
 * gradients at HA__PERLIN_AT(a, o), the folded hash's high and low 32 bits
 * HA__PERLIN_HASH doubles further (the kernels' lookups read only the
 * former: fewer cache lines). At HA__PERLIN_TABLED: how many octaves (the
 * first ones, all three axes) have gradients, then the duration T they
 * cover: octave o of them has n(o) cells, those every τ in [0, T] reaches
 * (perlin_noise.c), its gradients g_k, k = 0..n(o), exactly the hash's
 * 2u − 1 for lattice point k (wrapped by the period): cell k = ⌊x⌋ spans
 * g_k, g_{k+1}. The other entries' offsets address HA__PERLIN_PAD, two
 * zeros. */
#define HA__PERLIN_AT(a, o) ((size_t)2 * (3 * (size_t)(o) + (size_t)(a)))
#define HA__PERLIN_HASH HA__PERLIN_AT(0, 8)
#define HA__PERLIN_TABLED (2 * HA__PERLIN_HASH)
#define HA__PERLIN_PAD (HA__PERLIN_TABLED + 2)

/* noise.h's hashing, out of line for the batch: the hash of (seed, a, b)
 * folded up to its last key, and the last round with key c. */
uint64_t ha__noise_prefix(uint64_t seed, uint64_t a, uint64_t b);
uint64_t ha__noise_last(uint64_t h3, uint64_t c);

/* 1 when the batch kernels evaluate easing `e` (linear, and the quad,
 * cubic, quart, quint, sine, circ and back families). */
static inline int ha__kernel_ease_ok(int e) {
  if (e == 0) {
    return 1;
  }
  int family = (e - 1) / 3;
  return e > 0 && e < (int)HA_EASE_COUNT && family != 5 && family != 8 && family != 9;
}
/* The shape kernels' common part: everything zero but c, θ0, ω0, the
 * progress scale ω2 (1: g = ease(p)) and the easing. */
static inline void ha__kernel_shape(ha__kernel_params *kp, ha_vec3 c, double theta0, double omega,
                                    int ease) {
  static const ha__kernel_params zero;
  *kp = zero;
  kp->c[0] = c.x;
  kp->c[1] = c.y;
  kp->c[2] = c.z;
  kp->phase[0] = theta0;
  kp->omega[0] = omega;
  kp->omega[2] = 1.0;
  kp->ease = ease;
}
/* Every kernel parameter zero but M = I: the kernels that compute the local
 * position themselves (the frame is applied after). */
static inline void ha__kernel_identity(ha__kernel_params *kp) {
  static const ha__kernel_params zero;
  *kp = zero;
  for (int a = 0; a < 3; a++) {
    kp->m[a][a] = 1.0;
  }
}
/* Column k of kp->m from v. */
static inline void ha__kernel_col(ha__kernel_params *kp, int k, ha_vec3 v) {
  kp->m[0][k] = v.x;
  kp->m[1][k] = v.y;
  kp->m[2][k] = v.z;
}

typedef struct ha__motion_data {
  const ha__model *model;
  double s[HA__MAX_SLOTS];
  ha_vec3 *pts; /* POINTS parameter (one per model at most) */
  size_t npts;
  ha_keyframe *keys; /* KEYFRAMES parameter */
  size_t nkeys;
  double *aux; /* derived tables owned by the data (freed with it) */
  size_t naux;
  ha_mat3 xf;       /* rotation · scale applied about the pivot */
  int has_xf;       /* 0 when identity: skip the multiply */
  ha_quat rot;      /* the rotation part alone (formation axes) */
  ha_vec3 off;      /* `offset`: added after the frame, turned by `offsetTurn` */
  ha_vec3 off_turn; /* `offsetTurn`: axis · degrees turned over one cycle */
  ha_vec3 off_axis; /* its unit axis, zero when it turns nothing (set with it) */
  double off_deg;   /* |offsetTurn|: degrees per cycle */
  int has_off;      /* 0 when no offset: skip it */
  ha_timing timing;
  uint64_t tag; /* unique per data version: keys the per-track state cache */
  /* The blended wrap (HA__SEAM_BLEND in loop mode): over τ ∈ [seam_from, T)
   * the position eases into the cycle's start; seam_window 0 = none. */
  double seam_from;
  double seam_window;
} ha__motion_data;

/* What a model does at the wrap of the `loop` mode (docs/models.md "Loops and
 * seams"). CUT: the path restarts (it ends where the user put its end, or the
 * model is periodic by itself); PERIODIC: the model makes its own path
 * periodic over T in loop mode (its prepare asks ha__seamless); BLEND: no
 * period exists, model.c eases the last HA__SEAM_WINDOW of each cycle into the
 * start position. */
typedef enum ha__seam { HA__SEAM_CUT = 0, HA__SEAM_PERIODIC, HA__SEAM_BLEND } ha__seam;
/* The blend window: min(HA__SEAM_WINDOW_MAX s, HA__SEAM_WINDOW_FRACTION·T)
 * of animation time. */
#define HA__SEAM_WINDOW_MAX 0.5
#define HA__SEAM_WINDOW_FRACTION 0.1

/* Whether this data's wraps are to be seamless (prepare only): loop mode
 * with timing.seam blend. */
static inline int ha__seamless(const ha__motion_data *d) {
  return d->timing.loop == HA_LOOP_LOOP && d->timing.seam == HA_SEAM_BLEND;
}

/* One evaluation: τ (seconds within [0, T]), p = τ/T, the cycle (0 for
 * the first, and before it; always 0 for once), the track, its cache. */
typedef struct ha__eval {
  double tau;
  double p;
  double T;
  double cycle;
  uint32_t track;
  ha_motion_state *state; /* may be NULL: stateful models integrate from 0 */
} ha__eval;

struct ha__model {
  ha_model_info info;
  /* Optional: cross-parameter checks and derived data, after the generic
   * parse. `raw` is the user's set (for special forms such as a v2.0 vector
   * amplitude). Report problems through ha__error_* naming the parameter. */
  ha_status (*prepare)(ha__motion_data *d, const ha_params *raw, ha_error *err);
  /* Required: the untransformed position. Must not allocate; must return
   * finite values for finite validated input. */
  ha_vec3 (*local)(const ha__motion_data *d, const ha__eval *ev);
  /* Optional: the pivot; NULL means the vec3 in slots 0..2. */
  ha_vec3 (*pivot)(const ha__motion_data *d);
  /* Optional (HA_MODEL_ROTATING): heading in radians at ev (θ − θ0) and the
   * local axis it turns about (before the frame transform). */
  double (*heading)(const ha__motion_data *d, const ha__eval *ev, ha_vec3 *axis);
  /* Optional: express the validated data in a SIMD kernel's closed form;
   * returns the kernel, or HA__KERNEL_NONE when this data cannot be. */
  ha__kernel (*pack)(const ha__motion_data *d, ha__kernel_params *kp);
  /* Optional defaults for a POINTS / KEYFRAMES parameter left out. */
  const ha_vec3 *default_pts;
  size_t default_npts;
  const ha_keyframe *default_keys;
  size_t default_nkeys;
  /* The wrap of the loop mode (ha__seam; 0 = CUT). */
  int seam;
};

/* The registry (models.def order). */
extern const ha__model *const ha__models[];
extern const size_t ha__model_total;
const ha__model *ha__model_lookup(const char *name);

/* Build motion data from a user's parameters (validate everything). On error
 * `d` holds nothing to free. */
ha_status ha__motion_data_build(ha__motion_data *d, const ha__model *m, const ha_params *raw,
                                const ha_timing *timing, ha_error *err);
/* The same checks and data without what only evaluation needs (the seam
 * window, the cache tag): ha__motion_validate's. Free `d` after HA_OK. */
ha_status ha__motion_data_check(ha__motion_data *d, const ha__model *m, const ha_params *raw,
                                const ha_timing *timing, ha_error *err);
void ha__motion_data_free(ha__motion_data *d);
/* Full position (model + frame transform) at τ. */
ha_vec3 ha__motion_data_eval(const ha__motion_data *d, double tau, double cycle, uint32_t track,
                             ha_motion_state *state);
ha_vec3 ha__motion_data_pivot(const ha__motion_data *d);

/* The current data of a motion, and whether it is blending an update
 * (then only the generic path is exact). */
const ha__motion_data *ha__motion_current(const ha_motion *m);
int ha__motion_blending(const ha_motion *m);

/* Raw parameter access for prepare hooks. */
typedef struct ha__value {
  ha_value_kind kind;
  double num[4];
  size_t n; /* numbers count, or list length */
  const char *str;
  const ha_vec3 *pts;
  const ha_keyframe *keys;
  int b;
} ha__value;
/* Find by the parameter's name or any of its aliases; 1 when found. */
int ha__params_get(const ha_params *raw, const ha_param_info *pi, ha__value *out);
/* 1 when `name` is one of the comma-separated `list` entries (model.c). */
int ha__in_list(const char *list, const char *name, int nocase);

/* ---- helpers shared by models ---- */

/* The vec3 in three consecutive doubles (a vec3 parameter's slots, an entry
 * of d->aux). */
static inline ha_vec3 ha__vec3_load(const double *a) {
  return ha_vec3_make(a[0], a[1], a[2]);
}
static inline void ha__vec3_store(double *a, ha_vec3 v) {
  a[0] = v.x;
  a[1] = v.y;
  a[2] = v.z;
}
static inline ha_vec3 ha__slot_vec3(const ha__motion_data *d, int slot) {
  return ha__vec3_load(&d->s[slot]);
}
/* d->aux as n doubles (prepare only): HA_ENOMEM, with naux = 0, on failure. */
ha_status ha__aux_alloc(ha__motion_data *d, size_t n);
/* "[x, y, z]" with shortest round-trip numbers, for error messages. */
void ha__format_vec3(char *buf, size_t cap, ha_vec3 v);
/* prepare(): *dir = unit(v); when v is the zero vector (it has no
 * direction), an InvalidParameter (HA_EINVAL) naming the parameter `name`,
 * with `shown` as its value and the message `why`. */
ha_status ha__unit_direction(ha_vec3 v, const char *name, const char *shown, const char *why,
                             ha_vec3 *dir, ha_error *err);
/* prepare(): *dir = unit(to − from) for the vec3 slots `from` and `to`; when
 * they coincide, ha__unit_direction's error naming the `to` parameter, with
 * its value. */
ha_status ha__slot_direction(const ha__motion_data *d, int from, int to, const char *to_name,
                             const char *why, ha_vec3 *dir, ha_error *err);

/* The CIRCLE kernel P = c + u·cos θ + v·sin θ, θ = θ0 + ω·p: every other
 * kernel parameter zero. */
static inline ha__kernel ha__kernel_circle(ha__kernel_params *kp, ha_vec3 c, ha_vec3 u, ha_vec3 v,
                                           double theta0, double omega) {
  static const ha__kernel_params zero;
  *kp = zero;
  ha__vec3_store(kp->c, c);
  kp->m[0][0] = u.x;
  kp->m[1][0] = u.y;
  kp->m[2][0] = u.z;
  kp->m[0][1] = v.x;
  kp->m[1][1] = v.y;
  kp->m[2][1] = v.z;
  kp->theta0 = theta0;
  kp->omega[0] = omega;
  return HA__KERNEL_CIRCLE;
}
/* plane: 0 xy → (u, v, 0); 1 xz → (u, 0, v); 2 yz → (0, u, v). */
static inline ha_vec3 ha__plane_map(int plane, double u, double v) {
  switch (plane) {
  case 1: return ha_vec3_make(u, 0.0, v);
  case 2: return ha_vec3_make(0.0, u, v);
  default: return ha_vec3_make(u, v, 0.0);
  }
}
/* The normal of a plane, oriented so in-plane angles turn counter-clockwise
 * about it: xy → +Z, xz → −Y (u = X toward v = Z), yz → +X. */
static inline ha_vec3 ha__plane_normal(int plane) {
  switch (plane) {
  case 1: return ha_vec3_make(0.0, -1.0, 0.0);
  case 2: return ha_vec3_make(1.0, 0.0, 0.0);
  default: return ha_vec3_make(0.0, 0.0, 1.0);
  }
}
/* Waveforms of the oscillator family: 0 sine, 1 triangle, 2 square, 3 sawtooth. */
double ha__waveform(int wave, double alpha);

/* Parameter table helpers (designated initialisers keep tables readable). */
#define HA__PLANE_CHOICES "xy|xz|yz"
#define HA__P_NUM(slot_, name_, alias_, unit_, def_, min_, max_, desc_)                          \
  {                                                                                              \
    .name = (name_), .aliases = (alias_), .type = HA_PARAM_NUMBER, .unit = (unit_),              \
    .def = {(def_), 0, 0}, .min = (min_), .max = (max_), .description = (desc_), .slot = (slot_) \
  }
#define HA__P_INT(slot_, name_, alias_, unit_, def_, min_, max_, desc_)                          \
  {                                                                                              \
    .name = (name_), .aliases = (alias_), .type = HA_PARAM_INTEGER, .unit = (unit_),             \
    .def = {(def_), 0, 0}, .min = (min_), .max = (max_), .description = (desc_), .slot = (slot_) \
  }
#define HA__P_VEC(slot_, name_, alias_, dx, dy, dz, min_, max_, desc_)               \
  {                                                                                  \
    .name = (name_), .aliases = (alias_), .type = HA_PARAM_VEC3, .unit = "m",        \
    .def = {(dx), (dy), (dz)}, .min = (min_), .max = (max_), .description = (desc_), \
    .slot = (slot_)                                                                  \
  }
#define HA__P_CHOICE(slot_, name_, alias_, choices_, defidx_, desc_)                             \
  {                                                                                              \
    .name = (name_), .aliases = (alias_), .type = HA_PARAM_CHOICE, .unit = "",                   \
    .def = {(defidx_), 0, 0}, .min = 0, .max = 0, .choices = (choices_), .description = (desc_), \
    .slot = (slot_)                                                                              \
  }
#define HA__P_BOOL(slot_, name_, alias_, def_, desc_)                                  \
  {                                                                                    \
    .name = (name_), .aliases = (alias_), .type = HA_PARAM_BOOL, .unit = "",           \
    .def = {(def_), 0, 0}, .min = 0, .max = 1, .description = (desc_), .slot = (slot_) \
  }
#define HA__P_EASING(slot_, name_, alias_, def_, desc_)                                        \
  {                                                                                            \
    .name = (name_), .aliases = (alias_), .type = HA_PARAM_EASING, .unit = "",                 \
    .def = {(double)(def_), 0, 0}, .min = 0, .max = 0, .description = (desc_), .slot = (slot_) \
  }
#define HA__P_POINTS(name_, alias_, minn, maxn, desc_)                                            \
  {                                                                                               \
    .name = (name_), .aliases = (alias_), .type = HA_PARAM_POINTS, .unit = "m", .def = {0, 0, 0}, \
    .min = (minn), .max = (maxn), .description = (desc_), .slot = -1                              \
  }
#define HA__P_KEYS(name_, alias_, minn, maxn, desc_)                                   \
  {                                                                                    \
    .name = (name_), .aliases = (alias_), .type = HA_PARAM_KEYFRAMES, .unit = "m",     \
    .def = {0, 0, 0}, .min = (minn), .max = (maxn), .description = (desc_), .slot = -1 \
  }

/* Position limits for parameters in metres (the device clamps at ±100 m). */
#define HA__POS_MAX 1000.0

/* The entries most models share, on top of the kinds above:
 * a position or offset in metres within ±HA__POS_MAX; a direction (same
 * range); the centre (default 0);
 * the plane choice; a length in [0, HA__POS_MAX] m; an angle in degrees
 * within ±36000 (a hundred turns either way); a signed count of turns per
 * duration within ±1000. */
#define HA__P_POS(slot_, name_, alias_, dx, dy, dz, desc_) \
  HA__P_VEC(slot_, name_, alias_, dx, dy, dz, -HA__POS_MAX, HA__POS_MAX, desc_)
/* A direction: any non-zero vector (its length is ignored), declared with a
 * position's range so any vector between two positions can be given. */
#define HA__P_DIR(slot_, name_, alias_, dx, dy, dz, desc_) \
  HA__P_VEC(slot_, name_, alias_, dx, dy, dz, -HA__POS_MAX, HA__POS_MAX, desc_)
#define HA__P_CENTER(slot_, desc_) HA__P_POS(slot_, "center", NULL, 0, 0, 0, desc_)
#define HA__P_PLANE(slot_, defidx_, desc_) \
  HA__P_CHOICE(slot_, "plane", NULL, HA__PLANE_CHOICES, defidx_, desc_)
#define HA__P_LEN(slot_, name_, alias_, def_, desc_) \
  HA__P_NUM(slot_, name_, alias_, "m", def_, 0, HA__POS_MAX, desc_)
#define HA__P_DEG(slot_, name_, alias_, def_, desc_) \
  HA__P_NUM(slot_, name_, alias_, "deg", def_, -36000, 36000, desc_)
#define HA__P_TURNS(slot_, name_, alias_, def_, desc_) \
  HA__P_NUM(slot_, name_, alias_, "turns", def_, -1000, 1000, desc_)

/* A model's public info, with its parameter table (an array, so its length
 * is known here):
 *   const ha__model ha__model_x = {
 *       .info = HA__MODEL_INFO("x", "alias,alias", flags, params, "description"),
 *       .local = local, ...}; */
#define HA__MODEL_INFO(name_, aliases_, flags_, params_, desc_)                          \
  {                                                                                      \
    .name = (name_), .aliases = (aliases_), .description = (desc_), .params = (params_), \
    .param_count = HA__COUNTOF(params_), .flags = (flags_)                               \
  }

#endif
