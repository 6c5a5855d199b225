package dev.weft.untwisted;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.defer.DeferredList;
import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.ConnectionRefusedException;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Fast smoke tests of the untwisted TCP transports over 127.0.0.1; the contract is pinned by compat-tests. */
final class TcpSmokeTest {

    private static final double TIMEOUT = 5.0;

    private final UntwistedReactor reactor = new UntwistedReactor();

    @AfterEach
    void shutDown() {
        Support.shutDown(reactor);
    }

    /** Echoes what it reads. */
    static final class Echo extends Protocol {
        @Override
        public void dataReceived(byte[] data) {
            transport().write(data);
        }
    }

    /** Collects what it reads until {@code expected} bytes came, then fires {@code received}. */
    static final class Collector extends Protocol {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Deferred<byte[]> received = new Deferred<>();
        final Deferred<Throwable> lost = new Deferred<>();
        final int expected;
        final byte[] toSend;

        Collector(byte[] toSend, int expected) {
            this.toSend = toSend;
            this.expected = expected;
        }

        @Override
        public void connectionMade() {
            if (toSend.length > 0) {
                transport().write(toSend);
            }
        }

        @Override
        public void dataReceived(byte[] data) {
            bytes.write(data, 0, data.length);
            if (bytes.size() >= expected && !received.isCalled()) {
                received.callback(bytes.toByteArray());
            }
        }

        @Override
        public void connectionLost(Throwable reason) {
            lost.callback(reason);
        }
    }

    @Test
    void echoRoundTrip() throws Exception {
        ListeningPort port = reactor.listenTCP(0, Factory.forProtocol(Echo::new), 50, "127.0.0.1");
        byte[] hello = "hello, weft".getBytes(StandardCharsets.US_ASCII);
        Collector client = new Collector(hello, hello.length);
        reactor.connectTCP("127.0.0.1", port.getHost().getPort(), ClientFactory.forProtocol(() -> client));
        assertArrayEquals(hello, reactor.runUntil(client.received.addTimeout(TIMEOUT, reactor)));
        assertEquals(port.getHost().getPort(), client.transport().getPeer().getPort());
        assertTrue(client.transport().getTcpNoDelay(), "Nagle is off by default");
        assertTrue(reactor.getReaders().isEmpty(), "connections are not user descriptors");
        assertTrue(reactor.getWriters().isEmpty(), "connections are not user descriptors");

        client.transport().loseConnection();
        assertInstanceOf(ConnectionDone.class, reactor.runUntil(client.lost.addTimeout(TIMEOUT, reactor)));
        assertEquals(port.getHost().getPort(), client.transport().getPeer().getPort(), "the peer after close");
    }

