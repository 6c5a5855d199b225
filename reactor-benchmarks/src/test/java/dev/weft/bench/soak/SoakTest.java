package dev.weft.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A short soak on each backend, so that the program keeps working between its real runs ({@code soak.sh}, 60 s
 * each): three seconds of the full mixed load, then every check of {@link SoakReport}.
 */
@Timeout(120)
final class SoakTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"untwisted", "netty", "netty-epoll"})
    void threeSecondsOfMixedLoadPassEveryCheckWithNoError(String backend) throws Exception {
        if (backend.equals("netty-epoll")) {
            Assumptions.assumeTrue(Epoll.isAvailable(), "Netty's native epoll does not load here");
        }
        Soak.Options o = Soak.Options.parse(new String[] {"--backend", backend, "--seconds", "3", "--seed", "7"});
        SoakReport report = Soak.run(o);
        String text = report.format();
        assertTrue(report.passed(), text);
        assertEquals(0, report.errorCount, text);
        SoakCounts c = report.counts;
        assertTrue(c.connected >= 50, "connections opened and closed: " + text);
        assertEquals(c.connected, c.cleanCloses + c.abortsAfterEcho + c.abortsMidway + c.abortsAtOnce,
                "each connection ended one of the four ways: " + text);
        assertTrue(c.cleanCloses > 0 && c.abortsAfterEcho > 0 && c.abortsMidway > 0 && c.abortsAtOnce > 0, text);
        assertTrue(c.timersFired >= 1_000 && c.timersCancelled >= 100 && c.timersDelayed > 0, text);
        assertEquals(c.timersScheduled, c.timersFired + c.timersCancelled, "every timer ran or was cancelled: "
                + text);
        assertTrue(c.lateCancelsRefused > 0, text);
        assertEquals(c.threadCallsMade, c.threadCallsRun, "every thread call ran: " + text);
        assertTrue(c.threadCallsRun >= 10_000, text);
        assertEquals(c.deferStarted, c.deferSucceeded + c.deferFailedAsExpected, "every task came back: " + text);
        assertTrue(c.deferFailedAsExpected > 0, text);
        assertTrue(text.endsWith("RESULT PASS" + System.lineSeparator()), text);
    }
}
