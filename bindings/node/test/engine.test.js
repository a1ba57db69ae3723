'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('..');
const { close } = require('./helpers');

test('listModels: every model with parameter metadata, common params, timing, easings', () => {
  const reg = h.listModels();
  assert.ok(reg.models.length >= 20, `${reg.models.length} models`);
  const circ = reg.models.find((m) => m.name === 'circular');
  assert.ok(circ);
  assert.deepEqual(circ.aliases, ['circle']);
  assert.equal(circ.time, 'progress');
  assert.equal(circ.rotating, true);
  const radius = circ.parameters.find((p) => p.name === 'radius');
  assert.deepEqual(
    { type: radius.type, unit: radius.unit, default: radius.default, min: radius.min, max: radius.max },
    { type: 'number', unit: 'm', default: 5, min: 0, max: 1000 },
  );
  assert.equal(typeof radius.description, 'string');
  const dir = circ.parameters.find((p) => p.name === 'direction');
  assert.deepEqual(dir.choices, ['clockwise', 'counterclockwise']);
  assert.equal(dir.default, 'clockwise');
  for (const m of reg.models) {
    assert.equal(typeof m.name, 'string');
    for (const p of m.parameters) {
      assert.ok(['number', 'integer', 'vec3', 'choice', 'bool', 'easing', 'points', 'keyframes', 'rotation', 'scale'].includes(p.type));
      if (p.type === 'points' || p.type === 'keyframes') assert.equal(typeof p.minCount, 'number');
    }
  }
  assert.deepEqual(reg.commonParameters.map((p) => p.name), ['rotation', 'rotationOrder', 'scale', 'offset', 'offsetTurn']);
  const order = reg.commonParameters.find((p) => p.name === 'rotationOrder');
  assert.deepEqual(order.choices, ['XYZ', 'XZY', 'YXZ', 'YZX', 'ZXY', 'ZYX']);
  assert.equal(order.default, 'ZYX');
  assert.deepEqual(reg.timing.loop.choices, ['once', 'loop', 'pingpong']);
  assert.equal(reg.timing.duration.default, 10);
  assert.equal(reg.easings.length, 31);
  assert.equal(reg.easings[0], 'linear');
});

test('timing.seam: blend (default) wraps random seamlessly, cut restarts it; a bad value throws', () => {
  const reg = h.listModels();
  assert.deepEqual(reg.timing.seam, { choices: ['blend', 'cut'], default: 'blend' });
  const b = h.createMotion('random', {}, { duration: 10 });
  const c = h.createMotion('random', {}, { duration: 10, seam: 'cut' });
  assert.equal(b.timing.seam, 'blend');
  assert.equal(c.timing.seam, 'cut');
  const jump = (m) => {
    const p = h.calculatePositionSync(m, 10 - 1e-6), q = h.calculatePositionSync(m, 10 + 1e-6);
    return Math.hypot(q.x - p.x, q.y - p.y, q.z - p.z);
  };
  assert.ok(jump(b) < 1e-3, `blend jump ${jump(b)}`);
  assert.ok(jump(c) > 0.1, `cut jump ${jump(c)}`);
  assert.throws(() => h.createMotion('random', {}, { seam: 'smooth' }), { name: 'HoloanimError', code: 'EINVAL' });
});

test('Motion: createMotion and new Motion, properties, velocity, update, state, reset', () => {
  const m = h.createMotion('circle', { radius: 3, center: [1, 2, 0] }, { duration: 4, loop: 'pingpong' });
  assert.ok(m instanceof h.Motion);
  assert.equal(m.model, 'circular');
  assert.deepEqual(m.timing, { duration: 4, loop: 'pingpong', speed: 1, seam: 'blend' });
  assert.deepEqual(m.params, { radius: 3, center: [1, 2, 0] });
  assert.deepEqual(m.pivot, [1, 2, 0]);
  const m2 = new h.Motion('circular', { radius: 3, center: [1, 2, 0] }, { duration: 4, loop: 'pingpong' });
  assert.deepEqual(h.calculatePositionSync(m2, 1.3), h.calculatePositionSync(m, 1.3));
  const v = m.velocity(1);
  // |v| of a circle of radius 3 run once per 4 s: 2π·3/4 m/s
  assert.ok(close(Math.hypot(v.x, v.y, v.z), (2 * Math.PI * 3) / 4, 1e-4));
  m.update({ radius: 4 }); // merged: centre kept
  assert.deepEqual(m.params, { radius: 4, center: [1, 2, 0] });
  const p = h.calculatePositionSync(m, 0);
  assert.ok(close(Math.hypot(p.x - 1, p.y - 2), 4));
  const st = m.getState();
  assert.equal(st.model, 'circular');
  assert.equal(st.generation, 1);
  m.update(null, { duration: 8 }, { now: 0, window: 0.5 });
  assert.equal(m.timing.duration, 8);
  assert.equal(m.getState().blending, true);
  m.reset();
  assert.equal(m.getState().blending, false);
  assert.throws(() => m.update({ radius: -2 }), { name: 'HoloanimError', code: 'ERANGE' });
  assert.equal(m.params.radius, 4, 'a refused update leaves the motion untouched');
});

