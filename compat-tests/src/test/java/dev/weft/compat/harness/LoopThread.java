package dev.weft.compat.harness;

import dev.weft.reactor.Reactor;
import java.util.concurrent.CountDownLatch;

/**
 * A reactor run on a background thread, for tests that need the test thread to act as "another thread".
 * Made by {@link ReactorHarness#startInBackground(Reactor)}, which tracks it: the guard fails a test that leaves
 * it running.
 */
public final class LoopThread extends RunThread {
    private final Reactor reactor;
    private final CountDownLatch running = new CountDownLatch(1);

    LoopThread(Reactor reactor, String name) {
        super(name);
        this.reactor = reactor;
        reactor.callWhenRunning(running::countDown);
    }

    @Override
    void runIt() {
        reactor.run();
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
        return runner();
    }

    /** Waits (bounded) until the reactor's startup has reached its {@code callWhenRunning} calls. */
    public void awaitRunning() {
        Await.latch(running, "the reactor on " + runner().getName() + " to start");
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
            throw new AssertionError("run() on " + runner().getName() + " did not return within "
                    + Await.TIMEOUT.toMillis() + " ms after " + after + "; crashed it");
        }
        rethrowFailure();
    }
}
