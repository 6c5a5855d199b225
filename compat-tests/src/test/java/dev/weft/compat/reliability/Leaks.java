package dev.weft.compat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.net.Net;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.spi.ReactorBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What a leak test compares before and after: the process's open file descriptors ({@code /proc/self/fd}) and the
 * reactor's own bookkeeping (open resources, readers, writers, delayed calls).
 */
final class Leaks {
    /** File descriptors the JVM may open meanwhile for itself (class loading, JIT, GC logs, ...). */
    static final int FD_SLACK = 8;

    private static final Path PROC_FD = Path.of("/proc/self/fd");

    private Leaks() {
    }

    /** One reading. */
    record Snapshot(long fds, int resources, int readers, int writers, int delayedCalls) {
        @Override
        public String toString() {
            return fds + " open fds, " + resources + " open resources, " + readers + " readers, " + writers
                    + " writers, " + delayedCalls + " delayed calls";
        }
    }

    /** Skips the test unless this system lists the process's file descriptors in {@code /proc/self/fd}. */
    static void assumeProcFd() {
        Assumptions.assumeTrue(Files.isDirectory(PROC_FD), "/proc/self/fd is not available here: the file "
                + "descriptor count cannot be read");
    }

    /**
     * The number of open file descriptors of this process.
     *
     * @return the count of entries of {@code /proc/self/fd} (the listing's own descriptor included, every time)
     * @throws IOException if it cannot be listed
     */
    static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(PROC_FD)) {
            return s.count();
        }
    }

    /**
     * Reads the file descriptors on this thread and the reactor's bookkeeping on the reactor thread (the loop must
     * not be running).
     *
     * @param net the Net of the test
     * @return the snapshot
     * @throws Exception if the loop fails
     */
    static Snapshot take(Net net) throws Exception {
        Reactor r = net.reactor();
        Assumptions.assumeTrue(r instanceof ReactorBase, "the reactor is not a ReactorBase: " + r.getClass());
        ReactorBase base = (ReactorBase) r;
        int[] book = net.call(() -> new int[] {base.openResourceCount(), r.getReaders().size(),
            r.getWriters().size(), r.getDelayedCalls().size()});
        return new Snapshot(openFds(), book[0], book[1], book[2], book[3]);
    }

    /**
     * Fails unless {@code after} holds no more than {@code before}: the same bookkeeping, and at most
     * {@link #FD_SLACK} more file descriptors.
     *
     * @param what   what happened in between
     * @param before the reading before
     * @param after  the reading after
     */
    static void assertNoGrowth(String what, Snapshot before, Snapshot after) {
        String both = "before " + what + ": " + before + "; after: " + after;
        assertTrue(after.fds() <= before.fds() + FD_SLACK, "file descriptors leaked: " + both);
        assertEquals(before.resources(), after.resources(), "the reactor's open resources grew: " + both);
        assertEquals(before.readers(), after.readers(), "getReaders() grew: " + both);
        assertEquals(before.writers(), after.writers(), "getWriters() grew: " + both);
        assertEquals(before.delayedCalls(), after.delayedCalls(), "getDelayedCalls() grew: " + both);
    }
}
