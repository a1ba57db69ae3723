/* holoanim Node addon: the show's live-data mappings on a Player.
 *
 * Inputs arrive on the control port (openControl: player_control.c hands
 * every message to ha_node_player_map_values first) or from JavaScript
 * (mapInput(address, ...numbers)); the core puts each in the mapping's
 * latest-value slot and the tick smooths it. The edits the smoothed values
 * make (a new motion of the group's animation, ha_show_player_map_update)
 * are a control thread's work, as in `holoanim play`: here a small thread,
 * the mapper, started with the first input source when the show has
 * mappings, makes them every 20 ms under op_mu and stops with the control
 * port (close()). mappings() lists them with their live values. */
#include "player_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define MAPPER_PERIOD_NS (20 * 1000 * 1000)

static void *mapper_main(void *arg) {
  ha_node_player *p = arg;
  /* acquire: pairs with the stopping thread's release of the flag. */
  while (atomic_load_explicit(&p->mapper_quit, memory_order_acquire) == 0) {
    struct timespec ts = {0, MAPPER_PERIOD_NS};
    nanosleep(&ts, NULL);
    pthread_mutex_lock(&p->op_mu);
    if (!p->closed && p->player != NULL && p->show != NULL) {
      ha_show_player_map_update(p->show, p->player, NULL);
    }
    pthread_mutex_unlock(&p->op_mu);
  }
  return NULL;
}

/* op_mu held. */
void ha_node_player_mapper_start(ha_node_player *p) {
  size_t n = 0;
  if (p->mapper_running || p->show == NULL || (ha_show_mappings(p->show, &n), n == 0)) {
    return;
  }
  atomic_store_explicit(&p->mapper_quit, 0, memory_order_relaxed);
  p->mapper_running = pthread_create(&p->mapper, NULL, mapper_main, p) == 0;
}

void ha_node_player_mapper_stop(ha_node_player *p) {
  pthread_mutex_lock(&p->op_mu);
  bool running = p->mapper_running;
  p->mapper_running = false;
  pthread_mutex_unlock(&p->op_mu);
  if (running) {
    /* release: the mapper's acquire sees it; joined outside op_mu (the
     * mapper may be waiting for it). */
    atomic_store_explicit(&p->mapper_quit, 1, memory_order_release);
    pthread_join(p->mapper, NULL);
  }
}

ha_status ha_node_player_map_values(void *user, const char *address, const double *args,
                                    size_t nargs) {
  ha_node_player *p = user;
  pthread_mutex_lock(&p->op_mu);
  ha_status st = HA_ENOTFOUND;
  if (!p->closed && p->player != NULL && p->show != NULL) {
    st = ha_show_player_map_osc(p->show, p->player, address, args, nargs, NULL);
  }
  pthread_mutex_unlock(&p->op_mu);
  return st;
}

/* mapInput(address, ...numbers) → how many mappings took a value (0 when
 * the address maps nothing or the argument is missing or not a number). */
static napi_value player_map_input(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  if (c->argc < 1 || !ha_node_is_type(env, c->argv[0], napi_string)) {
    return ha_node_type_error(env, "mapInput(address, ...numbers): address must be a string");
  }
  char address[256];
  double v[HA_CONTROL_MAX_VALUES];
  size_t n = 0;
  if (!ha_node_get_string(env, c->argv[0], "address", address, sizeof address)) {
    return NULL;
  }
  for (size_t i = 1; i < c->argc && n < HA_CONTROL_MAX_VALUES; i++) {
    double d = NAN;
    /* A value that is no number is NAN: refused, as on the wire. */
    if (napi_get_value_double(env, c->argv[i], &d) != napi_ok) {
      d = NAN;
    }
    v[n++] = d;
  }
  size_t taken = 0;
  pthread_mutex_lock(&p->op_mu);
  if (p->player != NULL && p->show != NULL) {
    (void)ha_show_player_map_osc(p->show, p->player, address, v, n, &taken);
    ha_node_player_mapper_start(p);
  }
  pthread_mutex_unlock(&p->op_mu);
  napi_value r;
  NAPI_CALL(env, napi_create_double(env, (double)taken, &r));
  return r;
}

