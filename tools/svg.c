/* holoanim CLI: SVG trajectory renderer (see svg.h for the picture).
 *
 * Two steps. First the layout: bounds of every finite sample (and of the venue
 * box), at least 1 m per axis, and ONE px-per-metre scale shared by both
 * panels, so that 1 m is the same length across, up and between the panels and
 * the X axes of TOP and SIDE line up. The panel windows are centred on the
 * data and, if needed, widened (never rescaled) to the common panel size. Then
 * the document is streamed to the FILE* with no allocation: the arrowheads'
 * arc-length look-ups re-walk the samples (a few O(n) walks per track) rather
 * than caching projected points, so there is no malloc failure path.
 * Labels are placed greedily, markers' first, then the ticks', into a fixed
 * table of taken page areas per panel (about 64 KiB of stack): a label moves
 * to a free side or, for a tick, is dropped rather than printed over another.
 *
 * Determinism: pixel coordinates are rounded to 0.1 px and printed from
 * integers (never "-0", "nan" or locale-dependent digits); tick times are
 * k * interval, not accumulated sums. I/O errors are collected from the
 * stream's error flag at the end.
 *
 * Rejected: a scale per panel (a flat path would look as tall as the venue and
 * the panels would not compare); SVG <marker> arrowheads (they sit on vertices
 * only and render differently between viewers); paint-order text halos (SVG 2,
 * not 1.1).
 */
#include "svg.h"

#include <math.h>
#include <string.h>

enum { PANEL_TOP = 0, PANEL_SIDE = 1 };

/* Page geometry (px). */
#define PAD 20.0      /* outer margin */
#define HEADER_H 44.0 /* title line */
#define PANEL_TITLE_H 24.0
#define LEFT_M 46.0      /* vertical-axis labels */
#define BOTTOM_M 42.0    /* horizontal-axis labels and axis name */
#define GAP 28.0         /* between the panels */
#define INNER_PAD 26.0   /* between the data and the plot frame */
#define GRID_MIN_PX 40.0 /* smallest grid spacing */
#define LEGEND_ROW 22.0
#define MIN_WIDTH 320.0
#define MAX_WIDTH 8000.0
#define MAX_COORD 1e7  /* metres; beyond, labels and rounding lose meaning */
#define MAX_TICKS 2000 /* per track and panel: a tiny interval falls back to auto */
#define DEG_TO_RAD (3.14159265358979323846 / 180.0)

/* Dark theme. The palette is Material's 300 shades: distinct hues of similar
 * lightness that all read well on the dark background. */
#define C_BG "#15171c"
#define C_PLOT "#1b1e25"
#define C_FRAME "#3a3f4b"
#define C_GRID "#2a2e37"
#define C_ZERO "#4a5060"
#define C_BOX "#9aa3b5"
#define C_TEXT "#d4d8e0"
#define C_MUTED "#8c94a4"

static const char *const palette[] = {"#4fc3f7", "#ffb74d", "#81c784", "#f06292", "#ba68c8",
                                      "#fff176", "#4db6ac", "#e57373", "#a1887f", "#90a4ae"};
#define PALETTE_N (sizeof palette / sizeof palette[0])

typedef struct panel {
  int kind;         /* PANEL_TOP (X-Y) or PANEL_SIDE (X-Z) */
  double left, top; /* plot area, px */
  double w, h;
  double x0, v0; /* metres at the left and bottom edges */
  double s;      /* px per metre, the same on both axes */
} panel;

typedef struct layout {
  double width, height;
  double grid; /* grid step, m */
  int np;
  panel p[2];
  double legend_top;
  int legend_rows;
  double dt; /* tick interval, s; 0: no ticks */
  int tdec;  /* decimals of the tick labels */
  double tmin, tmax;
  const double *box;
} layout;

/* A formatted number, returned by value so several fit in one fprintf (C11
 * gives the array member a lifetime to the end of the full expression). */
typedef struct num {
  char s[32];
} num;

/* v rounded to 0.1 and printed without a trailing ".0". */
static num fnum(double v) {
  num r;
  if (!(v > -1e9)) {
    v = -1e9;
  } else if (v > 1e9) {
    v = 1e9;
  }
  long long q = llround(v * 10.0);
  long long a = q < 0 ? -q : q;
  const char *sign = q < 0 ? "-" : "";
  if (a % 10 == 0) {
    snprintf(r.s, sizeof r.s, "%s%lld", sign, a / 10);
  } else {
    snprintf(r.s, sizeof r.s, "%s%lld.%lld", sign, a / 10, a % 10);
  }
  return r;
}

/* v with a fixed number of decimals, "-0" turned into "0". */
static num fixed(double v, int decimals) {
  num r;
  snprintf(r.s, sizeof r.s, "%.*f", decimals, v);
  if (r.s[0] == '-' && strspn(r.s + 1, "0.") == strlen(r.s + 1)) {
    memmove(r.s, r.s + 1, strlen(r.s));
  }
  return r;
}

/* Decimals needed to print v exactly enough (0..3). */
static int decimals_of(double v) {
  for (int d = 0; d < 3; d++) {
    double m = v * pow(10.0, d);
    if (fabs(m - round(m)) < 1e-6 * fmax(1.0, fabs(m))) {
      return d;
    }
  }
  return 3;
}

