/* Import of Holophonix Animator projects: the hand-made v2.0 and v2.3
 * fixtures in tests/fixtures/hpx, every warning for what was not mapped,
 * the mapped values checked through the engine, and round trips. */
#include "holoanim.h"
#include "holoanim/show.h"
#include "test.h"
#include "test_show.h"

static char fixture_dir[1024];

static ha_show *import(const char *file, char *lines, size_t cap) {
  char path[1200];
  snprintf(path, sizeof(path), "%s/%s", fixture_dir, file);
  ha_diags *d = NULL;
  ha_diags_create(&d);
  ha_show *s = NULL;
  ha_status st = ha_show_import_hpx(path, &s, d);
  CHECK_MSG(st == HA_OK, "%s: status %d", file, st);
  size_t len = 0;
  lines[0] = '\0';
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    char line[700];
    ha_diag_format(ha_diags_at(d, i), line, sizeof(line));
    /* drop the directory: the fixtures may live anywhere */
    const char *slash = strstr(line, file);
    len += (size_t)snprintf(lines + len, cap - len, "%s%s", i ? "\n" : "", slash ? slash : line);
  }
  CHECK_INT(ha_diags_errors(d), 0);
  ha_diags_destroy(d);
  return s;
}

static ha_vec3 eval_anim(const ha_show *s, const char *name, double t) {
  ha_motion *m = NULL;
  size_t i = ha_show_animation_find(s, name);
  CHECK_MSG(i != SIZE_MAX, "no animation %s", name);
  if (i == SIZE_MAX || ha_show_animation_motion(s, i, &m, NULL) != HA_OK) {
    return ha_vec3_zero();
  }
  ha_vec3 p = ha_motion_eval(m, t, NULL);
  ha_motion_destroy(m);
  return p;
}

