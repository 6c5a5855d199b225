package dev.weft.testing;

import dev.weft.reactor.internal.ProducerRegistration;

import dev.weft.protocol.Producer;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PullProducer;
import dev.weft.protocol.PushProducer;
import dev.weft.protocol.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * One end of an in-memory connection made by {@link IOPump}: what its protocol writes waits here until the pump
 * moves it to the other end (Twisted's {@code iosim.FakeTransport}).
 *
 * <p>It behaves as a real transport does, on the pump's schedule: writes are dropped once the connection is lost,
 * aborted or its writing side shut (writes made after {@code loseConnection()} but before the close are
 * delivered); {@code loseConnection()} closes once the buffer is delivered and the producer unregistered; {@code abortConnection()} drops the buffer; half-close reaches
 * {@link dev.weft.protocol.HalfCloseableProtocol}s; a streaming producer is paused above
 * {@link #getBufferSize()} bytes and resumed when the buffer is empty, a pull producer is asked for more each time
 * it is empty; {@code pauseProducing()} holds incoming data. {@code connectionLost} is called exactly once, by the
 * pump, never inside a transport method.
 *
 * <p>Not thread-safe; use it on one thread (the test's).
 */
public final class FakeTransport implements Transport {

    /** The default write-buffer size above which a streaming producer is paused, as on a TCP transport. */
    public static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

    final Protocol protocol;
    private final boolean server;
    private final InetSocketAddress host;
    private final InetSocketAddress peer;
    final ArrayDeque<byte[]> outgoing = new ArrayDeque<>();
    long outgoingBytes;
    boolean disconnecting;
    boolean aborted;
    boolean writeShutRequested;
    boolean writeShut;
    boolean readShut;
    boolean lost;
    boolean readPaused;
    Producer producer;
    boolean streaming;
    boolean producerPaused;
    private boolean tcpNoDelay;
    private boolean tcpKeepAlive;
    private int bufferSize = DEFAULT_BUFFER_SIZE;
    private Throwable lostReason;

    FakeTransport(Protocol protocol, boolean server, InetSocketAddress host, InetSocketAddress peer) {
        this.protocol = protocol;
        this.server = server;
        this.host = host;
        this.peer = peer;
    }

    @Override
    public void write(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        if (lost || aborted || writeShut || data.length == 0) {
            return;
        }
        outgoing.add(data);
        outgoingBytes += data.length;
        if (producer != null && streaming && !producerPaused && outgoingBytes > bufferSize) {
            producerPaused = true;
            ((PushProducer) producer).pauseProducing();
        }
    }

    @Override
    public void writeSequence(List<byte[]> data) {
        Objects.requireNonNull(data, "data must not be null");
        for (byte[] chunk : data) {
            write(Objects.requireNonNull(chunk, "data must not contain null"));
        }
    }

    @Override
    public void loseConnection() {
        disconnecting = true;
    }

    @Override
    public void abortConnection() {
        if (lost || aborted) {
            return;
        }
        aborted = true;
        disconnecting = true;
        outgoing.clear();
        outgoingBytes = 0;
        stopProducer();
    }

    @Override
    public void loseWriteConnection() {
        writeShutRequested = true;
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
    public boolean isDisconnecting() {
        return disconnecting || lost;
    }

    /** What was written and not yet pumped to the peer ({@link IOPump}): the same as {@link #bufferedBytes()}. */
    @Override
    public long writeBufferSize() {
        return outgoingBytes;
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

    @Override
    public void registerProducer(Producer producer, boolean streaming) {
        ProducerRegistration.check(this.producer, producer, streaming);
        if (lost) {
            producer.stopProducing();
            return;
        }
        this.producer = producer;
        this.streaming = streaming;
        this.producerPaused = false;
        if (!streaming) {
            ((PullProducer) producer).resumeProducing();
        }
    }

    @Override
    public void unregisterProducer() {
        producer = null;
        streaming = false;
        producerPaused = false;
    }

    /** Holds incoming data (it waits in the other end's buffer) until {@link #resumeProducing()}. */
    @Override
    public void pauseProducing() {
        readPaused = true;
    }

    /** Lets incoming data through again, at the next pump. */
    @Override
    public void resumeProducing() {
        readPaused = false;
    }

    /** Closes the connection, as {@link #loseConnection()}. */
    @Override
    public void stopProducing() {
        loseConnection();
    }

    /** Gives every producer that is registered its {@code stopProducing()}, once. */
    void stopProducer() {
        Producer p = producer;
        producer = null;
        if (p != null) {
            p.stopProducing();
        }
    }

    /** Ends this side, once: drops the buffer, stops the producer, calls {@code connectionLost(reason)}. */
    void reportLost(Throwable reason) {
        if (lost) {
            return;
        }
        lost = true;
        disconnecting = true;
        lostReason = reason;
        outgoing.clear();
        outgoingBytes = 0;
        stopProducer();
        protocol.connectionLost(reason);
    }

    /** After a pump moved data: resume a paused streaming producer, or ask a pull producer for more. */
    boolean checkProducer() {
        if (producer == null || lost || !outgoing.isEmpty()) {
            return false;
        }
        if (streaming) {
            if (producerPaused) {
                producerPaused = false;
                ((PushProducer) producer).resumeProducing();
                return true;
            }
            return false;
        }
        ((PullProducer) producer).resumeProducing();
        return true;
    }

    /**
     * The write-buffer size above which a streaming producer is paused.
     *
     * @return the size in bytes
     */
    public int getBufferSize() {
        return bufferSize;
    }

    /**
     * Sets the write-buffer size above which a streaming producer is paused.
     *
     * @param bufferSize the size in bytes, not negative
     * @throws IllegalArgumentException if {@code bufferSize} is negative
     */
    public void setBufferSize(int bufferSize) {
        if (bufferSize < 0) {
            throw new IllegalArgumentException("bufferSize must not be negative, got " + bufferSize);
        }
        this.bufferSize = bufferSize;
    }

    /**
     * How many written bytes wait for the pump.
     *
     * @return the count
     */
    public long bufferedBytes() {
        return outgoingBytes;
    }

    /**
     * Whether this end is closed ({@code connectionLost} was called).
     *
     * @return whether the connection is lost on this side
     */
    public boolean isLost() {
        return lost;
    }

    /**
     * The reason given to this side's {@code connectionLost}.
     *
     * @return the reason, or null while connected
     */
    public Throwable lostReason() {
        return lostReason;
    }

    /**
     * Whether reading is paused.
     *
     * @return true between {@code pauseProducing()} and {@code resumeProducing()}
     */
    public boolean isReadPaused() {
        return readPaused;
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
     * Whether this end is the server's.
     *
     * @return true for the server's transport
     */
    public boolean isServer() {
        return server;
    }

    @Override
    public String toString() {
        return "FakeTransport[" + (server ? "server" : "client") + ", " + outgoingBytes + " bytes buffered"
                + (lost ? ", lost" : disconnecting ? ", disconnecting" : "") + "]";
    }
}
