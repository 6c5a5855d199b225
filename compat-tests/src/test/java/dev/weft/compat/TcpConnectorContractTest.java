package dev.weft.compat;

import static dev.weft.compat.net.Net.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.weft.protocol.ConnectCancelledException;
import dev.weft.protocol.ConnectFailedException;
import dev.weft.protocol.ConnectTimeoutException;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.ConnectionRefusedException;
import dev.weft.protocol.Connector;
import dev.weft.protocol.InvalidAddressException;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.NotConnectingException;
import dev.weft.reactor.Reactor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/** connectTCP and ClientFactory: callback order, refusal, cancel, timeout, retry, addresses, bad arguments. */
final class TcpConnectorContractTest {
    private static final String UNRESOLVABLE = "no-such-host.invalid";

    @ContractTest
    void clientFactoryCallbacksComeInOrderWithOneConnector(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory server = RecordingFactory.recorders(net);
            ListeningPort port = net.listen(server);
            int number = port.getHost().getPort();
            Recorder client = new Recorder(net, "client").onMade(p -> p.transport().loseConnection());
            RecordingClientFactory f = RecordingClientFactory.of(net, client);
            Connector[] returned = new Connector[1];
            net.run(() -> returned[0] = r.connectTCP(LOOPBACK, number, f));
            net.await("clientConnectionLost", () -> !f.losses().isEmpty() || !f.failures().isEmpty(), f::describe);
            net.passes(3);
            assertEquals(List.of("startedConnecting", "buildProtocol", "made", "lost:ConnectionDone",
                    "clientConnectionLost:ConnectionDone"), f.events(), "the ClientFactory and protocol callbacks of a "
                    + "connection closed by the client, in order");
            assertSame(client.reason(), f.losses().get(0), "clientConnectionLost must get the reason given to the "
                    + "protocol's connectionLost");
            for (Connector c : f.connectors()) {
                assertSame(returned[0], c, "every ClientFactory callback must get the connector connectTCP returned");
            }
            assertEquals(number, f.addresses().get(0).getPort(), "buildProtocol must get the server's address, was "
                    + f.addresses().get(0));
            InetSocketAddress destination = net.call(() -> returned[0].getDestination());
            assertEquals(LOOPBACK, destination.getHostString(), "getDestination() must be the host asked for");
            assertEquals(number, destination.getPort(), "getDestination() must be the port asked for");
        }
    }

    @ContractTest
    void connectingToAClosedPortFailsWithConnectionRefused(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            int closed = Net.closedPort();
            RecordingClientFactory f = net.clientFactory("client");
            Connector[] returned = new Connector[1];
            net.run(() -> returned[0] = r.connectTCP(LOOPBACK, closed, f));
            net.await("clientConnectionFailed", f::settled, f::describe);
            net.passes(3);
            assertFailedOnce(f, ConnectionRefusedException.class, "a connect to a port nothing listens on");
            for (Connector c : f.connectors()) {
                assertSame(returned[0], c, "every ClientFactory callback must get the connector connectTCP returned");
            }
        }
    }

    @ContractTest
    void stopConnectingFailsTheAttemptWithConnectCancelled(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            ListeningPort port = net.listen(RecordingFactory.recorders(net));
            int number = port.getHost().getPort();
            RecordingClientFactory f = net.clientFactory("client");
            net.run(() -> r.connectTCP(LOOPBACK, number, f).stopConnecting());
            net.await("clientConnectionFailed after stopConnecting()", f::settled, f::describe);
            net.passes(5);
            assertFailedOnce(f, ConnectCancelledException.class, "an attempt stopped with stopConnecting()");
        }
    }

    @ContractTest
    void stopConnectingWhenConnectedThrowsNotConnecting(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            ListeningPort port = net.listen(RecordingFactory.recorders(net));
            int number = port.getHost().getPort();
            Recorder client = new Recorder(net, "client");
            RecordingClientFactory f = RecordingClientFactory.of(net, client);
            net.connect(f, client, () -> r.connectTCP(LOOPBACK, number, f));
            Connector connector = f.connectors().get(0);
            assertThrows(NotConnectingException.class, () -> net.run(connector::stopConnecting),
                    "stopConnecting() on a connector whose connection is made");
        }
    }

    @ContractTest
    void connectTimesOutWithConnectTimeoutException(ReactorHarness h) throws Exception {
        InetAddress loopback = InetAddress.getByName(LOOPBACK);
        List<Socket> held = new ArrayList<>();
        try (ServerSocket neverAccepts = new ServerSocket(0, 1, loopback); Net net = Net.open(h)) {
            InetSocketAddress target = new InetSocketAddress(loopback, neverAccepts.getLocalPort());
            // Fill the accept queue of a listening socket that never accepts: once it is full, Linux drops further
            // SYNs, so a connect hangs (until its SYN is retransmitted, after a second) instead of completing.
            boolean saturated = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            for (int i = 0; i < 200 && !saturated && System.nanoTime() < deadline; i++) {
                Socket s = new Socket();
                try {
                    s.connect(target, 200);
                    held.add(s);
                } catch (SocketTimeoutException e) {
                    saturated = true;
                    s.close();
                }
            }
            Assumptions.assumeTrue(saturated, "after " + held.size() + " connections to a listening socket with "
                    + "backlog 1 that never accepts, connects still complete on this machine: there is no "
                    + "loopback address whose connect hangs, so a connect timeout cannot be provoked here");

            Reactor r = net.reactor();
            RecordingClientFactory f = net.clientFactory("client");
            double[] times = {Double.NaN, Double.NaN};
            f.onFailed((c, reason) -> times[1] = r.seconds());
            net.run(() -> {
                times[0] = r.seconds();
                r.connectTCP(LOOPBACK, target.getPort(), f, 0.5, null);
            });
            net.await("clientConnectionFailed after the 0.5 s connect timeout", f::settled, f::describe);
            assertFailedOnce(f, ConnectTimeoutException.class, "a connect that does not complete within its timeout");
            double elapsed = times[1] - times[0];
            assertTrue(elapsed >= 0.45 && elapsed < 3, "the attempt must fail when its 0.5 s timeout passes, failed "
                    + "after " + elapsed + " s");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @ContractTest
    void connectorConnectFromClientConnectionFailedRetries(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            int number = Net.closedPort();
            RecordingFactory server = RecordingFactory.recorders(net);
            Recorder client = new Recorder(net, "client");
            List<Throwable> hookErrors = new ArrayList<>();
            boolean[] retried = {false};
            RecordingClientFactory f = RecordingClientFactory.of(net, client).onFailed((c, reason) -> {
                if (retried[0]) {
                    return;
                }
                retried[0] = true;
                try {
                    r.listenTCP(number, server, 50, LOOPBACK);
                    c.connect();
                } catch (RuntimeException e) {
                    hookErrors.add(e);
                }
            });
            Connector[] returned = new Connector[1];
            net.run(() -> returned[0] = r.connectTCP(LOOPBACK, number, f));
            net.await("the second attempt, made from clientConnectionFailed, to connect",
                    () -> client.madeCount() > 0 || f.failures().size() > 1 || !hookErrors.isEmpty(),
                    () -> f.describe() + "; errors in the hook " + hookErrors);
            if (!hookErrors.isEmpty()) {
                throw new AssertionError("listening again, or connector.connect() inside clientConnectionFailed, "
                        + "threw", hookErrors.get(0));
            }
            assertEquals(List.of("startedConnecting", "clientConnectionFailed:" + simpleName(f.failures().get(0)),
                    "startedConnecting", "buildProtocol", "made"), f.events(), "a refused attempt, then a retry "
                    + "with connector.connect() that succeeds");
            Reasons.assertOneOf("the first attempt's failure", f.failures().get(0),
                    ConnectionRefusedException.class);
            for (Connector c : f.connectors()) {
                assertSame(returned[0], c, "both attempts must use the connector connectTCP returned");
            }
            net.await("the server to accept the retried connection", () -> server.made(0), server::describe);
        }
    }

    @ContractTest
    void unresolvableHostFailsWithConnectFailedException(ReactorHarness h) throws Exception {
        assumeUnresolvableQuickly();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingClientFactory f = net.clientFactory("client");
            assertDoesNotThrow(() -> net.run(() -> r.connectTCP(UNRESOLVABLE, 80, f)), "connectTCP to a name that "
                    + "does not resolve must report it to clientConnectionFailed, not throw");
            net.await("clientConnectionFailed for " + UNRESOLVABLE, f::settled, f::describe);
            net.passes(3);
            assertFailedOnce(f, ConnectFailedException.class, "a connect to a name that does not resolve");
        }
    }

    /**
     * Skips unless {@value #UNRESOLVABLE} fails to resolve within 3 s here (the .invalid domain never resolves,
     * RFC 6761, but a resolver may be slow to say so). The JDK then caches the failure for 10 s, so a backend that
     * resolves with InetAddress gets its answer at once.
     */
    private static void assumeUnresolvableQuickly() throws InterruptedException {
        CompletableFuture<InetAddress> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getByName(UNRESOLVABLE);
            } catch (UnknownHostException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try {
            InetAddress a = lookup.get(3, TimeUnit.SECONDS);
            Assumptions.abort(UNRESOLVABLE + " resolves on this machine (to " + a + "): its resolver answers "
                    + "every name");
        } catch (TimeoutException e) {
            Assumptions.abort("the resolver of this machine takes more than 3 s to fail " + UNRESOLVABLE);
        } catch (ExecutionException e) {
            // expected: UnknownHostException
        }
    }

    @ContractTest
    void connectTCPRejectsBadArguments(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingClientFactory f = net.clientFactory("client");
            // 0 too: a port to connect to is 1 to 65535.
            for (int bad : new int[] {-1, 0, 65536}) {
                Messages.assertNamesArgument(assertThrows(IllegalArgumentException.class,
                        () -> net.call(() -> r.connectTCP(LOOPBACK, bad, f)), "connectTCP(host, " + bad + ", f)"),
                        "port");
            }
            Messages.assertNamesArgument(assertThrows(NullPointerException.class,
                    () -> net.call(() -> r.connectTCP(LOOPBACK, 80, null)), "connectTCP(host, 80, null)"),
                    "factory");
            Messages.assertNamesArgument(assertThrows(NullPointerException.class,
                    () -> net.call(() -> r.connectTCP(null, 80, f)), "connectTCP(null, 80, f)"), "host");
            for (double bad : new double[] {0, -1, Double.NaN}) {
                Messages.assertNamesArgument(assertThrows(IllegalArgumentException.class,
                        () -> net.call(() -> r.connectTCP(LOOPBACK, 80, f, bad, null)),
                        "connectTCP(host, 80, f, " + bad + ", null)"), "timeoutSeconds", "timeout");
            }
            net.passes(3);
            assertEquals(List.of(), f.events(), "a refused connectTCP must not call the factory");
        }
    }

    @ContractTest
    void hostAndPeerAddressesAgreeOnBothEnds(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            RecordingFactory server = RecordingFactory.recorders(net);
            ListeningPort port = net.listen(server);
            int number = port.getHost().getPort();
            Recorder client = net.connect(port);
            net.await("the server's connectionMade", () -> server.made(0), server::describe);
            Recorder accepted = server.server(0);
            InetSocketAddress[] a = net.call(() -> new InetSocketAddress[] {client.transport().getHost(),
                client.transport().getPeer(), accepted.transport().getHost(), accepted.transport().getPeer()});
            String seen = "client host " + a[0] + ", client peer " + a[1] + ", server host " + a[2] + ", server peer "
                    + a[3];
            for (InetSocketAddress each : a) {
                if (each == null || each.getAddress() == null
                        || !LOOPBACK.equals(each.getAddress().getHostAddress())) {
                    fail("every address of a loopback connection must be 127.0.0.1: " + seen);
                }
            }
            assertEquals(number, a[1].getPort(), "the client's peer must be the listening port: " + seen);
            assertEquals(number, a[2].getPort(), "the server's host must be the listening port: " + seen);
            assertEquals(a[0].getPort(), a[3].getPort(), "the server's peer must be the client's host: " + seen);
            assertEquals(a[0].getPort(), server.addresses().get(0).getPort(), "buildProtocol must get the client's "
                    + "address: " + seen + ", buildProtocol got " + server.addresses().get(0));
        }
    }

    /**
     * A listening socket that resets the connections waiting in its backlog (what a port out of file descriptors
     * does, Twisted's {@code test_closePeerOnEMFILE}): the client's connection was made (the kernel completed the
     * handshake) and then lost, even when the reset comes before the client's loop finished connecting. The reset is
     * sent from a timed call of the client's own reactor, as soon as the connection waits in the backlog, so that
     * where the backend has not finished the connect by then, it finds the connection reset.
     */
    @ContractTest
    void aConnectionResetWhileWaitingInTheBacklogIsMadeThenLost(ReactorHarness h) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(); Net net = Net.open(h)) {
            server.bind(new InetSocketAddress(LOOPBACK, 0), 8);
            server.configureBlocking(false);
            int number = ((InetSocketAddress) server.getLocalAddress()).getPort();
            Reactor r = net.reactor();
            Recorder client = new Recorder(net, "client");
            RecordingClientFactory f = RecordingClientFactory.of(net, client);
            List<String> resets = new ArrayList<>();
            int[] passes = {0};
            Runnable[] watch = new Runnable[1];
            watch[0] = () -> {
                SocketChannel waiting;
                try {
                    waiting = server.accept();
                    if (waiting != null) {
                        waiting.setOption(StandardSocketOptions.SO_LINGER, 0);
                        waiting.close();
                        resets.add("reset with the client " + (client.madeCount() > 0 ? "made" : "not made yet"));
                        net.poke();
                        return;
                    }
                } catch (IOException e) {
                    resets.add("accept failed: " + e);
                    return;
                }
                if (++passes[0] < 100_000) {
                    r.callLater(0, watch[0]);
                }
            };
            // Both in the same pass: the connector's attempt starts in a callLater(0) made by connectTCP, so the
            // watch, made after it, runs after it in the same pass, FIFO.
            net.run(() -> {
                r.connectTCP(LOOPBACK, number, f);
                r.callLater(0, watch[0]);
            });
            net.await("the client factory to settle after the reset", () -> !f.losses().isEmpty()
                    || !f.failures().isEmpty(), () -> f.describe() + "; " + resets);
            net.passes(3);
            assertEquals(List.of("startedConnecting", "buildProtocol", "made", "lost:ConnectionLost",
                    "clientConnectionLost:ConnectionLost"), f.events(), "a connection reset by the server after the "
                    + "handshake must be a connection made, then lost (" + resets + "), never a failed (let alone "
                    + "refused) connect; " + f.describe());
            Reasons.assertOneOf("the reason of the loss", f.losses().get(0), ConnectionLost.class);
        }
    }

    @ContractTest
    void connectingToAHostNameGivesThePeerAsTheLiteralAddressConnectedTo(ReactorHarness h) throws Exception {
        InetAddress localhost;
        try {
            localhost = InetAddress.getByName("localhost");
        } catch (UnknownHostException e) {
            localhost = null;
        }
        Assumptions.assumeTrue(localhost != null && LOOPBACK.equals(localhost.getHostAddress()),
                "localhost does not resolve to " + LOOPBACK + " first here (" + localhost + ")");
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory server = RecordingFactory.recorders(net);
            ListeningPort port = net.listen(server);
            int number = port.getHost().getPort();
            Recorder client = new Recorder(net, "client");
            RecordingClientFactory f = RecordingClientFactory.of(net, client);
            net.connect(f, client, () -> r.connectTCP("localhost", number, f));
            InetSocketAddress peer = net.call(() -> client.transport().getPeer());
            String seen = "getPeer() " + peer + ", buildProtocol got " + f.addresses().get(0);
            assertEquals(LOOPBACK, peer.getHostString(), "after connectTCP(\"localhost\", ...), getPeer() must hold "
                    + "the address connected to as a literal, not the host name: " + seen);
            assertEquals(LOOPBACK, peer.getAddress().getHostAddress(), seen);
            assertEquals(number, peer.getPort(), seen);
            assertEquals(LOOPBACK, f.addresses().get(0).getHostString(), "buildProtocol must get the literal "
                    + "address connected to: " + seen);
            InetSocketAddress destination = net.call(() -> f.connectors().get(0).getDestination());
            assertEquals("localhost", destination.getHostString(), "getDestination() stays the host asked for");
        }
    }

    @ContractTest
    void connectTCPRefusesABlankHostAndAnUnresolvedBindAddressAtTheCall(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingClientFactory f = net.clientFactory("client");
            for (String blank : new String[] {" ", "\t", "  \n"}) {
                Messages.assertNamesArgument(assertThrows(IllegalArgumentException.class,
                        () -> net.call(() -> r.connectTCP(blank, 80, f)),
                        "connectTCP(\"" + blank.replace("\n", "\\n").replace("\t", "\\t") + "\", 80, f)"), "host");
            }
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved(UNRESOLVABLE, 0);
            Messages.assertNamesArgument(assertThrows(InvalidAddressException.class,
                    () -> net.call(() -> r.connectTCP(LOOPBACK, 80, f, 5, unresolved)),
                    "connectTCP(host, 80, f, 5, an unresolved bind address)"), "bindAddress");
            net.passes(3);
            assertEquals(List.of(), f.events(), "a refused connectTCP must not call the factory");
        }
    }

    @ContractTest
    void bindAddressSetsTheClientsLocalAddress(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory server = RecordingFactory.recorders(net);
            ListeningPort port = net.listen(server);
            int number = port.getHost().getPort();
            int local = Net.closedPort();
            Recorder client = new Recorder(net, "client");
            RecordingClientFactory f = RecordingClientFactory.of(net, client);
            net.connect(f, client, () -> r.connectTCP(LOOPBACK, number, f, 5, new InetSocketAddress(LOOPBACK,
                    local)));
            net.await("the server's connectionMade", () -> server.made(0), server::describe);
            Recorder accepted = server.server(0);
            InetSocketAddress serverPeer = net.call(() -> accepted.transport().getPeer());
            InetSocketAddress clientHost = net.call(() -> client.transport().getHost());
            assertEquals(local, serverPeer.getPort(), "the server's getPeer() must show the port the client bound");
            assertEquals(local, clientHost.getPort(), "the client's getHost() must show the port it bound");
        }
    }

    private static void assertFailedOnce(RecordingClientFactory f, Class<? extends Throwable> type, String what) {
        List<String> events = f.events();
        if (events.size() != 2 || !events.get(0).equals("startedConnecting")
                || !events.get(1).startsWith("clientConnectionFailed:")) {
            fail(what + " must give startedConnecting then clientConnectionFailed, and nothing else; "
                    + f.describe());
        }
        Reasons.assertOneOf("the reason given to clientConnectionFailed for " + what, f.failures().get(0), type);
        assertTrue(f.protocols().isEmpty(), what + " must build no protocol; " + f.describe());
        Connector first = f.connectors().get(0);
        for (Connector c : f.connectors()) {
            assertSame(first, c, "every ClientFactory callback must get the same connector");
        }
    }

    private static String simpleName(Throwable t) {
        return t == null ? "null" : t.getClass().getSimpleName();
    }

    @ContractTest
    void connectTCPTakesTheTimeoutAloneAsTwistedsTimeoutKeyword(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            ListeningPort port = net.listen(RecordingFactory.recorders(net));
            int number = port.getHost().getPort();
            Recorder client = new Recorder(net, "client");
            RecordingClientFactory f = RecordingClientFactory.of(net, client);
            net.connect(f, client, () -> r.connectTCP(LOOPBACK, number, f, 5.0));
            assertEquals(number, net.call(() -> client.transport().getPeer()).getPort());
            Messages.assertNamesArgument(assertThrows(IllegalArgumentException.class,
                    () -> net.call(() -> r.connectTCP(LOOPBACK, number, f, 0.0)), "connectTCP(host, port, f, 0.0)"),
                    "timeoutSeconds", "timeout");
        }
    }

    @ContractTest
    void connectTCPTakesTheBindAddressAloneAsTwistedsBindAddressKeyword(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            ListeningPort port = net.listen(RecordingFactory.recorders(net));
            int number = port.getHost().getPort();
            int local = Net.closedPort();
            Recorder client = new Recorder(net, "client");
            RecordingClientFactory f = RecordingClientFactory.of(net, client);
            net.connect(f, client, () -> r.connectTCP(LOOPBACK, number, f, new InetSocketAddress(LOOPBACK, local)));
            assertEquals(local, net.call(() -> client.transport().getHost()).getPort(),
                    "connectTCP(host, port, f, bindAddress) must bind bindAddress before connecting");
        }
    }
}
