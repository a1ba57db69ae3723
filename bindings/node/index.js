'use strict';
// holoanim: the Node-API bridge (see README.md). The native addon does the
// work; this file loads it, defines HoloanimError, and adds the small
// JavaScript conveniences that are natural here: listeners with per-listener
// rates, parameter merging for live changes, and call-order for updateState.

const path = require('node:path');

function loadAddon() {
  const candidates = ['Release', 'Debug'].map((c) => path.join(__dirname, 'build', c, 'holoanim.node'));
  let lastError;
  for (const file of candidates) {
    try {
      return require(file);
    } catch (e) {
      if (e.code !== 'MODULE_NOT_FOUND') throw e;
      lastError = e;
    }
  }
  const err = new Error(
    'holoanim: the native addon is not built (run `npm install` or `npm run rebuild` in ' +
      __dirname + ')',
  );
  err.cause = lastError;
  throw err;
}

const binding = loadAddon();

/**
 * The error every holoanim operation throws or rejects with: `code` is the
 * stable status name ('EINVAL', 'ERANGE', ...), `recoverable` tells whether
 * the operation can go on (an OutOfBounds value can be clamped), `kind` is the
 * error kind ('InvalidParameter', 'OutOfBounds', 'ResourceExhausted', 'Parse',
 * 'Io', 'Internal') and the detail fields are set when known.
 */
class HoloanimError extends Error {
  constructor(message) {
    super(message);
    this.name = 'HoloanimError';
    this.code = 'EUNKNOWN';
    this.recoverable = false;
  }
}

// Every Motion's id (its slot in the addon), set by the addon as it makes
// one: calculatePositionSync passes the id, a number, instead of having the
// addon unwrap the object. A non-enumerable, read-only property under a
// symbol of this module's own: every Motion gets it the same way, so reading
// it is one load of a known shape, where a WeakMap lookup (a hash probe) was
// ~8 ns of a ~90 ns call.
const kMotionId = Symbol('holoanim.motionId');
binding._init({
  HoloanimError,
  registerMotion(motion, id) {
    Object.defineProperty(motion, kMotionId, { value: id });
  },
});

const TrackStatus = Object.freeze({ IDLE: 0, ANIMATED: 1, TRANSITION: 2 });
const DEFAULT_POSITIONS_RATE = 30;

