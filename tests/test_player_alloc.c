/* The player's tick allocates nothing: 10,000 ticks of 32 tracks in two
 * groups (a relative circle and a ping-pong pendulum), with an update and a
 * speed change applied by the ticks and an output sending to a real UDP
 * receiver, counted by the malloc family test_alloc.h interposes in this
 * executable. The counter is first shown to count (alloc_self_test).
 *
 * Sanitizers replace malloc themselves, so under HA_SANITIZED (or without
 * glibc) the interposition is compiled out and the test exits 77 (skipped). */
#include <stdio.h>

#include "holoanim.h"
#include "test_alloc.h"

#ifndef HA_T_COUNTING

int main(void) {
  puts("skipped: the allocation counter needs glibc's malloc (no sanitizer)");
  return 77;
}

#else

#include <sys/socket.h>
#include <unistd.h>

#include "test.h"
#include "test_net.h"

enum { TRACKS = 32, TICKS = 10000 };

/* A counterclockwise circle of `radius` metres taking `duration` seconds. */
static ha_motion *circle(double radius, double duration) {
  ha_timing tm = {duration, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  return test_motionf("circular", &tm, "radius=%g\ndirection=counterclockwise", radius);
}

static void test_tick_allocates_nothing(void) {
  uint16_t port = 0;
  int rx = test_udp_receiver(&port);
  CHECK(rx >= 0);
  ha_player_config cfg = ha_player_config_default();
  cfg.max_tracks = 64;
  cfg.tick_rate = 200;
  ha_player *p = NULL;
  ha_error err;
  CHECK_OK(ha_player_create(&cfg, &p, &err));
  uint32_t tracks[TRACKS];
  for (uint32_t i = 0; i < TRACKS; i++) {
    tracks[i] = i + 1;
    CHECK_OK(ha_player_add_track(p, tracks[i], ha_vec3_make((double)tracks[i], 0, 0), &err));
  }
  ha_output_config oc = ha_output_config_default();
  oc.host = "127.0.0.1";
  oc.port = port;
  oc.rate_hz = 1000;
  oc.deadband_m = 0; /* every track every tick */
  CHECK_OK(ha_player_add_output(p, &oc, NULL, &err));

  ha_anim_spec sp = ha_anim_spec_default();
  sp.mode = HA_GROUP_RELATIVE;
  sp.phase_offset = 0.1;
  CHECK_OK(ha_player_start_animation(p, 1, circle(2, 4), &sp, tracks, TRACKS / 2));
  ha_timing tm = {3, HA_LOOP_PINGPONG, 1, HA_SEAM_BLEND};
  ha_motion *bounce = NULL;
  CHECK_OK(ha_motion_create("pendulum", NULL, &tm, &bounce, NULL));
  CHECK_OK(ha_player_start_animation(p, 2, bounce, NULL, tracks + TRACKS / 2, TRACKS / 2));
  CHECK_OK(ha_player_play(p));
  double now = 1000.0;
  CHECK_OK(ha_player_tick_once(p, now)); /* applies the commands (allocation-free too) */
  /* Commands queued from here on are built (allocated) by this control
   * thread before counting; the ticks that apply them must not allocate. */
  CHECK_OK(ha_player_update_animation(p, 1, circle(3, 4)));
  CHECK_OK(ha_player_set_speed(p, 1.5));
  alloc_count_start();
  for (int i = 1; i <= TICKS; i++) {
    ha_player_tick_once(p, now + i * 0.005);
    if (i % 64 == 0) {
      /* drain the receiver so the socket never pushes back */
      char buf[2048];
      while (recv(rx, buf, sizeof(buf), MSG_DONTWAIT) > 0) {
      }
    }
  }
  alloc_count_stop();
  printf("# allocations during %d ticks: %zu\n", TICKS, alloc_calls());
  CHECK_INT(alloc_calls(), 0);
  ha_player_status st;
  ha_player_get_status(p, &st);
  CHECK_INT(st.ticks, TICKS + 1);
  ha_output_stats os;
  ha_output_get_stats(ha_player_output(p, 0), &os);
  CHECK(os.messages >= (uint64_t)TICKS * TRACKS);
  ha_player_destroy(p);
  close(rx);
}

int main(void) {
  RUN(alloc_self_test);
  RUN(test_tick_allocates_nothing);
  return test_done();
}

#endif
