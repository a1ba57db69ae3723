/* holoanim Node addon: the computation API (the seed's MotionEngine).
 *
 * - Motion (createMotion / new Motion): an ha_motion wrapped with napi_wrap;
 *   its finalizer destroys the motion. Objects are type-tagged, so a forged
 *   object with Motion.prototype is refused instead of being unwrapped.
 * - calculatePosition (async, libuv thread pool via napi_create_async_work)
 *   and calculatePositionSync; evaluate(motion, Float64Array times) →
 *   Float64Array xyz interleaved (ha_motion_eval_times: the SIMD kernels
 *   over the times).
 * listModels is in models_api.c; interpolateTrajectory, groupPositions and
 * maintainFormation in geometry_api.c.
 *
 * Async evaluation of a Motion holds a strong reference to its JS object
 * until the work completes, so the motion cannot be finalized under the
 * worker; Motion#update refuses (ESTATE) while evaluations are in flight,
 * because the core forbids updating a motion during its evaluation. A
 * {model, params, timing} description is converted to C on the JS thread
 * and its motion is created, used and destroyed on the worker. */
#include "addon.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ha_node_motion {
  ha_motion *motion;
  napi_ref params; /* a copy of the JS parameters (merged by update) */
  ha_node_instance *inst;
  unsigned in_flight; /* async evaluations running (JS thread counts) */
  uint32_t id;        /* its slot in inst->motion_slots, when registered */
  bool registered;
  bool finalized; /* the JS object is gone; free when in_flight drops to 0 */
};

/* Random, fixed: identifies objects wrapped by this addon as Motions. */
static const napi_type_tag motion_tag = {0x6a0e4f2bd1c35a77ULL, 0x93b1c0de5eed1e55ULL};

ha_motion *ha_node_motion_get(ha_node_motion *m) {
  return m ? m->motion : NULL;
}

ha_node_motion *ha_node_motion_unwrap(napi_env env, napi_value v) {
  if (!ha_node_is_type(env, v, napi_object)) {
    return NULL;
  }
  bool tagged = false;
  if (napi_check_object_type_tag(env, v, &motion_tag, &tagged) != napi_ok || !tagged) {
    return NULL;
  }
  void *p = NULL;
  if (napi_unwrap(env, v, &p) != napi_ok) {
    return NULL;
  }
  return p;
}

/* ---- patterns ------------------------------------------------------------------ */

bool ha_node_get_pattern(napi_env env, napi_value v, const char *what, ha_node_pattern *out) {
  memset(out, 0, sizeof(*out));
  out->timing = ha_timing_default();
  ha_node_motion *m = ha_node_motion_unwrap(env, v);
  if (m != NULL) {
    out->motion = m;
    return true;
  }
  bool arr = false;
  if (ha_node_is_type(env, v, napi_object)) {
    NAPI_CALL_B(env, napi_is_array(env, v, &arr));
  }
  if (!ha_node_is_type(env, v, napi_object) || arr) {
    ha_node_type_error(env, "%s must be a Motion or a {model, params, timing} object", what);
    return false;
  }
  napi_value mv, pv, tv;
  bool found;
  if (!ha_node_get_prop(env, v, "model", &mv, &found)) {
    return false;
  }
  if (!found) {
    ha_node_type_error(env, "%s.model must be a model name (string)", what);
    return false;
  }
  if (!ha_node_get_string(env, mv, "model", out->model, sizeof(out->model))) {
    return false;
  }
  if (!ha_node_get_prop(env, v, "params", &pv, &found)) {
    return false;
  }
  if (found && !ha_node_get_params(env, pv, &out->params)) {
    return false;
  }
  if (!ha_node_get_prop(env, v, "timing", &tv, &found)) {
    ha_node_pattern_deinit(out);
    return false;
  }
  if (found && !ha_node_get_timing(env, tv, &out->timing)) {
    ha_node_pattern_deinit(out);
    return false;
  }
  return true;
}

void ha_node_pattern_deinit(ha_node_pattern *p) {
  ha_params_destroy(p->params);
  p->params = NULL;
}

