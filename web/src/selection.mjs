// The track editor's fields over several tracks at once: the value they
// share (or MIXED), and the one edit that sets a field on all of them.
// Fields: x, y, z (the base in metres), az, el, dist (the same base in aed
// about the origin, aed.mjs), gain (dB), color, name. Plain JavaScript:
// components/SelectionEditor.jsx uses it; test/arrange-unit.test.js checks it.

import { ptr } from './ops.mjs';
import { toAed, fromAed } from './aed.mjs';

/** What a field shows when the selected tracks differ. */
export const MIXED = Symbol('mixed');

const XYZ = { x: 0, y: 1, z: 2 };
const AED = { az: 0, el: 1, dist: 2 };

/** A track's value of `field` (undefined when the track has none). */
export function fieldOf(track, field) {
  const pos = track.position || [0, 0, 0];
  if (field in XYZ) return pos[XYZ[field]];
  if (field in AED) return toAed(pos)[AED[field]];
  return track[field];
}

/** The value every track shares, MIXED when they differ, undefined for none. */
export function commonValue(tracks, field) {
  if (tracks.length === 0) return undefined;
  const first = fieldOf(tracks[0], field);
  return tracks.every((t) => fieldOf(t, field) === first) ? first : MIXED;
}

/**
 * A message when `value` cannot be set on `field` (the engine checks the
 * rest: gain's range, the position bounds), else ''.
 */
export function checkField(field, value) {
  if (field === 'color') return /^#[0-9a-fA-F]{6}$/.test(value) ? '' : `colour "${value}": #rrggbb`;
  if (field === 'name') return typeof value === 'string' ? '' : 'name: text';
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${field}: "${value}" is not a number`;
  if (field === 'el' && (value < -90 || value > 90)) return `elevation: ${value}° is out of range: from -90 to 90°`;
  if (field === 'dist' && value < 0) return `distance: ${value} m is out of range: at least 0 m`;
  if (field === 'az' && (value < -360 || value > 360)) return `azimuth: ${value}° is out of range: from -360 to 360°`;
  return '';
}

/**
 * The edit that sets `field` to `value` on tracks `ids` (one undo step).
 * x, y, z set that coordinate and keep the others; az, el, dist convert each
 * track's base to aed, set that one and convert back (each keeps its other
 * two); a name with `#` numbers the tracks in order (`Vln #` → Vln 1, Vln 2…).
 * Tracks that already have the value are left out; throws on a bad value.
 */
export function setFieldOps(doc, ids, field, value) {
  const bad = checkField(field, value);
  if (bad) throw new Error(bad);
  const tracks = doc.tracks || [];
  const index = new Map(tracks.map((t, i) => [t.id, i]));
  const ops = [];
  ids.forEach((id, k) => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`track ${id} is not in the show`);
    const t = tracks[i];
    if (field in XYZ || field in AED) {
      const pos = [...(t.position || [0, 0, 0])];
      let next;
      if (field in XYZ) {
        next = [...pos];
        next[XYZ[field]] = value;
      } else {
        const aed = toAed(pos);
        aed[AED[field]] = value;
        next = fromAed(aed);
      }
      if (next.every((v, j) => v === pos[j]) && t.position) return;
      ops.push({ op: t.position ? 'replace' : 'add', path: ptr('tracks', i, 'position'), value: next });
      return;
    }
    const v = field === 'name' && value.includes('#') ? value.replace(/#/g, String(k + 1)) : value;
    if (t[field] === v) return;
    ops.push({ op: t[field] === undefined ? 'add' : 'replace', path: ptr('tracks', i, field), value: v });
  });
  return ops;
}
