/* Batch evaluation: every implementation (generic, scalar, AVX2 when this
 * build and CPU have it) against ha_motion_eval per track, on random motions
 * of the closed-form models with random frames, loop modes, speeds and
 * shifts, on a mix of every registered model, at wraps, at extreme angles
 * and at non-finite times; plus capture/refresh semantics and the API's
 * error paths. The counting-allocator test is tests/test_batch_alloc.c. */
#include "holoanim.h"
#include "test.h"

#define TOL_M 1e-9 /* metres: the batch must agree with ha_motion_eval this closely */
#define HA__COUNTOF_T(a) (sizeof(a) / sizeof((a)[0]))

/* Exact equality without -Wfloat-equal noise (sentinel checks). */
static int ha__feq_t(double a, double b) {
  return !(a < b) && !(a > b);
}

static const ha_batch_impl impls[] = {HA_BATCH_IMPL_GENERIC, HA_BATCH_IMPL_SCALAR,
                                      HA_BATCH_IMPL_AVX2, HA_BATCH_IMPL_AVX512};

/* The closed-form models the batch runs as kernels. */
static const char *const kernel_models[] = {
    "circular",   "elliptical",   "orbit",         "circular-scan", "lissajous",   "linear",
    "doppler",    "zoom",         "spiral",        "helix",         "rose-curve",  "epicycloid",
    "oscillator", "zigzag",       "pattern",       "bounce",        "bezier",      "spring",
    "random",     "perlin-noise", "attract-repel", "pendulum",      "catmull-rom", "keyframes"};
/* Of those, the ones packed only for some parameters (an easing the kernels
 * lack, linear's aed space, pattern's polygons, bezier's and catmull-rom's
 * constant speed, catmull-rom's hermite form, keyframes' ride v2.0): the
 * others must always be. */
static int packed_sometimes(const char *model) {
  return strcmp(model, "linear") == 0 || strcmp(model, "zoom") == 0 ||
         strcmp(model, "pattern") == 0 || /* the circle only */
         strcmp(model, "bezier") == 0 ||  /* not at constant speed */
         strcmp(model, "catmull-rom") == 0 || strcmp(model, "keyframes") == 0; /* ride v2.0 */
}

typedef struct track_set {
  size_t n, cap;
  ha_motion **m;
  ha_track_ctx *ctx;
  ha_motion_state *state;
  const char **model;
} track_set;

static void set_init(track_set *s, size_t cap) {
  memset(s, 0, sizeof(*s));
  s->cap = cap;
  s->m = calloc(cap, sizeof(*s->m));
  s->ctx = calloc(cap, sizeof(*s->ctx));
  s->state = calloc(cap, sizeof(*s->state));
  s->model = calloc(cap, sizeof(*s->model));
}

static void set_free(track_set *s) {
  for (size_t i = 0; i < s->n; i++) {
    ha_motion_destroy(s->m[i]);
  }
  free(s->m);
  free(s->ctx);
  free(s->state);
  free(s->model);
}

static size_t choice_count(const char *choices) {
  size_t n = 1;
  for (const char *c = choices; *c; c++) {
    n += *c == '|';
  }
  return n;
}

/* A random value for every numeric/choice parameter of `mi`, within the
 * parameter's range and within test-sized magnitudes (radius ≤ 100 m, speeds
 * ≤ 100 turns, angles ≤ 720°, centres ≤ 50 m, ratios ≤ 10). */
static void random_params(uint64_t *rng, const ha_model_info *mi, ha_params *p) {
  for (size_t j = 0; j < mi->param_count; j++) {
    const ha_param_info *pi = &mi->params[j];
    double cap = 10.0;
    if (strcmp(pi->unit, "m") == 0) {
      cap = 100.0;
    } else if (strcmp(pi->unit, "deg") == 0) {
      cap = 720.0;
    } else if (strcmp(pi->unit, "turns") == 0) {
      cap = 100.0;
    }
    double lo = pi->min > -cap ? pi->min : -cap, hi = pi->max < cap ? pi->max : cap;
    switch (pi->type) {
    case HA_PARAM_NUMBER: ha_params_set_number(p, pi->name, ha_t_uniform(rng, lo, hi)); break;
    case HA_PARAM_INTEGER:
      ha_params_set_number(p, pi->name, floor(ha_t_uniform(rng, lo, hi < 8 ? hi : 8)));
      break;
    case HA_PARAM_VEC3: {
      double l = pi->min > -50 ? pi->min : -50, h = pi->max < 50 ? pi->max : 50;
      ha_params_set_vec3(
          p, pi->name,
          ha_vec3_make(ha_t_uniform(rng, l, h), ha_t_uniform(rng, l, h), ha_t_uniform(rng, l, h)));
      break;
    }
    case HA_PARAM_CHOICE: {
      char name[64];
      size_t k = (size_t)(ha_t_rand(rng) % choice_count(pi->choices));
      if (ha_param_choice_at(pi, k, name, sizeof(name)) == HA_OK) {
        ha_params_set_string(p, pi->name, name);
      }
      break;
    }
    case HA_PARAM_BOOL: ha_params_set_bool(p, pi->name, (ha_t_rand(rng) & 1) != 0); break;
    case HA_PARAM_EASING:
      ha_params_set_string(p, pi->name,
                           ha_easing_name((ha_easing)(ha_t_rand(rng) % (uint64_t)HA_EASE_COUNT)));
      break;
    case HA_PARAM_POINTS:
    case HA_PARAM_KEYFRAMES:
    case HA_PARAM_ROTATION:
    case HA_PARAM_SCALE: break;
    }
  }
}

static int own_param(const ha_model_info *mi, const char *name) {
  for (size_t j = 0; j < mi->param_count; j++) {
    if (strcmp(mi->params[j].name, name) == 0) {
      return 1;
    }
  }
  return 0;
}

/* Random rotation (none, Euler or quaternion) and scale (none, uniform,
 * per axis, sometimes mirrored), unless the model has a parameter of that
 * name itself (perlin-noise's scale is an amplitude in metres). */
static void random_frame(uint64_t *rng, const ha_model_info *mi, ha_params *p) {
  uint64_t r = ha_t_rand(rng) % 4;
  if (own_param(mi, "rotation")) {
    r = 0;
  }
  if (r == 1) {
    double e[3] = {ha_t_uniform(rng, -180, 180), ha_t_uniform(rng, -180, 180),
                   ha_t_uniform(rng, -180, 180)};
    ha_params_set_numbers(p, "rotation", e, 3);
  } else if (r >= 2) {
    double q[4] = {ha_t_uniform(rng, -1, 1), ha_t_uniform(rng, -1, 1), ha_t_uniform(rng, -1, 1),
                   ha_t_uniform(rng, -1, 1)};
    ha_params_set_numbers(p, "rotation", q, 4);
  }
  r = ha_t_rand(rng) % 4;
  if (own_param(mi, "scale")) {
    r = 0;
  }
  if (r == 1) {
    ha_params_set_number(p, "scale", ha_t_uniform(rng, 0.2, 3.0));
  } else if (r >= 2) {
    double s[3] = {ha_t_uniform(rng, -3, 3), ha_t_uniform(rng, 0.2, 3), ha_t_uniform(rng, -3, 3)};
    ha_params_set_numbers(p, "scale", s, 3);
  }
}

static ha_timing random_timing(uint64_t *rng, double max_duration) {
  ha_timing tm = {ha_t_uniform(rng, 0.5, max_duration), (ha_loop_mode)(ha_t_rand(rng) % 3),
                  ha_t_uniform(rng, 0.1, 10.0), HA_SEAM_BLEND};
  return tm;
}

/* Append a random motion of `model` to `s`: random parameters when
 * `random_shape`; when a cross-parameter rule refuses the draw, the default
 * shape; when the timing is refused too (keyframe times beyond a short
 * duration), the default timing. The frame is always random. */