/* Optional {track, shift} into a context. */
static bool get_track_ctx(napi_env env, napi_value opts, ha_track_ctx *ctx) {
  memset(ctx, 0, sizeof(*ctx));
  if (ha_node_is_nullish(env, opts)) {
    return true;
  }
  if (!ha_node_is_type(env, opts, napi_object)) {
    ha_node_type_error(env, "options must be an object {track, shift}");
    return false;
  }
  return ha_node_opt_u32(env, opts, "track", 0, UINT32_MAX, &ctx->track_id) &&
         ha_node_opt_number(env, opts, "shift", &ctx->shift);
}

/* ---- Motion ------------------------------------------------------------------------- */

static void motion_free(ha_node_motion *m) {
  ha_motion_destroy(m->motion);
  free(m);
}

static void motion_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  ha_node_motion *m = data;
  if (m->params != NULL) {
    napi_delete_reference(env, m->params);
    m->params = NULL;
  }
  /* Environment teardown runs finalizers before it waits for thread-pool
   * work: an evaluation may still be using the motion; the last one frees
   * it (calc_complete). */
  m->finalized = true;
  if (m->inst != NULL && m->registered) {
    /* The WeakMap entry died with the object: nothing can ask for this id. */
    m->inst->motion_slots[m->id] = NULL;
    m->inst->motion_free[m->inst->motion_nfree++] = m->id;
  }
  if (m->inst != NULL) {
    m->inst->motions_live--; /* the instance may be gone by the time we free */
    m->inst = NULL;
  }
  if (m->in_flight == 0) {
    motion_free(m);
  }
}

/* Give m an id (a slot in inst->motion_slots) and tell index.js, which maps
 * the object to it. Without index.js (the bare addon) a Motion has no id and
 * is only ever unwrapped. False with an exception pending. */
static bool motion_register(napi_env env, ha_node_instance *inst, ha_node_motion *m,
                            napi_value self) {
  if (inst == NULL || inst->motion_register == NULL) {
    return true;
  }
  if (inst->motion_nfree == 0 && inst->motion_ids == inst->motion_cap) {
    uint32_t cap = inst->motion_cap ? 2 * inst->motion_cap : 64;
    ha_node_motion **slots = realloc(inst->motion_slots, cap * sizeof(*slots));
    if (slots != NULL) {
      inst->motion_slots = slots;
    }
    uint32_t *ids = slots ? realloc(inst->motion_free, cap * sizeof(*ids)) : NULL;
    if (ids == NULL) {
      ha_node_throw(env, HA_ENOMEM, NULL, "Motion");
      return false;
    }
    inst->motion_free = ids;
    inst->motion_cap = cap;
  }
  m->id = inst->motion_nfree > 0 ? inst->motion_free[--inst->motion_nfree] : inst->motion_ids++;
  m->registered = true;
  inst->motion_slots[m->id] = m;
  napi_value fn, id;
  NAPI_CALL_B(env, napi_get_reference_value(env, inst->motion_register, &fn));
  NAPI_CALL_B(env, napi_create_uint32(env, m->id, &id));
  napi_value args[2] = {self, id};
  return napi_call_function(env, self, fn, 2, args, NULL) == napi_ok;
}

/* new Motion(model, params?, timing?) */
static napi_value motion_ctor(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], self;
  if (!ha_node_construct(env, info, "Motion", &argc, argv, &self)) {
    return NULL;
  }
  char model[64];
  if (!ha_node_get_string(env, argc > 0 ? argv[0] : NULL, "model", model, sizeof(model))) {
    return NULL;
  }
  ha_params *params = NULL;
  if (argc > 1 && !ha_node_is_nullish(env, argv[1]) && !ha_node_get_params(env, argv[1], &params)) {
    return NULL;
  }
  ha_timing timing = ha_timing_default();
  if (argc > 2 && !ha_node_is_nullish(env, argv[2]) && !ha_node_get_timing(env, argv[2], &timing)) {
    ha_params_destroy(params);
    return NULL;
  }
  ha_error err;
  ha_error_clear(&err);
  ha_motion *motion = NULL;
  ha_status st = ha_motion_create(model, params, &timing, &motion, &err);
  ha_params_destroy(params);
  if (st != HA_OK) {
    return ha_node_throw(env, st, &err, model);
  }
  ha_node_motion *m = calloc(1, sizeof(*m));
  if (m == NULL) {
    ha_motion_destroy(motion);
    return ha_node_throw(env, HA_ENOMEM, NULL, "Motion");
  }
  m->motion = motion;
  m->inst = ha_node_instance_get(env);
  if (argc > 1 && !ha_node_is_nullish(env, argv[1])) {
    napi_value copy = ha_node_assign(env, NULL, argv[1]);
    if (copy == NULL || napi_create_reference(env, copy, 1, &m->params) != napi_ok) {
      ha_motion_destroy(motion);
      free(m);
      return ha_node_napi_fail(env, napi_generic_failure, "params copy", __LINE__);
    }
  }
  napi_status s = napi_wrap(env, self, m, motion_finalize, NULL, NULL);
  if (s != napi_ok) {
    ha_motion_destroy(motion);
    free(m);
    return ha_node_napi_fail(env, s, "napi_wrap", __LINE__);
  }
  if (m->inst != NULL) {
    m->inst->motions_live++;
    m->inst->motions_created++;
  }
  NAPI_CALL(env, napi_type_tag_object(env, self, &motion_tag));
  if (!motion_register(env, m->inst, m, self)) {
    return NULL;
  }
  return self;
}

