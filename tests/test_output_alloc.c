/* ha_output_send allocates nothing: 10,000 calls per output kind (unbundled,
 * bundled with a look-ahead time tag, aed, ADM, a mapped output, a refusing
 * destination), counted by the malloc family test_alloc.h interposes in this
 * executable (it forwards to glibc's __libc_* functions). The counter is
 * first shown to count (alloc_self_test).
 * The calls' reports add up to the output's counters, and a last flush is
 * read back from the receiving socket.
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

#include "test.h"
#include "test_net.h"

enum { TRACKS = 128, CALLS = 10000 };

/* OSC messages in the datagrams that reach `fd` until none comes for
 * timeout_ms (bundles counted by element); −1 for an undecodable packet. */
static long sink_messages(int fd, int timeout_ms) {
  static uint8_t buf[65536];
  long msgs = 0;
  ssize_t n;
  while ((n = test_udp_recv(fd, buf, sizeof buf, timeout_ms)) >= 0) {
    ha_osc_packet pkt;
    if (n == 0 || ha_osc_decode(buf, (size_t)n, &pkt, NULL, 0, NULL) != HA_OK) {
      return -1;
    }
    if (pkt.kind == HA_OSC_PACKET_MESSAGE) {
      msgs++;
      continue;
    }
    const uint8_t *el;
    size_t el_len;
    while (ha_osc_bundle_next(&pkt.bundle, &el, &el_len)) {
      msgs++;
    }
  }
  return msgs;
}

/* sink: the receiving socket on `port`, or −1 when nothing listens. */
static void run_output(ha_output_config c, uint16_t port, int sink, const char *what) {
  c.host = "127.0.0.1";
  c.port = port;
  ha_output *o = NULL;
  ha_error err;
  CHECK_OK(ha_output_create(&c, TRACKS, &o, &err));
  if (o == NULL) {
    return;
  }
  static uint32_t ids[TRACKS];
  static double x[TRACKS], y[TRACKS], z[TRACKS];
  for (int i = 0; i < TRACKS; i++) {
    ids[i] = (uint32_t)(i + 1);
  }
  uint64_t messages = 0, bytes = 0, errors = 0;
  alloc_count_start();
  for (int k = 0; k < CALLS; k++) {
    for (int i = 0; i < TRACKS; i++) {
      x[i] = (double)(k + i) * 0.01; /* everything moves: all tracks sent */
      y[i] = 1.0;
      z[i] = (i % 7 == 0 && k % 100 == 0) ? NAN : 0.5;
    }
    ha_output_report rep;
    if (k % 1000 == 999) {
      ha_output_flush(o, (double)k * 0.001, TRACKS, ids, x, y, z, &rep);
    } else {
      ha_output_send(o, (double)k * 0.001, TRACKS, ids, x, y, z, &rep);
    }
    messages += rep.messages;
    bytes += rep.bytes;
    errors += rep.send_errors;
    ha_output_stats st;
    ha_output_get_stats(o, &st);
  }
  alloc_count_stop();
  size_t n = alloc_calls();
  CHECK_MSG(n == 0, "%s: %zu allocations over %d calls", what, n, CALLS);
  ha_output_stats st;
  ha_output_get_stats(o, &st);
  /* The reports add up to the cumulative counters. */
  CHECK_INT(messages, st.messages);
  CHECK_INT(bytes, st.bytes);
  CHECK_INT(errors,
            st.err_refused + st.err_unreachable + st.err_again + st.err_other + st.short_sends);
  if (sink >= 0) {
    /* What a flush reports is what the receiver decodes. */
    sink_messages(sink, 50);
    ha_output_report rep;
    int sent = ha_output_flush(o, (double)CALLS * 0.001, TRACKS, ids, x, y, z, &rep);
    CHECK_MSG(sent > 0, "%s: the last flush sent nothing", what);
    CHECK_INT(rep.messages, sent);
    CHECK_INT(sink_messages(sink, 200), sent);
  }
  printf("# %s: %llu messages, %llu datagrams, %llu send errors, %llu short sends\n", what,
         (unsigned long long)st.messages, (unsigned long long)st.datagrams,
         (unsigned long long)(st.err_refused + st.err_again + st.err_other + st.err_unreachable),
         (unsigned long long)st.short_sends);
  ha_output_destroy(o);
}

static void test_send_allocates_nothing(void) {
  uint16_t port;
  int sink = test_udp_receiver(&port);
  CHECK(sink >= 0);
  ha_output_config c = ha_output_config_default();
  c.rate_hz = 1000;
  run_output(c, port, sink, "holophonix xyz");
  c.coords = HA_COORDS_AED;
  run_output(c, port, sink, "holophonix aed");
  c.dialect = HA_DIALECT_ADM_OSC;
  run_output(c, port, sink, "adm aed");
  c = ha_output_config_default();
  c.rate_hz = 1000;
  c.bundle = true;
  c.lookahead_ms = 20;
  run_output(c, port, sink, "bundled, look-ahead");
  const ha_output_map_entry map[] = {{1, 10}, {2, 20}, {3, 30}};
  c.map = map;
  c.map_len = 3;
  c.map_only = true;
  run_output(c, port, sink, "mapped");
  close(sink);
}

static void test_refusing_destination_allocates_nothing(void) {
  uint16_t port;
  int gone = test_udp_receiver(&port);
  close(gone);
  ha_output_config c = ha_output_config_default();
  c.rate_hz = 1000;
  run_output(c, port, -1, "refused");
}

int main(void) {
  RUN(alloc_self_test);
  RUN(test_send_allocates_nothing);
  RUN(test_refusing_destination_allocates_nothing);
  return test_done();
}

#endif