static void add_random(track_set *s, uint64_t *rng, const char *model, int random_shape,
                       double max_duration) {
  const ha_model_info *mi = ha_model_find(model);
  if (mi == NULL || s->n == s->cap) {
    return;
  }
  ha_params *p = NULL;
  CHECK_OK(ha_params_create(&p));
  if (random_shape) {
    random_params(rng, mi, p);
  }
  random_frame(rng, mi, p);
  ha_timing tm = random_timing(rng, max_duration);
  ha_motion *m = NULL;
  ha_error err;
  ha_status st = ha_motion_create(mi->name, p, &tm, &m, &err);
  if (st != HA_OK && random_shape) {
    ha_params_clear(p);
    random_frame(rng, mi, p);
    st = ha_motion_create(mi->name, p, &tm, &m, &err);
  }
  if (st != HA_OK) {
    ha_timing def = ha_timing_default();
    tm.duration = def.duration;
    st = ha_motion_create(mi->name, p, &tm, &m, &err);
  }
  CHECK_MSG(st == HA_OK, "create %s: %s", mi->name, err.message);
  ha_params_destroy(p);
  if (m == NULL) {
    return;
  }
  size_t i = s->n++;
  s->m[i] = m;
  s->model[i] = mi->name;
  s->ctx[i].track_id = (uint32_t)i;
  s->ctx[i].shift = ha_t_uniform(rng, -100.0, 100.0);
  s->ctx[i].state = &s->state[i];
  s->ctx[i].state_prev = NULL;
}

/* The max-norm distance *e of (px, py, pz) from the reference r, folded
 * into *worst; true when the point is finite and within tol. */
static int near_ref(double px, double py, double pz, ha_vec3 r, double tol, double *worst,
                    double *e) {
  *e = fmax(fabs(px - r.x), fmax(fabs(py - r.y), fabs(pz - r.z)));
  *worst = *e > *worst ? *e : *worst;
  return isfinite(px) && isfinite(py) && isfinite(pz) && *e <= tol;
}

/* THE test body: every available implementation, at every time, against
 * ha_motion_eval per track (absolute error ≤ tol metres, finite), and the
 * SIMD kernels against the scalar ones (≤ tol too). Prints the largest
 * error per implementation. */
static void check_all_impls(const track_set *s, const double *times, size_t nt, double tol,
                            const char *label) {
  enum { NIMPL = HA__COUNTOF_T(impls) };
  ha_batch *b = NULL;
  CHECK_OK(ha_batch_create(s->n ? s->n : 1, &b));
  for (size_t i = 0; i < s->n; i++) {
    CHECK_OK(ha_batch_add(b, s->m[i], &s->ctx[i], NULL));
  }
  size_t n1 = s->n + 1;
  double *out = malloc(NIMPL * 3 * n1 * sizeof(double));
  double worst[NIMPL] = {0}, simd_vs_scalar = 0.0;
  int available[NIMPL], reported = 0;
  for (size_t k = 0; k < NIMPL; k++) {
    available[k] = ha_batch_impl_available(impls[k]);
    if (!available[k]) {
      double *x = out + 3 * k * n1;
      CHECK_INT(ha_batch_eval_with(b, 0.0, x, x + n1, x + 2 * n1, impls[k]), HA_EUNSUPPORTED);
    }
  }
  for (size_t j = 0; j < nt; j++) {
    double t = times[j];
    for (size_t k = 0; k < NIMPL; k++) {
      double *x = out + 3 * k * n1, *y = x + n1, *z = y + n1;
      if (!available[k]) {
        continue;
      }
      CHECK_OK(ha_batch_eval_with(b, t, x, y, z, impls[k]));
      for (size_t i = 0; i < s->n; i++) {
        ha_vec3 r = ha_motion_eval(s->m[i], t, &s->ctx[i]);
        double e;
        if (!near_ref(x[i], y[i], z[i], r, tol, &worst[k], &e) && reported++ < 5) {
          ha_timing tm = ha_motion_timing(s->m[i]);
          HA_T_FAIL(
              "%s/%s: track %zu (%s, T=%g %s speed=%g shift=%g) at t=%.17g: "
              "(%.17g, %.17g, %.17g) vs (%.17g, %.17g, %.17g), error %.3g m",
              label, ha_batch_impl_name(impls[k]), i, s->model[i], tm.duration,
              ha_loop_mode_name(tm.loop), tm.speed, s->ctx[i].shift, t, x[i], y[i], z[i], r.x, r.y,
              r.z, e);
        }
        if (impls[k] == HA_BATCH_IMPL_AVX2 || impls[k] == HA_BATCH_IMPL_AVX512) {
          /* impls[1] is SCALAR, evaluated just before at the same t. */
          const double *sx = out + 3 * n1, *sy = sx + n1, *sz = sy + n1;
          double d = fmax(fabs(x[i] - sx[i]), fmax(fabs(y[i] - sy[i]), fabs(z[i] - sz[i])));
          simd_vs_scalar = d > simd_vs_scalar ? d : simd_vs_scalar;
          CHECK_MSG(d <= tol, "%s: track %zu at t=%.17g: avx2 and scalar differ by %.3g m", label,
                    i, t, d);
        }
      }
    }
  }
  printf("     %-13s", label);
  for (size_t k = 0; k < NIMPL; k++) {
    if (available[k]) {
      printf(" %s %.2g", ha_batch_impl_name(impls[k]), worst[k]);
    } else {
      printf(" %s unavailable", ha_batch_impl_name(impls[k]));
    }
  }
  if (available[2]) {
    printf(", simd-scalar %.2g", simd_vs_scalar);
  }
  printf(" m (max error; %zu tracks x %zu times)\n", s->n, nt);
  free(out);
  ha_batch_destroy(b);
}

/* ---- one motion at many times ---- */

/* THE test body for ha_motion_eval_times: every implementation, three
 * output layouts (planar, interleaved, stride 5), against ha_motion_eval
 * per time (≤ tol metres, finite), on every track of `s` over `times`
 * (every prefix length mod 4 is covered by the callers' odd counts).
 * Prints the largest error per implementation. */
