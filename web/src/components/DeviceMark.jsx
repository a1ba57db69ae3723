// What the device said about a track lately (device echoes, server/devicelink.js):
// "conflict" — another controller moved it while it was animated (our
// positions win on the next send); "moved" — it was at rest and follows the
// device (its base in the show is the device's position now). Shown beside
// the track for a while after the last echo (client.js clears it).
import { useStore } from '../store.js';

const fmt = (p) => (p || []).map((v) => v.toFixed(2)).join(', ');

export function DeviceMark({ id }) {
  const m = useStore((s) => s.deviceMarks[id]);
  if (!m) return null;
  if (m.kind === 'conflict') {
    return (
      <span className="devmark conflict" data-testid={`track-${id}-device`} title={`the device reports (${fmt(m.position)}), we sent (${fmt(m.expected)}): another controller is moving this animated source`}>
        ⚠ conflict: moved on the device to ({fmt(m.position)})
      </span>
    );
  }
  return (
    <span className="devmark moved" data-testid={`track-${id}-device`} title="the source was at rest: its base follows the device">
      ↺ follows the device ({fmt(m.position)})
    </span>
  );
}
