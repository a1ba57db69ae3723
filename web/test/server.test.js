'use strict';
// The server without a browser: the WebSocket API, persistence, concurrent
// edits from several clients, bad messages, live updates of the player,
// streaming and its flow control, security checks.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { h, ROOT, sleep, waitFor, startServer, connect, openClient, projectsWithQuartet, framePos } = require('./helpers');
const { createServer } = require('../server/app');
const { parseMessage, encodeFrame, decodeFrame } = require('../server/protocol');
const { overlaps, splitPointer } = require('../server/session');

const radiusOf = (srv) => srv.session.doc.animations[0].parameters.radius;

test('welcome: the document, its state, the registry, transport and paths', async (t) => {
  const srv = await startServer(t);
  const c = await openClient(t, srv);
  const w = c.welcome;
  assert.equal(w.doc.name, 'Orbiting quartet');
  assert.equal(w.state.project, 'quartet');
  assert.equal(w.state.version, 1);
  assert.equal(w.state.canUndo, false);
  assert.ok(w.registry.models.some((m) => m.name === 'circular'));
  assert.equal(w.transport.playing, false);
  // stopped: the paths the autoStart group will take, one loop per track
  assert.equal(w.paths.length, 4);
  assert.ok(w.paths.every((p) => p.preview && p.points.length === 3 * 97));
  assert.ok(Math.abs(Math.hypot(w.paths[0].points[0], w.paths[0].points[1]) - 4) < 1e-3, 'on the 4 m circle');
  assert.deepEqual((await c.call('projects')).projects.map((p) => p.name), ['quartet']);
});

test('from an empty projects folder: an untitled show, built by edits, plays and streams', async (t) => {
  const projectsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-web-empty-'));
  const srv = await startServer(t, { projectsDir });
  const c = await openClient(t, srv);
  const w = c.welcome;
  assert.equal(w.state.project, 'untitled');
  assert.equal(w.doc.name, 'Untitled show');
  assert.deepEqual(w.doc.tracks || [], []);
  assert.deepEqual(w.paths, []);
  // one track, then an animation with a group that starts it
  await c.call('edit', { ops: [{ op: 'add', path: '/tracks', value: [{ id: 7, name: 'Seven', position: [0, 0, 1] }] }] });
  await c.call('edit', {
    ops: [
      { op: 'add', path: '/animations', value: [{ name: 'orbit', model: 'circular', duration: 4, parameters: { radius: 2, center: [0, 0, 1] } }] },
      { op: 'add', path: '/groups', value: [{ name: 'orbit', animation: 'orbit', tracks: [7], autoStart: true }] },
    ],
  });
  assert.equal((await c.call('transport', { action: 'play' })).playing, true);
  const onCircle = (f) => {
    if (!f || !Array.from(f.ids).includes(7)) return false;
    const p = framePos(f, 7);
    return Math.abs(Math.hypot(p[0], p[1]) - 2) < 1e-3 && Math.abs(p[2] - 1) < 1e-9;
  };
  await waitFor(() => onCircle(c.frames.at(-1)), () => `frames of track 7 on the 2 m circle: ${JSON.stringify(c.frames.at(-1))}`);
  // and it moves along it
  const first = framePos(c.frames.at(-1), 7);
  await waitFor(() => onCircle(c.frames.at(-1)) && Math.hypot(...framePos(c.frames.at(-1), 7).map((v, k) => v - first[k])) > 0.1,
    'track 7 moves along the circle');
});

