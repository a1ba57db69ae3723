/* Hashing for the stochastic models (random, perlin-noise): integer keys to
 * well-mixed 64-bit words, and words to uniform numbers; plus their shared
 * `seed` parameter entry (HA__P_SEED).
 *
 * Counter-based (stateless) randomness: a value is a pure function of its key
 * (seed, stream, index), so any waypoint or lattice gradient can be computed
 * at any τ without replaying a generator, which is what makes seeking and
 * looping exact. A PRNG stream was rejected for that reason. The mixer is the
 * MurmurHash3 64-bit finaliser (two xor-shift-multiply rounds, full
 * avalanche); keys are folded in one at a time through it, each offset by a
 * different odd constant so that (a, b) and (b, a) hash apart. */
#ifndef HOLOANIM_MODELS_NOISE_H
#define HOLOANIM_MODELS_NOISE_H

#include <math.h>
#include <stdint.h>

#include "model_impl.h"

/* Lattice rate for frequency f over a cycle of T: f itself, or, for a
 * seamless loop, n/T with n = max(1, round(T·f)) lattice steps per cycle
 * (f again when T·f is whole), so the lattice repeats every cycle; *period
 * is n then, else 0 (no repeat). Called from prepare(). */
static inline double ha__noise_cycle_rate(const ha__motion_data *d, double f, double *period) {
  double T = d->timing.duration;
  *period = 0.0;
  if (!ha__seamless(d)) {
    return f;
  }
  double n = fmax(1.0, round(T * f));
  *period = n;
  return ha__feq(n, T * f) ? f : n / T;
}

static inline uint64_t ha__noise_mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

/* ha__noise_hash4 in two steps: the first three keys folded (once per
 * stream, in prepare), then the index. */
static inline uint64_t ha__noise_hash3(uint64_t seed, uint64_t a, uint64_t b) {
  uint64_t h = ha__noise_mix(seed + 0x9e3779b97f4a7c15ull);
  h = ha__noise_mix(h ^ (a + 0xd1b54a32d192ed03ull));
  return ha__noise_mix(h ^ (b + 0xaf251af3b0f025b5ull));
}
static inline uint64_t ha__noise_hash_last(uint64_t h3, uint64_t c) {
  return ha__noise_mix(h3 ^ (c + 0x8cb92ba72f3d8dd7ull));
}

/* One word from four keys (seed, stream, sub-stream, index). */
static inline uint64_t ha__noise_hash4(uint64_t seed, uint64_t a, uint64_t b, uint64_t c) {
  return ha__noise_hash_last(ha__noise_hash3(seed, a, b), c);
}

/* The top 53 bits as a double uniform in [0, 1). */
static inline double ha__noise_unit01(uint64_t h) {
  return (double)(h >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform in [−1, 1). */
static inline double ha__noise_signed(uint64_t h) {
  return 2.0 * ha__noise_unit01(h) - 1.0;
}

/* The `seed` parameter of the stochastic models (an integer in [0, 2³² − 1]). */
#define HA__P_SEED(slot_)                                \
  HA__P_INT(slot_, "seed", NULL, "", 0, 0, 4294967295.0, \
            "random seed (integer): the same seed gives the same path")

/* Two's-complement image of a signed index (lattice cells and waypoints may
 * be negative for extreme offsets; the hash needs only an injective key). */
static inline uint64_t ha__noise_key(int64_t i) {
  return (uint64_t)i;
}

#endif
