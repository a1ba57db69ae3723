#!/usr/bin/env bash
# The size limits hold: no file over 1,200 lines and no function over 150
# lines in src/, bindings/node/src, tools/ and web/server (scripts/check_size.sh
# also prints the longest functions left). And the check can fail: in a copy
# with an over-long C function whose signature line ends in a comment, an
# over-long top-level JavaScript arrow function and an over-long file, each
# not yet added to git, it reports all three.
set -euo pipefail
src=${HA_SOURCE_DIR:?}
bash "$src/scripts/check_size.sh" "$src"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/scripts" "$dir/src/core" "$dir/web/server"
cp "$src/scripts/check_size.sh" "$dir/scripts/"
{
  echo 'static int planted_c(int a, /* why */'
  echo '                     int b) {'
  for i in $(seq 1 160); do echo "  a += b * $i;"; done
  echo '  return a;'
  echo '}'
} >"$dir/src/core/planted.c"
{
  echo "const plantedJs = async (req, res) => {"
  for i in $(seq 1 160); do echo "  res.push($i);"; done
  echo "};"
} >"$dir/web/server/planted.js"
for i in $(seq 1 1300); do echo "/* line $i */"; done >"$dir/src/core/long.h"
(cd "$dir" && git init -q .) # the planted files are untracked: they still count
if bash "$dir/scripts/check_size.sh" "$dir" >"$dir/out" 2>&1; then
  echo "FAIL: check_size.sh accepted the planted over-long functions and file"
  cat "$dir/out"
  exit 1
fi
for want in 'src/core/planted.c:1: function static int planted_c is 164 lines' \
  'web/server/planted.js:1: function const plantedJs = async.* is 162 lines' \
  'src/core/long.h: 1300 lines'; do
  grep -Eq "$want" "$dir/out" || {
    echo "FAIL: check_size.sh did not report: $want"
    cat "$dir/out"
    exit 1
  }
done
echo "1 passed, 0 failed"
