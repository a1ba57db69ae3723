// Drawing the live views on 2D canvases, outside React.
//
// Each view (top: x→ y↑, side: x→ z↑) is two stacked canvases. The one
// below holds what rarely changes — background, metre grid, venue limits, the
// full path of every animated track — and is redrawn only when the document,
// the paths or the size change. The one above is cleared and redrawn every
// animation frame: the stretch of path ahead of each moving source, and the
// sources (cached sprites). The compositor stacks them, so a frame costs no
// full-size copy on the page's thread. That keeps 128 animated tracks inside
// a 60 Hz frame budget on a software-rendered canvas (Chromium without GPU).

import { live } from './client.js';
import { drawHandles } from './pathview.js';

export const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6', '#bcf60c', '#fabebe', '#008080', '#e6beff', '#9a6324', '#fffac8', '#aaffc3', '#ffd8b1', '#808000'];

export function trackColor(t) {
  return t && t.color ? t.color : PALETTE[((t ? t.id : 1) - 1) % PALETTE.length];
}

// where a label may go, tried in order: [dx, dy] from its dot's centre to
// the label's near edge (dx < 0: on the left; dy 0: centred, < 0: above)
const LABEL_SPOTS = [9, 0, -9, 0, 6, -5, 6, 5, -6, -5, -6, 5];
const DOT_CLEAR = 7; // px a label keeps from another source's centre (a dot's radius + 1)
const MAX_LABELS = 64;

const AHEAD = 24; // samples of path drawn bright ahead of a source (a quarter of a loop)

/** The world box a view shows: the venue limits, else the tracks with a margin. */
export function worldBox(doc) {
  if (doc && doc.limits && doc.limits.box) return { min: doc.limits.box.min, max: doc.limits.box.max };
  const min = [-10, -10, 0];
  const max = [10, 10, 6];
  for (const t of (doc && doc.tracks) || []) {
    const p = t.position || [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k], p[k] - 1);
      max[k] = Math.max(max[k], p[k] + 1);
    }
  }
  return { min, max };
}

