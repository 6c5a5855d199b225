package dev.weft.protocol.policies;

import dev.weft.protocol.Factory;
import java.net.InetSocketAddress;
import dev.weft.protocol.Protocol;

/**
 * Caps the number of connections open at once (Twisted's {@code LimitTotalConnectionsFactory}): beyond the limit a
 * connection gets the overflow factory's protocol (to say "busy" and close, say) or, with none, is refused (the
 * backend closes it at once). Every connection, overflow ones included, counts until it is lost. Reactor thread
 * only.
 */
public final class LimitTotalConnectionsFactory extends WrappingFactory {
    private final int connectionLimit;
    private final Factory overflowFactory;
    private int connectionCount;

    /**
     * Limits a factory's connections, refusing those beyond the limit.
     *
     * @param wrappedFactory  the factory of the protocols
     * @param connectionLimit the most connections at once, 1 or more
     * @throws IllegalArgumentException if {@code connectionLimit} is less than 1
     */
    public LimitTotalConnectionsFactory(Factory wrappedFactory, int connectionLimit) {
        this(wrappedFactory, connectionLimit, null);
    }

    /**
     * Limits a factory's connections, giving those beyond the limit to another factory.
     *
     * @param wrappedFactory  the factory of the protocols
     * @param connectionLimit the most connections at once, 1 or more
     * @param overflowFactory builds the protocol of a connection beyond the limit, or null to refuse it
     * @throws IllegalArgumentException if {@code connectionLimit} is less than 1
     */
    public LimitTotalConnectionsFactory(Factory wrappedFactory, int connectionLimit, Factory overflowFactory) {
        super(wrappedFactory);
        if (connectionLimit < 1) {
            throw new IllegalArgumentException("connectionLimit must be at least 1, got " + connectionLimit);
        }
        this.connectionLimit = connectionLimit;
        this.overflowFactory = overflowFactory;
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
        Factory source = connectionCount < connectionLimit ? wrappedFactory() : overflowFactory;
        if (source == null) {
            return null;
        }
        Protocol p = source.buildProtocol(address);
        if (p == null) {
            return null;
        }
        ProtocolWrapper w = wrap(p);
        w.setFactory(this);
        connectionCount++;
        return w;
    }

    @Override
    protected void unregisterProtocol(ProtocolWrapper p) {
        super.unregisterProtocol(p);
        connectionCount--;
    }

    /**
     * The connections counted now (Twisted's {@code connectionCount}).
     *
     * @return the count
     */
    public int connectionCount() {
        return connectionCount;
    }
}
