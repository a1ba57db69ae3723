'use strict';
// Runs one .hpx import off the server's event loop (session.js starts it):
// workerData {addon, text, name, autostart, file} → saves the imported show
// to `file` (a temporary name; the core's atomic save) and posts {ok, text,
// warnings} (the show as JSON text, what was saved) or {ok: false, error}.
// The addon is context-aware, so each worker loads its own instance.

const { parentPort, workerData } = require('node:worker_threads');

/** The primitive fields of an object (what a message between threads keeps of an error). */
function primitives(o) {
  const out = {};
  for (const [k, v] of Object.entries(o)) if (v === null || typeof v !== 'object') out[k] = v;
  return out;
}

function plainDiagnostics(list) {
  return Array.isArray(list) ? list.map(primitives) : undefined;
}

function run() {
  const { addon, text, name, autostart, file } = workerData;
  try {
    const h = require(addon);
    const show = h.Show.importHpx({ text, name }, { autostart });
    show.save(file);
    return { ok: true, text: show.toString(), warnings: plainDiagnostics(show.warnings) };
  } catch (e) {
    const error = e !== null && typeof e === 'object' ? primitives(e) : {};
    error.message = String(e && e.message);
    error.name = e && e.name;
    if (e && Array.isArray(e.diagnostics)) error.diagnostics = plainDiagnostics(e.diagnostics);
    return { ok: false, error };
  }
}

parentPort.postMessage(run());
