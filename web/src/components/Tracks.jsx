// The track list: index, colour, name, base position (typed), live position,
// select (Ctrl/Shift for several), add, remove, discover from a device;
// mute, solo and lock toggles (TrackFlags.jsx).
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { act, edit, errorText, live, ptr, setState } from '../client.js';
import { useStore } from '../store.js';
import { trackColor } from '../render.js';
import { removeTracksOps } from '../ops.mjs';
import { DeviceMark } from './DeviceMark.jsx';
import { TrackFlags } from './TrackFlags.jsx';

/**
 * Where a refused value is explained: under the field the user typed it in,
 * the engine's whole message, until the field is edited again.
 */
function Refused({ text, testid, at }) {
  if (!text) return null;
  // on the page itself (a portal), fixed under the field: no panel clips or covers it
  const r = at.current ? at.current.getBoundingClientRect() : null;
  const style = r ? { position: 'fixed', top: r.bottom + 2, left: Math.max(4, Math.min(r.left, window.innerWidth - 390)) } : undefined;
  return createPortal(<span className="fielderr" role="alert" style={style} data-testid={testid ? `${testid}-error` : undefined}>{text}</span>, document.body);
}

/** Run a commit; a refusal (a rejected promise) becomes the field's message. */
function runCommit(onCommit, v, setErr) {
  setErr('');
  let r;
  try {
    r = onCommit(v);
  } catch (e) {
    setErr(errorText(e));
    return;
  }
  if (r && typeof r.then === 'function') r.then(() => {}, (e) => setErr(errorText(e)));
}

/**
 * A number input that commits on Enter or blur (Escape reverts). When
 * `onCommit` returns a promise that rejects (the server refused the value),
 * its message is shown at the field.
 */
export function NumberField({ value, onCommit, step = 0.1, title, width, testid, error, placeholder }) {
  const [text, setText] = useState(value === undefined || value === null ? '' : String(value));
  const [focus, setFocus] = useState(false);
  const [err, setErr] = useState('');
  const ref = useRef(null);
  useEffect(() => {
    if (!focus) setText(value === undefined || value === null ? '' : String(value));
  }, [value, focus]);
  const commit = () => {
    if (text.trim() === '') return;
    const v = Number(text);
    if (!Number.isFinite(v)) {
      setErr(`${title || 'value'}: "${text}" is not a number`);
      setText(String(value ?? ''));
      return;
    }
    if (v !== value) runCommit(onCommit, v, setErr);
  };
  return (
    <span className="fwrap">
      <input
        ref={ref}
        className={`num${error || err ? ' invalid' : ''}`}
        type="text"
        inputMode="decimal"
        title={error || err || title}
        style={width ? { width } : undefined}
        value={text}
        placeholder={placeholder}
        data-testid={testid}
        onFocus={() => setFocus(true)}
        onChange={(e) => {
          setText(e.target.value);
          if (err) setErr('');
        }}
        onBlur={() => {
          setFocus(false);
          commit();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.currentTarget.blur();
          if (e.key === 'Escape') {
            setText(String(value ?? ''));
            setErr('');
            setTimeout(() => e.target.blur());
          }
          if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && text.trim() !== '' && Number.isFinite(Number(text))) {
            // a step up or down, committed at once (the engine checks min and max)
            e.preventDefault();
            const v = Math.round((Number(text) + (e.key === 'ArrowUp' ? step : -step)) * 1e6) / 1e6;
            setText(String(v));
            runCommit(onCommit, v, setErr);
          }
        }}
      />
      <Refused text={err} testid={testid} at={ref} />
    </span>
  );
}

