// Arrange tools: where N selected tracks go on a circle, an arc, a line or a
// grid, or spread evenly from where they stand; the values checked with a
// message per field; the result as one JSON-Patch edit (one undo step).
// Plain JavaScript: the UI (components/Arrange.jsx) uses it and
// test/arrange-unit.test.js checks it with node --test.
//
// Angles are azimuths as the Holophonix device and the aed fields use them
// (aed.mjs): 0° is the front (+Y), 90° the right (+X), clockwise seen from
// above. Positions are rounded to the millimetre, as the rest of the UI
// writes them. Tracks are placed in the order given (the selection's order),
// the first at the start angle (or the line's first end, the grid's front
// left corner).

import { ptr } from './ops.mjs';

/** Track positions' bound (docs/show-format.md, tracks). */
export const LIMIT = 1000;

export const SHAPES = ['circle', 'arc', 'line', 'grid'];

const RAD = Math.PI / 180;
const mm = (v) => Math.round(v * 1000) / 1000 + 0; // + 0: no -0 in the file

/** The fields each shape uses (the UI shows these, in this order). */
export const FIELDS = {
  circle: ['cx', 'cy', 'radius', 'height', 'startAngle', 'direction'],
  arc: ['cx', 'cy', 'radius', 'height', 'startAngle', 'span', 'direction'],
  line: ['x1', 'y1', 'z1', 'x2', 'y2', 'z2'],
  grid: ['cx', 'cy', 'height', 'columns', 'spacingX', 'spacingY'],
};

/**
 * Defaults for the arrange form from the selected tracks' bases: centred on
 * their centroid at their mean height (the origin at 1.5 m for none), a
 * 3 m radius, a line across the front, a square-ish grid.
 */
export function arrangeDefaults(bases) {
  const n = bases.length;
  const mean = (k) => (n ? mm(bases.reduce((s, b) => s + b[k], 0) / n) : k === 2 ? 1.5 : 0);
  const [cx, cy, height] = [mean(0), mean(1), mean(2)];
  return {
    cx,
    cy,
    radius: 3,
    height,
    startAngle: 0,
    span: 180,
    direction: 'clockwise',
    x1: -3,
    y1: 2,
    z1: height,
    x2: 3,
    y2: 2,
    z2: height,
    columns: Math.max(1, Math.ceil(Math.sqrt(n || 1))),
    spacingX: 1,
    spacingY: 1,
  };
}

const inRange = (v, lo, hi) => typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi;

/**
 * The arrangement's problems: {field: message} (empty when it can be
 * applied); `_` holds what belongs to no one field (no track selected,
 * tracks that would land beyond the bounds).
 */
export function checkArrange(shape, p, n) {
  const err = {};
  if (!SHAPES.includes(shape)) return { _: `shape "${shape}": one of ${SHAPES.join(', ')}` };
  const need = (k, ok, what) => {
    if (!FIELDS[shape].includes(k)) return;
    const v = p[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) err[k] = `${k}: "${v}" is not a number`;
    else if (!ok(v)) err[k] = `${k}: ${v} ${what}`;
  };
  const coord = (v) => v >= -LIMIT && v <= LIMIT;
  for (const k of ['cx', 'cy', 'height', 'x1', 'y1', 'z1', 'x2', 'y2', 'z2']) need(k, coord, `m is out of range: from ${-LIMIT} to ${LIMIT} m`);
  need('radius', (v) => v > 0 && v <= LIMIT, `m: the radius must be more than 0 and at most ${LIMIT} m`);
  need('startAngle', (v) => v >= -360 && v <= 360, '°: the start angle must be from -360 to 360°');
  need('span', (v) => v > 0 && v <= 360, '°: the arc spans more than 0 and at most 360°');
  need('columns', (v) => Number.isInteger(v) && v >= 1 && v <= LIMIT, `: the number of columns is a whole number from 1 to ${LIMIT}`);
  need('spacingX', (v) => v > 0 && v <= LIMIT, `m: the spacing must be more than 0 and at most ${LIMIT} m`);
  need('spacingY', (v) => v > 0 && v <= LIMIT, `m: the spacing must be more than 0 and at most ${LIMIT} m`);
  if (FIELDS[shape].includes('direction') && !['clockwise', 'counterclockwise'].includes(p.direction)) {
    err.direction = `direction "${p.direction}": clockwise or counterclockwise`;
  }
  if (shape === 'line' && n > 1 && !err.x1 && p.x1 === p.x2 && p.y1 === p.y2 && p.z1 === p.z2) {
    err.x2 = 'the line\'s two ends are the same point: every track would stand there';
  }
  if (n < 1) err._ = 'select the tracks to arrange first (click them in the list or the views)';
  if (Object.keys(err).length === 0) {
    const out = arrangePositions(shape, p, n).find((q) => !q.every((v) => Math.abs(v) <= LIMIT));
    if (out) err._ = `a track would stand at [${out.join(', ')}], beyond ±${LIMIT} m`;
  }
  return err;
}

