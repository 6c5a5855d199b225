package dev.weft.reactor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.HalfCloseableProtocol;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PullProducer;
import dev.weft.protocol.PushProducer;
import dev.weft.reactor.ReactorConfig;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection contract of {@link StreamTransport}, on a fake byte pipe: what the protocol sees, when, and what the
 * core asks of the backend. Passes of the loop are {@code iterate(0)} on a reactor that waits for nothing.
 */
class StreamTransportTest {

    private final IdleReactor reactor = new IdleReactor();

    @AfterEach
    void shutDown() {
        reactor.onShutdown();
    }

    @Test
    void startCallsConnectionMadeAndStartsReading() {
        FakeStream t = new FakeStream(reactor);
        Recorder p = new Recorder();
        t.begin(p);
        assertEquals(List.of("made"), p.events);
        assertTrue(t.reading);
        assertSame(t, p.transport());
    }

    @Test
    void bytesReachDataReceivedInOrder() {
        FakeStream t = started(new Recorder());
        t.read("a");
        t.read("b");
        assertEquals(List.of("made", "data:a", "data:b"), ((Recorder) t.protocol()).events);
    }

    @Test
    void loseConnectionWaitsForTheDrainThenGivesConnectionDone() {
        Recorder p = new Recorder();
        FakeStream t = started(p);
        t.buffered = 10;
        t.transport().loseConnection();
        assertFalse(t.reading, "loseConnection stops reading");
        assertEquals(1, t.drainRequests);
        t.drain();
        assertFalse(t.closed, "not closed while bytes are buffered");
        t.buffered = 0;
        t.drain();
        assertTrue(t.closed);
        assertFalse(t.aborted);
        assertEquals(1, p.lost.size());
        assertInstanceOf(ConnectionDone.class, p.lost.get(0));
    }

    @Test
    void writeAfterLoseConnectionIsStillSent() {
        FakeStream t = started(new Recorder());
        t.transport().loseConnection();
        t.transport().write(bytes("late"));
        assertEquals(List.of("late"), t.sentStrings());
    }

    @Test
    void writeAfterConnectionLostDoesNothing() {
        FakeStream t = started(new Recorder());
        t.eof();
        t.transport().write(bytes("x"));
        assertTrue(t.sent.isEmpty());
    }

    @Test
    void abortIsNeverReentrantAndGivesConnectionAbortedOnce() {
        Recorder p = new Recorder() {
            @Override
            public void dataReceived(byte[] data) {
                super.dataReceived(data);
                transport.abortConnection();
                transport.abortConnection();
                events.add("after abort");
            }
        };
        FakeStream t = started(p);
        t.read("x");
        assertTrue(t.closed && t.aborted, "the socket is reset at once");
        assertEquals(List.of("made", "data:x", "after abort"), p.events, "connectionLost not inside the call");
        t.read("ignored");
        reactor.iterate(0);
        assertEquals(1, p.lost.size());
        assertInstanceOf(ConnectionAborted.class, p.lost.get(0));
    }

    @Test
    void exceptionInDataReceivedBecomesTheReason() {
        IllegalStateException boom = new IllegalStateException("boom");
        Recorder p = new Recorder() {
            @Override
            public void dataReceived(byte[] data) {
                throw boom;
            }
        };
        FakeStream t = started(p);
        t.read("x");
        assertTrue(t.closed);
        assertEquals(1, p.lost.size());
        assertInstanceOf(ConnectionLost.class, p.lost.get(0));
        assertSame(boom, p.lost.get(0).getCause());
    }

    @Test
    void peerEndOfStreamGivesConnectionDoneToAPlainProtocol() {
        Recorder p = new Recorder();
        FakeStream t = started(p);
        t.eof();
        assertTrue(t.closed);
        assertInstanceOf(ConnectionDone.class, p.lost.get(0));
    }

