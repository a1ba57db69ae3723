// Type declarations for holoanim (the Node-API bridge). They describe the
// runtime of index.js exactly; test/types-check.ts is compiled with
// `tsc --noEmit` by the test suite.

export type Vec3 = [number, number, number];
export interface XYZ {
  x: number;
  y: number;
  z: number;
}

export type LoopMode = 'once' | 'loop' | 'pingpong';
/** What 'loop' does at the wrap of a model without a natural end (docs/models.md "Loops and seams"). */
export type Seam = 'blend' | 'cut';

export interface Timing {
  /** seconds, default 10 */
  duration?: number;
  /** default 'loop'; true = 'loop', false = 'once' */
  loop?: LoopMode | 'ping-pong' | boolean;
  /** playback rate, default 1 */
  speed?: number;
  /** shorthand for loop: 'pingpong' */
  pingPong?: boolean;
  /** default 'blend': random/perlin-noise periodic, physics models eased into their start; 'cut' restarts them */
  seam?: Seam;
}

export interface ResolvedTiming {
  duration: number;
  loop: LoopMode;
  speed: number;
  seam: Seam;
}

export interface Keyframe {
  time: number;
  position: Vec3 | XYZ;
  easing?: string;
}

/** One model parameter value: a number, a vector, a quaternion, a string,
 * a boolean, points or keyframes. */
export type ParamValue =
  | number
  | boolean
  | string
  | number[]
  | XYZ
  | Vec3[]
  | Float64Array
  | Keyframe[];

export type Params = Record<string, ParamValue | undefined>;

/** A motion described as data (created, used and freed per call). */
export interface Pattern {
  model: string;
  params?: Params;
  timing?: Timing;
}

export interface TrackContext {
  /** track id: seeds per-track randomness */
  track?: number;
  /** time shift in seconds (group phase offset) */
  shift?: number;
}

export interface EvaluateOptions extends TrackContext {
  /** write here instead of allocating (length >= 3 * times.length) */
  out?: Float64Array;
}

export interface MotionState {
  model: string;
  timing: ResolvedTiming;
  blending: boolean;
  blendStart: number;
  blendWindow: number;
  generation: number;
}

/** A model with validated parameters and timing (wraps an ha_motion). */
export class Motion {
  constructor(model: string, params?: Params | null, timing?: Timing | null);
  /** canonical model name */
  readonly model: string;
  readonly timing: ResolvedTiming;
  /** a copy of the parameters given (merged by update) */
  readonly params: Params;
  /** the point rotation and scale turn about */
  readonly pivot: Vec3;
  /** m/s, central difference over 1 ms */
  velocity(time: number, ctx?: TrackContext | null): XYZ;
  /** Change parameters (merged over the current ones) and/or timing; blends
   * from the old path over `window` seconds starting at transport time `now`. */
  update(params?: Params | null, timing?: Timing | null, options?: { now?: number; window?: number } | null): void;
  getState(): MotionState;
  /** end any blend */
  reset(): void;
}

export type ParamType =
  | 'number'
  | 'integer'
  | 'vec3'
  | 'choice'
  | 'bool'
  | 'easing'
  | 'points'
  | 'keyframes'
  | 'rotation'
  | 'scale';

export interface ParamInfo {
  name: string;
  aliases: string[];
  type: ParamType;
  unit: string;
  default: number | boolean | string | Vec3 | null;
  min?: number;
  max?: number;
  minCount?: number;
  maxCount?: number;
  choices?: string[];
  description: string;
}

export interface ModelInfo {
  name: string;
  aliases: string[];
  description: string;
  time: 'absolute' | 'progress';
  stateful: boolean;
  rotating: boolean;
  perTrack: boolean;
  parameters: ParamInfo[];
}

export interface Registry {
  models: ModelInfo[];
  commonParameters: ParamInfo[];
  timing: {
    duration: { default: number; min: number; max: number; unit: string };
    loop: { choices: LoopMode[]; default: LoopMode };
    speed: { default: number; min: number; max: number; unit: string };
    seam: { choices: Seam[]; default: Seam };
  };
  easings: string[];
}

export type Points = Vec3[] | Float64Array;

export interface InterpolateOptions {
  method?: 'linear' | 'catmull-rom' | 'catmullRom' | 'bezier';
  alpha?: number;
  tension?: number;
  closed?: boolean;
  /** output points, >= 2 (default 100) */
  samples?: number;
  constantSpeed?: boolean;
}

