"""redis-py's default usage against a RESP server on 127.0.0.1:PORT (the only argument).

Exits 0 and prints "ok" when every check passes; an AssertionError or a redis error otherwise.
"""
import sys

import redis

r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]), socket_timeout=10)
r.flushdb()

assert r.ping() is True
assert r.set("greeting", "hello") is True
assert r.get("greeting") == b"hello"

# pipeline() wraps its commands in MULTI/EXEC by default.
with r.pipeline() as p:
    p.set("a", 1).incr("a").incrby("a", 5).get("a").expire("a", 100).ttl("a")
    assert p.execute() == [True, 2, 7, b"7", True, 100], "pipeline"

# A command that fails inside the transaction: redis-py raises it, after the others were applied.
with r.pipeline() as p:
    p.set("s", "x").incr("s").set("after", "yes")
    try:
        p.execute()
        raise AssertionError("the failing INCR must raise")
    except redis.ResponseError as e:
        assert "not an integer" in str(e), e
assert r.get("after") == b"yes"

assert r.incr("n") == 1
assert r.incr("n", 10) == 11
assert r.decr("n") == 10
assert r.decr("n", 4) == 6
assert r.incrbyfloat("f", 10.5) == 10.5
assert r.expire("n", 50) is True
assert r.ttl("n") == 50
assert r.persist("n") is True
assert r.ttl("n") == -1
assert r.pexpire("n", 100000) is True
assert r.setex("se", 100, "v") is True
assert r.psetex("pe", 100000, "v") is True
assert r.setnx("nx", "1") is True and r.setnx("nx", "2") is False
assert r.append("greeting", " world") == 11
assert r.strlen("greeting") == 11
assert r.getrange("greeting", 0, 4) == b"hello"
assert r.setrange("greeting", 6, "WORLD") == 11
assert r.getset("greeting", "bye") == b"hello WORLD"
assert r.getdel("greeting") == b"bye"
assert r.getex("se", persist=True) == b"v"
assert r.mset({"m1": "1", "m2": "2"}) is True
assert r.msetnx({"m1": "x", "m3": "3"}) is False
assert r.mget("m1", "m2", "m3") == [b"1", b"2", None]
assert r.type("m1") == b"string"
assert r.rename("m1", "m9") is True
assert r.keys("m9") == [b"m9"]
assert sorted(r.scan_iter(match="m*", count=1)) == [b"m2", b"m9"]
assert r.unlink("m2", "m9") == 2
assert r.exists("m2") == 0

try:
    r.execute_command("NOSUCHCOMMAND", "a")
    raise AssertionError("an unknown command must raise")
except redis.ResponseError as e:
    assert str(e).startswith("unknown command 'NOSUCHCOMMAND'"), e
assert r.ping() is True, "the connection stays usable"
print("ok")
