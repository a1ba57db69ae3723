/* OSC input: remote-control messages reach the handler and are answered to
 * the sender; device feedback reaches track_position (aed converted);
 * malformed packets and unknown addresses are counted and answered. Real
 * sockets on 127.0.0.1. */
#include <pthread.h>
#include <unistd.h>

#include "holoanim.h"
#include "test.h"
#include "test_net.h"

typedef struct seen {
  pthread_mutex_t mu;
  int actions[8];
  char last_name[64];
  double last_value;
  uint32_t track;
  ha_vec3 pos;
  int positions;
} seen;

static ha_status on_action(void *user, ha_control_action a, const char *name, double value,
                           char *reply, size_t cap) {
  seen *s = user;
  pthread_mutex_lock(&s->mu);
  s->actions[a]++;
  snprintf(s->last_name, sizeof(s->last_name), "%s", name ? name : "");
  s->last_value = value;
  pthread_mutex_unlock(&s->mu);
  if (a == HA_CONTROL_CUE && value > 99) {
    snprintf(reply, cap, "no cue %g", value);
    return HA_ENOTFOUND;
  }
  snprintf(reply, cap, "done");
  return HA_OK;
}

static void on_pos(void *user, uint32_t track, ha_vec3 p) {
  seen *s = user;
  pthread_mutex_lock(&s->mu);
  s->track = track;
  s->pos = p;
  s->positions++;
  pthread_mutex_unlock(&s->mu);
}

/* Wait for a reply (from the control thread: up to 60 s, the machine is
 * shared); fills address and the second string argument. */
static int get_reply(int fd, char *addr, size_t acap, char *text, size_t tcap) {
  uint8_t buf[1024];
  ssize_t n = test_udp_recv(fd, buf, sizeof(buf), 60000);
  ha_osc_message m;
  ha_osc_arg args[4];
  if (n <= 0 || ha_osc_decode_message(buf, (size_t)n, &m, args, 4, NULL) != HA_OK)
    return 0;
  snprintf(addr, acap, "%s", m.address);
  snprintf(text, tcap, "%s", m.arg_count >= 2 ? args[1].v.s.ptr : "");
  return 1;
}

/* A consistent copy of what the handlers saw (they run on the input thread). */
static seen peek(seen *s) {
  pthread_mutex_lock(&s->mu);
  seen c = *s;
  pthread_mutex_unlock(&s->mu);
  return c;
}

/* Until *field reaches want, with a generous deadline (60 s: the machine is
 * shared); the checks that follow say what was missing. */
static void wait_for(seen *s, int *field, int want) {
  for (int i = 0; i < 6000; i++) {
    pthread_mutex_lock(&s->mu);
    int v = *field;
    pthread_mutex_unlock(&s->mu);
    if (v >= want)
      return;
    usleep(10000);
  }
}