test('bad messages are refused with an error reply and change nothing', async (t) => {
  const srv = await startServer(t);
  const c = await openClient(t, srv);
  const cases = [
    ['not json', /not JSON/],
    ['[1, 2]', /JSON object/],
    ['{"id": 1}', /type must be a string/],
    ['{"id": 2, "type": "explode"}', /unknown message type "explode"/],
    ['{"id": 3, "type": "edit"}', /edit\.ops is required/],
    ['{"id": 4, "type": "edit", "ops": [{"op": "move", "path": "/x"}]}', /\[0\] must be \{op/],
    ['{"id": 5, "type": "edit", "ops": [{"op": "replace", "path": "name", "value": 1}]}', /JSON pointer/],
    ['{"id": 6, "type": "cue", "number": "1"}', /cue\.number must be a finite number/],
    ['{"id": 7, "type": "transport", "action": "rewind"}', /must be one of play/],
    ['{"id": 8, "type": "undo", "extra": true}', /unknown field "extra"/],
    ['{"id": 9, "type": "live", "track": 1, "position": [0, 0]}', /\[x, y, z\]/],
    ['{"id": -1, "type": "ping"}', /id must be a whole number/],
    ['{"id": 10, "type": "transport", "action": "seek"}', /needs time/],
  ];
  for (const [text, why] of cases) {
    const before = c.pushes.length;
    c.raw(text);
    const reply = await waitFor(() => c.pushes.slice(before).find((m) => m.type === 'reply') || null);
    assert.equal(reply.ok, false, text);
    assert.equal(reply.error.code, 'EBADMSG', text);
    assert.match(reply.error.message, why, text);
  }
  // a binary message
  c.ws.send(Buffer.from([1, 2, 3]));
  await waitFor(() => c.pushes.some((m) => m.type === 'reply' && /binary/.test(m.error.message)));
  // the reply answers the request by id when it had one
  await assert.rejects(c.call('transport', { action: 'fly' }), (e) => e.code === 'EBADMSG');
  assert.equal(srv.session.version, 1, 'nothing changed');
  assert.equal((await c.call('ping')).now > 0, true, 'the connection still works');
});

test('edits: validated by the engine, versioned, broadcast, undo/redo shared', async (t) => {
  const srv = await startServer(t);
  const a = await openClient(t, srv);
  const b = await openClient(t, srv);
  const r = await a.call('edit', { base: 1, ops: [{ op: 'replace', path: '/animations/0/parameters/radius', value: 5 }], label: 'radius' });
  assert.equal(r.version, 2);
  const push = await waitFor(() => b.last('show'));
  assert.equal(push.doc.animations[0].parameters.radius, 5);
  assert.equal(push.state.version, 2);
  assert.equal(push.by, a.welcome.clientId);
  assert.equal(push.label, 'radius');
  // invalid: the engine's words, with the JSON path; nothing changes
  await assert.rejects(a.call('edit', { base: 2, ops: [{ op: 'replace', path: '/animations/0/parameters/radius', value: -1 }] }), (e) => {
    assert.equal(e.code, 'EINVAL');
    assert.equal(e.diagnostics[0].path, 'animations[0].parameters.radius');
    assert.match(e.message, /-1 is below the minimum 0/);
    return true;
  });
  await assert.rejects(a.call('edit', { ops: [{ op: 'remove', path: '/tracks/0' }] }), /no track with id 1/);
  assert.equal(srv.session.version, 2);
  // undo from the other client
  assert.equal((await b.call('undo')).version, 3);
  assert.equal(radiusOf(srv), 4);
  await waitFor(() => a.last('show') && a.last('show').state.version === 3 && a.last('show').state.canRedo);
  assert.equal((await a.call('redo')).version, 4);
  assert.equal(radiusOf(srv), 5);
  await a.call('undo');
  assert.equal(radiusOf(srv), 4);
  await assert.rejects(a.call('undo'), (e) => e.code === 'ESTATE', 'nothing left to undo');
});

test('concurrent edits: stale but disjoint edits apply, overlapping ones are refused', async (t) => {
  const srv = await startServer(t);
  const a = await openClient(t, srv);
  const b = await openClient(t, srv);
  // both start from version 1
  await a.call('edit', { base: 1, ops: [{ op: 'replace', path: '/tracks/0/name', value: 'First' }] });
  await b.call('edit', { base: 1, ops: [{ op: 'replace', path: '/tracks/1/name', value: 'Second' }] });
  assert.equal(srv.session.doc.tracks[0].name, 'First');
  assert.equal(srv.session.doc.tracks[1].name, 'Second');
  // b edits what a changed, on its old version
  await assert.rejects(b.call('edit', { base: 1, ops: [{ op: 'replace', path: '/tracks/0/name', value: 'Lost' }] }), (e) => e.code === 'ECONFLICT');
  assert.equal(srv.session.doc.tracks[0].name, 'First');
  // an add shifts indices: stale edits inside that array are refused
  await a.call('edit', { base: 3, ops: [{ op: 'add', path: '/tracks/0', value: { id: 9 } }] });
  await assert.rejects(b.call('edit', { base: 3, ops: [{ op: 'replace', path: '/tracks/2/position', value: [1, 1, 1] }] }), (e) => e.code === 'ECONFLICT');
  // ... but not elsewhere
  await b.call('edit', { base: 3, ops: [{ op: 'replace', path: '/name', value: 'Renamed' }] });
  // after an undo every stale edit is refused
  await a.call('undo');
  await assert.rejects(b.call('edit', { base: 5, ops: [{ op: 'replace', path: '/limits/maxSpeed', value: 10 }] }), (e) => e.code === 'ECONFLICT');
  // a version from the future
  await assert.rejects(b.call('edit', { base: 99, ops: [{ op: 'replace', path: '/name', value: 'x' }] }), (e) => e.code === 'ECONFLICT');
  // many clients at once: every edit lands exactly once, versions are unique
  const clients = await Promise.all([1, 2, 3, 4].map(() => openClient(t, srv)));
  const results = await Promise.all(
    clients.flatMap((c, k) => [0, 1, 2, 3, 4].map((j) => c.call('edit', { ops: [{ op: 'add', path: '/tracks/0/name', value: `c${k}-${j}` }] }))),
  );
  const versions = results.map((r) => r.version);
  assert.equal(new Set(versions).size, 20);
  assert.equal(Math.max(...versions), srv.session.version);
  await waitFor(() => clients.every((c) => c.last('show') && c.last('show').state.version === srv.session.version));
});

test('pointer helpers', () => {
  assert.deepEqual(splitPointer('/a/b~1c/~0d'), ['a', 'b/c', '~d']);
  assert.deepEqual(splitPointer(''), []);
  assert.equal(overlaps(['tracks'], ['tracks', '0', 'name']), true);
  assert.equal(overlaps(['tracks', '1'], ['tracks', '0', 'name']), false);
});

test('persistence: autosave, explicit save with .bak, reopen intact, projects, import', async (t) => {
  const dir = projectsWithQuartet();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'quartet.json');
  let srv = await startServer(null, { projectsDir: dir });
  let c = await connect(srv).ready;
  await c.call('edit', { ops: [{ op: 'replace', path: '/name', value: 'Autosaved' }] });
  // autosave after 100 ms of quiet
  await waitFor(() => h.Show.fromFile(file).name === 'Autosaved');
  const saved = await waitFor(() => c.last('saved'));
  assert.equal(saved.state.savedVersion, 2);
  assert.equal(fs.existsSync(`${file}.bak`), true, 'the previous file is kept');
  // explicit save
  await c.call('edit', { ops: [{ op: 'replace', path: '/animations/0/parameters/radius', value: 3 }] });
  const st = await c.call('save');
  assert.equal(st.savedVersion, st.version);
  assert.equal(h.Show.fromFile(file).get('/animations/0/parameters/radius'), 3);
  assert.equal(h.Show.fromFile(`${file}.bak`).name, 'Autosaved');
  // an edit then a close: close saves it
  await c.call('edit', { ops: [{ op: 'replace', path: '/name', value: 'On close' }] });
  c.close();
  await srv.close();
  assert.equal(h.Show.fromFile(file).name, 'On close');
  // reopen: intact
  srv = await startServer(null, { projectsDir: dir });
  c = await connect(srv).ready;
  t.after(async () => {
    c.close();
    await srv.close();
  });
  assert.equal(c.welcome.doc.name, 'On close');
  assert.equal(c.welcome.doc.animations[0].parameters.radius, 3);
  // new, save as, open, import
  await c.call('create', { project: 'blank', title: 'A blank show' });
  assert.equal(srv.session.doc.name, 'A blank show');
  await assert.rejects(c.call('create', { project: 'blank' }), (e) => e.code === 'EEXIST');
  await assert.rejects(c.call('create', { project: '../escape' }), (e) => e.code === 'EINVAL');
  await c.call('saveAs', { project: 'blank copy' });
  assert.ok(fs.existsSync(path.join(dir, 'blank copy.json')));
  const hpx = JSON.stringify({
    version: '2.3.0',
    name: 'From the animator',
    tracks: [{ id: 'a', holophonixIndex: 2, name: 'Voice', position: { x: 1, y: 2, z: 0 } }],
    animations: [],
  });
  const imp = await c.call('import', { project: 'imported', text: hpx });
  assert.ok(Array.isArray(imp.warnings));
  assert.equal(srv.session.doc.tracks[0].id, 2);
  assert.ok(fs.existsSync(path.join(dir, 'imported.json')));
  await assert.rejects(c.call('import', { project: 'bad', text: '{"nope": 1' }), (e) => e.code === 'EPARSE');
  await c.call('open', { project: 'quartet' });
  assert.equal(srv.session.doc.name, 'On close');
  assert.deepEqual((await c.call('projects')).projects.map((p) => p.name).sort(), ['blank', 'blank copy', 'imported', 'quartet']);
  await assert.rejects(c.call('open', { project: 'missing' }), (e) => e.code === 'ENOTFOUND');
});

