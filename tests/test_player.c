/* The player: commands reach the tick, positions reach a real UDP receiver
 * on 127.0.0.1 and match the engine, LTP takeover, stop with fade, seek,
 * speed, conflicts from device echoes, show end, the thread streaming to UDP
 * (a ThreadSanitizer target). That the tick allocates nothing is
 * test_player_alloc.c's job. */
#include <unistd.h>

#include "holoanim.h"
#include "test.h"
#include "test_net.h"

/* A counterclockwise circle of `radius` metres taking `duration` seconds. */
static ha_motion *circle(double radius, double duration, ha_loop_mode loop) {
  ha_timing tm = {duration, loop, 1.0, HA_SEAM_BLEND};
  return test_motionf("circular", &tm, "radius=%g\ndirection=counterclockwise", radius);
}

static ha_player *make_player(uint16_t port, size_t ntracks) {
  ha_player_config cfg = ha_player_config_default();
  cfg.max_tracks = 64;
  cfg.tick_rate = 200;
  ha_player *p = NULL;
  ha_error err;
  CHECK_OK(ha_player_create(&cfg, &p, &err));
  for (uint32_t id = 1; id <= ntracks; id++) {
    CHECK_OK(ha_player_add_track(p, id, ha_vec3_make((double)id, 0, 0), &err));
  }
  if (port != 0) {
    ha_output_config oc = ha_output_config_default();
    oc.host = "127.0.0.1";
    oc.port = port;
    oc.rate_hz = 1000;
    oc.deadband_m = 0; /* send everything: the test compares values */
    CHECK_OK(ha_player_add_output(p, &oc, NULL, &err));
  }
  return p;
}

/* A player of `ntracks` tracks (no output), animation 1 circling track 1
 * (radius m, 4 s loop), playing. */
static ha_player *circling(size_t ntracks, double radius) {
  ha_player *p = make_player(0, ntracks);
  uint32_t t1[1] = {1};
  CHECK_OK(ha_player_start_animation(p, 1, circle(radius, 4, HA_LOOP_LOOP), NULL, t1, 1));
  CHECK_OK(ha_player_play(p));
  return p;
}

static void test_positions_match_engine(void) {
  ha_player *p = make_player(0, 3);
  uint32_t t12[2] = {1, 2};
  ha_anim_spec sp = ha_anim_spec_default();
  sp.phase_offset = 0.5;
  ha_motion *ref = circle(2, 4, HA_LOOP_LOOP);
  CHECK_OK(ha_player_start_animation(p, 7, circle(2, 4, HA_LOOP_LOOP), &sp, t12, 2));
  CHECK_OK(ha_player_play(p));
  double t0 = 50.0;
  CHECK_OK(ha_player_tick_once(p, t0));
  ha_store_snapshot *snap = NULL;
  CHECK_OK(ha_store_snapshot_create(64, &snap));
  for (int i = 1; i < 100; i++) {
    double now = t0 + i * 0.013;
    CHECK_OK(ha_player_tick_once(p, now));
    CHECK_OK(ha_store_read(ha_player_store(p), snap));
    double t = now - t0;
    CHECK_NEAR(snap->time, t, 1e-9);
    ha_track_ctx c0 = {1, 0.0, NULL, NULL}, c1 = {2, 0.5, NULL, NULL};
    ha_vec3 e0 = ha_motion_eval(ref, t, &c0), e1 = ha_motion_eval(ref, t, &c1);
    CHECK_VEC_NEAR(ha_vec3_make(snap->x[0], snap->y[0], snap->z[0]), e0.x, e0.y, e0.z, 1e-12);
    CHECK_VEC_NEAR(ha_vec3_make(snap->x[1], snap->y[1], snap->z[1]), e1.x, e1.y, e1.z, 1e-12);
    CHECK_NEAR(snap->x[2], 3.0, 0); /* idle at its base */
  }
  /* pause freezes, seek jumps, speed scales */
  CHECK_OK(ha_player_pause(p));
  CHECK_OK(ha_player_tick_once(p, t0 + 2.0));
  CHECK_OK(ha_store_read(ha_player_store(p), snap));
  double frozen = snap->time;
  CHECK_OK(ha_player_tick_once(p, t0 + 9.0));
  CHECK_OK(ha_store_read(ha_player_store(p), snap));
  CHECK_NEAR(snap->time, frozen, 0);
  CHECK_OK(ha_player_seek(p, 1.0));
  CHECK_OK(ha_player_set_speed(p, 2.0));
  CHECK_OK(ha_player_play(p));
  CHECK_OK(ha_player_tick_once(p, t0 + 10.0));
  CHECK_OK(ha_player_tick_once(p, t0 + 10.5));
  CHECK_OK(ha_store_read(ha_player_store(p), snap));
  CHECK_NEAR(snap->time, 2.0, 1e-9);
  ha_vec3 e = ha_motion_eval(ref, 2.0, NULL);
  CHECK_VEC_NEAR(ha_vec3_make(snap->x[0], snap->y[0], snap->z[0]), e.x, e.y, e.z, 1e-12);
  ha_store_snapshot_destroy(snap);
  ha_motion_destroy(ref);
  ha_player_destroy(p);
}

