/* Tests of the CLI's shared parsers (tools/cli_args.c, compiled in here
 * because tests link only the library): HOST[:PORT] in every form the
 * subcommands take (names, IPv4, IPv6 with and without brackets, default and
 * mandatory ports, bad ports), the option-table parser (types, ranges,
 * choices, operands, abbreviations, "--", errors and their exit codes) and
 * the number formatting. Error paths print one line on stderr by design. */
#include "../tools/cli_args.c"

#include "test.h"

/* ---- HOST[:PORT] ---- */

/* Parse s with default_port and check the host and port it gives. */
static void check_hostport(const char *s, int default_port, const char *host, int port) {
  cli_hostport hp;
  memset(&hp, 0, sizeof hp);
  CHECK_MSG(cli_hostport_parse(s, default_port, &hp) == 0, "'%s' was refused", s);
  CHECK_STR(hp.host, host);
  CHECK_INT(hp.port, port);
}

static void check_hostport_bad(const char *s, int default_port) {
  cli_hostport hp;
  strcpy(hp.host, "unchanged");
  hp.port = 7;
  CHECK_MSG(cli_hostport_parse(s, default_port, &hp) == -1, "'%s' was accepted", s);
  CHECK_STR(hp.host, "unchanged"); /* nothing written on failure */
  CHECK_INT(hp.port, 7);
}

static void test_hostport_ipv4_and_names(void) {
  check_hostport("127.0.0.1:4003", 4003, "127.0.0.1", 4003);
  check_hostport("192.168.1.50:9000", 4003, "192.168.1.50", 9000);
  check_hostport("192.168.1.50", 4003, "192.168.1.50", 4003);
  check_hostport("localhost", 4003, "localhost", 4003);
  check_hostport("holophonix.local:1", 4003, "holophonix.local", 1);
  check_hostport("h:65535", -1, "h", 65535);
}

static void test_hostport_ipv6(void) {
  check_hostport("[::1]:4003", 4003, "::1", 4003);
  check_hostport("[::1]", 4003, "::1", 4003);
  check_hostport("[fe80::1%eth0]:9000", 4003, "fe80::1%eth0", 9000);
  check_hostport("[::ffff:192.0.2.1]:5", -1, "::ffff:192.0.2.1", 5);
  /* Bare: every ':' belongs to the address, so the port is the default. */
  check_hostport("::1", 4003, "::1", 4003);
  check_hostport("2001:db8::42", 4003, "2001:db8::42", 4003);
  check_hostport("fe80::1%eth0", 4003, "fe80::1%eth0", 4003);
  check_hostport("::1:4003", 9, "::1:4003", 9); /* still an address: brackets for a port */
}

static void test_hostport_bad(void) {
  check_hostport_bad("", 4003);
  check_hostport_bad(NULL, 4003);
  check_hostport_bad("h:0", 4003);
  check_hostport_bad("h:65536", 4003);
  /* An IPv6 scope is an interface name or number: no bracket, ':' or space
   * (found by fuzz_cli_params: such a host could not be written back). */
  check_hostport_bad("fe80::1%eth0]:9000", 4003);
  check_hostport_bad("[fe80::1%a]b]:1", 4003);
  check_hostport_bad("fe80::1%eth 0", 4003);
  check_hostport_bad("fe80::1%a:b", 4003);
  check_hostport_bad("h:99999999999999999999", 4003);
  check_hostport_bad("h:abc", 4003);
  check_hostport_bad("h:40a", 4003);
  check_hostport_bad("h:+40", 4003);
  check_hostport_bad("h:-1", 4003);
  check_hostport_bad("h: 40", 4003);
  check_hostport_bad("h:", 4003);
  check_hostport_bad(":4003", 4003);
  check_hostport_bad("[::1]:0", 4003);
  check_hostport_bad("[::1]:65536", 4003);
  check_hostport_bad("[::1]:", 4003);
  check_hostport_bad("[::1", 4003);
  check_hostport_bad("[::1]x", 4003);
  check_hostport_bad("[]:4003", 4003);
  check_hostport_bad("[localhost]:4003", 4003); /* brackets are for IPv6 only */
  check_hostport_bad("a]b:4003", 4003);
  check_hostport_bad("localhost:40:03", 4003); /* not an IPv6 address either */
  check_hostport_bad("fe80::1%", 4003);        /* an empty scope */
  /* A mandatory port (devsim --push). */
  check_hostport_bad("localhost", -1);
  check_hostport_bad("[::1]", -1);
  check_hostport_bad("::1", -1);
  /* Longer than the host buffer. */
  char longname[300];
  memset(longname, 'a', sizeof longname - 1);
  longname[sizeof longname - 1] = '\0';
  check_hostport_bad(longname, 4003);
}

