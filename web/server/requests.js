'use strict';
// The WebSocket API's requests (protocol.js parses them): edits and project
// files go to the session, transport and cues to the runtime, previews are
// computed by the engine, discovery runs the holoanim command. One function
// per request kind; `requestHandler` returns the dispatcher app.js calls.

const fs = require('node:fs');
const { execFile } = require('node:child_process');
const { testOutput } = require('./devicelink');
const { checkEdit, checkLive } = require('./trackstate.js');

/** A stop: `m.stop` (hold | return) and `m.fade`, else the show's settings. */
function stopRequest(runtime, session, m) {
  const def = session.settings.stop;
  const mode = m.stop ?? (m.fade > 0 ? 'return' : def.mode);
  const fade = m.fade ?? (mode === 'return' ? def.fade : 0);
  if (!(fade >= 0 && fade <= 60)) throw Object.assign(new Error(`stop fade ${fade}: seconds in [0, 60]`), { code: 'EINVAL', parameter: 'fade' });
  return runtime.stop(fade, mode);
}

function transportRequest(runtime, session, m) {
  const need = (k) => {
    if (m[k] === undefined) throw Object.assign(new Error(`transport ${m.action} needs ${k}`), { code: 'EBADMSG' });
  };
  switch (m.action) {
    case 'play': return runtime.play();
    case 'pause': return runtime.pause();
    case 'stop': return stopRequest(runtime, session, m);
    case 'seek': need('time'); return runtime.seek(m.time);
    case 'speed': need('speed'); return runtime.setSpeed(m.speed);
    case 'loop': need('loop'); return runtime.setLoop(m.loop);
    default: return runtime.panic();
  }
}

/** The engine reports a motion's first problem: try each field alone to name them all. */
function fieldErrors(h, m, timing, params) {
  const fields = {};
  try {
    h.createMotion(m.model, {}, {});
  } catch {
    return fields; // an unknown model: the message says so
  }
  for (const [k, v] of Object.entries(params)) {
    try {
      h.createMotion(m.model, { [k]: v }, {});
    } catch (e) {
      fields[k] = e.message;
    }
  }
  try {
    h.createMotion(m.model, {}, timing);
  } catch (e) {
    fields.timing = e.message;
  }
  return fields;
}

function previewRequest(h, session, runtime, m) {
  const timing = m.timing || {};
  const params = m.params || {};
  try {
    h.createMotion(m.model, params, timing);
  } catch (e) {
    e.fields = fieldErrors(h, m, timing, params);
    throw e;
  }
  const doc = session.doc;
  const bases = new Map((doc.tracks || []).map((t) => [t.id, t.position || [0, 0, 0]]));
  // no track chosen yet: the path of one source resting at the origin
  const tracks = m.tracks && m.tracks.length ? m.tracks : [1];
  if (!(m.tracks && m.tracks.length)) bases.set(1, [0, 0, 0]);
  const points = runtime.sampleGroup({ model: m.model, params, timing }, tracks, m.spec || {}, bases);
  return { tracks: m.tracks || [], points };
}

function discoverRequest(cli, m) {
  if (!cli || !fs.existsSync(cli)) {
    return Promise.reject(Object.assign(new Error('discover needs the holoanim command (build it: scripts/setup.sh)'), { code: 'EUNSUPPORTED' }));
  }
  const target = `${m.host}:${m.port || 4003}`;
  return new Promise((resolve, reject) => {
    execFile(cli, ['discover', target, '--json', '--max', '512', '--timeout', '300'], { timeout: 60000 }, (err, stdout, stderr) => {
      if (err) {
        reject(Object.assign(new Error((stderr || err.message).trim()), { code: 'EIO' }));
        return;
      }
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(Object.assign(new Error('discover: unexpected output'), { code: 'EIO' }));
      }
    });
  });
}

/**
 * Capture where the tracks are now (all, or `tracks`) as preset `name`: a
 * new preset, or with `replace` the positions of an existing one. One undo step.
 */
