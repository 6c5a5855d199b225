package dev.weft.untwisted;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.defer.Deferred;
import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fast smoke tests of the untwisted UDP port over 127.0.0.1. */
final class UdpSmokeTest {

    private static final double TIMEOUT = 5.0;

    private final UntwistedReactor reactor = new UntwistedReactor();

    @AfterEach
    void shutDown() {
        Support.shutDown(reactor);
    }

    /** Sends back what it gets. */
    static final class Echo extends DatagramProtocol {
        @Override
        public void datagramReceived(byte[] data, InetSocketAddress address) {
            transport().write(data, address);
        }
    }

    /** Fires on the first datagram, or on a refusal. */
    static final class Receiver extends DatagramProtocol {
        final Deferred<byte[]> received = new Deferred<>();
        final Deferred<Void> refused = new Deferred<>();

        @Override
        public void datagramReceived(byte[] data, InetSocketAddress address) {
            if (!received.isCalled()) {
                received.callback(data);
            }
        }

        @Override
        public void connectionRefused() {
            if (!refused.isCalled()) {
                refused.callback(null);
            }
        }
    }

    @Test
    void roundTrip() throws Exception {
        DatagramTransport echo = reactor.listenUDP(0, new Echo(), "127.0.0.1", 8192);
        Receiver r = new Receiver();
        DatagramTransport client = reactor.listenUDP(0, r, "127.0.0.1", 8192);
        byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
        client.write(ping, echo.getHost());
        assertArrayEquals(ping, reactor.runUntil(r.received.addTimeout(TIMEOUT, reactor)));
        assertEquals(0, reactor.getReaders().size(), "UDP ports are not user descriptors");
    }

    @Test
    void connectedModeReportsARefusal() throws Exception {
        DatagramTransport gone = reactor.listenUDP(0, new Echo(), "127.0.0.1", 8192);
        int port = gone.getHost().getPort();
        reactor.runUntil(gone.stopListening());
        Receiver r = new Receiver();
        DatagramTransport client = reactor.listenUDP(0, r, "127.0.0.1", 8192);
        client.connect("127.0.0.1", port);
        client.write(new byte[] {1});
        reactor.runUntil(r.refused.addTimeout(TIMEOUT, reactor));
    }

    @Test
    void bindingAUsedPortFailsAtOnce() {
        DatagramTransport used = reactor.listenUDP(0, new Echo(), "127.0.0.1", 8192);
        assertThrows(CannotListenException.class,
                () -> reactor.listenUDP(used.getHost().getPort(), new Echo(), "127.0.0.1", 8192));
    }
}
