package dev.weft.protocol.policies;

import dev.weft.protocol.Producer;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.Transport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * A protocol that wraps another and is its transport too (Twisted's {@code ProtocolWrapper}): events from the
 * connection go through the wrapper to the wrapped protocol, and the wrapped protocol's transport calls go through
 * the wrapper to the connection, so a subclass can watch or change either direction. Built by a
 * {@link WrappingFactory}, with which it registers itself while connected.
 *
 * <p>Meant to be subclassed (an override calls {@code super}). What is not forwarded: half-close events (the wrapper
 * is not a {@link dev.weft.protocol.HalfCloseableProtocol}, so a connection under a wrapper ends at the peer's end of
 * stream) and {@code startTLS}.
 *
 * <p>Reactor thread only, like the protocol it wraps.
 */
public class ProtocolWrapper extends Protocol implements Transport {
    private final WrappingFactory wrappingFactory;
    private final Protocol wrappedProtocol;
    private boolean disconnecting;

    /**
     * Wraps a protocol.
     *
     * @param factory         the factory that built this wrapper; it tracks the wrapper while connected
     * @param wrappedProtocol the protocol to wrap
     * @throws NullPointerException if an argument is null
     */
    public ProtocolWrapper(WrappingFactory factory, Protocol wrappedProtocol) {
        this.wrappingFactory = Objects.requireNonNull(factory, "factory must not be null");
        this.wrappedProtocol = Objects.requireNonNull(wrappedProtocol, "wrappedProtocol must not be null");
    }

    /**
     * The wrapped protocol.
     *
     * @return the protocol
     */
    public final Protocol wrappedProtocol() {
        return wrappedProtocol;
    }

    /**
     * Keeps the connection's transport, registers with the factory, then connects the wrapped protocol to this
     * wrapper (so its {@code connectionMade} runs inside this call).
     */
    @Override
    public void makeConnection(Transport transport) {
        super.makeConnection(transport);
        wrappingFactory.registerProtocol(this);
        wrappedProtocol.makeConnection(this);
    }

    /** Passes the data to the wrapped protocol. */
    @Override
    public void dataReceived(byte[] data) {
        wrappedProtocol.dataReceived(data);
    }

    /** Unregisters from the factory, then passes the end to the wrapped protocol. */
    @Override
    public void connectionLost(Throwable reason) {
        wrappingFactory.unregisterProtocol(this);
        wrappedProtocol.connectionLost(reason);
    }

    // ---------------------------------------------------------------- the transport, passed to the connection

    @Override
    public void write(byte[] data) {
        transport.write(data);
    }

    @Override
    public void writeSequence(List<byte[]> data) {
        transport.writeSequence(data);
    }

    @Override
    public void loseConnection() {
        disconnecting = true;
        transport.loseConnection();
    }

    @Override
    public void abortConnection() {
        disconnecting = true;
        transport.abortConnection();
    }

    @Override
    public void loseWriteConnection() {
        transport.loseWriteConnection();
    }

    @Override
    public InetSocketAddress getPeer() {
        return transport.getPeer();
    }

    @Override
    public InetSocketAddress getHost() {
        return transport.getHost();
    }

    /** Whether the wrapped protocol (or the connection) is closing it. */
    @Override
    public boolean isDisconnecting() {
        return disconnecting || transport.isDisconnecting();
    }

    @Override
    public long writeBufferSize() {
        return transport.writeBufferSize();
    }

    @Override
    public void setTcpNoDelay(boolean enabled) {
        transport.setTcpNoDelay(enabled);
    }

    @Override
    public boolean getTcpNoDelay() {
        return transport.getTcpNoDelay();
    }

    @Override
    public void setTcpKeepAlive(boolean enabled) {
        transport.setTcpKeepAlive(enabled);
    }

    @Override
    public boolean getTcpKeepAlive() {
        return transport.getTcpKeepAlive();
    }

    @Override
    public void registerProducer(Producer producer, boolean streaming) {
        transport.registerProducer(producer, streaming);
    }

    @Override
    public void unregisterProducer() {
        transport.unregisterProducer();
    }

    @Override
    public void pauseProducing() {
        transport.pauseProducing();
    }

    @Override
    public void resumeProducing() {
        transport.resumeProducing();
    }

    @Override
    public void stopProducing() {
        transport.stopProducing();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + wrappedProtocol + ")";
    }
}
