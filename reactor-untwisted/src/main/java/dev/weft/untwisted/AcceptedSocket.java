package dev.weft.untwisted;

import dev.weft.reactor.spi.AcceptedConnection;
import dev.weft.reactor.spi.NetworkReactorBase;
import dev.weft.reactor.spi.StreamTransport;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * A channel accepted by one untwisted reactor's port and handed to another untwisted reactor (a member of the same
 * group), which registers it with its own selector: the accepted {@link SocketChannel} is not registered with any
 * selector until then. Adopted on the adopting reactor's thread; {@link #close()} from any thread.
 */
final class AcceptedSocket implements AcceptedConnection {

    private final SocketChannel channel;

    /**
     * Wraps a channel just accepted.
     *
     * @param channel the accepted channel, not registered with any selector
     */
    AcceptedSocket(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public void adoptOn(NetworkReactorBase reactor, Consumer<? super StreamTransport> adopted) {
        UntwistedReactor r = (UntwistedReactor) reactor;
        UntwistedTcpTransport t;
        try {
            channel.configureBlocking(false);
            t = new UntwistedTcpTransport(r, channel, null);
        } catch (IOException e) {
            // Reset by the peer before we got to it: nothing to serve.
            close();
            r.logDebug("a connection handed on to this reactor was gone before it could be set up", e);
            return;
        }
        adopted.accept(t);
    }

    @Override
    public void close() {
        SocketFamilies.closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "AcceptedSocket[" + channel + "]";
    }
}
