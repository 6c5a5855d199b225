package dev.weft.testsupport;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the log captured by {@link CapturingAppender} while a test ran, if and only if that test failed: the events
 * logged from its {@code @BeforeEach} to its {@code @AfterEach}, on every thread, go to standard output after its
 * teardown, so Surefire shows them with the failure on the console and in the test's report. A class whose setup or
 * teardown ({@code @BeforeAll}, {@code @AfterAll}) fails prints what was logged while the class ran.
 *
 * <p>Registered for every Jupiter test by JUnit's extension autodetection
 * ({@code junit.jupiter.extensions.autodetection.enabled=true}, set for Surefire in the parent POM); JUnit calls it on
 * the thread that runs the test.
 */
public final class CapturedLogExtension implements BeforeAllCallback, BeforeEachCallback, TestWatcher,
        AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(CapturedLogExtension.class);
    private static final String MARK = "mark";

    /** Created by JUnit (autodetection), on the thread that discovers the tests. */
    public CapturedLogExtension() {
    }

    /**
     * Turns capture on and marks where the class's log begins. Called by JUnit before the class's
     * {@code @BeforeAll} methods.
     *
     * @param context the class's context
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        CapturedLog.startCapturing();
        context.getStore(NAMESPACE).put(MARK, CapturedLog.ring().mark());
    }

    /**
     * Marks where the test's log begins. Called by JUnit before the test's {@code @BeforeEach} methods.
     *
     * @param context the test's context
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        CapturedLog.startCapturing();
        context.getStore(NAMESPACE).put(MARK, CapturedLog.ring().mark());
    }

    /**
     * Prints the test's log. Called by JUnit after the test's {@code @AfterEach} methods.
     *
     * @param context the test's context
     * @param cause   why it failed
     */
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Long mark = context.getStore(NAMESPACE).get(MARK, Long.class);
        if (mark != null) {
            FailedTestLogPrinter.print(name(context), mark);
        }
    }

    /**
     * Prints the class's log if its setup or teardown failed. Called by JUnit after the class's {@code @AfterAll}
     * methods.
     *
     * @param context the class's context
     */
    @Override
    public void afterAll(ExtensionContext context) {
        Long mark = context.getStore(NAMESPACE).get(MARK, Long.class);
        if (mark != null && context.getExecutionException().isPresent()) {
            FailedTestLogPrinter.print(name(context), mark);
        }
    }

    /** "Class > [variant] method", from the display names of the context and its parents below the engine. */
    private static String name(ExtensionContext context) {
        Deque<String> names = new ArrayDeque<>();
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            if (c.get().getParent().isPresent()) {
                names.addFirst(c.get().getDisplayName());
            }
        }
        return String.join(" > ", names);
    }
}