static void test_v20(void) {
  char lines[8192];
  ha_show *s = import("project-v2.0.hpx", lines, sizeof(lines));
  if (s == NULL) {
    return;
  }
  CHECK_STR(lines,
            "project-v2.0.hpx:32:5: warning: tracks[2].holophonixIndex: missing; track numbered 3\n"
            "project-v2.0.hpx:38:7: warning: tracks[2].isMuted: not imported: shows have no mute\n"
            "project-v2.0.hpx:76:137: warning: animations[2].parameters.helixPitch: not imported: "
            "helix has no such parameter\n"
            "project-v2.0.hpx:90:71: warning: animations[3].keyframes[2].interpolation: "
            "cubic-bezier easing imported as cubic-in-out\n"
            "project-v2.0.hpx:90:104: warning: animations[3].keyframes[2].easing: not imported: "
            "bezier easing handles have no equivalent\n"
            "project-v2.0.hpx:97:7: warning: animations[4].type: not imported: no model for "
            "animation type 'formation'\n"
            "project-v2.0.hpx:118:7: warning: animations[6].parameters: approximate: the original "
            "uses its own hash noise; holoanim's noise has the same parameters but another "
            "pattern\n"
            "project-v2.0.hpx:127:92: warning: animations[7].parameters.radiusZ: not imported: "
            "elliptical has no such parameter\n"
            "project-v2.0.hpx:136:94: warning: animations[8].parameters.speed: not imported: "
            "the original's random does not read it\n"
            "project-v2.0.hpx:136:7: warning: animations[8].parameters: approximate: the original "
            "draws new Math.random targets per track and per play, smoothed per frame; "
            "holoanim's random path is seeded and repeatable\n"
            "project-v2.0.hpx:150:7: warning: animations[10].name: renamed \"Orbit (2)\" (names "
            "must be unique)\n"
            "project-v2.0.hpx:44:3: warning: groups: not imported: track groups (a show's groups "
            "bind tracks to an animation; see animations[].trackIds)");
  CHECK_STR(ha_show_name(s), "Old Project");
  CHECK_STR(ha_show_metadata(s, "author"), "Jane");
  CHECK_STR(ha_show_metadata(s, "hpxVersion"), "2.0.0");
  CHECK_STR(ha_show_metadata(s, "hpxApp"), "2.3"); /* it has trackIds */
  size_t n;
  const ha_show_track *t = ha_show_tracks(s, &n);
  CHECK_INT(n, 3);
  CHECK_INT(t[0].id, 1);
  CHECK_STR(t[0].name, "Violin");
  CHECK_STR(t[0].color, "#ff0000");
  CHECK_VEC_NEAR(t[0].position, 1, 2, 0, 0);
  CHECK_STR(t[1].color, "#0080ff");
  CHECK(t[1].has_gain && !t[0].has_gain);
  CHECK_NEAR(t[1].gain, -6.02, 0); /* volume 0.5 */
  CHECK_INT(t[2].id, 3);
  const ha_show_animation *a = ha_show_animations(s, &n);
  CHECK_INT(n, 10);
  CHECK_STR(a[1].model, "oscillator"); /* "wave" */
  CHECK_STR(a[3].model, "keyframes");  /* "custom" */
  CHECK_INT(a[3].timing.loop, HA_LOOP_PINGPONG);
  CHECK_INT(a[2].timing.loop, HA_LOOP_ONCE);
  /* v2.0 vector amplitude {0, 3, 4}: amplitude 5 along (0, 0.6, 0.8);
   * phaseOffset pi/2 rad is phase 90 deg, so the wave starts at its crest. */
  ha_vec3 p = eval_anim(s, "Wave", 0.0);
  CHECK_VEC_NEAR(p, 0, 3, 5, 1e-9);
  /* helixRadius -> radius: distance from the axis */
  p = eval_anim(s, "Helix", 1.0);
  CHECK_NEAR(hypot(p.x, p.y), 2, 1e-9);
  /* elliptical centerX/Y/Z -> center */
  p = eval_anim(s, "Ellipse", 0.0);
  ha_vec3 q = eval_anim(s, "Ellipse", 3.0); /* half a lap: opposite side */
  CHECK_VEC_NEAR(ha_vec3_scale(ha_vec3_add(p, q), 0.5), 1, 2, 0, 1e-9);
  /* clockwise spiral: rotations negative */
  size_t si = ha_show_animation_find(s, "Spiral");
  CHECK(si != SIZE_MAX);
  char *j = NULL;
  CHECK_OK(ha_show_get_json(s, "/animations/8/parameters/rotations", &j));
  CHECK_STR(j, "-2");
  free(j);
  const ha_show_group *g = ha_show_groups(s, &n);
  CHECK_INT(n, 1);
  CHECK_STR(g[0].name, "Orbit");
  CHECK_INT(g[0].track_count, 2);
  CHECK_INT(g[0].spec.mode, HA_GROUP_SHARED); /* phase-offset */
  CHECK_NEAR(g[0].spec.phase_offset, 2, 0);
  const ha_show_output *o = ha_show_outputs(s, &n);
  CHECK_INT(n, 1);
  CHECK_STR(o[0].host, "192.168.1.50");
  CHECK(!o[0].aed);
  CHECK(ha_show_limits(s)->box_enabled);
  CHECK_VEC_NEAR(ha_show_limits(s)->box_max, 10, 10, 8, 0);
  test_show_round_trip(s);
  ha_show_destroy(s);
}

/* v2.0 keeps the tracks an animation drives in tracks[].animationState:
 * each track gets its animation (formation offset baked, turning with the
 * circle) and a one-track group; the phase-offset stagger the editor forgot
 * is the groups' delay. Every unread parameter is warned at its path. */
