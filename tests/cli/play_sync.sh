#!/usr/bin/env bash
# Following a DAW's transport: a script plays REAPER (its default OSC
# pattern: /play 1, /time SECONDS as a float at 30 Hz, /beat/str it sends
# too, then /play 0 and /stop 1) to `holoanim play SHOW --sync osc
# --control PORT --to devsim`; the clock starts at 1.0 s, jumps from 2.0 s
# to 7.5 s, then stops. Every position the device recorded after the jump
# must be the offline `holoanim eval` of the show at a time the clock said
# (within one tick's motion), and once stopped no other position arrives.
#
# Clocks: the sender and devsim --record both stamp CLOCK_MONOTONIC, so the
# clock's time at each instant s is known (its timeline); a row recorded at r
# shows the transport of a moment in [r - L, r] (L = 2 s: delivery on a
# loaded machine may be that late; a bound on nothing but this search).
source "$(dirname "$0")/lib.sh"
port=$(free_port)
cport=$(free_port)
start_devsim "$port" --tracks 1 --record "$dir/rec.csv"
# radius 5 m, period 20 s: one tick's motion at 100 Hz is 2π·5/(20·100) m.
cat >"$dir/show.json" <<'JSON'
{"format": 1, "name": "sync",
 "tracks": [{"id": 1, "position": [2, 0, 0]}],
 "animations": [{"name": "c", "model": "circular", "duration": 20, "parameters": {"radius": 5}}],
 "groups": [{"name": "g", "animation": "c", "tracks": [1], "autoStart": true}]}
JSON
# The DAW is another sender than the device: it reaches play over IPv6
# loopback (the device and its echoes stay on 127.0.0.1).
if ! python3 -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).bind(("::1", 0))' 2>/dev/null; then
  echo "skipped: no IPv6 loopback here"
  exit 77
fi
"$cli" play "$dir/show.json" --sync osc --control "[::1]:$cport" --to "127.0.0.1:$port" --rate 100 \
  --tick-rate 100 --for 600 --metrics "$dir/metrics.json" --quiet 2>"$dir/play.err" &
play=$!
wait_for "play's control port" udp_bound "$cport"

# REAPER: /play 1, then /time at 30 Hz; the timeline into timeline.json.
python3 - "$cport" "$dir/rec.csv" "$dir/timeline.json" <<'PY'
import csv, json, socket, struct, sys, time
from osc_codec import message
port, rec, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
L = 2.0
def osc(addr, *args):
    return message(addr, "," + "".join("f" if isinstance(a, float) else "s" for a in args), *args)
sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
send = lambda *m: sock.sendto(osc(*m), ("::1", port))
now = lambda: time.clock_gettime(time.CLOCK_MONOTONIC)
def rows_after(since):
    try:
        return sum(1 for r in csv.DictReader(open(rec))
                   if r.get("time_s") and float(r["time_s"]) > since)
    except (FileNotFoundError, ValueError):
        return 0
segments = []  # [start_mono, end_mono, clock time at start, rate]
def run(t0, rate, until):
    """Send /time at 30 Hz from clock time t0 (advancing at `rate`) until
    until(start, clock) holds; a 60 s deadline."""
    start = now()
    end = start + 60
    k = 0
    while True:
        s = now()
        t = t0 + rate * (s - start)
        send("/time", float(t))
        if k % 15 == 0:
            send("/beat/str", "1.1.00")  # REAPER sends it; holoanim ignores it
        k += 1
        if until(start, t, s):
            segments.append([start, s, t0, rate])
            return t
        assert s < end, f"timed out at clock {t:.3f} s"
        time.sleep(max(0.0, start + k / 30 - now()))
send("/play", 1.0)
send("/stop", 0.0)
run(1.0, 1.0, lambda start, t, s: t >= 2.0)
# the jump: 2.0 s → 7.5 s; on until 40 rows arrived well after it
run(7.5, 1.0, lambda start, t, s: rows_after(start + L) >= 40)
t_stop = float(struct.unpack(">f", struct.pack(">f", segments[-1][2] + segments[-1][1] -
                                               segments[-1][0]))[0])
send("/play", 0.0)
send("/stop", 1.0)
# stopped: the clock stands still; on until 3 rows (keep-alives) arrived
# well after the stop
run(t_stop, 0.0, lambda start, t, s: rows_after(start + L) >= 3)
json.dump({"segments": segments, "L": L}, open(out, "w"))
PY
kill -INT "$play"
wait "$play"
play=""
stop_devsim

python3 - "$dir/rec.csv" "$dir/timeline.json" "$cli" "$dir/show.json" "$dir/metrics.json" <<'PY'
import bisect, csv, json, math, subprocess, sys
rec, timeline, cli, show, metrics = sys.argv[1:6]
tl = json.load(open(timeline))
segs, L = tl["segments"], tl["L"]
RATE = 1000  # the eval table's samples per second
tick_motion = 2 * math.pi * 5 / (20 * 100)
tol = tick_motion + 2 * math.pi * 5 / 20 / RATE + 1e-4  # + the table's grid
last_t = max(s[2] + s[3] * (s[1] - s[0]) for s in segs) + 1
out = subprocess.run([cli, "eval", show, "--from", "0", "--to", str(last_t), "--rate", str(RATE)],
                     check=True, capture_output=True, text=True).stdout.splitlines()[1:]
table = [tuple(map(float, l.split(",")[2:5])) for l in out]
def clock_times(a, b):
    """Clock times the timeline said between monotonic a and b (ranges)."""
    res = []
    for i, (s0, s1, t0, rate) in enumerate(segs):
        nxt = segs[i + 1][0] if i + 1 < len(segs) else math.inf
        lo, hi = max(a, s0), min(b, nxt)
        if lo <= hi:
            res.append((t0 + rate * (lo - s0), t0 + rate * (hi - s0)))
    return res
def distance(p, ranges):
    best = math.inf
    for lo, hi in ranges:
        for i in range(max(0, int(lo * RATE) - 1), min(len(table), int(hi * RATE) + 2)):
            best = min(best, math.dist(p, table[i]))
    return best
rows = [(float(r["time_s"]), (float(r["x"]), float(r["y"]), float(r["z"])))
        for r in csv.DictReader(open(rec)) if r["track"] == "1"]
jump, stop = segs[1][0], segs[2][0]
after = [(r, p) for r, p in rows if r > jump]
bad = [(r - jump, p, d) for r, p in after
       for d in [distance(p, clock_times(r - L, r + 0.02))] if d > tol]
assert not bad, f"{len(bad)} of {len(after)} rows off the chased path, e.g. {bad[:3]}"
well_after_jump = [p for r, p in rows if jump + L < r < stop]
assert len(well_after_jump) >= 40, f"{len(well_after_jump)} rows after the jump"
# past 7.5 s on the show's path: not where the clock was before the jump
assert all(distance(p, [(7.5, 7.5 + (stop - jump))]) <= tol for p in well_after_jump)
stopped = {p for r, p in rows if r > stop + L}
assert len(stopped) == 1, f"positions after the stop: {stopped}"
m = json.load(open(metrics))
assert m["counters"]["sync_seeks"] >= 2, m["counters"]
print(f"ok: {len(after)} rows after the jump on the chased path (within {tol:.4f} m), "
      f"{len(well_after_jump)} past 7.5 s, one position after the stop, "
      f"{m['counters']['sync_seeks']} seeks")
PY
