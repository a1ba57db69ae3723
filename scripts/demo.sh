#!/usr/bin/env bash
# Set up holoanim on this machine (apt packages, the C build, the Node addon,
# the UI) and run the demo: a simulated Holophonix device, the rehearsal
# server and the demo show (a string quartet orbiting the audience). Prints
# the URL to open; Ctrl-C stops everything (the show is saved on every change).
#   scripts/demo.sh                         # simulated device, http://127.0.0.1:8080/
#   DEVICE=192.168.1.50:4003 scripts/demo.sh  # a real processor instead
#   scripts/demo-cli.sh                     # the same show in the terminal only
set -euo pipefail
cd "$(dirname "$0")/.."
HA_TARGETS="holoanim holoanim_static holoanim_devsim" scripts/setup.sh
exec web/start.sh "$@"