static napi_value motion_call(napi_env env, napi_callback_info info) {
  return ha_node_method_call(env, info, &motion_tag, "Motion", NULL);
}

static napi_value timing_object(napi_env env, ha_timing t) {
  napi_value o;
  NAPI_CALL(env, napi_create_object(env, &o));
  if (!ha_node_set_number(env, o, "duration", t.duration) ||
      !ha_node_set_string(env, o, "loop", ha_loop_mode_name(t.loop)) ||
      !ha_node_set_number(env, o, "speed", t.speed) ||
      !ha_node_set_string(env, o, "seam", ha_seam_name(t.seam))) {
    return NULL;
  }
  return o;
}

static napi_value motion_get_model(napi_env env, const ha_node_call *c) {
  ha_node_motion *m = c->self;
  napi_value r;
  NAPI_CALL(env,
            napi_create_string_utf8(env, ha_motion_model(m->motion)->name, NAPI_AUTO_LENGTH, &r));
  return r;
}

static napi_value motion_get_timing(napi_env env, const ha_node_call *c) {
  const ha_node_motion *m = c->self;
  return timing_object(env, ha_motion_timing(m->motion));
}

static napi_value motion_get_params(napi_env env, const ha_node_call *c) {
  ha_node_motion *m = c->self;
  napi_value old = NULL;
  if (m->params != NULL) {
    NAPI_CALL(env, napi_get_reference_value(env, m->params, &old));
  }
  return ha_node_assign(env, old, NULL);
}

static napi_value motion_get_pivot(napi_env env, const ha_node_call *c) {
  const ha_node_motion *m = c->self;
  return ha_node_vec3_array(env, ha_motion_pivot(m->motion));
}

/* motion.velocity(t, {track, shift}?) → {x, y, z} m/s */
static napi_value motion_velocity(napi_env env, const ha_node_call *c) {
  ha_node_motion *m = c->self;
  double t;
  ha_track_ctx ctx;
  if (!ha_node_get_number(env, c->argc > 0 ? c->argv[0] : NULL, "time", &t) ||
      !get_track_ctx(env, c->argc > 1 ? c->argv[1] : NULL, &ctx)) {
    return NULL;
  }
  return ha_node_vec3_object(env, ha_motion_velocity(m->motion, t, &ctx));
}

/* motion.update(params?, timing?, {now, window}?): the seed's
 * update_parameters (blends from the old path over `window` seconds). */
