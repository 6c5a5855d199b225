package dev.weft.compat.harness;

import dev.weft.reactor.Reactor;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A reactor run on a background thread, for tests that need the test thread to act as "another thread".
 * Made by {@link ReactorHarness#startInBackground(Reactor)}, which tracks it: the guard fails a test that leaves
 * it running.
 */
public final class LoopThread {
    private final Reactor reactor;
    private final Thread thread;
    private final CountDownLatch running = new CountDownLatch(1);
    private volatile Throwable failure;

    LoopThread(Reactor reactor, String name) {
        this.reactor = reactor;
        reactor.callWhenRunning(running::countDown);
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    private void loop() {
        try {
            reactor.run();
        } catch (Throwable t) {
            failure = t;
        }
    }

    void start() {
        thread.start();
    }

    /**
     * The reactor.
     *
     * @return the reactor this thread runs
     */
    public Reactor reactor() {
        return reactor;
    }

    /**
     * The thread that calls {@code run()}.
     *
     * @return the thread
     */
    public Thread thread() {
        return thread;
    }

    /** Waits (bounded) until the reactor's startup has reached its {@code callWhenRunning} calls. */
    public void awaitRunning() {
        Await.latch(running, "the reactor on " + thread.getName() + " to start");
    }

    /**
     * Whether {@code run()} is still executing.
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
     * Asks the reactor to stop (from this, another, thread) and waits, bounded, for {@code run()} to return;
     * fails if it does not, and rethrows what {@code run()} threw.
     */
    public void stopAndJoin() {
        reactor.callFromThread(reactor::stop);
        joinOrFail("stop()");
    }

    /** Waits, bounded, for {@code run()} to return by itself; fails if it does not. */
    public void joinOrFail() {
        joinOrFail("the test");
    }

    private void joinOrFail(String after) {
        if (!join(Await.TIMEOUT)) {
            reactor.callFromThread(reactor::crash);
            join(Watchdog.GRACE);
            throw new AssertionError("run() on " + thread.getName() + " did not return within "
                    + Await.TIMEOUT.toMillis() + " ms after " + after + "; crashed it");
        }
        Throwable t = failure;
        if (t != null) {
            throw new AssertionError("run() on " + thread.getName() + " threw " + t, t);
        }
    }
}
