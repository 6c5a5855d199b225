package dev.weft.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.launcher.TestIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The launcher listener prints the log of a failed test of another engine (jqwik's properties), as the extension. */
final class CapturedLogListenerTest {
    private static final Logger LOG = LoggerFactory.getLogger(CapturedLogListenerTest.class);

    private static TestIdentifier test(String engine, String name) {
        UniqueId id = UniqueId.forEngine(engine).append("property", name);
        TestDescriptor d = new AbstractTestDescriptor(id, name) {
            @Override
            public Type getType() {
                return Type.TEST;
            }
        };
        return TestIdentifier.from(d);
    }

    private static String runOne(TestIdentifier test, TestExecutionResult result, String message) {
        CapturedLogListener listener = new CapturedLogListener();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            listener.executionStarted(test);
            LOG.error(message);
            listener.executionFinished(test, result);
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFailedTestOfAnotherEnginePrintsItsLog() {
        String out = runOne(test("jqwik", "aProperty"),
                TestExecutionResult.failed(new AssertionError("falsified")), "logged by a jqwik property");
        assertTrue(out.contains("aProperty") && out.contains("logged by a jqwik property"), out);
    }

    @Test
    void aPassingTestOfAnotherEnginePrintsNothing() {
        assertEquals("", runOne(test("jqwik", "aProperty"), TestExecutionResult.successful(), "passes"));
    }

    @Test
    void jupiterTestsAreLeftToTheExtension() {
        assertEquals("", runOne(test("junit-jupiter", "aTest"),
                TestExecutionResult.failed(new AssertionError("failed")), "the extension prints this one"));
    }
}
