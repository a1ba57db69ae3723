/* holoanim discover: list the tracks of a Holophonix processor (or devsim)
 * as a table or as JSON, through ha_discover. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_net.h"

static void discover_print_json_string(const char *s) {
  putchar('"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      printf("\\%c", *p);
    } else if (*p < 0x20) {
      printf("\\u%04x", *p);
    } else {
      putchar(*p);
    }
  }
  putchar('"');
}

static void discover_print_json(const cli_hostport *dest, int complete,
                                const ha_discovered_track *res, size_t n) {
  printf("{\"host\":");
  discover_print_json_string(dest->host);
  printf(",\"port\":%d,\"complete\":%s,\"tracks\":[", dest->port, complete ? "true" : "false");
  for (size_t i = 0; i < n; i++) {
    printf("%s{\"index\":%u,\"name\":", i ? "," : "", (unsigned)res[i].index);
    discover_print_json_string(res[i].name);
    if (res[i].has_position) {
      printf(",\"x\":%.9g,\"y\":%.9g,\"z\":%.9g}", res[i].position.x, res[i].position.y,
             res[i].position.z);
    } else {
      printf(",\"x\":null,\"y\":null,\"z\":null}");
    }
  }
  printf("]}\n");
}

static void discover_print_table(const cli_hostport *dest, const ha_discovered_track *res,
                                 size_t n) {
  printf("%5s  %-24s %10s %10s %10s\n", "track", "name", "x", "y", "z");
  for (size_t i = 0; i < n; i++) {
    printf("%5u  %-24s ", (unsigned)res[i].index, res[i].name);
    if (res[i].has_position) {
      printf("%10.3f %10.3f %10.3f\n", res[i].position.x, res[i].position.y, res[i].position.z);
    } else {
      printf("%10s %10s %10s\n", "-", "-", "-");
    }
  }
  char where[300];
  cli_hostport_format(where, sizeof where, dest->host, (unsigned)dest->port);
  fprintf(stderr, "holoanim: %zu track%s on %s\n", n, n == 1 ? "" : "s", where);
}

static const cli_command discover_command = {
    "discover",
    "discover HOST[:PORT] [--listen PORT] [--timeout MS] [--max N] [--json]",
    "Probe /get \"/track/n/name\" for n = 1, 2, ... until the device answers /error,\n"
    "then read each track's position. PORT defaults to 4003 (IPv6: [::1]:4003 or ::1);\n"
    "queries leave from and replies are awaited on --listen PORT. --timeout is the\n"
    "wait for one reply before asking again (3 attempts).",
    "HOST[:PORT]",
    1,
    "HOST[:PORT] is required"};

int cmd_discover(int argc, char **argv) {
  const char *target = NULL;
  size_t ntargets = 0;
  long listen = 0, timeout = 300, max = 1024;
  int json = 0;
  cli_opt opts[] = {
      {CLI_INT("listen", "PORT", "local UDP port, 0..65535 (0: any free port)", "0", &listen, 0,
               65535)},
      {CLI_INT("timeout", "MS", "wait for one reply, 1..60000 ms", "300", &timeout, 1, 60000)},
      {CLI_INT("max", "N", "most tracks to list, 1..65535", "1024", &max, 1, 65535)},
      {CLI_FLAG("json", "JSON on stdout instead of a table", &json)},
  };
  int rc = cli_parse(&discover_command, opts, sizeof opts / sizeof opts[0], argc, argv, &target,
                     &ntargets);
  if (rc != CLI_CONTINUE) {
    return rc;
  }
  cli_hostport dest;
  if (cli_hostport_parse(target, 4003, &dest) != 0) {
    return cli_usage_error(
        "discover: '%s' is not HOST[:PORT] (a port in 1..65535; [::1]:PORT for IPv6)", target);
  }
  ha_discovered_track *res = calloc((size_t)max, sizeof *res);
  if (res == NULL) {
    return cli_fail("out of memory");
  }
  size_t n = 0;
  ha_error err;
  ha_error_clear(&err);
  ha_status st =
      ha_discover(dest.host, dest.port, (int)listen, (int)timeout, res, (size_t)max, &n, &err);
  if (st != HA_OK && st != HA_ENOBUFS) {
    free(res);
    if (st == HA_ENOTFOUND) { /* no answer: a runtime failure, not bad input */
      fprintf(stderr, "holoanim: %s\n", err.message);
      return CLI_FAIL;
    }
    return cli_report(&err, st);
  }
  if (json) {
    discover_print_json(&dest, st == HA_OK, res, n);
  } else {
    discover_print_table(&dest, res, n);
  }
  if (st == HA_ENOBUFS) {
    fprintf(stderr, "holoanim: the device has more than %ld tracks; raise --max\n", max);
  }
  free(res);
  return CLI_OK;
}
