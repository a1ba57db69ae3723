/* The show compiler's "timeline" section (format 2): the show's length,
 * clips that play a group's animation over a span of transport time, and
 * markers that fire a cue when the transport crosses them.
 *
 * A clip names its group (so it follows the group's tracks and settings),
 * and may override the animation's loop mode; it ends with the animation's
 * fadeOut. Two clips of one group may not overlap (an error: one motion
 * plays a group's clip at a time, and which one would win is a guess);
 * clips of different groups sharing a track may (a warning: the later
 * start takes the track over, as a cue's start does). Markers name cues
 * by number, like the OSC control does. Rejected: clips naming an
 * animation and tracks of their own (a second copy of what a group is). */
#include "show_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TIMELINE_LENGTH_MAX 86400.0 /* a day */
#define TIMELINE_CLIPS_MAX 10000u

/* "loop": true (loop), false (once) or a loop mode's name. */
static void compile_clip_loop(ha__compiler *x, const json_t *o, ha_show_clip *c) {
  const json_t *v = json_object_get(o, "loop");
  if (v == NULL) {
    return;
  }
  if (json_is_boolean(v)) {
    c->has_loop = true;
    c->loop = json_is_true(v) ? HA_LOOP_LOOP : HA_LOOP_ONCE;
    return;
  }
  ha_error err;
  if (!json_is_string(v) || ha_loop_mode_parse(json_string_value(v), &c->loop, &err) != HA_OK) {
    ha__cc_err_key(x, "loop", "expected true, false, \"once\", \"loop\" or \"pingpong\"");
    return;
  }
  c->has_loop = true;
}

static void compile_clip(ha__compiler *x, const json_t *o, size_t index, void *items) {
  ha_show_clip *c = &((ha_show_clip *)items)[index];
  ha__cc_unknown_keys(x, o, &ha__schema_clip);
  const char *group = NULL;
  if (ha__cc_get_string(x, o, "group", 1, 1, &group) > 0) {
    c->group = ha__cc_ref(x, &x->group_names, "group", group, "group");
  }
  ha__cc_get_number(x, o, "start", 1, 0.0, TIMELINE_LENGTH_MAX, &c->start);
  ha__cc_get_number(x, o, "duration", 1, HA_DURATION_MIN, TIMELINE_LENGTH_MAX, &c->duration);
  compile_clip_loop(x, o, c);
  if (c->group < x->m->ngroups) {
    size_t a = x->m->groups[c->group].animation;
    c->fade_out = a < x->m->nanims ? x->m->anims[a].fade_out : 0.0;
  }
}

static void blank_clip(void *item) {
  ha_show_clip *c = item;
  memset(c, 0, sizeof(*c));
  c->group = SIZE_MAX;
  c->duration = 1.0;
}

static void compile_marker(ha__compiler *x, const json_t *o, size_t index, void *items) {
  ha_show_marker *mk = &((ha_show_marker *)items)[index];
  ha__cc_unknown_keys(x, o, &ha__schema_marker);
  double number = 0.0;
  if (ha__cc_get_number(x, o, "cue", 1, 0.0, 1e9, &number) > 0) {
    mk->cue = ha__show_cue_index(x->m->cues, x->m->ncues, number);
    if (mk->cue == SIZE_MAX) {
      ha__cc_err_key(x, "cue", "no cue number %g in the show's cues", number);
    }
  }
  ha__cc_get_number(x, o, "time", 1, 0.0, TIMELINE_LENGTH_MAX, &mk->time);
}

static void blank_marker(void *item) {
  ha_show_marker *mk = item;
  memset(mk, 0, sizeof(*mk));
  mk->cue = SIZE_MAX;
}

static int tracks_share(const ha_show_group *a, const ha_show_group *b, uint32_t *which) {
  for (size_t i = 0; i < a->track_count; i++) {
    for (size_t j = 0; j < b->track_count; j++) {
      if (a->tracks[i] == b->tracks[j]) {
        *which = a->tracks[i];
        return 1;
      }
    }
  }
  return 0;
}

/* Overlapping clips: of one group an error, of groups sharing a track a
 * warning, each said at the later clip; a clip past the length, a
 * warning. */
static void check_clips(ha__compiler *x, const ha_show_timeline *tl) {
  const ha__show_model *m = x->m;
  for (size_t i = 0; i < tl->clip_count; i++) {
    const ha_show_clip *b = &tl->clips[i];
    if (b->group >= m->ngroups) {
      continue;
    }
    size_t mark = ha__path_index(&x->path, i);
    if (b->start + b->duration > tl->length + 1e-9) {
      ha__cc_warn_key(x, "duration", "the clip ends at %g s, after the show's length %g s",
                      b->start + b->duration, tl->length);
    }
    for (size_t j = 0; j < tl->clip_count; j++) {
      const ha_show_clip *a = &tl->clips[j];
      int later = a->start < b->start || (!(a->start > b->start) && j < i);
      if (j == i || a->group >= m->ngroups || !later || a->start + a->duration <= b->start) {
        continue;
      }
      uint32_t track = 0;
      if (a->group == b->group) {
        ha__cc_err_key(x, "start",
                       "overlaps clips[%zu] of the same group \"%s\" (%g to %g s); a group "
                       "plays one clip at a time",
                       j, m->groups[b->group].name, a->start, a->start + a->duration);
      } else if (tracks_share(&m->groups[a->group], &m->groups[b->group], &track)) {
        ha__cc_warn_key(x, "start",
                        "overlaps clips[%zu] (group \"%s\") on track %u: this clip takes the "
                        "track over at %g s",
                        j, m->groups[a->group].name, track, b->start);
      }
    }
    ha__path_pop(&x->path, mark);
  }
}

void ha__compile_timeline(ha__compiler *x, const json_t *doc) {
  static const ha__cc_section_spec clips = {"clips", sizeof(ha_show_clip), 0,
                                            NULL,    blank_clip,           compile_clip};
  static const ha__cc_section_spec markers = {"markers", sizeof(ha_show_marker), 0,
                                              NULL,      blank_marker,           compile_marker};
  ha_show_timeline *tl = &x->m->timeline;
  memset(tl, 0, sizeof(*tl));
  size_t mark = 0;
  const json_t *o = ha__cc_open_object(x, doc, "timeline", &ha__schema_timeline, &mark);
  if (o == NULL) {
    return;
  }
  ha__cc_get_number(x, o, "length", 1, HA_DURATION_MIN, TIMELINE_LENGTH_MAX, &tl->length);
  tl->clips = ha__cc_section(x, o, &clips, &tl->clip_count);
  tl->markers = ha__cc_section(x, o, &markers, &tl->marker_count);
  size_t cmark = ha__path_key(&x->path, "clips");
  if (tl->clip_count > TIMELINE_CLIPS_MAX) {
    ha__cc_err(x, "%zu clips: a timeline has at most %u", tl->clip_count, TIMELINE_CLIPS_MAX);
  } else {
    check_clips(x, tl);
  }
  ha__path_pop(&x->path, cmark);
  size_t mmark = ha__path_key(&x->path, "markers");
  for (size_t i = 0; i < tl->marker_count; i++) {
    if (tl->markers[i].time > tl->length + 1e-9) {
      size_t im = ha__path_index(&x->path, i);
      ha__cc_warn_key(x, "time", "%g s is after the show's length %g s", tl->markers[i].time,
                      tl->length);
      ha__path_pop(&x->path, im);
    }
  }
  ha__path_pop(&x->path, mmark);
  ha__path_pop(&x->path, mark);
}
