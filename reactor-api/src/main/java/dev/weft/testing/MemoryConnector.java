package dev.weft.testing;

import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectCancelledException;
import dev.weft.protocol.Connector;
import dev.weft.protocol.NotConnectingException;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.Transport;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The {@link Connector} that {@link MemoryReactor#connectTCP} and {@link MemoryReactor#connectSSL} return. It never
 * connects by itself: the test decides the outcome of each attempt with {@link #completeConnection(Transport)},
 * {@link #failConnection(Throwable)} and, once connected, {@link #loseConnection(Throwable)}; each calls the
 * factory's callbacks (and the protocol's) as a backend would, with this connector.
 *
 * <p>Not thread-safe; use it on one thread (the test's).
 */
public final class MemoryConnector implements Connector {

    /** Where an attempt stands. */
    public enum State {
        /** An attempt is in progress (after {@code connectTCP} or {@link #connect()}). */
        CONNECTING,
        /** {@link #completeConnection(Transport)} made a connection. */
        CONNECTED,
        /** No attempt in progress and no connection. */
        DISCONNECTED
    }

    private final InetSocketAddress destination;
    private final ClientFactory factory;
    private State state = State.CONNECTING;
    private int connectCount = 1;
    private boolean stoppedConnecting;
    private boolean disconnectCalled;
    private Protocol protocol;
    private Transport transport;

    MemoryConnector(InetSocketAddress destination, ClientFactory factory) {
        this.destination = destination;
        this.factory = factory;
    }

    /**
     * Starts another attempt: counts it and calls the factory's {@code startedConnecting(this)}.
     *
     * @throws IllegalStateException if an attempt is in progress or a connection is open
     */
    @Override
    public void connect() {
        if (state != State.DISCONNECTED) {
            throw new IllegalStateException("cannot connect while " + state);
        }
        state = State.CONNECTING;
        connectCount++;
        protocol = null;
        transport = null;
        factory.startedConnecting(this);
    }

    /**
     * Stops the attempt in progress (as {@link #stopConnecting()}) or loses the connection's transport
     * ({@code transport.loseConnection()}); records the call.
     */
    @Override
    public void disconnect() {
        disconnectCalled = true;
        if (state == State.CONNECTING) {
            stopConnecting();
        } else if (state == State.CONNECTED) {
            transport.loseConnection();
        }
    }

    /**
     * Abandons the attempt: the factory gets {@code clientConnectionFailed(this, ConnectCancelledException)}.
     *
     * @throws NotConnectingException if no attempt is in progress
     */
    @Override
    public void stopConnecting() {
        if (state != State.CONNECTING) {
            throw new NotConnectingException("not connecting (" + state + ")");
        }
        stoppedConnecting = true;
        state = State.DISCONNECTED;
        factory.clientConnectionFailed(this, new ConnectCancelledException("stopConnecting() was called"));
    }

    @Override
    public InetSocketAddress getDestination() {
        return destination;
    }

    /**
     * Completes the attempt in progress: {@code buildProtocol(destination)}, then the protocol's
     * {@code makeConnection(transport)}. If the factory returns null, the attempt fails as a backend's would: the
     * transport is told to {@code loseConnection()} and the connector is disconnected.
     *
     * @param transport the connection's transport, e.g. a {@link StringTransport}
     * @return the protocol built, or null if the factory rejected the connection
     * @throws NullPointerException  if {@code transport} is null
     * @throws IllegalStateException if no attempt is in progress
     */
    public Protocol completeConnection(Transport transport) {
        Objects.requireNonNull(transport, "transport must not be null");
        if (state != State.CONNECTING) {
            throw new IllegalStateException("no attempt in progress (" + state + ")");
        }
        Protocol p = factory.buildProtocol(destination);
        if (p == null) {
            state = State.DISCONNECTED;
            transport.loseConnection();
            return null;
        }
        state = State.CONNECTED;
        this.transport = transport;
        this.protocol = p;
        p.makeConnection(transport);
        return p;
    }

    /**
     * Fails the attempt in progress: the factory gets {@code clientConnectionFailed(this, reason)}.
     *
     * @param reason why, e.g. a {@link dev.weft.protocol.ConnectionRefusedException}
     * @throws NullPointerException  if {@code reason} is null
     * @throws IllegalStateException if no attempt is in progress
     */
    public void failConnection(Throwable reason) {
        Objects.requireNonNull(reason, "reason must not be null");
        if (state != State.CONNECTING) {
            throw new IllegalStateException("no attempt in progress (" + state + ")");
        }
        state = State.DISCONNECTED;
        factory.clientConnectionFailed(this, reason);
    }

    /**
     * Ends the connection: the protocol's {@code connectionLost(reason)}, then the factory's
     * {@code clientConnectionLost(this, reason)}.
     *
     * @param reason why, e.g. a {@link dev.weft.protocol.ConnectionDone}
     * @throws NullPointerException  if {@code reason} is null
     * @throws IllegalStateException if not connected
     */
    public void loseConnection(Throwable reason) {
        Objects.requireNonNull(reason, "reason must not be null");
        if (state != State.CONNECTED) {
            throw new IllegalStateException("not connected (" + state + ")");
        }
        state = State.DISCONNECTED;
        Protocol p = protocol;
        protocol = null;
        transport = null;
        p.connectionLost(reason);
        factory.clientConnectionLost(this, reason);
    }

    /**
     * Where the connector stands.
     *
     * @return the state
     */
    public State state() {
        return state;
    }

    /**
     * How many attempts were started: 1 for the {@code connectTCP} call, plus one per {@link #connect()}.
     *
     * @return the number of attempts
     */
    public int connectCount() {
        return connectCount;
    }

    /**
     * Whether {@link #stopConnecting()} was called successfully.
     *
     * @return whether an attempt was stopped
     */
    public boolean stoppedConnecting() {
        return stoppedConnecting;
    }

    /**
     * Whether {@link #disconnect()} was called.
     *
     * @return whether disconnect was requested
     */
    public boolean disconnectCalled() {
        return disconnectCalled;
    }

    /**
     * The factory given to the connect call.
     *
     * @return the factory
     */
    public ClientFactory factory() {
        return factory;
    }

    /**
     * The protocol of the open connection.
     *
     * @return the protocol, or null when not connected
     */
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "MemoryConnector[" + destination + ", " + state + "]";
    }
}
