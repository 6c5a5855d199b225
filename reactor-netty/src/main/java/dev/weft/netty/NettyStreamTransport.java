package dev.weft.netty;

import dev.weft.protocol.Protocol;
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
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.ChannelPipelineException;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One TCP connection on a Netty channel: the byte pipe under {@link StreamTransport}. It only moves bytes: every rule
 * of the connection (close reasons, half-close, producers, TLS) is the base's. It serves two kinds of channels:
 *
 * <ul>
 *   <li><b>the backend's own</b> ({@code listenTCP}, {@code connectTCP} and their TLS forms): the transport is the
 *       channel's only handler, and the channel has Weft's options ({@link #configure(ChannelConfig)});</li>
 *   <li><b>hosted</b> ({@link #hosted}): a {@link ProtocolHandler} in a user's pipeline forwards its events here
 *       ({@link #channelStarted()}, {@link #received(ByteBuf)}, ...), writes and closes enter the pipeline at the
 *       handler's place (so the user's handlers in front see them), and the channel keeps the user's options. A
 *       hosted channel closed without an error (the peer's end of stream with {@code ALLOW_HALF_CLOSURE} off, or a
 *       handler in front closing it) ends the connection cleanly: the protocol reads an end of stream, its writing
 *       side is shut, and it gets {@code ConnectionDone}.</li>
 * </ul>
 *
 * <p>Netty events reach the base through {@link NettyReactor#onLoop(Runnable)}, on the reactor thread while the
 * reactor runs. An event Netty raises from inside one of this class's own calls (a write that fails at once) waits
 * for a later turn of the loop, so that the base is never called back from inside a call it made. Every method runs
 * on the channel's event loop, which is the reactor's.
 */
final class NettyStreamTransport extends StreamTransport implements NettyChannelTransport, ChannelInboundHandler {

    private final NettyReactor reactor;
    private final Channel ch;
    private final Consumer<NettyStreamTransport> onActive;
    private final boolean hosted;
    /** Made on first use: only hosted channels need it, and most connections never do. */
    private Runnable flushCheck;

    /** Where writes, flushes and closes enter the pipeline: the channel, then the handler's context once known. */
    private ChannelOutboundInvoker out;
    private InetSocketAddress host;
    private InetSocketAddress peer;
    private boolean noDelay = true;
    private boolean keepAlive;
    private int inCall;
    private boolean inReadBatch;
    private boolean flushDue;
    private boolean flushCheckQueued;
    private boolean drainAwaited;
    /** Whether the base wants to read ({@link #setReading(boolean)}). */
    private boolean readingWanted;
    /** Reads handed to the reactor and not delivered yet: Netty reads no more until they are. */
    private int undelivered;
    private boolean activated;
    private boolean detached;

    /**
     * Creates the transport of one of the backend's own channels, not started.
     *
     * @param reactor the reactor
     * @param ch      the channel, made with {@link #configure(ChannelConfig)}'s options
     * @param port    the port that accepted it, or null for an outgoing connection
     */
    NettyStreamTransport(NettyReactor reactor, Channel ch, NettyListeningPort port) {
        this(reactor, ch, port == null ? null : port::accept, false);
    }

    private NettyStreamTransport(NettyReactor reactor, Channel ch, Consumer<NettyStreamTransport> onActive,
            boolean hosted) {
        super(reactor);
        this.reactor = reactor;
        this.ch = ch;
        this.onActive = onActive;
        this.hosted = hosted;
        this.out = ch;
    }

    /**
     * Creates the transport of a channel hosted by a {@link ProtocolHandler}, not started. The handler forwards the
     * channel's events to it.
     *
     * @param reactor  the reactor, on the channel's loop
     * @param ctx      the handler's context: writes and closes start there
     * @param onActive called on the reactor thread once the channel is active, to build and start the protocol
     * @return the transport
     */
    static NettyStreamTransport hosted(NettyReactor reactor, ChannelHandlerContext ctx,
            Consumer<NettyStreamTransport> onActive) {
        NettyStreamTransport t = new NettyStreamTransport(reactor, ctx.channel(), onActive, true);
        t.out = ctx;
        ChannelConfig config = ctx.channel().config();
        t.noDelay = Boolean.TRUE.equals(config.getOption(ChannelOption.TCP_NODELAY));
        t.keepAlive = Boolean.TRUE.equals(config.getOption(ChannelOption.SO_KEEPALIVE));
        return t;
    }

    /**
     * Applies the options of every channel of the backend's own: reading off until the connection starts,
     * half-close allowed (the base closes once both halves are shut), {@code TCP_NODELAY} on, {@code SO_KEEPALIVE}
     * off.
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

    /**
     * Starts the connection with {@code protocol}; for a {@link ProtocolHandler}'s start. Reactor thread.
     *
     * @param protocol the protocol the factory built
     */
    void begin(Protocol protocol) {
        start(protocol);
    }

    /** Closes a connection no protocol will serve (refused, or its channel gone); for a {@link ProtocolHandler}. */
    void refuse() {
        reject();
    }

    /**
     * The protocol, once started.
     *
     * @return the protocol, or null
     */
    Protocol protocolOrNull() {
        return protocol();
    }

    /**
     * Whether the {@link ProtocolHandler} of a hosted channel was removed from the pipeline.
     *
     * @return whether the transport is detached from its channel
     */
    boolean isDetached() {
        return detached;
    }

    // ---------------------------------------------------------------- NettyChannelTransport

    @Override
    public Channel channel() {
        return ch;
    }

    // ---------------------------------------------------------------- the byte pipe

    @Override
    protected void sendBytes(byte[] data) {
        inCall++;
        try {
            // Straight into a buffer of the channel's allocator (direct, pooled): a heap wrapper would be copied
            // into one by the transport anyway, after allocating the wrapper and before releasing it.
            ByteBuf buf = ch.alloc().ioBuffer(data.length);
            buf.writeBytes(data);
            out.write(buf, out.voidPromise());
            if (inReadBatch) {
                flushDue = true;
                if (hosted && !flushCheckQueued) {
                    // A handler in front may pass reads on without a channelReadComplete: flush after this batch.
                    try {
                        if (flushCheck == null) {
                            flushCheck = this::flushCheck;
                        }
                        ch.eventLoop().execute(flushCheck);
                        flushCheckQueued = true;
                    } catch (RejectedExecutionException e) {
                        // The loop is shutting down: flush now.
                        flushDue = false;
                        out.flush();
                    }
                }
            } else {
                out.flush();
            }
        } finally {
            inCall--;
        }
    }

    private void flushCheck() {
        flushCheckQueued = false;
        inReadBatch = false;
        if (flushDue) {
            flushDue = false;
            out.flush();
        }
    }

    @Override
    protected long bufferedBytes() {
        // A handler in front that holds writes (an SslHandler before its handshake) counts them here too.
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
            // this call. writeDrained comes in the reactor's next pass, after a poll for I/O, as a thread call: a
            // Netty task would let a drain -> resumeProducing -> write -> drain cycle run without polling.
            out.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> reactor.callFromThread(this::drained));
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
        readingWanted = reading;
        applyReading();
    }

    /**
     * Netty reads while the base wants to and every read so far was delivered: a read whose delivery waits for the
     * reactor (an attached loop between passes) stops reading until it is delivered, so that the base, which may
     * pause, holds at most that one read.
     */
    private void applyReading() {
        if (detached) {
            return;
        }
        boolean on = readingWanted && undelivered == 0;
        ChannelConfig config = ch.config();
        if (config.isAutoRead() != on) {
            inCall++;
            try {
                config.setAutoRead(on);
            } finally {
                inCall--;
            }
        }
    }

    @Override
    protected void shutdownOutput() {
        if (hosted && !ch.isActive()) {
            // The channel closed under a hosted connection: the peer can read nothing more already.
            return;
        }
        if (!(ch instanceof DuplexChannel)) {
            throw new UnsupportedOperationException("cannot half-close " + ch + ": a "
                    + ch.getClass().getName() + " is not a io.netty.channel.socket.DuplexChannel");
        }
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
        if (detached) {
            // The ProtocolHandler was removed: the channel belongs to the handlers that remain.
            return;
        }
        inCall++;
        try {
            if (abort && ch.isOpen()) {
                try {
                    ch.config().setOption(ChannelOption.SO_LINGER, 0);
                } catch (RuntimeException e) {
                    // closed meanwhile: a plain close will do
                }
            }
            out.close();
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

    // ---------------------------------------------------------------- channel events (both kinds of channels)

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

    /**
     * The channel is active (or was when a hosted handler was added): the connection may start. Reading stays off
     * until the base starts it. Once per channel.
     */
    void channelStarted() {
        if (activated) {
            return;
        }
        activated = true;
        activate();
        if (onActive != null) {
            if (hosted) {
                // The base starts reading when the protocol starts (and not if it pauses in connectionMade).
                ch.config().setAutoRead(false);
            }
            event(() -> onActive.accept(this));
        }
    }

    /**
     * Bytes read: copied, released, and handed to the base.
     *
     * @param msg the bytes; released here
     */
    void received(ByteBuf msg) {
        byte[] data;
        try {
            data = ByteBufUtil.getBytes(msg);
        } finally {
            ReferenceCountUtil.release(msg);
        }
        if (data.length == 0) {
            return;
        }
        inReadBatch = true;
        undelivered++;
        event(() -> {
            undelivered--;
            if (live()) {
                bytesReceived(data);
            }
            if (undelivered == 0) {
                applyReading();
            }
        });
        if (undelivered > 0) {
            applyReading(); // delivered later: no more reads meanwhile
        }
    }

    /** The end of a batch of reads: flushes what the protocol wrote during it. */
    void readBatchDone() {
        inReadBatch = false;
        if (flushDue) {
            flushDue = false;
            out.flush();
        }
    }

    /** The peer shut its writing side (half-closure allowed). */
    void inputShut() {
        event(() -> {
            if (live()) {
                endOfStream();
            }
        });
    }

    /**
     * An error on the channel (from Netty, or a handler in front): the connection is lost with it.
     *
     * @param cause the error
     */
    void caught(Throwable cause) {
        event(() -> failed(cause));
    }

    /** The channel is closed. */
    void closed() {
        inReadBatch = false;
        flushDue = false;
        if (hosted) {
            // On a later turn, so that an error a handler in front reports right after closing (as an SslHandler
            // whose handshake failed does) is the reason, not a clean close.
            reactor.onLoopLater(this::closedWithoutError);
        } else {
            event(() -> failed(new IOException("the connection was closed", new ClosedChannelException())));
        }
    }

    /** A hosted channel closed with no error reported: an end of stream, then the writing side gone too. */
    private void closedWithoutError() {
        if (!live()) {
            return;
        }
        endOfStream();
        if (live()) {
            loseWriteConnection();
        }
    }

    /** The {@link ProtocolHandler} of a hosted channel was removed from the pipeline. */
    void removed() {
        if (!ch.isOpen() || detached) {
            // Removed because the channel closed: channelInactive tells the connection.
            return;
        }
        detached = true;
        inReadBatch = false;
        if (flushDue) {
            flushDue = false;
            out.flush();
        }
        ch.config().setAutoRead(true);
        event(() -> failed(new ChannelPipelineException("the ProtocolHandler was removed from the pipeline of " + ch)));
    }

    // ---------------------------------------------------------------- ChannelInboundHandler (the backend's channels)

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channelStarted();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            received((ByteBuf) msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readBatchDone();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        try {
            if (evt instanceof ChannelInputShutdownEvent) {
                inputShut();
            }
        } finally {
            ReferenceCountUtil.release(evt);
        }
    }

    @Override
    @SuppressWarnings("deprecation") // deprecated on ChannelHandler only; an inbound handler's own event
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        caught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed();
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
        out = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
    }
}
