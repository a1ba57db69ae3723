#!/usr/bin/env bash
# The show-file commands through the real CLI: validate (examples, a bad
# show with exact diagnostics, --json), import of the .hpx fixtures, eval of
# a show as CSV/JSON with cues, render to SVG, and the exit codes
# (0 ok, 1 I/O failure, 2 bad input).
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
# expect RC COMMAND...: run, keep stdout/stderr in $tmp/out, $tmp/err
expect() {
  local want=$1
  shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "exit $rc (wanted $want): $*"
    sed 's/^/  stderr: /' "$tmp/err" >&2
  fi
}

# ---- validate ----
for f in orbiting-quartet fly-by pendulum-group cue-scene fader-ring; do
  expect 0 "$CLI" validate "$SRC/examples/$f.json"
  grep -q '^ok: [0-9]* tracks\?, ' "$tmp/out" || fail "validate $f: no ok line: $(cat "$tmp/out")"
  [ -s "$tmp/err" ] && fail "validate $f printed diagnostics: $(cat "$tmp/err")"
done
expect 0 "$CLI" validate "$SRC/examples/cue-scene.json"
grep -qx 'ok: 4 tracks, 2 animations, 2 groups, 3 presets, 6 cues, 1 output' "$tmp/out" ||
  fail "cue-scene summary: $(cat "$tmp/out")"

cat >"$tmp/bad.json" <<'EOF'
{
  "format": 1,
  "tracks": [{"id": 1, "colour": "#ffffff"}],
  "animations": [{"name": "a", "model": "circular", "parameters": {"radius": -3}}]
}
EOF
expect 2 "$CLI" validate "$tmp/bad.json"
grep -qxF "$tmp/bad.json:3:24: warning: tracks[0].colour: unknown field, ignored (did you mean \"color\"?)" "$tmp/err" ||
  fail "warning line: $(cat "$tmp/err")"
grep -qxF "$tmp/bad.json:4:78: animations[0].parameters.radius: -3 is below the minimum 0" "$tmp/err" ||
  fail "error line: $(cat "$tmp/err")"
grep -qxF "holoanim: $tmp/bad.json: 1 error, 1 warning" "$tmp/err" || fail "summary: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "an invalid show printed ok: $(cat "$tmp/out")"

expect 2 "$CLI" validate --json "$tmp/bad.json"
grep -q '"message": "-3 is below the minimum 0"' "$tmp/out" || fail "--json: $(cat "$tmp/out")"
if command -v python3 >/dev/null 2>&1; then
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==2 and d[1]["line"]==4' \
    "$tmp/out" || fail "--json is not the expected JSON"
fi
expect 1 "$CLI" validate "$tmp/missing.json"
expect 2 "$CLI" validate
expect 2 "$CLI" validate --bogus "$tmp/bad.json"