static napi_value motion_update(napi_env env, const ha_node_call *c) {
  ha_node_motion *m = c->self;
  if (m->in_flight > 0) {
    ha_error err;
    ha_error_clear(&err);
    snprintf(err.message, sizeof(err.message),
             "update: %u asynchronous evaluations of this motion are still running", m->in_flight);
    return ha_node_throw(env, HA_ESTATE, &err, "update");
  }
  /* Parameters not given keep their values: the new ones are merged over
   * a copy of the last set (the core replaces the whole set). */
  ha_params *params = NULL;
  napi_value merged = NULL;
  if (c->argc > 0 && !ha_node_is_nullish(env, c->argv[0])) {
    if (!ha_node_is_type(env, c->argv[0], napi_object)) {
      return ha_node_type_error(env, "params must be a plain object");
    }
    napi_value old = NULL;
    if (m->params != NULL) {
      NAPI_CALL(env, napi_get_reference_value(env, m->params, &old));
    }
    merged = ha_node_assign(env, old, c->argv[0]);
    if (merged == NULL || !ha_node_get_params(env, merged, &params)) {
      return NULL;
    }
  }
  ha_timing timing = ha_motion_timing(m->motion);
  bool has_timing = c->argc > 1 && !ha_node_is_nullish(env, c->argv[1]);
  double now = 0.0, window = 0.0;
  if ((has_timing && !ha_node_get_timing(env, c->argv[1], &timing)) ||
      (c->argc > 2 && !ha_node_is_nullish(env, c->argv[2]) &&
       (!ha_node_opt_number(env, c->argv[2], "now", &now) ||
        !ha_node_opt_number(env, c->argv[2], "window", &window)))) {
    ha_params_destroy(params);
    return NULL;
  }
  ha_error err;
  ha_error_clear(&err);
  ha_status st = ha_motion_update_parameters(m->motion, params, has_timing ? &timing : NULL, now,
                                             window < 0.0 ? 0.0 : window, &err);
  ha_params_destroy(params);
  if (st != HA_OK) {
    return ha_node_throw(env, st, &err, "update");
  }
  if (merged != NULL) {
    if (m->params != NULL) {
      NAPI_CALL(env, napi_delete_reference(env, m->params));
    }
    NAPI_CALL(env, napi_create_reference(env, merged, 1, &m->params));
  }
  return NULL;
}

static napi_value motion_get_state(napi_env env, const ha_node_call *c) {
  ha_node_motion *m = c->self;
  ha_motion_info_state s;
  ha_motion_get_state(m->motion, &s);
  napi_value o, t = timing_object(env, s.timing);
  if (t == NULL) {
    return NULL;
  }
  NAPI_CALL(env, napi_create_object(env, &o));
  if (!ha_node_set_string(env, o, "model", s.model) || !ha_node_set_value(env, o, "timing", t) ||
      !ha_node_set_bool(env, o, "blending", s.blending) ||
      !ha_node_set_number(env, o, "blendStart", s.blend_start) ||
      !ha_node_set_number(env, o, "blendWindow", s.blend_window) ||
      !ha_node_set_number(env, o, "generation", (double)s.generation)) {
    return NULL;
  }
  return o;
}

static napi_value motion_reset(napi_env env, const ha_node_call *c) {
  ha_node_motion *m = c->self;
  if (m->in_flight > 0) {
    return ha_node_throw(env, HA_ESTATE, NULL, "reset");
  }
  ha_motion_reset(m->motion);
  return NULL;
}

static const ha_node_method motion_methods[] = {
    {"model", motion_get_model, HA_NODE_GETTER | HA_NODE_ENUMERABLE},
    {"timing", motion_get_timing, HA_NODE_GETTER | HA_NODE_ENUMERABLE},
    {"params", motion_get_params, HA_NODE_GETTER | HA_NODE_ENUMERABLE},
    {"pivot", motion_get_pivot, HA_NODE_GETTER},
    {"velocity", motion_velocity, 0},
    {"update", motion_update, 0},
    {"getState", motion_get_state, 0},
    {"reset", motion_reset, 0},
};

/* createMotion(model, params?, timing?) = new Motion(...) */
static napi_value js_create_motion(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], ctor, r;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  ha_node_instance *inst = ha_node_instance_get(env);
  NAPI_CALL(env, napi_get_reference_value(env, inst->motion_ctor, &ctor));
  napi_value undef;
  NAPI_CALL(env, napi_get_undefined(env, &undef));
  for (size_t i = argc; i < 3; i++) {
    argv[i] = undef;
  }
  NAPI_CALL(env, napi_new_instance(env, ctor, 3, argv, &r));
  return r;
}

/* ---- calculatePosition --------------------------------------------------------------- */

typedef struct calc_work {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref motion_ref; /* keeps a Motion alive while the worker uses it */
  ha_node_pattern pattern;
  bool use_ctx;
  ha_track_ctx ctx;
  double time;
  ha_vec3 out;
  ha_status status;
  ha_error err;
} calc_work;

