package dev.weft.untwisted;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The selection key of one backend channel and the interest set its owner wants. Changes only touch the key when
 * the set changes. If the channel still holds a cancelled key (not yet flushed by a select), registering waits for
 * the reactor's next pass ({@link SelectorPoller#deferRegistration(Runnable)}).
 *
 * <p>Used on the reactor thread only.
 */
final class ChannelRegistration {

    private final UntwistedReactor reactor;
    private final SelectableChannel channel;
    private Selectable owner;
    private SelectionKey key;
    private int ops;
    private boolean cancelled;

    private ChannelRegistration(UntwistedReactor reactor, SelectableChannel channel, Selectable owner, int ops) {
        this.reactor = reactor;
        this.channel = channel;
        this.owner = owner;
        this.ops = ops;
    }

    /**
     * Registers {@code channel}, which must be open and non-blocking, with the reactor's selector.
     *
     * @param reactor the reactor
     * @param channel the channel
     * @param ops     the first interest set
     * @param owner   what the key dispatches to
     * @return the registration
     * @throws ClosedChannelException if the channel is closed
     */
    static ChannelRegistration register(UntwistedReactor reactor, SelectableChannel channel, int ops,
            Selectable owner) throws ClosedChannelException {
        ChannelRegistration r = new ChannelRegistration(reactor, channel, owner, ops);
        r.attemptRegistration();
        return r;
    }

    /**
     * Hands the key to another owner (a connection attempt to its connection).
     *
     * @param newOwner what the key dispatches to from now on
     */
    void attach(Selectable newOwner) {
        owner = newOwner;
        if (key != null) {
            key.attach(newOwner);
        }
    }

    /**
     * Sets the interest set.
     *
     * @param newOps the operations to watch, 0 for none
     */
    void interestOps(int newOps) {
        if (cancelled || newOps == ops) {
            return;
        }
        ops = newOps;
        if (key != null) {
            try {
                key.interestOps(newOps);
            } catch (CancelledKeyException e) {
                // closed under us: the owner's close follows
            }
        }
    }

    /**
     * The interest set wanted now.
     *
     * @return the operations watched
     */
    int interestOps() {
        return ops;
    }

    /**
     * Whether the key is registered and neither cancelled nor closed: what the reader of a watched descriptor left
     * when it returned.
     *
     * @return true if the writer may still run
     */
    boolean isLive() {
        return !cancelled && key != null && key.isValid();
    }

    /** Stops watching the channel for good; the channel's close follows. */
    void cancel() {
        cancelled = true;
        if (key != null) {
            key.cancel();
        }
    }

    private void attemptRegistration() throws ClosedChannelException {
        if (cancelled) {
            return;
        }
        Selector selector = reactor.poller().selector();
        try {
            key = channel.register(selector, ops, owner);
        } catch (CancelledKeyException e) {
            // The channel's previous key is cancelled but not flushed yet: register after the next select.
            reactor.poller().deferRegistration(this::retry);
        }
    }

    private void retry() {
        try {
            attemptRegistration();
        } catch (ClosedChannelException e) {
            // closed meanwhile: nothing to watch
        }
    }
}
