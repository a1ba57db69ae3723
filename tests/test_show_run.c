/* Shows on an engine: instantiation and offline evaluation against
 * ha_motion_eval, limits, and the cue runner — LTP takeover, preset
 * transitions in xyz and in aed (the shorter azimuth arc), stagger order,
 * pending moves cancelled by a later goto, stop or start, stops with
 * fades. */
#include "holoanim.h"
#include "holoanim/show.h"
#include "test.h"
#include "test_show.h"

typedef struct rig {
  ha_show *show;
  ha_engine *engine;
  ha_show_instance *inst;
  size_t n;
  double x[16], y[16], z[16];
} rig;

static int rig_up(rig *r, const char *text, double t0) {
  memset(r, 0, sizeof(*r));
  ha_status st = test_show_load(text, "run.json", &r->show);
  if (st != HA_OK) {
    return -1;
  }
  ha_engine_config cfg = ha_show_engine_config(r->show);
  CHECK_OK(ha_engine_create(&cfg, &r->engine, NULL));
  ha_error err;
  ha_error_clear(&err);
  st = ha_show_instantiate(r->show, r->engine, t0, &r->inst, &err);
  CHECK_MSG(st == HA_OK, "instantiate: %s", err.message);
  r->n = ha_engine_track_count(r->engine);
  return st == HA_OK ? 0 : -1;
}

static void rig_down(rig *r) {
  ha_show_instance_destroy(r->inst);
  ha_engine_destroy(r->engine);
  ha_show_destroy(r->show);
}

static void eval_at(rig *r, double t) {
  CHECK_OK(ha_show_instance_evaluate(r->inst, t, r->x, r->y, r->z, 16));
}

static ha_vec3 pos(const rig *r, size_t i) {
  return ha_vec3_make(r->x[i], r->y[i], r->z[i]);
}

static ha_motion *motion_of(const rig *r, const char *name) {
  ha_motion *m = NULL;
  CHECK_OK(ha_show_animation_motion(r->show, ha_show_animation_find(r->show, name), &m, NULL));
  return m;
}

static void fire(rig *r, double cue, double t) {
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha_show_fire_cue(r->inst, cue, t, &err);
  CHECK_MSG(st == HA_OK, "cue %g: %s", cue, err.message);
}

static const char *circle_show =
    "{\"format\": 1,\n"
    " \"tracks\": [{\"id\": 1, \"position\": [3, 0, 0]}, {\"id\": 2}, {\"id\": 5}],\n"
    " \"animations\": [{\"name\": \"c\", \"model\": \"circular\", \"duration\": 8, \"parameters\": "
    "{\"radius\": 3, \"center\": [0, 0, 1]}}],\n"
    " \"groups\": [{\"name\": \"g\", \"animation\": \"c\", \"tracks\": [1, 2, 5], \"phaseOffset\": "
    "1, \"autoStart\": true}]\n"
    "}";

static void test_offline_eval_matches_motion(void) {
  for (int k = 0; k < 2; k++) {
    double t0 = k == 0 ? 0.0 : 2.5;
    rig r;
    if (rig_up(&r, circle_show, t0) != 0) {
      return;
    }
    CHECK_INT(r.n, 3);
    ha_motion *m = motion_of(&r, "c");
    for (double t = t0; t <= t0 + 16.0; t += 0.05) {
      eval_at(&r, t);
      for (size_t i = 0; i < 3; i++) {
        ha_track_ctx ctx = {0, (double)i * 1.0, NULL, NULL};
        ha_vec3 want = ha_motion_eval(m, t - t0, &ctx);
        CHECK_VEC_NEAR(pos(&r, i), want.x, want.y, want.z, 1e-12);
      }
    }
    ha_motion_destroy(m);
    rig_down(&r);
  }
}

static void test_limits_applied(void) {
  const char *text =
      "{\"format\": 1, \"tracks\": [{\"id\": 1}],\n"
      " \"animations\": [{\"name\": \"c\", \"model\": \"circular\", \"parameters\": {\"radius\": "
      "5}}],\n"
      " \"groups\": [{\"name\": \"g\", \"animation\": \"c\", \"tracks\": [1], \"autoStart\": "
      "true}],\n"
      " \"limits\": {\"box\": {\"min\": [-2, -2, 0], \"max\": [2, 2, 3]}}\n"
      "}";
  rig r;
  if (rig_up(&r, text, 0) != 0) {
    return;
  }
  for (double t = 0; t < 10; t += 0.1) {
    eval_at(&r, t);
    CHECK(fabs(r.x[0]) <= 2.0 && fabs(r.y[0]) <= 2.0);
  }
  ha_engine_stats st;
  ha_engine_get_stats(r.engine, &st);
  CHECK(st.clamps_box > 0);
  rig_down(&r);
}