static napi_value pair(napi_env env, double a, double b) {
  napi_value arr, x, y;
  NAPI_CALL(env, napi_create_array_with_length(env, 2, &arr));
  NAPI_CALL(env, napi_create_double(env, a, &x));
  NAPI_CALL(env, napi_create_double(env, b, &y));
  NAPI_CALL(env, napi_set_element(env, arr, 0, x));
  NAPI_CALL(env, napi_set_element(env, arr, 1, y));
  return arr;
}

/* Mapping i as {address, arg, group, param, input, output, smoothing,
 * smoothingMode, active, value, inputs} (value null before any input). */
static napi_value mapping_object(napi_env env, const ha_show *show, const ha_mapping_state *ms,
                                 size_t i) {
  size_t nm = 0, ng = 0;
  const ha_show_mapping *m = &ha_show_mappings(show, &nm)[i];
  const ha_show_group *g = ha_show_groups(show, &ng);
  static const char *const axis[] = {"", ".x", ".y", ".z"};
  char param[96];
  snprintf(param, sizeof param, "%s%s", m->param, axis[m->component + 1]);
  napi_value o, in = pair(env, m->in_min, m->in_max), out = pair(env, m->out_min, m->out_max);
  napi_value value;
  if (in == NULL || out == NULL) {
    return NULL;
  }
  if (ms->active) {
    NAPI_CALL(env, napi_create_double(env, ms->value, &value));
  } else {
    NAPI_CALL(env, napi_get_null(env, &value));
  }
  NAPI_CALL(env, napi_create_object(env, &o));
  if (!ha_node_set_string(env, o, "address", m->address) ||
      !ha_node_set_number(env, o, "arg", m->arg) ||
      !ha_node_set_string(env, o, "group", m->group < ng ? g[m->group].name : "") ||
      !ha_node_set_string(env, o, "param", param) || !ha_node_set_value(env, o, "input", in) ||
      !ha_node_set_value(env, o, "output", out) ||
      !ha_node_set_number(env, o, "smoothing", m->smoothing) ||
      !ha_node_set_string(env, o, "smoothingMode", m->slew ? "slew" : "one-pole") ||
      !ha_node_set_bool(env, o, "active", ms->active) ||
      !ha_node_set_value(env, o, "value", value) ||
      !ha_node_set_number(env, o, "inputs", (double)ms->inputs)) {
    return NULL;
  }
  return o;
}

/* mappings() → the loaded show's mappings with their live values ([] with
 * no show). */
static napi_value player_mappings(napi_env env, const ha_node_call *c) {
  ha_node_player *p = c->self;
  napi_value list;
  NAPI_CALL(env, napi_create_array(env, &list));
  pthread_mutex_lock(&p->op_mu);
  size_t n = 0;
  if (p->show != NULL && p->player != NULL) {
    ha_show_mappings(p->show, &n);
  }
  for (size_t i = 0; i < n; i++) {
    ha_mapping_state ms;
    memset(&ms, 0, sizeof ms);
    (void)ha_player_mapping_get(p->player, i, &ms);
    napi_value o = mapping_object(env, p->show, &ms, i);
    if (o == NULL || napi_set_element(env, list, (uint32_t)i, o) != napi_ok) {
      list = NULL;
      break;
    }
  }
  pthread_mutex_unlock(&p->op_mu);
  return list;
}

const ha_node_method ha_node_player_map_methods[] = {
    {"mapInput", player_map_input, PLAYER_OPEN},
    {"mappings", player_mappings, 0},
};
const size_t ha_node_player_map_method_count =
    sizeof(ha_node_player_map_methods) / sizeof(ha_node_player_map_methods[0]);
