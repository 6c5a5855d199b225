package dev.weft.compat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.compat.harness.BackendVariant;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.harness.Watchdog;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.Reasons;
import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Connection churn (heavy): 20,000 connect/abort cycles against one server, 50 in flight. Every connection gets
 * {@code connectionLost} exactly once on both sides, the side that aborts with {@link ConnectionAborted}; afterwards
 * the process has no more file descriptors open than before (a small slack for the JVM's own) and the reactor's
 * open resources, readers, writers and delayed calls are back where they were.
 */
final class ConnectionChurnContractTest {
    private static final int CYCLES = 20_000;
    private static final int WARM_UP = 500;
    private static final int IN_FLIGHT = 50;
    private static final int BACKLOG = 1024;
    private static final Duration HEAVY_RUN = Duration.ofSeconds(100);

    /**
     * One run of cycles. Connection {@code i} (in the order the client factory builds protocols): the client
     * writes one byte, the server one byte; for an even {@code i} the client aborts once the server's byte has
     * come, for an odd one the client's byte asks the server to abort. Reactor thread only.
     */
    private static final class Churn {
        private final Reactor reactor;
        private final int port;
        private final int cycles;
        final Deferred<Void> done = new Deferred<>();
        final List<String> problems = new ArrayList<>();
        final Map<String, Integer> clientReasons = new TreeMap<>();
        final Map<String, Integer> serverReasons = new TreeMap<>();
        int started;
        int clientsBuilt;
        int clientMade;
        int clientLost;
        int clientConnectionLost;
        int failed;
        int serverMade;
        int serverLost;
        long bytes;

        Churn(Reactor reactor, int port, int cycles) {
            this.reactor = reactor;
            this.port = port;
            this.cycles = cycles;
        }

        final ClientFactory clientFactory = new ClientFactory() {
            @Override
            public Protocol buildProtocol(InetSocketAddress address) {
                return new ClientSide(clientsBuilt++);
            }

            @Override
            public void clientConnectionFailed(Connector connector, Throwable reason) {
                failed++;
                problem("clientConnectionFailed: " + Reasons.describe(reason));
                next();
            }

            @Override
            public void clientConnectionLost(Connector connector, Throwable reason) {
                clientConnectionLost++;
            }
        };

        void start() {
            for (int i = 0; i < IN_FLIGHT; i++) {
                next();
            }
        }

        private void next() {
            if (started < cycles) {
                started++;
                reactor.connectTCP(Net.LOOPBACK, port, clientFactory);
            }
            check();
        }

        private void check() {
            if (!done.isCalled() && clientLost + failed == cycles && serverLost == serverMade
                    && serverMade + failed >= cycles) {
                done.callback(null);
            }
        }

        private void problem(String p) {
            if (problems.size() < 10) {
                problems.add(p);
            }
        }

        private static void count(Map<String, Integer> m, Throwable reason) {
            m.merge(reason == null ? "null" : reason.getClass().getSimpleName(), 1, Integer::sum);
        }

        String describe() {
            return "started " + started + ", client made " + clientMade + " lost " + clientLost
                    + " (clientConnectionLost " + clientConnectionLost + ", failed " + failed + "), server made "
                    + serverMade + " lost " + serverLost + "; client reasons " + clientReasons + ", server reasons "
                    + serverReasons + "; problems " + problems;
        }

        final class ClientSide extends Protocol {
            private final int index;
            private int lost;

            ClientSide(int index) {
                this.index = index;
            }

            boolean clientAborts() {
                return index % 2 == 0;
            }

            @Override
            public void connectionMade() {
                clientMade++;
                transport.write(new byte[] {(byte) (clientAborts() ? 'k' : 'A')});
            }

            @Override
            public void dataReceived(byte[] data) {
                bytes += data.length;
                if (lost > 0) {
                    problem("client " + index + ": dataReceived after connectionLost");
                }
                if (clientAborts()) {
                    transport.abortConnection();
                }
            }

            @Override
            public void connectionLost(Throwable reason) {
                if (++lost > 1) {
                    problem("client " + index + ": connectionLost " + lost + " times");
                    return;
                }
                clientLost++;
                count(clientReasons, reason);
                if (clientAborts() ? !(reason instanceof ConnectionAborted)
                        : !(reason instanceof ConnectionLost || reason instanceof ConnectionDone)) {
                    problem("client " + index + " (" + (clientAborts() ? "aborts" : "is aborted") + "): reason "
                            + Reasons.describe(reason));
                }
                next();
            }
        }

        final class ServerSide extends Protocol {
            private int lost;
            private boolean aborted;

            @Override
            public void connectionMade() {
                serverMade++;
                transport.write(new byte[] {'g'});
            }

            @Override
            public void dataReceived(byte[] data) {
                bytes += data.length;
                if (lost > 0) {
                    problem("server: dataReceived after connectionLost");
                }
                for (byte b : data) {
                    if (b == 'A' && !aborted) {
                        aborted = true;
                        transport.abortConnection();
                    }
                }
            }

            @Override
            public void connectionLost(Throwable reason) {
                if (++lost > 1) {
                    problem("server: connectionLost " + lost + " times");
                    return;
                }
                serverLost++;
                count(serverReasons, reason);
                if (aborted ? !(reason instanceof ConnectionAborted)
                        : !(reason instanceof ConnectionLost || reason instanceof ConnectionDone)) {
                    problem("server (" + (aborted ? "aborts" : "is aborted") + "): reason "
                            + Reasons.describe(reason));
                }
                check();
            }
        }
    }

    /** The one server's factory: the protocols of the run under way. */
    private static final class Server extends Factory {
        Churn current;

        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            return current.new ServerSide();
        }
    }

    @HeavyContractTest
    void twentyThousandConnectAbortCyclesLoseEachConnectionOnceOnBothSidesAndLeakNothing(ReactorHarness h,
            BackendVariant v) throws Exception {
        Leaks.assumeProcFd();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            Server server = new Server();
            ListeningPort port = net.call(() -> r.listenTCP(0, server, BACKLOG, Net.LOOPBACK));
            // Warm up on the same port: what the JDK and Netty open lazily is then open before counting.
            runCycles(net, server, new Churn(r, port.getHost().getPort(), WARM_UP), v, "the warm-up");
            net.passes(3);
            Leaks.Snapshot before = Leaks.take(net);

            Churn churn = new Churn(r, port.getHost().getPort(), CYCLES);
            long t0 = System.nanoTime();
            runCycles(net, server, churn, v, "20,000 connect/abort cycles");
            long millis = Figures.millisSince(t0);
            net.passes(3);
            Leaks.Snapshot after = Leaks.take(net);

            assertEquals(List.of(), churn.problems, churn::describe);
            assertEquals(0, churn.failed, churn::describe);
            assertEquals(CYCLES, churn.clientMade, churn::describe);
            assertEquals(CYCLES, churn.clientLost, churn::describe);
            assertEquals(CYCLES, churn.clientConnectionLost, churn::describe);
            assertEquals(CYCLES, churn.serverMade, churn::describe);
            assertEquals(CYCLES, churn.serverLost, churn::describe);
            Leaks.assertNoGrowth("20,000 connect/abort cycles", before, after);
            Figures.record(v, "churn: 20,000 connect/abort cycles", "%,d cycles (50 in flight) in %,d ms "
                    + "(%,d cycles/s), %,d bytes; client reasons %s, server reasons %s; before: %s; after: %s",
                    (long) CYCLES, millis, Figures.perSecond(CYCLES, millis), churn.bytes, churn.clientReasons,
                    churn.serverReasons, before, after);
        }
    }

    /** Points the server at {@code churn} and runs its cycles to the end. */
    private static void runCycles(Net net, Server server, Churn churn, BackendVariant v, String what)
            throws Exception {
        Reactor r = net.reactor();
        server.current = churn;
        net.run(churn::start);
        Watchdog.guard(r, HEAVY_RUN, what + " on " + v.name(), () -> r.runUntil(churn.done));
    }
}
