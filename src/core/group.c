/* Group modes as pure functions of the motion, the members' bases and time.
 *
 * Each member is evaluated at its own shifted time, so phase offsets work in
 * every mode. The formation rotation for isobarycentric/centered turns the
 * offsets about the (frame-transformed) plane normal of rotating models by
 * their heading φ(τ) = θ(τ) − θ0. */
#include "core_internal.h"

#include <stdio.h>
#include <string.h>

void ha_group_init(ha_group *g, const ha_motion *motion, size_t count) {
  memset(g, 0, sizeof(*g));
  g->motion = motion;
  g->mode = HA_GROUP_SHARED;
  g->count = count;
  g->rotate_formation = true;
  g->spread_radius = 1.0;
  g->mirror_axis = 'x';
}

ha_status ha_group_validate(const ha_group *g, ha_error *err) {
  if (g->motion == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "motion", "null", "a group needs a motion");
  }
  if (g->count == 0) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "tracks", "[]",
                             "a group needs at least one track");
  }
  if ((int)g->mode < HA_GROUP_SHARED || (int)g->mode > HA_GROUP_MIRROR) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "mode", "?", "unknown group mode");
  }
  int needs_bases = g->mode == HA_GROUP_RELATIVE || g->mode == HA_GROUP_ISOBARYCENTRIC ||
                    g->mode == HA_GROUP_CENTERED;
  if (needs_bases && g->bases == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "bases", "null",
                             "mode %s needs the tracks' base positions",
                             ha_group_mode_name(g->mode));
  }
  for (size_t i = 0; g->bases != NULL && i < g->count; i++) {
    if (!ha_vec3_isfinite(g->bases[i])) {
      char nm[32];
      snprintf(nm, sizeof(nm), "bases[%zu]", i);
      return ha__error_invalid(err, HA_CATEGORY_MODEL, nm, "non-finite",
                               "base positions must be finite");
    }
  }
  if (!isfinite(g->phase_offset) || fabs(g->phase_offset) > 1e6) {
    return ha__error_bounds(err, HA_CATEGORY_MODEL, "phaseOffset", g->phase_offset, -1e6, 1e6);
  }
  if (!(g->delay >= 0.0 && g->delay <= 1e6)) {
    return ha__error_bounds(err, HA_CATEGORY_MODEL, "delay", g->delay, 0.0, 1e6);
  }
  if (g->mode == HA_GROUP_SPREAD && !(g->spread_radius >= 0.0 && g->spread_radius <= 1000.0)) {
    return ha__error_bounds(err, HA_CATEGORY_MODEL, "spreadRadius", g->spread_radius, 0.0, 1000.0);
  }
  if (g->mode == HA_GROUP_MIRROR && g->mirror_axis != 'x' && g->mirror_axis != 'y' &&
      g->mirror_axis != 'z') {
    char v[2] = {g->mirror_axis, '\0'};
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "mirrorAxis", v, "'%s' is not one of x|y|z",
                             v);
  }
  if (g->mode == HA_GROUP_CENTERED && !ha_vec3_isfinite(g->center_point)) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "centerPoint", "non-finite",
                             "the centre point must be finite");
  }
  return HA_OK;
}

double ha_group_shift(const ha_group *g, size_t i) {
  if (g->phase_spread) {
    return (double)i * ha_motion_timing(g->motion).duration / (double)g->count;
  }
  return (double)i * g->phase_offset;
}

static ha_vec3 barycentre(const ha_vec3 *p, size_t n) {
  ha_vec3 s = ha_vec3_zero();
  for (size_t i = 0; i < n; i++) {
    s = ha_vec3_add(s, p[i]);
  }
  return ha_vec3_scale(s, 1.0 / (double)n);
}

/* Point i of n on a Fibonacci sphere of unit radius (z is the polar axis). */
static ha_vec3 fibonacci(size_t i, size_t n) {
  const double golden = HA_PI * (3.0 - sqrt(5.0));
  double z = 1.0 - 2.0 * ((double)i + 0.5) / (double)n;
  double r = sqrt(fmax(0.0, 1.0 - z * z));
  double phi = golden * (double)i;
  return ha_vec3_make(r * cos(phi), r * sin(phi), z);
}

/* The member's constant offset (1), or 0 when it turns or mirrors. */
int ha__group_member_offset(const ha_group *g, size_t i, ha_vec3 base, ha_vec3 bary, ha_vec3 *off) {
  switch (g->mode) {
  case HA_GROUP_SHARED: *off = ha_vec3_zero(); return 1;
  case HA_GROUP_RELATIVE: *off = ha_vec3_sub(base, ha_motion_pivot(g->motion)); return 1;
  case HA_GROUP_ISOBARYCENTRIC:
  case HA_GROUP_CENTERED: {
    if (g->rotate_formation) {
      return 0;
    }
    ha_vec3 b = g->mode == HA_GROUP_CENTERED ? g->center_point : bary;
    *off = ha_vec3_add(ha_vec3_sub(b, ha_motion_pivot(g->motion)), ha_vec3_sub(base, b));
    return 1;
  }
  case HA_GROUP_SPREAD: *off = ha_vec3_scale(fibonacci(i, g->count), g->spread_radius); return 1;
  case HA_GROUP_MIRROR: return 0;
  }
  return 0;
}

