'use strict';
// calculatePositionSync's out overload and the fast paths under both entry
// points: a Motion crosses Node-API as its id (index.js's WeakMap), the
// position comes back through addon-owned memory, evaluate without
// options.out fills an uninitialised array. The reference for every number is
// the addon's own unwrapping path (the bare binding's calculatePositionSync
// and evaluate with options.out), which none of these shortcuts use.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');
const h = require('..');

const raw = require(path.join(__dirname, '..', 'build', 'Release', 'holoanim.node'));

const TIMES = [0, 0.25, 1, 3.7, 9.99, 10, 14.5, 123.456, -2.5];

function xyzOf(p) {
  return [p.x, p.y, p.z];
}

test('calculatePositionSync(motion, t, out[, offset]): the numbers of the object form, for every model', () => {
  const out = new Float64Array(8).fill(-7);
  for (const { name } of h.listModels().models) {
    const m = h.createMotion(name, null, { duration: 10, loop: 'pingpong' });
    for (const t of TIMES) {
      const obj = h.calculatePositionSync(m, t);
      assert.deepEqual(xyzOf(obj), xyzOf(raw.calculatePositionSync(m, t)), `${name} t=${t}: the id path`);
      assert.equal(h.calculatePositionSync(m, t, out), out, 'returns out');
      assert.deepEqual([...out.subarray(0, 3)], xyzOf(obj), `${name} t=${t}`);
      assert.equal(h.calculatePositionSync(m, t, out, 5), out);
      assert.deepEqual([...out.subarray(5, 8)], xyzOf(obj), `${name} t=${t} offset 5`);
      assert.equal(out[3], -7, 'nothing written outside [offset, offset + 3)');
      assert.equal(out[4], -7);
    }
  }
});

test('calculatePositionSync out overload with options, patterns and subclasses', () => {
  const out = new Float64Array(3);
  const r = h.createMotion('random', { seed: 4 });
  for (const ctx of [{ track: 3, shift: 0.2 }, { track: 9 }, {}, null, undefined]) {
    const want = h.calculatePositionSync(r, 0.5, ctx);
    assert.deepEqual(xyzOf(want), xyzOf(raw.calculatePositionSync(r, 0.5, ctx)));
    assert.equal(h.calculatePositionSync(r, 0.5, ctx, out), out);
    assert.deepEqual([...out], xyzOf(want), JSON.stringify(ctx));
  }
  assert.notDeepEqual(h.calculatePositionSync(r, 0.5, { track: 3 }), h.calculatePositionSync(r, 0.5, { track: 4 }));
  // (motion, t, ctx, undefined) is the object form
  assert.deepEqual(h.calculatePositionSync(r, 0.5, { track: 3 }, undefined), h.calculatePositionSync(r, 0.5, { track: 3 }));
  const pattern = { model: 'lissajous', params: { amplitudeX: 3 }, timing: { duration: 4 } };
  h.calculatePositionSync(pattern, 1.1, out, 0);
  assert.deepEqual([...out], xyzOf(raw.calculatePositionSync(pattern, 1.1)));
  class Mine extends h.Motion {}
  const mine = new Mine('spiral', { endRadius: 3 });
  assert.deepEqual(xyzOf(h.calculatePositionSync(mine, 2)), xyzOf(raw.calculatePositionSync(mine, 2)));
  // A Float64Array from another realm is a Float64Array too.
  const foreign = vm.runInNewContext('new Float64Array(3)');
  h.calculatePositionSync(mine, 2, foreign);
  assert.deepEqual([...foreign], xyzOf(raw.calculatePositionSync(mine, 2)));
});

