/* Tests of the CLI's SVG renderer (tools/svg.c, compiled in here because tests
 * link only the library). Each test renders to a temporary file, reads the
 * bytes back and checks them: well-formed XML (a small built-in checker, plus
 * `xmllint --noout` when it is installed), markers, arrowheads and their
 * orientation, tick counts, equal scale, escaping, determinism, NaN samples,
 * degenerate inputs and errors.
 *
 * HA_SVG_EXAMPLE=/path.svg also writes a demonstration picture there.
 */
#include "../tools/svg.c"

#include <stdlib.h>
#include <unistd.h>

#include "holoanim/math.h"
#include "test.h"

/* ---- helpers ---- */

/* Renders into a malloc'd NUL-terminated buffer; *rc gets the return code. */
static char *render(const ha_svg_track *tracks, size_t n, const ha_svg_options *o, int *rc) {
  FILE *f = tmpfile();
  if (!f) {
    return NULL;
  }
  *rc = ha_svg_write(f, tracks, n, o);
  long len = ftell(f);
  char *buf = len >= 0 ? malloc((size_t)len + 1) : NULL;
  if (buf) {
    rewind(f);
    size_t got = fread(buf, 1, (size_t)len, f);
    buf[got] = '\0';
  }
  fclose(f);
  return buf;
}

/* render() that must succeed: a document (checked) written with status 0
 * (checked when there is a document); NULL after a failed check. */
static char *render_ok(const ha_svg_track *tracks, size_t n, const ha_svg_options *o) {
  int rc = -2;
  char *doc = render(tracks, n, o, &rc);
  CHECK(doc != NULL);
  if (doc)
    CHECK_INT(rc, 0);
  return doc;
}

static size_t count(const char *hay, const char *needle) {
  size_t c = 0, nl = strlen(needle);
  for (const char *p = strstr(hay, needle); p; p = strstr(p + nl, needle)) {
    c++;
  }
  return c;
}

/* The part of the document between begin and end markers (or its end). */
static char *section(const char *doc, const char *begin, const char *end) {
  const char *a = strstr(doc, begin);
  if (!a) {
    return NULL;
  }
  const char *b = end ? strstr(a, end) : NULL;
  size_t len = b ? (size_t)(b - a) : strlen(a);
  char *s = malloc(len + 1);
  if (s) {
    memcpy(s, a, len);
    s[len] = '\0';
  }
  return s;
}

static int is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == ':' || c == '.';
}

/* A valid entity reference at p ('&'); returns its length or 0. */
static size_t entity_len(const char *p) {
  static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
    if (strncmp(p, named[i], strlen(named[i])) == 0) {
      return strlen(named[i]);
    }
  }
  if (p[1] == '#') {
    size_t i = 2;
    int hex = p[2] == 'x';
    i += (size_t)hex;
    size_t start = i;
    while ((p[i] >= '0' && p[i] <= '9') ||
           (hex && ((p[i] >= 'a' && p[i] <= 'f') || (p[i] >= 'A' && p[i] <= 'F')))) {
      i++;
    }
    return i > start && p[i] == ';' ? i + 1 : 0;
  }
  return 0;
}

/* Well-formedness: one root, balanced tags, quoted attributes without '<',
 * no duplicate attribute names, only valid entities, no stray text outside
 * the root. Returns 1 if well-formed; else 0 with the reason in why. */
