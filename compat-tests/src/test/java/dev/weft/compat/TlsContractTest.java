package dev.weft.compat;

import static dev.weft.compat.net.Bytes.KIB;
import static dev.weft.compat.net.Net.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.net.Bytes;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.Reasons;
import dev.weft.compat.net.Recorder;
import dev.weft.compat.net.RecordingClientFactory;
import dev.weft.compat.net.RecordingFactory;
import dev.weft.compat.net.Tls;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectionClosedException;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.TLSTransport;
import dev.weft.protocol.Transport;
import dev.weft.protocol.basic.LineReceiver;
import dev.weft.reactor.Reactor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;

/**
 * TLS: listenSSL/connectSSL, certificate and host name checks, and startTLS on a plain connection. The certificate is
 * made at test time (see {@link Tls}); it names {@code localhost} and {@code 127.0.0.1}, not {@code 127.0.0.2}.
 */
final class TlsContractTest {
    private static final long SEED = 0x7157L;
    private static final Set<String> PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");
    /** A loopback address (on Linux, all of 127/8 is) that the test certificate does not name. */
    private static final String OTHER_LOOPBACK = "127.0.0.2";

    @BeforeAll
    static void makeTheCertificate() {
        Tls.warmUp(); // keytool takes about a second: not inside a test's time limit
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** What a side saw of TLS at some moment: the session, or why there was none. */
    static final class TlsView {
        SSLSession session;
        String problem;

        static TlsView of(Transport t) {
            TlsView v = new TlsView();
            if (t instanceof TLSTransport) {
                v.session = ((TLSTransport) t).getSession();
            } else {
                v.problem = "the transport " + (t == null ? null : t.getClass().getName()) + " is not a TLSTransport";
            }
            return v;
        }

        @Override
        public String toString() {
            return problem != null ? problem : session == null ? "no session" : session.getProtocol();
        }
    }

    private static void assertSession(String side, TlsView v) {
        if (v == null) {
            fail(side + ": no TLS view was recorded");
        }
        if (v.problem != null) {
            fail(side + ": " + v.problem);
        }
        assertNotNull(v.session, side + ": getSession() must not be null once data has arrived");
        assertTrue(PROTOCOLS.contains(v.session.getProtocol()), side + ": the session's protocol must be one of "
                + PROTOCOLS + ", was " + v.session.getProtocol());
    }

    private static Recorder tlsEchoClient(Net net, byte[] payload, TlsView[] atMade, TlsView[] atData) {
        Recorder client = new Recorder(net, "TLS client").keep(payload.length);
        client.onMade(p -> {
            atMade[0] = TlsView.of(p.transport());
            p.transport().write(payload);
        });
        client.onData((p, data) -> {
            if (p.received() == payload.length) {
                atData[0] = TlsView.of(p.transport());
                p.transport().loseConnection();
            }
        });
        return client;
    }

    private static RecordingFactory tlsEchoServer(Net net, TlsView[] atData) {
        return new RecordingFactory(net, i -> new Recorder(net, "TLS server #" + i).onData((p, data) -> {
            p.transport().write(data);
            if (atData[0] == null) {
                atData[0] = TlsView.of(p.transport());
            }
        }));
    }

    @ContractTest
    void tlsEchoRoundTripsAndExposesTheSession(ReactorHarness h) throws Exception {
        byte[] payload = Bytes.random(SEED, 4 * KIB);
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            TlsView[] serverAtData = new TlsView[1];
            RecordingFactory server = tlsEchoServer(net, serverAtData);
            ListeningPort port = net.call(() -> r.listenSSL(0, server, Tls.serverContext(), 50, LOOPBACK));
            int number = port.getHost().getPort();
            TlsView[] atMade = new TlsView[1];
            TlsView[] atData = new TlsView[1];
            Recorder client = tlsEchoClient(net, payload, atMade, atData);
            RecordingClientFactory f = RecordingClientFactory.of(net, client);
            SSLContext clientContext = Tls.clientContext();
            net.connect(f, client, () -> r.connectSSL("localhost", number, f, clientContext));
            net.await("the TLS echo and both ends to close", () -> client.isLost() && server.lost(0),
                    () -> client.describe() + "; " + server.describe());
            assertArrayEquals(payload, client.bytes(), "the client must get back what it wrote (written in "
                    + "connectionMade, so sent once the handshake is done); " + client.describe());
            assertEquals(payload.length, server.<Recorder>server(0).received());
            assertNull(atMade[0].problem, atMade[0].problem);
            assertNull(atMade[0].session, "the client's connectionMade must run when TCP connects, before the "
                    + "handshake is done (getSession() null there), was " + atMade[0]);
            assertSession("client", atData[0]);
            assertSession("server", serverAtData[0]);
            client.assertLostOnceWith(ConnectionDone.class);
            server.<Recorder>server(0).assertLostOnceWith(ConnectionClosedException.class);
        }
    }

