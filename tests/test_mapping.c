/* Live data mapped to a value: the scaling (ranges, reversed ranges,
 * clamping, NaN refused), the smoothing (one-pole, slew, settling), a
 * player carrying inputs to its tick (latest wins, NaN never taken, the
 * value published and taken once per change, the metric counted), and
 * neither the inputs nor the ticks that smooth them allocate. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "holoanim.h"
#include "test_alloc.h"

static ha_mapping_config fader(double o0, double o1, double smoothing, ha_smoothing kind) {
  ha_mapping_config c = ha_mapping_config_default();
  c.in_min = 0.0;
  c.in_max = 1.0;
  c.out_min = o0;
  c.out_max = o1;
  c.smoothing = smoothing;
  c.kind = kind;
  return c;
}

static void test_config(void) {
  ha_error err;
  ha_mapping_config c = fader(1, 8, 0.2, HA_SMOOTH_ONE_POLE);
  CHECK_OK(ha_mapping_config_check(&c, &err));
  c.in_max = c.in_min; /* an empty input range cannot be scaled */
  CHECK_INT(ha_mapping_config_check(&c, &err), HA_EINVAL);
  CHECK_STR(err.name, "input");
  c = fader(1, NAN, 0.2, HA_SMOOTH_ONE_POLE);
  CHECK_INT(ha_mapping_config_check(&c, &err), HA_EINVAL);
  c = fader(1, 8, -1, HA_SMOOTH_ONE_POLE);
  CHECK_INT(ha_mapping_config_check(&c, &err), HA_ERANGE);
  CHECK_STR(err.name, "smoothing");
}

/* Input range to output range, clamped at both ends, either way round. */
static void test_scale(void) {
  ha_mapping_config c = fader(1, 8, 0, HA_SMOOTH_ONE_POLE);
  static const struct {
    double in, out;
  } cases[] = {{0.0, 1.0}, {1.0, 8.0},      {0.5, 4.5},      {-3.0, 1.0},
               {7.0, 8.0}, {INFINITY, 8.0}, {-INFINITY, 1.0}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    CHECK_NEAR(ha_mapping_scale(&c, cases[i].in), cases[i].out, 1e-12);
  }
  CHECK(isnan(ha_mapping_scale(&c, NAN)));
  /* A reversed output (a fader up = smaller) and a reversed input. */
  c = fader(8, 1, 0, HA_SMOOTH_ONE_POLE);
  CHECK_NEAR(ha_mapping_scale(&c, 0.25), 6.25, 1e-12);
  CHECK_NEAR(ha_mapping_scale(&c, 2.0), 1.0, 1e-12);
  c = fader(0, 10, 0, HA_SMOOTH_ONE_POLE);
  c.in_min = 127;
  c.in_max = 0; /* MIDI-style 0..127, upside down */
  CHECK_NEAR(ha_mapping_scale(&c, 127), 0.0, 1e-12);
  CHECK_NEAR(ha_mapping_scale(&c, 0), 10.0, 1e-12);
  /* An integer parameter: rounded, and kept inside a range with fractional ends. */
  c = fader(0.5, 6.5, 0, HA_SMOOTH_ONE_POLE);
  c.integer = true;
  CHECK_NEAR(ha_mapping_scale(&c, 0.0), 1.0, 1e-12);
  CHECK_NEAR(ha_mapping_scale(&c, 0.55), 4.0, 1e-12);
  CHECK_NEAR(ha_mapping_scale(&c, 1.0), 6.0, 1e-12);
}

/* One-pole: after one time constant 1 - 1/e of the way, then settled
 * exactly on the target; slew: a constant rate, the whole range in
 * `smoothing` seconds; no smoothing: at once. Never outside the range. */
