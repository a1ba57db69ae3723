'use strict';
// Undo and redo that survive a restart.
//
// The core keeps the show's undo history (ha_show_undo, show_edit.c: each
// step its operations and their inverse) in memory only, with no way to
// read it out. The session mirrors it here: every change of the document
// (an edit, undo, redo) moves the same step on this mirror, each step kept
// as two JSON Patches computed from the documents before and after
// (`diff`). After each save the mirror is written beside the show
// (`.NAME.history.json`, atomically: a temporary file renamed), bounded to
// the newest MAX_STEPS undo steps and MAX_BYTES, with the SHA-256 of the
// saved show file. When the show is opened again and its file still has that
// hash, the history is replayed into the core (`replay`): back to the oldest
// kept state with history off, then forward step by step (one core undo step
// each), then the redo steps forward and undone again, so the core's undo
// and redo stacks are what they were. A file edited outside holoanim (hash
// differs), an unreadable history or a step the core refuses: the history
// is discarded and the session says so (state().notice).
// Rejected: whole documents per step (a show of 128 tracks is ~30 KiB: 100
// steps would be 3 MB written on every change) and a history format of
// the core's own (show_edit.c is shared by every tool; the web server is the
// only one that lives across restarts).

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { writeAtomic } = require('./atomic');

const CORE_LIMIT = 200; // the session's setHistoryLimit: the mirror drops its oldest step with the core
const MAX_STEPS = 100; // undo steps kept on disk
const MAX_BYTES = 2 * 1024 * 1024; // and at most this much
const FORMAT = 1;

const esc = (k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON Patch operations (add, remove, replace) that turn `a` into `b`. */
function diff(a, b, at = '', ops = []) {
  if (JSON.stringify(a) === JSON.stringify(b)) return ops;
  if (isObj(a) && isObj(b)) {
    for (const k of Object.keys(a)) if (!(k in b)) ops.push({ op: 'remove', path: `${at}/${esc(k)}` });
    for (const k of Object.keys(b)) {
      if (!(k in a)) ops.push({ op: 'add', path: `${at}/${esc(k)}`, value: b[k] });
      else diff(a[k], b[k], `${at}/${esc(k)}`, ops);
    }
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diff(x, b[i], `${at}/${i}`, ops));
  } else {
    ops.push({ op: 'replace', path: at, value: b });
  }
  return ops;
}

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Where the history of show file `file` is kept. */
function historyFile(file) {
  return path.join(path.dirname(file), `.${path.basename(file, '.json')}.history.json`);
}

class History {
  undo = []; // [{label, do: ops, undo: ops}], oldest first
  redo = []; // the next redo last

  /** A change from `old` to `doc` made one core undo step. */
  push(old, doc, label) {
    this.undo.push({ label, do: diff(old, doc), undo: diff(doc, old) });
    if (this.undo.length > CORE_LIMIT) this.undo.shift();
    this.redo = [];
  }

  stepUndo() {
    const e = this.undo.pop();
    if (e) this.redo.push(e);
  }

  stepRedo() {
    const e = this.redo.pop();
    if (e) this.undo.push(e);
  }

  /** Write it beside `file` (just saved): newest steps first within the bounds. */
  write(file) {
    const keep = { format: FORMAT, show: sha256(file), undo: this.undo.slice(-MAX_STEPS), redo: this.redo.slice(-MAX_STEPS) };
    let text = JSON.stringify(keep);
    while (text.length > MAX_BYTES && (keep.undo.length > 0 || keep.redo.length > 0)) {
      if (keep.undo.length > 0) keep.undo.shift();
      else keep.redo.shift(); // the farthest redo first
      text = JSON.stringify(keep);
    }
    writeAtomic(historyFile(file), text);
  }

  /**
   * The history kept beside `file`, replayed into `show` (just loaded from
   * it): {history} when restored, {history: null} when there is none, or
   * {history: null, notice, reload} when it was discarded (reload: `show`
   * was changed on the way and must be loaded again).
   */
  static restore(show, file) {
    const name = path.basename(file, '.json');
    let saved;
    try {
      saved = JSON.parse(fs.readFileSync(historyFile(file), 'utf8'));
    } catch (e) {
      if (e.code === 'ENOENT') return { history: null };
      return { history: null, notice: `the undo history of "${name}" could not be read (${e.message}): discarded` };
    }
    if (!saved || saved.format !== FORMAT || !Array.isArray(saved.undo) || !Array.isArray(saved.redo)) {
      return { history: null, notice: `the undo history of "${name}" is not one this server writes: discarded` };
    }
    if (saved.show !== sha256(file)) {
      return { history: null, notice: `"${name}" was changed outside holoanim since its undo history was kept: the history is discarded (undo starts from the file as it is)` };
    }
    const h = new History();
    const step = (e) => e && Array.isArray(e.do) && Array.isArray(e.undo) && e.do.length > 0;
    h.undo = saved.undo.filter(step);
    h.redo = saved.redo.filter(step);
    try {
      h.#replay(show);
    } catch (e) {
      return { history: null, reload: true, notice: `the undo history of "${name}" could not be replayed (${e.message}): discarded` };
    }
    return { history: h };
  }

  #replay(show) {
    const at = JSON.stringify(show.toJSON());
    show.setHistoryLimit(0); // back to the oldest kept state, not recorded
    for (let k = this.undo.length - 1; k >= 0; k--) show.patch(this.undo[k].undo);
    show.setHistoryLimit(CORE_LIMIT);
    for (const e of this.undo) show.patch(e.do); // one core undo step each
    for (let k = this.redo.length - 1; k >= 0; k--) show.patch(this.redo[k].do);
    for (let k = 0; k < this.redo.length; k++) show.undo(); // onto the core's redo stack
    if (JSON.stringify(show.toJSON()) !== at) throw new Error('the steps do not lead back to the saved show');
  }
}

module.exports = { History, diff, historyFile, CORE_LIMIT, MAX_STEPS, MAX_BYTES };
