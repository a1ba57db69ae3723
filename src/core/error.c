/* Status table and the rich error record; and numbers as text both ways
 * (ha_format_double, ha_parse_double), here because error messages are
 * their first users and every layer above reads and writes numbers alike.
 *
 * Messages are formatted once, when the error is made, so printing an error
 * never allocates and the CLI, the addon and the UI show the same words. */
#include "core_internal.h"

#include <stdarg.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ha_strerror(int status) {
  switch (status) {
#define HA__STATUS_MSG(name, code, msg) \
  case (code): return (msg);
    HA_STATUS_MAP(HA__STATUS_MSG)
#undef HA__STATUS_MSG
  default: return "unknown status";
  }
}

const char *ha_status_name(int status) {
  switch (status) {
#define HA__STATUS_NAME(name, code, msg) \
  case (code): return #name;
    HA_STATUS_MAP(HA__STATUS_NAME)
#undef HA__STATUS_NAME
  default: return "EUNKNOWN";
  }
}

const char *ha_error_kind_name(ha_error_kind kind) {
  switch (kind) {
  case HA_ERROR_NONE: return "None";
  case HA_ERROR_INVALID_PARAMETER: return "InvalidParameter";
  case HA_ERROR_OUT_OF_BOUNDS: return "OutOfBounds";
  case HA_ERROR_RESOURCE_EXHAUSTED: return "ResourceExhausted";
  case HA_ERROR_PARSE: return "Parse";
  case HA_ERROR_IO: return "Io";
  case HA_ERROR_INTERNAL: return "Internal";
  }
  return "Unknown";
}

const char *ha_error_category_name(ha_error_category cat) {
  switch (cat) {
  case HA_CATEGORY_COMPUTATION: return "computation";
  case HA_CATEGORY_MODEL: return "model";
  case HA_CATEGORY_STATE: return "state";
  case HA_CATEGORY_BRIDGE: return "bridge";
  case HA_CATEGORY_IO: return "io";
  }
  return "unknown";
}

void ha_error_clear(ha_error *err) {
  if (err != NULL) {
    memset(err, 0, sizeof(*err));
  }
}

bool ha_error_is_recoverable(const ha_error *err) {
  return err != NULL && err->kind == HA_ERROR_OUT_OF_BOUNDS;
}

ha_status ha_error_recovery(const ha_error *err, ha_recovery *out) {
  ha_recovery r = {HA_RECOVERY_NONE, 0.0, 0.0, 0.0};
  ha_status st = err != NULL ? err->status : HA_EINVAL;
  if (ha_error_is_recoverable(err)) {
    r.kind = HA_RECOVERY_CLAMP;
    r.min = err->min;
    r.max = err->max;
    r.value = err->number < err->min ? err->min : (err->number > err->max ? err->max : err->number);
    if (isnan(err->number)) {
      r.value = err->min;
    }
    st = HA_OK;
  }
  if (out != NULL) {
    *out = r;
  }
  return st;
}

static void copy_str(char *dst, size_t cap, const char *src) {
  if (src == NULL) {
    src = "";
  }
  size_t n = strlen(src);
  if (n >= cap) {
    n = cap - 1;
  }
  memcpy(dst, src, n);
  dst[n] = '\0';
}

void ha__format_double_ex(char *buf, size_t cap, double v, unsigned flags) {
  int json = (flags & HA__FORMAT_JSON) != 0;
  if (isnan(v)) {
    snprintf(buf, cap, "NaN");
    return;
  }
  if (isinf(v)) {
    snprintf(buf, cap, v > 0 ? "Infinity" : "-Infinity");
    return;
  }
  if (json && ha__feq(v, 0.0)) {
    snprintf(buf, cap, "0"); /* also folds -0 */
    return;
  }
  if (!json && fabs(v) < 1e15 && ha__feq(v, floor(v))) {
    snprintf(buf, cap, "%.0f", v);
    return;
  }
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, cap, "%.*g", prec, v);
    if (ha__feq(strtod(buf, NULL), v)) {
      return;
    }
  }
}

void ha_format_double(char *buf, size_t cap, double v) {
  ha__format_double_ex(buf, cap, v, 0);
}

ha_status ha_parse_double(const char *s, size_t n, double *out) {
  /* No spaces either side: " 3" and "3 " are refused alike (a space is
   * most often a quoting mistake, and a number means one form). */
  char buf[64];
  if (n == 0 || n >= sizeof(buf)) {
    return HA_EINVAL;
  }
  size_t i = 0, digits = 0;
  if (s[i] == '+' || s[i] == '-') {
    i++;
  }
  for (; i < n && isdigit((unsigned char)s[i]); i++) {
    digits++;
  }
  if (i < n && s[i] == '.') {
    for (i++; i < n && isdigit((unsigned char)s[i]); i++) {
      digits++;
    }
  }
  if (digits == 0) {
    return HA_EINVAL;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
      i++;
    }
    size_t exp_digits = 0;
    for (; i < n && isdigit((unsigned char)s[i]); i++) {
      exp_digits++;
    }
    if (exp_digits == 0) {
      return HA_EINVAL;
    }
  }
  if (i != n) {
    return HA_EINVAL;
  }
  memcpy(buf, s, n);
  buf[n] = '\0';
  char *end = NULL;
  double v = strtod(buf, &end);
  /* strtod follows LC_NUMERIC: under a comma-decimal locale an embedder set,
   * "2.5" would stop at the '.'; refuse rather than read 2. */
  if (end != buf + n || !isfinite(v)) {
    return HA_EINVAL;
  }
  *out = v;
  return HA_OK;
}

