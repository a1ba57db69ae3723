#!/usr/bin/env bash
# The library's layering holds, and both guards catch a violation:
#  1. scripts/check_layers.sh passes on the tree as it is;
#  2. in a copy of the tree with three upward includes planted (core
#     including the player's public header by name, engine including the
#     show layer's internal header by a relative path, devsim — which stands
#     beside the stack on I/O — including the real-time layer's internal
#     header by name), the check fails and names each plant;
#  3. the build refuses the includes by name: each planted file, compiled
#     with the exact command the build uses for it (compile_commands.json),
#     fails on the planted header, while the unplanted file compiles with the
#     same command. (A relative path reaches any folder, so the compiler
#     cannot refuse the second plant: the check is what catches it.)
set -euo pipefail
src=${HA_SOURCE_DIR:?}
build=$(dirname "${HA_CLI:?}")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

bash "$src/scripts/check_layers.sh" "$src"

mkdir -p "$dir/tree/scripts"
cp -r "$src/src" "$src/include" "$dir/tree/"
cp "$src/scripts/check_layers.sh" "$dir/tree/scripts/"
plant() { # FILE AFTER-THIS-INCLUDE NEW-INCLUDE
  python3 - "$dir/tree/$1" "$2" "$3" <<'PY'
import sys
path, after, new = sys.argv[1:]
text = open(path).read()
line = '#include "%s"\n' % after
assert line in text, (path, line)
open(path, "w").write(text.replace(line, line + '#include "%s"\n' % new, 1))
PY
}
plant src/core/easing.c core_internal.h holoanim/player.h
plant src/engine/pool.c engine_internal.h ../show/show_internal.h
plant src/devsim/devsim.c io_internal.h rt_internal.h

if bash "$dir/tree/scripts/check_layers.sh" "$dir/tree" >"$dir/out" 2>&1; then
  echo "FAIL: check_layers.sh accepted a tree with upward includes"
  cat "$dir/out"
  exit 1
fi
for want in 'src/core/easing.c:.*holoanim/player.h.*higher layer rt' \
  'src/engine/pool.c:.*show_internal.h.*higher layer show' \
  'src/devsim/devsim.c:.*rt_internal.h.*higher layer rt'; do
  grep -q "$want" "$dir/out" || {
    echo "FAIL: the check did not report: $want"
    cat "$dir/out"
    exit 1
  }
done

# The build's own command for FILE (as compile_commands.json has it), made a
# syntax check of SOURCE instead. Prints the command, one word per line.
build_command() { # FILE SOURCE
  python3 - "$build/compile_commands.json" "$src/$1" "$2" <<'PY'
import json, shlex, sys
db, file, source = sys.argv[1:]
entry = next(e for e in json.load(open(db)) if e["file"] == file)
words = shlex.split(entry["command"])
out, skip = [], False
for w in words:
    if skip:
        skip = False
    elif w == "-o":
        skip = True
    elif w == file:
        out.append(source)
    else:
        out.append(w)
print("\n".join(out + ["-fsyntax-only"]))
PY
}
compiles() { # FILE SOURCE
  local cmd=()
  mapfile -t cmd < <(build_command "$1" "$2")
  (cd "$build" && "${cmd[@]}") 2>"$dir/cc.out"
}
for pair in "src/core/easing.c holoanim/player.h" "src/devsim/devsim.c rt_internal.h"; do
  set -- $pair
  if compiles "$1" "$dir/tree/$1"; then
    echo "FAIL: $1 compiled with $2 planted, using the build's own command"
    exit 1
  fi
  grep -q "$2" "$dir/cc.out" || {
    echo "FAIL: compiling the planted $1 failed for another reason:"
    cat "$dir/cc.out"
    exit 1
  }
  compiles "$1" "$src/$1" || {
    echo "FAIL: the unplanted $1 does not compile with the build's command:"
    cat "$dir/cc.out"
    exit 1
  }
done
echo "layers: the tree is clean; the check caught all three planted upward includes, the build refused the two by name"