function typeError(message) {
  const e = new TypeError(message);
  e.code = 'ERR_INVALID_ARG_TYPE';
  return e;
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The real-time player: a native tick thread computes every track and sends
 * OSC; this object controls it and streams what it does.
 */
class Player {
  #native;
  #positions = []; // {listener, rate, last}
  #events = []; // listener
  #anims = new Map(); // tag -> {model, params, timing}: for setParameter merging
  #chain = Promise.resolve();
  #listening = false;

  constructor(options) {
    if (options !== undefined && !isPlainObject(options)) {
      throw typeError('Player options must be an object');
    }
    this.#native = new binding.NativePlayer(options);
  }

  /** Load a show: JSON text, a file path, or the show as an object. */
  loadShow(show) {
    if (isPlainObject(show)) return this.#native.loadShow(JSON.stringify(show), false);
    if (typeof show !== 'string') {
      throw typeError('loadShow expects JSON text, a file path or a show object');
    }
    return this.#native.loadShow(show, !/^\s*[{[]/.test(show));
  }

  /**
   * Swap the show the player fires cues and starts groups from (JSON text,
   * an object or a Show), keeping its tracks, outputs and limits: for edits
   * of animations, groups, presets and cues while it runs. A show with other
   * track ids throws ESTATE (load it in a new Player).
   */
  replaceShow(show) {
    return this.#native.replaceShow(showText(show, 'replaceShow'));
  }

  addTrack(id, base) {
    return this.#native.addTrack(id, base);
  }

  addOutput(options) {
    return this.#native.addOutput(options);
  }

  start() {
    this.#native.start();
  }

  play() {
    this.#native.play();
  }

  pause() {
    this.#native.pause();
  }

  stop(fade = 0) {
    this.#native.stop(fade);
  }

  seek(time) {
    this.#native.seek(time);
  }

  setSpeed(speed) {
    this.#native.setSpeed(speed);
  }

  /**
   * Fire a cue of the loaded show; returns {number, name, effects}: the cue
   * that ran and what it did, as the core's cue interpreter made it (one
   * {action, type, ...} per operation, with the show's animation tags; see
   * index.d.ts CueEffect).
   */
  goCue(cue) {
    return this.#native.goCue(cue);
  }

  /**
   * Open an OSC control port for this player (as `holoanim play --control`):
   * {port = 0 (any free), bind = '127.0.0.1', allow: ['10.0.0.0/24', ...],
   * allowLoopback = true} → {address, port}. A cue's `osc` address (an OSC
   * pattern fires every match) and /holoanim/cue/go n fire cues, answered
   * /holoanim/ack; each fired cue is an event {type: 'cue', cue, name,
   * source: 'osc HOST:PORT' | 'control /holoanim/cue/go' | 'api'}; device
   * echoes go to the output whose device sent them. close() closes it.
   */
  openControl(options) {
    return this.#native.openControl(options);
  }

  closeControl() {
    this.#native.closeControl();
  }

  /**
   * The loaded show's live-data mappings with their live values:
   * [{address, arg, group, param ('radius', 'center.x'), input: [from, to],
   * output: [from, to], smoothing, smoothingMode, active, value (null before
   * any input), inputs}]. Their inputs arrive on the control port
   * (openControl) or through mapInput.
   */
  mappings() {
    return this.#native.mappings();
  }

  /**
   * An input for the mappings whose address `address` (an OSC pattern)
   * matches, as if it came over OSC with these arguments: mapping i takes
   * its `arg`-th. Returns how many took a value (a missing or non-number
   * argument is refused).
   */
  mapInput(address, ...values) {
    return this.#native.mapInput(address, ...values);
  }

  /** What goCue(cue) does, without firing it (the loaded show's tags). */
  cueEffects(cue) {
    return this.#native.cueEffects(cue);
  }

  /**
   * The tag action `action` (an index) of cue `cue` starts in the loaded
   * show, null when it starts nothing; ENOTFOUND when there is no such cue
   * or action.
   */
  actionTag(cue, action) {
    return this.#native.actionTag(cue, action);
  }

  panic() {
    this.#native.panic();
  }

  startAnimation(spec) {
    if (!isPlainObject(spec)) throw typeError('startAnimation expects an options object');
    const tag = this.#native.startAnimation(spec);
    this.#remember(tag, spec);
    return tag;
  }

  stopAnimation(tag, fade = 0) {
    this.#native.stopAnimation(tag, fade);
  }

  stopTrack(track, fade = 0) {
    this.#native.stopTrack(track, fade);
  }

  /** Live parameter change of a running animation (blends over blendWindow). */
  setParameter(tag, params, timing) {
    const full = this.#merge(tag, params, timing);
    this.#native.replaceAnimation({ tag, ...full });
    this.#anims.set(tag, full);
  }

  /**
   * Switch the running animation `tag` (any tag: a show group's index too) to
   * a new motion, blended over blendWindow; unlike setParameter nothing is
   * merged: {model, params, timing} is the whole new motion.
   */
  replaceAnimation(tag, motion) {
    if (typeof tag !== 'number') throw typeError('tag must be a number');
    if (!isPlainObject(motion) || typeof motion.model !== 'string') {
      throw typeError('replaceAnimation expects {model, params?, timing?}');
    }
    const full = { model: motion.model, params: { ...(motion.params || {}) }, timing: motion.timing };
    this.#native.replaceAnimation({ tag, ...full });
    this.#anims.set(tag, full);
  }

  goto(track, position, options) {
    this.#native.goto(track, position, options);
  }

  setBase(track, position) {
    this.#native.setBase(track, position);
  }

  deviceEcho(track, position) {
    this.#native.deviceEcho(track, position);
  }

  /**
   * Mute (sends nothing), solo (only soloed tracks send) and lock (cues,
   * starts, gotos and stops leave it where it stands) of one track; absent
   * keys are false. Queued like any command.
   */
  setTrackFlags(track, flags) {
    this.#native.setTrackFlags(track, flags);
  }

  /**
   * The seed's update_state: apply one update on the libuv thread pool.
   * Updates apply in call order; the promise settles once the update is
   * validated and queued for the tick (its effect shows from the next tick).
   */
  updateState(update) {
    const run = () => {
      if (!isPlainObject(update) || typeof update.type !== 'string') {
        throw typeError('updateState expects an object {type, ...}');
      }
      let u = update;
      let full;
      if (u.type === 'setParameter') {
        full = this.#merge(u.tag, u.params, u.timing);
        u = { type: 'setParameter', tag: u.tag, ...full };
      }
      return this.#native.updateState(u).then((result) => {
        if (u.type === 'setParameter') this.#anims.set(u.tag, full);
        if (u.type === 'startAnimation') this.#remember(result, u);
        return result;
      });
    };
    const p = this.#chain.then(run, run);
    this.#chain = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  /** The latest published tick, or null before the first tick. */
  snapshot() {
    return this.#native.snapshot();
  }

  getStatus() {
    return this.#native.getStatus();
  }

  getMetrics() {
    return this.#native.getMetrics();
  }

  getOutputStats() {
    return this.#native.getOutputStats();
  }

  /** Counters of the streaming path (frames, skipped frames, dropped events). */
  streamStats() {
    return this.#native.streamStats();
  }

  /**
   * on('positions', listener, {rate}) — frames like snapshot(), at most
   * `rate` per second (default 30); on('event', listener) — conflicts, ended
   * animations and shows, failed commands, base changes, fired cues.
   */
  on(name, listener, options) {
    if (typeof listener !== 'function') throw typeError('listener must be a function');
    if (name === 'positions') {
      let rate = DEFAULT_POSITIONS_RATE;
      if (options !== undefined) {
        if (!isPlainObject(options)) throw typeError('options must be an object {rate}');
        if (options.rate !== undefined) {
          if (typeof options.rate !== 'number') throw typeError('rate must be a number');
          if (!(options.rate > 0 && options.rate <= 1000)) {
            throw new RangeError(`rate must be in (0, 1000] Hz, got ${options.rate}`);
          }
          rate = options.rate;
        }
      }
      this.#positions.push({ listener, rate, last: -Infinity });
    } else if (name === 'event') {
      this.#events.push(listener);
    } else {
      throw typeError(`unknown event name '${String(name)}' (use 'positions' or 'event')`);
    }
    this.#updateStreaming();
    return this;
  }

  off(name, listener) {
    if (name === 'positions') {
      const i = this.#positions.findIndex((l) => l.listener === listener);
      if (i >= 0) this.#positions.splice(i, 1);
    } else if (name === 'event') {
      const i = this.#events.indexOf(listener);
      if (i >= 0) this.#events.splice(i, 1);
    }
    this.#updateStreaming();
    return this;
  }

  removeAllListeners() {
    this.#positions.length = 0;
    this.#events.length = 0;
    this.#updateStreaming();
    return this;
  }

  /** Stop the threads, flush the outputs and free the player. Idempotent. */
  close() {
    this.#positions.length = 0;
    this.#events.length = 0;
    this.#native.close();
  }

  #updateStreaming() {
    const rate = this.#positions.reduce((m, l) => Math.max(m, l.rate), 0);
    const events = this.#events.length > 0;
    if ((rate > 0 || events) && !this.#listening) {
      this.#native._listen((frame, events_) => this.#dispatch(frame, events_));
      this.#listening = true;
    }
    if (this.#listening) this.#native._setStreaming(rate, events);
  }

  #dispatch(frame, events) {
    if (events !== null) {
      for (const ev of events) {
        for (const l of this.#events.slice()) l(ev);
      }
    }
    if (frame !== null) {
      const now = performance.now();
      const fastest = this.#positions.reduce((m, l) => Math.max(m, l.rate), 0);
      for (const l of this.#positions.slice()) {
        // The poller runs at the fastest listener's rate: those get every
        // frame; slower ones are thinned to about their own rate.
        if (l.rate >= fastest || now - l.last >= 1000 / l.rate - 500 / fastest) {
          l.last = now;
          l.listener(frame);
        }
      }
    }
  }

  #remember(tag, spec) {
    if (spec.motion instanceof binding.Motion) {
      const m = spec.motion;
      this.#anims.set(tag, { model: m.model, params: m.params, timing: m.timing });
    } else {
      this.#anims.set(tag, { model: spec.model, params: { ...(spec.params || {}) }, timing: spec.timing });
    }
  }

  #merge(tag, params, timing) {
    if (typeof tag !== 'number') throw typeError('tag must be a number');
    if (params !== undefined && !isPlainObject(params)) throw typeError('params must be a plain object');
    const rec = this.#anims.get(tag);
    if (rec === undefined) {
      const e = new HoloanimError(`setParameter: no animation with tag ${tag} was started from this player`);
      e.code = 'ENOTFOUND';
      e.kind = 'InvalidParameter';
      e.parameter = 'tag';
      e.value = String(tag);
      throw e;
    }
    return {
      model: rec.model,
      params: { ...rec.params, ...(params || {}) },
      timing: timing === undefined ? rec.timing : { ...(rec.timing || {}), ...timing },
    };
  }
}