test('calculatePositionSync follows MODELS.md (circular, clockwise)', () => {
  const m = h.createMotion('circular', { radius: 2, startAngle: 30 }, { duration: 10 });
  for (const t of [0, 1, 2.5, 7, 12]) {
    const p = (t % 10) / 10;
    const th = (30 * Math.PI) / 180 - 2 * Math.PI * p;
    const got = h.calculatePositionSync(m, t);
    assert.ok(close(got.x, 2 * Math.cos(th), 1e-12) && close(got.y, 2 * Math.sin(th), 1e-12), `t=${t}`);
    assert.equal(got.z, 0);
  }
  // pattern descriptions give the same as a Motion
  assert.deepEqual(
    h.calculatePositionSync({ model: 'circular', params: { radius: 2, startAngle: 30 }, timing: { duration: 10 } }, 2.5),
    h.calculatePositionSync(m, 2.5),
  );
  // options: track id and shift
  const r = h.createMotion('random', { seed: 4 });
  const a = h.calculatePositionSync(r, 0.5, { track: 3, shift: 0.2 });
  const b = h.calculatePositionSync(r, 0.5, { track: 4, shift: 0.2 });
  assert.notDeepEqual(a, b);
});

test('calculatePosition: async on the thread pool, 1,000 in parallel equal the sync results', async () => {
  const models = ['circular', 'lissajous', 'spiral', 'pendulum', 'bounce', 'perlin-noise'];
  const motions = models.map((name) => h.createMotion(name));
  const jobs = [];
  const expected = [];
  for (let i = 0; i < 1000; i++) {
    const t = i * 0.037;
    const k = i % models.length;
    const which = i % 2 === 0 ? motions[k] : { model: models[k] };
    jobs.push(h.calculatePosition(which, t));
    expected.push(h.calculatePositionSync(motions[k], t));
  }
  const got = await Promise.all(jobs);
  assert.equal(got.length, 1000);
  assert.deepEqual(got, expected);
  assert.ok(h.calculatePosition(motions[0], 1) instanceof Promise);
});