test('import: autostart makes every imported animation start on play; without it none does', async (t) => {
  const srv = await startServer(t);
  const c = await openClient(t, srv);
  const text = fs.readFileSync(path.join(ROOT, 'tests', 'conformance', 'hpx', 'v23-01-linear.hpx'), 'utf8');
  await c.call('import', { project: 'plain', text });
  assert.ok(srv.session.doc.groups.length > 0);
  assert.ok(srv.session.doc.groups.every((g) => g.autoStart === undefined), 'no autoStart without the option');
  await assert.rejects(c.call('import', { project: 'typo', text, autostart: 'yes' }), (e) => e.code === 'EBADMSG');
  await c.call('import', { project: 'auto', text, autostart: true });
  assert.ok(srv.session.doc.groups.every((g) => g.autoStart === true));
  assert.equal(h.Show.fromFile(path.join(srv.projectsDir, 'auto.json')).get('/groups/0/autoStart'), true);
  // played: the imported tracks move by themselves
  assert.equal((await c.call('transport', { action: 'play' })).playing, true);
  const id = srv.session.doc.groups[0].tracks[0];
  const has = () => c.frames.length > 0 && Array.from(c.frames.at(-1).ids).includes(id);
  await waitFor(has, () => `frames with track ${id}`);
  const first = framePos(c.frames.at(-1), id);
  await waitFor(() => {
    const p = framePos(c.frames.at(-1), id);
    return Math.hypot(p[0] - first[0], p[1] - first[1], p[2] - first[2]) > 1e-3;
  }, () => `track ${id} moving from ${first}`);
});

