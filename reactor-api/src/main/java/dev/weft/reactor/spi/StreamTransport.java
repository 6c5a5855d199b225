package dev.weft.reactor.spi;

import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Factory;
import dev.weft.protocol.HalfCloseableProtocol;
import dev.weft.protocol.Producer;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PullProducer;
import dev.weft.protocol.TLSTransport;
import dev.weft.reactor.internal.ProducerRegistration;
import java.io.IOException;
import java.net.SocketOption;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * The contract of a stream connection, written once for every backend: the life of its {@link Protocol}
 * ({@code makeConnection}, {@code dataReceived}, {@code connectionLost} exactly once with {@link ConnectionDone},
 * {@link ConnectionAborted} or {@link ConnectionLost}), the closing rules ({@code loseConnection} after the buffer
 * drains and the producer is unregistered, {@code abortConnection} never re-entrant, half-close), producer flow
 * control (a push producer paused above {@link #WRITE_BUFFER_LIMIT} and resumed when the buffer is empty, a pull
 * producer resumed at each drain), pausing of reads, socket options, and TLS (one {@code SSLEngine} layer for every
 * backend).
 *
 * <p>Its state has names: the connection's life is a {@link ConnectionState}, the writing half a {@link WriteSide},
 * the reading half a {@link ReadSide}, a registered producer a {@link RegisteredProducer}; calls into the protocol are
 * {@link ProtocolEvent}s; socket options are {@link TcpOptions}'.
 *
 * <p><b>When {@code connectionLost} runs, one rule for every backend.</b> The transport counts the calls into this
 * connection that are under way on the reactor thread: a call into the protocol or its producer, a {@code Transport}
 * method, and a call into the backend (each hook below). {@code connectionLost} never runs inside one of them: a
 * connection lost while one is under way (an abort from {@code dataReceived}, a write that fails at once) is closed at
 * once and gets {@code connectionLost} in a later pass of the loop, as Twisted's {@code abortConnection} does; one
 * lost by an event from the loop (a read error, an end of stream, a drain) gets it at once. A backend whose I/O library
 * may report an event from inside one of the hooks asks {@link #isInsideCall()} and passes the event on later; it
 * keeps no count of its own.
 *
 * <p>A backend supplies the byte pipe. Its duties:
 * <ul>
 *   <li>{@link #sendBytes(byte[])} queues bytes and writes them without blocking, in order;
 *       {@link #bufferedBytes()} says how many are still queued; {@link #awaitDrain()} asks for one later call of
 *       {@link #writeDrained()} once that queue is empty, in a pass of the loop that follows a poll for I/O (never
 *       from inside {@code awaitDrain}, never from a task that runs before the next poll);</li>
 *   <li>{@link #setReading(boolean)} starts and stops reading; after it stops, at most the rest of the read in
 *       flight is delivered; bytes read go to {@link #bytesReceived(byte[])}, an end of stream to
 *       {@link #endOfStream()}, an I/O error to {@link #connectionFailed(Throwable)} (which may be called from inside
 *       a hook: the rule above applies);</li>
 *   <li>{@link #shutdownOutput()} half-closes and {@link #closeChannel(boolean)} closes, at once; after
 *       {@code closeChannel} the backend reports nothing more;</li>
 *   <li>{@link #setSocketOption(SocketOption, boolean)} and {@link #socketOption(SocketOption, boolean)} reach the
 *       socket's boolean options.</li>
 * </ul>
 * The backend calls {@link #start(Protocol)} (or lets {@link ListeningPortBase} and {@link TcpConnector} call it)
 * once the connection is made. Every method, of either side, runs on the reactor thread.
 *
 * <p>For implementors of backends, not for protocol code: protocols see it as a {@link TLSTransport}.
 */
public abstract class StreamTransport implements TLSTransport, ReactorResource {

    /** The write buffer size above which a streaming producer is paused: 64 KiB, Twisted's. */
    public static final int WRITE_BUFFER_LIMIT = 64 * 1024;

    private final ReactorBase reactor;
    private final TcpOptions options = new TcpOptions(this);
    // Package-private where the other halves of the connection (ReadSide, ConnectionLoss) use them.
    final ReadSide read = new ReadSide(this);
    final ConnectionLoss loss = new ConnectionLoss(this);

    Protocol protocol;
    TcpConnector connector;
    private String hostname;

    ConnectionState state = ConnectionState.NOT_STARTED;
    WriteSide write = WriteSide.OPEN;
    /** Whether a {@link #writeDrained()} was asked for and has not come. */
    boolean drainRequested;
    /** The reason to close with once the buffer drains (a TLS failure whose alert is being written), or null. */
    private Throwable closeAfterDrain;
    /** The calls into this connection under way (see the class comment). */
    int callsUnderWay;

    RegisteredProducer producer;
    TlsLayer tls;

    /**
     * Creates the transport of one connection, not started yet. Reactor thread.
     *
     * @param reactor the reactor whose thread runs this connection
     */
    protected StreamTransport(ReactorBase reactor) {
        this.reactor = Objects.requireNonNull(reactor, "reactor must not be null");
    }

    // ---------------------------------------------------------------- what the backend supplies

    /**
     * Queues {@code data} behind the bytes already queued and writes what the socket takes without blocking.
     * Reactor thread.
     *
     * @param data the bytes, owned by the backend from now on
     */
    protected abstract void sendBytes(byte[] data);

    /**
     * The bytes queued by {@link #sendBytes(byte[])} that the socket has not taken yet. Reactor thread.
     *
     * @return the size of the write buffer
     */
    protected abstract long bufferedBytes();

    /**
     * Arranges one call of {@link #writeDrained()}, on the reactor thread, once the write buffer is empty: in the
     * next pass of the loop if it is empty now. The call comes in a pass that follows a poll for I/O, so that a
     * producer that writes at each drain cannot keep the loop from timers and I/O. Several calls before the drain
     * may give one {@code writeDrained}. Must not call {@code writeDrained} from inside itself. Reactor thread.
     */
    protected abstract void awaitDrain();

    /**
     * Starts ({@code true}) or stops reading from the connection. Called only when the wanted state changes. Once
     * stopped, the backend delivers at most the rest of the read in flight (the transport holds it), so that a
     * paused protocol holds at most one read. Reactor thread.
     *
     * @param reading whether to read
     */
    protected abstract void setReading(boolean reading);

    /**
     * Shuts the writing side of the socket (the peer reads an end of stream). Called once the buffer is empty.
     * Reactor thread.
     */
    protected abstract void shutdownOutput();

    /**
     * Closes the socket at once; anything still queued is dropped. With {@code abort}, a TCP reset where the
     * backend can ({@code SO_LINGER} 0). The backend reports nothing after this call. Reactor thread.
     *
     * @param abort whether to reset the connection rather than close it
     */
    protected abstract void closeChannel(boolean abort);

    /**
     * Sets a boolean option of the socket ({@code TCP_NODELAY}, {@code SO_KEEPALIVE}); called only while the
     * connection is not lost. Does nothing by default (a transport with no socket remembers values only). Reactor
     * thread.
     *
     * @param option the option
     * @param value  its value
     * @throws java.nio.channels.ClosedChannelException if the socket was closed meanwhile (the value is remembered)
     * @throws IOException                              if the socket refuses it
     */
    protected void setSocketOption(SocketOption<Boolean> option, boolean value) throws IOException {
    }

    /**
     * Reads a boolean option of the socket; called only while the connection is not lost. Returns
     * {@code remembered} (the last value set) by default. Reactor thread.
     *
     * @param option     the option
     * @param remembered the value set last, or the default
     * @return the socket's value
     * @throws IOException if it cannot be read (the remembered value is answered)
     */
    protected boolean socketOption(SocketOption<Boolean> option, boolean remembered) throws IOException {
        return remembered;
    }

    /**
     * Whether the socket keeps the options it has when the connection starts (a channel hosted in a user's pipeline),
     * rather than getting Weft's ({@code TCP_NODELAY} on, {@code SO_KEEPALIVE} off). False by default. Reactor
     * thread.
     *
     * @return whether to keep the socket's own options
     */
    protected boolean keepsSocketOptions() {
        return false;
    }

    /**
     * Called once on the reactor thread after the protocol's {@code connectionLost} (and the connector's
     * {@code clientConnectionLost}), to let the backend forget the connection. Does nothing by default.
     */
    protected void connectionEnded() {
    }

    // ---------------------------------------------------------------- events from the backend

    /**
     * The connection is made: gives the socket its options, connects {@code protocol} to this transport
     * ({@code makeConnection}, hence {@code connectionMade}) and starts reading. An exception from
     * {@code connectionMade} is logged and loses the connection with it as the reason. Reactor thread.
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
        state = ConnectionState.CONNECTED;
        options.start(keepsSocketOptions());
        reactor.register(this);
        reactor.flight().opened(this);
        call(ProtocolEvent.MADE, null);
        read.update();
    }

    /**
     * Bytes were read from the connection. They reach the protocol's {@code dataReceived} (through TLS when it
     * is on), at once, or when reading resumes if the protocol paused it. Reactor thread.
     *
     * @param data the bytes read; the transport owns them from now on
     */
    protected final void bytesReceived(byte[] data) {
        if (!state.open() || read.end != ReadSide.End.OPEN) {
            return;
        }
        if (tls == null) {
            read.deliver(data);
            return;
        }
        try {
            tls.receive(data);
        } catch (SSLException e) {
            tlsFailed(e);
            return;
        }
        if (tls.inboundClosed() && !state.lost()) {
            read.peerClosed();
        }
    }

    /** The peer closed its writing side (an end of stream was read). Reactor thread. */
    protected final void endOfStream() {
        if (!state.open() || read.end != ReadSide.End.OPEN) {
            return;
        }
        if (tls != null && !tls.inboundClosed()) {
            try {
                tls.inputEnded();
            } catch (SSLException e) {
                read.end = ReadSide.End.ENDED;
                tlsFailed(e);
                return;
            }
        }
        read.peerClosed();
    }

    /**
     * The write buffer is empty, after {@link #awaitDrain()}: resumes the producer, or finishes a
     * {@code loseConnection} or {@code loseWriteConnection}. Reactor thread.
     */
    protected final void writeDrained() {
        if (!state.open()) {
            return;
        }
        if (bufferedBytes() > 0) {
            hookAwaitDrain();
            return;
        }
        if (tls != null && tls.pendingPlaintextBytes() > 0) {
            // The handshake is not done: TlsPeer.sendCiphertext asks again once TLS flushes its queue.
            return;
        }
        drainRequested = false;
        if (closeAfterDrain != null) {
            loss.finish(closeAfterDrain, false);
        } else if (producer != null && producer.resumeAtDrain()) {
            producer.paused = false;
            call(ProtocolEvent.RESUME_PRODUCER, null);
        } else if (state == ConnectionState.DISCONNECTING) {
            if (producer == null) {
                loss.finish(new ConnectionDone("the connection was closed cleanly"), false);
            }
        } else if (write == WriteSide.SHUTTING) {
            shutWrite();
        }
    }

    /**
     * The connection failed (reset by the peer, an I/O error): closes it and gives the protocol a
     * {@link ConnectionLost} with {@code cause}. May be called from inside a hook. Reactor thread.
     *
     * @param cause the error
     */
    protected final void connectionFailed(Throwable cause) {
        if (state.lost()) {
            return;
        }
        loss.finish(new ConnectionLost("the connection was lost: " + cause, cause), false);
    }

    /**
     * Closes the connection without delivering anything: for a connection the factory refused (its
     * {@code buildProtocol} returned null) before it was started. Reactor thread.
     */
    protected final void reject() {
        state = ConnectionState.ENDED;
        loss.closeQuietly(false);
    }

    /**
     * Builds this connection's protocol with {@code factory}, for its peer: what a listening port and a connector
     * do once a connection is made. Reactor thread.
     *
     * @param factory the factory
     * @return the protocol, or null if {@code buildProtocol} returned null or threw (logged)
     */
    final Protocol buildProtocolWith(Factory factory) {
        try {
            return factory.buildProtocol(getPeer());
        } catch (Throwable e) {
            reactor.logError("in buildProtocol of " + factory, e);
            return null;
        }
    }

    // ---------------------------------------------------------------- for backends and subclasses

    /**
     * The protocol, once started. Reactor thread.
     *
     * @return the protocol, or null before {@link #start(Protocol)}
     */
    protected final Protocol protocol() {
        return protocol;
    }

    /**
     * Whether the connection has ended: closed by either side, aborted or failed. The backend ignores events after
     * it. Reactor thread.
     *
     * @return whether the connection is lost
     */
    protected final boolean isLost() {
        return state.lost();
    }

    /**
     * Whether a call into this connection is under way on this thread (a protocol callback, a {@code Transport}
     * method, a backend hook): an event the backend's I/O library raises now must be passed on later, never into
     * this class from inside its own call. Reactor thread.
     *
     * @return whether a call is under way
     */
    protected final boolean isInsideCall() {
        return callsUnderWay > 0;
    }

    /**
     * The bytes written to this transport that the socket has not taken yet: the backend's write buffer, plus the
     * plaintext TLS holds until its handshake is done. Flow control keeps it near {@link #WRITE_BUFFER_LIMIT} for a
     * streaming producer. For monitoring and tests; call on the reactor thread.
     *
     * @return the size of the write buffer, in bytes
     */
    @Override
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
        return read.heldBytes();
    }

    /**
     * The reactor of this connection. Any thread.
     *
     * @return the reactor
     */
    protected final ReactorBase reactor() {
        return reactor;
    }

    void setConnector(TcpConnector connector, String hostname) {
        this.connector = connector;
        this.hostname = hostname;
    }

    RegisteredProducer producer() {
        return producer;
    }

    // ---------------------------------------------------------------- Transport

    @Override
    public final void write(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        reactor.checkThread("write");
        if (!state.open() || write == WriteSide.SHUT || closeAfterDrain != null || data.length == 0) {
            return;
        }
        callsUnderWay++;
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
            callsUnderWay--;
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
        if (state != ConnectionState.CONNECTED) {
            return;
        }
        state = ConnectionState.DISCONNECTING;
        read.update();
        closeTlsOutbound();
        requestDrain();
    }

    @Override
    public final void abortConnection() {
        reactor.checkThread("abortConnection");
        if (!state.open()) {
            return;
        }
        state = ConnectionState.DISCONNECTING;
        callsUnderWay++;
        try {
            loss.finish(new ConnectionAborted("the connection was aborted"), true);
        } finally {
            callsUnderWay--;
        }
    }

    @Override
    public final void loseWriteConnection() {
        reactor.checkThread("loseWriteConnection");
        if (state != ConnectionState.CONNECTED || write != WriteSide.OPEN) {
            return;
        }
        write = WriteSide.SHUTTING;
        closeTlsOutbound();
        requestDrain();
    }

    @Override
    public final boolean isDisconnecting() {
        return state.compareTo(ConnectionState.DISCONNECTING) >= 0;
    }

    @Override
    public final void registerProducer(Producer producer, boolean streaming) {
        reactor.checkThread("registerProducer");
        ProducerRegistration.check(this.producer == null ? null : this.producer.producer, producer, streaming);
        callsUnderWay++;
        try {
            if (state.lost()) {
                stopQuietly(producer);
                return;
            }
            RegisteredProducer registered = new RegisteredProducer(producer, streaming);
            this.producer = registered;
            if (!streaming) {
                try {
                    ((PullProducer) producer).resumeProducing();
                } catch (Throwable t) {
                    callbackFailed(ProtocolEvent.RESUME_PRODUCER.callbackName(), t);
                    return;
                }
                if (this.producer == registered && !state.lost() && writeBufferSize() > 0) {
                    // Registered while bytes are buffered: asked again once they are written, as after any write.
                    requestDrain();
                }
            }
        } finally {
            callsUnderWay--;
        }
    }

    @Override
    public final void unregisterProducer() {
        reactor.checkThread("unregisterProducer");
        producer = null;
        if (!state.lost() && (state == ConnectionState.DISCONNECTING || write != WriteSide.OPEN)) {
            requestDrain();
        }
    }

    @Override
    public final void pauseProducing() {
        reactor.checkThread("pauseProducing");
        read.pause();
    }

    @Override
    public final void resumeProducing() {
        reactor.checkThread("resumeProducing");
        read.resume();
    }

    @Override
    public final void stopProducing() {
        loseConnection();
    }

    @Override
    public final void setTcpNoDelay(boolean enabled) {
        options.setNoDelay(enabled);
    }

    @Override
    public final boolean getTcpNoDelay() {
        return options.noDelay();
    }

    @Override
    public final void setTcpKeepAlive(boolean enabled) {
        options.setKeepAlive(enabled);
    }

    @Override
    public final boolean getTcpKeepAlive() {
        return options.keepAlive();
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
        if (state.lost()) {
            throw new IllegalStateException("the connection is closed");
        }
        boolean named = hostname != null && clientMode;
        tls = new TlsLayer(TlsEngines.forConnection(context, clientMode, hostname,
                named ? getPeer().getPort() : -1, verifyHostname), new TlsPeer(this)); // only TLS connections pay for it
        callsUnderWay++;
        try {
            tls.begin();
        } catch (SSLException e) {
            tlsFailed(e);
        } finally {
            callsUnderWay--;
        }
    }

    @Override
    public final SSLSession getSession() {
        return tls != null && tls.handshakeDone() ? tls.session() : null;
    }

    // ---------------------------------------------------------------- ReactorResource

    @Override
    public final void reactorShutdown(ConnectionLost reason) {
        loss.reactorShutdown(reason);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (protocol == null ? "not started" : protocol.getClass().getName())
                + (state.lost() ? ", lost" : state == ConnectionState.DISCONNECTING ? ", disconnecting" : "") + "]";
    }

    // ---------------------------------------------------------------- internals

    /**
     * Makes one call into the protocol or the producer, counted as a call under way so that a loss it causes is
     * delivered after it returns; an exception is logged and loses the connection with it as the cause.
     *
     * @return false if the callback threw
     */
    boolean call(ProtocolEvent event, byte[] data) {
        Throwable failed = null;
        callsUnderWay++;
        try {
            event.fire(this, data);
        } catch (Throwable t) {
            failed = t;
        } finally {
            callsUnderWay--;
        }
        if (failed != null) {
            callbackFailed(event.callbackName(), failed);
            return false;
        }
        return true;
    }

    private void shutWrite() {
        write = WriteSide.SHUT;
        Throwable failed = null;
        callsUnderWay++;
        try {
            shutdownOutput();
        } catch (Throwable t) {
            failed = t;
        } finally {
            callsUnderWay--;
        }
        if (failed != null) {
            connectionFailed(failed);
            return;
        }
        if (protocol instanceof HalfCloseableProtocol) {
            if (!call(ProtocolEvent.WRITE_LOST, null)) {
                return;
            }
        }
        if (read.end == ReadSide.End.ENDED && !state.lost()) {
            loss.finish(new ConnectionDone("both halves of the connection were closed"), false);
        }
    }

    private void afterWrite() {
        RegisteredProducer p = producer;
        if (p == null) {
            return;
        }
        if (!p.streaming) {
            requestDrain();
        } else if (!p.paused && (writeBufferSize() > WRITE_BUFFER_LIMIT || waitingForHandshake())) {
            p.paused = true;
            try {
                p.pause();
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

    private void closeTlsOutbound() {
        if (tls != null) {
            tls.closeOutbound();
        }
    }

    private void requestDrain() {
        drainRequested = true;
        hookAwaitDrain();
    }

    void hookAwaitDrain() {
        callsUnderWay++;
        try {
            awaitDrain();
        } finally {
            callsUnderWay--;
        }
    }

    private void tlsFailed(SSLException e) {
        if (state.lost() || closeAfterDrain != null) {
            return;
        }
        closeAfterDrain = new ConnectionLost("the TLS handshake or a TLS record failed: " + e.getMessage(), e);
        state = ConnectionState.DISCONNECTING;
        read.update();
        // Let the alert the TLS layer sent reach the peer, then close.
        requestDrain();
    }

    private void callbackFailed(String what, Throwable t) {
        reactor.logError("in " + what + " of " + protocol, t);
        if (!state.lost()) {
            loss.finish(new ConnectionLost(what + " failed: " + t, t), false);
        }
    }

    void stopQuietly(Producer p) {
        try {
            p.stopProducing();
        } catch (Throwable t) {
            reactor.logError("in stopProducing of " + p, t);
        }
    }
}
