'use strict';
// Path editing in the views and recording a performance, in Chromium, from
// an EMPTY projects folder: a new show, a track, a keyframes animation whose
// points are dragged, added and removed with the mouse (the saved show and
// the drawn path follow; undo restores; a refused change shows the engine's
// message); then a drag recorded while the show plays becomes a thinned
// keyframes animation that plays the gesture back. Screenshots:
// web/test-results/path-*.png.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { h, RESULTS, sleep, waitFor, browserSkip, startEmpty } = require('./helpers');
const steps = require('./steps-path');
const { newShow, selectTracks, transportShown } = require('./steps');

const skip = browserSkip();

const dist = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** The keyframes animation `anim` (from the show) evaluated by the addon at `times` (s). */
function evalKeys(anim, times) {
  const m = h.createMotion(anim.model, anim.parameters, { duration: anim.duration, loop: anim.loop, speed: anim.speed ?? 1 });
  const out = h.evaluate(m, times);
  return times.map((_, i) => [out[3 * i], out[3 * i + 1], out[3 * i + 2]]);
}

test('path editing: drag, add and remove a keyframe in the view; the show, the drawn path and undo follow', { skip, timeout: 240000 }, async (t) => {
  const { srv, page, errors } = await startEmpty(t, { name: 'path' });
  const shot = (name) => page.screenshot({ path: path.join(RESULTS, `path-${name}.png`) });

  await newShow(page, 'paths');
  const id = await steps.addTrack(page, srv, [0, 0, 1.5]);
  const group = await steps.createAnimation(page, srv, { tracks: [id], model: 'keyframes', duration: 10 });
  const ai = () => srv.session.doc.animations.findIndex((a) => a.name === group);
  // the engine's default keys until the first edit writes them
  const DEFAULT = [{ time: 0, position: [-5, 0, 0] }, { time: 5, position: [0, 5, 0] }, { time: 10, position: [5, 0, 0] }];
  const keys = () => (srv.session.doc.animations[ai()].parameters || {}).keyframes || DEFAULT;
  // the engine's default keys, drawn as three handles on the path
  const before = await steps.handles(page);
  assert.deepEqual(before, [[-5, 0, 0], [0, 5, 0], [5, 0, 0]]);
  await shot('01-handles');

  // drag the middle key to (2, 3): the path is previewed while the button is down
  const ppm = await steps.pixelsPerMetre(page);
  const slack = 1.5 / ppm; // a drag lands on a pixel
  let during = null;
  await steps.dragHandle(page, srv, 1, [2, 3], {
    during: async () => {
      await page.waitForFunction(() => {
        const p = window.__holo.getState().preview;
        const n = p.points[0].length / 3;
        const k = Math.floor(n / 2); // time 5 of 10: the middle sample
        return Math.abs(p.points[0][3 * k] - 2) < 0.2;
      });
      during = await page.evaluate(() => window.__holo.getState().preview.points[0]);
      await shot('02-dragging');
    },
  });
  const moved = keys()[1];
  assert.equal(moved.time, 5, 'a moved key keeps its time');
  assert.ok(dist(moved.position, [2, 3, 0]) <= slack, `key 2 at ${moved.position} (one pixel is ${1 / ppm} m)`);
  assert.ok(during, 'the path was redrawn while dragging');
  // one edit: one undo step
  assert.equal(srv.session.state().canUndo, true);
  // the saved show has it (autosave)
  await waitFor(() => JSON.stringify(((steps.savedShow(srv).animations[0].parameters.keyframes || [])[1] || {}).position) === JSON.stringify(moved.position), 'the saved show');
  // the drawn path follows: its middle sample is the key, and the handle is there
  const pathThrough = (pos) =>
    page.waitForFunction((q) => {
      const p = window.__holo.getState().preview.points[0];
      const k = Math.floor(p.length / 3 / 2);
      return Math.hypot(p[3 * k] - q[0], p[3 * k + 1] - q[1], p[3 * k + 2] - q[2]) < 1e-3;
    }, pos);
  await pathThrough(moved.position);
  assert.deepEqual((await steps.handles(page))[1], moved.position);
  await shot('03-dragged');

  // Ctrl+Z restores the key, Ctrl+Y puts it back
  await page.click('[data-testid=view-side]', { position: { x: 5, y: 5 } }); // focus off the fields
  await page.keyboard.press('Control+z');
  await waitFor(() => dist(keys()[1].position, [0, 5, 0]) < 1e-9, 'undo restores the key');
  await page.waitForFunction(() => window.__holoPath.handles()[1][1] === 5);
  await page.keyboard.press('Control+y');
  await waitFor(() => dist(keys()[1].position, moved.position) < 1e-9, 'redo');
  // the page has the redone show before the next edit: an edit made on the
  // undone one would be refused as a conflict with the redo (the preview
  // can still show the path from before the undo, so it is no sign of that)
  await page.waitForFunction((v) => window.__holo.getState().docState.version >= v, srv.session.state().version);
  await page.waitForFunction((q) => JSON.stringify(window.__holoPath.handles()[1]) === JSON.stringify(q), moved.position);
  await pathThrough(moved.position); // the path drawn is the show's again

  // double-click the path between keys 2 and 3: a key at the time there
  const mid = evalKeys(srv.session.doc.animations[ai()], [7.5])[0];
  await steps.insertOnPath(page, mid);
  await waitFor(() => keys().length === 4, 'a key added');
  const added = keys()[2];
  assert.ok(added.time > 5 && added.time < 10, `the new key's time ${added.time} is between its neighbours'`);
  assert.ok(Math.abs(added.time - 7.5) < 0.5, `at the time under the pointer: ${added.time}`);
  assert.ok(dist(added.position, mid) <= 2 * slack + 0.01, `at the pointer: ${added.position} vs ${mid}`);
  await page.waitForFunction(() => window.__holoPath.handles().length === 4);
  await shot('04-added');

  // right-click removes it; Delete removes the selected one
  // (each time, the page's handles are awaited first: a click on a handle
  // drawn before the last removal reached the page would hit nothing)
  await steps.removeHandle(page, 2);
  await waitFor(() => keys().length === 3, 'the key removed');
  await page.waitForFunction(() => window.__holoPath.handles().length === 3);
  await steps.removeHandle(page, 2);
  await waitFor(() => keys().length === 2, 'key 3 removed');
  await page.waitForFunction(() => window.__holoPath.handles().length === 2);
  await steps.removeHandle(page, 1);
  await waitFor(() => keys().length === 1, 'key 2 removed');
  await page.waitForFunction(() => window.__holoPath.handles().length === 1);
  // the last key cannot go: the engine's message is shown, the show keeps it
  // what the engine says to the same edit (the session validates with the core)
  let engine = '';
  try {
    srv.session.edit([{ op: 'replace', path: `/animations/${ai()}/parameters/keyframes`, value: [] }], undefined, null, 'probe');
  } catch (e) {
    engine = (e.diagnostics || []).filter((d) => d.severity === 'error').map((d) => d.text).join('\n') || e.message;
  }
  assert.match(engine, /keyframes: needs between 1 and \d+ keyframes, got 0/);
  const v = srv.session.state().version;
  const hs = await steps.handles(page);
  const p = await steps.toScreen(page, 0, hs[0]);
  await page.mouse.click(p[0], p[1]); // select it
  await page.keyboard.press('Delete');
  await page.waitForSelector('.toast.error, .toasts .error');
  const toastText = await page.textContent('.toast.error, .toasts .error');
  assert.ok(toastText.includes(engine), `the engine's message "${engine}" shown: "${toastText}"`);
  t.diagnostic(`refused: ${toastText}`);
  assert.equal(srv.session.state().version, v, 'nothing changed');
  assert.equal(keys().length, 1);
  await shot('05-refused');

  // a new animation's points are handles too: a moved one is the form's value, applied with it
  await page.selectOption('[data-testid=editor-target]', 'new');
  await selectTracks(page, [id]);
  await page.selectOption('[data-testid=editor-model]', 'catmull-rom');
  await page.waitForFunction(() => window.__holoPath.handles().length === 4);
  assert.deepEqual(await steps.handles(page), [[-5, 0, 0], [-2, 3, 0], [2, -3, 0], [5, 0, 0]]);
  const version = srv.session.state().version;
  // what changes the show from here on, named in the message should one (a
  // failure seen once, not reproduced: which edit it was is not known)
  const changes = [];
  const onChange = (c) => changes.push(`${c.label} (by ${c.by})`);
  srv.session.on('change', onChange);
  t.after(() => srv.session.off('change', onChange));
  const from = await steps.toScreen(page, 0, [2, -3, 0]);
  const to = await steps.toScreen(page, 0, [3, -5, 0]);
  await page.mouse.move(from[0], from[1]);
  await page.mouse.down();
  for (let k = 1; k <= 8; k++) await page.mouse.move(from[0] + ((to[0] - from[0]) * k) / 8, from[1] + ((to[1] - from[1]) * k) / 8);
  await page.mouse.up();
  await page.waitForFunction(() => window.__holoPath.handles()[2][1] < -4.5);
  assert.equal(srv.session.state().version, version, `not in the show before Apply; changed by: ${changes.join('; ')}`);
  srv.session.off('change', onChange);
  await shot('05b-new-animation');
  const n = srv.session.doc.groups.length;
  await page.click('[data-testid=apply]');
  await waitFor(() => srv.session.doc.groups.length === n + 1, 'applied');
  const cr = srv.session.doc.animations.find((a) => a.name === srv.session.doc.groups[n].animation);
  assert.ok(dist(cr.parameters.controlPoints[2], [3, -5, 0]) <= slack, `the moved point applied: ${JSON.stringify(cr.parameters.controlPoints)}`);
  assert.deepEqual(errors, []);
});

