'use strict';
// What a new user meets first, without a browser: a show built from an empty
// projects folder, its output, the transport's Stop and Play cycles, cues
// fired while stopped, presets. Each test failed before its fix (issue 9).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { h, ROOT, waitFor, startServer, connect, openClient } = require('./helpers');

const CLI = path.join(ROOT, 'build', 'holoanim');

const emptyDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-web-new-'));

/** `holoanim eval SHOW --from T --to T --format json`: the engine's own offline positions at T, by track. */
function evalAt(file, t) {
  if (!fs.existsSync(CLI)) return null;
  const out = execFileSync(CLI, ['eval', file, '--from', String(t), '--to', String(t), '--format', 'json'], { encoding: 'utf8' });
  const rows = JSON.parse(out);
  const list = Array.isArray(rows) ? rows : rows.samples || rows.rows || [];
  const at = new Map();
  for (const r of list) at.set(r.track, [r.x, r.y, r.z]);
  return at;
}

/** Wait until the player has applied a pause (a tick later than it did), then its time. */
async function pausedTime(srv) {
  await waitFor(() => !srv.runtime.player.getStatus().playing, 'the player paused');
  const ticks = srv.runtime.player.getStatus().ticks;
  await waitFor(() => srv.runtime.player.getStatus().ticks > ticks, 'a tick after the pause');
  return srv.runtime.player.getStatus().time;
}

test('a new show starts usable: tracks can be added one by one and in bulk; its output is the device', async (t) => {
  const sim = h.startDevsim({ port: 0, tracks: 16 });
  t.after(() => sim.stop());
  const device = `127.0.0.1:${sim.port}`;
  const srv = await startServer(t, { projectsDir: emptyDir(), device });
  const c = await openClient(t, srv);
  // the first show, made because the folder was empty: "+ Add" appends a track
  await c.call('edit', { ops: [{ op: 'add', path: '/tracks/-', value: { id: 1, name: 'One', position: [1, 0, 1.5] } }] });
  assert.deepEqual(c.welcome.doc.tracks, []);
  assert.deepEqual(c.welcome.doc.outputs.map((o) => `${o.host}:${o.port}`), [device]);
  assert.equal(c.welcome.device.address, device);
  // a show made with "New show": discover's "Add N" appends several
  await c.call('create', { project: 'mine', title: 'Mine', output: 'devsim' });
  await c.call('edit', {
    ops: [1, 2, 3].map((id) => ({ op: 'add', path: '/tracks/-', value: { id, name: `T${id}`, position: [id, 0, 1.5] } })),
  });
  assert.deepEqual(srv.session.doc.tracks.map((x) => x.id), [1, 2, 3]);
  assert.deepEqual(srv.session.doc.outputs.map((o) => `${o.host}:${o.port}`), [device]);
  // the positions reach the device
  await waitFor(() => Math.abs(sim.getTrack(3).position[0] - 3) < 1e-3, () => `track 3 at the device: ${sim.getTrack(3).position}`);
  // a device address, or none
  await c.call('create', { project: 'elsewhere', output: '10.1.2.3:4003' });
  assert.deepEqual(srv.session.doc.outputs.map((o) => `${o.host}:${o.port}`), ['10.1.2.3:4003']);
  await c.call('create', { project: 'silent', output: 'none' });
  assert.deepEqual(srv.session.doc.outputs || [], []);
  await assert.rejects(c.call('create', { project: 'bad', output: 'nowhere' }), /output "nowhere"/);
});

test('without a device given, "devsim" starts the built-in simulated device in the server', async (t) => {
  const srv = await startServer(t, { projectsDir: emptyDir() });
  const c = await openClient(t, srv);
  assert.equal(c.welcome.device.address, null, 'none running yet');
  await c.call('create', { project: 'sim', output: 'devsim' });
  const sim = srv.devsim();
  assert.ok(sim, 'a devsim runs in the server');
  const out = srv.session.doc.outputs[0];
  assert.equal(`${out.host}:${out.port}`, `127.0.0.1:${sim.port}`);
  // the Outputs panel's "Use the simulated device" asks for the same one
  assert.deepEqual(await c.call('devsim'), { name: 'devsim', host: '127.0.0.1', port: sim.port });
  await c.call('edit', { ops: [{ op: 'add', path: '/tracks/-', value: { id: 2, position: [0, 2, 1] } }] });
  await waitFor(() => Math.abs(sim.getTrack(2).position[1] - 2) < 1e-3, () => `track 2 at the device: ${sim.getTrack(2).position}`);
});

