package dev.weft.examples.resp;

import java.util.ArrayList;
import java.util.List;

/**
 * The command scripts of {@link RedisDifferentialTest}: every supported command, with its error cases, MULTI/EXEC/
 * DISCARD, inline commands with quotes and escapes, and protocol errors (each last on its connection).
 *
 * <p>Replies must not depend on time or on hash order: TTL is read only right after a whole number of seconds was
 * set (it rounds to that number), PTTL only on keys without an expiry, KEYS and SCAN patterns match one key, and
 * CONFIG GET asks for one parameter at a time. Each connection starts with FLUSHALL; they run one after another.
 */
final class RedisScripts {

    private RedisScripts() {
    }

    private static RawExchange.Builder script(String name) {
        return new RawExchange.Builder(name).cmd("FLUSHALL");
    }

    static List<RawExchange> all() {
        List<RawExchange> s = new ArrayList<>();
        s.add(strings());
        s.add(moreStrings());
        s.add(counters());
        s.add(floats());
        s.add(keys());
        s.add(expiry());
        s.add(transactions());
        s.add(inlineQuotes());
        s.add(errorsAndServer());
        s.addAll(protocolErrors());
        return s;
    }

    private static RawExchange strings() {
        return script("SET and GET")
                .cmd("SET", "k", "v").cmd("GET", "k").cmd("GET", "missing")
                .cmd("SET", "k", "v", "EX", "10", "EX", "20").cmd("TTL", "k")
                .cmd("SET", "k", "v", "PX", "9000000000000000").cmd("TTL", "k")
                .cmd("SET", "k", "v", "EX", "0").cmd("SET", "k", "v", "EX", "-1").cmd("SET", "k", "v", "EX", "x")
                .cmd("SET", "k", "v", "PX", "007").cmd("SET", "k", "v", "EX", "9223372036854775807")
                .cmd("SET", "k", "v", "PX", "9223372036854775807").cmd("SET", "k", "v", "PX", "9223372036854775")
                .cmd("SET", "k", "v", "EXAT", "1").cmd("GET", "k").cmd("SET", "k", "v", "PXAT", "99999999999999")
                .cmd("EXISTS", "k").cmd("SET", "k", "v", "EXAT", "0")
                .cmd("SET", "k", "v", "NX").cmd("SET", "k", "v", "XX").cmd("SET", "k2", "v", "XX").cmd("GET", "k2")
                .cmd("SET", "k", "v", "NX", "XX").cmd("SET", "k", "w", "GET").cmd("SET", "k", "x", "NX", "GET")
                .cmd("SET", "nope", "v", "XX", "GET").cmd("SET", "k", "v", "KEEPTTL")
                .cmd("SET", "k", "v", "KEEPTTL", "EX", "1").cmd("SET", "k", "v", "EX", "1", "KEEPTTL")
                .cmd("SET", "k", "v", "EX").cmd("SET", "k", "v", "BOGUS").cmd("SET", "k", "v", "PX", "100", "EX", "100")
                .cmd("SET", "k", "v", "EXAT", "100", "PXAT", "100").cmd("SET", "k", "v", "EX", "5", "PERSIST")
                .cmd("set", "k", "v", "ex", "100").cmd("TTL", "k").cmd("SET", "k", "v2", "keepttl").cmd("TTL", "k")
                .cmd("SET", "k", "v3").cmd("TTL", "k").cmd("SET", "k").cmd("SET", "k", "v", "GET", "GET")
                .cmd("GETSET", "k", "new").cmd("GETSET", "missing2", "v").cmd("GETSET", "k")
                .cmd("GETDEL", "k").cmd("GETDEL", "k").cmd("GETDEL")
                .cmd("SET", "g", "v", "EX", "100").cmd("GETEX", "g", "PERSIST").cmd("TTL", "g")
                .cmd("GETEX", "g", "EX", "50").cmd("TTL", "g").cmd("GETEX", "g").cmd("TTL", "g")
                .cmd("GETEX", "g", "PX", "0").cmd("GETEX", "missing", "EX", "-1").cmd("GETEX", "g", "EX", "10", "PERSIST")
                .cmd("GETEX", "g", "NX").cmd("GETEX", "g", "KEEPTTL").cmd("GETEX", "g", "EX", "x")
                .cmd("GETEX", "g", "PXAT", "99999999999999").cmd("GETEX", "g", "EXAT", "1").cmd("EXISTS", "g")
                .cmd("GETEX", "g").cmd("GETEX")
                .cmd("SETNX", "n", "1").cmd("SETNX", "n", "2").cmd("GET", "n").cmd("SETNX", "n")
                .cmd("SETEX", "s", "100", "v").cmd("TTL", "s").cmd("SETEX", "s", "0", "v").cmd("SETEX", "s", "x", "v")
                .cmd("SETEX", "s", "v").cmd("PSETEX", "p", "100000", "v").cmd("TTL", "p")
                .cmd("PSETEX", "p", "-1", "v").cmd("PSETEX", "p", "1.5", "v")
                .open();
    }

