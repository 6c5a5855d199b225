package dev.weft.examples;

import static dev.weft.examples.NetTesting.LOOPBACK;
import static dev.weft.examples.NetTesting.await;
import static dev.weft.examples.NetTesting.shutDown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Connector;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class EchoExampleTest {

    /** The example under test, as named on the command line (a subclass tests another echo server the same way). */
    String name() {
        return EchoExample.NAME;
    }

    ListeningPort listen(Reactor reactor, String host, int port) {
        return EchoExample.listen(reactor, host, port);
    }

    ListeningPort start(Reactor reactor, String host, int port, PrintStream out) {
        return EchoExample.start(reactor, host, port, out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void echoReturnsOneHundredMessagesOfRandomSizesExactly(String backend) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int size = i == 0 ? 1 : i == 1 ? 1 << 20 : 1 + random.nextInt(100_000);
            byte[] m = new byte[size];
            random.nextBytes(m);
            messages.add(m);
        }
        Reactor reactor = Reactors.create(backend);
        try {
            ListeningPort port = listen(reactor, LOOPBACK, 0);
            Sequencer client = new Sequencer(messages);
            reactor.connectTCP(LOOPBACK, port.getHost().getPort(), client.clientFactory());
            List<byte[]> echoes = await(reactor, client.done);
            assertEquals(messages.size(), echoes.size(), "seed " + seed);
            for (int i = 0; i < messages.size(); i++) {
                assertArrayEquals(messages.get(i), echoes.get(i), "message " + i + ", seed " + seed);
            }
        } finally {
            shutDown(reactor);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void startPrintsTheBoundPortAndBackendAndShutdownPrintsStopped(String backend) {
        Reactor reactor = Reactors.create(backend);
        NetTesting.Output out = new NetTesting.Output();
        try {
            ListeningPort port = start(reactor, LOOPBACK, 0, out.stream);
            int number = port.getHost().getPort();
            assertNotEquals(0, number);
            assertEquals(name() + ": listening on 127.0.0.1:" + number + ", backend " + NetTesting.backendName(backend)
                    + System.lineSeparator(), out.text());
        } finally {
            shutDown(reactor);
        }
        assertTrue(out.text().endsWith(name() + ": stopped" + System.lineSeparator()), out.text());
    }

    @Test
    void helpReturnsZeroAndPrintsUsage() {
        NetTesting.Run run = NetTesting.runMain(name(), "--help");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("usage: " + name() + " [--port N]"), run.out());
        assertTrue(run.out().replaceAll("\\s+", " ").contains("An echo server"), run.out());
    }

    @Test
    void unknownOptionReturnsTwoAndNamesIt() {
        NetTesting.Run run = NetTesting.runMain(name(), "--frobnicate");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("unknown option '--frobnicate'"), run.err());
    }

    @Test
    void aPortInUseReturnsOne() throws Exception {
        Reactor reactor = Reactors.create("untwisted");
        try {
            int busy = listen(reactor, LOOPBACK, 0).getHost().getPort();
            NetTesting.Run run = NetTesting.runMain(name(), "--port", String.valueOf(busy));
            assertEquals(1, run.code(), run.out());
            assertTrue(run.err().startsWith(name() + ": "), run.err());
        } finally {
            shutDown(reactor);
        }
    }

    /** Sends each message when the echo of the one before is complete, and collects the echoes. */
    private static final class Sequencer extends Protocol {
        final Deferred<List<byte[]>> done = new Deferred<>();
        private final List<byte[]> messages;
        private final List<byte[]> echoes = new ArrayList<>();
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        Sequencer(List<byte[]> messages) {
            this.messages = messages;
        }

        ClientFactory clientFactory() {
            Sequencer self = this;
            return new ClientFactory() {
                @Override
                public Protocol buildProtocol(InetSocketAddress address) {
                    self.setFactory(this);
                    return self;
                }

                @Override
                public void clientConnectionFailed(Connector connector, Throwable reason) {
                    done.errback(reason);
                }
            };
        }

        @Override
        public void connectionMade() {
            transport.write(messages.get(0));
        }

        @Override
        public void dataReceived(byte[] data) {
            current.writeBytes(data);
            if (current.size() < messages.get(echoes.size()).length) {
                return;
            }
            echoes.add(current.toByteArray());
            current.reset();
            if (echoes.size() < messages.size()) {
                transport.write(messages.get(echoes.size()));
            } else {
                transport.loseConnection();
            }
        }

        @Override
        public void connectionLost(Throwable reason) {
            if (echoes.size() == messages.size()) {
                done.callback(echoes);
            } else {
                done.errback(new AssertionError("connection lost after " + echoes.size() + " echoes", reason));
            }
        }
    }
}
