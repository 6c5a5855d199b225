package dev.weft.netty;

import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectFailedException;
import dev.weft.reactor.spi.ConnectorBase;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.Errors;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * An outgoing TCP (or TLS) connection: each attempt is a Netty channel of the reactor's loop, connected with a
 * {@link Bootstrap} pinned to that loop. Netty's connect timeout is off: the base has its own.
 */
final class NettyConnector extends ConnectorBase {

    /** The {@code errno} in the message of a native (epoll) connect failure. */
    /** How deep {@link #nativeToJdk(Throwable)} looks into causes. */
    private static final int MAX_CAUSES = 8;

    private static final Pattern NATIVE_ERROR = Pattern.compile("failed with error\\((-?\\d+)\\)");

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
        NettyConnection t = new NettyConnection(reactor, ch, null);
        NettyConnection.configure(ch.config());
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
                finishFailed(nativeToJdk(done.cause()));
            }
        }));
    }

    /**
     * Netty's epoll transport reports a failed connect as a {@link ConnectException} whatever the {@code errno}, with
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

    @Override
    protected void cancelAttempt() {
        Channel ch = pending;
        pending = null;
        if (ch != null) {
            ch.close();
        }
    }
}
