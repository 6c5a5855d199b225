package dev.weft.compat;

import static dev.weft.compat.net.Net.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.Reasons;
import dev.weft.compat.net.Recorder;
import dev.weft.compat.net.RecordingClientFactory;
import dev.weft.compat.net.RecordingFactory;
import dev.weft.defer.Deferred;
import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.ConnectionRefusedException;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Reactor;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/** listenTCP: binding, the factory's start and stop, stopListening, rejected connections, bad arguments, IPv6. */
final class TcpListeningContractTest {

    @ContractTest
    void listenTCPBindsBeforeItReturnsAndReportsThePort(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory server = RecordingFactory.recorders(net);
            ListeningPort port = net.call(() -> {
                ListeningPort p = r.listenTCP(0, server, 50, LOOPBACK);
                // Still inside the callback, before the loop could do anything: a blocking connect completes (in
                // the kernel's accept queue) only if the port is bound and listening already.
                try (SocketChannel probe = SocketChannel.open()) {
                    probe.connect(new InetSocketAddress(LOOPBACK, p.getHost().getPort()));
                } catch (IOException e) {
                    throw new AssertionError("listenTCP returned before its port accepted connections: a blocking "
                            + "connect to " + p.getHost() + " right after it failed with " + e, e);
                }
                return p;
            });
            InetSocketAddress host = port.getHost();
            assertTrue(host.getPort() > 0, "getHost() after listenTCP(0, ...) must give the port picked, was "
                    + host);
            assertEquals(LOOPBACK, host.getAddress().getHostAddress(), "getHost() must give the interface bound");
        }
    }

    @ContractTest
    void listenTCPOnAPortInUseThrowsCannotListen(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory first = RecordingFactory.echo(net);
            ListeningPort port = net.listen(first);
            int number = port.getHost().getPort();
            RecordingFactory second = RecordingFactory.recorders(net);
            CannotListenException e = assertThrows(CannotListenException.class,
                    () -> net.call(() -> r.listenTCP(number, second, 50, LOOPBACK)),
                    "listenTCP on a port another listenTCP holds must throw CannotListenException at once");
            if (e.address() != null) {
                assertEquals(number, e.address().getPort(), "CannotListenException.address() must be the address "
                        + "that could not be bound");
            }
            assertEquals(0, second.numPorts(), "a listen that failed must leave its factory unused "
                    + "(doStart without doStop)");
            assertEquals(0, second.builds(), "a listen that failed must build no protocol");

            Recorder client = net.connect(port, new Recorder(net, "client"));
            net.run(() -> client.transport().write("still there".getBytes(StandardCharsets.US_ASCII)));
            net.await("the first port to echo", () -> client.received() == 11, client::describe);
            assertEquals("still there", client.text(), "the first port must keep working");
        }
    }

    @ContractTest
    void factoryStartsOnceForAllItsPortsAndStopsWithTheLast(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            RecordingFactory f = RecordingFactory.recorders(net);
            ListeningPort a = net.listen(f);
            ListeningPort b = net.listen(f);
            assertEquals(1, f.starts(), "startFactory must run once however many ports use the factory");
            assertEquals(2, f.numPorts(), "each port must call doStart()");
            assertEquals(0, f.stops(), "stopFactory must not run while ports listen");

            Thread loop = net.call(Thread::currentThread);
            int[] stopsWhenFired = {-1, -1};
            Thread[] firedOn = new Thread[2];
            Object[] results = {"not fired", "not fired"};
            stopAndRecord(net, a, 0, f, stopsWhenFired, firedOn, results);
            assertEquals(0, stopsWhenFired[0], "stopFactory must not run while another port still uses the factory");
            assertEquals(1, f.numPorts());
            stopAndRecord(net, b, 1, f, stopsWhenFired, firedOn, results);
            assertEquals(1, stopsWhenFired[1], "stopFactory must run when the last port stops, before "
                    + "stopListening's Deferred fires");
            assertEquals(1, f.stops(), "stopFactory must run once");
            assertSame(loop, firedOn[0], "stopListening's Deferred must fire on the reactor thread");
            assertSame(loop, firedOn[1], "stopListening's Deferred must fire on the reactor thread");
            assertNull(results[0], "stopListening's Deferred fires with null");
            assertNull(results[1], "stopListening's Deferred fires with null");
        }
    }

    private static void stopAndRecord(Net net, ListeningPort port, int i, RecordingFactory f, int[] stopsWhenFired,
            Thread[] firedOn, Object[] results) throws Exception {
        net.run(() -> port.stopListening().addCallback(v -> {
            stopsWhenFired[i] = f.stops();
            firedOn[i] = Thread.currentThread();
            results[i] = v;
            net.poke();
            return v;
        }));
        net.await("stopListening's Deferred to fire", () -> firedOn[i] != null, f::describe);
    }

    @ContractTest
    void stopListeningFailsWithTheExceptionStopFactoryThrew(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            IllegalStateException thrown = new IllegalStateException("stopFactory failed on purpose");
            RecordingFactory f = new RecordingFactory(net, i -> null) {
                @Override
                protected void stopFactory() {
                    super.stopFactory();
                    throw thrown;
                }
            };
            ListeningPort port = net.listen(f);
            Object[] outcome = {null};
            net.run(() -> port.stopListening().addCallbacks(v -> {
                outcome[0] = "succeeded with " + v;
                net.poke();
                return null;
            }, e -> {
                outcome[0] = e;
                net.poke();
                return null;
            }));
            net.await("stopListening's Deferred to fire", () -> outcome[0] != null, f::describe);
            assertSame(thrown, outcome[0], "when stopFactory throws, stopListening's Deferred must fail with that "
                    + "exception (Twisted's Port.connectionLost), was " + outcome[0]);
            assertEquals(1, f.stops(), "stopFactory must have run once");
        }
    }

    @ContractTest
    void listenTCPWithoutAnInterfaceBindsTheIPv4Wildcard(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory server = RecordingFactory.echo(net);
            // The default interface is the point of this test: the port is stopped as soon as it was checked.
            ListeningPort port = net.call(() -> r.listenTCP(0, server));
            InetSocketAddress host = port.getHost();
            Recorder client = net.connect(LOOPBACK, host.getPort(), new Recorder(net, "client over IPv4"));
            net.run(() -> client.transport().write("v4".getBytes(StandardCharsets.US_ASCII)));
            net.await("the echo", () -> client.received() == 2, client::describe);
            net.run(port::stopListening);
            assertTrue(host.getAddress() instanceof Inet4Address && host.getAddress().isAnyLocalAddress(),
                    "listenTCP(port, factory) must bind the IPv4 wildcard 0.0.0.0, as Twisted's interface '' "
                    + "does (IPv6 is asked for with \"::\"); getHost() was " + host);
            assertEquals("0.0.0.0", host.getAddress().getHostAddress());
        }
    }

    @ContractTest
    void listenTCPOnTheIPv6WildcardBindsIPv6(ReactorHarness h) throws Exception {
        Net.assumeBindable("::1");
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory server = RecordingFactory.echo(net);
            ListeningPort port = net.call(() -> r.listenTCP(0, server, 50, "::"));
            InetSocketAddress host = port.getHost();
            Recorder client = net.connect("::1", host.getPort(), new Recorder(net, "client over IPv6"));
            net.run(() -> client.transport().write("v6".getBytes(StandardCharsets.US_ASCII)));
            net.await("the echo", () -> client.received() == 2, client::describe);
            net.run(port::stopListening);
            assertTrue(host.getAddress() instanceof Inet6Address && host.getAddress().isAnyLocalAddress(),
                    "listenTCP(port, factory, backlog, \"::\") must bind the IPv6 wildcard; getHost() was " + host);
        }
    }

    @ContractTest
    void stopListeningRefusesNewConnectionsAndKeepsAcceptedOnes(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory server = RecordingFactory.echo(net);
            ListeningPort port = net.listen(server);
            int number = port.getHost().getPort();
            Recorder early = net.connect(port, new Recorder(net, "client accepted before stopListening"));
            net.await("the server to accept the first client", () -> server.made(0), server::describe);

            boolean[] fired = {false};
            net.run(() -> port.stopListening().addCallback(v -> fired[0] = true));
            net.await("stopListening's Deferred to fire", () -> fired[0], server::describe);

            RecordingClientFactory late = net.clientFactory("client after stopListening");
            net.run(() -> r.connectTCP(LOOPBACK, number, late));
            net.await("the connection attempt after stopListening to end", late::settled, late::describe);
            assertEquals(1, late.failures().size(), "a connect to a port that stopped listening must fail; "
                    + late.describe());
            Reasons.assertOneOf("the reason of a connect to a port that stopped listening",
                    late.failures().get(0), ConnectionRefusedException.class);
            assertTrue(late.protocols().isEmpty(), "no protocol for a refused connection; " + late.describe());

            net.run(() -> early.transport().write("still open".getBytes(StandardCharsets.US_ASCII)));
            net.await("the connection accepted before stopListening to echo", () -> early.received() == 10,
                    () -> early.describe() + "; " + server.describe());
            assertEquals("still open", early.text());
            assertFalse(early.isLost(), "stopListening must not close accepted connections; " + early.describe());
            assertFalse(server.lost(0), "stopListening must not close accepted connections; " + server.describe());
            assertEquals(1, server.builds(), "only the first connection reached the factory");
        }
    }

    @ContractTest
    void stopListeningAgainReturnsAFiredDeferred(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            RecordingFactory f = RecordingFactory.recorders(net);
            ListeningPort port = net.listen(f);
            AtomicReference<Deferred<Void>> first = new AtomicReference<>();
            boolean[] secondFiredAtOnce = {false};
            net.run(() -> {
                first.set(port.stopListening());
                secondFiredAtOnce[0] = port.stopListening().isCalled();
            });
            assertTrue(secondFiredAtOnce[0], "a second stopListening (while the first is under way) must return a"
                    + " Deferred that has fired");
            net.await("the first stopListening's Deferred to fire", () -> first.get().isCalled(), f::describe);
            boolean thirdFiredAtOnce = net.call(() -> port.stopListening().isCalled());
            assertTrue(thirdFiredAtOnce, "stopListening on a closed port must return a Deferred that has fired");
            net.passes(3);
            assertEquals(1, f.stops(), "stopFactory must run once however often stopListening is called");
            assertEquals(0, f.numPorts(), "doStop must balance doStart");
        }
    }

    @ContractTest
    void buildProtocolReturningNullClosesTheConnection(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            RecordingFactory rejecting = new RecordingFactory(net, i -> null);
            ListeningPort port = net.listen(rejecting);
            Recorder client = net.connect(port, new Recorder(net, "client"));
            net.await("the client to see the rejected connection close", client::isLost,
                    () -> client.describe() + "; " + rejecting.describe());
            client.assertLostOnceWith(ConnectionDone.class, ConnectionLost.class);
            assertFalse(client.reason() instanceof ConnectionAborted, "the client did not abort: "
                    + Reasons.describe(client.reason()));
            assertEquals(1, rejecting.builds(), "buildProtocol must have been asked once");
            assertEquals(0, client.received(), "nothing was written to the client");
        }
    }

    @ContractTest
    void listenTCPRejectsBadArguments(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory f = RecordingFactory.recorders(net);
            for (int bad : new int[] {-1, 65536}) {
                Messages.assertNamesArgument(assertThrows(IllegalArgumentException.class,
                        () -> net.call(() -> r.listenTCP(bad, f, 50, LOOPBACK)), "listenTCP(" + bad + ", ...)"),
                        "port");
            }
            Messages.assertNamesArgument(assertThrows(NullPointerException.class,
                    () -> net.call(() -> r.listenTCP(0, null, 50, LOOPBACK)), "listenTCP(0, null, ...)"),
                    "factory");
            Messages.assertNamesArgument(assertThrows(IllegalArgumentException.class,
                    () -> net.call(() -> r.listenTCP(0, f, 0, LOOPBACK)), "listenTCP(0, f, 0, ...)"), "backlog");
            Messages.assertNamesArgument(assertThrows(NullPointerException.class,
                    () -> net.call(() -> r.listenTCP(0, f, 50, null)), "listenTCP(0, f, 50, null)"),
                    "iface", "interface");
            assertEquals(0, f.numPorts(), "a refused listen must not start the factory");
        }
    }

    @ContractTest
    void listenAndConnectOnIPv6Loopback(ReactorHarness h) throws Exception {
        Net.assumeBindable("::1");
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory server = RecordingFactory.echo(net);
            ListeningPort port = net.call(() -> r.listenTCP(0, server, 50, "::1"));
            int number = port.getHost().getPort();
            assertTrue(port.getHost().getAddress() instanceof Inet6Address, "getHost() of a port on ::1 must be an "
                    + "IPv6 address, was " + port.getHost());
            Recorder client = net.connect("::1", number, new Recorder(net, "IPv6 client"));
            net.run(() -> client.transport().write("over IPv6".getBytes(StandardCharsets.US_ASCII)));
            net.await("the echo over IPv6", () -> client.received() == 9,
                    () -> client.describe() + "; " + server.describe());
            assertEquals("over IPv6", client.text());
            InetSocketAddress peer = net.call(() -> client.transport().getPeer());
            if (!(peer.getAddress() instanceof Inet6Address) || !peer.getAddress().isLoopbackAddress()
                    || peer.getPort() != number) {
                fail("the client's getPeer() must be [::1]:" + number + ", was " + peer);
            }
        }
    }

    @ContractTest
    void listenTCPTakesTheInterfaceAloneAsTwistedsInterfaceKeyword(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory server = RecordingFactory.echo(net);
            ListeningPort port = net.call(() -> r.listenTCP(0, server, LOOPBACK));
            assertEquals(LOOPBACK, port.getHost().getAddress().getHostAddress(),
                    "listenTCP(port, factory, iface) must bind iface, as Twisted's listenTCP(port, f, interface=...)");
            Recorder client = net.connect(port, new Recorder(net, "client"));
            net.run(() -> client.transport().write("hi".getBytes(StandardCharsets.US_ASCII)));
            net.await("the echo", () -> client.received() == 2, client::describe);
            Messages.assertNamesArgument(assertThrows(NullPointerException.class,
                    () -> net.call(() -> r.listenTCP(0, server, (String) null)), "listenTCP(0, f, null)"),
                    "iface", "interface");
        }
    }

    @ContractTest
    void listenTCPTakesTheBacklogAloneAndBindsTheIPv4Wildcard(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory server = RecordingFactory.echo(net);
            ListeningPort port = net.call(() -> r.listenTCP(0, server, 5));
            InetSocketAddress host = port.getHost();
            net.run(port::stopListening);
            assertEquals("0.0.0.0", host.getAddress().getHostAddress(),
                    "listenTCP(port, factory, backlog) must bind the IPv4 wildcard, as listenTCP(port, factory)");
            Messages.assertNamesArgument(assertThrows(IllegalArgumentException.class,
                    () -> net.call(() -> r.listenTCP(0, server, 0)), "listenTCP(0, f, 0)"), "backlog");
        }
    }
}
