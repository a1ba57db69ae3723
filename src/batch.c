/* Batch evaluation: capture, dispatch and the scalar reference kernels.
 *
 * Layout. Kernel parameters are stored per field (structure of arrays,
 * batch_impl.h) at the track's add position, not packed per kernel: consecutive
 * tracks on one kernel form a "run" that a kernel reads and writes
 * contiguously, so the output needs no scatter and add order is free. Runs
 * are extended as tracks are appended and rebuilt (O(n), no allocation) only
 * when a refresh moves a track to another kernel. The CIRCLE and SINES
 * parameters share the fields, which costs nothing: a kernel reads only the
 * fields it uses. Rejected: one dense parameter set per kernel plus an index
 * array, which needs scattered stores (four scalar stores per output per
 * vector in AVX2) and a compaction on every kernel change.
 *
 * Capture. A motion whose model provides `pack` and is not blending becomes
 * kernel parameters with its frame transform folded in: the model gives
 * P_local = c + M·f(p), the motion applies P = v + X·(P_local − v) about the
 * pivot v, so c' = v + X·(c − v) and M' = X·M. Everything else (physics,
 * splines, blends) stays a (motion, ctx) pair evaluated by ha_motion_eval.
 *
 * Time. a = t·speed − shift, then the loop mapping with exactly the
 * operations of ha_time_map (batch_impl.h), so τ is bit-identical to
 * ha_motion_eval's and a wrap can never be decided differently. The
 * division p = τ/T is folded into the rates at capture (w = ω/T): θ then
 * differs from the model's by a rounding or two (≤ 2e-12 rad at 1000
 * turns, ~1e-11 m at the worst of the test ranges), and one of the two
 * per-track divisions, the slowest instruction of the SIMD loop, is gone
 * (~8% faster). The other, floor(a/T), must stay exact.
 *
 * Dispatch. No process-wide state: ha_batch_create asks the CPU (through
 * libgcc's __builtin_cpu_supports) for AVX2 and FMA and stores the choice in
 * the batch; ha_batch_eval_with lets tests and benchmarks pick. */
#include "batch_impl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { KIND_GENERIC = 0, KIND_CIRCLE = 1, KIND_SINES = 2 };

typedef struct batch_run {
  size_t start;
  size_t count;
  int kind;
} batch_run;

struct ha_batch {
  size_t cap;
  size_t n;
  ha_batch_impl impl; /* resolved at create: SCALAR or AVX2 */
  int avx2_ok;        /* AVX2 kernels compiled in and supported by this CPU */
  double *fields;     /* every field array, one aligned allocation */
  ha__batch_soa soa;  /* pointers into `fields` */
  const ha_motion **motion;
  ha_track_ctx *ctx;
  unsigned char *kind;
  batch_run *runs;
  size_t nruns;
  size_t packed;
};

/* ---- implementations ---- */