static void check_times_all_impls(const track_set *s, const double *times, size_t nt, double tol,
                                  const char *label) {
  enum { NIMPL = HA__COUNTOF_T(impls), NLAYOUT = 3 };
  static const size_t strides[NLAYOUT] = {1, 3, 5};
  double *out = malloc(5 * (nt + 1) * sizeof(double));
  double *ref = malloc(3 * (nt + 1) * sizeof(double));
  double worst[NIMPL] = {0};
  int reported = 0;
  for (size_t i = 0; i < s->n; i++) {
    for (size_t j = 0; j < nt; j++) {
      ha_vec3 r = ha_motion_eval(s->m[i], times[j], &s->ctx[i]);
      ref[3 * j] = r.x;
      ref[3 * j + 1] = r.y;
      ref[3 * j + 2] = r.z;
    }
    for (size_t k = 0; k < NIMPL; k++) {
      if (!ha_batch_impl_available(impls[k])) {
        CHECK_INT(ha_motion_eval_times_with(s->m[i], &s->ctx[i], times, nt, out, out + 1, out + 2,
                                            3, impls[k]),
                  HA_EUNSUPPORTED);
        continue;
      }
      for (size_t l = 0; l < NLAYOUT; l++) {
        size_t st = strides[l];
        /* planar: x, y, z arrays one after the other; else interleaved in
         * a stride of st doubles (the gaps must stay untouched). */
        double *x = out, *y = st == 1 ? out + nt : out + 1, *z = st == 1 ? out + 2 * nt : out + 2;
        for (size_t q = 0; q < 5 * (nt + 1); q++) {
          out[q] = -7.0;
        }
        CHECK_OK(ha_motion_eval_times_with(s->m[i], &s->ctx[i], times, nt, x, y, z, st, impls[k]));
        for (size_t j = 0; j < nt; j++) {
          double px = x[j * st], py = y[j * st], pz = z[j * st];
          ha_vec3 r = ha_vec3_make(ref[3 * j], ref[3 * j + 1], ref[3 * j + 2]);
          double e;
          if (!near_ref(px, py, pz, r, tol, &worst[k], &e) && reported++ < 5) {
            ha_timing tm = ha_motion_timing(s->m[i]);
            HA_T_FAIL(
                "%s/%s/stride %zu: track %zu (%s, T=%g %s speed=%g shift=%g) at t=%.17g: "
                "(%.17g, %.17g, %.17g) vs (%.17g, %.17g, %.17g), error %.3g m",
                label, ha_batch_impl_name(impls[k]), st, i, s->model[i], tm.duration,
                ha_loop_mode_name(tm.loop), tm.speed, s->ctx[i].shift, times[j], px, py, pz,
                ref[3 * j], ref[3 * j + 1], ref[3 * j + 2], e);
          }
        }
        if (st == 5) {
          for (size_t j = 0; j < nt; j++) {
            CHECK(ha__feq_t(out[5 * j + 3], -7.0) && ha__feq_t(out[5 * j + 4], -7.0));
          }
        }
        /* Nothing past the last position. */
        size_t end = st == 1 ? 3 * nt : st * nt;
        CHECK(nt == 0 || ha__feq_t(out[end], -7.0));
      }
    }
  }
  printf("     %-13s", label);
  for (size_t k = 0; k < NIMPL; k++) {
    if (ha_batch_impl_available(impls[k])) {
      printf(" %s %.2g", ha_batch_impl_name(impls[k]), worst[k]);
    } else {
      printf(" %s unavailable", ha_batch_impl_name(impls[k]));
    }
  }
  printf(" m (max error; %zu motions x %zu times x 3 layouts)\n", s->n, nt);
  free(out);
  free(ref);
}

static uint64_t seed_from_env(void) {
  const char *e = getenv("HA_TEST_SEED");
  uint64_t seed = e ? strtoull(e, NULL, 0) : 0x5eedba7c4ull;
  printf("seed %llu (set HA_TEST_SEED to change)\n", (unsigned long long)seed);
  return seed;
}
static uint64_t g_seed;

/* Times: random in [−1000, 1e5] s, 0, and the exact wraps of a few tracks. */
static size_t make_times(uint64_t *rng, const track_set *s, double *times, size_t cap) {
  size_t n = 0;
  times[n++] = 0.0;
  times[n++] = 1e5;
  while (n < cap / 2) {
    times[n++] = ha_t_uniform(rng, -1000.0, 1e5);
  }
  for (size_t i = 0; n < cap && s->n > 0; i++) {
    size_t k = (size_t)(ha_t_rand(rng) % s->n);
    ha_timing tm = ha_motion_timing(s->m[k]);
    double wraps = floor(ha_t_uniform(rng, 0, 50));
    /* a = t·speed − shift lands on (or within an ulp of) wraps·T. */
    times[n++] = (wraps * tm.duration + s->ctx[k].shift) / tm.speed;
  }
  return n;
}

static void test_kernel_models_random(void) {
  uint64_t rng = g_seed;
  track_set s;
  set_init(&s, 600);
  /* Interleaved runs of random length (1 to 17: up to two vectors of
   * eight lanes and one more), so kernels start at every offset and end in
   * every partial vector of both widths. */
  while (s.n < s.cap) {
    const char *model = kernel_models[ha_t_rand(&rng) % HA__COUNTOF_T(kernel_models)];
    size_t run = 1 + (size_t)(ha_t_rand(&rng) % 17);
    for (size_t k = 0; k < run && s.n < s.cap; k++) {
      add_random(&s, &rng, model, 1, 100.0);
    }
  }
  ha_batch *b = NULL;
  CHECK_OK(ha_batch_create(s.n, &b));
  for (size_t i = 0; i < s.n; i++) {
    CHECK_OK(ha_batch_add(b, s.m[i], &s.ctx[i], NULL));
  }
  ha_batch_stats st;
  ha_batch_get_stats(b, &st);
  /* Every closed-form model that is registered must actually be packed
   * (linear and zoom when their draw allows). */
  size_t expect = 0;
  for (size_t i = 0; i < s.n; i++) {
    int packs = ha_batch_would_pack(s.m[i]);
    CHECK_MSG(packs || packed_sometimes(s.model[i]), "%s not packed", s.model[i]);
    expect += packs != 0;
  }
  CHECK_INT(st.packed, expect);
  CHECK(expect > s.n * 3 / 4);
  CHECK(st.runs > 10);
  ha_batch_destroy(b);

  double times[64];
  size_t nt = make_times(&rng, &s, times, HA__COUNTOF_T(times));
  check_all_impls(&s, times, nt, TOL_M, "kernels");
  set_free(&s);
}

/* keyframes with random keys (the models' draws keep the default three):
 * 1 to 40 keys at sorted times within the duration, some equal (a jump),
 * the first after 0 and the last before T (τ before and after the keys),
 * every easing, the three interpolations and a random frame, interleaved
 * with a closed-form model so runs start at every lane. Every fourth track
 * plays at speed 1 without a shift, and some times are its key times
 * exactly (τ on a key: the segment that starts there). */
static void test_keyframes_random(void) {
  uint64_t rng = g_seed + 41;
  static const char *const interps[] = {"linear", "catmull-rom", "step"};
  track_set s;
  set_init(&s, 400);
  ha_keyframe keys[40];
  double times[128], on_key[32];
  size_t nexact = 0;
  while (s.n < s.cap) {
    if (ha_t_rand(&rng) % 3 == 0) {
      add_random(&s, &rng, "circular", 1, 100.0);
      continue;
    }
    ha_timing tm = random_timing(&rng, 100.0);
    int exact = s.n % 4 == 0;
    if (exact) {
      tm.speed = 1.0;
      tm.loop = HA_LOOP_LOOP;
    }
    size_t n = 1 + (size_t)(ha_t_rand(&rng) % HA__COUNTOF_T(keys));
    double at = ha_t_uniform(&rng, 0.0, 0.3 * tm.duration);
    for (size_t k = 0; k < n; k++) {
      keys[k].time = at;
      keys[k].position = ha_vec3_make(ha_t_uniform(&rng, -50, 50), ha_t_uniform(&rng, -50, 50),
                                      ha_t_uniform(&rng, 0, 20));
      keys[k].easing =
          ha_t_rand(&rng) % 2 ? HA_EASE_LINEAR : (ha_easing)(ha_t_rand(&rng) % HA_EASE_COUNT);
      if (ha_t_rand(&rng) % 6 != 0) { /* else the next key jumps at the same time */
        at += ha_t_uniform(&rng, 0.0, 0.6 * tm.duration / (double)n);
      }
    }
    ha_params *p = NULL;
    CHECK_OK(ha_params_create(&p));
    CHECK_OK(ha_params_set_keyframes(p, "keyframes", keys, n));
    ha_params_set_string(p, "interpolation", interps[ha_t_rand(&rng) % 3]);
    random_frame(&rng, ha_model_find("keyframes"), p);
    ha_motion *m = NULL;
    ha_error err;
    ha_status st = ha_motion_create("keyframes", p, &tm, &m, &err);
    ha_params_destroy(p);
    CHECK_MSG(st == HA_OK, "keyframes (%zu keys): %s", n, err.message);
    if (m == NULL) {
      break;
    }
    size_t i = s.n++;
    s.m[i] = m;
    s.model[i] = "keyframes";
    s.ctx[i].track_id = (uint32_t)i;
    s.ctx[i].shift = exact ? 0.0 : ha_t_uniform(&rng, -100.0, 100.0);
    s.ctx[i].state = &s.state[i];
    s.ctx[i].state_prev = NULL;
    CHECK_MSG(ha_batch_would_pack(m), "keyframes (%zu keys) not packed", n);
    if (exact && nexact < HA__COUNTOF_T(on_key)) {
      on_key[nexact++] = keys[ha_t_rand(&rng) % n].time;
    }
  }
  size_t nt = make_times(&rng, &s, times, 96);
  for (size_t k = 0; k < nexact; k++) {
    times[nt++] = on_key[k];
  }
  check_all_impls(&s, times, nt, TOL_M, "keys");
  set_free(&s);
}