/* The computation both paths share. Thread: any. */
static ha_status calc_position(const ha_node_pattern *p, double t, bool use_ctx,
                               const ha_track_ctx *ctx, ha_vec3 *out, ha_error *err) {
  ha_motion *tmp = NULL;
  const ha_motion *m;
  if (p->motion != NULL) {
    m = p->motion->motion;
  } else {
    ha_status st = ha_motion_create(p->model, p->params, &p->timing, &tmp, err);
    if (st != HA_OK) {
      return st;
    }
    m = tmp;
  }
  ha_status st;
  if (!use_ctx) {
    st = ha_motion_calculate_position(m, t, out, err);
  } else if (!isfinite(t)) {
    st = HA_EINVAL;
  } else {
    ha_motion_state cache;
    ha_motion_state_reset(&cache);
    ha_track_ctx c = *ctx;
    c.state = &cache;
    *out = ha_motion_eval(m, t, &c);
    st = HA_OK;
  }
  ha_motion_destroy(tmp);
  return st;
}

static void calc_execute(napi_env env, void *data) {
  (void)env;
  calc_work *w = data;
  w->status = calc_position(&w->pattern, w->time, w->use_ctx, &w->ctx, &w->out, &w->err);
}

static void calc_complete(napi_env env, napi_status status, void *data) {
  calc_work *w = data;
  ha_node_motion *m = w->pattern.motion;
  if (m != NULL) {
    m->in_flight--;
  }
  if (env != NULL) {
    napi_value v = NULL;
    bool ok = status == napi_ok && w->status == HA_OK;
    if (status != napi_ok) {
      v = ha_node_make_error(env, HA_EINTERNAL, NULL, "calculatePosition: cancelled");
    } else if (ok) {
      v = ha_node_vec3_object(env, w->out);
    } else {
      v = ha_node_make_error(env, w->status, &w->err, "calculatePosition");
    }
    ha_node_settle(env, w->deferred, v, ok);
    if (w->motion_ref != NULL) {
      napi_delete_reference(env, w->motion_ref);
    }
    napi_delete_async_work(env, w->work);
  }
  ha_node_pattern_deinit(&w->pattern);
  free(w);
  if (m != NULL && m->finalized && m->in_flight == 0) {
    motion_free(m);
  }
}

/* Parse (motionOrPattern, time, options?) into a pattern and a time. */
static bool calc_args(napi_env env, napi_callback_info info, const char *fn, ha_node_pattern *p,
                      double *t, bool *use_ctx, ha_track_ctx *ctx, napi_value *motion_value) {
  size_t argc = 3;
  napi_value argv[3];
  NAPI_CALL_B(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) {
    ha_node_type_error(env, "%s(motionOrPattern, time[, options]) needs 2 arguments, got %zu", fn,
                       argc);
    return false;
  }
  if (!ha_node_get_pattern(env, argv[0], "motionOrPattern", p)) {
    return false;
  }
  /* A TypeError or RangeError, thrown synchronously (also by the promise
   * form), as every argument check. */
  if (!ha_node_get_number(env, argv[1], "time", t)) {
    ha_node_pattern_deinit(p);
    return false;
  }
  *use_ctx = argc > 2 && !ha_node_is_nullish(env, argv[2]);
  if (*use_ctx && !get_track_ctx(env, argv[2], ctx)) {
    ha_node_pattern_deinit(p);
    return false;
  }
  *motion_value = argv[0];
  return true;
}

static napi_value js_calculate_position(napi_env env, napi_callback_info info) {
  calc_work *w = calloc(1, sizeof(*w));
  if (w == NULL) {
    return ha_node_throw(env, HA_ENOMEM, NULL, "calculatePosition");
  }
  napi_value mv;
  if (!calc_args(env, info, "calculatePosition", &w->pattern, &w->time, &w->use_ctx, &w->ctx,
                 &mv)) {
    free(w);
    return NULL;
  }
  napi_value promise;
  napi_status s = napi_create_promise(env, &w->deferred, &promise);
  if (s == napi_ok && w->pattern.motion != NULL) {
    s = napi_create_reference(env, mv, 1, &w->motion_ref);
  }
  if (s == napi_ok) {
    s = ha_node_queue_work(env, "holoanim.calculatePosition", calc_execute, calc_complete, w,
                           &w->work);
  }
  if (s != napi_ok) {
    if (w->motion_ref != NULL) {
      napi_delete_reference(env, w->motion_ref);
    }
    ha_node_pattern_deinit(&w->pattern);
    free(w);
    return ha_node_napi_fail(env, s, "calculatePosition", __LINE__);
  }
  if (w->pattern.motion != NULL) {
    w->pattern.motion->in_flight++;
  }
  return promise;
}

