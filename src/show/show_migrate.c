/* Show format migration: older documents brought up to HA_SHOW_FORMAT in
 * place, before validation.
 *
 * Format 0 (the first JSON shows) wrote points as {x, y, z} objects, called
 * an animation's model "type" and a group's tracks "trackIds". Migration
 * rewrites the document and tells the position map about renamed keys, so a
 * diagnostic about a migrated field still points at the text the user
 * wrote; loading notes the migration, and saving writes the current format.
 * Format 1 had no timeline; format 2 adds the optional "timeline" section
 * (docs/show-format.md "Timeline"). A format-1 document means the same in
 * format 2: its autoStart groups keep starting when the show plays, outside
 * the timeline, so migrating 1 to 2 changes only the format number (and a
 * stray "timeline" key, which format 1 ignored with a warning, is set
 * aside as "x-timeline" so it cannot start playing what was never meant
 * to). A format newer than this library reads is refused with a clear
 * message rather than half-read. */
#include "show_internal.h"

#include <string.h>

/* A format-0 point is exactly {x, y, z}, its numbers kept as written;
 * anything else is left unchanged (NULL). */
static json_t *xyz_array(const json_t *v) {
  return ha__json_xyz(v, HA__XYZ_ONLY);
}

static void fix_xyz(json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  json_t *arr = v ? xyz_array(v) : NULL;
  if (arr != NULL) {
    json_object_set_new(obj, key, arr);
  }
}

/* Rename a key in place, keeping its position among the keys. */
static void rename_key(json_t *obj, const char *from, const char *to) {
  if (json_object_get(obj, from) == NULL || json_object_get(obj, to) != NULL) {
    return;
  }
  json_t *n = json_object();
  if (n == NULL) {
    return;
  }
  const char *k;
  json_t *v;
  json_object_foreach(obj, k, v) {
    json_object_set(n, strcmp(k, from) == 0 ? to : k, v);
  }
  json_object_clear(obj);
  json_object_update(obj, n);
  json_decref(n);
}

/* Points and keyframes of format 0 used {x, y, z} objects everywhere. */
static void fix_param_value(json_t *params, const char *key, json_t *v) {
  json_t *arr = xyz_array(v);
  if (arr != NULL) {
    json_object_set_new(params, key, arr);
    return;
  }
  if (!json_is_array(v)) {
    return;
  }
  size_t i;
  json_t *e;
  json_array_foreach(v, i, e) {
    json_t *a = xyz_array(e);
    if (a != NULL) {
      json_array_set_new(v, i, a);
    } else if (json_is_object(e)) {
      fix_xyz(e, "position");
    }
  }
}

static void migrate_0_to_1(json_t *doc, ha__posmap *pos) {
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(doc, "tracks"), i, e) {
    if (json_is_object(e)) {
      fix_xyz(e, "position");
    }
  }
  json_array_foreach(json_object_get(doc, "animations"), i, e) {
    if (!json_is_object(e)) {
      continue;
    }
    rename_key(e, "type", "model");
    json_t *params = json_object_get(e, "parameters");
    if (json_is_object(params)) {
      const char *k;
      json_t *v;
      json_object_foreach(params, k, v) {
        fix_param_value(params, k, v);
      }
    }
  }
  json_array_foreach(json_object_get(doc, "groups"), i, e) {
    if (json_is_object(e)) {
      rename_key(e, "trackIds", "tracks");
      fix_xyz(e, "centerPoint");
    }
  }
  json_array_foreach(json_object_get(doc, "presets"), i, e) {
    json_t *ps = json_is_object(e) ? json_object_get(e, "positions") : NULL;
    if (json_is_object(ps)) {
      const char *k;
      json_t *v;
      json_object_foreach(ps, k, v) {
        fix_xyz(ps, k);
      }
    }
  }
  json_array_foreach(json_object_get(doc, "cues"), i, e) {
    size_t j;
    json_t *a;
    json_array_foreach(json_is_object(e) ? json_object_get(e, "actions") : NULL, j, a) {
      if (json_is_object(a)) {
        fix_xyz(a, "position");
        fix_xyz(a, "centerPoint");
        rename_key(a, "trackIds", "tracks");
      }
    }
  }
  json_t *box = json_object_get(json_object_get(doc, "limits"), "box");
  if (json_is_object(box)) {
    fix_xyz(box, "min");
    fix_xyz(box, "max");
  }
  ha__posmap_rename(pos, "type", "model");
  ha__posmap_rename(pos, "trackIds", "tracks");
  json_object_set_new(doc, "format", json_integer(1));
}

static void migrate_1_to_2(json_t *doc, ha__dctx *c) {
  json_t *tl = json_object_get(doc, "timeline");
  if (tl != NULL) {
    ha__diag(c, HA_DIAG_WARNING, "timeline", 1,
             "format 1 has no timeline: kept as \"x-timeline\", not played");
    json_object_set(doc, "x-timeline", tl);
    json_object_del(doc, "timeline");
  }
  json_object_set_new(doc, "format", json_integer(2));
}

ha_status ha__show_migrate(json_t *doc, ha__dctx *c, ha__posmap *pos, int *source_format) {
  if (!json_is_object(doc)) {
    ha__diag(c, HA_DIAG_ERROR, "", 0, "expected an object, got %s", ha__json_kind(doc));
    return HA_EPARSE;
  }
  const json_t *f = json_object_get(doc, "format");
  if (f == NULL) {
    ha__diag(c, HA_DIAG_ERROR, "format", 0,
             "missing required field (a show file starts with \"format\": %d)", HA_SHOW_FORMAT);
    return HA_EPARSE;
  }
  if (!json_is_integer(f)) {
    ha__diag(c, HA_DIAG_ERROR, "format", 0, "expected a whole number, got %s",
             json_is_real(f) ? "a fractional number" : ha__json_kind(f));
    return HA_EPARSE;
  }
  json_int_t v = json_integer_value(f);
  if (v > HA_SHOW_FORMAT) {
    ha__diag(c, HA_DIAG_ERROR, "format", 0,
             "format %" JSON_INTEGER_FORMAT
             " is newer than this holoanim reads (formats 0 to %d); upgrade holoanim",
             v, HA_SHOW_FORMAT);
    return HA_EUNSUPPORTED;
  }
  if (v < 0) {
    ha__diag(c, HA_DIAG_ERROR, "format", 0,
             "%" JSON_INTEGER_FORMAT " is not a show format (0 to %d)", v, HA_SHOW_FORMAT);
    return HA_EPARSE;
  }
  *source_format = (int)v;
  if (v == 0) {
    migrate_0_to_1(doc, pos);
  }
  if (v <= 1) {
    migrate_1_to_2(doc, c);
  }
  if (v == 0) { /* 1 to 2 changes no meaning: not worth a note on every load */
    ha__diag(c, HA_DIAG_NOTE, "format", 0,
             "migrated from format %" JSON_INTEGER_FORMAT " to %d; saving writes format %d", v,
             HA_SHOW_FORMAT, HA_SHOW_FORMAT);
  }
  return HA_OK;
}
