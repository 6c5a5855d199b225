package dev.weft.netty;

/**
 * A watched channel whose registration waits in a {@link ChannelWatchQueue} for the loop thread: a
 * {@link ChannelWatch} on an NIO loop, a {@link SelectorWatch} on a native one.
 */
interface QueuedWatch {
    /** Whether it is in the queue. Loop thread, or the thread that queues it. */
    boolean isQueued();

    /** Marks it in the queue or out of it. */
    void setQueued(boolean queued);

    /** Makes its registration match what its reader and writer ask for, logging what fails. Loop thread. */
    void applyOrLog();

    /** Ends its registration. Loop thread. */
    void cancel();
}
