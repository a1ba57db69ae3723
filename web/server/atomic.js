'use strict';
// Files the server writes beside a show (its settings, its undo history, the
// last show opened): written whole or not at all. The text goes to a
// temporary file in the same folder, is flushed to the disk, then renamed
// over the old file, so a crash or a full disk leaves the old one intact.

const fs = require('node:fs');

/** Write `text` to `file` atomically (a temporary file, fsync, rename). */
function writeAtomic(file, text) {
  const tmp = `${file}.tmp-${process.pid}`;
  let fd = -1;
  try {
    fd = fs.openSync(tmp, 'w', 0o644);
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = -1;
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd >= 0) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

module.exports = { writeAtomic };
