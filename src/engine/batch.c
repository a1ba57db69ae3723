/* Batch evaluation: capture, dispatch and the scalar reference kernels.
 *
 * Layout. Kernel parameters are stored per field (structure of arrays,
 * batch_impl.h) in storage slots cut into pages of one kernel kind each
 * (see "storage" below), so a kernel runs over a page or more in one call
 * however the models alternate in add order (a mixed show), and a batch of
 * one model, or an animation's tracks added together, keeps slots and add
 * indices in step: the kernel writes the caller's arrays directly, with no
 * scatter. Otherwise its outputs are scattered from a buffer (3 stores a
 * track). Runs of one kind in add order are still kept,
 * for the statistics. Rejected after measuring: keeping the slots at the
 * add positions and gathering the tracks of short runs per kind into a
 * buffer at evaluation (each track's ~20 fields lie in ~20 cache lines:
 * 40–90 ns a track, more than the kernels themselves).
 *
 * Capture. A motion whose model provides `pack` and is not blending becomes
 * kernel parameters with its frame transform folded in: the model gives
 * P_local = c + M·f(p), the motion applies P = v + X·(P_local − v) about the
 * pivot v, so c' = v + X·(c − v), M' = X·M and n' = X·n. Everything else
 * (integrated physics, noise, splines, blends) stays a (motion, ctx) pair
 * evaluated by ha_motion_eval.
 *
 * Time. a = t·speed − shift, then the loop mapping with exactly the
 * operations of ha_time_map (batch_impl.h), so τ is bit-identical to
 * ha_motion_eval's and a wrap can never be decided differently; then
 * p = τ/T, so that a CIRCLE model's θ is bit-identical too (batch_impl.h).
 *
 * One motion at many times (ha_motion_eval_times) reuses the capture and the
 * kernels' closed forms with the parameters as scalars and the times per
 * lane (ha__times_* kernels); the loop mode and the output layout are then
 * fixed for the whole call, so the SIMD loop computes only its own mode and
 * can write interleaved x, y, z directly.
 *
 * Dispatch. No process-wide state: ha_batch_create asks the CPU (through
 * libgcc's __builtin_cpu_supports) for AVX-512 F, DQ and VL, then AVX2 and
 * FMA, and stores the widest implementation it has in the batch (the same
 * kernel sources built for 8 and 4 lanes: simd/vec_impl.h);
 * ha_batch_eval_with lets tests and benchmarks pick. */
#include "batch_impl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
  KIND_GENERIC = 0,
  KIND_CIRCLE,
  KIND_SINES,
  KIND_LERP,
  KIND_ROT1,
  KIND_ROT2,
  KIND_WAVE,
  KIND_BOUNCE,
  KIND_CUBIC,
  KIND_SPRING,
  KIND_RANDOM,
  KIND_PERLIN,
  KIND_ATTRACT,
  KIND_PENDULUM,
  KIND_SEGS,
  KIND_KEYS,
  KIND_DIRECT,
  KIND_COUNT
};

typedef struct batch_run {
  size_t start;
  size_t count;
  int kind;
} batch_run;

struct ha_batch {
  size_t cap;
  size_t n;
  ha_batch_impl impl; /* resolved at create: the widest the CPU has (SCALAR, AVX2 or AVX512;
                         AVX512 implies AVX2), so an evaluation asks the CPU nothing */
  double *fields;     /* every field array, one aligned allocation */
  ha__batch_soa soa;  /* pointers into `fields` */
  const ha_motion **motion;
  ha_track_ctx *ctx;
  unsigned char *kind;
  batch_run *runs; /* runs of one kind in add order (statistics) */
  size_t nruns;
  size_t packed;
  size_t *slot; /* add index → storage slot */
  size_t *ord;  /* storage slot → add index */
  /* Storage pages ("storage" below). */
  size_t stride;           /* slots per field array, slack included */
  size_t psize;            /* slots per page, a power of two */
  size_t npages;           /* pages the storage holds */
  size_t used;             /* pages taken so far: [0, used) */
  size_t free_page;        /* the first free page below `used`, or NO_PAGE */
  unsigned char *pkind;    /* per page: its kind */
  size_t *pfill;           /* per page: slots in use from its start (0: free) */
  size_t *plink;           /* per page: the kind's previous page, or the next free one */
  size_t open[KIND_COUNT]; /* per kind: its last page, or NO_PAGE */
};

#define NO_PAGE SIZE_MAX

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

/* The 8-lane kernels: AVX-512 F (the vectors), DQ (the 64-bit masks, and/or
 * of doubles, the 64-bit multiply), VL (nothing the kernels ask for, but
 * every CPU with the other two has it), and the 4-lane kernels' AVX2 and
 * FMA for their shuffles. */
static bool cpu_has_avx512(void) {
#if defined(HA_HAVE_AVX2) && defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  /* libgcc checks that the OS saves the ZMM state (XGETBV) before it
   * reports AVX-512 features. */
  return cpu_has_avx2() && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
  return false;
#endif
}

/* AUTO: the widest implementation this CPU has. */
static ha_batch_impl best_impl(void) {
  return cpu_has_avx512() ? HA_BATCH_IMPL_AVX512
         : cpu_has_avx2() ? HA_BATCH_IMPL_AVX2
                          : HA_BATCH_IMPL_SCALAR;
}

/* Whether `impl` (SCALAR, AVX2 or AVX512) runs where `best` is this CPU's
 * widest (best_impl): AVX-512 implies AVX2. The one statement of that rule:
 * ha_batch_impl_available, an evaluation and ha_motion_eval_times_with ask
 * it. */
