'use strict';
// The WebSocket API: what a client may send, checked before anything runs.
//
// Client → server: one JSON object per message, {id, type, ...fields}. Every
// message with an id gets exactly one reply {type: 'reply', id, ok, result}
// or {type: 'reply', id, ok: false, error: {code, message, ...}}. A message
// that is not JSON, has an unknown type, a missing or mistyped field or a
// field its type does not take is refused with code EBADMSG and touches
// nothing.
//
// Server → client: {type: 'welcome' | 'show' | 'saved' | 'transport' | 'paths'
// | 'stats' | 'event' | 'presence'} objects, and binary position frames
// (encodeFrame below).

const TYPES = {
  // document
  edit: { base: 'int?', ops: 'ops', label: 'str?' },
  undo: {},
  redo: {},
  save: {},
  projects: {},
  open: { project: 'str' },
  create: { project: 'str', title: 'str?', output: 'str?' },
  import: { project: 'str', text: 'str', autostart: 'bool?', file: 'str?' },
  openExample: { example: 'str' },
  saveAs: { project: 'str' },
  // player
  transport: { action: ['play', 'pause', 'stop', 'seek', 'speed', 'loop', 'panic'], time: 'num?', speed: 'num?', loop: 'bool?', fade: 'num?', stop: ['hold', 'return', undefined] },
  settings: { stop: 'obj?' },
  cue: { number: 'num' },
  live: { track: 'int', position: 'vec3' },
  stopTrack: { track: 'int', fade: 'num?' },
  record: { action: ['start', 'stop', 'cancel', 'state'], tolerance: 'num?' },
  // tools
  preview: { model: 'str', params: 'obj?', timing: 'obj?', tracks: 'ids?', spec: 'obj?' },
  discover: { host: 'str', port: 'int?' },
  devsim: {},
  testOutput: { output: 'int' },
  capture: { name: 'str', tracks: 'ids?', replace: 'bool?' },
  recall: { preset: 'str', transition: 'num?', easing: 'str?', space: ['xyz', 'aed', undefined], stagger: 'num?', tracks: 'ids?' },
  // streaming
  ack: { seq: 'int' },
  subscribe: { frames: 'bool' },
  ping: {},
};

const OPS = new Set(['add', 'remove', 'replace']);

function isObj(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function check(kind, v) {
  if (Array.isArray(kind)) return kind.includes(v) ? null : `must be one of ${kind.filter((x) => x !== undefined).join(', ')}`;
  const opt = kind.endsWith('?');
  const k = opt ? kind.slice(0, -1) : kind;
  if (v === undefined) return opt ? null : 'is required';
  switch (k) {
    case 'int':
      return Number.isSafeInteger(v) && v >= 0 ? null : 'must be a whole number >= 0';
    case 'num':
      return typeof v === 'number' && Number.isFinite(v) ? null : 'must be a finite number';
    case 'str':
      return typeof v === 'string' ? null : 'must be a string';
    case 'bool':
      return typeof v === 'boolean' ? null : 'must be a boolean';
    case 'obj':
      return isObj(v) ? null : 'must be an object';
    case 'vec3':
      return Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? null : 'must be [x, y, z] (finite numbers)';
    case 'ids':
      return Array.isArray(v) && v.length <= 4096 && v.every((x) => Number.isSafeInteger(x) && x >= 1) ? null : 'must be an array of track ids';
    case 'ops': {
      if (!Array.isArray(v) || v.length === 0 || v.length > 10000) return 'must be a non-empty array of {op, path, value}';
      for (let i = 0; i < v.length; i++) {
        const o = v[i];
        if (!isObj(o) || !OPS.has(o.op) || typeof o.path !== 'string' || (o.op !== 'remove' && !('value' in o))) {
          return `[${i}] must be {op: add|remove|replace, path: "/json/pointer", value}`;
        }
        if (o.path !== '' && o.path[0] !== '/') return `[${i}].path must be a JSON pointer ("/tracks/0")`;
        for (const key of Object.keys(o)) {
          if (key !== 'op' && key !== 'path' && key !== 'value') return `[${i}].${key} is not a field of an operation`;
        }
      }
      return null;
    }
    default:
      return 'has an unknown kind';
  }
}

class BadMessage extends Error {
  constructor(message) {
    super(message);
    this.code = 'EBADMSG';
  }
}

/** Parse and check one text message. Returns {id, type, ...}; throws BadMessage. */
function parseMessage(text) {
  let m;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw new BadMessage(`not JSON: ${e.message}`);
  }
  if (!isObj(m)) throw new BadMessage('a message must be a JSON object {id, type, ...}');
  if (m.id !== undefined && !(Number.isSafeInteger(m.id) && m.id >= 0)) throw new BadMessage('id must be a whole number >= 0');
  try {
    checkFields(m);
  } catch (e) {
    e.id = m.id; // the reply still answers the request
    throw e;
  }
  return m;
}

function checkFields(m) {
  if (typeof m.type !== 'string') throw new BadMessage('type must be a string');
  const schema = Object.prototype.hasOwnProperty.call(TYPES, m.type) ? TYPES[m.type] : null;
  if (!schema) throw new BadMessage(`unknown message type "${m.type}"`);
  for (const key of Object.keys(m)) {
    if (key === 'id' || key === 'type') continue;
    if (!Object.prototype.hasOwnProperty.call(schema, key)) throw new BadMessage(`${m.type}: unknown field "${key}"`);
  }
  for (const [key, kind] of Object.entries(schema)) {
    const why = check(kind, m[key]);
    if (why) throw new BadMessage(`${m.type}.${key} ${why}`);
  }
}

/**
 * A binary position frame: little-endian
 *   u32 seq, u32 n, f64 time, u32 ids[n], f32 xyz[3n], u8 status[n].
 */
function encodeFrame(seq, frame) {
  const n = frame.ids.length;
  const buf = Buffer.allocUnsafe(16 + 16 * n + n);
  buf.writeUInt32LE(seq >>> 0, 0);
  buf.writeUInt32LE(n, 4);
  buf.writeDoubleLE(frame.time, 8);
  const ab = buf.buffer;
  const base = buf.byteOffset;
  if (base % 4 === 0) {
    new Uint32Array(ab, base + 16, n).set(frame.ids);
    new Float32Array(ab, base + 16 + 4 * n, 3 * n).set(frame.positions);
  } else {
    for (let i = 0; i < n; i++) buf.writeUInt32LE(frame.ids[i], 16 + 4 * i);
    for (let i = 0; i < 3 * n; i++) buf.writeFloatLE(frame.positions[i], 16 + 4 * n + 4 * i);
  }
  for (let i = 0; i < n; i++) buf[16 + 16 * n + i] = frame.status[i];
  return buf;
}

/** The inverse (tests and Node clients). */
function decodeFrame(buf) {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const seq = dv.getUint32(0, true);
  const n = dv.getUint32(4, true);
  const time = dv.getFloat64(8, true);
  const ids = new Uint32Array(n);
  const positions = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) ids[i] = dv.getUint32(16 + 4 * i, true);
  for (let i = 0; i < 3 * n; i++) positions[i] = dv.getFloat32(16 + 4 * n + 4 * i, true);
  const status = new Uint8Array(n);
  for (let i = 0; i < n; i++) status[i] = dv.getUint8(16 + 16 * n + i);
  return { seq, time, ids, positions, status };
}

module.exports = { TYPES, parseMessage, BadMessage, encodeFrame, decodeFrame };
