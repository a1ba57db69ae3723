/* UDP helpers: name resolution, bound and connected sockets, address text.
 *
 * Everything here runs on control threads (creation of outputs, the devsim,
 * discovery). getaddrinfo is the only call that may block for long; the
 * output resolves once at creation so the tick never does. */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "io_internal.h"

ha_status ha__net_resolve(const char *host, int port, bool passive, const char *what,
                          ha__sockaddr *out, ha_error *err) {
  if (port < 0 || port > 65535) {
    return ha__error_bounds(err, HA_CATEGORY_IO, what, (double)port, 0, 65535);
  }
  char service[8];
  snprintf(service, sizeof service, "%d", port);
  struct addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_protocol = IPPROTO_UDP;
  hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
  /* "[::1]" as written in URLs and HOST:PORT forms is the address ::1. */
  char bare[256];
  size_t hn = host != NULL ? strlen(host) : 0;
  if (hn >= 2 && hn - 2 < sizeof bare && host[0] == '[' && host[hn - 1] == ']') {
    memcpy(bare, host + 1, hn - 2);
    bare[hn - 2] = '\0';
    host = bare;
  }
  const char *node = host != NULL && host[0] != '\0' ? host : NULL;
  if (node == NULL && !passive) {
    node = "127.0.0.1";
  }
  struct addrinfo *res = NULL;
  int rc = getaddrinfo(node, service, &hints, &res);
  if (rc != 0 || res == NULL) {
    if (rc == EAI_AGAIN || rc == EAI_SYSTEM) {
      ha__error_io(err, what, rc == EAI_SYSTEM ? errno : EAGAIN);
      return HA_EIO;
    }
    return ha__error_invalid(err, HA_CATEGORY_IO, what, node ? node : "", "cannot resolve '%s': %s",
                             node ? node : "", gai_strerror(rc));
  }
  /* Prefer IPv4: "localhost" often lists ::1 first while devices and most
   * tools listen on 0.0.0.0 / 127.0.0.1 only. */
  const struct addrinfo *pick = res;
  for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
    if (ai->ai_family == AF_INET) {
      pick = ai;
      break;
    }
  }
  memset(out, 0, sizeof *out);
  memcpy(&out->ss, pick->ai_addr, pick->ai_addrlen);
  out->len = pick->ai_addrlen;
  freeaddrinfo(res);
  return HA_OK;
}

int ha__net_udp_socket(int family, bool nonblock, ha_error *err) {
  int type = SOCK_DGRAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0);
  int fd = socket(family, type, IPPROTO_UDP);
  if (fd < 0) {
    return ha__error_io(err, "socket", errno);
  }
  return fd;
}

int ha__net_udp_bind(const char *host, int port, bool nonblock, const char *label,
                     ha__sockaddr *local, ha_error *err) {
  const char *what = label != NULL ? label : "bind";
  ha__sockaddr a;
  ha_status st = ha__net_resolve(host, port, true, what, &a, err);
  if (st != HA_OK) {
    return st;
  }
  int fd = ha__net_udp_socket(a.ss.ss_family, nonblock, err);
  if (fd < 0) {
    return fd;
  }
  if (a.ss.ss_family == AF_INET6) {
    int off = 0;
    (void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
  }
  if (bind(fd, (const struct sockaddr *)&a.ss, a.len) != 0) {
    int e = errno;
    char text[160], addr[64];
    ha__net_format(&a, addr, sizeof addr);
    snprintf(text, sizeof text, "%s %s", what, addr);
    close(fd);
    return ha__error_io(err, text, e);
  }
  if (local != NULL) {
    uint16_t bound = ha__net_local_port(fd);
    if (a.ss.ss_family == AF_INET6) {
      ((struct sockaddr_in6 *)(void *)&a.ss)->sin6_port = htons(bound);
    } else {
      ((struct sockaddr_in *)(void *)&a.ss)->sin_port = htons(bound);
    }
    *local = a;
  }
  return fd;
}

uint16_t ha__net_local_port(int fd) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
    return 0;
  }
  if (ss.ss_family == AF_INET) {
    return ntohs(((const struct sockaddr_in *)&ss)->sin_port);
  }
  if (ss.ss_family == AF_INET6) {
    return ntohs(((const struct sockaddr_in6 *)&ss)->sin6_port);
  }
  return 0;
}

void ha__net_format(const ha__sockaddr *a, char *buf, size_t cap) {
  char host[INET6_ADDRSTRLEN] = "?";
  if (a->ss.ss_family == AF_INET) {
    const struct sockaddr_in *s = (const struct sockaddr_in *)&a->ss;
    inet_ntop(AF_INET, &s->sin_addr, host, sizeof host);
    snprintf(buf, cap, "%s:%u", host, (unsigned)ntohs(s->sin_port));
  } else if (a->ss.ss_family == AF_INET6) {
    const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)&a->ss;
    inet_ntop(AF_INET6, &s->sin6_addr, host, sizeof host);
    snprintf(buf, cap, "[%s]:%u", host, (unsigned)ntohs(s->sin6_port));
  } else {
    snprintf(buf, cap, "?");
  }
}

bool ha__net_same(const ha__sockaddr *a, const ha__sockaddr *b) {
  if (a->ss.ss_family != b->ss.ss_family) {
    return false;
  }
  if (a->ss.ss_family == AF_INET) {
    const struct sockaddr_in *x = (const struct sockaddr_in *)&a->ss;
    const struct sockaddr_in *y = (const struct sockaddr_in *)&b->ss;
    return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
  }
  if (a->ss.ss_family == AF_INET6) {
    const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)&a->ss;
    const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)&b->ss;
    return x->sin6_port == y->sin6_port &&
           memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
  }
  return false;
}

bool ha__net_key(const ha__sockaddr *a, uint8_t key[16]) {
  static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (a->ss.ss_family == AF_INET) {
    memcpy(key, v4_mapped, 12);
    memcpy(key + 12, &((const struct sockaddr_in *)(const void *)&a->ss)->sin_addr, 4);
    return true;
  }
  if (a->ss.ss_family == AF_INET6) {
    memcpy(key, &((const struct sockaddr_in6 *)(const void *)&a->ss)->sin6_addr, 16);
    return true;
  }
  return false;
}

uint16_t ha__net_port(const ha__sockaddr *a) {
  if (a->ss.ss_family == AF_INET) {
    return ntohs(((const struct sockaddr_in *)(const void *)&a->ss)->sin_port);
  }
  if (a->ss.ss_family == AF_INET6) {
    return ntohs(((const struct sockaddr_in6 *)(const void *)&a->ss)->sin6_port);
  }
  return 0;
}

void ha__net_grow_buffer(int fd, int optname, int bytes) {
  int cur = 0;
  socklen_t len = sizeof cur;
  /* Linux reports twice the value set (bookkeeping overhead); compare with
   * what we would get. */
  if (getsockopt(fd, SOL_SOCKET, optname, &cur, &len) == 0 && cur / 2 >= bytes) {
    return;
  }
  (void)setsockopt(fd, SOL_SOCKET, optname, &bytes, sizeof bytes);
}

double ha__net_monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
