package dev.weft.protocol;

import java.util.Objects;

/**
 * The handler of one connection's events (Twisted's {@code Protocol}): subclass it and override the callbacks you
 * need; each default does nothing.
 *
 * <p>Life of a protocol: a {@link Factory} builds it for a new connection; the backend calls
 * {@link #makeConnection(Transport)}, which sets {@link #transport} and calls {@link #connectionMade()}; then
 * {@link #dataReceived(byte[])} for each chunk read, in order; then {@link #connectionLost(Throwable)} exactly once.
 * Every callback runs on the reactor thread, one at a time, so a protocol needs no locking; an exception thrown by
 * {@code connectionMade} or {@code dataReceived} closes the connection, and becomes the reason given to
 * {@code connectionLost}.
 *
 * <p>Not thread-safe: use it on the reactor thread only (from another thread, go through
 * {@code Reactor.callFromThread}).
 */
public abstract class Protocol {

    /**
     * The connection, set by {@link #makeConnection(Transport)} before {@link #connectionMade()} runs; null before
     * that. Subclasses may read it; only {@code makeConnection} should set it.
     */
    protected Transport transport;

    private Factory factory;

    /** Creates a protocol with no transport and no factory. */
    protected Protocol() {
    }

    /**
     * Connects this protocol to {@code transport}: sets {@link #transport}, then calls {@link #connectionMade()}.
     * Called once, on the reactor thread, by the backend (or by a test double) when the connection is made.
     * Wrappers may override it; an override must call {@code super.makeConnection}.
     *
     * @param transport the connection
     * @throws NullPointerException if {@code transport} is null
     */
    public void makeConnection(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport must not be null");
        connectionMade();
    }

    /**
     * Called once, on the reactor thread, when the connection is made, after {@link #transport} is set and before
     * any {@link #dataReceived(byte[])}. The place to send a greeting or start a timer. Does nothing by default.
     */
    public void connectionMade() {
    }

    /**
     * Called on the reactor thread with each chunk of bytes read from the connection, in order. Chunk boundaries mean
     * nothing: one message may come in several chunks, several in one (use a framing receiver of
     * {@code dev.weft.protocol.basic} to get messages). Not called while the transport is paused, nor after
     * {@link #connectionLost(Throwable)}. Does nothing by default.
     *
     * @param data the bytes read; the protocol owns the array
     */
    public void dataReceived(byte[] data) {
    }

    /**
     * Called exactly once, on the reactor thread, when the connection has ended, whatever the cause; no other
     * callback follows it. The reason is a {@link ConnectionDone} for a clean close, a {@link ConnectionAborted}
     * after {@link Transport#abortConnection()}, or a {@link ConnectionLost} (anything else, the cause attached,
     * e.g. an exception thrown by {@link #dataReceived(byte[])}). Does nothing by default.
     *
     * @param reason why the connection ended
     */
    public void connectionLost(Throwable reason) {
    }

    /**
     * The connection, once {@link #makeConnection(Transport)} was called.
     *
     * @return the transport, or null before the connection is made
     */
    public final Transport transport() {
        return transport;
    }

    /**
     * The factory that built this protocol.
     *
     * @return the factory, or null if none was set
     */
    public final Factory factory() {
        return factory;
    }

    /**
     * Records the factory that built this protocol. {@link Factory#buildProtocol(java.net.InetSocketAddress)}
     * calls it; a factory that overrides {@code buildProtocol} without calling {@code super} should call it.
     *
     * @param factory the factory, or null
     */
    public final void setFactory(Factory factory) {
        this.factory = factory;
    }
}
