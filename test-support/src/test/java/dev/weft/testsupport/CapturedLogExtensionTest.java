package dev.weft.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs small test classes (the fixtures below) with the JUnit test kit, the extension enabled as the build enables
 * it, and checks what they print: a failed test's log, nothing for a passing one.
 */
final class CapturedLogExtensionTest {
    private static final Logger LOG = LoggerFactory.getLogger(CapturedLogExtensionTest.class);
    /** The fixtures run only inside these tests (an IDE that runs them alone skips them). */
    private static volatile boolean fixturesEnabled;

    /** What the fixture class printed to standard output while it ran. */
    private static String run(Class<?> fixture, long expectedFailures) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        fixturesEnabled = true;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            EngineTestKit.engine("junit-jupiter")
                    .configurationParameter(CapturedLogListener.AUTODETECTION, "true")
                    .selectors(selectClass(fixture))
                    .execute()
                    .allEvents()
                    .failed()
                    .assertThatEvents()
                    .hasSize((int) expectedFailures);
        } finally {
            System.setOut(saved);
            fixturesEnabled = false;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFailedTestPrintsItsLogIncludingTeardownWithStackTraces() {
        String out = run(FailingFixture.class, 1);
        assertTrue(out.contains("logsThenFails()") && out.contains("ran (2 events)"), out);
        assertTrue(out.contains("WARN ") && out.contains("warned in the failing test"), out);
        assertTrue(out.contains("ERROR") && out.contains("logged in teardown"), out);
        assertTrue(out.contains("java.lang.IllegalStateException: boom in teardown"), out);
        assertTrue(out.contains("\tat dev.weft.testsupport.CapturedLogExtensionTest$FailingFixture"), out);
        assertTrue(out.indexOf("warned in the failing test") < out.indexOf("logged in teardown"), out);
        assertTrue(out.contains("---- end of the log captured while"), out);
    }

    @Test
    void aPassingTestPrintsNothingEvenWhenItLogsErrors() {
        assertEquals("", run(PassingFixture.class, 0));
    }

    @Test
    void aFailedTestPrintsOnlyWhatWasLoggedWhileItRan() {
        String out = run(TwoTestsFixture.class, 1);
        assertTrue(out.contains("from the failing test"), out);
        assertFalse(out.contains("from the passing test"), out);
        assertFalse(out.contains("logged before the fixtures ran"), out);
    }

    @Test
    void aClassWhoseSetupFailsPrintsTheClassLog() {
        String out = run(FailingSetupFixture.class, 1);
        assertTrue(out.contains("logged in the class setup"), out);
        assertTrue(out.contains("FailingSetupFixture"), out);
    }

    @Test
    void theLogOfTheEnclosingTestIsKeptWhileOtherTestsRunInside() {
        long mark = CapturedLog.ring().mark();
        LOG.warn("logged before the fixtures ran");
        run(PassingFixture.class, 0);
        EventRing.Slice slice = CapturedLog.ring().since(mark);
        assertTrue(slice.entries().stream().anyMatch(e -> e.event().getMessage().equals(
                "logged before the fixtures ran")), "the ring is never cleared");
    }

    static final class FailingFixture {
        private static final Logger LOG = LoggerFactory.getLogger(FailingFixture.class);

        @BeforeEach
        void enabled() {
            assumeTrue(fixturesEnabled);
        }

        @Test
        void logsThenFails() {
            LOG.warn("warned in the failing test");
            fail("fails on purpose");
        }

        @AfterEach
        void tearDown() {
            LOG.error("logged in teardown", new IllegalStateException("boom in teardown"));
        }
    }

    static final class PassingFixture {
        private static final Logger LOG = LoggerFactory.getLogger(PassingFixture.class);

        @BeforeEach
        void enabled() {
            assumeTrue(fixturesEnabled);
        }

        @Test
        void logsAnErrorAndPasses() {
            LOG.error("an error provoked on purpose", new IllegalStateException("expected"));
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static final class TwoTestsFixture {
        private static final Logger LOG = LoggerFactory.getLogger(TwoTestsFixture.class);

        @BeforeEach
        void enabled() {
            assumeTrue(fixturesEnabled);
        }

        @Test
        @Order(1)
        void passes() {
            LOG.warn("from the passing test");
        }

        @Test
        @Order(2)
        void fails() {
            LOG.warn("from the failing test");
            fail("fails on purpose");
        }
    }

    static final class FailingSetupFixture {
        private static final Logger LOG = LoggerFactory.getLogger(FailingSetupFixture.class);

        @BeforeAll
        static void setUp() {
            assumeTrue(fixturesEnabled);
            LOG.error("logged in the class setup");
            throw new IllegalStateException("class setup fails on purpose");
        }

        @Test
        void neverRuns() {
            fail("the class setup failed");
        }
    }
}
