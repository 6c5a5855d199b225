package dev.weft.protocol.policies;

import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A factory that wraps another and each protocol it builds (Twisted's {@code WrappingFactory}): the wrapped factory
 * builds the protocol, {@link #wrap(Protocol)} puts a {@link ProtocolWrapper} around it, and the wrappers that are
 * connected are tracked ({@link #protocols()}). Starting and stopping, and a client factory's callbacks, are passed
 * to the wrapped factory, so it works for ports and connectors alike.
 *
 * <p>Meant to be subclassed: override {@link #wrap(Protocol)} to use another wrapper. Reactor thread only.
 */
public class WrappingFactory extends ClientFactory {
    private final Factory wrappedFactory;
    private final Set<ProtocolWrapper> protocols = new LinkedHashSet<>();

    /**
     * Wraps a factory.
     *
     * @param wrappedFactory the factory whose protocols are wrapped
     * @throws NullPointerException if it is null
     */
    public WrappingFactory(Factory wrappedFactory) {
        this.wrappedFactory = Objects.requireNonNull(wrappedFactory, "wrappedFactory must not be null");
    }

    /**
     * The wrapped factory.
     *
     * @return the factory
     */
    public final Factory wrappedFactory() {
        return wrappedFactory;
    }

    /**
     * Builds the wrapped factory's protocol and wraps it; null (a refused connection) when the wrapped factory
     * returns null.
     */
    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
        Protocol p = wrappedFactory.buildProtocol(address);
        if (p == null) {
            return null;
        }
        ProtocolWrapper w = wrap(p);
        w.setFactory(this);
        return w;
    }

    /**
     * The wrapper of a new protocol: a plain {@link ProtocolWrapper} by default.
     *
     * @param wrappedProtocol the protocol the wrapped factory built
     * @return its wrapper
     */
    protected ProtocolWrapper wrap(Protocol wrappedProtocol) {
        return new ProtocolWrapper(this, wrappedProtocol);
    }

    /**
     * Called by a wrapper when its connection is made.
     *
     * @param p the wrapper
     */
    protected void registerProtocol(ProtocolWrapper p) {
        protocols.add(p);
    }

    /**
     * Called by a wrapper when its connection is lost.
     *
     * @param p the wrapper
     */
    protected void unregisterProtocol(ProtocolWrapper p) {
        protocols.remove(p);
    }

    /**
     * The wrappers whose connection is made and not yet lost (Twisted's {@code protocols}).
     *
     * @return an unmodifiable view
     */
    public final Set<ProtocolWrapper> protocols() {
        return Collections.unmodifiableSet(protocols);
    }

    /** Starts the wrapped factory. */
    @Override
    protected void startFactory() {
        wrappedFactory.doStart();
    }

    /** Stops the wrapped factory. */
    @Override
    protected void stopFactory() {
        wrappedFactory.doStop();
    }

    @Override
    public void startedConnecting(Connector connector) {
        if (wrappedFactory instanceof ClientFactory c) {
            c.startedConnecting(connector);
        }
    }

    @Override
    public void clientConnectionFailed(Connector connector, Throwable reason) {
        if (wrappedFactory instanceof ClientFactory c) {
            c.clientConnectionFailed(connector, reason);
        }
    }

    @Override
    public void clientConnectionLost(Connector connector, Throwable reason) {
        if (wrappedFactory instanceof ClientFactory c) {
            c.clientConnectionLost(connector, reason);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + wrappedFactory + ")";
    }
}