    @ContractTest
    void startTLSOnAConnectionThatIsTlsAlreadyThrowsIllegalState(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory server = RecordingFactory.echo(net);
            ListeningPort port = net.call(() -> r.listenSSL(0, server, Tls.serverContext(), 50, LOOPBACK));
            int number = port.getHost().getPort();
            Recorder client = new Recorder(net, "TLS client");
            RecordingClientFactory f = RecordingClientFactory.of(net, client);
            SSLContext clientContext = Tls.clientContext();
            net.connect(f, client, () -> r.connectSSL("localhost", number, f, clientContext));
            Throwable thrown = net.call(() -> {
                try {
                    ((TLSTransport) client.transport()).startTLS(clientContext, true);
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            if (!(thrown instanceof IllegalStateException)) {
                fail("startTLS on a connectSSL connection must throw IllegalStateException (TLS was started "
                        + "already), threw " + Reasons.describe(thrown));
            }
        }
    }

    @ContractTest
    void untrustedCertificateEndsTheConnectionWithAnSSLException(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory server = new RecordingFactory(net, i -> new Recorder(net, "TLS server")
                    .onMade(p -> p.transport().write(ascii("greeting from the server"))));
            ListeningPort port = net.call(() -> r.listenSSL(0, server, Tls.serverContext(), 50, LOOPBACK));
            int number = port.getHost().getPort();
            Recorder client = new Recorder(net, "client that trusts nothing")
                    .onMade(p -> p.transport().write(ascii("hello from the client")));
            RecordingClientFactory f = RecordingClientFactory.of(net, client);
            SSLContext trustNothing = Tls.trustNothing();
            net.connect(f, client, () -> r.connectSSL("localhost", number, f, trustNothing));
            checkFailedHandshake(net, client, server);
        }
    }

    @ContractTest
    void hostnameIsVerifiedByDefault(ReactorHarness h) throws Exception {
        Net.assumeBindable(OTHER_LOOPBACK);
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            RecordingFactory server = new RecordingFactory(net, i -> new Recorder(net, "TLS server on "
                    + OTHER_LOOPBACK).onMade(p -> p.transport().write(ascii("greeting from the server"))));
            ListeningPort port = net.call(() -> r.listenSSL(0, server, Tls.serverContext(), 50, OTHER_LOOPBACK));
            int number = port.getHost().getPort();
            Recorder client = new Recorder(net, "client of " + OTHER_LOOPBACK + " (not in the certificate)")
                    .onMade(p -> p.transport().write(ascii("hello from the client")));
            RecordingClientFactory f = RecordingClientFactory.of(net, client);
            SSLContext clientContext = Tls.clientContext();
            net.connect(f, client, () -> r.connectSSL(OTHER_LOOPBACK, number, f, clientContext));
            checkFailedHandshake(net, client, server);
        }
    }

    private static void checkFailedHandshake(Net net, Recorder client, RecordingFactory server) throws Exception {
        // Done when both ends are closed, or as soon as data gets through (which the assertions below report).
        net.await("the failed handshake to end the connection on both ends", () -> client.isLost()
                && server.protocols().stream().allMatch(p -> ((Recorder) p).madeCount() == 0
                        || ((Recorder) p).isLost())
                || client.dataCalls() > 0
                || server.protocols().stream().anyMatch(p -> ((Recorder) p).dataCalls() > 0),
                () -> client.describe() + "; " + server.describe());
        net.passes(3);
        assertEquals(0, client.dataCalls(), "no data may be delivered when the handshake fails (the server wrote "
                + "a greeting in connectionMade); " + client.describe());
        for (Protocol p : server.protocols()) {
            assertEquals(0, ((Recorder) p).dataCalls(), "the server may not get data when the handshake fails "
                    + "(the client wrote in connectionMade); " + p);
        }
        client.assertLostOnceWith(ConnectionLost.class);
        Reasons.assertChainContains("the reason of a failed handshake", client.reason(), SSLException.class);
        for (Protocol p : server.protocols()) {
            Recorder s = (Recorder) p;
            if (s.madeCount() > 0) {
                s.assertLostOnceWith(ConnectionClosedException.class);
            }
        }
    }

