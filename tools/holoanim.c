/* holoanim: command-line entry point and subcommand dispatch (one table),
 * plus the helpers every subcommand shares that are not about parsing
 * (tools/cli_args.c has those): error reporting, the --model motion, show
 * diagnostics and the Ctrl-C flag. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_net.h"
#include "cli_show.h"

int cli_report(const ha_error *err, ha_status st) {
  const char *msg = err != NULL && err->message[0] != '\0' ? err->message : ha_strerror(st);
  fprintf(stderr, "holoanim: %s\n", msg);
  int input = st == HA_EINVAL || st == HA_ERANGE || st == HA_EPARSE || st == HA_ENOTFOUND;
  return input ? CLI_USAGE : CLI_FAIL;
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

int cli_motion_param(void *ctx, const char *value) {
  cli_motion *m = ctx;
  ha_error err;
  ha_status st = ha_params_set_assignment(m->params, value, &err);
  m->params_given = 1;
  if (st != HA_OK) {
    cli_report(&err, st);
    return CLI_USAGE; /* a bad value on the command line, whatever the status */
  }
  return CLI_OK;
}

int cli_motion_loop(void *ctx, const char *value) {
  cli_motion *m = ctx;
  ha_error err;
  ha_status st = ha_loop_mode_parse(value, &m->timing.loop, &err);
  m->loop_given = 1;
  if (st != HA_OK) {
    cli_report(&err, st);
    return CLI_USAGE; /* a bad value on the command line, whatever the status */
  }
  return CLI_OK;
}

int cli_motion_seam(void *ctx, const char *value) {
  cli_motion *m = ctx;
  ha_error err;
  ha_status st = ha_seam_parse(value, &m->timing.seam, &err);
  m->seam_given = 1;
  if (st != HA_OK) {
    cli_report(&err, st);
    return CLI_USAGE;
  }
  return CLI_OK;
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

void cli_print_diags(const ha_diags *d, const char *indent) {
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    char line[1024];
    ha_diag_format(ha_diags_at(d, i), line, sizeof(line));
    fprintf(stderr, "%s%s\n", indent, line);
  }
}

/* The one process-wide flag: a signal handler can reach nothing else. */
static volatile sig_atomic_t cli_stop_flag;

static void cli_on_stop_signal(int sig) {
  (void)sig;
  cli_stop_flag = 1;
}

void cli_catch_stop_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = cli_on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

int cli_stop_requested(void) {
  return cli_stop_flag != 0;
}

/* SIGHUP's flag, set by the handler, cleared by the poll. */
static volatile sig_atomic_t cli_reload_flag;

static void cli_on_reload_signal(int sig) {
  (void)sig;
  cli_reload_flag = 1;
}

void cli_catch_reload_signal(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = cli_on_reload_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGHUP, &sa, NULL);
}

int cli_reload_requested(void) {
  if (cli_reload_flag == 0) {
    return 0;
  }
  cli_reload_flag = 0;
  return 1;
}

static void cli_print_overview(FILE *f) {
  fputs(
      "usage: holoanim <command> [options]\n"
      "\n"
      "commands:\n"
      "  models [--json]                      list every model and its parameters\n"
      "  eval --model NAME [--param k=v]...   positions of a motion at given times\n"
      "       [--duration T] [--loop once|loop|pingpong] [--seam blend|cut] [--speed S]\n"
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
      "'holoanim <command> --help' lists a command's options; 'holoanim --version' the version.\n"
      "Vectors are written x,y,z (e.g. --param center=1,2,0); lists of points\n"
      "x,y,z;x,y,z;...; keyframes t:x,y,z[:easing];... HOST may be a name, an\n"
      "IPv4 address or an IPv6 address ([::1]:4003 with a port).\n",
      f);
}

/* eval and render read a show when one of their operands is a .json file. */
typedef struct cli_subcommand {
  const char *name;
  int (*run)(int argc, char **argv);
  int (*run_show)(int argc, char **argv); /* NULL: no show form */
} cli_subcommand;

static const cli_subcommand cli_subcommands[] = {
    {"models", cmd_models, NULL},
    {"eval", cmd_eval, cli_show_eval},
    {"render", cmd_render, cli_show_render},
    {"validate", cli_show_validate, NULL},
    {"import", cli_show_import, NULL},
    {"devsim", cmd_devsim, NULL},
    {"discover", cmd_discover, NULL},
    {"play", cmd_play, NULL},
};

/* True when a subcommand's arguments (argv[0] is the subcommand) have a show
 * file among their operands, wherever it stands. Every option of eval and
 * render but -h/--help takes a value, so an option written without '='
 * (or a bare -o) owns the next argument; "--" ends the options. */
static int cli_has_show_operand(int argc, char **argv) {
  int options = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (options && strcmp(a, "--") == 0) {
      options = 0;
    } else if (options && a[0] == '-' && a[1] != '\0') {
      int alone = strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0 ||
                  (a[1] == '-' ? strchr(a, '=') != NULL : a[2] != '\0');
      i += alone ? 0 : 1; /* skip the option's value */
    } else if (cli_show_is_show_file(a)) {
      return 1;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    cli_print_overview(argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_USAGE : CLI_OK;
  }
  if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
    printf("holoanim %s\n", HA_VERSION);
    return CLI_OK;
  }
  const char *cmd = argv[1];
  for (size_t i = 0; i < sizeof cli_subcommands / sizeof cli_subcommands[0]; i++) {
    const cli_subcommand *c = &cli_subcommands[i];
    if (strcmp(cmd, c->name) == 0) {
      int show = c->run_show != NULL && cli_has_show_operand(argc - 1, argv + 1);
      return (show ? c->run_show : c->run)(argc - 1, argv + 1);
    }
  }
  cli_print_overview(stderr);
  return cli_usage_error("unknown command '%s'", cmd);
}
