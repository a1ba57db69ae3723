/* One cue interpreter, two sinks: a show played offline (ha_show_instance
 * on an engine) and live (ha_show_player_fire_cue into a player ticked by
 * hand) gives the same positions at every tick, for cues that use every
 * action type (group and inline starts, stops of a group / an animation /
 * tracks / everything, presets with and without stagger, a subset, goto),
 * including later cues that cut staggered moves short; a cue with 300 start
 * actions gets 300 distinct tags and runs 300 animations both ways. */
#include "holoanim.h"
#include "holoanim/show.h"
#include "holoanim/show_player.h"
#include "test.h"
#include "test_show.h"

#define NTRACKS 6

static ha_show *load(const char *text) {
  ha_show *show = NULL;
  test_show_load(text, "cue.json", &show);
  return show;
}

static const char *every_action_show =
    "{\"format\": 1,\n"
    " \"tracks\": [{\"id\": 1, \"position\": [0, 5, 0]}, {\"id\": 2, \"position\": [1, 1, 0]},\n"
    "   {\"id\": 3, \"position\": [2, 2, 0]}, {\"id\": 4, \"position\": [3, 3, 0]},\n"
    "   {\"id\": 5, \"position\": [-2, 1, 0]}, {\"id\": 6, \"position\": [0, -3, 1]}],\n"
    " \"animations\": [\n"
    "   {\"name\": \"c\", \"model\": \"circular\", \"duration\": 8, \"fadeOut\": 1.5,\n"
    "    \"parameters\": {\"radius\": 2, \"center\": [0, 0, 1]}},\n"
    "   {\"name\": \"l\", \"model\": \"linear\", \"duration\": 4, \"loop\": \"once\", \"fadeIn\": "
    "0.5,\n"
    "    \"parameters\": {\"startPosition\": [0, 0, 0], \"endPosition\": [4, 0, 0]}}],\n"
    " \"groups\": [\n"
    "   {\"name\": \"g\", \"animation\": \"c\", \"tracks\": [1, 2, 3], \"phaseOffset\": 0.5, "
    "\"autoStart\": true},\n"
    "   {\"name\": \"h\", \"animation\": \"l\", \"tracks\": [4, 5], \"mode\": \"relative\"}],\n"
    " \"presets\": [\n"
    "   {\"name\": \"home\", \"positions\": {\"3\": [0, 0, 3], \"1\": [0, 0, 1], \"6\": [1, 1, "
    "1],\n"
    "     \"4\": [0, 0, 4], \"2\": [0, 0, 2], \"5\": [-1, -1, 0]}},\n"
    "   {\"name\": \"wide\", \"positions\": {\"5\": [5, 5, 0], \"2\": [-5, 5, 0], \"4\": [5, -5, "
    "0]}}],\n"
    " \"cues\": [\n"
    "   {\"number\": 1, \"actions\": [{\"type\": \"start\", \"group\": \"h\"},\n"
    "     {\"type\": \"start\", \"animation\": \"c\", \"tracks\": [5, 6], \"mode\": "
    "\"relative\", \"phaseOffset\": 0.25}]},\n"
    "   {\"number\": 2, \"actions\": [{\"type\": \"preset\", \"preset\": \"home\", "
    "\"transition\": 1,\n"
    "     \"easing\": \"sine-in-out\", \"space\": \"aed\", \"stagger\": 0.4}]},\n"
    "   {\"number\": 3, \"actions\": [{\"type\": \"start\", \"animation\": \"l\", \"tracks\": "
    "[4]}]},\n"
    "   {\"number\": 4, \"actions\": [{\"type\": \"goto\", \"track\": 6, \"position\": [2, 2, "
    "2],\n"
    "     \"transition\": 0.5}]},\n"
    "   {\"number\": 5, \"actions\": [{\"type\": \"stop\", \"group\": \"g\"}]},\n"
    "   {\"number\": 6, \"actions\": [{\"type\": \"stop\", \"animation\": \"c\", \"fade\": 1}]},\n"
    "   {\"number\": 7, \"actions\": [{\"type\": \"stop\", \"tracks\": [3, 5], \"fade\": 0.5}]},\n"
    "   {\"number\": 8, \"actions\": [{\"type\": \"preset\", \"preset\": \"wide\", \"tracks\": "
    "[4, 2],\n"
    "     \"stagger\": 0.3, \"transition\": 0.6}]},\n"
    "   {\"number\": 9, \"actions\": [{\"type\": \"stop\", \"fade\": 1}]},\n"
    "   {\"number\": 10, \"actions\": [{\"type\": \"start\", \"group\": \"g\"},\n"
    "     {\"type\": \"start\", \"animation\": \"c\", \"tracks\": [5, 6], \"mode\": "
    "\"relative\", \"phaseOffset\": 0.25},\n"
    "     {\"type\": \"preset\", \"preset\": \"wide\", \"stagger\": 0.5, \"transition\": 0.2}]}\n"
    " ]\n"
    "}";

