/* A stall is visible: a tick that starts stall_threshold periods late skips
 * the missed deadlines (counted in the status and the metrics) and reports
 * a HA_EVENT_STALL naming the track, its animation's tag and its model whose
 * evaluation took longest in the tick before.
 *
 * The stall is forced with the player's instrumentation callback
 * (ha_player_config.on_track_eval, passed to the engine): once the player runs, one evaluation of
 * track 3 sleeps 100 ms, 20 periods at 200 Hz. Only what arrives is checked,
 * never how long anything took; other stalls a loaded host may cause are
 * ignored. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "holoanim.h"
#include "test.h"

enum { SLOW_TRACK = 3, SLOW_TAG = 42 };

/* What the callback saw (its user pointer): calls for SLOW_TRACK, and
 * whether it slept. */
typedef struct stall_probe {
  atomic_int calls, slept;
} stall_probe;

static void slow_once(void *user, uint32_t track) {
  stall_probe *pr = user;
  /* Sleep once, after a few calls, so the tick grid is running. */
  if (track == SLOW_TRACK && atomic_fetch_add(&pr->calls, 1) == 20 &&
      !atomic_exchange(&pr->slept, 1)) {
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
}

static void test_stall_is_an_event_with_its_cause(void) {
  ha_player_config cfg = ha_player_config_default();
  cfg.max_tracks = 8;
  cfg.tick_rate = 200;
  stall_probe probe;
  atomic_init(&probe.calls, 0);
  atomic_init(&probe.slept, 0);
  cfg.on_track_eval = slow_once;
  cfg.on_track_eval_user = &probe;
  ha_player *p = NULL;
  ha_error err;
  CHECK_OK(ha_player_create(&cfg, &p, &err));
  for (uint32_t id = 1; id <= 4; id++) {
    CHECK_OK(ha_player_add_track(p, id, ha_vec3_make((double)id, 0, 0), &err));
  }
  ha_timing tm = {4, HA_LOOP_LOOP, 1, HA_SEAM_BLEND};
  /* Mirror keeps the tracks on the per-track path, which the engine times. */
  ha_anim_spec sp = ha_anim_spec_default();
  sp.mode = HA_GROUP_MIRROR;
  uint32_t fast[] = {1, 2};
  uint32_t slow[] = {3, 4};
  CHECK_OK(
      ha_player_start_animation(p, 7, test_motionf("circular", &tm, "radius=1"), &sp, fast, 2));
  CHECK_OK(
      ha_player_start_animation(p, SLOW_TAG, test_motionf("orbit", &tm, "radius=2"), &sp, slow, 2));
  CHECK_OK(ha_player_play(p));
  CHECK_OK(ha_player_start(p, &err));

  ha_player_event ev, found;
  memset(&found, 0, sizeof(found));
  double deadline = ha_monotonic_now() + 30.0; /* generous: only a guard */
  while (found.type != HA_EVENT_STALL && ha_monotonic_now() < deadline) {
    if (ha_player_poll_event(p, &ev) == HA_OK) {
      if (ev.type == HA_EVENT_STALL && ev.track == SLOW_TRACK) {
        found = ev;
      }
    } else {
      struct timespec ts = {0, 1000 * 1000};
      nanosleep(&ts, NULL);
    }
  }
  ha_player_shutdown(p);
  CHECK_INT(atomic_load(&probe.slept), 1);
  CHECK_INT(found.type, HA_EVENT_STALL);
  CHECK_INT(found.track, SLOW_TRACK);
  CHECK_INT(found.tag, SLOW_TAG);
  CHECK_STR(found.model != NULL ? found.model : "(null)", "orbit");
  CHECK(found.skipped > 0);
  CHECK(found.lateness > 0.0 && found.cost > 0.0);

  ha_player_status st;
  ha_player_get_status(p, &st);
  CHECK(st.stalls >= 1);
  CHECK(st.skipped_ticks >= found.skipped);
  static ha_metrics_snap snap; /* ~36 KB */
  CHECK_OK(ha_metrics_snapshot(ha_player_metrics(p), &snap));
  CHECK(snap.counters[HA_COUNTER_STALLS] >= 1);
  CHECK_INT(snap.counters[HA_COUNTER_SKIPPED_TICKS], st.skipped_ticks);
  ha_player_destroy(p);
}

/* The threshold is checked. */
static void test_stall_threshold_checked(void) {
  ha_player_config cfg = ha_player_config_default();
  CHECK_NEAR(cfg.stall_threshold, 3.0, 0);
  cfg.stall_threshold = 0.5;
  ha_player *p = NULL;
  ha_error err;
  CHECK(ha_player_create(&cfg, &p, &err) != HA_OK);
  CHECK_STR(err.name, "stallThreshold");
}

int main(void) {
  RUN(test_stall_threshold_checked);
  RUN(test_stall_is_an_event_with_its_cause);
  return test_done();
}
