/* A show's "mappings": the compiler's errors (file:line:column, the field,
 * what is wrong), the compiled table, and a player driven by them: an OSC
 * input becomes an edit of the group's animation whose positions, once the
 * blend is over, are the model's with the parameter at the mapped value. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "holoanim.h"
#include "test.h"
#include "test_show.h"

static const char head[] =
    "{\"format\": 1, \"tracks\": [{\"id\": 1}],\n"
    " \"animations\": [{\"name\": \"c\", \"model\": \"circular\", \"duration\": 4, \"loop\": "
    "true,\n"
    "   \"parameters\": {\"center\": [0, 2, 0], \"radius\": 3, \"turns\": 1}},\n"
    "  {\"name\": \"k\", \"model\": \"keyframes\"}],\n"
    " \"groups\": [{\"name\": \"ring\", \"animation\": \"c\", \"tracks\": [1], \"autoStart\": "
    "true},\n"
    "  {\"name\": \"keys\", \"animation\": \"k\", \"tracks\": [1]}],\n"
    " \"mappings\": [\n";

/* Loads head + `tail`; the diagnostics, one a line, into got. */
static ha_status load_with(const char *tail, char *got, size_t cap, ha_show **out) {
  static char text[16384];
  snprintf(text, sizeof text, "%s%s", head, tail);
  ha_diags *d = NULL;
  ha_diags_create(&d);
  ha_show *s = NULL;
  ha_status st = ha_show_load_string(text, strlen(text), "m.json", &s, d);
  size_t used = 0;
  got[0] = '\0';
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    char line[600];
    ha_diag_format(ha_diags_at(d, i), line, sizeof line);
    int n = snprintf(got + used, cap - used, "%s%s", i ? "\n" : "", line);
    used += n > 0 && (size_t)n < cap - used ? (size_t)n : 0;
  }
  ha_diags_destroy(d);
  if (out != NULL) {
    *out = s;
  } else {
    ha_show_destroy(s);
  }
  return st;
}

/* Each mistake named where it is: the group, the parameter the model
 * lacks (or that is no number), an output range outside the parameter's
 * allowed range, an address that is no plain OSC address, a range that is
 * not two numbers, an empty input range, the same number mapped twice. */
static void test_compile_errors(void) {
  char got[4096];
  ha_status st = load_with(
      "  {\"address\": \"/a\", \"group\": \"rong\", \"param\": \"radius\", \"output\": [1, 8]},\n"
      "  {\"address\": \"/b\", \"group\": \"ring\", \"param\": \"radiuss\", \"output\": [1, 8]},\n"
      "  {\"address\": \"/c\", \"group\": \"ring\", \"param\": \"radius\", \"output\": [-1, 8]},\n"
      "  {\"address\": \"/d\", \"group\": \"ring\", \"param\": \"direction\", \"output\": [0, "
      "1]},\n"
      "  {\"address\": \"/e\", \"group\": \"ring\", \"param\": \"center\", \"output\": [0, 1]},\n"
      "  {\"address\": \"/f/*\", \"group\": \"ring\", \"param\": \"center.w\", \"output\": 3},\n"
      "  {\"address\": \"/g\", \"group\": \"ring\", \"param\": \"speed\", \"input\": [1, 1], "
      "\"output\": [0, 1]},\n"
      "  {\"address\": \"/h\", \"group\": \"ring\", \"param\": \"turns\", \"output\": [0, 2], "
      "\"smoothing\": 90, \"smoothingMode\": \"linear\", \"arg\": 16},\n"
      "  {\"address\": \"/i\", \"group\": \"keys\", \"param\": \"keyframes\", \"output\": [0, "
      "1]},\n"
      "  {\"group\": \"ring\", \"param\": \"startAngle\", \"output\": [0, 40000]}\n"
      "]}",
      got, sizeof got, NULL);
  CHECK_INT(st, HA_EPARSE);
  static const char want[] =
      "m.json:8:30: mappings[0].group: no group named \"rong\"\n"
      "m.json:9:47: mappings[1].param: \"radiuss\" is not a parameter of model circular (group "
      "\"ring\"; numeric parameters: center.x|y|z, radius, speed, startAngle)\n"
      "m.json:10:67: mappings[2].output: [-1, 8] is outside radius's allowed range [0, 1000] m\n"
      "m.json:11:47: mappings[3].param: \"direction\" is not a number in model circular (group "
      "\"ring\"; numeric parameters: center.x|y|z, radius, speed, startAngle)\n"
      "m.json:12:47: mappings[4].param: \"center\" is a vec3 (map one axis: .x, .y or .z) in model "
      "circular (group \"ring\"; numeric parameters: center.x|y|z, radius, speed, startAngle)\n"
      "m.json:13:15: mappings[5].address: \"/f/*\" is not an OSC address (it starts with '/' and "
      "has no spaces or pattern characters)\n"
      "m.json:13:49: mappings[5].param: \"center.w\" names no axis (.x, .y or .z) of model "
      "circular "
      "(group \"ring\"; numeric parameters: center.x|y|z, radius, speed, startAngle)\n"
      "m.json:13:71: mappings[5].output: expected [from, to] (two numbers), got a number\n"
      "m.json:14:65: mappings[6].input: the input range needs two different numbers\n"
      "m.json:15:125: mappings[7].arg: 16 is above the maximum 15\n"
      "m.json:15:87: mappings[7].smoothing: 90 is above the maximum 60\n"
      "m.json:15:108: mappings[7].smoothingMode: 'linear' is not one of one-pole|slew\n"
      "m.json:15:47: mappings[7].param: speed of this group is already mapped by mappings[6]\n"
      "m.json:16:47: mappings[8].param: \"keyframes\" is not a number in model keyframes (group "
      "\"keys\"; numeric parameters: rideStart.x|y|z)\n"
      "m.json:17:3: mappings[9].address: missing required field\n"
      "m.json:17:54: mappings[9].output: [0, 40000] is outside startAngle's allowed range "
      "[-36000, 36000] deg";
  CHECK_MSG(strcmp(got, want) == 0, "diagnostics\n--- got:\n%s\n--- expected:\n%s", got, want);
}

