/* Tick timing: lateness p50/p99/max and drift of the player at 100 Hz with
 * 128 tracks streaming to a loopback receiver, beside a bare
 * clock_nanosleep(TIMER_ABSTIME) loop and a Node.js setInterval loop, all in
 * one run; idle and with the other core busy; optionally --realtime
 * (SCHED_FIFO + mlockall when permitted).
 *
 *   bench_timing [--seconds S] [--rate HZ] [--tracks N] [--realtime] [--no-node]
 *
 * Lateness = start of the work − its deadline. Drift = how far the last tick
 * is from where a perfect grid of periods would put it (absolute deadlines
 * keep it at ~0; a relative sleep or setInterval accumulates it). */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "holoanim.h"

typedef struct stats {
  double p50, p99, max, drift_ms;
  size_t n, late;
} stats;

static stats summarize(double *v, size_t n, double period, double drift) {
  stats s;
  memset(&s, 0, sizeof(s));
  s.n = n;
  if (n == 0) {
    return s;
  }
  for (size_t i = 0; i < n; i++) {
    s.late += v[i] > 0.5 * period;
  }
  qsort(v, n, sizeof(double), bench_cmp_double);
  s.p50 = v[n / 2] * 1e3;
  s.p99 = v[(size_t)((double)n * 0.99)] * 1e3;
  s.max = v[n - 1] * 1e3;
  s.drift_ms = drift * 1e3;
  return s;
}

static void print_row(const char *name, const stats *s) {
  printf(
      "  %-34s %7zu ticks  p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms  late %4zu  drift %+8.3f ms\n",
      name, s->n, s->p50, s->p99, s->max, s->late, s->drift_ms);
}

static double mono(void) {
  return ha_monotonic_now();
}

/* The floor: nothing but the absolute-deadline sleep. */
static stats bare_loop(double seconds, double rate, int realtime) {
  if (realtime) {
    struct sched_param sp = {.sched_priority = 50};
    pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
  }
  size_t n = (size_t)(seconds * rate);
  double *late = calloc(n, sizeof(double));
  long period_ns = (long)(1e9 / rate);
  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  double first = 0, last = 0;
  for (size_t i = 0; i < n; i++) {
    next.tv_nsec += period_ns;
    while (next.tv_nsec >= 1000000000L) {
      next.tv_nsec -= 1000000000L;
      next.tv_sec++;
    }
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    double now = mono();
    late[i] = now - ((double)next.tv_sec + (double)next.tv_nsec * 1e-9);
    if (i == 0)
      first = now;
    last = now;
  }
  struct sched_param sp0 = {.sched_priority = 0};
  pthread_setschedparam(pthread_self(), SCHED_OTHER, &sp0);
  /* Deadline grid: the drift is the mean offset from it at the end minus the
   * start (lateness already measures the offset per tick). */
  double drift = (last - first) - (double)(n - 1) / rate;
  stats s = summarize(late, n, 1.0 / rate, drift);
  free(late);
  return s;
}

static stats player_loop(double seconds, double rate, size_t tracks, int realtime, uint16_t port,
                         int *rt_ok) {
  size_t n = (size_t)(seconds * rate);
  double *late = calloc(n + 16, sizeof(double));
  ha_player_config cfg = ha_player_config_default();
  cfg.tick_rate = rate;
  cfg.max_tracks = tracks;
  cfg.realtime = realtime != 0;
  cfg.lock_memory = realtime != 0;
  cfg.lateness_trace = late;
  cfg.lateness_trace_cap = n + 16;
  ha_player *p = NULL;
  ha_error err;
  if (ha_player_create(&cfg, &p, &err) != HA_OK) {
    fprintf(stderr, "player: %s\n", err.message);
    exit(1);
  }
  uint32_t *ids = calloc(tracks, sizeof(uint32_t));
  for (size_t i = 0; i < tracks; i++) {
    ids[i] = (uint32_t)(i + 1);
    ha_player_add_track(p, ids[i], ha_vec3_make((double)(i % 16), (double)(i / 16), 0), &err);
  }
  ha_output_config oc = ha_output_config_default();
  oc.host = "127.0.0.1";
  oc.port = port;
  oc.rate_hz = rate;
  ha_player_add_output(p, &oc, NULL, &err);
  bench_play_spread(p, "lissajous", ids, tracks);
  ha_player_start(p, &err);
  bench_sleep_s(seconds);
  ha_player_status st;
  ha_player_get_status(p, &st);
  *rt_ok = st.realtime_active;
  ha_player_shutdown(p);
  ha_player_get_status(p, &st);
  size_t got = st.ticks < n + 16 ? (size_t)st.ticks : n + 16;
  /* Drift of an absolute grid is its last lateness minus its first. */
  double drift = got > 1 ? late[got - 1] - late[0] : 0.0;
  stats s = summarize(late, got, 1.0 / rate, drift);
  ha_player_destroy(p);
  free(ids);
  free(late);
  return s;
}

