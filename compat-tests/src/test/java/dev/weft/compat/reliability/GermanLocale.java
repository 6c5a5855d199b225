package dev.weft.compat.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A German locale ({@value #NAME}) for a child process, compiled with {@code localedef} into
 * {@code target/locales} and found through {@code LOCPATH}, so that no locale has to be installed on the system: the
 * {@code locales} package's sources ({@code /usr/share/i18n/locales/de_DE}) and the C library's German messages
 * ({@code libc-l10n}: {@code /usr/share/locale/de/LC_MESSAGES/libc.mo}) are enough. Compiled once per JVM.
 */
final class GermanLocale {
    /** The locale's name, for {@code LC_ALL}. */
    static final String NAME = "de_DE.UTF-8";

    /** What {@code strerror(EMFILE)} says in it, as the child reports it (spaces made underscores). */
    static final String TOO_MANY_OPEN_FILES = "Zu_viele_offene_Dateien";

    private static final Path SOURCES = Path.of("/usr/share/i18n/locales/de_DE");
    private static final Path MESSAGES = Path.of("/usr/share/locale/de/LC_MESSAGES/libc.mo");
    private static final Path DIR = Path.of("target", "locales").toAbsolutePath();
    private static final long LOCALEDEF_SECONDS = 60;

    private static Path compiled;

    private GermanLocale() {
    }

    /**
     * The directory to give as {@code LOCPATH}, with {@value #NAME} compiled in it; skips the test (an assumption)
     * where it cannot be made.
     *
     * @return the directory
     * @throws Exception if waiting for {@code localedef} is interrupted
     */
    static synchronized Path compiled() throws Exception {
        if (compiled != null) {
            return compiled;
        }
        Assumptions.assumeTrue(Files.isRegularFile(SOURCES), SOURCES + " is missing: install the package "
                + "'locales' to test a non-English locale");
        Assumptions.assumeTrue(Files.isRegularFile(MESSAGES), MESSAGES + " is missing: install the package "
                + "'libc-l10n' to test a non-English locale");
        Files.createDirectories(DIR);
        Path target = DIR.resolve(NAME);
        Process p;
        try {
            p = new ProcessBuilder(List.of("localedef", "-i", "de_DE", "-f", "UTF-8", target.toString()))
                    .redirectErrorStream(true).redirectOutput(DIR.resolve("localedef.log").toFile()).start();
        } catch (IOException e) {
            Assumptions.abort("localedef cannot be run (" + e.getMessage() + "): install 'libc-bin'");
            throw e;
        }
        if (!p.waitFor(LOCALEDEF_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("localedef did not finish in " + LOCALEDEF_SECONDS + " s");
        }
        // localedef exits with 1 for warnings; what counts is the compiled locale.
        if (!Files.isRegularFile(target.resolve("LC_MESSAGES").resolve("SYS_LC_MESSAGES"))
                && !Files.isRegularFile(target.resolve("LC_CTYPE"))) {
            throw new AssertionError("localedef made no locale in " + target + " (exit " + p.exitValue()
                    + "): see " + DIR.resolve("localedef.log"));
        }
        compiled = DIR;
        return compiled;
    }
}