static bool impl_within(ha_batch_impl best, ha_batch_impl impl) {
  return impl == HA_BATCH_IMPL_SCALAR || impl == best || best == HA_BATCH_IMPL_AVX512;
}

bool ha_batch_impl_available(ha_batch_impl impl) {
  switch (impl) {
  case HA_BATCH_IMPL_AUTO:
  case HA_BATCH_IMPL_GENERIC:
  case HA_BATCH_IMPL_SCALAR: return true;
  case HA_BATCH_IMPL_AVX2:
  case HA_BATCH_IMPL_AVX512: return impl_within(best_impl(), impl);
  }
  return false;
}

const char *ha_batch_impl_name(ha_batch_impl impl) {
  switch (impl) {
  case HA_BATCH_IMPL_AUTO: return "auto";
  case HA_BATCH_IMPL_GENERIC: return "generic";
  case HA_BATCH_IMPL_SCALAR: return "scalar";
  case HA_BATCH_IMPL_AVX2: return "avx2";
  case HA_BATCH_IMPL_AVX512: return "avx512";
  }
  return "unknown";
}

ha_status ha_batch_impl_parse(const char *name, ha_batch_impl *out) {
  static const ha_batch_impl all[] = {HA_BATCH_IMPL_AUTO, HA_BATCH_IMPL_GENERIC,
                                      HA_BATCH_IMPL_SCALAR, HA_BATCH_IMPL_AVX2,
                                      HA_BATCH_IMPL_AVX512};
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
                           sizeof(batch_run) + sizeof(void *) + sizeof(ha__batch_ref) +
                           2 * sizeof(size_t) + 1;
  if (capacity > (SIZE_MAX / 2) / per_track) {
    return HA_ENOMEM;
  }
  ha_batch *b = calloc(1, sizeof(*b));
  if (b == NULL) {
    return HA_ENOMEM;
  }
  /* Pages: at most one partly filled page per kind, so capacity/psize
   * rounded up plus one per kind always suffice. 16 to 1,024 slots, about
   * a sixteenth of the capacity, so small batches stay small. In the
   * 100,000-track mix of bench_engine, pages of 512–1,024 slots measured
   * best: 256 left each field's reads too short for the prefetcher, 2,048
   * spread the scatter over more than the cache holds. */
  size_t psize = 16;
  while (psize < 1024 && psize * 16 < capacity) {
    psize *= 2;
  }
  b->psize = psize;
  b->npages = (capacity + psize - 1) / psize + KIND_COUNT;
  /* Whole cache lines per field, and ≥ 7 slots of slack for the SIMD
   * kernels' last vector (batch_impl.h). */
  size_t slots = b->npages * psize;
  size_t stride = (slots + 7u + 7u) & ~(size_t)7u;
  size_t bytes = HA__BATCH_FIELDS * stride * sizeof(double);
  b->stride = stride;
  b->fields = aligned_alloc(64, bytes);
  b->motion = malloc(capacity * sizeof(*b->motion));
  b->ctx = malloc(capacity * sizeof(*b->ctx));
  b->kind = malloc(capacity);
  b->runs = malloc(capacity * sizeof(*b->runs));
  b->slot = malloc(capacity * sizeof(*b->slot));
  b->ord = malloc(slots * sizeof(*b->ord));
  b->pkind = malloc(b->npages);
  b->pfill = malloc(b->npages * sizeof(*b->pfill));
  b->plink = malloc(b->npages * sizeof(*b->plink));
  b->soa.ref = calloc(stride, sizeof(*b->soa.ref));
  if (b->soa.ref == NULL || b->fields == NULL || b->motion == NULL || b->ctx == NULL ||
      b->kind == NULL || b->runs == NULL || b->slot == NULL || b->ord == NULL || b->pkind == NULL ||
      b->pfill == NULL || b->plink == NULL) {
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
  ha_batch_clear(b);
  b->impl = best_impl();
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
  free(b->slot);
  free(b->ord);
  free(b->pkind);
  free(b->pfill);
  free(b->plink);
  free(b->soa.ref);
  free(b);
}

void ha_batch_clear(ha_batch *b) {
  if (b != NULL) {
    b->n = 0;
    b->nruns = 0;
    b->packed = 0;
    b->used = 0;
    b->free_page = NO_PAGE;
    for (int k = 0; k < KIND_COUNT; k++) {
      b->open[k] = NO_PAGE;
    }
  }
}

size_t ha_batch_size(const ha_batch *b) {
  return b ? b->n : 0;
}
size_t ha_batch_capacity(const ha_batch *b) {
  return b ? b->cap : 0;
}
size_t ha_batch_memory_bytes(const ha_batch *b) {
  if (b == NULL) {
    return 0;
  }
  return sizeof(*b) + HA__BATCH_FIELDS * b->stride * sizeof(double) +
         b->stride * sizeof(*b->soa.ref) + b->npages * b->psize * sizeof(*b->ord) +
         b->npages * (1 + sizeof(*b->pfill) + sizeof(*b->plink)) +
         b->cap * (sizeof(*b->motion) + sizeof(*b->ctx) + 1 + sizeof(*b->runs) + sizeof(*b->slot));
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
  if (ha__motion_blending(m) || d->has_off) {
    return KIND_GENERIC;
  }
  int kind;
  switch (d->model->pack != NULL ? d->model->pack(d, kp) : HA__KERNEL_NONE) {
  case HA__KERNEL_CIRCLE: kind = KIND_CIRCLE; break;
  case HA__KERNEL_SINES: kind = KIND_SINES; break;
  case HA__KERNEL_LERP: kind = KIND_LERP; break;
  case HA__KERNEL_ROT1: kind = KIND_ROT1; break;
  case HA__KERNEL_ROT2: kind = KIND_ROT2; break;
  case HA__KERNEL_WAVE: kind = KIND_WAVE; break;
  case HA__KERNEL_BOUNCE: kind = KIND_BOUNCE; break;
  case HA__KERNEL_CUBIC: kind = KIND_CUBIC; break;
  case HA__KERNEL_SPRING: kind = KIND_SPRING; break;
  case HA__KERNEL_RANDOM: kind = KIND_RANDOM; break;
  case HA__KERNEL_PERLIN: kind = KIND_PERLIN; break;
  case HA__KERNEL_ATTRACT: kind = KIND_ATTRACT; break;
  case HA__KERNEL_PENDULUM: kind = KIND_PENDULUM; break;
  case HA__KERNEL_SEGS: kind = KIND_SEGS; break;
  case HA__KERNEL_KEYS: kind = KIND_KEYS; break;
  case HA__KERNEL_NONE:
  default:
    if (d->model->info.flags & HA_MODEL_STATEFUL) {
      return KIND_GENERIC;
    }
    /* DIRECT: the model's own local() on the slot's data, frame folded. */
    memset(kp, 0, sizeof(*kp));
    kp->m[0][0] = kp->m[1][1] = kp->m[2][2] = 1.0;
    kind = KIND_DIRECT;
    break;
  }
  /* The blended wrap: only the bounce, spring and attract kernels compute it. */
  if (d->seam_window > 0.0 && kind != KIND_BOUNCE && kind != KIND_SPRING && kind != KIND_ATTRACT &&
      kind != KIND_PENDULUM) {
    return KIND_GENERIC;
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
    for (int k = 0; k < 2; k++) {
      ha_vec3 n = ha_mat3_apply(&d->xf, ha_vec3_make(kp->n[0][k], kp->n[1][k], kp->n[2][k]));
      kp->n[0][k] = n.x;
      kp->n[1][k] = n.y;
      kp->n[2][k] = n.z;
    }
  }
  return kind;
}

/* Rates (per unit of progress p) and phases of kernel `kind`; CIRCLE keeps
 * ω in w[0] and θ0 in ph[0]. */
static void kernel_rates(int kind, const ha__kernel_params *kp, double w[3], double ph[3]) {
  for (int k = 0; k < 3; k++) {
    w[k] = kp->omega[k];
    ph[k] = kind == KIND_CIRCLE ? (k == 0 ? kp->theta0 : 0.0) : kp->phase[k];
  }
}

bool ha_batch_would_pack(const ha_motion *m) {
  ha__kernel_params kp;
  memset(&kp, 0, sizeof(kp));
  return m != NULL && capture_kernel(m, &kp) != KIND_GENERIC;
}

/* ---- storage: pages of one kind ----
 *
 * The field arrays are cut into pages of psize slots; each page holds
 * tracks of one kind from its start, so a kernel runs over a whole page
 * (and over neighbouring full pages of its kind) in one call, however the
 * kinds alternate in add order (a mixed show). A kind fills its last page,
 * then takes a fresh one: pages are taken in the order tracks arrive, so
 * the batch, evaluated page by page, writes its outputs within a window of
 * a few pages' worth of add indices, and meets each page's tracks (their
 * outputs, their caches) in add order. With one contiguous range per kind,
 * adding a track moved the first slot of every later kind's range to its
 * end, which scrambled the order and sent a mixed show's stores all over
 * the output (100,000 tracks, the 24 models in turn, thread time: ~13.4 ns
 * a position then, ~10.3 now without the two integrated models; 16.3 and
 * 12.0 with them). A track leaving a kind takes the kind's last slot in
 * its place; a page left empty goes to the free list. slot[] and ord[] map
 * add indices and slots both ways. None of this happens on evaluation. */

static void move_slot(ha_batch *b, size_t from, size_t to) {
  double **f[HA__BATCH_FIELDS];
  ha__batch_soa_fields(&b->soa, f);
  for (size_t k = 0; k < HA__BATCH_FIELDS; k++) {
    (*f[k])[to] = (*f[k])[from];
  }
  b->soa.ref[to] = b->soa.ref[from];
  size_t i = b->ord[from];
  b->ord[to] = i;
  b->slot[i] = to;
}

/* A free slot after kind k's last track. The pages in use are at most
 * n / psize full ones and one partly filled page per kind, so a page is
 * always left (ha_batch_create). */
static size_t slot_insert(ha_batch *b, int k) {
  size_t p = b->open[k];
  if (p == NO_PAGE || b->pfill[p] == b->psize) {
    size_t q = b->free_page;
    if (q != NO_PAGE) {
      b->free_page = b->plink[q];
    } else {
      q = b->used++;
    }
    b->pkind[q] = (unsigned char)k;
    b->pfill[q] = 0;
    b->plink[q] = p;
    b->open[k] = q;
    p = q;
  }
  return p * b->psize + b->pfill[p]++;
}

/* Take slot `at` out of kind k: the kind's last track moves into it. */
static void slot_remove(ha_batch *b, size_t at, int k) {
  size_t p = b->open[k];
  size_t last = p * b->psize + b->pfill[p] - 1;
  if (at != last) {
    move_slot(b, last, at);
  }
  if (--b->pfill[p] == 0) {
    b->open[k] = b->plink[p];
    b->plink[p] = b->free_page;
    b->free_page = p;
  }
}

/* Capture (m, ctx) as track i: a new track (placed now), or an existing one
 * (moved when its kind changes: b->kind[i] is still the old kind). */
static int batch_capture(ha_batch *b, size_t i, const ha_motion *m, const ha_track_ctx *ctx,
                         int is_new) {
  static const ha_track_ctx none = {0, 0.0, NULL, NULL};
  ha__kernel_params kp;
  memset(&kp, 0, sizeof(kp));
  int kind = capture_kernel(m, &kp);
  const ha__motion_data *d = ha__motion_current(m);
  ha__batch_soa *s = &b->soa;
  b->motion[i] = m;
  b->ctx[i] = ctx ? *ctx : none;
  if (is_new || kind != b->kind[i]) {
    if (!is_new) {
      slot_remove(b, b->slot[i], b->kind[i]);
    }
    size_t at = slot_insert(b, kind);
    b->slot[i] = at;
    b->ord[at] = i;
  }
  const size_t track = i;
  i = b->slot[track]; /* from here on, i is the storage slot */
  s->T[i] = d->timing.duration;
  s->speed[i] = d->timing.speed;
  s->shift[i] = b->ctx[track].shift;
  s->mode[i] = (double)d->timing.loop;
  for (int r = 0; r < 3; r++) {
    s->c[r][i] = kp.c[r];
    for (int k = 0; k < 3; k++) {
      s->m[r][k][i] = kp.m[r][k];
    }
  }
  double w[3], ph[3];
  kernel_rates(kind, &kp, w, ph);
  for (int k = 0; k < 3; k++) {
    s->w[k][i] = w[k];
    s->ph[k][i] = ph[k];
    s->rho[k][i] = kind == KIND_WAVE ? (k == 0 ? kp.wave : 0) : kp.rho[k];
    s->n[k][0][i] = kp.n[k][0];
    s->n[k][1][i] = kp.n[k][1];
  }
  /* The easing as ha_ease splits it: family and variant (in, out, in-out). */
  s->ez[0][i] = kp.ease > 0 ? (kp.ease - 1) / 3 : -1;
  s->ez[1][i] = kp.ease > 0 ? (kp.ease - 1) % 3 : 0;
  s->um[0][i] = kp.u_mode;
  s->um[1][i] = kp.u_scale;
  ha__batch_ref none_ref = {NULL, NULL, 0, NULL, 0};
  s->ref[i] = none_ref;
  if (kind == KIND_PERLIN || kind == KIND_ATTRACT || kind == KIND_PENDULUM || kind == KIND_SEGS ||
      kind == KIND_KEYS) {
    s->ref[i].tab = kp.table;
  }
  if (kind == KIND_DIRECT || kind == KIND_KEYS) {
    s->ref[i].data = d;
    s->ref[i].track = b->ctx[track].track_id;
  }
  if (kind == KIND_ATTRACT || kind == KIND_PENDULUM) {
    s->ref[i].state = b->ctx[track].state;
    s->ref[i].tag = d->tag;
    s->ref[i].data = d;
    s->um[0][i] = kp.u_scale;
  }
  if (kind == KIND_RANDOM) {
    /* hash4(seed, track, axis, ·) folded up to the waypoint, per axis, as
     * two exact 32-bit halves */
    for (int a = 0; a < 3; a++) {
      uint64_t h = ha__noise_prefix((uint64_t)kp.u_scale, b->ctx[track].track_id, (uint64_t)a);
      s->n[a][0][i] = (double)(h >> 32);
      s->n[a][1][i] = (double)(h & 0xffffffffu);
    }
  }
  if (kind == KIND_BOUNCE || kind == KIND_SPRING || kind == KIND_ATTRACT || kind == KIND_PENDULUM) {
    /* The wrap's blend target: the position at τ = 0 of the next cycle,
     * frame applied (the kernel blends in the world frame). */
    ha_vec3 p0 = ha__motion_data_eval(d, 0.0, 1.0, b->ctx[track].track_id, NULL);
    s->rho[1][i] = d->seam_from;
    s->rho[2][i] = d->seam_window;
    s->n[0][0][i] = p0.x;
    s->n[1][0][i] = p0.y;
    s->n[2][0][i] = p0.z;
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
  int k = batch_capture(b, i, m, ctx, 1);
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
  int k = batch_capture(b, index, m, ctx, 0);
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
      int k = batch_capture(b, i, m, &ctx, 0);
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
    double th = s->ph[0][i] + s->w[0][i] * (ha__batch_tau_at(s, i, t) / s->T[i]);
    double co = cos(th), si = sin(th);
    x[i - i0] = s->c[0][i] + s->m[0][0][i] * co + s->m[0][1][i] * si;
    y[i - i0] = s->c[1][i] + s->m[1][0][i] * co + s->m[1][1][i] * si;
    z[i - i0] = s->c[2][i] + s->m[2][0][i] * co + s->m[2][1][i] * si;
  }
}

void ha__batch_sines_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                            double *y, double *z) {
  for (size_t i = i0; i < i0 + n; i++) {
    double p = ha__batch_tau_at(s, i, t) / s->T[i];
    double s0 = sin(s->w[0][i] * p + s->ph[0][i]);
    double s1 = sin(s->w[1][i] * p + s->ph[1][i]);
    double s2 = sin(s->w[2][i] * p + s->ph[2][i]);
    x[i - i0] = s->c[0][i] + s->m[0][0][i] * s0 + s->m[0][1][i] * s1 + s->m[0][2][i] * s2;
    y[i - i0] = s->c[1][i] + s->m[1][0][i] * s0 + s->m[1][1][i] * s1 + s->m[1][2][i] * s2;
    z[i - i0] = s->c[2][i] + s->m[2][0][i] * s0 + s->m[2][1][i] * s1 + s->m[2][2][i] * s2;
  }
}