test('record a performance: a drag while playing becomes a thinned keyframes animation that plays it back', { skip, timeout: 240000 }, async (t) => {
  const { srv, page, errors } = await startEmpty(t, { name: 'rec' });
  const shot = (name) => page.screenshot({ path: path.join(RESULTS, `path-${name}.png`) });

  await newShow(page, 'takes');
  const id = await steps.addTrack(page, srv, [-3, 0, 1.5]);
  // a half circle of radius 3, then a straight stretch: 150 mouse moves
  const gesture = [];
  for (let k = 1; k <= 100; k++) {
    const a = Math.PI - (Math.PI * k) / 100;
    gesture.push([3 * Math.cos(a), 3 * Math.sin(a)]);
  }
  for (let k = 1; k <= 50; k++) gesture.push([3, 3 * (-k / 50)]);
  const summary = await steps.recordDrag(page, srv, id, gesture, { tolerance: 0.01 });
  await shot('06-recorded');
  assert.match(summary, /samples → \d+ keys/);
  const take = srv.recorder.last[0];
  assert.equal(take.track, id);
  const anim = srv.session.doc.animations.find((a) => a.name === take.name);
  const group = srv.session.doc.groups.find((g) => g.animation === take.name);
  assert.equal(anim.model, 'keyframes');
  assert.deepEqual(group.tracks, [id]);
  const keys = anim.parameters.keyframes;
  const samples = take.recorded;
  assert.ok(samples.length >= 40, `${samples.length} samples reached the server`);
  // (a mouse drag's positions land on pixels and its times on the server's
  // clock, both jittery at this tolerance: the test asks for fewer keys, not a ratio)
  assert.ok(keys.length < 0.8 * samples.length, `thinned: ${keys.length} keys for ${samples.length} samples`);
  t.diagnostic(`${samples.length} samples → ${keys.length} keys at 1 cm`);
  assert.ok(keys.length >= 4, `a curve keeps several keys: ${keys.length}`);
  // timed by the show clock: the take lasts as long as the drag did on it
  assert.ok(anim.duration > 0.3, `duration ${anim.duration}`);
  // every sample within the tolerance of the keyframes path the addon evaluates, at its time
  const at = evalKeys(anim, samples.map((s) => s.t));
  const worst = Math.max(...samples.map((s, i) => dist(s.p, at[i])));
  assert.ok(worst <= 0.01 + 1e-4, `worst sample ${worst} m from the keyframes path`);
  // the recorded track's base did not move: the gesture is the animation's
  assert.deepEqual(srv.session.doc.tracks[0].position, [-3, 0, 1.5]);

  // the take in the editor: its keys are handles on its path
  await steps.editGroup(page, group.name);
  assert.equal((await steps.handles(page)).length, keys.length);
  await shot('07-take-handles');

  // play it back: stop (hold), play from 0; the player follows the recorded path
  await page.selectOption('[data-testid=stop-mode]', 'hold');
  await page.click('[data-testid=stop]');
  await waitFor(() => !srv.runtime.transport().playing, 'stopped');
  const frames = [];
  const onFrame = (f) => frames.push({ time: f.time, pos: [f.positions[0], f.positions[1], f.positions[2]], id: f.ids[0] });
  srv.runtime.on('frame', onFrame);
  t.after(() => srv.runtime.off('frame', onFrame));
  await transportShown(page, false); // the button plays only once the page shows it stopped (else it pauses)
  await page.click('[data-testid=play]');
  await waitFor(() => srv.runtime.transport().time > anim.duration + 0.2, 'the take played');
  await shot('08-playback');
  srv.runtime.off('frame', onFrame);
  // past the fade-in (1 s at most) the player is on the keyframes path
  const checked = frames.filter((f) => f.id === id && f.time > 1.05 && f.time < anim.duration);
  assert.ok(checked.length >= 5, `${checked.length} frames checked`);
  const want = evalKeys(anim, checked.map((f) => f.time));
  const off = Math.max(...checked.map((f, i) => dist(f.pos, want[i])));
  assert.ok(off < 0.002, `the player is ${off} m from the recorded path`);
  // and on the recorded gesture itself (within the tolerance, at the same show time)
  const near = checked.map((f) => {
    const s = samples.reduce((b, x) => (Math.abs(x.t - f.time) < Math.abs(b.t - f.time) ? x : b));
    return Math.abs(s.t - f.time) < 0.02 ? dist(s.p, f.pos) : 0;
  });
  assert.ok(Math.max(...near) < 0.1, `the player follows the gesture: ${Math.max(...near)} m`);

  // two sources at once: with both selected, dragging one moves the other along
  const a = await steps.addTrack(page, srv, [0, -4, 1.5]);
  const b = await steps.addTrack(page, srv, [2, -4, 1.5]);
  const line = [];
  for (let k = 1; k <= 60; k++) line.push([(3 * k) / 60, -4 + (2 * k) / 60]);
  await steps.recordDrag(page, srv, a, line, { select: [a, b] });
  await shot('09-two-sources');
  const two = srv.recorder.last;
  assert.deepEqual(two.map((x) => x.track).sort(), [a, b]);
  const [ta, tb] = [a, b].map((id) => two.find((x) => x.track === id));
  // b kept its 2 m to the right of a all along (the drag's positions are rounded to the centimetre)
  const endA = ta.recorded[ta.recorded.length - 1].p;
  const endB = tb.recorded[tb.recorded.length - 1].p;
  assert.ok(dist([endB[0] - 2, endB[1], endB[2]], endA) < 0.02, `a ends at ${endA}, b at ${endB}`);
  assert.ok(dist(endA, [3, -2, 1.5]) < 0.1, `a ends where the pointer did: ${endA}`);
  assert.deepEqual(errors, []);
});
