/* Per-track state and cue starts, on a show played live (and offline):
 * - mute and solo over a real UDP socket: a track muted in the show sends
 *   nothing while the others do (it is still evaluated and published); a
 *   soloed track is alone on the wire; a muted solo sends nothing at all;
 * - device echoes move a resting track's base, not a muted or locked one's;
 * - lock: a locked track ignores a cue's group start, preset and inline
 *   start, offline as live; locking a moving track holds it where it
 *   stands, through a stop with a fade;
 * - a cue's start glides a track that stands away from its path's start
 *   onto it over HA_SHOW_START_GLIDE instead of jumping, offline and live
 *   alike, tick for tick. */
#include "holoanim.h"
#include "holoanim/show.h"
#include "holoanim/show_player.h"
#include "test.h"
#include "test_net.h"
#include "test_show.h"

#define DT 0.01

static ha_player *live_player(const ha_show *show) {
  ha_player_config cfg = ha_show_player_config(show, NULL);
  ha_player *p = NULL;
  ha_error err;
  CHECK_OK(ha_player_create(&cfg, &p, &err));
  CHECK_OK(ha_show_player_setup(show, p, &err));
  return p;
}

/* Messages per track (index 1..3) waiting on the receiver. */
static void drain(int rx, int count[4]) {
  memset(count, 0, 4 * sizeof(int));
  uint8_t buf[2048];
  ssize_t n;
  while ((n = test_udp_recv(rx, buf, sizeof(buf), 20)) > 0) {
    ha_osc_message m;
    ha_osc_arg args[4];
    uint32_t idx = 0;
    const char *rest = NULL;
    if (ha_osc_decode_message(buf, (size_t)n, &m, args, 4, NULL) == HA_OK &&
        ha_osc_parse_indexed(m.address, "/track/", &idx, &rest) && idx >= 1 && idx <= 3) {
      count[idx]++;
    } else {
      count[0]++; /* anything else */
    }
  }
}

/* Ticks k0..k0+n-1 at k·DT; the player's position of track index i after. */
static ha_vec3 tick_n(ha_player *p, ha_store_snapshot *snap, int *k, int n, size_t i) {
  for (int j = 0; j < n; j++, (*k)++) {
    CHECK_OK(ha_player_tick_once(p, *k * DT));
  }
  CHECK_OK(ha_store_read(ha_player_store(p), snap));
  return ha_vec3_make(snap->x[i], snap->y[i], snap->z[i]);
}

