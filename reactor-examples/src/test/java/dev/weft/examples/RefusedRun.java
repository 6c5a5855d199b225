package dev.weft.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/**
 * Runs {@link Main#run} on a command line it must refuse, with its standard error captured: the test checks the
 * message (it names what was wrong) and the build output stays quiet. Call it from the test thread.
 */
final class RefusedRun {
    private RefusedRun() {
    }

    /**
     * Runs {@code Main.run(args)}, checks its exit status and returns what it printed on standard error.
     *
     * @param expectedStatus the status it must return
     * @param args           the command line
     * @return its standard error
     */
    static String stderrOf(int expectedStatus, String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, UTF_8));
        int status;
        try {
            status = Main.run(args);
        } finally {
            System.setErr(old);
        }
        String text = err.toString(UTF_8);
        assertEquals(expectedStatus, status, "exit status of " + String.join(" ", args) + "; stderr: " + text);
        return text;
    }
}