/* Batch b (track i: pool motion pick[i], ctx[i]) at time t against
 * ha_motion_eval: whole, with every implementation, and 8 random ranges.
 * The outputs are poisoned with NaN before each evaluation, so a track left
 * out, or another's result written in its place, cannot pass on a value
 * from before. */
static void check_batch(ha_batch *b, const track_set *pool, const size_t *pick,
                        const ha_track_ctx *ctx, size_t n, double t, uint64_t *rng, double *x,
                        double *y, double *z, double *worst, const char *label) {
  enum { NIMPL = HA__COUNTOF_T(impls), NRANGES = 8 };
  for (size_t pass = 0; pass < NIMPL + NRANGES; pass++) {
    size_t first = 0, count = n;
    if (pass >= NIMPL) {
      first = (size_t)(ha_t_rand(rng) % n);
      count = (size_t)(ha_t_rand(rng) % (n - first + 1));
    } else if (!ha_batch_impl_available(impls[pass])) {
      continue;
    }
    for (size_t i = 0; i < n; i++) {
      x[i] = y[i] = z[i] = NAN;
    }
    if (pass >= NIMPL) {
      CHECK_OK(ha_batch_eval_range(b, t, first, count, x, y, z));
    } else {
      CHECK_OK(ha_batch_eval_with(b, t, x, y, z, impls[pass]));
    }
    for (size_t i = 0; i < n; i++) {
      if (i < first || i >= first + count) {
        CHECK_MSG(isnan(x[i]) && isnan(y[i]) && isnan(z[i]), "%s: range [%zu, %zu) wrote track %zu",
                  label, first, first + count, i);
        continue;
      }
      ha_vec3 r = ha_motion_eval(pool->m[pick[i]], t, &ctx[i]);
      double e;
      CHECK_MSG(near_ref(x[i], y[i], z[i], r, TOL_M, worst, &e),
                "%s at t=%g, %s [%zu, %zu): track %zu (%s) off by %.3g m", label, t,
                pass < NIMPL ? ha_batch_impl_name(impls[pass]) : "range", first, first + count, i,
                pool->model[pick[i]], e);
    }
  }
}

/* The paged storage under churn: tracks of every model added in random
 * order, then moved between kinds by set_track (pages of a kind fill,
 * empty and are reused), checked after each round against ha_motion_eval
 * for the whole batch (every implementation) and for random sub-ranges. */
static void test_grouping_churn(void) {
  uint64_t rng = g_seed + 23;
  track_set pool;
  size_t nmodels = ha_model_count();
  set_init(&pool, 2 * nmodels);
  for (size_t rep = 0; rep < 2; rep++) {
    for (size_t i = 0; i < nmodels; i++) {
      add_random(&pool, &rng, ha_model_at(i)->name, 1, 20.0);
    }
  }
  enum { N = 150, ROUNDS = 6 };
  ha_batch *b = NULL;
  CHECK_OK(ha_batch_create(N, &b));
  size_t pick[N];
  ha_track_ctx ctx[N];
  for (size_t i = 0; i < N; i++) {
    pick[i] = (size_t)(ha_t_rand(&rng) % pool.n);
    ctx[i] = (ha_track_ctx){(uint32_t)i, ha_t_uniform(&rng, -20, 20), NULL, NULL};
    CHECK_OK(ha_batch_add(b, pool.m[pick[i]], &ctx[i], NULL));
  }
  double x[N], y[N], z[N];
  double worst = 0.0;
  for (int round = 0; round < ROUNDS; round++) {
    double t = ha_t_uniform(&rng, -50.0, 150.0);
    check_batch(b, &pool, pick, ctx, N, t, &rng, x, y, z, &worst, "churn");
    for (int c = 0; c < 60; c++) {
      size_t i = (size_t)(ha_t_rand(&rng) % N);
      pick[i] = (size_t)(ha_t_rand(&rng) % pool.n);
      CHECK_OK(ha_batch_set_track(b, i, pool.m[pick[i]], &ctx[i]));
    }
  }
  printf("     churn         max error %.2g m (%d tracks, %d rounds of 60 set_track)\n", worst, N,
         ROUNDS);
  ha_batch_destroy(b);
  set_free(&pool);
}

/* A paged-storage test's data: one random motion of every registered
 * model (`pool`), and per track its motion's index in the pool, its
 * context and room for the three outputs. */
typedef struct paged_case {
  track_set pool;
  size_t *pick;
  ha_track_ctx *ctx;
  double *xyz;
} paged_case;

static void paged_init(paged_case *c, size_t n, uint64_t *rng) {
  size_t nmodels = ha_model_count();
  set_init(&c->pool, nmodels);
  for (size_t i = 0; i < nmodels; i++) {
    add_random(&c->pool, rng, ha_model_at(i)->name, 1, 20.0);
  }
  c->pick = malloc(n * sizeof(*c->pick));
  c->ctx = malloc(n * sizeof(*c->ctx));
  c->xyz = malloc(3 * n * sizeof(double));
  CHECK(c->pick != NULL && c->ctx != NULL && c->xyz != NULL);
}

/* Track i of the case: pool motion m, a random shift, added to b. */
static void paged_add(paged_case *c, ha_batch *b, size_t i, size_t m, uint64_t *rng) {
  c->pick[i] = m;
  c->ctx[i] = (ha_track_ctx){(uint32_t)i, ha_t_uniform(rng, -5, 5), NULL, NULL};
  CHECK_OK(ha_batch_add(b, c->pool.m[m], &c->ctx[i], NULL));
}

static void paged_free(paged_case *c) {
  free(c->pick);
  free(c->ctx);
  free(c->xyz);
  set_free(&c->pool);
}

/* The paged storage at a size with pages of 256 and several per kind: a
 * block of one model (full pages side by side: one kernel call, written in
 * place), then every model in turn (scattered), then a block moved to
 * another model, the first block spread over every model (its pages empty
 * and go to the free list) and a block gathered into one model again. */
static void test_pages(void) {
  uint64_t rng = g_seed + 41;
  enum { N = 3000, BLOCK = 1000 };
  paged_case c;
  paged_init(&c, N, &rng);
  ha_batch *b = NULL;
  CHECK_OK(ha_batch_create(N, &b));
  for (size_t i = 0; i < N; i++) {
    paged_add(&c, b, i, i < BLOCK ? 1 : i % c.pool.n, &rng); /* pool.m[1]: a kernel model */
  }
  double worst = 0.0;
  for (int round = 0; round < 4; round++) {
    double t = ha_t_uniform(&rng, -20.0, 80.0);
    check_batch(b, &c.pool, c.pick, c.ctx, N, t, &rng, c.xyz, c.xyz + N, c.xyz + 2 * N, &worst,
                "pages");
    for (size_t i = 0; i < N; i++) {
      size_t to = c.pick[i];
      if (round == 0 && i >= BLOCK && i < 2 * BLOCK) {
        to = 2;
      } else if (round == 1 && i < BLOCK) {
        to = (size_t)(ha_t_rand(&rng) % c.pool.n);
      } else if (round == 2 && i >= BLOCK / 2 && i < 3 * BLOCK / 2) {
        to = 3;
      }
      if (to != c.pick[i]) {
        c.pick[i] = to;
        CHECK_OK(ha_batch_set_track(b, i, c.pool.m[to], &c.ctx[i]));
      }
    }
  }
  printf("     pages         max error %.2g m (%d tracks)\n", worst, N);
  ha_batch_destroy(b);
  paged_free(&c);
}

