package dev.weft.reactor.spi;

import dev.weft.reactor.ReadDescriptor;
import dev.weft.reactor.WriteDescriptor;
import java.nio.channels.SelectableChannel;

/**
 * What the reactor watches on one channel: at most one reader and one writer (they may be the same object). A
 * backend's driver keeps its own per-channel state in {@link #driverState}.
 *
 * <p>Used on the reactor thread only. For implementors of backends.
 */
public final class Interest {
    private final SelectableChannel channel;
    ReadDescriptor reader;
    WriteDescriptor writer;

    /** The backend's own state for this channel (untwisted's WatchedDescriptor, Netty's ChannelWatch). */
    public Object driverState;

    Interest(SelectableChannel channel) {
        this.channel = channel;
    }

    /**
     * The channel.
     *
     * @return the watched channel
     */
    public SelectableChannel channel() {
        return channel;
    }

    /**
     * The reader, if the channel is watched for reading.
     *
     * @return the reader, or null
     */
    public ReadDescriptor reader() {
        return reader;
    }

    /**
     * The writer, if the channel is watched for writing.
     *
     * @return the writer, or null
     */
    public WriteDescriptor writer() {
        return writer;
    }

    /**
     * Whether the channel is watched at all.
     *
     * @return true if it has a reader or a writer
     */
    public boolean isEmpty() {
        return reader == null && writer == null;
    }
}
