package dev.weft.reactor.spi;

import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.HalfCloseableProtocol;
import dev.weft.protocol.Producer;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PullProducer;
import dev.weft.protocol.PushProducer;
import dev.weft.protocol.TLSTransport;
import dev.weft.reactor.DelayedCall;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * The contract of a stream connection, written once for every backend: the life of its {@link Protocol}
 * ({@code makeConnection}, {@code dataReceived}, {@code connectionLost} exactly once with {@link ConnectionDone},
 * {@link ConnectionAborted} or {@link ConnectionLost}), the closing rules ({@code loseConnection} after the buffer
 * drains and the producer is unregistered, {@code abortConnection} never re-entrant, half-close), producer flow
 * control (a push producer paused above {@link #WRITE_BUFFER_LIMIT} and resumed when the buffer is empty, a pull
 * producer resumed at each drain), pausing of reads, and TLS (one {@code SSLEngine} layer for every backend).
 *
 * <p>A backend supplies the byte pipe. Its duties:
 * <ul>
 *   <li>{@link #sendBytes(byte[])} queues bytes and writes them without blocking, in order;
 *       {@link #bufferedBytes()} says how many are still queued; {@link #awaitDrain()} asks for one later call of
 *       {@link #writeDrained()} once that queue is empty, in a pass of the loop that follows a poll for I/O (never
 *       from inside {@code awaitDrain}, never from a task that runs before the next poll);</li>
 *   <li>{@link #setReading(boolean)} starts and stops reading; after it stops, at most the rest of the read in
 *       flight is delivered; bytes read go to {@link #bytesReceived(byte[])}, an end of stream to
 *       {@link #endOfStream()}, an I/O error to {@link #connectionFailed(Throwable)};</li>
 *   <li>{@link #shutdownOutput()} half-closes and {@link #closeChannel(boolean)} closes, at once; after
 *       {@code closeChannel} the backend reports nothing more.</li>
 * </ul>
 * The backend calls {@link #start(Protocol)} (or lets {@link ListeningPortBase} and {@link ConnectorBase} call it)
 * once the connection is made. Every method, of either side, runs on the reactor thread.
 *
 * <p>For implementors of backends, not for protocol code: protocols see it as a {@link TLSTransport}.
 */
public abstract class StreamTransport implements TLSTransport, ReactorResource {

    /** The write buffer size above which a streaming producer is paused: 64 KiB, Twisted's. */
    public static final int WRITE_BUFFER_LIMIT = 64 * 1024;

    /** The callbacks {@link #call(int, byte[])} makes, and their names for the log. */
    private static final int MADE = 0;
    private static final int DATA = 1;
    private static final int READ_LOST = 2;
    private static final int WRITE_LOST = 3;
    private static final int RESUME = 4;

    private static final String[] CALLBACK_NAMES = {
        "connectionMade", "dataReceived", "readConnectionLost", "writeConnectionLost",
        "resumeProducing of the producer",
    };

    private final ReactorBase reactor;

    private Protocol protocol;
    private ConnectorBase connector;
    private String hostname;

    private boolean connected;
    private boolean disconnecting;
    private boolean lost;
    private boolean delivered;
    private boolean writeShutRequested;
    private boolean writeShut;
    private boolean readEnded;
    private boolean eofHeld;
    private boolean readingPaused;
    private boolean reading;
    private boolean drainWaiting;
    private Throwable failure;
    private Throwable pendingReason;
    private DelayedCall pendingDelivery;
    private DelayedCall heldDelivery;
    private ArrayDeque<byte[]> held;
    private long heldBytes;
    private int depth;

    private Producer producer;
    private boolean streaming;
    private boolean producerPaused;

    private TlsLayer tls;

    /**
     * Creates the transport of one connection, not started yet.
     *
     * @param reactor the reactor whose thread runs this connection
     */
    protected StreamTransport(ReactorBase reactor) {
        this.reactor = Objects.requireNonNull(reactor, "reactor must not be null");
    }

    // ---------------------------------------------------------------- what the backend supplies

    /**
     * Queues {@code data} behind the bytes already queued and writes what the socket takes without blocking.
     * Never calls back into this class.
     *
     * @param data the bytes, owned by the backend from now on
     */
    protected abstract void sendBytes(byte[] data);

    /**
     * The bytes queued by {@link #sendBytes(byte[])} that the socket has not taken yet.
     *
     * @return the size of the write buffer
     */
    protected abstract long bufferedBytes();

    /**
     * Arranges one call of {@link #writeDrained()}, on the reactor thread, once the write buffer is empty: in the
     * next pass of the loop if it is empty now. The call comes in a pass that follows a poll for I/O, so that a
     * producer that writes at each drain cannot keep the loop from timers and I/O. Several calls before the drain
     * may give one {@code writeDrained}. Must not call {@code writeDrained} from inside itself.
     */
    protected abstract void awaitDrain();

    /**
     * Starts ({@code true}) or stops reading from the connection. Called only when the wanted state changes. Once
     * stopped, the backend delivers at most the rest of the read in flight (the transport holds it), so that a
     * paused protocol holds at most one read.
     */
    protected abstract void setReading(boolean reading);

    /** Shuts the writing side of the socket (the peer reads an end of stream). Called once the buffer is empty. */
    protected abstract void shutdownOutput();

    /**
     * Closes the socket at once; anything still queued is dropped. With {@code abort}, a TCP reset where the
     * backend can ({@code SO_LINGER} 0). The backend reports nothing after this call.
     *
     * @param abort whether to reset the connection rather than close it
     */
    protected abstract void closeChannel(boolean abort);

    // ---------------------------------------------------------------- events from the backend

    /**
     * The connection is made: connects {@code protocol} to this transport ({@code makeConnection}, hence
     * {@code connectionMade}) and starts reading. An exception from {@code connectionMade} is logged and loses the
     * connection with it as the reason.
     *
     * @param protocol the protocol, not null
     * @throws IllegalStateException if the transport was started already
     */
    protected final void start(Protocol protocol) {
        Objects.requireNonNull(protocol, "protocol must not be null");
        if (this.protocol != null) {
            throw new IllegalStateException("the transport was started already");
        }
        this.protocol = protocol;
        connected = true;
        reactor.register(this);
        call(MADE, null);
        updateReading();
    }

    /**
     * Bytes were read from the connection. They reach the protocol's {@code dataReceived} (through TLS when it
     * is on), at once, or when reading resumes if the protocol paused it.
     *
     * @param data the bytes read; the transport owns them from now on
     */
    protected final void bytesReceived(byte[] data) {
        if (lost || readEnded || !connected) {
            return;
        }
        if (tls != null) {
            try {
                tls.receive(data);
            } catch (SSLException e) {
                tlsFailed(e);
                return;
            }
            if (tls.inboundClosed() && !lost) {
                peerClosed();
            }
            return;
        }
        deliver(data);
    }

    /** The peer closed its writing side (an end of stream was read). */
    protected final void endOfStream() {
        if (lost || readEnded || !connected) {
            return;
        }
        if (tls != null && !tls.inboundClosed()) {
            try {
                tls.inputEnded();
            } catch (SSLException e) {
                readEnded = true;
                tlsFailed(e);
                return;
            }
        }
        peerClosed();
    }

    /**
     * The write buffer is empty, after {@link #awaitDrain()}: resumes the producer, or finishes a
     * {@code loseConnection} or {@code loseWriteConnection}.
     */
    protected final void writeDrained() {
        if (lost || !connected) {
            return;
        }
        if (bufferedBytes() > 0) {
            awaitDrain();
            return;
        }
        if (tls != null && tls.pendingPlaintextBytes() > 0) {
            // The handshake is not done: TlsPeer.sendCiphertext asks again once TLS flushes its queue.
            return;
        }
        drainWaiting = false;
        if (failure != null) {
            finish(failure, false);
        } else if (producer != null && (!streaming || producerPaused)) {
            producerPaused = false;
            call(RESUME, null);
        } else if (disconnecting) {
            if (producer == null) {
                finish(new ConnectionDone("the connection was closed cleanly"), false);
            }
        } else if (writeShutRequested && !writeShut) {
            shutWrite();
        }
    }

    /**
     * The connection failed (reset by the peer, an I/O error): closes it and gives the protocol a
     * {@link ConnectionLost} with {@code cause}.
     *
     * @param cause the error
     */
    protected final void connectionFailed(Throwable cause) {
        if (lost) {
            return;
        }
        finish(new ConnectionLost("the connection was lost: " + cause, cause), false);
    }

    /**
     * Closes the connection without delivering anything: for a connection the factory refused (its
     * {@code buildProtocol} returned null) before it was started.
     */
    protected final void reject() {
        lost = true;
        delivered = true;
        closeQuietly(false);
    }

    // ---------------------------------------------------------------- for backends and subclasses

    /**
     * The protocol, once started.
     *
     * @return the protocol, or null before {@link #start(Protocol)}
     */
    protected final Protocol protocol() {
        return protocol;
    }

    /**
     * Whether the connection has ended: closed by either side, aborted or failed. The backend ignores events after
     * it.
     *
     * @return whether the connection is lost
     */
    protected final boolean isLost() {
        return lost;
    }

    /**
     * The bytes written to this transport that the socket has not taken yet: the backend's write buffer, plus the
     * plaintext TLS holds until its handshake is done. Flow control keeps it near {@link #WRITE_BUFFER_LIMIT} for a
     * streaming producer. For monitoring and tests; call on the reactor thread.
     *
     * @return the size of the write buffer, in bytes
     */
    public final long writeBufferSize() {
        return bufferedBytes() + (tls != null ? tls.pendingPlaintextBytes() : 0);
    }

    /**
     * The bytes read from the connection and not delivered yet, because the protocol paused reading
     * ({@link #pauseProducing()}) or they wait for the pass that delivers them after {@link #resumeProducing()}.
     * Reading stops while any are held, so this stays within one read of the backend. For monitoring and tests;
     * call on the reactor thread.
     *
     * @return the size of the read buffer, in bytes
     */
    public final long readBufferSize() {
        return heldBytes;
    }

    /**
     * The reactor of this connection.
     *
     * @return the reactor
     */
    protected final ReactorBase reactor() {
        return reactor;
    }

    /**
     * Called once on the reactor thread after the protocol's {@code connectionLost} (and the connector's
     * {@code clientConnectionLost}), to let the backend forget the connection. Does nothing by default.
     */
    protected void connectionEnded() {
    }

    void setConnector(ConnectorBase connector, String hostname) {
        this.connector = connector;
        this.hostname = hostname;
    }

    // ---------------------------------------------------------------- Transport

    @Override
    public final void write(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        reactor.checkThread("write");
        if (!connected || lost || writeShut || failure != null || data.length == 0) {
            return;
        }
        depth++;
        try {
            if (tls != null) {
                try {
                    tls.write(data);
                } catch (SSLException e) {
                    tlsFailed(e);
                    return;
                }
            } else {
                sendBytes(data);
            }
            afterWrite();
        } finally {
            depth--;
        }
    }

    @Override
    public final void writeSequence(List<byte[]> data) {
        Objects.requireNonNull(data, "data must not be null");
        for (int i = 0; i < data.size(); i++) {
            Objects.requireNonNull(data.get(i), "data must not contain null (at index " + i + ")");
        }
        for (byte[] chunk : data) {
            write(chunk);
        }
    }

    @Override
    public final void loseConnection() {
        reactor.checkThread("loseConnection");
        if (!connected || lost || disconnecting) {
            return;
        }
        disconnecting = true;
        updateReading();
        if (tls != null) {
            tls.closeOutbound();
        }
        requestDrain();
    }

    @Override
    public final void abortConnection() {
        reactor.checkThread("abortConnection");
        if (!connected || lost) {
            return;
        }
        disconnecting = true;
        depth++;
        try {
            finish(new ConnectionAborted("the connection was aborted"), true);
        } finally {
            depth--;
        }
    }

    @Override
    public final void loseWriteConnection() {
        reactor.checkThread("loseWriteConnection");
        if (!connected || lost || disconnecting || writeShutRequested) {
            return;
        }
        writeShutRequested = true;
        if (tls != null) {
            tls.closeOutbound();
        }
        requestDrain();
    }

    @Override
    public final boolean isDisconnecting() {
        return disconnecting || lost;
    }

    @Override
    public final void registerProducer(Producer producer, boolean streaming) {
        reactor.checkThread("registerProducer");
        ProducerRegistration.check(this.producer, producer, streaming);
        depth++;
        try {
            if (lost) {
                try {
                    producer.stopProducing();
                } catch (Throwable t) {
                    reactor.logError("in stopProducing of " + producer, t);
                }
                return;
            }
            this.producer = producer;
            this.streaming = streaming;
            this.producerPaused = false;
            if (!streaming) {
                try {
                    ((PullProducer) producer).resumeProducing();
                } catch (Throwable t) {
                    callbackFailed("resumeProducing of the producer", t);
                    return;
                }
                if (this.producer == producer && !lost && writeBufferSize() > 0) {
                    // Registered while bytes are buffered: asked again once they are written, as after any write.
                    requestDrain();
                }
            }
        } finally {
            depth--;
        }
    }

    @Override
    public final void unregisterProducer() {
        reactor.checkThread("unregisterProducer");
        producer = null;
        producerPaused = false;
        if (!lost && (disconnecting || writeShutRequested)) {
            requestDrain();
        }
    }

    @Override
    public final void pauseProducing() {
        reactor.checkThread("pauseProducing");
        readingPaused = true;
        updateReading();
    }

    @Override
    public final void resumeProducing() {
        reactor.checkThread("resumeProducing");
        readingPaused = false;
        updateReading();
        if (held != null && !held.isEmpty() || eofHeld) {
            if (heldDelivery == null) {
                heldDelivery = reactor.callLater(0, this::deliverHeld);
            }
        }
    }

    @Override
    public final void stopProducing() {
        loseConnection();
    }

    // ---------------------------------------------------------------- TLS

    @Override
    public final void startTLS(SSLContext context, boolean clientMode) {
        Objects.requireNonNull(context, "context must not be null");
        reactor.checkThread("startTLS");
        startTls(context, clientMode, true);
    }

    /**
     * Starts TLS on this connection; see {@link #startTLS(SSLContext, boolean)}. Hostname verification applies in
     * client mode when the connection was made to a known host name (by a connector).
     *
     * @param context        the TLS context
     * @param clientMode     whether this side is the TLS client
     * @param verifyHostname whether to check the host name against the peer's certificate
     */
    final void startTls(SSLContext context, boolean clientMode, boolean verifyHostname) {
        if (tls != null) {
            throw new IllegalStateException("TLS was started already on this connection");
        }
        if (lost) {
            throw new IllegalStateException("the connection is closed");
        }
        SSLEngine engine = hostname != null && clientMode
                ? context.createSSLEngine(hostname, getPeer().getPort())
                : context.createSSLEngine();
        engine.setUseClientMode(clientMode);
        if (clientMode && verifyHostname && hostname != null) {
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(params);
        }
        tls = new TlsLayer(engine, new TlsPeer()); // only TLS connections pay for a peer
        depth++;
        try {
            tls.begin();
        } catch (SSLException e) {
            tlsFailed(e);
        } finally {
            depth--;
        }
    }

    @Override
    public final SSLSession getSession() {
        return tls != null && tls.handshakeDone() ? tls.session() : null;
    }

    // ---------------------------------------------------------------- ReactorResource

    @Override
    public final void reactorShutdown(ConnectionLost reason) {
        if (delivered) {
            return;
        }
        if (pendingDelivery != null) {
            pendingDelivery.cancel();
            pendingDelivery = null;
            deliverLost(pendingReason);
            return;
        }
        lost = true;
        closeQuietly(false);
        deliverLost(reason);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (protocol == null ? "not started" : protocol.getClass().getName())
                + (lost ? ", lost" : disconnecting ? ", disconnecting" : "") + "]";
    }

    // ---------------------------------------------------------------- internals

    private void deliver(byte[] data) {
        if (lost || disconnecting || readEnded) {
            return;
        }
        if (readingPaused || (held != null && !held.isEmpty())) {
            if (held == null) {
                held = new ArrayDeque<>();
            }
            held.add(data);
            heldBytes += data.length;
            return;
        }
        call(DATA, data);
    }

    /**
     * Makes one call into the protocol or the producer, counted in {@code depth} so that a loss it causes is
     * delivered after it returns; an exception is logged and loses the connection with it as the cause.
     *
     * @return false if the callback threw
     */
    private boolean call(int callback, byte[] data) {
        Throwable failed = null;
        depth++;
        try {
            switch (callback) {
                case MADE -> protocol.makeConnection(this);
                case DATA -> protocol.dataReceived(data);
                case READ_LOST -> ((HalfCloseableProtocol) protocol).readConnectionLost();
                case WRITE_LOST -> ((HalfCloseableProtocol) protocol).writeConnectionLost();
                default -> {
                    if (streaming) {
                        ((PushProducer) producer).resumeProducing();
                    } else {
                        ((PullProducer) producer).resumeProducing();
                    }
                }
            }
        } catch (Throwable t) {
            failed = t;
        } finally {
            depth--;
        }
        if (failed != null) {
            callbackFailed(CALLBACK_NAMES[callback], failed);
            return false;
        }
        return true;
    }

    private void deliverHeld() {
        heldDelivery = null;
        while (held != null && !held.isEmpty() && !readingPaused && !lost && !disconnecting) {
            byte[] data = held.poll();
            heldBytes -= data.length;
            call(DATA, data);
        }
        if (eofHeld && (held == null || held.isEmpty()) && !readingPaused && !lost) {
            eofHeld = false;
            readEnded = false;
            peerClosed();
        } else {
            updateReading();
        }
    }

    private void peerClosed() {
        if (readingPaused || (held != null && !held.isEmpty())) {
            // Deliver the data read before the end of stream first, once reading resumes.
            eofHeld = true;
            readEnded = true;
            updateReading();
            return;
        }
        readEnded = true;
        updateReading();
        if (protocol instanceof HalfCloseableProtocol && tls == null && !disconnecting) {
            if (!call(READ_LOST, null)) {
                return;
            }
            if (writeShut && !lost) {
                finish(new ConnectionDone("both halves of the connection were closed"), false);
            }
            return;
        }
        finish(new ConnectionDone("the peer closed the connection"), false);
    }

    private void shutWrite() {
        writeShut = true;
        try {
            shutdownOutput();
        } catch (Throwable t) {
            connectionFailed(t);
            return;
        }
        if (protocol instanceof HalfCloseableProtocol) {
            if (!call(WRITE_LOST, null)) {
                return;
            }
        }
        if (readEnded && !eofHeld && !lost) {
            finish(new ConnectionDone("both halves of the connection were closed"), false);
        }
    }

    private void afterWrite() {
        Producer p = producer;
        if (p == null) {
            return;
        }
        if (!streaming) {
            requestDrain();
        } else if (!producerPaused && (writeBufferSize() > WRITE_BUFFER_LIMIT || waitingForHandshake())) {
            producerPaused = true;
            try {
                ((PushProducer) p).pauseProducing();
            } catch (Throwable t) {
                callbackFailed("pauseProducing of the producer", t);
                return;
            }
            requestDrain();
        }
    }

    /**
     * Whether TLS holds plaintext until its handshake is done. As in Twisted's TLS layer, a streaming producer that
     * writes then is paused at once: nothing it writes can leave before the handshake.
     */
    private boolean waitingForHandshake() {
        return tls != null && !tls.handshakeDone() && tls.pendingPlaintextBytes() > 0;
    }

    private void requestDrain() {
        drainWaiting = true;
        awaitDrain();
    }

    private void updateReading() {
        // Not while read bytes are held: the backend stops, so what is held stays within one of its reads.
        boolean want = connected && !lost && !disconnecting && !readEnded && !readingPaused
                && (held == null || held.isEmpty());
        if (want != reading) {
            reading = want;
            try {
                setReading(want);
            } catch (Throwable t) {
                connectionFailed(t);
            }
        }
    }

    private void tlsFailed(SSLException e) {
        if (lost || failure != null) {
            return;
        }
        failure = new ConnectionLost("the TLS handshake or a TLS record failed: " + e.getMessage(), e);
        disconnecting = true;
        updateReading();
        // Let the alert the TLS layer sent reach the peer, then close.
        requestDrain();
    }

    private void callbackFailed(String what, Throwable t) {
        reactor.logError("in " + what + " of " + protocol, t);
        if (!lost) {
            finish(new ConnectionLost(what + " failed: " + t, t), false);
        }
    }

    /** Closes the socket now and delivers {@code connectionLost}, later if inside a callback or transport call. */
    private void finish(Throwable reason, boolean abort) {
        if (lost) {
            return;
        }
        lost = true;
        disconnecting = true;
        reading = false;
        closeQuietly(abort);
        if (depth > 0) {
            pendingReason = reason;
            pendingDelivery = reactor.callLater(0, () -> {
                pendingDelivery = null;
                deliverLost(pendingReason);
            });
        } else {
            deliverLost(reason);
        }
    }

    private void closeQuietly(boolean abort) {
        try {
            closeChannel(abort);
        } catch (Throwable t) {
            reactor.logError("while closing " + this, t);
        }
    }

    private void deliverLost(Throwable reason) {
        if (delivered) {
            return;
        }
        delivered = true;
        lost = true;
        reactor.unregister(this);
        if (heldDelivery != null) {
            heldDelivery.cancel();
            heldDelivery = null;
        }
        held = null;
        heldBytes = 0;
        Producer p = producer;
        producer = null;
        if (p != null) {
            try {
                p.stopProducing();
            } catch (Throwable t) {
                reactor.logError("in stopProducing of " + p, t);
            }
        }
        if (protocol != null) {
            try {
                protocol.connectionLost(reason);
            } catch (Throwable t) {
                reactor.logError("in connectionLost of " + protocol, t);
            }
        }
        if (connector != null) {
            connector.transportLost(reason);
        }
        try {
            connectionEnded();
        } catch (Throwable t) {
            reactor.logError("while forgetting " + this, t);
        }
    }

    /** Where the TLS layer's output goes. */
    private final class TlsPeer implements TlsLayer.Peer {
        @Override
        public void sendCiphertext(byte[] data) {
            if (lost) {
                return;
            }
            sendBytes(data);
            if (drainWaiting) {
                awaitDrain();
            }
        }

        @Override
        public void plaintextReceived(byte[] data) {
            deliver(data);
        }
    }
}
