package dev.weft.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Suspend and resume of a coroutine, driven by its event loop: one coroutine makes {@value #ROUND_TRIPS} round
 * trips per invocation, each an await of an unfired future that the loop completes from a task of its own, and the
 * score is the time per round trip.
 *
 * <ul>
 *   <li>Weft ({@code untwisted}, {@code netty-nio}, {@code netty-epoll}, {@code netty-attached-nio}): a body
 *       started on the reactor's behalf loops {@code Task.deferLater(reactor, 0).await()} (see
 *       {@link WeftRoundTrips}).</li>
 *   <li>{@code weft-handoff}: no loop, the JMH thread fires each awaited Deferred itself: the cost of the two
 *       hand-offs between threads alone (see {@link HandOffRoundTrips}).</li>
 *   <li>{@code jdk-pingpong}: no Weft code, two threads passing a turn with {@code park}/{@code unpark}: the floor
 *       of any strict hand-off between threads on this machine (see {@link JdkPingPong}).</li>
 *   <li>Vert.x 5 ({@code vertx-context}, {@code vertx-eventloop}): {@code Future.await} in a virtual-thread verticle,
 *       the promise completed by {@code context.runOnContext} or by the Netty event loop (see
 *       {@link VertxRoundTrips}). JDK 21+ only: on JDK 17 their setup fails with "not applicable"; leave them out
 *       with {@code -p target=untwisted,netty-nio,...}.</li>
 * </ul>
 *
 * <p>The JMH thread starts each invocation's coroutine with one hand-over to the loop and waits for its end; that
 * wake-up (tens of µs) is shared by the {@value #ROUND_TRIPS} round trips.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dweft.blocked.threshold.ms=1000")
public class CoroutineRoundTripBenchmark {

    /** Round trips per invocation. */
    static final int ROUND_TRIPS = 1_000;

    /** The loop under test: a Weft backend, or Vert.x with one of its two completers. */
    @Param({"untwisted", "netty-nio", "netty-epoll", "netty-attached-nio", "weft-handoff", "jdk-pingpong",
            "vertx-context", "vertx-eventloop"})
    public String target;

    private RoundTrips trips;

    /** Opens the target; on the JMH thread. */
    @Setup(Level.Trial)
    public void setUp() {
        trips = RoundTrips.open(target);
    }

    /** Closes the target; on the JMH thread. */
    @TearDown(Level.Trial)
    public void tearDown() {
        trips.close();
    }

    /**
     * {@value #ROUND_TRIPS} round trips of one coroutine; on the JMH thread, which waits for them.
     *
     * @return the round trips counted by the coroutine
     */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int roundTrip() {
        return trips.run(ROUND_TRIPS);
    }
}