/** 6 tracks on a ring, a relative group with phase spread and an isobarycentric one, autoStart. */
function offsetShowOps(device) {
  const tracks = [];
  for (let i = 1; i <= 6; i++) {
    const a = (2 * Math.PI * i) / 6;
    tracks.push({ id: i, name: `S${i}`, position: [+(4 * Math.cos(a)).toFixed(3), +(4 * Math.sin(a)).toFixed(3), 1.5] });
  }
  return [
    { op: 'add', path: '/tracks', value: tracks },
    { op: 'add', path: '/outputs', value: [{ name: 'devsim', host: '127.0.0.1', port: Number(device.split(':')[1]) }] },
    { op: 'add', path: '/animations', value: [
      { name: 'wobble', model: 'circular', duration: 3, parameters: { radius: 1, center: [0, 0, 0] } },
      { name: 'drift', model: 'linear', duration: 2, loop: 'pingpong', parameters: { startPosition: [0, 0, 0], endPosition: [1, 1, 0] } },
    ] },
    { op: 'add', path: '/groups', value: [
      { name: 'wobble', animation: 'wobble', tracks: [1, 2, 3], mode: 'relative', phaseSpread: true, autoStart: true },
      { name: 'drift', animation: 'drift', tracks: [4, 5, 6], mode: 'isobarycentric', autoStart: true },
    ] },
  ];
}

test('Stop (hold) → Play three times: relative and isobarycentric groups stay on the saved show\'s paths (holoanim eval, 1 mm)', { skip: fs.existsSync(CLI) ? false : `needs ${CLI} (scripts/setup.sh)` }, async (t) => {
  const sim = h.startDevsim({ port: 0, tracks: 16 });
  t.after(() => sim.stop());
  const srv = await startServer(t, { projectsDir: emptyDir(), device: `127.0.0.1:${sim.port}` });
  const c = await openClient(t, srv);
  await c.call('edit', { ops: offsetShowOps(`127.0.0.1:${sim.port}`) });
  for (let cycle = 0; cycle < 3; cycle++) {
    await c.call('transport', { action: 'play' });
    const until = 0.7 + 0.45 * cycle; // stop at different places on the paths
    await waitFor(() => srv.runtime.player.getStatus().time > until, `cycle ${cycle}: playing past ${until} s`);
    await c.call('transport', { action: 'stop', stop: 'hold' });
    await waitFor(() => !srv.runtime.player.getStatus().playing, 'stopped');
  }
  // the sources were left where they stopped: the next Play glides them in (the default fade)
  await c.call('transport', { action: 'play' });
  await waitFor(() => srv.runtime.player.getStatus().time > 2.6, 'past the glide');
  await c.call('transport', { action: 'pause' });
  await pausedTime(srv);
  const T = 3; // a sample time of holoanim eval
  await c.call('transport', { action: 'seek', time: T });
  await pausedTime(srv);
  assert.equal(srv.runtime.player.getStatus().time, T);
  await c.call('save');
  const want = evalAt(path.join(srv.projectsDir, 'untitled.json'), T);
  for (let id = 1; id <= 6; id++) {
    const w = want.get(id);
    await waitFor(() => sim.getTrack(id).position.every((v, k) => Math.abs(v - w[k]) <= 1e-3),
      () => `track ${id} at t=${T}: device ${sim.getTrack(id).position}, holoanim eval ${w}`);
  }
});