function showText(show, what) {
  if (show instanceof Show) return show.toString();
  if (isPlainObject(show)) return JSON.stringify(show);
  if (typeof show === 'string') return show;
  throw typeError(`${what} expects JSON text, a show object or a Show`);
}

/**
 * A show document (show.h): loaded and validated once, edited with JSON
 * Patch operations that are validated like a loaded file (an invalid result
 * changes nothing and throws with `diagnostics`), one undo step per edit or
 * patch, saved atomically (the previous file kept as NAME.bak).
 */
class Show {
  #native;
  #warnings = [];

  /** An empty, valid show ({"format": 2}). */
  constructor() {
    this.#native = new binding.NativeShow();
  }

  /**
   * Load a show file (path). Throws a HoloanimError with diagnostics.
   * Only a regular file of at most 64 MiB is read. options.untrusted: the
   * user did not name this file (a server's projects folder): a symbolic
   * link is refused and a JSON syntax error gives only its position and
   * reason, never the file's bytes.
   */
  static fromFile(file, { untrusted = false } = {}) {
    return Show.#make(file, untrusted ? 4 : 1, null);
  }

  /** Parse show JSON text; `name` labels the diagnostics. */
  static parse(text, name = 'show.json') {
    return Show.#make(text, 0, name);
  }

