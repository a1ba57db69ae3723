/* Show files: atomic saves. A child saves two versions of a large show in a
 * loop while the parent SIGKILLs it at random moments; every time the file
 * must parse and be exactly one of the two versions. Also: the .bak of the
 * previous version, the file mode kept, errors naming the step. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "holoanim.h"
#include "holoanim/show.h"
#include "test.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    return NULL;
  }
  size_t cap = 1 << 16, n = 0;
  char *b = malloc(cap);
  size_t r;
  while (b != NULL && (r = fread(b + n, 1, cap - n - 1, f)) > 0) {
    n += r;
    if (n + 1 >= cap) {
      cap *= 2;
      b = realloc(b, cap);
    }
  }
  fclose(f);
  if (b != NULL) {
    b[n] = '\0';
  }
  return b;
}

/* A show with `tracks` tracks and `anims` animations; `tag` makes versions
 * differ everywhere (names, positions, parameters). */
static ha_show *big_show(int tag, int tracks, int anims) {
  size_t cap = (size_t)(tracks + anims) * 256 + 1024, n = 0;
  char *t = malloc(cap);
  n += (size_t)snprintf(t + n, cap - n, "{\"format\": 1, \"name\": \"version %d\", \"tracks\": [",
                        tag);
  for (int i = 0; i < tracks; i++) {
    n += (size_t)snprintf(t + n, cap - n,
                          "%s{\"id\": %d, \"name\": \"track %d of v%d\", \"position\": [%d.%d, %d, "
                          "1.5]}",
                          i ? "," : "", i + 1, i + 1, tag, i % 17, tag, tag);
  }
  n += (size_t)snprintf(t + n, cap - n, "], \"animations\": [");
  for (int i = 0; i < anims; i++) {
    n += (size_t)snprintf(t + n, cap - n,
                          "%s{\"name\": \"anim %d\", \"model\": \"circular\", \"duration\": %d, "
                          "\"parameters\": {\"radius\": %d.25, \"center\": [0, %d, 0]}}",
                          i ? "," : "", i, 5 + tag, 1 + i % 7, tag);
  }
  snprintf(t + n, cap - n, "]}");
  ha_show *s = NULL;
  ha_status st = ha_show_load_string(t, strlen(t), "big", &s, NULL);
  CHECK_INT(st, HA_OK);
  free(t);
  return s;
}

static char *canonical(const ha_show *s) {
  char *t = NULL;
  CHECK_OK(ha_show_save_string(s, &t, NULL));
  return t;
}

static char tmpdir[256];

static void make_tmpdir(void) {
  const char *base = getenv("TMPDIR");
  snprintf(tmpdir, sizeof(tmpdir), "%s/ha_show_save_XXXXXX", base ? base : "/tmp");
  CHECK(mkdtemp(tmpdir) != NULL);
}

static void rm_rf_tmpdir(void) {
  char cmd[400];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) {
    fprintf(stderr, "could not remove %s\n", tmpdir);
  }
}