static int xml_ok(const char *doc, const char **why) {
  const char *stack[64];
  size_t slen[64];
  int depth = 0, roots = 0;
  const char *p = doc;
  if (strncmp(p, "<?xml ", 6) == 0) {
    p = strstr(p, "?>");
    if (!p)
      return *why = "unterminated XML declaration", 0;
    p += 2;
  }
  while (*p) {
    if (*p == '<') {
      if (strncmp(p, "<!--", 4) == 0) {
        p = strstr(p + 4, "-->");
        if (!p)
          return *why = "unterminated comment", 0;
        p += 3;
        continue;
      }
      if (p[1] == '/') {
        const char *n = p + 2;
        size_t len = 0;
        while (is_name_char(n[len]))
          len++;
        if (depth == 0 || len != slen[depth - 1] || strncmp(n, stack[depth - 1], len) != 0)
          return *why = "mismatched end tag", 0;
        depth--;
        p = n + len;
        while (*p == ' ' || *p == '\n')
          p++;
        if (*p != '>')
          return *why = "bad end tag", 0;
        p++;
        continue;
      }
      const char *n = p + 1;
      size_t len = 0;
      while (is_name_char(n[len]))
        len++;
      if (len == 0)
        return *why = "empty tag name", 0;
      if (depth == 0 && roots++ > 0)
        return *why = "second root element", 0;
      p = n + len;
      const char *attrs[64];
      size_t alen[64], nattr = 0;
      for (;;) {
        int space = 0;
        while (*p == ' ' || *p == '\n' || *p == '\t')
          p++, space = 1;
        if (p[0] == '/' && p[1] == '>') {
          p += 2;
          break;
        }
        if (*p == '>') {
          if (depth == 64)
            return *why = "too deep", 0;
          stack[depth] = n;
          slen[depth++] = len;
          p++;
          break;
        }
        if (!space)
          return *why = "attribute without a space before it", 0;
        size_t an = 0;
        while (is_name_char(p[an]))
          an++;
        if (an == 0 || p[an] != '=' || (p[an + 1] != '"' && p[an + 1] != '\''))
          return *why = "bad attribute", 0;
        for (size_t i = 0; i < nattr; i++) {
          if (alen[i] == an && strncmp(attrs[i], p, an) == 0)
            return *why = "duplicate attribute", 0;
        }
        if (nattr < 64) {
          attrs[nattr] = p;
          alen[nattr++] = an;
        }
        char q = p[an + 1];
        p += an + 2;
        while (*p && *p != q) {
          if (*p == '<')
            return *why = "'<' in an attribute value", 0;
          if (*p == '&') {
            size_t el = entity_len(p);
            if (el == 0)
              return *why = "bad entity in an attribute", 0;
            p += el;
          } else {
            p++;
          }
        }
        if (*p != q)
          return *why = "unterminated attribute", 0;
        p++;
      }
      continue;
    }
    if (*p == '&') {
      size_t el = entity_len(p);
      if (el == 0)
        return *why = "bad entity in text", 0;
      p += el;
      continue;
    }
    if (depth == 0 && !(*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
      return *why = "text outside the root", 0;
    p++;
  }
  if (depth != 0)
    return *why = "unclosed element", 0;
  if (roots != 1)
    return *why = "no root element", 0;
  return 1;
}

static int have_xmllint(void) {
  static int state = -1;
  if (state < 0) {
    state = system("command -v xmllint >/dev/null 2>&1") == 0;
    if (!state) {
      printf(
          "note: xmllint not installed (apt: libxml2-utils); only the built-in "
          "well-formedness checker runs\n");
    }
  }
  return state;
}

/* Well-formed by the built-in checker and, when installed, by xmllint. */
static int well_formed(const char *doc) {
  const char *why = "";
  if (!xml_ok(doc, &why)) {
    fprintf(stderr, "not well-formed: %s\n", why);
    return 0;
  }
  if (!have_xmllint()) {
    return 1;
  }
  char path[] = "/tmp/ha_test_svg_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) {
    return 0;
  }
  FILE *f = fdopen(fd, "w");
  if (!f) {
    close(fd);
    unlink(path);
    return 0;
  }
  fputs(doc, f);
  fclose(f);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "xmllint --noout --nonet %s", path);
  int st = system(cmd);
  unlink(path);
  return st == 0;
}

/* render_ok() whose document is also well-formed XML (checked). */
static char *render_valid(const ha_svg_track *tracks, size_t n, const ha_svg_options *o) {
  char *doc = render_ok(tracks, n, o);
  if (doc)
    CHECK(well_formed(doc));
  return doc;
}

/* The value of the points attribute after the idx-th (0-based) `marker`
 * in doc, or NULL. */
static const char *points_after(const char *doc, const char *marker, size_t idx) {
  const char *p = doc;
  for (size_t i = 0; i <= idx; i++) {
    p = strstr(p, marker);
    if (!p)
      return NULL;
    p += strlen(marker);
  }
  p = strstr(p, "points=\"");
  return p ? p + 8 : NULL;
}

