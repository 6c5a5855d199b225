package dev.weft.reactor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.reactor.spi.AcceptFailureLog.Action;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The rate limit of the failed-accept log: the first with its stack, then at most one line per interval. */
class AcceptFailureLogTest {
    private static final double I = AcceptFailureLog.INTERVAL_SECONDS;
    private final AcceptFailureLog log = new AcceptFailureLog();
    private final IOException emfile = new IOException("Too many open files");

    @Test
    void theFirstFailureIsLoggedWithItsStackAndTheNextOnesAreCountedForOneLinePerInterval() {
        assertEquals(Action.STACK, log.failed(100, emfile));
        log.closed(3);
        assertTrue(log.hasUnreported(), "the connections closed after the first line");
        assertEquals(100 + I, log.nextLineAt());
        for (int i = 1; i < 50; i++) {
            assertEquals(Action.COUNT, log.failed(100 + i * I / 50, emfile), "failure " + i);
        }
        log.closed(49);
        String summary = log.summary(100 + I);
        assertTrue(summary.startsWith("49 more failed accepts and 52 waiting connections closed unserved in the last "
                + "10.0 s"), summary);
        assertTrue(summary.contains("Too many open files"), summary);
        assertFalse(log.hasUnreported());
        assertEquals(100 + 2 * I, log.nextLineAt());
        assertEquals(Action.COUNT, log.failed(100 + 1.5 * I, emfile));
        assertEquals(Action.SUMMARY, log.failed(100 + 2 * I, emfile), "a failure due a line logs the summary");
        assertTrue(log.summary(100 + 2 * I).startsWith("2 more failed accepts and 0 waiting"));
    }

    @Test
    void anAcceptedConnectionEndsTheTroubleAndTheNextFailureHasItsStackAgainOnceTheIntervalAllows() {
        assertEquals(Action.STACK, log.failed(0, emfile));
        assertTrue(log.isFailing());
        log.accepted();
        assertFalse(log.isFailing());
        assertEquals(Action.COUNT, log.failed(1, emfile), "still within the interval of the last line");
        log.accepted();
        assertEquals(Action.STACK, log.failed(I, emfile));
        assertTrue(log.hasUnreported(), "the failure counted at 1 s is still to be reported");
    }

    @Test
    void aFailureLongAfterTheLastLineOfTheSameTroubleIsASummary() {
        assertEquals(Action.STACK, log.failed(0, emfile));
        assertEquals(Action.SUMMARY, log.failed(3 * I, new IOException("Too many open files in system")));
        String summary = log.summary(3 * I);
        assertTrue(summary.startsWith("1 more failed accepts and 0 waiting connections closed unserved in the last "
                + "30.0 s (the last failure: java.io.IOException: Too many open files in system)"), summary);
    }
}