export type GroupMode =
  | 'shared'
  | 'relative'
  | 'isobarycentric'
  | 'centered'
  | 'spread'
  | 'mirror'
  | 'identical'
  | 'position-relative'
  | 'isobarycenter'
  | 'phase-offset'
  | 'phase-offset-relative';

export interface GroupSpec {
  mode?: GroupMode;
  /** seconds to crossfade from where each track is onto the path (startAnimation) */
  fadeIn?: number;
  phaseOffset?: number;
  phaseSpread?: boolean;
  /** seconds every track holds its start position before it plays */
  delay?: number;
  rotateFormation?: boolean;
  centerPoint?: Vec3 | XYZ;
  spreadRadius?: number;
  mirrorAxis?: 'x' | 'y' | 'z';
}

export interface Group extends GroupSpec {
  motion: Motion | Pattern;
  /** members (default: tracks.length, bases length, or 1) */
  count?: number;
  tracks?: number[];
  bases?: Points;
}

export function listModels(): Registry;
export function createMotion(model: string, params?: Params | null, timing?: Timing | null): Motion;
/** The seed's calculate_position, on the libuv thread pool. */
export function calculatePosition(motion: Motion | Pattern, time: number, ctx?: TrackContext | null): Promise<XYZ>;
export function calculatePositionSync(motion: Motion | Pattern, time: number, ctx?: TrackContext | null): XYZ;
/**
 * The position written into `out[offset]`, `out[offset + 1]`, `out[offset + 2]`
 * (x, y, z; offset defaults to 0) instead of a new object; returns `out`. The
 * same numbers as the object form. `out` not a Float64Array: TypeError;
 * shorter than offset + 3, or offset not a whole number: RangeError (nothing
 * is written then).
 */
export function calculatePositionSync(motion: Motion | Pattern, time: number, out: Float64Array, offset?: number): Float64Array;
export function calculatePositionSync(
  motion: Motion | Pattern,
  time: number,
  ctx: TrackContext | null | undefined,
  out: Float64Array,
  offset?: number,
): Float64Array;
/**
 * Positions at many times: x, y, z interleaved (3 * times.length). Without
 * `options.out`, a new Float64Array; up to 32 KB it is a view of a shared,
 * untransferable ArrayBuffer (as Buffer.allocUnsafe's pool), beyond that it
 * has its own.
 */
export function evaluate(motion: Motion | Pattern, times: Float64Array | number[], options?: EvaluateOptions | null): Float64Array;
export function interpolateTrajectory(points: Points, options?: InterpolateOptions | null): Float64Array;
export function groupPositions(group: Group, time: number): Float64Array;
export function maintainFormation(center: Vec3 | XYZ, members: Points): Float64Array;

export type ErrorCode =
  | 'EINVAL'
  | 'ERANGE'
  | 'ENOMEM'
  | 'EEXHAUSTED'
  | 'ENOBUFS'
  | 'EPARSE'
  | 'EIO'
  | 'EINTERNAL'
  | 'ENOTFOUND'
  | 'EMALFORMED'
  | 'EUNSUPPORTED'
  | 'EAGAIN'
  | 'ESTATE'
  | 'EUNKNOWN';

export interface Diagnostic {
  severity: 'error' | 'warning' | 'note';
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
  /** the formatted line, "show.json:14:23: animations[2]...: ..." */
  text: string;
}

export class HoloanimError extends Error {
  constructor(message?: string);
  code: ErrorCode | string;
  recoverable: boolean;
  kind?: 'InvalidParameter' | 'OutOfBounds' | 'ResourceExhausted' | 'Parse' | 'Io' | 'Internal';
  category?: 'computation' | 'model' | 'state' | 'bridge' | 'io';
  /** parameter name (or JSON path) */
  parameter?: string;
  /** the offending value: a number for OutOfBounds, else its text */
  value?: number | string;
  reason?: string;
  min?: number;
  max?: number;
  recovery?: { type: 'clamp'; value: number };
  resource?: string;
  limit?: number;
  file?: string;
  line?: number;
  column?: number;
  diagnostics?: Diagnostic[];
}

export const TrackStatus: Readonly<{ IDLE: 0; ANIMATED: 1; TRANSITION: 2 }>;

export interface Limits {
  box?: { min: Vec3 | XYZ; max: Vec3 | XYZ };
  /** m/s, 0 = none */
  maxSpeed?: number;
}

