'use strict';
// Shared helpers for the test files (not a test file itself).
const path = require('node:path');
const fs = require('node:fs');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'build', 'holoanim');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond, timeoutMs = 60000, stepMs = 10) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = cond();
    if (v) return v;
    await sleep(stepMs);
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

function close(a, b, tol = 1e-9) {
  return Math.abs(a - b) <= tol + tol * Math.abs(b);
}

function cliAvailable() {
  return fs.existsSync(CLI) ? CLI : null;
}

module.exports = { ROOT, CLI, sleep, waitFor, close, cliAvailable };