/* The shape kernels (model_impl.h) at track i: the reference the AVX2
 * kernels follow operation for operation. */
static void shape_at(const ha__batch_soa *s, size_t i, double t, int kind, double *x, double *y,
                     double *z) {
  /* x, y, z: this track's outputs */
  double tau = ha__batch_tau_at(s, i, t);
  double p = tau / s->T[i];
  double u = p;
  if (s->um[0][i] > 1.5) {
    double lap = s->um[1][i] * p;
    u = lap - floor(lap);
  } else if (s->um[0][i] > 0.5) {
    u = tau;
  }
  double q = u * s->w[2][i];
  q = q < 0.0 ? 0.0 : q > 1.0 ? 1.0 : q;
  int family = (int)s->ez[0][i];
  double g =
      ha_ease(family < 0 ? HA_EASE_LINEAR : (ha_easing)(1 + 3 * family + (int)s->ez[1][i]), q);
  double th = s->ph[0][i] + s->w[0][i] * u;
  if (kind == KIND_CUBIC) {
    double w = 1.0 - g;
    double b0 = w * w * w, b1 = 3.0 * w * w * g, b2 = 3.0 * w * g * g, b3 = g * g * g;
    *x = s->c[0][i] + s->m[0][0][i] * b0 + s->m[0][1][i] * b1 + s->m[0][2][i] * b2 +
         s->n[0][0][i] * b3;
    *y = s->c[1][i] + s->m[1][0][i] * b0 + s->m[1][1][i] * b1 + s->m[1][2][i] * b2 +
         s->n[1][0][i] * b3;
    *z = s->c[2][i] + s->m[2][0][i] * b0 + s->m[2][1][i] * b1 + s->m[2][2][i] * b2 +
         s->n[2][0][i] * b3;
    return;
  }
  double v[3] = {s->c[0][i] + s->m[0][2][i] * g, s->c[1][i] + s->m[1][2][i] * g,
                 s->c[2][i] + s->m[2][2][i] * g};
  if (kind == KIND_ROT1 || kind == KIND_ROT2) {
    double rho = s->rho[0][i] + s->rho[1][i] * g;
    double ck = 0.0, sk = 0.0;
    if (kind == KIND_ROT2) {
      double kappa = s->w[1][i] * th;
      ck = cos(kappa);
      sk = sin(kappa);
      rho = rho + s->rho[2][i] * ck;
    }
    double a = rho * cos(th), b = rho * sin(th);
    for (int r = 0; r < 3; r++) {
      v[r] = v[r] + s->m[r][0][i] * a + s->m[r][1][i] * b + s->n[r][0][i] * ck + s->n[r][1][i] * sk;
    }
  } else if (kind == KIND_WAVE) {
    double w = ha__waveform((int)s->rho[0][i], th);
    for (int r = 0; r < 3; r++) {
      v[r] = v[r] + s->m[r][0][i] * w;
    }
  }
  *x = v[0];
  *y = v[1];
  *z = v[2];
}

