package dev.weft.untwisted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Factory;
import dev.weft.protocol.HalfCloseableProtocol;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PushProducer;
import dev.weft.reactor.spi.StreamTransport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Smoke tests of what the byte pipe does for StreamTransport: drains, half-close, paused reads, shutdown. */
final class StreamSmokeTest {

    private static final double TIMEOUT = 5.0;

    private final UntwistedReactor reactor = new UntwistedReactor();

    @AfterEach
    void shutDown() {
        Support.shutDown(reactor);
    }

    /** Counts what it reads; fires when the connection ends. */
    static class Sink extends Protocol {
        long count;
        final Deferred<Throwable> lost = new Deferred<>();

        @Override
        public void dataReceived(byte[] data) {
            count += data.length;
        }

        @Override
        public void connectionLost(Throwable reason) {
            lost.callback(reason);
        }
    }

    private int listen(Protocol server) {
        ListeningPort port = reactor.listenTCP(0, Factory.forProtocol(() -> server), 50, "127.0.0.1");
        return port.getHost().getPort();
    }

    @Test
    void aPushProducerIsPausedAndResumedAndEverythingArrives() throws Exception {
        Sink server = new Sink();
        int port = listen(server);
        int chunk = 16 * 1024;
        int chunks = 400;
        List<String> events = new ArrayList<>();
        Protocol client = new Protocol() {
            int sent;
            boolean paused;

            @Override
            public void connectionMade() {
                transport().registerProducer(new PushProducer() {
                    @Override
                    public void pauseProducing() {
                        paused = true;
                        events.add("pause");
                    }

                    @Override
                    public void resumeProducing() {
                        paused = false;
                        events.add("resume");
                        produce();
                    }

                    @Override
                    public void stopProducing() {
                    }
                }, true);
                produce();
            }

            void produce() {
                while (!paused && sent < chunks) {
                    sent++;
                    transport().write(new byte[chunk]);
                }
                if (sent == chunks && !paused) {
                    transport().unregisterProducer();
                    transport().loseConnection();
                }
            }
        };
        reactor.connectTCP("127.0.0.1", port, ClientFactory.forProtocol(() -> client));
        assertInstanceOf(ConnectionDone.class, reactor.runUntil(server.lost.addTimeout(TIMEOUT, reactor)));
        assertEquals((long) chunk * chunks, server.count);
        assertTrue(events.contains("pause") && events.contains("resume"), "events: " + events);
    }

    /** A half-closeable sink that answers once the peer has shut its writing side. */
    static final class Answerer extends Sink implements HalfCloseableProtocol {
        @Override
        public void readConnectionLost() {
            transport().write(("got " + count).getBytes());
            transport().loseConnection();
        }

        @Override
        public void writeConnectionLost() {
        }
    }

    @Test
    void halfCloseLetsThePeerAnswer() throws Exception {
        int port = listen(new Answerer());
        StringBuilder answer = new StringBuilder();
        List<String> halves = new ArrayList<>();
        Deferred<Throwable> lost = new Deferred<>();
        final class Asker extends Protocol implements HalfCloseableProtocol {
            @Override
            public void connectionMade() {
                transport().write(new byte[1000]);
                transport().loseWriteConnection();
            }

            @Override
            public void dataReceived(byte[] data) {
                answer.append(new String(data));
            }

            @Override
            public void readConnectionLost() {
                halves.add("read");
            }

            @Override
            public void writeConnectionLost() {
                halves.add("write");
            }

            @Override
            public void connectionLost(Throwable reason) {
                lost.callback(reason);
            }
        }
        reactor.connectTCP("127.0.0.1", port, ClientFactory.forProtocol(Asker::new));
        assertInstanceOf(ConnectionDone.class, reactor.runUntil(lost.addTimeout(TIMEOUT, reactor)));
        assertEquals("got 1000", answer.toString());
        assertEquals(List.of("write", "read"), halves);
    }

    @Test
    void pausedReadsDeliverNothingUntilResumed() throws Exception {
        Sink server = new Sink() {
            @Override
            public void connectionMade() {
                transport().pauseProducing();
            }
        };
        int port = listen(server);
        Deferred<Void> sent = new Deferred<>();
        reactor.connectTCP("127.0.0.1", port, ClientFactory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionMade() {
                transport().write(new byte[100]);
                transport().loseConnection();
            }

            @Override
            public void connectionLost(Throwable reason) {
                sent.callback(null);
            }
        }));
        reactor.runUntil(sent.addTimeout(TIMEOUT, reactor));
        Deferred<Void> settle = new Deferred<>();
        reactor.callLater(0.05, () -> settle.callback(null));
        reactor.runUntil(settle);
        assertEquals(0, server.count);
        server.transport().resumeProducing();
        assertInstanceOf(ConnectionDone.class, reactor.runUntil(server.lost.addTimeout(TIMEOUT, reactor)));
        assertEquals(100, server.count);
    }

    @Test
    void shutdownLosesOpenConnections() throws Exception {
        Sink server = new Sink();
        Deferred<Void> made = new Deferred<>();
        Sink client = new Sink() {
            @Override
            public void connectionMade() {
                made.callback(null);
            }
        };
        reactor.connectTCP("127.0.0.1", listen(server), ClientFactory.forProtocol(() -> client));
        reactor.runUntil(made.addTimeout(TIMEOUT, reactor));
        Support.shutDown(reactor);
        assertTrue(client.lost.isCalled(), "the client connection was lost at shutdown");
        assertInstanceOf(StreamTransport.class, client.transport());
        client.lost.addBoth((r, f) -> {
            assertInstanceOf(ConnectionLost.class, r);
            return null;
        });
    }
}
