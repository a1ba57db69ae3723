/* bench_engine: how many track positions per second the batch evaluator
 * computes, per implementation, against baselines measured in the same run.
 *
 * Cases: circular, lissajous and a mix of every registered model (track by
 * track: "mix", the worst case for the kernels' runs; in groups of 16 tracks
 * sharing a motion: "mix-g16", closer to a show), at 1,000, 100,000 and
 * 1,000,000 tracks, each through the generic path
 * (ha_motion_eval per track), the scalar kernels and the vector kernels
 * (AVX2, 4 lanes; AVX-512, 8 lanes; each where the CPU has it). The
 * baseline is a bare loop of libm cos/sin over the same number of circles (no
 * time mapping, no frame): what a plain C loop costs on this machine now.
 * The original JavaScript animator is quoted from shared/BASELINES.md
 * (~2.9 µs per position on its full playback path for circular, 4.4 µs for
 * lissajous; 54/82 ns for calculate() alone), since it cannot run here.
 *
 * "models" (only when named in --cases): each registered model alone at the
 * last size, scalar and the vector kernels per model.
 *
 * Also "times": one motion (circular, lissajous) at 1,000 times through
 * ha_motion_eval_times (the Node addon's evaluate), per implementation, with
 * the positions interleaved and planar; and "engine": ha_engine_evaluate on
 * bench_player's scene (one circle, relative mode, phase spread) with the
 * per-track path and with the batch path (ha_engine_config.use_batch).
 *
 * Timing: CLOCK_MONOTONIC; per case, 5 samples of at least min-time/5 each
 * (default min-time 0.2 s), the median sample reported. Single thread.
 *
 * Usage: bench_engine [--quick] [--min-time SECONDS] [--tracks N[,N...]]
 *                     [--cases circular,lissajous,mix,mix-g16,times,engine,models]
 *                     [--models NAME[,NAME...]]  (the "models" case: only these)
 * Also reachable as `holoanim bench engine` (the CLI calls ha_bench_engine;
 * define HA_BENCH_NO_MAIN when linking this file into it). */
#include "bench_util.h"
#include "holoanim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ha_bench_engine(int argc, char **argv);

#define SAMPLES 5
#define POOL 256 /* distinct motions per model; tracks cycle through them */
#define JS_CIRCULAR_NS 2900.0
#define JS_LISSAJOUS_NS 4400.0
#define JS_CALC_CIRCULAR_NS 54.0

static volatile double g_sink; /* keeps results alive */

