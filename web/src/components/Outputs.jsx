// Outputs (the devices positions are sent to) with their live status, and the
// player's metrics: tick time and lateness, late ticks, conflicts, streaming.
import { useState } from 'react';
import { act, call, edit, errorText, ptr, toast } from '../client.js';
import { useStore } from '../store.js';
import { NumberField, TextField } from './Tracks.jsx';
import { uiFps } from './Views.jsx';

const us = (ns) => (ns === undefined ? '—' : ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(0)} µs`);

/** Ask the device for a track's position (server: testOutput); says how long it took, or that nobody answered. */
function TestButton({ i }) {
  const [res, setRes] = useState(null);
  const run = async () => {
    setRes({ busy: true, message: 'asking…' });
    try {
      setRes(await call('testOutput', { output: i }));
    } catch (e) {
      setRes({ ok: false, message: errorText(e) });
    }
  };
  return (
    <>
      <button onClick={run} disabled={res && res.busy} data-testid={`output-${i}-test`} title='send /get "/track/N/xyz" to the device and wait 2 s for its answer'>Test</button>
      {res && (
        <span className={`otest ${res.busy ? 'dim' : res.ok ? 'good' : 'bad'}`} data-testid={`output-${i}-test-result`}>
          {res.message}
        </span>
      )}
    </>
  );
}

function OutputRow({ o, i, st }) {
  // typed values: a refusal is shown at the field; menus and boxes: as a toast
  const set = (k, v) => edit([{ op: o[k] === undefined ? 'add' : 'replace', path: ptr('outputs', i, k), value: v }], `${k} of output ${o.name}`, { quiet: true });
  const pick = (k, v) => set(k, v).catch((e) => toast('error', errorText(e), 8000));
  const bad = st && (st.errorsPerSecond > 0 || st.refused > 0);
  return (
    <div className="output" data-testid={`output-${i}`}>
      <div className="orow">
        <input type="checkbox" checked={o.enabled !== false} onChange={(e) => pick('enabled', e.target.checked)} title="enabled" />
        <TextField value={o.name} className="text oname" onCommit={(v) => set('name', v)} />
        <button className="icon" title="remove output" onClick={() => edit([{ op: 'remove', path: ptr('outputs', i) }], `remove output ${o.name}`).catch(() => {})}>×</button>
      </div>
      <div className="orow">
        <TextField value={o.host} className="text host" onCommit={(v) => set('host', v)} testid={`output-${i}-host`} />
        <span>:</span>
        <NumberField value={o.port ?? 4003} step={1} min={1} max={65535} width="64px" onCommit={(v) => set('port', v)} testid={`output-${i}-port`} />
        <select value={o.dialect || 'holophonix'} onChange={(e) => pick('dialect', e.target.value)} title="dialect">
          <option value="holophonix">Holophonix</option>
          <option value="adm-osc">ADM-OSC</option>
        </select>
        <select value={o.coords || 'xyz'} onChange={(e) => pick('coords', e.target.value)} title="coordinates">
          <option value="xyz">xyz</option>
          <option value="aed">aed</option>
        </select>
        <NumberField value={o.rate ?? 50} min={1} max={1000} step={5} width="52px" onCommit={(v) => set('rate', v)} title="rate (Hz)" />
        <span className="unit">Hz</span>
      </div>
      <div className="orow">
        <TestButton i={i} />
      </div>
      <div className={`ostat${bad ? ' bad' : st && st.messagesPerSecond > 0 ? ' good' : ''}`}>
        {st ? (
          <>
            <span data-testid={`output-${i}-rate`}>{st.messagesPerSecond.toFixed(0)} msg/s</span>
            <span>{(st.bytesPerSecond / 1024).toFixed(1)} KiB/s</span>
            <span title="send errors (refused: nobody listens at that port)">{st.errors} errors{st.refused ? ` (${st.refused} refused)` : ''}</span>
            <span title="unchanged positions not resent">{st.deadbandSkips} skipped</span>
          </>
        ) : (
          <span className="dim">{o.enabled === false ? 'disabled' : 'no status yet'}</span>
        )}
      </div>
    </div>
  );
}

export function Outputs() {
  const doc = useStore((s) => s.doc);
  const stats = useStore((s) => s.stats);
  const clientsStats = useStore((s) => s.clientsStats);
  const me = useStore((s) => s.clientId);
  if (!doc) return null;
  const outputs = doc.outputs || [];
  const enabled = outputs.map((o, i) => [o, i]).filter(([o]) => o.enabled !== false);
  const statOf = (i) => {
    const k = enabled.findIndex(([, j]) => j === i);
    return stats && k >= 0 ? stats.outputs[k] : null;
  };
  const add = () => {
    const o = { name: `device ${outputs.length + 1}`, host: '127.0.0.1', port: 4003 };
    edit([doc.outputs ? { op: 'add', path: '/outputs/-', value: o } : { op: 'add', path: '/outputs', value: [o] }], 'add output').catch(() => {});
  };
  const s = stats && stats.status;
  const hist = (stats && stats.histograms) || {};
  const mine = clientsStats.find((c) => c.id === me);
  return (
    <section className="panel outputs" data-testid="outputs">
      <header>
        <h2>Outputs <span className="dim">{outputs.length}</span></h2>
        <button onClick={add}>+ Output</button>
      </header>
      {outputs.length === 0 && (
        <p className="warn" data-testid="no-output-help">
          No output: positions go nowhere.{' '}
          <button data-testid="use-devsim" onClick={async () => {
            const o = await act('devsim');
            if (o) edit([{ op: 'add', path: '/outputs', value: [o] }], 'output to the simulated device').catch(() => {});
          }}>Use the simulated device</button>{' '}
          or <button onClick={add}>+ Output</button> and type the device’s address.
        </p>
      )}
      {stats && stats.outputError && <p className="error" data-testid="output-error">Not sending: {stats.outputError}</p>}
      {outputs.map((o, i) => (
        <OutputRow key={i} o={o} i={i} st={statOf(i)} />
      ))}
      <h2 className="sub">Player</h2>
      <div className="metrics" data-testid="metrics">
        <span>ticks/s</span>
        <b>{stats ? stats.ticksPerSecond.toFixed(0) : '—'}</b>
        <span>late ticks</span>
        <b className={s && s.lateTicks > 0 ? 'warn' : ''}>{s ? `${s.lateTicks} (${stats.latePerSecond.toFixed(1)}/s)` : '—'}</b>
        <span>tick time p50 · p99 · max</span>
        <b>{hist.tick_duration ? `${us(hist.tick_duration.p50_ns)} · ${us(hist.tick_duration.p99_ns)} · ${us(hist.tick_duration.max_ns)}` : '—'}</b>
        <span>lateness p50 · p99 · max</span>
        <b>{hist.tick_lateness ? `${us(hist.tick_lateness.p50_ns)} · ${us(hist.tick_lateness.p99_ns)} · ${us(hist.tick_lateness.max_ns)}` : '—'}</b>
        <span>conflicts</span>
        <b className={s && s.conflicts > 0 ? 'warn' : ''} title="a device reported a position we did not send (another controller)">{s ? s.conflicts : '—'}</b>
        <span>clamped · NaN guarded</span>
        <b>{stats ? `${stats.counters.clamps} · ${stats.counters.nan_guards}` : '—'}</b>
        <span>commands · dropped</span>
        <b>{s ? `${s.commands} · ${s.commandsDropped}` : '—'}</b>
        <span>animated tracks</span>
        <b>{stats ? stats.animated : '—'}</b>
        <span>frames sent here · skipped</span>
        <b>{mine ? `${mine.framesSent} · ${mine.framesSkipped}` : '—'}</b>
        <span>control port</span>
        <b data-testid="control-port" title="OSC cues, transport commands and device echoes arrive here">
          {stats && stats.control
            ? `${stats.control.address}${stats.control.sync ? ` · following a DAW's clock (off by ${((stats.gauges.sync_error_seconds || 0) * 1000).toFixed(0)} ms, ${stats.counters.sync_seeks} seeks)` : ''}`
            : 'none'}
        </b>
        <span>view</span>
        <b>{uiFps().toFixed(0)} fps</b>
      </div>
    </section>
  );
}
