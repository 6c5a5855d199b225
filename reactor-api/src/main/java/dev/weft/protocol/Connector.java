package dev.weft.protocol;

import java.net.InetSocketAddress;

/**
 * An outgoing connection attempt and the connection that results from it (Twisted's {@code IConnector}). The same
 * connector is passed to every {@link ClientFactory} callback, so {@link #connect()} can try again.
 *
 * <p>Call every method on the reactor thread.
 */
public interface Connector {

    /**
     * Starts connecting (again) to {@link #getDestination()}, with the same factory: it gets
     * {@code startedConnecting(this)}, then a protocol or {@code clientConnectionFailed(this, reason)}.
     *
     * @throws IllegalStateException if the connector is connecting or connected already
     */
    void connect();

    /** Stops connecting, or closes the connection made (as by {@link Transport#loseConnection()}). */
    void disconnect();

    /**
     * Abandons the connection attempt in progress: the factory gets {@code clientConnectionFailed} with a
     * {@link ConnectCancelledException}.
     *
     * @throws NotConnectingException if no attempt is in progress
     */
    void stopConnecting();

    /**
     * Where this connector connects to.
     *
     * @return the destination (possibly unresolved)
     */
    InetSocketAddress getDestination();
}
