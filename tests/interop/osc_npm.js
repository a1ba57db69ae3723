// Interop with the npm `osc` package (the original Holophonix Animator's OSC
// library): it decodes what `holoanim play` sends, and `holoanim devsim`
// decodes what it sends (messages, bundles, /get queries with replies).
'use strict';
const osc = require('osc');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const cli = process.env.HA_CLI;
let passed = 0, failed = 0;
function check(cond, what) {
  if (cond) { passed++; } else { failed++; console.error('FAIL:', what); }
}
function udp(port) {
  return new Promise((resolve, reject) => {
    const p = new osc.UDPPort({ localAddress: '127.0.0.1', localPort: port, metadata: true });
    p.on('ready', () => resolve(p));
    p.on('error', reject);
    p.open();
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function ourPacketsDecodedByOsc() {
  const rx = await udp(0);
  const port = rx.socket.address().port;
  const got = [];
  rx.on('message', (m) => got.push(m));
  const play = spawn(cli, ['play', '--model', 'circular', '--param', 'radius=2', '--param',
    'center=1,1,0.5', '--duration', '4', '--track', '1,2,7', '--to', `127.0.0.1:${port}`,
    '--for', '1', '--quiet'], { stdio: 'inherit' });
  await new Promise((r) => play.on('exit', r));
  rx.close();
  check(got.length > 100, `osc.js decoded ${got.length} messages`);
  let bad = 0;
  for (const m of got) {
    const ok = /^\/track\/(1|2|7)\/xyz$/.test(m.address) && m.args.length === 3 &&
      m.args.every((a) => a.type === 'f');
    const r = ok ? Math.hypot(m.args[0].value - 1, m.args[1].value - 1) : 0;
    if (!ok || Math.abs(r - 2) > 1e-5 || Math.abs(m.args[2].value - 0.5) > 1e-6) bad++;
  }
  check(bad === 0, `${bad} messages with a wrong address, type tag or value`);
}

async function oscPacketsDecodedByUs() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ha-osc-'));
  const rec = path.join(dir, 'rec.csv');
  const probe = await udp(0);
  const simPort = probe.socket.address().port; // free now, given to devsim
  probe.close();
  const sim = spawn(cli, ['devsim', '--port', String(simPort), '--tracks', '8', '--record', rec,
    '--quiet'], { stdio: 'inherit' });
  await sleep(300);
  const tx = await udp(0);
  const replies = [];
  tx.on('message', (m) => replies.push(m));
  const f = (v) => ({ type: 'f', value: v });
  tx.send({ address: '/track/3/xyz', args: [f(1.5), f(2.5), f(0.5)] }, '127.0.0.1', simPort);
  tx.send({ timeTag: osc.timeTag(0), packets: [
    { address: '/track/4/xyz', args: [f(-1), f(0), f(2)] },
    { address: '/track/5/aed', args: [f(90), f(0), f(3)] },
  ] }, '127.0.0.1', simPort);
  await sleep(200);
  tx.send({ address: '/get', args: [{ type: 's', value: '/track/3/xyz' }] }, '127.0.0.1', simPort);
  tx.send({ address: '/get', args: [{ type: 's', value: '/track/99/name' }] }, '127.0.0.1', simPort);
  await sleep(300);
  tx.close();
  sim.kill('SIGINT');
  await new Promise((r) => sim.on('exit', r));
  const rows = fs.readFileSync(rec, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const at = (track) => rows.filter((r) => r[1] === String(track)).pop();
  const near = (r, x, y, z) => r && Math.abs(+r[2] - x) < 1e-5 && Math.abs(+r[3] - y) < 1e-5 &&
    Math.abs(+r[4] - z) < 1e-5;
  check(near(at(3), 1.5, 2.5, 0.5), 'devsim decoded the osc.js message');
  check(near(at(4), -1, 0, 2), 'devsim decoded the osc.js bundle');
  check(near(at(5), 3, 0, 0), 'devsim converted the osc.js aed message');
  const xyz = replies.find((m) => m.address === '/track/3/xyz');
  check(xyz && xyz.args.map((a) => a.value).join() === '1.5,2.5,0.5', '/get reply decoded by osc.js');
  const err = replies.find((m) => m.address === '/error');
  check(err && /Cannot get track,99,name/.test(err.args[0].value), '/error reply for track 99');
  fs.rmSync(dir, { recursive: true, force: true });
}

(async () => {
  if (!cli) { console.error('HA_CLI is not set'); process.exit(2); }
  await ourPacketsDecodedByOsc();
  await oscPacketsDecodedByUs();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})().catch((e) => { console.error(e); process.exit(1); });
