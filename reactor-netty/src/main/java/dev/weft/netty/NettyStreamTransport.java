package dev.weft.netty;

import dev.weft.reactor.spi.StreamTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * One TCP connection on a Netty channel: the byte pipe under {@link StreamTransport}, and the channel's inbound
 * handler. It only moves bytes: every rule of the connection (close reasons, half-close, producers, TLS) is the
 * base's.
 *
 * <p>Netty events reach the base through {@link NettyReactor#onLoop(Runnable)}, on the reactor thread while the
 * reactor runs. An event Netty raises from inside one of this class's own calls (a write that fails at once) waits
 * for a later turn of the loop, so that the base is never called back from inside a call it made.
 */
final class NettyStreamTransport extends StreamTransport implements ChannelInboundHandler {

    private final NettyReactor reactor;
    private final Channel ch;
    private final NettyListeningPort port;

    private InetSocketAddress host;
    private InetSocketAddress peer;
    private boolean noDelay = true;
    private boolean keepAlive;
    private int inCall;
    private boolean inReadBatch;
    private boolean flushDue;
    private boolean drainAwaited;

    /**
     * Creates the transport of a channel, not started.
     *
     * @param reactor the reactor
     * @param ch      the channel, made with {@link #configure(ChannelConfig)}'s options
     * @param port    the port that accepted it, or null for an outgoing connection
     */
    NettyStreamTransport(NettyReactor reactor, Channel ch, NettyListeningPort port) {
        super(reactor);
        this.reactor = reactor;
        this.ch = ch;
        this.port = port;
    }

    /**
     * Applies the options of every Weft TCP channel: reading off until the connection starts, half-close allowed
     * (the base closes once both halves are shut), {@code TCP_NODELAY} on, {@code SO_KEEPALIVE} off.
     *
     * @param config the channel's configuration
     */
    static void configure(ChannelConfig config) {
        config.setAutoRead(false);
        config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        config.setOption(ChannelOption.TCP_NODELAY, true);
        config.setOption(ChannelOption.SO_KEEPALIVE, false);
    }

    /** Caches the addresses of the connected channel, so that they answer after it closes. */
    void activate() {
        if (host == null) {
            host = toInet(ch.localAddress());
        }
        if (peer == null) {
            peer = toInet(ch.remoteAddress());
        }
    }

    private static InetSocketAddress toInet(SocketAddress a) {
        return a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
    }

    // ---------------------------------------------------------------- the byte pipe

    @Override
    protected void sendBytes(byte[] data) {
        inCall++;
        try {
            ch.write(Unpooled.wrappedBuffer(data), ch.voidPromise());
            if (inReadBatch) {
                flushDue = true;
            } else {
                ch.flush();
            }
        } finally {
            inCall--;
        }
    }

    @Override
    protected long bufferedBytes() {
        ChannelOutboundBuffer b = ch.unsafe().outboundBuffer();
        return b == null ? 0 : b.totalPendingWriteBytes();
    }

    @Override
    protected void awaitDrain() {
        if (drainAwaited) {
            return;
        }
        drainAwaited = true;
        inCall++;
        try {
            // An empty write completes once everything written before it is written; its listener may run inside
            // this call, so writeDrained comes on a later turn.
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> reactor.onLoopLater(this::drained));
            flushDue = false;
        } finally {
            inCall--;
        }
    }

    private void drained() {
        drainAwaited = false;
        writeDrained();
    }

    @Override
    protected void setReading(boolean reading) {
        inCall++;
        try {
            ch.config().setAutoRead(reading);
        } finally {
            inCall--;
        }
    }

    @Override
    protected void shutdownOutput() {
        inCall++;
        ChannelFuture f;
        try {
            f = ((DuplexChannel) ch).shutdownOutput();
        } finally {
            inCall--;
        }
        if (f.isDone()) {
            if (!f.isSuccess()) {
                throw new IllegalStateException("cannot shut the output of " + ch + ": " + f.cause(), f.cause());
            }
        } else {
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    reactor.onLoop(() -> failed(done.cause()));
                }
            });
        }
    }

    @Override
    protected void closeChannel(boolean abort) {
        inCall++;
        try {
            if (abort && ch.isOpen()) {
                try {
                    ch.config().setOption(ChannelOption.SO_LINGER, 0);
                } catch (RuntimeException e) {
                    // closed meanwhile: a plain close will do
                }
            }
            ch.close();
        } finally {
            inCall--;
        }
    }

    // ---------------------------------------------------------------- Transport

    @Override
    public InetSocketAddress getPeer() {
        if (peer == null) {
            activate();
        }
        return peer;
    }

    @Override
    public InetSocketAddress getHost() {
        if (host == null) {
            activate();
        }
        return host;
    }

    @Override
    public void setTcpNoDelay(boolean enabled) {
        noDelay = enabled;
        setOption(ChannelOption.TCP_NODELAY, enabled);
    }

    @Override
    public boolean getTcpNoDelay() {
        return noDelay;
    }

    @Override
    public void setTcpKeepAlive(boolean enabled) {
        keepAlive = enabled;
        setOption(ChannelOption.SO_KEEPALIVE, enabled);
    }

    @Override
    public boolean getTcpKeepAlive() {
        return keepAlive;
    }

    private void setOption(ChannelOption<Boolean> option, boolean value) {
        if (ch.isOpen()) {
            try {
                ch.config().setOption(option, value);
            } catch (RuntimeException e) {
                // closed meanwhile: the value is remembered, as on a closed transport
            }
        }
    }

    // ---------------------------------------------------------------- Netty events

    private void event(Runnable e) {
        if (inCall > 0) {
            reactor.onLoopLater(e);
        } else {
            reactor.onLoop(e);
        }
    }

    /** Whether the base should hear about events: started and not lost. */
    private boolean live() {
        return protocol() != null && !isLost();
    }

    private void failed(Throwable cause) {
        if (live()) {
            connectionFailed(cause);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        activate();
        if (port != null) {
            event(() -> port.accept(this));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        byte[] data;
        try {
            if (!(msg instanceof ByteBuf)) {
                return;
            }
            data = ByteBufUtil.getBytes((ByteBuf) msg);
        } finally {
            ReferenceCountUtil.release(msg);
        }
        inReadBatch = true;
        event(() -> {
            if (live()) {
                bytesReceived(data);
            }
        });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inReadBatch = false;
        if (flushDue) {
            flushDue = false;
            ch.flush();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        try {
            if (evt instanceof ChannelInputShutdownEvent) {
                event(() -> {
                    if (live()) {
                        endOfStream();
                    }
                });
            }
        } finally {
            ReferenceCountUtil.release(evt);
        }
    }

    @Override
    @SuppressWarnings("deprecation") // deprecated on ChannelHandler only; an inbound handler's own event
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        event(() -> failed(cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inReadBatch = false;
        flushDue = false;
        event(() -> failed(new IOException("the connection was closed", new ClosedChannelException())));
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) {
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
    }
}
