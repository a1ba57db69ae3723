#!/usr/bin/env node
'use strict';
// holoanim web server: `node server/main.js [options]` (see --help).

const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { createServer } = require('./app');

const WEB = path.resolve(__dirname, '..');
const ROOT = path.resolve(WEB, '..');

const HELP = `usage: node server/main.js [options]
  --port N            HTTP + WebSocket port (default 8080; 0 = any free)
  --host ADDR         listening address (default 127.0.0.1); any other address
                      needs --token (or HOLOANIM_WEB_TOKEN)
  --token SECRET      required from every client (?token=SECRET in the URL)
  --allow-host NAME   also trust requests whose Host is NAME (any port), like
                      localhost: only a name whose DNS you control (repeat, or
                      HOLOANIM_WEB_ALLOW_HOSTS=a,b); any other Host needs the token
  --max-message BYTES the largest WebSocket message (default 4194304 = 4 MiB;
                      or HOLOANIM_WEB_MAX_MESSAGE); an .hpx import is the largest
  --projects DIR      the folder of shows (default web/projects)
  --open NAME         open this project (default: the one opened last in the
                      projects folder, else the demo, else the newest)
  --demo FILE         copy this show into the projects folder if absent; it opens
                      when no show was opened there before
  --device HOST:PORT  the simulated device (a holoanim devsim): the demo's outputs
                      and new shows' "simulated device" go there (without it, a
                      new show's simulated device runs inside this server)
  --addon DIR         the holoanim Node addon (default bindings/node)
  --cli PATH          the holoanim command, for discover (default build/holoanim)
  --static DIR        the built UI (default web/dist)
  --control [HOST:]PORT  an OSC port for cue triggers: a cue's osc address or
                      /holoanim/cue/go N fires it (host default 127.0.0.1)
  --control-allow A   senders allowed on it: address or CIDR range (repeat)
  --echo-port PORT    where the devices' own pushes (echoes) arrive when the
                      show names no port (outputs[].feedback, control.port) and
                      there is no --control (default: a free port; web/start.sh
                      points its devsim's --push there)
  --sync osc          the transport follows a DAW's clock sent to the control
                      port (REAPER's /time, /play, /stop; docs/sync.md); a
                      show's control.sync does too`;

function loadAddon(dir) {
  try {
    return require(dir);
  } catch (e) {
    console.error(`holoanim-web: cannot load the holoanim addon from ${dir}: ${e.message}`);
    console.error('build it: cd bindings/node && npm ci');
    process.exit(1);
  }
}