typedef struct cue_at {
  double t, cue;
} cue_at;

/* 1: h on 4, 5 and c on 5, 6 (5 taken from h). 2: home, staggered 0.4 s in
 * the preset's order 3 1 6 4 2 5 (moves at 1.0 1.4 1.8 2.2 2.6 3.0). 3: l on
 * 4 before its turn, 5: stop g while it still drives 2 before its turn:
 * both cut those moves. 4, 8 (a subset, preset order 2 4), 7, 10 (a start
 * and a stagger in one cue), 6 (stop every use of c), 2 again and 9 (stop
 * everything, mid-stagger). */
static const cue_at script[] = {{0.5, 1}, {1.0, 2}, {1.5, 3},  {1.7, 5},  {3.5, 4},
                                {4.0, 8}, {4.1, 7}, {5.0, 10}, {6.0, 6},  {6.5, 2},
                                {6.7, 9}, {8.0, 1}, {8.1, 8},  {8.15, 5}, {8.2, 3}};
#define NSCRIPT (sizeof(script) / sizeof(script[0]))
#define DT 0.01
#define STEPS 1000

/* Positions of every track at every tick k·DT (k = 0..steps) with the
 * cues of `sc` fired, offline. */
static void run_offline_script(const ha_show *show, const cue_at *sc, size_t nsc, int steps,
                               double *out) {
  ha_engine_config cfg = ha_show_engine_config(show);
  ha_engine *e = NULL;
  CHECK_OK(ha_engine_create(&cfg, &e, NULL));
  ha_show_instance *inst = NULL;
  CHECK_OK(ha_show_instantiate(show, e, 0.0, &inst, NULL));
  size_t next = 0;
  double x[NTRACKS], y[NTRACKS], z[NTRACKS];
  for (int k = 0; k <= steps; k++) {
    double t = k * DT;
    while (next < nsc && sc[next].t <= t + 1e-9) {
      ha_error err;
      ha_error_clear(&err);
      ha_status st = ha_show_fire_cue(inst, sc[next].cue, t, &err);
      CHECK_MSG(st == HA_OK, "offline cue %g: %s", sc[next].cue, err.message);
      next++;
    }
    CHECK_OK(ha_show_instance_evaluate(inst, t, x, y, z, NTRACKS));
    for (size_t i = 0; i < NTRACKS; i++) {
      out[(size_t)k * 3 * NTRACKS + 3 * i] = x[i];
      out[(size_t)k * 3 * NTRACKS + 3 * i + 1] = y[i];
      out[(size_t)k * 3 * NTRACKS + 3 * i + 2] = z[i];
    }
  }
  ha_show_instance_destroy(inst);
  ha_engine_destroy(e);
}

static void run_offline(const ha_show *show, double *out) {
  run_offline_script(show, script, NSCRIPT, STEPS, out);
}

/* A stopped player sized and filled for the show, transport at 0. */
static ha_player *live_player(const ha_show *show) {
  ha_player_config cfg = ha_show_player_config(show, NULL);
  ha_player *p = NULL;
  ha_error err;
  CHECK_OK(ha_player_create(&cfg, &p, &err));
  CHECK_OK(ha_show_player_setup(show, p, &err));
  return p;
}

/* The same live: the player is ticked by hand at monotonic time k·DT from
 * 0, so its transport time is k·DT exactly (the clock starts at 0). */
