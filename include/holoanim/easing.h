/* holoanim: the shared easing table (Penner), used by every model, cue and
 * transition. 31 easings: linear and {quad, cubic, quart, quint, sine, expo,
 * circ, back, elastic, bounce} × {in, out, in-out}. Thread: any. */
#ifndef HOLOANIM_EASING_H
#define HOLOANIM_EASING_H

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(ENUM, "name") */
// clang-format off
#define HA_EASING_MAP(X) \
  X(LINEAR, "linear") \
  X(QUAD_IN, "quad-in") \
  X(QUAD_OUT, "quad-out") \
  X(QUAD_IN_OUT, "quad-in-out") \
  X(CUBIC_IN, "cubic-in") \
  X(CUBIC_OUT, "cubic-out") \
  X(CUBIC_IN_OUT, "cubic-in-out") \
  X(QUART_IN, "quart-in") \
  X(QUART_OUT, "quart-out") \
  X(QUART_IN_OUT, "quart-in-out") \
  X(QUINT_IN, "quint-in") \
  X(QUINT_OUT, "quint-out") \
  X(QUINT_IN_OUT, "quint-in-out") \
  X(SINE_IN, "sine-in") \
  X(SINE_OUT, "sine-out") \
  X(SINE_IN_OUT, "sine-in-out") \
  X(EXPO_IN, "expo-in") \
  X(EXPO_OUT, "expo-out") \
  X(EXPO_IN_OUT, "expo-in-out") \
  X(CIRC_IN, "circ-in") \
  X(CIRC_OUT, "circ-out") \
  X(CIRC_IN_OUT, "circ-in-out") \
  X(BACK_IN, "back-in") \
  X(BACK_OUT, "back-out") \
  X(BACK_IN_OUT, "back-in-out") \
  X(ELASTIC_IN, "elastic-in") \
  X(ELASTIC_OUT, "elastic-out") \
  X(ELASTIC_IN_OUT, "elastic-in-out") \
  X(BOUNCE_IN, "bounce-in") \
  X(BOUNCE_OUT, "bounce-out") \
  X(BOUNCE_IN_OUT, "bounce-in-out")
// clang-format on

typedef enum ha_easing {
#define HA__EASING_ENUM(e, name) HA_EASE_##e,
  HA_EASING_MAP(HA__EASING_ENUM)
#undef HA__EASING_ENUM
      HA_EASE_COUNT
} ha_easing;

/* Eased progress for t in [0, 1] (t is clamped; NaN gives 0). ease(0) = 0 and
 * ease(1) = 1 exactly for every easing; back and elastic overshoot between. */
double ha_ease(ha_easing e, double t);

/* Canonical name ("quad-in-out"); "linear" for out-of-range values. */
const char *ha_easing_name(ha_easing e);

/* Parse a name: canonical ("cubic-in-out"), the aliases "ease-in" (quad-in),
 * "ease-out", "ease-in-out", camelCase ("easeInOutCubic", "easeOutQuad",
 * "linear"), or "in-out-cubic"-free variants like "inOutCubic". Case is
 * ignored. Returns HA_OK, or HA_EINVAL (err: InvalidParameter naming `param`). */
ha_status ha_easing_parse(const char *name, ha_easing *out, const char *param, ha_error *err);

#ifdef __cplusplus
}
#endif
#endif