# ---- the JSON Schema agrees on the examples (when python3 has jsonschema) ----
if command -v python3 >/dev/null 2>&1 && python3 -c 'import jsonschema' 2>/dev/null; then
  python3 - "$SRC/docs/show.schema.json" "$SRC"/examples/*.json <<'EOF' || fail "schema"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0
for f in sys.argv[2:]:
    for e in v.iter_errors(json.load(open(f))):
        print("%s: %s" % (f, e.message))
        bad += 1
sys.exit(1 if bad else 0)
EOF
else
  echo "note: python3 jsonschema not available; schema check skipped"
fi

# ---- import ----
expect 0 "$CLI" import "$SRC/tests/fixtures/hpx/project-v2.0.hpx" -o "$tmp/v20.json"
grep -q 'warning: animations\[4\].type: not imported' "$tmp/err" || fail "import warnings: $(cat "$tmp/err")"
expect 0 "$CLI" validate "$tmp/v20.json"
expect 0 "$CLI" import "$SRC/tests/fixtures/hpx/project-v2.3.hpx"
grep -q '"format": 2' "$tmp/out" || fail "import to stdout"
expect 1 "$CLI" import "$tmp/none.hpx" -o "$tmp/x.json"
echo '{"nope": 1}' >"$tmp/not.hpx"
expect 2 "$CLI" import "$tmp/not.hpx"
[ -e "$tmp/x.json" ] && fail "a failed import wrote a file"

# ---- eval ----
expect 0 "$CLI" eval "$SRC/examples/orbiting-quartet.json" --from 0 --to 1 --rate 2
[ "$(head -1 "$tmp/out")" = "t,track,x,y,z" ] || fail "eval header: $(head -1 "$tmp/out")"
[ "$(wc -l <"$tmp/out")" -eq 13 ] || fail "eval rows: $(wc -l <"$tmp/out") (wanted 1 + 3 x 4)"
grep -q '^0,1,[-0-9.e]*,4,1.5$' "$tmp/out" || fail "track 1 at t=0: $(sed -n 2p "$tmp/out")"
grep -q '^0.5,4,' "$tmp/out" || fail "track 4 at t=0.5"
expect 0 "$CLI" eval "$SRC/examples/cue-scene.json" --to 2 --rate 1 --format json --cue 5@0
grep -q '^{"show":".*cue-scene.json","samples":\[{"t":0,"track":1,' "$tmp/out" || fail "eval json: $(head -c 200 "$tmp/out")"
# cue 5 jumps nothing (a 2 s goto): track 1 moves towards (0, 6, 2)
expect 0 "$CLI" eval "$SRC/examples/cue-scene.json" --to 3 --rate 1 --cue 5@0
grep -q '^3,1,0,6,2$' "$tmp/out" || fail "goto cue: $(grep '^3,1,' "$tmp/out")"
expect 2 "$CLI" eval "$SRC/examples/cue-scene.json" --cue 99@1
grep -q 'no cue number 99' "$tmp/err" || fail "unknown cue: $(cat "$tmp/err")"
expect 2 "$CLI" eval "$SRC/examples/cue-scene.json" --cue five
expect 2 "$CLI" eval "$SRC/examples/cue-scene.json" --format xml
expect 2 "$CLI" eval "$tmp/bad.json"
# --from A shows a window of the show played from 0 (auto-start groups and
# cues at their times, before and inside the window): its rows are exactly
# the rows t >= A of --from 0, as text.
window() { # window SHOW A B RATE [EVAL OPTIONS...]
  local show=$1 a=$2 b=$3 rate=$4
  shift 4
  "$CLI" eval "$SRC/examples/$show.json" --from 0 --to "$b" --rate "$rate" "$@" >"$tmp/whole" 2>&1 ||
    fail "eval $show --from 0: $(cat "$tmp/whole")"
  "$CLI" eval "$SRC/examples/$show.json" --from "$a" --to "$b" --rate "$rate" "$@" >"$tmp/part" 2>&1 ||
    fail "eval $show --from $a: $(cat "$tmp/part")"
  awk -F, -v a="$a" 'NR == 1 || $1 + 0 >= a + 0' "$tmp/whole" >"$tmp/want"
  [ "$(wc -l <"$tmp/want")" -gt 1 ] || fail "window $show $a..$b: no rows"
  cmp -s "$tmp/want" "$tmp/part" ||
    fail "eval $show --from $a --to $b differs from --from 0: $(diff "$tmp/want" "$tmp/part" | head -4)"
}
for f in orbiting-quartet fly-by pendulum-group cue-scene fader-ring; do
  window "$f" 2.5 6 20
  window "$f" 7.31 9 50
done
window cue-scene 2.5 9 20 --cue 1@0.5 --cue 2@1.25 --cue 3@4 --cue 4@6.5
window cue-scene 3 4 10 --cue 5@0 --cue 6@3.5
expect 2 "$CLI" eval "$SRC/examples/fly-by.json" --from -1
expect 2 "$CLI" eval "$SRC/examples/fly-by.json" --from 7.311 --to 7.315

# ---- render ----
expect 0 "$CLI" render "$SRC/examples/cue-scene.json" -o "$tmp/scene.svg" --cue 1@0 --cue 2@2 --cue 3@8
grep -q '<svg' "$tmp/scene.svg" || fail "render: no svg"
[ "$(grep -c '<polyline' "$tmp/scene.svg")" -ge 8 ] || fail "render: fewer than 4 tracks x 2 panels"
grep -q '#e6194b' "$tmp/scene.svg" || fail "render: track colour missing"
expect 2 "$CLI" render "$SRC/examples/cue-scene.json"
expect 1 "$CLI" render "$SRC/examples/cue-scene.json" -o "$tmp/no/such/dir.svg"

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "ok: show CLI"
