#!/usr/bin/env bash
# Start holoanim for a rehearsal: a simulated Holophonix device (holoanim
# devsim), the web server with the demo show (examples/orbiting-quartet.json
# copied into the projects folder once, its output pointed at the device),
# and print the URL to open. Builds what is missing first.
#
#   web/start.sh                          # devsim on UDP 4003, UI on http://127.0.0.1:8080/
#   DEVICE=192.168.1.50:4003 web/start.sh # a real processor instead of the devsim
#   PORT=9000 PROJECTS=~/shows web/start.sh -- --open myshow
#   DEVSIM_PORT=4013 web/start.sh         # UDP 4003 taken: the devsim on another port
#   ECHO_PORT=4014 web/start.sh           # where the devsim pushes its changes (default 4004)
# The server opens the show opened last (else the demo).
# Extra arguments go to the server (node server/main.js --help). Ctrl-C stops
# everything; the show is saved on every change and on exit.
set -euo pipefail
cd "$(dirname "$0")"
WEB=$(pwd)
ROOT=$(cd .. && pwd)
PORT=${PORT:-8080}
PROJECTS=${PROJECTS:-$WEB/projects}
DEVSIM_PORT=${DEVSIM_PORT:-4003}
ECHO_PORT=${ECHO_PORT:-4004}
[ "${1:-}" = "--" ] && shift

if [ ! -x "$ROOT/build/holoanim" ]; then
  echo "start: building holoanim (scripts/setup.sh)"
  HA_TARGETS="holoanim holoanim_static holoanim_devsim" "$ROOT/scripts/setup.sh"
fi
if [ ! -f "$ROOT/bindings/node/build/Release/holoanim.node" ]; then
  # It links the library build/ holds (compiled once, above); the build's
  # own lines show as it goes.
  echo "start: building the Node addon (links build/libholoanim.a)"
  (cd "$ROOT/bindings/node" && npm ci --no-audit --no-fund --foreground-scripts)
fi
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -f dist/index.html ] || [ -n "$(find src index.html vite.config.mjs -newer dist/index.html 2>/dev/null | head -1)" ]; then
  echo "start: building the UI"
  npm run build --silent
fi

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DEVICE=${DEVICE:-}
if [ -z "$DEVICE" ]; then
  DEVICE="127.0.0.1:$DEVSIM_PORT"
  # it pushes every change back to the server (a source moved on the device
  # shows as a conflict, or is followed at rest), as a processor's OSC Send
  "$ROOT/build/holoanim" devsim --port "$DEVSIM_PORT" --tracks 128 --push "127.0.0.1:$ECHO_PORT" --quiet &
  pids+=($!)
  sleep 0.3
  if kill -0 "${pids[0]}" 2>/dev/null; then
    echo "start: simulated device (holoanim devsim) on udp://$DEVICE"
  else
    echo "start: could not start the devsim on UDP port $DEVSIM_PORT (in use? another port: DEVSIM_PORT=N web/start.sh; a device of your own: DEVICE=HOST:PORT web/start.sh); positions go to $DEVICE anyway"
  fi
fi

node server/main.js --port "$PORT" --projects "$PROJECTS" \
  --demo "$ROOT/examples/orbiting-quartet.json" --device "$DEVICE" --echo-port "$ECHO_PORT" "$@" &
pids+=($!)
wait "${pids[-1]}"
