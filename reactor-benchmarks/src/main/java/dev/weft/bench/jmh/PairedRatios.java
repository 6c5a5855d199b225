package dev.weft.bench.jmh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ratios of the targets on a shared, noisy machine, not a JMH benchmark: every target is opened once in one JVM,
 * and short slices of the same work run on each target in turn, round after round (the order rotating), so that a
 * burst of load from elsewhere hits every target alike. Prints each target's median rate over the rounds and the
 * median of the per-round ratios to the Netty baselines. Complements the JMH tables (whose runs, one target after
 * another, each see a different load), it does not replace them.
 *
 * <p>Work: {@code timers-1M} (schedule 1,000,000 timers, then cancel them, on the loop thread), {@code timers-10k}
 * (the same with 10,000, repeated for 50 ms), {@code callFromThread-2p} (two producer threads call
 * {@code callFromThread}/{@code execute} for 300 ms, at most 16,384 of each waiting; the rate counts tasks run).
 *
 * <pre>
 * java -cp reactor-benchmarks/target/weft-benchmarks.jar dev.weft.bench.jmh.PairedRatios [--rounds 15]
 *     [--targets untwisted,netty-baseline-nio] [--only timers-1M,timers-10k,callFromThread-2p]
 * </pre>
 */
public final class PairedRatios {

    private static final List<String> ALL_TARGETS = List.of("untwisted", "netty-nio", "netty-epoll",
            "netty-baseline-nio", "netty-baseline-epoll");
    private static List<String> TARGETS = ALL_TARGETS;
    private static final List<String> WEFT = List.of("untwisted", "netty-nio", "netty-epoll");
    private static final List<String> BASELINES = List.of("netty-baseline-nio", "netty-baseline-epoll");
    private static final int WARM_ROUNDS = 3;

    private PairedRatios() {
    }

    /**
     * Runs the three experiments and prints their tables.
     *
     * @param args {@code --rounds N} (measured rounds, after 3 warm-up rounds)
     * @throws Exception if a target fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = 15;
        List<String> only = List.of("timers-1M", "timers-10k", "callFromThread-2p");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--targets")) {
                TARGETS = Arrays.asList(args[++i].split(","));
            } else if (args[i].equals("--only")) {
                only = Arrays.asList(args[++i].split(","));
            } else {
                System.err.println("usage: PairedRatios [--rounds N] [--targets a,b,...] [--only "
                        + "timers-1M,timers-10k,callFromThread-2p]; targets: " + ALL_TARGETS);
                System.exit(2);
            }
        }
        BenchSupport.quietLogging();
        System.out.printf(Locale.ROOT, "Paired rounds: %d measured after %d warm-up, targets in rotating order;"
                + " JDK %s, %d CPUs, load average at start %.2f%n", rounds, WARM_ROUNDS, Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        if (only.contains("timers-1M")) {
            timers("timers-1M", Target.Delays.uniform(1_000_000, 1.0, 1.0), 0, rounds);
        }
        if (only.contains("timers-10k")) {
            timers("timers-10k", Target.Delays.uniform(10_000, 1.0, 1.0), 50_000_000L, rounds);
        }
        if (only.contains("callFromThread-2p")) {
            callFromThread(rounds);
        }
        System.out.printf(Locale.ROOT, "load average at end %.2f%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** Schedule-then-cancel rates (timers per second), per round and target. */
    private static void timers(String name, Target.Delays delays, long sliceNanos, int rounds) {
        Map<String, Target> open = new LinkedHashMap<>();
        for (String t : TARGETS) {
            open.put(t, Target.open(t, Target.Mode.INLINE));
        }
        Object[] handles = new Object[delays.n];
        Map<String, double[]> rates = rates(rounds);
        try {
            for (int r = 0; r < WARM_ROUNDS + rounds; r++) {
                for (String t : rotate(TARGETS, r)) {
                    Target target = open.get(t);
                    long ops = 0;
                    long start = System.nanoTime();
                    long elapsed;
                    do {
                        target.scheduleThenCancel(delays, handles);
                        ops += delays.n;
                        elapsed = System.nanoTime() - start;
                    } while (elapsed < sliceNanos);
                    if (r >= WARM_ROUNDS) {
                        rates.get(t)[r - WARM_ROUNDS] = ops / (elapsed / 1e9);
                    }
                }
            }
        } finally {
            open.values().forEach(Target::close);
        }
        print(name + " (schedule+cancel, timers/s)", rates);
    }

