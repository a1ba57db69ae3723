/* Show files: loading, validation diagnostics (exact text with line:column),
 * unknown-field warnings, migration from format 0, canonical round trips,
 * and the examples. */
#include "holoanim.h"
#include "holoanim/show.h"
#include "test.h"
#include "test_show.h"

#include <stdlib.h>
#include <unistd.h>

/* All diagnostics of loading `text` as "t.json", one formatted line each. */
static ha_status load_lines(const char *text, char *out, size_t cap, ha_show **keep) {
  ha_diags *d = NULL;
  ha_diags_create(&d);
  ha_show *s = NULL;
  ha_status st = ha_show_load_string(text, strlen(text), "t.json", &s, d);
  out[0] = '\0';
  size_t len = 0;
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    char line[700];
    ha_diag_format(ha_diags_at(d, i), line, sizeof(line));
    len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "\n" : "", line);
  }
  if (keep != NULL) {
    *keep = s;
  } else {
    ha_show_destroy(s);
  }
  ha_diags_destroy(d);
  return st;
}

/* `text` loaded (HA_OK) with exactly the diagnostics `want`, one line
 * each; NULL when the load failed. */
static ha_show *load_expecting(const char *text, const char *want) {
  ha_show *s = NULL;
  char got[4096];
  CHECK_INT(load_lines(text, got, sizeof(got), &s), HA_OK);
  CHECK_STR(got, want);
  return s;
}

typedef struct bad_case {
  const char *name;
  const char *text;
  int status;
  const char *diags;
} bad_case;

