'use strict';
// The server's defences, through real sockets: the Host rule against DNS
// rebinding (HTTP, /health, static files, the WebSocket upgrade), the token
// by query, header and cookie, URLs that do not parse, the message size
// limit, and imports off the event loop.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const WebSocket = require('ws');
const { h, ROOT, waitFor, startServer, openClient } = require('./helpers');
const { MAX_MESSAGE_BYTES } = require('../server/app');
const { parseHostHeader } = require('../server/access');
const { Session } = require('../server/session');

const TOKEN = 'a-long-enough-secret';
const HPX = path.join(ROOT, 'tests', 'conformance', 'hpx', 'v23-01-linear.hpx');

/** One HTTP request exactly as given (path and headers not normalised). */
function request(port, p, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket handshake: resolves 'open' (and closes) or the refusal's HTTP status. */
function handshake(port, p, headers = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${p}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (req, res) => {
      resolve(res.statusCode);
      req.destroy();
    });
    ws.once('error', reject);
  });
}

/** A static folder with an asset, so static files other than index.html are checked too. */
function staticDir(t) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-web-sec-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'dist', 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', 'index.html'), '<!doctype html><title>ui</title>');
  fs.writeFileSync(path.join(root, 'dist', 'assets', 'app.js'), 'console.log("ui")');
  return path.join(root, 'dist');
}

test('Host header parsing', () => {
  assert.deepEqual(parseHostHeader('localhost:8080'), { name: 'localhost', port: 8080 });
  assert.deepEqual(parseHostHeader('[::1]:9'), { name: '[::1]', port: 9 });
  assert.deepEqual(parseHostHeader('Studio.LAN'), { name: 'studio.lan', port: 80 });
  for (const bad of [undefined, '', 'a:b:c', 'x:99999', 'a b', 'user@host:1', '[zz]:1', 'h/x:1']) {
    assert.equal(parseHostHeader(bad), null, String(bad));
  }
});

test('DNS rebinding: without a token only loopback Hosts with the server\'s port are answered (UI, /health, WebSocket)', async (t) => {
  const srv = await startServer(t, { staticDir: staticDir(t) });
  const port = srv.port;
  // what a rebound page sends: its own name as Host (and Origin)
  for (const host of [`evil.example:${port}`, 'evil.example', `localhost.evil.example:${port}`, `127.0.0.2:${port}`, `localhost:${port + 1}`, 'a:b:c']) {
    for (const p of ['/', '/health', '/assets/app.js', '/nonexistent']) {
      const r = await request(port, p, { Host: host });
      assert.equal(r.status, 403, `${host} ${p}`);
      assert.doesNotMatch(r.body, /quartet|<title>|console\.log/, `${host} ${p}: nothing leaks`);
    }
    assert.equal(await handshake(port, '/ws', { Host: host, Origin: `http://${host}` }), 403, `WebSocket from ${host}`);
    assert.equal(await handshake(port, '/ws', { Host: host }), 403, `WebSocket from ${host} without an Origin`);
  }
  // a token means nothing to a server that has none
  assert.equal((await request(port, `/health?token=${TOKEN}`, { Host: `evil.example:${port}` })).status, 403);
  // the loopback names, with the port
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
    assert.equal((await request(port, '/', { Host: host })).status, 200, host);
    const health = await request(port, '/health', { Host: host });
    assert.equal(health.status, 200, host);
    assert.equal(JSON.parse(health.body).project, 'quartet');
    assert.equal((await request(port, '/assets/app.js', { Host: host })).status, 200, host);
    assert.equal(await handshake(port, '/ws', { Host: host, Origin: `http://${host}` }), 'open', host);
  }
  // the refused requests did not disturb anything
  const c = await openClient(t, srv);
  assert.equal((await c.call('ping')).now > 0, true);
});

