/* Live data mapped to a value: scaling, smoothing, and the player's slots.
 *
 * The pure rules (ha_mapping_scale, ha_mapping_smooth) are what the unit
 * test checks from a table; the slots (mapping.h) carry inputs from the
 * control thread to the tick and values from the tick to a consumer, each
 * as a double's bits published by a release increment of a counter. The
 * smoothing runs on the tick with the real time since the last tick, so a
 * late tick smooths further rather than lagging. One-pole: each step moves
 * 1 - exp(-dt/tau) of the way (a time constant, like an analogue fader
 * filter); slew: at most span/smoothing per second (a constant rate, so a
 * jump of the whole range takes exactly `smoothing` seconds). Rejected: a
 * per-message ramp on the control thread (a burst of messages from a
 * moving fader would restart it every few milliseconds). */
#include "rt_internal.h"

#include "mapping.h"

#include <math.h>
#include <string.h>

ha_mapping_config ha_mapping_config_default(void) {
  ha_mapping_config c;
  memset(&c, 0, sizeof c);
  c.in_max = 1.0;
  c.out_max = 1.0;
  c.kind = HA_SMOOTH_ONE_POLE;
  c.initial = NAN;
  return c;
}

ha_status ha_mapping_config_check(const ha_mapping_config *c, ha_error *err) {
  if (!isfinite(c->in_min) || !isfinite(c->in_max) || !(fabs(c->in_max - c->in_min) > 0.0)) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "input", "",
                             "the input range must be two different finite numbers");
  }
  if (!isfinite(c->out_min) || !isfinite(c->out_max)) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "output", "",
                             "the output range must be two finite numbers");
  }
  if (!(c->smoothing >= 0.0 && c->smoothing <= 60.0)) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "smoothing", c->smoothing, 0, 60);
  }
  if (c->kind != HA_SMOOTH_ONE_POLE && c->kind != HA_SMOOTH_SLEW) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "smoothingMode", "",
                             "must be one-pole or slew");
  }
  return HA_OK;
}

/* The output range's ends, low first. */
static void out_bounds(const ha_mapping_config *c, double *lo, double *hi) {
  *lo = c->out_min < c->out_max ? c->out_min : c->out_max;
  *hi = c->out_min < c->out_max ? c->out_max : c->out_min;
}

static double clamp_out(const ha_mapping_config *c, double v) {
  double lo, hi;
  out_bounds(c, &lo, &hi);
  if (c->integer) {
    v = round(v);
    /* The range's ends may not be whole: stay inside it. */
    lo = ceil(lo);
    hi = floor(hi);
  }
  return v < lo ? lo : (v > hi ? hi : v);
}

double ha_mapping_scale(const ha_mapping_config *c, double input) {
  if (isnan(input)) {
    return NAN;
  }
  double u = (input - c->in_min) / (c->in_max - c->in_min);
  if (!isfinite(u)) { /* an infinite input: the end it points at */
    u = u > 0 ? 1.0 : 0.0;
  }
  /* Outside the input range: clamped into the output range. */
  return clamp_out(c, c->out_min + u * (c->out_max - c->out_min));
}

double ha_mapping_smooth(const ha_mapping_config *c, double current, double target, double dt) {
  if (isnan(target)) {
    return current;
  }
  if (isnan(current) || c->smoothing <= 0.0) {
    return clamp_out(c, target);
  }
  if (!(dt > 0.0)) {
    return current;
  }
  double span = fabs(c->out_max - c->out_min), d = target - current, v;
  if (c->kind == HA_SMOOTH_SLEW) {
    double step = span * dt / c->smoothing;
    v = fabs(d) <= step ? target : current + (d > 0 ? step : -step);
  } else {
    v = current + d * (1.0 - exp(-dt / c->smoothing));
    if (fabs(target - v) <= 1e-6 * (span > 0.0 ? span : 1.0)) {
      v = target;
    }
  }
  return c->integer ? v : clamp_out(c, v);
}

ha_status ha__mappings_add(ha__mappings *ms, const ha_mapping_config *c, size_t *index,
                           ha_error *err) {
  ha_status st = ha_mapping_config_check(c, err);
  if (st != HA_OK) {
    return st;
  }
  if (ms->n >= HA_PLAYER_MAX_MAPPINGS) {
    return ha__error_bounds(err, HA_CATEGORY_STATE, "mappings", (double)ms->n + 1, 0,
                            HA_PLAYER_MAX_MAPPINGS);
  }
  ha__mapping *m = &ms->m[ms->n];
  memset(m, 0, sizeof *m);
  m->cfg = *c;
  m->target = NAN;
  m->value = isnan(c->initial) ? NAN : clamp_out(c, c->initial);
  /* relaxed: the tick thread has not started (its start publishes this). */
  ha__store_relaxed_u64(&m->value_bits, ha__dbits(m->value));
  ha__store_relaxed_u64(&m->target_bits, ha__dbits(NAN));
  if (index != NULL) {
    *index = ms->n;
  }
  ms->n++;
  return HA_OK;
}

