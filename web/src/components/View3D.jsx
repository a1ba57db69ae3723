// The 3D view: orbit (drag), pan (right or Shift drag), zoom (wheel) around
// the venue; click a source to select it alone (Ctrl/Shift adds or
// removes; a click on empty floor clears the selection), drag a source to
// move its base on the horizontal plane at its height, with the same
// messages as the 2D views (live while dragging, one undo step when
// released). Mounted only while shown: a hidden view draws nothing.
import { useEffect, useRef } from 'react';
import { View3DRenderer } from '../view3d.js';
import { call, commitMove, getState, setState, subscribe } from '../client.js';

export function View3D() {
  const glRef = useRef(null);
  const underRef = useRef(null);
  const overlayRef = useRef(null);
  useEffect(() => {
    const el = glRef.current;
    let v;
    try {
      v = new View3DRenderer(el, overlayRef.current, underRef.current);
    } catch (e) {
      // no WebGL in this browser: say so in the view instead of a blank box
      const g = overlayRef.current.getContext('2d');
      overlayRef.current.width = 600;
      overlayRef.current.height = 60;
      g.fillStyle = '#ff8a8e';
      g.font = '13px system-ui, sans-serif';
      g.fillText(`3D view unavailable: ${e.message}`, 10, 30);
      return undefined;
    }
    let prev = getState();
    v.setDoc(prev.doc);
    v.setPaths(prev.paths);
    v.setPreview(prev.preview);
    v.setSelection(prev.selection);
    const unsub = subscribe(() => {
      const s = getState();
      if (s.doc !== prev.doc) {
        v.setDoc(s.doc);
        v.setPaths(s.paths); // colours follow the tracks
      } else if (s.paths !== prev.paths) v.setPaths(s.paths);
      if (s.preview !== prev.preview) v.setPreview(s.preview);
      if (s.selection !== prev.selection) v.setSelection(s.selection);
      prev = s;
    });

    const local = (ev) => {
      const b = el.getBoundingClientRect();
      return [ev.clientX - b.left, ev.clientY - b.top];
    };
    let dragging = null;
    let pressed = null; // a press on empty space: a click (clears the selection) unless the camera moved
    let sendPending = false;
    // capture phase: runs before OrbitControls' own listener, which a drag disables
    const down = (ev) => {
      if (ev.button !== 0) return;
      const [px, py] = local(ev);
      const t = v.hit(px, py);
      const sel = getState().selection;
      const add = ev.ctrlKey || ev.shiftKey || ev.metaKey;
      if (!t) {
        pressed = add ? null : [px, py];
        return;
      }
      v.controls.enabled = false;
      el.setPointerCapture(ev.pointerId);
      if (add) {
        setState({ selection: sel.includes(t.id) ? sel.filter((x) => x !== t.id) : [...sel, t.id] });
        return;
      }
      if (!sel.includes(t.id)) setState({ selection: [t.id] });
      const i = v.tracks.indexOf(t);
      const now = [v.pos[3 * i], v.pos[3 * i + 1], v.pos[3 * i + 2]];
      const at = v.onPlane(px, py, now[2]);
      dragging = { track: t.id, start: [...(t.position || [0, 0, 0])], now, grab: at, pos: null };
    };
    const move = (ev) => {
      if (!dragging || !dragging.grab) return;
      const [px, py] = local(ev);
      const at = v.onPlane(px, py, dragging.now[2]);
      if (!at) return;
      // keep the offset between the pointer and the source's centre
      const pos = [...dragging.start];
      pos[0] = Math.round((dragging.now[0] + at[0] - dragging.grab[0]) * 100) / 100;
      pos[1] = Math.round((dragging.now[1] + at[1] - dragging.grab[1]) * 100) / 100;
      pos[2] = Math.round(dragging.now[2] * 100) / 100;
      dragging.pos = pos;
      v.drag = { track: dragging.track, pos };
      v.dirty = true;
      if (!sendPending) {
        sendPending = true;
        requestAnimationFrame(() => {
          sendPending = false;
          if (dragging && dragging.pos) call('live', { track: dragging.track, position: dragging.pos }).catch(() => {});
        });
      }
    };
    const up = async (ev) => {
      v.controls.enabled = true;
      if (pressed) {
        const [px, py] = local(ev);
        if (Math.hypot(px - pressed[0], py - pressed[1]) < 4) setState({ selection: [] });
        pressed = null;
      }
      if (!dragging) return;
      const d = dragging;
      dragging = null;
      if (!d.pos) {
        // a click on a source of a wider selection selects it alone
        if (getState().selection.length > 1) setState({ selection: [d.track] });
        return;
      }
      await commitMove(d.track, d.pos, d.start);
      v.drag = null;
      v.dirty = true;
    };
    el.addEventListener('pointerdown', down, true);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);

    let raf = 0;
    const loop = () => {
      v.draw();
      raf = requestAnimationFrame(loop);
    };
    raf = requestAnimationFrame(loop);
    // for tests: frames drawn, the live frame last drawn, and where a track
    // is on screen (page pixels)
    window.__holo3d = {
      frames: () => v.frames,
      drawnSeq: () => v.seq,
      work: () => Array.from(v.work),
      renderer: () => {
        const g = v.gl.getContext();
        const x = g.getExtension('WEBGL_debug_renderer_info');
        return x ? g.getParameter(x.UNMASKED_RENDERER_WEBGL) : g.getParameter(g.RENDERER);
      },
      screenOf: (id) => {
        const p = v.screenOf(id);
        if (!p) return null;
        const b = el.getBoundingClientRect();
        return [b.left + p[0], b.top + p[1]];
      },
    };
    return () => {
      cancelAnimationFrame(raf);
      unsub();
      el.removeEventListener('pointerdown', down, true);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
      v.dispose();
      delete window.__holo3d;
    };
  }, []);
  return (
    <div className="viewbox view3d">
      <canvas ref={underRef} className="view overlay" />
      <canvas ref={glRef} className="view" data-testid="view-3d" />
      <canvas ref={overlayRef} className="view overlay" />
    </div>
  );
}
