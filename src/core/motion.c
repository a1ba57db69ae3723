/* Motions: a validated model instance with timing, evaluation and blended
 * parameter updates.
 *
 * An update keeps the previous data next to the new one and, for `window`
 * seconds of transport time, returns lerp(old(t), new(t), smoothstep(w)). The
 * smoothstep has zero slope at both ends, so neither position nor velocity
 * jumps when the blend starts or ends. Each side is evaluated with its own
 * timing, so an update that changes the duration blends too. The old data is
 * freed by the next update or by destroy (control thread), never during
 * evaluation. */
#include "model_impl.h"

#include <stdlib.h>
#include <string.h>

struct ha_motion {
  ha__motion_data cur;
  ha__motion_data prev;
  int blending;
  double blend_start;
  double blend_window;
  uint64_t generation;
  ha_params *params; /* what the user gave (for get_state / saving) */
};

/* The model named `model`, or NULL with err filled. */
static const ha__model *motion_model(const char *model, ha_error *err) {
  const ha__model *m = ha__model_lookup(model);
  if (m == NULL) {
    ha__error_invalid(err, HA_CATEGORY_MODEL, "model", model ? model : "(null)",
                      "unknown model '%s' (see 'holoanim models')", model ? model : "(null)");
    if (err != NULL) {
      err->status = HA_ENOTFOUND;
    }
  }
  return m;
}

ha_status ha__motion_validate(const char *model, const ha_params *params, const ha_timing *timing,
                              ha_error *err) {
  const ha__model *m = motion_model(model, err);
  if (m == NULL) {
    return HA_ENOTFOUND;
  }
  ha__motion_data d;
  ha_status st = ha__motion_data_check(&d, m, params, timing, err);
  if (st == HA_OK) {
    ha__motion_data_free(&d);
  }
  return st;
}

ha_status ha_motion_create(const char *model, const ha_params *params, const ha_timing *timing,
                           ha_motion **out, ha_error *err) {
  const ha__model *m = motion_model(model, err);
  if (m == NULL) {
    return HA_ENOTFOUND;
  }
  ha_motion *mo = calloc(1, sizeof(*mo));
  if (mo == NULL) {
    return HA_ENOMEM;
  }
  ha_status st = ha__motion_data_build(&mo->cur, m, params, timing, err);
  if (st == HA_OK) {
    st = params ? ha_params_clone(params, &mo->params) : ha_params_create(&mo->params);
  }
  if (st != HA_OK) {
    ha__motion_data_free(&mo->cur);
    free(mo);
    return st;
  }
  *out = mo;
  return HA_OK;
}

ha_status ha_motion_create_circular(ha_vec3 center, double radius, double turns, bool clockwise,
                                    const ha_timing *timing, ha_motion **out, ha_error *err) {
  ha_params *p = NULL;
  ha_status st = ha_params_create(&p);
  if (st != HA_OK) {
    return st;
  }
  ha_params_set_vec3(p, "center", center);
  ha_params_set_number(p, "radius", radius);
  ha_params_set_number(p, "speed", turns);
  ha_params_set_string(p, "direction", clockwise ? "clockwise" : "counterclockwise");
  st = ha_motion_create("circular", p, timing, out, err);
  ha_params_destroy(p);
  return st;
}

ha_status ha_motion_create_linear(ha_vec3 start, ha_vec3 end, ha_easing easing,
                                  const ha_timing *timing, ha_motion **out, ha_error *err) {
  ha_params *p = NULL;
  ha_status st = ha_params_create(&p);
  if (st != HA_OK) {
    return st;
  }
  ha_params_set_vec3(p, "startPosition", start);
  ha_params_set_vec3(p, "endPosition", end);
  ha_params_set_string(p, "easing", ha_easing_name(easing));
  st = ha_motion_create("linear", p, timing, out, err);
  ha_params_destroy(p);
  return st;
}

void ha_motion_destroy(ha_motion *m) {
  if (m == NULL) {
    return;
  }
  ha__motion_data_free(&m->cur);
  ha__motion_data_free(&m->prev);
  ha_params_destroy(m->params);
  free(m);
}

const ha__motion_data *ha__motion_current(const ha_motion *m) {
  return &m->cur;
}
int ha__motion_blending(const ha_motion *m) {
  return m->blending;
}

const ha_model_info *ha_motion_model(const ha_motion *m) {
  return &m->cur.model->info;
}
ha_timing ha_motion_timing(const ha_motion *m) {
  return m->cur.timing;
}
const ha_params *ha_motion_params(const ha_motion *m) {
  return m->params;
}

static double data_tau(const ha__motion_data *d, double t, double shift) {
  double a = t * d->timing.speed - shift;
  if (!isfinite(a)) {
    a = 0.0;
  }
  return ha_time_map(a, d->timing.duration, d->timing.loop);
}

/* Which cycle animation time a is in: 0 for the first (and before it, and
 * for once), k for the k-th repeat of a loop or ping-pong. */
static double data_cycle(const ha__motion_data *d, double t, double shift) {
  double a = t * d->timing.speed - shift;
  if (!isfinite(a) || a <= 0.0 || d->timing.loop == HA_LOOP_ONCE) {
    return 0.0;
  }
  return floor(a / d->timing.duration);
}

double ha_motion_tau(const ha_motion *m, double t, double shift) {
  return data_tau(&m->cur, t, shift);
}

