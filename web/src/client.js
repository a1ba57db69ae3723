// The browser's end of the WebSocket API (server/protocol.js).
//
// Two kinds of state arrive: the document, transport, paths and stats (JSON
// pushes, kept in a small store that React subscribes to), and live positions
// (binary frames, 60 per second, kept outside React in `live` and drawn by
// the canvas on the next animation frame). Each frame is acknowledged when it
// arrives, so the server thins frames for a tab that falls behind.

const listeners = new Set();
let state = {
  connected: false,
  clientId: 0,
  registry: null,
  doc: null,
  docState: null,
  transport: { playing: false, time: 0, speed: 1, loop: false, length: 30 },
  paths: [],
  stats: null,
  clientsStats: [],
  clients: 1,
  projects: [],
  projectsDir: '',
  events: [],
  toasts: [],
  selection: [],
  preview: null,
  libraryVersion: '',
  deviceMarks: {}, // track id → {kind: 'conflict' | 'moved', position, expected, at} (DeviceMark.jsx)
};

export const live = {
  seq: 0,
  time: 0,
  n: 0,
  ids: new Uint32Array(0),
  pos: new Float32Array(0),
  status: new Uint8Array(0),
  received: 0,
  receivedAt: 0, // performance.now() of the last frame
  index: new Map(), // track id → row
};

export function getState() {
  return state;
}

export function setState(patch) {
  state = { ...state, ...(typeof patch === 'function' ? patch(state) : patch) };
  for (const l of listeners) l();
}

export function subscribe(l) {
  listeners.add(l);
  return () => listeners.delete(l);
}

let toastId = 0;
export function toast(kind, text, ms = 5000) {
  const id = ++toastId;
  setState((s) => ({ toasts: [...s.toasts.slice(-4), { id, kind, text }] }));
  setTimeout(() => setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })), ms);
}

let ws = null;
let nextId = 1;
const pending = new Map();
let retry = 250;

function decode(buf) {
  const dv = new DataView(buf);
  const seq = dv.getUint32(0, true);
  const n = dv.getUint32(4, true);
  live.seq = seq;
  live.time = dv.getFloat64(8, true);
  if (live.n !== n || live.ids.length !== n) {
    live.ids = new Uint32Array(n);
    live.pos = new Float32Array(3 * n);
    live.status = new Uint8Array(n);
  }
  live.ids.set(new Uint32Array(buf, 16, n));
  live.pos.set(new Float32Array(buf, 16 + 4 * n, 3 * n));
  live.status.set(new Uint8Array(buf, 16 + 16 * n, n));
  if (live.n !== n || live.index.size !== n || live.index.get(live.ids[0]) !== 0) {
    live.index = new Map();
    for (let i = 0; i < n; i++) live.index.set(live.ids[i], i);
  }
  live.n = n;
  live.received++;
  live.receivedAt = performance.now();
  return seq;
}

const MARK_MS = 15000;
const markTimers = new Map();

/** Remember what the device said about a track, for MARK_MS after the last echo. */
function deviceMark(track, mark) {
  setState((s) => ({ deviceMarks: { ...s.deviceMarks, [track]: { ...mark, at: Date.now() } } }));
  clearTimeout(markTimers.get(track));
  markTimers.set(track, setTimeout(() => {
    markTimers.delete(track);
    setState((s) => {
      const next = { ...s.deviceMarks };
      delete next[track];
      return { deviceMarks: next };
    });
  }, MARK_MS));
}

let noticeShown = null;
/** What the server has to say about the open show (a discarded undo history), once. */
function showNotice(st) {
  if (st && st.notice && st.notice !== noticeShown) toast('warn', st.notice, 12000);
  noticeShown = st ? st.notice : null;
}