test('a failed save is reported, the work stays in memory', async (t) => {
  const dir = projectsWithQuartet();
  const srv = await startServer(t, { projectsDir: dir });
  const c = await connect(srv).ready;
  t.after(() => {
    c.close();
    if (fs.existsSync(dir)) fs.chmodSync(dir, 0o755);
  });
  if (process.getuid && process.getuid() === 0) {
    // root ignores permissions: replace the folder by a file instead
    fs.rmSync(dir, { recursive: true, force: true });
    fs.writeFileSync(dir, 'not a folder');
  } else {
    fs.chmodSync(dir, 0o500);
  }
  await c.call('edit', { ops: [{ op: 'replace', path: '/name', value: 'Unsaved' }] });
  await assert.rejects(c.call('save'), (e) => e.code === 'EIO');
  const st = await waitFor(() => c.last('saved'));
  assert.ok(st.state.saveError, 'every window is told');
  assert.equal(srv.session.doc.name, 'Unsaved');
  fs.rmSync(dir, { force: true });
  fs.mkdirSync(dir);
  await c.call('save');
  assert.equal(h.Show.fromFile(path.join(dir, 'quartet.json')).name, 'Unsaved');
  assert.equal(srv.session.state().saveError, null);
});

test('player: transport, live parameter edits, base moves, cues, rebuild on new tracks', async (t) => {
  const sim = h.startDevsim({ port: 0, tracks: 16 });
  t.after(() => sim.stop());
  const srv = await startServer(t, { device: `127.0.0.1:${sim.port}` });
  const c = await openClient(t, srv);
  assert.deepEqual((await c.call('transport', { action: 'play' })).playing, true);
  await waitFor(() => c.frames.length > 5 && c.frames.at(-1).time > 0.3);
  const f = c.frames.at(-1);
  assert.deepEqual(Array.from(f.ids), [1, 2, 3, 4]);
  assert.ok(Math.abs(Math.hypot(...framePos(f, 1).slice(0, 2)) - 4) < 1e-3, 'on the 4 m circle');
  // the paths now follow what runs
  await waitFor(() => c.last('paths') && c.last('paths').items.every((p) => !p.preview));
  // a parameter edit while playing: blended, no new player
  await c.call('edit', { ops: [{ op: 'replace', path: '/animations/0/parameters/radius', value: 6 }] });
  await waitFor(() => Math.abs(Math.hypot(...framePos(c.frames.at(-1), 1).slice(0, 2)) - 6) < 1e-3);
  assert.equal(srv.runtime.rebuilds, 0);
  await waitFor(() => c.last('paths').items.every((p) => Math.abs(Math.hypot(p.points[0], p.points[1]) - 6) < 1e-3));
  // the device received it
  await waitFor(() => Math.abs(Math.hypot(...sim.getTrack(1).position.slice(0, 2)) - 6) < 1e-2);
  // seek, speed, pause
  await c.call('transport', { action: 'speed', speed: 2 });
  await c.call('transport', { action: 'pause' });
  await c.call('transport', { action: 'seek', time: 4 });
  await waitFor(() => srv.runtime.player.getStatus().time === 4);
  // deterministic: at t = 4 s track 1 is a quarter turn (16 s loop) from its start. The show's
  // maxSpeed holds in real time, also after a seek: the source glides there, then stays.
  const want = h.groupPositions({ motion: { model: 'circular', params: { ...srv.session.doc.animations[0].parameters }, timing: { duration: 16 } }, mode: 'shared', tracks: [1, 2, 3, 4], phaseSpread: true, bases: srv.session.doc.tracks.map((x) => x.position) }, 4);
  let last = null;
  await waitFor(() => {
    const s = srv.runtime.player.snapshot();
    if (!s || s.time !== 4) return null;
    last = framePos(s, 1);
    return Math.abs(last[0] - want[0]) < 1e-9 && Math.abs(last[1] - want[1]) < 1e-9;
  }, () => `track 1 at t = 4: ${last} vs ${want.slice(0, 3)}`);
  // a base move of an idle track is live
  await c.call('transport', { action: 'stop', stop: 'hold' });
  await c.call('live', { track: 2, position: [1, 2, 3] });
  await waitFor(() => {
    const s = srv.runtime.player.snapshot();
    return s && framePos(s, 2).every((v, k) => Math.abs(v - [1, 2, 3][k]) < 1e-9);
  });
  // cue 1 starts the group; cue 2 stops it with its fadeOut
  await c.call('transport', { action: 'play' });
  const fired = await c.call('cue', { number: 1 });
  assert.deepEqual(fired.cue, { number: 1, name: 'Orbit' });
  await waitFor(() => c.pushes.some((m) => m.type === 'event' && m.event.type === 'cue' && m.event.cue === 1));
  await assert.rejects(c.call('cue', { number: 42 }), (e) => e.code === 'ENOTFOUND');
  // adding a track needs a new player: restored at the same time, still playing
  const before = srv.runtime.player.getStatus().time;
  await c.call('edit', { ops: [{ op: 'add', path: '/tracks/-', value: { id: 5, name: 'Five', position: [1, 1, 1] } }] });
  assert.equal(srv.runtime.rebuilds, 1);
  await waitFor(() => c.frames.at(-1).ids.length === 5);
  await waitFor(() => {
    const st = srv.runtime.player.getStatus();
    return st.playing && st.time >= before;
  });
  const g = c.frames.at(-1);
  assert.ok(Math.abs(Math.hypot(...framePos(g, 1).slice(0, 2)) - 6) < 1e-3, 'the group still runs after the rebuild');
  // an animation applied while playing starts at once
  await c.call('edit', {
    ops: [
      { op: 'add', path: '/animations/-', value: { name: 'small', model: 'circular', duration: 4, parameters: { radius: 1, center: [0, 0, 2] } } },
      { op: 'add', path: '/groups/-', value: { name: 'small', animation: 'small', tracks: [5], autoStart: true } },
    ],
  });
  await waitFor(() => {
    const p = framePos(c.frames.at(-1), 5);
    return Math.abs(Math.hypot(p[0], p[1]) - 1) < 1e-3 && Math.abs(p[2] - 2) < 1e-9;
  });
  // stats reach the clients
  const stats = await waitFor(() => c.last('stats'));
  assert.equal(stats.stats.outputs.length, 1);
  assert.ok(stats.stats.status.ticks > 0);
});