/* Coordinates of the idx-th <polyline> (0-based); returns the point count. */
static size_t polyline_points(const char *doc, size_t idx, double *xy, size_t cap) {
  const char *p = points_after(doc, "<polyline", idx);
  if (!p)
    return 0;
  size_t n = 0;
  while (*p && *p != '"' && n < cap) {
    char *e;
    double x = strtod(p, &e);
    if (e == p || *e != ',')
      break;
    double y = strtod(e + 1, &e);
    xy[2 * n] = x;
    xy[2 * n + 1] = y;
    n++;
    p = e;
    while (*p == ' ' || *p == '\n')
      p++;
  }
  return n;
}

/* Points of the idx-th arrowhead polygon: tip, base corners. */
static int arrow_points(const char *doc, size_t idx, double v[6]) {
  const char *p = points_after(doc, "class=\"arrow\"", idx);
  if (!p)
    return 0;
  for (int i = 0; i < 6; i++) {
    char *e;
    v[i] = strtod(p, &e);
    if (e == p)
      return 0;
    p = e + 1;
  }
  return 1;
}

/* ---- fixtures ---- */

#define CIRCLE_N 401
static double ct[CIRCLE_N], cx[CIRCLE_N], cy[CIRCLE_N], cz[CIRCLE_N];
#define HELIX_N 601
static double ht[HELIX_N], hx[HELIX_N], hy[HELIX_N], hz[HELIX_N];

/* Counter-clockwise circle of radius 3 m at 1.5 m height, 20 s, from (3, 0). */
static ha_svg_track circle_track(void) {
  for (size_t i = 0; i < CIRCLE_N; i++) {
    double u = (double)i / (double)(CIRCLE_N - 1);
    ct[i] = 20.0 * u;
    cx[i] = 3.0 * cos(HA_TAU * u);
    cy[i] = 3.0 * sin(HA_TAU * u);
    cz[i] = 1.5;
  }
  ha_svg_track t = {"circle", NULL, ct, cx, cy, cz, CIRCLE_N};
  return t;
}

/* Helix: two turns of radius 2 m around (1, 2), rising 0 → 4 m over 30 s. */
static ha_svg_track helix_track(void) {
  for (size_t i = 0; i < HELIX_N; i++) {
    double u = (double)i / (double)(HELIX_N - 1);
    ht[i] = 30.0 * u;
    hx[i] = 1.0 + 2.0 * cos(2.0 * HA_TAU * u);
    hy[i] = 2.0 + 2.0 * sin(2.0 * HA_TAU * u);
    hz[i] = 4.0 * u;
  }
  ha_svg_track t = {"helix", "#ff8800", ht, hx, hy, hz, HELIX_N};
  return t;
}

/* ---- tests ---- */

static void test_circle(void) {
  ha_svg_track tr = circle_track();
  char *doc = render_valid(&tr, 1, NULL);
  if (!doc)
    return;
  CHECK(strstr(doc, "version=\"1.1\"") != NULL);
  CHECK(strstr(doc, "xmlns=\"http://www.w3.org/2000/svg\"") != NULL);
  CHECK_INT(count(doc, "<polyline"), 2); /* one per view */
  CHECK_INT(count(doc, "class=\"start\""), 2);
  CHECK_INT(count(doc, ">start</text>"), 2);
  CHECK_INT(count(doc, "class=\"end\""), 2);
  CHECK(count(doc, "class=\"arrow\"") >= 2);
  CHECK_INT(count(doc, "class=\"origin\""), 2);
  CHECK_INT(count(doc, "class=\"legend\""), 0); /* one track: no legend */
  CHECK(strstr(doc, "ticks every 2 s") != NULL);

  /* 20 s at 2 s: ticks at 2..18 s in each view, none on the start or end. */
  char *top = section(doc, "<g class=\"top\">", "<g class=\"side\">");
  char *side = section(doc, "<g class=\"side\">", NULL);
  CHECK(top && side);
  if (top && side) {
    size_t nt = count(top, "class=\"tick\""), ns = count(side, "class=\"tick\"");
    CHECK_MSG(nt >= 8 && nt <= 13, "top view: %zu ticks", nt);
    CHECK_INT(nt, 9);
    CHECK_INT(ns, nt);
    CHECK(strstr(top, ">2 s</text>") != NULL);
    CHECK(strstr(top, ">20 s</text>") == NULL);
  }
  free(top);
  free(side);

  /* The first arrowhead (10 % of the way, 36°) points along the tangent
   * (-sin 36°, cos 36°), i.e. (-0.588, -0.809) on the page (y flipped). */
  double a[6];
  CHECK(arrow_points(doc, 0, a));
  double bx = 0.5 * (a[2] + a[4]), by = 0.5 * (a[3] + a[5]);
  double dx = a[0] - bx, dy = a[1] - by, l = hypot(dx, dy);
  CHECK(l > 5.0);
  CHECK_MSG((dx * -0.5878 + dy * -0.8090) / l > 0.97, "arrow direction (%.3f, %.3f)", dx / l,
            dy / l);
  free(doc);
}

