package dev.weft.examples.resp;

import static dev.weft.examples.resp.RespTestClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.defer.DeferredList;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The RESP server over TCP on 127.0.0.1, driven by a RESP client written with Weft, on each backend. */
@Timeout(60)
class RespEndToEndTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"untwisted", "netty"})
    void commandsPipelinesAndAnOversizedBulkOverLoopback(String backend) throws Exception {
        Reactor reactor = Reactors.create(backend);
        try {
            ListeningPort port = RespServer.listen(reactor, "127.0.0.1", 0);
            int p = port.getHost().getPort();
            assertTrue(p > 0, "port 0 picks a free port");
            RespTestClient client = RespTestClient.connect(reactor, p);

            assertEquals("PONG", await(reactor, client.send("PING")));
            assertEquals("OK", await(reactor, client.send("SET", "greeting", "hello")));
            assertEquals("hello", await(reactor, client.send("GET", "greeting")));
            assertEquals(1L, await(reactor, client.send("INCR", "n")));
            assertEquals(2L, await(reactor, client.send("incr", "n")));
            assertEquals(new RespTestClient.Err("ERR value is not an integer or out of range"),
                    await(reactor, client.send("INCR", "greeting")));
            assertEquals(Arrays.asList("hello", null, "2"),
                    await(reactor, client.send("MGET", "greeting", "missing", "n")));

            List<String[]> sets = new ArrayList<>();
            List<String[]> gets = new ArrayList<>();
            List<String[]> incrs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                sets.add(new String[] {"SET", "key:" + i, "value:" + i});
                gets.add(new String[] {"GET", "key:" + i});
                incrs.add(new String[] {"INCR", "counter"});
            }
            List<Object> setReplies = await(reactor, DeferredList.gatherResults(client.pipeline(sets)));
            assertEquals(1000, setReplies.size());
            setReplies.forEach(r -> assertEquals("OK", r));
            assertEquals(1000L + 2, await(reactor, client.send("DBSIZE")));

            List<Deferred<Object>> getsAndIncrs = new ArrayList<>(client.pipeline(gets));
            getsAndIncrs.addAll(client.pipeline(incrs));
            List<Object> replies = await(reactor, DeferredList.gatherResults(getsAndIncrs));
            for (int i = 0; i < 1000; i++) {
                assertEquals("value:" + i, replies.get(i), "GET reply " + i + " in order");
                assertEquals((long) i + 1, replies.get(1000 + i), "INCR reply " + i + " in order");
            }

            // A second client sees the same store.
            RespTestClient other = RespTestClient.connect(reactor, p);
            assertEquals("value:999", await(reactor, other.send("GET", "key:999")));
            assertEquals("OK", await(reactor, other.send("QUIT")));
            assertInstanceOf(ConnectionDone.class, await(reactor, other.lost), "QUIT closes the connection");

            Object error = await(reactor, client.sendRaw("*2\r\n$3\r\nSET\r\n$600000000\r\n".getBytes()));
            assertEquals(new RespTestClient.Err("ERR Protocol error: invalid bulk length"), error);
            assertInstanceOf(ConnectionDone.class, await(reactor, client.lost),
                    "the server closes the connection after a protocol error");

            RespTestClient again = RespTestClient.connect(reactor, p);
            assertEquals("value:0", await(reactor, again.send("GET", "key:0")), "the server goes on serving");
        } finally {
            RespTestClient.stop(reactor);
        }
    }

    /**
     * A client that sends 20 MB worth of GETs while it is not reading: the server stops reading (its transport holds
     * too many replies) and goes on when the client reads again; every reply arrives, in order.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"untwisted", "netty"})
    void aClientThatDoesNotReadForAWhileGetsEveryReplyInOrder(String backend) throws Exception {
        Reactor reactor = Reactors.create(backend);
        try {
            int p = RespServer.listen(reactor, "127.0.0.1", 0).getHost().getPort();
            RespTestClient client = RespTestClient.connect(reactor, p);
            String small = "s".repeat(1000);
            String big = "b".repeat(RespReply.DIRECT_WRITE + 1);
            assertEquals("OK", await(reactor, client.send("MSET", "small", small, "big", big)));
            List<String[]> gets = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                gets.add(new String[] {"GET", i % 10 == 0 ? "big" : "small"});
                gets.add(new String[] {"ECHO", Integer.toString(i)});
            }
            client.transport().pauseProducing();
            List<Deferred<Object>> pending = client.pipeline(gets);
            reactor.callLater(0.2, () -> client.transport().resumeProducing());
            List<Object> replies = await(reactor, DeferredList.gatherResults(pending));
            for (int i = 0; i < 10_000; i++) {
                assertEquals(i % 10 == 0 ? big : small, replies.get(2 * i), "GET " + i);
                assertEquals(Integer.toString(i), replies.get(2 * i + 1), "ECHO " + i);
            }
        } finally {
            RespTestClient.stop(reactor);
        }
    }
}
