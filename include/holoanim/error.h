/* holoanim: status codes and rich errors.
 *
 * Every action returns an `ha_status` (HA_OK = 0, negative on failure). Detail
 * travels in an optional caller-provided `ha_error`: the kind (after the seed's
 * ComputationError), the parameter / resource name, the offending value, the
 * allowed range, a file position for parse errors, and a ready message.
 * Functions accept `ha_error *err == NULL` when the caller wants the code only.
 */
#ifndef HOLOANIM_ERROR_H
#define HOLOANIM_ERROR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, code, message). One list: the enum, ha_strerror and ha_status_name
 * are all generated from it. Codes are stable; add new ones at the end. */
#define HA_STATUS_MAP(X)                              \
  X(OK, 0, "success")                                 \
  X(EINVAL, -1, "invalid parameter")                  \
  X(ERANGE, -2, "value out of bounds")                \
  X(ENOMEM, -3, "out of memory")                      \
  X(EEXHAUSTED, -4, "resource exhausted")             \
  X(ENOBUFS, -5, "buffer too small")                  \
  X(EPARSE, -6, "parse error")                        \
  X(EIO, -7, "input/output error")                    \
  X(EINTERNAL, -8, "internal error")                  \
  X(ENOTFOUND, -9, "not found")                       \
  X(EMALFORMED, -10, "malformed packet")              \
  X(EUNSUPPORTED, -11, "unsupported")                 \
  X(EAGAIN, -12, "try again (queue full or no data)") \
  X(ESTATE, -13, "operation not valid in the current state")

typedef enum ha_status {
#define HA__STATUS_ENUM(name, code, msg) HA_##name = (code),
  HA_STATUS_MAP(HA__STATUS_ENUM)
#undef HA__STATUS_ENUM
} ha_status;

/* Human message for a status; never NULL ("unknown status" for others).
 * Thread: any. */
const char *ha_strerror(int status);

/* Stable symbolic name without prefix ("EINVAL", "OK"); never NULL
 * ("EUNKNOWN" for unknown codes). Used as the `code` of bridge errors.
 * Thread: any. */
const char *ha_status_name(int status);

/* The shortest text of a double that reads back to the same value ("0.1",
 * "5", "1.334e-06"; "NaN", "Infinity", "-Infinity"): how every number in an
 * error message, a saved show, a metric or the CLI's output is written.
 * Truncated to fit `cap` (32 bytes always suffice). No allocation.
 * Thread: any. */
void ha_format_double(char *buf, size_t cap, double v);

/* The number written in the n bytes at s, strictly decimal: an optional
 * sign, digits with an optional fraction (".5" and "5." too), an optional
 * exponent; nothing else is accepted (no spaces on either side, no hex, no
 * "inf"/"nan", no trailing text), and the value must be finite; at most 63
 * characters. How the CLI and text parameters read numbers.
 * Like ha_format_double it assumes the C locale's '.' (the process's
 * LC_NUMERIC): under a comma-decimal locale it refuses rather than misread.
 * HA_OK with *out set, or HA_EINVAL (*out untouched). Thread: any. */
ha_status ha_parse_double(const char *s, size_t n, double *out);

/* The seed's error kinds. */
typedef enum ha_error_kind {
  HA_ERROR_NONE = 0,
  HA_ERROR_INVALID_PARAMETER,  /* {name, value, reason} */
  HA_ERROR_OUT_OF_BOUNDS,      /* {value, min, max}: recoverable by clamping */
  HA_ERROR_RESOURCE_EXHAUSTED, /* {resource, limit} */
  HA_ERROR_PARSE,              /* {file, line, column} */
  HA_ERROR_IO,
  HA_ERROR_INTERNAL
} ha_error_kind;

/* Where the error arose (the seed's CoreError variants). */
typedef enum ha_error_category {
  HA_CATEGORY_COMPUTATION = 0,
  HA_CATEGORY_MODEL,
  HA_CATEGORY_STATE,
  HA_CATEGORY_BRIDGE,
  HA_CATEGORY_IO
} ha_error_category;

typedef enum ha_recovery_kind {
  HA_RECOVERY_NONE = 0,
  HA_RECOVERY_CLAMP /* use `value` clamped into [min, max] */
} ha_recovery_kind;

typedef struct ha_recovery {
  ha_recovery_kind kind;
  double value; /* the clamped value to use instead */
  double min;
  double max;
} ha_recovery;

typedef struct ha_error {
  ha_status status;
  ha_error_kind kind;
  ha_error_category category;
  char name[96];     /* parameter or resource name (may be a JSON path) */
  char value[64];    /* the offending value as text */
  char reason[160];  /* why it was refused */
  double number;     /* OutOfBounds: the value */
  double min, max;   /* OutOfBounds: the allowed range */
  uint64_t limit;    /* ResourceExhausted: the capacity */
  char file[256];    /* Parse: file name (may be empty) */
  int line, column;  /* Parse: 1-based; 0 when unknown */
  char message[512]; /* one line, ready to print: "radius: 0 is below the minimum 0.1" */
} ha_error;

/* Reset to "no error". Accepts NULL. Thread: any. */
void ha_error_clear(ha_error *err);

/* True when the error can be handled without giving up the operation
 * (OutOfBounds: clamp). Accepts NULL (false). Thread: any. */
bool ha_error_is_recoverable(const ha_error *err);

/* The seed's `handle()`: fills `out` with the recovery for a recoverable
 * error and returns HA_OK; returns the error's own status (and
 * out->kind = HA_RECOVERY_NONE) otherwise. Thread: any. */
ha_status ha_error_recovery(const ha_error *err, ha_recovery *out);

/* Stable name of a kind ("InvalidParameter", "OutOfBounds", ...). */
const char *ha_error_kind_name(ha_error_kind kind);
/* Stable name of a category ("computation", "model", ...). */
const char *ha_error_category_name(ha_error_category cat);

#ifdef __cplusplus
}
#endif
#endif /* HOLOANIM_ERROR_H */