static void test_mute_solo_on_the_wire(void) {
  uint16_t port = 0;
  int rx = test_udp_receiver(&port);
  CHECK(rx >= 0);
  char text[1600];
  snprintf(text, sizeof(text),
           "{\"format\": 1,\n"
           " \"tracks\": [{\"id\": 1, \"position\": [1, 0, 0]},\n"
           "   {\"id\": 2, \"position\": [2, 0, 0], \"mute\": true},\n"
           "   {\"id\": 3, \"position\": [3, 0, 0]}],\n"
           " \"animations\": [{\"name\": \"c\", \"model\": \"circular\", \"duration\": 4,\n"
           "    \"parameters\": {\"radius\": 1}}],\n"
           " \"groups\": [{\"name\": \"g\", \"animation\": \"c\", \"tracks\": [1, 2, 3],\n"
           "    \"mode\": \"relative\", \"autoStart\": true}],\n"
           " \"outputs\": [{\"name\": \"o\", \"host\": \"127.0.0.1\", \"port\": %u,\n"
           "    \"rate\": 1000, \"deadband\": {\"position\": 0}}]\n"
           "}",
           (unsigned)port);
  ha_show *show = NULL;
  test_show_load(text, "mute.json", &show);
  if (show == NULL) {
    close(rx);
    return;
  }
  const ha_show_track *tr = ha_show_tracks(show, NULL);
  CHECK(tr[1].mute && !tr[0].mute && !tr[1].solo && !tr[1].lock);
  test_show_round_trip(show); /* the flags survive a save */
  ha_player *p = live_player(show);
  ha_store_snapshot *snap = NULL;
  CHECK_OK(ha_store_snapshot_create(ha_show_player_config(show, NULL).max_tracks, &snap));
  CHECK_OK(ha_show_player_play(show, p, NULL));
  int k = 1, count[4];
  /* the show's mute: 2 sends nothing, yet moves in the store */
  ha_vec3 a = tick_n(p, snap, &k, 1, 1);
  ha_vec3 b = tick_n(p, snap, &k, 30, 1);
  drain(rx, count);
  printf("muted 2: %d %d %d\n", count[1], count[2], count[3]);
  CHECK(count[1] >= 30 && count[3] >= 30);
  CHECK_INT(count[2], 0);
  CHECK_INT(count[0], 0);
  CHECK(ha_vec3_dist(a, b) > 0.1);
  /* live: 2 unmuted, 3 soloed: 3 alone on the wire */
  CHECK_OK(ha_player_set_track_flags(p, 2, 0));
  CHECK_OK(ha_player_set_track_flags(p, 3, HA_TRACK_SOLO));
  tick_n(p, snap, &k, 30, 0);
  drain(rx, count);
  printf("solo 3: %d %d %d\n", count[1], count[2], count[3]);
  CHECK_INT(count[1], 0);
  CHECK_INT(count[2], 0);
  CHECK(count[3] >= 30);
  /* two solos send, the others not */
  CHECK_OK(ha_player_set_track_flags(p, 1, HA_TRACK_SOLO));
  tick_n(p, snap, &k, 30, 0);
  drain(rx, count);
  CHECK(count[1] >= 30 && count[3] >= 30);
  CHECK_INT(count[2], 0);
  /* a muted solo never sends; the other solo does */
  CHECK_OK(ha_player_set_track_flags(p, 3, HA_TRACK_SOLO | HA_TRACK_MUTE));
  tick_n(p, snap, &k, 30, 0);
  drain(rx, count);
  CHECK(count[1] >= 30);
  CHECK_INT(count[2] + count[3], 0);
  /* everything clear: all three again */
  for (uint32_t id = 1; id <= 3; id++) {
    CHECK_OK(ha_player_set_track_flags(p, id, 0));
  }
  tick_n(p, snap, &k, 30, 0);
  drain(rx, count);
  CHECK(count[1] >= 30 && count[2] >= 30 && count[3] >= 30);
  CHECK_INT(ha_player_set_track_flags(p, 1, 8), HA_EINVAL);
  ha_store_snapshot_destroy(snap);
  ha_player_destroy(p);
  ha_show_destroy(show);
  close(rx);
}

/* Device echoes: a resting track takes one as its base, a muted (silent)
 * or locked one does not (the device has what was sent last; a lock
 * holds). */
