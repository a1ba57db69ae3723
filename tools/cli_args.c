/* holoanim CLI: the option parser and the value parsers every subcommand
 * shares (option tables, numbers, HOST[:PORT], number formatting).
 *
 * cli_parse builds getopt_long's `struct option` array and short-option
 * string from the command's table on the stack, so the table is the only
 * description of an option: the help is printed from the same rows. The
 * optstring starts with "-:": operands come back in order as code 1 (argv is
 * never permuted, whatever POSIXLY_CORRECT says) and getopt itself prints
 * nothing, so every error names the subcommand and the option our way. Long
 * options are written in full ("--name VALUE" or "--name=VALUE"): getopt_long
 * would take any unambiguous prefix, so "--t" meant "--to" in a command
 * without a --t of its own; cli_parse refuses a prefix as an unknown option.
 *
 * Rejected: a hand-written loop per subcommand (each one spelled its errors
 * and its --help differently, and the help text drifted from the code). */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* More than any subcommand has; cli_parse refuses a larger table. */
#define CLI_MAX_OPTS 48
/* getopt_long values of the long options: index + this, above any letter. */
#define CLI_LONG_BASE 256

/* "holoanim: <message>" on stderr; returns `status`. */
CLI_PRINTF(2, 0) static int cli_say(int status, const char *fmt, va_list ap) {
  fputs("holoanim: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  return status;
}

int cli_usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int st = cli_say(CLI_USAGE, fmt, ap);
  va_end(ap);
  return st;
}

int cli_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int st = cli_say(CLI_FAIL, fmt, ap);
  va_end(ap);
  return st;
}

int cli_parse_double(const char *s, const char *what, double *out) {
  double v = 0.0;
  if (s == NULL || ha_parse_double(s, strlen(s), &v) != HA_OK) {
    cli_usage_error("%s: '%s' is not a finite decimal number (no spaces: 2, -0.5, 1e3)", what,
                    s ? s : "");
    return -1;
  }
  *out = v;
  return 0;
}

int cli_parse_whole(const char *s, size_t n, long lo, long hi, long *out) {
  double v = 0.0;
  /* In range first, so the cast is defined; then no fraction. */
  if (s == NULL || ha_parse_double(s, n, &v) != HA_OK || v < (double)lo || v > (double)hi ||
      (double)(long)v < v || (double)(long)v > v) {
    return -1;
  }
  *out = (long)v;
  return 0;
}

/* A whole decimal number in [lo, hi]; 0 ok, -1 (printed, naming `what`). */
static int parse_int_option(const char *s, const char *what, long lo, long hi, long *out) {
  if (cli_parse_whole(s, s != NULL ? strlen(s) : 0, lo, hi, out) != 0) {
    cli_usage_error("%s: '%s' is not a whole number in [%ld, %ld] (digits, no spaces)", what,
                    s ? s : "", lo, hi);
    return -1;
  }
  return 0;
}

void cli_format_number(char *buf, size_t cap, double v) {
  /* x + 0.0 is +0 for both zeros and x otherwise: eval has always printed 0. */
  ha_format_double(buf, cap, v + 0.0);
}

int cli_check_output_path(const char *option, const char *path) {
  char copy[4096];
  struct stat sb;
  if (path == NULL || path[0] == '\0') {
    return cli_usage_error("%s: give a file name", option);
  }
  if (strlen(path) >= sizeof copy) {
    return cli_usage_error("%s: the path is too long", option);
  }
  if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
    return cli_usage_error("%s: '%s' is a directory, not a file", option, path);
  }
  memcpy(copy, path, strlen(path) + 1);
  const char *dir = dirname(copy);
  int found = stat(dir, &sb) == 0;
  if (!found || !S_ISDIR(sb.st_mode)) {
    return cli_usage_error("%s: cannot write '%s': '%s' %s", option, path, dir,
                           found ? "is not a directory" : strerror(errno));
  }
  if (access(dir, W_OK | X_OK) != 0) {
    return cli_usage_error("%s: cannot write '%s' in '%s': %s", option, path, dir, strerror(errno));
  }
  return CLI_OK;
}

/* ---- HOST[:PORT] ---- */

/* 1..65535 in decimal digits only: inside "host:port" a sign or a space
 * is not part of a port (the value is then read like every whole number). */
