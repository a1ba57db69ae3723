'use strict';
// Cues from the network: the server's OSC control port (createServer's
// `control`) fires a cue by its own address or by /holoanim/cue/go, answers
// /holoanim/ack, follows what the cue started, and every client hears
// {type: 'event', event: {type: 'cue', cue, name, source}} with where it
// came from ('osc HOST:PORT', 'control /holoanim/cue/go', 'ui'). Deadlines
// only; nothing is timed.
const test = require('node:test');
const assert = require('node:assert/strict');
const dgram = require('node:dgram');
const { waitFor, startServer, openClient } = require('./helpers');

function pad(b) {
  return Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
}
function oscMessage(address, ...ints) {
  const str = (s) => pad(Buffer.from(s + '\0'));
  const args = ints.map((i) => { const b = Buffer.alloc(4); b.writeInt32BE(i); return b; });
  return Buffer.concat([str(address), str(',' + 'i'.repeat(ints.length)), ...args]);
}
function oscStrings(buf) {
  const out = [];
  for (let i = 0; i < buf.length;) {
    const j = buf.indexOf(0, i);
    out.push(buf.toString('utf8', i, j));
    i = (Math.floor(j / 4) + 1) * 4;
  }
  return out;
}

test('a cue fired over OSC reaches the WebSocket with its source; owners follow it', async (t) => {
  const srv = await startServer(t, { control: { port: 0 } });
  assert.ok(srv.runtime.control && srv.runtime.control.port > 0);
  const c = await openClient(t, srv);
  const sock = dgram.createSocket('udp4');
  await new Promise((resolve) => sock.bind(0, '127.0.0.1', resolve));
  t.after(() => sock.close());
  const ask = (address, ...ints) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no reply to ${address} in 60 s`)), 60000);
    sock.once('message', (m) => { clearTimeout(timer); resolve(oscStrings(m)); });
    sock.send(oscMessage(address, ...ints), srv.runtime.control.port, '127.0.0.1');
  });
  const cueEvents = () => c.pushes.filter((m) => m.type === 'event' && m.event.type === 'cue').map((m) => m.event);

  await c.call('transport', { action: 'play' });
  assert.deepEqual(await ask('/quartet/go'), ['/holoanim/ack', ',ss', '/quartet/go', 'cue 1']);
  await waitFor(() => cueEvents().length >= 1, 'the cue event');
  const first = cueEvents()[0];
  assert.equal(first.cue, 1);
  assert.equal(first.name, 'Orbit');
  assert.equal(first.source, `osc 127.0.0.1:${sock.address().port}`);
  // the runtime followed the cue: the group owns its tracks
  await waitFor(() => srv.runtime.owners().length === 4, 'the owners of cue 1');
  assert.deepEqual(srv.runtime.owners().map((o) => [o.track, o.kind, o.group]), [1, 2, 3, 4].map((k) => [k, 'group', 'quartet']));

  await c.call('cue', { number: 2 }); // the UI's GO
  assert.deepEqual(await ask('/holoanim/cue/go', 1), ['/holoanim/ack', ',ss', '/holoanim/cue/go', 'cue 1']);
  await waitFor(() => cueEvents().length >= 3, 'three cue events');
  assert.deepEqual(cueEvents().slice(1).map((e) => [e.cue, e.source]), [[2, 'ui'], [1, 'control /holoanim/cue/go']]);
  assert.deepEqual(await ask('/quartet/nothing'), ['/holoanim/error', ',ss', '/quartet/nothing', 'unknown address']);
});

test('with sync the server follows a DAW clock on its control port; stats say so', async (t) => {
  const srv = await startServer(t, { control: { port: 0 }, playerOptions: { sync: true } });
  assert.equal(srv.runtime.control.sync, true);
  const c = await openClient(t, srv);
  const sock = dgram.createSocket('udp4');
  await new Promise((resolve) => sock.bind(0, '127.0.0.1', resolve));
  t.after(() => sock.close());
  const send = (address, ...ints) => sock.send(oscMessage(address, ...ints), srv.runtime.control.port, '127.0.0.1');
  send('/stop', 1);
  send('/time', 12); // REAPER's cursor moved while stopped: seek there
  const stats = () => c.pushes.filter((m) => m.type === 'stats').map((m) => m.stats).filter((s) => s && s.control);
  await waitFor(() => stats().some((s) => s.counters.sync_seeks >= 1 && s.status.time === 12), 'a seek to the clock in the stats');
  const s = stats().at(-1);
  assert.equal(s.control.sync, true);
  assert.equal(s.control.port, srv.runtime.control.port);
});

test('a mapping added in the document: a fader over OSC drives the radius, the stats list it with its live value', async (t) => {
  const srv = await startServer(t, { control: { port: 0 } });
  const c = await openClient(t, srv);
  await c.call('edit', { ops: [{ op: 'add', path: '/mappings', value: [
    { address: '/desk/fader/1', group: 'quartet', param: 'radius', input: [0, 127], output: [1, 8] },
  ] }] });
  // a new player (the mappings are part of its set-up) with its control port
  await waitFor(() => srv.runtime.control && (srv.runtime.stats() || {}).mappings, 'the new player');
  await c.call('transport', { action: 'play' });
  const sock = dgram.createSocket('udp4');
  await new Promise((resolve) => sock.bind(0, '127.0.0.1', resolve));
  t.after(() => sock.close());
  sock.send(oscMessage('/desk/fader/1', 127), srv.runtime.control.port, '127.0.0.1');
  const live = () => c.pushes.filter((m) => m.type === 'stats' && m.stats && m.stats.mappings)
    .map((m) => m.stats.mappings[0]).find((x) => x && x.value === 8);
  await waitFor(live, 'a stats push with the mapped value');
  assert.deepEqual([live().address, live().group, live().param, live().output, live().active],
    ['/desk/fader/1', 'quartet', 'radius', [1, 8], true]);
  // the group's tracks sit on the radius-8 circle about (0, 0, 1.5)
  const r = () => {
    const s = srv.runtime.stats() && srv.runtime.lastFrame();
    return s && Math.hypot(s.positions[0], s.positions[1]);
  };
  await waitFor(() => Math.abs(r() - 8) < 1e-6, () => `the radius-8 circle (radius now ${r()})`);
  assert.equal(srv.runtime.stats().counters.mapped_messages, 1);
});