  /**
   * Import a Holophonix Animator project (.hpx): a path, or {text, name}.
   * options.autostart: every imported animation starts on play (its group
   * gets autoStart); without it they start by cue only.
   */
  static importHpx(source, options = {}) {
    if (!isPlainObject(options)) throw typeError('importHpx options must be an object');
    const { autostart = false } = options;
    if (typeof autostart !== 'boolean') throw typeError('options.autostart must be a boolean');
    if (isPlainObject(source)) {
      return Show.#make(source.text, 2, source.name || 'project.hpx', autostart);
    }
    return Show.#make(source, 3, null, autostart);
  }

  static #make(source, kind, name, autostart = false) {
    if (typeof source !== 'string') throw typeError('the show source must be a string');
    const s = new Show();
    s.#warnings = s.#native._load(source, kind, name, autostart);
    return s;
  }

  /** Warnings and notes of the load or import ({severity, line, column, path, message, text}). */
  get warnings() {
    return this.#warnings;
  }

  get version() {
    return this.#native._state().version;
  }

  get canUndo() {
    return this.#native._state().canUndo;
  }

  get canRedo() {
    return this.#native._state().canRedo;
  }

  get name() {
    return this.#native._state().name;
  }

  /** {version, canUndo, canRedo, sourceFormat, name} in one call. */
  state() {
    return this.#native._state();
  }

  /** One JSON Patch operation ('add' | 'remove' | 'replace'); returns the new version. */
  edit(op, pointer, value) {
    if (typeof op !== 'string' || typeof pointer !== 'string') {
      throw typeError('edit(op, pointer, value) expects two strings and a JSON value');
    }
    return this.#native.edit(op, pointer, op === 'remove' ? null : JSON.stringify(value ?? null));
  }

  /** Several operations [{op, path, value}] as one undo step, all or nothing. */
  patch(ops) {
    if (!Array.isArray(ops)) throw typeError('patch expects an array of {op, path, value}');
    return this.#native.patch(JSON.stringify(ops));
  }

  undo() {
    return this.#native.undo();
  }

  redo() {
    return this.#native.redo();
  }

  /** The value at a JSON Pointer ('' = the whole document), parsed. */
  get(pointer = '') {
    return JSON.parse(this.#native.getJson(pointer));
  }

  toJSON() {
    return this.get('');
  }

  /** The canonical text (what save writes). */
  toString() {
    return this.#native.toString();
  }

  /** Atomic save to `file`; the previous file is kept as `file`.bak. */
  save(file) {
    this.#native.save(file);
  }

  setHistoryLimit(n) {
    this.#native.setHistoryLimit(n);
  }
}