    private static RawExchange moreStrings() {
        return script("MSET, APPEND, ranges")
                .cmd("MSET", "a", "1", "b", "2").cmd("MSET", "a").cmd("MSET", "a", "1", "b")
                .cmd("MGET", "a", "b", "c").cmd("MGET")
                .cmd("MSETNX", "a", "1", "c", "3").cmd("MSETNX", "c", "3", "d", "4").cmd("MGET", "c", "d")
                .cmd("MSETNX", "a").cmd("MSETNX", "a", "1", "b")
                .cmd("APPEND", "ap", "hello").cmd("APPEND", "ap", " world").cmd("GET", "ap").cmd("APPEND", "ap")
                .cmd("STRLEN", "ap").cmd("STRLEN", "missing")
                .cmd("SET", "t", "v", "EX", "100").cmd("APPEND", "t", "x").cmd("TTL", "t").cmd("GET", "t")
                .cmd("GETRANGE", "ap", "0", "4").cmd("GETRANGE", "ap", "-5", "-1").cmd("GETRANGE", "ap", "5", "2")
                .cmd("GETRANGE", "ap", "-1", "-5").cmd("GETRANGE", "ap", "0", "100").cmd("GETRANGE", "ap", "-100", "2")
                .cmd("GETRANGE", "ap", "0", "-100").cmd("GETRANGE", "ap", "-3", "100").cmd("GETRANGE", "missing", "0", "1")
                .cmd("GETRANGE", "ap", "x", "1").cmd("GETRANGE", "ap", "0", "y").cmd("GETRANGE", "ap", "0")
                .cmd("GETRANGE", "ap", "11", "20").cmd("SET", "empty", "").cmd("GETRANGE", "empty", "0", "-1")
                .cmd("GETRANGE", "ap", "-9223372036854775808", "9223372036854775807")
                .cmd("SETRANGE", "ap", "6", "WORLD").cmd("GET", "ap").cmd("SETRANGE", "sr", "3", "abc").cmd("GET", "sr")
                .cmd("SETRANGE", "sr", "-1", "x").cmd("SETRANGE", "sr", "1", "").cmd("SETRANGE", "nope", "5", "")
                .cmd("EXISTS", "nope").cmd("SETRANGE", "sr", "536870911", "xx").cmd("SETRANGE", "sr", "x", "v")
                .cmd("SETRANGE", "sr", "9223372036854775807", "x").cmd("SETRANGE", "sr", "0", "Z").cmd("GET", "sr")
                .cmd("SET", "t2", "v", "EX", "100").cmd("SETRANGE", "t2", "1", "w").cmd("TTL", "t2")
                .cmd("SETRANGE", "sr", "1")
                .open();
    }

