'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const dgram = require('node:dgram');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('..');
const { ROOT, sleep, waitFor, close, cliAvailable } = require('./helpers');

function xyzAt(frame, id) {
  const i = Array.from(frame.ids).indexOf(id);
  return [frame.positions[3 * i], frame.positions[3 * i + 1], frame.positions[3 * i + 2]];
}

test('Player: tracks, start, play/pause/seek/setSpeed, snapshot, status, metrics, close', async (t) => {
  const p = new h.Player({ tickRate: 200, maxTracks: 16 });
  t.after(() => p.close());
  p.addTrack(1, [1, 2, 3]);
  p.addTrack(2);
  assert.equal(p.snapshot(), null, 'nothing published before start');
  p.start();
  const s0 = await waitFor(() => p.snapshot());
  assert.deepEqual(Array.from(s0.ids), [1, 2]);
  assert.deepEqual(Array.from(s0.positions), [1, 2, 3, 0, 0, 0]);
  assert.deepEqual(Array.from(s0.status), [h.TrackStatus.IDLE, h.TrackStatus.IDLE]);
  assert.ok(s0.velocities instanceof Float64Array && s0.velocities.length === 6);
  p.play();
  await waitFor(() => p.getStatus().playing);
  p.setSpeed(2);
  await waitFor(() => p.getStatus().speed === 2);
  p.pause();
  p.seek(5);
  await waitFor(() => p.getStatus().time === 5 && !p.getStatus().playing);
  const st = p.getStatus();
  assert.equal(st.running, true);
  assert.ok(st.ticks > 0);
  const m = p.getMetrics();
  assert.ok(m.counters.ticks > 0);
  assert.ok(m.histograms.tick_duration.count > 0);
  assert.throws(() => p.addTrack(3), { name: 'HoloanimError', code: 'ESTATE' });
  assert.throws(() => p.start(), { code: 'ESTATE' });
  assert.throws(() => p.seek(NaN), RangeError);
  assert.throws(() => p.setSpeed(0), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE', message: 'speed must be in [0.001, 1000], got 0' });
  p.close();
  p.close();
  assert.equal(p.getStatus().closed, true);
  assert.throws(() => p.play(), { name: 'HoloanimError', code: 'ESTATE' });
  await assert.rejects(p.updateState({ type: 'play' }), { code: 'ESTATE' });
});

test('positions from on("positions") equal snapshot() and the motion itself', async (t) => {
  const p = new h.Player({ tickRate: 100 });
  t.after(() => p.close());
  p.addTrack(1);
  p.addTrack(2, [4, 4, 0]);
  const m = h.createMotion('lissajous', { amplitudeX: 3 }, { duration: 6 });
  const tag = p.startAnimation({ motion: m, tracks: [1] });
  assert.equal(typeof tag, 'number');
  const frames = [];
  const onFrame = (f) => frames.push(f);
  p.on('positions', onFrame, { rate: 50 });
  p.start();
  p.play();
  await waitFor(() => frames.length >= 10);
  // Playing: every frame matches the motion at the frame's transport time.
  for (const f of frames.slice(2)) {
    const want = h.calculatePositionSync(m, f.time);
    const got = xyzAt(f, 1);
    assert.ok(close(got[0], want.x, 1e-9) && close(got[1], want.y, 1e-9) && close(got[2], want.z, 1e-9), `t=${f.time}`);
    assert.deepEqual(xyzAt(f, 2), [4, 4, 0]);
    assert.equal(f.status[0], h.TrackStatus.ANIMATED);
  }
  // Paused: the stream and snapshot() show the same tick content.
  p.pause();
  await waitFor(() => !p.getStatus().playing);
  await sleep(60);
  const n = frames.length;
  await waitFor(() => frames.length >= n + 3);
  const last = frames[frames.length - 1];
  const snap = p.snapshot();
  assert.equal(snap.time, last.time);
  assert.deepEqual(Array.from(snap.positions), Array.from(last.positions));
  assert.deepEqual(Array.from(snap.ids), Array.from(last.ids));
  const st = p.streamStats();
  assert.ok(st.frames >= frames.length && st.pollerRunning && st.loopRef);
  p.off('positions', onFrame);
  assert.equal(p.streamStats().pollerRunning, false);
  assert.equal(p.streamStats().loopRef, false);
});

test('a slow consumer never stalls the tick: frames are skipped, ticks go on', async (t) => {
  const p = new h.Player({ tickRate: 200 });
  t.after(() => p.close());
  p.addTrack(1);
  p.startAnimation({ model: 'circular', tracks: [1] });
  let got = 0;
  let ticksWhileBlocked = 0;
  p.on('positions', () => {
    got++;
    if (got !== 2) return;
    // The listener holds the JS thread until the tick thread has run 50 more
    // ticks (a tick that waited for JS would never get there: the 60 s
    // deadline fails it). What is asserted is what happened, not how fast.
    const from = p.getStatus().ticks;
    const end = Date.now() + 60000;
    while (p.getStatus().ticks < from + 50 && Date.now() < end);
    ticksWhileBlocked = p.getStatus().ticks - from;
  }, { rate: 200 });
  p.start();
  p.play();
  await waitFor(() => got >= 4);
  assert.ok(ticksWhileBlocked >= 50, `only ${ticksWhileBlocked} ticks while the JS thread was held`);
  const ss = p.streamStats();
  assert.ok(ss.framesSkipped > 0, JSON.stringify(ss));
  assert.ok(got < ss.frames);
});

test('CLI eval gives the same positions as calculatePositionSync and evaluate', { skip: cliAvailable() ? false : 'build/holoanim not built (run scripts/setup.sh at the repo root)' }, () => {
  const cli = cliAvailable();
  const cases = [
    { model: 'circular', params: { radius: 3 }, times: [0, 0.5, 1.25, 7.5], argv: ['--param', 'radius=3'] },
    { model: 'lissajous', params: {}, times: [0.5, 1.25, 3], argv: [] },
    { model: 'spiral', params: { rotations: 2 }, timing: { duration: 4, loop: 'pingpong' }, times: [1, 5, 9.5], argv: ['--param', 'rotations=2', '--duration', '4', '--loop', 'pingpong'] },
    { model: 'random', params: { seed: 3 }, times: [0.5, 2], ctx: { track: 3, shift: 0.2 }, argv: ['--param', 'seed=3', '--track', '3', '--shift', '0.2'] },
    { model: 'pendulum', params: {}, times: [0.3, 2.2], argv: [] },
  ];
  for (const c of cases) {
    let out;
    try {
      out = execFileSync(cli, ['eval', '--model', c.model, ...c.argv, '--t', c.times.join(','), '--format', 'json'], { encoding: 'utf8' });
    } catch (e) {
      t.skip(`CLI eval failed: ${e.message}`);
      return;
    }
    const samples = JSON.parse(out).samples;
    const m = h.createMotion(c.model, c.params, c.timing);
    const batch = h.evaluate(m, c.times, c.ctx);
    samples.forEach((s, i) => {
      const p = h.calculatePositionSync(m, s.t, c.ctx);
      assert.deepEqual([p.x, p.y, p.z], [s.x, s.y, s.z], `${c.model} t=${s.t}`);
      // evaluate runs the SIMD kernels for closed-form models: within 1e-9 m, not bit for bit.
      const b = [batch[3 * i], batch[3 * i + 1], batch[3 * i + 2]];
      assert.ok(close(b[0], s.x) && close(b[1], s.y) && close(b[2], s.z), `${c.model} t=${s.t}: evaluate ${b} vs ${[s.x, s.y, s.z]}`);
    });
  }
});

test('streams to the device simulator (startDevsim), driven from JS', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-node-'));
  const record = path.join(dir, 'rec.csv');
  const sim = h.startDevsim({ port: 0, tracks: 8, record });
  t.after(() => {
    sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  assert.ok(sim.port > 0);
  const p = new h.Player({ tickRate: 100 });
  t.after(() => p.close());
  p.addTrack(1);
  p.addTrack(2, [2, -1, 1]);
  assert.equal(p.addOutput({ host: '127.0.0.1', port: sim.port, rate: 100, deadband: 0 }), 0);
  p.start();
  const tag = await p.updateState({ type: 'startAnimation', model: 'circular', params: { radius: 3 }, timing: { duration: 2 }, tracks: [1] });
  assert.ok(tag >= 0x10000000);
  await p.updateState({ type: 'play' });
  await waitFor(() => sim.getTrack(1).updates > 20);
  await p.updateState({ type: 'pause' }); // outputs flush once
  await waitFor(() => !p.getStatus().playing);
  await sleep(100);
  const snap = p.snapshot();
  const a = sim.getTrack(1).position;
  const want = xyzAt(snap, 1);
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(a[c] - want[c]) < 1e-5, `${a} vs ${want}`); // float32 on the wire
  assert.ok(close(Math.hypot(a[0], a[1]), 3, 1e-5));
  assert.deepEqual(sim.getTrack(2).position.map((v) => Math.round(v * 1e5) / 1e5), [2, -1, 1]);
  assert.equal(sim.stats().malformed, 0);
  assert.ok(p.getOutputStats()[0].messages > 20);
  p.close();
  sim.stop();
  const lines = fs.readFileSync(record, 'utf8').trim().split('\n');
  assert.ok(lines.length > 20, `${lines.length} recorded lines`);
  assert.throws(() => sim.getTrack(1), { code: 'ESTATE' });
});

test('streams OSC that a plain UDP socket decodes as /track/{n}/xyz ,fff', async (t) => {
  const sock = dgram.createSocket('udp4');
  await new Promise((r) => sock.bind(0, '127.0.0.1', r));
  t.after(() => sock.close());
  const seen = new Map();
  sock.on('message', (msg) => {
    const end = msg.indexOf(0);
    const address = msg.toString('latin1', 0, end);
    const tagsAt = (end + 4) & ~3;
    const tags = msg.toString('latin1', tagsAt, msg.indexOf(0, tagsAt));
    const argsAt = (tagsAt + tags.length + 4) & ~3;
    const m = /^\/track\/(\d+)\/xyz$/.exec(address);
    if (m && tags === ',fff') {
      seen.set(Number(m[1]), [0, 1, 2].map((k) => msg.readFloatBE(argsAt + 4 * k)));
    }
  });
  const p = new h.Player({ tickRate: 100 });
  t.after(() => p.close());
  p.addTrack(5, [1, 1, 1]);
  p.addOutput({ host: '127.0.0.1', port: sock.address().port, map: { 5: 12 } });
  p.start();
  p.goto(5, [3, -2, 1.5], { duration: 0.1, easing: 'quad-out' });
  p.play();
  // 3, -2 and 1.5 are exact in float32: the end of the move arrives bit for bit.
  await waitFor(() => seen.has(12) && seen.get(12).join() === '3,-2,1.5', 3000);
  assert.deepEqual(seen.get(12), [3, -2, 1.5]);
  assert.ok(!seen.has(5), 'the map sends track 5 as 12');
});

test('updateState: every update type, errors, call order', async (t) => {
  const p = new h.Player({ tickRate: 200 });
  t.after(() => p.close());
  for (const id of [1, 2, 3]) p.addTrack(id, [id, 0, 0]);
  const events = [];
  p.on('event', (e) => events.push(e));
  p.start();
  const tag = await p.updateState({ type: 'startAnimation', model: 'circular', params: { radius: 2, center: [0, 0, 1] }, tracks: [1, 2], mode: 'shared', phaseOffset: 0.5 });
  await p.updateState({ type: 'play' });
  await p.updateState({ type: 'setSpeed', speed: 1.5 });
  await p.updateState({ type: 'setParameter', tag, params: { radius: 4 } }); // centre kept
  await sleep(400); // past the 0.25 s blend
  const snap = p.snapshot();
  const q = xyzAt(snap, 1);
  assert.ok(close(Math.hypot(q[0], q[1]), 4, 1e-6) && close(q[2], 1, 1e-9), `${q}`);
  await assert.rejects(p.updateState({ type: 'setParameter', tag, params: { radius: -1 } }), { name: 'HoloanimError', code: 'ERANGE', parameter: 'radius', recoverable: true });
  await assert.rejects(p.updateState({ type: 'setParameter', tag: 999, params: {} }), { code: 'ENOTFOUND' });
  await assert.rejects(p.updateState({ type: 'startAnimation', model: 'circular', tracks: [] }), { code: 'EINVAL' });
  await assert.rejects(p.updateState({ type: 'warp' }), TypeError);
  await assert.rejects(p.updateState({ type: 'seek' }), TypeError);
  await assert.rejects(p.updateState(null), TypeError);
  await assert.rejects(p.updateState({ type: 'goCue', cue: 1 }), { code: 'ESTATE' });
  await p.updateState({ type: 'goto', track: 3, position: [0, 5, 0], duration: 0.05, easing: 'linear' });
  await p.updateState({ type: 'stopTrack', track: 99 }); // queued; fails on the tick
  await waitFor(() => events.some((e) => e.type === 'commandFailed'));
  const failed = events.find((e) => e.type === 'commandFailed');
  assert.equal(failed.code, 'ENOTFOUND');
  assert.equal(failed.track, 99);
  assert.ok(failed.error instanceof h.HoloanimError);
  await sleep(100);
  assert.deepEqual(xyzAt(p.snapshot(), 3), [0, 5, 0]);
  await p.updateState({ type: 'setBase', track: 3, position: [1, 1, 1] });
  await p.updateState({ type: 'stopAnimation', tag, fade: 0 });
  await p.updateState({ type: 'deviceEcho', track: 3, position: [7, 7, 0] });
  await waitFor(() => events.some((e) => e.type === 'baseChanged'));
  await p.updateState({ type: 'panic' });
  await p.updateState({ type: 'stop', fade: 0 });
  // call order: a seek queued after a pause lands after it
  const order = [p.updateState({ type: 'play' }), p.updateState({ type: 'pause' }), p.updateState({ type: 'seek', time: 3 })];
  await Promise.all(order);
  await waitFor(() => p.getStatus().time === 3 && !p.getStatus().playing);
});

test('events: conflict, animationEnded, showEnded', async (t) => {
  const p = new h.Player({ tickRate: 200, conflictTolerance: 0.05 });
  t.after(() => p.close());
  p.addTrack(1);
  const events = [];
  p.on('event', (e) => events.push(e));
  p.start();
  const tag = p.startAnimation({ model: 'linear', timing: { duration: 0.2, loop: 'once' }, tracks: [1] });
  p.play();
  await sleep(50);
  p.deviceEcho(1, [50, 50, 0]); // someone else moved an animated track
  await waitFor(() => events.some((e) => e.type === 'showEnded'), 3000);
  const conflict = events.find((e) => e.type === 'conflict');
  assert.ok(conflict, JSON.stringify(events));
  assert.equal(conflict.track, 1);
  assert.deepEqual(conflict.position, [50, 50, 0]);
  assert.equal(conflict.expected.length, 3);
  const ended = events.find((e) => e.type === 'animationEnded');
  assert.equal(ended.tag, tag);
  assert.ok(events.indexOf(ended) < events.findIndex((e) => e.type === 'showEnded'));
  assert.ok(p.getStatus().conflicts >= 1);
});

test('loadShow: tracks, outputs, limits, autoStart groups on play, cues, errors', async (t) => {
  const sim = h.startDevsim({ port: 0 });
  t.after(() => sim.stop());
  const show = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'orbiting-quartet.json'), 'utf8'));
  show.outputs[0].port = sim.port;
  const p = new h.Player({ tickRate: 100 });
  t.after(() => p.close());
  const events = [];
  p.on('event', (e) => events.push(e));
  const summary = p.loadShow(show);
  assert.equal(summary.name, 'Orbiting quartet');
  assert.equal(summary.tracks, 4);
  assert.equal(summary.outputs, 1);
  assert.deepEqual(summary.groups, [{ name: 'quartet', tag: 0, autoStart: true }]);
  assert.deepEqual(summary.cues.map((c) => c.number), [1, 2]);
  assert.throws(() => p.loadShow(show), { code: 'ESTATE' });
  p.start();
  const s0 = await waitFor(() => p.snapshot());
  assert.deepEqual(Array.from(s0.ids), [1, 2, 3, 4]);
  assert.ok(s0.status.every((s) => s === h.TrackStatus.IDLE));
  p.play(); // starts the autoStart group
  await waitFor(() => { const s = p.snapshot(); return s.status.every((x) => x === h.TrackStatus.ANIMATED) && s.time > 0.3; });
  const s1 = p.snapshot();
  for (let i = 0; i < 4; i++) {
    const r = Math.hypot(s1.positions[3 * i], s1.positions[3 * i + 1]);
    assert.ok(Math.abs(r - 4) < 0.05, `track ${s1.ids[i]} radius ${r}`);
  }
  await waitFor(() => sim.getTrack(1).updates > 5);
  p.goCue(2); // "Home": stop the group
  await waitFor(() => events.some((e) => e.type === 'cue'));
  const cue = events.find((e) => e.type === 'cue');
  assert.equal(cue.cue, 2);
  assert.equal(cue.name, 'Home');
  assert.equal(p.getMetrics().counters.cues_fired, 1);
  assert.throws(() => p.goCue(99), { name: 'HoloanimError', code: 'ENOTFOUND', parameter: 'cue' });
  // from a file path too
  const q = new h.Player();
  t.after(() => q.close());
  assert.equal(q.loadShow(path.join(ROOT, 'examples', 'cue-scene.json')).cues.length, 6);
});

