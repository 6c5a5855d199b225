package dev.weft.untwisted;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One non-blocking connect: opens a {@link SocketChannel} of the destination's family, binds it if asked, connects,
 * waits for {@code OP_CONNECT} and finishes the connect, then reports to its {@link UntwistedConnector}: a new
 * {@link UntwistedTcpTransport} that takes over the channel and its key, or the error.
 *
 * <p>Used on the reactor thread only.
 */
final class ConnectAttempt implements Selectable {

    private final UntwistedReactor reactor;
    private final UntwistedConnector connector;
    private SocketChannel channel;
    private ChannelRegistration registration;
    private boolean done;

    ConnectAttempt(UntwistedReactor reactor, UntwistedConnector connector) {
        this.reactor = reactor;
        this.connector = connector;
    }

    /**
     * Starts connecting; the outcome may be reported from inside this call.
     *
     * @param remote the destination
     * @param bind   the local address to bind, or null
     */
    void start(InetSocketAddress remote, InetSocketAddress bind) {
        try {
            channel = SocketChannel.open(SocketFamilies.of(remote.getAddress()));
            channel.configureBlocking(false);
            if (bind != null) {
                channel.bind(bind);
            }
            if (channel.connect(remote)) {
                connected();
                return;
            }
            registration = ChannelRegistration.register(reactor, channel, SelectionKey.OP_CONNECT, this);
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
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
            close();
            connector.finishFailed(this, e);
        }
    }

    /** Abandons the attempt: closes the channel; nothing is reported. */
    void close() {
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
            fail(e);
            return;
        }
        done = true;
        connector.connected(this, t);
    }

    private void fail(Throwable e) {
        close();
        connector.failed(this, e);
    }
}
