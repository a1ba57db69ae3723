// Presets: capture where the tracks are now (every track, or the selected
// ones) under a name, edit each track's position in xyz or aed (azimuth °
// clockwise from the front, elevation °, distance m, about the origin: the
// Holophonix convention), recall with a transition (time, easing, stagger,
// a straight line or an arc about the origin), and make a cue of it.
import { useState } from 'react';
import { act, edit, ptr, toast } from '../client.js';
import { useStore } from '../store.js';
import { NumberField } from './Tracks.jsx';
import { toAed, fromAed } from '../aed.mjs';

export { toAed, fromAed }; // still importable from here; the conversion lives in aed.mjs

/** The cue actions left when preset `name` goes: its preset actions removed, cues left empty removed. */
function withoutPresetOps(doc, name) {
  const ops = [];
  const cues = doc.cues || [];
  const gone = [];
  cues.forEach((c, ci) => {
    const keep = c.actions.filter((a) => !(a.type === 'preset' && a.preset === name));
    if (keep.length === c.actions.length) return;
    if (keep.length === 0) gone.push(ci);
    else ops.push({ op: 'replace', path: ptr('cues', ci, 'actions'), value: keep });
  });
  gone.reverse().forEach((ci) => ops.push({ op: 'remove', path: ptr('cues', ci) }));
  return ops;
}