ha_vec3 ha_motion_eval(const ha_motion *m, double t, const ha_track_ctx *ctx) {
  uint32_t track = ctx ? ctx->track_id : 0;
  double shift = ctx ? ctx->shift : 0.0;
  ha_vec3 p = ha__motion_data_eval(&m->cur, data_tau(&m->cur, t, shift),
                                   data_cycle(&m->cur, t, shift), track, ctx ? ctx->state : NULL);
  if (m->blending && t >= m->blend_start && t < m->blend_start + m->blend_window) {
    double w = (t - m->blend_start) / m->blend_window;
    w = w * w * (3.0 - 2.0 * w);
    ha_vec3 q =
        ha__motion_data_eval(&m->prev, data_tau(&m->prev, t, shift), data_cycle(&m->prev, t, shift),
                             track, ctx ? ctx->state_prev : NULL);
    p = ha_vec3_lerp(q, p, w);
  }
  if (!ha_vec3_isfinite(p)) {
    /* Validated input keeps every model finite; this guard makes it a law. */
    p = ha__motion_data_pivot(&m->cur);
  }
  return p;
}

ha_status ha_motion_calculate_position(const ha_motion *m, double t, ha_vec3 *out, ha_error *err) {
  if (!isfinite(t)) {
    char v[32];
    ha_format_double(v, sizeof(v), t);
    return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, "time", v,
                             "time must be a finite number of seconds");
  }
  *out = ha_motion_eval(m, t, NULL);
  return HA_OK;
}

ha_vec3 ha_motion_pivot(const ha_motion *m) {
  return ha__motion_data_pivot(&m->cur);
}

double ha_motion_heading(const ha_motion *m, double tau, ha_vec3 *axis) {
  const ha__motion_data *d = &m->cur;
  ha_vec3 ax = ha_vec3_make(0, 0, 1);
  double h = 0.0;
  if (d->model->heading != NULL) {
    ha__eval ev = {tau, tau / d->timing.duration, d->timing.duration, 0, 0, NULL};
    h = d->model->heading(d, &ev, &ax);
    if (d->has_xf) {
      /* The formation turns about the transformed axis. */
      ax = ha_vec3_normalize(ha_quat_rotate(d->rot, ax));
      if (ha_vec3_dot(ax, ax) < 0.5) {
        ax = ha_vec3_make(0, 0, 1);
      }
    }
  }
  if (axis != NULL) {
    *axis = ax;
  }
  return isfinite(h) ? h : 0.0;
}

ha_status ha_motion_update_parameters(ha_motion *m, const ha_params *params,
                                      const ha_timing *timing, double now, double window,
                                      ha_error *err) {
  if (!isfinite(now)) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "time", "non-finite",
                             "the blend start time must be finite");
  }
  if (!(window >= 0.0 && window <= 60.0)) {
    return ha__error_bounds(err, HA_CATEGORY_MODEL, "blendWindow", window, 0.0, 60.0);
  }
  const ha_params *src = params ? params : m->params;
  ha__motion_data nd;
  ha_status st =
      ha__motion_data_build(&nd, m->cur.model, src, timing ? timing : &m->cur.timing, err);
  if (st != HA_OK) {
    return st;
  }
  ha_params *np = NULL;
  if (params != NULL) {
    st = ha_params_clone(params, &np);
    if (st != HA_OK) {
      ha__motion_data_free(&nd);
      return st;
    }
  }
  ha__motion_data_free(&m->prev);
  if (window > 0.0) {
    m->prev = m->cur;
    m->blending = 1;
    m->blend_start = now;
    m->blend_window = window;
  } else {
    ha__motion_data_free(&m->cur);
    memset(&m->prev, 0, sizeof(m->prev));
    m->blending = 0;
  }
  m->cur = nd;
  if (np != NULL) {
    ha_params_destroy(m->params);
    m->params = np;
  }
  m->generation++;
  return HA_OK;
}

void ha_motion_get_state(const ha_motion *m, ha_motion_info_state *out) {
  out->model = m->cur.model->info.name;
  out->timing = m->cur.timing;
  out->blending = m->blending != 0;
  out->blend_start = m->blend_start;
  out->blend_window = m->blend_window;
  out->generation = m->generation;
}

void ha_motion_reset(ha_motion *m) {
  m->blending = 0;
  ha__motion_data_free(&m->prev);
  memset(&m->prev, 0, sizeof(m->prev));
}

bool ha_motion_supports_groups(const ha_motion *m) {
  (void)m;
  return true;
}

ha_vec3 ha_motion_velocity(const ha_motion *m, double t, const ha_track_ctx *ctx) {
  const double h = 1e-3;
  ha_track_ctx c = {0, 0.0, NULL, NULL};
  ha_motion_state s1, s2;
  if (ctx != NULL) {
    c = *ctx;
  }
  /* Work on copies of the caches: forward steps from a cache at ≤ t are cheap
   * and the caller's cache stays where it was. */
  if (ctx != NULL && ctx->state != NULL) {
    s1 = *ctx->state;
    c.state = &s1;
  }
  c.state_prev = NULL;
  ha_vec3 a = ha_motion_eval(m, t, &c);
  if (ctx != NULL && ctx->state != NULL) {
    s2 = s1;
    c.state = &s2;
  }
  ha_vec3 b = ha_motion_eval(m, t + h, &c);
  return ha_vec3_scale(ha_vec3_sub(b, a), 1.0 / h);
}
