/* Who may talk to the control input: allow-list entries are checked
 * (addresses, CIDR ranges, names), loopback is allowed unless denied, a
 * sender outside the list is counted, reported once and never answered, an
 * IPv4 sender on a dual-stack "::" socket matches its IPv4 entry, and an
 * address outside the control table reaches the `address` callback (acked);
 * an output's "[::1]" host is ::1.
 * Real sockets on 127.0.0.1, 127.0.0.2 and ::1 (skipped when the machine
 * has no IPv6). */
#include <pthread.h>
#include <unistd.h>

#include "holoanim.h"
#include "test.h"
#include "test_net.h"

typedef struct seen {
  pthread_mutex_t mu;
  int refused_calls, overflow_calls, addresses;
  char refused_from[64];
  char last_address[64];
} seen;

static void on_refused(void *user, const char *from) {
  seen *s = user;
  pthread_mutex_lock(&s->mu);
  if (from != NULL) {
    s->refused_calls++;
    snprintf(s->refused_from, sizeof s->refused_from, "%s", from);
  } else {
    s->overflow_calls++;
  }
  pthread_mutex_unlock(&s->mu);
}

static ha_status on_address(void *user, const char *address, char *reply, size_t cap) {
  seen *s = user;
  if (!ha_osc_pattern_match(address, "/cue/intro")) {
    return HA_ENOTFOUND;
  }
  pthread_mutex_lock(&s->mu);
  s->addresses++;
  snprintf(s->last_address, sizeof s->last_address, "%s", address);
  pthread_mutex_unlock(&s->mu);
  snprintf(reply, cap, "cue 1");
  return HA_OK;
}

/* A UDP socket bound to `host` (an IPv4 or IPv6 literal), any port; -1 when
 * that family or address is not available here. */
static int open_on(const char *host) {
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  socklen_t len = 0;
  struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
  struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
  if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    len = sizeof *a4;
  } else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    len = sizeof *a6;
  } else {
    return -1;
  }
  int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && bind(fd, (struct sockaddr *)&ss, len) != 0) {
    close(fd);
    fd = -1;
  }
  return fd;
}

/* Send one OSC message to host:port (IPv4 or IPv6 literal). */
static void send_to(int fd, const char *host, uint16_t port, const char *addr) {
  uint8_t buf[256];
  int n = test_osc_encode(buf, sizeof buf, addr, ",");
  struct sockaddr_in a4;
  struct sockaddr_in6 a6;
  memset(&a4, 0, sizeof a4);
  memset(&a6, 0, sizeof a6);
  if (inet_pton(AF_INET, host, &a4.sin_addr) == 1) {
    a4.sin_family = AF_INET;
    a4.sin_port = htons(port);
    CHECK(sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&a4, sizeof a4) == n);
  } else {
    CHECK(inet_pton(AF_INET6, host, &a6.sin6_addr) == 1);
    a6.sin6_family = AF_INET6;
    a6.sin6_port = htons(port);
    CHECK(sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&a6, sizeof a6) == n);
  }
}

/* The reply's address ("" when none came within timeout_ms). */
static void reply_address(int fd, int timeout_ms, char *out, size_t cap) {
  uint8_t buf[1024];
  ssize_t n = test_udp_recv(fd, buf, sizeof buf, timeout_ms);
  ha_osc_message m;
  ha_osc_arg args[4];
  out[0] = '\0';
  if (n > 0 && ha_osc_decode_message(buf, (size_t)n, &m, args, 4, NULL) == HA_OK) {
    snprintf(out, cap, "%s", m.address);
  }
}

/* Until the control has refused `want` packets (60 s deadline). */
static uint64_t wait_refused(const ha_control *c, uint64_t want) {
  ha_control_stats st;
  for (int i = 0; i < 6000; i++) {
    ha_control_get_stats(c, &st);
    if (st.refused >= want) {
      break;
    }
    usleep(10000);
  }
  return st.refused;
}

static void test_allow_check(void) {
  static const char *const good[] = {
      "10.0.0.5",       "10.0.0.0/24", "0.0.0.0/0",           "::1",
      "fd00::/8",       "[fd00::1]",   "::ffff:10.1.2.3/128", "desk.local",
      "192.168.1.50/32"};
  static const char *const bad[] = {"",          "10.0.0.0/33", "fd00::/129",  "desk.local/24",
                                    "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/2x", "a b",
                                    "/24",       "[]"};
  ha_error err;
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    CHECK_OK(ha_control_allow_check(good[i], &err));
  }
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    CHECK_INT(ha_control_allow_check(bad[i], &err), HA_EINVAL);
    CHECK(strstr(err.message, bad[i]) != NULL);
  }
}

/* deny_loopback with a list: 127.0.0.2 (in 127.0.0.2/32) is answered,
 * 127.0.0.1 refused, counted once per packet, reported once, unanswered. */
