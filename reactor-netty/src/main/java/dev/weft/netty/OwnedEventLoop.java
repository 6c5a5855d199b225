package dev.weft.netty;

import io.netty.channel.ManualIoEventLoop;

/**
 * The {@link ManualIoEventLoop} of an owned reactor. It does not block while its thread is interrupted: Netty's NIO
 * handler would otherwise clear the flag of an interrupt that ends its {@code select} and wait again, losing the
 * interrupt, which the reactor takes as a request to stop once the loop returns.
 */
final class OwnedEventLoop extends ManualIoEventLoop {

    /**
     * Creates the loop, its thread set later by the first thread that runs it. Its I/O handler, and the descriptors
     * it opens, are made at that first run ({@link LazyIoHandler}): a reactor that never runs holds no descriptor.
     *
     * @param kind the kind of I/O
     */
    OwnedEventLoop(NettyIoKind kind) {
        super(null, null, LazyIoHandler.factory(kind.newHandlerFactory(), kind.handleType()));
    }

    /** Called by the I/O handler on the loop thread. */
    @Override
    protected boolean canBlock() {
        return !Thread.currentThread().isInterrupted();
    }
}
