/* holoanim internals: UDP socket helpers shared by outputs, the simulated
 * device and discovery. Not installed. Control-thread code: these resolve
 * names, create sockets and may block; none of them belongs on the tick. */
#ifndef HOLOANIM_NET_H
#define HOLOANIM_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "holoanim/error.h"

typedef struct ha__sockaddr {
  struct sockaddr_storage ss;
  socklen_t len;
} ha__sockaddr;

/* Resolve `host` (name or numeric; NULL or "" with `passive` = any address)
 * and `port` for UDP; takes the first result, preferring IPv4.
 * Errors: HA_EINVAL naming `what` (unknown host, bad port), HA_EIO (temporary
 * resolver failure). */
ha_status ha__net_resolve(const char *host, int port, bool passive, const char *what,
                          ha__sockaddr *out, ha_error *err);

/* A UDP socket of `family`, close-on-exec, optionally non-blocking.
 * Returns the fd or a negative status (HA_EIO, err filled). */
int ha__net_udp_socket(int family, bool nonblock, ha_error *err);

/* A UDP socket bound to host:port (port 0 = any free port; host NULL/"" =
 * all IPv4 interfaces). An IPv6 socket is dual-stack: "::" takes IPv4
 * senders too (as ::ffff:a.b.c.d), whatever net.ipv6.bindv6only says.
 * `local` (may be NULL) receives the bound address with its real port. A
 * failure names `label` (NULL: "bind") and the address. Returns the fd or a
 * negative status. */
int ha__net_udp_bind(const char *host, int port, bool nonblock, const char *label,
                     ha__sockaddr *local, ha_error *err);

/* The local port of a bound socket (0 on error). */
uint16_t ha__net_local_port(int fd);

/* "1.2.3.4:5" or "[::1]:5" into buf. */
void ha__net_format(const ha__sockaddr *a, char *buf, size_t cap);

/* Equal address and port. */
bool ha__net_same(const ha__sockaddr *a, const ha__sockaddr *b);

/* The address as 16 bytes (IPv4 mapped into ::ffff:0:0/96, so one compare
 * serves both families); false for another family. */
bool ha__net_key(const ha__sockaddr *a, uint8_t key[16]);

/* The port (host order); 0 for another family. */
uint16_t ha__net_port(const ha__sockaddr *a);

/* Raise SO_SNDBUF / SO_RCVBUF to at least `bytes` (best effort: the kernel
 * caps it at net.core.[rw]mem_max). */
void ha__net_grow_buffer(int fd, int optname, int bytes);

/* CLOCK_MONOTONIC in seconds. */
double ha__net_monotonic(void);

#endif
