/* holoanim CLI: the show-file commands (tools/cli_show.c).
 *
 * Each takes the subcommand's own argv (argv[0] is the subcommand name) and
 * returns the exit code: 0 ok, 1 runtime failure (I/O), 2 bad input. */
#ifndef HOLOANIM_CLI_SHOW_H
#define HOLOANIM_CLI_SHOW_H

#include "holoanim.h"

/* True when `arg` names a show file (ends in ".json"): `eval` and `render`
 * hand over to the show versions below when their first argument is one. */
int cli_show_is_show_file(const char *arg);

/* Load a show, printing its diagnostics on stderr and, when it fails, a
 * "PATH: N errors, M warnings" line. Returns 0 with *out, 1 for an I/O (or
 * memory) failure, 2 for an invalid show. */
int cli_show_load(const char *path, ha_show **out);

/* holoanim validate SHOW.json [--json]
 * Diagnostics (warnings too) on stderr, one per line; "ok: ..." on stdout.
 * Exit 2 when the show is invalid. --json: the diagnostics as a JSON array
 * on stdout instead. */
int cli_show_validate(int argc, char **argv);

/* holoanim import PROJECT.hpx [-o SHOW.json]
 * Warnings for everything not mapped on stderr; the show (canonical text)
 * to SHOW.json (atomically, keeping a .bak) or stdout. */
int cli_show_import(int argc, char **argv);

/* holoanim eval SHOW.json [--from A] [--to B] [--rate HZ] [--format csv|json]
 *                         [--cue N@T]...
 * Every track of the show, sampled offline: CSV columns t,track,x,y,z. */
int cli_show_eval(int argc, char **argv);

/* holoanim render SHOW.json -o FILE.svg [--from A] [--to B] [--rate HZ]
 *                           [--title T] [--cue N@T]...
 * Every track's path, coloured per track, with the venue box. */
int cli_show_render(int argc, char **argv);

#endif
