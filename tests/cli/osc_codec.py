"""OSC 1.0 messages for the CLI tests' controllers and fake devices: the few
types they send and read (i, f, d, s), written from the specification so the
tests do not decode with the code under test. lib.sh puts this folder on
PYTHONPATH."""
import struct

_FMT = {"i": ">i", "f": ">f", "d": ">d"}


def ostr(s):
    """An OSC string: the bytes, a NUL, padded to a multiple of 4."""
    b = s.encode()
    return b + b"\0" * (4 - len(b) % 4)


def message(addr, tags, *args):
    """addr, type tags such as ",fs", the arguments in that order."""
    assert tags[0] == "," and len(tags) - 1 == len(args), (tags, args)
    out = ostr(addr) + ostr(tags)
    for t, a in zip(tags[1:], args):
        out += ostr(a) if t == "s" else struct.pack(_FMT[t], a)
    return out


def _string(data, i):
    j = data.index(b"\0", i)
    return data[i:j].decode(), (j // 4 + 1) * 4


def parse(data):
    """(address, type tags, [arguments]) of one message."""
    addr, i = _string(data, 0)
    tags, i = _string(data, i)
    args = []
    for t in tags[1:]:
        if t == "s":
            a, i = _string(data, i)
        else:
            size = struct.calcsize(_FMT[t])
            (a,) = struct.unpack(_FMT[t], data[i:i + size])
            i += size
        args.append(a)
    return addr, tags, args
