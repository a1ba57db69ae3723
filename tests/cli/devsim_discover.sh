#!/usr/bin/env bash
# Smoke test of `holoanim devsim` and `holoanim discover` through the real CLI:
# start the device on a free port (--port 0, read back from its first line),
# drive it with liblo's oscsend, watch its pushes with oscdump, discover its
# tracks (JSON and table), stop it with SIGTERM and check the record file.
# Every wait is bounded, generously (lib.sh's wait_for: 60 s); the waits end
# as soon as what they wait for has happened.
source "$(dirname "$0")/lib.sh"
need_oscsend
fail() {
  echo "FAIL: $*" >&2
  [ -f "$dir/err.txt" ] && sed 's/^/  devsim stderr: /' "$dir/err.txt" >&2
  exit 1
}

# Usage errors exit 2.
rc=0
"$cli" devsim --tracks 0 >/dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || fail "devsim --tracks 0 exited $rc, expected 2"
rc=0
"$cli" discover >/dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || fail "discover without a host exited $rc, expected 2"

# A push destination watched by oscdump, on a port that was free a moment
# ago; the device pushes only once oscdump has bound it.
push_args=()
dump=""
if command -v oscdump >/dev/null; then
  dport=$(free_port)
  oscdump -L "$dport" >"$dir/push.txt" 2>/dev/null &
  dump=$!
  others=$dump
  wait_for "oscdump to bind port $dport" udp_bound "$dport"
  push_args=(--push "127.0.0.1:$dport")
else
  echo "note: oscdump missing: --push not checked"
fi

"$cli" devsim --port 0 --tracks 4 --record "$dir/rec.csv" "${push_args[@]}" \
  >"$dir/devsim.out" 2>"$dir/err.txt" &
sim=$!
wait_for "devsim to listen" devsim_listening
port=$(devsim_port)
[ -n "$port" ] || fail "devsim did not print its port"
echo "devsim on port $port"

oscsend 127.0.0.1 "$port" /track/1/xyz fff 1 2 0.5 || fail "oscsend"
oscsend 127.0.0.1 "$port" /track/2/aed fff 90 0 2 || fail "oscsend"
oscsend 127.0.0.1 "$port" /track/3/name s Violin || fail "oscsend"
oscsend 127.0.0.1 "$port" /adm/obj/4/xyz fff 0.1 0.2 0.3 || fail "oscsend"
oscsend 127.0.0.1 "$port" /track/9/xyz fff 1 1 1 || fail "oscsend" # unknown track: counted

# Discovery (its replies also prove the sends above were handled: one queue).
timeout 120 "$cli" discover "127.0.0.1:$port" --timeout 5000 --json >"$dir/d.json" ||
  fail "discover --json failed"
cat "$dir/d.json"
[ "$(grep -o '"index":' "$dir/d.json" | wc -l)" -eq 4 ] || fail "discover did not find 4 tracks"
grep -q '"complete":true' "$dir/d.json" || fail "discovery incomplete"
grep -q '{"index":3,"name":"Violin"' "$dir/d.json" || fail "track 3 is not named Violin"
grep -q '{"index":1,"name":"Track 1","x":1,"y":2,"z":0.5}' "$dir/d.json" ||
  fail "track 1 position"
grep -q '{"index":4,"name":"Track 4","x":1,"y":2,"z":3}' "$dir/d.json" ||
  fail "track 4 position (ADM-OSC, 10 m scale)"

timeout 120 "$cli" discover "127.0.0.1:$port" --timeout 5000 >"$dir/table.txt" 2>/dev/null ||
  fail "discover (table) failed"
cat "$dir/table.txt"
[ "$(wc -l <"$dir/table.txt")" -eq 5 ] || fail "table should have a header and 4 rows"
grep -Eq '^ +3 +Violin ' "$dir/table.txt" || fail "table row of track 3"

# The device echo: every change pushed in xyz form.
pushes_seen() {
  [ "$(grep -c ' /track/' "$dir/push.txt")" -ge 4 ]
}
if [ -n "$dump" ]; then
  wait_for "4 pushes" pushes_seen || true # the greps below say which is missing
  cat "$dir/push.txt"
  # oscdump lines: "<time tag> /address types args".
  grep -Eq ' /track/1/xyz fff 1\.0* 2\.0* 0\.50*$' "$dir/push.txt" || fail "no push of track 1"
  grep -Eq ' /track/2/xyz fff 2\.0* ' "$dir/push.txt" || fail "no xyz push of the aed move"
  grep -Eq ' /track/3/name s "?Violin"?$' "$dir/push.txt" || fail "no push of the name"
  grep -Eq ' /track/4/xyz fff 1\.0* 2\.0* 3\.0*$' "$dir/push.txt" || fail "no push of the ADM move"
  kill -TERM "$dump" 2>/dev/null || true
  wait "$dump" 2>/dev/null || true
  dump=""
  others=""
fi

# Nobody there: a runtime failure (exit 1) after a bounded wait.
rc=0
timeout 20 "$cli" discover 127.0.0.1:9 --timeout 20 >/dev/null 2>"$dir/none.txt" || rc=$?
[ $rc -eq 1 ] || fail "discover of a silent port exited $rc, expected 1"
grep -q "no reply" "$dir/none.txt" || fail "no 'no reply' message"

# Stop cleanly (SIGTERM); the record file is flushed on exit.
kill -TERM "$sim"
rc=0
wait "$sim" || rc=$?
sim=""
[ $rc -eq 0 ] || fail "devsim exited $rc after SIGTERM"
grep -q "devsim: stopped: .* 3 positions" "$dir/err.txt" || fail "no stop summary"

cat "$dir/rec.csv"
[ "$(head -n 1 "$dir/rec.csv")" = "time_s,track,x,y,z" ] || fail "record header"
[ "$(wc -l <"$dir/rec.csv")" -eq 4 ] || fail "record should have 3 positions"
awk -F, 'NR == 2 && !($2 == 1 && $3 == 1 && $4 == 2 && $5 == 0.5) { exit 1 }
         NR == 3 && !($2 == 2 && ($3 - 2) ^ 2 < 1e-9 && $4 ^ 2 < 1e-9 && $5 == 0) { exit 1 }
         NR == 4 && !($2 == 4 && ($3 - 1) ^ 2 < 1e-9 && ($4 - 2) ^ 2 < 1e-9 && ($5 - 3) ^ 2 < 1e-9) { exit 1 }
         NR > 1 && !($1 > 0 && $1 >= prev) { exit 1 }
         NR > 1 { prev = $1 }' "$dir/rec.csv" || fail "record contents"
echo "ok"
