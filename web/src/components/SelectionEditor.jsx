// The track editor: the selected tracks' name, colour, gain and base
// position, in xyz or in aed (azimuth ° clockwise from the front, elevation
// °, distance m, about the origin: the Holophonix convention). With several
// tracks selected a field they share shows its value, one where they differ
// shows "mixed"; what is typed is set on every selected track in one edit
// (one undo step). A refused value shows the reason at the field.
import { useState } from 'react';
import { edit } from '../client.js';
import { useStore } from '../store.js';
import { NumberField, TextField } from './Tracks.jsx';
import { MIXED, commonValue, setFieldOps } from '../selection.mjs';
import { trackColor } from '../render.js';

const SPACES = {
  xyz: [['x', 'x', 'm'], ['y', 'y', 'm'], ['z', 'z', 'm']],
  aed: [['az', 'azimuth', '°'], ['el', 'elevation', '°'], ['dist', 'distance', 'm']],
};

export function SelectionEditor() {
  const doc = useStore((s) => s.doc);
  const selection = useStore((s) => s.selection);
  const [space, setSpace] = useState('xyz');
  const byId = new Map(((doc && doc.tracks) || []).map((t) => [t.id, t]));
  const tracks = selection.map((id) => byId.get(id)).filter(Boolean);
  if (tracks.length === 0) {
    return (
      <section className="seledit" data-testid="selection-editor">
        <h2 className="sub">Selected tracks</h2>
        <p className="dim">Select tracks in the list or the views (Ctrl/Shift for several, Ctrl+A for all) to edit them here.</p>
      </section>
    );
  }
  const ids = tracks.map((t) => t.id);
  const who = ids.length === 1 ? `track ${ids[0]}` : `${ids.length} tracks`;
  // a bad value throws (shown at the field); the engine's refusal rejects (shown there too)
  const set = (field, value) => {
    const ops = setFieldOps(doc, ids, field, value);
    return ops.length ? edit(ops, `${field} of ${who}`, { quiet: true }) : undefined;
  };
  const shown = (field) => {
    const v = commonValue(tracks, field);
    return v === MIXED ? { value: undefined, placeholder: 'mixed', mixed: true } : { value: v, placeholder: field === 'gain' ? 'none' : '', mixed: false };
  };
  const num = (field, title, unit, step) => {
    const s = shown(field);
    return (
      <label className={`selfield${s.mixed ? ' mixed' : ''}`} key={field}>
        <span className="dim">{title} <span className="unit">{unit}</span></span>
        <NumberField value={s.value} placeholder={s.placeholder} step={step} title={`${title} (${unit})${s.mixed ? ': differs between the selected tracks' : ''}`} testid={`sel-${field}`} onCommit={(v) => set(field, v)} />
      </label>
    );
  };
  const name = shown('name');
  // the colour each shows (a track without one is drawn in its palette colour)
  const color = commonValue(tracks.map((t) => ({ color: trackColor(t) })), 'color');
  return (
    <section className="seledit" data-testid="selection-editor">
      <h2 className="sub">
        Selected: {ids.length === 1 ? `track ${ids[0]}` : `${ids.length} tracks`} <span className="dim small">{ids.length > 1 ? ids.join(', ') : ''}</span>
      </h2>
      <div className="selrow">
        <label className={`selfield wide${name.mixed ? ' mixed' : ''}`}>
          <span className="dim">name</span>
          <TextField value={name.value ?? ''} placeholder={name.mixed ? 'mixed (# numbers them)' : 'name'} testid="sel-name" onCommit={(v) => set('name', v)} />
        </label>
        <label className={`selfield${color === MIXED ? ' mixed' : ''}`} title={color === MIXED ? 'the selected tracks differ' : 'colour'}>
          <span className="dim">colour{color === MIXED ? ' (mixed)' : ''}</span>
          <input type="color" className="swatch" data-testid="sel-color" value={color === MIXED ? trackColor(tracks[0]) : color} onChange={(e) => Promise.resolve(set('color', e.target.value)).catch(() => {})} />
        </label>
        {num('gain', 'gain', 'dB', 1)}
      </div>
      <div className="selrow">
        <select value={space} onChange={(e) => setSpace(e.target.value)} data-testid="sel-space" title="base position in xyz (m) or aed (azimuth ° clockwise from the front, elevation °, distance m, about the origin)">
          <option value="xyz">x · y · z</option>
          <option value="aed">a · e · d</option>
        </select>
        {SPACES[space].map(([field, title, unit]) => num(field, title, unit, unit === '°' ? 5 : 0.1))}
      </div>
    </section>
  );
}
