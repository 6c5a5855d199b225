package dev.weft.netty;

import dev.weft.protocol.ClientFactory;
import dev.weft.reactor.spi.ConnectorBase;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;

/**
 * An outgoing TCP (or TLS) connection: each attempt is a Netty channel of the reactor's loop, connected with a
 * {@link Bootstrap} pinned to that loop. Netty's connect timeout is off: the base has its own.
 */
final class NettyConnector extends ConnectorBase {

    private final NettyReactor reactor;
    private Channel pending;

    NettyConnector(NettyReactor reactor, String host, int port, ClientFactory factory, double timeoutSeconds,
            InetSocketAddress bindAddress, SSLContext tlsContext, boolean verifyHostname) {
        super(reactor, host, port, factory, timeoutSeconds, bindAddress, tlsContext, verifyHostname);
        this.reactor = reactor;
    }

    /** {@code connectTCP} and {@code connectSSL}, arguments checked: makes the connector and starts it. */
    @Override
    protected void startAttempt(InetSocketAddress remote, InetSocketAddress bind) {
        Channel ch = reactor.channels().newSocket();
        NettyStreamTransport t = new NettyStreamTransport(reactor, ch, null);
        NettyStreamTransport.configure(ch.config());
        pending = ch;
        ChannelFuture f = new Bootstrap()
                .group(reactor.eventLoop())
                .channelFactory(() -> ch)
                .disableResolver()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0)
                .handler(t)
                .connect(remote, bind);
        f.addListener(done -> reactor.onLoop(() -> {
            if (pending != ch) {
                return;
            }
            pending = null;
            if (done.isSuccess()) {
                t.activate();
                attemptSucceeded(t);
            } else {
                ch.close();
                attemptFailed(done.cause());
            }
        }));
    }

    @Override
    protected void cancelAttempt() {
        Channel ch = pending;
        pending = null;
        if (ch != null) {
            ch.close();
        }
    }
}
