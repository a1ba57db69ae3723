'use strict';
// Per-track mute, solo and lock through the addon: setTrackFlags and a
// show's tracks[].mute/solo/lock (loadShow), checked on a real UDP socket
// (what the device receives) and in the snapshots (what the UI shows).
const test = require('node:test');
const assert = require('node:assert/strict');
const dgram = require('node:dgram');
const h = require('..');
const { sleep, waitFor } = require('./helpers');

/** A UDP receiver counting /track/{n}/xyz messages per n. */
async function receiver(t) {
  const sock = dgram.createSocket('udp4');
  await new Promise((r) => sock.bind(0, '127.0.0.1', r));
  t.after(() => sock.close());
  const counts = new Map();
  sock.on('message', (msg) => {
    const m = /^\/track\/(\d+)\/xyz$/.exec(msg.toString('latin1', 0, msg.indexOf(0)));
    if (m) counts.set(Number(m[1]), (counts.get(Number(m[1])) || 0) + 1);
  });
  return { port: sock.address().port, counts, reset: () => counts.clear() };
}

/** Run `set` (queuing n commands) and wait until the tick applied them and what it sent before arrived. */
async function applied(p, n, set) {
  const before = p.getStatus().commands;
  set();
  await waitFor(() => p.getStatus().commands >= before + n, 5000);
  await sleep(50);
}

function xyzAt(frame, id) {
  const i = Array.from(frame.ids).indexOf(id);
  return [frame.positions[3 * i], frame.positions[3 * i + 1], frame.positions[3 * i + 2]];
}

test('setTrackFlags: a muted track sends nothing yet moves; a soloed one sends alone; lock holds', async (t) => {
  const rx = await receiver(t);
  const p = new h.Player({ tickRate: 100 });
  t.after(() => p.close());
  for (const id of [1, 2, 3]) p.addTrack(id, [id, 0, 0]);
  p.addOutput({ host: '127.0.0.1', port: rx.port, rate: 100, deadband: 0 });
  p.start();
  await applied(p, 3, () => {
    p.startAnimation({ motion: h.createMotion('circular', { radius: 1 }, { duration: 2 }), tracks: [1, 2, 3], mode: 'relative' });
    p.setTrackFlags(2, { mute: true });
    p.play();
  });
  rx.reset();
  const a = xyzAt(await waitFor(() => p.snapshot()), 2);
  await waitFor(() => (rx.counts.get(1) || 0) > 20 && (rx.counts.get(3) || 0) > 20, 5000);
  assert.equal(rx.counts.get(2) || 0, 0, 'muted track 2 sent nothing');
  const b = xyzAt(p.snapshot(), 2);
  assert.ok(Math.hypot(a[0] - b[0], a[1] - b[1]) > 1e-3, `muted track 2 still moves in the snapshots: ${a} → ${b}`);

  await applied(p, 2, () => {
    p.setTrackFlags(2, {});
    p.setTrackFlags(3, { solo: true });
  });
  rx.reset();
  await waitFor(() => (rx.counts.get(3) || 0) > 20, 5000);
  assert.equal((rx.counts.get(1) || 0) + (rx.counts.get(2) || 0), 0, `only the solo sends: ${[...rx.counts]}`);

  // lock: track 1 holds where it stands, through a goto and a restart
  await applied(p, 2, () => {
    p.setTrackFlags(3, {});
    p.setTrackFlags(1, { lock: true });
  });
  const held = xyzAt(p.snapshot(), 1);
  await applied(p, 2, () => {
    p.goto(1, [5, 5, 5], { duration: 0.05 });
    p.startAnimation({ motion: h.createMotion('circular', { radius: 2 }, { duration: 2 }), tracks: [1, 2] });
  });
  await sleep(150);
  assert.deepEqual(xyzAt(p.snapshot(), 1), held, 'locked track 1 did not move');

  assert.throws(() => p.setTrackFlags(1, { mute: 'yes' }), TypeError);
  assert.throws(() => p.setTrackFlags(0, {}), RangeError);
  assert.throws(() => p.setTrackFlags(1), TypeError);
});

test("loadShow: the show's mute reaches the wire", async (t) => {
  const rx = await receiver(t);
  const p = new h.Player({ tickRate: 100 });
  t.after(() => p.close());
  p.loadShow({
    format: 1,
    tracks: [{ id: 1, position: [1, 0, 0] }, { id: 2, position: [2, 0, 0], mute: true }],
    animations: [{ name: 'c', model: 'circular', duration: 2, parameters: { radius: 1 } }],
    groups: [{ name: 'g', animation: 'c', tracks: [1, 2], mode: 'relative', autoStart: true }],
    outputs: [{ name: 'o', host: '127.0.0.1', port: rx.port, rate: 100, deadband: { position: 0 } }],
  });
  p.start();
  p.play();
  await waitFor(() => (rx.counts.get(1) || 0) > 20, 5000);
  assert.equal(rx.counts.get(2) || 0, 0, 'the show muted track 2');
});