    @ContractTest
    void hostnameVerificationCanBeTurnedOff(ReactorHarness h) throws Exception {
        Net.assumeBindable(OTHER_LOOPBACK);
        byte[] payload = Bytes.random(SEED + 1, 2 * KIB);
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            TlsView[] serverAtData = new TlsView[1];
            RecordingFactory server = tlsEchoServer(net, serverAtData);
            ListeningPort port = net.call(() -> r.listenSSL(0, server, Tls.serverContext(), 50, OTHER_LOOPBACK));
            int number = port.getHost().getPort();
            TlsView[] atMade = new TlsView[1];
            TlsView[] atData = new TlsView[1];
            Recorder client = tlsEchoClient(net, payload, atMade, atData);
            RecordingClientFactory f = RecordingClientFactory.of(net, client);
            SSLContext clientContext = Tls.clientContext();
            net.connect(f, client, () -> r.connectSSL(OTHER_LOOPBACK, number, f, clientContext, false, 5, null));
            net.await("the TLS echo without host name verification", client::isLost,
                    () -> client.describe() + "; " + server.describe());
            assertArrayEquals(payload, client.bytes(), "with verifyHostname false, a certificate that does not name "
                    + OTHER_LOOPBACK + " but is trusted must be accepted; " + client.describe());
            assertSession("client", atData[0]);
            client.assertLostOnceWith(ConnectionDone.class);
        }
    }

    /** What both ends of the startTLS test record. */
    static final class StartTlsLog {
        final List<String> serverLines = new ArrayList<>();
        final List<String> clientLines = new ArrayList<>();
        final List<Throwable> serverLost = new ArrayList<>();
        final List<Throwable> clientLost = new ArrayList<>();
        TlsView serverView;
        TlsView clientView;
        Throwable secondStartTls = new AssertionError("the second startTLS was not tried");

        String describe() {
            return "server lines " + serverLines + ", client lines " + clientLines + ", server connectionLost "
                    + reasons(serverLost) + ", client connectionLost " + reasons(clientLost) + ", server TLS "
                    + serverView + ", client TLS " + clientView;
        }

        private static List<String> reasons(List<Throwable> rs) {
            List<String> out = new ArrayList<>();
            rs.forEach(t -> out.add(Reasons.describe(t)));
            return out;
        }
    }

    /** Answers STARTTLS with GO, then starts TLS as the server; answers "ping" with "pong". */
    static final class StartTlsServer extends LineReceiver {
        private final StartTlsLog log;
        private final Net net;
        private final SSLContext context;

        StartTlsServer(StartTlsLog log, Net net, SSLContext context) {
            this.log = log;
            this.net = net;
            this.context = context;
        }

        @Override
        protected void lineReceived(byte[] line) {
            String text = new String(line, StandardCharsets.US_ASCII);
            log.serverLines.add(text);
            if (text.equals("STARTTLS")) {
                sendLine("GO");
                ((TLSTransport) transport).startTLS(context, false);
            } else if (text.equals("ping over TLS")) {
                log.serverView = TlsView.of(transport);
                sendLine("pong over TLS");
            }
            net.poke();
        }

        @Override
        public void connectionLost(Throwable reason) {
            log.serverLost.add(reason);
            net.poke();
        }
    }

    /** Sends STARTTLS, starts TLS as the client on GO, sends "ping", closes on "pong". */
    static final class StartTlsClient extends LineReceiver {
        private final StartTlsLog log;
        private final Net net;
        private final SSLContext context;

        StartTlsClient(StartTlsLog log, Net net, SSLContext context) {
            this.log = log;
            this.net = net;
            this.context = context;
        }

        @Override
        public void connectionMade() {
            sendLine("STARTTLS");
        }

        @Override
        protected void lineReceived(byte[] line) {
            String text = new String(line, StandardCharsets.US_ASCII);
            log.clientLines.add(text);
            if (text.equals("GO")) {
                ((TLSTransport) transport).startTLS(context, true);
                sendLine("ping over TLS");
            } else if (text.equals("pong over TLS")) {
                log.clientView = TlsView.of(transport);
                try {
                    ((TLSTransport) transport).startTLS(context, true);
                    log.secondStartTls = null;
                } catch (RuntimeException e) {
                    log.secondStartTls = e;
                }
                transport.loseConnection();
            }
            net.poke();
        }

        @Override
        public void connectionLost(Throwable reason) {
            log.clientLost.add(reason);
            net.poke();
        }
    }

    @ContractTest
    void startTLSUpgradesAPlainConnection(ReactorHarness h) throws Exception {
        StartTlsLog log = new StartTlsLog();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            SSLContext serverContext = Tls.serverContext();
            SSLContext clientContext = Tls.clientContext();
            ListeningPort port = net.call(() -> r.listenTCP(0, Factory.forProtocol(
                    () -> new StartTlsServer(log, net, serverContext)), 50, LOOPBACK));
            int number = port.getHost().getPort();
            net.run(() -> r.connectTCP(LOOPBACK, number, ClientFactory.forProtocol(
                    () -> new StartTlsClient(log, net, clientContext))));
            net.await("the exchange in the clear, the upgrade, the exchange over TLS and the close",
                    () -> !log.clientLost.isEmpty() && !log.serverLost.isEmpty(), log::describe);
            assertEquals(List.of("STARTTLS", "ping over TLS"), log.serverLines, "lines the server got; "
                    + log.describe());
            assertEquals(List.of("GO", "pong over TLS"), log.clientLines, "lines the client got; "
                    + log.describe());
            assertSession("server after startTLS", log.serverView);
            assertSession("client after startTLS", log.clientView);
            if (!(log.secondStartTls instanceof IllegalStateException)) {
                fail("a second startTLS on the same transport must throw IllegalStateException, threw "
                        + Reasons.describe(log.secondStartTls));
            }
            assertEquals(1, log.clientLost.size(), "client connectionLost once; " + log.describe());
            assertEquals(1, log.serverLost.size(), "server connectionLost once; " + log.describe());
            Reasons.assertOneOf("the client's connectionLost reason after its loseConnection", log.clientLost.get(0),
                    ConnectionDone.class);
        }
    }

    @ContractTest
    void listenAndConnectSSLTakeTwistedsKeywordArgumentsAsOverloads(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            TlsView[] serverAtData = new TlsView[1];
            RecordingFactory server = tlsEchoServer(net, serverAtData);
            ListeningPort port = net.call(() -> r.listenSSL(0, server, Tls.serverContext(), LOOPBACK));
            assertEquals(LOOPBACK, port.getHost().getAddress().getHostAddress(),
                    "listenSSL(port, f, context, iface) must bind iface");
            int number = port.getHost().getPort();
            byte[] payload = Bytes.random(SEED, 64);
            Recorder client = tlsEchoClient(net, payload, new TlsView[1], new TlsView[1]);
            RecordingClientFactory f = RecordingClientFactory.of(net, client);
            SSLContext clientContext = Tls.clientContext();
            int local = Net.closedPort();
            net.connect(f, client, () -> r.connectSSL("localhost", number, f, clientContext, 5.0,
                    new InetSocketAddress(LOOPBACK, local)));
            net.await("the TLS echo and both ends to close", () -> client.isLost() && server.lost(0),
                    () -> client.describe() + "; " + server.describe());
            assertArrayEquals(payload, client.bytes(), "connectSSL(host, port, f, context, timeout, bindAddress) "
                    + "must connect, verifying the host name as connectSSL(host, port, f, context); "
                    + client.describe());
            ListeningPort other = net.call(() -> r.listenSSL(0, server, Tls.serverContext(), 5));
            assertEquals("0.0.0.0", other.getHost().getAddress().getHostAddress(),
                    "listenSSL(port, f, context, backlog) must bind the IPv4 wildcard");
            net.run(other::stopListening);
            Messages.assertNamesArgument(assertThrows(IllegalArgumentException.class,
                    () -> net.call(() -> r.connectSSL("localhost", number, f, clientContext, 0.0)),
                    "connectSSL(host, port, f, context, 0.0)"), "timeoutSeconds", "timeout");
        }
    }
}
