/* Outputs over real sockets on 127.0.0.1: dialects byte for byte, dead-band
 * and keep-alive, the rate divider, bundles, time tags, track mapping, NaN,
 * a refusing destination, flush, validation, each call's report, and the
 * counters read from another thread while the wire is decoded. What was sent
 * is always read back from a receiver socket. Time is driven explicitly
 * (`now` is an argument); every wait on a socket is bounded. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "holoanim.h"
#include "test.h"
#include "test_net.h"

/* ---- receiver helpers ---------------------------------------------------- */

/* Datagrams until none arrives for timeout_ms. */
static int rx_count(int fd, int timeout_ms) {
  uint8_t buf[65536];
  int n = 0;
  while (test_udp_recv(fd, buf, sizeof buf, timeout_ms) >= 0) {
    n++;
  }
  return n;
}

/* One `,fff` message within timeout_ms: its address into addr, its floats
 * into v. Returns 0, or −1 when nothing (decodable) arrived. */
static int rx_fff(int fd, char *addr, size_t addr_cap, float v[3], int timeout_ms) {
  uint8_t buf[2048];
  ssize_t len = test_udp_recv(fd, buf, sizeof buf, timeout_ms);
  ha_osc_arg args[3];
  ha_osc_message m;
  if (len <= 0 || ha_osc_decode_message(buf, (size_t)len, &m, args, 3, NULL) != HA_OK ||
      m.arg_count != 3) {
    return -1;
  }
  snprintf(addr, addr_cap, "%s", m.address);
  for (int i = 0; i < 3; i++) {
    v[i] = args[i].v.f;
  }
  return 0;
}

static ha_output *make_output(ha_output_config *c, uint16_t port, size_t max_tracks) {
  c->host = "127.0.0.1";
  c->port = port;
  ha_output *o = NULL;
  ha_error err;
  ha_status st = ha_output_create(c, max_tracks, &o, &err);
  CHECK_MSG(st == HA_OK, "ha_output_create: %s", err.message);
  return o;
}

/* An output of config *c aimed at a fresh receiver on a free port (its
 * socket into *rx); rx_output_close ends both. */
static ha_output *rx_output(ha_output_config *c, size_t max_tracks, int *rx) {
  uint16_t port = 0;
  *rx = test_udp_receiver(&port);
  CHECK(*rx >= 0);
  return make_output(c, port, max_tracks);
}

static void rx_output_close(ha_output *o, int rx) {
  ha_output_destroy(o);
  close(rx);
}

static void check_bytes(const uint8_t *got, ssize_t got_len, const uint8_t *want, size_t want_len,
                        const char *what) {
  if (got_len != (ssize_t)want_len || memcmp(got, want, want_len) != 0) {
    HA_T_FAIL("%s: %zd bytes differ from the %zu expected", what, got_len, want_len);
    for (ssize_t i = 0; i < got_len; i++) {
      fprintf(stderr, "%02x%s", got[i], i % 4 == 3 ? " " : "");
    }
    fputc('\n', stderr);
  }
}

/* Send one position through a fresh output and compare the datagram. */
static void expect_packet(ha_output_config c, uint32_t id, double x, double y, double z,
                          const uint8_t *want, size_t want_len, const char *what) {
  int rx;
  ha_output *o = rx_output(&c, 4, &rx);
  CHECK_INT(ha_output_send(o, 0.0, 1, &id, &x, &y, &z, NULL), 1);
  uint8_t buf[2048];
  ssize_t n = test_udp_recv(rx, buf, sizeof buf, 2000);
  check_bytes(buf, n, want, want_len, what);
  rx_output_close(o, rx);
}

/* ---- dialects, byte for byte --------------------------------------------- */

static void test_holophonix_xyz_bytes(void) {
  /* PROTOCOL.md's worked example. */
  static const uint8_t want[] = {'/',  't',  'r',  'a',  'c',  'k',  '/',  '1',  '/',
                                 'x',  'y',  'z',  0,    0,    0,    0,    ',',  'f',
                                 'f',  'f',  0,    0,    0,    0,    0x3f, 0x80, 0x00,
                                 0x00, 0x40, 0x00, 0x00, 0x00, 0x3f, 0x00, 0x00, 0x00};
  expect_packet(ha_output_config_default(), 1, 1.0, 2.0, 0.5, want, sizeof want, "holophonix xyz");
}

static void test_holophonix_aed_bytes_both_signs(void) {
  ha_output_config c = ha_output_config_default();
  c.coords = HA_COORDS_AED;
  /* (1, 0, 0) is to the right: clockwise azimuth +90°, elevation 0, 1 m. */
  static const uint8_t cw[] = {'/',  't',  'r',  'a',  'c',  'k',  '/',  '2',  '/',
                               'a',  'e',  'd',  0,    0,    0,    0,    ',',  'f',
                               'f',  'f',  0,    0,    0,    0,    0x42, 0xb4, 0x00,
                               0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 0x80, 0x00, 0x00};
  expect_packet(c, 2, 1.0, 0.0, 0.0, cw, sizeof cw, "holophonix aed clockwise");
  c.azimuth_sign = HA_AZIMUTH_COUNTERCLOCKWISE;
  static const uint8_t ccw[] = {'/',  't',  'r',  'a',  'c',  'k',  '/',  '2',  '/',
                                'a',  'e',  'd',  0,    0,    0,    0,    ',',  'f',
                                'f',  'f',  0,    0,    0,    0,    0xc2, 0xb4, 0x00,
                                0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 0x80, 0x00, 0x00};
  expect_packet(c, 2, 1.0, 0.0, 0.0, ccw, sizeof ccw, "holophonix aed counter-clockwise");
}

