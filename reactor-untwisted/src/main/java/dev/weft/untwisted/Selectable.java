package dev.weft.untwisted;

/**
 * What the selector dispatches to for a channel of this backend (a connection, a listening port, a UDP port, a
 * connection attempt): the attachment of its {@link java.nio.channels.SelectionKey}, beside the
 * {@link dev.weft.reactor.spi.Interest} of the descriptors users add with {@code addReader}/{@code addWriter}.
 * Backend channels never appear among those descriptors.
 *
 * <p>Called on the reactor thread only.
 */
interface Selectable {

    /**
     * The channel is ready. Handles its own errors: an exception that escapes is a bug, logged by the loop.
     *
     * @param readyOps the ready operations of the key ({@code OP_READ}, {@code OP_WRITE}, ...)
     */
    void ready(int readyOps);
}
