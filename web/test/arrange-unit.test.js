'use strict';
// The arrange tools' geometry, the track editor's multi-track edits and the
// animation clipboard, without a browser (src/arrange.mjs, selection.mjs,
// animclip.mjs, aed.mjs); the edits are applied to the core's Show, which
// must take each as one undo step.

const test = require('node:test');
const assert = require('node:assert/strict');
const { h } = require('./helpers');

const near = (a, b, tol = 1e-3) => a.length === b.length && a.every((v, k) => Math.abs(v - b[k]) <= tol);
const load = () => Promise.all([import('../src/arrange.mjs'), import('../src/selection.mjs'), import('../src/animclip.mjs'), import('../src/aed.mjs')]);

/** A show of n tracks at the origin at 1.5 m. */
function showOf(n) {
  const s = new h.Show();
  const tracks = [];
  for (let i = 1; i <= n; i++) tracks.push({ id: i, name: `T${i}`, position: [0, 0, 1.5] });
  s.patch([{ op: 'add', path: '/tracks', value: tracks }]);
  return s;
}

test('aed: the Holophonix convention (0° front, +90° right, clockwise), round trip', async () => {
  const [, , , { toAed, fromAed }] = await load();
  assert.deepEqual(toAed([0, 2, 0]), [0, 0, 2]);
  assert.deepEqual(toAed([3, 0, 0]), [90, 0, 3]);
  assert.deepEqual(toAed([-3, 0, 0]), [-90, 0, 3]);
  assert.deepEqual(toAed([0, 0, 4]), [0, 90, 4]);
  assert.ok(near(fromAed([90, 0, 3]), [3, 0, 0]));
  assert.ok(near(fromAed([180, 0, 1]), [0, -1, 0]));
  for (const p of [[1, 2, 3], [-4, 0.5, 1.5], [0.2, -7, -1]]) assert.ok(near(fromAed(toAed(p)), p, 2e-3), `${p}`);
});

test('circle: 8 tracks radius 3 at 1.5 m, 45° apart clockwise from the front; counterclockwise; start angle', async () => {
  const [{ arrangePositions, arrangeDefaults, checkArrange }] = await load();
  const p = { ...arrangeDefaults([]), cx: 0, cy: 0, radius: 3, height: 1.5, startAngle: 0 };
  assert.deepEqual(checkArrange('circle', p, 8), {});
  const pos = arrangePositions('circle', p, 8);
  const s = 3 * Math.SQRT1_2;
  const want = [[0, 3], [s, s], [3, 0], [s, -s], [0, -3], [-s, -s], [-3, 0], [-s, s]];
  pos.forEach((q, i) => assert.ok(near(q, [...want[i], 1.5]), `track ${i}: ${q}`));
  const ccw = arrangePositions('circle', { ...p, direction: 'counterclockwise' }, 4);
  assert.ok(near(ccw[1], [-3, 0, 1.5]), `${ccw[1]}`);
  const moved = arrangePositions('circle', { ...p, cx: 1, cy: -2, startAngle: 90 }, 2);
  assert.ok(near(moved[0], [4, -2, 1.5]) && near(moved[1], [-2, -2, 1.5]), JSON.stringify(moved));
});

test('arc, line and grid: ends included, one track in the middle, rows from the front', async () => {
  const [{ arrangePositions, arrangeDefaults }] = await load();
  const d = { ...arrangeDefaults([]), cx: 0, cy: 0, radius: 2, height: 1, startAngle: -90, span: 180 };
  const arc = arrangePositions('arc', d, 3);
  assert.ok(near(arc[0], [-2, 0, 1]) && near(arc[1], [0, 2, 1]) && near(arc[2], [2, 0, 1]), JSON.stringify(arc));
  assert.ok(near(arrangePositions('arc', d, 1)[0], [0, 2, 1]));
  const line = arrangePositions('line', { x1: 0, y1: 0, z1: 0, x2: 4, y2: 2, z2: 2 }, 3);
  assert.deepEqual(line, [[0, 0, 0], [2, 1, 1], [4, 2, 2]]);
  assert.deepEqual(arrangePositions('line', { x1: 0, y1: 0, z1: 0, x2: 4, y2: 2, z2: 2 }, 1), [[2, 1, 1]]);
  const grid = arrangePositions('grid', { cx: 0, cy: 0, height: 1.5, columns: 3, spacingX: 2, spacingY: 1 }, 5);
  assert.deepEqual(grid, [[-2, 0.5, 1.5], [0, 0.5, 1.5], [2, 0.5, 1.5], [-2, -0.5, 1.5], [0, -0.5, 1.5]]);
  assert.deepEqual(arrangePositions('grid', { cx: 1, cy: 1, height: 0, columns: 4, spacingX: 1, spacingY: 1 }, 2), [[0.5, 1, 0], [1.5, 1, 0]]);
});