    /** {@code callFromThread} rates from two producers (tasks run per second), per round and target. */
    private static void callFromThread(int rounds) throws InterruptedException {
        Map<String, Target> open = new LinkedHashMap<>();
        for (String t : TARGETS) {
            open.put(t, Target.open(t, Target.Mode.BACKGROUND));
        }
        Map<String, double[]> rates = rates(rounds);
        try {
            for (int r = 0; r < WARM_ROUNDS + rounds; r++) {
                for (String t : rotate(TARGETS, r)) {
                    double rate = slice(open.get(t), 2, 300_000_000L);
                    if (r >= WARM_ROUNDS) {
                        rates.get(t)[r - WARM_ROUNDS] = rate;
                    }
                }
            }
        } finally {
            open.values().forEach(Target::close);
        }
        print("callFromThread-2p (tasks run/s)", rates);
    }

    /** Producers send for {@code nanos}; returns the tasks run by then per second; drains before returning. */
    private static double slice(Target target, int producers, long nanos) throws InterruptedException {
        Producer[] ps = new Producer[producers];
        Thread[] threads = new Thread[producers];
        Stop stop = new Stop();
        for (int i = 0; i < producers; i++) {
            Producer p = new Producer();
            ps[i] = p;
            threads[i] = new Thread(() -> {
                while (!stop.stop) {
                    p.send(target);
                }
            }, "producer-" + i);
        }
        long start = System.nanoTime();
        for (Thread th : threads) {
            th.start();
        }
        Thread.sleep(nanos / 1_000_000);
        long ran = 0;
        for (Producer p : ps) {
            ran += p.ranNow();
        }
        long elapsed = System.nanoTime() - start;
        stop.stop = true;
        for (Thread th : threads) {
            th.join();
        }
        for (Producer p : ps) {
            BenchSupport.spinUntil(() -> p.ranNow() >= p.sent, "the loop to run every task sent");
        }
        return ran / (elapsed / 1e9);
    }

    private static final class Stop {
        volatile boolean stop;
    }

    /** As {@code CallFromThreadBenchmark.Producer}: a window of waiting tasks, a count of those run. */
    private static final class Producer {
        private static final VarHandle RAN;

        static {
            try {
                RAN = MethodHandles.lookup().findVarHandle(Producer.class, "ran", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        long p01, p02, p03, p04, p05, p06, p07, p08;
        long sent; // read by the main thread only after join()
        long q01, q02, q03, q04, q05, q06, q07, q08;
        private long ran;
        long r01, r02, r03, r04, r05, r06, r07, r08;
        private final Runnable task = this::ran;

        private void ran() {
            RAN.setRelease(this, (long) RAN.getOpaque(this) + 1);
        }

        long ranNow() {
            return (long) RAN.getAcquire(this);
        }

        void send(Target t) {
            long s = sent;
            if (s - ranNow() >= CallFromThreadBenchmark.WINDOW) {
                BenchSupport.spinUntil(() -> s - ranNow() < CallFromThreadBenchmark.WINDOW, "the loop to catch up");
            }
            t.execute(task);
            sent = s + 1;
        }
    }

    private static Map<String, double[]> rates(int rounds) {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (String t : TARGETS) {
            m.put(t, new double[rounds]);
        }
        return m;
    }

    private static List<String> rotate(List<String> list, int by) {
        List<String> out = new ArrayList<>(list);
        java.util.Collections.rotate(out, by % list.size());
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void print(String title, Map<String, double[]> rates) {
        System.out.println();
        System.out.println(title);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-22s %12s %10s %10s", "target",
                "median M/s", "min M/s", "max M/s"));
        for (String b : BASELINES) {
            head.append(String.format(Locale.ROOT, " %18s", "x " + b.substring("netty-baseline-".length())
                    + " (paired)"));
        }
        System.out.println(head);
        for (Map.Entry<String, double[]> e : rates.entrySet()) {
            double[] v = e.getValue();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s %12.2f %10.2f %10.2f",
                    e.getKey(), median(v) / 1e6, Arrays.stream(v).min().orElse(0) / 1e6,
                    Arrays.stream(v).max().orElse(0) / 1e6));
            if (WEFT.contains(e.getKey())) {
                for (String b : BASELINES) {
                    double[] base = rates.get(b);
                    if (base == null) {
                        line.append(String.format(Locale.ROOT, " %18s", "-"));
                        continue;
                    }
                    double[] ratio = new double[v.length];
                    for (int i = 0; i < v.length; i++) {
                        ratio[i] = v[i] / base[i];
                    }
                    line.append(String.format(Locale.ROOT, " %18.2f", median(ratio)));
                }
            }
            System.out.println(line);
        }
    }
}