test('an output that cannot be opened: the player goes on without it and says why', async (t) => {
  const srv = await startServer(t, { device: '127.0.0.1:4003' });
  const c = await openClient(t, srv);
  await c.call('transport', { action: 'play' });
  await c.call('edit', { ops: [{ op: 'replace', path: '/outputs/0/host', value: 'no-such-host.invalid' }] });
  const ev = await waitFor(() => c.pushes.find((m) => m.type === 'event' && m.event.type === 'error'));
  assert.match(ev.event.message, /outputs\[0\]/);
  assert.ok(srv.runtime.outputError);
  await waitFor(() => srv.runtime.player.getStatus().playing && c.frames.length > 3);
  assert.equal(srv.runtime.player.getOutputStats().length, 0);
  await c.call('edit', { ops: [{ op: 'replace', path: '/outputs/0/host', value: '127.0.0.1' }] });
  assert.equal(srv.runtime.outputError, null);
  assert.equal(srv.runtime.player.getOutputStats().length, 1);
});

test('preview: the engine samples the path, or names every bad field', async (t) => {
  const srv = await startServer(t);
  const c = await openClient(t, srv);
  const r = await c.call('preview', { model: 'circular', params: { radius: 2 }, timing: { duration: 4 }, tracks: [1, 2], spec: { phaseSpread: true } });
  assert.deepEqual(r.tracks, [1, 2]);
  assert.equal(r.points.length, 2);
  assert.ok(Math.abs(Math.hypot(r.points[1][0], r.points[1][1]) - 2) < 1e-3);
  const one = await c.call('preview', { model: 'lissajous' });
  assert.equal(one.points.length, 1);
  await assert.rejects(c.call('preview', { model: 'circular', params: { radius: -2, speed: 1e9 }, timing: { duration: 0 } }), (e) => {
    assert.match(e.fields.radius, /-2 is below the minimum 0/);
    assert.match(e.fields.speed, /above the maximum/);
    assert.ok(e.fields.timing);
    return true;
  });
  await assert.rejects(c.call('preview', { model: 'nope' }), (e) => /nope/.test(e.message));
});