test('checkArrange: a message at each bad field, and for no selection or a track beyond the bounds', async () => {
  const [{ checkArrange, arrangeDefaults }] = await load();
  const d = arrangeDefaults([[0, 0, 1.5]]);
  assert.match(checkArrange('circle', { ...d, radius: -3 }, 4).radius, /radius: -3 m: the radius must be more than 0/);
  assert.match(checkArrange('circle', { ...d, radius: 0 }, 4).radius, /more than 0/);
  assert.match(checkArrange('circle', { ...d, height: NaN }, 4).height, /not a number/);
  assert.match(checkArrange('arc', { ...d, span: 400 }, 4).span, /at most 360/);
  assert.match(checkArrange('grid', { ...d, columns: 1.5 }, 4).columns, /whole number/);
  assert.match(checkArrange('grid', { ...d, spacingX: 0 }, 4).spacingX, /more than 0/);
  assert.match(checkArrange('line', { ...d, x1: 1, y1: 1, z1: 1, x2: 1, y2: 1, z2: 1 }, 4).x2, /same point/);
  assert.match(checkArrange('circle', d, 0)._, /select the tracks/);
  assert.match(checkArrange('circle', { ...d, cx: 999, radius: 5 }, 4)._, /beyond ±1000/);
  // a field the shape does not use is not checked
  assert.deepEqual(checkArrange('line', { ...d, radius: -1 }, 2), {});
});

test('distribute evenly: along the line between the first and the last; around the centroid keeping heights and order', async () => {
  const [{ distributeEvenly }] = await load();
  assert.deepEqual(distributeEvenly('line', [[0, 0, 0], [0.2, 5, 9], [3, 0, 3], [6, 0, 0]]), [[0, 0, 0], [2, 0, 0], [4, 0, 0], [6, 0, 0]]);
  assert.throws(() => distributeEvenly('line', [[0, 0, 0], [1, 1, 1]]), /at least 3/);
  // four tracks bunched on a unit circle about (1, 1): the first stays, the others 90° apart clockwise
  const bunched = [[1, 2, 1], [1.5, 1 + Math.sqrt(0.75), 2], [2, 1, 3], [1 + Math.sqrt(0.5), 1 + Math.sqrt(0.5), 4]];
  const out = distributeEvenly('circle', bunched);
  const c = [bunched.reduce((s, q) => s + q[0], 0) / 4, bunched.reduce((s, q) => s + q[1], 0) / 4];
  const az = out.map((q) => ((Math.atan2(q[0] - c[0], q[1] - c[1]) * 180) / Math.PI + 360) % 360);
  const rel = az.map((a) => (a - az[0] + 360) % 360);
  // clockwise from the first as they stood about their centroid: 1, 3, 2 (1 mm on a 0.5 m radius: 0.2°)
  assert.ok(near([rel[1], rel[3], rel[2]], [90, 180, 270], 0.2), JSON.stringify(rel));
  assert.deepEqual(out.map((q) => q[2]), [1, 2, 3, 4]);
  const r = out.map((q) => Math.hypot(q[0] - c[0], q[1] - c[1]));
  assert.ok(r.every((x) => Math.abs(x - r[0]) < 2e-3), `${r}`);
  assert.throws(() => distributeEvenly('circle', [[1, 1, 1], [1, 1, 2]]), /one point/);
});

test('arrange as one edit in the core: 8 tracks on a circle, one undo restores every position', async () => {
  const [{ arrangePositions, positionOps, arrangeDefaults }] = await load();
  const s = showOf(8);
  const doc = s.toJSON();
  const ids = doc.tracks.map((t) => t.id);
  const pos = arrangePositions('circle', { ...arrangeDefaults([]), cx: 0, cy: 0, radius: 3, height: 1.5 }, 8);
  const v0 = s.version;
  s.patch(positionOps(doc, ids, pos));
  assert.equal(s.version, v0 + 1, 'one change');
  assert.ok(near(s.toJSON().tracks[2].position, [3, 0, 1.5]));
  s.undo();
  assert.ok(s.toJSON().tracks.every((t) => near(t.position, [0, 0, 1.5])), 'one undo restores all');
  assert.throws(() => positionOps(doc, [99], [[0, 0, 0]]), /track 99/);
});

