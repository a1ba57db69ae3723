/* The simulated device and discovery, over real sockets on 127.0.0.1.
 *
 * Each test starts a devsim on port 0 and talks to it from a client socket:
 * every address of PROTOCOL.md's table is set and read back with /get (the
 * reply doubles as a barrier: the device handles one sender's datagrams in
 * order), /error for unknown tracks, clamping, pushes, ADM-OSC, nested
 * bundles, malformed packets, the record file, and discovery (against the
 * devsim, and against a flaky fake device that drops every first probe and
 * answers in reverse order). Every wait is bounded. */
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "holoanim.h"
#include "holoanim/devsim.h"
#include "test.h"
#include "test_net.h"

/* ---- client helpers ------------------------------------------------------ */

typedef struct client {
  int fd;
  uint16_t dev_port;
  uint8_t buf[65536];
  ha_osc_arg args[8];
  ha_osc_message m;
} client;

static void csend(client *c, const char *addr, const char *tags, ...) {
  va_list ap;
  va_start(ap, tags);
  bool sent = test_osc_vsend(c->fd, c->dev_port, addr, tags, ap);
  va_end(ap);
  CHECK(sent);
}

/* Next message on fd into (buf, m, args); false if none within 60 s (it
 * comes from the device's thread, and the machine is shared). */
static bool recv_msg(int fd, uint8_t *buf, size_t cap, ha_osc_message *m, ha_osc_arg *args) {
  ssize_t n = test_udp_recv(fd, buf, cap, 60000);
  return n > 0 && ha_osc_decode_message(buf, (size_t)n, m, args, 8, NULL) == HA_OK;
}

/* /get `what`; the reply in c->m. */
static bool get(client *c, const char *what) {
  csend(c, "/get", ",s", what);
  bool ok = recv_msg(c->fd, c->buf, sizeof c->buf, &c->m, c->args);
  CHECK_MSG(ok, "no reply to /get %s", what);
  return ok;
}

static double num(const client *c, size_t i) {
  double v = NAN;
  if (i < c->m.arg_count) {
    ha_osc_arg_to_double(&c->args[i], &v);
  }
  return v;
}

static void expect_floats(client *c, const char *what, const char *addr, int count, double a,
                          double b, double d, double e, double tol) {
  if (!get(c, what)) {
    return;
  }
  CHECK_STR(c->m.address, addr);
  CHECK_INT(c->m.arg_count, count);
  const double want[4] = {a, b, d, e};
  for (int i = 0; i < count && i < (int)c->m.arg_count; i++) {
    CHECK_MSG(c->args[i].type == HA_OSC_FLOAT32, "%s: argument %d is '%c', not float32", what, i,
              (char)c->args[i].type);
    CHECK_NEAR(num(c, (size_t)i), want[i], tol);
  }
}

static void expect_xyz(client *c, uint32_t n, double x, double y, double z, double tol) {
  char what[32], addr[32];
  snprintf(what, sizeof what, "/track/%u/xyz", (unsigned)n);
  snprintf(addr, sizeof addr, "/track/%u/xyz", (unsigned)n);
  expect_floats(c, what, addr, 3, x, y, z, 0, tol);
}

static ha_devsim *start_sim(uint32_t tracks, const char *record, client *c) {
  ha_devsim_config cfg = ha_devsim_config_default();
  cfg.port = 0;
  cfg.tracks = tracks;
  cfg.record_path = record;
  ha_devsim *sim = NULL;
  ha_error err;
  ha_status st = ha_devsim_start(&cfg, &sim, &err);
  CHECK_MSG(st == HA_OK, "ha_devsim_start: %s", err.message);
  if (c != NULL) {
    c->fd = test_udp_open(0, NULL);
    c->dev_port = ha_devsim_port(sim);
    CHECK(c->fd >= 0 && c->dev_port != 0);
  }
  return sim;
}

/* Stop the device and close the client start_sim opened. */
static void stop_sim(ha_devsim *sim, client *c) {
  ha_devsim_stop(sim);
  close(c->fd);
}