test('Stop returns the sources to their bases over the show\'s fade by default; hold keeps them; the default is a setting kept beside the show', async (t) => {
  const sim = h.startDevsim({ port: 0, tracks: 16 });
  t.after(() => sim.stop());
  const srv = await startServer(t, { projectsDir: emptyDir(), device: `127.0.0.1:${sim.port}` });
  const c = await openClient(t, srv);
  assert.deepEqual(c.welcome.settings, { stop: { mode: 'return', fade: 2 } });
  await c.call('edit', { ops: offsetShowOps(`127.0.0.1:${sim.port}`) });
  const bases = new Map(srv.session.doc.tracks.map((x) => [x.id, x.position]));
  const atBase = (id) => sim.getTrack(id).position.every((v, k) => Math.abs(v - bases.get(id)[k]) <= 1e-3);
  const play = async () => {
    await c.call('transport', { action: 'play' });
    await waitFor(() => srv.runtime.player.getStatus().time < 1, 'from 0');
    await waitFor(() => srv.runtime.player.getStatus().time > 1.3, 'playing');
    assert.ok(!atBase(1), 'track 1 is away from its base');
  };
  // the default: return over 2 s
  await play();
  await c.call('transport', { action: 'stop' });
  await waitFor(() => [1, 2, 3, 4, 5, 6].every(atBase), () => `every source back at its base: track 1 at ${sim.getTrack(1).position}`);
  // hold: they stay where they stopped
  await play();
  await c.call('transport', { action: 'stop', stop: 'hold' });
  await waitFor(() => !srv.runtime.player.getStatus().playing, 'stopped');
  const held = sim.getTrack(1).position;
  await waitFor(() => srv.runtime.player.getStatus().ticks > 20, 'ticks');
  assert.ok(!atBase(1) && sim.getTrack(1).position.every((v, k) => Math.abs(v - held[k]) < 1e-6), 'held');
  // return at once
  await c.call('transport', { action: 'stop', stop: 'return', fade: 0 });
  await waitFor(() => [1, 2, 3, 4, 5, 6].every(atBase), 'back at once');
  // the show's default becomes hold, kept beside the show
  await c.call('settings', { stop: { mode: 'hold', fade: 0 } });
  assert.deepEqual(c.last('settings').settings, { stop: { mode: 'hold', fade: 0 } });
  const side = JSON.parse(fs.readFileSync(path.join(srv.projectsDir, '.untitled.settings.json'), 'utf8'));
  assert.deepEqual(side.stop, { mode: 'hold', fade: 0 });
  await play();
  await c.call('transport', { action: 'stop' });
  await waitFor(() => !srv.runtime.player.getStatus().playing, 'stopped');
  assert.ok(!atBase(1), 'the default now holds');
  await assert.rejects(c.call('settings', { stop: { mode: 'float', fade: 1 } }), /settings\.stop/);
});

test('GO while stopped runs the cue: the transport starts, a group cue moves, a preset cue arrives', async (t) => {
  const sim = h.startDevsim({ port: 0, tracks: 16 });
  t.after(() => sim.stop());
  const srv = await startServer(t, { projectsDir: emptyDir(), device: `127.0.0.1:${sim.port}` });
  const c = await openClient(t, srv);
  const ops = offsetShowOps(`127.0.0.1:${sim.port}`);
  ops[3].value = ops[3].value.map((g) => ({ ...g, autoStart: false })); // by cue only
  ops.push(
    { op: 'add', path: '/presets', value: [{ name: 'corner', positions: { 1: [-5, -5, 2], 2: [-5, -4, 2] } }] },
    { op: 'add', path: '/cues', value: [
      { number: 1, name: 'wobble', actions: [{ type: 'start', group: 'wobble' }] },
      { number: 2, name: 'corner', actions: [{ type: 'preset', preset: 'corner', transition: 1 }] },
    ] },
  );
  await c.call('edit', { ops });
  const pos = (id) => sim.getTrack(id).position;
  // GO cue 1 while stopped: the transport runs, the sources keep moving
  await c.call('cue', { number: 1 });
  await waitFor(() => srv.runtime.player.getStatus().time > 0.5, () => `the transport runs: ${srv.runtime.player.getStatus().time}`);
  const a = pos(3);
  await waitFor(() => Math.hypot(...pos(3).map((v, k) => v - a[k])) > 0.2, () => `track 3 keeps moving: ${a} then ${pos(3)}`);
  assert.equal(c.last('transport').transport.playing, true);
  // stopped again (home at once), GO cue 2: the preset's tracks glide there
  await c.call('transport', { action: 'stop', stop: 'return', fade: 0 });
  await waitFor(() => !srv.runtime.player.getStatus().playing, 'stopped');
  await c.call('cue', { number: 2 });
  await waitFor(() => [[1, [-5, -5, 2]], [2, [-5, -4, 2]]].every(([id, w]) => pos(id).every((v, k) => Math.abs(v - w[k]) < 1e-3)),
    () => `tracks 1, 2 at the preset: ${pos(1)} ${pos(2)}`);
  // an unknown cue changes nothing (the transport stays as it was)
  await c.call('transport', { action: 'pause' });
  await assert.rejects(c.call('cue', { number: 9 }), (e) => e.code === 'ENOTFOUND');
  assert.equal(srv.runtime.transport().playing, false);
});

