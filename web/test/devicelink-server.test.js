'use strict';
// The device link without a browser: from an empty projects folder, a new
// show on the simulated device (listening on the IPv6 loopback [::1]); the
// device's own pushes reach the player with no --control: a track at rest
// follows a move made on the device (its base in the show too), a moving one
// reports a conflict; the connection test gets an answer, and none once the
// device is gone. Then the same with an external `holoanim devsim --push` and
// the output's feedback port.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const dgram = require('node:dgram');
const { spawn } = require('node:child_process');
const { ROOT, waitFor, startServer, openClient, framePos } = require('./helpers');
const { echoPort, encodeGet, decodeMessage } = require('../server/devicelink');

const near = (a, b, tol = 1e-3) => a && b && a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= tol);

test('echo port: none without outputs; loopback [::1] for a device there; the devices allowed elsewhere', () => {
  assert.equal(echoPort({ outputs: [] }, null), null);
  assert.deepEqual(echoPort({ outputs: [{ name: 'a', host: '::1', port: 4003 }] }, null), { port: 0, bind: '::1' });
  assert.deepEqual(echoPort({ outputs: [{ name: 'a', host: '127.0.0.1', port: 4003, feedback: { port: 9100 } }] }, null), { port: 9100, bind: '127.0.0.1' });
  assert.deepEqual(echoPort({ outputs: [{ name: 'a', host: '10.0.0.5', port: 4003 }] }, null), { port: 0, bind: '::', allow: ['10.0.0.5'] });
  assert.deepEqual(echoPort({ outputs: [{ name: 'a', host: '127.0.0.1', port: 4003 }] }, null, 4004), { port: 4004, bind: '127.0.0.1' }, '--echo-port');
  const given = { port: 9000, bind: '::', allow: ['10.0.0.0/24'] };
  assert.deepEqual(echoPort({ outputs: [{ name: 'a', host: '192.168.1.5', port: 4003 }] }, given).allow, ['10.0.0.0/24', '192.168.1.5']);
  const m = decodeMessage(encodeGet('/track/3/xyz'));
  assert.deepEqual(m, { address: '/get', args: ['/track/3/xyz'] });
});

async function newShowOnDevsim(t) {
  const projectsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-link-'));
  const srv = await startServer(t, { projectsDir, devsimHost: '::1' });
  const c = await openClient(t, srv);
  await c.call('create', { project: 'linked', output: 'devsim' });
  const doc = srv.session.doc;
  assert.equal(doc.outputs[0].host, '::1', 'the built-in device is on the IPv6 loopback');
  await c.call('edit', { ops: [{ op: 'replace', path: '/tracks', value: [{ id: 1, name: 'One', position: [1, 0, 1] }, { id: 2, name: 'Two', position: [-1, 0, 1] }] }] });
  await c.call('edit', {
    ops: [
      { op: 'add', path: '/animations', value: [{ name: 'orbit', model: 'circular', duration: 8, parameters: { radius: 2, center: [0, 0, 1] } }] },
      { op: 'add', path: '/groups', value: [{ name: 'g', animation: 'orbit', tracks: [2], autoStart: true }] },
    ],
  });
  return { srv, c, sim: srv.devsim() };
}

