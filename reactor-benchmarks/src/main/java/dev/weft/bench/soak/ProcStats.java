package dev.weft.bench.soak;

import dev.weft.bench.scale.ScaleSupport;
import java.lang.management.ManagementFactory;

/**
 * What the soak measures of its own process: the heap in use after full collections ({@code MemoryMXBean}), the
 * resident set ({@code VmRSS} of {@code /proc/self/status}), the open file descriptors ({@code /proc/self/fd}) and
 * the live threads. Where {@code /proc} is missing the figures read -1.
 */
final class ProcStats {

    /** How many full collections a heap measurement runs; it keeps the smallest reading. */
    static final int GCS = 3;

    /** The figures at one moment. */
    record Figures(long heapAfterGc, long rss, long fds, int threads) {
    }

    private ProcStats() {
    }

    /**
     * Collects the heap {@value #GCS} times, then reads every figure.
     *
     * @return the figures now
     */
    static Figures measure() {
        return new Figures(heapAfterGc(), rssBytes(), openFds(), threadCount());
    }

    /**
     * The heap in use after a full collection, the smallest of {@value #GCS} (a collection may run while another
     * thread allocates; the smallest reading is the closest to what is live).
     *
     * @return bytes used
     */
    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < GCS; i++) {
            System.gc();
            used = Math.min(used, heapUsed());
        }
        return used;
    }

    /**
     * The heap in use now, garbage included.
     *
     * @return bytes used
     */
    static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * The resident set of this process.
     *
     * @return bytes, or -1 where {@code /proc/self/status} cannot be read
     */
    static long rssBytes() {
        return ScaleSupport.rssBytes();
    }

    /**
     * The file descriptors open now.
     *
     * @return how many, or -1 where {@code /proc/self/fd} cannot be listed
     */
    static long openFds() {
        return ScaleSupport.openFds();
    }

    /**
     * The live threads of the JVM.
     *
     * @return how many
     */
    static int threadCount() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
