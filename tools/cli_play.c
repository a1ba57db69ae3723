/* holoanim play: run a show (or one model) on the real-time player.
 *
 * The control side lives here: load, set up outputs (or start the built-in
 * simulated device when there is none), remote control and device feedback
 * input, a live status line, metrics files/endpoint, hot reload (--watch),
 * and a clean stop on Ctrl-C (outputs are flushed). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "holoanim/devsim.h"

#define MAX_TO 16

static volatile sig_atomic_t interrupted;
static void on_signal(int sig) {
  (void)sig;
  interrupted = 1;
}

typedef struct play_ctx {
  ha_player *player;
  ha_show *show; /* NULL in --model mode */
  const char *show_path;
  int quiet;
  uint32_t model_tag;
  ha_motion *model_template; /* --model mode: re-created on play */
  const uint32_t *model_tracks;
  size_t model_ntracks;
  ha_anim_spec model_spec;
} play_ctx;

static int parse_hostport(const char *s, char *host, size_t cap, int *port) {
  const char *colon = strrchr(s, ':');
  *port = 4003;
  size_t n = colon ? (size_t)(colon - s) : strlen(s);
  if (n == 0 || n >= cap) {
    return -1;
  }
  memcpy(host, s, n);
  host[n] = '\0';
  if (colon != NULL) {
    char *end = NULL;
    long p = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end != '\0' || p < 1 || p > 65535) {
      return -1;
    }
    *port = (int)p;
  }
  return 0;
}

/* Start what "play" means: the show's autoStart groups, or the one model. */
static ha_status start_content(play_ctx *c, ha_error *err) {
  if (c->show != NULL) {
    return ha_show_player_play(c->show, c->player, err);
  }
  /* A fresh copy of the --model motion: the player owns what it is given. */
  ha_timing tm = ha_motion_timing(c->model_template);
  ha_motion *m = NULL;
  ha_status st = ha_motion_create(ha_motion_model(c->model_template)->name,
                                  ha_motion_params(c->model_template), &tm, &m, err);
  if (st == HA_OK) {
    st = ha_player_start_animation(c->player, c->model_tag, m, &c->model_spec, c->model_tracks,
                                   c->model_ntracks);
  }
  if (st == HA_OK) {
    st = ha_player_play(c->player);
  }
  return st;
}

/* Remote control handler (control thread). */
static ha_status on_action(void *user, ha_control_action action, const char *name, double value,
                           char *reply, size_t cap) {
  play_ctx *c = user;
  ha_error err;
  ha_error_clear(&err);
  ha_status st = HA_OK;
  switch (action) {
  case HA_CONTROL_PLAY:
    if (name != NULL && c->show != NULL) {
      size_t g = ha_show_group_find(c->show, name);
      size_t ng = 0;
      ha_show_groups(c->show, &ng);
      if (g >= ng) {
        snprintf(reply, cap, "no group named '%s'", name);
        return HA_ENOTFOUND;
      }
      st = ha_show_player_start_group(c->show, c->player, g, &err);
      if (st == HA_OK) {
        st = ha_player_play(c->player);
      }
      snprintf(reply, cap, "playing group %s", name);
    } else {
      ha_player_status ps;
      ha_player_get_status(c->player, &ps);
      st = ps.time > 0.0 || ps.playing ? ha_player_play(c->player) : start_content(c, &err);
      snprintf(reply, cap, "playing");
    }
    break;
  case HA_CONTROL_PAUSE:
    st = ha_player_pause(c->player);
    snprintf(reply, cap, "paused");
    break;
  case HA_CONTROL_STOP:
    if (name != NULL && c->show != NULL) {
      size_t g = ha_show_group_find(c->show, name);
      st = ha_show_player_stop_group(c->show, c->player, g, -1.0);
      snprintf(reply, cap, "stopped group %s", name);
    } else {
      st = ha_player_stop(c->player, 0.0);
      snprintf(reply, cap, "stopped");
    }
    break;
  case HA_CONTROL_GOTO_START:
    st = ha_player_seek(c->player, 0.0);
    snprintf(reply, cap, "at start");
    break;
  case HA_CONTROL_SEEK:
    st = ha_player_seek(c->player, value);
    snprintf(reply, cap, "seek %g", value);
    break;
  case HA_CONTROL_SPEED:
    st = ha_player_set_speed(c->player, value);
    snprintf(reply, cap, st == HA_OK ? "speed %g" : "speed %g is not in (0, 1000]", value);
    break;
  case HA_CONTROL_CUE: {
    if (c->show == NULL) {
      snprintf(reply, cap, "no show loaded");
      return HA_ENOTFOUND;
    }
    size_t idx = ha_show_cue_find(c->show, value);
    size_t nc = 0;
    ha_show_cues(c->show, &nc);
    if (idx >= nc) {
      snprintf(reply, cap, "no cue %g", value);
      return HA_ENOTFOUND;
    }
    st = ha_show_player_fire_cue(c->show, c->player, idx, &err);
    if (st == HA_OK) {
      ha_player_play(c->player);
    }
    snprintf(reply, cap, "cue %g", value);
    break;
  }
  case HA_CONTROL_PANIC:
    st = ha_player_panic(c->player);
    snprintf(reply, cap, "panic: everything stopped");
    break;
  }
  if (st != HA_OK && err.message[0] != '\0') {
    snprintf(reply, cap, "%s", err.message);
  }
  return st;
}