function onPush(m) {
  switch (m.type) {
    case 'welcome':
      setState({
        connected: true,
        clientId: m.clientId,
        registry: m.registry,
        doc: m.doc,
        docState: m.state,
        transport: m.transport,
        paths: m.paths,
        projects: m.projects,
        examples: m.examples || [],
        projectsDir: m.projectsDir,
        libraryVersion: m.libraryVersion,
        device: m.device || { address: null },
        settings: m.settings,
      });
      showNotice(m.state);
      break;
    case 'show': {
      const s = getState();
      setState({ doc: m.doc, docState: m.state });
      showNotice(m.state);
      if (m.by !== null && m.by !== s.clientId && m.label) toast('info', `another window: ${m.label}`, 2500);
      break;
    }
    case 'saved':
      setState((s) => ({ docState: { ...s.docState, ...m.state } }));
      break;
    case 'settings':
      setState({ settings: m.settings });
      break;
    case 'transport':
      setState({ transport: m.transport });
      break;
    case 'paths':
      setState({ paths: m.items });
      break;
    case 'stats':
      setState({ stats: m.stats, clientsStats: m.clients });
      break;
    case 'presence':
      setState({ clients: m.clients });
      break;
    case 'event': {
      const e = m.event;
      setState((s) => ({ events: [...s.events.slice(-49), { ...e, at: Date.now() }] }));
      if (e.type === 'commandFailed') toast('error', `player: ${e.error ? e.error.message : e.code}`);
      else if (e.type === 'conflict') {
        toast('warn', `track ${e.track}: another controller moved it`);
        deviceMark(e.track, { kind: 'conflict', position: e.position, expected: e.expected });
      } else if (e.type === 'baseChanged') deviceMark(e.track, { kind: 'moved', position: e.position });
      else if (e.type === 'error') toast('error', e.message);
      break;
    }
    case 'reply':
      if (m.error) toast('error', m.error.message);
      break;
    default:
      break;
  }
}

export function connect() {
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${proto}://${location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => {
    retry = 250;
  };
  ws.onmessage = (ev) => {
    if (typeof ev.data !== 'string') {
      const seq = decode(ev.data);
      ws.send(`{"type":"ack","seq":${seq}}`);
      return;
    }
    const m = JSON.parse(ev.data);
    if (m.type === 'reply' && pending.has(m.id)) {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(Object.assign(new Error(m.error.message), m.error));
      return;
    }
    onPush(m);
  };
  ws.onclose = () => {
    setState({ connected: false });
    for (const p of pending.values()) p.reject(Object.assign(new Error('disconnected'), { code: 'EDISCONNECTED' }));
    pending.clear();
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 4000);
  };
}

/** Send a request; resolves with its result, rejects with {code, message, ...}. */
export function call(type, fields = {}) {
  return new Promise((resolve, reject) => {
    if (!ws || ws.readyState !== 1) {
      reject(Object.assign(new Error('not connected to the server'), { code: 'EDISCONNECTED' }));
      return;
    }
    const id = nextId++;
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ id, type, ...fields }));
  });
}

/** The whole of what the engine said about a refused request: every error's text, else the message. */
export function errorText(e) {
  const errs = (e && e.diagnostics ? e.diagnostics : []).filter((d) => d.severity === 'error');
  return errs.length ? errs.map((d) => d.text).join('\n') : (e && e.message) || String(e);
}

/** Edit the show (one undo step); errors become a toast unless `quiet`. */
export async function edit(ops, label = '', { quiet = false } = {}) {
  const base = getState().docState ? getState().docState.version : undefined;
  try {
    return await call('edit', { base, ops, label });
  } catch (e) {
    if (!quiet) {
      const detail = e.diagnostics && e.diagnostics.length ? e.diagnostics.map((d) => d.text).join('\n') : e.message;
      toast('error', e.code === 'ECONFLICT' ? `${e.message}` : detail, 7000);
    }
    throw e;
  }
}

/** Run a request, toast its error. */
export async function act(type, fields = {}) {
  try {
    return await call(type, fields);
  } catch (e) {
    toast('error', e.message);
    return null;
  }
}

/** JSON Pointer escaping (RFC 6901). */
export function ptr(...parts) {
  return parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * The end of a drag in a view: track `track`'s base becomes `pos` (one undo
 * step); when the show refuses it, the device gets `start` back (the drag
 * moved it live). Resolves either way.
 */
export async function commitMove(track, pos, start) {
  const i = getState().doc.tracks.findIndex((t) => t.id === track);
  try {
    await edit([{ op: 'replace', path: ptr('tracks', i, 'position'), value: pos }], `move track ${track}`);
  } catch {
    call('live', { track, position: start }).catch(() => {});
  }
}