/* The device's counters (ha_devsim_get_stats). */
static ha_devsim_stats sim_stats(ha_devsim *sim) {
  ha_devsim_stats st;
  memset(&st, 0, sizeof st);
  ha_devsim_get_stats(sim, &st);
  return st;
}

/* ---- the address table --------------------------------------------------- */

static void test_every_track_address(void) {
  static client c;
  ha_devsim *sim = start_sim(8, NULL, &c);
  const double tol = 1e-5;

  csend(&c, "/track/1/xyz", ",fff", 1.0, 2.0, 3.0);
  expect_xyz(&c, 1, 1, 2, 3, tol);
  expect_floats(&c, "/track/1/x", "/track/1/x", 1, 1, 0, 0, 0, tol);
  expect_floats(&c, "/track/1/y", "/track/1/y", 1, 2, 0, 0, 0, tol);
  expect_floats(&c, "/track/1/z", "/track/1/z", 1, 3, 0, 0, 0, tol);

  /* aed, clockwise by default: 90° is +X. */
  csend(&c, "/track/2/aed", ",fff", 90.0, 0.0, 2.0);
  expect_xyz(&c, 2, 2, 0, 0, tol);
  expect_floats(&c, "/track/2/aed", "/track/2/aed", 3, 90, 0, 2, 0, tol);

  csend(&c, "/track/2/x", ",f", 5.0);
  csend(&c, "/track/2/y", ",f", -1.0);
  csend(&c, "/track/2/z", ",f", 0.5);
  expect_xyz(&c, 2, 5, -1, 0.5, tol);

  /* Polar axes one at a time, from the origin (distance starts at 0.1). */
  csend(&c, "/track/3/azim", ",f", 90.0);
  expect_xyz(&c, 3, 0.1, 0, 0, tol);
  csend(&c, "/track/3/dist", ",f", 3.0);
  csend(&c, "/track/3/elev", ",f", 30.0);
  expect_floats(&c, "/track/3/aed", "/track/3/aed", 3, 90, 30, 3, 0, 1e-4);
  expect_floats(&c, "/track/3/azim", "/track/3/azim", 1, 90, 0, 0, 0, 1e-4);
  expect_floats(&c, "/track/3/elev", "/track/3/elev", 1, 30, 0, 0, 0, 1e-4);
  expect_floats(&c, "/track/3/dist", "/track/3/dist", 1, 3, 0, 0, 0, 1e-4);
  csend(&c, "/track/3/azim++", ",f", 10.0);
  csend(&c, "/track/3/elev++", ",f", -10.0);
  csend(&c, "/track/3/dist++", ",f", 1.0);
  expect_floats(&c, "/track/3/aed", "/track/3/aed", 3, 100, 20, 4, 0, 1e-4);

  csend(&c, "/track/4/name", ",s", "Violin");
  if (get(&c, "/track/4/name")) {
    CHECK_STR(c.m.address, "/track/4/name");
    CHECK(c.m.arg_count == 1 && c.args[0].type == HA_OSC_STRING);
    CHECK_STR(c.args[0].v.s.ptr, "Violin");
  }
  csend(&c, "/track/4/color", ",ffff", 0.25, 0.5, 0.75, 1.0);
  expect_floats(&c, "/track/4/color", "/track/4/color", 4, 0.25, 0.5, 0.75, 1.0, tol);
  csend(&c, "/track/4/gain", ",f", -6.0);
  expect_floats(&c, "/track/4/gain", "/track/4/gain", 1, -6, 0, 0, 0, tol);
  csend(&c, "/track/4/mute", ",i", 1);
  if (get(&c, "/track/4/mute")) {
    CHECK(c.m.arg_count == 1 && c.args[0].type == HA_OSC_INT32 && c.args[0].v.i == 1);
  }
  /* Whole numbers sent as int32 still work (a lenient device). */
  csend(&c, "/track/5/xyz", ",iii", 1, -2, 3);
  expect_xyz(&c, 5, 1, -2, 3, tol);

  ha_devsim_track t;
  CHECK_OK(ha_devsim_get_track(sim, 4, &t));
  CHECK_STR(t.name, "Violin");
  CHECK_NEAR(t.gain_db, -6, 1e-6);
  CHECK_INT(t.mute, 1);
  CHECK_OK(ha_devsim_get_track(sim, 6, &t));
  CHECK_STR(t.name, "Track 6");
  CHECK_INT(ha_devsim_get_track(sim, 9, &t), HA_ENOTFOUND);
  CHECK_INT(ha_devsim_get_track(sim, 0, &t), HA_ENOTFOUND);
  ha_devsim_stats st;
  CHECK_OK(ha_devsim_get_stats(sim, &st));
  CHECK_INT(st.malformed, 0);
  CHECK_INT(st.bad_args, 0);
  CHECK_INT(st.unknown_address, 0);
  CHECK(st.positions >= 12);
  stop_sim(sim, &c);
}