test('presets: capture where the tracks are (all or some), update, recall with a transition and a stagger, fire from a cue', async (t) => {
  const sim = h.startDevsim({ port: 0, tracks: 16 });
  t.after(() => sim.stop());
  const srv = await startServer(t, { projectsDir: emptyDir(), device: `127.0.0.1:${sim.port}` });
  const c = await openClient(t, srv);
  await c.call('edit', { ops: offsetShowOps(`127.0.0.1:${sim.port}`) });
  const bases = new Map(srv.session.doc.tracks.map((x) => [x.id, x.position]));
  const pos = (id) => sim.getTrack(id).position;
  const at = (id, w, tol = 1e-3) => pos(id).every((v, k) => Math.abs(v - w[k]) <= tol);
  // play a while, pause, capture every track where it is
  await c.call('transport', { action: 'play' });
  await waitFor(() => srv.runtime.player.getStatus().time > 1.6, 'playing');
  await c.call('transport', { action: 'pause' });
  await waitFor(() => !srv.runtime.player.getStatus().playing, 'paused');
  await waitFor(() => [1, 2, 3].every((id) => !at(id, bases.get(id))), 'moved');
  const here = srv.runtime.positions();
  const r = await c.call('capture', { name: 'scene A' });
  assert.deepEqual(r.tracks, [1, 2, 3, 4, 5, 6]);
  const pa = srv.session.doc.presets[0];
  assert.equal(pa.name, 'scene A');
  for (let id = 1; id <= 6; id++) assert.deepEqual(pa.positions[String(id)], here.get(id));
  // the selected tracks only; a second capture under the same name is refused unless it updates
  await c.call('capture', { name: 'two', tracks: [2, 5] });
  assert.deepEqual(Object.keys(srv.session.doc.presets[1].positions), ['2', '5']);
  await assert.rejects(c.call('capture', { name: 'two', tracks: [2] }), (e) => e.code === 'EEXIST');
  // edited by hand (an ordinary edit of the show), then recalled after a Stop home
  await c.call('edit', { ops: [{ op: 'replace', path: '/presets/1/positions/5', value: [-3, -3, 3] }] });
  await c.call('transport', { action: 'stop', stop: 'return', fade: 0 });
  await waitFor(() => at(5, bases.get(5)), 'home');
  await c.call('recall', { preset: 'two', transition: 1, easing: 'sine-in-out', space: 'aed', stagger: 0.5 });
  await waitFor(() => at(5, [-3, -3, 3]) && at(2, here.get(2)), () => `recalled: track 5 at ${pos(5)}, track 2 at ${pos(2)}`);
  await assert.rejects(c.call('recall', { preset: 'two', easing: 'wobbly' }), /easing "wobbly"/);
  await assert.rejects(c.call('recall', { preset: 'nope' }), (e) => e.code === 'ENOTFOUND');
  // in a cue
  await c.call('transport', { action: 'stop', stop: 'return', fade: 0 });
  await waitFor(() => at(1, bases.get(1)), 'home again');
  await c.call('edit', { ops: [{ op: 'add', path: '/cues', value: [{ number: 1, name: 'A', actions: [{ type: 'preset', preset: 'scene A', transition: 0.5 }] }] }] });
  await c.call('cue', { number: 1 });
  await waitFor(() => [1, 2, 3, 4, 5, 6].every((id) => at(id, here.get(id))), () => `cue 1 recalls scene A: track 1 at ${pos(1)}`);
});

test('a new animation\'s defaults come from the selection: centre = centroid at its height, a circle starts where the first source stands', async () => {
  const { selectionDefaults } = await import('../src/defaults.mjs');
  const circular = h.listModels().models.find((m) => m.name === 'circular');
  const bases = [[4, 0, 1.5], [0, 4, 1.5], [-4, 0, 1.5], [0, -4, 1.5]];
  const none = new Set();
  assert.deepEqual(selectionDefaults(circular, bases, {}, none, false), { center: [0, 0, 1.5] });
  const d = selectionDefaults(circular, [[1, 1, 2], [3, 1, 2]], {}, none, true);
  assert.deepEqual(d, { center: [2, 1, 2], startAngle: 180, radius: 1 });
  // the path starts on the first source: no jump
  const m = h.createMotion('circular', d, { duration: 10 });
  const p0 = h.evaluate(m, [0]);
  assert.ok(Math.hypot(p0[0] - 1, p0[1] - 1, p0[2] - 2) < 1e-9, `starts at the source: ${Array.from(p0)}`);
  // one source: the circle passes through it
  const one = selectionDefaults(circular, [[2, 3, 1.5]], { radius: 2 }, new Set(['radius']), true);
  const q0 = h.evaluate(h.createMotion('circular', { radius: 2, ...one }, { duration: 10 }), [0]);
  assert.ok(Math.hypot(q0[0] - 2, q0[1] - 3, q0[2] - 1.5) < 1e-9, `through the source: ${Array.from(q0)}`);
  // what the user typed stays
  assert.deepEqual(selectionDefaults(circular, bases, { center: [9, 9, 9] }, new Set(['center']), false), {});
});

