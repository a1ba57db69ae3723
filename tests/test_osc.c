/* OSC 1.0 codec: byte-exact encoding, round trips of every type, nested
 * bundles, a table of malformed packets, pattern matching, ENOBUFS at every
 * truncated capacity, and a randomised garbage/mutation loop (seed printed;
 * set HA_SEED to replay). */
#include "holoanim/osc.h"

#include "test.h"

#include <time.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define PKT(lit) (const uint8_t *)(lit), (sizeof(lit) - 1)

/* Parse hex digits (spaces ignored) into out; returns the byte count. */
static size_t from_hex(const char *hex, uint8_t *out, size_t cap) {
  size_t n = 0;
  int hi = -1;
  for (const char *p = hex; *p != '\0'; p++) {
    int v;
    if (*p >= '0' && *p <= '9') {
      v = *p - '0';
    } else if (*p >= 'a' && *p <= 'f') {
      v = *p - 'a' + 10;
    } else {
      continue;
    }
    if (hi < 0) {
      hi = v;
    } else if (n < cap) {
      out[n++] = (uint8_t)(hi << 4 | v);
      hi = -1;
    }
  }
  return n;
}

static int bytes_equal(const uint8_t *a, const uint8_t *b, size_t n) {
  return memcmp(a, b, n) == 0;
}

static void dump(const char *what, const uint8_t *p, size_t n) {
  fprintf(stderr, "%s (%zu bytes):", what, n);
  for (size_t i = 0; i < n; i++) {
    fprintf(stderr, "%s%02x", i % 4 == 0 ? " " : "", p[i]);
  }
  fputc('\n', stderr);
}

static const char *WORKED =
    "2f747261 636b2f31 2f78797a 00000000 2c666666 00000000 3f800000 40000000 3f000000";

static void test_worked_example(void) {
  uint8_t want[64], buf[64];
  size_t wn = from_hex(WORKED, want, sizeof want);
  CHECK_INT(wn, 36);

  memset(buf, 0xAA, sizeof buf);
  int n = ha_osc_encode_fff(buf, sizeof buf, "/track/1/xyz", 1.0f, 2.0f, 0.5f);
  CHECK_INT(n, 36);
  CHECK(bytes_equal(buf, want, 36));
  CHECK_INT(buf[36], 0xAA); /* nothing written past the message */

  memset(buf, 0xAA, sizeof buf);
  n = ha_osc_encode_track_fff(buf, sizeof buf, "/track/", 1, "/xyz", 1.0f, 2.0f, 0.5f);
  CHECK_INT(n, 36);
  CHECK(bytes_equal(buf, want, 36));

  memset(buf, 0xAA, sizeof buf);
  ha_osc_writer w;
  ha_osc_writer_init(&w, buf, sizeof buf);
  CHECK_OK(ha_osc_writer_begin_message(&w, "/track/1/xyz", ",fff"));
  CHECK_OK(ha_osc_writer_add_float32(&w, 1.0f));
  CHECK_OK(ha_osc_writer_add_float32(&w, 2.0f));
  CHECK_OK(ha_osc_writer_add_float32(&w, 0.5f));
  CHECK_OK(ha_osc_writer_end_message(&w));
  CHECK_INT(ha_osc_writer_finish(&w), 36);
  CHECK(bytes_equal(buf, want, 36));
  if (!bytes_equal(buf, want, 36)) {
    dump("got", buf, 36);
  }

  /* The leading ',' is optional in the writer's type tags. */
  ha_osc_writer_init(&w, buf, sizeof buf);
  CHECK_OK(ha_osc_writer_begin_message(&w, "/track/1/xyz", "fff"));
  ha_osc_writer_add_float32(&w, 1.0f);
  ha_osc_writer_add_float32(&w, 2.0f);
  ha_osc_writer_add_float32(&w, 0.5f);
  ha_osc_writer_end_message(&w);
  CHECK_INT(ha_osc_writer_finish(&w), 36);
  CHECK(bytes_equal(buf, want, 36));

  ha_osc_arg args[4];
  ha_osc_message m;
  CHECK_OK(ha_osc_decode_message(want, 36, &m, args, 4, NULL));
  CHECK_STR(m.address, "/track/1/xyz");
  CHECK_INT(m.address_len, 12);
  CHECK_STR(m.typetags, "fff");
  CHECK_INT(m.arg_count, 3);
  CHECK_NEAR(args[0].v.f, 1.0, 0);
  CHECK_NEAR(args[1].v.f, 2.0, 0);
  CHECK_NEAR(args[2].v.f, 0.5, 0);
}

static void test_string_padding(void) {
  /* Address lengths 1..9: size = len + 1 rounded up to 4, so a length that
   * is a multiple of 4 gets a full NUL word. */
  static const char *addrs[] = {"/",      "/a",      "/ab",      "/abc",     "/abcd",
                                "/abcde", "/abcdef", "/abcdefg", "/abcdefgh"};
  static const size_t want[] = {4, 4, 4, 8, 8, 8, 8, 12, 12};
  for (size_t i = 0; i < COUNT(addrs); i++) {
    uint8_t buf[64];
    memset(buf, 0xEE, sizeof buf);
    int n = ha_osc_encode_fff(buf, sizeof buf, addrs[i], 0, 0, 0);
    size_t alen = strlen(addrs[i]);
    CHECK_INT(n, (int)(want[i] + 20));
    for (size_t k = alen; k < want[i]; k++) {
      CHECK_MSG(buf[k] == 0, "%s: byte %zu is 0x%02x", addrs[i], k, buf[k]);
    }
    CHECK(buf[want[i]] == ',');
  }
  /* Strings as arguments: "" -> 4 NULs, "abc" -> 4, "abcd" -> 8. */
  uint8_t buf[64];
  ha_osc_writer w;
  ha_osc_writer_init(&w, buf, sizeof buf);
  memset(buf, 0xEE, sizeof buf);
  ha_osc_writer_begin_message(&w, "/s", ",sssS");
  ha_osc_writer_add_string(&w, "");
  ha_osc_writer_add_string(&w, "abc");
  ha_osc_writer_add_string(&w, "abcd");
  ha_osc_writer_add_symbol(&w, "abcdefg");
  ha_osc_writer_end_message(&w);
  int n = ha_osc_writer_finish(&w);
  uint8_t want_bytes[64];
  size_t wn = from_hex(
      "2f730000 2c737373 53000000 00000000 61626300 61626364 00000000"
      "61626364 65666700",
      want_bytes, sizeof want_bytes);
  CHECK_INT(n, (int)wn);
  CHECK(bytes_equal(buf, want_bytes, wn));
  /* Blobs: size 0 has no data word; sizes 1..4 pad to 4. */
  ha_osc_writer_init(&w, buf, sizeof buf);
  memset(buf, 0xEE, sizeof buf);
  ha_osc_writer_begin_message(&w, "/b", ",bbb");
  ha_osc_writer_add_blob(&w, NULL, 0);
  ha_osc_writer_add_blob(&w, "\x01", 1);
  ha_osc_writer_add_blob(&w, "\x01\x02\x03\x04", 4);
  ha_osc_writer_end_message(&w);
  n = ha_osc_writer_finish(&w);
  wn = from_hex("2f620000 2c626262 00000000 00000000 00000001 01000000 00000004 01020304",
                want_bytes, sizeof want_bytes);
  CHECK_INT(n, (int)wn);
  CHECK(bytes_equal(buf, want_bytes, wn));
}

