/* Penner easing equations, written from their published formulas.
 *
 * The in-out variants are built from the in variant by symmetry, so
 * ease(1 − t) = 1 − ease(t) holds by construction for every in-out curve, and
 * the end points are pinned exactly (expo and elastic would otherwise miss
 * them by ~1e-3). Names are parsed without allocation. */
#include "core_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static double bounce_out(double t) {
  const double n1 = 7.5625, d1 = 2.75;
  if (t < 1.0 / d1) {
    return n1 * t * t;
  }
  if (t < 2.0 / d1) {
    t -= 1.5 / d1;
    return n1 * t * t + 0.75;
  }
  if (t < 2.5 / d1) {
    t -= 2.25 / d1;
    return n1 * t * t + 0.9375;
  }
  t -= 2.625 / d1;
  return n1 * t * t + 0.984375;
}

/* The "in" shape of each family, f(0) = 0, f(1) = 1. */
static double ease_in(int family, double t) {
  switch (family) {
  case 0: return t * t;
  case 1: return t * t * t;
  case 2: return t * t * t * t;
  case 3: return t * t * t * t * t;
  case 4: return 1.0 - cos(t * HA_PI / 2.0);
  case 5: return t <= 0.0 ? 0.0 : pow(2.0, 10.0 * t - 10.0);
  case 6: return 1.0 - sqrt(1.0 - t * t);
  case 7: {
    const double c1 = 1.70158, c3 = c1 + 1.0;
    return c3 * t * t * t - c1 * t * t;
  }
  case 8: {
    if (t <= 0.0 || t >= 1.0) {
      return t <= 0.0 ? 0.0 : 1.0;
    }
    const double c4 = HA_TAU / 3.0;
    return -pow(2.0, 10.0 * t - 10.0) * sin((t * 10.0 - 10.75) * c4);
  }
  default: return 1.0 - bounce_out(1.0 - t);
  }
}

double ha_ease(ha_easing e, double t) {
  if (!(t > 0.0)) {
    return 0.0; /* also NaN */
  }
  if (t >= 1.0) {
    return 1.0;
  }
  if (e == HA_EASE_LINEAR || (int)e < 0 || e >= HA_EASE_COUNT) {
    return t;
  }
  int idx = (int)e - 1;
  int family = idx / 3, variant = idx % 3;
  if (family == 9 && variant == 1) {
    return bounce_out(t); /* exact Penner bounce-out */
  }
  switch (variant) {
  case 0: return ease_in(family, t);
  case 1: return 1.0 - ease_in(family, 1.0 - t);
  default:
    return t < 0.5 ? ease_in(family, 2.0 * t) * 0.5 : 1.0 - ease_in(family, 2.0 - 2.0 * t) * 0.5;
  }
}

static const char *const easing_names[] = {
#define HA__EASING_NAME(e, name) name,
    HA_EASING_MAP(HA__EASING_NAME)
#undef HA__EASING_NAME
};

const char *ha_easing_name(ha_easing e) {
  if ((int)e < 0 || e >= HA_EASE_COUNT) {
    return "linear";
  }
  return easing_names[e];
}

/* Normalise: lower case, drop '-', '_' and spaces. "easeInOutCubic" →
 * "easeinoutcubic", "cubic-in-out" → "cubicinout". */
static void squash(const char *s, char *out, size_t cap) {
  size_t n = 0;
  for (; *s != '\0' && n + 1 < cap; s++) {
    if (*s == '-' || *s == '_' || *s == ' ') {
      continue;
    }
    out[n++] = (char)tolower((unsigned char)*s);
  }
  out[n] = '\0';
}

ha_status ha_easing_parse(const char *name, ha_easing *out, const char *param, ha_error *err) {
  char want[48], cand[48], alt[48];
  if (name == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, param ? param : "easing", "(null)",
                             "missing easing name");
  }
  for (int i = 0; i < (int)HA_EASE_COUNT; i++) {
    if (strcmp(name, easing_names[i]) == 0) { /* the canonical spelling, as saved */
      *out = (ha_easing)i;
      return HA_OK;
    }
  }
  squash(name, want, sizeof(want));
  static const struct {
    const char *alias;
    ha_easing e;
  } aliases[] = {{"easein", HA_EASE_QUAD_IN},
                 {"easeout", HA_EASE_QUAD_OUT},
                 {"easeinout", HA_EASE_QUAD_IN_OUT},
                 {"none", HA_EASE_LINEAR},
                 {"easelinear", HA_EASE_LINEAR}};
  for (size_t i = 0; i < HA__COUNTOF(aliases); i++) {
    if (strcmp(want, aliases[i].alias) == 0) {
      *out = aliases[i].e;
      return HA_OK;
    }
  }
  for (int i = 0; i < (int)HA_EASE_COUNT; i++) {
    squash(easing_names[i], cand, sizeof(cand)); /* "cubicinout" */
    if (strcmp(want, cand) == 0) {
      *out = (ha_easing)i;
      return HA_OK;
    }
    if (i == 0) {
      continue;
    }
    /* camelCase form: "ease" + variant + family: easeInOutCubic. */
    const char *dash = strchr(easing_names[i], '-');
    char fam[16];
    size_t fl = (size_t)(dash - easing_names[i]);
    memcpy(fam, easing_names[i], fl);
    fam[fl] = '\0';
    char var[16];
    squash(dash + 1, var, sizeof(var));
    snprintf(alt, sizeof(alt), "ease%s%s", var, fam);
    if (strcmp(want, alt) == 0) {
      *out = (ha_easing)i;
      return HA_OK;
    }
    snprintf(alt, sizeof(alt), "%s%s", var, fam); /* inOutCubic */
    if (strcmp(want, alt) == 0) {
      *out = (ha_easing)i;
      return HA_OK;
    }
  }
  return ha__error_invalid(err, HA_CATEGORY_MODEL, param ? param : "easing", name,
                           "'%s' is not a known easing (linear, quad-in, ..., bounce-in-out; "
                           "see 'holoanim models')",
                           name);
}
