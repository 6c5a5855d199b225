package dev.weft.bench.jmh;

import dev.weft.defer.Deferred;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A Deferred with a chain of 10 callbacks, no reactor: built and then fired ({@code pending}), or fired and then
 * built ({@code fired}, each callback runs as it is added). The baseline is the same chain of
 * {@code CompletableFuture.thenApply}. Scores are chains per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DeferredChainBenchmark {

    private static final Deferred.Callback<Integer, Integer> INC = x -> x + 1;
    private static final java.util.function.Function<Integer, Integer> INC_F = x -> x + 1;

    private final Integer zero = 0;
    private final Object[] out = new Object[1];
    private final Deferred.Both<Integer, Void> store = (r, f) -> {
        out[0] = f != null ? f : r;
        return null;
    };

    @Benchmark
    public Object deferredPending() {
        Deferred<Integer> d = new Deferred<>();
        Deferred<Integer> c = d;
        for (int i = 0; i < 10; i++) {
            c = c.addCallback(INC);
        }
        c.addBoth(store);
        d.callback(zero);
        return out[0];
    }

    @Benchmark
    public Object deferredFired() {
        Deferred<Integer> c = Deferred.succeed(zero);
        for (int i = 0; i < 10; i++) {
            c = c.addCallback(INC);
        }
        c.addBoth(store);
        return out[0];
    }

    @Benchmark
    public Object completableFuturePending() {
        CompletableFuture<Integer> d = new CompletableFuture<>();
        CompletableFuture<Integer> c = d;
        for (int i = 0; i < 10; i++) {
            c = c.thenApply(INC_F);
        }
        d.complete(zero);
        return c.join();
    }

    @Benchmark
    public Object completableFutureFired() {
        CompletableFuture<Integer> c = CompletableFuture.completedFuture(zero);
        for (int i = 0; i < 10; i++) {
            c = c.thenApply(INC_F);
        }
        return c.join();
    }
}
