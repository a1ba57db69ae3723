/* holoanim play: run a show (or one model) on the real-time player.
 *
 * The control side lives here: load, set up outputs (or start the built-in
 * simulated device when there is none), remote control and device feedback
 * input, a live status line, metrics files/endpoint, hot reload (--watch),
 * SIGHUP reloads the show (as --watch does on a change), and a clean stop on
 * Ctrl-C or SIGTERM (outputs flushed, last metrics written), so it runs as a
 * service (holoanim@.service). Off a terminal (journald, a file) the status
 * line becomes a plain log line a minute.
 *
 * cmd_play reads as its steps: play_parse (the option table into
 * play_opts), play_load (show or --model motion), play_setup (player and
 * tracks, --to outputs, else the built-in simulated device, remote control,
 * metrics endpoint, start), play_run (the 20 ms loop: events, --watch, the
 * metrics file, the status line), play_finish (flush, summary) and
 * play_teardown. play_opts is what the command line said, play_ctx what
 * runs; the remote-control handlers get play_ctx on the control thread. */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_show.h"
#include "holoanim/devsim.h"

#define PLAY_MAX_TO 16
#define PLAY_MAX_TRACKS 1024
#define PLAY_MAX_FEEDBACK 8

/* Everything the command line says. */
typedef struct play_opts {
  cli_motion motion;
  const char *show_path, *metrics_path, *dialect, *coords, *sync;
  cli_hostport to[PLAY_MAX_TO];
  size_t nto;
  double run_for, tick_rate, out_rate, sync_tolerance;
  long control_port, metrics_port; /* valid when *_given */
  char control_host[256];          /* --control HOST:PORT's host; "" when not given */
  int for_given, watch, realtime, quiet, simulate;
  int mode_given, phase_given, control_given, metrics_port_given, sync_tolerance_given;
  uint32_t tracks[PLAY_MAX_TRACKS]; /* --model mode */
  size_t ntracks;
  ha_anim_spec spec;
} play_opts;

/* What runs: the player, its content and the servers around it. */
typedef struct play_ctx {
  const play_opts *opts;
  ha_player *player;
  /* NULL in --model mode. --watch replaces it on the main thread while the
   * control thread reads it: both hold show_lock (the tick thread never
   * sees the show, only the motions and commands made from it). */
  ha_show *show;
  pthread_mutex_t show_lock;
  uint32_t model_tag;
  ha_motion *model_template; /* --model mode: re-created on play */
  ha_devsim *sim;            /* the built-in device, when there is no output */
  ha_control *control;
  ha_control *feedback[PLAY_MAX_FEEDBACK]; /* outputs' own echo ports */
  size_t nfeedback;
  bool echo_from_any; /* the show's control.echoFromAny */
  int foreign_logged; /* an ignored echo was reported (atomic builtins) */
  ha_metrics_server *metrics_server;
  int tty;     /* stderr is a terminal: the \r status line; else plain lines */
  int syncing; /* the transport follows an external clock (--sync osc, control.sync) */
} play_ctx;

/* Start what "play" means: the show's autoStart groups, or the one model. */
static ha_status play_start_content(play_ctx *c, ha_error *err) {
  if (c->show != NULL) {
    return ha_show_player_play(c->show, c->player, err);
  }
  /* A fresh copy of the --model motion: the player owns what it is given. */
  ha_timing tm = ha_motion_timing(c->model_template);
  ha_motion *m = NULL;
  ha_status st = ha_motion_create(ha_motion_model(c->model_template)->name,
                                  ha_motion_params(c->model_template), &tm, &m, err);
  if (st == HA_OK) {
    st = ha_player_start_animation(c->player, c->model_tag, m, &c->opts->spec, c->opts->tracks,
                                   c->opts->ntracks);
  }
  if (st == HA_OK) {
    st = ha_player_play(c->player);
  }
  return st;
}

/* The group called `name`: HA_OK with *g, or HA_ENOTFOUND and the one
 * message every command gives for an unknown group. Under show_lock. */
static ha_status play_find_group(const play_ctx *c, const char *name, size_t *g, ha_error *err) {
  *g = c->show != NULL ? ha_show_group_find(c->show, name) : SIZE_MAX;
  if (*g == SIZE_MAX) {
    snprintf(err->message, sizeof err->message,
             c->show != NULL ? "no group %s in the show" : "no group %s: no show loaded", name);
    return HA_ENOTFOUND;
  }
  return HA_OK;
}

/* /holoanim/play [group]: resume, start the content, or start one group. */
static ha_status play_control_play(play_ctx *c, const char *name, ha_error *err) {
  if (name != NULL) {
    size_t g = 0;
    ha_status st = play_find_group(c, name, &g, err);
    if (st == HA_OK) {
      st = ha_show_player_start_group(c->show, c->player, g, err);
    }
    return st == HA_OK ? ha_player_play(c->player) : st;
  }
  ha_player_status ps;
  ha_player_get_status(c->player, &ps);
  return ps.time > 0.0 || ps.playing ? ha_player_play(c->player) : play_start_content(c, err);
}

/* /holoanim/stop [group]: stop a group of the show (with its own fade), or
 * everything. */
static ha_status play_control_stop(play_ctx *c, const char *name, ha_error *err) {
  if (name == NULL) {
    return ha_player_stop(c->player, 0.0);
  }
  size_t g = 0;
  ha_status st = play_find_group(c, name, &g, err);
  return st == HA_OK ? ha_show_player_stop_group(c->show, c->player, g, -1.0) : st;
}

/* /holoanim/cue N: fire a cue of the show. */
static ha_status play_control_cue(play_ctx *c, double number, ha_error *err) {
  char num[32];
  cli_format_number(num, sizeof num, number);
  size_t idx = c->show != NULL ? ha_show_cue_find(c->show, number) : SIZE_MAX;
  if (idx == SIZE_MAX) {
    snprintf(err->message, sizeof err->message,
             c->show != NULL ? "no cue %s in the show" : "no cue %s: no show loaded", num);
    return HA_ENOTFOUND;
  }
  ha_status st = ha_show_player_fire_cue(c->show, c->player, idx, err);
  return st == HA_OK ? ha_player_play(c->player) : st;
}

/* /holoanim/seek T and /holoanim/speed X: the range the player refuses
 * outside of, written from the same constants it checks. */
static ha_status play_control_seek(play_ctx *c, double t, ha_error *err) {
  ha_status st = ha_player_seek(c->player, t);
  if (st == HA_EINVAL) {
    char v[32], lo[32], hi[32];
    cli_format_number(v, sizeof v, t);
    cli_format_number(lo, sizeof lo, -HA_SEEK_MAX);
    cli_format_number(hi, sizeof hi, HA_SEEK_MAX);
    snprintf(err->message, sizeof err->message, "seek: %s is not a time in [%s, %s] s", v, lo, hi);
  }
  return st;
}

