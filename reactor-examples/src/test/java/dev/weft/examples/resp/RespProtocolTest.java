package dev.weft.examples.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.ReactorTime;
import dev.weft.task.Clock;
import dev.weft.testing.StringTransport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The RESP protocol on a {@link StringTransport}: every command, pipelining, inline commands and every error. */
@Timeout(30)
class RespProtocolTest {

    private Clock clock;
    private RespStore store;
    private RespProtocol protocol;
    private CountingTransport transport;

    @BeforeEach
    void connect() {
        clock = new Clock();
        store = new RespStore(clock);
        protocol = new RespProtocol(store);
        transport = new CountingTransport();
        protocol.makeConnection(transport);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A command as a RESP array of bulk strings. */
    static String cmd(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(bytes(a).length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    static String bulk(String s) {
        return s == null ? "$-1\r\n" : "$" + bytes(s).length + "\r\n" + s + "\r\n";
    }

    /** Feeds {@code request} in one chunk and returns what was written in reply (then forgets it). */
    private String send(String request) {
        return sendBytes(bytes(request));
    }

    private String sendBytes(byte[] request) {
        transport.inner.clear();
        protocol.dataReceived(request);
        return written();
    }

    private String written() {
        return new String(transport.inner.value(), StandardCharsets.ISO_8859_1);
    }

    private void assertClosedAfter(String expectedReply, String request) {
        assertEquals(expectedReply, send(request));
        assertTrue(transport.isDisconnecting(), "the connection must be closing");
        assertFalse(transport.inner.isAborting(), "the reply must be flushed: loseConnection, not abort");
        assertEquals(null, transport.inner.producer(), "the producer must be unregistered, or loseConnection waits");
        assertEquals("", send(cmd("PING")), "nothing is answered after the connection is closing");
    }

    // ---- commands ----

    @Test
    void pingWithAndWithoutMessage() {
        assertEquals("+PONG\r\n", send(cmd("PING")));
        assertEquals(bulk("hello"), send(cmd("PING", "hello")));
        assertEquals("-ERR wrong number of arguments for 'ping' command\r\n", send(cmd("PING", "a", "b")));
    }

    @Test
    void echoRepliesItsArgument() {
        assertEquals(bulk("hi there"), send(cmd("ECHO", "hi there")));
        assertEquals(bulk(""), send(cmd("ECHO", "")));
        assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", send(cmd("ECHO")));
    }

    @Test
    void setThenGetAndMissingKeyIsNull() {
        assertEquals("+OK\r\n", send(cmd("SET", "k", "v")));
        assertEquals(bulk("v"), send(cmd("GET", "k")));
        assertEquals("+OK\r\n", send(cmd("SET", "k", "w")));
        assertEquals(bulk("w"), send(cmd("GET", "k")));
        assertEquals("$-1\r\n", send(cmd("GET", "nope")));
        assertEquals("+OK\r\n", send(cmd("SET", "empty", "")));
        assertEquals("$0\r\n\r\n", send(cmd("GET", "empty")));
    }

    @Test
    void keysAndValuesAreBinarySafe() {
        String key = "k\r\n\0\u00ff";
        String value = "*1\r\n$3\r\nbad\r\n\0\u0080";
        assertEquals("+OK\r\n", send(cmd("SET", key, value)));
        assertEquals(bulk(value), send(cmd("GET", key)));
        assertEquals("$-1\r\n", send(cmd("GET", "k")));
    }

    @Test
    void largeValuesComeBackIntact() {
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes(bytes("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + big.length + "\r\n"));
        req.writeBytes(big);
        req.writeBytes(bytes("\r\n"));
        assertEquals("+OK\r\n", sendBytes(req.toByteArray()));
        transport.inner.clear();
        protocol.dataReceived(bytes(cmd("GET", "big") + cmd("PING")));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(bytes("$" + big.length + "\r\n"));
        expected.writeBytes(big);
        expected.writeBytes(bytes("\r\n+PONG\r\n"));
        assertArrayEquals(expected.toByteArray(), transport.inner.value());
    }

    @Test
    void setOptionsNxXxGetKeepTtl() {
        assertEquals("$-1\r\n", send(cmd("SET", "k", "1", "XX")));
        assertEquals("$-1\r\n", send(cmd("GET", "k")));
        assertEquals("+OK\r\n", send(cmd("SET", "k", "1", "nx")));
        assertEquals("$-1\r\n", send(cmd("SET", "k", "2", "NX")));
        assertEquals(bulk("1"), send(cmd("GET", "k")));
        assertEquals("+OK\r\n", send(cmd("SET", "k", "3", "XX")));
        assertEquals(bulk("3"), send(cmd("SET", "k", "4", "GET")));
        assertEquals(bulk("4"), send(cmd("GET", "k")));
        assertEquals("$-1\r\n", send(cmd("SET", "new", "x", "GET")));
        assertEquals("+OK\r\n", send(cmd("SET", "k", "5", "EX", "10")));
        assertEquals("+OK\r\n", send(cmd("SET", "k", "6", "KEEPTTL")));
        assertEquals(":10\r\n", send(cmd("TTL", "k")));
        assertEquals("+OK\r\n", send(cmd("SET", "k", "7")));
        assertEquals(":-1\r\n", send(cmd("TTL", "k")), "a plain SET clears the expiry time");
    }

    @Test
    void setExAndPxExpireOnTheStoreClock() {
        assertEquals("+OK\r\n", send(cmd("SET", "s", "v", "EX", "2")));
        assertEquals("+OK\r\n", send(cmd("SET", "m", "v", "px", "1500")));
        assertEquals(":2000\r\n", send(cmd("PTTL", "s")));
        assertEquals(":2\r\n", send(cmd("TTL", "m")));
        clock.advance(1.25);
        assertEquals(bulk("v"), send(cmd("GET", "m")));
        clock.advance(0.25);
        assertEquals("$-1\r\n", send(cmd("GET", "m")));
        assertEquals(":1\r\n", send(cmd("EXISTS", "s", "m")));
        clock.advance(0.5);
        assertEquals(":0\r\n", send(cmd("EXISTS", "s")));
        assertEquals(":-2\r\n", send(cmd("TTL", "s")));
        assertEquals(":0\r\n", send(cmd("DBSIZE")));
    }

    @Test
    void expiredKeysAreSweptWithoutBeingRead() {
        send(cmd("SET", "a", "1", "EX", "1") + cmd("SET", "b", "2", "PX", "3000") + cmd("SET", "c", "3"));
        assertEquals(":3\r\n", send(cmd("DBSIZE")));
        clock.advance(1);
        assertEquals(1, store.purgeExpired());
        assertEquals(":2\r\n", send(cmd("DBSIZE")));
        RespServer server = new RespServer(store, clock);
        server.doStart();
        clock.advance(2.5);
        assertEquals(":1\r\n", send(cmd("DBSIZE")), "the server's sweep must remove b after its 3 s");
        server.doStop();
        assertEquals(List.of(), clock.getDelayedCalls(), "stopFactory stops the sweep");
    }

    @Test
    void setRejectsUnknownOptionsAndBadExpireTimes() {
        assertEquals("-ERR syntax error\r\n", send(cmd("SET", "k", "v", "BOGUS")));
        assertEquals("-ERR syntax error\r\n", send(cmd("SET", "k", "v", "NX", "XX")));
        assertEquals("-ERR syntax error\r\n", send(cmd("SET", "k", "v", "EX")));
        assertEquals("-ERR syntax error\r\n", send(cmd("SET", "k", "v", "EX", "1", "PX", "1")));
        assertEquals("-ERR syntax error\r\n", send(cmd("SET", "k", "v", "EX", "1", "KEEPTTL")));
        assertEquals("-ERR value is not an integer or out of range\r\n", send(cmd("SET", "k", "v", "EX", "x")));
        assertEquals("-ERR invalid expire time in 'set' command\r\n", send(cmd("SET", "k", "v", "EX", "0")));
        assertEquals("-ERR invalid expire time in 'set' command\r\n", send(cmd("SET", "k", "v", "PX", "-5")));
        assertEquals("-ERR wrong number of arguments for 'set' command\r\n", send(cmd("SET", "k")));
        assertEquals("$-1\r\n", send(cmd("GET", "k")), "a refused SET stores nothing");
    }

    @Test
    void delAndExistsCountKeys() {
        send(cmd("MSET", "a", "1", "b", "2", "c", "3"));
        assertEquals(":3\r\n", send(cmd("EXISTS", "a", "b", "a", "zz")), "EXISTS counts repeated keys, as Redis");
        assertEquals(":2\r\n", send(cmd("DEL", "a", "b", "zz")));
        assertEquals(":0\r\n", send(cmd("DEL", "a")));
        assertEquals(":1\r\n", send(cmd("EXISTS", "c")));
        assertEquals("-ERR wrong number of arguments for 'del' command\r\n", send(cmd("DEL")));
        assertEquals("-ERR wrong number of arguments for 'exists' command\r\n", send(cmd("EXISTS")));
    }

    @Test
    void incrCountsFromZeroAndRejectsWhatIsNotAnInteger() {
        assertEquals(":1\r\n", send(cmd("INCR", "n")));
        assertEquals(":2\r\n", send(cmd("INCR", "n")));
        assertEquals(bulk("2"), send(cmd("GET", "n")));
        send(cmd("SET", "n", "-5"));
        assertEquals(":-4\r\n", send(cmd("INCR", "n")));
        for (String bad : new String[] {"abc", "", " 1", "1 ", "+1", "01", "-0", "1.5", "99999999999999999999"}) {
            send(cmd("SET", "bad", bad));
            assertEquals("-ERR value is not an integer or out of range\r\n", send(cmd("INCR", "bad")), bad);
            assertEquals(bulk(bad), send(cmd("GET", "bad")), "a failed INCR leaves the value");
        }
        send(cmd("SET", "max", Long.toString(Long.MAX_VALUE)));
        assertEquals("-ERR increment or decrement would overflow\r\n", send(cmd("INCR", "max")));
        send(cmd("SET", "min", Long.toString(Long.MIN_VALUE)));
        assertEquals(":" + (Long.MIN_VALUE + 1) + "\r\n", send(cmd("INCR", "min")));
        send(cmd("SET", "t", "7", "EX", "100"));
        assertEquals(":8\r\n", send(cmd("INCR", "t")));
        assertEquals(":100\r\n", send(cmd("TTL", "t")), "INCR keeps the expiry time, as Redis");
        assertEquals("-ERR wrong number of arguments for 'incr' command\r\n", send(cmd("INCR", "a", "b")));
    }

    @Test
    void msetThenMgetWithMissingKeys() {
        assertEquals("+OK\r\n", send(cmd("MSET", "a", "1", "b", "")));
        assertEquals("*3\r\n" + bulk("1") + "$-1\r\n" + bulk(""), send(cmd("MGET", "a", "zz", "b")));
        assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", send(cmd("MSET", "a", "1", "b")));
        assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", send(cmd("MSET", "a")));
        assertEquals("-ERR wrong number of arguments for 'mget' command\r\n", send(cmd("MGET")));
    }

    @Test
    void commandAndCommandDocsReplyAnEmptyArray() {
        assertEquals("*0\r\n", send(cmd("COMMAND")));
        assertEquals("*0\r\n", send(cmd("COMMAND", "DOCS")));
        assertEquals("*0\r\n", send(cmd("command", "docs", "get")));
        assertEquals(":" + RespCommands.all().size() + "\r\n", send(cmd("COMMAND", "COUNT")));
        assertEquals("-ERR unknown subcommand 'nope'. Try COMMAND HELP.\r\n", send(cmd("COMMAND", "nope")));
    }

    @Test
    void configGetAnswersWhatRedisBenchmarkAsks() {
        assertEquals("*2\r\n" + bulk("save") + bulk(""), send(cmd("CONFIG", "GET", "save")));
        assertEquals("*2\r\n" + bulk("APPENDONLY") + bulk("no"), send(cmd("config", "get", "APPENDONLY")),
                "Redis answers an exact name as it was sent");
        assertEquals("*0\r\n", send(cmd("CONFIG", "GET", "maxmemory")));
        assertEquals("*4\r\n" + bulk("appendonly") + bulk("no") + bulk("save") + bulk(""),
                send(cmd("CONFIG", "GET", "appendonly", "save")));
        assertEquals("-ERR wrong number of arguments for 'config|get' command\r\n", send(cmd("CONFIG", "GET")));
        assertEquals("-ERR wrong number of arguments for 'config' command\r\n", send(cmd("CONFIG")));
        assertEquals("-ERR unknown subcommand 'SET'. Try CONFIG HELP.\r\n", send(cmd("CONFIG", "SET", "a", "b")));
    }

    @Test
    void selectAcceptsOnlyDatabaseZero() {
        assertEquals("+OK\r\n", send(cmd("SELECT", "0")));
        assertEquals("-ERR DB index is out of range\r\n", send(cmd("SELECT", "1")));
        assertEquals("-ERR value is not an integer or out of range\r\n", send(cmd("SELECT", "x")));
        assertEquals("-ERR wrong number of arguments for 'select' command\r\n", send(cmd("SELECT")));
    }

    @Test
    void flushallFlushdbAndDbsize() {
        assertEquals(":0\r\n", send(cmd("DBSIZE")));
        send(cmd("MSET", "a", "1", "b", "2"));
        assertEquals(":2\r\n", send(cmd("DBSIZE")));
        assertEquals("+OK\r\n", send(cmd("FLUSHDB")));
        assertEquals(":0\r\n", send(cmd("DBSIZE")));
        send(cmd("SET", "a", "1", "EX", "5"));
        assertEquals("+OK\r\n", send(cmd("FLUSHALL", "ASYNC")));
        assertEquals(":0\r\n", send(cmd("DBSIZE")));
        assertEquals(":-2\r\n", send(cmd("TTL", "a")));
        assertEquals("+OK\r\n", send(cmd("flushall", "sync")));
        assertEquals("-ERR syntax error\r\n", send(cmd("FLUSHALL", "later")));
        assertEquals("-ERR wrong number of arguments for 'dbsize' command\r\n", send(cmd("DBSIZE", "x")));
    }

    @Test
    void quitRepliesOkThenClosesAndIgnoresTheRest() {
        assertClosedAfter("+PONG\r\n+OK\r\n", cmd("PING") + cmd("QUIT") + cmd("SET", "after", "quit"));
        assertEquals(0, store.size(), "commands after QUIT must not run");
    }

    @Test
    void commandNamesAreCaseInsensitive() {
        assertEquals("+OK\r\n", send(cmd("sEt", "k", "v")));
        assertEquals(bulk("v"), send(cmd("get", "k")));
        assertEquals("+PONG\r\n", send(cmd("pInG")));
    }

    @Test
    void unknownCommandIsAnsweredAsRedisDoes() {
        assertEquals("-ERR unknown command 'foo', with args beginning with: \r\n", send(cmd("foo")));
        assertEquals("-ERR unknown command 'FOO', with args beginning with: 'a' 'b c' \r\n",
                send(cmd("FOO", "a", "b c")));
        assertEquals("-ERR unknown command 'x', with args beginning with: 'evil -OK ' \r\n",
                send(cmd("x", "evil\r-OK\n")), "CR and LF in an error must not break the framing");
        assertEquals("-ERR unknown command 'GETX', with args beginning with: 'k' \r\n", send(cmd("GETX", "k")));
        String longArg = "y".repeat(300);
        String reply = send(cmd("nope", longArg, "z"));
        assertTrue(reply.length() < 250, "the quoted arguments are cut to about 128 characters: " + reply);
        assertTrue(reply.startsWith("-ERR unknown command 'nope', with args beginning with: 'yyy"), reply);
        assertEquals("+PONG\r\n", send(cmd("PING")), "the connection stays open");
    }

    @Test
    void wrongArityNamesTheCommandInLowerCase() {
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", send(cmd("GET")));
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", send(cmd("GeT", "a", "b")));
        assertFalse(transport.isDisconnecting());
    }

    // ---- pipelining and chunking ----

    /** A pipeline of 100 commands of every kind, and the replies it must get. */
    private static String[] pipeline() {
        StringBuilder req = new StringBuilder();
        StringBuilder rep = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            switch (i % 5) {
                case 0:
                    req.append(cmd("SET", "key:" + i, "value:" + i));
                    rep.append("+OK\r\n");
                    break;
                case 1:
                    req.append(cmd("GET", "key:" + (i - 1)));
                    rep.append(bulk("value:" + (i - 1)));
                    break;
                case 2:
                    req.append(cmd("INCR", "counter"));
                    rep.append(':').append(i / 5 + 1).append("\r\n");
                    break;
                case 3:
                    req.append("PING\r\n");
                    rep.append("+PONG\r\n");
                    break;
                default:
                    req.append(cmd("MGET", "key:" + (i - 4), "missing"));
                    rep.append("*2\r\n").append(bulk("value:" + (i - 4))).append("$-1\r\n");
            }
        }
        return new String[] {req.toString(), rep.toString()};
    }

    @Test
    void aPipelineOf100CommandsInOneChunkIsAnsweredInOrderInOneWrite() {
        String[] p = pipeline();
        assertEquals(p[1], send(p[0]));
        assertEquals(1, transport.writes, "the replies to one read go out in one write");
    }

    @Test
    void aPipelineFedByteByByteGetsTheSameReplies() {
        String[] p = pipeline();
        transport.inner.clear();
        for (byte b : bytes(p[0])) {
            protocol.dataReceived(new byte[] {b});
        }
        assertEquals(p[1], written());
        assertTrue(protocol.retainedBytes() < 1024, "retained " + protocol.retainedBytes());
    }

    @Test
    void aPipelineSplitInTwoAtEveryPointGetsTheSameReplies() {
        String[] p = pipeline();
        byte[] all = bytes(p[0]);
        for (int cut = 1; cut < all.length; cut += 7) {
            connect();
            transport.inner.clear();
            protocol.dataReceived(Arrays.copyOfRange(all, 0, cut));
            protocol.dataReceived(Arrays.copyOfRange(all, cut, all.length));
            assertEquals(p[1], written(), "cut at " + cut);
            assertTrue(transport.writes <= 2, "one write per read at most");
        }
    }

    @Test
    void inlineCommandsAreWordsOnALine() {
        assertEquals("+PONG\r\n", send("PING\r\n"));
        assertEquals("+PONG\r\n", send("ping\n"), "a bare LF ends an inline command too");
        assertEquals("+OK\r\n", send("SET  k \t v1\r\n"));
        assertEquals(bulk("v1"), send("  GET k  \r\n"));
        assertEquals("", send("\r\n\n   \r\n"), "empty lines are ignored");
        assertEquals("+PONG\r\n" + bulk("v1") + ":1\r\n", send("PING\r\n" + cmd("GET", "k") + "EXISTS k\r\n"));
        assertEquals("-ERR unknown command 'hullo', with args beginning with: 'world' \r\n",
                send("hullo world\r\n"));
        transport.inner.clear();
        for (byte b : bytes("ECHO split\r\n")) {
            protocol.dataReceived(new byte[] {b});
        }
        assertEquals(bulk("split"), written());
    }

    @Test
    void emptyAndNegativeArraysAreIgnored() {
        assertEquals("+PONG\r\n", send("*0\r\n*-1\r\n" + cmd("PING")));
    }

    // ---- protocol errors: answered, then the connection is closed ----

    @Test
    void bulkLengthOver512MiBIsRefusedWithoutAllocatingIt() {
        assertClosedAfter("-ERR Protocol error: invalid bulk length\r\n", "*2\r\n$3\r\nSET\r\n$600000000\r\n");
        assertEquals(0, protocol.retainedBytes());
    }

    @Test
    void bulkLengthOfExactly512MiBIsAcceptedButOnlyWhatArrivesIsHeld() {
        assertEquals("", send("*2\r\n$4\r\nECHO\r\n$536870912\r\n" + "x".repeat(1000)));
        assertFalse(transport.isDisconnecting());
        assertTrue(protocol.retainedBytes() <= 64 * 1024, "retained " + protocol.retainedBytes());
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 8; i++) {
            protocol.dataReceived(chunk);
        }
        assertTrue(protocol.retainedBytes() <= 2 * 9 * 64 * 1024, "the bulk grows with the data, "
                + "retained " + protocol.retainedBytes());
    }

    @Test
    void negativeOrMalformedBulkLengthIsAProtocolError() {
        assertClosedAfter("-ERR Protocol error: invalid bulk length\r\n", "*1\r\n$-1\r\n");
        connect();
        assertClosedAfter("-ERR Protocol error: invalid bulk length\r\n", "*1\r\n$abc\r\n");
        connect();
        assertClosedAfter("-ERR Protocol error: invalid bulk length\r\n", "*1\r\n$\r\n");
        connect();
        assertClosedAfter("-ERR Protocol error: invalid bulk length\r\n", "*1\r\n$4\n");
        connect();
        assertClosedAfter("-ERR Protocol error: invalid bulk length\r\n", "*1\r\n$99999999999999999999\r\n");
    }

    @Test
    void malformedArrayHeaderIsAProtocolError() {
        assertClosedAfter("-ERR Protocol error: invalid multibulk length\r\n", "*x\r\n");
        connect();
        assertClosedAfter("-ERR Protocol error: invalid multibulk length\r\n", "*\r\n");
        connect();
        assertClosedAfter("-ERR Protocol error: invalid multibulk length\r\n", "*1\n$4\r\nPING\r\n");
        connect();
        assertClosedAfter("-ERR Protocol error: invalid multibulk length\r\n", "*3000000000\r\n");
    }

    @Test
    void anArrayElementThatIsNotABulkStringIsAProtocolError() {
        assertClosedAfter("-ERR Protocol error: expected '$', got ':'\r\n", "*2\r\n$3\r\nGET\r\n:1\r\n");
        connect();
        assertClosedAfter("-ERR Protocol error: expected '$', got '\\x00'\r\n", "*1\r\n\0");
    }

    @Test
    void aBulkStringNotFollowedByCrlfIsAProtocolError() {
        assertClosedAfter("-ERR Protocol error: bulk string not followed by CRLF\r\n", "*1\r\n$4\r\nPINGxx");
        connect();
        assertClosedAfter("-ERR Protocol error: bulk string not followed by CRLF\r\n", "*1\r\n$4\r\nPING\rx");
        connect();
        send("*1\r\n$4\r\nPI");
        assertClosedAfter("-ERR Protocol error: bulk string not followed by CRLF\r\n", "NG\n\r");
    }

    @Test
    void repliesBeforeAProtocolErrorAreSentFirst() {
        assertClosedAfter("+PONG\r\n+OK\r\n-ERR Protocol error: invalid bulk length\r\n",
                cmd("PING") + cmd("SET", "a", "1") + "*1\r\n$-5\r\n" + cmd("SET", "b", "2"));
        assertEquals(1, store.size(), "commands after the error must not run");
    }

    @Test
    void anUnterminatedInlineLineOver64KiBIsAnErrorInOneChunk() {
        assertClosedAfter("-ERR Protocol error: too big inline request\r\n", "a".repeat(70 * 1024));
        assertEquals(0, protocol.retainedBytes());
    }

    @Test
    void anUnterminatedInlineLineIsRefusedWithBoundedMemoryWhenItComesInPieces() {
        byte[] piece = bytes("b".repeat(1000));
        long most = 0;
        int fed = 0;
        while (!transport.isDisconnecting() && fed < 200_000) {
            protocol.dataReceived(piece);
            fed += piece.length;
            most = Math.max(most, protocol.retainedBytes());
        }
        assertTrue(transport.isDisconnecting(), "the line must be refused");
        assertTrue(fed <= RespParser.MAX_LINE + 2 * piece.length, "refused after " + fed + " bytes");
        assertTrue(most <= RespParser.MAX_LINE + 2 * piece.length, "held at most " + most + " bytes");
        assertEquals("-ERR Protocol error: too big inline request\r\n", written());
    }

    @Test
    void unterminatedHeadersOver64KiBAreErrors() {
        assertClosedAfter("-ERR Protocol error: too big mbulk count string\r\n", "*" + "1".repeat(70 * 1024));
        connect();
        assertClosedAfter("-ERR Protocol error: too big bulk count string\r\n", "*1\r\n$" + "1".repeat(70 * 1024));
    }

    @Test
    void aLineOf64KiBIsAcceptedOneByteMoreIsNotHoweverItIsChunked() {
        String arg = "x".repeat(RespParser.MAX_LINE - "ECHO ".length() - 1);
        String line = "ECHO " + arg + "\r\n";
        assertEquals(bulk(arg), send(line));
        transport.inner.clear();
        for (int i = 0; i < line.length(); i += 1000) {
            protocol.dataReceived(bytes(line.substring(i, Math.min(line.length(), i + 1000))));
        }
        assertEquals(bulk(arg), written());
        assertClosedAfter("-ERR Protocol error: too big inline request\r\n", "ECHO x" + arg + "\r\n");
    }

    @Test
    void anExceptionInACommandIsAnsweredAndTheConnectionStaysUsable() {
        ReactorTime broken = new ReactorTime() {
            @Override
            public double seconds() {
                throw new IllegalStateException("clock broken");
            }

            @Override
            public DelayedCall callLater(double delaySeconds, Runnable f) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<DelayedCall> getDelayedCalls() {
                return List.of();
            }
        };
        protocol = new RespProtocol(new RespStore(broken));
        transport = new CountingTransport();
        protocol.makeConnection(transport);
        String reply = send(cmd("SET", "k", "v", "EX", "5") + cmd("PING"));
        assertTrue(reply.startsWith("-ERR internal error: java.lang.IllegalStateException: clock broken\r\n"),
                reply);
        assertTrue(reply.endsWith("+PONG\r\n"), reply);
        assertFalse(transport.isDisconnecting());
    }

    // ---- flow control ----

    @Test
    void theProtocolStopsReadingWhileTheTransportHasTooMuchToSend() {
        assertSame(protocol, transport.inner.producer());
        assertTrue(transport.inner.isStreaming());
        protocol.pauseProducing();
        assertEquals(StringTransport.ProducerState.PAUSED, transport.inner.producerState());
        protocol.resumeProducing();
        assertEquals(StringTransport.ProducerState.PRODUCING, transport.inner.producerState());
    }

    @Test
    void aLongPipelineIsWrittenInPiecesOfAbout64KiB() {
        send(cmd("SET", "v", "x".repeat(1000)));
        StringBuilder req = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            req.append(cmd("GET", "v"));
        }
        String reply = send(req.toString());
        assertEquals(bulk("x".repeat(1000)).repeat(1000), reply);
        assertTrue(transport.writes > 1 + 1000 * 1000 / (128 * 1024), "writes: " + transport.writes);
        assertTrue(transport.writes < 1 + 1 + 1000 * 1000 / (32 * 1024), "writes: " + transport.writes);
    }
}