static void run_live_script(const ha_show *show, const cue_at *sc, size_t nsc, int steps,
                            double *out) {
  ha_player *p = live_player(show);
  ha_store_snapshot *snap = NULL;
  CHECK_OK(ha_store_snapshot_create(ha_show_player_config(show, NULL).max_tracks, &snap));
  CHECK_OK(ha_show_player_play(show, p, NULL));
  size_t next = 0;
  for (int k = 0; k <= steps; k++) {
    double t = k * DT;
    while (next < nsc && sc[next].t <= t + 1e-9) {
      ha_error err;
      ha_error_clear(&err);
      ha_status st = ha_show_player_fire_cue(show, p, ha_show_cue_find(show, sc[next].cue), &err);
      CHECK_MSG(st == HA_OK, "live cue %g: %s", sc[next].cue, err.message);
      next++;
    }
    CHECK_OK(ha_player_tick_once(p, t));
    CHECK_OK(ha_store_read(ha_player_store(p), snap));
    CHECK_NEAR(snap->time, t, 0);
    for (size_t i = 0; i < NTRACKS; i++) {
      out[(size_t)k * 3 * NTRACKS + 3 * i] = snap->x[i];
      out[(size_t)k * 3 * NTRACKS + 3 * i + 1] = snap->y[i];
      out[(size_t)k * 3 * NTRACKS + 3 * i + 2] = snap->z[i];
    }
  }
  ha_player_event ev;
  while (ha_player_poll_event(p, &ev) == HA_OK) {
    CHECK_MSG(ev.type != HA_EVENT_COMMAND_FAILED, "a command failed at %g (track %u, tag %u)",
              ev.time, ev.track, ev.tag);
  }
  ha_store_snapshot_destroy(snap);
  ha_player_destroy(p);
}

static void run_live(const ha_show *show, double *out) {
  run_live_script(show, script, NSCRIPT, STEPS, out);
}

static ha_vec3 at(const double *pos, double t, size_t track_index) {
  const double *q = pos + (size_t)lround(t / DT) * 3 * NTRACKS + 3 * track_index;
  return ha_vec3_make(q[0], q[1], q[2]);
}

/* A staggered preset move of track `id` (1-based) that ends at `arrival`
 * (its turn's delay after the cue plus the transition): one tick before, the
 * track is still on its way to `target`; from `arrival` to `until` it is
 * there. Moved too early (a stagger ignored, too short or out of order), it
 * would already be there; too late, not yet. */
static void check_arrival(const double *pos, uint32_t id, double arrival, double until,
                          ha_vec3 target) {
  double before = ha_vec3_dist(at(pos, arrival - DT, id - 1), target);
  printf("     track %u: %.3g m from its preset position at %.2f\n", id, before, arrival - DT);
  CHECK_MSG(before > 1e-6, "track %u: at its preset position already at %.2f (due at %.2f)", id,
            arrival - DT, arrival);
  CHECK_POINT_AT(at(pos, arrival, id - 1), target, 1e-9, "track %u at %.2f", id, arrival);
  CHECK_POINT_AT(at(pos, until, id - 1), target, 1e-9, "track %u at %.2f", id, until);
}

