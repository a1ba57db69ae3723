#!/usr/bin/env bash
# `holoanim play` as a show-control citizen of a network: controllers on
# another host fire cues by their own OSC address (a pattern too) and by
# /holoanim/cue/go and get /holoanim/ack; a sender outside control.allow is
# counted (control_refused in the metrics, the final line, one log line) and
# never answered.
#
# Part 1, loopback IPv6: play listens on [::] (dual stack) allowing ::1 only
# (allowLoopback false): ::1 is answered, 127.0.0.1 (seen as
# ::ffff:127.0.0.1) refused.
# Part 2, two network namespaces joined by a veth pair with a private /30
# (10.77.0.1 play, 10.77.0.2 the allowed controller) plus 10.77.9.2/24 on
# the controller's side (the refused sender). Made by the test, removed at
# the end; skipped (77) where `ip netns add` is not permitted.
# Listening on 0.0.0.0 without an allow list warns (once).
# Every check is on what was received, with 60 s deadlines; never timing.
source "$(dirname "$0")/lib.sh"

nsa=ha_play_$$ nsb=ha_ctl_$$ veth_a=hva$$ veth_b=hvb$$
cleanup() {
  kill ${play:-} 2>/dev/null || true
  ip netns del "$nsa" 2>/dev/null || true
  ip netns del "$nsb" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

# show ALLOW_JSON ALLOW_LOOPBACK: the quartet example with a control section.
make_show() {
  python3 - "$HA_SOURCE_DIR/examples/orbiting-quartet.json" "$dir/show.json" "$1" "$2" <<'PY'
import json, sys
show = json.load(open(sys.argv[1]))
show["control"] = {"allow": json.loads(sys.argv[3]), "allowLoopback": sys.argv[4] == "true"}
json.dump(show, open(sys.argv[2], "w"))
PY
}

# The controller: python3 ctl.py HOST PORT OK_BIND NO_BIND METRICS_JSON
# [NO_HOST] (where the refused sender sends: HOST unless given).
cat >"$dir/ctl.py" <<'PY'
import json, os, socket, sys, time
from osc_codec import message, parse
host, port, ok_bind, no_bind, metrics = sys.argv[1], int(sys.argv[2]), *sys.argv[3:6]
no_host = sys.argv[6] if len(sys.argv) > 6 else host

def msg(addr, *ints):
    return message(addr, "," + "i" * len(ints), *ints)

def sock(bind):
    fam = socket.AF_INET6 if ":" in bind else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((bind, 0))
    s.settimeout(60)  # a deadline, not a speed
    return s

ok, no = sock(ok_bind), sock(no_bind)

def ask(addr, *ints, want="/holoanim/ack", text=None):
    ok.sendto(msg(addr, *ints), (host, port))
    reply, tags, (echoed, said) = parse(ok.recv(2048))
    assert (reply, tags, echoed) == (want, ",ss", addr), (reply, tags, echoed, said)
    assert text is None or said == text, (addr, said, text)
    print(f"{addr} {list(ints)} -> {reply} {said!r}")

def refused_count():
    try:
        return json.load(open(metrics))["counters"]["control_refused"]
    except (OSError, ValueError, KeyError):
        return -1

ask("/quartet/stop", text="cue 2")            # a cue by its own address
ask("/holoanim/cue/go", 1, text="cue 1")      # and by number
ask("/quartet/{go,stop}", text="cue 1, 2")    # an OSC pattern: both cues
ask("/quartet/nothing", want="/holoanim/error", text="unknown address")
before = refused_count()
no.sendto(msg("/quartet/go"), (no_host, port))
end = time.monotonic() + 60
while refused_count() < max(before, 0) + 1:
    assert time.monotonic() < end, f"control_refused stayed {refused_count()}"
    time.sleep(0.1)
ask("/holoanim/cue/go", 1, text="cue 1")      # the control moved on past it
no.setblocking(False)
try:
    data = no.recv(2048)
    raise AssertionError(f"the refused sender got an answer: {data!r}")
except BlockingIOError:
    pass
print(f"refused sender {no_bind}: counted ({refused_count()}), no reply")
PY

# run_play CONTROL [netns-exec prefix...]: play in the background ($play).
run_play() {
  local control=$1
  shift
  "$@" "$cli" play "$dir/show.json" --sim --control "$control" --metrics "$dir/metrics.json" \
    --for 120 2>"$dir/play.err" &
  play=$!
  wait_for "play to listen" play_log_has "remote control on"
}

stop_play() {
  kill -INT "$play"
  wait "$play"
  play=""
  tr '\r' '\n' <"$dir/play.err" | grep -v "^ t=" | grep -v '^$'
  grep -qF "refused remote control from $1 (not in control.allow)" "$dir/play.err"
  grep -qE "control on .*: [0-9]+ commands, 1 refused" "$dir/play.err"
  [ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counters"]["control_refused"])' "$dir/metrics.json")" = 1 ]
}

# ---- part 1: loopback IPv6 ----
if python3 -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).bind(("::1", 0))' 2>/dev/null; then
  port=$(free_port)
  make_show '["::1"]' false
  run_play "[::]:$port"
  python3 "$dir/ctl.py" ::1 "$port" ::1 127.0.0.1 "$dir/metrics.json" 127.0.0.1
  stop_play 127.0.0.1
  echo "ipv6 loopback: ok"
else
  echo "no IPv6 loopback here: part 1 skipped"
fi

# Listening beyond loopback with no allow list warns, once; loopback does not.
"$cli" play --model circular --for 1 --control 0.0.0.0:0 --quiet 2>"$dir/warn.err"
[ "$(grep -cF "takes commands from any computer that can reach it" "$dir/warn.err")" = 1 ]
"$cli" play --model circular --for 1 --control 127.0.0.1:0 --quiet 2>"$dir/warn.err"
if grep -qF "takes commands" "$dir/warn.err"; then
  echo "FAIL: a warning for a loopback-only control port" >&2
  exit 1
fi

# ---- part 2: two namespaces ----
netns_pair "$nsa" "$nsb" "$veth_a" "$veth_b" 10.77.0.1/30 10.77.9.1/24 -- 10.77.0.2/30 10.77.9.2/24
make_show '["10.77.0.2/32"]' true
rm -f "$dir/metrics.json"
run_play 0.0.0.0:4010 ip netns exec "$nsa"
# Addresses may need a moment (duplicate address detection): retry the
# first exchange's prerequisite, a route to the player.
wait_for "a route to 10.77.0.1" ip netns exec "$nsb" ip route get 10.77.0.1 >/dev/null
ip netns exec "$nsb" python3 "$dir/ctl.py" 10.77.0.1 4010 10.77.0.2 10.77.9.2 "$dir/metrics.json"
stop_play 10.77.9.2
echo "1 passed, 0 failed"