// ---- calculatePositionSync ----
//
// The native half (_position) writes the position into 3 doubles the addon
// owns and returns nothing; `position` is a Float64Array over them. Building
// the result here, where V8 allocates {x, y, z} inline, or copying it into a
// caller's array costs a few nanoseconds; building it through Node-API cost
// more than the rest of the call.
const position = binding._positionScratch;
const nativePosition = binding._position;
const nativePositionOf = binding._positionOf;
const { isFloat64Array } = require('node:util').types;

function rangeError(message) {
  const e = new RangeError(message);
  e.code = 'ERR_OUT_OF_RANGE';
  return e;
}

function describeArg(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v)) return `a ${v[Symbol.toStringTag] ?? 'DataView'}`;
  return typeof v === 'string' ? 'a string' : typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/** Where the position goes in `out`: checks out and offset first, so a bad one writes nothing. */
function outIndex(out, offset) {
  if (!(out instanceof Float64Array) && !isFloat64Array(out)) throw typeError(`out must be a Float64Array, got ${describeArg(out)}`);
  if (offset === undefined) offset = 0;
  else if (typeof offset !== 'number') throw typeError(`offset must be a number, got ${describeArg(offset)}`);
  if (!Number.isInteger(offset) || offset < 0 || offset > out.length - 3) {
    if (out.length < 3) throw rangeError(`out must have at least 3 elements, got ${out.length}`);
    throw rangeError(`offset must be a whole number in [0, ${out.length - 3}], got ${offset}`);
  }
  return offset;
}

/** The position into `position`. */
function positionAt(motion, time, ctx) {
  if (ctx != null) return nativePosition(motion, time, ctx);
  const id = motion?.[kMotionId];
  if (id !== undefined) return nativePositionOf(id, time);
  return nativePosition(motion, time);
}

/**
 * calculatePositionSync(motion, time[, ctx]) -> {x, y, z}
 * calculatePositionSync(motion, time[, ctx], out[, offset]) -> out, with
 * out[offset..offset+2] = x, y, z (no object made).
 */
function calculatePositionSync(motion, time, a, b, c) {
  const argc = arguments.length;
  if (argc <= 2) {
    const id = motion?.[kMotionId];
    if (id !== undefined && argc === 2) nativePositionOf(id, time);
    else nativePosition(...arguments); // a pattern, or the argument-count error
    return { x: position[0], y: position[1], z: position[2] };
  }
  if (argc === 3 && a instanceof Float64Array && a.length >= 3) {
    // (motion, time, out): the common out form, checked inline
    const id = motion?.[kMotionId];
    if (id !== undefined) {
      nativePositionOf(id, time);
      a[0] = position[0];
      a[1] = position[1];
      a[2] = position[2];
      return a;
    }
  }
  let ctx = a;
  let out;
  let offset;
  if (ArrayBuffer.isView(a)) {
    // (any other typed array is a mistaken out, never a ctx)
    ctx = undefined;
    out = a;
    offset = b;
  } else if (b !== undefined) {
    out = b;
    offset = c;
  }
  if (out === undefined) {
    positionAt(motion, time, ctx);
    return { x: position[0], y: position[1], z: position[2] };
  }
  const i = outIndex(out, offset);
  positionAt(motion, time, ctx);
  out[i] = position[0];
  out[i + 1] = position[1];
  out[i + 2] = position[2];
  return out;
}

