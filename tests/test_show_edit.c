/* Show edits: JSON-Patch operations, validation (an invalid edit changes
 * nothing and says why), undo/redo, bounded history, the version counter,
 * and instances surviving edits. */
#include "holoanim.h"
#include "holoanim/show.h"
#include "test.h"

static const char *base_show =
    "{\"format\": 1, \"name\": \"e\",\n"
    " \"tracks\": [{\"id\": 1, \"position\": [1, 0, 0]}, {\"id\": 2}],\n"
    " \"animations\": [{\"name\": \"orbit\", \"model\": \"circular\", \"duration\": 8, "
    "\"parameters\": {\"radius\": 2}}],\n"
    " \"groups\": [{\"name\": \"g\", \"animation\": \"orbit\", \"tracks\": [1, 2], \"autoStart\": "
    "true}]\n"
    "}";

static ha_show *load(void) {
  ha_show *s = NULL;
  CHECK_OK(ha_show_load_string(base_show, strlen(base_show), "e.json", &s, NULL));
  return s;
}

static char *text(const ha_show *s) {
  char *t = NULL;
  CHECK_OK(ha_show_save_string(s, &t, NULL));
  return t;
}

static double radius(const ha_show *s) {
  char *j = NULL;
  double r = -1;
  if (ha_show_get_json(s, "/animations/0/parameters/radius", &j) == HA_OK) {
    r = strtod(j, NULL);
  }
  free(j);
  return r;
}

/* An empty diagnostics list; edit_done ends it with its show and the two
 * saved texts a test compared. */
static ha_diags *new_diags(void) {
  ha_diags *d = NULL;
  CHECK_OK(ha_diags_create(&d));
  return d;
}

static void edit_done(ha_show *s, ha_diags *d, char *text_a, char *text_b) {
  free(text_a);
  free(text_b);
  ha_diags_destroy(d);
  ha_show_destroy(s);
}

static void diag_line(const ha_diags *d, size_t i, char *buf, size_t cap) {
  buf[0] = '\0';
  if (i < ha_diags_count(d)) {
    ha_diag_format(ha_diags_at(d, i), buf, cap);
  }
}

/* An edit that must be refused (HA_EINVAL) with `want` as its first
 * diagnostic; the diagnostics are cleared afterwards. */
static void edit_refused(ha_show *s, ha_diags *d, const char *op, const char *path,
                         const char *value, const char *want) {
  ha_status st = ha_show_edit(s, op, path, value, d);
  CHECK_MSG(st == HA_EINVAL, "%s %s: status %d, expected HA_EINVAL", op, path, (int)st);
  char line[512];
  diag_line(d, 0, line, sizeof(line));
  CHECK_MSG(strcmp(line, want) == 0, "%s %s: diagnostic \"%s\", expected \"%s\"", op, path, line,
            want);
  ha_diags_clear(d);
}

static void test_replace_undo_redo(void) {
  ha_show *s = load();
  ha_diags *d = new_diags();
  char *t0 = text(s);
  CHECK_INT(ha_show_version(s), 1);
  CHECK(!ha_show_can_undo(s) && !ha_show_can_redo(s));
  CHECK_OK(ha_show_edit(s, "replace", "/animations/0/parameters/radius", "3.5", d));
  CHECK_INT(ha_diags_count(d), 0);
  CHECK_INT(ha_show_version(s), 2);
  CHECK_NEAR(radius(s), 3.5, 0);
  /* the compiled view follows */
  size_t n;
  const ha_show_animation *a = ha_show_animations(s, &n);
  ha_motion *m = NULL;
  CHECK_OK(ha_motion_create(a[0].model, a[0].params, &a[0].timing, &m, NULL));
  ha_vec3 p = ha_motion_eval(m, 0, NULL);
  CHECK_NEAR(ha_vec3_len(p), 3.5, 1e-12);
  ha_motion_destroy(m);
  CHECK(ha_show_can_undo(s));
  CHECK_OK(ha_show_undo(s));
  CHECK_INT(ha_show_version(s), 3);
  CHECK_NEAR(radius(s), 2, 0);
  char *t1 = text(s);
  CHECK_STR(t1, t0); /* undo restores the very text */
  CHECK(ha_show_can_redo(s) && !ha_show_can_undo(s));
  CHECK_OK(ha_show_redo(s));
  CHECK_INT(ha_show_version(s), 4);
  CHECK_NEAR(radius(s), 3.5, 0);
  CHECK_INT(ha_show_redo(s), HA_ESTATE);
  /* a new edit clears the redo list */
  CHECK_OK(ha_show_undo(s));
  CHECK_OK(ha_show_edit(s, "replace", "/name", "\"renamed\"", d));
  CHECK(!ha_show_can_redo(s));
  CHECK_STR(ha_show_name(s), "renamed");
  CHECK_OK(ha_show_undo(s));
  CHECK_STR(ha_show_name(s), "e");
  CHECK_INT(ha_show_undo(s), HA_ESTATE);
  edit_done(s, d, t0, t1);
}