static void test_unknown_track_error(void) {
  static client c;
  ha_devsim *sim = start_sim(8, NULL, &c);
  if (get(&c, "/track/36/name")) {
    CHECK_STR(c.m.address, "/error");
    CHECK(c.m.arg_count == 1 && c.args[0].type == HA_OSC_STRING);
    CHECK_STR(c.args[0].v.s.ptr, "from Core: Cannot get track,36,name");
  }
  if (get(&c, "/track/3/bogus")) {
    CHECK_STR(c.m.address, "/error");
    CHECK_STR(c.args[0].v.s.ptr, "from Core: Cannot get track,3,bogus");
  }
  csend(&c, "/track/36/xyz", ",fff", 1.0, 1.0, 1.0);
  csend(&c, "/track/0/xyz", ",fff", 1.0, 1.0, 1.0);
  get(&c, "/track/1/xyz"); /* barrier */
  ha_devsim_stats st = sim_stats(sim);
  CHECK_INT(st.unknown_track, 3); /* the /get of 36 and the two sets */
  stop_sim(sim, &c);
}

static void test_clamping(void) {
  static client c;
  ha_devsim *sim = start_sim(4, NULL, &c);
  csend(&c, "/track/1/xyz", ",fff", 150.0, -200.0, 3.0);
  expect_xyz(&c, 1, 100, -100, 3, 1e-6);
  csend(&c, "/track/2/aed", ",fff", 0.0, 120.0, 1000.0); /* elevation 90, distance 500 */
  expect_xyz(&c, 2, 0, 0, 100, 1e-4);                    /* then the ±100 cube */
  csend(&c, "/track/3/aed", ",fff", 270.0, 0.0, 0.0);    /* azimuth wraps, distance ≥ 0.1 */
  expect_floats(&c, "/track/3/aed", "/track/3/aed", 3, -90, 0, 0.1, 0, 1e-4);
  csend(&c, "/track/4/gain", ",f", 20.0);
  expect_floats(&c, "/track/4/gain", "/track/4/gain", 1, 12, 0, 0, 0, 1e-6);
  csend(&c, "/track/4/gain", ",f", -100.0);
  expect_floats(&c, "/track/4/gain", "/track/4/gain", 1, -60, 0, 0, 0, 1e-6);
  csend(&c, "/track/4/color", ",ffff", 2.0, -1.0, 0.5, 1.0);
  expect_floats(&c, "/track/4/color", "/track/4/color", 4, 1, 0, 0.5, 1, 1e-6);
  ha_devsim_stats st = sim_stats(sim);
  CHECK_INT(st.clamped, 6);
  stop_sim(sim, &c);
}

/* ---- pushes -------------------------------------------------------------- */

