/* The show compiler's device-facing sections: outputs (where and how
 * positions are sent), limits (the safety box and speed) and control (the
 * OSC port that fires cues, and who may use it).
 *
 * An output starts from the documented defaults and overrides what the file
 * gives; its trackMap (show track -> device index) is kept sorted by track
 * so ha_show_output_device_index is a binary search. These sections come
 * last: a trackMap refers to tracks, nothing refers to them. */
#include "show_internal.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* A host as the show writes it: a numeric IPv4 or IPv6 address (in
 * [brackets] or not, an IPv6 one maybe with a %scope) or a host name. The
 * address itself is only known when play resolves or binds it. */
static bool host_form_ok(const char *host) {
  char buf[300];
  size_t n = strlen(host);
  if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof buf) {
    memcpy(buf, host + 1, n - 2);
    buf[n - 2] = '\0';
  } else {
    snprintf(buf, sizeof buf, "%s", host);
  }
  unsigned char a[16];
  char *scope = strchr(buf, '%');
  if (inet_pton(AF_INET, buf, a) == 1) {
    return true;
  }
  if (scope != NULL && scope[1] != '\0') {
    *scope = '\0';
  }
  if (inet_pton(AF_INET6, buf, a) == 1) {
    return true;
  }
  size_t name = strspn(buf, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");
  return scope == NULL && name == strlen(buf) && name > 0 && name <= 253;
}

/* ---- outputs ---- */

static int cmp_map(const void *a, const void *b) {
  const ha_show_track_map *p = a, *q = b;
  return p->track < q->track ? -1 : p->track > q->track;
}

static void output_defaults(ha_show_output *out) {
  memset(out, 0, sizeof(*out));
  out->name = "";
  out->host = "";
  out->port = 4003;
  out->azimuth_sign = HA_AZIMUTH_CLOCKWISE;
  out->adm_scale = 10.0;
  out->rate = 50.0;
  out->deadband_position = 0.001;
  out->deadband_angle = 0.1;
  out->keep_alive = 1.0;
  out->enabled = true;
}

/* dialect, coords and azimuthSign (which ADM-OSC fixes). */
static void compile_dialect(ha__compiler *x, const json_t *o, ha_show_output *out) {
  int dialect = 0, coords = 0, sign = 0;
  ha__cc_get_choice(x, o, "dialect", "holophonix|adm-osc", &dialect);
  out->dialect = (ha_show_dialect)dialect;
  ha__cc_get_choice(x, o, "coords", "xyz|aed", &coords);
  out->aed = coords == 1;
  int r = ha__cc_get_choice(x, o, "azimuthSign", "clockwise|counterclockwise", &sign);
  out->azimuth_sign = sign ? HA_AZIMUTH_COUNTERCLOCKWISE : HA_AZIMUTH_CLOCKWISE;
  if (out->dialect == HA_SHOW_DIALECT_ADM_OSC) {
    if (r > 0) {
      ha__cc_warn_key(x, "azimuthSign",
                      "ignored: ADM-OSC always counts azimuth counterclockwise (+ = left)");
    }
    out->azimuth_sign = HA_AZIMUTH_COUNTERCLOCKWISE;
  }
}

/* trackMap {"<track>": <device index>, ...}: no device index twice. */
static void compile_track_map(ha__compiler *x, const json_t *tm, ha_show_output *out) {
  ha_show_track_map *map = ha__cc_alloc(x, json_object_size(tm) * sizeof(*map));
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)(uintptr_t)tm, k, v) {
    if (map == NULL) {
      break;
    }
    size_t mark = ha__path_key(&x->path, k);
    long long id = 0, dev = 0;
    if (ha__cc_track_key(x, k, &id) == 0 && ha__cc_integer(x, v, 1, HA__TRACK_ID_MAX, &dev) > 0) {
      for (size_t j = 0; j < out->track_map_count; j++) {
        if (map[j].device == (uint32_t)dev) {
          ha__cc_err(x, "device index %lld is already the target of track %u", dev, map[j].track);
          break;
        }
      }
      map[out->track_map_count].track = (uint32_t)id;
      map[out->track_map_count].device = (uint32_t)dev;
      out->track_map_count++;
    }
    ha__path_pop(&x->path, mark);
  }
  if (map != NULL) {
    qsort(map, out->track_map_count, sizeof(*map), cmp_map);
  }
  out->track_map = map;
}

