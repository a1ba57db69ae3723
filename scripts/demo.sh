#!/usr/bin/env bash
# Set up holoanim on this machine and run the demo: build, list the models,
# compute a few trajectories and draw them. Pictures land in build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
out=build/demo
mkdir -p "$out"
h=build/holoanim
echo
echo "== $($h models | head -1)"
$h models | grep -E '^[a-z]' | sed 's/^/   /'
echo
echo "== a circle of radius 3 m around (0, 2, 0), one turn in 8 s, every second:"
$h eval --model circular --param radius=3 --param center=0,2,0 --duration 8 --from 0 --to 8 --step 1
for spec in "circular --param radius=4 --duration 8" \
            "lissajous --duration 12" \
            "helix --duration 10" \
            "pendulum --duration 10 --loop once" \
            "catmull-rom --param closed=true --param constantSpeed=true --duration 10" \
            "random --param seed=7 --duration 20"; do
  name=${spec%% *}
  # shellcheck disable=SC2086
  $h render --model $spec -o "$out/$name.svg"
  echo "   drew $out/$name.svg"
done
echo
echo "demo done: open the SVG files in $out/ to see the paths"