/* Node's setInterval, the original animator's clock. */
static int node_loop(double seconds, double rate, stats *out) {
  char cmd[2048];
  snprintf(
      cmd, sizeof(cmd),
      "node -e '"
      "const period=%g, n=%d; const t0=process.hrtime.bigint(); let i=0; const late=[];"
      "const h=setInterval(()=>{ i++; const now=Number(process.hrtime.bigint()-t0)/1e6;"
      " late.push(now - i*period); if(i>=n){ clearInterval(h);"
      " const d=late.map(x=>x - (late[0] < 0 ? late[0] : 0)); const s=[...late].sort((a,b)=>a-b);"
      " const jit=[]; for(let k=1;k<late.length;k++) jit.push(Math.abs(late[k]-late[k-1]));"
      " jit.sort((a,b)=>a-b);"
      " console.log(n, s[n>>1], s[Math.floor(n*0.99)], s[n-1], late[n-1]-late[0],"
      " jit[Math.floor(jit.length*0.99)]); } }, period);' 2>/dev/null",
      1000.0 / rate, (int)(seconds * rate));
  FILE *f = popen(cmd, "r");
  if (f == NULL) {
    return -1;
  }
  double n = 0, p50 = 0, p99 = 0, mx = 0, drift = 0, jit = 0;
  int k = fscanf(f, "%lf %lf %lf %lf %lf %lf", &n, &p50, &p99, &mx, &drift, &jit);
  int rc = pclose(f);
  if (k != 6 || rc != 0) {
    return -1;
  }
  memset(out, 0, sizeof(*out));
  out->n = (size_t)n;
  out->p50 = p50; /* lateness relative to the ideal grid: includes drift */
  out->p99 = p99;
  out->max = mx;
  out->drift_ms = drift;
  out->late = out->n; /* every callback runs after its grid point (see drift) */
  printf("  (node tick-to-tick jitter p99 %.3f ms)\n", jit);
  return 0;
}

static atomic_int busy_stop;
static void *busy(void *arg) {
  (void)arg;
  volatile double x = 1.0;
  while (!atomic_load(&busy_stop)) {
    for (int i = 0; i < 100000; i++)
      x = x * 1.0000001 + 1e-9;
  }
  return NULL;
}

static int sink_fd;
static atomic_int sink_stop;
static void *sink(void *arg) {
  (void)arg;
  while (!atomic_load(&sink_stop)) {
    (void)bench_udp_drain(sink_fd, 100); /* the only drain in this bench */
  }
  return NULL;
}

int main(int argc, char **argv) {
  double seconds = 60, rate = 100;
  size_t tracks = 128;
  int realtime = 0, with_node = 1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
      seconds = atof(argv[++i]);
    else if (strcmp(argv[i], "--rate") == 0 && i + 1 < argc)
      rate = atof(argv[++i]);
    else if (strcmp(argv[i], "--tracks") == 0 && i + 1 < argc)
      tracks = (size_t)atol(argv[++i]);
    else if (strcmp(argv[i], "--realtime") == 0)
      realtime = 1;
    else if (strcmp(argv[i], "--no-node") == 0)
      with_node = 0;
    else {
      fprintf(stderr,
              "usage: bench_timing [--seconds S] [--rate HZ] [--tracks N] [--realtime] "
              "[--no-node]\n");
      return 2;
    }
  }
  uint16_t sink_port = 0;
  sink_fd = bench_udp_sink(0, &sink_port);
  pthread_t sink_th;
  pthread_create(&sink_th, NULL, sink, NULL);
  printf(
      "tick timing: %.0f Hz, %zu tracks (lissajous, relative, to a loopback receiver), %.0f s "
      "per case, %ld cores\n",
      rate, tracks, seconds, sysconf(_SC_NPROCESSORS_ONLN));
  for (int loaded = 0; loaded <= 1; loaded++) {
    pthread_t th;
    if (loaded) {
      atomic_store(&busy_stop, 0);
      pthread_create(&th, NULL, busy, NULL);
    }
    printf("%s:\n", loaded ? "other core busy (a spinning thread)" : "idle");
    stats b = bare_loop(seconds, rate, 0);
    print_row("bare clock_nanosleep loop", &b);
    int rt = 0;
    stats p = player_loop(seconds, rate, tracks, 0, sink_port, &rt);
    print_row("holoanim player", &p);
    printf("  p99 difference player - bare: %+.3f ms (target within 0.1 ms)\n", p.p99 - b.p99);
    if (realtime) {
      stats br = bare_loop(seconds, rate, 1);
      print_row("bare loop, SCHED_FIFO", &br);
      stats pr = player_loop(seconds, rate, tracks, 1, sink_port, &rt);
      print_row(rt ? "player --realtime (SCHED_FIFO)" : "player --realtime (refused: no privilege)",
                &pr);
    }
    if (with_node) {
      stats nd;
      if (node_loop(seconds, rate, &nd) == 0) {
        print_row("node setInterval (vs ideal grid)", &nd);
      } else {
        printf("  node setInterval: node not available\n");
      }
    }
    if (loaded) {
      atomic_store(&busy_stop, 1);
      pthread_join(th, NULL);
    }
  }
  atomic_store(&sink_stop, 1);
  pthread_join(sink_th, NULL);
  close(sink_fd);
  return 0;
}
