'use strict';
// Where a new show sends its positions. A new show is never silent by
// accident: "New show" offers the simulated device (the one web/start.sh runs,
// given with --device, or else one started inside this server on first use:
// the addon's holoanim devsim, 128 tracks, UDP 4003 or any free port), a
// device address (HOST:PORT) or no output at all.

const DEVSIM_PORT = 4003;
const ADDRESS_RE = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/;

function fail(message) {
  return Object.assign(new Error(message), { code: 'EINVAL', parameter: 'output' });
}

class Devices {
  #h;
  #given; // "host:port" from --device, or null
  #sim = null; // the devsim started here
  #host; // its address: 127.0.0.1, or ::1 (IPv6 loopback)

  constructor(h, device = null, host = '127.0.0.1') {
    this.#h = h;
    this.#given = device || null;
    this.#host = host;
  }

  #simAddress() {
    return `${this.#host.includes(':') ? `[${this.#host}]` : this.#host}:${this.#sim.port}`;
  }

  /** {address, builtIn}: the simulated device new shows are offered (null until one runs). */
  info() {
    if (this.#given) return { address: this.#given, builtIn: false };
    if (this.#sim) return { address: this.#simAddress(), builtIn: true };
    return { address: null, builtIn: false };
  }

  /** The devsim running in this server, or null. */
  sim() {
    return this.#sim;
  }

  /** The simulated device's address, starting the built-in one if none is known. */
  #devsimAddress() {
    if (this.#given) return this.#given;
    if (!this.#sim) {
      try {
        this.#sim = this.#h.startDevsim({ port: DEVSIM_PORT, tracks: 128, bindHost: this.#host });
      } catch {
        this.#sim = this.#h.startDevsim({ port: 0, tracks: 128, bindHost: this.#host }); // 4003 is taken: any free port
      }
    }
    return this.#simAddress();
  }

  /**
   * The outputs of a new show: `output` is "devsim", "none" or "HOST:PORT";
   * undefined: the simulated device when one is known, else none.
   */
  outputsFor(output) {
    if (output === undefined) output = this.info().address ? 'devsim' : 'none';
    if (output === 'none') return [];
    const address = output === 'devsim' ? this.#devsimAddress() : output;
    const m = ADDRESS_RE.exec(address);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
      throw fail(`output "${output}": "devsim" (the simulated device), "none" or a device address HOST:PORT (e.g. 192.168.1.50:4003)`);
    }
    const host = m[1].replace(/^\[|\]$/g, '');
    return [{ name: output === 'devsim' ? 'devsim' : 'device', host, port: Number(m[2]) }];
  }

  close() {
    if (this.#sim) this.#sim.stop();
    this.#sim = null;
  }
}

module.exports = { Devices, DEVSIM_PORT };