test('echoes from the built-in device: a track at rest follows, a moving one is a conflict; the test answers', async (t) => {
  const { srv, c, sim } = await newShowOnDevsim(t);
  assert.ok(srv.runtime.control, 'an echo port without --control');
  assert.match(srv.runtime.control.address, /::1/);
  // the device has our position of the resting track first
  await waitFor(() => near(sim.getTrack(1).position, [1, 0, 1]), 'the device has track 1');
  await c.call('transport', { action: 'play' });
  await waitFor(() => c.frames.length > 0 && sim.getTrack(2).position[0] !== 0, 'track 2 animated on the device');
  // another controller moves both on the device
  sim.setPosition(1, [3, 2, 1.5]);
  sim.setPosition(2, [0, 5, 5]);
  const conflict = await waitFor(() => c.pushes.find((p) => p.type === 'event' && p.event.type === 'conflict'), 'a conflict event');
  assert.equal(conflict.event.track, 2);
  assert.ok(near(conflict.event.position, [0, 5, 5]));
  // the track at rest follows: in the frames and in the show (one undoable edit)
  await waitFor(() => near(framePos(c.frames.at(-1), 1), [3, 2, 1.5]), () => `track 1 at the device's position: ${framePos(c.frames.at(-1), 1)}`);
  await waitFor(() => near(srv.session.doc.tracks[0].position, [3, 2, 1.5]), 'the base in the show');
  // the show's push reaches the client after the server has the edit: wait for it
  await waitFor(() => c.pushes.find((p) => p.type === 'show' && /moved on the device/.test(p.label)), 'the edit is labelled "moved on the device"');
  await waitFor(() => JSON.parse(fs.readFileSync(path.join(srv.projectsDir, 'linked.json'), 'utf8')).tracks[0].position[0] === 3, 'saved');
  // the connection test
  const ok = await c.call('testOutput', { output: 0 });
  assert.equal(ok.ok, true, ok.message);
  assert.match(ok.message, /^answered in \d+ ms/);
  assert.match(ok.reply, /^\/track\/1\/xyz 3 2 1\.5$/);
  sim.stop();
  const none = await c.call('testOutput', { output: 0 });
  assert.equal(none.ok, false);
  assert.equal(none.timeout, true);
  assert.match(none.message, /no answer from \[::1\]:\d+ within 2 s/);
  await assert.rejects(c.call('testOutput', { output: 3 }), /no output 3/);
});

test('an external holoanim devsim --push reaches the output\'s feedback port', async (t) => {
  const cli = path.join(ROOT, 'build', 'holoanim');
  const feedback = await new Promise((r) => {
    const s = dgram.createSocket('udp6');
    s.bind(0, '::1', () => {
      const p = s.address().port;
      s.close(() => r(p));
    });
  });
  const dev = spawn(cli, ['devsim', '--bind', '::1', '--port', '0', '--tracks', '8', '--push', `[::1]:${feedback}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => dev.kill());
  let out = '';
  dev.stdout.on('data', (d) => (out += d));
  const port = Number(await waitFor(() => (/listening on \[::1\]:(\d+)/.exec(out) || [])[1], () => `the devsim's port: ${out}`));
  const projectsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-link-ext-'));
  const srv = await startServer(t, { projectsDir, device: `[::1]:${port}` });
  const c = await openClient(t, srv);
  await c.call('create', { project: 'ext', output: 'devsim' });
  await c.call('edit', {
    ops: [
      { op: 'replace', path: '/tracks', value: [{ id: 1, name: 'One', position: [1, 1, 1] }] },
      { op: 'add', path: '/outputs/0/feedback', value: { port: feedback, bind: '::1' } },
    ],
  });
  await waitFor(() => srv.runtime.control && srv.runtime.control.port === feedback, 'the echo port is the feedback port');
  // the processor moves track 1: a /track/1/xyz sent to the devsim (as its UI would) is pushed to us
  const s = dgram.createSocket('udp6');
  t.after(() => s.close());
  const msg = Buffer.concat([Buffer.from('/track/1/xyz\0\0\0\0,fff\0\0\0\0', 'latin1'), Buffer.alloc(12)]);
  msg.writeFloatBE(-2, 24);
  msg.writeFloatBE(4, 28);
  msg.writeFloatBE(0.5, 32);
  await waitFor(async () => {
    s.send(msg, port, '::1');
    return near(srv.session.doc.tracks[0].position, [-2, 4, 0.5]);
  }, 'track 1 follows the external device', 60000, 200);
  const ok = await c.call('testOutput', { output: 0 });
  assert.equal(ok.ok, true, ok.message);
});
