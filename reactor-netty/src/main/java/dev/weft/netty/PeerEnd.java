package dev.weft.netty;

import io.netty.channel.Channel;
import io.netty.channel.uring.IoUringDomainSocketChannel;

/**
 * What a channel of the backend's own does when its peer ends its stream, and so how a connection learns of that
 * end. Any thread.
 */
enum PeerEnd {
    /**
     * The channel half-closes: Netty shuts its input, fires {@code ChannelInputShutdownEvent} and keeps the channel
     * open for writing (the backend's channels ask for half-closure).
     */
    HALF_CLOSES,
    /**
     * The channel closes, with no error reported: Netty's io_uring UNIX channel, which allows half-closure only for
     * a {@code SocketChannelConfig} (Netty 4.2.18, {@code AbstractIoUringChannel.isAllowHalfClosure}), while its
     * configuration is a {@code DomainSocketChannelConfig}. A close that no error and no call of the connection's
     * came before is then the peer's end of stream.
     */
    CLOSES_CHANNEL;

    /**
     * What {@code ch} does at its peer's end of stream, when it is configured by
     * {@link NettyConnection#configure(io.netty.channel.ChannelConfig)}.
     *
     * @param ch a channel of the backend's own
     * @return how it reports the peer's end of stream
     */
    static PeerEnd of(Channel ch) {
        return ch instanceof IoUringDomainSocketChannel ? CLOSES_CHANNEL : HALF_CLOSES;
    }
}
