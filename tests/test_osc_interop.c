/* OSC interoperability with an independent implementation (liblo), over real
 * UDP sockets on 127.0.0.1:
 *   - we encode and send, `oscdump` (liblo-tools) decodes and prints;
 *   - `oscsend` encodes and sends, we receive and decode;
 *   - when a python3 with the `liblo` module (python3-liblo) is available,
 *     blobs, time tags and bundles both ways through pyliblo.
 * Types covered: i f s b h t d S c m T F N I and bundles. liblo 0.31 has no
 * 'r' (RGBA) and no arrays, so those are covered by test_osc only.
 *
 * Exits 77 (skipped) only when oscdump or oscsend is not installed. Every
 * wait is bounded; child processes are always reaped. */
#include "holoanim/osc.h"

#include "test.h"
#include "test_net.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define WAIT_MS 5000

static char g_oscdump[512], g_oscsend[512], g_python[512];

/* ---- small process / socket helpers --------------------------------------- */

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* strlcpy-like: always NUL-terminates, truncates silently. */
static void copy_text(char *dst, size_t cap, const char *src) {
  size_t n = strlen(src);
  if (n >= cap) {
    n = cap - 1;
  }
  memcpy(dst, src, n);
  dst[n] = '\0';
}

static bool find_in_path(const char *name, char *out, size_t cap) {
  const char *path = getenv("PATH");
  if (path == NULL) {
    path = "/usr/local/bin:/usr/bin:/bin";
  }
  while (*path != '\0') {
    const char *colon = strchr(path, ':');
    size_t n = colon != NULL ? (size_t)(colon - path) : strlen(path);
    if (n > 0 && n + strlen(name) + 2 <= cap) {
      snprintf(out, cap, "%.*s/%s", (int)n, path, name);
      struct stat st;
      if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0) {
        return true;
      }
    }
    path += n;
    if (*path == ':') {
      path++;
    }
  }
  return false;
}

typedef struct child {
  pid_t pid;
  int fd; /* the child's stdout+stderr */
  char buf[16384];
  size_t len;
} child;

static bool child_start(child *c, char *const argv[]) {
  int p[2];
  memset(c, 0, sizeof *c);
  c->pid = -1;
  c->fd = -1;
  if (pipe(p) != 0) {
    return false;
  }
  fcntl(p[0], F_SETFD, FD_CLOEXEC);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], 1);
  posix_spawn_file_actions_adddup2(&fa, p[1], 2);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  pid_t pid;
  int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  if (rc != 0) {
    close(p[0]);
    return false;
  }
  c->pid = pid;
  c->fd = p[0];
  return true;
}

/* One line of the child's output (without '\n'): 1, 0 on timeout, -1 at EOF. */
static int child_line(child *c, char *line, size_t cap, int timeout_ms) {
  int64_t deadline = now_ms() + timeout_ms;
  for (;;) {
    char *nl = memchr(c->buf, '\n', c->len);
    if (nl != NULL) {
      size_t n = (size_t)(nl - c->buf);
      size_t k = n < cap - 1 ? n : cap - 1;
      memcpy(line, c->buf, k);
      line[k] = '\0';
      memmove(c->buf, nl + 1, c->len - n - 1);
      c->len -= n + 1;
      return 1;
    }
    int64_t left = deadline - now_ms();
    if (left <= 0) {
      return 0;
    }
    struct pollfd pfd = {c->fd, POLLIN, 0};
    int r = poll(&pfd, 1, (int)left);
    if (r < 0 && errno == EINTR) {
      continue;
    }
    if (r <= 0) {
      return 0;
    }
    if (c->len == sizeof c->buf) {
      c->len = 0; /* a runaway line: drop it */
    }
    ssize_t got = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
    if (got <= 0) {
      if (c->len > 0) {
        c->buf[c->len++] = '\n'; /* last unterminated line */
        continue;
      }
      return -1;
    }
    c->len += (size_t)got;
  }
}