test('goCue returns the cue and the operations the core ran, with the show\'s tags; cueEffects lists them', async (t) => {
  const p = new h.Player({ tickRate: 200 });
  t.after(() => p.close());
  // a copy of examples/cue-scene.json: editing the example cannot change this test
  p.loadShow(path.join(__dirname, 'fixtures', 'cue-scene.json'));
  // a group start, then a staggered preset subset in the preset's order
  assert.deepEqual(p.cueEffects(4), [
    { action: 0, group: 'drift low', type: 'start', tag: 1, tracks: [3, 4], animation: 'drift' },
    { action: 1, type: 'goto', track: 1, position: [-2, -6, 2.5], duration: 3, easing: 'linear', space: 'aed', delay: 0 },
    { action: 1, type: 'goto', track: 2, position: [2, -6, 2.5], duration: 3, easing: 'linear', space: 'aed', delay: 1 },
  ]);
  // stop (everything) is a stop of each track; goCue fires and says the same
  const fired = p.goCue(6.0000000001); // the core's tolerance: the show's number comes back
  assert.equal(fired.number, 6);
  assert.equal(typeof fired.name, 'string');
  assert.deepEqual(Object.keys(fired).sort(), ['effects', 'name', 'number']);
  const home = fired.effects;
  assert.deepEqual(home.slice(0, 4), [1, 2, 3, 4].map((track) => ({ action: 0, type: 'stopTrack', track, fade: 0 })));
  assert.deepEqual(home.slice(4).map((e) => [e.type, e.track, e.delay]), [1, 2, 3, 4].map((track) => ['goto', track, 0]));
  assert.deepEqual(p.cueEffects(6), home);
  assert.throws(() => p.cueEffects(99), { name: 'HoloanimError', code: 'ENOTFOUND' });
  assert.throws(() => p.cueEffects('1'), TypeError);
  assert.throws(() => new h.Player().cueEffects(1), { code: 'ESTATE' });
  // actionTag: the compiled tag of one action, without listing the cue
  assert.equal(p.actionTag(4, 0), 1);
  assert.equal(p.actionTag(4, 1), null); // a preset move starts nothing
  assert.throws(() => p.actionTag(4, 2), { name: 'HoloanimError', code: 'ENOTFOUND', parameter: 'action' });
  assert.throws(() => p.actionTag(99, 0), { name: 'HoloanimError', code: 'ENOTFOUND', parameter: 'cue' });
  assert.throws(() => p.actionTag(4), { name: 'TypeError' });
  assert.throws(() => new h.Player().actionTag(1, 0), { code: 'ESTATE', message: 'actionTag: no show is loaded' });

  // 300 start actions in cue 1 and one in cue 2: distinct tags, all running
  const n = 300;
  const show = {
    format: 1,
    tracks: Array.from({ length: n + 1 }, (_, i) => ({ id: i + 1, position: [i + 1, 0, 0] })),
    animations: [{ name: 'c', model: 'circular', parameters: { radius: 1 } }],
    cues: [
      { number: 1, actions: Array.from({ length: n }, (_, i) => ({ type: 'start', animation: 'c', tracks: [i + 1] })) },
      { number: 2, actions: [{ type: 'start', animation: 'c', tracks: [n + 1] }] },
    ],
  };
  const q = new h.Player({ tickRate: 200 });
  t.after(() => q.close());
  q.loadShow(show);
  q.start();
  q.play();
  const many = q.goCue(1).effects;
  assert.equal(many.length, n);
  assert.equal(q.actionTag(1, 256), 0x40000000 + 256);
  assert.deepEqual(many.map((e) => e.tag), many.map((_, k) => 0x40000000 + k));
  assert.deepEqual(many.map((e) => e.tracks[0]), many.map((_, k) => k + 1));
  const [last] = q.goCue(2).effects;
  assert.equal(last.tag, 0x40000000 + n);
  await waitFor(() => { const s = q.snapshot(); return s && s.status.every((x) => x === h.TrackStatus.ANIMATED); });
  q.stopAnimation(last.tag);
  q.stopAnimation(many[256].tag); // (cue << 8 | action) would have made it cue 2's tag
  await waitFor(() => q.snapshot().status.filter((x) => x !== h.TrackStatus.ANIMATED).length === 2);
  const idle = Array.from(q.snapshot().status).flatMap((x, i) => (x === h.TrackStatus.ANIMATED ? [] : [i + 1]));
  assert.deepEqual(idle, [257, n + 1]);
});

