/* Device echoes never starve transport commands: each track has its own
 * latest-wins echo slot, so a flood of echoes (far more than the 4096-entry
 * command queue) leaves play/stop/seek accepted and applied, and the last
 * echo of each track is the one the tick takes; a slot keeps the last few,
 * so another controller's move followed at once by our own echo is still
 * a conflict. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "holoanim.h"
#include "test.h"

enum { TRACKS = 4, FLOOD = 40000 };

static ha_player *make_player_window(double echo_window) {
  ha_player_config cfg = ha_player_config_default();
  cfg.max_tracks = 8;
  cfg.echo_window = echo_window;
  ha_player *p = NULL;
  ha_error err;
  CHECK_OK(ha_player_create(&cfg, &p, &err));
  for (uint32_t id = 1; id <= TRACKS; id++) {
    CHECK_OK(ha_player_add_track(p, id, ha_vec3_make((double)id, 0, 0), &err));
  }
  return p;
}

static ha_player *make_player(void) {
  return make_player_window(ha_player_config_default().echo_window);
}

/* Track 1 on a circle of `radius`, playing, first tick at t = 10 s. */
static void play_circle(ha_player *p, const char *radius) {
  ha_timing tm = {4, HA_LOOP_LOOP, 1, HA_SEAM_BLEND};
  uint32_t track = 1;
  CHECK_OK(ha_player_start_animation(p, 1, test_motionf("circular", &tm, radius), NULL, &track, 1));
  CHECK_OK(ha_player_play(p));
  CHECK_OK(ha_player_tick_once(p, 10.0));
}

/* Conflict events on track 1 waiting in the player's queue. */
static int conflicts_on_track1(ha_player *p) {
  ha_player_event ev;
  int conflicts = 0;
  while (ha_player_poll_event(p, &ev) == HA_OK) {
    conflicts += ev.type == HA_EVENT_CONFLICT && ev.track == 1;
  }
  return conflicts;
}

/* The k-th echo of track `id`: 1 m from the one before. */
static ha_vec3 echo_at(uint32_t id, int k) {
  return ha_vec3_make(1000.0 * id + k, 0, 0);
}

/* Where the store says track `id` is. */
static ha_vec3 stored(ha_player *p, uint32_t id) {
  ha_store_snapshot *snap = NULL;
  CHECK_OK(ha_store_snapshot_create(8, &snap));
  CHECK_OK(ha_store_read(ha_player_store(p), snap));
  ha_vec3 v = ha_vec3_make(NAN, NAN, NAN);
  for (size_t i = 0; i < snap->count; i++) {
    if (snap->ids[i] == id) {
      v = ha_vec3_make(snap->x[i], snap->y[i], snap->z[i]);
    }
  }
  ha_store_snapshot_destroy(snap);
  return v;
}

/* Before any tick: 10,000 echoes queued, then transport commands are still
 * accepted, the tick applies exactly those, and each track's last echo wins. */
static void test_echo_flood_leaves_room_for_commands(void) {
  ha_player *p = make_player();
  for (int k = 0; k < 10000; k++) {
    uint32_t id = (uint32_t)(k % TRACKS) + 1;
    CHECK_OK(ha_player_device_echo(p, id, echo_at(id, k)));
  }
  CHECK_OK(ha_player_play(p));
  CHECK_OK(ha_player_seek(p, 1.0));
  CHECK_OK(ha_player_stop(p, 0.0));
  CHECK_OK(ha_player_tick_once(p, 10.0));
  ha_player_status st;
  ha_player_get_status(p, &st);
  CHECK_INT(st.commands, 3);
  CHECK_INT(st.commands_dropped, 0);
  for (uint32_t id = 1; id <= TRACKS; id++) {
    ha_vec3 v = stored(p, id);
    ha_vec3 last = echo_at(id, 10000 - TRACKS + (int)id - 1);
    CHECK_VEC_NEAR(v, last.x, last.y, last.z, 0);
  }
  ha_player_destroy(p);
}

typedef struct flood_arg {
  ha_player *p;
  atomic_int done;
  int refused;
} flood_arg;

static void *flood_main(void *arg) {
  flood_arg *a = arg;
  for (int k = 0; k < FLOOD; k++) {
    uint32_t id = (uint32_t)(k % TRACKS) + 1;
    if (ha_player_device_echo(a->p, id, echo_at(id, k)) != HA_OK) {
      a->refused++;
    }
  }
  atomic_store(&a->done, 1);
  return NULL;
}

/* A thread floods echoes while this one sends play/stop and ticks: every
 * transport command is accepted and applied; the last echo per track wins. */
