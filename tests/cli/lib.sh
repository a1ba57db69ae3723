# Sourced by the play_*.sh tests, never run on its own (tests/CMakeLists.txt
# leaves it out): the CLI under test in $cli, a temporary directory in $dir
# removed on exit after the background $sim and $play (when set) are killed,
# free loopback ports, the monotonic clock, and the simulated device started
# and stopped the same way every time.
set -euo pipefail
cli=${HA_CLI:?}
dir=$(mktemp -d)
trap 'kill ${sim:-} ${play:-} 2>/dev/null || true; rm -rf "$dir"' EXIT

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

# start_devsim PORT [devsim options...]: the device in the background ($sim),
# quiet, given 0.3 s to bind.
start_devsim() {
  local port=$1
  shift
  "$cli" devsim --port "$port" "$@" --quiet &
  sim=$!
  sleep 0.3
}

# SIGINT to the device (it flushes its record file) and wait for it.
stop_devsim() {
  kill -INT "$sim"
  wait "$sim" || true
}