test('runtime: goCue records the core\'s tags (300 starts in a cue and one after: no collision), edits follow them', async (t) => {
  const { Runtime } = require('../server/runtime');
  const rt = new Runtime(h, { tickRate: 100 });
  t.after(() => rt.close());
  const n = 300;
  const start = (track) => ({ type: 'start', animation: 'c', tracks: [track] });
  const doc = {
    format: 1,
    tracks: Array.from({ length: n + 2 }, (_, i) => ({ id: i + 1, position: [i + 1, 0, 0] })),
    animations: [{ name: 'c', model: 'circular', duration: 4, parameters: { radius: 1 } }],
    groups: [{ name: 'g', animation: 'c', tracks: [n + 2] }],
    cues: [
      { number: 1, actions: Array.from({ length: n }, (_, i) => start(i + 1)) },
      { number: 2, actions: [start(n + 1), { type: 'start', group: 'g' }] },
      { number: 3, actions: [{ type: 'stop', animation: 'c', fade: 0 }] },
    ],
  };
  rt.load(doc);
  rt.play();
  rt.goCue(1);
  rt.goCue(2);
  const core = [...rt.player.cueEffects(1), ...rt.player.cueEffects(2)];
  let owners = rt.owners();
  assert.equal(owners.length, n + 2);
  assert.deepEqual(owners.map((o) => o.tag), core.map((e) => e.tag));
  assert.equal(new Set(owners.map((o) => o.tag)).size, n + 2);
  // (cue index << 8 | action) gave these two the same tag
  assert.deepEqual(owners[256], { track: 257, tag: 0x40000000 + 256, kind: 'cue', cue: 1, action: 256 });
  assert.deepEqual(owners[n], { track: n + 1, tag: 0x40000000 + n, kind: 'cue', cue: 2, action: 0 });
  assert.deepEqual(owners[n + 1], { track: n + 2, tag: 0, kind: 'group', group: 'g' });
  // and the player's animations answer to them: all run, each tag stops its own
  await waitFor(() => { const f = rt.player.snapshot(); return f && f.status.every((x) => x === h.TrackStatus.ANIMATED); });
  // a start action inserted before them renumbers the core's tags: the runtime restarts under the new ones
  rt.update({ ...doc, cues: [{ number: 0.5, actions: [start(n + 2)] }, ...doc.cues] });
  owners = rt.owners();
  const renumbered = [...rt.player.cueEffects(1), ...rt.player.cueEffects(2)];
  assert.equal(renumbered[0].tag, 0x40000000 + 1);
  assert.deepEqual(owners.map((o) => o.tag), renumbered.map((e) => e.tag));
  rt.player.stopAnimation(owners[256].tag);
  // the exact target (a count of 1 can also be seen between two of the restarts)
  await waitFor(() => rt.player.snapshot().status.every((x, i) => (i === 256) === (x !== h.TrackStatus.ANIMATED)),
    'every track animated but track 257');
  assert.equal(rt.player.snapshot().status[256], h.TrackStatus.IDLE);
  // stopping the animation stops every use of it (the group's too)
  rt.goCue(3);
  assert.deepEqual(rt.owners(), []);
  await waitFor(() => rt.player.snapshot().status.every((x) => x !== h.TrackStatus.ANIMATED));
});