void ha__mappings_tick(ha__mappings *ms, double dt) {
  for (size_t i = 0; i < ms->n; i++) {
    ha__mapping *m = &ms->m[i];
    /* acquire: pairs with the writer's release, so target_bits is its. */
    uint64_t n = ha__load_acquire_u64(&m->inputs);
    if (n != m->seen_inputs) {
      m->seen_inputs = n;
      /* relaxed: ordered by the acquire above. */
      m->target = ha__bitsd(ha__load_relaxed_u64(&m->target_bits));
    }
    if (n == 0 || isnan(m->target)) {
      continue; /* no input yet: the value does not drive */
    }
    double v = ha_mapping_smooth(&m->cfg, m->value, m->target, dt);
    if (ha__dbits(v) != ha__dbits(m->value)) {
      m->value = v;
      /* relaxed store, then release increment: a reader that sees the new
       * version sees this value (single writer: the tick). */
      ha__store_relaxed_u64(&m->value_bits, ha__dbits(v));
      ha__store_release_u64(&m->version, ha__load_relaxed_u64(&m->version) + 1);
    }
  }
}

ha_status ha_player_add_mapping(ha_player *p, const ha_mapping_config *c, size_t *index,
                                ha_error *err) {
  if (!ha__player_can_add(p)) {
    return ha__error_invalid(err, HA_CATEGORY_STATE, "mapping", "",
                             "mappings are added before the player starts");
  }
  ha_status st = ha__mappings_add(ha__player_mappings(p), c, index, err);
  if (st != HA_OK && err != NULL && err->status == HA_ERANGE &&
      strcmp(err->name, "mappings") == 0) {
    err->status = HA_EEXHAUSTED;
    return HA_EEXHAUSTED;
  }
  return st;
}

size_t ha_player_mapping_count(const ha_player *p) {
  return ha__player_mappings((ha_player *)(uintptr_t)p)->n;
}

static ha__mapping *mapping_at(const ha_player *p, size_t index) {
  ha__mappings *ms = ha__player_mappings((ha_player *)(uintptr_t)p);
  return index < ms->n ? &ms->m[index] : NULL;
}

ha_status ha_player_map_input(ha_player *p, size_t index, double input) {
  ha__mapping *m = mapping_at(p, index);
  if (m == NULL) {
    return HA_ENOTFOUND;
  }
  double v = ha_mapping_scale(&m->cfg, input);
  if (isnan(v)) {
    return HA_EINVAL;
  }
  /* relaxed store, release increment: the tick's acquire of `inputs` sees
   * these bits (or a later writer's: latest wins). */
  ha__store_relaxed_u64(&m->target_bits, ha__dbits(v));
  ha__add_release_u64(&m->inputs, 1);
  ha_metrics_add(ha_player_metrics(p), HA_COUNTER_MAPPED, 1);
  return HA_OK;
}

ha_status ha_player_mapping_get(const ha_player *p, size_t index, ha_mapping_state *out) {
  const ha__mapping *m = mapping_at(p, index);
  if (m == NULL) {
    return HA_ENOTFOUND;
  }
  memset(out, 0, sizeof *out);
  /* acquire: the value bits of this version (a racing tick may have
   * published a newer one; either is a value the tick had). */
  out->version = ha__load_acquire_u64(&m->version);
  out->value = ha__bitsd(ha__load_relaxed_u64(&m->value_bits));
  out->inputs = ha__load_acquire_u64(&m->inputs);
  out->target = ha__bitsd(ha__load_relaxed_u64(&m->target_bits));
  out->active = out->inputs > 0;
  return HA_OK;
}

ha_status ha_player_mapping_take(ha_player *p, size_t index, double *value) {
  ha__mapping *m = mapping_at(p, index);
  if (m == NULL) {
    return HA_ENOTFOUND;
  }
  /* acquire: pairs with the tick's release increment of version. */
  uint64_t v = ha__load_acquire_u64(&m->version);
  /* relaxed: `taken` has one reader and writer, the consumer. */
  if (v == ha__load_relaxed_u64(&m->taken)) {
    return HA_EAGAIN;
  }
  ha__store_relaxed_u64(&m->taken, v);
  *value = ha__bitsd(ha__load_relaxed_u64(&m->value_bits));
  return HA_OK;
}