    private static RawExchange counters() {
        return script("INCR family")
                .cmd("INCR", "n").cmd("INCRBY", "n", "10").cmd("INCRBY", "n", "-3").cmd("DECR", "n")
                .cmd("DECRBY", "n", "5").cmd("DECRBY", "n", "-9223372036854775808").cmd("INCRBY", "n", "x")
                .cmd("INCRBY", "n", "007").cmd("INCRBY", "n", "+1").cmd("INCRBY", "n", "-0").cmd("INCRBY", "n", "1.0")
                .cmd("INCRBY", "n", "99999999999999999999").cmd("GET", "n")
                .cmd("SET", "big", "9223372036854775807").cmd("INCR", "big").cmd("DECRBY", "big", "-1")
                .cmd("INCRBY", "big", "0").cmd("DECR", "big").cmd("SET", "neg", "-9223372036854775808")
                .cmd("DECR", "neg").cmd("INCRBY", "neg", "-1").cmd("INCR", "neg").cmd("DECRBY", "neg", "9223372036854775807")
                .cmd("SET", "s", "abc").cmd("INCR", "s").cmd("INCRBY", "s", "1").cmd("DECR", "s").cmd("DECRBY", "s", "x")
                .cmd("SET", "sp", " 1").cmd("INCR", "sp").cmd("SET", "z", "007").cmd("INCR", "z")
                .cmd("SET", "c", "1", "EX", "100").cmd("INCR", "c").cmd("TTL", "c")
                .cmd("INCR").cmd("INCRBY", "n").cmd("DECRBY", "n", "1", "2").cmd("DECR", "n", "1")
                .open();
    }

    private static RawExchange floats() {
        RawExchange.Builder b = script("INCRBYFLOAT");
        String[] increments = {"10.5", "0.1", "-5", "1e3", "3.0e3", "-4005.6", "0.000000000000000005",
            "1.23456789012345678901234567890", "-0.0", "5.", ".5", "+1.5", "0x1.8p1", "1e-20", "123456789.123456789",
            "-123456789.123456789", "7", "1E2", "1e+2", "1e-2"};
        for (String inc : increments) {
            b.cmd("INCRBYFLOAT", "f", inc);
        }
        b.cmd("INCRBYFLOAT", "f2", "10000000000.1").cmd("INCRBYFLOAT", "f2", "0.1")
                .cmd("INCRBYFLOAT", "f3", "3.0e3").cmd("INCRBYFLOAT", "f3", "-3000").cmd("GET", "f3")
                .cmd("INCRBYFLOAT", "f4", "1e400").cmd("INCRBYFLOAT", "f4", "-1e400").cmd("GET", "f4")
                .cmd("INCRBYFLOAT", "f5", "0.3333333333333333333333").cmd("INCRBYFLOAT", "f5", "0.6666666666666666666")
                .cmd("INCRBYFLOAT", "f6", "99999999999999999999").cmd("INCRBYFLOAT", "f6", "1")
                .cmd("INCRBYFLOAT", "f7", "-2.5e-10");
        String[] bad = {"inf", "-inf", "nan", "abc", " 1", "1 ", "", "1e5000", "1e-5000", "1e", "e5", ".", "-",
            "0x", "1.2.3", "infinity", "1,5"};
        for (String inc : bad) {
            b.cmd("INCRBYFLOAT", "g", inc);
        }
        return b.cmd("SET", "s", "abc").cmd("INCRBYFLOAT", "s", "1").cmd("SET", "inf", "inf")
                .cmd("INCRBYFLOAT", "inf", "1").cmd("SET", "c", "1.5", "EX", "100").cmd("INCRBYFLOAT", "c", "1")
                .cmd("TTL", "c").cmd("INCRBYFLOAT", "c").cmd("EXISTS", "g")
                .open();
    }

