package dev.weft.reactor.spi;

import dev.weft.reactor.internal.Loggers;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;

/**
 * TLS over an {@link SSLEngine} for one connection, driven on the reactor thread; no I/O of its own (Twisted's
 * memory-BIO TLS). Both backends put it between a connection's bytes and its protocol: the connection feeds it what
 * the network delivered ({@link #receive}), the protocol's writes go through {@link #write}, and the layer hands its
 * results to a {@link Peer}: ciphertext for the network, plaintext for the protocol.
 *
 * <p><b>Life cycle.</b> {@link #begin()} starts the handshake (a client sends its ClientHello then). Writes made
 * before the handshake is done are queued and sent, in order, when it completes; no plaintext is delivered before
 * it completes. {@link #closeOutbound()} sends close_notify; a close_notify from the peer makes
 * {@link #inboundClosed()} true. {@link #inputEnded()} reports the network's end of stream.
 *
 * <p><b>Failure.</b> When the engine raises an {@link SSLException} (an untrusted certificate, a bad record, a
 * protocol error), the layer makes one more wrap so that the alert the engine produced reaches
 * {@link Peer#sendCiphertext}, then rethrows the exception. From then on the layer is dead: every call returns
 * without effect, and no plaintext is delivered.
 *
 * <p><b>Threading.</b> Not thread-safe: every method must be called on the reactor thread, and the peer's methods
 * are called on it, possibly from inside any method of this class. The peer may call back into the layer from
 * them (a protocol that answers in {@code dataReceived}, or closes): writes are queued behind writes in progress
 * and ciphertext received re-entrantly is processed after the bytes being processed, so order is kept.
 *
 * <p><b>Buffers.</b> The layer keeps four buffers sized from the engine's session (network in and out, about 17
 * KiB each; application in and out, about 16 KiB each), reuses them across calls and grows them only when the engine
 * asks. Ciphertext is fed to the engine at most one buffer's worth at a time, so a large {@code receive} does not
 * grow them. Small writes queued together are coalesced into full records. The only per-call allocations are the
 * arrays handed to the peer.
 */
