package dev.weft.bench.jmh;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Small helpers shared by the benchmarks and the accuracy program. */
public final class BenchSupport {

    /** How long a wait in a benchmark may take before it is reported as a hang. */
    static final long HANG_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Busy spins of {@link #spinUntil} before it starts yielding. */
    static final int SPINS_BEFORE_YIELD = 1_000;

    private static volatile boolean quiet;

    private BenchSupport() {
    }

    /**
     * Sets Logback's root logger to WARN before Netty logs its start-up at DEBUG into the benchmark output (the
     * module ships no logback.xml of its own). A user-supplied {@code -Dlogback.configurationFile} is left alone.
     */
    public static void quietLogging() {
        if (quiet) {
            return;
        }
        quiet = true;
        if (System.getProperty("logback.configurationFile") != null) {
            return;
        }
        org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger) {
            ((ch.qos.logback.classic.Logger) root).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /**
     * Spins until {@code done} holds: {@link Thread#onSpinWait()} at first, then {@link Thread#yield()}, so that on
     * a machine with few cores a waiting thread does not keep the loop it waits for off the CPU.
     *
     * @param done the condition, read from another thread
     * @param what what is awaited, for the message of a hang
     * @throws IllegalStateException after 30 s
     */
    public static void spinUntil(BooleanSupplier done, String what) {
        if (done.getAsBoolean()) {
            return;
        }
        long start = System.nanoTime();
        int spins = 0;
        while (!done.getAsBoolean()) {
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
                if ((spins & 0x3FF) == 0 && System.nanoTime() - start > HANG_NANOS) {
                    throw new IllegalStateException("waited 30 s for " + what);
                }
            }
        }
    }

    /**
     * Waits for a latch.
     *
     * @param latch the latch
     * @param what  what is awaited, for the message of a hang
     */
    public static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("waited 30 s for " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + what, e);
        }
    }

    /**
     * Waits for a future.
     *
     * @param f    the future
     * @param what what is awaited, for the message of a hang
     * @param <T>  its result type
     * @return its result
     */
    public static <T> T join(Future<T> f, String what) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + what, e);
        } catch (Exception e) {
            throw new IllegalStateException("failed waiting for " + what + ": " + e, e);
        }
    }
}
