package dev.weft.testsupport;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Turns capture on when a test run starts with {@link CapturedLogExtension} enabled, so that every engine's tests
 * log into memory from the first one, and does for the tests of engines other than Jupiter (jqwik's properties) what
 * the extension does for Jupiter's: prints a failed test's log. When the extension is not enabled (a run from an
 * IDE without {@value #AUTODETECTION}), capture stays off and the log goes to standard output as it comes.
 *
 * <p>Registered with the JUnit launcher through {@code META-INF/services}; the launcher calls it on the threads that
 * run the tests.
 */
public final class CapturedLogListener implements TestExecutionListener {
    /** The JUnit setting that enables the extension. */
    static final String AUTODETECTION = "junit.jupiter.extensions.autodetection.enabled";

    private static final String JUPITER = "junit-jupiter";

    private final Map<String, Long> marks = new ConcurrentHashMap<>();

    /** Created by the JUnit launcher (service loading), on the thread that creates the launcher. */
    public CapturedLogListener() {
    }

    /**
     * Turns capture on if the extension is enabled for this run.
     *
     * @param testPlan the run's plan
     */
    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        if (testPlan.getConfigurationParameters().getBoolean(AUTODETECTION).orElse(false)) {
            CapturedLog.startCapturing();
        }
    }

    /**
     * Marks where the log of a test of another engine than Jupiter begins.
     *
     * @param testIdentifier the test or container
     */
    @Override
    public void executionStarted(TestIdentifier testIdentifier) {
        if (testIdentifier.isTest() && !isJupiter(testIdentifier)) {
            marks.put(testIdentifier.getUniqueId(), CapturedLog.ring().mark());
        }
    }

    /**
     * Prints the log of a failed test of another engine than Jupiter.
     *
     * @param testIdentifier the test or container
     * @param result         how it ended
     */
    @Override
    public void executionFinished(TestIdentifier testIdentifier, TestExecutionResult result) {
        Long mark = marks.remove(testIdentifier.getUniqueId());
        if (mark != null && result.getStatus() == TestExecutionResult.Status.FAILED
                && CapturedLog.mode() == CaptureMode.CAPTURE) {
            FailedTestLogPrinter.print(testIdentifier.getLegacyReportingName(), mark);
        }
    }

    private static boolean isJupiter(TestIdentifier testIdentifier) {
        Optional<String> engine = UniqueId.parse(testIdentifier.getUniqueId()).getEngineId();
        return engine.isPresent() && engine.get().equals(JUPITER);
    }
}