test('loadShow errors carry file, line, column and every diagnostic', () => {
  const p = new h.Player();
  try {
    assert.throws(() => p.loadShow('{"format": 1, "tracks": [{"id": 0}]'), (e) => {
      assert.ok(e instanceof h.HoloanimError);
      assert.equal(e.code, 'EPARSE');
      assert.equal(e.kind, 'Parse');
      assert.ok(e.line >= 1 && e.column >= 1, `${e.line}:${e.column}`);
      assert.ok(Array.isArray(e.diagnostics) && e.diagnostics.length >= 1);
      assert.equal(e.diagnostics[0].severity, 'error');
      return true;
    });
    const bad = JSON.stringify({ format: 1, tracks: [{ id: 1, position: [0, 0, 0] }], animations: [{ name: 'a', model: 'circular', parameters: { radius: -1 } }] }, null, 2);
    assert.throws(() => p.loadShow(bad), (e) => {
      assert.equal(e.code, 'EPARSE');
      assert.match(e.message, /radius/);
      assert.ok(e.line > 1);
      assert.match(e.parameter, /animations\[0\]\.parameters\.radius/);
      return true;
    });
    assert.throws(() => p.loadShow('/nonexistent/show.json'), { code: 'EIO' });
    assert.throws(() => p.loadShow(42), TypeError);
  } finally {
    p.close();
  }
});

