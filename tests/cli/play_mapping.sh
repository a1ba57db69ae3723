#!/usr/bin/env bash
# Live data drives a parameter: a lighting desk's fader (/desk/fader/1, a
# float 0..1, sent from IPv6 loopback: another address than the device's)
# mapped to the radius of a group's circle (output [1, 8] m, one-pole
# smoothing 0.2 s) in `holoanim play SHOW --control [::1]:PORT --to
# devsim`. Before any fader message the device records the show's radius
# (3 m); the fader sweeps, then rests at 0.5; once the smoothing and the
# blend have settled every position the device records is on the path that
# `holoanim eval` gives for the show with radius 4.5 (the mapped value), and
# nowhere near the old one. A string argument is refused (/holoanim/error
# to the sender, the radius unchanged); mapped_messages counts the inputs;
# play's last lines give the mapping's value.
source "$(dirname "$0")/lib.sh"
if ! python3 -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).bind(("::1", 0))' 2>/dev/null; then
  echo "skipped: no IPv6 loopback here"
  exit 77
fi
port=$(free_port)
cport=$(free_port)
start_devsim "$port" --tracks 1 --record "$dir/rec.csv"
show() { # show RADIUS MAPPINGS_JSON
  cat <<JSON
{"format": 1, "name": "fader",
 "tracks": [{"id": 1, "position": [0, 0, 0]}],
 "animations": [{"name": "c", "model": "circular", "duration": 4, "loop": true,
                 "parameters": {"center": [0, 0, 1], "radius": $1}}],
 "groups": [{"name": "ring", "animation": "c", "tracks": [1], "autoStart": true}],
 "mappings": $2}
JSON
}
show 3 '[{"address": "/desk/fader/1", "group": "ring", "param": "radius",
           "input": [0, 1], "output": [1, 8], "smoothing": 0.2}]' >"$dir/show.json"
show 4.5 '[]' >"$dir/expected.json"
"$cli" validate "$dir/show.json"
"$cli" play "$dir/show.json" --control "[::1]:$cport" --to "127.0.0.1:$port" --rate 100 \
  --tick-rate 100 --for 600 --metrics "$dir/metrics.json" 2>"$dir/play.err" &
play=$!
wait_for "play's control port" udp_bound "$cport"
grep -F "mapping /desk/fader/1 arg 0 -> ring.radius in [1, 8]" "$dir/play.err"
wait_for "the show's own radius on the device" rec_at_least "$dir/rec.csv" 1 0 20

# The desk: a sweep 0 -> 1 -> 0.5 at 30 Hz, a string (refused), then the
# fader resting at 0.5 (a desk repeats its value) until the device recorded
# 40 rows more than 4 s after the rest began (0.2 s x ln(1e6) to settle, the
# 0.25 s blend). Writes the monotonic times of the first message and of the
# rest, and how many numbers it sent.
python3 - "$cport" "$dir/rec.csv" "$dir/desk.json" <<'PY'
import csv, json, socket, sys, time
from osc_codec import message, parse
port, rec, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
sock.settimeout(10)
now = lambda: time.clock_gettime(time.CLOCK_MONOTONIC)
sent = 0
def fader(v):
    global sent
    sock.sendto(message("/desk/fader/1", ",f", v), ("::1", port))
    sent += 1
def rows_after(since):
    try:
        return sum(1 for r in csv.DictReader(open(rec))
                   if r.get("time_s") and float(r["time_s"]) > since)
    except (FileNotFoundError, ValueError):
        return 0
first = now()
for k in range(31):
    fader(k / 30)
    time.sleep(1 / 30)
for k in range(16):
    fader(1 - k / 30)
    time.sleep(1 / 30)
sock.sendto(message("/desk/fader/1", ",s", "loud"), ("::1", port))
addr, tags, args = parse(sock.recv(1024))
assert addr == "/holoanim/error" and args[0] == "/desk/fader/1", (addr, args)
assert "number" in args[1], args
rest = now()
deadline = rest + 60
while rows_after(rest + 4) < 40:
    assert now() < deadline, "timed out waiting for rows after the rest"
    fader(0.5)
    time.sleep(0.1)
json.dump({"first": first, "rest": rest, "sent": sent}, open(out, "w"))
PY
kill -INT "$play"
wait "$play"
play=""
stop_devsim
# the summary gives each mapping's last value
grep -E "^holoanim: mapping /desk/fader/1 -> ring.radius: 4.5 after [0-9]+ inputs$" "$dir/play.err"

python3 - "$dir/rec.csv" "$dir/desk.json" "$cli" "$dir/expected.json" "$dir/metrics.json" <<'PY'
import csv, json, math, subprocess, sys
rec, desk, cli, expected, metrics = sys.argv[1:6]
d = json.load(open(desk))
rows = [(float(r["time_s"]), (float(r["x"]), float(r["y"]), float(r["z"])))
        for r in csv.DictReader(open(rec)) if r["track"] == "1"]
radius = lambda p: math.hypot(p[0], p[1])
before = [p for r, p in rows if r < d["first"]]
assert len(before) >= 20 and all(abs(radius(p) - 3) < 1e-3 for p in before), before[:3]
# The path of the show with radius 4.5, offline: one loop at 1 kHz.
RATE = 1000
out = subprocess.run([cli, "eval", expected, "--from", "0", "--to", "4", "--rate", str(RATE)],
                     check=True, capture_output=True, text=True).stdout.splitlines()[1:]
table = [tuple(map(float, l.split(",")[2:5])) for l in out]
tol = 2 * math.pi * 4.5 / 4 / RATE + 1e-4  # the table's grid
settled = [p for r, p in rows if r > d["rest"] + 4]
assert len(settled) >= 40, len(settled)
far = [(p, dist) for p in settled for dist in [min(math.dist(p, q) for q in table)] if dist > tol]
assert not far, f"{len(far)} of {len(settled)} settled rows off the radius-4.5 path: {far[:3]}"
assert all(abs(p[2] - 1) < 1e-6 and abs(radius(p) - 4.5) < 1e-4 for p in settled), settled[:3]
swept = max(radius(p) for r, p in rows if d["first"] < r < d["rest"] + 4)
assert swept > 6, f"the sweep never took the radius towards 8 (max {swept})"
m = json.load(open(metrics))["counters"]
assert m["mapped_messages"] == d["sent"], (m["mapped_messages"], d["sent"])
print(f"ok: radius 3 before the desk ({len(before)} rows), up to {swept:.2f} m in the sweep, "
      f"{len(settled)} settled rows on eval's radius-4.5 path (within {tol:.4f} m), "
      f"{m['mapped_messages']} mapped messages")
PY