static void test_track_numbers(void) {
  static const uint32_t ns[] = {0, 1, 9, 10, 99, 100, 999, 1000, 12345, 99999, 100000, 4294967295u};
  for (size_t i = 0; i < COUNT(ns); i++) {
    char addr[64];
    snprintf(addr, sizeof addr, "/track/%u/xyz", (unsigned)ns[i]);
    uint8_t a[96], b[96];
    memset(a, 0x55, sizeof a);
    memset(b, 0x55, sizeof b);
    int na = ha_osc_encode_fff(a, sizeof a, addr, -1.5f, 100.0f, 1e-3f);
    int nb = ha_osc_encode_track_fff(b, sizeof b, "/track/", ns[i], "/xyz", -1.5f, 100.0f, 1e-3f);
    CHECK_INT(na, nb);
    CHECK_MSG(bytes_equal(a, b, sizeof a), "n=%u differs", (unsigned)ns[i]);
    ha_osc_message m;
    ha_osc_arg args[3];
    CHECK_OK(ha_osc_decode_message(b, (size_t)nb, &m, args, 3, NULL));
    uint32_t n;
    const char *rest;
    CHECK(ha_osc_parse_indexed(m.address, "/track/", &n, &rest));
    CHECK_INT(n, ns[i]);
    CHECK_STR(rest, "/xyz");
  }
  /* No suffix: NULL and "" are the same. */
  uint8_t a[64], b[64];
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  int na = ha_osc_encode_track_fff(a, sizeof a, "/adm/obj/", 42, NULL, 1, 2, 3);
  int nb = ha_osc_encode_fff(b, sizeof b, "/adm/obj/42", 1, 2, 3);
  CHECK_INT(na, nb);
  CHECK(bytes_equal(a, b, sizeof a));
  /* Bad inputs. */
  CHECK_INT(ha_osc_encode_fff(a, sizeof a, "track/1", 0, 0, 0), HA_EINVAL);
  CHECK_INT(ha_osc_encode_fff(a, sizeof a, NULL, 0, 0, 0), HA_EINVAL);
  CHECK_INT(ha_osc_encode_fff(NULL, 8, "/a", 0, 0, 0), HA_EINVAL);
  CHECK_INT(ha_osc_encode_fff(NULL, 0, "/a", 0, 0, 0), HA_ENOBUFS);
  CHECK_INT(ha_osc_encode_track_fff(a, sizeof a, "", 1, "/xyz", 0, 0, 0), HA_EINVAL);
  CHECK_INT(ha_osc_encode_track_fff(a, sizeof a, NULL, 1, "/xyz", 0, 0, 0), HA_EINVAL);
}

/* Writes one message with every type; returns finish(). */
static const uint8_t BLOB5[5] = {0xde, 0xad, 0xbe, 0xef, 0x01};
static const uint8_t MIDI[4] = {0x00, 0x90, 0x3c, 0x7f};
static const char *ALL_TAGS = ",ifsbhtdScrmTFNI[i[sf]]b";

static int write_all_types(uint8_t *buf, size_t cap) {
  ha_osc_writer w;
  ha_osc_writer_init(&w, buf, cap);
  ha_osc_writer_begin_message(&w, "/all/types", ALL_TAGS);
  ha_osc_writer_add_int32(&w, -123456789);
  ha_osc_writer_add_float32(&w, -0.25f);
  ha_osc_writer_add_string(&w, "hello");
  ha_osc_writer_add_blob(&w, BLOB5, sizeof BLOB5);
  ha_osc_writer_add_int64(&w, -1234567890123456789LL);
  ha_osc_writer_add_timetag(&w, 0x0123456789abcdefULL);
  ha_osc_writer_add_double(&w, 3.141592653589793);
  ha_osc_writer_add_symbol(&w, "sym");
  ha_osc_writer_add_char(&w, 'x');
  ha_osc_writer_add_rgba(&w, 0x11223344u);
  ha_osc_writer_add_midi(&w, MIDI);
  ha_osc_writer_add_bool(&w, true);
  ha_osc_writer_add_bool(&w, false);
  ha_osc_writer_add_nil(&w);
  ha_osc_writer_add_infinitum(&w);
  ha_osc_writer_begin_array(&w);
  ha_osc_writer_add_int32(&w, 7);
  ha_osc_writer_begin_array(&w);
  ha_osc_writer_add_string(&w, "in");
  ha_osc_writer_add_float32(&w, 9.5f);
  ha_osc_writer_end_array(&w);
  ha_osc_writer_end_array(&w);
  ha_osc_writer_add_blob(&w, NULL, 0);
  ha_osc_writer_end_message(&w);
  return ha_osc_writer_finish(&w);
}

static void test_roundtrip_all_types(void) {
  uint8_t buf[256];
  int n = write_all_types(buf, sizeof buf);
  CHECK(n > 0);
  CHECK_INT(n % 4, 0);
  ha_osc_arg a[32];
  ha_osc_message m;
  ha_error err;
  ha_error_clear(&err);
  CHECK_OK(ha_osc_decode_message(buf, (size_t)n, &m, a, 32, &err));
  CHECK_STR(m.address, "/all/types");
  CHECK_STR(m.typetags, ALL_TAGS + 1);
  CHECK_INT(m.arg_count, strlen(ALL_TAGS) - 1);
  for (size_t i = 0; i < m.arg_count; i++) {
    CHECK_INT(a[i].type, ALL_TAGS[i + 1]);
  }
  CHECK_INT(a[0].v.i, -123456789);
  CHECK_NEAR(a[1].v.f, -0.25, 0);
  CHECK_STR(a[2].v.s.ptr, "hello");
  CHECK_INT(a[2].v.s.len, 5);
  CHECK_INT(a[3].v.b.size, 5);
  CHECK(a[3].v.b.ptr != NULL && bytes_equal(a[3].v.b.ptr, BLOB5, 5));
  CHECK(a[4].v.h == -1234567890123456789LL);
  CHECK(a[5].v.t == 0x0123456789abcdefULL);
  CHECK_NEAR(a[6].v.d, 3.141592653589793, 0);
  CHECK_STR(a[7].v.s.ptr, "sym");
  CHECK_INT(a[8].v.c, 'x');
  CHECK_INT(a[9].v.r, 0x11223344u);
  CHECK(bytes_equal(a[10].v.m, MIDI, 4));
  CHECK(a[11].v.tf == true);
  CHECK(a[12].v.tf == false);
  /* Array: '[' at 15 holds i and the inner array: 2 elements, ends at 21. */
  CHECK_INT(a[15].v.array.count, 2);
  CHECK_INT(a[15].v.array.end, 21);
  CHECK_INT(a[16].v.i, 7);
  CHECK_INT(a[17].v.array.count, 2);
  CHECK_INT(a[17].v.array.end, 20);
  CHECK_STR(a[18].v.s.ptr, "in");
  CHECK_NEAR(a[19].v.f, 9.5, 0);
  CHECK_INT(a[20].type, HA_OSC_ARRAY_END);
  CHECK_INT(a[22].v.b.size, 0);
  CHECK(a[22].v.b.ptr == NULL);

  /* Values survive special floats too (NaN bits are preserved). */
  uint8_t b2[64];
  int n2 = ha_osc_encode_fff(b2, sizeof b2, "/x", NAN, INFINITY, -0.0f);
  CHECK_OK(ha_osc_decode_message(b2, (size_t)n2, &m, a, 3, NULL));
  CHECK(isnan(a[0].v.f));
  CHECK(isinf(a[1].v.f) && a[1].v.f > 0);
  CHECK(signbit(a[2].v.f));

  /* Empty type tag string: no arguments. */
  ha_osc_writer w;
  ha_osc_writer_init(&w, b2, sizeof b2);
  ha_osc_writer_begin_message(&w, "/get", ",");
  ha_osc_writer_end_message(&w);
  n2 = ha_osc_writer_finish(&w);
  CHECK_INT(n2, 12);
  CHECK_OK(ha_osc_decode_message(b2, (size_t)n2, &m, a, 0, NULL));
  CHECK_INT(m.arg_count, 0);

  /* Validate-only mode: args NULL, no capacity needed. */
  CHECK_OK(ha_osc_decode_message(buf, (size_t)n, &m, NULL, 0, NULL));
  CHECK_INT(m.arg_count, strlen(ALL_TAGS) - 1);
  CHECK(m.args == NULL);

  double v;
  ha_osc_arg x = {.type = HA_OSC_INT32, .v.i = -4};
  CHECK(ha_osc_arg_to_double(&x, &v) && v < -3.5 && v > -4.5);
  x.type = HA_OSC_DOUBLE;
  x.v.d = 2.5;
  CHECK(ha_osc_arg_to_double(&x, &v));
  CHECK_NEAR(v, 2.5, 0);
  x.type = HA_OSC_TRUE;
  CHECK(ha_osc_arg_to_double(&x, &v));
  CHECK_NEAR(v, 1.0, 0);
  x.type = HA_OSC_STRING;
  CHECK(!ha_osc_arg_to_double(&x, &v));
}