/* ---- the option table ---- */

typedef struct t_opts {
  int flag, flag_seen, choice;
  const char *str;
  double num, above;
  long n;
  int calls;
  char last_call[32];
} t_opts;

static int t_call(void *ctx, const char *value) {
  t_opts *o = ctx;
  o->calls++;
  snprintf(o->last_call, sizeof o->last_call, "%s", value);
  return strcmp(value, "bad") == 0 ? cli_usage_error("--call: bad") : CLI_OK;
}

static const cli_command t_command = {"test", "test [options] FILE", NULL, "FILE", 2, NULL};

/* Parse the NULL-terminated words after "test" into *o; return cli_parse's answer. */
static int t_parse(t_opts *o, const char **operands, size_t *nops, const char *const *words) {
  memset(o, 0, sizeof *o);
  cli_opt opts[] = {
      {CLI_FLAG("flag", "a flag", &o->flag), .letter = 'f', .seen = &o->flag_seen},
      {CLI_STRING("output", "FILE", "a string", NULL, &o->str), .letter = 'o'},
      {CLI_NUMBER("num", "X", "a number in [1, 2]", NULL, &o->num), .min = 1, .max = 2,
       .range = CLI_RANGE_CLOSED},
      {CLI_NUMBER("above", "X", "a number in (0, 10]", NULL, &o->above), .min = 0, .max = 10,
       .range = CLI_RANGE_ABOVE},
      {CLI_INT("count", "N", "a whole number", NULL, &o->n, -1, 100)},
      {CLI_CHOICE("format", "F", "csv | json", "csv", &o->choice, "csv|json")},
      {CLI_CALL("call", "V", "a handler", NULL, t_call, o)},
  };
  char *argv[32];
  int argc = 0;
  argv[argc++] = (char *)"test";
  for (size_t i = 0; words[i] != NULL && argc < 31; i++) {
    argv[argc++] = (char *)words[i];
  }
  argv[argc] = NULL;
  return cli_parse(&t_command, opts, sizeof opts / sizeof opts[0], argc, argv, operands, nops);
}

#define T_PARSE(o, ops, nops, ...) t_parse(o, ops, nops, (const char *const[]){__VA_ARGS__, NULL})

static void test_parse_values(void) {
  t_opts o;
  const char *ops[2] = {NULL, NULL};
  size_t nops = 0;
  CHECK_INT(T_PARSE(&o, ops, &nops, "in.json", "--flag", "-o", "x.svg", "--num", "1.5", "--above",
                    "10", "--count=-1", "--format", "json", "--call", "v1", "--call", "v2", "b"),
            CLI_CONTINUE);
  CHECK_INT(o.flag, 1);
  CHECK_INT(o.flag_seen, 1);
  CHECK_STR(o.str, "x.svg");
  CHECK_NEAR(o.num, 1.5, 0.0);
  CHECK_NEAR(o.above, 10.0, 0.0);
  CHECK_INT(o.n, -1);
  CHECK_INT(o.choice, 1);
  CHECK_INT(o.calls, 2);
  CHECK_STR(o.last_call, "v2");
  CHECK_INT(nops, 2);
  CHECK_STR(ops[0], "in.json");
  CHECK_STR(ops[1], "b");
  /* Values that look like options are values; "--" ends the options. */
  CHECK_INT(T_PARSE(&o, ops, &nops, "--output", "-x", "--", "--flag"), CLI_CONTINUE);
  CHECK_STR(o.str, "-x");
  CHECK_INT(o.flag, 0);
  CHECK_INT(nops, 1);
  CHECK_STR(ops[0], "--flag");
  /* The last value wins; "--name=value" is the option too. */
  CHECK_INT(T_PARSE(&o, ops, &nops, "--output", "a", "--output=b", "--format", "csv"),
            CLI_CONTINUE);
  CHECK_STR(o.str, "b");
  CHECK_INT(o.choice, 0);
  CHECK_INT(nops, 0);
}

/* A long option is written in full: a prefix getopt_long would take (even
 * an unambiguous one, with or without "=value", of a flag or of --help) is an
 * unknown option, so a command without "--t" never reads it as "--to". */