static uint64_t rng_next(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static double rng_uniform(uint64_t *s, double lo, double hi) {
  return lo + (hi - lo) * (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* One unit of work: evaluate every track once at the next time step. */
typedef void (*work_fn)(void *arg);

/* Median seconds per call over SAMPLES samples of ≥ min_time/SAMPLES;
 * *cpu (when not NULL) gets the median of the same samples in this
 * thread's CPU time, which a loaded machine's preemptions do not count. */
static double measure_cpu(work_fn fn, void *arg, double min_time, double *cpu) {
  double t0 = ha_monotonic_now();
  fn(arg); /* warm-up and calibration */
  double one = ha_monotonic_now() - t0;
  double target = min_time / SAMPLES;
  long calls = one > 0.0 ? (long)(target / one) + 1 : 1000;
  double per_call[SAMPLES], cpu_call[SAMPLES];
  for (int s = 0; s < SAMPLES; s++) {
    double c = bench_thread_cpu_s(), a = ha_monotonic_now();
    for (long k = 0; k < calls; k++) {
      fn(arg);
    }
    per_call[s] = (ha_monotonic_now() - a) / (double)calls;
    cpu_call[s] = (bench_thread_cpu_s() - c) / (double)calls;
  }
  if (cpu != NULL) {
    *cpu = bench_median(cpu_call, SAMPLES);
  }
  return bench_median(per_call, SAMPLES);
}

static double measure(work_fn fn, void *arg, double min_time) {
  return measure_cpu(fn, arg, min_time, NULL);
}

/* ---- baseline: a bare libm loop over circles ---- */

typedef struct libm_loop {
  size_t n;
  double *cx, *cy, *r, *th0, *w, *x, *y;
  double p;
} libm_loop;

static void libm_work(void *arg) {
  libm_loop *L = arg;
  L->p += 1e-4;
  if (L->p >= 1.0) {
    L->p -= 1.0;
  }
  double p = L->p;
  for (size_t i = 0; i < L->n; i++) {
    double th = L->th0[i] + L->w[i] * p;
    L->x[i] = L->cx[i] + L->r[i] * cos(th);
    L->y[i] = L->cy[i] + L->r[i] * sin(th);
  }
  g_sink = L->x[L->n / 2] + L->y[L->n - 1];
}

static double bench_libm(size_t n, double min_time) {
  libm_loop L;
  uint64_t rng = 42;
  double *mem = malloc(7 * n * sizeof(double));
  if (mem == NULL) {
    return 0.0;
  }
  L.n = n;
  L.cx = mem;
  L.cy = mem + n;
  L.r = mem + 2 * n;
  L.th0 = mem + 3 * n;
  L.w = mem + 4 * n;
  L.x = mem + 5 * n;
  L.y = mem + 6 * n;
  L.p = 0.0;
  for (size_t i = 0; i < n; i++) {
    L.cx[i] = rng_uniform(&rng, -10, 10);
    L.cy[i] = rng_uniform(&rng, -10, 10);
    L.r[i] = rng_uniform(&rng, 1, 20);
    L.th0[i] = rng_uniform(&rng, -3, 3);
    L.w[i] = rng_uniform(&rng, -30, 30);
  }
  double sec = measure(libm_work, &L, min_time);
  free(mem);
  return sec / (double)n * 1e9;
}

/* ---- the batch ---- */

typedef struct batch_run_arg {
  const ha_batch *b;
  ha_batch_impl impl;
  double t, dt;
  double *x, *y, *z;
  size_t n;
} batch_run_arg;

static void batch_work(void *arg) {
  batch_run_arg *a = arg;
  a->t += a->dt;
  ha_batch_eval_with(a->b, a->t, a->x, a->y, a->z, a->impl);
  g_sink = a->x[a->n / 2] + a->y[a->n - 1] + a->z[0];
}

/* Motions of one model: random shapes for circular and lissajous, defaults
 * for the others; a random frame on half of them. */
static int make_pool(const char *model, uint64_t *rng, ha_motion **pool) {
  for (int i = 0; i < POOL; i++) {
    ha_params *p = NULL;
    if (ha_params_create(&p) != HA_OK) {
      return -1;
    }
    if (strcmp(model, "circular") == 0) {
      ha_params_set_vec3(p, "center",
                         ha_vec3_make(rng_uniform(rng, -5, 5), rng_uniform(rng, -5, 5), 0));
      ha_params_set_number(p, "radius", rng_uniform(rng, 1, 20));
      ha_params_set_number(p, "speed", rng_uniform(rng, -5, 5));
      ha_params_set_number(p, "startAngle", rng_uniform(rng, 0, 360));
    } else if (strcmp(model, "lissajous") == 0) {
      ha_params_set_number(p, "frequencyRatioA", (double)(1 + rng_next(rng) % 5));
      ha_params_set_number(p, "frequencyRatioB", (double)(1 + rng_next(rng) % 5));
      ha_params_set_number(p, "amplitudeX", rng_uniform(rng, 1, 10));
    }
    if (i & 1) {
      double e[3] = {rng_uniform(rng, -30, 30), rng_uniform(rng, -30, 30),
                     rng_uniform(rng, -180, 180)};
      ha_params_set_numbers(p, "rotation", e, 3);
    }
    ha_timing tm = ha_timing_default();
    tm.loop = (ha_loop_mode)(i % 3);
    ha_error err;
    ha_status st = ha_motion_create(model, p, &tm, &pool[i], &err);
    if (st != HA_OK) {
      /* Some models refuse a rotation parameter of their own: defaults. */
      st = ha_motion_create(model, NULL, &tm, &pool[i], &err);
    }
    ha_params_destroy(p);
    if (st != HA_OK) {
      fprintf(stderr, "bench_engine: %s: %s\n", model, err.message);
      return -1;
    }
  }
  return 0;
}

typedef struct result {
  double ns[HA_BATCH_IMPL_AVX512 + 1];  /* per ha_batch_impl (AUTO unused) */
  double cpu[HA_BATCH_IMPL_AVX512 + 1]; /* the same in thread CPU time (bench_batch only) */
  int have[HA_BATCH_IMPL_AVX512 + 1];
} result;

/* The widest vector implementation `r` ran (AUTO: none), as AUTO picks. */
static ha_batch_impl best_vec(const result *r) {
  return r->have[HA_BATCH_IMPL_AVX512] ? HA_BATCH_IMPL_AVX512
         : r->have[HA_BATCH_IMPL_AVX2] ? HA_BATCH_IMPL_AVX2
                                       : HA_BATCH_IMPL_AUTO;
}

/* Build a batch of n tracks in groups of `group` consecutive tracks sharing
 * one motion, the groups cycling over `models` (POOL motions each), then time
 * every implementation on it. */
static int bench_batch(const char *const *models, size_t nmodels, size_t group, size_t n,
                       double min_time, result *res, int spread) {
  static const ha_batch_impl impls[] = {HA_BATCH_IMPL_GENERIC, HA_BATCH_IMPL_SCALAR,
                                        HA_BATCH_IMPL_AVX2, HA_BATCH_IMPL_AVX512};
  int rc = -1;
  uint64_t rng = 7;
  ha_motion **pool = calloc(nmodels * POOL, sizeof(*pool));
  /* States on cache-line boundaries, as the engine's pool keeps them
   * (pool.c): 128 bytes, two lines each, not three. */
  size_t state_bytes = (n * sizeof(ha_motion_state) + 63u) & ~(size_t)63u;
  ha_motion_state *state = aligned_alloc(64, state_bytes);
  double *xyz = malloc(3 * n * sizeof(double));
  ha_batch *b = NULL;
  memset(res, 0, sizeof(*res));
  if (pool == NULL || state == NULL || xyz == NULL || ha_batch_create(n, &b) != HA_OK) {
    fprintf(stderr, "bench_engine: out of memory for %zu tracks\n", n);
    goto done;
  }
  for (size_t m = 0; m < nmodels; m++) {
    if (make_pool(models[m], &rng, pool + m * POOL) != 0) {
      goto done;
    }
  }
  for (size_t i = 0; i < n; i++) {
    /* Shifts only where no state cache is involved: a physics track with a
     * shift would start by integrating up to the shift. */
    ha_track_ctx ctx = {(uint32_t)i, spread ? 0.001 * (double)(i % 1000) : 0.0, &state[i], NULL};
    size_t g = i / group;
    ha_batch_add(b, pool[(g % nmodels) * POOL + (g / nmodels) % POOL], &ctx, NULL);
  }
  for (size_t k = 0; k < sizeof(impls) / sizeof(impls[0]); k++) {
    if (!ha_batch_impl_available(impls[k])) {
      continue;
    }
    /* Every implementation starts from the same state: t = 0, empty caches;
     * 1 ms steps then advance each physics cache by one step per call. */
    memset(state, 0, n * sizeof(*state));
    batch_run_arg a = {b, impls[k], 0.0, 0.001, xyz, xyz + n, xyz + 2 * n, n};
    double cpu;
    res->ns[impls[k]] = measure_cpu(batch_work, &a, min_time, &cpu) / (double)n * 1e9;
    res->cpu[impls[k]] = cpu / (double)n * 1e9;
    res->have[impls[k]] = 1;
  }
  rc = 0;
done:
  ha_batch_destroy(b);
  for (size_t i = 0; pool != NULL && i < nmodels * POOL; i++) {
    ha_motion_destroy(pool[i]);
  }
  free(pool);
  free(state);
  free(xyz);
  return rc;
}

/* 1 when `name` is one of the comma-separated names of `list`. */
static int in_list(const char *list, const char *name) {
  size_t len = strlen(name);
  for (const char *s = list; *s != '\0';) {
    const char *end = strchr(s, ',');
    size_t n = end != NULL ? (size_t)(end - s) : strlen(s);
    if (n == len && strncmp(s, name, len) == 0) {
      return 1;
    }
    s += n + (end != NULL);
  }
  return 0;
}

/* ---- one motion at many times (ha_motion_eval_times) ---- */

typedef struct times_run_arg {
  const ha_motion *m;
  const double *t;
  size_t n;
  double *out;
  size_t stride; /* 1: planar x/y/z arrays, 3: interleaved */
  ha_batch_impl impl;
} times_run_arg;

static void times_work(void *arg) {
  times_run_arg *a = arg;
  double *y = a->stride == 1 ? a->out + a->n : a->out + 1;
  double *z = a->stride == 1 ? a->out + 2 * a->n : a->out + 2;
  ha_motion_eval_times_with(a->m, NULL, a->t, a->n, a->out, y, z, a->stride, a->impl);
  g_sink = a->out[a->n / 2] + a->out[3 * a->n - 1];
}

/* ns per position of one motion of `model` (the Node bench's shapes) at n
 * times (1.3 ms apart) per implementation and layout; res->ns[impl] is the
 * interleaved figure, planar[impl] the planar one. */
static int bench_times(const char *model, size_t n, double min_time, result *res,
                       double planar[HA_BATCH_IMPL_AVX512 + 1]) {
  static const ha_batch_impl impls[] = {HA_BATCH_IMPL_GENERIC, HA_BATCH_IMPL_SCALAR,
                                        HA_BATCH_IMPL_AVX2, HA_BATCH_IMPL_AVX512};
  memset(res, 0, sizeof(*res));
  ha_params *p = NULL;
  ha_motion *m = NULL;
  ha_error err;
  double *t = malloc(n * sizeof(double)), *out = malloc(3 * n * sizeof(double));
  if (t == NULL || out == NULL || ha_params_create(&p) != HA_OK) {
    free(t);
    free(out);
    return -1;
  }
  if (strcmp(model, "circular") == 0) {
    ha_params_set_vec3(p, "center", ha_vec3_make(1, 2, 0));
    ha_params_set_number(p, "startAngle", 30);
  } else {
    ha_params_set_number(p, "amplitudeY", 4);
  }
  ha_timing tm = {10.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  ha_status st = ha_motion_create(model, p, &tm, &m, &err);
  ha_params_destroy(p);
  if (st != HA_OK) {
    fprintf(stderr, "bench_engine: %s: %s\n", model, err.message);
    free(t);
    free(out);
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    t[i] = 0.0013 * (double)i;
  }
  for (size_t k = 0; k < sizeof(impls) / sizeof(impls[0]); k++) {
    if (!ha_batch_impl_available(impls[k])) {
      continue;
    }
    times_run_arg a = {m, t, n, out, 3, impls[k]};
    res->ns[impls[k]] = measure(times_work, &a, min_time) / (double)n * 1e9;
    res->have[impls[k]] = 1;
    a.stride = 1;
    planar[impls[k]] = measure(times_work, &a, min_time) / (double)n * 1e9;
  }
  ha_motion_destroy(m);
  free(t);
  free(out);
  return 0;
}

/* ---- the engine: ha_engine_evaluate with and without its batch path ---- */

typedef struct engine_run_arg {
  ha_engine *e;
  double t;
  double *x, *y, *z;
  size_t n;
} engine_run_arg;

static void engine_work(void *arg) {
  engine_run_arg *a = arg;
  a->t += 0.001;
  ha_engine_evaluate(a->e, a->t, a->x, a->y, a->z, a->n);
  g_sink = a->x[a->n / 2] + a->y[a->n - 1];
}

/* ns per track of ha_engine_evaluate for n tracks on one circular motion in
 * relative mode with phase spread (bench_player's scene), per-track path
 * (use_batch false) and batch path. */
static int bench_engine_eval(size_t n, double min_time, double ns[2]) {
  ha_motion *m = NULL;
  ha_error err;
  uint32_t *ids = malloc(n * sizeof(uint32_t));
  double *xyz = malloc(3 * n * sizeof(double));
  if (ids == NULL || xyz == NULL || ha_motion_create("circular", NULL, NULL, &m, &err) != HA_OK) {
    free(ids);
    free(xyz);
    return -1;
  }
  for (int k = 0; k < 2; k++) {
    ha_engine_config cfg = ha_engine_config_default();
    cfg.max_tracks = n;
    cfg.use_batch = k == 1;
    ha_engine *e = NULL;
    if (ha_engine_create(&cfg, &e, &err) != HA_OK) {
      fprintf(stderr, "bench_engine: %s\n", err.message);
      break;
    }
    for (size_t i = 0; i < n; i++) {
      ids[i] = (uint32_t)(i + 1);
      ha_engine_track_add(e, ids[i],
                          ha_vec3_make((double)(i % 100) * 0.1, (double)(i / 100) * 0.1, 0), &err);
    }
    ha_anim_spec sp = ha_anim_spec_default();
    sp.mode = HA_GROUP_RELATIVE;
    sp.phase_spread = true;
    ha_engine_animation_start(e, m, &sp, ids, n, 0.0, NULL, &err);
    engine_run_arg a = {e, 0.0, xyz, xyz + n, xyz + 2 * n, n};
    ns[k] = measure(engine_work, &a, min_time) / (double)n * 1e9;
    ha_engine_destroy(e);
  }
  ha_motion_destroy(m);
  free(ids);
  free(xyz);
  return 0;
}

static void print_row(const char *name, size_t n, const char *impl, double ns, double scalar_ns,
                      double libm_ns, double js_ns, double cpu_ns) {
  printf("%-10s %9zu  %-10s %10.1f %9.2f", name, n, impl, 1e3 / ns, ns);
  if (scalar_ns > 0.0) {
    printf(" %9.2fx", scalar_ns / ns);
  } else {
    printf(" %10s", "");
  }
  printf(" %9.2fx %9.0fx", libm_ns / ns, js_ns / ns);
  if (cpu_ns > 0.0) {
    printf(" %10.1f", 1e3 / cpu_ns);
  }
  printf("\n");
}

int ha_bench_engine(int argc, char **argv) {
  double min_time = 0.2;
  size_t sizes[8] = {1000, 100000, 1000000};
  size_t nsizes = 3;
  const char *only = NULL;
  const char *only_models = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quick") == 0) {
      min_time = 0.05;
      nsizes = 2;
    } else if (strcmp(argv[i], "--min-time") == 0 && i + 1 < argc) {
      min_time = strtod(argv[++i], NULL);
      if (!(min_time > 0.0 && min_time < 60.0)) {
        fprintf(stderr, "bench_engine: --min-time takes seconds in (0, 60)\n");
        return 2;
      }
    } else if (strcmp(argv[i], "--cases") == 0 && i + 1 < argc) {
      only = argv[++i];
    } else if (strcmp(argv[i], "--models") == 0 && i + 1 < argc) {
      only_models = argv[++i];
    } else if (strcmp(argv[i], "--tracks") == 0 && i + 1 < argc) {
      nsizes = 0;
      for (char *s = argv[++i]; *s && nsizes < 8;) {
        char *end = NULL;
        unsigned long long v = strtoull(s, &end, 10);
        if (end == s || v == 0) {
          fprintf(stderr, "bench_engine: --tracks takes N[,N...] (N >= 1)\n");
          return 2;
        }
        sizes[nsizes++] = (size_t)v;
        s = *end == ',' ? end + 1 : end;
      }
    } else {
      fprintf(stderr,
              "usage: %s [--quick] [--min-time SECONDS] [--tracks N[,N...]] "
              "[--cases circular,lissajous,mix,mix-g16,times,engine,models] "
              "[--models NAME[,NAME...]]\n",
              argv[0]);
      return 2;
    }
  }

  /* Every registered model, for the mix. */
  size_t nall = ha_model_count();
  const char **all = calloc(nall, sizeof(*all));
  if (all == NULL) {
    return 1;
  }
  for (size_t i = 0; i < nall; i++) {
    all[i] = ha_model_at(i)->name;
  }
  static const char *const circ[] = {"circular"};
  static const char *const liss[] = {"lissajous"};
  struct {
    const char *name;
    const char *const *models;
    size_t nmodels;
    size_t group;
    double js_ns;
  } cases[] = {{"circular", circ, 1, 1, JS_CIRCULAR_NS},
               {"lissajous", liss, 1, 1, JS_LISSAJOUS_NS},
               {"mix", all, nall, 1, JS_CIRCULAR_NS},
               {"mix-g16", all, nall, 16, JS_CIRCULAR_NS}};

  ha_batch *probe = NULL;
  if (ha_batch_create(1, &probe) != HA_OK) {
    free(all);
    return 1;
  }
  printf("holoanim bench engine: batch evaluation, one thread, double precision\n");
  printf(
      "auto implementation: %s; median of %d samples, >= %.2f s per case; "
      "\"mix\" = all %zu registered models in turn (-g16: in groups of 16)\n",
      ha_batch_impl_name(ha_batch_active_impl(probe)), SAMPLES, min_time, nall);
  ha_batch_destroy(probe);
  printf(
      "baseline: bare libm cos+sin loop over circles (no time mapping), same run; "
      "JS: the original animator's full path per position (BASELINES.md)\n\n");
  printf("%-10s %9s  %-10s %10s %9s %10s %10s %10s %10s\n", "case", "tracks", "impl", "Mpos/s",
         "ns/pos", "vs scalar", "vs libm", "vs JS", "cpu Mpos/s");

  double libm_ns[8];
  for (size_t s = 0; s < nsizes; s++) {
    libm_ns[s] = bench_libm(sizes[s], min_time);
    print_row("libm-loop", sizes[s], "libm", libm_ns[s], 0.0, libm_ns[s], JS_CIRCULAR_NS, 0.0);
  }
  double simd_first = 0.0, simd_last = 0.0;
  /* "mix" at the last size, scalar and AVX2 (0: not run), for the models'
   * summary. */
  double mix_ns[2] = {0.0, 0.0};
  char targets[4][200]; /* the target lines, printed at the end */
  size_t ntargets = 0;
  for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
    if (only != NULL && strstr(only, cases[c].name) == NULL) {
      continue;
    }
    if (cases[c].nmodels == 1 && ha_model_find(cases[c].models[0]) == NULL) {
      printf("%-10s (model not registered: skipped)\n", cases[c].name);
      continue;
    }
    for (size_t s = 0; s < nsizes; s++) {
      result r;
      if (bench_batch(cases[c].models, cases[c].nmodels, cases[c].group, sizes[s], min_time, &r,
                      cases[c].nmodels == 1) != 0) {
        free(all);
        return 1;
      }
      double sc = r.ns[HA_BATCH_IMPL_SCALAR];
      print_row(cases[c].name, sizes[s], "generic", r.ns[HA_BATCH_IMPL_GENERIC], sc, libm_ns[s],
                cases[c].js_ns, r.cpu[HA_BATCH_IMPL_GENERIC]);
      print_row(cases[c].name, sizes[s], "scalar", sc, sc, libm_ns[s], cases[c].js_ns,
                r.cpu[HA_BATCH_IMPL_SCALAR]);
      static const ha_batch_impl vec[] = {HA_BATCH_IMPL_AVX2, HA_BATCH_IMPL_AVX512};
      for (size_t k = 0; k < 2; k++) {
        if (r.have[vec[k]]) {
          print_row(cases[c].name, sizes[s], ha_batch_impl_name(vec[k]), r.ns[vec[k]], sc,
                    libm_ns[s], cases[c].js_ns, r.cpu[vec[k]]);
        }
      }
      ha_batch_impl v = best_vec(&r);
      if (v != HA_BATCH_IMPL_AUTO) {
        if (c == 0 && s == 0) {
          simd_first = r.ns[v];
        }
        if (c == 0) {
          simd_last = r.ns[v];
        }
        if (cases[c].nmodels > 1 && cases[c].group == 1 && s == nsizes - 1) {
          mix_ns[0] = sc;
          mix_ns[1] = r.ns[v];
        }
        if (cases[c].nmodels > 1 && sizes[s] == 100000) {
          /* Issue 14's target for the mixes at 100,000 tracks. */
          double mps = 1e3 / r.ns[v], x = sc / r.ns[v];
          double cav = r.cpu[v], csc = r.cpu[HA_BATCH_IMPL_SCALAR];
          char line[200];
          snprintf(line, sizeof(line),
                   "target: %s %s >= 100 M positions/s and >= 5x scalar -> %s (%.1f M/s, "
                   "x%.2f; in thread CPU time %.1f M/s, x%.2f)",
                   cases[c].name, ha_batch_impl_name(v),
                   mps >= 100.0 && x >= 5.0 ? "met" : "NOT met", mps, x, 1e3 / cav, csc / cav);
          if (ntargets < sizeof(targets) / sizeof(targets[0])) {
            snprintf(targets[ntargets++], sizeof(targets[0]), "%s", line);
          }
        }
      }
    }
  }
  if (only != NULL && strstr(only, "models") != NULL) {
    /* Every model alone (its POOL motions in turn, no shifts, as in the
     * mix) at the last size: scalar and the vector kernels side by side
     * ("best": the widest the CPU has, as AUTO picks). */
    size_t n = sizes[nsizes - 1];
    printf("\n%-14s %9s %12s %12s %12s %11s\n", "model", "tracks", "scalar M/s", "avx2 M/s",
           "avx512 M/s", "best/scalar");
    double slowest = 0.0, sum_sc = 0.0, sum_av = 0.0;
    ha_batch_impl shown = HA_BATCH_IMPL_AUTO;
    size_t ran = 0;
    const char *slowest_name = NULL;
    for (size_t m = 0; m < nall; m++) {
      result r;
      if (only_models != NULL && !in_list(only_models, all[m])) {
        continue;
      }
      if (bench_batch(&all[m], 1, 1, n, min_time, &r, 0) != 0) {
        free(all);
        return 1;
      }
      ha_batch_impl v = best_vec(&r);
      double sc = r.ns[HA_BATCH_IMPL_SCALAR], av = v != HA_BATCH_IMPL_AUTO ? r.ns[v] : 0.0;
      printf("%-14s %9zu %12.1f %12.1f %12.1f %10.2fx\n", all[m], n, 1e3 / sc,
             r.have[HA_BATCH_IMPL_AVX2] ? 1e3 / r.ns[HA_BATCH_IMPL_AVX2] : 0.0,
             r.have[HA_BATCH_IMPL_AVX512] ? 1e3 / r.ns[HA_BATCH_IMPL_AVX512] : 0.0,
             v != HA_BATCH_IMPL_AUTO ? sc / av : 0.0);
      if (v != HA_BATCH_IMPL_AUTO) {
        sum_sc += sc;
        sum_av += av;
        shown = v;
        ran++;
      }
      double best = v != HA_BATCH_IMPL_AUTO ? 1e3 / av : 1e3 / sc;
      if (slowest_name == NULL || best < slowest) {
        slowest = best;
        slowest_name = all[m];
      }
    }
    if (slowest_name != NULL && only_models == NULL && n == 100000 &&
        ntargets < sizeof(targets) / sizeof(targets[0])) {
      snprintf(targets[ntargets++], sizeof(targets[0]),
               "target: no model below 30 M positions/s at 100,000 tracks -> %s (slowest: %s "
               "%.1f M/s)",
               slowest >= 30.0 ? "met" : "NOT met", slowest_name, slowest);
    }
    printf("(models: each model alone, %d motions in turn, defaults; only with --cases models)\n",
           POOL);
    if (ran == nall) {
      /* What the mix would cost if running the models in turn added
       * nothing: each model's time alone, averaged over the models. */
      double msc = sum_sc / (double)ran, mav = sum_av / (double)ran;
      const char *vn = ha_batch_impl_name(shown);
      printf("models alone, mean over all %zu: scalar %.2f ns, %s %.2f ns a position, x%.2f", ran,
             msc, vn, mav, msc / mav);
      if (mix_ns[1] > 0.0) {
        printf(
            "; the mix in this run: scalar %.2f ns, %s %.2f ns, x%.2f (its interleaving: "
            "%+.2f ns, %+.2f ns)",
            mix_ns[0], vn, mix_ns[1], mix_ns[0] / mix_ns[1], mix_ns[0] - msc, mix_ns[1] - mav);
      }
      printf("\n");
    }
  }
  if (only == NULL || strstr(only, "times") != NULL) {
    /* One motion at 1,000 times, positions interleaved (as the Node addon's
     * evaluate writes them) and planar. */
    static const char *const tmodels[] = {"circular", "lissajous"};
    static const double tjs[] = {JS_CIRCULAR_NS, JS_LISSAJOUS_NS};
    for (size_t c = 0; c < 2; c++) {
      result r;
      double planar[HA_BATCH_IMPL_AVX512 + 1] = {0};
      char name[32];
      if (bench_times(tmodels[c], 1000, min_time, &r, planar) != 0) {
        free(all);
        return 1;
      }
      snprintf(name, sizeof(name), "t-%.4s", tmodels[c]);
      double sc = r.ns[HA_BATCH_IMPL_SCALAR];
      print_row(name, 1000, "generic", r.ns[HA_BATCH_IMPL_GENERIC], sc, libm_ns[0], tjs[c], 0.0);
      print_row(name, 1000, "scalar", sc, sc, libm_ns[0], tjs[c], 0.0);
      static const ha_batch_impl vec[] = {HA_BATCH_IMPL_AVX2, HA_BATCH_IMPL_AVX512};
      for (size_t k = 0; k < 2; k++) {
        if (r.have[vec[k]]) {
          char soa[24];
          snprintf(soa, sizeof(soa), "%s-soa", ha_batch_impl_name(vec[k]));
          print_row(name, 1000, ha_batch_impl_name(vec[k]), r.ns[vec[k]], sc, libm_ns[0], tjs[c],
                    0.0);
          print_row(name, 1000, soa, planar[vec[k]], planar[HA_BATCH_IMPL_SCALAR], libm_ns[0],
                    tjs[c], 0.0);
        }
      }
    }
    printf(
        "(t-*: one motion at 1,000 times through ha_motion_eval_times, \"tracks\" = times; "
        "positions interleaved x,y,z, *-soa: planar arrays)\n");
  }
  if (only == NULL || strstr(only, "engine") != NULL) {
    /* ha_engine_evaluate: everything per tick (transitions, limits, NaN
     * guard, velocity) around the motions, per track or through the batch. */
    for (size_t s = 0; s < nsizes; s++) {
      double ns[2] = {0, 0};
      if (sizes[s] > 65536) {
        continue; /* the engine's max_tracks limit */
      }
      if (bench_engine_eval(sizes[s], min_time, ns) != 0) {
        free(all);
        return 1;
      }
      print_row("engine", sizes[s], "pertrack", ns[0], ns[0], libm_ns[s], JS_CIRCULAR_NS, 0.0);
      print_row("engine", sizes[s], "batch", ns[1], ns[0], libm_ns[s], JS_CIRCULAR_NS, 0.0);
    }
    printf(
        "(engine: ha_engine_evaluate, circular, relative mode, phase spread; \"vs scalar\" "
        "= vs the per-track path)\n");
  }
  if (simd_first > 0.0 && nsizes > 1) {
    printf(
        "\ncircular, widest vector kernels: %.2f ns/pos at %zu tracks, %.2f at %zu (cost per "
        "track x%.2f; 1.0 = linear)\n",
        simd_first, sizes[0], simd_last, sizes[nsizes - 1], simd_last / simd_first);
  }
  printf("(the original's calculate() alone was ~%.0f ns/position for circular)\n",
         JS_CALC_CIRCULAR_NS);
  for (size_t k = 0; k < ntargets; k++) {
    printf("%s\n", targets[k]);
  }
  free(all);
  return 0;
}

#ifndef HA_BENCH_NO_MAIN
int main(int argc, char **argv) {
  return ha_bench_engine(argc, argv);
}
#endif
