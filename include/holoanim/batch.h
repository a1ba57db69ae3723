/* holoanim: batch evaluation of many tracks at one transport time.
 *
 * A batch holds up to `capacity` tracks, each a (motion, track context) pair,
 * and writes every track's position at time t into three caller arrays
 * x[i], y[i], z[i] (structure of arrays), in the order the tracks were added.
 * It is the engine's inner loop: one call per tick.
 *
 * When a track is added, the batch captures its motion. Models that have a
 * closed form (circular, elliptical, orbit, circular-scan: a rotating vector;
 * lissajous: a sum of sines) are stored as kernel parameters with the frame
 * transform (rotation, scale about the pivot) folded in, next to the time
 * mapping (duration, loop mode, speed, track shift), in aligned structure-of-
 * arrays blocks. Those tracks are then evaluated without touching the
 * motion, four at a time on CPUs with AVX2 + FMA. Every other track (physics, splines, noise,
 * a motion that is blending a parameter update) is evaluated by
 * ha_motion_eval. Both give the same positions: the kernels agree with
 * ha_motion_eval within 1e-9 m (tests/test_batch.c).
 *
 * Captured means copied: a motion updated after it was added (new
 * parameters, new timing, the end of a blend through ha_motion_reset) keeps
 * its old closed form in the batch until ha_batch_refresh /
 * ha_batch_refresh_motion / ha_batch_set_track is called for it. The engine
 * does this whenever it changes a motion.
 *
 * Memory: everything is allocated by ha_batch_create for the full capacity
 * (about 240 bytes per track); add, refresh and eval never allocate.
 *
 * Threads: create, destroy, clear, add, set_track and refresh belong to the
 * control side and must not run concurrently with an eval of the same batch.
 * Eval only reads the batch (tick-safe: no allocation, no lock, no I/O), but
 * tracks on the generic path update their ha_track_ctx state caches, which
 * belong to the caller: two threads may evaluate batches at once only when
 * they share no state cache. The batch does not own the motions or the state
 * caches it points to; they must outlive their use in it. */
#ifndef HOLOANIM_BATCH_H
#define HOLOANIM_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "motion.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ha_batch ha_batch;

/* Implementations of ha_batch_eval. All compute the same positions (within
 * 1e-9 m); they differ in speed. */
typedef enum ha_batch_impl {
  HA_BATCH_IMPL_AUTO = 0, /* the one chosen at create: the widest the CPU has (AVX-512, then
                             AVX2), else scalar */
  HA_BATCH_IMPL_GENERIC,  /* ha_motion_eval for every track: the reference */
  HA_BATCH_IMPL_SCALAR,   /* closed-form kernels, one track at a time, libm sin/cos */
  HA_BATCH_IMPL_AVX2,     /* closed-form kernels, 4 tracks per instruction (x86-64 AVX2+FMA) */
  HA_BATCH_IMPL_AVX512    /* the same kernels, 8 tracks per instruction (AVX-512 F, DQ, VL) */
} ha_batch_impl;

/* Counts describing a batch (diagnostics and tests). */
typedef struct ha_batch_stats {
  size_t size;     /* tracks added */
  size_t capacity; /* tracks it can hold */
  size_t packed;   /* tracks evaluated by a closed-form kernel */
  size_t generic;  /* tracks evaluated by ha_motion_eval */
  size_t runs;     /* maximal spans of consecutive tracks on the same kernel */
} ha_batch_stats;

/* Create an empty batch for up to `capacity` tracks (≥ 1) and choose its
 * implementation (AVX2 when compiled in and the CPU supports AVX2 and FMA).
 * Errors: HA_EINVAL (capacity 0 or `out` NULL), HA_ENOMEM (also when the
 * capacity is too large to address). Thread: control. */
ha_status ha_batch_create(size_t capacity, ha_batch **out);

/* Free the batch (not the motions or caches it refers to); NULL is a no-op.
 * Thread: control. */
void ha_batch_destroy(ha_batch *b);

/* Remove every track; the capacity stays. Thread: control. */
void ha_batch_clear(ha_batch *b);

/* Number of tracks added. Thread: any. */
size_t ha_batch_size(const ha_batch *b);

/* Number of tracks the batch can hold. Thread: any. */
size_t ha_batch_capacity(const ha_batch *b);

/* Bytes ha_batch_create allocated (it never allocates afterwards); 0 for
 * NULL. Thread: any. */
size_t ha_batch_memory_bytes(const ha_batch *b);

/* Append a track: `m` evaluated for `ctx` (copied; NULL means track 0, no
 * shift, no state cache). The motion is captured as it is now (see the file
 * comment). `index` (may be NULL) receives the track's position in the
 * output arrays. Never allocates.
 * Errors: HA_EINVAL (`b` or `m` NULL), HA_EEXHAUSTED (the batch is full).
 * Thread: control. */
ha_status ha_batch_add(ha_batch *b, const ha_motion *m, const ha_track_ctx *ctx, size_t *index);

/* Replace track `index` by (`m`, `ctx`), captured now. Never allocates.
 * Errors: HA_EINVAL (`b` or `m` NULL), HA_ENOTFOUND (index ≥ size).
 * Thread: control. */
ha_status ha_batch_set_track(ha_batch *b, size_t index, const ha_motion *m,
                             const ha_track_ctx *ctx);

/* Capture track `index`'s motion again (after it was updated, its blend
 * ended or its timing changed). Errors: HA_ENOTFOUND (index ≥ size).
 * Thread: control. */
