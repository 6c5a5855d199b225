package dev.weft.compat;

import static dev.weft.compat.net.Net.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.Recorder;
import dev.weft.compat.net.RecordingFactory;
import dev.weft.compat.net.Tls;
import dev.weft.defer.CancelledException;
import dev.weft.defer.Deferred;
import dev.weft.endpoints.ClientEndpoint;
import dev.weft.endpoints.Endpoints;
import dev.weft.endpoints.HostnameEndpoint;
import dev.weft.endpoints.SSL4ClientEndpoint;
import dev.weft.endpoints.SSL4ServerEndpoint;
import dev.weft.endpoints.TCP4ClientEndpoint;
import dev.weft.endpoints.TCP6ClientEndpoint;
import dev.weft.endpoints.TCP6ServerEndpoint;
import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.ConnectCancelledException;
import dev.weft.protocol.ConnectionRefusedException;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endpoints over real sockets on every backend: {@code tcp:}, {@code tcp6:}, {@code ssl:} and {@code unix:} servers
 * and clients (from description strings and constructed), {@code HostnameEndpoint} falling back from an address that
 * refuses to one that answers, {@code connectProtocol}, listen failures in the Deferred, and cancel leaving no
 * socket open.
 */
final class EndpointContractTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void makeTheTestCertificates() {
        Tls.warmUp(); // keytool takes a while: not inside a test's watchdog
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Connects with {@code endpoint} (on the loop) and runs until it fires. */
    private static <P extends Protocol> P connect(ReactorHarness h, Net net, ClientEndpoint endpoint, P protocol)
            throws Exception {
        @SuppressWarnings("unchecked")
        Deferred<P>[] box = new Deferred[1];
        net.run(() -> box[0] = Endpoints.connectProtocol(endpoint, protocol));
        return h.runUntil(box[0]);
    }

    private static ListeningPort listen(ReactorHarness h, Net net, String description, Factory f) throws Exception {
        @SuppressWarnings("unchecked")
        Deferred<ListeningPort>[] box = new Deferred[1];
        net.run(() -> box[0] = Endpoints.serverFromString(net.reactor(), description).listen(f));
        return h.runUntil(box[0]);
    }

    private static void echo(Net net, Recorder client, String text) throws Exception {
        net.run(() -> client.transport().write(ascii(text)));
        net.await("the echo", () -> client.received() == text.length(), client::describe);
        assertEquals(text, client.text());
    }