/* Smallest 1-2-5 step >= raw (raw > 0). */
static double nice_ceil(double raw) {
  double base = pow(10.0, floor(log10(raw)));
  static const double mult[] = {1.0, 2.0, 5.0, 10.0};
  for (size_t i = 0; i < sizeof mult / sizeof mult[0]; i++) {
    if (mult[i] * base >= raw * (1.0 - 1e-9)) {
      return mult[i] * base;
    }
  }
  return 10.0 * base;
}

/* A 1-2-2.5-5 interval giving the count closest to 10 over span (> 0). */
static double auto_interval(double span) {
  double base = pow(10.0, floor(log10(span / 10.0)));
  static const double mult[] = {1.0, 2.0, 2.5, 5.0, 10.0};
  double best = base, best_err = INFINITY;
  for (size_t i = 0; i < sizeof mult / sizeof mult[0]; i++) {
    double err = fabs(log(span / (mult[i] * base) / 10.0));
    if (err < best_err) {
      best_err = err;
      best = mult[i] * base;
    }
  }
  return best;
}

/* One UTF-8 sequence at s: its length, or 0 if malformed, overlong, a
 * surrogate, beyond U+10FFFF or not an XML character (U+FFFE, U+FFFF). */
static size_t utf8_len(const unsigned char *s) {
  unsigned c = s[0];
  size_t len;
  unsigned cp;
  if (c < 0x80) {
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      return 0; /* also stops at the terminating NUL */
    }
    cp = (cp << 6) | (s[i] & 0x3Fu);
  }
  static const unsigned min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
      cp == 0xFFFF) {
    return 0;
  }
  return len;
}

/* Writes text as XML character data / attribute value: the five markup
 * characters as entities, control characters and malformed UTF-8 as '?'. */
static void put_escaped(FILE *f, const char *text) {
  const unsigned char *s = (const unsigned char *)text;
  while (*s) {
    switch (*s) {
    case '&':
      fputs("&amp;", f);
      s++;
      continue;
    case '<':
      fputs("&lt;", f);
      s++;
      continue;
    case '>':
      fputs("&gt;", f);
      s++;
      continue;
    case '"':
      fputs("&quot;", f);
      s++;
      continue;
    case '\'':
      fputs("&apos;", f);
      s++;
      continue;
    default: break;
    }
    if (*s < 0x20) {
      fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : '?', f);
      s++;
      continue;
    }
    size_t len = utf8_len(s);
    if (len == 0) {
      fputc('?', f);
      s++;
    } else {
      fwrite(s, 1, len, f);
      s += len;
    }
  }
}

/* Approximate rendered width (px) of text at font size fs. */
static double text_width(const char *text, double fs) {
  size_t chars = 0;
  for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
    if ((*s & 0xC0) != 0x80) {
      chars++;
    }
  }
  return (double)chars * fs * 0.6;
}

