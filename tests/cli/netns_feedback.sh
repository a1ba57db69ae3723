#!/usr/bin/env bash
# Device feedback from a processor on another host: `holoanim devsim --push`
# plays the processor, `holoanim play` sends to it and hears its echoes. A
# manual move on the device (a packet to the device, which pushes the
# change) gives play's conflict report on an animated track and the "moved
# on the device" report (base adoption) on a resting one. Echoes are
# attributed to the output whose device sent them, by source address, with
# that output's trackMap: device B's track 1 is show track 3. A spoofed
# echo from a third address (allowed to talk to the control port, but no
# output's device) is counted and ignored.
#
# Part 1, IPv6 loopback [::1]: the device pushes to the output's own
# feedback port (outputs[].feedback), a spoof comes from 127.0.0.1.
# Part 2, two network namespaces joined by a veth pair (made by the test,
# removed at the end; skipped with 77 where `ip netns add` is not
# permitted): devices on 10.78.0.1 and 10.78.0.5, play on 10.78.0.2 hearing
# them on its shared control port, the spoof from 10.78.9.1. The allow list
# names only 10.78.9.0/24 (the spoofer's range, so the echo filter is what
# stops it): the outputs' devices are let in because they are outputs.
# Every check is on what was received, with 60 s deadlines; never timing.
source "$(dirname "$0")/lib.sh"

nsa=ha_dev_$$ nsb=ha_ply_$$ veth_a=hfa$$ veth_b=hfb$$
cleanup() {
  kill ${sim:-} ${sim2:-} ${play:-} 2>/dev/null || true
  ip netns del "$nsa" 2>/dev/null || true
  ip netns del "$nsb" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

# python3 send.py BIND HOST PORT ADDRESS X Y Z: one /…/xyz message from BIND.
cat >"$dir/send.py" <<'PY'
import socket, struct, sys
bind, host, port, addr = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def pad(b):
    return b + b"\0" * (-len(b) % 4)
data = pad(addr.encode() + b"\0") + pad(b",fff\0") + b"".join(
    struct.pack(">f", float(v)) for v in sys.argv[5:8])
s = socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET, socket.SOCK_DGRAM)
s.bind((bind, 0))
s.sendto(data, (host, port))
PY

# make_show HOST_A HOST_B PORT CONTROL_JSON FEEDBACK_A_JSON: tracks 1..3,
# track 1 animated; output a sends every track as itself, output b maps
# show track 3 to its device's track 1 (1 and 2 out of the way).
make_show() {
  cat >"$dir/show.json" <<JSON
{
  "format": 1,
  "name": "feedback",
  "tracks": [{"id": 1, "position": [2, 0, 0]}, {"id": 2, "position": [0, 3, 0]},
             {"id": 3, "position": [0, -3, 0]}],
  "animations": [{"name": "c", "model": "circular", "duration": 8,
                  "parameters": {"radius": 2}}],
  "groups": [{"name": "g", "animation": "c", "tracks": [1], "autoStart": true}],
  "outputs": [{"name": "a", "host": "$1", "port": $3, "feedback": $5},
              {"name": "b", "host": "$2", "port": $3, "trackMap": {"1": 11, "2": 12, "3": 1}}],
  "control": $4
}
JSON
}

# run_play [netns-exec prefix...]: play in the background ($play).
run_play() {
  "$@" "$cli" play "$dir/show.json" --for 300 --metrics "$dir/metrics.json" 2>"$dir/play.err" &
  play=$!
  wait_for "play to run" play_log_has "remote control on"
}

