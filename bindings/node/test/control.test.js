'use strict';
// Player.openControl: a cue's own OSC address (and /holoanim/cue/go n) sent
// over UDP fires the cue, is answered /holoanim/ack, and the 'cue' event
// says where it came from. Deadlines are generous; nothing is timed.
const test = require('node:test');
const assert = require('node:assert/strict');
const dgram = require('node:dgram');
const path = require('node:path');
const h = require('..');
const { waitFor } = require('./helpers');

function pad(b) {
  return Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
}
function oscString(s) {
  return pad(Buffer.from(s + '\0'));
}
function oscMessage(address, ...ints) {
  const args = ints.map((i) => { const b = Buffer.alloc(4); b.writeInt32BE(i); return b; });
  return Buffer.concat([oscString(address), oscString(',' + 'i'.repeat(ints.length)), ...args]);
}
function oscStrings(buf) {
  const out = [];
  let i = 0;
  while (i < buf.length) {
    const j = buf.indexOf(0, i);
    out.push(buf.toString('utf8', i, j));
    i = (Math.floor(j / 4) + 1) * 4;
  }
  return out;
}

// ask(sock, port, address, ...ints) → [reply address, tags, echoed address, text]
function ask(sock, port, address, ...ints) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no reply to ${address} in 60 s`)), 60000);
    sock.once('message', (msg) => { clearTimeout(timer); resolve(oscStrings(msg)); });
    sock.send(oscMessage(address, ...ints), port, '127.0.0.1');
  });
}

test('a cue fires by its OSC address and by /holoanim/cue/go: ack and a cue event with its source', async (t) => {
  const p = new h.Player({ tickRate: 200 });
  t.after(() => p.close());
  const events = [];
  p.on('event', (e) => { if (e.type === 'cue') events.push(e); });
  p.loadShow(path.join(__dirname, 'fixtures', 'cue-scene.json'));
  p.start();
  const ctl = p.openControl({ port: 0 });
  assert.equal(ctl.address, `127.0.0.1:${ctl.port}`);
  assert.ok(ctl.port > 0);
  assert.throws(() => p.openControl(), { code: 'ESTATE' });
  assert.throws(() => p.openControl({ allow: 'x' }), TypeError);

  const sock = dgram.createSocket('udp4');
  await new Promise((resolve) => sock.bind(0, '127.0.0.1', resolve));
  t.after(() => sock.close());
  const from = `osc 127.0.0.1:${sock.address().port}`;

  assert.deepEqual(await ask(sock, ctl.port, '/scene/3'), ['/holoanim/ack', ',ss', '/scene/3', 'cue 3']);
  await waitFor(() => events.length >= 1);
  assert.equal(events[0].cue, 3);
  assert.equal(events[0].name, 'Spin');
  assert.equal(events[0].source, from);

  // an OSC pattern fires every cue it matches, in cue order
  assert.deepEqual(await ask(sock, ctl.port, '/scene/{1,2}'), ['/holoanim/ack', ',ss', '/scene/{1,2}', 'cue 1, 2']);
  assert.deepEqual(await ask(sock, ctl.port, '/holoanim/cue/go', 5),
    ['/holoanim/ack', ',ss', '/holoanim/cue/go', 'cue 5']);
  await waitFor(() => events.length >= 4);
  assert.deepEqual(events.slice(1).map((e) => [e.cue, e.source]),
    [[1, from], [2, from], [5, 'control /holoanim/cue/go']]);

  assert.deepEqual(await ask(sock, ctl.port, '/scene/99'),
    ['/holoanim/error', ',ss', '/scene/99', 'unknown address']);
  const [reply, , , text] = await ask(sock, ctl.port, '/holoanim/cue/go', 99);
  assert.equal(reply, '/holoanim/error');
  assert.match(text, /no cue 99/);
  // goCue from JavaScript says so
  p.goCue(6);
  await waitFor(() => events.length >= 5);
  assert.equal(events[4].source, 'api');
  assert.equal(p.getMetrics().counters.cues_fired, 5);

  p.closeControl();
  assert.ok(p.openControl().port > 0); // opens again once closed; close() stops it
});

test('a player with sync follows an external clock on its control port (REAPER /time, /play, /stop)', async (t) => {
  const p = new h.Player({ tickRate: 200, sync: { tolerance: 0.1 } });
  t.after(() => p.close());
  p.loadShow(path.join(__dirname, 'fixtures', 'cue-scene.json'));
  let frame = null;
  p.on('positions', (f) => { frame = f; });
  p.start();
  const ctl = p.openControl({ port: 0 });
  assert.equal(ctl.sync, true);
  const sock = dgram.createSocket('udp4');
  await new Promise((resolve) => sock.bind(0, '127.0.0.1', resolve));
  t.after(() => sock.close());
  const send = (address, ...ints) => sock.send(oscMessage(address, ...ints), ctl.port, '127.0.0.1');

  // stopped at 20 s: the transport seeks there and stands
  send('/stop', 1);
  send('/time', 20);
  await waitFor(() => frame && frame.time === 20);
  // the DAW plays: the transport runs on from the clock
  send('/play', 1);
  send('/time', 20);
  await waitFor(() => frame && frame.time > 20.05);
  // transport commands are the clock's; cues are not
  const [reply, , , text] = await ask(sock, ctl.port, '/holoanim/pause');
  assert.equal(reply, '/holoanim/error');
  assert.match(text, /following an external clock/);
  // a jump larger than the tolerance seeks, stopped
  send('/stop', 1);
  send('/time', 3);
  await waitFor(() => frame && frame.time === 3);
  assert.ok(p.getMetrics().counters.sync_seeks >= 2);

  // without sync the clock's addresses are nobody's: /time is unknown
  const q = new h.Player({ tickRate: 200 });
  t.after(() => q.close());
  q.loadShow(path.join(__dirname, 'fixtures', 'cue-scene.json'));
  const qc = q.openControl({ port: 0 });
  assert.equal(qc.sync, false);
  assert.deepEqual(await ask(sock, qc.port, '/time', 5), ['/holoanim/error', ',ss', '/time', 'unknown address']);
  assert.throws(() => new h.Player({ sync: 'osc' }), TypeError);
  assert.throws(() => new h.Player({ sync: { tolerance: 50 } }), /tolerance/);
});

function oscFloat(address, tags, ...vals) {
  const args = vals.map((v) => {
    if (typeof v === 'string') return oscString(v);
    const b = Buffer.alloc(4);
    b.writeFloatBE(v);
    return b;
  });
  return Buffer.concat([oscString(address), oscString(tags), ...args]);
}

test('mappings: a fader on the control port drives a group radius; mapInput, mappings(), refusals', async (t) => {
  const show = {
    format: 1,
    tracks: [{ id: 1, position: [0, 0, 0] }],
    animations: [{ name: 'c', model: 'circular', duration: 4, loop: true,
      parameters: { center: [0, 0, 0], radius: 3 } }],
    groups: [{ name: 'ring', animation: 'c', tracks: [1], autoStart: true }],
    mappings: [
      { address: '/desk/fader/1', group: 'ring', param: 'radius', output: [1, 8], smoothing: 0.05 },
      { address: '/desk/xy', arg: 1, group: 'ring', param: 'center.y', input: [-1, 1], output: [-5, 5] },
    ],
  };
  const p = new h.Player({ tickRate: 200 });
  t.after(() => p.close());
  p.loadShow(JSON.stringify(show));
  p.start();
  p.play();
  const radius = () => {
    const s = p.snapshot();
    return s && Math.hypot(s.positions[0], s.positions[1] - (p.mappings()[1].value ?? 0));
  };
  await waitFor(() => { const r = radius(); return r !== null && Math.abs(r - 3) < 1e-6; });
  assert.deepEqual(p.mappings().map((m) => [m.address, m.param, m.active, m.value]),
    [['/desk/fader/1', 'radius', false, null], ['/desk/xy', 'center.y', false, null]]);
  assert.deepEqual(p.mappings()[1].input, [-1, 1]);

  const ctl = p.openControl({ port: 0 });
  const sock = dgram.createSocket('udp4');
  await new Promise((resolve) => sock.bind(0, '127.0.0.1', resolve));
  t.after(() => sock.close());
  sock.send(oscFloat('/desk/fader/1', ',f', 0.5), ctl.port, '127.0.0.1');
  // settled: the radius is the mapped 4.5 and the status is active
  await waitFor(() => p.mappings()[0].value === 4.5 && Math.abs(radius() - 4.5) < 1e-6);
  assert.equal(p.getMetrics().counters.mapped_messages, 1);
  // a string is refused, answered, and changes nothing
  const reply = await new Promise((resolve) => {
    sock.once('message', (msg) => resolve(oscStrings(msg)));
    sock.send(oscFloat('/desk/fader/1', ',s', 'loud'), ctl.port, '127.0.0.1');
  });
  assert.deepEqual(reply, ['/holoanim/error', ',ss', '/desk/fader/1', 'mapped: needs a number argument']);
  assert.equal(p.mappings()[0].value, 4.5);
  // from JavaScript: the second argument drives center.y; NaN is refused
  assert.equal(p.mapInput('/desk/xy', 0, 0.2), 1);
  assert.equal(p.mapInput('/desk/xy', 0), 0);
  assert.equal(p.mapInput('/desk/fader/1', NaN), 0);
  assert.equal(p.mapInput('/nobody', 1), 0);
  await waitFor(() => p.mappings()[1].value === 1 && Math.abs(radius() - 4.5) < 1e-6);
  const s = p.snapshot();
  assert.ok(Math.abs(Math.hypot(s.positions[0], s.positions[1] - 1) - 4.5) < 1e-6);
  assert.equal(p.mappings()[0].inputs, 1);
});
