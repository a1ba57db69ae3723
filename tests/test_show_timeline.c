/* The show's timeline (format 2): clips and markers play the same offline
 * (an instance's evaluations, what `holoanim eval` and `render` do) and
 * live (a player ticked by hand, its driver on the tick), to 1e-9 m at
 * every tick, also after a seek forward and two backward: the state at t
 * does not depend on how the transport got there. Format 1 migrates to 2;
 * bad clips and markers are diagnosed with file, line, column and field;
 * timeline edits undo. */
#include "holoanim.h"
#include "holoanim/show.h"
#include "holoanim/show_player.h"
#include "test.h"
#include "test_show.h"

#define NTRACKS 6
#define DT 0.05

static const char *timeline_show =
    "{\"format\": 2,\n"
    " \"tracks\": [{\"id\": 1, \"position\": [1, 0, 1]}, {\"id\": 2, \"position\": [0, 2, 1]},\n"
    "   {\"id\": 3, \"position\": [2, 2, 0]}, {\"id\": 4, \"position\": [3, 3, 0]},\n"
    "   {\"id\": 5, \"position\": [-2, 1, 0]}, {\"id\": 6, \"position\": [0, -3, 2]}],\n"
    " \"animations\": [\n"
    "   {\"name\": \"c\", \"model\": \"circular\", \"duration\": 4,\n"
    "    \"parameters\": {\"radius\": 2, \"center\": [0, 0, 1]}},\n"
    "   {\"name\": \"l\", \"model\": \"linear\", \"duration\": 3, \"fadeOut\": 1, \"fadeIn\": "
    "0.5,\n"
    "    \"parameters\": {\"startPosition\": [0, 0, 0], \"endPosition\": [4, 0, 0]}}],\n"
    " \"groups\": [\n"
    "   {\"name\": \"orbit\", \"animation\": \"c\", \"tracks\": [1, 2], \"mode\": \"relative\",\n"
    "    \"phaseSpread\": true},\n"
    "   {\"name\": \"line\", \"animation\": \"l\", \"tracks\": [3, 4], \"mode\": \"relative\"},\n"
    "   {\"name\": \"spin\", \"animation\": \"c\", \"tracks\": [6], \"mode\": \"relative\",\n"
    "    \"autoStart\": true}],\n"
    " \"cues\": [{\"number\": 1, \"actions\": [{\"type\": \"goto\", \"track\": 5,\n"
    "    \"position\": [1, 1, 1], \"transition\": 1}]}],\n"
    " \"timeline\": {\"length\": 16,\n"
    "   \"clips\": [{\"group\": \"orbit\", \"start\": 1, \"duration\": 5, \"loop\": true},\n"
    "     {\"group\": \"line\", \"start\": 2, \"duration\": 4, \"loop\": \"pingpong\"},\n"
    "     {\"group\": \"orbit\", \"start\": 8, \"duration\": 3, \"loop\": false},\n"
    "     {\"group\": \"line\", \"start\": 7, \"duration\": 6}],\n"
    "   \"markers\": [{\"cue\": 1, \"time\": 4.5}]}}\n";

static ha_show *load(const char *text) {
  ha_show *show = NULL;
  test_show_load(text, "timeline.json", &show);
  return show;
}

/* Offline, played straight from 0: the positions at T (evaluated every DT
 * before it, as `holoanim eval` samples). */
static void offline_at(const ha_show *show, double T, double *out) {
  ha_engine_config cfg = ha_show_engine_config(show);
  ha_engine *e = NULL;
  ha_show_instance *inst = NULL;
  CHECK_OK(ha_engine_create(&cfg, &e, NULL));
  CHECK_OK(ha_show_instantiate(show, e, 0.0, &inst, NULL));
  double x[NTRACKS], y[NTRACKS], z[NTRACKS];
  for (int k = 0; k * DT < T - 1e-9; k++) {
    CHECK_OK(ha_show_instance_evaluate(inst, k * DT, x, y, z, NTRACKS));
  }
  CHECK_OK(ha_show_instance_evaluate(inst, T, x, y, z, NTRACKS));
  for (size_t i = 0; i < NTRACKS; i++) {
    out[3 * i] = x[i];
    out[3 * i + 1] = y[i];
    out[3 * i + 2] = z[i];
  }
  ha_show_instance_destroy(inst);
  ha_engine_destroy(e);
}

