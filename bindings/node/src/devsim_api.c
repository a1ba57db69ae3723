/* holoanim Node addon: startDevsim() — the library's simulated Holophonix
 * device (ha_devsim, its own receive thread), for tests and demos driven
 * entirely from JS. The returned object stops the device when closed or
 * when it is garbage-collected. */
#include "addon.h"

#include "holoanim/devsim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct node_devsim {
  ha_devsim *sim;
} node_devsim;

static const napi_type_tag devsim_tag = {0x5eedd0d0cafe1234ULL, 0x0ddba11de7517a9bULL};

/* The object was garbage-collected: stop the device if still running. */
static void devsim_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  ha_devsim_stop(((node_devsim *)data)->sim);
  free(data);
}

#define DEVSIM_RUNNING HA_NODE_CLASS_FLAG /* refused once stopped */

static bool devsim_method_ready(napi_env env, const ha_node_call *c) {
  const node_devsim *d = c->self;
  if ((c->method->flags & DEVSIM_RUNNING) && d->sim == NULL) {
    ha_node_throw(env, HA_ESTATE, NULL, "devsim: stopped");
    return false;
  }
  return true;
}

static napi_value devsim_call(napi_env env, napi_callback_info info) {
  return ha_node_method_call(env, info, &devsim_tag, "Devsim", devsim_method_ready);
}

static napi_value devsim_get_track(napi_env env, const ha_node_call *c) {
  node_devsim *d = c->self;
  uint32_t n;
  if (!ha_node_get_u32(env, c->argc > 0 ? c->argv[0] : NULL, "track", 1, 65535, &n)) {
    return NULL;
  }
  ha_devsim_track t;
  ha_status st = ha_devsim_get_track(d->sim, n, &t);
  if (st != HA_OK) {
    return ha_node_throw(env, st, NULL, "getTrack");
  }
  napi_value o, pos;
  NAPI_CALL(env, napi_create_object(env, &o));
  if ((pos = ha_node_vec3_array(env, t.position)) == NULL ||
      !ha_node_set_number(env, o, "index", t.index) ||
      !ha_node_set_value(env, o, "position", pos) || !ha_node_set_string(env, o, "name", t.name) ||
      !ha_node_set_number(env, o, "gainDb", t.gain_db) ||
      !ha_node_set_bool(env, o, "mute", t.mute != 0) ||
      !ha_node_set_number(env, o, "updates", (double)t.updates)) {
    return NULL;
  }
  return o;
}

static napi_value devsim_set_position(napi_env env, const ha_node_call *c) {
  node_devsim *d = c->self;
  uint32_t n;
  ha_vec3 v;
  if (!ha_node_get_u32(env, c->argc > 0 ? c->argv[0] : NULL, "track", 1, 65535, &n) ||
      !ha_node_get_vec3(env, c->argc > 1 ? c->argv[1] : NULL, "position", &v)) {
    return NULL;
  }
  ha_status st = ha_devsim_set_position(d->sim, n, v);
  return st == HA_OK ? NULL : ha_node_throw(env, st, NULL, "setPosition");
}

/* addPush(host, port): every change of a track (a position the device took,
 * setPosition) is also sent there, as a processor pushes to its OSC Send
 * destinations (`holoanim devsim --push`). */
static napi_value devsim_add_push(napi_env env, const ha_node_call *c) {
  node_devsim *d = c->self;
  uint32_t port;
  char *host = ha_node_get_text(env, c->argc > 0 ? c->argv[0] : NULL, "host", NULL);
  if (host == NULL) {
    return NULL;
  }
  if (!ha_node_get_u32(env, c->argc > 1 ? c->argv[1] : NULL, "port", 1, 65535, &port)) {
    free(host);
    return NULL;
  }
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha_devsim_add_push(d->sim, host, (int)port, &err);
  free(host);
  return st == HA_OK ? NULL : ha_node_throw(env, st, &err, "addPush");
}

