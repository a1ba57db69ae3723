// The live top and side views: canvases drawn by render.js on every
// animation frame; drag a source to move its base position (live while
// dragging, one undo step when released); click to select (Ctrl/Shift adds).
import { useEffect, useRef, useState } from 'react';
import { ViewRenderer } from '../render.js';
import { View3D } from './View3D.jsx';
import { ViewsBar, viewsMode } from './ViewsBar.jsx';
import { call, commitMove, getState, live, setState, subscribe } from '../client.js';
import { attachPathEditing, onPathChange } from '../pathview.js';
import { Record, recordingDrag } from './Record.jsx';

// Frame timing for the status bar and the performance test (window.__holo):
// every animation frame, and the ones that drew new positions.
const perf = { frames: [], work: [], drawn: [] };
// set when something other than a new position frame needs a redraw
const views = { force: true };

function recordFrame(now, workMs, drew) {
  perf.frames.push(now);
  perf.work.push(workMs);
  if (drew) perf.drawn.push(now);
  if (perf.frames.length > 600) {
    perf.frames.shift();
    perf.work.shift();
  }
  if (perf.drawn.length > 600) perf.drawn.shift();
}

export function uiFps() {
  const f = perf.frames;
  if (f.length < 2) return 0;
  const span = f[f.length - 1] - f[0];
  return span > 0 ? ((f.length - 1) * 1000) / span : 0;
}

if (typeof window !== 'undefined') {
  window.__holo = {
    perf,
    live,
    getState,
    /** Measure for `ms`: {fps, frames, p50, p95, p99 frame interval, work p95 (ms)}. */
    measure(ms) {
      const start = performance.now();
      const f0 = perf.frames.length;
      return new Promise((resolve) => {
        setTimeout(() => {
          const frames = perf.frames.filter((t) => t >= start);
          const work = perf.work.slice(perf.work.length - frames.length);
          const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
          const q = (arr, p) => (arr.length ? arr[Math.min(arr.length - 1, Math.floor(p * arr.length))] : 0);
          const ws = [...work].sort((a, b) => a - b);
          const drawn = perf.drawn.filter((t) => t >= start).length;
          resolve({
            fps: ((frames.length - 1) * 1000) / (frames[frames.length - 1] - frames[0]),
            drawnFps: (drawn * 1000) / (frames[frames.length - 1] - start),
            frames: frames.length,
            dropped: gaps.filter((g) => g > 25).length,
            p50: q(gaps, 0.5),
            p95: q(gaps, 0.95),
            p99: q(gaps, 0.99),
            workP50: q(ws, 0.5),
            workP95: q(ws, 0.95),
            received: live.received,
            f0,
          });
        }, ms);
      });
    },
  };
}

