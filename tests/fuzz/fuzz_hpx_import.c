/* libFuzzer target for the .hpx importer (see README.md in this directory).
 *
 * Each input is the text of a project given to ha_show_import_hpx_string.
 * Properties checked (abort on violation, so the fuzzer reports a crash),
 * besides what the sanitizers and libFuzzer's leak and timeout checks see:
 *   - a refusal (any status but HA_OK and HA_ENOMEM) carries at least one
 *     error diagnostic that points into the input: line >= 1, column >= 1;
 *   - an import that succeeds has no error diagnostic, and its show saves
 *     to text that ha_show_load_string loads again.
 *
 * Build with HA_FUZZ_STANDALONE to get a main() that replays files given on
 * the command line without libFuzzer (gcc, the CTest replay of the seeds). */
#include "holoanim.h"
#include "holoanim/show.h"

#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_diags(const ha_diags *d) {
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    char line[1024];
    ha_diag_format(ha_diags_at(d, i), line, sizeof(line));
    fprintf(stderr, "  %s\n", line);
  }
}

/* True when some error diagnostic has a position in the input. */
static bool has_positioned_error(const ha_diags *d) {
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    const ha_diag *g = ha_diags_at(d, i);
    if (g->severity == HA_DIAG_ERROR && g->line >= 1 && g->column >= 1) {
      return true;
    }
  }
  return false;
}

static void check_reload(const ha_show *show) {
  char *text = NULL;
  size_t len = 0;
  if (ha_show_save_string(show, &text, &len) != HA_OK) {
    return; /* out of memory only */
  }
  ha_diags *d = NULL;
  REQUIRE(ha_diags_create(&d) == HA_OK);
  ha_show *again = NULL;
  ha_status st = ha_show_load_string(text, len, "(saved import)", &again, d);
  if (st != HA_OK && st != HA_ENOMEM) {
    fprintf(stderr, "the saved import does not load (status %d):\n", (int)st);
    print_diags(d);
    fprintf(stderr, "%s\n", text);
  }
  REQUIRE(st == HA_OK || st == HA_ENOMEM);
  ha_show_destroy(again);
  ha_diags_destroy(d);
  free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A NULL data pointer with size 0 is legal for libFuzzer; keep a valid one. */
  static const uint8_t empty[1] = {0};
  const char *text = (const char *)(size > 0 ? data : empty);
  ha_diags *d = NULL;
  REQUIRE(ha_diags_create(&d) == HA_OK);
  ha_show *show = NULL;
  ha_status st = ha_show_import_hpx_string(text, size, "fuzz.hpx", &show, d);
  if (st == HA_OK) {
    REQUIRE(show != NULL);
    if (ha_diags_errors(d) != 0) {
      print_diags(d);
    }
    REQUIRE(ha_diags_errors(d) == 0);
    check_reload(show);
    ha_show_destroy(show);
  } else if (st != HA_ENOMEM) {
    REQUIRE(show == NULL);
    if (!has_positioned_error(d)) {
      fprintf(stderr, "refused (status %d) without an error at a line:column:\n", (int)st);
      print_diags(d);
    }
    REQUIRE(has_positioned_error(d));
  }
  ha_diags_destroy(d);
  return 0;
}