#define HA__DEFINE_SHAPE(name, kind)                                                               \
  void ha__batch_##name##_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x, \
                                 double *y, double *z) {                                           \
    for (size_t i = i0; i < i0 + n; i++) {                                                         \
      shape_at(s, i, t, kind, x + (i - i0), y + (i - i0), z + (i - i0));                           \
    }                                                                                              \
  }
HA__DEFINE_SHAPE(lerp, KIND_LERP)
HA__DEFINE_SHAPE(rot1, KIND_ROT1)
HA__DEFINE_SHAPE(rot2, KIND_ROT2)
HA__DEFINE_SHAPE(wave, KIND_WAVE)
HA__DEFINE_SHAPE(cubic, KIND_CUBIC)
#undef HA__DEFINE_SHAPE

/* bounce.c's height at τ, operation for operation (the AVX2 kernel runs
 * the same walk over the flights lane by lane). */
static double bounce_height(const ha__batch_soa *s, size_t i, double tau) {
  double g = s->w[0][i], ground = s->w[1][i], start = s->w[2][i];
  double h0 = start - ground;
  double t_drop = sqrt(2.0 * h0 / g);
  if (tau < t_drop) {
    return start - 0.5 * g * tau * tau;
  }
  double sv = tau - t_drop;
  double v = sqrt(2.0 * g * h0);
  double keep = 1.0, rest = s->ph[2][i];
  double nmax = s->rho[0][i];
  for (double k = 1.0; k <= nmax; k += 1.0) {
    v *= s->ph[0][i] * keep;
    keep *= s->ph[1][i];
    if (rest > 0.0 && (v * v / (2.0 * g) < rest || ha__feq(k, nmax))) {
      return sv < v / g ? ground + sv * (v - 0.5 * g * sv) : ground;
    }
    if (rest <= 0.0 && v < 0.01) {
      break;
    }
    double flight = 2.0 * v / g;
    if (sv < flight) {
      return ground + sv * (v - 0.5 * g * sv);
    }
    sv -= flight;
  }
  return ground;
}

