'use strict';
// The one source of truth: the show a server has open, its file in the
// projects folder, and the history of changes.
//
// Every change goes through the core (holoanim's Show: JSON-Patch edits
// validated as a loaded file would be, one undo step per patch, atomic saves
// that keep NAME.json.bak). Each change bumps the version; clients send the
// version their edit was made on. An edit made on an older version is still
// applied when nothing it touches changed since (e.g. two tabs editing two
// different tracks), and refused with ECONFLICT otherwise (e.g. an index
// into an array that was added to or removed from since): the client then
// has the newest document and redoes the edit on it. Undo and redo are
// shared by every tab, like the document.
//
// Saving: every change is written back to the project file after `autosaveMs`
// of quiet (and at once on save() or close()), atomically, so a crash loses at
// most that delay and never the previous file.
//
// Undo history: kept beside the show (`.NAME.history.json`, history.js),
// written after every save, bounded; reopened (also after a restart) when
// the show file is still the one it was written with, else discarded with a
// notice (state().notice).
//
// Importing: the .hpx conversion and the first save run in a worker thread
// (import-worker.js), one import at a time, at most MAX_QUEUED_IMPORTS
// waiting, each ended after `importTimeoutMs`; the event loop (the other
// clients, the live frames) goes on meanwhile. What stays here is what needs
// the Show object (the core's parse and validation of the result) and the
// player's load.

const fs = require('node:fs');
const path = require('node:path');
const { EventEmitter } = require('node:events');
const { Worker } = require('node:worker_threads');
const { History, historyFile } = require('./history');
const { writeAtomic } = require('./atomic');

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;
const LOG_LIMIT = 500;
const MAX_QUEUED_IMPORTS = 2; // imports waiting behind the running one
const DEFAULT_ADDON = path.resolve(__dirname, '..', '..', 'bindings', 'node');
const DEFAULT_EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');

/**
 * What the UI keeps per show beside it, in `.NAME.settings.json` (not in the
 * show file: holoanim's own tools have no use for it): what Stop does when
 * the request does not say, `return` (every source glides back to its base
 * over `fade` seconds, the default) or `hold` (the sources stay where they are;
 * the next Play glides them onto the show).
 */
const DEFAULT_SETTINGS = { stop: { mode: 'return', fade: 2 } };

function checkSettings(x) {
  const st = x && x.stop;
  if (!st || !['hold', 'return'].includes(st.mode) || !(Number.isFinite(st.fade) && st.fade >= 0 && st.fade <= 60)) {
    throw fail('EINVAL', 'settings.stop: {mode: "hold" | "return", fade: seconds in [0, 60]}', { parameter: 'stop' });
  }
  return { stop: { mode: st.mode, fade: st.fade } };
}

const IMPORT_TEMP_RE = /^\..+\.json\.import-(\d+)-\d+$/;

/**
 * Remove the import temporaries a server killed mid-import left in `dir`
 * (`.NAME.json.import-PID-SEQ`, regular files only): those whose PID is not
 * a running process. A live PID (this server's, or a reused one) keeps its
 * file: at worst a stray stays, a running import's file never goes.
 */
function removeStaleImports(dir) {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const m = IMPORT_TEMP_RE.exec(d.name);
    if (!m || !d.isFile()) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (e) {
      if (e.code === 'ESRCH') fs.rmSync(path.join(dir, d.name), { force: true });
    }
  }
}

function fail(code, message, extra = {}) {
  const e = new Error(message);
  e.code = code;
  Object.assign(e, extra);
  return e;
}

