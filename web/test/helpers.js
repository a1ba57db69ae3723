'use strict';
// Shared by the web tests: the addon, a server on a temporary projects
// folder, a small WebSocket client, and a browser test's start (Chromium on
// a server with an empty projects folder and a simulated device).

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const WebSocket = require('ws');
const { createServer } = require('../server/app');
const { decodeFrame } = require('../server/protocol');

const WEB = path.resolve(__dirname, '..');
const ROOT = path.resolve(WEB, '..');
const h = require(path.join(ROOT, 'bindings', 'node'));
const QUARTET = path.join(ROOT, 'examples', 'orbiting-quartet.json');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Wait until cond() (may be async) is truthy; returns its value. `what` (a
 * string, or a function giving one when the wait fails) says what was
 * awaited. The deadline is generous: it only ends a test that is stuck.
 */
async function waitFor(cond, what = 'condition', timeoutMs = 60000, stepMs = 10) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) {
      const text = typeof what === 'function' ? what() : what;
      throw new Error(`${text}: not met within ${timeoutMs} ms`);
    }
    await sleep(stepMs);
  }
}

/** A projects folder with the quartet, its output pointed at `device` (host:port). */
function projectsWithQuartet(device) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-web-'));
  const show = h.Show.fromFile(QUARTET);
  if (device) {
    const [host, port] = device.split(':');
    show.edit('replace', '/outputs/0', { name: 'devsim', host, port: Number(port) });
  } else {
    show.edit('remove', '/outputs');
  }
  show.save(path.join(dir, 'quartet.json'));
  return dir;
}

async function startServer(t, extra = {}) {
  const projectsDir = extra.projectsDir || projectsWithQuartet(extra.device);
  const srv = await createServer({ h, port: 0, projectsDir, autosaveMs: 100, staticDir: path.join(WEB, 'dist'), ...extra });
  if (t) {
    t.after(async () => {
      await srv.close();
      if (!extra.keep) fs.rmSync(projectsDir, { recursive: true, force: true });
    });
  }
  srv.projectsDir = projectsDir;
  return srv;
}

/** A client: call(type, fields) → result (rejects with the error reply), pushes by type, frames. */
function connect(srv, { ack = true, headers, token } = {}) {
  const url = `ws://127.0.0.1:${srv.port}/ws${token ? `?token=${token}` : ''}`;
  const ws = new WebSocket(url, { headers });
  const c = {
    ws,
    pushes: [],
    frames: [],
    pending: new Map(),
    nextId: 1,
    welcome: null,
    last(type) {
      for (let i = this.pushes.length - 1; i >= 0; i--) if (this.pushes[i].type === type) return this.pushes[i];
      return null;
    },
    call(type, fields = {}) {
      const id = this.nextId++;
      ws.send(JSON.stringify({ id, type, ...fields }));
      return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
    },
    raw(text) {
      ws.send(text);
    },
    close() {
      ws.close();
    },
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      const f = decodeFrame(data);
      c.frames.push(f);
      if (c.frames.length > 500) c.frames.shift();
      if (ack) ws.send(JSON.stringify({ type: 'ack', seq: f.seq }));
      return;
    }
    const m = JSON.parse(data.toString());
    if (m.type === 'reply') {
      const p = c.pending.get(m.id);
      if (p) {
        c.pending.delete(m.id);
        if (m.ok) p.resolve(m.result);
        else p.reject(Object.assign(new Error(m.error.message), m.error));
      } else {
        c.pushes.push(m);
      }
      return;
    }
    if (m.type === 'welcome') c.welcome = m;
    c.pushes.push(m);
  });
  c.ready = new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('unexpected-response', (req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    const check = () => (c.welcome ? resolve(c) : setTimeout(check, 5));
    ws.once('open', check);
  });
  return c;
}

/** connect(srv, options), ready, and closed when the test `t` ends. */
async function openClient(t, srv, options) {
  const c = await connect(srv, options).ready;
  t.after(() => c.close());
  return c;
}

function framePos(frame, id) {
  const i = Array.from(frame.ids).indexOf(id);
  return [frame.positions[3 * i], frame.positions[3 * i + 1], frame.positions[3 * i + 2]];
}

/**
 * Headless Chromium (Debian's, or $CHROMIUM) through playwright-core, with
 * its own temporary profile, closed and removed after test `t`.
 */