test('DNS rebinding with a token: another Host needs the token (query, Bearer header or the cookie a page load sets)', async (t) => {
  const srv = await startServer(t, { staticDir: staticDir(t), token: TOKEN });
  const port = srv.port;
  const evil = `evil.example:${port}`;
  for (const p of ['/', '/health', '/assets/app.js']) {
    assert.equal((await request(port, p, { Host: evil })).status, 403, p);
    assert.equal((await request(port, `${p}?token=${TOKEN}x`, { Host: evil })).status, 403, `${p} wrong token`);
    assert.equal((await request(port, p, { Host: evil, Authorization: `Bearer ${TOKEN}` })).status, 200, `${p} Bearer`);
  }
  assert.equal(await handshake(port, '/ws', { Host: evil, Origin: `http://${evil}` }), 403);
  assert.equal(await handshake(port, `/ws?token=${TOKEN}`, { Host: evil, Origin: `http://${evil}` }), 'open');
  // a page loaded with ?token= gets a cookie that loads the rest of the UI
  const page = await request(port, `/?token=${TOKEN}`, { Host: evil });
  assert.equal(page.status, 200);
  const cookie = page.headers['set-cookie'][0];
  assert.match(cookie, new RegExp(`^holoanim_token_${port}=`));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const jar = cookie.split(';')[0];
  const asset = await request(port, '/assets/app.js', { Host: evil, Cookie: jar });
  assert.equal(asset.status, 200);
  assert.match(asset.body, /console\.log/);
  assert.equal(await handshake(port, '/ws', { Host: evil, Cookie: jar }), 'open');
  assert.equal((await request(port, '/health', { Host: evil, Cookie: `holoanim_token_${port}=nope` })).status, 403);
  // loopback: the UI and /health without it, the WebSocket always with it
  assert.equal((await request(port, '/health', { Host: `127.0.0.1:${port}` })).status, 200);
  assert.equal(await handshake(port, '/ws', { Host: `127.0.0.1:${port}` }), 401);
  assert.equal(await handshake(port, `/ws?token=${TOKEN}`, { Host: `127.0.0.1:${port}` }), 'open');
});

test('configured Host names (allowedHosts) are trusted like localhost; others are not', async (t) => {
  const srv = await startServer(t, { allowedHosts: ['Studio.lan', '192.168.1.20', 'fd00::5'] });
  const port = srv.port;
  for (const host of ['studio.lan:8443', 'studio.lan', `192.168.1.20:${port}`, `[fd00::5]:${port}`]) {
    assert.equal((await request(port, '/health', { Host: host })).status, 200, host);
    assert.equal(await handshake(port, '/ws', { Host: host, Origin: `http://${host}` }), 'open', host);
  }
  for (const host of [`studio.lan.evil.example:${port}`, `192.168.1.21:${port}`]) {
    assert.equal((await request(port, '/health', { Host: host })).status, 403, host);
  }
  await assert.rejects(startServer(null, { projectsDir: srv.projectsDir, allowedHosts: ['studio.lan:80'] }), /without a port/);
});

test('URLs that do not parse are a 400, on HTTP and on the upgrade; the server serves on', async (t) => {
  const srv = await startServer(t, { staticDir: staticDir(t) });
  const port = srv.port;
  // "%E0%A4%A" throws in decodeURIComponent: a 400
  for (const p of ['/%E0%A4%A', '/%', '/a%00b']) {
    assert.equal((await request(port, p)).status, 400, p);
    assert.equal(await handshake(port, p), 404, `upgrade ${p}`);
  }
  // "//[" threw in new URL(req.url, base) (an authority "[" that is no host):
  // now a path like any other (the UI), and no WebSocket there
  for (const p of ['//[', '//[/health', '//a:b@[x]/ws']) {
    const r = await request(port, p);
    assert.equal(r.status, 200, p);
    assert.match(r.body, /<title>ui<\/title>/, p);
    assert.equal(await handshake(port, p), 404, `upgrade ${p}`);
  }
  // not a path at all (asterisk form)
  assert.equal((await request(port, '*', {}, 'OPTIONS')).status, 400);
  assert.equal((await request(port, '/health')).status, 200);
  const c = await openClient(t, srv);
  assert.equal((await c.call('ping')).now > 0, true);
});

