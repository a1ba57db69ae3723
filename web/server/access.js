'use strict';
// Who may talk to the server: the Host rule (DNS rebinding) and the token.
//
// A web page the user visits can make the browser send requests to this
// server: after a DNS rebind its own name (attacker.example) resolves to
// 127.0.0.1, so the browser treats the server as that page's origin. Origin
// and Host then both say attacker.example, so comparing them proves nothing.
// What the attacker cannot choose is a Host name whose DNS they do not
// control: a request is trusted without a token only when its Host is a
// loopback name with this server's port (localhost, 127.0.0.1, [::1]) or a
// name the operator configured (allowedHosts: names they control, e.g. the
// studio machine's LAN name). Every other Host needs the token; a server
// without a token refuses them all (403). HTTP requests (the UI, /health)
// and WebSocket upgrades follow the same rule.
//
// The token is taken from ?token=, an `Authorization: Bearer` header or the
// cookie this server sets when a page is loaded with a valid ?token= (so the
// UI's own scripts and styles load too). The cookie is HttpOnly, SameSite=
// Strict and named after the port.

const crypto = require('node:crypto');

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** "name:port" | "[v6]:port" | "name" → {name (lower case), port (80 when absent)}; null if malformed. */
function parseHostHeader(value) {
  if (typeof value !== 'string') return null;
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]\s/@]+)(?::([0-9]{1,5}))?$/.exec(value);
  if (!m) return null;
  const port = m[2] === undefined ? 80 : Number(m[2]);
  if (port > 65535) return null;
  return { name: m[1].toLowerCase(), port };
}

/** A configured name: "studio.lan" or "192.168.1.20" (any port), lower case, no brackets needed for IPv6. */
function normaliseAllowed(name) {
  if (typeof name !== 'string' || name.trim() === '') throw new Error(`allowed host "${name}": a host name or address`);
  let n = name.trim().toLowerCase();
  if (n.includes(':') && !n.startsWith('[')) n = `[${n}]`;
  if (!/^(\[[0-9a-f:.]+\]|[^:[\]\s/@]+)$/.test(n)) throw new Error(`allowed host "${name}": a host name or address, without a port`);
  return n;
}

function sameSecret(given, want) {
  const a = Buffer.from(given);
  const b = Buffer.from(want);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function cookieValue(header, name) {
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The access rule of one server: {port, token, allowedHosts}. `port` may be
 * set after listening (port 0). check(req, url, {upgrade}) → null when the
 * request may go on, else {status, message}.
 */
class Access {
  constructor({ token = null, allowedHosts = [] }) {
    this.token = token;
    this.port = 0;
    this.allowed = new Set(allowedHosts.map(normaliseAllowed));
  }

  get cookieName() {
    return `holoanim_token_${this.port}`;
  }

  /** Host is a loopback name with our port, or a configured name. */
  trustedHost(hostHeader) {
    const host = parseHostHeader(hostHeader);
    if (!host) return false;
    if (this.allowed.has(host.name)) return true;
    return LOOPBACK_NAMES.has(host.name) && host.port === this.port;
  }

  /** Which way the token came, or null: 'query' | 'header' | 'cookie'. */
  tokenGiven(req, url) {
    if (this.token === null) return null;
    const q = url.searchParams.get('token');
    if (q !== null && sameSecret(q, this.token)) return 'query';
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('Bearer ') && sameSecret(auth.slice(7), this.token)) return 'header';
    const c = cookieValue(req.headers.cookie, this.cookieName);
    if (c !== null && sameSecret(c, this.token)) return 'cookie';
    return null;
  }

  /** null, or why the request is refused. A WebSocket needs the token whenever one is set. */
  check(req, url, { upgrade = false } = {}) {
    const trusted = this.trustedHost(req.headers.host);
    const given = this.tokenGiven(req, url);
    if (!trusted && given === null) {
      return {
        status: 403,
        message: this.token === null
          ? 'this server answers only to localhost, 127.0.0.1 or [::1] with its port (or a name given with --allow-host)'
          : 'this host name needs the token',
      };
    }
    if (upgrade && this.token !== null && given === null) return { status: 401, message: 'the token is required' };
    return null;
  }

  /** The Set-Cookie header for a page loaded with ?token=, else null. */
  cookieFor(req, url) {
    if (this.tokenGiven(req, url) !== 'query') return null;
    return `${this.cookieName}=${encodeURIComponent(this.token)}; Path=/; HttpOnly; SameSite=Strict`;
  }
}

module.exports = { Access, parseHostHeader, normaliseAllowed, LOOPBACK_NAMES };