/* Each text is laid out so line:column can be read off it. */
static const bad_case bad_cases[] = {
    {"syntax", "{\"format\": 1,\n\"name\": }", HA_EPARSE, "t.json:2:9: unexpected token near '}'"},
    {"duplicate key", "{\"format\": 1, \"format\": 1}", HA_EPARSE,
     "t.json:1:22: duplicate object key near '\"format\"'"},
    {"not an object", "[1, 2]", HA_EPARSE, "t.json:1:1: expected an object, got an array"},
    {"no format", "{\n  \"name\": \"x\"\n}", HA_EPARSE,
     "t.json:1:1: format: missing required field (a show file starts with \"format\": 2)"},
    {"newer format", "{\n  \"format\": 3\n}", HA_EUNSUPPORTED,
     "t.json:2:13: format: format 3 is newer than this holoanim reads (formats 0 to 2); upgrade "
     "holoanim"},
    {"fractional format", "{\"format\": 1.5}", HA_EPARSE,
     "t.json:1:12: format: expected a whole number, got a fractional number"},
    {"negative format", "{\"format\": -1}", HA_EPARSE,
     "t.json:1:12: format: -1 is not a show format (0 to 2)"},
    {"tracks",
     "{\"format\": 1, \"tracks\": [\n"
     "  {\"id\": 0},\n"
     "  {\"name\": \"no id\"},\n"
     "  {\"id\": 2, \"color\": \"red\", \"position\": [1, 2], \"gain\": 20},\n"
     "  {\"id\": 3, \"position\": [1, \"y\", 0]},\n"
     "  {\"id\": 4}, {\"id\": 4}, {\"id\": 2.5}, \"seven\"\n"
     "]}",
     HA_EPARSE,
     "t.json:2:10: tracks[0].id: 0 is below the minimum 1\n"
     "t.json:3:3: tracks[1].id: missing required field\n"
     "t.json:4:22: tracks[2].color: \"red\" is not a colour #rrggbb\n"
     "t.json:4:41: tracks[2].position: expected [x, y, z], got 2 values\n"
     "t.json:4:57: tracks[2].gain: 20 is above the maximum 12\n"
     "t.json:5:29: tracks[3].position[1]: expected a number, got a string\n"
     "t.json:6:21: tracks[5].id: duplicate track id 4 (also tracks[4])\n"
     "t.json:6:32: tracks[6].id: 2.5 is not a whole number\n"
     "t.json:6:38: tracks[7]: expected an object, got a string"},
    {"animation parameters (the engine's words, every bad one)",
     "{\"format\": 1, \"animations\": [\n"
     "  {\"name\": \"a\", \"model\": \"circular\",\n"
     "   \"parameters\": {\"radius\": -1, \"center\": [0, 0, 5000], \"plane\": \"xw\"}}\n"
     "]}",
     HA_EPARSE,
     "t.json:3:29: animations[0].parameters.radius: -1 is below the minimum 0\n"
     "t.json:3:50: animations[0].parameters.center[2]: 5000 is above the maximum 1000\n"
     "t.json:3:66: animations[0].parameters.plane: 'xw' is not one of xy|xz|yz"},
    {"animation fields",
     "{\"format\": 1, \"animations\": [\n"
     "  {\"name\": \"a\", \"model\": \"spinner\"},\n"
     "  {\"name\": \"a\", \"model\": \"linear\", \"duration\": 0},\n"
     "  {\"name\": \"c\", \"model\": \"linear\", \"loop\": \"forever\", \"fadeIn\": -1},\n"
     "  {\"model\": \"linear\", \"parameters\": []},\n"
     "  {\"name\": \"e\", \"model\": \"circular\", \"parameters\": {\"radiu\": 2}}\n"
     "]}",
     HA_EPARSE,
     "t.json:2:26: animations[0].model: unknown model 'spinner' (see 'holoanim models')\n"
     "t.json:3:12: animations[1].name: duplicate animation name \"a\" (also animations[0])\n"
     "t.json:3:48: animations[1].duration: 0 is below the minimum 0.001\n"
     "t.json:4:44: animations[2].loop: 'forever' is not one of once|loop|pingpong\n"
     "t.json:4:65: animations[2].fadeIn: -1 is below the minimum 0\n"
     "t.json:5:3: animations[3].name: missing required field\n"
     "t.json:5:37: animations[3].parameters: expected an object, got an array\n"
     "t.json:6:62: animations[4].parameters.radiu: unknown parameter for model circular "
     "(known: center, radius, speed, startAngle, direction, plane, rotation, rotationOrder, "
     "scale, offset, offsetTurn)"},
    {"keyframes",
     "{\"format\": 1, \"animations\": [\n"
     "  {\"name\": \"k\", \"model\": \"keyframes\", \"duration\": 4, \"parameters\": "
     "{\"keyframes\": [\n"
     "    {\"time\": 0, \"position\": [0, 0, 0]},\n"
     "    {\"time\": 9, \"position\": [1, 0, 0]},\n"
     "    {\"time\": 4, \"position\": [2, 0, 0], \"easing\": \"wobble\"}\n"
     "  ]}}\n"
     "]}",
     HA_EPARSE,
     "t.json:5:50: animations[0].parameters.keyframes[2].easing: 'wobble' is not a known easing "
     "(linear, quad-in, ..., bounce-in-out; see 'holoanim models')"},
    {"keyframe time",
     "{\"format\": 1, \"animations\": [\n"
     "  {\"name\": \"k\", \"model\": \"keyframes\", \"duration\": 4, \"parameters\": "
     "{\"keyframes\": [\n"
     "    {\"time\": 0, \"position\": [0, 0, 0]},\n"
     "    {\"time\": 9, \"position\": [1, 0, 0]}\n"
     "  ]}}\n"
     "]}",
     HA_EPARSE,
     "t.json:4:14: animations[0].parameters.keyframes[1].time: 9 is above the maximum 4"},
    {"groups",
     "{\"format\": 1, \"tracks\": [{\"id\": 1}, {\"id\": 2}],\n"
     " \"animations\": [{\"name\": \"orbit\", \"model\": \"circular\"}],\n"
     " \"groups\": [\n"
     "  {\"name\": \"g\", \"animation\": \"orbt\", \"tracks\": [1, 9, 1]},\n"
     "  {\"name\": \"g\", \"animation\": \"orbit\", \"tracks\": [], \"mode\": \"swirl\"},\n"
     "  {\"name\": \"m\", \"animation\": \"orbit\", \"tracks\": [2], \"mode\": \"mirror\", "
     "\"mirrorAxis\": "
     "\"w\", \"delay\": -1}\n"
     "]}",
     HA_EPARSE,
     "t.json:4:30: groups[0].animation: no animation named \"orbt\"\n"
     "t.json:4:52: groups[0].tracks[1]: no track with id 9\n"
     "t.json:4:55: groups[0].tracks[2]: track 1 is listed twice\n"
     "t.json:5:12: groups[1].name: duplicate group name \"g\" (also groups[0])\n"
     "t.json:5:49: groups[1].tracks: a group needs at least one track\n"
     "t.json:5:61: groups[1].mode: 'swirl' is not one of shared|relative|isobarycentric|centered|"
     "spread|mirror\n"
     "t.json:6:100: groups[2].delay: -1 is below the minimum 0\n"
     "t.json:6:86: groups[2].mirrorAxis: 'w' is not one of x|y|z"},
    {"presets",
     "{\"format\": 1, \"tracks\": [{\"id\": 1}],\n"
     " \"presets\": [\n"
     "  {\"name\": \"p\", \"positions\": {\"1\": [0, 0, 0], \"x1\": [1, 1, 1], \"7\": [0, 0, 0], "
     "\"01\": [0, 0, 0]}},\n"
     "  {\"name\": \"q\", \"positions\": {\"1\": {\"x\": 0}}},\n"
     "  {\"name\": \"p\"}\n"
     "]}",
     HA_EPARSE,
     "t.json:3:47: presets[0].positions.x1: \"x1\" is not a track id\n"
     "t.json:3:64: presets[0].positions[\"7\"]: no track with id 7\n"
     "t.json:3:80: presets[0].positions[\"01\"]: \"01\" is not a track id\n"
     "t.json:4:36: presets[1].positions[\"1\"]: expected [x, y, z], got an object\n"
     "t.json:5:12: presets[2].name: duplicate preset name \"p\" (also presets[0])\n"
     "t.json:5:3: presets[2].positions: missing required field"},
    {"cues",
     "{\"format\": 1, \"tracks\": [{\"id\": 1}, {\"id\": 2}],\n"
     " \"animations\": [{\"name\": \"a\", \"model\": \"linear\"}],\n"
     " \"groups\": [{\"name\": \"g\", \"animation\": \"a\", \"tracks\": [1]}],\n"
     " \"presets\": [{\"name\": \"p\", \"positions\": {\"1\": [0, 0, 0]}}],\n"
     " \"cues\": [\n"
     "  {\"number\": 1, \"osc\": \"go\", \"actions\": [{\"type\": \"jump\"}]},\n"
     "  {\"number\": 1, \"osc\": \"/go\", \"actions\": [{\"type\": \"start\", \"group\": \"g\", "
     "\"animation\": \"a\"}]},\n"
     "  {\"number\": 2, \"osc\": \"/go\", \"actions\": [{\"type\": \"start\"}, {\"type\": "
     "\"stop\", "
     "\"group\": \"g\", \"tracks\": [1]}]},\n"
     "  {\"number\": 3, \"actions\": [{\"type\": \"preset\", \"preset\": \"p\", \"tracks\": [2], "
     "\"stagger\": -1}]},\n"
     "  {\"number\": 4, \"actions\": [{\"type\": \"goto\", \"track\": 5, \"position\": [0, 0]}, "
     "{\"type\": \"preset\", \"preset\": \"nope\"}]},\n"
     "  {\"number\": 5, \"actions\": [{\"type\": \"start\", \"animation\": \"a\"}, {\"type\": "
     "\"start\", \"group\": \"h\"}]},\n"
     "  {\"actions\": 3}\n"
     "]}",
     HA_EPARSE,
     "t.json:6:24: cues[0].osc: \"go\" is not an OSC address (it starts with '/' and has no "
     "spaces or pattern characters)\n"
     "t.json:6:51: cues[0].actions[0].type: 'jump' is not one of start|stop|preset|goto\n"
     "t.json:7:14: cues[1].number: duplicate cue number 1 (also cues[0])\n"
     "t.json:7:43: cues[1].actions[0]: give either \"group\" or \"animation\", not both\n"
     "t.json:8:24: cues[2].osc: OSC address \"/go\" already fires cues[1]\n"
     "t.json:8:43: cues[2].actions[0]: a start action needs \"group\" or \"animation\"\n"
     "t.json:8:62: cues[2].actions[1]: give only one of \"group\", \"animation\" or \"tracks\"\n"
     "t.json:9:89: cues[3].actions[0].stagger: -1 is below the minimum 0\n"
     "t.json:9:74: cues[3].actions[0].tracks[0]: track 2 is not in preset \"p\"\n"
     "t.json:10:55: cues[4].actions[0].track: no track with id 5\n"
     "t.json:10:70: cues[4].actions[0].position: expected [x, y, z], got 2 values\n"
     "t.json:10:108: cues[4].actions[1].preset: no preset named \"nope\"\n"
     "t.json:11:29: cues[5].actions[0].tracks: missing required field\n"
     "t.json:11:93: cues[5].actions[1].group: no group named \"h\"\n"
     "t.json:12:3: cues[6].number: missing required field\n"
     "t.json:12:15: cues[6].actions: expected an array, got a number"},
    {"outputs",
     "{\"format\": 1, \"tracks\": [{\"id\": 1}, {\"id\": 2}],\n"
     " \"outputs\": [\n"
     "  {\"name\": \"a\", \"port\": 70000, \"dialect\": \"osc\", \"rate\": 0},\n"
     "  {\"name\": \"b\", \"host\": \"h\", \"dialect\": \"adm-osc\", \"azimuthSign\": "
     "\"clockwise\",\n"
     "   \"trackMap\": {\"1\": 5, \"2\": 5, \"3\": 1}, \"deadband\": {\"angle\": 90}, \"bundle\": "
     "{\"enabled\": 1}}\n"
     "]}",
     HA_EPARSE,
     "t.json:3:3: outputs[0].host: missing required field\n"
     "t.json:3:25: outputs[0].port: 70000 is above the maximum 65535\n"
     "t.json:3:43: outputs[0].dialect: 'osc' is not one of holophonix|adm-osc\n"
     "t.json:3:58: outputs[0].rate: 0 is below the minimum 1\n"
     "t.json:4:52: warning: outputs[1].azimuthSign: ignored: ADM-OSC always counts azimuth "
     "counterclockwise (+ = left)\n"
     "t.json:5:64: outputs[1].deadband.angle: 90 is above the maximum 45\n"
     "t.json:5:91: outputs[1].bundle.enabled: expected true or false, got a number\n"
     "t.json:5:30: outputs[1].trackMap[\"2\"]: device index 5 is already the target of track 1\n"
     "t.json:5:33: outputs[1].trackMap[\"3\"]: no track with id 3"},
    {"limits and control",
     "{\"format\": 1,\n"
     " \"limits\": {\"box\": {\"min\": [0, 5, 0], \"max\": [1, 2, 1]}, \"maxSpeed\": -2},\n"
     " \"control\": {\"port\": 0, \"allow\": [\"a\", 1]}\n"
     "}",
     HA_EPARSE,
     "t.json:2:32: limits.box.min[1]: 5 is above max[1] 2 (the box would be empty)\n"
     "t.json:2:70: limits.maxSpeed: -2 is below the minimum 0\n"
     "t.json:3:22: control.port: 0 is below the minimum 1\n"
     "t.json:3:40: control.allow[1]: expected a string, got a number"},
    {"output hosts",
     "{\"format\": 1,\n"
     " \"outputs\": [{\"name\": \"a\", \"host\": \"10.0.0.5:4003\"},\n"
     "  {\"name\": \"b\", \"host\": \"[fd00::5]\"}, {\"name\": \"c\", \"host\": \"a/b\"},\n"
     "  {\"name\": \"d\", \"host\": \"fe80::1%eth0\"}, {\"name\": \"e\", \"host\": \"desk\"},\n"
     "  {\"name\": \"f\", \"host\": \"fd00::5]\"}]\n"
     "}",
     HA_EPARSE,
     "t.json:2:36: outputs[0].host: \"10.0.0.5:4003\" is not a host (an IPv4 address, an IPv6 "
     "address such as fd00::5 or [fd00::5], or a host name; the port goes in \"port\")\n"
     "t.json:3:61: outputs[2].host: \"a/b\" is not a host (an IPv4 address, an IPv6 address such "
     "as fd00::5 or [fd00::5], or a host name)\n"
     "t.json:5:25: outputs[5].host: \"fd00::5]\" is not a host (an IPv4 address, an IPv6 address "
     "such as fd00::5 or [fd00::5], or a host name; the port goes in \"port\")"},
    {"control addresses",
     "{\"format\": 1,\n"
     " \"control\": {\"bind\": \"0.0.0.0:4010\", \"allow\": [\"10.0.0.0/33\", \"fd00::/8\", \"a "
     "b\"],\n"
     "  \"allowLoopback\": 0}\n"
     "}",
     HA_EPARSE,
     "t.json:2:22: control.bind: \"0.0.0.0:4010\" is not an address to listen on (IPv4 such as "
     "0.0.0.0, IPv6 such as :: or [::1], or a host name; the port goes in \"port\")\n"
     "t.json:2:48: control.allow[0]: '10.0.0.0/33' is not a CIDR range (a numeric address, '/', "
     "a prefix length 0..32 for IPv4, 0..128 for IPv6)\n"
     "t.json:2:75: control.allow[2]: 'a b' is not an address, a CIDR range or a host name\n"
     "t.json:3:20: control.allowLoopback: expected true or false, got a number"},
};

