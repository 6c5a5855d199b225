package dev.weft.examples.resp;

import static dev.weft.examples.resp.RespProtocolTest.bulk;
import static dev.weft.examples.resp.RespProtocolTest.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.task.Clock;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis behaviours that real clients rely on, checked with no Redis installed and with a test clock (the
 * differential test checks the same against a real redis-server, but not what needs time to pass or many SCAN
 * steps).
 */
@Timeout(30)
class RespRedisSemanticsTest {

    private Clock clock;
    private CountingTransport transport;
    private RespProtocol protocol;

    @BeforeEach
    void connect() {
        clock = new Clock();
        protocol = new RespProtocol(new RespStore(clock));
        transport = new CountingTransport();
        protocol.makeConnection(transport);
    }

    private String send(String request) {
        transport.inner.clear();
        protocol.dataReceived(request.getBytes(StandardCharsets.ISO_8859_1));
        return new String(transport.inner.value(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void execAppliesQueuedCommandsInOrderAndAQueuingErrorAppliesNone() {
        assertEquals("+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n:2\r\n",
                send(cmd("MULTI") + cmd("SET", "a", "1") + cmd("INCR", "a") + cmd("EXEC")));
        assertEquals("+OK\r\n-ERR unknown command 'NOPE', with args beginning with: \r\n+QUEUED\r\n"
                        + "-EXECABORT Transaction discarded because of previous errors.\r\n" + bulk("2"),
                send(cmd("MULTI") + cmd("NOPE") + cmd("SET", "a", "9") + cmd("EXEC") + cmd("GET", "a")));
        assertEquals("+OK\r\n+QUEUED\r\n+OK\r\n" + bulk("2"),
                send(cmd("MULTI") + cmd("SET", "a", "9") + cmd("DISCARD") + cmd("GET", "a")));
        assertEquals("-ERR EXEC without MULTI\r\n-ERR DISCARD without MULTI\r\n",
                send(cmd("EXEC") + cmd("DISCARD")));
    }

    @Test
    void aFailingQueuedCommandDoesNotStopTheOthers() {
        assertEquals("+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n+OK\r\n"
                        + "-ERR value is not an integer or out of range\r\n:1\r\n",
                send(cmd("MULTI") + cmd("SET", "s", "x") + cmd("INCR", "s") + cmd("INCR", "n") + cmd("EXEC")));
    }

    @Test
    void expireRemovesTheKeyWhenItsTimeComesOnTheClock() {
        send(cmd("SET", "k", "v"));
        assertEquals(":1\r\n:10\r\n", send(cmd("EXPIRE", "k", "10") + cmd("TTL", "k")));
        clock.advance(4);
        assertEquals(":6\r\n:6000\r\n", send(cmd("TTL", "k") + cmd("PTTL", "k")));
        clock.advance(6);
        assertEquals("$-1\r\n:-2\r\n", send(cmd("GET", "k") + cmd("TTL", "k")));
        send(cmd("SET", "k", "v", "PX", "9000000000000000"));
        assertEquals(":9000000000000\r\n", send(cmd("TTL", "k")));
        send(cmd("SETEX", "e", "5", "v") + cmd("PERSIST", "e"));
        clock.advance(10);
        assertEquals(bulk("v"), send(cmd("GET", "e")));
    }

    @Test
    void scanInStepsOfOneReturnsEveryKeyAndEndsAtCursorZero() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            keys.add("key:" + i);
            send(cmd("SET", "key:" + i, "v"));
        }
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        Pattern reply = Pattern.compile("\\*2\r\n\\$\\d+\r\n(\\d+)\r\n\\*\\d+\r\n(.*)", Pattern.DOTALL);
        Pattern key = Pattern.compile("\\$\\d+\r\n([^\r]*)\r\n");
        int steps = 0;
        do {
            Matcher m = reply.matcher(send(cmd("SCAN", cursor, "COUNT", "1")));
            assertTrue(m.matches());
            cursor = m.group(1);
            for (Matcher k = key.matcher(m.group(2)); k.find(); ) {
                seen.add(k.group(1));
            }
            steps++;
        } while (!cursor.equals("0") && steps < 200);
        assertEquals(keys, seen);
        assertTrue(steps > 1, "COUNT 1 takes more than one step");
    }

    @Test
    void incrByFloatRoundsAsRedisLongDouble() {
        assertEquals(bulk("10000000000.09999999962747097"), send(cmd("INCRBYFLOAT", "f", "10000000000.1")));
        assertEquals(bulk("10.5") + bulk("10.6"),
                send(cmd("INCRBYFLOAT", "g", "10.5") + cmd("INCRBYFLOAT", "g", "0.1")));
        assertEquals("-ERR increment would produce NaN or Infinity\r\n", send(cmd("INCRBYFLOAT", "g", "inf")));
        assertEquals("-ERR value is not a valid float\r\n", send(cmd("INCRBYFLOAT", "g", " 1")));
    }

    @Test
    void helloSpeaksResp2AndRefusesResp3SoClientsFallBack() {
        String hello = send(cmd("HELLO"));
        assertTrue(hello.startsWith("*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n"), hello);
        assertTrue(hello.contains("$5\r\nproto\r\n:2\r\n"), hello);
        assertEquals(hello, send(cmd("HELLO", "2")));
        assertEquals("-NOPROTO unsupported protocol version\r\n+PONG\r\n", send(cmd("HELLO", "3") + cmd("PING")));
        assertFalse(transport.isDisconnecting());
    }

    @Test
    void inlineCommandsTakeRedisQuotesAndEscapes() {
        assertEquals("+OK\r\n" + bulk("c d"), send("SET \"a b\" \"c d\"\r\nGET 'a b'\r\n"));
        assertEquals(bulk("AJ\n\"q") + bulk("it's"), send("ECHO \"\\x41\\x4a\\n\\\"q\"\r\nECHO 'it\\'s'\r\n"));
        assertEquals("-ERR Protocol error: unbalanced quotes in request\r\n", send("ECHO \"a\"b\r\n"));
        assertTrue(transport.isDisconnecting());
    }

    @Test
    void headerNumbersRedisRefusesCloseTheConnection() {
        for (String bad : new String[] {"*007\r\n", "*1\r\n$007\r\nPINGxxx\r\n", "*1\r\n$-0\r\n", "*-0\r\n"}) {
            connect();
            String reply = send(bad);
            assertTrue(reply.startsWith("-ERR Protocol error: invalid "), bad + " -> " + reply);
            assertTrue(transport.isDisconnecting(), bad);
        }
    }
}
