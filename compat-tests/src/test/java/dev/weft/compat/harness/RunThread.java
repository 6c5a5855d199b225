package dev.weft.compat.harness;

import java.time.Duration;

/**
 * A daemon thread that calls one {@code run()} (a reactor's or a group's) and keeps what it threw: the part
 * {@link LoopThread} and {@link GroupThread} share.
 */
abstract class RunThread {
    private final Thread thread;
    private volatile Throwable failure;

    RunThread(String name) {
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    /** The {@code run()} this thread makes. On this thread. */
    abstract void runIt();

    private void loop() {
        try {
            runIt();
        } catch (Throwable t) {
            failure = t;
        }
    }

    void start() {
        thread.start();
    }

    /** The thread that calls {@code run()}. */
    final Thread runner() {
        return thread;
    }

    /**
     * What {@code run()} threw, once it returned.
     *
     * @return the failure, or null
     */
    public final Throwable failure() {
        return failure;
    }

    /**
     * Whether {@code run()} is still executing.
     *
     * @return whether the thread is alive
     */
    public final boolean isAlive() {
        return thread.isAlive();
    }

    /**
     * Waits up to {@code timeout} for {@code run()} to return.
     *
     * @param timeout the bound
     * @return whether it returned
     */
    public final boolean join(Duration timeout) {
        try {
            thread.join(Math.max(1, timeout.toMillis()));
            return !thread.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Fails with what {@code run()} threw, if it threw. */
    final void rethrowFailure() {
        Throwable t = failure;
        if (t != null) {
            throw new AssertionError("run() on " + thread.getName() + " threw " + t, t);
        }
    }
}
