/* The tick's "must not" list, proven on a running player: while the tick
 * thread applies starts, updates, stops, gotos, cues, seeks, pauses, echoes
 * and a panic sent by this (control) thread, and sends to a UDP receiver,
 * it neither allocates (the malloc family of test_alloc.h) nor calls stdio
 * (the printf family, puts, fputs, fputc, putchar, fwrite and fopen,
 * interposed below and forwarded to the C library through dlsym). Only
 * calls from threads other than this one are counted: the control thread
 * marks itself exempt, so the only counted thread is the player's tick.
 * Each counter is first shown to count, the stdio one also for a call made
 * inside the library (it is linked statically, so its calls land here).
 *
 * Under a sanitizer the allocation count is compiled out (the sanitizer owns
 * malloc) and, if the stdio interposition does not count either, the test
 * exits 77 (skipped). */
#undef _FORTIFY_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "holoanim.h"
#include "holoanim/show.h"
#include "holoanim/show_player.h"
#include "test_alloc.h"
#include "test_net.h"
#include "test_show.h"

/* ---- stdio, interposed ---- */

static volatile int stdio_on;
static _Atomic size_t stdio_calls;
static _Thread_local int stdio_exempt;

typedef int (*vsnprintf_fn)(char *, size_t, const char *, va_list);
typedef int (*vsprintf_fn)(char *, const char *, va_list);
typedef int (*vfprintf_fn)(FILE *, const char *, va_list);
typedef int (*fputs_fn)(const char *, FILE *);
typedef int (*fputc_fn)(int, FILE *);
typedef size_t (*fwrite_fn)(const void *, size_t, size_t, FILE *);
typedef FILE *(*fopen_fn)(const char *, const char *);

static struct {
  vsnprintf_fn vsnprintf;
  vsprintf_fn vsprintf;
  vfprintf_fn vfprintf;
  fputs_fn fputs;
  fputc_fn fputc;
  fwrite_fn fwrite;
  fopen_fn fopen;
} real;

/* The C library's own functions (once, before any thread starts, and
 * lazily for a call made before main). */