async function launchChromium(t) {
  const { chromium } = require('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1366, height: 768 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // the page's waits as generous as waitFor's: they only end a stuck test
  ctx.setDefaultTimeout(60000);
  t.after(async () => {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  });
  return ctx;
}

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CLI = path.join(ROOT, 'build', 'holoanim');
const RESULTS = path.join(WEB, 'test-results');

/**
 * Why a browser test cannot run here (false when it can): no Chromium, the
 * UI not built, or (with `cli`, what the test uses it for) no holoanim CLI.
 */
function browserSkip(cli) {
  if (!fs.existsSync(CHROMIUM)) return `chromium not found at ${CHROMIUM}: apt-get install -y chromium`;
  if (!fs.existsSync(path.join(WEB, 'dist', 'index.html'))) return 'the UI is not built: npm run build';
  if (cli && !fs.existsSync(CLI)) return `needs ${CLI} (${cli}): scripts/setup.sh`;
  return false;
}

/**
 * HOLO_TEST_PAGE_LAG_MS=N: every message from the server reaches the page N
 * ms late (in order), as on a loaded machine, so that a test which acts on
 * the page after waiting for the server only fails every time.
 */
const PAGE_LAG_MS = Number(process.env.HOLO_TEST_PAGE_LAG_MS || 0);

/** In the page, before its scripts: the WebSocket's onmessage called `ms` late. */
function lagPage(ms) {
  const desc = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  let last = 0;
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    get() {
      return desc.get.call(this);
    },
    set(fn) {
      desc.set.call(this, (ev) => {
        last = Math.max(last, performance.now() + ms);
        setTimeout(() => fn.call(this, ev), last - performance.now());
      });
    },
  });
}

/**
 * Chromium (closed after test `t`) and a page on server `srv`'s UI, its
 * errors collected (`pageerror`, and the console's errors with
 * `consoleErrors`); `beforeLoad(page)` runs before the page loads the UI.
 * Returns { ctx, page, errors } once the track list shows.
 */
async function openUI(t, srv, { consoleErrors = false, beforeLoad } = {}) {
  const ctx = await launchChromium(t);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (consoleErrors) {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  }
  if (beforeLoad) await beforeLoad(page);
  if (PAGE_LAG_MS > 0) await page.addInitScript(lagPage, PAGE_LAG_MS);
  await page.goto(srv.url);
  await page.waitForSelector('[data-testid=tracks]');
  return { ctx, page, errors };
}

/**
 * Wait until `page` has the show the server `srv` has now (its version):
 * after a wait on the server's side, before a page action that depends on
 * the newer show (an edit carries the version it was made on and is refused
 * as a conflict when stale and overlapping; a field commits only a value
 * that differs from what the page has).
 */
async function pageHasShow(page, srv) {
  const want = srv.session.state().version;
  await page.waitForFunction((v) => (window.__holo.getState().docState || {}).version >= v, want);
}

/**
 * A browser test's start, as a user's: test-results/ made, a simulated
 * device with `tracks` tracks (when given; `place(id)` puts the device's
 * track id at a position, or leaves it where it is when it returns
 * nothing), an EMPTY projects folder (asserted) named holoanim-NAME-, a
 * server on it (`server`: more startServer options; its output the device),
 * and openUI's Chromium and page on it (`consoleErrors`, `beforeLoad`).
 * Stopped and removed after test `t`.
 * Returns { sim, device, projectsDir, srv, ctx, page, errors }.
 */
async function startEmpty(t, { name, tracks, place, server = {}, consoleErrors = false, beforeLoad } = {}) {
  fs.mkdirSync(RESULTS, { recursive: true });
  let sim = null;
  let device;
  if (tracks) {
    sim = h.startDevsim({ port: 0, tracks });
    t.after(() => sim.stop());
    if (place) {
      for (let id = 1; id <= tracks; id++) {
        const p = place(id);
        if (p) sim.setPosition(id, p);
      }
    }
    device = `127.0.0.1:${sim.port}`;
  }
  const projectsDir = fs.mkdtempSync(path.join(os.tmpdir(), `holoanim-${name}-`));
  assert.deepEqual(fs.readdirSync(projectsDir), [], 'an empty projects folder');
  const srv = await startServer(t, { projectsDir, ...(device ? { device } : {}), ...server });
  const ui = await openUI(t, srv, { consoleErrors, beforeLoad });
  return { sim, device, projectsDir, srv, ...ui };
}

module.exports = { CHROMIUM, CLI, RESULTS, browserSkip, startEmpty, openUI, pageHasShow, launchChromium, h, WEB, ROOT, QUARTET, sleep, waitFor, startServer, connect, openClient, projectsWithQuartet, framePos };
