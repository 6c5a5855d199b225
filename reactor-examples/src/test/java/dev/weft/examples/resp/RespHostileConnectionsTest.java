package dev.weft.examples.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.weft.defer.Deferred;
import dev.weft.defer.DeferredList;
import dev.weft.examples.resp.RespFuzzInputs.Split;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import dev.weft.task.Clock;
import dev.weft.testing.StringTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input for the RESP server over real loopback connections, on each backend: connections that send seeded
 * hostile inputs (the shapes of {@link RespFuzzInputs}, two of each) in random pieces, one write per pass of the
 * loop, all at once. Each connection has a server of its own (its own store), so its replies depend on its input
 * alone and are known in advance: what the protocol writes for the same input on a {@link StringTransport}.
 *
 * <p>Asserted: a connection whose input holds no violation (and no QUIT) gets exactly the replies computed in
 * advance, and the server keeps it open until the client closes; a connection whose input holds one is closed by
 * the server, and what the client got before the close is a prefix of the replies computed in advance (the tail can
 * be lost to a reset, since the client may still be writing); on the server side no exception escaped
 * {@code dataReceived}, each connection was lost exactly once, and the parser never held more than its bound; then
 * no connection is left open, a fresh connection to each server gets PONG to PING, and nothing was logged at ERROR,
 * nor any warning by the example.
 */
@Timeout(120)
final class RespHostileConnectionsTest {

