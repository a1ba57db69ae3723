// The 3D perspective view, drawn with three.js outside React.
//
// World coordinates are the show's own (x right, y front, z up): the camera's
// up is +z, so nothing is converted. What moves is drawn with a few objects
// whose buffers are allocated once for a capacity of tracks and rewritten in
// place every frame: one instanced mesh for the sources (one draw call for
// 128), one line set for the drops to the floor and one for the trails (a
// ring of recent positions per source). Labels and the selection's rings are
// sprites on a 2D canvas above the WebGL one (the labels are the 2D views'
// cached sprites): 128 text meshes would be 128 draw calls and textures.
// What rarely changes (grid, venue box, listener, the running paths, the
// editor's preview) is rebuilt only when the show, the paths or the preview
// change. A frame is drawn only when new positions came, the camera moved,
// or something shown changed.

import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { live } from './client.js';
import { labelSprite, trackColor, worldBox } from './render.js';

const TRAIL = 24; // positions kept per source (about 0.4 s at 60 frames/s)
const BG = new THREE.Color('#0d1014');
const RADIUS = 0.16; // a source's sphere, metres

/** Line segments with `verts` preallocated vertices (position + colour). */
function lineSet(verts, material) {
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(new Float32Array(verts * 3), 3).setUsage(THREE.DynamicDrawUsage));
  g.setAttribute('color', new THREE.BufferAttribute(new Float32Array(verts * 3), 3));
  g.setDrawRange(0, 0);
  const l = new THREE.LineSegments(g, material);
  l.frustumCulled = false;
  return l;
}

/** Segments joining consecutive samples of each flat [x,y,z,...] array. */
function pathSegments(list, colorOf, fade, dashed) {
  let n = 0;
  for (const it of list) n += Math.max(0, it.points.length / 3 - 1);
  const pos = new Float32Array(n * 6);
  const col = new Float32Array(n * 6);
  const c = new THREE.Color();
  let o = 0;
  for (const it of list) {
    c.set(colorOf(it)).lerp(BG, fade);
    const p = it.points;
    for (let k = 0; k + 5 < p.length; k += 3) {
      for (let q = 0; q < 6; q++) pos[o + q] = p[k + q];
      col[o] = col[o + 3] = c.r;
      col[o + 1] = col[o + 4] = c.g;
      col[o + 2] = col[o + 5] = c.b;
      o += 6;
    }
  }
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(pos, 3));
  g.setAttribute('color', new THREE.BufferAttribute(col, 3));
  const mat = dashed ? new THREE.LineDashedMaterial({ vertexColors: true, dashSize: 0.25, gapSize: 0.15 }) : new THREE.LineBasicMaterial({ vertexColors: true });
  const l = new THREE.LineSegments(g, mat);
  if (dashed) l.computeLineDistances();
  return l;
}

let ring = null;

/** The selection's ring, drawn once (a 2D sprite: cheaper than a mesh per source on a software rasteriser). */
function ringSprite(dpr) {
  if (ring && ring.dpr === dpr) return ring;
  const size = 22;
  ring = document.createElement('canvas');
  ring.width = Math.ceil(size * dpr);
  ring.height = Math.ceil(size * dpr);
  const g = ring.getContext('2d');
  g.scale(dpr, dpr);
  g.strokeStyle = '#ffffff';
  g.lineWidth = 2;
  g.beginPath();
  g.arc(size / 2, size / 2, size / 2 - 2, 0, 2 * Math.PI);
  g.stroke();
  ring.w = size;
  ring.h = size;
  ring.dpr = dpr;
  return ring;
}

/** True when WebGL is rasterised on the CPU (SwiftShader, llvmpipe: Chromium without a GPU). */
function softwareGL() {
  const c = document.createElement('canvas');
  const g = c.getContext('webgl2') || c.getContext('webgl');
  if (!g) return false;
  const x = g.getExtension('WEBGL_debug_renderer_info');
  const name = x ? g.getParameter(x.UNMASKED_RENDERER_WEBGL) : '';
  const lose = g.getExtension('WEBGL_lose_context');
  if (lose) lose.loseContext();
  return /swiftshader|llvmpipe|software/i.test(name);
}