    private static RawExchange keys() {
        return script("keyspace")
                .cmd("MSET", "user:1", "a", "item:7", "b", "h[llo", "c", "other", "d")
                .cmd("DEL", "other", "missing", "other").cmd("UNLINK", "missing").cmd("DEL").cmd("UNLINK")
                .cmd("EXISTS", "user:1", "item:7", "item:7", "nope").cmd("EXISTS")
                .cmd("TYPE", "user:1").cmd("TYPE", "nope").cmd("TYPE")
                .cmd("KEYS", "user:*").cmd("KEYS", "*:7").cmd("KEYS", "u?er:[0-9]").cmd("KEYS", "[^iu]*")
                .cmd("KEYS", "h\\[llo").cmd("KEYS", "h[[]llo").cmd("KEYS", "nomatch*").cmd("KEYS", "USER:*")
                .cmd("KEYS", "[z-a]tem:7").cmd("KEYS", "item:[7").cmd("KEYS", "*1").cmd("KEYS")
                .cmd("SCAN", "0", "MATCH", "user:*").cmd("SCAN", "0", "MATCH", "user:*", "COUNT", "100")
                .cmd("SCAN", "0", "TYPE", "string", "MATCH", "item:*").cmd("SCAN", "0", "TYPE", "hash")
                .cmd("SCAN", "0", "COUNT", "0").cmd("SCAN", "0", "COUNT", "x").cmd("SCAN", "x")
                .cmd("SCAN", "", "MATCH", "user:*").cmd("SCAN", "+0", "match", "h*").cmd("SCAN", "00", "MATCH", "i*")
                .cmd("SCAN", "18446744073709551616").cmd("SCAN", "0", "MATCH").cmd("SCAN", "0", "FOO", "bar")
                .cmd("SCAN", "0", "match", "user:*", "count", "5").cmd("SCAN", " 0").cmd("SCAN")
                .cmd("RENAME", "user:1", "user:2").cmd("GET", "user:2").cmd("RENAME", "user:1", "x")
                .cmd("RENAME", "user:2", "user:2").cmd("RENAMENX", "user:2", "user:2").cmd("RENAMENX", "user:2", "item:7")
                .cmd("RENAMENX", "user:2", "user:3").cmd("RENAMENX", "nope", "x").cmd("RENAME", "a")
                .cmd("SET", "t", "v", "EX", "100").cmd("RENAME", "t", "t2").cmd("TTL", "t2").cmd("TTL", "t")
                .cmd("RENAME", "t2", "item:7").cmd("TTL", "item:7").cmd("GET", "item:7")
                .cmd("SET", "p", "v").cmd("SET", "q", "w", "EX", "100").cmd("RENAME", "p", "q").cmd("TTL", "q")
                .cmd("DBSIZE")
                .open();
    }

    private static RawExchange expiry() {
        return script("EXPIRE family")
                .cmd("SET", "k", "v").cmd("EXPIRE", "k", "100").cmd("TTL", "k").cmd("EXPIRE", "k", "100", "NX")
                .cmd("EXPIRE", "k", "200", "XX").cmd("TTL", "k").cmd("EXPIRE", "k", "50", "GT")
                .cmd("EXPIRE", "k", "300", "gt").cmd("TTL", "k").cmd("EXPIRE", "k", "400", "LT")
                .cmd("EXPIRE", "k", "100", "LT").cmd("TTL", "k").cmd("EXPIRE", "k", "90", "XX", "GT")
                .cmd("SET", "j", "v").cmd("EXPIRE", "j", "100", "XX").cmd("EXPIRE", "j", "100", "GT")
                .cmd("EXPIRE", "j", "100", "LT").cmd("TTL", "j").cmd("PERSIST", "j").cmd("PERSIST", "j")
                .cmd("PERSIST", "missing").cmd("TTL", "j").cmd("PTTL", "j").cmd("PTTL", "missing").cmd("TTL", "missing")
                .cmd("EXPIRE", "missing", "10").cmd("EXPIRE", "k", "10", "NX", "XX").cmd("EXPIRE", "k", "10", "GT", "LT")
                .cmd("EXPIRE", "k", "10", "NX", "GT").cmd("EXPIRE", "k", "10", "FOO").cmd("EXPIRE", "k", "x")
                .cmd("EXPIRE", "k", "x", "FOO").cmd("EXPIRE", "missing", "x").cmd("EXPIRE", "k", "9223372036854775807")
                .cmd("EXPIRE", "k", "-9223372036854775808").cmd("PEXPIRE", "k", "9223372036854775807")
                .cmd("EXPIREAT", "k", "9223372036854775807").cmd("PEXPIRE", "k", "100000").cmd("TTL", "k")
                .cmd("PEXPIREAT", "k", "9223372036854775807").cmd("EXPIREAT", "k", "99999999999").cmd("EXISTS", "k")
                .cmd("PEXPIREAT", "k", "1").cmd("EXISTS", "k").cmd("SET", "k", "v").cmd("EXPIREAT", "k", "1")
                .cmd("EXISTS", "k").cmd("SET", "k", "v").cmd("EXPIRE", "k", "-1").cmd("EXISTS", "k")
                .cmd("SET", "k", "v").cmd("PEXPIRE", "k", "0").cmd("GET", "k").cmd("SET", "k", "v")
                .cmd("EXPIRE", "k", "0", "NX").cmd("EXISTS", "k").cmd("EXPIRE", "k").cmd("PERSIST")
                .cmd("SET", "k", "v").cmd("EXPIRE", "k", "-9223372036854775").cmd("EXISTS", "k")
                .open();
    }