static const char *cue_show =
    "{\"format\": 1,\n"
    " \"tracks\": [{\"id\": 1, \"position\": [0, 5, 0]}, {\"id\": 2, \"position\": [1, 1, 0]},\n"
    "   {\"id\": 3, \"position\": [2, 2, 0]}, {\"id\": 4, \"position\": [3, 3, 0]}],\n"
    " \"animations\": [\n"
    "   {\"name\": \"c\", \"model\": \"circular\", \"duration\": 8, \"fadeOut\": 2, "
    "\"parameters\": {\"radius\": 2}},\n"
    "   {\"name\": \"l\", \"model\": \"linear\", \"duration\": 4, \"loop\": \"once\", "
    "\"parameters\": {\"startPosition\": [0, 0, 0], \"endPosition\": [4, 0, 0]}}],\n"
    " \"groups\": [{\"name\": \"both\", \"animation\": \"c\", \"tracks\": [1, 2]}],\n"
    " \"presets\": [\n"
    "   {\"name\": \"east\", \"positions\": {\"1\": [5, 0, 0]}},\n"
    "   {\"name\": \"order\", \"positions\": {\"3\": [0, 0, 3], \"1\": [0, 0, 1], \"4\": [0, 0, "
    "4], "
    "\"2\": [0, 0, 2]}}],\n"
    " \"cues\": [\n"
    "   {\"number\": 1, \"actions\": [{\"type\": \"start\", \"group\": \"both\"}]},\n"
    "   {\"number\": 2, \"actions\": [{\"type\": \"start\", \"animation\": \"l\", \"tracks\": "
    "[2]}]},\n"
    "   {\"number\": 3, \"actions\": [{\"type\": \"stop\", \"group\": \"both\", \"fade\": 0}]},\n"
    "   {\"number\": 4, \"actions\": [{\"type\": \"preset\", \"preset\": \"east\", \"transition\": "
    "2}]},\n"
    "   {\"number\": 5, \"actions\": [{\"type\": \"preset\", \"preset\": \"order\", "
    "\"transition\": 1, "
    "\"stagger\": 0.5}]},\n"
    "   {\"number\": 6, \"actions\": [{\"type\": \"preset\", \"preset\": \"order\", \"tracks\": "
    "[2, 3], "
    "\"stagger\": 0.5}]},\n"
    "   {\"number\": 7, \"actions\": [{\"type\": \"goto\", \"track\": 2, \"position\": [9, 9, "
    "0]}]},\n"
    "   {\"number\": 8, \"actions\": [{\"type\": \"stop\", \"group\": \"both\"}]},\n"
    "   {\"number\": 9, \"actions\": [{\"type\": \"stop\", \"tracks\": [3, 4], \"fade\": 1}]}\n"
    " ]\n"
    "}";