static void on_track_position(void *user, uint32_t track, ha_vec3 xyz) {
  play_ctx *c = user;
  ha_player_device_echo(c->player, track, xyz);
}

/* A change stamp of a file: modification time in ns mixed with the size
 * (0 when it cannot be read). */
static long long mtime_of(const char *path) {
  struct stat sb;
  if (stat(path, &sb) != 0) {
    return 0;
  }
  return ((long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec) ^
         ((long long)sb.st_size << 1);
}

static int write_metrics_file(ha_player *p, const char *path) {
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

static void print_event(const ha_player_event *ev) {
  switch (ev->type) {
  case HA_EVENT_CONFLICT:
    fprintf(stderr,
            "\nholoanim: conflict on track %u at t=%.2f: the device reports (%.2f, %.2f, %.2f), "
            "we sent (%.2f, %.2f, %.2f): another controller is moving it\n",
            ev->track, ev->time, ev->position.x, ev->position.y, ev->position.z, ev->expected.x,
            ev->expected.y, ev->expected.z);
    break;
  case HA_EVENT_COMMAND_FAILED:
    fprintf(stderr, "\nholoanim: a command failed (tag %u, track %u): %s\n", ev->tag, ev->track,
            ha_strerror(ev->status));
    break;
  case HA_EVENT_BASE_CHANGED:
    fprintf(stderr, "\nholoanim: track %u moved on the device to (%.2f, %.2f, %.2f)\n", ev->track,
            ev->position.x, ev->position.y, ev->position.z);
    break;
  case HA_EVENT_ANIMATION_ENDED:
  case HA_EVENT_SHOW_ENDED: break;
  }
}

static void usage_play(void) {
  fputs(
      "usage: holoanim play [SHOW.json] [options]\n"
      "       holoanim play --model NAME [--param k=v]... [--duration T] [--loop MODE]\n"
      "                     --track N[,N...] [--mode MODE] [--phase-offset S] [options]\n"
      "options:\n"
      "  --to HOST[:PORT]     send to a device (repeatable; default port 4003)\n"
      "  --dialect D          holophonix | adm-osc (for --to outputs)\n"
      "  --coords C           xyz | aed (for --to outputs)\n"
      "  --rate HZ            output rate (for --to outputs, default 50)\n"
      "  --for S              stop after S seconds (show mode also: --duration S)\n"
      "  --tick-rate HZ       player tick rate (default 100)\n"
      "  --control PORT       remote-control/feedback OSC input on 127.0.0.1:PORT\n"
      "  --metrics FILE       write metrics JSON to FILE every second\n"
      "  --metrics-port PORT  Prometheus text on http://127.0.0.1:PORT/metrics\n"
      "  --watch              reload the show when the file changes\n"
      "  --realtime           SCHED_FIFO + mlockall when permitted\n"
      "  --quiet              no status line\n"
      "  --sim                ignore the show's outputs: play to the built-in simulated device\n"
      "With no --to and no output in the show, a simulated device is started.\n",
      stderr);
}

int cmd_play(int argc, char **argv) {
  cli_motion cm;
  cli_motion_init(&cm);
  const char *show_path = NULL, *metrics_path = NULL, *dialect = NULL, *coords = NULL;
  int simulate = 0;
  const char *to[MAX_TO];
  size_t nto = 0;
  double run_for = 0, tick_rate = 100, out_rate = 0, control_port = -1, metrics_port = -1;
  double phase = 0;
  int watch = 0, realtime = 0, quiet = 0, rc = CLI_OK;
  uint32_t tracks[1024];
  size_t ntracks = 0;
  ha_anim_spec spec = ha_anim_spec_default();
  for (int i = 1; i < argc && rc == CLI_OK; i++) {
    const char *a = argv[i];
    if (a[0] != '-' && show_path == NULL && cm.model == NULL) {
      show_path = a;
      continue;
    }
    if (show_path != NULL && strcmp(a, "--duration") == 0 && i + 1 < argc) {
      rc = cli_parse_double(argv[++i], "--duration", &run_for) ? CLI_USAGE : CLI_OK;
      continue;
    }
    int r = cli_motion_arg(&cm, argc, argv, &i);
    if (r < 0) {
      rc = CLI_USAGE;
      break;
    }
    if (r > 0) {
      continue;
    }
    if (strcmp(a, "--watch") == 0) {
      watch = 1;
      continue;
    }
    if (strcmp(a, "--realtime") == 0) {
      realtime = 1;
      continue;
    }
    if (strcmp(a, "--quiet") == 0) {
      quiet = 1;
      continue;
    }
    if (strcmp(a, "--sim") == 0) {
      simulate = 1;
      continue;
    }
    if (strcmp(a, "--help") == 0) {
      usage_play();
      cli_motion_deinit(&cm);
      return CLI_OK;
    }
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (v == NULL) {
      rc = cli_usage_error("play: unknown option or missing value '%s'", a);
      break;
    }
    i++;
    if (strcmp(a, "--to") == 0) {
      if (nto == MAX_TO) {
        rc = cli_usage_error("play: at most %d --to", MAX_TO);
      } else {
        to[nto++] = v;
      }
    } else if (strcmp(a, "--dialect") == 0) {
      dialect = v;
    } else if (strcmp(a, "--coords") == 0) {
      coords = v;
    } else if (strcmp(a, "--rate") == 0) {
      rc = cli_parse_double(v, "--rate", &out_rate) ? CLI_USAGE : CLI_OK;
    } else if (strcmp(a, "--for") == 0) {
      rc = cli_parse_double(v, "--for", &run_for) ? CLI_USAGE : CLI_OK;
    } else if (strcmp(a, "--tick-rate") == 0) {
      rc = cli_parse_double(v, "--tick-rate", &tick_rate) ? CLI_USAGE : CLI_OK;
    } else if (strcmp(a, "--control") == 0) {
      rc = cli_parse_double(v, "--control", &control_port) ? CLI_USAGE : CLI_OK;
    } else if (strcmp(a, "--metrics") == 0) {
      metrics_path = v;
    } else if (strcmp(a, "--metrics-port") == 0) {
      rc = cli_parse_double(v, "--metrics-port", &metrics_port) ? CLI_USAGE : CLI_OK;
    } else if (strcmp(a, "--phase-offset") == 0) {
      rc = cli_parse_double(v, "--phase-offset", &phase) ? CLI_USAGE : CLI_OK;
      spec.phase_offset = phase;
    } else if (strcmp(a, "--mode") == 0) {
      ha_error err;
      ha_status st = ha_group_mode_parse(v, &spec.mode, &err);
      rc = st == HA_OK ? CLI_OK : cli_report(&err, st);
    } else if (strcmp(a, "--track") == 0 || strcmp(a, "--tracks") == 0) {
      const char *s = v;
      while (*s && rc == CLI_OK) {
        char *end = NULL;
        long n = strtol(s, &end, 10);
        if (end == s || n < 1 || n > 65535 || ntracks == 1024) {
          rc = cli_usage_error("--track: '%s' is not a list of track numbers 1..65535", v);
          break;
        }
        tracks[ntracks++] = (uint32_t)n;
        s = *end == ',' ? end + 1 : end;
        if (*end != ',' && *end != '\0') {
          rc = cli_usage_error("--track: '%s' is not a list of track numbers", v);
        }
      }
    } else {
      rc = cli_usage_error("play: unknown option '%s'", a);
    }
  }
  if (rc != CLI_OK) {
    cli_motion_deinit(&cm);
    return rc;
  }
  if (show_path == NULL && cm.model == NULL) {
    usage_play();
    cli_motion_deinit(&cm);
    return cli_usage_error("play: give a SHOW.json or --model NAME");
  }
  if (cm.model != NULL && ntracks == 0) {
    tracks[ntracks++] = 1;
  }
  if (!(tick_rate >= 1 && tick_rate <= 2000)) {
    cli_motion_deinit(&cm);
    return cli_usage_error("--tick-rate: %g is not in [1, 2000]", tick_rate);
  }

  play_ctx ctx;
  memset(&ctx, 0, sizeof(ctx));
  ctx.quiet = quiet;
  ctx.show_path = show_path;
  ha_error err;
  ha_error_clear(&err);
  ha_status st = HA_OK;
  if (show_path != NULL) {
    ha_diags *diags = NULL;
    ha_diags_create(&diags);
    st = ha_show_load_file(show_path, &ctx.show, diags);
    for (size_t i = 0; i < ha_diags_count(diags); i++) {
      char line[1024];
      ha_diag_format(ha_diags_at(diags, i), line, sizeof(line));
      fprintf(stderr, "%s\n", line);
    }
    ha_diags_destroy(diags);
    if (st != HA_OK) {
      cli_motion_deinit(&cm);
      return st == HA_EIO ? CLI_FAIL : CLI_USAGE;
    }
  } else {
    rc = cli_motion_create(&cm, &ctx.model_template);
    if (rc != CLI_OK) {
      cli_motion_deinit(&cm);
      return rc;
    }
    ctx.model_tracks = tracks;
    ctx.model_ntracks = ntracks;
    ctx.model_spec = spec;
  }

  ha_player_config pc = ha_player_config_default();
  pc.tick_rate = tick_rate;
  pc.realtime = realtime != 0;
  pc.lock_memory = realtime != 0;
  if (ctx.show != NULL) {
    pc = ha_show_player_config(ctx.show, &pc);
  }
  st = ha_player_create(&pc, &ctx.player, &err);
  if (st == HA_OK && ctx.show != NULL && simulate) {
    /* --sim: the show's tracks, but the built-in device instead of its outputs. */
    size_t nt = 0;
    const ha_show_track *tr = ha_show_tracks(ctx.show, &nt);
    for (size_t i = 0; i < nt && st == HA_OK; i++) {
      st = ha_player_add_track(ctx.player, tr[i].id, tr[i].position, &err);
    }
  } else if (st == HA_OK && ctx.show != NULL) {
    st = ha_show_player_setup(ctx.show, ctx.player, &err);
  } else if (st == HA_OK) {
    for (size_t i = 0; i < ntracks && st == HA_OK; i++) {
      st = ha_player_add_track(ctx.player, tracks[i], ha_vec3_zero(), &err);
    }
  }
  /* --to outputs */
  for (size_t i = 0; i < nto && st == HA_OK; i++) {
    char host[256];
    int port = 4003;
    if (parse_hostport(to[i], host, sizeof(host), &port) != 0) {
      rc = cli_usage_error("--to: '%s' is not HOST[:PORT]", to[i]);
      st = HA_EINVAL;
      break;
    }
    ha_output_config oc = ha_output_config_default();
    oc.host = host;
    oc.port = port;
    if (dialect != NULL) {
      st = ha_output_dialect_parse(dialect, &oc.dialect, &err);
    }
    if (st == HA_OK && coords != NULL) {
      st = ha_output_coords_parse(coords, &oc.coords, &err);
    }
    if (oc.dialect == HA_DIALECT_ADM_OSC) {
      oc.azimuth_sign = HA_AZIMUTH_COUNTERCLOCKWISE;
    }
    if (out_rate > 0) {
      oc.rate_hz = out_rate;
    }
    if (st == HA_OK) {
      st = ha_player_add_output(ctx.player, &oc, NULL, &err);
    }
  }
  /* No destination at all: the built-in simulated device. */
  ha_devsim *sim = NULL;
  if (st == HA_OK && ha_player_output_count(ctx.player) == 0) {
    ha_devsim_config dc = ha_devsim_config_default();
    dc.port = 0;
    dc.tracks = 1024;
    st = ha_devsim_start(&dc, &sim, &err);
    if (st == HA_OK) {
      ha_output_config oc = ha_output_config_default();
      oc.host = "127.0.0.1";
      oc.port = ha_devsim_port(sim);
      st = ha_player_add_output(ctx.player, &oc, NULL, &err);
      if (!quiet) {
        fprintf(stderr, "holoanim: no output given: simulated device on 127.0.0.1:%u\n",
                (unsigned)oc.port);
      }
    }
  }
  ha_control *control = NULL;
  int cport = control_port >= 0 ? (int)control_port : -1;
  if (cport < 0 && ctx.show != NULL && ha_show_control_get(ctx.show)->port > 0) {
    cport = ha_show_control_get(ctx.show)->port;
  }
  if (st == HA_OK && cport >= 0) {
    ha_control_config cc = ha_control_config_default();
    cc.port = (uint16_t)cport;
    if (ctx.show != NULL) {
      cc.allow = ha_show_control_get(ctx.show)->allow;
      cc.allow_count = ha_show_control_get(ctx.show)->allow_count;
    }
    ha_control_handlers h = {&ctx, on_action, on_track_position};
    st = ha_control_start(&cc, &h, &control, &err);
    if (st == HA_OK && !quiet) {
      fprintf(stderr, "holoanim: remote control on 127.0.0.1:%u\n",
              (unsigned)ha_control_port(control));
    }
  }
  ha_metrics_server *msrv = NULL;
  if (st == HA_OK && metrics_port >= 0) {
    st = ha_metrics_http_start(ha_player_metrics(ctx.player), "127.0.0.1", (uint16_t)metrics_port,
                               &msrv, &err);
  }
  if (st == HA_OK) {
    st = ha_player_start(ctx.player, &err);
  }
  if (st == HA_OK) {
    st = start_content(&ctx, &err);
  }
  if (st != HA_OK) {
    if (rc == CLI_OK) {
      rc = cli_report(&err, st);
    }
    ha_control_stop(control);
    ha_metrics_http_stop(msrv);
    ha_player_destroy(ctx.player);
    ha_devsim_stop(sim);
    ha_show_destroy(ctx.show);
    ha_motion_destroy(ctx.model_template);
    cli_motion_deinit(&cm);
    return rc;
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  double start = ha_monotonic_now(), last_status = start, last_metrics = start;
  uint64_t last_msgs = 0, last_ticks = 0;
  long long mtime = show_path ? mtime_of(show_path) : 0;
  int ended = 0;
  while (!interrupted && !ended) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    double now = ha_monotonic_now();
    ha_player_event ev;
    while (ha_player_poll_event(ctx.player, &ev) == HA_OK) {
      if (ev.type == HA_EVENT_SHOW_ENDED && run_for <= 0) {
        ended = 1;
      }
      if (!quiet) {
        print_event(&ev);
      }
    }
    if (run_for > 0 && now - start >= run_for) {
      break;
    }
    if (watch && show_path != NULL) {
      long long m = mtime_of(show_path);
      if (m != 0 && m != mtime) {
        mtime = m;
        ha_diags *diags = NULL;
        ha_diags_create(&diags);
        ha_show *fresh = NULL;
        ha_status ls = ha_show_load_file(show_path, &fresh, diags);
        if (ls == HA_OK) {
          /* Running groups switch to their new parameters with a blend. */
          size_t ng = 0;
          const ha_show_group *g = ha_show_groups(fresh, &ng);
          for (size_t i = 0; i < ng; i++) {
            ha_motion *mo = NULL;
            if (ha_show_animation_motion(fresh, g[i].animation, &mo, NULL) == HA_OK) {
              ha_player_update_animation(ctx.player, (uint32_t)i, mo);
            }
          }
          /* Motions own their data: nothing the player runs points into the
           * old show, so it can go. */
          ha_show_destroy(ctx.show);
          ctx.show = fresh;
          fprintf(stderr, "\nholoanim: reloaded %s\n", show_path);
        } else {
          fprintf(stderr,
                  "\nholoanim: %s changed but is invalid; still playing the previous "
                  "version:\n",
                  show_path);
          for (size_t i = 0; i < ha_diags_count(diags); i++) {
            char line[1024];
            ha_diag_format(ha_diags_at(diags, i), line, sizeof(line));
            fprintf(stderr, "  %s\n", line);
          }
        }
        ha_diags_destroy(diags);
      }
    }
    if (metrics_path != NULL && now - last_metrics >= 1.0) {
      last_metrics = now;
      if (write_metrics_file(ctx.player, metrics_path) != 0 && !quiet) {
        fprintf(stderr, "\nholoanim: cannot write %s: %s\n", metrics_path, strerror(errno));
      }
    }
    if (!quiet && now - last_status >= 0.5) {
      ha_player_status ps;
      ha_player_get_status(ctx.player, &ps);
      uint64_t msgs = 0, errors = 0;
      for (size_t o = 0; o < ha_player_output_count(ctx.player); o++) {
        ha_output_stats os;
        ha_output_get_stats(ha_player_output(ctx.player, o), &os);
        msgs += os.messages;
        errors +=
            os.err_refused + os.err_unreachable + os.err_again + os.err_other + os.short_sends;
      }
      double dt = now - last_status;
      fprintf(stderr,
              "\r t=%8.2fs %s  ticks %6.1f/s  late %llu  msgs %7.0f/s  errors %llu  "
              "conflicts %llu   ",
              ps.time, ps.playing ? "playing" : "paused ", (double)(ps.ticks - last_ticks) / dt,
              (unsigned long long)ps.late_ticks, (double)(msgs - last_msgs) / dt,
              (unsigned long long)errors, (unsigned long long)ps.conflicts);
      last_msgs = msgs;
      last_ticks = ps.ticks;
      last_status = now;
    }
  }
  ha_control_stop(control);
  ha_player_shutdown(ctx.player); /* flushes every output */
  if (metrics_path != NULL) {
    write_metrics_file(ctx.player, metrics_path);
  }
  ha_player_status ps;
  ha_player_get_status(ctx.player, &ps);
  if (!quiet) {
    fprintf(stderr, "\nholoanim: stopped at t=%.2fs after %llu ticks (%llu late)\n", ps.time,
            (unsigned long long)ps.ticks, (unsigned long long)ps.late_ticks);
    for (size_t o = 0; o < ha_player_output_count(ctx.player); o++) {
      ha_output_stats os;
      const ha_output *out = ha_player_output(ctx.player, o);
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
  ha_metrics_http_stop(msrv);
  ha_player_destroy(ctx.player);
  ha_devsim_stop(sim);
  ha_show_destroy(ctx.show);
  ha_motion_destroy(ctx.model_template);
  cli_motion_deinit(&cm);
  return CLI_OK;
}
