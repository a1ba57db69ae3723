/* holoanim Node addon: loading a show into a Player.
 *
 * loadShow sizes a new ha_player for the show (its limits, tracks and
 * outputs: ha_show_player_config), fills it (ha_show_player_setup) and swaps
 * it in under the operation mutex, before start(); the show then answers
 * goCue and play's group auto-start, and its timeline plays on the tick
 * (ha_show_player_setup installs it). replaceShow swaps only the document
 * and the timeline, for edits that keep the same tracks (a running player
 * cannot be resized).
 * Load failures throw the HoloanimError with every diagnostic that Show
 * throws (ha_node_diags_error). */
#include "player_internal.h"

#include <stdlib.h>

/* A show from JS text (or the path it names), with its diagnostics; NULL
 * with the HoloanimError (every diagnostic) thrown. `what` names the call
 * in errors without diagnostics; failed loads report "loadShow". */
static ha_show *player_show_parse(napi_env env, napi_value v, bool is_path, const char *what,
                                  ha_diags **diags) {
  size_t len = 0;
  char *text = ha_node_get_text(env, v, what, &len);
  if (text == NULL) {
    return NULL;
  }
  ha_diags *d = NULL;
  ha_show *show = NULL;
  ha_status st = ha_diags_create(&d);
  if (st == HA_OK) {
    st = is_path ? ha_show_load_file(text, &show, d)
                 : ha_show_load_string(text, len, "show.json", &show, d);
  }
  free(text);
  if (st != HA_OK) {
    ha_node_throw_diags(env, st, d, "loadShow");
    ha_diags_destroy(d);
    return NULL;
  }
  *diags = d;
  return show;
}

/* A new player sized for the show and filled from it, swapped in for the
 * old one (destroyed). The player keeps the show. */
static bool player_show_install(napi_env env, ha_node_player *p, ha_show *show) {
  ha_player_config cfg = p->cfg;
  if (!p->max_tracks_given) {
    cfg.max_tracks = 1;
  }
  cfg = ha_show_player_config(show, &cfg);
  ha_error err;
  ha_error_clear(&err);
  ha_player *hp = NULL;
  ha_status st = ha_player_create(&cfg, &hp, &err);
  if (st == HA_OK) {
    st = ha_show_player_setup(show, hp, &err);
  }
  if (st != HA_OK) {
    ha_player_destroy(hp);
    ha_node_throw(env, st, &err, "loadShow");
    return false;
  }
  pthread_mutex_lock(&p->op_mu);
  ha_player *old = p->player;
  p->player = hp;
  p->show = show;
  p->cfg = cfg;
  p->autostarted = false;
  pthread_mutex_unlock(&p->op_mu);
  ha_player_destroy(old);
  return true;
}

/* The warnings of a load, as formatted lines. */
static napi_value show_warning_list(napi_env env, const ha_diags *d) {
  napi_value warnings;
  NAPI_CALL(env, napi_create_array(env, &warnings));
  for (size_t i = 0; i < ha_diags_count(d); i++) {
    char line[768];
    napi_value s;
    ha_diag_format(ha_diags_at(d, i), line, sizeof(line));
    NAPI_CALL(env, napi_create_string_utf8(env, line, NAPI_AUTO_LENGTH, &s));
    NAPI_CALL(env, napi_set_element(env, warnings, (uint32_t)i, s));
  }
  return warnings;
}

/* Fill o with {name, tag, autoStart} of group i. */
static bool show_group_item(napi_env env, const ha_show *show, size_t i, napi_value o) {
  size_t n = 0;
  const ha_show_group *g = &ha_show_groups(show, &n)[i];
  return ha_node_set_string(env, o, "name", g->name) &&
         ha_node_set_number(env, o, "tag", (double)i) &&
         ha_node_set_bool(env, o, "autoStart", g->auto_start);
}

/* Fill o with {number, name} of cue i. */
static bool show_cue_item(napi_env env, const ha_show *show, size_t i, napi_value o) {
  size_t n = 0;
  const ha_show_cue *cue = &ha_show_cues(show, &n)[i];
  return ha_node_set_number(env, o, "number", cue->number) &&
         ha_node_set_string(env, o, "name", cue->name);
}

/* An array of n objects, item i filled by fill(show, i). */
static napi_value show_list(napi_env env, const ha_show *show, size_t n,
                            bool (*fill)(napi_env env, const ha_show *show, size_t i,
                                         napi_value o)) {
  napi_value list;
  NAPI_CALL(env, napi_create_array_with_length(env, n, &list));
  for (size_t i = 0; i < n; i++) {
    napi_value o;
    NAPI_CALL(env, napi_create_object(env, &o));
    if (!fill(env, show, i, o)) {
      return NULL;
    }
    NAPI_CALL(env, napi_set_element(env, list, (uint32_t)i, o));
  }
  return list;
}