test('calculatePositionSync: bad arguments throw TypeError / RangeError naming the argument, and write nothing', () => {
  const m = h.createMotion('circular');
  const out = new Float64Array(4).fill(5);
  const typeErr = (re) => ({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: re });
  const rangeErr = (re) => ({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE', message: re });
  assert.throws(() => h.calculatePositionSync(m, 1, new Float32Array(3)), typeErr(/^out must be a Float64Array, got a Float32Array$/));
  assert.throws(() => h.calculatePositionSync(m, 1, null, [0, 0, 0]), typeErr(/^out must be a Float64Array, got an array$/));
  assert.throws(() => h.calculatePositionSync(m, 1, {}, 'xyz'), typeErr(/^out must be a Float64Array, got a string$/));
  assert.throws(() => h.calculatePositionSync(m, 1, new Float64Array(2)), rangeErr(/^out must have at least 3 elements, got 2$/));
  assert.throws(() => h.calculatePositionSync(m, 1, out, 2), rangeErr(/^offset must be a whole number in \[0, 1\], got 2$/));
  assert.throws(() => h.calculatePositionSync(m, 1, out, -1), rangeErr(/^offset must be a whole number in \[0, 1\], got -1$/));
  assert.throws(() => h.calculatePositionSync(m, 1, out, 0.5), rangeErr(/^offset must be a whole number in \[0, 1\], got 0.5$/));
  assert.throws(() => h.calculatePositionSync(m, 1, out, NaN), rangeErr(/^offset must be a whole number in \[0, 1\], got NaN$/));
  assert.throws(() => h.calculatePositionSync(m, 1, out, '1'), typeErr(/^offset must be a number, got a string$/));
  assert.throws(() => h.calculatePositionSync(m, 1, null, out, 7), rangeErr(/^offset must be a whole number/));
  assert.throws(() => h.calculatePositionSync(m, 'now', out), typeErr(/^time must be a number/));
  assert.throws(() => h.calculatePositionSync(m, Infinity, out), rangeErr(/^time must be a finite number, got Infinity$/));
  assert.throws(() => h.calculatePositionSync(m, NaN), rangeErr(/^time must be a finite number, got NaN$/));
  assert.throws(() => h.calculatePositionSync(m), typeErr(/needs 2 arguments, got 1$/));
  assert.throws(() => h.calculatePositionSync(42, 1, out), typeErr(/^motionOrPattern must be a Motion/));
  assert.throws(() => h.calculatePositionSync({ model: 'circular' }, 1, 'track 3', out), { name: 'TypeError' });
  assert.throws(() => h.calculatePositionSync(m, 1, { track: -1 }, out), rangeErr(/^track must be/));
  assert.deepEqual([...out], [5, 5, 5, 5], 'a refused call writes nothing');
  assert.throws(() => h.calculatePositionSync({ model: 'circular', params: { radius: -1 } }, 1, out), { name: 'HoloanimError', code: 'ERANGE' });
  assert.deepEqual([...out], [5, 5, 5, 5]);
});

test('Motion ids: a collected Motion frees its id, a new Motion reusing it gets its own positions', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const live = () => h._stats().motionsLive;
  const before = live();
  (() => {
    for (let i = 0; i < 300; i++) h.calculatePositionSync(h.createMotion('linear', { endPosition: [i, 0, 0] }), 1);
  })();
  for (let k = 0; k < 50 && live() > before; k++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  assert.ok(live() < before + 300, `finalized: ${before + 300 - live()} of 300`);
  const ms = Array.from({ length: 300 }, (_, i) => h.createMotion('circular', { radius: 1 + i / 100 }));
  const out = new Float64Array(3);
  for (const [i, m] of ms.entries()) {
    const want = xyzOf(raw.calculatePositionSync(m, 0.3));
    assert.deepEqual(xyzOf(h.calculatePositionSync(m, 0.3)), want, `motion ${i}`);
    assert.deepEqual([...h.calculatePositionSync(m, 0.3, out)], want);
    assert.deepEqual([...h.evaluate(m, [0.3])], want);
  }
});

test('evaluate without options.out: results share a slab (up to 32 KB) yet never each other\'s numbers; a larger one has its own buffer', () => {
  const m = h.createMotion('circular', { radius: 2 });
  const times = new Float64Array(1000).map((_, i) => i * 0.01);
  const want = raw.evaluate(m, times, { out: new Float64Array(3000) });
  const results = [];
  for (let k = 0; k < 40; k++) results.push(h.evaluate(m, times)); // more than one slab's worth
  assert.ok(results.some((r) => r.buffer === results[0].buffer && r !== results[0]), 'pooled: several results in one buffer');
  for (const r of results) {
    assert.equal(r.byteLength, 24000);
    r.fill(-1); // each result's memory is its own part of the slab
  }
  const later = h.evaluate(m, times);
  assert.deepEqual(later, want, 'a result made after the others were overwritten');
  for (const r of results) assert.ok(r.every((v) => v === -1), 'no result was written by a later call');
  // a refused call gives its space back and writes nothing into the others
  assert.throws(() => h.evaluate(m, [0, NaN]), { name: 'RangeError' });
  assert.deepEqual(h.evaluate(m, times), want);
  assert.deepEqual(later, want);

  const big = new Float64Array(2000).map((_, i) => i * 0.005);
  const own = h.evaluate(m, big);
  assert.equal(own.byteOffset, 0);
  assert.equal(own.buffer.byteLength, 48000, 'over 32 KB: its own buffer');
  assert.deepEqual(own, raw.evaluate(m, big, { out: new Float64Array(6000) }));
});

test('evaluate: a pooled result in a postMessage transfer list is copied, its slab never detached', async () => {
  const { MessageChannel } = require('node:worker_threads');
  const m = h.createMotion('lissajous');
  const times = new Float64Array(100).map((_, i) => i * 0.1);
  let a = h.evaluate(m, times);
  let b = h.evaluate(m, times);
  if (a.buffer !== b.buffer) [a, b] = [b, h.evaluate(m, times)]; // a began a new slab
  assert.equal(a.buffer, b.buffer, 'both from one slab');
  const want = Float64Array.from(b);
  const { port1, port2 } = new MessageChannel();
  const got = new Promise((resolve) => port2.once('message', resolve));
  let sent = true;
  try {
    port1.postMessage(a, [a.buffer]);
  } catch (e) {
    // newer Node refuses an untransferable buffer outright
    assert.equal(e.name, 'DataCloneError');
    sent = false;
  }
  if (sent) {
    const copy = await got;
    assert.deepEqual(Array.from(copy), Array.from(want));
  }
  port1.close();
  assert.equal(a.length, 300, 'the sender keeps its result');
  assert.deepEqual(b, want, 'the slab\'s other results are intact');
});

test('evaluate without options.out: a new Float64Array, the numbers of options.out', () => {
  const times = new Float64Array(257).map((_, i) => i * 0.041 - 1);
  for (const name of ['circular', 'lissajous', 'pendulum', 'keyframes', 'random']) {
    const m = h.createMotion(name);
    const want = raw.evaluate(m, times, { out: new Float64Array(3 * times.length) });
    for (const got of [h.evaluate(m, times), h.evaluate(m, [...times]), h.evaluate(m, times, null), h.evaluate(m, times, { track: 0 })]) {
      assert.ok(got instanceof Float64Array);
      assert.equal(got.length, 3 * times.length);
      assert.equal(got.byteLength, 24 * times.length);
      assert.deepEqual(got, want, name);
    }
    const shifted = h.evaluate(m, times, { track: 5, shift: 0.3 });
    assert.deepEqual(shifted, raw.evaluate(m, times, { track: 5, shift: 0.3 }));
  }
  assert.deepEqual(h.evaluate(h.createMotion('circular'), new Float64Array(0)), new Float64Array(0));
  assert.throws(() => h.evaluate(h.createMotion('circular'), [0, NaN]), { name: 'RangeError', message: 'times[1] must be a finite number, got NaN' });
  assert.throws(() => h.evaluate(h.createMotion('circular'), 'soon'), { name: 'TypeError' });
  assert.throws(() => h.evaluate(h.createMotion('circular'), [1], 5), { name: 'TypeError' });
});