static void test_push_to_destination(void) {
  static client c, listener;
  ha_devsim *sim = start_sim(4, NULL, &c);
  uint16_t lport;
  listener.fd = test_udp_open(0, &lport);
  ha_error err;
  CHECK_OK(ha_devsim_add_push(sim, "127.0.0.1", lport, &err));
  CHECK_INT(ha_devsim_add_push(sim, "127.0.0.1", 0, &err), HA_ERANGE);

  csend(&c, "/track/1/xyz", ",fff", 1.0, 2.0, 3.0);
  CHECK(recv_msg(listener.fd, listener.buf, sizeof listener.buf, &listener.m, listener.args));
  CHECK_STR(listener.m.address, "/track/1/xyz");
  CHECK_NEAR(listener.args[2].v.f, 3.0, 1e-6);

  /* aed in, xyz out (the device's echo form). */
  csend(&c, "/track/2/aed", ",fff", -90.0, 0.0, 2.0);
  CHECK(recv_msg(listener.fd, listener.buf, sizeof listener.buf, &listener.m, listener.args));
  CHECK_STR(listener.m.address, "/track/2/xyz");
  CHECK_NEAR(listener.args[0].v.f, -2.0, 1e-5);

  /* Someone else moves track 3 on the device. */
  CHECK_OK(ha_devsim_set_position(sim, 3, ha_vec3_make(-4, 5, 6)));
  CHECK(recv_msg(listener.fd, listener.buf, sizeof listener.buf, &listener.m, listener.args));
  CHECK_STR(listener.m.address, "/track/3/xyz");
  CHECK_NEAR(listener.args[0].v.f, -4.0, 1e-6);
  CHECK_INT(ha_devsim_set_position(sim, 9, ha_vec3_make(0, 0, 0)), HA_ENOTFOUND);
  CHECK_INT(ha_devsim_set_position(sim, 1, ha_vec3_make(NAN, 0, 0)), HA_EINVAL);

  /* An unchanged position is not a change: nothing pushed; the name is. */
  csend(&c, "/track/1/xyz", ",fff", 1.0, 2.0, 3.0);
  csend(&c, "/track/1/name", ",s", "Cello");
  CHECK(recv_msg(listener.fd, listener.buf, sizeof listener.buf, &listener.m, listener.args));
  CHECK_STR(listener.m.address, "/track/1/name");
  CHECK_STR(listener.args[0].v.s.ptr, "Cello");
  ha_devsim_stats st = sim_stats(sim);
  CHECK_INT(st.pushes, 4);
  stop_sim(sim, &c);
  close(listener.fd);
}

/* ---- ADM-OSC -------------------------------------------------------------- */

static void test_adm_osc(void) {
  static client c;
  ha_devsim *sim = start_sim(4, NULL, &c); /* adm_scale 10 m */
  const double tol = 1e-5;
  csend(&c, "/adm/obj/2/xyz", ",fff", 0.5, -0.5, 0.1);
  expect_xyz(&c, 2, 5, -5, 1, tol);
  csend(&c, "/adm/obj/2/aed", ",fff", 90.0, 0.0, 0.5); /* + = left */
  expect_xyz(&c, 2, -5, 0, 0, tol);
  csend(&c, "/adm/obj/2/x", ",f", 2.0); /* clamped to 1 → 10 m */
  expect_xyz(&c, 2, 10, 0, 0, tol);
  csend(&c, "/adm/obj/2/y", ",f", 0.3);
  csend(&c, "/adm/obj/2/z", ",f", -0.2);
  expect_xyz(&c, 2, 10, 3, -2, tol);
  csend(&c, "/adm/obj/3/xy", ",ff", 0.1, 0.2);
  expect_xyz(&c, 3, 1, 2, 0, tol);
  csend(&c, "/adm/obj/4/dist", ",f", 0.4);   /* from the origin: the azimuth needs a distance */
  csend(&c, "/adm/obj/4/azim", ",f", -90.0); /* right */
  csend(&c, "/adm/obj/4/elev", ",f", 0.0);
  expect_xyz(&c, 4, 4, 0, 0, 1e-4);
  csend(&c, "/adm/obj/1/gain", ",f", 0.5);
  expect_floats(&c, "/track/1/gain", "/track/1/gain", 1, 20.0 * log10(0.5), 0, 0, 0, 1e-4);
  csend(&c, "/adm/obj/1/mute", ",i", 1);
  csend(&c, "/adm/obj/1/name", ",s", "Choir");
  if (get(&c, "/track/1/name")) {
    CHECK_STR(c.args[0].v.s.ptr, "Choir");
  }
  /* ADM query: the address with no argument, answered in ADM units. */
  csend(&c, "/adm/obj/2/xyz", ",");
  CHECK(recv_msg(c.fd, c.buf, sizeof c.buf, &c.m, c.args));
  CHECK_STR(c.m.address, "/adm/obj/2/xyz");
  CHECK_NEAR(num(&c, 0), 1.0, tol);
  CHECK_NEAR(num(&c, 1), 0.3, tol);
  CHECK_NEAR(num(&c, 2), -0.2, tol);
  csend(&c, "/adm/obj/4/aed", ",");
  CHECK(recv_msg(c.fd, c.buf, sizeof c.buf, &c.m, c.args));
  CHECK_STR(c.m.address, "/adm/obj/4/aed");
  CHECK_NEAR(num(&c, 0), -90.0, 1e-4);
  CHECK_NEAR(num(&c, 2), 0.4, 1e-5);
  csend(&c, "/adm/obj/1/gain", ",");
  CHECK(recv_msg(c.fd, c.buf, sizeof c.buf, &c.m, c.args));
  CHECK_NEAR(num(&c, 0), 0.5, 1e-5);
  stop_sim(sim, &c);
}