final class TlsLayer {
    private static final Logger LOG = Loggers.get(TlsLayer.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /**
     * Where the layer's output goes. Both methods are called on the reactor thread, possibly from inside any
     * {@link TlsLayer} method. Each array is handed over: the layer keeps no reference to it.
     */
    interface Peer {

        /**
         * Bytes for the network, to be written in the order given.
         *
         * @param data ciphertext (handshake messages, records, alerts), never empty
         */
        void sendCiphertext(byte[] data);

        /**
         * Decrypted application data for the protocol, in order. Never called before the handshake completes nor
         * after a failure.
         *
         * @param data plaintext, never empty
         */
        void plaintextReceived(byte[] data);
    }

    private final SSLEngine engine;
    private final Peer peer;

    /** Ciphertext received and not yet unwrapped, in read mode (between position and limit). */
    private ByteBuffer netIn;
    /** Plaintext unwrapped and not yet delivered, in write mode. */
    private ByteBuffer appIn;
    /** Ciphertext wrapped and not yet sent, in write mode. */
    private ByteBuffer netOut;
    /** Plaintext taken from the queue and not yet wrapped, in write mode; made on the first flush. */
    private ByteBuffer appOut;

    /** Writes not yet copied into {@link #appOut}; the head's first {@link #headOffset} bytes were copied. */
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private int headOffset;
    private long queuedBytes;
    /** Ciphertext received from inside a peer callback during {@link #receive}; processed after the current bytes. */
    private final ArrayDeque<byte[]> reentrantInput = new ArrayDeque<>();

    private boolean begun;
    private boolean sawHandshaking;
    private boolean handshakeDone;
    private boolean dead;
    private boolean closeRequested;
    private boolean outboundDone;
    private boolean inboundClosed;
    private boolean inputEnded;
    private boolean truncated;
    private boolean receiving;
    private boolean flushing;

    /**
     * Makes the layer. It does not change the engine's configuration (client or server mode, protocols, endpoint
     * identification): the caller sets all of it before.
     *
     * @param engine a new engine, its handshake not begun, used by this layer only
     * @param peer   where ciphertext and plaintext go
     */
    TlsLayer(SSLEngine engine, Peer peer) {
        this.engine = engine;
        this.peer = peer;
        SSLSession initial = engine.getSession();
        netIn = ByteBuffer.allocate(initial.getPacketBufferSize());
        netIn.flip();
        netOut = ByteBuffer.allocate(initial.getPacketBufferSize());
        appIn = ByteBuffer.allocate(initial.getApplicationBufferSize());
    }

    /**
     * Starts the handshake ({@link SSLEngine#beginHandshake()}); a client sends its ClientHello through
     * {@link Peer#sendCiphertext} before this returns. Does nothing if the handshake was begun already (a
     * {@link #receive} before {@code begin} begins it), after {@link #closeOutbound()}, or after a failure. Reactor
     * thread only.
     *
     * @throws SSLException if the engine fails (the layer is then dead)
     */
    void begin() throws SSLException {
        if (dead || begun || closeRequested) {
            return;
        }
        try {
            start();
            pump();
        } catch (SSLException e) {
            throw fail(e);
        }
        emit();
    }

    /**
     * Sends application data: queued until the handshake is done, then wrapped into records and sent, in the order
     * of the calls. Ignored after {@link #closeOutbound()}, once the engine's outbound side is closed, or after a
     * failure. Reactor thread only.
     *
     * @param plaintext the data; the layer takes ownership of the array (the caller must not change it afterwards)
     * @throws SSLException if the engine fails (the layer is then dead)
     */
    void write(byte[] plaintext) throws SSLException {
        if (dead || closeRequested || outboundDone || plaintext.length == 0) {
            return;
        }
        queue.addLast(plaintext);
        queuedBytes += plaintext.length;
        if (!handshakeDone || flushing) {
            return; // sent when the handshake completes, or by the flush in progress
        }
        try {
            flush();
        } catch (SSLException e) {
            throw fail(e);
        }
        emit();
    }

    /**
     * Feeds bytes from the network, split anywhere: a partial record is kept for the next call, several records in
     * one call are all processed. Progresses the handshake (delegated tasks run inline, handshake replies are sent),
     * delivers plaintext once the handshake is done, and when it completes sends the queued writes. After the peer's
     * close_notify the rest is ignored. Ignored after {@link #inputEnded()} or a failure. Begins the handshake if
     * {@link #begin()} was not called. Reactor thread only; a call from inside a peer callback is processed after
     * the bytes of the call in progress.
     *
     * @param ciphertext the bytes; the layer keeps no reference to the array
     * @throws SSLException if the engine fails (a bad record, an untrusted certificate, a received fatal alert...);
     *                      the alert it produced is sent first, and the layer is then dead
     */
    void receive(byte[] ciphertext) throws SSLException {
        if (dead || inboundClosed || inputEnded) {
            return;
        }
        if (receiving) {
            reentrantInput.addLast(ciphertext);
            return;
        }
        receiving = true;
        try {
            if (!begun && !closeRequested) {
                start();
            }
            for (byte[] data = ciphertext; data != null; data = reentrantInput.pollFirst()) {
                int offset = 0;
                while (offset < data.length && !dead && !inboundClosed) {
                    offset += fill(data, offset);
                    pump();
                }
            }
            reentrantInput.clear();
            flush(); // writes held back while a renegotiation or key update was under way
        } catch (SSLException e) {
            throw fail(e);
        } finally {
            receiving = false;
        }
        emit();
    }

    /**
     * Reports the network's end of stream. If the handshake is not done, the layer dies and this throws. Otherwise
     * it records whether the peer's close_notify had arrived: {@link #truncated()} tells. Does nothing after a
     * failure or a first call. Reactor thread only.
     *
     * @throws SSLException an {@link SSLHandshakeException} "connection closed during the TLS handshake", if the
     *                      handshake is not done
     */
    void inputEnded() throws SSLException {
        if (dead || inputEnded) {
            return;
        }
        inputEnded = true;
        if (!handshakeDone) {
            die();
            throw new SSLHandshakeException("connection closed during the TLS handshake");
        }
        truncated = !inboundClosed;
    }

    /**
     * Whether the peer's close_notify was received; the caller then treats it as the end of the stream. Bytes
     * received after it are ignored. Reactor thread only.
     *
     * @return true once close_notify was received
     */
    boolean inboundClosed() {
        return inboundClosed;
    }

    /**
     * Whether the stream ended without the peer's close_notify (which may mean an attacker cut it short). Reactor
     * thread only.
     *
     * @return true after {@link #inputEnded()} if no close_notify had been received; false before it
     */
    boolean truncated() {
        return truncated;
    }

    /**
     * Sends close_notify: first the queued writes if the handshake is done (if it is not, queued writes are
     * dropped), then the alert. Later writes are ignored; receiving goes on (the peer may still send until its own
     * close_notify). Idempotent. Never throws an {@link SSLException}: a failure to wrap is logged at debug level and
     * leaves the layer dead. Exceptions thrown by the peer's own methods propagate. Reactor thread only.
     */
    void closeOutbound() {
        if (closeRequested) {
            return;
        }
        closeRequested = true;
        if (dead) {
            return;
        }
        try {
            if (handshakeDone) {
                flush();
            }
            dropQueued(); // not sendable: before the handshake, or stalled by a renegotiation
            engine.closeOutbound();
            for (int i = 0; i < 16 && !engine.isOutboundDone(); i++) {
                if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                    continue;
                }
                SSLEngineResult r = wrap(EMPTY);
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
            outboundDone = true;
        } catch (SSLException e) {
            LOG.debug("could not send the TLS close_notify", e);
            fail(e);
        }
        emit();
    }

    /**
     * How much written data waits to be wrapped: queued before the handshake completed, or held back while the
     * engine could not take it. Reactor thread only.
     *
     * @return the number of plaintext bytes given to {@link #write} and not yet wrapped
     */
    long pendingPlaintextBytes() {
        return queuedBytes + (appOut == null ? 0 : appOut.position());
    }

    /**
     * Whether the first handshake completed. Stays true afterwards (through a renegotiation, a close or a failure).
     * Reactor thread only.
     *
     * @return true once the handshake completed
     */
    boolean handshakeDone() {
        return handshakeDone;
    }

    /**
     * The TLS session, once the handshake is done. Reactor thread only.
     *
     * @return the engine's current session, or null until the handshake is done
     */
    SSLSession session() {
        return handshakeDone ? engine.getSession() : null;
    }

    /** Whether the layer failed (package-private, for the connection core and tests). */
    boolean failed() {
        return dead;
    }

    // ---------------------------------------------------------------------------------------------------------

    private void start() throws SSLException {
        begun = true;
        try {
            engine.beginHandshake();
        } catch (RuntimeException e) {
            throw engineFailure(e);
        }
    }

    /**
     * An engine that throws an unchecked exception (a trust manager's bug surfacing from a delegated task, a
     * misconfigured engine) fails like one that throws {@link SSLException}: the layer dies, an alert goes out.
     */
    private static SSLException engineFailure(RuntimeException e) {
        return new SSLException("the TLS engine failed: " + e, e);
    }

    /**
     * Runs the engine until it needs more input or has nothing more to do: tasks, handshake wraps, and unwraps of
     * what {@link #netIn} holds. Delivers the plaintext it unwrapped at the end.
     */
    private void pump() throws SSLException {
        loop:
        while (!dead) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK:
                    sawHandshaking = true;
                    if (!runTasks()) {
                        break loop;
                    }
                    break;
                case NEED_WRAP: {
                    sawHandshaking = true;
                    SSLEngineResult r = wrap(EMPTY);
                    if (stalled(r, hs)) {
                        break loop;
                    }
                    break;
                }
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    sawHandshaking = true;
                    if (inboundClosed || (hs == HandshakeStatus.NEED_UNWRAP && !netIn.hasRemaining())) {
                        break loop;
                    }
                    if (!unwrap(hs)) {
                        break loop;
                    }
                    break;
                default: // NOT_HANDSHAKING
                    if (!handshakeDone && sawHandshaking && !closeRequested && !engine.isOutboundDone()
                            && !engine.isInboundDone()) {
                        // An engine that does not report FINISHED (some do not, on some paths).
                        handshakeFinished();
                        continue;
                    }
                    if (inboundClosed || !netIn.hasRemaining() || !unwrap(hs)) {
                        break loop;
                    }
                    break;
            }
        }
        deliver();
    }

    /** One unwrap from {@link #netIn}; returns whether it made progress. */
    private boolean unwrap(HandshakeStatus before) throws SSLException {
        for (;;) {
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } catch (RuntimeException e) {
                throw engineFailure(e);
            }
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW:
                    if (handshakeDone && appIn.position() > 0) {
                        deliver();
                    } else {
                        appIn = grow(appIn, appIn.capacity() + engine.getSession().getApplicationBufferSize());
                    }
                    continue;
                case BUFFER_UNDERFLOW: {
                    int packet = engine.getSession().getPacketBufferSize();
                    if (netIn.capacity() < packet) {
                        netIn = growReadMode(netIn, packet);
                    }
                    return false;
                }
                case CLOSED:
                    if (r.bytesConsumed() > 0 && engine.isInboundDone()) {
                        deliver(); // what came before the close_notify
                        inboundClosed = true;
                    }
                    netIn.position(netIn.limit()); // nothing after close_notify counts
                    if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                        handshakeFinished();
                    }
                    return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
                default:
                    if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                        handshakeFinished();
                    }
                    return !stalled(r, before);
            }
        }
    }

    /** One wrap into {@link #netOut}, sending what it holds to make room when it is full. */
    private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        for (;;) {
            SSLEngineResult r;
            try {
                r = engine.wrap(src, netOut);
            } catch (RuntimeException e) {
                throw engineFailure(e);
            }
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                if (netOut.position() > 0) {
                    emit();
                } else {
                    netOut = ByteBuffer.allocate(
                            Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
                }
                continue;
            }
            if (r.getStatus() == Status.CLOSED) {
                outboundDone = true;
            }
            if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                handshakeFinished();
            }
            return r;
        }
    }

    /** Wraps and sends the queued writes, as long as the engine takes them. */
    private void flush() throws SSLException {
        if (flushing || dead || !handshakeDone) {
            return;
        }
        flushing = true;
        try {
            if (appOut == null) {
                appOut = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            }
            while (!dead && !outboundDone && pendingPlaintextBytes() > 0) {
                if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    if (!runTasks()) {
                        break;
                    }
                    continue;
                }
                fillAppOut();
                appOut.flip();
                SSLEngineResult r;
                try {
                    r = wrap(appOut);
                } finally {
                    appOut.compact();
                }
                if (r.getStatus() == Status.CLOSED) {
                    dropQueued(); // the engine's outbound side is closed: nothing more can be sent
                    break;
                }
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    break; // the engine waits for the peer (a renegotiation): retried after the next receive
                }
            }
        } finally {
            flushing = false;
        }
    }

    /** Copies queued writes into {@link #appOut} (write mode) while it has room: small writes share a record. */
    private void fillAppOut() {
        while (appOut.hasRemaining() && !queue.isEmpty()) {
            byte[] head = queue.peekFirst();
            int n = Math.min(appOut.remaining(), head.length - headOffset);
            appOut.put(head, headOffset, n);
            headOffset += n;
            queuedBytes -= n;
            if (headOffset == head.length) {
                queue.pollFirst();
                headOffset = 0;
            }
        }
    }

    /** Appends as much of {@code data[offset..]} to {@link #netIn} as fits; returns how much. */
    private int fill(byte[] data, int offset) {
        int wanted = data.length - offset;
        if (netIn.capacity() - netIn.limit() < wanted && netIn.position() > 0) {
            netIn.compact();
            netIn.flip();
        }
        if (netIn.limit() == netIn.capacity()) {
            // Full of bytes the engine would not take yet (it is waiting to wrap): make room rather than spin.
            netIn = growReadMode(netIn, netIn.capacity() * 2);
        }
        int n = Math.min(wanted, netIn.capacity() - netIn.limit());
        int position = netIn.position();
        int limit = netIn.limit();
        netIn.limit(limit + n);
        netIn.position(limit);
        netIn.put(data, offset, n);
        netIn.position(position);
        return n;
    }

    private void handshakeFinished() throws SSLException {
        if (handshakeDone || dead) {
            return;
        }
        handshakeDone = true;
        deliver(); // anything unwrapped along with the last handshake message
        flush();
    }

    private boolean runTasks() throws SSLException {
        boolean ran = false;
        try {
            for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                task.run();
                ran = true;
            }
        } catch (RuntimeException e) {
            throw engineFailure(e);
        }
        return ran;
    }

    /** Whether a wrap or unwrap did nothing at all: no bytes in, none out, and the engine's state unchanged. */
    private boolean stalled(SSLEngineResult r, HandshakeStatus before) {
        return r.bytesConsumed() == 0 && r.bytesProduced() == 0 && engine.getHandshakeStatus() == before;
    }

    /** Hands the unwrapped plaintext to the peer, once the handshake is done. */
    private void deliver() {
        if (!handshakeDone || dead || appIn.position() == 0) {
            return;
        }
        byte[] out = new byte[appIn.position()];
        appIn.flip();
        appIn.get(out);
        appIn.clear();
        peer.plaintextReceived(out);
    }

    /** Hands the wrapped ciphertext to the peer. */
    private void emit() {
        if (netOut.position() == 0) {
            return;
        }
        byte[] out = new byte[netOut.position()];
        netOut.flip();
        netOut.get(out);
        netOut.clear();
        peer.sendCiphertext(out);
    }

    /**
     * Kills the layer after {@code e}: sends what was wrapped before it, then makes one more wrap so that the alert
     * the engine produced reaches the peer. Returns {@code e} for the caller to throw.
     */
    private SSLException fail(SSLException e) {
        if (dead) {
            return e;
        }
        die();
        try {
            emit();
            try {
                engine.wrap(EMPTY, netOut);
            } catch (SSLException | RuntimeException x) {
                LOG.debug("no TLS alert could be wrapped after {}", e.toString(), x);
            }
            emit();
        } catch (RuntimeException x) { // from the peer: the TLS failure stays the one to report
            e.addSuppressed(x);
        }
        return e;
    }

    private void die() {
        dead = true;
        dropQueued();
        appIn.clear();
        netIn.position(netIn.limit());
        reentrantInput.clear();
    }

    private void dropQueued() {
        queue.clear();
        headOffset = 0;
        queuedBytes = 0;
        if (appOut != null) {
            appOut.clear();
        }
    }

    /** A larger copy of a write-mode buffer. */
    private static ByteBuffer grow(ByteBuffer buffer, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(capacity);
        buffer.flip();
        bigger.put(buffer);
        return bigger;
    }

    /** A larger copy of a read-mode buffer, still in read mode. */
    private static ByteBuffer growReadMode(ByteBuffer buffer, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(capacity, buffer.remaining()));
        bigger.put(buffer);
        bigger.flip();
        return bigger;
    }
}
