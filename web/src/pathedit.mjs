// Path editing in the views, the pure part: which parameters hold a path's
// control points (bezier, catmull-rom, keyframes), where a handle or the
// drawn path is under the pointer, and the parameters after a point is
// moved, inserted or removed. No DOM, no engine: the engine validates the
// result when it is previewed and when it is committed (too few points, a
// key out of order...). Tested by test/pathedit.test.js.

/** The models whose control points can be edited in the views (and the alias `custom`). */
export const PATH_MODELS = { bezier: 'bezier', 'catmull-rom': 'catmull-rom', keyframes: 'keyframes', custom: 'keyframes' };

const BEZIER = ['start', 'control1', 'control2', 'end'];

/** 'bezier' | 'catmull-rom' | 'keyframes', or null for a model without editable points. */
export function pathKind(model) {
  return PATH_MODELS[model] || null;
}

// The engine's built-in point lists (the registry gives no default for them: MODELS.md, keyframes.c)
const BUILTIN = {
  controlPoints: [[-5, 0, 0], [-2, 3, 0], [2, -3, 0], [5, 0, 0]],
  keyframes: [{ time: 0, position: [-5, 0, 0] }, { time: 5, position: [0, 5, 0] }, { time: 10, position: [5, 0, 0] }],
};

/** A parameter's value, else its default in the registry's model entry (`info` list), else the built-in one. */
function valueOf(params, infos, name) {
  if (params && params[name] !== undefined) return params[name];
  const info = (infos || []).find((p) => p.name === name);
  return info && info.default !== null && info.default !== undefined ? info.default : BUILTIN[name];
}

const vec = (v) => (Array.isArray(v) ? [Number(v[0]) || 0, Number(v[1]) || 0, Number(v[2]) || 0] : typeof v === 'number' ? [v, v, v] : [0, 0, 0]);

/** The keyframes, from the parameters or the default, each {time, position, ...}. */
function keysOf(params, infos) {
  const k = valueOf(params, infos, 'keyframes');
  return Array.isArray(k) ? k.map((x) => ({ ...x, position: vec(x.position) })) : [];
}

/** The control points, [[x, y, z]...], in the model's own coordinates. */
export function controlPoints(model, params, infos) {
  switch (pathKind(model)) {
    case 'bezier':
      return BEZIER.map((n) => vec(valueOf(params, infos, n)));
    case 'catmull-rom': {
      const pts = valueOf(params, infos, 'controlPoints');
      return Array.isArray(pts) ? pts.map(vec) : [];
    }
    case 'keyframes':
      return keysOf(params, infos).map((k) => k.position);
    default:
      return [];
  }
}

/** The parameter a point edit replaces: {name, value} (one show edit). */
export function movePoint(model, params, infos, i, pos) {
  const p = vec(pos);
  switch (pathKind(model)) {
    case 'bezier':
      if (i < 0 || i > 3) throw new RangeError(`a bezier has 4 points, not ${i + 1}`);
      return { name: BEZIER[i], value: p };
    case 'catmull-rom': {
      const pts = controlPoints(model, params, infos);
      if (i < 0 || i >= pts.length) throw new RangeError(`no control point ${i + 1}`);
      pts[i] = p;
      return { name: 'controlPoints', value: pts };
    }
    case 'keyframes': {
      const keys = keysOf(params, infos);
      if (i < 0 || i >= keys.length) throw new RangeError(`no keyframe ${i + 1}`);
      keys[i] = { ...keys[i], position: p };
      return { name: 'keyframes', value: keys };
    }
    default:
      throw new TypeError(`${model}: no control points to edit`);
  }
}

/**
 * Insert `pos` into the path. For catmull-rom, between the two neighbours
 * it makes the smallest detour from (or before the first / after the last);
 * for keyframes, at `time` (seconds in the animation; keys stay in time
 * order). A bezier's four points can only be moved.
 */
export function insertPoint(model, params, infos, pos, { time, closed = false } = {}) {
  const p = vec(pos);
  switch (pathKind(model)) {
    case 'catmull-rom': {
      const pts = controlPoints(model, params, infos);
      const at = insertIndex(pts, p, closed);
      pts.splice(at, 0, p);
      return { name: 'controlPoints', value: pts, index: at };
    }
    case 'keyframes': {
      const keys = keysOf(params, infos);
      const t = Number.isFinite(time) ? Math.round(time * 1000) / 1000 : keys.length ? keys[keys.length - 1].time + 1 : 0;
      let at = keys.findIndex((k) => k.time > t);
      if (at < 0) at = keys.length;
      keys.splice(at, 0, { time: t, position: p });
      return { name: 'keyframes', value: keys, index: at };
    }
    case 'bezier':
      throw new RangeError('a bezier has exactly 4 points (start, control1, control2, end): drag them, or use catmull-rom for more');
    default:
      throw new TypeError(`${model}: no control points to edit`);
  }
}