static void test_bad_shows(void) {
  char got[8192];
  for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
    const bad_case *c = &bad_cases[i];
    ha_status st = load_lines(c->text, got, sizeof(got), NULL);
    CHECK_MSG(st == c->status, "%s: status %d, expected %d", c->name, st, c->status);
    CHECK_MSG(strcmp(got, c->diags) == 0, "%s: diagnostics\n--- got:\n%s\n--- expected:\n%s",
              c->name, got, c->diags);
  }
}

static void test_unknown_fields_warn(void) {
  const char *text =
      "{\"format\": 1, \"nmae\": \"x\",\n"
      " \"tracks\": [{\"id\": 1, \"colour\": \"#ff0000\", \"extra\": true}],\n"
      " \"animations\": [{\"name\": \"a\", \"model\": \"linear\", \"durration\": 3}],\n"
      " \"metadata\": {\"venue\": \"free keys are fine\"}\n"
      "}";
  char got[4096];
  ha_show *s = NULL;
  ha_status st = load_lines(text, got, sizeof(got), &s);
  CHECK_INT(st, HA_OK);
  CHECK(s != NULL);
  CHECK_STR(got,
            "t.json:1:15: warning: nmae: unknown field, ignored (did you mean \"name\"?)\n"
            "t.json:2:23: warning: tracks[0].colour: unknown field, ignored (did you mean "
            "\"color\"?)\n"
            "t.json:2:44: warning: tracks[0].extra: unknown field, ignored\n"
            "t.json:3:50: warning: animations[0].durration: unknown field, ignored (did you mean "
            "\"duration\"?)");
  if (s != NULL) {
    CHECK_STR(ha_show_metadata(s, "venue"), "free keys are fine");
    /* Unknown fields survive a save (they may be a newer holoanim's). */
    char *out = NULL;
    ha_show_save_string(s, &out, NULL);
    CHECK(out != NULL && strstr(out, "\"colour\": \"#ff0000\"") != NULL);
    free(out);
  }
  ha_show_destroy(s);
}