static void test_control_roundtrip(void) {
  seen s;
  memset(&s, 0, sizeof(s));
  pthread_mutex_init(&s.mu, NULL);
  ha_control_handlers h = {&s, on_action, on_pos};
  ha_control *c = NULL;
  ha_error err;
  ha_control_config cfg = ha_control_config_default();
  CHECK_OK(ha_control_start(&cfg, &h, &c, &err));
  uint16_t port = ha_control_port(c);
  CHECK(port != 0);
  int fd = test_udp_open(0, NULL);
  char addr[64], text[256];

  test_osc_send(fd, port, "/holoanim/play", ",s", "strings");
  CHECK(get_reply(fd, addr, sizeof(addr), text, sizeof(text)));
  CHECK_STR(addr, "/holoanim/ack");
  CHECK_STR(text, "done");
  CHECK_INT(peek(&s).actions[HA_CONTROL_PLAY], 1);
  seen copy = peek(&s);
  CHECK_STR(copy.last_name, "strings");

  test_osc_send(fd, port, "/holoanim/seek", ",f", 12.5);
  CHECK(get_reply(fd, addr, sizeof(addr), text, sizeof(text)));
  CHECK_NEAR(peek(&s).last_value, 12.5, 0);
  test_osc_send(fd, port, "/holoanim/cue/go", ",i", 3);
  CHECK(get_reply(fd, addr, sizeof(addr), text, sizeof(text)));
  CHECK_INT(peek(&s).actions[HA_CONTROL_CUE], 1);
  CHECK_NEAR(peek(&s).last_value, 3, 0);
  test_osc_send(fd, port, "/holoanim/cue/go", ",i", 100);
  CHECK(get_reply(fd, addr, sizeof(addr), text, sizeof(text)));
  CHECK_STR(addr, "/holoanim/error");
  CHECK_STR(text, "no cue 100");
  test_osc_send(fd, port, "/holoanim/seek", ",");
  CHECK(get_reply(fd, addr, sizeof(addr), text, sizeof(text)));
  CHECK_STR(addr, "/holoanim/error");
  CHECK_STR(text, "needs one number argument");
  /* the original animator's remote */
  const char *compat[] = {"/anim/play", "/anim/pause", "/anim/stop", "/anim/gotoStart"};
  for (int i = 0; i < 4; i++) {
    test_osc_send(fd, port, compat[i], ",");
    CHECK(get_reply(fd, addr, sizeof(addr), text, sizeof(text)));
    CHECK_STR(addr, "/holoanim/ack");
  }
  CHECK_INT(peek(&s).actions[HA_CONTROL_PLAY], 2);
  CHECK_INT(peek(&s).actions[HA_CONTROL_GOTO_START], 1);
  test_osc_send(fd, port, "/holoanim/panic", ",");
  CHECK(get_reply(fd, addr, sizeof(addr), text, sizeof(text)));
  CHECK_INT(peek(&s).actions[HA_CONTROL_PANIC], 1);

  /* unknown address and malformed packet */
  test_osc_send(fd, port, "/holoanim/dance", ",");
  CHECK(get_reply(fd, addr, sizeof(addr), text, sizeof(text)));
  CHECK_STR(text, "unknown address");
  const uint8_t junk[8] = {'/', 'x', 0, 0, 'z', 'z', 0, 0};
  test_udp_send(fd, port, junk, sizeof(junk));
  CHECK(get_reply(fd, addr, sizeof(addr), text, sizeof(text)));
  CHECK_STR(addr, "/holoanim/error");
  CHECK(strstr(text, "malformed") != NULL || strstr(text, "type tag") != NULL);

  /* device feedback, xyz and aed (clockwise: azimuth 90° = +X) */
  test_osc_send(fd, port, "/track/4/xyz", ",fff", 1.0, 2.0, 0.5);
  wait_for(&s, &s.positions, 1);
  CHECK_INT(peek(&s).track, 4);
  CHECK_VEC_NEAR(peek(&s).pos, 1.0, 2.0, 0.5, 1e-6);
  test_osc_send(fd, port, "/track/5/aed", ",fff", 90.0, 0.0, 3.0);
  wait_for(&s, &s.positions, 2);
  CHECK_INT(peek(&s).track, 5);
  CHECK_VEC_NEAR(peek(&s).pos, 3.0, 0.0, 0.0, 1e-6);

  /* a bundle of two control messages */
  uint8_t b1[64], b2[64], bundle[256];
  size_t n1 = (size_t)test_osc_encode(b1, sizeof(b1), "/holoanim/pause", ",");
  size_t n2 = (size_t)test_osc_encode(b2, sizeof(b2), "/holoanim/speed", ",f", 2.0);
  ha_osc_writer w;
  ha_osc_writer_init(&w, bundle, sizeof(bundle));
  ha_osc_writer_begin_bundle(&w, HA_OSC_TIMETAG_IMMEDIATE);
  ha_osc_writer_add_element(&w, b1, n1);
  ha_osc_writer_add_element(&w, b2, n2);
  ha_osc_writer_end_bundle(&w);
  test_udp_send(fd, port, bundle, (size_t)ha_osc_writer_finish(&w));
  CHECK(get_reply(fd, addr, sizeof(addr), text, sizeof(text)));
  CHECK(get_reply(fd, addr, sizeof(addr), text, sizeof(text)));
  CHECK_INT(peek(&s).actions[HA_CONTROL_PAUSE], 2);
  CHECK_INT(peek(&s).actions[HA_CONTROL_SPEED], 1);

  ha_control_stats st;
  ha_control_get_stats(c, &st);
  CHECK_INT(st.malformed, 1);
  CHECK_INT(st.unknown, 1);
  CHECK_INT(st.feedback, 2);
  CHECK_INT(st.refused, 0);
  ha_control_stop(c);
  close(fd);
  /* binding a port in use is a clear I/O error */
  ha_control *c1 = NULL, *c2 = NULL;
  CHECK_OK(ha_control_start(&cfg, &h, &c1, &err));
  cfg.port = ha_control_port(c1);
  CHECK_INT(ha_control_start(&cfg, &h, &c2, &err), HA_EIO);
  CHECK(strstr(err.message, "control 127.0.0.1:") == err.message);
  ha_control_stop(c1);
  pthread_mutex_destroy(&s.mu);
}