static bool cpu_has_avx2(void) {
#if defined(HA_HAVE_AVX2) && defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  /* libgcc checks that the OS saves the YMM state (XGETBV) before it
   * reports AVX features. */
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

bool ha_batch_impl_available(ha_batch_impl impl) {
  switch (impl) {
    case HA_BATCH_IMPL_AUTO:
    case HA_BATCH_IMPL_GENERIC:
    case HA_BATCH_IMPL_SCALAR: return true;
    case HA_BATCH_IMPL_AVX2: return cpu_has_avx2();
  }
  return false;
}

const char *ha_batch_impl_name(ha_batch_impl impl) {
  switch (impl) {
    case HA_BATCH_IMPL_AUTO: return "auto";
    case HA_BATCH_IMPL_GENERIC: return "generic";
    case HA_BATCH_IMPL_SCALAR: return "scalar";
    case HA_BATCH_IMPL_AVX2: return "avx2";
  }
  return "unknown";
}

ha_status ha_batch_impl_parse(const char *name, ha_batch_impl *out) {
  static const ha_batch_impl all[] = {HA_BATCH_IMPL_AUTO, HA_BATCH_IMPL_GENERIC,
                                      HA_BATCH_IMPL_SCALAR, HA_BATCH_IMPL_AVX2};
  for (size_t i = 0; name != NULL && i < HA__COUNTOF(all); i++) {
    if (strcasecmp(name, ha_batch_impl_name(all[i])) == 0) {
      *out = all[i];
      return HA_OK;
    }
  }
  return HA_EINVAL;
}

/* ---- lifecycle ---- */

ha_status ha_batch_create(size_t capacity, ha_batch **out) {
  if (out == NULL || capacity == 0) {
    return HA_EINVAL;
  }
  *out = NULL;
  /* The bound keeps every size computation below from overflowing. */
  const size_t per_track = HA__BATCH_FIELDS * sizeof(double) + sizeof(ha_track_ctx) +
                           sizeof(batch_run) + sizeof(void *) + 1;
  if (capacity > (SIZE_MAX / 2) / per_track) {
    return HA_ENOMEM;
  }
  ha_batch *b = calloc(1, sizeof(*b));
  if (b == NULL) {
    return HA_ENOMEM;
  }
  /* Whole cache lines per field, and ≥ 3 slots of slack for the SIMD
   * kernels' last vector (batch_impl.h). */
  size_t stride = (capacity + 3u + 7u) & ~(size_t)7u;
  size_t bytes = HA__BATCH_FIELDS * stride * sizeof(double);
  b->fields = aligned_alloc(64, bytes);
  b->motion = malloc(capacity * sizeof(*b->motion));
  b->ctx = malloc(capacity * sizeof(*b->ctx));
  b->kind = malloc(capacity);
  b->runs = malloc(capacity * sizeof(*b->runs));
  if (b->fields == NULL || b->motion == NULL || b->ctx == NULL || b->kind == NULL ||
      b->runs == NULL) {
    ha_batch_destroy(b);
    return HA_ENOMEM;
  }
  /* Zeroed: slots not in use hold defined values, which the SIMD kernels
   * may compute (and discard) past the end of a run; this also commits the
   * pages now rather than on the tick. */
  memset(b->fields, 0, bytes);
  double **field[HA__BATCH_FIELDS];
  ha__batch_soa_fields(&b->soa, field);
  for (size_t k = 0; k < HA__BATCH_FIELDS; k++) {
    *field[k] = b->fields + k * stride;
  }
  b->cap = capacity;
  b->avx2_ok = cpu_has_avx2() ? 1 : 0;
  b->impl = b->avx2_ok ? HA_BATCH_IMPL_AVX2 : HA_BATCH_IMPL_SCALAR;
  *out = b;
  return HA_OK;
}

void ha_batch_destroy(ha_batch *b) {
  if (b == NULL) {
    return;
  }
  free(b->fields);
  free(b->motion);
  free(b->ctx);
  free(b->kind);
  free(b->runs);
  free(b);
}

void ha_batch_clear(ha_batch *b) {
  if (b != NULL) {
    b->n = 0;
    b->nruns = 0;
    b->packed = 0;
  }
}

size_t ha_batch_size(const ha_batch *b) {
  return b ? b->n : 0;
}
size_t ha_batch_capacity(const ha_batch *b) {
  return b ? b->cap : 0;
}
ha_batch_impl ha_batch_active_impl(const ha_batch *b) {
  return b ? b->impl : HA_BATCH_IMPL_SCALAR;
}

void ha_batch_get_stats(const ha_batch *b, ha_batch_stats *out) {
  memset(out, 0, sizeof(*out));
  if (b != NULL) {
    out->size = b->n;
    out->capacity = b->cap;
    out->packed = b->packed;
    out->generic = b->n - b->packed;
    out->runs = b->nruns;
  }
}

/* ---- capture ---- */

/* The kernel for `m`, its parameters in `kp` with the frame folded in. */
static int capture_kernel(const ha_motion *m, ha__kernel_params *kp) {
  const ha__motion_data *d = ha__motion_current(m);
  if (ha__motion_blending(m) || d->model->pack == NULL) {
    return KIND_GENERIC;
  }
  int kind;
  switch (d->model->pack(d, kp)) {
    case HA__KERNEL_CIRCLE: kind = KIND_CIRCLE; break;
    case HA__KERNEL_SINES: kind = KIND_SINES; break;
    case HA__KERNEL_NONE:
    default: return KIND_GENERIC;
  }
  if (d->has_xf) {
    ha_vec3 v = ha__motion_data_pivot(d);
    ha_vec3 c = ha_vec3_make(kp->c[0], kp->c[1], kp->c[2]);
    c = ha_vec3_add(v, ha_mat3_apply(&d->xf, ha_vec3_sub(c, v)));
    ha_mat3 mm;
    memcpy(mm.m, kp->m, sizeof(mm.m));
    mm = ha_mat3_mul(d->xf, mm);
    kp->c[0] = c.x;
    kp->c[1] = c.y;
    kp->c[2] = c.z;
    memcpy(kp->m, mm.m, sizeof(kp->m));
  }
  return kind;
}

/* Fill slot i from (m, ctx); returns the slot's kind. */
static int capture(ha_batch *b, size_t i, const ha_motion *m, const ha_track_ctx *ctx) {
  static const ha_track_ctx none = {0, 0.0, NULL, NULL};
  ha__kernel_params kp;
  memset(&kp, 0, sizeof(kp));
  int kind = capture_kernel(m, &kp);
  const ha__motion_data *d = ha__motion_current(m);
  ha__batch_soa *s = &b->soa;
  b->motion[i] = m;
  b->ctx[i] = ctx ? *ctx : none;
  s->T[i] = d->timing.duration;
  s->speed[i] = d->timing.speed;
  s->shift[i] = b->ctx[i].shift;
  s->mode[i] = (double)d->timing.loop;
  for (int r = 0; r < 3; r++) {
    s->c[r][i] = kp.c[r];
    for (int k = 0; k < 3; k++) {
      s->m[r][k][i] = kp.m[r][k];
    }
  }
  /* Rates per second of τ (see batch_impl.h); CIRCLE keeps ω in w[0] and
   * θ0 in ph[0]. */
  for (int k = 0; k < 3; k++) {
    s->w[k][i] = kp.omega[k] / d->timing.duration;
    s->ph[k][i] = kind == KIND_CIRCLE ? (k == 0 ? kp.theta0 : 0.0) : kp.phase[k];
  }
  return kind;
}

/* Account slot i (the last one counted so far) of kind k. */
static void append_run(ha_batch *b, size_t i, int k) {
  if (k != KIND_GENERIC) {
    b->packed++;
  }
  batch_run *last = b->nruns ? &b->runs[b->nruns - 1] : NULL;
  if (last != NULL && last->kind == k) {
    last->count++;
  } else {
    batch_run r = {i, 1, k};
    b->runs[b->nruns++] = r;
  }
}

static void rebuild_runs(ha_batch *b) {
  b->nruns = 0;
  b->packed = 0;
  for (size_t i = 0; i < b->n; i++) {
    int k = b->kind[i];
    append_run(b, i, k);
  }
}

ha_status ha_batch_add(ha_batch *b, const ha_motion *m, const ha_track_ctx *ctx, size_t *index) {
  if (b == NULL || m == NULL) {
    return HA_EINVAL;
  }
  if (b->n == b->cap) {
    return HA_EEXHAUSTED;
  }
  size_t i = b->n++;
  int k = capture(b, i, m, ctx);
  b->kind[i] = (unsigned char)k;
  append_run(b, i, k);
  if (index != NULL) {
    *index = i;
  }
  return HA_OK;
}

ha_status ha_batch_set_track(ha_batch *b, size_t index, const ha_motion *m,
                             const ha_track_ctx *ctx) {
  if (b == NULL || m == NULL) {
    return HA_EINVAL;
  }
  if (index >= b->n) {
    return HA_ENOTFOUND;
  }
  int k = capture(b, index, m, ctx);
  if (k != b->kind[index]) {
    b->kind[index] = (unsigned char)k;
    rebuild_runs(b);
  }
  return HA_OK;
}

ha_status ha_batch_refresh(ha_batch *b, size_t index) {
  if (b == NULL || index >= b->n) {
    return HA_ENOTFOUND;
  }
  ha_track_ctx ctx = b->ctx[index];
  return ha_batch_set_track(b, index, b->motion[index], &ctx);
}

size_t ha_batch_refresh_motion(ha_batch *b, const ha_motion *m) {
  size_t count = 0;
  int changed = 0;
  for (size_t i = 0; b != NULL && m != NULL && i < b->n; i++) {
    if (b->motion[i] == m) {
      ha_track_ctx ctx = b->ctx[i];
      int k = capture(b, i, m, &ctx);
      changed |= k != b->kind[i];
      b->kind[i] = (unsigned char)k;
      count++;
    }
  }
  if (changed) {
    rebuild_runs(b);
  }
  return count;
}

/* ---- evaluation ---- */

void ha__batch_circle_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                             double *y, double *z) {
  for (size_t i = i0; i < i0 + n; i++) {
    double th = s->ph[0][i] + s->w[0][i] * ha__batch_tau_at(s, i, t);
    double co = cos(th), si = sin(th);
    x[i] = s->c[0][i] + s->m[0][0][i] * co + s->m[0][1][i] * si;
    y[i] = s->c[1][i] + s->m[1][0][i] * co + s->m[1][1][i] * si;
    z[i] = s->c[2][i] + s->m[2][0][i] * co + s->m[2][1][i] * si;
  }
}