static void test_bundles_nested(void) {
  uint8_t buf[512];
  ha_osc_writer w;
  uint64_t tt = ha_osc_timetag_from_unix(1700000000.25);
  ha_osc_writer_init(&w, buf, sizeof buf);
  CHECK_OK(ha_osc_writer_begin_bundle(&w, tt));
  CHECK_OK(ha_osc_writer_begin_message(&w, "/track/1/name", ",s"));
  CHECK_OK(ha_osc_writer_add_string(&w, "violin"));
  CHECK_OK(ha_osc_writer_end_message(&w));
  CHECK_OK(ha_osc_writer_begin_bundle(&w, HA_OSC_TIMETAG_IMMEDIATE));
  CHECK_OK(ha_osc_writer_add_track_fff(&w, "/track/", 2, "/xyz", 1, 2, 3));
  CHECK_OK(ha_osc_writer_add_fff(&w, "/track/3/xyz", 4, 5, 6));
  CHECK_OK(ha_osc_writer_begin_bundle(&w, 7)); /* empty innermost bundle */
  CHECK_OK(ha_osc_writer_end_bundle(&w));
  CHECK_OK(ha_osc_writer_end_bundle(&w));
  uint8_t pre[64];
  int pn = ha_osc_encode_fff(pre, sizeof pre, "/track/4/xyz", 7, 8, 9);
  CHECK_OK(ha_osc_writer_add_element(&w, pre, (size_t)pn));
  CHECK_OK(ha_osc_writer_end_bundle(&w));
  int n = ha_osc_writer_finish(&w);
  CHECK(n > 0);

  /* Header and the first element's size, by hand. */
  CHECK(memcmp(buf, "#bundle\0", 8) == 0);
  for (int k = 0; k < 8; k++) {
    CHECK_INT(buf[8 + k], (uint8_t)(tt >> (56 - 8 * k)));
  }
  ha_osc_packet pkt;
  ha_osc_arg args[8];
  ha_error err;
  CHECK_OK(ha_osc_decode(buf, (size_t)n, &pkt, args, 8, &err));
  CHECK_INT(pkt.kind, HA_OSC_PACKET_BUNDLE);
  CHECK(pkt.bundle.timetag == tt);
  CHECK_NEAR(ha_osc_timetag_to_unix(pkt.bundle.timetag), 1700000000.25, 1e-15);
  CHECK_OK(ha_osc_validate(buf, (size_t)n, &err));

  const uint8_t *e;
  size_t elen;
  int count = 0;
  CHECK(ha_osc_bundle_next(&pkt.bundle, &e, &elen));
  ha_osc_packet sub;
  CHECK_OK(ha_osc_decode(e, elen, &sub, args, 8, NULL));
  CHECK_INT(sub.kind, HA_OSC_PACKET_MESSAGE);
  CHECK_STR(sub.message.address, "/track/1/name");
  CHECK_STR(args[0].v.s.ptr, "violin");
  CHECK(ha_osc_bundle_next(&pkt.bundle, &e, &elen));
  CHECK_OK(ha_osc_decode(e, elen, &sub, args, 8, NULL));
  CHECK_INT(sub.kind, HA_OSC_PACKET_BUNDLE);
  CHECK(sub.bundle.timetag == HA_OSC_TIMETAG_IMMEDIATE);
  {
    const uint8_t *e2;
    size_t elen2;
    ha_osc_packet m2;
    float want = 1;
    while (ha_osc_bundle_next(&sub.bundle, &e2, &elen2)) {
      CHECK_OK(ha_osc_decode(e2, elen2, &m2, args, 8, NULL));
      if (m2.kind == HA_OSC_PACKET_MESSAGE) {
        CHECK_NEAR(args[0].v.f, want, 0);
        CHECK_NEAR(args[2].v.f, want + 2, 0);
        want += 3;
      } else {
        CHECK(m2.bundle.timetag == 7);
        CHECK(!ha_osc_bundle_next(&m2.bundle, NULL, NULL));
      }
      count++;
    }
  }
  CHECK_INT(count, 3);
  CHECK(ha_osc_bundle_next(&pkt.bundle, &e, &elen));
  CHECK_INT(elen, (size_t)pn);
  CHECK(bytes_equal(e, pre, (size_t)pn));
  CHECK(!ha_osc_bundle_next(&pkt.bundle, &e, &elen));

  /* An empty top-level bundle is 16 bytes and valid. */
  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_bundle(&w, HA_OSC_TIMETAG_IMMEDIATE);
  ha_osc_writer_end_bundle(&w);
  CHECK_INT(ha_osc_writer_finish(&w), 16);
  uint8_t want[16];
  from_hex("2362756e 646c6500 00000000 00000001", want, sizeof want);
  CHECK(bytes_equal(buf, want, 16));
  CHECK_OK(ha_osc_decode(buf, 16, &pkt, NULL, 0, NULL));
  CHECK(!ha_osc_bundle_next(&pkt.bundle, &e, &elen));

  /* HA_OSC_MAX_DEPTH nested bundles encode and decode; one more is refused
   * by the writer. */
  ha_osc_writer_init(&w, buf, sizeof buf);
  for (int d = 0; d < HA_OSC_MAX_DEPTH; d++) {
    CHECK_OK(ha_osc_writer_begin_bundle(&w, 1));
  }
  CHECK_INT(ha_osc_writer_begin_bundle(&w, 1), HA_ESTATE);
  ha_osc_writer_init(&w, buf, sizeof buf);
  for (int d = 0; d < HA_OSC_MAX_DEPTH; d++) {
    ha_osc_writer_begin_bundle(&w, 1);
  }
  ha_osc_writer_add_fff(&w, "/deep", 1, 2, 3);
  for (int d = 0; d < HA_OSC_MAX_DEPTH; d++) {
    ha_osc_writer_end_bundle(&w);
  }
  n = ha_osc_writer_finish(&w);
  CHECK_INT(n, 16 * HA_OSC_MAX_DEPTH + 4 * (HA_OSC_MAX_DEPTH - 1) + 4 + 28);
  CHECK_OK(ha_osc_validate(buf, (size_t)n, NULL));
}

