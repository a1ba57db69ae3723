// Record a performance: arm the recorder (it starts the transport if it
// stands still), drag one source — or several: with more than one selected,
// dragging one moves them all — and stop: the server has kept every position
// it received with the show clock's time, thins each track's take to the
// tolerance and adds it as a keyframes animation and group (one undo step),
// which then plays, loops and edits like any other.
import { useState } from 'react';
import { call, errorText, getState, toast } from '../client.js';
import { NumberField } from './Tracks.jsx';

/** Views.jsx reads this while dragging: recording or not, and who moves along. */
export const recordingDrag = {
  on: false,
  /** The other selected tracks that follow a drag of `id` while recording: [{track, start}]. */
  followers(id, positionOf) {
    const s = getState();
    if (!this.on || !s.selection.includes(id) || !s.doc) return [];
    return (s.doc.tracks || []).filter((t) => t.id !== id && s.selection.includes(t.id)).map((t) => ({ track: t.id, start: [...positionOf(t)] }));
  },
  /**
   * While recording, a grabbed track that an animation drives is let go of
   * (stopTrack), so the device follows the hand rather than the old path.
   */
  grab(ids) {
    if (!this.on) return;
    const driven = new Set((getState().paths || []).filter((p) => !p.preview).map((p) => p.track));
    for (const id of ids) if (driven.has(id)) call('stopTrack', { track: id }).catch(() => {});
  },
  /** Send the followers where the dragged one's move `delta` takes them. */
  follow(followers, delta) {
    for (const f of followers) call('live', { track: f.track, position: f.start.map((v, k) => v + delta[k]) }).catch(() => {});
  },
};

export function Record() {
  const [on, setOn] = useState(false);
  const [tolCm, setTolCm] = useState(1);
  const [last, setLast] = useState('');

  const toggle = async () => {
    try {
      if (!on) {
        if (!getState().transport.playing) await call('transport', { action: 'play' });
        await call('record', { action: 'start', tolerance: tolCm / 100 });
        recordingDrag.on = true;
        setOn(true);
        setLast('drag sources in a view');
      } else {
        recordingDrag.on = false;
        setOn(false);
        const r = await call('record', { action: 'stop' });
        const text = r.takes.length ? r.takes.map((t) => `${t.name}: ${t.samples} samples → ${t.keys} keys`).join(' · ') : 'nothing recorded (drag a source while it plays)';
        setLast(text);
        toast(r.takes.length ? 'ok' : 'warn', text, 4000);
      }
    } catch (e) {
      recordingDrag.on = false;
      setOn(false);
      toast('error', errorText(e), 8000);
    }
  };

  return (
    <div className="recordbar" data-testid="recordbar">
      <button className={`small record${on ? ' on' : ''}`} onClick={toggle} data-testid="record" title="Record a performance: drag sources while the show plays; each take becomes a keyframes animation">
        {on ? '■ stop recording' : '● record'}
      </button>
      <label className="dim small" title="thinning: every recorded position stays within this distance of the kept keyframes path, at its time">
        tolerance <NumberField value={tolCm} step={0.5} min={0} max={100} width="42px" testid="record-tolerance" onCommit={(v) => {
          if (!(v >= 0 && v <= 100)) throw new Error(`tolerance ${v} cm: between 0 and 100`);
          setTolCm(v);
        }} /> cm
      </label>
      <span className="dim small" data-testid="record-status">{last}</span>
    </div>
  );
}