static void test_echoes_of_silent_and_locked_tracks(void) {
  ha_player_config cfg = ha_player_config_default();
  cfg.max_tracks = 8;
  ha_player *p = NULL;
  CHECK_OK(ha_player_create(&cfg, &p, NULL));
  for (uint32_t id = 1; id <= 3; id++) {
    CHECK_OK(ha_player_add_track(p, id, ha_vec3_make((double)id, 0, 0), NULL));
  }
  CHECK_OK(ha_player_set_track_flags(p, 2, HA_TRACK_MUTE));
  CHECK_OK(ha_player_set_track_flags(p, 3, HA_TRACK_LOCK));
  CHECK_OK(ha_player_tick_once(p, 1.0));
  for (uint32_t id = 1; id <= 3; id++) {
    CHECK_OK(ha_player_device_echo(p, id, ha_vec3_make(5, 5, (double)id)));
  }
  CHECK_OK(ha_player_tick_once(p, 1.01));
  CHECK_OK(ha_player_tick_once(p, 1.02));
  ha_store_snapshot *snap = NULL;
  CHECK_OK(ha_store_snapshot_create(8, &snap));
  CHECK_OK(ha_store_read(ha_player_store(p), snap));
  CHECK_VEC_NEAR(ha_vec3_make(snap->x[0], snap->y[0], snap->z[0]), 5, 5, 1, 1e-12);
  CHECK_VEC_NEAR(ha_vec3_make(snap->x[1], snap->y[1], snap->z[1]), 2, 0, 0, 1e-12);
  CHECK_VEC_NEAR(ha_vec3_make(snap->x[2], snap->y[2], snap->z[2]), 3, 0, 0, 1e-12);
  ha_player_event ev;
  int moved = 0;
  while (ha_player_poll_event(p, &ev) == HA_OK) {
    moved += ev.type == HA_EVENT_BASE_CHANGED ? (int)ev.track : 100;
  }
  CHECK_INT(moved, 1); /* track 1's base, nothing else */
  ha_store_snapshot_destroy(snap);
  ha_player_destroy(p);
}

/* Track 2 locked; the others free. 1: group g (1, 2) starts. 2: preset
 * home on both. 3: c inline on 2 alone. */
static const char *lock_show =
    "{\"format\": 1,\n"
    " \"tracks\": [{\"id\": 1, \"position\": [0, 5, 0]},\n"
    "   {\"id\": 2, \"position\": [0, -5, 0], \"lock\": true}],\n"
    " \"animations\": [{\"name\": \"c\", \"model\": \"circular\", \"duration\": 8,\n"
    "    \"parameters\": {\"radius\": 1}}],\n"
    " \"groups\": [{\"name\": \"g\", \"animation\": \"c\", \"tracks\": [1, 2], \"mode\": "
    "\"relative\"}],\n"
    " \"presets\": [{\"name\": \"home\", \"positions\": {\"1\": [1, 1, 1], \"2\": [2, 2, 2]}}],\n"
    " \"cues\": [{\"number\": 1, \"actions\": [{\"type\": \"start\", \"group\": \"g\"}]},\n"
    "   {\"number\": 2, \"actions\": [{\"type\": \"preset\", \"preset\": \"home\", "
    "\"transition\": 0.5}]},\n"
    "   {\"number\": 3, \"actions\": [{\"type\": \"start\", \"animation\": \"c\", \"tracks\": "
    "[2]}]}]\n"
    "}";