static void test_adm_xyz_bytes_normalised_scaled(void) {
  ha_output_config c = ha_output_config_default();
  c.dialect = HA_DIALECT_ADM_OSC;
  c.adm_scale = 10.0;
  /* (5, −20, 2.5) m over 10 m: (0.5, −2, 0.25), outside the cube: halved as
   * a whole to (0.25, −1, 0.125), the same direction. */
  static const uint8_t want[] = {'/',  'a',  'd',  'm',  '/',  'o',  'b',  'j',  '/',
                                 '3',  '/',  'x',  'y',  'z',  0,    0,    ',',  'f',
                                 'f',  'f',  0,    0,    0,    0,    0x3e, 0x80, 0x00,
                                 0x00, 0xbf, 0x80, 0x00, 0x00, 0x3e, 0x00, 0x00, 0x00};
  expect_packet(c, 3, 5.0, -20.0, 2.5, want, sizeof want, "adm xyz");
}

static void test_adm_aed_bytes_sign(void) {
  ha_output_config c = ha_output_config_default();
  c.dialect = HA_DIALECT_ADM_OSC;
  c.coords = HA_COORDS_AED;
  c.adm_scale = 4.0;
  c.azimuth_sign = HA_AZIMUTH_CLOCKWISE; /* ignored: ADM's + is left */
  /* (−1, 0, 0) is to the left: ADM azimuth +90°, distance 1/4. */
  static const uint8_t left[] = {'/',  'a',  'd',  'm',  '/',  'o',  'b',  'j',  '/',
                                 '1',  '2',  '/',  'a',  'e',  'd',  0,    ',',  'f',
                                 'f',  'f',  0,    0,    0,    0,    0x42, 0xb4, 0x00,
                                 0x00, 0x00, 0x00, 0x00, 0x00, 0x3e, 0x80, 0x00, 0x00};
  expect_packet(c, 12, -1.0, 0.0, 0.0, left, sizeof left, "adm aed left");
  /* (0, 0, 40): straight up, 40 m over 4 m clamps to distance 1. */
  static const uint8_t up[] = {'/',  'a',  'd',  'm',  '/',  'o',  'b',  'j',  '/',
                               '1',  '2',  '/',  'a',  'e',  'd',  0,    ',',  'f',
                               'f',  'f',  0,    0,    0,    0,    0x00, 0x00, 0x00,
                               0x00, 0x42, 0xb4, 0x00, 0x00, 0x3f, 0x80, 0x00, 0x00};
  expect_packet(c, 12, 0.0, 0.0, 40.0, up, sizeof up, "adm aed up, clamped");
}

/* A radius-30 m circle at admScale 10 (three times outside the cube), with
 * some height: the azimuth an xyz receiver computes (atan2(−x, y)) and the
 * elevation equal what the aed output sends, all the way round. Clamping per
 * axis put the source in a corner (−135° while its direction is −160°). */
static void test_adm_xyz_keeps_direction(void) {
  ha_output_config cx = ha_output_config_default(), ca;
  cx.dialect = HA_DIALECT_ADM_OSC;
  cx.adm_scale = 10.0;
  ca = cx;
  ca.coords = HA_COORDS_AED;
  int rx_x, rx_a;
  ha_output *ox = rx_output(&cx, 4, &rx_x), *oa = rx_output(&ca, 4, &rx_a);
  for (int k = 0; k < 36; k++) {
    double th = (double)k * 10.0 * M_PI / 180.0;
    double x = 30.0 * cos(th), y = 30.0 * sin(th), z = (k % 3) * 4.0;
    uint32_t id = 1;
    double now = (double)k;
    CHECK_INT(ha_output_flush(ox, now, 1, &id, &x, &y, &z, NULL), 1);
    CHECK_INT(ha_output_flush(oa, now, 1, &id, &x, &y, &z, NULL), 1);
    char ax[64], aa[64];
    float vx[3], va[3];
    CHECK_INT(rx_fff(rx_x, ax, sizeof ax, vx, 2000), 0);
    CHECK_INT(rx_fff(rx_a, aa, sizeof aa, va, 2000), 0);
    CHECK_STR(ax, "/adm/obj/1/xyz");
    CHECK_STR(aa, "/adm/obj/1/aed");
    double big = fmax(fabs(vx[0]), fmax(fabs(vx[1]), fabs(vx[2])));
    CHECK_NEAR(big, 1.0, 1e-6); /* on the cube's surface */
    double az = atan2(-(double)vx[0], (double)vx[1]) * 180.0 / M_PI;
    double el = atan2((double)vx[2], hypot((double)vx[0], (double)vx[1])) * 180.0 / M_PI;
    CHECK_MSG(fabs(ha_angle_diff_deg(az, (double)va[0])) < 1e-3,
              "k=%d: xyz azimuth %.4f, aed azimuth %.4f", k, az, (double)va[0]);
    CHECK_NEAR(el, (double)va[1], 1e-3);
    CHECK_NEAR((double)va[2], 1.0, 1e-6); /* the distance saturates */
  }
  rx_output_close(ox, rx_x);
  rx_output_close(oa, rx_a);
}

