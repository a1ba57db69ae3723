/* The output's fast paths (the bundled loop with its per-track templates and
 * the bytes it keeps from the previous encode, the plain loop) against the
 * reference encoder (ha_osc_encode_track_fff, ha_osc_writer) on random
 * shows, byte for byte, datagram by datagram: random ids (1 to 10 digits:
 * every address length), dialects, datagram sizes, bundle limits,
 * dead-bands, positions that stay, move, turn NaN or infinite, calls in a
 * shuffled order or with a subset of the tracks (the fast path leaves
 * those to the general one and back). The expected datagrams are built
 * here from the documented rules (a position goes when first seen or moved
 * beyond the dead-band from what was last sent; bundles are filled in call
 * order up to max_datagram and bundle_max_messages). Seed printed. */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "holoanim.h"
#include "test.h"
#include "test_net.h"

/* src/io's switch between the bundled loop's copies (io_internal.h): odd
 * cases run the SSE2 copy, even ones the CPU's choice (SSSE3 here). */
void ha__output_use_ssse3(ha_output *o, bool on);

#define TRACKS 48
#define TICKS 12

/* What the test knows of a track: what was last sent of it. */
typedef struct track {
  uint32_t id;
  double x, y, z;
  bool sent;
  double wire[3];
} track;

/* The expected datagrams of one call. */
typedef struct expected {
  uint8_t buf[TRACKS * 128];
  size_t len[2 * TRACKS], off[2 * TRACKS];
  size_t count, pos, messages;
  ha_osc_writer w; /* the open bundle */
  size_t in_bundle;
} expected;

static void expected_close(expected *ex) {
  if (ex->in_bundle > 0) {
    CHECK_OK(ha_osc_writer_end_bundle(&ex->w));
    int n = ha_osc_writer_finish(&ex->w);
    CHECK(n > 0);
    ex->len[ex->count++] = (size_t)n;
    ex->pos += (size_t)n;
    ex->in_bundle = 0;
  }
}

/* One message into the expected datagrams, as the reference writes it. */
static void expected_add(expected *ex, const ha_output_config *c, const char *prefix, uint32_t id,
                         const double w[3]) {
  uint8_t msg[64];
  int m = ha_osc_encode_track_fff(msg, sizeof msg, prefix, id, "/xyz", (float)w[0], (float)w[1],
                                  (float)w[2]);
  CHECK(m > 0);
  ex->messages++;
  if (!c->bundle) {
    memcpy(ex->buf + ex->pos, msg, (size_t)m);
    ex->off[ex->count] = ex->pos;
    ex->len[ex->count++] = (size_t)m;
    ex->pos += (size_t)m;
    return;
  }
  if (ex->in_bundle > 0 &&
      (ex->w.len + 4 + (size_t)m > c->max_datagram ||
       (c->bundle_max_messages > 0 && ex->in_bundle >= c->bundle_max_messages))) {
    expected_close(ex);
  }
  if (ex->in_bundle == 0) {
    ha_osc_writer_init(&ex->w, ex->buf + ex->pos, sizeof ex->buf - ex->pos);
    CHECK_OK(ha_osc_writer_begin_bundle(&ex->w, HA_OSC_TIMETAG_IMMEDIATE));
    ex->off[ex->count] = ex->pos;
  }
  CHECK_OK(ha_osc_writer_add_element(&ex->w, msg, (size_t)m));
  ex->in_bundle++;
}

/* The wire values of a track's position (ADM-OSC: scaled, the vector
 * shrunk into the unit cube), as documented. */
static void wire_of(const ha_output_config *c, const track *t, double w[3]) {
  w[0] = t->x;
  w[1] = t->y;
  w[2] = t->z;
  if (c->dialect == HA_DIALECT_ADM_OSC) {
    for (int k = 0; k < 3; k++) {
      w[k] /= c->adm_scale;
    }
    double m = fmax(fabs(w[0]), fmax(fabs(w[1]), fabs(w[2])));
    if (m > 1.0) {
      for (int k = 0; k < 3; k++) {
        w[k] /= m;
      }
    }
  }
}

static uint32_t random_id(uint64_t *rng) {
  /* 1 to 10 digits, evenly: every address length the templates have. */
  static const uint32_t top[] = {9,      99,      999,      9999,      99999,
                                 999999, 9999999, 99999999, 999999999, 4294967295u};
  uint32_t d = (uint32_t)(ha_t_rand(rng) % 10);
  return 1 + (uint32_t)(ha_t_rand(rng) % top[d]);
}

static void shuffle(uint64_t *rng, size_t *order, size_t n) {
  for (size_t i = n; i > 1; i--) {
    size_t j = (size_t)(ha_t_rand(rng) % i), tmp = order[i - 1];
    order[i - 1] = order[j];
    order[j] = tmp;
  }
}

/* A random configuration (xyz: AED never takes the fast path). */
static ha_output_config random_config(uint64_t *rng) {
  ha_output_config c = ha_output_config_default();
  c.dialect = ha_t_rand(rng) % 3 == 0 ? HA_DIALECT_ADM_OSC : HA_DIALECT_HOLOPHONIX;
  c.bundle = ha_t_rand(rng) % 4 != 0;
  c.max_datagram = ha_t_rand(rng) % 2 ? 1472 : 64 + (size_t)(ha_t_rand(rng) % 400);
  c.bundle_max_messages = ha_t_rand(rng) % 2 ? 0 : 1 + (size_t)(ha_t_rand(rng) % 5);
  static const double bands[] = {0.0, 0.001, 0.3};
  c.deadband_m = bands[ha_t_rand(rng) % 3];
  c.keep_alive_s = 0;
  c.rate_hz = 1000;
  return c;
}

