"""The oracle of ProcessTwistedDifferentialTest: real Twisted's spawnProcess on a few children.

Prints one line per child, "name event event ...", with the events of its ProcessProtocol in the order Twisted
called them, then "done". Run with /usr/bin/python3 (Twisted 22.4).
"""
import sys

from twisted.internet import protocol, reactor

CHILDREN = [
    ("echo", "/bin/sh", ["sh", "-c", "printf out; printf err >&2"], None, None),
    ("exit3", "/bin/sh", ["sh", "-c", "exit 3"], None, None),
    ("term", "/bin/sh", ["sh", "-c", "exec sleep 30"], "TERM", None),
    ("kill", "/bin/sh", ["sh", "-c", "exec sleep 30"], "KILL", None),
    ("cat", "/bin/sh", ["sh", "-c", "exec cat"], None, b"hello"),
]


def reason(r):
    v = r.value
    return "%s:%s:%s" % (type(v).__name__, v.exitCode, v.signal)


class Recorder(protocol.ProcessProtocol):
    def __init__(self, name, signal, stdin, done):
        self.name, self.signal, self.stdin, self.done, self.log = name, signal, stdin, done, []

    def connectionMade(self):
        self.log.append("made")
        if self.signal:
            self.transport.signalProcess(self.signal)
        if self.stdin is not None:
            self.transport.write(self.stdin)
            self.transport.closeStdin()

    def outReceived(self, data):
        self.log.append("out:" + data.decode().strip())

    def errReceived(self, data):
        self.log.append("err:" + data.decode().strip())

    def inConnectionLost(self):
        self.log.append("inLost")

    def outConnectionLost(self):
        self.log.append("outLost")

    def errConnectionLost(self):
        self.log.append("errLost")

    def processExited(self, r):
        self.log.append("exited:" + reason(r))

    def processEnded(self, r):
        self.log.append("ended:" + reason(r))
        print(self.name, " ".join(self.log))
        self.done.append(self.name)
        if len(self.done) == len(CHILDREN):
            reactor.stop()


done = []
for name, exe, args, sig, stdin in CHILDREN:
    reactor.spawnProcess(Recorder(name, sig, stdin, done), exe, args, env=None)
reactor.callLater(20, reactor.stop)
reactor.run()
print("done")
sys.stdout.flush()
