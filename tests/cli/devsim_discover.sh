#!/usr/bin/env bash
# Smoke test of `holoanim devsim` and `holoanim discover` through the real CLI:
# start the device on a free port (--port 0, read back from its first line),
# drive it with liblo's oscsend, watch its pushes with oscdump, discover its
# tracks (JSON and table), stop it with SIGTERM and check the record file.
# Every wait is bounded, generously (60 s: the machine is shared and slow at
# times); the waits end as soon as what they wait for has happened.
set -u

CLI=${HA_CLI:?HA_CLI must name the holoanim binary}
if ! command -v oscsend >/dev/null 2>&1; then
  echo "skipped: oscsend not found (install liblo-tools)"
  exit 77
fi
if ! "$CLI" devsim --help >/dev/null 2>&1 || ! "$CLI" discover --help >/dev/null 2>&1; then
  echo "skipped: this holoanim has no devsim/discover subcommands wired yet"
  exit 77
fi

tmp=$(mktemp -d)
pid=""
dump_pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null; fi
  if [ -n "$dump_pid" ]; then kill -KILL "$dump_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  [ -f "$tmp/err.txt" ] && sed 's/^/  devsim stderr: /' "$tmp/err.txt" >&2
  exit 1
}

# Usage errors exit 2.
"$CLI" devsim --tracks 0 >/dev/null 2>&1
[ $? -eq 2 ] || fail "devsim --tracks 0 should exit 2"
"$CLI" discover >/dev/null 2>&1
[ $? -eq 2 ] || fail "discover without a host should exit 2"

# A push destination watched by oscdump, on a port that was free a moment ago.
push_args=()
if command -v oscdump >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
  dport=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  oscdump -L "$dport" >"$tmp/push.txt" 2>/dev/null &
  dump_pid=$!
  push_args=(--push "127.0.0.1:$dport")
else
  echo "note: oscdump or python3 missing: --push not checked"
fi

"$CLI" devsim --port 0 --tracks 4 --record "$tmp/rec.csv" "${push_args[@]}" \
  >"$tmp/out.txt" 2>"$tmp/err.txt" &
pid=$!
port=""
for _ in $(seq 1 1200); do
  port=$(sed -n 's/^devsim: listening on .*:\([0-9][0-9]*\) (.*/\1/p' "$tmp/out.txt")
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || fail "devsim exited early"
  sleep 0.05
done
[ -n "$port" ] || fail "devsim did not print its port"
echo "devsim on port $port"

oscsend 127.0.0.1 "$port" /track/1/xyz fff 1 2 0.5 || fail "oscsend"
oscsend 127.0.0.1 "$port" /track/2/aed fff 90 0 2 || fail "oscsend"
oscsend 127.0.0.1 "$port" /track/3/name s Violin || fail "oscsend"
oscsend 127.0.0.1 "$port" /adm/obj/4/xyz fff 0.1 0.2 0.3 || fail "oscsend"
oscsend 127.0.0.1 "$port" /track/9/xyz fff 1 1 1 || fail "oscsend" # unknown track: counted

# Discovery (its replies also prove the sends above were handled: one queue).
timeout 120 "$CLI" discover "127.0.0.1:$port" --timeout 5000 --json >"$tmp/d.json" ||
  fail "discover --json failed"
cat "$tmp/d.json"
[ "$(grep -o '"index":' "$tmp/d.json" | wc -l)" -eq 4 ] || fail "discover did not find 4 tracks"
grep -q '"complete":true' "$tmp/d.json" || fail "discovery incomplete"
grep -q '{"index":3,"name":"Violin"' "$tmp/d.json" || fail "track 3 is not named Violin"
grep -q '{"index":1,"name":"Track 1","x":1,"y":2,"z":0.5}' "$tmp/d.json" ||
  fail "track 1 position"
grep -q '{"index":4,"name":"Track 4","x":1,"y":2,"z":3}' "$tmp/d.json" ||
  fail "track 4 position (ADM-OSC, 10 m scale)"

timeout 120 "$CLI" discover "127.0.0.1:$port" --timeout 5000 >"$tmp/table.txt" 2>/dev/null ||
  fail "discover (table) failed"
cat "$tmp/table.txt"
[ "$(wc -l <"$tmp/table.txt")" -eq 5 ] || fail "table should have a header and 4 rows"
grep -Eq '^ +3 +Violin ' "$tmp/table.txt" || fail "table row of track 3"

# The device echo: every change pushed in xyz form.
if [ -n "$dump_pid" ]; then
  for _ in $(seq 1 1200); do
    [ "$(grep -c ' /track/' "$tmp/push.txt")" -ge 4 ] && break
    sleep 0.05
  done
  cat "$tmp/push.txt"
  # oscdump lines: "<time tag> /address types args".
  grep -Eq ' /track/1/xyz fff 1\.0* 2\.0* 0\.50*$' "$tmp/push.txt" || fail "no push of track 1"
  grep -Eq ' /track/2/xyz fff 2\.0* ' "$tmp/push.txt" || fail "no xyz push of the aed move"
  grep -Eq ' /track/3/name s "?Violin"?$' "$tmp/push.txt" || fail "no push of the name"
  grep -Eq ' /track/4/xyz fff 1\.0* 2\.0* 3\.0*$' "$tmp/push.txt" || fail "no push of the ADM move"
  kill -TERM "$dump_pid" 2>/dev/null
  wait "$dump_pid" 2>/dev/null
  dump_pid=""
fi

# Nobody there: a runtime failure (exit 1) after a bounded wait.
timeout 20 "$CLI" discover 127.0.0.1:9 --timeout 20 >/dev/null 2>"$tmp/none.txt"
rc=$?
[ $rc -eq 1 ] || fail "discover of a silent port exited $rc, expected 1"
grep -q "no reply" "$tmp/none.txt" || fail "no 'no reply' message"

# Stop cleanly; the record file is flushed on exit.
kill -TERM "$pid"
for _ in $(seq 1 1200); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
if kill -0 "$pid" 2>/dev/null; then fail "devsim ignored SIGTERM"; fi
wait "$pid"
rc=$?
pid=""
[ $rc -eq 0 ] || fail "devsim exited $rc after SIGTERM"
grep -q "devsim: stopped: .* 3 positions" "$tmp/err.txt" || fail "no stop summary"

cat "$tmp/rec.csv"
[ "$(head -n 1 "$tmp/rec.csv")" = "time_s,track,x,y,z" ] || fail "record header"
[ "$(wc -l <"$tmp/rec.csv")" -eq 4 ] || fail "record should have 3 positions"
awk -F, 'NR == 2 && !($2 == 1 && $3 == 1 && $4 == 2 && $5 == 0.5) { exit 1 }
         NR == 3 && !($2 == 2 && ($3 - 2) ^ 2 < 1e-9 && $4 ^ 2 < 1e-9 && $5 == 0) { exit 1 }
         NR == 4 && !($2 == 4 && ($3 - 1) ^ 2 < 1e-9 && ($4 - 2) ^ 2 < 1e-9 && ($5 - 3) ^ 2 < 1e-9) { exit 1 }
         NR > 1 && !($1 > 0 && $1 >= prev) { exit 1 }
         NR > 1 { prev = $1 }' "$tmp/rec.csv" || fail "record contents"
echo "ok"
