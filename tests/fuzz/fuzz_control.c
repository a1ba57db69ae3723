/* libFuzzer target for the control input (see README.md in this directory).
 *
 * Each input is one datagram given to the control port's decoder and
 * dispatcher (src/io/control.c, through ha__control_feed: no socket, no
 * thread, replies collected here), whose handler drives a real player built
 * from a show (seed_show.h; no outputs, so no network), ticked by hand
 * (ha_player_tick_once). Properties checked (abort on violation):
 *   - every control message (each message of a bundle, however nested) gets
 *     exactly one reply, "/holoanim/ack" or "/holoanim/error", naming its
 *     address, with a non-empty reason; device feedback (/track/N/xyz|aed,
 *     ADM-OSC /adm/obj/N/xyz|aed) and malformed bundle elements get none, a
 *     malformed datagram one error;
 *   - an ack only answers an address of the command table;
 *   - a feedback position handed to the application is finite;
 *   - after the commands are applied, the transport time is finite and the
 *     speed in [HA_SPEED_MIN, HA_SPEED_MAX]. */
#include "io_internal.h"

#include "holoanim.h"
#include "holoanim/show.h"
#include "holoanim/show_player.h"

#include "fuzz.h"
#include "seed_show.h"

#include <math.h>

typedef struct fixture {
  ha_show *show;
  ha_player *player;
  double now;
  size_t replies, errors;
} fixture;

static const char *const commands[] = {
    "/holoanim/play",  "/holoanim/pause",  "/holoanim/stop",  "/holoanim/seek",
    "/holoanim/speed", "/holoanim/cue/go", "/holoanim/panic", "/anim/play",
    "/anim/pause",     "/anim/stop",       "/anim/gotoStart",
};

static int is_command(const char *address) {
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    if (strcmp(address, commands[i]) == 0) {
      return 1;
    }
  }
  return 0;
}

static ha_status by_name(fixture *f, int play, const char *name, ha_error *err) {
  if (name == NULL) {
    return play ? ha_show_player_play(f->show, f->player, err) : ha_player_stop(f->player, 0.0);
  }
  size_t g = ha_show_group_find(f->show, name);
  if (g == SIZE_MAX) {
    snprintf(err->message, sizeof err->message, "no group '%s'", name);
    return HA_ENOTFOUND;
  }
  return play ? ha_show_player_start_group(f->show, f->player, g, err)
              : ha_show_player_stop_group(f->show, f->player, g, -1.0);
}

/* The handler, as the CLI's play does it (tools/cli_play.c). */
static ha_status on_action(void *user, ha_control_action action, const char *name, double value,
                           char *reply, size_t cap) {
  fixture *f = user;
  ha_error err;
  ha_error_clear(&err);
  REQUIRE(action == HA_CONTROL_PLAY || action == HA_CONTROL_STOP || name == NULL);
  REQUIRE(isfinite(value));
  ha_status st = HA_OK;
  switch (action) {
  case HA_CONTROL_PLAY: st = by_name(f, 1, name, &err); break;
  case HA_CONTROL_STOP: st = by_name(f, 0, name, &err); break;
  case HA_CONTROL_PAUSE: st = ha_player_pause(f->player); break;
  case HA_CONTROL_GOTO_START: st = ha_player_seek(f->player, 0.0); break;
  case HA_CONTROL_SEEK: st = ha_player_seek(f->player, value); break;
  case HA_CONTROL_SPEED: st = ha_player_set_speed(f->player, value); break;
  case HA_CONTROL_PANIC: st = ha_player_panic(f->player); break;
  case HA_CONTROL_CUE: {
    size_t c = ha_show_cue_find(f->show, value);
    st = c == SIZE_MAX ? HA_ENOTFOUND : ha_show_player_fire_cue(f->show, f->player, c, &err);
    break;
  }
  }
  snprintf(reply, cap, "%s", st == HA_OK ? "done" : err.message);
  return st;
}

