'use strict';
// Page steps for path editing and recording a performance, shared by
// path.test.js and the journey: each acts as a user does (clicks, drags,
// keys) and waits for the server's show to follow. `page` is a playwright
// page on the UI, `srv` the server (helpers.startServer). A new show and a
// selection are steps.js's newShow and selectTracks.

const fs = require('node:fs');
const path = require('node:path');
const { sleep, waitFor } = require('./helpers');
const { selectTracks, setBase, drawnAt } = require('./steps');

/** "+ Add", then type its position; returns the new track's id. */
async function addTrack(page, srv, position) {
  const n = (srv.session.doc.tracks || []).length;
  await page.click('[data-testid=add-track]');
  await waitFor(() => (srv.session.doc.tracks || []).length === n + 1, 'a track added');
  const id = srv.session.doc.tracks[n].id;
  await setBase(page, id, position);
  await waitFor(() => JSON.stringify(srv.session.doc.tracks[n].position) === JSON.stringify(position), `track ${id} at ${position}`);
  return id;
}

/**
 * Select `tracks`, choose `model` in a new animation, set the duration and
 * apply; the editor then edits the new group (its handles are drawn).
 * Returns the group's name.
 */
async function createAnimation(page, srv, { tracks, model, duration = 10 }) {
  await page.selectOption('[data-testid=editor-target]', 'new');
  await selectTracks(page, tracks);
  await page.selectOption('[data-testid=editor-model]', model);
  await page.fill('[data-testid=timing-duration]', String(duration));
  await page.press('[data-testid=timing-duration]', 'Enter');
  await page.waitForFunction(() => window.__holo.getState().preview !== null);
  const n = (srv.session.doc.groups || []).length;
  await page.click('[data-testid=apply]');
  await waitFor(() => (srv.session.doc.groups || []).length === n + 1, 'the group added');
  const name = srv.session.doc.groups[n].name;
  await page.waitForFunction(() => window.__holoPath.handles().length > 0);
  return name;
}

/** Open the editor on an existing group (its handles are drawn). */
async function editGroup(page, name) {
  await page.selectOption('[data-testid=editor-target]', name);
  await page.waitForFunction(() => window.__holoPath.handles().length > 0);
}

/** The handles of the edited path in the room. */
function handles(page) {
  return page.evaluate(() => window.__holoPath.handles());
}

/** Where a room position is on screen in view 0 (top) or 1 (side). */
function toScreen(page, view, pos) {
  return page.evaluate(([v, p]) => window.__holo.toScreen(v, p), [view, pos]);
}

/** Pixels per metre in the top view (how precise a drag can be). */
async function pixelsPerMetre(page) {
  const a = await toScreen(page, 0, [0, 0, 0]);
  const b = await toScreen(page, 0, [1, 0, 0]);
  return b[0] - a[0];
}

/**
 * Drag handle `i` in the top view to `to` (x, y) in `steps` moves; `during`
 * (optional) runs with the button still down. Waits for the show edit.
 */
async function dragHandle(page, srv, i, to, { steps = 12, during } = {}) {
  const version = srv.session.state().version;
  const from = (await handles(page))[i];
  const a = await toScreen(page, 0, from);
  const b = await toScreen(page, 0, [to[0], to[1], from[2]]);
  await page.mouse.move(a[0], a[1]);
  await page.mouse.down();
  for (let k = 1; k <= steps; k++) {
    await page.mouse.move(a[0] + ((b[0] - a[0]) * k) / steps, a[1] + ((b[1] - a[1]) * k) / steps);
    await sleep(16);
  }
  if (during) await during();
  await page.mouse.up();
  await waitFor(() => srv.session.state().version !== version, 'the move committed');
}

/** Double-click the edited path (drawn in the top view) at room position `at`. */
async function insertOnPath(page, at) {
  const p = await toScreen(page, 0, at);
  await page.mouse.dblclick(p[0], p[1]);
}

/** Right-click handle `i` in the top view (removes it). */
async function removeHandle(page, i) {
  const h = (await handles(page))[i];
  const p = await toScreen(page, 0, h);
  await page.mouse.click(p[0], p[1], { button: 'right' });
}

/** The show as last saved on disk. */
function savedShow(srv) {
  return JSON.parse(fs.readFileSync(path.join(srv.projectsDir, `${srv.session.project}.json`), 'utf8'));
}

/**
 * Record a performance: press Record (the transport starts), drag track
 * `track` in the top view through `points` (room x, y), one mouse move per
 * frame, then stop recording. With `select` (track ids, `track` among
 * them) those are selected first and move along. Returns the Record bar's
 * summary.
 */
async function recordDrag(page, srv, track, points, { tolerance, select } = {}) {
  if (select) await selectTracks(page, select);
  if (tolerance !== undefined) {
    await page.fill('[data-testid=record-tolerance]', String(tolerance * 100));
    await page.press('[data-testid=record-tolerance]', 'Enter');
  }
  await page.click('[data-testid=record]');
  await waitFor(() => srv.recorder.recording && srv.runtime.transport().playing, 'recording while playing');
  // the page knows it records once the server's reply reaches it (a drag
  // before that moves the base instead, and takes no followers along)
  await page.waitForSelector('[data-testid=record].on');
  const pos = srv.session.doc.tracks.find((t) => t.id === track).position;
  // the view picks and drags the sources where the page last drew them
  // (the positions it received): wait until it has each grabbed one at its base
  await drawnAt(page, (select || [track]).map((id) => [id, srv.session.doc.tracks.find((t) => t.id === id).position]));
  const start = await toScreen(page, 0, pos);
  await page.mouse.move(start[0], start[1]);
  await page.mouse.down();
  for (const p of points) {
    const s = await toScreen(page, 0, [p[0], p[1], pos[2]]);
    await page.mouse.move(s[0], s[1]);
    await sleep(16);
  }
  await page.mouse.up();
  await waitFor(() => srv.recorder.state().samples >= points.length / 4, 'the drag reached the server');
  const groups = (srv.session.doc.groups || []).length;
  const recording = await page.textContent('[data-testid=record-status]');
  await page.click('[data-testid=record]');
  await waitFor(() => !srv.recorder.recording && (srv.session.doc.groups || []).length > groups, 'the take added');
  // the summary shows once the server's reply reaches the page
  await page.waitForFunction((was) => document.querySelector('[data-testid=record-status]').textContent !== was, recording);
  return page.textContent('[data-testid=record-status]');
}

module.exports = { addTrack, createAnimation, editGroup, handles, toScreen, pixelsPerMetre, dragHandle, insertOnPath, removeHandle, savedShow, recordDrag };