static void test_echo_flood_from_a_thread(void) {
  ha_player *p = make_player();
  flood_arg a = {p, 0, 0};
  pthread_t th;
  CHECK_INT(pthread_create(&th, NULL, flood_main, &a), 0);
  uint64_t sent = 0;
  double now = 10.0;
  int rounds = 0;
  while (!atomic_load(&a.done) || rounds < 100) {
    CHECK_OK(rounds % 2 == 0 ? ha_player_play(p) : ha_player_stop(p, 0.0));
    sent++;
    now += 0.01;
    CHECK_OK(ha_player_tick_once(p, now));
    rounds++;
  }
  CHECK_INT(pthread_join(th, NULL), 0);
  CHECK_INT(a.refused, 0);
  CHECK_OK(ha_player_stop(p, 0.0));
  sent++;
  CHECK_OK(ha_player_tick_once(p, now + 0.01));
  CHECK_OK(ha_player_tick_once(p, now + 0.02));
  ha_player_status st;
  ha_player_get_status(p, &st);
  CHECK_INT(st.commands, sent);
  CHECK_INT(st.commands_dropped, 0);
  for (uint32_t id = 1; id <= TRACKS; id++) {
    ha_vec3 v = stored(p, id);
    ha_vec3 last = echo_at(id, FLOOD - TRACKS + (int)id - 1);
    CHECK_VEC_NEAR(v, last.x, last.y, last.z, 0);
  }
  ha_player_destroy(p);
}

/* Another controller's move reported just before our own echo (both
 * between two ticks) is still seen: a conflict on the animated track. */
static void test_move_before_own_echo_is_a_conflict(void) {
  ha_player *p = make_player();
  play_circle(p, "radius=1");
  ha_vec3 ours = stored(p, 1);
  CHECK_OK(ha_player_device_echo(p, 1, ha_vec3_make(40, 40, 0))); /* the grab */
  CHECK_OK(ha_player_device_echo(p, 1, ours));                    /* then our own */
  CHECK_OK(ha_player_tick_once(p, 10.01));
  CHECK_INT(conflicts_on_track1(p), 1);
  ha_player_destroy(p);
}

/* Our own echo that comes back late (1.49 s after we sent the position: a
 * loaded device, network or machine) is still ours within echo_window
 * (default 2 s); with a 50 ms window the same echo is another controller. */
static int late_echo_conflicts(double echo_window) {
  ha_player *p = make_player_window(echo_window);
  play_circle(p, "radius=3");
  ha_vec3 first = stored(p, 1);
  for (int k = 1; k < 150; k++) { /* 149 more ticks at 100 Hz */
    CHECK_OK(ha_player_tick_once(p, 10.0 + 0.01 * k));
  }
  CHECK(ha_vec3_dist(first, stored(p, 1)) > 1.0); /* the source has moved on */
  CHECK_OK(ha_player_device_echo(p, 1, first));
  CHECK_OK(ha_player_tick_once(p, 11.5));
  int conflicts = conflicts_on_track1(p);
  ha_player_destroy(p);
  return conflicts;
}

static void test_late_own_echo_is_ours(void) {
  CHECK_INT(late_echo_conflicts(2.0), 0);
  CHECK_INT(late_echo_conflicts(0.05), 1);
}

/* After the echo history has wrapped round several times (10 s of ticks, a
 * 2 s window), a position of 1.5 s ago is still ours and one of 3 s ago
 * (90 degrees round the 4 s circle from anything of the last 2 s) is
 * another controller's. */
static void test_echo_after_history_wraps(void) {
  ha_player *p = make_player_window(2.0);
  play_circle(p, "radius=3");
  ha_vec3 ago3 = ha_vec3_zero(), ago15 = ha_vec3_zero();
  for (int k = 1; k <= 1000; k++) {
    CHECK_OK(ha_player_tick_once(p, 10.0 + 0.01 * k));
    if (k == 700) {
      ago3 = stored(p, 1);
    } else if (k == 850) {
      ago15 = stored(p, 1);
    }
  }
  CHECK_OK(ha_player_device_echo(p, 1, ago15));
  CHECK_OK(ha_player_tick_once(p, 20.01));
  CHECK_INT(conflicts_on_track1(p), 0);
  CHECK_OK(ha_player_device_echo(p, 1, ago3));
  CHECK_OK(ha_player_tick_once(p, 20.02));
  CHECK_INT(conflicts_on_track1(p), 1);
  ha_player_destroy(p);
}

static void test_echo_window_checked(void) {
  ha_player_config cfg = ha_player_config_default();
  ha_player *p = NULL;
  ha_error err;
  cfg.echo_window = 0.0;
  CHECK(ha_player_create(&cfg, &p, &err) != HA_OK && p == NULL);
  CHECK(strstr(err.message, "echoWindow") != NULL);
}

int main(void) {
  RUN(test_echo_flood_leaves_room_for_commands);
  RUN(test_echo_flood_from_a_thread);
  RUN(test_move_before_own_echo_is_a_conflict);
  RUN(test_late_own_echo_is_ours);
  RUN(test_echo_after_history_wraps);
  RUN(test_echo_window_checked);
  return test_done();
}
