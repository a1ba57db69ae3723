/* Show fixtures shared by the show tests: load a show from JSON text with
 * its diagnostics printed to stderr (so a failing load says why), and the
 * save / load / save round trip that must give the same text. Header-only
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

/* Saving `s`, loading that text and saving again gives the same text (each
 * step must succeed). */
static inline void test_show_round_trip(const ha_show *s) {
  char *t1 = NULL, *t2 = NULL;
  CHECK_OK(ha_show_save_string(s, &t1, NULL));
  ha_show *r = NULL;
  if (t1 != NULL) {
    CHECK_OK(ha_show_load_string(t1, strlen(t1), "round-trip.json", &r, NULL));
  }
  if (r != NULL) {
    CHECK_OK(ha_show_save_string(r, &t2, NULL));
  }
  CHECK(t2 != NULL && strcmp(t1, t2) == 0);
  free(t1);
  free(t2);
  ha_show_destroy(r);
}

#endif
