'use strict';
// A group's `delay` (the originals' per-track start: v2.3's time shift, v2.0's
// start time) is played by the web server as by `holoanim eval`: from an
// empty projects folder, a new show on the built-in device ([::1]), a group
// whose tracks hold their path's start until 2 s; the device's positions
// before and after the delay match the engine's offline evaluation of the
// saved show.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ROOT, waitFor, startServer, openClient } = require('./helpers');

const CLI = path.join(ROOT, 'build', 'holoanim');
const near = (a, b, tol) => a.every((v, k) => Math.abs(v - b[k]) <= tol);

function evalAt(file, T) {
  const out = JSON.parse(execFileSync(CLI, ['eval', file, '--from', String(T), '--to', String(T), '--format', 'json'], { encoding: 'utf8' }));
  return new Map(out.samples.map((r) => [r.track, [r.x, r.y, r.z]]));
}

test('a group delay: the server plays it as holoanim eval does', { skip: fs.existsSync(CLI) ? false : `needs ${CLI}` }, async (t) => {
  const projectsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-delay-'));
  const srv = await startServer(t, { projectsDir, devsimHost: '::1' });
  const c = await openClient(t, srv);
  await c.call('create', { project: 'delayed', output: 'devsim' });
  await c.call('edit', { ops: [{ op: 'replace', path: '/tracks', value: [{ id: 1, position: [1, 0, 1] }, { id: 2, position: [-1, 0, 1] }] }] });
  await c.call('edit', {
    ops: [
      { op: 'add', path: '/animations', value: [{ name: 'line', model: 'linear', duration: 4, loop: 'once', parameters: { startPosition: [0, 0, 1], endPosition: [4, 0, 1] } }] },
      { op: 'add', path: '/groups', value: [{ name: 'g', animation: 'line', tracks: [1, 2], mode: 'relative', delay: 2, autoStart: true }] },
    ],
  });
  await c.call('save');
  const file = path.join(projectsDir, 'delayed.json');
  const sim = srv.devsim();
  await c.call('transport', { action: 'play' });
  await waitFor(() => srv.runtime.player.getStatus().time > 3.2, 'played past the delay');
  await c.call('transport', { action: 'pause' });
  await waitFor(() => !srv.runtime.player.getStatus().playing, 'paused');
  for (const T of [1, 3]) {
    await c.call('transport', { action: 'seek', time: T });
    await waitFor(() => srv.runtime.player.getStatus().time === T, `at ${T} s`);
    const want = evalAt(file, T);
    for (const id of [1, 2]) {
      await waitFor(() => near(sim.getTrack(id).position, want.get(id), 1e-3), () => `track ${id} at ${T} s: device ${sim.getTrack(id).position}, holoanim eval ${want.get(id)}`, 20000);
    }
  }
  // the delay did something: at 1 s the tracks still hold their start, at 3 s they have moved 1 m
  assert.ok(near(evalAt(file, 1).get(1), evalAt(file, 0).get(1), 1e-9));
  assert.ok(!near(evalAt(file, 3).get(1), evalAt(file, 1).get(1), 0.5));
});
