'use strict';
// The live side of a show: one holoanim Player (native tick thread, OSC
// outputs) kept in step with the document the session owns.
//
// Who starts what. The player is loaded with the show's text, but with every
// group's autoStart turned off: the runtime starts groups itself (tag = group
// index, as the core's show player does), so it knows which animation drives
// which track (`owners`) and since when. Cues are fired by the core
// (player.goCue), which returns the cue and the operations it ran with the
// show's own tags; the runtime follows them on `owners`. Tags: a group's is
// its index (the core's rule, the one tag computed here); a cue's start
// action has whatever tag the core compiled for it, and a start that has to
// be restarted after an edit of the cues asks the core for it in the edited
// show (player.actionTag).
//
// Edits while playing. After each change of the document the runtime updates
// the player the cheapest way that stays exact:
//   - base positions → setBase (live);
//   - an animation's model, parameters or timing → replaceAnimation on every
//     tag that uses it (blended by the engine, the phase is kept);
//   - groups, cues, presets → replaceShow (same player), and a running group
//     whose tracks or mode changed is restarted (the engine crossfades);
//   - tracks added or removed, outputs, limits → a new player, restored at the
//     same transport time with every running group restarted at the time it
//     had started (seek there, start, seek back: phase exact, the transport is
//     paused while that happens).
// Rejected: rebuilding the player on every edit (a glitch on every parameter
// change) and firing cues in JavaScript (the core already knows how).
//
// Device echoes: whenever the show has outputs the player listens for their
// devices' pushes (devicelink.js echoPort: the `control` port, else the
// outputs' feedback port or one of its own); 'control' says where.
//
// Cues from the network. With the `control` option the player listens on an
// OSC port (Player.openControl): a cue's own `osc` address or
// /holoanim/cue/go n fires it in the core; its 'cue' event says where from
// ("osc 10.0.0.5:53000", "control /holoanim/cue/go"), and the runtime follows
// the cue's effects on `owners` as goCue does (player.cueEffects: the same
// operations, not fired again). Every fired cue reaches the clients as an
// event {type: 'cue', cue, name, source}, source "ui" for the UI's GO.
//
// The player's tick thread never waits for JavaScript: positions come from
// the addon's poller at the display rate and are handed to the server, which
// thins them per client.

const os = require('node:os');
const { EventEmitter } = require('node:events');
const { echoPort } = require('./devicelink');
const { syncTrackFlags } = require('./trackstate.js');

const LOOP_MODES = ['once', 'loop', 'pingpong'];
const GLIDE = 1; // s: a start that would jump a source glides it onto its path instead
const AT = 1e-3; // m: a source this close to where its path starts does not glide
const PATH_SAMPLES = 96;
const FRAME_RATE = 60;

function timingOf(anim) {
  let loop = anim.loop ?? 'loop';
  if (anim.pingPong === true) loop = 'pingpong';
  if (loop === true) loop = 'loop';
  if (loop === false) loop = 'once';
  return { duration: anim.duration ?? 10, loop, speed: anim.speed ?? 1, seam: anim.seam ?? 'blend' };
}

function motionOf(anim) {
  return { model: anim.model, params: anim.parameters || {}, timing: timingOf(anim) };
}

const SPEC_KEYS = ['mode', 'phaseOffset', 'phaseSpread', 'delay', 'rotateFormation', 'centerPoint', 'spreadRadius', 'mirrorAxis'];

function specOf(src) {
  const spec = {};
  for (const k of SPEC_KEYS) if (src[k] !== undefined) spec[k] = src[k];
  return spec;
}

