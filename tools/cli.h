/* The holoanim command line: shared helpers of the subcommands. Only public
 * headers: if the CLI needs something, the library API offers it.
 *
 * Every subcommand describes its options in one table of cli_opt rows;
 * cli_parse (tools/cli_args.c) runs getopt_long over that table, converts and
 * range-checks the values into the command's variables and prints --help
 * from the same rows, so the help cannot drift from what is accepted. */
#ifndef HOLOANIM_CLI_H
#define HOLOANIM_CLI_H

#include <stdio.h>

#include "holoanim.h"
#include "svg.h"

/* Exit codes: 0 ok, 1 runtime failure (I/O, network), 2 bad input/usage. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

/* Print "holoanim: <message>" on stderr (one line) and return CLI_USAGE. */
int cli_usage_error(const char *fmt, ...) CLI_PRINTF(1, 2);
/* The same for a runtime failure (out of memory, a write that failed):
 * returns CLI_FAIL. */
int cli_fail(const char *fmt, ...) CLI_PRINTF(1, 2);
/* Whether a file can be written at `path` later (its directory exists and
 * is writable; the path is not a directory), so that a run fails before it
 * starts rather than after; CLI_OK, or CLI_USAGE printed naming `option`. */
int cli_check_output_path(const char *option, const char *path);
/* Print the error's message and return 2 for input errors, 1 otherwise. */
int cli_report(const ha_error *err, ha_status st);

/* ---- option tables ---- */

typedef enum cli_opt_type {
  CLI_OPT_FLAG,   /* dest int *: set to 1 */
  CLI_OPT_STRING, /* dest const char **: the value as given */
  CLI_OPT_NUMBER, /* dest double *: a finite number (in the range, if any) */
  CLI_OPT_INT,    /* dest long *: a whole decimal number in [min, max] */
  CLI_OPT_CHOICE, /* dest int *: index of the value in `choices` ("csv|json") */
  CLI_OPT_CALL    /* call(ctx, value): CLI_OK, or prints and returns CLI_USAGE */
} cli_opt_type;

typedef enum cli_range {
  CLI_RANGE_NONE = 0,
  CLI_RANGE_CLOSED, /* [min, max] */
  CLI_RANGE_ABOVE   /* (min, max] */
} cli_range;

/* One option. Rows are usually written with designated initializers; the
 * fields a type does not use stay zero. */
typedef struct cli_opt {
  const char *name; /* long name without "--" */
  char letter;      /* short letter ('o' for -o), or 0 */
  const char *arg;  /* the value's name in the help ("HZ"); NULL: takes none */
  const char *help; /* one line; NULL hides the row (an alias) */
  const char *def;  /* the default as the help shows it, or NULL */
  cli_opt_type type;
  void *dest;
  int *seen; /* optional: set to 1 when the option is given */
  double min, max;
  cli_range range; /* CLI_OPT_NUMBER only; CLI_OPT_INT is always [min, max] */
  const char *choices;
  int (*call)(void *ctx, const char *value);
  void *ctx;
} cli_opt;

/* Rows in one line each: these expand to a field list, so a row is written
 * {CLI_NUMBER("for", "S", "stop after S seconds", NULL, &run_for), .seen = &given}
 * and may add any other field after the macro. */
#define CLI_FLAG(nm, hlp, d) .name = (nm), .help = (hlp), .type = CLI_OPT_FLAG, .dest = (d)
#define CLI_STRING(nm, a, hlp, df, d) \
  .name = (nm), .arg = (a), .help = (hlp), .def = (df), .type = CLI_OPT_STRING, .dest = (d)
#define CLI_NUMBER(nm, a, hlp, df, d) \
  .name = (nm), .arg = (a), .help = (hlp), .def = (df), .type = CLI_OPT_NUMBER, .dest = (d)
#define CLI_INT(nm, a, hlp, df, d, lo, hi)                                                \
  .name = (nm), .arg = (a), .help = (hlp), .def = (df), .type = CLI_OPT_INT, .dest = (d), \
  .min = (lo), .max = (hi)
#define CLI_CHOICE(nm, a, hlp, df, d, ch)                                                    \
  .name = (nm), .arg = (a), .help = (hlp), .def = (df), .type = CLI_OPT_CHOICE, .dest = (d), \
  .choices = (ch)
#define CLI_CALL(nm, a, hlp, df, fn, cx)                                                    \
  .name = (nm), .arg = (a), .help = (hlp), .def = (df), .type = CLI_OPT_CALL, .call = (fn), \
  .ctx = (cx)

/* A subcommand as its help shows it. */
typedef struct cli_command {
  const char *name;    /* "play" */
  const char *usage;   /* synopsis after "holoanim "; more lines after '\n' */
  const char *about;   /* paragraph printed under the synopsis, or NULL */
  const char *operand; /* the positional argument's name ("SHOW.json"), NULL: none */
  size_t max_operands; /* how many positionals are accepted */
  const char *missing; /* the error (after "NAME: ") when no operand is given;
                          NULL: operands are optional */
} cli_command;

/* cli_parse's answer when the command should go on. */
#define CLI_CONTINUE (-1)

