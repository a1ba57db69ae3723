#!/usr/bin/env python3
"""Conformance of holoanim's .hpx import with the original Animator.

usage: check_hpx.py HOLOANIM [FIXTURE_DIR] [--known-failures FILE]

For each fixture of FIXTURE_DIR/manifest.json that has expected positions
(NAME.expected.csv: t,track,x,y,z): `holoanim import F -o OUT --autostart`,
`holoanim eval OUT --from 0 --to T --rate R --format csv` (T and R from the
manifest), and every expected row is compared with the row of the same
(t, track) within the manifest's tolerance_m (largest coordinate error).
Fixtures without a CSV are listed as excluded with the manifest's reason.

KNOWN_FAILURES (default FIXTURE_DIR/KNOWN_FAILURES) lists fixtures expected
to fail, one per line: NAME.hpx then the reason; '#' starts a comment. A
listed fixture that fails is "known"; one that passes is an error ("now
passes: remove it from KNOWN_FAILURES"), so the list can only shrink. A
fixture not listed that fails is an error. Exit 0 when nothing is an error.

Python 3 standard library only.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile


def read_known(path):
    known = {}
    if not os.path.exists(path):
        return known
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, _, reason = line.partition(" ")
            if not reason.strip():
                raise SystemExit(f"{path}:{n}: '{name}' has no reason")
            known[name] = reason.strip()
    return known


def exclusion_reason(entry):
    """The manifest's reason for having no CSV: its first approximate: or
    original-bug: note, cut to its first clause."""
    notes = entry.get("notes", [])
    for kind in ("approximate:", "original-bug:"):
        for note in notes:
            if note.startswith(kind):
                text = note.split(";")[0].split(" (")[0]
                return text if len(text) <= 110 else text[:107] + "..."
    return "no expected positions"


def read_rows(path):
    rows = {}
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (round(float(r["t"]), 6), int(r["track"]))
            rows[key] = (float(r["x"]), float(r["y"]), float(r["z"]))
    return rows


def check_one(cli, fixtures, entry, tmp):
    """None when every expected row matches, else the reason it does not."""
    hpx = os.path.join(fixtures, entry["file"])
    show = os.path.join(tmp, entry["file"] + ".json")
    p = subprocess.run([cli, "import", hpx, "-o", show, "--autostart"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        err = p.stderr.strip().splitlines()
        return f"import failed (exit {p.returncode}): {err[-1] if err else ''}"
    expected = read_rows(os.path.join(fixtures, entry["expected"]))
    t_end = max(t for t, _ in expected)
    rate = entry.get("rate", 10)
    out = os.path.join(tmp, entry["file"] + ".csv")
    with open(out, "w", encoding="utf-8") as f:
        p = subprocess.run([cli, "eval", show, "--from", "0", "--to", repr(t_end),
                            "--rate", str(rate), "--format", "csv"],
                           stdout=f, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        err = p.stderr.strip().splitlines()
        return f"eval failed (exit {p.returncode}): {err[-1] if err else ''}"
    got = read_rows(out)
    tol = float(entry.get("tolerance_m", 1e-6))
    worst, where = -1.0, None
    missing = 0
    for key, want in sorted(expected.items()):
        have = got.get(key)
        if have is None:
            missing += 1
            d = float("inf")
        else:
            d = max(abs(a - b) for a, b in zip(want, have))
        if d > worst:
            worst, where = d, (key, want, have)
    if worst <= tol:
        return None
    (t, track), want, have = where
    fmt = lambda p: "(%.6g, %.6g, %.6g)" % p if p else "no row"
    miss = f", {missing} rows missing" if missing else ""
    return (f"worst at t={t:g} track {track}: expected {fmt(want)}, got {fmt(have)}"
            f" (error {worst:.3g} m > {tol:g}{miss})")


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    known_path = None
    if "--known-failures" in argv:
        i = argv.index("--known-failures")
        known_path = argv[i + 1]
        args = [a for a in args if a != known_path]
    if not args or len(args) > 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    cli = args[0]
    fixtures = args[1] if len(args) > 1 else os.path.join(os.path.dirname(__file__), "hpx")
    known = read_known(known_path or os.path.join(fixtures, "KNOWN_FAILURES"))
    with open(os.path.join(fixtures, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    names = {e["file"] for e in manifest["files"]}
    errors = [f"KNOWN_FAILURES names {n}, not in the manifest" for n in known if n not in names]
    passed = failed_known = excluded = 0
    with tempfile.TemporaryDirectory() as tmp:
        for entry in manifest["files"]:
            name = entry["file"]
            if not entry.get("expected"):
                excluded += 1
                print(f"{name}: excluded: {exclusion_reason(entry)}")
                continue
            why = check_one(cli, fixtures, entry, tmp)
            if why is None and name in known:
                errors.append(f"{name}: now passes: remove it from KNOWN_FAILURES")
                print(f"{name}: ok, but listed in KNOWN_FAILURES (now passes: remove it)")
            elif why is None:
                passed += 1
                print(f"{name}: ok")
            elif name in known:
                failed_known += 1
                print(f"{name}: known failure: {why}")
            else:
                errors.append(f"{name}: FAIL: {why}")
                print(f"{name}: FAIL: {why}")
    for e in errors:
        print("error: " + e, file=sys.stderr)
    print(f"{passed} passed, {len(errors)} failed, {failed_known} known failures, "
          f"{excluded} excluded")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
