/* The holoanim command line: shared helpers of the subcommands. Only public
 * headers: if the CLI needs something, the library API offers it. */
#ifndef HOLOANIM_CLI_H
#define HOLOANIM_CLI_H

#include <stdio.h>

#include "holoanim.h"

/* Exit codes: 0 ok, 1 runtime failure (I/O, network), 2 bad input/usage. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Print "holoanim: <message>" on stderr (one line) and return CLI_USAGE. */
int cli_usage_error(const char *fmt, ...);
/* Print the error's message and return 2 for input errors, 1 otherwise. */
int cli_report(const ha_error *err, ha_status st);

/* Options that describe one motion on the command line. */
typedef struct cli_motion {
  const char *model;
  ha_params *params;
  ha_timing timing;
  int timing_given; /* --duration/--loop/--speed seen */
} cli_motion;

void cli_motion_init(cli_motion *m);
void cli_motion_deinit(cli_motion *m);
/* Consume argv[*i] (and its value) when it is --model/--param/--duration/
 * --loop/--speed. Returns 1 consumed, 0 not ours, −1 error (printed). */
int cli_motion_arg(cli_motion *m, int argc, char **argv, int *i);
/* Build the motion; prints the error and returns 2 on failure. */
int cli_motion_create(const cli_motion *m, ha_motion **out);

/* Parse a finite double; 0 ok, −1 (printed, naming `what`) on error. */
int cli_parse_double(const char *s, const char *what, double *out);

int cmd_models(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_play(int argc, char **argv);

#endif