static void compile_output(ha__compiler *x, const json_t *o, size_t index, void *items) {
  ha_show_output *out = &((ha_show_output *)items)[index];
  output_defaults(out);
  ha__cc_unknown_keys(x, o, &ha__schema_output);
  ha__cc_name(x, o, &x->output_names, "output", "outputs", index, &out->name);
  if (ha__cc_get_string(x, o, "host", 1, 1, &out->host) > 0 && !host_form_ok(out->host)) {
    ha__cc_err_key(x, "host",
                   "\"%s\" is not a host (an IPv4 address, an IPv6 address such as fd00::5 "
                   "or [fd00::5], or a host name%s)",
                   out->host, strchr(out->host, ':') != NULL ? "; the port goes in \"port\"" : "");
  }
  long long port = 0;
  ha__cc_get_integer(x, o, "port", 0, 1, 65535, &port);
  compile_dialect(x, o, out);
  /* No port: the dialect's own (ADM-OSC receivers listen on 4001). */
  out->port =
      (uint16_t)(port > 0 ? port
                          : ha_output_port_or_default(0, out->dialect == HA_SHOW_DIALECT_ADM_OSC
                                                             ? HA_DIALECT_ADM_OSC
                                                             : HA_DIALECT_HOLOPHONIX));
  ha__cc_get_number(x, o, "admScale", 0, 0.001, 10000.0, &out->adm_scale);
  ha__cc_get_number(x, o, "rate", 0, 1.0, 1000.0, &out->rate);
  size_t mark = 0;
  const json_t *db = ha__cc_open_object(x, o, "deadband", &ha__schema_deadband, &mark);
  if (db != NULL) {
    ha__cc_get_number(x, db, "position", 0, 0.0, 10.0, &out->deadband_position);
    ha__cc_get_number(x, db, "angle", 0, 0.0, 45.0, &out->deadband_angle);
    ha__path_pop(&x->path, mark);
  }
  ha__cc_get_number(x, o, "keepAlive", 0, 0.0, HA__SECONDS_MAX, &out->keep_alive);
  const json_t *bu = ha__cc_open_object(x, o, "bundle", &ha__schema_bundle, &mark);
  if (bu != NULL) {
    ha__cc_get_bool(x, bu, "enabled", &out->bundle);
    ha__cc_get_number(x, bu, "lookahead", 0, 0.0, 1000.0, &out->bundle_lookahead_ms);
    ha__path_pop(&x->path, mark);
  }
  ha__cc_get_bool(x, o, "enabled", &out->enabled);
  const json_t *fb = ha__cc_open_object(x, o, "feedback", &ha__schema_feedback, &mark);
  if (fb != NULL) {
    long long fport = 0;
    if (ha__cc_get_integer(x, fb, "port", 0, 1, 65535, &fport) > 0) {
      out->feedback_port = (uint16_t)fport;
    }
    if (ha__cc_get_string(x, fb, "bind", 0, 1, &out->feedback_bind) > 0 &&
        !host_form_ok(out->feedback_bind)) {
      ha__cc_err_key(x, "bind", "\"%s\" is not an address to listen on", out->feedback_bind);
    }
    ha__path_pop(&x->path, mark);
  }
  const json_t *tm = ha__cc_open_object(x, o, "trackMap", NULL, &mark);
  if (tm != NULL) {
    compile_track_map(x, tm, out);
    ha__path_pop(&x->path, mark);
  }
}

static int cmp_gain(const void *a, const void *b) {
  const ha_show_track_gain *p = a, *q = b;
  return p->track < q->track ? -1 : p->track > q->track;
}