ha_status ha_batch_refresh(ha_batch *b, size_t index);

/* Capture again every track whose motion is `m`; returns how many there
 * were. Thread: control. */
size_t ha_batch_refresh_motion(ha_batch *b, const ha_motion *m);

/* Whether a track of `m` added now would run on a closed-form kernel (a
 * closed-form model, not blending an update) rather than ha_motion_eval.
 * `m` NULL: false. Thread: any (the motion must not be updated meanwhile). */
bool ha_batch_would_pack(const ha_motion *m);

/* Fill `out` with the batch's counts. Thread: control (or any, when no
 * control call runs concurrently). */
void ha_batch_get_stats(const ha_batch *b, ha_batch_stats *out);

/* The implementation ha_batch_eval uses (never AUTO). Thread: any. */
ha_batch_impl ha_batch_active_impl(const ha_batch *b);

/* Write every track's position at transport time `t` (seconds since play,
 * pauses excluded: the t of ha_motion_eval, so a = t·speed − shift, τ = the
 * loop mapping of a, p = τ/T) into x[i], y[i], z[i] for i < ha_batch_size(b),
 * in add order. Each array must hold ha_batch_size(b) doubles. A non-finite t
 * is evaluated as a = 0, as ha_motion_eval does; the output is always finite.
 * Never allocates, never locks. Thread: tick (see the file comment). */
void ha_batch_eval(const ha_batch *b, double t, double *x, double *y, double *z);

/* ha_batch_eval for tracks [first, first + count) only, at time t: writes
 * x[i], y[i], z[i] for those i (the same indices as ha_batch_eval), nothing
 * else. Tracks whose motions run on different clocks can share one batch,
 * one range per clock (the engine: one range per animation, each at its own
 * t − t0). Never allocates, never locks.
 * Errors: HA_EINVAL (`b` NULL), HA_ENOTFOUND (first + count > size; nothing
 * is written). Thread: as ha_batch_eval. */
ha_status ha_batch_eval_range(const ha_batch *b, double t, size_t first, size_t count, double *x,
                              double *y, double *z);

/* ha_batch_eval with a chosen implementation (tests and benchmarks).
 * Errors: HA_EUNSUPPORTED (the implementation is not available here; nothing
 * is written), HA_EINVAL (`b` NULL or unknown `impl`). Thread: as
 * ha_batch_eval. */
ha_status ha_batch_eval_with(const ha_batch *b, double t, double *x, double *y, double *z,
                             ha_batch_impl impl);

/* ---- one motion at many times ----
 *
 * The batch's kernels turned the other way: one motion, n transport times
 * (a trajectory, a preview, a JavaScript caller's batch of times). */

/* Evaluate `m` for `ctx` at the n transport times t[0..n): position i into
 * x[i], y[i], z[i], the same as ha_motion_eval(m, t[i], ctx) within 1e-9 m
 * (non-finite times count as a = 0 there too; the output is finite).
 * A motion of a closed-form model (circular, elliptical, orbit,
 * circular-scan, lissajous) that is not blending a parameter update is
 * captured once, frame transform folded in as ha_batch_add does, and run by
 * the kernel over the times, four per instruction with AVX2 + FMA when the
 * CPU has them; any other motion falls back to ha_motion_eval per time with
 * ctx's state cache (stateful models then integrate only forward between
 * increasing times). `ctx` may be NULL (track 0, no shift, no cache).
 * Never allocates, never locks.
 * Errors: HA_EINVAL (`m` NULL; `t`, `x`, `y` or `z` NULL with n > 0).
 * Thread: any; the motion must not be updated meanwhile, and ctx's state
 * cache (the caller's) must not be in use by another thread. */
ha_status ha_motion_eval_times(const ha_motion *m, const ha_track_ctx *ctx, const double *t,
                               size_t n, double *x, double *y, double *z);

/* ha_motion_eval_times with a stride and a chosen implementation: position
 * i goes to x[i·stride], y[i·stride], z[i·stride] (stride ≥ 1). Stride 3
 * with y = x + 1 and z = x + 2 writes interleaved positions (x0 y0 z0 x1
 * ...) in one pass, as a JavaScript Float64Array holds them. GENERIC is
 * ha_motion_eval per time; SCALAR and AVX2 pick the kernel implementation
 * (a motion without a kernel runs ha_motion_eval under every one); AUTO
 * is the fastest available.
 * Errors: as ha_motion_eval_times, plus HA_EINVAL (stride 0, unknown
 * `impl`) and HA_EUNSUPPORTED (`impl` not available here; nothing is
 * written). Thread: as ha_motion_eval_times. */
ha_status ha_motion_eval_times_with(const ha_motion *m, const ha_track_ctx *ctx, const double *t,
                                    size_t n, double *x, double *y, double *z, size_t stride,
                                    ha_batch_impl impl);

/* Whether `impl` can run in this build on this CPU (AUTO, GENERIC and SCALAR
 * always can). Thread: any. */
bool ha_batch_impl_available(ha_batch_impl impl);

/* "auto", "generic", "scalar", "avx2", "avx512"; "unknown" for other values; never
 * NULL. Thread: any. */
const char *ha_batch_impl_name(ha_batch_impl impl);

/* Parse an implementation name (as ha_batch_impl_name, case-insensitive).
 * Errors: HA_EINVAL. Thread: any. */
ha_status ha_batch_impl_parse(const char *name, ha_batch_impl *out);

#ifdef __cplusplus
}
#endif
#endif
