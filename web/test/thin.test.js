'use strict';
// Thinning a recorded gesture (server/thin.js) and a take becoming keyframes (server/record.js).
const test = require('node:test');
const assert = require('node:assert/strict');
const { thin, maxError } = require('../server/thin');
const { Recorder } = require('../server/record');

/** A hand-like gesture: a circle of radius 2 m at 60 Hz with a little jitter (deterministic). */
function gesture(n = 600) {
  const out = [];
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.004;
  for (let k = 0; k < n; k++) {
    const t = k / 60;
    const a = t * 0.8;
    out.push({ t, p: [2 * Math.cos(a) + rnd(), 2 * Math.sin(a) + rnd(), 1.5] });
  }
  return out;
}

test('RDP in space-time keeps far fewer samples, every sample within the tolerance at its time', () => {
  const s = gesture();
  for (const tol of [0.005, 0.01, 0.05]) {
    const kept = thin(s, tol);
    assert.ok(kept.length < s.length / 3, `tolerance ${tol}: ${kept.length} of ${s.length} kept`);
    assert.ok(maxError(s, kept) <= tol + 1e-12, `tolerance ${tol}: error ${maxError(s, kept)}`);
    assert.equal(kept[0], s[0]);
    assert.equal(kept[kept.length - 1], s[s.length - 1]);
  }
  assert.ok(thin(s, 0.05).length < thin(s, 0.01).length);
});

test('time counts: a source that stops and goes on along one line keeps the stop', () => {
  // x goes 0 → 1 in 1 s, stands still 1 s, then 1 → 2 in 1 s: a line in
  // space, but not in time (plain RDP in space would keep 2 points)
  const s = [];
  for (let k = 0; k <= 300; k++) {
    const t = k / 100;
    s.push({ t, p: [t < 1 ? t : t < 2 ? 1 : t - 1, 0, 0] });
  }
  const kept = thin(s, 0.01);
  assert.ok(kept.length >= 4, `${kept.length} kept`);
  assert.ok(maxError(s, kept) <= 0.01);
  // a still source: the two ends
  assert.equal(thin([0, 1, 2, 3].map((t) => ({ t, p: [1, 1, 1] })), 0.01).length, 2);
  assert.throws(() => thin(s, -1), RangeError);
});

test('a take: samples only while playing, per track, thinned into a keyframes group (one add per list)', () => {
  const r = new Recorder();
  r.start(10, 0.01);
  r.sample(3, [0, 0, 0], 10, false); // stopped: left out
  for (let k = 0; k <= 120; k++) r.sample(3, [k / 60, 0, 1], 10 + k / 60, true);
  r.sample(4, [5, 5, 5], 11, true); // one sample only: no animation
  assert.deepEqual(r.state(), { recording: true, tolerance: 0.01, tracks: [3, 4], samples: 122 });
  const doc = { tracks: [{ id: 3 }, { id: 4 }], animations: [{ name: 'take 3' }] };
  const { ops, takes } = r.stop(doc);
  assert.equal(r.recording, false);
  assert.equal(takes.length, 1);
  assert.equal(takes[0].name, 'take 3 (2)');
  assert.deepEqual(ops.map((o) => [o.op, o.path]), [['add', '/animations/-'], ['add', '/groups']]);
  const anim = ops[0].value;
  assert.equal(anim.model, 'keyframes');
  assert.deepEqual(anim.parameters.keyframes.map((k) => k.time), [0, 2], 'a straight move at constant speed: its two ends');
  assert.equal(anim.duration, 2);
  assert.deepEqual(ops[1].value[0].tracks, [3]);
  assert.throws(() => r.stop(doc), /not recording/);
  assert.throws(() => r.start(0, 5), /tolerance/);
});