test('messages over the size limit (4 MiB by default) close that connection only', async (t) => {
  const FOUR_MIB = 4 * 1024 * 1024;
  /** Send one message: {closed: code} when the server closes the connection, else {reply: message}. */
  const outcome = (c, fields) => Promise.race([
    new Promise((resolve) => c.ws.once('close', (code) => resolve({ closed: code }))),
    c.call('ping', fields).then(() => ({ reply: 'ok' }), (e) => ({ reply: e.message })),
  ]);
  const srv = await startServer(t);
  const big = await openClient(t, srv);
  assert.deepEqual(await outcome(big, { pad: 'x'.repeat(FOUR_MIB) }), { closed: 1009 }, 'closed: message too big');
  const other = await openClient(t, srv);
  assert.equal((await other.call('ping')).now > 0, true);
  assert.deepEqual(await outcome(other, { pad: 'x'.repeat(FOUR_MIB - 1000) }), { reply: 'ping: unknown field "pad"' }, 'just under the limit: read');
  assert.equal(MAX_MESSAGE_BYTES, FOUR_MIB);
  // a smaller limit, as configured
  const small = await startServer(t, { maxMessageBytes: 4096 });
  const c = await openClient(t, small);
  assert.deepEqual(await outcome(c, { pad: 'x'.repeat(3000) }), { reply: 'ping: unknown field "pad"' });
  assert.deepEqual(await outcome(c, { pad: 'x'.repeat(5000) }), { closed: 1009 });
  await assert.rejects(startServer(null, { projectsDir: srv.projectsDir, maxMessageBytes: 10 }), /at least 1024/);
});

test('an import runs off the event loop: other requests are answered while it works; a third waiting one is refused', async (t) => {
  const gate = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-web-gate-')), 'open');
  process.env.HOLOANIM_TEST_IMPORT_GATE = gate;
  t.after(() => {
    delete process.env.HOLOANIM_TEST_IMPORT_GATE;
    fs.rmSync(path.dirname(gate), { recursive: true, force: true });
  });
  const srv = await startServer(t, { importWorker: path.join(__dirname, 'fixtures', 'gated-import-worker.js') });
  const c = await openClient(t, srv);
  const text = fs.readFileSync(HPX, 'utf8');
  let imported = null;
  const first = c.call('import', { project: 'imported', text }).then((r) => { imported = r; return r; });
  // the import is held in its worker; the server answers meanwhile
  assert.equal((await c.call('ping')).now > 0, true);
  assert.equal(imported, null, 'the import has not answered before the ping');
  assert.equal((await c.call('edit', { ops: [{ op: 'replace', path: '/tracks/0/name', value: 'during import' }] })).version, 2);
  // two may wait behind it; a third is refused at once
  const second = c.call('import', { project: 'imported2', text });
  const third = c.call('import', { project: 'imported3', text });
  await assert.rejects(c.call('import', { project: 'imported4', text }), (e) => e.code === 'EBUSY');
  assert.equal(imported, null);
  fs.writeFileSync(gate, '');
  // the server's thread busy while the worker converts, answers and ends (a
  // loaded machine): its answer and its end are then read together
  const worker = Date.now() + 1500;
  while (Date.now() < worker);
  const r = await first;
  assert.ok(Array.isArray(r.warnings) && r.warnings.length > 0, 'the importer\'s warnings come back');
  assert.match(r.warnings[0].text, /imported\.hpx:\d+:\d+: warning/);
  await second;
  await third;
  assert.equal(srv.session.project, 'imported3');
  for (const name of ['imported', 'imported2', 'imported3']) assert.ok(fs.existsSync(path.join(srv.projectsDir, `${name}.json`)), name);
  assert.ok(!fs.existsSync(path.join(srv.projectsDir, 'imported4.json')));
});

