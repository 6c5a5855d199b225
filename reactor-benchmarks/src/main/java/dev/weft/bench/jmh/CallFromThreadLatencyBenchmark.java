package dev.weft.bench.jmh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code callFromThread} round trip, sampled: a non-loop (JMH) thread calls {@code callFromThread} (or
 * {@code execute}), the loop completes a {@link CompletableFuture}, the JMH thread waits for it. The loop is idle
 * between round trips, so each one includes waking it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dweft.blocked.threshold.ms=1000")
public class CallFromThreadLatencyBenchmark {

    @Param({"untwisted", "netty-nio", "netty-epoll", "netty-attached-nio", "netty-baseline-nio",
            "netty-baseline-epoll", "stpe"})
    public String target;

    private Target t;

    @Setup(Level.Trial)
    public void setUp() {
        t = Target.open(target, Target.Mode.BACKGROUND);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        t.close();
    }

    @Benchmark
    public Object roundTrip() {
        CompletableFuture<Object> f = new CompletableFuture<>();
        t.execute(() -> f.complete(Boolean.TRUE));
        return f.join();
    }
}
