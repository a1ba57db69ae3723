// The animation editor: choose a model, fill a form generated from the
// engine's registry (units, ranges, defaults; the engine's own validation
// messages), preview the path at once in the views, apply it to the selected
// tracks as a group (mode, phase offset) — or edit a group already in the
// show, where every committed field is one undo step and plays live.
import { useEffect, useMemo, useRef, useState } from 'react';
import { call, edit, errorText, getState, ptr, setState, toast } from '../client.js';
import { useStore } from '../store.js';
import { NumberField, TextField } from './Tracks.jsx';
import { selectionDefaults } from '../defaults.mjs';
import { AnimClipboard } from './AnimClipboard.jsx';

const MODES = [
  ['shared', 'shared — same path (phase offsets)'],
  ['relative', 'relative — path around each base'],
  ['isobarycentric', 'isobarycentric — formation moves'],
  ['centered', 'centered — formation about a point'],
  ['spread', 'spread — offsets on a sphere'],
  ['mirror', 'mirror — mirrored across an axis'],
];

function fmtDefault(d) {
  if (Array.isArray(d)) return d.join(', ');
  if (d === null || d === undefined) return '';
  return String(d);
}

/** A refused change made without a text field (a menu, a box): the engine's message as a toast. */
function told(p) {
  if (p && typeof p.catch === 'function') p.catch((e) => toast('error', errorText(e), 8000));
}