static void test_kill_during_save(void) {
  make_tmpdir();
  ha_show *a = big_show(1, 400, 200), *b = big_show(2, 400, 200);
  if (a == NULL || b == NULL) {
    return;
  }
  char *ta = canonical(a), *tb = canonical(b);
  CHECK(strcmp(ta, tb) != 0);
  char path[320], bak[330];
  snprintf(path, sizeof(path), "%s/show.json", tmpdir);
  snprintf(bak, sizeof(bak), "%s.bak", path);
  CHECK_OK(ha_show_save_file(a, path, NULL));
  /* How long one save takes, to aim the kills inside saves. */
  double t0 = now_s();
  for (int i = 0; i < 5; i++) {
    CHECK_OK(ha_show_save_file(i % 2 ? a : b, path, NULL));
  }
  double per_save = (now_s() - t0) / 5.0;
  const char *env = getenv("HA_TEST_SEED");
  uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
  printf("kill test: seed %llu, one save %.3f ms, text %zu bytes\n", (unsigned long long)seed,
         per_save * 1e3, strlen(ta));
  int rounds = 200, saw_a = 0, saw_b = 0, bad = 0;
  for (int r = 0; r < rounds && !bad; r++) {
    pid_t pid = fork();
    if (pid == 0) {
      for (unsigned i = 0;; i++) {
        ha_show_save_file(i % 2 ? a : b, path, NULL);
      }
    }
    CHECK(pid > 0);
    /* Sleep between 0 and 3 saves' worth: kills land anywhere in a save. */
    double wait = ha_t_uniform(&seed, 0.0, 3.0 * per_save + 50e-6);
    struct timespec ts = {0, (long)(wait * 1e9)};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    char *got = read_all(path);
    if (got == NULL) {
      HA_T_FAIL("round %d: %s is missing (%s)", r, path, strerror(errno));
      bad = 1;
      continue;
    }
    int is_a = strcmp(got, ta) == 0, is_b = strcmp(got, tb) == 0;
    saw_a += is_a;
    saw_b += is_b;
    if (!is_a && !is_b) {
      HA_T_FAIL("round %d: the file is neither version (%zu bytes)", r, strlen(got));
      bad = 1;
    }
    ha_show *s = NULL;
    CHECK_INT(ha_show_load_string(got, strlen(got), path, &s, NULL), HA_OK);
    ha_show_destroy(s);
    free(got);
    char *bk = read_all(bak);
    if (bk != NULL) {
      CHECK_MSG(strcmp(bk, ta) == 0 || strcmp(bk, tb) == 0,
                "round %d: the backup is neither version", r);
      free(bk);
    }
  }
  printf("kill test: %d rounds, file was version A %d times, B %d times\n", rounds, saw_a, saw_b);
  CHECK(saw_a + saw_b == rounds);
  free(ta);
  free(tb);
  ha_show_destroy(a);
  ha_show_destroy(b);
  rm_rf_tmpdir();
}

static void test_backup(void) {
  make_tmpdir();
  ha_show *a = big_show(1, 3, 1), *b = big_show(2, 3, 1), *c = big_show(3, 3, 1);
  char *ta = canonical(a), *tb = canonical(b), *tc = canonical(c);
  char path[320], bak[330];
  snprintf(path, sizeof(path), "%s/s.json", tmpdir);
  snprintf(bak, sizeof(bak), "%s.bak", path);
  CHECK_OK(ha_show_save_file(a, path, NULL));
  CHECK(access(bak, F_OK) != 0); /* nothing to back up the first time */
  char *got = read_all(path);
  CHECK(got != NULL && strcmp(got, ta) == 0);
  free(got);
  CHECK(chmod(path, 0640) == 0);
  CHECK_OK(ha_show_save_file(b, path, NULL));
  got = read_all(path);
  char *bk = read_all(bak);
  CHECK(got != NULL && strcmp(got, tb) == 0);
  CHECK(bk != NULL && strcmp(bk, ta) == 0);
  free(got);
  free(bk);
  struct stat st;
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
  CHECK_OK(ha_show_save_file(c, path, NULL));
  bk = read_all(bak);
  CHECK(bk != NULL && strcmp(bk, tb) == 0);
  free(bk);
  /* Only the file and its backup remain: no temporary files. */
  char cmd[400];
  snprintf(cmd, sizeof(cmd), "test $(ls -A '%s' | wc -l) -eq 2", tmpdir);
  CHECK(system(cmd) == 0);
  /* The saved file loads back to the same text. */
  ha_show *r = NULL;
  CHECK_OK(ha_show_load_file(path, &r, NULL));
  char *tr = r ? canonical(r) : NULL;
  CHECK(tr != NULL && strcmp(tr, tc) == 0);
  free(tr);
  ha_show_destroy(r);
  free(ta);
  free(tb);
  free(tc);
  ha_show_destroy(a);
  ha_show_destroy(b);
  ha_show_destroy(c);
  rm_rf_tmpdir();
}

