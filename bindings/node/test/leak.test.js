'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

test('no leak over 100,000 iterations (~700,000 calls) under --expose-gc (RSS and heap stable, motions finalized)', () => {
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'fixtures', 'leak.js')], {
    encoding: 'utf8',
    timeout: 240000,
  });
  assert.equal(r.status, 0, r.stderr);
  const { rounds, stats, frames } = JSON.parse(r.stdout.trim().split('\n').pop());
  const MB = 1024 * 1024;
  const warm = rounds[1]; // after the first 20,000 calls: JIT, pools and caches are warm
  const last = rounds[rounds.length - 1];
  const mb = (x) => (x / MB).toFixed(1);
  // RSS also moves when V8 reserves heap it does not use (heapTotal grows
  // in steps while heapUsed stays flat), so native memory is judged by
  // rss - heapTotal, the JS heap by heapUsed.
  const native = (x) => x.rss - x.heapTotal;
  console.log(`rss MB after each 10,000 iterations: ${rounds.map((x) => mb(x.rss)).join(' ')}`);
  console.log(`rss - heapTotal MB: ${rounds.map((x) => mb(native(x))).join(' ')}`);
  console.log(`heapUsed MB: ${rounds.map((x) => mb(x.heapUsed)).join(' ')}`);
  assert.ok(native(last) - native(warm) < 8 * MB, `native memory grew ${mb(native(last) - native(warm))} MB`);
  assert.ok(last.heapUsed - warm.heapUsed < 2 * MB, `heap grew ${mb(last.heapUsed - warm.heapUsed)} MB`);
  assert.equal(stats.motionsCreated, 100000);
  assert.ok(stats.motionsLive < 100, `${stats.motionsLive} Motion objects not finalized`);
  assert.ok(frames > 0);
});