/** The point at azimuth `az` (°) on a circle about (cx, cy) of radius r, at height z. */
function onCircle(cx, cy, r, az, z) {
  return [mm(cx + r * Math.sin(az * RAD)), mm(cy + r * Math.cos(az * RAD)), mm(z)];
}

/**
 * Where `n` tracks go (an array of [x, y, z]), for values checkArrange
 * accepts:
 *   circle  evenly all round (360°/n apart) from the start angle;
 *   arc     from the start angle over `span` degrees, both ends included
 *           (one track: the arc's middle; a 360° arc is a circle);
 *   line    from [x1, y1, z1] to [x2, y2, z2], both ends included (one
 *           track: the middle);
 *   grid    rows of `columns` tracks spacingX apart, rows spacingY apart,
 *           centred on (cx, cy) at `height`; the first row is the front one
 *           (largest y), each row left to right.
 */
export function arrangePositions(shape, p, n) {
  const out = [];
  const sign = p.direction === 'counterclockwise' ? -1 : 1;
  switch (shape) {
    case 'circle':
      for (let i = 0; i < n; i++) out.push(onCircle(p.cx, p.cy, p.radius, p.startAngle + (sign * i * 360) / n, p.height));
      break;
    case 'arc': {
      const whole = p.span >= 360;
      for (let i = 0; i < n; i++) {
        const f = whole ? i / n : n === 1 ? 0.5 : i / (n - 1);
        out.push(onCircle(p.cx, p.cy, p.radius, p.startAngle + sign * f * p.span, p.height));
      }
      break;
    }
    case 'line': {
      const a = [p.x1, p.y1, p.z1];
      const b = [p.x2, p.y2, p.z2];
      for (let i = 0; i < n; i++) {
        const f = n === 1 ? 0.5 : i / (n - 1);
        out.push(a.map((v, k) => mm(v + (b[k] - v) * f)));
      }
      break;
    }
    case 'grid': {
      const cols = Math.min(p.columns, n);
      const rows = Math.ceil(n / p.columns);
      for (let i = 0; i < n; i++) {
        const col = i % p.columns;
        const row = Math.floor(i / p.columns);
        out.push([mm(p.cx + (col - (cols - 1) / 2) * p.spacingX), mm(p.cy + ((rows - 1) / 2 - row) * p.spacingY), mm(p.height)]);
      }
      break;
    }
    default:
      throw new Error(`shape "${shape}": one of ${SHAPES.join(', ')}`);
  }
  return out;
}

/**
 * Spread tracks evenly from where they stand (positions in selection order);
 * throws an Error whose message says why not.
 *   line    the first and the last stay, the others go evenly between them
 *           in selection order (heights too);
 *   circle  about their centroid (x, y) at their mean distance from it, each
 *           keeping its height and its place in the round: the first stays
 *           at its azimuth, the others follow clockwise 360°/n apart.
 */
export function distributeEvenly(kind, positions) {
  const n = positions.length;
  if (kind === 'line') {
    if (n < 3) throw new Error('select at least 3 tracks: the first and the last stay, those between are spread');
    const a = positions[0];
    const b = positions[n - 1];
    return positions.map((_, i) => a.map((v, k) => mm(v + ((b[k] - v) * i) / (n - 1))));
  }
  if (kind !== 'circle') throw new Error(`distribute "${kind}": line or circle`);
  if (n < 2) throw new Error('select at least 2 tracks to spread around their centre');
  const cx = positions.reduce((s, q) => s + q[0], 0) / n;
  const cy = positions.reduce((s, q) => s + q[1], 0) / n;
  const r = positions.reduce((s, q) => s + Math.hypot(q[0] - cx, q[1] - cy), 0) / n;
  if (r < 0.001) throw new Error('the tracks stand on one point: there is no circle to spread them on (arrange them on a circle instead)');
  const az = positions.map((q) => Math.atan2(q[0] - cx, q[1] - cy) / RAD);
  const from = (i) => (((az[i] - az[0]) % 360) + 360) % 360; // clockwise from the first
  const order = positions.map((_, i) => i).sort((i, j) => from(i) - from(j) || i - j);
  const out = new Array(n);
  order.forEach((i, k) => {
    out[i] = onCircle(cx, cy, r, az[0] + (k * 360) / n, positions[i][2]);
  });
  return out;
}

/** The edit that moves tracks `ids` to `positions` (same order): one undo step. */
export function positionOps(doc, ids, positions) {
  const index = new Map((doc.tracks || []).map((t, i) => [t.id, i]));
  return ids.map((id, k) => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`track ${id} is not in the show`);
    return { op: doc.tracks[i].position ? 'replace' : 'add', path: ptr('tracks', i, 'position'), value: positions[k] };
  });
}
