package dev.weft.reactor.spi;

import dev.weft.reactor.ReadDescriptor;
import dev.weft.reactor.WriteDescriptor;
import java.nio.channels.SelectableChannel;

/**
 * What the reactor watches on one channel: at most one reader and one writer (they may be the same object). A
 * backend's driver keeps its own per-channel state here as an attachment ({@link #attach(Object)},
 * {@link #attachment(Class)}), typed when it is read back.
 *
 * <p>Used on the reactor thread only. For implementors of backends.
 */
public final class Interest {
    private final SelectableChannel channel;
    ReadDescriptor reader;
    WriteDescriptor writer;

    /** The backend's own state for this channel (untwisted's WatchedDescriptor, Netty's ChannelWatch), or null. */
    private Object attachment;

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

    /**
     * The backend's state for this channel, as the type the backend attached. Reactor thread.
     *
     * @param type the type of the attachment (the backend's own class)
     * @param <A>  that type
     * @return the attachment, or null if there is none
     * @throws ClassCastException if the attachment is not a {@code type}
     */
    public <A> A attachment(Class<A> type) {
        return type.cast(attachment);
    }

    /**
     * Whether {@code state} is this channel's attachment (the same object). Reactor thread.
     *
     * @param state the backend's state for a channel
     * @return true if it is the one attached here
     */
    public boolean isAttached(Object state) {
        return attachment == state;
    }

    /**
     * Keeps the backend's state for this channel, replacing any before it. Reactor thread.
     *
     * @param state the backend's state, or null to drop it
     */
    public void attach(Object state) {
        attachment = state;
    }
}