static void test_invalid_edit_changes_nothing(void) {
  ha_show *s = load();
  ha_diags *d = new_diags();
  char *before = text(s);
  uint64_t v = ha_show_version(s);
  edit_refused(s, d, "replace", "/animations/0/parameters/radius", "-4",
               "animations[0].parameters.radius: -4 is below the minimum 0");
  /* a reference broken by a removal */
  edit_refused(s, d, "remove", "/tracks/1", NULL, "groups[0].tracks[1]: no track with id 2");
  edit_refused(s, d, "replace", "/tracks/7/name", "\"x\"",
               "tracks[7].name: no such location in the show");
  edit_refused(s, d, "replace", "/tracks/0/nickname", "\"x\"",
               "tracks[0].nickname: no such field to replace");
  edit_refused(s, d, "add", "/tracks/5", "{\"id\": 9}",
               "tracks[5]: index 5 is outside the list (2 items)");
  edit_refused(s, d, "move", "/name", "\"x\"", "'move' is not one of add|remove|replace");
  CHECK_INT(ha_show_edit(s, "replace", "/name", "{oops", d), HA_EINVAL);
  CHECK_INT(ha_diags_errors(d), 1);
  ha_diags_clear(d);
  edit_refused(s, d, "replace", "name", "\"x\"",
               "\"name\" is not a JSON Pointer (e.g. /tracks/0/name)");
  edit_refused(s, d, "replace", "/format", "1", "format: must stay 2");
  edit_refused(s, d, "replace", "/tracks/0/id/x", "1",
               "tracks[0].id.x: cannot replace inside a number");
  CHECK_INT(ha_show_edit(s, "replace", "", "{}", d), HA_EINVAL);
  /* nothing changed */
  char *after = text(s);
  CHECK_STR(after, before);
  CHECK_INT(ha_show_version(s), v);
  CHECK(!ha_show_can_undo(s));
  edit_done(s, d, before, after);
}

static void test_add_remove_and_patch(void) {
  ha_show *s = load();
  ha_diags *d = new_diags();
  char *t0 = text(s);
  size_t n;
  CHECK_OK(ha_show_edit(s, "add", "/tracks/-", "{\"id\": 3, \"name\": \"new\"}", d));
  CHECK_INT((ha_show_tracks(s, &n), n), 3);
  CHECK_OK(ha_show_edit(s, "add", "/tracks/0", "{\"id\": 7}", d));
  CHECK_INT(ha_show_tracks(s, &n)[0].id, 7);
  CHECK_OK(ha_show_edit(s, "add", "/presets",
                        "[{\"name\": \"p\", \"positions\": {\"7\": [0, 1, 0]}}]", d));
  CHECK_INT(ha_show_edit(s, "remove", "/tracks/0/position", NULL, d), HA_EINVAL); /* none */
  CHECK_INT(ha_diags_count(d), 1);
  ha_diags_clear(d);
  CHECK_OK(ha_show_edit(s, "remove", "/tracks/1/position", NULL, d));
  CHECK_VEC_NEAR(ha_show_tracks(s, &n)[1].position, 0, 0, 0, 0);
  /* a patch is one step, all or nothing */
  uint64_t v = ha_show_version(s);
  CHECK_OK(ha_show_edit_patch(
      s,
      "[{\"op\": \"add\", \"path\": \"/tracks/1/name\", \"value\": "
      "\"one\"}, {\"op\": \"add\", \"path\": \"/cues\", \"value\": [{\"number\": "
      "1, \"actions\": [{\"type\": \"preset\", \"preset\": \"p\"}]}]}]",
      d));
  CHECK_INT(ha_show_version(s), v + 1);
  CHECK_STR(ha_show_tracks(s, &n)[1].name, "one");
  CHECK_INT((ha_show_cues(s, &n), n), 1);
  CHECK_INT(ha_show_edit_patch(s,
                               "[{\"op\": \"replace\", \"path\": \"/tracks/1/name\", \"value\": "
                               "\"two\"}, {\"op\": \"remove\", \"path\": \"/presets\"}]",
                               d),
            HA_EINVAL);
  char line[512];
  diag_line(d, 0, line, sizeof(line));
  CHECK_STR(line, "cues[0].actions[0].preset: no preset named \"p\"");
  CHECK_STR(ha_show_tracks(s, &n)[1].name, "one");
  ha_diags_clear(d);
  CHECK_INT(ha_show_edit_patch(s, "[{\"op\": \"copy\", \"path\": \"/a\"}]", d), HA_EINVAL);
  diag_line(d, 0, line, sizeof(line));
  CHECK_STR(line, "patch[0]: op 'copy' is not one of add|remove|replace");
  ha_diags_clear(d);
  CHECK_INT(ha_show_edit_patch(s, "{}", d), HA_EINVAL);
  /* undo everything, step by step, back to the loaded text */
  int steps = 0;
  while (ha_show_can_undo(s)) {
    CHECK_OK(ha_show_undo(s));
    steps++;
  }
  CHECK_INT(steps, 5);
  char *t1 = text(s);
  CHECK_STR(t1, t0);
  /* and redo everything */
  while (ha_show_can_redo(s)) {
    CHECK_OK(ha_show_redo(s));
  }
  CHECK_INT((ha_show_cues(s, &n), n), 1);
  CHECK_INT((ha_show_tracks(s, &n), n), 4);
  edit_done(s, d, t0, t1);
}

