/* bench_worst: the slowest evaluation any model can need at any time, beside
 * its average evaluation in the same run, and the worst 128-track tick as a
 * share of a 100 Hz tick (10 ms; the budget is 10%).
 *
 * Every model of the registry with its defaults, plus the parameters that make
 * a model slowest (the pendulum with light and no damping: it then never
 * folds, bench_physics; perlin-noise with its most octaves), for a short
 * (10 s, the default) and a long (20,000 s) duration: an integrated model's
 * bound is 64 grid steps per evaluation up to 4,194 s and 128 from 8,389 s
 * on (src/core/models/fixed_step.h), so 20,000 s is its slowest regime
 * (bench_physics goes to 10⁶ s, where only the checkpoint table grows). Each
 * case evaluates 128 tracks, each with its own per-track cache as the player
 * keeps them, tick after tick, along these time sequences (in play, track i
 * is 13 ms·i ahead: a phase spread; a transport seek moves every track to the
 * same time, as a show without phase spread does, so that all 128 pay the
 * same walk from a checkpoint in the same tick):
 *   forward   ordinary play, 10 ms per tick (the average's reference);
 *   far       every tick a transport seek far ahead: 10⁵ s, then 10⁶ s, plus
 *             a random part of T, alternately;
 *   random    every tick each track jumps to its own random time in [0, 10 T];
 *   backward  play backwards from 0.9 T, 10 ms per tick;
 *   turn      pingpong across the turn at T;
 *   seam      loop mode across the seam at T (the seam blends two ends);
 *   cold      per-track random times with the cache emptied before every call
 *             (a track that just started, or a cache lost);
 *   blend     transport seeks to random times during a live parameter change
 *             (update_parameters at 7.3 T with the longest window, 60 s:
 *             every evaluation runs both the old and the new path).
 * Motions are pingpong except for `seam`.
 *
 * Printed per case: the average ns per evaluation in forward play (the
 * baseline), the worst tick of each sequence in µs, the slowest single call
 * (ns, and its sequence), the slowest over the average, the most grid steps
 * one evaluation took (integrated models), the worst 128-track tick as a
 * percentage of 10 ms, and the bound: 128 times the slowest call, the tick
 * in which every track would pay it (seeks of the whole show put all tracks
 * at one grid offset; the sampled seeks only approach it). A final line gives
 * the worst of all against the budget. Timing: CLOCK_MONOTONIC around each call (its ~20-30 ns are
 * in every figure, so the figures are upper bounds); each sequence is replayed 5 times from fresh
 * caches and a call's time is its fastest replay, so that a preemption of this process (the machine
 * is shared) is not reported as the model's cost. Single thread. Usage: bench_worst [--ticks N]
 * (default 100 ticks per sequence) [--model NAME]. */
#include "bench_util.h"
#include "holoanim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRACKS 128
#define TICK_NS 1e7 /* 100 Hz */
#define BUDGET 0.10 /* of a tick, for the worst 128-track tick */
#define REPEATS 5
#define BLEND_AT 7.3      /* ·T: when the blend sequence's parameter change happens */
#define BLEND_WINDOW 60.0 /* s, its blend window (the longest allowed) */

typedef enum {
  SEQ_FORWARD,
  SEQ_FAR,
  SEQ_RANDOM,
  SEQ_BACKWARD,
  SEQ_TURN,
  SEQ_SEAM,
  SEQ_COLD,
  SEQ_BLEND,
  SEQ_COUNT
} seq_kind;
static const char *const seq_names[SEQ_COUNT] = {"forward", "far",  "random", "backward",
                                                 "turn",    "seam", "cold",   "blend"};

typedef struct figures {
  double avg_ns, worst_ns, worst_tick_ns, worst_steps;
} figures;

/* A bench row: a model, with one numeric parameter set when `param` is not
 * NULL (else its defaults). */
typedef struct row {
  const char *label, *model, *param;
  double value;
} row;

