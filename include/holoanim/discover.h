/* holoanim: find the tracks of a Holophonix processor (or a devsim).
 *
 * The device has no "list tracks" message (PROTOCOL.md), so discovery probes:
 * `/get "/track/n/name"` for n = 1, 2, … until the first `/error` (or a probe
 * that gets no answer), then `/get "/track/n/xyz"` for each track found.
 * Every query leaves from ONE local UDP port, which is also where replies are
 * awaited; that socket is connected to host:port (bound to the address of
 * the route toward it), so only datagrams whose source is the device's
 * address and port are read: a device that answered from another port
 * would not be discovered, and nobody else can inject a track.
 *
 * Probes are pipelined (a small window of queries in flight) and matched to
 * replies by the track number in the reply, so replies may arrive in any
 * order; a probe without an answer is sent again (HA_DISCOVER_TRIES attempts
 * in all, `timeout_ms` apart) before it counts as unanswered. Messages that
 * are not replies (pushed positions, other traffic) are ignored, except that
 * a pushed `/track/n/xyz` also gives track n's position.
 *
 * Thread: any (blocking; never the tick). Allocates its socket and a 64 KiB
 * receive buffer for the duration of the call.
 */
#ifndef HOLOANIM_DISCOVER_H
#define HOLOANIM_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "holoanim/error.h"
#include "holoanim/math.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HA_DISCOVER_TRIES 3  /* attempts per probe */
#define HA_DISCOVER_WINDOW 8 /* probes in flight */
#define HA_DISCOVER_NAME_MAX 128

typedef struct ha_discovered_track {
  uint32_t index;                  /* n, from 1 */
  char name[HA_DISCOVER_NAME_MAX]; /* truncated to 127 bytes */
  ha_vec3 position;                /* metres, when has_position */
  bool has_position;               /* false: no /track/n/xyz reply */
} ha_discovered_track;

/* Probe host:port from local port `listen_port` (0 = any).
 * timeout_ms: how long to wait for one reply before asking again
 *   (1..60000; HA_DISCOVER_TRIES attempts per probe).
 * results, cap: caller storage; tracks 1..k in order. n: out, tracks found.
 * Returns: HA_OK (n may be 0 when track 1 answers /error);
 *   HA_ENOBUFS when the device has more than `cap` tracks (the first cap are
 *   filled); HA_ENOTFOUND when nothing answered at all (err says so);
 *   HA_EINVAL / HA_ERANGE (arguments, unknown host); HA_EIO (socket, bind).
 * Thread: any control thread; blocks up to about
 *   HA_DISCOVER_TRIES × timeout_ms per missing answer. */
ha_status ha_discover(const char *host, int port, int listen_port, int timeout_ms,
                      ha_discovered_track *results, size_t cap, size_t *n, ha_error *err);

#ifdef __cplusplus
}
#endif
#endif /* HOLOANIM_DISCOVER_H */
