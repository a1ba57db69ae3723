'use strict';
// Recording a performance: while armed, every live position the server
// receives (a source dragged in a view) is kept with the show clock's time;
// on stop, each track's take is thinned (thin.js) and becomes a keyframes
// animation and a group on that track, added to the show as one edit (one
// undo step). Samples that come while the transport stands still are left
// out: a take is timed by the show clock.

const { thin } = require('./thin');

const MAX_SAMPLES = 200000; // per take (about an hour of one source at 60 Hz)

class Recorder {
  constructor() {
    this.take = null;
  }

  get recording() {
    return this.take !== null;
  }

  /** Arm: `time` is the show clock now; `tolerance` metres (default 1 cm). */
  start(time, tolerance = 0.01) {
    if (!(tolerance >= 0 && tolerance <= 1)) throw Object.assign(new Error(`record tolerance ${tolerance}: metres in [0, 1]`), { code: 'EINVAL', parameter: 'tolerance' });
    this.take = { t0: time, tolerance, tracks: new Map(), count: 0 };
    return this.state();
  }

  /** A position the server received for `track` at show time `time`, the transport `playing` or not. */
  sample(track, position, time, playing) {
    const take = this.take;
    if (!take || !playing || take.count >= MAX_SAMPLES) return;
    let list = take.tracks.get(track);
    if (!list) take.tracks.set(track, (list = []));
    const t = time - take.t0;
    const last = list[list.length - 1];
    const s = { t, p: [position[0], position[1], position[2]] };
    if (last && t <= last.t) {
      // the clock went back (a seek, a loop): the take restarts there
      if (t < last.t) while (list.length && list[list.length - 1].t >= t) list.pop();
      else list.pop();
    }
    list.push(s);
    take.count++;
  }

  state() {
    const take = this.take;
    if (!take) return { recording: false };
    return { recording: true, tolerance: take.tolerance, tracks: [...take.tracks.keys()], samples: take.count };
  }

  cancel() {
    this.take = null;
    return { recording: false };
  }

  /**
   * Disarm: the take as show edits. Returns {ops, takes: [{track, name,
   * samples, keys}]}; ops is empty when nothing was recorded.
   */
  stop(doc) {
    const take = this.take;
    this.take = null;
    if (!take) throw Object.assign(new Error('not recording'), { code: 'EINVAL' });
    const used = new Set([...(doc.animations || []).map((a) => a.name), ...(doc.groups || []).map((g) => g.name)]);
    const anims = [];
    const groups = [];
    const takes = [];
    const tracks = new Set((doc.tracks || []).map((t) => t.id));
    for (const [track, samples] of take.tracks) {
      if (!tracks.has(track) || samples.length < 2) continue;
      const kept = thin(samples, take.tolerance);
      let name = `take ${track}`;
      for (let k = 2; used.has(name); k++) name = `take ${track} (${k})`;
      used.add(name);
      const r = (v) => Math.round(v * 10000) / 10000;
      const keyframes = kept.map((s) => ({ time: Math.round(s.t * 1e6) / 1e6, position: s.p.map(r) }));
      const duration = Math.max(keyframes[keyframes.length - 1].time, 0.01);
      anims.push({ name, model: 'keyframes', duration, loop: 'once', speed: 1, parameters: { keyframes, interpolation: 'linear' } });
      groups.push({ name, animation: name, tracks: [track], mode: 'shared', autoStart: true });
      takes.push({ track, name, samples: samples.length, keys: keyframes.length, recorded: samples });
    }
    const ops = [];
    if (anims.length) {
      for (const [key, list] of [['animations', anims], ['groups', groups]]) {
        if (Array.isArray(doc[key])) for (const v of list) ops.push({ op: 'add', path: `/${key}/-`, value: v });
        else ops.push({ op: 'add', path: `/${key}`, value: list });
      }
    }
    return { ops, takes };
  }
}

module.exports = { Recorder };