/* Port 0 is the dialect's default: ADM-OSC receivers listen on 4001. */
static void test_default_port_by_dialect(void) {
  CHECK_INT(ha_output_port_or_default(0, HA_DIALECT_ADM_OSC), 4001);
  CHECK_INT(ha_output_port_or_default(0, HA_DIALECT_HOLOPHONIX), 4003);
  CHECK_INT(ha_output_port_or_default(9000, HA_DIALECT_ADM_OSC), 9000);
  ha_output_config c = ha_output_config_default();
  c.host = "127.0.0.1";
  c.port = 0;
  c.dialect = HA_DIALECT_ADM_OSC;
  ha_output *o = NULL;
  CHECK_OK(ha_output_create(&c, 1, &o, NULL));
  CHECK_STR(ha_output_destination(o), "127.0.0.1:4001");
  ha_output_destroy(o);
  c.dialect = HA_DIALECT_HOLOPHONIX;
  CHECK_OK(ha_output_create(&c, 1, &o, NULL));
  CHECK_STR(ha_output_destination(o), "127.0.0.1:4003");
  ha_output_destroy(o);
}

/* One `,f` message: its address and value. */
static int rx_f(int fd, char *addr, size_t cap, float *v, int timeout_ms) {
  uint8_t buf[2048];
  ssize_t len = test_udp_recv(fd, buf, sizeof buf, timeout_ms);
  ha_osc_arg args[1];
  ha_osc_message m;
  if (len <= 0 || ha_osc_decode_message(buf, (size_t)len, &m, args, 1, NULL) != HA_OK ||
      m.arg_count != 1 || args[0].type != 'f') {
    return -1;
  }
  snprintf(addr, cap, "%s", m.address);
  *v = args[0].v.f;
  return 0;
}

/* A listed track's gain goes just before its first position (linear for
 * ADM-OSC, dB for Holophonix), not again while it moves, again after a
 * keep-alive period; an unlisted track gets none. */
static void test_gain_sent(void) {
  static const ha_output_gain gains[] = {{3, -6.0}};
  for (int adm = 0; adm < 2; adm++) {
    ha_output_config c = ha_output_config_default();
    c.dialect = adm ? HA_DIALECT_ADM_OSC : HA_DIALECT_HOLOPHONIX;
    c.gains = gains;
    c.gains_len = 1;
    c.keep_alive_s = 1.0;
    int rx;
    ha_output *o = rx_output(&c, 4, &rx);
    uint32_t ids[2] = {3, 4};
    double x[2] = {1, 1}, y[2] = {0, 0}, z[2] = {0, 0};
    CHECK_INT(ha_output_send(o, 0.0, 2, ids, x, y, z, NULL), 2);
    char a[64];
    float g = 0, v[3];
    CHECK_INT(rx_f(rx, a, sizeof a, &g, 2000), 0);
    CHECK_STR(a, adm ? "/adm/obj/3/gain" : "/track/3/gain");
    CHECK_NEAR((double)g, adm ? pow(10.0, -6.0 / 20.0) : -6.0, 1e-6);
    CHECK_INT(rx_fff(rx, a, sizeof a, v, 2000), 0);
    CHECK_STR(a, adm ? "/adm/obj/3/xyz" : "/track/3/xyz");
    CHECK_INT(rx_fff(rx, a, sizeof a, v, 2000), 0); /* track 4: no gain */
    CHECK_STR(a, adm ? "/adm/obj/4/xyz" : "/track/4/xyz");
    x[0] = x[1] = 2;
    CHECK_INT(ha_output_send(o, 0.5, 2, ids, x, y, z, NULL), 2);
    CHECK_INT(rx_count(rx, 200), 2); /* positions only */
    x[0] = x[1] = 3;
    CHECK_INT(ha_output_send(o, 1.5, 2, ids, x, y, z, NULL), 2);
    CHECK_INT(rx_count(rx, 200), 3); /* the gain again */
    rx_output_close(o, rx);
  }
  /* Bundled: the gain and its position in one bundle. */
  ha_output_config c = ha_output_config_default();
  c.dialect = HA_DIALECT_ADM_OSC;
  c.gains = gains;
  c.gains_len = 1;
  c.bundle = true;
  c.bundle_max_messages = 1;
  int rx;
  ha_output *o = rx_output(&c, 4, &rx);
  uint32_t id = 3;
  double x = 1, y = 0, z = 0;
  CHECK_INT(ha_output_send(o, 0.0, 1, &id, &x, &y, &z, NULL), 1);
  uint8_t buf[2048];
  ssize_t n = test_udp_recv(rx, buf, sizeof buf, 2000);
  ha_osc_packet pkt;
  CHECK(n > 0);
  CHECK_OK(ha_osc_decode(buf, (size_t)n, &pkt, NULL, 0, NULL));
  CHECK_INT(pkt.kind, HA_OSC_PACKET_BUNDLE);
  const char *want[] = {"/adm/obj/3/gain", "/adm/obj/3/xyz"};
  const uint8_t *el;
  size_t el_len;
  int k = 0;
  while (ha_osc_bundle_next(&pkt.bundle, &el, &el_len) && k < 3) {
    ha_osc_arg args[3];
    ha_osc_message m;
    CHECK_OK(ha_osc_decode_message(el, el_len, &m, args, 3, NULL));
    CHECK_STR(m.address, k < 2 ? want[k] : "(none)");
    k++;
  }
  CHECK_INT(k, 2);
  CHECK_INT(rx_count(rx, 200), 0);
  rx_output_close(o, rx);
}

