// Path editing in the top and side views, the browser's part. When the
// animation editor is open on a group whose model has control points
// (bezier, catmull-rom, keyframes), its points are drawn as handles on the
// first track's path: drag one to move it (the path is previewed by the
// engine while dragging, and committed as one show edit on release),
// double-click or Alt+click the path to add a point there, right-click a
// handle or press Delete on the selected one to remove it. A refused change
// shows the engine's message and the show stays as it was. The geometry is
// in pathedit.mjs; Views.jsx attaches this to each canvas, render.js calls
// drawHandles at the end of each frame.

import { call, edit, errorText, getState, ptr, setState, toast } from './client.js';
import { controlPoints, framedBy, groupShift, hitHandle, hitPath, insertPoint, movePoint, pathKind, removePoint, timeAt } from './pathedit.mjs';

const tool = {
  selected: -1, // the selected handle
  drag: null, // {i, params, moved}
  draft: null, // the parameters while dragging (drawn instead of the show's)
  message: '', // the engine's last refusal
  redraw: () => {},
  pending: false,
};

/** Views.jsx: how to ask for a frame. */
export function onPathChange(fn) {
  tool.redraw = fn;
}

const memo = { doc: null, name: null, registry: null, draft: null, value: null };

/** What is being edited: {group, gi, anim, ai, infos, kind, framed, tracks, bases}, or null (worked out once per show version). */
function target() {
  const s = getState();
  if (s.doc !== memo.doc || s.editTarget !== memo.name || s.registry !== memo.registry || s.pathDraft !== memo.draft) {
    memo.doc = s.doc;
    memo.name = s.editTarget;
    memo.registry = s.registry;
    memo.draft = s.pathDraft;
    memo.value = s.editTarget ? findTarget(s) : draftTarget(s);
  }
  return memo.value;
}

const basesOf = (doc, ids) => {
  const byId = new Map(((doc && doc.tracks) || []).map((t) => [t.id, t.position || [0, 0, 0]]));
  return ids.length ? ids.map((id) => byId.get(id) || [0, 0, 0]) : [[0, 0, 0]];
};

/** A new animation in the editor (not applied yet): its points are the form's. */
function draftTarget(s) {
  const d = s.pathDraft;
  if (!d || !s.registry) return null;
  const kind = pathKind(d.model);
  if (!kind) return null;
  const m = s.registry.models.find((x) => x.name === d.model || (x.aliases || []).includes(d.model));
  const anim = { name: 'the new animation', model: d.model, parameters: d.params, duration: d.timing.duration, loop: d.timing.loop, speed: d.timing.speed };
  const group = { name: null, mode: d.group.mode, phaseOffset: d.group.phaseOffset, phaseSpread: d.group.phaseSpread };
  return { draft: d, group, gi: -1, anim, ai: -1, kind, framed: framedBy(d.params), infos: m ? m.parameters : [], tracks: d.tracks, bases: basesOf(s.doc, d.tracks) };
}

function findTarget(s) {
  const doc = s.doc;
  if (!doc || !s.editTarget || !s.registry) return null;
  const gi = (doc.groups || []).findIndex((g) => g.name === s.editTarget);
  if (gi < 0) return null;
  const group = doc.groups[gi];
  const ai = (doc.animations || []).findIndex((a) => a.name === group.animation);
  if (ai < 0) return null;
  const anim = doc.animations[ai];
  const kind = pathKind(anim.model);
  if (!kind) return null;
  const m = s.registry.models.find((x) => x.name === anim.model || (x.aliases || []).includes(anim.model));
  const bases = basesOf(doc, group.tracks);
  const framed = framedBy(anim.parameters);
  return { group, gi, anim, ai, kind, framed, infos: m ? m.parameters : [], tracks: group.tracks, bases };
}

/** What the pointer can edit: the target unless its frame parameters move the path off its points. */
function editable() {
  const tg = target();
  return tg && tg.framed.length === 0 ? tg : null;
}

function paramsOf(tg) {
  return tool.draft || tg.anim.parameters || {};
}

/** The handles in the room: [[x, y, z]...]. */
function handles(tg) {
  const params = paramsOf(tg);
  const pts = controlPoints(tg.anim.model, params, tg.infos);
  const d = groupShift(tg.group, tg.bases, pts);
  return { pts, shift: d, world: pts.map((p) => [p[0] + d[0], p[1] + d[1], p[2] + d[2]]) };
}

function screenOf(r, world) {
  const [a, b] = r.axes;
  return world.map((p) => [r.sx(p[a]), r.sy(p[b])]);
}

/** The timing the preview and the engine use. */
function timingOf(anim) {
  const loop = anim.pingPong ? 'pingpong' : anim.loop === true ? 'loop' : anim.loop === false ? 'once' : anim.loop ?? 'loop';
  return { duration: anim.duration ?? 10, loop, speed: anim.speed ?? 1 };
}

