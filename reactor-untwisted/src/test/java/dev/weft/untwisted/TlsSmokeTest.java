package dev.weft.untwisted;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.TLSTransport;
import dev.weft.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Smoke tests of listenSSL/connectSSL on the untwisted backend (the TLS layer itself is the spi's). */
final class TlsSmokeTest {

    private static final double TIMEOUT = 5.0;

    private static TestCertificates certs;

    private final UntwistedReactor reactor = new UntwistedReactor();

    @BeforeAll
    static void makeCertificates() {
        certs = TestCertificates.selfSigned("weft-untwisted-test");
    }

    @AfterEach
    void shutDown() {
        Support.shutDown(reactor);
    }

    @Test
    void echoOverTlsWithTheHostNameVerified() throws Exception {
        ListeningPort port = reactor.listenSSL(0, Factory.forProtocol(TcpSmokeTest.Echo::new),
                certs.serverContext(), 50, "127.0.0.1");
        byte[] hello = "hello over TLS".getBytes(StandardCharsets.US_ASCII);
        TcpSmokeTest.Collector client = new TcpSmokeTest.Collector(hello, hello.length);
        reactor.connectSSL("localhost", port.getHost().getPort(), ClientFactory.forProtocol(() -> client),
                certs.clientContext());
        assertArrayEquals(hello, reactor.runUntil(client.received.addTimeout(TIMEOUT, reactor)));
        assertNotNull(((TLSTransport) client.transport()).getSession());
        client.transport().loseConnection();
        assertInstanceOf(ConnectionDone.class, reactor.runUntil(client.lost.addTimeout(TIMEOUT, reactor)));
    }

    @Test
    void anUntrustedServerEndsTheConnectionWithTheSslError() throws Exception {
        ListeningPort port = reactor.listenSSL(0, Factory.forProtocol(TcpSmokeTest.Echo::new),
                certs.serverContext(), 50, "127.0.0.1");
        TcpSmokeTest.Collector client = new TcpSmokeTest.Collector("secret".getBytes(StandardCharsets.US_ASCII), 1);
        reactor.connectSSL("127.0.0.1", port.getHost().getPort(), ClientFactory.forProtocol(() -> client),
                TestCertificates.trustNothing());
        Throwable reason = reactor.runUntil(client.lost.addTimeout(TIMEOUT, reactor));
        assertInstanceOf(ConnectionLost.class, reason);
        assertInstanceOf(SSLException.class, reason.getCause());
    }
}