/* spring.c's response at τ (its case, a, ω or β and the far form's
 * constants as the spring kernel stores them). */
static double spring_response(const ha__batch_soa *s, size_t i, double t) {
  double a = s->w[0][i], w = s->w[1][i];
  int kase = (int)s->w[2][i];
  if (kase == 0) {
    return exp(-a * t) * (1.0 + a * t);
  }
  double x = w * t;
  if (kase == 1) {
    return exp(-a * t) * (cos(x) + a * t * (x < 1e-4 ? 1.0 - x * x / 6.0 : sin(x) / x));
  }
  if (x < 20.0) {
    return exp(-a * t) * (cosh(x) + a * t * (x < 1e-4 ? 1.0 + x * x / 6.0 : sinh(x) / x));
  }
  double r = s->ph[1][i];
  return 0.5 * ((1.0 + r) * exp(s->ph[0][i] * t) + (1.0 - r) * exp(-s->ph[2][i] * t));
}

/* P = c + m[:,2]·h(τ) with the blended wrap: bounce and spring. */
static void tau_kernel_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                              double *y, double *z, int spring) {
  for (size_t i = i0; i < i0 + n; i++) {
    double tau = ha__batch_tau_at(s, i, t);
    double h = spring ? spring_response(s, i, tau) : bounce_height(s, i, tau);
    double v[3];
    for (int r = 0; r < 3; r++) {
      v[r] = s->c[r][i] + s->m[r][2][i] * h;
    }
    ha__batch_seam(s, i, tau, v);
    x[i - i0] = v[0];
    y[i - i0] = v[1];
    z[i - i0] = v[2];
  }
}