test('calculatePosition rejects with a HoloanimError', async () => {
  await assert.rejects(h.calculatePosition({ model: 'nope' }, 1), { name: 'HoloanimError', code: 'ENOTFOUND' });
  await assert.rejects(h.calculatePosition({ model: 'circular', params: { radius: 1e9 } }, 1), (e) => {
    assert.ok(e instanceof h.HoloanimError);
    assert.equal(e.code, 'ERANGE');
    assert.equal(e.kind, 'OutOfBounds');
    assert.equal(e.recoverable, true);
    assert.equal(e.parameter, 'radius');
    assert.equal(e.value, 1e9);
    assert.equal(e.max, 1000);
    return true;
  });
  // Argument checks throw synchronously, also from the promise form (README, Errors).
  assert.throws(() => h.calculatePosition(h.createMotion('circular'), NaN), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE', message: 'time must be a finite number, got NaN' });
});

test('evaluate: Float64Array in, xyz interleaved out, same as calculatePositionSync', () => {
  for (const model of ['circular', 'lissajous', 'pendulum', 'random', 'keyframes']) {
    const m = h.createMotion(model);
    const times = new Float64Array(200).map((_, i) => i * 0.071);
    const out = h.evaluate(m, times);
    assert.ok(out instanceof Float64Array);
    assert.equal(out.length, 600);
    for (let i = 0; i < times.length; i += 17) {
      const p = h.calculatePositionSync(m, times[i], {});
      assert.ok(close(out[3 * i], p.x, 1e-9) && close(out[3 * i + 1], p.y, 1e-9) && close(out[3 * i + 2], p.z, 1e-9), `${model} t=${times[i]}`);
    }
  }
  const m = h.createMotion('random');
  const shifted = h.evaluate(m, [0.5, 1], { track: 7, shift: 0.25 });
  const p = h.calculatePositionSync(m, 0.5, { track: 7, shift: 0.25 });
  assert.deepEqual([shifted[0], shifted[1], shifted[2]], [p.x, p.y, p.z]);
  const out = new Float64Array(9);
  assert.equal(h.evaluate(m, new Float64Array([1, 2, 3]), { out }), out);
  assert.deepEqual(h.evaluate({ model: 'linear' }, []), new Float64Array(0));
  assert.throws(() => h.evaluate(m, [1, Infinity]), { name: 'RangeError', message: 'times[1] must be a finite number, got Infinity' });
  assert.throws(() => h.evaluate(m, [1, 2], { out: new Float64Array(5) }), TypeError);
});

test('evaluate: the SIMD kernels over times agree with calculatePositionSync within 1e-9 m', () => {
  // Closed-form models (kernels) in every loop mode, with frames, shifts and
  // every batch length mod 4; a blending motion (generic fallback); the
  // output array's tail past 3n and a refused call leave memory untouched.
  const cases = [
    { model: 'circular', params: { radius: 800, speed: 37, startAngle: 1234, center: [1, 2, 3], rotation: [10, 20, 30] }, timing: { duration: 3.7, loop: 'loop', speed: 1.3 } },
    { model: 'elliptical', params: { radiusX: 7, radiusY: 2, endAngle: 200, plane: 'xz' }, timing: { duration: 5, loop: 'pingpong', speed: 0.7 } },
    { model: 'orbit', params: { radius: 4, inclination: 30, speed: 3 }, timing: { duration: 2, loop: 'once' } },
    { model: 'circular-scan', params: { radius: 3, height: 2, sweepCount: 5 }, timing: { duration: 9, loop: 'loop' } },
    { model: 'lissajous', params: { frequencyRatioA: 5, frequencyRatioB: 4, amplitudeX: 900, scale: [1, 2, 0.5] }, timing: { duration: 6, loop: 'pingpong', speed: 2 } },
  ];
  for (const c of cases) {
    const m = h.createMotion(c.model, c.params, c.timing);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 9, 1001]) {
      const times = new Float64Array(n).map((_, i) => -3 + i * 0.0371);
      const opts = { track: 2, shift: 0.35, out: new Float64Array(3 * n + 2).fill(-7) };
      const out = h.evaluate(m, times, opts);
      assert.equal(out, opts.out);
      assert.deepEqual([out[3 * n], out[3 * n + 1]], [-7, -7]);
      for (let i = 0; i < n; i += n > 100 ? 13 : 1) {
        const p = h.calculatePositionSync(m, times[i], { track: 2, shift: 0.35 });
        assert.ok(close(out[3 * i], p.x) && close(out[3 * i + 1], p.y) && close(out[3 * i + 2], p.z), `${c.model} n=${n} t=${times[i]}`);
      }
    }
  }
  const b = h.createMotion('circular', { radius: 2 }, { duration: 4 });
  b.update({ radius: 5 }, null, { now: 1, window: 2 });
  const times = new Float64Array(40).map((_, i) => i * 0.1);
  const out = h.evaluate(b, times);
  for (let i = 0; i < 40; i++) {
    const p = h.calculatePositionSync(b, times[i], {});
    assert.deepEqual([out[3 * i], out[3 * i + 1], out[3 * i + 2]], [p.x, p.y, p.z], `blend t=${times[i]}`);
  }
  const keep = new Float64Array(6).fill(-7);
  assert.throws(() => h.evaluate(b, new Float64Array([1, NaN]), { out: keep }), { name: 'RangeError', message: 'times[1] must be a finite number, got NaN' });
  assert.deepEqual(Array.from(keep), [-7, -7, -7, -7, -7, -7]);
});

