package dev.weft.bench.scale;

import dev.weft.defer.Deferred;
import java.util.Locale;

/**
 * The memory of many suspended coroutines: {@code count} bodies, each suspended on a Deferred of its own that has
 * not fired; the heap used after full collections ({@code MemoryMXBean}, after {@code System.gc()}) and the
 * resident set before and while they wait; then every Deferred is fired, and each body must resume and return its
 * own index. No reactor: the bodies run on behalf of the main thread, which fires the Deferreds.
 *
 * <p>On JDK 21+ each body is a virtual thread, whose stack lives in the heap while it is parked, so the heap figure
 * includes it. On JDK 17 each is a platform thread, whose stack is outside the heap (see the resident set), and
 * 100,000 of them exceed this machine's limits on threads and memory maps: run {@code --count 10000} there.
 *
 * <pre>
 * java -Xmx1g -cp reactor-benchmarks/target/weft-benchmarks.jar dev.weft.bench.scale.SuspendedCoroutines [--count 100000]
 * </pre>
 *
 * <p>Prints a summary and one {@code RESULT} line; exits with status 1 if a body did not complete.
 */
public final class SuspendedCoroutines {

    private SuspendedCoroutines() {
    }

    /**
     * Runs the measurement; on the main thread.
     *
     * @param args {@code --count N} (default 100,000)
     */
    public static void main(String[] args) {
        int count = 100_000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--count") && i + 1 < args.length) {
                count = parseCount(args[++i]);
            } else {
                System.err.println("usage: SuspendedCoroutines [--count N]");
                System.exit(2);
            }
        }
        Result r = measure(count);
        System.out.printf(Locale.ROOT, "%,d suspended coroutines, JDK %s (%s threads), max heap %s MB%n", count,
                Runtime.version(), Runtime.version().feature() >= 21 ? "virtual" : "platform",
                ScaleSupport.mb(Runtime.getRuntime().maxMemory()));
        System.out.printf(Locale.ROOT, "heap after GC: before %s MB, suspended %s MB, after all resumed %s MB;"
                + " delta %s MB, %.0f B a coroutine%n", ScaleSupport.mb(r.heapBefore), ScaleSupport.mb(r.heapSuspended),
                ScaleSupport.mb(r.heapAfter), ScaleSupport.mb(r.heapSuspended - r.heapBefore),
                (r.heapSuspended - r.heapBefore) / (double) count);
        System.out.printf(Locale.ROOT, "RSS: before %s MB, suspended %s MB (%.0f B a coroutine)%n",
                ScaleSupport.mb(r.rssBefore), ScaleSupport.mb(r.rssSuspended),
                (r.rssSuspended - r.rssBefore) / (double) count);
        System.out.printf(Locale.ROOT, "suspend all: %.0f ms; fire all and resume: %.0f ms; completed %,d of %,d%n",
                r.suspendNanos / 1e6, r.resumeNanos / 1e6, r.completed, count);
        ScaleSupport.printResult("count", count, "heapBefore", r.heapBefore, "heapSuspended", r.heapSuspended,
                "heapAfter", r.heapAfter, "rssBefore", r.rssBefore, "rssSuspended", r.rssSuspended,
                "suspendNanos", r.suspendNanos, "resumeNanos", r.resumeNanos, "completed", r.completed);
        if (r.completed != count) {
            System.exit(1);
        }
    }

    static int parseCount(String s) {
        int n;
        try {
            n = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--count must be a positive integer, got \"" + s + "\"", e);
        }
        if (n <= 0) {
            throw new IllegalArgumentException("--count must be a positive integer, got " + n);
        }
        return n;
    }

    /** What one run measured. */
    record Result(long heapBefore, long heapSuspended, long heapAfter, long rssBefore, long rssSuspended,
            long suspendNanos, long resumeNanos, int completed) {
    }

    /**
     * Suspends {@code count} bodies, measures, fires them all and counts those that returned their own index.
     *
     * @param count how many bodies
     * @return the figures
     */
    static Result measure(int count) {
        // Warm the code paths (and the JDK's thread machinery) with a few bodies first.
        runAll(Math.min(count, 1_000));
        long heapBefore = ScaleSupport.heapUsedAfterGc();
        long rssBefore = ScaleSupport.rssBytes();
        @SuppressWarnings("unchecked")
        Deferred<Void>[] gates = new Deferred[count];
        @SuppressWarnings("unchecked")
        Deferred<Integer>[] bodies = new Deferred[count];
        long t0 = System.nanoTime();
        suspend(gates, bodies);
        long suspendNanos = System.nanoTime() - t0;
        long heapSuspended = ScaleSupport.heapUsedAfterGc();
        long rssSuspended = ScaleSupport.rssBytes();
        long t1 = System.nanoTime();
        int completed = fireAndCount(gates, bodies);
        long resumeNanos = System.nanoTime() - t1;
        gates = null;
        bodies = null;
        long heapAfter = ScaleSupport.heapUsedAfterGc();
        return new Result(heapBefore, heapSuspended, heapAfter, rssBefore, rssSuspended, suspendNanos, resumeNanos,
                completed);
    }

    private static void runAll(int n) {
        @SuppressWarnings("unchecked")
        Deferred<Void>[] gates = new Deferred[n];
        @SuppressWarnings("unchecked")
        Deferred<Integer>[] bodies = new Deferred[n];
        suspend(gates, bodies);
        fireAndCount(gates, bodies);
    }

    private static void suspend(Deferred<Void>[] gates, Deferred<Integer>[] bodies) {
        for (int i = 0; i < gates.length; i++) {
            Deferred<Void> gate = new Deferred<>();
            int index = i;
            gates[i] = gate;
            bodies[i] = Deferred.fromCoroutine(() -> {
                gate.await();
                return index;
            });
            if (bodies[i].isCalled()) {
                throw new IllegalStateException("body " + i + " ended before its Deferred fired");
            }
        }
    }

    /** Fires every gate; each body resumes inside that call. Returns how many bodies returned their index. */
    private static int fireAndCount(Deferred<Void>[] gates, Deferred<Integer>[] bodies) {
        int[] completed = {0};
        for (int i = 0; i < gates.length; i++) {
            gates[i].callback(null);
            int index = i;
            bodies[i].addBoth((value, failure) -> {
                if (failure == null && value != null && value == index) {
                    completed[0]++;
                }
                return null;
            });
        }
        return completed[0];
    }
}
