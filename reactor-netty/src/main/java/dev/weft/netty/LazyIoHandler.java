package dev.weft.netty;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * The I/O handler of an owned loop, made when the loop first runs rather than when the reactor is created: Netty's
 * handlers open their descriptors (a {@code Selector}; epoll, event and timer descriptors) in their constructors,
 * so a reactor that is created and never run would hold them until it is collected. Netty calls
 * {@link #initialize()} on the loop thread at the loop's first run, before any other use but {@link #wakeup()} and
 * {@link #isCompatible(Class)}, which need no handler.
 */
final class LazyIoHandler implements IoHandler {
    private final IoHandlerFactory factory;
    private final ThreadAwareExecutor executor;
    private final Class<? extends IoHandle> handleType;
    private volatile IoHandler handler;

    private LazyIoHandler(IoHandlerFactory factory, ThreadAwareExecutor executor,
            Class<? extends IoHandle> handleType) {
        this.factory = factory;
        this.executor = executor;
        this.handleType = handleType;
    }

    /**
     * A factory of handlers made by {@code factory} at their loop's first run.
     *
     * @param factory    the real handler's factory
     * @param handleType the handles the real handler takes (what its {@code isCompatible} accepts)
     * @return the factory
     */
    static IoHandlerFactory factory(IoHandlerFactory factory, Class<? extends IoHandle> handleType) {
        return executor -> new LazyIoHandler(factory, executor, handleType);
    }

    private IoHandler handler() {
        IoHandler h = handler;
        if (h == null) {
            h = factory.newHandler(executor);
            handler = h;
        }
        return h;
    }

    /** On the loop thread, at its first run. */
    @Override
    public void initialize() {
        handler().initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        return handler().run(context);
    }

    @Override
    public void prepareToDestroy() {
        IoHandler h = handler;
        if (h != null) {
            h.prepareToDestroy();
        }
    }

    @Override
    public void destroy() {
        IoHandler h = handler;
        if (h != null) {
            h.destroy();
        }
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return handler().register(handle);
    }

    /**
     * Any thread. Before the loop's first run there is no wait to end; the task that came with the wake-up is in
     * the loop's queue, where its first run finds it.
     */
    @Override
    public void wakeup() {
        IoHandler h = handler;
        if (h != null) {
            h.wakeup();
        }
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> type) {
        return handleType.isAssignableFrom(type);
    }
}
