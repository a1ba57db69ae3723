/* libFuzzer target for the show loader (see README.md in this directory).
 *
 * Each input is the text of a show given to ha_show_load_string (the path
 * ha_show_load_file takes once the file is read). Properties checked (abort
 * on violation), besides what the sanitizers, the leak and timeout checks see:
 *   - a refusal carries an error diagnostic (HA_EPARSE) or is HA_EUNSUPPORTED
 *     / HA_ENOMEM, and gives no show;
 *   - a show that loads saves (ha_show_save_string) to text that loads again
 *     and saves to the same bytes, with the same counts and engine sizing;
 *   - it instantiates on an engine (no network), evaluates, and every cue
 *     fires (HA_OK: what the engine refuses, validation refused first), the
 *     index past the last is HA_ENOTFOUND;
 *     every position evaluated is finite. */
#include "holoanim.h"
#include "holoanim/show.h"

#include "fuzz.h"

#include <math.h>

static void print_diags(const ha_diags *d) {
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    char line[1024];
    ha_diag_format(ha_diags_at(d, i), line, sizeof(line));
    fprintf(stderr, "  %s\n", line);
  }
}

static ha_show *load(const char *text, size_t len, ha_diags *d, ha_status *st) {
  ha_show *show = NULL;
  *st = ha_show_load_string(text, len, "fuzz.json", &show, d);
  return show;
}

static void require_same_shape(const ha_show *a, const ha_show *b) {
  size_t na, nb;
  ha_show_tracks(a, &na), ha_show_tracks(b, &nb);
  REQUIRE(na == nb);
  ha_show_animations(a, &na), ha_show_animations(b, &nb);
  REQUIRE(na == nb);
  ha_show_groups(a, &na), ha_show_groups(b, &nb);
  REQUIRE(na == nb);
  ha_show_cues(a, &na), ha_show_cues(b, &nb);
  REQUIRE(na == nb);
  ha_engine_config ca = ha_show_engine_config(a), cb = ha_show_engine_config(b);
  REQUIRE(ca.max_tracks == cb.max_tracks && ca.max_animations == cb.max_animations);
}

/* Evaluate at t; every position must be finite. */
static void evaluate(ha_show_instance *inst, double t, double *x, double *y, double *z, size_t n) {
  ha_status st = ha_show_instance_evaluate(inst, t, x, y, z, n);
  REQUIRE(st == HA_OK);
  for (size_t i = 0; i < n; i++) {
    if (!(isfinite(x[i]) && isfinite(y[i]) && isfinite(z[i]))) {
      fprintf(stderr, "track %zu at t=%g: (%g, %g, %g)\n", i, t, x[i], y[i], z[i]);
    }
    REQUIRE(isfinite(x[i]) && isfinite(y[i]) && isfinite(z[i]));
  }
}

static void play(const ha_show *show) {
  ha_engine_config cfg = ha_show_engine_config(show);
  ha_engine *engine = NULL;
  if (ha_engine_create(&cfg, &engine, NULL) != HA_OK) {
    return; /* out of memory only: the show sized it */
  }
  ha_error err;
  ha_show_instance *inst = NULL;
  ha_status st = ha_show_instantiate(show, engine, 0.0, &inst, &err);
  if (st != HA_OK && st != HA_ENOMEM) {
    fprintf(stderr, "a valid show does not instantiate (status %d): %s\n", (int)st, err.message);
  }
  REQUIRE(st == HA_OK || st == HA_ENOMEM);
  size_t n = cfg.max_tracks, ncues = 0;
  double *xyz = calloc(3 * (n > 0 ? n : 1), sizeof(double));
  if (st == HA_OK && xyz != NULL) {
    double *x = xyz, *y = xyz + n, *z = xyz + 2 * n;
    evaluate(inst, 0.0, x, y, z, n);
    evaluate(inst, 0.75, x, y, z, n);
    ha_show_cues(show, &ncues);
    for (size_t c = 0; c < ncues; c++) {
      double t = 1.0 + 0.5 * (double)c;
      st = ha_show_fire_cue_at(inst, c, t, &err);
      if (st != HA_OK) {
        fprintf(stderr, "cue index %zu of a valid show fails (status %d): %s\n", c, (int)st,
                err.message);
      }
      REQUIRE(st == HA_OK); /* the show's validation covers what the engine checks */
      evaluate(inst, t, x, y, z, n);
    }
    /* One past the last cue: no such cue, the engine untouched. */
    REQUIRE(ha_show_fire_cue_at(inst, ncues, 1.0, &err) == HA_ENOTFOUND);
    evaluate(inst, 1.0 + 0.5 * (double)ncues + 0.1, x, y, z, n);
    evaluate(inst, 60.0, x, y, z, n);
  }
  free(xyz);
  ha_show_instance_destroy(inst);
  ha_engine_destroy(engine);
}

static void check_round_trip(const ha_show *show) {
  char *first = NULL, *second = NULL;
  size_t first_len = 0, second_len = 0;
  if (ha_show_save_string(show, &first, &first_len) != HA_OK) {
    return; /* out of memory only */
  }
  ha_diags *d = NULL;
  REQUIRE(ha_diags_create(&d) == HA_OK);
  ha_status st;
  ha_show *again = load(first, first_len, d, &st);
  if (st != HA_OK && st != HA_ENOMEM) {
    fprintf(stderr, "the saved show does not load (status %d):\n", (int)st);
    print_diags(d);
    fprintf(stderr, "%s\n", first);
  }
  REQUIRE(st == HA_OK || st == HA_ENOMEM);
  if (st == HA_OK && ha_show_save_string(again, &second, &second_len) == HA_OK) {
    if (first_len != second_len || memcmp(first, second, first_len) != 0) {
      fprintf(stderr, "save -> load -> save differs:\n--- first\n%s\n--- second\n%s\n", first,
              second);
    }
    REQUIRE(first_len == second_len && memcmp(first, second, first_len) == 0);
    require_same_shape(show, again);
  }
  free(first);
  free(second);
  ha_show_destroy(again);
  ha_diags_destroy(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const uint8_t empty[1] = {0};
  const char *text = (const char *)(size > 0 ? data : empty);
  ha_diags *d = NULL;
  REQUIRE(ha_diags_create(&d) == HA_OK);
  ha_status st;
  ha_show *show = load(text, size, d, &st);
  if (st == HA_OK) {
    REQUIRE(show != NULL);
    REQUIRE(ha_diags_errors(d) == 0);
    check_round_trip(show);
    play(show);
    ha_show_destroy(show);
  } else {
    REQUIRE(show == NULL);
    REQUIRE(st == HA_EPARSE || st == HA_EUNSUPPORTED || st == HA_ENOMEM);
    REQUIRE(st != HA_EPARSE || ha_diags_errors(d) > 0);
  }
  ha_diags_destroy(d);
  return 0;
}