static void test_writer_errors(void) {
  uint8_t buf[128];
  ha_osc_writer w;

  ha_osc_writer_init(&w, buf, sizeof buf);
  CHECK_INT(ha_osc_writer_finish(&w), HA_ESTATE); /* nothing written */

  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_message(&w, "/a", ",if");
  CHECK_INT(ha_osc_writer_add_float32(&w, 1), HA_EINVAL); /* expected 'i' */
  CHECK_INT(ha_osc_writer_add_int32(&w, 1), HA_EINVAL);   /* sticky */
  CHECK_INT(ha_osc_writer_finish(&w), HA_EINVAL);

  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_message(&w, "/a", ",i");
  CHECK_INT(ha_osc_writer_end_message(&w), HA_ESTATE); /* argument missing */

  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_message(&w, "/a", ",i");
  ha_osc_writer_add_int32(&w, 1);
  CHECK_INT(ha_osc_writer_add_int32(&w, 2), HA_EINVAL); /* too many */

  static const char *bad_tags[] = {",x", ",[i", ",]", ",i]", ",[[[[[[[[[]]]]]]]]]"};
  for (size_t i = 0; i < COUNT(bad_tags); i++) {
    ha_osc_writer_init(&w, buf, sizeof buf);
    CHECK_INT(ha_osc_writer_begin_message(&w, "/a", bad_tags[i]), HA_EINVAL);
  }
  ha_osc_writer_init(&w, buf, sizeof buf);
  CHECK_INT(ha_osc_writer_begin_message(&w, "a", ","), HA_EINVAL);
  ha_osc_writer_init(&w, buf, sizeof buf);
  CHECK_INT(ha_osc_writer_begin_message(&w, NULL, ","), HA_EINVAL);
  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_message(&w, "/a", ",s");
  CHECK_INT(ha_osc_writer_add_string(&w, NULL), HA_EINVAL);

  /* Sequencing. */
  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_message(&w, "/a", ",");
  CHECK_INT(ha_osc_writer_begin_message(&w, "/b", ","), HA_ESTATE);
  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_message(&w, "/a", ",");
  ha_osc_writer_end_message(&w);
  CHECK_INT(ha_osc_writer_begin_message(&w, "/b", ","), HA_ESTATE); /* packet complete */
  ha_osc_writer_init(&w, buf, sizeof buf);
  CHECK_INT(ha_osc_writer_end_bundle(&w), HA_ESTATE);
  ha_osc_writer_init(&w, buf, sizeof buf);
  CHECK_INT(ha_osc_writer_add_element(&w, buf, 4), HA_ESTATE); /* no bundle */
  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_bundle(&w, 1);
  CHECK_INT(ha_osc_writer_add_element(&w, buf, 6), HA_EINVAL);
  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_bundle(&w, 1);
  CHECK_INT(ha_osc_writer_finish(&w), HA_ESTATE); /* bundle still open */
  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_add_int32(&w, 1);
  CHECK_INT(ha_osc_writer_finish(&w), HA_ESTATE); /* no message */
  ha_osc_writer_init(&w, NULL, 16);
  CHECK_INT(ha_osc_writer_begin_bundle(&w, 1), HA_EINVAL);
  /* A top-level fff is a whole packet. */
  ha_osc_writer_init(&w, buf, sizeof buf);
  CHECK_OK(ha_osc_writer_add_track_fff(&w, "/track/", 5, "/xyz", 1, 2, 3));
  CHECK_INT(ha_osc_writer_finish(&w), 36);
  CHECK_INT(ha_osc_writer_add_fff(&w, "/a", 1, 2, 3), HA_ESTATE);
}

/* Every capacity below the needed size fails with HA_ENOBUFS and never
 * writes at or past cap (canary). The fast encoders write nothing at all. */
typedef int (*encode_fn)(uint8_t *buf, size_t cap);

static int enc_fff(uint8_t *buf, size_t cap) {
  return ha_osc_encode_fff(buf, cap, "/track/123/xyz", 1, 2, 3);
}
static int enc_track(uint8_t *buf, size_t cap) {
  return ha_osc_encode_track_fff(buf, cap, "/track/", 1234, "/xyz", 1, 2, 3);
}
static int enc_bundle(uint8_t *buf, size_t cap) {
  ha_osc_writer w;
  ha_osc_writer_init(&w, buf, cap);
  ha_osc_writer_begin_bundle(&w, 1);
  ha_osc_writer_add_track_fff(&w, "/track/", 1, "/xyz", 1, 2, 3);
  ha_osc_writer_begin_bundle(&w, 2);
  ha_osc_writer_begin_message(&w, "/n", ",sb");
  ha_osc_writer_add_string(&w, "abcd");
  ha_osc_writer_add_blob(&w, "xyz", 3);
  ha_osc_writer_end_message(&w);
  ha_osc_writer_add_fff(&w, "/f", 1, 2, 3);
  ha_osc_writer_end_bundle(&w);
  ha_osc_writer_end_bundle(&w);
  return ha_osc_writer_finish(&w);
}

static void test_enobufs_every_capacity(void) {
  static const struct {
    const char *name;
    encode_fn fn;
    bool writes_nothing;
  } cases[] = {{"fff", enc_fff, true},
               {"track_fff", enc_track, true},
               {"all_types", write_all_types, false},
               {"bundle", enc_bundle, false}};
  for (size_t c = 0; c < COUNT(cases); c++) {
    uint8_t full[512], buf[512];
    int need = cases[c].fn(full, sizeof full);
    CHECK_MSG(need > 0, "%s: %d", cases[c].name, need);
    if (need <= 0) {
      continue;
    }
    for (size_t cap = 0; cap < (size_t)need; cap++) {
      memset(buf, 0xC5, sizeof buf);
      int r = cases[c].fn(buf, cap);
      CHECK_MSG(r == HA_ENOBUFS, "%s cap %zu: got %d", cases[c].name, cap, r);
      size_t from = cases[c].writes_nothing ? 0 : cap;
      for (size_t k = from; k < sizeof buf; k++) {
        if (buf[k] != 0xC5) {
          HA_T_FAIL("%s cap %zu: byte %zu written", cases[c].name, cap, k);
          break;
        }
      }
    }
    memset(buf, 0xC5, sizeof buf);
    CHECK_INT(cases[c].fn(buf, (size_t)need), need);
    CHECK(bytes_equal(buf, full, (size_t)need));
    CHECK_OK(ha_osc_validate(buf, (size_t)need, NULL));
  }
}

