// The rehearsal screen: header (project, save state, undo/redo), transport,
// tracks on the left, the live views in the middle, editor / cues / outputs
// on the right. Keyboard: Space play/pause, Esc stop, Home back to 0,
// Enter GO next cue, Ctrl+Z undo, Ctrl+Shift+Z or Ctrl+Y redo, Ctrl+S save.
import { useEffect, useRef, useState } from 'react';
import { act, call, edit, getState, setState, toast } from './client.js';
import { useStore } from './store.js';
import { Views } from './components/Views.jsx';
import { Tracks, TextField } from './components/Tracks.jsx';
import { AnimationEditor } from './components/AnimationEditor.jsx';
import { Transport, transportActions } from './components/Transport.jsx';
import { Cues, goNext } from './components/Cues.jsx';
import { Outputs } from './components/Outputs.jsx';
import { Presets } from './components/Presets.jsx';
import { Mappings } from './components/Mappings.jsx';
import { Timeline } from './components/Timeline.jsx';
import { Arrange } from './components/Arrange.jsx';

function SaveState() {
  const st = useStore((s) => s.docState);
  if (!st) return null;
  if (st.saveError) return <span className="save bad" title={st.saveError} data-testid="save-state">NOT SAVED: {st.saveError}</span>;
  const dirty = st.version !== st.savedVersion;
  const at = st.savedAt ? new Date(st.savedAt).toLocaleTimeString() : '';
  return (
    <span className={`save ${dirty ? 'dirty' : 'ok'}`} data-testid="save-state" title={`${st.file} (previous version: .bak)`}>
      {dirty ? 'saving…' : `saved ${at}`}
    </span>
  );
}

/**
 * New show: a file name and where its positions go: the simulated device
 * (web/start.sh's devsim, or one the server starts), a device address, or
 * nowhere yet. The show starts with no track; "+ Add" and Discover fill it.
 */
function NewShow({ onDone }) {
  const device = useStore((s) => s.device);
  const [form, setForm] = useState(null);
  if (!form) return <button data-testid="new-show" onClick={() => setForm({ name: '', output: 'devsim', address: '' })}>New show…</button>;
  const set = (k, v) => setForm({ ...form, [k]: v });
  const create = async () => {
    const output = form.output === 'address' ? form.address.trim() : form.output;
    if (await act('create', { project: form.name.trim(), title: form.name.trim(), output })) {
      setForm(null);
      onDone();
    }
  };
  return (
    <form className="newshow" data-testid="new-show-form" onSubmit={(e) => { e.preventDefault(); create(); }}>
      <input className="text" autoFocus placeholder="file name (letters, digits, space, _ . -)" value={form.name} onChange={(e) => set('name', e.target.value)} data-testid="new-name" />
      <label className="small"><input type="radio" checked={form.output === 'devsim'} onChange={() => set('output', 'devsim')} data-testid="new-output-devsim" /> the simulated device {device && device.address ? `(${device.address})` : '(built in)'}</label>
      <label className="small"><input type="radio" checked={form.output === 'address'} onChange={() => set('output', 'address')} data-testid="new-output-address" /> a device at{' '}
        <input className="text" placeholder="192.168.1.50:4003" value={form.address} onFocus={() => set('output', 'address')} onChange={(e) => setForm({ ...form, output: 'address', address: e.target.value })} data-testid="new-address" /></label>
      <label className="small"><input type="radio" checked={form.output === 'none'} onChange={() => set('output', 'none')} /> no output yet</label>
      <span><button type="submit" disabled={!form.name.trim()} data-testid="new-create">Create</button> <button type="button" onClick={() => setForm(null)}>Cancel</button></span>
    </form>
  );
}

