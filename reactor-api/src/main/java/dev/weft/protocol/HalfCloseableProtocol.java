package dev.weft.protocol;

/**
 * Implemented by a {@link Protocol} that supports half-closed connections (Twisted's
 * {@code IHalfCloseableProtocol}).
 *
 * <p>For such a protocol, an end of stream from the peer calls {@link #readConnectionLost()} instead of closing
 * the connection, and {@link Transport#loseWriteConnection()} calls {@link #writeConnectionLost()} once the
 * output is shut. {@code connectionLost} is still called once, when both halves are closed (or on an error). Both
 * callbacks run on the reactor thread.
 */
public interface HalfCloseableProtocol {

    /**
     * The peer has closed its writing side (end of stream): no more {@code dataReceived} calls will come, but this
     * side may still write. Called once, on the reactor thread. An exception thrown here loses the connection with it
     * as the reason.
     */
    void readConnectionLost();

    /**
     * The writing side of this connection was shut, after {@link Transport#loseWriteConnection()} and once every
     * buffered byte was written. Called once, on the reactor thread.
     */
    void writeConnectionLost();
}