test('params: numbers, vectors, strings, booleans, points, keyframes', () => {
  const kf = h.createMotion('keyframes', {
    keyframes: [
      { time: 0, position: [0, 0, 0] },
      { time: 5, position: { x: 10, y: 0, z: 0 }, easing: 'quad-in-out' },
      { time: 10, position: [10, 10, 0] },
    ],
  }, { duration: 10, loop: 'once' });
  const p = h.calculatePositionSync(kf, 2.5);
  assert.ok(close(p.x, 5), JSON.stringify(p));
  const cr = h.createMotion('catmull-rom', { controlPoints: [[0, 0, 0], [1, 1, 0], [2, 0, 0]], closed: true });
  assert.deepEqual(h.calculatePositionSync(cr, 0), { x: 0, y: 0, z: 0 });
  const cr2 = h.createMotion('catmull-rom', { controlPoints: new Float64Array([0, 0, 0, 1, 1, 0, 2, 0, 0]) }, { loop: 'once' });
  assert.deepEqual(h.calculatePositionSync(cr2, 10), { x: 2, y: 0, z: 0 });
  const sc = h.createMotion('circular', { radius: 1, scale: 2, rotation: [1, 0, 0, 0] });
  assert.ok(close(Math.hypot(...Object.values(h.calculatePositionSync(sc, 1))), 2));
  const rot = { radius: 1, rotation: [90, 0, 90] };
  const zyx = h.calculatePositionSync(h.createMotion('circular', rot), 0);
  assert.deepEqual(h.calculatePositionSync(h.createMotion('circular', { ...rot, rotationOrder: 'ZYX' }), 0), zyx);
  const xzy = h.calculatePositionSync(h.createMotion('circular', { ...rot, rotationOrder: 'XZY' }), 0);
  assert.ok(Math.hypot(xzy.x - zyx.x, xzy.y - zyx.y, xzy.z - zyx.z) > 0.5, JSON.stringify([zyx, xzy]));
  assert.throws(() => h.createMotion('circular', { ...rot, rotationOrder: 'XYX' }), /rotationOrder: 'XYX' is not one of XYZ\|XZY/);
  assert.throws(() => h.createMotion('circular', { rotation: [1, 0, 0, 0], rotationOrder: 'XYZ' }), /rotationOrder/);
  const osc = h.createMotion('oscillator', { amplitude: { x: 0, y: 0, z: 3 } });
  assert.equal(osc.model, 'oscillator');
});

test('interpolateTrajectory: linear, catmull-rom through the points, errors', () => {
  const lin = h.interpolateTrajectory([[0, 0, 0], [4, 0, 0]], { method: 'linear', samples: 5 });
  assert.deepEqual(Array.from(lin), [0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0]);
  const pts = [[0, 0, 0], [1, 2, 0], [3, 1, 1], [4, 4, 0]];
  const cr = h.interpolateTrajectory(new Float64Array(pts.flat()), { samples: 31 });
  assert.equal(cr.length, 93);
  // each point is passed at an equal share of the parameter: samples 0, 10, 20, 30
  for (let k = 0; k < 4; k++) {
    for (let c = 0; c < 3; c++) assert.ok(close(cr[3 * 10 * k + c], pts[k][c], 1e-9));
  }
  assert.equal(h.interpolateTrajectory(pts).length, 300);
  assert.throws(() => h.interpolateTrajectory(pts, { alpha: 2 }), { code: 'ERANGE', parameter: 'alpha' });
  assert.throws(() => h.interpolateTrajectory(pts, { method: 'cubic' }), { code: 'EINVAL', kind: 'InvalidParameter' });
  assert.throws(() => h.interpolateTrajectory([[0, 0, 0]]), { code: 'EINVAL' });
});