static void test_ltp_takeover(void) {
  rig r;
  if (rig_up(&r, cue_show, 0) != 0) {
    return;
  }
  ha_motion *c = motion_of(&r, "c"), *l = motion_of(&r, "l");
  eval_at(&r, 0);
  fire(&r, 1, 1.0); /* both tracks on the circle (shared) */
  for (int k = 0; k < 200; k++) {
    eval_at(&r, 1.0 + k * 0.01);
  }
  ha_vec3 w = ha_motion_eval(c, 1.99, NULL);
  CHECK_VEC_NEAR(pos(&r, 0), w.x, w.y, w.z, 1e-9);
  CHECK_VEC_NEAR(pos(&r, 1), w.x, w.y, w.z, 1e-9);
  /* Cue 2 takes track 2 over; track 1 keeps the circle. */
  fire(&r, 2, 3.0);
  ha_engine_stats st;
  for (int k = 0; k <= 100; k++) {
    eval_at(&r, 3.0 + k * 0.01);
  }
  ha_engine_get_stats(r.engine, &st);
  CHECK_INT(st.takeovers, 1);
  w = ha_motion_eval(l, 1.0, NULL); /* after the takeover crossfade */
  CHECK_VEC_NEAR(pos(&r, 1), w.x, w.y, w.z, 1e-9);
  w = ha_motion_eval(c, 3.0, NULL);
  CHECK_VEC_NEAR(pos(&r, 0), w.x, w.y, w.z, 1e-9);
  ha_track_info a, b;
  ha_engine_track_get(r.engine, 1, &a);
  ha_engine_track_get(r.engine, 2, &b);
  CHECK(a.animation >= 0 && b.animation >= 0 && a.animation != b.animation);
  /* Stopping the group stops only what it still drives: track 1 stays. */
  fire(&r, 3, 4.0);
  eval_at(&r, 4.0);
  ha_vec3 held = pos(&r, 0);
  eval_at(&r, 5.0);
  CHECK_VEC_NEAR(pos(&r, 0), held.x, held.y, held.z, 0);
  w = ha_motion_eval(l, 2.0, NULL);
  CHECK_VEC_NEAR(pos(&r, 1), w.x, w.y, w.z, 1e-9);
  ha_engine_track_get(r.engine, 1, &a);
  CHECK_INT(a.status, HA_TRACK_IDLE);
  ha_motion_destroy(c);
  ha_motion_destroy(l);
  rig_down(&r);
}

static void test_stop_fades_to_base(void) {
  rig r;
  if (rig_up(&r, cue_show, 0) != 0) {
    return;
  }
  fire(&r, 1, 0.0);
  for (double t = 0; t <= 2.0 + 1e-9; t += 0.01) {
    eval_at(&r, t);
  }
  /* cue 8: the group's animation has fadeOut 2: back to base over 2 s */
  fire(&r, 8, 2.0);
  for (double t = 2.0; t <= 4.0 + 1e-9; t += 0.01) {
    eval_at(&r, t);
  }
  CHECK_VEC_NEAR(pos(&r, 0), 0, 5, 0, 1e-9);
  CHECK_VEC_NEAR(pos(&r, 1), 1, 1, 0, 1e-9);
  /* stop tracks with a fade: from wherever they are back to their bases */
  fire(&r, 7, 4.0); /* track 2 jumps to (9, 9, 0) */
  eval_at(&r, 4.1);
  CHECK_VEC_NEAR(pos(&r, 1), 9, 9, 0, 0);
  rig_down(&r);
}

static void test_preset_xyz(void) {
  rig r;
  if (rig_up(&r, cue_show, 0) != 0) {
    return;
  }
  eval_at(&r, 0);
  fire(&r, 4, 1.0); /* track 1: (0, 5, 0) -> (5, 0, 0) in 2 s, linear, xyz */
  eval_at(&r, 1.0);
  CHECK_VEC_NEAR(pos(&r, 0), 0, 5, 0, 1e-12);
  eval_at(&r, 2.0);
  CHECK_VEC_NEAR(pos(&r, 0), 2.5, 2.5, 0, 1e-12); /* the straight line */
  eval_at(&r, 3.0);
  CHECK_VEC_NEAR(pos(&r, 0), 5, 0, 0, 1e-12);
  eval_at(&r, 9.0);
  CHECK_VEC_NEAR(pos(&r, 0), 5, 0, 0, 1e-12);
  rig_down(&r);
}

