package dev.weft.compat.harness;

import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.reactor.Reactor;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds a call that blocks on a reactor ({@code run()}, {@code runUntil()}, {@code iterate()}): if it has not
 * returned within its timeout, the watchdog asks the reactor to crash with {@code callFromThread(reactor::crash)},
 * and, if that does not end the call within a grace period, interrupts the blocked thread. Either way the call
 * then fails the test.
 */
public final class Watchdog {
    /** How long after the crash request the blocked thread is interrupted. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weft-compat-watchdog");
        t.setDaemon(true);
        return t;
    });

    private Watchdog() {
    }

    /**
     * Runs {@code body} on the calling thread under a watchdog.
     *
     * @param reactor the reactor to crash if {@code body} overruns
     * @param timeout how long {@code body} may take
     * @param what    what {@code body} does, for the failure message
     * @param body    the blocking call
     * @param <T>     its result type
     * @return what {@code body} returned
     * @throws Exception what {@code body} threw, when the watchdog did not fire
     */
    public static <T> T guard(Reactor reactor, Duration timeout, String what, Callable<T> body) throws Exception {
        AtomicBoolean crashed = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread caller = Thread.currentThread();
        ScheduledFuture<?> crash = TIMER.schedule(() -> {
            crashed.set(true);
            try {
                reactor.callFromThread(reactor::crash);
            } catch (RuntimeException e) {
                // Nothing more to do here; the interrupt follows.
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        ScheduledFuture<?> interrupt = TIMER.schedule(() -> {
            interrupted.set(true);
            caller.interrupt();
        }, timeout.plus(GRACE).toNanos(), TimeUnit.NANOSECONDS);
        T result;
        try {
            result = body.call();
        } catch (Exception | Error e) {
            cancel(crash, interrupt, interrupted);
            if (crashed.get()) {
                AssertionError overrun = overrun(what, timeout, interrupted.get());
                overrun.addSuppressed(e);
                throw overrun;
            }
            throw e;
        }
        cancel(crash, interrupt, interrupted);
        if (crashed.get()) {
            throw overrun(what, timeout, interrupted.get());
        }
        return result;
    }

    /**
     * Like {@link #guard(Reactor, Duration, String, Callable)} for a call with no result.
     *
     * @param reactor the reactor to crash if {@code body} overruns
     * @param timeout how long {@code body} may take
     * @param what    what {@code body} does
     * @param body    the blocking call
     */
    public static void guard(Reactor reactor, Duration timeout, String what, Runnable body) {
        try {
            guard(reactor, timeout, what, () -> {
                body.run();
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void cancel(ScheduledFuture<?> crash, ScheduledFuture<?> interrupt, AtomicBoolean interrupted) {
        crash.cancel(false);
        interrupt.cancel(false);
        if (interrupted.get()) {
            Thread.interrupted(); // do not leak the watchdog's interrupt into the rest of the test
        }
    }

    private static AssertionError overrun(String what, Duration timeout, boolean interrupted) {
        return new AssertionError(what + " did not return within " + timeout.toMillis() + " ms: the watchdog "
                + (interrupted ? "crashed the reactor, which did not end it, and interrupted the thread"
                : "crashed the reactor with callFromThread(reactor::crash)"));
    }

    /**
     * Fails with a message unless the condition holds; here so tests need one import less.
     *
     * @param condition the condition
     * @param message   the failure message
     */
    static void check(boolean condition, String message) {
        if (!condition) {
            fail(message);
        }
    }
}
