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
 *   /adm/obj/{n}/xyz f f f  and  /adm/obj/{n}/aed f f f   (ADM-OSC echoes;
 *   only through the config's `echo`: their units depend on the output)
 * Every control message gets a reply to its sender: `/holoanim/ack ,ss
 * <address> <message>` or `/holoanim/error ,ss <address> <reason>`.
 * Any other address goes to the config's `address` (a cue's own OSC trigger),
 * answered the same way.
 * With the config's `clock` set, an external transport clock (docs/sync.md):
 *   /time t  /play b  /stop b  /pause b    (REAPER's default OSC pattern)
 *   /holoanim/time t [playing]
 * goes to `clock`, unanswered (a clock talks tens of times a second), and an
 * unknown address is then counted but not answered (a DAW sends many).
 * Malformed packets and unknown addresses are counted and answered with an
 * error, never fatal. Binds 127.0.0.1 by default; any IPv4 or IPv6 address
 * or host name may be given ("::" listens on every IPv6 and IPv4 interface).
 *
 * Who may talk to it: loopback senders always (unless deny_loopback), and
 * the allow list's addresses and CIDR ranges ("10.0.0.5", "10.0.0.0/24",
 * "fd00::/8", a host name: its address when started). With no allow list
 * every sender is allowed (callers that bind a non-loopback address should
 * warn). An IPv4-mapped IPv6 sender (::ffff:a.b.c.d) is compared as IPv4.
 * A refused packet is counted (stats, HA_COUNTER_CONTROL_REFUSED) and never
 * answered; the config's `refused` hears of each refused address once.
 *
 * Thread: handlers run on the control thread (not the tick): they may
 * allocate, and should queue player commands. */
#ifndef HOLOANIM_CONTROL_H
#define HOLOANIM_CONTROL_H

#include <stdbool.h>
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

/* A device echo as received, with who sent it, so the application can
 * match it to the output whose device it is (ha_player_device_echo_from)
 * and convert it with that output's units. */
typedef struct ha_control_echo {
  uint8_t from[16];   /* sender's address: IPv6, IPv4 mapped (::ffff:a.b.c.d) */
  uint16_t from_port; /* sender's UDP port */
  bool adm;           /* /adm/obj/{n}/... (ADM-OSC), else /track/{n}/... */
  bool aed;           /* .../aed, else .../xyz */
  uint32_t index;     /* {n}: the device's index */
  double v[3];        /* the three values as on the wire (finite) */
} ha_control_echo;

/* Distinct refused senders reported through the config's `refused`. */
#define HA_CONTROL_REFUSED_LOG 64
/* Entries in an allow list. */
#define HA_CONTROL_MAX_ALLOW 32