/* Groups: runs of 1 to 40 consecutive tracks sharing a motion, the models
 * in random order, so a kind's slots hold stretches of consecutive add
 * indices of every length: the long ones written in place by the kernel,
 * the short ones (< 8) through the buffer and its scatter, a stretch
 * ending the range in place whatever its length. */
static void test_groups(void) {
  uint64_t rng = g_seed + 53;
  enum { N = 2500 };
  paged_case c;
  paged_init(&c, N, &rng);
  ha_batch *b = NULL;
  CHECK_OK(ha_batch_create(N, &b));
  size_t groups = 0;
  for (size_t i = 0; i < N; groups++) {
    size_t len = 1 + (size_t)(ha_t_rand(&rng) % 40);
    size_t m = (size_t)(ha_t_rand(&rng) % c.pool.n);
    for (size_t j = 0; j < len && i < N; j++, i++) {
      paged_add(&c, b, i, m, &rng);
    }
  }
  double worst = 0.0;
  for (int round = 0; round < 4; round++) {
    double t = ha_t_uniform(&rng, -20.0, 80.0);
    check_batch(b, &c.pool, c.pick, c.ctx, N, t, &rng, c.xyz, c.xyz + N, c.xyz + 2 * N, &worst,
                "groups");
  }
  printf("     groups        max error %.2g m (%d tracks in %zu groups)\n", worst, N, groups);
  ha_batch_destroy(b);
  paged_free(&c);
}

/* The spring kernel's three cases (critical exactly: c² = 4km; under;
 * over-damped, near τ = 0 and past βτ = 20) in every loop mode, blended
 * wrap included, at random times. */
static void test_spring_cases(void) {
  static const char *const shapes[] = {
      "stiffness=4\ndamping=4\nmass=1",        "stiffness=4\ndamping=0.3\nmass=1",
      "stiffness=100\ndamping=0\nmass=0.5",    "stiffness=1\ndamping=30\nmass=1",
      "stiffness=0.5\ndamping=80\nmass=2",     "stiffness=0\ndamping=3\nmass=1",
      "stiffness=9\ndamping=6.0000001\nmass=1"};
  uint64_t rng = g_seed + 11;
  track_set s;
  set_init(&s, HA__COUNTOF_T(shapes) * 6);
  for (size_t k = 0; k < HA__COUNTOF_T(shapes); k++) {
    for (int j = 0; j < 6; j++) {
      ha_timing tm = {j < 3 ? 3.0 : 40.0, (ha_loop_mode)(j % 3), 1.0, HA_SEAM_BLEND};
      size_t i = s.n++;
      s.m[i] = test_motionf("spring", &tm, "%s\ninitialDisplacement=300,-200,40", shapes[k]);
      s.model[i] = "spring";
      s.ctx[i].track_id = (uint32_t)i;
      s.ctx[i].shift = ha_t_uniform(&rng, -5.0, 5.0);
      CHECK(ha_batch_would_pack(s.m[i]));
    }
  }
  double times[40];
  for (size_t j = 0; j < HA__COUNTOF_T(times); j++) {
    times[j] = ha_t_uniform(&rng, -10.0, 200.0);
  }
  check_all_impls(&s, times, HA__COUNTOF_T(times), TOL_M, "spring");
  set_free(&s);
}

/* Playback as a player does it: every implementation with caches of its
 * own (and the reference with its own), forward in steps of 1–7 ms, then a
 * jump back and forward again, so the kernels resume from their caches
 * (a few steps) as well as from checkpoints. Every model, random shapes. */
static void test_forward_play(void) {
  enum { NIMPL = HA__COUNTOF_T(impls) };
  uint64_t rng = g_seed ^ 0xf0f0u;
  track_set s;
  size_t nmodels = ha_model_count();
  set_init(&s, 3 * nmodels);
  for (int rep = 0; rep < 3; rep++) {
    for (size_t i = 0; i < nmodels; i++) {
      add_random(&s, &rng, ha_model_at(i)->name, rep != 0, 20.0);
    }
  }
  ha_motion_state *st = calloc((NIMPL + 1) * s.n, sizeof(*st));
  ha_batch *b[NIMPL];
  for (size_t k = 0; k < NIMPL; k++) {
    CHECK_OK(ha_batch_create(s.n, &b[k]));
    for (size_t i = 0; i < s.n; i++) {
      ha_track_ctx ctx = s.ctx[i];
      ctx.state = &st[k * s.n + i];
      CHECK_OK(ha_batch_add(b[k], s.m[i], &ctx, NULL));
    }
  }
  double *out = malloc(3 * s.n * sizeof(double));
  double worst[NIMPL] = {0}, t = ha_t_uniform(&rng, 0.0, 200.0);
  int reported = 0;
  size_t cached = 0;
  for (int j = 0; j < 300; j++) {
    t += j == 150 ? -ha_t_uniform(&rng, 0.0, 50.0) : 0.001 * (double)(1 + ha_t_rand(&rng) % 7);
    for (size_t k = 0; k < NIMPL; k++) {
      if (!ha_batch_impl_available(impls[k])) {
        continue;
      }
      CHECK_OK(ha_batch_eval_with(b[k], t, out, out + s.n, out + 2 * s.n, impls[k]));
      for (size_t i = 0; i < s.n; i++) {
        ha_track_ctx ctx = s.ctx[i];
        ctx.state = &st[NIMPL * s.n + i];
        ha_vec3 r = ha_motion_eval(s.m[i], t, &ctx);
        double e;
        if (!near_ref(out[i], out[s.n + i], out[2 * s.n + i], r, TOL_M, &worst[k], &e) &&
            reported++ < 5) {
          HA_T_FAIL("forward play/%s: track %zu (%s) at t=%.17g: error %.3g m",
                    ha_batch_impl_name(impls[k]), i, s.model[i], t, e);
        }
        /* The integrated kernels' grid states are the model's bits: both
         * caches hold the same state after the same evaluation. */
        const ha_motion_state *a = &st[k * s.n + i], *o = ctx.state;
        if (strcmp(s.model[i], "pendulum") != 0 && strcmp(s.model[i], "attract-repel") != 0) {
          continue;
        }
        CHECK_MSG(a->tag == o->tag && memcmp(&a->tau, &o->tau, sizeof(double)) == 0 &&
                      memcmp(a->y, o->y, 13 * sizeof(double)) == 0,
                  "forward play/%s: track %zu (%s) at t=%.17g: cache differs from the model's",
                  ha_batch_impl_name(impls[k]), i, s.model[i], t);
        cached += a->tag != 0;
      }
    }
  }
  printf("     forward play");
  for (size_t k = 0; k < NIMPL; k++) {
    printf(" %s %.2g", ha_batch_impl_name(impls[k]), worst[k]);
    ha_batch_destroy(b[k]);
  }
  printf(" m (max error; %zu tracks x 300 times; %zu caches equal to the model's)\n", s.n, cached);
  free(out);
  free(st);
  set_free(&s);
}

/* keyframes ride v2.0 plays its first cycle differently (ha__eval.cycle):
 * the DIRECT kind must count cycles as ha_motion_eval does. */