export class ViewRenderer {
  /**
   * @param canvas the canvas for what moves (transparent, above)
   * @param layer the canvas for what stays (below)
   * @param axes [0, 1] for top (x, y) or [0, 2] for side (x, z)
   */
  constructor(canvas, layer, axes, label) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.axes = axes;
    this.label = label;
    this.layer = layer;
    this.dirty = true;
    this.doc = null;
    this.paths = [];
    this.preview = null;
    this.selection = new Set();
    this.drag = null; // {track, pos}
    this.tracksById = new Map();
    this.rects = new Float32Array(4 * (MAX_LABELS + 256)); // labels placed this frame: x, y, w, h
    this.placed = 0;
    this.w = 0;
    this.h = 0;
    this.dpr = 1;
    this.scale = 1;
    this.ox = 0;
    this.oy = 0;
  }

  setDoc(doc) {
    this.doc = doc;
    this.tracksById = new Map(((doc && doc.tracks) || []).map((t) => [t.id, t]));
    this.dirty = true;
  }

  setPaths(paths) {
    this.paths = paths.map((p) => ({ ...p, cursor: 0 }));
    this.dirty = true;
  }

  setPreview(preview) {
    this.preview = preview;
    this.dirty = true;
  }

  setSelection(sel) {
    this.selection = new Set(sel);
  }

  resize() {
    const r = this.canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(r.width));
    const h = Math.max(1, Math.round(r.height));
    if (w !== this.w || h !== this.h || dpr !== this.dpr) {
      this.w = w;
      this.h = h;
      this.dpr = dpr;
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
      this.layer.width = this.canvas.width;
      this.layer.height = this.canvas.height;
      this.dirty = true;
    }
  }

  #fit() {
    const box = worldBox(this.doc);
    const [a, b] = this.axes;
    const pad = 28;
    const spanA = Math.max(1e-3, box.max[a] - box.min[a]);
    const spanB = Math.max(1e-3, box.max[b] - box.min[b]);
    this.scale = Math.min((this.w - 2 * pad) / spanA, (this.h - 2 * pad) / spanB);
    const cx = (box.min[a] + box.max[a]) / 2;
    const cy = (box.min[b] + box.max[b]) / 2;
    this.ox = this.w / 2 - cx * this.scale;
    this.oy = this.h / 2 + cy * this.scale;
    this.box = box;
  }

  /** World (along the view's two axes) → canvas pixels. */
  sx(v) {
    return this.ox + v * this.scale;
  }

  sy(v) {
    return this.oy - v * this.scale;
  }

  /** Canvas pixels → world along the view's two axes. */
  toWorld(px, py) {
    return [(px - this.ox) / this.scale, (this.oy - py) / this.scale];
  }

  #drawLayer() {
    this.#fit();
    const g = this.layer.getContext('2d', { alpha: false });
    g.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    g.fillStyle = '#0d1014';
    g.fillRect(0, 0, this.w, this.h);
    const [a, b] = this.axes;
    const lo = [Math.floor(this.toWorld(0, 0)[0]), Math.floor(this.toWorld(0, this.h)[1])];
    const hi = [Math.ceil(this.toWorld(this.w, 0)[0]), Math.ceil(this.toWorld(0, 0)[1])];
    const minor = this.scale >= 6;
    g.lineWidth = 1;
    for (let v = lo[0]; v <= hi[0]; v++) {
      if (!minor && v % 5 !== 0) continue;
      g.strokeStyle = v === 0 ? '#3a4656' : v % 5 === 0 ? '#253040' : '#161c24';
      const x = Math.round(this.sx(v)) + 0.5;
      g.beginPath();
      g.moveTo(x, 0);
      g.lineTo(x, this.h);
      g.stroke();
    }
    for (let v = lo[1]; v <= hi[1]; v++) {
      if (!minor && v % 5 !== 0) continue;
      g.strokeStyle = v === 0 ? '#3a4656' : v % 5 === 0 ? '#253040' : '#161c24';
      const y = Math.round(this.sy(v)) + 0.5;
      g.beginPath();
      g.moveTo(0, y);
      g.lineTo(this.w, y);
      g.stroke();
    }
    // metre labels every 5 m
    g.fillStyle = '#6b7a8c';
    g.font = '10px system-ui, sans-serif';
    g.textBaseline = 'top';
    for (let v = Math.ceil(lo[0] / 5) * 5; v <= hi[0]; v += 5) g.fillText(`${v}`, this.sx(v) + 3, this.h - 13);
    g.textBaseline = 'middle';
    for (let v = Math.ceil(lo[1] / 5) * 5; v <= hi[1]; v += 5) {
      if (this.sy(v) > 40) g.fillText(`${v}`, 3, this.sy(v) - 6); // clear of the view's title
    }
    // venue limits
    const box = this.box;
    if (this.doc && this.doc.limits && this.doc.limits.box) {
      g.strokeStyle = '#c98a2b';
      g.setLineDash([6, 4]);
      g.lineWidth = 1.5;
      g.strokeRect(this.sx(box.min[a]), this.sy(box.max[b]), (box.max[a] - box.min[a]) * this.scale, (box.max[b] - box.min[b]) * this.scale);
      g.setLineDash([]);
    }
    // axis names
    g.fillStyle = '#8a98aa';
    g.font = '600 11px system-ui, sans-serif';
    g.textBaseline = 'top';
    g.fillText(this.label, 8, 6);
    g.font = '10px system-ui, sans-serif';
    g.fillText(a === 0 && b === 1 ? 'x → · y ↑ (front) · metres' : 'x → · z ↑ (up) · metres', 8, 20);
    // full paths, faint
    g.lineWidth = 1;
    for (const p of this.paths) {
      const t = this.tracksById.get(p.track);
      g.strokeStyle = trackColor(t);
      g.globalAlpha = p.preview ? 0.35 : 0.28;
      if (p.preview) g.setLineDash([4, 4]);
      this.#polyline(g, p.points, 0, p.points.length / 3 - 1);
      g.setLineDash([]);
    }
    g.globalAlpha = 1;
    // the editor's preview
    if (this.preview) {
      g.strokeStyle = '#ffe066';
      g.lineWidth = 1.5;
      g.setLineDash([5, 3]);
      for (const pts of this.preview.points) this.#polyline(g, pts, 0, pts.length / 3 - 1);
      g.setLineDash([]);
    }
    this.dirty = false;
  }

  #polyline(g, pts, from, to) {
    const [a, b] = this.axes;
    g.beginPath();
    g.moveTo(this.sx(pts[3 * from + a]), this.sy(pts[3 * from + b]));
    for (let k = from + 1; k <= to; k++) g.lineTo(this.sx(pts[3 * k + a]), this.sy(pts[3 * k + b]));
    g.stroke();
  }

  /** Where a track is now: the live frame, else its base. */
  positionOf(t) {
    if (this.drag && this.drag.track === t.id) return this.drag.pos;
    const i = live.index.get(t.id);
    if (i !== undefined && i < live.n) return [live.pos[3 * i], live.pos[3 * i + 1], live.pos[3 * i + 2]];
    return t.position || [0, 0, 0];
  }

  /** Draw one frame. */
  draw() {
    this.resize();
    if (this.dirty) this.#drawLayer();
    const g = this.ctx;
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, this.canvas.width, this.canvas.height);
    g.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    const [a, b] = this.axes;
    // path ahead of each animated source: hairlines, one path per colour. On a
    // software canvas (no GPU) wide strokes cost ~10 ms a frame for 128
    // tracks (measured); hairlines take Skia's fast path.
    const byColor = new Map();
    for (const p of this.paths) {
      const t = this.tracksById.get(p.track);
      if (!t) continue;
      const pos = this.positionOf(t);
      const n = p.points.length / 3;
      p.cursor = nearest(p.points, n, pos, p.cursor);
      const c = trackColor(t);
      let list = byColor.get(c);
      if (!list) byColor.set(c, (list = []));
      list.push(p);
    }
    g.lineWidth = 1;
    for (const [c, list] of byColor) {
      g.strokeStyle = c;
      g.beginPath();
      for (const p of list) {
        const n = p.points.length / 3;
        const end = Math.min(n - 1, p.cursor + AHEAD);
        this.#trace(g, p.points, p.cursor, end);
        // a loop continues from its start
        if (p.cursor + AHEAD > n - 1 && n > 2) this.#trace(g, p.points, 0, Math.min(n - 1, p.cursor + AHEAD - (n - 1)));
      }
      g.stroke();
    }
    // sources and their labels, as cached sprites
    const tracks = (this.doc && this.doc.tracks) || [];
    const n = tracks.length;
    if (this.xs === undefined || this.xs.length !== n) {
      this.xs = new Float32Array(n);
      this.ys = new Float32Array(n);
    }
    for (let i = 0; i < n; i++) {
      const t = tracks[i];
      const p = this.positionOf(t);
      const x = this.sx(p[a]);
      const y = this.sy(p[b]);
      this.xs[i] = x;
      this.ys[i] = y;
      const sp = dotSprite(trackColor(t), this.selection.has(t.id), this.dpr);
      g.drawImage(sp, x - sp.cx, y - sp.cy, sp.w, sp.h);
    }
    // labels, selected first, each beside its dot where it covers no label
    // already placed and no other source (right, left, then above or below);
    // where none of those is free it is left out
    this.placed = 0;
    for (let i = 0; i < n; i++) if (this.selection.has(tracks[i].id)) this.#label(g, tracks, i);
    // with many sources the side view names only the selected ones (in it
    // sources at different depths overlap)
    if (!(this.axes[1] === 2 && n > 16)) for (let i = 0; i < n && this.placed < MAX_LABELS; i++) if (!this.selection.has(tracks[i].id)) this.#label(g, tracks, i);
    drawHandles(this, g); // the edited path's control points, if any
  }

  #label(g, tracks, i) {
    const t = tracks[i];
    const sp = labelSprite(t, this.selection.has(t.id), this.dpr);
    const r = this.rects;
    const n = tracks.length;
    if (this.placed * 4 >= r.length) return;
    for (let s = 0; s < LABEL_SPOTS.length; s += 2) {
      const dx = LABEL_SPOTS[s];
      const dy = LABEL_SPOTS[s + 1];
      const x = this.xs[i] + (dx < 0 ? dx - sp.w : dx);
      const y = this.ys[i] + (dy === 0 ? -sp.h / 2 : dy < 0 ? dy - sp.h : dy);
      let free = true;
      for (let k = 0; k < this.placed && free; k++) free = !(x < r[4 * k] + r[4 * k + 2] && r[4 * k] < x + sp.w && y < r[4 * k + 1] + r[4 * k + 3] && r[4 * k + 1] < y + sp.h);
      for (let j = 0; j < n && free; j++) {
        if (j === i) continue;
        const cx = Math.max(x, Math.min(this.xs[j], x + sp.w));
        const cy = Math.max(y, Math.min(this.ys[j], y + sp.h));
        free = (cx - this.xs[j]) ** 2 + (cy - this.ys[j]) ** 2 > DOT_CLEAR * DOT_CLEAR;
      }
      if (!free) continue;
      r[4 * this.placed] = x;
      r[4 * this.placed + 1] = y;
      r[4 * this.placed + 2] = sp.w;
      r[4 * this.placed + 3] = sp.h;
      this.placed++;
      g.drawImage(sp, x, y, sp.w, sp.h);
      return;
    }
  }

  /** The labels drawn in the last frame: [x, y, w, h] in canvas pixels (tests). */
  labelRects() {
    const out = [];
    for (let k = 0; k < this.placed; k++) out.push(Array.from(this.rects.subarray(4 * k, 4 * k + 4)));
    return out;
  }

  /** Where each source was drawn in the last frame: [[x, y], ...] in canvas pixels, in the show's order (tests). */
  dots() {
    const n = ((this.doc && this.doc.tracks) || []).length;
    const out = [];
    for (let i = 0; i < n; i++) out.push([this.xs[i], this.ys[i]]);
    return out;
  }

  #trace(g, pts, from, to) {
    const [a, b] = this.axes;
    g.moveTo(this.sx(pts[3 * from + a]), this.sy(pts[3 * from + b]));
    for (let k = from + 1; k <= to; k++) g.lineTo(this.sx(pts[3 * k + a]), this.sy(pts[3 * k + b]));
  }

  /** The track under a canvas point (within 12 px), or null. */
  hit(px, py) {
    const [a, b] = this.axes;
    let best = null;
    let bd = 12 * 12;
    for (const t of (this.doc && this.doc.tracks) || []) {
      const p = this.positionOf(t);
      const dx = this.sx(p[a]) - px;
      const dy = this.sy(p[b]) - py;
      const d = dx * dx + dy * dy;
      if (d < bd) {
        bd = d;
        best = t;
      }
    }
    return best;
  }
}

