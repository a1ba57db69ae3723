/* Saving shows: canonical text, written atomically with a backup.
 *
 * Sequence for save(path):
 *   1. write the text to a new temporary file in the same directory
 *      (mkstemp, so the rename below stays within one filesystem), fsync it;
 *   2. if `path` exists, hard-link it to a temporary name and rename that
 *      over `path`.bak (so .bak switches atomically from the previous backup
 *      to the current file; where hard links are refused the old file is
 *      copied and fsynced instead);
 *   3. rename the temporary file over `path`; fsync the directory.
 * A kill at any point leaves `path` either complete-old or complete-new (the
 * rename is the commit point) and `path`.bak either the previous backup or
 * the previous file. A kill can leave a stray ".NAME.tmp.XXXXXX" (or
 * ".NAME.tmp.XXXXXX.bak") behind; it is never read, and the next successful
 * save of the same NAME removes the strays of that NAME (clean_stale_temps):
 * only regular files whose name is exactly that pattern (XXXXXX: six
 * letters or digits, as mkstemp makes them) and last written more than
 * HA__STALE_TEMP_SECONDS (1 hour) ago. A live writer writes, fsyncs and
 * renames its file within seconds, so an hour-old one has no writer; the
 * name holds no pid (mkstemp picks it), and a pid would not tell apart
 * writers on another machine sharing the folder. Rejected: removing every
 * match (a concurrent save's fresh file would vanish under it). Rejected: writing in place
 * (truncation window) and renaming the old file to .bak first (a window with no `path` at all). */
#include "show_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

ha_status ha_show_save_string(const ha_show *show, char **out, size_t *len) {
  if (show == NULL || out == NULL) {
    return HA_EINVAL;
  }
  return ha__show_dump(show->model->doc, out, len);
}

static int write_all(int fd, const char *buf, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, buf, n);
    if (w < 0) {
      if (errno == EINTR) {
        continue;
      }
      return -1;
    }
    buf += w;
    n -= (size_t)w;
  }
  return 0;
}

static ha_status io_error(ha_error *err, const char *path, const char *step, int e) {
  char what[320];
  snprintf(what, sizeof(what), "%.200s: %.100s", path, step);
  return ha__error_io(err, what, e);
}

/* Copy `src` to the new file `dst` (O_EXCL) and fsync it. */
static int copy_file(const char *src, const char *dst) {
  int in = open(src, O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    return -1;
  }
  int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0) {
    int e = errno;
    close(in);
    errno = e;
    return -1;
  }
  char buf[65536];
  int rc = 0;
  for (;;) {
    ssize_t r = read(in, buf, sizeof(buf));
    if (r < 0 && errno == EINTR) {
      continue;
    }
    if (r <= 0) {
      rc = r < 0 ? -1 : 0;
      break;
    }
    if (write_all(out, buf, (size_t)r) != 0) {
      rc = -1;
      break;
    }
  }
  int e = errno;
  if (rc == 0 && fsync(out) != 0) {
    rc = -1;
    e = errno;
  }
  close(in);
  if (close(out) != 0 && rc == 0) {
    rc = -1;
    e = errno;
  }
  errno = e;
  return rc;
}

#define HA__STALE_TEMP_SECONDS 3600

/* `name` is ".BASE.tmp.XXXXXX" or ".BASE.tmp.XXXXXX.bak". */
static int is_our_temp(const char *name, const char *base) {
  size_t bl = strlen(base);
  if (name[0] != '.' || strncmp(name + 1, base, bl) != 0 || strncmp(name + 1 + bl, ".tmp.", 5)) {
    return 0;
  }
  const char *x = name + 1 + bl + 5;
  for (int i = 0; i < 6; i++) {
    char c = x[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return 0;
    }
  }
  return x[6] == '\0' || strcmp(x + 6, ".bak") == 0;
}

/* Best effort: a stray that cannot be removed stays (the save succeeded). */
static void clean_stale_temps(const char *dir, const char *base) {
  DIR *d = opendir(dir);
  if (d == NULL) {
    return;
  }
  time_t now = time(NULL);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    struct stat st;
    if (is_our_temp(e->d_name, base) &&
        fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
        st.st_mtime < now - HA__STALE_TEMP_SECONDS) {
      (void)unlinkat(dirfd(d), e->d_name, 0);
    }
  }
  closedir(d);
}

ha_status ha_show_save_file(const ha_show *show, const char *path, ha_error *err) {
  if (show == NULL || path == NULL || path[0] == '\0') {
    return ha__error_invalid(err, HA_CATEGORY_IO, "path", "", "a file name is needed");
  }
  char *text = NULL;
  size_t len = 0;
  ha_status st = ha__show_dump(show->model->doc, &text, &len);
  if (st != HA_OK) {
    return st;
  }
  size_t plen = strlen(path);
  char *dcopy = strdup(path), *bcopy = strdup(path);
  char *tmp = malloc(plen + 32), *baktmp = malloc(plen + 40), *bak = malloc(plen + 8);
  if (dcopy == NULL || bcopy == NULL || tmp == NULL || baktmp == NULL || bak == NULL) {
    st = HA_ENOMEM;
    goto done;
  }
  const char *dir = dirname(dcopy), *base = basename(bcopy);
  snprintf(tmp, plen + 32, "%s/.%s.tmp.XXXXXX", dir, base);
  snprintf(bak, plen + 8, "%s.bak", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    st = io_error(err, path, "create temporary file", errno);
    goto done;
  }
  snprintf(baktmp, plen + 40, "%s.bak", tmp);
  struct stat old;
  int have_old = stat(path, &old) == 0 && S_ISREG(old.st_mode);
  /* mkstemp makes 0600: keep the old file's mode, else a plain 0644. */
  if (fchmod(fd, have_old ? (old.st_mode & 07777) : 0644) != 0 || write_all(fd, text, len) != 0 ||
      fsync(fd) != 0) {
    st = io_error(err, path, "write temporary file", errno);
    close(fd);
    unlink(tmp);
    goto done;
  }
  if (close(fd) != 0) {
    st = io_error(err, path, "close temporary file", errno);
    unlink(tmp);
    goto done;
  }
  if (have_old) {
    if (link(path, baktmp) != 0) {
      int e = errno;
      if ((e != EPERM && e != EXDEV && e != ENOTSUP && e != EMLINK && e != ENOSYS) ||
          copy_file(path, baktmp) != 0) {
        st = io_error(err, bak, "make backup", errno);
        unlink(baktmp);
        unlink(tmp);
        goto done;
      }
    }
    if (rename(baktmp, bak) != 0) {
      st = io_error(err, bak, "make backup", errno);
      unlink(baktmp);
      unlink(tmp);
      goto done;
    }
  }
  if (rename(tmp, path) != 0) {
    st = io_error(err, path, "replace file", errno);
    unlink(tmp);
    goto done;
  }
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0 || fsync(dfd) != 0) {
    /* The file is in place; only its durability across a power cut is in
     * doubt. Report it all the same. */
    st = io_error(err, dir, "sync directory", errno);
  }
  if (dfd >= 0) {
    close(dfd);
  }
  clean_stale_temps(dir, base);
done:
  free(text);
  free(dcopy);
  free(bcopy);
  free(tmp);
  free(baktmp);
  free(bak);
  return st;
}
