'use strict';
// Fuzzing the server's surfaces through real sockets on 127.0.0.1: a few
// thousand random and mutated HTTP requests (methods, paths with % escapes,
// Host, Origin, cookies, lengths, bodies, upgrade attempts), WebSocket
// messages of wrong shapes, and raw WebSocket frames. Afterwards the server
// must be alive and answering correctly, the show unchanged unless a valid
// edit was accepted. Every HTTP answer is checked on the way: a well-formed
// status line, never a 5xx, never a 200 for a Host that is neither loopback
// nor presents the token, never a file outside the UI folder; every
// WebSocket request gets exactly one reply.
//
// Deterministic: the seed is printed; HOLOANIM_FUZZ_SEED=N replays it,
// HOLOANIM_FUZZ_SCALE=K multiplies the counts.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const { waitFor, startServer, openClient } = require('./helpers');
const { TYPES, parseMessage } = require('../server/protocol');

const SEED = Number(process.env.HOLOANIM_FUZZ_SEED || 20261206) >>> 0;
const SCALE = Math.max(0.01, Number(process.env.HOLOANIM_FUZZ_SCALE || 1));
const TOKEN = 'fuzz-token-0123456789';
const SECRET = 'not-for-the-web-7d1e';

/** mulberry32: a small deterministic generator. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    bytes: (n) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = Math.floor(next() * 256);
      return b;
    },
    ascii: (n, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-._~%/?#[]@!$&\'()*+,;=:') => {
      let s = '';
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      return s;
    },
  };
  return r;
}

const SEGMENTS = ['', 'health', 'ws', 'assets', 'index.html', 'app.js', '..', '.', '%2e%2e', '%2E%2e', '..%2f', '%2f', '%5c', '..\\',
  '%00', '%E0%A4%A', '%', '%%', '%zz', '%C0%AF', '%c0%ae%c0%ae', '%ff', '~', 'dist-old', 'secret.txt', '%2e%2e%2fdist-old%2fsecret.txt',
  '[', ']', '@', ':', '%20', ';', 'a?b', '#x', '%23', '%3F', '\u00e9'];

const PLAIN = ['', 'health', 'assets', 'app.js', 'index.html', 'ws', '..', '%2e%2e', 'dist-old', 'secret.txt', '%2f', 'x'];

// paths that try to leave the UI folder, for the sibling beside it and the file above it
const ESCAPES = ['/../dist-old/secret.txt', '/../secret.txt', '/../../secret.txt', '/..\\dist-old\\secret.txt', '/assets/../../dist-old/secret.txt'];

/** Percent-encode some characters of `p` (either hex case), keeping the rest. */
function escapeSome(r, p) {
  let out = '';
  for (const ch of p) {
    if (ch !== '?' && r.chance(0.4)) {
      const hex = ch.charCodeAt(0).toString(16).padStart(2, '0');
      out += `%${r.chance(0.5) ? hex : hex.toUpperCase()}`;
    } else out += ch;
  }
  return out[0] === '/' ? out : `/${out.slice(3)}`; // the leading "/" stays a slash
}

function randomPath(r) {
  const roll = r.next();
  if (roll < 0.08) return escapeSome(r, r.pick(ESCAPES));
  if (roll < 0.11) return r.pick(['*', 'http://evil.example/health', 'health', '', '//[', '//[/ws', '//a:b@[x]/']);
  let p = '';
  const n = 1 + r.int(4);
  const odd = r.chance(0.5); // half the paths with strange segments, half plain
  for (let i = 0; i < n; i++) {
    p += r.chance(0.1) ? '//' : '/';
    if (!odd) p += r.pick(PLAIN);
    else p += r.chance(0.8) ? r.pick(SEGMENTS) : r.ascii(1 + r.int(8));
  }
  if (r.chance(0.2)) p += `?${r.pick(['token=', `token=${TOKEN}`, `token=${TOKEN}x`, 'a=%', 'x=%E0%A4%A', r.ascii(6)])}`;
  // a few raw bytes the request line cannot carry
  if (r.chance(0.03)) p += r.pick(['\u0000', ' ', '\t', '\u007f', '\u00ff']);
  return p;
}