static void test_diags_api(void) {
  ha_diags *d = NULL;
  CHECK_OK(ha_diags_create(&d));
  ha_show *s = NULL;
  const char *text = "{\"format\": 1, \"tracks\": [{\"id\": 0, \"x\": 1}]}";
  CHECK_INT(ha_show_load_string(text, strlen(text), NULL, &s, d), HA_EPARSE);
  CHECK(s == NULL);
  CHECK_INT(ha_diags_count(d), 2);
  CHECK_INT(ha_diags_errors(d), 1);
  CHECK_INT(ha_diags_warnings(d), 1);
  const ha_diag *g = ha_diags_at(d, 1);
  CHECK(g != NULL && g->severity == HA_DIAG_ERROR);
  if (g != NULL) {
    CHECK_STR(g->path, "tracks[0].id");
    CHECK_STR(g->message, "0 is below the minimum 1");
    CHECK_INT(g->line, 1);
    CHECK_INT(g->column, 33);
    char line[256];
    /* no file name: the position is left out */
    CHECK_INT(ha_diag_format(g, line, sizeof(line)),
              (int)strlen("tracks[0].id: 0 is below the minimum 1"));
    CHECK_STR(line, "tracks[0].id: 0 is below the minimum 1");
    char small[8];
    ha_diag_format(g, small, sizeof(small));
    CHECK_STR(small, "tracks[");
  }
  CHECK(ha_diags_at(d, 2) == NULL);
  ha_diags_clear(d);
  CHECK_INT(ha_diags_count(d), 0);
  ha_diags_destroy(d);
  ha_diags_destroy(NULL);
  /* diags may be NULL */
  CHECK_INT(ha_show_load_string(text, strlen(text), "x", &s, NULL), HA_EPARSE);
}

