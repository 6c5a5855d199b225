package dev.weft.netty;

import dev.weft.reactor.spi.AcceptedConnection;
import dev.weft.reactor.spi.NetworkReactorBase;
import dev.weft.reactor.spi.StreamTransport;
import io.netty.channel.Channel;
import java.util.function.Consumer;

/**
 * A child channel accepted by one Netty reactor's server channel and handed, unregistered, to another Netty reactor
 * on the same kind of loop (a member of the same group), which registers it with its own loop, as a
 * {@code ServerBootstrap} registers its children with its child group. Adopted on the adopting reactor's thread;
 * {@link #close()} from any thread.
 */
final class AcceptedChild implements AcceptedConnection {

    private final Channel child;

    /**
     * Wraps a child channel just accepted.
     *
     * @param child the accepted channel, not registered with any loop
     */
    AcceptedChild(Channel child) {
        this.child = child;
    }

    @Override
    public void adoptOn(NetworkReactorBase reactor, Consumer<? super StreamTransport> adopted) {
        NettyReactor r = (NettyReactor) reactor;
        NettyConnection.configure(child.config());
        child.pipeline().addLast(NettyConnection.adopted(r, child, adopted::accept));
        NettySockets.register(r.eventLoop(), child).addListener(f -> {
            if (!f.isSuccess()) {
                child.unsafe().closeForcibly();
            }
        });
    }

    @Override
    public void close() {
        try {
            child.unsafe().closeForcibly();
        } catch (RuntimeException e) {
            // closed already: nothing to release
        }
    }

    @Override
    public String toString() {
        return "AcceptedChild[" + child + "]";
    }
}