/* Live: a player ticked by hand at monotonic k·DT, played from 0, sought
 * to 11 at tick 120 (t = 6), its timeline replaced at tick 160 and sought
 * back to 3.3 at tick 200; every tick's
 * positions equal the offline ones at the tick's transport time. */
static void test_live_matches_offline_with_seeks(void) {
  ha_show *show = load(timeline_show);
  ha_player_config cfg = ha_show_player_config(show, NULL);
  ha_player *p = NULL;
  CHECK_OK(ha_player_create(&cfg, &p, NULL));
  CHECK_OK(ha_show_player_setup(show, p, NULL));
  ha_store_snapshot *snap = NULL;
  CHECK_OK(ha_store_snapshot_create(cfg.max_tracks, &snap));
  CHECK_OK(ha_show_player_play(show, p, NULL));
  double worst = 0.0, moved = 0.0, spun = 0.0;
  for (int k = 0; k <= 280; k++) {
    if (k == 121) {
      CHECK_OK(ha_player_seek(p, 11.0));
    }
    if (k == 160) { /* a new timeline (as after an edit) takes over on the tick */
      CHECK_OK(ha_show_player_timeline(show, p, NULL));
    }
    if (k == 201) {
      CHECK_OK(ha_player_seek(p, 3.3));
    }
    if (k == 250) { /* before every clip: the running ones stop */
      CHECK_OK(ha_player_seek(p, 0.5));
    }
    CHECK_OK(ha_player_tick_once(p, k * DT));
    CHECK_OK(ha_store_read(ha_player_store(p), snap));
    double want[3 * NTRACKS];
    offline_at(show, snap->time, want);
    for (size_t i = 0; i < NTRACKS; i++) {
      double d = fabs(snap->x[i] - want[3 * i]) + fabs(snap->y[i] - want[3 * i + 1]) +
                 fabs(snap->z[i] - want[3 * i + 2]);
      if (d > worst) {
        worst = d;
        CHECK_MSG(d <= 1e-9, "tick %d t=%g track %zu: live (%g, %g, %g) offline (%g, %g, %g)", k,
                  snap->time, i, snap->x[i], snap->y[i], snap->z[i], want[3 * i], want[3 * i + 1],
                  want[3 * i + 2]);
      }
    }
    moved = fmax(moved, fabs(snap->x[2] - 2.0));
    spun = fmax(spun, fabs(snap->y[5] + 3.0));
  }
  CHECK(worst <= 1e-9);
  CHECK(moved > 1.0); /* the clips did play */
  CHECK(spun > 1.0);  /* and the autoStart group beside them, live and offline alike */
  ha_player_event ev;
  while (ha_player_poll_event(p, &ev) == HA_OK) {
    CHECK_MSG(ev.type != HA_EVENT_COMMAND_FAILED, "a command failed at %g", ev.time);
  }
  ha_store_snapshot_destroy(snap);
  ha_player_destroy(p);
  ha_show_destroy(show);
}

/* Offline, a seek (ha_show_instance_seek) gives the state of playing
 * straight there, whatever was played before, and the clips do what they
 * say: nothing before a clip, its group's path during it, its end after. */
