// Cues: a grid of cue cards, each with GO, its transition (or fade) time and
// the OSC address that fires it; GO next (Enter) walks the list in order.
// The last fired cue is marked, and the header says where it came from
// (the UI, an OSC address from a desk, /holoanim/cue/go).
import { useState } from 'react';
import { act, edit, ptr, toast } from '../client.js';
import { useStore } from '../store.js';
import { NumberField, TextField } from './Tracks.jsx';

function summary(a) {
  switch (a.type) {
    case 'start':
      return a.group !== undefined ? `start ${a.group}` : `start ${a.animation} on ${(a.tracks || []).join(',')}`;
    case 'stop':
      return a.group !== undefined ? `stop ${a.group}` : a.animation !== undefined ? `stop ${a.animation}` : a.tracks ? `stop tracks ${a.tracks.join(',')}` : 'stop all';
    case 'preset':
      return `preset ${a.preset}${a.stagger ? `, stagger ${a.stagger}s` : ''}`;
    case 'goto':
      return `track ${a.track} → [${(a.position || []).join(', ')}]`;
    default:
      return a.type;
  }
}

/** The time a cue's card edits: the first action's transition (preset, goto) or fade (stop). */
function timeKey(a) {
  if (!a) return null;
  if (a.type === 'preset' || a.type === 'goto') return 'transition';
  if (a.type === 'stop') return 'fade';
  return null;
}

let standby = 0; // index of the next cue for GO next (per window)
export function goNext(doc) {
  const cues = [...((doc && doc.cues) || [])].sort((a, b) => a.number - b.number);
  if (cues.length === 0) return;
  const c = cues[standby % cues.length];
  standby = (standby + 1) % cues.length;
  act('cue', { number: c.number });
}

function AddCue({ doc }) {
  const groups = doc.groups || [];
  const presets = doc.presets || [];
  const options = [
    ...groups.map((g) => [`start:${g.name}`, `start group ${g.name}`]),
    ...groups.map((g) => [`stop:${g.name}`, `stop group ${g.name}`]),
    ...presets.map((p) => [`preset:${p.name}`, `preset ${p.name}`]),
    ['stopall:', 'stop everything'],
  ];
  const [what, setWhat] = useState(options[0] ? options[0][0] : 'stopall:');
  const [name, setName] = useState('');
  const add = () => {
    const cues = doc.cues || [];
    const number = cues.reduce((m, c) => Math.max(m, Math.floor(c.number)), 0) + 1;
    const [kind, arg] = [what.slice(0, what.indexOf(':')), what.slice(what.indexOf(':') + 1)];
    const action = kind === 'start' ? { type: 'start', group: arg } : kind === 'stop' ? { type: 'stop', group: arg, fade: 1 } : kind === 'preset' ? { type: 'preset', preset: arg, transition: 2, easing: 'inOutSine' } : { type: 'stop', fade: 2 };
    const cue = { number, name: name || options.find((o) => o[0] === what)?.[1] || `Cue ${number}`, osc: `/cue/${number}`, actions: [action] };
    edit([doc.cues ? { op: 'add', path: '/cues/-', value: cue } : { op: 'add', path: '/cues', value: [cue] }], `add cue ${number}`)
      .then(() => setName(''))
      .catch(() => {});
  };
  return (
    <div className="addcue">
      <select value={what} onChange={(e) => setWhat(e.target.value)} data-testid="cue-action">
        {options.map(([v, label]) => (
          <option key={v} value={v}>{label}</option>
        ))}
      </select>
      <input className="text" placeholder="name" value={name} onChange={(e) => setName(e.target.value)} />
      <button onClick={add} data-testid="add-cue">+ Cue</button>
    </div>
  );
}

export function Cues() {
  const doc = useStore((s) => s.doc);
  const events = useStore((s) => s.events);
  if (!doc) return null;
  const cues = doc.cues || [];
  const lastCue = [...events].reverse().find((e) => e.type === 'cue');
  const fire = async (c) => {
    const r = await act('cue', { number: c.number });
    if (r) toast('ok', `GO ${c.number} ${c.name || ''}`, 1500);
  };
  return (
    <section className="panel cues" data-testid="cues">
      <header>
        <h2>Cues <span className="dim">{cues.length}</span></h2>
        {lastCue && (
          <span className="lastcue dim" data-testid="last-cue" title="the last cue fired and where from">
            last: {lastCue.cue}
            {lastCue.name ? ` ${lastCue.name}` : ''} · {lastCue.source || 'ui'}
          </span>
        )}
        <button className="primary" onClick={() => goNext(doc)} title="fire the next cue (Enter)" data-testid="go-next">GO next</button>
      </header>
      <div className="cuegrid">
        {cues.map((c, ci) => {
          const a0 = c.actions[0];
          const tk = timeKey(a0);
          const fired = lastCue && Math.abs(lastCue.cue - c.number) < 1e-9;
          return (
            <div key={`${c.number}`} className={`cue${fired ? ' fired' : ''}`} data-testid={`cue-${c.number}`} title={fired ? `fired from ${lastCue.source || 'ui'}` : undefined}>
              <div className="cuetop">
                <span className="cuenum">{c.number}</span>
                <TextField value={c.name || ''} placeholder="name" className="text cuename" onCommit={(v) => edit([{ op: c.name !== undefined ? 'replace' : 'add', path: ptr('cues', ci, 'name'), value: v }], `rename cue ${c.number}`, { quiet: true })} />
                <button className="go" onClick={() => fire(c)} data-testid={`go-${c.number}`}>GO</button>
              </div>
              <div className="cueacts dim">{c.actions.map(summary).join(' · ')}</div>
              <div className="cuebottom">
                <span title="OSC address that fires this cue">OSC</span>
                <TextField
                  value={c.osc || ''}
                  placeholder="/cue/address"
                  className="text osc"
                  testid={`cue-${c.number}-osc`}
                  onCommit={(v) => edit([v === '' ? { op: 'remove', path: ptr('cues', ci, 'osc') } : { op: c.osc !== undefined ? 'replace' : 'add', path: ptr('cues', ci, 'osc'), value: v }], `OSC of cue ${c.number}`, { quiet: true })}
                />
              </div>
              <div className="cuebottom">
                {tk ? (
                  <>
                    <span title={tk === 'fade' ? 'fade back to the bases' : 'transition time'}>{tk === 'fade' ? 'fade' : 'time'}</span>
                    <NumberField value={a0[tk] ?? 0} min={0} step={0.5} width="52px" testid={`cue-${c.number}-time`} onCommit={(v) => edit([{ op: a0[tk] !== undefined ? 'replace' : 'add', path: ptr('cues', ci, 'actions', 0, tk), value: v }], `${tk} of cue ${c.number}`, { quiet: true })} />
                    <span className="unit">s</span>
                  </>
                ) : (
                  <span className="dim">no transition</span>
                )}
                <span className="spacer" />
                <button className="icon" title={`remove cue ${c.number}`} onClick={() => edit([...((doc.timeline && doc.timeline.markers) || []).map((m, i) => (m.cue === c.number ? i : -1)).filter((i) => i >= 0).reverse().map((i) => ({ op: 'remove', path: ptr('timeline', 'markers', i) })), { op: 'remove', path: ptr('cues', ci) }], `remove cue ${c.number}`).catch(() => {})}>×</button>
              </div>
            </div>
          );
        })}
      </div>
      <AddCue doc={doc} />
    </section>
  );
}
