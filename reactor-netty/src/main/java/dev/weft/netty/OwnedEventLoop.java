package dev.weft.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ManualIoEventLoop;

/**
 * The {@link ManualIoEventLoop} of an owned reactor. It does not block while its thread is interrupted: Netty's NIO
 * handler would otherwise clear the flag of an interrupt that ends its {@code select} and wait again, losing the
 * interrupt, which the reactor takes as a request to stop once the loop returns.
 */
final class OwnedEventLoop extends ManualIoEventLoop {

    /**
     * Creates the loop, its thread set later by the first thread that runs it.
     *
     * @param factory the I/O handler's factory
     */
    OwnedEventLoop(IoHandlerFactory factory) {
        super(null, null, factory);
    }

    /** Called by the I/O handler on the loop thread. */
    @Override
    protected boolean canBlock() {
        return !Thread.currentThread().isInterrupted();
    }
}