/* More mappings than a player takes: one error at the section. */
static void test_too_many(void) {
  static char tail[65 * 120 + 8];
  size_t used = 0;
  for (int i = 0; i < 65; i++) {
    used += (size_t)snprintf(tail + used, sizeof tail - used,
                             "%s{\"address\": \"/m/%d\", \"group\": \"ring\", \"param\": \"%s\", "
                             "\"output\": [0, 1]}\n",
                             i ? "," : "", i, i == 0 ? "radius" : "startAngle");
  }
  snprintf(tail + used, sizeof tail - used, "]}");
  char got[16384];
  CHECK_INT(load_with(tail, got, sizeof got, NULL), HA_EPARSE);
  CHECK_MSG(strstr(got, "mappings: 65 mappings: a show has at most 64") != NULL, "%s", got);
}

/* A cue's own OSC address cannot be a mapping's too. */
static void test_cue_address(void) {
  char got[4096];
  CHECK_INT(load_with("  {\"address\": \"/go\", \"group\": \"ring\", \"param\": \"radius\", "
                      "\"output\": [1, 2]}],\n"
                      " \"cues\": [{\"number\": 1, \"osc\": \"/go\", \"actions\": [{\"type\": "
                      "\"stop\"}]}]}",
                      got, sizeof got, NULL),
            HA_EPARSE);
  CHECK_STR(got, "m.json:8:15: mappings[0].address: \"/go\" already fires cues[0]");
}

static const char good[] =
    "  {\"address\": \"/desk/fader/1\", \"group\": \"ring\", \"param\": \"radius\", "
    "\"input\": [0, 1], \"output\": [1, 8]},\n"
    "  {\"address\": \"/desk/xy\", \"arg\": 1, \"group\": \"ring\", \"param\": \"center.y\", "
    "\"input\": [-1, 1], \"output\": [-5, 5], \"smoothing\": 0.5, \"smoothingMode\": \"slew\"},\n"
    "  {\"address\": \"/desk/fader/2\", \"group\": \"ring\", \"param\": \"turns\", "
    "\"output\": [0, 4]}\n"
    "]}";

/* The compiled table: canonical names ("turns" is speed's alias), axes,
 * ranges and defaults, each parameter's value in the show. */
