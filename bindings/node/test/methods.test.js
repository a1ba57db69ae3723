'use strict';
// The checks and names the addon's class methods share (one trampoline per
// class) and the module functions' names: the errors a caller sees when a
// method meets the wrong object (where V8 lets the call reach the addon), a
// closed player, a started player, a stopped device, and the shape of the
// classes' properties.
const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('..');

// The native module index.js loaded (whichever build it found): the classes
// it wraps, to call them without new.
const binding = Object.values(require.cache).find((m) => m.filename.endsWith('.node')).exports;

// Run fn(player) with a new Player, closed afterwards whatever happens.
function withPlayer(fn) {
  const p = new h.Player();
  try {
    fn(p);
  } finally {
    p.close();
  }
}

test('classes refuse to be called without new', () => {
  for (const [cls, name] of [
    [binding.NativePlayer, 'Player'],
    [binding.NativeShow, 'Show'],
    [h.Motion, 'Motion'],
  ]) {
    assert.throws(() => cls('circular'), {
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_TYPE',
      message: `Class constructor ${name} cannot be invoked without 'new'`,
    });
  }
});

test('Player: a closed player refuses control, still reports its status', async () => {
  const p = new h.Player();
  p.addTrack(1);
  p.start();
  p.close();
  for (const call of [() => p.play(), () => p.seek(1), () => p.stopTrack(1), () => p.goto(1, [0, 0, 0]),
    () => p.startAnimation({ model: 'circular', tracks: [1] }), () => p.snapshot(), () => p.getMetrics()]) {
    assert.throws(call, { name: 'HoloanimError', code: 'ESTATE', message: 'the player is closed' });
  }
  assert.equal(p.getStatus().closed, true);
  p.close(); // idempotent
  await assert.rejects(p.updateState({ type: 'play' }), { code: 'ESTATE', message: 'player: the player is closed' });
});

test('Player: setup methods only before start(), named in the error', () => withPlayer((p) => {
  p.addTrack(1);
  p.start();
  const setup = { addTrack: () => p.addTrack(2), addOutput: () => p.addOutput({ port: 9 }), loadShow: () => p.loadShow('{}') };
  for (const [name, call] of Object.entries(setup)) {
    assert.throws(call, { code: 'ESTATE', message: `${name}: only before start()` });
  }
  assert.throws(() => p.start(), { code: 'ESTATE' });
}));

