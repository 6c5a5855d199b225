package dev.weft.bench.jmh;

import dev.weft.defer.Deferred;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of {@code await()} on a Deferred that has fired, inside a running coroutine body, against
 * {@code addCallback} on a Deferred that has fired (the callback runs at once), per operation; no reactor.
 *
 * <ul>
 *   <li>{@code awaitFired}: one body loops {@value #OPS} awaits over {@value #DEFERREDS} fired Deferreds; the
 *       body's start (a thread and two hand-offs, {@code bodyStart}) is shared by the {@value #OPS}
 *       operations.</li>
 *   <li>{@code addCallbackFired}: the same loop of {@code addCallback} on the same Deferreds, on the JMH thread;
 *       the callback adds the result to a sum and returns it, so each Deferred keeps its result.</li>
 *   <li>{@code bodyStart}: {@code Deferred.fromCoroutine} of a body that returns at once: what one
 *       {@code awaitFired} invocation pays on top of its awaits.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CoroutineAwaitBenchmark {

    /** Operations per invocation of {@code awaitFired} and {@code addCallbackFired}. */
    static final int OPS = 1_000_000;

    /** Fired Deferreds the loops go over (a power of two). */
    static final int DEFERREDS = 1_024;

    private final Deferred<Integer>[] fired = firedDeferreds();
    private long sum;
    private final Deferred.Callback<Integer, Integer> add = x -> {
        sum += x;
        return x;
    };
    private final Object[] outcome = new Object[1];
    private final Deferred.Both<Object, Void> store = (value, failure) -> {
        outcome[0] = failure != null ? failure : value;
        return null;
    };

    @SuppressWarnings("unchecked")
    private static Deferred<Integer>[] firedDeferreds() {
        Deferred<Integer>[] ds = new Deferred[DEFERREDS];
        for (int i = 0; i < DEFERREDS; i++) {
            ds[i] = Deferred.succeed(i);
        }
        return ds;
    }

    /**
     * One body awaiting {@value #OPS} fired Deferreds; on the JMH thread, on whose behalf the body runs.
     *
     * @return the sum of the results
     */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public Object awaitFired() {
        Deferred.fromCoroutine(() -> {
            long s = 0;
            for (int i = 0; i < OPS; i++) {
                s += fired[i & (DEFERREDS - 1)].await();
            }
            return s;
        }).addBoth(store);
        return outcome[0];
    }

    /**
     * {@value #OPS} {@code addCallback}s on fired Deferreds; on the JMH thread.
     *
     * @return the sum of the results
     */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public long addCallbackFired() {
        sum = 0;
        for (int i = 0; i < OPS; i++) {
            fired[i & (DEFERREDS - 1)].addCallback(add);
        }
        return sum;
    }

    /**
     * A body that returns at once: a coroutine's fixed start cost; on the JMH thread.
     *
     * @return the body's result
     */
    @Benchmark
    public Object bodyStart() {
        Deferred.fromCoroutine(() -> Boolean.TRUE).addBoth(store);
        return outcome[0];
    }
}
