package dev.weft.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.HalfCloseableProtocol;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PullProducer;
import dev.weft.protocol.PushProducer;
import dev.weft.protocol.basic.LineReceiver;
import dev.weft.task.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IOPumpTest {

    static class Echo extends LineReceiver {
        final List<String> lines = new ArrayList<>();
        final List<Throwable> lost = new ArrayList<>();

        @Override
        protected void lineReceived(byte[] line) {
            lines.add(new String(line, UTF_8));
            sendLine(line);
        }

        @Override
        public void connectionLost(Throwable reason) {
            lost.add(reason);
        }
    }

    static class Client extends LineReceiver {
        final List<String> lines = new ArrayList<>();
        final List<Throwable> lost = new ArrayList<>();
        boolean made;

        @Override
        public void connectionMade() {
            made = true;
            sendLine("hello");
        }

        @Override
        protected void lineReceived(byte[] line) {
            lines.add(new String(line, UTF_8));
        }

        @Override
        public void connectionLost(Throwable reason) {
            lost.add(reason);
        }
    }

    @Test
    void lineReceiverEchoPairExchangesLines() {
        IOPump<Echo, Client> pump = IOPump.connectedServerAndClient(Echo::new, Client::new);
        assertTrue(pump.client().made);
        assertEquals(List.of("hello"), pump.server().lines, "greetings are flushed by connect");
        assertEquals(List.of("hello"), pump.client().lines);
        pump.client().sendLine("a");
        pump.client().sendLine("b");
        assertEquals(List.of("hello"), pump.client().lines, "nothing moves until pumped");
        pump.flush();
        assertEquals(List.of("hello", "a", "b"), pump.client().lines);
        assertEquals(IOPump.SERVER_ADDRESS, pump.client().transport().getPeer());
        assertEquals(IOPump.CLIENT_ADDRESS, pump.server().transport().getPeer());
    }

    @Test
    void echoSurvivesOneByteChunks() {
        Echo server = new Echo();
        Client client = new Client();
        IOPump<Echo, Client> pump = IOPump.connect(server, client);
        pump.setChunkSize(1);
        for (int i = 0; i < 50; i++) {
            client.sendLine("line " + i);
        }
        pump.flush();
        assertEquals(51, client.lines.size());
        assertEquals("line 49", client.lines.get(50));
    }

    @Test
    void loseConnectionDeliversPendingDataThenConnectionDoneOnBothSides() {
        IOPump<Echo, Client> pump = IOPump.connectedServerAndClient(Echo::new, Client::new);
        pump.client().sendLine("last");
        pump.client().transport().loseConnection();
        pump.client().sendLine("after");
        assertTrue(pump.client().lost.isEmpty(), "connectionLost is never called inside loseConnection");
        pump.flush();
        assertEquals(List.of("hello", "last", "after"), pump.server().lines,
                "data written before the close completes is delivered");
        pump.client().transport().write("dropped\r\n".getBytes(UTF_8));
        pump.flush();
        assertEquals(List.of("hello", "last", "after"), pump.server().lines);
        assertEquals(1, pump.client().lost.size());
        assertEquals(1, pump.server().lost.size());
        assertInstanceOf(ConnectionDone.class, pump.client().lost.get(0));
        assertInstanceOf(ConnectionDone.class, pump.server().lost.get(0));
        assertEquals(List.of("hello"), pump.client().lines, "nothing is read once loseConnection was called");
    }

    @Test
    void abortDropsTheBufferAndReportsAbortedAndLost() {
        IOPump<Echo, Client> pump = IOPump.connectedServerAndClient(Echo::new, Client::new);
        pump.client().sendLine("never");
        pump.client().transport().abortConnection();
        pump.client().transport().abortConnection();
        pump.flush();
        assertEquals(List.of("hello"), pump.server().lines);
        assertEquals(1, pump.client().lost.size());
        assertInstanceOf(ConnectionAborted.class, pump.client().lost.get(0));
        assertInstanceOf(ConnectionLost.class, pump.server().lost.get(0));
        assertFalse(pump.server().lost.get(0) instanceof ConnectionAborted);
    }

    @Test
    void exceptionInDataReceivedBecomesTheReason() {
        IllegalStateException boom = new IllegalStateException("boom");
        Protocol bad = new Protocol() {
            Throwable reason;

            @Override
            public void dataReceived(byte[] data) {
                throw boom;
            }

            @Override
            public void connectionLost(Throwable r) {
                reason = r;
                transport.write(new byte[] {1});
            }

            @Override
            public String toString() {
                return String.valueOf(reason);
            }
        };
        IOPump<Protocol, Client> pump = IOPump.connect(bad, new Client());
        assertTrue(pump.serverTransport().isLost());
        assertSame(boom, pump.serverTransport().lostReason().getCause());
        assertEquals(1, pump.client().lost.size());
        assertInstanceOf(ConnectionLost.class, pump.client().lost.get(0));
    }

    static final class HalfCloser extends Protocol implements HalfCloseableProtocol {
        final List<String> events = new ArrayList<>();

        @Override
        public void dataReceived(byte[] data) {
            events.add("data:" + new String(data, UTF_8));
        }

        @Override
        public void readConnectionLost() {
            events.add("readLost");
            transport.write("bye".getBytes(UTF_8));
            transport.loseConnection();
        }

        @Override
        public void writeConnectionLost() {
            events.add("writeLost");
        }

        @Override
        public void connectionLost(Throwable reason) {
            events.add("lost:" + reason.getClass().getSimpleName());
        }
    }

    @Test
    void halfCloseReachesAHalfCloseableProtocolWhichCanStillWrite() {
        HalfCloser server = new HalfCloser();
        HalfCloser client = new HalfCloser();
        IOPump<HalfCloser, HalfCloser> pump = IOPump.connect(server, client);
        client.transport().write("req".getBytes(UTF_8));
        client.transport().loseWriteConnection();
        pump.flush();
        client.transport().write("dropped".getBytes(UTF_8));
        pump.flush();
        assertEquals(List.of("data:req", "readLost", "lost:ConnectionDone"), server.events);
        assertEquals(List.of("writeLost", "data:bye", "lost:ConnectionDone"), client.events);
    }

    @Test
    void halfCloseOfAPlainProtocolClosesTheConnection() {
        IOPump<Echo, Client> pump = IOPump.connectedServerAndClient(Echo::new, Client::new);
        pump.client().transport().loseWriteConnection();
        pump.flush();
        assertInstanceOf(ConnectionDone.class, pump.server().lost.get(0));
        assertInstanceOf(ConnectionDone.class, pump.client().lost.get(0));
    }

    @Test
    void pausedReaderHoldsDataUntilResumed() {
        IOPump<Echo, Client> pump = IOPump.connectedServerAndClient(Echo::new, Client::new);
        pump.server().transport().pauseProducing();
        pump.client().sendLine("held");
        pump.flush();
        assertEquals(List.of("hello"), pump.server().lines);
        assertEquals(6, pump.clientTransport().bufferedBytes());
        pump.server().transport().resumeProducing();
        pump.flush();
        assertEquals(List.of("hello", "held"), pump.server().lines);
    }

    static final class Streamer implements PushProducer {
        final Protocol owner;
        int written;
        boolean paused;
        boolean stopped;
        int pauses;

        Streamer(Protocol owner) {
            this.owner = owner;
        }

        void produce() {
            while (!paused && !stopped && written < 200_000) {
                owner.transport().write(new byte[10_000]);
                written += 10_000;
            }
            if (written >= 200_000 && !stopped) {
                owner.transport().unregisterProducer();
                owner.transport().loseConnection();
            }
        }

        @Override
        public void pauseProducing() {
            paused = true;
            pauses++;
        }

        @Override
        public void resumeProducing() {
            paused = false;
            produce();
        }

        @Override
        public void stopProducing() {
            stopped = true;
        }
    }

    static final class Sink extends Protocol {
        long received;
        Throwable lost;

        @Override
        public void dataReceived(byte[] data) {
            received += data.length;
        }

        @Override
        public void connectionLost(Throwable reason) {
            lost = reason;
        }
    }

    @Test
    void streamingProducerIsPausedAboveTheBufferSizeAndResumedWhenDrained() {
        Protocol source = new Protocol() { };
        Sink sink = new Sink();
        IOPump<Protocol, Sink> pump = IOPump.connect(source, sink);
        Streamer streamer = new Streamer(source);
        source.transport().registerProducer(streamer, true);
        streamer.produce();
        assertTrue(streamer.paused);
        assertTrue(pump.serverTransport().bufferedBytes() <= FakeTransport.DEFAULT_BUFFER_SIZE + 10_000);
        pump.flush();
        assertEquals(200_000, sink.received);
        assertTrue(streamer.pauses >= 2, "paused " + streamer.pauses + " times");
        assertInstanceOf(ConnectionDone.class, sink.lost);
    }

    @Test
    void loseConnectionWaitsForTheProducerToBeUnregistered() {
        Protocol source = new Protocol() { };
        Sink sink = new Sink();
        IOPump<Protocol, Sink> pump = IOPump.connect(source, sink);
        int[] asked = new int[1];
        PullProducer pull = new PullProducer() {
            @Override
            public void resumeProducing() {
                asked[0]++;
                if (asked[0] <= 3) {
                    source.transport().write(new byte[100]);
                } else {
                    source.transport().unregisterProducer();
                }
            }

            @Override
            public void stopProducing() {
            }
        };
        source.transport().registerProducer(pull, false);
        assertEquals(1, asked[0], "a pull producer is asked at once");
        source.transport().loseConnection();
        pump.flush();
        assertEquals(4, asked[0]);
        assertEquals(300, sink.received, "the producer finishes its output before the close");
        assertInstanceOf(ConnectionDone.class, sink.lost);
        assertNull(pump.serverTransport().producer());
    }

    @Test
    void producerRegisteredOnALostTransportIsStoppedAtOnce() {
        IOPump<Echo, Client> pump = IOPump.connectedServerAndClient(Echo::new, Client::new);
        pump.client().transport().loseConnection();
        pump.flush();
        boolean[] stopped = new boolean[1];
        pump.client().transport().registerProducer(new PushProducer() {
            @Override
            public void pauseProducing() {
            }

            @Override
            public void resumeProducing() {
            }

            @Override
            public void stopProducing() {
                stopped[0] = true;
            }
        }, true);
        assertTrue(stopped[0]);
    }

    @Test
    void pumpRunsTheCallsDueOnTheClock() {
        Clock clock = new Clock();
        Client client = new Client();
        IOPump<Echo, Client> pump = IOPump.connect(new Echo(), client, clock);
        clock.callLater(0, () -> client.sendLine("timed"));
        pump.flush();
        assertEquals(List.of("hello", "timed"), client.lines);
    }

    @Test
    void connectWithFactoriesStartsThemAndSetsEachProtocolsFactory() {
        int[] starts = new int[1];
        dev.weft.protocol.Factory serverFactory = new dev.weft.protocol.Factory(Echo::new) {
            @Override
            protected void startFactory() {
                starts[0]++;
            }
        };
        dev.weft.protocol.ClientFactory clientFactory = dev.weft.protocol.ClientFactory.forProtocol(Client::new);
        IOPump<Protocol, Protocol> pump = IOPump.connect(serverFactory, clientFactory);
        assertEquals(1, starts[0]);
        assertSame(serverFactory, pump.server().factory());
        assertSame(clientFactory, pump.client().factory());
        assertEquals(List.of("hello"), ((Client) pump.client()).lines);
    }
}