static void test_load_file_errors(void) {
  ha_diags *d = NULL;
  ha_diags_create(&d);
  ha_show *s = NULL;
  CHECK_INT(ha_show_load_file("/nonexistent/dir/show.json", &s, d), HA_EIO);
  CHECK(s == NULL);
  char line[512];
  ha_diag_format(ha_diags_at(d, 0), line, sizeof(line));
  CHECK_STR(line, "/nonexistent/dir/show.json: cannot read: No such file or directory");
  ha_diags_destroy(d);
}

/* The first diagnostic of loading `path` with `flags`, formatted. */
static ha_status load_first_diag(const char *path, unsigned flags, char *line, size_t cap) {
  ha_diags *d = NULL;
  ha_diags_create(&d);
  ha_show *s = NULL;
  ha_status st = ha_show_load_file_ex(path, flags, &s, d);
  line[0] = '\0';
  if (ha_diags_count(d) > 0) {
    ha_diag_format(ha_diags_at(d, 0), line, cap);
  }
  ha_show_destroy(s);
  ha_diags_destroy(d);
  return st;
}

/* A project folder's file (HA_SHOW_LOAD_NOFOLLOW | NO_CONTENT): a symbolic
 * link is refused, and a file that is not JSON is reported by position and
 * reason only, never its bytes; a file the user names quotes them. */
static void test_load_file_untrusted(void) {
  char dir[] = "/tmp/ha_test_untrusted_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char secret[256], link[256], line[512];
  snprintf(secret, sizeof(secret), "%s/secret.txt", dir);
  snprintf(link, sizeof(link), "%s/p.json", dir);
  FILE *f = fopen(secret, "w");
  CHECK(f != NULL);
  fputs("root:SECRETHASH:19000:0:99999:7:::\n", f);
  fclose(f);
  CHECK(symlink("secret.txt", link) == 0);
  const unsigned web = HA_SHOW_LOAD_NOFOLLOW | HA_SHOW_LOAD_NO_CONTENT;
  CHECK_INT(load_first_diag(link, web, line, sizeof(line)), HA_EIO);
  CHECK_MSG(strstr(line, "p.json: cannot read: a symbolic link, not followed here") != NULL, "%s",
            line);
  CHECK(strstr(line, "root") == NULL);
  /* the user's own link is followed; jansson quotes the text near the error */
  CHECK_INT(load_first_diag(link, 0, line, sizeof(line)), HA_EPARSE);
  CHECK_MSG(strstr(line, "root") != NULL, "%s", line);
  /* the same bytes in a project file: position and reason only */
  CHECK_INT(load_first_diag(secret, web, line, sizeof(line)), HA_EPARSE);
  CHECK_MSG(strstr(line, "secret.txt:1:") != NULL && strstr(line, "not valid JSON") != NULL, "%s",
            line);
  CHECK_MSG(strstr(line, "root") == NULL && strstr(line, "SECRET") == NULL, "%s", line);
  CHECK_INT(ha_show_load_file_ex(secret, 0x100u, &(ha_show *){NULL}, NULL), HA_EINVAL);
  unlink(link);
  unlink(secret);
  rmdir(dir);
}

/* A show that uses every section, written with keys in a scrambled order. */
static const char *kitchen_sink =
    "{\"tracks\": [{\"position\": [1, 2.5, 0], \"id\": 3, \"name\": \"A \\\"quoted\\\" \\u00e9\","
    " \"gain\": -6, \"color\": \"#12ab34\"}, {\"id\": 1}],\n"
    " \"format\": 1, \"name\": \"Sink\",\n"
    " \"metadata\": {\"venue\": [1, 2], \"notes\": \"n\", \"author\": \"me\"},\n"
    " \"animations\": [{\"parameters\": {\"radius\": 0.1, \"center\": [0, 0, 1e-7]}, \"model\": "
    "\"circle\", \"name\": \"o\", \"loop\": true, \"pingPong\": true, \"speed\": 2, \"fadeOut\": "
    "1.5},\n"
    "  {\"name\": \"k\", \"model\": \"custom\", \"duration\": 4, \"parameters\": {\"keyframes\": "
    "[{\"time\": 0, \"position\": [0, 0, 0]}, {\"easing\": \"easeInOutCubic\", \"time\": 4, "
    "\"position\": [1, 1, 1]}], \"interpolation\": \"step\"}},\n"
    "  {\"name\": \"cr\", \"model\": \"catmull-rom\", \"parameters\": {\"controlPoints\": [[0, 0, "
    "0], "
    "[1, 1, 0], [2, 0, 0]], \"closed\": false}}],\n"
    " \"groups\": [{\"tracks\": [3, 1], \"name\": \"g\", \"animation\": \"o\", \"mode\": "
    "\"isobarycenter\", \"phaseOffset\": 0.25, \"autoStart\": true, \"centerPoint\": [0, 0, 0]}],\n"
    " \"presets\": [{\"positions\": {\"3\": [0, 1, 0], \"1\": [1, 0, 0]}, \"name\": \"p\"}],\n"
    " \"cues\": [{\"actions\": [{\"type\": \"preset\", \"preset\": \"p\", \"stagger\": 0.5, "
    "\"space\": \"aed\", \"easing\": \"ease-in\", \"transition\": 2}], \"number\": 1.5, \"osc\": "
    "\"/c/1\"},\n"
    "  {\"number\": 2, \"name\": \"two\", \"actions\": [{\"type\": \"start\", \"animation\": "
    "\"k\", "
    "\"tracks\": [1], \"mode\": \"relative\"}, {\"type\": \"stop\", \"group\": \"g\"}, {\"type\": "
    "\"goto\", \"track\": 3, \"position\": [0, 0, 0]}]}],\n"
    " \"outputs\": [{\"host\": \"127.0.0.1\", \"name\": \"dev\", \"trackMap\": {\"3\": 12, \"1\": "
    "2}, "
    "\"bundle\": {\"lookahead\": 5, \"enabled\": true}, \"deadband\": {\"angle\": 0.5, "
    "\"position\": 0.01}, \"dialect\": \"adm-osc\", \"coords\": \"aed\", \"admScale\": 20, "
    "\"rate\": "
    "30, \"keepAlive\": 0, \"enabled\": false}],\n"
    " \"limits\": {\"maxSpeed\": 12, \"box\": {\"max\": [10, 10, 5], \"min\": [-10, -10, 0]}},\n"
    " \"control\": {\"allow\": [\"127.0.0.1\"], \"port\": 9000, \"bind\": \"[::]\"}\n"
    "}";