static void test_offline_seek_and_clip_span(void) {
  ha_show *show = load(timeline_show);
  ha_engine_config cfg = ha_show_engine_config(show);
  ha_engine *e = NULL;
  ha_show_instance *inst = NULL;
  CHECK_OK(ha_engine_create(&cfg, &e, NULL));
  CHECK_OK(ha_show_instantiate(show, e, 0.0, &inst, NULL));
  double x[NTRACKS], y[NTRACKS], z[NTRACKS], want[3 * NTRACKS];
  CHECK_OK(ha_show_instance_evaluate(inst, 0.5, x, y, z, NTRACKS));
  CHECK_NEAR(x[2], 2.0, 1e-12); /* "line" starts at 2 */
  CHECK_OK(ha_show_instance_evaluate(inst, 14.0, x, y, z, NTRACKS));
  const double ts[] = {9.25, 2.5, 12.0, 4.75, 15.0};
  for (size_t j = 0; j < sizeof(ts) / sizeof(ts[0]); j++) {
    ha_show_instance_seek(inst);
    CHECK_OK(ha_show_instance_evaluate(inst, ts[j], x, y, z, NTRACKS));
    offline_at(show, ts[j], want);
    for (size_t i = 0; i < NTRACKS; i++) {
      CHECK_VEC_NEAR(((ha_vec3){x[i], y[i], z[i]}), want[3 * i], want[3 * i + 1], want[3 * i + 2],
                     1e-9);
    }
  }
  ha_show_instance_destroy(inst);
  ha_engine_destroy(e);
  const ha_show_timeline *tl = ha_show_timeline_get(show);
  CHECK_NEAR(tl->length, 16.0, 0);
  CHECK_INT(tl->clip_count, 4);
  CHECK_INT(tl->marker_count, 1);
  CHECK(tl->clips[1].has_loop && tl->clips[1].loop == HA_LOOP_PINGPONG);
  CHECK_NEAR(tl->clips[1].fade_out, 1.0, 0);
  test_show_round_trip(show);
  ha_show_destroy(show);
}

/* Format 1 (no timeline) loads as format 2 and saves as format 2, meaning
 * the same; a "timeline" a format-1 file carried is set aside, not played. */
static void test_migration_1_to_2(void) {
  const char *v1 =
      "{\"format\": 1, \"tracks\": [{\"id\": 1, \"position\": [0, 1, 0]}],\n"
      " \"animations\": [{\"name\": \"c\", \"model\": \"circular\"}],\n"
      " \"groups\": [{\"name\": \"g\", \"animation\": \"c\", \"tracks\": [1],\n"
      "   \"autoStart\": true}],\n"
      " \"timeline\": {\"length\": 5, \"clips\": [{\"group\": \"g\", \"start\": 0,\n"
      "   \"duration\": 5}]}}\n";
  ha_show *show = NULL;
  ha_diags *d = NULL;
  CHECK_OK(ha_diags_create(&d));
  CHECK_OK(ha_show_load_string(v1, strlen(v1), "v1.json", &show, d));
  CHECK_INT(ha_show_source_format(show), 1);
  CHECK_INT(ha_diags_errors(d), 0);
  CHECK_INT(ha_diags_warnings(d), 2); /* set aside; then an unknown field */
  const ha_diag *w = ha_diags_at(d, 0);
  CHECK(w != NULL && strcmp(w->path, "timeline") == 0 && w->line == 5);
  CHECK_INT(ha_show_timeline_get(show)->clip_count, 0);
  size_t ng = 0;
  CHECK(ha_show_groups(show, &ng)[0].auto_start);
  char *text = NULL;
  CHECK_OK(ha_show_save_string(show, &text, NULL));
  CHECK(text != NULL && strstr(text, "\"format\": 2") != NULL);
  CHECK(text != NULL && strstr(text, "\"x-timeline\"") != NULL);
  free(text);
  ha_show_destroy(show);
  ha_diags_destroy(d);
}

static int has_diag(const ha_diags *d, ha_diag_severity sev, const char *path, int line,
                    const char *words) {
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    const ha_diag *g = ha_diags_at(d, i);
    if (g->severity == sev && strcmp(g->path, path) == 0 && g->line == line && g->column > 0 &&
        strstr(g->message, words) != NULL) {
      return 1;
    }
  }
  char all[4096] = "";
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    char line_text[600];
    ha_diag_format(ha_diags_at(d, i), line_text, sizeof(line_text));
    strncat(all, line_text, sizeof(all) - strlen(all) - 2);
    strncat(all, "\n", sizeof(all) - strlen(all) - 1);
  }
  HA_T_FAIL("no diagnostic at %s line %d saying \"%s\"; got:\n%s", path, line, words, all);
  return 0;
}