test('groupPositions and maintainFormation', () => {
  const m = h.createMotion('circular', { radius: 2 });
  const shared = h.groupPositions({ motion: m, count: 3 }, 1.5);
  assert.equal(shared.length, 9);
  assert.deepEqual(Array.from(shared.subarray(3, 6)), Array.from(shared.subarray(0, 3)));
  const bases = [[0, 0, 0], [10, 0, 0]];
  const rel = h.groupPositions({ motion: m, mode: 'relative', bases }, 1.5);
  assert.ok(close(rel[3] - rel[0], 10) && close(rel[4], rel[1]));
  const phased = h.groupPositions({ motion: m, tracks: [1, 2], phaseOffset: 2.5 }, 5);
  const p1 = h.calculatePositionSync(m, 2.5);
  assert.ok(close(phased[3], p1.x) && close(phased[4], p1.y));
  const mirror = h.groupPositions({ motion: { model: 'circular', params: { radius: 2 } }, mode: 'mirror', count: 2, mirrorAxis: 'x' }, 1);
  assert.ok(close(mirror[3], -mirror[0]));
  assert.throws(() => h.groupPositions({ motion: m, mode: 'relative', count: 2 }, 1), { name: 'HoloanimError', code: 'EINVAL' });
  assert.throws(() => h.groupPositions({ motion: m, mode: 'sideways' }, 1), { code: 'EINVAL' });

  const out = h.maintainFormation([5, 5, 0], [[0, 0, 0], [2, 0, 0], [1, 3, 0]]);
  const cx = (out[0] + out[3] + out[6]) / 3;
  const cy = (out[1] + out[4] + out[7]) / 3;
  assert.ok(close(cx, 5) && close(cy, 5));
  assert.ok(close(out[3] - out[0], 2), 'rigid');
  assert.throws(() => h.maintainFormation([0, 0, 0], []), { code: 'EINVAL' });
});

test('errors: HoloanimError with code, message, recoverable, kind and details', () => {
  const cases = [
    [() => h.createMotion('warp-drive'), { code: 'ENOTFOUND', recoverable: false }],
    [() => h.createMotion('circular', { radius: -1 }), { code: 'ERANGE', kind: 'OutOfBounds', recoverable: true, parameter: 'radius', value: -1, min: 0, max: 1000, message: 'radius: -1 is below the minimum 0' }],
    [() => h.createMotion('circular', { wobble: 1 }), { code: 'EINVAL', kind: 'InvalidParameter', recoverable: false, parameter: 'wobble' }],
    [() => h.createMotion('circular', { direction: 'sideways' }), { code: 'EINVAL', kind: 'InvalidParameter', parameter: 'direction' }],
    [() => h.createMotion('circular', {}, { duration: 0 }), { code: 'ERANGE', parameter: 'duration' }],
    [() => h.createMotion('circular', {}, { loop: 'forever' }), { code: 'EINVAL' }],
  ];
  for (const [fn, want] of cases) {
    assert.throws(fn, (e) => {
      assert.ok(e instanceof h.HoloanimError && e instanceof Error, String(e));
      assert.equal(e.name, 'HoloanimError');
      assert.equal(typeof e.message, 'string');
      assert.ok(e.message.length > 0);
      for (const [k, v] of Object.entries(want)) assert.equal(e[k], v, `${k} of ${e.message}`);
      return true;
    });
  }
  const e = (() => { try { h.createMotion('circular', { radius: 2000 }); } catch (x) { return x; } })();
  assert.deepEqual(e.recovery, { type: 'clamp', value: 1000 });
  assert.equal(h.statusName(-2), 'ERANGE');
});

test('wrong argument types throw a TypeError, never crash', () => {
  const m = h.createMotion('circular');
  const calls = [
    () => h.createMotion(),
    () => h.createMotion(42),
    () => h.createMotion('circular', 5),
    () => h.createMotion('circular', [1, 2]),
    () => h.createMotion('circular', { radius: () => 1 }),
    () => h.createMotion('circular', { radius: Symbol('r') }),
    () => h.createMotion('circular', { center: [1, 'a', 3] }),
    () => h.createMotion('circular', {}, 'slow'),
    () => h.createMotion('circular', {}, { duration: '10' }),
    () => h.createMotion('keyframes', { keyframes: [{ time: 'x', position: [0, 0, 0] }] }),
    () => h.calculatePositionSync(),
    () => h.calculatePositionSync(m),
    () => h.calculatePositionSync(1, 2),
    () => h.calculatePositionSync({}, 2),
    () => h.calculatePositionSync({ model: 7 }, 2),
    () => h.calculatePositionSync(m, '1'),
    () => h.calculatePositionSync(m, 1, 'track'),
    () => h.calculatePositionSync(m, 1, { track: -1 }),
    () => h.calculatePositionSync(Object.create(h.Motion.prototype), 1),
    () => h.calculatePosition(null, 1),
    () => h.calculatePosition(m, null),
    () => h.evaluate(m),
    () => h.evaluate(m, 'times'),
    () => h.evaluate(m, new Int32Array(3)),
    () => h.evaluate(m, [1, '2']),
    () => h.evaluate(m, [1], 3),
    () => h.interpolateTrajectory(),
    () => h.interpolateTrajectory('points'),
    () => h.interpolateTrajectory([[0, 0]]),
    () => h.interpolateTrajectory(new Float64Array(4)),
    () => h.interpolateTrajectory([[0, 0, 0], [1, 1, 1]], 'linear'),
    () => h.interpolateTrajectory([[0, 0, 0], [1, 1, 1]], { samples: 'many' }),
    () => h.groupPositions(),
    () => h.groupPositions(null, 1),
    () => h.groupPositions({ motion: m }, 'now'),
    () => h.groupPositions({ motion: 3 }, 1),
    () => h.groupPositions({ motion: m, tracks: 'all' }, 1),
    () => h.maintainFormation(),
    () => h.maintainFormation([0, 0], [[1, 1, 1]]),
    () => h.maintainFormation([0, 0, 0], 'members'),
    () => h.Motion('circular'),
    () => h.Motion.prototype.update.call({}, {}),
    () => m.velocity('1'),
    () => m.update(5),
  ];
  calls.forEach((fn, i) => {
    assert.throws(fn, (e) => e instanceof TypeError || e instanceof RangeError, `call #${i}: ${fn}`);
  });
});