static int hostport_parse_port(const char *s, int *port) {
  long p = 0;
  if (strspn(s, "0123456789") != strlen(s) || cli_parse_whole(s, strlen(s), 1, 65535, &p) != 0) {
    return -1;
  }
  *port = (int)p;
  return 0;
}

/* Hex digits, ':' and '.' (an embedded IPv4), then an optional "%scope"
 * (letters, digits, '.', '_', '-'). */
static int hostport_is_ipv6(const char *s, size_t n) {
  size_t i = 0;
  for (; i < n && s[i] != '%'; i++) {
    char c = s[i];
    int hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex && c != ':' && c != '.') {
      return 0;
    }
  }
  if (i == n) {
    return 1;
  }
  /* "%scope": an interface name or number, so that the host reads back
   * (no ']' or ':' after the '%'); a '%' needs a scope after it. */
  for (size_t k = i + 1; k < n; k++) {
    char c = s[k];
    int ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
             c == '.' || c == '_' || c == '-';
    if (!ok) {
      return 0;
    }
  }
  return i + 1 < n;
}

int cli_hostport_parse(const char *s, int default_port, cli_hostport *out) {
  if (s == NULL || s[0] == '\0') {
    return -1;
  }
  const char *host = s, *port = NULL;
  size_t hlen = 0;
  const char *first = strchr(s, ':');
  if (s[0] == '[') { /* [v6]:port or [v6] */
    const char *close = strchr(s, ']');
    if (close == NULL) {
      return -1;
    }
    host = s + 1;
    hlen = (size_t)(close - host);
    if (close[1] == ':') {
      port = close + 2;
    } else if (close[1] != '\0') {
      return -1;
    }
    if (!hostport_is_ipv6(host, hlen) || memchr(host, ':', hlen) == NULL) {
      return -1;
    }
  } else if (first != NULL && strchr(first + 1, ':') != NULL) { /* bare IPv6 */
    hlen = strlen(s);
    if (!hostport_is_ipv6(s, hlen)) {
      return -1;
    }
  } else { /* name or IPv4, maybe :port */
    hlen = first != NULL ? (size_t)(first - s) : strlen(s);
    port = first != NULL ? first + 1 : NULL;
    if (memchr(s, '[', hlen) != NULL || memchr(s, ']', hlen) != NULL) {
      return -1;
    }
  }
  if (hlen == 0 || hlen >= sizeof(out->host)) {
    return -1;
  }
  int p = default_port;
  if (port != NULL ? hostport_parse_port(port, &p) != 0 : default_port < 0) {
    return -1;
  }
  memcpy(out->host, host, hlen);
  out->host[hlen] = '\0';
  out->port = p;
  return 0;
}

