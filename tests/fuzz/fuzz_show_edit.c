/* libFuzzer target for show edits (see README.md in this directory).
 *
 * A valid show (seed_show.h) is loaded once; each input is a JSON-Patch
 * document (RFC 6902: an array of {"op", "path", "value"}) given to
 * ha_show_edit_patch on it (an accepted patch is undone afterwards). Properties checked (abort on
 * violation):
 *   - a refusal (HA_EINVAL) has an error diagnostic and leaves the show
 *     byte-identical (save before == save after) and the version unchanged;
 *   - an accepted patch (but an empty one, which changes nothing) bumps the
 *     version and gives a show that saves,
 *     loads again and saves to the same bytes; undo gives back the original
 *     text exactly, redo the edited one. */
#include "holoanim.h"
#include "holoanim/show.h"

#include "fuzz.h"
#include "seed_show.h"

static char *save(const ha_show *show) {
  char *text = NULL;
  REQUIRE(ha_show_save_string(show, &text, NULL) == HA_OK);
  return text;
}

static void require_same(const char *want, const char *got, const char *what) {
  if (strcmp(want, got) != 0) {
    fprintf(stderr, "%s:\n--- want\n%s\n--- got\n%s\n", what, want, got);
  }
  REQUIRE(strcmp(want, got) == 0);
}

static void check_reload(const char *text, ha_diags *d) {
  ha_show *again = NULL;
  ha_diags_clear(d);
  ha_status st = ha_show_load_string(text, strlen(text), "(edited)", &again, d);
  if (st != HA_OK) {
    fprintf(stderr, "the edited show does not load (status %d):\n%s\n", (int)st, text);
    for (size_t i = 0; i < ha_diags_count(d); i++) {
      char line[1024];
      ha_diag_format(ha_diags_at(d, i), line, sizeof(line));
      fprintf(stderr, "  %s\n", line);
    }
  }
  REQUIRE(st == HA_OK);
  char *resaved = save(again);
  require_same(text, resaved, "edited -> save -> load -> save differs");
  free(resaved);
  ha_show_destroy(again);
}

/* The seed show, loaded once: a refused patch leaves it as it was, and an
 * accepted one is undone at the end (both checked byte for byte). */
static ha_show *seed(char **text) {
  static ha_show *show;
  static char *saved;
  if (show == NULL) {
    ha_diags *d = NULL;
    REQUIRE(ha_diags_create(&d) == HA_OK);
    REQUIRE(ha_show_load_string(ha_fuzz_seed_show, strlen(ha_fuzz_seed_show), "seed", &show, d) ==
            HA_OK);
    ha_diags_destroy(d);
    saved = save(show);
  }
  *text = saved;
  return show;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *patch = malloc(size + 1);
  REQUIRE(patch != NULL);
  memcpy(patch, data, size);
  patch[size] = '\0';
  ha_diags *d = NULL;
  REQUIRE(ha_diags_create(&d) == HA_OK);
  char *before = NULL;
  ha_show *show = seed(&before);
  uint64_t version = ha_show_version(show);
  ha_status st = ha_show_edit_patch(show, patch, d);
  char *after = save(show);
  if (st == HA_OK) {
    REQUIRE(ha_diags_errors(d) == 0);
  }
  if (st == HA_OK && ha_show_version(show) == version) { /* an empty patch: no step */
    require_same(before, after, "a patch without a step changed the show");
  } else if (st == HA_OK) {
    check_reload(after, d);
    REQUIRE(ha_show_undo(show) == HA_OK);
    char *undone = save(show);
    require_same(before, undone, "undo does not give the original back");
    free(undone);
    REQUIRE(ha_show_redo(show) == HA_OK);
    char *redone = save(show);
    require_same(after, redone, "redo does not give the edit back");
    free(redone);
    REQUIRE(ha_show_undo(show) == HA_OK); /* the seed again for the next input */
  } else {
    REQUIRE(st == HA_EINVAL || st == HA_ENOMEM);
    REQUIRE(st == HA_ENOMEM || ha_diags_errors(d) > 0);
    REQUIRE(ha_show_version(show) == version);
    require_same(before, after, "a refused patch changed the show");
  }
  free(after);
  ha_diags_destroy(d);
  free(patch);
  return 0;
}