/* ---- bundles and malformed packets -------------------------------------- */

static void test_nested_bundles(void) {
  static client c;
  ha_devsim *sim = start_sim(4, NULL, &c);
  uint8_t buf[1024];
  ha_osc_writer w;
  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_bundle(&w, HA_OSC_TIMETAG_IMMEDIATE);
  ha_osc_writer_add_track_fff(&w, "/track/", 1, "/xyz", 1, 1, 1);
  ha_osc_writer_begin_bundle(&w, HA_OSC_TIMETAG_IMMEDIATE);
  ha_osc_writer_add_track_fff(&w, "/track/", 2, "/xyz", 2, 2, 2);
  ha_osc_writer_begin_message(&w, "/track/3/name", ",s");
  ha_osc_writer_add_string(&w, "Nested");
  ha_osc_writer_end_message(&w);
  ha_osc_writer_end_bundle(&w);
  ha_osc_writer_end_bundle(&w);
  int n = ha_osc_writer_finish(&w);
  CHECK(n > 0);
  CHECK(test_udp_send(c.fd, c.dev_port, buf, (size_t)n));
  expect_xyz(&c, 1, 1, 1, 1, 1e-6);
  expect_xyz(&c, 2, 2, 2, 2, 1e-6);
  if (get(&c, "/track/3/name")) {
    CHECK_STR(c.args[0].v.s.ptr, "Nested");
  }
  ha_devsim_stats st = sim_stats(sim);
  CHECK_INT(st.bundles, 2);
  stop_sim(sim, &c);
}

static void test_malformed_counted(void) {
  static client c;
  ha_devsim *sim = start_sim(4, NULL, &c);
  static const uint8_t not4[] = {'/', 'a', 0, 0, ','};
  static const uint8_t bad_tag[] = {'/', 'a', 0, 0, ',', 'x', 0, 0};
  static const uint8_t no_nul[] = {'/', 'a', 'b', 'c', 'd', 'e', 'f', 'g'};
  static const uint8_t bad_bundle[] = {'#', 'b', 'u', 'n', 'd', 'l', 'e', 0,  0,   0,   0, 0,
                                       0,   0,   0,   1,   0,   0,   0,   99, '/', 'a', 0, 0};
  CHECK(test_udp_send(c.fd, c.dev_port, not4, sizeof not4));
  CHECK(test_udp_send(c.fd, c.dev_port, bad_tag, sizeof bad_tag));
  CHECK(test_udp_send(c.fd, c.dev_port, no_nul, sizeof no_nul));
  CHECK(test_udp_send(c.fd, c.dev_port, bad_bundle, sizeof bad_bundle));
  csend(&c, "/track/1/xyz", ",s", "oops");    /* well formed, wrong arguments */
  csend(&c, "/track/1/xyz", ",ff", 1.0, 2.0); /* one short */
  csend(&c, "/nothing/here", ",f", 1.0);
  csend(&c, "/track/1/bogus", ",f", 1.0);
  expect_xyz(&c, 1, 0, 0, 0, 0); /* still alive, unchanged */
  ha_devsim_stats st = sim_stats(sim);
  CHECK_INT(st.malformed, 4);
  CHECK_INT(st.bad_args, 2);
  CHECK_INT(st.unknown_address, 2);
  CHECK_MSG(st.last_malformed[0] != '\0', "no reason recorded");
  printf("# last malformed: %s\n", st.last_malformed);
  stop_sim(sim, &c);
}

