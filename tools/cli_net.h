/* holoanim CLI: the network subcommands (devsim, discover).
 * HOST:PORT parsing is cli_hostport_parse (cli.h). Public headers only. */
#ifndef HOLOANIM_CLI_NET_H
#define HOLOANIM_CLI_NET_H

/* holoanim devsim [--port 4003] [--bind 127.0.0.1] [--tracks 64]
 *   [--record file.csv] [--push HOST:PORT]... [--adm-scale M]
 *   [--azimuth cw|ccw] [--quiet]
 * Runs until SIGINT/SIGTERM. Prints "devsim: listening on HOST:PORT ..." on
 * stdout first (so scripts can use --port 0). */
int cmd_devsim(int argc, char **argv);

/* holoanim discover HOST[:PORT] [--listen PORT] [--timeout MS] [--max N]
 *   [--json] */
int cmd_discover(int argc, char **argv);

#endif
