# Sourced by the CLI's shell tests, never run on its own (tests/CMakeLists.txt
# leaves it out): the CLI under test in $cli, a temporary directory in $dir
# removed on exit after the background $sim, $play and $others (pids, when
# set) are killed,
# free loopback ports, the monotonic clock, waiting for an event with a
# generous deadline (never a fixed sleep: the machine is shared and slow at
# times), and the simulated device started and stopped the same way every time.
set -euo pipefail
cli=${HA_CLI:?}
dir=$(mktemp -d)
# The tests' Python controllers import osc_codec from this folder.
export PYTHONPATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)${PYTHONPATH:+:$PYTHONPATH}"
trap 'kill ${sim:-} ${play:-} ${others:-} 2>/dev/null || true; rm -rf "$dir"' EXIT

# Exit "skipped" (77) unless liblo's oscsend is installed.
need_oscsend() {
  command -v oscsend >/dev/null || { echo "skipped: oscsend (liblo-tools) not installed"; exit 77; }
}

# A port free on 127.0.0.1 a moment ago: free_port [SOCK_DGRAM|SOCK_STREAM].
free_port() {
  python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, getattr(socket, sys.argv[1])); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "${1:-SOCK_DGRAM}"
}

# CLOCK_MONOTONIC in seconds: the clock devsim --record stamps rows with.
mono_now() {
  python3 -c 'import time; print(time.clock_gettime(time.CLOCK_MONOTONIC))'
}

# wait_for WHAT COMMAND [ARGS...]: run COMMAND every 0.1 s until it
# succeeds; fail naming WHAT when 60 s have passed without.
wait_for() {
  local what=$1 end=$((SECONDS + 60))
  shift
  until "$@"; do
    if ((SECONDS >= end)); then
      echo "timed out after 60 s waiting for $what" >&2
      return 1
    fi
    sleep 0.1
  done
}

# prom_value PORT NAME: the value of holoanim_NAME (e.g. ticks_total) on the
# Prometheus endpoint of `play --metrics-port PORT`; fails while it is not up.
prom_value() {
  python3 - "$@" <<'PY'
import sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode()
name = "holoanim_" + sys.argv[2]
print(next(int(float(l.split()[-1])) for l in text.splitlines() if l.split()[:1] == [name]))
PY
}

# prom_at_least PORT NAME N: holoanim_NAME >= N now (for wait_for).
prom_at_least() {
  local v
  v=$(prom_value "$1" "$2" 2>/dev/null) && ((v >= $3))
}

# play_log_has TEXT: the background play, its stderr in $dir/play.err, has
# written TEXT (for wait_for).
play_log_has() {
  grep -qF "$1" "$dir/play.err"
}

# start_devsim PORT [devsim options...]: the device in the background ($sim),
# quiet; returns once it says it listens.
start_devsim() {
  local port=$1
  shift
  "$cli" devsim --port "$port" "$@" --quiet >"$dir/devsim.out" &
  sim=$!
  wait_for "devsim to listen" devsim_listening
  cat "$dir/devsim.out"
}

# start_devsim's event: the device said it listens (exit at once if it died).
devsim_listening() {
  grep -q "listening on" "$dir/devsim.out" && return 0
  kill -0 "$sim" 2>/dev/null || { echo "devsim exited before listening" >&2; exit 1; }
  return 1
}

# The port the device said it listens on ("listening on HOST:PORT (...)",
# [v6]:PORT for IPv6): for --port 0.
devsim_port() {
  sed -n 's/^devsim: listening on .*:\([0-9][0-9]*\) (.*/\1/p' "$dir/devsim.out"
}

# udp_bound PORT: some socket is bound to UDP PORT on this host (for wait_for).
udp_bound() {
  [ -n "$(ss -Hlun "sport = :$1")" ]
}

# rec_at_least FILE TRACK SINCE N [distinct]: the device's --record FILE
# (flushed within a second of a row) holds N rows (N distinct positions with
# "distinct") of TRACK stamped after SINCE (mono_now seconds, or a sum such as
# "$t+1.5"), for wait_for.
# A last row still being written is skipped.
rec_at_least() {
  python3 - "$@" <<'PY'
import csv, sys
path, track, n = sys.argv[1], sys.argv[2], int(sys.argv[4])
since = sum(float(x) for x in sys.argv[3].split("+"))
distinct = len(sys.argv) > 5 and sys.argv[5] == "distinct"
seen = []
try:
    for r in csv.DictReader(open(path)):
        try:
            if r["track"] == track and float(r["time_s"]) > since:
                seen.append((float(r["x"]), float(r["y"]), float(r["z"])))
        except (TypeError, ValueError, KeyError):
            pass
except FileNotFoundError:
    sys.exit(1)
sys.exit(0 if len(set(seen) if distinct else seen) >= n else 1)
PY
}

# SIGINT to the device (it flushes its record file) and wait for it.
# write_circle_show NAME RADIUS PORT: $dir/show.json (written whole, then
# renamed: a watcher never reads half a file), one track on a radius-RADIUS
# circle (4 s, autoStart), sent to 127.0.0.1:PORT at 100 Hz.
write_circle_show() {
  cat > "$dir/show.tmp" <<JSON
{
  "format": 1,
  "name": "$1",
  "tracks": [{"id": 1, "position": [2, 0, 0]}],
  "animations": [{"name": "c", "model": "circular", "duration": 4,
                  "parameters": {"radius": $2}}],
  "groups": [{"name": "g", "animation": "c", "tracks": [1], "autoStart": true}],
  "outputs": [{"name": "sim", "host": "127.0.0.1", "port": $3, "rate": 100}]
}
JSON
  mv "$dir/show.tmp" "$dir/show.json"
}

stop_devsim() {
  kill -INT "$sim"
  wait "$sim" || true
  sim=""
}

# netns_pair NS_A NS_B VETH_A VETH_B ADDR/LEN... -- ADDR/LEN...: two network
# namespaces joined by a veth pair, the addresses before "--" on NS_A's end
# and those after on NS_B's, every link up. Exits 77 (skipped, said why)
# where `ip netns add` is not permitted. The caller's EXIT trap deletes the
# namespaces (the veth goes with them).
netns_pair() {
  local a=$1 b=$2 va=$3 vb=$4 side dev x
  shift 4
  if ! ip netns add "$a" 2>/dev/null; then
    echo "skipped: creating a network namespace (ip netns add) is not permitted here"
    exit 77
  fi
  ip netns add "$b"
  ip link add "$va" type veth peer name "$vb"
  ip link set "$va" netns "$a"
  ip link set "$vb" netns "$b"
  side=$a dev=$va
  for x in "$@"; do
    if [ "$x" = "--" ]; then
      side=$b dev=$vb
      continue
    fi
    ip -n "$side" addr add "$x" dev "$dev"
  done
  ip -n "$a" link set lo up
  ip -n "$b" link set lo up
  ip -n "$a" link set "$va" up
  ip -n "$b" link set "$vb" up
}