/* ---- record file --------------------------------------------------------- */

static double mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void test_record_file(void) {
  char dir[] = "/tmp/ha_devsim_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[64];
  snprintf(path, sizeof path, "%s/rec.csv", dir);
  static client c;
  double t0 = mono();
  ha_devsim *sim = start_sim(4, path, &c);
  csend(&c, "/track/1/xyz", ",fff", 1.0, 2.0, 0.5);
  csend(&c, "/track/2/aed", ",fff", 90.0, 0.0, 2.0);
  csend(&c, "/adm/obj/3/xyz", ",fff", 0.1, 0.2, 0.3);
  csend(&c, "/track/1/name", ",s", "not a position");
  expect_xyz(&c, 3, 1, 2, 3, 1e-5); /* barrier */
  ha_devsim_stop(sim);
  double t1 = mono();
  FILE *f = fopen(path, "r");
  CHECK(f != NULL);
  if (f != NULL) {
    char line[256];
    CHECK(fgets(line, sizeof line, f) != NULL);
    CHECK_STR(line, "time_s,track,x,y,z\n");
    const double want[3][4] = {{1, 1, 2, 0.5}, {2, 2, 0, 0}, {3, 1, 2, 3}};
    int rows = 0;
    double prev = 0;
    while (fgets(line, sizeof line, f) != NULL) {
      double t, x, y, z;
      unsigned n;
      CHECK_INT(sscanf(line, "%lf,%u,%lf,%lf,%lf", &t, &n, &x, &y, &z), 5);
      CHECK_MSG(t >= t0 && t <= t1 && t >= prev, "time %.6f outside [%.6f, %.6f]", t, t0, t1);
      prev = t;
      if (rows < 3) {
        CHECK_INT(n, want[rows][0]);
        CHECK_NEAR(x, want[rows][1], 1e-5);
        CHECK_NEAR(y, want[rows][2], 1e-5);
        CHECK_NEAR(z, want[rows][3], 1e-5);
      }
      rows++;
    }
    CHECK_INT(rows, 3);
    fclose(f);
  }
  remove(path);
  rmdir(dir);
}

/* The record file is flushed while the device runs (within a second of a
 * row), so a reader sees what arrived without stopping it. */
static void test_record_flushed_while_running(void) {
  char dir[] = "/tmp/ha_devsim_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[64];
  snprintf(path, sizeof path, "%s/rec.csv", dir);
  static client c;
  ha_devsim *sim = start_sim(2, path, &c);
  csend(&c, "/track/2/xyz", ",fff", 1.5, -2.0, 0.25);
  int seen = 0;
  for (int i = 0; i < 600 && !seen; i++) { /* up to 60 s: a deadline, not a speed */
    FILE *f = fopen(path, "r");
    char line[256];
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
      double t, x, y, z;
      unsigned n;
      if (sscanf(line, "%lf,%u,%lf,%lf,%lf", &t, &n, &x, &y, &z) == 5 && n == 2 &&
          fabs(x - 1.5) < 1e-6 && fabs(y + 2.0) < 1e-6 && fabs(z - 0.25) < 1e-6) {
        seen = 1;
      }
    }
    if (f != NULL) {
      fclose(f);
    }
    if (!seen) {
      struct timespec ts = {0, 100 * 1000 * 1000};
      nanosleep(&ts, NULL);
    }
  }
  CHECK_MSG(seen, "the row of track 2 never reached %s while the device ran", path);
  CHECK_INT(sim_stats(sim).positions, 1);
  stop_sim(sim, &c);
  remove(path);
  rmdir(dir);
}

