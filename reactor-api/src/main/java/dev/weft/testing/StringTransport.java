package dev.weft.testing;

import dev.weft.reactor.internal.ProducerRegistration;

import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionClosedException;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.Producer;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.Transport;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Transport} that records what is written to it, for unit tests of protocols with no sockets (Twisted's
 * {@code StringTransport}).
 *
 * <p>Connect a protocol with {@code protocol.makeConnection(new StringTransport())}, feed it with
 * {@code protocol.dataReceived(...)}, and check {@link #value()}. Closing is only recorded:
 * {@link #loseConnection()} sets {@link #isDisconnecting()}, {@link #abortConnection()} also sets
 * {@link #isAborting()}, and nothing calls the protocol's {@code connectionLost} (call it yourself), except on a
 * transport made by {@link #withDisconnection(Protocol)}, Twisted's {@code StringTransportWithDisconnection}. Unlike a real
 * transport, writes made after {@code loseConnection()} are still recorded, so a test can see them.
 *
 * <p>The transport's own producer state (is reading paused?) is {@link #producerState()}; pausing or resuming a
 * transport that was stopped or is disconnecting throws, to catch protocols that do so. The default addresses are
 * Twisted's: host {@code 10.0.0.1:12345}, peer {@code 192.168.1.1:54321}.
 *
 * <p>Not thread-safe; use it on one thread (the test's).
 */
public final class StringTransport implements Transport {

    /** The state of the transport as a producer of incoming data. */
    public enum ProducerState {
        /** Reading (the initial state). */
        PRODUCING,
        /** Paused with {@link #pauseProducing()}. */
        PAUSED,
        /** Stopped with {@link #stopProducing()}. */
        STOPPED
    }

    /** The default local address, {@code 10.0.0.1:12345}. */
    public static final InetSocketAddress DEFAULT_HOST = address(new byte[] {10, 0, 0, 1}, 12345);

    /** The default peer address, {@code 192.168.1.1:54321}. */
    public static final InetSocketAddress DEFAULT_PEER = address(new byte[] {(byte) 192, (byte) 168, 1, 1}, 54321);

    private final InetSocketAddress host;
    private final InetSocketAddress peer;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private boolean disconnecting;
    private boolean disconnected;
    private boolean aborting;
    private boolean writeDisconnecting;
    private boolean tcpNoDelay;
    private boolean tcpKeepAlive;
    private Producer producer;
    private boolean streaming;
    private ProducerState producerState = ProducerState.PRODUCING;
    private Protocol disconnectionProtocol;

    /** A transport with the default addresses. */
    public StringTransport() {
        this(DEFAULT_HOST, DEFAULT_PEER);
    }

    /**
     * A transport with the given addresses.
     *
     * @param host the local address, returned by {@link #getHost()}
     * @param peer the peer's address, returned by {@link #getPeer()}
     * @throws NullPointerException if an argument is null
     */
    public StringTransport(InetSocketAddress host, InetSocketAddress peer) {
        this.host = Objects.requireNonNull(host, "host must not be null");
        this.peer = Objects.requireNonNull(peer, "peer must not be null");
    }

    /**
     * A transport that, like Twisted's {@code StringTransportWithDisconnection}, ends {@code protocol}'s connection
     * when the protocol closes it: the first {@link #loseConnection()} calls
     * {@code protocol.connectionLost(ConnectionDone)}, the first {@link #abortConnection()}
     * {@code connectionLost(ConnectionAborted)}, and {@link #isDisconnected()} becomes true. Connect it with
     * {@code protocol.makeConnection(transport)} as usual. Test thread.
     *
     * @param protocol the protocol whose {@code connectionLost} runs on disconnection
     * @return the transport, with the default addresses
     * @throws NullPointerException if {@code protocol} is null
     */
    public static StringTransport withDisconnection(Protocol protocol) {
        StringTransport t = new StringTransport();
        t.disconnectionProtocol = Objects.requireNonNull(protocol, "protocol must not be null");
        return t;
    }

    private void disconnect(ConnectionClosedException reason) {
        Protocol p = disconnectionProtocol;
        if (p == null || disconnected) {
            return;
        }
        setDisconnected();
        p.connectionLost(reason);
    }

    static InetSocketAddress address(byte[] ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Everything written so far (since the last {@link #clear()}).
     *
     * @return a copy of the bytes written
     */
    public byte[] value() {
        return written.toByteArray();
    }

    /**
     * Everything written so far, decoded as UTF-8.
     *
     * @return the text written
     */
    public String valueAsString() {
        return written.toString(StandardCharsets.UTF_8);
    }

    /** Forgets what was written. */
    public void clear() {
        written.reset();
    }

    /**
     * Records {@code data}.
     *
     * @param data the bytes
     * @throws NullPointerException if {@code data} is null
     */
    @Override
    public void write(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        written.writeBytes(data);
    }

    /**
     * Records each element of {@code data}.
     *
     * @param data the chunks
     * @throws NullPointerException if {@code data} or an element is null
     */
    @Override
    public void writeSequence(List<byte[]> data) {
        Objects.requireNonNull(data, "data must not be null");
        for (byte[] chunk : data) {
            write(Objects.requireNonNull(chunk, "data must not contain null"));
        }
    }

    /** Records the request: {@link #isDisconnecting()} becomes true. */
    @Override
    public void loseConnection() {
        disconnecting = true;
        disconnect(new ConnectionDone("Bye."));
    }

    /** Records the request: {@link #isAborting()} and {@link #isDisconnecting()} become true. */
    @Override
    public void abortConnection() {
        aborting = true;
        disconnecting = true;
        disconnect(new ConnectionAborted("the connection was aborted"));
    }

    /** Records the request: {@link #isWriteDisconnecting()} becomes true. */
    @Override
    public void loseWriteConnection() {
        writeDisconnecting = true;
    }

    /**
     * Whether {@link #loseConnection()}, {@link #abortConnection()} or {@link #stopProducing()} was called, or
     * {@link #setDisconnected()}.
     *
     * @return whether the transport is disconnecting
     */
    @Override
    public boolean isDisconnecting() {
        return disconnecting;
    }

    /** What was written and not yet taken with {@link #clear()}: the size of {@link #value()}. */
    @Override
    public long writeBufferSize() {
        return written.size();
    }

    /**
     * Whether the test declared the connection gone with {@link #setDisconnected()}.
     *
     * @return whether the transport is disconnected
     */
    public boolean isDisconnected() {
        return disconnected;
    }

    /**
     * Declares the connection gone, as a test's way of simulating it: the transport is disconnecting and
     * disconnected, a registered producer gets {@code stopProducing()}, and later producers get it at registration.
     * The protocol's {@code connectionLost} is not called (call it yourself).
     */
    public void setDisconnected() {
        disconnecting = true;
        disconnected = true;
        Producer p = producer;
        if (p != null) {
            p.stopProducing();
        }
    }

    /**
     * Whether {@link #abortConnection()} was called.
     *
     * @return whether the connection is being aborted
     */
    public boolean isAborting() {
        return aborting;
    }

    /**
     * Whether {@link #loseWriteConnection()} was called.
     *
     * @return whether the writing side is being shut
     */
    public boolean isWriteDisconnecting() {
        return writeDisconnecting;
    }

    @Override
    public InetSocketAddress getPeer() {
        return peer;
    }

    @Override
    public InetSocketAddress getHost() {
        return host;
    }

    @Override
    public void setTcpNoDelay(boolean enabled) {
        tcpNoDelay = enabled;
    }

    @Override
    public boolean getTcpNoDelay() {
        return tcpNoDelay;
    }

    @Override
    public void setTcpKeepAlive(boolean enabled) {
        tcpKeepAlive = enabled;
    }

    @Override
    public boolean getTcpKeepAlive() {
        return tcpKeepAlive;
    }

    /**
     * Records {@code producer}; on a transport declared disconnected, calls its {@code stopProducing()} at once.
     *
     * @param producer  the producer
     * @param streaming whether it is a push producer
     * @throws NullPointerException     if {@code producer} is null
     * @throws IllegalArgumentException if {@code producer} does not match {@code streaming}
     * @throws IllegalStateException    if a producer is registered already
     */
    @Override
    public void registerProducer(Producer producer, boolean streaming) {
        ProducerRegistration.check(this.producer, producer, streaming);
        this.producer = producer;
        this.streaming = streaming;
        if (disconnected) {
            producer.stopProducing();
        }
    }

    /** Forgets the registered producer, if any. */
    @Override
    public void unregisterProducer() {
        producer = null;
        streaming = false;
    }

    /**
     * The registered producer.
     *
     * @return the producer, or null
     */
    public Producer producer() {
        return producer;
    }

    /**
     * Whether the registered producer was registered as streaming.
     *
     * @return true for a push producer; false for a pull producer or none
     */
    public boolean isStreaming() {
        return streaming;
    }

    /**
     * The transport's own state as a producer of incoming data.
     *
     * @return the state
     */
    public ProducerState producerState() {
        return producerState;
    }

    /**
     * Records that reading is paused.
     *
     * @throws IllegalStateException if the transport was stopped or is disconnecting
     */
    @Override
    public void pauseProducing() {
        checkState("pause");
        producerState = ProducerState.PAUSED;
    }

    /**
     * Records that reading resumed.
     *
     * @throws IllegalStateException if the transport was stopped or is disconnecting
     */
    @Override
    public void resumeProducing() {
        checkState("resume");
        producerState = ProducerState.PRODUCING;
    }

    /** Records that the transport was stopped; it is then disconnecting. */
    @Override
    public void stopProducing() {
        producerState = ProducerState.STOPPED;
        disconnecting = true;
    }

    private void checkState(String what) {
        if (producerState == ProducerState.STOPPED) {
            throw new IllegalStateException("cannot " + what + " a stopped transport");
        }
        if (disconnecting) {
            throw new IllegalStateException("cannot " + what + " a transport after loseConnection");
        }
    }

    @Override
    public String toString() {
        return "StringTransport[" + written.size() + " bytes written" + (disconnecting ? ", disconnecting" : "") + "]";
    }
}