static void error_begin(ha_error *err, ha_status st, ha_error_kind kind, ha_error_category cat) {
  memset(err, 0, sizeof(*err));
  err->status = st;
  err->kind = kind;
  err->category = cat;
}

ha_status ha__error_invalid(ha_error *err, ha_error_category cat, const char *name,
                            const char *value, const char *reason_fmt, ...) {
  if (err == NULL) {
    return HA_EINVAL;
  }
  error_begin(err, HA_EINVAL, HA_ERROR_INVALID_PARAMETER, cat);
  copy_str(err->name, sizeof(err->name), name);
  copy_str(err->value, sizeof(err->value), value);
  va_list ap;
  va_start(ap, reason_fmt);
  vsnprintf(err->reason, sizeof(err->reason), reason_fmt, ap);
  va_end(ap);
  snprintf(err->message, sizeof(err->message), "%s: %s", err->name, err->reason);
  return HA_EINVAL;
}

ha_status ha__error_bounds(ha_error *err, ha_error_category cat, const char *name, double value,
                           double min, double max) {
  if (err == NULL) {
    return HA_ERANGE;
  }
  error_begin(err, HA_ERANGE, HA_ERROR_OUT_OF_BOUNDS, cat);
  copy_str(err->name, sizeof(err->name), name);
  err->number = value;
  err->min = min;
  err->max = max;
  char v[32], lo[32], hi[32];
  ha_format_double(v, sizeof(v), value);
  ha_format_double(lo, sizeof(lo), min);
  ha_format_double(hi, sizeof(hi), max);
  copy_str(err->value, sizeof(err->value), v);
  if (isnan(value)) {
    snprintf(err->reason, sizeof(err->reason), "NaN is not a number in [%s, %s]", lo, hi);
  } else if (value < min) {
    snprintf(err->reason, sizeof(err->reason), "%s is below the minimum %s", v, lo);
  } else {
    snprintf(err->reason, sizeof(err->reason), "%s is above the maximum %s", v, hi);
  }
  snprintf(err->message, sizeof(err->message), "%s: %s", err->name, err->reason);
  return HA_ERANGE;
}

ha_status ha__error_exhausted(ha_error *err, ha_error_category cat, const char *resource,
                              uint64_t limit) {
  if (err == NULL) {
    return HA_EEXHAUSTED;
  }
  error_begin(err, HA_EEXHAUSTED, HA_ERROR_RESOURCE_EXHAUSTED, cat);
  copy_str(err->name, sizeof(err->name), resource);
  err->limit = limit;
  snprintf(err->reason, sizeof(err->reason), "all %llu in use", (unsigned long long)limit);
  snprintf(err->message, sizeof(err->message), "%s exhausted: all %llu in use", err->name,
           (unsigned long long)limit);
  return HA_EEXHAUSTED;
}

ha_status ha__error_parse(ha_error *err, const char *file, int line, int column, const char *name,
                          const char *reason_fmt, ...) {
  if (err == NULL) {
    return HA_EPARSE;
  }
  error_begin(err, HA_EPARSE, HA_ERROR_PARSE, HA_CATEGORY_IO);
  copy_str(err->file, sizeof(err->file), file);
  copy_str(err->name, sizeof(err->name), name);
  err->line = line;
  err->column = column;
  va_list ap;
  va_start(ap, reason_fmt);
  vsnprintf(err->reason, sizeof(err->reason), reason_fmt, ap);
  va_end(ap);
  if (err->name[0] != '\0') {
    snprintf(err->message, sizeof(err->message), "%.200s:%d:%d: %.90s: %.150s", err->file, line,
             column, err->name, err->reason);
  } else {
    snprintf(err->message, sizeof(err->message), "%.200s:%d:%d: %.150s", err->file, line, column,
             err->reason);
  }
  return HA_EPARSE;
}

ha_status ha__error_io(ha_error *err, const char *what, int errnum) {
  if (err == NULL) {
    return HA_EIO;
  }
  error_begin(err, HA_EIO, HA_ERROR_IO, HA_CATEGORY_IO);
  copy_str(err->name, sizeof(err->name), what);
  copy_str(err->reason, sizeof(err->reason), strerror(errnum));
  snprintf(err->message, sizeof(err->message), "%s: %s", err->name, err->reason);
  return HA_EIO;
}

ha_status ha__error_internal(ha_error *err, ha_error_category cat, const char *fmt, ...) {
  if (err == NULL) {
    return HA_EINTERNAL;
  }
  error_begin(err, HA_EINTERNAL, HA_ERROR_INTERNAL, cat);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
  va_end(ap);
  snprintf(err->message, sizeof(err->message), "internal error: %s", err->reason);
  return HA_EINTERNAL;
}

void ha__error_prefix(ha_error *err, const char *prefix) {
  if (err == NULL || prefix == NULL || prefix[0] == '\0') {
    return;
  }
  char name[sizeof(err->name)];
  char msg[sizeof(err->message)];
  if (err->name[0] != '\0') {
    snprintf(name, sizeof(name), "%.40s.%.50s", prefix, err->name);
  } else {
    snprintf(name, sizeof(name), "%.90s", prefix);
  }
  copy_str(err->name, sizeof(err->name), name);
  snprintf(msg, sizeof(msg), "%.95s: %.400s", err->name,
           err->reason[0] ? err->reason : err->message);
  copy_str(err->message, sizeof(err->message), msg);
}
