package dev.weft.bench.scale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the scale programs share: heap used after GC, RSS and file descriptors from {@code /proc/self}, running one
 * measurement per child JVM (so that one target's heap growth and RSS do not show in the next one's), and the table.
 */
public final class ScaleSupport {

    /** The prefix of the one line a child prints its result on. */
    static final String RESULT = "RESULT";

    private ScaleSupport() {
    }

    /**
     * The heap in use after full collections, in bytes ({@code MemoryMXBean}).
     *
     * @return bytes used
     */
    static long heapUsedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * The resident set of this process ({@code VmRSS} of {@code /proc/self/status}), in bytes.
     *
     * @return bytes, or -1 where {@code /proc} is not there
     */
    public static long rssBytes() {
        return procStatusKb("VmRSS:") * 1024;
    }

    private static long procStatusKb(String key) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * The soft limit on open files ({@code /proc/self/limits}, "Max open files").
     *
     * @return the limit, or -1 if unknown or unlimited
     */
    static long openFilesSoftLimit() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * The number of file descriptors open now ({@code /proc/self/fd}).
     *
     * @return how many, or -1 if unknown
     */
    public static long openFds() {
        try (Stream<Path> s = Files.list(Paths.get("/proc/self/fd"))) {
            return s.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Runs {@code main} with {@code --child target} in a new JVM (this one's {@code java}, class path and
     * {@code jvmArgs}), passes its output through, and returns the key/value pairs of its {@value #RESULT} line.
     *
     * @param main    the class whose {@code main} takes {@code --child}
     * @param target  the target
     * @param jvmArgs options of the child JVM
     * @param args    more arguments for the child
     * @return the result, empty if the child printed none (its output says why)
     * @throws IOException          if the JVM cannot start
     * @throws InterruptedException if interrupted while waiting
     */
    static Map<String, String> runChild(Class<?> main, String target, List<String> jvmArgs, List<String> args)
            throws IOException, InterruptedException {
        List<String> childArgs = new ArrayList<>(List.of("--child", target));
        childArgs.addAll(args);
        Process p = startJvm(jvmArgs, main, childArgs);
        Map<String, String> result = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(RESULT + "\t")) {
                    for (String kv : line.substring(RESULT.length() + 1).split("\t")) {
                        int eq = kv.indexOf('=');
                        result.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                } else {
                    System.out.println("  [" + target + "] " + line);
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0) {
            System.out.println("  [" + target + "] exited with status " + rc);
        }
        return result;
    }

    /**
     * Starts {@code main} in a JVM like this one (same {@code java}, same class path), its error output merged into
     * its standard output.
     *
     * @param jvmArgs the JVM's options
     * @param main    the class to run
     * @param args    its arguments
     * @return the process
     * @throws IOException if the JVM cannot start
     */
    static Process startJvm(List<String> jvmArgs, Class<?> main, List<String> args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /**
     * Prints the result line of a child.
     *
     * @param kv alternating keys and values
     */
    static void printResult(Object... kv) {
        StringBuilder sb = new StringBuilder(RESULT);
        for (int i = 0; i < kv.length; i += 2) {
            sb.append('\t').append(kv[i]).append('=').append(kv[i + 1]);
        }
        System.out.println(sb);
        System.out.flush();
    }

    static String mb(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    /** Prints rows under a header, columns right-aligned but the first. */
    static void printTable(String[] head, List<String[]> rows) {
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length && i < w.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : concat(head, rows)) {
            for (int i = 0; i < r.length; i++) {
                String fmt = i == 0 ? "%-" + w[i] + "s" : "%" + w[i] + "s";
                sb.append(String.format(fmt, r[i])).append(i == r.length - 1 ? "" : "  ");
            }
            sb.append('\n');
        }
        System.out.print(sb);
    }

    private static List<String[]> concat(String[] head, List<String[]> rows) {
        List<String[]> all = new ArrayList<>();
        all.add(head);
        all.addAll(rows);
        return all;
    }
}