static void test_v20_tracks(void) {
  char lines[8192];
  ha_show *s = import("project-v2.0-tracks.hpx", lines, sizeof(lines));
  if (s == NULL) {
    return;
  }
  CHECK_STR(lines,
            "project-v2.0-tracks.hpx:237:7: warning: animations[0].multiTrackMode: the original's "
            "editor saved no formation offsets (_trackOffset), so v2.0 plays every track on the "
            "same path; imported as intended: each track keeps its offset from the barycentre\n"
            "project-v2.0-tracks.hpx:269:7: warning: animations[1].phaseOffsetSeconds: the "
            "original's editor saved every track with currentTime 0, so v2.0 plays them in step; "
            "imported as intended: track i starts i x 0.5 s later\n"
            "project-v2.0-tracks.hpx:142:13: warning: "
            "tracks[2].animationState.animation.parameters.foo: not imported: v2.0 linear does "
            "not use it");
  /* v2.0: centre + 2(cos θ, sin θ) + the offset (±1, 0) turned by θ =
   * 90° + 90°·t/T: (±3 cos θ, ±3 sin θ) on the same ray */
  for (double t = 0; t <= 4.0; t += 0.5) {
    double th = (90.0 + 90.0 * t / 4.0) * HA_PI / 180.0;
    ha_vec3 p = eval_anim(s, "Circle (track 1)", t);
    CHECK_VEC_NEAR(p, 3 * cos(th), 3 * sin(th), 0, 1e-9);
    p = eval_anim(s, "Circle (track 2)", t);
    CHECK_VEC_NEAR(p, cos(th), sin(th), 0, 1e-9);
  }
  CHECK_STR(ha_show_metadata(s, "hpxApp"), "2.0");
  size_t n;
  const ha_show_group *g = ha_show_groups(s, &n);
  CHECK_INT(n, 4);
  CHECK_STR(g[3].name, "Line (track 4)");
  CHECK_INT(g[3].track_count, 1);
  CHECK_INT(g[3].tracks[0], 4);
  CHECK_NEAR(g[3].spec.delay, 0.5, 0);
  CHECK_NEAR(g[2].spec.delay, 0, 0);
  /* A cue playing the circle on its two tracks starts both tracks' groups
   * (each with its own offset), not the first animation on both tracks. */
  const ha_show_cue *c = ha_show_cues(s, &n);
  CHECK_INT(n, 1);
  CHECK_INT(n > 0 ? c[0].action_count : 0, 2);
  for (size_t i = 0; n > 0 && i < c[0].action_count && i < 2; i++) {
    CHECK_INT(c[0].actions[i].type, HA_SHOW_ACTION_START);
    CHECK_INT(c[0].actions[i].target, HA_SHOW_TARGET_GROUP);
    CHECK_STR(g[c[0].actions[i].group].name, i == 0 ? "Circle (track 1)" : "Circle (track 2)");
  }
  test_show_round_trip(s);
  ha_show_destroy(s);
}