static void test_preset_aed_shorter_arc(void) {
  /* From azimuth 170° to -170°, 5 m away: the shorter arc passes behind
   * (180°), 20° in all, at constant distance; xyz would cut the corner. */
  double d = 5.0, a0 = 170.0 * HA_PI / 180.0, a1 = -170.0 * HA_PI / 180.0;
  char text[2048];
  snprintf(text, sizeof(text),
           "{\"format\": 1, \"tracks\": [{\"id\": 1, \"position\": [%.17g, %.17g, 0]}],\n"
           " \"presets\": [{\"name\": \"p\", \"positions\": {\"1\": [%.17g, %.17g, 0]}}],\n"
           " \"cues\": [{\"number\": 1, \"actions\": [{\"type\": \"preset\", \"preset\": \"p\", "
           "\"transition\": 2, \"space\": \"aed\"}]},\n"
           "  {\"number\": 2, \"actions\": [{\"type\": \"preset\", \"preset\": \"p\", "
           "\"transition\": 2}]}]}",
           d * sin(a0), d * cos(a0), d * sin(a1), d * cos(a1));
  for (int space = 0; space < 2; space++) {
    rig r;
    if (rig_up(&r, text, 0) != 0) {
      return;
    }
    eval_at(&r, 0);
    fire(&r, space == 0 ? 1 : 2, 0.0);
    double max_abs_x = 0;
    ha_vec3 mid = ha_vec3_zero();
    for (int k = 0; k <= 200; k++) {
      eval_at(&r, k * 0.01);
      ha_vec3 p = pos(&r, 0);
      if (k == 100) {
        mid = p;
      }
      if (space == 0) {
        CHECK_NEAR(ha_vec3_len(p), d, 1e-9);
        ha_vec3 aed = ha_xyz_to_aed(p, HA_AZIMUTH_CLOCKWISE);
        double from170 = fabs(ha_angle_diff_deg(170.0, aed.x));
        CHECK(from170 <= 20.0 + 1e-9); /* never swings round the front */
      }
      max_abs_x = fabs(p.x) > max_abs_x ? fabs(p.x) : max_abs_x;
    }
    if (space == 0) {
      CHECK_VEC_NEAR(mid, 0, -d, 0, 1e-9); /* azimuth 180°, distance 5 */
    } else {
      CHECK_VEC_NEAR(mid, 0, d * cos(a0), 0, 1e-9); /* the chord */
      CHECK(ha_vec3_len(mid) < d - 0.05);
    }
    eval_at(&r, 2.0);
    CHECK_VEC_NEAR(pos(&r, 0), d * sin(a1), d * cos(a1), 0, 1e-9);
    CHECK(max_abs_x <= d * sin(a0) + 1e-9);
    rig_down(&r);
  }
}

/* Time at which each track first leaves its base, sampling at 1 kHz. */
static void first_moves(rig *r, double from, double to, double *out) {
  ha_vec3 base[4];
  for (size_t i = 0; i < 4; i++) {
    ha_track_info ti;
    ha_engine_track_at(r->engine, i, &ti);
    base[i] = ti.position;
    out[i] = -1;
  }
  for (int k = 0; from + k * 1e-3 <= to; k++) {
    double t = from + k * 1e-3;
    eval_at(r, t);
    for (size_t i = 0; i < 4; i++) {
      if (out[i] < 0 && ha_vec3_len(ha_vec3_sub(pos(r, i), base[i])) > 1e-9) {
        out[i] = t;
      }
    }
  }
}

static void test_stagger_order(void) {
  rig r;
  if (rig_up(&r, cue_show, 0) != 0) {
    return;
  }
  eval_at(&r, 0);
  fire(&r, 5, 10.0); /* preset order 3, 1, 4, 2; 0.5 s apart */
  CHECK_INT(ha_show_instance_pending(r.inst), 3);
  double first[4];
  first_moves(&r, 10.0, 13.0, first);
  /* tracks are 1..4 at indices 0..3 */
  CHECK_NEAR(first[2], 10.001, 1e-9); /* track 3 first (first sample after it starts) */
  CHECK_NEAR(first[0], 10.501, 1e-9);
  CHECK_NEAR(first[3], 11.001, 1e-9);
  CHECK_NEAR(first[1], 11.501, 1e-9);
  CHECK_INT(ha_show_instance_pending(r.inst), 0);
  eval_at(&r, 20.0);
  CHECK_VEC_NEAR(pos(&r, 0), 0, 0, 1, 1e-12);
  CHECK_VEC_NEAR(pos(&r, 1), 0, 0, 2, 1e-12);
  CHECK_VEC_NEAR(pos(&r, 2), 0, 0, 3, 1e-12);
  CHECK_VEC_NEAR(pos(&r, 3), 0, 0, 4, 1e-12);
  rig_down(&r);
  /* A subset keeps the preset's order whatever order it is listed in. */
  if (rig_up(&r, cue_show, 0) != 0) {
    return;
  }
  eval_at(&r, 0);
  fire(&r, 6, 1.0); /* tracks [2, 3]: 3 first, then 2; no transition: jumps */
  first_moves(&r, 1.0, 3.0, first);
  CHECK_NEAR(first[2], 1.0, 1e-9);
  CHECK_NEAR(first[1], 1.5, 1e-9);
  CHECK(first[0] < 0 && first[3] < 0);
  rig_down(&r);
}

