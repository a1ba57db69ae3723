/* holoanim: command-line entry point and subcommand dispatch. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_net.h"
#include "cli_show.h"

int cli_usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("holoanim: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return CLI_USAGE;
}

int cli_report(const ha_error *err, ha_status st) {
  const char *msg = err != NULL && err->message[0] != '\0' ? err->message : ha_strerror(st);
  fprintf(stderr, "holoanim: %s\n", msg);
  int input = st == HA_EINVAL || st == HA_ERANGE || st == HA_EPARSE || st == HA_ENOTFOUND;
  return input ? CLI_USAGE : CLI_FAIL;
}

int cli_parse_double(const char *s, const char *what, double *out) {
  char *end = NULL;
  double v = s ? strtod(s, &end) : 0.0;
  if (s == NULL || end == s || *end != '\0' || !isfinite(v)) {
    cli_usage_error("%s: '%s' is not a finite number", what, s ? s : "");
    return -1;
  }
  *out = v;
  return 0;
}

void cli_motion_init(cli_motion *m) {
  memset(m, 0, sizeof(*m));
  m->timing = ha_timing_default();
  if (ha_params_create(&m->params) != HA_OK) {
    fputs("holoanim: out of memory\n", stderr);
    exit(CLI_FAIL);
  }
}

void cli_motion_deinit(cli_motion *m) {
  ha_params_destroy(m->params);
}

int cli_motion_arg(cli_motion *m, int argc, char **argv, int *i) {
  const char *a = argv[*i];
  if (strcmp(a, "--model") != 0 && strcmp(a, "--param") != 0 && strcmp(a, "--duration") != 0 &&
      strcmp(a, "--loop") != 0 && strcmp(a, "--speed") != 0) {
    return 0;
  }
  if (*i + 1 >= argc) {
    cli_usage_error("%s needs a value", a);
    return -1;
  }
  const char *v = argv[++*i];
  ha_error err;
  ha_status st = HA_OK;
  if (strcmp(a, "--model") == 0) {
    m->model = v;
  } else if (strcmp(a, "--param") == 0) {
    st = ha_params_set_assignment(m->params, v, &err);
  } else if (strcmp(a, "--duration") == 0) {
    m->timing_given = 1;
    if (cli_parse_double(v, "--duration", &m->timing.duration) != 0) {
      return -1;
    }
  } else if (strcmp(a, "--speed") == 0) {
    m->timing_given = 1;
    if (cli_parse_double(v, "--speed", &m->timing.speed) != 0) {
      return -1;
    }
  } else {
    m->timing_given = 1;
    st = ha_loop_mode_parse(v, &m->timing.loop, &err);
  }
  if (st != HA_OK) {
    cli_report(&err, st);
    return -1;
  }
  return 1;
}

int cli_motion_create(const cli_motion *m, ha_motion **out) {
  if (m->model == NULL) {
    return cli_usage_error("--model NAME is required (see 'holoanim models')");
  }
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha_motion_create(m->model, m->params, &m->timing, out, &err);
  if (st != HA_OK) {
    return cli_report(&err, st);
  }
  return CLI_OK;
}

static void usage(FILE *f) {
  fputs(
      "usage: holoanim <command> [options]\n"
      "\n"
      "commands:\n"
      "  models [--json]                      list every model and its parameters\n"
      "  eval --model NAME [--param k=v]...   positions of a motion at given times\n"
      "       [--duration T] [--loop once|loop|pingpong] [--speed S]\n"
      "       (--t t1,t2,... | --from A --to B --step S) [--format csv|json]\n"
      "       [--track N] [--shift S]\n"
      "  render --model NAME ... -o FILE.svg  draw the trajectory (top and side views)\n"
      "       [--from A --to B] [--samples N]\n"
      "  eval SHOW.json --from A --to B --rate HZ [--format csv|json]   a whole show offline\n"
      "  render SHOW.json -o FILE.svg         every track's path, coloured per track\n"
      "  play [SHOW.json | --model NAME ...]  stream positions in real time (see play --help)\n"
      "  devsim [--port 4003] [--tracks 64] [--record FILE.csv] [--push HOST:PORT] [--quiet]\n"
      "                                       a simulated Holophonix processor\n"
      "  discover HOST[:PORT] [--listen PORT] [--json]   list a device's tracks\n"
      "  validate SHOW.json                   check a show; every problem with line:column\n"
      "  import PROJECT.hpx -o SHOW.json      convert an original Animator project\n"
      "\n"
      "Vectors are written x,y,z (e.g. --param center=1,2,0); lists of points\n"
      "x,y,z;x,y,z;...; keyframes t:x,y,z[:easing];...\n",
      f);
}

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_USAGE : CLI_OK;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "models") == 0) {
    return cmd_models(argc - 1, argv + 1);
  }
  int show_arg = argc > 2 && cli_show_is_show_file(argv[2]);
  if (strcmp(cmd, "eval") == 0) {
    return show_arg ? cli_show_eval(argc - 1, argv + 1) : cmd_eval(argc - 1, argv + 1);
  }
  if (strcmp(cmd, "render") == 0) {
    return show_arg ? cli_show_render(argc - 1, argv + 1) : cmd_render(argc - 1, argv + 1);
  }
  if (strcmp(cmd, "validate") == 0) {
    return cli_show_validate(argc - 1, argv + 1);
  }
  if (strcmp(cmd, "import") == 0) {
    return cli_show_import(argc - 1, argv + 1);
  }
  if (strcmp(cmd, "devsim") == 0) {
    return cmd_devsim(argc - 1, argv + 1);
  }
  if (strcmp(cmd, "discover") == 0) {
    return cmd_discover(argc - 1, argv + 1);
  }
  if (strcmp(cmd, "play") == 0) {
    return cmd_play(argc - 1, argv + 1);
  }
  usage(stderr);
  return cli_usage_error("unknown command '%s'", cmd);
}