/* ---- Malformed packets -------------------------------------------------- */

typedef struct bad_case {
  const char *name;
  const uint8_t *data;
  size_t len;
  int status;
  const char *reason; /* substring of err.message */
  int column;         /* expected err.column (byte offset + 1), 0 = don't care */
} bad_case;

#define BAD(name, lit, st, reason, col) \
  { name, PKT(lit), st, reason, col }

static const bad_case BAD_MESSAGES[] = {
    BAD("empty", "", HA_EMALFORMED, "empty packet", 1),
    BAD("length 5", "/abc\0", HA_EMALFORMED, "length 5 is not a multiple of 4", 1),
    BAD("length 6", "/a\0\0,\0", HA_EMALFORMED, "not a multiple of 4", 0),
    BAD("no slash", "abc\0,\0\0\0", HA_EMALFORMED, "does not start with '/' (found 'a')", 1),
    BAD("nul address", "\0\0\0\0,\0\0\0", HA_EMALFORMED, "does not start with '/' (found 0x00)", 1),
    BAD("unterminated address", "/abc", HA_EMALFORMED, "unterminated address", 1),
    BAD("unterminated address 8", "/abcdefg", HA_EMALFORMED, "unterminated address", 1),
    BAD("unpadded address", "/a\0x,f\0\0\0\0\0\0", HA_EMALFORMED,
        "non-NUL padding byte 0x78 after address", 4),
    BAD("missing typetag", "/ab\0", HA_EMALFORMED, "missing type tag string", 5),
    BAD("typetag without comma", "/ab\0fff\0", HA_EMALFORMED,
        "type tag string does not start with ',' (found 'f')", 5),
    BAD("unterminated typetag", "/ab\0,fff", HA_EMALFORMED, "unterminated type tag string", 5),
    BAD("typetag bad padding", "/ab\0,f\0x\0\0\0\0", HA_EMALFORMED,
        "non-NUL padding byte 0x78 after type tag string", 8),
    BAD("unknown tag", "/a\0\0,x\0\0", HA_EMALFORMED, "unknown type tag 'x' at position 0", 6),
    BAD("unknown tag later", "/a\0\0,iq\0\0\0\0\0", HA_EMALFORMED,
        "unknown type tag 'q' at position 1", 7),
    BAD("unknown tag binary", "/a\0\0,\x01\0\0", HA_EMALFORMED, "unknown type tag 0x01", 6),
    BAD("missing int", "/a\0\0,i\0\0", HA_EMALFORMED,
        "truncated argument 0 ('i'): needs 4 bytes, 0 left", 9),
    BAD("missing float", "/a\0\0,ff\0\0\0\0\0", HA_EMALFORMED, "truncated argument 1 ('f')", 13),
    BAD("truncated double", "/a\0\0,d\0\0\0\0\0\0", HA_EMALFORMED,
        "truncated argument 0 ('d'): needs 8 bytes, 4 left", 9),
    BAD("truncated int64", "/a\0\0,ih\0\0\0\0\0", HA_EMALFORMED, "needs 8 bytes, 0 left", 13),
    BAD("truncated timetag", "/a\0\0,t\0\0\0\0\0\0", HA_EMALFORMED, "('t')", 9),
    BAD("missing string", "/a\0\0,s\0\0", HA_EMALFORMED, "truncated argument 0 ('s')", 9),
    BAD("unterminated string", "/a\0\0,s\0\0abcd", HA_EMALFORMED, "unterminated string argument",
        9),
    BAD("unterminated symbol", "/a\0\0,S\0\0abcd", HA_EMALFORMED, "unterminated symbol argument",
        9),
    BAD("string bad padding", "/a\0\0,s\0\0ab\0x", HA_EMALFORMED,
        "non-NUL padding byte 0x78 after string argument", 12),
    BAD("missing blob size", "/a\0\0,b\0\0", HA_EMALFORMED, "truncated argument 0 ('b')", 9),
    BAD("blob negative", "/a\0\0,b\0\0\xff\xff\xff\xff", HA_EMALFORMED, "blob size -1 is negative",
        9),
    BAD("blob min int", "/a\0\0,b\0\0\x80\0\0\0", HA_EMALFORMED,
        "blob size -2147483648 is negative", 9),
    BAD("blob past end", "/a\0\0,b\0\0\0\0\0\x08\x01\x02\x03\x04", HA_EMALFORMED,
        "blob size 8 runs past the end (4 bytes left)", 9),
    BAD("blob huge", "/a\0\0,b\0\0\x7f\xff\xff\xff", HA_EMALFORMED, "runs past the end", 9),
    BAD("blob bad padding", "/a\0\0,b\0\0\0\0\0\x01\x01\x02\0\0", HA_EMALFORMED,
        "non-NUL padding byte 0x02 after blob", 14),
    BAD("lone ]", "/a\0\0,]\0\0", HA_EMALFORMED, "unbalanced ']' at type tag 0", 6),
    BAD("] before [", "/a\0\0,][\0\0\0\0\0", HA_EMALFORMED, "unbalanced ']'", 6),
    BAD("unclosed [", "/a\0\0,[i\0\0\0\0\x01", HA_EMALFORMED,
        "unbalanced '[': 1 array(s) not closed", 8),
    BAD("arrays too deep", "/a\0\0,[[[[[[[[[]]]]]]]]]\0", HA_EMALFORMED,
        "arrays nested deeper than 8", 14),
    BAD("trailing bytes", "/a\0\0,\0\0\0\0\0\0\0", HA_EMALFORMED,
        "4 unexpected bytes after the last argument", 9),
    BAD("trailing after args", "/a\0\0,i\0\0\0\0\0\x01\0\0\0\x02", HA_EMALFORMED,
        "4 unexpected bytes", 13),
    BAD("bundle as message", "#bundle\0\0\0\0\0\0\0\0\x01", HA_EMALFORMED,
        "expected a message, found a bundle", 1),
};

static const bad_case BAD_PACKETS[] = {
    BAD("bundle too short", "#bundle\0", HA_EMALFORMED, "bundle too short: 8 bytes", 1),
    BAD("bundle header", "#bundlX\0\0\0\0\0\0\0\0\x01", HA_EMALFORMED, "bad bundle header", 1),
    BAD("bundle header no nul", "#bundlexx\0\0\0\0\0\0\x01", HA_EMALFORMED, "bad bundle header", 1),
    BAD("#-packet", "#abc", HA_EMALFORMED, "bundle too short", 1),
    BAD("element negative", "#bundle\0\0\0\0\0\0\0\0\x01\xff\xff\xff\xfc/a\0\0", HA_EMALFORMED,
        "bundle element size -4 is negative", 17),
    BAD("element size 0", "#bundle\0\0\0\0\0\0\0\0\x01\0\0\0\0", HA_EMALFORMED,
        "empty bundle element", 17),
    BAD("element not x4", "#bundle\0\0\0\0\0\0\0\0\x01\0\0\0\x06/a\0\0,\0\0\0", HA_EMALFORMED,
        "bundle element size 6 is not a multiple of 4", 17),
    BAD("element past end", "#bundle\0\0\0\0\0\0\0\0\x01\0\0\0\x40/a\0\0,\0\0\0", HA_EMALFORMED,
        "bundle element size 64 runs past the end (8 bytes left)", 17),
    BAD("element kind", "#bundle\0\0\0\0\0\0\0\0\x01\0\0\0\x04x\0\0\0", HA_EMALFORMED,
        "neither a message", 21),
    BAD("nested too short", "#bundle\0\0\0\0\0\0\0\0\x01\0\0\0\x08#bundle\0", HA_EMALFORMED,
        "bundle too short: 8 bytes", 21),
    BAD("nested element past end",
        "#bundle\0\0\0\0\0\0\0\0\x01\0\0\0\x14#bundle\0\0\0\0\0\0\0\0\x01\0\0\0\x08/a\0\0",
        HA_EMALFORMED, "bundle element size 8 runs past the end (0 bytes left)", 37),
    BAD("bad message in message position", "/a\0\0,z\0\0", HA_EMALFORMED, "unknown type tag 'z'",
        6),
};

