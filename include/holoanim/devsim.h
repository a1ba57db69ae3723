/* holoanim: a simulated Holophonix processor (and ADM-OSC receiver).
 *
 * A thread that owns one UDP socket and behaves as PROTOCOL.md describes, so
 * tests, `holoanim play` and `holoanim devsim` can run without hardware:
 *
 *   /track/{n}/xyz f f f        position, each axis clamped to ±100 m
 *   /track/{n}/aed f f f        azimuth wrapped to (−180, 180], elevation
 *                               clamped to ±90, distance to 0.1..500; the
 *                               result is stored as xyz (clamped to ±100)
 *   /track/{n}/x|y|z f          one axis
 *   /track/{n}/azim|elev|dist f one polar axis (the others kept)
 *   /track/{n}/azim++|elev++|dist++ f   relative polar move
 *   /track/{n}/name s           stored (up to 127 bytes)
 *   /track/{n}/color f f f f    RGBA, each clamped to 0..1
 *   /track/{n}/gain f           dB, clamped to −60..12
 *   /track/{n}/mute i           0/1 (any non-zero number is 1)
 *   /get s                      "/track/{n}/xyz|aed|x|y|z|azim|elev|dist|
 *                               name|color|gain|mute": reply to the sender
 *                               with that message; a missing track or an
 *                               unknown parameter replies
 *                               /error "from Core: Cannot get track,{n},{param}"
 *   /adm/obj/{n}/xyz|aed|x|y|z|xy|azim|elev|dist   ADM-OSC on the same port:
 *                               normalised units × adm_scale metres, ADM's
 *                               azimuth sign (+ = left), inputs clamped to
 *                               their ranges; gain (linear → dB), mute, name
 *   /adm/obj/{n}/<param>        with no argument: a query, answered to the
 *                               sender in ADM form
 *
 * Numbers may arrive as any numeric OSC type (i, f, h, d, T/F). Bundles are
 * decoded recursively (time tags are ignored: everything applies on arrival).
 * Packets the strict decoder rejects are counted with their reason, well
 * formed messages with wrong arguments or unknown addresses are counted too;
 * nothing is ever fatal.
 *
 * Every change (from the network or from ha_devsim_set_position) is pushed to
 * each push destination: positions as /track/{n}/xyz f f f, the other
 * parameters as their own message. This is the device echo a player uses to
 * detect another controller. Positions received from the network can be
 * recorded to a CSV file `time_s,track,x,y,z` (CLOCK_MONOTONIC seconds at
 * receipt, the resulting clamped position), flushed within a second of each
 * row and on stop.
 *
 * Thread: start/stop from a control thread; every other function from any
 * thread (a mutex guards the track table; the simulator is not real-time).
 */
#ifndef HOLOANIM_DEVSIM_H
#define HOLOANIM_DEVSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "holoanim/error.h"
#include "holoanim/math.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ha_devsim ha_devsim;

#define HA_DEVSIM_MAX_TRACKS 65535u
#define HA_DEVSIM_MAX_PUSH 16
#define HA_DEVSIM_NAME_MAX 128 /* bytes including the NUL */

typedef struct ha_devsim_config {
  const char *bind_host;        /* default "127.0.0.1" ("0.0.0.0" = every interface) */
  int port;                     /* 0..65535, 0 = any free port (default 4003) */
  uint32_t tracks;              /* tracks 1..tracks exist, 1..65535 (default 64) */
  double adm_scale;             /* metres for ADM-OSC 1.0 (default 10) */
  ha_azimuth_sign azimuth_sign; /* of /track/{n}/aed (default clockwise) */
  const char *record_path;      /* CSV of received positions, NULL = none */
} ha_devsim_config;

/* Defaults as above. Thread: any. */
ha_devsim_config ha_devsim_config_default(void);

/* Bind the socket, open the record file, start the thread. Tracks start at
 * (0, 0, 0), named "Track {n}", white, 0 dB, unmuted.
 * Returns: HA_OK, HA_EINVAL/HA_ERANGE (config: the field is named), HA_EIO
 * (bind, record file, thread), HA_ENOMEM. Thread: control. */
ha_status ha_devsim_start(const ha_devsim_config *cfg, ha_devsim **out, ha_error *err);

/* Stop the thread, flush and close the record file, close the socket, free.
 * NULL is a no-op. Thread: control. */
void ha_devsim_stop(ha_devsim *sim);

/* The UDP port actually bound (useful with port 0). Thread: any. */
uint16_t ha_devsim_port(const ha_devsim *sim);

/* Add a push destination (resolved here). Up to HA_DEVSIM_MAX_PUSH.
 * Returns: HA_OK, HA_EINVAL (host/port), HA_EEXHAUSTED. Thread: any. */
ha_status ha_devsim_add_push(ha_devsim *sim, const char *host, int port, ha_error *err);

typedef struct ha_devsim_track {
  uint32_t index;
  ha_vec3 position; /* metres */
  char name[HA_DEVSIM_NAME_MAX];
  float color[4]; /* RGBA 0..1 */
  float gain_db;
  int mute;
  uint64_t updates; /* position changes so far */
} ha_devsim_track;

/* A copy of track n's state. Returns: HA_OK, HA_ENOTFOUND (n outside
 * 1..tracks), HA_EINVAL (NULL). Thread: any. */
ha_status ha_devsim_get_track(ha_devsim *sim, uint32_t n, ha_devsim_track *out);

/* Move track n as if someone moved it on the device (clamped like
 * /track/{n}/xyz; pushed to every push destination; not recorded).
 * Returns: HA_OK, HA_ENOTFOUND, HA_EINVAL (non-finite). Thread: any. */
ha_status ha_devsim_set_position(ha_devsim *sim, uint32_t n, ha_vec3 pos);

typedef struct ha_devsim_stats {
  uint64_t packets;         /* datagrams received */
  uint64_t messages;        /* messages handled (inside bundles too) */
  uint64_t bundles;         /* bundles (nested ones included) */
  uint64_t positions;       /* position changes applied from the network */
  uint64_t queries;         /* /get and ADM queries answered */
  uint64_t replies;         /* datagrams sent back to senders */
  uint64_t pushes;          /* datagrams sent to push destinations */
  uint64_t malformed;       /* packets the decoder rejected (or truncated) */
  uint64_t bad_args;        /* known address, wrong argument count or type */
  uint64_t unknown_address; /* well formed, address not understood */
  uint64_t unknown_track;   /* n = 0 or n > tracks */
  uint64_t clamped;         /* messages with at least one value clamped */
  uint64_t send_errors;     /* replies / pushes that failed */
  char last_malformed[160]; /* reason of the last rejected packet ("" if none) */
} ha_devsim_stats;

/* Copy the counters. Returns: HA_OK, HA_EINVAL (NULL). Thread: any. */
ha_status ha_devsim_get_stats(ha_devsim *sim, ha_devsim_stats *out);

#ifdef __cplusplus
}
#endif
#endif /* HOLOANIM_DEVSIM_H */
