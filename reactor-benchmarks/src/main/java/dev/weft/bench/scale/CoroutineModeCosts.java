package dev.weft.bench.scale;

import dev.weft.defer.Deferred;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a coroutine costs in the mode this JVM runs bodies in ({@code weft.coroutines}: {@code threads}, the default,
 * or {@code continuation}, which needs JDK 21+ and {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}).
 * No reactor: the bodies run on behalf of the main thread, which fires the Deferreds they await. Each figure is the
 * median of {@code --rounds} rounds, after two warm-up rounds:
 *
 * <ul>
 *   <li>{@code fired await}: one body awaits 1,000,000 Deferreds that have fired, ns each;</li>
 *   <li>{@code start, no suspension}: 100,000 bodies that return at once, ns each ({@code fromCoroutine} to fired);</li>
 *   <li>{@code suspend + resume}: one body awaits 100,000 unfired Deferreds in turn, each fired by the main thread,
 *       ns per await (the body suspends, the callback resumes it, it runs to its next await);</li>
 *   <li>{@code heap per suspended body}: 100,000 bodies each suspended on a Deferred of its own, the heap used
 *       after full collections, minus the heap before, per body (once, after the rounds).</li>
 * </ul>
 *
 * <pre>
 * java -Xmx1g [-Dweft.coroutines=continuation --add-exports java.base/jdk.internal.vm=ALL-UNNAMED] \
 *     -cp reactor-benchmarks/target/weft-benchmarks.jar dev.weft.bench.scale.CoroutineModeCosts [--rounds 5]
 * </pre>
 *
 * <p>Prints a summary and one {@code RESULT} line. Main thread.
 */
public final class CoroutineModeCosts {
    private static final int FIRED_AWAITS = 1_000_000;
    private static final int STARTS = 100_000;
    private static final int ROUND_TRIPS = 100_000;
    private static final int SUSPENDED = 100_000;

    private CoroutineModeCosts() {
    }

    /**
     * Runs the measurement.
     *
     * @param args {@code --rounds N} (default 5)
     * @throws Exception if a body fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = 5;
        if (args.length == 2 && args[0].equals("--rounds")) {
            rounds = Integer.parseInt(args[1]);
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
            }
        } else if (args.length != 0) {
            System.err.println("usage: CoroutineModeCosts [--rounds N]");
            System.exit(2);
        }
        String mode = System.getProperty("weft.coroutines", "threads");
        for (int i = 0; i < 2; i++) {
            firedAwaitNanos();
            startNanos();
            roundTripNanos();
        }
        double[] fired = new double[rounds];
        double[] start = new double[rounds];
        double[] trip = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            fired[i] = firedAwaitNanos();
            start[i] = startNanos();
            trip[i] = roundTripNanos();
        }
        double heap = heapPerSuspendedBody();
        System.out.printf(Locale.ROOT, "weft.coroutines=%s, JDK %s, medians of %d rounds%n", mode, Runtime.version(),
                rounds);
        System.out.printf(Locale.ROOT, "fired await            %8.1f ns   %s%n", median(fired), Arrays.toString(fired));
        System.out.printf(Locale.ROOT, "start, no suspension   %8.1f ns   %s%n", median(start), Arrays.toString(start));
        System.out.printf(Locale.ROOT, "suspend + resume       %8.1f ns   %s%n", median(trip), Arrays.toString(trip));
        System.out.printf(Locale.ROOT, "heap per suspended body %7.0f B%n", heap);
        ScaleSupport.printResult("mode", mode, "firedAwaitNs", median(fired), "startNs", median(start),
                "roundTripNs", median(trip), "heapPerSuspendedBody", heap);
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double firedAwaitNanos() throws Exception {
        Deferred<Integer> fired = Deferred.succeed(1);
        long t0 = System.nanoTime();
        Deferred<Long> d = Deferred.fromCoroutine(() -> {
            long sum = 0;
            for (int i = 0; i < FIRED_AWAITS; i++) {
                sum += fired.await();
            }
            return sum;
        });
        long nanos = System.nanoTime() - t0;
        check(d, (long) FIRED_AWAITS);
        return nanos / (double) FIRED_AWAITS;
    }

    private static double startNanos() throws Exception {
        @SuppressWarnings("unchecked")
        Deferred<Integer>[] ds = new Deferred[STARTS];
        long t0 = System.nanoTime();
        for (int i = 0; i < STARTS; i++) {
            int n = i;
            ds[i] = Deferred.fromCoroutine(() -> n);
        }
        long nanos = System.nanoTime() - t0;
        check(ds[STARTS - 1], STARTS - 1);
        return nanos / (double) STARTS;
    }

    private static double roundTripNanos() throws Exception {
        @SuppressWarnings("unchecked")
        Deferred<Integer>[] gates = new Deferred[ROUND_TRIPS];
        for (int i = 0; i < ROUND_TRIPS; i++) {
            gates[i] = new Deferred<>();
        }
        Deferred<Long> d = Deferred.fromCoroutine(() -> {
            long sum = 0;
            for (int i = 0; i < ROUND_TRIPS; i++) {
                sum += gates[i].await();
            }
            return sum;
        });
        long t0 = System.nanoTime();
        for (int i = 0; i < ROUND_TRIPS; i++) {
            gates[i].callback(1);
        }
        long nanos = System.nanoTime() - t0;
        check(d, (long) ROUND_TRIPS);
        return nanos / (double) ROUND_TRIPS;
    }

    private static double heapPerSuspendedBody() throws Exception {
        long before = ScaleSupport.heapUsedAfterGc();
        @SuppressWarnings("unchecked")
        Deferred<Integer>[] gates = new Deferred[SUSPENDED];
        @SuppressWarnings("unchecked")
        Deferred<Integer>[] bodies = new Deferred[SUSPENDED];
        for (int i = 0; i < SUSPENDED; i++) {
            Deferred<Integer> gate = new Deferred<>();
            gates[i] = gate;
            bodies[i] = Deferred.fromCoroutine(() -> gate.await() + 1);
        }
        long suspended = ScaleSupport.heapUsedAfterGc();
        for (int i = 0; i < SUSPENDED; i++) {
            gates[i].callback(i);
            check(bodies[i], i + 1);
        }
        return (suspended - before) / (double) SUSPENDED;
    }

    private static <T> void check(Deferred<T> d, T expected) throws Exception {
        Object[] got = {"not fired"};
        d.addBoth((v, f) -> {
            got[0] = f != null ? f : v;
            return null;
        });
        if (!expected.equals(got[0])) {
            throw new IllegalStateException("expected " + expected + ", got " + got[0]);
        }
    }
}
