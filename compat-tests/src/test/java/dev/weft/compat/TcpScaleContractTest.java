package dev.weft.compat;

import static dev.weft.compat.net.Net.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.Reasons;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.basic.LineReceiver;
import dev.weft.reactor.Reactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Assumptions;

/** Many connections at once on one reactor. */
final class TcpScaleContractTest {
    private static final int CONNECTIONS = 1000;
    /** Connections started per pass of the loop, so the accept queue never overflows. */
    private static final int PER_PASS = 50;

    /** What both ends of every connection record; all on the reactor thread. */
    static final class Tally {
        int serverMade;
        int serverLost;
        int clientMade;
        int clientLost;
        int answered;
        final String[] answers = new String[CONNECTIONS];
        final List<Throwable> notDone = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();
        final List<Protocol> clients = new ArrayList<>();

        String describe() {
            return "server connectionMade " + serverMade + ", connectionLost " + serverLost + "; client "
                    + "connectionMade " + clientMade + ", answered " + answered + ", connectionLost " + clientLost
                    + "; " + failures.size() + " clientConnectionFailed"
                    + (failures.isEmpty() ? "" : " (first: " + Reasons.describe(failures.get(0)) + ")")
                    + "; " + notDone.size() + " connectionLost reasons other than ConnectionDone"
                    + (notDone.isEmpty() ? "" : " (first: " + Reasons.describe(notDone.get(0)) + ")");
        }
    }

    /** Echoes each line. */
    static final class EchoLines extends LineReceiver {
        private final Tally tally;
        private final Net net;

        EchoLines(Tally tally, Net net) {
            this.tally = tally;
            this.net = net;
        }

        @Override
        public void connectionMade() {
            tally.serverMade++;
        }

        @Override
        protected void lineReceived(byte[] line) {
            sendLine(line);
        }

        @Override
        public void connectionLost(Throwable reason) {
            tally.serverLost++;
            if (!(reason instanceof ConnectionDone)) {
                tally.notDone.add(reason);
            }
            net.poke();
        }
    }

    /** Sends its index, records the answer; once every client has its answer, all of them close. */
    static final class Client extends LineReceiver {
        private final int index;
        private final Tally tally;
        private final Net net;

        Client(int index, Tally tally, Net net) {
            this.index = index;
            this.tally = tally;
            this.net = net;
        }

        @Override
        public void connectionMade() {
            tally.clientMade++;
            tally.clients.add(this);
            sendLine(Integer.toString(index));
        }

        @Override
        protected void lineReceived(byte[] line) {
            if (tally.answers[index] == null) {
                tally.answered++;
            }
            tally.answers[index] = new String(line, StandardCharsets.US_ASCII);
            if (tally.answered == CONNECTIONS) {
                for (Protocol c : tally.clients) {
                    c.transport().loseConnection();
                }
            }
        }

        @Override
        public void connectionLost(Throwable reason) {
            tally.clientLost++;
            if (!(reason instanceof ConnectionDone)) {
                tally.notDone.add(reason);
            }
            net.poke();
        }
    }

    /**
     * The soft limit on open files of this process, from {@code /proc/self/limits}, if it can be read.
     *
     * @return the limit, or empty if unknown (not Linux) or unlimited
     */
    static OptionalLong openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(soft));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return OptionalLong.empty();
    }

    @ContractTest
    void aThousandConcurrentConnectionsEachGetTheirOwnAnswer(ReactorHarness h) throws Exception {
        OptionalLong limit = openFilesLimit();
        long needed = 2L * CONNECTIONS + 500;
        Assumptions.assumeTrue(limit.isEmpty() || limit.getAsLong() >= needed, "the soft limit on open files here "
                + "(\"Max open files\" in /proc/self/limits) is " + limit + ", below the " + needed + " that "
                + CONNECTIONS + " loopback connections (two descriptors each) and the JVM need; raise it with "
                + "ulimit -n");
        Tally tally = new Tally();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            ListeningPort port = net.call(() -> r.listenTCP(0, Factory.forProtocol(() -> new EchoLines(tally, net)),
                    1024, LOOPBACK));
            int number = port.getHost().getPort();
            int[] started = {0};
            Runnable[] batch = new Runnable[1];
            batch[0] = () -> {
                for (int n = 0; n < PER_PASS && started[0] < CONNECTIONS; n++) {
                    int index = started[0]++;
                    r.connectTCP(LOOPBACK, number, new ClientFactory(() -> new Client(index, tally, net)) {
                        @Override
                        public void clientConnectionFailed(Connector connector, Throwable reason) {
                            tally.failures.add(reason);
                            net.poke();
                        }
                    });
                }
                if (started[0] < CONNECTIONS) {
                    r.callLater(0, batch[0]);
                }
            };
            r.callLater(0, batch[0]);
            net.await(CONNECTIONS + " connections to be answered and closed on both ends",
                    () -> tally.clientLost == CONNECTIONS && tally.serverLost == CONNECTIONS
                            || !tally.failures.isEmpty(),
                    tally::describe);
            if (!tally.failures.isEmpty()) {
                fail("every connection must be made; " + tally.describe());
            }
            net.passes(3);
            assertEquals(CONNECTIONS, tally.clientMade, "client connectionMade; " + tally.describe());
            assertEquals(CONNECTIONS, tally.clientLost, "client connectionLost; " + tally.describe());
            assertEquals(CONNECTIONS, tally.serverMade, "server connectionMade; " + tally.describe());
            assertEquals(CONNECTIONS, tally.serverLost, "server connectionLost; " + tally.describe());
            for (int i = 0; i < CONNECTIONS; i++) {
                assertEquals(Integer.toString(i), tally.answers[i], "client " + i + " must get its own line back");
            }
            if (!tally.notDone.isEmpty()) {
                fail("every connection must end with ConnectionDone; " + tally.describe());
            }
        }
    }
}