/** A text input that commits on Enter or blur; a refusal is shown at the field, as NumberField's. */
export function TextField({ value, onCommit, placeholder, className, testid }) {
  const [text, setText] = useState(value ?? '');
  const [focus, setFocus] = useState(false);
  const [err, setErr] = useState('');
  const ref = useRef(null);
  useEffect(() => {
    if (!focus) setText(value ?? '');
  }, [value, focus]);
  return (
    <span className="fwrap">
      <input
        ref={ref}
        className={`${className || 'text'}${err ? ' invalid' : ''}`}
        value={text}
        placeholder={placeholder}
        data-testid={testid}
        onFocus={() => setFocus(true)}
        onChange={(e) => {
          setText(e.target.value);
          if (err) setErr('');
        }}
        onBlur={() => {
          setFocus(false);
          if (text !== (value ?? '')) runCommit(onCommit, text, setErr);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.currentTarget.blur();
        }}
      />
      <Refused text={err} testid={testid} at={ref} />
    </span>
  );
}

// Live positions in the list: one timer for every row, writing text directly
// (no React render 128 times, 5 times a second), and only in rows on screen.
const liveRows = new Map(); // element → track id
const visibleRows = new Set();
const rowObserver =
  typeof IntersectionObserver === 'undefined'
    ? null
    : new IntersectionObserver((entries) => {
        for (const e of entries) {
          if (e.isIntersecting) visibleRows.add(e.target);
          else visibleRows.delete(e.target);
        }
      });
setInterval(() => {
  const f = (v) => v.toFixed(2).padStart(6, '\u2007');
  for (const el of rowObserver ? visibleRows : liveRows.keys()) {
    const id = liveRows.get(el);
    if (id === undefined) continue;
    const i = live.index.get(id);
    if (i === undefined) continue;
    const text = `${f(live.pos[3 * i])} ${f(live.pos[3 * i + 1])} ${f(live.pos[3 * i + 2])}`;
    if (el.textContent !== text) el.textContent = text;
    const moving = live.status[i] !== 0;
    if (el.classList.contains('moving') !== moving) el.classList.toggle('moving', moving);
  }
}, 200);

function LivePosition({ id }) {
  const ref = useRef(null);
  useEffect(() => {
    const el = ref.current;
    liveRows.set(el, id);
    if (rowObserver) rowObserver.observe(el);
    return () => {
      liveRows.delete(el);
      visibleRows.delete(el);
      if (rowObserver) rowObserver.unobserve(el);
    };
  }, [id]);
  return <span className="livepos" ref={ref} title="position now (x y z); blue while animated">—</span>;
}

/** Append items to a top-level array of the show, creating it when the show has none yet. */
export function appendOps(doc, key, items) {
  if (!Array.isArray(doc[key])) return [{ op: 'add', path: `/${key}`, value: items }];
  return items.map((value) => ({ op: 'add', path: `/${key}/-`, value }));
}

function Discover({ doc }) {
  const [target, setTarget] = useState(() => {
    const o = (doc.outputs || [])[0];
    return o ? `${o.host}:${o.port || 4003}` : '127.0.0.1:4003';
  });
  const [found, setFound] = useState(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    const [host, port] = target.split(':');
    setBusy(true);
    const r = await act('discover', { host, port: Number(port) || 4003 });
    setBusy(false);
    if (r) setFound(r.tracks);
  };
  const have = new Set((doc.tracks || []).map((t) => t.id));
  const missing = (found || []).filter((t) => !have.has(t.index));
  const addAll = () =>
    edit(
      // the device's single-precision floats, kept to 0.1 mm (2.828, not 2.8280000686645508)
      appendOps(doc, 'tracks', missing.map((t) => ({ id: t.index, name: t.name || '', position: [t.x, t.y, t.z].map((v) => Math.round(v * 1e4) / 1e4) }))),
      `add ${missing.length} discovered tracks`,
    ).catch(() => {});
  return (
    <div className="discover">
      <input className="text" value={target} onChange={(e) => setTarget(e.target.value)} title="device host:port" data-testid="discover-target" />
      <button onClick={run} disabled={busy} data-testid="discover-run">{busy ? 'Asking…' : 'Discover'}</button>
      {found && (
        <span className="dim">
          {found.length} on device, {missing.length} new{' '}
          {missing.length > 0 && <button onClick={addAll} data-testid="discover-add">Add {missing.length}</button>}
        </span>
      )}
    </div>
  );
}