static void test_takeover_stop_conflict_end(void) {
  ha_player *p = circling(2, 2);
  uint32_t t1[1] = {1};
  double now = 10.0;
  CHECK_OK(ha_player_tick_once(p, now));
  /* last takes precedence: tag 2 takes track 1 */
  CHECK_OK(ha_player_start_animation(p, 2, circle(5, 4, HA_LOOP_ONCE), NULL, t1, 1));
  CHECK_OK(ha_player_tick_once(p, now += 0.01));
  ha_player_event ev;
  /* An echo far from what we sent is a conflict. */
  CHECK_OK(ha_player_device_echo(p, 1, ha_vec3_make(40, 40, 0)));
  CHECK_OK(ha_player_tick_once(p, now += 0.01));
  int conflicts = 0, base_changed = 0, ended = 0, show_ended = 0;
  /* An echo for the idle track 2 moves its base. */
  CHECK_OK(ha_player_device_echo(p, 2, ha_vec3_make(7, 7, 0)));
  /* Our own echo is not a conflict. */
  ha_store_snapshot *snap = NULL;
  ha_store_snapshot_create(64, &snap);
  ha_store_read(ha_player_store(p), snap);
  CHECK_OK(ha_player_device_echo(p, 1, ha_vec3_make(snap->x[0], snap->y[0], snap->z[0])));
  for (int i = 0; i < 600; i++) {
    CHECK_OK(ha_player_tick_once(p, now += 0.01)); /* 6 s: the once circle ends at 4 s */
  }
  while (ha_player_poll_event(p, &ev) == HA_OK) {
    conflicts += ev.type == HA_EVENT_CONFLICT;
    base_changed += ev.type == HA_EVENT_BASE_CHANGED && ev.track == 2;
    ended += ev.type == HA_EVENT_ANIMATION_ENDED && ev.tag == 2;
    show_ended += ev.type == HA_EVENT_SHOW_ENDED;
  }
  CHECK_INT(conflicts, 1);
  CHECK_INT(base_changed, 1);
  CHECK_INT(ended, 1);
  CHECK_INT(show_ended, 1);
  ha_store_read(ha_player_store(p), snap);
  CHECK_NEAR(snap->x[1], 7.0, 1e-12);
  ha_player_status st;
  ha_player_get_status(p, &st);
  CHECK_INT(st.conflicts, 1);
  /* stop with a 1 s fade: tracks glide home, then the transport is at 0. */
  CHECK_OK(ha_player_stop(p, 1.0));
  CHECK_OK(ha_player_tick_once(p, now += 0.01));
  ha_store_read(ha_player_store(p), snap);
  CHECK(fabs(snap->x[0] - 1.0) > 0.5); /* not home yet */
  for (int i = 0; i < 150; i++)
    CHECK_OK(ha_player_tick_once(p, now += 0.01));
  ha_store_read(ha_player_store(p), snap);
  CHECK_NEAR(snap->x[0], 1.0, 1e-9);
  CHECK_NEAR(snap->y[0], 0.0, 1e-9);
  CHECK_NEAR(snap->time, 0.0, 0);
  ha_player_get_status(p, &st);
  CHECK(!st.playing);
  /* A command that fails on the tick comes back as an event. */
  CHECK_OK(ha_player_stop_track(p, 99, 0));
  CHECK_OK(ha_player_tick_once(p, now += 0.01));
  int failed = 0;
  while (ha_player_poll_event(p, &ev) == HA_OK) {
    failed += ev.type == HA_EVENT_COMMAND_FAILED && ev.track == 99 && ev.status == HA_ENOTFOUND;
  }
  CHECK_INT(failed, 1);
  ha_store_snapshot_destroy(snap);
  ha_player_destroy(p);
}

