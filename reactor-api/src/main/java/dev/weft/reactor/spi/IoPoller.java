package dev.weft.reactor.spi;

import java.io.IOException;

/**
 * How a backend whose loop polls by itself ({@code PollingLoop}) waits for I/O and wakes that wait. For implementors
 * of backends.
 */
public interface IoPoller {

    /**
     * Waits for I/O for at most {@code timeoutNanos} and dispatches every ready channel (the watched descriptors
     * through {@link DescriptorSet#dispatchRead(Interest)} and {@link DescriptorSet#dispatchWrite(Interest)}).
     * The wait counts as idle for the blocked-loop detector, the dispatch as busy: before it runs any of the
     * reactor's code for what it found, the backend calls {@link ReactorBase#ioReady()} (the descriptor set does
     * so itself). Called on the reactor thread.
     *
     * @param timeoutNanos the longest wait: 0 means poll without blocking, -1 means no limit
     * @throws IOException if polling fails; it is logged and the loop goes on
     */
    void poll(long timeoutNanos) throws IOException;

    /**
     * Makes a {@link #poll(long)} that is blocked (or the next one) return at once. Called from any thread, only
     * when the loop may be blocked.
     */
    void wakeUp();

    /**
     * The granularity of {@link #poll(long)}'s wait, when it cannot wait for less than a whole unit (a
     * {@code Selector.select(long)} counts milliseconds). The loop then asks for the wait rounded down to a whole
     * number of units, and polls without waiting once the next deadline is less than a unit away, so that a timer
     * is not late by the rounding of the wait; the price is a loop that polls, using its CPU, for up to one unit
     * before each deadline. Called on the reactor thread, once per pass.
     *
     * @return the unit in nanoseconds, or 0 (the default) when the wait is precise enough as it is
     */
    default long waitGranularityNanos() {
        return 0;
    }

    /**
     * Refuses a thread the loop cannot run on (a loop bound to the first thread that ran it), before anything
     * changed. Called on the thread about to run the loop. Does nothing by default.
     *
     * @param loopThread the thread the loop is about to run on
     * @throws IllegalStateException if the loop cannot run on that thread
     */
    default void checkLoopThread(Thread loopThread) {
    }

    /**
     * Runs {@code loop} (every pass of one {@code run()} or {@code runUntil()}) on the calling
     * thread, letting the backend set the thread up around it. Runs it as it is by default.
     *
     * @param loop the passes to run
     */
    default void runOnThisThread(Runnable loop) {
        loop.run();
    }
}