static void test_helix_and_legend(void) {
  ha_svg_track tr[2] = {circle_track(), helix_track()};
  ha_svg_options o = ha_svg_options_default();
  o.title = "circle & helix";
  char *doc = render_valid(tr, 2, &o);
  if (!doc)
    return;
  CHECK_INT(count(doc, "<polyline"), 4);
  CHECK_INT(count(doc, "class=\"start\""), 4);
  CHECK_INT(count(doc, "class=\"legend\""), 2);
  CHECK(strstr(doc, ">circle &amp; helix</text>") != NULL);
  CHECK(strstr(doc, "stroke=\"#ff8800\"") != NULL);
  CHECK(strstr(doc, "stroke=\"#4fc3f7\"") != NULL); /* palette for the first */
  /* Common span 0..30 s: about ten ticks, a 1-2-2.5-5 step (2.5 s). */
  CHECK(strstr(doc, "ticks every 2.5 s") != NULL);
  /* The helix (30 s) has 11 ticks per view, the circle (20 s) 7. */
  CHECK_INT(count(doc, "class=\"tick\""), 2 * (11 + 7));
  /* Long paths carry more than one arrowhead per view. */
  CHECK(count(doc, "class=\"arrow\"") > 4);
  free(doc);
}

static void test_equal_scale(void) {
  /* (0,0,0) → (1,0,0) → (1,1,0) → (1,1,1): 1 m steps along x, y, then z. */
  double t[4] = {0, 1, 2, 3}, x[4] = {0, 1, 1, 1}, y[4] = {0, 0, 1, 1}, z[4] = {0, 0, 0, 1};
  ha_svg_track tr = {"steps", NULL, t, x, y, z, 4};
  char *doc = render_ok(&tr, 1, NULL);
  if (!doc)
    return;
  double top[8], side[8];
  /* Duplicates after projection are dropped: 3 distinct points per view. */
  CHECK_INT(polyline_points(doc, 0, top, 4), 3);
  CHECK_INT(polyline_points(doc, 1, side, 4), 3);
  double top_dx = top[2] - top[0], top_dy = top[5] - top[3];
  double side_dx = side[2] - side[0], side_dz = side[5] - side[3];
  CHECK(top_dx > 10.0);
  CHECK_NEAR(top[3], top[1], 1e-9);    /* x step: horizontal on the page */
  CHECK_NEAR(top_dy, -top_dx, 0.11);   /* +1 m in Y: the same px, upwards */
  CHECK_NEAR(side_dz, -side_dx, 0.11); /* +1 m in Z: the same px, upwards */
  CHECK_NEAR(side_dx, top_dx, 0.11);   /* and the same scale in both views */
  free(doc);
}

static void test_escaping(void) {
  double t[2] = {0, 1}, x[2] = {0, 1}, y[2] = {0, 1}, z[2] = {0, 0};
  ha_svg_track tr[2] = {{"A&B <\"q\"> 'x'", NULL, t, x, y, z, 2},
                        {"\x01"
                         "bad\xff utf8 \xc3\xa9t\xc3\xa9",
                         NULL, t, x, y, z, 2}};
  ha_svg_options o = ha_svg_options_default();
  o.title = "<script>&'\"";
  char *doc = render_valid(tr, 2, &o);
  if (!doc)
    return;
  CHECK(strstr(doc, ">A&amp;B &lt;&quot;q&quot;&gt; &apos;x&apos;</text>") != NULL);
  CHECK(strstr(doc, "A&B") == NULL);
  CHECK(strstr(doc, "<script>") == NULL);
  CHECK(strstr(doc, "&lt;script&gt;&amp;&apos;&quot;") != NULL);
  /* Control characters and malformed UTF-8 become '?'; valid UTF-8 stays. */
  CHECK(strstr(doc, ">?bad? utf8 \xc3\xa9t\xc3\xa9</text>") != NULL);
  free(doc);
}