/** One random request: {text (Buffer), trusted (Host loopback with the port), withToken, single} */
function randomRequest(r, port, tokenServer) {
  const method = r.chance(0.85)
    ? r.pick(['GET', 'GET', 'GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE'])
    : r.pick(['CONNECT', 'BREW', 'get', 'G ET', '', r.ascii(1 + r.int(10), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')]);
  const p = randomPath(r);
  const version = r.chance(0.93) ? 'HTTP/1.1' : r.pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1x', '', 'HTTP/0.9']);
  const trustedHosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  const hostRoll = r.next();
  let host;
  let hosts = 1;
  if (hostRoll < 0.4) host = r.pick(trustedHosts);
  else if (hostRoll < 0.85) host = r.pick([`evil.example:${port}`, 'evil.example', `127.0.0.2:${port}`, `localhost:${port + 1}`, 'localhost', `LOCALHOST:${port}`, '[::1]', `0.0.0.0:${port}`, `localhost.:${port}`, 'a:b:c', '']);
  else if (hostRoll < 0.93) hosts = 0;
  else hosts = 2;
  const headers = [];
  if (hosts === 1) headers.push(['Host', host]);
  if (hosts === 2) headers.push(['Host', r.pick(trustedHosts)], ['Host', `evil.example:${port}`]);
  let withToken = p.includes(`token=${TOKEN}`) && !p.includes(`token=${TOKEN}x`);
  if (r.chance(0.2)) headers.push(['Origin', r.pick([`http://evil.example:${port}`, `http://127.0.0.1:${port}`, 'null', '%', 'http://[', ''])]);
  if (r.chance(0.1)) {
    const good = r.chance(0.5);
    headers.push(['Authorization', good ? `Bearer ${TOKEN}` : r.pick(['Bearer ', 'Basic eA==', `Bearer ${TOKEN}x`, `Bearer  ${TOKEN}`, r.ascii(10)])]);
    withToken = withToken || good;
  }
  if (r.chance(0.1)) {
    const good = r.chance(0.5);
    headers.push(['Cookie', good ? `holoanim_token_${port}=${TOKEN}` : r.pick([`holoanim_token_${port}=%E0`, 'holoanim_token_1=x', '=;=;', r.ascii(20)])]);
    withToken = withToken || good;
  }
  const upgrade = r.chance(0.1);
  if (upgrade) {
    headers.push(['Connection', 'Upgrade'], ['Upgrade', r.pick(['websocket', 'WebSocket', 'h2c', 'x'])]);
    if (r.chance(0.7)) headers.push(['Sec-WebSocket-Key', r.pick(['dGhlIHNhbXBsZSBub25jZQ==', '', r.ascii(24)])]);
    if (r.chance(0.7)) headers.push(['Sec-WebSocket-Version', r.pick(['13', '8', 'x'])]);
  }
  const closes = !upgrade && r.chance(0.9);
  if (closes) headers.push(['Connection', 'close']); // the server ends the exchange
  const body = r.chance(0.2) ? r.bytes(r.int(2000)) : Buffer.alloc(0);
  const lenRoll = r.next();
  let lies = false; // a body that does not match what the headers say: we end our side at once
  if (lenRoll < 0.6) {
    if (body.length > 0 || r.chance(0.3)) headers.push(['Content-Length', String(body.length)]);
    else if (body.length > 0) lies = true;
  } else if (lenRoll < 0.7) {
    headers.push(['Content-Length', r.pick(['-1', '99999999999', 'x', '1, 2', String(body.length + 5), '0'])]);
    lies = true;
  } else if (lenRoll < 0.75) {
    headers.push(['Transfer-Encoding', r.pick(['chunked', 'gzip', 'chunked, chunked'])]);
    lies = true;
  } else if (body.length > 0) lies = true;
  for (let i = r.int(3); i > 0; i--) headers.push([r.ascii(1 + r.int(12), 'abcdefghijklmnopqrstuvwxyz-'), r.ascii(r.int(40))]);
  if (r.chance(0.02)) headers.push(['X-Big', 'x'.repeat(20000 + r.int(70000))]);
  if (r.chance(0.03)) headers.push([r.pick(['Bad Header', 'X:Y', '']), 'v']);
  const lines = [`${method} ${p} ${version}`, ...headers.map(([k, v]) => `${k}: ${v}`)];
  const eol = r.chance(0.95) ? '\r\n' : '\n';
  const head = Buffer.from(`${lines.join(eol)}${eol}${eol}`, 'latin1');
  const tail = r.chance(0.05) ? head : Buffer.alloc(0); // sometimes a second request behind it
  return {
    text: Buffer.concat([head, body, tail]),
    trusted: hosts === 1 && trustedHosts.includes(host.toLowerCase()),
    withToken: tokenServer && withToken,
    single: tail.length === 0 && hosts === 1,
    // half-close at once, after the first answer, or wait for the server to close
    end: lies || version !== 'HTTP/1.1' || eol !== '\r\n' ? 'now' : closes ? 'server' : 'answer',
    describe: `${method} ${JSON.stringify(p)} Host ${hosts === 1 ? host : `(${hosts})`}`,
  };
}

/** Send a request, collect everything until the connection closes. A request
 * the server may wait on for more bytes is half-closed at once (an answer
 * that needs a file read may then be lost: the server sees the end first);
 * an upgrade after its answer; the rest carry `Connection: close`. A
 * connection still open after a generous minute is reported as hung. */
function exchange(port, req, failures) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks = [];
    const hung = setTimeout(() => {
      failures.push(`${req.describe}: no end after 60 s`);
      s.destroy();
    }, 60000);
    s.on('data', (d) => {
      chunks.push(d);
      if (req.end === 'answer') s.end();
    });
    s.on('error', () => {}); // a reset is an answer too
    s.on('close', () => {
      clearTimeout(hung);
      resolve(Buffer.concat(chunks));
    });
    if (req.end === 'now') s.end(req.text);
    else s.write(req.text);
  });
}

