package dev.weft.netty;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * Wakes an owned loop whose wait for I/O the JDK does not end on {@link Thread#interrupt()} (a native epoll wait):
 * between {@link #enter()} and {@link #exit()}, an interrupt of the loop thread runs the wake-up given at
 * construction, on the interrupting thread, through the JDK's own hook for selectors
 * ({@link AbstractSelector#begin()}). It selects nothing and holds no descriptor: only its wake-up is used.
 */
final class InterruptWaker extends AbstractSelector {
    private final Runnable wake;

    /**
     * Creates a waker.
     *
     * @param wake what wakes the loop; run on the interrupting thread, or at once by {@link #enter()} on the loop
     *             thread if it is already interrupted
     */
    InterruptWaker(Runnable wake) {
        super(SelectorProvider.provider());
        this.wake = wake;
    }

    /** The loop thread is about to wait: an interrupt from now on wakes it. On the loop thread. */
    void enter() {
        begin();
    }

    /** The loop thread's wait is over. On the loop thread. */
    void exit() {
        end();
    }

    @Override
    public Selector wakeup() {
        wake.run();
        return this;
    }

    @Override
    protected void implCloseSelector() {
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        throw new UnsupportedOperationException("an InterruptWaker selects nothing");
    }

    @Override
    public Set<SelectionKey> keys() {
        return Set.of();
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        return Set.of();
    }

    @Override
    public int selectNow() {
        throw new UnsupportedOperationException("an InterruptWaker selects nothing");
    }

    @Override
    public int select(long timeout) {
        throw new UnsupportedOperationException("an InterruptWaker selects nothing");
    }

    @Override
    public int select() {
        throw new UnsupportedOperationException("an InterruptWaker selects nothing");
    }
}