static void test_direct_cycles(void) {
  uint64_t rng = g_seed ^ 0x5151u;
  track_set s;
  set_init(&s, 8);
  static const char *const ride[] = {"ride=v2.0", "rideStart=3,-2,1", NULL};
  for (int i = 0; i < 8; i++) {
    ha_timing tm = {10.0 + (double)i, (ha_loop_mode)(i % 3), 1.0 + 0.25 * (double)i, HA_SEAM_CUT};
    s.m[s.n] = test_motion("keyframes", ride, &tm);
    s.model[s.n] = "keyframes";
    s.ctx[s.n].track_id = (uint32_t)i;
    s.ctx[s.n].shift = 0.0;
    s.ctx[s.n].state = &s.state[s.n];
    s.ctx[s.n].state_prev = NULL;
    s.n++;
  }
  double times[40];
  for (size_t j = 0; j < 40; j++) {
    times[j] = ha_t_uniform(&rng, -1.0, 60.0);
  }
  check_all_impls(&s, times, 40, TOL_M, "ride v2.0");
  set_free(&s);
}

static void test_every_model_mix(void) {
  uint64_t rng = g_seed ^ 0x9e3779b97f4a7c15ull;
  track_set s;
  size_t nmodels = ha_model_count();
  set_init(&s, 4 * nmodels);
  for (size_t rep = 0; rep < 4; rep++) {
    for (size_t i = 0; i < nmodels; i++) {
      /* Durations ≤ 20 s keep the physics models' re-integration short. */
      add_random(&s, &rng, ha_model_at(i)->name, (int)(rep & 1), 20.0);
    }
  }
  CHECK_INT(s.n, 4 * nmodels);
  double times[24];
  size_t nt = make_times(&rng, &s, times, HA__COUNTOF_T(times));
  for (size_t i = 0; i < nt; i++) {
    times[i] = fmod(times[i], 200.0); /* physics: bounded integration work */
  }
  check_all_impls(&s, times, nt, TOL_M, "every model");
  set_free(&s);
}

/* Angles far from the origin: speed ±1000 turns, start ±36000°, so the
 * AVX2 range reduction sees |θ| up to ~7000 rad. The kernels compute a
 * CIRCLE model's θ bit for bit as the model does (batch_impl.h), so against
 * ha_motion_eval only sin/cos differ: within a few ulps (1e-15) on a unit
 * circle, for the batch and for ha_motion_eval_times; and at the 1000 m
 * radius limit, ≤ 1e-12 m (a rounding of θ there would be ~1e-9 m). */