static void test_structs(void) {
  ha_show *s = load_expecting(kitchen_sink, "");
  if (s == NULL) {
    return;
  }
  CHECK_STR(ha_show_name(s), "Sink");
  CHECK_STR(ha_show_metadata(s, "author"), "me");
  CHECK(ha_show_metadata(s, "venue") == NULL);
  size_t n;
  const ha_show_track *t = ha_show_tracks(s, &n);
  CHECK_INT(n, 2);
  CHECK_INT(t[0].id, 3);
  CHECK_STR(t[0].name, "A \"quoted\" \xc3\xa9");
  CHECK_STR(t[0].color, "#12ab34");
  CHECK_VEC_NEAR(t[0].position, 1, 2.5, 0, 0);
  CHECK(t[0].has_gain && !t[1].has_gain);
  CHECK_NEAR(t[0].gain, -6, 0);
  CHECK_STR(t[1].name, "");
  CHECK_INT(ha_show_track_find(s, 1), 1);
  CHECK(ha_show_track_find(s, 2) == SIZE_MAX);
  const ha_show_animation *a = ha_show_animations(s, &n);
  CHECK_INT(n, 3);
  CHECK_STR(a[0].model, "circular");
  CHECK_INT(a[0].timing.loop, HA_LOOP_PINGPONG);
  CHECK_NEAR(a[0].timing.speed, 2, 0);
  CHECK_NEAR(a[0].timing.duration, 10, 0);
  CHECK_NEAR(a[0].fade_out, 1.5, 0);
  CHECK_INT(ha_params_count(a[0].params), 2);
  CHECK_STR(a[1].model, "keyframes");
  CHECK_INT(ha_show_animation_find(s, "cr"), 2);
  const ha_show_group *g = ha_show_groups(s, &n);
  CHECK_INT(n, 1);
  CHECK_INT(g[0].spec.mode, HA_GROUP_ISOBARYCENTRIC);
  CHECK_NEAR(g[0].spec.phase_offset, 0.25, 0);
  CHECK(g[0].auto_start);
  CHECK_INT(g[0].track_count, 2);
  CHECK_INT(g[0].tracks[0], 3);
  CHECK_INT(g[0].animation, 0);
  const ha_show_preset *p = ha_show_presets(s, &n);
  CHECK_INT(n, 1);
  CHECK_INT(p[0].count, 2);
  CHECK_INT(p[0].tracks[0], 3); /* document order */
  CHECK_VEC_NEAR(p[0].positions[1], 1, 0, 0, 0);
  const ha_show_cue *c = ha_show_cues(s, &n);
  CHECK_INT(n, 2);
  CHECK_NEAR(c[0].number, 1.5, 0);
  CHECK_STR(c[0].osc, "/c/1");
  CHECK(c[1].osc == NULL);
  CHECK_INT(ha_show_cue_find(s, 1.5), 0);
  CHECK_INT(ha_show_cue_find_osc(s, "/c/1"), 0);
  CHECK(ha_show_cue_find(s, 3) == SIZE_MAX);
  const ha_show_action *ac = c[0].actions;
  CHECK_INT(ac[0].type, HA_SHOW_ACTION_PRESET);
  CHECK(ac[0].aed);
  CHECK_INT(ac[0].easing, HA_EASE_QUAD_IN);
  CHECK_NEAR(ac[0].stagger, 0.5, 0);
  CHECK_INT(ac[0].track_count, 2);
  ac = c[1].actions;
  CHECK_INT(c[1].action_count, 3);
  CHECK_INT(ac[0].target, HA_SHOW_TARGET_ANIMATION);
  CHECK_INT(ac[0].spec.mode, HA_GROUP_RELATIVE);
  CHECK_INT(ac[1].type, HA_SHOW_ACTION_STOP);
  CHECK_INT(ac[1].target, HA_SHOW_TARGET_GROUP);
  CHECK_NEAR(ac[1].fade, 1.5, 0); /* the animation's fadeOut */
  CHECK_INT(ac[2].tracks[0], 3);
  const ha_show_output *o = ha_show_outputs(s, &n);
  CHECK_INT(n, 1);
  CHECK_INT(o[0].port, 4001);    /* adm-osc with no port: the spec's */
  CHECK_INT(o[0].gain_count, 1); /* the tracks' gains, for the output to send */
  CHECK_INT(o[0].gains[0].track, 3);
  CHECK_NEAR(o[0].gains[0].db, -6, 0);
  CHECK_INT(o[0].dialect, HA_SHOW_DIALECT_ADM_OSC);
  CHECK_INT(o[0].port, 4001);    /* adm-osc with no port: the spec's */
  CHECK_INT(o[0].gain_count, 1); /* the tracks' gains, for the output to send */
  CHECK_INT(o[0].gains[0].track, 3);
  CHECK_NEAR(o[0].gains[0].db, -6, 0);
  CHECK_INT(o[0].azimuth_sign, HA_AZIMUTH_COUNTERCLOCKWISE);
  CHECK(o[0].aed && o[0].bundle && !o[0].enabled);
  CHECK_NEAR(o[0].bundle_lookahead_ms, 5, 0);
  CHECK_NEAR(o[0].keep_alive, 0, 0);
  CHECK_INT(ha_show_output_device_index(&o[0], 3), 12);
  CHECK_INT(ha_show_output_device_index(&o[0], 1), 2);
  CHECK_INT(ha_show_output_device_index(&o[0], 7), 7);
  const ha_limits *l = ha_show_limits(s);
  CHECK(l->box_enabled);
  CHECK_NEAR(l->max_speed, 12, 0);
  CHECK_VEC_NEAR(l->box_min, -10, -10, 0, 0);
  const ha_show_control *ctl = ha_show_control_get(s);
  CHECK_INT(ctl->port, 9000);
  CHECK_INT(ctl->allow_count, 1);
  CHECK_STR(ctl->allow[0], "127.0.0.1");
  CHECK_STR(ctl->bind, "[::]");
  CHECK(ctl->allow_loopback);
  ha_engine_config ec = ha_show_engine_config(s);
  CHECK_INT(ec.max_tracks, 2);
  CHECK_INT(ec.max_animations, 1 + 1 + 8);
  ha_motion *m = NULL;
  CHECK_OK(ha_show_animation_motion(s, 0, &m, NULL));
  CHECK_STR(ha_motion_model(m)->name, "circular");
  ha_motion_destroy(m);
  CHECK_INT(ha_show_animation_motion(s, 9, &m, NULL), HA_ENOTFOUND);
  ha_show_destroy(s);
}