test('streaming: a client that does not acknowledge gets at most two frames; others all', async (t) => {
  const srv = await startServer(t);
  srv.runtime.play();
  const slow = await openClient(t, srv, { ack: false });
  const fast = await openClient(t, srv);
  // until the fast one has had 40 frames (however long that takes here)
  await waitFor(() => fast.frames.length > 40);
  assert.ok(slow.frames.length <= 2, `slow: ${slow.frames.length}`);
  const s = [...srv.clients].find((x) => x.framesSent <= 2);
  await waitFor(() => s.skipped > 40, 'the slow one is skipped, not queued');
  // unsubscribe / subscribe
  await fast.call('subscribe', { frames: false });
  const n = fast.frames.length;
  await sleep(200);
  assert.ok(fast.frames.length <= n + 1);
  await fast.call('subscribe', { frames: true });
  await waitFor(() => fast.frames.length > n + 5);
});

test('frames: binary encoding round trip', () => {
  const frame = { time: 1.5, ids: new Uint32Array([3, 7]), positions: new Float64Array([1, 2, 3, -4, 5.5, 6]), status: new Uint8Array([1, 0]) };
  const d = decodeFrame(encodeFrame(9, frame));
  assert.equal(d.seq, 9);
  assert.equal(d.time, 1.5);
  assert.deepEqual(Array.from(d.ids), [3, 7]);
  assert.deepEqual(Array.from(d.positions), [1, 2, 3, -4, 5.5, 6]);
  assert.deepEqual(Array.from(d.status), [1, 0]);
  assert.throws(() => parseMessage('{"type":"ack"}'), /ack\.seq is required/);
});

