package dev.weft.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time a process has used, from {@code /proc/PID/stat} (Linux): user plus system time of all its threads,
 * in clock ticks, and the tick length from {@code getconf CLK_TCK}.
 */
final class ProcCpu {

    private static volatile long ticksPerSecond;

    private ProcCpu() {
    }

    /**
     * utime + stime of a process, in clock ticks.
     *
     * @param pid the process
     * @return the ticks used so far
     * @throws IOException if its stat file cannot be read (the process is gone, or this is not Linux)
     */
    static long ticks(long pid) throws IOException {
        return parseTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII));
    }

    /**
     * utime + stime from the text of a {@code /proc/PID/stat} file. The command name (field 2) is in parentheses and
     * may hold spaces or parentheses itself, so fields are counted from the last {@code ')'}: field 3 (state) comes
     * next, utime is field 14, stime field 15.
     *
     * @param stat the file's text
     * @return utime + stime, in ticks
     */
    static long parseTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
        }
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        // f[0] is field 3 (state): field k is f[k - 3].
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    /**
     * Clock ticks per second, from {@code getconf CLK_TCK} (asked once); 100, the Linux value, if it cannot be run.
     *
     * @return the ticks per second
     */
    static long ticksPerSecond() {
        long t = ticksPerSecond;
        if (t == 0) {
            t = 100;
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out;
                try (InputStream in = p.getInputStream()) {
                    out = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
                }
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    t = Long.parseLong(out);
                }
            } catch (IOException | NumberFormatException e) {
                System.err.println("load: getconf CLK_TCK failed (" + e + "), assuming 100");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ticksPerSecond = t;
        }
        return t;
    }

    /**
     * Ticks to nanoseconds.
     *
     * @param ticks clock ticks
     * @return nanoseconds
     */
    static double nanos(long ticks) {
        return ticks * 1e9 / ticksPerSecond();
    }
}