static void test_table(void) {
  char got[4096];
  ha_show *s = NULL;
  CHECK_INT(load_with(good, got, sizeof got, &s), HA_OK);
  if (s == NULL) {
    return;
  }
  size_t n = 0;
  const ha_show_mapping *m = ha_show_mappings(s, &n);
  CHECK_INT((int)n, 3);
  CHECK_STR(m[0].address, "/desk/fader/1");
  CHECK_STR(m[0].param, "radius");
  CHECK_INT(m[0].component, -1);
  CHECK_INT((int)m[0].group, 0);
  CHECK_NEAR(m[0].out_max, 8, 0);
  CHECK(!m[0].slew);
  CHECK_NEAR(m[0].smoothing, 0, 0);
  CHECK_STR(m[1].param, "center");
  CHECK_INT(m[1].component, 1);
  CHECK_INT((int)m[1].arg, 1);
  CHECK(m[1].slew);
  CHECK_STR(m[2].param, "speed");
  CHECK_NEAR(m[2].in_min, 0, 0);
  CHECK_NEAR(m[2].in_max, 1, 0);
  CHECK_NEAR(ha_show_mapping_base(s, 0), 3, 0);
  CHECK_NEAR(ha_show_mapping_base(s, 1), 2, 0);
  CHECK_NEAR(ha_show_mapping_base(s, 2), 1, 0);
  CHECK(isnan(ha_show_mapping_base(s, 3)));
  CHECK_INT((int)ha_show_mapping_match_osc(s, "/desk/fader/*", 0), 0);
  CHECK_INT((int)ha_show_mapping_match_osc(s, "/desk/fader/*", 1), 2);
  CHECK(ha_show_mapping_match_osc(s, "/desk/fader/*", 3) == SIZE_MAX);
  test_show_round_trip(s);
  ha_show_destroy(s);
}

/* The position of track 1 on a circle in the xy plane about `c` with
 * `radius`, `turns` per 4 s, at transport time t (what the engine gives the
 * group: shared mode, no phase). */
static ha_vec3 circle_at(ha_vec3 c, double radius, double turns, double t) {
  ha_params *ps = NULL;
  ha_params_create(&ps);
  ha_params_set_vec3(ps, "center", c);
  ha_params_set_number(ps, "radius", radius);
  ha_params_set_number(ps, "speed", turns);
  ha_timing tm = ha_timing_default();
  tm.duration = 4;
  tm.loop = HA_LOOP_LOOP;
  ha_motion *mo = NULL;
  ha_vec3 p = ha_vec3_make(NAN, NAN, NAN);
  if (ha_motion_create("circular", ps, &tm, &mo, NULL) == HA_OK) {
    p = ha_motion_eval(mo, t, NULL);
  }
  ha_motion_destroy(mo);
  ha_params_destroy(ps);
  return p;
}

/* Ticks at 100 Hz from *now for `seconds`, making the mapped edits between
 * ticks as a control thread would; the last published position and time. */
static ha_vec3 run(const ha_show *s, ha_player *p, double *now, double seconds, double *t) {
  ha_store_snapshot *snap = NULL;
  ha_store_snapshot_create(ha_store_capacity(ha_player_store(p)), &snap);
  for (double end = *now + seconds; *now < end; *now += 0.01) {
    ha_show_player_map_update(s, p, NULL);
    CHECK_OK(ha_player_tick_once(p, *now));
  }
  ha_vec3 pos = ha_vec3_make(NAN, NAN, NAN);
  if (snap != NULL && ha_store_read(ha_player_store(p), snap) == HA_OK && snap->count == 1) {
    pos = ha_vec3_make(snap->x[0], snap->y[0], snap->z[0]);
    *t = snap->time;
  }
  ha_store_snapshot_destroy(snap);
  return pos;
}

/* On a player: nothing moves the path before an input; a fader value
 * becomes radius 4.5 (after the blend: exactly the model's path with it);
 * the second argument of /desk/xy drives center.y (slewed); "turns",
 * written under its alias in the show, is edited under its own name; a
 * string argument and NaN are refused; a pattern reaches both faders. */
