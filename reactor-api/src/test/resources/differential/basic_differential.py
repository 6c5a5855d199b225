#!/usr/bin/python3
"""Differential oracle for Weft's framing receivers: real Twisted's protocols/basic.py.

Usage: /usr/bin/python3 basic_differential.py SEED COUNT

Generates COUNT seeded scenarios (a receiver kind, its settings, scripted handler behaviours and a sequence of
steps: chunks fed to dataReceived, pauseProducing/resumeProducing from outside), runs each through Twisted's
LineReceiver, Int8/16/32StringReceiver or NetstringReceiver over twisted.internet.testing.StringTransport, and
prints the scenario followed by the event log Twisted produced. TwistedDifferentialTest (reactor-api tests) reads
this output, runs every scenario through Weft's classes with dev.weft.testing.StringTransport and compares the
logs event by event.

Output, one line each (bytes as hex, "-" for empty):
  S <index> <kind> <maxLength> <delimiter> <exceededMode> <limitMode>
  A <callbackIndex> <action> [<argument>]      a scripted action, run after the callback numbered callbackIndex
  F <bytes> | P | R                            the steps: feed, pauseProducing, resumeProducing
  E <event ...>                                Twisted's events, in order
  Z                                            end of the scenario
Events: line/raw/exceeded/string <bytes>, limit <n>, lose (transport.loseConnection), cleared <bytes>
(clearLineBuffer's result), error (an exception left dataReceived, pauseProducing or resumeProducing),
state <disconnecting> <paused or brokenPeer>, final <lineMode> <bytes> (line kind: clearLineBuffer at the end).
"""

import random
import sys

from twisted.internet.testing import StringTransport
from twisted.protocols import basic


def hx(b):
    return b.hex() if b else "-"


class Scripted(Exception):
    pass


class LoggingTransport(StringTransport):
    def __init__(self, log):
        StringTransport.__init__(self)
        self.log = log

    def loseConnection(self):
        self.log.append("lose")
        StringTransport.loseConnection(self)


class Script:
    """The scripted handler: counts callbacks and runs the action planned for each."""

    def __init__(self, proto, log, actions, exceeded_mode, limit_mode):
        self.proto = proto
        self.log = log
        self.actions = actions
        self.exceeded_mode = exceeded_mode
        self.limit_mode = limit_mode
        self.count = 0

    def after(self):
        index = self.count
        self.count += 1
        for action in self.actions.get(index, []):
            self.act(action)

    def act(self, action):
        name, arg = action
        p = self.proto
        if name == "raw":
            p.setRawMode()
        elif name == "line":
            p.setLineMode(arg)
        elif name == "lose":
            p.transport.loseConnection()
        elif name == "pause":
            p.pauseProducing()
        elif name == "pauseresume":
            p.pauseProducing()
            p.resumeProducing()
        elif name == "resume":
            p.resumeProducing()
        elif name == "clear":
            self.log.append("cleared " + hx(p.clearLineBuffer()))
        elif name == "delim":
            p.delimiter = arg
        elif name == "max":
            p.MAX_LENGTH = arg
        elif name == "raise":
            raise Scripted("scripted")
        elif name == "feed":
            p.dataReceived(arg)
        else:
            raise AssertionError(name)


class Line(basic.LineReceiver):
    def lineReceived(self, line):
        self.script.log.append("line " + hx(line))
        self.script.after()

    def rawDataReceived(self, data):
        self.script.log.append("raw " + hx(data))
        self.script.after()

    def lineLengthExceeded(self, line):
        s = self.script
        s.log.append("exceeded " + hx(line))
        if s.exceeded_mode == "default":
            basic.LineReceiver.lineLengthExceeded(self, line)
        elif s.exceeded_mode == "rebuffer":
            # What Twisted's own tests do: drop the first MAX_LENGTH + 1 bytes, parse the rest again.
            if len(line) > self.MAX_LENGTH + 1:
                self.setLineMode(line[self.MAX_LENGTH + 1:])
        s.after()


class IntNMixin:
    def stringReceived(self, string):
        self.script.log.append("string " + hx(string))
        self.script.after()

    def lengthLimitExceeded(self, length):
        s = self.script
        s.log.append("limit %d" % length)
        if s.limit_mode == "default":
            basic.IntNStringReceiver.lengthLimitExceeded(self, length)
        elif s.limit_mode == "raisemax" and length <= 1000:
            self.MAX_LENGTH = length
        s.after()


