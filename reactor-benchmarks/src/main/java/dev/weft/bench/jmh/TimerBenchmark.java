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
 * Timers on the loop thread, per target: schedule then cancel (a batch of 10,000, and one of 1,000,000), and firing
 * 10,000 timers due now. Scores are timers per second (one operation = one timer scheduled and cancelled, or
 * scheduled and fired).
 *
 * <p>On {@code untwisted}, {@code netty-nio} and {@code netty-epoll} the JMH thread is the reactor thread: it calls
 * {@code callLater}/{@code cancel} itself and fires timers with {@code iterate(0)} passes. The other targets get
 * each batch handed to their loop thread with one {@code execute} and a spin-wait ({@link Target#onLoop}), a cost
 * amortised over the batch. Delays of scheduled-then-cancelled timers are uniform in [1 s, 2 s), the same for every
 * target; cancels go in scheduling order.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dweft.blocked.threshold.ms=1000"})
public class TimerBenchmark {

    static final int BATCH = 10_000;
    static final int MILLION = 1_000_000;

    @Param({"untwisted", "netty-nio", "netty-epoll", "netty-attached-nio", "netty-baseline-nio",
            "netty-baseline-epoll", "stpe"})
    public String target;

    private Target t;
    private Target.Delays batch;
    private Target.Delays million;
    private Object[] handles;

    @Setup(Level.Trial)
    public void setUp() {
        t = Target.open(target, Target.Mode.INLINE);
        batch = Target.Delays.uniform(BATCH, 1.0, 1.0);
        million = Target.Delays.uniform(MILLION, 1.0, 1.0);
        handles = new Object[MILLION];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        t.close();
    }

    /** Schedule 10,000 timers, then cancel them: a steady state of bounded pending timers. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void scheduleCancel10k() {
        t.scheduleThenCancel(batch, handles);
    }

    /** Schedule 1,000,000 timers, then cancel them: the heap at its deepest. */
    @Benchmark
    @OperationsPerInvocation(MILLION)
    public void scheduleCancel1M() {
        t.scheduleThenCancel(million, handles);
    }

    /** Schedule 10,000 timers due now, run the loop until all fired. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void fire10k() {
        t.fire(BATCH);
    }
}