/** "/a/b~1c" → ['a', 'b/c'] (RFC 6901). */
function splitPointer(p) {
  if (p === '') return [];
  if (typeof p !== 'string' || p[0] !== '/') throw fail('EINVAL', `bad JSON pointer "${p}"`);
  return p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Does one path contain the other (or are they equal)? */
function overlaps(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

class Session extends EventEmitter {
  #h;
  #dir;
  #show = null;
  #project = null;
  #file = null;
  #savedVersion = 0;
  #savedAt = null;
  #saveError = null;
  #timer = null;
  #log = []; // {version, paths: [[...segments]] | '*'}
  #autosaveMs;
  #doc = null;
  #addonPath;
  #importWorker;
  #importTimeoutMs;
  #importChain = Promise.resolve();
  #importsWaiting = 0;
  #importSeq = 0;
  #workers = new Set();
  #closed = false;
  #settings = DEFAULT_SETTINGS;
  #history = new History(); // the core's undo/redo, mirrored (history.js)
  #notice = null; // what the last open has to say (a discarded history)
  #examplesDir;

  /**
   * @param h the holoanim addon
   * @param opts {projectsDir, autosaveMs (default 500), addonPath (the addon
   *   for the import worker, default bindings/node), importWorker (its script),
   *   importTimeoutMs (default 120000)}
   */
  constructor(h, opts) {
    super();
    this.#h = h;
    this.#dir = path.resolve(opts.projectsDir);
    this.#autosaveMs = opts.autosaveMs ?? 500;
    this.#addonPath = path.resolve(opts.addonPath || DEFAULT_ADDON);
    this.#importWorker = opts.importWorker || path.join(__dirname, 'import-worker.js');
    this.#importTimeoutMs = opts.importTimeoutMs ?? 120000;
    this.#examplesDir = opts.examplesDir === undefined ? DEFAULT_EXAMPLES : opts.examplesDir && path.resolve(opts.examplesDir);
    fs.mkdirSync(this.#dir, { recursive: true });
    removeStaleImports(this.#dir);
  }

  get dir() {
    return this.#dir;
  }

  /** The deadline of the imports that start from now on, in ms (> 0). */
  setImportTimeout(ms) {
    if (!(Number.isFinite(ms) && ms > 0)) throw new RangeError(`importTimeoutMs must be a positive number of ms, got ${ms}`);
    this.#importTimeoutMs = ms;
  }

  get doc() {
    return this.#doc;
  }

  get version() {
    return this.#show ? this.#show.version : 0;
  }

  get project() {
    return this.#project;
  }

  // ---- the UI's settings of the open show ----

  #settingsFile(file = this.#file) {
    return path.join(path.dirname(file), `.${path.basename(file, '.json')}.settings.json`);
  }

  #loadSettings() {
    try {
      this.#settings = checkSettings(JSON.parse(fs.readFileSync(this.#settingsFile(), 'utf8')));
    } catch {
      this.#settings = DEFAULT_SETTINGS; // none yet, or not readable: the defaults
    }
  }

  get settings() {
    return this.#settings;
  }

  /** Replace the open show's settings (checked), written beside it at once. */
  setSettings(settings) {
    if (!this.#file) throw fail('ESTATE', 'no show is open');
    const next = checkSettings({ ...this.#settings, ...settings });
    writeAtomic(this.#settingsFile(), `${JSON.stringify(next, null, 2)}\n`);
    this.#settings = next;
    this.emit('settings', next);
    return next;
  }

  // ---- projects ----

  /** The shows in the projects folder, newest first. */
  list() {
    return fs
      .readdirSync(this.#dir, { withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith('.json') && !d.name.startsWith('.'))
      .map((d) => {
        const st = fs.statSync(path.join(this.#dir, d.name));
        return { name: d.name.slice(0, -5), modified: st.mtimeMs, size: st.size };
      })
      .sort((a, b) => b.modified - a.modified);
  }

  #fileOf(name) {
    if (typeof name !== 'string' || !NAME_RE.test(name) || name.includes('..')) {
      throw fail('EINVAL', `project name "${name}": use letters, digits, space, _ . - (at most 64)`, { parameter: 'name' });
    }
    return path.join(this.#dir, `${name}.json`);
  }

  /**
   * The bundled examples (`examplesDir`): holoanim shows (.json), opened as a
   * copy in the projects folder, and original Animator projects (.hpx),
   * imported. [{file, name, kind: 'show' | 'hpx'}], by name.
   */
  examples() {
    if (!this.#examplesDir || !fs.existsSync(this.#examplesDir)) return [];
    return fs
      .readdirSync(this.#examplesDir, { withFileTypes: true })
      .filter((d) => d.isFile() && /\.(json|hpx)$/i.test(d.name))
      .map((d) => ({ file: d.name, name: d.name.replace(/\.(json|hpx)$/i, ''), kind: /\.hpx$/i.test(d.name) ? 'hpx' : 'show' }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A free project name from `base`: base, base 2, base 3... */
  #freeName(base) {
    const clean = base.replace(/[^A-Za-z0-9 _.-]/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 56) || 'show';
    let name = clean;
    for (let k = 2; fs.existsSync(path.join(this.#dir, `${name}.json`)); k++) name = `${clean} ${k}`;
    return name;
  }

  /**
   * Open a bundled example: a show is copied into the projects folder (under
   * a free name) and opened; an .hpx is imported. Resolves with the warnings.
   */
  async openExample(file) {
    const ex = this.examples().find((e) => e.file === file);
    if (!ex) throw fail('ENOTFOUND', `no example "${file}" in ${this.#examplesDir}`);
    const text = fs.readFileSync(path.join(this.#examplesDir, ex.file), 'utf8');
    const name = this.#freeName(ex.name);
    if (ex.kind === 'hpx') return { project: name, warnings: await this.importHpx(name, text, { file: ex.file }) };
    const show = this.#h.Show.parse(text, ex.file);
    show.save(this.#fileOf(name));
    return { project: name, warnings: this.open(name) };
  }

  /** The project opened last in this folder (kept in `.last-open`), if it is still there; else null. */
  lastOpened() {
    try {
      const name = fs.readFileSync(path.join(this.#dir, '.last-open'), 'utf8').trim();
      return NAME_RE.test(name) && fs.existsSync(this.#fileOf(name)) ? name : null;
    } catch {
      return null;
    }
  }

  #rememberOpen() {
    try {
      writeAtomic(path.join(this.#dir, '.last-open'), `${this.#project}\n`);
    } catch {
      // a read-only folder: the server starts on the newest show next time
    }
  }

  /** Open a project (saving the current one first). */
  open(name) {
    const file = this.#fileOf(name);
    if (!fs.existsSync(file)) throw fail('ENOTFOUND', `no project "${name}" in ${this.#dir}`);
    // a project file is not named by the user: no symbolic link followed, no
    // file bytes in a syntax error (a link to /etc/shadow must not leak)
    this.flush(); // the open show saved first (it may be this one: read what was saved)
    let show = this.#h.Show.fromFile(file, { untrusted: true });
    const kept = History.restore(show, file);
    if (kept.reload) show = this.#h.Show.fromFile(file, { untrusted: true });
    this.#switch(show, name, file, show.version, show.toJSON(), kept);
    return show.warnings;
  }

  /**
   * A new project (refused if the name exists), ready to build: no track yet
   * (tracks can be appended), `outputs` as given (Devices.outputsFor).
   */
  create(name, title, outputs = []) {
    const file = this.#fileOf(name);
    if (fs.existsSync(file)) throw fail('EEXIST', `project "${name}" already exists`);
    const show = new this.#h.Show();
    const ops = [{ op: 'add', path: '/name', value: title || name }, { op: 'add', path: '/tracks', value: [] }];
    if (outputs.length > 0) ops.push({ op: 'add', path: '/outputs', value: outputs });
    show.patch(ops);
    show.setHistoryLimit(200);
    show.save(file);
    this.#switch(show, name, file, show.version);
    return [];
  }

  /**
   * Import a Holophonix Animator project (.hpx text) as a new project;
   * autostart: every imported animation starts on play (else by cue only).
   * Resolves with the importer's warnings; the conversion runs in a worker.
   */
  async importHpx(name, text, { autostart = false, file: given } = {}) {
    if (given !== undefined && !/\.hpx$/i.test(given)) {
      throw fail('EINVAL', `"${given}" is not an .hpx: Import takes Holophonix Animator projects (.hpx); a holoanim show (.json) goes in the projects folder (${this.#dir}) or opens from Open → Examples`, { parameter: 'file' });
    }
    if (/^\s*\{\s*"format"\s*:/.test(text)) {
      throw fail('EINVAL', 'this is a holoanim show, not an .hpx: put it in the projects folder to open it', { parameter: 'text' });
    }
    const file = this.#fileOf(name);
    if (fs.existsSync(file)) throw fail('EEXIST', `project "${name}" already exists`);
    if (this.#importsWaiting >= MAX_QUEUED_IMPORTS) throw fail('EBUSY', 'imports are already running; try again when they end');
    const tmp = path.join(this.#dir, `.${name}.json.import-${process.pid}-${++this.#importSeq}`);
    this.#importsWaiting++;
    const turn = this.#importChain.then(() => {
      this.#importsWaiting--;
      return this.#importInWorker({ text, name: `${name}.hpx`, autostart, file: tmp });
    });
    this.#importChain = turn.catch(() => {});
    try {
      const result = await turn;
      if (this.#closed) throw fail('ESTATE', 'the server is closing');
      const show = this.#h.Show.parse(result.text, `${name}.json`);
      // another request may have taken the name meanwhile
      if (fs.existsSync(file)) throw fail('EEXIST', `project "${name}" already exists`);
      fs.renameSync(tmp, file);
      // the saved text is the document (JSON.parse is cheaper than toJSON)
      this.#switch(show, name, file, show.version, JSON.parse(result.text));
      return result.warnings || [];
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }

  #importInWorker(job) {
    if (this.#closed) return Promise.reject(fail('ESTATE', 'the server is closing'));
    return new Promise((resolve, reject) => {
      const w = new Worker(this.#importWorker, { workerData: { addon: this.#addonPath, ...job } });
      this.#workers.add(w);
      let settled = false;
      let answered = false; // its result came: the file is the caller's now
      const end = (fn, v) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#workers.delete(w);
        w.terminate();
        fn(v);
      };
      const timer = setTimeout(() => end(reject, fail('ETIMEDOUT', `the import took longer than ${this.#importTimeoutMs} ms and was stopped`)), this.#importTimeoutMs);
      w.once('message', (r) => {
        answered = !settled && !!(r && r.ok);
        if (r && r.ok) end(resolve, r);
        else end(reject, Object.assign(new Error((r && r.error && r.error.message) || 'import failed'), (r && r.error) || {}));
      });
      w.once('error', (e) => end(reject, fail('EINTERNAL', `import worker: ${e.message}`)));
      w.once('exit', (code) => {
        // a worker stopped at its deadline ends only when the converter returns
        // to JavaScript: whatever it saved by then goes. Not after its answer:
        // a worker that ended before the server read its message has 'exit'
        // emitted right after 'message', before the caller renames the file
        // into place (an import failed with ENOENT on a loaded machine)
        if (!answered) fs.rmSync(job.file, { force: true });
        end(reject, fail(this.#closed ? 'ESTATE' : 'EINTERNAL', `import worker ended (exit ${code}) without an answer`));
      });
    });
  }

  /** Save the current show under a new name, titled so, and continue there. */
  saveAs(name) {
    const file = this.#fileOf(name);
    if (fs.existsSync(file)) throw fail('EEXIST', `project "${name}" already exists`);
    // the copy is titled by its new name (one undo step)
    if (this.#doc.name !== name) this.#record(this.#show.edit(this.#doc.name !== undefined ? 'replace' : 'add', '/name', name), [['name']]);
    this.#show.save(file);
    const settings = this.#settings;
    this.#project = name;
    this.#file = file;
    try {
      this.setSettings(settings); // the copy keeps them
    } catch {
      // not written: the defaults next time
    }
    this.#savedVersion = this.#show.version;
    this.#savedAt = Date.now();
    this.#rememberOpen();
    this.#emitChange(null, 'save as');
    this.#writeHistory(); // the copy keeps the history (its rename the last step)
  }

  #switch(show, name, file, savedVersion, doc = show.toJSON(), kept = {}) {
    if (this.#show) this.flush();
    show.setHistoryLimit(200);
    this.#history = kept.history || new History();
    this.#notice = kept.notice || null;
    if (this.#notice) this.emit('notice', this.#notice);
    if (!kept.history) fs.rmSync(historyFile(file), { force: true }); // another show's, or discarded
    this.#show = show;
    this.#project = name;
    this.#file = file;
    this.#savedVersion = savedVersion;
    this.#savedAt = Date.now();
    this.#saveError = null;
    this.#log = [];
    this.#doc = doc;
    this.#loadSettings();
    this.#rememberOpen();
    this.emit('settings', this.#settings);
    this.emit('open', this.#doc);
    this.#emitChange(null, 'open', doc);
  }

  // ---- changes ----

  /**
   * Apply JSON-Patch operations made on version `base` as one undo step.
   * Returns the new version. Throws ECONFLICT (stale and overlapping) or the
   * core's HoloanimError (invalid result, with diagnostics).
   */
  edit(ops, base, by = null, label = '') {
    if (!this.#show) throw fail('ESTATE', 'no show is open');
    const touched = ops.map((o) => {
      const segs = splitPointer(o.path);
      // add/remove change the container (indices shift): claim it whole
      return o.op === 'replace' ? segs : segs.slice(0, -1);
    });
    if (base !== undefined && base !== this.#show.version) {
      const since = this.#log.filter((e) => e.version > base);
      // versions count changes one by one: every change since `base` must be known
      if (base > this.#show.version || since.length !== this.#show.version - base) {
        throw fail('ECONFLICT', `the show changed since version ${base} (now ${this.#show.version}); edit again`);
      }
      for (const e of since) {
        if (e.paths === '*' || e.paths.some((p) => touched.some((t) => overlaps(p, t)))) {
          throw fail('ECONFLICT', `the show changed since version ${base} (now ${this.#show.version}) where this edit applies; edit again`);
        }
      }
    }
    const version = ops.length === 1
      ? this.#show.edit(ops[0].op, ops[0].path, ops[0].value)
      : this.#show.patch(ops);
    this.#record(version, touched);
    this.#emitChange(by, label);
    return version;
  }

  undo(by = null) {
    if (!this.#show) throw fail('ESTATE', 'no show is open');
    const v = this.#show.undo();
    this.#record(v, '*');
    this.#emitChange(by, 'undo');
    return v;
  }

  redo(by = null) {
    if (!this.#show) throw fail('ESTATE', 'no show is open');
    const v = this.#show.redo();
    this.#record(v, '*');
    this.#emitChange(by, 'redo');
    return v;
  }

  #record(version, paths) {
    this.#log.push({ version, paths });
    if (this.#log.length > LOG_LIMIT) this.#log.splice(0, this.#log.length - LOG_LIMIT);
  }

  #emitChange(by, label, doc = this.#show.toJSON()) {
    const old = this.#doc;
    this.#doc = doc;
    if (label !== 'open') this.#notice = null; // said once, when the show opened
    if (label === 'undo') this.#history.stepUndo();
    else if (label === 'redo') this.#history.stepRedo();
    else if (label !== 'open' && (label !== 'save as' || JSON.stringify(old) !== JSON.stringify(doc))) this.#history.push(old, doc, label);
    if (label !== 'open' && label !== 'save as') this.#schedule();
    this.emit('change', { doc: this.#doc, old, by, label, state: this.state() });
  }

  /** What every client shows about the document. */
  state() {
    const st = this.#show ? this.#show.state() : { version: 0, canUndo: false, canRedo: false };
    return {
      project: this.#project,
      file: this.#file,
      version: st.version,
      canUndo: st.canUndo,
      canRedo: st.canRedo,
      savedVersion: this.#savedVersion,
      savedAt: this.#savedAt,
      saveError: this.#saveError,
      notice: this.#notice,
    };
  }

  // ---- saving ----

  #schedule() {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#autosave(), this.#autosaveMs);
    this.#timer.unref?.();
  }

  #autosave() {
    try {
      this.save();
    } catch {
      // reported through state().saveError and the 'saved' event
    }
  }

  /** Write the show now (atomic, previous file kept as .bak). */
  save() {
    clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#show) throw fail('ESTATE', 'no show is open');
    try {
      this.#show.save(this.#file);
      this.#savedVersion = this.#show.version;
      this.#savedAt = Date.now();
      this.#saveError = null;
      this.#writeHistory();
    } catch (e) {
      this.#saveError = e.message;
      this.emit('saved', this.state());
      throw e;
    }
    this.emit('saved', this.state());
    return this.state();
  }

  /** The undo history beside the show just saved (not written: undo still works until a restart). */
  #writeHistory() {
    try {
      this.#history.write(this.#file);
    } catch (e) {
      this.emit('notice', `the undo history could not be kept beside ${this.#file}: ${e.message}`);
    }
  }

  /** Save if anything is unsaved (shutdown, switching projects). */
  flush() {
    if (this.#show && (this.#timer !== null || this.#show.version !== this.#savedVersion)) {
      try {
        this.save();
      } catch {
        // state().saveError says why
      }
    }
  }

  close() {
    this.#closed = true;
    for (const w of this.#workers) w.terminate();
    this.#workers.clear();
    this.flush();
    clearTimeout(this.#timer);
  }
}

module.exports = { Session, splitPointer, overlaps, NAME_RE, DEFAULT_SETTINGS };