/* ---- dead-band and keep-alive ------------------------------------------- */

typedef struct step {
  double t, x;
  int sent; /* messages expected from this call */
} step;

static void test_deadband_and_keepalive(void) {
  int rx;
  ha_output_config c = ha_output_config_default();
  c.rate_hz = 1000; /* due on every call below */
  ha_output *o = rx_output(&c, 4, &rx);
  const step steps[] = {
      {0.00, 0.0, 1},                        /* first sight */
      {0.01, 0.0, 0},                        /* unchanged */
      {0.02, 0.0005, 0},                     /* 0.5 mm: inside the 1 mm band */
      {0.03, 0.0015, 1},                     /* 1.5 mm from the last *sent* value */
      {0.04, 0.0024, 0},                     /* 0.9 mm from 0.0015 */
      {0.05, 0.0026, 1},                     /* 1.1 mm: out */
      {1.04, 0.0026, 0},                     /* 0.99 s since the last send */
      {1.051, 0.0026, 1},                    /* 1.001 s: keep-alive refresh */
      {1.06, 0.0026, 0},  {2.06, 0.0026, 1}, /* and again a second later */
  };
  uint32_t id = 5;
  double y = 1.0, z = 2.0;
  int expect_total = 0, received = 0;
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
    ha_output_report rep;
    int r = ha_output_send(o, steps[i].t, 1, &id, &steps[i].x, &y, &z, &rep);
    CHECK_MSG(r == steps[i].sent, "step %zu (t=%g): sent %d, expected %d", i, steps[i].t, r,
              steps[i].sent);
    CHECK_INT(rep.messages, r);
    expect_total += steps[i].sent;
    /* What left is read back now, so each datagram belongs to its call. */
    char addr[64];
    float v[3];
    if (r == 1 && rx_fff(rx, addr, sizeof addr, v, 2000) == 0) {
      CHECK_STR(addr, "/track/5/xyz"); /* only track 5, never another id */
      CHECK_NEAR(v[0], (float)steps[i].x, 0);
      received++;
    }
  }
  ha_output_stats st;
  CHECK_OK(ha_output_get_stats(o, &st));
  CHECK_INT(st.messages, expect_total);
  CHECK_INT(st.deadband_skips, 5);
  CHECK_INT(st.keepalive_sends, 2);
  CHECK_INT(received, expect_total);
  CHECK_INT(rx_count(rx, 200), 0); /* nothing else left */
  rx_output_close(o, rx);
}

static void test_deadband_aed(void) {
  int rx;
  ha_output_config c = ha_output_config_default();
  c.coords = HA_COORDS_AED;
  c.rate_hz = 1000;
  c.keep_alive_s = 0; /* off */
  ha_output *o = rx_output(&c, 4, &rx);
  /* (azimuth °, distance m) on the horizontal plane, clockwise. */
  const double az_d[][3] = {
      {10.0, 2.0, 1},     {10.05, 2.0, 0},    {10.15, 2.0, 1}, /* 0.1° band */
      {10.15, 2.0005, 0}, {10.15, 2.0015, 1},                  /* 1 mm on distance */
      {179.95, 2.0, 1},   {-179.98, 2.0, 0},                   /* across ±180: 0.07° */
      {100.0, 2.0, 1},
  };
  uint32_t id = 1;
  for (size_t i = 0; i < sizeof az_d / sizeof az_d[0]; i++) {
    double a = az_d[i][0] * M_PI / 180.0, d = az_d[i][1];
    double x = d * sin(a), y = d * cos(a), z = 0.0;
    int r = ha_output_send(o, 0.01 * (double)(i + 1), 1, &id, &x, &y, &z, NULL);
    CHECK_MSG(r == (int)az_d[i][2], "step %zu: sent %d", i, r);
  }
  rx_output_close(o, rx);
}

/* ---- rate divider -------------------------------------------------------- */

