package dev.weft.netty;

/**
 * What a {@link NettyConnection} is to its channel; everything that differs between the kinds of channels is here.
 * Read on the channel's event loop, which is the reactor's.
 */
enum ChannelRole {
    /**
     * A channel the backend made ({@code listenTCP}, {@code connectTCP} and their TLS forms): the connection is its
     * only handler, the channel has Weft's options, and a close is a lost connection.
     */
    OWNED(false, true),
    /**
     * A channel of a user's pipeline, hosted by a {@link ProtocolHandler}: writes and closes enter the pipeline at
     * the handler's place, the channel keeps the user's options, a handler in front may pass reads on without a
     * {@code channelReadComplete} (the connection flushes after each batch itself), and a close without an error
     * (the peer's end of stream with {@code ALLOW_HALF_CLOSURE} off, or a handler in front closing) ends the
     * connection cleanly.
     */
    HOSTED(true, true),
    /**
     * A hosted channel whose {@link ProtocolHandler} was removed from the pipeline: the channel belongs to the
     * handlers that remain; the connection neither reads, nor changes, nor closes it any more.
     */
    DETACHED(true, false);

    private final boolean userChannel;
    private final boolean ownsChannel;

    ChannelRole(boolean userChannel, boolean ownsChannel) {
        this.userChannel = userChannel;
        this.ownsChannel = ownsChannel;
    }

    /**
     * Whether the channel is a user's (hosted, or detached from its handler): it keeps its options, a close without
     * an error is a clean end, and reads may come without a {@code channelReadComplete}.
     *
     * @return whether the channel belongs to a user's pipeline
     */
    boolean userChannel() {
        return userChannel;
    }

    /**
     * Whether the connection may read from, change and close the channel: not once detached.
     *
     * @return whether the connection controls the channel
     */
    boolean ownsChannel() {
        return ownsChannel;
    }
}
