/* Time mapping and the transport clock (MODELS.md "Time").
 *
 * The shift is applied before wrapping: the original animator wrapped first,
 * so delayed tracks froze at the start of every cycle. */
#include "core_internal.h"

#include <string.h>

ha_timing ha_timing_default(void) {
  ha_timing t = {10.0, HA_LOOP_LOOP, 1.0, HA_SEAM_BLEND};
  return t;
}

ha_status ha_timing_validate(const ha_timing *t, ha_error *err) {
  if (!(t->duration >= HA_DURATION_MIN && t->duration <= HA_DURATION_MAX)) {
    return ha__error_bounds(err, HA_CATEGORY_MODEL, "duration", t->duration, HA_DURATION_MIN,
                            HA_DURATION_MAX);
  }
  if (!(t->speed >= HA_SPEED_MIN && t->speed <= HA_SPEED_MAX)) {
    return ha__error_bounds(err, HA_CATEGORY_MODEL, "speed", t->speed, HA_SPEED_MIN, HA_SPEED_MAX);
  }
  if ((int)t->loop < HA_LOOP_ONCE || (int)t->loop > HA_LOOP_PINGPONG) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "loop", "?", "unknown loop mode");
  }
  if ((int)t->seam < HA_SEAM_BLEND || (int)t->seam > HA_SEAM_CUT) {
    return ha__error_invalid(err, HA_CATEGORY_MODEL, "seam", "?", "unknown seam");
  }
  return HA_OK;
}

double ha_time_map(double a, double T, ha_loop_mode mode) {
  if (isnan(a)) {
    return 0.0;
  }
  switch (mode) {
  case HA_LOOP_ONCE: return a < 0.0 ? 0.0 : (a > T ? T : a);
  case HA_LOOP_LOOP: {
    double k = floor(a / T);
    double r = a - T * k;
    /* Rounding can leave r == T (or a hair below 0); fold it back. Beyond
     * |a|/T ≈ 2^53 the remainder is meaningless: start of a cycle. */
    r = r >= T ? r - T : r;
    return r >= 0.0 && r < T ? r : 0.0;
  }
  case HA_LOOP_PINGPONG: {
    double k = floor(a / T);
    double r = a - T * k;
    if (r >= T) {
      r -= T;
      k += 1.0;
    }
    if (!(r >= 0.0 && r <= T)) {
      r = 0.0; /* |a|/T beyond 2^53: see above */
    }
    return ha__feq(fmod(k, 2.0), 0.0) ? r : T - r;
  }
  }
  return 0.0;
}

ha_status ha_loop_mode_parse(const char *s, ha_loop_mode *out, ha_error *err) {
  if (s != NULL) {
    if (strcmp(s, "once") == 0 || strcmp(s, "none") == 0) {
      *out = HA_LOOP_ONCE;
      return HA_OK;
    }
    if (strcmp(s, "loop") == 0) {
      *out = HA_LOOP_LOOP;
      return HA_OK;
    }
    if (strcmp(s, "pingpong") == 0 || strcmp(s, "ping-pong") == 0 || strcmp(s, "pingPong") == 0) {
      *out = HA_LOOP_PINGPONG;
      return HA_OK;
    }
  }
  return ha__error_invalid(err, HA_CATEGORY_MODEL, "loop", s ? s : "(null)",
                           "'%s' is not one of once|loop|pingpong", s ? s : "(null)");
}

const char *ha_loop_mode_name(ha_loop_mode m) {
  switch (m) {
  case HA_LOOP_ONCE: return "once";
  case HA_LOOP_LOOP: return "loop";
  case HA_LOOP_PINGPONG: return "pingpong";
  }
  return "loop";
}

ha_status ha_seam_parse(const char *s, ha_seam *out, ha_error *err) {
  if (s != NULL && strcmp(s, "blend") == 0) {
    *out = HA_SEAM_BLEND;
    return HA_OK;
  }
  if (s != NULL && strcmp(s, "cut") == 0) {
    *out = HA_SEAM_CUT;
    return HA_OK;
  }
  return ha__error_invalid(err, HA_CATEGORY_MODEL, "seam", s ? s : "(null)",
                           "'%s' is not one of blend|cut", s ? s : "(null)");
}

const char *ha_seam_name(ha_seam s) {
  return s == HA_SEAM_CUT ? "cut" : "blend";
}

void ha_clock_init(ha_clock *c) {
  c->anchor_wall = 0.0;
  c->anchor_pos = 0.0;
  c->speed = 1.0;
  c->running = 0;
}

double ha_clock_position(const ha_clock *c, double now) {
  if (!c->running) {
    return c->anchor_pos;
  }
  return c->anchor_pos + (now - c->anchor_wall) * c->speed;
}

void ha_clock_start(ha_clock *c, double now, double pos) {
  c->anchor_wall = now;
  c->anchor_pos = pos;
  c->running = 1;
}

void ha_clock_pause(ha_clock *c, double now) {
  if (c->running) {
    c->anchor_pos = ha_clock_position(c, now);
    c->anchor_wall = now;
    c->running = 0;
  }
}

void ha_clock_resume(ha_clock *c, double now) {
  if (!c->running) {
    c->anchor_wall = now;
    c->running = 1;
  }
}

void ha_clock_set_speed(ha_clock *c, double now, double speed) {
  c->anchor_pos = ha_clock_position(c, now);
  c->anchor_wall = now;
  c->speed = speed;
}

void ha_clock_seek(ha_clock *c, double now, double pos) {
  c->anchor_pos = pos;
  c->anchor_wall = now;
}