static void test_lock_ignores_cues(void) {
  ha_show *show = NULL;
  test_show_load(lock_show, "lock.json", &show);
  if (show == NULL) {
    return;
  }
  const ha_vec3 base2 = ha_vec3_make(0, -5, 0);
  /* offline */
  ha_engine_config ec = ha_show_engine_config(show);
  ha_engine *e = NULL;
  CHECK_OK(ha_engine_create(&ec, &e, NULL));
  ha_show_instance *inst = NULL;
  CHECK_OK(ha_show_instantiate(show, e, 0.0, &inst, NULL));
  double x[2], y[2], z[2];
  CHECK_OK(ha_show_fire_cue(inst, 1, 0.5, NULL));
  CHECK_OK(ha_show_instance_evaluate(inst, 2.0, x, y, z, 2));
  CHECK(ha_vec3_dist(ha_vec3_make(x[0], y[0], z[0]), ha_vec3_make(0, 5, 0)) > 0.1);
  CHECK_VEC_NEAR(ha_vec3_make(x[1], y[1], z[1]), base2.x, base2.y, base2.z, 1e-12);
  CHECK_OK(ha_show_fire_cue(inst, 2, 2.0, NULL));
  CHECK_OK(ha_show_fire_cue(inst, 3, 2.0, NULL));
  CHECK_OK(ha_show_instance_evaluate(inst, 3.0, x, y, z, 2));
  CHECK_VEC_NEAR(ha_vec3_make(x[0], y[0], z[0]), 1, 1, 1, 1e-9);
  CHECK_VEC_NEAR(ha_vec3_make(x[1], y[1], z[1]), base2.x, base2.y, base2.z, 1e-12);
  /* live */
  ha_player *p = live_player(show);
  ha_store_snapshot *snap = NULL;
  CHECK_OK(ha_store_snapshot_create(ha_show_player_config(show, NULL).max_tracks, &snap));
  CHECK_OK(ha_show_player_play(show, p, NULL));
  int k = 0;
  tick_n(p, snap, &k, 50, 0);
  CHECK_OK(ha_show_player_fire_cue(show, p, 0, NULL));
  ha_vec3 p2 = tick_n(p, snap, &k, 150, 1);
  CHECK(ha_vec3_dist(ha_vec3_make(snap->x[0], snap->y[0], snap->z[0]), ha_vec3_make(0, 5, 0)) >
        0.1);
  CHECK_VEC_NEAR(p2, base2.x, base2.y, base2.z, 1e-12);
  CHECK_OK(ha_show_player_fire_cue(show, p, 1, NULL));
  CHECK_OK(ha_show_player_fire_cue(show, p, 2, NULL));
  p2 = tick_n(p, snap, &k, 100, 1);
  CHECK_VEC_NEAR(ha_vec3_make(snap->x[0], snap->y[0], snap->z[0]), 1, 1, 1, 1e-9);
  CHECK_VEC_NEAR(p2, base2.x, base2.y, base2.z, 1e-12);
  ha_player_event ev;
  int failed = 0;
  while (ha_player_poll_event(p, &ev) == HA_OK) {
    failed += ev.type == HA_EVENT_COMMAND_FAILED;
  }
  CHECK_INT(failed, 0); /* a start with every track locked starts nothing, quietly */
  /* unlocked, the cue moves it; locked again mid-move, it holds there,
   * through a stop that sends the others home */
  CHECK_OK(ha_player_set_track_flags(p, 2, 0));
  CHECK_OK(ha_show_player_fire_cue(show, p, 0, NULL));
  ha_vec3 moving = tick_n(p, snap, &k, 150, 1);
  CHECK(ha_vec3_dist(moving, base2) > 0.1);
  CHECK_OK(ha_player_set_track_flags(p, 2, HA_TRACK_LOCK));
  ha_vec3 held = tick_n(p, snap, &k, 1, 1);
  CHECK_OK(ha_player_stop(p, 0.5));
  ha_vec3 later = tick_n(p, snap, &k, 100, 1);
  CHECK_VEC_NEAR(later, held.x, held.y, held.z, 1e-12);
  CHECK_VEC_NEAR(ha_vec3_make(snap->x[0], snap->y[0], snap->z[0]), 0, 5, 0, 1e-9);
  ha_store_snapshot_destroy(snap);
  ha_player_destroy(p);
  ha_show_instance_destroy(inst);
  ha_engine_destroy(e);
  ha_show_destroy(show);
}

/* Track 1 rests at (0, 5, 0), far from circle c's start (radius 2 about
 * (0, 0, 1)); track 2 runs c from autoStart (no glide: it starts where the
 * show begins). Cue 1 starts c on track 1 at 1.0. */
static const char *glide_show =
    "{\"format\": 1,\n"
    " \"tracks\": [{\"id\": 1, \"position\": [0, 5, 0]}, {\"id\": 2, \"position\": [9, 9, 0]}],\n"
    " \"animations\": [{\"name\": \"c\", \"model\": \"circular\", \"duration\": 8,\n"
    "    \"parameters\": {\"radius\": 2, \"center\": [0, 0, 1]}}],\n"
    " \"groups\": [{\"name\": \"g\", \"animation\": \"c\", \"tracks\": [2], \"autoStart\": "
    "true}],\n"
    " \"cues\": [{\"number\": 1, \"actions\": [{\"type\": \"start\", \"animation\": \"c\", "
    "\"tracks\": [1]}]}]\n"
    "}";