static ha_status play_control_speed(play_ctx *c, double x, ha_error *err) {
  ha_status st = ha_player_set_speed(c->player, x);
  if (st == HA_EINVAL) {
    char v[32], lo[32], hi[32];
    cli_format_number(v, sizeof v, x);
    cli_format_number(lo, sizeof lo, HA_SPEED_MIN);
    cli_format_number(hi, sizeof hi, HA_SPEED_MAX);
    snprintf(err->message, sizeof err->message, "speed: %s is not in [%s, %s]", v, lo, hi);
  }
  return st;
}

/* Remote control handler (control thread). The reply says what was done
 * only once it is done; every failure gets its reason in one place below:
 * the error's message, else "<action>: <status>". show_lock is held over
 * every use of c->show, which --watch may replace on the main thread. */
static ha_status play_on_control(void *user, ha_control_action action, const char *name,
                                 double value, char *reply, size_t cap) {
  play_ctx *c = user;
  ha_error err;
  ha_error_clear(&err);
  ha_status st = HA_OK;
  const char *what = "";
  char num[32];
  cli_format_number(num, sizeof num, value);
  if (c->syncing &&
      (action == HA_CONTROL_PAUSE || action == HA_CONTROL_SEEK || action == HA_CONTROL_SPEED ||
       action == HA_CONTROL_GOTO_START || (action == HA_CONTROL_PLAY && name == NULL))) {
    snprintf(reply, cap, "following an external clock (sync osc): the transport is the clock's");
    return HA_ESTATE;
  }
  pthread_mutex_lock(&c->show_lock);
  switch (action) {
  case HA_CONTROL_PLAY:
    what = "play";
    st = play_control_play(c, name, &err);
    if (st == HA_OK && name != NULL) {
      snprintf(reply, cap, "playing group %s", name);
    } else if (st == HA_OK) {
      snprintf(reply, cap, "playing");
    }
    break;
  case HA_CONTROL_PAUSE:
    what = "pause";
    st = ha_player_pause(c->player);
    if (st == HA_OK) {
      snprintf(reply, cap, "paused");
    }
    break;
  case HA_CONTROL_STOP:
    what = "stop";
    st = play_control_stop(c, name, &err);
    if (st == HA_OK && name != NULL) {
      snprintf(reply, cap, "stopped group %s", name);
    } else if (st == HA_OK) {
      snprintf(reply, cap, "stopped");
    }
    break;
  case HA_CONTROL_GOTO_START:
    what = "goto start";
    st = ha_player_seek(c->player, 0.0);
    if (st == HA_OK) {
      snprintf(reply, cap, "at start");
    }
    break;
  case HA_CONTROL_SEEK:
    what = "seek";
    st = play_control_seek(c, value, &err);
    if (st == HA_OK) {
      snprintf(reply, cap, "seek %s", num);
    }
    break;
  case HA_CONTROL_SPEED:
    what = "speed";
    st = play_control_speed(c, value, &err);
    if (st == HA_OK) {
      snprintf(reply, cap, "speed %s", num);
    }
    break;
  case HA_CONTROL_CUE:
    what = "cue";
    st = play_control_cue(c, value, &err);
    if (st == HA_OK) {
      snprintf(reply, cap, "cue %s", num);
    }
    break;
  case HA_CONTROL_PANIC:
    what = "panic";
    st = ha_player_panic(c->player);
    if (st == HA_OK) {
      snprintf(reply, cap, "panic: everything stopped");
    }
    break;
  }
  pthread_mutex_unlock(&c->show_lock);
  if (st != HA_OK && err.message[0] != '\0') {
    snprintf(reply, cap, "%s", err.message);
  } else if (st != HA_OK) {
    snprintf(reply, cap, "%s: %s", what, ha_strerror(st));
  }
  return st;
}

/* A cue's own OSC address (control thread): every cue whose `osc` the
 * address (an OSC pattern) matches fires, in cue order; HA_ENOTFOUND when
 * none does, so it is answered "unknown address". */
static ha_status play_on_address(void *user, const char *address, char *reply, size_t cap) {
  play_ctx *c = user;
  ha_error err;
  ha_error_clear(&err);
  ha_status st = HA_ENOTFOUND;
  size_t fired = 0, used = 0;
  pthread_mutex_lock(&c->show_lock);
  size_t ncues = 0;
  const ha_show_cue *cues = c->show != NULL ? ha_show_cues(c->show, &ncues) : NULL;
  size_t i = c->show != NULL ? ha_show_cue_match_osc(c->show, address, 0) : SIZE_MAX;
  for (; i != SIZE_MAX; i = ha_show_cue_match_osc(c->show, address, i + 1)) {
    st = ha_show_player_fire_cue(c->show, c->player, i, &err);
    if (st != HA_OK) {
      break;
    }
    char num[32];
    cli_format_number(num, sizeof num, cues[i].number);
    int n = snprintf(reply + used, cap - used, "%s %s", fired == 0 ? "cue" : ",", num);
    used = n > 0 && (size_t)n < cap - used ? used + (size_t)n : used;
    fired++;
  }
  pthread_mutex_unlock(&c->show_lock);
  if (st == HA_OK) {
    st = ha_player_play(c->player);
  }
  if (st != HA_OK && st != HA_ENOTFOUND) {
    snprintf(reply, cap, "%s", err.message[0] ? err.message : ha_strerror(st));
  }
  return st;
}

/* Live data for the show's mappings (control thread): to their slots. */
static ha_status play_on_values(void *user, const char *address, const double *args, size_t nargs) {
  play_ctx *c = user;
  pthread_mutex_lock(&c->show_lock);
  ha_status st = ha_show_player_map_osc(c->show, c->player, address, args, nargs, NULL);
  pthread_mutex_unlock(&c->show_lock);
  return st;
}

/* "ring.radius" (or "ring.center.x") of mapping i, into buf. */
static const char *play_mapping_label(const ha_show *show, size_t i, char *buf, size_t cap) {
  size_t nm = 0, ng = 0;
  const ha_show_mapping *m = ha_show_mappings(show, &nm);
  const ha_show_group *g = ha_show_groups(show, &ng);
  static const char *const axis[] = {"", ".x", ".y", ".z"};
  snprintf(buf, cap, "%s.%s%s", m[i].group < ng ? g[m[i].group].name : "?", m[i].param,
           axis[m[i].component + 1]);
  return buf;
}