static void test_rate_divider(void) {
  int rx;
  ha_output_config c = ha_output_config_default();
  c.rate_hz = 30;
  c.deadband_m = 0;
  ha_output *o = rx_output(&c, 4, &rx);
  uint32_t id = 1;
  int sends = 0, first[4] = {-1, -1, -1, -1};
  for (int k = 0; k < 100; k++) { /* 1 s of a 100 Hz tick */
    double x = (double)k, y = 0, z = 0;
    if (ha_output_send(o, (double)k / 100.0, 1, &id, &x, &y, &z, NULL) > 0) {
      if (sends < 4) {
        first[sends] = k;
      }
      sends++;
    }
  }
  CHECK_INT(sends, 30);
  /* Deadlines 0, 33.3, 66.7, 100 ms: the first tick at or after each. */
  CHECK_INT(first[0], 0);
  CHECK_INT(first[1], 4);
  CHECK_INT(first[2], 7);
  CHECK_INT(first[3], 10);
  ha_output_stats st;
  ha_output_get_stats(o, &st);
  CHECK_INT(st.rate_skips, 70);
  CHECK_INT(rx_count(rx, 200), 30);
  ha_output_destroy(o);

  /* Same rate as a jittery tick: every tick sends (no frame lost to a tick
   * that comes a little earlier than the first one did). */
  c.rate_hz = 100;
  o = make_output(&c, (uint16_t)c.port, 4); /* the same receiver */
  uint64_t seed = 42;
  printf("# jitter seed %llu\n", (unsigned long long)seed);
  sends = 0;
  for (int k = 0; k < 200; k++) {
    double jitter = k == 0 ? 0.0008 : ha_t_uniform(&seed, 0.0, 0.0009);
    double x = (double)k, y = 0, z = 0;
    sends += ha_output_send(o, (double)k / 100.0 + jitter, 1, &id, &x, &y, &z, NULL) > 0;
  }
  CHECK_INT(sends, 200);
  rx_output_close(o, rx);
}

/* ---- bundles ------------------------------------------------------------- */

static void check_bundles(bool limit8) {
  int rx;
  ha_output_config c = ha_output_config_default();
  c.bundle = true;
  c.bundle_max_messages = limit8 ? 8 : 0;
  enum { N = 100 };
  ha_output *o = rx_output(&c, N, &rx);
  uint32_t ids[N];
  double x[N], y[N], z[N];
  for (int i = 0; i < N; i++) {
    ids[i] = (uint32_t)(i + 1);
    x[i] = i;
    y[i] = -i;
    z[i] = 0.5 * i;
  }
  ha_output_report rep;
  CHECK_INT(ha_output_send(o, 0.0, N, ids, x, y, z, &rep), N);
  bool seen[N + 1] = {false};
  int msgs = 0, dgrams = 0;
  long bytes = 0;
  uint8_t buf[65536];
  ssize_t len;
  while (msgs < N && (len = test_udp_recv(rx, buf, sizeof buf, 2000)) >= 0) {
    dgrams++;
    bytes += len;
    CHECK_MSG(len <= 1472, "datagram of %zd bytes", len);
    ha_osc_packet pkt;
    ha_error err;
    CHECK_OK(ha_osc_validate(buf, (size_t)len, &err));
    CHECK_OK(ha_osc_decode(buf, (size_t)len, &pkt, NULL, 0, &err));
    CHECK_INT(pkt.kind, HA_OSC_PACKET_BUNDLE);
    CHECK(pkt.bundle.timetag == HA_OSC_TIMETAG_IMMEDIATE);
    const uint8_t *el;
    size_t el_len;
    int in_this = 0;
    while (ha_osc_bundle_next(&pkt.bundle, &el, &el_len)) {
      ha_osc_arg args[3];
      ha_osc_message m;
      CHECK_OK(ha_osc_decode_message(el, el_len, &m, args, 3, &err));
      uint32_t n = 0;
      const char *rest = NULL;
      CHECK(ha_osc_parse_indexed(m.address, "/track/", &n, &rest));
      CHECK_STR(rest, "/xyz");
      if (n >= 1 && n <= N) {
        CHECK(!seen[n]);
        seen[n] = true;
        CHECK_NEAR(args[0].v.f, (double)(n - 1), 1e-6);
        CHECK_NEAR(args[1].v.f, -(double)(n - 1), 1e-6);
        CHECK_NEAR(args[2].v.f, 0.5 * (n - 1), 1e-6);
      }
      msgs++;
      in_this++;
    }
    if (limit8) {
      CHECK(in_this <= 8);
    }
  }
  CHECK_INT(msgs, N);
  /* 40 bytes per element: (1472 − 16) / 40 = 36 per bundle. */
  CHECK_INT(dgrams, limit8 ? 13 : 3);
  ha_output_stats st;
  ha_output_get_stats(o, &st);
  CHECK_INT(st.datagrams, dgrams);
  CHECK_INT(st.syscalls, 1);
  /* The call's report is what the receiver got. */
  CHECK_INT(rep.messages, N);
  CHECK_INT(rep.datagrams, dgrams);
  CHECK_INT(rep.bytes, bytes);
  CHECK_INT(st.bytes, bytes);
  CHECK_INT(rep.send_errors, 0);
  CHECK_INT(rep.unsent, 0);
  rx_output_close(o, rx);
}

static void test_bundles_packed(void) {
  check_bundles(false);
  check_bundles(true);
}

static void test_lookahead_timetag(void) {
  int rx;
  ha_output_config c = ha_output_config_default();
  c.bundle = true;
  c.lookahead_ms = 250;
  ha_output *o = rx_output(&c, 4, &rx);
  uint32_t id = 1;
  double x = 1, y = 2, z = 3;
  /* The tag is the wall clock read during the send plus 250 ms: between
   * the clock before the call and the clock after it, each plus 250 ms
   * (eps: a double holds today's Unix time to about 0.24 us). */
  const double eps = 1e-6;
  struct timespec ts;
  timespec_get(&ts, TIME_UTC);
  double before = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
  CHECK_INT(ha_output_send(o, 0.0, 1, &id, &x, &y, &z, NULL), 1);
  timespec_get(&ts, TIME_UTC);
  double after = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
  uint8_t buf[2048];
  ssize_t len = test_udp_recv(rx, buf, sizeof buf, 60000);
  ha_osc_packet pkt;
  CHECK(len > 0);
  CHECK_OK(ha_osc_decode(buf, (size_t)(len > 0 ? len : 0), &pkt, NULL, 0, NULL));
  double tt = ha_osc_timetag_to_unix(pkt.bundle.timetag);
  CHECK_MSG(tt >= before + 0.25 - eps && tt <= after + 0.25 + eps,
            "time tag %.6f s after the call began, %.6f s after it returned, expected 0.25 "
            "within the call",
            tt - before, tt - after);
  rx_output_close(o, rx);
}