static void test_bounded_history(void) {
  ha_show *s = load();
  ha_show_set_history_limit(s, 5);
  char v[32];
  for (int i = 1; i <= 12; i++) {
    snprintf(v, sizeof(v), "%d", i);
    CHECK_OK(ha_show_edit(s, "replace", "/animations/0/parameters/radius", v, NULL));
  }
  CHECK_INT(ha_show_version(s), 13);
  int undone = 0;
  while (ha_show_undo(s) == HA_OK) {
    undone++;
  }
  CHECK_INT(undone, 5);
  CHECK_NEAR(radius(s), 7, 0); /* the oldest five steps are gone */
  /* shrinking drops the oldest */
  for (int i = 0; i < 5; i++) {
    CHECK_OK(ha_show_redo(s));
  }
  ha_show_set_history_limit(s, 2);
  CHECK_OK(ha_show_undo(s));
  CHECK_OK(ha_show_undo(s));
  CHECK_INT(ha_show_undo(s), HA_ESTATE);
  CHECK_NEAR(radius(s), 10, 0);
  /* 0 disables undo */
  ha_show_set_history_limit(s, 0);
  CHECK_OK(ha_show_edit(s, "replace", "/animations/0/parameters/radius", "1", NULL));
  CHECK(!ha_show_can_undo(s));
  ha_show_destroy(s);
  /* default limit is 100 */
  s = load();
  for (int i = 0; i < 105; i++) {
    snprintf(v, sizeof(v), "%d", i % 9 + 1);
    CHECK_OK(ha_show_edit(s, "replace", "/animations/0/parameters/radius", v, NULL));
  }
  undone = 0;
  while (ha_show_undo(s) == HA_OK) {
    undone++;
  }
  CHECK_INT(undone, 100);
  ha_show_destroy(s);
}

static void test_instance_survives_edits(void) {
  ha_show *s = load();
  ha_engine_config cfg = ha_show_engine_config(s);
  ha_engine *e = NULL;
  CHECK_OK(ha_engine_create(&cfg, &e, NULL));
  ha_show_instance *inst = NULL;
  CHECK_OK(ha_show_instantiate(s, e, 0.0, &inst, NULL));
  double x[2], y[2], z[2];
  CHECK_OK(ha_show_instance_evaluate(inst, 1.0, x, y, z, 2));
  double r1 = hypot(x[0], y[0]);
  CHECK_OK(ha_show_edit(s, "remove", "/groups", NULL, NULL));
  CHECK_OK(ha_show_edit(s, "replace", "/animations/0/parameters/radius", "5", NULL));
  ha_show_destroy(s); /* the instance keeps what it was made from */
  CHECK_OK(ha_show_instance_evaluate(inst, 2.0, x, y, z, 2));
  CHECK_NEAR(hypot(x[0], y[0]), r1, 1e-9);
  ha_show_instance_destroy(inst);
  ha_engine_destroy(e);
}

int main(void) {
  RUN(test_replace_undo_redo);
  RUN(test_invalid_edit_changes_nothing);
  RUN(test_add_remove_and_patch);
  RUN(test_bounded_history);
  RUN(test_instance_survives_edits);
  return test_done();
}