static void test_config_errors(void) {
  ha_devsim_config cfg = ha_devsim_config_default();
  ha_devsim *sim = NULL;
  ha_error err;
  cfg.tracks = 0;
  CHECK_INT(ha_devsim_start(&cfg, &sim, &err), HA_ERANGE);
  CHECK_MSG(strncmp(err.message, "tracks", 6) == 0, "%s", err.message);
  cfg = ha_devsim_config_default();
  cfg.port = 70000;
  CHECK_INT(ha_devsim_start(&cfg, &sim, &err), HA_ERANGE);
  cfg = ha_devsim_config_default();
  cfg.port = 0;
  cfg.record_path = "/nonexistent-dir/x.csv";
  CHECK_INT(ha_devsim_start(&cfg, &sim, &err), HA_EIO);
  CHECK(sim == NULL);
  ha_devsim_stop(NULL);
}

/* ---- discovery ----------------------------------------------------------- */

static void test_discover_devsim(void) {
  static client c;
  ha_devsim *sim = start_sim(5, NULL, &c);
  const char *names[5] = {"Kick", "Snare", "Violin I", "Violin II", "Voice"};
  char q[32];
  for (uint32_t n = 1; n <= 5; n++) {
    snprintf(q, sizeof q, "/track/%u/name", (unsigned)n);
    csend(&c, q, ",s", names[n - 1]);
    CHECK_OK(ha_devsim_set_position(sim, n, ha_vec3_make(n, -(double)n, 0.5 * n)));
  }
  get(&c, "/track/5/name"); /* barrier */
  ha_discovered_track res[16];
  size_t n = 0;
  ha_error err;
  ha_status st = ha_discover("127.0.0.1", ha_devsim_port(sim), 0, 200, res, 16, &n, &err);
  CHECK_MSG(st == HA_OK, "discover: %s", err.message);
  CHECK_INT(n, 5);
  for (size_t i = 0; i < n && i < 5; i++) {
    CHECK_INT(res[i].index, i + 1);
    CHECK_STR(res[i].name, names[i]);
    CHECK(res[i].has_position);
    CHECK_VEC_NEAR(res[i].position, (double)(i + 1), -(double)(i + 1), 0.5 * (double)(i + 1), 1e-6);
  }
  /* Fewer slots than tracks: the first ones, and HA_ENOBUFS. */
  st = ha_discover("127.0.0.1", ha_devsim_port(sim), 0, 200, res, 3, &n, &err);
  CHECK_INT(st, HA_ENOBUFS);
  CHECK_INT(n, 3);
  CHECK_STR(res[2].name, "Violin I");
  /* From a fixed local port. */
  uint16_t fixed;
  int tmp = test_udp_open(0, &fixed);
  close(tmp);
  st = ha_discover("localhost", ha_devsim_port(sim), fixed, 200, res, 16, &n, &err);
  CHECK_MSG(st == HA_OK && n == 5, "fixed port %u: %s", (unsigned)fixed, err.message);
  stop_sim(sim, &c);
}

static void test_discover_nobody(void) {
  uint16_t port;
  int tmp = test_udp_open(0, &port); /* bound, never answers */
  ha_discovered_track res[4];
  size_t n = 9;
  ha_error err;
  double t0 = mono();
  ha_status st = ha_discover("127.0.0.1", port, 0, 30, res, 4, &n, &err);
  double took = mono() - t0;
  CHECK_INT(st, HA_ENOTFOUND);
  CHECK_INT(n, 0);
  CHECK_MSG(took < 2.0, "gave up after %.2f s", took);
  CHECK_MSG(strstr(err.message, "no reply") != NULL, "%s", err.message);
  close(tmp);
  CHECK_INT(ha_discover("127.0.0.1", 0, 0, 30, res, 4, &n, &err), HA_ERANGE);
  CHECK_INT(ha_discover("127.0.0.1", 4003, 0, 0, res, 4, &n, &err), HA_ERANGE);
}

/* A device that loses the first copy of every query and answers the others
 * in reverse order, in small batches. Tracks 1..6 are "T1".."T6" at (n, 0, 0). */
typedef struct flaky {
  int fd;
  atomic_int stop;
  char seen[64][40];
  int nseen;
  long dropped;
} flaky;