static void test_deterministic(void) {
  ha_svg_track tr[2] = {circle_track(), helix_track()};
  double box[6] = {-8, 8, -6, 6, 0, 5};
  ha_svg_options o = ha_svg_options_default();
  o.box = box;
  o.title = "same";
  int rc1 = -2, rc2 = -2;
  char *a = render(tr, 2, &o, &rc1);
  char *b = render(tr, 2, &o, &rc2);
  CHECK(a && b);
  if (a && b) {
    CHECK_INT(rc1, 0);
    CHECK_INT(rc2, 0);
    CHECK_INT(strlen(a), strlen(b));
    CHECK(strcmp(a, b) == 0);
    CHECK_INT(count(a, "class=\"box\""), 2);
    CHECK(well_formed(a));
  }
  free(a);
  free(b);
}

static void test_nan_skipped(void) {
  enum { N = 12 };
  double t[N], x[N], y[N], z[N];
  for (size_t i = 0; i < N; i++) {
    t[i] = (double)i;
    x[i] = (double)i;
    y[i] = 0.5 * (double)i;
    z[i] = 1.0;
  }
  x[3] = NAN;
  y[5] = INFINITY;
  t[7] = NAN;
  z[0] = NAN; /* the first sample too: "start" moves to the next */
  ha_svg_track tr = {"gappy", NULL, t, x, y, z, N};
  char *doc = render_valid(&tr, 1, NULL);
  if (!doc)
    return;
  for (char *p = doc; *p; p++) {
    *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
  }
  CHECK(strstr(doc, "nan") == NULL);
  CHECK(strstr(doc, "inf") == NULL);
  double pts[2 * N];
  CHECK_INT(polyline_points(doc, 0, pts, N), N - 4);
  CHECK_INT(count(doc, "class=\"start\""), 2);
  free(doc);
}

static void test_degenerate(void) {
  /* No tracks: empty panels. */
  char *doc = render_valid(NULL, 0, NULL);
  if (doc) {
    CHECK_INT(count(doc, "no data"), 2);
    CHECK_INT(count(doc, "<polyline"), 0);
    free(doc);
  }
  /* A single point: a start marker only. */
  double t1 = 0, x1 = 2, y1 = -1, z1 = 3;
  ha_svg_track one = {"dot", NULL, &t1, &x1, &y1, &z1, 1};
  doc = render_valid(&one, 1, NULL);
  if (doc) {
    CHECK_INT(count(doc, "class=\"start\""), 2);
    CHECK_INT(count(doc, "<polyline"), 0);
    CHECK_INT(count(doc, "class=\"arrow\""), 0);
    CHECK_INT(count(doc, "class=\"end\""), 0);
    free(doc);
  }
  /* Zero extent in y and z (a line along x): both views keep a sensible,
   * equal scale; the side view sees it as a horizontal line. */
  double t[3] = {0, 1, 2}, x[3] = {-4, 0, 4}, y[3] = {1, 1, 1}, z[3] = {2, 2, 2};
  ha_svg_track line = {"line", NULL, t, x, y, z, 3};
  doc = render_valid(&line, 1, NULL);
  if (doc) {
    double p[6];
    CHECK_INT(polyline_points(doc, 1, p, 3), 3);
    CHECK_NEAR(p[1], p[5], 1e-9);
    CHECK(p[4] - p[0] > 100.0);
    free(doc);
  }
  /* A source standing still (no extent at all, and a time span). */
  double sx[3] = {1, 1, 1};
  ha_svg_track still = {"still", NULL, t, sx, y, z, 3};
  doc = render_valid(&still, 1, NULL);
  if (doc) {
    CHECK_INT(count(doc, "class=\"arrow\""), 0);
    free(doc);
  }
  /* Only NaN samples, no times, side view off, tiny width. */
  double nanv[2] = {NAN, NAN};
  ha_svg_track empty[2] = {{NULL, NULL, NULL, nanv, nanv, nanv, 2}, circle_track()};
  empty[1].t = NULL;
  ha_svg_options o = ha_svg_options_default();
  o.show_side = 0;
  o.width_px = 10;
  doc = render_valid(empty, 2, &o);
  if (doc) {
    CHECK(strstr(doc, "class=\"side\"") == NULL);
    CHECK(strstr(doc, "width=\"320\"") != NULL);
    CHECK(strstr(doc, ">track 1</text>") != NULL);
    CHECK_INT(count(doc, "class=\"tick\""), 0);
    free(doc);
  }
}

