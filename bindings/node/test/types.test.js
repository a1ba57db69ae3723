'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('..');

const dir = path.resolve(__dirname, '..');
let tsc = null;
try {
  tsc = require.resolve('typescript/bin/tsc', { paths: [dir] });
} catch {
  tsc = null;
}

test('index.d.ts type-checks a usage file with tsc --noEmit', { skip: tsc ? false : 'typescript is not installed (npm install)' }, () => {
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8', cwd: dir });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('index.d.ts declares exactly the runtime exports', () => {
  const dts = fs.readFileSync(path.join(dir, 'index.d.ts'), 'utf8');
  const declared = new Set([...dts.matchAll(/^export (?:declare )?(?:function|class|const) (\w+)/gm)].map((m) => m[1]));
  const runtime = new Set(Object.keys(h));
  assert.deepEqual([...runtime].filter((k) => !declared.has(k)).sort(), [], 'exported but not declared');
  assert.deepEqual([...declared].filter((k) => !runtime.has(k)).sort(), [], 'declared but not exported');
  // classes expose the declared methods
  for (const name of ['loadShow', 'addTrack', 'addOutput', 'start', 'play', 'pause', 'stop', 'seek', 'setSpeed', 'goCue', 'cueEffects', 'actionTag', 'panic', 'startAnimation', 'stopAnimation', 'stopTrack', 'setParameter', 'goto', 'setBase', 'deviceEcho', 'setTrackFlags', 'updateState', 'snapshot', 'getStatus', 'getMetrics', 'getOutputStats', 'streamStats', 'on', 'off', 'removeAllListeners', 'close']) {
    assert.equal(typeof h.Player.prototype[name], 'function', `Player#${name}`);
  }
  for (const name of ['velocity', 'update', 'getState', 'reset']) {
    assert.equal(typeof h.Motion.prototype[name], 'function', `Motion#${name}`);
  }
});