static void test_smooth(void) {
  ha_mapping_config c = fader(0, 10, 0.2, HA_SMOOTH_ONE_POLE);
  double v = 0.0;
  for (int i = 0; i < 20; i++) {
    v = ha_mapping_smooth(&c, v, 10.0, 0.01);
  }
  CHECK_NEAR(v, 10.0 * (1.0 - exp(-1.0)), 1e-9);
  for (int i = 0; i < 400; i++) {
    v = ha_mapping_smooth(&c, v, 10.0, 0.01);
  }
  CHECK(v >= 10.0 && v <= 10.0); /* landed exactly: the value stops changing */
  CHECK_NEAR(ha_mapping_smooth(&c, 3.0, 10.0, 0.0), 3.0, 0);
  CHECK_NEAR(ha_mapping_smooth(&c, 3.0, NAN, 0.1), 3.0, 0);
  c = fader(0, 10, 2.0, HA_SMOOTH_SLEW); /* 5 per second */
  CHECK_NEAR(ha_mapping_smooth(&c, 0.0, 10.0, 0.5), 2.5, 1e-12);
  CHECK_NEAR(ha_mapping_smooth(&c, 9.0, 10.0, 0.5), 10.0, 1e-12);
  CHECK_NEAR(ha_mapping_smooth(&c, 9.0, 0.0, 0.5), 6.5, 1e-12);
  c = fader(0, 10, 0.0, HA_SMOOTH_SLEW);
  CHECK_NEAR(ha_mapping_smooth(&c, 0.0, 7.0, 0.01), 7.0, 0);
  CHECK_NEAR(ha_mapping_smooth(&c, NAN, 7.0, 0.01), 7.0, 0);
  c = fader(0, 10, 0.5, HA_SMOOTH_ONE_POLE);
  CHECK_NEAR(ha_mapping_smooth(&c, 20.0, 30.0, 0.01), 10.0, 0); /* clamped */
}

static ha_player *player_with_track(void) {
  ha_player *p = NULL;
  ha_player_config pc = ha_player_config_default();
  pc.max_tracks = 4;
  CHECK_OK(ha_player_create(&pc, &p, NULL));
  CHECK_OK(ha_player_add_track(p, 1, ha_vec3_make(0, 0, 0), NULL));
  return p;
}

/* Through a player, ticked by hand: an input reaches the value on the next
 * ticks (smoothed), NaN is refused and never applied, the latest of two
 * inputs wins, each change is taken once, and inputs are counted. */
static void test_player_slots(void) {
  ha_player *p = player_with_track();
  ha_mapping_config c = fader(1, 8, 0.1, HA_SMOOTH_SLEW); /* 70 per second */
  c.initial = 3.0;
  size_t idx = 99;
  CHECK_OK(ha_player_add_mapping(p, &c, &idx, NULL));
  CHECK_INT((int)idx, 0);
  CHECK_INT((int)ha_player_mapping_count(p), 1);
  ha_error err;
  ha_mapping_config bad = fader(1, 8, 100, HA_SMOOTH_SLEW);
  CHECK_INT(ha_player_add_mapping(p, &bad, NULL, &err), HA_ERANGE);
  double v = 0;
  ha_mapping_state ms;
  CHECK_OK(ha_player_tick_once(p, 10.0));
  CHECK_INT(ha_player_mapping_take(p, 0, &v), HA_EAGAIN); /* no input: nothing drives */
  CHECK_OK(ha_player_mapping_get(p, 0, &ms));
  CHECK(!ms.active);
  CHECK_INT(ha_player_map_input(p, 0, NAN), HA_EINVAL);
  CHECK_INT(ha_player_map_input(p, 3, 0.5), HA_ENOTFOUND);
  CHECK_OK(ha_player_tick_once(p, 10.01));
  CHECK_INT(ha_player_mapping_take(p, 0, &v), HA_EAGAIN); /* the NaN was never taken */
  CHECK_OK(ha_player_map_input(p, 0, 0.0));
  CHECK_OK(ha_player_map_input(p, 0, 1.0)); /* latest wins: 8 */
  CHECK_OK(ha_player_tick_once(p, 10.02));  /* 10 ms at 70/s from 3: 3.7 */
  CHECK_OK(ha_player_mapping_take(p, 0, &v));
  CHECK_NEAR(v, 3.7, 1e-9);
  CHECK_INT(ha_player_mapping_take(p, 0, &v), HA_EAGAIN); /* taken once */
  for (int i = 3; i < 30; i++) {
    CHECK_OK(ha_player_tick_once(p, 10.0 + 0.01 * i));
  }
  CHECK_OK(ha_player_mapping_take(p, 0, &v));
  CHECK_NEAR(v, 8.0, 0);
  CHECK_INT(ha_player_map_input(p, 0, NAN), HA_EINVAL); /* refused again: the value stays */
  CHECK_OK(ha_player_mapping_get(p, 0, &ms));
  CHECK(ms.active);
  CHECK_NEAR(ms.value, 8.0, 0);
  CHECK_NEAR(ms.target, 8.0, 0);
  CHECK_INT((int)ms.inputs, 2);
  static ha_metrics_snap snap;
  CHECK_OK(ha_metrics_snapshot(ha_player_metrics(p), &snap));
  CHECK_INT((int)snap.counters[HA_COUNTER_MAPPED], 2);
  ha_player_destroy(p);
}

