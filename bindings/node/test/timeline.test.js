'use strict';
// A show's timeline plays in the core: a Player loaded with a show that has
// clips and a marker plays them on its tick (no JavaScript starts anything),
// a paused seek shows the state there, equal to `holoanim eval` of the same
// file; a timeline edited through Show and handed over with replaceShow
// plays at its new place; a bad clip is refused with its field named.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('..');
const { CLI, waitFor, cliAvailable } = require('./helpers');

const SHOW = {
  format: 2,
  tracks: [
    { id: 1, position: [2, 0, 1] },
    { id: 2, position: [0, 2, 1] },
    { id: 3, position: [-2, 0, 0] },
  ],
  animations: [{ name: 'c', model: 'circular', duration: 4, parameters: { radius: 1, center: [0, 0, 1] } }],
  groups: [{ name: 'g', animation: 'c', tracks: [1, 2], mode: 'relative', phaseSpread: true }],
  cues: [{ number: 1, actions: [{ type: 'goto', track: 3, position: [1, 1, 1], transition: 1 }] }],
  timeline: { length: 20, clips: [{ group: 'g', start: 3, duration: 6, loop: true }], markers: [{ cue: 1, time: 2 }] },
};

function evalAt(file, T) {
  const out = JSON.parse(execFileSync(CLI, ['eval', file, '--from', String(T), '--to', String(T), '--rate', '1000', '--format', 'json'], { encoding: 'utf8' }));
  return new Map(out.samples.map((r) => [r.track, [r.x, r.y, r.z]]));
}

function xyzAt(frame, id) {
  const i = Array.from(frame.ids).indexOf(id);
  return [frame.positions[3 * i], frame.positions[3 * i + 1], frame.positions[3 * i + 2]];
}

const near = (a, b, tol) => a.every((v, k) => Math.abs(v - b[k]) <= tol);

test('Player plays a show timeline; a paused seek equals holoanim eval', { skip: !cliAvailable() && 'needs build/holoanim' }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-tl-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'tl.json');
  fs.writeFileSync(file, JSON.stringify(SHOW));
  const p = new h.Player({ tickRate: 200 });
  t.after(() => p.close());
  p.loadShow(JSON.stringify(SHOW));
  p.start();
  p.play();
  await waitFor(() => p.getStatus().time > 0.2);
  p.pause();
  for (const T of [1, 2.5, 5.25, 8.5, 12, 4]) {
    p.seek(T);
    const want = evalAt(file, T);
    await waitFor(() => {
      const f = p.snapshot();
      return f && Math.abs(f.time - T) < 1e-12 && [1, 2, 3].every((id) => near(xyzAt(f, id), want.get(id), 1e-9));
    }, 5000).catch(() => {
      const f = p.snapshot();
      assert.fail(`at ${T} s: player ${[1, 2, 3].map((id) => xyzAt(f, id))} eval ${[...want.values()]}`);
    });
  }
  // the clip plays (not only rests): at 5.25 s track 1 is off its base
  assert.ok(!near(evalAt(file, 5.25).get(1), [2, 0, 1], 0.1));

  // an edit of the timeline through Show, handed to the player
  const show = h.Show.parse(JSON.stringify(SHOW));
  show.edit('replace', '/timeline/clips/0/start', 0);
  p.replaceShow(show.toString());
  fs.writeFileSync(file, show.toString());
  p.seek(1);
  const want = evalAt(file, 1);
  assert.ok(!near(want.get(1), [2, 0, 1], 0.1), 'moved: the clip plays at 1 s');
  await waitFor(() => {
    const f = p.snapshot();
    return f && Math.abs(f.time - 1) < 1e-12 && near(xyzAt(f, 1), want.get(1), 1e-9);
  }, 5000);

  // a bad clip is refused, its field named
  assert.throws(() => show.edit('replace', '/timeline/clips/0/duration', -1), (e) => /timeline\.clips\[0\]\.duration/.test(JSON.stringify(e.diagnostics || e.message)));
});
