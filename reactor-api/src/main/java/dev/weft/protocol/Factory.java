package dev.weft.protocol;

import dev.weft.reactor.internal.Loggers;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Makes a {@link Protocol} for each connection a listening port accepts (Twisted's {@code Factory}).
 *
 * <p>Either pass a supplier of protocols ({@link #forProtocol(Supplier)}, or the protected constructor of a
 * subclass) or override {@link #buildProtocol(InetSocketAddress)}. A factory may serve several ports: the backend
 * calls {@link #doStart()} when a port starts using it and {@link #doStop()} when one stops, and this class counts
 * them so that {@link #startFactory()} runs when the first port starts and {@link #stopFactory()} when the last
 * stops, however many ports there are.
 *
 * <p>Every method is called on the reactor thread; the class is not thread-safe. Subclasses may override
 * {@code buildProtocol}, {@code startFactory} and {@code stopFactory}.
 */
public abstract class Factory {

    private static final Logger LOG = Loggers.get(Factory.class);

    private final Supplier<? extends Protocol> protocolSupplier;
    private int numPorts;

    /** For subclasses that override {@link #buildProtocol(InetSocketAddress)}. */
    protected Factory() {
        this.protocolSupplier = null;
    }

    /**
     * For subclasses whose {@link #buildProtocol(InetSocketAddress)} takes protocols from {@code protocolSupplier}.
     *
     * @param protocolSupplier makes one protocol per call; it may return null to reject a connection
     * @throws NullPointerException if {@code protocolSupplier} is null
     */
    protected Factory(Supplier<? extends Protocol> protocolSupplier) {
        this.protocolSupplier = Objects.requireNonNull(protocolSupplier, "protocolSupplier must not be null");
    }

    /**
     * A factory whose protocols come from {@code protocolSupplier} (Twisted's {@code Factory.forProtocol}).
     *
     * @param protocolSupplier makes one protocol per call; it may return null to reject a connection
     * @return a new factory
     * @throws NullPointerException if {@code protocolSupplier} is null
     */
    public static Factory forProtocol(Supplier<? extends Protocol> protocolSupplier) {
        return new SupplierFactory(protocolSupplier);
    }

    /**
     * Builds the protocol for a connection from {@code address}. Called on the reactor thread when a connection is
     * accepted (or, for a client factory, made), before the protocol's {@code makeConnection}. Returning null
     * rejects the connection: the backend closes it at once, and no protocol callback runs.
     *
     * <p>By default, takes a protocol from the supplier given to the constructor and sets its factory to this one.
     * An override should set the factory with {@link Protocol#setFactory(Factory)} (or call {@code super}).
     *
     * @param address the peer's address
     * @return the protocol, or null to reject the connection
     * @throws UnsupportedOperationException if no supplier was given and the method was not overridden
     */
    public Protocol buildProtocol(InetSocketAddress address) {
        if (protocolSupplier == null) {
            throw new UnsupportedOperationException(
                    getClass().getName() + " must override buildProtocol or pass a Supplier<Protocol>");
        }
        Protocol protocol = protocolSupplier.get();
        if (protocol != null) {
            protocol.setFactory(this);
        }
        return protocol;
    }

    /**
     * Called by the backend, on the reactor thread, when a port or connector starts using this factory. Calls
     * {@link #startFactory()} if no other port is using it.
     */
    public final void doStart() {
        if (numPorts == 0) {
            LOG.debug("Starting factory {}", this);
            startFactory();
        }
        numPorts++;
    }

    /**
     * Called by the backend, on the reactor thread, when a port or connector stops using this factory. Calls
     * {@link #stopFactory()} when it was the last one. A call with no matching {@link #doStart()} does nothing.
     */
    public final void doStop() {
        if (numPorts == 0) {
            LOG.debug("doStop() on factory {} that was not started; ignored", this);
            return;
        }
        numPorts--;
        if (numPorts == 0) {
            LOG.debug("Stopping factory {}", this);
            stopFactory();
        }
    }

    /**
     * How many ports and connectors are using this factory ({@link #doStart()} calls not yet matched by
     * {@link #doStop()}).
     *
     * @return the count, zero or more
     */
    public final int numPorts() {
        return numPorts;
    }

    /**
     * Called once, on the reactor thread, before the first connection of the first port that uses this factory:
     * the place to open resources shared by its protocols. Does nothing by default.
     */
    protected void startFactory() {
    }

    /**
     * Called once, on the reactor thread, when the last port using this factory has stopped: the place to release
     * what {@link #startFactory()} opened. Does nothing by default.
     */
    protected void stopFactory() {
    }

    private static final class SupplierFactory extends Factory {
        SupplierFactory(Supplier<? extends Protocol> protocolSupplier) {
            super(protocolSupplier);
        }
    }
}
