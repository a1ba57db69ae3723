// The Arrange panel: the track editor (SelectionEditor) and the arrange
// tools: put the selected tracks on a circle, an arc, a line or a grid, or
// spread them evenly from where they stand. The geometry and its checks are
// src/arrange.mjs; once the form is touched, what it would do is drawn in the
// views (dashed, in the selection's order) until it is applied or the
// selection changes; applying is one edit, so one undo puts every track
// back. A bad value is explained under its field.
import { useEffect, useRef, useState } from 'react';
import { edit, errorText, setState, toast } from '../client.js';
import { useStore } from '../store.js';
import { NumberField } from './Tracks.jsx';
import { SelectionEditor } from './SelectionEditor.jsx';
import { FIELDS, SHAPES, arrangeDefaults, arrangePositions, checkArrange, distributeEvenly, positionOps } from '../arrange.mjs';
import '../arrange.css';

const LABELS = {
  cx: ['centre x', 'm', 0.5],
  cy: ['centre y', 'm', 0.5],
  radius: ['radius', 'm', 0.5],
  height: ['height', 'm', 0.1],
  startAngle: ['start angle', '°', 15],
  span: ['arc span', '°', 15],
  x1: ['from x', 'm', 0.5],
  y1: ['from y', 'm', 0.5],
  z1: ['from z', 'm', 0.1],
  x2: ['to x', 'm', 0.5],
  y2: ['to y', 'm', 0.5],
  z2: ['to z', 'm', 0.1],
  columns: ['columns', '', 1],
  spacingX: ['spacing x', 'm', 0.5],
  spacingY: ['spacing y', 'm', 0.5],
};

const HINTS = {
  startAngle: 'azimuth of the first: 0 front, 90 right',
  span: 'from the start angle',
  cx: 'defaults to the selection',
};

/** Selected tracks in selection order, and their bases. */
function useSelected() {
  const doc = useStore((s) => s.doc);
  const selection = useStore((s) => s.selection);
  const byId = new Map(((doc && doc.tracks) || []).map((t) => [t.id, t]));
  const tracks = selection.map((id) => byId.get(id)).filter(Boolean);
  return { doc, tracks, ids: tracks.map((t) => t.id), bases: tracks.map((t) => t.position || [0, 0, 0]) };
}

/** The dashed preview in the views: through the positions in order (a circle closed). */
function previewOf(shape, positions) {
  const pts = shape === 'circle' && positions.length > 2 ? [...positions, positions[0]] : positions;
  return pts.length > 1 ? { points: [pts.flat()] } : null;
}

export function ArrangeTools() {
  const { doc, ids, bases } = useSelected();
  const [shape, setShape] = useState('circle');
  const [params, setParams] = useState(() => arrangeDefaults(bases));
  const [general, setGeneral] = useState('');
  // the preview shows from the first touch of the form until it is applied or the selection changes
  const [active, setActive] = useState(false);
  const touched = useRef(new Set());
  const n = ids.length;
  const key = JSON.stringify(bases);
  const idsKey = ids.join(',');
  useEffect(() => setActive(false), [idsKey]);

  // the centre and height follow the selection until typed (keyed on the bases' values, not the array)
  useEffect(() => {
    const d = arrangeDefaults(bases);
    setParams((p) => {
      const next = { ...p };
      for (const k of ['cx', 'cy', 'height', 'z1', 'z2', 'columns']) if (!touched.current.has(k)) next[k] = d[k];
      return next;
    });
  }, [key]);

  const errors = checkArrange(shape, params, n);
  const ok = Object.keys(errors).length === 0;
  const positions = ok ? arrangePositions(shape, params, n) : null;

  useEffect(() => {
    setState({ preview: active && positions ? previewOf(shape, positions) : null });
  }, [JSON.stringify(positions), shape, active]);
  useEffect(() => () => setState({ preview: null }), []);

  const setParam = (k, v) => {
    touched.current.add(k);
    setActive(true);
    setGeneral('');
    setParams((p) => ({ ...p, [k]: v }));
  };
  const move = async (to, label) => {
    setGeneral('');
    try {
      await edit(positionOps(doc, ids, to), label, { quiet: true });
      setActive(false);
      toast('ok', `${label} (Ctrl+Z puts them back)`, 2500);
    } catch (e) {
      setGeneral(errorText(e));
    }
  };
  const apply = () => ok && move(positions, `arrange ${n} track${n === 1 ? '' : 's'} on a ${shape}`);
  const distribute = (kind) => {
    try {
      return move(distributeEvenly(kind, bases), `spread ${n} tracks evenly ${kind === 'line' ? 'along a line' : 'around their centre'}`);
    } catch (e) {
      setGeneral(e.message);
      return undefined;
    }
  };

  const field = (k) => {
    if (k === 'direction') {
      return (
        <label className="field" key={k}>
          <span className="fname">direction</span>
          <span className="finput">
            <select value={params.direction} onChange={(e) => setParam('direction', e.target.value)} data-testid="arrange-direction">
              <option value="clockwise">clockwise</option>
              <option value="counterclockwise">counterclockwise</option>
            </select>
          </span>
          <span className="fhint dim">seen from above</span>
        </label>
      );
    }
    const [label, unit, step] = LABELS[k];
    return (
      <label className={`field${errors[k] ? ' has-error' : ''}`} key={k}>
        <span className="fname">
          {label} {unit && <span className="unit">{unit}</span>}
        </span>
        <span className="finput">
          <NumberField value={params[k]} step={step} title={label} error={errors[k]} testid={`arrange-${k}`} onCommit={(v) => setParam(k, v)} />
        </span>
        <span className="fhint">{errors[k] ? <span className="error" role="alert" data-testid={`arrange-${k}-error`}>{errors[k]}</span> : <span className="dim">{HINTS[k] || ''}</span>}</span>
      </label>
    );
  };

  return (
    <section className="arrange" data-testid="arrange">
      <h2 className="sub">Arrange {n ? `${n} track${n === 1 ? '' : 's'}` : ''}</h2>
      <div className="shapes" role="radiogroup" aria-label="shape">
        {SHAPES.map((s) => (
          <button key={s} className={shape === s ? 'on' : ''} onClick={() => { setShape(s); setActive(true); }} data-testid={`arrange-shape-${s}`} role="radio" aria-checked={shape === s}>
            {s}
          </button>
        ))}
      </div>
      <div className="form">{FIELDS[shape].map(field)}</div>
      {(general || errors._) && <p className="error" role="alert" data-testid="arrange-error">{general || errors._}</p>}
      <div className="arrange-actions">
        <button className="primary" onClick={apply} disabled={!ok} data-testid="arrange-apply" title="one edit: Ctrl+Z puts every track back">
          Arrange on the {shape}
        </button>
        <span className="dim small">in the order selected</span>
      </div>
      <h3>Distribute evenly</h3>
      <div className="arrange-actions">
        <button onClick={() => distribute('line')} disabled={n < 3} data-testid="arrange-distribute-line" title="the first and the last stay; those between are spread evenly">
          along a line
        </button>
        <button onClick={() => distribute('circle')} disabled={n < 2} data-testid="arrange-distribute-circle" title="about their centre, at their mean distance, each keeping its height and its place in the round">
          around their centre
        </button>
      </div>
    </section>
  );
}

/** The Arrange tab: the selected tracks' fields, then the arrange tools. */
export function Arrange() {
  return (
    <div className="panel arrangepanel">
      <SelectionEditor />
      <ArrangeTools />
    </div>
  );
}