function disposeTree(obj) {
  obj.traverse((o) => {
    if (o.geometry) o.geometry.dispose();
    if (o.material) o.material.dispose();
  });
}

export class View3DRenderer {
  /**
   * @param canvas the WebGL canvas (receives the pointer)
   * @param overlay a 2D canvas above it for the labels
   */
  constructor(canvas, overlay) {
    this.canvas = canvas;
    this.overlay = overlay;
    this.octx = overlay.getContext('2d');
    // multisampling multiplies a software rasteriser's work (measured: 4.5 fps
    // with it, 25 without, 128 sources in SwiftShader on a loaded machine)
    this.software = softwareGL();
    this.gl = new THREE.WebGLRenderer({ canvas, antialias: !this.software });
    this.gl.setClearColor(BG, 1);
    this.scene = new THREE.Scene();
    this.camera = new THREE.PerspectiveCamera(45, 1, 0.05, 1000);
    this.camera.up.set(0, 0, 1); // the show's z is up (before the controls read it)
    this.camera.position.set(9, -16, 10);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.target.set(0, 0, 1);
    this.controls.update();
    this.controls.addEventListener('change', () => {
      this.dirty = true;
    });
    // the camera frames the venue until the user moves it
    this.userMoved = false;
    this.controls.addEventListener('start', () => {
      this.userMoved = true;
    });
    this.scene.add(new THREE.HemisphereLight(0xdde6ff, 0x20242a, 2.2));
    const sun = new THREE.DirectionalLight(0xffffff, 1.4);
    sun.position.set(5, -8, 12);
    this.scene.add(sun);

    this.doc = null;
    this.tracks = [];
    this.selection = new Set();
    this.drag = null; // {track, pos}
    this.dirty = true;
    this.seq = -1;
    this.frames = 0; // frames drawn (tests)
    this.work = new Float64Array(3); // ms: update, render, labels
    this.w = 0;
    this.h = 0;
    this.dpr = 1;
    this.floor = 0;
    this.statics = null; // grid, venue box, listener
    this.pathObj = null;
    this.previewObj = null;
    this.m = new THREE.Matrix4();
    this.v = new THREE.Vector3();
    this.ndc = new THREE.Vector2();
    this.ray = new THREE.Raycaster();
    this.plane = new THREE.Plane(new THREE.Vector3(0, 0, 1), 0);
    this.cap = 0;
    this.#allocate(128);
  }