#ifndef HA_T_COUNTING /* a sanitizer owns malloc: nothing is counted */
static void alloc_count_start(void) {}
static void alloc_count_stop(void) {}
static void alloc_self_test(void) {}
#endif

/* 1,000 inputs and ticks smoothing them: no allocation (the counting
 * allocator of test_alloc.h; compiled out under a sanitizer). */
static void test_no_allocation(void) {
  ha_player *p = player_with_track();
  ha_mapping_config c = fader(1, 8, 0.2, HA_SMOOTH_ONE_POLE);
  CHECK_OK(ha_player_add_mapping(p, &c, NULL, NULL));
  CHECK_OK(ha_player_tick_once(p, 1.0));
  double v = 0;
  alloc_count_start();
  for (int i = 1; i <= 1000; i++) {
    ha_player_map_input(p, 0, (i % 100) / 100.0);
    ha_player_tick_once(p, 1.0 + i * 0.01);
    ha_player_mapping_take(p, 0, &v);
  }
  alloc_count_stop();
#ifdef HA_T_COUNTING
  printf("# allocations during 1000 inputs and ticks: %zu\n", alloc_calls());
  CHECK_INT(alloc_calls(), 0);
#endif
  CHECK(v > 1.0 && v < 8.0);
  ha_player_destroy(p);
}

/* A control thread's inputs to a running player (its own tick thread):
 * the last one wins, the tick smooths to it (run under TSan in
 * scripts/test.sh). */
static void *send_inputs(void *arg) {
  ha_player *p = arg;
  for (int i = 0; i <= 20000; i++) {
    ha_player_map_input(p, 0, (i % 1000) / 1000.0);
  }
  ha_player_map_input(p, 0, 0.25);
  return NULL;
}

static void test_threads(void) {
  ha_player *p = player_with_track();
  ha_mapping_config c = fader(0, 8, 0.02, HA_SMOOTH_SLEW);
  CHECK_OK(ha_player_add_mapping(p, &c, NULL, NULL));
  CHECK_OK(ha_player_start(p, NULL));
  pthread_t th;
  CHECK(pthread_create(&th, NULL, send_inputs, p) == 0);
  pthread_join(th, NULL);
  ha_mapping_state ms = {0};
  double end = ha_monotonic_now() + 60;
  while (ha_monotonic_now() < end) { /* a generous deadline, nothing timed */
    ha_player_mapping_get(p, 0, &ms);
    if (ms.value >= 2.0 && ms.value <= 2.0) {
      break;
    }
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
  CHECK_NEAR(ms.value, 2.0, 0);
  CHECK_INT((int)ms.inputs, 20002);
  ha_player_destroy(p);
}

int main(void) {
  RUN(alloc_self_test);
  RUN(test_config);
  RUN(test_scale);
  RUN(test_smooth);
  RUN(test_player_slots);
  RUN(test_no_allocation);
  RUN(test_threads);
  return test_done();
}
