'use strict';
// The web server: serves the built UI and the WebSocket API (protocol.js),
// owns the show (session.js) and the player (runtime.js).
//
// Security: it listens on 127.0.0.1 unless told otherwise; another address
// needs a token, which every WebSocket connection must then present
// (?token=...). Every request, HTTP or WebSocket, must carry a loopback Host
// (with this server's port) or a configured one, or else the token
// (access.js: DNS rebinding). A WebSocket whose Origin is not this server's
// own host is refused, so a web page elsewhere cannot drive the show through
// a browser on this machine. A URL that does not parse is a 400, never an
// exception. Messages are limited to `maxMessageBytes` (4 MiB by default);
// an .hpx import runs in a worker thread (session.js), not on the event loop.
//
// Live positions: the player's poller hands a frame to the server at the
// display rate; it is encoded once and sent to each subscribed client that
// has acknowledged all but at most one of the frames it was sent and whose
// socket is not backed up. A slow client gets fewer frames; nobody waits,
// and the player never does (its tick runs on its own thread).

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { WebSocketServer } = require('ws');
const { Session } = require('./session');
const { Runtime } = require('./runtime');
const { requestHandler } = require('./requests');
const { Recorder } = require('./record');
const { parseMessage, encodeFrame } = require('./protocol');
const { Access } = require('./access');
const { Devices } = require('./device');
const { DeviceLink } = require('./devicelink');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const MAX_IN_FLIGHT = 2; // frames sent but not acknowledged, per client
const MAX_BUFFERED = 256 * 1024; // bytes queued on a socket before we skip frames
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024; // a WebSocket message, by default (an .hpx import is the largest)

