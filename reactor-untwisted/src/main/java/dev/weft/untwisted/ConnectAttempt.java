package dev.weft.untwisted;

import dev.weft.reactor.spi.ConnectionAttempt;
import dev.weft.reactor.spi.TcpConnector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One non-blocking connect on the selector, for a {@link TcpConnector}: opens a {@link SocketChannel} of the
 * destination's family, binds it if asked, connects, waits for {@code OP_CONNECT} and finishes the connect, then
 * reports a new {@link UntwistedTcpTransport} that takes over the channel and its key, or the error. The connector
 * owns the attempt's life (timeout, cancel, which attempt is current).
 *
 * <p>Used on the reactor thread only.
 */
final class ConnectAttempt extends ConnectionAttempt implements Selectable {

    private final UntwistedReactor reactor;
    private SocketChannel channel;
    private ChannelRegistration registration;
    private boolean done;

    ConnectAttempt(UntwistedReactor reactor) {
        this.reactor = reactor;
    }

    @Override
    protected void start(SocketAddress remote, InetSocketAddress bind) throws IOException {
        channel = SocketChannel.open(SocketFamilies.of(remote));
        channel.configureBlocking(false);
        if (bind != null) {
            channel.bind(bind);
        }
        if (channel.connect(remote)) {
            connected();
            return;
        }
        registration = ChannelRegistration.register(reactor, channel, SelectionKey.OP_CONNECT, this);
    }

    @Override
    public void ready(int readyOps) {
        if (done || (readyOps & SelectionKey.OP_CONNECT) == 0) {
            return;
        }
        try {
            if (channel.finishConnect()) {
                connected();
            }
        } catch (IOException | RuntimeException e) {
            // The JDK has closed the channel. A reset that came before this finish is a connection made, then lost.
            finishFailed(e);
        }
    }

    @Override
    protected void cancel() {
        if (done) {
            return;
        }
        done = true;
        if (registration != null) {
            registration.cancel();
        }
        SocketFamilies.closeQuietly(channel);
    }

    private void connected() {
        UntwistedTcpTransport t;
        try {
            t = new UntwistedTcpTransport(reactor, channel, registration);
        } catch (IOException | RuntimeException e) {
            failed(e);
            return;
        }
        done = true;
        connected(t);
    }
}
