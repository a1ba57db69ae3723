/* holoanim Node addon: shared declarations.
 *
 * Plain C against node_api.h (Node-API version pinned by NAPI_VERSION at
 * build time). Every N-API call goes through NAPI_CALL, which throws a JS
 * error (unless one is already pending) and returns NULL from the calling
 * function. State lives in per-environment instance data (no static
 * mutable globals), so the addon works in worker threads and when loaded by
 * several environments at once. Class methods are listed in ha_node_method
 * tables and called through one trampoline per class (addon.c); module
 * functions are plain napi_property_descriptor arrays. */
#ifndef HOLOANIM_NODE_ADDON_H
#define HOLOANIM_NODE_ADDON_H

#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <holoanim.h>

/* ---- checking ------------------------------------------------------------ */

/* Throw a JS Error describing the last N-API failure (unless an exception is
 * already pending). Returns NULL so callbacks can `return ha_node_napi_fail()`. */
napi_value ha_node_napi_fail(napi_env env, napi_status status, const char *call, int line);

/* Check an N-API call; on failure throw (ha_node_napi_fail) and run
 * `on_fail` (a return statement). */
#define NAPI_CALL_OR(env, call, on_fail)                            \
  do {                                                              \
    napi_status napi_call_status_ = (call);                         \
    if (napi_call_status_ != napi_ok) {                             \
      ha_node_napi_fail((env), napi_call_status_, #call, __LINE__); \
      on_fail;                                                      \
    }                                                               \
  } while (0)

/* For callbacks and builders returning napi_value (NULL on failure). */
#define NAPI_CALL(env, call) NAPI_CALL_OR(env, call, return NULL)
/* For helpers that return bool (false = a JS exception is pending). */
#define NAPI_CALL_B(env, call) NAPI_CALL_OR(env, call, return false)

/* ---- per-environment state ----------------------------------------------- */

typedef struct ha_node_player ha_node_player;
typedef struct ha_node_motion ha_node_motion;

typedef struct ha_node_instance {
  napi_ref error_ctor;     /* HoloanimError, registered by index.js through _init */
  napi_ref motion_ctor;    /* the Motion class */
  ha_node_player *players; /* open players of this environment (cleanup hook) */
  uint64_t motions_live;   /* Motion objects not yet finalized (leak tests) */
  uint64_t motions_created;
  /* index.js's (motion, id) => ids.set(motion, id), given to _init. Each
   * Motion gets an id, its slot in motion_slots (engine_api.c), and index.js
   * keeps id by Motion in a WeakMap, so calculatePositionSync passes a number
   * instead of this addon unwrapping the object (the type tag and the wrap
   * lookups were 80% of a call once the result object was gone). */
  napi_ref motion_register;
  ha_node_motion **motion_slots; /* by id; NULL: free */
  uint32_t *motion_free;         /* ids free for reuse (a stack) */
  uint32_t motion_ids, motion_nfree, motion_cap;
  /* The last position of _position (engine_api.c): index.js reads it through
   * a Float64Array over this memory (an external ArrayBuffer), so a
   * calculatePositionSync call returns no value across Node-API. Lives as
   * long as the environment; calloc'd with the struct, never moves. */
  double position[3];
} ha_node_instance;

ha_node_instance *ha_node_instance_get(napi_env env);

/* ---- errors ---------------------------------------------------------------- */

/* Throw a HoloanimError for `status` with the detail of `err` (may be NULL).
 * `context` prefixes the message when err has none ("seek"). Returns NULL. */
napi_value ha_node_throw(napi_env env, ha_status status, const ha_error *err, const char *context);
/* The same error as a value (for promise rejections and events). NULL with
 * a pending exception when even that fails. */
napi_value ha_node_make_error(napi_env env, ha_status status, const ha_error *err,
                              const char *context);
/* A HoloanimError for a show that failed to load or an edit that failed:
 * the first error's position and every diagnostic (show_api.c). */
napi_value ha_node_diags_error(napi_env env, ha_status st, const ha_diags *d, const char *what);
/* Throw `e` when it is not NULL. Returns NULL. */
napi_value ha_node_throw_value(napi_env env, napi_value e);
/* Throw a HoloanimError for `status` whose message is the printf text.
 * Returns NULL. */
napi_value ha_node_throw_message(napi_env env, ha_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Throw ha_node_diags_error(...). Returns NULL. */
napi_value ha_node_throw_diags(napi_env env, ha_status st, const ha_diags *d, const char *what);
/* Throw a TypeError (code ERR_INVALID_ARG_TYPE) or a RangeError (code
 * ERR_OUT_OF_RANGE) with a printf message, unless an exception is already
 * pending. Returns NULL. Called through the two macros below. */
typedef enum { HA_NODE_TYPE_ERROR, HA_NODE_RANGE_ERROR } ha_node_js_error_kind;
napi_value ha_node_js_error(napi_env env, ha_node_js_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define ha_node_type_error(env, ...) ha_node_js_error((env), HA_NODE_TYPE_ERROR, __VA_ARGS__)
#define ha_node_range_error(env, ...) ha_node_js_error((env), HA_NODE_RANGE_ERROR, __VA_ARGS__)

/* ---- constructors, receivers and async work ---------------------------------------------- */

/* A class constructor's arguments and `this`; false with the TypeError
 * "Class constructor <cls> cannot be invoked without 'new'" when called
 * without new. */
bool ha_node_construct(napi_env env, napi_callback_info info, const char *cls, size_t *argc,
                       napi_value *argv, napi_value *self);
/* Class methods: one trampoline per class unwraps `this` and calls the
 * method found in the descriptor data, so a method body starts with its
 * own work. */
#define HA_NODE_MAX_ARGS 4
typedef struct ha_node_method ha_node_method;
typedef struct ha_node_call {
  void *self;                        /* the native object of `this` */
  size_t argc;                       /* arguments given, at most HA_NODE_MAX_ARGS (the
                                        trampoline ignores the others) */
  napi_value argv[HA_NODE_MAX_ARGS]; /* undefined past argc */
  const ha_node_method *method;      /* the method called */
} ha_node_call;
struct ha_node_method {
  const char *name;
  napi_value (*fn)(napi_env env, const ha_node_call *c);
  unsigned flags; /* HA_NODE_GETTER, HA_NODE_ENUMERABLE, then the class's own bits */
};
#define HA_NODE_GETTER 1u     /* an accessor, not a method */
#define HA_NODE_ENUMERABLE 2u /* enumerable (accessors) */
#define HA_NODE_CLASS_FLAG 4u /* the first bit a class may use */
/* Unwrap `this` (tagged `tag`, else TypeError "the receiver must be a
 * <cls>"), check it with `ready` (may be NULL; false: an exception is
 * pending) and call the method. For the classes' trampolines. */
napi_value ha_node_method_call(napi_env env, napi_callback_info info, const napi_type_tag *tag,
                               const char *cls, bool (*ready)(napi_env env, const ha_node_call *c));
/* The property descriptors of `n` methods, calling `trampoline` with the
 * method as data, appended to out[*count]. false with an EINTERNAL error
 * thrown (nothing appended) when they do not fit in cap. */
bool ha_node_method_props(napi_env env, const ha_node_method *list, size_t n,
                          napi_callback trampoline, napi_property_descriptor *out, size_t *count,
                          size_t cap);

/* Create and queue async work named `name`; nothing is left behind on
 * failure. */
napi_status ha_node_queue_work(napi_env env, const char *name, napi_async_execute_callback execute,
                               napi_async_complete_callback complete, void *data,
                               napi_async_work *work);
/* Resolve (ok) or reject `deferred` with v; v NULL: reject with the pending
 * exception (building the value threw). */
void ha_node_settle(napi_env env, napi_deferred deferred, napi_value v, bool ok);

/* ---- argument helpers (false: a JS exception is pending) ------------------- */

bool ha_node_is_type(napi_env env, napi_value v, napi_valuetype t);
bool ha_node_is_nullish(napi_env env, napi_value v);
/* A finite number (what = name for the TypeError). */
bool ha_node_get_number(napi_env env, napi_value v, const char *what, double *out);
/* A finite number in [min, max] (a RangeError naming `what`, the value and
 * the range otherwise). */
bool ha_node_get_number_in(napi_env env, napi_value v, const char *what, double min, double max,
                           double *out);
/* `d` as JavaScript prints it for NaN and the infinities, else %.17g. */
void ha_node_format_number(double d, char *buf, size_t cap);
/* A whole number in [min, max]. */
bool ha_node_get_u32(napi_env env, napi_value v, const char *what, uint32_t min, uint32_t max,
                     uint32_t *out);
bool ha_node_get_bool(napi_env env, napi_value v, const char *what, bool *out);
/* A string into buf[cap] (TypeError when not a string, RangeError when too
 * long). */
bool ha_node_get_string(napi_env env, napi_value v, const char *what, char *buf, size_t cap);
/* A string as a malloc'd, NUL-terminated copy (*len its length, when not
 * NULL); NULL with a TypeError when `v` is not a string. */
char *ha_node_get_text(napi_env env, napi_value v, const char *what, size_t *len);
/* true when v is a typed array: its type, length and data; false (no
 * exception) otherwise. */
bool ha_node_typedarray(napi_env env, napi_value v, napi_typedarray_type *type, size_t *len,
                        void **data);
/* [x, y, z] (or {x, y, z}). */
bool ha_node_get_vec3(napi_env env, napi_value v, const char *what, ha_vec3 *out);
/* Property `key` of `obj` if present and not undefined/null: *found tells. */
bool ha_node_get_prop(napi_env env, napi_value obj, const char *key, napi_value *out, bool *found);
/* Optional number / bool / string properties: unchanged when absent. */
bool ha_node_opt_number(napi_env env, napi_value obj, const char *key, double *out);
bool ha_node_opt_number_in(napi_env env, napi_value obj, const char *key, double min, double max,
                           double *out);
bool ha_node_opt_bool(napi_env env, napi_value obj, const char *key, bool *out);
bool ha_node_opt_u32(napi_env env, napi_value obj, const char *key, uint32_t min, uint32_t max,
                     uint32_t *out);
bool ha_node_opt_string(napi_env env, napi_value obj, const char *key, char *buf, size_t cap,
                        bool *found);
/* Points: an array of [x, y, z] or an interleaved Float64Array. *out is
 * malloc'd (free it), *n the count. */
bool ha_node_get_points(napi_env env, napi_value v, const char *what, ha_vec3 **out, size_t *n);

/* Model parameters from a plain object (numbers, [x,y,z], strings,
 * booleans, points, keyframes); *out is a new set. */
bool ha_node_get_params(napi_env env, napi_value obj, ha_params **out);
/* Timing {duration, loop, speed} into *out (starting from *out). */
bool ha_node_get_timing(napi_env env, napi_value obj, ha_timing *out);
/* The group options of `obj` (mode, phaseOffset, phaseSpread,
 * rotateFormation, spreadRadius, mirrorAxis 'x' | 'y' | 'z', centerPoint)
 * into *out, starting from *out (fade_in is left alone). `context` prefixes
 * a mode error; `prefix` ("group." or "") names centerPoint. */
bool ha_node_get_group_options(napi_env env, napi_value obj, const char *context,
                               const char *prefix, ha_anim_spec *out);

/* A new plain object with the own enumerable properties of `a`, then of `b`
 * (either may be NULL): Object.assign({}, a, b). */
napi_value ha_node_assign(napi_env env, napi_value a, napi_value b);

/* ---- value builders ----------------------------------------------------------- */

napi_value ha_node_vec3_object(napi_env env, ha_vec3 v); /* {x, y, z} */
napi_value ha_node_vec3_array(napi_env env, ha_vec3 v);  /* [x, y, z] */
/* The points as a Float64Array when st is HA_OK, else throw (err, what);
 * pts (malloc'd) is freed either way. */
napi_value ha_node_points_result(napi_env env, ha_status st, const ha_error *err, const char *what,
                                 ha_vec3 *pts, size_t n);
/* A new Float64Array of 3n numbers, interleaved from `pts`. */
napi_value ha_node_points_f64(napi_env env, const ha_vec3 *pts, size_t n);
/* A new typed array of `count` elements copied from `data`. */
napi_value ha_node_typed_copy(napi_env env, napi_typedarray_type type, const void *data,
                              size_t count, size_t elem_size);
bool ha_node_set_number(napi_env env, napi_value obj, const char *key, double v);
bool ha_node_set_string(napi_env env, napi_value obj, const char *key, const char *s);
bool ha_node_set_bool(napi_env env, napi_value obj, const char *key, bool b);
bool ha_node_set_value(napi_env env, napi_value obj, const char *key, napi_value v);
/* A JS string of the malloc'd text s (len bytes, or NAPI_AUTO_LENGTH), which
 * is freed. */
napi_value ha_node_string_take(napi_env env, char *s, size_t len);

/* ---- modules -------------------------------------------------------------------- */

/* Each adds its functions and classes to `exports`. */
napi_value ha_node_init_engine(napi_env env, napi_value exports);
napi_value ha_node_init_player(napi_env env, napi_value exports);
napi_value ha_node_init_devsim(napi_env env, napi_value exports);
napi_value ha_node_init_show(napi_env env, napi_value exports);
napi_value ha_node_init_geometry(napi_env env, napi_value exports);
napi_value ha_node_init_models(napi_env env, napi_value exports);

/* The Motion wrapped by a JS value, or NULL (no exception) when `v` is not a
 * Motion. */
ha_node_motion *ha_node_motion_unwrap(napi_env env, napi_value v);
ha_motion *ha_node_motion_get(ha_node_motion *m);

/* A motion from a Motion or a {model, params, timing} description: the
 * description is converted here (JS thread) into a model name, params and
 * timing the caller owns. */
typedef struct ha_node_pattern {
  ha_node_motion *motion; /* set when a Motion was given */
  char model[64];
  ha_params *params; /* owned; NULL = defaults */
  ha_timing timing;
} ha_node_pattern;
bool ha_node_get_pattern(napi_env env, napi_value v, const char *what, ha_node_pattern *out);
void ha_node_pattern_deinit(ha_node_pattern *p);

/* Called by the environment cleanup hook: close every open player. */
void ha_node_players_close_all(ha_node_instance *inst);

#endif