typedef struct ha_control_config {
  const char *bind_host;         /* default "127.0.0.1"; IPv4, IPv6 ("::1" or "[::1]"), a name */
  uint16_t port;                 /* 0: any free port (see ha_control_port) */
  const char *const *allow;      /* senders allowed: addresses, CIDR ranges, names (see above) */
  size_t allow_count;            /* 0: every sender; at most HA_CONTROL_MAX_ALLOW */
  bool deny_loopback;            /* default false: loopback senders are always allowed */
  ha_azimuth_sign feedback_sign; /* for /track/n/aed feedback (default clockwise) */
  /* Default NULL. Counts every OSC message decoded from an allowed sender
   * (control and device feedback, each message of a bundle) in
   * HA_COUNTER_RECEIVED; must outlive the control (ha_control_stop). */
  ha_metrics *metrics;
  /* Default NULL. Called with the handlers' `user` on the control thread
   * (here, not in ha_control_handlers, so code that lists the three
   * handlers keeps compiling).
   * Any other address from an allowed sender (it may be an OSC pattern:
   * match it with ha_osc_pattern_match against the application's
   * addresses). Return HA_OK with a reply (answered /holoanim/ack),
   * HA_ENOTFOUND when nothing answers to it (counted unknown, answered
   * "unknown address"), or an error status (answered /holoanim/error with
   * the reply). May be NULL: every such address is unknown. */
  ha_status (*address)(void *user, const char *address, char *reply, size_t reply_cap);
  /* A sender was refused, first time for this address ("10.0.0.9" or
   * "fd00::9", no port), so it can be logged once. At most
   * HA_CONTROL_REFUSED_LOG distinct addresses are reported; then it is
   * called once more with `from` NULL (further refused senders are counted,
   * not reported). May be NULL. */
  void (*refused)(void *user, const char *from);
  /* Default NULL. An external clock's message (control thread, handlers'
   * `user`): `time` in seconds (NAN: none in this message), `playing` 1
   * the external transport plays, 0 it stopped or paused, -1 not said.
   * /time t (REAPER's TIME f/time, a float), /play b (1 plays, 0 does
   * not), /stop 1 and /pause 1 (0: nothing said), /holoanim/time t
   * [playing]. A number is an int or a float (or T/F for b); a wrong
   * argument counts as unknown. NULL: these addresses go to `address`. */
  void (*clock)(void *user, double time, int playing);
  /* Default NULL. Every device echo (/track/{n}/xyz|aed and
   * /adm/obj/{n}/xyz|aed, three finite numbers) with its sender, called
   * with the handlers' `user` on the control thread. When set, the
   * handlers' track_position is not called (this one replaces it). */
  void (*echo)(void *user, const ha_control_echo *e);
  /* Default NULL. Live data for the application's mappings (a fader, a
   * sensor): called first for any other address from an allowed sender,
   * before `address`, with the message's arguments as numbers (int,
   * float, double; T 1 and F 0; anything else NAN), at most
   * HA_CONTROL_MAX_VALUES. Return HA_OK when taken (counted in commands,
   * not answered: a fader sends tens of messages a second), HA_ENOTFOUND
   * to pass the message on to `address`, or an error (counted unknown,
   * answered /holoanim/error: e.g. the argument is not a number). */
  ha_status (*values)(void *user, const char *address, const double *args, size_t nargs);
} ha_control_config;

/* Arguments handed to ha_control_config.values. */
#define HA_CONTROL_MAX_VALUES 16

ha_control_config ha_control_config_default(void);

/* Bind and start the input thread. Errors: HA_EINVAL (bad host), HA_EIO
 * (bind failed: err names the address and the system's reason). */
ha_status ha_control_start(const ha_control_config *cfg, const ha_control_handlers *h,
                           ha_control **out, ha_error *err);
/* The bound UDP port. */
uint16_t ha_control_port(const ha_control *c);
/* The bound address and port, "127.0.0.1:4010" or "[::]:4010". */
const char *ha_control_address(const ha_control *c);
/* True when the socket is bound to a loopback address (only this computer
 * can reach it). */
bool ha_control_loopback_only(const ha_control *c);

/* A sender's address as text ("10.0.0.5", "fd00::5") from its 16 bytes
 * (ha_control_echo.from). Returns `buf`. Thread: any. */
const char *ha_control_format_addr(const uint8_t addr[16], char *buf, size_t cap);

/* Inside a handler or callback (the control thread, while it runs): who
 * sent the message being handled, "10.0.0.5:53000" or "[fd00::5]:53000",
 * into buf; "" elsewhere. Returns `buf`. Thread: the control thread. */
const char *ha_control_sender(const ha_control *c, char *buf, size_t cap);

/* Check one allow-list entry's form without resolving names: an IPv4 or
 * IPv6 address, one with "/prefix" (0..32, 0..128), or a host name.
 * Returns HA_OK or HA_EINVAL (err says what is wrong). Thread: any. */
ha_status ha_control_allow_check(const char *entry, ha_error *err);
/* Stop the thread and close the socket; NULL is a no-op. */
void ha_control_stop(ha_control *c);

typedef struct ha_control_stats {
  uint64_t packets;
  uint64_t commands;  /* control messages handled */
  uint64_t feedback;  /* device positions received */
  uint64_t malformed; /* refused by the OSC decoder */
  uint64_t refused;   /* packets from a sender not allowed */
  uint64_t unknown;   /* address not understood */
} ha_control_stats;
void ha_control_get_stats(const ha_control *c, ha_control_stats *out);

#ifdef __cplusplus
}
#endif
#endif
