package dev.weft.examples;

import static dev.weft.examples.NetTesting.LOOPBACK;
import static dev.weft.examples.NetTesting.await;
import static dev.weft.examples.NetTesting.shutDown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.protocol.ConnectionRefusedException;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class EchoClientExampleTest {

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void roundTripsAgainstTheEchoServerCountEveryMessage(String backend) throws Exception {
        Reactor reactor = Reactors.create(backend);
        try {
            int port = EchoExample.listen(reactor, LOOPBACK, 0).getHost().getPort();
            EchoClientExample.Stats stats = await(reactor,
                    EchoClientExample.roundTrips(reactor, LOOPBACK, port, 50, 1000));
            assertEquals(50, stats.count());
            assertEquals(1000, stats.size());
            assertTrue(stats.meanMicros() > 0, stats.toString());
            assertTrue(stats.p50Micros() > 0 && stats.p50Micros() <= stats.p99Micros(), stats.toString());
            assertTrue(stats.toString().startsWith("50 round trips of 1000 bytes: mean "), stats.toString());
        } finally {
            shutDown(reactor);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void roundTripsToAClosedPortFailWithConnectionRefused(String backend) throws Exception {
        int closed = NetTesting.closedPort();
        Reactor reactor = Reactors.create(backend);
        try {
            assertThrows(ConnectionRefusedException.class,
                    () -> await(reactor, EchoClientExample.roundTrips(reactor, LOOPBACK, closed, 3, 8)));
        } finally {
            shutDown(reactor);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void runOnAClosedPortReturnsOneAndPrintsTheReason(String backend) throws Exception {
        int closed = NetTesting.closedPort();
        NetTesting.Output out = new NetTesting.Output();
        NetTesting.Output err = new NetTesting.Output();
        int code = EchoClientExample.run(Reactors.create(backend), LOOPBACK, closed, 3, 8, out.stream, err.stream);
        assertEquals(1, code);
        assertTrue(out.text().startsWith("echo-client: connecting to 127.0.0.1:" + closed + ", backend " + NetTesting.backendName(backend)),
                out.text());
        String reason = err.text();
        assertTrue(reason.startsWith("echo-client: cannot connect") && reason.contains("127.0.0.1:" + closed)
                && reason.toLowerCase(Locale.ROOT).contains("refused"), reason);
        assertTrue(out.text().endsWith("echo-client: stopped" + System.lineSeparator()), out.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void commandReturnsOneWhenRefused(String backend) throws Exception {
        int closed = NetTesting.closedPort();
        NetTesting.Run run = NetTesting.runMain("echo-client", "--port", String.valueOf(closed), "--backend",
                backend);
        assertEquals(1, run.code(), run.out() + run.err());
        assertTrue(run.err().startsWith("echo-client: cannot connect") && run.err().contains("127.0.0.1:" + closed),
                run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void commandPrintsItsStatsAgainstAServerOnAnotherReactor(String backend) throws Exception {
        Reactor server = Reactors.create(backend);
        int port = EchoExample.listen(server, LOOPBACK, 0).getHost().getPort();
        AtomicReference<Throwable> serverFailure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                server.run();
            } catch (Throwable t) {
                serverFailure.set(t);
            }
        }, "echo-server-" + backend);
        thread.start();
        try {
            NetTesting.Run run = NetTesting.runMain("echo-client", "--port", String.valueOf(port), "--count", "7",
                    "--size", "100", "--backend", backend);
            assertEquals(0, run.code(), run.out() + run.err());
            assertTrue(run.out().contains("echo-client: 7 round trips of 100 bytes: mean "), run.out());
            assertTrue(run.out().contains(" us, p50 ") && run.out().contains(" us, p99 "), run.out());
            assertFalse(run.err().contains("echo-client:"), run.err());
        } finally {
            server.callFromThread(() -> NetSupport.stopQuietly(server));
            thread.join(10_000);
        }
        assertFalse(thread.isAlive(), "the server reactor did not stop");
        assertEquals(null, serverFailure.get());
    }

    @Test
    void helpReturnsZeroAndPrintsUsage() {
        NetTesting.Run run = NetTesting.runMain("echo-client", "--help");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("usage: echo-client [--host H] [--port N] [--count N] [--size BYTES]"),
                run.out());
    }

    @Test
    void unknownOptionReturnsTwoAndNamesIt() {
        NetTesting.Run run = NetTesting.runMain("echo-client", "--speed", "9");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("unknown option '--speed'"), run.err());
    }

    @Test
    void badCountOrSizeReturnsTwoAndNamesTheOption() {
        NetTesting.Run zero = NetTesting.runMain("echo-client", "--count", "0");
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("--count"), zero.err());
        NetTesting.Run word = NetTesting.runMain("echo-client", "--size", "big");
        assertEquals(2, word.code());
        assertTrue(word.err().contains("--size"), word.err());
    }
}
