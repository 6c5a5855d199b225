package dev.weft.compat.harness;

import dev.weft.reactor.Phase;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorGroup;
import java.util.concurrent.CountDownLatch;

/**
 * A reactor group's {@code run()} on a background thread. Made by {@link ReactorHarness#startGroup(ReactorGroup)},
 * which tracks it: the guard fails a test that leaves it running.
 */
public final class GroupThread extends RunThread {
    private final ReactorGroup group;
    private final CountDownLatch running;

    GroupThread(ReactorGroup group, String name) {
        super(name);
        this.group = group;
        this.running = new CountDownLatch(group.size());
        group.addSystemEventTrigger(Phase.AFTER, ReactorCore.STARTUP, member -> {
            running.countDown();
            return null;
        });
    }

    @Override
    void runIt() {
        group.run();
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
        return runner().getName();
    }

    /** Interrupts the thread in the group's {@code run()}, which asks the group to stop (as for a single reactor). */
    public void interruptRun() {
        runner().interrupt();
    }

    /** Waits (bounded) until every member has finished its startup. */
    public void awaitRunning() {
        Await.latch(running, "every member of " + group + " to start");
    }

    /** Stops the group and waits, bounded, for {@code run()} to return; fails if it does not, or if it threw. */
    public void stopAndJoin() {
        group.stop();
        joinOrFail();
    }

    /** Waits, bounded, for {@code run()} to return; fails if it does not, or if it threw. */
    public void joinOrFail() {
        if (!join(Await.TIMEOUT)) {
            interruptRun();
            join(Watchdog.GRACE);
            throw new AssertionError("the group's run() on " + runner().getName() + " did not return within "
                    + Await.TIMEOUT.toMillis() + " ms; interrupted it");
        }
        rethrowFailure();
    }
}
