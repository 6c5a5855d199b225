package dev.weft.protocol;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The connection a {@link Protocol} writes to (Twisted's {@code ITCPTransport}).
 *
 * <p>A transport is a {@link Consumer} of what the protocol writes, with producer flow control, and a
 * {@link PushProducer} of what it reads: {@link #pauseProducing()} stops {@code dataReceived} calls until
 * {@link #resumeProducing()}; {@link #stopProducing()} closes the connection.
 *
 * <p>Not thread-safe: call every method on the reactor thread. Writes are buffered and never block the loop; the
 * protocol learns that the connection ended only through {@link Protocol#connectionLost(Throwable)}, called
 * exactly once, with {@link ConnectionDone} (closed cleanly), {@link ConnectionAborted} (this side aborted) or
 * {@link ConnectionLost} (anything else, with the cause attached).
 */
public interface Transport extends Consumer, PushProducer {

    /**
     * Buffers {@code data} to be written, in order, without blocking. As in Twisted, data written after
     * {@link #loseConnection()} (or {@link #loseWriteConnection()}) but before the connection closes is still sent:
     * that is how a registered producer finishes its output. Does nothing once the connection is lost (from
     * {@code connectionLost} on), after {@link #abortConnection()}, or once the writing side is shut. An empty
     * array does nothing.
     *
     * @param data the bytes; the transport may keep the array, so do not change it after the call
     * @throws NullPointerException if {@code data} is null
     */
    @Override
    void write(byte[] data);

    /**
     * Writes each element of {@code data} in order, as {@link #write(byte[])} would.
     *
     * @param data the chunks
     * @throws NullPointerException if {@code data} or one of its elements is null
     */
    void writeSequence(List<byte[]> data);

    /**
     * Closes the connection once every buffered byte is written and the registered producer (if any) is
     * unregistered. The protocol then gets {@code connectionLost(ConnectionDone)}, on the reactor thread, never
     * inside this call. Calling it again does nothing.
     */
    void loseConnection();

    /**
     * Closes the connection at once, dropping the write buffer (a TCP reset where the backend can). A registered
     * producer gets {@code stopProducing()}. The protocol gets {@code connectionLost(ConnectionAborted)} later on the
     * reactor thread, never inside this call (not even when called from {@code dataReceived}). Idempotent.
     */
    void abortConnection();

    /**
     * Half-closes: shuts the writing side once the buffer is written; the peer sees an end of stream, and this side
     * goes on reading until the peer closes too. A {@link HalfCloseableProtocol} then gets
     * {@code writeConnectionLost()} on the reactor thread. A peer whose protocol does not support half-close
     * usually closes the connection on that end of stream, and this side gets {@code connectionLost}.
     */
    void loseWriteConnection();

    /**
     * The address of the other end.
     *
     * @return the peer's address
     */
    InetSocketAddress getPeer();

    /**
     * The address of this end.
     *
     * @return the local address
     */
    InetSocketAddress getHost();

    /**
     * Whether the transport is closing or closed: true from the first call to {@link #loseConnection()},
     * {@link #abortConnection()} or {@link #stopProducing()}, or from the moment the connection was lost.
     * Framing receivers stop delivering once it is true.
     *
     * @return whether the transport is disconnecting or disconnected
     */
    boolean isDisconnecting();

    /**
     * The bytes written to this transport that the other side has not taken yet (the transport's write buffer, and
     * for TLS the plaintext held until the handshake is done). Flow control pauses a streaming producer when it grows
     * past the transport's high-water mark (64 KiB on TCP). For monitoring and tests. Reactor thread.
     *
     * <p>The default, for a transport that buffers nothing, is 0.
     *
     * @return the size of the write buffer, in bytes
     */
    default long writeBufferSize() {
        return 0;
    }

    /**
     * Sets {@code TCP_NODELAY} (Nagle's algorithm off when true). Transports that are not TCP record it only.
     *
     * @param enabled whether to disable Nagle's algorithm
     */
    void setTcpNoDelay(boolean enabled);

    /**
     * Reads {@code TCP_NODELAY}.
     *
     * @return whether Nagle's algorithm is off
     */
    boolean getTcpNoDelay();

    /**
     * Sets {@code SO_KEEPALIVE}. Transports that are not TCP record it only.
     *
     * @param enabled whether to send keep-alive probes
     */
    void setTcpKeepAlive(boolean enabled);

    /**
     * Reads {@code SO_KEEPALIVE}.
     *
     * @return whether keep-alive probes are sent
     */
    boolean getTcpKeepAlive();

    /**
     * Registers a producer of outgoing data. A streaming ({@link PushProducer}) producer is paused when the write
     * buffer exceeds the transport's limit (64 KiB for the TCP transports) and resumed when it is empty; a pull
     * producer gets {@code resumeProducing()} at once and each time the buffer drains. On a transport that is already
     * disconnected, the producer gets {@code stopProducing()} at once. Every callback runs on the reactor thread.
     *
     * @param producer  the producer
     * @param streaming whether {@code producer} is a push producer
     * @throws NullPointerException     if {@code producer} is null
     * @throws IllegalArgumentException if {@code producer} does not match {@code streaming}
     * @throws IllegalStateException    if a producer is registered already
     */
    @Override
    void registerProducer(Producer producer, boolean streaming);

    /** Stops reading from the connection: no {@code dataReceived} until {@link #resumeProducing()}. */
    @Override
    void pauseProducing();

    /** Reads from the connection again after {@link #pauseProducing()}. */
    @Override
    void resumeProducing();

    /** Closes the connection, as {@link #loseConnection()} does. */
    @Override
    void stopProducing();
}
