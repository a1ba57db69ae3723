'use strict';
// The device link: what comes back from the show's devices.
//
// Echoes. A Holophonix processor pushes every change of a track to its OSC
// Send destinations; `holoanim devsim --push` does the same. Whenever the
// show has outputs the player listens for them (echoPort below: the server's
// --control port, else the show's outputs[].feedback or control port, else
// --echo-port, else a port of its own), and the core does the rest (src/rt/feedback.c, echo.c):
// an echo is matched to the output whose device sent it, an animated track
// whose echo is not what we sent raises a `conflict` event (the UI marks the
// track), a track at rest adopts the device's position as its base
// (`baseChanged`). The document follows the adopted bases: one edit
// ("moved on the device", undoable, saved like any edit) per burst of
// echoes, so a Stop that returns the sources to their bases, the views and
// the saved show all agree with the device. The simulated device this server
// runs is told to push to the echo port (Devsim.addPush), as a processor's
// OSC Send would be set up.
//
// Connection test. testOutput sends `/get "/track/N/xyz"` (N: the first track
// the output sends) from a socket of its own to the output's device and waits
// up to 2 s for the device's answer (a reply or an /error, both prove the
// device is there): the devsim and a Holophonix answer the sender.

const dgram = require('node:dgram');
const dns = require('node:dns');
const net = require('node:net');

const TEST_TIMEOUT_MS = 2000;
const ADOPT_QUIET_MS = 250; // a burst of echoes (a fader moved on the device) is one edit
const ROUND = 1e4; // adopted bases kept to 0.1 mm

function isLoopbackHost(host) {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function enabledOutputs(doc) {
  return (doc.outputs || []).filter((o) => o.enabled !== false);
}

/**
 * Where the player listens for device echoes, as Player.openControl options,
 * or null (no output: nothing to listen to). `given`: the server's --control
 * (cues arrive there too; the devices are added to its allow list). Else the
 * first output's feedback {port, bind}, else the show's control {port, bind},
 * else `fixed` (the server's --echo-port), else a free port (the runtime asks for the one bound before again, so a
 * device told where to push keeps reaching a new player). The address:
 * loopback when every device is on this computer ([::1] when they are
 * there), else every interface, senders limited to the devices.
 */
function echoPort(doc, given, fixed = 0) {
  const outs = enabledOutputs(doc);
  if (outs.length === 0) return given || null;
  const hosts = [...new Set(outs.map((o) => String(o.host).replace(/^\[|\]$/g, '')))];
  if (given) {
    const allow = given.allow && given.allow.length ? [...given.allow, ...hosts.filter((h) => !given.allow.includes(h))] : given.allow;
    return { ...given, allow };
  }
  const fb = outs.find((o) => o.feedback && o.feedback.port)?.feedback;
  const ctl = doc.control && doc.control.port ? doc.control : null;
  let bind;
  if (hosts.every((h) => h === '::1')) bind = '::1';
  else if (hosts.every(isLoopbackHost)) bind = '127.0.0.1';
  else bind = '::';
  bind = (fb && fb.bind) || (ctl && ctl.bind) || bind;
  const port = (fb && fb.port) || (ctl && ctl.port) || fixed || 0;
  const options = { port, bind };
  if (!isLoopbackHost(bind)) options.allow = hosts.slice(0, 32);
  return options;
}

/** An OSC string (NUL-terminated, padded to 4 bytes). */
function oscString(s) {
  const b = Buffer.from(s, 'utf8');
  const out = Buffer.alloc((b.length + 4) & ~3);
  b.copy(out);
  return out;
}

/** `/get "<what>"` as an OSC message. */
function encodeGet(what) {
  return Buffer.concat([oscString('/get'), oscString(',s'), oscString(what)]);
}

function readString(buf, at) {
  const end = buf.indexOf(0, at);
  if (end < 0) return null;
  return { s: buf.toString('utf8', at, end), next: (end + 4) & ~3 };
}

/** {address, args} of an OSC message with f, i and s arguments (else null). */
function decodeMessage(buf) {
  const a = readString(buf, 0);
  const t = a && readString(buf, a.next);
  if (!t || !t.s.startsWith(',')) return null;
  const args = [];
  let at = t.next;
  for (const tag of t.s.slice(1)) {
    if (tag === 'f' && at + 4 <= buf.length) {
      args.push(buf.readFloatBE(at));
      at += 4;
    } else if (tag === 'i' && at + 4 <= buf.length) {
      args.push(buf.readInt32BE(at));
      at += 4;
    } else if (tag === 's') {
      const s = readString(buf, at);
      if (!s) return null;
      args.push(s.s);
      at = s.next;
    } else {
      return null;
    }
  }
  return { address: a.s, args };
}

/** The device index output `o` sends the show's first track as (1 without tracks). */
function firstIndex(doc, o) {
  const ids = (doc.tracks || []).map((t) => t.id);
  for (const id of ids) {
    const mapped = o.trackMap ? o.trackMap[String(id)] : id;
    if (mapped !== undefined) return mapped;
  }
  return 1;
}

function lookup(host) {
  if (net.isIP(host)) return Promise.resolve({ address: host, family: net.isIP(host) });
  return dns.promises.lookup(host);
}

/**
 * Ask output `index` of `doc` for a track's position: resolves {ok: true, ms,
 * reply} (the device answered, reply: the address and arguments it sent),
 * {ok: false, timeout: true, message} (no answer within 2 s) or {ok: false,
 * message} (the request could not be sent).
 */
async function testOutput(doc, index, timeoutMs = TEST_TIMEOUT_MS) {
  const o = (doc.outputs || [])[index];
  if (!o) throw Object.assign(new Error(`no output ${index} in the show`), { code: 'ENOTFOUND', parameter: 'output' });
  const host = String(o.host).replace(/^\[|\]$/g, '');
  const port = o.port || (o.dialect === 'adm-osc' ? 4001 : 4003);
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (o.dialect === 'adm-osc') return { ok: false, message: `${o.name}: an ADM-OSC renderer answers queries on another port (4002); the test asks Holophonix devices only` };
  let addr;
  try {
    addr = await lookup(host);
  } catch (e) {
    return { ok: false, message: `${o.name}: ${host} does not resolve (${e.code || e.message})` };
  }
  const what = `/track/${firstIndex(doc, o)}/xyz`;
  const sock = dgram.createSocket(addr.family === 6 ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    let timer = null;
    const t0 = performance.now();
    const end = (r) => {
      clearTimeout(timer);
      sock.close();
      resolve({ output: o.name, device: where, query: `/get "${what}"`, ...r });
    };
    sock.on('error', (e) => end({ ok: false, message: `${where}: ${e.code || e.message}` }));
    sock.on('message', (buf, rinfo) => {
      const m = decodeMessage(buf);
      if (!m || (m.address !== what && m.address !== '/error')) return; // not the answer
      const ms = Math.round(performance.now() - t0);
      const reply = `${m.address} ${m.args.map((v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : JSON.stringify(v))).join(' ')}`;
      end({ ok: true, ms, reply, from: `${rinfo.address}:${rinfo.port}`, message: `answered in ${ms} ms: ${reply}` });
    });
    sock.bind(0, () => {
      timer = setTimeout(() => end({ ok: false, timeout: true, message: `no answer from ${where} within ${timeoutMs / 1000} s` }), timeoutMs);
      sock.send(encodeGet(what), port, addr.address, (e) => {
        if (e) end({ ok: false, message: `${where}: ${e.code || e.message}` });
      });
    });
  });
}

