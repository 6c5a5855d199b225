package dev.weft.netty;

import dev.weft.reactor.spi.DescriptorSet;
import dev.weft.reactor.spi.Interest;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;

/**
 * One channel watched on a native (epoll, io_uring) loop through the reactor's {@link WatchSelector}: a key in the
 * loop thread's JDK selector, which says what is ready at each pass, and a key in the helper thread's selector,
 * armed only while the loop waits, which wakes it.
 *
 * <p>Threads: {@link #want()}, {@link #applyOnLoop(Selector, List)} and {@link #dispatch(int)} on the reactor thread (or
 * the thread that adds a reader before the reactor runs); {@link #applyOnHelper(Selector, boolean, List)} and
 * {@link #armOnHelper(boolean)} on the helper thread.
 */
final class SelectorWatch {
    private final NettyReactor reactor;
    private final DescriptorSet descriptors;
    private final Interest interest;
    /** The ops asked for, 0 when the channel is no longer watched. */
    private volatile int wanted;
    /** Loop side. */
    private SelectionKey loopKey;
    /** Helper thread only. */
    private SelectionKey helperKey;

    SelectorWatch(NettyReactor reactor, DescriptorSet descriptors, Interest interest) {
        this.reactor = reactor;
        this.descriptors = descriptors;
        this.interest = interest;
    }

    /** Records the ops the reader and writer of the channel ask for. */
    void want() {
        SelectableChannel ch = interest.channel();
        int valid = ch.validOps();
        wanted = (interest.reader() != null ? valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT) : 0)
                | (interest.writer() != null ? valid & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT) : 0);
    }

    /** Whether the channel is still watched. Any thread. */
    boolean isWanted() {
        return wanted != 0;
    }

    /** Stops watching, at shutdown. */
    void unwant() {
        wanted = 0;
    }

    /**
     * Makes the loop selector's key match {@link #want()}: registered, changed, or retired. A failure is logged.
     *
     * @param selector the loop thread's selector
     * @param retired  where a key no longer wanted goes, to be cancelled once no watch took it back
     */
    void applyOnLoop(Selector selector, List<SelectionKey> retired) {
        loopKey = apply(selector, loopKey, wanted, retired);
    }

    /**
     * Makes the helper selector's key match {@link #want()}, with no interest while the helper is not armed.
     * Helper thread.
     *
     * @param selector the helper's selector
     * @param armed    whether the helper is armed
     * @param retired  where a key no longer wanted goes
     */
    void applyOnHelper(Selector selector, boolean armed, List<SelectionKey> retired) {
        int ops = wanted;
        helperKey = apply(selector, helperKey, ops == 0 ? 0 : armed ? ops : -1, retired);
    }

    /** Arms (the wanted ops) or disarms (none) the helper's key. Helper thread. */
    void armOnHelper(boolean armed) {
        SelectionKey k = helperKey;
        if (k != null) {
            try {
                k.interestOps(armed ? wanted : 0);
            } catch (CancelledKeyException | IllegalArgumentException e) {
                // closed by its owner meanwhile: its removal follows
            }
        }
    }

    /**
     * Cancels the retired keys that no watch took back (a reader removed and added again in one callback keeps its
     * channel's key: a cancelled key stays registered until the next select, and the channel cannot register again
     * until then).
     *
     * @return whether a key was cancelled (a select should follow, so the selector forgets it)
     */
    static boolean cancelRetired(List<SelectionKey> retired) {
        boolean cancelled = false;
        for (SelectionKey k : retired) {
            Object a = k.attachment();
            if (!(a instanceof SelectorWatch) || !((SelectorWatch) a).isWanted()) {
                k.cancel();
                cancelled = true;
            }
        }
        retired.clear();
        return cancelled;
    }

    /**
     * Registers, changes or retires {@code key}.
     *
     * @param ops the interest; 0 retires; -1 registers with no interest (a disarmed helper key)
     * @return the key, or null when none is left
     */
    private SelectionKey apply(Selector selector, SelectionKey key, int ops, List<SelectionKey> retired) {
        if (ops == 0) {
            if (key != null) {
                try {
                    key.interestOps(0);
                } catch (CancelledKeyException e) {
                    return null;
                }
                retired.add(key);
            }
            return null;
        }
        int interestOps = Math.max(ops, 0);
        try {
            if (key == null || !key.isValid()) {
                SelectionKey kept = interest.channel().keyFor(selector);
                if (kept != null && kept.isValid()) {
                    kept.attach(this);
                    kept.interestOps(interestOps);
                    return kept;
                }
                return interest.channel().register(selector, interestOps, this);
            }
            if (ops > 0) {
                key.interestOps(interestOps);
            }
            return key;
        } catch (ClosedChannelException | CancelledKeyException e) {
            // Closed by its owner: nothing to watch; its removal follows.
            return null;
        } catch (IllegalBlockingModeException | IllegalArgumentException e) {
            reactor.log("while watching " + interest.channel() + " (it must be non-blocking)", e);
            return null;
        }
    }

    /** Runs the reader and writer that the ready ops call for. Reactor thread. */
    void dispatch(int ops) {
        if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            descriptors.dispatchRead(interest);
        }
        if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && wanted != 0) {
            descriptors.dispatchWrite(interest);
        }
    }

    @Override
    public String toString() {
        return "SelectorWatch(" + interest.channel() + ")";
    }
}
