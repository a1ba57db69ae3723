'use strict';
// The server's atomic write: the new text replaces the old whole; when the
// rename cannot happen the old file is untouched and no temporary is left.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { writeAtomic } = require('../server/atomic');

test('writeAtomic replaces a file whole, and a failed write leaves the folder as it was', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-atomic-'));
  try {
    const file = path.join(dir, 'settings.json');
    writeAtomic(file, 'first\n');
    writeAtomic(file, 'second\n');
    assert.equal(fs.readFileSync(file, 'utf8'), 'second\n');
    assert.deepEqual(fs.readdirSync(dir), ['settings.json'], 'no temporary file left');
    // a directory where the file should go: the rename fails
    const blocked = path.join(dir, 'blocked');
    fs.mkdirSync(blocked);
    fs.writeFileSync(path.join(blocked, 'inside'), 'x');
    assert.throws(() => writeAtomic(blocked, 'text'), /EISDIR|ENOTEMPTY|EEXIST/);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['blocked', 'settings.json'], 'the failed write left no temporary file');
    assert.equal(fs.readFileSync(path.join(blocked, 'inside'), 'utf8'), 'x');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
