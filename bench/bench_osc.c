/* OSC codec benchmark: ns/message and heap allocations/message for
 * `/track/N/xyz ,fff`, ours against liblo measured in the same run.
 *
 *   ours track_fff   ha_osc_encode_track_fff (formats N itself)
 *   ours fff         ha_osc_encode_fff with a preformatted address
 *   ours writer      the general writer (begin, 3 floats, end, finish)
 *   liblo            lo_message_new + 3x lo_message_add_float +
 *                    lo_message_serialise (into our buffer) + lo_message_free
 *   bundles of 128   ours writer + add_track_fff vs liblo lo_bundle_*
 *   decode           ha_osc_decode_message vs lo_message_deserialise
 *
 * Runs are interleaved (ours, liblo, ours, ...) and the median of REPEATS is
 * reported, because this kind of VM drifts by more than the differences we
 * measure. Allocations are counted by interposing malloc/calloc/realloc in
 * this executable (glibc's __libc_* do the work); not under sanitizers.
 *
 * liblo is used only when the build defines HA_HAVE_LIBLO and links liblo
 * (pkg-config liblo); otherwise only our figures are printed. */
#include "bench_util.h"
#include "holoanim/osc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(HA_HAVE_LIBLO) && defined(__has_include)
#if __has_include(<lo/lo.h>)
#include <lo/lo.h>
#define BENCH_LIBLO 1
#endif
#endif

/* ---- counting allocator ---------------------------------------------------- */

/* tests/test_alloc.h's counting family, switched on for the whole run
 * (single-threaded); only allocations are counted, not frees. */
#include "../tests/test_alloc.h"
#if defined(HA_T_COUNTING)
#define BENCH_COUNTING 1
#define BENCH_ALLOCS() ((unsigned long long)ha_t_allocs)
#else
#define BENCH_ALLOCS() 0ull
#endif

/* ---- harness --------------------------------------------------------------- */

#define TRACKS 128
#define MESSAGES 1000000
#define REPEATS 9

static volatile uint32_t g_sink;
static char g_paths[TRACKS][32];

typedef struct result {
  const char *name;
  double ns[REPEATS];
  double allocs; /* per message */
  int runs;
} result;

typedef void (*bench_fn)(int messages);

static void run_once(result *r, bench_fn fn, int messages) {
  unsigned long long a0 = BENCH_ALLOCS();
  double t0 = bench_now_ns();
  fn(messages);
  double t1 = bench_now_ns();
  r->ns[r->runs++] = (t1 - t0) / messages;
  r->allocs = (double)(BENCH_ALLOCS() - a0) / messages;
}

static double median(result *r) {
  double s[REPEATS];
  memcpy(s, r->ns, sizeof s);
  return bench_median(s, (size_t)r->runs);
}

static double minimum(result *r) {
  double m = r->ns[0];
  for (int i = 1; i < r->runs; i++) {
    m = r->ns[i] < m ? r->ns[i] : m;
  }
  return m;
}

static void print_result(result *r, double baseline) {
  double med = median(r);
  printf("  %-28s %8.1f ns/msg (min %7.1f)  %5.2f allocs/msg", r->name, med, minimum(r),
#ifdef BENCH_COUNTING
         r->allocs
#else
         -1.0
#endif
  );
  if (baseline > 0) {
    printf("  liblo/this = %5.1fx", baseline / med);
  }
  printf("\n");
}

/* ---- ours ------------------------------------------------------------------ */

static void bench_track_fff(int messages) {
  uint8_t buf[64];
  uint32_t acc = 0;
  for (int i = 0; i < messages; i++) {
    float v = (float)i;
    int n = ha_osc_encode_track_fff(buf, sizeof buf, "/track/", (uint32_t)(i % TRACKS) + 1u, "/xyz",
                                    v, v * 0.5f, -v);
    acc += (uint32_t)n + buf[n - 1];
  }
  g_sink += acc;
}

static void bench_fff(int messages) {
  uint8_t buf[64];
  uint32_t acc = 0;
  for (int i = 0; i < messages; i++) {
    float v = (float)i;
    int n = ha_osc_encode_fff(buf, sizeof buf, g_paths[i % TRACKS], v, v * 0.5f, -v);
    acc += (uint32_t)n + buf[n - 1];
  }
  g_sink += acc;
}