void ha__batch_sines_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                            double *y, double *z) {
  for (size_t i = i0; i < i0 + n; i++) {
    double tau = ha__batch_tau_at(s, i, t);
    double s0 = sin(s->w[0][i] * tau + s->ph[0][i]);
    double s1 = sin(s->w[1][i] * tau + s->ph[1][i]);
    double s2 = sin(s->w[2][i] * tau + s->ph[2][i]);
    x[i] = s->c[0][i] + s->m[0][0][i] * s0 + s->m[0][1][i] * s1 + s->m[0][2][i] * s2;
    y[i] = s->c[1][i] + s->m[1][0][i] * s0 + s->m[1][1][i] * s1 + s->m[1][2][i] * s2;
    z[i] = s->c[2][i] + s->m[2][0][i] * s0 + s->m[2][1][i] * s1 + s->m[2][2][i] * s2;
  }
}

static void eval_generic(const ha_batch *b, size_t i0, size_t n, double t, double *x, double *y,
                         double *z) {
  for (size_t i = i0; i < i0 + n; i++) {
    ha_vec3 p = ha_motion_eval(b->motion[i], t, &b->ctx[i]);
    x[i] = p.x;
    y[i] = p.y;
    z[i] = p.z;
  }
}

typedef void (*kernel_fn)(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                          double *y, double *z);

