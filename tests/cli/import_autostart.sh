#!/usr/bin/env bash
# holoanim import --autostart: an imported show plays its animations only
# with the flag. The same fixture imported twice and evaluated offline at two
# times: without the flag every track holds its position (and import says on
# one stderr line how to start them), with it every track moves.
set -u

CLI=${HA_CLI:?HA_CLI must name the holoanim binary}
SRC=${HA_SOURCE_DIR:?HA_SOURCE_DIR must name the repository root}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# moved CSV: the tracks whose position at t = 0.5 differs from t = 0
# ("t,track,x,y,z" rows of holoanim eval --rate 2 --to 0.5), one per line.
moved() {
  awk -F, 'NR > 1 && $1 == 0 { p[$2] = $3 "," $4 "," $5 }
           NR > 1 && $1 == 0.5 && p[$2] != $3 "," $4 "," $5 { print $2 }' "$1"
}

# (v2.3 fixtures: a v2.0 import binds no tracks to its animations yet.)
for f in v23-01-linear v23-02-circular v23-11-lissajous; do
  hpx="$SRC/tests/conformance/hpx/$f.hpx"
  # Without the flag: imported, a hint on stderr, nothing moves.
  if ! "$CLI" import "$hpx" -o "$tmp/plain.json" 2>"$tmp/err"; then
    fail "$f: import failed: $(cat "$tmp/err")"
    continue
  fi
  [ "$(grep -c 'nothing starts on play' "$tmp/err")" -eq 1 ] ||
    fail "$f: no one-line hint on how to start: $(cat "$tmp/err")"
  grep -q -- '--autostart' "$tmp/err" || fail "$f: the hint does not name --autostart"
  grep -q '"autoStart"' "$tmp/plain.json" && fail "$f: autoStart without --autostart"
  "$CLI" eval "$tmp/plain.json" --from 0 --to 0.5 --rate 2 --format csv >"$tmp/plain.csv" ||
    fail "$f: eval of the plain import failed"
  [ "$(awk -F, 'NR > 1' "$tmp/plain.csv" | wc -l)" -ge 2 ] || fail "$f: eval gave no rows"
  [ -z "$(moved "$tmp/plain.csv")" ] || fail "$f: tracks moved without --autostart: $(moved "$tmp/plain.csv" | tr '\n' ' ')"

  # With the flag: no hint, every group autoStart, every track moves.
  if ! "$CLI" import --autostart "$hpx" -o "$tmp/auto.json" 2>"$tmp/err"; then
    fail "$f: import --autostart failed: $(cat "$tmp/err")"
    continue
  fi
  grep -q 'nothing starts on play' "$tmp/err" && fail "$f: hint printed with --autostart"
  "$CLI" eval "$tmp/auto.json" --from 0 --to 0.5 --rate 2 --format csv >"$tmp/auto.csv" ||
    fail "$f: eval of the --autostart import failed"
  tracks=$(awk -F, 'NR > 1 && $1 == 0 { print $2 }' "$tmp/auto.csv" | sort)
  [ -n "$tracks" ] || fail "$f: no tracks in eval"
  [ "$(moved "$tmp/auto.csv" | sort)" = "$tracks" ] ||
    fail "$f: with --autostart not every track moved (moved: $(moved "$tmp/auto.csv" | tr '\n' ' '))"
done

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "ok: import --autostart"
