package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weft.compat.harness.Await;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.LogCapture;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.reactor.Reactor;
import java.time.Duration;
import java.util.function.Predicate;

/** The blocked-loop detector: a callback that holds the reactor thread too long is logged with its stack. */
final class BlockedLoopDetectorContractTest {
    private static final String THRESHOLD = "weft.blocked.threshold.ms";

    @ContractTest
    void callbackBlockingLongerThanTheThresholdIsLoggedWithItsStack(ReactorHarness h) {
        LogCapture logs = h.captureLogs();
        Reactor r = withThreshold(h, "50");
        Predicate<ILoggingEvent> warning = LogCapture.atLeast(Level.WARN)
                .and(LogCapture.mentions("holdTheReactorThread"));
        r.callLater(0, () -> {
            holdTheReactorThread(logs, warning);
            r.stop();
        });
        h.run();
        ILoggingEvent e = logs.await(warning, Duration.ofSeconds(3));
        assertNotNull(e, "no warning naming the blocking callback's frame; got "
                + logs.events().stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    @ContractTest
    void quickCallbacksAreNotReportedAsBlocking(ReactorHarness h) {
        LogCapture logs = h.captureLogs();
        Reactor r = withThreshold(h, "2000");
        int[] n = {0};
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (++n[0] < 100) {
                r.callLater(0, tick[0]);
            } else {
                r.stop();
            }
        };
        r.callLater(0, tick[0]);
        h.run();
        assertTrue(logs.events().stream().noneMatch(LogCapture.atLeast(Level.WARN)),
                "warnings for quick callbacks: " + logs.events());
    }

    /** Holds the reactor thread until the detector has logged it (bounded: 3 s). */
    private static void holdTheReactorThread(LogCapture logs, Predicate<ILoggingEvent> warning) {
        Await.spinUntil(() -> logs.has(warning), Duration.ofSeconds(3));
    }

    private static Reactor withThreshold(ReactorHarness h, String ms) {
        String old = System.getProperty(THRESHOLD);
        try {
            System.setProperty(THRESHOLD, ms);
            return h.newReactor();
        } finally {
            if (old == null) {
                System.clearProperty(THRESHOLD);
            } else {
                System.setProperty(THRESHOLD, old);
            }
        }
    }
}
