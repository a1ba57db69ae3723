'use strict';
// The device link in Chromium, from an empty projects folder, the server and
// its simulated device on the IPv6 loopback ([::1]): a new show on the
// simulated device; a source moved on the device while animated shows a
// conflict on its track, a source at rest follows the device (its base
// field too); the Outputs panel's Test gets an answer, and none once the
// device is stopped. Screenshots: web/test-results/devicelink-NN-what.png.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { RESULTS, waitFor, startEmpty } = require('./helpers');
const steps = require('./steps');
const WebSocket = require('ws');

const near = (a, b, tol = 1e-3) => a && b && a.every((v, i) => Math.abs(v - b[i]) <= tol);

/** Another window's edit (the group that animates track 2), over the WebSocket API on [::1]. */
async function editFromAnotherWindow(srv, ops) {
  const ws = new WebSocket(`ws://[::1]:${srv.port}/ws`);
  await new Promise((resolve, reject) => {
    ws.once('message', resolve); // the welcome
    ws.once('error', reject);
  });
  const reply = new Promise((resolve) => ws.on('message', (d, binary) => {
    if (binary) return; // live positions
    const m = JSON.parse(d.toString());
    if (m.type === 'reply') resolve(m);
  }));
  ws.send(JSON.stringify({ id: 1, type: 'edit', ops }));
  const r = await reply;
  ws.close();
  assert.equal(r.ok, true, JSON.stringify(r.error));
}

test('device link in the UI: conflict marker, a resting source follows the device, connection test', async (t) => {
  const { srv, page, errors } = await startEmpty(t, { name: 'devicelink', server: { host: '::1', devsimHost: '::1' } });
  assert.match(srv.url, /^http:\/\/\[::1\]:\d+\/$/);
  const shot = (name) => page.screenshot({ path: path.join(RESULTS, `devicelink-${name}.png`) });

  // a new show on the simulated device
  await steps.newShow(page, 'linked');
  await waitFor(() => srv.session.project === 'linked', 'the new show is open');
  const sim = srv.devsim();
  assert.ok(sim, 'the built-in simulated device runs');
  assert.deepEqual(srv.session.doc.outputs.map((o) => `${o.host}:${o.port}`), [`::1:${sim.port}`]);
  await steps.addTracks(page, 2);
  await waitFor(() => (srv.session.doc.tracks || []).length === 2, 'tracks 1 and 2 added');
  await editFromAnotherWindow(srv, [
    { op: 'add', path: '/animations', value: [{ name: 'orbit', model: 'circular', duration: 8, parameters: { radius: 2, center: [0, 0, 1.5] } }] },
    { op: 'add', path: '/groups', value: [{ name: 'orbit', animation: 'orbit', tracks: [2], autoStart: true }] },
  ]);
  await page.click('[data-testid=play]');
  await waitFor(() => srv.runtime.owners().some((o) => o.track === 2), 'track 2 animated');
  await waitFor(() => near(sim.getTrack(1).position, [0, 0, 1.5]), 'the device has track 1 at its base');
  await shot('01-playing');

  // another controller moves both sources on the device
  sim.setPosition(2, [0, 6, 3]);
  sim.setPosition(1, [3, -2, 2]);
  const conflict = page.locator('[data-testid=track-2-device]');
  await conflict.waitFor();
  assert.match(await conflict.textContent(), /conflict: moved on the device to \(0\.00, 6\.00, 3\.00\)/);
  const follows = page.locator('[data-testid=track-1-device]');
  await follows.waitFor();
  assert.match(await follows.textContent(), /follows the device \(3\.00, -2\.00, 2\.00\)/);
  // the resting source's base is the device's position: in the show and in its fields
  await waitFor(() => near(srv.session.doc.tracks[0].position, [3, -2, 2]), 'track 1 base in the show');
  await waitFor(async () => (await page.inputValue('[data-testid=track-1-x]')) === '3', 'the x field shows 3');
  assert.equal(await page.inputValue('[data-testid=track-1-y]'), '-2');
  await shot('02-conflict-and-follow');

  // the connection test
  await page.click('[data-testid=tab-outputs]');
  await page.click('[data-testid=output-0-test]');
  const result = page.locator('[data-testid=output-0-test-result]');
  await waitFor(async () => /answered in \d+ ms/.test(await result.textContent()), async () => `the test's answer: ${await result.textContent()}`);
  assert.match(await result.textContent(), /\/track\/1\/xyz 3 -2 2/);
  await shot('03-test-answered');
  sim.stop();
  await page.click('[data-testid=output-0-test]');
  await waitFor(async () => /no answer from \[::1\]:\d+ within 2 s/.test(await result.textContent()), async () => `the test's answer with the device stopped: ${await result.textContent()}`);
  await shot('04-test-no-answer');
  assert.deepEqual(errors, []);
});