test('security: loopback by default, a token for anything else, same-origin WebSockets only', async (t) => {
  const dir = projectsWithQuartet();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  await assert.rejects(createServer({ h, port: 0, projectsDir: dir, host: '0.0.0.0' }), /needs a token/);
  await assert.rejects(createServer({ h, port: 0, projectsDir: dir, token: 'short' }), /at least 12/);
  const srv = await startServer(t, { projectsDir: dir, keep: true });
  // a page from another origin cannot connect
  await assert.rejects(connect(srv, { headers: { Origin: 'http://evil.example' } }).ready, (e) => e.status === 403);
  const ok = await connect(srv, { headers: { Origin: `http://127.0.0.1:${srv.port}` } }).ready;
  ok.close();
  const tokenSrv = await startServer(t, { projectsDir: dir, keep: true, token: 'a-long-enough-secret' });
  assert.match(tokenSrv.url, /\?token=a-long-enough-secret$/);
  await assert.rejects(connect(tokenSrv).ready, (e) => e.status === 401);
  await assert.rejects(connect(tokenSrv, { token: 'a-long-enough-secreT' }).ready, (e) => e.status === 401);
  const good = await connect(tokenSrv, { token: 'a-long-enough-secret' }).ready;
  good.close();
  // the UI and nothing outside it
  const res = await fetch(`http://127.0.0.1:${srv.port}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-security-policy'), /default-src 'self'/);
  const escape = await fetch(`http://127.0.0.1:${srv.port}/..%2f..%2fpackage.json`);
  assert.ok(escape.status === 403 || !(await escape.text()).includes('"name"'), 'no file outside the UI');
  assert.equal((await fetch(`http://127.0.0.1:${srv.port}/health`)).status, 200);
});

test('static files: a URL that does not decode is a 400 and the server lives on; no sibling folder is served', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-web-static-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'dist'));
  fs.writeFileSync(path.join(root, 'dist', 'index.html'), '<!doctype html><title>ui</title>');
  fs.mkdirSync(path.join(root, 'dist-old'));
  fs.writeFileSync(path.join(root, 'dist-old', 'secret.txt'), 'not for the web');
  const srv = await startServer(t, { staticDir: path.join(root, 'dist') });
  const base = `http://127.0.0.1:${srv.port}`;
  // the request line exactly as written (fetch would normalise "%2e%2e")
  const raw = (p) => new Promise((resolve, reject) => {
    require('node:http').get({ host: '127.0.0.1', port: srv.port, path: p }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject);
  });
  for (const bad of ['/%E0%A4%A', '/%', '/a%00b']) {
    assert.equal((await raw(bad)).status, 400, bad);
  }
  // "%2f" survives URL parsing: "/../dist-old/secret.txt" once decoded, a
  // path that starts with the UI folder's name but is its sibling
  const sibling = await raw('/..%2fdist-old%2fsecret.txt');
  assert.equal(sibling.status, 403);
  assert.doesNotMatch(sibling.body, /not for the web/);
  // "%2e%2e" is a ".." segment to the URL parser: it never leaves the root
  assert.doesNotMatch((await raw('/%2e%2e/dist-old/secret.txt')).body, /not for the web/);
  // still serving, the player still there
  const index = await fetch(`${base}/`);
  assert.equal(index.status, 200);
  assert.match(await index.text(), /<title>ui<\/title>/);
  assert.equal((await fetch(`${base}/health`)).status, 200);
  const c = await openClient(t, srv);
  assert.equal((await c.call('ping')).now > 0, true);
});

test('the command line: --help, and a non-loopback host without a token is refused', async () => {
  const { spawnSync } = require('node:child_process');
  const main = path.join(__dirname, '..', 'server', 'main.js');
  const help = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--token SECRET/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-web-cli-'));
  const r = spawnSync(process.execPath, [main, '--host', '0.0.0.0', '--port', '0', '--projects', dir], { encoding: 'utf8', env: { ...process.env, HOLOANIM_WEB_TOKEN: '' } });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /needs a token/);
});

const CLI = path.join(__dirname, '..', '..', 'build', 'holoanim');
test('discover: the tracks of a device (holoanim discover)', { skip: fs.existsSync(CLI) ? false : `${CLI} is not built (scripts/setup.sh)` }, async (t) => {
  const sim = h.startDevsim({ port: 0, tracks: 6 });
  t.after(() => sim.stop());
  const srv = await startServer(t, { cli: CLI });
  const c = await openClient(t, srv);
  sim.setPosition(4, [1, 2, 3]);
  const r = await c.call('discover', { host: '127.0.0.1', port: sim.port });
  assert.equal(r.tracks.length, 6);
  assert.deepEqual([r.tracks[3].index, r.tracks[3].x, r.tracks[3].y, r.tracks[3].z], [4, 1, 2, 3]);
  const none = await startServer(t, { cli: '/nonexistent/holoanim' });
  const d = await openClient(t, none);
  await assert.rejects(d.call('discover', { host: '127.0.0.1' }), (e) => e.code === 'EUNSUPPORTED');
});