static void test_tick_interval_option(void) {
  ha_svg_track tr = circle_track();
  ha_svg_options o = ha_svg_options_default();
  o.tick_interval_s = 5.0;
  char *doc = render_ok(&tr, 1, &o);
  if (!doc)
    return;
  CHECK_INT(count(doc, "class=\"tick\""), 2 * 3); /* 5, 10, 15 s */
  free(doc);
  o.tick_interval_s = 1e-9; /* absurd: falls back to the automatic interval */
  doc = render_ok(&tr, 1, &o);
  if (!doc)
    return;
  CHECK_INT(count(doc, "class=\"tick\""), 2 * 9);
  free(doc);
}

static void test_bad_input(void) {
  ha_svg_track tr = circle_track();
  CHECK_INT(ha_svg_write(NULL, &tr, 1, NULL), -1);
  FILE *f = tmpfile();
  CHECK(f != NULL);
  if (!f)
    return;
  CHECK_INT(ha_svg_write(f, NULL, 1, NULL), -1);
  ha_svg_track bad = tr;
  bad.y = NULL;
  CHECK_INT(ha_svg_write(f, &bad, 1, NULL), -1);
  bad = tr;
  bad.color = "red\"/><script";
  CHECK_INT(ha_svg_write(f, &bad, 1, NULL), -1);
  bad.color = "#12345";
  CHECK_INT(ha_svg_write(f, &bad, 1, NULL), -1);
  double box[6] = {1, -1, 0, 1, 0, 1};
  ha_svg_options o = ha_svg_options_default();
  o.box = box;
  CHECK_INT(ha_svg_write(f, &tr, 1, &o), -1);
  box[0] = -1;
  box[1] = NAN;
  CHECK_INT(ha_svg_write(f, &tr, 1, &o), -1);
  o = ha_svg_options_default();
  o.width_px = NAN;
  CHECK_INT(ha_svg_write(f, &tr, 1, &o), -1);
  o = ha_svg_options_default();
  o.tick_interval_s = INFINITY;
  CHECK_INT(ha_svg_write(f, &tr, 1, &o), -1);
  double far[2] = {0, 1e30}, zz[2] = {0, 0};
  ha_svg_track huge = {"far", NULL, NULL, far, zz, zz, 2};
  CHECK_INT(ha_svg_write(f, &huge, 1, NULL), -1);
  CHECK_INT(ftell(f), 0); /* rejected before writing anything */
  fclose(f);

  /* Named colours and #rgb are fine. */
  ha_svg_track ok = tr;
  ok.color = "tomato";
  int rc = -2;
  char *doc = render(&ok, 1, NULL, &rc);
  CHECK_INT(rc, 0);
  free(doc);
  ok.color = "#0f0";
  doc = render(&ok, 1, NULL, &rc);
  CHECK_INT(rc, 0);
  free(doc);
}

static void test_io_error(void) {
  FILE *f = fopen("/dev/full", "w");
  if (!f) {
    printf("note: no /dev/full, I/O error check skipped\n");
    return;
  }
  ha_svg_track tr = circle_track();
  CHECK_INT(ha_svg_write(f, &tr, 1, NULL), -1);
  fclose(f);
}

/* Random tracks (NaN holes, times going back, random name bytes, random
 * options): always 0, well-formed, no non-finite number printed. */
