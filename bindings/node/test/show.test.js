'use strict';
// Show documents through the addon: load with diagnostics, validated edits,
// undo/redo, canonical text, atomic save with .bak, .hpx import, and the
// player's replaceShow / replaceAnimation used by the web server.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('..');
const { ROOT, waitFor } = require('./helpers');

const QUARTET = path.join(ROOT, 'examples', 'orbiting-quartet.json');

test('Show: load, read, edit, undo, redo, version', () => {
  const s = h.Show.fromFile(QUARTET);
  assert.equal(s.name, 'Orbiting quartet');
  assert.equal(s.version, 1);
  assert.equal(s.canUndo, false);
  assert.equal(s.get('/tracks').length, 4);
  assert.equal(s.edit('replace', '/animations/0/parameters/radius', 5), 2);
  assert.equal(s.get('/animations/0/parameters/radius'), 5);
  s.patch([
    { op: 'add', path: '/tracks/-', value: { id: 9, name: 'Nine', position: [1, 2, 3] } },
    { op: 'replace', path: '/name', value: 'Edited' },
  ]);
  assert.equal(s.get('/tracks/4/id'), 9);
  assert.equal(s.name, 'Edited');
  s.undo();
  assert.equal(s.get('/tracks').length, 4, 'a patch is one undo step');
  assert.equal(s.name, 'Orbiting quartet');
  assert.equal(s.canRedo, true);
  s.redo();
  assert.equal(s.get('/tracks').length, 5);
  assert.equal(s.version, 5);
  assert.deepEqual(s.toJSON(), JSON.parse(s.toString()));
});

test('Show: an invalid edit changes nothing and names the problem', () => {
  const s = h.Show.fromFile(QUARTET);
  assert.throws(() => s.edit('replace', '/animations/0/parameters/radius', -1), (e) => {
    assert.ok(e instanceof h.HoloanimError);
    assert.equal(e.code, 'EINVAL');
    assert.match(e.message, /animations\[0\]\.parameters\.radius: -1 is below the minimum 0/);
    assert.equal(e.diagnostics[0].path, 'animations[0].parameters.radius');
    return true;
  });
  assert.throws(() => s.edit('remove', '/tracks/1'), /no track with id 2/);
  assert.equal(s.version, 1);
  assert.equal(s.get('/animations/0/parameters/radius'), 4);
  assert.throws(() => s.undo(), (e) => e.code === 'ESTATE');
  assert.throws(() => s.get('/nope'), (e) => e.code === 'ENOTFOUND');
  assert.throws(() => s.patch('x'), TypeError);
});