static uint64_t rng_next(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* A uniform number in [0, 1). */
static double rng_unit(uint64_t *s) {
  return (double)(rng_next(s) >> 11) * 0x1p-53;
}

/* The animation time of track i at tick n of sequence k, duration T;
 * u_tick is drawn once per tick (transport seeks), u_track once per call. */
static double seq_time(seq_kind k, double T, int n, uint32_t i, double u_tick, double u_track) {
  double shift = 0.013 * i;
  switch (k) {
  case SEQ_FAR: return (n % 2 == 0 ? 1e5 : 1e6) + u_tick * T;
  case SEQ_RANDOM:
  case SEQ_COLD: return u_track * 10.0 * T;
  case SEQ_BLEND: return BLEND_AT * T + u_tick * (BLEND_WINDOW - 1.0);
  case SEQ_BACKWARD: return 0.9 * T - 0.01 * n - shift;
  case SEQ_TURN:
  case SEQ_SEAM: return T - 0.5 + 0.01 * n + shift;
  case SEQ_FORWARD:
  case SEQ_COUNT: break;
  }
  return 0.01 * n + shift;
}

/* The motion of row r for duration T in `loop` mode; for SEQ_BLEND it is
 * then updated to a 1.5x longer duration at BLEND_AT·T, blending over
 * BLEND_WINDOW. NULL on failure (printed). */
static ha_motion *make_motion(const row *r, double T, ha_loop_mode loop, bool blend) {
  ha_timing tm = {T, loop, 1.0, HA_SEAM_BLEND};
  ha_motion *m = NULL;
  ha_params *pr = NULL;
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha_params_create(&pr);
  if (st == HA_OK && r->param != NULL) {
    st = ha_params_set_number(pr, r->param, r->value);
  }
  if (st == HA_OK) {
    st = ha_motion_create(r->model, pr, &tm, &m, &err);
  }
  if (st == HA_OK && blend) {
    ha_timing longer = tm;
    longer.duration = T * 1.5;
    st = ha_motion_update_parameters(m, NULL, &longer, BLEND_AT * T, BLEND_WINDOW, &err);
  }
  ha_params_destroy(pr);
  if (st != HA_OK) {
    fprintf(stderr, "bench_worst: %s: %s %s\n", r->label, ha_strerror(st), err.message);
    ha_motion_destroy(m);
    return NULL;
  }
  return m;
}

/* Run sequence k on m for `ticks` ticks of TRACKS tracks; best[] (ticks ·
 * TRACKS) gets each call's fastest replay. */
static void run_sequence(const ha_motion *m, double T, seq_kind k, int ticks, double *best,
                         double *steps, double *sink) {
  static ha_motion_state st[TRACKS], prev[TRACKS];
  for (int rep = 0; rep < REPEATS; rep++) {
    for (uint32_t i = 0; i < TRACKS; i++) {
      ha_motion_state_reset(&st[i]);
      ha_motion_state_reset(&prev[i]);
    }
    uint64_t rng = 0x9e3779b97f4a7c15ull; /* the same sequence every replay */
    for (int n = 0; n < ticks; n++) {
      double u_tick = rng_unit(&rng);
      for (uint32_t i = 0; i < TRACKS; i++) {
        ha_track_ctx ctx = {i + 1, 0.0, &st[i], &prev[i]};
        double t = seq_time(k, T, n, i, u_tick, rng_unit(&rng));
        if (k == SEQ_COLD) {
          ha_motion_state_reset(&st[i]);
        }
        double t0 = bench_now_ns();
        ha_vec3 p = ha_motion_eval(m, t, &ctx);
        double dt = bench_now_ns() - t0;
        *sink += p.x + p.y + p.z;
        *steps = st[i].y[13] > *steps ? st[i].y[13] : *steps; /* fixed_step.h's counter */
        size_t at = (size_t)n * TRACKS + i;
        best[at] = rep == 0 || dt < best[at] ? dt : best[at];
      }
    }
  }
}

/* The figures of best[] (ticks · TRACKS). */
static figures summarize(const double *best, int ticks) {
  figures f = {0};
  double total = 0.0;
  for (int n = 0; n < ticks; n++) {
    double tick = 0.0;
    for (uint32_t i = 0; i < TRACKS; i++) {
      double v = best[(size_t)n * TRACKS + i];
      tick += v;
      f.worst_ns = v > f.worst_ns ? v : f.worst_ns;
    }
    total += tick;
    f.worst_tick_ns = tick > f.worst_tick_ns ? tick : f.worst_tick_ns;
  }
  f.avg_ns = total / ((double)ticks * TRACKS);
  return f;
}

/* One row at duration T: every sequence, one line. Returns the worst tick
 * (ns), or a negative number on failure; *worst_call gets the slowest call. */
static double run_row(const row *r, double T, int ticks, double *best, double *worst_call) {
  ha_motion *ping = make_motion(r, T, HA_LOOP_PINGPONG, false);
  ha_motion *loop = make_motion(r, T, HA_LOOP_LOOP, false);
  ha_motion *blend = make_motion(r, T, HA_LOOP_PINGPONG, true);
  double result = -1.0, sink = 0.0;
  if (ping != NULL && loop != NULL && blend != NULL) {
    figures f[SEQ_COUNT];
    double steps = 0.0, worst = 0.0, worst_tick = 0.0;
    int worst_seq = 0;
    for (int k = 0; k < SEQ_COUNT; k++) {
      const ha_motion *m = k == SEQ_SEAM ? loop : k == SEQ_BLEND ? blend : ping;
      run_sequence(m, T, (seq_kind)k, ticks, best, &steps, &sink);
      f[k] = summarize(best, ticks);
      if (f[k].worst_ns > worst) {
        worst = f[k].worst_ns;
        worst_seq = k;
      }
      worst_tick = f[k].worst_tick_ns > worst_tick ? f[k].worst_tick_ns : worst_tick;
    }
    printf("%-18s %6.0f %7.1f", r->label, T, f[SEQ_FORWARD].avg_ns);
    for (int k = 1; k < SEQ_COUNT; k++) {
      printf(" %8.1f", f[k].worst_tick_ns / 1e3);
    }
    printf(" %8.0f %-8s %6.1fx %5.0f %7.2f%% %7.2f%%\n", worst, seq_names[worst_seq],
           worst / f[SEQ_FORWARD].avg_ns, steps, 100.0 * worst_tick / TICK_NS,
           100.0 * TRACKS * worst / TICK_NS);
    result = worst_tick;
    *worst_call = worst;
  }
  if (!isfinite(sink)) {
    printf("(non-finite position)\n");
  }
  ha_motion_destroy(ping);
  ha_motion_destroy(loop);
  ha_motion_destroy(blend);
  return result;
}

int main(int argc, char **argv) {
  int ticks = 100;
  const char *only = NULL;
  for (int a = 1; a < argc; a++) {
    if (strcmp(argv[a], "--ticks") == 0 && a + 1 < argc) {
      ticks = atoi(argv[++a]);
    } else if (strcmp(argv[a], "--model") == 0 && a + 1 < argc) {
      only = argv[++a];
    } else {
      fprintf(stderr, "usage: bench_worst [--ticks N] [--model NAME]\n");
      return 2;
    }
  }
  ticks = ticks < 2 ? 2 : ticks;
  size_t nmodels = ha_model_count();
  const row extra[] = {{"pendulum c=.001", "pendulum", "damping", 0.001},
                       {"pendulum c=0", "pendulum", "damping", 0.0},
                       {"perlin octaves=8", "perlin-noise", "octaves", 8.0}};
  size_t nextra = sizeof(extra) / sizeof(extra[0]);
  row *rows = calloc(nmodels + nextra, sizeof(*rows));
  double *best = malloc((size_t)ticks * TRACKS * sizeof(double));
  if (rows == NULL || best == NULL) {
    free(rows);
    free(best);
    return 1;
  }
  size_t nrows = 0;
  for (size_t i = 0; i < nmodels + nextra; i++) {
    row r = i < nmodels ? (row){ha_model_at(i)->name, ha_model_at(i)->name, NULL, 0.0}
                        : extra[i - nmodels];
    if (only == NULL || strcmp(only, r.model) == 0) {
      rows[nrows++] = r;
    }
  }
  printf(
      "holoanim bench worst: %d tracks x %d ticks per sequence, fastest of %d replays per "
      "call, one thread\n",
      TRACKS, ticks, REPEATS);
  printf(
      "avg: ns per evaluation in forward play (the baseline); then the worst %d-track tick "
      "of each sequence (us);\nworst: the slowest single evaluation (ns) and its sequence; "
      "x avg: worst over avg; steps: most grid steps of one evaluation; tick: the worst "
      "tick as a share of 10 ms (100 Hz); bound: %d x worst, as a share of 10 ms\n",
      TRACKS, TRACKS);
  printf("%-18s %6s %7s", "model", "T(s)", "avg ns");
  for (int k = 1; k < SEQ_COUNT; k++) {
    printf(" %8s", seq_names[k]);
  }
  printf(" %8s %-8s %7s %5s %8s %8s\n", "worst ns", "(seq)", "x avg", "steps", "tick", "bound");
  const double durations[] = {10.0, 20000.0};
  double worst_tick = 0.0, worst_call = 0.0;
  const row *worst_row = NULL, *call_row = NULL;
  double worst_T = 0.0, call_T = 0.0;
  for (size_t di = 0; di < sizeof(durations) / sizeof(durations[0]); di++) {
    for (size_t ri = 0; ri < nrows; ri++) {
      double call = 0.0;
      double w = run_row(&rows[ri], durations[di], ticks, best, &call);
      if (w < 0.0) {
        free(rows);
        free(best);
        return 1;
      }
      if (w > worst_tick) {
        worst_tick = w;
        worst_row = &rows[ri];
        worst_T = durations[di];
      }
      if (call > worst_call) {
        worst_call = call;
        call_row = &rows[ri];
        call_T = durations[di];
      }
    }
  }
  if (worst_row != NULL && call_row != NULL) {
    printf(
        "\nworst %d-track tick measured: %.1f us (%s, T = %.0f s) = %.2f%% of a 100 Hz tick: "
        "%s the %.0f%% budget\n",
        TRACKS, worst_tick / 1e3, worst_row->label, worst_T, 100.0 * worst_tick / TICK_NS,
        worst_tick <= BUDGET * TICK_NS ? "within" : "OVER", 100.0 * BUDGET);
    printf("bound, %d x the slowest call: %.1f us (%s, T = %.0f s) = %.2f%%: %s the budget\n",
           TRACKS, TRACKS * worst_call / 1e3, call_row->label, call_T,
           100.0 * TRACKS * worst_call / TICK_NS,
           TRACKS * worst_call <= BUDGET * TICK_NS ? "within" : "OVER");
  }
  free(rows);
  free(best);
  return 0;
}