  /** Buffers for `cap` tracks; done again only when a show has more tracks than that. */
  #allocate(cap) {
    if (this.sources) {
      for (const o of [this.sources, this.drops, this.trails]) {
        this.scene.remove(o);
        o.geometry.dispose();
        o.material.dispose();
      }
    }
    this.cap = cap;
    this.sources = new THREE.InstancedMesh(new THREE.SphereGeometry(RADIUS, 12, 8), new THREE.MeshLambertMaterial(), cap);
    this.sources.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
    this.sources.setColorAt(0, BG); // creates the colour buffer
    this.sources.frustumCulled = false;
    this.drops = lineSet(cap * 2, new THREE.LineBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.35 }));
    this.trails = lineSet(cap * (TRAIL - 1) * 2, new THREE.LineBasicMaterial({ vertexColors: true }));
    this.ring = new Float32Array(cap * TRAIL * 3);
    this.ringHead = 0;
    this.ringFilled = 0;
    this.pos = new Float32Array(cap * 3);
    this.xs = new Float32Array(cap); // screen position of each source (last frame)
    this.ys = new Float32Array(cap);
    this.front = new Uint8Array(cap); // 1 when in front of the camera
    this.boxes = new Float32Array(64 * 3); // labels placed this frame: x, y, width
    this.sprites = []; // each row's label sprite
    this.spritesFor = 0; // the pixel ratio they were made for (0: to be made again)
    this.scene.add(this.sources, this.drops, this.trails);
    this.#colour();
  }

  setDoc(doc) {
    this.doc = doc;
    this.tracks = (doc && doc.tracks) || [];
    if (this.tracks.length > this.cap) this.#allocate(Math.max(this.tracks.length, 2 * this.cap));
    else this.#colour();
    this.ringFilled = 0; // rows may have moved
    this.spritesFor = 0;
    this.#buildStatics();
    this.#frame();
    this.dirty = true;
  }

  /** Aim the camera so the whole venue shows, from the front left, above (unless the user moved it). */
  #frame() {
    if (this.userMoved || this.w === 0 || this.h === 0) return;
    const box = worldBox(this.doc);
    const c = [0, 1, 2].map((k) => (box.min[k] + box.max[k]) / 2);
    const r = 0.5 * Math.hypot(box.max[0] - box.min[0], box.max[1] - box.min[1], box.max[2] - box.min[2]);
    const vfov = (this.camera.fov * Math.PI) / 180;
    const hfov = 2 * Math.atan(Math.tan(vfov / 2) * this.camera.aspect);
    const d = (1.05 * r) / Math.sin(Math.min(vfov, hfov) / 2);
    this.controls.target.set(c[0], c[1], c[2]);
    this.v.set(0.42, -0.78, 0.46).normalize().multiplyScalar(d);
    this.camera.position.set(c[0] + this.v.x, c[1] + this.v.y, c[2] + this.v.z);
    this.camera.far = Math.max(1000, 4 * d);
    this.camera.updateProjectionMatrix();
    this.controls.update();
  }

  /** Per-track colours of spheres, drops and trails (the trail fades with age). */
  #colour() {
    const c = new THREE.Color();
    const f = new THREE.Color();
    const dc = this.drops.geometry.attributes.color.array;
    const tc = this.trails.geometry.attributes.color.array;
    const segs = TRAIL - 1;
    for (let i = 0; i < Math.min(this.tracks.length, this.cap); i++) {
      c.set(trackColor(this.tracks[i]));
      this.sources.setColorAt(i, c);
      for (let v = 0; v < 2; v++) c.toArray(dc, 6 * i + 3 * v);
      for (let j = 0; j < segs; j++) {
        // segment j joins samples j and j+1, oldest first
        f.copy(c).lerp(BG, 1 - (j + 1) / segs);
        f.toArray(tc, (i * segs + j) * 6);
        f.copy(c).lerp(BG, 1 - (j + 2) / segs);
        f.toArray(tc, (i * segs + j) * 6 + 3);
      }
    }
    if (this.sources.instanceColor) this.sources.instanceColor.needsUpdate = true;
    this.drops.geometry.attributes.color.needsUpdate = true;
    this.trails.geometry.attributes.color.needsUpdate = true;
  }

  /** Floor grid, venue box (the show's limits, dashed) and the listener at the origin. */
  #buildStatics() {
    if (this.statics) {
      this.scene.remove(this.statics);
      disposeTree(this.statics);
    }
    const g = new THREE.Group();
    const box = worldBox(this.doc);
    this.floor = Math.min(0, box.min[2]);
    const half = Math.ceil(Math.max(Math.abs(box.min[0]), Math.abs(box.max[0]), Math.abs(box.min[1]), Math.abs(box.max[1]), 5));
    const grid = new THREE.GridHelper(2 * half, 2 * half, 0x3a4656, 0x1c232d);
    grid.rotation.x = Math.PI / 2; // GridHelper lies in xz; the floor is xy
    grid.position.z = this.floor;
    g.add(grid);
    const lim = this.doc && this.doc.limits && this.doc.limits.box;
    if (lim) {
      const size = [0, 1, 2].map((k) => Math.max(1e-3, lim.max[k] - lim.min[k]));
      const edges = new THREE.EdgesGeometry(new THREE.BoxGeometry(size[0], size[1], size[2]));
      const l = new THREE.LineSegments(edges, new THREE.LineDashedMaterial({ color: 0xc98a2b, dashSize: 0.4, gapSize: 0.25 }));
      l.position.set((lim.min[0] + lim.max[0]) / 2, (lim.min[1] + lim.max[1]) / 2, (lim.min[2] + lim.max[2]) / 2);
      l.computeLineDistances();
      g.add(l);
    }
    // the listener: a head at ear height facing the front (+y)
    const head = new THREE.Mesh(new THREE.SphereGeometry(0.22, 16, 12), new THREE.MeshLambertMaterial({ color: 0xd4dbe5 }));
    head.position.set(0, 0, 1.2);
    const nose = new THREE.Mesh(new THREE.ConeGeometry(0.1, 0.3, 12), new THREE.MeshLambertMaterial({ color: 0x4ea1ff }));
    nose.position.set(0, 0.28, 1.2); // ConeGeometry points along +y: the front
    const stem = new THREE.Mesh(new THREE.CylinderGeometry(0.03, 0.03, 1.2 - this.floor, 8), new THREE.MeshBasicMaterial({ color: 0x3a4656 }));
    stem.rotation.x = Math.PI / 2;
    stem.position.set(0, 0, (1.2 + this.floor) / 2);
    g.add(head, nose, stem);
    this.statics = g;
    this.scene.add(g);
  }

  /** The running animations' paths (and, stopped, the ones the show will take: dashed). */
  setPaths(paths) {
    if (this.pathObj) {
      this.scene.remove(this.pathObj);
      disposeTree(this.pathObj);
    }
    const byId = new Map(this.tracks.map((t) => [t.id, t]));
    const colorOf = (p) => trackColor(byId.get(p.track));
    const g = new THREE.Group();
    const run = paths.filter((p) => !p.preview && p.points.length >= 6);
    const next = paths.filter((p) => p.preview && p.points.length >= 6);
    if (run.length) g.add(pathSegments(run, colorOf, 0.55, false));
    if (next.length) g.add(pathSegments(next, colorOf, 0.45, true));
    this.pathObj = g;
    this.scene.add(g);
    this.dirty = true;
  }

  /** The animation editor's preview (yellow, dashed), or null. */
  setPreview(preview) {
    if (this.previewObj) {
      this.scene.remove(this.previewObj);
      disposeTree(this.previewObj);
      this.previewObj = null;
    }
    if (preview && preview.points && preview.points.length) {
      const list = preview.points.filter((p) => p.length >= 6).map((points) => ({ points }));
      this.previewObj = pathSegments(list, () => '#ffe066', 0, true);
      this.scene.add(this.previewObj);
    }
    this.dirty = true;
  }

  setSelection(sel) {
    this.selection = new Set(sel);
    this.spritesFor = 0;
    this.dirty = true;
  }

  resize() {
    const r = this.canvas.getBoundingClientRect();
    const dpr = Math.min(window.devicePixelRatio || 1, this.software ? 1 : 2);
    const w = Math.round(r.width);
    const h = Math.round(r.height);
    if (w === this.w && h === this.h && dpr === this.dpr) return;
    this.w = w;
    this.h = h;
    this.dpr = dpr;
    if (w === 0 || h === 0) return;
    this.gl.setPixelRatio(dpr);
    this.gl.setSize(w, h, false);
    this.overlay.width = Math.round(w * dpr);
    this.overlay.height = Math.round(h * dpr);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.#frame();
    this.dirty = true;
  }

  /** Where track row i is now (the drag, the live frame, else its base) into this.pos. */
  #place(i) {
    const t = this.tracks[i];
    const o = 3 * i;
    let src = t.position || [0, 0, 0];
    let k = 0;
    if (this.drag && this.drag.track === t.id) src = this.drag.pos;
    else {
      const row = live.index.get(t.id);
      if (row !== undefined && row < live.n) {
        src = live.pos;
        k = 3 * row;
      }
    }
    this.pos[o] = src[k];
    this.pos[o + 1] = src[k + 1];
    this.pos[o + 2] = src[k + 2];
  }

  /** Draw a frame if anything changed; true when drawn. */
  draw() {
    this.resize();
    const fresh = live.seq !== this.seq;
    if (!fresh && !this.dirty) return false;
    if (this.w === 0 || this.h === 0) return false; // not shown
    const t0 = performance.now();
    this.seq = live.seq;
    this.dirty = false;
    const n = Math.min(this.tracks.length, this.cap);
    const m = this.m;
    const dp = this.drops.geometry.attributes.position.array;
    for (let i = 0; i < n; i++) {
      this.#place(i);
      const x = this.pos[3 * i];
      const y = this.pos[3 * i + 1];
      const z = this.pos[3 * i + 2];
      m.makeTranslation(x, y, z);
      this.sources.setMatrixAt(i, m);
      dp[6 * i] = dp[6 * i + 3] = x;
      dp[6 * i + 1] = dp[6 * i + 4] = y;
      dp[6 * i + 2] = z;
      dp[6 * i + 5] = this.floor;
    }
    this.sources.count = n;
    this.sources.instanceMatrix.needsUpdate = true;
    this.drops.geometry.setDrawRange(0, 2 * n);
    this.drops.geometry.attributes.position.needsUpdate = true;
    if (fresh) this.#trail(n);
    const t1 = performance.now();
    this.gl.render(this.scene, this.camera);
    const t2 = performance.now();
    this.#labels(n);
    // exponential means of the time spent (tests and tuning): update, render, labels
    const t3 = performance.now();
    this.work[0] += 0.1 * (t1 - t0 - this.work[0]);
    this.work[1] += 0.1 * (t2 - t1 - this.work[1]);
    this.work[2] += 0.1 * (t3 - t2 - this.work[2]);
    this.frames++;
    return true;
  }

  /** Push this frame's positions into the rings and rewrite the trail segments, oldest first. */
  #trail(n) {
    const ring = this.ring;
    for (let i = 0; i < n; i++) {
      const o = (i * TRAIL + this.ringHead) * 3;
      ring[o] = this.pos[3 * i];
      ring[o + 1] = this.pos[3 * i + 1];
      ring[o + 2] = this.pos[3 * i + 2];
    }
    this.ringHead = (this.ringHead + 1) % TRAIL;
    if (this.ringFilled < TRAIL) this.ringFilled++;
    const tp = this.trails.geometry.attributes.position.array;
    const segs = TRAIL - 1;
    const filled = this.ringFilled;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < segs; j++) {
        // sample age a (0 = newest); samples not yet recorded repeat the oldest one
        const a0 = Math.min(segs - j, filled - 1);
        const a1 = Math.min(segs - j - 1, filled - 1);
        const s0 = (i * TRAIL + ((this.ringHead - 1 - a0 + 2 * TRAIL) % TRAIL)) * 3;
        const s1 = (i * TRAIL + ((this.ringHead - 1 - a1 + 2 * TRAIL) % TRAIL)) * 3;
        const o = (i * segs + j) * 6;
        tp[o] = ring[s0];
        tp[o + 1] = ring[s0 + 1];
        tp[o + 2] = ring[s0 + 2];
        tp[o + 3] = ring[s1];
        tp[o + 4] = ring[s1 + 1];
        tp[o + 5] = ring[s1 + 2];
      }
    }
    this.trails.geometry.setDrawRange(0, n * segs * 2);
    this.trails.geometry.attributes.position.needsUpdate = true;
  }

  /** Project the sources, keep their screen positions (for picking), draw their labels. */
  #labels(n) {
    const g = this.octx;
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, this.overlay.width, this.overlay.height);
    g.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    const v = this.v;
    for (let i = 0; i < n; i++) {
      v.set(this.pos[3 * i], this.pos[3 * i + 1], this.pos[3 * i + 2]).project(this.camera);
      this.front[i] = v.z < 1 && v.z > -1 ? 1 : 0;
      this.xs[i] = ((v.x + 1) / 2) * this.w;
      this.ys[i] = ((1 - v.y) / 2) * this.h;
    }
    // label sprites looked up once per change of show, selection or pixel ratio, not per frame
    if (this.spritesFor !== this.dpr) {
      this.sprites.length = n;
      for (let i = 0; i < n; i++) this.sprites[i] = labelSprite(this.tracks[i], this.selection.has(this.tracks[i].id), this.dpr);
      this.spritesFor = this.dpr;
    }
    // the selection: a white ring around each selected source
    const ring = ringSprite(this.dpr);
    for (let i = 0; i < n; i++) {
      if (this.front[i] && this.selection.has(this.tracks[i].id)) g.drawImage(ring, this.xs[i] - ring.w / 2, this.ys[i] - ring.h / 2, ring.w, ring.h);
    }
    // selected first; a label that would overlap one already placed is left out
    this.placed = 0;
    for (let i = 0; i < n; i++) if (this.selection.has(this.tracks[i].id)) this.#label(g, i);
    for (let i = 0; i < n; i++) if (!this.selection.has(this.tracks[i].id)) this.#label(g, i);
    g.fillStyle = '#8a98aa';
    g.font = '600 11px system-ui, sans-serif';
    g.textBaseline = 'top';
    g.fillText('3D', 8, 6);
    g.font = '10px system-ui, sans-serif';
    g.fillText('drag: orbit · right/shift-drag: pan · wheel: zoom', 8, this.h - 16);
  }

  #label(g, i) {
    if (!this.front[i] || this.placed >= 64) return;
    const sp = this.sprites[i];
    const x = this.xs[i] + 8;
    const y = this.ys[i] - sp.h / 2;
    const boxes = this.boxes;
    for (let k = 0; k < this.placed; k++) {
      const bx = boxes[3 * k];
      const by = boxes[3 * k + 1];
      if (x < bx + boxes[3 * k + 2] && bx < x + sp.w && y < by + sp.h && by < y + sp.h) return;
    }
    boxes[3 * this.placed] = x;
    boxes[3 * this.placed + 1] = y;
    boxes[3 * this.placed + 2] = sp.w;
    this.placed++;
    g.drawImage(sp, x, y, sp.w, sp.h);
  }

  /** The track under a canvas point (within 14 px of its centre, the nearest), or null. */
  hit(px, py) {
    let best = null;
    let bd = 14 * 14;
    const n = Math.min(this.tracks.length, this.cap);
    for (let i = 0; i < n; i++) {
      if (!this.front[i]) continue;
      const dx = this.xs[i] - px;
      const dy = this.ys[i] - py;
      const d = dx * dx + dy * dy;
      if (d < bd) {
        bd = d;
        best = this.tracks[i];
      }
    }
    return best;
  }

  /** Where the pointer's ray meets the horizontal plane at height z: [x, y] or null. */
  onPlane(px, py, z) {
    this.ndc.set((px / this.w) * 2 - 1, 1 - (py / this.h) * 2);
    this.ray.setFromCamera(this.ndc, this.camera);
    this.plane.constant = -z;
    const hitPoint = this.ray.ray.intersectPlane(this.plane, this.v);
    return hitPoint ? [hitPoint.x, hitPoint.y] : null;
  }

  /** Screen position (canvas pixels) of track `id` as last drawn, or null. */
  screenOf(id) {
    const i = this.tracks.findIndex((t) => t.id === id);
    if (i < 0 || i >= this.cap || !this.front[i]) return null;
    return [this.xs[i], this.ys[i]];
  }

  dispose() {
    this.controls.dispose();
    disposeTree(this.scene);
    this.gl.dispose();
  }
}