test('every non-finite or out-of-range number argument is a RangeError naming it, its value and its range', async () => {
  const m = h.createMotion('circular', { radius: 2 });
  const p = new h.Player({});
  try {
    const cases = [
      [() => h.calculatePositionSync(m, NaN), 'time must be a finite number, got NaN'],
      [() => h.calculatePositionSync(m, -Infinity), 'time must be a finite number, got -Infinity'],
      [() => h.calculatePosition(m, Infinity), 'time must be a finite number, got Infinity'],
      [() => h.calculatePosition({ model: 'linear' }, NaN), 'time must be a finite number, got NaN'],
      [() => h.evaluate(m, new Float64Array([0, 1, NaN])), 'times[2] must be a finite number, got NaN'],
      [() => h.evaluate(m, [NaN]), 'times[0] must be a finite number, got NaN'],
      [() => m.velocity(NaN), 'time must be a finite number, got NaN'],
      [() => h.groupPositions({ motion: m, count: 2 }, Infinity), 'time must be a finite number, got Infinity'],
      [() => p.seek(NaN), 'time must be a finite number, got NaN'],
      [() => p.seek(1e18), 'time must be in [-1e+09, 1e+09], got 1e+18'],
      [() => p.setSpeed(5e-324), 'speed must be in [0.001, 1000], got 4.9406564584124654e-324'],
      [() => p.setSpeed(-1), 'speed must be in [0.001, 1000], got -1'],
      [() => p.stop(-1), 'fade must be in [0, 3600], got -1'],
      [() => p.stopAnimation(0, 1e9), 'fade must be in [0, 3600], got 1000000000'],
      [() => p.stopTrack(1, NaN), 'fade must be a finite number, got NaN'],
      [() => p.startAnimation({ tracks: [1], model: 'circular', fadeIn: -1 }), 'fadeIn must be in [0, 3600], got -1'],
      [() => p.goto(1, [0, 0, 0], { duration: -1 }), 'duration must be in [0, 1e+06], got -1'],
      [() => p.goto(1, [0, 0, 0], { delay: Infinity }), 'delay must be a finite number, got Infinity'],
    ];
    for (const [fn, message] of cases) {
      assert.throws(fn, { name: 'RangeError', code: 'ERR_OUT_OF_RANGE', message }, String(fn));
    }
    // updateState keeps call order, so its argument errors are rejections.
    await assert.rejects(p.updateState({ type: 'setSpeed', speed: 0 }), { name: 'RangeError', message: 'speed must be in [0.001, 1000], got 0' });
    await assert.rejects(p.updateState({ type: 'seek', time: NaN }), { name: 'RangeError', message: 'time must be a finite number, got NaN' });
    // Engine errors that are not argument checks stay HoloanimErrors.
    assert.throws(() => h.calculatePositionSync({ model: 'circular', params: { radius: -1 } }, 1), h.HoloanimError);
  } finally {
    p.close();
  }
});