    @Test
    void halfCloseBothWaysThenConnectionDoneOnce() {
        HalfCloser p = new HalfCloser();
        FakeStream t = started(p);
        t.eof();
        assertEquals(List.of("made", "readConnectionLost"), p.events);
        assertFalse(t.closed, "a half-closeable protocol keeps the connection after a peer EOF");
        t.transport().write(bytes("reply"));
        t.transport().loseWriteConnection();
        t.drain();
        assertTrue(t.outputShut);
        assertTrue(t.closed);
        assertEquals(List.of("made", "readConnectionLost", "writeConnectionLost", "lost:ConnectionDone"), p.events);
    }

    @Test
    void pausedReadsAreHeldAndDeliveredAfterResume() {
        Recorder p = new Recorder();
        FakeStream t = started(p);
        t.transport().pauseProducing();
        assertFalse(t.reading);
        t.read("held");
        t.eof();
        assertEquals(List.of("made"), p.events);
        t.transport().resumeProducing();
        assertEquals(List.of("made"), p.events, "not delivered inside resumeProducing");
        reactor.iterate(0);
        assertEquals(List.of("made", "data:held"), p.events);
        assertInstanceOf(ConnectionDone.class, p.lost.get(0), "the end of stream follows the held data");
    }

    @Test
    void readingStaysOffUntilHeldBytesAreDelivered() {
        Recorder p = new Recorder();
        FakeStream t = started(p);
        t.transport().pauseProducing();
        t.read("in");
        t.read("flight");
        assertEquals(8, t.readBufferSize());
        t.transport().resumeProducing();
        assertFalse(t.reading, "no more reads while bytes are held");
        reactor.iterate(0);
        assertEquals(List.of("made", "data:in", "data:flight"), p.events);
        assertEquals(0, t.readBufferSize());
        assertTrue(t.reading, "reading again once the held bytes are delivered");
    }

    @Test
    void streamingProducerIsPausedAboveTheLimitAndResumedWhenDrained() {
        FakeStream t = started(new Recorder());
        Push producer = new Push();
        t.transport().registerProducer(producer, true);
        t.buffered = StreamTransport.WRITE_BUFFER_LIMIT + 1;
        t.transport().write(bytes("x"));
        assertEquals(List.of("pause"), producer.calls);
        t.buffered = 0;
        t.drain();
        assertEquals(List.of("pause", "resume"), producer.calls);
    }

    @Test
    void pullProducerIsResumedAtRegistrationAndAfterEachDrain() {
        FakeStream t = started(new Recorder());
        Pull producer = new Pull(t);
        t.transport().registerProducer(producer, false);
        assertEquals(1, producer.resumes);
        t.drain();
        assertEquals(2, producer.resumes);
    }

    @Test
    void pullProducerRegisteredWhileBytesAreBufferedIsResumedAtTheDrain() {
        FakeStream t = started(new Recorder());
        t.buffered = 100;
        int[] resumes = {0};
        t.transport().registerProducer(new PullProducer() {
            @Override
            public void resumeProducing() {
                resumes[0]++; // writes nothing
            }

            @Override
            public void stopProducing() {
            }
        }, false);
        assertEquals(1, resumes[0]);
        assertEquals(1, t.drainRequests, "a drain is awaited for the bytes buffered before the registration");
        t.buffered = 0;
        t.drain();
        assertEquals(2, resumes[0]);
    }

    @Test
    void loseConnectionWaitsForTheProducerToUnregister() {
        Recorder p = new Recorder();
        FakeStream t = started(p);
        Push producer = new Push();
        t.transport().registerProducer(producer, true);
        t.transport().loseConnection();
        t.drain();
        assertFalse(t.closed);
        t.transport().unregisterProducer();
        t.drain();
        assertTrue(t.closed);
        assertInstanceOf(ConnectionDone.class, p.lost.get(0));
    }

