package dev.weft.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one soak run and the checks they must pass. A run fails when any check fails:
 *
 * <ul>
 *   <li>no errors: nothing went wrong in the load (a wrong echo, an unexpected close reason, a callback off the
 *       reactor thread, a {@code callFromThread} call out of order, a wrong {@code deferToThread} result, a stalled
 *       connection, ...) and nothing was logged at ERROR;</li>
 *   <li>drained: once the load stopped, every connection, timer, thread call and task finished within the drain
 *       bound;</li>
 *   <li>every connection lost: on both sides, each connection made was lost, once;</li>
 *   <li>reactor resources back: the open resources ({@code Reactor.openResourceCount()}), readers, writers and
 *       pending delayed calls are what they were before the load;</li>
 *   <li>open fds: at most {@value #FD_MARGIN} more at the end than at the start (room for the JVM's own);</li>
 *   <li>heap after GC: at the end at most twice the start plus {@value #HEAP_SLACK_MB} MB;</li>
 *   <li>the load ran: connections were made and echoed, timers fired and were cancelled, and thread calls and
 *       tasks came back.</li>
 * </ul>
 *
 * The RSS and the thread count are reported, not checked: the JIT's code, Netty's pooled buffers and the thread
 * pool's threads grow the RSS in the first minutes without a leak.
 */
final class SoakReport {

    /** File descriptors the end may have beyond the start. */
    static final int FD_MARGIN = 8;
    /** The heap bound's slack, in MB: end after GC at most 2 x start + this. */
    static final long HEAP_SLACK_MB = 16;

    /** One check and its outcome. */
    record Check(String name, boolean passed, String detail) {
    }

    /** The reactor's own bookkeeping at one moment: what a leak would leave behind. */
    record Resources(int open, int readers, int writers, int delayedCalls) {
        @Override
        public String toString() {
            return "open resources " + open + ", readers " + readers + ", writers " + writers + ", delayed calls "
                    + delayedCalls;
        }
    }

    String backend;
    String jdk = Runtime.version().toString();
    double plannedSeconds;
    double ranSeconds;
    long seed;
    boolean drained;
    double drainSeconds;
    /** What had not finished when the drain bound passed; empty if it drained. */
    String undrained = "";
    ProcStats.Figures start;
    ProcStats.Figures end;
    Resources resourcesStart;
    Resources resourcesEnd;
    SoakCounts counts = new SoakCounts();
    long errorCount;
    List<String> firstErrors = new ArrayList<>();
    long warnings;

    /**
     * The heap the end may use after GC: twice the start plus {@value #HEAP_SLACK_MB} MB.
     *
     * @return bytes
     */
    long heapBound() {
        return 2 * start.heapAfterGc() + HEAP_SLACK_MB * 1024 * 1024;
    }

    /**
     * Every check, in order.
     *
     * @return the checks
     */
    List<Check> checks() {
        List<Check> list = new ArrayList<>();
        SoakCounts c = counts;
        list.add(new Check("no errors", errorCount == 0, errorCount + " errors"
                + (firstErrors.isEmpty() ? "" : ", first: " + firstErrors.get(0))));
        list.add(new Check("drained", drained, drained ? String.format(Locale.ROOT, "in %.2f s", drainSeconds)
                : "not within " + String.format(Locale.ROOT, "%.0f s", drainSeconds) + ": " + undrained));
        boolean allLost = c.connected == c.clientLost && c.serverMade == c.serverLost
                && c.connectAttempts == c.connected + c.connectFailed;
        list.add(new Check("every connection lost", allLost, String.format(Locale.ROOT,
                "client: %,d attempts, %,d made, %,d failed, %,d lost; server: %,d made, %,d lost",
                c.connectAttempts, c.connected, c.connectFailed, c.clientLost, c.serverMade, c.serverLost)));
        boolean resourcesBack = resourcesStart != null && resourcesStart.equals(resourcesEnd);
        list.add(new Check("reactor resources back", resourcesBack, resourcesStart + " -> " + resourcesEnd));
        if (start.fds() < 0 || end.fds() < 0) {
            list.add(new Check("open fds", true, "not measurable here (no /proc/self/fd)"));
        } else {
            list.add(new Check("open fds", end.fds() - start.fds() <= FD_MARGIN, start.fds() + " -> " + end.fds()
                    + " (at most +" + FD_MARGIN + ")"));
        }
        list.add(new Check("heap after GC", end.heapAfterGc() <= heapBound(), mb(start.heapAfterGc()) + " -> "
                + mb(end.heapAfterGc()) + " MB (bound 2 x start + " + HEAP_SLACK_MB + " MB = " + mb(heapBound())
                + " MB)"));
        boolean ran = c.connected > 0 && c.bytesVerified > 0 && c.timersFired > 0 && c.timersCancelled > 0
                && c.threadCallsRun > 0 && c.deferSucceeded > 0 && c.deferFailedAsExpected > 0;
        list.add(new Check("the load ran", ran, String.format(Locale.ROOT, "%,d connections, %,d bytes echoed, "
                + "%,d timers fired, %,d cancelled, %,d thread calls, %,d tasks", c.connected, c.bytesVerified,
                c.timersFired, c.timersCancelled, c.threadCallsRun, c.deferSucceeded + c.deferFailedAsExpected)));
        return list;
    }

    /**
     * Whether every check passed.
     *
     * @return whether the run passed
     */
    boolean passed() {
        return checks().stream().allMatch(Check::passed);
    }

    /**
     * The report, as printed and appended to {@code --out}.
     *
     * @return lines of text, the last {@code RESULT PASS} or {@code RESULT FAIL}
     */
    String format() {
        SoakCounts c = counts;
        StringBuilder b = new StringBuilder();
        line(b, "SOAK backend %s, JDK %s, %d CPUs, planned %.0f s, ran %.1f s, seed %d", backend, jdk,
                Runtime.getRuntime().availableProcessors(), plannedSeconds, ranSeconds, seed);
        line(b, "  connections: %,d made (%,d clean closes, %,d aborts after the echo, %,d aborts midway, %,d aborts"
                + " at once), %,d failed to connect; %,d bytes sent, %,d echoed and checked", c.connected,
                c.cleanCloses, c.abortsAfterEcho, c.abortsMidway, c.abortsAtOnce, c.connectFailed, c.bytesSent,
                c.bytesVerified);
        line(b, "  server: %,d connections made, %,d lost %s, %,d bytes echoed", c.serverMade, c.serverLost,
                c.serverReasons, c.serverBytes);
        line(b, "  timers: %,d scheduled, %,d fired, %,d cancelled, %,d delayed; %,d cancels of fired timers refused",
                c.timersScheduled, c.timersFired, c.timersCancelled, c.timersDelayed, c.lateCancelsRefused);
        line(b, "  callFromThread: %,d calls made by 2 threads, %,d ran in order on the reactor thread",
                c.threadCallsMade, c.threadCallsRun);
        line(b, "  deferToThread: %,d tasks, %,d results checked, %,d failures as expected", c.deferStarted,
                c.deferSucceeded, c.deferFailedAsExpected);
        line(b, "  heap after GC: %s -> %s MB; RSS: %s -> %s MB; open fds: %d -> %d; threads: %d -> %d",
                mb(start.heapAfterGc()), mb(end.heapAfterGc()), mb(start.rss()), mb(end.rss()), start.fds(),
                end.fds(), start.threads(), end.threads());
        line(b, "  reactor: %s -> %s", resourcesStart, resourcesEnd);
        line(b, "  log: %,d WARN, errors: %,d", warnings, errorCount);
        for (String e : firstErrors) {
            line(b, "    error: %s", e);
        }
        for (Check k : checks()) {
            line(b, "  %s %s: %s", k.passed() ? "PASS" : "FAIL", k.name(), k.detail());
        }
        line(b, "RESULT %s", passed() ? "PASS" : "FAIL");
        return b.toString();
    }

    private static void line(StringBuilder b, String format, Object... args) {
        b.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }

    static String mb(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
