/* libFuzzer target for the CLI's parsers (see README.md in this directory):
 * the option table (tools/cli_args.c, linked as it is in the CLI), HOST:PORT
 * destinations, and --param K=V (ha_params_set_assignment, what the CLI's
 * --param calls).
 *
 * Each input is split on NUL bytes into words (at most 24). Properties
 * checked (abort on violation):
 *   - cli_parse with argv = {"fuzz", words...} against a table of every
 *     option type: when it accepts, every number given is finite and in its
 *     declared range, every whole number in [min, max], every choice an index
 *     of the list, every string the text given (a pointer into argv),
 *     and the operands are words of argv;
 *   - cli_parse_double: an accepted word is finite and its shortest text
 *     (cli_format_number) reads back to the same double;
 *   - cli_hostport_parse: an accepted word gives a non-empty host and a port
 *     in 1..65535, and the formatted destination parses back to the same;
 *   - ha_params_set_assignment: an accepted "K=V" adds one entry named K;
 *     a refusal says why. */
#include "cli.h"

#include "fuzz.h"

#include <math.h>

#define MAX_WORDS 24

typedef struct opts {
  int flag;
  const char *str;
  double num, above, any;
  long count;
  int choice;
  int num_seen, above_seen, any_seen, count_seen, choice_seen, str_seen;
  ha_params *params;
  int params_calls;
} opts;

static int on_param(void *ctx, const char *value) {
  opts *o = ctx;
  ha_error err;
  ha_error_clear(&err);
  o->params_calls++;
  ha_status st = ha_params_set_assignment(o->params, value, &err);
  if (st != HA_OK) {
    REQUIRE(err.message[0] != '\0');
    return CLI_USAGE;
  }
  return CLI_OK;
}

static const cli_command fuzz_command = {"fuzz", "fuzz [options] FILE...", NULL, "FILE", 3, NULL};

/* Is p one of argv's words (the very pointer)? */
static int is_word(char **argv, int argc, const char *p) {
  for (int i = 0; i < argc; i++) {
    if (argv[i] == p) {
      return 1;
    }
  }
  return 0;
}

/* Does p point into one of argv's words (an option's value after '=' or a
 * short letter)? */
static int in_word(char **argv, int argc, const char *p) {
  for (int i = 0; i < argc; i++) {
    if (p >= argv[i] && p <= argv[i] + strlen(argv[i])) {
      return 1;
    }
  }
  return 0;
}

static void check_table(int argc, char **argv) {
  opts o;
  memset(&o, 0, sizeof o);
  o.num = 1.5, o.above = 5, o.any = 0, o.count = 0;
  REQUIRE(ha_params_create(&o.params) == HA_OK);
  cli_opt table[] = {
      {CLI_FLAG("flag", "a flag", &o.flag), .letter = 'f'},
      {CLI_STRING("output", "FILE", "a string", NULL, &o.str), .letter = 'o', .seen = &o.str_seen},
      {CLI_NUMBER("num", "X", "in [1, 2]", NULL, &o.num), .min = 1, .max = 2,
       .range = CLI_RANGE_CLOSED, .seen = &o.num_seen},
      {CLI_NUMBER("above", "X", "in (0, 10]", NULL, &o.above), .min = 0, .max = 10,
       .range = CLI_RANGE_ABOVE, .seen = &o.above_seen, .letter = 'a'},
      {CLI_NUMBER("any", "X", "any finite", NULL, &o.any), .seen = &o.any_seen},
      {CLI_INT("count", "N", "whole", NULL, &o.count, -1, 100), .letter = 'n',
       .seen = &o.count_seen},
      {CLI_CHOICE("format", "F", "csv|json", "csv", &o.choice, "csv|json|svg"),
       .seen = &o.choice_seen},
      {CLI_CALL("param", "K=V", "a parameter", NULL, on_param, &o), .letter = 'p'},
  };
  const char *operands[3] = {NULL, NULL, NULL};
  size_t nops = 0;
  int rc =
      cli_parse(&fuzz_command, table, sizeof table / sizeof table[0], argc, argv, operands, &nops);
  REQUIRE(rc == CLI_CONTINUE || rc == CLI_OK || rc == CLI_USAGE);
  if (rc == CLI_CONTINUE) {
    REQUIRE(nops <= 3);
    for (size_t i = 0; i < nops; i++) {
      REQUIRE(is_word(argv, argc, operands[i]));
    }
    REQUIRE(!o.num_seen || (isfinite(o.num) && o.num >= 1 && o.num <= 2));
    REQUIRE(!o.above_seen || (isfinite(o.above) && o.above > 0 && o.above <= 10));
    REQUIRE(!o.any_seen || isfinite(o.any));
    REQUIRE(!o.count_seen || (o.count >= -1 && o.count <= 100));
    REQUIRE(!o.choice_seen || (o.choice >= 0 && o.choice <= 2));
    REQUIRE(!o.str_seen || in_word(argv, argc, o.str));
    REQUIRE(ha_params_count(o.params) <= (size_t)o.params_calls);
  }
  ha_params_destroy(o.params);
}

static void check_word(char *w) {
  double v = 0.0;
  if (cli_parse_double(w, "word", &v) == 0) {
    REQUIRE(isfinite(v));
    char buf[64];
    cli_format_number(buf, sizeof buf, v);
    double back = 1.0;
    REQUIRE(cli_parse_double(buf, "formatted", &back) == 0);
    REQUIRE(!(back < v || back > v)); /* equal, without -Wfloat-equal */
  }
  cli_hostport hp, again;
  if (cli_hostport_parse(w, 4003, &hp) == 0) {
    REQUIRE(hp.host[0] != '\0' && hp.port >= 1 && hp.port <= 65535);
    char buf[300];
    cli_hostport_format(buf, sizeof buf, hp.host, (unsigned)hp.port);
    REQUIRE(cli_hostport_parse(buf, -1, &again) == 0);
    REQUIRE(strcmp(hp.host, again.host) == 0 && hp.port == again.port);
  }
  ha_params *p = NULL;
  REQUIRE(ha_params_create(&p) == HA_OK);
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha_params_set_assignment(p, w, &err);
  if (st == HA_OK) {
    const char *eq = strchr(w, '=');
    REQUIRE(eq != NULL && eq != w);
    REQUIRE(ha_params_count(p) == 1);
    ha_value_kind kind;
    const char *name = ha_params_name_at(p, 0, &kind);
    REQUIRE(name != NULL && strlen(name) == (size_t)(eq - w) && memcmp(name, w, strlen(name)) == 0);
  } else {
    REQUIRE(st == HA_EINVAL || st == HA_ENOMEM);
    REQUIRE(st == HA_ENOMEM || err.message[0] != '\0');
  }
  ha_params_destroy(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = malloc(size + 1);
  REQUIRE(buf != NULL);
  memcpy(buf, data, size);
  buf[size] = '\0';
  char *argv[MAX_WORDS + 2];
  int argc = 0;
  argv[argc++] = (char *)"fuzz";
  for (size_t i = 0; i <= size && argc <= MAX_WORDS; i += strlen(buf + i) + 1) {
    argv[argc++] = buf + i;
  }
  argv[argc] = NULL;
  for (int i = 1; i < argc; i++) {
    check_word(argv[i]);
  }
  check_table(argc, argv);
  free(buf);
  return 0;
}
