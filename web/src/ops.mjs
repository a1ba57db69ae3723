// Edits of the show that touch several places at once, as JSON-Patch
// operations (one undo step). Plain JavaScript: the UI uses them, and
// test/newuser.test.js checks them against the core without a browser.

/** JSON Pointer escaping (RFC 6901). */
export function ptr(...parts) {
  return parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Remove tracks `ids` and everything left pointing at them or left empty,
 * so the show stays clean (no warning at the next save):
 *   - each group loses them; a group left without tracks goes, with the cue
 *     actions naming it;
 *   - each preset loses them; a preset left without positions goes, with
 *     the cue actions recalling it;
 *   - cue actions about them (goto, stop of those tracks) go, start and stop
 *     actions keep their other tracks; a cue left without actions goes;
 *   - an animation that no group or cue action plays any more (it was played
 *     by what went) goes;
 *   - the outputs' track maps forget them;
 *   - the timeline loses the clips of groups that go and the markers of cues
 *     that go.
 * Replacements come first, then removals from the end, so indices stay valid.
 */
export function removeTracksOps(doc, ids) {
  const gone = new Set(ids);
  const groups = doc.groups || [];
  const presets = doc.presets || [];
  const cues = doc.cues || [];
  const anims = doc.animations || [];
  const replace = [];
  const remove = []; // [path, order key] removed in reverse document order per array

  const goneGroups = new Set();
  groups.forEach((g, gi) => {
    const keep = g.tracks.filter((t) => !gone.has(t));
    if (keep.length === 0) goneGroups.add(g.name);
    else if (keep.length !== g.tracks.length) replace.push({ op: 'replace', path: ptr('groups', gi, 'tracks'), value: keep });
  });
  const gonePresets = new Set();
  presets.forEach((p, pi) => {
    const keys = Object.keys(p.positions || {});
    const left = keys.filter((k) => !gone.has(Number(k)));
    if (left.length === 0) gonePresets.add(p.name);
    else for (const k of keys) if (gone.has(Number(k))) replace.push({ op: 'remove', path: ptr('presets', pi, 'positions', k) });
  });
  const used = new Set(groups.filter((g) => !goneGroups.has(g.name)).map((g) => g.animation));
  const goneCues = [];
  cues.forEach((c, ci) => {
    const actions = [];
    for (const a of c.actions || []) {
      if (a.group !== undefined && goneGroups.has(a.group)) continue;
      if (a.type === 'preset' && gonePresets.has(a.preset)) continue;
      if (a.track !== undefined && gone.has(a.track)) continue;
      if (Array.isArray(a.tracks)) {
        const tracks = a.tracks.filter((t) => !gone.has(t));
        if (tracks.length === 0) continue;
        actions.push(tracks.length === a.tracks.length ? a : { ...a, tracks });
      } else actions.push(a);
    }
    if (actions.length === 0 && (c.actions || []).length > 0) goneCues.push(ci);
    else {
      if (!same(actions, c.actions)) replace.push({ op: 'replace', path: ptr('cues', ci, 'actions'), value: actions });
      for (const a of actions) if (a.animation !== undefined) used.add(a.animation);
    }
  });
  (doc.outputs || []).forEach((o, oi) => {
    for (const id of ids) if (o.trackMap && String(id) in o.trackMap) replace.push({ op: 'remove', path: ptr('outputs', oi, 'trackMap', String(id)) });
  });
  // animations played by what went, and by nothing that stays
  const before = new Set([...groups.map((g) => g.animation), ...cues.flatMap((c) => (c.actions || []).map((a) => a.animation))]);
  const goneAnims = anims.map((a, ai) => [a, ai]).filter(([a]) => before.has(a.name) && !used.has(a.name)).map(([, ai]) => ai);

  const down = (xs) => [...xs].sort((a, b) => b - a);
  // the timeline's clips of groups that go, and markers of cues that go
  const tl = doc.timeline;
  if (tl) {
    const goneNumbers = new Set(goneCues.map((ci) => cues[ci].number));
    for (const i of down((tl.clips || []).map((c, i) => (goneGroups.has(c.group) ? i : -1)).filter((i) => i >= 0))) remove.push({ op: 'remove', path: ptr('timeline', 'clips', i) });
    for (const i of down((tl.markers || []).map((m, i) => (goneNumbers.has(m.cue) ? i : -1)).filter((i) => i >= 0))) remove.push({ op: 'remove', path: ptr('timeline', 'markers', i) });
  }
  for (const ci of down(goneCues)) remove.push({ op: 'remove', path: ptr('cues', ci) });
  for (const gi of down(groups.map((g, i) => (goneGroups.has(g.name) ? i : -1)).filter((i) => i >= 0))) remove.push({ op: 'remove', path: ptr('groups', gi) });
  for (const pi of down(presets.map((p, i) => (gonePresets.has(p.name) ? i : -1)).filter((i) => i >= 0))) remove.push({ op: 'remove', path: ptr('presets', pi) });
  for (const ai of down(goneAnims)) remove.push({ op: 'remove', path: ptr('animations', ai) });
  const tracks = doc.tracks || [];
  for (const ti of down(tracks.map((t, i) => (gone.has(t.id) ? i : -1)).filter((i) => i >= 0))) remove.push({ op: 'remove', path: ptr('tracks', ti) });
  return [...replace, ...remove];
}
