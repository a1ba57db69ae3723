// Copy a group's animation (model, parameters, timing) and paste it onto
// another group, replacing that group's animation or as a new one, or onto
// the selected tracks as a new group: each paste one JSON-Patch edit (one
// undo step). Plain JavaScript: components/AnimClipboard.jsx uses it;
// test/arrange-unit.test.js checks the edits against the core.

import { ptr } from './ops.mjs';

/**
 * The clipboard's content: {from: the animation's name, group, animation:
 * everything but its name, spec: the group's mode and phases (used only when
 * pasted as a new group)}.
 */
export function copyAnimation(doc, groupName) {
  const g = (doc.groups || []).find((x) => x.name === groupName);
  if (!g) throw new Error(`no group "${groupName}" in the show`);
  const a = (doc.animations || []).find((x) => x.name === g.animation);
  if (!a) throw new Error(`group "${groupName}" plays "${g.animation}", which is not in the show`);
  const { name, ...rest } = a;
  const spec = {};
  for (const k of ['mode', 'phaseOffset', 'phaseSpread', 'delay']) if (g[k] !== undefined) spec[k] = g[k];
  return { from: name, group: groupName, animation: JSON.parse(JSON.stringify(rest)), spec };
}

/** A name no animation or group has: base, base 2, base 3… */
function freeName(doc, base) {
  const used = new Set([...(doc.animations || []).map((a) => a.name), ...(doc.groups || []).map((g) => g.name)]);
  const b = base.slice(0, 56);
  let n = b;
  for (let k = 2; used.has(n); k++) n = `${b} ${k}`;
  return n;
}

/** Who else plays animation `name` than group index `gi`: group and cue names. */
export function otherUsers(doc, name, gi) {
  const groups = (doc.groups || []).filter((g, j) => j !== gi && g.animation === name).map((g) => `group ${g.name}`);
  const cues = (doc.cues || []).filter((c) => (c.actions || []).some((x) => x.animation === name)).map((c) => `cue ${c.number ?? c.name ?? ''}`.trim());
  return [...groups, ...cues];
}

/**
 * Paste `clip` onto group `groupName`:
 *   replace  the group's animation takes the clip's model, parameters and
 *            timing under its own name (whoever else plays it changes too:
 *            otherUsers() says who);
 *   new      a new animation ("<copied name> copy", made unique) for the
 *            group alone; the group's old one goes if nothing else plays it
 *            (an unused animation would be warned about at every save).
 */
export function pasteOps(doc, clip, groupName, how) {
  const groups = doc.groups || [];
  const gi = groups.findIndex((x) => x.name === groupName);
  if (gi < 0) throw new Error(`no group "${groupName}" in the show`);
  const anims = doc.animations || [];
  const old = groups[gi].animation;
  const ai = anims.findIndex((a) => a.name === old);
  if (how === 'replace') {
    if (ai < 0) throw new Error(`group "${groupName}" plays "${old}", which is not in the show`);
    return [{ op: 'replace', path: ptr('animations', ai), value: { name: old, ...clip.animation } }];
  }
  if (how !== 'new') throw new Error(`paste "${how}": replace or new`);
  const name = freeName(doc, `${clip.from} copy`);
  const ops = [
    { op: 'add', path: '/animations/-', value: { name, ...clip.animation } },
    { op: 'replace', path: ptr('groups', gi, 'animation'), value: name },
  ];
  if (ai >= 0 && otherUsers(doc, old, gi).length === 0) ops.push({ op: 'remove', path: ptr('animations', ai) });
  return ops;
}

/**
 * Paste `clip` onto tracks `tracks` as a new animation and group (of the
 * same new name, started on play, with the copied group's mode and phases);
 * returns {ops, name}.
 */
export function pasteAsGroupOps(doc, clip, tracks) {
  if (!tracks.length) throw new Error('select the tracks to paste the animation on first');
  const name = freeName(doc, `${clip.from} copy`);
  const anim = { name, ...clip.animation };
  const g = { name, animation: name, tracks: [...tracks], ...(clip.spec || {}), autoStart: true };
  return {
    name,
    ops: [
      doc.animations ? { op: 'add', path: '/animations/-', value: anim } : { op: 'add', path: '/animations', value: [anim] },
      doc.groups ? { op: 'add', path: '/groups/-', value: g } : { op: 'add', path: '/groups', value: [g] },
    ],
  };
}