static void test_live_matches_offline(void) {
  ha_show *show = load(every_action_show);
  if (show == NULL) {
    return;
  }
  size_t n = (size_t)(STEPS + 1) * 3 * NTRACKS;
  double *off = calloc(n, sizeof(double)), *live = calloc(n, sizeof(double));
  run_offline(show, off);
  run_live(show, live);
  int reported = 0;
  for (size_t i = 0; i < n && reported < 5; i++) {
    if (!ha_t_near(off[i], live[i], 1e-9)) {
      size_t k = i / (3 * NTRACKS), tr = (i / 3) % NTRACKS;
      HA_T_FAIL("t = %.2f track %zu axis %zu: offline %.12g, live %.12g", (double)k * DT, tr + 1,
                i % 3, off[i], live[i]);
      reported++;
    }
  }
  /* What the cues did (the same both ways, so checked once): */
  /* staggered home in preset order, 1 s moves: 3 at once (home at 2.0), 1
   * after 0.4 s (home at 2.4), 6 after 0.8 s (home at 2.8) */
  ha_vec3 p = at(off, 2.0, 2);
  CHECK_VEC_NEAR(p, 0, 0, 3, 1e-9);
  check_arrival(off, 1, 2.4, 3.4, ha_vec3_make(0, 0, 1));
  check_arrival(off, 6, 2.8, 3.4, ha_vec3_make(1, 1, 1));
  /* the subset at 4.0 (0.3 s stagger, 0.6 s moves), preset order 2 4: 4
   * moves at 4.3 and is there at 4.9; cue 10 sends it to the same place */
  check_arrival(off, 4, 4.9, 6.4, ha_vec3_make(5, -5, 0));
  /* 4 was started on l at 1.5 (cue 3) before its turn at 2.2: it stays on l */
  CHECK(ha_vec3_dist(at(off, 3.4, 3), ha_vec3_make(0, 0, 4)) > 0.1);
  /* 2 was still in g when g stopped at 1.7 (cue 5, fadeOut 1.5): its move
   * due at 2.6 is dropped, it glides home to its base */
  p = at(off, 3.4, 1);
  CHECK_VEC_NEAR(p, 1, 1, 0, 1e-9);
  /* the goto at 3.5 (0.5 s) */
  p = at(off, 4.0, 5);
  CHECK_VEC_NEAR(p, 2, 2, 2, 1e-9);
  /* stop everything at 6.7 mid-stagger (cue 2 at 6.5): after the 1 s fade
   * every track rests at its base, none moves on when its turn comes */
  for (size_t i = 0; i < NTRACKS; i++) {
    ha_vec3 a = at(off, 7.75, i);
    const ha_show_track *tr = ha_show_tracks(show, NULL);
    CHECK_VEC_NEAR(a, tr[i].position.x, tr[i].position.y, tr[i].position.z, 1e-9);
  }
  free(off);
  free(live);
  ha_show_destroy(show);
}

/* A group stopped directly with fade < 0 takes its animation's fadeOut,
 * live as offline: g (c, fadeOut 1.5) stopped at 1.0 glides to base over
 * 1.5 s on both, tick for tick. */
static void test_stop_group_default_fade(void) {
  ha_show *show = load(every_action_show);
  if (show == NULL) {
    return;
  }
  /* the tags the show gives: a group start answers to the group's index,
   * an inline start to HA_SHOW_TAG_INLINE | k, any other action to none */
  const ha_show_cue *cues = ha_show_cues(show, NULL);
  CHECK_INT(cues[0].actions[0].tag, 1);
  CHECK_INT(cues[0].actions[1].tag, HA_SHOW_TAG_INLINE | 0u);
  CHECK_INT(cues[1].actions[0].tag, HA_SHOW_NO_TAG);
  CHECK_INT(cues[2].actions[0].tag, HA_SHOW_TAG_INLINE | 1u);
  CHECK_INT(cues[4].actions[0].tag, HA_SHOW_NO_TAG);
  ha_engine_config cfg = ha_show_engine_config(show);
  ha_engine *e = NULL;
  CHECK_OK(ha_engine_create(&cfg, &e, NULL));
  ha_show_instance *inst = NULL;
  CHECK_OK(ha_show_instantiate(show, e, 0.0, &inst, NULL));
  ha_player *p = live_player(show);
  ha_store_snapshot *snap = NULL;
  CHECK_OK(ha_store_snapshot_create(ha_show_player_config(show, NULL).max_tracks, &snap));
  CHECK_OK(ha_show_player_play(show, p, NULL));
  const ha_show_track *tr = ha_show_tracks(show, NULL);
  ha_vec3 mid = ha_vec3_make(0, 0, 0);
  int reported = 0;
  double x[NTRACKS], y[NTRACKS], z[NTRACKS];
  for (int k = 0; k <= 300; k++) {
    double t = k * DT;
    if (k == 100) {
      CHECK_OK(ha_show_stop_group(inst, 0, -1.0, t));
      CHECK_OK(ha_show_player_stop_group(show, p, 0, -1.0));
    }
    CHECK_OK(ha_show_instance_evaluate(inst, t, x, y, z, NTRACKS));
    CHECK_OK(ha_player_tick_once(p, t));
    CHECK_OK(ha_store_read(ha_player_store(p), snap));
    for (size_t i = 0; i < NTRACKS && reported < 5; i++) {
      if (!ha_t_near(x[i], snap->x[i], 1e-9) || !ha_t_near(y[i], snap->y[i], 1e-9) ||
          !ha_t_near(z[i], snap->z[i], 1e-9)) {
        HA_T_FAIL("t = %.2f track %zu: offline (%g, %g, %g), live (%g, %g, %g)", t, i + 1, x[i],
                  y[i], z[i], snap->x[i], snap->y[i], snap->z[i]);
        reported++;
      }
    }
    if (k == 175) {
      mid = ha_vec3_make(x[0], y[0], z[0]);
    }
  }
  /* halfway through the fade track 1 is not home yet; after it, it rests
   * at its base */
  CHECK(ha_vec3_dist(mid, tr[0].position) > 0.1);
  CHECK_VEC_NEAR(ha_vec3_make(x[0], y[0], z[0]), tr[0].position.x, tr[0].position.y,
                 tr[0].position.z, 1e-9);
  ha_store_snapshot_destroy(snap);
  ha_player_destroy(p);
  ha_show_instance_destroy(inst);
  ha_engine_destroy(e);
  ha_show_destroy(show);
}

