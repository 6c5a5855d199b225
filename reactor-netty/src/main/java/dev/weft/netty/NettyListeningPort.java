package dev.weft.netty;

import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.Factory;
import dev.weft.reactor.spi.AcceptedConnection;
import dev.weft.reactor.spi.ListeningPortBase;
import dev.weft.reactor.internal.NetChecks;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * A listening TCP (or TLS) port on a Netty server channel of the reactor's loop. The socket is bound on the calling
 * thread before {@link #listen} returns (see {@link NettySockets}); Netty registers it on the loop, and each
 * accepted channel, registered on the same loop, gets a {@link NettyConnection} that the base starts. A port that
 * hands its connections on (the one acceptor of a reactor group's UNIX or TCP port) passes each accepted child channel, unregistered, to
 * {@link ListeningPortBase#handOff} ({@link AcceptedChild}) instead, on the reactor thread.
 *
 * <p>Netty accepts; when an accept fails, Netty keeps the server channel open and hands the failure to
 * {@code Acceptor.exceptionCaught}. Out of file descriptors, the connections that wait are then accepted through the
 * channel's own socket, not through Netty ({@link NettySockets#acceptAndClose(Channel)}), and reset at once, with
 * the descriptor the base keeps in reserve; see {@link ListeningPortBase}. On io_uring, whose accept fails at once
 * while descriptors lack, connection or not, Netty accepts again only once a connection waits
 * ({@link AcceptReadiness}).
 */
final class NettyListeningPort extends ListeningPortBase {

    /**
     * The most waiting connections closed per failed accept when out of file descriptors: Netty's own limit of
     * messages per read for a server channel. More are closed at the next failure, on a later turn of the loop.
     */
    private static final int MAX_CLOSED_PER_FAILURE = 16;

    /**
     * How long reading pauses after an accept failure that could not be handled by closing the waiting connections,
     * so the loop does not spin.
     */
    private static final long ACCEPT_RETRY_SECONDS = 1;

    private final NettyReactor reactor;
    private final Channel server;
    private final InetSocketAddress address;
    private final NettySockets.WaitingAccept waiting;
    /**
     * On io_uring, what tells when a connection waits after an accept failed for lack of descriptors (made then);
     * null until then, and on the other transports.
     */
    private AcceptReadiness readiness;

    private NettyListeningPort(NettyReactor reactor, Factory factory, SSLContext tlsContext, Channel server,
            InetSocketAddress address, NettySockets.WaitingAccept waiting, Consumer<AcceptedConnection> handOff) {
        super(reactor, factory, tlsContext, handOff);
        this.reactor = reactor;
        this.server = server;
        this.address = address;
        this.waiting = waiting;
    }

    /**
     * Binds a UNIX stream socket at {@code path} and starts listening: {@code listenUNIX}, arguments checked, the
     * socket file prepared by the caller; with a {@code handOff}, the accepted channels go there instead of being
     * served here.
     *
     * @throws IOException if the socket cannot be bound; nothing is left open
     */
    static NettyListeningPort listenUnix(NettyReactor reactor, String path, Factory factory, int backlog,
            Consumer<AcceptedConnection> handOff) throws IOException {
        NettySockets.DomainServer bound = reactor.channels().bindDomainServer(path, backlog);
        Channel server = bound.channel();
        NettyListeningPort p = new NettyListeningPort(reactor, factory, null, server, NetChecks.unixAddress(path),
                bound.waiting(), handOff);
        server.pipeline().addLast(p.new Acceptor());
        ChannelFuture registered;
        try {
            registered = NettySockets.register(reactor.eventLoop(), server);
        } catch (RuntimeException e) {
            server.unsafe().closeForcibly();
            throw e;
        }
        if (registered.isDone() && !registered.isSuccess()) {
            server.unsafe().closeForcibly();
            throw new IOException("cannot register the listening socket " + path, registered.cause());
        }
        if (reactor.channels().bindsDomainServerOnLoop()) {
            bindOnLoop(reactor, server, path);
        }
        p.listening();
        return p;
    }

    /**
     * Binds a registered UNIX listening channel that could not be bound before registration: on the loop, waited for
     * when the loop can run it now (the loop thread, an attached loop); on an owned loop not running, when it runs,
     * a failure then being logged and the channel closed.
     */
    private static void bindOnLoop(NettyReactor reactor, Channel server, String path) throws IOException {
        SocketAddress address = reactor.channels().domainAddress(path);
        ChannelFuture[] bound = new ChannelFuture[1];
        if (reactor.runOnLoop(() -> bound[0] = server.bind(address))) {
            if (bound[0].isDone() && !bound[0].isSuccess()) {
                server.close();
                Throwable cause = bound[0].cause();
                throw cause instanceof IOException ? (IOException) cause
                        : new IOException("cannot bind the listening socket " + path, cause);
            }
            return;
        }
        server.bind(address).addListener(f -> {
            if (!f.isSuccess()) {
                reactor.onLoop(() -> reactor.log("while binding the listening socket " + path, f.cause()));
                server.close();
            }
        });
    }

    /**
     * Binds a port, with {@code SO_REUSEPORT} when {@code shared} (a share of a reactor group's port), and starts
     * listening ({@code listenTCP}, {@code listenSSL}); arguments checked. With a {@code handOff} (the one acceptor of
     * a reactor group's port), the accepted channels go there instead of being served here.
     *
     * @throws CannotListenException if the port cannot be bound
     */
    static NettyListeningPort listen(NettyReactor reactor, int port, Factory factory, int backlog, String iface,
            SSLContext tlsContext, boolean shared, Consumer<AcceptedConnection> handOff) {
        NettySockets channels = reactor.channels();
        InetSocketAddress bind;
        try {
            bind = NetChecks.bindAddress(iface, port);
        } catch (IOException e) {
            throw new CannotListenException(InetSocketAddress.createUnresolved(iface, port), e);
        }
        Channel server;
        try {
            server = channels.bindListening(bind, backlog, shared);
        } catch (IOException | RuntimeException e) {
            throw new CannotListenException(bind, e);
        }
        SocketAddress local = server.localAddress();
        NettyListeningPort p = new NettyListeningPort(reactor, factory, tlsContext, server,
                NettySockets.reported(bind, local),
                () -> channels.acceptAndClose(server), handOff);
        server.pipeline().addLast(p.new Acceptor());
        ChannelFuture registered;
        try {
            registered = NettySockets.register(reactor.eventLoop(), server);
        } catch (RuntimeException e) {
            server.unsafe().closeForcibly();
            throw new CannotListenException(bind, e);
        }
        if (registered.isDone() && !registered.isSuccess()) {
            server.unsafe().closeForcibly();
            throw new CannotListenException(bind, registered.cause());
        }
        p.listening();
        return p;
    }

    /** A connection accepted and registered: builds its protocol and starts it, on the reactor thread. */
    void accept(NettyConnection t) {
        accepted(t);
    }

    @Override
    protected void closePort() {
        if (readiness != null) {
            readiness.stop();
        }
        reactor.closeNow(server);
    }

    @Override
    public InetSocketAddress getHost() {
        return address;
    }

    /**
     * The server channel's handler: registers each accepted channel on the loop with its connection, or, on a port
     * that hands its connections on, passes it on unregistered, on the reactor thread.
     */
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel child = (Channel) msg;
            if (handsOff()) {
                AcceptedChild accepted = new AcceptedChild(child);
                try {
                    reactor.onLoop(() -> handOff(accepted));
                } catch (RuntimeException e) {
                    accepted.close();
                }
                return;
            }
            try {
                NettyConnection.configure(child.config());
                child.pipeline().addLast(new NettyConnection(reactor, child, NettyListeningPort.this));
                NettySockets.register(reactor.eventLoop(), child).addListener(f -> {
                    if (!f.isSuccess()) {
                        child.unsafe().closeForcibly();
                    }
                });
            } catch (RuntimeException e) {
                child.unsafe().closeForcibly();
                reactor.onLoop(() -> reactor.log("while accepting a connection on " + NettyListeningPort.this, e));
            }
        }

        /**
         * Netty's read of the listening socket failed (an accept): on the loop thread, after the channels accepted
         * before the failure were read. Netty keeps the server channel open and, with auto-read on, reads it again at
         * the next poll, where a socket that still has connections waiting is ready at once (nio and epoll are both
         * level-triggered in Netty 4.2): reading is paused here, and resumed as soon as the failure was handled
         * ({@link #handleAcceptFailure(Throwable)}, a reactor event, which may wait for the reactor to run).
         */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!server.isOpen()) {
                return;
            }
            server.config().setAutoRead(false);
            reactor.onLoop(() -> handleAcceptFailure(cause));
        }
    }

    /**
     * On the reactor thread: the base logs the failure and, out of file descriptors, closes the waiting connections
     * through the server channel's socket; then reading resumes once a connection waits (at once where the next
     * accept waits for one by itself: nio and epoll, whose polls are level-triggered) or, if the failure could not be
     * handled so (not about descriptors, no descriptor in reserve), after {@value #ACCEPT_RETRY_SECONDS} s.
     */
    private void handleAcceptFailure(Throwable cause) {
        if (!server.isOpen() || isStopped()) {
            return;
        }
        if (acceptFailed(cause, MAX_CLOSED_PER_FAILURE, waiting::acceptAndClose)) {
            acceptWhenAConnectionWaits();
            return;
        }
        try {
            server.eventLoop().schedule(() -> server.config().setAutoRead(true), ACCEPT_RETRY_SECONDS,
                    TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // the loop is shutting down, and the channel with it
        }
    }

    /**
     * Lets Netty accept again once a connection waits. Netty's io_uring accept takes a descriptor before it looks for
     * a connection: out of descriptors it would fail at once, again and again, so on io_uring reading resumes only
     * when a poll of the socket says a connection waits ({@link AcceptReadiness}); the next accept then either
     * succeeds or fails again, and the port closes the waiting connections again. Elsewhere Netty's own accept waits
     * for readiness: reading resumes at once. Reactor thread.
     */
    private void acceptWhenAConnectionWaits() {
        if (reactor.channels().acceptTakesDescriptorFirst() && server instanceof UnixChannel) {
            if (readiness == null) {
                readiness = new AcceptReadiness(reactor.eventLoop(), ((UnixChannel) server).fd().intValue());
            }
            if (readiness.whenReady(this::resumeAccepting)) {
                return;
            }
        }
        resumeAccepting();
    }

    private void resumeAccepting() {
        if (server.isOpen() && !isStopped()) {
            server.config().setAutoRead(true);
        }
    }
}