void cli_hostport_format(char *buf, size_t cap, const char *host, unsigned port) {
  int v6 = strchr(host, ':') != NULL;
  snprintf(buf, cap, "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "", port);
}

/* ---- the option table ---- */

static int opt_check_range(const cli_opt *o, double v) {
  const char *lb = o->range == CLI_RANGE_ABOVE ? "(" : "[";
  int below = o->range == CLI_RANGE_ABOVE ? !(v > o->min) : !(v >= o->min);
  if (o->range == CLI_RANGE_NONE || (!below && v <= o->max)) {
    return CLI_OK;
  }
  char v_s[32], lo_s[32], hi_s[32];
  cli_format_number(v_s, sizeof v_s, v);
  cli_format_number(lo_s, sizeof lo_s, o->min);
  cli_format_number(hi_s, sizeof hi_s, o->max);
  return cli_usage_error("--%s: %s is not in %s%s, %s]", o->name, v_s, lb, lo_s, hi_s);
}

static int opt_set_choice(const cli_opt *o, const char *v) {
  const char *c = o->choices;
  for (int idx = 0; c != NULL && *c != '\0'; idx++) {
    const char *bar = strchr(c, '|');
    size_t len = bar != NULL ? (size_t)(bar - c) : strlen(c);
    if (strlen(v) == len && strncmp(c, v, len) == 0) {
      *(int *)o->dest = idx;
      return CLI_OK;
    }
    c += len + (bar != NULL);
  }
  return cli_usage_error("--%s: '%s' is not one of %s", o->name, v, o->choices);
}

/* Store one option's value (v is NULL for a flag). */
static int opt_apply(const cli_opt *o, const char *v) {
  char what[64];
  snprintf(what, sizeof what, "--%s", o->name);
  int rc = CLI_OK;
  switch (o->type) {
  case CLI_OPT_FLAG: *(int *)o->dest = 1; break;
  case CLI_OPT_STRING: *(const char **)o->dest = v; break;
  case CLI_OPT_NUMBER: {
    double d = 0.0;
    rc = cli_parse_double(v, what, &d) != 0 ? CLI_USAGE : opt_check_range(o, d);
    if (rc == CLI_OK) {
      *(double *)o->dest = d;
    }
    break;
  }
  case CLI_OPT_INT:
    rc = parse_int_option(v, what, (long)o->min, (long)o->max, o->dest) != 0 ? CLI_USAGE : CLI_OK;
    break;
  case CLI_OPT_CHOICE: rc = opt_set_choice(o, v); break;
  case CLI_OPT_CALL: rc = o->call(o->ctx, v); break;
  }
  if (rc == CLI_OK && o->seen != NULL) {
    *o->seen = 1;
  }
  return rc;
}

/* What getopt_long reported as wrong, in our words. */
static int opt_report_bad(const cli_command *cmd, const cli_opt *opts, size_t n, int code,
                          char **argv) {
  int idx = -1;
  if (optopt >= CLI_LONG_BASE) {
    idx = optopt - CLI_LONG_BASE;
  }
  for (size_t i = 0; idx < 0 && optopt > 0 && i < n; i++) {
    idx = opts[i].letter == optopt ? (int)i : -1;
  }
  if (idx >= 0 && code == ':') {
    return cli_usage_error("%s: --%s needs a value (%s)", cmd->name, opts[idx].name, opts[idx].arg);
  }
  if (idx >= 0) { /* "--flag=value" */
    return cli_usage_error("%s: --%s takes no value", cmd->name, opts[idx].name);
  }
  if (optopt > 0) {
    return cli_usage_error("%s: unknown option '-%c' (see 'holoanim %s --help')", cmd->name, optopt,
                           cmd->name);
  }
  return cli_usage_error("%s: unknown option '%s' (see 'holoanim %s --help')", cmd->name,
                         argv[optind - 1], cmd->name);
}

static int opt_add_operand(const cli_command *cmd, const char *arg, const char **operands,
                           size_t *count) {
  if (*count >= cmd->max_operands) {
    if (cmd->max_operands == 0) {
      return cli_usage_error("%s: unexpected argument '%s'", cmd->name, arg);
    }
    if (cmd->max_operands == 1) {
      return cli_usage_error("%s: one %s at a time ('%s' is extra)", cmd->name, cmd->operand, arg);
    }
    return cli_usage_error("%s: at most %zu %s ('%s' is extra)", cmd->name, cmd->max_operands,
                           cmd->operand, arg);
  }
  operands[(*count)++] = arg;
  return CLI_OK;
}

/* Whether the argument getopt_long took as the long option `name` spells
 * it in full ("--name" or "--name=..."), not a prefix of it. */
static int opt_spelled_in_full(const char *arg, const char *name) {
  size_t len = strlen(name);
  return arg != NULL && strncmp(arg, "--", 2) == 0 && strncmp(arg + 2, name, len) == 0 &&
         (arg[2 + len] == '\0' || arg[2 + len] == '=');
}

/* getopt_long's tables from ours; rows n and n+1 are --help and -h. */
static void opt_build(const cli_opt *opts, size_t n, struct option *longs, char *shorts) {
  size_t k = 0;
  shorts[k++] = '-';
  shorts[k++] = ':';
  for (size_t i = 0; i < n; i++) {
    int has_arg = opts[i].type == CLI_OPT_FLAG ? no_argument : required_argument;
    longs[i] = (struct option){opts[i].name, has_arg, NULL, CLI_LONG_BASE + (int)i};
    if (opts[i].letter != 0) {
      shorts[k++] = opts[i].letter;
      if (has_arg == required_argument) {
        shorts[k++] = ':';
      }
    }
  }
  longs[n] = (struct option){"help", no_argument, NULL, 'h'};
  longs[n + 1] = (struct option){NULL, 0, NULL, 0};
  shorts[k++] = 'h';
  shorts[k] = '\0';
}

int cli_parse(const cli_command *cmd, const cli_opt *opts, size_t n, int argc, char **argv,
              const char **operands, size_t *noperands) {
  struct option longs[CLI_MAX_OPTS + 2];
  char shorts[3 * CLI_MAX_OPTS + 4];
  size_t count = 0;
  if (n > CLI_MAX_OPTS) {
    return cli_usage_error("%s: too many options in the table", cmd->name);
  }
  opt_build(opts, n, longs, shorts);
  opterr = 0;
  optind = 0; /* 0, not 1: glibc and musl then also reset their internal state */
  int rc = CLI_OK, code = 0, li = -1;
  while (rc == CLI_OK && (li = -1, code = getopt_long(argc, argv, shorts, longs, &li)) != -1) {
    /* li is set for a long option only; its text is the argument before
     * optind, or before its separate value. */
    int value_apart = li >= 0 && longs[li].has_arg == required_argument && optarg != NULL &&
                      optind >= 2 && argv[optind - 1] == optarg;
    const char *spelled = li >= 0 ? argv[optind - 1 - value_apart] : NULL;
    if (li >= 0 && !opt_spelled_in_full(spelled, longs[li].name)) {
      rc = cli_usage_error(
          "%s: unknown option '%s' (see 'holoanim %s --help'; options are "
          "written in full)",
          cmd->name, spelled, cmd->name);
    } else if (code == 1) {
      rc = opt_add_operand(cmd, optarg, operands, &count);
    } else if (code == 'h') {
      cli_print_help(stdout, cmd, opts, n);
      return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
    } else if (code >= CLI_LONG_BASE) {
      rc = opt_apply(&opts[code - CLI_LONG_BASE], optarg);
    } else if (code == '?' || code == ':') {
      rc = opt_report_bad(cmd, opts, n, code, argv);
    } else { /* a short letter of ours */
      for (size_t i = 0; i < n; i++) {
        if (opts[i].letter == code) {
          rc = opt_apply(&opts[i], optarg);
        }
      }
    }
  }
  for (int i = optind; rc == CLI_OK && i < argc; i++) { /* after "--" */
    rc = opt_add_operand(cmd, argv[i], operands, &count);
  }
  if (rc == CLI_OK && count == 0 && cmd->missing != NULL) {
    rc = cli_usage_error("%s: %s", cmd->name, cmd->missing);
  }
  if (noperands != NULL) {
    *noperands = count;
  }
  return rc == CLI_OK ? CLI_CONTINUE : rc;
}

/* "  -o, --output FILE" for the help's left column. */
static int opt_left_column(const cli_opt *o, char *buf, size_t cap) {
  char letter[8] = "    ";
  if (o->letter != 0) {
    snprintf(letter, sizeof letter, "-%c, ", o->letter);
  }
  return snprintf(buf, cap, "  %s--%s%s%s", letter, o->name, o->arg ? " " : "",
                  o->arg ? o->arg : "");
}

void cli_print_help(FILE *f, const cli_command *cmd, const cli_opt *opts, size_t n) {
  /* A line starting with a space continues the one above it. */
  const char *u = cmd->usage;
  fputs("usage: holoanim ", f);
  for (;;) {
    const char *nl = strchr(u, '\n');
    fprintf(f, "%.*s", nl != NULL ? (int)(nl - u) : (int)strlen(u), u);
    if (nl == NULL) {
      break;
    }
    u = nl + 1;
    fputs(*u == ' ' ? "\n                " : "\n       holoanim ", f);
  }
  fputc('\n', f);
  if (cmd->about != NULL) {
    fprintf(f, "\n%s\n", cmd->about);
  }
  int width = 16;
  char left[160];
  for (size_t i = 0; i < n; i++) {
    int w = opts[i].help != NULL ? opt_left_column(&opts[i], left, sizeof left) : 0;
    width = w > width && w <= 30 ? w : width;
  }
  fputs("\noptions:\n", f);
  for (size_t i = 0; i < n; i++) {
    if (opts[i].help == NULL) {
      continue;
    }
    int w = opt_left_column(&opts[i], left, sizeof left);
    fprintf(f, "%s%*s  %s", left, w < width ? width - w : 0, "", opts[i].help);
    if (opts[i].def != NULL) {
      fprintf(f, " (default %s)", opts[i].def);
    }
    fputc('\n', f);
  }
  fprintf(f, "  -h, --help%*s  this help\n", width - 12, "");
}