    @Test
    void producerGetsStopProducingOnConnectionLossAndAtRegistrationWhenLost() {
        FakeStream t = started(new Recorder());
        Push producer = new Push();
        t.transport().registerProducer(producer, true);
        t.fail(new java.io.IOException("reset"));
        assertEquals(List.of("stop"), producer.calls);
        Push late = new Push();
        t.transport().registerProducer(late, true);
        assertEquals(List.of("stop"), late.calls);
    }

    @Test
    void secondProducerIsRefused() {
        FakeStream t = started(new Recorder());
        t.transport().registerProducer(new Push(), true);
        assertThrows(IllegalStateException.class, () -> t.transport().registerProducer(new Push(), true));
    }

    @Test
    void reactorShutdownDeliversAPendingAbortAtOnce() {
        Recorder p = new Recorder();
        FakeStream t = started(p);
        Recorder q = new Recorder();
        FakeStream u = started(q);
        t.transport().abortConnection();
        assertTrue(p.lost.isEmpty());
        t.reactorShutdown(new ConnectionLost("shutdown"));
        u.reactorShutdown(new ConnectionLost("shutdown"));
        assertInstanceOf(ConnectionAborted.class, p.lost.get(0));
        assertInstanceOf(ConnectionLost.class, q.lost.get(0));
        reactor.iterate(0);
        assertEquals(1, p.lost.size());
        assertEquals(0, reactor.openResourceCount());
    }

    @Test
    void rejectedConnectionIsClosedWithoutCallbacks() {
        FakeStream t = new FakeStream(reactor);
        t.reject();
        assertTrue(t.closed);
        t.read("x");
        assertNull(t.protocol());
    }

    @Test
    void aLossInsideACallIsDeliveredOnALaterPassAndOneFromTheLoopAtOnce() {
        Recorder p = new Recorder();
        FakeStream t = started(p);
        t.failNextSend = new java.io.IOException("broken pipe");
        t.transport().write(bytes("x"));
        assertTrue(t.insideCallWhenSending, "a backend hook is a call into the connection");
        assertTrue(t.closed, "closed at once");
        assertTrue(p.lost.isEmpty(), "connectionLost never inside the call that lost the connection");
        reactor.iterate(0);
        assertEquals(1, p.lost.size());
        assertInstanceOf(ConnectionLost.class, p.lost.get(0));

        Recorder q = new Recorder();
        FakeStream u = started(q);
        assertFalse(u.isInsideCall());
        u.fail(new java.io.IOException("reset"));
        assertEquals(1, q.lost.size(), "an event of the loop gives connectionLost at once");
    }

    @Test
    void socketOptionsStartWithNagleOffAndAreRememberedOnceLost() {
        FakeStream t = new FakeStream(reactor);
        t.noDelay = false;
        t.begin(new Recorder());
        assertTrue(t.noDelay, "TCP_NODELAY on at start");
        assertTrue(t.transport().getTcpNoDelay());
        t.transport().setTcpKeepAlive(true);
        assertTrue(t.keepAlive);
        assertTrue(t.transport().getTcpKeepAlive());
        t.transport().abortConnection();
        t.transport().setTcpNoDelay(false);
        assertTrue(t.noDelay, "a lost connection's socket is not touched");
        assertFalse(t.transport().getTcpNoDelay(), "the value set last is answered");
        assertTrue(t.transport().getTcpKeepAlive());
    }

    // ---------------------------------------------------------------- fixtures

