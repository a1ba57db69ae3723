'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { spawnSync } = require('node:child_process');
const h = require('..');
const { sleep, waitFor, close } = require('./helpers');

function runWorker(workerData, terminate) {
  return new Promise((resolve, reject) => {
    const w = new Worker(path.join(__dirname, 'fixtures', 'worker.js'), { workerData });
    w.once('error', reject);
    w.once('message', async (msg) => {
      if (terminate) await w.terminate();
      resolve(msg);
    });
    w.once('exit', (code) => {
      if (code !== 0 && !terminate) reject(new Error(`worker exited with ${code}`));
    });
  });
}

test('two players in one process run and stream independently', async (t) => {
  const a = new h.Player({ tickRate: 100 });
  const b = new h.Player({ tickRate: 250 });
  t.after(() => { a.close(); b.close(); });
  a.addTrack(1);
  b.addTrack(7, [1, 1, 1]);
  b.addTrack(8);
  a.startAnimation({ model: 'circular', params: { radius: 1 }, tracks: [1] });
  b.startAnimation({ model: 'circular', params: { radius: 9 }, tracks: [8] });
  const fa = [];
  const fb = [];
  a.on('positions', (f) => fa.push(f));
  b.on('positions', (f) => fb.push(f), { rate: 60 });
  a.start();
  b.start();
  a.play();
  await sleep(50);
  b.play();
  await waitFor(() => fa.length > 5 && fb.length > 5);
  assert.ok(fa.every((f) => f.ids.length === 1 && f.ids[0] === 1));
  assert.ok(fb.every((f) => f.ids.length === 2 && f.ids[0] === 7));
  const la = fa[fa.length - 1];
  const lb = fb[fb.length - 1];
  assert.ok(Math.abs(Math.hypot(la.positions[0], la.positions[1]) - 1) < 1e-9);
  assert.ok(Math.abs(Math.hypot(lb.positions[3], lb.positions[4]) - 9) < 1e-9);
  a.close();
  await sleep(50);
  const n = fb.length;
  await waitFor(() => fb.length > n + 2);
  assert.equal(b.getStatus().running, true);
});

test('works in worker threads, two at once, with and without close()', async () => {
  const [w1, w2] = await Promise.all([runWorker({ radius: 2, close: true }, false), runWorker({ radius: 3, close: false }, true)]);
  const m2 = h.createMotion('circular', { radius: 2 });
  const m3 = h.createMotion('circular', { radius: 3 });
  assert.deepEqual(w1.sync, h.calculatePositionSync(m2, 1.5));
  assert.deepEqual(w1.async1, w1.sync);
  // evaluate runs the SIMD kernels: within 1e-9 m of calculatePositionSync, not bit for bit.
  assert.equal(w1.batch.length, 3);
  assert.ok(close(w1.batch[0], w1.sync.x) && close(w1.batch[1], w1.sync.y) && close(w1.batch[2], w1.sync.z), `${w1.batch}`);
  assert.deepEqual(w2.sync, h.calculatePositionSync(m3, 1.5));
  assert.ok(w1.frames > 3 && w2.frames > 3, `${w1.frames} ${w2.frames}`);
  assert.deepEqual(w1.ids, [1]);
  // the main thread's instance still works after the workers' environments are gone
  assert.deepEqual(h.calculatePositionSync(m2, 1.5), w1.sync);
});

for (const mode of ['listening-exit', 'idle', 'listeners-removed', 'throwing-listener']) {
  test(`a process exits promptly: ${mode}`, () => {
    // A hang is what fails: killed at a deadline no loaded machine reaches
    // (each mode exits by itself after ~100 ms of work); how fast is not asserted.
    const r = spawnSync(process.execPath, [path.join(__dirname, 'fixtures', 'exit.js'), mode], { encoding: 'utf8', timeout: 120000 });
    assert.equal(r.signal, null, 'killed at the 120 s deadline (the process hung)');
    assert.equal(r.status, 0, r.stderr);
    if (mode === 'throwing-listener') assert.match(r.stdout, /caught listener failed/);
  });
}