function ProjectMenu() {
  const [open, setOpen] = useState(false);
  // The original starts animations by hand: imported, they start by cue
  // unless this is ticked (every imported group gets autoStart).
  const [autostart, setAutostart] = useState(false);
  const projects = useStore((s) => s.projects);
  const examples = useStore((s) => s.examples) || [];
  const st = useStore((s) => s.docState);
  const dir = useStore((s) => s.projectsDir);
  const fileRef = useRef(null);
  const refresh = async () => {
    const r = await act('projects');
    if (r) setState({ projects: r.projects, examples: r.examples || [] });
  };
  const openProject = async (name) => {
    const r = await act('open', { project: name });
    if (r) {
      setOpen(false);
      setState({ selection: [] });
      if (r.warnings.length) toast('warn', r.warnings.map((w) => w.text).join('\n'), 8000);
    }
  };
  const openExample = async (x) => {
    const r = await act('openExample', { example: x.file });
    if (r) {
      setOpen(false);
      setState({ selection: [] });
      refresh();
      toast(r.warnings.length ? 'warn' : 'ok', `${x.name} opened as “${r.project}”${r.warnings.length ? `, ${r.warnings.length} warnings` : ''}`, 5000);
    }
  };
  const saveAs = async () => {
    const name = prompt('Save as — file name:', `${st.project} copy`);
    if (!name) return;
    if (await act('saveAs', { project: name })) {
      setOpen(false);
      toast('ok', `now editing ${name}`);
      refresh();
    }
  };
  const importHpx = async (e) => {
    const f = e.target.files[0];
    e.target.value = '';
    if (!f) return;
    if (!/\.hpx$/i.test(f.name)) {
      toast('error', `${f.name}: Import takes Holophonix Animator projects (.hpx); a holoanim show (.json) goes in the projects folder`, 8000);
      return;
    }
    const text = await f.text();
    const name = f.name.replace(/\.hpx$/i, '').replace(/[^A-Za-z0-9 _.-]/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 60) || 'imported';
    const r = await act('import', { project: name, text, autostart, file: f.name });
    if (r) {
      setOpen(false);
      refresh();
      toast(r.warnings.length ? 'warn' : 'ok', r.warnings.length ? `imported ${name}, ${r.warnings.length} warnings:\n${r.warnings.slice(0, 6).map((w) => w.text).join('\n')}` : `imported ${name}`, 10000);
    }
  };
  return (
    <div className="projmenu">
      <button onClick={() => { setOpen(!open); if (!open) refresh(); }} data-testid="projects">
        {st ? st.project : '…'} ▾
      </button>
      {open && (
        <div className="dropdown" onMouseLeave={() => setOpen(false)}>
          <div className="dim small">{dir}</div>
          {projects.map((p) => (
            <button key={p.name} className={p.name === (st && st.project) ? 'on' : ''} onClick={() => openProject(p.name)}>
              {p.name} <span className="dim small">{new Date(p.modified).toLocaleString()}</span>
            </button>
          ))}
          {examples.length > 0 && <div className="dim small">examples (a copy opens; an .hpx is imported)</div>}
          {examples.map((x) => (
            <button key={x.file} data-testid={`example-${x.name}`} onClick={() => openExample(x)}>
              {x.name} <span className="dim small">{x.kind === 'hpx' ? '.hpx (Animator)' : 'show'}</span>
            </button>
          ))}
          <hr />
          <NewShow onDone={() => { setOpen(false); refresh(); }} />
          <button onClick={saveAs} data-testid="save-as">Save as…</button>
          <button onClick={() => fileRef.current.click()}>Import .hpx…</button>
          <label className="small" title="Every imported animation starts when the show plays (else by cue only)">
            <input type="checkbox" checked={autostart} onChange={(e) => setAutostart(e.target.checked)} data-testid="import-autostart" />{' '}
            Start every animation on play
          </label>
          <input ref={fileRef} type="file" accept=".hpx" hidden onChange={importHpx} data-testid="import-file" />
        </div>
      )}
    </div>
  );
}

function Header() {
  const doc = useStore((s) => s.doc);
  useEffect(() => {
    document.title = doc && doc.name ? `${doc.name} — holoanim` : 'holoanim';
  }, [doc && doc.name]);
  const st = useStore((s) => s.docState);
  const connected = useStore((s) => s.connected);
  const clients = useStore((s) => s.clients);
  return (
    <header className="top">
      <span className="logo">holoanim</span>
      <ProjectMenu />
      {doc && <TextField value={doc.name || ''} className="text showname" placeholder="show name" onCommit={(v) => edit([{ op: doc.name !== undefined ? 'replace' : 'add', path: '/name', value: v }], 'rename show', { quiet: true })} />}
      <SaveState />
      {doc && !(doc.outputs || []).some((o) => o.enabled !== false) && <span className="warn small" data-testid="no-output" title="Outputs panel (3): use the simulated device or a device address">no output: positions go nowhere</span>}
      <span className="spacer" />
      <button onClick={() => act('undo')} disabled={!st || !st.canUndo} title="Undo (Ctrl+Z)" data-testid="undo">↶ Undo</button>
      <button onClick={() => act('redo')} disabled={!st || !st.canRedo} title="Redo (Ctrl+Shift+Z)" data-testid="redo">↷ Redo</button>
      <button onClick={() => act('save').then((r) => r && toast('ok', 'saved', 1500))} title="Save now (Ctrl+S); every change is also saved automatically" data-testid="save">Save</button>
      <span className={`conn ${connected ? 'ok' : 'bad'}`} title={connected ? `${clients} window(s) connected` : 'reconnecting…'} data-testid="conn">
        {connected ? `● live${clients > 1 ? ` · ${clients} windows` : ''}` : '○ offline'}
      </span>
    </header>
  );
}