    private static RawExchange transactions() {
        return script("MULTI/EXEC/DISCARD")
                .cmd("MULTI").cmd("SET", "a", "1").cmd("INCR", "a").cmd("GET", "a").cmd("EXEC")
                .cmd("MULTI").cmd("SET", "a", "x").cmd("INCR", "a").cmd("SET", "b", "2").cmd("EXEC").cmd("GET", "b")
                .cmd("MULTI").cmd("FOO", "x").cmd("SET", "a", "1").cmd("EXEC").cmd("GET", "a")
                .cmd("MULTI").cmd("GET").cmd("SET", "a", "2").cmd("EXEC").cmd("GET", "a")
                .cmd("MULTI").cmd("SET", "a", "3").cmd("DISCARD").cmd("GET", "a")
                .cmd("EXEC").cmd("DISCARD").cmd("MULTI", "x")
                .cmd("MULTI").cmd("MULTI").cmd("SET", "a", "4").cmd("EXEC").cmd("GET", "a")
                .cmd("MULTI").cmd("EXEC")
                .cmd("MULTI").cmd("EXEC", "x").cmd("EXEC")
                .cmd("MULTI").cmd("SET", "a", "5").cmd("DISCARD", "x").cmd("DISCARD").cmd("GET", "a")
                .cmd("MULTI").cmd("SET", "a", "6").cmd("MULTI", "x").cmd("EXEC").cmd("GET", "a")
                .cmd("MULTI").cmd("INCRBYFLOAT", "f", "1.5").cmd("APPEND", "f", "x").cmd("KEYS", "f")
                .cmd("SCAN", "0", "MATCH", "f").cmd("TYPE", "f").cmd("RENAME", "f", "g").cmd("GETRANGE", "g", "0", "1")
                .cmd("EXEC")
                .cmd("MULTI").cmd("SET", "t", "v").cmd("EXPIRE", "t", "100").cmd("TTL", "t").cmd("PERSIST", "t")
                .cmd("SET", "t", "v", "EX", "0").cmd("CONFIG", "GET", "save").cmd("DBSIZE").cmd("SELECT", "0")
                .cmd("PING").cmd("ECHO", "hi").cmd("EXEC")
                .cmd("MULTI").cmd("GETDEL", "t").cmd("MSETNX", "a").cmd("EXEC")
                .inline("MULTI").inline("SET q 1").inline("INCRBY q 2").inline("EXEC")
                .cmd("multi").cmd("exec").cmd("MULTI").cmd("DISCARD").cmd("DISCARD")
                .open();
    }

    private static RawExchange inlineQuotes() {
        return script("inline quotes")
                .inline("SET \"a b\" \"c d\"").cmd("GET", "a b").inline("GET \"a b\"")
                .inline("ECHO \"\\x41\\x4a\\n\\t\\r\\\\\\\"q\"").inline("ECHO 'it\\'s'").inline("ECHO 'a\\nb'")
                .inline("ECHO \"\"").inline("ECHO ''").inline("ECHO \"\\xZZ\"").inline("ECHO \"\\q\\a\\b\"")
                .inline("ECHO    spaced   ").inline("ECHO a\tb").inline("ECHO \"a\"  ").inline("SET   \"k\"    'v'")
                .inline("GET k").inline("PING \"x y\"").inline("").inline("   ").inline("ECHO abc\u000bdef")
                .inline("ECHO \u000bx").inline("ECHO a\"b\"").inline("ECHO a'b c'").inline("ECHO a\rb")
                .inline("ECHO \"\\x4\"").inline("ECHO \"\\xfF\"").inline("ECHO '\\x41'").inline("ECHO \"tab\tin\"")
                .raw("ECHO lf-only\n").raw("ECHO \"cr\\r\" \r\n")
                .inline("hullo \"wor ld\" 'x'").inline("SET").inline("INCR \"a b\"")
                .inline("ECHO \"a\"b")
                .closes();
    }