static void test_player_edits(void) {
  char got[4096];
  ha_show *s = NULL;
  CHECK_INT(load_with(good, got, sizeof got, &s), HA_OK);
  if (s == NULL) {
    return;
  }
  ha_player_config pc = ha_show_player_config(s, NULL);
  ha_player *p = NULL;
  CHECK_OK(ha_player_create(&pc, &p, NULL));
  CHECK_OK(ha_show_player_setup(s, p, NULL));
  CHECK_INT((int)ha_player_mapping_count(p), 3);
  CHECK_OK(ha_show_player_play(s, p, NULL));
  double now = 100.0, t = 0;
  ha_vec3 pos = run(s, p, &now, 0.5, &t);
  CHECK_POINT(pos, circle_at(ha_vec3_make(0, 2, 0), 3, 1, t), 1e-9);
  double one[] = {0.5}, xy[] = {0.0, 0.6}, text[] = {NAN};
  size_t taken = 0;
  CHECK_INT(ha_show_player_map_osc(s, p, "/desk/fader/1", text, 1, &taken), HA_EINVAL);
  CHECK_INT(ha_show_player_map_osc(s, p, "/desk/xy", one, 1, &taken), HA_EINVAL); /* no arg 1 */
  CHECK_INT(ha_show_player_map_osc(s, p, "/nobody", one, 1, &taken), HA_ENOTFOUND);
  pos = run(s, p, &now, 0.5, &t);
  CHECK_POINT(pos, circle_at(ha_vec3_make(0, 2, 0), 3, 1, t), 1e-9); /* nothing applied */
  CHECK_OK(ha_show_player_map_osc(s, p, "/desk/fader/1", one, 1, &taken));
  CHECK_INT((int)taken, 1);
  CHECK_OK(ha_show_player_map_osc(s, p, "/desk/xy", xy, 2, &taken));
  /* the edit blends over 0.25 s; center.y slews 10 m in 0.5 s: 2 -> 3 in 0.05 s */
  pos = run(s, p, &now, 1.0, &t);
  CHECK_POINT(pos, circle_at(ha_vec3_make(0, 3, 0), 4.5, 1, t), 1e-9);
  /* one pattern, both faders: radius 8, speed (turns) 4 */
  double full[] = {1.0};
  CHECK_OK(ha_show_player_map_osc(s, p, "/desk/fader/*", full, 1, &taken));
  CHECK_INT((int)taken, 2);
  pos = run(s, p, &now, 1.0, &t);
  CHECK_POINT(pos, circle_at(ha_vec3_make(0, 3, 0), 8, 4, t), 1e-9);
  ha_mapping_state ms;
  CHECK_OK(ha_player_mapping_get(p, 2, &ms));
  CHECK_NEAR(ms.value, 4, 0);
  ha_player_destroy(p);
  ha_show_destroy(s);
}

/* Edits of a show with mappings: one that takes a mapped parameter away
 * (the group given another animation) is refused as a load would be, and edits
 * the incremental compiler makes (a track's field) keep the mappings table
 * valid after the versions it was copied from are dropped (ASan's build
 * reads freed memory otherwise). */
static void test_edits_keep_mappings(void) {
  char got[4096];
  ha_show *s = NULL;
  CHECK_INT(load_with(good, got, sizeof got, &s), HA_OK);
  if (s == NULL) {
    return;
  }
  ha_diags *d = NULL;
  ha_diags_create(&d);
  uint64_t v = ha_show_version(s);
  CHECK_INT(ha_show_edit(s, "replace", "/groups/0/animation", "\"k\"", d), HA_EINVAL);
  CHECK(ha_show_version(s) == v);
  ha_show_set_history_limit(s, 1);
  for (int i = 0; i < 4; i++) {
    char pos[64];
    snprintf(pos, sizeof pos, "[%d, 1, 0]", i);
    CHECK_INT(ha_show_edit(s, "add", "/tracks/0/position", pos, d), HA_OK);
  }
  size_t n = 0;
  const ha_show_mapping *m = ha_show_mappings(s, &n);
  CHECK_INT((int)n, 3);
  CHECK_STR(m[0].address, "/desk/fader/1");
  CHECK_STR(m[1].address, "/desk/xy");
  CHECK_INT(m[1].component, 1);
  CHECK_NEAR(m[2].out_max, 4, 0);
  ha_diags_destroy(d);
  ha_show_destroy(s);
}

int main(void) {
  RUN(test_compile_errors);
  RUN(test_too_many);
  RUN(test_cue_address);
  RUN(test_table);
  RUN(test_player_edits);
  RUN(test_edits_keep_mappings);
  return test_done();
}