const sprites = new Map();

/** A source's dot, drawn once per colour and state. */
function dotSprite(color, selected, dpr, radius) {
  const key = `d${color}${selected ? 1 : 0}${radius || ''}@${dpr}`;
  let c = sprites.get(key);
  if (c) return c;
  const r = radius || (selected ? 7 : 5.5);
  const size = Math.ceil(2 * r + 4);
  c = document.createElement('canvas');
  c.width = Math.ceil(size * dpr);
  c.height = Math.ceil(size * dpr);
  const g = c.getContext('2d');
  g.scale(dpr, dpr);
  g.fillStyle = color;
  g.beginPath();
  g.arc(size / 2, size / 2, r, 0, 2 * Math.PI);
  g.fill();
  if (!radius) {
    g.lineWidth = selected ? 2 : 1;
    g.strokeStyle = selected ? '#ffffff' : '#0d1014';
    g.stroke();
  }
  c.w = size;
  c.h = size;
  c.cx = size / 2;
  c.cy = size / 2;
  sprites.set(key, c);
  return c;
}

/** A source's label ("12 Violin"), drawn once per text and state. */
export function labelSprite(t, selected, dpr) {
  const text = t.name ? `${t.id} ${t.name}` : `${t.id}`;
  const key = `l${text}${selected ? 1 : 0}@${dpr}`;
  let c = sprites.get(key);
  if (c) return c;
  if (sprites.size > 4000) sprites.clear();
  c = document.createElement('canvas');
  const g0 = c.getContext('2d');
  g0.font = '11px system-ui, sans-serif';
  const w = Math.ceil(g0.measureText(text).width) + 2;
  const h = 14;
  c.width = Math.ceil(w * dpr);
  c.height = Math.ceil(h * dpr);
  const g = c.getContext('2d');
  g.scale(dpr, dpr);
  g.font = '11px system-ui, sans-serif';
  g.textBaseline = 'middle';
  g.fillStyle = selected ? '#ffffff' : '#c8d2de';
  g.fillText(text, 1, h / 2);
  c.w = w;
  c.h = h;
  sprites.set(key, c);
  return c;
}

/** Index of the path sample nearest to `pos`, searching near the last one first. */
function nearest(pts, n, pos, from) {
  let best = from;
  let bd = Infinity;
  const near = (k) => {
    const dx = pts[3 * k] - pos[0];
    const dy = pts[3 * k + 1] - pos[1];
    const dz = pts[3 * k + 2] - pos[2];
    return dx * dx + dy * dy + dz * dz;
  };
  for (let d = -4; d <= 8; d++) {
    const k = (((from + d) % n) + n) % n;
    const v = near(k);
    if (v < bd) {
      bd = v;
      best = k;
    }
  }
  if (bd < 0.09) return best;
  for (let k = 0; k < n; k++) {
    const v = near(k);
    if (v < bd) {
      bd = v;
      best = k;
    }
  }
  return best;
}