/* Bundles whose messages are broken: ha_osc_decode accepts the framing,
 * ha_osc_validate finds the message and reports its offset in the packet. */
static const bad_case BAD_DEEP[] = {
    BAD("deep unknown tag", "#bundle\0\0\0\0\0\0\0\0\x01\0\0\0\x08/a\0\0,k\0\0", HA_EMALFORMED,
        "unknown type tag 'k'", 26),
    BAD("deep nested truncated",
        "#bundle\0\0\0\0\0\0\0\0\x01\0\0\0\x1c#bundle\0\0\0\0\0\0\0\0\x01\0\0\0\x08/a\0\0,i\0\0",
        HA_EMALFORMED, "truncated argument 0 ('i')", 49),
};

static void check_bad(const bad_case *c, int st, const ha_error *err) {
  CHECK_MSG(st == c->status, "%s: status %d (%s), want %d", c->name, st, ha_status_name(st),
            c->status);
  CHECK_MSG(err->status == c->status, "%s: err.status %d", c->name, err->status);
  CHECK_MSG(strstr(err->message, c->reason) != NULL, "%s: message \"%s\" lacks \"%s\"", c->name,
            err->message, c->reason);
  CHECK_MSG(c->column == 0 || err->column == c->column, "%s: column %d, want %d (%s)", c->name,
            err->column, c->column, err->message);
}

static void test_malformed_table(void) {
  ha_osc_arg args[16];
  for (size_t i = 0; i < COUNT(BAD_MESSAGES); i++) {
    const bad_case *c = &BAD_MESSAGES[i];
    /* Exact-size heap copy so ASan sees any read past the end. */
    uint8_t *copy = malloc(c->len > 0 ? c->len : 1);
    memcpy(copy, c->data, c->len);
    ha_error err;
    ha_osc_message m;
    ha_error_clear(&err);
    check_bad(c, ha_osc_decode_message(copy, c->len, &m, args, 16, &err), &err);
    /* The same verdict through the general decoder and the validator, except
     * for a bundle fed to decode_message. */
    if (c->len == 0 || copy[0] != '#') {
      ha_osc_packet pkt;
      ha_error_clear(&err);
      check_bad(c, ha_osc_decode(copy, c->len, &pkt, args, 16, &err), &err);
      ha_error_clear(&err);
      check_bad(c, ha_osc_validate(copy, c->len, &err), &err);
      CHECK_INT(ha_osc_validate(copy, c->len, NULL), c->status);
    }
    free(copy);
  }
  for (size_t i = 0; i < COUNT(BAD_PACKETS); i++) {
    const bad_case *c = &BAD_PACKETS[i];
    uint8_t *copy = malloc(c->len);
    memcpy(copy, c->data, c->len);
    ha_error err;
    ha_osc_packet pkt;
    ha_error_clear(&err);
    check_bad(c, ha_osc_decode(copy, c->len, &pkt, args, 16, &err), &err);
    ha_error_clear(&err);
    check_bad(c, ha_osc_validate(copy, c->len, &err), &err);
    free(copy);
  }
  for (size_t i = 0; i < COUNT(BAD_DEEP); i++) {
    const bad_case *c = &BAD_DEEP[i];
    uint8_t *copy = malloc(c->len);
    memcpy(copy, c->data, c->len);
    ha_error err;
    ha_osc_packet pkt;
    CHECK_OK(ha_osc_decode(copy, c->len, &pkt, args, 16, NULL));
    ha_error_clear(&err);
    check_bad(c, ha_osc_validate(copy, c->len, &err), &err);
    free(copy);
  }

  /* Bundles nested deeper than HA_OSC_MAX_DEPTH. */
  {
    uint8_t buf[512];
    size_t depth = HA_OSC_MAX_DEPTH + 1, n = 16 * depth + 4 * (depth - 1);
    for (size_t d = 0; d < depth; d++) {
      uint8_t *p = buf + d * 20;
      memcpy(p, "#bundle\0\0\0\0\0\0\0\0\x01", 16);
      if (d + 1 < depth) {
        size_t inner = n - (d + 1) * 20;
        p[16] = 0;
        p[17] = 0;
        p[18] = (uint8_t)(inner >> 8);
        p[19] = (uint8_t)inner;
      }
    }
    ha_osc_packet pkt;
    ha_error err;
    ha_error_clear(&err);
    CHECK_INT(ha_osc_decode(buf, n, &pkt, NULL, 0, &err), HA_EMALFORMED);
    CHECK_MSG(strstr(err.message, "bundles nested deeper than 8") != NULL, "%s", err.message);
    /* One level less is fine. */
    CHECK_OK(ha_osc_decode(buf + 20, n - 20, &pkt, NULL, 0, NULL));
  }

  /* Too many arguments for the caller's capacity: HA_ENOBUFS, the view is
   * filled up to cap and arg_count says how many are needed. */
  {
    uint8_t buf[64];
    int n = ha_osc_encode_fff(buf, sizeof buf, "/t", 1, 2, 3);
    ha_osc_message m;
    ha_error err;
    ha_error_clear(&err);
    CHECK_INT(ha_osc_decode_message(buf, (size_t)n, &m, args, 2, &err), HA_ENOBUFS);
    CHECK_INT(err.status, HA_ENOBUFS);
    CHECK_MSG(strstr(err.message, "message has 3 arguments, capacity is 2") != NULL, "%s",
              err.message);
    CHECK_INT(m.arg_count, 3);
    CHECK_NEAR(args[1].v.f, 2.0, 0);
    CHECK_INT(ha_osc_decode_message(buf, (size_t)n, &m, args, 0, NULL), HA_ENOBUFS);
    /* Malformed beats ENOBUFS. */
    CHECK_INT(ha_osc_decode_message(buf, (size_t)n - 4, &m, args, 0, NULL), HA_EMALFORMED);
  }

  /* NULL arguments. */
  {
    ha_osc_message m;
    ha_osc_packet pkt;
    ha_error err;
    CHECK_INT(ha_osc_decode_message(NULL, 4, &m, args, 1, &err), HA_EINVAL);
    CHECK_INT(ha_osc_decode(NULL, 4, &pkt, args, 1, NULL), HA_EINVAL);
    CHECK_INT(ha_osc_validate(NULL, 0, NULL), HA_EINVAL);
  }
}

/* ---- Patterns ------------------------------------------------------------ */