static void test_v23(void) {
  char lines[8192];
  ha_show *s = import("project-v2.3.hpx", lines, sizeof(lines));
  if (s == NULL) {
    return;
  }
  CHECK_STR(lines,
            "project-v2.3.hpx:8:212: warning: tracks[3].metadata: not imported\n"
            "project-v2.3.hpx:22:7: warning: animations[0].trackSelectionLocked: not imported: "
            "the cue editor's track lock\n"
            "project-v2.3.hpx:49:119: warning: animations[3].parameters.listenerPosition: not "
            "imported: doppler has no such parameter\n"
            "project-v2.3.hpx:58:7: warning: animations[4].parameters: approximate: the original "
            "integrates the pendulum per frame (explicit Euler, dt = time since the previous "
            "frame, at most 0.1 s), so its path depends on the frame rate; holoanim computes it "
            "precisely\n"
            "project-v2.3.hpx:70:58: warning: animations[5].parameters.radius: -2 is below the "
            "minimum 0; left out, the default is used\n"
            "project-v2.3.hpx:71:7: warning: animations[5].coordinateSystem: not imported: "
            "animations are computed in xyz\n"
            "project-v2.3.hpx:76:179: warning: positionPresets[1].positions.zz: not imported: no "
            "track with this id in the project\n"
            "project-v2.3.hpx:99:15: warning: presets[0]: not imported: not a position preset "
            "(animation presets are not imported)\n"
            "project-v2.3.hpx:87:258: warning: show.cueLists[0].cues[1].data.playbackSpeed: not "
            "imported: cue overrides of the animation\n"
            "project-v2.3.hpx:89:43: warning: show.cueLists[0].cues[3].type: not imported: 'osc' "
            "cues have no equivalent\n"
            "project-v2.3.hpx:90:101: warning: show.cueLists[0].cues[4].isEnabled: the cue is "
            "disabled in the project; it is imported\n"
            "project-v2.3.hpx:91:68: warning: show.cueLists[0].cues[5].number: duplicate number; "
            "renumbered\n"
            "project-v2.3.hpx:103:5: warning: oscConnections[1]: not imported: no host\n"
            "project-v2.3.hpx:98:3: warning: timelines: not imported: timelines");
  size_t n;
  const ha_show_track *t = ha_show_tracks(s, &n);
  CHECK_INT(n, 4);
  CHECK_INT(t[0].id, 11);
  CHECK_VEC_NEAR(t[0].position, 0, 4, 1.5, 0); /* initialPosition, the rest position */
  CHECK_STR(t[2].color, "");
  const ha_show_animation *a = ha_show_animations(s, &n);
  CHECK_INT(n, 6);
  CHECK_STR(a[1].model, "oscillator");        /* oscillator-stationary */
  CHECK_STR(a[2].model, "zigzag");            /* oscillator-path */
  CHECK_INT(ha_params_count(a[5].params), 2); /* radius left out */
  /* rotation {x, y, z} degrees -> [rx, ry, rz]: the circle's start turned 45 deg */
  ha_vec3 p = eval_anim(s, "Circle", 0.0);
  CHECK_VEC_NEAR(p, 3 * cos(HA_PI / 4), 3 * sin(HA_PI / 4), 1.5, 1e-9);
  const ha_show_group *g = ha_show_groups(s, &n);
  CHECK_INT(n, 2);
  CHECK_INT(g[0].spec.mode, HA_GROUP_ISOBARYCENTRIC); /* isobarycenter */
  CHECK_INT(g[0].track_count, 4);
  CHECK_INT(g[1].spec.mode, HA_GROUP_RELATIVE); /* phase-offset-relative */
  CHECK_NEAR(g[1].spec.phase_offset, 0.5, 0);
  const ha_show_preset *pr = ha_show_presets(s, &n);
  CHECK_INT(n, 2);
  CHECK_INT(pr[1].count, 4);
  CHECK_INT(pr[1].tracks[0], 14); /* the preset's own order (trackIds) */
  const ha_show_cue *c = ha_show_cues(s, &n);
  CHECK_INT(n, 5);
  CHECK_STR(c[0].osc, "/cue/circle");
  CHECK_INT(c[0].actions[0].target, HA_SHOW_TARGET_GROUP);
  CHECK_INT(c[1].actions[0].target, HA_SHOW_TARGET_ANIMATION);
  CHECK_INT(c[1].actions[0].tracks[0], 12);
  CHECK_INT(c[2].actions[0].type, HA_SHOW_ACTION_PRESET);
  CHECK(c[2].actions[0].aed); /* spherical */
  CHECK_NEAR(c[2].actions[0].stagger, 0.5, 0);
  CHECK_NEAR(c[2].actions[0].transition, 2, 0);
  CHECK_INT(c[2].actions[0].easing, HA_EASE_QUAD_IN_OUT);
  CHECK_NEAR(c[3].number, 4, 0); /* no number: the next free one */
  CHECK_NEAR(c[4].number, 5, 0); /* a duplicate 3, renumbered */
  CHECK_INT(c[4].actions[0].track_count, 2);
  CHECK_INT(c[4].actions[0].tracks[0], 13); /* preset order: c before b */
  CHECK_INT(c[4].actions[0].easing, HA_EASE_CUBIC_IN_OUT);
  CHECK(!c[4].actions[0].aed);
  const ha_show_output *o = ha_show_outputs(s, &n);
  CHECK_INT(n, 1);
  CHECK(o[0].aed);
  test_show_round_trip(s);
  /* the imported show plays */
  ha_engine_config cfg = ha_show_engine_config(s);
  ha_engine *e = NULL;
  CHECK_OK(ha_engine_create(&cfg, &e, NULL));
  ha_show_instance *inst = NULL;
  CHECK_OK(ha_show_instantiate(s, e, 0, &inst, NULL));
  for (size_t i = 0; i < 5; i++) {
    CHECK_OK(ha_show_fire_cue_at(inst, i, (double)i, NULL));
  }
  ha_show_instance_destroy(inst);
  ha_engine_destroy(e);
  ha_show_destroy(s);
}

