package dev.weft.compat;

import static dev.weft.compat.net.Net.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.UdpRecorder;
import dev.weft.protocol.DatagramTransport;
import dev.weft.protocol.InvalidAddressException;
import dev.weft.reactor.Reactor;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** listenUDP: start and stop, datagrams with their sender, connected mode and refusals, bad addresses and sizes. */
final class UdpContractTest {
    private static final int MAX_PACKET = 8192;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static DatagramTransport listen(Net net, UdpRecorder p) throws Exception {
        Reactor r = net.reactor();
        return net.call(() -> r.listenUDP(0, p, LOOPBACK, MAX_PACKET));
    }

    @ContractTest
    void listenUDPStartsTheProtocolOnceWithItsTransport(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            UdpRecorder p = new UdpRecorder(net, "udp");
            DatagramTransport port = listen(net, p);
            net.passes(3);
            assertEquals(1, p.starts(), "startProtocol must run once; " + p.describe());
            assertSame(port, p.transportAtStart(), "the transport must be set when startProtocol runs, to the port "
                    + "listenUDP returned");
            assertTrue(port.getHost().getPort() > 0, "getHost() must give the port picked, was " + port.getHost());
            assertEquals(LOOPBACK, port.getHost().getAddress().getHostAddress(), "getHost() must give the interface");
        }
    }

    @ContractTest
    void datagramsRoundTripWithTheSenderAddress(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            UdpRecorder a = new UdpRecorder(net, "A");
            UdpRecorder b = new UdpRecorder(net, "B").onDatagram((self, sender) ->
                    self.transport().write(ascii("pong"), sender));
            DatagramTransport portA = listen(net, a);
            DatagramTransport portB = listen(net, b);
            net.run(() -> portA.write(ascii("ping"), portB.getHost()));
            net.await("the reply to come back", () -> !a.texts().isEmpty(), () -> a.describe() + "; "
                    + b.describe());
            assertEquals(List.of("ping"), b.texts());
            assertEquals(List.of("pong"), a.texts());
            assertEquals(portA.getHost().getPort(), b.senders().get(0).getPort(), "datagramReceived must give the "
                    + "sender's address");
            assertEquals(LOOPBACK, b.senders().get(0).getAddress().getHostAddress());
            assertEquals(portB.getHost().getPort(), a.senders().get(0).getPort(), "datagramReceived must give the "
                    + "sender's address");
        }
    }

    @ContractTest
    void stopListeningStopsTheProtocolOnceAndFiresItsDeferred(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            UdpRecorder p = new UdpRecorder(net, "udp");
            DatagramTransport port = listen(net, p);
            int[] stopsWhenFired = {-1};
            net.run(() -> port.stopListening().addCallback(v -> {
                stopsWhenFired[0] = p.stops();
                net.poke();
                return v;
            }));
            net.await("stopListening's Deferred to fire", () -> stopsWhenFired[0] >= 0, p::describe);
            net.passes(3);
            assertEquals(1, p.stops(), "stopProtocol must run once; " + p.describe());
            assertEquals(1, stopsWhenFired[0], "stopProtocol must run before stopListening's Deferred fires");
        }
    }

    @ContractTest
    void connectedModeWritesToThePeerAndReceivesFromIt(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            UdpRecorder a = new UdpRecorder(net, "A (connected)");
            UdpRecorder b = new UdpRecorder(net, "B").onDatagram((self, sender) ->
                    self.transport().write(ascii("reply"), sender));
            DatagramTransport portA = listen(net, a);
            DatagramTransport portB = listen(net, b);
            net.run(() -> {
                portA.connect(LOOPBACK, portB.getHost().getPort());
                portA.write(ascii("connected hello"));
            });
            net.await("the reply to the connected port", () -> !a.texts().isEmpty(), () -> a.describe() + "; "
                    + b.describe());
            assertEquals(List.of("connected hello"), b.texts());
            assertEquals(portA.getHost().getPort(), b.senders().get(0).getPort());
            assertEquals(List.of("reply"), a.texts(), "a connected port must receive its peer's datagrams");
        }
    }

    @ContractTest
    void connectedModeReportsARefusalWithConnectionRefused(ReactorHarness h) throws Exception {
        int closed;
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress(LOOPBACK, 0));
            closed = ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            UdpRecorder a = new UdpRecorder(net, "A (connected to a closed port)");
            DatagramTransport port = listen(net, a);
            net.run(() -> port.connect(LOOPBACK, closed));
            // The ICMP "port unreachable" comes back at once on loopback; a backend may learn of it on the next
            // write or read, so send again each pass (at most 100 times) until the refusal is reported.
            List<Throwable> writeErrors = new ArrayList<>();
            int[] sent = {0};
            Runnable[] send = new Runnable[1];
            send[0] = () -> {
                if (a.refusals() > 0 || sent[0] >= 100) {
                    return;
                }
                sent[0]++;
                try {
                    port.write(ascii("anyone?"));
                } catch (RuntimeException e) {
                    writeErrors.add(e);
                    return;
                }
                r.callLater(0, send[0]);
            };
            r.callLater(0, send[0]);
            net.await("connectionRefused() after sending to a closed port in connected mode",
                    () -> a.refusals() > 0 || !writeErrors.isEmpty(),
                    () -> a.describe() + "; sent " + sent[0] + " datagrams");
            assertEquals(List.of(), writeErrors, "a refusal in connected mode must call connectionRefused(), not "
                    + "make write() throw");
            assertTrue(a.refusals() >= 1);
        }
    }

    @ContractTest
    void connectWithAHostNameThrowsInvalidAddress(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            DatagramTransport port = listen(net, new UdpRecorder(net, "udp"));
            assertThrows(InvalidAddressException.class, () -> net.run(() -> port.connect("localhost", 9)),
                    "connect() needs an IP address literal, not a host name");
        }
    }

    @ContractTest
    void writeToAnUnresolvedAddressThrowsInvalidAddress(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            DatagramTransport port = listen(net, new UdpRecorder(net, "udp"));
            assertThrows(InvalidAddressException.class, () -> net.run(() -> port.write(ascii("x"),
                    InetSocketAddress.createUnresolved("localhost", 9))), "write(data, unresolved address)");
        }
    }

    @ContractTest
    void listenUDPWithoutAnInterfaceBindsTheIPv4Wildcard(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            UdpRecorder wild = new UdpRecorder(net, "on the default interface");
            // The default interface is the point of this test: the port is stopped as soon as it was checked.
            DatagramTransport port = net.call(() -> r.listenUDP(0, wild));
            InetSocketAddress host = port.getHost();
            DatagramTransport sender = listen(net, new UdpRecorder(net, "sender"));
            net.run(() -> sender.write(ascii("to the wildcard"), new InetSocketAddress(LOOPBACK, host.getPort())));
            net.await("the datagram sent to 127.0.0.1", () -> !wild.texts().isEmpty(), wild::describe);
            net.run(port::stopListening);
            assertTrue(host.getAddress() instanceof Inet4Address && host.getAddress().isAnyLocalAddress(),
                    "listenUDP(port, protocol) must bind the IPv4 wildcard 0.0.0.0, as Twisted's interface '' does "
                    + "(IPv6 is asked for with \"::\"); getHost() was " + host);
        }
    }

    @ContractTest
    void listenUDPWithAHostNameThrowsInvalidAddressAtTheCall(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            UdpRecorder p = new UdpRecorder(net, "udp");
            Messages.assertNamesArgument(assertThrows(InvalidAddressException.class,
                    () -> net.call(() -> r.listenUDP(0, p, "localhost", MAX_PACKET)),
                    "listenUDP(0, p, \"localhost\", ...): UDP interfaces are IP literals"), "iface", "interface");
            net.passes(3);
            assertEquals(0, p.starts(), "a refused listenUDP must not start the protocol; " + p.describe());
        }
    }

    @ContractTest
    void writeOrConnectToTheOtherAddressFamilyThrowsInvalidAddressAtTheCall(ReactorHarness h) throws Exception {
        Net.assumeBindable("::1");
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            UdpRecorder v4 = new UdpRecorder(net, "IPv4 port");
            UdpRecorder v6 = new UdpRecorder(net, "IPv6 port");
            DatagramTransport port4 = listen(net, v4);
            DatagramTransport port6 = net.call(() -> r.listenUDP(0, v6, "::1", MAX_PACKET));
            InetSocketAddress to6 = port6.getHost();
            InetSocketAddress to4 = port4.getHost();
            Messages.assertNamesArgument(assertThrows(InvalidAddressException.class,
                    () -> net.run(() -> port4.write(ascii("x"), to6)), "an IPv4 port writing to " + to6),
                    "address", "IPv6");
            Messages.assertNamesArgument(assertThrows(InvalidAddressException.class,
                    () -> net.run(() -> port6.write(ascii("x"), to4)), "an IPv6 port writing to " + to4),
                    "address", "IPv4");
            assertThrows(InvalidAddressException.class, () -> net.run(() -> port4.connect("::1", to6.getPort())),
                    "connecting an IPv4 port to an IPv6 address");
            assertThrows(InvalidAddressException.class, () -> net.run(() -> port6.connect(LOOPBACK, to4.getPort())),
                    "connecting an IPv6 port to an IPv4 address");
            net.run(() -> {
                port4.write(ascii("still 4"), to4);
                port6.write(ascii("still 6"), to6);
            });
            net.await("each port to still send to its own family", () -> !v4.texts().isEmpty()
                    && !v6.texts().isEmpty(), () -> v4.describe() + "; " + v6.describe());
            assertEquals(List.of("still 4"), v4.texts(), "nothing of the refused writes may be sent");
            assertEquals(List.of("still 6"), v6.texts(), "nothing of the refused writes may be sent");
        }
    }

    @ContractTest
    void oversizedDatagramThrowsIllegalArgument(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            UdpRecorder b = new UdpRecorder(net, "B");
            DatagramTransport portA = listen(net, new UdpRecorder(net, "A"));
            DatagramTransport portB = listen(net, b);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.run(() -> portA.write(new byte[MAX_PACKET + 1], portB.getHost())),
                    "write() of a datagram longer than the port's maximum packet size (" + MAX_PACKET + ")");
            assertFalse(e instanceof InvalidAddressException, "the address is fine, the size is not: " + e);
            net.passes(3);
            assertEquals(List.of(), b.texts(), "nothing may be sent");
        }
    }

    @ContractTest
    void broadcastAllowedReadsBackWhatWasSet(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            DatagramTransport port = listen(net, new UdpRecorder(net, "udp"));
            boolean[] seen = net.call(() -> {
                port.setBroadcastAllowed(true);
                boolean on = port.getBroadcastAllowed();
                port.setBroadcastAllowed(false);
                return new boolean[] {on, port.getBroadcastAllowed()};
            });
            assertTrue(seen[0], "getBroadcastAllowed() after setBroadcastAllowed(true)");
            assertFalse(seen[1], "getBroadcastAllowed() after setBroadcastAllowed(false)");
        }
    }

    @ContractTest
    void listenUDPTakesTheInterfaceAloneAsTwistedsInterfaceKeyword(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            DatagramTransport port = net.call(() -> r.listenUDP(0, new UdpRecorder(net, "udp"), LOOPBACK));
            assertEquals(LOOPBACK, port.getHost().getAddress().getHostAddress(),
                    "listenUDP(port, p, iface) must bind iface, as Twisted's listenUDP(port, p, interface=...)");
        }
    }

    @ContractTest
    void listenUDPTakesTheMaxPacketSizeAlone(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            UdpRecorder p = new UdpRecorder(net, "udp");
            DatagramTransport port = net.call(() -> r.listenUDP(0, p, 16));
            assertEquals("0.0.0.0", port.getHost().getAddress().getHostAddress(),
                    "listenUDP(port, p, maxPacketSize) must bind the IPv4 wildcard, as listenUDP(port, p)");
            InetSocketAddress self = new InetSocketAddress(LOOPBACK, port.getHost().getPort());
            assertThrows(IllegalArgumentException.class, () -> net.call(() -> {
                port.write(new byte[17], self);
                return null;
            }), "a datagram over maxPacketSize 16 must be refused");
            Messages.assertNamesArgument(assertThrows(IllegalArgumentException.class,
                    () -> net.call(() -> r.listenUDP(0, new UdpRecorder(net, "bad"), 0)), "listenUDP(0, p, 0)"),
                    "maxPacketSize");
        }
    }
}
