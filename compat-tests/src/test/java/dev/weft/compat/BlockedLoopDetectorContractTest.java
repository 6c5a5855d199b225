package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weft.compat.harness.Await;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.LogCapture;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.harness.RecordingDescriptor;
import dev.weft.compat.harness.TestPipe;
import dev.weft.compat.harness.WatchesChannels;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/** The blocked-loop detector: a callback that holds the reactor thread too long is logged with its stack. */
final class BlockedLoopDetectorContractTest {
    private static final String THRESHOLD = "weft.blocked.threshold.ms";
    private static final String LOOPBACK = "127.0.0.1";

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

    // ---------------------------------------------------------------- callbacks dispatched from the poll for I/O

    @ContractTest
    void dataReceivedBlockingLongerThanTheThresholdIsLoggedOnceWithItsStack(ReactorHarness h) {
        LogCapture logs = h.captureLogs();
        Reactor r = h.newReactorWith(THRESHOLD, "50");
        Predicate<ILoggingEvent> warning = blockedWarning("holdInDataReceived");
        ListeningPort port = r.listenTCP(0, Factory.forProtocol(() -> new Protocol() {
            @Override
            public void dataReceived(byte[] data) {
                holdInDataReceived(logs, warning);
                r.stop();
            }
        }), 50, LOOPBACK);
        r.connectTCP(LOOPBACK, port.getHost().getPort(), ClientFactory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionMade() {
                transport().write("hold".getBytes(StandardCharsets.US_ASCII));
            }
        }));
        h.run(r);
        assertLoggedOnce(logs, warning);
    }

    @ContractTest
    void connectionMadeBlockingLongerThanTheThresholdIsLoggedOnceWithItsStack(ReactorHarness h) {
        LogCapture logs = h.captureLogs();
        Reactor r = h.newReactorWith(THRESHOLD, "50");
        Predicate<ILoggingEvent> warning = blockedWarning("holdInConnectionMade");
        ListeningPort port = r.listenTCP(0, Factory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionMade() {
                holdInConnectionMade(logs, warning);
                r.stop();
            }
        }), 50, LOOPBACK);
        r.connectTCP(LOOPBACK, port.getHost().getPort(), ClientFactory.forProtocol(() -> new Protocol() { }));
        h.run(r);
        assertLoggedOnce(logs, warning);
    }

    @ContractTest
    @WatchesChannels
    void doReadBlockingLongerThanTheThresholdIsLoggedOnceWithItsStack(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        Reactor r = h.newReactorWith(THRESHOLD, "50");
        Predicate<ILoggingEvent> warning = blockedWarning("holdInDoRead");
        TestPipe pipe = h.pipe();
        RecordingDescriptor reader = new RecordingDescriptor("reader", pipe.source()).onRead(self -> {
            pipe.drain();
            r.removeReader(self);
            holdInDoRead(logs, warning);
            r.stop();
        });
        r.callWhenRunning(() -> {
            r.addReader(reader);
            r.callLater(0.01, () -> pipe.write((byte) 1));
        });
        h.run(r);
        assertLoggedOnce(logs, warning);
    }

    @ContractTest
    void loopWaitingWithOpenConnectionsIsNotReported(ReactorHarness h) {
        LogCapture logs = h.captureLogs();
        // The default threshold: a pass slowed by a loaded machine past it is rare; a wait wrongly counted is not.
        Reactor r = h.newReactorWith(THRESHOLD, "100");
        ListeningPort port = r.listenTCP(0, Factory.forProtocol(() -> new Protocol() {
            @Override
            public void dataReceived(byte[] data) {
                // I/O was dispatched: the loop then waits with nothing to do, two and a half thresholds long
                r.callLater(0.25, r::stop);
            }
        }), 50, LOOPBACK);
        r.connectTCP(LOOPBACK, port.getHost().getPort(), ClientFactory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionMade() {
                transport().write("idle".getBytes(StandardCharsets.US_ASCII));
            }
        }));
        h.run(r);
        assertTrue(logs.events().stream().noneMatch(LogCapture.atLeast(Level.WARN)),
                "a loop waiting for I/O was reported: " + logs.events());
    }

    private static void holdInDataReceived(LogCapture logs, Predicate<ILoggingEvent> warning) {
        holdPastTheFirstReport(logs, warning);
    }

    private static void holdInConnectionMade(LogCapture logs, Predicate<ILoggingEvent> warning) {
        holdPastTheFirstReport(logs, warning);
    }

    private static void holdInDoRead(LogCapture logs, Predicate<ILoggingEvent> warning) {
        holdPastTheFirstReport(logs, warning);
    }

    /**
     * Holds the reactor thread until the detector has logged it (bounded: 2 s), then for a threshold more (two of
     * the detector's samples), so that a detector that reported the same stretch again would have done so.
     */
    private static void holdPastTheFirstReport(LogCapture logs, Predicate<ILoggingEvent> warning) {
        if (Await.spinUntil(() -> logs.has(warning), Duration.ofSeconds(2))) {
            Await.spinUntil(() -> false, Duration.ofMillis(60));
        }
    }

    private static void assertLoggedOnce(LogCapture logs, Predicate<ILoggingEvent> warning) {
        assertLogged(logs, warning);
        assertEquals(1, logs.events().stream().filter(warning).count(), "the one stretch is reported once");
    }

    // ---------------------------------------------------------------- helpers

    private static Predicate<ILoggingEvent> blockedWarning() {
        return blockedWarning("holdTheReactorThread");
    }

    private static Predicate<ILoggingEvent> blockedWarning(String frame) {
        return LogCapture.atLeast(Level.WARN).and(LogCapture.mentions(frame));
    }

    private static void assertLogged(LogCapture logs, Predicate<ILoggingEvent> warning) {
        ILoggingEvent e = logs.await(warning, Duration.ofSeconds(1));
        assertNotNull(e, "no warning naming the blocking callback's frame; got "
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