    /** The seed of the first connection; the others follow. Printed in every failure message. */
    static final long FIRST_SEED = 7_700L;
    /** Connections at once: two of each shape. */
    static final int CONNECTIONS = 2 * RespFuzzInputs.Shape.values().length;
    /** The longest the test waits for all connections to end, in seconds. */
    static final double WAIT_SECONDS = 60;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"untwisted", "netty"})
    void connectionsSendingHostileBytesInRandomPiecesGetTheirRepliesAndLeaveTheServerServing(String backend)
            throws Exception {
        List<Watched> servers = new ArrayList<>();
        List<HostileClient> clients = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try (LogEvents log = LogEvents.record()) {
            Reactor reactor = Reactors.create(backend);
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    long seed = FIRST_SEED + i;
                    byte[] in = RespFuzzInputs.input(seed, "k", true);
                    SplittableRandom r = new SplittableRandom(seed);
                    Split split = RespFuzzInputs.someSplit(in, r);
                    RespReference.Outcome outcome = RespReference.read(in);
                    HostileClient client = new HostileClient(reactor, seed, split, in,
                            RespFuzzInputs.split(in, split, r), repliesOf(in), outcome.closes());
                    Watched server = new Watched(new RespServer(new RespStore(reactor), reactor));
                    int port = reactor.listenTCP(0, server, RespServer.BACKLOG, "127.0.0.1").getHost().getPort();
                    servers.add(server);
                    clients.add(client);
                    ports.add(port);
                    reactor.connectTCP("127.0.0.1", port, client.clientFactory(), 10, null);
                }
                List<Deferred<Throwable>> clientsLost = new ArrayList<>();
                clients.forEach(c -> clientsLost.add(c.lost));
                reactor.runUntil(DeferredList.gatherResults(clientsLost).addTimeout(WAIT_SECONDS, reactor));
                List<Deferred<Throwable>> serversLost = new ArrayList<>();
                for (Watched s : servers) {
                    assertEquals(1, s.protocols.size(), "one connection per server");
                    serversLost.add(s.protocols.get(0).lost);
                }
                reactor.runUntil(DeferredList.gatherResults(serversLost).addTimeout(WAIT_SECONDS, reactor));

                long closedByServer = clients.stream().filter(c -> c.serverCloses).count();
                assertTrue(closedByServer >= 2 && closedByServer <= CONNECTIONS - 2, "the seeds give connections "
                        + "that the server closes and others, not " + closedByServer + " of " + CONNECTIONS);
                assertTrue(clients.stream().mapToLong(c -> c.received.size()).sum() > 10_000, "replies came");
                for (int i = 0; i < CONNECTIONS; i++) {
                    checkClient(clients.get(i));
                    checkServer(clients.get(i), servers.get(i).protocols.get(0));
                }
                assertEquals(CONNECTIONS, reactor.openResourceCount(),
                        "only the listening ports are left open");

                for (int i = 0; i < CONNECTIONS; i++) {
                    RespTestClient fresh = RespTestClient.connect(reactor, ports.get(i));
                    assertEquals("PONG", RespTestClient.await(reactor, fresh.send("PING")),
                            "a fresh connection to the server of " + clients.get(i).where());
                }
            } finally {
                RespTestClient.stop(reactor);
            }
            assertEquals(List.of(), log.atLeast(Level.ERROR), () -> "errors were logged:"
                    + LogEvents.describe(log.atLeast(Level.ERROR)));
            assertEquals(List.of(), log.warningsFrom("dev.weft.examples"), () -> "the example warned:"
                    + LogEvents.describe(log.warningsFrom("dev.weft.examples")));
        }
    }

    private static void checkClient(HostileClient c) {
        byte[] got = c.received.toByteArray();
        if (!c.serverCloses) {
            assertTrue(c.closedByClient, c.where() + ": the server closed a connection without a violation");
            assertArrayEquals(c.expected, got, () -> c.where() + ": replies differ from those of the same input "
                    + "in one read:\n expected " + RespHostileInputFuzzTest.excerpt(c.expected) + "\n got      "
                    + RespHostileInputFuzzTest.excerpt(got));
            assertInstanceOf(ConnectionDone.class, c.reason, c.where() + ": the client closed cleanly");
        } else {
            assertFalse(c.closedByClient, c.where() + ": the server must close after a violation or QUIT");
            assertTrue(got.length <= c.expected.length
                    && Arrays.equals(got, 0, got.length, c.expected, 0, got.length), () -> c.where()
                    + ": what the client got is not a prefix of the replies of the same input in one read:\n"
                    + " expected " + RespHostileInputFuzzTest.excerpt(c.expected) + "\n got      "
                    + RespHostileInputFuzzTest.excerpt(got));
            assertTrue(c.reason instanceof ConnectionDone || c.reason instanceof ConnectionLost,
                    c.where() + ": lost with " + c.reason);
        }
    }

    private static void checkServer(HostileClient c, WatchedProtocol s) {
        assertNull(s.thrown, () -> c.where() + ": dataReceived threw " + s.thrown);
        assertEquals(1, s.lostCalls, c.where() + ": connectionLost once on the server");
        assertFalse(s.reason instanceof ConnectionAborted, c.where() + ": the server never aborts: " + s.reason);
        assertTrue(s.reason instanceof ConnectionDone || s.reason instanceof ConnectionLost
                && (s.reason.getCause() == null || s.reason.getCause() instanceof IOException),
                () -> c.where() + ": the server lost the connection with " + s.reason);
        assertNull(s.overBound, () -> c.where() + ": " + s.overBound);
    }

    /** What the server answers to {@code in} in one read, on a fresh store whose clock does not move. */
    private static byte[] repliesOf(byte[] in) {
        RespProtocol protocol = new RespProtocol(new RespStore(new Clock()));
        StringTransport transport = new StringTransport();
        protocol.makeConnection(transport);
        protocol.dataReceived(in);
        return transport.value();
    }

    /** A client that writes its pieces one per pass of the loop, then waits for its replies (or the close). */
    private static final class HostileClient extends Protocol {
        final Reactor reactor;
        final long seed;
        final Split split;
        final byte[] input;
        final List<byte[]> pieces;
        final byte[] expected;
        final boolean serverCloses;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final Deferred<Throwable> lost = new Deferred<>();
        boolean closedByClient;
        Throwable reason;
        private int next;

        HostileClient(Reactor reactor, long seed, Split split, byte[] input, List<byte[]> pieces, byte[] expected,
                boolean serverCloses) {
            this.reactor = reactor;
            this.seed = seed;
            this.split = split;
            this.input = input;
            this.pieces = pieces;
            this.expected = expected;
            this.serverCloses = serverCloses;
        }

        String where() {
            return RespHostileInputFuzzTest.describe(seed, split, input) + ", " + pieces.size() + " writes";
        }

        ClientFactory clientFactory() {
            HostileClient self = this;
            return new ClientFactory() {
                @Override
                public Protocol buildProtocol(InetSocketAddress address) {
                    self.setFactory(this);
                    return self;
                }

                @Override
                public void clientConnectionFailed(Connector connector, Throwable why) {
                    lost.errback(new AssertionError(where() + ": could not connect", why));
                }
            };
        }

        @Override
        public void connectionMade() {
            sendNext();
        }

        private void sendNext() {
            if (reason != null) {
                return;
            }
            if (next < pieces.size()) {
                transport.write(pieces.get(next++));
                reactor.callLater(0, this::sendNext);
            } else {
                closeWhenAnswered();
            }
        }

        @Override
        public void dataReceived(byte[] data) {
            received.writeBytes(data);
            closeWhenAnswered();
        }

        private void closeWhenAnswered() {
            if (!serverCloses && !closedByClient && next == pieces.size() && received.size() >= expected.length) {
                closedByClient = true;
                transport.loseConnection();
            }
        }

        @Override
        public void connectionLost(Throwable why) {
            reason = why;
            lost.callback(why);
        }
    }

    /** A factory that builds the RESP server's protocols wrapped in {@link WatchedProtocol}. */
    private static final class Watched extends Factory {
        final RespServer inner;
        final List<WatchedProtocol> protocols = new ArrayList<>();

        Watched(RespServer inner) {
            this.inner = inner;
        }

        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            WatchedProtocol p = new WatchedProtocol((RespProtocol) inner.buildProtocol(address));
            p.setFactory(this);
            protocols.add(p);
            return p;
        }

        @Override
        protected void startFactory() {
            inner.doStart();
        }

        @Override
        protected void stopFactory() {
            inner.doStop();
        }
    }

    /**
     * The server's protocol, with what happened to it recorded: an exception out of {@code dataReceived}, the calls
     * to {@code connectionLost}, and whether the parser held more than {@link RespHostileInputFuzzTest#retainedBound}.
     */
    private static final class WatchedProtocol extends Protocol {
        final RespProtocol inner;
        final Deferred<Throwable> lost = new Deferred<>();
        Throwable thrown;
        Throwable reason;
        int lostCalls;
        String overBound;
        private long fed;
        private long largest;

        WatchedProtocol(RespProtocol inner) {
            this.inner = inner;
        }

        @Override
        public void connectionMade() {
            inner.makeConnection(transport);
        }

        @Override
        public void dataReceived(byte[] data) {
            try {
                inner.dataReceived(data);
            } catch (Throwable t) {
                thrown = t;
                throw t;
            }
            fed += data.length;
            largest = Math.max(largest, data.length);
            long retained = inner.retainedBytes();
            long bound = RespHostileInputFuzzTest.retainedBound(largest, fed);
            if (retained > bound && overBound == null) {
                overBound = "the parser held " + retained + " bytes after " + fed + " arrived; bound " + bound;
            }
        }

        @Override
        public void connectionLost(Throwable why) {
            lostCalls++;
            reason = why;
            inner.connectionLost(why);
            if (lostCalls == 1) {
                lost.callback(why);
            }
        }
    }
}
