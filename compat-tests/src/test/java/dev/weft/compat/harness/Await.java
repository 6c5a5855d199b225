package dev.weft.compat.harness;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Bounded waits: every wait in the suite ends within {@link #TIMEOUT} or fails the test. */
public final class Await {
    /** The longest any single wait of the suite lasts. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Await() {
    }

    /**
     * Waits for {@code latch} to open, up to {@link #TIMEOUT}.
     *
     * @param latch the latch
     * @param what  what is awaited, for the failure message
     */
    public static void latch(CountDownLatch latch, String what) {
        if (!latchWithin(latch, TIMEOUT)) {
            throw new AssertionError("timed out after " + TIMEOUT.toMillis() + " ms waiting for " + what
                    + " (count still " + latch.getCount() + ")");
        }
    }

    /**
     * Waits for {@code latch} up to {@code timeout}.
     *
     * @param latch   the latch
     * @param timeout the bound
     * @return whether it opened
     */
    public static boolean latchWithin(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    /**
     * Waits for {@code future} up to {@link #TIMEOUT} and returns its value.
     *
     * @param future the future
     * @param what   what is awaited
     * @param <T>    the value type
     * @return the value
     * @throws ExecutionException if the future failed
     */
    public static <T> T future(CompletableFuture<T> future, String what) throws ExecutionException {
        try {
            return future.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + TIMEOUT.toMillis() + " ms waiting for " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }

    /**
     * Spins (yielding the CPU, no sleep) until {@code condition} holds or {@code timeout} passes. For use
     * inside a callback that is meant to hold the reactor thread for a bounded time.
     *
     * @param condition the condition
     * @param timeout   the bound
     * @return whether the condition held
     */
    public static boolean spinUntil(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }
}