function Field({ info, value, error, onChange, easings }) {
  const id = `p-${info.name}`;
  const v = value === undefined ? info.default : value;
  const range = info.min !== undefined ? `${info.min} … ${info.max}` : '';
  let input;
  switch (info.type) {
    case 'number':
    case 'integer':
      input = <NumberField value={v} step={info.type === 'integer' ? 1 : 0.1} min={info.min} max={info.max} title={`${info.name} (${info.unit || 'no unit'}) ${range}`} testid={`param-${info.name}`} error={error} onCommit={onChange} />;
      break;
    case 'vec3':
    case 'rotation':
    case 'scale': {
      const arr = Array.isArray(v) ? v : typeof v === 'number' ? [v, v, v] : [0, 0, 0];
      input = (
        <span className="xyz">
          {arr.slice(0, 3).map((c, k) => (
            <NumberField key={k} value={c} step={0.1} title={`${info.name}[${k}]`} testid={`param-${info.name}-${k}`} error={error} onCommit={(x) => onChange(arr.map((o, j) => (j === k ? x : o)))} />
          ))}
        </span>
      );
      break;
    }
    case 'choice':
      input = (
        <select value={v ?? ''} onChange={(e) => told(onChange(e.target.value))} data-testid={`param-${info.name}`}>
          {info.choices.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      );
      break;
    case 'easing':
      input = (
        <select value={v ?? 'linear'} onChange={(e) => told(onChange(e.target.value))}>
          {easings.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      );
      break;
    case 'bool':
      input = <input type="checkbox" checked={!!v} onChange={(e) => told(onChange(e.target.checked))} />;
      break;
    default:
      input = (
        <TextField
          value={value === undefined ? '' : JSON.stringify(value)}
          placeholder={info.type === 'keyframes' ? '[{"time":0,"position":[0,0,0]}]' : '[[0,0,0],[1,0,0]]'}
          onCommit={(text) => {
            if (text.trim() === '') return onChange(undefined);
            let parsed;
            try {
              parsed = JSON.parse(text);
            } catch (e) {
              throw new Error(`${info.name}: not JSON: ${e.message}`);
            }
            return onChange(parsed);
          }}
        />
      );
  }
  return (
    <label className={`field${error ? ' has-error' : ''}`} htmlFor={id} title={info.description}>
      <span className="fname">
        {info.name}
        {info.unit ? <span className="unit"> {info.unit}</span> : null}
      </span>
      <span className="finput">{input}</span>
      <span className="fhint">{error ? <span className="error" data-testid={`error-${info.name}`}>{error}</span> : <span className="dim">{range || fmtDefault(info.default)}</span>}</span>
    </label>
  );
}

function newDraft(model) {
  return { model, params: {}, timing: { duration: 10, loop: 'loop', speed: 1, seam: 'blend' }, group: { mode: 'shared', phaseOffset: 0, phaseSpread: false, autoStart: true } };
}

function draftFromShow(doc, gi) {
  const g = doc.groups[gi];
  const a = doc.animations.find((x) => x.name === g.animation);
  return {
    model: a.model,
    params: { ...(a.parameters || {}) },
    timing: { duration: a.duration ?? 10, loop: a.pingPong ? 'pingpong' : a.loop === true ? 'loop' : a.loop === false ? 'once' : a.loop ?? 'loop', speed: a.speed ?? 1, seam: a.seam ?? 'blend' },
    group: { mode: g.mode || 'shared', phaseOffset: g.phaseOffset || 0, phaseSpread: !!g.phaseSpread, autoStart: !!g.autoStart },
  };
}

export function AnimationEditor() {
  const registry = useStore((s) => s.registry);
  const doc = useStore((s) => s.doc);
  const selection = useStore((s) => s.selection);
  const [target, setTarget] = useState('new'); // 'new' or a group name
  const [draft, setDraft] = useState(() => newDraft('circular'));
  const [errors, setErrors] = useState({});
  const [general, setGeneral] = useState('');
  const [name, setName] = useState('');
  const [fromHere, setFromHere] = useState(true);
  const touched = useRef(new Set()); // parameters typed for the new animation
  const auto = useRef(new Set()); // parameters set from the selection
  const seq = useRef(0);

  const groups = (doc && doc.groups) || [];
  const gi = target === 'new' ? -1 : groups.findIndex((g) => g.name === target);
  const editing = gi >= 0;
  const model = registry ? registry.models.find((m) => m.name === draft.model || m.aliases.includes(draft.model)) : null;
  const tracks = editing ? groups[gi].tracks : selection;

  // editing a group: follow the show (undo, other windows)
  useEffect(() => {
    if (target !== 'new' && gi < 0) setTarget('new');
    if (editing) setDraft(draftFromShow(doc, gi));
  }, [doc, gi, editing, target]);

  // a new animation: defaults from the selection (centre, start where the sources stand)
  useEffect(() => {
    if (editing || !model || !doc) return;
    const bases = selection.map((id) => ((doc.tracks || []).find((t) => t.id === id) || {}).position).filter(Array.isArray);
    const out = selectionDefaults(model, bases, draft.params, touched.current, fromHere);
    // a default set before and not any more (the option turned off) goes back to the model's
    const stale = [...auto.current].filter((k) => !(k in out) && !touched.current.has(k) && k in draft.params);
    auto.current = new Set(Object.keys(out));
    if (stale.length || Object.entries(out).some(([k, v]) => JSON.stringify(draft.params[k]) !== JSON.stringify(v))) {
      setDraft((d) => {
        const params = { ...d.params, ...out };
        for (const k of stale) delete params[k];
        return { ...d, params };
      });
    }
  }, [editing, model, doc, selection, draft.params, fromHere]);

  // instant preview (the engine validates and samples on the server)
  useEffect(() => {
    if (!model) return undefined;
    // the values are checked either way; the path is drawn only while the
    // editor has tracks to act on (a selection, or a group chosen)
    if (tracks.length === 0 && getState().preview !== null) setState({ preview: null });
    const my = ++seq.current;
    const t = setTimeout(async () => {
      try {
        const r = await call('preview', {
          model: draft.model,
          params: draft.params,
          timing: draft.timing,
          tracks,
          spec: { mode: draft.group.mode, phaseOffset: draft.group.phaseOffset, phaseSpread: draft.group.phaseSpread },
        });
        if (my !== seq.current) return;
        setErrors({});
        setGeneral('');
        setState({ preview: tracks.length ? { points: r.points } : null });
      } catch (e) {
        if (my !== seq.current) return;
        setErrors(e.fields || {});
        setGeneral(e.fields && Object.keys(e.fields).length ? '' : e.message);
        setState({ preview: null });
      }
    }, 30);
    return () => clearTimeout(t);
  }, [draft, model, tracks]);

  useEffect(() => () => setState({ preview: null }), []);
  // the views draw this group's control points as handles (pathview.js), or
  // a new animation's, whose moves come back here as typed values
  const setParamRef = useRef(null);
  useEffect(() => {
    setState({ editTarget: editing ? target : null });
    return () => setState({ editTarget: null });
  }, [editing, target]);
  useEffect(() => {
    const pathDraft = editing || !model ? null : { model: draft.model, params: draft.params, timing: draft.timing, group: draft.group, tracks, set: (k, v) => setParamRef.current(k, v) };
    setState({ pathDraft });
  }, [editing, model, draft, tracks]);
  useEffect(() => () => setState({ pathDraft: null }), []);

  const fieldsOf = useMemo(() => (model ? model.parameters : []), [model]);
  if (!registry || !doc) return null;

  const animIndex = editing ? doc.animations.findIndex((a) => a.name === groups[gi].animation) : -1;

  // a committed change: live for an existing group (one undo step), draft for a new one
  const setParam = (pname, value) => {
    if (!editing) touched.current.add(pname);
    const params = { ...draft.params };
    if (value === undefined) delete params[pname];
    else params[pname] = value;
    setDraft({ ...draft, params });
    if (editing) {
      const has = doc.animations[animIndex].parameters && pname in doc.animations[animIndex].parameters;
      const op = value === undefined ? { op: 'remove', path: ptr('animations', animIndex, 'parameters', pname) } : { op: has ? 'replace' : 'add', path: ptr('animations', animIndex, 'parameters', pname), value };
      const ops = doc.animations[animIndex].parameters ? [op] : [{ op: 'add', path: ptr('animations', animIndex, 'parameters'), value: { [pname]: value } }];
      return edit(ops, `${pname} of ${groups[gi].animation}`, { quiet: true }).catch(refused);
    }
    return undefined;
  };
  const setTiming = (k, v) => {
    setDraft({ ...draft, timing: { ...draft.timing, [k]: v } });
    if (editing) {
      const a = doc.animations[animIndex];
      const ops = [{ op: a[k] === undefined ? 'add' : 'replace', path: ptr('animations', animIndex, k), value: v }];
      if (k === 'loop' && a.pingPong !== undefined) ops.push({ op: 'remove', path: ptr('animations', animIndex, 'pingPong') });
      return edit(ops, `${k} of ${a.name}`, { quiet: true }).catch(refused);
    }
    return undefined;
  };
  const setGroup = (k, v) => {
    setDraft({ ...draft, group: { ...draft.group, [k]: v } });
    if (editing) {
      const g = groups[gi];
      return edit([{ op: g[k] === undefined ? 'add' : 'replace', path: ptr('groups', gi, k), value: v }], `${k} of ${g.name}`, { quiet: true }).catch(refused);
    }
    return undefined;
  };
  /** An existing group's change refused: the form shows the show again, the field the engine's words. */
  const refused = (e) => {
    setDraft(draftFromShow(doc, gi));
    throw e;
  };
  const showEditError = (e) => {
    const fields = {};
    for (const d of e.diagnostics || []) {
      const m = /\.parameters\.(\w+)$/.exec(d.path) || /\.(duration|speed|loop)$/.exec(d.path);
      if (m) fields[m[1] === 'duration' || m[1] === 'speed' || m[1] === 'loop' || m[1] === 'seam' ? 'timing' : m[1]] = d.message;
    }
    if (Object.keys(fields).length) setErrors(fields);
    else toast('error', e.message);
    setDraft(draftFromShow(doc, gi));
  };

  const chooseModel = (m) => {
    if (editing) {
      edit([
        { op: 'replace', path: ptr('animations', animIndex, 'model'), value: m },
        { op: doc.animations[animIndex].parameters ? 'replace' : 'add', path: ptr('animations', animIndex, 'parameters'), value: {} },
      ], `model of ${groups[gi].animation}`).catch(() => {});
    } else {
      touched.current = new Set();
      setDraft({ ...newDraft(m), timing: draft.timing, group: draft.group });
    }
  };

  const apply = async () => {
    if (tracks.length === 0) {
      toast('warn', 'select one or more tracks first (click them in the list or the view)');
      return;
    }
    const used = new Set([...(doc.animations || []).map((a) => a.name), ...groups.map((g) => g.name)]);
    let base = (name.trim() || `${draft.model} ${tracks.join('+')}`).slice(0, 60);
    let n = base;
    for (let k = 2; used.has(n); k++) n = `${base} (${k})`;
    const anim = { name: n, model: draft.model, duration: draft.timing.duration, loop: draft.timing.loop, speed: draft.timing.speed, parameters: draft.params };
    if (draft.timing.seam && draft.timing.seam !== 'blend') anim.seam = draft.timing.seam;
    const group = { name: n, animation: n, tracks, mode: draft.group.mode, phaseOffset: draft.group.phaseOffset, phaseSpread: draft.group.phaseSpread, autoStart: draft.group.autoStart };
    const ops = [];
    ops.push(doc.animations ? { op: 'add', path: '/animations/-', value: anim } : { op: 'add', path: '/animations', value: [anim] });
    ops.push(doc.groups ? { op: 'add', path: '/groups/-', value: group } : { op: 'add', path: '/groups', value: [group] });
    try {
      await edit(ops, `apply ${n}`, { quiet: true });
      touched.current = new Set();
      setName('');
      setTarget(n);
      toast('ok', `“${n}” on track${tracks.length > 1 ? 's' : ''} ${tracks.join(', ')}`, 2500);
    } catch (e) {
      showEditError(e);
    }
  };

  const removeGroup = () => {
    const g = groups[gi];
    const ops = [];
    const stillUsed = groups.some((x, j) => j !== gi && x.animation === g.animation) || (doc.cues || []).some((c) => c.actions.some((a) => a.animation === g.animation));
    const cueOps = [];
    (doc.cues || []).forEach((c, ci) => {
      const keep = c.actions.filter((a) => a.group !== g.name);
      if (keep.length !== c.actions.length) cueOps.push({ op: 'replace', path: ptr('cues', ci, 'actions'), value: keep });
    });
    const clips = (doc.timeline && doc.timeline.clips) || []; // its timeline clips go too
    clips.map((c, i) => (c.group === g.name ? i : -1)).filter((i) => i >= 0).reverse().forEach((i) => cueOps.push({ op: 'remove', path: ptr('timeline', 'clips', i) }));
    ops.push(...cueOps, { op: 'remove', path: ptr('groups', gi) });
    if (!stillUsed) ops.push({ op: 'remove', path: ptr('animations', animIndex) });
    edit(ops, `remove ${g.name}`).then(() => setTarget('new')).catch(() => {});
  };

  setParamRef.current = setParam;
  const common = registry.commonParameters || [];
  return (
    <section className="panel editor" data-testid="editor">
      <div className="editor-head">
        <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="editor-target" title="a new animation, or one in the show">
          <option value="new">New animation…</option>
          {groups.map((g) => (
            <option key={g.name} value={g.name}>
              {g.name} ({g.tracks.join(', ')})
            </option>
          ))}
        </select>
        <select value={model ? model.name : draft.model} onChange={(e) => chooseModel(e.target.value)} data-testid="editor-model" title="model">
          {registry.models.map((m) => (
            <option key={m.name} value={m.name}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <AnimClipboard target={target} onTarget={setTarget} />
      {model && <p className="dim desc">{model.description}</p>}
      {general && <p className="error">{general}</p>}
      <div className="form">
        {fieldsOf.map((info) => (
          <Field key={info.name} info={info} value={draft.params[info.name]} error={errors[info.name]} easings={registry.easings} onChange={(v) => setParam(info.name, v)} />
        ))}
        <details>
          <summary>Frame: rotation, rotationOrder, scale, offset, offsetTurn</summary>
          {common.map((info) => (
            <Field key={info.name} info={info} value={draft.params[info.name]} error={errors[info.name]} easings={registry.easings} onChange={(v) => setParam(info.name, v)} />
          ))}
        </details>
        <h3>Timing</h3>
        <label className={`field${errors.timing ? ' has-error' : ''}`}>
          <span className="fname">duration <span className="unit">s</span></span>
          <span className="finput"><NumberField value={draft.timing.duration} min={registry.timing.duration.min} step={0.5} testid="timing-duration" onCommit={(v) => setTiming('duration', v)} /></span>
          <span className="fhint">{errors.timing ? <span className="error">{errors.timing}</span> : <span className="dim">one loop</span>}</span>
        </label>
        <label className="field">
          <span className="fname">loop</span>
          <span className="finput">
            <select value={draft.timing.loop} onChange={(e) => told(setTiming('loop', e.target.value))}>
              {registry.timing.loop.choices.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </span>
          <span className="fhint" />
        </label>
        {registry.timing.seam && (
          <label className="field">
            <span className="fname">seam</span>
            <span className="finput">
              <select value={draft.timing.seam ?? 'blend'} onChange={(e) => told(setTiming('seam', e.target.value))} title="at the loop's wrap: blend (seamless where the model has no end of its own) or cut (restart, the original's way)">
                {registry.timing.seam.choices.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </span>
            <span className="fhint" />
          </label>
        )}
        <label className="field">
          <span className="fname">speed <span className="unit">×</span></span>
          <span className="finput"><NumberField value={draft.timing.speed} min={registry.timing.speed.min} max={registry.timing.speed.max} step={0.1} testid="timing-speed" onCommit={(v) => setTiming('speed', v)} /></span>
          <span className="fhint" />
        </label>
        <h3>Tracks</h3>
        <p className="dim">
          {tracks.length ? `on track${tracks.length > 1 ? 's' : ''} ${tracks.join(', ')}` : 'select tracks in the list or the view'}
          {editing && <button className="small" onClick={() => selection.length && edit([{ op: 'replace', path: ptr('groups', gi, 'tracks'), value: selection }], `tracks of ${groups[gi].name}`).catch(() => {})} title="use the selected tracks">use selection</button>}
        </p>
        <label className="field">
          <span className="fname">group mode</span>
          <span className="finput">
            <select value={draft.group.mode} onChange={(e) => told(setGroup('mode', e.target.value))} data-testid="group-mode">
              {MODES.map(([m, label]) => (
                <option key={m} value={m}>{label}</option>
              ))}
            </select>
          </span>
          <span className="fhint" />
        </label>
        <label className="field">
          <span className="fname">phase offset <span className="unit">s</span></span>
          <span className="finput"><NumberField value={draft.group.phaseOffset} step={0.1} testid="phase-offset" onCommit={(v) => setGroup('phaseOffset', v)} /></span>
          <span className="fhint dim">track i runs i × this behind</span>
        </label>
        <label className="field check">
          <span className="fname">spread phases</span>
          <span className="finput"><input type="checkbox" checked={draft.group.phaseSpread} onChange={(e) => told(setGroup('phaseSpread', e.target.checked))} data-testid="phase-spread" /></span>
          <span className="fhint dim">evenly along one loop</span>
        </label>
        {!editing && (
          <label className="field check" title="the centre is the selection's centroid at its height; a circle starts where the first selected source stands; a source not on its path's start glides there (1 s, or the animation's fadeIn) instead of jumping">
            <span className="fname">start where they stand</span>
            <span className="finput"><input type="checkbox" checked={fromHere} onChange={(e) => setFromHere(e.target.checked)} data-testid="from-here" /></span>
            <span className="fhint dim">start angle, radius from the sources</span>
          </label>
        )}
        <label className="field check">
          <span className="fname">start on play</span>
          <span className="finput"><input type="checkbox" checked={draft.group.autoStart} onChange={(e) => told(setGroup('autoStart', e.target.checked))} data-testid="group-autostart" /></span>
          <span className="fhint dim">autoStart</span>
        </label>
      </div>
      <footer>
        {editing ? (
          <>
            <span className="dim">changes apply live · Ctrl+Z undoes</span>
            <button className="danger" onClick={removeGroup}>Remove</button>
          </>
        ) : (
          <>
            <input className="text" placeholder="name (optional)" value={name} onChange={(e) => setName(e.target.value)} />
            <button className="primary" onClick={apply} data-testid="apply" disabled={Object.keys(errors).length > 0 || !!general}>
              Apply to {tracks.length || '…'} track{tracks.length === 1 ? '' : 's'}
            </button>
          </>
        )}
      </footer>
    </section>
  );
}
