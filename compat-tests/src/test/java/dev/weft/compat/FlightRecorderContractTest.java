package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weft.compat.harness.Await;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.LogCapture;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * JDK Flight Recorder events: what a recording with Weft's events on sees of a reactor whose first pass is slow,
 * that opens and closes a connection, then has a callback hold the loop past the blocked-loop threshold while a
 * timer comes due.
 */
final class FlightRecorderContractTest {
    private static final String THRESHOLD = "weft.blocked.threshold.ms";
    private static final List<String> EVENTS = List.of("dev.weft.BlockedLoop", "dev.weft.SlowPass",
            "dev.weft.LateTimer", "dev.weft.ConnectionOpened", "dev.weft.ConnectionClosed");

    @TempDir
    static Path dir;

    /** Starts, dumps and reads a recording once outside the tests' time limits: the first time takes seconds. */
    @BeforeAll
    static void startFlightRecorderOnce() throws Exception {
        Path file = dir.resolve("warm-up.jfr");
        try (Recording warmUp = new Recording()) {
            for (String name : EVENTS) {
                warmUp.enable(name).withoutThreshold();
            }
            warmUp.start();
            warmUp.stop();
            warmUp.dump(file);
        }
        RecordingFile.readAllEvents(file); // loads the parser too
    }

    @ContractTest
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a cold JFR
    void aRecordingSeesConnectionsABlockedLoopASlowPassAndALateTimer(ReactorHarness h) throws Exception {
        LogCapture logs = h.captureLogs();
        Reactor r = h.newReactorWith(THRESHOLD, "50");
        Path file = dir.resolve("weft-" + h.variant().name() + ".jfr");
        List<RecordedEvent> events;
        try (Recording recording = new Recording()) {
            for (String name : EVENTS) {
                recording.enable(name).withoutThreshold();
            }
            recording.enable("dev.weft.SlowPass").withThreshold(Duration.ofMillis(20));
            recording.start();
            runTheScenario(h, r, logs);
            recording.stop();
            recording.dump(file);
            events = RecordingFile.readAllEvents(file);
        } finally {
            Files.deleteIfExists(file);
        }
        String backend = r.backendName();
        List<RecordedEvent> ours = events.stream()
                .filter(e -> EVENTS.contains(e.getEventType().getName()))
                .filter(e -> backend.equals(e.getString("reactor")))
                .collect(Collectors.toList());
        String seen = ours.stream().map(e -> e.getEventType().getName()).collect(Collectors.joining(", "));
        for (String name : EVENTS) {
            assertTrue(ours.stream().anyMatch(e -> e.getEventType().getName().equals(name)),
                    name + " must be recorded; seen: " + seen);
        }
        // The loop may also have been held past the threshold elsewhere (a pass slowed by a loaded machine, a first
        // registration): each such stretch is an event of its own, with its own stack. The scenario's is the one
        // whose stack names the frame that held the loop.
        List<RecordedEvent> blockedEvents = ours.stream()
                .filter(e -> e.getEventType().getName().equals("dev.weft.BlockedLoop"))
                .collect(Collectors.toList());
        RecordedEvent blocked = blockedEvents.stream()
                .filter(e -> e.getString("stack").contains("holdTheLoop"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("a blocked event's stack names the frame that held the loop; "
                        + "the stacks recorded: " + blockedEvents.stream().map(e -> e.getString("stack"))
                        .collect(Collectors.joining("\n--\n"))));
        assertTrue(blocked.getDuration("held").toMillis() >= 50, "held " + blocked.getDuration("held"));
        RecordedEvent late = first(ours, "dev.weft.LateTimer");
        assertTrue(late.getDuration("lateness").toMillis() >= 1, "lateness " + late.getDuration("lateness"));
        assertTrue(first(ours, "dev.weft.SlowPass").getDuration().toMillis() >= 20, "a slow pass lasts 20 ms or more");
        RecordedEvent opened = first(ours, "dev.weft.ConnectionOpened");
        assertTrue(opened.getString("peer").contains("127.0.0.1"), "peer " + opened.getString("peer"));
        assertEquals(4, ours.stream().filter(e -> e.getEventType().getName().startsWith("dev.weft.Connection"))
                .count(), "both ends of the one connection open and close: " + seen);
        assertFalse(ours.stream().filter(e -> e.getEventType().getName().equals("dev.weft.ConnectionClosed"))
                .map(e -> e.getString("reason")).anyMatch(String::isEmpty), "a closed connection names its reason");
    }

    /** A connection made and closed, then a callback that holds the loop while a timer is due. */
    private static void runTheScenario(ReactorHarness h, Reactor r, LogCapture logs) throws Exception {
        Predicate<ILoggingEvent> warning = LogCapture.atLeast(Level.WARN).and(LogCapture.mentions("holdTheLoop"));
        Deferred<Void> lost = new Deferred<>();
        r.callWhenRunning(FlightRecorderContractTest::holdTheFirstPass);
        ListeningPort port = r.listenTCP(0, Factory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionMade() {
                transport().loseConnection();
            }
        }), 50, "127.0.0.1");
        r.connectTCP("127.0.0.1", port.getHost().getPort(), ClientFactory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionLost(Throwable reason) {
                lost.callback(null);
            }
        }));
        Deferred<Void> done = new Deferred<>();
        lost.addCallback(v -> {
            r.callLater(0, () -> {
                r.callLater(0.005, () -> done.callback(null)); // due while the loop is held: it runs late
                holdTheLoop(logs, warning);
            });
            return null;
        });
        h.runUntil(r, done);
        port.stopListening();
    }

    /**
     * Holds the first pass of the loop past the threshold, in a frame other than {@link #holdTheLoop}: as a pass
     * slowed by a loaded machine (a first registration, say) does, which the recording must tell apart.
     */
    private static void holdTheFirstPass() {
        Await.spinUntil(() -> false, Duration.ofMillis(120));
    }

    /** Holds the loop until the detector has logged it (bounded: 2 s). */
    private static void holdTheLoop(LogCapture logs, Predicate<ILoggingEvent> warning) {
        Await.spinUntil(() -> logs.has(warning), Duration.ofSeconds(2));
    }

    private static RecordedEvent first(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).findFirst().orElseThrow();
    }
}