/* What cues do, each on tracks of its own. Tracks 1 and 2 share a base;
 * lf and ln are the same path, lf with a fadeIn, starting at that base (so
 * ln does not glide: a cue glides only a track away from its path). 1: lf on 1, ln on 2. 2: g
 * (c on 3, 4), c on 5, o (another animation) on 6. 3: stop animation c
 * with a 1 s fade. 4: goto of 5 (at rest at its base by then), 2 s,
 * linear. */
static const char *behaviour_show =
    "{\"format\": 1,\n"
    " \"tracks\": [{\"id\": 1, \"position\": [0, 5, 0]}, {\"id\": 2, \"position\": [0, 5, 0]},\n"
    "   {\"id\": 3, \"position\": [3, 0, 0]}, {\"id\": 4, \"position\": [-3, 0, 0]},\n"
    "   {\"id\": 5, \"position\": [0, -4, 0]}, {\"id\": 6, \"position\": [1, 1, 0]}],\n"
    " \"animations\": [\n"
    "   {\"name\": \"c\", \"model\": \"circular\", \"duration\": 8,\n"
    "    \"parameters\": {\"radius\": 2, \"center\": [0, 0, 1]}},\n"
    "   {\"name\": \"o\", \"model\": \"circular\", \"duration\": 5,\n"
    "    \"parameters\": {\"radius\": 1, \"center\": [0, 0, 2]}},\n"
    "   {\"name\": \"lf\", \"model\": \"linear\", \"duration\": 4, \"fadeIn\": 1,\n"
    "    \"parameters\": {\"startPosition\": [0, 5, 0], \"endPosition\": [4, 5, 0]}},\n"
    "   {\"name\": \"ln\", \"model\": \"linear\", \"duration\": 4,\n"
    "    \"parameters\": {\"startPosition\": [0, 5, 0], \"endPosition\": [4, 5, 0]}}],\n"
    " \"groups\": [{\"name\": \"g\", \"animation\": \"c\", \"tracks\": [3, 4]}],\n"
    " \"cues\": [\n"
    "   {\"number\": 1, \"actions\": [{\"type\": \"start\", \"animation\": \"lf\", \"tracks\": "
    "[1]},\n"
    "     {\"type\": \"start\", \"animation\": \"ln\", \"tracks\": [2]}]},\n"
    "   {\"number\": 2, \"actions\": [{\"type\": \"start\", \"group\": \"g\"},\n"
    "     {\"type\": \"start\", \"animation\": \"c\", \"tracks\": [5]},\n"
    "     {\"type\": \"start\", \"animation\": \"o\", \"tracks\": [6]}]},\n"
    "   {\"number\": 3, \"actions\": [{\"type\": \"stop\", \"animation\": \"c\", \"fade\": 1}]},\n"
    "   {\"number\": 4, \"actions\": [{\"type\": \"goto\", \"track\": 5, \"position\": [2, -2, "
    "3],\n"
    "     \"transition\": 2}]}]\n"
    "}";