/** Remove point i. The engine says when too few are left. */
export function removePoint(model, params, infos, i) {
  switch (pathKind(model)) {
    case 'catmull-rom': {
      const pts = controlPoints(model, params, infos);
      pts.splice(i, 1);
      return { name: 'controlPoints', value: pts };
    }
    case 'keyframes': {
      const keys = keysOf(params, infos);
      keys.splice(i, 1);
      return { name: 'keyframes', value: keys };
    }
    case 'bezier':
      throw new RangeError('a bezier has exactly 4 points (start, control1, control2, end): they can be moved, not removed');
    default:
      throw new TypeError(`${model}: no control points to edit`);
  }
}

const dist = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Where `p` goes in the polygon `pts`: the index it takes (0 … n). */
export function insertIndex(pts, p, closed = false) {
  const n = pts.length;
  if (n === 0) return 0;
  if (n === 1) return 1;
  // before the first or after the last: the detour is the distance to that end
  let best = dist(p, pts[0]) <= dist(p, pts[n - 1]) ? 0 : n;
  let cost = Math.min(dist(p, pts[0]), dist(p, pts[n - 1]));
  const segs = closed ? n : n - 1;
  for (let i = 0; i < segs; i++) {
    const a = pts[i];
    const b = pts[(i + 1) % n];
    const c = dist(a, p) + dist(p, b) - dist(a, b);
    if (c < cost - 1e-12) {
      cost = c;
      best = i + 1;
    }
  }
  return best;
}

/** The handle (index) within `radius` px of (px, py), nearest first; -1 if none. `xy` is [[x, y]...]. */
export function hitHandle(xy, px, py, radius = 8) {
  let best = -1;
  let bd = radius * radius;
  for (let i = 0; i < xy.length; i++) {
    const dx = xy[i][0] - px;
    const dy = xy[i][1] - py;
    const d = dx * dx + dy * dy;
    if (d <= bd) {
      bd = d;
      best = i;
    }
  }
  return best;
}

/**
 * The point of a screen polyline ([[x, y]...]) nearest to (px, py) if within
 * `tol` px: {segment, t, dist, fraction} where fraction (0 … 1) is how far
 * along the samples it lies (segment + t over the number of segments); null
 * if the path is farther.
 */
export function hitPath(xy, px, py, tol = 6) {
  let best = null;
  for (let i = 0; i + 1 < xy.length; i++) {
    const [ax, ay] = xy[i];
    const [bx, by] = xy[i + 1];
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
    const d = Math.hypot(ax + t * dx - px, ay + t * dy - py);
    if (d <= tol && (!best || d < best.dist)) best = { segment: i, t, dist: d };
  }
  if (best) best.fraction = (best.segment + best.t) / Math.max(1, xy.length - 1);
  return best;
}

/**
 * The time within the animation (0 … duration) at `fraction` of one drawn
 * period: the views draw one period of the path (a ping-pong goes there and
 * back, so its second half runs backwards).
 */
export function timeAt(fraction, duration, loop) {
  const f = Math.max(0, Math.min(1, fraction));
  if (loop === 'pingpong') return (f <= 0.5 ? 2 * f : 2 - 2 * f) * duration;
  return f * duration;
}

/** The pivot of a path model: its first point (MODELS.md, frame parameters). */
export function pivotOf(points) {
  return points.length ? points[0] : [0, 0, 0];
}

/**
 * What the group adds to the model's points to put them in the room, as the
 * engine does for its first track: 0 for shared; base − pivot for relative;
 * barycentre (or the centre point) − pivot for isobarycentric and centered.
 * Other modes draw the model's own points.
 */
export function groupShift(group, bases, points) {
  const mode = (group && group.mode) || 'shared';
  const pivot = pivotOf(points);
  let to = null;
  if (mode === 'relative' && bases.length) to = bases[0];
  else if (mode === 'isobarycentric' && bases.length) to = [0, 1, 2].map((k) => bases.reduce((s, b) => s + b[k], 0) / bases.length);
  else if (mode === 'centered' && group.centerPoint) to = vec(group.centerPoint);
  return to ? [to[0] - pivot[0], to[1] - pivot[1], to[2] - pivot[2]] : [0, 0, 0];
}

const IDENTITY = { rotation: [0, 0, 0], scale: [1, 1, 1], offset: [0, 0, 0], offsetTurn: [0, 0, 0] };

/**
 * The frame parameters that move the path away from its points (rotation,
 * scale, offset, offsetTurn other than identity): the handles would not sit
 * on the path, so the views do not offer them. [] when there are none.
 */
export function framedBy(params) {
  const out = [];
  for (const [k, id] of Object.entries(IDENTITY)) {
    const v = params ? params[k] : undefined;
    if (v === undefined || v === null) continue;
    const arr = typeof v === 'number' ? [v, v, v] : Array.isArray(v) ? v : [];
    if (arr.length === 4 && k === 'rotation' && Math.abs(arr[0]) === 1 && arr[1] === 0 && arr[2] === 0 && arr[3] === 0) continue; // the unit quaternion
    if (arr.some((x, i) => x !== id[i])) out.push(k);
  }
  return out;
}
