package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(20)
class DemoExampleTest {

    private static String runCapturing(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args));
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void demoRunsTimersThreadCallsAndPipeReaderThenStops(String backend) {
        String out = runCapturing("demo", "--backend", backend);
        assertTrue(out.contains("reactor running on backend '" + NetTesting.backendName(backend) + "'"), out);
        assertTrue(out.contains("timer 3 fired"), out);
        assertTrue(out.contains("callFromThread from weft-" + NetTesting.backendName(backend) + "-pool"), out);
        assertTrue(out.contains("reader got 'hello through a pipe'"), out);
        assertTrue(out.contains("shutting down"), out);
        assertTrue(out.contains("pipe reader: connectionLost(the reactor shut down)"), out);
        assertTrue(out.indexOf("timer 1 fired") < out.indexOf("timer 2 fired"), out);
        assertTrue(out.indexOf("shutting down") < out.indexOf("run() returned"), out);
    }

    @Test
    void helpListsTheExamples() {
        assertTrue(runCapturing("--help").contains("demo"));
    }

    @Test
    void unknownBackendIsRefusedWithoutAStackTrace() {
        String err = RefusedRun.stderrOf(2, "demo", "--backend", "nope");
        assertTrue(err.contains("unknown reactor backend 'nope'") && err.contains("untwisted"), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void unknownExampleIsRefused() {
        String err = RefusedRun.stderrOf(2, "nope");
        assertTrue(err.contains("unknown example 'nope'") && err.contains("demo"), err);
    }
}