static void test_not_a_project(void) {
  ha_diags *d = NULL;
  ha_diags_create(&d);
  ha_show *s = NULL;
  const char *t = "{\"format\": 1}";
  CHECK_INT(ha_show_import_hpx_string(t, strlen(t), "x.hpx", &s, d), HA_EPARSE);
  char line[300];
  ha_diag_format(ha_diags_at(d, 0), line, sizeof(line));
  CHECK_STR(line,
            "x.hpx:1:1: not a Holophonix Animator project (no \"tracks\" list at the top "
            "level)");
  ha_diags_clear(d);
  CHECK_INT(ha_show_import_hpx_string("{", 1, "y.hpx", &s, d), HA_EPARSE);
  CHECK_INT(ha_diags_errors(d), 1);
  CHECK_INT(ha_show_import_hpx("/nonexistent.hpx", &s, d), HA_EIO);
  /* the smallest project */
  ha_diags_clear(d);
  t = "{\"tracks\": []}";
  CHECK_OK(ha_show_import_hpx_string(t, strlen(t), "z.hpx", &s, d));
  CHECK_INT(ha_diags_count(d), 0);
  ha_show_destroy(s);
  ha_diags_destroy(d);
}

/* The autostart option: every group autoStart with it, none without; the
 * plain functions are the options-less ones. */
static void test_autostart(void) {
  char path[1200];
  snprintf(path, sizeof(path), "%s/project-v2.3.hpx", fixture_dir);
  for (int on = 0; on <= 1; on++) {
    ha_show_import_options o = {.autostart = on != 0};
    ha_show *s = NULL;
    CHECK_OK(ha_show_import_hpx_ex(path, on ? &o : NULL, &s, NULL));
    size_t ng = 0;
    const ha_show_group *g = ha_show_groups(s, &ng);
    CHECK(ng >= 2);
    for (size_t i = 0; i < ng; i++) {
      CHECK_MSG(g[i].auto_start == (on != 0), "autostart %d: group %zu", on, i);
    }
    ha_show_destroy(s);
  }
  ha_show_import_options o = {.autostart = true};
  ha_show *s = NULL;
  const char *t = "{\"tracks\": []}";
  CHECK_OK(ha_show_import_hpx_string_ex(t, strlen(t), "a.hpx", &o, &s, NULL));
  ha_show_destroy(s);
  CHECK_INT(ha_show_import_hpx_ex("/nonexistent.hpx", &o, &s, NULL), HA_EIO);
  CHECK(s == NULL);
}

int main(void) {
  const char *src = getenv("HA_SOURCE_DIR");
  snprintf(fixture_dir, sizeof(fixture_dir), "%s/tests/fixtures/hpx", src ? src : ".");
  RUN(test_v20);
  RUN(test_v20_tracks);
  RUN(test_v23);
  RUN(test_not_a_project);
  RUN(test_autostart);
  return test_done();
}