/* "#rgb", "#rrggbb" or 1..31 ASCII letters (a CSS colour name). */
static int color_ok(const char *c) {
  size_t n = strlen(c);
  if (c[0] == '#') {
    return (n == 4 || n == 7) && strspn(c + 1, "0123456789abcdefABCDEF") == n - 1;
  }
  return n > 0 && n < 32 && strspn(c, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == n;
}

static const char *track_color(const ha_svg_track *tr, size_t i) {
  return tr->color ? tr->color : palette[i % PALETTE_N];
}

/* ---- samples ---- */

static int sample_ok(const ha_svg_track *tr, size_t i) {
  return isfinite(tr->x[i]) && isfinite(tr->y[i]) && isfinite(tr->z[i]) &&
         (tr->t == NULL || isfinite(tr->t[i]));
}

/* First finite sample at or after i; tr->n if none. */
static size_t next_ok(const ha_svg_track *tr, size_t i) {
  while (i < tr->n && !sample_ok(tr, i)) {
    i++;
  }
  return i;
}

/* Last finite sample before i; tr->n if none. */
static size_t prev_ok(const ha_svg_track *tr, size_t i) {
  while (i > 0) {
    i--;
    if (sample_ok(tr, i)) {
      return i;
    }
  }
  return tr->n;
}

static size_t count_ok(const ha_svg_track *tr) {
  size_t c = 0;
  for (size_t i = next_ok(tr, 0); i < tr->n; i = next_ok(tr, i + 1)) {
    c++;
  }
  return c;
}

/* ---- projection ---- */

static void to_px(const panel *p, double x, double v, double *px, double *py) {
  *px = p->left + (x - p->x0) * p->s;
  *py = p->top + p->h - (v - p->v0) * p->s; /* page y grows downwards */
}

static void proj(const panel *p, const ha_svg_track *tr, size_t i, double *px, double *py) {
  to_px(p, tr->x[i], p->kind == PANEL_TOP ? tr->y[i] : tr->z[i], px, py);
}

/* Length of the projected path in px. */
static double path_len(const panel *p, const ha_svg_track *tr) {
  double len = 0.0, ax = 0.0, ay = 0.0;
  int have = 0;
  for (size_t i = next_ok(tr, 0); i < tr->n; i = next_ok(tr, i + 1)) {
    double bx, by;
    proj(p, tr, i, &bx, &by);
    if (have) {
      len += hypot(bx - ax, by - ay);
    }
    ax = bx;
    ay = by;
    have = 1;
  }
  return len;
}

/* The projected point at arc length target (px) from the start, clamped. */
static void point_at(const panel *p, const ha_svg_track *tr, double target, double *ox,
                     double *oy) {
  double cum = 0.0, ax = 0.0, ay = 0.0;
  int have = 0;
  for (size_t i = next_ok(tr, 0); i < tr->n; i = next_ok(tr, i + 1)) {
    double bx, by;
    proj(p, tr, i, &bx, &by);
    if (!have) {
      *ox = bx;
      *oy = by;
      if (target <= 0.0) {
        return;
      }
    } else {
      double seg = hypot(bx - ax, by - ay);
      if (seg > 0.0 && cum + seg >= target) {
        double u = (target - cum) / seg;
        *ox = ax + (bx - ax) * u;
        *oy = ay + (by - ay) * u;
        return;
      }
      cum += seg;
      *ox = bx;
      *oy = by;
    }
    ax = bx;
    ay = by;
    have = 1;
  }
}

/* Unit direction (dx, dy) of a → b; 0 if shorter than 1e-6 px. */
static int unit(double ax, double ay, double bx, double by, double *dx, double *dy) {
  double l = hypot(bx - ax, by - ay);
  if (!(l > 1e-6)) {
    return 0;
  }
  *dx = (bx - ax) / l;
  *dy = (by - ay) / l;
  return 1;
}

/* Direction of the path at the segment a → b, or at the nearest segment with
 * a length on the page (a source paused, or moving along the view axis). */
static void seg_dir(const panel *p, const ha_svg_track *tr, size_t a, size_t b, double *dx,
                    double *dy) {
  double ax, ay, bx, by;
  for (int k = 0; k < 64 && b < tr->n; k++) {
    proj(p, tr, a, &ax, &ay);
    proj(p, tr, b, &bx, &by);
    if (unit(ax, ay, bx, by, dx, dy)) {
      return;
    }
    a = b;
    b = next_ok(tr, b + 1);
  }
  b = a;
  a = prev_ok(tr, a);
  for (int k = 0; k < 64 && a < tr->n; k++) {
    proj(p, tr, a, &ax, &ay);
    proj(p, tr, b, &bx, &by);
    if (unit(ax, ay, bx, by, dx, dy)) {
      return;
    }
    b = a;
    a = prev_ok(tr, a);
  }
  *dx = 1.0;
  *dy = 0.0;
}

/* ---- layout ---- */

static int compute_layout(const ha_svg_track *tracks, size_t ntracks, const ha_svg_options *o,
                          layout *L) {
  double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
  int any = 0;
  memset(L, 0, sizeof *L);
  L->tmin = INFINITY;
  L->tmax = -INFINITY;
  for (size_t k = 0; k < ntracks; k++) {
    const ha_svg_track *tr = &tracks[k];
    for (size_t i = next_ok(tr, 0); i < tr->n; i = next_ok(tr, i + 1)) {
      double v[3] = {tr->x[i], tr->y[i], tr->z[i]};
      for (int a = 0; a < 3; a++) {
        lo[a] = fmin(lo[a], v[a]);
        hi[a] = fmax(hi[a], v[a]);
      }
      if (tr->t) {
        L->tmin = fmin(L->tmin, tr->t[i]);
        L->tmax = fmax(L->tmax, tr->t[i]);
      }
      any = 1;
    }
  }
  if (any && !o->box) {
    /* Show the origin too, unless that would shrink the paths to a corner. */
    double ext = 1.0, ext0 = 0.0;
    for (int a = 0; a < 3; a++) {
      ext = fmax(ext, hi[a] - lo[a]);
      ext0 = fmax(ext0, fmax(hi[a], 0.0) - fmin(lo[a], 0.0));
    }
    if (ext0 <= 2.0 * ext) {
      for (int a = 0; a < 3; a++) {
        lo[a] = fmin(lo[a], 0.0);
        hi[a] = fmax(hi[a], 0.0);
      }
    }
  }
  if (o->box) {
    for (int a = 0; a < 3; a++) {
      lo[a] = fmin(lo[a], o->box[2 * a]);
      hi[a] = fmax(hi[a], o->box[2 * a + 1]);
    }
    any = 1;
  }
  if (!any) {
    for (int a = 0; a < 3; a++) {
      lo[a] = -5.0;
      hi[a] = 5.0;
    }
  }
  double c[3], r[3];
  for (int a = 0; a < 3; a++) {
    if (!(fabs(lo[a]) <= MAX_COORD && fabs(hi[a]) <= MAX_COORD)) {
      return -1;
    }
    c[a] = 0.5 * (lo[a] + hi[a]);
    r[a] = fmax(hi[a] - lo[a], 1.0); /* a flat axis still gets a sensible scale */
  }

  double w = o->width_px > 0.0 ? o->width_px : 1000.0;
  L->width = round(fmin(fmax(w, MIN_WIDTH), MAX_WIDTH));
  L->np = o->show_side ? 2 : 1;
  double np = (double)L->np;
  double pw = floor((L->width - 2.0 * PAD - np * LEFT_M - (np - 1.0) * GAP) / np);
  double hmax = L->np == 2 ? 1.25 * pw : 0.85 * pw;
  double s = (pw - 2.0 * INNER_PAD) / r[0];
  s = fmin(s, (hmax - 2.0 * INNER_PAD) / r[1]);
  double ph = r[1] * s;
  if (L->np == 2) {
    s = fmin(s, (hmax - 2.0 * INNER_PAD) / r[2]);
    ph = fmax(r[1], r[2]) * s;
  }
  ph = ceil(fmax(ph + 2.0 * INNER_PAD, 0.4 * pw));
  for (int k = 0; k < L->np; k++) {
    panel *p = &L->p[k];
    p->kind = k == 0 ? PANEL_TOP : PANEL_SIDE;
    p->left = PAD + LEFT_M + (double)k * (pw + GAP + LEFT_M);
    p->top = HEADER_H + PANEL_TITLE_H;
    p->w = pw;
    p->h = ph;
    p->s = s;
    p->x0 = c[0] - 0.5 * pw / s;
    p->v0 = c[k == 0 ? 1 : 2] - 0.5 * ph / s;
  }
  L->grid = nice_ceil(GRID_MIN_PX / s);

  if (L->tmax > L->tmin) {
    double span = L->tmax - L->tmin;
    double dt = o->tick_interval_s > 0.0 ? o->tick_interval_s : auto_interval(span);
    if (span / dt > MAX_TICKS) {
      dt = auto_interval(span);
    }
    /* Times beyond 1e9 s (30 years) or 1e15 intervals get no ticks: their
     * labels would not fit, and k * dt would lose its integer k. */
    if (fmax(fabs(L->tmin), fabs(L->tmax)) < 1e9 &&
        fmax(fabs(L->tmin), fabs(L->tmax)) / dt < 1e15) {
      L->dt = dt;
      L->tdec = decimals_of(dt);
    }
  }
  L->box = o->box;
  L->legend_top = HEADER_H + PANEL_TITLE_H + ph + BOTTOM_M + 12.0;
  return 0;
}

/* ---- drawing ---- */

/* Page areas already taken by markers and labels in the current panel, so
 * that labels never print over each other or out of the plot frame (onto the
 * axis labels): a later label tries its other positions, and a tick label
 * that finds none is left out (its tick stays). */
#define CROWD_MAX 1024
typedef struct area {
  double x0, y0, x1, y1;
} area;
typedef struct crowd {
  area frame;
  area a[CROWD_MAX];
  size_t n;
} crowd;

static int crowd_free(const crowd *c, area r) {
  if (c->n == CROWD_MAX) {
    return 0; /* nothing more fits in the bookkeeping: be conservative */
  }
  if (r.x0 < c->frame.x0 || r.y0 < c->frame.y0 || r.x1 > c->frame.x1 || r.y1 > c->frame.y1) {
    return 0;
  }
  for (size_t i = 0; i < c->n; i++) {
    const area *q = &c->a[i];
    if (r.x0 < q->x1 && q->x0 < r.x1 && r.y0 < q->y1 && q->y0 < r.y1) {
      return 0;
    }
  }
  return 1;
}

static void crowd_add(crowd *c, area r) {
  if (c->n < CROWD_MAX) {
    c->a[c->n++] = r;
  }
}

static area square(double x, double y, double half) {
  area r = {x - half, y - half, x + half, y + half};
  return r;
}

/* A label at distance dist from (x, y) in the unit direction (ox, oy),
 * anchored so that it grows away from the point. */
typedef struct spot {
  double x, y; /* text anchor, baseline */
  const char *anchor;
  area box;
} spot;

static spot label_spot(double fs, double x, double y, double ox, double oy, double dist,
                       const char *text) {
  spot sp;
  double w = text_width(text, fs);
  sp.anchor = ox > 0.35 ? "start" : ox < -0.35 ? "end" : "middle";
  sp.x = x + ox * dist;
  sp.y = y + oy * dist + fs * 0.35 + oy * fs * 0.3;
  double x0 = ox > 0.35 ? sp.x : ox < -0.35 ? sp.x - w : sp.x - 0.5 * w;
  area b = {x0 - 1.0, sp.y - 0.8 * fs - 1.0, x0 + w + 1.0, sp.y + 0.25 * fs + 1.0};
  sp.box = b;
  return sp;
}

/* The first of the directions (ox, oy) rotated by 0, ±45, ±90, ±135 and 180
 * degrees whose label box is free; the unrotated one if none is. */
static spot best_spot(const crowd *c, double fs, double x, double y, double ox, double oy,
                      double dist, const char *text) {
  static const double turns[] = {0.0, 45.0, -45.0, 90.0, -90.0, 135.0, -135.0, 180.0};
  for (size_t i = 0; i < sizeof turns / sizeof turns[0]; i++) {
    double a = turns[i] * DEG_TO_RAD;
    double rx = ox * cos(a) - oy * sin(a), ry = ox * sin(a) + oy * cos(a);
    spot sp = label_spot(fs, x, y, rx, ry, dist, text);
    if (crowd_free(c, sp.box)) {
      return sp;
    }
  }
  return label_spot(fs, x, y, ox, oy, dist, text);
}

/* text must need no escaping. */
static void put_label(FILE *f, const spot *sp, const char *cls, const char *color, double fs,
                      const char *text) {
  fprintf(f,
          "<text class=\"%s\" x=\"%s\" y=\"%s\" font-size=\"%s\" text-anchor=\"%s\" "
          "fill=\"%s\">%s</text>\n",
          cls, fnum(sp->x).s, fnum(sp->y).s, fnum(fs).s, sp->anchor, color, text);
}

static void draw_frame(FILE *f, const layout *L, const panel *p) {
  double right = p->left + p->w, bottom = p->top + p->h;
  double x1 = p->x0 + p->w / p->s, v1 = p->v0 + p->h / p->s;
  int dec = decimals_of(L->grid);
  const char *vname = p->kind == PANEL_TOP ? "Y" : "Z";

  fprintf(f,
          "<text x=\"%s\" y=\"%s\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\" "
          "fill=\"%s\">%s</text>\n",
          fnum(p->left + 0.5 * p->w).s, fnum(p->top - 9.0).s, C_TEXT,
          p->kind == PANEL_TOP ? "TOP view (X right, Y front)" : "SIDE view (X right, Z up)");
  fprintf(f, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\" stroke=\"%s\"/>\n",
          fnum(p->left).s, fnum(p->top).s, fnum(p->w).s, fnum(p->h).s, C_PLOT, C_FRAME);

  /* Grid: one path; the lines through 0 in a second, brighter one. */
  long long kx0 = (long long)ceil(p->x0 / L->grid), kx1 = (long long)floor(x1 / L->grid);
  long long kv0 = (long long)ceil(p->v0 / L->grid), kv1 = (long long)floor(v1 / L->grid);
  double px, py;
  fprintf(f, "<path class=\"grid\" fill=\"none\" stroke=\"%s\" d=\"", C_GRID);
  for (long long k = kx0; k <= kx1; k++) {
    to_px(p, (double)k * L->grid, 0.0, &px, &py);
    fprintf(f, "M%s %sV%s", fnum(px).s, fnum(p->top).s, fnum(bottom).s);
  }
  for (long long k = kv0; k <= kv1; k++) {
    to_px(p, 0.0, (double)k * L->grid, &px, &py);
    fprintf(f, "M%s %sH%s", fnum(p->left).s, fnum(py).s, fnum(right).s);
  }
  fputs("\"/>\n", f);
  to_px(p, 0.0, 0.0, &px, &py);
  int x_in = px >= p->left && px <= right, v_in = py >= p->top && py <= bottom;
  if (x_in || v_in) {
    fprintf(f, "<path class=\"zero\" fill=\"none\" stroke=\"%s\" d=\"", C_ZERO);
    if (x_in) {
      fprintf(f, "M%s %sV%s", fnum(px).s, fnum(p->top).s, fnum(bottom).s);
    }
    if (v_in) {
      fprintf(f, "M%s %sH%s", fnum(p->left).s, fnum(py).s, fnum(right).s);
    }
    fputs("\"/>\n", f);
  }
  if (x_in && v_in) {
    fprintf(f,
            "<path class=\"origin\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
            "d=\"M%s %sh16M%s %sv16\"/>\n",
            C_MUTED, fnum(px - 8.0).s, fnum(py).s, fnum(px).s, fnum(py - 8.0).s);
  }

  /* Axis labels and names. */
  fprintf(f, "<g font-size=\"11\" fill=\"%s\">\n", C_MUTED);
  for (long long k = kx0; k <= kx1; k++) {
    to_px(p, (double)k * L->grid, 0.0, &px, &py);
    fprintf(f, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%s</text>\n", fnum(px).s,
            fnum(bottom + 15.0).s, fixed((double)k * L->grid, dec).s);
  }
  for (long long k = kv0; k <= kv1; k++) {
    to_px(p, 0.0, (double)k * L->grid, &px, &py);
    fprintf(f, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\">%s</text>\n", fnum(p->left - 6.0).s,
            fnum(py + 4.0).s, fixed((double)k * L->grid, dec).s);
  }
  fprintf(f, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" fill=\"%s\">X (m)</text>\n",
          fnum(p->left + 0.5 * p->w).s, fnum(bottom + 32.0).s, C_TEXT);
  fprintf(f, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\" fill=\"%s\">%s (m)</text>\n",
          fnum(p->left - 6.0).s, fnum(p->top - 9.0).s, C_TEXT, vname);
  fputs("</g>\n", f);

  if (L->box) {
    const double *b = L->box;
    double ax, ay, bx, by;
    int vi = p->kind == PANEL_TOP ? 2 : 4;
    to_px(p, b[0], b[vi], &ax, &ay);
    to_px(p, b[1], b[vi + 1], &bx, &by);
    fprintf(f,
            "<rect class=\"box\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"none\" "
            "stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
            fnum(ax).s, fnum(by).s, fnum(bx - ax).s, fnum(ay - by).s, C_BOX);
  }
}

static void draw_polyline(FILE *f, const panel *p, const ha_svg_track *tr, const char *color) {
  if (count_ok(tr) < 2) {
    return;
  }
  fprintf(f, "<polyline class=\"path\" stroke=\"%s\" points=\"", color);
  long long lx = 0, ly = 0;
  size_t emitted = 0;
  for (size_t i = next_ok(tr, 0); i < tr->n; i = next_ok(tr, i + 1)) {
    double px, py;
    proj(p, tr, i, &px, &py);
    long long qx = llround(px * 10.0), qy = llround(py * 10.0);
    if (emitted > 0 && qx == lx && qy == ly) {
      continue; /* same point after rounding: compactness */
    }
    fprintf(f, "%s%s,%s",
            emitted == 0        ? ""
            : emitted % 10 == 0 ? "\n"
                                : " ",
            fnum(px).s, fnum(py).s);
    lx = qx;
    ly = qy;
    emitted++;
  }
  fputs("\"/>\n", f);
}

static void draw_ticks(FILE *f, const layout *L, const panel *p, const ha_svg_track *tr,
                       const char *color, crowd *c) {
  size_t first = next_ok(tr, 0);
  if (!tr->t || !(L->dt > 0.0) || first >= tr->n) {
    return;
  }
  size_t last = prev_ok(tr, tr->n);
  double t0 = tr->t[first], t1 = tr->t[last], dt = L->dt;
  if (!(t1 > t0)) {
    return;
  }
  long long k = (long long)floor(t0 / dt);
  while ((double)k * dt <= t0 + 1e-9 * dt) {
    k++; /* no tick on the start marker */
  }
  size_t a = first;
  for (int count = 0; count < MAX_TICKS; count++, k++) {
    double tk = (double)k * dt;
    if (tk > t1 - 0.25 * dt) {
      break; /* none on top of the end marker */
    }
    size_t b = next_ok(tr, a + 1);
    while (b < tr->n && tr->t[b] < tk) {
      a = b;
      b = next_ok(tr, a + 1);
    }
    if (b >= tr->n) {
      break;
    }
    double ta = tr->t[a], tb = tr->t[b];
    double u = tb > ta ? (tk - ta) / (tb - ta) : 0.0;
    u = fmin(fmax(u, 0.0), 1.0); /* times that go back: clamp, never extrapolate */
    double ax, ay, bx, by, dx, dy;
    proj(p, tr, a, &ax, &ay);
    proj(p, tr, b, &bx, &by);
    double x = ax + (bx - ax) * u, y = ay + (by - ay) * u;
    seg_dir(p, tr, a, b, &dx, &dy);
    double nx = -dy, ny = dx; /* right of the direction of travel on the page */
    fprintf(f,
            "<line class=\"tick\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" "
            "stroke-width=\"1.5\"/>\n",
            fnum(x - 5.0 * nx).s, fnum(y - 5.0 * ny).s, fnum(x + 5.0 * nx).s, fnum(y + 5.0 * ny).s,
            color);
    /* The label goes right of the path, else left of it, else nowhere. */
    char text[48];
    int d = decimals_of(tk);
    snprintf(text, sizeof text, "%s s", fixed(tk, d < L->tdec ? d : L->tdec).s);
    for (double side = 1.0; side >= -1.0; side -= 2.0) {
      spot sp = label_spot(10.0, x, y, side * nx, side * ny, 9.0, text);
      if (crowd_free(c, sp.box)) {
        put_label(f, &sp, "tick-label", color, 10.0, text);
        crowd_add(c, sp.box);
        break;
      }
    }
  }
}

static void draw_arrows(FILE *f, const panel *p, const ha_svg_track *tr, const char *color) {
  double len = path_len(p, tr);
  if (!(len >= 16.0)) {
    return; /* a dot on this page: no direction to show */
  }
  int extra = (int)fmin(floor(len / 240.0), 6.0);
  for (int k = 0; k <= extra; k++) {
    double at = len * (0.1 + (extra > 0 ? 0.8 * (double)k / (double)extra : 0.0));
    double cx, cy, ax, ay, bx, by, dx, dy;
    point_at(p, tr, at, &cx, &cy);
    point_at(p, tr, fmax(at - 6.0, 0.0), &ax, &ay);
    point_at(p, tr, fmin(at + 6.0, len), &bx, &by);
    if (!unit(ax, ay, bx, by, &dx, &dy)) {
      continue;
    }
    double tx = cx + 6.0 * dx, ty = cy + 6.0 * dy;   /* tip */
    double bcx = cx - 5.0 * dx, bcy = cy - 5.0 * dy; /* middle of the base */
    fprintf(f, "<polygon class=\"arrow\" fill=\"%s\" points=\"%s,%s %s,%s %s,%s\"/>\n", color,
            fnum(tx).s, fnum(ty).s, fnum(bcx - 5.0 * dy).s, fnum(bcy + 5.0 * dx).s,
            fnum(bcx + 5.0 * dy).s, fnum(bcy - 5.0 * dx).s);
  }
}

/* Where the start and end markers of a track go in a panel, and the
 * directions their labels prefer: "start" behind the start against the first
 * direction of travel, "end" beyond the end along the last one. */
typedef struct marks {
  int has_start, has_end;
  double sx, sy, sdx, sdy;
  double ex, ey, edx, edy;
} marks;

static marks marker_geometry(const panel *p, const ha_svg_track *tr) {
  marks m;
  memset(&m, 0, sizeof m);
  size_t first = next_ok(tr, 0);
  if (first >= tr->n) {
    return m;
  }
  size_t last = prev_ok(tr, tr->n);
  double len = path_len(p, tr), ax, ay;
  m.has_start = 1;
  m.has_end = last != first;
  proj(p, tr, first, &m.sx, &m.sy);
  proj(p, tr, last, &m.ex, &m.ey);
  point_at(p, tr, fmin(10.0, len), &ax, &ay);
  if (unit(ax, ay, m.sx, m.sy, &m.sdx, &m.sdy) == 0) {
    m.sdx = -0.7071; /* no direction on this page: up left */
    m.sdy = -0.7071;
  }
  point_at(p, tr, fmax(len - 10.0, 0.0), &ax, &ay);
  if (unit(ax, ay, m.ex, m.ey, &m.edx, &m.edy) == 0) {
    m.edx = 0.7071; /* down right */
    m.edy = 0.7071;
  }
  return m;
}

/* Takes the marker areas first, so that tick labels keep clear of them. */
static void reserve_markers(const panel *p, const ha_svg_track *tr, crowd *c) {
  marks m = marker_geometry(p, tr);
  if (m.has_start) {
    crowd_add(c, square(m.sx, m.sy, 7.0));
  }
  if (m.has_end) {
    crowd_add(c, square(m.ex, m.ey, 7.0));
  }
}

/* Start and end labels of every track, placed before any tick label. */
static void place_marker_labels(const panel *p, const ha_svg_track *tr, crowd *c, spot *start,
                                spot *end) {
  marks m = marker_geometry(p, tr);
  if (m.has_end) {
    *end = best_spot(c, 11.0, m.ex, m.ey, m.edx, m.edy, 11.0, "end");
    crowd_add(c, end->box);
  }
  if (m.has_start) {
    *start = best_spot(c, 11.0, m.sx, m.sy, m.sdx, m.sdy, 11.0, "start");
    crowd_add(c, start->box);
  }
}

static void draw_markers(FILE *f, const panel *p, const ha_svg_track *tr, const char *color,
                         const spot *start, const spot *end) {
  marks m = marker_geometry(p, tr);
  if (m.has_end) {
    fprintf(f,
            "<rect class=\"end\" x=\"%s\" y=\"%s\" width=\"12\" height=\"12\" fill=\"none\" "
            "stroke=\"%s\" stroke-width=\"2\"/>\n",
            fnum(m.ex - 6.0).s, fnum(m.ey - 6.0).s, color);
    put_label(f, end, "end-label", color, 11.0, "end");
  }
  if (m.has_start) {
    fprintf(f,
            "<circle class=\"start\" cx=\"%s\" cy=\"%s\" r=\"4.5\" fill=\"%s\" "
            "stroke=\"%s\" stroke-width=\"1.5\"/>\n",
            fnum(m.sx).s, fnum(m.sy).s, color, C_BG);
    put_label(f, start, "start-label", color, 11.0, "start");
  }
}

/* Lays out (f NULL) or draws the legend; returns its number of rows. */
static int legend(FILE *f, const layout *L, const ha_svg_track *tracks, size_t ntracks) {
  double x0 = PAD + LEFT_M, x = x0, right = L->width - PAD;
  int row = 0;
  for (size_t k = 0; k < ntracks; k++) {
    char fallback[32];
    const char *name = tracks[k].name;
    if (!name) {
      snprintf(fallback, sizeof fallback, "track %zu", k + 1);
      name = fallback;
    }
    double w = 34.0 + text_width(name, 12.0) + 24.0;
    if (x > x0 && x + w > right) {
      row++;
      x = x0;
    }
    if (f) {
      const char *color = track_color(&tracks[k], k);
      double y = L->legend_top + (double)row * LEGEND_ROW + 8.0;
      fprintf(f,
              "<g class=\"legend\"><path d=\"M%s %sh24\" stroke=\"%s\" stroke-width=\"3\"/>"
              "<circle cx=\"%s\" cy=\"%s\" r=\"4\" fill=\"%s\"/>"
              "<text x=\"%s\" y=\"%s\" font-size=\"12\" fill=\"%s\">",
              fnum(x).s, fnum(y).s, color, fnum(x).s, fnum(y).s, color, fnum(x + 32.0).s,
              fnum(y + 4.0).s, C_TEXT);
      put_escaped(f, name);
      fputs("</text></g>\n", f);
    }
    x += w;
  }
  return row + 1;
}

/* One view. Layers from the bottom: frame and grid, paths, ticks and
 * arrowheads, markers; label places are chosen markers first, then ticks. */
static void draw_panel(FILE *f, const layout *L, const panel *p, const ha_svg_track *tracks,
                       size_t ntracks) {
  crowd c, markers_only;
  spot start, end;
  memset(&start, 0, sizeof start);
  memset(&end, 0, sizeof end);
  c.n = 0;
  c.frame.x0 = p->left;
  c.frame.y0 = p->top;
  c.frame.x1 = p->left + p->w;
  c.frame.y1 = p->top + p->h;
  for (size_t i = 0; i < ntracks; i++) {
    reserve_markers(p, &tracks[i], &c);
  }
  markers_only = c; /* to replay the same label choices when drawing them */
  for (size_t i = 0; i < ntracks; i++) {
    place_marker_labels(p, &tracks[i], &c, &start, &end);
  }

  fprintf(f, "<g class=\"%s\">\n", p->kind == PANEL_TOP ? "top" : "side");
  draw_frame(f, L, p);
  if (ntracks == 0) {
    fprintf(f,
            "<text x=\"%s\" y=\"%s\" font-size=\"13\" text-anchor=\"middle\" "
            "fill=\"%s\">no data</text>\n",
            fnum(p->left + 0.5 * p->w).s, fnum(p->top + 0.5 * p->h).s, C_MUTED);
  }
  fputs(
      "<g fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\" "
      "stroke-linecap=\"round\">\n",
      f);
  for (size_t i = 0; i < ntracks; i++) {
    draw_polyline(f, p, &tracks[i], track_color(&tracks[i], i));
  }
  fputs("</g>\n", f);
  for (size_t i = 0; i < ntracks; i++) {
    draw_ticks(f, L, p, &tracks[i], track_color(&tracks[i], i), &c);
    draw_arrows(f, p, &tracks[i], track_color(&tracks[i], i));
  }
  for (size_t i = 0; i < ntracks; i++) {
    place_marker_labels(p, &tracks[i], &markers_only, &start, &end);
    draw_markers(f, p, &tracks[i], track_color(&tracks[i], i), &start, &end);
  }
  fputs("</g>\n", f);
}

/* ---- API ---- */

ha_svg_options ha_svg_options_default(void) {
  ha_svg_options o;
  memset(&o, 0, sizeof o);
  o.width_px = 1000.0;
  o.show_side = 1;
  return o;
}

static int input_ok(FILE *f, const ha_svg_track *tracks, size_t ntracks, const ha_svg_options *o) {
  if (!f || (ntracks > 0 && !tracks) || !isfinite(o->width_px) || !isfinite(o->tick_interval_s)) {
    return 0;
  }
  for (size_t k = 0; k < ntracks; k++) {
    const ha_svg_track *tr = &tracks[k];
    if (tr->n > 0 && (!tr->x || !tr->y || !tr->z)) {
      return 0;
    }
    if (tr->color && !color_ok(tr->color)) {
      return 0;
    }
  }
  if (o->box) {
    for (int a = 0; a < 3; a++) {
      double lo = o->box[2 * a], hi = o->box[2 * a + 1];
      if (!isfinite(lo) || !isfinite(hi) || lo > hi) {
        return 0;
      }
    }
  }
  return 1;
}

int ha_svg_write(FILE *f, const ha_svg_track *tracks, size_t ntracks, const ha_svg_options *opt) {
  ha_svg_options o = opt ? *opt : ha_svg_options_default();
  layout L;
  if (!input_ok(f, tracks, ntracks, &o) || compute_layout(tracks, ntracks, &o, &L) != 0) {
    return -1;
  }
  L.legend_rows = ntracks > 1 ? legend(NULL, &L, tracks, ntracks) : 0;
  L.height = L.legend_top - 6.0;
  if (L.legend_rows > 0) {
    L.height = L.legend_top + (double)L.legend_rows * LEGEND_ROW + PAD - 6.0;
  }

  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
  fprintf(f,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%s\" "
          "height=\"%s\" viewBox=\"0 0 %s %s\" "
          "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n",
          fnum(L.width).s, fnum(L.height).s, fnum(L.width).s, fnum(L.height).s);
  fputs("<title>", f);
  put_escaped(f, o.title ? o.title : "holoanim trajectories");
  fputs("</title>\n", f);
  fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"%s\"/>\n", C_BG);
  if (o.title) {
    fprintf(f,
            "<text class=\"title\" x=\"%s\" y=\"29\" font-size=\"18\" font-weight=\"bold\" "
            "fill=\"%s\">",
            fnum(PAD).s, C_TEXT);
    put_escaped(f, o.title);
    fputs("</text>\n", f);
  }
  if (L.dt > 0.0) {
    fprintf(f,
            "<text x=\"%s\" y=\"29\" font-size=\"12\" text-anchor=\"end\" fill=\"%s\">"
            "t = %s .. %s s, ticks every %s s</text>\n",
            fnum(L.width - PAD).s, C_MUTED, fixed(L.tmin, decimals_of(L.tmin)).s,
            fixed(L.tmax, decimals_of(L.tmax)).s, fixed(L.dt, L.tdec).s);
  }

  for (int k = 0; k < L.np; k++) {
    draw_panel(f, &L, &L.p[k], tracks, ntracks);
  }
  if (L.legend_rows > 0) {
    legend(f, &L, tracks, ntracks);
  }
  fputs("</svg>\n", f);
  return fflush(f) != 0 || ferror(f) ? -1 : 0;
}
