/* Show fixtures shared by the show tests: load a show from JSON text with
 * its diagnostics printed to stderr (so a failing load says why). Header-only
 * and static, like test.h; include test.h first. */
#ifndef HA_TEST_SHOW_H
#define HA_TEST_SHOW_H

#include "holoanim/show.h"
#include "test.h"

/* Loads `text` as the file `name` into *out; every diagnostic goes to
 * stderr and the status must be HA_OK (CHECKed). Returns the status. */
static inline ha_status test_show_load(const char *text, const char *name, ha_show **out) {
  ha_diags *d = NULL;
  ha_diags_create(&d);
  ha_status st = ha_show_load_string(text, strlen(text), name, out, d);
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    char line[600];
    ha_diag_format(ha_diags_at(d, i), line, sizeof(line));
    fprintf(stderr, "  %s\n", line);
  }
  ha_diags_destroy(d);
  CHECK_INT(st, HA_OK);
  return st;
}

#endif
