package dev.weft.bench.jmh;

import dev.weft.defer.Deferred;
import dev.weft.reactor.Reactor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Timer accuracy, not a JMH benchmark: on each target, timers with deadlines spread uniformly at random over one
 * second are scheduled up front, the loop runs until all fired, and the lateness of each (the {@code nanoTime} at
 * which it ran minus its deadline) is summarised as p50/p90/p99/p99.9/max in milliseconds.
 *
 * <p>Two loads: {@code dense} (100,000 timers in the second: the loop is never idle for long) and {@code sparse}
 * (1,000 timers: the loop sleeps between them, so its wake-up precision shows). Each target first runs one round
 * that is not counted, to warm the JIT, then three rounds; the table shows the round with the median p99 (and the
 * p99 of every round: on a shared machine one descheduled loop thread makes a round's tail).
 *
 * <pre>
 * java -cp reactor-benchmarks/target/weft-benchmarks.jar dev.weft.bench.jmh.TimerAccuracy
 *     [--timers 100000] [--sparse 1000] [--targets untwisted,netty-nio,...]
 * </pre>
 */
public final class TimerAccuracy {

    /** The targets measured by default: the Weft backends, Netty loops and the JDK's executor. */
    static final List<String> DEFAULT_TARGETS = Target.NAMES;

    private static final long LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final long SPREAD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private TimerAccuracy() {
    }

    /**
     * Runs the measurement and prints the tables.
     *
     * @param args {@code --timers N}, {@code --sparse N}, {@code --targets a,b,c}
     * @throws Exception if a target fails
     */
    public static void main(String[] args) throws Exception {
        int dense = 100_000;
        int sparse = 1_000;
        int rounds = 3;
        List<String> targets = DEFAULT_TARGETS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--timers":
                    dense = Integer.parseInt(args[++i]);
                    break;
                case "--sparse":
                    sparse = Integer.parseInt(args[++i]);
                    break;
                case "--rounds":
                    rounds = Math.max(1, Integer.parseInt(args[++i]));
                    break;
                case "--targets":
                    targets = Arrays.asList(args[++i].split(","));
                    break;
                default:
                    System.err.println("usage: TimerAccuracy [--timers N] [--sparse N] [--rounds N]"
                            + " [--targets a,b,...]; targets: " + Target.NAMES);
                    System.exit(2);
            }
        }
        BenchSupport.quietLogging();
        System.out.printf(Locale.ROOT, "Timer lateness (fire nanoTime - deadline), ms; deadlines uniform over 1 s; median round of %d;"
                + " JDK %s, %d CPUs%n", rounds, Runtime.version(), Runtime.getRuntime().availableProcessors());
        List<String[]> rows = new ArrayList<>();
        for (String load : new String[] {"dense", "sparse"}) {
            int n = load.equals("dense") ? dense : sparse;
            for (String name : targets) {
                try {
                    measure(name, n, 1); // warm-up round, not counted
                    List<long[]> results = new ArrayList<>();
                    for (int k = 0; k < rounds; k++) {
                        long[] late = measure(name, n, 2 + k);
                        Arrays.sort(late);
                        results.add(late);
                        System.gc();
                    }
                    rows.add(row(load, name, results));
                } catch (RuntimeException e) {
                    rows.add(new String[] {load, name, "-", "skipped: " + e.getMessage()});
                }
                System.gc();
            }
        }
        print(rows);
    }

    /** Schedules {@code n} timers on a fresh target, runs them all, returns their lateness in nanoseconds. */
    static long[] measure(String name, int n, long seed) throws Exception {
        long[] offsets = new long[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            offsets[i] = (long) (r.nextDouble() * SPREAD_NANOS);
        }
        Run run = new Run(n);
        try (Target t = Target.open(name, Target.Mode.INLINE)) {
            if (t instanceof Target.Owned) {
                Reactor reactor = ((Target.Owned) t).reactor;
                Deferred<Void> done = new Deferred<>();
                run.onDone = () -> done.callback(null);
                long base = System.nanoTime() + LEAD_NANOS;
                for (int i = 0; i < n; i++) {
                    long deadline = base + offsets[i];
                    run.deadlines[i] = deadline;
                    reactor.callLater(Target.secondsUntil(deadline), run.timer(i));
                }
                reactor.runUntil(done);
            } else {
                CountDownLatch done = new CountDownLatch(1);
                run.onDone = done::countDown;
                long base = System.nanoTime() + LEAD_NANOS;
                t.onLoop(() -> {
                    for (int i = 0; i < n; i++) {
                        long deadline = base + offsets[i];
                        run.deadlines[i] = deadline;
                        t.scheduleAt(deadline, run.timer(i));
                    }
                });
                if (!done.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the timers did not all fire within 30 s");
                }
            }
        }
        return run.late;
    }

    /** The timers of one round: each records its lateness; the last one calls {@code onDone}. */
    private static final class Run {
        final long[] deadlines;
        final long[] late;
        int fired;
        Runnable onDone;

        Run(int n) {
            deadlines = new long[n];
            late = new long[n];
        }

        Runnable timer(int i) {
            return () -> {
                late[i] = System.nanoTime() - deadlines[i];
                if (++fired == late.length) {
                    onDone.run();
                }
            };
        }
    }

    /** The round whose p99 is the median of the rounds, with every round's p99 in the last column. */
    private static String[] row(String load, String name, List<long[]> rounds) {
        List<long[]> byP99 = new ArrayList<>(rounds);
        byP99.sort((a, b) -> Long.compare(pct(a, 99), pct(b, 99)));
        long[] s = byP99.get((byP99.size() - 1) / 2);
        StringBuilder all = new StringBuilder();
        for (long[] r : rounds) {
            all.append(all.length() == 0 ? "" : " ").append(ms(pct(r, 99)));
        }
        return new String[] {load, name, Integer.toString(s.length), ms(s[0]), ms(pct(s, 50)), ms(pct(s, 90)),
            ms(pct(s, 99)), ms(pct(s, 99.9)), ms(s[s.length - 1]), all.toString()};
    }

    private static long pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static void print(List<String[]> rows) {
        String[] head = {"load", "target", "timers", "min", "p50", "p90", "p99", "p99.9", "max", "p99 of each round"};
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length && i < w.length - 1; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, head, w);
        for (String[] r : rows) {
            line(sb, r, w);
        }
        System.out.print(sb);
    }

    private static void line(StringBuilder sb, String[] cells, int[] w) {
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i];
            if (i == cells.length - 1 && cells.length < w.length) {
                sb.append(c);
                break;
            }
            sb.append(i < 2 ? String.format("%-" + w[i] + "s", c) : String.format("%" + w[i] + "s", c));
            sb.append(i == cells.length - 1 ? "" : "  ");
        }
        sb.append('\n');
    }
}