static void *flaky_main(void *p) {
  flaky *f = p;
  uint8_t in[2048];
  uint8_t out[4][256];
  int out_len[4];
  struct sockaddr_in to[4];
  int queued = 0;
  while (!atomic_load(&f->stop)) {
    struct pollfd pfd = {f->fd, POLLIN, 0};
    int r = poll(&pfd, 1, 10);
    if (r > 0) {
      struct sockaddr_in from;
      socklen_t fl = sizeof from;
      ssize_t n = recvfrom(f->fd, in, sizeof in, 0, (struct sockaddr *)&from, &fl);
      ha_osc_arg args[4];
      ha_osc_message m;
      if (n <= 0 || ha_osc_decode_message(in, (size_t)n, &m, args, 4, NULL) != HA_OK ||
          strcmp(m.address, "/get") != 0 || m.arg_count != 1) {
        continue;
      }
      const char *what = args[0].v.s.ptr;
      bool again = false;
      for (int i = 0; i < f->nseen; i++) {
        again |= strcmp(f->seen[i], what) == 0;
      }
      if (!again && f->nseen < 64) {
        snprintf(f->seen[f->nseen++], sizeof f->seen[0], "%s", what);
        f->dropped++;
        continue;
      }
      uint32_t t = 0;
      const char *rest = NULL;
      if (!ha_osc_parse_indexed(what, "/track/", &t, &rest)) {
        continue;
      }
      char text[64];
      int len;
      if (t >= 1 && t <= 6 && strcmp(rest, "/name") == 0) {
        snprintf(text, sizeof text, "T%u", (unsigned)t);
        len = test_osc_encode(out[queued], sizeof out[0], what, ",s", text);
      } else if (t >= 1 && t <= 6 && strcmp(rest, "/xyz") == 0) {
        len = test_osc_encode(out[queued], sizeof out[0], what, ",fff", (double)t, 0.0, 0.0);
      } else {
        snprintf(text, sizeof text, "from Core: Cannot get track,%u,%s", (unsigned)t, rest + 1);
        len = test_osc_encode(out[queued], sizeof out[0], "/error", ",s", text);
      }
      out_len[queued] = len;
      to[queued] = from;
      queued++;
    }
    if (queued == 4 || (r == 0 && queued > 0)) {
      for (int i = queued - 1; i >= 0; i--) {
        sendto(f->fd, out[i], (size_t)out_len[i], 0, (struct sockaddr *)&to[i], sizeof to[i]);
      }
      queued = 0;
    }
  }
  return NULL;
}

static void test_discover_lossy_reordered(void) {
  static flaky f;
  uint16_t port;
  f.fd = test_udp_open(0, &port);
  pthread_t th;
  pthread_create(&th, NULL, flaky_main, &f);
  ha_discovered_track res[16];
  size_t n = 0;
  ha_error err;
  ha_status st = ha_discover("127.0.0.1", port, 0, 60, res, 16, &n, &err);
  atomic_store(&f.stop, 1);
  pthread_join(th, NULL);
  CHECK_MSG(st == HA_OK, "discover: %s", err.message);
  CHECK_INT(n, 6);
  for (size_t i = 0; i < n && i < 6; i++) {
    char want[8];
    snprintf(want, sizeof want, "T%zu", i + 1);
    CHECK_STR(res[i].name, want);
    CHECK(res[i].has_position);
    CHECK_NEAR(res[i].position.x, (double)(i + 1), 1e-6);
  }
  printf("# flaky device dropped %ld first probes\n", f.dropped);
  CHECK(f.dropped >= 13); /* 7 names (6 + the /error) and 6 positions */
  close(f.fd);
}

int main(void) {
  RUN(test_every_track_address);
  RUN(test_unknown_track_error);
  RUN(test_clamping);
  RUN(test_push_to_destination);
  RUN(test_adm_osc);
  RUN(test_nested_bundles);
  RUN(test_malformed_counted);
  RUN(test_record_file);
  RUN(test_record_flushed_while_running);
  RUN(test_config_errors);
  RUN(test_discover_devsim);
  RUN(test_discover_nobody);
  RUN(test_discover_lossy_reordered);
  return test_done();
}
