#!/usr/bin/env bash
# `holoanim play` under remote control, with a refusing destination, a
# metrics file and the Prometheus endpoint: /holoanim/pause freezes what the
# device receives, /holoanim/play resumes it, the refusing output never stops
# the good one, and the metrics count what was done. Every step waits for
# what it needs to have happened (the endpoint's counters) and the checks are
# on what the device received, never on how fast: the machine is shared.
source "$(dirname "$0")/lib.sh"
need_oscsend
simport=$(free_port SOCK_DGRAM); refused=$(free_port SOCK_DGRAM)
ctl=$(free_port SOCK_DGRAM); mport=$(free_port SOCK_STREAM)
start_devsim "$simport" --tracks 4 --record "$dir/rec.csv"
# A long animation and a safety --for: the test stops play itself (SIGINT).
"$cli" play --model circular --param radius=3 --duration 600 --track 1 \
  --to "127.0.0.1:$refused" --to "127.0.0.1:$simport" --rate 100 \
  --control "$ctl" --metrics "$dir/metrics.json" --metrics-port "$mport" --for 600 --quiet &
play=$!
wait_for "50 ticks on the Prometheus endpoint" prom_at_least "$mport" ticks_total 51
python3 - "$mport" <<'PY'
import sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode()
assert "# TYPE holoanim_ticks_total counter" in text, text[:500]
ticks = [l for l in text.splitlines() if l.startswith("holoanim_ticks_total")]
assert ticks and float(ticks[0].split()[-1]) > 50, ticks
print("prometheus endpoint ok:", ticks[0])
PY
# Every wait is on what the device recorded (or the endpoint counted), up to
# lib.sh's 60 s: how many rows arrive in a given time is never assumed.
wait_for "51 positions recorded before the pause" rec_at_least "$dir/rec.csv" 1 0 51
# Pause, and take the paused time once the tick has applied the command.
n=$(prom_value "$mport" commands_total)
pause_sent=$(mono_now)
oscsend 127.0.0.1 "$ctl" /holoanim/pause
wait_for "the pause to be applied" prom_at_least "$mport" commands_total $((n + 1))
pause_at=$(mono_now)
# Paused, the output repeats the paused position (keep-alive, 1 s): wait for
# two copies stamped 1.5 s after the pause was applied.
wait_for "2 keep-alive copies while paused" rec_at_least "$dir/rec.csv" 1 "$pause_at+1.5" 2
resume_at=$(mono_now)
oscsend 127.0.0.1 "$ctl" /holoanim/play
wait_for "the play to be applied" prom_at_least "$mport" commands_total $((n + 2))
wait_for "21 distinct positions recorded after resuming" rec_at_least "$dir/rec.csv" 1 \
  "$resume_at+0.1" 21 distinct
wait_for "300 ticks" prom_at_least "$mport" ticks_total 301
kill -INT "$play"
wait "$play"
play=""
stop_devsim
python3 - "$dir/rec.csv" "$pause_sent" "$pause_at" "$resume_at" "$dir/metrics.json" <<'PY'
import csv, json, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["track"] == "1"]
pause_sent, pause, resume = map(float, sys.argv[2:5])
def pos(r): return (float(r["x"]), float(r["y"]), float(r["z"]))
# Paused window: from well after the pause was seen applied (a loaded
# machine may stamp a datagram sent just before it late) until the resume.
during = [pos(r) for r in rows if pause + 1.5 < float(r["time_s"]) < resume]
after = [pos(r) for r in rows if float(r["time_s"]) > resume + 0.1]
before = [pos(r) for r in rows if float(r["time_s"]) < pause_sent]
# The good output received although the other one refuses every packet:
# before the pause and after the resume (each waited for above).
assert len(before) > 50, len(before)
assert len(during) >= 2, len(during)
# Paused: nothing new but keep-alive copies of one position.
assert len(set(during)) <= 1, f"{len(set(during))} distinct positions while paused"
assert len(set(after)) > 20, f"only {len(set(after))} distinct positions after resuming"
c = json.load(open(sys.argv[5]))["counters"]
assert c["ticks"] > 300 and c["messages_sent"] >= len(rows), c
assert c["sent_bytes"] >= 36 * len(rows), c
assert c["send_errors"] > 0, c          # the refusing destination, counted
assert c["commands"] >= 4, c            # start, play, pause, play
print("paused: %d keep-alive copies; resumed: %d positions; metrics %s" %
      (len(during), len(after), {k: c[k] for k in ("ticks", "messages_sent", "send_errors")}))
PY
echo "1 passed, 0 failed"
