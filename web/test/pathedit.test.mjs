// The pure part of path editing (src/pathedit.mjs): control points of each
// path model, moving, inserting and removing one, and what is under the pointer.
import test from 'node:test';
import assert from 'node:assert/strict';
import { framedBy, pathKind, controlPoints, movePoint, insertPoint, removePoint, insertIndex, hitHandle, hitPath, timeAt, groupShift } from '../src/pathedit.mjs';

const infos = [
  { name: 'start', default: [-5, 0, 0] },
  { name: 'control1', default: [-2, 5, 2] },
  { name: 'control2', default: [2, 5, -2] },
  { name: 'end', default: [5, 0, 0] },
  { name: 'controlPoints', default: [[-5, 0, 0], [-2, 3, 0], [2, -3, 0], [5, 0, 0]] },
];

test('which models have control points', () => {
  assert.equal(pathKind('bezier'), 'bezier');
  assert.equal(pathKind('catmull-rom'), 'catmull-rom');
  assert.equal(pathKind('keyframes'), 'keyframes');
  assert.equal(pathKind('custom'), 'keyframes');
  assert.equal(pathKind('circular'), null);
  assert.deepEqual(controlPoints('circular', {}, []), []);
});

test('bezier: four points from the parameters or their defaults; moved one at a time, never added or removed', () => {
  assert.deepEqual(controlPoints('bezier', { end: [6, 1, 0] }, infos), [[-5, 0, 0], [-2, 5, 2], [2, 5, -2], [6, 1, 0]]);
  assert.deepEqual(movePoint('bezier', {}, infos, 1, [1, 2, 3]), { name: 'control1', value: [1, 2, 3] });
  assert.throws(() => insertPoint('bezier', {}, infos, [0, 0, 0]), /exactly 4 points/);
  assert.throws(() => removePoint('bezier', {}, infos, 0), /exactly 4 points/);
  assert.throws(() => movePoint('bezier', {}, infos, 4, [0, 0, 0]), RangeError);
});

test('catmull-rom: a point goes where it makes the smallest detour', () => {
  const p = { controlPoints: [[0, 0, 0], [10, 0, 0], [10, 10, 0]] };
  assert.deepEqual(movePoint('catmull-rom', p, infos, 2, [9, 9, 1]).value, [[0, 0, 0], [10, 0, 0], [9, 9, 1]]);
  assert.deepEqual(p.controlPoints[2], [10, 10, 0], 'the parameters given are not changed');
  // near the middle of the first segment
  let r = insertPoint('catmull-rom', p, infos, [5, 0.5, 0]);
  assert.equal(r.index, 1);
  assert.deepEqual(r.value, [[0, 0, 0], [5, 0.5, 0], [10, 0, 0], [10, 10, 0]]);
  // past the last point: appended; before the first: prepended
  assert.equal(insertPoint('catmull-rom', p, infos, [10, 14, 0]).index, 3);
  assert.equal(insertPoint('catmull-rom', p, infos, [-3, 0, 0]).index, 0);
  // closed: the segment back to the first point counts
  assert.equal(insertIndex(p.controlPoints, [5, 5.5, 0], true), 3);
  assert.equal(insertIndex(p.controlPoints, [5, 5.5, 0], false), 2);
  // the default points when none are set
  assert.equal(insertPoint('catmull-rom', {}, infos, [0, 0, 0]).value.length, 5);
  assert.deepEqual(removePoint('catmull-rom', p, infos, 1).value, [[0, 0, 0], [10, 10, 0]]);
});

test('keyframes: a key inserted at its time keeps the keys in order; removed; moved keeps its time and easing', () => {
  const p = { keyframes: [{ time: 0, position: [0, 0, 0] }, { time: 2, position: [2, 0, 0], easing: 'quad-in' }, { time: 4, position: [4, 0, 0] }] };
  const r = insertPoint('keyframes', p, infos, [3, 1, 0], { time: 3.00004 });
  assert.equal(r.index, 2);
  assert.deepEqual(r.value.map((k) => k.time), [0, 2, 3, 4]);
  assert.deepEqual(insertPoint('keyframes', p, infos, [9, 0, 0], { time: 9 }).index, 3);
  assert.deepEqual(movePoint('keyframes', p, infos, 1, [2, 5, 0]).value[1], { time: 2, position: [2, 5, 0], easing: 'quad-in' });
  assert.deepEqual(removePoint('keyframes', p, infos, 0).value.map((k) => k.time), [2, 4]);
  assert.equal(p.keyframes.length, 3);
});

test('hit-testing: the nearest handle within the radius; the path with where along it', () => {
  const xy = [[10, 10], [40, 10], [42, 12]];
  assert.equal(hitHandle(xy, 12, 11), 0);
  assert.equal(hitHandle(xy, 41, 11.5), 2, 'the nearer of two close handles');
  assert.equal(hitHandle(xy, 100, 100), -1);
  const line = [[0, 0], [100, 0], [100, 100]];
  const h = hitPath(line, 50, 3);
  assert.equal(h.segment, 0);
  assert.ok(Math.abs(h.t - 0.5) < 1e-9);
  assert.ok(Math.abs(h.fraction - 0.25) < 1e-9);
  assert.equal(hitPath(line, 50, 30), null);
  assert.ok(Math.abs(hitPath(line, 102, 50).fraction - 0.75) < 1e-9);
});

test('time along one drawn period; a ping-pong comes back', () => {
  assert.equal(timeAt(0.25, 8, 'loop'), 2);
  assert.equal(timeAt(0.25, 8, 'pingpong'), 4);
  assert.equal(timeAt(0.75, 8, 'pingpong'), 4);
  assert.equal(timeAt(2, 8, 'once'), 8);
});

test('the group puts the model in the room: relative on the first base, isobarycentric on the centroid', () => {
  const pts = [[1, 1, 0], [3, 1, 0]];
  assert.deepEqual(groupShift({ mode: 'shared' }, [[5, 5, 1]], pts), [0, 0, 0]);
  assert.deepEqual(groupShift({ mode: 'relative' }, [[5, 5, 1], [0, 0, 0]], pts), [4, 4, 1]);
  assert.deepEqual(groupShift({ mode: 'isobarycentric' }, [[4, 0, 0], [0, 2, 2]], pts), [1, 0, 1]);
  assert.deepEqual(groupShift({ mode: 'centered', centerPoint: [1, 2, 3] }, [], pts), [0, 1, 3]);
});

test('a path moved by its frame parameters gets no handles', () => {
  assert.deepEqual(framedBy({}), []);
  assert.deepEqual(framedBy({ rotation: [0, 0, 0], scale: 1, offset: [0, 0, 0] }), []);
  assert.deepEqual(framedBy({ rotation: [0, 0, 30], scale: [1, 2, 1], offset: [0, 0, 1], offsetTurn: [0, 0, 0] }), ['rotation', 'scale', 'offset']);
  assert.deepEqual(framedBy({ scale: 2 }), ['scale']);
});