/* A refused sender (control thread), once per address. */
static void play_on_refused(void *user, const char *from) {
  (void)user;
  if (from != NULL) {
    fprintf(stderr, "\nholoanim: refused remote control from %s (not in control.allow)\n", from);
  } else {
    fprintf(stderr, "\nholoanim: more refused senders: counted (control_refused), not listed\n");
  }
}

/* An external clock's message (control thread): to the player's
 * latest-wins slot; the tick chases it. */
static void play_on_clock(void *user, double time, int playing) {
  play_ctx *c = user;
  (void)ha_player_sync_clock(c->player, time, playing);
}

/* A device echo (a control thread): the output whose device sent it takes
 * it; from anyone else it is counted and ignored (once in the log), unless
 * the show says echoFromAny (then by track number, as on the wire). */
static void play_on_echo(void *user, const ha_control_echo *e) {
  play_ctx *c = user;
  if (ha_player_device_echo_from(c->player, e, NULL) != HA_ENOTFOUND) {
    return;
  }
  if (c->echo_from_any && !e->adm) {
    ha_vec3 p = ha_vec3_make(e->v[0], e->v[1], e->v[2]);
    ha_player_device_echo(c->player, e->index, e->aed ? ha_aed_to_xyz(p, HA_AZIMUTH_CLOCKWISE) : p);
    return;
  }
  if (__atomic_exchange_n(&c->foreign_logged, 1, __ATOMIC_RELAXED) == 0) {
    char from[64];
    fprintf(stderr,
            "\nholoanim: ignored a device echo (track %u) from %s: no output sends there "
            "(counted in echoes_foreign; control.echoFromAny takes them)\n",
            (unsigned)e->index, ha_control_format_addr(e->from, from, sizeof from));
  }
}

/* A change stamp of a file: modification time in ns mixed with the size
 * (0 when it cannot be read). */