/* A live edit while paused shows at once: the new motion at the paused time,
 * not a blend that waits for transport time to move. While playing, the
 * edit still blends over the player's blend window. */
static void test_edit_while_paused_shows_at_once(void) {
  ha_player *p = circling(1, 1);
  double now = 5.0;
  for (int i = 0; i < 100; i++) {
    CHECK_OK(ha_player_tick_once(p, now += 0.01));
  }
  CHECK_OK(ha_player_pause(p));
  CHECK_OK(ha_player_tick_once(p, now += 0.01));
  ha_store_snapshot *snap = NULL;
  CHECK_OK(ha_store_snapshot_create(64, &snap));
  CHECK_OK(ha_store_read(ha_player_store(p), snap));
  double t = snap->time;
  CHECK(t > 0.5);
  CHECK_OK(ha_player_update_animation(p, 1, circle(3, 4, HA_LOOP_LOOP)));
  CHECK_OK(ha_player_tick_once(p, now += 0.01));
  CHECK_OK(ha_store_read(ha_player_store(p), snap));
  CHECK_NEAR(snap->time, t, 0); /* still paused */
  ha_motion *wide = circle(3, 4, HA_LOOP_LOOP);
  ha_track_ctx c = {1, 0.0, NULL, NULL};
  ha_vec3 e = ha_motion_eval(wide, t, &c);
  CHECK_VEC_NEAR(ha_vec3_make(snap->x[0], snap->y[0], snap->z[0]), e.x, e.y, e.z, 1e-12);
  /* playing, an edit blends: the first tick after it is still near the old circle */
  CHECK_OK(ha_player_play(p));
  CHECK_OK(ha_player_tick_once(p, now += 0.01));
  CHECK_OK(ha_player_update_animation(p, 1, circle(1, 4, HA_LOOP_LOOP)));
  CHECK_OK(ha_player_tick_once(p, now += 0.005));
  CHECK_OK(ha_store_read(ha_player_store(p), snap));
  ha_vec3 w = ha_motion_eval(wide, snap->time, &c);
  CHECK(hypot(snap->x[0] - w.x, snap->y[0] - w.y) < 0.5);
  ha_motion_destroy(wide);
  ha_store_snapshot_destroy(snap);
  ha_player_destroy(p);
}