/* ---- mapping, NaN, flush ------------------------------------------------- */

static void recv_address(int rx, char *out, size_t cap) {
  uint8_t buf[2048];
  ssize_t len = test_udp_recv(rx, buf, sizeof buf, 2000);
  out[0] = '\0';
  ha_osc_arg args[3];
  ha_osc_message m;
  if (len > 0 && ha_osc_decode_message(buf, (size_t)len, &m, args, 3, NULL) == HA_OK) {
    snprintf(out, cap, "%s", m.address);
  }
}

static void test_track_mapping(void) {
  int rx;
  const ha_output_map_entry map[] = {{8, 1}, {7, 3}};
  ha_output_config c = ha_output_config_default();
  c.map = map;
  c.map_len = 2;
  ha_output *o = rx_output(&c, 8, &rx);
  uint32_t ids[3] = {7, 8, 9};
  double x[3] = {1, 2, 3}, y[3] = {0, 0, 0}, z[3] = {0, 0, 0};
  CHECK_INT(ha_output_send(o, 0.0, 3, ids, x, y, z, NULL), 3);
  char a[64];
  recv_address(rx, a, sizeof a);
  CHECK_STR(a, "/track/3/xyz");
  recv_address(rx, a, sizeof a);
  CHECK_STR(a, "/track/1/xyz");
  recv_address(rx, a, sizeof a);
  CHECK_STR(a, "/track/9/xyz"); /* not in the map: identity */
  uint32_t idx = 0;
  CHECK(ha_output_map_id(o, 7, &idx) && idx == 3);
  CHECK(ha_output_map_id(o, 9, &idx) && idx == 9);
  ha_output_destroy(o);

  c.map_only = true;
  o = make_output(&c, (uint16_t)c.port, 8); /* the same receiver */
  CHECK_INT(ha_output_send(o, 0.0, 3, ids, x, y, z, NULL), 2);
  CHECK(!ha_output_map_id(o, 9, &idx));
  ha_output_stats st;
  ha_output_get_stats(o, &st);
  CHECK_INT(st.unmapped, 1);
  CHECK_INT(rx_count(rx, 200), 2);
  rx_output_close(o, rx);
}

static void test_nan_skipped_and_counted(void) {
  int rx;
  ha_output_config c = ha_output_config_default();
  c.rate_hz = 1000;
  ha_output *o = rx_output(&c, 4, &rx);
  uint32_t ids[3] = {1, 2, 3};
  double x[3] = {1, 2, 3}, y[3] = {0, NAN, 0}, z[3] = {0, 0, INFINITY};
  CHECK_INT(ha_output_send(o, 0.0, 3, ids, x, y, z, NULL), 1);
  CHECK_INT(ha_output_send(o, 0.01, 3, ids, x, y, z, NULL), 0);
  CHECK_INT(ha_output_flush(o, 0.02, 3, ids, x, y, z, NULL), 1);
  ha_output_stats st;
  ha_output_get_stats(o, &st);
  CHECK_INT(st.nonfinite, 6);
  uint8_t buf[2048];
  ssize_t len;
  int got = 0;
  while ((len = test_udp_recv(rx, buf, sizeof buf, 200)) > 0) {
    ha_osc_arg args[3];
    ha_osc_message m;
    CHECK_OK(ha_osc_decode_message(buf, (size_t)len, &m, args, 3, NULL));
    CHECK_STR(m.address, "/track/1/xyz");
    for (int i = 0; i < 3; i++) {
      CHECK(isfinite(args[i].v.f));
    }
    got++;
  }
  CHECK_INT(got, 2); /* and each was track 1's: tracks 2 and 3 never left */
  rx_output_close(o, rx);
}

static void test_flush_ignores_rate_and_deadband(void) {
  int rx;
  ha_output_config c = ha_output_config_default();
  c.rate_hz = 1;
  ha_output *o = rx_output(&c, 4, &rx);
  uint32_t ids[3] = {1, 2, 3};
  double x[3] = {1, 2, 3}, y[3] = {0, 0, 0}, z[3] = {0, 0, 0};
  CHECK_INT(ha_output_send(o, 0.0, 3, ids, x, y, z, NULL), 3);
  CHECK_INT(ha_output_send(o, 0.1, 3, ids, x, y, z, NULL), 0); /* not due */
  CHECK_INT(ha_output_flush(o, 0.2, 3, ids, x, y, z, NULL), 3);
  CHECK_INT(ha_output_send(o, 0.5, 3, ids, x, y, z, NULL), 0); /* still not due */
  CHECK_INT(ha_output_send(o, 1.0, 3, ids, x, y, z, NULL), 0); /* due, all inside the band */
  CHECK_INT(rx_count(rx, 200), 6);
  CHECK_INT(ha_output_send(o, 2.0, 5, ids, x, y, z, NULL), HA_EINVAL); /* n > max_tracks */
  rx_output_close(o, rx);
}