    @Test
    void bigTransfersArriveWhole() throws Exception {
        ListeningPort port = reactor.listenTCP(0, Factory.forProtocol(Echo::new), 50, "127.0.0.1");
        byte[] big = new byte[3 * 1024 * 1024 + 7];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >>> 11));
        }
        Collector client = new Collector(big, big.length);
        reactor.connectTCP("127.0.0.1", port.getHost().getPort(), ClientFactory.forProtocol(() -> client));
        byte[] echoed = reactor.runUntil(client.received.addTimeout(TIMEOUT, reactor));
        assertEquals(big.length, echoed.length);
        assertTrue(Arrays.equals(big, echoed), "the echoed bytes differ");
    }

    @Test
    void manyConnectionsAtOnce() throws Exception {
        ListeningPort port = reactor.listenTCP(0, Factory.forProtocol(Echo::new), 300, "127.0.0.1");
        List<Deferred<byte[]>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] msg = ("client " + i).getBytes(StandardCharsets.US_ASCII);
            Collector c = new Collector(msg, msg.length);
            all.add(c.received);
            reactor.connectTCP("127.0.0.1", port.getHost().getPort(), ClientFactory.forProtocol(() -> c));
        }
        List<byte[]> echoed = reactor.runUntil(DeferredList.gatherResults(all).addTimeout(TIMEOUT, reactor));
        for (int i = 0; i < echoed.size(); i++) {
            assertEquals("client " + i, new String(echoed.get(i), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void abortGivesConnectionAbortedHereAndConnectionLostThere() throws Exception {
        Collector server = new Collector(new byte[0], 1);
        ListeningPort port = reactor.listenTCP(0, Factory.forProtocol(() -> server), 50, "127.0.0.1");
        Collector client = new Collector(new byte[] {1}, Integer.MAX_VALUE);
        reactor.connectTCP("127.0.0.1", port.getHost().getPort(), ClientFactory.forProtocol(() -> client));
        reactor.runUntil(server.received.addTimeout(TIMEOUT, reactor));
        client.transport().abortConnection();
        assertInstanceOf(ConnectionAborted.class, reactor.runUntil(client.lost.addTimeout(TIMEOUT, reactor)));
        assertInstanceOf(ConnectionLost.class, reactor.runUntil(server.lost.addTimeout(TIMEOUT, reactor)));
    }

    @Test
    void aHostNameIsResolvedAndTheBindAddressUsed() throws Exception {
        ListeningPort port = reactor.listenTCP(0, Factory.forProtocol(Echo::new), 50, "127.0.0.1");
        Collector client = new Collector(new byte[] {42}, 1);
        reactor.connectTCP("localhost", port.getHost().getPort(), ClientFactory.forProtocol(() -> client), TIMEOUT,
                new InetSocketAddress("127.0.0.1", 0));
        assertArrayEquals(new byte[] {42}, reactor.runUntil(client.received.addTimeout(TIMEOUT, reactor)));
        assertEquals(InetAddress.getByName("127.0.0.1"), client.transport().getHost().getAddress());
    }

    @Test
    void ipv6Loopback() throws Exception {
        ListeningPort port;
        try {
            port = reactor.listenTCP(0, Factory.forProtocol(Echo::new), 50, "::1");
        } catch (CannotListenException e) {
            Assumptions.abort("no IPv6 loopback here: " + e);
            return;
        }
        Collector client = new Collector(new byte[] {6}, 1);
        reactor.connectTCP("::1", port.getHost().getPort(), ClientFactory.forProtocol(() -> client));
        assertArrayEquals(new byte[] {6}, reactor.runUntil(client.received.addTimeout(TIMEOUT, reactor)));
        assertInstanceOf(Inet6Address.class, client.transport().getPeer().getAddress());
    }

    @Test
    void listeningOnAUsedPortFailsAtOnce() {
        ListeningPort port = reactor.listenTCP(0, Factory.forProtocol(Echo::new), 50, "127.0.0.1");
        int used = port.getHost().getPort();
        CannotListenException e = assertThrows(CannotListenException.class,
                () -> reactor.listenTCP(used, Factory.forProtocol(Echo::new), 50, "127.0.0.1"));
        assertEquals(used, e.address().getPort());
    }

    @Test
    void stopListeningReleasesThePortAtOnce() throws Exception {
        ListeningPort port = reactor.listenTCP(0, Factory.forProtocol(Echo::new), 50, "127.0.0.1");
        int p = port.getHost().getPort();
        Deferred<Void> stopped = port.stopListening();
        ListeningPort again = reactor.listenTCP(p, Factory.forProtocol(Echo::new), 50, "127.0.0.1");
        assertEquals(p, again.getHost().getPort());
        reactor.runUntil(stopped.addTimeout(TIMEOUT, reactor));
    }

    @Test
    void refusedConnectCallsClientConnectionFailed() throws Exception {
        ListeningPort port = reactor.listenTCP(0, Factory.forProtocol(Echo::new), 50, "127.0.0.1");
        int free = port.getHost().getPort();
        reactor.runUntil(port.stopListening());
        Deferred<Throwable> failed = new Deferred<>();
        reactor.connectTCP("127.0.0.1", free, new ClientFactory() {
            @Override
            public void clientConnectionFailed(Connector connector, Throwable reason) {
                failed.callback(reason);
            }
        });
        assertInstanceOf(ConnectionRefusedException.class, reactor.runUntil(failed.addTimeout(TIMEOUT, reactor)));
    }
}
