// The 3D perspective view, drawn with three.js outside React.
//
// World coordinates are the show's own (x right, y front, z up): the camera's
// up is +z, so nothing is converted. The view is three layers, composited by
// the page:
// - below, a WebGL canvas of what stands still (grid, venue box, listener,
//   the running paths, the editor's preview), drawn again only when one of
//   them or the camera changes;
// - above it, a transparent WebGL canvas of what moves, drawn for each new
//   frame of positions from buffers allocated once for a capacity of tracks
//   and rewritten in place: one point per source drawn as a lit sphere (one
//   draw call for 128), one line set for the drops to the floor and one for
//   the trails (a ring of recent positions per source);
// - on top, a 2D canvas of the labels and the selection's rings (the labels
//   are the 2D views' cached sprites: 128 text meshes would be 128 draw calls
//   and textures).
// Without a GPU (headless Chromium's SwiftShader) every line and triangle
// costs CPU, so a frame of positions redraws only the few that moved.

import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { live } from './client.js';
import { labelSprite, trackColor, worldBox } from './render.js';

const TRAIL = 16; // positions kept per source (about 0.25 s at 60 frames/s; each segment costs a software rasteriser ~1 µs)
const BG = new THREE.Color('#0d1014');
const RADIUS = 0.16; // a source's sphere, metres
const PATH_TOL = 0.005; // metres: how far a drawn path may stray from its samples

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

/** Squared distance from point k of flat array p to the segment joining points i and j. */
function segDist2(p, k, i, j) {
  const dx = p[j] - p[i];
  const dy = p[j + 1] - p[i + 1];
  const dz = p[j + 2] - p[i + 2];
  const len2 = dx * dx + dy * dy + dz * dz;
  let u = len2 > 0 ? ((p[k] - p[i]) * dx + (p[k + 1] - p[i + 1]) * dy + (p[k + 2] - p[i + 2]) * dz) / len2 : 0;
  u = u < 0 ? 0 : u > 1 ? 1 : u;
  const ex = p[i] + u * dx - p[k];
  const ey = p[i + 1] + u * dy - p[k + 1];
  const ez = p[i + 2] + u * dz - p[k + 2];
  return ex * ex + ey * ey + ez * ez;
}

/**
 * The samples of the polyline p (flat [x,y,z,...]) to draw: the first, the
 * last, and every one the straight line between its kept neighbours would
 * miss by more than `tol` metres (Ramer-Douglas-Peucker, an explicit stack).
 * A software rasteriser pays per line drawn: 128 circles of 96 samples were
 * a third of a frame; at 5 mm a 1.6 m circle keeps about 28.
 */