/* The tracks' gains, sorted by id, shared by every output (each sends
 * them). */
void ha__compile_gains(ha__compiler *x) {
  size_t n = 0;
  for (size_t i = 0; i < x->m->ntracks; i++) {
    n += x->m->tracks[i].has_gain;
  }
  ha_show_track_gain *g = n > 0 ? ha__cc_alloc(x, n * sizeof(*g)) : NULL;
  if (g == NULL) {
    for (size_t o = 0; o < x->m->noutputs; o++) { /* none (any more, after an edit) */
      x->m->outputs[o].gains = NULL;
      x->m->outputs[o].gain_count = 0;
    }
    return;
  }
  size_t k = 0;
  for (size_t i = 0; i < x->m->ntracks; i++) {
    if (x->m->tracks[i].has_gain) {
      g[k].track = x->m->tracks[i].id;
      g[k].db = x->m->tracks[i].gain;
      k++;
    }
  }
  size_t sorted = 1;
  while (sorted < n && g[sorted - 1].track < g[sorted].track) {
    sorted++;
  }
  if (sorted < n) { /* tracks are mostly listed by id already */
    qsort(g, n, sizeof(*g), cmp_gain);
  }
  for (size_t o = 0; o < x->m->noutputs; o++) {
    x->m->outputs[o].gains = g;
    x->m->outputs[o].gain_count = n;
  }
}

void ha__compile_outputs(ha__compiler *x, const json_t *doc) {
  static const ha__cc_section_spec spec = {"outputs", sizeof(ha_show_output), 0, NULL,
                                           NULL,      compile_output};
  x->m->outputs = ha__cc_section(x, doc, &spec, &x->m->noutputs);
  if (x->m->outputs != NULL) {
    ha__compile_gains(x);
  }
}

/* ---- limits, control ---- */

/* box {min, max}: both corners, min <= max on every axis. */
static void compile_box(ha__compiler *x, const json_t *box) {
  ha_vec3 lo, hi;
  int a = ha__cc_get_vec3(x, box, "min", 1, 1e4, &lo);
  int b = ha__cc_get_vec3(x, box, "max", 1, 1e4, &hi);
  if (a <= 0 || b <= 0) {
    return;
  }
  double lv[3] = {lo.x, lo.y, lo.z}, hv[3] = {hi.x, hi.y, hi.z};
  int ok = 1;
  for (size_t k = 0; k < 3; k++) {
    if (lv[k] > hv[k]) {
      char s1[40], s2[40];
      ha_format_double(s1, sizeof(s1), lv[k]);
      ha_format_double(s2, sizeof(s2), hv[k]);
      size_t m3 = ha__path_key(&x->path, "min");
      size_t m4 = ha__path_index(&x->path, k);
      ha__cc_err(x, "%s is above max[%zu] %s (the box would be empty)", s1, k, s2);
      ha__path_pop(&x->path, m4);
      ha__path_pop(&x->path, m3);
      ok = 0;
    }
  }
  if (ok) {
    x->m->limits.box_enabled = true;
    x->m->limits.box_min = lo;
    x->m->limits.box_max = hi;
  }
}

void ha__compile_limits(ha__compiler *x, const json_t *doc) {
  size_t mark = 0, m2 = 0;
  const json_t *l = ha__cc_open_object(x, doc, "limits", &ha__schema_limits, &mark);
  if (l == NULL) {
    return;
  }
  const json_t *box = ha__cc_open_object(x, l, "box", &ha__schema_box, &m2);
  if (box != NULL) {
    compile_box(x, box);
    ha__path_pop(&x->path, m2);
  }
  ha__cc_get_number(x, l, "maxSpeed", 0, 0.0, 1e6, &x->m->limits.max_speed);
  ha__path_pop(&x->path, mark);
}

