package dev.weft.netty;

import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.Factory;
import dev.weft.reactor.spi.ListeningPortBase;
import dev.weft.reactor.spi.NetChecks;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A listening TCP (or TLS) port on a Netty server channel of the reactor's loop. The socket is bound on the calling
 * thread before {@link #listen} returns (see {@link NettyChannels}); Netty registers it on the loop, and each
 * accepted channel, registered on the same loop, gets a {@link NettyStreamTransport} that the base starts.
 */
final class NettyListeningPort extends ListeningPortBase {

    private final NettyReactor reactor;
    private final Channel server;
    private final InetSocketAddress address;

    private NettyListeningPort(NettyReactor reactor, Factory factory, SSLContext tlsContext, Channel server,
            InetSocketAddress address) {
        super(reactor, factory, tlsContext);
        this.reactor = reactor;
        this.server = server;
        this.address = address;
    }

    /**
     * Binds a port and starts listening: {@code listenTCP} and {@code listenSSL}, arguments checked.
     *
     * @throws CannotListenException if the port cannot be bound
     */
    static NettyListeningPort listen(NettyReactor reactor, int port, Factory factory, int backlog, String iface,
            SSLContext tlsContext) {
        NettyChannels channels = reactor.channels();
        InetSocketAddress bind;
        try {
            bind = NetChecks.bindAddress(iface, port);
        } catch (IOException e) {
            throw new CannotListenException(InetSocketAddress.createUnresolved(iface, port), e);
        }
        Channel server;
        try {
            server = channels.bindServer(bind, backlog);
        } catch (IOException | RuntimeException e) {
            throw new CannotListenException(bind, e);
        }
        SocketAddress local = server.localAddress();
        NettyListeningPort p = new NettyListeningPort(reactor, factory, tlsContext, server,
                local instanceof InetSocketAddress ? (InetSocketAddress) local : bind);
        server.pipeline().addLast(p.new Acceptor());
        ChannelFuture registered;
        try {
            registered = NettyChannels.register(reactor.eventLoop(), server);
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
    void accept(NettyStreamTransport t) {
        accepted(t);
    }

    @Override
    protected void closePort() {
        reactor.closeNow(server);
    }

    @Override
    public InetSocketAddress getHost() {
        return address;
    }

    /** The server channel's handler: registers each accepted channel on the loop with its transport. */
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel child = (Channel) msg;
            try {
                NettyStreamTransport.configure(child.config());
                child.pipeline().addLast(new NettyStreamTransport(reactor, child, NettyListeningPort.this));
                NettyChannels.register(reactor.eventLoop(), child).addListener(f -> {
                    if (!f.isSuccess()) {
                        child.unsafe().closeForcibly();
                    }
                });
            } catch (RuntimeException e) {
                child.unsafe().closeForcibly();
                reactor.onLoop(() -> reactor.log("while accepting a connection on " + NettyListeningPort.this, e));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!server.isOpen()) {
                return;
            }
            reactor.onLoop(() -> reactor.log("while accepting connections on " + NettyListeningPort.this, cause));
            // Accepting fails again at once when the process is out of file descriptors: pause a second.
            server.config().setAutoRead(false);
            try {
                server.eventLoop().schedule(() -> server.config().setAutoRead(true), 1, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                // the loop is shutting down
            }
        }
    }
}