// ---- evaluate ----
//
// Without options.out the result array is made here, uninitialised: the
// addon writes every element or throws before the array escapes. A result of
// up to POOLED_MAX bytes is a view of a shared ArrayBuffer of SLAB bytes,
// carved in order (as Node's Buffer.allocUnsafe does with its pool); a larger
// one has its own (Buffer.allocUnsafeSlow). Measured in bench/bench.js: an
// ArrayBuffer per 1,000-time result cost ~3 ns a position (allocation, V8's
// external-memory accounting, the sweeper's work on each buffer), as much as
// the evaluation itself. The slabs are marked untransferable, so a result
// put in a postMessage transfer list is copied, never detached under the
// other results of its slab. A Motion crosses as its id.
const nativeEvaluate = binding.evaluate;
const { markAsUntransferable } = require('node:worker_threads');

// Larger results go through the addon's own (zero-filled) allocation, which
// also reports an impossible size the usual way.
const MAX_FRESH = 2 ** 26;
const SLAB = 256 * 1024;
const POOLED_MAX = SLAB / 8;
let slab = null;
let slabUsed = SLAB;

function freshPositions(n) {
  const bytes = 24 * n;
  if (bytes > POOLED_MAX) return new Float64Array(Buffer.allocUnsafeSlow(bytes).buffer, 0, 3 * n);
  if (slabUsed + bytes > SLAB) {
    slab = Buffer.allocUnsafeSlow(SLAB).buffer;
    markAsUntransferable(slab);
    slabUsed = 0;
  }
  const out = new Float64Array(slab, slabUsed, 3 * n);
  slabUsed += bytes;
  return out;
}

/** evaluate(motion, times[, options]) -> Float64Array(3 * times.length), x y z interleaved. */
function evaluate(motion, times, options) {
  if (arguments.length === 2 || (arguments.length === 3 && (options == null || (typeof options === 'object' && options.out === undefined)))) {
    const n = isFloat64Array(times) || Array.isArray(times) ? times.length : -1;
    if (n >= 0 && n <= MAX_FRESH) {
      const id = motion?.[kMotionId];
      const out = freshPositions(n);
      try {
        return id === undefined ? nativeEvaluate(motion, times, options, out) : nativeEvaluate(motion, times, options, out, id);
      } catch (e) {
        // a refused call gives its slab space back
        if (out.buffer === slab && out.byteOffset + out.byteLength === slabUsed) slabUsed = out.byteOffset;
        throw e;
      }
    }
  }
  if (options != null && typeof options === 'object') {
    const id = motion?.[kMotionId];
    if (id !== undefined) return nativeEvaluate(motion, times, options, undefined, id);
  }
  return nativeEvaluate(...arguments);
}

module.exports = {
  Show,
  HoloanimError,
  TrackStatus,
  Motion: binding.Motion,
  Player,
  listModels: binding.listModels,
  createMotion: binding.createMotion,
  calculatePosition: binding.calculatePosition,
  calculatePositionSync,
  evaluate,
  interpolateTrajectory: binding.interpolateTrajectory,
  groupPositions: binding.groupPositions,
  maintainFormation: binding.maintainFormation,
  startDevsim: binding.startDevsim,
  statusName: binding.statusName,
  napiVersion: binding.napiVersion,
  libraryVersion: binding.libraryVersion,
  /** Internal counters (live Motion objects, ...) for leak tests. */
  _stats: binding._stats,
};