function isLoopback(host) {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function errorReply(e) {
  const err = { code: e.code || 'EINTERNAL', message: e.message };
  for (const k of ['parameter', 'value', 'min', 'max', 'reason', 'fields', 'line', 'column']) {
    if (e[k] !== undefined) err[k] = e[k];
  }
  if (Array.isArray(e.diagnostics)) {
    err.diagnostics = e.diagnostics.map((d) => ({ severity: d.severity, path: d.path, message: d.message, text: d.text, line: d.line, column: d.column }));
  }
  return err;
}

/** The listening host and token; a non-loopback host needs a token of 12+ characters. */
function listenAddress(opts) {
  const host = opts.host || '127.0.0.1';
  const token = opts.token || null;
  if (!isLoopback(host) && !token) {
    throw new Error(`listening on ${host} needs a token (--token or HOLOANIM_WEB_TOKEN): anyone who can reach it could drive the show`);
  }
  if (token !== null && token.length < 12) throw new Error('the token must be at least 12 characters');
  return { host, token };
}

/** What a new client is told of the show and the player (part of its welcome). */
function sessionState(session, runtime) {
  return {
    projects: session.list(),
    examples: session.examples(),
    projectsDir: session.dir,
    doc: session.doc,
    state: session.state(),
    settings: session.settings,
    transport: runtime.transport(),
    paths: runtime.paths(),
  };
}

/** Send a live-positions frame to each subscribed client that has acknowledged
 * all but at most MAX_IN_FLIGHT of its frames and whose socket is not backed
 * up; encoded once, only when somebody takes it. */
function fanOutFrame(clients, f, frames) {
  if (clients.size === 0) return;
  let buf = null;
  for (const c of clients) {
    if (!c.frames || c.ws.readyState !== 1) continue;
    if (c.sent - c.acked >= MAX_IN_FLIGHT || c.ws.bufferedAmount > MAX_BUFFERED) {
      c.skipped++;
      continue;
    }
    if (buf === null) buf = encodeFrame(++frames.seq, f);
    c.ws.send(buf, { binary: true });
    c.sent = frames.seq;
    c.framesSent++;
  }
}

/** GET/HEAD of the built UI in `staticDir` (index.html for any unknown path).
 * A path that does not decode is a 400, never an exception in the server
 * (which would take the player down with it); a path that leaves staticDir,
 * even into a sibling folder whose name starts the same, is a 403. */
function staticHandler(staticDir, access) {
  return (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (!staticDir) {
      res.writeHead(404).end('no UI built');
      return;
    }
    let wanted;
    try {
      wanted = decodeURIComponent(url.pathname);
    } catch {
      wanted = null;
    }
    if (wanted === null || wanted.includes('\0')) {
      res.writeHead(400).end('bad URL');
      return;
    }
    let file = path.normalize(path.join(staticDir, wanted));
    if (file !== staticDir && !file.startsWith(staticDir + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(staticDir, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404).end('the UI is not built: run `npm run build` in web/');
        return;
      }
      const ext = path.extname(file);
      const cookie = access.cookieFor(req, url);
      if (cookie) res.setHeader('set-cookie', cookie);
      res.writeHead(200, {
        'content-type': MIME[ext] || 'application/octet-stream',
        'cache-control': ext === '.html' ? 'no-cache' : 'max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  };
}

/** The request's URL (path and query only), or null when it does not parse:
 * never an exception (`new URL('//[', base)` throws). */
function requestUrl(req) {
  if (typeof req.url !== 'string' || req.url[0] !== '/') return null;
  try {
    return new URL(`http://x${req.url}`);
  } catch {
    return null;
  }
}

/** Why a WebSocket upgrade is refused ("403 Forbidden"), or null to accept it:
 * only /ws, only from this server's own origin, only from a trusted Host or
 * with the token, always with the token when one is set. */
function upgradeRefusal(req, access) {
  const url = requestUrl(req);
  if (url === null) return '400 Bad Request';
  if (url.pathname !== '/ws') return '404 Not Found';
  const origin = req.headers.origin;
  if (origin) {
    let oh = null;
    try {
      oh = new URL(origin).host;
    } catch {
      oh = null;
    }
    if (oh !== String(req.headers.host).toLowerCase()) return '403 Forbidden';
  }
  const refused = access.check(req, url, { upgrade: true });
  if (refused) return refused.status === 401 ? '401 Unauthorized' : '403 Forbidden';
  return null;
}

/* Once a second while anyone is connected: the player's figures and each
 * client's frame counts. */
function statsEverySecond(clients, runtime, broadcast) {
  const timer = setInterval(() => {
    if (clients.size === 0) return;
    broadcast({
      type: 'stats',
      stats: runtime.stats(),
      clients: [...clients].map((c) => ({ id: c.id, framesSent: c.framesSent, framesSkipped: c.skipped })),
    });
  }, 1000);
  timer.unref();
  return timer;
}

/* The HTTP side: a URL that does not parse is a 400, the access rule
 * (Host, token) applies to everything, /health answers GET and HEAD with
 * health(), the rest is the built UI. */
function httpHandler(access, serveStatic, health) {
  return (req, res) => {
    const url = requestUrl(req);
    if (url === null) {
      res.writeHead(400).end('bad URL');
      return;
    }
    const refused = access.check(req, url);
    if (refused) {
      res.writeHead(refused.status, { 'content-type': 'text/plain; charset=utf-8' }).end(refused.message);
      return;
    }
    if (url.pathname === '/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(health()));
      return;
    }
    serveStatic(req, res, url);
  };
}

/** The show a starting server opens: the one asked for, else the one opened
 * last in the folder, else the demo, else the newest, else a new one. */
function openFirst(session, opts, devices) {
  const projects = session.list();
  const last = session.lastOpened();
  if (opts.open) session.open(opts.open);
  else if (last) session.open(last);
  else if (opts.demo) session.open(opts.demo);
  else if (projects.length > 0) session.open(projects[0].name);
  else session.create('untitled', 'Untitled show', devices.outputsFor(undefined));
}

/**
 * Start a server. Options:
 *   h            the holoanim addon (required)
 *   projectsDir  the folder of shows (required)
 *   open         project to open (default: the one opened last in projectsDir, else
 *                `demo`, else the newest, else a new "untitled")
 *   demo         the demo's project name (opened when nothing was opened before)
 *   host, port   listening address (127.0.0.1, 8080; port 0 = any free)
 *   token        required from every client when set; required for non-loopback hosts
 *   allowedHosts Host names trusted like localhost (names whose DNS you control)
 *   maxMessageBytes  the largest WebSocket message (default 4 MiB)
 *   addonPath    where the addon is, for the import worker (default bindings/node)
 *   importWorker, importTimeoutMs  the import worker's script and deadline (tests)
 *   staticDir    the built UI (web/dist)
 *   cli          the holoanim command (for discover)
 *   playerOptions  extra Player options (e.g. {sync: true}: follow a DAW's
 *                clock sent to the control port)
 *   device       HOST:PORT of the simulated device new shows are offered (web/start.sh's
 *                devsim); without it, choosing it starts one in this server
 *   devsimHost   the address that built-in device listens on (127.0.0.1, or ::1)
 *   echoPort     where device echoes arrive when neither `control` nor the show
 *                names a port (0: a free port; devicelink.js)
 *   control      an OSC control port for cues {port, bind, allow, allowLoopback}
 *                (Player.openControl): a cue's `osc` address fires it; every
 *                fired cue reaches the clients as an event {type: 'cue',
 *                cue, name, source: 'ui' | 'osc HOST:PORT' | 'control /holoanim/cue/go'}
 *   autosaveMs, frameRate, tickRate, log
 * Resolves with {url, port, session, runtime, clients, close()}.
 */
async function createServer(opts) {
  const h = opts.h;
  const { host, token } = listenAddress(opts);
  const access = new Access({ token, allowedHosts: opts.allowedHosts || [] });
  const maxMessageBytes = opts.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes < 1024) throw new Error('maxMessageBytes: a whole number of bytes, at least 1024');
  const log = opts.log || (() => {});
  const staticDir = opts.staticDir ? path.resolve(opts.staticDir) : null;
  const session = new Session(h, {
    projectsDir: opts.projectsDir,
    autosaveMs: opts.autosaveMs,
    addonPath: opts.addonPath,
    importWorker: opts.importWorker,
    importTimeoutMs: opts.importTimeoutMs,
    examplesDir: opts.examplesDir,
  });
  const runtime = new Runtime(h, { frameRate: opts.frameRate || 60, tickRate: opts.tickRate || 100, control: opts.control || null, echoPort: opts.echoPort || 0, playerOptions: opts.playerOptions });
  const devices = new Devices(h, opts.device || null, opts.devsimHost || '127.0.0.1');
  const link = new DeviceLink({ session, runtime, devices, log });
  const registry = h.listModels();
  const clients = new Set();
  let closed = false;
  let nextClient = 1;
  const frames = { seq: 0 }; // the last frame number encoded

  const send = (c, msg) => {
    if (c.ws.readyState === 1) c.ws.send(JSON.stringify(msg));
  };
  const broadcast = (msg) => {
    const text = JSON.stringify(msg);
    for (const c of clients) if (c.ws.readyState === 1) c.ws.send(text);
  };

  // ---- document ↔ player ----
  session.on('open', (doc) => runtime.load(doc));
  session.on('change', ({ doc, by, label, state }) => {
    if (label !== 'open' && label !== 'save as') {
      try {
        runtime.update(doc);
      } catch (e) {
        log(`runtime: ${e.message}`);
        broadcast({ type: 'event', event: { type: 'error', message: `player: ${e.message}` } });
      }
    }
    broadcast({ type: 'show', doc, state, by, label });
  });
  session.on('saved', (state) => broadcast({ type: 'saved', state }));
  session.on('notice', (m) => log(m));
  session.on('settings', (settings) => broadcast({ type: 'settings', settings }));
  runtime.on('transport', (t) => broadcast({ type: 'transport', transport: t }));
  runtime.on('paths', (items) => broadcast({ type: 'paths', items }));
  runtime.on('event', (e) => broadcast({ type: 'event', event: e }));
  runtime.on('warning', (w) => log(w));
  runtime.on('frame', (f) => fanOutFrame(clients, f, frames));

  // open a project
  openFirst(session, opts, devices);

  const statsTimer = statsEverySecond(clients, runtime, broadcast);

  // ---- requests ----
  const recorder = new Recorder();
  const handle = requestHandler({ h, session, runtime, cli: opts.cli, devices, recorder });

  async function onMessage(c, data, isBinary) {
    let m;
    try {
      if (isBinary) throw Object.assign(new Error('binary messages are not accepted'), { code: 'EBADMSG' });
      m = parseMessage(data.toString('utf8'));
    } catch (e) {
      send(c, { type: 'reply', id: e.id ?? null, ok: false, error: errorReply(e) });
      return;
    }
    if (m.type === 'ack') {
      if (m.seq <= c.sent && m.seq > c.acked) c.acked = m.seq;
      return;
    }
    try {
      const result = await handle(c, m);
      if (m.id !== undefined) send(c, { type: 'reply', id: m.id, ok: true, result });
    } catch (e) {
      if (!e.code || e.code === 'EINTERNAL') log(`${m.type}: ${e.stack || e.message}`);
      send(c, { type: 'reply', id: m.id ?? null, ok: false, error: errorReply(e) });
    }
  }

  // ---- HTTP ----
  const serveStatic = staticHandler(staticDir, access);
  const server = http.createServer(httpHandler(access, serveStatic, () => ({ ok: true, project: session.project, clients: clients.size })));

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  server.on('upgrade', (req, socket, head) => {
    if (closed) {
      socket.destroy();
      return;
    }
    const refusal = upgradeRefusal(req, access);
    if (refusal) {
      socket.write(`HTTP/1.1 ${refusal}\r\nConnection: close\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws) => {
    const c = { id: nextClient++, ws, frames: true, sent: 0, acked: 0, framesSent: 0, skipped: 0 };
    c.sent = frames.seq;
    c.acked = frames.seq;
    clients.add(c);
    ws.on('message', (data, isBinary) => onMessage(c, data, isBinary));
    ws.on('close', () => {
      clients.delete(c);
      broadcast({ type: 'presence', clients: clients.size });
    });
    ws.on('error', () => {});
    send(c, { type: 'welcome', clientId: c.id, registry, libraryVersion: h.libraryVersion, device: devices.info(), ...sessionState(session, runtime) });
    broadcast({ type: 'presence', clients: clients.size });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8080, host, resolve);
  });
  const port = server.address().port;
  access.port = port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/${token ? `?token=${encodeURIComponent(token)}` : ''}`;

  async function close() {
    if (closed) return;
    closed = true;
    clearInterval(statsTimer);
    for (const c of clients) c.ws.terminate();
    wss.close();
    // browsers keep connections open (and reconnect): end them all now
    const done = new Promise((r) => server.close(r));
    server.closeAllConnections();
    await done;
    session.close();
    link.close();
    runtime.close();
    devices.close();
  }

  return { url, port, session, runtime, recorder, clients, close, devsim: () => devices.sim() };
}

module.exports = { createServer, isLoopback, MAX_MESSAGE_BYTES };