function PresetCard({ doc, p, pi, recall }) {
  const [space, setSpace] = useState('xyz');
  const [open, setOpen] = useState(false);
  const ids = Object.keys(p.positions);
  const setPos = (id, k, v) => {
    const cur = p.positions[id];
    const shown = space === 'aed' ? toAed(cur) : [...cur];
    shown[k] = v;
    const xyz = space === 'aed' ? fromAed(shown) : shown;
    return edit([{ op: 'replace', path: ptr('presets', pi, 'positions', id), value: xyz }], `${p.name}: track ${id}`, { quiet: true });
  };
  const addCue = () => {
    const cues = doc.cues || [];
    const number = cues.reduce((m, c) => Math.max(m, Math.floor(c.number)), 0) + 1;
    const action = { type: 'preset', preset: p.name, transition: recall.transition, easing: recall.easing, space: recall.space };
    if (recall.stagger > 0) action.stagger = recall.stagger;
    const cue = { number, name: p.name, osc: `/cue/${number}`, actions: [action] };
    edit([doc.cues ? { op: 'add', path: '/cues/-', value: cue } : { op: 'add', path: '/cues', value: [cue] }], `cue ${number}: preset ${p.name}`)
      .then(() => toast('ok', `cue ${number} recalls ${p.name}`, 2000))
      .catch(() => {});
  };
  const remove = () => edit([...withoutPresetOps(doc, p.name), { op: 'remove', path: ptr('presets', pi) }], `remove preset ${p.name}`).catch(() => {});
  const update = () => act('capture', { name: p.name, tracks: ids.map(Number), replace: true });
  return (
    <div className="preset" data-testid={`preset-${p.name}`}>
      <div className="cuetop">
        <button className="icon" onClick={() => setOpen(!open)} title="edit positions">{open ? '▾' : '▸'}</button>
        <b className="pname">{p.name}</b>
        <span className="dim small">tracks {ids.join(', ')}</span>
        <span className="spacer" />
        <button className="go" onClick={() => act('recall', { preset: p.name, ...recall })} data-testid={`recall-${p.name}`} title="move the tracks there with the transition below">Recall</button>
      </div>
      <div className="cuebottom">
        <button className="small" onClick={update} title="capture these tracks where they are now">Update</button>
        <button className="small" onClick={addCue} data-testid={`preset-cue-${p.name}`} title="a cue that recalls this preset with the transition below">+ Cue</button>
        <span className="spacer" />
        <button className="icon" title={`remove preset ${p.name} (and its cue actions)`} onClick={remove}>×</button>
      </div>
      {open && (
        <div className="ppos">
          <div className="row head">
            <span>#</span>
            <span>
              <select value={space} onChange={(e) => setSpace(e.target.value)} data-testid={`preset-${p.name}-space`} title="edit in xyz (m) or aed (azimuth ° clockwise from the front, elevation °, distance m)">
                <option value="xyz">x · y · z (m)</option>
                <option value="aed">azimuth · elevation (°) · distance (m)</option>
              </select>
            </span>
          </div>
          {ids.map((id) => {
            const shown = space === 'aed' ? toAed(p.positions[id]) : p.positions[id];
            return (
              <div className="row" key={id}>
                <span className="idx">{id}</span>
                <span className="xyz">
                  {[0, 1, 2].map((k) => (
                    <NumberField key={k} value={shown[k]} step={space === 'aed' && k < 2 ? 5 : 0.1} title={(space === 'aed' ? ['azimuth', 'elevation', 'distance'] : ['x', 'y', 'z'])[k]} testid={`preset-${p.name}-${id}-${k}`} onCommit={(v) => setPos(id, k, v)} />
                  ))}
                </span>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

export function Presets() {
  const doc = useStore((s) => s.doc);
  const selection = useStore((s) => s.selection);
  const registry = useStore((s) => s.registry);
  const [name, setName] = useState('');
  const [recall, setRecall] = useState({ transition: 2, easing: 'sine-in-out', space: 'xyz', stagger: 0 });
  if (!doc) return null;
  const presets = doc.presets || [];
  const nextName = () => {
    const used = new Set(presets.map((p) => p.name));
    let n = presets.length + 1;
    while (used.has(`Preset ${n}`)) n++;
    return `Preset ${n}`;
  };
  const capture = async (tracks) => {
    const r = await act('capture', { name: name.trim() || nextName(), ...(tracks ? { tracks } : {}) });
    if (r) {
      setName('');
      toast('ok', `preset ${r.preset}: tracks ${r.tracks.join(', ')}`, 2000);
    }
  };
  const set = (k, v) => setRecall({ ...recall, [k]: v });
  return (
    <section className="panel presets" data-testid="presets">
      <header>
        <h2>Presets <span className="dim">{presets.length}</span></h2>
      </header>
      <div className="addcue">
        <input className="text" placeholder={nextName()} value={name} onChange={(e) => setName(e.target.value)} data-testid="preset-name" title="the new preset's name" />
        <button onClick={() => capture(null)} data-testid="capture-all" title="every track where it is now">Capture all</button>
        <button onClick={() => capture(selection)} disabled={selection.length === 0} data-testid="capture-selected" title="the selected tracks where they are now">Capture {selection.length || ''} selected</button>
      </div>
      <div className="recallopts">
        <span>recall over</span>
        <NumberField value={recall.transition} min={0} step={0.5} width="52px" testid="recall-time" onCommit={(v) => set('transition', v)} />
        <span className="unit">s</span>
        <select value={recall.easing} onChange={(e) => set('easing', e.target.value)} data-testid="recall-easing" title="easing">
          {((registry && registry.easings) || ['linear']).map((e) => <option key={e}>{e}</option>)}
        </select>
        <select value={recall.space} onChange={(e) => set('space', e.target.value)} data-testid="recall-space" title="xyz: a straight line; aed: an arc about the origin">
          <option value="xyz">straight (xyz)</option>
          <option value="aed">arc (aed)</option>
        </select>
        <span>stagger</span>
        <NumberField value={recall.stagger} min={0} step={0.1} width="48px" testid="recall-stagger" onCommit={(v) => set('stagger', v)} />
        <span className="unit">s</span>
      </div>
      {presets.length === 0 && <p className="dim">No preset yet: place the tracks (or play and pause), then Capture.</p>}
      {presets.map((p, pi) => (
        <PresetCard key={p.name} doc={doc} p={p} pi={pi} recall={recall} />
      ))}
    </section>
  );
}
