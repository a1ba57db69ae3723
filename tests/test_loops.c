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
    {"bounce", {NULL}, 10},
    {"bounce", {"bounciness=0.9", NULL}, 2.2},
    {"circular", {NULL}, 10},
    {"elliptical", {NULL}, 10},
    {"lissajous", {NULL}, 10},
    {"rose-curve", {NULL}, 10},
    {"epicycloid", {NULL}, 10},
    {"orbit", {NULL}, 10},
    {"oscillator", {NULL}, 10},
};

static int same_bits(ha_vec3 a, ha_vec3 b) {
  double x[3] = {a.x, a.y, a.z}, y[3] = {b.x, b.y, b.z};
  return memcmp(x, y, sizeof(x)) == 0;
}

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
    ha_timing tm = {10.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
    ha_motion *m = test_motion(mi->name, NULL, &tm);
    printf("  %-14s %10.4f\n", mi->name, jump_at(m, 10.0, 1e-3, 0.0, 0));
    ha_motion_destroy(m);
  }
  printf("# typical settings\n");
  for (size_t i = 0; i < NELEM(seamless); i++) {
    ha_timing tm = {seamless[i].T, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
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
      ha_timing tm = {T, HA_LOOP_LOOP, sp, HA_SEAM_BLEND};
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

/* seam "cut" keeps the original's restart, bit for bit the free path; and
 * "blend" changes nothing away from the wrap where the model allows (the
 * blend window; random's and perlin's last interval when T·f is whole). */
static void test_cut_and_untouched(void) {
  static const struct {
    const char *model;
    double untouched; /* blend = cut for τ < untouched (T = 10) */
  } cases[] = {
      {"random", 9.9}, {"perlin-noise", 6.0},  {"pendulum", 9.5},
      {"spring", 9.5}, {"attract-repel", 9.5}, {"bounce", 9.5},
  };
  for (size_t i = 0; i < NELEM(cases); i++) {
    ha_timing once = {10.0, HA_LOOP_ONCE, 1.0, HA_SEAM_BLEND};
    ha_timing cut = {10.0, HA_LOOP_LOOP, 1.0, HA_SEAM_CUT};
    ha_timing blend = {10.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
    ha_motion *mo = test_motion(cases[i].model, NULL, &once);
    ha_motion *mc = test_motion(cases[i].model, NULL, &cut);
    ha_motion *mb = test_motion(cases[i].model, NULL, &blend);
    CHECK(ha_motion_timing(mc).seam == HA_SEAM_CUT);
    int bad = 0;
    /* t = k/64: t + 20 and back are exact, so τ is t in every mode. */
    for (double t = 0.0; t < 10.0 && bad < 3; t += 1.0 / 64.0) {
      ha_vec3 a = ha_motion_eval(mo, t, NULL), c = ha_motion_eval(mc, t + 20.0, NULL);
      bad += !same_bits(a, c);
      CHECK_MSG(same_bits(a, c), "%s cut at %g differs from once", cases[i].model, t);
      if (t < cases[i].untouched) {
        ha_vec3 b = ha_motion_eval(mb, t + 20.0, NULL);
        bad += !same_bits(a, b);
        CHECK_MSG(same_bits(a, b), "%s blend at %g differs", cases[i].model, t);
      }
    }
    /* The cut still jumps at the wrap (it is the original's restart). */
    CHECK(jump_at(mc, 10.0, 1e-6, 0.0, 0) > 0.1);
    ha_motion_destroy(mo);
    ha_motion_destroy(mc);
    ha_motion_destroy(mb);
  }
}

static void test_seam_parse(void) {
  ha_seam s = HA_SEAM_CUT;
  ha_error err;
  CHECK(ha_seam_parse("blend", &s, &err) == HA_OK && s == HA_SEAM_BLEND);
  CHECK(ha_seam_parse("cut", &s, &err) == HA_OK && s == HA_SEAM_CUT);
  CHECK(ha_seam_parse("smooth", &s, &err) == HA_EINVAL);
  CHECK(ha_seam_parse(NULL, &s, &err) == HA_EINVAL);
  CHECK(strcmp(ha_seam_name(HA_SEAM_CUT), "cut") == 0);
  CHECK(ha_timing_default().seam == HA_SEAM_BLEND);
  ha_timing bad = {10.0, HA_LOOP_LOOP, 1.0, (ha_seam)7};
  CHECK(ha_timing_validate(&bad, &err) == HA_EINVAL && strcmp(err.name, "seam") == 0);
}

/* A show's `seam`: loaded, refused when unknown, saved and loaded back; the
 * .hpx importer writes "cut" (the original restarts every model). */
static void test_show_seam(void) {
  const char *text =
      "{\"format\": 1, \"name\": \"s\", \"animations\": [\n"
      "  {\"name\": \"a\", \"model\": \"random\", \"seam\": \"cut\"},\n"
      "  {\"name\": \"b\", \"model\": \"pendulum\"}]}";
  ha_show *s = NULL, *s2 = NULL;
  CHECK_INT(ha_show_load_string(text, strlen(text), "t.json", &s, NULL), HA_OK);
  if (s == NULL) {
    return;
  }
  size_t n = 0;
  const ha_show_animation *a = ha_show_animations(s, &n);
  CHECK_INT(n, 2);
  CHECK_INT(a[0].timing.seam, HA_SEAM_CUT);
  CHECK_INT(a[1].timing.seam, HA_SEAM_BLEND);
  ha_motion *m = NULL;
  CHECK_INT(ha_show_animation_motion(s, 0, &m, NULL), HA_OK);
  CHECK(m != NULL && ha_motion_timing(m).seam == HA_SEAM_CUT);
  ha_motion_destroy(m);
  char *saved = NULL;
  CHECK_INT(ha_show_save_string(s, &saved, NULL), HA_OK);
  CHECK(saved != NULL && strstr(saved, "\"seam\": \"cut\"") != NULL);
  CHECK_INT(ha_show_load_string(saved, strlen(saved), "t2.json", &s2, NULL), HA_OK);
  if (s2 != NULL) {
    CHECK_INT(ha_show_animations(s2, &n)[0].timing.seam, HA_SEAM_CUT);
  }
  free(saved);
  ha_show_destroy(s);
  ha_show_destroy(s2);

  const char *bad =
      "{\"format\": 1, \"name\": \"s\", \"animations\": [\n"
      "  {\"name\": \"a\", \"model\": \"random\", \"seam\": \"smooth\"}]}";
  ha_diags *d = NULL;
  ha_diags_create(&d);
  ha_show *sb = NULL;
  CHECK_INT(ha_show_load_string(bad, strlen(bad), "t.json", &sb, d), HA_EPARSE);
  CHECK(ha_diags_count(d) == 1);
  if (ha_diags_count(d) == 1) {
    char line[400];
    ha_diag_format(ha_diags_at(d, 0), line, sizeof(line));
    CHECK_MSG(strstr(line, "animations[0].seam") != NULL, "%s", line);
  }
  ha_show_destroy(sb);
  ha_diags_destroy(d);

  const char *src = getenv("HA_SOURCE_DIR");
  char path[1024];
  snprintf(path, sizeof(path), "%s/tests/fixtures/hpx/project-v2.3.hpx", src ? src : ".");
  ha_show *si = NULL;
  CHECK_INT(ha_show_import_hpx(path, &si, NULL), HA_OK);
  if (si != NULL) {
    a = ha_show_animations(si, &n);
    CHECK(n > 0);
    for (size_t i = 0; i < n; i++) {
      CHECK_INT(a[i].timing.seam, HA_SEAM_CUT);
    }
  }
  ha_show_destroy(si);
}

int main(void) {
  RUN(test_table);
  RUN(test_seamless);
  RUN(test_cut_and_untouched);
  RUN(test_seam_parse);
  RUN(test_show_seam);
  return test_done();
}