static long long play_file_stamp(const char *path) {
  struct stat sb;
  if (stat(path, &sb) != 0) {
    return 0;
  }
  return ((long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec) ^
         ((long long)sb.st_size << 1);
}

static int play_write_metrics_file(ha_player *p, const char *path) {
  ha_metrics_snap snap;
  if (ha_metrics_snapshot(ha_player_metrics(p), &snap) != HA_OK) {
    return -1;
  }
  char *buf = malloc(1 << 20);
  if (buf == NULL) {
    return -1;
  }
  int n = ha_metrics_to_json(&snap, buf, 1 << 20);
  int rc = -1;
  if (n > 0) {
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (f != NULL) {
      int ok = fwrite(buf, 1, (size_t)n, f) == (size_t)n && fputc('\n', f) != EOF;
      ok = fclose(f) == 0 && ok;
      rc = ok && rename(tmp, path) == 0 ? 0 : -1;
    }
  }
  free(buf);
  return rc;
}

/* `nl` ends the status line first ("\n" on a terminal, "" in a log). */
static void play_print_event(const ha_player_event *ev, const char *nl) {
  switch (ev->type) {
  case HA_EVENT_CONFLICT:
    fprintf(stderr,
            "%sholoanim: conflict on track %u at t=%.2f: the device reports (%.2f, %.2f, %.2f), "
            "we sent (%.2f, %.2f, %.2f): another controller is moving it\n",
            nl, ev->track, ev->time, ev->position.x, ev->position.y, ev->position.z, ev->expected.x,
            ev->expected.y, ev->expected.z);
    break;
  case HA_EVENT_COMMAND_FAILED:
    fprintf(stderr, "%sholoanim: a command failed (tag %u, track %u): %s\n", nl, ev->tag, ev->track,
            ha_strerror(ev->status));
    break;
  case HA_EVENT_BASE_CHANGED:
    fprintf(stderr, "%sholoanim: track %u moved on the device to (%.2f, %.2f, %.2f)\n", nl,
            ev->track, ev->position.x, ev->position.y, ev->position.z);
    break;
  case HA_EVENT_STALL:
    fprintf(stderr, "%sholoanim: the tick stalled %.1f ms (%llu ticks skipped)", nl,
            ev->lateness * 1e3, (unsigned long long)ev->skipped);
    if (ev->model != NULL) {
      fprintf(stderr, ": track %u (%s, tag %u) took %.1f ms to evaluate\n", ev->track, ev->model,
              ev->tag, ev->cost * 1e3);
    } else {
      fprintf(stderr, ": not in the evaluation (host preemption or outputs)\n");
    }
    break;
  case HA_EVENT_ANIMATION_ENDED:
  case HA_EVENT_SHOW_ENDED: break;
  }
}

/* ---- the command line ---- */

static const cli_command play_command = {
    "play",
    "play [SHOW.json] [options]\n"
    "play --model NAME [--param K=V]... [--duration S] [--loop MODE] [--speed X]\n"
    "     [--track N[,N...]] [--mode MODE] [--phase-offset S] [options]",
    "Stream positions in real time: a show (its outputs, groups, cues, remote\n"
    "control, and mappings: live data such as a desk's fader driving a parameter) or\n"
    "one model on chosen tracks. With no --to and no output in the show, a simulated\n"
    "device is started. Ctrl-C or SIGTERM stops cleanly (the outputs are\n"
    "flushed, the metrics file written); SIGHUP reloads the show file. Off a terminal\n"
    "the status line is a plain log line a minute.",
    "SHOW.json",
    1,
    NULL};

/* CLI_OPT_CALL handler of --to HOST[:PORT]. */
static int play_add_destination(void *ctx, const char *value) {
  play_opts *o = ctx;
  if (o->nto == PLAY_MAX_TO) {
    return cli_usage_error("play: at most %d --to", PLAY_MAX_TO);
  }
  /* No port: 0, the dialect's default (4003, or 4001 for --dialect adm-osc). */
  if (cli_hostport_parse(value, 0, &o->to[o->nto]) != 0) {
    return cli_usage_error(
        "--to: '%s' is not HOST[:PORT] (a port in 1..65535; [::1]:PORT for IPv6)", value);
  }
  o->nto++;
  return CLI_OK;
}

/* CLI_OPT_CALL handler of --control [HOST:]PORT: "4010", "0.0.0.0:4010",
 * "[::]:4010", "name:4010"; the port 0..65535 (0: any free port). */
static int play_set_control(void *ctx, const char *value) {
  play_opts *o = ctx;
  const char *port = value, *colon = strrchr(value, ':');
  size_t hlen = 0;
  const char *host = value;
  if (value[0] == '[') {
    const char *close = strchr(value, ']');
    host = value + 1;
    hlen = close != NULL ? (size_t)(close - host) : 0;
    port = close != NULL && close[1] == ':' ? close + 2 : NULL;
  } else if (colon != NULL && strchr(value, ':') == colon) {
    hlen = (size_t)(colon - value);
    port = colon + 1;
  } else if (colon != NULL) {
    port = NULL; /* a bare IPv6 address: where would the port be? */
  }
  long p = -1;
  if (port == NULL || port[0] == '\0' || strspn(port, "0123456789") != strlen(port) ||
      cli_parse_whole(port, strlen(port), 0, 65535, &p) != 0 || (host != value && hlen == 0) ||
      (port != value && hlen == 0) || hlen >= sizeof o->control_host) {
    return cli_usage_error(
        "--control: '%s' is not [HOST:]PORT (PORT a whole number 0..65535, 0: "
        "any free port; [::1]:PORT for IPv6)",
        value);
  }
  memcpy(o->control_host, host, hlen);
  o->control_host[hlen] = '\0';
  o->control_port = p;
  o->control_given = 1;
  return CLI_OK;
}

/* CLI_OPT_CALL handler of --track N[,N...] (appends). */
static int play_add_tracks(void *ctx, const char *value) {
  play_opts *o = ctx;
  const char *s = value;
  size_t len = strlen(value);
  if (len > 0 && value[len - 1] == ',') {
    return cli_usage_error("--track: '%s' ends with a comma", value);
  }
  for (;;) {
    const char *comma = strchr(s, ',');
    len = comma != NULL ? (size_t)(comma - s) : strlen(s);
    long n = 0;
    if (cli_parse_whole(s, len, 1, 65535, &n) != 0) {
      return cli_usage_error("--track: '%s' is not a list of track numbers 1..65535", value);
    }
    if (o->ntracks == PLAY_MAX_TRACKS) {
      return cli_usage_error("--track: at most %d tracks", PLAY_MAX_TRACKS);
    }
    o->tracks[o->ntracks++] = (uint32_t)n;
    if (comma == NULL) {
      return CLI_OK;
    }
    s = comma + 1;
  }
}

/* CLI_OPT_CALL handler of --mode MODE (how a group shares the motion). */
static int play_set_mode(void *ctx, const char *value) {
  play_opts *o = ctx;
  ha_error err;
  ha_status st = ha_group_mode_parse(value, &o->spec.mode, &err);
  o->mode_given = 1;
  return st == HA_OK ? CLI_OK : cli_report(&err, st);
}

/* Rows in play's table; play_options fails the build if it has more. */
#define PLAY_NOPTS 25

/* play's table into `rows`. */
static void play_options(play_opts *o, cli_opt rows[PLAY_NOPTS]) {
  const cli_opt opts[] = {
      CLI_MOTION_OPTIONS(&o->motion, "motion length; with a SHOW.json: stop after S s (as --for)"),
      {CLI_CALL("track", "N[,N...]", "tracks the --model moves (also --tracks)", "1",
                play_add_tracks, o)},
      {CLI_CALL("tracks", "N[,N...]", NULL, NULL, play_add_tracks, o)},
      {CLI_CALL("mode", "MODE", "shared | relative | isobarycentric | centered | spread | mirror",
                "shared", play_set_mode, o)},
      {CLI_NUMBER("phase-offset", "S", "time offset between successive tracks", "0",
                  &o->spec.phase_offset),
       .seen = &o->phase_given},
      {CLI_CALL("to", "HOST[:PORT]",
                "send to a device (repeatable; default port 4003, adm-osc 4001)", NULL,
                play_add_destination, o)},
      {CLI_STRING("dialect", "D", "holophonix | adm-osc (for --to outputs)", NULL, &o->dialect)},
      {CLI_STRING("coords", "C", "xyz | aed (for --to outputs)", NULL, &o->coords)},
      {CLI_NUMBER("rate", "HZ", "output rate (for --to outputs), 1..1000", "50", &o->out_rate),
       .min = HA_OUTPUT_RATE_MIN, .max = HA_OUTPUT_RATE_MAX, .range = CLI_RANGE_CLOSED},
      {CLI_NUMBER("for", "S", "stop after S seconds, in (0, 31536000]", NULL, &o->run_for),
       .seen = &o->for_given},
      {CLI_NUMBER("tick-rate", "HZ", "player tick rate, 1..2000", "100", &o->tick_rate), .min = 1,
       .max = 2000, .range = CLI_RANGE_CLOSED},
      {CLI_CALL("control", "[HOST:]PORT",
                "remote-control/feedback OSC input (host default 127.0.0.1; 0.0.0.0 or [::] for "
                "every interface; port 0: any free port)",
                NULL, play_set_control, o)},
      {CLI_STRING("sync", "SOURCE",
                  "osc: the transport follows an external clock on the control port (a DAW: "
                  "REAPER's /time, /play, /stop; /holoanim/time; docs/sync.md) | none",
                  NULL, &o->sync)},
      {CLI_NUMBER("sync-tolerance", "S",
                  "with --sync: a clock error larger than S seconds seeks, a smaller one slews "
                  "the speed, 0.001..10",
                  "0.1", &o->sync_tolerance),
       .min = 0.001, .max = 10, .range = CLI_RANGE_CLOSED, .seen = &o->sync_tolerance_given},
      {CLI_STRING("metrics", "FILE", "write metrics JSON to FILE every second", NULL,
                  &o->metrics_path)},
      {CLI_INT("metrics-port", "PORT",
               "Prometheus text on http://127.0.0.1:PORT/metrics (0: any free port)", NULL,
               &o->metrics_port, 0, 65535),
       .seen = &o->metrics_port_given},
      {CLI_FLAG("watch", "reload the show when the file changes", &o->watch)},
      {CLI_FLAG("realtime", "SCHED_FIFO + mlockall when permitted", &o->realtime)},
      {CLI_FLAG("quiet", "no status line", &o->quiet)},
      {CLI_FLAG("sim", "ignore the show's outputs: play to the built-in simulated device",
                &o->simulate)},
  };
  _Static_assert(sizeof opts / sizeof opts[0] == PLAY_NOPTS, "PLAY_NOPTS is play's row count");
  memcpy(rows, opts, sizeof opts);
}

/* What the table cannot say: a show or a model, and what --duration means. */
static int play_check(play_opts *o, const cli_opt *rows, size_t n) {
  if (o->show_path == NULL && o->motion.model == NULL) {
    cli_print_help(stderr, &play_command, rows, n);
    return cli_usage_error("play: give a SHOW.json or --model NAME");
  }
  if (o->show_path != NULL && o->motion.model != NULL) {
    return cli_usage_error("play: give a SHOW.json or --model NAME, not both");
  }
  if (o->show_path != NULL) { /* what only the --model form uses */
    const char *unused = o->motion.params_given  ? "--param"
                         : o->ntracks > 0        ? "--track"
                         : o->mode_given         ? "--mode"
                         : o->motion.loop_given  ? "--loop"
                         : o->motion.seam_given  ? "--seam"
                         : o->motion.speed_given ? "--speed"
                         : o->phase_given        ? "--phase-offset"
                                                 : NULL;
    if (unused != NULL) {
      return cli_usage_error("play: %s is for --model; a SHOW.json says it in the show", unused);
    }
  }
  const char *limit = o->for_given ? "--for" : NULL;
  if (o->show_path != NULL && o->motion.duration_given && !o->for_given) {
    o->run_for = o->motion.timing.duration; /* show mode: --duration is --for */
    limit = "--duration";
  }
  if (limit != NULL && !(o->run_for > 0.0 && o->run_for <= 31536000.0)) {
    char v[32];
    cli_format_number(v, sizeof v, o->run_for);
    return cli_usage_error("%s: %s is not in (0, 31536000] seconds", limit, v);
  }
  if (o->sync != NULL && strcmp(o->sync, "osc") != 0 && strcmp(o->sync, "none") != 0) {
    return cli_usage_error("--sync: '%s' is not osc or none", o->sync);
  }
  if (o->metrics_path != NULL && cli_check_output_path("--metrics", o->metrics_path) != CLI_OK) {
    return CLI_USAGE;
  }
  if (o->motion.model != NULL && o->ntracks == 0) {
    o->tracks[o->ntracks++] = 1;
  }
  return CLI_CONTINUE;
}

/* Fill *o from argv; o->motion is live only when this returns CLI_CONTINUE. */
static int play_parse(int argc, char **argv, play_opts *o) {
  memset(o, 0, sizeof *o);
  cli_motion_init(&o->motion);
  o->tick_rate = 100;
  o->out_rate = 50;
  o->spec = ha_anim_spec_default();
  cli_opt rows[PLAY_NOPTS];
  size_t n = PLAY_NOPTS;
  play_options(o, rows);
  size_t nshow = 0;
  int rc = cli_parse(&play_command, rows, n, argc, argv, &o->show_path, &nshow);
  rc = rc == CLI_CONTINUE ? play_check(o, rows, n) : rc;
  if (rc != CLI_CONTINUE) {
    cli_motion_deinit(&o->motion);
  }
  return rc;
}

/* ---- setting up ---- */

/* The show from its file, or the --model motion. */
static int play_load(const play_opts *o, play_ctx *c) {
  if (o->show_path != NULL) {
    return cli_show_load(o->show_path, &c->show);
  }
  return cli_motion_create(&o->motion, &c->model_template);
}

/* The player and its tracks: the show's (with its outputs, or none with
 * --sim) or the --model's. */
static ha_status play_create_player(const play_opts *o, play_ctx *c, ha_error *err) {
  ha_player_config pc = ha_player_config_default();
  pc.tick_rate = o->tick_rate;
  pc.realtime = o->realtime != 0;
  pc.lock_memory = o->realtime != 0;
  if (c->show != NULL) {
    pc = ha_show_player_config(c->show, &pc);
  }
  if (o->sync != NULL) {
    pc.sync.enabled = strcmp(o->sync, "osc") == 0;
  }
  if (o->sync_tolerance_given) {
    pc.sync.tolerance = o->sync_tolerance;
    pc.sync.deadband = o->sync_tolerance / 10.0;
  }
  c->syncing = pc.sync.enabled;
  ha_status st = ha_player_create(&pc, &c->player, err);
  if (st == HA_OK && c->show != NULL && o->simulate) {
    /* --sim: the show's tracks, but the built-in device instead of its outputs. */
    size_t nt = 0;
    const ha_show_track *tr = ha_show_tracks(c->show, &nt);
    for (size_t i = 0; i < nt && st == HA_OK; i++) {
      st = ha_player_add_track(c->player, tr[i].id, tr[i].position, err);
    }
    if (st == HA_OK) {
      st = ha_show_player_add_mappings(c->show, c->player, err);
    }
  } else if (st == HA_OK && c->show != NULL) {
    st = ha_show_player_setup(c->show, c->player, err);
  } else if (st == HA_OK) {
    for (size_t i = 0; i < o->ntracks && st == HA_OK; i++) {
      st = ha_player_add_track(c->player, o->tracks[i], ha_vec3_zero(), err);
    }
  }
  return st;
}

/* One output per --to, with --dialect, --coords and --rate. */
static ha_status play_add_destinations(const play_opts *o, play_ctx *c, ha_error *err) {
  ha_status st = HA_OK;
  for (size_t i = 0; i < o->nto && st == HA_OK; i++) {
    ha_output_config oc = ha_output_config_default();
    oc.host = o->to[i].host;
    oc.port = o->to[i].port;
    if (o->dialect != NULL) {
      st = ha_output_dialect_parse(o->dialect, &oc.dialect, err);
    }
    if (st == HA_OK && o->coords != NULL) {
      st = ha_output_coords_parse(o->coords, &oc.coords, err);
    }
    if (oc.dialect == HA_DIALECT_ADM_OSC) {
      oc.azimuth_sign = HA_AZIMUTH_COUNTERCLOCKWISE;
    }
    oc.rate_hz = o->out_rate;
    if (st == HA_OK) {
      st = ha_player_add_output(c->player, &oc, NULL, err);
    }
  }
  return st;
}

/* No destination at all: the built-in simulated device on a free port. */
static ha_status play_start_simulator(play_ctx *c, ha_error *err) {
  ha_devsim_config dc = ha_devsim_config_default();
  dc.port = 0;
  dc.tracks = PLAY_MAX_TRACKS;
  ha_status st = ha_devsim_start(&dc, &c->sim, err);
  if (st == HA_OK) {
    ha_output_config oc = ha_output_config_default();
    oc.host = "127.0.0.1";
    oc.port = ha_devsim_port(c->sim);
    st = ha_player_add_output(c->player, &oc, NULL, err);
    if (!c->opts->quiet) {
      fprintf(stderr, "holoanim: no output given: simulated device on 127.0.0.1:%u\n",
              (unsigned)oc.port);
    }
  }
  return st;
}

/* Outputs whose device sends its echoes to a port of their own (the show's
 * outputs[].feedback): one input each, echoes only (no allow list: the
 * sender's address must be an output's device). */
static ha_status play_start_feedback(play_ctx *c, ha_error *err) {
  size_t n = 0;
  const ha_show_output *outs = c->show != NULL ? ha_show_outputs(c->show, &n) : NULL;
  const ha_show_control *sc = c->show != NULL ? ha_show_control_get(c->show) : NULL;
  c->echo_from_any = sc != NULL && sc->echo_from_any;
  for (size_t i = 0; i < n && !c->opts->simulate; i++) {
    if (!outs[i].enabled || outs[i].feedback_port == 0) {
      continue;
    }
    if (c->nfeedback == PLAY_MAX_FEEDBACK) {
      err->status = HA_EEXHAUSTED;
      snprintf(err->message, sizeof err->message, "outputs[].feedback: at most %d ports",
               PLAY_MAX_FEEDBACK);
      return HA_EEXHAUSTED;
    }
    ha_control_config cc = ha_control_config_default();
    cc.port = outs[i].feedback_port;
    cc.bind_host = outs[i].feedback_bind != NULL    ? outs[i].feedback_bind
                   : sc != NULL && sc->bind != NULL ? sc->bind
                                                    : "127.0.0.1";
    cc.metrics = ha_player_metrics(c->player);
    cc.echo = play_on_echo;
    ha_control_handlers h = {c, NULL, NULL};
    ha_status st = ha_control_start(&cc, &h, &c->feedback[c->nfeedback], err);
    if (st != HA_OK) {
      return st;
    }
    if (!c->opts->quiet) {
      fprintf(stderr, "holoanim: device feedback of output %s on %s\n", outs[i].name,
              ha_control_address(c->feedback[c->nfeedback]));
    }
    c->nfeedback++;
  }
  return HA_OK;
}

static void play_stop_feedback(play_ctx *c) {
  for (size_t i = 0; i < c->nfeedback; i++) {
    ha_control_stop(c->feedback[i]);
  }
  c->nfeedback = 0;
}

/* The show's allow list, then each output's device address (as long as
 * there is room; not a loopback one when the show denies loopback);
 * returns the count. */
static size_t play_allow_devices(const play_ctx *c, const ha_show_control *sc,
                                 const char *allow[HA_CONTROL_MAX_ALLOW],
                                 char device[PLAY_MAX_TO][INET6_ADDRSTRLEN]) {
  size_t n = 0;
  for (; n < sc->allow_count && n < HA_CONTROL_MAX_ALLOW; n++) {
    allow[n] = sc->allow[n];
  }
  for (size_t i = 0; sc->allow_count > 0 && i < ha_player_output_count(c->player) &&
                     i < PLAY_MAX_TO && n < HA_CONTROL_MAX_ALLOW;
       i++) {
    uint8_t addr[16];
    ha_output_device_address(ha_player_output(c->player, i), addr, NULL);
    const char *text = ha_control_format_addr(addr, device[i], INET6_ADDRSTRLEN);
    /* allowLoopback false removes this computer, devices on it included */
    if (sc->allow_loopback || (strncmp(text, "127.", 4) != 0 && strcmp(text, "::1") != 0)) {
      allow[n++] = text;
    }
  }
  return n;
}

/* Remote control on --control [HOST:]PORT, else on the show's control
 * bind and port; the show's allow list either way. */
static ha_status play_start_control(const play_opts *o, play_ctx *c, ha_error *err) {
  const ha_show_control *sc = c->show != NULL ? ha_show_control_get(c->show) : NULL;
  long port = o->control_port;
  if (!o->control_given && sc != NULL && sc->port > 0) {
    port = sc->port;
  } else if (!o->control_given && c->syncing) {
    snprintf(err->message, sizeof err->message,
             "--sync osc: the clock arrives on the control port: give --control [HOST:]PORT "
             "(or the show's control.port)");
    return HA_EINVAL;
  } else if (!o->control_given) {
    return HA_OK;
  }
  ha_control_config cc = ha_control_config_default();
  cc.port = (uint16_t)port;
  cc.metrics = ha_player_metrics(c->player);
  if (o->control_host[0] != '\0') {
    cc.bind_host = o->control_host;
  } else if (sc != NULL && sc->bind != NULL) {
    cc.bind_host = sc->bind;
  }
  /* An allow list lets the outputs' devices in too: their echoes arrive
   * here (a processor on the network pushes to this port). */
  const char *allow[HA_CONTROL_MAX_ALLOW];
  char device[PLAY_MAX_TO][INET6_ADDRSTRLEN];
  if (sc != NULL) {
    cc.allow = allow;
    cc.allow_count = play_allow_devices(c, sc, allow, device);
    cc.deny_loopback = !sc->allow_loopback;
  }
  cc.address = play_on_address;
  cc.refused = play_on_refused;
  cc.clock = c->syncing ? play_on_clock : NULL;
  cc.echo = play_on_echo;
  cc.values = c->show != NULL && ha_player_mapping_count(c->player) > 0 ? play_on_values : NULL;
  ha_control_handlers h = {c, play_on_control, NULL};
  ha_status st = ha_control_start(&cc, &h, &c->control, err);
  if (st == HA_OK && !o->quiet) {
    fprintf(stderr, "holoanim: remote control on %s%s\n", ha_control_address(c->control),
            c->syncing ? " (following the external clock sent there)" : "");
  }
  size_t nm = 0;
  const ha_show_mapping *m = c->show != NULL ? ha_show_mappings(c->show, &nm) : NULL;
  for (size_t i = 0; st == HA_OK && !o->quiet && i < nm; i++) {
    char label[160];
    fprintf(stderr, "holoanim: mapping %s arg %u -> %s in [%g, %g]\n", m[i].address, m[i].arg,
            play_mapping_label(c->show, i, label, sizeof label), m[i].out_min, m[i].out_max);
  }
  if (st == HA_OK && cc.allow_count == 0 && !ha_control_loopback_only(c->control)) {
    fprintf(stderr,
            "holoanim: warning: remote control on %s takes commands from any computer that "
            "can reach it: list who may in the show's control.allow (addresses or CIDR ranges "
            "such as 192.168.1.0/24)\n",
            ha_control_address(c->control));
  }
  return st;
}

/* Everything between loading and the run loop; the content is playing when
 * this returns HA_OK. */
static ha_status play_setup(const play_opts *o, play_ctx *c, ha_error *err) {
  ha_status st = play_create_player(o, c, err);
  if (st == HA_OK) {
    st = play_add_destinations(o, c, err);
  }
  if (st == HA_OK && ha_player_output_count(c->player) == 0) {
    st = play_start_simulator(c, err);
  }
  if (st == HA_OK) {
    st = play_start_feedback(c, err);
  }
  if (st == HA_OK) {
    st = play_start_control(o, c, err);
  }
  if (st == HA_OK && o->metrics_port_given) {
    st = ha_metrics_http_start(ha_player_metrics(c->player), "127.0.0.1", (uint16_t)o->metrics_port,
                               &c->metrics_server, err);
  }
  if (st == HA_OK) {
    st = ha_player_start(c->player, err);
  }
  if (st == HA_OK) {
    st = play_start_content(c, err);
  }
  return st;
}

/* ---- running ---- */

/* True when `fresh` has the same groups as `old`, by name and in order:
 * animations are tagged with their group's index, so a reload may only
 * change what a group plays, not which index it is. */
static int play_same_groups(const ha_show *old, const ha_show *fresh) {
  size_t na = 0, nb = 0;
  const ha_show_group *a = ha_show_groups(old, &na);
  const ha_show_group *b = ha_show_groups(fresh, &nb);
  for (size_t i = 0; na == nb && i < na; i++) {
    if (strcmp(a[i].name, b[i].name) != 0) {
      return 0;
    }
  }
  return na == nb;
}

/* True when `fresh` maps what `old` maps, the same way: the player's
 * mappings are set up when play starts. */
static int play_same_mappings(const ha_show *old, const ha_show *fresh) {
  size_t na = 0, nb = 0;
  const ha_show_mapping *a = ha_show_mappings(old, &na);
  const ha_show_mapping *b = ha_show_mappings(fresh, &nb);
  for (size_t i = 0; na == nb && i < na; i++) {
    const double ra[] = {a[i].in_min, a[i].in_max, a[i].out_min, a[i].out_max, a[i].smoothing};
    const double rb[] = {b[i].in_min, b[i].in_max, b[i].out_min, b[i].out_max, b[i].smoothing};
    if (strcmp(a[i].address, b[i].address) != 0 || strcmp(a[i].param, b[i].param) != 0 ||
        a[i].group != b[i].group || a[i].component != b[i].component || a[i].arg != b[i].arg ||
        a[i].slew != b[i].slew || memcmp(ra, rb, sizeof ra) != 0) {
      return 0;
    }
  }
  return na == nb;
}

/* --watch: the show file changed; reload it and blend running groups into
 * their new parameters, or keep playing the old one if the new is invalid
 * or its groups differ (a restart is needed then). Main thread: the only
 * writer of c->show, so reading it here needs no lock; replacing it does. */
static void play_reload_show(play_ctx *c) {
  const char *path = c->opts->show_path;
  ha_diags *diags = NULL;
  ha_diags_create(&diags);
  ha_show *fresh = NULL;
  if (ha_show_load_file(path, &fresh, diags) != HA_OK) {
    fprintf(stderr, "%sholoanim: %s changed but is invalid; still playing the previous version:\n",
            c->tty ? "\n" : "", path);
    cli_print_diags(diags, "  ");
  } else if (!play_same_groups(c->show, fresh)) {
    fprintf(stderr,
            "%sholoanim: %s changed its groups (names or order); still playing the previous "
            "version: restart play to use it\n",
            c->tty ? "\n" : "", path);
    ha_show_destroy(fresh);
  } else if (!play_same_mappings(c->show, fresh)) {
    fprintf(stderr,
            "%sholoanim: %s changed its mappings; still playing the previous version: restart "
            "play to use them\n",
            c->tty ? "\n" : "", path);
    ha_show_destroy(fresh);
  } else {
    size_t ng = 0;
    const ha_show_group *g = ha_show_groups(fresh, &ng);
    for (size_t i = 0; i < ng; i++) {
      ha_motion *mo = NULL;
      if (ha_show_animation_motion(fresh, g[i].animation, &mo, NULL) == HA_OK) {
        ha_player_update_animation(c->player, (uint32_t)i, mo);
      }
    }
    /* the new timeline replaces the old on the tick, rebuilt at the transport's time */
    if (ha_show_player_timeline(fresh, c->player, NULL) != HA_OK) {
      fprintf(stderr, "holoanim: %s: the timeline was not reloaded\n", path);
    }
    /* The player runs motions, which own their data, and never the show;
     * the control thread may be using the old show, hence the lock. */
    (void)ha_show_player_track_flags(fresh, c->player); /* mute, solo, lock edited */
    pthread_mutex_lock(&c->show_lock);
    ha_show *old = c->show;
    c->show = fresh;
    pthread_mutex_unlock(&c->show_lock);
    ha_show_destroy(old);
    fprintf(stderr, "%sholoanim: reloaded %s\n", c->tty ? "\n" : "", path);
  }
  ha_diags_destroy(diags);
}

/* The live status line's memory between two prints. */
typedef struct play_status_line {
  double last;
  uint64_t msgs, ticks;
} play_status_line;

/* The status line's mappings: "  radius 4.52" each (the parameter and its
 * live value; "-" before any input), at most four, then "+N". Main thread:
 * the only writer of c->show. */
static void play_format_mappings(const play_ctx *c, char *buf, size_t cap) {
  size_t nm = 0, used = 0;
  const ha_show_mapping *m = c->show != NULL ? ha_show_mappings(c->show, &nm) : NULL;
  buf[0] = '\0';
  for (size_t i = 0; i < nm && i < ha_player_mapping_count(c->player); i++) {
    ha_mapping_state ms;
    ha_player_mapping_get(c->player, i, &ms);
    char v[32] = "-";
    if (ms.active) {
      snprintf(v, sizeof v, "%.2f", ms.value);
    }
    static const char *const axis[] = {"", ".x", ".y", ".z"};
    int n = i < 4 ? snprintf(buf + used, cap - used, "  %s%s %s", m[i].param,
                             axis[m[i].component + 1], v)
                  : snprintf(buf + used, cap - used, "  +%zu", nm - 4);
    used = n > 0 && (size_t)n < cap - used ? used + (size_t)n : used;
    if (i >= 4) {
      break;
    }
  }
}

static void play_print_status(play_ctx *c, double now, play_status_line *sl) {
  ha_player_status ps;
  ha_player_get_status(c->player, &ps);
  uint64_t msgs = 0, errors = 0;
  for (size_t o = 0; o < ha_player_output_count(c->player); o++) {
    ha_output_stats os;
    ha_output_get_stats(ha_player_output(c->player, o), &os);
    msgs += os.messages;
    errors += os.err_refused + os.err_unreachable + os.err_again + os.err_other + os.short_sends;
  }
  double dt = now - sl->last;
  char maps[200];
  play_format_mappings(c, maps, sizeof maps);
  fprintf(stderr,
          "%s t=%.2fs %s  ticks %.1f/s  late %llu  msgs %.0f/s  errors %llu  "
          "conflicts %llu%s%s",
          c->tty ? "\r" : "holoanim:", ps.time, ps.playing ? "playing" : "paused ",
          (double)(ps.ticks - sl->ticks) / dt, (unsigned long long)ps.late_ticks,
          (double)(msgs - sl->msgs) / dt, (unsigned long long)errors,
          (unsigned long long)ps.conflicts, maps, c->tty ? "   " : "\n");
  sl->msgs = msgs;
  sl->ticks = ps.ticks;
  sl->last = now;
}

/* Events to stderr; 1 when the show has ended (and no --for keeps it). */
static int play_drain_events(play_ctx *c) {
  int ended = 0;
  ha_player_event ev;
  while (ha_player_poll_event(c->player, &ev) == HA_OK) {
    if (ev.type == HA_EVENT_SHOW_ENDED && c->opts->run_for <= 0) {
      ended = 1;
    }
    if (!c->opts->quiet) {
      play_print_event(&ev, c->tty ? "\n" : "");
    }
  }
  return ended;
}

/* Every 20 ms until Ctrl-C, --for or the show's end: events, --watch,
 * the --metrics file each second and the status line twice a second. */
static void play_run(play_ctx *c) {
  const play_opts *o = c->opts;
  cli_catch_stop_signals();
  cli_catch_reload_signal();
  /* Off a terminal (a service's journal): one plain line a minute. */
  const double status_every = c->tty ? 0.5 : 60.0;
  double start = ha_monotonic_now(), last_metrics = start;
  play_status_line sl = {start, 0, 0};
  long long stamp = o->show_path ? play_file_stamp(o->show_path) : 0;
  while (!cli_stop_requested()) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    double now = ha_monotonic_now();
    if (play_drain_events(c) || (o->run_for > 0 && now - start >= o->run_for)) {
      break;
    }
    if (c->show != NULL) { /* the mapped values that changed: edits */
      ha_show_player_map_update(c->show, c->player, NULL);
    }
    long long m = o->watch && o->show_path != NULL ? play_file_stamp(o->show_path) : 0;
    if (m != 0 && m != stamp) {
      stamp = m;
      play_reload_show(c);
    }
    if (cli_reload_requested()) {
      if (o->show_path != NULL) {
        play_reload_show(c);
      } else {
        fprintf(stderr, "holoanim: SIGHUP: nothing to reload (no show file)\n");
      }
    }
    if (o->metrics_path != NULL && now - last_metrics >= 1.0) {
      last_metrics = now;
      if (play_write_metrics_file(c->player, o->metrics_path) != 0 && !o->quiet) {
        fprintf(stderr, "\nholoanim: cannot write %s: %s\n", o->metrics_path, strerror(errno));
      }
    }
    if (!o->quiet && now - sl.last >= status_every) {
      play_print_status(c, now, &sl);
    }
  }
}