static void test_later_cue_cancels_pending(void) {
  rig r;
  if (rig_up(&r, cue_show, 0) != 0) {
    return;
  }
  eval_at(&r, 0);
  fire(&r, 5, 1.0);
  CHECK_INT(ha_show_instance_pending(r.inst), 3);
  eval_at(&r, 1.2);
  fire(&r, 7, 1.2); /* goto track 2 (last in the stagger): its pending move is dropped */
  CHECK_INT(ha_show_instance_pending(r.inst), 2);
  for (double t = 1.2; t <= 5.0; t += 0.01) {
    eval_at(&r, t);
  }
  CHECK_VEC_NEAR(pos(&r, 1), 9, 9, 0, 0);
  CHECK_VEC_NEAR(pos(&r, 3), 0, 0, 4, 1e-12);
  /* stopping tracks drops their pending moves too */
  fire(&r, 5, 6.0);
  fire(&r, 9, 6.0);
  CHECK_INT(ha_show_instance_pending(r.inst), 2);
  rig_down(&r);
}

static void test_start_and_group_stop_cancel_pending(void) {
  rig r;
  if (rig_up(&r, cue_show, 0) != 0) {
    return;
  }
  eval_at(&r, 0);
  fire(&r, 1, 0.0); /* group "both" on tracks 1 and 2 */
  eval_at(&r, 0.5);
  fire(&r, 5, 1.0); /* preset order 3, 1, 4, 2: 1, 4 and 2 wait their turn */
  CHECK_INT(ha_show_instance_pending(r.inst), 3);
  fire(&r, 3, 1.1); /* stop "both": it still drives 1 and 2, their moves are dropped */
  CHECK_INT(ha_show_instance_pending(r.inst), 1);
  for (double t = 1.1; t <= 4.0; t += 0.01) {
    eval_at(&r, t);
  }
  ha_vec3 held = pos(&r, 0);
  CHECK(ha_vec3_dist(held, ha_vec3_make(0, 0, 1)) > 0.1); /* track 1 never went */
  CHECK_VEC_NEAR(pos(&r, 3), 0, 0, 4, 1e-12);             /* track 4 did */
  fire(&r, 5, 5.0);
  CHECK_INT(ha_show_instance_pending(r.inst), 3);
  fire(&r, 2, 5.1); /* start l on track 2: its move is dropped, it stays on l */
  CHECK_INT(ha_show_instance_pending(r.inst), 2);
  ha_motion *l = motion_of(&r, "l");
  for (double t = 5.1; t <= 7.0 + 1e-9; t += 0.01) {
    eval_at(&r, t);
  }
  ha_vec3 w = ha_motion_eval(l, 1.9, NULL);
  CHECK_VEC_NEAR(pos(&r, 1), w.x, w.y, w.z, 1e-9);
  CHECK_INT(ha_show_instance_pending(r.inst), 0);
  ha_motion_destroy(l);
  rig_down(&r);
}

/* A group's delay, and an animation's offset / offsetTurn, on the engine,
 * batched or not: as the group (group.h) computes it; a negative delay is
 * refused with its path. */
static const char *delay_show =
    "{\"format\": 1,\n"
    " \"tracks\": [{\"id\": 1}, {\"id\": 2}],\n"
    " \"animations\": [{\"name\": \"a\", \"model\": \"circular\", \"duration\": 4, "
    "\"parameters\": {\"radius\": 2, \"offset\": [0.8660254037844387, 0.5, 0.5], "
    "\"offsetTurn\": [0, 0, -360]}},\n"
    "  {\"name\": \"b\", \"model\": \"circular\", \"duration\": 4, "
    "\"parameters\": {\"radius\": 2, \"offset\": [0, 2, 1]}}],\n"
    " \"groups\": [{\"name\": \"a\", \"animation\": \"a\", \"tracks\": [1], \"delay\": 0.7, "
    "\"autoStart\": true},\n"
    "  {\"name\": \"b\", \"animation\": \"b\", \"tracks\": [2], \"autoStart\": true}]\n"
    "}";

