package dev.weft.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A JVM that runs no tests but has the test class path (a child JVM a test starts) prints its log as it comes: the
 * parent reads it from the child's output.
 */
final class PassThroughTest {
    /** The child: logs one warning with the test configuration and exits. */
    static final class LogOnce {
        public static void main(String[] args) {
            LoggerFactory.getLogger(LogOnce.class).warn("a warning from a JVM that runs no tests");
        }
    }

    @Test
    void aJvmThatRunsNoTestsPrintsItsLogToStandardOutput() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), LogOnce.class.getName()))
                .redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<reading the child's output failed: " + e + ">";
            }
        });
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM exits");
            String out = output.get(10, TimeUnit.SECONDS);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("WARN ") && out.contains("a warning from a JVM that runs no tests"), out);
        } finally {
            p.destroyForcibly();
        }
    }
}