test('an import that does not end is stopped at its deadline; the next one runs', async (t) => {
  const gate = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-web-gate-')), 'open');
  process.env.HOLOANIM_TEST_IMPORT_GATE = gate; // never opened while the first import waits
  t.after(() => {
    delete process.env.HOLOANIM_TEST_IMPORT_GATE;
    fs.rmSync(path.dirname(gate), { recursive: true, force: true });
  });
  const srv = await startServer(t, { importWorker: path.join(__dirname, 'fixtures', 'gated-import-worker.js'), importTimeoutMs: 300 });
  const c = await openClient(t, srv);
  const text = fs.readFileSync(HPX, 'utf8');
  await assert.rejects(c.call('import', { project: 'stuck', text }), (e) => e.code === 'ETIMEDOUT');
  assert.deepEqual(fs.readdirSync(srv.projectsDir).filter((f) => f.includes('stuck')), [], 'no file left behind');
  fs.writeFileSync(gate, '');
  // The next import gets a deadline no loaded machine reaches: it must run, however slowly.
  srv.session.setImportTimeout(120000);
  assert.ok(Array.isArray((await c.call('import', { project: 'next', text })).warnings));
  assert.equal(srv.session.project, 'next');
});

test('an import that fails in its worker: the core\'s error, code and position, nothing created', async (t) => {
  const srv = await startServer(t);
  const c = await openClient(t, srv);
  await assert.rejects(c.call('import', { project: 'broken', text: '<project><animations>' }), (e) => {
    assert.equal(typeof e.code, 'string');
    assert.notEqual(e.code, 'EINTERNAL');
    assert.match(e.message, /broken\.hpx/);
    return true;
  });
  await assert.rejects(c.call('import', { project: 'quartet', text: 'x' }), (e) => e.code === 'EEXIST');
  assert.ok(!fs.existsSync(path.join(srv.projectsDir, 'broken.json')));
  assert.equal(srv.session.project, 'quartet');
  await waitFor(() => (c.call('ping').then((p) => p.now > 0)), 'the server answers');
});

test('project files: a symbolic link is neither listed nor opened; a file that is not JSON shows no bytes', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-web-links-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'root:SECRETHASH:19000:0:99999:7:::\n');
  fs.symlinkSync('secret.txt', path.join(dir, 'evil.json'));
  fs.writeFileSync(path.join(dir, 'bad.json'), 'root:SECRETHASH:19000:0:99999:7:::\n');
  const s = new Session(h, { projectsDir: dir, autosaveMs: 0 });
  assert.deepEqual(s.list().map((p) => p.name), ['bad']);
  const failure = (name) => {
    try {
      s.open(name);
    } catch (e) {
      return `${e.code} ${e.message} ${JSON.stringify(e.diagnostics)}`;
    }
    return assert.fail(`${name} opened`);
  };
  const evil = failure('evil');
  assert.match(evil, /^EIO .*evil\.json: cannot read: a symbolic link, not followed here/);
  assert.doesNotMatch(evil, /root|SECRET/);
  const bad = failure('bad');
  assert.match(bad, /^EPARSE .*bad\.json:1:\d+: not valid JSON/);
  assert.doesNotMatch(bad, /root|SECRET/);
});

test('import temporaries left by a killed server go when the next one starts; others stay', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-web-temps-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // a pid that is surely gone: a child that has exited
  const gone = require('node:child_process').spawnSync(process.execPath, ['-e', '']).pid;
  const stale = `.a.json.import-${gone}-1`;
  const live = `.b.json.import-${process.pid}-3`;
  const others = ['c.json', `.c.json.import-${gone}`, `c.json.import-${gone}-1`];
  for (const f of [stale, live, ...others]) fs.writeFileSync(path.join(dir, f), '{}');
  new Session(h, { projectsDir: dir, autosaveMs: 0 });
  assert.deepEqual(fs.readdirSync(dir).sort(), [live, ...others].sort());
});
