package dev.weft.reactor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectCancelledException;
import dev.weft.protocol.ConnectFailedException;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The life of the pending {@link ConnectionAttempt} of a {@link TcpConnector}, written once for every backend: one
 * at a time, cancelled when it fails or is stopped, and not heard from once it is not the current one.
 */
class TcpConnectorTest {

    private final StreamTransportTest.IdleReactor reactor = new StreamTransportTest.IdleReactor();
    private final List<FakeAttempt> attempts = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final ClientFactory factory = new ClientFactory() {
        @Override
        public Protocol buildProtocol(InetSocketAddress addr) {
            return new StreamTransportTest.Recorder();
        }

        @Override
        public void clientConnectionFailed(Connector connector, Throwable reason) {
            failures.add(reason);
        }
    };

    @AfterEach
    void shutDown() {
        reactor.onShutdown();
    }

    @Test
    void aFailedAttemptIsCancelledAndReported() {
        TcpConnector c = connector();
        c.connect();
        reactor.iterate(0);
        FakeAttempt a = attempts.get(0);
        assertEquals(new InetSocketAddress("127.0.0.1", 9), a.remote);
        a.fail(new IOException("no route"));
        assertTrue(a.cancelled, "the connector closes the failed attempt's socket");
        assertInstanceOf(ConnectFailedException.class, failures.get(0));
    }

    @Test
    void aStoppedAttemptIsCancelledAndItsLateConnectionClosed() {
        TcpConnector c = connector();
        c.connect();
        reactor.iterate(0);
        FakeAttempt first = attempts.get(0);
        c.stopConnecting();
        assertTrue(first.cancelled);
        assertInstanceOf(ConnectCancelledException.class, failures.get(0));
        c.connect();
        reactor.iterate(0);
        StreamTransportTest.FakeStream late = new StreamTransportTest.FakeStream(reactor);
        first.succeed(late);
        assertTrue(late.closed, "a connection of an attempt that is not current is closed");
        assertNull(late.protocol());
        first.fail(new IOException("late"));
        assertEquals(1, failures.size(), "nothing from an attempt that is not current");
        StreamTransportTest.FakeStream t = new StreamTransportTest.FakeStream(reactor);
        attempts.get(1).succeed(t);
        assertTrue(t.protocol() instanceof StreamTransportTest.Recorder, "the current attempt connects");
        t.reactorShutdown(new dev.weft.protocol.ConnectionLost("done"));
    }

    private TcpConnector connector() {
        return new TcpConnector(() -> {
            FakeAttempt a = new FakeAttempt();
            attempts.add(a);
            return a;
        }, reactor, "127.0.0.1", 9, factory, 30, null, null, false);
    }

    /** An attempt that records what the connector asks and reports what the test says. */
    static final class FakeAttempt extends ConnectionAttempt {
        java.net.SocketAddress remote;
        boolean cancelled;

        @Override
        protected void start(java.net.SocketAddress remote, InetSocketAddress bind) {
            this.remote = remote;
        }

        @Override
        protected void cancel() {
            cancelled = true;
        }

        void fail(Throwable cause) {
            failed(cause);
        }

        void succeed(StreamTransport t) {
            connected(t);
        }
    }
}