void ha__batch_bounce_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                             double *y, double *z) {
  tau_kernel_scalar(s, i0, n, t, x, y, z, 0);
}

void ha__batch_spring_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                             double *y, double *z) {
  tau_kernel_scalar(s, i0, n, t, x, y, z, 1);
}

/* random.c's local() at τ, the waypoint hashes from the per-track prefix. */
static void random_scalar_at(const ha__batch_soa *s, size_t i, double tau, double out[3]) {
  double x = tau * s->w[0][i];
  double kd = floor(x);
  double w = x - kd;
  double sm = s->w[2][i];
  double h = w + sm * (w * w * (3.0 - 2.0 * w) - w);
  int64_t k = (int64_t)kd, k1 = k + 1;
  if (s->w[1][i] > 0.0) {
    int64_t n = (int64_t)s->w[1][i];
    k = ((k % n) + n) % n;
    k1 = (k + 1) % n;
  }
  for (int a = 0; a < 3; a++) {
    uint64_t h3 = (uint64_t)s->n[a][0][i] << 32 | (uint64_t)s->n[a][1][i];
    double u0 = (double)(ha__noise_last(h3, (uint64_t)k) >> 11) * (1.0 / 9007199254740992.0);
    double u1 = (double)(ha__noise_last(h3, (uint64_t)k1) >> 11) * (1.0 / 9007199254740992.0);
    double p0 = s->ph[a][i] + s->rho[a][i] * (2.0 * u0 - 1.0);
    double p1 = s->ph[a][i] + s->rho[a][i] * (2.0 * u1 - 1.0);
    out[a] = p0 + (p1 - p0) * h;
  }
}

