package dev.weft.netty;

import dev.weft.protocol.ConnectFailedException;
import dev.weft.reactor.internal.StandIn;
import dev.weft.reactor.spi.ConnectionAttempt;
import dev.weft.reactor.spi.TcpConnector;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.Errors;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.SocketException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One outgoing TCP (or TLS) connect for a {@link TcpConnector}: a Netty channel of the reactor's loop, connected with
 * a {@link Bootstrap} pinned to that loop, whose {@link NettyConnection} is reported once the connect succeeds. Netty's
 * connect timeout is off: the connector has its own, and owns the attempt's life (timeout, cancel, which attempt is
 * current). Reactor thread only.
 */
final class NettyConnectAttempt extends ConnectionAttempt {

    /** How deep {@link #nativeToJdk(Throwable)} looks into causes. */
    private static final int MAX_CAUSES = 8;

    /** The {@code errno} in the message of a native (epoll) connect failure. */
    private static final Pattern NATIVE_ERROR = Pattern.compile("failed with error\\((-?\\d+)\\)");

    private final NettyReactor reactor;
    private Channel ch;

    NettyConnectAttempt(NettyReactor reactor) {
        this.reactor = reactor;
    }

    @Override
    protected void start(SocketAddress to, InetSocketAddress bind) {
        if (reactor.inBody()) {
            StandIn.runByActingThread(() -> start(to, bind));
            return;
        }
        NettySockets channels = reactor.channels();
        boolean unix = to instanceof UnixDomainSocketAddress;
        Channel channel = unix ? channels.newDomainSocket() : channels.newSocket();
        SocketAddress remote = unix ? channels.domainAddress(((UnixDomainSocketAddress) to).getPath().toString()) : to;
        NettyConnection t = new NettyConnection(reactor, channel, null);
        NettyConnection.configure(channel.config());
        ch = channel;
        ChannelFuture f = new Bootstrap()
                .group(reactor.eventLoop())
                .channelFactory(() -> channel)
                .disableResolver()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0)
                .handler(t)
                .connect(remote, bind);
        f.addListener(done -> reactor.onLoop(() -> {
            if (done.isSuccess()) {
                t.activate();
                connected(t);
            } else {
                finishFailed(nativeToJdk(done.cause()));
            }
        }));
    }

    @Override
    protected void cancel() {
        if (reactor.inBody()) {
            StandIn.runByActingThread(this::cancel);
            return;
        }
        if (ch != null) {
            ch.close();
        }
    }

    /**
     * Netty's epoll I/O reports a failed connect as a {@link ConnectException} whatever the {@code errno}, with
     * the number in its message ({@code "finishConnect(..) failed with error(-104): ..."}, a format of Netty's, not
     * localized); a refusal is a plain {@code ConnectException} with no number. Made like the JDK's (NIO): a reset
     * ({@code ECONNRESET}: the connection was made, then lost) becomes a plain {@link SocketException}, and any other
     * error a {@link ConnectFailedException}, not a refusal. Other failures are returned as they are.
     */
    private static Throwable nativeToJdk(Throwable cause) {
        Throwable c = cause;
        for (int i = 0; c != null && i < MAX_CAUSES; i++, c = c.getCause()) {
            if (!(c instanceof ConnectException) || c.getMessage() == null) {
                continue;
            }
            Matcher m = NATIVE_ERROR.matcher(c.getMessage());
            if (!m.find()) {
                continue;
            }
            int errno = Integer.parseInt(m.group(1));
            if (errno == Errors.ERROR_ECONNREFUSED_NEGATIVE) {
                return cause;
            }
            if (errno == Errors.ERRNO_ECONNRESET_NEGATIVE || errno == Errors.ERRNO_EPIPE_NEGATIVE) {
                SocketException reset = new SocketException(c.getMessage());
                reset.initCause(cause);
                return reset;
            }
            return new ConnectFailedException("connecting failed: " + c.getMessage(), cause);
        }
        return cause;
    }
}