ha_vec3 ha__group_member(const ha_group *g, size_t i, double t, ha_vec3 base, ha_vec3 bary,
                         uint32_t track_id, ha_motion_state *state) {
  ha_track_ctx ctx = {track_id, ha_group_shift(g, i) + g->delay, state, NULL};
  if (g->delay > 0.0 && t * ha_motion_timing(g->motion).speed < ctx.shift) {
    /* Waiting for its delay: the start of its path (τ = 0). */
    t = 0.0;
    ctx.shift = 0.0;
  }
  ha_vec3 m = ha_motion_eval(g->motion, t, &ctx);
  ha_vec3 off;
  if (ha__group_member_offset(g, i, base, bary, &off)) {
    return ha_vec3_add(m, off);
  }
  ha_vec3 pivot = ha_motion_pivot(g->motion);
  switch (g->mode) {
  case HA_GROUP_ISOBARYCENTRIC:
  case HA_GROUP_CENTERED: {
    /* rotate_formation: the offset from the barycentre turns with the
     * model's heading φ(τ). */
    ha_vec3 b = g->mode == HA_GROUP_CENTERED ? g->center_point : bary;
    ha_vec3 axis;
    double phi = ha_motion_heading(g->motion, ha_motion_tau(g->motion, t, ctx.shift), &axis);
    ha_mat3 r = ha_mat3_axis_angle(axis, phi);
    off = ha_mat3_apply(&r, ha_vec3_sub(base, b));
    return ha_vec3_add(ha_vec3_add(b, ha_vec3_sub(m, pivot)), off);
  }
  case HA_GROUP_SHARED:
  case HA_GROUP_RELATIVE:
  case HA_GROUP_SPREAD: return m; /* constant offsets: handled above */
  case HA_GROUP_MIRROR:
    if (i > 0) {
      /* Reflect across the axis = pivot plane; each member keeps its own
       * phase, so with no offset every mirror equals track 0 reflected. */
      if (g->mirror_axis == 'y') {
        m.y = 2.0 * pivot.y - m.y;
      } else if (g->mirror_axis == 'z') {
        m.z = 2.0 * pivot.z - m.z;
      } else {
        m.x = 2.0 * pivot.x - m.x;
      }
    }
    return m;
  }
  return m;
}

static ha_vec3 group_member_at(const ha_group *g, size_t i, double t, ha_vec3 bary) {
  return ha__group_member(g, i, t, g->bases ? g->bases[i] : ha_vec3_zero(), bary,
                          g->track_ids ? g->track_ids[i] : (uint32_t)(i + 1),
                          g->states ? &g->states[i] : NULL);
}

ha_vec3 ha_group_member_position(const ha_group *g, size_t i, double t) {
  ha_vec3 bary = g->bases ? barycentre(g->bases, g->count) : ha_vec3_zero();
  return group_member_at(g, i, t, bary);
}

ha_status ha_group_positions(const ha_group *g, double t, ha_vec3 *out, size_t out_cap,
                             ha_error *err) {
  ha_status st = ha_group_validate(g, err);
  if (st != HA_OK) {
    return st;
  }
  if (out_cap < g->count) {
    return HA_ENOBUFS;
  }
  ha_vec3 bary = g->bases ? barycentre(g->bases, g->count) : ha_vec3_zero();
  for (size_t i = 0; i < g->count; i++) {
    out[i] = group_member_at(g, i, t, bary);
  }
  return HA_OK;
}

ha_status ha_maintain_formation(ha_vec3 center, const ha_vec3 *members, size_t n, ha_vec3 *out,
                                ha_error *err) {
  if (n == 0 || members == NULL || out == NULL) {
    return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, "members", "[]",
                             "maintain_formation needs at least one member");
  }
  if (!ha_vec3_isfinite(center)) {
    return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, "center", "non-finite",
                             "the centre must be finite");
  }
  for (size_t i = 0; i < n; i++) {
    if (!ha_vec3_isfinite(members[i])) {
      char nm[32];
      snprintf(nm, sizeof(nm), "members[%zu]", i);
      return ha__error_invalid(err, HA_CATEGORY_COMPUTATION, nm, "non-finite",
                               "member positions must be finite");
    }
  }
  ha_vec3 d = ha_vec3_sub(center, barycentre(members, n));
  for (size_t i = 0; i < n; i++) {
    out[i] = ha_vec3_add(members[i], d);
  }
  return HA_OK;
}

static const struct {
  const char *name;
  ha_group_mode mode;
} mode_names[] = {
    {"shared", HA_GROUP_SHARED},
    {"relative", HA_GROUP_RELATIVE},
    {"isobarycentric", HA_GROUP_ISOBARYCENTRIC},
    {"centered", HA_GROUP_CENTERED},
    {"spread", HA_GROUP_SPREAD},
    {"mirror", HA_GROUP_MIRROR},
    {"identical", HA_GROUP_SHARED},
    {"phase-offset", HA_GROUP_SHARED},
    {"position-relative", HA_GROUP_RELATIVE},
    {"phase-offset-relative", HA_GROUP_RELATIVE},
    {"isobarycenter", HA_GROUP_ISOBARYCENTRIC},
    {"centred", HA_GROUP_CENTERED},
};

ha_status ha_group_mode_parse(const char *s, ha_group_mode *out, ha_error *err) {
  for (size_t i = 0; s != NULL && i < HA__COUNTOF(mode_names); i++) {
    if (strcmp(s, mode_names[i].name) == 0) {
      *out = mode_names[i].mode;
      return HA_OK;
    }
  }
  return ha__error_invalid(err, HA_CATEGORY_MODEL, "mode", s ? s : "(null)",
                           "'%s' is not one of shared|relative|isobarycentric|centered|spread|"
                           "mirror",
                           s ? s : "(null)");
}

const char *ha_group_mode_name(ha_group_mode m) {
  for (size_t i = 0; i < 6; i++) {
    if (mode_names[i].mode == m) {
      return mode_names[i].name;
    }
  }
  return "shared";
}
