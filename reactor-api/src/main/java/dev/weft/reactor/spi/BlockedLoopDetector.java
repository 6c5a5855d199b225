package dev.weft.reactor.spi;

import dev.weft.reactor.internal.Loggers;
import dev.weft.reactor.internal.StandIn;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;

/**
 * Logs the stack of the reactor thread when it has been busy (out of its wait for I/O: running callbacks, or
 * dispatching what a poll found) longer than a threshold.
 *
 * <p>The reactor thread pays two volatile writes per pass of the loop ({@link #busy()} and {@link #idle()}, from
 * {@link LoopPass}); a
 * daemon watcher samples every half threshold and reports each over-long stretch once, with the stack of whatever
 * holds the loop at that moment.
 */
final class BlockedLoopDetector implements Runnable {
    private static final Logger LOG = Loggers.get("dev.weft.reactor.BlockedLoop");

    private final long thresholdNanos;
    private final String reactorName;
    private final FlightEvents flight;
    private volatile long busySince;
    private volatile Thread loopThread;
    private volatile boolean closed;
    private Thread watcher;

    BlockedLoopDetector(String reactorName, long thresholdMillis, FlightEvents flight) {
        this.reactorName = reactorName;
        this.flight = flight;
        this.thresholdNanos = TimeUnit.MILLISECONDS.toNanos(thresholdMillis);
    }

    boolean enabled() {
        return thresholdNanos > 0;
    }

    /** Called on the reactor thread when the loop starts. */
    void start(Thread loop) {
        if (!enabled()) {
            return;
        }
        loopThread = loop;
        closed = false;
        if (watcher == null || !watcher.isAlive()) {
            watcher = new Thread(this, "weft-blocked-loop-detector[" + reactorName + "]");
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    /** Called on the reactor thread when the loop ends. */
    void stop() {
        closed = true;
        busySince = 0;
        Thread w = watcher;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** The loop has work to do (its wait for I/O is over). */
    void busy() {
        if (thresholdNanos > 0) {
            busySince = System.nanoTime() | 1L;
        }
    }

    /** The loop is about to wait for I/O. */
    void idle() {
        if (thresholdNanos > 0) {
            busySince = 0;
        }
    }

    @Override
    public void run() {
        long reported = 0;
        long period = Math.max(thresholdNanos / 2, TimeUnit.MILLISECONDS.toNanos(1));
        while (!closed) {
            LockSupport.parkNanos(this, period);
            long since = busySince;
            if (since == 0 || since == reported) {
                continue;
            }
            long held = System.nanoTime() - since;
            if (held > thresholdNanos && busySince == since) {
                reported = since;
                Thread loop = loopThread;
                // A coroutine body running on the loop's behalf holds it while the loop thread waits for it.
                Thread t = loop == null ? null : StandIn.runningFor(loop);
                BlockedLoopException where = new BlockedLoopException(
                        "reactor " + reactorName + " has been held for " + TimeUnit.NANOSECONDS.toMillis(held)
                        + " ms (threshold " + TimeUnit.NANOSECONDS.toMillis(thresholdNanos) + " ms) by "
                        + (t == null ? "thread ?" : t == loop ? "thread " + t.getName()
                                : "coroutine body " + t.getName() + " running on behalf of thread " + loop.getName()));
                if (t != null) {
                    where.setStackTrace(t.getStackTrace());
                }
                flight.blocked(TimeUnit.NANOSECONDS.toMillis(held), t, where.getStackTrace());
                LOG.warn("Blocked loop: a callback holds the reactor thread; its stack follows", where);
            }
        }
    }

    /** Carries the stack of a blocked reactor thread into the log. */
    static final class BlockedLoopException extends Exception {
        private static final long serialVersionUID = 1L;

        BlockedLoopException(String message) {
            super(message, null, false, true);
        }
    }
}