ha_status ha_batch_eval_with(const ha_batch *b, double t, double *x, double *y, double *z,
                             ha_batch_impl impl) {
  kernel_fn circle = NULL, sines = NULL;
  if (b == NULL) {
    return HA_EINVAL;
  }
  if (impl == HA_BATCH_IMPL_AUTO) {
    impl = b->impl;
  }
  switch (impl) {
    case HA_BATCH_IMPL_GENERIC: eval_generic(b, 0, b->n, t, x, y, z); return HA_OK;
    case HA_BATCH_IMPL_SCALAR:
      circle = ha__batch_circle_scalar;
      sines = ha__batch_sines_scalar;
      break;
    case HA_BATCH_IMPL_AVX2:
#if defined(HA_HAVE_AVX2)
      if (b->avx2_ok) {
        circle = ha__batch_circle_avx2;
        sines = ha__batch_sines_avx2;
        break;
      }
#endif
      return HA_EUNSUPPORTED;
    case HA_BATCH_IMPL_AUTO:
    default: return HA_EINVAL;
  }
  for (size_t r = 0; r < b->nruns; r++) {
    const batch_run *run = &b->runs[r];
    switch (run->kind) {
      case KIND_CIRCLE: circle(&b->soa, run->start, run->count, t, x, y, z); break;
      case KIND_SINES: sines(&b->soa, run->start, run->count, t, x, y, z); break;
      default: eval_generic(b, run->start, run->count, t, x, y, z); break;
    }
  }
  return HA_OK;
}

void ha_batch_eval(const ha_batch *b, double t, double *x, double *y, double *z) {
  (void)ha_batch_eval_with(b, t, x, y, z, HA_BATCH_IMPL_AUTO);
}
