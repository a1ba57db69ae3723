/* holoanim: OSC input — remote control and device feedback on one UDP port.
 *
 * A thread receives OSC (messages and bundles, strictly decoded) and calls
 * the application's handlers:
 *   /holoanim/play [name]   /holoanim/pause   /holoanim/stop [name]
 *   /holoanim/seek t        /holoanim/speed s /holoanim/cue/go n
 *   /holoanim/panic
 *   /anim/play  /anim/pause  /anim/stop  /anim/gotoStart   (the original
 *   animator's remote, for compatibility)
 *   /track/{n}/xyz f f f  and  /track/{n}/aed f f f   (device feedback: the
 *   processor pushes every change to its OSC Send destinations)
 * Every control message gets a reply to its sender: `/holoanim/ack ,ss
 * <address> <message>` or `/holoanim/error ,ss <address> <reason>`.
 * Malformed packets, senders outside the allow list and unknown addresses
 * are counted and answered with an error (when the sender is allowed), never
 * fatal. Binds 127.0.0.1 by default: listening on another address needs an
 * explicit bind host and, for senders other than loopback, the allow list.
 *
 * Thread: handlers run on the control thread (not the tick): they may
 * allocate, and should queue player commands. */
#ifndef HOLOANIM_CONTROL_H
#define HOLOANIM_CONTROL_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "math.h"
#include "metrics.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ha_control ha_control;

typedef enum ha_control_action {
  HA_CONTROL_PLAY = 0, /* name may be NULL: the whole show */
  HA_CONTROL_PAUSE,
  HA_CONTROL_STOP,  /* name may be NULL */
  HA_CONTROL_SEEK,  /* value: seconds */
  HA_CONTROL_SPEED, /* value: rate */
  HA_CONTROL_CUE,   /* value: cue number */
  HA_CONTROL_PANIC,
  HA_CONTROL_GOTO_START
} ha_control_action;

typedef struct ha_control_handlers {
  void *user;
  /* A remote-control request. Write a short human reply into `reply` (may be
   * left empty) and return HA_OK, or an error status (the reply then says
   * why). May be NULL: every request is answered "not supported". */
  ha_status (*action)(void *user, ha_control_action action, const char *name, double value,
                      char *reply, size_t reply_cap);
  /* A position pushed by the device for track n (xyz in metres; /aed is
   * converted with the configured azimuth sign). May be NULL. */
  void (*track_position)(void *user, uint32_t track, ha_vec3 xyz);
} ha_control_handlers;

typedef struct ha_control_config {
  const char *bind_host;    /* default "127.0.0.1" */
  uint16_t port;            /* 0: any free port (see ha_control_port) */
  const char *const *allow; /* extra sender addresses allowed besides loopback */
  size_t allow_count;
  ha_azimuth_sign feedback_sign; /* for /track/n/aed feedback (default clockwise) */
  /* Default NULL. Counts every OSC message decoded from an allowed sender
   * (control and device feedback, each message of a bundle) in
   * HA_COUNTER_RECEIVED; must outlive the control (ha_control_stop). */
  ha_metrics *metrics;
} ha_control_config;

ha_control_config ha_control_config_default(void);

/* Bind and start the input thread. Errors: HA_EINVAL (bad host), HA_EIO
 * (bind failed: err names the address and the system's reason). */
ha_status ha_control_start(const ha_control_config *cfg, const ha_control_handlers *h,
                           ha_control **out, ha_error *err);
/* The bound UDP port. */
uint16_t ha_control_port(const ha_control *c);
/* Stop the thread and close the socket; NULL is a no-op. */
void ha_control_stop(ha_control *c);

typedef struct ha_control_stats {
  uint64_t packets;
  uint64_t commands;  /* control messages handled */
  uint64_t feedback;  /* device positions received */
  uint64_t malformed; /* refused by the OSC decoder */
  uint64_t refused;   /* sender not allowed */
  uint64_t unknown;   /* address not understood */
} ha_control_stats;
void ha_control_get_stats(const ha_control *c, ha_control_stats *out);

#ifdef __cplusplus
}
#endif
#endif
