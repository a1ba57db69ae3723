'use strict';
// Per-track mute, solo and lock (tracks[].mute/solo/lock in the show). The
// player honours them (the core: a muted track sends nothing, a soloed one
// sends alone, a locked one ignores cues, starts and moves); here the server
// keeps a live player in step with the document, and refuses to move a
// locked track: a drag ('live' request) or an edit of its base position.

const FLAGS = ['mute', 'solo', 'lock'];

const flagsOf = (t) => ({ mute: t.mute === true, solo: t.solo === true, lock: t.lock === true });

/** Tell the player about every track whose flags differ between `old` and `doc`. */
function syncTrackFlags(player, old, doc) {
  const before = new Map(((old && old.tracks) || []).map((t) => [t.id, flagsOf(t)]));
  for (const t of doc.tracks || []) {
    const f = flagsOf(t);
    const b = before.get(t.id) || { mute: false, solo: false, lock: false };
    if (FLAGS.some((k) => f[k] !== b[k])) player.setTrackFlags(t.id, f);
  }
}

function lockedError(id) {
  return Object.assign(new Error(`track ${id} is locked: unlock it (L) to move it`), { code: 'EINVAL', parameter: 'lock' });
}

/** A drag of track `id`: refused while it is locked. */
function checkLive(doc, id) {
  const t = (doc.tracks || []).find((x) => x.id === id);
  if (t && t.lock === true) throw lockedError(id);
}

/**
 * An edit that moves a locked track's base (its position, or the whole
 * track replaced at another position and still locked): refused.
 */
function checkEdit(doc, ops) {
  const tracks = doc.tracks || [];
  for (const op of ops || []) {
    if (!op || typeof op.path !== 'string' || op.op === 'test') continue;
    const m = /^\/tracks\/(\d+)(\/position(\/.*)?)?$/.exec(op.path);
    const t = m ? tracks[Number(m[1])] : null;
    if (!t || t.lock !== true) continue;
    if (m[2] !== undefined) throw lockedError(t.id);
    const v = op.value;
    if (op.op === 'replace' && v && v.lock === true && JSON.stringify(v.position || [0, 0, 0]) !== JSON.stringify(t.position || [0, 0, 0])) {
      throw lockedError(t.id);
    }
  }
}

module.exports = { syncTrackFlags, checkLive, checkEdit };