static const cue_at behaviour_script[] = {{1.0, 1}, {2.0, 2}, {4.0, 3}, {6.0, 4}};
/* the same without the stop: where the tracks would have gone */
static const cue_at unstopped_script[] = {{1.0, 1}, {2.0, 2}, {6.0, 4}};
#define BSTEPS 800

static int vec_near(ha_vec3 a, ha_vec3 b, double tol) {
  return ha_vec3_dist(a, b) <= tol;
}

/* Checks the cues' effects on positions `pos` (offline or live). */
static void check_behaviour(const ha_show *show, const double *pos, const double *unstopped,
                            const char *how) {
  const ha_show_track *tr = ha_show_tracks(show, NULL);
  /* fadeIn: lf starts from track 1's base and reaches the path (ln's, on
   * track 2) after 1 s; halfway it lies strictly between the two */
  ha_vec3 base = tr[0].position, p = at(pos, 1.5, 0), path = at(pos, 1.5, 1);
  double d_bp = ha_vec3_dist(base, p), d_pq = ha_vec3_dist(p, path);
  CHECK_MSG(vec_near(at(pos, 1.0, 0), base, 1e-9), "%s: lf starts at the base", how);
  CHECK_MSG(d_bp > 0.1 && d_pq > 0.1, "%s: at 1.5 track 1 is %g from its base, %g from the path",
            how, d_bp, d_pq);
  CHECK_MSG(ha_t_near(d_bp + d_pq, ha_vec3_dist(base, path), 1e-9),
            "%s: at 1.5 track 1 is off the segment from its base to the path", how);
  CHECK_MSG(vec_near(at(pos, 2.5, 0), at(pos, 2.5, 1), 1e-9), "%s: after fadeIn, on the path", how);
  /* stop animation c at 4.0 with fade 1: 3, 4 (group g) and 5 (a start
   * action) leave the path at once and are home at 5.0; 6 (on o) goes on
   * exactly as if nothing was stopped */
  for (size_t i = 2; i <= 4; i++) {
    ha_vec3 b = tr[i].position;
    CHECK_MSG(!vec_near(at(pos, 4.5, i), b, 0.1), "%s: track %zu mid-fade is at its base", how,
              i + 1);
    CHECK_MSG(!vec_near(at(pos, 4.5, i), at(unstopped, 4.5, i), 0.01),
              "%s: track %zu mid-fade is still on its path", how, i + 1);
    CHECK_MSG(vec_near(at(pos, 5.0, i), b, 1e-9) && vec_near(at(pos, 5.5, i), b, 1e-9),
              "%s: track %zu is not at its base after the fade", how, i + 1);
  }
  for (double t = 4.0; t <= 6.0; t += 0.25) {
    CHECK_MSG(vec_near(at(pos, t, 5), at(unstopped, t, 5), 1e-9),
              "%s: track 6 (on o) left its path at %g", how, t);
  }
  CHECK_MSG(!vec_near(at(pos, 4.5, 5), at(pos, 4.0, 5), 0.1), "%s: track 6 stopped moving", how);
  /* goto of 5 at 6.0 over 2 s, linear: halfway at 7.0, there at 8.0 */
  ha_vec3 g = at(pos, 7.0, 4);
  CHECK_VEC_NEAR(g, 1, -3, 1.5, 1e-9);
  g = at(pos, 8.0, 4);
  CHECK_VEC_NEAR(g, 2, -2, 3, 1e-9);
}

static void test_cue_behaviour(void) {
  ha_show *show = load(behaviour_show);
  if (show == NULL) {
    return;
  }
  size_t n = (size_t)(BSTEPS + 1) * 3 * NTRACKS;
  double *off = calloc(n, sizeof(double)), *live = calloc(n, sizeof(double));
  double *unstopped = calloc(n, sizeof(double));
  run_offline_script(show, behaviour_script, sizeof(behaviour_script) / sizeof(*behaviour_script),
                     BSTEPS, off);
  run_live_script(show, behaviour_script, sizeof(behaviour_script) / sizeof(*behaviour_script),
                  BSTEPS, live);
  run_offline_script(show, unstopped_script, sizeof(unstopped_script) / sizeof(*unstopped_script),
                     BSTEPS, unstopped);
  check_behaviour(show, off, unstopped, "offline");
  check_behaviour(show, live, unstopped, "live");
  free(off);
  free(live);
  free(unstopped);
  ha_show_destroy(show);
}