/* Wait for exit; on timeout SIGKILL. Returns the exit status or -1. */
static int child_wait(child *c, int timeout_ms) {
  if (c->pid <= 0) {
    return -1;
  }
  int64_t deadline = now_ms() + timeout_ms;
  int status = 0;
  for (;;) {
    pid_t r = waitpid(c->pid, &status, WNOHANG);
    if (r == c->pid) {
      break;
    }
    if (r < 0 && errno != EINTR) {
      status = -1;
      break;
    }
    if (now_ms() > deadline) {
      kill(c->pid, SIGKILL);
      waitpid(c->pid, &status, 0);
      c->pid = -1;
      return -1;
    }
    sleep_ms(5);
  }
  c->pid = -1;
  return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void child_stop(child *c) {
  if (c->pid > 0) {
    kill(c->pid, SIGTERM);
    if (child_wait(c, 2000) < 0 && c->pid > 0) {
      kill(c->pid, SIGKILL);
      waitpid(c->pid, NULL, 0);
    }
  }
  if (c->fd >= 0) {
    close(c->fd);
    c->fd = -1;
  }
}

/* Run a command to completion, collecting its first output line. */
static int run(char *const argv[], char *first_line, size_t cap) {
  child c;
  if (!child_start(&c, argv)) {
    return -1;
  }
  char line[1024];
  if (first_line != NULL) {
    first_line[0] = '\0';
  }
  while (child_line(&c, line, sizeof line, WAIT_MS) == 1) {
    if (first_line != NULL && first_line[0] == '\0') {
      copy_text(first_line, cap, line);
    }
  }
  int st = child_wait(&c, WAIT_MS);
  close(c.fd);
  return st;
}

/* ---- we encode, oscdump decodes --------------------------------------------- */

/* oscdump prints "<sec>.<frac> /path types values"; drop the time tag. */
static const char *strip_timetag(const char *line) {
  const char *sp = strchr(line, ' ');
  if (sp != NULL && sp - line == 17 && line[8] == '.') {
    return sp + 1;
  }
  return line;
}

/* Next oscdump line that is not a readiness probe. */
static bool dump_line(child *c, char *line, size_t cap) {
  for (;;) {
    if (child_line(c, line, cap, WAIT_MS) != 1) {
      return false;
    }
    if (strstr(line, "/ready") == NULL) {
      return true;
    }
  }
}

/* Start oscdump on a free port and wait until it prints our probe. */
static bool start_oscdump(child *c, int sock, uint16_t *port_out) {
  for (int attempt = 0; attempt < 8; attempt++) {
    uint16_t port = 0;
    int probe = test_udp_open(0, &port); /* let the kernel pick a free port */
    if (probe < 0) {
      return false;
    }
    close(probe);
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%u", (unsigned)port);
    char *argv[] = {g_oscdump, "-L", portstr, NULL};
    if (!child_start(c, argv)) {
      return false;
    }
    uint8_t pkt[64];
    int n = ha_osc_encode_track_fff(pkt, sizeof pkt, "/ready/", (uint32_t)attempt, NULL, 0, 0, 0);
    int64_t deadline = now_ms() + 3000;
    while (now_ms() < deadline) {
      test_udp_send(sock, port, pkt, (size_t)n);
      char line[1024];
      int r = child_line(c, line, sizeof line, 100);
      if (r < 0) {
        break; /* oscdump exited: port taken meanwhile, try another */
      }
      if (r == 1 && strstr(line, "/ready") != NULL) {
        *port_out = port;
        return true;
      }
    }
    child_stop(c);
  }
  return false;
}

static void expect_dump(child *c, const char *what, const char *want) {
  char line[2048];
  if (!dump_line(c, line, sizeof line)) {
    HA_T_FAIL("%s: oscdump printed nothing within %d ms", what, WAIT_MS);
    return;
  }
  CHECK_MSG(strcmp(strip_timetag(line), want) == 0, "%s:\n  oscdump: %s\n  want:    %s", what,
            strip_timetag(line), want);
}

static void test_we_send_oscdump_decodes(void) {
  int sock = test_udp_open(0, NULL);
  CHECK(sock >= 0);
  if (sock < 0) {
    return;
  }
  child dump;
  uint16_t port = 0;
  if (!start_oscdump(&dump, sock, &port)) {
    HA_T_FAIL("could not start oscdump on a free port");
    close(sock);
    return;
  }
  printf("oscdump listening on %u\n", (unsigned)port);
  uint8_t buf[1024];
  int n;

  n = ha_osc_encode_fff(buf, sizeof buf, "/track/1/xyz", 1.0f, 2.0f, 0.5f);
  CHECK(test_udp_send(sock, port, buf, (size_t)n));
  expect_dump(&dump, "worked example", "/track/1/xyz fff 1.000000 2.000000 0.500000");

  n = ha_osc_encode_track_fff(buf, sizeof buf, "/track/", 123456, "/aed", -90.0f, 45.5f, 3.25f);
  CHECK(test_udp_send(sock, port, buf, (size_t)n));
  expect_dump(&dump, "track_fff", "/track/123456/aed fff -90.000000 45.500000 3.250000");

  static const uint8_t blob[5] = {0xde, 0xad, 0xbe, 0xef, 0x01};
  static const uint8_t midi[4] = {0x00, 0x90, 0x3c, 0x7f};
  ha_osc_writer w;
  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_message(&w, "/all/types", ",ifsbhtdScmTFNI");
  ha_osc_writer_add_int32(&w, -7);
  ha_osc_writer_add_float32(&w, 0.5f);
  ha_osc_writer_add_string(&w, "abcd");
  ha_osc_writer_add_blob(&w, blob, sizeof blob);
  ha_osc_writer_add_int64(&w, 123456789012LL);
  ha_osc_writer_add_timetag(&w, 0x0123456789abcdefULL);
  ha_osc_writer_add_double(&w, -2.5);
  ha_osc_writer_add_symbol(&w, "sym");
  ha_osc_writer_add_char(&w, 'x');
  ha_osc_writer_add_midi(&w, midi);
  ha_osc_writer_add_bool(&w, true);
  ha_osc_writer_add_bool(&w, false);
  ha_osc_writer_add_nil(&w);
  ha_osc_writer_add_infinitum(&w);
  ha_osc_writer_end_message(&w);
  n = ha_osc_writer_finish(&w);
  CHECK(n > 0 && test_udp_send(sock, port, buf, (size_t)n));
  expect_dump(&dump, "all types",
              "/all/types ifsbhtdScmTFNI -7 0.500000 \"abcd\" [5b 0xde 0xad 0xbe 0xef 0x1] "
              "123456789012 01234567.89abcdef -2.500000 'sym 'x' MIDI [0x00 0x90 0x3c 0x7f] "
              "#T #F Nil Infinitum");

  /* String padding edges: lengths 0, 3, 4, 7, 8. */
  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_message(&w, "/pad", ",sssss");
  ha_osc_writer_add_string(&w, "");
  ha_osc_writer_add_string(&w, "abc");
  ha_osc_writer_add_string(&w, "abcd");
  ha_osc_writer_add_string(&w, "abcdefg");
  ha_osc_writer_add_string(&w, "abcdefgh");
  ha_osc_writer_end_message(&w);
  n = ha_osc_writer_finish(&w);
  CHECK(n > 0 && test_udp_send(sock, port, buf, (size_t)n));
  expect_dump(&dump, "padding", "/pad sssss \"\" \"abc\" \"abcd\" \"abcdefg\" \"abcdefgh\"");

  /* No arguments. */
  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_message(&w, "/get", ",");
  ha_osc_writer_end_message(&w);
  n = ha_osc_writer_finish(&w);
  CHECK(n > 0 && test_udp_send(sock, port, buf, (size_t)n));
  expect_dump(&dump, "no arguments", "/get ");

  /* A bundle of three positions and a nested bundle. */
  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_bundle(&w, HA_OSC_TIMETAG_IMMEDIATE);
  for (uint32_t i = 1; i <= 3; i++) {
    ha_osc_writer_add_track_fff(&w, "/track/", i, "/xyz", (float)i, (float)i * 2.0f, -1.0f);
  }
  ha_osc_writer_begin_bundle(&w, HA_OSC_TIMETAG_IMMEDIATE);
  ha_osc_writer_begin_message(&w, "/track/4/name", ",s");
  ha_osc_writer_add_string(&w, "nested");
  ha_osc_writer_end_message(&w);
  ha_osc_writer_end_bundle(&w);
  ha_osc_writer_end_bundle(&w);
  n = ha_osc_writer_finish(&w);
  CHECK(n > 0 && test_udp_send(sock, port, buf, (size_t)n));
  expect_dump(&dump, "bundle 1", "/track/1/xyz fff 1.000000 2.000000 -1.000000");
  expect_dump(&dump, "bundle 2", "/track/2/xyz fff 2.000000 4.000000 -1.000000");
  expect_dump(&dump, "bundle 3", "/track/3/xyz fff 3.000000 6.000000 -1.000000");
  expect_dump(&dump, "nested bundle", "/track/4/name s \"nested\"");

  child_stop(&dump);
  close(sock);
}

/* ---- oscsend encodes, we decode --------------------------------------------- */

/* Run oscsend to our socket and decode what arrives. */
static bool oscsend_recv(int sock, uint16_t port, char *const extra[], uint8_t *buf, size_t cap,
                         size_t *len, ha_osc_message *m, ha_osc_arg *args, size_t nargs) {
  char portstr[16];
  snprintf(portstr, sizeof portstr, "%u", (unsigned)port);
  char *argv[32] = {g_oscsend, "127.0.0.1", portstr};
  size_t k = 3;
  for (size_t i = 0; extra[i] != NULL && k < 31; i++) {
    argv[k++] = extra[i];
  }
  argv[k] = NULL;
  char out[512];
  int st = run(argv, out, sizeof out);
  if (st != 0) {
    HA_T_FAIL("oscsend %s exited with %d: %s", extra[0], st, out);
    return false;
  }
  ssize_t got = test_udp_recv(sock, buf, cap, WAIT_MS);
  if (got <= 0) {
    HA_T_FAIL("oscsend %s: nothing received within %d ms", extra[0], WAIT_MS);
    return false;
  }
  *len = (size_t)got;
  ha_error err;
  ha_error_clear(&err);
  ha_status s = ha_osc_decode_message(buf, *len, m, args, nargs, &err);
  if (s != HA_OK) {
    HA_T_FAIL("oscsend %s: decode failed: %s", extra[0], err.message);
    return false;
  }
  return true;
}

static void test_oscsend_we_decode(void) {
  uint16_t port = 0;
  int sock = test_udp_open(0, &port);
  CHECK(sock >= 0);
  if (sock < 0) {
    return;
  }
  uint8_t buf[2048];
  size_t len;
  ha_osc_message m;
  ha_osc_arg a[16];

  char *fff[] = {"/track/7/xyz", "fff", "1.5", "-2", "0.25", NULL};
  if (oscsend_recv(sock, port, fff, buf, sizeof buf, &len, &m, a, 16)) {
    CHECK_STR(m.address, "/track/7/xyz");
    CHECK_STR(m.typetags, "fff");
    CHECK_NEAR(a[0].v.f, 1.5, 0);
    CHECK_NEAR(a[1].v.f, -2.0, 0);
    CHECK_NEAR(a[2].v.f, 0.25, 0);
    /* Byte-identical to our own encoding. */
    uint8_t ours[64];
    int n = ha_osc_encode_fff(ours, sizeof ours, "/track/7/xyz", 1.5f, -2.0f, 0.25f);
    CHECK_INT(n, len);
    CHECK(memcmp(ours, buf, len) == 0);
  }

  char *all[] = {"/all",        "ihdsScmTFNI", "-7", "123456789012", "-2.5",
                 "hello world", "sym",         "x",  "01903c7f",     NULL};
  if (oscsend_recv(sock, port, all, buf, sizeof buf, &len, &m, a, 16)) {
    CHECK_STR(m.typetags, "ihdsScmTFNI");
    CHECK_INT(a[0].v.i, -7);
    CHECK(a[1].v.h == 123456789012LL);
    CHECK_NEAR(a[2].v.d, -2.5, 0);
    CHECK_STR(a[3].v.s.ptr, "hello world");
    CHECK_STR(a[4].v.s.ptr, "sym");
    CHECK_INT(a[4].type, HA_OSC_SYMBOL);
    CHECK_INT(a[5].v.c, 'x');
    CHECK_INT(a[6].v.m[0], 0x01);
    CHECK_INT(a[6].v.m[1], 0x90);
    CHECK_INT(a[6].v.m[2], 0x3c);
    CHECK_INT(a[6].v.m[3], 0x7f);
    CHECK(a[7].type == HA_OSC_TRUE && a[7].v.tf);
    CHECK(a[8].type == HA_OSC_FALSE && !a[8].v.tf);
    CHECK_INT(a[9].type, HA_OSC_NIL);
    CHECK_INT(a[10].type, HA_OSC_INFINITUM);
  }

  char *get[] = {"/get", "s", "/track/3/xyz", NULL};
  if (oscsend_recv(sock, port, get, buf, sizeof buf, &len, &m, a, 16)) {
    CHECK_STR(m.address, "/get");
    CHECK_STR(a[0].v.s.ptr, "/track/3/xyz");
    CHECK(ha_osc_pattern_match("/{get,set}", m.address));
  }

  char *none[] = {"/adm/obj/1/xyz", NULL};
  if (oscsend_recv(sock, port, none, buf, sizeof buf, &len, &m, a, 16)) {
    CHECK_STR(m.address, "/adm/obj/1/xyz");
    CHECK_INT(m.arg_count, 0);
    uint32_t n;
    const char *rest;
    CHECK(ha_osc_parse_indexed(m.address, "/adm/obj/", &n, &rest) && n == 1);
  }

  char *pad[] = {"/p", "sssss", "", "abc", "abcd", "abcdefg", "abcdefgh", NULL};
  if (oscsend_recv(sock, port, pad, buf, sizeof buf, &len, &m, a, 16)) {
    static const char *want[] = {"", "abc", "abcd", "abcdefg", "abcdefgh"};
    for (size_t i = 0; i < 5; i++) {
      CHECK_STR(a[i].v.s.ptr, want[i]);
    }
  }
  close(sock);
}

/* ---- pyliblo: blobs, time tags, bundles, both ways ---------------------------- */

static const char *PY_SEND =
    "import liblo, sys\n"
    "a = liblo.Address('127.0.0.1', int(sys.argv[1]), liblo.UDP)\n"
    "b = liblo.Bundle(3908988800.5,\n"
    "    liblo.Message('/blob', ('b', [1, 2, 3, 4, 5])),\n"
    "    liblo.Message('/track/9/xyz', ('f', 1.5), ('f', -2.0), ('f', 0.25)),\n"
    "    liblo.Message('/t', ('t', 3908988800.25), ('h', -5), ('d', 0.1)))\n"
    "liblo.send(a, b)\n";

static const char *PY_RECV =
    "import liblo, sys, time\n"
    "s = liblo.Server()\n"
    "print(s.port, flush=True)\n"
    "want = int(sys.argv[1]); got = [0]\n"
    "def cb(path, args, types, src):\n"
    "    print(path, types, repr(args), flush=True); got[0] += 1\n"
    "s.add_method(None, None, cb)\n"
    "end = time.time() + 5\n"
    "while got[0] < want and time.time() < end:\n"
    "    s.recv(50)\n";

static void test_pyliblo(void) {
  if (g_python[0] == '\0') {
    printf("pyliblo part skipped: no python3 with the liblo module (python3-liblo)\n");
    return;
  }
  /* pyliblo sends a bundle: we decode it. */
  uint16_t port = 0;
  int sock = test_udp_open(0, &port);
  CHECK(sock >= 0);
  char portstr[16];
  snprintf(portstr, sizeof portstr, "%u", (unsigned)port);
  char *send_argv[] = {g_python, "-c", (char *)PY_SEND, portstr, NULL};
  char out[512];
  int st = run(send_argv, out, sizeof out);
  CHECK_MSG(st == 0, "python sender exited %d: %s", st, out);
  uint8_t buf[2048];
  ssize_t got = test_udp_recv(sock, buf, sizeof buf, WAIT_MS);
  CHECK_MSG(got > 0, "nothing received from pyliblo");
  if (got > 0) {
    ha_osc_packet pkt;
    ha_osc_arg a[8];
    ha_error err;
    ha_error_clear(&err);
    CHECK_OK(ha_osc_decode(buf, (size_t)got, &pkt, a, 8, &err));
    CHECK_OK(ha_osc_validate(buf, (size_t)got, &err));
    CHECK_INT(pkt.kind, HA_OSC_PACKET_BUNDLE);
    CHECK(pkt.bundle.timetag == ((uint64_t)3908988800u << 32 | 0x80000000u));
    const uint8_t *e;
    size_t elen;
    int count = 0;
    while (ha_osc_bundle_next(&pkt.bundle, &e, &elen)) {
      ha_osc_message m;
      CHECK_OK(ha_osc_decode_message(e, elen, &m, a, 8, &err));
      if (strcmp(m.address, "/blob") == 0) {
        CHECK_INT(a[0].type, HA_OSC_BLOB);
        CHECK_INT(a[0].v.b.size, 5);
        CHECK(a[0].v.b.ptr != NULL && memcmp(a[0].v.b.ptr, "\1\2\3\4\5", 5) == 0);
      } else if (strcmp(m.address, "/track/9/xyz") == 0) {
        CHECK_NEAR(a[0].v.f, 1.5, 0);
        CHECK_NEAR(a[1].v.f, -2.0, 0);
        CHECK_NEAR(a[2].v.f, 0.25, 0);
      } else {
        CHECK_STR(m.address, "/t");
        CHECK_STR(m.typetags, "thd");
        CHECK(a[0].v.t == ((uint64_t)3908988800u << 32 | 0x40000000u));
        CHECK(a[1].v.h == -5);
        CHECK_NEAR(a[2].v.d, 0.1, 0);
      }
      count++;
    }
    CHECK_INT(count, 3);
  }
  close(sock);

  /* We send a bundle with a blob and every liblo type: pyliblo decodes. */
  char *recv_argv[] = {g_python, "-c", (char *)PY_RECV, "3", NULL};
  child c;
  if (!child_start(&c, recv_argv)) {
    HA_T_FAIL("could not start %s", g_python);
    return;
  }
  char line[1024];
  if (child_line(&c, line, sizeof line, WAIT_MS) != 1) {
    HA_T_FAIL("pyliblo receiver did not report its port");
    child_stop(&c);
    return;
  }
  uint16_t rport = (uint16_t)strtoul(line, NULL, 10);
  sock = test_udp_open(0, NULL);
  ha_osc_writer w;
  ha_osc_writer_init(&w, buf, sizeof buf);
  ha_osc_writer_begin_bundle(&w, HA_OSC_TIMETAG_IMMEDIATE);
  ha_osc_writer_begin_message(&w, "/blob", ",b");
  ha_osc_writer_add_blob(&w, "\xde\xad\xbe\xef\x01", 5);
  ha_osc_writer_end_message(&w);
  ha_osc_writer_add_track_fff(&w, "/track/", 9, "/xyz", 1.5f, -2.0f, 0.25f);
  ha_osc_writer_begin_message(&w, "/t", ",thdsS");
  ha_osc_writer_add_timetag(&w, (uint64_t)3908988800u << 32 | 0x80000000u);
  ha_osc_writer_add_int64(&w, -5);
  ha_osc_writer_add_double(&w, 0.5);
  ha_osc_writer_add_string(&w, "str");
  ha_osc_writer_add_symbol(&w, "sym");
  ha_osc_writer_end_message(&w);
  ha_osc_writer_end_bundle(&w);
  int n = ha_osc_writer_finish(&w);
  CHECK(n > 0 && test_udp_send(sock, rport, buf, (size_t)n));
  static const char *want[] = {
      "/blob b [b'\\xde\\xad\\xbe\\xef\\x01']", /* pyliblo 0.10: blobs are bytes */
      "/track/9/xyz fff [1.5, -2.0, 0.25]",
      "/t thdsS [3908988800.5, -5, 0.5, 'str', 'sym']",
  };
  for (size_t i = 0; i < 3; i++) {
    if (child_line(&c, line, sizeof line, WAIT_MS) != 1) {
      HA_T_FAIL("pyliblo printed nothing for message %zu", i);
      break;
    }
    CHECK_MSG(strcmp(line, want[i]) == 0, "pyliblo: %s\n  want:   %s", line, want[i]);
  }
  child_wait(&c, WAIT_MS);
  child_stop(&c);
  close(sock);
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  bool have_dump = find_in_path("oscdump", g_oscdump, sizeof g_oscdump);
  bool have_send = find_in_path("oscsend", g_oscsend, sizeof g_oscsend);
  if (!have_dump || !have_send) {
    printf("SKIP: %s%s not found in PATH (install liblo-tools)\n", have_dump ? "" : "oscdump ",
           have_send ? "" : "oscsend");
    return 77;
  }
  /* A python3 that can import liblo: the first one in PATH, else the
   * system one (pyenv and venv interpreters often lack python3-liblo). */
  char cand[2][512] = {"", "/usr/bin/python3"};
  find_in_path("python3", cand[0], sizeof cand[0]);
  for (int i = 0; i < 2 && g_python[0] == '\0'; i++) {
    if (cand[i][0] == '\0' || access(cand[i], X_OK) != 0) {
      continue;
    }
    char *argv[] = {cand[i], "-c", "import liblo", NULL};
    if (run(argv, NULL, 0) == 0) {
      copy_text(g_python, sizeof g_python, cand[i]);
    }
  }
  printf("oscdump: %s\noscsend: %s\npython3 with liblo: %s\n", g_oscdump, g_oscsend,
         g_python[0] != '\0' ? g_python : "(none)");
  RUN(test_we_send_oscdump_decodes);
  RUN(test_oscsend_we_decode);
  RUN(test_pyliblo);
  return test_done();
}
