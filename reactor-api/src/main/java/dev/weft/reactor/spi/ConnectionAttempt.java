package dev.weft.reactor.spi;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One try of a {@link TcpConnector} at opening an outgoing connection: what a backend supplies for
 * {@code connectTCP}, {@code connectSSL} and {@code connectUNIX}. The connector makes one per try (through the supplier the backend gave
 * it), starts it, and is its only owner: it keeps one attempt at a time, cancels it when it fails, times out, is
 * stopped or the reactor shuts down, and ignores what an attempt reports once it is not the current one. The
 * backend only opens the socket and reports the outcome, once: {@link #connected(StreamTransport)},
 * {@link #failed(Throwable)} or {@link #finishFailed(Throwable)}.
 *
 * <p>Every method runs on the reactor thread. For implementors of backends, not for protocol code.
 */
public abstract class ConnectionAttempt {

    /** The connector that started this attempt; set before {@link #start}. */
    TcpConnector connector;

    /** Creates an attempt, not started. Reactor thread. */
    protected ConnectionAttempt() {
    }

    /**
     * Opens a non-blocking connection to {@code remote}, bound to {@code bind} when not null. The outcome may be
     * reported from inside this call. An exception thrown is the attempt's failure. Reactor thread.
     *
     * @param remote the resolved destination: an {@link InetSocketAddress}, or for {@code connectUNIX} a
     *               {@link java.net.UnixDomainSocketAddress} (then {@code bind} is null)
     * @param bind   the local address to bind, or null
     * @throws Exception if the connection cannot be started
     */
    protected abstract void start(SocketAddress remote, InetSocketAddress bind) throws Exception;

    /**
     * Abandons the attempt: closes its socket, if it has one and has not handed it to a transport. Called once the
     * attempt failed as well, and may be called more than once. Reactor thread.
     */
    protected abstract void cancel();

    /**
     * The connection is made: {@code t}, not started, owns the socket from now on. Reactor thread.
     *
     * @param t the connection's transport
     */
    protected final void connected(StreamTransport t) {
        connector.attemptSucceeded(this, t);
    }

    /**
     * Connecting failed: the factory gets {@code clientConnectionFailed}. Reactor thread.
     *
     * @param cause why; see {@link TcpConnector}'s rules for the reason given to the factory
     */
    protected final void failed(Throwable cause) {
        connector.attemptFailed(this, cause);
    }

    /**
     * Finishing the connect failed once the system reported the socket ready: a reset there is a connection made,
     * then lost; anything else a failed connect (see {@link TcpConnector}). Reactor thread.
     *
     * @param cause why finishing failed
     */
    protected final void finishFailed(Throwable cause) {
        connector.finishFailed(this, cause);
    }
}