static void test_allow_cidr_and_refusal(void) {
  seen s;
  memset(&s, 0, sizeof s);
  pthread_mutex_init(&s.mu, NULL);
  ha_control_handlers h = {&s, NULL, NULL};
  static const char *const allow[] = {"10.0.0.0/8", "127.0.0.2/32"};
  ha_metrics *metrics = NULL;
  CHECK_OK(ha_metrics_create(&metrics));
  ha_control_config cfg = ha_control_config_default();
  cfg.allow = allow;
  cfg.allow_count = 2;
  cfg.deny_loopback = true;
  cfg.refused = on_refused;
  cfg.address = on_address;
  cfg.metrics = metrics;
  ha_control *c = NULL;
  ha_error err;
  CHECK_OK(ha_control_start(&cfg, &h, &c, &err));
  CHECK(ha_control_loopback_only(c));
  uint16_t port = ha_control_port(c);
  int ok = open_on("127.0.0.2"), no = open_on("127.0.0.1");
  CHECK(ok >= 0 && no >= 0);
  char addr[64];
  send_to(ok, "127.0.0.1", port, "/cue/{intro,outro}");
  reply_address(ok, 60000, addr, sizeof addr);
  CHECK_STR(addr, "/holoanim/ack");
  send_to(ok, "127.0.0.1", port, "/cue/nothing");
  reply_address(ok, 60000, addr, sizeof addr);
  CHECK_STR(addr, "/holoanim/error");
  for (uint64_t i = 1; i <= 3; i++) {
    send_to(no, "127.0.0.1", port, "/cue/intro");
    CHECK_INT(wait_refused(c, i), i);
  }
  /* Every refused packet is handled (counted) by now: any reply would be
   * queued already. */
  reply_address(no, 0, addr, sizeof addr);
  CHECK_STR(addr, "");
  pthread_mutex_lock(&s.mu);
  CHECK_INT(s.refused_calls, 1);
  CHECK_STR(s.refused_from, "127.0.0.1");
  CHECK_INT(s.addresses, 1);
  CHECK_STR(s.last_address, "/cue/{intro,outro}");
  pthread_mutex_unlock(&s.mu);
  ha_control_stats st;
  ha_control_get_stats(c, &st);
  CHECK_INT(st.commands, 1);
  CHECK_INT(st.unknown, 1);
  ha_control_stop(c);
  ha_metrics_snap snap;
  ha_metrics_snapshot(metrics, &snap);
  CHECK_INT(snap.counters[HA_COUNTER_CONTROL_REFUSED], 3);
  ha_metrics_destroy(metrics);
  close(ok);
  close(no);
  pthread_mutex_destroy(&s.mu);
}

/* "::" takes IPv4 and IPv6 senders; the IPv4 one (seen as ::ffff:127.0.0.2)
 * matches its IPv4 entry, ::1 matches "::1", 127.0.0.1 is refused. */
static void test_allow_dual_stack(void) {
  int probe = open_on("::1");
  if (probe < 0) {
    printf("  (no IPv6 loopback here: dual-stack part skipped)\n");
    return;
  }
  close(probe);
  static const char *const allow[] = {"127.0.0.2", "::1/128"};
  ha_control_config cfg = ha_control_config_default();
  cfg.bind_host = "[::]";
  cfg.allow = allow;
  cfg.allow_count = 2;
  cfg.deny_loopback = true;
  cfg.address = on_address;
  seen s;
  memset(&s, 0, sizeof s);
  pthread_mutex_init(&s.mu, NULL);
  ha_control_handlers h = {&s, NULL, NULL};
  ha_control *c = NULL;
  ha_error err;
  CHECK_OK(ha_control_start(&cfg, &h, &c, &err));
  CHECK(!ha_control_loopback_only(c));
  CHECK(strncmp(ha_control_address(c), "[::]:", 5) == 0);
  uint16_t port = ha_control_port(c);
  int v4 = open_on("127.0.0.2"), v6 = open_on("::1"), no = open_on("127.0.0.1");
  char addr[64];
  send_to(v4, "127.0.0.1", port, "/cue/intro");
  reply_address(v4, 60000, addr, sizeof addr);
  CHECK_STR(addr, "/holoanim/ack");
  send_to(v6, "::1", port, "/cue/intro");
  reply_address(v6, 60000, addr, sizeof addr);
  CHECK_STR(addr, "/holoanim/ack");
  send_to(no, "127.0.0.1", port, "/cue/intro");
  CHECK_INT(wait_refused(c, 1), 1);
  reply_address(no, 0, addr, sizeof addr);
  CHECK_STR(addr, "");
  ha_control_stop(c);
  close(v4);
  close(v6);
  close(no);
  pthread_mutex_destroy(&s.mu);
}

/* An output's host in [brackets] (as a show may write it) is its IPv6
 * address; without brackets too. */
static void test_output_bracketed_host(void) {
  int probe = open_on("::1");
  if (probe < 0) {
    printf("  (no IPv6 loopback here: skipped)\n");
    return;
  }
  close(probe);
  ha_output_config oc = ha_output_config_default();
  oc.port = 4003;
  ha_error err;
  static const char *const hosts[] = {"[::1]", "::1"};
  for (size_t i = 0; i < 2; i++) {
    oc.host = hosts[i];
    ha_output *o = NULL;
    CHECK_OK(ha_output_create(&oc, 4, &o, &err));
    if (o != NULL) {
      CHECK_STR(ha_output_destination(o), "[::1]:4003");
    }
    ha_output_destroy(o);
  }
}

int main(void) {
  RUN(test_output_bracketed_host);
  RUN(test_allow_check);
  RUN(test_allow_cidr_and_refusal);
  RUN(test_allow_dual_stack);
  return test_done();
}