/* ---- stopping ---- */

static void play_print_summary(const play_ctx *c) {
  ha_player_status ps;
  ha_player_get_status(c->player, &ps);
  fprintf(stderr,
          "%sholoanim: stopped at t=%.2fs after %llu ticks (%llu late, %llu stalls, %llu "
          "skipped)\n",
          c->tty ? "\n" : "", ps.time, (unsigned long long)ps.ticks,
          (unsigned long long)ps.late_ticks, (unsigned long long)ps.stalls,
          (unsigned long long)ps.skipped_ticks);
  for (size_t o = 0; o < ha_player_output_count(c->player); o++) {
    ha_output_stats os;
    const ha_output *out = ha_player_output(c->player, o);
    ha_output_get_stats(out, &os);
    fprintf(stderr,
            "holoanim: output %s: %llu messages in %llu datagrams, %llu refused, "
            "%llu unreachable, %llu cut short (destination refusing), %llu other errors\n",
            ha_output_destination(out), (unsigned long long)os.messages,
            (unsigned long long)os.datagrams, (unsigned long long)os.err_refused,
            (unsigned long long)os.err_unreachable, (unsigned long long)os.short_sends,
            (unsigned long long)(os.err_again + os.err_other));
  }
}

/* Each mapping's last value and inputs, after the summary. */
static void play_print_mappings(const play_ctx *c) {
  size_t nm = 0;
  const ha_show_mapping *m = c->show != NULL ? ha_show_mappings(c->show, &nm) : NULL;
  for (size_t i = 0; i < nm && i < ha_player_mapping_count(c->player); i++) {
    ha_mapping_state ms;
    char label[160], value[32] = "no input";
    ha_player_mapping_get(c->player, i, &ms);
    if (ms.active) {
      snprintf(value, sizeof value, "%.4g after %llu inputs", ms.value,
               (unsigned long long)ms.inputs);
    }
    fprintf(stderr, "holoanim: mapping %s -> %s: %s\n", m[i].address,
            play_mapping_label(c->show, i, label, sizeof label), value);
  }
}