/* The echo callback: what it was given, and who sent it (ha_control_sender
 * from inside the callback). */
typedef struct echo_seen {
  pthread_mutex_t mu;
  ha_control *c;
  ha_control_echo e;
  char sender[80];
  int n;
} echo_seen;

static void on_echo(void *user, const ha_control_echo *e) {
  echo_seen *s = user;
  pthread_mutex_lock(&s->mu);
  s->e = *e;
  ha_control_sender(s->c, s->sender, sizeof s->sender);
  s->n++;
  pthread_mutex_unlock(&s->mu);
}

/* Device echoes with their sender (Holophonix and ADM-OSC forms), and an
 * output's side: its device address, inverse mapping and units. */
static void test_control_echo(void) {
  echo_seen s;
  memset(&s, 0, sizeof(s));
  pthread_mutex_init(&s.mu, NULL);
  ha_control_handlers h = {&s, NULL, NULL};
  ha_control_config cfg = ha_control_config_default();
  cfg.echo = on_echo;
  ha_error err;
  pthread_mutex_lock(&s.mu); /* the callback reads s.c */
  CHECK_OK(ha_control_start(&cfg, &h, &s.c, &err));
  pthread_mutex_unlock(&s.mu);
  uint16_t from = 0;
  int fd = test_udp_open(0, &from);
  CHECK(fd >= 0);
  test_osc_send(fd, ha_control_port(s.c), "/adm/obj/3/aed", ",fff", 90.0, 0.0, 0.5);
  for (int i = 0; i < 6000; i++) {
    pthread_mutex_lock(&s.mu);
    int n = s.n;
    pthread_mutex_unlock(&s.mu);
    if (n >= 1)
      break;
    usleep(10000);
  }
  pthread_mutex_lock(&s.mu);
  CHECK_INT(s.n, 1);
  CHECK(s.e.adm && s.e.aed);
  CHECK_INT(s.e.index, 3);
  CHECK_NEAR(s.e.v[0], 90.0, 1e-6);
  CHECK_NEAR(s.e.v[2], 0.5, 1e-6);
  CHECK_INT(s.e.from_port, from);
  char text[64], want[80];
  CHECK_STR(ha_control_format_addr(s.e.from, text, sizeof text), "127.0.0.1");
  snprintf(want, sizeof want, "127.0.0.1:%u", (unsigned)from);
  CHECK_STR(s.sender, want);
  pthread_mutex_unlock(&s.mu);
  CHECK_STR(ha_control_sender(s.c, text, sizeof text), ""); /* outside a callback */
  ha_control_stop(s.c);
  close(fd);
  pthread_mutex_destroy(&s.mu);

  /* the output: device 127.0.0.1:9, show track 7 sent as device index 1 */
  ha_output_map_entry map[] = {{7, 1}};
  ha_output_config oc = ha_output_config_default();
  oc.host = "127.0.0.1";
  oc.port = 9;
  oc.map = map;
  oc.map_len = 1;
  ha_output *o = NULL;
  CHECK_OK(ha_output_create(&oc, 8, &o, &err));
  uint8_t addr[16];
  uint16_t port = 0;
  ha_output_device_address(o, addr, &port);
  CHECK_STR(ha_control_format_addr(addr, text, sizeof text), "127.0.0.1");
  CHECK_INT(port, 9);
  uint32_t id = 0;
  CHECK(ha_output_track_of(o, 1, &id));
  CHECK_INT(id, 7);
  CHECK(!ha_output_track_of(o, 7, &id)); /* index 7 would be track 7, which is sent as 1 */
  CHECK(ha_output_track_of(o, 2, &id));
  CHECK_INT(id, 2);
  double w[3] = {0.5, -0.25, 0.0};
  CHECK_VEC_NEAR(ha_output_echo_position(o, true, false, w), 5.0, -2.5, 0.0, 1e-9);
  double aed[3] = {90.0, 0.0, 0.5}; /* ADM: +90° is left (counterclockwise) */
  CHECK_VEC_NEAR(ha_output_echo_position(o, true, true, aed), -5.0, 0.0, 0.0, 1e-9);
  ha_output_destroy(o);
}

int main(void) {
  RUN(test_control_roundtrip);
  RUN(test_control_echo);
  return test_done();
}