export interface PlayerOptions {
  /** Hz, 1..2000 (default 100) */
  tickRate?: number;
  maxTracks?: number;
  maxAnimations?: number;
  maxOutputs?: number;
  queueCapacity?: number;
  eventCapacity?: number;
  blendWindow?: number;
  takeoverFade?: number;
  limits?: Limits;
  realtime?: boolean;
  conflictTolerance?: number;
  /** s (default 2, 0.05..60): how late a device echo of our own may arrive and still be ours */
  echoWindow?: number;
  /** periods (default 3): a tick this late is a stall (skipped deadlines, a 'stall' event) */
  stallThreshold?: number;
  /** SCHED_FIFO priority (1..99) for the tick thread only, no mlockall; 0 = normal (default) */
  tickPriority?: number;
  /**
   * Follow an external clock (a DAW's transport, docs/sync.md) that
   * openControl receives: true, or the chase's settings (tolerance s, default
   * 0.1; deadband s, default tolerance/10; gain 1/s, default 1; maxSlew,
   * default 0.05). A show's control.sync turns it on too.
   */
  sync?: boolean | { tolerance?: number; deadband?: number; gain?: number; maxSlew?: number };
}

export interface OutputOptions {
  host?: string;
  /** default: 4003 (holophonix), 4001 (ADM-OSC) */
  port?: number;
  dialect?: 'holophonix' | 'adm' | 'adm-osc' | 'adm_osc';
  coords?: 'xyz' | 'aed';
  azimuthSign?: 'clockwise' | 'counterclockwise' | 'cw' | 'ccw';
  admScale?: number;
  /** sends per second */
  rate?: number;
  /** metres */
  deadband?: number;
  deadbandDeg?: number;
  keepAlive?: number;
  bundle?: boolean;
  maxDatagram?: number;
  bundleMaxMessages?: number;
  lookaheadMs?: number;
  /** show track id -> device index */
  map?: Array<[number, number]> | Record<number, number>;
  mapOnly?: boolean;
}

export interface AnimationStart extends GroupSpec {
  /** default: a new tag (>= 0x10000000) */
  tag?: number;
  tracks: number[] | Uint32Array;
  motion?: Motion;
  model?: string;
  params?: Params;
  timing?: Timing;
  /** each track's base for the group is its rest position, not where it is now (with fadeIn it glides from there) */
  fromBase?: boolean;
}

export interface GotoOptions {
  duration?: number;
  easing?: string;
  aed?: boolean;
  delay?: number;
}

export type Update =
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'panic' }
  | { type: 'stop'; fade?: number }
  | { type: 'seek'; time: number }
  | { type: 'setSpeed'; speed: number }
  | { type: 'goCue'; cue: number }
  | ({ type: 'startAnimation' } & AnimationStart)
  | { type: 'stopAnimation'; tag: number; fade?: number }
  | { type: 'stopTrack'; track: number; fade?: number }
  | { type: 'setParameter'; tag: number; params?: Params; timing?: Timing }
  | ({ type: 'goto'; track: number; position: Vec3 | XYZ } & GotoOptions)
  | { type: 'setBase'; track: number; position: Vec3 | XYZ }
  | { type: 'deviceEcho'; track: number; position: Vec3 | XYZ };

export interface Frame {
  tick: number;
  /** transport time of the tick, seconds */
  time: number;
  ids: Uint32Array;
  /** x, y, z interleaved */
  positions: Float64Array;
  velocities: Float64Array;
  /** TrackStatus values */
  status: Uint8Array;
}

export type PlayerEvent =
  | { type: 'conflict'; time: number; track: number; position: Vec3; expected: Vec3 }
  | { type: 'baseChanged'; time: number; track: number; position: Vec3 }
  | { type: 'animationEnded'; time: number; tag: number }
  | { type: 'showEnded'; time: number }
  | { type: 'commandFailed'; time: number; code: string; tag: number; track: number; error: HoloanimError }
  | {
      type: 'cue';
      time: number;
      cue: number;
      name: string;
      /** what fired it: 'api' (goCue), 'osc HOST:PORT' (the cue's address), 'control /holoanim/cue/go' */
      source: string;
    }
  /** The tick started stallThreshold periods late or more; track/tag/model name the slowest
   * track evaluation of the tick before when it took a period or more (else track 0, model ''). */
  | { type: 'stall'; time: number; skipped: number; lateness: number; cost: number; track: number; tag: number; model: string };

export interface ShowSummary {
  name: string;
  tracks: number;
  animations: number;
  groups: Array<{ name: string; tag: number; autoStart: boolean }>;
  cues: Array<{ number: number; name: string }>;
  presets: number;
  outputs: number;
  warnings: string[];
}

