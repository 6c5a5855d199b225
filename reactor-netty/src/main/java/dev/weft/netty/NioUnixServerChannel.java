package dev.weft.netty;

import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.ServerChannel;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.nio.AbstractNioMessageChannel;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * A listening UNIX domain socket on a Netty NIO loop, bound already, whose accepted connections are
 * {@link NioUnixChannel}s (see there why not Netty's domain-socket channels). Unlike Netty's, closing it leaves the
 * socket file alone: the reactor removes it, as Twisted does. Netty calls it on its loop thread.
 */
final class NioUnixServerChannel extends AbstractNioMessageChannel implements ServerChannel {

    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    private final DefaultChannelConfig config = new DefaultChannelConfig(this,
            new ServerChannelRecvByteBufAllocator()) {
    };

    /**
     * Wraps a bound JDK channel.
     *
     * @param socket the listening channel, bound
     */
    NioUnixServerChannel(ServerSocketChannel socket) {
        super(null, socket, SelectionKey.OP_ACCEPT);
    }

    @Override
    protected ServerSocketChannel javaChannel() {
        return (ServerSocketChannel) super.javaChannel();
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public DefaultChannelConfig config() {
        return config;
    }

    @Override
    public boolean isActive() {
        return isOpen() && localAddress0() != null;
    }

    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
        SocketChannel c = javaChannel().accept();
        if (c == null) {
            return 0;
        }
        buf.add(new NioUnixChannel(this, c));
        return 1;
    }

    @Override
    protected SocketAddress localAddress0() {
        try {
            return javaChannel().getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return null;
    }

    @Override
    protected void doBind(SocketAddress local) throws Exception {
        javaChannel().bind(local);
    }

    @Override
    protected void doClose() throws Exception {
        javaChannel().close();
    }

    @Override
    protected boolean doConnect(SocketAddress remote, SocketAddress local) {
        throw new UnsupportedOperationException("a listening socket does not connect");
    }

    @Override
    protected void doFinishConnect() {
        throw new UnsupportedOperationException("a listening socket does not connect");
    }

    @Override
    protected void doDisconnect() {
        throw new UnsupportedOperationException("a listening socket does not disconnect");
    }

    @Override
    protected boolean doWriteMessage(Object msg, ChannelOutboundBuffer in) {
        throw new UnsupportedOperationException("a listening socket is not written to");
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        throw new UnsupportedOperationException("a listening socket is not written to");
    }
}