export function Tracks() {
  const doc = useStore((s) => s.doc);
  const selection = useStore((s) => s.selection);
  const [showDiscover, setShowDiscover] = useState(false);
  if (!doc) return null;
  const tracks = doc.tracks || [];
  const select = (ev, id) => {
    if (ev.ctrlKey || ev.metaKey) setState({ selection: selection.includes(id) ? selection.filter((x) => x !== id) : [...selection, id] });
    else if (ev.shiftKey && selection.length) {
      const ids = tracks.map((t) => t.id);
      const a = ids.indexOf(selection[selection.length - 1]);
      const b = ids.indexOf(id);
      const range = ids.slice(Math.min(a, b), Math.max(a, b) + 1);
      setState({ selection: [...new Set([...selection, ...range])] });
    } else setState({ selection: [id] });
  };
  const add = () => {
    const id = tracks.reduce((m, t) => Math.max(m, t.id), 0) + 1;
    edit(appendOps(doc, 'tracks', [{ id, name: `Track ${id}`, position: [0, 0, 1.5] }]), `add track ${id}`).then(() => setState({ selection: [id] })).catch(() => {});
  };
  const remove = (id) => edit(removeTracksOps(doc, [id]), `remove track ${id}`).then(() => setState({ selection: selection.filter((x) => x !== id) })).catch(() => {});
  const setPos = (i, k, v) => {
    const p = [...(tracks[i].position || [0, 0, 0])];
    p[k] = v;
    return edit([{ op: 'replace', path: ptr('tracks', i, 'position'), value: p }], `move track ${tracks[i].id}`, { quiet: true });
  };
  return (
    <section className="panel tracks" data-testid="tracks">
      <header>
        <h2>Tracks <span className="dim">{tracks.length}</span></h2>
        <div className="actions">
          <button onClick={() => setState({ selection: tracks.map((t) => t.id) })} title="select every track">All</button>
          <button onClick={() => setShowDiscover((x) => !x)} title="ask a device for its tracks" data-testid="discover">Discover</button>
          <button onClick={add} data-testid="add-track" title="add a track">+ Add</button>
        </div>
      </header>
      {showDiscover && <Discover doc={doc} />}
      <div className="tracklist">
        <div className="row head">
          <span>#</span>
          <span />
          <span>name</span>
          <span>base x · y · z (m)</span>
        </div>
        {tracks.map((t, i) => (
          <div key={t.id} className={`row${selection.includes(t.id) ? ' selected' : ''}${t.mute === true ? ' muted' : ''}`} data-testid={`track-${t.id}`} onMouseDown={(e) => { if (e.target.tagName !== 'INPUT' && e.target.tagName !== 'BUTTON') select(e, t.id); }}>
            <span className="idx">{t.id}</span>
            <input
              type="color"
              className="swatch"
              value={trackColor(t)}
              title="colour"
              onChange={(e) => {
                const value = e.target.value;
                edit([{ op: t.color ? 'replace' : 'add', path: ptr('tracks', i, 'color'), value }], `colour of track ${t.id}`).catch(() => {});
              }}
            />
            <TextField value={t.name || ''} placeholder="name" className="text name" onCommit={(v) => edit([{ op: t.name !== undefined ? 'replace' : 'add', path: ptr('tracks', i, 'name'), value: v }], `rename track ${t.id}`, { quiet: true })} />
            <span className="xyz">
              {[0, 1, 2].map((k) => (
                <NumberField key={k} value={(t.position || [0, 0, 0])[k]} step={0.1} title={'xyz'[k]} testid={`track-${t.id}-${'xyz'[k]}`} onCommit={(v) => setPos(i, k, v)} />
              ))}
            </span>
            <button className="icon" title={`remove track ${t.id}`} onClick={() => remove(t.id)}>×</button>
            <TrackFlags track={t} index={i} />
            <span className="live" title="position now (x y z)"><LivePosition id={t.id} /> <DeviceMark id={t.id} /></span>
          </div>
        ))}
      </div>
    </section>
  );
}
