package dev.weft.reactor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** No lost errors: Weft's loggers go through SLF4J when it has a provider, to System.Logger when it has none. */
class LoggersTest {

    @Test
    void withAProviderTheLoggersAreSlf4jsOwn() {
        // Logback is on this module's test class path.
        assertEquals(Loggers.Sink.SLF4J, Loggers.sink());
        assertEquals(LoggerFactory.getLogger(LoggersTest.class).getClass(), Loggers.get(LoggersTest.class).getClass());
    }

    @Test
    void withoutAProviderUnhandledErrorsAndWarningsReachStandardError(@TempDir Path dir) throws Exception {
        String classPath = String.join(File.pathSeparator, locationOf(Deferred.class), locationOf(LoggersTest.class),
                locationOf(LoggerFactory.class));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, NoProviderChild.class.getName())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        String both = "stdout:\n" + stdout + "\nstderr:\n" + stderr;
        assertTrue(exited, "the child did not exit within 60 s; " + both);
        assertEquals(0, child.exitValue(), both);
        assertTrue(stdout.contains("sink SYSTEM_LOGGER, reported 1"), both);
        assertTrue(stderr.contains("Unhandled error in Deferred"), both);
        assertTrue(stderr.contains("java.lang.IllegalStateException: the lost error of NoProviderChild"), both);
        assertTrue(stderr.contains("a warning 42 of Weft"), both);
        assertFalse(stderr.contains("an info line"), both);
    }

    private static String locationOf(Class<?> type) throws URISyntaxException {
        return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
