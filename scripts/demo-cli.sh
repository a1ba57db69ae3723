#!/usr/bin/env bash
# Set up holoanim on this machine and run the demo: build, list the models,
# draw the example shows, then play the orbiting quartet in real time on the
# built-in simulated Holophonix device (no hardware needed) with a live
# status line. Pass a device to use real hardware: scripts/demo-cli.sh --to HOST:4003
# DEMO_SECONDS (default 20) sets how long it plays; Ctrl-C stops it cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
HA_TARGETS="holoanim holoanim_static holoanim_devsim" scripts/setup.sh
out=build/demo
mkdir -p "$out"
h=build/holoanim
echo
$h models | head -1
$h models | grep -oE '^[a-z][a-z-]* (\(also|—)' | cut -d' ' -f1 | paste -sd' ' | fold -s -w 96 |
  sed 's/^/   /'
echo
for show in examples/*.json; do
  name=$(basename "$show" .json)
  $h validate "$show" >/dev/null
  $h render "$show" -o "$out/$name.svg"
  echo "drew $out/$name.svg ($show)"
done
echo
echo "playing examples/orbiting-quartet.json for ${DEMO_SECONDS:-20} s:"
if [ $# -eq 0 ]; then
  set -- --sim   # no hardware given: the built-in simulated device
fi
$h play examples/orbiting-quartet.json --for "${DEMO_SECONDS:-20}" "$@"
echo "demo done: the pictures are in $out/"
