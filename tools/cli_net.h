/* holoanim CLI: the network subcommands (devsim, discover) and their shared
 * argument helpers. Public headers only. */
#ifndef HOLOANIM_CLI_NET_H
#define HOLOANIM_CLI_NET_H

#include <stddef.h>

/* holoanim devsim [--port 4003] [--bind 127.0.0.1] [--tracks 64]
 *   [--record file.csv] [--push HOST:PORT]... [--adm-scale M]
 *   [--azimuth cw|ccw] [--quiet]
 * Runs until SIGINT/SIGTERM. Prints "devsim: listening on HOST:PORT ..." on
 * stdout first (so scripts can use --port 0). */
int cmd_devsim(int argc, char **argv);

/* holoanim discover HOST[:PORT] [--listen PORT] [--timeout MS] [--max N]
 *   [--json] */
int cmd_discover(int argc, char **argv);

/* "host:port", "[v6::addr]:port", or "host" alone (port = default_port; a
 * default_port of −1 makes the port mandatory). 0 ok, −1 malformed. */
int cli_net_hostport(const char *s, int default_port, char *host, size_t cap, int *port);

/* A whole decimal integer in [lo, hi]; 0 ok, −1 (printed, naming `what`). */
int cli_net_parse_int(const char *s, const char *what, long lo, long hi, long *out);

#endif
