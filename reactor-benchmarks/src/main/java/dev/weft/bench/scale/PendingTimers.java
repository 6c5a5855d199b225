package dev.weft.bench.scale;

import dev.weft.bench.jmh.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One million pending {@code DelayedCall}s (or Netty / JDK scheduled tasks) on each target, each target in a JVM of
 * its own: the heap used after GC before scheduling, with all pending, and after cancelling all; the time to
 * schedule them all and to cancel them all (each in one batch on the loop thread, delays uniform in
 * [1000 s, 2000 s), functions a shared no-op so that only the bookkeeping is counted).
 *
 * <pre>
 * java -cp reactor-benchmarks/target/weft-benchmarks.jar dev.weft.bench.scale.PendingTimers
 *     [--timers 1000000] [--targets untwisted,netty-nio,...]
 * </pre>
 */
public final class PendingTimers {

    // The blocked-loop detector at 1 s: a cold start on a busy machine is no finding here.
    private static final List<String> CHILD_JVM = List.of("-Xms2g", "-Xmx2g", "-Dweft.blocked.threshold.ms=1000");

    private PendingTimers() {
    }

    /**
     * Runs every target in a child JVM and prints one table; with {@code --child target}, measures that target.
     *
     * @param args {@code --timers N}, {@code --targets a,b}; {@code --child target} (internal)
     * @throws Exception if a child cannot run
     */
    public static void main(String[] args) throws Exception {
        int timers = 1_000_000;
        List<String> targets = Target.NAMES;
        String child = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--timers":
                    timers = Integer.parseInt(args[++i]);
                    break;
                case "--targets":
                    targets = Arrays.asList(args[++i].split(","));
                    break;
                case "--child":
                    child = args[++i];
                    break;
                default:
                    System.err.println("usage: PendingTimers [--timers N] [--targets a,b,...]; targets: "
                            + Target.NAMES);
                    System.exit(2);
            }
        }
        if (child != null) {
            measure(child, timers);
            return;
        }
        System.out.printf(Locale.ROOT, "%,d pending timers per target, each target in its own JVM (%s), JDK %s%n",
                timers, String.join(" ", CHILD_JVM), Runtime.version());
        List<String[]> rows = new ArrayList<>();
        for (String t : targets) {
            Map<String, String> r = ScaleSupport.runChild(PendingTimers.class, t, CHILD_JVM,
                    List.of("--timers", Integer.toString(timers)));
            if (r.isEmpty()) {
                rows.add(new String[] {t, "-", "failed: see its output above"});
                continue;
            }
            long before = Long.parseLong(r.get("heapBefore"));
            long pending = Long.parseLong(r.get("heapPending"));
            long after = Long.parseLong(r.get("heapCancelled"));
            double scheduleMs = Double.parseDouble(r.get("scheduleNanos")) / 1e6;
            double cancelMs = Double.parseDouble(r.get("cancelNanos")) / 1e6;
            rows.add(new String[] {t, String.format(Locale.ROOT, "%,d", timers), ScaleSupport.mb(before),
                ScaleSupport.mb(pending), ScaleSupport.mb(after), ScaleSupport.mb(pending - before),
                String.format(Locale.ROOT, "%.1f", (pending - before) / (double) timers),
                String.format(Locale.ROOT, "%.1f", scheduleMs), String.format(Locale.ROOT, "%.1f", cancelMs),
                String.format(Locale.ROOT, "%.2f", timers / (scheduleMs + cancelMs) / 1000)});
        }
        ScaleSupport.printTable(new String[] {"target", "timers", "heap before MB", "pending MB", "cancelled MB",
            "delta MB", "B/timer", "schedule ms", "cancel ms", "M sched+cancel/s"}, rows);
    }

    private static void measure(String name, int n) {
        Target.Delays delays = Target.Delays.uniform(n, 1000, 1000);
        Object[] handles = new Object[n];
        try (Target t = Target.open(name, Target.Mode.INLINE)) {
            // Warm the JIT on the same code, with fewer timers.
            Target.Delays warm = Target.Delays.uniform(Math.min(n, 100_000), 1000, 1000);
            for (int i = 0; i < 20; i++) {
                t.scheduleAll(warm, handles);
                t.cancelAll(handles, warm.n);
            }
            long before = ScaleSupport.heapUsedAfterGc();
            long t0 = System.nanoTime();
            t.scheduleAll(delays, handles);
            long scheduleNanos = System.nanoTime() - t0;
            long pending = ScaleSupport.heapUsedAfterGc();
            long t1 = System.nanoTime();
            t.cancelAll(handles, n);
            long cancelNanos = System.nanoTime() - t1;
            long cancelled = ScaleSupport.heapUsedAfterGc();
            ScaleSupport.printResult("heapBefore", before, "heapPending", pending, "heapCancelled", cancelled,
                    "scheduleNanos", scheduleNanos, "cancelNanos", cancelNanos);
        }
    }
}