static void bench_writer(int messages) {
  uint8_t buf[64];
  uint32_t acc = 0;
  for (int i = 0; i < messages; i++) {
    float v = (float)i;
    ha_osc_writer w;
    ha_osc_writer_init(&w, buf, sizeof buf);
    ha_osc_writer_begin_message(&w, g_paths[i % TRACKS], ",fff");
    ha_osc_writer_add_float32(&w, v);
    ha_osc_writer_add_float32(&w, v * 0.5f);
    ha_osc_writer_add_float32(&w, -v);
    ha_osc_writer_end_message(&w);
    int n = ha_osc_writer_finish(&w);
    acc += (uint32_t)n + buf[n - 1];
  }
  g_sink += acc;
}

static void bench_bundle_ours(int messages) {
  static uint8_t buf[8192];
  uint32_t acc = 0;
  for (int i = 0; i < messages; i += TRACKS) {
    ha_osc_writer w;
    ha_osc_writer_init(&w, buf, sizeof buf);
    ha_osc_writer_begin_bundle(&w, HA_OSC_TIMETAG_IMMEDIATE);
    for (uint32_t t = 0; t < TRACKS; t++) {
      float v = (float)(i + (int)t);
      ha_osc_writer_add_track_fff(&w, "/track/", t + 1u, "/xyz", v, v * 0.5f, -v);
    }
    ha_osc_writer_end_bundle(&w);
    int n = ha_osc_writer_finish(&w);
    acc += (uint32_t)n + buf[n - 1];
  }
  g_sink += acc;
}

static uint8_t g_packet[64];
static size_t g_packet_len;

static void bench_decode_ours(int messages) {
  uint32_t acc = 0;
  for (int i = 0; i < messages; i++) {
    ha_osc_arg args[4];
    ha_osc_message m;
    if (ha_osc_decode_message(g_packet, g_packet_len, &m, args, 4, NULL) == HA_OK) {
      acc += (uint32_t)m.arg_count + (uint32_t)args[2].v.f;
    }
  }
  g_sink += acc;
}

/* ---- liblo ------------------------------------------------------------------ */

#ifdef BENCH_LIBLO
static void bench_liblo(int messages) {
  uint8_t buf[64];
  uint32_t acc = 0;
  for (int i = 0; i < messages; i++) {
    float v = (float)i;
    lo_message m = lo_message_new();
    lo_message_add_float(m, v);
    lo_message_add_float(m, v * 0.5f);
    lo_message_add_float(m, -v);
    size_t size = sizeof buf;
    lo_message_serialise(m, g_paths[i % TRACKS], buf, &size);
    lo_message_free(m);
    acc += (uint32_t)size + buf[size - 1];
  }
  g_sink += acc;
}

static void bench_bundle_liblo(int messages) {
  static uint8_t buf[8192];
  uint32_t acc = 0;
  for (int i = 0; i < messages; i += TRACKS) {
    lo_bundle b = lo_bundle_new(LO_TT_IMMEDIATE);
    for (int t = 0; t < TRACKS; t++) {
      float v = (float)(i + t);
      lo_message m = lo_message_new();
      lo_message_add_float(m, v);
      lo_message_add_float(m, v * 0.5f);
      lo_message_add_float(m, -v);
      lo_bundle_add_message(b, g_paths[t], m);
    }
    size_t size = sizeof buf;
    lo_bundle_serialise(b, buf, &size);
    lo_bundle_free_recursive(b);
    acc += (uint32_t)size + buf[size - 1];
  }
  g_sink += acc;
}

static void bench_decode_liblo(int messages) {
  uint32_t acc = 0;
  for (int i = 0; i < messages; i++) {
    int lo_result = 0;
    lo_message m = lo_message_deserialise(g_packet, g_packet_len, &lo_result);
    if (m != NULL) {
      lo_arg **argv = lo_message_get_argv(m);
      acc += (uint32_t)lo_message_get_argc(m) + (uint32_t)argv[2]->f;
      lo_message_free(m);
    }
  }
  g_sink += acc;
}
#endif

/* ---- main ------------------------------------------------------------------- */

