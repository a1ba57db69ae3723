// Timeline: the show's length, a lane per group with its clips (start,
// duration, loop), cue markers, and the playhead. Clips are dragged to move
// and by their right edge to resize; each drop is one edit through the
// server's normal edit path (so undo works), and the core plays the edited
// timeline (docs/show-format.md "Timeline"): the positions follow at once.
// Clicking the ruler or an empty part of a lane seeks; the wheel (or −/+)
// zooms. The playhead follows the live frames without re-rendering React.
import { useEffect, useRef, useState } from 'react';
import { act, edit, live } from '../client.js';
import { useStore } from '../store.js';

const LANE_H = 26;
const RULER_H = 20;
const LABEL_W = 110;

function loopLabel(loop) {
  if (loop === undefined) return '';
  if (loop === true || loop === 'loop') return '⟲';
  if (loop === 'pingpong' || loop === 'ping-pong') return '⇄';
  return '→|';
}

/** The next loop setting a click on a clip's loop badge gives: default → loop → once → pingpong → default. */
function nextLoop(loop) {
  if (loop === undefined) return true;
  if (loop === true || loop === 'loop') return false;
  if (loop === false || loop === 'once') return 'pingpong';
  return undefined;
}

const round = (v) => Math.round(v * 100) / 100;

export function Timeline() {
  const doc = useStore((s) => s.doc);
  const tr = useStore((s) => s.transport);
  const [open, setOpen] = useState(true);
  const [pps, setPps] = useState(20); // pixels per second
  const [drag, setDrag] = useState(null); // {i, mode, x0, start, duration}
  const playRef = useRef(null);
  const bodyRef = useRef(null);

  useEffect(() => {
    let raf = 0;
    const tick = () => {
      const t = live.received ? live.time : tr.time;
      if (playRef.current) {
        playRef.current.style.transform = `translateX(${LABEL_W + t * pps}px)`;
        playRef.current.dataset.time = String(round(t));
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [tr, pps]);

  if (!doc) return null;
  const tl = doc.timeline;
  const groups = doc.groups || [];
  const clips = (tl && tl.clips) || [];
  const markers = (tl && tl.markers) || [];
  const length = (tl && tl.length) || 60;
  const width = LABEL_W + length * pps + 40;

  const ensure = () => (tl ? [] : [{ op: 'add', path: '/timeline', value: { length: 60, clips: [], markers: [] } }]);
  const addClip = (group) => {
    const at = round(Math.max(0, Math.min(live.received ? live.time : tr.time, length - 1)));
    const duration = round(Math.max(1, Math.min(10, length - at)));
    edit([...ensure(), { op: 'add', path: '/timeline/clips/-', value: { group, start: at, duration } }], `add a clip of ${group}`);
  };
  const addMarker = (cue) => {
    const at = round(live.received ? live.time : tr.time);
    edit([...ensure(), { op: 'add', path: '/timeline/markers/-', value: { cue, time: at } }], `add a marker for cue ${cue}`);
  };
  const timeAt = (clientX) => {
    const r = bodyRef.current.getBoundingClientRect();
    return Math.max(0, (clientX - r.left + bodyRef.current.scrollLeft - LABEL_W) / pps);
  };
  const seek = (e) => act('transport', { action: 'seek', time: round(Math.min(length, timeAt(e.clientX))) });

  const onClipDown = (e, i, mode) => {
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrag({ i, mode, x0: e.clientX, start: clips[i].start, duration: clips[i].duration, dx: 0 });
  };
  const onClipMove = (e) => {
    if (drag) setDrag({ ...drag, dx: e.clientX - drag.x0 });
  };
  const onClipUp = () => {
    if (!drag) return;
    const d = drag;
    setDrag(null);
    const dt = d.dx / pps;
    if (Math.abs(d.dx) < 2) return;
    if (d.mode === 'move') {
      edit([{ op: 'replace', path: `/timeline/clips/${d.i}/start`, value: round(Math.max(0, d.start + dt)) }], 'move a clip');
    } else {
      edit([{ op: 'replace', path: `/timeline/clips/${d.i}/duration`, value: round(Math.max(0.1, d.duration + dt)) }], 'resize a clip');
    }
  };
  const shown = (i) => {
    const c = clips[i];
    if (!drag || drag.i !== i) return c;
    const dt = drag.dx / pps;
    return drag.mode === 'move' ? { ...c, start: Math.max(0, drag.start + dt) } : { ...c, duration: Math.max(0.1, drag.duration + dt) };
  };
  const onWheel = (e) => {
    if (!e.deltaY) return;
    e.preventDefault();
    setPps((p) => Math.max(2, Math.min(400, p * (e.deltaY < 0 ? 1.25 : 0.8))));
  };

  const ticks = [];
  const step = pps >= 40 ? 1 : pps >= 10 ? 5 : pps >= 4 ? 10 : 30;
  for (let s = 0; s <= length; s += step) ticks.push(s);

  return (
    <section className="timeline" data-testid="timeline" style={{ borderTop: '1px solid #2a313b', background: '#12161c' }}>
      <div className="row" style={{ display: 'flex', gap: 8, alignItems: 'center', padding: '4px 8px' }}>
        <button className="small" onClick={() => setOpen(!open)} data-testid="timeline-toggle">{open ? '▾' : '▸'} Timeline</button>
        {tl ? (
          <label className="small dim">
            length{' '}
            <input
              type="number"
              min={1}
              step={1}
              defaultValue={length}
              key={length}
              style={{ width: 60 }}
              data-testid="timeline-length"
              onBlur={(e) => Number(e.target.value) !== length && edit([{ op: 'replace', path: '/timeline/length', value: Number(e.target.value) }], 'timeline length')}
            />{' '}
            s
          </label>
        ) : (
          <span className="dim small">no timeline yet: add a clip to a group to make one</span>
        )}
        <button className="small" onClick={() => setPps((p) => Math.max(2, p * 0.8))} title="zoom out (or the wheel)" data-testid="timeline-zoom-out">−</button>
        <button className="small" onClick={() => setPps((p) => Math.min(400, p * 1.25))} title="zoom in (or the wheel)" data-testid="timeline-zoom-in">+</button>
        {(doc.cues || []).length > 0 && (
          <select className="small" value="" onChange={(e) => e.target.value !== '' && addMarker(Number(e.target.value))} data-testid="timeline-add-marker">
            <option value="">+ marker at the playhead…</option>
            {(doc.cues || []).map((c) => <option key={c.number} value={c.number}>{`cue ${c.number}${c.name ? ` ${c.name}` : ''}`}</option>)}
          </select>
        )}
      </div>
      {open && (
        <div ref={bodyRef} onWheel={onWheel} style={{ position: 'relative', overflowX: 'auto', overflowY: 'hidden', maxHeight: 220 }} data-testid="timeline-body">
          <div style={{ position: 'relative', width, height: RULER_H + Math.max(1, groups.length) * LANE_H + 4 }}>
            <div onClick={seek} data-testid="timeline-ruler" style={{ position: 'absolute', left: LABEL_W, top: 0, height: RULER_H, width: length * pps, background: '#1a2029', cursor: 'pointer' }}>
              {ticks.map((s) => (
                <span key={s} className="dim small" style={{ position: 'absolute', left: s * pps, top: 2, fontSize: 10, borderLeft: '1px solid #3a4350', paddingLeft: 2 }}>{s}s</span>
              ))}
              {markers.map((m, i) => (
                <span
                  key={`m${i}`}
                  title={`cue ${m.cue} at ${m.time} s (double-click: remove)`}
                  data-testid={`timeline-marker-${i}`}
                  onClick={(e) => e.stopPropagation()}
                  onDoubleClick={() => edit([{ op: 'remove', path: `/timeline/markers/${i}` }], 'remove a marker')}
                  style={{ position: 'absolute', left: m.time * pps - 5, top: 0, color: '#ffcf4a', fontSize: 12, cursor: 'default' }}
                >
                  ◆{m.cue}
                </span>
              ))}
            </div>
            {groups.map((g, gi) => (
              <div key={g.name} style={{ position: 'absolute', left: 0, top: RULER_H + gi * LANE_H, height: LANE_H - 2, width }} data-testid={`timeline-lane-${g.name}`}>
                <div className="small" style={{ position: 'sticky', left: 0, width: LABEL_W - 6, display: 'inline-flex', justifyContent: 'space-between', alignItems: 'center', height: LANE_H - 2, background: '#12161c', zIndex: 2 }}>
                  <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{g.name}</span>
                  <button className="small" title={`add a clip of ${g.name} at the playhead`} onClick={() => addClip(g.name)} data-testid={`timeline-add-${g.name}`}>+</button>
                </div>
                <div onClick={seek} style={{ position: 'absolute', left: LABEL_W, top: 0, width: length * pps, height: LANE_H - 2, background: gi % 2 ? '#151a21' : '#171d25' }} />
                {clips.map((c0, i) => {
                  if (c0.group !== g.name) return null;
                  const c = shown(i);
                  return (
                    <div
                      key={i}
                      data-testid={`timeline-clip-${i}`}
                      data-start={c.start}
                      data-duration={c.duration}
                      title={`${g.name}: ${round(c.start)} s for ${round(c.duration)} s${c.loop !== undefined ? `, loop ${c.loop}` : ''} (drag to move, drag the right edge to resize, double-click: remove)`}
                      onPointerDown={(e) => onClipDown(e, i, 'move')}
                      onPointerMove={onClipMove}
                      onPointerUp={onClipUp}
                      onDoubleClick={() => edit([{ op: 'remove', path: `/timeline/clips/${i}` }], 'remove a clip')}
                      style={{ position: 'absolute', left: LABEL_W + c.start * pps, top: 2, width: Math.max(4, c.duration * pps), height: LANE_H - 6, background: '#2f6fb0', border: '1px solid #5fa0e0', borderRadius: 3, cursor: 'grab', overflow: 'hidden', whiteSpace: 'nowrap', fontSize: 11, color: '#fff', boxSizing: 'border-box', paddingLeft: 3, touchAction: 'none' }}
                    >
                      <span
                        title="loop: the animation's own / loop / once / ping-pong (click to change)"
                        data-testid={`timeline-loop-${i}`}
                        onPointerDown={(e) => e.stopPropagation()}
                        onClick={(e) => {
                          e.stopPropagation();
                          const v = nextLoop(c0.loop);
                          edit([v === undefined ? { op: 'remove', path: `/timeline/clips/${i}/loop` } : { op: c0.loop === undefined ? 'add' : 'replace', path: `/timeline/clips/${i}/loop`, value: v }], 'clip loop');
                        }}
                        style={{ marginRight: 4, cursor: 'pointer', opacity: c0.loop === undefined ? 0.5 : 1 }}
                      >
                        {loopLabel(c0.loop) || '·'}
                      </span>
                      {`${round(c.start)}–${round(c.start + c.duration)} s`}
                      <span
                        data-testid={`timeline-resize-${i}`}
                        onPointerDown={(e) => onClipDown(e, i, 'resize')}
                        onPointerMove={onClipMove}
                        onPointerUp={onClipUp}
                        style={{ position: 'absolute', right: 0, top: 0, width: 6, height: '100%', cursor: 'ew-resize', background: '#5fa0e0' }}
                      />
                    </div>
                  );
                })}
              </div>
            ))}
            <div ref={playRef} data-testid="timeline-playhead" style={{ position: 'absolute', left: 0, top: 0, width: 2, height: '100%', background: '#ff5a5a', pointerEvents: 'none', zIndex: 3 }} />
          </div>
        </div>
      )}
    </section>
  );
}
