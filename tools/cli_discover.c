/* holoanim discover: list the tracks of a Holophonix processor (or devsim)
 * as a table or as JSON, through ha_discover. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_net.h"

int cli_net_hostport(const char *s, int default_port, char *host, size_t cap, int *port) {
  if (s == NULL || s[0] == '\0') {
    return -1;
  }
  const char *colon = NULL;
  size_t hlen;
  const char *hstart = s;
  if (s[0] == '[') { /* [IPv6]:port */
    const char *close = strchr(s, ']');
    if (close == NULL) {
      return -1;
    }
    hstart = s + 1;
    hlen = (size_t)(close - hstart);
    if (close[1] == ':') {
      colon = close + 1;
    } else if (close[1] != '\0') {
      return -1;
    }
  } else {
    colon = strrchr(s, ':');
    if (colon != NULL && strchr(s, ':') != colon) {
      colon = NULL; /* a bare IPv6 address: no port */
    }
    hlen = colon != NULL ? (size_t)(colon - s) : strlen(s);
  }
  if (hlen == 0 || hlen >= cap) {
    return -1;
  }
  memcpy(host, hstart, hlen);
  host[hlen] = '\0';
  if (colon == NULL) {
    if (default_port < 0) {
      return -1;
    }
    *port = default_port;
    return 0;
  }
  char *end = NULL;
  long p = strtol(colon + 1, &end, 10);
  if (end == colon + 1 || *end != '\0' || p < 1 || p > 65535) {
    return -1;
  }
  *port = (int)p;
  return 0;
}

static void discover_usage(FILE *f) {
  fputs(
      "usage: holoanim discover HOST[:PORT] [--listen PORT] [--timeout MS] [--max N]\n"
      "                         [--json]\n"
      "Probe /get \"/track/n/name\" for n = 1, 2, ... until the device answers /error,\n"
      "then read each track's position. PORT defaults to 4003; queries leave from and\n"
      "replies are awaited on --listen PORT (default: any free port). --timeout is the\n"
      "wait for one reply before asking again (default 300 ms, 3 attempts).\n",
      f);
}

static void json_string(const char *s) {
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

int cmd_discover(int argc, char **argv) {
  const char *target = NULL;
  long listen = 0, timeout = 300, max = 1024;
  bool json = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      discover_usage(stdout);
      return CLI_OK;
    }
    if (strcmp(a, "--json") == 0) {
      json = true;
      continue;
    }
    if (a[0] != '-') {
      if (target != NULL) {
        return cli_usage_error("discover: one HOST[:PORT] only ('%s' and '%s')", target, a);
      }
      target = a;
      continue;
    }
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (v == NULL) {
      discover_usage(stderr);
      return cli_usage_error("discover: unknown option or missing value '%s'", a);
    }
    i++;
    int bad = 0;
    if (strcmp(a, "--listen") == 0) {
      bad = cli_net_parse_int(v, "--listen", 0, 65535, &listen);
    } else if (strcmp(a, "--timeout") == 0) {
      bad = cli_net_parse_int(v, "--timeout", 1, 60000, &timeout);
    } else if (strcmp(a, "--max") == 0) {
      bad = cli_net_parse_int(v, "--max", 1, 65535, &max);
    } else {
      discover_usage(stderr);
      return cli_usage_error("discover: unknown option '%s'", a);
    }
    if (bad != 0) {
      return CLI_USAGE;
    }
  }
  if (target == NULL) {
    discover_usage(stderr);
    return cli_usage_error("discover: HOST[:PORT] is required");
  }
  char host[256];
  int port = 0;
  if (cli_net_hostport(target, 4003, host, sizeof host, &port) != 0) {
    return cli_usage_error("discover: '%s' is not HOST[:PORT]", target);
  }
  ha_discovered_track *res = calloc((size_t)max, sizeof *res);
  if (res == NULL) {
    return cli_usage_error("out of memory");
  }
  size_t n = 0;
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha_discover(host, port, (int)listen, (int)timeout, res, (size_t)max, &n, &err);
  if (st != HA_OK && st != HA_ENOBUFS) {
    free(res);
    if (st == HA_ENOTFOUND) { /* no answer: a runtime failure, not bad input */
      fprintf(stderr, "holoanim: %s\n", err.message);
      return CLI_FAIL;
    }
    return cli_report(&err, st);
  }
  if (json) {
    printf("{\"host\":");
    json_string(host);
    printf(",\"port\":%d,\"complete\":%s,\"tracks\":[", port, st == HA_OK ? "true" : "false");
    for (size_t i = 0; i < n; i++) {
      printf("%s{\"index\":%u,\"name\":", i ? "," : "", (unsigned)res[i].index);
      json_string(res[i].name);
      if (res[i].has_position) {
        printf(",\"x\":%.9g,\"y\":%.9g,\"z\":%.9g}", res[i].position.x, res[i].position.y,
               res[i].position.z);
      } else {
        printf(",\"x\":null,\"y\":null,\"z\":null}");
      }
    }
    printf("]}\n");
  } else {
    printf("%5s  %-24s %10s %10s %10s\n", "track", "name", "x", "y", "z");
    for (size_t i = 0; i < n; i++) {
      printf("%5u  %-24s ", (unsigned)res[i].index, res[i].name);
      if (res[i].has_position) {
        printf("%10.3f %10.3f %10.3f\n", res[i].position.x, res[i].position.y, res[i].position.z);
      } else {
        printf("%10s %10s %10s\n", "-", "-", "-");
      }
    }
    fprintf(stderr, "holoanim: %zu track%s on %s:%d\n", n, n == 1 ? "" : "s", host, port);
  }
  if (st == HA_ENOBUFS) {
    fprintf(stderr, "holoanim: the device has more than %ld tracks; raise --max\n", max);
  }
  free(res);
  return CLI_OK;
}