/* {name, tracks, animations, groups, cues, presets, outputs, warnings} */
static napi_value show_summary(napi_env env, const ha_show *show, const ha_diags *d,
                               size_t outputs) {
  size_t nt = 0, na = 0, np = 0, ng = 0, nc = 0;
  ha_show_tracks(show, &nt);
  ha_show_animations(show, &na);
  ha_show_presets(show, &np);
  ha_show_groups(show, &ng);
  ha_show_cues(show, &nc);
  napi_value r, warnings = show_warning_list(env, d), gl, cl;
  if (warnings == NULL || (gl = show_list(env, show, ng, show_group_item)) == NULL ||
      (cl = show_list(env, show, nc, show_cue_item)) == NULL) {
    return NULL;
  }
  NAPI_CALL(env, napi_create_object(env, &r));
  const char *name = ha_show_name(show);
  if (!ha_node_set_string(env, r, "name", name ? name : "") ||
      !ha_node_set_number(env, r, "tracks", (double)nt) ||
      !ha_node_set_number(env, r, "animations", (double)na) ||
      !ha_node_set_value(env, r, "groups", gl) || !ha_node_set_value(env, r, "cues", cl) ||
      !ha_node_set_number(env, r, "presets", (double)np) ||
      !ha_node_set_number(env, r, "outputs", (double)outputs) ||
      !ha_node_set_value(env, r, "warnings", warnings)) {
    return NULL;
  }
  return r;
}

/* loadShow(textOrPath, isPath) → summary */
static napi_value player_load_show(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  if (p->show != NULL || p->tracks_added > 0 || p->outputs_added > 0) {
    return ha_node_throw_message(
        env, HA_ESTATE,
        "loadShow: call it once, before addTrack/addOutput (the show sizes the player)");
  }
  bool is_path = false;
  if (c->argc < 1 || !ha_node_is_type(env, c->argv[0], napi_string)) {
    return ha_node_type_error(env, "loadShow expects JSON text, a file path or an object");
  }
  if (c->argc > 1 && !ha_node_get_bool(env, c->argv[1], "isPath", &is_path)) {
    return NULL;
  }
  ha_diags *d = NULL;
  ha_show *show = player_show_parse(env, c->argv[0], is_path, "loadShow", &d);
  if (show == NULL) {
    return NULL;
  }
  if (!player_show_install(env, p, show)) {
    ha_show_destroy(show);
    ha_diags_destroy(d);
    return NULL;
  }
  napi_value r = show_summary(env, show, d, ha_player_output_count(p->player));
  ha_diags_destroy(d);
  return r;
}

/* replaceShow(text) → undefined: swap the show the player fires cues
 * and starts groups from, without rebuilding the player (its tracks, outputs
 * and limits stay). The new show must have the same track ids; an edit that
 * changes tracks, outputs or limits needs a new player (ESTATE). */
static napi_value player_replace_show(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  if (c->argc < 1 || !ha_node_is_type(env, c->argv[0], napi_string)) {
    return ha_node_type_error(env, "replaceShow expects the show as JSON text");
  }
  ha_diags *d = NULL;
  ha_show *show = player_show_parse(env, c->argv[0], false, "replaceShow", &d);
  if (show == NULL) {
    return NULL;
  }
  ha_diags_destroy(d);
  pthread_mutex_lock(&p->op_mu);
  size_t n_old = 0, n_new = 0;
  const ha_show_track *a = p->show ? ha_show_tracks(p->show, &n_old) : NULL;
  const ha_show_track *b = ha_show_tracks(show, &n_new);
  bool same = p->show != NULL && n_old == n_new;
  for (size_t i = 0; same && i < n_new; i++) {
    same = a[i].id == b[i].id;
  }
  ha_show *old = NULL;
  if (same) {
    old = p->show;
    p->show = show;
    /* The new show's timeline replaces the old one's on the tick (a
     * command; the old timeline is freed once the tick let go of it). */
    (void)ha_show_player_timeline(show, p->player, NULL);
  }
  pthread_mutex_unlock(&p->op_mu);
  if (!same) {
    ha_show_destroy(show);
    return ha_node_throw_message(env, HA_ESTATE,
                                 "replaceShow: the player was loaded from a show with other "
                                 "tracks (load it in a new player)");
  }
  ha_show_destroy(old);
  return NULL;
}

const ha_node_method ha_node_player_show_methods[] = {
    {"loadShow", player_load_show, PLAYER_OPEN | PLAYER_SETUP},
    {"replaceShow", player_replace_show, PLAYER_OPEN},
};
const size_t ha_node_player_show_method_count =
    sizeof(ha_node_player_show_methods) / sizeof(ha_node_player_show_methods[0]);
