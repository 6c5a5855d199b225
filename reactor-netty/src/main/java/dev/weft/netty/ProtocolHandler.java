package dev.weft.netty;

import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorGroup;
import dev.weft.reactor.internal.Loggers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * A Netty handler that runs a Weft {@link Protocol} on a channel of an existing Netty server or client, after the
 * user's own handlers (an {@code SslHandler}, an {@code IdleStateHandler}, metrics, logging): the bytes those
 * handlers pass on reach the protocol's {@code dataReceived}, and what the protocol writes goes out through them.
 *
 * <pre>{@code
 * EventLoop loop = group.next();
 * NettyReactor reactor = NettyReactor.attach(loop);
 * Factory factory = Factory.forProtocol(MyLineProtocol::new);
 * new ServerBootstrap().group(loop, loop).channel(NioServerSocketChannel.class)
 *     .childHandler(new ChannelInitializer<SocketChannel>() {
 *         protected void initChannel(SocketChannel ch) {
 *             ch.pipeline().addLast(sslContext.newHandler(ch.alloc()), new IdleStateHandler(60, 0, 0),
 *                     new ProtocolHandler(reactor, factory));
 *         }
 *     }).bind(7000);
 * reactor.startRunning();
 * }</pre>
 *
 * <p><b>The connection.</b> The protocol's transport is the one every TCP connection of the Netty backend has
 * (one implementation, {@link NettyChannelTransport}), so the contract of {@code listenTCP} holds: flow control
 * (a streaming producer is paused above 64 KiB buffered, counting what handlers in front hold, and resumed when the
 * buffer is empty), {@code pauseProducing} (which turns the channel's {@code autoRead} off: this handler owns that
 * setting), {@code loseConnection} after the buffer drains, {@code abortConnection} ({@code SO_LINGER} 0, then
 * {@code ConnectionAborted}), and the reasons given to {@code connectionLost}. {@link NettyChannelTransport#channel()}
 * is the channel whose pipeline holds this handler. The handler does not change the channel's TCP options.
 * <ul>
 *   <li>The protocol is built ({@code Factory.buildProtocol} with the peer's address) and started when the channel
 *       becomes active, or at once when this handler is added to a channel that is active already (say by a handler
 *       that sniffed the first bytes, or after a TLS handshake); a null protocol closes the channel.</li>
 *   <li>Every {@link ByteBuf} that reaches this handler is copied for the protocol and released. Other messages are
 *       passed on to the next handler untouched.</li>
 *   <li>Half-close follows the channel's {@code ChannelOption.ALLOW_HALF_CLOSURE}. Off (Netty's default), Netty closes
 *       the channel when the peer's end of stream arrives: the protocol gets {@code connectionLost(ConnectionDone)}
 *       (a {@code HalfCloseableProtocol} gets {@code readConnectionLost} and {@code writeConnectionLost} first, its
 *       writing side being gone too). On, half-close works as with {@code listenTCP}: a plain protocol gets
 *       {@code ConnectionDone}, a {@code HalfCloseableProtocol} gets {@code readConnectionLost} and may go on
 *       writing, and {@code loseWriteConnection} shuts the output.</li>
 *   <li>Any channel closed without an error reported (a handler in front closing it, say on idle) likewise gives
 *       {@code ConnectionDone}; an exception that reaches this handler ({@code exceptionCaught}) closes the channel
 *       with {@code ConnectionLost} and that exception as the cause. Such exceptions are not passed on.</li>
 *   <li>Removing this handler from the pipeline of an open channel detaches the protocol: it gets
 *       {@code connectionLost(ConnectionLost)}, and the channel stays open for the handlers that remain, with
 *       {@code autoRead} on.</li>
 *   <li>Other events (active, inactive, read complete, user events, writability) are passed on to the next handler.</li>
 * </ul>
 *
 * <p><b>The reactor.</b> It must run on the channel's event loop: {@link NettyReactor#attach} that loop (or register
 * the channel on the loop of an owned reactor). A server whose child group has several loops needs one reactor per
 * loop: attach a group of reactors to the child group ({@link NettyReactor#attachGroup}) and pass it to
 * {@link #ProtocolHandler(ReactorGroup, Factory)}, which runs each channel's protocol on the reactor of that
 * channel's loop. A handler added on another loop (or with its own
 * {@code EventExecutorGroup}) closes the channel and throws {@link IllegalStateException} from
 * {@link #handlerAdded}, which Netty reports as an {@code exceptionCaught}. Events that come while the reactor is
 * not running (before {@code startRunning()}) wait for it, in order, with reading off. Once the reactor has stopped,
 * its hosted connections are closed (they got {@code connectionLost(ConnectionLost)} at its shutdown, as every
 * connection does), and channels that become active afterwards are closed without a protocol.
 *
 * <p><b>The factory</b> is started and stopped as if the reactor and the factory made one listening port:
 * {@code doStart} runs when the first connection this factory serves on this reactor starts (so
 * {@code startFactory} runs once, on the reactor thread, before its first {@code buildProtocol}), and
 * {@code doStop} runs once when the reactor shuts down, after every hosted connection got {@code connectionLost}.
 * However many handlers, channels or servers share the factory on one reactor, that is one pair of calls. A
 * factory that is never used is never started. A {@code ClientFactory} works on client channels too, but its
 * connector callbacks ({@code startedConnecting}, {@code clientConnectionLost}) are not called: the Netty
 * {@code Bootstrap} makes the connection.
 *
 * <p><b>Not sharable</b>: one instance per channel, as the transport it carries is per connection (Netty refuses to
 * add it twice). Create it in the {@code ChannelInitializer}; the reactor and the factory are shared.
 *
 * <p><b>Threads</b>: Netty calls this handler on the channel's event loop, which is the reactor thread; the
 * protocol's callbacks run there, and the reactor's timers and the server's handlers on that loop share state
 * without locks. The constructor may run on any thread.
 */
public final class ProtocolHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Loggers.get(ProtocolHandler.class);

    private final List<NettyReactor> reactors;
    private final Factory factory;
    private NettyReactor reactor;
    private NettyConnection connection;

    /**
     * Creates the handler of one channel. May be called from any thread (usually in a {@code ChannelInitializer}).
     *
     * @param reactor the reactor, attached to the event loop of the channel this handler will be added to
     * @param factory builds the protocol of the connection; shared by the handlers of every channel
     * @throws NullPointerException if an argument is null
     */
    public ProtocolHandler(NettyReactor reactor, Factory factory) {
        this.reactor = Objects.requireNonNull(reactor, "reactor must not be null");
        this.reactors = List.of(reactor);
        this.factory = Objects.requireNonNull(factory, "factory must not be null");
    }

    /**
     * Creates the handler of one channel of a server with several loops: the protocol runs on the member of
     * {@code group} whose loop is the channel's, chosen when the handler is added to the pipeline. Make the group
     * with {@link NettyReactor#attachGroup} on the server's child group. The factory is shared by the members: its
     * {@code doStart}/{@code doStop} are counted under its monitor (so {@code startFactory} runs once, with the first
     * member that serves it, and {@code stopFactory} once, at the last member's shutdown), and its
     * {@code buildProtocol} is called under its monitor too, on the channel's loop. May be called from any thread.
     *
     * @param group   the reactors, Netty reactors one of which is attached to the loop of the channel
     * @param factory builds the protocol of the connection; shared by the handlers of every channel
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if a member of {@code group} is not a {@link NettyReactor}
     */
    public ProtocolHandler(ReactorGroup group, Factory factory) {
        Objects.requireNonNull(group, "group must not be null");
        this.factory = Objects.requireNonNull(factory, "factory must not be null");
        List<NettyReactor> rs = new ArrayList<>(group.size());
        for (Reactor r : group.members()) {
            if (!(r instanceof NettyReactor)) {
                throw new IllegalArgumentException("group must be made of Netty reactors (NettyReactor.attachGroup);"
                        + " its member " + r + " is a " + r.getClass().getName());
            }
            rs.add((NettyReactor) r);
        }
        this.reactors = List.copyOf(rs);
    }

    /** The reactor whose loop is {@code executor}, or null. */
    private NettyReactor reactorOf(EventExecutor executor) {
        for (NettyReactor r : reactors) {
            if (r.eventLoop() == executor) {
                return r;
            }
        }
        return null;
    }

    /**
     * The transport of this handler's connection: the same object as the protocol's {@code transport()} once the
     * protocol has started. Call on the channel's event loop.
     *
     * @return the transport, or null before the handler was added to a pipeline
     */
    public NettyChannelTransport transport() {
        return connection;
    }

    /**
     * The protocol serving this handler's channel. Call on the channel's event loop.
     *
     * @return the protocol, or null before it was built (or if the factory refused the connection)
     */
    public Protocol protocol() {
        return connection == null ? null : connection.protocolOrNull();
    }

    /**
     * Netty added the handler: checks that the channel's loop is the reactor's, and starts the protocol if the
     * channel is active already. Called by Netty on the channel's event loop.
     *
     * @param ctx the handler's context
     * @throws IllegalStateException if the handler runs on another loop than the reactor's (the channel is closed)
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        NettyReactor chosen = reactorOf(ctx.executor());
        if (chosen == null) {
            String message = "ProtocolHandler for " + factory + " was added to " + ctx.channel() + ", which runs on "
                    + ctx.executor() + ", but " + (reactors.size() == 1 ? "its reactor (" + reactors.get(0)
                    + ") runs on " + reactors.get(0).eventLoop() : "none of its group's " + reactors.size()
                    + " reactors runs on that loop") + "; Weft callbacks must run on the channel's loop: attach a reactor to that loop"
                    + " (NettyReactor.attach(ch.eventLoop())) and pass it, or register the channel on the reactor's"
                    + " loop (ServerBootstrap.group(loop, loop)); closing the channel";
            ctx.close();
            throw new IllegalStateException(message);
        }
        reactor = chosen;
        connection = NettyConnection.hosted(reactor, ctx, this::startProtocol);
        if (ctx.channel().isActive()) {
            connection.channelStarted();
        }
    }

    /**
     * Netty removed the handler: an open channel's protocol is detached (it gets {@code connectionLost}; the
     * channel stays open). Called by Netty on the channel's event loop.
     *
     * @param ctx the handler's context
     */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.removed();
        }
    }

    /**
     * The channel is active: builds and starts the protocol, then passes the event on. Called by Netty on the
     * channel's event loop.
     *
     * @param ctx the handler's context
     */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection.channelStarted();
        ctx.fireChannelActive();
    }

    /**
     * Bytes for the protocol: a {@link ByteBuf} is copied and released; anything else is passed on. Called by Netty
     * on the channel's event loop.
     *
     * @param ctx the handler's context
     * @param msg the message
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            connection.received((ByteBuf) msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * The end of a batch of reads: flushes what the protocol wrote during it, then passes the event on. Called by
     * Netty on the channel's event loop.
     *
     * @param ctx the handler's context
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        connection.readBatchDone();
        ctx.fireChannelReadComplete();
    }

    /**
     * A user event: the peer's half-close ({@link ChannelInputShutdownEvent}) is the protocol's end of stream; every
     * event is passed on. Called by Netty on the channel's event loop.
     *
     * @param ctx the handler's context
     * @param evt the event
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            connection.inputShut();
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * An error on the channel: the connection is lost with it ({@code ConnectionLost}, the channel closed). Not
     * passed on. Called by Netty on the channel's event loop.
     *
     * @param ctx   the handler's context
     * @param cause the error
     */
    @Override
    @SuppressWarnings("deprecation") // deprecated on ChannelHandler only; an inbound handler's own event
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (connection != null) {
            connection.caught(cause);
        }
    }

    /**
     * The channel is closed: the protocol's connection ends, then the event is passed on. Called by Netty on the
     * channel's event loop.
     *
     * @param ctx the handler's context
     */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.closed();
        ctx.fireChannelInactive();
    }

    /** On the reactor thread, once the channel is active: the factory builds the protocol, which starts. */
    private void startProtocol(NettyConnection t) {
        if (t.isDetached() || !t.channel().isActive()) {
            t.refuse();
            return;
        }
        if (!reactor.isRunning()) {
            LOG.warn("{} has stopped: closing {}, whose ProtocolHandler has no reactor to run {} on", reactor,
                    t.channel(), factory);
            t.refuse();
            return;
        }
        reactor.hostFactory(factory);
        Protocol p;
        try {
            p = build(t);
        } catch (Throwable e) {
            reactor.log("in buildProtocol of " + factory, e);
            p = null;
        }
        if (p == null) {
            t.refuse();
            return;
        }
        t.begin(p);
    }

    /** Builds the protocol: under the factory's monitor when the members of a group share the factory. */
    private Protocol build(NettyConnection t) {
        if (reactors.size() == 1) {
            return factory.buildProtocol(t.getPeer());
        }
        synchronized (factory) {
            return factory.buildProtocol(t.getPeer());
        }
    }

    /**
     * Names the factory and the channel, for logs. Any thread.
     *
     * @return a description of this handler
     */
    @Override
    public String toString() {
        return "ProtocolHandler[" + factory + (connection == null ? "" : ", " + connection.channel()) + "]";
    }
}
