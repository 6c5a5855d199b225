package dev.weft.reactor.spi;

import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * The loop that polls by itself, on the thread that runs the reactor (untwisted, an owned Netty loop): a
 * {@link LoopPass} for the callbacks, then the backend's {@link IoPoller} waits for I/O up to the next deadline and
 * dispatches it. Called on the thread that runs the reactor, but {@link #wakeUp()} from any thread.
 */
final class PollingLoop implements LoopDriver {
    private final LoopPass pass;
    private final IoPoller poller;

    PollingLoop(LoopPass pass, IoPoller poller) {
        this.pass = pass;
        this.poller = poller;
    }

    @Override
    public void run(BooleanSupplier until) {
        enter();
        poller.runOnThisThread(() -> {
            try {
                pass.fireStartupIfDue();
                while (!pass.ended(until)) {
                    poll(-1, until);
                }
                pass.releaseIfStopped();
            } finally {
                pass.leave();
            }
        });
    }

    @Override
    public void iterate(long maxTimeoutNanos) {
        enter();
        try {
            poll(maxTimeoutNanos, () -> false);
        } finally {
            pass.leave();
        }
    }

    private void enter() {
        Thread self = Thread.currentThread();
        pass.checkCanEnter();
        poller.checkLoopThread(self);
        pass.enter(self);
    }

    /**
     * One pass: the callbacks, then a poll for I/O of at most {@code maxTimeoutNanos} (-1: up to the next deadline)
     * and its dispatch.
     */
    private void poll(long maxTimeoutNanos, BooleanSupplier until) {
        pass.runCallbacks();
        if (until.getAsBoolean()) {
            return;
        }
        long timeout = pass.waitNanos(maxTimeoutNanos);
        long unit = poller.waitGranularityNanos();
        if (timeout > 0 && unit > 0) {
            timeout -= timeout % unit; // wake before the deadline and poll up to it, rather than wake late
        }
        timeout = pass.beginWait(timeout);
        try {
            poller.poll(timeout);
        } catch (IOException | RuntimeException e) {
            pass.logError("while polling for I/O", e);
        } finally {
            pass.endWait();
        }
        pass.takeInterrupt();
    }

    @Override
    public void wakeUp() {
        poller.wakeUp();
    }

    @Override
    public void earliestDeadlineChanged() {
        // each pass computes its wait after running its callbacks
    }
}