/* The position calculatePositionSync's arguments ask for; false with an
 * exception pending. */
static bool position_from_args(napi_env env, napi_callback_info info, ha_vec3 *out) {
  ha_node_pattern p;
  double t;
  bool use_ctx = false;
  ha_track_ctx ctx;
  napi_value mv;
  if (!calc_args(env, info, "calculatePositionSync", &p, &t, &use_ctx, &ctx, &mv)) {
    return false;
  }
  ha_error err;
  ha_error_clear(&err);
  ha_status st = calc_position(&p, t, use_ctx, &ctx, out, &err);
  ha_node_pattern_deinit(&p);
  if (st != HA_OK) {
    ha_node_throw(env, st, &err, "calculatePositionSync");
    return false;
  }
  return true;
}

static napi_value js_calculate_position_sync(napi_env env, napi_callback_info info) {
  ha_vec3 out;
  return position_from_args(env, info, &out) ? ha_node_vec3_object(env, out) : NULL;
}

/* _position(motionOrPattern, time[, options]) and _positionOf(id, time):
 * calculatePositionSync's native half (index.js). They write the position
 * into the instance's position[3], which index.js reads through a
 * Float64Array over that memory and returns as {x, y, z} or copies into the
 * caller's Float64Array, and return undefined: no object is made here, no
 * property is looked up and no typed array is inspected per call (a result
 * object built through Node-API was 60% of a call). _positionOf is the path
 * of a Motion: index.js passes its id (see motion_register), a number, where
 * unwrapping the object cost ten times the crossing itself. */
static void position_store(ha_node_instance *inst, ha_vec3 p) {
  inst->position[0] = p.x;
  inst->position[1] = p.y;
  inst->position[2] = p.z;
}

static napi_value js_position(napi_env env, napi_callback_info info) {
  void *data = NULL;
  NAPI_CALL(env, napi_get_cb_info(env, info, NULL, NULL, NULL, &data));
  ha_vec3 out;
  if (position_from_args(env, info, &out)) {
    position_store(data, out);
  }
  return NULL;
}

/* The live Motion whose id (motion_register) is v, or NULL. */
static ha_node_motion *motion_of_id(ha_node_instance *inst, napi_env env, napi_value v) {
  uint32_t id;
  if (napi_get_value_uint32(env, v, &id) != napi_ok || id >= inst->motion_ids) {
    return NULL;
  }
  return inst->motion_slots[id];
}

static napi_value js_position_of(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  void *data = NULL;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, &data));
  ha_node_instance *inst = data;
  double t;
  ha_node_motion *m = argc == 2 ? motion_of_id(inst, env, argv[0]) : NULL;
  if (m == NULL) {
    return ha_node_throw(env, HA_EINTERNAL, NULL, "_positionOf: not a live motion id");
  }
  /* The check the general path makes (TypeError, RangeError), only when the
   * time is not a finite number. */
  if ((napi_get_value_double(env, argv[1], &t) != napi_ok || !isfinite(t)) &&
      !ha_node_get_number(env, argv[1], "time", &t)) {
    return NULL;
  }
  position_store(inst, ha_motion_eval(m->motion, t, NULL));
  return NULL;
}

/* ---- evaluate ------------------------------------------------------------------------- */

/* Index of the first non-finite time, or SIZE_MAX. The common case (all
 * finite) is one branch-free pass: (bits & exponent) + 2^52 carries into the
 * sign bit only for an all-ones exponent (inf, NaN), and the OR of those
 * vectorises. */
static size_t first_nonfinite(const double *t, size_t n) {
  const uint64_t exp_mask = 0x7ff0000000000000ULL;
  uint64_t acc = 0;
  for (size_t i = 0; i < n; i++) {
    uint64_t bits;
    memcpy(&bits, &t[i], sizeof(bits));
    acc |= (bits & exp_mask) + (1ULL << 52);
  }
  if ((acc >> 63) == 0) {
    return SIZE_MAX;
  }
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(t[i])) {
      return i;
    }
  }
  return SIZE_MAX;
}

/* v as the result array of n positions (*value, *data), or false with a
 * TypeError naming it `what`. */
