package dev.weft.netty;

import dev.weft.protocol.Protocol;
import dev.weft.reactor.internal.NetChecks;
import dev.weft.reactor.internal.StandIn;
import dev.weft.reactor.spi.StreamTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.ChannelPipelineException;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.DuplexChannelConfig;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One TCP connection on a Netty channel: the transport protocols write to, the byte pipe under
 * {@link StreamTransport}. It only moves bytes: every rule of the connection (close reasons, half-close, producers,
 * socket options, TLS) is the base's. Its {@link ChannelRole} says what it is to its channel:
 *
 * <ul>
 *   <li>{@link ChannelRole#OWNED} ({@code listenTCP}, {@code connectTCP} and their TLS forms): the connection is the
 *       channel's only handler, and the channel has Weft's options ({@link #configure(ChannelConfig)});</li>
 *   <li>{@link ChannelRole#HOSTED} ({@link #hosted}): a {@link ProtocolHandler} in a user's pipeline forwards its
 *       events here ({@link #channelStarted()}, {@link #received(ByteBuf)}, ...), writes and closes enter the
 *       pipeline at the handler's place (so the user's handlers in front see them), and the channel keeps the
 *       user's options. A hosted channel closed without an error (the peer's end of stream with
 *       {@code ALLOW_HALF_CLOSURE} off, or a handler in front closing it) ends the connection cleanly: the protocol
 *       reads an end of stream, its writing side is shut, and it gets {@code ConnectionDone};</li>
 *   <li>{@link ChannelRole#DETACHED}: the handler was removed; the connection is lost and leaves the channel be.</li>
 * </ul>
 * An owned channel that cannot half-close ({@link PeerEnd#CLOSES_CHANNEL}: Netty's io_uring UNIX channel) closes at
 * the peer's end of stream; that close, with no error before it, ends the connection as a hosted one's does.
 *
 * <p>Netty events reach the base through {@link NettyReactor#onLoop(Runnable)}, on the reactor thread while the
 * reactor runs. An event Netty raises while a call into this connection is under way (a write that fails at once)
 * waits for a later turn of the loop ({@link StreamTransport#isInsideCall()}: the base keeps the one count), so that
 * the base is never called back from inside a call. Every method runs on the channel's event loop, which is the
 * reactor's.
 */
final class NettyConnection extends StreamTransport implements NettyChannelTransport, ChannelInboundHandler {

    private final NettyReactor reactor;
    private final Channel ch;
    private final Consumer<NettyConnection> onActive;
    private final PeerEnd peerEnd;
    private final PendingErrorCheck errorCheck;
    private ChannelRole role;
    /** Made on first use: only hosted channels need it, and most connections never do. */
    private Runnable flushCheck;

    /** Where writes, flushes and closes enter the pipeline: the channel, then the handler's context once known. */
    private ChannelOutboundInvoker out;
    private InetSocketAddress host;
    private InetSocketAddress peer;
    /** Where the connection is in a batch of reads, whose writes are flushed once, at its end. */
    private ReadBatch batch = ReadBatch.NONE;
    /**
     * Bytes a coroutine body wrote that wait in its queue for the loop thread ({@link #sendBytes}); read and written
     * by the body and the loop thread in turn, under the body's strict hand-off.
     */
    private long bytesQueuedByBody;
    private boolean flushCheckQueued;
    private boolean drainAwaited;
    /** Whether the base wants to read ({@link #setReading(boolean)}). */
    private boolean readingWanted;
    /** Reads handed to the reactor and not delivered yet: Netty reads no more until they are. */
    private int undelivered;
    private boolean activated;
    /** Reads handed over so far: a queued error check is dropped by any read that comes before it runs. */
    private long reads;
    private long readsAtErrorCheck;
    private boolean errorCheckQueued;
    /** Made on first use: only channels that need {@link PendingErrorCheck} do. */
    private Runnable errorCheckTask;

    /**
     * Creates the transport of one of the backend's own channels, not started.
     *
     * @param reactor the reactor
     * @param ch      the channel, made with {@link #configure(ChannelConfig)}'s options
     * @param port    the port that accepted it, or null for an outgoing connection
     */
    NettyConnection(NettyReactor reactor, Channel ch, NettyListeningPort port) {
        this(reactor, ch, port == null ? null : port::accept, ChannelRole.OWNED);
    }

    private NettyConnection(NettyReactor reactor, Channel ch, Consumer<NettyConnection> onActive,
            ChannelRole role) {
        super(reactor);
        this.reactor = reactor;
        this.ch = ch;
        this.onActive = onActive;
        this.role = role;
        this.out = ch;
        this.peerEnd = PeerEnd.of(ch);
        // Only on the backend's own channels: a user's channel keeps its socket error for its own handlers.
        this.errorCheck = role == ChannelRole.OWNED ? PendingErrorCheck.of(ch) : PendingErrorCheck.NONE;
    }

    /**
     * Creates the transport of a channel accepted by another reactor's port and handed to this one, not started; the
     * channel, made with {@link #configure(ChannelConfig)}'s options, is registered with this reactor's loop next.
     *
     * @param reactor  the reactor that takes the channel over
     * @param ch       the accepted channel, not registered yet
     * @param onActive called on the reactor thread once the channel is registered and active, to start the protocol
     * @return the transport
     */
    static NettyConnection adopted(NettyReactor reactor, Channel ch, Consumer<NettyConnection> onActive) {
        return new NettyConnection(reactor, ch, onActive, ChannelRole.OWNED);
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
    static NettyConnection hosted(NettyReactor reactor, ChannelHandlerContext ctx,
            Consumer<NettyConnection> onActive) {
        NettyConnection t = new NettyConnection(reactor, ctx.channel(), onActive, ChannelRole.HOSTED);
        t.out = ctx;
        return t;
    }

    /**
     * Applies the Netty options of every channel of the backend's own: reading off until the connection starts,
     * half-close allowed (the base closes once both halves are shut). The socket options are the base's
     * ({@link StreamTransport#start}).
     *
     * @param config the channel's configuration
     */
    static void configure(ChannelConfig config) {
        config.setAutoRead(false);
        config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        if (config instanceof DuplexChannelConfig) {
            // NIO's domain-socket channel ignores the option form
            ((DuplexChannelConfig) config).setAllowHalfClosure(true);
        }
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
        if (a instanceof DomainSocketAddress) {
            return NetChecks.unixAddress(((DomainSocketAddress) a).path());
        }
        return NetChecks.asInet(a);
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
        return role == ChannelRole.DETACHED;
    }

    // ---------------------------------------------------------------- NettyChannelTransport

    @Override
    public Channel channel() {
        return ch;
    }

    // ---------------------------------------------------------------- the byte pipe

    @Override
    protected void sendBytes(byte[] data) {
        if (reactor.inBody()) {
            // Queued, not waited for: the loop thread writes it when the body next hands over, in program order
            // with the body's other calls, which go through the same queue; bufferedBytes counts it meanwhile.
            bytesQueuedByBody += data.length;
            StandIn.queueByActingThread(() -> {
                bytesQueuedByBody -= data.length;
                sendBytes(data);
            });
            return;
        }
        // Straight into a buffer of the channel's allocator (direct, pooled): a heap wrapper would be copied
        // into one by Netty's I/O anyway, after allocating the wrapper and before releasing it.
        ByteBuf buf = ch.alloc().ioBuffer(data.length);
        buf.writeBytes(data);
        out.write(buf, out.voidPromise());
        if (batch == ReadBatch.NONE) {
            out.flush();
            return;
        }
        batch = ReadBatch.UNFLUSHED;
        if (role == ChannelRole.HOSTED && !flushCheckQueued) {
            // A handler in front may pass reads on without a channelReadComplete: flush after this batch.
            try {
                if (flushCheck == null) {
                    flushCheck = this::flushCheck;
                }
                ch.eventLoop().execute(flushCheck);
                flushCheckQueued = true;
            } catch (RejectedExecutionException e) {
                // The loop is shutting down: flush now.
                batch = ReadBatch.READING;
                out.flush();
            }
        }
    }

    private void flushCheck() {
        flushCheckQueued = false;
        endBatch();
    }

    /** Ends the batch of reads: flushes what was written during it. */
    private void endBatch() {
        boolean due = batch == ReadBatch.UNFLUSHED;
        batch = ReadBatch.NONE;
        if (due) {
            out.flush();
        }
    }

    @Override
    protected long bufferedBytes() {
        // Safe from a body standing in for the loop thread too, which waits meanwhile: the outbound buffer's
        // size is read through volatile fields, and the bytes the body queued are counted beside it.
        if (isLost()) {
            // Nothing more goes out: an abort discards what was queued, though a transport whose close completes
            // later (Netty's io_uring cancels its pending writes first) still holds it for a while.
            return 0;
        }
        // A handler in front that holds writes (an SslHandler before its handshake) counts them here too.
        ChannelOutboundBuffer b = ch.unsafe().outboundBuffer();
        return (b == null ? 0 : b.totalPendingWriteBytes()) + bytesQueuedByBody;
    }

    @Override
    protected void awaitDrain() {
        if (reactor.inBody()) {
            StandIn.runByActingThread(this::awaitDrain);
            return;
        }
        if (drainAwaited) {
            return;
        }
        drainAwaited = true;
        // An empty write completes once everything written before it is written; its listener may run inside
        // this call. writeDrained comes in the reactor's next pass, after a poll for I/O, as a thread call: a
        // Netty task would let a drain -> resumeProducing -> write -> drain cycle run without polling.
        out.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> reactor.callFromThread(this::drained));
        if (batch == ReadBatch.UNFLUSHED) {
            batch = ReadBatch.READING; // flushed just now
        }
    }

    private void drained() {
        drainAwaited = false;
        writeDrained();
    }

    @Override
    protected void setReading(boolean reading) {
        if (reactor.inBody()) {
            StandIn.runByActingThread(() -> setReading(reading));
            return;
        }
        readingWanted = reading;
        applyReading();
    }

    /**
     * Netty reads while the base wants to and every read so far was delivered: a read whose delivery waits for the
     * reactor (an attached loop between passes) stops reading until it is delivered, so that the base, which may
     * pause, holds at most that one read.
     */
    private void applyReading() {
        if (!role.ownsChannel()) {
            return;
        }
        boolean on = readingWanted && undelivered == 0;
        ChannelConfig config = ch.config();
        if (config.isAutoRead() != on) {
            config.setAutoRead(on);
            if (on) {
                queueErrorCheck();
            }
        }
    }

    /**
     * Looks for an error the channel may have missed ({@link PendingErrorCheck}) once the loop has done its I/O, if no
     * read comes before: a read shows the channel is reading, and its batch's end queues the next check. On the loop
     * thread.
     */
    private void queueErrorCheck() {
        if (errorCheck == PendingErrorCheck.NONE || !readingWanted) {
            return;
        }
        readsAtErrorCheck = reads; // a check already queued now looks from here
        if (errorCheckQueued) {
            return;
        }
        if (errorCheckTask == null) {
            errorCheckTask = this::checkPendingError;
        }
        try {
            ch.eventLoop().execute(errorCheckTask);
            errorCheckQueued = true;
        } catch (RejectedExecutionException e) {
            // The loop is shutting down, and the channel with it.
        }
    }

    private void checkPendingError() {
        errorCheckQueued = false;
        if (reads != readsAtErrorCheck || !readingWanted || !ch.isActive() || !live()) {
            return;
        }
        IOException error = PendingErrorCheck.takePendingError(ch);
        if (error != null) {
            caught(error);
        }
    }

    @Override
    protected void shutdownOutput() {
        if (reactor.inBody()) {
            StandIn.runByActingThread(this::shutdownOutput);
            return;
        }
        if (closesAtPeerEnd() && !ch.isActive()) {
            // The channel closed under the connection (hosted, or at the peer's end of stream): the peer can read
            // nothing more already.
            return;
        }
        if (!(ch instanceof DuplexChannel)) {
            throw new UnsupportedOperationException("cannot half-close " + ch + ": a "
                    + ch.getClass().getName() + " is not a io.netty.channel.socket.DuplexChannel");
        }
        ChannelFuture f = ((DuplexChannel) ch).shutdownOutput();
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
        if (reactor.inBody()) {
            StandIn.runByActingThread(() -> closeChannel(abort));
            return;
        }
        if (!role.ownsChannel()) {
            // The ProtocolHandler was removed: the channel belongs to the handlers that remain.
            return;
        }
        if (abort && ch.isOpen()) {
            try {
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                // closed meanwhile: a plain close will do
            }
        }
        out.close();
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
    protected void setSocketOption(SocketOption<Boolean> option, boolean value) throws IOException {
        if (!ch.isOpen()) {
            throw new ClosedChannelException();
        }
        try {
            ch.config().setOption(channelOption(option), value);
        } catch (ChannelException e) {
            if (!ch.isOpen()) {
                throw new ClosedChannelException();
            }
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    protected boolean socketOption(SocketOption<Boolean> option, boolean remembered) {
        Boolean value = ch.isOpen() ? ch.config().getOption(channelOption(option)) : null;
        return value == null ? remembered : value;
    }

    @Override
    protected boolean keepsSocketOptions() {
        return role.userChannel();
    }

    private static ChannelOption<Boolean> channelOption(SocketOption<Boolean> option) {
        return option == StandardSocketOptions.TCP_NODELAY ? ChannelOption.TCP_NODELAY : ChannelOption.SO_KEEPALIVE;
    }

    // ---------------------------------------------------------------- channel events (both kinds of channels)

    private void event(Runnable e) {
        if (isInsideCall()) {
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
            if (role == ChannelRole.HOSTED) {
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
        reads++;
        if (data.length == 0) {
            return;
        }
        if (batch == ReadBatch.NONE) {
            batch = ReadBatch.READING;
        }
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
        endBatch();
        queueErrorCheck();
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

    /**
     * Whether Netty may close the channel with no error and no call of the connection's: a user's channel (its
     * {@code ALLOW_HALF_CLOSURE} may be off, a handler in front may close it) or one that closes at the peer's end
     * of stream ({@link PeerEnd#CLOSES_CHANNEL}).
     */
    private boolean closesAtPeerEnd() {
        return role.userChannel() || peerEnd == PeerEnd.CLOSES_CHANNEL;
    }

    /** The channel is closed. */
    void closed() {
        batch = ReadBatch.NONE;
        if (closesAtPeerEnd()) {
            // On a later turn, so that an error reported right after closing (by an SslHandler in front whose
            // handshake failed, or by Netty for a failed write) is the reason, not a clean close.
            reactor.onLoopLater(this::closedWithoutError);
        } else {
            event(() -> failed(new IOException("the connection was closed", new ClosedChannelException())));
        }
    }

    /**
     * A channel that {@link #closesAtPeerEnd()} closed with no error reported: an end of stream, then the writing
     * side gone too.
     */
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
        if (!ch.isOpen() || role == ChannelRole.DETACHED) {
            // Removed because the channel closed: channelInactive tells the connection.
            return;
        }
        role = ChannelRole.DETACHED;
        endBatch();
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

    /** Where a connection is in a batch of reads from Netty: its writes wait for the batch's end to be flushed. */
    private enum ReadBatch {
        /** Not in a batch: a write is flushed at once. */
        NONE,
        /** In a batch; nothing written waits for a flush. */
        READING,
        /** In a batch; bytes written during it wait for the flush at its end. */
        UNFLUSHED
    }
}
