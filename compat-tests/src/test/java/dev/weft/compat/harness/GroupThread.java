package dev.weft.compat.harness;

import dev.weft.reactor.Phase;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorGroup;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A reactor group's {@code run()} on a background thread. Made by {@link ReactorHarness#startGroup(ReactorGroup)},
 * which tracks it: the guard fails a test that leaves it running.
 */
public final class GroupThread {
    private final ReactorGroup group;
    private final Thread thread;
    private final CountDownLatch running;
    private volatile Throwable failure;

    GroupThread(ReactorGroup group, String name) {
        this.group = group;
        this.running = new CountDownLatch(group.size());
        group.addSystemEventTrigger(Phase.AFTER, ReactorCore.STARTUP, member -> {
            running.countDown();
            return null;
        });
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    private void loop() {
        try {
            group.run();
        } catch (Throwable t) {
            failure = t;
        }
    }

    void start() {
        thread.start();
    }

    /**
     * The group.
     *
     * @return the group this thread runs
     */
    public ReactorGroup group() {
        return group;
    }

    /** The name of the thread that calls the group's {@code run()}. */
    String thread() {
        return thread.getName();
    }

    /** Interrupts the thread that calls the group's {@code run()}: the group stops. */
    void interrupt() {
        thread.interrupt();
    }

    /** Interrupts the thread in the group's {@code run()}, which asks the group to stop (as for a single reactor). */
    public void interruptRun() {
        thread.interrupt();
    }

    /** Waits (bounded) until every member has finished its startup. */
    public void awaitRunning() {
        Await.latch(running, "every member of " + group + " to start");
    }

    /**
     * Whether the group's {@code run()} is still executing.
     *
     * @return whether the thread is alive
     */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /**
     * Waits up to {@code timeout} for {@code run()} to return.
     *
     * @param timeout the bound
     * @return whether it returned
     */
    public boolean join(Duration timeout) {
        try {
            thread.join(Math.max(1, timeout.toMillis()));
            return !thread.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * What the group's {@code run()} threw, once it returned.
     *
     * @return the failure, or null
     */
    public Throwable failure() {
        return failure;
    }

    /** Stops the group and waits, bounded, for {@code run()} to return; fails if it does not, or if it threw. */
    public void stopAndJoin() {
        group.stop();
        joinOrFail();
    }

    /** Waits, bounded, for {@code run()} to return; fails if it does not, or if it threw. */
    public void joinOrFail() {
        if (!join(Await.TIMEOUT)) {
            thread.interrupt();
            join(Watchdog.GRACE);
            throw new AssertionError("the group's run() on " + thread.getName() + " did not return within "
                    + Await.TIMEOUT.toMillis() + " ms; interrupted it");
        }
        Throwable t = failure;
        if (t != null) {
            throw new AssertionError("the group's run() on " + thread.getName() + " threw " + t, t);
        }
    }
}