test('Show: parse errors carry line:column; saves are atomic with .bak', () => {
  assert.throws(() => h.Show.parse('{"format": 1,\n "tracks": [{"id": 0}]}', 'bad.json'), (e) => {
    assert.equal(e.code, 'EPARSE');
    assert.equal(e.diagnostics[0].line, 2);
    assert.match(e.message, /^bad\.json:2:/);
    return true;
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-show-'));
  try {
    const file = path.join(dir, 'show.json');
    const s = h.Show.fromFile(QUARTET);
    s.save(file);
    const first = fs.readFileSync(file, 'utf8');
    assert.equal(first, s.toString());
    s.edit('replace', '/name', 'Second');
    s.save(file);
    assert.equal(fs.readFileSync(file + '.bak', 'utf8'), first);
    assert.equal(h.Show.fromFile(file).name, 'Second');
    assert.throws(() => s.save(path.join(dir, 'missing', 'x.json')), (e) => e.code === 'EIO');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Show: .hpx import from text', () => {
  const hpx = JSON.stringify({
    version: '2.3.0',
    name: 'Imported',
    tracks: [{ id: 't1', holophonixIndex: 3, name: 'Voice', position: { x: 1, y: 2, z: 0 } }],
    animations: [],
  });
  const s = h.Show.importHpx({ text: hpx, name: 'p.hpx' });
  assert.equal(s.get('/tracks/0/id'), 3);
  assert.ok(Array.isArray(s.warnings));
});

test('Show: .hpx import with autostart: every imported group starts on play', async (t) => {
  const file = path.join(ROOT, 'tests', 'conformance', 'hpx', 'v23-01-linear.hpx');
  const groups = (s) => s.get('/groups');
  const plain = h.Show.importHpx(file);
  assert.ok(groups(plain).length > 0);
  assert.ok(groups(plain).every((g) => g.autoStart === undefined), 'no autoStart without the option');
  const auto = h.Show.importHpx(file, { autostart: true });
  assert.ok(groups(auto).every((g) => g.autoStart === true));
  const fromText = h.Show.importHpx({ text: fs.readFileSync(file, 'utf8'), name: 'l.hpx' }, { autostart: true });
  assert.deepEqual(groups(fromText), groups(auto));
  assert.throws(() => h.Show.importHpx(file, { autostart: 'yes' }), TypeError);
  assert.throws(() => h.Show.importHpx(file, null), TypeError);
  // Played, the autostart import moves its tracks by itself.
  const p = new h.Player({ tickRate: 200 });
  t.after(() => p.close());
  p.loadShow(auto.toString());
  p.start();
  p.play();
  await waitFor(() => p.snapshot() !== null);
  const first = Array.from(p.snapshot().positions);
  await waitFor(() => {
    const now = p.snapshot().positions;
    return first.some((v, i) => Math.abs(now[i] - v) > 1e-3);
  });
});

test('Player: replaceShow swaps cues and groups; replaceAnimation drives a group tag', async (t) => {
  const s = h.Show.fromFile(QUARTET);
  const p = new h.Player({ tickRate: 200 });
  t.after(() => p.close());
  p.loadShow(s.toString());
  p.start();
  p.play();
  await waitFor(() => p.getStatus().time > 0.05);
  s.patch([{ op: 'add', path: '/cues/-', value: { number: 7, name: 'Seven', actions: [{ type: 'stop', group: 'quartet', fade: 0 }] } }]);
  assert.throws(() => p.goCue(7), (e) => e.code === 'ENOTFOUND');
  p.replaceShow(s);
  p.goCue(7);
  // group 0 (tag 0) switched to a bigger circle: the tracks leave radius 4
  p.replaceShow(s.toString());
  p.goCue(1);
  p.replaceAnimation(0, { model: 'circular', params: { center: [0, 0, 1.5], radius: 8 }, timing: { duration: 16 } });
  await waitFor(() => {
    const f = p.snapshot();
    return f && Math.hypot(f.positions[0], f.positions[1]) > 7.9;
  }, 3000);
  s.edit('add', '/tracks/-', { id: 12 });
  assert.throws(() => p.replaceShow(s), (e) => e.code === 'ESTATE');
});

test('Player: tickPriority puts the tick thread alone under SCHED_FIFO (when allowed)', async (t) => {
  const p = new h.Player({ tickRate: 200, tickPriority: 10 });
  t.after(() => p.close());
  p.addTrack(1);
  p.start();
  await waitFor(() => p.getStatus().ticks > 5);
  const got = p.getStatus().tickPriority;
  assert.ok(got === 0 || got === 10, `tickPriority ${got}`);
  if (got === 10 && fs.existsSync('/proc/self/task')) {
    // exactly one thread of this process runs SCHED_FIFO (policy 1): the tick
    const fifo = fs.readdirSync('/proc/self/task').filter((tid) => {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields[38] === '1'; // field 41: policy
    });
    assert.equal(fifo.length, 1, 'only the tick thread');
  }
  assert.throws(() => new h.Player({ tickPriority: 100 }), RangeError);
});

test('Show.fromFile: only regular files; {untrusted}: no symbolic link, no file bytes in errors', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-untrusted-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const secret = path.join(dir, 'secret.txt');
  fs.writeFileSync(secret, 'root:SECRETHASH:19000:0:99999:7:::\n');
  const link = path.join(dir, 'p.json');
  fs.symlinkSync('secret.txt', link);
  const message = (fn) => {
    try {
      fn();
    } catch (e) {
      return e.message + ' ' + JSON.stringify(e.diagnostics);
    }
    assert.fail('loaded');
  };
  const refused = message(() => h.Show.fromFile(link, { untrusted: true }));
  assert.match(refused, /p\.json: cannot read: a symbolic link, not followed here/);
  assert.doesNotMatch(refused, /root|SECRET/);
  // the same bytes named directly: position and reason only
  const parsed = message(() => h.Show.fromFile(secret, { untrusted: true }));
  assert.match(parsed, /secret\.txt:1:\d+: not valid JSON/);
  assert.doesNotMatch(parsed, /root|SECRET/);
  // a path the user gives is followed (jansson may quote the text)
  assert.match(message(() => h.Show.fromFile(link)), /p\.json:1:/);
  // a directory is refused, not read
  assert.match(message(() => h.Show.fromFile(dir)), /cannot read: a directory, not a regular file/);
});