export interface PlayerStatus {
  running: boolean;
  playing: boolean;
  closed: boolean;
  time: number;
  speed: number;
  ticks: number;
  lateTicks: number;
  skippedTicks: number;
  stalls: number;
  commands: number;
  commandsDropped: number;
  eventsDropped: number;
  conflicts: number;
  realtimeActive: boolean;
  memoryLocked: boolean;
  /** the SCHED_FIFO priority the tick thread got through tickPriority (0: normal) */
  tickPriority: number;
}

export interface HistogramMetrics {
  count: number;
  sum_ns: number;
  min_ns: number;
  max_ns: number;
  mean_ns: number;
  p50_ns: number;
  p90_ns: number;
  p99_ns: number;
  buckets: Array<{ le_ns: number | null; count: number }>;
}

export interface Metrics {
  histograms: Record<string, HistogramMetrics>;
  models: Array<HistogramMetrics & { key: number; name: string }>;
  counters: Record<string, number>;
  gauges: Record<string, number>;
  errors: { total: number; by_kind: Array<{ kind: string; category: string; count: number }> };
}

export interface OutputStats {
  destination: string;
  messages: number;
  datagrams: number;
  bytes: number;
  deadbandSkips: number;
  nonfinite: number;
  errRefused: number;
  errOther: number;
  unsent: number;
}

export interface StreamStats {
  frames: number;
  framesSkipped: number;
  eventsDropped: number;
  signals: number;
  pollerRunning: boolean;
  loopRef: boolean;
}

/**
 * One operation of a fired cue, as the core's cue interpreter makes it
 * (ha_show_cue_ops): `action` is the action's index in the cue. Tags are the
 * show's: group i is tag i, the k-th start action of an animation on tracks
 * (over every cue, in document order) is 0x40000000 + k. `group` names the
 * group a start or stop is about.
 */
export type CueEffect =
  | { action: number; type: 'start'; tag: number; tracks: number[]; animation: string; group?: string }
  | { action: number; type: 'stopAnimation'; tag: number; fade: number; group?: string }
  | { action: number; type: 'stopTrack'; track: number; fade: number }
  | {
      action: number;
      type: 'goto';
      track: number;
      position: Vec3;
      duration: number;
      easing: string;
      space: 'xyz' | 'aed';
      /** seconds after the cue (a preset's stagger) */
      delay: number;
    };

/** Player.openControl options. */
export interface ControlOptions {
  /** UDP port, 0 (default): any free port */
  port?: number;
  /** address to listen on (default '127.0.0.1'; '0.0.0.0', '::', an interface's) */
  bind?: string;
  /** senders allowed: addresses and CIDR ranges (none: any sender) */
  allow?: string[];
  /** loopback senders always allowed (default true) */
  allowLoopback?: boolean;
}

/** A show mapping (Player.mappings()): live data driving one number of a group's animation. */
export interface Mapping {
  address: string;
  arg: number;
  group: string;
  /** the parameter, or one axis of a vec3 one ("center.x") */
  param: string;
  input: [number, number];
  output: [number, number];
  smoothing: number;
  smoothingMode: 'one-pole' | 'slew';
  /** an input arrived: the value drives the parameter */
  active: boolean;
  /** the smoothed value now; null before any input */
  value: number | null;
  /** inputs taken */
  inputs: number;
}

/** What goCue returns: the cue fired and what it did. */
export interface CueFired {
  number: number;
  name: string;
  effects: CueEffect[];
}