static bool out_array(napi_env env, napi_value v, size_t n, const char *what, napi_value *value,
                      double **data) {
  napi_typedarray_type type;
  size_t len = 0;
  void *d = NULL;
  if (napi_get_typedarray_info(env, v, &type, &len, &d, NULL, NULL) != napi_ok ||
      type != napi_float64_array || len / 3 < n) {
    ha_node_type_error(env, "%s must be a Float64Array of at least %zu numbers", what, 3 * n);
    return false;
  }
  *value = v;
  *data = d;
  return true;
}

/* evaluate(motionOrPattern, times, {track, shift, out}?) → Float64Array(3n)
 *
 * One call of ha_motion_eval_times_with (SIMD kernels for the closed-form
 * models, ha_motion_eval per time otherwise) writing interleaved x, y, z
 * straight into the output array's memory. With a Motion, a Float64Array of
 * times and {out}, a call allocates nothing and copies nothing: the times
 * are read in place, each typed array is looked up once. Non-finite times
 * are refused before anything is written. */
static napi_value js_evaluate(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  void *inst_data = NULL;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, &inst_data));
  if (argc < 2) {
    return ha_node_type_error(env, "evaluate(motion, times[, options]) needs 2 arguments");
  }
  ha_node_pattern p;
  ha_node_motion *by_id = argc > 4 ? motion_of_id(inst_data, env, argv[4]) : NULL;
  if (by_id != NULL) {
    memset(&p, 0, sizeof(p));
    p.motion = by_id;
  } else if (!ha_node_get_pattern(env, argv[0], "motion", &p)) {
    return NULL;
  }
  /* times: a Float64Array (read in place) or an array of numbers (copied).
   * napi_get_typedarray_info fails without throwing on anything else. */
  const double *times = NULL;
  double *owned_times = NULL;
  size_t n = 0;
  napi_typedarray_type type;
  void *data = NULL;
  if (ha_node_typedarray(env, argv[1], &type, &n, &data)) {
    if (type != napi_float64_array) {
      ha_node_pattern_deinit(&p);
      return ha_node_type_error(env, "times must be a Float64Array or an array of numbers");
    }
    times = data;
  } else {
    bool is_arr = false;
    NAPI_CALL(env, napi_is_array(env, argv[1], &is_arr));
    if (!is_arr) {
      ha_node_pattern_deinit(&p);
      return ha_node_type_error(env, "times must be a Float64Array or an array of numbers");
    }
    uint32_t len;
    NAPI_CALL(env, napi_get_array_length(env, argv[1], &len));
    owned_times = malloc((len ? len : 1) * sizeof(double));
    if (owned_times == NULL) {
      ha_node_pattern_deinit(&p);
      return ha_node_throw(env, HA_ENOMEM, NULL, "evaluate");
    }
    for (uint32_t i = 0; i < len; i++) {
      napi_value e;
      char what[48];
      snprintf(what, sizeof(what), "times[%u]", i);
      /* Non-finite times are refused below, like in a Float64Array. */
      if (napi_get_element(env, argv[1], i, &e) != napi_ok ||
          (!ha_node_is_type(env, e, napi_number) &&
           ha_node_type_error(env, "%s must be a number", what) == NULL) ||
          napi_get_value_double(env, e, &owned_times[i]) != napi_ok) {
        free(owned_times);
        ha_node_pattern_deinit(&p);
        return ha_node_napi_fail(env, napi_generic_failure, "times", __LINE__);
      }
    }
    times = owned_times;
    n = len;
  }
  ha_track_ctx ctx;
  memset(&ctx, 0, sizeof(ctx));
  napi_value out_value = NULL;
  double *out = NULL;
  if (argc > 2 && !ha_node_is_nullish(env, argv[2])) {
    bool ok = get_track_ctx(env, argv[2], &ctx);
    bool found = false;
    napi_value ov;
    if (ok) {
      ok = ha_node_get_prop(env, argv[2], "out", &ov, &found);
    }
    if (ok && found) {
      ok = out_array(env, ov, n, "options.out", &out_value, &out);
    }
    if (!ok) {
      free(owned_times);
      ha_node_pattern_deinit(&p);
      return NULL;
    }
  }
  /* index.js's uninitialised array for a call without options.out (checked
   * all the same: it is written whole, or refused before any write). */
  if (out == NULL && argc > 3 && !ha_node_is_nullish(env, argv[3]) &&
      !out_array(env, argv[3], n, "evaluate's result array", &out_value, &out)) {
    free(owned_times);
    ha_node_pattern_deinit(&p);
    return NULL;
  }
  ha_error err;
  size_t bad = first_nonfinite(times, n);
  if (bad != SIZE_MAX) {
    char got[32];
    ha_node_format_number(times[bad], got, sizeof(got));
    free(owned_times);
    ha_node_pattern_deinit(&p);
    return ha_node_range_error(env, "times[%zu] must be a finite number, got %s", bad, got);
  }
  if (out == NULL) {
    napi_value ab;
    void *buf = NULL;
    NAPI_CALL(env, napi_create_arraybuffer(env, 3 * n * sizeof(double), &buf, &ab));
    NAPI_CALL(env, napi_create_typedarray(env, napi_float64_array, 3 * n, ab, 0, &out_value));
    out = buf;
  }
  ha_motion *tmp = NULL;
  const ha_motion *m = p.motion ? p.motion->motion : NULL;
  if (m == NULL) {
    ha_error_clear(&err);
    ha_status st = ha_motion_create(p.model, p.params, &p.timing, &tmp, &err);
    if (st != HA_OK) {
      free(owned_times);
      ha_node_pattern_deinit(&p);
      return ha_node_throw(env, st, &err, "evaluate");
    }
    m = tmp;
  }
  /* One cache across the batch (models without a kernel): stateful models
   * integrate only the new steps between increasing times. */
  ha_motion_state cache;
  ha_motion_state_reset(&cache);
  ctx.state = &cache;
  ha_status st = HA_OK;
  if (n > 0) {
    st = ha_motion_eval_times_with(m, &ctx, times, n, out, out + 1, out + 2, 3, HA_BATCH_IMPL_AUTO);
  }
  ha_motion_destroy(tmp);
  free(owned_times);
  ha_node_pattern_deinit(&p);
  if (st != HA_OK) {
    return ha_node_throw(env, st, NULL, "evaluate");
  }
  return out_value;
}

