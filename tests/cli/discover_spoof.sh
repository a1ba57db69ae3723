#!/usr/bin/env bash
# `holoanim discover` takes replies only from the device's address and port
# (issue 12: a spoofed packet once added a track named "INJECTED" at 6,6,6).
# A fake device (Python, one UDP socket) answers every probe; before each
# genuine answer the same process sends a reply-shaped packet from another
# local port: a name "INJECTED" and a position (6, 6, 6) for the probed
# track. The spoofed packet is always sent (and on loopback queued) first, so
# code that read any source would list it. The device has one track, named
# "Real" at (1, 2, 3); track 2 answers /error. Over IPv4 and IPv6 loopback.
. "$(dirname "$0")/lib.sh"

cat >"$dir/fake.py" <<'PY'
import socket, sys
from osc_codec import message as osc, parse
fam = socket.AF_INET6 if sys.argv[1] == "6" else socket.AF_INET
host = "::1" if fam == socket.AF_INET6 else "127.0.0.1"
dev = socket.socket(fam, socket.SOCK_DGRAM)
dev.bind((host, 0))
spoof = socket.socket(fam, socket.SOCK_DGRAM)
spoof.bind((host, 0))
print(dev.getsockname()[1], flush=True)
while True:
    pkt, src = dev.recvfrom(2048)
    addr, _, args = parse(pkt)
    if addr != "/get" or not args:
        continue
    _, n, what = args[0].split("/")[1:4]
    if what == "name":
        spoof.sendto(osc(f"/track/{n}/name", ",s", "INJECTED"), src)
        reply = osc("/track/1/name", ",s", "Real") if n == "1" else \
            osc("/error", ",s", f"from Core: Cannot get track,{n},name")
    else:
        spoof.sendto(osc(f"/track/{n}/xyz", ",fff", 6.0, 6.0, 6.0), src)
        reply = osc(f"/track/{n}/xyz", ",fff", 1.0, 2.0, 3.0)
    dev.sendto(reply, src)
PY

for fam in 4 6; do
  if [ "$fam" = 6 ] && ! python3 -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).bind(("::1", 0))' 2>/dev/null; then
    echo "note: no IPv6 loopback here: the [::1] case is not checked"
    continue
  fi
  python3 "$dir/fake.py" "$fam" >"$dir/port$fam" &
  others="${others:-} $!"
  wait_for "the fake device ($fam) to print its port" test -s "$dir/port$fam"
  port=$(head -1 "$dir/port$fam")
  target="127.0.0.1:$port"
  [ "$fam" = 6 ] && target="[::1]:$port"
  timeout 120 "$cli" discover "$target" --timeout 2000 --json >"$dir/d$fam.json" || {
    echo "FAIL: discover $target failed" >&2
    exit 1
  }
  cat "$dir/d$fam.json"
  if grep -q 'INJECTED\|"x":6' "$dir/d$fam.json"; then
    echo "FAIL: a spoofed reply was taken (IPv$fam)" >&2
    exit 1
  fi
  grep -q '{"index":1,"name":"Real","x":1,"y":2,"z":3}' "$dir/d$fam.json" || {
    echo "FAIL: the device's own track 1 is not listed as sent (IPv$fam)" >&2
    exit 1
  }
  [ "$(grep -o '"index":' "$dir/d$fam.json" | wc -l)" -eq 1 ] || {
    echo "FAIL: expected exactly one track (IPv$fam)" >&2
    exit 1
  }
done
echo "ok"
