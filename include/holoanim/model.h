/* holoanim: the model registry.
 *
 * One table describes every animation model: its name, aliases, and for each
 * parameter the type, unit, default, range and description. The CLI, the
 * Node addon and the UI all read this table (`holoanim models --json`), and
 * the engine validates against it, once, when a motion is created or its
 * parameters change. Thread: any (the registry is immutable). */
#ifndef HOLOANIM_MODEL_H
#define HOLOANIM_MODEL_H

#include <stddef.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ha_param_type {
  HA_PARAM_NUMBER = 0, /* one finite double in [min, max] */
  HA_PARAM_INTEGER,    /* a whole number in [min, max] */
  HA_PARAM_VEC3,       /* three finite doubles, each in [min, max] */
  HA_PARAM_CHOICE,     /* one of `choices` ("a|b|c"); default index in def[0] */
  HA_PARAM_BOOL,       /* true/false; default in def[0] */
  HA_PARAM_EASING,     /* an easing name (easing.h); default ha_easing in def[0] */
  HA_PARAM_POINTS,     /* a list of points; count in [min, max] */
  HA_PARAM_KEYFRAMES,  /* a list of {time, position, easing?}; count in [min, max] */
  HA_PARAM_ROTATION,   /* Euler degrees [rx, ry, rz] (order: rotationOrder) or [w, x, y, z] */
  HA_PARAM_SCALE       /* a number or [sx, sy, sz] */
} ha_param_type;

/* Parameter flags. */
#define HA_PARAM_F_VEC3_OK 1u /* NUMBER that also accepts a vector (v2.0 oscillator amplitude) */

typedef struct ha_param_info {
  const char *name;    /* v2.3 name ("radius") */
  const char *aliases; /* comma-separated older names ("startAngle,angle"), or NULL */
  ha_param_type type;
  const char *unit;        /* "m", "deg", "Hz", "s", "m/s", "turns", "" */
  double def[3];           /* default (see ha_param_type) */
  double min, max;         /* allowed range (per component; list length for lists) */
  const char *choices;     /* CHOICE: "clockwise|counterclockwise"; else NULL */
  const char *description; /* one line for people */
  int slot;                /* storage slot (internal layout; ignore) */
  unsigned flags;          /* HA_PARAM_F_* */
} ha_param_info;

/* Model flags. */
#define HA_MODEL_ABS_TIME 1u  /* computes from τ in seconds (else from p = τ/T) */
#define HA_MODEL_STATEFUL 2u  /* integrated physics: per-track state, re-integrated on seek back */
#define HA_MODEL_ROTATING 4u  /* has a heading: formations can rotate with it */
#define HA_MODEL_PER_TRACK 8u /* the path depends on the track id (seeded per track) */

typedef struct ha_model_info {
  const char *name;        /* "circular" */
  const char *aliases;     /* comma-separated ("wave,oscillator-stationary"), or NULL */
  const char *description; /* one line */
  const ha_param_info *params;
  size_t param_count;
  unsigned flags; /* HA_MODEL_* */
} ha_model_info;

/* Number of models, and the i-th (NULL when out of range), in a stable order. */
size_t ha_model_count(void);
const ha_model_info *ha_model_at(size_t i);

/* Find a model by name or alias, case-insensitive; NULL when unknown. */
const ha_model_info *ha_model_find(const char *name);

/* Find a model's parameter by name or alias (exact, then case-insensitive),
 * including the common parameters (rotation, rotationOrder, scale); NULL
 * when unknown. */
const ha_param_info *ha_model_param_find(const ha_model_info *m, const char *name);

/* The parameters every model takes (frame transform: rotation, its Euler
 * rotationOrder, scale; docs/models.md). */
const ha_param_info *ha_common_params(size_t *count);

/* "number", "integer", "vec3", "choice", "bool", "easing", "points",
 * "keyframes", "rotation", "scale". */
const char *ha_param_type_name(ha_param_type t);

/* The `index`-th choice of a CHOICE parameter into `buf` (HA_ENOTFOUND past
 * the end). */
ha_status ha_param_choice_at(const ha_param_info *p, size_t index, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
