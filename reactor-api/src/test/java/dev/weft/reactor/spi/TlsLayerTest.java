package dev.weft.reactor.spi;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsLayerTest {

    private static final String TLS13 = "TLSv1.3";
    private static final String TLS12 = "TLSv1.2";
    /** At most this many rounds of moving bytes in one pump (each round moves everything pending). */
    private static final int MAX_ROUNDS = 1_000;

    private static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() {
        certs = TestCertificates.selfSigned("weft-tls-test");
    }

    /** How the pump hands ciphertext to the receiving layer. */
    enum Split {
        /** Each array as the sender produced it. */
        AS_SENT,
        /** One byte per receive call. */
        ONE_BYTE,
        /** Everything pending, concatenated into one receive call. */
        ONE_CHUNK
    }

    /** One end: a layer and what it sent, received and threw. */
    static final class End implements TlsLayer.Peer {
        final String name;
        final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
        final ByteArrayOutputStream plaintext = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();
        final SSLEngine engine;
        TlsLayer layer;
        SSLException failure;
        int plaintextCalls;
        /** Called from plaintextReceived, after recording, to re-enter the layer. */
        java.util.function.Consumer<byte[]> onPlaintext = data -> { };

        End(String name, SSLEngine engine) {
            this.name = name;
            this.engine = engine;
            this.layer = new TlsLayer(engine, this);
        }

        @Override
        public void sendCiphertext(byte[] data) {
            assertTrue(data.length > 0, "empty ciphertext");
            outbox.addLast(data);
        }

        @Override
        public void plaintextReceived(byte[] data) {
            assertTrue(layer.handshakeDone(), name + ": plaintext before the handshake completed");
            assertFalse(layer.failed(), name + ": plaintext after a failure");
            assertTrue(data.length > 0, "empty plaintext");
            plaintextCalls++;
            plaintext.writeBytes(data);
            onPlaintext.accept(data);
        }

        String text() {
            return plaintext.toString(US_ASCII);
        }

        void write(String s) {
            try {
                layer.write(s.getBytes(US_ASCII));
            } catch (SSLException e) {
                throw new AssertionError(name + " failed to write", e);
            }
        }

        void receive(byte[] data) {
            try {
                layer.receive(data);
            } catch (SSLException e) {
                if (failure != null) {
                    fail(name + " threw twice: " + failure + ", then " + e);
                }
                failure = e;
            }
        }

        byte[] takeOutbox() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (!outbox.isEmpty()) {
                all.writeBytes(outbox.pollFirst());
            }
            return all.toByteArray();
        }
    }

    /** A client and a server layer connected in memory. */
    static final class Pair {
        final End client;
        final End server;

        Pair(End client, End server) {
            this.client = client;
            this.server = server;
        }

        void begin() {
            try {
                server.layer.begin();
                client.layer.begin();
            } catch (SSLException e) {
                throw new AssertionError("begin failed", e);
            }
        }

        /** Moves ciphertext both ways until neither side has anything to send; returns the number of rounds. */
        int pump(Split split) {
            for (int round = 1; round <= MAX_ROUNDS; round++) {
                boolean moved = move(client, server, split);
                moved |= move(server, client, split);
                if (!moved) {
                    return round;
                }
            }
            throw new AssertionError("still moving bytes after " + MAX_ROUNDS + " rounds");
        }

        int pump() {
            return pump(Split.AS_SENT);
        }

        void handshake() {
            begin();
            pump();
            assertNull(client.failure, "client failed");
            assertNull(server.failure, "server failed");
            assertTrue(client.layer.handshakeDone(), "client handshake not done");
            assertTrue(server.layer.handshakeDone(), "server handshake not done");
        }

        private static boolean move(End from, End to, Split split) {
            if (from.outbox.isEmpty()) {
                return false;
            }
            switch (split) {
                case ONE_CHUNK:
                    to.receive(from.takeOutbox());
                    break;
                case ONE_BYTE:
                    for (byte[] data = from.outbox.pollFirst(); data != null; data = from.outbox.pollFirst()) {
                        for (byte b : data) {
                            to.receive(new byte[] {b});
                        }
                    }
                    break;
                default:
                    for (byte[] data = from.outbox.pollFirst(); data != null; data = from.outbox.pollFirst()) {
                        to.receive(data);
                    }
            }
            return true;
        }
    }

    private static Pair pair(String protocol) {
        return pair(certs.clientContext(), "localhost", certs.serverContext(), protocol);
    }

    private static Pair pair(SSLContext clientContext, String expectedHost, SSLContext serverContext,
            String protocol) {
        SSLEngine clientEngine = clientContext.createSSLEngine(expectedHost, 8443);
        clientEngine.setUseClientMode(true);
        SSLParameters cp = clientEngine.getSSLParameters();
        cp.setEndpointIdentificationAlgorithm("HTTPS");
        cp.setProtocols(new String[] {protocol});
        clientEngine.setSSLParameters(cp);

        SSLEngine serverEngine = serverContext.createSSLEngine();
        serverEngine.setUseClientMode(false);
        SSLParameters sp = serverEngine.getSSLParameters();
        sp.setProtocols(new String[] {protocol});
        serverEngine.setSSLParameters(sp);

        return new Pair(new End("client", clientEngine), new End("server", serverEngine));
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] data = new byte[n];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static void assertNoPlaintext(End end) {
        assertEquals(0, end.plaintext.size(), end.name + " got plaintext");
        assertEquals(0, end.plaintextCalls, end.name + " got plaintext");
    }

    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void handshakeCompletesAndDataFlowsBothWays(String protocol) throws SSLException {
        Pair p = pair(protocol);
        assertFalse(p.client.layer.handshakeDone());
        assertNull(p.client.layer.session());
        assertNull(p.server.layer.session());

        p.handshake();

        assertEquals(protocol, p.client.layer.session().getProtocol());
        assertEquals(protocol, p.server.layer.session().getProtocol());
        assertEquals("CN=weft-tls-test", p.client.layer.session().getPeerPrincipal().getName());
        p.client.write("ping");
        p.pump();
        p.server.write("pong");
        p.pump();
        assertEquals("ping", p.server.text());
        assertEquals("pong", p.client.text());
        assertFalse(p.client.layer.inboundClosed());
        assertFalse(p.server.layer.inboundClosed());
        assertEquals(0, p.client.layer.pendingPlaintextBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void clientSendsClientHelloOnBeginAndServerWaits(String protocol) throws SSLException {
        Pair p = pair(protocol);
        p.server.layer.begin();
        assertTrue(p.server.outbox.isEmpty(), "a server speaks only when spoken to");
        p.client.layer.begin();
        assertEquals(1, p.client.outbox.size());
        assertEquals(0x16, p.client.outbox.peekFirst()[0], "a handshake record");
        p.client.layer.begin(); // a second begin does nothing
        assertEquals(1, p.client.outbox.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void writesBeforeTheHandshakeAreDeliveredAfterItInOrder(String protocol) {
        Pair p = pair(protocol);
        p.client.write("one,");
        p.server.write("uno,");
        p.begin();
        p.client.write("two,");
        p.server.write("dos,");
        assertEquals(8, p.client.layer.pendingPlaintextBytes());
        assertEquals(8, p.server.layer.pendingPlaintextBytes());
        p.client.write("three");
        p.server.write("tres");

        p.pump();

        assertEquals("one,two,three", p.server.text());
        assertEquals("uno,dos,tres", p.client.text());
        assertEquals(0, p.client.layer.pendingPlaintextBytes());
        assertEquals(0, p.server.layer.pendingPlaintextBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void ciphertextFedOneByteAtATime(String protocol) {
        Pair p = pair(protocol);
        p.client.write("early");
        p.begin();
        p.pump(Split.ONE_BYTE);
        assertTrue(p.client.layer.handshakeDone());
        assertTrue(p.server.layer.handshakeDone());
        p.server.write("hello, byte by byte");
        p.client.write(" and late");
        p.pump(Split.ONE_BYTE);
        assertNull(p.client.failure);
        assertNull(p.server.failure);
        assertEquals("early and late", p.server.text());
        assertEquals("hello, byte by byte", p.client.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void ciphertextFedInOneBigChunk(String protocol) {
        Pair p = pair(protocol);
        p.client.write("queued before the handshake");
        p.server.write("the server's too");
        p.begin();
        p.pump(Split.ONE_CHUNK);
        assertTrue(p.server.layer.handshakeDone());
        for (int i = 0; i < 50; i++) {
            p.client.write("record " + i + ";");
        }
        byte[] records = p.client.takeOutbox();
        p.server.receive(records); // fifty records in one call
        p.pump(Split.ONE_CHUNK);
        StringBuilder expected = new StringBuilder("queued before the handshake");
        for (int i = 0; i < 50; i++) {
            expected.append("record ").append(i).append(';');
        }
        assertEquals(expected.toString(), p.server.text());
        assertEquals("the server's too", p.client.text());
    }

    @Test
    void partialRecordsAreKeptBetweenReceives() {
        Pair p = pair(TLS13);
        p.handshake();
        byte[] data = randomBytes(40_000, 7);
        try {
            p.client.layer.write(data);
        } catch (SSLException e) {
            throw new AssertionError(e);
        }
        byte[] wire = p.client.takeOutbox();
        Random random = new Random(11);
        int offset = 0;
        while (offset < wire.length) {
            int n = Math.min(wire.length - offset, 1 + random.nextInt(5_000));
            p.server.receive(Arrays.copyOfRange(wire, offset, offset + n));
            offset += n;
        }
        assertNull(p.server.failure);
        assertArrayEquals(data, p.server.plaintext.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void oneMebibyteEachWay(String protocol) throws SSLException {
        Pair p = pair(protocol);
        byte[] up = randomBytes(1 << 20, 1);
        byte[] down = randomBytes(1 << 20, 2);
        p.handshake();
        p.client.layer.write(up);
        // The server's answer in uneven pieces, to exercise coalescing and splitting.
        Random random = new Random(3);
        int offset = 0;
        while (offset < down.length) {
            int n = Math.min(down.length - offset, 1 + random.nextInt(70_000));
            p.server.layer.write(Arrays.copyOfRange(down, offset, offset + n));
            offset += n;
        }
        p.pump();
        assertNull(p.client.failure);
        assertNull(p.server.failure);
        assertArrayEquals(up, p.server.plaintext.toByteArray());
        assertArrayEquals(down, p.client.plaintext.toByteArray());
    }

    @Test
    void oneMebibyteInOneReceiveCall() throws SSLException {
        Pair p = pair(TLS13);
        byte[] up = randomBytes(1 << 20, 4);
        p.handshake();
        p.client.layer.write(up);
        p.pump(Split.ONE_CHUNK);
        assertNull(p.server.failure);
        assertArrayEquals(up, p.server.plaintext.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void untrustedServerCertificateFailsBothSidesWithTheAlert(String protocol) {
        Pair p = pair(TestCertificates.trustNothing(), "localhost", certs.serverContext(), protocol);
        p.client.write("secret from the client");
        p.server.write("secret from the server");
        p.begin();
        p.pump();

        assertInstanceOf(SSLHandshakeException.class, p.client.failure, "client: " + p.client.failure);
        assertNotNull(p.server.failure, "the server never heard of the failure");
        assertTrue(p.server.failure.getMessage().contains("certificate_unknown"),
                "the server should have received the client's alert, got: " + p.server.failure);
        assertNoPlaintext(p.client);
        assertNoPlaintext(p.server);
        assertFalse(p.client.layer.handshakeDone());
        assertTrue(p.client.layer.failed());
        assertTrue(p.server.layer.failed());
        assertEquals(0, p.client.layer.pendingPlaintextBytes(), "a failure drops queued writes");
    }

    @Test
    void aTrustManagerThatThrowsUncheckedFailsLikeAnSslException() throws Exception {
        SSLContext broken = SSLContext.getInstance("TLS");
        broken.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                throw new IllegalStateException("broken trust manager");
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                throw new IllegalStateException("broken trust manager");
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        Pair p = pair(broken, "localhost", certs.serverContext(), TLS13);
        p.client.write("secret");
        p.begin();
        p.pump();
        assertNotNull(p.client.failure, "the client did not fail");
        assertTrue(p.client.layer.failed());
        assertNotNull(p.server.failure, "the server received no alert: " + p.client.failure);
        assertNoPlaintext(p.server);
        assertNoPlaintext(p.client);
    }

    @Test
    void hostnameMismatchFailsTheClient() {
        Pair p = pair(certs.clientContext(), "other.example", certs.serverContext(), TLS13);
        p.client.write("for other.example only");
        p.begin();
        p.pump();
        assertInstanceOf(SSLHandshakeException.class, p.client.failure, "client: " + p.client.failure);
        assertTrue(String.valueOf(p.client.failure.getCause()).contains("other.example")
                || p.client.failure.getMessage().contains("other.example"), String.valueOf(p.client.failure));
        assertNotNull(p.server.failure, "the server should have received the client's alert");
        assertNoPlaintext(p.client);
        assertNoPlaintext(p.server);
    }

    @Test
    void garbageInsteadOfAClientHelloFailsTheServerAndAnswersWithAnAlert() throws SSLException {
        Pair p = pair(TLS13);
        p.server.layer.begin();
        SSLException e = assertThrows(SSLException.class,
                () -> p.server.layer.receive("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(US_ASCII)));
        assertNotNull(e.getMessage());
        assertTrue(p.server.layer.failed());
        byte[] alert = p.server.takeOutbox();
        assertTrue(alert.length > 0, "no alert was sent");
        assertEquals(0x15, alert[0], "an alert record");
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void closeNotifySetsInboundClosed(String protocol) throws SSLException {
        Pair p = pair(protocol);
        p.handshake();
        p.client.write("last words");
        p.client.layer.closeOutbound();
        p.client.write("ignored after close");
        p.pump();
        assertEquals("last words", p.server.text());
        assertTrue(p.server.layer.inboundClosed());
        assertFalse(p.client.layer.failed());
        assertFalse(p.server.layer.failed());
        p.server.layer.inputEnded();
        assertFalse(p.server.layer.truncated());
        // The server closes its own side too; the client sees that close_notify (TLS 1.2 answered it already).
        p.server.layer.closeOutbound();
        p.pump();
        assertTrue(p.client.layer.inboundClosed());
        assertEquals(0, p.client.layer.pendingPlaintextBytes());
    }

    @Test
    void dataAfterCloseNotifyIsIgnored() throws SSLException {
        Pair p = pair(TLS13);
        p.handshake();
        p.client.write("before");
        p.client.layer.closeOutbound();
        byte[] wire = p.client.takeOutbox();
        byte[] withTrailer = Arrays.copyOf(wire, wire.length + 5);
        System.arraycopy("junk!".getBytes(US_ASCII), 0, withTrailer, wire.length, 5);
        p.server.layer.receive(withTrailer);
        assertTrue(p.server.layer.inboundClosed());
        p.server.layer.receive("more junk".getBytes(US_ASCII));
        assertEquals("before", p.server.text());
        assertFalse(p.server.layer.failed());
    }

    @Test
    void tls13HalfCloseLetsTheOtherSideKeepWriting() throws SSLException {
        Pair p = pair(TLS13);
        p.handshake();
        p.client.layer.closeOutbound();
        p.pump();
        assertTrue(p.server.layer.inboundClosed());
        p.server.write("still talking");
        p.pump();
        assertEquals("still talking", p.client.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void closeOutboundFlushesQueuedWritesFirstAndIsIdempotent(String protocol) throws SSLException {
        Pair p = pair(protocol);
        p.begin();
        p.pump();
        // Writes made just before the close reach the server ahead of the close_notify.
        p.client.write("a");
        p.client.write("b");
        p.client.layer.closeOutbound();
        int sent = p.client.outbox.size();
        p.client.layer.closeOutbound();
        assertEquals(sent, p.client.outbox.size(), "a second closeOutbound sends nothing");
        p.pump();
        assertEquals("ab", p.server.text());
        assertTrue(p.server.layer.inboundClosed());
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void closeOutboundBeforeTheHandshakeDropsQueuedWrites(String protocol) throws SSLException {
        Pair p = pair(protocol);
        p.client.write("never sent");
        p.begin();
        p.client.layer.closeOutbound();
        assertEquals(0, p.client.layer.pendingPlaintextBytes());
        p.client.write("ignored");
        assertEquals(0, p.client.layer.pendingPlaintextBytes());
        p.pump();
        assertNoPlaintext(p.server);
        assertNoPlaintext(p.client);
        assertFalse(p.server.layer.handshakeDone());
        assertFalse(p.client.layer.handshakeDone());
    }

    @Test
    void inputEndedDuringTheHandshakeThrowsSslHandshakeException() throws SSLException {
        Pair p = pair(TLS13);
        p.begin();
        p.server.receive(p.client.takeOutbox()); // ClientHello in; the server answers
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> p.client.layer.inputEnded());
        assertEquals("connection closed during the TLS handshake", e.getMessage());
        assertTrue(p.client.layer.failed());
        p.client.layer.inputEnded(); // dead: a second call does nothing
        assertThrows(SSLHandshakeException.class, () -> p.server.layer.inputEnded());
    }

    @ParameterizedTest
    @ValueSource(strings = {TLS13, TLS12})
    void truncationIsDetected(String protocol) throws SSLException {
        Pair p = pair(protocol);
        p.handshake();
        p.client.write("cut short");
        p.pump();
        assertFalse(p.server.layer.truncated(), "not before the end of stream");
        p.server.layer.inputEnded();
        assertTrue(p.server.layer.truncated());
        assertFalse(p.server.layer.inboundClosed());
        assertFalse(p.server.layer.failed());
        assertEquals("cut short", p.server.text());
    }

    @Test
    void callsAfterFailureAreIgnored() throws SSLException {
        Pair p = pair(TestCertificates.trustNothing(), "localhost", certs.serverContext(), TLS13);
        p.begin();
        p.pump();
        assertNotNull(p.client.failure);
        assertNotNull(p.server.failure);
        End c = p.client;
        c.outbox.clear();

        c.layer.begin();
        c.layer.write("after".getBytes(US_ASCII));
        c.layer.receive(new byte[] {0x17, 3, 3, 0, 5, 1, 2, 3, 4, 5});
        c.layer.receive("garbage".getBytes(US_ASCII));
        c.layer.inputEnded();
        c.layer.closeOutbound();
        c.layer.closeOutbound();

        assertTrue(c.outbox.isEmpty(), "a dead layer sends nothing");
        assertEquals(0, c.layer.pendingPlaintextBytes());
        assertFalse(c.layer.truncated());
        assertFalse(c.layer.inboundClosed());
        assertNull(c.layer.session());
        assertNoPlaintext(c);
    }

    @Test
    void aCorruptedRecordFailsTheReceiverAfterTheHandshake() throws SSLException {
        Pair p = pair(TLS13);
        p.handshake();
        p.client.write("first");
        p.pump();
        p.client.write("second");
        byte[] wire = p.client.takeOutbox();
        wire[wire.length - 1] ^= 1; // breaks the record's authentication tag
        assertThrows(SSLException.class, () -> p.server.layer.receive(wire));
        assertEquals("first", p.server.text());
        assertTrue(p.server.layer.failed());
        assertFalse(p.server.outbox.isEmpty(), "the server's alert (bad_record_mac)");
        p.pump();
        assertNotNull(p.client.failure, "the client received the alert");
        assertEquals("first", p.server.text());
    }

    @Test
    void tls13KeyUpdateKeepsDataFlowing() throws SSLException {
        Pair p = pair(TLS13);
        p.handshake();
        // On an established TLS 1.3 connection, beginHandshake makes the JDK send a KeyUpdate (update_requested);
        // the client must answer it (NEED_WRAP while unwrapping).
        p.server.engine.beginHandshake();
        p.server.write("after key update");
        p.client.write("client data");
        p.pump();
        p.client.write(" and more");
        p.server.write(", again");
        p.pump();
        assertNull(p.client.failure);
        assertNull(p.server.failure);
        assertEquals("after key update, again", p.client.text());
        assertEquals("client data and more", p.server.text());
    }

    @Test
    void tls12RenegotiationKeepsDataFlowing() throws SSLException {
        Pair p = pair(TLS12);
        p.handshake();
        p.client.write("before;");
        p.pump();
        p.server.engine.beginHandshake(); // a HelloRequest: the client starts a new handshake
        p.server.layer.write("during;".getBytes(US_ASCII));
        p.client.write("during;");
        p.pump();
        p.client.write("after");
        p.server.write("after");
        p.pump();
        assertNull(p.client.failure);
        assertNull(p.server.failure);
        assertEquals("before;during;after", p.server.text());
        assertEquals("during;after", p.client.text());
    }

    @Test
    void aResumedTls12SessionWorks() {
        SSLContext client = certs.clientContext();
        SSLContext server = certs.serverContext();
        Pair first = pair(client, "localhost", server, TLS12);
        first.handshake();
        byte[] id = first.client.layer.session().getId();
        first.client.layer.closeOutbound();
        first.pump();

        Pair second = pair(client, "localhost", server, TLS12);
        second.client.write("resumed");
        second.handshake();
        second.pump();
        assertArrayEquals(id, second.client.layer.session().getId(), "the session was not resumed");
        assertEquals("resumed", second.server.text());
    }

    @Test
    void plaintextReceivedMayWriteAndCloseReentrantly() throws SSLException {
        Pair p = pair(TLS13);
        End server = p.server;
        server.onPlaintext = data -> {
            try {
                server.layer.write(("echo:" + new String(data, US_ASCII)).getBytes(US_ASCII));
                if (new String(data, US_ASCII).endsWith("bye")) {
                    server.layer.closeOutbound();
                }
            } catch (SSLException e) {
                throw new AssertionError(e);
            }
        };
        p.client.write("hello");
        p.handshake();
        p.pump();
        p.client.write("bye");
        p.pump();
        assertEquals("echo:helloecho:bye", p.client.text());
        assertTrue(p.client.layer.inboundClosed());
    }

    @Test
    void ciphertextReceivedReentrantlyIsProcessedInOrder() throws SSLException {
        Pair p = pair(TLS13);
        p.handshake();
        p.client.write("one");
        byte[] first = p.client.takeOutbox();
        p.client.write("two");
        byte[] second = p.client.takeOutbox();
        p.client.write("three");
        byte[] third = p.client.takeOutbox();
        boolean[] fed = {false};
        p.server.onPlaintext = data -> {
            if (!fed[0]) {
                fed[0] = true;
                try {
                    p.server.layer.receive(third); // arrives from inside the delivery of "one"
                } catch (SSLException e) {
                    throw new AssertionError(e);
                }
            }
        };
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        p.server.layer.receive(both);
        assertEquals("onetwothree", p.server.text());
    }

    @Test
    void smallWritesQueuedBeforeTheHandshakeShareRecords() {
        Pair p = pair(TLS13);
        for (int i = 0; i < 100; i++) {
            p.client.write("x");
        }
        p.begin();
        p.pump();
        assertEquals("x".repeat(100), p.server.text());
        assertEquals(1, p.server.plaintextCalls, "one record for a hundred queued one-byte writes");
    }
}
