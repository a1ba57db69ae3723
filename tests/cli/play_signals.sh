#!/usr/bin/env bash
# `holoanim play` as a service: with stderr not a terminal there is no \r
# status line (plain log lines only), SIGHUP reloads the show file (without
# --watch: the circle blends to its new radius), SIGTERM stops cleanly (exit
# 0, outputs flushed, the metrics file written last). Every wait is for an
# event (a log line, the Prometheus counters) with a generous deadline.
source "$(dirname "$0")/lib.sh"
port=$(free_port)
start_devsim "$port" --tracks 2 --record "$dir/rec.csv" >/dev/null
write_show() { write_circle_show service "$1" "$port"; }
write_show 2
mport=$(free_port SOCK_STREAM)
# No --watch: only SIGHUP reloads. A safety --for; the test stops play itself.
"$cli" play "$dir/show.json" --for 120 --metrics "$dir/metrics.json" \
  --metrics-port "$mport" 2> "$dir/play.err" &
play=$!
wait_for "50 messages at radius 2" prom_at_least "$mport" messages_sent_total 50
write_show 4
sleep 0.5
# Not reloaded on its own (no --watch)...
! grep -q "reloaded" "$dir/play.err"
t_hup=$(mono_now)
kill -HUP "$play"
wait_for "the reload on SIGHUP" play_log_has "holoanim: reloaded $dir/show.json"
t_reloaded=$(mono_now)
m=$(prom_value "$mport" messages_sent_total)
wait_for "150 more messages" prom_at_least "$mport" messages_sent_total $((m + 150))
ticks=$(prom_value "$mport" ticks_total)
kill -TERM "$play"
rc=0
wait "$play" || rc=$?
play=""
stop_devsim
cat "$dir/play.err"
[ "$rc" -eq 0 ] || { echo "play exited $rc on SIGTERM, expected 0" >&2; exit 1; }
grep -q "holoanim: stopped at" "$dir/play.err"
if grep -q $'\r' "$dir/play.err"; then
  echo "a carriage-return status line on a non-terminal stderr" >&2
  exit 1
fi
python3 - "$dir/rec.csv" "$t_hup" "$t_reloaded" "$dir/metrics.json" "$ticks" <<'PY'
import csv, json, math, sys
rows = [(float(r["time_s"]), math.hypot(float(r["x"]), float(r["y"])))
        for r in csv.DictReader(open(sys.argv[1])) if r["track"] == "1"]
th, tr = map(float, sys.argv[2:4])
before = [r for t, r in rows if t < th]
after = [r for t, r in rows if t > tr + 1.25]  # the 0.25 s blend and a margin
assert before and after, (len(before), len(after))
assert all(abs(r - 2) < 1e-4 for r in before), max(abs(r - 2) for r in before)
assert all(abs(r - 4) < 1e-4 for r in after), max(abs(r - 4) for r in after)
# The metrics file was written at the stop: at least the ticks the endpoint
# counted just before SIGTERM (the once-a-second writes lag behind).
m = json.load(open(sys.argv[4]))
def find(o, key):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == key and isinstance(v, (int, float)):
                return v
            f = find(v, key)
            if f is not None:
                return f
    return None
t = find(m, "ticks")
assert t is not None, list(m)
assert t >= int(sys.argv[5]), (t, sys.argv[5])
print("SIGHUP: radius 2 -> 4; SIGTERM: exit 0, metrics ticks %d >= %s" % (t, sys.argv[5]))
PY
echo "1 passed, 0 failed"