/* The clean stop: no more commands, flush every output, last metrics. */
static void play_finish(play_ctx *c) {
  if (c->control != NULL && !c->opts->quiet) {
    ha_control_stats cs;
    ha_control_get_stats(c->control, &cs);
    fprintf(stderr,
            "\nholoanim: control on %s: %llu commands, %llu refused (sender not allowed), "
            "%llu malformed, %llu unknown or with wrong arguments\n",
            ha_control_address(c->control), (unsigned long long)cs.commands,
            (unsigned long long)cs.refused, (unsigned long long)cs.malformed,
            (unsigned long long)cs.unknown);
  }
  ha_control_stop(c->control);
  c->control = NULL;
  play_stop_feedback(c);
  ha_player_shutdown(c->player); /* flushes every output */
  if (c->opts->metrics_path != NULL) {
    play_write_metrics_file(c->player, c->opts->metrics_path);
  }
  if (!c->opts->quiet) {
    play_print_summary(c);
    play_print_mappings(c);
  }
}

static void play_teardown(play_ctx *c) {
  ha_control_stop(c->control);
  play_stop_feedback(c);
  ha_metrics_http_stop(c->metrics_server);
  ha_player_destroy(c->player);
  ha_devsim_stop(c->sim);
  ha_show_destroy(c->show);
  ha_motion_destroy(c->model_template);
}

int cmd_play(int argc, char **argv) {
  play_opts o;
  int rc = play_parse(argc, argv, &o);
  if (rc != CLI_CONTINUE) {
    return rc;
  }
  play_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.opts = &o;
  ctx.tty = isatty(STDERR_FILENO);
  pthread_mutex_init(&ctx.show_lock, NULL);
  rc = play_load(&o, &ctx);
  if (rc == CLI_OK) {
    ha_error err;
    ha_error_clear(&err);
    ha_status st = play_setup(&o, &ctx, &err);
    rc = st == HA_OK ? CLI_OK : cli_report(&err, st);
  }
  if (rc == CLI_OK) {
    play_run(&ctx);
    play_finish(&ctx);
  }
  play_teardown(&ctx);
  pthread_mutex_destroy(&ctx.show_lock);
  cli_motion_deinit(&o.motion);
  return rc;
}
