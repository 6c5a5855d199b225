package dev.weft.netty;

import dev.weft.reactor.spi.DescriptorSet;
import dev.weft.reactor.spi.Interest;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import io.netty.util.concurrent.Future;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * The Netty registration of one watched channel: one handle per channel, whose interest set combines its reader
 * and writer ({@code submit} replaces it). Netty never closes the channel: {@link #close()} does nothing. Used on
 * the loop thread only.
 */
final class ChannelWatch extends NioSelectableChannelIoHandle<SelectableChannel> implements QueuedWatch {
    private final NettyReactor reactor;
    private final DescriptorSet descriptors;
    private final Interest interest;
    private IoRegistration registration;
    private int wanted;
    private int submitted;
    private boolean queued;

    ChannelWatch(NettyReactor reactor, DescriptorSet descriptors, Interest interest) {
        super(interest.channel());
        this.reactor = reactor;
        this.descriptors = descriptors;
        this.interest = interest;
    }

    @Override
    public boolean isQueued() {
        return queued;
    }

    @Override
    public void setQueued(boolean queued) {
        this.queued = queued;
    }

    /** Records the interest ops the reader and writer of the channel ask for; {@link #apply()} makes them so. */
    void want() {
        SelectableChannel ch = interest.channel();
        int valid = ch.validOps();
        wanted = (interest.reader() != null ? valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT) : 0)
                | (interest.writer() != null ? valid & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT) : 0);
    }

    /** Registers, updates or cancels the Netty registration to match {@link #want()}. On the loop thread. */
    void apply() throws Exception {
        if (wanted == 0) {
            cancel();
            return;
        }
        if (registration == null || !registration.isValid()) {
            Future<IoRegistration> f = reactor.eventLoop().register(this);
            if (!f.isSuccess()) {
                Throwable cause = f.cause();
                throw cause instanceof Exception ? (Exception) cause
                        : new IllegalStateException("cannot register " + interest.channel() + " with Netty", cause);
            }
            registration = f.getNow();
            submitted = 0;
        }
        if (submitted != wanted) {
            registration.submit(NioIoOps.valueOf(wanted));
            submitted = wanted;
        }
    }

    /** {@link #apply()}, logging what fails. On the loop thread. */
    @Override
    public void applyOrLog() {
        try {
            apply();
        } catch (Exception e) {
            reactor.log("while registering " + this + " with the Netty event loop", e);
        }
    }

    /** Stops watching until the next {@link #apply()}, while the reactor's loop is not running. */
    void pause() {
        if (registration != null && registration.isValid() && submitted != 0) {
            registration.submit(NioIoOps.NONE);
            submitted = 0;
        }
    }

    /** Cancels the registration, if any. */
    @Override
    public void cancel() {
        IoRegistration r = registration;
        registration = null;
        submitted = 0;
        if (r != null) {
            r.cancel();
        }
    }

    @Override
    protected void handle(SelectableChannel channel, SelectionKey key) {
        IoRegistration r = registration;
        if (r == null || !r.isValid()) {
            return;
        }
        if (!reactor.dispatching()) {
            pause();
            reactor.watchQueue().requeue(this);
            return;
        }
        int ops;
        try {
            ops = key.readyOps();
        } catch (CancelledKeyException e) {
            return;
        }
        if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            descriptors.dispatchRead(interest);
        }
        if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && registration == r && r.isValid()) {
            descriptors.dispatchWrite(interest);
        }
        reactor.dispatched();
    }

    /** Netty closes a handle's channel at loop shutdown and on some cancellations: a watched channel is not ours. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "ChannelWatch(" + interest.channel() + ")";
    }
}