test('an animation applied while playing glides its sources onto its path: no jump (speed between frames bounded)', async (t) => {
  const srv = await startServer(t, { projectsDir: emptyDir() });
  const c = await openClient(t, srv);
  await c.call('edit', { ops: [{ op: 'add', path: '/tracks', value: [{ id: 1, position: [0, 0, 1.5] }] }] });
  await c.call('transport', { action: 'play' });
  await waitFor(() => srv.runtime.player.getStatus().time > 0.3, 'playing');
  const from = c.frames.length;
  // a 6 m circle about the origin starts 6 m from the source
  await c.call('edit', { ops: [
    { op: 'add', path: '/animations', value: [{ name: 'far', model: 'circular', duration: 20, parameters: { radius: 6, center: [0, 0, 1.5] } }] },
    { op: 'add', path: '/groups', value: [{ name: 'far', animation: 'far', tracks: [1], autoStart: true }] },
  ] });
  const onCircle = (f) => Math.abs(Math.hypot(f.positions[0], f.positions[1]) - 6) < 1e-3;
  await waitFor(() => c.frames.length > from && onCircle(c.frames.at(-1)), 'on the circle');
  const seen = c.frames.slice(Math.max(0, from - 1));
  let fastest = 0;
  for (let i = 1; i < seen.length; i++) {
    const dt = seen[i].time - seen[i - 1].time;
    if (dt <= 0) continue;
    const d = Math.hypot(...[0, 1, 2].map((k) => seen[i].positions[k] - seen[i - 1].positions[k]));
    fastest = Math.max(fastest, d / dt);
  }
  // a 1 s sine glide over 6 m peaks near 9.4 m/s; a jump is 6 m in one frame
  assert.ok(fastest < 15, `fastest ${fastest.toFixed(1)} m/s of transport time`);
});

test('removing tracks leaves no empty cue, group or preset and no animation nothing plays: the next save has no warning', async () => {
  const { removeTracksOps } = await import('../src/ops.mjs');
  const { QUARTET } = require('./helpers');
  const show = h.Show.fromFile(QUARTET);
  show.patch([
    { op: 'add', path: '/animations/-', value: { name: 'solo', model: 'circular', duration: 4 } },
    { op: 'add', path: '/animations/-', value: { name: 'kept', model: 'circular', duration: 5 } },
    { op: 'add', path: '/groups/-', value: { name: 'solo', animation: 'solo', tracks: [4] } },
    { op: 'add', path: '/presets', value: [{ name: 'only4', positions: { 4: [1, 1, 1] } }, { name: 'both', positions: { 3: [0, 1, 1], 4: [1, 0, 1] } }] },
    { op: 'add', path: '/cues/-', value: { number: 3, name: 'solo', actions: [{ type: 'start', group: 'solo' }] } },
    { op: 'add', path: '/cues/-', value: { number: 4, actions: [{ type: 'preset', preset: 'only4', transition: 1 }, { type: 'goto', track: 4, position: [0, 0, 1] }] } },
    { op: 'add', path: '/cues/-', value: { number: 5, actions: [{ type: 'preset', preset: 'both' }, { type: 'start', animation: 'kept', tracks: [3, 4] }] } },
  ]);
  const doc = show.toJSON();
  show.patch(removeTracksOps(doc, [4]));
  const after = show.toJSON();
  assert.deepEqual(after.tracks.map((x) => x.id), [1, 2, 3]);
  assert.deepEqual(after.groups.map((g) => [g.name, g.tracks]), [['quartet', [1, 2, 3]]]);
  assert.deepEqual(after.animations.map((a) => a.name), ['orbit', 'kept'], 'solo went with its group');
  assert.deepEqual(after.presets, [{ name: 'both', positions: { 3: [0, 1, 1] } }]);
  assert.deepEqual(after.cues.map((c) => c.number), [1, 2, 5], 'cues 3 and 4 had nothing left');
  assert.deepEqual(after.cues[2].actions[1].tracks, [3]);
  const file = path.join(emptyDir(), 'clean.json');
  show.save(file);
  assert.deepEqual(h.Show.fromFile(file).warnings.map((w) => w.text), []);
  // the whole quartet: nothing left that needs a track
  const all = h.Show.fromFile(QUARTET);
  all.patch(removeTracksOps(all.toJSON(), [1, 2, 3, 4]));
  all.save(file);
  const empty = h.Show.fromFile(file);
  assert.deepEqual(empty.warnings.map((w) => w.text), []);
  assert.deepEqual([empty.toJSON().groups, empty.toJSON().cues, empty.toJSON().animations].map((x) => (x || []).length), [0, 0, 0], 'both cues named the group');
});