test('Player: wrong argument types throw a TypeError, never crash', async () => {
  assert.throws(() => new h.Player(5), TypeError);
  assert.throws(() => new h.Player({ tickRate: 'fast' }), TypeError);
  assert.throws(() => new h.Player({ limits: { box: { min: [0, 0], max: [1, 1, 1] } } }), TypeError);
  assert.throws(() => new h.Player({ tickRate: 5000 }), { name: 'HoloanimError', code: 'ERANGE', parameter: 'tickRate', max: 2000 });
  const p = new h.Player();
  try {
    const calls = [
      () => p.addTrack('one'),
      () => p.addTrack(0),
      () => p.addTrack(1, 'here'),
      () => p.addOutput(),
      () => p.addOutput({ port: 'x' }),
      () => p.addOutput({ map: 'identity' }),
      () => p.seek(),
      () => p.seek('1'),
      () => p.stop('now'),
      () => p.goCue({}),
      () => p.startAnimation(),
      () => p.startAnimation({ model: 'circular' }),
      () => p.startAnimation({ model: 'circular', tracks: ['a'] }),
      () => p.startAnimation({ motion: 5, tracks: [1] }),
      () => p.stopAnimation('t'),
      () => p.stopTrack(),
      () => p.goto(1, 'there'),
      () => p.goto(1, [0, 0, 0], 'slow'),
      () => p.setBase(1),
      () => p.deviceEcho('1', [0, 0, 0]),
      () => p.on('positions'),
      () => p.on('tick', () => {}),
      () => p.on('positions', () => {}, { rate: 'fast' }),
      () => p.on('positions', () => {}, { rate: 0 }),
      () => p.setParameter('tag', {}),
      () => h.Player.prototype.play.call({}),
      () => p.loadShow(null),
      () => h.startDevsim({ port: 'x' }),
    ];
    calls.forEach((fn, i) => assert.throws(fn, (e) => e instanceof TypeError || e instanceof RangeError, `call #${i}: ${fn}`));
    await assert.rejects(p.updateState('play'), TypeError);
    await assert.rejects(p.updateState({ type: 'goto', track: 1 }), TypeError);
  } finally {
    p.close();
  }
});