static void test_pattern_table(void) {
  static const struct {
    const char *pattern, *address;
    bool match;
  } rows[] = {
      {"/track/1/xyz", "/track/1/xyz", true},
      {"/track/1/xyz", "/track/1/xy", false},
      {"/track/1/xy", "/track/1/xyz", false},
      {"/track/?/xyz", "/track/7/xyz", true},
      {"/track/?/xyz", "/track/12/xyz", false},
      {"/track/?\?/xyz", "/track/12/xyz", true},
      {"/track/*/xyz", "/track/123/xyz", true},
      {"/track/*/xyz", "/track//xyz", true},
      {"/track/*", "/track/1/xyz", false}, /* '*' stops at '/' */
      {"/track/*/*", "/track/1/xyz", true},
      {"/*/*/*", "/track/1/xyz", true},
      {"/*", "/track/1/xyz", false},
      {"/track/1*/xyz", "/track/12/xyz", true},
      {"/track/*2/xyz", "/track/12/xyz", true},
      {"/track/*2/xyz", "/track/21/xyz", false},
      {"/track/1*3/xyz", "/track/123/xyz", true},
      {"/track/1*3/xyz", "/track/1233/xyz", true},
      {"/track/1*3/xyz", "/track/1232/xyz", false},
      {"/track/**/xyz", "/track/5/xyz", true},
      {"/track/*?/xyz", "/track//xyz", false},
      {"/track/[0-9]/xyz", "/track/5/xyz", true},
      {"/track/[0-9]/xyz", "/track/a/xyz", false},
      {"/track/[!0-9]/xyz", "/track/a/xyz", true},
      {"/track/[!0-9]/xyz", "/track/5/xyz", false},
      {"/track/[123]/xyz", "/track/2/xyz", true},
      {"/track/[123]/xyz", "/track/4/xyz", false},
      {"/track/[a-cx]/xyz", "/track/x/xyz", true},
      {"/track/[9-0]/xyz", "/track/5/xyz", true}, /* reversed range */
      {"/track/[-a]/xyz", "/track/-/xyz", true},  /* '-' first is literal */
      {"/track/[a-]/xyz", "/track/-/xyz", true},  /* '-' last is literal */
      {"/track/[0-9", "/track/5", false},         /* unclosed: matches nothing */
      {"/track/1/{xyz,aed}", "/track/1/aed", true},
      {"/track/1/{xyz,aed}", "/track/1/xyz", true},
      {"/track/1/{xyz,aed}", "/track/1/azim", false},
      {"/track/1/{x,xy,xyz}", "/track/1/xyz", true},
      {"/track/1/{xyz,x}", "/track/1/x", true},
      {"/track/1/{,x}yz", "/track/1/yz", true},
      {"/track/1/{xyz", "/track/1/xyz", false},
      {"/track/*/{x,y}*", "/track/3/yes", true},
      {"/*/{1,2,3}/[axyz]*", "/track/2/xyz", true},
      {"/*/{1,2,3}/[axyz]*", "/track/4/xyz", false},
      {"/track/*{1,2}", "/track/112", true},
      {"/track/*{1,2}", "/track/113", false},
      {"/track/*{1,2}*/x", "/track/a1b/x", true},
      {"/", "/", true},
      {"", "", true},
      {"/a", "/a/", false},
      {"/a/", "/a/", true},
      {"/a/*", "/a/", true},
      {"/?", "//", false}, /* '?' never matches '/' */
      {"/[!a]", "//", false},
  };
  for (size_t i = 0; i < COUNT(rows); i++) {
    bool got = ha_osc_pattern_match(rows[i].pattern, rows[i].address);
    CHECK_MSG(got == rows[i].match, "pattern \"%s\" vs \"%s\": got %d", rows[i].pattern,
              rows[i].address, (int)got);
  }
  CHECK(!ha_osc_pattern_match(NULL, "/a"));
  CHECK(!ha_osc_pattern_match("/a", NULL));

  /* Pathological: many stars and braces on a long segment finish quickly
   * (bounded work) and without crashing. */
  char pat[512], addr[512];
  size_t k = 0;
  pat[k++] = '/';
  for (int i = 0; i < 60 && k < sizeof pat - 8; i++) {
    memcpy(pat + k, "*{a,b}", 6);
    k += 6;
  }
  pat[k++] = 'c';
  pat[k] = '\0';
  addr[0] = '/';
  memset(addr + 1, 'a', 300);
  addr[301] = '\0';
  clock_t t0 = clock();
  CHECK(!ha_osc_pattern_match(pat, addr));
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  CHECK_MSG(secs < 1.0, "pathological pattern took %.3f s", secs);
  /* Many nested-looking braces: the recursion bound holds. */
  k = 0;
  pat[k++] = '/';
  for (int i = 0; i < 100 && k < sizeof pat - 8; i++) {
    memcpy(pat + k, "{a}", 3);
    k += 3;
  }
  pat[k] = '\0';
  memset(addr + 1, 'a', 100);
  addr[101] = '\0';
  CHECK(!ha_osc_pattern_match(pat, addr)); /* beyond the brace bound: no match */
  memset(addr + 1, 'a', 10);
  addr[11] = '\0';
  pat[1 + 3 * 10] = '\0';
  CHECK(ha_osc_pattern_match(pat, addr));
}

static void test_parse_indexed(void) {
  static const struct {
    const char *address, *prefix;
    bool ok;
    uint32_t n;
    const char *rest;
  } rows[] = {
      {"/track/1/xyz", "/track/", true, 1, "/xyz"},
      {"/track/128/aed", "/track/", true, 128, "/aed"},
      {"/track/0", "/track/", true, 0, ""},
      {"/track/4294967295/x", "/track/", true, 4294967295u, "/x"},
      {"/track/4294967296/x", "/track/", false, 0, NULL},
      {"/track/99999999999/x", "/track/", false, 0, NULL},
      {"/track/01/xyz", "/track/", false, 0, NULL},
      {"/track/+1/xyz", "/track/", false, 0, NULL},
      {"/track/-1/xyz", "/track/", false, 0, NULL},
      {"/track//xyz", "/track/", false, 0, NULL},
      {"/track/1x/xyz", "/track/", false, 0, NULL},
      {"/track/", "/track/", false, 0, NULL},
      {"/adm/obj/7/gain", "/adm/obj/", true, 7, "/gain"},
      {"/adm/obj/7/gain", "/track/", false, 0, NULL},
      {"/trac", "/track/", false, 0, NULL},
  };
  for (size_t i = 0; i < COUNT(rows); i++) {
    uint32_t n = 0xFFFFFFFFu;
    const char *rest = NULL;
    bool ok = ha_osc_parse_indexed(rows[i].address, rows[i].prefix, &n, &rest);
    CHECK_MSG(ok == rows[i].ok, "%s: got %d", rows[i].address, (int)ok);
    if (ok && rows[i].ok) {
      CHECK_INT(n, rows[i].n);
      CHECK_STR(rest, rows[i].rest);
    }
  }
  CHECK(ha_osc_parse_indexed("/track/3/xyz", "/track/", NULL, NULL));
  CHECK(!ha_osc_parse_indexed(NULL, "/track/", NULL, NULL));
}

