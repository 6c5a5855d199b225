package dev.weft.untwisted;

/**
 * What the selector dispatches to, the attachment of every {@link java.nio.channels.SelectionKey}: a channel of this
 * backend (a connection, a listening port, a UDP port, a connection attempt) or a channel users watch with
 * {@code addReader}/{@code addWriter} ({@link WatchedDescriptor}). Backend channels never appear among the users'
 * descriptors.
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