void ha__batch_random_scalar(const ha__batch_soa *s, size_t i0, size_t n, double t, double *x,
                             double *y, double *z) {
  for (size_t i = i0; i < i0 + n; i++) {
    double l[3];
    random_scalar_at(s, i, ha__batch_tau_at(s, i, t), l);
    ha__batch_frame_put(s, i, l, x + (i - i0), y + (i - i0), z + (i - i0));
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

/* The kernels of one implementation, by kind (GENERIC: NULL). */
static const ha__batch_kernel_fn scalar_kernels[KIND_COUNT] = {NULL,
                                                               ha__batch_circle_scalar,
                                                               ha__batch_sines_scalar,
                                                               ha__batch_lerp_scalar,
                                                               ha__batch_rot1_scalar,
                                                               ha__batch_rot2_scalar,
                                                               ha__batch_wave_scalar,
                                                               ha__batch_bounce_scalar,
                                                               ha__batch_cubic_scalar,
                                                               ha__batch_spring_scalar,
                                                               ha__batch_random_scalar,
                                                               ha__batch_perlin_scalar,
                                                               ha__batch_attract_scalar,
                                                               ha__batch_pendulum_scalar,
                                                               ha__batch_segs_scalar,
                                                               ha__batch_keys_scalar,
                                                               ha__batch_direct};
#if defined(HA_HAVE_AVX2)
#define HA__VEC_KERNELS(sfx)                                                                      \
  {                                                                                               \
    NULL, ha__batch_circle_##sfx, ha__batch_sines_##sfx, ha__batch_lerp_##sfx,                    \
        ha__batch_rot1_##sfx, ha__batch_rot2_##sfx, ha__batch_wave_##sfx, ha__batch_bounce_##sfx, \
        ha__batch_cubic_##sfx, ha__batch_spring_##sfx, ha__batch_random_##sfx,                    \
        ha__batch_perlin_##sfx, ha__batch_attract_##sfx, ha__batch_pendulum_##sfx,                \
        ha__batch_segs_##sfx, ha__batch_keys_##sfx, ha__batch_direct                              \
  }
static const ha__batch_kernel_fn avx2_kernels[KIND_COUNT] = HA__VEC_KERNELS(avx2);
static const ha__batch_kernel_fn avx512_kernels[KIND_COUNT] = HA__VEC_KERNELS(avx512);
#undef HA__VEC_KERNELS
#endif

/* Slots per kernel call on the grouped path: the outputs of a range whose
 * tracks are not consecutive in add order go through a buffer this long
 * (on the stack) and are scattered from it. */
#define OUT_CHUNK 256

/* The shortest stretch of slots holding consecutive add indices that a
 * kernel writes in place rather than through the buffer: one 8-lane
 * vector. In bench_engine's mix-g16 (groups of 16 tracks, the models in
 * turn) a call per group beat the buffer and its scatter: 7.5 against
 * 8.3–8.8 ns a position with AVX-512, the scalar kernels unchanged
 * (256, the buffer's length, was the bound before). */
#define DIRECT_MIN 8

/* Slots [c0, end), all of kind k. A stretch of DIRECT_MIN slots or more
 * holding consecutive add indices (tracks added in kind order: one model
 * alone, a group of tracks sharing a motion), or the range's last stretch,
 * goes to the kernel whole, which writes the caller's arrays directly (the
 * integrated models' prefetches then run on); otherwise OUT_CHUNK slots at
 * a time go into the buffer, then x[ord[slot]]. Rejected: ending a buffered
 * chunk before the next long stretch: the search for it, a loop per
 * stretch, cost the mix (runs of 1 and 2) 1–2 ns a position. */
static void eval_slots(const ha_batch *b, const ha__batch_kernel_fn *kernels, int k, size_t c0,
                       size_t end, double t, double *x, double *y, double *z) {
  _Alignas(32) double buf[3][OUT_CHUNK];
  while (c0 < end) {
    const size_t *ord = b->ord + c0;
    size_t m = end - c0;
    if (k == KIND_GENERIC) {
      for (size_t j = 0; j < m; j++) {
        eval_generic(b, ord[j], 1, t, x, y, z);
      }
      return;
    }
    size_t j = 1;
    while (j < m && ord[j] == ord[0] + j) {
      j++;
    }
    if (j >= DIRECT_MIN || j == m) {
      kernels[k](&b->soa, c0, j, t, x + ord[0], y + ord[0], z + ord[0]);
      c0 += j;
      continue;
    }
    m = m < OUT_CHUNK ? m : OUT_CHUNK;
    kernels[k](&b->soa, c0, m, t, buf[0], buf[1], buf[2]);
    for (j = 0; j < m; j++) {
      x[ord[j]] = buf[0][j];
      y[ord[j]] = buf[1][j];
      z[ord[j]] = buf[2][j];
    }
    c0 += m;
  }
}

/* Every track (the whole batch): page by page, a kernel call over each run
 * of full pages of one kind and the page that ends it. */
static void eval_grouped(const ha_batch *b, const ha__batch_kernel_fn *kernels, double t, double *x,
                         double *y, double *z) {
  for (size_t p = 0; p < b->used;) {
    size_t fill = b->pfill[p];
    if (fill == 0) {
      p++;
      continue;
    }
    int k = b->pkind[p];
    size_t q = p + 1;
    while (fill == b->psize && q < b->used && b->pkind[q] == k && b->pfill[q] > 0) {
      fill = b->pfill[q++];
    }
    eval_slots(b, kernels, k, p * b->psize, (q - 1) * b->psize + fill, t, x, y, z);
    p = q;
  }
}

/* Tracks [first, end) in add order: runs of one kind whose slots are
 * consecutive too (an animation's tracks, added together) go to a kernel
 * whole, writing the caller's arrays directly. */
static void eval_added(const ha_batch *b, const ha__batch_kernel_fn *kernels, double t,
                       size_t first, size_t end, double *x, double *y, double *z) {
  for (size_t i = first, len; i < end; i += len) {
    int k = b->kind[i];
    size_t at = b->slot[i];
    len = 1;
    while (i + len < end && b->kind[i + len] == k && b->slot[i + len] == at + len) {
      len++;
    }
    if (k == KIND_GENERIC) {
      eval_generic(b, i, len, t, x, y, z);
    } else {
      kernels[k](&b->soa, at, len, t, x + i, y + i, z + i);
    }
  }
}

/* Evaluate tracks [first, end) with `impl`. */
static ha_status eval_range(const ha_batch *b, double t, size_t first, size_t end, double *x,
                            double *y, double *z, ha_batch_impl impl) {
  const ha__batch_kernel_fn *kernels = NULL;
  if (impl == HA_BATCH_IMPL_AUTO) {
    impl = b->impl;
  }
  switch (impl) {
  case HA_BATCH_IMPL_GENERIC: eval_generic(b, first, end - first, t, x, y, z); return HA_OK;
  case HA_BATCH_IMPL_SCALAR: kernels = scalar_kernels; break;
  case HA_BATCH_IMPL_AVX2:
  case HA_BATCH_IMPL_AVX512:
#if defined(HA_HAVE_AVX2)
    if (impl_within(b->impl, impl)) {
      kernels = impl == HA_BATCH_IMPL_AVX512 ? avx512_kernels : avx2_kernels;
      break;
    }
#endif
    return HA_EUNSUPPORTED;
  case HA_BATCH_IMPL_AUTO:
  default: return HA_EINVAL;
  }
  if (first == 0 && end == b->n) {
    eval_grouped(b, kernels, t, x, y, z);
  } else {
    eval_added(b, kernels, t, first, end, x, y, z);
  }
  return HA_OK;
}

ha_status ha_batch_eval_with(const ha_batch *b, double t, double *x, double *y, double *z,
                             ha_batch_impl impl) {
  if (b == NULL) {
    return HA_EINVAL;
  }
  return eval_range(b, t, 0, b->n, x, y, z, impl);
}

ha_status ha_batch_eval_range(const ha_batch *b, double t, size_t first, size_t count, double *x,
                              double *y, double *z) {
  if (b == NULL) {
    return HA_EINVAL;
  }
  if (first > b->n || count > b->n - first) {
    return HA_ENOTFOUND;
  }
  return eval_range(b, t, first, first + count, x, y, z, HA_BATCH_IMPL_AUTO);
}

void ha_batch_eval(const ha_batch *b, double t, double *x, double *y, double *z) {
  (void)ha_batch_eval_with(b, t, x, y, z, HA_BATCH_IMPL_AUTO);
}

/* ---- one motion, many times ---- */

static double times_tau(const ha__times_params *p, double t) {
  double a = t * p->speed - p->shift;
  if (!isfinite(a)) {
    a = 0.0;
  }
  return ha_time_map(a, p->T, p->mode);
}

static void times_put(const ha__times_out *o, size_t i, double x, double y, double z) {
  o->x[i * o->stride] = x;
  o->y[i * o->stride] = y;
  o->z[i * o->stride] = z;
}

void ha__times_circle_scalar(const ha__times_params *p, const double *t, size_t n,
                             const ha__times_out *o) {
  for (size_t i = 0; i < n; i++) {
    double th = p->ph[0] + p->w[0] * (times_tau(p, t[i]) / p->T);
    double co = cos(th), si = sin(th);
    times_put(o, i, p->c[0] + p->m[0][0] * co + p->m[0][1] * si,
              p->c[1] + p->m[1][0] * co + p->m[1][1] * si,
              p->c[2] + p->m[2][0] * co + p->m[2][1] * si);
  }
}

void ha__times_sines_scalar(const ha__times_params *p, const double *t, size_t n,
                            const ha__times_out *o) {
  for (size_t i = 0; i < n; i++) {
    double q = times_tau(p, t[i]) / p->T;
    double s0 = sin(p->w[0] * q + p->ph[0]);
    double s1 = sin(p->w[1] * q + p->ph[1]);
    double s2 = sin(p->w[2] * q + p->ph[2]);
    times_put(o, i, p->c[0] + p->m[0][0] * s0 + p->m[0][1] * s1 + p->m[0][2] * s2,
              p->c[1] + p->m[1][0] * s0 + p->m[1][1] * s1 + p->m[1][2] * s2,
              p->c[2] + p->m[2][0] * s0 + p->m[2][1] * s1 + p->m[2][2] * s2);
  }
}

ha_status ha_motion_eval_times_with(const ha_motion *m, const ha_track_ctx *ctx, const double *t,
                                    size_t n, double *x, double *y, double *z, size_t stride,
                                    ha_batch_impl impl) {
  if (m == NULL || stride == 0 || (n > 0 && (t == NULL || x == NULL || y == NULL || z == NULL))) {
    return HA_EINVAL;
  }
  void (*circle)(const ha__times_params *, const double *, size_t, const ha__times_out *) = NULL;
  void (*sines)(const ha__times_params *, const double *, size_t, const ha__times_out *) = NULL;
  /* The CPU asked once, for AUTO's choice and the check below. */
  const ha_batch_impl best = best_impl();
  if (impl == HA_BATCH_IMPL_AUTO) {
    impl = best;
  }
  switch (impl) {
  case HA_BATCH_IMPL_GENERIC: break;
  case HA_BATCH_IMPL_SCALAR:
    circle = ha__times_circle_scalar;
    sines = ha__times_sines_scalar;
    break;
  case HA_BATCH_IMPL_AVX2:
  case HA_BATCH_IMPL_AVX512:
#if defined(HA_HAVE_AVX2)
    if (impl_within(best, impl)) {
      circle = impl == HA_BATCH_IMPL_AVX512 ? ha__times_circle_avx512 : ha__times_circle_avx2;
      sines = impl == HA_BATCH_IMPL_AVX512 ? ha__times_sines_avx512 : ha__times_sines_avx2;
      break;
    }
#endif
    return HA_EUNSUPPORTED;
  case HA_BATCH_IMPL_AUTO:
  default: return HA_EINVAL;
  }
  ha__kernel_params kp;
  memset(&kp, 0, sizeof(kp));
  int kind = circle != NULL ? capture_kernel(m, &kp) : KIND_GENERIC;
  if (kind != KIND_CIRCLE && kind != KIND_SINES) {
    for (size_t i = 0; i < n; i++) {
      ha_vec3 v = ha_motion_eval(m, t[i], ctx);
      x[i * stride] = v.x;
      y[i * stride] = v.y;
      z[i * stride] = v.z;
    }
    return HA_OK;
  }
  /* The parameters exactly as batch_capture() stores them for a batch track, so
   * both paths compute the same θ. */
  const ha__motion_data *d = ha__motion_current(m);
  ha__times_params p;
  p.T = d->timing.duration;
  p.speed = d->timing.speed;
  p.shift = ctx != NULL ? ctx->shift : 0.0;
  p.mode = d->timing.loop;
  memcpy(p.c, kp.c, sizeof(p.c));
  memcpy(p.m, kp.m, sizeof(p.m));
  kernel_rates(kind, &kp, p.w, p.ph);
  ha__times_out o = {x, y, z, stride};
  (kind == KIND_CIRCLE ? circle : sines)(&p, t, n, &o);
  return HA_OK;
}

ha_status ha_motion_eval_times(const ha_motion *m, const ha_track_ctx *ctx, const double *t,
                               size_t n, double *x, double *y, double *z) {
  return ha_motion_eval_times_with(m, ctx, t, n, x, y, z, 1, HA_BATCH_IMPL_AUTO);
}