/** Copy a demo show into the projects folder (once), outputs pointed at `device`. */
function installDemo(h, file, projectsDir, device) {
  const name = path.basename(file, '.json');
  const dest = path.join(projectsDir, `${name}.json`);
  if (fs.existsSync(dest)) return name;
  const show = h.Show.fromFile(file);
  if (device) {
    const [host, port] = device.split(':');
    const outs = show.get('/outputs') || [];
    const ops = outs.map((_, i) => ({ op: 'replace', path: `/outputs/${i}`, value: { ...outs[i], host, port: Number(port) || 4003 } }));
    if (ops.length === 0) ops.push({ op: 'add', path: '/outputs', value: [{ name: 'devsim', host, port: Number(port) || 4003 }] });
    show.patch(ops);
  }
  fs.mkdirSync(projectsDir, { recursive: true });
  show.save(dest);
  return name;
}

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string', default: process.env.PORT || '8080' },
        host: { type: 'string', default: '127.0.0.1' },
        token: { type: 'string', default: process.env.HOLOANIM_WEB_TOKEN || '' },
        'allow-host': { type: 'string', multiple: true, default: [] },
        'max-message': { type: 'string', default: process.env.HOLOANIM_WEB_MAX_MESSAGE || '' },
        projects: { type: 'string', default: path.join(WEB, 'projects') },
        open: { type: 'string' },
        demo: { type: 'string' },
        device: { type: 'string' },
        addon: { type: 'string', default: path.join(ROOT, 'bindings', 'node') },
        cli: { type: 'string', default: path.join(ROOT, 'build', 'holoanim') },
        static: { type: 'string', default: path.join(WEB, 'dist') },
        control: { type: 'string' },
        'control-allow': { type: 'string', multiple: true, default: [] },
        sync: { type: 'string' },
        'echo-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    console.error(`holoanim-web: ${e.message}\n${HELP}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(HELP);
    return;
  }
  const allowedHosts = [...(process.env.HOLOANIM_WEB_ALLOW_HOSTS || '').split(','), ...args['allow-host']]
    .map((x) => x.trim())
    .filter((x) => x !== '');
  let maxMessageBytes;
  if (args['max-message'] !== '') {
    if (!/^[0-9]{1,12}$/.test(args['max-message'])) {
      console.error(`holoanim-web: --max-message "${args['max-message']}": a whole number of bytes`);
      process.exit(2);
    }
    maxMessageBytes = Number(args['max-message']);
  }
  let control = null;
  if (args.control !== undefined) {
    const m = /^(?:(\[[^\]]+\]|[^:]+):)?([0-9]{1,5})$/.exec(args.control);
    if (!m || Number(m[2]) > 65535) {
      console.error(`holoanim-web: --control "${args.control}": [HOST:]PORT with a port 0..65535`);
      process.exit(2);
    }
    control = { port: Number(m[2]), bind: m[1] || '127.0.0.1', allow: args['control-allow'] };
  }
  if (args.sync !== undefined && args.sync !== 'osc' && args.sync !== 'none') {
    console.error(`holoanim-web: --sync "${args.sync}": osc or none`);
    process.exit(2);
  }
  if (args.sync === 'osc' && !control) {
    console.error('holoanim-web: --sync osc: the clock arrives on the control port: give --control [HOST:]PORT');
    process.exit(2);
  }
  let echoPort = 0;
  if (args['echo-port'] !== undefined) {
    if (!/^[0-9]{1,5}$/.test(args['echo-port']) || Number(args['echo-port']) > 65535) {
      console.error(`holoanim-web: --echo-port "${args['echo-port']}": a UDP port 0..65535`);
      process.exit(2);
    }
    echoPort = Number(args['echo-port']);
  }
  const playerOptions = args.sync === 'osc' ? { sync: true } : undefined;
  const h = loadAddon(path.resolve(args.addon));
  const open = args.open;
  // the demo is copied in once; it opens only when no show was opened before (else the last one does)
  const demo = args.demo ? installDemo(h, path.resolve(args.demo), path.resolve(args.projects), args.device) : undefined;
  if (!fs.existsSync(path.join(args.static, 'index.html'))) {
    console.error(`holoanim-web: warning: no built UI in ${args.static} (run \`npm run build\` in web/)`);
  }
  let srv;
  try {
    srv = await createServer({
      h,
      host: args.host,
      port: Number(args.port),
      token: args.token || null,
      allowedHosts,
      maxMessageBytes,
      addonPath: path.resolve(args.addon),
      projectsDir: args.projects,
      open,
      demo,
      staticDir: args.static,
      cli: args.cli,
      control,
      playerOptions,
      echoPort,
      device: args.device,
      log: (m) => console.error(`holoanim-web: ${m}`),
    });
  } catch (e) {
    if (e.code === 'EADDRINUSE') {
      console.error(`holoanim-web: port ${args.port} on ${args.host} is already in use (another holoanim web, or another server): choose another with --port N (web/start.sh: PORT=N), or --port 0 for any free port`);
    } else {
      console.error(`holoanim-web: ${e.message}`);
    }
    process.exit(1);
  }
  console.log(`holoanim-web: ${srv.session.project} from ${srv.session.dir}`);
  console.log(`holoanim-web: open ${srv.url}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await srv.close(); // saves anything unsaved first
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main();
