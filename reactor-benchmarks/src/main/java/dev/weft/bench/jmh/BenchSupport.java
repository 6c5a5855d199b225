package dev.weft.bench.jmh;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Small helpers shared by the benchmarks and the accuracy program. */
public final class BenchSupport {

    /** How long a wait in a benchmark may take before it is reported as a hang. */
    static final long HANG_NANOS = TimeUnit.SECONDS.toNanos(30);

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
     * Spins (with {@link Thread#onSpinWait()}) until {@code done} holds.
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
            Thread.onSpinWait();
            if ((++spins & 0xFFFF) == 0 && System.nanoTime() - start > HANG_NANOS) {
                throw new IllegalStateException("waited 30 s for " + what);
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
