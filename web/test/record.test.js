'use strict';
// Recording a performance through the WebSocket API, without a browser: the
// positions the server receives (`live`, as a drag sends them) while the
// show plays, timed by the show clock, become one keyframes animation and
// group per track in one show edit (one undo step).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { h, sleep, waitFor, startServer, openClient } = require('./helpers');

test('a take of two dragged tracks: two keyframes groups in one undo step, timed by the show clock', async (t) => {
  const srv = await startServer(t, { projectsDir: fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-rec-')) });
  const c = await openClient(t, srv);
  await c.call('create', { project: 'rec', output: 'none' });
  await c.call('edit', { ops: [1, 2].map((id) => ({ op: 'add', path: '/tracks/-', value: { id, position: [id, 0, 1] } })) });
  await assert.rejects(c.call('record', { action: 'start', tolerance: -1 }), /tolerance/);
  await assert.rejects(c.call('record', { action: 'stop' }), /not recording/);
  await c.call('transport', { action: 'play' });
  await waitFor(() => srv.runtime.transport().time > 0.05, 'playing');
  const started = await c.call('record', { action: 'start', tolerance: 0.005 });
  assert.equal(started.recording, true);
  // both tracks along x at 1 m/s (by the show clock), for about 0.6 s
  const t0 = srv.runtime.transport().time;
  while (srv.runtime.transport().time - t0 < 0.6) {
    const dt = srv.runtime.transport().time - t0;
    await c.call('live', { track: 1, position: [1 + dt, 0, 1] });
    await c.call('live', { track: 2, position: [2 + dt, 0.5, 1] });
    await sleep(15);
  }
  const st = await c.call('record', { action: 'state' });
  assert.deepEqual(st.tracks, [1, 2]);
  const version = srv.session.state().version;
  const r = await c.call('record', { action: 'stop' });
  assert.deepEqual(r.takes.map((x) => [x.track, x.name]), [[1, 'take 1'], [2, 'take 2']]);
  for (const take of r.takes) assert.ok(take.keys < take.samples, `${take.name}: ${take.keys} keys for ${take.samples} samples`);
  assert.equal(srv.session.state().version, version + 1, 'one edit');
  const doc = srv.session.doc;
  assert.deepEqual(doc.groups.map((g) => [g.name, g.tracks, g.autoStart]), [['take 1', [1], true], ['take 2', [2], true]]);
  // every sample within 5 mm of the keyframes path (the addon evaluates it) at its time
  for (const take of srv.recorder.last) {
    const a = doc.animations.find((x) => x.name === take.name);
    const m = h.createMotion(a.model, a.parameters, { duration: a.duration, loop: a.loop });
    const at = h.evaluate(m, take.recorded.map((s) => s.t));
    take.recorded.forEach((s, i) => {
      const d = Math.hypot(s.p[0] - at[3 * i], s.p[1] - at[3 * i + 1], s.p[2] - at[3 * i + 2]);
      assert.ok(d <= 0.005 + 1e-4, `${take.name} sample ${i} at ${s.t}: ${d} m off`);
    });
    // the times are the show clock's since Record: the take lasts what the drag did on it
    assert.ok(a.duration >= 0.5 && a.duration < 1.5, `duration ${a.duration}`);
  }
  // undo takes the whole take back
  await c.call('undo');
  assert.deepEqual(srv.session.doc.groups || [], []);
  assert.deepEqual(srv.session.doc.animations || [], []);
});