/* ---- a refusing destination --------------------------------------------- */

static void test_refused_then_receiver_appears(void) {
  uint16_t port = 0;
  int tmp = test_udp_receiver(&port);
  CHECK(tmp >= 0);
  close(tmp); /* nothing listens on `port` now */
  ha_output_config c = ha_output_config_default();
  c.rate_hz = 1000;
  c.keep_alive_s = 0;
  ha_output *o = make_output(&c, port, 4);
  uint32_t id = 1;
  double x = 0, y = 0, z = 0;
  ha_output_stats st;
  double t = 0;
  bool refused = false;
  /* The first send leaves (and the kernel answers ICMP port unreachable); a
   * later send on the connected socket reports ECONNREFUSED. How soon the
   * answer arrives is the kernel's business: wait for it up to 60 s. */
  double deadline = ha_monotonic_now() + 60.0;
  for (int k = 0; !refused && ha_monotonic_now() < deadline; k++) {
    x = (double)k; /* moving: every call wants to send */
    t += 0.001;
    ha_output_report rep;
    int r = ha_output_send(o, t, 1, &id, &x, &y, &z, &rep);
    CHECK(r >= 0);
    ha_output_get_stats(o, &st);
    refused = st.err_refused > 0;
    if (refused) {
      /* The refused position does not count as sent: this call reports
       * nothing left, one message waiting and one error. */
      CHECK_INT(r, 0);
      CHECK_INT(rep.messages, 0);
      CHECK_INT(rep.unsent, 1);
      CHECK_INT(rep.send_errors, 1);
    } else {
      struct timespec ms = {0, 1000000};
      nanosleep(&ms, NULL);
    }
  }
  CHECK(refused);
  CHECK_INT(st.last_errno, ECONNREFUSED);
  CHECK(st.unsent >= 1);
  /* A receiver appears on that port; the position that was refused has not
   * moved, but it was never sent: the next tick must deliver it. */
  int rx = test_udp_open(port, NULL);
  CHECK_MSG(rx >= 0, "port %u taken meanwhile", (unsigned)port);
  t += 0.001;
  CHECK_INT(ha_output_send(o, t, 1, &id, &x, &y, &z, NULL), 1);
  uint8_t buf[2048];
  ssize_t len = test_udp_recv(rx, buf, sizeof buf, 60000);
  ha_osc_arg args[3];
  ha_osc_message m;
  CHECK(len > 0);
  CHECK_OK(ha_osc_decode_message(buf, (size_t)(len > 0 ? len : 0), &m, args, 3, NULL));
  CHECK_NEAR(args[0].v.f, x, 0); /* exactly the refused position (an integer) */
  for (int k = 0; k < 10; k++) {
    double nx = x + k + 1;
    t += 0.001;
    CHECK_INT(ha_output_send(o, t, 1, &id, &nx, &y, &z, NULL), 1);
  }
  CHECK_INT(rx_count(rx, 200), 10);
  ha_output_destroy(o);
  close(rx);
}

/* ---- validation ---------------------------------------------------------- */

static void expect_invalid(ha_output_config c, ha_status want, const char *name) {
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha_output_config_validate(&c, &err);
  CHECK_MSG(st == want, "%s: status %d, expected %d", name, st, want);
  CHECK_MSG(strncmp(err.message, name, strlen(name)) == 0, "message '%s' should name %s",
            err.message, name);
}