#define RESOLVE(name)                      \
  do {                                     \
    void *sym = dlsym(RTLD_NEXT, #name);   \
    memcpy(&real.name, &sym, sizeof(sym)); \
  } while (0)

static void resolve_real(void) {
  if (real.vfprintf != NULL) {
    return;
  }
  /* POSIX guarantees dlsym's object pointer holds a function's address;
   * ISO C has no conversion, so it is copied. */
  RESOLVE(vsnprintf);
  RESOLVE(vsprintf);
  RESOLVE(fputs);
  RESOLVE(fputc);
  RESOLVE(fwrite);
  RESOLVE(fopen);
  RESOLVE(vfprintf);
}

static void note_stdio(void) {
  resolve_real();
  if (stdio_on && !stdio_exempt) {
    stdio_calls++;
  }
}

int vsnprintf(char *s, size_t n, const char *fmt, va_list ap) {
  note_stdio();
  return real.vsnprintf(s, n, fmt, ap);
}
int snprintf(char *s, size_t n, const char *fmt, ...) {
  note_stdio();
  va_list ap;
  va_start(ap, fmt);
  int r = real.vsnprintf(s, n, fmt, ap);
  va_end(ap);
  return r;
}
int vsprintf(char *s, const char *fmt, va_list ap) {
  note_stdio();
  return real.vsprintf(s, fmt, ap);
}
int sprintf(char *s, const char *fmt, ...) {
  note_stdio();
  va_list ap;
  va_start(ap, fmt);
  int r = real.vsprintf(s, fmt, ap);
  va_end(ap);
  return r;
}
int vfprintf(FILE *f, const char *fmt, va_list ap) {
  note_stdio();
  return real.vfprintf(f, fmt, ap);
}
int fprintf(FILE *f, const char *fmt, ...) {
  note_stdio();
  va_list ap;
  va_start(ap, fmt);
  int r = real.vfprintf(f, fmt, ap);
  va_end(ap);
  return r;
}
int vprintf(const char *fmt, va_list ap) {
  note_stdio();
  return real.vfprintf(stdout, fmt, ap);
}
int printf(const char *fmt, ...) {
  note_stdio();
  va_list ap;
  va_start(ap, fmt);
  int r = real.vfprintf(stdout, fmt, ap);
  va_end(ap);
  return r;
}
int fputs(const char *s, FILE *f) {
  note_stdio();
  return real.fputs(s, f);
}
int puts(const char *s) {
  note_stdio();
  int r = real.fputs(s, stdout);
  return r < 0 ? r : real.fputc('\n', stdout);
}
int fputc(int c, FILE *f) {
  note_stdio();
  return real.fputc(c, f);
}
int putchar(int c) {
  note_stdio();
  return real.fputc(c, stdout);
}
size_t fwrite(const void *p, size_t size, size_t n, FILE *f) {
  note_stdio();
  return real.fwrite(p, size, n, f);
}
FILE *fopen(const char *path, const char *mode) {
  note_stdio();
  return real.fopen(path, mode);
}

/* This thread is the control thread: its calls are not counted. */
static void exempt_this_thread(void) {
  stdio_exempt = 1;
#ifdef HA_T_COUNTING
  alloc_exempt_this_thread(1);
#endif
}

/* The stdio counter counts a call of the test and one inside the library
 * (an engine error message is formatted with snprintf). 0 when it does not
 * (a sanitizer's interceptors may win). */
static int stdio_self_test(void) {
  char buf[32];
  int (*volatile fp)(char *, size_t, const char *, ...) = snprintf;
  volatile int v = 7;
  stdio_calls = 0;
  stdio_on = 1;
  fp(buf, sizeof(buf), "%d", v);
  size_t own = stdio_calls;
  ha_engine *e = NULL;
  ha_error err;
  ha_engine_create(NULL, &e, &err);
  stdio_calls = 0;
  ha_status st = ha_engine_track_add(e, 0, ha_vec3_zero(), &err); /* id 0: refused */
  size_t lib = stdio_calls;
  stdio_on = 0;
  ha_engine_destroy(e);
  CHECK(st != HA_OK);
  return own >= 1 && lib >= 1;
}

/* ---- the scenario ---- */

static const char *show_text =
    "{\"format\": 2,\n"
    " \"tracks\": [{\"id\": 1, \"position\": [0, 5, 0]}, {\"id\": 2, \"position\": [1, 1, 0]},\n"
    "   {\"id\": 3, \"position\": [2, 2, 0]}, {\"id\": 4, \"position\": [3, 3, 0]},\n"
    "   {\"id\": 5, \"position\": [-2, 1, 0]}, {\"id\": 6, \"position\": [0, -3, 1]}],\n"
    " \"animations\": [\n"
    "   {\"name\": \"c\", \"model\": \"circular\", \"duration\": 8, \"fadeOut\": 0.2,\n"
    "    \"parameters\": {\"radius\": 2}},\n"
    "   {\"name\": \"p\", \"model\": \"pendulum\", \"duration\": 3, \"loop\": \"pingpong\"},\n"
    "   {\"name\": \"l\", \"model\": \"linear\", \"duration\": 1, \"loop\": \"once\",\n"
    "    \"parameters\": {\"startPosition\": [0, 0, 0], \"endPosition\": [4, 0, 0]}}],\n"
    " \"groups\": [\n"
    "   {\"name\": \"g\", \"animation\": \"c\", \"tracks\": [1, 2, 3], \"phaseOffset\": 0.5, "
    "\"autoStart\": true},\n"
    "   {\"name\": \"h\", \"animation\": \"p\", \"tracks\": [4, 5], \"mode\": \"relative\"}],\n"
    " \"presets\": [{\"name\": \"home\", \"positions\": {\"1\": [0, 0, 1], \"4\": [0, 0, 4],\n"
    "     \"6\": [1, 1, 1]}}],\n"
    " \"cues\": [\n"
    "   {\"number\": 1, \"actions\": [{\"type\": \"start\", \"group\": \"h\"},\n"
    "     {\"type\": \"start\", \"animation\": \"l\", \"tracks\": [6], \"mode\": \"relative\"}]},\n"
    "   {\"number\": 2, \"actions\": [{\"type\": \"preset\", \"preset\": \"home\", "
    "\"transition\": 0.1, \"space\": \"aed\", \"stagger\": 0.02}]},\n"
    "   {\"number\": 3, \"actions\": [{\"type\": \"goto\", \"track\": 6, \"position\": [2, 2, 2],\n"
    "     \"transition\": 0.05}]},\n"
    "   {\"number\": 4, \"actions\": [{\"type\": \"stop\", \"group\": \"g\"}]},\n"
    "   {\"number\": 5, \"actions\": [{\"type\": \"start\", \"group\": \"g\"}]},\n"
    "   {\"number\": 6, \"actions\": [{\"type\": \"stop\", \"fade\": 0.05}]}],\n"
    " \"timeline\": {\"length\": 30, \"clips\": [\n"
    "   {\"group\": \"h\", \"start\": 0.05, \"duration\": 0.3},\n"
    "   {\"group\": \"h\", \"start\": 0.6, \"duration\": 20, \"loop\": \"pingpong\"},\n"
    "   {\"group\": \"g\", \"start\": 0.2, \"duration\": 0.5, \"loop\": false}],\n"
    "   \"markers\": [{\"cue\": 3, \"time\": 0.1}, {\"cue\": 2, \"time\": 0.4}]}\n"
    "}";

static void sleep_ms(long ms) {
  struct timespec ts = {0, ms * 1000000L};
  nanosleep(&ts, NULL);
}

/* Wait until the tick has run `n` more ticks (so it applied what was sent),
 * draining events and the receiver meanwhile. No time is asserted: the
 * deadline only keeps a broken build from hanging. */
static void wait_ticks(ha_player *p, int rx, uint64_t n) {
  ha_player_status st;
  ha_player_get_status(p, &st);
  uint64_t target = st.ticks + n;
  double deadline = ha_monotonic_now() + 60.0;
  while (st.ticks < target && ha_monotonic_now() < deadline) {
    ha_player_event ev;
    while (ha_player_poll_event(p, &ev) == HA_OK) {
    }
    char buf[2048];
    while (recv(rx, buf, sizeof(buf), MSG_DONTWAIT) > 0) {
    }
    sleep_ms(1);
    ha_player_get_status(p, &st);
  }
  CHECK_MSG(st.ticks >= target, "the tick stopped at %llu", (unsigned long long)st.ticks);
}

static ha_motion *circle(double radius) {
  ha_timing tm = {2, HA_LOOP_LOOP, 1, HA_SEAM_BLEND};
  return test_motionf("circular", &tm, "radius=%g", radius);
}

/* One round of every kind of command; returns how many were sent. */
static uint64_t one_round(const ha_show *show, ha_player *p, int rx, int r) {
  uint64_t sent = 0;
  ha_error err;
  for (double cue = 1; cue <= 6; cue++) {
    CHECK_OK(ha_show_player_fire_cue(show, p, ha_show_cue_find(show, cue), &err));
    wait_ticks(p, rx, 2);
  }
  uint32_t tracks[] = {2, 3};
  uint32_t tag = 1000u + (uint32_t)r;
  ha_anim_spec sp = ha_anim_spec_default();
  sp.mode = r % 2 ? HA_GROUP_MIRROR : HA_GROUP_RELATIVE;
  CHECK_OK(ha_player_start_animation(p, tag, circle(1), &sp, tracks, 2));
  uint32_t nosuch = 99; /* fails on the tick: a COMMAND_FAILED event */
  CHECK_OK(ha_player_start_animation(p, tag + 1, circle(1), NULL, &nosuch, 1));
  CHECK_OK(ha_player_play(p));
  CHECK_OK(ha_player_update_animation(p, tag, circle(1.5)));
  CHECK_OK(ha_player_goto(p, 6, ha_vec3_make(1, 2, 3), 0.05, HA_EASE_SINE_IN_OUT, r % 2, 0.01));
  CHECK_OK(ha_player_device_echo(p, 4, ha_vec3_make(9, 9, 9)));
  CHECK_OK(ha_player_set_speed(p, r % 2 ? 2.0 : 0.5));
  sent += 8;
  wait_ticks(p, rx, 3);
  CHECK_OK(ha_player_seek(p, r % 2 ? 0.5 : 30.0));
  CHECK_OK(ha_player_stop_animation(p, tag, 0.05));
  CHECK_OK(ha_player_stop_track(p, 5, 0.05));
  CHECK_OK(ha_player_set_base(p, 1, ha_vec3_make(1, 1, (double)r)));
  /* mute / solo / lock stay set into the next round's cues and sends */
  CHECK_OK(ha_player_set_track_flags(p, 2u + (uint32_t)(r % 3),
                                     r % 2 ? HA_TRACK_SOLO | HA_TRACK_LOCK : HA_TRACK_MUTE));
  CHECK_OK(ha_player_pause(p));
  CHECK_OK(ha_player_play(p));
  sent += 7;
  wait_ticks(p, rx, 3);
  CHECK_OK(r % 5 == 4 ? ha_player_panic(p) : ha_player_stop(p, 0.02));
  CHECK_OK(ha_player_play(p));
  sent += 2;
  wait_ticks(p, rx, 3);
  return sent;
}

static void test_tick_neither_allocates_nor_prints(void) {
  ha_show *show = NULL;
  test_show_load(show_text, "stdio.json", &show);
  ha_player_config cfg = ha_show_player_config(show, NULL);
  cfg.tick_rate = 500;
  ha_player *p = NULL;
  ha_error err;
  CHECK_OK(ha_player_create(&cfg, &p, &err));
  CHECK_OK(ha_show_player_setup(show, p, &err));
  uint16_t port = 0;
  int rx = test_udp_receiver(&port);
  CHECK(rx >= 0);
  ha_output_config oc = ha_output_config_default();
  oc.host = "127.0.0.1";
  oc.port = port;
  CHECK_OK(ha_player_add_output(p, &oc, NULL, &err));
  CHECK_OK(ha_show_player_play(show, p, &err));
  CHECK_OK(ha_player_start(p, &err));

  exempt_this_thread();
  wait_ticks(p, rx, 10); /* the thread is past its start */
#ifdef HA_T_COUNTING
  alloc_count_start();
#endif
  stdio_calls = 0;
  stdio_on = 1;
  uint64_t sent = 0;
  for (int r = 0; r < 10; r++) {
    sent += one_round(show, p, rx, r);
  }
  stdio_on = 0;
#ifdef HA_T_COUNTING
  alloc_count_stop();
  printf("# allocations on the tick thread: %zu\n", alloc_calls());
  CHECK_INT(alloc_calls(), 0);
#endif
  printf("# stdio calls on the tick thread: %zu\n", (size_t)stdio_calls);
  CHECK_INT(stdio_calls, 0);
  ha_player_status st;
  ha_player_get_status(p, &st);
  CHECK(st.commands >= sent); /* every command reached the tick */
  ha_player_shutdown(p);
  ha_player_destroy(p);
  ha_show_destroy(show);
  close(rx);
}

int main(void) {
  resolve_real();
  if (!stdio_self_test()) {
#ifdef HA_SANITIZED
    puts("skipped: the sanitizer's stdio interceptors win over this test's");
    return 77;
#else
    CHECK_MSG(0, "the stdio counter does not count");
    return 1;
#endif
  }
#ifdef HA_T_COUNTING
  RUN(alloc_self_test);
#endif
  RUN(test_tick_neither_allocates_nor_prints);
  return test_done();
}