/** Preview `params` (the engine samples and validates); at most one request a frame. */
function preview(tg, params) {
  if (tool.pending) return;
  tool.pending = true;
  requestAnimationFrame(async () => {
    tool.pending = false;
    const g = tg.group;
    try {
      const r = await call('preview', { model: tg.anim.model, params, timing: timingOf(tg.anim), tracks: tg.tracks, spec: { mode: g.mode || 'shared', phaseOffset: g.phaseOffset || 0, phaseSpread: !!g.phaseSpread } });
      if (tool.draft !== params) return; // a later move or the release came first
      tool.message = '';
      setState({ preview: { points: r.points } });
    } catch (e) {
      tool.message = errorText(e);
    }
    tool.redraw();
  });
}

/** One show edit of one parameter; a refusal is toasted with the engine's message. */
async function commit(tg, { name, value }, label) {
  if (tg.draft) {
    // a new animation: the form takes the value (the editor previews and validates it)
    tg.draft.set(name, value);
    return true;
  }
  const has = tg.anim.parameters && name in tg.anim.parameters;
  const ops = tg.anim.parameters ? [{ op: has ? 'replace' : 'add', path: ptr('animations', tg.ai, 'parameters', name), value }] : [{ op: 'add', path: ptr('animations', tg.ai, 'parameters'), value: { [name]: value } }];
  try {
    await edit(ops, `${label} (${tg.anim.name})`, { quiet: true });
    tool.message = '';
    return true;
  } catch (e) {
    tool.message = errorText(e);
    toast('error', tool.message, 8000);
    return false;
  }
}

/** Where the pointer is in the room: the view's two axes, the third from `depth`. */
function worldAt(r, px, py, depth) {
  const [u, v] = r.toWorld(px, py);
  const p = [...depth];
  p[r.axes[0]] = Math.round(u * 1000) / 1000;
  p[r.axes[1]] = Math.round(v * 1000) / 1000;
  return p;
}

const minus = (p, d) => [p[0] - d[0], p[1] - d[1], p[2] - d[2]];

function remove(tg, i) {
  let change;
  try {
    change = removePoint(tg.anim.model, paramsOf(tg), tg.infos, i);
  } catch (e) {
    toast('warn', e.message, 6000);
    return;
  }
  tool.selected = -1;
  commit(tg, change, `remove point ${i + 1}`).finally(tool.redraw);
}

function insertAt(tg, r, px, py) {
  const pts = (getState().preview && getState().preview.points && getState().preview.points[0]) || [];
  const xy = [];
  for (let k = 0; k + 2 < pts.length; k += 3) xy.push([r.sx(pts[k + r.axes[0]]), r.sy(pts[k + r.axes[1]])]);
  const hit = hitPath(xy, px, py, 8);
  if (!hit) return false;
  const k = Math.min(hit.segment + 1, xy.length - 1);
  const depth = [pts[3 * k], pts[3 * k + 1], pts[3 * k + 2]];
  const { shift } = handles(tg);
  const tm = timingOf(tg.anim);
  // the views draw one period, and for a `once` group with phase offsets the later tracks' ends too
  const n = Math.max(1, tg.tracks.length);
  const g = tg.group;
  let stretch = 1;
  if (tm.loop === 'once' && n > 1) stretch = 1 + (g.phaseSpread ? (n - 1) / n : Math.max(0, ((g.phaseOffset || 0) * (n - 1) * tm.speed) / tm.duration));
  let change;
  try {
    change = insertPoint(tg.anim.model, paramsOf(tg), tg.infos, minus(worldAt(r, px, py, depth), shift), { time: timeAt(hit.fraction * stretch, tm.duration, tm.loop), closed: !!(tg.anim.parameters || {}).closed });
  } catch (e) {
    toast('warn', e.message, 6000);
    return true;
  }
  tool.selected = change.index;
  commit(tg, change, `add point ${change.index + 1}`).finally(tool.redraw);
  return true;
}

/**
 * Attach to a view's canvas, before the view's own handlers (an event on a
 * handle or the path goes no further). Returns the detach function.
 */
