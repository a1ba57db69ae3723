#!/usr/bin/env bash
# The library's layering holds, and both guards catch a violation:
#  1. scripts/check_layers.sh passes on the tree as it is;
#  2. in a copy of the tree with one upward include planted (core including
#     the player's public header, engine including the show layer's internal
#     header by a relative path), the check fails and names each plant;
#  3. the build's per-layer include directories refuse the planted public
#     include: compiling that file as the core layer is compiled fails.
set -euo pipefail
src=${HA_SOURCE_DIR:?}
build=$(dirname "${HA_CLI:?}")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

bash "$src/scripts/check_layers.sh" "$src"

mkdir -p "$dir/tree/scripts"
cp -r "$src/src" "$src/include" "$dir/tree/"
cp "$src/scripts/check_layers.sh" "$dir/tree/scripts/"
sed -i '0,/#include "core_internal.h"/s//#include "core_internal.h"\n#include "holoanim\/player.h"/' \
  "$dir/tree/src/core/easing.c"
sed -i '0,/#include "engine_internal.h"/s//#include "engine_internal.h"\n#include "..\/show\/show_internal.h"/' \
  "$dir/tree/src/engine/pool.c"
grep -q 'holoanim/player.h' "$dir/tree/src/core/easing.c"
grep -q 'show/show_internal.h' "$dir/tree/src/engine/pool.c"

if bash "$dir/tree/scripts/check_layers.sh" "$dir/tree" >"$dir/out" 2>&1; then
  echo "FAIL: check_layers.sh accepted a tree with upward includes"
  cat "$dir/out"
  exit 1
fi
grep -q 'src/core/easing.c:.*holoanim/player.h.*higher layer rt' "$dir/out" || {
  echo "FAIL: the core → rt plant was not reported"
  cat "$dir/out"
  exit 1
}
grep -q 'src/engine/pool.c:.*show_internal.h.*higher layer show' "$dir/out" || {
  echo "FAIL: the engine → show plant was not reported"
  cat "$dir/out"
  exit 1
}

# The compiler, with the core layer's include path (its staged public headers
# and src/core only), cannot find the player's header.
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
if "${cc:-cc}" -std=c11 -D_GNU_SOURCE -fsyntax-only -I"$build/layers/core" -I"$dir/tree/src/core" \
  "$dir/tree/src/core/easing.c" 2>"$dir/cc.out"; then
  echo "FAIL: the core layer compiled with the rt layer's header included"
  exit 1
fi
grep -q 'holoanim/player.h' "$dir/cc.out" || {
  echo "FAIL: the compiler failed for another reason:"
  cat "$dir/cc.out"
  exit 1
}
# ... while the untouched file compiles the same way (the command is right).
"${cc:-cc}" -std=c11 -D_GNU_SOURCE -fsyntax-only -I"$build/layers/core" -I"$src/src/core" \
  "$src/src/core/easing.c"
echo "layers: the tree is clean; both planted upward includes were caught by the check, the public one by the compiler too"
