package dev.weft.reactor;

import java.nio.channels.SelectableChannel;

/**
 * Something the reactor watches for readiness: a non-blocking {@link SelectableChannel} and what to do when the
 * watch ends. Its callbacks run on the reactor thread.
 */
public interface FileDescriptor {

    /**
     * The channel to watch. It must be in non-blocking mode and stay the same for as long as it is watched.
     *
     * @return the channel
     */
    SelectableChannel channel();

    /**
     * Called once when the reactor stops watching this descriptor for a reason: a {@code doRead}/{@code doWrite}
     * that threw (the exception is the reason), or the reactor shutting down (a {@link dev.weft.protocol.ConnectionLost}).
     * Not called for an explicit {@code removeReader}/{@code removeWriter}.
     *
     * @param reason why the watch ended
     */
    void connectionLost(Throwable reason);

    /**
     * A short name for log lines about this descriptor.
     *
     * @return a label; the class name by default
     */
    default String logPrefix() {
        return getClass().getSimpleName();
    }
}
