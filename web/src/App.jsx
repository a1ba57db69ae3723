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
import { Mappings } from './components/Mappings.jsx';

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

function ProjectMenu() {
  const [open, setOpen] = useState(false);
  // The original starts animations by hand: imported, they start by cue
  // unless this is ticked (every imported group gets autoStart).
  const [autostart, setAutostart] = useState(false);
  const projects = useStore((s) => s.projects);
  const st = useStore((s) => s.docState);
  const dir = useStore((s) => s.projectsDir);
  const fileRef = useRef(null);
  const refresh = async () => {
    const r = await act('projects');
    if (r) setState({ projects: r.projects });
  };
  const openProject = async (name) => {
    const r = await act('open', { project: name });
    if (r) {
      setOpen(false);
      setState({ selection: [] });
      if (r.warnings.length) toast('warn', r.warnings.map((w) => w.text).join('\n'), 8000);
    }
  };
  const create = async () => {
    const name = prompt('New show — file name (letters, digits, space, _ . -):');
    if (!name) return;
    if (await act('create', { project: name, title: name })) {
      setOpen(false);
      refresh();
    }
  };
  const saveAs = async () => {
    const name = prompt('Save as — file name:', `${st.project} copy`);
    if (!name) return;
    if (await act('saveAs', { project: name })) {
      toast('ok', `now editing ${name}`);
      refresh();
    }
  };
  const importHpx = async (e) => {
    const f = e.target.files[0];
    e.target.value = '';
    if (!f) return;
    const text = await f.text();
    const name = f.name.replace(/\.hpx$/i, '').replace(/[^A-Za-z0-9 _.-]/g, '_').slice(0, 60) || 'imported';
    const r = await act('import', { project: name, text, autostart });
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
          <hr />
          <button onClick={create}>New show…</button>
          <button onClick={saveAs}>Save as…</button>
          <button onClick={() => fileRef.current.click()}>Import .hpx…</button>
          <label className="small" title="Every imported animation starts when the show plays (else by cue only)">
            <input type="checkbox" checked={autostart} onChange={(e) => setAutostart(e.target.checked)} data-testid="import-autostart" />{' '}
            Start every animation on play
          </label>
          <input ref={fileRef} type="file" accept=".hpx,.json" hidden onChange={importHpx} />
        </div>
      )}
    </div>
  );
}

function Header() {
  const doc = useStore((s) => s.doc);
  const st = useStore((s) => s.docState);
  const connected = useStore((s) => s.connected);
  const clients = useStore((s) => s.clients);
  return (
    <header className="top">
      <span className="logo">holoanim</span>
      <ProjectMenu />
      {doc && <TextField value={doc.name || ''} className="text showname" placeholder="show name" onCommit={(v) => edit([{ op: doc.name !== undefined ? 'replace' : 'add', path: '/name', value: v }], 'rename show').catch(() => {})} />}
      <SaveState />
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
  ['outputs', 'Outputs'],
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
      } else if (e.key === '1' || e.key === '2' || e.key === '3') {
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
              {tab === 'cues' && <Mappings />}
              {tab === 'outputs' && <Outputs />}
            </div>
          </aside>
        </main>
      ) : (
        <main className="loading">connecting to the holoanim server…</main>
      )}
      <footer className="keys dim">Space play/pause · Esc stop · Home to 0 · Enter GO next cue · Ctrl+Z undo · Ctrl+Shift+Z redo · Ctrl+S save · 1/2/3 panels · drag a source to move it</footer>
      <Toasts />
    </div>
  );
}
