package dev.weft.compat.reliability;

import dev.weft.compat.harness.BackendVariant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The figures of the reliability tests (calls, cycles, connections, bytes, durations per variant): each is printed
 * to standard output as one line starting with {@code RELIABILITY}, and appended to
 * {@code compat-tests/target/reliability-figures.txt} (replaced by each run of the suite), from which
 * {@code RELIABILITY.md} at the repository root is written.
 */
final class Figures {
    /** Where the figures are appended (Surefire runs in the module's directory). */
    static final Path FILE = Path.of("target", "reliability-figures.txt");

    /** Whether this JVM has written the file yet: the first line of a run replaces what an earlier run left. */
    private static boolean written;

    private Figures() {
    }

    /**
     * Records one line of figures.
     *
     * @param variant the variant measured
     * @param test    the test
     * @param format  the figures, a {@link String#format} pattern
     * @param args    its arguments
     */
    static synchronized void record(BackendVariant variant, String test, String format, Object... args) {
        String line = String.format(Locale.ROOT, "RELIABILITY | %-14s | %-44s | %s", variant.name(), test,
                String.format(Locale.ROOT, format, args));
        System.out.println(line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    written ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            written = true;
        } catch (IOException e) {
            System.out.println("(could not append to " + FILE.toAbsolutePath() + ": " + e + ")");
        }
    }

    /**
     * Milliseconds since {@code startNanos}.
     *
     * @param startNanos a {@link System#nanoTime()} reading
     * @return the elapsed milliseconds
     */
    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * A rate per second.
     *
     * @param count  how many
     * @param millis in how many milliseconds
     * @return the count per second
     */
    static long perSecond(long count, long millis) {
        return millis <= 0 ? count * 1000 : count * 1000 / millis;
    }
}