/** The text the player is loaded with: the show without autoStart (see above). */
function playerText(doc) {
  const copy = { ...doc };
  if (Array.isArray(doc.groups)) copy.groups = doc.groups.map((g) => ({ ...g, autoStart: false }));
  return JSON.stringify(copy);
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What needs a new player: the track ids (in order), outputs, limits and the
 * live-data mappings (the player sets their ranges and smoothing up once).
 */
function structureKey(doc) {
  return JSON.stringify([(doc.tracks || []).map((t) => t.id), doc.outputs || [], doc.limits || null, doc.mappings || []]);
}

/** The loop of one animation in transport seconds (one cycle of a pingpong). */
function periodOf(anim) {
  const tm = timingOf(anim);
  const base = tm.duration / Math.max(tm.speed, 1e-6);
  return tm.loop === 'pingpong' ? 2 * base : base;
}

class Runtime extends EventEmitter {
  #h;
  #opts;
  #player = null;
  #doc = null;
  #key = '';
  #started = false; // autoStart groups were started since the last stop
  #rewind = true; // the next Play starts the show from 0 (after load or a Stop)
  #loop = false;
  // what was asked (the player's status lags by up to one tick)
  #playing = false;
  #speed = 1;
  #anims = new Map(); // tag → {kind: 'group'|'cue', group, cue, action, since, tracks: number[]}
  #owners = new Map(); // track id → tag
  #stats = { at: 0, outputs: [], status: null };
  #lastFrame = null;
  #rebuilds = 0;
  #echoBound = null; // {bind, port} the echo port got when any free one would do
  /** Why the show's outputs could not be opened (the player then runs without them), or null. */
  outputError = null;
  /** The OSC control port ({address, port}): the `control` option's, or where device echoes arrive; else null. */
  control = null;
  /** The nice value the player's threads were started with (null: unknown). */
  priority = null;

  /**
   * @param h the holoanim addon
   * @param opts {tickRate (Hz, 100), frameRate (Hz, 60), playerOptions, control:
   *   {port, bind, allow, allowLoopback} (Player.openControl; none: no port)}
   */
  constructor(h, opts = {}) {
    super();
    this.#h = h;
    this.#opts = { tickRate: 100, frameRate: FRAME_RATE, ...opts };
  }

  get player() {
    return this.#player;
  }

  get rebuilds() {
    return this.#rebuilds;
  }

  /** Load a document into a new player (transport stopped at 0). */
  load(doc) {
    this.#anims.clear();
    this.#owners.clear();
    this.#started = false;
    this.#rewind = true;
    this.#playing = false;
    this.#speed = 1;
    this.#newPlayer(doc);
    this.#doc = doc;
    this.#key = structureKey(doc);
    this.#emitTransport();
    this.#emitPaths();
  }

  /**
   * A new player for `doc`, replacing the current one. When the show's
   * outputs cannot be opened (a host that does not resolve), the player runs
   * without them and says so: positions keep flowing to the views, and the
   * next edit tries again.
   */
  #newPlayer(doc) {
    try {
      this.#swapPlayer(playerText(doc), echoPort(doc, this.#opts.control, this.#opts.echoPort));
      this.outputError = null;
    } catch (e) {
      if (!doc.outputs || doc.outputs.length === 0) throw e;
      this.#swapPlayer(playerText({ ...doc, outputs: [] }), this.#opts.control);
      this.outputError = e.message;
      this.emit('event', { type: 'error', message: `${e.message} (playing without outputs until this is fixed)` });
    }
  }

  /**
   * Open the control port (cues, device echoes): a free port asked for again
   * (no fixed one) reuses the one bound before, so a device pushing there
   * keeps reaching the new player.
   */
  #openControl(p, ctl) {
    const again = ctl.port === 0 && this.#echoBound && this.#echoBound.bind === ctl.bind;
    let c;
    try {
      c = p.openControl(again ? { ...ctl, port: this.#echoBound.port } : ctl);
    } catch (e) {
      if (!again) throw e;
      c = p.openControl(ctl); // taken meanwhile: another free port
    }
    if (ctl.port === 0) this.#echoBound = { bind: ctl.bind, port: c.port };
    return c;
  }

  #swapPlayer(text, ctl = this.#opts.control) {
    const old = this.#player;
    if (old) old.close();
    this.#player = null;
    // tickPriority: the tick thread alone under SCHED_FIFO when allowed, so a
    // browser drawing on the same machine cannot delay ticks. Not `realtime`:
    // its mlockall(MCL_FUTURE) makes V8's later mprotect calls fail (abort).
    const p = new this.#h.Player({ tickRate: this.#opts.tickRate, tickPriority: this.#opts.tickPriority ?? 20, ...(this.#opts.playerOptions || {}) });
    try {
      p.loadShow(text);
      p.on('positions', (f) => {
        this.#lastFrame = f;
        this.emit('frame', f);
      }, { rate: this.#opts.frameRate });
      p.on('event', (e) => this.#onEvent(e));
      this.#startRaised(p);
      this.control = null;
      if (ctl) {
        try {
          this.control = this.#openControl(p, ctl);
        } catch (e) {
          // the show still plays; cues by OSC (and device echoes) wait for the port
          const given = !!this.#opts.control;
          const hint = /in use|EADDRINUSE/i.test(`${e.code} ${e.message}`) ? ` (another port: ${given ? '--control [HOST:]PORT' : "the output's feedback port"})` : '';
          this.emit('event', { type: 'error', message: `${given ? 'control port' : 'device echo port'}: ${e.message}${hint}` });
        }
      }
      this.emit('control', this.control);
    } catch (e) {
      p.close();
      this.#player = null;
      throw e;
    }
    this.#player = p;
    this.#stats = { at: 0, outputs: [], status: null };
  }

  /**
   * Start the player's threads at a higher priority (nice -10 by default)
   * when the system allows it: the tick thread when SCHED_FIFO was refused,
   * and the poller that feeds the positions to the clients. On Linux nice is
   * per thread and a new thread inherits its creator's: the main thread
   * raises itself, starts the player, and goes back. Rejected: raising the
   * whole process (JavaScript would compete with the tick).
   */
  #startRaised(p) {
    const want = this.#opts.nice ?? -10;
    let before = null;
    try {
      before = os.getPriority(0);
      if (want < before) os.setPriority(0, want);
      this.priority = os.getPriority(0);
    } catch {
      this.priority = before; // not allowed here: normal priority
    }
    try {
      p.start();
    } finally {
      if (before !== null) {
        try {
          os.setPriority(0, before);
        } catch {
          // lowering back is always allowed; nothing to do if not
        }
      }
    }
  }

  #onEvent(e) {
    if (e.type === 'animationEnded') {
      const rec = this.#anims.get(e.tag);
      const def = rec && this.#definition(this.#doc, rec);
      if (def && def.motion.timing.loop === 'once') {
        // the tracks hold the end of the path: nothing ahead to draw
        this.#release(e.tag);
        this.#emitPaths();
      }
    } else if (e.type === 'showEnded' && this.#loop) {
      this.seek(0);
      this.#player.play();
    } else if (e.type === 'cue' && e.source !== 'api') {
      this.#cueFromControl(e);
    }
    const out = { ...e };
    // goCue's (the only 'api' caller here) come from the UI
    if (out.type === 'cue' && out.source === 'api') out.source = 'ui';
    if (out.error) out.error = { code: out.error.code, message: out.error.message };
    this.emit('event', out);
  }

  // ---- transport ----

  transport() {
    const st = this.#player ? this.#player.getStatus() : null;
    return {
      playing: this.#playing,
      time: st ? st.time : 0,
      speed: this.#speed,
      loop: this.#loop,
      started: this.#started,
      length: this.#timelineLength(),
    };
  }

  /** The seek-bar span: the timeline's length, else the longest `once` animation, else its longest loop, ≥ 30 s. */
  #timelineLength() {
    const tl = this.#doc && this.#doc.timeline;
    if (tl && tl.length > 0) return tl.length; // the show says how long it is
    let len = 30;
    for (const a of (this.#doc && this.#doc.animations) || []) {
      const tm = timingOf(a);
      if (tm.loop === 'once') len = Math.max(len, periodOf(a) * 1.25);
    }
    return Math.ceil(len);
  }

  play() {
    const p = this.#player;
    if (!this.#started) {
      // after a Stop the show starts at 0, also when Play comes while the
      // sources still glide home (the player would go on from there)
      const st = p.getStatus();
      const since = this.#rewind ? 0 : st.time;
      if (this.#rewind && (st.time !== 0 || st.playing)) {
        p.play();
        p.seek(0);
      }
      // document order, like the core: a later autoStart group takes shared tracks
      (this.#doc.groups || []).forEach((g, i) => {
        if (g.autoStart) this.#startGroup(this.#doc, i, since);
      });
      this.#started = true;
    }
    this.#rewind = false;
    p.play();
    this.#playing = true;
    this.#emitPaths();
    return this.#emitTransport();
  }

  /**
   * A cue fired while the transport is stopped or paused starts it where it
   * is, so the cue's moves and animations play out (they run on transport
   * time). Only the cue runs: the show's autoStart groups start with Play.
   */
  #runForCue() {
    if (this.#playing) return;
    this.#player.play();
    this.#playing = true;
    this.#rewind = false;
    this.#emitTransport();
  }

  pause() {
    this.#player.pause();
    this.#playing = false;
    return this.#emitTransport();
  }

  /**
   * Stop: every animation off, the transport back to 0. `hold`: the sources
   * stay where they are (the next Play glides them onto the show);
   * `return`: they glide back to their bases over `fade` seconds (0: at once).
   */
  stop(fade = 0, mode = fade > 0 ? 'return' : 'hold') {
    const p = this.#player;
    if (mode === 'return' && fade > 0) {
      p.stop(fade);
    } else {
      p.stop(0);
      // a track no animation drives rests at its base
      if (mode === 'return') for (const t of this.#doc.tracks || []) p.setBase(t.id, t.position || [0, 0, 0]);
    }
    this.#playing = false;
    this.#anims.clear();
    this.#owners.clear();
    this.#started = false;
    this.#rewind = true;
    this.#emitPaths();
    return this.#emitTransport({ time: fade > 0 ? this.transport().time : 0 });
  }

  seek(time) {
    this.#player.seek(time);
    return this.#emitTransport({ time });
  }

  setSpeed(speed) {
    this.#player.setSpeed(speed);
    this.#speed = speed;
    return this.#emitTransport();
  }

  setLoop(loop) {
    this.#loop = !!loop;
    return this.#emitTransport();
  }

  panic() {
    this.#player.panic();
    this.#playing = false;
    this.#anims.clear();
    this.#owners.clear();
    this.#emitPaths();
    return this.#emitTransport();
  }

  /** Fire a cue by number: the core finds it, runs it and says what it did; the owners follow. */
  goCue(number) {
    this.#player.cueEffects(number); // throws ENOTFOUND with the core's words, before anything runs
    this.#runForCue();
    const fired = this.#player.goCue(number);
    this.#followCue(fired);
    return { number: fired.number, name: fired.name };
  }

  /**
   * Recall a preset of the document: its tracks (or `tracks`, in the
   * preset's order) move to its positions over `transition` s with `easing`,
   * along a straight line (`space` xyz) or about the origin (aed), the k-th
   * `stagger`·k s after the first: the moves of a cue's preset action, and
   * like a cue it starts the transport when it is not running.
   */
  recall(name, { transition = 2, easing = 'linear', space = 'xyz', stagger = 0, tracks } = {}) {
    const pr = ((this.#doc && this.#doc.presets) || []).find((x) => x.name === name);
    if (!pr) throw Object.assign(new Error(`no preset "${name}" in the show`), { code: 'ENOTFOUND', parameter: 'preset' });
    if (!this.#h.listModels().easings.includes(easing)) throw Object.assign(new Error(`easing "${easing}": not an easing (${this.#h.listModels().easings.join(', ')})`), { code: 'EINVAL', parameter: 'easing' });
    if (!(transition >= 0 && transition <= 3600) || !(stagger >= 0 && stagger <= 3600)) throw Object.assign(new Error('transition and stagger: seconds in [0, 3600]'), { code: 'EINVAL', parameter: 'transition' });
    const have = new Set((this.#doc.tracks || []).map((t) => t.id));
    const ids = Object.keys(pr.positions).map(Number).filter((id) => have.has(id) && (!tracks || tracks.includes(id)));
    this.#runForCue();
    ids.forEach((id, k) => {
      this.#player.goto(id, pr.positions[String(id)], { duration: transition, easing, aed: space === 'aed', delay: k * stagger });
      this.#owners.delete(id);
    });
    this.#prune();
    this.#emitPaths();
    return { preset: name, tracks: ids };
  }

  /** Where every track is now (the player's last tick), by id, rounded to the millimetre. */
  positions() {
    const snap = this.#player ? this.#player.snapshot() : null;
    const out = new Map();
    if (!snap) return out;
    Array.from(snap.ids).forEach((id, i) => out.set(id, [0, 1, 2].map((k) => Math.round(snap.positions[3 * i + k] * 1000) / 1000)));
    return out;
  }

  /** A cue the control port fired (the core ran it): follow what it did. */
  #cueFromControl(e) {
    this.#runForCue();
    try {
      this.#followCue({ number: e.cue, name: e.name, effects: this.#player.cueEffects(e.cue) });
    } catch (err) {
      // the show changed since: the next edit or cue sets the owners right
      this.emit('warning', `cue ${e.cue} from ${e.source}: ${err.message}`);
    }
  }

  /** The owners after a fired cue's effects. */
  #followCue(fired) {
    const now = this.#now();
    for (const e of fired.effects) {
      if (e.type === 'start') {
        const rec = e.group !== undefined ? { kind: 'group', group: e.group } : { kind: 'cue', cue: fired.number, action: e.action };
        this.#own(e.tag, { ...rec, since: now, tracks: e.tracks });
      } else if (e.type === 'stopAnimation') {
        this.#release(e.tag);
      } else {
        // stopTrack, goto (a staggered one too: the track is on its way out)
        this.#owners.delete(e.track);
      }
    }
    this.#prune();
    this.#emitPaths();
  }

  /**
   * Which tag drives each animated track: [{track, tag, kind, group | cue +
   * action}], by track. A read accessor (tests, diagnostics): the runtime
   * itself keeps the map private.
   */
  owners() {
    return [...this.#owners]
      .sort((a, b) => a[0] - b[0])
      .map(([track, tag]) => {
        const { kind, group, cue, action } = this.#anims.get(tag) || {};
        return kind === 'group' ? { track, tag, kind, group } : { track, tag, kind, cue, action };
      });
  }

  /** Move a track's base live (dragging): no document change. */
  setBase(track, position) {
    this.#player.setBase(track, position);
  }

  stopTrack(track, fade = 0) {
    this.#player.stopTrack(track, fade);
    this.#owners.delete(track);
    this.#prune();
    this.#emitPaths();
  }

  // ---- following the document ----

  /** The document changed (an edit, undo, redo): bring the player in line. */
  update(doc) {
    const old = this.#doc;
    this.#doc = doc;
    const key = structureKey(doc);
    if (key !== this.#key || this.outputError) {
      this.#key = key;
      this.#rebuild(old, doc);
    } else {
      try {
        this.#follow(old, doc);
      } catch (e) {
        // never leave the player behind the document: start it afresh
        this.emit('warning', `update: ${e.message}; new player`);
        this.#rebuild(old, doc);
      }
    }
    this.#emitPaths();
    this.#emitTransport();
  }

  #follow(old, doc) {
    const p = this.#player;
    syncTrackFlags(p, old, doc); // mute, solo, lock: live, no new player
    // base positions
    const oldTracks = new Map((old.tracks || []).map((t) => [t.id, t]));
    for (const t of doc.tracks || []) {
      const o = oldTracks.get(t.id);
      if (o && !same(o.position, t.position)) p.setBase(t.id, t.position || [0, 0, 0]);
    }
    // (the timeline too: the core plays its clips and markers on the tick)
    if (!same(old.groups, doc.groups) || !same(old.cues, doc.cues) || !same(old.presets, doc.presets) || !same(old.animations, doc.animations) || !same(old.timeline, doc.timeline)) {
      p.replaceShow(playerText(doc));
    }
    const now = this.#now();
    // running animations whose definition or tag changed (the player has the
    // new show's tags). Every stop comes before any start: an edit of the
    // cues or groups can give one record the tag another had. A cue's tags
    // depend on the cues only: unchanged cues keep every cue record's tag.
    const cuesSame = same(old.cues, doc.cues);
    const restart = [];
    for (const [tag, rec] of [...this.#anims]) {
      const was = this.#definition(old, rec);
      const is = this.#definition(doc, rec);
      const isTag = !is ? null : rec.kind === 'cue' && cuesSame ? tag : this.#tagOf(doc, rec);
      if (isTag === null) {
        // its group or cue is gone: glide home
        p.stopAnimation(tag, 1);
        this.#release(tag);
      } else if (isTag !== tag || !same(was.tracks, is.tracks) || !same(was.spec, is.spec)) {
        if (isTag !== tag) p.stopAnimation(tag, 0);
        this.#release(tag);
        restart.push({ is, isTag, rec });
      } else if (!same(was.motion, is.motion)) {
        p.replaceAnimation(tag, is.motion);
      }
    }
    for (const { is, isTag, rec } of restart) this.#startDef(is, isTag, rec, now);
    // groups added with autoStart while the show runs start now
    if (this.#started) {
      const before = new Set((old.groups || []).map((g) => g.name));
      (doc.groups || []).forEach((g, i) => {
        if (g.autoStart && !before.has(g.name)) this.#startGroup(doc, i);
      });
    }
  }

  /** {tracks, spec, motion} of a running record in `doc`, or null. */
  #definition(doc, rec) {
    if (rec.kind === 'group') {
      const g = (doc.groups || []).find((x) => x.name === rec.group);
      const a = g && (doc.animations || []).find((x) => x.name === g.animation);
      if (!a) return null;
      return { tracks: g.tracks, spec: { ...specOf(g), fadeIn: a.fadeIn }, motion: motionOf(a) };
    }
    const c = (doc.cues || []).find((x) => Math.abs(x.number - rec.cue) <= 1e-9); // the core's tolerance
    const act = c ? (c.actions || [])[rec.action] : null;
    if (!act || act.type !== 'start' || act.animation === undefined) return null;
    const a = (doc.animations || []).find((x) => x.name === act.animation);
    if (!a) return null;
    return { tracks: act.tracks || [], spec: { ...specOf(act), fadeIn: a.fadeIn }, motion: motionOf(a) };
  }

  /**
   * The tag of a record in `doc`, which the player must have loaded: a group
   * is its index; a cue's start action is the tag the core compiled for it
   * (actionTag). null when it is gone.
   */
  #tagOf(doc, rec) {
    if (rec.kind === 'group') {
      const gi = (doc.groups || []).findIndex((g) => g.name === rec.group);
      return gi >= 0 ? gi : null;
    }
    try {
      return this.#player.actionTag(rec.cue, rec.action);
    } catch (e) {
      if (e.code === 'ENOTFOUND') return null; // the cue or the action is gone
      throw e;
    }
  }

  /**
   * Start a running record's animation. A group's offsets come from the
   * tracks' bases in the document, never from wherever they stand (a Stop
   * that held them, a restart after an edit): `fromBase`, as `holoanim play`
   * and `eval` have them. When a source is not where its path starts and the
   * animation has no fadeIn, it glides there over GLIDE seconds: no jump.
   */
  #startDef(def, tag, rec, since, glide = true) {
    const spec = { ...def.spec };
    if (spec.fadeIn === undefined) delete spec.fadeIn;
    const fromBase = rec.kind === 'group';
    if (glide && !(spec.fadeIn > 0) && this.#wouldJump(def, fromBase)) spec.fadeIn = GLIDE;
    this.#player.startAnimation({ tag, tracks: def.tracks, ...def.motion, ...spec, fromBase });
    // the player skips locked tracks (they hold where they stand): not owned
    const locked = new Set((this.#doc.tracks || []).filter((t) => t.lock === true).map((t) => t.id));
    this.#own(tag, { ...rec, since, tracks: def.tracks.filter((t) => !locked.has(t)) });
  }

  /** Does any track of `def` stand away from where its path starts? */
  #wouldJump(def, fromBase) {
    const snap = this.#player.snapshot();
    if (!snap) return false;
    const at = new Map();
    Array.from(snap.ids).forEach((id, i) => at.set(id, [snap.positions[3 * i], snap.positions[3 * i + 1], snap.positions[3 * i + 2]]));
    const bases = new Map((this.#doc.tracks || []).map((t) => [t.id, t.position || [0, 0, 0]]));
    const from = def.tracks.map((t) => (fromBase ? bases.get(t) : at.get(t)) || [0, 0, 0]);
    let start;
    try {
      const group = { motion: this.#h.createMotion(def.motion.model, def.motion.params, def.motion.timing), tracks: def.tracks, bases: from, ...specOf(def.spec) };
      start = this.#h.groupPositions(group, 0);
    } catch {
      return false; // the player says what is wrong when it starts
    }
    return def.tracks.some((t, i) => {
      const p = at.get(t);
      return p && Math.hypot(p[0] - start[3 * i], p[1] - start[3 * i + 1], p[2] - start[3 * i + 2]) > AT;
    });
  }

  #startGroup(doc, gi, since = this.#now()) {
    const rec = { kind: 'group', group: doc.groups[gi].name };
    const def = this.#definition(doc, rec);
    if (def) this.#startDef(def, gi, rec, since);
  }

  #own(tag, rec) {
    this.#anims.set(tag, rec);
    for (const t of rec.tracks) this.#owners.set(t, tag);
    this.#prune();
  }

  #release(tag) {
    this.#anims.delete(tag);
    for (const [t, owner] of [...this.#owners]) if (owner === tag) this.#owners.delete(t);
  }

  /** Forget animations that drive no track any more (taken over everywhere). */
  #prune() {
    const live = new Set(this.#owners.values());
    for (const tag of [...this.#anims.keys()]) if (!live.has(tag)) this.#anims.delete(tag);
  }

  #now() {
    return this.#player ? this.#player.getStatus().time : 0;
  }

  #rebuild(old, doc) {
    const t = this.#player ? this.#player.getStatus().time : 0;
    const running = [...this.#anims.entries()]
      .map(([tag, rec]) => ({ tag, rec, def: this.#definition(doc, rec) }))
      .filter((r) => r.def)
      .sort((a, b) => a.rec.since - b.rec.since);
    this.#anims.clear();
    this.#owners.clear();
    this.#newPlayer(doc);
    this.#rebuilds++;
    const p = this.#player;
    const ids = new Set((doc.tracks || []).map((t) => t.id));
    for (const r of running) {
      const tracks = r.def.tracks.filter((t) => ids.has(t));
      const tag = this.#tagOf(doc, r.rec); // the new player's show is doc
      if (tracks.length === 0 || tag === null) continue;
      p.seek(r.rec.since); // paused: the clock stays there while we start
      // the sources were on their paths: restored as they were, no glide
      this.#startDef({ ...r.def, tracks }, tag, r.rec, r.rec.since, false);
    }
    p.seek(t);
    if (this.#speed !== 1) p.setSpeed(this.#speed);
    if (this.#playing) p.play();
  }

  // ---- paths drawn ahead of the sources ----

  /**
   * For each animated track, one loop of its path (transport seconds from
   * the start of its animation), computed by the engine. When nothing runs
   * and the show is stopped, the paths the autoStart groups will take.
   */
  paths(doc = this.#doc) {
    const items = [];
    const bases = new Map((doc.tracks || []).map((t) => [t.id, t.position || [0, 0, 0]]));
    const defs = [];
    if (this.#anims.size > 0) {
      for (const [tag, rec] of this.#anims) {
        const def = this.#definition(doc, rec);
        if (!def) continue;
        const owned = def.tracks.filter((t) => this.#owners.get(t) === tag);
        if (owned.length) defs.push({ def, tag, draw: new Set(owned), preview: false });
      }
    } else if (!this.#started) {
      (doc.groups || []).forEach((g, gi) => {
        if (!g.autoStart) return;
        const def = this.#definition(doc, { kind: 'group', group: g.name });
        if (def) defs.push({ def, tag: gi, draw: new Set(def.tracks), preview: true });
      });
    }
    for (const { def, tag, draw, preview } of defs) {
      try {
        const pts = this.sampleGroup(def.motion, def.tracks, def.spec, bases);
        def.tracks.forEach((t, i) => {
          if (draw.has(t)) items.push({ track: t, tag, preview, points: pts[i] });
        });
      } catch (e) {
        this.emit('warning', `paths: ${e.message}`);
      }
    }
    return items;
  }

  /**
   * Sample a group's motion for every member over one loop: an array (per
   * track) of flat [x, y, z, ...] rounded to the millimetre.
   */
  sampleGroup(motion, tracks, spec, bases, samples = PATH_SAMPLES) {
    const m = this.#h.createMotion(motion.model, motion.params, motion.timing);
    const tm = m.timing;
    const period = (tm.loop === 'pingpong' ? 2 : 1) * tm.duration / tm.speed;
    const n = tracks.length;
    let extra = 0;
    if (tm.loop === 'once' && n > 1) {
      extra = spec.phaseSpread ? period * (n - 1) / n : Math.max(0, (spec.phaseOffset || 0) * (n - 1));
    }
    const span = period + extra;
    const out = tracks.map(() => new Array(3 * (samples + 1)));
    const group = {
      motion: m,
      tracks,
      bases: tracks.map((t) => bases.get(t) || [0, 0, 0]),
      ...specOf(spec),
    };
    delete group.fadeIn;
    for (let k = 0; k <= samples; k++) {
      const pos = this.#h.groupPositions(group, (span * k) / samples);
      for (let i = 0; i < n; i++) {
        out[i][3 * k] = Math.round(pos[3 * i] * 1000) / 1000;
        out[i][3 * k + 1] = Math.round(pos[3 * i + 1] * 1000) / 1000;
        out[i][3 * k + 2] = Math.round(pos[3 * i + 2] * 1000) / 1000;
      }
    }
    return out;
  }

  #emitPaths() {
    this.emit('paths', this.paths());
  }

  #emitTransport(over = {}) {
    const t = { ...this.transport(), ...over };
    this.emit('transport', t);
    return t;
  }

  // ---- statistics ----

  /** Status, metrics and per-output rates since the previous call. */
  stats() {
    const p = this.#player;
    if (!p) return null;
    const now = performance.now();
    const status = p.getStatus();
    const outs = p.getOutputStats();
    const m = p.getMetrics();
    const prev = this.#stats;
    const dt = prev.at ? (now - prev.at) / 1000 : 0;
    const outputs = outs.map((o, i) => {
      const q = prev.outputs[i];
      const rate = (k) => (q && dt > 0 ? Math.max(0, (o[k] - q[k]) / dt) : 0);
      return {
        destination: o.destination,
        messages: o.messages,
        messagesPerSecond: rate('messages'),
        bytesPerSecond: rate('bytes'),
        errors: o.errRefused + o.errOther,
        errorsPerSecond: rate('errRefused') + rate('errOther'),
        refused: o.errRefused,
        deadbandSkips: o.deadbandSkips,
        nonfinite: o.nonfinite,
      };
    });
    const lateNow = status.lateTicks;
    const result = {
      status,
      latePerSecond: prev.status && dt > 0 ? (lateNow - prev.status.lateTicks) / dt : 0,
      ticksPerSecond: prev.status && dt > 0 ? (status.ticks - prev.status.ticks) / dt : 0,
      histograms: Object.fromEntries(Object.entries(m.histograms).map(([k, v]) => [k, { count: v.count, mean_ns: v.mean_ns, p50_ns: v.p50_ns, p99_ns: v.p99_ns, max_ns: v.max_ns }])),
      counters: m.counters,
      gauges: m.gauges,
      errors: m.errors,
      outputs,
      stream: p.streamStats(),
      rebuilds: this.#rebuilds,
      outputError: this.outputError,
      animated: this.#owners.size,
      // the OSC control port ({address, port, sync}) or null; sync: the
      // transport follows a DAW's clock sent there
      control: this.control,
      // the show's mappings with their live values (Player.mappings())
      mappings: p.mappings(),
    };
    this.#stats = { at: now, outputs: outs, status };
    return result;
  }

  lastFrame() {
    return this.#lastFrame;
  }

  close() {
    if (this.#player) this.#player.close();
    this.#player = null;
  }
}

module.exports = { Runtime, playerText, timingOf, motionOf, specOf, structureKey, LOOP_MODES };