static char *save(const ha_show *s) {
  char *out = NULL;
  CHECK_OK(ha_show_save_string(s, &out, NULL));
  return out;
}

static void round_trip(const char *name, const char *text) {
  ha_show *a = NULL, *b = NULL;
  char got[4096];
  CHECK_MSG(load_lines(text, got, sizeof(got), &a) == HA_OK, "%s: %s", name, got);
  if (a == NULL) {
    return;
  }
  char *t1 = save(a);
  CHECK_MSG(load_lines(t1, got, sizeof(got), &b) == HA_OK, "%s: reload: %s", name, got);
  if (b != NULL) {
    char *t2 = save(b);
    CHECK_MSG(strcmp(t1, t2) == 0, "%s: canonical text changed on a round trip:\n%s\n---\n%s", name,
              t1, t2);
    free(t2);
  }
  free(t1);
  ha_show_destroy(a);
  ha_show_destroy(b);
}

static void test_round_trip(void) {
  round_trip("kitchen sink", kitchen_sink);
  round_trip("empty", "{\"format\": 1}");
  round_trip("numbers",
             "{\"format\": 1, \"metadata\": {\"x\": [0.1, -0.0, 1e300, 5e-324, 3.0, "
             "-7, 123456789012, 0.30000000000000004, \"\\n\\t\\u0001/\"]}}");
}

static void test_canonical_text(void) {
  ha_show *s = NULL;
  char got[4096];
  const char *text =
      "{\"tracks\": [{\"position\": [1, 2, 3], \"id\": 1, \"zz\": 0}], \"format\": 1, "
      "\"presets\": [{\"positions\": {\"1\": [0, 0, 0]}, \"name\": \"p\"}], \"name\": \"c\"}";
  CHECK_INT(load_lines(text, got, sizeof(got), &s), HA_OK);
  char *t = save(s);
  CHECK_STR(t,
            "{\n"
            "  \"format\": 2,\n"
            "  \"name\": \"c\",\n"
            "  \"tracks\": [\n"
            "    {\n"
            "      \"id\": 1,\n"
            "      \"position\": [1, 2, 3],\n"
            "      \"zz\": 0\n"
            "    }\n"
            "  ],\n"
            "  \"presets\": [\n"
            "    {\n"
            "      \"name\": \"p\",\n"
            "      \"positions\": {\n"
            "        \"1\": [0, 0, 0]\n"
            "      }\n"
            "    }\n"
            "  ]\n"
            "}\n");
  free(t);
  char *j = NULL;
  CHECK_OK(ha_show_get_json(s, "/tracks/0", &j));
  CHECK_STR(j, "{\"position\":[1,2,3],\"id\":1,\"zz\":0}"); /* document order */
  free(j);
  CHECK_OK(ha_show_get_json(s, "/presets/0/positions/1", &j));
  CHECK_STR(j, "[0,0,0]");
  free(j);
  CHECK_INT(ha_show_get_json(s, "/tracks/1", &j), HA_ENOTFOUND);
  CHECK_INT(ha_show_get_json(s, "tracks", &j), HA_EINVAL);
  ha_show_destroy(s);
}