static void test_timetags(void) {
  CHECK(ha_osc_timetag_from_unix(0.0) == (uint64_t)2208988800u << 32);
  CHECK(ha_osc_timetag_from_unix(0.5) == ((uint64_t)2208988800u << 32 | 0x80000000u));
  CHECK(ha_osc_timetag_from_unix(-3e9) == 0);
  CHECK(ha_osc_timetag_from_unix(NAN) == 0);
  CHECK_NEAR(ha_osc_timetag_to_unix(ha_osc_timetag_from_unix(1700000000.125)), 1700000000.125,
             1e-15);
  struct timespec ts = {1700000000, 500000000};
  uint64_t tt = ha_osc_timetag_from_timespec(&ts);
  CHECK(tt >> 32 == 1700000000u + 2208988800u);
  CHECK((tt & 0xFFFFFFFFu) == 0x80000000u);
  ts.tv_nsec = 999999999;
  tt = ha_osc_timetag_from_timespec(&ts);
  CHECK((tt & 0xFFFFFFFFu) < 0xFFFFFFFFu && (tt & 0xFFFFFFFFu) > 0xFFFFFFF0u);
  double now = ha_osc_timetag_to_unix(ha_osc_timetag_now());
  double ref = (double)time(NULL);
  CHECK_MSG(fabs(now - ref) < 5.0, "now %.3f vs time() %.0f", now, ref);
}

/* ---- Randomised garbage ---------------------------------------------------- */

/* Check a decoded view points inside the packet. */
static void check_view(const uint8_t *d, size_t len, const ha_osc_message *m,
                       const ha_osc_arg *args, size_t cap) {
  const uint8_t *end = d + len;
  CHECK((const uint8_t *)m->address >= d && (const uint8_t *)m->address + m->address_len < end);
  size_t n = m->arg_count < cap ? m->arg_count : cap;
  for (size_t i = 0; i < n; i++) {
    const ha_osc_arg *a = &args[i];
    if (a->type == HA_OSC_STRING || a->type == HA_OSC_SYMBOL) {
      CHECK((const uint8_t *)a->v.s.ptr >= d && (const uint8_t *)a->v.s.ptr + a->v.s.len < end);
    } else if (a->type == HA_OSC_BLOB && a->v.b.size > 0) {
      CHECK(a->v.b.ptr >= d && a->v.b.ptr + a->v.b.size <= end);
    } else if (a->type == HA_OSC_ARRAY_BEGIN) {
      CHECK(a->v.array.end > i && a->v.array.end < m->arg_count);
    }
  }
}

static void walk(const uint8_t *d, size_t len, int depth) {
  ha_osc_arg args[8];
  ha_osc_packet pkt;
  ha_status st = ha_osc_decode(d, len, &pkt, args, 8, NULL);
  if (st == HA_OK && pkt.kind == HA_OSC_PACKET_MESSAGE) {
    check_view(d, len, &pkt.message, args, 8);
  }
  if (st != HA_OK || pkt.kind != HA_OSC_PACKET_BUNDLE) {
    return;
  }
  CHECK(depth < HA_OSC_MAX_DEPTH);
  const uint8_t *e;
  size_t elen;
  while (ha_osc_bundle_next(&pkt.bundle, &e, &elen)) {
    CHECK(e >= d && e + elen <= d + len);
    walk(e, elen, depth + 1);
  }
}

static size_t make_valid(uint64_t *rng, uint8_t *buf, size_t cap) {
  int n;
  switch (ha_t_rand(rng) % 4) {
  case 0:
    n = ha_osc_encode_track_fff(buf, cap, "/track/", (uint32_t)(ha_t_rand(rng) % 200), "/xyz", 1, 2,
                                3);
    break;
  case 1: n = write_all_types(buf, cap); break;
  case 2: n = enc_bundle(buf, cap); break;
  default: {
    ha_osc_writer w;
    ha_osc_writer_init(&w, buf, cap);
    ha_osc_writer_begin_bundle(&w, 1);
    for (int i = 0; i < 4; i++) {
      ha_osc_writer_add_track_fff(&w, "/track/", (uint32_t)i, "/aed", 1, 2, 3);
    }
    ha_osc_writer_end_bundle(&w);
    n = ha_osc_writer_finish(&w);
  }
  }
  return n > 0 ? (size_t)n : 0;
}

static void test_random_garbage(void) {
  uint64_t seed = (uint64_t)time(NULL);
  const char *env = getenv("HA_SEED");
  if (env != NULL) {
    seed = strtoull(env, NULL, 0);
  }
  printf("test_random_garbage: seed %llu (HA_SEED=%llu to replay)\n", (unsigned long long)seed,
         (unsigned long long)seed);
  uint64_t rng = seed;
  int accepted = 0, iterations = 200000;
  for (int it = 0; it < iterations; it++) {
    uint8_t tmp[512];
    size_t len;
    uint64_t mode = ha_t_rand(&rng) % 3;
    if (mode == 0) {
      /* Pure noise, biased towards plausible first bytes and x4 lengths. */
      len = (size_t)(ha_t_rand(&rng) % 96);
      if (ha_t_rand(&rng) % 2) {
        len &= ~(size_t)3;
      }
      for (size_t i = 0; i < len; i++) {
        tmp[i] = (uint8_t)ha_t_rand(&rng);
      }
      if (len > 0 && ha_t_rand(&rng) % 2) {
        tmp[0] = ha_t_rand(&rng) % 2 ? '/' : '#';
      }
    } else {
      /* Mutations of valid packets: flip bytes, truncate, extend. */
      len = make_valid(&rng, tmp, sizeof tmp);
      int flips = 1 + (int)(ha_t_rand(&rng) % 4);
      for (int f = 0; f < flips && len > 0; f++) {
        size_t at = (size_t)(ha_t_rand(&rng) % len);
        uint64_t r = ha_t_rand(&rng);
        if (r & 1) {
          tmp[at] = (uint8_t)(r >> 8);
        } else {
          tmp[at] ^= (uint8_t)(1u << ((r >> 8) % 8));
        }
      }
      if (mode == 2 && len > 0) {
        len = (size_t)(ha_t_rand(&rng) % (len + 8));
        if (len > sizeof tmp) {
          len = sizeof tmp;
        }
      }
    }
    /* Exact-size heap copy: ASan flags any read past len. */
    uint8_t *p = malloc(len > 0 ? len : 1);
    memcpy(p, tmp, len);
    ha_osc_arg args[8];
    ha_osc_message m;
    ha_error err;
    ha_status st = ha_osc_decode_message(p, len, &m, args, 8, &err);
    if (st == HA_OK) {
      accepted++;
      check_view(p, len, &m, args, 8);
    } else {
      CHECK_MSG(st == HA_EMALFORMED || st == HA_ENOBUFS, "status %d", st);
      CHECK(err.message[0] != '\0');
    }
    walk(p, len, 0);
    ha_osc_validate(p, len, &err);
    free(p);
  }
  printf("test_random_garbage: %d iterations, %d accepted as messages\n", iterations, accepted);
}

int main(void) {
  RUN(test_worked_example);
  RUN(test_string_padding);
  RUN(test_track_numbers);
  RUN(test_roundtrip_all_types);
  RUN(test_bundles_nested);
  RUN(test_writer_errors);
  RUN(test_enobufs_every_capacity);
  RUN(test_malformed_table);
  RUN(test_pattern_table);
  RUN(test_parse_indexed);
  RUN(test_timetags);
  RUN(test_random_garbage);
  return test_done();
}
