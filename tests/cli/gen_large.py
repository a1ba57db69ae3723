#!/usr/bin/env python3
"""Large inputs for issue 12 (quadratic work on input).

gen_large.py hpx N OUT    a v2.3 project with N animations all named "Same"
gen_large.py cues N OUT   a show with N cues (unique numbers and OSC addresses)
gen_large.py items N OUT  a show with N tracks, animations, groups and presets,
                          and N cues each referring to them by name
"""
import json
import sys


def hpx(n):
    tracks = [{"id": "t%d" % i, "name": "T%d" % i, "holophonixIndex": i + 1,
               "position": {"x": 0, "y": 0, "z": 0}} for i in range(4)]
    anims = [{"id": "a%d" % i, "name": "Same", "type": "linear", "duration": 4,
              "loop": False, "parameters": {}, "trackIds": ["t%d" % (i % 4)]}
             for i in range(n)]
    return {"id": "p", "name": "Big", "tracks": tracks, "groups": [],
            "animations": anims, "positionPresets": [],
            "metadata": {"version": "2.3.0"}}


def cues(n):
    return {"format": 1,
            "tracks": [{"id": 1, "name": "a", "position": [0, 0, 0]}],
            "cues": [{"number": i + 1, "osc": "/c/%d" % i,
                      "actions": [{"type": "stop"}]} for i in range(n)]}


def items(n):
    return {"format": 1,
            "tracks": [{"id": i + 1, "name": "t%d" % i, "position": [0, 0, 0]}
                       for i in range(n)],
            "animations": [{"name": "a%d" % i, "model": "linear", "duration": 4}
                           for i in range(n)],
            "groups": [{"name": "g%d" % i, "animation": "a%d" % i,
                        "tracks": [i + 1]} for i in range(n)],
            "presets": [{"name": "p%d" % i, "positions": {str(i + 1): [0, 0, 0]}}
                        for i in range(n)],
            "cues": [{"number": i + 1,
                      "actions": [{"type": "start", "group": "g%d" % i},
                                  {"type": "preset", "preset": "p%d" % i}]}
                     for i in range(n)]}


def main():
    kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    doc = {"hpx": hpx, "cues": cues, "items": items}[kind](n)
    with open(out, "w") as f:
        json.dump(doc, f)


if __name__ == "__main__":
    main()