test('Player: positional methods keep their argument names and defaults', () => withPlayer((p) => {
  p.addTrack(1);
  p.addTrack(2);
  p.start();
  assert.throws(() => p.seek(), { name: 'TypeError', message: 'time must be a number' });
  assert.throws(() => p.setSpeed(), { name: 'TypeError', message: 'speed must be a number' });
  assert.throws(() => p.goCue(), { name: 'TypeError', message: 'cue must be a number' });
  assert.throws(() => p.stopAnimation(-1), { name: 'RangeError', message: /^tag must be a whole number in \[0, / });
  assert.throws(() => p.stopTrack(0), { name: 'RangeError', message: /^track must be a whole number in \[1, / });
  assert.throws(() => p.stopTrack(1, 'slow'), { name: 'TypeError', message: /^fade must be a number/ });
  assert.throws(() => p.goto(1, [0, 0, 0], 5), { name: 'TypeError', message: 'goto options must be an object' });
  assert.throws(() => p.startAnimation(5), { name: 'TypeError', message: 'startAnimation expects an options object' });
  assert.throws(() => p.goCue(1), { code: 'ESTATE', message: 'goCue: no show is loaded' });
  p.stop(); // the fade defaults to 0
  p.play();
  const tag = p.startAnimation({ model: 'circular', tracks: new Uint32Array([1, 2]) });
  assert.equal(typeof tag, 'number');
  p.replaceAnimation(tag, { model: 'circular', params: { radius: 2 } });
  p.stopAnimation(tag, 0.5);
  p.goto(1, [1, 2, 0], { duration: 0.5, easing: 'linear' });
  p.setBase(2, [0, 1, 0]);
  p.deviceEcho(2, [0, 1, 0]);
}));

test('Player: addOutput maps from an array or an object, with the original errors', () => withPlayer((p) => {
  p.addTrack(1);
  assert.equal(p.addOutput({ port: 9, map: [[1, 3]] }), 0);
  assert.equal(p.addOutput({ port: 9, map: { 1: 4 } }), 1);
  // [5][0] reads as undefined: the element's own error stands.
  assert.throws(() => p.addOutput({ port: 9, map: [5] }), {
    name: 'TypeError',
    message: 'map[0] must be a number, got undefined',
  });
  assert.throws(() => p.addOutput({ port: 9, map: [[0, 1]] }), { name: 'RangeError', message: /^map\[0\] must be/ });
  assert.throws(() => p.addOutput({ port: 9, map: { 1: 0 } }), { name: 'RangeError', message: /^map value must be/ });
  assert.throws(() => p.addOutput({ port: 9, map: 3 }), {
    name: 'TypeError',
    message: 'map must be [[track, index], ...] or {track: index}',
  });
}));

test('Show: undo/redo and edit/patch name the method in their errors', () => {
  const s = new h.Show();
  assert.throws(() => s.undo(), { name: 'HoloanimError', message: 'undo: nothing to undo' });
  assert.throws(() => s.redo(), { name: 'HoloanimError', message: 'redo: nothing to redo' });
  assert.throws(() => s.patch([{ op: 'replace', path: '/no/such', value: 1 }]), (e) =>
    e.name === 'HoloanimError' && Array.isArray(e.diagnostics));
});

test('devsim: a stopped device refuses queries, stop is idempotent', async () => {
  const d = h.startDevsim({ port: 0, tracks: 4 });
  assert.equal(d.getTrack(1).index, 1);
  d.setPosition(2, [1, 2, 3]);
  assert.deepEqual(d.getTrack(2).position, [1, 2, 3]);
  assert.equal(typeof d.stats().packets, 'number');
  d.stop();
  d.stop();
  for (const call of [() => d.getTrack(1), () => d.setPosition(1, [0, 0, 0]), () => d.stats()]) {
    assert.throws(call, { code: 'ESTATE', message: /^devsim: stopped: / });
  }
  assert.throws(() => d.getTrack.call({}), { name: 'TypeError', message: 'the receiver must be a Devsim' });
});

test('devsim: addPush sends every change there (IPv6 loopback), refuses a bad port and a stopped device', async () => {
  const dgram = require('node:dgram');
  const d = h.startDevsim({ port: 0, tracks: 4, bindHost: '::1' });
  const sock = dgram.createSocket('udp6');
  await new Promise((r) => sock.bind(0, '::1', r));
  const got = new Promise((r) => sock.once('message', (m, from) => r({ m, from })));
  d.addPush('::1', sock.address().port);
  d.setPosition(3, [1, 2, 0.5]);
  const { m, from } = await got;
  sock.close();
  assert.equal(m.toString('latin1', 0, 12), '/track/3/xyz');
  assert.deepEqual([m.readFloatBE(24), m.readFloatBE(28), m.readFloatBE(32)], [1, 2, 0.5]);
  assert.equal(from.port, d.port, 'from the device\'s own socket');
  assert.throws(() => d.addPush('::1', 0), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => d.addPush(1, 4000), { name: 'TypeError', message: 'host must be a string' });
  d.stop();
  assert.throws(() => d.addPush('::1', 4000), { code: 'ESTATE' });
});

test('Motion: accessors keep their attributes; module functions keep their names', () => {
  for (const [name, enumerable] of [['model', true], ['timing', true], ['params', true], ['pivot', false]]) {
    const d = Object.getOwnPropertyDescriptor(h.Motion.prototype, name);
    assert.equal(typeof d.get, 'function', name);
    assert.equal(d.set, undefined, name);
    assert.equal(d.enumerable, enumerable, name);
  }
  for (const name of ['velocity', 'update', 'getState', 'reset']) {
    assert.equal(typeof h.Motion.prototype[name], 'function', name);
  }
  const m = new h.Motion('circular', { radius: 2 });
  assert.equal(m.model, 'circular');
  assert.deepEqual(m.params, { radius: 2 });
  assert.equal(m.pivot.length, 3);
  assert.ok(h.listModels().models.length > 0);
  assert.throws(() => h.groupPositions({ motion: m, count: 2, tracks: [1, 2, 3] }, 0), {
    name: 'RangeError',
    message: 'group.count (2) differs from group.tracks.length (3)',
  });
  assert.throws(() => h.groupPositions({ motion: m, tracks: [1, 2], bases: [[0, 0, 0]] }, 0), {
    name: 'RangeError',
    message: 'group.bases has 1 points for 2 tracks',
  });
  assert.equal(h.groupPositions({ motion: m, count: 3 }, 1).length, 9);
  assert.equal(h.maintainFormation([0, 0, 0], [[1, 0, 0], [0, 1, 0]]).length, 6);
  assert.equal(h.interpolateTrajectory([[0, 0, 0], [1, 0, 0]], { samples: 5 }).length, 15);
});
