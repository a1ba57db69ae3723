#!/usr/bin/env bash
# OSC interop with the npm `osc` package (tests/interop/osc_npm.js).
set -euo pipefail
here=$(cd "$(dirname "$0")/../interop" && pwd)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "skipped: node/npm not installed"
  exit 77
fi
if [ ! -d "$here/node_modules/osc" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
fi
exec node "$here/osc_npm.js"