export function attachPathEditing(el, renderer) {
  const local = (ev) => {
    const b = el.getBoundingClientRect();
    return [ev.clientX - b.left, ev.clientY - b.top];
  };
  const stop = (ev) => {
    ev.stopImmediatePropagation();
    ev.preventDefault();
  };
  const down = (ev) => {
    const tg = editable();
    const r = renderer();
    if (!tg || !r) return;
    const [px, py] = local(ev);
    const i = hitHandle(screenOf(r, handles(tg).world), px, py, 8);
    if (i < 0) {
      if (ev.altKey && ev.button === 0 && insertAt(tg, r, px, py)) stop(ev);
      return;
    }
    stop(ev);
    tool.selected = i;
    tool.message = '';
    tool.before = getState().preview;
    if (ev.button === 2) {
      remove(tg, i);
      return;
    }
    tool.drag = { i, r, moved: false };
    el.setPointerCapture(ev.pointerId);
    tool.redraw();
  };
  const move = (ev) => {
    if (!tool.drag) return;
    stop(ev);
    const tg = target();
    if (!tg) return;
    const { world, shift } = handles(tg);
    const [px, py] = local(ev);
    const pos = minus(worldAt(tool.drag.r, px, py, world[tool.drag.i]), shift);
    const change = movePoint(tg.anim.model, paramsOf(tg), tg.infos, tool.drag.i, pos);
    tool.draft = { ...paramsOf(tg), [change.name]: change.value };
    tool.drag.change = change;
    tool.drag.moved = true;
    preview(tg, tool.draft);
    tool.redraw();
  };
  const up = async (ev) => {
    if (!tool.drag) return;
    stop(ev);
    const d = tool.drag;
    tool.drag = null;
    const tg = target();
    if (d.moved && tg) {
      const ok = await commit(tg, d.change, `move point ${d.i + 1}`);
      if (!ok) setState({ preview: tool.before || null });
    }
    tool.draft = null;
    tool.redraw();
  };
  const dbl = (ev) => {
    const tg = editable();
    const r = renderer();
    if (!tg || !r) return;
    const [px, py] = local(ev);
    if (hitHandle(screenOf(r, handles(tg).world), px, py, 8) >= 0) return;
    if (insertAt(tg, r, px, py)) stop(ev);
  };
  const menu = (ev) => {
    const tg = editable();
    const r = renderer();
    if (!tg || !r) return;
    const [px, py] = local(ev);
    if (hitHandle(screenOf(r, handles(tg).world), px, py, 8) >= 0) ev.preventDefault();
  };
  const key = (ev) => {
    if (ev.key !== 'Delete' && ev.key !== 'Backspace') return;
    const el2 = document.activeElement;
    if (el2 && (el2.tagName === 'INPUT' || el2.tagName === 'TEXTAREA' || el2.tagName === 'SELECT' || el2.isContentEditable)) return;
    const tg = editable();
    if (!tg || tool.selected < 0 || el.dataset.testid !== 'view-top') return; // one view answers
    ev.preventDefault();
    remove(tg, tool.selected);
  };
  const opts = { capture: true };
  el.addEventListener('pointerdown', down, opts);
  el.addEventListener('pointermove', move, opts);
  el.addEventListener('pointerup', up, opts);
  el.addEventListener('pointercancel', up, opts);
  el.addEventListener('dblclick', dbl, opts);
  el.addEventListener('contextmenu', menu, opts);
  window.addEventListener('keydown', key);
  return () => {
    el.removeEventListener('pointerdown', down, opts);
    el.removeEventListener('pointermove', move, opts);
    el.removeEventListener('pointerup', up, opts);
    el.removeEventListener('pointercancel', up, opts);
    el.removeEventListener('dblclick', dbl, opts);
    el.removeEventListener('contextmenu', menu, opts);
    window.removeEventListener('keydown', key);
  };
}

/** render.js: the handles over a frame (and the engine's refusal, if any). */
export function drawHandles(r, g) {
  const tg = target();
  const name = tg ? (tg.group.name ?? '(new)') : null;
  if (name !== tool.shown) {
    // another group (or none): nothing selected, no old message
    tool.shown = name;
    tool.selected = -1;
    tool.message = '';
  }
  if (!tg) return;
  if (tg.framed.length) {
    g.fillStyle = '#8a98aa';
    g.font = '10px system-ui, sans-serif';
    g.textBaseline = 'top';
    g.fillText(`points not editable here: ${tg.framed.join(', ')} move the path off them`, 8, 34);
    return;
  }
  const xy = screenOf(r, handles(tg).world);
  g.lineWidth = 1;
  if (tg.kind === 'bezier') {
    // the control arms: start → control1, control2 → end
    g.strokeStyle = '#7f8c9c';
    g.setLineDash([3, 3]);
    g.beginPath();
    g.moveTo(xy[0][0], xy[0][1]);
    g.lineTo(xy[1][0], xy[1][1]);
    g.moveTo(xy[2][0], xy[2][1]);
    g.lineTo(xy[3][0], xy[3][1]);
    g.stroke();
    g.setLineDash([]);
  }
  g.font = '10px system-ui, sans-serif';
  g.textBaseline = 'bottom';
  // many points (a recorded take): smaller handles, numbered only the selected
  const many = xy.length > 16;
  const half = many ? 3 : 4.5;
  xy.forEach(([x, y], i) => {
    const sel = i === tool.selected;
    g.fillStyle = sel ? '#ffe066' : '#0d1014';
    g.strokeStyle = '#ffe066';
    g.lineWidth = sel ? 2 : 1.5;
    g.fillRect(x - half, y - half, 2 * half, 2 * half);
    g.strokeRect(x - half, y - half, 2 * half, 2 * half);
    if (!many || sel) {
      g.fillStyle = '#ffe066';
      g.fillText(String(i + 1), x + half + 2, y - half);
    }
  });
  if (tool.message) {
    g.fillStyle = '#ff6b6b';
    g.textBaseline = 'top';
    g.fillText(tool.message.slice(0, 160), 8, 34);
  }
}

if (typeof window !== 'undefined') {
  // for tests: the handles of the edited path in the room, and on screen in view 0 (top) or 1 (side)
  window.__holoPath = {
    handles() {
      const tg = target();
      return tg ? handles(tg).world : [];
    },
    get selected() {
      return tool.selected;
    },
  };
}
