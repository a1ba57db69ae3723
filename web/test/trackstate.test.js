'use strict';
// Mute, solo and lock in Chromium, from an EMPTY projects folder: a new
// show on the simulated device, two tracks added with "+ Add", then the
// track list's M / S / L toggles. The device (holoanim devsim) receives
// nothing for a muted track, not even keep-alives, while the other keeps
// arriving; a soloed track is the only one that reaches it; a locked track
// cannot be dragged in the view (and the server refuses the drag and a base
// edit). Screenshot: web/test-results/trackstate.png.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { RESULTS, waitFor, openClient, browserSkip, startEmpty } = require('./helpers');
const steps = require('./steps');

const skip = browserSkip();

test('trackstate: M mutes a track at the device, S solos one, L stops drags', { skip, timeout: 300000 }, async (t) => {
  const sent = []; // the UI's requests, as they leave the page
  const watch = (page) => page.on('websocket', (ws) => ws.on('framesent', (f) => {
    if (typeof f.payload === 'string') sent.push(JSON.parse(f.payload));
  }));
  const { sim, srv, page, errors } = await startEmpty(t, { name: 'trackstate', tracks: 8, beforeLoad: watch });

  // a new show on the simulated device, two tracks typed in place
  await steps.newShow(page, 'flags');
  await waitFor(() => srv.session.project === 'flags', 'the new show is open');
  await steps.addTracks(page, 2);
  await waitFor(() => (srv.session.doc.tracks || []).length === 2, 'tracks 1 and 2 added');
  // each typed base in the page's show before the next step: a toggle's
  // edit (add or remove of the track's key) made on an older show overlaps it
  // and is refused as a conflict
  const type = (id, k, v) => steps.typeBase(page, id, k, v);
  // a toggle shown as on or off: the page has its edit (the next toggle of the
  // track is refused as a conflict without it, and a drag of a track the page
  // does not know locked is sent)
  const shown = (id, flag, on) => page.waitForSelector(`[data-testid=track-${id}-${flag}][aria-pressed=${on}]`);
  const atDevice = (id, x) => Math.abs(sim.getTrack(id).position[0] - x) < 1e-3;
  await type(1, 0, 2);
  await type(2, 0, -2);
  await waitFor(() => atDevice(1, 2) && atDevice(2, -2), 'both tracks at the device');

  // M on track 2: the device hears nothing more of it
  await page.click('[data-testid=track-2-mute]');
  await waitFor(() => srv.session.doc.tracks[1].mute === true, 'track 2 muted in the show');
  await page.waitForSelector('[data-testid=track-2-mute][aria-pressed=true]'); // the page shows it
  const ticks = srv.runtime.player.getStatus().ticks;
  await waitFor(() => srv.runtime.player.getStatus().ticks > ticks + 2, 'the player took the mute');
  // what the tick sent before the mute has arrived once a later send of track 1 has
  let u1 = sim.getTrack(1).updates;
  await waitFor(() => sim.getTrack(1).updates > u1, 'a later send of track 1');
  const u2 = sim.getTrack(2).updates;
  await type(2, 0, -3);
  await type(1, 0, 3);
  await waitFor(() => atDevice(1, 3), 'track 1 moved at the device');
  u1 = sim.getTrack(1).updates;
  await waitFor(() => sim.getTrack(1).updates >= u1 + 2, 'two more sends of track 1 (keep-alives)');
  assert.equal(sim.getTrack(2).updates, u2, 'the device received nothing for muted track 2');
  assert.ok(atDevice(2, -2), `muted track 2 at the device: ${sim.getTrack(2).position}`);
  const snap = srv.runtime.player.snapshot();
  const i2 = Array.from(snap.ids).indexOf(2);
  assert.ok(Math.abs(snap.positions[3 * i2] + 3) < 1e-9, 'muted track 2 is still computed (and shown) at its new base');

  // M again: it sends again; S on track 2: only it reaches the device
  await page.click('[data-testid=track-2-mute]');
  await waitFor(() => atDevice(2, -3), 'unmuted track 2 reaches the device');
  await shown(2, 'mute', false);
  await page.click('[data-testid=track-2-solo]');
  await waitFor(() => srv.session.doc.tracks[1].solo === true, 'track 2 soloed');
  await shown(2, 'solo', true);
  await type(1, 0, 4);
  await type(2, 0, -4);
  await waitFor(() => atDevice(2, -4), 'soloed track 2 at the device');
  u1 = sim.getTrack(1).updates;
  const u2b = sim.getTrack(2).updates;
  await waitFor(() => sim.getTrack(2).updates >= u2b + 2, 'two more sends of track 2');
  assert.equal(sim.getTrack(1).updates, u1, 'nothing of track 1 while track 2 is soloed');
  assert.ok(atDevice(1, 3), `track 1 at the device: ${sim.getTrack(1).position}`);
  await page.click('[data-testid=track-2-solo]');
  await waitFor(() => atDevice(1, 4), 'no solo: track 1 reaches the device again');
  await shown(2, 'solo', false);

  // L on track 1: a drag in the top view moves nothing
  await page.click('[data-testid=track-1-lock]');
  await waitFor(() => srv.session.doc.tracks[0].lock === true, 'track 1 locked');
  await shown(1, 'lock', true);
  // the view picks the source where the page last drew it: at its base
  await steps.drawnAt(page, [[1, [4, 0, 1.5]]]);
  await page.screenshot({ path: path.join(RESULTS, 'trackstate.png') });
  const before = sent.length;
  const [fx, fy] = await page.evaluate(() => window.__holo.toScreen(0, [4, 0, 1.5]));
  const [tx, ty] = await page.evaluate(() => window.__holo.toScreen(0, [1, 1, 1.5]));
  await page.mouse.move(fx, fy);
  await page.mouse.down();
  for (let k = 1; k <= 10; k++) await page.mouse.move(fx + ((tx - fx) * k) / 10, fy + ((ty - fy) * k) / 10);
  await page.mouse.up();
  // the click selected it (the drag did not start): a later edit shows the UI's messages were handled
  await waitFor(async () => JSON.stringify(await page.evaluate(() => window.__holo.getState().selection)) === '[1]', 'track 1 selected');
  await type(2, 0, -5);
  await waitFor(() => atDevice(2, -5), 'a later edit went through');
  const moves = sent.slice(before).filter((m) => m.type === 'live' || (m.type === 'edit' && m.label !== 'move track 2'));
  assert.deepEqual(moves, [], 'the view sent no move of the locked track');
  assert.deepEqual(srv.session.doc.tracks[0].position, [4, 0, 1.5], 'the locked track kept its base');
  assert.ok(atDevice(1, 4), `locked track 1 at the device: ${sim.getTrack(1).position}`);
  // the server refuses too: a drag message and a base edit of a locked track
  const c = await openClient(t, srv);
  await assert.rejects(c.call('live', { track: 1, position: [0, 0, 0] }), /track 1 is locked/);
  await assert.rejects(c.call('edit', { ops: [{ op: 'replace', path: '/tracks/0/position', value: [0, 0, 0] }] }), /track 1 is locked/);
  assert.deepEqual(srv.session.doc.tracks[0].position, [4, 0, 1.5]);
  assert.deepEqual(errors, []);
});