function simplify(p, tol) {
  const n = p.length / 3;
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack = [0, n - 1];
  const tol2 = tol * tol;
  while (stack.length) {
    const j = stack.pop();
    const i = stack.pop();
    let worst = -1;
    let far = tol2;
    for (let k = i + 1; k < j; k++) {
      const d = segDist2(p, 3 * k, 3 * i, 3 * j);
      if (d > far) {
        far = d;
        worst = k;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push(i, worst, worst, j);
    }
  }
  const out = [];
  for (let k = 0; k < n; k++) if (keep[k]) out.push(p[3 * k], p[3 * k + 1], p[3 * k + 2]);
  return out;
}

/** Segments joining consecutive samples of each flat [x,y,z,...] array (simplified to PATH_TOL). */
function pathSegments(list, colorOf, fade, dashed) {
  const lines = list.map((it) => simplify(it.points, PATH_TOL));
  let n = 0;
  for (const p of lines) n += Math.max(0, p.length / 3 - 1);
  const pos = new Float32Array(n * 6);
  const col = new Float32Array(n * 6);
  const c = new THREE.Color();
  let o = 0;
  for (let l = 0; l < list.length; l++) {
    c.set(colorOf(list[l])).lerp(BG, fade);
    const p = lines[l];
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

/**
 * The sources: one point per track, drawn as a lit sphere by its fragment
 * shader (an impostor). A sphere mesh per source costs a software rasteriser
 * its triangles (128 x 192); a point costs one vertex and the pixels it
 * covers. The point's size is the sphere's projected diameter.
 */
function sourcePoints(cap) {
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(new Float32Array(cap * 3), 3).setUsage(THREE.DynamicDrawUsage));
  g.setAttribute('color', new THREE.BufferAttribute(new Float32Array(cap * 3), 3));
  g.setDrawRange(0, 0);
  const mat = new THREE.ShaderMaterial({
    uniforms: { radius: { value: RADIUS }, scale: { value: 300 } },
    vertexShader: `
      uniform float radius;
      uniform float scale; // pixels per metre at distance 1
      attribute vec3 color;
      varying vec3 vColor;
      void main() {
        vec4 mv = modelViewMatrix * vec4(position, 1.0);
        gl_Position = projectionMatrix * mv;
        gl_PointSize = max(3.0, 2.0 * radius * scale / max(-mv.z, 1e-3));
        vColor = color;
      }`,
    fragmentShader: `
      varying vec3 vColor;
      void main() {
        vec2 p = gl_PointCoord * 2.0 - 1.0;
        float r2 = dot(p, p);
        if (r2 > 1.0) discard;
        // the sphere's normal at this pixel, lit from above left (view space)
        vec3 n = vec3(p.x, -p.y, sqrt(1.0 - r2));
        float lit = 0.45 + 0.75 * max(dot(n, normalize(vec3(-0.35, 0.6, 0.7))), 0.0);
        gl_FragColor = vec4(min(vColor * lit, 1.0), 1.0);
      }`,
  });
  const pts = new THREE.Points(g, mat);
  pts.frustumCulled = false;
  return pts;
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
   * @param canvas the WebGL canvas of what moves (receives the pointer)
   * @param overlay a 2D canvas above it for the labels
   * @param under a WebGL canvas below it for what stands still
   */
  constructor(canvas, overlay, under) {
    this.canvas = canvas;
    this.under = under;
    this.overlay = overlay;
    this.octx = overlay.getContext('2d');
    // multisampling multiplies a software rasteriser's work (measured: 4.5 fps
    // with it, 25 without, 128 sources in SwiftShader on a loaded machine)
    this.software = softwareGL();
    // two layers, composited by the page: what stands still (floor, venue,
    // listener, paths), drawn again only when it or the camera changes, and
    // what moves (sources, drops, trails) on a transparent canvas above it,
    // drawn for every new frame of positions. A software rasteriser then
    // pays each frame only for the few lines and points that moved.
    this.bg = new THREE.WebGLRenderer({ canvas: under, antialias: !this.software });
    this.bg.setClearColor(BG, 1);
    this.gl = new THREE.WebGLRenderer({ canvas, antialias: !this.software, alpha: true, premultipliedAlpha: true });
    this.gl.setClearColor(BG, 0);
    this.scene = new THREE.Scene(); // what moves
    this.still = new THREE.Scene(); // what stands still
    this.stillDirty = true;
    this.camera = new THREE.PerspectiveCamera(45, 1, 0.05, 1000);
    this.camera.up.set(0, 0, 1); // the show's z is up (before the controls read it)
    this.camera.position.set(9, -16, 10);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.target.set(0, 0, 1);
    this.controls.update();
    this.controls.addEventListener('change', () => {
      this.dirty = true;
      this.stillDirty = true;
    });
    // the camera frames the venue until the user moves it
    this.userMoved = false;
    this.controls.addEventListener('start', () => {
      this.userMoved = true;
    });
    this.still.add(new THREE.HemisphereLight(0xdde6ff, 0x20242a, 2.2));
    const sun = new THREE.DirectionalLight(0xffffff, 1.4);
    sun.position.set(5, -8, 12);
    this.still.add(sun);

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
    this.sources = sourcePoints(cap);
    // opaque, in the source's colour faded into the background: blending costs a software rasteriser more
    this.drops = lineSet(cap * 2, new THREE.LineBasicMaterial({ vertexColors: true }));
    this.trails = lineSet(cap * (TRAIL - 1) * 2, new THREE.LineBasicMaterial({ vertexColors: true }));
    this.ring = new Float32Array(cap * TRAIL * 3);
    this.ringHead = 0;
    this.ringFilled = 0;
    this.pos = this.sources.geometry.attributes.position.array; // what #place writes is what is drawn
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
      c.toArray(this.sources.geometry.attributes.color.array, 3 * i);
      f.copy(c).lerp(BG, 0.65);
      for (let v = 0; v < 2; v++) f.toArray(dc, 6 * i + 3 * v);
      for (let j = 0; j < segs; j++) {
        // segment j joins samples j and j+1, oldest first
        f.copy(c).lerp(BG, 1 - (j + 1) / segs);
        f.toArray(tc, (i * segs + j) * 6);
        f.copy(c).lerp(BG, 1 - (j + 2) / segs);
        f.toArray(tc, (i * segs + j) * 6 + 3);
      }
    }
    this.sources.geometry.attributes.color.needsUpdate = true;
    this.drops.geometry.attributes.color.needsUpdate = true;
    this.trails.geometry.attributes.color.needsUpdate = true;
  }

  /** Floor grid, venue box (the show's limits, dashed) and the listener at the origin. */
  #buildStatics() {
    if (this.statics) {
      this.still.remove(this.statics);
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
    this.still.add(g);
    this.stillDirty = true;
  }

  /** The running animations' paths (and, stopped, the ones the show will take: dashed). */
  setPaths(paths) {
    if (this.pathObj) {
      this.still.remove(this.pathObj);
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
    this.still.add(g);
    this.stillDirty = true;
  }

  /** The animation editor's preview (yellow, dashed), or null. */
  setPreview(preview) {
    if (this.previewObj) {
      this.still.remove(this.previewObj);
      disposeTree(this.previewObj);
      this.previewObj = null;
    }
    if (preview && preview.points && preview.points.length) {
      const list = preview.points.filter((p) => p.length >= 6).map((points) => ({ points }));
      this.previewObj = pathSegments(list, () => '#ffe066', 0, true);
      this.still.add(this.previewObj);
    }
    this.stillDirty = true;
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
    for (const r of [this.gl, this.bg]) {
      r.setPixelRatio(dpr);
      r.setSize(w, h, false);
    }
    this.overlay.width = Math.round(w * dpr);
    this.overlay.height = Math.round(h * dpr);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.sources.material.uniforms.scale.value = (h * dpr) / (2 * Math.tan((this.camera.fov * Math.PI) / 360));
    this.#frame();
    this.dirty = true;
    this.stillDirty = true;
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
    if (!fresh && !this.dirty && !this.stillDirty) return false;
    if (this.w === 0 || this.h === 0) return false; // not shown
    const t0 = performance.now();
    this.seq = live.seq;
    this.dirty = false;
    const n = Math.min(this.tracks.length, this.cap);
    const dp = this.drops.geometry.attributes.position.array;
    for (let i = 0; i < n; i++) {
      this.#place(i);
      const x = this.pos[3 * i];
      const y = this.pos[3 * i + 1];
      const z = this.pos[3 * i + 2];
      dp[6 * i] = dp[6 * i + 3] = x;
      dp[6 * i + 1] = dp[6 * i + 4] = y;
      dp[6 * i + 2] = z;
      dp[6 * i + 5] = this.floor;
    }
    this.sources.geometry.setDrawRange(0, n);
    this.sources.geometry.attributes.position.needsUpdate = true;
    this.drops.geometry.setDrawRange(0, 2 * n);
    this.drops.geometry.attributes.position.needsUpdate = true;
    if (fresh) this.#trail(n);
    const t1 = performance.now();
    if (this.stillDirty) {
      this.stillDirty = false;
      this.bg.render(this.still, this.camera);
    }
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
    disposeTree(this.still);
    this.gl.dispose();
    this.bg.dispose();
  }
}
