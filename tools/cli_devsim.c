/* holoanim devsim: run the simulated Holophonix device until interrupted.
 *
 * The device itself is the library's ha_devsim (its own thread); this file
 * parses options, prints the bound address, installs SIGINT/SIGTERM handlers
 * that only set a flag, and prints a status line per second with activity
 * (messages/s and tracks moved, from the stats and the per-track update
 * counters). Stopping the device flushes the record file. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "holoanim/devsim.h"
#include "cli_net.h"

/* Status every second while something happens; a summary at the end. */
static void devsim_print_status(ha_devsim *sim, uint32_t tracks, bool quiet) {
  uint64_t *seen = calloc((size_t)tracks + 1, sizeof *seen);
  ha_devsim_stats prev;
  ha_devsim_get_stats(sim, &prev);
  int ticks = 0;
  while (!cli_stop_requested()) {
    struct timespec d = {0, 100 * 1000 * 1000};
    nanosleep(&d, NULL); /* EINTR on a signal: the loop re-checks the flag */
    if (++ticks < 10 || quiet) {
      continue;
    }
    ticks = 0;
    ha_devsim_stats st;
    ha_devsim_get_stats(sim, &st);
    unsigned moved = 0;
    for (uint32_t n = 1; seen != NULL && n <= tracks; n++) {
      ha_devsim_track t;
      if (ha_devsim_get_track(sim, n, &t) == HA_OK && t.updates != seen[n]) {
        seen[n] = t.updates;
        moved++;
      }
    }
    if (st.packets != prev.packets) {
      fprintf(stderr,
              "devsim: %llu msg/s, %u tracks moved, %llu positions, %llu malformed, "
              "%llu unknown track\n",
              (unsigned long long)(st.messages - prev.messages), moved,
              (unsigned long long)st.positions, (unsigned long long)st.malformed,
              (unsigned long long)st.unknown_track);
    }
    prev = st;
  }
  free(seen);
}

static const cli_command devsim_command = {
    "devsim",
    "devsim [--port 4003] [--bind 127.0.0.1] [--tracks 64] [--record FILE.csv]\n"
    "       [--push HOST:PORT]... [--adm-scale 10] [--azimuth cw|ccw] [--quiet]",
    "A simulated Holophonix processor (and ADM-OSC receiver) on UDP. --port 0 picks\n"
    "a free port (printed on stdout). --push sends every change to HOST:PORT as\n"
    "/track/n/xyz (the device echo). --record writes time_s,track,x,y,z for every\n"
    "position received (CLOCK_MONOTONIC seconds). Stop with Ctrl-C.",
    NULL,
    0,
    NULL};

typedef struct devsim_opts {
  ha_devsim_config cfg;
  long port, tracks;
  int quiet, ccw;
  cli_hostport push[HA_DEVSIM_MAX_PUSH];
  size_t npush;
} devsim_opts;

/* CLI_OPT_CALL handler of --push HOST:PORT (the port is required). */
static int devsim_add_push(void *ctx, const char *value) {
  devsim_opts *o = ctx;
  if (o->npush >= HA_DEVSIM_MAX_PUSH) {
    return cli_usage_error("--push: at most %d destinations", HA_DEVSIM_MAX_PUSH);
  }
  if (cli_hostport_parse(value, -1, &o->push[o->npush]) != 0) {
    return cli_usage_error(
        "--push: '%s' is not HOST:PORT (a port in 1..65535; [::1]:PORT for IPv6)", value);
  }
  o->npush++;
  return CLI_OK;
}

static int devsim_parse(int argc, char **argv, devsim_opts *o) {
  o->cfg = ha_devsim_config_default();
  o->port = o->cfg.port;
  o->tracks = (long)o->cfg.tracks;
  o->ccw = o->cfg.azimuth_sign == HA_AZIMUTH_COUNTERCLOCKWISE;
  cli_opt opts[] = {
      {CLI_INT("port", "N", "UDP port, 0..65535 (0: any free port)", "4003", &o->port, 0, 65535)},
      {CLI_STRING("bind", "HOST", "local address to listen on", "127.0.0.1", &o->cfg.bind_host)},
      {CLI_INT("tracks", "N", "number of tracks, 1..65535", "64", &o->tracks, 1,
               HA_DEVSIM_MAX_TRACKS)},
      {CLI_STRING("record", "FILE.csv", "write every position received", NULL,
                  &o->cfg.record_path)},
      {CLI_CALL("push", "HOST:PORT", "send every change there (repeatable)", NULL, devsim_add_push,
                o)},
      {CLI_NUMBER("adm-scale", "M", "metres of ADM-OSC's unit cube", "10", &o->cfg.adm_scale)},
      {CLI_CHOICE("azimuth", "DIR", "cw | ccw: direction of growing azimuth", "cw", &o->ccw,
                  "cw|ccw")},
      {CLI_FLAG("quiet", "no status lines", &o->quiet), .letter = 'q'},
  };
  int rc = cli_parse(&devsim_command, opts, sizeof opts / sizeof opts[0], argc, argv, NULL, NULL);
  o->cfg.port = (int)o->port;
  o->cfg.tracks = (uint32_t)o->tracks;
  o->cfg.azimuth_sign = o->ccw ? HA_AZIMUTH_COUNTERCLOCKWISE : HA_AZIMUTH_CLOCKWISE;
  return rc;
}

int cmd_devsim(int argc, char **argv) {
  devsim_opts o;
  memset(&o, 0, sizeof o);
  int rc = devsim_parse(argc, argv, &o);
  if (rc != CLI_CONTINUE) {
    return rc;
  }
  ha_devsim_config cfg = o.cfg;
  bool quiet = o.quiet != 0;
  ha_error err;
  ha_error_clear(&err);
  ha_devsim *sim = NULL;
  ha_status st = ha_devsim_start(&cfg, &sim, &err);
  if (st != HA_OK) {
    return cli_report(&err, st);
  }
  for (size_t i = 0; i < o.npush; i++) {
    st = ha_devsim_add_push(sim, o.push[i].host, o.push[i].port, &err);
    if (st != HA_OK) {
      ha_devsim_stop(sim);
      return cli_report(&err, st);
    }
  }

  cli_catch_stop_signals();

  const char *shown = cfg.bind_host != NULL && cfg.bind_host[0] != '\0' ? cfg.bind_host : "0.0.0.0";
  char where[300];
  cli_hostport_format(where, sizeof where, shown, (unsigned)ha_devsim_port(sim));
  printf("devsim: listening on %s (%u tracks, ADM scale %g m)\n", where, (unsigned)cfg.tracks,
         cfg.adm_scale);
  fflush(stdout);

  devsim_print_status(sim, cfg.tracks, quiet);

  ha_devsim_stats st_end;
  ha_devsim_get_stats(sim, &st_end);
  ha_devsim_stop(sim); /* joins the thread, flushes the record file */
  if (!quiet) {
    fprintf(stderr,
            "devsim: stopped: %llu packets, %llu messages, %llu positions, %llu queries, "
            "%llu malformed\n",
            (unsigned long long)st_end.packets, (unsigned long long)st_end.messages,
            (unsigned long long)st_end.positions, (unsigned long long)st_end.queries,
            (unsigned long long)st_end.malformed);
    if (st_end.last_malformed[0] != '\0') {
      fprintf(stderr, "devsim: last malformed packet: %s\n", st_end.last_malformed);
    }
  }
  return CLI_OK;
}