function ViewCanvas({ axes, label, renderers, testid }) {
  const ref = useRef(null);
  const layerRef = useRef(null);
  useEffect(() => {
    const r = new ViewRenderer(ref.current, layerRef.current, axes, label);
    renderers.current.push(r);
    views.force = true;
    const s = getState();
    r.setDoc(s.doc);
    r.setPaths(s.paths);
    r.setPreview(s.preview);
    r.setSelection(s.selection);
    return () => {
      renderers.current = renderers.current.filter((x) => x !== r);
    };
  }, [axes, label, renderers]);

  useEffect(() => {
    const el = ref.current;
    let dragging = null;
    let sendPending = false;
    const renderer = () => renderers.current.find((r) => r.canvas === el);
    const detachPath = attachPathEditing(el, renderer); // first: a handle's events go no further
    const local = (ev) => {
      const b = el.getBoundingClientRect();
      return [ev.clientX - b.left, ev.clientY - b.top];
    };
    const down = (ev) => {
      const r = renderer();
      if (!r) return;
      const [px, py] = local(ev);
      const t = r.hit(px, py);
      const sel = getState().selection;
      if (!t) {
        if (!ev.ctrlKey && !ev.shiftKey && !ev.metaKey) setState({ selection: [] });
        return;
      }
      if (ev.ctrlKey || ev.shiftKey || ev.metaKey) {
        setState({ selection: sel.includes(t.id) ? sel.filter((x) => x !== t.id) : [...sel, t.id] });
        return;
      }
      if (!sel.includes(t.id)) setState({ selection: [t.id] });
      if (t.lock === true) return; // a locked track is selected, never dragged (the server refuses too)
      const start = [...(t.position || [0, 0, 0])];
      dragging = { track: t.id, start, pos: [...r.positionOf(t)], from: [...r.positionOf(t)], moved: false, r, followers: recordingDrag.followers(t.id, (x) => r.positionOf(x)) };
      recordingDrag.grab([t.id, ...dragging.followers.map((f) => f.track)]);
      el.setPointerCapture(ev.pointerId);
    };
    const move = (ev) => {
      if (!dragging) return;
      const [px, py] = local(ev);
      const [u, v] = dragging.r.toWorld(px, py);
      const [a, b] = axes;
      const pos = [...dragging.start];
      pos[a] = Math.round(u * 100) / 100;
      pos[b] = Math.round(v * 100) / 100;
      if (b === 2) pos[2] = Math.max(pos[2], -1000);
      dragging.pos = pos;
      dragging.moved = true;
      for (const r of renderers.current) r.drag = { track: dragging.track, pos };
      views.force = true;
      if (!sendPending) {
        sendPending = true;
        requestAnimationFrame(() => {
          sendPending = false;
          if (!dragging) return;
          call('live', { track: dragging.track, position: dragging.pos }).catch(() => {});
          recordingDrag.follow(dragging.followers, dragging.pos.map((v, k) => (axes.includes(k) ? v - dragging.from[k] : 0)));
        });
      }
    };
    const up = async () => {
      if (!dragging) return;
      const d = dragging;
      dragging = null;
      if (!d.moved) return;
      if (recordingDrag.on) {
        // a take: the server keeps the gesture; the bases stay as they are
        for (const r of renderers.current) r.drag = null;
        views.force = true;
        return;
      }
      await commitMove(d.track, d.pos, d.start);
      for (const r of renderers.current) r.drag = null;
      views.force = true;
    };
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
    return () => {
      detachPath();
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
  }, [axes, renderers]);

  return (
    <div className="viewbox">
      <canvas ref={layerRef} className="view layer" />
      <canvas ref={ref} className="view" data-testid={testid} />
    </div>
  );
}

const TOP = [0, 1];
const SIDE = [0, 2];

export function Views() {
  const renderers = useRef([]);
  const [mode, setMode] = useState(viewsMode);
  useEffect(() => {
    // for tests: where a world position is on screen in view 0 (top) or 1 (side)
    window.__holo.toScreen = (view, pos) => {
      const r = renderers.current[view];
      const b = r.canvas.getBoundingClientRect();
      return [b.left + r.sx(pos[r.axes[0]]), b.top + r.sy(pos[r.axes[1]])];
    };
    onPathChange(() => {
      views.force = true;
    });
    window.__holo.labels = (view) => ({ labels: renderers.current[view].labelRects(), dots: renderers.current[view].dots() });
    let prev = getState();
    const unsub = subscribe(() => {
      const s = getState();
      for (const r of renderers.current) {
        if (s.doc !== prev.doc) r.setDoc(s.doc);
        if (s.paths !== prev.paths) r.setPaths(s.paths);
        if (s.preview !== prev.preview) r.setPreview(s.preview);
        if (s.selection !== prev.selection) r.setSelection(s.selection);
      }
      views.force = true;
      prev = s;
    });
    const resized = new ResizeObserver(() => {
      views.force = true;
    });
    resized.observe(document.body);
    // Draw when new positions came (about 60 a second while playing) or
    // something else changed; an animation frame with nothing new is free.
    let raf = 0;
    let seq = -1;
    const loop = (now) => {
      const t0 = performance.now();
      const drew = live.seq !== seq || views.force;
      if (drew) {
        seq = live.seq;
        views.force = false;
        for (const r of renderers.current) r.draw();
      }
      recordFrame(now, performance.now() - t0, drew);
      raf = requestAnimationFrame(loop);
    };
    raf = requestAnimationFrame(loop);
    return () => {
      unsub();
      resized.disconnect();
      cancelAnimationFrame(raf);
    };
  }, []);
  return (
    <div className={`views mode-${mode}`}>
      {mode !== '3d' && <Record />}
      {mode !== '3d' && <ViewCanvas axes={TOP} label="TOP" renderers={renderers} testid="view-top" />}
      {mode !== '3d' && <ViewCanvas axes={SIDE} label="SIDE" renderers={renderers} testid="view-side" />}
      {mode !== '2d' && <View3D />}
      <ViewsBar mode={mode} setMode={setMode} />
    </div>
  );
}