/* A file in tmpdir with mtime `age` seconds ago (age < 0: a directory). */
static void make_aged(const char *name, int age) {
  char p[400];
  snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
  if (age < 0) {
    CHECK(mkdir(p, 0700) == 0);
    age = -age;
  } else {
    FILE *f = fopen(p, "w");
    CHECK(f != NULL);
    if (f != NULL) {
      fputs("partial", f);
      fclose(f);
    }
  }
  struct timespec ts[2] = {{time(NULL) - age, 0}, {time(NULL) - age, 0}};
  CHECK(utimensat(AT_FDCWD, p, ts, 0) == 0);
}

static int exists_in_tmpdir(const char *name) {
  char p[400];
  snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
  struct stat st;
  return lstat(p, &st) == 0;
}

/* Strays of a killed save (".s.json.tmp.XXXXXX", its ".bak") older than an
 * hour go at the next save of s.json; fresh ones (a concurrent save) and
 * every other name stay. */
static void test_stale_temps(void) {
  make_tmpdir();
  static const char *const stale[] = {".s.json.tmp.AbC123", ".s.json.tmp.zZ9x0q.bak"};
  static const char *const kept[] = {
      ".s.json.tmp.Fresh1",     /* written a minute ago */
      ".s.json.tmp.AbC12",      /* 5 letters: not mkstemp's */
      ".s.json.tmp.AbC1234",    /* 7 */
      ".s.json.tmp.AbC123.old", /* another suffix */
      "s.json.tmp.AbC123",      /* no leading dot */
      ".t.json.tmp.AbC123",     /* another target */
      ".s.json.tmp.Dir123",     /* a directory */
      "notes.txt",
  };
  for (size_t i = 0; i < sizeof(stale) / sizeof(stale[0]); i++) {
    make_aged(stale[i], 7200);
  }
  make_aged(kept[0], 60);
  for (size_t i = 1; i < sizeof(kept) / sizeof(kept[0]); i++) {
    make_aged(kept[i], i == 6 ? -7200 : 7200);
  }
  ha_show *s = big_show(1, 2, 1);
  char path[320];
  snprintf(path, sizeof(path), "%s/s.json", tmpdir);
  CHECK_OK(ha_show_save_file(s, path, NULL));
  for (size_t i = 0; i < sizeof(stale) / sizeof(stale[0]); i++) {
    CHECK_MSG(!exists_in_tmpdir(stale[i]), "stale %s was kept", stale[i]);
  }
  for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
    CHECK_MSG(exists_in_tmpdir(kept[i]), "%s was removed", kept[i]);
  }
  CHECK(exists_in_tmpdir("s.json"));
  ha_show_destroy(s);
  rm_rf_tmpdir();
}

static void test_save_errors(void) {
  ha_show *s = NULL;
  CHECK_OK(ha_show_create(&s));
  ha_error err;
  ha_error_clear(&err);
  CHECK_INT(ha_show_save_file(s, "/nonexistent-dir/x.json", &err), HA_EIO);
  CHECK_STR(err.message,
            "/nonexistent-dir/x.json: create temporary file: No such file or directory");
  CHECK_INT(ha_show_save_file(s, "", &err), HA_EINVAL);
  CHECK_INT(ha_show_save_file(s, NULL, NULL), HA_EINVAL);
  char *t = NULL;
  CHECK_INT(ha_show_save_string(NULL, &t, NULL), HA_EINVAL);
  size_t len = 0;
  CHECK_OK(ha_show_save_string(s, &t, &len));
  CHECK_INT(len, strlen(t));
  free(t);
  ha_show_destroy(s);
}

int main(void) {
  RUN(test_backup);
  RUN(test_save_errors);
  RUN(test_stale_temps);
  RUN(test_kill_during_save);
  return test_done();
}
