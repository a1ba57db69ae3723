// Mappings: the show's live data (a desk's fader, a sensor) and the number
// of a group's animation each drives, with its live value from the server's
// stats (once a second: Player.mappings()). Listed under the cues, the
// panel of what arrives from the control port; edited in the show file.
import { useStore } from '../store.js';

const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)) : '—');

export function Mappings() {
  const doc = useStore((s) => s.doc);
  const stats = useStore((s) => s.stats);
  const maps = (doc && doc.mappings) || [];
  if (maps.length === 0) return null;
  const live = (stats && stats.mappings) || [];
  return (
    <section className="panel mappings" data-testid="mappings">
      <header>
        <h2>Mappings <span className="dim">{maps.length}</span></h2>
      </header>
      <table className="maptable">
        <thead>
          <tr><th>OSC address</th><th>drives</th><th>output</th><th>live</th></tr>
        </thead>
        <tbody>
          {maps.map((m, i) => {
            const l = live[i];
            const range = Array.isArray(m.output) ? `${m.output[0]} … ${m.output[1]}` : '';
            return (
              <tr key={i} data-testid={`mapping-${i}`} title={m.smoothing ? `${m.smoothingMode || 'one-pole'} smoothing ${m.smoothing} s` : 'no smoothing'}>
                <td className="osc">{m.address}{m.arg ? ` [${m.arg}]` : ''}</td>
                <td>{m.group}.{m.param}</td>
                <td className="dim">{range}</td>
                <td className={l && l.active ? '' : 'dim'} data-testid={`mapping-${i}-value`}>{l && l.active ? fmt(l.value) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