static void test_extreme_angles(void) {
  uint64_t rng = g_seed + 7;
  track_set s;
  set_init(&s, 64);
  for (size_t i = 0; i < s.cap; i++) {
    ha_params *p = NULL;
    CHECK_OK(ha_params_create(&p));
    ha_params_set_number(p, "radius", 1.0);
    ha_params_set_number(p, "speed", ha_t_uniform(&rng, -1000, 1000));
    ha_params_set_number(p, "startAngle", ha_t_uniform(&rng, -36000, 36000));
    ha_params_set_string(p, "direction", i & 1 ? "clockwise" : "counterclockwise");
    ha_timing tm = {ha_t_uniform(&rng, 0.5, 20), HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
    ha_error err;
    CHECK_OK(ha_motion_create("circular", p, &tm, &s.m[i], &err));
    ha_params_destroy(p);
    s.model[i] = "circular";
    s.ctx[i].track_id = (uint32_t)i;
    s.n++;
  }
  double times[200];
  for (size_t j = 0; j < HA__COUNTOF_T(times); j++) {
    times[j] = ha_t_uniform(&rng, 0, 40);
  }
  check_all_impls(&s, times, HA__COUNTOF_T(times), 1e-15, "unit circle");
  check_times_all_impls(&s, times, HA__COUNTOF_T(times), 1e-15, "unit circle");

  static const ha_batch_impl vec[] = {HA_BATCH_IMPL_AVX2, HA_BATCH_IMPL_AVX512};
  for (size_t k = 0; k < HA__COUNTOF_T(vec); k++) {
    if (!ha_batch_impl_available(vec[k])) {
      continue;
    }
    ha_batch *b = NULL;
    CHECK_OK(ha_batch_create(s.n, &b));
    for (size_t i = 0; i < s.n; i++) {
      CHECK_OK(ha_batch_add(b, s.m[i], NULL, NULL));
    }
    double a[3][64], v[3][64], worst = 0.0;
    for (size_t j = 0; j < HA__COUNTOF_T(times); j++) {
      CHECK_OK(ha_batch_eval_with(b, times[j], a[0], a[1], a[2], HA_BATCH_IMPL_SCALAR));
      CHECK_OK(ha_batch_eval_with(b, times[j], v[0], v[1], v[2], vec[k]));
      for (size_t i = 0; i < s.n; i++) {
        for (int c = 0; c < 2; c++) {
          double e = fabs(a[c][i] - v[c][i]);
          worst = e > worst ? e : worst;
          CHECK_MSG(e <= 1e-15, "track %zu at t=%.17g: libm %.17g, %s %.17g", i, times[j], a[c][i],
                    ha_batch_impl_name(vec[k]), v[c][i]);
        }
      }
    }
    printf("     %s vs libm sin/cos over |theta| <= 7e3 rad: max difference %.3g\n",
           ha_batch_impl_name(vec[k]), worst);
    ha_batch_destroy(b);
  }
  for (size_t i = 0; i < s.n; i++) {
    ha_params *p = NULL;
    ha_error err;
    CHECK_OK(ha_params_clone(ha_motion_params(s.m[i]), &p));
    ha_params_set_number(p, "radius", 1000.0);
    ha_params_set_vec3(
        p, "center",
        ha_vec3_make(ha_t_uniform(&rng, -1000, 1000), ha_t_uniform(&rng, -1000, 1000), 0.0));
    ha_timing tm = random_timing(&rng, 100.0);
    CHECK_OK(ha_motion_update_parameters(s.m[i], p, &tm, 0.0, 0.0, &err));
    ha_params_destroy(p);
    s.ctx[i].shift = ha_t_uniform(&rng, -100.0, 100.0);
  }
  for (size_t j = 0; j < HA__COUNTOF_T(times); j++) {
    times[j] = ha_t_uniform(&rng, -100, 1e4);
  }
  check_all_impls(&s, times, HA__COUNTOF_T(times), 1e-12, "1000 m circle");
  check_times_all_impls(&s, times, HA__COUNTOF_T(times), 1e-12, "1000 m circle");
  set_free(&s);
}

/* NaN and ±inf must give the position at a = 0 (ha_motion_eval's rule) on
 * every path; check_all_impls also fails on any non-finite output. Absurd
 * finite times (±1e300) on the kernels: finite output only (there the
 * reference itself has lost every digit of τ, so any tolerance is moot). */
static void test_nonfinite_time(void) {
  uint64_t rng = g_seed + 11;
  track_set s, k;
  set_init(&s, ha_model_count());
  set_init(&k, 4 * HA__COUNTOF_T(kernel_models));
  for (size_t i = 0; i < ha_model_count(); i++) {
    add_random(&s, &rng, ha_model_at(i)->name, 0, 10.0);
  }
  for (size_t i = 0; i < k.cap; i++) {
    add_random(&k, &rng, kernel_models[i % HA__COUNTOF_T(kernel_models)], 1, 100.0);
  }
  const double nonfinite[] = {NAN, HUGE_VAL, -HUGE_VAL, -NAN};
  const double huge[] = {1e300, -1e300, 1.7e308, 4.9e-324};
  check_all_impls(&s, nonfinite, HA__COUNTOF_T(nonfinite), TOL_M, "non-finite t");
  check_all_impls(&k, nonfinite, HA__COUNTOF_T(nonfinite), TOL_M, "non-finite t");
  /* Beyond |a|/T ≈ 2^53 the loop's remainder is meaningless: τ is the
   * start of a cycle, as ha_time_map says (the kernels once kept the
   * remainder, and catmull-rom in pingpong gave NaN) */
  check_all_impls(&k, huge, HA__COUNTOF_T(huge), TOL_M, "huge t");
  set_free(&s);
  set_free(&k);
}

/* One track's position from a batch with one implementation. */
static ha_vec3 batch_at(const ha_batch *b, size_t i, double t, ha_batch_impl impl) {
  double x[8], y[8], z[8];
  CHECK(ha_batch_size(b) <= 8);
  CHECK_OK(ha_batch_eval_with(b, t, x, y, z, impl));
  return ha_vec3_make(x[i], y[i], z[i]);
}

static void check_track(const ha_batch *b, size_t i, const ha_motion *m, double t) {
  ha_vec3 r = ha_motion_eval(m, t, NULL);
  for (size_t k = 0; k < HA__COUNTOF_T(impls); k++) {
    if (ha_batch_impl_available(impls[k])) {
      ha_vec3 v = batch_at(b, i, t, impls[k]);
      CHECK_MSG(ha_vec3_dist(v, r) <= TOL_M, "%s: track %zu at %g: (%g,%g,%g) vs (%g,%g,%g)",
                ha_batch_impl_name(impls[k]), i, t, v.x, v.y, v.z, r.x, r.y, r.z);
    }
  }
}

/* A motion updated after add keeps its captured form until refreshed; a
 * blending motion goes generic; set_track moves a track between kernels. */
static void test_capture_and_refresh(void) {
  ha_timing tm = {4.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  static const char *const circ[] = {"radius=2", NULL};
  static const char *const liss[] = {"amplitudeX=3", NULL};
  ha_motion *c = test_motion("circular", circ, &tm);
  ha_motion *l = ha_model_find("lissajous") ? test_motion("lissajous", liss, &tm) : NULL;
  static const char *const off[] = {"offset=1,2,0", NULL};
  ha_motion *lin = test_motion("catmull-rom", off, &tm); /* an offset: generic */
  ha_batch *b = NULL;
  CHECK_OK(ha_batch_create(4, &b));
  size_t idx = 99;
  CHECK_OK(ha_batch_add(b, c, NULL, &idx));
  CHECK_INT(idx, 0);
  CHECK_OK(ha_batch_add(b, lin, NULL, &idx));
  CHECK_INT(idx, 1);
  CHECK_OK(ha_batch_add(b, c, NULL, NULL));
  ha_batch_stats st;
  ha_batch_get_stats(b, &st);
  CHECK_INT(st.size, 3);
  CHECK_INT(st.packed, 2);
  CHECK_INT(st.generic, 1);
  CHECK_INT(st.runs, 3);
  check_track(b, 0, c, 1.3);
  check_track(b, 1, lin, 1.3);

  /* Update without refresh: the batch still draws the old circle. */
  ha_params *p = NULL;
  ha_error err;
  CHECK_OK(ha_params_create(&p));
  ha_params_set_number(p, "radius", 7.0);
  CHECK_OK(ha_motion_update_parameters(c, p, NULL, 0.0, 0.0, &err));
  ha_vec3 stale = batch_at(b, 0, 1.3, HA_BATCH_IMPL_SCALAR);
  CHECK_NEAR(ha_vec3_len(stale), 2.0, 1e-12);
  CHECK_INT(ha_batch_refresh_motion(b, c), 2);
  check_track(b, 0, c, 1.3);
  check_track(b, 2, c, 2.9);

  /* A blend in progress: generic path (exact), then packed again after
   * ha_motion_reset + refresh. */
  ha_params_set_number(p, "radius", 3.0);
  CHECK_OK(ha_motion_update_parameters(c, p, NULL, 1.0, 2.0, &err));
  CHECK_OK(ha_batch_refresh(b, 0));
  ha_batch_get_stats(b, &st);
  CHECK_INT(st.packed, 1);
  CHECK_INT(st.runs, 2); /* generic, generic, circle */
  check_track(b, 0, c, 1.7);
  ha_motion_reset(c);
  CHECK_INT(ha_batch_refresh_motion(b, c), 2);
  ha_batch_get_stats(b, &st);
  CHECK_INT(st.packed, 2);
  CHECK_INT(st.runs, 3);
  check_track(b, 0, c, 1.7);

  /* A new timing is captured by refresh too. */
  ha_timing tm2 = {7.0, HA_LOOP_PINGPONG, 1.5, HA_SEAM_BLEND};
  CHECK_OK(ha_motion_update_parameters(c, NULL, &tm2, 0.0, 0.0, &err));
  CHECK_INT(ha_batch_refresh_motion(b, c), 2);
  check_track(b, 0, c, 9.1);
  check_track(b, 2, c, 13.7);

  /* set_track: generic → SINES, with a shift. */
  if (l != NULL) {
    ha_track_ctx ctx = {5, 0.75, NULL, NULL};
    CHECK_OK(ha_batch_set_track(b, 1, l, &ctx));
    ha_batch_get_stats(b, &st);
    CHECK_INT(st.packed, 3);
    CHECK_INT(st.runs, 3);
    ha_vec3 r = ha_motion_eval(l, 2.2, &ctx);
    ha_vec3 v = batch_at(b, 1, 2.2, HA_BATCH_IMPL_AUTO);
    CHECK(ha_vec3_dist(v, r) <= TOL_M);
  }
  CHECK_INT(ha_batch_refresh(b, 3), HA_ENOTFOUND);
  CHECK_INT(ha_batch_set_track(b, 3, c, NULL), HA_ENOTFOUND);
  CHECK_INT(ha_batch_set_track(b, 0, NULL, NULL), HA_EINVAL);
  CHECK_INT(ha_batch_refresh_motion(b, NULL), 0);
  ha_params_destroy(p);
  ha_batch_destroy(b);
  ha_motion_destroy(c);
  ha_motion_destroy(l);
  ha_motion_destroy(lin);
}

static void test_capacity_and_api(void) {
  ha_batch *b = NULL;
  CHECK_INT(ha_batch_create(0, &b), HA_EINVAL);
  CHECK_INT(ha_batch_create(1, NULL), HA_EINVAL);
  CHECK_INT(ha_batch_create((size_t)-1, &b), HA_ENOMEM);
  CHECK(b == NULL);
  ha_batch_destroy(NULL);
  CHECK_OK(ha_batch_create(2, &b));
  CHECK_INT(ha_batch_capacity(b), 2);
  CHECK_INT(ha_batch_size(b), 0);
  ha_motion *m = test_motion("circular", NULL, NULL);
  CHECK_INT(ha_batch_add(b, NULL, NULL, NULL), HA_EINVAL);
  CHECK_OK(ha_batch_add(b, m, NULL, NULL));
  CHECK_OK(ha_batch_add(b, m, NULL, NULL));
  CHECK_INT(ha_batch_add(b, m, NULL, NULL), HA_EEXHAUSTED);
  CHECK_INT(ha_batch_size(b), 2);
  ha_batch_clear(b);
  CHECK_INT(ha_batch_size(b), 0);
  double x[2] = {-1, -1}, y[2], z[2];
  ha_batch_eval(b, 1.0, x, y, z); /* empty: writes nothing */
  CHECK(x[0] < 0.0);
  CHECK_OK(ha_batch_add(b, m, NULL, NULL));
  check_track(b, 0, m, 3.3);

  CHECK_INT(ha_batch_eval_with(b, 0.0, x, y, z, (ha_batch_impl)42), HA_EINVAL);
  CHECK(ha_batch_impl_available(HA_BATCH_IMPL_SCALAR));
  CHECK(ha_batch_impl_available(HA_BATCH_IMPL_GENERIC));
  CHECK(ha_batch_impl_available(HA_BATCH_IMPL_AUTO));
  CHECK(!ha_batch_impl_available((ha_batch_impl)42));
#if defined(HA_NO_SIMD)
  CHECK(!ha_batch_impl_available(HA_BATCH_IMPL_AVX2));
  CHECK(!ha_batch_impl_available(HA_BATCH_IMPL_AVX512));
#endif
  /* AVX-512 implies AVX2 (its kernels use AVX2 shuffles). */
  CHECK(!ha_batch_impl_available(HA_BATCH_IMPL_AVX512) ||
        ha_batch_impl_available(HA_BATCH_IMPL_AVX2));
  ha_batch_impl active = ha_batch_active_impl(b);
  CHECK(active == (ha_batch_impl_available(HA_BATCH_IMPL_AVX512) ? HA_BATCH_IMPL_AVX512
                   : ha_batch_impl_available(HA_BATCH_IMPL_AVX2) ? HA_BATCH_IMPL_AVX2
                                                                 : HA_BATCH_IMPL_SCALAR));
  printf("     active implementation: %s\n", ha_batch_impl_name(active));
  ha_batch_impl parsed = HA_BATCH_IMPL_AUTO;
  for (int i = 0; i <= (int)HA_BATCH_IMPL_AVX512; i++) {
    CHECK_OK(ha_batch_impl_parse(ha_batch_impl_name((ha_batch_impl)i), &parsed));
    CHECK_INT(parsed, i);
  }
  CHECK_OK(ha_batch_impl_parse("AVX2", &parsed));
  CHECK_INT(parsed, HA_BATCH_IMPL_AVX2);
  CHECK_OK(ha_batch_impl_parse("AVX512", &parsed));
  CHECK_INT(parsed, HA_BATCH_IMPL_AVX512);
  CHECK_INT(ha_batch_impl_parse("sse9", &parsed), HA_EINVAL);
  CHECK_INT(ha_batch_impl_parse(NULL, &parsed), HA_EINVAL);
  CHECK_STR(ha_batch_impl_name((ha_batch_impl)42), "unknown");
  ha_batch_destroy(b);
  ha_motion_destroy(m);
}

/* Random kernel-model motions (random shapes, frames, loop modes, speeds,
 * shifts; radius and amplitudes up to 1000 m) and a mix of every model, at
 * random times, at each motion's exact wraps and at non-finite times;
 * batches of 0 to 7 times and one of 1001. */
static void test_eval_times(void) {
  uint64_t rng = g_seed ^ 0x7173u;
  track_set s, all;
  set_init(&s, 120);
  while (s.n < s.cap) {
    add_random(&s, &rng, kernel_models[ha_t_rand(&rng) % HA__COUNTOF_T(kernel_models)], 1, 100.0);
  }
  /* Scale half the shapes up to the 1000 m limit: the sin/cos error is
   * multiplied by the radius. */
  for (size_t i = 0; i < s.n; i += 2) {
    ha_params *p = NULL;
    ha_error err;
    CHECK_OK(ha_params_clone(ha_motion_params(s.m[i]), &p));
    static const char *const lengths[] = {"radius",     "radiusX",    "radiusY",
                                          "amplitudeX", "amplitudeY", "amplitudeZ"};
    for (size_t k = 0; k < HA__COUNTOF_T(lengths); k++) {
      if (own_param(ha_motion_model(s.m[i]), lengths[k])) {
        ha_params_set_number(p, lengths[k], ha_t_uniform(&rng, 500.0, 1000.0));
      }
    }
    CHECK_OK(ha_motion_update_parameters(s.m[i], p, NULL, 0.0, 0.0, &err));
    ha_params_destroy(p);
  }
  double times[1001];
  size_t nt = make_times(&rng, &s, times, 96);
  times[nt++] = NAN;
  times[nt++] = -HUGE_VAL;
  times[nt++] = HUGE_VAL;
  check_times_all_impls(&s, times, nt, TOL_M, "times kernels");
  for (size_t n = 0; n < 8; n++) {
    track_set one = s;
    one.n = 6;
    check_times_all_impls(&one, times + 7, n, TOL_M, "short batches");
  }
  for (size_t j = 0; j < HA__COUNTOF_T(times); j++) {
    times[j] = ha_t_uniform(&rng, -50.0, 500.0);
  }
  track_set few = s;
  few.n = 10;
  check_times_all_impls(&few, times, HA__COUNTOF_T(times), TOL_M, "1001 times");

  /* Every model (generic fallback for most), with its state cache. */
  size_t nmodels = ha_model_count();
  set_init(&all, 2 * nmodels);
  for (size_t rep = 0; rep < 2; rep++) {
    for (size_t i = 0; i < nmodels; i++) {
      add_random(&all, &rng, ha_model_at(i)->name, (int)rep, 20.0);
    }
  }
  nt = make_times(&rng, &all, times, 24);
  for (size_t i = 0; i < nt; i++) {
    times[i] = fmod(times[i], 200.0); /* physics: bounded integration work */
  }
  check_times_all_impls(&all, times, nt, TOL_M, "every model");
  set_free(&all);
  set_free(&s);
}

/* A blending motion falls back to ha_motion_eval (exact inside and outside
 * the blend window); the API's error paths. */
static void test_eval_times_blend_and_api(void) {
  ha_timing tm = {4.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  static const char *const circ[] = {"radius=2", NULL};
  ha_motion *c = test_motion("circular", circ, &tm);
  ha_params *p = NULL;
  ha_error err;
  CHECK_OK(ha_params_create(&p));
  ha_params_set_number(p, "radius", 6.0);
  CHECK_OK(ha_motion_update_parameters(c, p, NULL, 1.0, 2.0, &err));
  track_set s;
  memset(&s, 0, sizeof(s));
  ha_track_ctx ctx = {3, 0.25, NULL, NULL};
  const char *model = "circular";
  s.n = 1;
  s.m = &c;
  s.ctx = &ctx;
  s.model = &model;
  double times[40];
  for (size_t j = 0; j < HA__COUNTOF_T(times); j++) {
    times[j] = 0.1 * (double)j; /* 0 .. 3.9 s: before, in and after the blend */
  }
  check_times_all_impls(&s, times, HA__COUNTOF_T(times), 0.0, "blending");
  ha_motion_reset(c);
  check_times_all_impls(&s, times, HA__COUNTOF_T(times), TOL_M, "blend ended");

  double x[4], y[4], z[4];
  CHECK_INT(ha_motion_eval_times(NULL, NULL, times, 4, x, y, z), HA_EINVAL);
  CHECK_INT(ha_motion_eval_times(c, NULL, NULL, 4, x, y, z), HA_EINVAL);
  CHECK_INT(ha_motion_eval_times(c, NULL, times, 4, x, NULL, z), HA_EINVAL);
  CHECK_OK(ha_motion_eval_times(c, NULL, NULL, 0, NULL, NULL, NULL));
  CHECK_INT(ha_motion_eval_times_with(c, NULL, times, 4, x, y, z, 0, HA_BATCH_IMPL_AUTO),
            HA_EINVAL);
  CHECK_INT(ha_motion_eval_times_with(c, NULL, times, 4, x, y, z, 1, (ha_batch_impl)42), HA_EINVAL);
  CHECK_OK(ha_motion_eval_times(c, &ctx, times, 4, x, y, z));
  for (size_t j = 0; j < 4; j++) {
    ha_vec3 r = ha_motion_eval(c, times[j], &ctx);
    CHECK(ha_vec3_dist(r, ha_vec3_make(x[j], y[j], z[j])) <= TOL_M);
  }
  ha_params_destroy(p);
  ha_motion_destroy(c);
}

int main(void) {
  g_seed = seed_from_env();
  RUN(test_capacity_and_api);
  RUN(test_capture_and_refresh);
  RUN(test_kernel_models_random);
  RUN(test_keyframes_random);
  RUN(test_every_model_mix);
  RUN(test_forward_play);
  RUN(test_direct_cycles);
  RUN(test_spring_cases);
  RUN(test_grouping_churn);
  RUN(test_groups);
  RUN(test_pages);
  RUN(test_extreme_angles);
  RUN(test_nonfinite_time);
  RUN(test_eval_times);
  RUN(test_eval_times_blend_and_api);
  return test_done();
}
