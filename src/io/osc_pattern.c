/* OSC 1.0 address patterns: ha_osc_pattern_match and ha_osc_parse_indexed.
 *
 * Design. A pattern is matched segment by segment ('/' never matches inside
 * a segment). Within a segment '*' keeps the classic single backtrack point
 * (the last star and where it started), so plain stars cost linear time;
 * '{a,b}' recurses on the rest of the segment once per alternative and falls
 * back to that star when every alternative fails; '[...]' and '?' consume one
 * character. Hostile patterns are bounded twice: a step budget per match
 * (PATTERN_MAX_STEPS) caps the backtracking of stars against braces, and a
 * depth bound (PATTERN_MAX_BRACES) caps the recursion. Rejected: compiling
 * the pattern to a regex or an automaton first, which allocates and costs
 * more than matching the short addresses a device sends.
 *
 * ha_osc_parse_indexed reads the `N` of `/prefix/N[/...]` with overflow and
 * leading-zero checks, for the per-track addresses that the control input,
 * discovery and the simulated device receive.
 */
#include "io_internal.h"

#include "holoanim/osc.h"

#include <stdint.h>
#include <string.h>

/* Work budget per pattern match: bounds the backtracking of '*' combined with
 * '{...}' on hostile patterns. */
#define PATTERN_MAX_STEPS 100000u
/* Deepest '{...}' recursion per segment: bounds the stack. */
#define PATTERN_MAX_BRACES 32u

/* Match character `c` against the set starting after '[' at p (p < pe).
 * Returns 1 (in set), 0 (not in set) or -1 (no closing ']'); *after is set
 * past the ']'. */
static int match_class(const char *p, const char *pe, char c, const char **after) {
  bool negate = false;
  bool hit = false;
  if (p < pe && *p == '!') {
    negate = true;
    p++;
  }
  while (p < pe && *p != ']') {
    if (p + 2 < pe && p[1] == '-' && p[2] != ']') {
      unsigned char lo = (unsigned char)p[0], hi = (unsigned char)p[2];
      if (lo > hi) {
        unsigned char tmp = lo;
        lo = hi;
        hi = tmp;
      }
      if ((unsigned char)c >= lo && (unsigned char)c <= hi) {
        hit = true;
      }
      p += 3;
    } else {
      if (*p == c) {
        hit = true;
      }
      p++;
    }
  }
  if (p >= pe) {
    return -1;
  }
  *after = p + 1;
  return hit != negate ? 1 : 0;
}

/* Match one segment (no '/') of pattern [p, pe) against [s, se). '*' uses the
 * classic single backtrack point; '{' recurses on the rest of the pattern
 * for each alternative, so a failed brace falls back to the last star. */
static bool match_segment(const char *p, const char *pe, const char *s, const char *se,
                          unsigned *steps, unsigned braces) {
  const char *star_p = NULL, *star_s = NULL;
  for (;;) {
    if (++*steps > PATTERN_MAX_STEPS) {
      return false;
    }
    if (p < pe) {
      char c = *p;
      if (c == '*') {
        while (p < pe && *p == '*') {
          p++;
        }
        if (p == pe) {
          return true;
        }
        star_p = p;
        star_s = s;
        continue;
      }
      if (c == '{') {
        const char *close = memchr(p, '}', (size_t)(pe - p));
        if (close == NULL || braces >= PATTERN_MAX_BRACES) {
          return false;
        }
        const char *alt = p + 1;
        for (;;) {
          const char *comma = memchr(alt, ',', (size_t)(close - alt));
          const char *alt_end = comma != NULL ? comma : close;
          size_t n = (size_t)(alt_end - alt);
          if ((size_t)(se - s) >= n && memcmp(alt, s, n) == 0 &&
              match_segment(close + 1, pe, s + n, se, steps, braces + 1)) {
            return true;
          }
          if (comma == NULL) {
            break;
          }
          alt = comma + 1;
        }
        goto backtrack;
      }
      if (s < se) {
        const char *next = p + 1;
        bool ok;
        if (c == '?') {
          ok = true;
        } else if (c == '[') {
          int r = match_class(p + 1, pe, *s, &next);
          if (r < 0) {
            return false;
          }
          ok = r == 1;
        } else {
          ok = c == *s;
        }
        if (ok) {
          p = next;
          s++;
          continue;
        }
      }
    } else if (s == se) {
      return true;
    }
  backtrack:
    if (star_p == NULL || star_s >= se) {
      return false;
    }
    star_s++;
    s = star_s;
    p = star_p;
  }
}

bool ha_osc_pattern_match(const char *pattern, const char *address) {
  if (pattern == NULL || address == NULL) {
    return false;
  }
  unsigned steps = 0;
  const char *p = pattern, *s = address;
  for (;;) {
    const char *pe = strchr(p, '/');
    const char *se = strchr(s, '/');
    if (pe == NULL) {
      pe = p + strlen(p);
    }
    if (se == NULL) {
      se = s + strlen(s);
    }
    if (!match_segment(p, pe, s, se, &steps, 0)) {
      return false;
    }
    if (*pe == '\0' || *se == '\0') {
      return *pe == *se;
    }
    p = pe + 1;
    s = se + 1;
  }
}

bool ha_osc_parse_indexed(const char *address, const char *prefix, uint32_t *n, const char **rest) {
  if (address == NULL || prefix == NULL) {
    return false;
  }
  size_t plen = strlen(prefix);
  if (strncmp(address, prefix, plen) != 0) {
    return false;
  }
  const char *p = address + plen;
  if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9')) {
    return false;
  }
  uint32_t v = 0;
  while (*p >= '0' && *p <= '9') {
    uint32_t digit = (uint32_t)(*p - '0');
    if (v > (UINT32_MAX - digit) / 10u) {
      return false;
    }
    v = v * 10u + digit;
    p++;
  }
  if (*p != '\0' && *p != '/') {
    return false;
  }
  if (n != NULL) {
    *n = v;
  }
  if (rest != NULL) {
    *rest = p;
  }
  return true;
}