export class Player {
  constructor(options?: PlayerOptions);
  loadShow(show: string | object): ShowSummary;
  /** Swap the show cues and groups come from; same track ids required (else ESTATE). */
  replaceShow(show: string | object | Show): void;
  /** Switch animation `tag` (a show group's index too) to a new motion, blended. */
  replaceAnimation(tag: number, motion: Pattern): void;
  addTrack(id: number, base?: Vec3 | XYZ | null): void;
  addOutput(options: OutputOptions): number;
  start(): void;
  play(): void;
  pause(): void;
  stop(fade?: number): void;
  seek(time: number): void;
  setSpeed(speed: number): void;
  /**
   * Fire a cue of the loaded show (ENOTFOUND: no such cue; ESTATE: no show):
   * the cue that ran (its number as the show writes it, its name) and its
   * operations.
   */
  goCue(cue: number): CueFired;
  /** Open an OSC control port (cue addresses, /holoanim/..., device echoes). */
  /** sync: the clock's addresses (/time, /play, /stop, /pause, /holoanim/time) drive the transport */
  openControl(options?: ControlOptions): { address: string; port: number; sync: boolean };
  closeControl(): void;
  /** The show's live-data mappings with their live values. */
  mappings(): Mapping[];
  /** An input for the mappings of `address` (as an OSC message's arguments); how many took it. */
  mapInput(address: string, ...values: number[]): number;
  /** The operations goCue(cue) performs, without firing it. */
  cueEffects(cue: number): CueEffect[];
  /**
   * The tag action `action` (index) of cue `cue` starts, as the show was
   * compiled; null for an action that starts nothing. ENOTFOUND: no such cue
   * or action; ESTATE: no show.
   */
  actionTag(cue: number, action: number): number | null;
  panic(): void;
  startAnimation(spec: AnimationStart): number;
  stopAnimation(tag: number, fade?: number): void;
  stopTrack(track: number, fade?: number): void;
  setParameter(tag: number, params?: Params, timing?: Timing): void;
  goto(track: number, position: Vec3 | XYZ, options?: GotoOptions | null): void;
  setBase(track: number, position: Vec3 | XYZ): void;
  /** Mute / solo / lock of one track (absent keys false); see HA_TRACK_* in player.h. */
  setTrackFlags(track: number, flags: { mute?: boolean; solo?: boolean; lock?: boolean }): void;
  deviceEcho(track: number, position: Vec3 | XYZ): void;
  /** Resolves with the tag for startAnimation, undefined otherwise. */
  updateState(update: Update): Promise<number | undefined>;
  snapshot(): Frame | null;
  getStatus(): PlayerStatus;
  getMetrics(): Metrics;
  getOutputStats(): OutputStats[];
  streamStats(): StreamStats;
  on(name: 'positions', listener: (frame: Frame) => void, options?: { rate?: number }): this;
  on(name: 'event', listener: (event: PlayerEvent) => void): this;
  off(name: 'positions', listener: (frame: Frame) => void): this;
  off(name: 'event', listener: (event: PlayerEvent) => void): this;
  removeAllListeners(): this;
  close(): void;
}

export interface DevsimTrack {
  index: number;
  position: Vec3;
  name: string;
  gainDb: number;
  mute: boolean;
  updates: number;
}

export interface Devsim {
  readonly port: number;
  getTrack(track: number): DevsimTrack;
  setPosition(track: number, position: Vec3 | XYZ): void;
  /** Also send every change of a track to HOST:PORT (as `holoanim devsim --push`). */
  addPush(host: string, port: number): void;
  stats(): {
    packets: number;
    messages: number;
    bundles: number;
    positions: number;
    malformed: number;
    unknownTrack: number;
    clamped: number;
  };
  stop(): void;
}

/** The library's simulated Holophonix device on UDP (port 0: any free). */
export function startDevsim(options?: {
  port?: number;
  tracks?: number;
  record?: string;
  bindHost?: string;
  admScale?: number;
}): Devsim;

export function statusName(code: number): string;
export const napiVersion: number;
export const libraryVersion: string;
export function _stats(): { motionsLive: number; motionsCreated: number; mallocInUse?: number };

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  /** JSON Pointer, e.g. "/animations/0/parameters/radius"; "-" appends */
  path: string;
  value?: unknown;
}

export interface ShowState {
  version: number;
  canUndo: boolean;
  canRedo: boolean;
  sourceFormat: number;
  name: string;
}

export interface ImportHpxOptions {
  /** Every imported animation starts on play (its group gets autoStart); default false. */
  autostart?: boolean;
}

/** A show document: validated edits with undo/redo, atomic saves (show.h). */
export class Show {
  /** An empty, valid show. */
  constructor();
  static fromFile(file: string, options?: { untrusted?: boolean }): Show;
  static parse(text: string, name?: string): Show;
  /** A Holophonix Animator project: a path, or its text. */
  static importHpx(
    source: string | { text: string; name?: string },
    options?: ImportHpxOptions,
  ): Show;
  readonly warnings: Diagnostic[];
  readonly version: number;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly name: string;
  state(): ShowState;
  /** Returns the new version; throws HoloanimError (diagnostics) when the result is invalid. */
  edit(op: 'add' | 'remove' | 'replace', pointer: string, value?: unknown): number;
  patch(ops: PatchOperation[]): number;
  undo(): number;
  redo(): number;
  get(pointer?: string): any;
  toJSON(): any;
  toString(): string;
  /** Atomic; the previous file is kept as file.bak. */
  save(file: string): void;
  setHistoryLimit(count: number): void;
}