    @ContractTest
    void tcpDescriptionsListenAndConnect(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            ListeningPort port = listen(h, net, "tcp:0:interface=127.0.0.1", RecordingFactory.echo(net));
            ClientEndpoint c = net.call(() -> Endpoints.clientFromString(net.reactor(), "tcp:host=127.0.0.1:port="
                    + port.getHost().getPort() + ":timeout=5"));
            Recorder client = connect(h, net, c, new Recorder(net, "client"));
            assertEquals(1, client.madeCount(), "fires after connectionMade");
            echo(net, client, "over tcp");
        }
    }

    @ContractTest
    void unixDescriptionsListenAndConnect(ReactorHarness h) throws Exception {
        String path = dir.resolve("ep.sock").toString();
        try (Net net = Net.open(h)) {
            ListeningPort port = listen(h, net, "unix:" + path + ":mode=600", RecordingFactory.echo(net));
            assertEquals(path, port.getHost().getHostString());
            Recorder client = connect(h, net, net.call(() -> Endpoints.clientFromString(net.reactor(), "unix:"
                    + path)), new Recorder(net, "client"));
            echo(net, client, "over unix");
        }
    }

    @ContractTest
    void sslEndpointsVerifyTheHostAndCarryData(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            @SuppressWarnings("unchecked")
            Deferred<ListeningPort>[] box = new Deferred[1];
            net.run(() -> box[0] = new SSL4ServerEndpoint(net.reactor(), 0, Tls.serverContext(), 50, LOOPBACK)
                    .listen(RecordingFactory.echo(net)));
            ListeningPort port = h.runUntil(box[0]);
            Recorder client = connect(h, net, new SSL4ClientEndpoint(net.reactor(), "localhost",
                    port.getHost().getPort(), Tls.clientContext()), new Recorder(net, "client"));
            echo(net, client, "over tls");
        }
    }

    @ContractTest
    void tcp6EndpointsOnTheIpv6Loopback(ReactorHarness h) throws Exception {
        Net.assumeBindable("::1");
        try (Net net = Net.open(h)) {
            @SuppressWarnings("unchecked")
            Deferred<ListeningPort>[] box = new Deferred[1];
            net.run(() -> box[0] = new TCP6ServerEndpoint(net.reactor(), 0, 50, "::1")
                    .listen(RecordingFactory.echo(net)));
            ListeningPort port = h.runUntil(box[0]);
            Recorder client = connect(h, net, new TCP6ClientEndpoint(net.reactor(), "::1", port.getHost().getPort()),
                    new Recorder(net, "client"));
            echo(net, client, "over ipv6");
        }
    }

    @ContractTest
    void hostnameEndpointFallsBackToTheAddressThatAnswers(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            // listening on 127.0.0.1 only: "localhost" may resolve to ::1 first, which refuses, then 127.0.0.1
            ListeningPort port = listen(h, net, "tcp:0:interface=127.0.0.1", RecordingFactory.echo(net));
            Recorder client = connect(h, net, new HostnameEndpoint(net.reactor(), "localhost",
                    port.getHost().getPort()), new Recorder(net, "client"));
            echo(net, client, "by name");
        }
    }

    @ContractTest
    void aRefusedConnectFailsTheDeferred(ReactorHarness h) throws Exception {
        int closed = Net.closedPort();
        try (Net net = Net.open(h)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> {
                try {
                    connect(h, net, new TCP4ClientEndpoint(net.reactor(), LOOPBACK, closed), new Recorder(net, "c"));
                } catch (ConnectionRefusedException refused) {
                    throw new ExecutionException(refused);
                }
            });
            assertInstanceOf(ConnectionRefusedException.class, e.getCause());
        }
    }

    @ContractTest
    void aListenThatCannotBindFailsTheDeferred(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            ListeningPort port = listen(h, net, "tcp:0:interface=127.0.0.1", RecordingFactory.echo(net));
            assertThrows(CannotListenException.class, () -> listen(h, net, "tcp:" + port.getHost().getPort()
                    + ":interface=127.0.0.1", RecordingFactory.echo(net)));
        }
    }

    @ContractTest
    void cancellingAConnectLeavesNoSocketOpen(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            ListeningPort port = listen(h, net, "tcp:0:interface=127.0.0.1", RecordingFactory.recorders(net));
            int before = net.call(() -> net.reactor().openResourceCount());
            Throwable[] failures = new Throwable[2];
            net.run(() -> {
                Deferred<Protocol> tcp = new TCP4ClientEndpoint(net.reactor(), LOOPBACK, port.getHost().getPort())
                        .connect(Factory.forProtocol(() -> new Recorder(net, "never")));
                Deferred<Protocol> byName = new HostnameEndpoint(net.reactor(), "localhost",
                        port.getHost().getPort()).connect(Factory.forProtocol(() -> new Recorder(net, "never")));
                tcp.cancel();
                byName.cancel();
                tcp.addErrback(e -> {
                    failures[0] = e;
                    return null;
                });
                byName.addErrback(e -> {
                    failures[1] = e;
                    return null;
                });
            });
            net.passes(5);
            assertInstanceOf(ConnectCancelledException.class, failures[0], "cancel stops the attempt");
            assertInstanceOf(CancelledException.class, failures[1], "cancel stops the resolution");
            assertEquals(before, net.call(() -> net.reactor().openResourceCount()), "no socket left open");
        }
    }

    @ContractTest
    void connectProtocolFiresWithTheSameProtocol(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            ListeningPort port = listen(h, net, "tcp:0:interface=127.0.0.1", RecordingFactory.echo(net));
            Recorder mine = new Recorder(net, "mine");
            assertSame(mine, connect(h, net, new TCP4ClientEndpoint(net.reactor(), LOOPBACK,
                    port.getHost().getPort()), mine));
        }
    }
}