static void on_position(void *user, uint32_t track, ha_vec3 xyz) {
  fixture *f = user;
  REQUIRE(ha_vec3_isfinite(xyz));
  (void)ha_player_device_echo(f->player, track, xyz);
}

static void on_reply(void *user, const char *what, const char *address, const char *text) {
  fixture *f = user;
  int ack = strcmp(what, "/holoanim/ack") == 0;
  REQUIRE(ack || strcmp(what, "/holoanim/error") == 0);
  REQUIRE(address != NULL && text != NULL && text[0] != '\0');
  REQUIRE(!ack || is_command(address));
  f->replies++;
  f->errors += !ack;
}

/* How many replies the datagram must get (the protocol, control.h). */
static size_t expected_replies(const uint8_t *data, size_t len, int depth) {
  ha_osc_arg args[16];
  ha_osc_packet pkt;
  if (ha_osc_decode(data, len, &pkt, args, 16, NULL) != HA_OK) {
    return depth == 0;
  }
  if (pkt.kind == HA_OSC_PACKET_MESSAGE) {
    uint32_t n;
    const char *rest;
    /* device echoes, /track/{n}/... or ADM-OSC's /adm/obj/{n}/...: no reply */
    int feedback = (ha_osc_parse_indexed(pkt.message.address, "/track/", &n, &rest) ||
                    ha_osc_parse_indexed(pkt.message.address, "/adm/obj/", &n, &rest)) &&
                   (strcmp(rest, "/xyz") == 0 || strcmp(rest, "/aed") == 0);
    return feedback ? 0 : 1;
  }
  size_t count = 0;
  const uint8_t *elem;
  size_t elen;
  while (ha_osc_bundle_next(&pkt.bundle, &elem, &elen)) {
    count += expected_replies(elem, elen, depth + 1);
  }
  return count;
}

static fixture *fixture_get(void) {
  static fixture f;
  if (f.player != NULL) {
    return &f;
  }
  ha_diags *d = NULL;
  REQUIRE(ha_diags_create(&d) == HA_OK);
  REQUIRE(ha_show_load_string(ha_fuzz_seed_show, strlen(ha_fuzz_seed_show), "seed", &f.show, d) ==
          HA_OK);
  ha_diags_destroy(d);
  ha_player_config cfg = ha_show_player_config(f.show, NULL);
  ha_error err;
  REQUIRE(ha_player_create(&cfg, &f.player, &err) == HA_OK);
  REQUIRE(ha_show_player_setup(f.show, f.player, &err) == HA_OK);
  f.now = 100.0;
  REQUIRE(ha_player_tick_once(f.player, f.now) == HA_OK);
  return &f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const uint8_t empty[4] = {0};
  fixture *f = fixture_get();
  ha_control_handlers h = {f, on_action, on_position};
  ha_control *c = NULL;
  REQUIRE(ha__control_create_local(&h, HA_AZIMUTH_CLOCKWISE, on_reply, f, &c) == HA_OK);
  f->replies = f->errors = 0;
  const uint8_t *bytes = size > 0 ? data : empty;
  ha__control_feed(c, bytes, size);
  size_t want = expected_replies(bytes, size, 0);
  if (f->replies != want) {
    fprintf(stderr, "%zu replies, %zu expected\n", f->replies, want);
  }
  REQUIRE(f->replies == want);
  ha_control_stats stats;
  ha_control_get_stats(c, &stats);
  REQUIRE(stats.packets == 1);
  ha__control_destroy_local(c);
  /* Apply what was queued, then look at the transport. */
  f->now += 0.02;
  REQUIRE(ha_player_tick_once(f->player, f->now) == HA_OK);
  ha_player_status s;
  ha_player_get_status(f->player, &s);
  REQUIRE(isfinite(s.time));
  REQUIRE(isfinite(s.speed) && s.speed >= HA_SPEED_MIN && s.speed <= HA_SPEED_MAX);
  return 0;
}