test('the track editor over several tracks: mixed values, one edit per field, aed keeps the other two', async () => {
  const [, { MIXED, commonValue, setFieldOps }, , { toAed }] = await load();
  const s = new h.Show();
  s.patch([{ op: 'add', path: '/tracks', value: [{ id: 1, position: [0, 2, 1.5], gain: -6 }, { id: 2, position: [2, 0, 1.5], gain: -6, color: '#ff0000' }, { id: 3, position: [0, -4, 0] }] }]);
  let doc = s.toJSON();
  assert.equal(commonValue(doc.tracks.slice(0, 2), 'z'), 1.5);
  assert.equal(commonValue(doc.tracks.slice(0, 2), 'gain'), -6);
  assert.equal(commonValue([doc.tracks[0], doc.tracks[2]], 'x'), 0);
  assert.equal(commonValue(doc.tracks, 'x'), MIXED);
  assert.equal(commonValue(doc.tracks, 'gain'), MIXED);
  assert.equal(commonValue(doc.tracks, 'az'), MIXED);
  assert.equal(commonValue(doc.tracks.slice(0, 2), 'dist'), 2.5);
  const v0 = s.version;
  s.patch(setFieldOps(doc, [1, 2, 3], 'gain', -3));
  s.patch(setFieldOps(s.toJSON(), [1, 2, 3], 'color', '#00ff00'));
  s.patch(setFieldOps(s.toJSON(), [1, 2, 3], 'z', 2));
  assert.equal(s.version, v0 + 3, 'one change per field');
  doc = s.toJSON();
  assert.deepEqual(doc.tracks.map((t) => [t.gain, t.color, t.position[2]]), [[-3, '#00ff00', 2], [-3, '#00ff00', 2], [-3, '#00ff00', 2]]);
  // azimuth 90 on all: each keeps its elevation and distance
  const before = doc.tracks.map((t) => toAed(t.position));
  s.patch(setFieldOps(doc, [1, 2, 3], 'az', 90));
  const after = s.toJSON().tracks.map((t) => toAed(t.position));
  after.forEach((a, i) => assert.ok(near(a, [90, before[i][1], before[i][2]], 0.05), `${a} vs ${before[i]}`));
  s.patch(setFieldOps(s.toJSON(), [1, 2], 'name', 'Vln #'));
  assert.deepEqual(s.toJSON().tracks.map((t) => t.name ?? ''), ['Vln 1', 'Vln 2', '']);
  assert.throws(() => setFieldOps(doc, [1], 'el', 120), /elevation: 120° is out of range/);
  assert.throws(() => setFieldOps(doc, [1], 'dist', -1), /distance: -1 m/);
  // the engine words the rest: a gain out of range refused, the show unchanged
  const v = s.version;
  assert.throws(() => s.patch(setFieldOps(s.toJSON(), [1, 2], 'gain', 40)), /gain/);
  assert.equal(s.version, v);
  // one undo: the names again
  s.undo();
  assert.deepEqual(s.toJSON().tracks.map((t) => t.name ?? ''), ['', '', '']);
});

test('copy/paste an animation: replace in place, as a new animation (the unused one goes), as a new group; each one undo step', async () => {
  const [, , { copyAnimation, pasteOps, pasteAsGroupOps, otherUsers }] = await load();
  const s = showOf(4);
  s.patch([
    { op: 'add', path: '/animations', value: [
      { name: 'orbit', model: 'circular', duration: 8, loop: 'pingpong', speed: 2, fadeIn: 1, parameters: { radius: 2, center: [0, 0, 1.5] } },
      { name: 'swing', model: 'pendulum', duration: 4 },
    ] },
    { op: 'add', path: '/groups', value: [
      { name: 'A', animation: 'orbit', tracks: [1, 2], mode: 'relative', phaseSpread: true },
      { name: 'B', animation: 'swing', tracks: [3] },
    ] },
  ]);
  const clip = copyAnimation(s.toJSON(), 'A');
  assert.deepEqual(clip, { from: 'orbit', group: 'A', animation: { model: 'circular', duration: 8, loop: 'pingpong', speed: 2, fadeIn: 1, parameters: { radius: 2, center: [0, 0, 1.5] } }, spec: { mode: 'relative', phaseSpread: true } });
  let v = s.version;
  s.patch(pasteOps(s.toJSON(), clip, 'B', 'replace'));
  assert.equal(s.version, v + 1);
  let doc = s.toJSON();
  const swing = doc.animations.find((a) => a.name === 'swing');
  assert.equal(swing.model, 'circular');
  assert.deepEqual(swing.parameters, { radius: 2, center: [0, 0, 1.5] });
  assert.equal(swing.duration, 8);
  assert.equal(swing.speed, 2);
  s.undo();
  assert.equal(s.toJSON().animations.find((a) => a.name === 'swing').model, 'pendulum');
  // as new: B plays "orbit copy"; swing, now unused, goes
  v = s.version;
  s.patch(pasteOps(s.toJSON(), clip, 'B', 'new'));
  assert.equal(s.version, v + 1);
  doc = s.toJSON();
  assert.deepEqual(doc.animations.map((a) => a.name), ['orbit', 'orbit copy']);
  assert.equal(doc.groups[1].animation, 'orbit copy');
  // pasting again onto A as new: orbit is not used by anyone else, so it goes too
  assert.deepEqual(otherUsers(doc, 'orbit', 0), []);
  s.patch(pasteOps(doc, clip, 'A', 'new'));
  doc = s.toJSON();
  assert.deepEqual(doc.animations.map((a) => a.name).sort(), ['orbit copy', 'orbit copy 2']);
  // onto the selection as a new group
  const { ops, name } = pasteAsGroupOps(doc, clip, [4]);
  s.patch(ops);
  doc = s.toJSON();
  assert.equal(name, 'orbit copy 3');
  assert.deepEqual(doc.groups.find((g) => g.name === name), { name, animation: name, tracks: [4], mode: 'relative', phaseSpread: true, autoStart: true });
  assert.throws(() => pasteAsGroupOps(doc, clip, []), /select the tracks/);
  assert.throws(() => pasteOps(doc, clip, 'nope', 'replace'), /no group "nope"/);
});