/**
 * The live half: follows the runtime's echo port (pointing this server's
 * devsim at it) and turns adopted bases into edits of the document.
 */
class DeviceLink {
  #session;
  #runtime;
  #devices;
  #log;
  #pushed = new Set(); // "sim port|host|port" told to a devsim
  #pending = new Map(); // track id → position adopted, not yet in the document
  #timer = null;

  constructor({ session, runtime, devices, log }) {
    this.#session = session;
    this.#runtime = runtime;
    this.#devices = devices;
    this.#log = log || (() => {});
    runtime.on('control', (ctl) => this.#pointDevsim(ctl));
    session.on('open', () => {
      // echoes of the show that was open are not this one's
      this.#pending.clear();
      clearTimeout(this.#timer);
      this.#timer = null;
    });
    runtime.on('event', (e) => {
      if (e.type === 'baseChanged') this.#adopt(e.track, e.position);
    });
  }

  /** The simulated device this server runs pushes to the echo port when it is one of the outputs. */
  #pointDevsim(ctl) {
    const sim = this.#devices.sim();
    const doc = this.#session.doc;
    if (!sim || !ctl || !doc) return;
    const outs = enabledOutputs(doc).filter((o) => o.port === sim.port && isLoopbackHost(String(o.host).replace(/^\[|\]$/g, '')));
    if (outs.length === 0) return;
    let host = ctl.address.replace(/:[0-9]+$/, '').replace(/^\[|\]$/g, '');
    if (host === '::' || host === '0.0.0.0') host = this.#devices.info().address.startsWith('[') ? '::1' : '127.0.0.1';
    const key = `${sim.port}|${host}|${ctl.port}`;
    if (this.#pushed.has(key)) return;
    try {
      sim.addPush(host, ctl.port);
      this.#pushed.add(key);
    } catch (e) {
      this.#log(`devsim push to ${host}:${ctl.port}: ${e.message}`);
    }
  }

  #adopt(track, position) {
    this.#pending.set(track, position.map((v) => Math.round(v * ROUND) / ROUND));
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#flush(), ADOPT_QUIET_MS);
    this.#timer.unref?.();
  }

  /** The adopted bases into the document: one edit. */
  #flush() {
    this.#timer = null;
    const doc = this.#session.doc;
    if (!doc || this.#pending.size === 0) return;
    const ops = [];
    (doc.tracks || []).forEach((t, i) => {
      const p = this.#pending.get(t.id);
      const old = t.position || [0, 0, 0];
      if (!p || p.every((v, k) => Math.abs(v - old[k]) < 0.5 / ROUND)) return;
      ops.push({ op: t.position ? 'replace' : 'add', path: `/tracks/${i}/position`, value: p });
    });
    const ids = [...this.#pending.keys()];
    this.#pending.clear();
    if (ops.length === 0) return;
    try {
      this.#session.edit(ops, undefined, null, `moved on the device (track ${ids.join(', ')})`);
    } catch (e) {
      this.#log(`device echo: track ${ids.join(', ')}: ${e.message}`);
    }
  }

  close() {
    clearTimeout(this.#timer);
    this.#timer = null;
  }
}

module.exports = { DeviceLink, echoPort, testOutput, encodeGet, decodeMessage, TEST_TIMEOUT_MS };