/* Parse argv (argv[0] is the subcommand) against `opts` (n rows; --help/-h
 * are added). Options and operands may come in any order; "--" ends the
 * options. Operands go to operands[0..max_operands) and their count to
 * *noperands (either may be NULL when the command takes none); none at all
 * is an error when cmd->missing says so.
 * Returns CLI_CONTINUE; CLI_OK after printing the help on stdout; or
 * CLI_USAGE after printing an error that names the option and what it
 * accepts. Values are written as each option is seen (the last one wins). */
int cli_parse(const cli_command *cmd, const cli_opt *opts, size_t n, int argc, char **argv,
              const char **operands, size_t *noperands);

/* The help of `cmd` from its table, as `--help` prints it. */
void cli_print_help(FILE *f, const cli_command *cmd, const cli_opt *opts, size_t n);

/* ---- values ---- */

/* A finite double; 0 ok, −1 (printed, naming `what`) on error. */
int cli_parse_double(const char *s, const char *what, double *out);
/* The one reader of whole numbers (CLI_OPT_INT values, --track lists,
 * ports): the n bytes at s as ha_parse_double reads them (decimal, spaces
 * around ignored), and a whole value in [lo, hi]. 0 ok, −1 (nothing printed). */
int cli_parse_whole(const char *s, size_t n, long lo, long hi, long *out);

/* A network destination given as text. */
typedef struct cli_hostport {
  char host[256]; /* a name, an IPv4 address or an IPv6 address without brackets */
  int port;       /* 1..65535 */
} cli_hostport;

/* Split "host", "host:port", "1.2.3.4:port", "[v6::addr]:port", "[v6::addr]"
 * or a bare IPv6 address ("::1", "fe80::1%eth0": every ':' belongs to the
 * address, so the port is the default) into `out`. A missing port takes
 * `default_port`; a default_port of −1 makes the port mandatory. The port is
 * decimal digits only (no sign, no spaces), 1..65535 (cli_parse_whole). Does not resolve names. 0
 * ok, −1 malformed (nothing printed). */
int cli_hostport_parse(const char *s, int default_port, cli_hostport *out);

/* "host:port", or "[v6::addr]:port" when the host is an IPv6 address: the
 * form cli_hostport_parse reads back. Truncated to fit `cap`. */
void cli_hostport_format(char *buf, size_t cap, const char *host, unsigned port);

/* The shortest text that reads back to the same double, as the library
 * writes numbers (ha_format_double), with −0 written "0". */
void cli_format_number(char *buf, size_t cap, double v);

/* ---- one motion on the command line ---- */

typedef struct cli_motion {
  const char *model;
  ha_params *params;
  ha_timing timing;
  /* Which options were given (play refuses them with a show). */
  int duration_given, params_given, loop_given, speed_given, seam_given;
} cli_motion;

void cli_motion_init(cli_motion *m);
void cli_motion_deinit(cli_motion *m);
/* CLI_OPT_CALL handlers of --param K=V, --loop MODE and --seam S; ctx is the
 * cli_motion. */
int cli_motion_param(void *ctx, const char *value);
int cli_motion_loop(void *ctx, const char *value);
int cli_motion_seam(void *ctx, const char *value);
/* Build the motion; prints the error and returns 2 on failure. */
int cli_motion_create(const cli_motion *m, ha_motion **out);

/* The table rows of --model, --param, --duration, --loop, --seam and --speed. */
#define CLI_MOTION_OPTIONS(m, duration_help)                                                      \
  {CLI_STRING("model", "NAME", "the motion's model (see 'holoanim models')", NULL, &(m)->model)}, \
      {CLI_CALL("param", "K=V", "a model parameter, e.g. center=1,2,0 (repeatable)", NULL,        \
                cli_motion_param, (m))},                                                          \
      {CLI_NUMBER("duration", "S", (duration_help), "10", &(m)->timing.duration),                 \
       .seen = &(m)->duration_given},                                                             \
      {CLI_CALL("loop", "MODE", "once | loop | pingpong", "loop", cli_motion_loop, (m))},         \
      {CLI_CALL("seam", "S", "blend | cut: the loop's wrap (docs/models.md)", "blend",            \
                cli_motion_seam, (m))},                                                           \
  {                                                                                               \
    CLI_NUMBER("speed", "X", "playback speed factor", "1", &(m)->timing.speed),                   \
        .seen = &(m)->speed_given                                                                 \
  }

/* ---- shared by the show commands and play ---- */

/* Print every diagnostic, one per line, each after `indent`, on stderr. */
void cli_print_diags(const ha_diags *d, const char *indent);

/* Ask SIGINT and SIGTERM to set a flag (and nothing else), then poll it. */
void cli_catch_stop_signals(void);
int cli_stop_requested(void);

/* Ask SIGHUP to set a flag (a service manager's "reload"); the poll returns
 * 1 once per request and clears it. */
void cli_catch_reload_signal(void);
int cli_reload_requested(void);

/* Write an SVG picture to `path`; prints "render: cannot write/failed
 * writing 'path'" and returns −1 on failure. */
int cli_write_svg(const char *path, const ha_svg_track *tracks, size_t n,
                  const ha_svg_options *opt);

int cmd_models(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_play(int argc, char **argv);

#endif