static double from_circle(ha_vec3 q) {
  return fabs(hypot(q.x, q.y) - 2.0) + fabs(q.z - 1.0);
}

static void test_cue_start_glides(void) {
  ha_show *show = NULL;
  test_show_load(glide_show, "glide.json", &show);
  if (show == NULL) {
    return;
  }
  ha_engine_config ec = ha_show_engine_config(show);
  ha_engine *e = NULL;
  CHECK_OK(ha_engine_create(&ec, &e, NULL));
  ha_show_instance *inst = NULL;
  CHECK_OK(ha_show_instantiate(show, e, 0.0, &inst, NULL));
  ha_player *p = live_player(show);
  ha_store_snapshot *snap = NULL;
  CHECK_OK(ha_store_snapshot_create(ha_show_player_config(show, NULL).max_tracks, &snap));
  CHECK_OK(ha_show_player_play(show, p, NULL));
  const ha_vec3 base = ha_vec3_make(0, 5, 0);
  ha_vec3 prev = base, mid = base;
  double longest = 0.0, x[2], y[2], z[2];
  int reported = 0;
  for (int k = 0; k <= 300; k++) {
    double t = k * DT;
    if (k == 100) {
      CHECK_OK(ha_show_fire_cue(inst, 1, t, NULL));
      CHECK_OK(ha_show_player_fire_cue(show, p, 0, NULL));
    }
    CHECK_OK(ha_show_instance_evaluate(inst, t, x, y, z, 2));
    CHECK_OK(ha_player_tick_once(p, t));
    CHECK_OK(ha_store_read(ha_player_store(p), snap));
    ha_vec3 q = ha_vec3_make(x[0], y[0], z[0]);
    for (size_t i = 0; i < 2 && reported < 5; i++) {
      if (ha_vec3_dist(ha_vec3_make(x[i], y[i], z[i]),
                       ha_vec3_make(snap->x[i], snap->y[i], snap->z[i])) > 1e-9) {
        HA_T_FAIL("t = %.2f track %zu: offline (%g, %g, %g), live (%g, %g, %g)", t, i + 1, x[i],
                  y[i], z[i], snap->x[i], snap->y[i], snap->z[i]);
        reported++;
      }
    }
    longest = fmax(longest, ha_vec3_dist(prev, q));
    prev = q;
    if (k == 150) {
      mid = q;
    }
    if (k == 0) {
      /* autoStart: track 2 is on its path at once */
      CHECK_MSG(from_circle(ha_vec3_make(x[1], y[1], z[1])) < 1e-9, "track 2 glided at autoStart");
    }
  }
  /* the cue at 1.0: no step longer than a 1 s glide of ~6 m takes in a
   * tick (a jump is the whole 6 m); halfway it is off both the base and the
   * circle; after the glide it is on the circle */
  printf("longest step %.4f m, mid (%.3f %.3f %.3f)\n", longest, mid.x, mid.y, mid.z);
  CHECK_MSG(longest < 0.2, "a step of %g m: the cue's start jumped", longest);
  CHECK(ha_vec3_dist(mid, base) > 0.5 && from_circle(mid) > 0.5);
  CHECK_MSG(from_circle(prev) < 1e-9, "after the glide, %g m off the path", from_circle(prev));
  ha_store_snapshot_destroy(snap);
  ha_player_destroy(p);
  ha_show_instance_destroy(inst);
  ha_engine_destroy(e);
  ha_show_destroy(show);
}

int main(void) {
  RUN(test_mute_solo_on_the_wire);
  RUN(test_echoes_of_silent_and_locked_tracks);
  RUN(test_lock_ignores_cues);
  RUN(test_cue_start_glides);
  return test_done();
}