function checkAnswer(req, answer, failures) {
  if (answer.length === 0) return; // closed without a word (a malformed request)
  const text = answer.toString('latin1');
  const m = /^HTTP\/1\.[01] (\d{3}) /.exec(text);
  if (!m) {
    failures.push(`${req.describe}: not an HTTP answer: ${JSON.stringify(text.slice(0, 40))}`);
    return;
  }
  const status = Number(m[1]);
  if (status >= 500) failures.push(`${req.describe}: ${status}`);
  if (text.includes(SECRET)) failures.push(`${req.describe}: served the sibling folder`);
  if (req.single && !req.trusted && !req.withToken && (status < 300 || status === 101)) {
    failures.push(`${req.describe}: ${status} for an untrusted Host without the token`);
  }
}

/** A static folder with a sibling whose name starts the same. */
function uiFolder(t) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-web-fuzz-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'dist', 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', 'index.html'), '<!doctype html><title>ui</title>');
  fs.writeFileSync(path.join(root, 'dist', 'assets', 'app.js'), 'console.log("ui")');
  fs.mkdirSync(path.join(root, 'dist-old'));
  fs.writeFileSync(path.join(root, 'dist-old', 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(root, 'secret.txt'), SECRET);
  return path.join(root, 'dist');
}

async function serverStillRight(t, srv, before) {
  const health = await fetch(`http://127.0.0.1:${srv.port}/health${srv.token ? `?token=${TOKEN}` : ''}`);
  assert.equal(health.status, 200);
  assert.equal((await health.json()).ok, true);
  const index = await fetch(`http://127.0.0.1:${srv.port}/`);
  assert.equal(index.status, 200);
  assert.match(await index.text(), /<title>ui<\/title>/);
  const c = await openClient(t, srv, srv.token ? { token: TOKEN } : {});
  assert.equal((await c.call('ping')).now > 0, true);
  if (before) {
    assert.deepEqual(c.welcome.doc, before.doc, 'the show is unchanged');
    assert.equal(c.welcome.state.version, before.version);
  }
  return c;
}