/* 301 tracks; cue 1 starts 300 animations (one per track, so none takes
 * another's track), cue 2 one more. (cue << 8 | action) tags would give
 * cue 1's action 256 and cue 2's action 0 the same tag. */
#define NSTARTS 300
static char *many_starts_show(void) {
  size_t cap = 64 * 1024, len = 0;
  char *t = malloc(cap);
  len += (size_t)snprintf(t + len, cap - len, "{\"format\": 1, \"tracks\": [");
  for (int i = 1; i <= NSTARTS + 1; i++) {
    len += (size_t)snprintf(t + len, cap - len, "%s{\"id\": %d, \"position\": [%d, 0, 0]}",
                            i > 1 ? ", " : "", i, i);
  }
  len += (size_t)snprintf(t + len, cap - len,
                          "], \"animations\": [{\"name\": \"c\", \"model\": \"circular\", "
                          "\"parameters\": {\"radius\": 1}}], \"cues\": [{\"number\": 1, "
                          "\"actions\": [");
  for (int i = 1; i <= NSTARTS; i++) {
    len += (size_t)snprintf(t + len, cap - len,
                            "%s{\"type\": \"start\", \"animation\": \"c\", \"tracks\": [%d]}",
                            i > 1 ? ", " : "", i);
  }
  len += (size_t)snprintf(t + len, cap - len,
                          "]}, {\"number\": 2, \"actions\": [{\"type\": \"start\", "
                          "\"animation\": \"c\", \"tracks\": [%d]}]}]}",
                          NSTARTS + 1);
  CHECK(len < cap);
  return t;
}

typedef struct op_log {
  size_t n;
  uint32_t tags[NSTARTS];
  uint32_t tracks[NSTARTS];
} op_log;

static ha_status log_op(void *user, const ha_show_op *op, ha_error *err) {
  (void)err;
  op_log *log = user;
  CHECK_INT(op->type, HA_SHOW_OP_START);
  CHECK_INT(op->action, log->n);
  CHECK_INT(op->track_count, 1);
  if (log->n < NSTARTS) {
    log->tags[log->n] = op->tag;
    log->tracks[log->n] = op->tracks[0];
  }
  log->n++;
  return HA_OK;
}

