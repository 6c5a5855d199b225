package dev.weft.protocol;

import java.util.function.Supplier;

/**
 * A {@link Factory} for outgoing connections, told how each attempt goes (Twisted's {@code ClientFactory}).
 *
 * <p>For one {@code connectTCP}: {@link #startedConnecting(Connector)} first; then either
 * {@link #clientConnectionFailed(Connector, Throwable)} (no connection was made) or {@code buildProtocol} and, when
 * that connection ends, {@link #clientConnectionLost(Connector, Throwable)} (after the protocol's
 * {@code connectionLost}). The same {@link Connector} is passed each time, and {@code connector.connect()} starts
 * another attempt. Every callback runs on the reactor thread; each default does nothing.
 */
public abstract class ClientFactory extends Factory {

    /** For subclasses that override {@link #buildProtocol(java.net.InetSocketAddress)}. */
    protected ClientFactory() {
    }

    /**
     * For subclasses whose {@code buildProtocol} takes protocols from {@code protocolSupplier}.
     *
     * @param protocolSupplier makes one protocol per call; it may return null to reject the connection
     * @throws NullPointerException if {@code protocolSupplier} is null
     */
    protected ClientFactory(Supplier<? extends Protocol> protocolSupplier) {
        super(protocolSupplier);
    }

    /**
     * A client factory whose protocols come from {@code protocolSupplier} and whose callbacks do nothing.
     *
     * @param protocolSupplier makes one protocol per call
     * @return a new client factory
     * @throws NullPointerException if {@code protocolSupplier} is null
     */
    public static ClientFactory forProtocol(Supplier<? extends Protocol> protocolSupplier) {
        return new SupplierClientFactory(protocolSupplier);
    }

    /**
     * Called on the reactor thread when an attempt to connect starts ({@code connectTCP}, {@code connectSSL} or
     * {@link Connector#connect()}), before any other callback of that attempt.
     *
     * @param connector the connector, which can {@code stopConnecting()} it
     */
    public void startedConnecting(Connector connector) {
    }

    /**
     * Called on the reactor thread when an attempt failed and no connection was made: refused
     * ({@link ConnectionRefusedException}), timed out ({@link ConnectTimeoutException}), cancelled
     * ({@link ConnectCancelledException}), or another {@link ConnectFailedException} with the cause attached.
     *
     * @param connector the connector, which can {@code connect()} again
     * @param reason    why it failed
     */
    public void clientConnectionFailed(Connector connector, Throwable reason) {
    }

    /**
     * Called on the reactor thread when a connection this factory made has ended, after its protocol's
     * {@code connectionLost}, with the same reason.
     *
     * @param connector the connector, which can {@code connect()} again
     * @param reason    why the connection ended ({@link ConnectionDone}, {@link ConnectionLost} or
     *                  {@link ConnectionAborted})
     */
    public void clientConnectionLost(Connector connector, Throwable reason) {
    }

    private static final class SupplierClientFactory extends ClientFactory {
        SupplierClientFactory(Supplier<? extends Protocol> protocolSupplier) {
            super(protocolSupplier);
        }
    }
}
