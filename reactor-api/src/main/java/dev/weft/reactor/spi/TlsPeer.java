package dev.weft.reactor.spi;

/**
 * Where the {@link TlsLayer} of a {@link StreamTransport} puts its output: ciphertext to the backend (counted as a
 * call into the connection, and followed by a new drain request while one is wanted: TLS may hold plaintext until
 * its handshake is done), plaintext to the reading half. Made only for connections that start TLS. Reactor thread.
 */
final class TlsPeer implements TlsLayer.Peer {

    private final StreamTransport t;

    TlsPeer(StreamTransport t) {
        this.t = t;
    }

    @Override
    public void sendCiphertext(byte[] data) {
        if (t.state.lost()) {
            return;
        }
        t.callsUnderWay++;
        try {
            t.sendBytes(data);
        } finally {
            t.callsUnderWay--;
        }
        if (t.drainRequested) {
            t.hookAwaitDrain();
        }
    }

    @Override
    public void plaintextReceived(byte[] data) {
        t.read.deliver(data);
    }
}
