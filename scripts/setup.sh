#!/usr/bin/env bash
# Install what holoanim needs to build and test on a fresh Debian (as root,
# or with sudo), then configure and build into ./build (HA_TARGETS="a b": only
# those targets, as the demo does). Idempotent: packages
# already present are not fetched again.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential cmake pkg-config libjansson-dev libmicrohttpd-dev liblo-dev liblo-tools python3-liblo clang
      clang-format chromium)
# Node.js 20 + npm for the addon and the UI (machines that already have a
# Node.js, as this project's do, keep theirs).
command -v node >/dev/null 2>&1 || PKGS+=(nodejs)
command -v npm >/dev/null 2>&1 || PKGS+=(npm)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

BUILD_DIR=${BUILD_DIR:-build}
WERROR=${HA_WERROR:-ON}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHA_WERROR="$WERROR" "$@" >/dev/null
# HA_TARGETS: only these (the demo needs the CLI and the two archives the
# Node addon links, not the tests and benchmarks); all by default.
if [ -n "${HA_TARGETS:-}" ]; then
  # shellcheck disable=SC2086 # a list of target names
  cmake --build "$BUILD_DIR" -j"$(nproc)" --target $HA_TARGETS
else
  cmake --build "$BUILD_DIR" -j"$(nproc)"
fi
