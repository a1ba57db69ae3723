/* Seams of the `loop` mode (docs/models.md "Loops and seams").
 *
 * Prints, for every model with its defaults and for a few typical settings,
 * the jump |p(kT + ε) − p(kT − ε)| at a wrap (ε = 1 ms), then checks that the
 * models documented as seamless (periodic, periodic noise, blended wrap) are
 * continuous there: with ε = 1e-6 s the jump stays within a few times
 * speed·ε, across several wraps, with a group phase offset (shift) and with a
 * playback speed. The models documented as cutting (user paths that end
 * elsewhere, bounce, doppler) are only listed. */
#include "holoanim.h"
#include "test.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The seamless models of docs/models.md, with the settings checked. */
typedef struct seam_case {
  const char *model;
  const char *assign[4];
  double T;
} seam_case;

static const seam_case seamless[] = {
    {"random", {NULL}, 10},
    {"random", {"updateFrequency=3", "smoothness=1", NULL}, 7.3},
    {"random", {"updateFrequency=0.05", NULL}, 4},
    {"perlin-noise", {NULL}, 10},
    {"perlin-noise", {"frequency=0.3", "octaves=5", "persistence=0.8", NULL}, 7.3},
    {"perlin-noise", {"frequency=0.01", NULL}, 3},
    {"pendulum", {NULL}, 10},
    {"pendulum", {"initialAngle=80", "damping=0", NULL}, 6.1},
    {"spring", {NULL}, 10},
    {"spring", {"damping=0", NULL}, 3.7},
    {"attract-repel", {NULL}, 10},
    {"circular", {NULL}, 10},
    {"elliptical", {NULL}, 10},
    {"lissajous", {NULL}, 10},
    {"rose-curve", {NULL}, 10},
    {"epicycloid", {NULL}, 10},
    {"orbit", {NULL}, 10},
    {"oscillator", {NULL}, 10},
};

static double jump_at(const ha_motion *m, double t, double eps, double shift, uint32_t track) {
  ha_track_ctx ctx = {track, shift, NULL, NULL};
  ha_vec3 a = ha_motion_eval(m, t - eps, &ctx);
  ha_vec3 b = ha_motion_eval(m, t + eps, &ctx);
  return ha_vec3_len(ha_vec3_sub(b, a));
}

/* The largest speed (m/s of transport time) sampled over one cycle. */
static double max_speed(const ha_motion *m, double T, double speed) {
  double v = 0.0, h = T / 4000.0;
  for (int i = 0; i < 4000; i++) {
    double t = (i * h) / speed;
    ha_vec3 a = ha_motion_eval(m, t, NULL), b = ha_motion_eval(m, t + h / speed, NULL);
    double s = ha_vec3_len(ha_vec3_sub(b, a)) / (h / speed);
    v = s > v ? s : v;
  }
  return v;
}

static void test_table(void) {
  printf("# loop-mode jump |p(T+1ms) - p(T-1ms)| (m), defaults, T = 10 s\n");
  for (size_t i = 0; i < ha_model_count(); i++) {
    const ha_model_info *mi = ha_model_at(i);
    ha_timing tm = {10.0, HA_LOOP_LOOP, 1.0};
    ha_motion *m = test_motion(mi->name, NULL, &tm);
    printf("  %-14s %10.4f\n", mi->name, jump_at(m, 10.0, 1e-3, 0.0, 0));
    ha_motion_destroy(m);
  }
  printf("# typical settings\n");
  for (size_t i = 0; i < NELEM(seamless); i++) {
    ha_timing tm = {seamless[i].T, HA_LOOP_LOOP, 1.0};
    ha_motion *m = test_motion(seamless[i].model, seamless[i].assign, &tm);
    printf("  %-14s T=%-5g %s %s: %10.4f\n", seamless[i].model, seamless[i].T,
           seamless[i].assign[0] ? seamless[i].assign[0] : "",
           seamless[i].assign[0] && seamless[i].assign[1] ? seamless[i].assign[1] : "",
           jump_at(m, seamless[i].T, 1e-3, 0.0, 0));
    ha_motion_destroy(m);
  }
}

static void test_seamless(void) {
  const double eps = 1e-6;
  const double speeds[] = {1.0, 2.5};
  const double shifts[] = {0.0, 0.37, -1.9};
  for (size_t i = 0; i < NELEM(seamless); i++) {
    for (size_t si = 0; si < NELEM(speeds); si++) {
      double sp = speeds[si], T = seamless[i].T;
      ha_timing tm = {T, HA_LOOP_LOOP, sp};
      ha_motion *m = test_motion(seamless[i].model, seamless[i].assign, &tm);
      /* Position changes at most vmax·(2ε·speed) over the step; allow 4×
       * plus rounding. */
      double bound = 4.0 * max_speed(m, T, sp) * 2.0 * eps * sp + 1e-9;
      for (size_t hi = 0; hi < NELEM(shifts); hi++) {
        for (int k = 1; k <= 3; k++) {
          double sh = shifts[hi];
          /* Wrap k of a track shifted by sh: animation time t·speed − sh = kT. */
          double t = (k * T + sh) / sp;
          for (uint32_t track = 0; track < 2; track++) {
            double j = jump_at(m, t, eps, sh, track);
            CHECK_MSG(j <= bound, "%s T=%g speed=%g shift=%g wrap %d track %u: jump %.3g m > %.3g",
                      seamless[i].model, T, sp, sh, k, track, j, bound);
          }
        }
      }
      ha_motion_destroy(m);
    }
  }
}

int main(void) {
  RUN(test_table);
  RUN(test_seamless);
  return test_done();
}