class Int8(IntNMixin, basic.Int8StringReceiver):
    pass


class Int16(IntNMixin, basic.Int16StringReceiver):
    pass


class Int32(IntNMixin, basic.Int32StringReceiver):
    pass


class Netstring(basic.NetstringReceiver):
    def stringReceived(self, string):
        self.script.log.append("string " + hx(string))
        self.script.after()


KINDS = {"line": Line, "int8": Int8, "int16": Int16, "int32": Int32, "netstring": Netstring}
PREFIX = {"int8": 1, "int16": 2, "int32": 4}


def run(kind, max_length, delimiter, exceeded_mode, limit_mode, actions, steps):
    log = []
    p = KINDS[kind]()
    p.MAX_LENGTH = max_length
    if kind == "line":
        p.delimiter = delimiter
    p.script = Script(p, log, actions, exceeded_mode, limit_mode)
    p.makeConnection(LoggingTransport(log))
    for step in steps:
        try:
            if step[0] == "F":
                p.dataReceived(step[1])
            elif step[0] == "P":
                p.pauseProducing()
            else:
                p.resumeProducing()
        except Exception:
            log.append("error")
        flag = p.brokenPeer if kind == "netstring" else p.paused
        log.append("state %d %d" % (1 if p.transport.disconnecting else 0, 1 if flag else 0))
    if kind == "line":
        log.append("final %d %s" % (1 if p.line_mode else 0, hx(p.clearLineBuffer())))
    return log


# ---------------------------------------------------------------- scenario generation

def some_bytes(rnd, alphabet, n):
    return bytes(rnd.choice(alphabet) for _ in range(n))


def line_input(rnd, delimiter, max_length):
    alphabet = list(set(delimiter + b"abx\r\nc\x00"))
    out = b""
    for _ in range(rnd.randint(0, 8)):
        n = rnd.choice([0, 1, max_length, max_length + 1, max_length + 2, rnd.randint(0, 2 * max_length + 4)])
        out += some_bytes(rnd, alphabet, max(0, n))
        if rnd.random() < 0.8:
            out += delimiter
    return out


def prefix(n, size):
    return n.to_bytes(size, "big")


def intn_input(rnd, size, max_length):
    out = b""
    limit = (1 << (8 * size)) - 1
    for _ in range(rnd.randint(0, 6)):
        r = rnd.random()
        if r < 0.7:
            n = min(limit, rnd.choice([0, 1, max_length, max_length + 1, rnd.randint(0, max_length + 3)]))
            out += prefix(n, size) + some_bytes(rnd, range(256), n if rnd.random() < 0.9 else rnd.randint(0, n))
        elif r < 0.85:
            n = rnd.randint(max_length + 1, limit) if max_length < limit else limit
            out += prefix(n, size) + some_bytes(rnd, range(256), rnd.randint(0, 12))
        else:
            out += some_bytes(rnd, range(256), rnd.randint(1, 6))
    return out


def netstring_input(rnd, max_length):
    out = b""
    for _ in range(rnd.randint(0, 6)):
        n = rnd.choice([0, 1, max_length, max_length + 1, rnd.randint(0, min(max_length + 3, 40))])
        n = min(n, 60) if n > max_length + 1 else n
        payload = some_bytes(rnd, b"ab,:0123\n", n)
        length = str(n).encode()
        r = rnd.random()
        if r < 0.04:
            length = b"0" + length
        elif r < 0.08:
            length = length + b"\n"
        elif r < 0.11:
            length = b""
        elif r < 0.14:
            length = length[:1] + b"x" + length[1:]
        elif r < 0.16:
            length = b"1234567890123"
        comma = b"," if rnd.random() < 0.9 else rnd.choice([b"", b";", b"x,"])
        out += length + b":" + payload + comma
    if rnd.random() < 0.1:
        out += rnd.choice([b"12\n", b"0", b"7", b"\n", b"01"])
    return out


