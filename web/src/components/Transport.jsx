// Transport: stop, play/pause, time, seek, speed, loop. The time display
// follows the live frames (60 per second) without re-rendering React.
import { useEffect, useRef, useState } from 'react';
import { act, call, live } from '../client.js';
import { NumberField } from './Tracks.jsx';
import { useStore } from '../store.js';

export function fmtTime(t) {
  const s = Math.max(0, t);
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${(s - 60 * m).toFixed(2).padStart(5, '0')}`;
}

export const transportActions = {
  toggle: (playing) => act('transport', { action: playing ? 'pause' : 'play' }),
  // the show's default (the menu beside ■): return to base over a fade, or hold
  stop: () => act('transport', { action: 'stop' }),
  home: () => act('transport', { action: 'seek', time: 0 }),
};

/** What Stop does in this show: return to base over N s, or hold (kept beside the show). */
function StopMode() {
  const settings = useStore((s) => s.settings);
  const stop = (settings && settings.stop) || { mode: 'return', fade: 2 };
  const value = stop.mode === 'hold' ? 'hold' : String(stop.fade);
  const choose = (v) => act('settings', { stop: v === 'hold' ? { mode: 'hold', fade: stop.fade } : { mode: 'return', fade: Number(v) } });
  return (
    <select className="stopmode" value={value} onChange={(e) => choose(e.target.value)} data-testid="stop-mode" title="what Stop (■, Esc) does in this show: every source glides back to its base, or stays where it is (the next Play glides it onto the show)">
      <option value="0">■ returns home at once</option>
      {[1, 2, 5].map((f) => <option key={f} value={String(f)}>{`■ returns home over ${f} s`}</option>)}
      {stop.mode === 'return' && ![0, 1, 2, 5].includes(stop.fade) && <option value={String(stop.fade)}>{`■ returns home over ${stop.fade} s`}</option>}
      <option value="hold">■ holds where they are</option>
    </select>
  );
}

export function Transport() {
  const tr = useStore((s) => s.transport);
  const timeRef = useRef(null);
  const seekRef = useRef(null);
  const [scrub, setScrub] = useState(null);

  // The time is drawn on a small canvas: text in the DOM changing 60 times a
  // second costs a layout and a repaint each time; a canvas repaints itself.
  useEffect(() => {
    let raf = 0;
    let n = 0;
    let shown = '';
    const tick = () => {
      const t = live.received ? live.time : tr.time;
      const text = fmtTime(t);
      const c = timeRef.current;
      if (c && text !== shown) {
        shown = text;
        const dpr = window.devicePixelRatio || 1;
        if (c.width !== Math.round(100 * dpr)) {
          c.width = Math.round(100 * dpr);
          c.height = Math.round(26 * dpr);
        }
        const g = c.getContext('2d');
        g.setTransform(dpr, 0, 0, dpr, 0, 0);
        g.fillStyle = '#12161c';
        g.fillRect(0, 0, 100, 26);
        g.fillStyle = '#ffffff';
        g.font = '600 20px system-ui, sans-serif';
        g.textAlign = 'right';
        g.textBaseline = 'middle';
        g.fillText(text, 98, 14);
        c.dataset.time = text;
      }
      // the slider at 5 Hz is smooth enough and repaints less
      if (seekRef.current && scrub === null && n++ % 12 === 0) seekRef.current.value = String(Math.min(t, tr.length));
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [tr, scrub]);

  // the player checks the speed: a refused one is explained at the field
  const setSpeed = (v) => call('transport', { action: 'speed', speed: v });

  return (
    <div className="transport" data-testid="transport">
      <button className="tbtn" onClick={transportActions.stop} title="Stop: back to 0, animations off; the sources return home or hold, as chosen beside (Esc)" data-testid="stop">■</button>
      <StopMode />
      <button className={`tbtn play${tr.playing ? ' on' : ''}`} onClick={() => transportActions.toggle(tr.playing)} title="Play / pause (Space)" data-testid="play">
        {tr.playing ? '❚❚' : '▶'}
      </button>
      <canvas className="time" ref={timeRef} data-testid="time" title="transport time" />
      <input
        ref={seekRef}
        className="seek"
        type="range"
        min={0}
        max={tr.length}
        step={0.01}
        defaultValue={0}
        title="seek (Home: back to 0)"
        data-testid="seek"
        onPointerDown={() => setScrub(true)}
        onInput={(e) => act('transport', { action: 'seek', time: Number(e.target.value) })}
        onPointerUp={() => setScrub(null)}
      />
      <span className="dim small">{fmtTime(tr.length)}</span>
      <label className="speed" title="playback speed (phase-continuous)">
        speed
        <NumberField value={tr.speed} step={0.1} width="46px" title="speed" testid="speed" onCommit={setSpeed} />
        ×
      </label>
      {[0.5, 1, 2].map((s) => (
        <button key={s} className={`small${tr.speed === s ? ' on' : ''}`} onClick={() => act('transport', { action: 'speed', speed: s })}>
          {s}×
        </button>
      ))}
      <button className={`small${tr.loop ? ' on' : ''}`} onClick={() => act('transport', { action: 'loop', loop: !tr.loop })} title="loop the show: start again when every animation has ended" data-testid="loop">
        ⟲ loop {tr.loop ? 'on' : 'off'}
      </button>
      <button className="small danger" onClick={() => act('transport', { action: 'panic' })} title="Panic: every animation stops where it is, transport paused">
        panic
      </button>
    </div>
  );
}