static void test_thread_streams_to_udp(void) {
  uint16_t port;
  int rx = test_udp_receiver(&port);
  ha_player *p = make_player(port, 4);
  uint32_t t[4] = {1, 2, 3, 4};
  ha_anim_spec sp = ha_anim_spec_default();
  sp.phase_spread = true;
  CHECK_OK(ha_player_start_animation(p, 1, circle(3, 2, HA_LOOP_LOOP), &sp, t, 4));
  CHECK_OK(ha_player_play(p));
  ha_error err;
  CHECK_OK(ha_player_start(p, &err));
  CHECK_INT(ha_player_add_track(p, 9, ha_vec3_zero(), &err), HA_EINVAL);
  /* Collect and decode the first 200 messages (the time this takes is not
   * asserted: sanitizers and a busy machine slow the thread down). */
  double until = ha_monotonic_now() + 30.0;
  int msgs = 0, bad = 0;
  uint8_t buf[2048];
  while (msgs < 200 && ha_monotonic_now() < until) {
    ssize_t n = test_udp_recv(rx, buf, sizeof(buf), 50);
    if (n <= 0)
      continue;
    ha_osc_message m;
    ha_osc_arg args[4];
    if (ha_osc_decode_message(buf, (size_t)n, &m, args, 4, NULL) != HA_OK) {
      bad++;
      continue;
    }
    uint32_t idx;
    const char *rest;
    if (ha_osc_parse_indexed(m.address, "/track/", &idx, &rest) && strcmp(rest, "/xyz") == 0 &&
        m.arg_count == 3 && idx >= 1 && idx <= 4) {
      msgs++;
      double r = hypot(args[0].v.f, args[1].v.f);
      CHECK_NEAR(r, 3.0, 1e-5); /* float32 on the wire */
    } else {
      bad++;
    }
  }
  ha_player_status st;
  ha_player_get_status(p, &st);
  CHECK(st.running);
  /* 200 messages of 4 tracks need 50 ticks; the last may still be finishing. */
  CHECK(st.ticks >= 49);
  printf("received %d messages, ticks %llu, late %llu\n", msgs, (unsigned long long)st.ticks,
         (unsigned long long)st.late_ticks);
  CHECK_INT(msgs, 200);
  CHECK_INT(bad, 0);
  ha_player_shutdown(p);
  ha_player_get_status(p, &st);
  CHECK(!st.running);
  CHECK_INT(ha_player_tick_once(p, 0.0), HA_OK); /* usable without the thread again */
  ha_player_destroy(p);
  close(rx);
}

static void test_pause_flushes_outputs(void) {
  uint16_t port;
  int rx = test_udp_receiver(&port);
  ha_player_config cfg = ha_player_config_default();
  cfg.max_tracks = 8;
  ha_player *p = NULL;
  CHECK_OK(ha_player_create(&cfg, &p, NULL));
  for (uint32_t id = 1; id <= 3; id++) {
    CHECK_OK(ha_player_add_track(p, id, ha_vec3_make((double)id, 0, 0), NULL));
  }
  ha_output_config oc = ha_output_config_default();
  oc.host = "127.0.0.1";
  oc.port = port;
  oc.rate_hz = 1000;
  oc.deadband_m = 10;  /* nothing moves enough to be resent... */
  oc.keep_alive_s = 0; /* ...and no keep-alive */
  CHECK_OK(ha_player_add_output(p, &oc, NULL, NULL));
  double now = 10.0;
  for (int i = 0; i < 5; i++)
    CHECK_OK(ha_player_tick_once(p, now += 0.01));
  ha_output_stats a, b;
  ha_output_get_stats(ha_player_output(p, 0), &a);
  CHECK_INT(a.messages, 3); /* the first send only */
  CHECK_OK(ha_player_pause(p));
  CHECK_OK(ha_player_tick_once(p, now += 0.01));
  CHECK_OK(ha_player_tick_once(p, now += 0.01));
  ha_output_get_stats(ha_player_output(p, 0), &b);
  CHECK_INT(b.messages, 6); /* the pause sent every track once more, then nothing */
  /* The tick adds each call's report to the metrics: they match the
   * output's own counters. */
  ha_metrics_snap ms;
  CHECK_OK(ha_metrics_snapshot(ha_player_metrics(p), &ms));
  CHECK_INT(ms.counters[HA_COUNTER_MESSAGES], b.messages);
  CHECK_INT(ms.counters[HA_COUNTER_BYTES], b.bytes);
  CHECK_INT(ms.counters[HA_COUNTER_SEND_ERRORS], 0);
  ha_player_destroy(p);
  close(rx);
}

int main(void) {
  RUN(test_pause_flushes_outputs);
  RUN(test_positions_match_engine);
  RUN(test_takeover_stop_conflict_end);
  RUN(test_edit_while_paused_shows_at_once);
  RUN(test_thread_streams_to_udp);
  return test_done();
}
