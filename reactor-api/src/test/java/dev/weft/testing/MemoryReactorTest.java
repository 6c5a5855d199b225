package dev.weft.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectCancelledException;
import dev.weft.protocol.Connector;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.Factory;
import dev.weft.protocol.InvalidAddressException;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.NotConnectingException;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Phase;
import dev.weft.reactor.ReactorNotRunningException;
import dev.weft.reactor.ReactorTCP;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class MemoryReactorTest {

    static final class RecordingClientFactory extends ClientFactory {
        final List<String> events = new ArrayList<>();

        RecordingClientFactory() {
            super(() -> new Protocol() { });
        }

        @Override
        public void startedConnecting(Connector connector) {
            events.add("started");
        }

        @Override
        public void clientConnectionFailed(Connector connector, Throwable reason) {
            events.add("failed:" + reason.getClass().getSimpleName());
        }

        @Override
        public void clientConnectionLost(Connector connector, Throwable reason) {
            events.add("lost");
        }
    }

    @Test
    void listenTCPRecordsAndReturnsAPort() {
        MemoryReactor reactor = new MemoryReactor();
        Factory f = Factory.forProtocol(() -> new Protocol() { });
        ListeningPort port = reactor.listenTCP(8080, f);
        assertEquals(List.of(new MemoryReactor.TcpServer(8080, f, ReactorTCP.DEFAULT_BACKLOG, "")),
                reactor.tcpServers());
        assertEquals(8080, port.getHost().getPort());
        assertTrue(port.stopListening().isCalled());
        assertFalse(((MemoryListeningPort) port).isListening());
    }

    @Test
    void connectTCPCallsStartedConnectingAndNeverCompletes() {
        MemoryReactor reactor = new MemoryReactor();
        RecordingClientFactory f = new RecordingClientFactory();
        Connector c = reactor.connectTCP("example.com", 80, f);
        assertEquals(List.of("started"), f.events);
        MemoryReactor.TcpClient record = reactor.tcpClients().get(0);
        assertEquals("example.com", record.host());
        assertEquals(80, record.port());
        assertEquals(ReactorTCP.DEFAULT_CONNECT_TIMEOUT, record.timeoutSeconds());
        assertNull(record.bindAddress());
        assertSame(c, record.connector());
        assertEquals(InetSocketAddress.createUnresolved("example.com", 80), c.getDestination());
        assertEquals(MemoryConnector.State.CONNECTING, ((MemoryConnector) c).state());
    }

    @Test
    void connectorDrivesTheFactoryCallbacksInTwistedsOrder() {
        MemoryReactor reactor = new MemoryReactor();
        RecordingClientFactory f = new RecordingClientFactory();
        MemoryConnector c = (MemoryConnector) reactor.connectTCP("h", 1, f);
        c.stopConnecting();
        assertThrows(NotConnectingException.class, c::stopConnecting);
        c.connect();
        Protocol p = c.completeConnection(new StringTransport());
        assertSame(f, p.factory());
        c.loseConnection(new dev.weft.protocol.ConnectionDone("bye"));
        assertEquals(List.of("started", "failed:" + ConnectCancelledException.class.getSimpleName(), "started",
                "lost"), f.events);
    }

    @Test
    void rejectedClientConnectionLosesTheTransport() {
        MemoryReactor reactor = new MemoryReactor();
        MemoryConnector c = (MemoryConnector) reactor.connectTCP("h", 1, ClientFactory.forProtocol(() -> null));
        StringTransport t = new StringTransport();
        assertNull(c.completeConnection(t));
        assertTrue(t.isDisconnecting());
        assertEquals(MemoryConnector.State.DISCONNECTED, c.state());
    }

    @Test
    void sslCallsAreRecorded() throws Exception {
        MemoryReactor reactor = new MemoryReactor();
        SSLContext ctx = SSLContext.getDefault();
        reactor.listenSSL(443, Factory.forProtocol(() -> null), ctx);
        reactor.connectSSL("example.com", 443, new RecordingClientFactory(), ctx);
        assertEquals(443, reactor.sslServers().get(0).port());
        assertTrue(reactor.sslClients().get(0).verifyHostname());
        assertEquals(1, reactor.connectors().size());
    }

    @Test
    void listenUDPStartsTheProtocolAndRecordsDatagrams() {
        MemoryReactor reactor = new MemoryReactor();
        List<String> events = new ArrayList<>();
        DatagramProtocol p = new DatagramProtocol() {
            @Override
            public void startProtocol() {
                events.add("start");
                transport.write(new byte[] {1}, new InetSocketAddress("127.0.0.1", 9));
            }

            @Override
            public void stopProtocol() {
                events.add("stop");
            }
        };
        MemoryDatagramTransport t = (MemoryDatagramTransport) reactor.listenUDP(5353, p);
        assertEquals(List.of("start"), events);
        assertSame(t, p.transport());
        assertEquals(1, t.written().size());
        assertThrows(InvalidAddressException.class, () -> t.connect("example.com", 53));
        assertThrows(InvalidAddressException.class,
                () -> t.write(new byte[1], InetSocketAddress.createUnresolved("example.com", 53)));
        t.connect("127.0.0.1", 53);
        assertThrows(IllegalStateException.class, () -> t.write(new byte[1], new InetSocketAddress("127.0.0.1", 9)));
        t.write(new byte[] {2});
        assertEquals(new InetSocketAddress("127.0.0.1", 53), t.written().get(1).address());
        t.stopListening();
        assertEquals(List.of("start", "stop"), events);
        assertNull(p.transport());
        assertEquals(8192, reactor.udpServers().get(0).maxPacketSize());
    }

    @Test
    void lifecycleRunsTriggersAndRecordsStops() {
        MemoryReactor reactor = new MemoryReactor();
        List<String> events = new ArrayList<>();
        reactor.addSystemEventTrigger(Phase.BEFORE, "shutdown", () -> events.add("before-shutdown"));
        reactor.callWhenRunning(() -> events.add("running:" + reactor.isRunning()));
        assertThrows(ReactorNotRunningException.class, reactor::stop);
        reactor.run();
        assertTrue(reactor.hasRun());
        assertEquals(List.of("running:true"), events);
        reactor.callWhenRunning(() -> events.add("at once"));
        reactor.stop();
        assertTrue(reactor.hasStopped());
        assertFalse(reactor.isRunning());
        assertEquals(List.of("running:true", "at once", "before-shutdown"), events);
    }

    @Test
    void runUntilReturnsAFiredResultAndRefusesToWait() throws Exception {
        MemoryReactor reactor = new MemoryReactor();
        assertEquals("x", reactor.runUntil(Deferred.succeed("x")));
        assertThrows(IllegalStateException.class, () -> reactor.runUntil(new Deferred<String>()));
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        assertSame(boom, assertThrows(IllegalArgumentException.class,
                () -> reactor.runUntil(Deferred.fail(boom))));
    }

    @Test
    void memoryReactorClockMovesOnlyWhenAdvancedAndRunUntilFollowsDeadlines() throws Exception {
        MemoryReactorClock reactor = new MemoryReactorClock();
        List<Double> ran = new ArrayList<>();
        reactor.callLater(5, () -> ran.add(reactor.seconds()));
        reactor.iterate(0);
        assertTrue(ran.isEmpty());
        reactor.advance(5);
        assertEquals(List.of(5.0), ran);
        Deferred<String> d = new Deferred<>();
        reactor.callLater(10, () -> d.callback("done"));
        assertEquals("done", reactor.runUntil(d));
        assertEquals(15.0, reactor.seconds());
        assertThrows(IllegalStateException.class, () -> reactor.runUntil(new Deferred<>()));
    }

    @Test
    void argumentsAreChecked() {
        MemoryReactor reactor = new MemoryReactor();
        Factory f = Factory.forProtocol(() -> null);
        assertThrows(IllegalArgumentException.class, () -> reactor.listenTCP(70000, f));
        assertThrows(IllegalArgumentException.class, () -> reactor.listenTCP(1, f, 0, ""));
        assertThrows(NullPointerException.class, () -> reactor.listenTCP(1, null));
        assertThrows(IllegalArgumentException.class,
                () -> reactor.connectTCP("h", 0, new RecordingClientFactory()));
        assertInstanceOf(IllegalArgumentException.class, assertThrows(IllegalArgumentException.class,
                () -> reactor.connectTCP("h", 1, new RecordingClientFactory(), 0, null)));
    }

    @Test
    void openResourceCountCountsPortsNotStoppedAndConnectorsConnecting() {
        MemoryReactor reactor = new MemoryReactor();
        assertEquals(0, reactor.openResourceCount());
        ListeningPort tcp = reactor.listenTCP(80, Factory.forProtocol(() -> new Protocol() { }));
        ListeningPort ssl = reactor.listenSSL(443, Factory.forProtocol(() -> new Protocol() { }),
                TestCertificates.trustNothing(), 50, "");
        MemoryDatagramTransport udp = (MemoryDatagramTransport) reactor.listenUDP(53, new DatagramProtocol() {
            @Override
            public void datagramReceived(byte[] data, InetSocketAddress address) {
            }
        });
        Connector c = reactor.connectTCP("h", 1, new RecordingClientFactory());
        assertEquals(4, reactor.openResourceCount());
        tcp.stopListening();
        ssl.stopListening();
        udp.stopListening();
        c.stopConnecting();
        assertEquals(0, reactor.openResourceCount());
    }

    @Test
    void writeBufferSizeIsWhatWasWrittenAndNotTaken() {
        StringTransport t = new StringTransport();
        t.write(new byte[] {1, 2, 3});
        assertEquals(3, t.writeBufferSize());
        t.clear();
        assertEquals(0, t.writeBufferSize());
        IOPump<Protocol, Protocol> pump = IOPump.connect(new Protocol() { }, new Protocol() { });
        pump.client().transport().write(new byte[] {1, 2});
        assertEquals(2, pump.client().transport().writeBufferSize());
        pump.pump();
        assertEquals(0, pump.client().transport().writeBufferSize());
    }
}