    private static RawExchange errorsAndServer() {
        String longArg = "y".repeat(200);
        return script("unknown commands and server commands")
                .cmd("FOO", "a", "b").cmd("foo").cmd("GETX", "k").cmd("nope", longArg, "z").cmd("FOO", "a\0b", "c")
                .cmd("FOO", "a\r\nb").cmd("x\0y", "1").inline("hullo world").cmd("PING")
                .cmd("GET").cmd("GET", "a", "b").cmd("SET", "k").cmd("INCRBY", "k").cmd("EXPIRE", "k")
                .cmd("HELLO", "2", "FOO").cmd("HELLO", "x").cmd("HELLO", "4").cmd("HELLO", "-1").cmd("HELLO", "02")
                .cmd("HELLO", "2", "SETNAME", "a b").cmd("HELLO", "2", "AUTH", "bob", "x")
                .cmd("HELLO", "2", "AUTH", "default").cmd("HELLO", "2", "SETNAME")
                .cmd("CONFIG", "GET", "appendonl?").cmd("CONFIG", "GET", "SAVE").cmd("CONFIG", "GET", "save", "SAVE")
                .cmd("CONFIG", "GET", "nonexistent").cmd("CONFIG", "GET", "sav[e]").cmd("CONFIG", "GET", "*ppendonly")
                .cmd("CONFIG", "GET", "AppendOnly", "appendonly").cmd("CONFIG", "GET").cmd("CONFIG")
                .cmd("CONFIG", "FOO").cmd("SELECT", "0").cmd("SELECT", "x").cmd("SELECT")
                .cmd("FLUSHALL", "later").cmd("FLUSHDB", "ASYNC").cmd("FLUSHALL", "sync").cmd("FLUSHDB", "a", "b")
                .cmd("SET", "a", "1").cmd("DBSIZE").cmd("DBSIZE", "x")
                .cmd("PING").cmd("PING", "a").cmd("PING", "a", "b").cmd("ECHO").cmd("ECHO", "a", "b").cmd("ECHO", "")
                .raw("*-1\r\n*0\r\n*-1000000000000000000\r\n").cmd("PING")
                .open();
    }

    private static List<RawExchange> protocolErrors() {
        List<RawExchange> s = new ArrayList<>();
        String[][] cases = {
            {"*007", "PING\r\n*007\r\n"},
            {"$007", "*1\r\n$007\r\nPINGxxx\r\n"},
            {"$-0", "*1\r\n$-0\r\n"},
            {"*-0", "*-0\r\n"},
            {"$-1 in an array", "*1\r\n$-1\r\n"},
            {"*2147483648", "*2147483648\r\n"},
            {"$536870913", "*1\r\n$536870913\r\n"},
            {"$+4", "*1\r\n$+4\r\nPING\r\n"},
            {"expected $", "*1\r\n:1\r\n"},
            {"*x", "ECHO before\r\n*x\r\n"},
            {"unbalanced quotes", "SET \"a b\r\n"},
            {"closing quote not followed by a blank", "PING\r\nECHO 'a'b\r\n"},
            {"QUIT", "PING\r\nQUIT\r\n"},
            {"QUIT inside MULTI", "MULTI\r\nSET a 1\r\nQUIT\r\n"},
            {"too big inline request", "x".repeat(64 * 1024 + 1)},
            {"too big mbulk count string", "*" + "1".repeat(64 * 1024 + 1)},
        };
        for (String[] c : cases) {
            s.add(script("protocol error: " + c[0]).raw(c[1]).closes());
        }
        return s;
    }
}
