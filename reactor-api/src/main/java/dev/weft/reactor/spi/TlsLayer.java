package dev.weft.reactor.spi;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/** Placeholder: replaced by the real layer from branch tls. */
final class TlsLayer {
    interface Peer {
        void sendCiphertext(byte[] data);

        void plaintextReceived(byte[] data);
    }

    TlsLayer(SSLEngine engine, Peer peer) {
    }

    void begin() throws SSLException {
    }

    void write(byte[] plaintext) throws SSLException {
    }

    void receive(byte[] ciphertext) throws SSLException {
    }

    void inputEnded() throws SSLException {
    }

    boolean inboundClosed() {
        return false;
    }

    boolean truncated() {
        return false;
    }

    void closeOutbound() {
    }

    long pendingPlaintextBytes() {
        return 0;
    }

    boolean handshakeDone() {
        return false;
    }

    SSLSession session() {
        return null;
    }
}
