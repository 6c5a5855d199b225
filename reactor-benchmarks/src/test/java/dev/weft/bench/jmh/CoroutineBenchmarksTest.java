package dev.weft.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One invocation of each coroutine benchmark, outside JMH: each does the work it claims and ends. */
@Timeout(60)
class CoroutineBenchmarksTest {

    /** The sum of {@code i & (DEFERREDS - 1)} over {@code OPS} operations: what both loops must add up. */
    private static long expectedSum() {
        long s = 0;
        for (int i = 0; i < CoroutineAwaitBenchmark.OPS; i++) {
            s += i & (CoroutineAwaitBenchmark.DEFERREDS - 1);
        }
        return s;
    }

    @Test
    void awaitFiredAwaitsEveryDeferredInOneBody() {
        assertEquals(expectedSum(), new CoroutineAwaitBenchmark().awaitFired());
    }

    @Test
    void addCallbackFiredRunsEveryCallbackAndTheDeferredsKeepTheirResults() {
        CoroutineAwaitBenchmark b = new CoroutineAwaitBenchmark();
        assertEquals(expectedSum(), b.addCallbackFired());
        assertEquals(expectedSum(), b.addCallbackFired());
        assertEquals(expectedSum(), b.awaitFired());
    }

    @Test
    void bodyStartRunsABodyToItsEnd() {
        assertEquals(Boolean.TRUE, new CoroutineAwaitBenchmark().bodyStart());
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty-nio", "netty-epoll", "netty-attached-nio", "weft-handoff",
        "jdk-pingpong"})
    void roundTripsAreCountedByTheirLoop(String target) {
        assumeTrue(!target.equals("netty-epoll") || Epoll.isAvailable(), "epoll does not load here");
        CoroutineRoundTripBenchmark b = new CoroutineRoundTripBenchmark();
        b.target = target;
        b.setUp();
        try {
            assertEquals(CoroutineRoundTripBenchmark.ROUND_TRIPS, b.roundTrip());
            assertEquals(CoroutineRoundTripBenchmark.ROUND_TRIPS, b.roundTrip());
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vertx-context", "vertx-eventloop"})
    void vertxRoundTripsRunInAVirtualThreadVerticleOnJdk21(String target) {
        assumeTrue(VertxRoundTrips.virtualThreadsAvailable(), "Vert.x virtual threads need JDK 21+");
        try (RoundTrips trips = RoundTrips.open(target)) {
            assertEquals(500, trips.run(500));
        }
    }

    @Test
    void vertxTargetsSayNotApplicableBeforeJdk21() {
        assumeFalse(VertxRoundTrips.virtualThreadsAvailable(), "this JVM has virtual threads");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> RoundTrips.open("vertx-context"));
        assertTrue(e.getMessage().contains("not applicable") && e.getMessage().contains("JDK 21"), e.getMessage());
    }

    @Test
    void anUnknownTargetIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoundTrips.open("vertx-nope"));
        assertTrue(e.getMessage().contains("vertx-nope") && e.getMessage().contains("vertx-context"), e.getMessage());
    }

    @Test
    void roundTripsEndWithinTheirTimeout() {
        try (RoundTrips trips = RoundTrips.open("weft-handoff")) {
            long t0 = System.nanoTime();
            assertEquals(10, trips.run(10));
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(30)) < 0);
        }
    }
}