/* Move the tracks: some stay, some move a little or a lot, a few turn NaN
 * or infinite (and come back). */
static void move_tracks(uint64_t *rng, track *t, size_t n) {
  for (size_t k = 0; k < n; k++) {
    uint64_t r = ha_t_rand(rng) % 40;
    double *v[3] = {&t[k].x, &t[k].y, &t[k].z};
    if (r == 0) {
      *v[ha_t_rand(rng) % 3] = ha_t_rand(rng) % 2 ? NAN : -INFINITY;
    } else if (r < 20) {
      for (int a = 0; a < 3; a++) {
        *v[a] = isfinite(*v[a]) ? *v[a] + ha_t_uniform(rng, -0.5, 0.5) * (r < 10 ? 0.01 : 10)
                                : ha_t_uniform(rng, -30, 30);
      }
    }
  }
}

static void run_case(uint64_t *rng, int number) {
  ha_output_config c = random_config(rng);
  const bool adm = c.dialect == HA_DIALECT_ADM_OSC;
  const char *prefix = adm ? "/adm/obj/" : "/track/";
  const double thr = adm ? c.deadband_m / c.adm_scale : c.deadband_m;
  size_t n = 1 + (size_t)(ha_t_rand(rng) % TRACKS);
  track t[TRACKS];
  for (size_t k = 0; k < n; k++) {
    bool dup;
    do {
      t[k].id = random_id(rng);
      dup = false;
      for (size_t j = 0; j < k; j++) {
        dup = dup || t[j].id == t[k].id;
      }
    } while (dup);
    t[k].x = ha_t_uniform(rng, -30, 30);
    t[k].y = ha_t_uniform(rng, -30, 30);
    t[k].z = ha_t_uniform(rng, -5, 5);
    t[k].sent = false;
  }
  uint16_t port = 0;
  int rx = test_udp_receiver(&port);
  CHECK(rx >= 0);
  c.host = "127.0.0.1";
  c.port = port;
  ha_output *o = NULL;
  CHECK_OK(ha_output_create(&c, TRACKS, &o, NULL));
  if (number % 2 == 1) {
    ha__output_use_ssse3(o, false);
  }
  size_t order[TRACKS];
  for (size_t k = 0; k < n; k++) {
    order[k] = k;
  }
  static expected ex;
  for (int tick = 0; tick < TICKS && o != NULL; tick++) {
    /* Mostly the same order as before (the fast path's case); sometimes
     * shuffled, sometimes a subset. */
    size_t m = n;
    uint64_t r = ha_t_rand(rng) % 6;
    if (r == 0) {
      shuffle(rng, order, n);
    } else if (r == 1) {
      m = 1 + (size_t)(ha_t_rand(rng) % n);
    }
    uint32_t ids[TRACKS];
    double x[TRACKS], y[TRACKS], z[TRACKS];
    memset(&ex, 0, sizeof ex);
    for (size_t j = 0; j < m; j++) {
      track *tr = &t[order[j]];
      ids[j] = tr->id;
      x[j] = tr->x;
      y[j] = tr->y;
      z[j] = tr->z;
      if (!isfinite(tr->x) || !isfinite(tr->y) || !isfinite(tr->z)) {
        continue;
      }
      double w[3];
      wire_of(&c, tr, w);
      double d =
          fmax(fabs(w[0] - tr->wire[0]), fmax(fabs(w[1] - tr->wire[1]), fabs(w[2] - tr->wire[2])));
      if (!tr->sent || d > thr) {
        expected_add(&ex, &c, prefix, tr->id, w);
        memcpy(tr->wire, w, sizeof w);
        tr->sent = true;
      }
    }
    expected_close(&ex);
    ha_output_report rep;
    int sent = ha_output_send(o, 0.001 * (tick + 1), m, ids, x, y, z, &rep);
    CHECK_MSG(sent == (int)ex.messages && rep.datagrams == ex.count,
              "case %d tick %d: %d messages in %zu datagrams, expected %zu in %zu", number, tick,
              sent, (size_t)rep.datagrams, ex.messages, ex.count);
    for (size_t d = 0; d < ex.count; d++) {
      uint8_t got[2048];
      ssize_t len = test_udp_recv(rx, got, sizeof got, 2000);
      if (len != (ssize_t)ex.len[d] || memcmp(got, ex.buf + ex.off[d], ex.len[d]) != 0) {
        HA_T_FAIL(
            "case %d (%s, %s, max_datagram %zu, bundle_max %zu) tick %d: datagram %zu of "
            "%zu differs (%zd bytes, expected %zu)",
            number, adm ? "adm" : "holophonix", c.bundle ? "bundled" : "plain", c.max_datagram,
            c.bundle_max_messages, tick, d, ex.count, len, ex.len[d]);
        ha_output_destroy(o);
        o = NULL;
        break;
      }
    }
    move_tracks(rng, t, n);
  }
  ha_output_destroy(o);
  close(rx);
}

static void test_fast_paths_match_reference(void) {
  uint64_t rng = test_seed(20261206);
  for (int k = 0; k < 300 && ha_t_failed_checks == 0; k++) {
    run_case(&rng, k);
  }
}

int main(void) {
  RUN(test_fast_paths_match_reference);
  return test_done();
}