# check DEVICE_A PORT_A DEVICE_B PORT_B SPOOF_BIND SPOOF_TO SPOOF_PORT
# [netns-exec...]: the manual moves (packets to each device, which pushes
# them) and the spoof, sent from where the prefix says.
check() {
  local a=$1 pa=$2 b=$3 pb=$4 sb=$5 st=$6 sp=$7
  shift 7
  "$@" python3 "$dir/send.py" "$a" "$a" "$pa" /track/1/xyz 40 40 0
  "$@" python3 "$dir/send.py" "$a" "$a" "$pa" /track/2/xyz -3 7 1
  "$@" python3 "$dir/send.py" "$b" "$b" "$pb" /track/1/xyz -2 5 1
  wait_for "the conflict report" play_log_has "the device reports (40.00, 40.00, 0.00)"
  wait_for "track 2's move" play_log_has "track 2 moved on the device to (-3.00, 7.00, 1.00)"
  wait_for "device b's track 1 as show track 3" \
    play_log_has "track 3 moved on the device to (-2.00, 5.00, 1.00)"
  "$@" python3 "$dir/send.py" "$sb" "$st" "$sp" /track/2/xyz 9 9 9
  wait_for "the spoofed echo's report" play_log_has "ignored a device echo (track 2) from"
  kill -INT "$play"
  wait "$play"
  play=""
  tr '\r' '\n' <"$dir/play.err" | grep -v "^ t=" | grep -v '^$' || true
  # Device b's track 1 is not show track 1: no conflict at its position.
  if grep -q "reports (-2.00, 5.00, 1.00)" "$dir/play.err"; then
    echo "FAIL: device b's echo taken for show track 1" >&2
    exit 1
  fi
  if grep -q "moved on the device to (9.00, 9.00, 9.00)" "$dir/play.err"; then
    echo "FAIL: the spoofed echo was taken" >&2
    exit 1
  fi
  python3 - "$dir/metrics.json" <<'PY'
import json, sys
n = json.load(open(sys.argv[1]))["counters"]["echoes_foreign"]
assert n >= 1, n
PY
}

# ---- part 1: IPv6 loopback ----
if python3 -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).bind(("::1", 0))' 2>/dev/null; then
  v6port() {
    python3 -c 'import socket; s=socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0)); print(s.getsockname()[1])'
  }
  pa=$(v6port) ctl=$(v6port) fb=$(v6port)
  make_show "::1" "::1" "$pa" "{\"port\": $ctl, \"bind\": \"::\"}" "{\"port\": $fb, \"bind\": \"::1\"}"
  # Both outputs to ::1:pa would be one device: give b another port.
  pb=$(v6port)
  python3 - "$dir/show.json" "$pb" <<'PY'
import json, sys
show = json.load(open(sys.argv[1]))
show["outputs"][1]["port"] = int(sys.argv[2])
json.dump(show, open(sys.argv[1], "w"))
PY
  start_devsim "$pa" --bind ::1 --tracks 16 --push "[::1]:$fb" >/dev/null
  sim_a=$sim
  "$cli" devsim --port "$pb" --bind ::1 --tracks 16 --push "[::1]:$ctl" --quiet >"$dir/devsim2.out" &
  sim2=$!
  wait_for "device b to listen" grep -q "listening on" "$dir/devsim2.out"
  run_play
  wait_for "device a's feedback port" play_log_has "device feedback of output a on [::1]:$fb"
  # The spoof: 127.0.0.1 reaches the dual-stack control port, and is no
  # output's device (both are ::1, told apart by their ports).
  check ::1 "$pa" ::1 "$pb" 127.0.0.1 127.0.0.1 "$ctl"
  kill -INT "$sim_a" "$sim2" 2>/dev/null || true
  wait "$sim_a" "$sim2" || true
  sim="" sim2=""
  echo "ipv6 loopback: ok"
else
  echo "no IPv6 loopback here: part 1 skipped"
fi

# ---- part 2: two namespaces ----
netns_pair "$nsa" "$nsb" "$veth_a" "$veth_b" 10.78.0.1/30 10.78.0.5/32 10.78.9.1/24 -- \
  10.78.0.2/30 10.78.9.2/24
# 10.78.0.5 is outside the /30: each side routes it over the veth.
ip -n "$nsb" route add 10.78.0.5/32 dev "$veth_b"
ip -n "$nsa" route add 10.78.0.2/32 dev "$veth_a" 2>/dev/null || true
make_show 10.78.0.1 10.78.0.5 4003 \
  '{"port": 4010, "bind": "0.0.0.0", "allow": ["10.78.9.0/24"]}' '{}'
ip netns exec "$nsa" "$cli" devsim --port 4003 --bind 10.78.0.1 --tracks 16 \
  --push 10.78.0.2:4010 --quiet >"$dir/devsim.out" &
sim=$!
ip netns exec "$nsa" "$cli" devsim --port 4003 --bind 10.78.0.5 --tracks 16 \
  --push 10.78.0.2:4010 --quiet >"$dir/devsim2.out" &
sim2=$!
wait_for "device a to listen" grep -q "listening on" "$dir/devsim.out"
wait_for "device b to listen" grep -q "listening on" "$dir/devsim2.out"
wait_for "a route to 10.78.0.2" ip netns exec "$nsa" ip route get 10.78.0.2 >/dev/null
rm -f "$dir/metrics.json"
run_play ip netns exec "$nsb"
check 10.78.0.1 4003 10.78.0.5 4003 10.78.9.1 10.78.9.2 4010 ip netns exec "$nsa"
echo "1 passed, 0 failed"
