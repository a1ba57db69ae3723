// Compiled by `tsc --noEmit` (test/types.test.js): every call below must
// type-check against index.d.ts, and the @ts-expect-error lines must not.
import {
  HoloanimError,
  Motion,
  Player,
  TrackStatus,
  calculatePosition,
  calculatePositionSync,
  createMotion,
  evaluate,
  groupPositions,
  interpolateTrajectory,
  listModels,
  maintainFormation,
  startDevsim,
  type CueEffect,
  type CueFired,
  type Frame,
  type PlayerEvent,
  type XYZ,
} from '../index';

const reg = listModels();
const names: string[] = reg.models.map((m) => m.name);
const radiusMax: number | undefined = reg.models[0].parameters[0].max;

const m: Motion = createMotion('circular', { radius: 3, center: [0, 0, 1], direction: 'clockwise' }, { duration: 4, loop: 'once' });
const m2 = new Motion('keyframes', { keyframes: [{ time: 0, position: [0, 0, 0], easing: 'linear' }] });
const model: string = m.model;
const duration: number = m.timing.duration;
m.update({ radius: 4 }, null, { window: 0.5 });

const p1: XYZ = calculatePositionSync(m, 1.5);
const p2: XYZ = calculatePositionSync({ model: 'lissajous', params: { amplitudeX: 2 } }, 1.5, { track: 2, shift: 0.1 });
const pos6 = new Float64Array(6);
const q1: Float64Array = calculatePositionSync(m, 1.5, pos6);
const q2: Float64Array = calculatePositionSync(m, 1.5, pos6, 3);
const q3: Float64Array = calculatePositionSync(m, 1.5, { track: 2 }, pos6, 3);
const q4: Float64Array = calculatePositionSync(m, 1.5, null, pos6);
async function go(): Promise<number> {
  const p: XYZ = await calculatePosition(m, 2);
  const all = await Promise.all([calculatePosition(m, 1), calculatePosition({ model: 'spiral' }, 1)]);
  return p.x + all[1].y;
}
const xyz: Float64Array = evaluate(m, new Float64Array([0, 1, 2]), { track: 1, out: new Float64Array(9) });
const path: Float64Array = interpolateTrajectory([[0, 0, 0], [1, 1, 0]], { method: 'catmull-rom', samples: 10 });
const grp: Float64Array = groupPositions({ motion: m, mode: 'isobarycentric', bases: [[0, 0, 0], [1, 0, 0]] }, 2);
const f: Float64Array = maintainFormation([0, 0, 0], new Float64Array(6));

try {
  createMotion('circular', { radius: -1 });
} catch (e) {
  if (e instanceof HoloanimError) {
    const code: string = e.code;
    const rec: boolean = e.recoverable;
    const min: number | undefined = e.min;
    const line: number | undefined = e.line;
    void [code, rec, min, line];
  }
}

const player = new Player({ tickRate: 100, maxTracks: 8, limits: { box: { min: [-5, -5, 0], max: [5, 5, 3] }, maxSpeed: 10 } });
player.addTrack(1, [0, 0, 0]);
const out: number = player.addOutput({ host: '127.0.0.1', port: 4003, dialect: 'holophonix', coords: 'xyz', map: [[1, 3]] });
const tag: number = player.startAnimation({ motion: m, tracks: [1], mode: 'shared', phaseOffset: 0.5 });
player.on('positions', (fr: Frame) => {
  const ids: Uint32Array = fr.ids;
  const pos: Float64Array = fr.positions;
  void [ids, pos, fr.status[0] === TrackStatus.ANIMATED];
}, { rate: 30 });
player.on('event', (ev: PlayerEvent) => {
  if (ev.type === 'conflict') void ev.expected[0];
  if (ev.type === 'cue') void ev.name;
  if (ev.type === 'commandFailed') void ev.error.code;
});
player.start();
player.play();
const fired: CueFired = player.goCue(1);
const effects: CueEffect[] = fired.effects;
void [fired.number, fired.name.length];
const started: number | null = player.actionTag(1, 0);
void started;
for (const e of player.cueEffects(1).concat(effects)) {
  if (e.type === 'start') void [e.tag, e.tracks[0], e.animation, e.group];
  if (e.type === 'goto') void [e.position[2], e.delay, e.space === 'aed'];
}
player.setParameter(tag, { radius: 2 });
void player.updateState({ type: 'seek', time: 3 });
void player.updateState({ type: 'setParameter', tag, params: { radius: 5 } });
void player.updateState({ type: 'startAnimation', model: 'circular', tracks: [1] }).then((t) => t);
void player.updateState({ type: 'goto', track: 1, position: [1, 2, 3], duration: 2, easing: 'sine-in-out' });
player.setTrackFlags(1, { mute: true, lock: false });
const snap = player.snapshot();
if (snap !== null) void snap.velocities;
const st = player.getStatus();
void st.lateTicks;
void player.getMetrics().counters.ticks;
player.close();
const sim = startDevsim({ port: 0, tracks: 4 });
void sim.getTrack(1).position;
sim.stop();

// @ts-expect-error time must be a number
calculatePositionSync(m, '1');
// @ts-expect-error out must be a Float64Array
calculatePositionSync(m, 1, new Float32Array(3));
// @ts-expect-error the out form returns the array, not {x, y, z}
const q5: XYZ = calculatePositionSync(m, 1, pos6);
// @ts-expect-error unknown update type
void player.updateState({ type: 'warp' });
// @ts-expect-error seek needs a time
void player.updateState({ type: 'seek' });
// @ts-expect-error unknown event name
player.on('tick', () => {});

void [names, radiusMax, m2, model, duration, p1, p2, q1, q2, q3, q4, q5, go, xyz, path, grp, f, out];