typedef struct group {
  const char *title;
  bench_fn fns[4];
  const char *names[4];
  int count;
  int baseline; /* index of the liblo entry, -1 if none */
} group;

static void run_group(group *g) {
  result r[4];
  memset(r, 0, sizeof r);
  for (int k = 0; k < g->count; k++) {
    r[k].name = g->names[k];
    g->fns[k](MESSAGES / 10); /* warm up */
    r[k].runs = 0;
  }
  for (int rep = 0; rep < REPEATS; rep++) {
    for (int k = 0; k < g->count; k++) {
      run_once(&r[k], g->fns[k], MESSAGES);
    }
  }
  double base = g->baseline >= 0 ? median(&r[g->baseline]) : 0.0;
  printf("%s\n", g->title);
  for (int k = 0; k < g->count; k++) {
    print_result(&r[k], k == g->baseline ? 0.0 : base);
  }
}

int main(void) {
#ifdef BENCH_COUNTING
  alloc_counting(1);
#endif
  for (int t = 0; t < TRACKS; t++) {
    snprintf(g_paths[t], sizeof g_paths[t], "/track/%d/xyz", t + 1);
  }
  g_packet_len =
      (size_t)ha_osc_encode_fff(g_packet, sizeof g_packet, "/track/12/xyz", 1.0f, 2.0f, 0.5f);
  printf("bench_osc: %d messages x %d runs, median (and min) per message\n", MESSAGES, REPEATS);
#ifdef BENCH_COUNTING
  printf("allocations: counted by interposed malloc/calloc/realloc\n");
#else
  printf("allocations: not counted (sanitizer build or not glibc): shown as -1\n");
#endif

#ifdef BENCH_LIBLO
  {
    /* Same bytes as liblo for the same message. */
    uint8_t ours[64], theirs[64];
    int n = ha_osc_encode_track_fff(ours, sizeof ours, "/track/", 12, "/xyz", 1.0f, 2.0f, 0.5f);
    lo_message m = lo_message_new();
    lo_message_add_float(m, 1.0f);
    lo_message_add_float(m, 2.0f);
    lo_message_add_float(m, 0.5f);
    size_t size = sizeof theirs;
    lo_message_serialise(m, "/track/12/xyz", theirs, &size);
    lo_message_free(m);
    printf("identical bytes to liblo for /track/12/xyz: %s (%d vs %zu bytes)\n",
           n > 0 && (size_t)n == size && memcmp(ours, theirs, size) == 0 ? "yes" : "NO", n, size);
  }
  group enc = {"encode /track/N/xyz ,fff",
               {bench_track_fff, bench_fff, bench_writer, bench_liblo},
               {"ours encode_track_fff", "ours encode_fff", "ours writer", "liblo (baseline)"},
               4,
               3};
  group bun = {"bundle of 128 /track/N/xyz (per message)",
               {bench_bundle_ours, bench_bundle_liblo, NULL, NULL},
               {"ours writer+add_track_fff", "liblo bundle (baseline)", NULL, NULL},
               2,
               1};
  group dec = {"decode /track/12/xyz ,fff",
               {bench_decode_ours, bench_decode_liblo, NULL, NULL},
               {"ours decode_message", "liblo deserialise (baseline)", NULL, NULL},
               2,
               1};
#else
  printf("liblo: not linked (build with -DHA_HAVE_LIBLO and pkg-config liblo)\n");
  group enc = {"encode /track/N/xyz ,fff",
               {bench_track_fff, bench_fff, bench_writer, NULL},
               {"ours encode_track_fff", "ours encode_fff", "ours writer", NULL},
               3,
               -1};
  group bun = {"bundle of 128 /track/N/xyz (per message)",
               {bench_bundle_ours, NULL, NULL, NULL},
               {"ours writer+add_track_fff", NULL, NULL, NULL},
               1,
               -1};
  group dec = {"decode /track/12/xyz ,fff",
               {bench_decode_ours, NULL, NULL, NULL},
               {"ours decode_message", NULL, NULL, NULL},
               1,
               -1};
#endif
  run_group(&enc);
  run_group(&bun);
  run_group(&dec);
  printf("(sink %u)\n", (unsigned)g_sink);
  return 0;
}