function captureRequest(session, runtime, m, by) {
  const doc = session.doc;
  const now = runtime.positions();
  const ids = (m.tracks || (doc.tracks || []).map((t) => t.id)).filter((id) => now.has(id));
  if (ids.length === 0) throw Object.assign(new Error('capture: no track to capture (add tracks, or select some)'), { code: 'EINVAL', parameter: 'tracks' });
  const positions = Object.fromEntries(ids.map((id) => [String(id), now.get(id)]));
  const presets = doc.presets || [];
  const i = presets.findIndex((p) => p.name === m.name);
  let op;
  if (i >= 0) {
    if (!m.replace) throw Object.assign(new Error(`a preset "${m.name}" exists: choose another name, or update it`), { code: 'EEXIST', parameter: 'name' });
    op = { op: 'replace', path: `/presets/${i}/positions`, value: positions };
  } else {
    const value = { name: m.name, positions };
    op = Array.isArray(doc.presets) ? { op: 'add', path: '/presets/-', value } : { op: 'add', path: '/presets', value: [value] };
  }
  const version = session.edit([op], undefined, by, `${i >= 0 ? 'update' : 'capture'} preset ${m.name}`);
  return { version, preset: m.name, tracks: ids };
}

/**
 * Record a performance (record.js): start (arm at the show clock's time),
 * stop (the take becomes keyframes animations, one show edit) or cancel.
 */
function recordRequest(session, runtime, recorder, m, by) {
  if (!recorder) throw Object.assign(new Error('recording is not available'), { code: 'EUNSUPPORTED' });
  if (m.action === 'start') return recorder.start(runtime.transport().time, m.tolerance ?? 0.01);
  if (m.action === 'cancel') return recorder.cancel();
  if (m.action === 'state') return recorder.state();
  const { ops, takes } = recorder.stop(session.doc);
  const summary = takes.map(({ track, name, samples, keys }) => ({ track, name, samples, keys }));
  if (ops.length === 0) return { recording: false, takes: summary, version: null };
  const version = session.edit(ops, undefined, by, `record ${takes.map((t) => t.name).join(', ')}`);
  recorder.last = takes;
  return { recording: false, takes: summary, version };
}

/** handle(client, message) → the reply's result (or a promise of it); throws {code, message}. */
function requestHandler({ h, session, runtime, cli, devices, recorder }) {
  return async function handle(c, m) {
    switch (m.type) {
      case 'edit':
        checkEdit(session.doc, m.ops); // a locked track's base does not move
        return { version: session.edit(m.ops, m.base, c.id, m.label || '') };
      case 'undo': return { version: session.undo(c.id) };
      case 'redo': return { version: session.redo(c.id) };
      case 'save': return session.save();
      case 'projects': return { dir: session.dir, projects: session.list(), examples: session.examples() };
      case 'openExample': return session.openExample(m.example);
      case 'open': return { warnings: session.open(m.project) };
      case 'create': return { warnings: session.create(m.project, m.title, devices.outputsFor(m.output)) };
      case 'import': return { warnings: await session.importHpx(m.project, m.text, { autostart: m.autostart === true, file: m.file }) };
      case 'saveAs': session.saveAs(m.project); return session.state();
      case 'transport': return transportRequest(runtime, session, m);
      case 'settings': return session.setSettings(m.stop ? { stop: m.stop } : {});
      case 'cue': return { cue: runtime.goCue(m.number) };
      case 'live':
        checkLive(session.doc, m.track);
        runtime.setBase(m.track, m.position);
        if (recorder && recorder.recording) {
          const tr = runtime.transport();
          recorder.sample(m.track, m.position, tr.time, tr.playing);
        }
        return {};
      case 'record': return recordRequest(session, runtime, recorder, m, c.id);
      case 'stopTrack': runtime.stopTrack(m.track, m.fade ?? 0); return {};
      case 'preview': return previewRequest(h, session, runtime, m);
      case 'discover': return discoverRequest(cli, m);
      case 'devsim': return devices.outputsFor('devsim')[0];
      case 'testOutput': return testOutput(session.doc, m.output);
      case 'capture': return captureRequest(session, runtime, m, c.id);
      case 'recall': return runtime.recall(m.preset, m);
      case 'subscribe':
        c.frames = m.frames;
        c.acked = c.sent;
        return {};
      case 'ping': return { now: Date.now() };
      default: throw Object.assign(new Error(`unhandled ${m.type}`), { code: 'EINTERNAL' });
    }
  };
}

module.exports = { requestHandler };
