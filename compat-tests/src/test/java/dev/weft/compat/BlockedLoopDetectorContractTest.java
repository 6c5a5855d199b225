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
        Reactor r = h.newReactorWith(THRESHOLD, "50");
        Predicate<ILoggingEvent> warning = blockedWarning();
        // Scheduled once the loop is well under way: a pass after the first poll for I/O.
        r.callWhenRunning(() -> r.callLater(0.02, () -> r.callLater(0, () -> {
            holdTheReactorThread(logs, warning);
            r.stop();
        })));
        h.run(r);
        assertLogged(logs, warning);
    }

    @ContractTest
    void callbackBlockingInTheFirstPassIsLoggedWithItsStack(ReactorHarness h) {
        LogCapture logs = h.captureLogs();
        Reactor r = h.newReactorWith(THRESHOLD, "50");
        Predicate<ILoggingEvent> warning = blockedWarning();
        r.callLater(0, () -> {
            holdTheReactorThread(logs, warning);
            r.stop();
        });
        h.run(r);
        assertLogged(logs, warning);
    }

    @ContractTest
    void startupTriggerBlockingLongerThanTheThresholdIsLogged(ReactorHarness h) {
        LogCapture logs = h.captureLogs();
        Reactor r = h.newReactorWith(THRESHOLD, "50");
        Predicate<ILoggingEvent> warning = blockedWarning();
        r.callWhenRunning(() -> {
            holdTheReactorThread(logs, warning);
            r.stop();
        });
        h.run(r);
        assertLogged(logs, warning);
    }

    private static Predicate<ILoggingEvent> blockedWarning() {
        return LogCapture.atLeast(Level.WARN).and(LogCapture.mentions("holdTheReactorThread"));
    }

    private static void assertLogged(LogCapture logs, Predicate<ILoggingEvent> warning) {
        ILoggingEvent e = logs.await(warning, Duration.ofSeconds(1));
        assertNotNull(e, "no warning naming the blocking callback's frame (holdTheReactorThread); got "
                + logs.events().stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    @ContractTest
    void quickCallbacksAreNotReportedAsBlocking(ReactorHarness h) {
        LogCapture logs = h.captureLogs();
        Reactor r = h.newReactorWith(THRESHOLD, "2000");
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
        h.run(r);
        assertTrue(logs.events().stream().noneMatch(LogCapture.atLeast(Level.WARN)),
                "warnings for quick callbacks: " + logs.events());
    }

    /** Holds the reactor thread until the detector has logged it (bounded: 2 s). */
    private static void holdTheReactorThread(LogCapture logs, Predicate<ILoggingEvent> warning) {
        Await.spinUntil(() -> logs.has(warning), Duration.ofSeconds(2));
    }
}