static void test_300_starts_300_tags(void) {
  char *text = many_starts_show();
  ha_show *show = load(text);
  free(text);
  if (show == NULL) {
    return;
  }
  /* the show's tags: distinct, the same as the interpreter's */
  op_log log;
  memset(&log, 0, sizeof(log));
  CHECK_OK(ha_show_cue_ops(show, 0, log_op, &log, NULL));
  CHECK_INT(log.n, NSTARTS);
  size_t ncues = 0;
  const ha_show_cue *cues = ha_show_cues(show, &ncues);
  CHECK_INT(ncues, 2);
  CHECK_INT(cues[0].action_count, NSTARTS);
  CHECK_INT(cues[1].action_count, 1);
  for (size_t a = 0; a < NSTARTS; a++) {
    CHECK_INT(cues[0].actions[a].tag, HA_SHOW_TAG_INLINE | a);
    CHECK_INT(log.tags[a], cues[0].actions[a].tag);
    CHECK_INT(log.tracks[a], a + 1);
  }
  uint32_t last = cues[1].actions[0].tag;
  CHECK_INT(last, HA_SHOW_TAG_INLINE | NSTARTS);
  /* a missing cue: the same status and words listed, offline and live */
  ha_error err;
  ha_error_clear(&err);
  CHECK_INT(ha_show_cue_ops(show, 2, log_op, &log, &err), HA_ENOTFOUND);
  CHECK_INT(err.status, HA_ENOTFOUND);
  CHECK_STR(err.message, "cue: no cue index 2");

  /* offline: 301 animations, one per track */
  ha_engine_config cfg = ha_show_engine_config(show);
  ha_engine *e = NULL;
  CHECK_OK(ha_engine_create(&cfg, &e, NULL));
  ha_show_instance *inst = NULL;
  CHECK_OK(ha_show_instantiate(show, e, 0.0, &inst, NULL));
  ha_error_clear(&err);
  CHECK_INT(ha_show_fire_cue_at(inst, 2, 0.0, &err), HA_ENOTFOUND);
  CHECK_INT(err.status, HA_ENOTFOUND);
  CHECK_STR(err.message, "cue: no cue index 2");
  CHECK_OK(ha_show_fire_cue(inst, 1, 0.0, NULL));
  CHECK_OK(ha_show_fire_cue(inst, 2, 0.0, NULL));
  double x[NSTARTS + 1], y[NSTARTS + 1], z[NSTARTS + 1];
  CHECK_OK(ha_show_instance_evaluate(inst, 0.5, x, y, z, NSTARTS + 1));
  int32_t seen[NSTARTS + 1];
  for (size_t i = 0; i <= NSTARTS; i++) {
    ha_track_info ti;
    CHECK_OK(ha_engine_track_at(e, i, &ti));
    CHECK_INT(ti.status, HA_TRACK_ANIMATED);
    seen[i] = ti.animation;
    for (size_t j = 0; j < i; j++) {
      CHECK_MSG(seen[j] != seen[i], "tracks %zu and %zu share animation %d", j + 1, i + 1,
                (int)seen[i]);
    }
  }
  ha_show_instance_destroy(inst);
  ha_engine_destroy(e);

  /* live: the same, and each tag stops its own animation only */
  ha_player *p = live_player(show);
  ha_store_snapshot *snap = NULL;
  CHECK_OK(ha_store_snapshot_create(ha_show_player_config(show, NULL).max_tracks, &snap));
  CHECK_OK(ha_show_player_play(show, p, NULL));
  ha_error_clear(&err);
  CHECK_INT(ha_show_player_fire_cue(show, p, 2, &err), HA_ENOTFOUND);
  CHECK_INT(err.status, HA_ENOTFOUND);
  CHECK_STR(err.message, "cue: no cue index 2");
  CHECK_OK(ha_show_player_fire_cue(show, p, 0, NULL));
  CHECK_OK(ha_show_player_fire_cue(show, p, 1, NULL));
  CHECK_OK(ha_player_tick_once(p, 0.0));
  CHECK_OK(ha_player_tick_once(p, 0.5));
  CHECK_OK(ha_store_read(ha_player_store(p), snap));
  CHECK_INT(snap->count, NSTARTS + 1);
  for (size_t i = 0; i <= NSTARTS; i++) {
    CHECK_INT(snap->status[i], HA_TRACK_ANIMATED);
  }
  CHECK_OK(ha_player_stop_animation(p, last, 0.0));
  CHECK_OK(ha_player_tick_once(p, 0.6));
  CHECK_OK(ha_store_read(ha_player_store(p), snap));
  CHECK_INT(snap->status[NSTARTS], HA_TRACK_IDLE);
  for (size_t i = 0; i < NSTARTS; i++) {
    CHECK_INT(snap->status[i], HA_TRACK_ANIMATED); /* cue 1's 256th among them */
  }
  CHECK_OK(ha_player_stop_animation(p, cues[0].actions[256].tag, 0.0));
  CHECK_OK(ha_player_tick_once(p, 0.7));
  CHECK_OK(ha_store_read(ha_player_store(p), snap));
  for (size_t i = 0; i < NSTARTS; i++) {
    CHECK_INT(snap->status[i], i == 256 ? HA_TRACK_IDLE : HA_TRACK_ANIMATED);
  }
  ha_player_event ev;
  while (ha_player_poll_event(p, &ev) == HA_OK) {
    CHECK(ev.type != HA_EVENT_COMMAND_FAILED);
  }
  ha_store_snapshot_destroy(snap);
  ha_player_destroy(p);
  ha_show_destroy(show);
}

int main(void) {
  RUN(test_live_matches_offline);
  RUN(test_stop_group_default_fade);
  RUN(test_cue_behaviour);
  RUN(test_300_starts_300_tags);
  return test_done();
}