function Toasts() {
  const toasts = useStore((s) => s.toasts);
  return (
    <div className="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`}>{t.text}</div>
      ))}
    </div>
  );
}

const TABS = [
  ['editor', 'Animation'],
  ['cues', 'Cues'],
  ['presets', 'Presets'],
  ['outputs', 'Outputs'],
  ['arrange', 'Arrange'],
];

function useShortcuts(setTab) {
  useEffect(() => {
    const onKey = (e) => {
      const tag = e.target.tagName;
      const typing = (tag === 'INPUT' && !['checkbox', 'range', 'color', 'button'].includes(e.target.type)) || tag === 'TEXTAREA' || tag === 'SELECT';
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        act('save').then((r) => r && toast('ok', 'saved', 1500));
        return;
      }
      // a button reached with Tab keeps Space and Enter (clicked buttons lose focus, below)
      if (typing || (tag === 'BUTTON' && (e.key === ' ' || e.key === 'Enter'))) return;
      if (mod && key === 'z') {
        e.preventDefault();
        act(e.shiftKey ? 'redo' : 'undo');
      } else if (mod && key === 'y') {
        e.preventDefault();
        act('redo');
      } else if (mod && key === 'a') {
        e.preventDefault();
        const doc = getState().doc;
        setState({ selection: ((doc && doc.tracks) || []).map((t) => t.id) });
      } else if (mod) {
        return;
      } else if (e.key === ' ') {
        e.preventDefault();
        transportActions.toggle(getState().transport.playing);
      } else if (e.key === 'Escape') {
        transportActions.stop();
      } else if (e.key === 'Home') {
        transportActions.home();
      } else if (e.key === 'Enter') {
        e.preventDefault();
        goNext(getState().doc);
      } else if (e.key >= '1' && e.key <= String(TABS.length)) {
        setTab(TABS[Number(e.key) - 1][0]);
      }
    };
    // a clicked button must not keep Space and Enter from the transport and GO
    const onPointerUp = () => {
      const el = document.activeElement;
      if (el && el.tagName === 'BUTTON') el.blur();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerup', onPointerUp);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerup', onPointerUp);
    };
  }, [setTab]);
}

export function App() {
  const [tab, setTab] = useState('editor');
  const ready = useStore((s) => s.doc !== null);
  useShortcuts(setTab);
  useEffect(() => {
    call('ping').catch(() => {});
  }, []);
  return (
    <div className="app">
      <Header />
      <Transport />
      {ready ? (
        <main>
          <Tracks />
          <Views />
          <aside className="side">
            <nav className="tabs">
              {TABS.map(([k, label], i) => (
                <button key={k} className={tab === k ? 'on' : ''} onClick={() => setTab(k)} data-testid={`tab-${k}`} title={`${label} (${i + 1})`}>
                  {label}
                </button>
              ))}
            </nav>
            <div className="tabbody">
              {tab === 'editor' && <AnimationEditor />}
              {tab === 'cues' && <Cues />}
              {tab === 'presets' && <Presets />}
              {tab === 'cues' && <Mappings />}
              {tab === 'outputs' && <Outputs />}
              {tab === 'arrange' && <Arrange />}
            </div>
          </aside>
        </main>
      ) : (
        <main className="loading">connecting to the holoanim server…</main>
      )}
      {ready && <Timeline />}
      <footer className="keys dim">Space play/pause · Esc stop · Home to 0 · Enter GO next cue · Ctrl+Z undo · Ctrl+Shift+Z redo · Ctrl+S save · 1–{TABS.length} panels · drag a source to move it</footer>
      <Toasts />
    </div>
  );
}