test('Open lists the shows and the bundled examples (a show opens as a copy, an .hpx is imported); Import takes .hpx only; Save as retitles; a restart opens the last show', async (t) => {
  const projectsDir = emptyDir();
  t.after(() => fs.rmSync(projectsDir, { recursive: true, force: true }));
  const srv = await startServer(null, { projectsDir, keep: true });
  t.after(() => srv.close()); // closed below already when all goes well
  const c = await connect(srv).ready;
  t.after(() => c.close());
  const r = await c.call('projects');
  const byName = new Map(r.examples.map((x) => [x.name, x.kind]));
  assert.equal(byName.get('orbiting-quartet'), 'show');
  assert.equal(byName.get('animator-v2.3-project'), 'hpx', 'examples/ has an .hpx');
  assert.deepEqual(c.welcome.examples.map((x) => x.file), r.examples.map((x) => x.file));
  assert.equal((await c.call('openExample', { example: 'orbiting-quartet.json' })).project, 'orbiting-quartet');
  assert.equal(srv.session.doc.name, 'Orbiting quartet');
  assert.equal((await c.call('openExample', { example: 'orbiting-quartet.json' })).project, 'orbiting-quartet 2', 'a second copy');
  const imp = await c.call('openExample', { example: 'animator-v2.3-project.hpx' });
  assert.equal(srv.session.project, imp.project);
  assert.ok(srv.session.doc.tracks.length > 0);
  // Import: .hpx only, by name and by content
  const quartet = fs.readFileSync(path.join(ROOT, 'examples', 'cue-scene.json'), 'utf8');
  await assert.rejects(c.call('import', { project: 'cue-scene', text: quartet, file: 'cue-scene.json' }), /"cue-scene\.json" is not an \.hpx/);
  await assert.rejects(c.call('import', { project: 'cue-scene', text: quartet, file: 'renamed.hpx' }), /holoanim show, not an \.hpx/);
  assert.ok(!fs.existsSync(path.join(projectsDir, 'cue-scene.json')) && !fs.existsSync(path.join(projectsDir, 'cue-scene.json.json')));
  // Save as: the copy is titled by its name
  await c.call('openExample', { example: 'orbiting-quartet.json' });
  await c.call('saveAs', { project: 'my quartet' });
  assert.equal(srv.session.doc.name, 'my quartet');
  assert.equal(h.Show.fromFile(path.join(projectsDir, 'my quartet.json')).toJSON().name, 'my quartet');
  c.close();
  await srv.close();
  // a restart (as web/start.sh does, with its demo) opens the last show
  const again = await startServer(t, { projectsDir, keep: true, demo: 'orbiting-quartet' });
  assert.equal(again.session.project, 'my quartet');
});

test('a busy port says which option picks another', async (t) => {
  const net = require('node:net');
  const busy = net.createServer();
  await new Promise((r) => busy.listen(0, '127.0.0.1', r));
  t.after(() => busy.close());
  const port = busy.address().port;
  const { spawnSync } = require('node:child_process');
  const out = spawnSync(process.execPath, [path.join(__dirname, '..', 'server', 'main.js'), '--port', String(port), '--projects', emptyDir()], { encoding: 'utf8', timeout: 60000 });
  assert.equal(out.status, 1);
  assert.match(out.stderr, new RegExp(`port ${port} .*already in use.*--port N \\(web/start\\.sh: PORT=N\\)`));
});
