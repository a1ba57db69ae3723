/* holoanim devsim: run the simulated Holophonix device until interrupted.
 *
 * The device itself is the library's ha_devsim (its own thread); this file
 * parses options, prints the bound address, installs SIGINT/SIGTERM handlers
 * that only set a flag, and prints a status line per second with activity
 * (messages/s and tracks moved, from the stats and the per-track update
 * counters). Stopping the device flushes the record file. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "holoanim/devsim.h"
#include "cli_net.h"

static volatile sig_atomic_t g_stop;

static void on_stop_signal(int sig) {
  (void)sig;
  g_stop = 1;
}

int cli_net_parse_int(const char *s, const char *what, long lo, long hi, long *out) {
  char *end = NULL;
  errno = 0;
  long v = s != NULL ? strtol(s, &end, 10) : 0;
  if (s == NULL || end == s || *end != '\0' || errno != 0 || v < lo || v > hi) {
    cli_usage_error("%s: '%s' is not a whole number in [%ld, %ld]", what, s ? s : "", lo, hi);
    return -1;
  }
  *out = v;
  return 0;
}

static void devsim_usage(FILE *f) {
  fputs(
      "usage: holoanim devsim [--port 4003] [--bind 127.0.0.1] [--tracks 64]\n"
      "                       [--record FILE.csv] [--push HOST:PORT]...\n"
      "                       [--adm-scale 10] [--azimuth cw|ccw] [--quiet]\n"
      "A simulated Holophonix processor (and ADM-OSC receiver) on UDP. --port 0 picks\n"
      "a free port (printed on stdout). --push sends every change to HOST:PORT as\n"
      "/track/n/xyz (the device echo). --record writes time_s,track,x,y,z for every\n"
      "position received (CLOCK_MONOTONIC seconds). Stop with Ctrl-C.\n",
      f);
}

/* Status every second while something happens; a summary at the end. */
static void run_status(ha_devsim *sim, uint32_t tracks, bool quiet) {
  uint64_t *seen = calloc((size_t)tracks + 1, sizeof *seen);
  ha_devsim_stats prev;
  ha_devsim_get_stats(sim, &prev);
  int ticks = 0;
  while (!g_stop) {
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

int cmd_devsim(int argc, char **argv) {
  ha_devsim_config cfg = ha_devsim_config_default();
  const char *push[HA_DEVSIM_MAX_PUSH];
  size_t npush = 0;
  bool quiet = false;
  long v = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      devsim_usage(stdout);
      return CLI_OK;
    }
    if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
      quiet = true;
      continue;
    }
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (val == NULL) {
      devsim_usage(stderr);
      return cli_usage_error("devsim: unknown option or missing value '%s'", a);
    }
    i++;
    if (strcmp(a, "--port") == 0) {
      if (cli_net_parse_int(val, "--port", 0, 65535, &v) != 0) {
        return CLI_USAGE;
      }
      cfg.port = (int)v;
    } else if (strcmp(a, "--bind") == 0) {
      cfg.bind_host = val;
    } else if (strcmp(a, "--tracks") == 0) {
      if (cli_net_parse_int(val, "--tracks", 1, HA_DEVSIM_MAX_TRACKS, &v) != 0) {
        return CLI_USAGE;
      }
      cfg.tracks = (uint32_t)v;
    } else if (strcmp(a, "--record") == 0) {
      cfg.record_path = val;
    } else if (strcmp(a, "--push") == 0) {
      if (npush >= HA_DEVSIM_MAX_PUSH) {
        return cli_usage_error("--push: at most %d destinations", HA_DEVSIM_MAX_PUSH);
      }
      push[npush++] = val;
    } else if (strcmp(a, "--adm-scale") == 0) {
      if (cli_parse_double(val, "--adm-scale", &cfg.adm_scale) != 0) {
        return CLI_USAGE;
      }
    } else if (strcmp(a, "--azimuth") == 0) {
      if (strcmp(val, "cw") == 0) {
        cfg.azimuth_sign = HA_AZIMUTH_CLOCKWISE;
      } else if (strcmp(val, "ccw") == 0) {
        cfg.azimuth_sign = HA_AZIMUTH_COUNTERCLOCKWISE;
      } else {
        return cli_usage_error("--azimuth: '%s' is not cw or ccw", val);
      }
    } else {
      devsim_usage(stderr);
      return cli_usage_error("devsim: unknown option '%s'", a);
    }
  }
  /* Validate the push destinations before binding anything. */
  char hosts[HA_DEVSIM_MAX_PUSH][256];
  int ports[HA_DEVSIM_MAX_PUSH];
  for (size_t i = 0; i < npush; i++) {
    if (cli_net_hostport(push[i], -1, hosts[i], sizeof hosts[i], &ports[i]) != 0) {
      return cli_usage_error("--push: '%s' is not HOST:PORT", push[i]);
    }
  }

  ha_error err;
  ha_error_clear(&err);
  ha_devsim *sim = NULL;
  ha_status st = ha_devsim_start(&cfg, &sim, &err);
  if (st != HA_OK) {
    return cli_report(&err, st);
  }
  for (size_t i = 0; i < npush; i++) {
    st = ha_devsim_add_push(sim, hosts[i], ports[i], &err);
    if (st != HA_OK) {
      ha_devsim_stop(sim);
      return cli_report(&err, st);
    }
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  const char *shown = cfg.bind_host != NULL && cfg.bind_host[0] != '\0' ? cfg.bind_host : "0.0.0.0";
  printf("devsim: listening on %s:%u (%u tracks, ADM scale %g m)\n", shown,
         (unsigned)ha_devsim_port(sim), (unsigned)cfg.tracks, cfg.adm_scale);
  fflush(stdout);

  run_status(sim, cfg.tracks, quiet);

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