/* bind: where play listens (host_form_ok). */
static void compile_control_bind(ha__compiler *x, const json_t *c) {
  const char *bind = NULL;
  if (ha__cc_get_string(x, c, "bind", 0, 1, &bind) <= 0) {
    return;
  }
  if (!host_form_ok(bind)) {
    ha__cc_err_key(x, "bind",
                   "\"%s\" is not an address to listen on (IPv4 such as 0.0.0.0, IPv6 such "
                   "as :: or [::1], or a host name%s)",
                   bind, strchr(bind, ':') != NULL ? "; the port goes in \"port\"" : "");
    return;
  }
  x->m->control.bind = bind;
}

/* allow: addresses, CIDR ranges, host names (ha_control_allow_check). */
static void compile_control_allow(ha__compiler *x, const json_t *allow) {
  size_t n = json_array_size(allow);
  if (n > HA_CONTROL_MAX_ALLOW) {
    ha__cc_err_key(x, "allow", "%zu entries: at most %d (use CIDR ranges such as 10.0.0.0/24)", n,
                   HA_CONTROL_MAX_ALLOW);
    return;
  }
  const char **hosts = ha__cc_alloc(x, n * sizeof(char *));
  size_t m2 = ha__path_key(&x->path, "allow");
  for (size_t i = 0; hosts != NULL && i < n; i++) {
    size_t m3 = ha__path_index(&x->path, i);
    const char *h = NULL;
    ha_error err;
    if (ha__cc_string(x, json_array_get(allow, i), 1, &h) > 0) {
      if (ha_control_allow_check(h, &err) != HA_OK) {
        /* The entry is the path's subject already: drop "allow: ". */
        const char *why = err.message;
        why += strncmp(why, "allow: ", 7) == 0 ? 7 : 0;
        ha__cc_err(x, "%s", why);
      } else {
        hosts[x->m->control.allow_count++] = h;
      }
    }
    ha__path_pop(&x->path, m3);
  }
  ha__path_pop(&x->path, m2);
  x->m->control.allow = hosts;
}

/* sync {source, tolerance, gain, maxSlew}: the ranges ha_sync_config_check
 * takes. */
static void compile_control_sync(ha__compiler *x, const json_t *c) {
  size_t mark = 0;
  const json_t *s = ha__cc_open_object(x, c, "sync", &ha__schema_sync, &mark);
  if (s == NULL) {
    return;
  }
  int source = 0;
  if (ha__cc_get_choice(x, s, "source", "none|osc", &source) > 0) {
    x->m->control.sync = source == 1;
  }
  ha__cc_get_number(x, s, "tolerance", 0, 0.001, 10.0, &x->m->control.sync_tolerance);
  ha__cc_get_number(x, s, "gain", 0, 0.0, 100.0, &x->m->control.sync_gain);
  ha__cc_get_number(x, s, "maxSlew", 0, 0.0, 0.5, &x->m->control.sync_max_slew);
  ha__path_pop(&x->path, mark);
}

void ha__compile_control(ha__compiler *x, const json_t *doc) {
  x->m->control.allow_loopback = true;
  x->m->control.sync_tolerance = 0.1;
  x->m->control.sync_gain = 1.0;
  x->m->control.sync_max_slew = 0.05;
  size_t mark = 0;
  const json_t *c = ha__cc_open_object(x, doc, "control", &ha__schema_control, &mark);
  if (c == NULL) {
    return;
  }
  long long port = 0;
  if (ha__cc_get_integer(x, c, "port", 0, 1, 65535, &port) > 0) {
    x->m->control.port = (int)port;
  }
  compile_control_bind(x, c);
  const json_t *allow = ha__cc_get_array(x, c, "allow", 0);
  if (allow != NULL) {
    compile_control_allow(x, allow);
  }
  ha__cc_get_bool(x, c, "allowLoopback", &x->m->control.allow_loopback);
  compile_control_sync(x, c);
  ha__cc_get_bool(x, c, "echoFromAny", &x->m->control.echo_from_any);
  ha__path_pop(&x->path, mark);
}