static void test_random(void) {
  enum { MAXN = 300, MAXT = 4 };
  static double t[MAXT][MAXN], x[MAXT][MAXN], y[MAXT][MAXN], z[MAXT][MAXN];
  static char names[MAXT][16];
  uint64_t seed = 0x5eed5106ull;
  printf("test_random seed %llu\n", (unsigned long long)seed);
  for (int iter = 0; iter < 60; iter++) {
    ha_svg_track tr[MAXT];
    size_t nt = (size_t)(ha_t_rand(&seed) % (MAXT + 1));
    for (size_t k = 0; k < nt; k++) {
      size_t n = (size_t)(ha_t_rand(&seed) % MAXN);
      double scale = ha_t_uniform(&seed, 0.01, 30.0), tt = ha_t_uniform(&seed, -5.0, 5.0);
      for (size_t i = 0; i < n; i++) {
        tt += ha_t_uniform(&seed, -0.05, 0.5);
        t[k][i] = tt;
        x[k][i] = ha_t_uniform(&seed, -scale, scale);
        y[k][i] = ha_t_uniform(&seed, -scale, scale);
        z[k][i] = iter % 3 == 0 ? 0.0 : ha_t_uniform(&seed, -scale, scale);
        if (ha_t_rand(&seed) % 10 == 0) {
          x[k][i] = NAN;
        }
      }
      for (size_t i = 0; i + 1 < sizeof names[k]; i++) {
        names[k][i] = (char)(1 + ha_t_rand(&seed) % 255);
      }
      names[k][sizeof names[k] - 1] = '\0';
      ha_svg_track one = {names[k], NULL, iter % 5 == 0 ? NULL : t[k], x[k], y[k], z[k], n};
      tr[k] = one;
    }
    ha_svg_options o = ha_svg_options_default();
    o.show_side = iter % 4 != 1;
    o.width_px = ha_t_uniform(&seed, 0.0, 2000.0);
    o.tick_interval_s = iter % 2 ? 0.0 : ha_t_uniform(&seed, 0.001, 10.0);
    int rc = -2;
    char *doc = render(tr, nt, &o, &rc);
    CHECK(doc != NULL);
    if (!doc)
      return;
    const char *why = "";
    CHECK_MSG(rc == 0, "iteration %d: rc %d", iter, rc);
    CHECK_MSG(xml_ok(doc, &why), "iteration %d: %s", iter, why);
    CHECK_MSG(strstr(doc, "nan") == NULL && strstr(doc, "inf") == NULL, "iteration %d", iter);
    free(doc);
  }
}

/* A picture to look at: HA_SVG_EXAMPLE=/tmp/example.svg ./test_svg */
static void write_example(const char *path) {
  enum { N = 801 };
  static double t[N], x[N], y[N], z[N];
  for (size_t i = 0; i < N; i++) {
    double u = (double)i / (double)(N - 1);
    t[i] = 24.0 * u;
    x[i] = -2.0 + 5.0 * sin(HA_TAU * u);
    y[i] = 1.0 + 3.0 * sin(2.0 * HA_TAU * u);
    z[i] = 2.0 + 1.0 * sin(HA_TAU * u) * cos(HA_TAU * u);
  }
  ha_svg_track tr[3] = {
      circle_track(), helix_track(), {"figure eight & friends", NULL, t, x, y, z, N}};
  tr[1].color = NULL;
  double box[6] = {-8, 8, -6, 6, 0, 6};
  ha_svg_options o = ha_svg_options_default();
  o.title = "holoanim render: circle, helix, figure eight";
  o.box = box;
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "cannot write %s\n", path);
    return;
  }
  int rc = ha_svg_write(f, tr, 3, &o);
  fclose(f);
  printf("example written to %s (%d)\n", path, rc);
}

int main(void) {
  const char *example = getenv("HA_SVG_EXAMPLE");
  if (example && *example) {
    write_example(example);
  }
  RUN(test_circle);
  RUN(test_helix_and_legend);
  RUN(test_equal_scale);
  RUN(test_escaping);
  RUN(test_deterministic);
  RUN(test_nan_skipped);
  RUN(test_degenerate);
  RUN(test_tick_interval_option);
  RUN(test_bad_input);
  RUN(test_io_error);
  RUN(test_random);
  return test_done();
}
