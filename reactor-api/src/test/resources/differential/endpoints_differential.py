"""
The oracle of EndpointsDifferentialTest: reads lines "server<TAB>description" or "client<TAB>description" on stdin
and prints, for each, what Twisted 22.4's serverFromString / clientFromString made of it, in the form of Weft's
endpoints' toString() (the endpoint class and its parameters), or "ERROR <exception class>".
"""
import sys

from twisted.internet import endpoints
from twisted.internet.testing import MemoryReactor


def flag(v):
    return "true" if v else "false"


def norm(e):
    n = type(e).__name__
    if n in ("TCP4ServerEndpoint", "TCP6ServerEndpoint", "SSL4ServerEndpoint"):
        return "%s[port=%s, backlog=%s, interface=%s]" % (n, e._port, e._backlog, e._interface)
    if n == "UNIXServerEndpoint":
        return "%s[path=%s, backlog=%s, mode=%o, wantPID=%s]" % (n, e._address, e._backlog, e._mode,
                                                                 flag(e._wantPID))
    if n in ("TCP4ClientEndpoint", "SSL4ClientEndpoint"):
        bind = "" if e._bindAddress is None else "%s:%s" % e._bindAddress
        return "%s[host=%s, port=%s, timeout=%s, bind=%s]" % (n, e._host, e._port, e._timeout, bind)
    if n == "UNIXClientEndpoint":
        return "%s[path=%s, timeout=%s, checkPID=%s]" % (n, e._path, e._timeout, flag(e._checkPID))
    return "OTHER " + n


def main():
    reactor = MemoryReactor()
    for line in sys.stdin.read().split("\n"):
        if not line:
            continue
        kind, description = line.split("\t", 1)
        try:
            if kind == "server":
                e = endpoints.serverFromString(reactor, description)
            else:
                e = endpoints.clientFromString(reactor, description)
            out = norm(e)
        except BaseException as x:  # what Twisted raises for a bad description varies: TypeError, ValueError, ...
            out = "ERROR " + type(x).__name__
        sys.stdout.write(out.replace("\n", "\\n") + "\n")


main()