static void test_delay_offset(void) {
  rig r;
  if (rig_up(&r, delay_show, 0.0) != 0) {
    return;
  }
  ha_motion *ma = motion_of(&r, "a"), *mb = motion_of(&r, "b");
  ha_group ga, gb;
  ha_group_init(&ga, ma, 1);
  ga.delay = 0.7;
  ha_group_init(&gb, mb, 1);
  for (double t = 0; t <= 9.0; t += 0.05) {
    eval_at(&r, t);
    ha_vec3 a = ha_group_member_position(&ga, 0, t), b = ha_group_member_position(&gb, 0, t);
    CHECK_VEC_NEAR(pos(&r, 0), a.x, a.y, a.z, 1e-9);
    CHECK_VEC_NEAR(pos(&r, 1), b.x, b.y, b.z, 1e-9);
  }
  /* held at the start (radius 2 on +x) plus the offset turned by 30° */
  eval_at(&r, 0.5);
  CHECK_VEC_NEAR(pos(&r, 0), 2 + cos(HA_PI / 6), sin(HA_PI / 6), 0.5, 1e-9);
  ha_motion_destroy(ma);
  ha_motion_destroy(mb);
  rig_down(&r);
  const char *bad =
      "{\"format\": 1, \"tracks\": [{\"id\": 1}], \"animations\": [{\"name\": "
      "\"c\", \"model\": \"circular\"}], \"groups\": [{\"name\": \"a\", "
      "\"animation\": \"c\", \"tracks\": [1], \"delay\": -1}]}";
  ha_show *s = NULL;
  ha_diags *d = NULL;
  ha_diags_create(&d);
  CHECK(ha_show_load_string(bad, strlen(bad), "bad.json", &s, d) != HA_OK);
  char line[400] = "";
  if (ha_diags_count(d) > 0) {
    ha_diag_format(ha_diags_at(d, 0), line, sizeof(line));
  }
  CHECK_MSG(strstr(line, "groups[0].delay") != NULL, "%s", line);
  ha_diags_destroy(d);
}

static void test_errors(void) {
  rig r;
  if (rig_up(&r, cue_show, 0) != 0) {
    return;
  }
  ha_error err;
  ha_error_clear(&err);
  CHECK_INT(ha_show_fire_cue(r.inst, 42, 0.0, &err), HA_ENOTFOUND);
  CHECK_STR(err.message, "cue: no cue number 42");
  CHECK_INT(ha_show_fire_cue_at(r.inst, 99, 0.0, NULL), HA_ENOTFOUND);
  CHECK_INT(ha_show_start_group(r.inst, 5, 0.0, NULL), HA_ENOTFOUND);
  CHECK_OK(ha_show_start_group(r.inst, 0, 0.0, NULL));
  CHECK_OK(ha_show_stop_group(r.inst, 0, 0.0, 1.0));
  /* a second instance on the same engine: the tracks exist already */
  ha_show_instance *again = NULL;
  ha_error_clear(&err);
  CHECK_INT(ha_show_instantiate(r.show, r.engine, 0.0, &again, &err), HA_EINVAL);
  CHECK_STR(err.message, "track: track 1 already exists");
  CHECK(again == NULL);
  rig_down(&r);
}

static void test_owns(void) {
  rig r;
  if (rig_up(&r, cue_show, 0) != 0) {
    return;
  }
  fire(&r, 1, 0.0);
  ha_track_info ti;
  ha_engine_track_get(r.engine, 1, &ti);
  ha_motion *m = ha_engine_animation_motion(r.engine, ti.animation);
  CHECK(m != NULL && ha_show_instance_owns(r.inst, m));
  ha_motion *other = motion_of(&r, "c");
  CHECK(!ha_show_instance_owns(r.inst, other));
  ha_motion_destroy(other);
  rig_down(&r);
}

int main(void) {
  RUN(test_offline_eval_matches_motion);
  RUN(test_delay_offset);
  RUN(test_limits_applied);
  RUN(test_ltp_takeover);
  RUN(test_stop_fades_to_base);
  RUN(test_preset_xyz);
  RUN(test_preset_aed_shorter_arc);
  RUN(test_stagger_order);
  RUN(test_later_cue_cancels_pending);
  RUN(test_start_and_group_stop_cancel_pending);
  RUN(test_errors);
  RUN(test_owns);
  return test_done();
}