static void test_validation(void) {
  ha_output_config d = ha_output_config_default();
  CHECK_OK(ha_output_config_validate(&d, NULL));
  ha_output_config c = d;
  c.rate_hz = 2000;
  expect_invalid(c, HA_ERANGE, "rate_hz");
  ha_error err;
  ha_output_config_validate(&c, &err);
  CHECK_STR(err.message, "rate_hz: 2000 is above the maximum 1000");
  c = d;
  c.port = -1;
  expect_invalid(c, HA_ERANGE, "port");
  c = d;
  c.port = 70000;
  expect_invalid(c, HA_ERANGE, "port");
  c = d;
  static const ha_output_gain loud[] = {{1, 0.0}, {2, 20.0}};
  c.gains = loud;
  c.gains_len = 2;
  expect_invalid(c, HA_ERANGE, "gains[1].db");
  static const ha_output_gain twice[] = {{1, 0.0}, {1, -3.0}};
  c.gains = twice;
  c.host = "127.0.0.1";
  ha_output *twice_out = NULL;
  CHECK_INT(ha_output_create(&c, 2, &twice_out, NULL), HA_EINVAL);
  CHECK(twice_out == NULL);
  c = d;
  c.host = "";
  expect_invalid(c, HA_EINVAL, "host");
  c = d;
  c.adm_scale = 0;
  expect_invalid(c, HA_ERANGE, "adm_scale");
  c = d;
  c.deadband_m = -1;
  expect_invalid(c, HA_ERANGE, "deadband_m");
  c = d;
  c.keep_alive_s = 0.0001;
  expect_invalid(c, HA_ERANGE, "keep_alive_s");
  c = d;
  c.max_datagram = 32;
  expect_invalid(c, HA_ERANGE, "max_datagram");
  c = d;
  c.dialect = (ha_output_dialect)7;
  expect_invalid(c, HA_EINVAL, "dialect");
  c = d;
  const ha_output_map_entry dup[] = {{1, 1}, {2, 2}, {1, 3}};
  c.map = dup;
  c.map_len = 3;
  expect_invalid(c, HA_EINVAL, "map[2].track");
  const ha_output_map_entry zero[] = {{1, 0}};
  c.map = zero;
  c.map_len = 1;
  expect_invalid(c, HA_EINVAL, "map[0].index");

  c = d;
  c.host = "no-such-host.invalid";
  ha_output *o = NULL;
  ha_status st = ha_output_create(&c, 4, &o, &err);
  CHECK(st == HA_EINVAL || st == HA_EIO);
  CHECK(o == NULL);
  CHECK_MSG(strncmp(err.message, "host", 4) == 0, "message: %s", err.message);
  CHECK_INT(ha_output_create(&d, 0, &o, &err), HA_ERANGE);
  ha_output_destroy(NULL);

  ha_output_dialect dia;
  ha_output_coords co;
  CHECK_OK(ha_output_dialect_parse("adm", &dia, NULL));
  CHECK_INT(dia, HA_DIALECT_ADM_OSC);
  CHECK_OK(ha_output_coords_parse("aed", &co, NULL));
  CHECK_INT(co, HA_COORDS_AED);
  CHECK_INT(ha_output_dialect_parse("spat", &dia, &err), HA_EINVAL);
  CHECK_STR(ha_output_dialect_name(HA_DIALECT_HOLOPHONIX), "holophonix");
}

/* ---- counters from another thread, the wire decoded --------------------- */

typedef struct reader_arg {
  ha_output *o;
  int rx;
  atomic_int stop;
  long reads, received, torn, out_of_order;
  float last;
} reader_arg;

/* Drain the receiver: every message must be one whole (k, k, k) position
 * (the writer sends nothing else), k increasing. */
static void reader_drain(reader_arg *a, int timeout_ms) {
  char addr[64];
  float v[3];
  while (rx_fff(a->rx, addr, sizeof addr, v, timeout_ms) == 0) {
    a->received++;
    if (v[0] < v[1] || v[0] > v[1] || v[0] < v[2] || v[0] > v[2]) {
      a->torn++;
    }
    if (!(v[0] > a->last)) {
      a->out_of_order++;
    }
    a->last = v[0];
  }
}

static void *reader_main(void *p) {
  reader_arg *a = p;
  while (!atomic_load(&a->stop)) {
    ha_output_stats st;
    ha_output_get_stats(a->o, &st);
    a->reads++;
    reader_drain(a, 0);
  }
  return NULL;
}

/* ha_output_get_stats read in a loop by another thread while this one
 * sends: a ThreadSanitizer target (scripts/test.sh runs it there), so the
 * concurrent reads themselves assert nothing. What is checked is the wire:
 * every datagram the reader decodes is one whole (k, k, k) position, in
 * order, and the final count is exact once the reader has stopped. */
static void test_stats_concurrent_wire_whole(void) {
  int rx;
  ha_output_config c = ha_output_config_default();
  c.rate_hz = 1000;
  c.deadband_m = 0;
  ha_output *o = rx_output(&c, 4, &rx);
  reader_arg a = {o, rx, 0, 0, 0, 0, 0, 0.0f};
  pthread_t th;
  pthread_create(&th, NULL, reader_main, &a);
  uint32_t id = 1;
  for (int k = 1; k <= 20000; k++) {
    double v = k;
    ha_output_send(o, v, 1, &id, &v, &v, &v, NULL);
  }
  atomic_store(&a.stop, 1);
  pthread_join(th, NULL);
  reader_drain(&a, 200);
  printf("# %ld concurrent stats reads, %ld messages decoded\n", a.reads, a.received);
  CHECK_INT(a.torn, 0);
  CHECK_INT(a.out_of_order, 0);
  CHECK(a.received > 0); /* the receive buffer may drop some, never all */
  ha_output_stats st;
  ha_output_get_stats(o, &st);
  CHECK_INT(st.messages, 20000);
  rx_output_close(o, rx);
}

int main(void) {
  RUN(test_holophonix_xyz_bytes);
  RUN(test_holophonix_aed_bytes_both_signs);
  RUN(test_adm_xyz_bytes_normalised_scaled);
  RUN(test_adm_xyz_keeps_direction);
  RUN(test_default_port_by_dialect);
  RUN(test_gain_sent);
  RUN(test_adm_aed_bytes_sign);
  RUN(test_deadband_and_keepalive);
  RUN(test_deadband_aed);
  RUN(test_rate_divider);
  RUN(test_bundles_packed);
  RUN(test_lookahead_timetag);
  RUN(test_track_mapping);
  RUN(test_nan_skipped_and_counted);
  RUN(test_flush_ignores_rate_and_deadband);
  RUN(test_refused_then_receiver_appears);
  RUN(test_validation);
  RUN(test_stats_concurrent_wire_whole);
  return test_done();
}
