// Mute, solo and lock of one track (tracks[].mute/solo/lock): three toggles
// in its row of the track list. Each toggle is one undo step; the server
// hands the change to the player live (a muted track sends nothing, a
// soloed one sends alone, a locked one ignores cues, starts and drags).
import { edit, ptr } from '../client.js';

const FLAGS = [
  { key: 'mute', letter: 'M', on: 'muted: sends nothing to the outputs', off: 'mute: send nothing to the outputs' },
  { key: 'solo', letter: 'S', on: 'soloed: only soloed tracks send', off: 'solo: only soloed tracks send' },
  { key: 'lock', letter: 'L', on: 'locked: cues, starts and drags leave it where it is', off: 'lock: cues, starts and drags leave it where it is' },
];

/** The edit that turns `key` of track i on (a key set true) or off (the key removed). */
function toggleOps(t, i, key) {
  const path = ptr('tracks', i, key);
  if (t[key] === true) return [{ op: 'remove', path }];
  return [{ op: t[key] !== undefined ? 'replace' : 'add', path, value: true }];
}

export function TrackFlags({ track, index }) {
  return (
    <span className="trackflags">
      {FLAGS.map((f) => {
        const on = track[f.key] === true;
        return (
          <button
            key={f.key}
            className={`flag ${f.key}${on ? ' on' : ''}`}
            title={on ? f.on : f.off}
            aria-pressed={on}
            data-testid={`track-${track.id}-${f.key}`}
            onClick={() => edit(toggleOps(track, index, f.key), `${on ? 'un' : ''}${f.key} track ${track.id}`).catch(() => {})}
          >
            {f.letter}
          </button>
        );
      })}
    </span>
  );
}