static void test_bad_clips_diagnosed(void) {
  const char *bad =
      "{\"format\": 2,\n"
      " \"tracks\": [{\"id\": 1, \"position\": [0, 1, 0]}, {\"id\": 2, \"position\": [1, 0, 0]}],\n"
      " \"animations\": [{\"name\": \"c\", \"model\": \"circular\"}],\n"
      " \"groups\": [{\"name\": \"a\", \"animation\": \"c\", \"tracks\": [1, 2]},\n"
      "   {\"name\": \"b\", \"animation\": \"c\", \"tracks\": [2]}],\n"
      " \"timeline\": {\"length\": 10, \"clips\": [\n"
      "   {\"group\": \"nope\", \"start\": 0, \"duration\": 1},\n"
      "   {\"group\": \"a\", \"start\": 0, \"duration\": -2},\n"
      "   {\"group\": \"a\", \"start\": 1, \"duration\": 4},\n"
      "   {\"group\": \"a\", \"start\": 3, \"duration\": 2},\n"
      "   {\"group\": \"b\", \"start\": 2, \"duration\": 9}],\n"
      "  \"markers\": [{\"cue\": 7, \"time\": 1}]}}\n";
  ha_show *show = NULL;
  ha_diags *d = NULL;
  CHECK_OK(ha_diags_create(&d));
  CHECK_INT(ha_show_load_string(bad, strlen(bad), "bad.json", &show, d), HA_EPARSE);
  CHECK(show == NULL);
  has_diag(d, HA_DIAG_ERROR, "timeline.clips[0].group", 7, "nope");
  has_diag(d, HA_DIAG_ERROR, "timeline.clips[1].duration", 8, "-2");
  has_diag(d, HA_DIAG_ERROR, "timeline.clips[3].start", 10, "same group");
  has_diag(d, HA_DIAG_WARNING, "timeline.clips[4].start", 11, "track 2");
  has_diag(d, HA_DIAG_WARNING, "timeline.clips[4].duration", 11, "after the show's length");
  has_diag(d, HA_DIAG_ERROR, "timeline.markers[0].cue", 12, "no cue number 7");
  CHECK_INT(ha_diags_errors(d), 4);
  ha_diags_destroy(d);
}

/* A clip moved by an edit plays at its new place; undo puts it back. */
static void test_edit_and_undo(void) {
  ha_show *show = load(timeline_show);
  ha_diags *d = NULL;
  CHECK_OK(ha_diags_create(&d));
  CHECK_OK(ha_show_edit(show, "replace", "/timeline/clips/1/start", "0.5", d));
  CHECK_NEAR(ha_show_timeline_get(show)->clips[1].start, 0.5, 0);
  double moved[3 * NTRACKS];
  offline_at(show, 1.0, moved);
  CHECK(fabs(moved[6] - 2.0) > 1e-3); /* track 3 moves from 0.5 on */
  CHECK_INT(ha_show_edit(show, "replace", "/timeline/clips/1/duration", "-1", d), HA_EINVAL);
  CHECK_OK(ha_show_undo(show));
  CHECK_NEAR(ha_show_timeline_get(show)->clips[1].start, 2.0, 0);
  offline_at(show, 1.0, moved);
  CHECK_NEAR(moved[6], 2.0, 1e-12);
  ha_diags_destroy(d);
  ha_show_destroy(show);
}

int main(void) {
  RUN(test_live_matches_offline_with_seeks);
  RUN(test_offline_seek_and_clip_span);
  RUN(test_migration_1_to_2);
  RUN(test_bad_clips_diagnosed);
  RUN(test_edit_and_undo);
  return test_done();
}