static void test_migration(void) {
  /* Format 0: positions as {x, y, z} objects, "type" for the model,
   * "trackIds" for a group's tracks. */
  const char *v0 =
      "{\"format\": 0, \"name\": \"old\",\n"
      " \"tracks\": [{\"id\": 1, \"position\": {\"x\": 1, \"y\": 2, \"z\": 3}}],\n"
      " \"animations\": [{\"name\": \"a\", \"type\": \"linear\", \"parameters\": "
      "{\"startPosition\": {\"x\": 0, \"y\": 0, \"z\": 0}, \"endPosition\": {\"x\": 1, \"y\": 0, "
      "\"z\": 0}}}],\n"
      " \"groups\": [{\"name\": \"g\", \"animation\": \"a\", \"trackIds\": [1]}],\n"
      " \"presets\": [{\"name\": \"p\", \"positions\": {\"1\": {\"x\": 4, \"y\": 5, \"z\": 6}}}],\n"
      " \"limits\": {\"box\": {\"min\": {\"x\": -1, \"y\": -1, \"z\": -1}, \"max\": {\"x\": 1, "
      "\"y\": "
      "1, \"z\": 1}}}\n"
      "}";
  ha_show *s = load_expecting(
      v0, "t.json:1:12: note: format: migrated from format 0 to 2; saving writes format 2");
  if (s == NULL) {
    return;
  }
  CHECK_INT(ha_show_source_format(s), 0);
  size_t n;
  CHECK_VEC_NEAR(ha_show_tracks(s, &n)[0].position, 1, 2, 3, 0);
  CHECK_INT(ha_show_groups(s, &n)[0].track_count, 1);
  CHECK_VEC_NEAR(ha_show_presets(s, &n)[0].positions[0], 4, 5, 6, 0);
  CHECK(ha_show_limits(s)->box_enabled);
  char *t = save(s);
  CHECK(strstr(t, "\"format\": 2,") != NULL);
  CHECK(strstr(t, "\"model\": \"linear\"") != NULL);
  CHECK(strstr(t, "\"tracks\": [1]") != NULL);
  CHECK(strstr(t, "\"position\": [1, 2, 3]") != NULL);
  CHECK(strstr(t, "\"endPosition\": [1, 0, 0]") != NULL);
  ha_show *s2 = load_expecting(t, "");
  CHECK_INT(ha_show_source_format(s2), 2);
  free(t);
  ha_show_destroy(s);
  ha_show_destroy(s2);
  /* Errors in a migrated file still point at what was written. */
  const char *bad0 =
      "{\"format\": 0,\n"
      " \"animations\": [{\"name\": \"a\", \"type\": \"linar\"}],\n"
      " \"groups\": [{\"name\": \"g\", \"animation\": \"a\", \"trackIds\": [4]}]\n"
      "}";
  char got[4096];
  CHECK_INT(load_lines(bad0, got, sizeof(got), NULL), HA_EPARSE);
  CHECK_STR(got,
            "t.json:1:12: note: format: migrated from format 0 to 2; saving writes format 2\n"
            "t.json:2:39: animations[0].model: unknown model 'linar' (see 'holoanim models')\n"
            "t.json:3:58: groups[0].tracks[0]: no track with id 4");
}

static void test_examples(void) {
  const char *src = getenv("HA_SOURCE_DIR");
  if (src == NULL) {
    src = ".";
  }
  static const char *const files[] = {"orbiting-quartet.json", "fly-by.json", "pendulum-group.json",
                                      "cue-scene.json"};
  for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    char path[1024];
    snprintf(path, sizeof(path), "%s/examples/%s", src, files[i]);
    ha_diags *d = NULL;
    ha_diags_create(&d);
    ha_show *s = NULL;
    ha_status st = ha_show_load_file(path, &s, d);
    CHECK_MSG(st == HA_OK && ha_diags_count(d) == 0, "%s: status %d, %zu diagnostics", path, st,
              ha_diags_count(d));
    for (size_t k = 0; k < ha_diags_count(d); k++) {
      char line[600];
      ha_diag_format(ha_diags_at(d, k), line, sizeof(line));
      fprintf(stderr, "  %s\n", line);
    }
    size_t no = 0;
    if (s != NULL) {
      const ha_show_output *o = ha_show_outputs(s, &no);
      /* each example: one output to the local device (or none) */
      CHECK(no <= 1);
      if (no == 1) {
        CHECK_STR(o[0].host, "127.0.0.1");
        CHECK_INT(o[0].port, 4003);
      }
      test_show_round_trip(s);
    }
    ha_show_destroy(s);
    ha_diags_destroy(d);
  }
}

static void test_create_empty(void) {
  ha_show *s = NULL;
  CHECK_OK(ha_show_create(&s));
  size_t n = 9;
  CHECK(ha_show_tracks(s, &n) != NULL || n == 0);
  CHECK_INT(n, 0);
  CHECK_INT(ha_show_version(s), 1);
  CHECK_STR(ha_show_name(s), "");
  char *t = save(s);
  CHECK_STR(t, "{\n  \"format\": 2\n}\n");
  free(t);
  ha_show_destroy(s);
  ha_show_destroy(NULL);
}

int main(void) {
  RUN(test_bad_shows);
  RUN(test_unknown_fields_warn);
  RUN(test_diags_api);
  RUN(test_load_file_errors);
  RUN(test_load_file_untrusted);
  RUN(test_structs);
  RUN(test_round_trip);
  RUN(test_canonical_text);
  RUN(test_migration);
  RUN(test_examples);
  RUN(test_create_empty);
  return test_done();
}
