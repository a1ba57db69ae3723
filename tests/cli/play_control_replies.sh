#!/usr/bin/env bash
# What `holoanim play` answers on its control port says what happened: a
# refused command is a /holoanim/error whose reason names the value and the
# allowed range (or the missing group), never an "it worked" text; a good one
# is a /holoanim/ack. The speed that would freeze the transport (5e-324) is
# refused. Replies are read from a real UDP socket, with generous deadlines.
source "$(dirname "$0")/lib.sh"
ctl=$(free_port)
mport=$(free_port SOCK_STREAM)
"$cli" play "$HA_SOURCE_DIR/examples/orbiting-quartet.json" --sim --control "$ctl" \
  --metrics-port "$mport" --for 600 --quiet 2>"$dir/play.err" &
play=$!
wait_for "the player to tick" prom_at_least "$mport" ticks_total 5
python3 - "$ctl" <<'PY'
import socket, sys
from osc_codec import message as msg, parse

port = int(sys.argv[1])

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.settimeout(60)  # a deadline, not a speed

def ask(addr, tags, *args):
    s.sendto(msg(addr, tags, *args), ("127.0.0.1", port))
    reply, tt, rest = parse(s.recv(2048))
    assert tt == ",ss" and rest[0] == addr, (reply, tt, rest)
    return reply, rest[1]

cases = [
    (("/holoanim/stop", ",s", "nosuchgroup"), "/holoanim/error", "no group nosuchgroup"),
    (("/holoanim/speed", ",d", 5e-324), "/holoanim/error", "is not in [0.001, 1000]"),
    (("/holoanim/speed", ",d", 2000.0), "/holoanim/error", "2000 is not in [0.001, 1000]"),
    (("/holoanim/seek", ",d", 1e18), "/holoanim/error", "1e+18 is not a time in [-1000000000, 1000000000] s"),
    (("/holoanim/speed", ",f", 2.0), "/holoanim/ack", "speed 2"),
    (("/holoanim/seek", ",d", 3.5), "/holoanim/ack", "seek 3.5"),
    (("/holoanim/stop", ",s", "quartet"), "/holoanim/ack", "stopped group quartet"),
]
for (addr, tags, arg), want, text in cases:
    reply, reason = ask(addr, tags, arg)
    assert reply == want, (addr, arg, reply, reason)
    assert text in reason, (addr, arg, reason)
    assert not (want == "/holoanim/error" and reason.startswith("stopped")), reason
    print(f"{addr} {arg!r}: {reply} {reason!r}")
PY
kill -INT "$play"
wait "$play" || true
play=""
echo "1 passed, 0 failed"
