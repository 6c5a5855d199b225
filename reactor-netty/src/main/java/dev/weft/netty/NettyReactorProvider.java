package dev.weft.netty;

import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorProvider;

/**
 * Makes the Netty backend available to {@code Reactors.create()} under the name {@code netty}: an owned
 * {@link NettyReactor} on the transport that {@value NettyReactor#TRANSPORT_OPTION} names. Thread-safe.
 */
public final class NettyReactorProvider implements ReactorProvider {

    static {
        // Before anything can load Netty's io_uring transport (see IoUringDefaults).
        IoUringDefaults.apply();
    }

    /** Creates the provider; {@link java.util.ServiceLoader} calls this, on any thread. */
    public NettyReactorProvider() {
    }

    /**
     * {@inheritDoc}
     *
     * <p>May be called from any thread.
     */
    @Override
    public String name() {
        return NettyReactor.NAME;
    }

    /**
     * {@inheritDoc}
     *
     * <p>May be called from any thread.
     *
     * @throws IllegalStateException if {@code epoll} is configured and the native library does not load here
     */
    @Override
    public Reactor create() {
        return NettyReactor.create();
    }
}