/* ---- init -------------------------------------------------------------------------------------
 */

napi_value ha_node_init_engine(napi_env env, napi_value exports) {
  napi_property_descriptor mprops[sizeof(motion_methods) / sizeof(motion_methods[0])];
  size_t n = 0;
  if (!ha_node_method_props(env, motion_methods, sizeof(motion_methods) / sizeof(motion_methods[0]),
                            motion_call, mprops, &n, sizeof(mprops) / sizeof(mprops[0]))) {
    return NULL;
  }
  napi_value ctor;
  NAPI_CALL(
      env, napi_define_class(env, "Motion", NAPI_AUTO_LENGTH, motion_ctor, NULL, n, mprops, &ctor));
  ha_node_instance *inst = ha_node_instance_get(env);
  NAPI_CALL(env, napi_create_reference(env, ctor, 1, &inst->motion_ctor));
  NAPI_CALL(env, napi_set_named_property(env, exports, "Motion", ctor));

  /* The memory _position writes, seen from JavaScript (see js_position).
   * External: the instance owns it, so even a detached buffer leaves it
   * valid. */
  napi_value pos_buf, pos_view;
  NAPI_CALL(env, napi_create_external_arraybuffer(env, inst->position, sizeof(inst->position), NULL,
                                                  NULL, &pos_buf));
  NAPI_CALL(env, napi_create_typedarray(env, napi_float64_array, 3, pos_buf, 0, &pos_view));
  NAPI_CALL(env, napi_set_named_property(env, exports, "_positionScratch", pos_view));

  napi_property_descriptor props[] = {
      {"_position", NULL, js_position, NULL, NULL, NULL, napi_default, inst},
      {"_positionOf", NULL, js_position_of, NULL, NULL, NULL, napi_default, inst},
      {"createMotion", NULL, js_create_motion, NULL, NULL, NULL, napi_default, NULL},
      {"calculatePosition", NULL, js_calculate_position, NULL, NULL, NULL, napi_default, NULL},
      {"calculatePositionSync", NULL, js_calculate_position_sync, NULL, NULL, NULL, napi_default,
       NULL},
      {"evaluate", NULL, js_evaluate, NULL, NULL, NULL, napi_default, inst},
  };
  NAPI_CALL(env, napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}