static void test_parse_no_prefixes(void) {
  t_opts o;
  const char *ops[2];
  size_t nops = 0;
  CHECK_INT(T_PARSE(&o, ops, &nops, "--out", "a"), CLI_USAGE);
  CHECK(o.str == NULL);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--out=a"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--fl"), CLI_USAGE);
  CHECK_INT(o.flag, 0);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--he"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--n", "1.5"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--output", "--out"), CLI_CONTINUE); /* a value */
  CHECK_STR(o.str, "--out");
  CHECK_INT(T_PARSE(&o, ops, &nops, "-fo", "x"), CLI_CONTINUE); /* short letters bundle */
  CHECK_INT(o.flag, 1);
  CHECK_STR(o.str, "x");
}

/* An output path whose directory is missing, is a file, or a path that is a
 * directory, is refused up front (exit 2); a writable one passes. */
static void test_check_output_path(void) {
  CHECK_INT(cli_check_output_path("--metrics", "/nonexistent-holoanim/x"), CLI_USAGE);
  CHECK_INT(cli_check_output_path("--metrics", "/"), CLI_USAGE);
  CHECK_INT(cli_check_output_path("--metrics", ""), CLI_USAGE);
  CHECK_INT(cli_check_output_path("--metrics", "/dev/null/x"), CLI_USAGE);
  CHECK_INT(cli_check_output_path("--metrics", "/tmp/holoanim-metrics.json"), CLI_OK);
  CHECK_INT(cli_check_output_path("--metrics", "metrics.json"), CLI_OK); /* "." */
}

static void test_parse_errors(void) {
  t_opts o;
  const char *ops[2];
  size_t nops = 0;
  CHECK_INT(T_PARSE(&o, ops, &nops, "--bogus"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "-z"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--output"), CLI_USAGE); /* missing value */
  CHECK_INT(T_PARSE(&o, ops, &nops, "-o"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--flag=1"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--num", "abc"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--num", "inf"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--num", "2.5"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--num", "0.5"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--above", "0"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--count", "1.5"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--count", "101"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--format", "xml"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--format", "cs"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--call", "bad"), CLI_USAGE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "a", "b", "c"), CLI_USAGE); /* 2 operands at most */
  CHECK_INT(T_PARSE(&o, NULL, NULL, "--flag"), CLI_CONTINUE);
  CHECK_INT(T_PARSE(&o, ops, &nops, "--num", "2"), CLI_CONTINUE); /* the bounds are in */
  CHECK_INT(T_PARSE(&o, ops, &nops, "--count", "100"), CLI_CONTINUE);
}

static void test_help(void) {
  t_opts o;
  memset(&o, 0, sizeof o);
  cli_opt opts[] = {
      {CLI_STRING("output", "FILE", "where to write", "stdout", &o.str), .letter = 'o'},
      {CLI_FLAG("hidden", NULL, &o.flag)},
  };
  FILE *f = tmpfile();
  CHECK(f != NULL);
  if (f == NULL) {
    return;
  }
  cli_print_help(f, &t_command, opts, 2);
  rewind(f);
  char text[1024];
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = '\0';
  fclose(f);
  CHECK_MSG(strstr(text, "usage: holoanim test [options] FILE\n") != NULL, "%s", text);
  CHECK_MSG(strstr(text, "  -o, --output FILE  where to write (default stdout)\n") != NULL, "%s",
            text);
  CHECK_MSG(strstr(text, "  -h, --help") != NULL, "%s", text);
  CHECK_MSG(strstr(text, "hidden") == NULL, "%s", text);
}

static void test_format_number(void) {
  char b[40];
  cli_format_number(b, sizeof b, 0.1);
  CHECK_STR(b, "0.1");
  cli_format_number(b, sizeof b, -0.0);
  CHECK_STR(b, "0");
  cli_format_number(b, sizeof b, 10.0);
  CHECK_STR(b, "10");
  cli_format_number(b, sizeof b, 1.0 / 3.0);
  double back = strtod(b, NULL);
  CHECK(!(back < 1.0 / 3.0) && !(back > 1.0 / 3.0));
}

int main(void) {
  RUN(test_hostport_ipv4_and_names);
  RUN(test_hostport_ipv6);
  RUN(test_hostport_bad);
  RUN(test_parse_values);
  RUN(test_parse_errors);
  RUN(test_parse_no_prefixes);
  RUN(test_check_output_path);
  RUN(test_help);
  RUN(test_format_number);
  return test_done();
}