def chunks(rnd, data):
    steps = []
    i = 0
    while i < len(data):
        n = rnd.choice([1, 1, 2, 3, rnd.randint(1, 10), rnd.randint(1, 40), len(data)])
        steps.append(("F", data[i:i + n]))
        i += n
        if rnd.random() < 0.05:
            steps.append(("F", b""))
    return steps


def scenario(rnd, index):
    kind = rnd.choice(["line"] * 8 + ["int8", "int16", "int32"] * 2 + ["netstring"] * 5)
    delimiter = b"\r\n"
    exceeded_mode = "default"
    limit_mode = "default"
    actions = {}
    if kind == "line":
        delimiter = rnd.choice([b"\r\n", b"\n", b"\x00", b"ab", b"aba", b"xx"])
        max_length = rnd.choice([0, 1, 2, 3, 4, 5, 7, 10, 16, 30])
        exceeded_mode = rnd.choice(["default", "default", "noop", "rebuffer", "rebuffer"])
        data = line_input(rnd, delimiter, max_length)
        names = ["raw", "line", "lose", "pause", "pauseresume", "clear", "delim", "max", "raise", "feed"]
    elif kind == "netstring":
        max_length = rnd.choice([1, 2, 3, 5, 9, 10, 11, 99, 100, 99999])
        data = netstring_input(rnd, max_length)
        names = ["lose", "max", "raise", "feed"]
    else:
        size = PREFIX[kind]
        max_length = rnd.choice([0, 1, 2, 3, 5, 8, 20] + ([300] if size > 1 else []))
        limit_mode = rnd.choice(["default", "noop", "noop", "raisemax"])
        data = intn_input(rnd, size, max_length)
        names = ["lose", "pause", "pauseresume", "max", "raise", "feed"]
    for _ in range(rnd.choice([0, 0, 1, 1, 2, 3])):
        name = rnd.choice(names)
        at = rnd.randint(0, 8)
        arg = None
        if name == "line":
            arg = line_input(rnd, delimiter, max_length)[: rnd.randint(0, 12)]
        elif name == "delim":
            arg = rnd.choice([b"\r\n", b"\n", b"a", b"ab", b"xx"])
        elif name == "max":
            arg = rnd.choice([0, 1, 2, 3, 5, 10, 40]) if kind != "netstring" else rnd.choice([1, 2, 5, 10, 99])
        elif name == "feed":
            if kind == "line":
                arg = line_input(rnd, delimiter, max_length)[: rnd.randint(0, 12)]
            elif kind == "netstring":
                arg = netstring_input(rnd, max_length)[: rnd.randint(0, 12)]
            else:
                arg = intn_input(rnd, PREFIX[kind], max_length)[: rnd.randint(0, 12)]
        actions.setdefault(at, []).append((name, arg))
    steps = chunks(rnd, data)
    if kind != "netstring":
        for _ in range(rnd.choice([0, 0, 0, 1, 2])):
            pos = rnd.randint(0, len(steps))
            steps.insert(pos, (rnd.choice(["P", "R", "R"]), None))
        if any(a[0] in ("pause",) for acts in actions.values() for a in acts) and rnd.random() < 0.7:
            steps.append(("R", None))
    return kind, max_length, delimiter, exceeded_mode, limit_mode, actions, steps


def main():
    seed = int(sys.argv[1])
    count = int(sys.argv[2])
    rnd = random.Random(seed)
    out = []
    for index in range(count):
        kind, max_length, delimiter, exceeded_mode, limit_mode, actions, steps = scenario(rnd, index)
        out.append("S %d %s %d %s %s %s" % (index, kind, max_length, hx(delimiter), exceeded_mode, limit_mode))
        for at in sorted(actions):
            for name, arg in actions[at]:
                if arg is None:
                    out.append("A %d %s" % (at, name))
                elif isinstance(arg, int):
                    out.append("A %d %s %d" % (at, name, arg))
                else:
                    out.append("A %d %s %s" % (at, name, hx(arg)))
        for step in steps:
            out.append("F " + hx(step[1]) if step[0] == "F" else step[0])
        for event in run(kind, max_length, delimiter, exceeded_mode, limit_mode, actions, steps):
            out.append("E " + event)
        out.append("Z")
        if len(out) > 10000:
            sys.stdout.write("\n".join(out) + "\n")
            out = []
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    sys.setrecursionlimit(10000)
    main()