test(`fuzz HTTP: random and mutated requests (seed ${SEED})`, async (t) => {
  t.diagnostic(`seed ${SEED} (HOLOANIM_FUZZ_SEED=${SEED} replays it)`);
  const r = rng(SEED);
  const ui = uiFolder(t);
  const plain = await startServer(t, { staticDir: ui });
  const tokened = await startServer(t, { staticDir: ui, token: TOKEN });
  tokened.token = TOKEN;
  const before = { doc: plain.session.doc, version: plain.session.version };
  const total = Math.round(2400 * SCALE);
  const failures = [];
  const statuses = new Map();
  for (let i = 0; i < total; i += 16) {
    const batch = [];
    for (let k = i; k < Math.min(total, i + 16); k++) {
      const srv = r.chance(0.5) ? plain : tokened;
      const req = randomRequest(r, srv.port, srv === tokened);
      batch.push(exchange(srv.port, req, failures).then((answer) => {
        checkAnswer(req, answer, failures);
        const s = /^HTTP\/1\.[01] (\d{3})/.exec(answer.toString('latin1'))?.[1] || 'closed';
        if (process.env.HOLOANIM_FUZZ_VERBOSE) t.diagnostic(`${s} ${JSON.stringify(req.text.toString("latin1").slice(0, 300))}`);
        statuses.set(s, (statuses.get(s) || 0) + 1);
      }));
    }
    await Promise.all(batch);
  }
  t.diagnostic(`${total} requests; answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  assert.deepEqual(failures.slice(0, 20), []);
  await serverStillRight(t, plain, before);
  await serverStillRight(t, tokened, null);
});

const DOC_TYPES = new Set(['edit', 'undo', 'redo', 'open', 'create', 'import', 'saveAs', 'openExample', 'capture']);
const VALUES = [0, 1, -1, 1.5, 1e308, -1e308, 2 ** 53, 5e-324, 'x', '', '%E0%A4%A', 'play', 'circle', 'pendulum', 'quartet', true, false, null,
  [], {}, [0, 0, 0], [1, 2], [1, 2, 3, 4], ['a', 'b', 'c'], [0, 0, '0'], [0, null, 0], 'abc', { length: 3 }, { 0: 1, 1: 2, 2: 3, length: 3 }, [1], { a: 1 }, { radius: -1 }, { duration: 'x' }, [[[[]]]], 'é\u0000\ud800', 'x'.repeat(3000)];
const POINTERS = ['', '/', '/name', '/tracks', '/tracks/0', '/tracks/0/name', '/tracks/-', '/tracks/99999', '/tracks/x', '/animations/0/parameters/radius',
  '/nope', '/x~2y', '/~1', 'tracks', '/groups/0/tracks/0', '/outputs', '/limits'];
const BAD_NAMES = ['', '../x', 'a/b', '.hidden', 'x'.repeat(70), 5, null, ' lead', 'a\u0000b'];

function randomOps(r) {
  if (r.chance(0.1)) return r.pick(VALUES);
  const ops = [];
  for (let i = r.int(4); i >= 0; i--) {
    const o = { op: r.pick(['add', 'remove', 'replace', 'replace', 'move', 'test', 7]), path: r.chance(0.95) ? r.pick(POINTERS) : r.pick(VALUES) };
    if (r.chance(0.85)) o.value = r.pick(VALUES);
    if (r.chance(0.05)) o.from = '/tracks/0';
    ops.push(o);
  }
  return ops;
}

/** A message of some known type, its fields drawn from wrong and right values alike. */
function mutatedMessage(r, id) {
  const type = r.chance(0.95) ? r.pick(Object.keys(TYPES)) : r.pick(['explode', '', 'constructor', '__proto__', 'toString', 5]);
  const m = { id, type };
  const schema = TYPES[type] || {};
  for (const [k, kind] of Object.entries(schema)) {
    if (r.chance(0.2)) continue;
    if (k === 'ops') m.ops = randomOps(r);
    else if (k === 'project') m.project = r.pick(BAD_NAMES); // never a valid name: nothing is created or opened
    else if (Array.isArray(kind) && r.chance(0.7)) m[k] = r.pick(kind);
    else if (k === 'text') m.text = r.pick(['', '<project/>', '{"x":', r.ascii(200)]);
    else m[k] = r.pick(VALUES);
  }
  if (type === 'ack' && r.chance(0.5)) m.seq = r.int(5); // acks with good sequence numbers too
  if (r.chance(0.05)) m[r.pick(['extra', '__proto__', 'constructor', 'id2'])] = r.pick(VALUES);
  if (r.chance(0.03)) m.id = r.pick([-1, 'x', 1.5, null, 2 ** 60]);
  return JSON.stringify(m);
}

function randomText(r, id) {
  const valid = mutatedMessage(r, id);
  switch (r.int(7)) {
    case 0: return valid.slice(0, r.int(valid.length)); // truncated
    case 1: return r.bytes(r.int(300)).toString('latin1');
    case 2: return JSON.stringify(r.pick(VALUES));
    case 3: return `${'['.repeat(1 + r.int(20000))}`;
    case 4: return `{"id": ${id}, "type": "ping", "x": ${'{"a":'.repeat(50)}1${'}'.repeat(50)}}`;
    case 5: return valid.replace(/"[a-z]+":/, '"type":'); // duplicate keys
    default: return `${valid} trailing`;
  }
}

/** What a text message must get: [id or null] replies (the server's own parser decides), or none. */
function expectedReply(text) {
  try {
    const m = parseMessage(text);
    return m.type === 'ack' ? undefined : m.id;
  } catch (e) {
    return e.id ?? null;
  }
}

test(`fuzz WebSocket messages: wrong shapes, wrong values, garbage (seed ${SEED})`, async (t) => {
  t.diagnostic(`seed ${SEED}`);
  const r = rng(SEED ^ 0x5eed);
  const srv = await startServer(t, { staticDir: uiFolder(t) });
  const before = { doc: srv.session.doc, version: srv.session.version };
  const clients = [await openClient(t, srv), await openClient(t, srv), await openClient(t, srv)];
  const total = Math.round(3000 * SCALE);
  const want = new Map(); // id → expected replies; null for the id-less ones
  const docIds = new Set();
  let nextId = 1000;
  const sent = clients.map(() => []);
  for (let i = 0; i < total; i++) {
    const ci = r.int(clients.length);
    const c = clients[ci];
    const id = nextId++;
    if (r.chance(0.04)) {
      c.ws.send(r.bytes(r.int(100)), { binary: true });
      want.set(null, (want.get(null) || 0) + 1);
      sent[ci].push(null);
      continue;
    }
    const text = r.chance(0.7) ? mutatedMessage(r, id) : randomText(r, id);
    const e = expectedReply(text);
    if (e === undefined) continue;
    want.set(e, (want.get(e) || 0) + 1);
    sent[ci].push(e);
    if (e !== null) {
      const m = JSON.parse(text);
      if (DOC_TYPES.has(m.type)) docIds.add(e);
    }
    c.raw(text);
  }
  // every request answered exactly once, on the connection it came by
  const got = (ci) => clients[ci].pushes.filter((m) => m.type === 'reply');
  await waitFor(() => clients.every((c, ci) => got(ci).length >= sent[ci].length),
    () => `all replies: ${clients.map((c, ci) => `${got(ci).length}/${sent[ci].length}`).join(', ')}`);
  let changed = 0;
  for (let ci = 0; ci < clients.length; ci++) {
    const replies = got(ci);
    assert.equal(replies.length, sent[ci].length, `client ${ci}: one reply per message`);
    const ids = replies.map((m) => m.id).sort();
    assert.deepEqual(ids, [...sent[ci]].sort(), `client ${ci}: the replies answer the messages sent`);
    for (const m of replies) {
      if (m.ok && docIds.has(m.id)) changed++;
      if (!m.ok) assert.ok(typeof m.error.code === 'string' && typeof m.error.message === 'string', JSON.stringify(m));
      if (!m.ok) assert.notEqual(m.error.code, 'EINTERNAL', `an unexpected exception: ${m.error.message}`);
    }
  }
  t.diagnostic(`${total} messages; ${changed} document changes accepted`);
  // the server answers, and the show is as it was unless an edit was accepted
  const c = await serverStillRight(t, srv, changed === 0 ? before : null);
  assert.deepEqual(c.welcome.doc, srv.session.doc, 'a new client sees the server\'s show');
  const v = srv.session.version;
  const name = `after fuzz ${SEED}`;
  assert.equal((await c.call('edit', { base: v, ops: [{ op: 'replace', path: '/name', value: name }] })).version, v + 1);
  assert.equal(srv.session.doc.name, name);
});

/** A WebSocket frame with any header bits, length encoding and masking. */
function randomFrame(r) {
  if (r.chance(0.15)) return r.bytes(1 + r.int(64));
  const fin = r.chance(0.8) ? 0x80 : 0;
  const rsv = r.chance(0.1) ? r.pick([0x40, 0x20, 0x10]) : 0;
  const opcode = r.chance(0.8) ? r.pick([0, 1, 1, 1, 2, 8, 9, 10]) : r.int(16);
  let payload;
  if (opcode === 1 && r.chance(0.6)) payload = Buffer.from(mutatedMessage(r, r.int(1000)));
  else if (opcode === 8 && r.chance(0.5)) payload = Buffer.concat([Buffer.from([r.int(256), r.int(256)]), r.bytes(r.int(10))]);
  else payload = r.bytes(r.chance(0.05) ? 126 + r.int(400) : r.int(40));
  const masked = r.chance(0.9);
  const lenRoll = r.next();
  let head;
  if (lenRoll < 0.85) {
    const n = payload.length;
    if (n < 126) head = Buffer.from([fin | rsv | opcode, (masked ? 0x80 : 0) | n]);
    else {
      head = Buffer.from([fin | rsv | opcode, (masked ? 0x80 : 0) | 126, 0, 0]);
      head.writeUInt16BE(n, 2);
    }
  } else {
    // a 64-bit length that lies (huge, or larger than what follows)
    head = Buffer.alloc(10);
    head[0] = fin | rsv | opcode;
    head[1] = (masked ? 0x80 : 0) | 127;
    head.writeUInt32BE(r.pick([0, 1, 0x7fffffff, 0xffffffff]), 2);
    head.writeUInt32BE(r.int(2 ** 32), 6);
  }
  if (!masked) return Buffer.concat([head, payload]);
  const key = r.bytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i % 4];
  return Buffer.concat([head, key, body]);
}

test(`fuzz raw WebSocket frames (seed ${SEED})`, async (t) => {
  t.diagnostic(`seed ${SEED}`);
  const r = rng(SEED ^ 0xf4a3e);
  const srv = await startServer(t, { staticDir: uiFolder(t) });
  const before = { doc: srv.session.doc, version: srv.session.version };
  const conns = Math.round(300 * SCALE);
  let upgraded = 0;
  for (let i = 0; i < conns; i += 10) {
    const batch = [];
    for (let k = i; k < Math.min(conns, i + 10); k++) {
      const frames = [];
      for (let n = 1 + r.int(8); n > 0; n--) frames.push(randomFrame(r));
      const handshake = Buffer.from(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n`
        + 'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
      batch.push(new Promise((resolve) => {
        const s = net.connect(srv.port, '127.0.0.1');
        let head = '';
        let wrote = false;
        s.on('data', (d) => {
          if (wrote) return;
          head += d.toString('latin1');
          if (!head.includes('\r\n\r\n')) return;
          wrote = true;
          if (head.startsWith('HTTP/1.1 101')) upgraded++;
          s.end(Buffer.concat(frames));
        });
        s.on('error', () => {});
        s.on('close', resolve);
        s.write(handshake);
      }));
    }
    await Promise.all(batch);
  }
  t.diagnostic(`${conns} connections, ${upgraded} upgraded`);
  assert.equal(upgraded, conns, 'every handshake was accepted');
  // frames carrying valid messages could only have asked for nothing that edits (no valid project names, random ops)
  await waitFor(() => srv.clients.size === 0, () => `connections closed: ${srv.clients.size} open`);
  const c = await serverStillRight(t, srv, null);
  assert.ok(c.welcome.state.version >= before.version);
});
