'use strict';
// The arrange tools in Chromium, from an EMPTY projects folder: a new show,
// 8 tracks added with "+ Add", arranged on a circle (radius 3, 1.5 m high)
// and checked in the saved show; a bad radius explained at its field; one
// undo puts every track back; a line, distributing evenly, a grid; a base
// typed in aed; several tracks edited at
// once (mixed fields); an animation copied from one group and pasted onto
// another (replace, as new). Screenshots: web/test-results/arrange-*.png.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { RESULTS, waitFor, browserSkip, startEmpty } = require('./helpers');
const steps = require('./steps');

const skip = browserSkip();

const near = (a, b, tol = 1.5e-3) => a.length === b.length && a.every((v, k) => Math.abs(v - b[k]) <= tol);
const R = 3 * Math.SQRT1_2;
// clockwise from the front (azimuth 0 = +y), 45° apart
const CIRCLE = [[0, 3], [R, R], [3, 0], [R, -R], [0, -3], [-R, -R], [-3, 0], [-R, R]].map(([x, y]) => [x, y, 1.5]);

test('arrange: empty folder → new show → 8 tracks on a circle (saved), bad radius at its field, undo, aed, multi-edit, copy/paste', { skip, timeout: 240000 }, async (t) => {
  const { sim, projectsDir, srv, page, errors } = await startEmpty(t, { name: 'arrange', tracks: 8, consoleErrors: true });
  const shot = (name) => page.screenshot({ path: path.join(RESULTS, `arrange-${name}.png`) });
  const file = path.join(projectsDir, 'stage.json');
  const saved = () => JSON.parse(fs.readFileSync(file, 'utf8'));
  const tracksOf = (doc) => new Map(doc.tracks.map((x) => [x.id, x]));

  // a new show, 8 tracks
  await steps.newShow(page, 'stage');
  await steps.addTracks(page, 8);
  const ids = [1, 2, 3, 4, 5, 6, 7, 8];
  assert.deepEqual((await steps.pageDoc(page)).tracks.map((x) => x.id), ids);

  // all 8 on a circle of radius 3 at 1.5 m (the form's preview, then one edit)
  await steps.selectTracks(page, ids);
  await steps.openTab(page, 'arrange');
  await page.click('[data-testid=arrange-shape-circle]');
  await steps.typeInto(page, 'arrange-radius', 3);
  await steps.typeInto(page, 'arrange-height', 1.5);
  await page.waitForFunction(() => window.__holo.getState().preview !== null);
  await shot('01-circle-form');
  const v0 = await steps.version(page);
  await steps.arrangeCircle(page, { radius: 3, height: 1.5, cx: 0, cy: 0, startAngle: 0 });
  assert.equal(await steps.version(page), v0 + 1, 'one edit');
  await page.waitForFunction(() => window.__holo.getState().preview === null); // applied: no preview left
  await page.click('[data-testid=save]');
  await waitFor(() => fs.existsSync(file) && near(tracksOf(saved()).get(8).position, CIRCLE[7]), () => `the saved show: ${fs.existsSync(file) && JSON.stringify(saved().tracks)}`);
  saved().tracks.forEach((x, i) => assert.ok(near(x.position, CIRCLE[i]), `track ${x.id} saved at ${x.position}, want ${CIRCLE[i]}`));
  // and the device has them
  await waitFor(() => near(sim.getTrack(3).position, [3, 0, 1.5]), () => `track 3 at the device: ${sim.getTrack(3).position}`);
  await shot('02-circle');

  // a bad radius: the reason at the field, nothing applied
  await steps.typeInto(page, 'arrange-radius', -3);
  const msg = await page.textContent('[data-testid=arrange-radius-error]');
  assert.match(msg, /radius: -3 m: the radius must be more than 0/);
  assert.ok(await page.isDisabled('[data-testid=arrange-apply]'), 'Arrange refuses');
  await shot('03-bad-radius');
  await steps.typeInto(page, 'arrange-radius', 3);
  await page.waitForSelector('[data-testid=arrange-radius-error]', { state: 'detached' });

  // one undo: every track back at its base; redo: on the circle again
  await steps.undo(page);
  assert.ok((await steps.pageDoc(page)).tracks.every((x) => near(x.position, [0, 0, 1.5])), 'one undo restores all 8');
  assert.ok(srv.session.doc.tracks.every((x) => near(x.position, [0, 0, 1.5])));
  await steps.redo(page);
  assert.ok(near(tracksOf(await steps.pageDoc(page)).get(2).position, CIRCLE[1]));

  // four of them on a line across the front (one edit), undone
  await steps.selectTracks(page, [1, 2, 3, 4]);
  await steps.arrange(page, 'line', { x1: -3, y1: 2, z1: 1, x2: 3, y2: 2, z2: 1 });
  let doc = await steps.pageDoc(page);
  assert.deepEqual([1, 2, 3, 4].map((id) => tracksOf(doc).get(id).position), [[-3, 2, 1], [-1, 2, 1], [1, 2, 1], [3, 2, 1]]);
  await steps.undo(page);
  // the four spread evenly along the line from the first (front) to the last (back right): one edit
  await steps.distribute(page, 'line');
  doc = await steps.pageDoc(page);
  assert.ok(near(tracksOf(doc).get(2).position, [R / 3, 3 - (3 + R) / 3, 1.5]), `${tracksOf(doc).get(2).position}`);
  await steps.undo(page);
  // all 8 on a grid of 4 columns, 2 m by 1 m, centred on the origin
  await steps.selectTracks(page, ids);
  await steps.arrange(page, 'grid', { cx: 0, cy: 0, height: 1.5, columns: 4, spacingX: 2, spacingY: 1 });
  doc = await steps.pageDoc(page);
  assert.deepEqual(ids.map((id) => tracksOf(doc).get(id).position), [[-3, 0.5, 1.5], [-1, 0.5, 1.5], [1, 0.5, 1.5], [3, 0.5, 1.5], [-3, -0.5, 1.5], [-1, -0.5, 1.5], [1, -0.5, 1.5], [3, -0.5, 1.5]]);
  await shot('04-grid');
  await steps.undo(page);
  assert.ok(near(tracksOf(await steps.pageDoc(page)).get(2).position, CIRCLE[1]), 'back on the circle');

  // aed: track 1 (front, 3 m away at 1.5 m) turned to azimuth 90 (right), then 5 m away
  await steps.selectTracks(page, [1]);
  await steps.setTrackField(page, 'az', 90);
  doc = await steps.pageDoc(page);
  assert.ok(near(tracksOf(doc).get(1).position, [3, 0, 1.5]), `${tracksOf(doc).get(1).position}`);
  await steps.setTrackField(page, 'dist', 5);
  doc = await steps.pageDoc(page);
  const p1 = tracksOf(doc).get(1).position;
  assert.ok(Math.abs(Math.hypot(...p1) - 5) < 2e-3 && Math.abs(p1[1]) < 2e-3, `${p1}`);
  assert.equal(await steps.fieldValue(page, 'sel-az', '90'), '90');
  await shot('05-aed');

  // several tracks at once: shared values shown, differing ones "mixed"; one edit sets them all
  await steps.selectTracks(page, [2, 3, 4, 5]);
  await page.selectOption('[data-testid=sel-space]', 'xyz');
  assert.equal(await steps.fieldValue(page, 'sel-z', '1.5'), '1.5');
  assert.equal(await steps.fieldValue(page, 'sel-x', ''), '');
  assert.equal(await page.getAttribute('[data-testid=sel-x]', 'placeholder'), 'mixed');
  let v = await steps.version(page);
  await steps.setTrackField(page, 'gain', -6);
  await steps.setTrackField(page, 'z', 2.5);
  assert.equal(await steps.version(page), v + 2, 'one edit per field');
  doc = await steps.pageDoc(page);
  for (const id of [2, 3, 4, 5]) assert.deepEqual([tracksOf(doc).get(id).gain, tracksOf(doc).get(id).position[2]], [-6, 2.5], `track ${id}`);
  assert.equal(tracksOf(doc).get(6).position[2], 1.5, 'an unselected track keeps its height');
  assert.ok(near(tracksOf(doc).get(3).position, [3, 0, 2.5]), 'x and y kept');
  // a gain out of range: the engine's message at the field, nothing changed
  await steps.typeInto(page, 'sel-gain', 40);
  const gainMsg = await page.waitForSelector('[data-testid=sel-gain-error]');
  assert.match(await gainMsg.textContent(), /gain/);
  await shot('06-multi-edit');
  await page.press('[data-testid=sel-gain]', 'Escape');
  await steps.undo(page); // the heights
  doc = await steps.pageDoc(page);
  for (const id of [2, 3, 4, 5]) assert.equal(tracksOf(doc).get(id).position[2], 1.5, `track ${id} back at 1.5 m`);

  // two groups, then the first's animation copied onto the second
  await steps.selectTracks(page, [1, 2, 3, 4]);
  const a = await steps.applyAnimation(page, 'circular', { 'param-radius': 1.25, 'timing-duration': 6 });
  await steps.selectTracks(page, [5, 6, 7, 8]);
  const b = await steps.applyAnimation(page, 'linear', { 'timing-duration': 3 });
  doc = await steps.pageDoc(page);
  const animOf = (d, g) => d.animations.find((x) => x.name === d.groups.find((y) => y.name === g).animation);
  assert.equal(animOf(doc, b).model, 'linear');
  await steps.copyAnimation(page, a);
  v = await steps.version(page);
  await steps.pasteAnimation(page, b, 'replace');
  assert.equal(await steps.version(page), v + 1);
  doc = await steps.pageDoc(page);
  assert.equal(animOf(doc, b).model, 'circular');
  assert.equal(animOf(doc, b).parameters.radius, 1.25);
  assert.equal(animOf(doc, b).duration, 6);
  assert.equal(await steps.fieldValue(page, 'editor-model', 'circular'), 'circular', 'the editor shows the pasted animation');
  await shot('07-pasted');
  await steps.undo(page);
  assert.equal(animOf(await steps.pageDoc(page), b).model, 'linear', 'one undo takes the paste back');
  await steps.pasteAnimation(page, b, 'new');
  doc = await steps.pageDoc(page);
  assert.equal(animOf(doc, b).name, `${a} copy`);
  assert.equal(animOf(doc, b).model, 'circular');
  assert.deepEqual(doc.animations.map((x) => x.name), [a, `${a} copy`], 'the replaced animation, unused, went');
  await page.click('[data-testid=save]');
  await waitFor(() => saved().animations.length === 2 && saved().groups[1].animation === `${a} copy`, 'the paste saved');
  assert.deepEqual(errors, [], 'no error in the browser console');
});
