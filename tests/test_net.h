/* UDP on 127.0.0.1 for the tests that talk to real sockets: bind a socket
 * (the kernel picks the port), send to a loopback port, receive one datagram
 * with a bounded wait, and encode (and send) a short OSC message from
 * varargs. Every
 * wait is bounded; nothing here asserts, the caller checks what it needs.
 * Header-only and static, like test.h. */
#ifndef HA_TEST_NET_H
#define HA_TEST_NET_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "holoanim.h"

/* The address 127.0.0.1:port. */
static inline struct sockaddr_in test_loopback(uint16_t port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  return a;
}

/* A UDP socket bound to 127.0.0.1:port (0: any free port), close-on-exec;
 * *bound (may be NULL) gets the port. -1 on failure. */
static inline int test_udp_open(uint16_t port, uint16_t *bound) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  struct sockaddr_in a = test_loopback(port);
  socklen_t len = sizeof a;
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
      getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
    close(fd);
    return -1;
  }
  if (bound != NULL) {
    *bound = ntohs(a.sin_port);
  }
  return fd;
}

/* test_udp_open on a free port with a 4 MiB receive buffer, for receivers
 * that must not drop a burst of datagrams. */
static inline int test_udp_receiver(uint16_t *port) {
  int fd = test_udp_open(0, port);
  int big = 4 << 20;
  if (fd >= 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  }
  return fd;
}

/* One datagram to 127.0.0.1:port; true when all n bytes went. */
static inline bool test_udp_send(int fd, uint16_t port, const void *data, size_t n) {
  struct sockaddr_in a = test_loopback(port);
  return sendto(fd, data, n, 0, (struct sockaddr *)&a, sizeof a) == (ssize_t)n;
}

/* The next datagram within timeout_ms: its length, or -1 (none, or error). */
static inline ssize_t test_udp_recv(int fd, void *buf, size_t cap, int timeout_ms) {
  struct pollfd p = {fd, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) {
    return -1;
  }
  return recv(fd, buf, cap, 0);
}

/* Encode one OSC message; tags (with or without the leading ',') take
 * 'f' (a double argument, sent as float32), 'i' (int) and 's' (string).
 * Returns the length, or a negative status. */
static inline int test_osc_vencode(uint8_t *buf, size_t cap, const char *addr, const char *tags,
                                   va_list ap) {
  ha_osc_writer w;
  ha_osc_writer_init(&w, buf, cap);
  ha_osc_writer_begin_message(&w, addr, tags);
  for (const char *t = tags[0] == ',' ? tags + 1 : tags; *t; t++) {
    if (*t == 'f') {
      ha_osc_writer_add_float32(&w, (float)va_arg(ap, double));
    } else if (*t == 'i') {
      ha_osc_writer_add_int32(&w, va_arg(ap, int));
    } else if (*t == 's') {
      ha_osc_writer_add_string(&w, va_arg(ap, const char *));
    }
  }
  ha_osc_writer_end_message(&w);
  return ha_osc_writer_finish(&w);
}

static inline int test_osc_encode(uint8_t *buf, size_t cap, const char *addr, const char *tags,
                                  ...) {
  va_list ap;
  va_start(ap, tags);
  int n = test_osc_vencode(buf, cap, addr, tags, ap);
  va_end(ap);
  return n;
}

/* Encode one message as test_osc_encode does and send it to 127.0.0.1:port;
 * true when it encoded and all of it went. */
static inline bool test_osc_vsend(int fd, uint16_t port, const char *addr, const char *tags,
                                  va_list ap) {
  uint8_t buf[512];
  int n = test_osc_vencode(buf, sizeof buf, addr, tags, ap);
  return n > 0 && test_udp_send(fd, port, buf, (size_t)n);
}

static inline bool test_osc_send(int fd, uint16_t port, const char *addr, const char *tags, ...) {
  va_list ap;
  va_start(ap, tags);
  bool ok = test_osc_vsend(fd, port, addr, tags, ap);
  va_end(ap);
  return ok;
}

#endif