    private FakeStream started(Protocol p) {
        FakeStream t = new FakeStream(reactor);
        t.begin(p);
        return t;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A reactor whose I/O wait returns at once, for passes driven with iterate(0). */
    static final class IdleReactor extends NoNetworkReactor {
        IdleReactor() {
            super("idle", ReactorConfig.fromEnvironment(), new IoPoller() {
                @Override
                public void poll(long timeoutNanos) {
                }

                @Override
                public void wakeUp() {
                }
            });
        }

        @Override
        public void onShutdown() {
        }
    }

    /** A byte pipe that records what the core asks of it. */
    static final class FakeStream extends StreamTransport {
        final List<byte[]> sent = new ArrayList<>();
        long buffered;
        int drainRequests;
        boolean reading;
        boolean outputShut;
        boolean closed;
        boolean aborted;
        boolean noDelay;
        boolean keepAlive;
        Throwable failNextSend;
        boolean insideCallWhenSending;

        FakeStream(ReactorBase reactor) {
            super(reactor);
        }

        void begin(Protocol p) {
            start(p);
        }

        void read(String s) {
            bytesReceived(bytes(s));
        }

        void eof() {
            endOfStream();
        }

        void drain() {
            writeDrained();
        }

        void fail(Throwable t) {
            connectionFailed(t);
        }

        StreamTransport transport() {
            return this;
        }

        List<String> sentStrings() {
            List<String> r = new ArrayList<>();
            for (byte[] b : sent) {
                r.add(new String(b, StandardCharsets.US_ASCII));
            }
            return r;
        }

        @Override
        protected void sendBytes(byte[] data) {
            insideCallWhenSending = isInsideCall();
            if (failNextSend != null) {
                Throwable e = failNextSend;
                failNextSend = null;
                connectionFailed(e);
                return;
            }
            sent.add(data);
        }

        @Override
        protected long bufferedBytes() {
            return buffered;
        }

        @Override
        protected void awaitDrain() {
            drainRequests++;
        }

        @Override
        protected void setReading(boolean reading) {
            this.reading = reading;
        }

        @Override
        protected void shutdownOutput() {
            outputShut = true;
        }

        @Override
        protected void closeChannel(boolean abort) {
            closed = true;
            aborted = abort;
        }

        @Override
        public InetSocketAddress getPeer() {
            return new InetSocketAddress("127.0.0.1", 2);
        }

        @Override
        public InetSocketAddress getHost() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        protected void setSocketOption(SocketOption<Boolean> option, boolean value) {
            if (option == StandardSocketOptions.TCP_NODELAY) {
                noDelay = value;
            } else {
                keepAlive = value;
            }
        }

        @Override
        protected boolean socketOption(SocketOption<Boolean> option, boolean remembered) {
            return option == StandardSocketOptions.TCP_NODELAY ? noDelay : keepAlive;
        }
    }

    /** Records every callback. */
    static class Recorder extends Protocol {
        final List<String> events = new ArrayList<>();
        final List<Throwable> lost = new ArrayList<>();

        @Override
        public void connectionMade() {
            events.add("made");
        }

        @Override
        public void dataReceived(byte[] data) {
            events.add("data:" + new String(data, StandardCharsets.US_ASCII));
        }

        @Override
        public void connectionLost(Throwable reason) {
            lost.add(reason);
        }
    }

    static final class HalfCloser extends Recorder implements HalfCloseableProtocol {
        @Override
        public void readConnectionLost() {
            events.add("readConnectionLost");
        }

        @Override
        public void writeConnectionLost() {
            events.add("writeConnectionLost");
        }

        @Override
        public void connectionLost(Throwable reason) {
            super.connectionLost(reason);
            events.add("lost:" + reason.getClass().getSimpleName());
        }
    }

    static final class Push implements PushProducer {
        final List<String> calls = new ArrayList<>();

        @Override
        public void pauseProducing() {
            calls.add("pause");
        }

        @Override
        public void resumeProducing() {
            calls.add("resume");
        }

        @Override
        public void stopProducing() {
            calls.add("stop");
        }
    }

    static final class Pull implements PullProducer {
        final FakeStream t;
        int resumes;

        Pull(FakeStream t) {
            this.t = t;
        }

        @Override
        public void resumeProducing() {
            resumes++;
            t.write(bytes("chunk"));
        }

        @Override
        public void stopProducing() {
        }
    }
}
