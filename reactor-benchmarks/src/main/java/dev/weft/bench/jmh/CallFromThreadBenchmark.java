package dev.weft.bench.jmh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * {@code callFromThread} throughput (or {@code execute} on the baselines) from one and from two producer threads,
 * the loop running on a thread of its own ({@code run()} on an owned Weft reactor).
 *
 * <p>Each producer allows at most {@value #WINDOW} of its tasks to wait at a time (it spins while more do), so the
 * queue stays bounded and the producers' score is the rate the loop sustains. The secondary score {@code executed}
 * counts the tasks the loop actually ran in the iteration, per second: read that one.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dweft.blocked.threshold.ms=1000"})
public class CallFromThreadBenchmark {

    /** The most tasks of one producer waiting at a time. */
    static final long WINDOW = 16_384;

    @Param({"untwisted", "netty-nio", "netty-epoll", "netty-attached-nio", "netty-baseline-nio",
            "netty-baseline-epoll", "stpe"})
    public String target;

    Target t;

    @Setup(Level.Trial)
    public void setUp() {
        t = Target.open(target, Target.Mode.BACKGROUND);
    }

    /** The producers of this group, registered at their first send. */
    final java.util.Queue<Producer> producers = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * Closes the target once every producer's tasks have run. JMH runs the trial teardown of a group state on the
     * first thread done with its last iteration, while the others may still be draining theirs (all sends are over
     * by then: JMH holds every thread at a barrier before the iteration teardowns).
     */
    @TearDown(Level.Trial)
    public void tearDown() {
        for (Producer p : producers) {
            BenchSupport.spinUntil(() -> p.ranNow() >= p.sent, "the loop to run every task sent");
        }
        t.close();
    }

    /**
     * One producer: its own count of tasks sent and, written by the loop thread only, of its tasks run. The JMH
     * auxiliary counter {@code executed} is the number run during the iteration.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Producer {
        private static final VarHandle RAN;

        static {
            try {
                RAN = MethodHandles.lookup().findVarHandle(Producer.class, "ran", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        // Padding keeps the loop's writes to ran off the producer's line of sent.
        long p01, p02, p03, p04, p05, p06, p07, p08;
        private long sent;
        long q01, q02, q03, q04, q05, q06, q07, q08;
        private long ran;
        long r01, r02, r03, r04, r05, r06, r07, r08;
        private long ranAtStart;
        private final Runnable task = this::ran;
        private boolean registered;

        private void ran() {
            // One writer (the loop thread): a release store, no read-modify-write.
            RAN.setRelease(this, (long) RAN.getOpaque(this) + 1);
        }

        private long ranNow() {
            return (long) RAN.getAcquire(this);
        }

        @Setup(Level.Iteration)
        public void start() {
            ranAtStart = ranNow();
        }

        /**
         * Tasks run by the loop since the iteration started: the secondary score.
         *
         * @return the count
         */
        public long executed() {
            return ranNow() - ranAtStart;
        }

        @TearDown(Level.Iteration)
        public void drain() {
            try {
                BenchSupport.spinUntil(() -> ranNow() >= sent, "the loop to run every task sent");
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + ": sent " + sent + ", ran " + ranNow() + " on "
                        + Thread.currentThread().getName(), e);
            }
        }

        void send(CallFromThreadBenchmark b) {
            if (!registered) {
                registered = true;
                b.producers.add(this);
            }
            Target t = b.t;
            long s = sent;
            if (s - ranNow() >= WINDOW) {
                BenchSupport.spinUntil(() -> sent - ranNow() < WINDOW, "the loop to catch up");
            }
            t.execute(task);
            sent = s + 1;
        }
    }

    @Benchmark
    @Group("producers1")
    @GroupThreads(1)
    public void oneProducer(Producer p) {
        p.send(this);
    }

    @Benchmark
    @Group("producers2")
    @GroupThreads(2)
    public void twoProducers(Producer p) {
        p.send(this);
    }
}
