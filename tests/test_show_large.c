/* Loading and importing hold to O(n log n) on large inputs: 4,000
 * animations of one name, 4,000 cues, 4,000 autoStart groups, a group of 4,000 tracks. Counted,
 * not timed: the library counts its name probes and duplicate comparisons
 * into the load's diagnostics (ha_diags_work), and quadratic work (n * n / 2, 8 million here) is
 * far over the bound. The diagnostics stay those of a plain scan: first clash, same text. */
#include "holoanim.h"
#include "holoanim/show.h"
#include "test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 4000

static char *text_alloc(void) {
  char *t = malloc((size_t)N * 200 + 4096);
  if (t == NULL) {
    abort();
  }
  return t;
}

/* How many diagnostics contain `needle`; the last one's text in `last`. */
static size_t count_with(ha_diags *d, const char *needle, char *last, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    char line[700];
    ha_diag_format(ha_diags_at(d, i), line, sizeof(line));
    if (strstr(line, needle) != NULL) {
      n++;
      snprintf(last, cap, "%s", line);
    }
  }
  return n;
}

/* Loads `t` (imports it as .hpx when `hpx`), frees it and the show; the
 * diagnostics in *out (the caller destroys them), whether it loaded in *ok,
 * and the probes the load counted. */
static size_t load_counted(char *t, size_t len, bool hpx, bool *ok, ha_diags **out) {
  ha_diags *d = NULL;
  ha_diags_create(&d);
  ha_show *s = NULL;
  ha_status st = hpx ? ha_show_import_hpx_string(t, len, "big.hpx", &s, d)
                     : ha_show_load_string(t, len, "t.json", &s, d);
  *ok = st == HA_OK;
  ha_show_destroy(s);
  free(t);
  *out = d;
  return (size_t)ha_diags_work(d);
}

/* "{format 1, one linear animation "a", N tracks 1..N" up to the tracks'
 * closing bracket; the length written. */
static size_t tracks_prefix(char *t) {
  size_t len = (size_t)sprintf(t,
                               "{\"format\": 1, \"animations\": [{\"name\": \"a\", "
                               "\"model\": \"linear\", \"duration\": 4}], \"tracks\": [");
  for (int i = 0; i < N; i++) {
    len += (size_t)sprintf(t + len, "%s{\"id\": %d, \"position\": [0, 0, 0]}", i ? "," : "", i + 1);
  }
  return len + (size_t)sprintf(t + len, "]");
}

static void test_same_name_animations(void) {
  char *t = text_alloc();
  size_t len = (size_t)sprintf(t,
                               "{\"name\": \"p\", \"tracks\": [{\"id\": \"a\", "
                               "\"holophonixIndex\": 1}], \"animations\": [");
  for (int i = 0; i < N; i++) {
    len += (size_t)sprintf(t + len,
                           "%s{\"id\": \"x%d\", \"name\": \"Same\", \"type\": \"linear\", "
                           "\"duration\": 4, \"trackIds\": [\"a\"]}",
                           i ? "," : "", i);
  }
  len += (size_t)sprintf(t + len, "]}");
  ha_diags *d = NULL;
  bool ok = false;
  size_t probes = load_counted(t, len, true, &ok, &d);
  CHECK(ok);
  CHECK(probes <= 4 * (size_t)N);
  char last[700] = "";
  CHECK(count_with(d, "(names must be unique)", last, sizeof(last)) == N - 1);
  CHECK(strstr(last, "renamed \"Same (4000)\"") != NULL);
  ha_diags_destroy(d);
}

static void test_many_cues(void) {
  char *t = text_alloc();
  size_t len = (size_t)sprintf(t, "{\"format\": 1, \"cues\": [");
  for (int i = 0; i < N; i++) {
    /* the last two repeat cue 7's number (within 1e-9) and cue 9's osc */
    double num = i == N - 2 ? 7 + 1e-10 : i;
    int osc = i == N - 1 ? 9 : i;
    len += (size_t)sprintf(t + len,
                           "%s{\"number\": %.17g, \"osc\": \"/c/%d\", \"actions\": [{\"type\": "
                           "\"stop\"}]}",
                           i ? "," : "", num, osc);
  }
  len += (size_t)sprintf(t + len, "]}");
  ha_diags *d = NULL;
  bool ok = false;
  size_t probes = load_counted(t, len, false, &ok, &d);
  CHECK(!ok);
  CHECK(probes <= 40 * (size_t)N);
  char last[700] = "";
  CHECK(count_with(d, "duplicate cue number", last, sizeof(last)) == 1);
  CHECK(strstr(last, "cues[3998].number") != NULL);
  CHECK(strstr(last, "duplicate cue number 7.0000000001 (also cues[7])") != NULL);
  CHECK(count_with(d, "already fires", last, sizeof(last)) == 1);
  CHECK(strstr(last, "cues[3999].osc") != NULL);
  CHECK(strstr(last, "OSC address \"/c/9\" already fires cues[9]") != NULL);
  ha_diags_destroy(d);
}

static void test_many_auto_start_groups(void) {
  char *t = text_alloc();
  size_t len = tracks_prefix(t);
  len += (size_t)sprintf(t + len, ", \"groups\": [");
  for (int i = 0; i < N; i++) {
    /* the last group also takes group 5's track */
    len += (size_t)sprintf(t + len,
                           "%s{\"name\": \"g%d\", \"animation\": \"a\", \"tracks\": [%d%s], "
                           "\"autoStart\": true}",
                           i ? "," : "", i, i + 1, i == N - 1 ? ", 6" : "");
  }
  len += (size_t)sprintf(t + len, "]}");
  ha_diags *d = NULL;
  bool ok = false;
  size_t probes = load_counted(t, len, false, &ok, &d);
  CHECK(ok);
  CHECK(probes <= 4 * (size_t)N);
  char last[700] = "";
  CHECK(count_with(d, "also started by", last, sizeof(last)) == 1);
  CHECK(strstr(last, "groups[3999].tracks[1]: track 6 is also started by groups[5] (\"g5\")") !=
        NULL);
  ha_diags_destroy(d);
}

static void test_long_track_list(void) {
  char *t = text_alloc();
  size_t len = tracks_prefix(t);
  len += (size_t)sprintf(t + len,
                         ", \"groups\": [{\"name\": \"g\", \"animation\": \"a\", "
                         "\"tracks\": [");
  for (int i = 0; i < N; i++) {
    len += (size_t)sprintf(t + len, "%d,", i + 1);
  }
  len += (size_t)sprintf(t + len, "9]}]}"); /* track 9 twice */
  ha_diags *d = NULL;
  bool ok = false;
  size_t probes = load_counted(t, len, false, &ok, &d);
  CHECK(!ok);
  CHECK(probes <= 4 * (size_t)N);
  char last[700] = "";
  CHECK(count_with(d, "listed twice", last, sizeof(last)) == 1);
  CHECK(strstr(last, "groups[0].tracks[4000]: track 9 is listed twice") != NULL);
  ha_diags_destroy(d);
}

int main(void) {
  RUN(test_same_name_animations);
  RUN(test_many_cues);
  RUN(test_many_auto_start_groups);
  RUN(test_long_track_list);
  return test_done();
}