static napi_value devsim_stats(napi_env env, const ha_node_call *c) {
  node_devsim *d = c->self;
  ha_devsim_stats s;
  ha_devsim_get_stats(d->sim, &s);
  napi_value o;
  NAPI_CALL(env, napi_create_object(env, &o));
  if (!ha_node_set_number(env, o, "packets", (double)s.packets) ||
      !ha_node_set_number(env, o, "messages", (double)s.messages) ||
      !ha_node_set_number(env, o, "bundles", (double)s.bundles) ||
      !ha_node_set_number(env, o, "positions", (double)s.positions) ||
      !ha_node_set_number(env, o, "malformed", (double)s.malformed) ||
      !ha_node_set_number(env, o, "unknownTrack", (double)s.unknown_track) ||
      !ha_node_set_number(env, o, "clamped", (double)s.clamped)) {
    return NULL;
  }
  return o;
}

static napi_value devsim_stop(napi_env env, const ha_node_call *c) {
  (void)env;
  node_devsim *d = c->self;
  ha_devsim_stop(d->sim); /* flushes the record file */
  d->sim = NULL;
  return NULL;
}

static const ha_node_method devsim_methods[] = {
    {"getTrack", devsim_get_track, DEVSIM_RUNNING},
    {"setPosition", devsim_set_position, DEVSIM_RUNNING},
    {"addPush", devsim_add_push, DEVSIM_RUNNING},
    {"stats", devsim_stats, DEVSIM_RUNNING},
    {"stop", devsim_stop, 0},
};

/* startDevsim({port = 0, tracks = 64, record, bindHost, admScale}) */
static napi_value js_start_devsim(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  ha_devsim_config c = ha_devsim_config_default();
  c.port = 0;
  char record[1024], host[64];
  bool has_record = false, has_host = false;
  uint32_t port = 0, tracks = c.tracks;
  if (argc > 0 && !ha_node_is_nullish(env, argv[0])) {
    if (!ha_node_is_type(env, argv[0], napi_object)) {
      return ha_node_type_error(env, "startDevsim options must be an object");
    }
    if (!ha_node_opt_u32(env, argv[0], "port", 0, 65535, &port) ||
        !ha_node_opt_u32(env, argv[0], "tracks", 1, 65535, &tracks) ||
        !ha_node_opt_string(env, argv[0], "record", record, sizeof(record), &has_record) ||
        !ha_node_opt_string(env, argv[0], "bindHost", host, sizeof(host), &has_host) ||
        !ha_node_opt_number(env, argv[0], "admScale", &c.adm_scale)) {
      return NULL;
    }
  }
  c.port = (int)port;
  c.tracks = tracks;
  if (has_record) {
    c.record_path = record;
  }
  if (has_host) {
    c.bind_host = host;
  }
  node_devsim *d = calloc(1, sizeof(*d));
  if (d == NULL) {
    return ha_node_throw(env, HA_ENOMEM, NULL, "startDevsim");
  }
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha_devsim_start(&c, &d->sim, &err);
  if (st != HA_OK) {
    free(d);
    return ha_node_throw(env, st, &err, "startDevsim");
  }
  napi_property_descriptor props[sizeof(devsim_methods) / sizeof(devsim_methods[0])];
  size_t nprops = 0;
  if (!ha_node_method_props(env, devsim_methods, sizeof(devsim_methods) / sizeof(devsim_methods[0]),
                            devsim_call, props, &nprops, sizeof(props) / sizeof(props[0]))) {
    ha_devsim_stop(d->sim);
    free(d);
    return NULL;
  }
  napi_value o, pv;
  napi_status s = napi_create_object(env, &o);
  if (s == napi_ok) {
    s = napi_wrap(env, o, d, devsim_finalize, NULL, NULL);
  }
  if (s != napi_ok) {
    ha_devsim_stop(d->sim);
    free(d);
    return ha_node_napi_fail(env, s, "napi_wrap", __LINE__);
  }
  NAPI_CALL(env, napi_type_tag_object(env, o, &devsim_tag));
  NAPI_CALL(env, napi_define_properties(env, o, nprops, props));
  NAPI_CALL(env, napi_create_uint32(env, ha_devsim_port(d->sim), &pv));
  NAPI_CALL(env, napi_set_named_property(env, o, "port", pv));
  return o;
}

napi_value ha_node_init_devsim(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"startDevsim", NULL, js_start_devsim, NULL, NULL, NULL, napi_default, NULL},
  };
  NAPI_CALL(env, napi_define_properties(env, exports, 1, props));
  return exports;
}
